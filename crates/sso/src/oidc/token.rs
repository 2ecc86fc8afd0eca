//! The token endpoint (authorization code with PKCE, refresh token with rotation), userinfo, revocation
//! (RFC 7009) and introspection (RFC 7662).
//!
//! Access tokens are RS256 JWTs (the Skolengo apps decode them), valid [`ACCESS_SECS`]; each names its
//! grant in `jti`, so revoking the grant ends them at once for userinfo and introspection. Refresh
//! tokens are random, stored hashed, replaced at each use and valid [`REFRESH_DAYS`] after it; presenting
//! a replaced one again revokes the whole grant (a stolen token is being used). Replaying an
//! authorization code also revokes what its first use gave.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kernel::Profile;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use web::AppError;

use super::form;
use super::store::{self, Grant};
use crate::{ClientAuth, OidcClient, Service, Sso};

pub const ACCESS_SECS: i64 = 3600;
pub const REFRESH_DAYS: i64 = 30;
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/oidc/token", get(token).post(token))
        .route("/oidc/userinfo", get(userinfo).post(userinfo))
        .route("/oidc/revoke", post(revoke))
        .route("/oidc/introspect", post(introspect))
}

/// An OAuth error answer.
struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    basic: bool,
}

fn oauth(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: if error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        },
        error,
        description: description.into(),
        basic: false,
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response();
        if self.basic
            && let Ok(v) = header::HeaderValue::from_str("Basic realm=\"ardoise\"")
        {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        response
    }
}

impl From<AppError> for OAuthError {
    fn from(e: AppError) -> Self {
        tracing::error!(error = %e, "token endpoint");
        OAuthError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: "server_error",
            description: "erreur interne".into(),
            basic: false,
        }
    }
}

