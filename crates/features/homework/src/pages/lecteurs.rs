//! `/cahier/lecteurs`: the read-only grants of the cahier de textes (direction only).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use directory::model::Person;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{FullName, Post, answer, field_message, parse_id};
use crate::service::{Error, Homework, Viewer};

#[derive(Template)]
#[template(path = "lecteurs.html")]
struct ReadersTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    readers: Vec<Person>,
    login: String,
    error: Option<String>,
}

async fn render_readers(
    hw: &Homework,
    lang: Lang,
    user: &CurrentUser,
    login: String,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let readers = hw.readers(&v).await?;
    let failed = error.is_some();
    let body = ReadersTemplate {
        t: Tr(lang),
        csrf: &user.csrf_token,
        readers,
        login,
        error,
    };
    answer(lang, user, &Tr(lang).get("hw-readers-title"), &body, failed)
}

pub(crate) async fn readers(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
) -> WebResult<Response> {
    render_readers(&hw, lang, &user, String::new(), None).await
}

pub(crate) async fn grant(State(hw): State<Homework>, lang: Lang, post: Post) -> WebResult<Response> {
    let (user, form, v) = post.checked()?;
    let login = form.one("login");
    match hw.grant_reader(&v, &login).await {
        Ok(()) => Ok(Redirect::to("/cahier/lecteurs").into_response()),
        Err(Error::Invalid(e)) => {
            render_readers(&hw, lang, &user, login, Some(field_message(Tr(lang), &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke(State(hw): State<Homework>, post: Post) -> WebResult<Response> {
    let (_, form, v) = post.checked()?;
    hw.revoke_reader(&v, parse_id(&form.one("user"))?).await?;
    Ok(Redirect::to("/cahier/lecteurs").into_response())
}
