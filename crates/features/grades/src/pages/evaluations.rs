//! `/notes/evaluations`: a teacher's evaluations; `/notes/evaluations/nouvelle` and `…/{id}/modifier`:
//! the evaluation form (class and subject, date, title, kind, scale, coefficient, components).

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use directory::store::Teaching;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fields, Fmt, answer, css_url, field_message, parse_id};
use crate::Grades;
use crate::model::{EvaluationForm, Kind};
use crate::service::{Error, Viewer};
use crate::skills::Component;
use crate::teacher::{Evaluation, Listed};

#[derive(Template)]
#[template(path = "notes_list.html")]
struct ListTemplate<'a> {
    t: Tr,
    f: Fmt,
    items: &'a [Listed],
    css: &'static str,
}

pub(crate) async fn list(State(g): State<Grades>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    let items = g.my_evaluations(&Viewer::of(&user)?).await?;
    let body = ListTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        items: &items,
        css: css_url(),
    };
    Ok(web::user_page(lang, &user, "gr-my-evaluations", &body)?.into_response())
}

#[derive(Template)]
#[template(path = "notes_form.html")]
struct FormTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    /// `None` when creating: the teacher picks the class and subject.
    editing: Option<&'a Evaluation>,
    teachings: &'a [Teaching],
    form: &'a EvaluationForm,
    error: Option<String>,
    css: &'static str,
}

impl FormTemplate<'_> {
    fn kinds(&self) -> [Kind; 3] {
        Kind::ALL
    }

    fn components(&self) -> [Component; 8] {
        Component::ALL
    }

    fn is_kind(&self, k: &Kind) -> bool {
        Kind::parse(&self.form.kind).unwrap_or_default() == *k
    }

    fn has_component(&self, c: &Component) -> bool {
        self.form.components.iter().any(|x| x == c.code())
    }

    fn is_teaching(&self, t: &Teaching) -> bool {
        self.form.teaching == format!("{}:{}", t.class_id, t.subject_code)
    }

    fn action(&self) -> String {
        match self.editing {
            Some(e) => format!("/notes/evaluations/{}/modifier", e.row.id),
            None => "/notes/evaluations/nouvelle".into(),
        }
    }
}

fn form_of(f: &Fields) -> EvaluationForm {
    EvaluationForm {
        teaching: f.one("teaching"),
        day: f.one("day"),
        title: f.one("title"),
        kind: f.one("kind"),
        scale: f.one("scale"),
        coefficient: f.one("coefficient"),
        components: f.all("components"),
    }
}

async fn render(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    editing: Option<&Evaluation>,
    form: &EvaluationForm,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let teachings = g.teachings(&v).await?;
    let failed = error.is_some();
    let body = FormTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        editing,
        teachings: &teachings,
        form,
        error,
        css: css_url(),
    };
    let title = match editing {
        Some(_) => "gr-edit-evaluation",
        None => "gr-new-evaluation",
    };
    answer(lang, user, &Tr(lang).get(title), &body, failed)
}

pub(crate) async fn new_form(State(g): State<Grades>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    let form = EvaluationForm {
        day: g.today().to_string(),
        scale: "20".into(),
        coefficient: "1".into(),
        kind: Kind::Marks.code().into(),
        ..EvaluationForm::default()
    };
    render(&g, lang, &user, None, &form, None).await
}

pub(crate) async fn create(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let fields = Fields::of(form).checked(&user)?;
    let v = Viewer::of(&user)?;
    let form = form_of(&fields);
    match g.create_evaluation(&v, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/notes/evaluations/{id}")).into_response()),
        Err(Error::Invalid(e)) => {
            render(&g, lang, &user, None, &form, Some(field_message(Tr(lang), &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn edit_form(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let e = g.own_evaluation(&v, parse_id(&id)?).await?;
    let form = EvaluationForm {
        teaching: format!("{}:{}", e.row.class_id, e.row.subject_code),
        day: e.row.day.clone(),
        title: e.row.title.clone(),
        kind: e.kind.code().into(),
        scale: e.row.scale.to_string(),
        coefficient: e.coefficient_fr(),
        components: e.components.iter().map(|c| c.code().to_string()).collect(),
    };
    render(&g, lang, &user, Some(&e), &form, None).await
}

pub(crate) async fn update(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let fields = Fields::of(form).checked(&user)?;
    let v = Viewer::of(&user)?;
    let form = form_of(&fields);
    match g.update_evaluation(&v, id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/notes/evaluations/{id}")).into_response()),
        Err(Error::Invalid(err)) => {
            let e = g.own_evaluation(&v, id).await?;
            render(
                &g,
                lang,
                &user,
                Some(&e),
                &form,
                Some(field_message(Tr(lang), &err)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn delete(
    State(g): State<Grades>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id: Uuid = parse_id(&id)?;
    Fields::of(form).checked(&user)?;
    g.delete_evaluation(&Viewer::of(&user)?, id).await?;
    Ok(Redirect::to("/notes/evaluations").into_response())
}
