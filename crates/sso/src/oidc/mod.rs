//! OpenID Connect provider: discovery, JWKS, the authorization endpoint with its consent screen, and
//! RP-initiated logout. Tokens, userinfo, revocation and introspection are in [`token`].
//!
//! Only the authorization code flow exists (no implicit, no password grant). Redirect URIs are matched
//! as registered; an unknown client or a wrong redirect URI is shown to the person, never redirected to.
//! Public clients (mobile apps) must use PKCE; confidential ones may.

mod form;
pub mod store;
pub mod token;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use identity::ClientIp;
use serde_json::json;
use web::{AppError, CurrentUser, Lang, Msg, Tr, url_encode};

use crate::cas::{FRESH_LOGIN_SECS, to_login};
use crate::{ClientAuth, OidcClient, Service, Sso};

/// Authorization codes live one minute.
pub const CODE_SECS: i64 = 60;

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oidc/jwks", get(jwks))
        .route("/oidc/authorize", get(authorize).post(authorize_post))
        .route("/oidc/consent", axum::routing::post(consent))
        .route("/oidc/logout", get(logout))
        .merge(token::routes())
}

impl Sso {
    fn issuer(&self) -> &str {
        &self.config.public_url
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.config.public_url)
    }
}

async fn discovery(State(sso): State<Sso>) -> Response {
    let body = json!({
        "issuer": sso.issuer(),
        "authorization_endpoint": sso.endpoint("/oidc/authorize"),
        "token_endpoint": sso.endpoint("/oidc/token"),
        "userinfo_endpoint": sso.endpoint("/oidc/userinfo"),
        "jwks_uri": sso.endpoint("/oidc/jwks"),
        "revocation_endpoint": sso.endpoint("/oidc/revoke"),
        "introspection_endpoint": sso.endpoint("/oidc/introspect"),
        "end_session_endpoint": sso.endpoint("/oidc/logout"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "revocation_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "introspection_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": ["sub", "name", "given_name", "family_name", "preferred_username", "email",
            "profile", "ENTPersonProfils", "ENTPersonJointure", "UAI", "sid", "auth_time", "nonce"],
        "prompt_values_supported": ["none", "login", "consent"],
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "request_parameter_supported": false,
        "claims_parameter_supported": false,
    });
    (
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        axum::Json(body),
    )
        .into_response()
}

async fn jwks(State(sso): State<Sso>) -> Result<Response, AppError> {
    let keys = sso.keys().await?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=600")],
        axum::Json(keys.jwks()),
    )
        .into_response())
}

/// The authorization request's parameters (unknown ones, such as the Skolengo app's `schoolId`, are
/// ignored).
#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
#[serde(default)]
pub(crate) struct AuthRequest {
    client_id: String,
    redirect_uri: String,
    response_type: String,
    scope: String,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
    max_age: Option<i64>,
}