impl From<db::Error> for OAuthError {
    fn from(e: db::Error) -> Self {
        AppError::from(e).into()
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    web::csrf::constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// Whether `secret` is the client's (given in clear in the configuration, or as a keyed hash).
fn secret_matches(sso: &Sso, auth: &ClientAuth, secret: &str) -> bool {
    match auth {
        ClientAuth::Secret(expected) => constant_time_eq(expected, secret),
        ClientAuth::SecretHash(hash) => constant_time_eq(hash, &crate::registry::secret_hash(sso, secret)),
        _ => false,
    }
}

/// Who is calling: the client, authenticated the way it is registered.
async fn authenticate(
    sso: &Sso,
    headers: &HeaderMap,
    p: &HashMap<String, String>,
) -> Result<(Service, OidcClient), OAuthError> {
    let basic = form::basic_credentials(headers);
    let unknown = |basic: bool| OAuthError {
        basic,
        ..oauth("invalid_client", "client inconnu ou mal authentifié")
    };
    if let Some((id, secret)) = &basic {
        let (service, client) = sso.client(id).ok_or(unknown(true))?;
        return match &client.auth {
            auth if secret_matches(sso, auth, secret) => Ok((service, client)),
            _ => Err(unknown(true)),
        };
    }
    if let Some(assertion) = p.get("client_assertion") {
        if p.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
            return Err(oauth(
                "invalid_client",
                "client_assertion_type non pris en charge",
            ));
        }
        return client_assertion(sso, assertion, p.get("client_id")).await;
    }
    let id = p.get("client_id").ok_or(unknown(false))?;
    let (service, client) = sso.client(id).ok_or(unknown(false))?;
    match (&client.auth, p.get("client_secret")) {
        (auth, Some(secret)) if secret_matches(sso, auth, secret) => Ok((service, client)),
        (ClientAuth::Public, None) => Ok((service, client)),
        _ => Err(unknown(false)),
    }
}

/// `private_key_jwt`: a JWT from the client, signed with its registered key, for our token endpoint,
/// short-lived and used once.
async fn client_assertion(
    sso: &Sso,
    assertion: &str,
    claimed: Option<&String>,
) -> Result<(Service, OidcClient), OAuthError> {
    let bad = |why: &str| oauth("invalid_client", format!("client_assertion refusée : {why}"));
    let parsed = crate::jwt::parse(assertion).map_err(|_| bad("JWT illisible ou algorithme refusé"))?;
    let iss = parsed.str_claim("iss").ok_or(bad("iss manquant"))?;
    if parsed.str_claim("sub") != Some(iss) || claimed.is_some_and(|c| c != iss) {
        return Err(bad("iss, sub et client_id diffèrent"));
    }
    let (service, client) = sso.client(iss).ok_or(bad("client inconnu"))?;
    let ClientAuth::PrivateKeyJwt(keys) = &client.auth else {
        return Err(bad("ce client ne s'authentifie pas par clé"));
    };
    parsed
        .verify(&keys.iter().collect::<Vec<_>>())
        .map_err(|_| bad("signature"))?;
    let token_endpoint = sso.endpoint("/oidc/token");
    if !parsed.audience_has(&token_endpoint) && !parsed.audience_has(sso.issuer()) {
        return Err(bad("aud ne désigne pas Ardoise"));
    }
    let now = sso.identity.now().millis() / 1000;
    let exp = parsed.int_claim("exp").ok_or(bad("exp manquant"))?;
    // An hour at most (authlib and others default to one), kept in the replay cache until then.
    if exp <= now - 30 || exp > now + 3660 {
        return Err(bad("expirée ou trop longue"));
    }
    let jti = parsed.str_claim("jti").ok_or(bad("jti manquant"))?;
    if !store::first_use_of_assertion(&sso.db, &format!("{iss}:{jti}"), exp + 60).await? {
        return Err(bad("déjà utilisée"));
    }
    Ok((service, client))
}

async fn token(
    State(sso): State<Sso>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let p = form::params(&headers, uri.query(), &body);
    let (service, client) = authenticate(&sso, &headers, &p).await?;
    let body = match p.get("grant_type").map(String::as_str) {
        Some("authorization_code") => code_grant(&sso, &service, &client, &p).await?,
        Some("refresh_token") => refresh_grant(&sso, &service, &client, &p).await?,
        Some(other) => {
            return Err(oauth(
                "unsupported_grant_type",
                format!("grant_type {other} non pris en charge"),
            ));
        }
        None => return Err(oauth("invalid_request", "grant_type manquant")),
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
        axum::Json(body),
    )
        .into_response())
}

fn pkce_ok(challenge: &str, method: &str, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !well_formed {
        return false;
    }
    let computed = match method {
        "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        _ => verifier.to_string(),
    };
    constant_time_eq(&computed, challenge)
}

