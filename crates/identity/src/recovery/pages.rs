//! The forgotten password and forgotten login pages, and the page a reset link opens.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use web::{AppError, CurrentUser, Lang, Msg, Tr};

use crate::pages::{ClientIp, anonymous_page, pre_session_ok};
use crate::service::Identity;

pub(crate) fn routes() -> Router<Identity> {
    Router::new()
        .route("/login/oubli", get(request_form))
        .route("/login/oubli/mot-de-passe", post(request_password))
        .route("/login/oubli/identifiant", post(request_login))
        .route("/login/reinitialiser", get(reset_form).post(reset))
        .route("/compte/recuperation", get(contact_form).post(change_contact))
}

#[derive(Template)]
#[template(path = "recovery_contact.html")]
struct ContactTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    email: String,
    error: Option<String>,
    done: bool,
}

async fn contact_page(
    identity: &Identity,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<String>,
    done: bool,
) -> Result<Response, AppError> {
    let email = identity.recovery_address(user.user_id).await?.unwrap_or_default();
    let body = ContactTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        email,
        error,
        done,
    };
    let page = web::user_page(lang, user, "recovery-contact-title", &body)?;
    Ok((status, page).into_response())
}

async fn contact_form(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
) -> Result<Response, AppError> {
    contact_page(&identity, lang, &user, StatusCode::OK, None, false).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ContactForm {
    csrf_token: String,
    current: String,
    email: String,
}

async fn change_contact(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<ContactForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf_token)?;
    match identity
        .change_recovery_address(&user, &f.current, &f.email, &ip)
        .await
    {
        Ok(()) => contact_page(&identity, lang, &user, StatusCode::OK, None, true).await,
        Err(AppError::BadRequest(msg)) => {
            let error = Some(msg.render(lang));
            contact_page(
                &identity,
                lang,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                error,
                false,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "recovery_request.html")]
struct RequestTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct SentQuery {
    envoye: Option<String>,
}

async fn request_form(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    Query(q): Query<SentQuery>,
) -> Response {
    let notice = match q.envoye.as_deref() {
        Some("mot-de-passe") => Some(Tr(lang).get("recovery-password-sent")),
        Some("identifiant") => Some(Tr(lang).get("recovery-login-sent")),
        _ => None,
    };
    anonymous_page(
        &identity,
        lang,
        &headers,
        StatusCode::OK,
        "recovery-title",
        |token| {
            RequestTemplate {
                t: Tr(lang),
                csrf_token: token,
                notice,
            }
            .render()
        },
    )
}

#[derive(serde::Deserialize)]
struct PasswordRequest {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    username: String,
}

async fn request_password(
    State(identity): State<Identity>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordRequest>,
) -> Result<Redirect, AppError> {
    if !pre_session_ok(&identity, &headers, &form.csrf_token) {
        return Err(AppError::Csrf);
    }
    if form.username.trim().is_empty() {
        return Err(AppError::BadRequest(Msg::new("recovery-username-missing")));
    }
    identity.request_password_reset(&form.username, &ip).await?;
    Ok(Redirect::to("/login/oubli?envoye=mot-de-passe"))
}

#[derive(serde::Deserialize)]
struct LoginRequest {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
}

async fn request_login(
    State(identity): State<Identity>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginRequest>,
) -> Result<Redirect, AppError> {
    if !pre_session_ok(&identity, &headers, &form.csrf_token) {
        return Err(AppError::Csrf);
    }
    if !form.email.contains('@') {
        return Err(AppError::BadRequest(Msg::new("activation-email-invalid")));
    }
    identity.request_login_reminder(&form.email, &ip).await?;
    Ok(Redirect::to("/login/oubli?envoye=identifiant"))
}

#[derive(Template)]
#[template(path = "recovery_reset.html")]
struct ResetTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    token: &'a str,
    usable: bool,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct LinkQuery {
    #[serde(default)]
    t: String,
}

fn render_reset(
    identity: &Identity,
    lang: Lang,
    headers: &HeaderMap,
    status: StatusCode,
    token: &str,
    usable: bool,
    error: Option<String>,
) -> Response {
    anonymous_page(identity, lang, headers, status, "recovery-reset-title", |csrf| {
        ResetTemplate {
            t: Tr(lang),
            csrf_token: csrf,
            token,
            usable,
            error,
        }
        .render()
    })
}

async fn reset_form(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> Result<Response, AppError> {
    Ok(match identity.check_reset_link(&q.t).await? {
        Ok(_) => render_reset(&identity, lang, &headers, StatusCode::OK, &q.t, true, None),
        Err(problem) => render_reset(
            &identity,
            lang,
            &headers,
            StatusCode::GONE,
            "",
            false,
            Some(Tr(lang).get(problem.message_key())),
        ),
    })
}

#[derive(serde::Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    t: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn reset(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    if !pre_session_ok(&identity, &headers, &form.csrf_token) {
        return Err(AppError::Csrf);
    }
    match identity
        .reset_with_link(&form.t, &form.password, &form.confirm, &ip)
        .await
    {
        Ok(Ok(())) => Ok(Redirect::to("/login?reinit=1").into_response()),
        Ok(Err(problem)) => Ok(render_reset(
            &identity,
            lang,
            &headers,
            StatusCode::GONE,
            "",
            false,
            Some(Tr(lang).get(problem.message_key())),
        )),
        Err(AppError::BadRequest(msg)) => Ok(render_reset(
            &identity,
            lang,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.t,
            true,
            Some(msg.render(lang)),
        )),
        Err(e) => Err(e),
    }
}
