//! `/devoirs`: the to-do list (students, parents) or the homework set (teachers); `/devoirs/{id}`: one
//! homework with hand-in, the teacher's table of work and corrections.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fmt, Posted, field_message};
use crate::service::{Error, Homework, Viewer};
use crate::work::{HomeworkPage, HomeworkSide, Todo};

#[derive(serde::Deserialize)]
pub(crate) struct ChildParam {
    eleve: Option<String>,
}

fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| web::AppError::NotFound)
}

/// An optional id from the query string: junk is a 404, like an id that is not one's own.
pub(crate) fn optional_id(s: &Option<String>) -> WebResult<Option<Uuid>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_id(s).map(Some),
    }
}

#[derive(Template)]
#[template(path = "devoirs.html")]
struct ListTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    todo: &'a Todo,
}

pub(crate) async fn list(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<ChildParam>,
) -> WebResult<Html<String>> {
    let v = Viewer::of(&user)?;
    let todo = hw.todo(&v, optional_id(&p.eleve)?).await?;
    let body = ListTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        todo: &todo,
    };
    web::user_page(lang, &user, "hw-todo-title", &body)
}

impl ListTemplate<'_> {
    fn is_student(&self) -> bool {
        matches!(self.todo, Todo::Student { .. })
    }

    fn is_child(&self, id: &Uuid) -> bool {
        matches!(self.todo, Todo::Guardian { child: Some(c), .. } if c == id)
    }
}

#[derive(Template)]
#[template(path = "devoir.html")]
struct PageTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    page: &'a HomeworkPage,
    error: Option<String>,
    /// What the student typed, shown again after an error.
    typed: String,
    max_size: String,
}

async fn render(
    hw: &Homework,
    lang: Lang,
    user: &CurrentUser,
    id: Uuid,
    error: Option<String>,
    typed: String,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let page = hw.homework_page(&v, id).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = PageTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        page: &page,
        error,
        typed,
        max_size: blob::human_size(hw.max_upload_bytes()),
    };
    let html = web::page(
        &web::Chrome {
            lang,
            user: Some(user),
        },
        &page.hw.title,
        &body.render().map_err(web::AppError::internal)?,
    )?;
    Ok((status, html).into_response())
}

pub(crate) async fn page(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    render(&hw, lang, &user, parse_id(&id)?, None, String::new()).await
}

/// After a form: back to the page, or the page again with the error and what was typed.
async fn after(
    hw: &Homework,
    lang: Lang,
    user: &CurrentUser,
    id: Uuid,
    outcome: crate::Result<()>,
    typed: String,
    to: &str,
) -> WebResult<Response> {
    match outcome {
        Ok(()) => Ok(Redirect::to(to).into_response()),
        Err(Error::Invalid(e)) => render(hw, lang, user, id, Some(field_message(Tr(lang), &e)), typed).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn done(
    State(hw): State<Homework>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    hw.set_done(&v, id, form.one("done") == "1").await?;
    // Back to where the tick was made: the list (default) or the homework's page.
    let to = if form.one("back") == "page" {
        format!("/devoirs/{id}")
    } else {
        "/devoirs".to_string()
    };
    Ok(Redirect::to(&to).into_response())
}

pub(crate) async fn hand_in(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let text = form.one("text");
    let outcome = hw.hand_in(&v, id, &text, &form.uploads).await;
    after(
        &hw,
        lang,
        &user,
        id,
        outcome,
        text,
        &format!("/devoirs/{id}?rendu=1"),
    )
    .await
}

pub(crate) async fn correct(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Path((id, student)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (id, student) = (parse_id(&id)?, parse_id(&student)?);
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let outcome = hw
        .return_correction(&v, id, student, &form.one("text"), &form.uploads)
        .await;
    after(
        &hw,
        lang,
        &user,
        id,
        outcome,
        String::new(),
        &format!("/devoirs/{id}#eleve-{student}"),
    )
    .await
}

pub(crate) async fn common(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let outcome = hw
        .common_correction(&v, id, &form.one("text"), &form.uploads)
        .await;
    after(
        &hw,
        lang,
        &user,
        id,
        outcome,
        String::new(),
        &format!("/devoirs/{id}"),
    )
    .await
}

pub(crate) async fn delete(
    State(hw): State<Homework>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let gone = hw.delete_homework(&v, id).await?;
    let to = format!(
        "/cahier/seance?classe={}&matiere={}&jour={}",
        gone.class_id,
        web::url_encode(&gone.subject_code),
        gone.set_day
    );
    Ok(Redirect::to(&to).into_response())
}
