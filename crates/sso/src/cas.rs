//! CAS 3.0 server, per the Apereo CAS protocol specification: `/cas/login` (with `renew` and
//! `gateway`), `/cas/logout`, `/cas/validate` (CAS 1), `/cas/serviceValidate` and `/cas/proxyValidate`
//! (CAS 2), `/cas/p3/*` (CAS 3, with attributes), `format=JSON`, and `/cas/samlValidate` (SAML 1.1).
//!
//! A service ticket is random (192 bits), valid [`TICKET_SECS`], bound to the exact service URL it was
//! issued for, and spent by its first validation attempt, whatever the outcome.
//!
//! Proxying: a service registered with `proxy` that validates with a `pgtUrl` (one of its own URLs, in
//! https — or on the loopback, for development) gets a proxy-granting ticket through that callback; with
//! it, `/cas/proxy` issues proxy tickets (`PT-`) for other registered services, which only the
//! `proxyValidate` endpoints accept, naming the proxy chain. A PGT ends with the person's session.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use identity::ClientIp;
use kernel::Timestamp;
use serde_json::json;
use web::{AppError, CurrentUser, Msg, url_encode};

use crate::{Sso, store};

/// How long a service ticket may wait for its validation (the spec recommends no more than 5 minutes).
pub const TICKET_SECS: i64 = 60;
/// With `renew` (or OIDC `prompt=login`), how recent the sign-in must be.
pub const FRESH_LOGIN_SECS: i64 = 120;
/// A proxy-granting ticket lasts no longer than this (and ends with the session).
pub const PGT_SECS: i64 = 8 * 3600;

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/cas/login", get(login))
        .route("/cas/logout", get(logout))
        .route("/cas/validate", get(validate_v1))
        .route("/cas/serviceValidate", get(service_validate))
        .route("/cas/proxyValidate", get(proxy_validate))
        .route("/cas/p3/serviceValidate", get(service_validate))
        .route("/cas/p3/proxyValidate", get(proxy_validate))
        .route("/cas/proxy", get(proxy))
        .route("/cas/samlValidate", axum::routing::post(saml_validate))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    service: Option<String>,
    gateway: Option<String>,
    renew: Option<String>,
}

/// CAS flags are true when present with any value but "false".
fn flag(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| v != "false")
}

fn random_ticket(prefix: &str) -> String {
    let mut bytes = [0u8; 24];
    rand::fill(&mut bytes);
    format!("{prefix}-{}", URL_SAFE_NO_PAD.encode(bytes))
}

fn with_ticket(service: &str, ticket: &str) -> String {
    let sep = if service.contains('?') { '&' } else { '?' };
    format!("{service}{sep}ticket={}", url_encode(ticket))
}

/// The sign-in page, coming back to `next` afterwards; with `renew`, even for a signed-in person.
pub(crate) fn to_login(next: &str, renew: bool) -> Response {
    let renew = if renew { "&renew=1" } else { "" };
    Redirect::to(&format!("/login?next={}{renew}", url_encode(next))).into_response()
}

