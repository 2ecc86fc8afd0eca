//! Sign-in, sign-out, context switch and language choice.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kernel::Context;
use web::csrf::PRE_SESSION_COOKIE;
use web::{AppError, CurrentUser, Lang, Msg, Tr};

use crate::SESSION_COOKIE;
use crate::service::{Identity, SignInError, random_token};

pub fn routes() -> Router<Identity> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/contexte", post(switch_context))
        .route("/langue/{code}", get(choose_language))
        .merge(crate::activation_pages::routes())
        .merge(crate::account_pages::routes())
        .merge(crate::mfa::routes())
        .merge(crate::recovery::routes())
        .merge(crate::journal_pages::routes())
        .merge(wicket_routes())
}

#[cfg(feature = "saml")]
fn wicket_routes() -> Router<Identity> {
    crate::wickets::routes()
}

#[cfg(not(feature = "saml"))]
fn wicket_routes() -> Router<Identity> {
    Router::new()
}

/// The wickets on the sign-in page, by audience: (heading key, [(id, name)]).
#[cfg(feature = "saml")]
fn wicket_groups(identity: &Identity) -> Vec<(&'static str, Vec<(String, String)>)> {
    use crate::wickets::Audience;
    let choices = identity.wicket_choices();
    [
        (Audience::StudentsParents, "wickets-students-parents"),
        (Audience::Staff, "wickets-staff"),
        (Audience::Other, "wickets-other"),
    ]
    .into_iter()
    .map(|(audience, key)| {
        let items = choices
            .iter()
            .filter(|c| c.2 == audience)
            .map(|c| (c.0.clone(), c.1.clone()))
            .collect::<Vec<_>>();
        (key, items)
    })
    .filter(|(_, items)| !items.is_empty())
    .collect()
}

#[cfg(not(feature = "saml"))]
fn wicket_groups(_: &Identity) -> Vec<(&'static str, Vec<(String, String)>)> {
    vec![]
}

#[derive(serde::Deserialize, Default)]
struct LoginQuery {
    expired: Option<String>,
    bye: Option<String>,
    reinit: Option<String>,
    next: Option<String>,
    /// A connected service asks for the credentials again (CAS `renew`, OIDC `prompt=login`): the form
    /// shows even to a signed-in person.
    renew: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate<'a> {
    t: Tr,
    csrf_token: &'a str,
    username: &'a str,
    next: &'a str,
    error: Option<String>,
    notice: Option<String>,
    demo_hint: bool,
    wickets: Vec<(&'static str, Vec<(String, String)>)>,
}

/// Only local paths are accepted as a place to return to after sign-in (no open redirect).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/login") =>
        {
            n.into()
        }
        _ => "/".into(),
    }
}

pub(crate) struct LoginPage<'a> {
    identity: &'a Identity,
    lang: Lang,
    headers: &'a HeaderMap,
}

impl LoginPage<'_> {
    /// Renders the form with `status`, binding its CSRF token to the pre-session cookie (set if missing).
    fn render(
        &self,
        status: StatusCode,
        username: &str,
        next: &str,
        error: Option<String>,
        notice: Option<String>,
    ) -> Response {
        let identity = self.identity;
        anonymous_page(
            identity,
            self.lang,
            self.headers,
            status,
            "login-title",
            |token| {
                LoginTemplate {
                    t: Tr(self.lang),
                    csrf_token: token,
                    username,
                    next,
                    error,
                    notice,
                    demo_hint: identity.config.demo_hint,
                    wickets: wicket_groups(identity),
                }
                .render()
            },
        )
    }
}

