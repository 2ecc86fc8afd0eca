//! CAS 3.0 server: login (ticket issue) and ticket validation, per the Apereo CAS protocol.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web::{AppError, CurrentUser, Msg, url_encode};

use crate::{Sso, store};

/// How long a service ticket may wait for its validation (the spec recommends no more than 5 minutes).
pub const TICKET_SECS: i64 = 60;

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/cas/login", get(login))
        .route("/cas/validate", get(validate_v1))
        .route("/cas/serviceValidate", get(validate))
        .route("/cas/p3/serviceValidate", get(validate))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    service: Option<String>,
    gateway: Option<String>,
}

fn with_ticket(service: &str, ticket: &str) -> String {
    let sep = if service.contains('?') { '&' } else { '?' };
    format!("{service}{sep}ticket={}", url_encode(ticket))
}

/// `/cas/login?service=…`: a signed-in person is sent back to the service with a fresh ticket; anyone
/// else signs in first (or, with `gateway`, goes back without one).
async fn login(
    State(sso): State<Sso>,
    user: Option<CurrentUser>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let Some(service_url) = q.service.filter(|s| !s.is_empty()) else {
        return Ok(Redirect::to("/").into_response());
    };
    let Some(service) = sso.service_for(&service_url) else {
        return Err(AppError::Refused(Msg::new("cas-unknown-service")));
    };
    let Some(user) = user.filter(|u| !u.second_factor_pending) else {
        if q.gateway.is_some() {
            return Ok(Redirect::to(&service_url).into_response());
        }
        let next = format!("/cas/login?service={}", url_encode(&service_url));
        return Ok(Redirect::to(&format!("/login?next={}", url_encode(&next))).into_response());
    };
    let context = user.context.context;
    if !service.profiles.is_empty() && !context.profile().is_some_and(|p| service.profiles.contains(&p)) {
        return Err(AppError::Refused(
            Msg::new("cas-not-for-profile").arg("service", &service.name),
        ));
    }
    let mut bytes = [0u8; 24];
    rand::fill(&mut bytes);
    let ticket = format!("ST-{}", URL_SAFE_NO_PAD.encode(bytes));
    let now = sso.identity.now();
    store::insert(
        &sso.db,
        store::NewTicket {
            ticket: &ticket,
            user: user.user_id.0,
            service: &service_url,
            school: context.school().map(|s| s.0),
            profile: context.profile().map(|p| p.code()),
            now,
            expires: now.plus_secs(TICKET_SECS),
        },
    )
    .await?;
    Ok(Redirect::to(&with_ticket(&service_url, &ticket)).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ValidateQuery {
    service: String,
    ticket: String,
}

/// What a validation found: the person and what is released about them, or the CAS error code.
struct Valid {
    login: String,
    attributes: Vec<(&'static str, String)>,
}

async fn check(sso: &Sso, q: &ValidateQuery) -> Result<Result<Valid, (&'static str, String)>, AppError> {
    if q.service.is_empty() || q.ticket.is_empty() {
        return Ok(Err(("INVALID_REQUEST", "service et ticket sont requis".into())));
    }
    if !q.ticket.starts_with("ST-") {
        return Ok(Err((
            "INVALID_TICKET_SPEC",
            format!("ticket {} non reconnu", q.ticket),
        )));
    }
    let now = sso.identity.now();
    // Consumed whatever the outcome: a ticket presented once, rightly or wrongly, is spent.
    let Some(ticket) = store::consume(&sso.db, &q.ticket, now).await? else {
        return Ok(Err((
            "INVALID_TICKET",
            format!("ticket {} non reconnu ou déjà utilisé", q.ticket),
        )));
    };
    if ticket.expires_at <= now.millis() {
        return Ok(Err(("INVALID_TICKET", format!("ticket {} expiré", q.ticket))));
    }
    if ticket.service != q.service {
        return Ok(Err((
            "INVALID_SERVICE",
            format!("le ticket {} a été délivré pour un autre service", q.ticket),
        )));
    }
    let Some(person) = store::person(&sso.db, ticket.user_id).await? else {
        return Ok(Err((
            "INVALID_TICKET",
            format!("ticket {} non reconnu", q.ticket),
        )));
    };
    let mut attributes = vec![
        ("uid", person.login.clone()),
        ("sn", person.last_name),
        ("givenName", person.first_name),
    ];
    if let Some(j) = person.jointure {
        attributes.push(("ENTPersonJointure", j));
    }
    if let Some(m) = person.email {
        attributes.push(("mail", m));
    }
    if let Some(p) = ticket
        .context_profile
        .as_deref()
        .and_then(|p| p.parse::<kernel::Profile>().ok())
    {
        attributes.push(("ENTPersonProfils", p.national().to_string()));
    }
    if let Some(school) = ticket.context_school
        && let Some(uai) = store::uai(&sso.db, school).await?
    {
        attributes.push(("UAI", uai));
    }
    Ok(Ok(Valid {
        login: person.login,
        attributes,
    }))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn xml_response(outcome: Result<Valid, (&'static str, String)>) -> Response {
    let body = match outcome {
        Ok(v) => {
            let mut out = format!(
                "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:authenticationSuccess>\n    <cas:user>{}</cas:user>\n",
                xml_escape(&v.login)
            );
            out.push_str("    <cas:attributes>\n");
            for (name, value) in &v.attributes {
                out.push_str(&format!("      <cas:{name}>{}</cas:{name}>\n", xml_escape(value)));
            }
            out.push_str("    </cas:attributes>\n");
            out.push_str("  </cas:authenticationSuccess>\n</cas:serviceResponse>\n");
            out
        }
        Err((code, message)) => format!(
            "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  <cas:authenticationFailure code=\"{code}\">{}</cas:authenticationFailure>\n</cas:serviceResponse>\n",
            xml_escape(&message)
        ),
    };
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

/// CAS 1: `yes\n<user>\n` or `no\n`.
async fn validate_v1(State(sso): State<Sso>, Query(q): Query<ValidateQuery>) -> Result<Response, AppError> {
    let body = match check(&sso, &q).await? {
        Ok(v) => format!("yes\n{}\n", v.login),
        Err(_) => "no\n".to_string(),
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
}

/// CAS 2 and 3 (`/serviceValidate`, `/p3/serviceValidate`): the user and the attributes — released on
/// both, as most CAS servers do and CAS 2 clients accept.
async fn validate(State(sso): State<Sso>, Query(q): Query<ValidateQuery>) -> Result<Response, AppError> {
    Ok(xml_response(check(&sso, &q).await?))
}

impl Sso {
    /// Deletes old tickets; run with the session purge.
    pub async fn purge(&self) -> Result<u64, db::Error> {
        store::purge(&self.db, self.identity.now()).await
    }
}