/// `/cas/login?service=…`: a signed-in person is sent back to the service with a fresh ticket; anyone
/// else signs in first (or, with `gateway`, goes back without one). With `renew`, a sign-in older than
/// [`FRESH_LOGIN_SECS`] does not count: the person types their password again.
async fn login(
    State(sso): State<Sso>,
    user: Option<CurrentUser>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let Some(service_url) = q.service.clone().filter(|s| !s.is_empty()) else {
        return Ok(Redirect::to("/").into_response());
    };
    let Some(service) = sso.service_for(&service_url) else {
        return Err(AppError::Refused(Msg::new("cas-unknown-service")));
    };
    let renew = flag(&q.renew);
    let next = format!(
        "/cas/login?service={}{}",
        url_encode(&service_url),
        if renew { "&renew=true" } else { "" }
    );
    let Some(user) = user.filter(|u| !u.second_factor_pending) else {
        // gateway and renew together: renew wins (the spec leaves it to the server).
        if flag(&q.gateway) && !renew {
            return Ok(Redirect::to(&service_url).into_response());
        }
        return Ok(to_login(&next, false));
    };
    let now = sso.identity.now();
    let auth_time = user.signed_in_at;
    let new_login = auth_time >= now.plus_secs(-FRESH_LOGIN_SECS).millis();
    if renew && !new_login {
        return Ok(to_login(&next, true));
    }
    sso.check_access(&service, &user).await?;
    let context = user.context.context;
    let ticket = random_ticket("ST");
    store::insert(
        &sso.db,
        store::NewTicket {
            ticket: &ticket,
            user: user.user_id.0,
            service: &service_url,
            school: context.school().map(|s| s.0),
            profile: context.profile().map(|p| p.code()),
            session_key: &user.session_key,
            auth_time,
            new_login,
            proxies: None,
            now,
            expires: now.plus_secs(TICKET_SECS),
        },
    )
    .await?;
    Ok(Redirect::to(&with_ticket(&service_url, &ticket)).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LogoutQuery {
    service: Option<String>,
}

/// `/cas/logout`: ends the Ardoise session (and, by single sign-out, every service's), then goes to
/// `service` when it is a registered one, else to the sign-in page.
async fn logout(
    State(sso): State<Sso>,
    lang: web::Lang,
    user: Option<CurrentUser>,
    ClientIp(ip): ClientIp,
    Query(q): Query<LogoutQuery>,
) -> Result<Response, AppError> {
    let to = q
        .service
        .filter(|s| sso.service_for(s).is_some())
        .unwrap_or_else(|| "/login?bye=1".to_string());
    match user {
        Some(user) => sso.identity.sign_out_to(&user, &ip, &to, lang).await,
        None => Ok(Redirect::to(&to).into_response()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ValidateQuery {
    service: String,
    ticket: String,
    renew: Option<String>,
    format: Option<String>,
    #[serde(rename = "pgtUrl")]
    pgt_url: Option<String>,
}

/// What a validation found: the person and what is released about them, or the CAS error code.
struct Valid {
    login: String,
    attributes: Vec<(&'static str, String)>,
    auth_time: i64,
    new_login: bool,
    /// The proxy chain of a proxy ticket, newest first.
    proxies: Vec<String>,
    /// The PGTIOU, when a proxy-granting ticket was delivered to the callback.
    pgt_iou: Option<String>,
    ticket: store::Ticket,
}

type Outcome = Result<Valid, (&'static str, String)>;

async fn check(
    sso: &Sso,
    service_url: &str,
    ticket_id: &str,
    renew: bool,
    accept_proxy_tickets: bool,
) -> Result<Outcome, AppError> {
    if service_url.is_empty() || ticket_id.is_empty() {
        return Ok(Err(("INVALID_REQUEST", "service et ticket sont requis".into())));
    }
    let is_proxy_ticket = ticket_id.starts_with("PT-");
    if !ticket_id.starts_with("ST-") && !is_proxy_ticket {
        return Ok(Err((
            "INVALID_TICKET_SPEC",
            format!("ticket {ticket_id} non reconnu"),
        )));
    }
    let now = sso.identity.now();
    // Consumed whatever the outcome: a ticket presented once, rightly or wrongly, is spent.
    let consumed = store::consume(&sso.db, ticket_id, now).await?;
    if is_proxy_ticket && !accept_proxy_tickets {
        return Ok(Err((
            "INVALID_TICKET_SPEC",
            format!("{ticket_id} est un ticket de proxy : seul proxyValidate l'accepte"),
        )));
    }
    let Some(ticket) = consumed else {
        return Ok(Err((
            "INVALID_TICKET",
            format!("ticket {ticket_id} non reconnu ou déjà utilisé"),
        )));
    };
    if ticket.expires_at <= now.millis() {
        return Ok(Err(("INVALID_TICKET", format!("ticket {ticket_id} expiré"))));
    }
    if ticket.service != service_url {
        return Ok(Err((
            "INVALID_SERVICE",
            format!("le ticket {ticket_id} a été délivré pour un autre service"),
        )));
    }
    if renew && !ticket.new_login {
        return Ok(Err((
            "INVALID_TICKET",
            format!("le ticket {ticket_id} ne vient pas d'une saisie du mot de passe (renew)"),
        )));
    }
    let (Some(service), Some(person)) = (
        sso.service_for(&ticket.service),
        sso.released(
            ticket.user_id,
            ticket.context_school,
            ticket.context_profile.as_deref(),
        )
        .await?,
    ) else {
        return Ok(Err(("INVALID_TICKET", format!("ticket {ticket_id} non reconnu"))));
    };
    if service.single_logout
        && let Some(session_key) = &ticket.session_key
    {
        store::record_sso_session(
            &sso.db,
            store::SsoSession {
                session_key,
                service_id: &service.id,
                protocol: "cas",
                session_index: ticket_id,
                target: Some(&ticket.service),
                user: ticket.user_id,
                now,
            },
        )
        .await?;
    }
    Ok(Ok(Valid {
        attributes: person.attributes(&service),
        login: person.login,
        auth_time: ticket.auth_time.unwrap_or(now.millis()),
        new_login: ticket.new_login,
        proxies: ticket
            .proxies
            .as_deref()
            .map(|p| p.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        pgt_iou: None,
        ticket,
    }))
}

/// Whether `url` may receive a proxy-granting ticket: https, or http on the loopback (development).
fn acceptable_callback(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => {
            u.scheme() == "https"
                || (u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
        }
        Err(_) => false,
    }
}

/// After a successful validation with `pgtUrl`: a proxy-granting ticket for a service allowed to proxy,
/// delivered to its callback (per the spec, the validation succeeds without one if the callback fails).
async fn grant_proxy(sso: &Sso, valid: &mut Valid, pgt_url: &str) -> Result<(), AppError> {
    let allowed = sso
        .service_for(&valid.ticket.service)
        .is_some_and(|s| s.proxy && s.matches(pgt_url));
    if !allowed || !acceptable_callback(pgt_url) {
        tracing::warn!(service = %valid.ticket.service, pgt_url, "proxy callback refused");
        return Ok(());
    }
    let (pgt, iou) = (random_ticket("PGT"), random_ticket("PGTIOU"));
    match sso.http.get(pgt_url, &[("pgtIou", &iou), ("pgtId", &pgt)]).await {
        Ok(200) => {}
        outcome => {
            tracing::warn!(pgt_url, ?outcome, "proxy callback did not answer 200: no PGT");
            return Ok(());
        }
    }
    let mut chain = vec![pgt_url.to_string()];
    chain.extend(valid.proxies.iter().cloned());
    let now = sso.identity.now();
    store::insert_pgt(
        &sso.db,
        store::NewPgt {
            ticket: &pgt,
            user: valid.ticket.user_id,
            school: valid.ticket.context_school,
            profile: valid.ticket.context_profile.as_deref(),
            session_key: valid.ticket.session_key.as_deref(),
            auth_time: valid.ticket.auth_time,
            proxies: &chain.join("\n"),
            now,
            expires: now.plus_secs(PGT_SECS),
        },
    )
    .await?;
    valid.pgt_iou = Some(iou);
    Ok(())
}

fn iso(millis: i64) -> String {
    Timestamp(millis).iso8601()
}

fn xml_response(outcome: Outcome) -> Response {
    let body = match outcome {
        Ok(v) => {
            let mut out = format!(
                "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:authenticationSuccess>\n    <cas:user>{}</cas:user>\n",
                web::markup_escape(&v.login)
            );
            out.push_str("    <cas:attributes>\n");
            out.push_str(&format!(
                "      <cas:authenticationDate>{}</cas:authenticationDate>\n      <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>\n      <cas:isFromNewLogin>{}</cas:isFromNewLogin>\n",
                iso(v.auth_time),
                v.new_login
            ));
            for (name, value) in &v.attributes {
                out.push_str(&format!(
                    "      <cas:{name}>{}</cas:{name}>\n",
                    web::markup_escape(value)
                ));
            }
            out.push_str("    </cas:attributes>\n");
            if let Some(iou) = &v.pgt_iou {
                out.push_str(&format!(
                    "    <cas:proxyGrantingTicket>{iou}</cas:proxyGrantingTicket>\n"
                ));
            }
            if !v.proxies.is_empty() {
                out.push_str("    <cas:proxies>\n");
                for p in &v.proxies {
                    out.push_str(&format!(
                        "      <cas:proxy>{}</cas:proxy>\n",
                        web::markup_escape(p)
                    ));
                }
                out.push_str("    </cas:proxies>\n");
            }
            out.push_str("  </cas:authenticationSuccess>\n</cas:serviceResponse>\n");
            out
        }
        Err((code, message)) => format!(
            "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:authenticationFailure code=\"{code}\">{}</cas:authenticationFailure>\n</cas:serviceResponse>\n",
            web::markup_escape(&message)
        ),
    };
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

/// The JSON form of the CAS 3 response (`format=JSON`).
fn json_response(outcome: Outcome) -> Response {
    let body = match outcome {
        Ok(v) => {
            let mut attributes = serde_json::Map::new();
            attributes.insert("authenticationDate".into(), json!([iso(v.auth_time)]));
            attributes.insert("longTermAuthenticationRequestTokenUsed".into(), json!([false]));
            attributes.insert("isFromNewLogin".into(), json!([v.new_login]));
            for (name, value) in v.attributes {
                attributes.insert(name.into(), json!([value]));
            }
            let mut success = json!({"user": v.login, "attributes": attributes});
            if let Some(iou) = v.pgt_iou {
                success["proxyGrantingTicket"] = json!(iou);
            }
            if !v.proxies.is_empty() {
                success["proxies"] = json!(v.proxies);
            }
            json!({"serviceResponse": {"authenticationSuccess": success}})
        }
        Err((code, message)) => {
            json!({"serviceResponse": {"authenticationFailure": {"code": code, "description": message}}})
        }
    };
    axum::Json(body).into_response()
}

/// CAS 1: `yes\n<user>\n` or `no\n`.
async fn validate_v1(State(sso): State<Sso>, Query(q): Query<ValidateQuery>) -> Result<Response, AppError> {
    let body = match check(&sso, &q.service, &q.ticket, flag(&q.renew), false).await? {
        Ok(v) => format!("yes\n{}\n", v.login),
        Err(_) => "no\n\n".to_string(),
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
}

/// CAS 2 and 3 `serviceValidate`: service tickets only.
async fn service_validate(
    State(sso): State<Sso>,
    Query(q): Query<ValidateQuery>,
) -> Result<Response, AppError> {
    validate(sso, q, false).await
}

/// CAS 2 and 3 `proxyValidate`: service and proxy tickets.
async fn proxy_validate(
    State(sso): State<Sso>,
    Query(q): Query<ValidateQuery>,
) -> Result<Response, AppError> {
    validate(sso, q, true).await
}

/// The user and the attributes — released on every version, as most CAS servers do and CAS 2 clients
/// accept — and a proxy-granting ticket when asked for and allowed.
async fn validate(sso: Sso, q: ValidateQuery, accept_proxy_tickets: bool) -> Result<Response, AppError> {
    let mut outcome = check(&sso, &q.service, &q.ticket, flag(&q.renew), accept_proxy_tickets).await?;
    if let (Ok(valid), Some(pgt_url)) = (&mut outcome, q.pgt_url.as_deref().filter(|u| !u.is_empty())) {
        grant_proxy(&sso, valid, pgt_url).await?;
    }
    Ok(match q.format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("json") => json_response(outcome),
        _ => xml_response(outcome),
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ProxyQuery {
    pgt: String,
    #[serde(rename = "targetService")]
    target_service: String,
}

fn proxy_failure(code: &str, message: &str) -> String {
    format!(
        "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:proxyFailure code=\"{code}\">{}</cas:proxyFailure>\n</cas:serviceResponse>\n",
        web::markup_escape(message)
    )
}

/// `/cas/proxy?pgt=…&targetService=…`: a proxy ticket for another registered service.
async fn proxy(State(sso): State<Sso>, Query(q): Query<ProxyQuery>) -> Result<Response, AppError> {
    let xml =
        |body: String| ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response();
    if q.pgt.is_empty() || q.target_service.is_empty() {
        return Ok(xml(proxy_failure(
            "INVALID_REQUEST",
            "pgt et targetService sont requis",
        )));
    }
    let now = sso.identity.now();
    let Some(pgt) = store::pgt(&sso.db, &q.pgt)
        .await?
        .filter(|p| p.expires_at > now.millis())
    else {
        return Ok(xml(proxy_failure(
            "INVALID_TICKET",
            "ticket de proxy inconnu ou expiré",
        )));
    };
    let Some(target) = sso.service_for(&q.target_service) else {
        return Ok(xml(proxy_failure(
            "UNAUTHORIZED_SERVICE",
            "service cible non enregistré",
        )));
    };
    if !target.profiles.is_empty()
        && !pgt
            .context_profile
            .as_deref()
            .and_then(|p| p.parse::<kernel::Profile>().ok())
            .is_some_and(|p| target.profiles.contains(&p))
    {
        return Ok(xml(proxy_failure(
            "UNAUTHORIZED_SERVICE",
            "service cible fermé à ce profil",
        )));
    }
    let ticket = random_ticket("PT");
    store::insert(
        &sso.db,
        store::NewTicket {
            ticket: &ticket,
            user: pgt.user_id,
            service: &q.target_service,
            school: pgt.context_school,
            profile: pgt.context_profile.as_deref(),
            session_key: pgt.session_key.as_deref().unwrap_or_default(),
            auth_time: pgt.auth_time.unwrap_or(now.millis()),
            new_login: false,
            proxies: Some(&pgt.proxies),
            now,
            expires: now.plus_secs(TICKET_SECS),
        },
    )
    .await?;
    Ok(xml(format!(
        "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:proxySuccess>\n    <cas:proxyTicket>{ticket}</cas:proxyTicket>\n  </cas:proxySuccess>\n</cas:serviceResponse>\n"
    )))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SamlQuery {
    #[serde(rename = "TARGET")]
    target: String,
}

/// The ticket in a SAML 1.1 `samlp:Request` (its `AssertionArtifact`), and the request's ID.
fn saml_artifact(body: &str) -> Option<(String, String)> {
    let doc = roxmltree::Document::parse(body).ok()?;
    let request = doc
        .descendants()
        .find(|n| n.has_tag_name(("urn:oasis:names:tc:SAML:1.0:protocol", "Request")))?;
    let artifact = request
        .children()
        .find(|n| n.has_tag_name(("urn:oasis:names:tc:SAML:1.0:protocol", "AssertionArtifact")))?;
    Some((
        artifact.text()?.trim().to_string(),
        request.attribute("RequestID").unwrap_or_default().to_string(),
    ))
}

/// `/cas/samlValidate?TARGET=<service>`: the SAML 1.1 validation phpCAS and python-cas can use.
async fn saml_validate(
    State(sso): State<Sso>,
    Query(q): Query<SamlQuery>,
    body: String,
) -> Result<Response, AppError> {
    let now = sso.identity.now();
    let (ticket, request_id) = saml_artifact(&body).unwrap_or_default();
    let outcome = check(&sso, &q.target, &ticket, false, false).await?;
    let mut id = [0u8; 16];
    rand::fill(&mut id);
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let issue = iso(now.millis());
    let response = match outcome {
        Ok(v) => {
            let subject = format!(
                "<saml1:Subject><saml1:NameIdentifier>{}</saml1:NameIdentifier><saml1:SubjectConfirmation><saml1:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:artifact</saml1:ConfirmationMethod></saml1:SubjectConfirmation></saml1:Subject>",
                web::markup_escape(&v.login)
            );
            let attributes: String = v
                .attributes
                .iter()
                .map(|(name, value)| {
                    format!(
                        "<saml1:Attribute AttributeName=\"{name}\" AttributeNamespace=\"http://www.ja-sig.org/products/cas/\"><saml1:AttributeValue>{}</saml1:AttributeValue></saml1:Attribute>",
                        web::markup_escape(value)
                    )
                })
                .collect();
            format!(
                "<saml1p:Response xmlns:saml1p=\"urn:oasis:names:tc:SAML:1.0:protocol\" xmlns:saml1=\"urn:oasis:names:tc:SAML:1.0:assertion\" ResponseID=\"_{id}\" InResponseTo=\"{}\" IssueInstant=\"{issue}\" MajorVersion=\"1\" MinorVersion=\"1\" Recipient=\"{}\"><saml1p:Status><saml1p:StatusCode Value=\"saml1p:Success\"/></saml1p:Status><saml1:Assertion AssertionID=\"_a{id}\" IssueInstant=\"{issue}\" Issuer=\"{}\" MajorVersion=\"1\" MinorVersion=\"1\"><saml1:Conditions NotBefore=\"{issue}\" NotOnOrAfter=\"{}\"><saml1:AudienceRestrictionCondition><saml1:Audience>{}</saml1:Audience></saml1:AudienceRestrictionCondition></saml1:Conditions><saml1:AuthenticationStatement AuthenticationInstant=\"{}\" AuthenticationMethod=\"urn:oasis:names:tc:SAML:1.0:am:password\">{subject}</saml1:AuthenticationStatement><saml1:AttributeStatement>{subject}{attributes}</saml1:AttributeStatement></saml1:Assertion></saml1p:Response>",
                web::markup_escape(&request_id),
                web::markup_escape(&q.target),
                web::markup_escape(&sso.config.public_url),
                iso(now.plus_secs(30).millis()),
                web::markup_escape(&q.target),
                iso(v.auth_time),
            )
        }
        Err((code, message)) => format!(
            "<saml1p:Response xmlns:saml1p=\"urn:oasis:names:tc:SAML:1.0:protocol\" ResponseID=\"_{id}\" InResponseTo=\"{}\" IssueInstant=\"{issue}\" MajorVersion=\"1\" MinorVersion=\"1\"><saml1p:Status><saml1p:StatusCode Value=\"saml1p:Requester\"><saml1p:StatusCode Value=\"saml1p:RequestDenied\"/></saml1p:StatusCode><saml1p:StatusMessage>{code} : {}</saml1p:StatusMessage></saml1p:Status></saml1p:Response>",
            web::markup_escape(&request_id),
            web::markup_escape(&message)
        ),
    };
    let envelope = format!(
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/><SOAP-ENV:Body>{response}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
    );
    Ok(([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], envelope).into_response())
}

#[cfg(test)]
mod tests {
    use super::saml_artifact;

    #[test]
    fn the_ticket_is_read_from_a_saml_request_and_nothing_else() {
        let body = r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>
            <samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" RequestID="_r1">
            <samlp:AssertionArtifact>
              ST-abc
            </samlp:AssertionArtifact></samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;
        assert_eq!(saml_artifact(body), Some(("ST-abc".into(), "_r1".into())));
        assert_eq!(
            saml_artifact("<AssertionArtifact>ST-abc</AssertionArtifact>"),
            None
        );
        assert_eq!(saml_artifact("not xml"), None);
    }
}