async fn code_grant(
    sso: &Sso,
    service: &Service,
    client: &OidcClient,
    p: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let code = p.get("code").ok_or(oauth("invalid_request", "code manquant"))?;
    let now = sso.identity.now();
    let hash = identity::token_hash(code);
    let code = match store::consume_code(&sso.db, &hash, now).await? {
        Ok(c) => c,
        Err(replayed) => {
            if let Some(grant) = replayed.and_then(|c| c.grant_id) {
                store::revoke_grant(&sso.db, grant, now).await?;
                tracing::warn!(client = %client.client_id, "authorization code replayed: its grant is revoked");
            }
            return Err(oauth("invalid_grant", "code inconnu ou déjà utilisé"));
        }
    };
    if code.client_id != client.client_id {
        return Err(oauth("invalid_grant", "code délivré à un autre client"));
    }
    if code.expires_at <= now.millis() {
        return Err(oauth("invalid_grant", "code expiré"));
    }
    if p.get("redirect_uri").is_some_and(|r| *r != code.redirect_uri) {
        return Err(oauth(
            "invalid_grant",
            "redirect_uri différente de celle de la demande",
        ));
    }
    match (&code.code_challenge, p.get("code_verifier")) {
        (Some(challenge), Some(verifier)) => {
            if !pkce_ok(
                challenge,
                code.code_challenge_method.as_deref().unwrap_or("plain"),
                verifier,
            ) {
                return Err(oauth("invalid_grant", "code_verifier incorrect (PKCE)"));
            }
        }
        (Some(_), None) => return Err(oauth("invalid_grant", "code_verifier manquant (PKCE)")),
        (None, Some(_)) => return Err(oauth("invalid_grant", "code_verifier sans code_challenge")),
        (None, None) => {}
    }
    let grant_id = Uuid::now_v7();
    let refresh = identity::random_token();
    store::insert_grant(
        &sso.db,
        store::NewGrant {
            id: grant_id,
            client_id: &client.client_id,
            user: code.user_id,
            scope: &code.scope,
            school: code.context_school,
            profile: code.context_profile.as_deref(),
            session_key: &code.session_key,
            auth_time: code.auth_time,
            refresh_hash: &identity::token_hash(&refresh),
            refresh_expires: now.plus_secs(REFRESH_DAYS * 86_400),
            now,
        },
    )
    .await?;
    store::set_code_grant(&sso.db, &hash, grant_id).await?;
    if client.backchannel_logout_uri.is_some() {
        crate::store::record_sso_session(
            &sso.db,
            crate::store::SsoSession {
                session_key: &code.session_key,
                service_id: &service.id,
                protocol: "oidc",
                session_index: &grant_id.to_string(),
                target: None,
                user: code.user_id,
                now,
            },
        )
        .await?;
    }
    let grant = store::grant(&sso.db, grant_id)
        .await?
        .ok_or(oauth("invalid_grant", "autorisation introuvable"))?;
    tokens(sso, service, &grant, code.nonce.as_deref(), refresh).await
}

async fn refresh_grant(
    sso: &Sso,
    service: &Service,
    client: &OidcClient,
    p: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let presented = p
        .get("refresh_token")
        .ok_or(oauth("invalid_request", "refresh_token manquant"))?;
    let now = sso.identity.now();
    let hash = identity::token_hash(presented);
    let Some(grant) = store::grant_by_refresh(&sso.db, &hash).await? else {
        if let Some(stolen) = store::grant_by_previous_refresh(&sso.db, &hash).await? {
            store::revoke_grant(&sso.db, stolen.id, now).await?;
            tracing::warn!(client = %stolen.client_id, grant = %stolen.id, "replaced refresh token presented again: grant revoked");
        }
        return Err(oauth(
            "invalid_grant",
            "refresh_token inconnu, remplacé ou révoqué",
        ));
    };
    if grant.client_id != client.client_id {
        return Err(oauth("invalid_grant", "refresh_token d'un autre client"));
    }
    if grant.revoked_at.is_some() || grant.refresh_expires_at.is_none_or(|e| e <= now.millis()) {
        return Err(oauth("invalid_grant", "refresh_token expiré ou révoqué"));
    }
    if let Some(wanted) = p.get("scope")
        && !super::scope_covers(&grant.scope, wanted)
    {
        return Err(oauth("invalid_scope", "scope plus large que celui accordé"));
    }
    let refresh = identity::random_token();
    let rotated = store::rotate_refresh(
        &sso.db,
        grant.id,
        &hash,
        &identity::token_hash(&refresh),
        now.plus_secs(REFRESH_DAYS * 86_400),
    )
    .await?;
    if !rotated {
        return Err(oauth("invalid_grant", "refresh_token déjà utilisé"));
    }
    tokens(sso, service, &grant, None, refresh).await
}

/// The Skolengo apps' `profile` claim (skolengojs accepts STUDENT and PARENT).
fn app_profile(p: Profile) -> &'static str {
    match p {
        Profile::Student => "STUDENT",
        Profile::Guardian => "PARENT",
        Profile::Teacher => "TEACHER",
        Profile::Guest => "GUEST",
        _ => "STAFF",
    }
}

