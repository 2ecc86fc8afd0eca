//! `/bulletins/classe/{class}/{period}`: the appraisals' progress, the head teacher's general
//! appraisals, the council's mentions and summary, and generating and publishing the report cards.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fmt, answer, messages, parse_id, service};
use crate::Grades;
use crate::reportcards::issue::{ClassBoard, StudentBoard};
use crate::reportcards::model::{self, Mention};
use crate::reportcards::service::Error;
use crate::service::Viewer;

#[derive(Template)]
#[template(path = "reportcards/class.html")]
struct ClassTemplate<'a> {
    t: Tr,
    counter_js: &'static str,
    f: Fmt,
    csrf: &'a str,
    b: &'a ClassBoard,
    base: String,
    errors: Vec<String>,
    notice: Option<String>,
    /// What was typed, shown again after an error (field name → text).
    typed: HashMap<String, String>,
    max_general: usize,
    max_summary: usize,
}

impl ClassTemplate<'_> {
    fn general(&self, s: &StudentBoard) -> String {
        self.typed
            .get(&format!("generale-{}", s.person.id))
            .cloned()
            .unwrap_or_else(|| s.general.clone())
    }

    fn summary(&self) -> String {
        self.typed
            .get("bilan")
            .cloned()
            .unwrap_or_else(|| self.b.summary.clone())
    }

    fn chosen(&self, s: &StudentBoard, m: &Mention) -> bool {
        match self.typed.get(&format!("mention-{}", s.person.id)) {
            Some(code) => code == m.code(),
            None => s.mention == Some(*m),
        }
    }

    fn mentions(&self) -> [Mention; 5] {
        Mention::ALL
    }

    fn students_count(&self) -> usize {
        self.b.students.len()
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct Done {
    pub fait: Option<String>,
    pub n: Option<usize>,
}

fn notice(t: Tr, done: &Done) -> Option<String> {
    let n = done.n.unwrap_or(0).to_string();
    let key = match done.fait.as_deref()? {
        "appreciations" => "rc-notice-general-saved",
        "conseil" => "rc-notice-council-saved",
        "genere" => "rc-notice-generated",
        "publie" => "rc-notice-published",
        _ => return None,
    };
    Some(t.with(key, "count", &n))
}

async fn render(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    (class, period): (Uuid, Uuid),
    errors: Vec<String>,
    notice: Option<String>,
    typed: HashMap<String, String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let b = service(g).board(&v, class, period).await?;
    let t = Tr(lang);
    let title = format!(
        "{} — {} — {}",
        t.get("rc-title"),
        b.cp.class_name,
        b.cp.period.label
    );
    let failed = !errors.is_empty();
    let body = ClassTemplate {
        counter_js: web::assets::url("compteur.js"),
        t,
        f: Fmt(t),
        csrf: &user.csrf_token,
        base: format!("/bulletins/classe/{class}/{period}"),
        b: &b,
        errors,
        notice,
        typed,
        max_general: model::MAX_GENERAL_APPRAISAL,
        max_summary: model::MAX_COUNCIL_SUMMARY,
    };
    answer(lang, user, &title, &body, failed)
}

fn ids(class: &str, period: &str) -> WebResult<(Uuid, Uuid)> {
    Ok((parse_id(class)?, parse_id(period)?))
}

pub(crate) async fn page(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult<Response> {
    let notice = notice(Tr(lang), &done);
    render(
        &g,
        lang,
        &user,
        ids(&class, &period)?,
        vec![],
        notice,
        HashMap::new(),
    )
    .await
}

/// The viewer, once the form's CSRF token matches their session's.
fn checked(user: &CurrentUser, form: &[(String, String)]) -> WebResult<Viewer> {
    let token = form
        .iter()
        .find(|(k, _)| k == web::csrf::FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(token)?;
    Ok(Viewer::of(user)?)
}

/// After a form: back to the class page with a notice, or the page again with the errors.
async fn after(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    at: (Uuid, Uuid),
    outcome: Result<usize, Error>,
    (what, form): (&str, Vec<(String, String)>),
) -> WebResult<Response> {
    let errors = match outcome {
        Ok(n) => {
            let to = format!("/bulletins/classe/{}/{}?fait={what}&n={n}", at.0, at.1);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Fields(errors)) => messages(lang, &errors),
        Err(Error::Refused(key)) => vec![Tr(lang).get(key)],
        Err(e) => return Err(e.into()),
    };
    render(g, lang, user, at, errors, None, form.into_iter().collect()).await
}

pub(crate) async fn save_general(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let v = checked(&user, &form)?;
    let at = ids(&class, &period)?;
    let outcome = service(&g).save_general(&v, at.0, at.1, &form).await.map(|()| 0);
    after(&g, lang, &user, at, outcome, ("appreciations", form)).await
}

pub(crate) async fn save_council(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let v = checked(&user, &form)?;
    let at = ids(&class, &period)?;
    let outcome = service(&g).save_council(&v, at.0, at.1, &form).await.map(|()| 0);
    after(&g, lang, &user, at, outcome, ("conseil", form)).await
}

pub(crate) async fn generate(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let v = checked(&user, &form)?;
    let at = ids(&class, &period)?;
    let outcome = service(&g).generate(&v, at.0, at.1).await;
    after(&g, lang, &user, at, outcome, ("genere", vec![])).await
}

pub(crate) async fn publish(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let v = checked(&user, &form)?;
    let at = ids(&class, &period)?;
    let outcome = service(&g).publish(&v, at.0, at.1).await;
    after(&g, lang, &user, at, outcome, ("publie", vec![])).await
}
