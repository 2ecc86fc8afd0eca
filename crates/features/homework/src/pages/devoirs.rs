//! `/devoirs`: the to-do list (students, parents) or the homework set (teachers); `/devoirs/{id}`: one
//! homework with hand-in, the teacher's table of work and corrections.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{ChildParam, Fmt, FullName, Post, answer, field_message, parse_id};
use crate::service::{Error, Homework, Viewer};
use crate::work::{HomeworkPage, HomeworkSide, Todo};

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
    let todo = hw.todo(&Viewer::of(&user)?, p.child()?).await?;
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
    let failed = error.is_some();
    let body = PageTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        page: &page,
        error,
        typed,
        max_size: blob::human_size(hw.max_upload_bytes()),
    };
    answer(lang, user, &page.hw.title, &body, failed)
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
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let (_, form, v) = post.checked()?;
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
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let (user, form, v) = post.checked()?;
    let text = form.one("text");
    let outcome = hw.hand_in(&v, id, &text, &form.uploads).await;
    let to = format!("/devoirs/{id}?rendu=1");
    after(&hw, lang, &user, id, outcome, text, &to).await
}

pub(crate) async fn correct(
    State(hw): State<Homework>,
    lang: Lang,
    Path((id, student)): Path<(String, String)>,
    post: Post,
) -> WebResult<Response> {
    let (id, student) = (parse_id(&id)?, parse_id(&student)?);
    let (user, form, v) = post.checked()?;
    let outcome = hw
        .return_correction(&v, id, student, &form.one("text"), &form.uploads)
        .await;
    let to = format!("/devoirs/{id}#eleve-{student}");
    after(&hw, lang, &user, id, outcome, String::new(), &to).await
}

pub(crate) async fn common(
    State(hw): State<Homework>,
    lang: Lang,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let (user, form, v) = post.checked()?;
    let outcome = hw
        .common_correction(&v, id, &form.one("text"), &form.uploads)
        .await;
    let to = format!("/devoirs/{id}");
    after(&hw, lang, &user, id, outcome, String::new(), &to).await
}

pub(crate) async fn delete(
    State(hw): State<Homework>,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let (_, _, v) = post.checked()?;
    let gone = hw.delete_homework(&v, id).await?;
    let to = format!(
        "/cahier/seance?classe={}&matiere={}&jour={}",
        gone.class_id,
        web::url_encode(&gone.subject_code),
        gone.set_day
    );
    Ok(Redirect::to(&to).into_response())
}
