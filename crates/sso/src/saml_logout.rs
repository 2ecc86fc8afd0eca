//! SAML 2 single logout, HTTP-Redirect binding (front channel: a service provider's session is a cookie
//! of the browser, so the browser itself must visit each service).
//!
//! - **Ardoise signs out** (the portal's button, `/cas/logout`, `/oidc/logout`): the browser goes to
//!   `/saml/idp/slo/suite`, which sends it to each SAML service of the session that has a
//!   `SingleLogoutService` (our signed LogoutRequest); each answers at `/saml/idp/slo` with its
//!   LogoutResponse, and the suite goes on with the next; at the end, the page asked for in the first place.
//! - **A service provider asks** (its LogoutRequest at `/saml/idp/slo`): if the browser's session is the
//!   one the request names, Ardoise signs it out — which signs out the CAS and OIDC services over their
//!   back channels and the other SAML services through the suite — and finally answers the service with
//!   its LogoutResponse.
//!
//! The browser session is known to services by its SAML `SessionIndex` (a keyed hash of the session,
//! see `logout::sid`); `saml_logouts` keeps where the suite ends while the browser travels. A service
//! whose SLO binding is HTTP-POST only is not visited (it keeps its session until it expires).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use db::Db;
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Query as Sql};
use web::{AppError, CurrentUser, Lang, url_encode};

use crate::Sso;

/// Where the browser ends when nothing else was asked.
const SIGNED_OUT: &str = "/login?bye=1";

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/saml/idp/slo", get(slo))
        .route("/saml/idp/slo/suite", get(suite))
}

impl Sso {
    /// The suite's first address for the ended session `session_key`, on the way to `then` (or `None`
    /// without a SAML identity provider). `then` is authenticated: the suite is no open redirect.
    pub(crate) fn saml_logout_start(&self, session_key: &str, then: &str) -> Option<String> {
        self.idp.get()?;
        let sid = crate::logout::sid(self, session_key);
        Some(format!(
            "/saml/idp/slo/suite?sid={sid}&then={}&m={}",
            url_encode(then),
            self.then_mac(&sid, then)
        ))
    }

    fn then_mac(&self, sid: &str, then: &str) -> String {
        let mut mac = self
            .identity
            .csrf()
            .keyed_hash("saml-slo-then", &format!("{sid} {then}"));
        mac.truncate(32);
        mac
    }
}

#[derive(serde::Deserialize)]
struct SuiteQuery {
    sid: String,
    then: Option<String>,
    m: Option<String>,
}

/// One step of the suite: the next service to sign out in this browser, or the end.
async fn suite(State(sso): State<Sso>, Query(q): Query<SuiteQuery>) -> Result<Response, AppError> {
    let idp = sso.idp()?;
    let now = sso.identity.now();
    // The first step says where to end (authenticated); the next ones find it stored.
    if let (Some(then), Some(m)) = (&q.then, &q.m) {
        if !web::csrf::constant_time_eq(m.as_bytes(), sso.then_mac(&q.sid, then).as_bytes()) {
            return Err(AppError::Forbidden);
        }
        start(&sso.db, &q.sid, then, None, now).await?;
    }
    while let Some((service_id, name_id)) = take_one(&sso.db, &q.sid).await? {
        let Some(service) = sso.service_by_id(&service_id) else {
            continue;
        };
        let Some(sp) = service.saml.as_ref().map(|m| &m.0) else {
            continue;
        };
        let Some(slo) = sp.redirect_logout() else {
            continue;
        };
        let (url, _) = idp
            .logout_request_url(&saml::LogoutRequestSpec {
                destination: &slo.url,
                name_id: &name_id,
                name_id_format: saml::NAME_ID_PERSISTENT,
                sp_name_qualifier: &sp.entity_id,
                session_index: &q.sid,
                now_millis: now.millis(),
                relay_state: Some(&q.sid),
            })
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tracing::debug!(service = %service.id, "SAML single logout: to the service");
        return Ok(Redirect::to(&url).into_response());
    }
    // Every service visited: the end, maybe the answer owed to the service that asked.
    let Some(end) = finish(&sso.db, &q.sid).await? else {
        return Ok(Redirect::to(SIGNED_OUT).into_response());
    };
    if let (Some(initiator), Some(request_id)) = (&end.initiator, &end.initiator_request_id)
        && let Some(url) = answer_url(
            &sso,
            initiator,
            request_id,
            true,
            end.initiator_relay_state.as_deref(),
        )?
    {
        return Ok(Redirect::to(&url).into_response());
    }
    Ok(Redirect::to(&end.then_url).into_response())
}

