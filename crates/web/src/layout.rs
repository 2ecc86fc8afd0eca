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
    /// The header's live unread-notification badge (notifications crate).
    notif_js: &'a str,
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
        notif_js: assets::url("notifications.js"),
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

/// A page of the signed-in person's shell titled `title` (already translated) that may show a form's
/// errors: 422 Unprocessable Entity when `failed`, so browsers and tests see the refusal, else 200.
pub fn form_page(
    lang: Lang,
    user: &CurrentUser,
    title: &str,
    body: &impl askama::Template,
    failed: bool,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let status = if failed {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let html = page(
        &Chrome {
            lang,
            user: Some(user),
        },
        title,
        &body.render().map_err(AppError::internal)?,
    )?;
    Ok((status, html).into_response())
}
