//! The person's own account: their sessions (signing out one or all the others) and their password.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use web::{AppError, Chrome, CurrentUser, Lang, Tr, WebResult};

use crate::pages::ClientIp;
use crate::service::Identity;
use crate::store;

pub fn routes() -> Router<Identity> {
    Router::new()
        .route("/compte/sessions", get(list))
        .route("/compte/sessions/fin", post(end))
        .route("/compte/mot-de-passe", get(password_form).post(change_password))
}

/// A short, readable name for a browser from its user agent.
pub fn device_label(user_agent: &str) -> String {
    let browser = ["Firefox", "Edg", "Chrome", "Safari"]
        .into_iter()
        .find(|b| user_agent.contains(b));
    let system = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux", "CrOS"]
        .into_iter()
        .find(|s| user_agent.contains(s));
    match (browser, system) {
        (Some(b), Some(s)) => format!(
            "{} · {}",
            if b == "Edg" { "Edge" } else { b },
            s.replace("Mac OS", "macOS")
        ),
        (Some(b), None) => b.to_string(),
        _ if user_agent.is_empty() => "?".into(),
        _ => user_agent.chars().take(40).collect(),
    }
}

struct Row {
    id: String,
    device: String,
    ip: String,
    since: String,
    last_seen: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    rows: Vec<Row>,
}

async fn list(State(identity): State<Identity>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let rows = store::sessions_of(identity.db(), user.user_id)
        .await?
        .into_iter()
        .map(|s| Row {
            current: s.token_hash == user.session_key,
            device: device_label(&s.user_agent),
            ip: s.ip,
            since: kernel::Timestamp(s.created_at).date_time_fr(),
            last_seen: kernel::Timestamp(s.last_seen_at).date_time_fr(),
            id: s.token_hash,
        })
        .collect();
    let body = SessionsTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        rows,
    };
    web::user_page(lang, &user, "sessions-title", &body)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EndForm {
    csrf_token: String,
    session: String,
}

/// `session` = one session's id, or "autres" for every session but this one.
async fn end(
    State(identity): State<Identity>,
    user: CurrentUser,
    Form(f): Form<EndForm>,
) -> WebResult<Redirect> {
    user.check_csrf(&f.csrf_token)?;
    let db = identity.db();
    if f.session == "autres" {
        store::end_sessions(db, user.user_id, None, Some(&user.session_key)).await?;
    } else {
        store::end_sessions(db, user.user_id, Some(&f.session), None).await?;
    }
    identity.forget_sessions_of(user.user_id).await;
    Ok(Redirect::to(if f.session == user.session_key {
        "/login?bye=1"
    } else {
        "/compte/sessions"
    }))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    error: Option<String>,
    done: bool,
}

fn password_page(
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<String>,
    done: bool,
) -> WebResult<Response> {
    let body = PasswordTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        error,
        done,
    }
    .render()
    .map_err(AppError::internal)?;
    let page = web::page(
        &Chrome {
            lang,
            user: Some(user),
        },
        &Tr(lang).get("password-title"),
        &body,
    )?;
    Ok((status, page).into_response())
}

async fn password_form(lang: Lang, user: CurrentUser) -> WebResult<Response> {
    password_page(lang, &user, StatusCode::OK, None, false)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    csrf_token: String,
    current: String,
    password: String,
    confirm: String,
}

async fn change_password(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    match identity
        .change_password(&user, &f.current, &f.password, &f.confirm, &ip)
        .await
    {
        Ok(()) => password_page(lang, &user, StatusCode::OK, None, true),
        Err(AppError::BadRequest(msg)) => password_page(
            lang,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(msg.render(lang)),
            false,
        ),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn devices_are_named_plainly() {
        let android = "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
        assert_eq!(device_label(android), "Chrome · Android");
        assert_eq!(
            device_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"),
            "Firefox · Windows"
        );
        assert_eq!(device_label(""), "?");
    }
}