/// The LogoutResponse address for the service `service_id`, if it has a Redirect SLO endpoint.
fn answer_url(
    sso: &Sso,
    service_id: &str,
    request_id: &str,
    success: bool,
    relay_state: Option<&str>,
) -> Result<Option<String>, AppError> {
    let idp = sso.idp()?;
    let Some(slo) = sso
        .service_by_id(service_id)
        .and_then(|s| s.saml.as_ref().and_then(|m| m.0.redirect_logout().cloned()))
    else {
        return Ok(None);
    };
    let destination = slo.response_url.as_deref().unwrap_or(&slo.url);
    idp.logout_response_url(
        destination,
        request_id,
        success,
        relay_state,
        sso.identity.now().millis(),
    )
    .map(Some)
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// `/saml/idp/slo`: a service's LogoutResponse (the suite goes on) or its LogoutRequest (sign out).
async fn slo(
    State(sso): State<Sso>,
    lang: Lang,
    user: Option<CurrentUser>,
    identity::ClientIp(ip): identity::ClientIp,
    uri: Uri,
) -> Result<Response, AppError> {
    let idp = sso.idp()?;
    let query = uri.query().unwrap_or_default();
    let services = sso.services();
    let now = sso.identity.now();
    let find = |issuer: &str| crate::saml_idp::sp_of(&services, issuer).map(|(_, m)| m);
    if query.contains("SAMLResponse=") {
        let (response, sp) = idp
            .logout_response_from_redirect(query, find, now.millis())
            .map_err(crate::saml_idp::refused)?;
        if !response.success {
            tracing::warn!(sp = %sp.entity_id, "SAML single logout: the service says it failed");
        }
        let sid = response.relay_state.unwrap_or_default();
        return Ok(Redirect::to(&format!("/saml/idp/slo/suite?sid={}", url_encode(&sid))).into_response());
    }
    let (request, sp) = idp
        .logout_request_from_redirect(query, find, now.millis())
        .map_err(crate::saml_idp::refused)?;
    let Some((service, _)) = crate::saml_idp::sp_of(&services, &sp.entity_id) else {
        return Err(AppError::NotFound);
    };
    let service_id = service.id.clone();
    let relay = request.relay_state.as_deref();
    let Some(user) = user else {
        // Already signed out here: nothing left to end.
        return respond(&sso, &service_id, &request.id, true, relay);
    };
    let sid = crate::logout::sid(&sso, &user.session_key);
    let ours = request.session_indexes.contains(&sid)
        || request.name_id == crate::saml_idp::name_id(&sso, &sp.entity_id, user.user_id);
    if !ours {
        tracing::warn!(sp = %sp.entity_id, "SAML logout request for another person: refused");
        return respond(&sso, &service_id, &request.id, false, relay);
    }
    // The asking service is signed out already: the suite visits the others, then answers it.
    drop_service(&sso.db, &sid, &service_id).await?;
    start(
        &sso.db,
        &sid,
        SIGNED_OUT,
        Some((&service_id, &request.id, relay)),
        now,
    )
    .await?;
    sso.identity
        .sign_out_to(&user, &ip, &format!("/saml/idp/slo/suite?sid={sid}"), lang)
        .await
}

fn respond(
    sso: &Sso,
    service_id: &str,
    request_id: &str,
    success: bool,
    relay_state: Option<&str>,
) -> Result<Response, AppError> {
    match answer_url(sso, service_id, request_id, success, relay_state)? {
        Some(url) => Ok(Redirect::to(&url).into_response()),
        None => Ok(Redirect::to(SIGNED_OUT).into_response()),
    }
}

// Storage: the services to visit are the session's `sso_sessions` rows of protocol `saml` (session
// index = the browser session's SAML SessionIndex, target = the NameID given to the service).

fn sso_sessions() -> Alias {
    Alias::new("sso_sessions")
}

/// Takes (reads and deletes) one SAML service still to visit for the session `sid`.
async fn take_one(db: &Db, sid: &str) -> Result<Option<(String, String)>, db::Error> {
    let q = Sql::select()
        .columns(["service_id", "target"].map(Alias::new))
        .from(sso_sessions())
        .and_where(Expr::col(Alias::new("session_index")).eq(sid))
        .and_where(Expr::col(Alias::new("protocol")).eq("saml"))
        .limit(1)
        .to_owned();
    let Some((service_id, target)) = db.fetch_optional::<(String, Option<String>)>(&q).await? else {
        return Ok(None);
    };
    drop_service(db, sid, &service_id).await?;
    Ok(Some((service_id, target.unwrap_or_default())))
}

async fn drop_service(db: &Db, sid: &str, service_id: &str) -> Result<(), db::Error> {
    let q = Sql::delete()
        .from_table(sso_sessions())
        .and_where(Expr::col(Alias::new("session_index")).eq(sid))
        .and_where(Expr::col(Alias::new("protocol")).eq("saml"))
        .and_where(Expr::col(Alias::new("service_id")).eq(service_id))
        .to_owned();
    db.execute(&q).await.map(drop)
}

fn saml_logouts() -> Alias {
    Alias::new("saml_logouts")
}

/// Remembers where the suite of `sid` ends (and the answer owed to the service that asked, if one did).
async fn start(
    db: &Db,
    sid: &str,
    then: &str,
    initiator: Option<(&str, &str, Option<&str>)>,
    now: Timestamp,
) -> Result<(), db::Error> {
    let q = Sql::insert()
        .into_table(saml_logouts())
        .columns(
            [
                "session_index",
                "then_url",
                "initiator",
                "initiator_request_id",
                "initiator_relay_state",
                "created_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            sid.into(),
            then.into(),
            initiator.map(|i| i.0.to_string()).into(),
            initiator.map(|i| i.1.to_string()).into(),
            initiator.and_then(|i| i.2).map(str::to_string).into(),
            now.millis().into(),
        ])
        .on_conflict(
            sea_query::OnConflict::column(Alias::new("session_index"))
                .update_columns(
                    [
                        "then_url",
                        "initiator",
                        "initiator_request_id",
                        "initiator_relay_state",
                        "created_at",
                    ]
                    .map(Alias::new),
                )
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(sqlx::FromRow)]
struct End {
    then_url: String,
    initiator: Option<String>,
    initiator_request_id: Option<String>,
    initiator_relay_state: Option<String>,
}

/// Takes where the suite of `sid` ends.
async fn finish(db: &Db, sid: &str) -> Result<Option<End>, db::Error> {
    let q = Sql::select()
        .columns(
            [
                "then_url",
                "initiator",
                "initiator_request_id",
                "initiator_relay_state",
            ]
            .map(Alias::new),
        )
        .from(saml_logouts())
        .and_where(Expr::col(Alias::new("session_index")).eq(sid))
        .to_owned();
    let end = db.fetch_optional::<End>(&q).await?;
    let q = Sql::delete()
        .from_table(saml_logouts())
        .and_where(Expr::col(Alias::new("session_index")).eq(sid))
        .to_owned();
    db.execute(&q).await?;
    Ok(end)
}

/// Forgets suites abandoned for more than an hour (a browser closed half-way).
pub(crate) async fn purge(db: &Db, now: Timestamp) -> Result<u64, db::Error> {
    let q = Sql::delete()
        .from_table(saml_logouts())
        .and_where(Expr::col(Alias::new("created_at")).lt(now.plus_secs(-3600).millis()))
        .to_owned();
    db.execute(&q).await
}
