//! AuthnRequests that service providers send our identity provider, over HTTP-Redirect (DEFLATE, base64,
//! signature over the query string) or HTTP-POST (base64, enveloped XML signature); and the checks every
//! message a service provider sends us goes through (its issuer, signature, address and age), which the
//! logout messages share.
//!
//! A message's `Issuer` is read before any signature is checked, but only to find whose certificates to
//! check it with; nothing else is believed until the signature verifies (when there is one).

use roxmltree::Node;

use super::{AuthnRequest, Idp, SpMetadata};
use crate::redirect::{self, Param, SignatureCheck};
use crate::xml::{self, BINDING_POST, NS_ASSERTION, NS_PROTOCOL};
use crate::{SamlError, dsig};

/// Base64 (HTTP-POST) longer than this is refused before decoding.
const MAX_ENCODED: usize = 64 * 1024;
/// The SAML bindings say 80 bytes, but service providers send longer ones and nothing breaks: we only
/// echo it back, escaped.
pub(crate) const MAX_RELAY_STATE: usize = 1024;
/// How long after its `IssueInstant` a message is still accepted (plus the clock skew): the browser
/// brings it at once, so this only has to cover slow networks.
pub(crate) const REQUEST_LIFETIME_SECS: i64 = 180;

/// When the message is checked, and how far apart clocks may be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    pub millis: i64,
    pub skew_secs: i64,
}

impl Now {
    fn skew_millis(self) -> i64 {
        self.skew_secs.max(0).saturating_mul(1000)
    }

    /// Has `instant` passed, even allowing for the skew?
    pub(crate) fn has_passed(self, instant_millis: i64) -> bool {
        instant_millis <= self.millis.saturating_sub(self.skew_millis())
    }
}

pub(crate) fn from_redirect<'s>(
    idp: &Idp,
    raw_query: &str,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
    now: Now,
) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
    receive_redirect(
        raw_query,
        Param::Request,
        "AuthnRequest",
        find_sp,
        |request, sp, signature, relay_state| {
            signature.enforce(
                signature_required(idp, sp),
                SamlError::UnsignedRequest,
                SamlError::BadRequestSignature,
            )?;
            read_request(idp, request, sp, now, relay_state)
        },
    )
}

/// Reads a message of the HTTP-Redirect binding: `param` holds a `samlp:{element}` whose `Issuer` picks
/// the service provider (through `find_sp`); `read` gets the message, that provider's metadata, what the
/// query's signature says (checked against its certificates) and the decoded `RelayState`.
pub(crate) fn receive_redirect<'s, T>(
    raw_query: &str,
    param: Param,
    element: &'static str,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
    read: impl FnOnce(Node, &'s SpMetadata, SignatureCheck, Option<String>) -> Result<T, SamlError>,
) -> Result<(T, &'s SpMetadata), SamlError> {
    let received = redirect::split_query(raw_query, param)?;
    let text = received.xml()?;
    let relay_state = bounded(received.relay_state()?)?;
    let doc = xml::parse(&text)?;
    let message = doc.root_element();
    let sp = find_issuer_sp(message, element, find_sp)?;
    let signature = received.check_signature(&sp.signing_certs)?;
    Ok((read(message, sp, signature, relay_state)?, sp))
}

pub(crate) fn from_post<'s>(
    idp: &Idp,
    saml_request_b64: &str,
    relay_state: Option<&str>,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
    now: Now,
) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
    if saml_request_b64.len() > MAX_ENCODED {
        return Err(SamlError::malformed("demande trop grande"));
    }
    let relay_state = bounded(relay_state.map(str::to_string))?;
    let bytes = xml::base64_decode(saml_request_b64)?;
    let text = String::from_utf8(bytes).map_err(|_| SamlError::malformed("demande non UTF-8"))?;
    let doc = xml::parse(&text)?;
    let request = doc.root_element();
    let sp = find_issuer_sp(request, "AuthnRequest", find_sp)?;
    if dsig::is_signed(request) {
        dsig::verify(request, &sp.signing_certs).map_err(|e| match e {
            SamlError::BadSignature => SamlError::BadRequestSignature,
            other => other,
        })?;
    } else if signature_required(idp, sp) {
        return Err(SamlError::UnsignedRequest);
    }
    let request = read_request(idp, request, sp, now, relay_state)?;
    Ok((request, sp))
}

fn signature_required(idp: &Idp, sp: &SpMetadata) -> bool {
    sp.authn_requests_signed || idp.want_authn_requests_signed
}

fn bounded(relay_state: Option<String>) -> Result<Option<String>, SamlError> {
    if relay_state.as_ref().is_some_and(|r| r.len() > MAX_RELAY_STATE) {
        return Err(SamlError::malformed("RelayState trop long"));
    }
    Ok(relay_state)
}

