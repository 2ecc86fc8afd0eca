//! Activation pages: the two-step first sign-in with a code, and the school administrator's letters page.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use kernel::{ClassId, Profile};
use web::{AppError, CurrentUser, Lang, Msg, Tr, WebResult};

use crate::SESSION_COOKIE;
use crate::onboarding::{ActivationError, ActivationForm, may_administer};
use crate::pages::{ClientIp, anonymous_page, minutes, pre_session_ok};
use crate::service::Identity;

pub fn routes() -> Router<Identity> {
    Router::new()
        .route("/activation", get(start).post(check))
        .route("/activation/valider", axum::routing::post(finish))
        .route("/etablissement/activation", get(letters_page).post(letters))
        .route(
            "/etablissement/activation/reinitialiser",
            axum::routing::post(reset),
        )
}

pub fn tiles() -> Vec<web::Tile> {
    let admin = |c: &kernel::Context| matches!(c.profile(), Some(Profile::Direction | Profile::AdminStaff));
    vec![
        web::Tile {
            id: "activation",
            name_key: "tile-activation",
            desc_key: "tile-activation-desc",
            href: "/etablissement/activation",
            visible: admin,
        },
        web::Tile {
            id: "journal",
            name_key: "tile-journal",
            desc_key: "tile-journal-desc",
            href: "/etablissement/journal",
            visible: admin,
        },
        web::Tile {
            id: "region-journal",
            name_key: "tile-journal",
            desc_key: "tile-region-journal-desc",
            href: "/region/journal",
            visible: |c| matches!(c, kernel::Context::RegionAdmin { .. }),
        },
    ]
}

#[derive(Template)]
#[template(path = "activation_start.html")]
struct StartTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    login: &'a str,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "activation_finish.html")]
struct FinishTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    login: &'a str,
    code: &'a str,
    name: &'a str,
    alias: &'a str,
    email: &'a str,
    phone: &'a str,
    field: &'a str,
    error: Option<String>,
}

