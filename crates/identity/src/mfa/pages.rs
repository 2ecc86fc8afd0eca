//! Second-factor pages: the code step of sign-in, and enrolment with a QR code and recovery codes.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use web::{AppError, Chrome, CurrentUser, Lang, Tr, WebResult};

use super::{MfaError, totp};
use crate::SESSION_COOKIE;
use crate::pages::ClientIp;
use crate::service::Identity;

pub fn routes() -> Router<Identity> {
    Router::new()
        .route("/login/mfa", get(code_form).post(check_code))
        .route("/compte/mfa", get(enrol_form).post(enrol))
        .route("/compte/confirmer", get(step_up_form).post(step_up))
}

#[derive(Template)]
#[template(path = "mfa_code.html")]
struct CodeTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    error: Option<String>,
    /// Set when confirming a sensitive action: where to go back to.
    next: Option<&'a str>,
    /// At sign-in: where the person was going (a connected service, say), if not the portal.
    then: Option<&'a str>,
}

fn page(
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    title: &str,
    body: askama::Result<String>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return AppError::internal(e).into_response(),
    };
    match web::page(
        &Chrome {
            lang,
            user: Some(user),
        },
        &Tr(lang).get(title),
        &body,
    ) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CodeQuery {
    then: Option<String>,
}

async fn code_form(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<CodeQuery>,
) -> WebResult<Response> {
    if !user.second_factor_pending {
        return Ok(Redirect::to("/").into_response());
    }
    if !identity.mfa_enrolled(user.user_id).await? {
        return Ok(Redirect::to("/compte/mfa").into_response());
    }
    let body = CodeTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        error: None,
        next: None,
        then: q.then.as_deref().filter(|t| !t.is_empty()),
    }
    .render();
    Ok(page(lang, &user, StatusCode::OK, "mfa-title", body))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    csrf_token: String,
    code: String,
    then: String,
}

async fn check_code(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    if !user.second_factor_pending {
        return Ok(Redirect::to("/").into_response());
    }
    match identity
        .pass_second_factor(&user, &f.code, &ip, crate::audit::Kind::MfaPassed)
        .await
    {
        Ok(()) => Ok(web::after_form(lang, &crate::pages::safe_next(Some(&f.then)))),
        Err(MfaError::WrongCode) => {
            let error = Some(Tr(lang).get("mfa-wrong-code"));
            let body = CodeTemplate {
                t: Tr(lang),
                csrf_token: &user.csrf_token,
                error,
                next: None,
                then: Some(f.then.as_str()).filter(|t| !t.is_empty()),
            }
            .render();
            Ok(page(lang, &user, StatusCode::UNAUTHORIZED, "mfa-title", body))
        }
        Err(MfaError::TooManyAttempts) => {
            let mut response = Redirect::to("/login?mfa=bloque").into_response();
            let clear = web::cookie::clear(SESSION_COOKIE, identity.config.secure_cookies);
            response.headers_mut().append(header::SET_COOKIE, clear);
            Ok(response)
        }
        Err(MfaError::Db(e)) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

async fn step_up_form(lang: Lang, user: CurrentUser, q: axum::extract::Query<NextQuery>) -> Response {
    let next = crate::pages::safe_next(Some(&q.next));
    let body = CodeTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        error: None,
        next: Some(&next),
        then: None,
    }
    .render();
    page(lang, &user, StatusCode::OK, "mfa-step-up-title", body)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StepUpForm {
    csrf_token: String,
    code: String,
    next: String,
}

async fn step_up(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<StepUpForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let next = crate::pages::safe_next(Some(&f.next));
    match identity
        .pass_second_factor(&user, &f.code, &ip, crate::audit::Kind::StepUp)
        .await
    {
        Ok(()) => Ok(web::after_form(lang, &next)),
        Err(MfaError::WrongCode) => {
            let body = CodeTemplate {
                t: Tr(lang),
                csrf_token: &user.csrf_token,
                error: Some(Tr(lang).get("mfa-wrong-code")),
                next: Some(&next),
                then: None,
            }
            .render();
            Ok(page(
                lang,
                &user,
                StatusCode::UNAUTHORIZED,
                "mfa-step-up-title",
                body,
            ))
        }
        Err(MfaError::TooManyAttempts) => {
            let mut response = Redirect::to("/login?mfa=bloque").into_response();
            let clear = web::cookie::clear(SESSION_COOKIE, identity.config.secure_cookies);
            response.headers_mut().append(header::SET_COOKIE, clear);
            Ok(response)
        }
        Err(MfaError::Db(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "mfa_enrol.html")]
struct EnrolTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    secret: &'a str,
    qr: &'a str,
    required: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "mfa_done.html")]
struct DoneTemplate {
    t: Tr,
    enrolled: bool,
    codes: Vec<String>,
}

async fn enrol_page(
    identity: &Identity,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<String>,
) -> WebResult<Response> {
    let Some(secret) = identity.enrolment_secret(user).await? else {
        let body = DoneTemplate {
            t: Tr(lang),
            enrolled: true,
            codes: vec![],
        }
        .render();
        return Ok(page(lang, user, StatusCode::OK, "mfa-enrol-title", body));
    };
    let qr = totp::qr_svg(&totp::otpauth_uri(&secret, &user.login)).unwrap_or_default();
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let body = EnrolTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        secret: &grouped.join(" "),
        qr: &qr,
        required: user.second_factor_pending,
        error,
    }
    .render();
    Ok(page(lang, user, status, "mfa-enrol-title", body))
}

async fn enrol_form(State(identity): State<Identity>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    enrol_page(&identity, lang, &user, StatusCode::OK, None).await
}

async fn enrol(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    match identity.confirm_enrolment(&user, &f.code, &ip).await {
        Ok(codes) => {
            let body = DoneTemplate {
                t: Tr(lang),
                enrolled: false,
                codes,
            }
            .render();
            Ok(page(lang, &user, StatusCode::OK, "mfa-enrol-title", body))
        }
        Err(AppError::BadRequest(msg)) => {
            enrol_page(
                &identity,
                lang,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg.render(lang)),
            )
            .await
        }
        Err(e) => Err(e),
    }
}