/// Renders a page shown before sign-in whose form carries a CSRF token bound to the pre-session
/// cookie, setting that cookie when the visitor has none yet.
pub(crate) fn anonymous_page(
    identity: &Identity,
    lang: Lang,
    headers: &HeaderMap,
    status: StatusCode,
    title_key: &str,
    body: impl FnOnce(&str) -> askama::Result<String>,
) -> Response {
    let existing = web::cookie::get(headers, PRE_SESSION_COOKIE)
        .filter(|v| v.len() >= 32)
        .map(str::to_string);
    let binding = existing.clone().unwrap_or_else(random_token);
    let body = match body(&identity.csrf().token(&binding)) {
        Ok(b) => b,
        Err(e) => return AppError::internal(e).into_response(),
    };
    let page = match web::page(&web::Chrome { lang, user: None }, &Tr(lang).get(title_key), &body) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut response = (status, page).into_response();
    if existing.is_none() {
        let cookie = web::cookie::set(PRE_SESSION_COOKIE, &binding, None, identity.config.secure_cookies);
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Whether an anonymous form's token matches the visitor's pre-session cookie.
pub(crate) fn pre_session_ok(identity: &Identity, headers: &HeaderMap, token: &str) -> bool {
    let binding = web::cookie::get(headers, PRE_SESSION_COOKIE).unwrap_or("");
    identity.csrf().verify(binding, token)
}

async fn login_form(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    user: Option<CurrentUser>,
    Query(q): Query<LoginQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if user.is_some() && q.renew.is_none() {
        return Redirect::to(&next).into_response();
    }
    let notice = if q.renew.is_some() {
        Some(Tr(lang).get("login-renew"))
    } else if q.expired.is_some() {
        Some(Tr(lang).get("login-expired"))
    } else if q.bye.is_some() {
        Some(Tr(lang).get("login-signed-out"))
    } else if q.reinit.is_some() {
        Some(Tr(lang).get("recovery-done"))
    } else {
        None
    };
    LoginPage {
        identity: &identity,
        lang,
        headers: &headers,
    }
    .render(StatusCode::OK, "", &next, None, notice)
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    next: Option<String>,
}

/// The client's address: the TCP peer, or the last X-Forwarded-For hop behind a trusted proxy.
/// An extractor, so every handler that throttles or audits reads it the same way.
pub struct ClientIp(pub String);

impl<S> axum::extract::FromRequestParts<S> for ClientIp
where
    Identity: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let identity = <Identity as axum::extract::FromRef<S>>::from_ref(state);
        if identity.config.trust_proxy
            && let Some(hop) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|h| !h.is_empty())
        {
            return Ok(ClientIp(hop.to_string()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientIp(peer.unwrap_or_else(|| "unknown".into())))
    }
}

async fn login(
    State(identity): State<Identity>,
    lang: Lang,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let page = LoginPage {
        identity: &identity,
        lang,
        headers: &headers,
    };
    let next = safe_next(form.next.as_deref());
    let t = Tr(lang);
    if !pre_session_ok(&identity, &headers, &form.csrf_token) {
        return page.render(
            StatusCode::FORBIDDEN,
            &form.username,
            &next,
            Some(t.get("error-csrf")),
            None,
        );
    }
    if form.username.trim().is_empty() || form.password.is_empty() {
        return page.render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.username,
            &next,
            Some(t.get("login-missing")),
            None,
        );
    }
    let user_agent = user_agent(&headers);
    match identity
        .sign_in(&form.username, &form.password, &ip, user_agent)
        .await
    {
        Ok(signed_in) => {
            let target = match signed_in.second_factor {
                crate::mfa::MfaNeed::None => next,
                // The code step, then on to where the person was going.
                crate::mfa::MfaNeed::Code if next != "/" => {
                    format!("/login/mfa?then={}", web::url_encode(&next))
                }
                crate::mfa::MfaNeed::Code => "/login/mfa".to_string(),
                crate::mfa::MfaNeed::Enrol => "/compte/mfa".to_string(),
            };
            session_opened(&identity, lang, &headers, &ip, &signed_in, &target).await
        }
        Err(e) => {
            let (status, msg, retry) = match e {
                SignInError::BadCredentials => {
                    (StatusCode::UNAUTHORIZED, Msg::new("login-bad-credentials"), None)
                }
                SignInError::AccountLocked(s) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    Msg::new("login-locked").arg("minutes", minutes(s)),
                    Some(s),
                ),
                SignInError::AddressThrottled(s) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    Msg::new("login-throttled").arg("minutes", minutes(s)),
                    Some(s),
                ),
                SignInError::NoContext => (StatusCode::FORBIDDEN, Msg::new("login-no-context"), None),
                SignInError::Busy => (StatusCode::SERVICE_UNAVAILABLE, Msg::new("login-busy"), Some(5)),
                SignInError::Db(e) => {
                    tracing::error!(error = %e, "sign-in failed on the database");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        Msg::new("error-internal"),
                        None,
                    )
                }
            };
            let mut response = page.render(status, &form.username, &next, Some(msg.render(lang)), None);
            if let Some(secs) = retry
                && let Ok(v) = secs.to_string().parse()
            {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
    }
}