async fn start(State(identity): State<Identity>, lang: Lang, headers: HeaderMap) -> Response {
    anonymous_page(
        &identity,
        lang,
        &headers,
        StatusCode::OK,
        "activation-title",
        |token| {
            StartTemplate {
                t: Tr(lang),
                csrf_token: token,
                login: "",
                error: None,
            }
            .render()
        },
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ActivationFields {
    csrf_token: String,
    login: String,
    code: String,
    password: String,
    confirm: String,
    alias: String,
    email: String,
    phone: String,
    charter: Option<String>,
}

fn start_error(
    identity: &Identity,
    lang: Lang,
    headers: &HeaderMap,
    login: &str,
    e: &ActivationError,
) -> Response {
    let (status, msg) = match e {
        ActivationError::Invalid => (StatusCode::UNAUTHORIZED, Msg::new("activation-invalid")),
        ActivationError::Expired => (StatusCode::GONE, Msg::new("activation-expired")),
        ActivationError::Throttled(s) => (
            StatusCode::TOO_MANY_REQUESTS,
            Msg::new("login-throttled").arg("minutes", minutes(*s)),
        ),
        ActivationError::Busy => (StatusCode::SERVICE_UNAVAILABLE, Msg::new("login-busy")),
        ActivationError::Field(_, m) => (StatusCode::UNPROCESSABLE_ENTITY, m.clone()),
        ActivationError::Db(err) => {
            tracing::error!(error = %err, "activation failed on the database");
            (StatusCode::INTERNAL_SERVER_ERROR, Msg::new("error-internal"))
        }
    };
    let error = Some(msg.render(lang));
    anonymous_page(identity, lang, headers, status, "activation-title", |token| {
        StartTemplate {
            t: Tr(lang),
            csrf_token: token,
            login,
            error,
        }
        .render()
    })
}

#[allow(clippy::too_many_arguments)]
fn finish_page(
    identity: &Identity,
    lang: Lang,
    headers: &HeaderMap,
    status: StatusCode,
    f: &ActivationFields,
    name: &str,
    field: &str,
    error: Option<String>,
) -> Response {
    anonymous_page(identity, lang, headers, status, "activation-title", |token| {
        FinishTemplate {
            t: Tr(lang),
            csrf_token: token,
            login: &f.login,
            code: &f.code,
            name,
            alias: &f.alias,
            email: &f.email,
            phone: &f.phone,
            field,
            error,
        }
        .render()
    })
}

async fn check(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(f): Form<ActivationFields>,
) -> Response {
    if !pre_session_ok(&identity, &headers, &f.csrf_token) {
        return start_error(
            &identity,
            lang,
            &headers,
            &f.login,
            &ActivationError::Field("csrf", Msg::new("error-csrf")),
        );
    }
    match identity.check_activation(&f.login, &f.code, &ip).await {
        Ok(person) => {
            let name = format!("{} {}", person.first_name, person.last_name);
            finish_page(&identity, lang, &headers, StatusCode::OK, &f, &name, "", None)
        }
        Err(e) => start_error(&identity, lang, &headers, &f.login, &e),
    }
}

async fn finish(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(f): Form<ActivationFields>,
) -> Response {
    if !pre_session_ok(&identity, &headers, &f.csrf_token) {
        return start_error(
            &identity,
            lang,
            &headers,
            &f.login,
            &ActivationError::Field("csrf", Msg::new("error-csrf")),
        );
    }
    let user_agent = crate::pages::user_agent(&headers);
    let form = ActivationForm {
        password: &f.password,
        confirm: &f.confirm,
        alias: &f.alias,
        email: &f.email,
        phone: &f.phone,
        charter: f.charter.is_some(),
    };
    match identity.activate(&f.login, &f.code, form, &ip, user_agent).await {
        Ok(token) => {
            let cookie = web::cookie::set(SESSION_COOKIE, &token, None, identity.config.secure_cookies);
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().append(header::SET_COOKIE, cookie);
            response
        }
        Err(ActivationError::Field(field, msg)) => {
            let person = identity
                .directory()
                .person_by_login(&f.login)
                .await
                .ok()
                .flatten();
            let name = person
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .unwrap_or_default();
            finish_page(
                &identity,
                lang,
                &headers,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                &name,
                field,
                Some(msg.render(lang)),
            )
        }
        Err(e) => start_error(&identity, lang, &headers, &f.login, &e),
    }
}

#[derive(Template)]
#[template(path = "activation_letters.html")]
struct LettersTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    classes: Vec<directory::store::ClassSummary>,
}

/// The page of activation letters and account resets: a sensitive place (it prints codes).
const LETTERS_PAGE: &str = "/etablissement/activation";

async fn letters_page(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
) -> WebResult<Html<String>> {
    let school = user
        .context
        .context
        .school()
        .filter(|_| may_administer(&user))
        .ok_or(AppError::Forbidden)?;
    identity.require_step_up(&user, LETTERS_PAGE).await?;
    let classes: Vec<_> = directory::store::classes_of_school(identity.db(), school)
        .await?
        .into_iter()
        .filter(|c| c.kind == "classe")
        .collect();
    let body = LettersTemplate {
        t: Tr(lang),
        csrf_token: &user.csrf_token,
        classes,
    };
    web::user_page(lang, &user, "tile-activation", &body)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LettersForm {
    csrf_token: String,
    class: String,
    format: String,
    guardians: Option<String>,
}

async fn letters(
    State(identity): State<Identity>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<LettersForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    identity.require_step_up(&user, LETTERS_PAGE).await?;
    let class: ClassId = f
        .class
        .parse()
        .map_err(|_| AppError::BadRequest(Msg::new("activation-class-missing")))?;
    let batch = identity
        .issue_class_codes(&user, class, f.guardians.is_some(), &ip)
        .await?;
    let stem: String = batch
        .class
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let (body, content_type, ext) = match f.format.as_str() {
        "csv" => (batch.csv().into_bytes(), "text/csv; charset=utf-8", "csv"),
        _ => (batch.pdf(), "application/pdf", "pdf"),
    };
    let disposition = format!("attachment; filename=\"activation-{stem}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    csrf_token: String,
    login: String,
}

/// Resets one account and returns its new activation letter as a PDF.
async fn reset(
    State(identity): State<Identity>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<ResetForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    identity.require_step_up(&user, LETTERS_PAGE).await?;
    let batch = identity.reset_account(&user, &f.login, &ip).await?;
    let disposition = "attachment; filename=\"reinitialisation.pdf\"".to_string();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        batch.pdf(),
    )
        .into_response())
}