/// What the directory says about the grant's person, as claims, filtered by the service's release list
/// (and `email` by the scope).
async fn person_claims(
    sso: &Sso,
    service: &Service,
    grant: &Grant,
) -> Result<Map<String, Value>, OAuthError> {
    let person = sso
        .released(
            grant.user_id,
            grant.context_school,
            grant.context_profile.as_deref(),
        )
        .await?
        .ok_or(oauth("invalid_grant", "compte supprimé"))?;
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(grant.user_id.to_string()));
    let mut put = |name: &str, value: Option<String>| {
        if let Some(v) = value
            && service.releases(name)
        {
            claims.insert(name.into(), json!(v));
        }
    };
    put(
        "name",
        Some(format!("{} {}", person.first_name, person.last_name)),
    );
    put("given_name", Some(person.first_name.clone()));
    put("family_name", Some(person.last_name.clone()));
    put("preferred_username", Some(person.login.clone()));
    if grant.scope.split(' ').any(|s| s == "email") {
        put("email", person.email.clone());
    }
    put("profile", person.profile.map(|p| app_profile(p).to_string()));
    put(
        "ENTPersonProfils",
        person.profile.map(|p| p.national().to_string()),
    );
    put("ENTPersonJointure", person.jointure.clone());
    put("UAI", person.uai.clone());
    Ok(claims)
}

async fn tokens(
    sso: &Sso,
    service: &Service,
    grant: &Grant,
    nonce: Option<&str>,
    refresh: String,
) -> Result<Value, OAuthError> {
    let keys = sso.keys().await?;
    let now = sso.identity.now();
    let key = keys
        .signing(now)
        .ok_or(OAuthError::from(AppError::Internal("no signing key".into())))?;
    let iat = now.millis() / 1000;
    let person = person_claims(sso, service, grant).await?;
    let sid = crate::logout::sid(sso, &grant.session_key);
    let mut jti = [0u8; 12];
    rand::fill(&mut jti);
    let mut access = person.clone();
    for (k, v) in [
        ("iss", json!(sso.issuer())),
        ("aud", json!(grant.client_id)),
        ("client_id", json!(grant.client_id)),
        ("iat", json!(iat)),
        ("exp", json!(iat + ACCESS_SECS)),
        (
            "jti",
            json!(format!("{}.{}", grant.id, URL_SAFE_NO_PAD.encode(jti))),
        ),
        ("scope", json!(grant.scope)),
        ("sid", json!(sid)),
    ] {
        access.insert(k.into(), v);
    }
    let access_token = crate::jwt::sign(&key.private, &key.kid, "at+jwt", &Value::Object(access));
    let mut id = person;
    for (k, v) in [
        ("iss", json!(sso.issuer())),
        ("aud", json!(grant.client_id)),
        ("iat", json!(iat)),
        ("exp", json!(iat + ACCESS_SECS)),
        ("auth_time", json!(grant.auth_time / 1000)),
        ("sid", json!(sid)),
        ("at_hash", json!(crate::jwt::half_hash(&access_token))),
    ] {
        id.insert(k.into(), v);
    }
    if let Some(n) = nonce {
        id.insert("nonce".into(), json!(n));
    }
    let id_token = crate::jwt::sign(&key.private, &key.kid, "JWT", &Value::Object(id));
    Ok(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_SECS,
        "refresh_token": refresh,
        "id_token": id_token,
        "scope": grant.scope,
    }))
}

/// The grant behind a live access token of ours: signed by us, unexpired, grant not revoked.
async fn live_access_token(sso: &Sso, token: &str) -> Result<Option<Grant>, OAuthError> {
    let Ok(parsed) = crate::jwt::parse(token) else {
        return Ok(None);
    };
    let keys = sso.keys().await?;
    let by_kid: Vec<_> = match parsed.kid.as_deref().and_then(|k| keys.find(k)) {
        Some(k) => vec![&k.public],
        None => keys.public_keys(),
    };
    if parsed.verify(&by_kid).is_err() || parsed.str_claim("iss") != Some(sso.issuer()) {
        return Ok(None);
    }
    let now = sso.identity.now().millis() / 1000;
    if parsed.int_claim("exp").is_none_or(|e| e <= now) {
        return Ok(None);
    }
    let Some(grant_id) = parsed
        .str_claim("jti")
        .and_then(|j| j.split('.').next())
        .and_then(|g| Uuid::parse_str(g).ok())
    else {
        return Ok(None);
    };
    Ok(store::grant(&sso.db, grant_id)
        .await?
        .filter(|g| g.revoked_at.is_none()))
}