/// The answer to a successful sign-in (password or federated): the session cookie, the device cookie
/// (after recording the device, which warns the person when it is new), and a redirect to `target`.
pub(crate) async fn session_opened(
    identity: &Identity,
    lang: Lang,
    headers: &HeaderMap,
    ip: &str,
    signed_in: &crate::SignedIn,
    target: &str,
) -> Response {
    let user_agent = user_agent(headers);
    let device = web::cookie::get(headers, crate::recovery::DEVICE_COOKIE);
    let device = match identity.note_device(signed_in.user, device, ip, user_agent).await {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(error = ?e, "device not recorded");
            None
        }
    };
    let secure = identity.config.secure_cookies;
    let mut response = web::after_form(lang, target);
    let cookie = web::cookie::set(SESSION_COOKIE, &signed_in.token, None, secure);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    if let Some(device) = device {
        let cookie = web::cookie::set(
            crate::recovery::DEVICE_COOKIE,
            &device,
            Some(400 * 24 * 3600),
            secure,
        );
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The browser's User-Agent, empty when absent or unreadable.
pub(crate) fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

pub(crate) fn minutes(secs: i64) -> i64 {
    ((secs + 59) / 60).max(1)
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(identity): State<Identity>,
    lang: web::Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    identity.sign_out_to(&user, &ip, "/login?bye=1", lang).await
}

impl Identity {
    /// Signs `user` out (and, through the listeners, out of the connected services), clears the session
    /// cookie and sends the browser to `to` — through the services to sign out in the browser first (SAML
    /// single logout), with a page that moves on by itself (the sign-out may come from a form).
    pub async fn sign_out_to(
        &self,
        user: &CurrentUser,
        ip: &str,
        to: &str,
        lang: web::Lang,
    ) -> Result<Response, AppError> {
        self.sign_out(user, ip).await?;
        let next = self.after_sign_out(&user.session_key, to);
        let mut response = if next == to {
            Redirect::to(to).into_response()
        } else {
            web::after_form(lang, &next)
        };
        let clear = web::cookie::clear(SESSION_COOKIE, self.config.secure_cookies);
        response.headers_mut().append(header::SET_COOKIE, clear);
        Ok(response)
    }
}

#[derive(serde::Deserialize)]
struct SwitchForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    context: String,
}

async fn switch_context(
    State(identity): State<Identity>,
    user: CurrentUser,
    Form(form): Form<SwitchForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(&form.csrf_token)?;
    let wanted =
        Context::from_token(&form.context).ok_or(AppError::BadRequest(Msg::new("context-invalid")))?;
    if !identity.switch_context(&user, wanted).await? {
        return Err(AppError::Forbidden);
    }
    Ok(Redirect::to("/"))
}

/// Sets the language cookie and returns to the page the visitor came from (its path only).
async fn choose_language(
    State(identity): State<Identity>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let back = safe_next(Some(back));
    let back = if back == "/"
        && headers
            .get(header::REFERER)
            .is_some_and(|r| r.to_str().is_ok_and(|r| r.contains("/login")))
    {
        "/login".to_string()
    } else {
        back
    };
    let mut response = Redirect::to(&back).into_response();
    let cookie = web::cookie::set(
        web::i18n::LANG_COOKIE,
        lang.code(),
        Some(365 * 24 * 3600),
        identity.config.secure_cookies,
    );
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/annuaire?page=2")), "/annuaire?page=2");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "/login?next=/x",
            "annuaire",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
