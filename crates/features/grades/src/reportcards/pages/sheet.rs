//! `/bulletins/appreciations/{class}/{period}/{subject}`: a subject teacher's appraisals of the class,
//! one textarea per student beside their average, saved all at once.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::class::Done;
use super::{Fmt, answer, messages, parse_id, service};
use crate::Grades;
use crate::reportcards::model;
use crate::reportcards::service::{Error, Sheet, SheetRow};
use crate::service::Viewer;

#[derive(Template)]
#[template(path = "reportcards/sheet.html")]
struct SheetTemplate<'a> {
    t: Tr,
    counter_js: &'static str,
    f: Fmt,
    csrf: &'a str,
    s: &'a Sheet,
    action: String,
    class_page: String,
    errors: Vec<String>,
    saved: bool,
    typed: HashMap<String, String>,
    max: usize,
}

impl SheetTemplate<'_> {
    fn text(&self, r: &SheetRow) -> String {
        self.typed
            .get(&format!("appreciation-{}", r.student.id))
            .cloned()
            .unwrap_or_else(|| r.text.clone())
    }

    fn written(&self) -> usize {
        self.s.rows.iter().filter(|r| !r.text.is_empty()).count()
    }
}

async fn render(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    (class, period, subject): (Uuid, Uuid, &str),
    errors: Vec<String>,
    saved: bool,
    typed: HashMap<String, String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let s = service(g).sheet(&v, class, period, subject).await?;
    let t = Tr(lang);
    let title = format!(
        "{} — {} — {}",
        t.get("rc-sheet-title"),
        s.subject_label,
        s.cp.class_name
    );
    let failed = !errors.is_empty();
    let body = SheetTemplate {
        counter_js: web::assets::url("compteur.js"),
        t,
        f: Fmt(t),
        csrf: &user.csrf_token,
        action: format!(
            "/bulletins/appreciations/{class}/{period}/{}",
            web::url_encode(subject)
        ),
        class_page: format!("/bulletins/classe/{class}/{period}"),
        s: &s,
        errors,
        saved,
        typed,
        max: model::MAX_SUBJECT_APPRAISAL,
    };
    answer(lang, user, &title, &body, failed)
}

pub(crate) async fn page(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period, subject)): Path<(String, String, String)>,
    Query(done): Query<Done>,
) -> WebResult<Response> {
    let at = (parse_id(&class)?, parse_id(&period)?, subject.as_str());
    let saved = done.fait.as_deref() == Some("appreciations");
    render(&g, lang, &user, at, vec![], saved, HashMap::new()).await
}

pub(crate) async fn save(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path((class, period, subject)): Path<(String, String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let token = form
        .iter()
        .find(|(k, _)| k == web::csrf::FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(token)?;
    let v = Viewer::of(&user)?;
    let (c, p) = (parse_id(&class)?, parse_id(&period)?);
    match service(&g).save_sheet(&v, c, p, &subject, &form).await {
        Ok(()) => {
            let to = format!(
                "/bulletins/appreciations/{c}/{p}/{}?fait=appreciations",
                web::url_encode(&subject)
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Fields(errors)) => {
            let errors = messages(lang, &errors);
            render(
                &g,
                lang,
                &user,
                (c, p, &subject),
                errors,
                false,
                form.into_iter().collect(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
