//! The wicket routes: start a sign-in at an IdP, receive its answer, publish our SP metadata.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use web::{AppError, Msg};

use super::Refusal;
use crate::pages::{ClientIp, safe_next};
use crate::service::Identity;

pub(crate) fn routes() -> Router<Identity> {
    Router::new()
        .route("/login/sso/{wicket}", get(begin))
        .route("/login/sso/acs", post(acs))
        .route("/saml/metadata", get(metadata))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

async fn begin(
    State(identity): State<Identity>,
    Path(wicket): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Redirect, AppError> {
    let next = safe_next(Some(&q.next));
    match identity.begin_federated(&wicket, &next).await {
        Ok(url) => Ok(Redirect::to(&url)),
        Err(Refusal::UnknownWicket) => Err(AppError::NotFound),
        Err(Refusal::Db(e)) => Err(e.into()),
        Err(e) => Err(AppError::internal(format!("{e:?}"))),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState")]
    relay_state: String,
}

/// The IdP's answer, posted by the browser (HTTP-POST binding). No CSRF token can come with it: the
/// signed response, bound to a pending request of ours and usable once, is what is checked.
async fn acs(
    State(identity): State<Identity>,
    lang: web::Lang,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<AcsForm>,
) -> Result<Response, AppError> {
    let user_agent = crate::pages::user_agent(&headers);
    let (signed_in, next) = match identity
        .finish_federated(&form.saml_response, &form.relay_state, &ip, user_agent)
        .await
    {
        Ok(done) => done,
        Err(Refusal::Db(e)) => return Err(e.into()),
        Err(refusal) => return Err(AppError::Refused(Msg::new(refusal.message_key()))),
    };
    Ok(crate::pages::session_opened(&identity, lang, &headers, &ip, &signed_in, &next).await)
}

/// Our service-provider metadata, for the IdPs' operators.
async fn metadata(State(identity): State<Identity>) -> Result<Response, AppError> {
    let wickets = identity.wickets().ok_or(AppError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
        wickets.sp.metadata(),
    )
        .into_response())
}
