//! `/discipline/reglages` and `/discipline/journal`: what the school shows families, its incident
//! types, and who wrote what (direction only).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fmt, Post, answer, field_message, parse_id};
use crate::Attendance;
use crate::discipline::family::SettingsView;
use crate::discipline::model::FamilyRules;
use crate::discipline::service::{Discipline, Error, Viewer};
use crate::discipline::store::JournalRow;

#[derive(Template)]
#[template(path = "discipline/settings.html")]
struct SettingsTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    view: SettingsView,
    new_type: String,
    error: Option<String>,
}

async fn render(
    d: &Discipline,
    lang: Lang,
    user: &CurrentUser,
    new_type: String,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let failed = error.is_some();
    let body = SettingsTemplate {
        t: Tr(lang),
        csrf: &user.csrf_token,
        view: d.settings(&v).await?,
        new_type,
        error,
    };
    answer(lang, user, "dis-settings-title", &body, failed)
}

pub(crate) async fn page(State(a): State<Attendance>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    render(&Discipline::of(&a), lang, &user, String::new(), None).await
}

pub(crate) async fn save_rules(State(a): State<Attendance>, post: Post) -> WebResult<Response> {
    let (_, fields, v) = post.checked()?;
    let rules = FamilyRules {
        show_punishments: fields.has("show_punishments"),
        show_incidents: fields.has("show_incidents"),
    };
    Discipline::of(&a).save_rules(&v, rules).await?;
    Ok(Redirect::to("/discipline/reglages").into_response())
}

pub(crate) async fn add_type(State(a): State<Attendance>, lang: Lang, post: Post) -> WebResult<Response> {
    let (user, fields, v) = post.checked()?;
    let d = Discipline::of(&a);
    let label = fields.one("label");
    match d.add_type(&v, &label).await {
        Ok(()) => Ok(Redirect::to("/discipline/reglages#types").into_response()),
        Err(Error::Invalid(e)) => render(&d, lang, &user, label, Some(field_message(Tr(lang), &e))).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn set_type_active(
    State(a): State<Attendance>,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let (_, fields, v) = post.checked()?;
    let active = fields.one("active") == "1";
    Discipline::of(&a)
        .set_type_active(&v, parse_id(&id)?, active)
        .await?;
    Ok(Redirect::to("/discipline/reglages#types").into_response())
}

#[derive(Template)]
#[template(path = "discipline/journal.html")]
struct JournalTemplate {
    t: Tr,
    f: Fmt,
    rows: Vec<JournalRow>,
}

pub(crate) async fn journal(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let body = JournalTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        rows: Discipline::of(&a).journal(&v).await?,
    };
    answer(lang, &user, "dis-journal-title", &body, false)
}
