//! The staff's changes: one lesson occurrence (cancelled, substitute, room), an extra lesson, and the
//! timetable import (CSV or iCalendar).

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::import::{self, Format, ImportReport};
use crate::model::{self, Occurrence, hhmm};
use crate::pages::{day_label, parse_day_or_404};
use crate::service::{ChangeForm, Person, Timetable, Viewer};

pub fn routes() -> Router<Timetable> {
    Router::new()
        .route("/edt/cours/{lesson}/{day}", get(occurrence).post(save_change))
        .route("/edt/ajout", get(extra_form).post(save_extra))
        .route("/edt/import", get(import_form).post(run_import))
}

#[derive(Template)]
#[template(path = "timetable_occurrence.html")]
struct OccurrenceTemplate {
    t: Tr,
    o: Occurrence,
    day: String,
    time: String,
    teachers: String,
    usual_teachers: String,
    logbook: String,
    may_edit: bool,
    csrf_token: String,
    substitutes: Vec<Person>,
    current_substitute: Option<Uuid>,
    error: Option<String>,
    saved: bool,
}

async fn render_occurrence(
    tt: &Timetable,
    lang: Lang,
    user: &CurrentUser,
    lesson: Uuid,
    day: jiff::civil::Date,
    error: Option<String>,
    saved: bool,
) -> WebResult<Html<String>> {
    let viewer = Viewer::from(user);
    let o = tt.occurrence(&viewer, lesson, day).await?;
    let may_edit = model::may_edit(&user.context.context);
    let substitutes = match (may_edit, user.context.context.school()) {
        (true, Some(school)) => crate::school::teachers(tt.db(), school).await?,
        _ => vec![],
    };
    let names = |ts: &[model::TeacherName]| {
        ts.iter()
            .map(|x| format!("{} {}", x.first_name, x.last_name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Only a teacher sets homework "for the next lesson": nobody else's link needs it looked up.
    let next = match user.context.context {
        kernel::Context::School {
            school,
            profile: kernel::Profile::Teacher,
        } => tt
            .next_lesson(school, &o.lesson, o.day)
            .await?
            .map(|(id, d)| format!("&prochain={id}&prochain_jour={d}"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let t = Tr(lang);
    let body = OccurrenceTemplate {
        day: day_label(&t, o.day),
        time: format!("{}–{}", hhmm(o.lesson.starts_at), hhmm(o.lesson.ends_at)),
        teachers: names(&o.teachers),
        usual_teachers: names(&o.lesson.teachers),
        logbook: format!(
            "/cahier/seance?classe={}&matiere={}&jour={}&cours={}",
            o.lesson.class_id,
            web::url_encode(&o.lesson.subject_code),
            o.day,
            o.lesson.id
        ) + &next,
        current_substitute: if o.substitute {
            o.teachers.first().map(|x| x.id)
        } else {
            None
        },
        o,
        may_edit,
        csrf_token: user.csrf_token.clone(),
        substitutes,
        error,
        saved,
        t,
    };
    web::user_page(lang, user, "timetable-lesson", &body)
}

async fn occurrence(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    Path((lesson, day)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> WebResult<Html<String>> {
    let lesson: Uuid = lesson.parse().map_err(|_| AppError::NotFound)?;
    let day = parse_day_or_404(&day)?;
    render_occurrence(&tt, lang, &user, lesson, day, None, q.ok.is_some()).await
}

#[derive(serde::Deserialize)]
struct Saved {
    ok: Option<String>,
}

#[derive(serde::Deserialize)]
struct ChangeFields {
    csrf_token: String,
    cancelled: Option<String>,
    substitute: Option<String>,
    room: Option<String>,
    note: Option<String>,
}

async fn save_change(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    Path((lesson, day)): Path<(String, String)>,
    axum::extract::Form(f): axum::extract::Form<ChangeFields>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let lesson: Uuid = lesson.parse().map_err(|_| AppError::NotFound)?;
    let day = parse_day_or_404(&day)?;
    let substitute = match f.substitute.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<Uuid>()
                .map_err(|_| AppError::BadRequest(web::Msg::new("timetable-error-substitute")))?,
        ),
    };
    let form = ChangeForm {
        lesson,
        day,
        cancelled: f.cancelled.is_some(),
        substitute,
        room: f.room,
        note: f.note.unwrap_or_default(),
    };
    match tt.change(&Viewer::from(&user), form).await {
        Ok(()) => Ok(Redirect::to(&format!("/edt/cours/{lesson}/{day}?ok=1")).into_response()),
        Err(AppError::BadRequest(msg)) => {
            let page =
                render_occurrence(&tt, lang, &user, lesson, day, Some(msg.render(lang)), false).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "timetable_extra.html")]
struct ExtraTemplate {
    t: Tr,
    csrf_token: String,
    classes: Vec<(Uuid, String, String)>,
    subjects: Vec<(String, String)>,
    teachers: Vec<Person>,
    values: import::ExtraFields,
    error: Option<String>,
}

fn editor(user: &CurrentUser) -> Result<kernel::SchoolId, AppError> {
    if !model::may_edit(&user.context.context) {
        return Err(AppError::Forbidden);
    }
    user.context.context.school().ok_or(AppError::Forbidden)
}

async fn render_extra(
    tt: &Timetable,
    lang: Lang,
    user: &CurrentUser,
    values: import::ExtraFields,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let school = editor(user)?;
    let (classes, _, teachers) = crate::school::index(tt.db(), school).await?;
    let mut subjects = crate::school::subjects(tt.db()).await?;
    for s in &mut subjects {
        s.1 = crate::subject_label(&s.0, &s.1);
    }
    subjects.sort_by(|a, b| a.1.cmp(&b.1));
    let body = ExtraTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        classes,
        subjects,
        teachers,
        values,
        error,
    };
    web::user_page(lang, user, "timetable-extra-title", &body)
}

async fn extra_form(State(tt): State<Timetable>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let values = import::ExtraFields {
        day: tt.today().to_string(),
        ..Default::default()
    };
    render_extra(&tt, lang, &user, values, None).await
}

async fn save_extra(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(f): axum::extract::Form<import::ExtraFields>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let school = editor(&user)?;
    match import::add_extra(&tt, school, &Viewer::from(&user), &f).await {
        Ok((lesson, day)) => Ok(Redirect::to(&format!("/edt/cours/{lesson}/{day}?ok=1")).into_response()),
        Err(import::Error::Invalid(msg)) => {
            let page = render_extra(&tt, lang, &user, f, Some(msg)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "timetable_import.html")]
struct ImportTemplate {
    t: Tr,
    csrf_token: String,
    done: Option<String>,
    errors: Vec<String>,
}

async fn import_form(lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    editor(&user)?;
    let body = ImportTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        done: None,
        errors: vec![],
    };
    web::user_page(lang, &user, "timetable-import-title", &body)
}

/// The import form posts the file (multipart): the CSV or iCalendar file replaces the timetable of
/// its source; nothing is written when any line is wrong.
async fn run_import(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let school = editor(&user)?;
    let fields = import::form_fields(&headers, &body);
    let token = fields
        .iter()
        .find(|(n, _)| n == "csrf_token")
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
    user.check_csrf(token.as_deref().unwrap_or(""))?;
    let file = fields
        .iter()
        .find(|(n, _)| n == "file")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let format = if import::looks_like_ics(&file) {
        Format::Ics
    } else {
        Format::Csv
    };
    let outcome = import::run(&tt, school, format, &file).await;
    let (report, errors, status) = match outcome {
        Ok(report) => (Some(report), vec![], axum::http::StatusCode::OK),
        Err(import::Error::Lines(lines)) => (None, lines, axum::http::StatusCode::UNPROCESSABLE_ENTITY),
        Err(import::Error::Invalid(msg)) => (None, vec![msg], axum::http::StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let done = report.map(|r: ImportReport| {
        web::Msg::new("timetable-import-done")
            .arg("lessons", r.lessons)
            .arg("ended", r.ended)
            .render(lang)
    });
    let body = ImportTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
    };
    Ok((
        status,
        web::user_page(lang, &user, "timetable-import-title", &body)?,
    )
        .into_response())
}
