//! Ardoise as SAML 2 identity provider (how the GAR and publishers sign people in): `/saml/idp/metadata`,
//! and `/saml/idp/sso` taking a service provider's AuthnRequest over HTTP-Redirect or HTTP-POST.
//!
//! The request must come from a registered service (its SP metadata), be signed when either side
//! requires it, and name one of its assertion consumers; the person signs in if needed (again, with
//! `ForceAuthn`, if the sign-in is not fresh), must be allowed to use the service, and the browser then
//! posts a signed assertion to the service. The subject is a persistent identifier of the person for
//! that service only (a keyed hash: services cannot link their users to each other's), and the
//! attributes are the service's released ones. Single logout: `saml_logout`. Not yet: `IsPassive`
//! answered with a SAML error (the person is sent to the sign-in page instead).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use web::{AppError, CurrentUser, Msg, url_encode};

use crate::cas::{FRESH_LOGIN_SECS, to_login};
use crate::{Service, Sso};

/// A service provider's metadata, as the registry keeps it.
#[derive(Debug)]
pub struct SamlSp(pub saml::SpMetadata);

/// How long the assertion we issue may wait to be consumed.
const ASSERTION_SECS: i64 = 300;
/// Tolerated clock difference with service providers.
const SKEW_SECS: i64 = 120;

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/saml/idp/metadata", get(metadata))
        .route("/saml/idp/sso", get(sso_redirect).post(sso_post))
}

impl Sso {
    /// Signs people in to SAML service providers as `idp`.
    pub fn with_idp(self, idp: saml::Idp) -> Sso {
        if self.idp.set(idp).is_err() {
            tracing::warn!("SAML identity provider set twice: the first one stays");
        }
        self
    }

    pub(crate) fn idp(&self) -> Result<&saml::Idp, AppError> {
        self.idp.get().ok_or(AppError::NotFound)
    }
}

async fn metadata(State(sso): State<Sso>) -> Result<Response, AppError> {
    let xml = sso.idp()?.metadata();
    Ok(([(header::CONTENT_TYPE, "application/samlmetadata+xml")], xml).into_response())
}

/// The registered service whose SP metadata has `entity_id`.
pub(crate) fn sp_of<'a>(
    services: &'a [Service],
    entity_id: &str,
) -> Option<(&'a Service, &'a saml::SpMetadata)> {
    services.iter().find_map(|s| {
        s.saml
            .as_ref()
            .filter(|m| m.0.entity_id == entity_id)
            .map(|m| (s, &m.0))
    })
}

pub(crate) fn refused(e: saml::SamlError) -> AppError {
    AppError::BadRequest(Msg::new("saml-idp-refused").arg("reason", e.to_string()))
}