async fn userinfo(
    State(sso): State<Sso>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let token =
        form::bearer(&headers).or_else(|| form::params(&headers, uri.query(), &body).remove("access_token"));
    let grant = match token {
        Some(t) => live_access_token(&sso, &t).await?,
        None => None,
    };
    let Some(grant) = grant else {
        let mut response = (
            StatusCode::UNAUTHORIZED,
            axum::Json(
                json!({"error": "invalid_token", "error_description": "jeton absent, expiré ou révoqué"}),
            ),
        )
            .into_response();
        if let Ok(v) = header::HeaderValue::from_str("Bearer error=\"invalid_token\"") {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        return Ok(response);
    };
    let Some((service, _)) = sso.client(&grant.client_id) else {
        return Err(oauth("invalid_token", "client retiré"));
    };
    let claims = person_claims(&sso, &service, &grant).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(Value::Object(claims)),
    )
        .into_response())
}

/// The grant a token (access or refresh) belongs to, if it is `client`'s.
async fn grant_of(sso: &Sso, client: &OidcClient, token: &str) -> Result<Option<(Grant, bool)>, OAuthError> {
    if let Some(g) = live_access_token(sso, token).await? {
        return Ok((g.client_id == client.client_id).then_some((g, true)));
    }
    Ok(store::grant_by_refresh(&sso.db, &identity::token_hash(token))
        .await?
        .filter(|g| g.client_id == client.client_id)
        .map(|g| (g, false)))
}

/// RFC 7009: revoking either token ends the grant (and so both). Unknown tokens get 200 too.
async fn revoke(State(sso): State<Sso>, headers: HeaderMap, body: Bytes) -> Result<Response, OAuthError> {
    let p = form::params(&headers, None, &body);
    let (_, client) = authenticate(&sso, &headers, &p).await?;
    let token = p.get("token").ok_or(oauth("invalid_request", "token manquant"))?;
    if let Some((grant, _)) = grant_of(&sso, &client, token).await? {
        store::revoke_grant(&sso.db, grant.id, sso.identity.now()).await?;
    }
    Ok(StatusCode::OK.into_response())
}

/// RFC 7662, for the token's own client (others learn only `active: false`).
async fn introspect(State(sso): State<Sso>, headers: HeaderMap, body: Bytes) -> Result<Response, OAuthError> {
    let p = form::params(&headers, None, &body);
    let (_, client) = authenticate(&sso, &headers, &p).await?;
    if client.auth == ClientAuth::Public {
        return Err(oauth(
            "invalid_client",
            "l'introspection demande un client authentifié",
        ));
    }
    let token = p.get("token").ok_or(oauth("invalid_request", "token manquant"))?;
    let now = sso.identity.now();
    let body = match grant_of(&sso, &client, token).await? {
        Some((grant, is_access))
            if grant.revoked_at.is_none()
                && (is_access || grant.refresh_expires_at.is_some_and(|e| e > now.millis())) =>
        {
            json!({
                "active": true,
                "client_id": grant.client_id,
                "sub": grant.user_id.to_string(),
                "scope": grant.scope,
                "token_type": if is_access { "access_token" } else { "refresh_token" },
                "iss": sso.issuer(),
            })
        }
        _ => json!({"active": false}),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::pkce_ok;

    #[test]
    fn pkce_s256_and_plain() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_ok(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            verifier
        ));
        assert!(!pkce_ok(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            &verifier.replace('d', "e")
        ));
        assert!(pkce_ok(verifier, "plain", verifier));
        assert!(!pkce_ok("short", "plain", "short"));
    }
}
