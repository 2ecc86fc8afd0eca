//! The page shell: skip link, banner with the context switcher, main landmark, footer with the language switch.

use axum::response::Html;

use crate::{AppError, CurrentUser, Lang, Tr, assets};

/// What the shell needs besides the page body.
pub struct Chrome<'a> {
    pub lang: Lang,
    pub user: Option<&'a CurrentUser>,
}

#[derive(askama::Template)]
#[template(path = "base.html")]
struct Base<'a> {
    t: Tr,
    title: &'a str,
    body: &'a str,
    user: Option<&'a CurrentUser>,
    css: &'a str,
    icon: &'a str,
    other_lang: Lang,
}

/// Wraps a rendered body in the shell. `title` is already translated.
pub fn page(chrome: &Chrome<'_>, title: &str, body: &str) -> Result<Html<String>, AppError> {
    let base = Base {
        t: Tr(chrome.lang),
        title,
        body,
        user: chrome.user,
        css: assets::css_url(),
        icon: assets::icon_url(),
        other_lang: chrome.lang.other(),
    };
    askama::Template::render(&base)
        .map(Html)
        .map_err(AppError::internal)
}

/// Renders a page template inside the shell for a signed-in person, titled by the Fluent key `title_key`.
pub fn user_page(
    lang: Lang,
    user: &CurrentUser,
    title_key: &str,
    body: &impl askama::Template,
) -> Result<Html<String>, AppError> {
    let body = body.render().map_err(AppError::internal)?;
    page(
        &Chrome {
            lang,
            user: Some(user),
        },
        &Tr(lang).get(title_key),
        &body,
    )
}