/// HTTP-Redirect binding; also our own resumption of a POSTed request after the sign-in
/// (`binding=post`, the request as it was posted).
async fn sso_redirect(
    State(sso): State<Sso>,
    user: Option<CurrentUser>,
    uri: Uri,
) -> Result<Response, AppError> {
    let query = uri.query().unwrap_or_default();
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("binding").as_deref() == Some("post") {
        let request = get("SAMLRequest").unwrap_or_default();
        return answer(
            &sso,
            user,
            Binding::Post {
                request,
                relay_state: get("RelayState"),
            },
        )
        .await;
    }
    answer(
        &sso,
        user,
        Binding::Redirect {
            query: query.to_string(),
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct PostForm {
    #[serde(rename = "SAMLRequest", default)]
    saml_request: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

async fn sso_post(
    State(sso): State<Sso>,
    user: Option<CurrentUser>,
    axum::Form(form): axum::Form<PostForm>,
) -> Result<Response, AppError> {
    answer(
        &sso,
        user,
        Binding::Post {
            request: form.saml_request,
            relay_state: form.relay_state,
        },
    )
    .await
}

enum Binding {
    Redirect {
        query: String,
    },
    Post {
        request: String,
        relay_state: Option<String>,
    },
}

impl Binding {
    /// Where the browser comes back after signing in: the same request, by GET.
    fn resume_url(&self) -> String {
        match self {
            Binding::Redirect { query } => format!("/saml/idp/sso?{query}"),
            Binding::Post { request, relay_state } => {
                let mut url = format!("/saml/idp/sso?binding=post&SAMLRequest={}", url_encode(request));
                if let Some(r) = relay_state {
                    url.push_str(&format!("&RelayState={}", url_encode(r)));
                }
                url
            }
        }
    }
}

/// The subject a service provider knows the person by: theirs only (services cannot link their users).
pub(crate) fn name_id(sso: &Sso, sp_entity_id: &str, user: kernel::UserId) -> String {
    let mut name_id = sso
        .identity
        .csrf()
        .keyed_hash("saml-name-id", &format!("{sp_entity_id}:{}", user.0));
    name_id.truncate(40);
    name_id
}

async fn answer(sso: &Sso, user: Option<CurrentUser>, binding: Binding) -> Result<Response, AppError> {
    let idp = sso.idp()?;
    let services = sso.services();
    let now = sso.identity.now();
    let find = |issuer: &str| sp_of(&services, issuer).map(|(_, m)| m);
    let (request, sp) = match &binding {
        Binding::Redirect { query } => idp.authn_request_from_redirect(query, find, now.millis(), SKEW_SECS),
        Binding::Post { request, relay_state } => {
            idp.authn_request_from_post(request, relay_state.as_deref(), find, now.millis(), SKEW_SECS)
        }
    }
    .map_err(refused)?;
    let Some((service, _)) = sp_of(&services, &sp.entity_id) else {
        return Err(AppError::NotFound);
    };
    let Some(user) = user.filter(|u| !u.second_factor_pending) else {
        return Ok(to_login(&binding.resume_url(), false));
    };
    if request.force_authn && user.signed_in_at < now.plus_secs(-FRESH_LOGIN_SECS).millis() {
        return Ok(to_login(&binding.resume_url(), true));
    }
    sso.check_access(service, &user).await?;
    let context = user.context.context;
    let person = sso
        .released(
            user.user_id.0,
            context.school().map(|s| s.0),
            context.profile().map(|p| p.code()),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let attributes: Vec<saml::ReleasedAttribute> = person
        .attributes(service)
        .into_iter()
        .map(|(name, value)| saml::ReleasedAttribute {
            name: name.to_string(),
            friendly_name: None,
            name_format: saml::NameFormat::Basic,
            values: vec![value],
        })
        .collect();
    let acs_url = sp.assertion_consumer_url(&request).map_err(refused)?.to_string();
    let name_id = name_id(sso, &sp.entity_id, user.user_id);
    let session_index = crate::logout::sid(sso, &user.session_key);
    // Remembered for single logout, when the service can be told (HTTP-Redirect binding).
    if sp.redirect_logout().is_some() {
        crate::store::record_sso_session(
            &sso.db,
            crate::store::SsoSession {
                session_key: &user.session_key,
                service_id: &service.id,
                protocol: "saml",
                session_index: &session_index,
                target: Some(&name_id),
                user: user.user_id.0,
                now,
            },
        )
        .await?;
    }
    let response = idp
        .response(&saml::ResponseSpec {
            acs_url: &acs_url,
            audience: &sp.entity_id,
            in_response_to: Some(&request.id),
            name_id: &name_id,
            name_id_format: saml::NAME_ID_PERSISTENT,
            session_index: &session_index,
            authn_instant_millis: user.signed_in_at,
            now_millis: now.millis(),
            lifetime_secs: ASSERTION_SECS,
            attributes: &attributes,
            sign_response: false,
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let html = saml::post_form_html(
        &acs_url,
        &response,
        request.relay_state.as_deref(),
        Some(web::assets::saml_post_url()),
    );
    let mut res = axum::response::Html(html).into_response();
    // The form posts to the service: this page's CSP lets it (and nothing else) leave the site.
    let origin = url::Url::parse(&acs_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    if let Ok(csp) = HeaderValue::from_str(&web::security::csp_with_form_action(&origin)) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(res)
}
