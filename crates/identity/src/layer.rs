//! The session layer: turns the session cookie into a `CurrentUser` in the request's extensions.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use web::{AppError, SessionExpired};

use crate::SESSION_COOKIE;
use crate::service::{Identity, Resolved};

pub async fn session_layer(State(identity): State<Identity>, mut req: Request, next: Next) -> Response {
    let token = web::cookie::get(req.headers(), SESSION_COOKIE).map(str::to_string);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return next.run(req).await;
    };
    let stale = match identity.resolve(&token).await {
        Ok(Resolved::Valid(user)) => {
            if user.second_factor_pending && !open_before_second_factor(req.uri().path()) {
                return axum::response::Redirect::to("/login/mfa").into_response();
            }
            req.extensions_mut().insert(*user);
            false
        }
        Ok(Resolved::Expired) => {
            req.extensions_mut().insert(SessionExpired);
            true
        }
        Ok(Resolved::Unknown) => true,
        Err(e) => return AppError::internal(e).into_response(),
    };
    let mut response = next.run(req).await;
    if stale {
        let clear = web::cookie::clear(SESSION_COOKIE, identity.config.secure_cookies);
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    response
}

/// What a session that passed the password but not yet the second factor may reach.
fn open_before_second_factor(path: &str) -> bool {
    matches!(
        path,
        "/login/mfa" | "/compte/mfa" | "/logout" | "/login" | "/healthz" | "/readyz"
    ) || path.starts_with("/static/")
        || path.starts_with("/langue/")
}