impl AuthRequest {
    fn query(&self) -> String {
        let mut pairs = vec![
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("response_type", self.response_type.as_str()),
            ("scope", self.scope.as_str()),
        ];
        for (name, value) in [
            ("state", &self.state),
            ("nonce", &self.nonce),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
        ] {
            if let Some(v) = value {
                pairs.push((name, v));
            }
        }
        let max_age = self.max_age.map(|m| m.to_string());
        if let Some(m) = &max_age {
            pairs.push(("max_age", m));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn prompts(&self, value: &str) -> bool {
        self.prompt
            .as_deref()
            .is_some_and(|p| p.split(' ').any(|x| x == value))
    }

    /// Where the person comes back after signing in: this request, without `prompt=login` (done).
    fn resume_url(&self) -> String {
        format!("/oidc/authorize?{}", self.query())
    }
}

/// Sends the browser back to the client with `params` (and `state`, `iss`).
fn back_to_client(req: &AuthRequest, issuer: &str, params: &[(&str, &str)]) -> Response {
    Redirect::to(&client_url(req, issuer, params)).into_response()
}

/// The client's redirect URI with `params` (and `state`, `iss`).
fn client_url(req: &AuthRequest, issuer: &str, params: &[(&str, &str)]) -> String {
    let mut url = req.redirect_uri.clone();
    url.push(if url.contains('?') { '&' } else { '?' });
    let mut pairs: Vec<(&str, &str)> = params.to_vec();
    if let Some(s) = &req.state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", issuer));
    url.push_str(
        &pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&"),
    );
    url
}

fn error_to_client(req: &AuthRequest, issuer: &str, error: &str, description: &str) -> Response {
    back_to_client(
        req,
        issuer,
        &[("error", error), ("error_description", description)],
    )
}

/// The client and redirect URI of a request, checked; errors are shown, not redirected.
fn checked_client(sso: &Sso, req: &mut AuthRequest) -> Result<(Service, OidcClient), AppError> {
    let Some((service, client)) = sso.client(&req.client_id) else {
        return Err(AppError::BadRequest(Msg::new("oidc-unknown-client")));
    };
    if req.redirect_uri.is_empty()
        && let [only] = service.urls.as_slice()
        && !only.ends_with('*')
    {
        req.redirect_uri = only.clone();
    }
    if !service.matches(&req.redirect_uri) {
        return Err(AppError::BadRequest(Msg::new("oidc-bad-redirect-uri")));
    }
    Ok((service, client))
}

fn scope_covers(granted: &str, wanted: &str) -> bool {
    wanted
        .split(' ')
        .filter(|s| !s.is_empty())
        .all(|w| granted.split(' ').any(|g| g == w))
}

async fn authorize(
    State(sso): State<Sso>,
    lang: Lang,
    user: Option<CurrentUser>,
    Query(req): Query<AuthRequest>,
) -> Result<Response, AppError> {
    authorize_inner(sso, lang, user, req).await
}

async fn authorize_post(
    State(sso): State<Sso>,
    lang: Lang,
    user: Option<CurrentUser>,
    axum::Form(req): axum::Form<AuthRequest>,
) -> Result<Response, AppError> {
    authorize_inner(sso, lang, user, req).await
}

async fn authorize_inner(
    sso: Sso,
    lang: Lang,
    user: Option<CurrentUser>,
    mut req: AuthRequest,
) -> Result<Response, AppError> {
    let (service, client) = checked_client(&sso, &mut req)?;
    let (service, client) = (&service, &client);
    let issuer = sso.issuer();
    if req.response_type != "code" {
        return Ok(error_to_client(
            &req,
            issuer,
            "unsupported_response_type",
            "seul « code » est pris en charge",
        ));
    }
    if !req.scope.split(' ').any(|s| s == "openid") {
        return Ok(error_to_client(
            &req,
            issuer,
            "invalid_scope",
            "le scope doit comprendre openid",
        ));
    }
    match (
        req.code_challenge.as_deref(),
        req.code_challenge_method.as_deref(),
    ) {
        (None, _) if client.auth == ClientAuth::Public => {
            return Ok(error_to_client(
                &req,
                issuer,
                "invalid_request",
                "PKCE (code_challenge) est obligatoire",
            ));
        }
        (Some(c), _) if c.len() < 43 || c.len() > 128 => {
            return Ok(error_to_client(
                &req,
                issuer,
                "invalid_request",
                "code_challenge invalide",
            ));
        }
        (_, Some(m)) if m != "S256" && m != "plain" => {
            return Ok(error_to_client(
                &req,
                issuer,
                "invalid_request",
                "code_challenge_method non pris en charge",
            ));
        }
        _ => {}
    }
    let Some(user) = user.filter(|u| !u.second_factor_pending) else {
        if req.prompts("none") {
            return Ok(error_to_client(&req, issuer, "login_required", "pas de session"));
        }
        return Ok(to_login(&req.resume_url(), false));
    };
    let now = sso.identity.now();
    let auth_time = user.signed_in_at;
    let fresh_enough = match (req.prompts("login"), req.max_age) {
        (true, _) => auth_time >= now.plus_secs(-FRESH_LOGIN_SECS).millis(),
        (false, Some(max)) => auth_time >= now.plus_secs(-max.max(0)).millis(),
        (false, None) => true,
    };
    if !fresh_enough {
        if req.prompts("none") {
            return Ok(error_to_client(
                &req,
                issuer,
                "login_required",
                "connexion trop ancienne",
            ));
        }
        let mut again = req.clone();
        again.prompt = None;
        again.max_age = None;
        return Ok(to_login(&again.resume_url(), true));
    }
    sso.check_access(service, &user).await?;
    let consented = client.pre_approved
        || store::consent(&sso.db, user.user_id.0, &client.client_id)
            .await?
            .is_some_and(|granted| scope_covers(&granted, &req.scope));
    if !consented || req.prompts("consent") {
        if req.prompts("none") {
            return Ok(error_to_client(
                &req,
                issuer,
                "consent_required",
                "accord de la personne requis",
            ));
        }
        return Ok(consent_page(lang, &user, service, &req)?.into_response());
    }
    issue_code(&sso, &user, client, &req, auth_time).await
}

async fn issue_code(
    sso: &Sso,
    user: &CurrentUser,
    client: &OidcClient,
    req: &AuthRequest,
    auth_time: i64,
) -> Result<Response, AppError> {
    let code = new_code(sso, user, client, req, auth_time).await?;
    Ok(back_to_client(req, sso.issuer(), &[("code", &code)]))
}

/// A fresh authorization code for this request.
async fn new_code(
    sso: &Sso,
    user: &CurrentUser,
    client: &OidcClient,
    req: &AuthRequest,
    auth_time: i64,
) -> Result<String, AppError> {
    let code = identity::random_token();
    let context = user.context.context;
    let now = sso.identity.now();
    store::insert_code(
        &sso.db,
        store::NewCode {
            code_hash: &identity::token_hash(&code),
            client_id: &client.client_id,
            user: user.user_id.0,
            redirect_uri: &req.redirect_uri,
            scope: &req.scope,
            nonce: req.nonce.as_deref(),
            code_challenge: req.code_challenge.as_deref(),
            code_challenge_method: req
                .code_challenge
                .as_ref()
                .map(|_| req.code_challenge_method.as_deref().unwrap_or("plain")),
            school: context.school().map(|s| s.0),
            profile: context.profile().map(|p| p.code()),
            session_key: &user.session_key,
            auth_time,
            expires: now.plus_secs(CODE_SECS),
        },
    )
    .await?;
    Ok(code)
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentTemplate {
    t: Tr,
    csrf_token: String,
    service: String,
    scopes: Vec<String>,
    request: String,
}

fn consent_page(
    lang: Lang,
    user: &CurrentUser,
    service: &Service,
    req: &AuthRequest,
) -> Result<Html<String>, AppError> {
    let t = Tr(lang);
    let mut scopes = vec![t.get("oidc-scope-openid")];
    for (scope, key) in [
        ("profile", "oidc-scope-profile"),
        ("email", "oidc-scope-email"),
        ("offline_access", "oidc-scope-offline"),
    ] {
        if req.scope.split(' ').any(|s| s == scope) {
            scopes.push(t.get(key));
        }
    }
    let body = ConsentTemplate {
        t,
        csrf_token: user.csrf_token.clone(),
        service: service.name.clone(),
        scopes,
        request: serde_json::to_string(req).unwrap_or_default(),
    };
    web::user_page(lang, user, "oidc-consent-title", &body)
}

#[derive(serde::Deserialize)]
struct ConsentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
}

/// The answer of the consent screen: agreed, the consent is kept and a code issued; refused, the
/// client hears `access_denied`.
async fn consent(
    State(sso): State<Sso>,
    lang: Lang,
    user: CurrentUser,
    axum::Form(form): axum::Form<ConsentForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    let mut req: AuthRequest = serde_json::from_str(&form.request)
        .map_err(|_| AppError::BadRequest(Msg::new("oidc-bad-request")))?;
    let (service, client) = checked_client(&sso, &mut req)?;
    sso.check_access(&service, &user).await?;
    if form.decision != "accept" {
        let refused = [
            ("error", "access_denied"),
            ("error_description", "la personne a refusé"),
        ];
        return Ok(web::after_form(lang, &client_url(&req, sso.issuer(), &refused)));
    }
    let now = sso.identity.now();
    store::save_consent(&sso.db, user.user_id.0, &client.client_id, &req.scope, now).await?;
    let code = new_code(&sso, &user, &client, &req, user.signed_in_at).await?;
    Ok(web::after_form(
        lang,
        &client_url(&req, sso.issuer(), &[("code", &code)]),
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LogoutQuery {
    id_token_hint: Option<String>,
    post_logout_redirect_uri: Option<String>,
    client_id: Option<String>,
    state: Option<String>,
}

/// RP-initiated logout. The browser goes back to `post_logout_redirect_uri` only when it is registered
/// for the client named by `id_token_hint` (signed by us) or `client_id`. The Ardoise session ends when
/// the hint proves the client knew this very session (`sid`); otherwise the person confirms on the
/// sign-out page, so that a link cannot sign anyone out.
async fn logout(
    State(sso): State<Sso>,
    lang: Lang,
    user: Option<CurrentUser>,
    ClientIp(ip): ClientIp,
    Query(q): Query<LogoutQuery>,
) -> Result<Response, AppError> {
    let keys = sso.keys().await?;
    let hint = q
        .id_token_hint
        .as_deref()
        .and_then(|t| crate::jwt::parse(t).ok())
        .filter(|p| p.verify(&keys.public_keys()).is_ok() && p.str_claim("iss") == Some(sso.issuer()));
    let client_id = hint
        .as_ref()
        .and_then(|h| h.str_claim("aud").map(str::to_string))
        .or(q.client_id.clone());
    let client = client_id.as_deref().and_then(|c| sso.client(c)).map(|(_, c)| c);
    let client = client.as_ref();
    let mut to = "/login?bye=1".to_string();
    if let (Some(client), Some(uri)) = (client, &q.post_logout_redirect_uri)
        && client.post_logout_redirect_uris.iter().any(|u| u == uri)
    {
        to = uri.clone();
        if let Some(state) = &q.state {
            to.push(if to.contains('?') { '&' } else { '?' });
            to.push_str(&format!("state={}", url_encode(state)));
        }
    }
    let Some(user) = user else {
        return Ok(Redirect::to(&to).into_response());
    };
    let same_session = hint
        .as_ref()
        .is_some_and(|h| h.str_claim("sid") == Some(&crate::logout::sid(&sso, &user.session_key)));
    if same_session {
        return sso.identity.sign_out_to(&user, &ip, &to, lang).await;
    }
    // No proof: the person decides.
    Ok(logout_confirm_page(
        lang,
        &user,
        client_id
            .as_deref()
            .and_then(|c| sso.client(c))
            .map(|(s, _)| s.name.clone()),
    )?
    .into_response())
}

#[derive(Template)]
#[template(path = "logout_confirm.html")]
struct LogoutConfirmTemplate {
    t: Tr,
    csrf_token: String,
    service: Option<String>,
}

fn logout_confirm_page(
    lang: Lang,
    user: &CurrentUser,
    service: Option<String>,
) -> Result<Html<String>, AppError> {
    let body = LogoutConfirmTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        service,
    };
    web::user_page(lang, user, "oidc-logout-title", &body)
}

#[cfg(test)]
mod tests {
    use super::scope_covers;

    #[test]
    fn a_consent_covers_the_scopes_it_lists_only() {
        assert!(scope_covers("openid profile email", "openid email"));
        assert!(!scope_covers("openid", "openid email"));
        assert!(scope_covers("openid", ""));
    }
}