/// The service provider named by the (not yet trusted) `Issuer` of `message`, which must be a
/// `samlp:{element}`; it must be the one whose metadata the caller returns.
fn find_issuer_sp<'s>(
    message: Node,
    element: &'static str,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
) -> Result<&'s SpMetadata, SamlError> {
    if !xml::is(message, NS_PROTOCOL, element) {
        return Err(SamlError::Malformed(format!("samlp:{element} attendu")));
    }
    let issuer = xml::only_child(message, NS_ASSERTION, "Issuer")?;
    if issuer
        .attribute("Format")
        .is_some_and(|f| f != xml::NAME_ID_ENTITY)
    {
        return Err(SamlError::UnknownServiceProvider);
    }
    let issuer = xml::text_of(issuer);
    match find_sp(&issuer) {
        Some(sp) if sp.entity_id == issuer => Ok(sp),
        _ => Err(SamlError::UnknownServiceProvider),
    }
}

/// What every message a service provider sends us carries, checked: `Version` 2.0, an `ID` that is an
/// xs:ID, a `Destination` (when present) equal to `our_url`, and an `IssueInstant` at most
/// [`REQUEST_LIFETIME_SECS`] old and not in the future, give or take the skew (else `stale`). Returns the
/// ID and the instant.
pub(crate) fn check_message<'a>(
    message: Node<'a, '_>,
    our_url: Option<&str>,
    now: Now,
    stale: SamlError,
) -> Result<(&'a str, i64), SamlError> {
    if message.attribute("Version") != Some("2.0") {
        return Err(SamlError::malformed("version SAML 2.0 attendue"));
    }
    let id = message
        .attribute("ID")
        .filter(|id| crate::request::is_xml_id(id))
        .ok_or_else(|| SamlError::malformed("ID du message manquant ou invalide"))?;
    if message
        .attribute("Destination")
        .is_some_and(|d| Some(d) != our_url)
    {
        return Err(SamlError::malformed(
            "le message est adressé à une autre adresse que la nôtre",
        ));
    }
    let issue_instant_millis = xml::parse_instant(message.attribute("IssueInstant").unwrap_or(""))?;
    let oldest = now
        .millis
        .saturating_sub(now.skew_millis().saturating_add(REQUEST_LIFETIME_SECS * 1000));
    if issue_instant_millis > now.millis.saturating_add(now.skew_millis()) || issue_instant_millis < oldest {
        return Err(stale);
    }
    Ok((id, issue_instant_millis))
}

/// Reads the request once its signature (if any) is verified, checking it against our address, the clock
/// and the service provider's assertion consumers.
fn read_request(
    idp: &Idp,
    request: Node,
    sp: &SpMetadata,
    now: Now,
    relay_state: Option<String>,
) -> Result<AuthnRequest, SamlError> {
    let (id, issue_instant_millis) =
        check_message(request, Some(&idp.sso_url), now, SamlError::StaleRequest)?;
    if request
        .attribute("ProtocolBinding")
        .is_some_and(|b| b != BINDING_POST)
    {
        return Err(SamlError::malformed(
            "seule la liaison HTTP-POST est proposée pour la réponse",
        ));
    }
    let acs_index = request
        .attribute("AssertionConsumerServiceIndex")
        .map(|i| i.trim().parse::<u16>())
        .transpose()
        .map_err(|_| SamlError::malformed("AssertionConsumerServiceIndex invalide"))?;
    let acs_url = request.attribute("AssertionConsumerServiceURL");
    if acs_url.is_some() && acs_index.is_some() {
        return Err(SamlError::malformed(
            "AssertionConsumerServiceURL et AssertionConsumerServiceIndex s'excluent",
        ));
    }
    let policy = xml::opt_child(request, NS_PROTOCOL, "NameIDPolicy")?;
    let parsed = AuthnRequest {
        id: id.to_string(),
        issuer: sp.entity_id.clone(),
        acs_url: acs_url.map(str::to_string),
        acs_index,
        force_authn: boolean(request, "ForceAuthn")?,
        is_passive: boolean(request, "IsPassive")?,
        name_id_policy_format: policy.and_then(|p| p.attribute("Format")).map(str::to_string),
        issue_instant_millis,
        relay_state,
    };
    sp.assertion_consumer_url(&parsed)?;
    Ok(parsed)
}

fn boolean(node: Node, name: &'static str) -> Result<bool, SamlError> {
    match node.attribute(name).map(str::trim) {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(SamlError::Malformed(format!("{name} n'est pas un booléen"))),
    }
}
