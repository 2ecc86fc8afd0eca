//! One error type for every handler, turned into a page (or JSON for apps) in the visitor's language.
//!
//! `AppError::into_response` only records what went wrong; the `render_error_pages` middleware, which sees
//! the request, renders it in the right language with the operation id a person can quote to support.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::i18n::{Lang, Tr, negotiate};

/// A translatable message: a Fluent key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg { key, args: vec![] }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        crate::i18n::text(lang, self.key, &args)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No session: pages redirect to the sign-in page, the API answers 401.
    #[error("authentication required")]
    Unauthenticated { expired: bool },
    #[error("forbidden")]
    Forbidden,
    /// Refused, with the reason to show (a federated sign-in no account matches…).
    #[error("refused: {0:?}")]
    Refused(Msg),
    /// A sensitive action needs a fresh proof of the second factor: pages send the person to
    /// `/compte/confirmer`, then back to `next`.
    #[error("second factor to confirm")]
    StepUp { next: String },
    #[error("not found")]
    NotFound,
    /// The form's CSRF token is missing, wrong or from another session.
    #[error("invalid CSRF token")]
    Csrf,
    #[error("bad request: {0:?}")]
    BadRequest(Msg),
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: i64, msg: Msg },
    #[error("unavailable")]
    Unavailable { retry_after_secs: i64 },
    /// Anything else: logged in full, shown as a plain error with the operation id.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::StepUp { .. } | AppError::Refused(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> Msg {
        match self {
            AppError::Unauthenticated { .. } => Msg::new("error-unauthenticated"),
            AppError::Forbidden => Msg::new("error-forbidden"),
            AppError::StepUp { .. } => Msg::new("error-step-up"),
            AppError::NotFound => Msg::new("error-not-found"),
            AppError::Csrf => Msg::new("error-csrf"),
            AppError::BadRequest(m)
            | AppError::Conflict(m)
            | AppError::Refused(m)
            | AppError::TooManyRequests { msg: m, .. } => m.clone(),
            AppError::Unavailable { retry_after_secs } => {
                Msg::new("error-unavailable").arg("seconds", retry_after_secs)
            }
            AppError::Internal(_) => Msg::new("error-internal"),
        }
    }
}

impl From<db::Error> for AppError {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::Conflict(_) => AppError::Conflict(Msg::new("error-conflict")),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// What `render_error_pages` needs to render an error; carried in the response extensions.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: Msg,
    pub expired_session: bool,
    /// Where to return after confirming the second factor (see `AppError::StepUp`).
    pub step_up: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let page = ErrorPage {
            status: self.status(),
            message: self.message(),
            expired_session: matches!(self, AppError::Unauthenticated { expired: true }),
            step_up: match &self {
                AppError::StepUp { next } => Some(next.clone()),
                _ => None,
            },
        };
        let mut response = page.status.into_response();
        if let AppError::TooManyRequests { retry_after_secs, .. } | AppError::Unavailable { retry_after_secs } =
            self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(page);
        response
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    t: Tr,
    status: u16,
    message: &'a str,
    op_id: &'a str,
    css: &'a str,
}

fn wants_json(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.starts_with("application/vnd.api+json"))
}

/// Middleware: renders `ErrorPage`s left by handlers as HTML pages or JSON, in the request's language.
pub async fn render_error_pages(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = negotiate(&parts);
    let op_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let req = Request::from_parts(parts, body);
    let json = wants_json(&req);
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let is_get = req.method() == axum::http::Method::GET;
    let mut response = next.run(req).await;
    let Some(page) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let message = page.message.render(lang);
    if json {
        let body =
            serde_json::json!({ "error": page.status.as_u16(), "message": message, "operation": op_id });
        let mut out = (page.status, axum::Json(body)).into_response();
        copy_retry_after(&response, &mut out);
        return out;
    }
    if let Some(next) = &page.step_up {
        let target = format!("/compte/confirmer?next={}", url_encode(next));
        return Redirect::to(&target).into_response();
    }
    if page.status == StatusCode::UNAUTHORIZED {
        let mut target = String::from("/login");
        let mut sep = '?';
        if page.expired_session {
            target.push_str("?expired=1");
            sep = '&';
        }
        if is_get && path_and_query != "/" && !path_and_query.starts_with("/login") {
            target.push(sep);
            target.push_str("next=");
            target.push_str(&url_encode(&path_and_query));
        }
        return Redirect::to(&target).into_response();
    }
    let html = ErrorTemplate {
        t: Tr(lang),
        status: page.status.as_u16(),
        message: &message,
        op_id: &op_id,
        css: crate::assets::css_url(),
    };
    let body = askama::Template::render(&html).unwrap_or_else(|_| message.clone());
    let mut out = (page.status, Html(body)).into_response();
    copy_retry_after(&response, &mut out);
    out
}

fn copy_retry_after(from: &Response, to: &mut Response) {
    if let Some(v) = from.headers().get(header::RETRY_AFTER) {
        to.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
}

/// Percent-encodes everything but unreserved characters (for the `next` parameter).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
