//! Single logout, identity provider side, over HTTP-Redirect (SAML Profiles §4.4): the LogoutRequests and
//! LogoutResponses service providers send us, and the ones we send them.
//!
//! A LogoutRequest ends a person's session, so one from a service provider must be signed (§4.4.4.1),
//! whatever its metadata or ours says; its LogoutResponse only reports how a logout went, and is checked
//! like its AuthnRequests are. Replays are harmless (logging out twice) and not tracked here.

use roxmltree::Node;

use super::request::{self, MAX_RELAY_STATE as MAX_ECHOED_RELAY_STATE, Now};
use super::response::new_id;
use super::{Idp, SpMetadata};
use crate::SamlError;
use crate::redirect::{self, Param};
use crate::request::{MAX_RELAY_STATE, is_xml_id};
use crate::xml::{self, NAME_ID_ENTITY, NS_ASSERTION, NS_PROTOCOL, STATUS_SUCCESS};

/// How far apart our clock and a service provider's may be for logout messages (the parsers take no
/// skew parameter; this is what the `sso` crate allows for AuthnRequests).
pub(crate) const CLOCK_SKEW_SECS: i64 = 120;
/// How long our LogoutRequest stays valid (its `NotOnOrAfter`).
const REQUEST_VALIDITY_MILLIS: i64 = 5 * 60 * 1000;
const STATUS_RESPONDER: &str = "urn:oasis:names:tc:SAML:2.0:status:Responder";

/// A LogoutRequest a service provider sent us (SP-initiated logout), signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutRequest {
    /// Its `ID`, which our LogoutResponse's `InResponseTo` must name.
    pub id: String,
    /// The service provider's entityID (its `Issuer`, equal to its metadata's).
    pub issuer: String,
    /// The `NameID` of the person to log out, as we gave it to that service provider.
    pub name_id: String,
    /// The `SessionIndex`es to end (none: every session of that person with that provider).
    pub session_indexes: Vec<String>,
    /// The binding's `RelayState`, to send back unchanged with our LogoutResponse.
    pub relay_state: Option<String>,
}

/// A service provider's answer to our LogoutRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutResponse {
    /// Its `ID`.
    pub id: String,
    /// The service provider's entityID (its `Issuer`, equal to its metadata's).
    pub issuer: String,
    /// The ID of the LogoutRequest it answers, when it names one: the caller must check it is one of ours.
    pub in_response_to: Option<String>,
    /// Whether the top-level status is `Success` (the person is logged out of that service).
    pub success: bool,
    /// The binding's `RelayState`, as we sent it.
    pub relay_state: Option<String>,
}

/// What our LogoutRequest to a service provider says, for [`Idp::logout_request_url`].
#[derive(Debug, Clone)]
pub struct LogoutRequestSpec<'a> {
    /// The service provider's `SingleLogoutService` `Location` (where the browser goes, and the
    /// `Destination`).
    pub destination: &'a str,
    /// The NameID we gave that service provider.
    pub name_id: &'a str,
    /// Its format, e.g. [`crate::NAME_ID_PERSISTENT`].
    pub name_id_format: &'a str,
    /// The service provider's entityID (the NameID's `SPNameQualifier`).
    pub sp_name_qualifier: &'a str,
    /// The `SessionIndex` of our assertion to it (omitted when empty).
    pub session_index: &'a str,
    /// Now, Unix milliseconds: the `IssueInstant`, and five minutes later the `NotOnOrAfter`.
    pub now_millis: i64,
    /// The `RelayState` to send along (at most 80 bytes), which the service provider sends back.
    pub relay_state: Option<&'a str>,
}

impl Idp {
    /// The HTTP-Redirect URL carrying our LogoutRequest to a service provider: `SAMLRequest` (DEFLATEd,
    /// base64), `RelayState`, `SigAlg` rsa-sha256 and our `Signature` over them, appended to
    /// `spec.destination`. The request names the NameID (qualified by us and the service provider) and
    /// session index of our assertion, and expires five minutes after `now_millis`. Returns the URL and
    /// the request's fresh ID, which the service provider's LogoutResponse must answer.
    pub fn logout_request_url(&self, spec: &LogoutRequestSpec) -> Result<(String, String), SamlError> {
        if spec.relay_state.is_some_and(|r| r.len() > MAX_RELAY_STATE) {
            return Err(SamlError::malformed("RelayState de plus de 80 octets"));
        }
        let id = new_id();
        let until = xml::format_instant(spec.now_millis.saturating_add(REQUEST_VALIDITY_MILLIS));
        let session_index = if spec.session_index.is_empty() {
            String::new()
        } else {
            format!(
                "<samlp:SessionIndex>{}</samlp:SessionIndex>",
                xml::escape(spec.session_index)
            )
        };
        let request = format!(
            r#"{head}<saml:NameID Format="{format}" NameQualifier="{idp}" SPNameQualifier="{sp}">{name_id}</saml:NameID>{session_index}</samlp:LogoutRequest>"#,
            head = self.head(
                "LogoutRequest",
                &id,
                spec.now_millis,
                spec.destination,
                ("NotOnOrAfter", &until)
            ),
            format = xml::escape(spec.name_id_format),
            idp = xml::escape(&self.entity_id),
            sp = xml::escape(spec.sp_name_qualifier),
            name_id = xml::escape(spec.name_id),
        );
        let url = redirect::signed_url(
            spec.destination,
            Param::Request,
            &request,
            spec.relay_state,
            &self.keys,
        )?;
        Ok((url, id))
    }

    /// The HTTP-Redirect URL carrying our signed LogoutResponse (`SAMLResponse=…`, `RelayState`, `SigAlg`,
    /// `Signature`) to `destination` (the service provider's `SingleLogoutService` `ResponseLocation`, or
    /// else `Location`), answering its request `in_response_to`: status `Success`, or `Responder` when
    /// `success` is false. `relay_state` is the request's, echoed.
    pub fn logout_response_url(
        &self,
        destination: &str,
        in_response_to: &str,
        success: bool,
        relay_state: Option<&str>,
        now_millis: i64,
    ) -> Result<String, SamlError> {
        if !is_xml_id(in_response_to) {
            return Err(SamlError::malformed("InResponseTo invalide (xs:ID attendu)"));
        }
        if relay_state.is_some_and(|r| r.len() > MAX_ECHOED_RELAY_STATE) {
            return Err(SamlError::malformed("RelayState trop long"));
        }
        let status = if success { STATUS_SUCCESS } else { STATUS_RESPONDER };
        let response = format!(
            r#"{head}<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:LogoutResponse>"#,
            head = self.head(
                "LogoutResponse",
                &new_id(),
                now_millis,
                destination,
                ("InResponseTo", in_response_to)
            ),
        );
        redirect::signed_url(destination, Param::Response, &response, relay_state, &self.keys)
    }

    /// Reads and checks a service provider's LogoutRequest sent with the HTTP-Redirect binding. `raw_query`
    /// is the query string exactly as received (with or without its `?`).
    ///
    /// `find_sp` gets the request's `Issuer` and returns that service provider's metadata (or `None`: the
    /// request is refused). The request must be signed (RSA-SHA256 over the query, by one of the
    /// metadata's signing certificates), whatever the metadata says; issued at most 180 s (plus a 120 s
    /// clock skew) before `now_millis` and not after it, not past its `NotOnOrAfter`; addressed to
    /// `slo_url` if it names a `Destination`; and name the person with a `NameID`. Returns the request and
    /// the metadata `find_sp` gave. Which sessions to end is the caller's to decide, from the NameID and
    /// session indexes it gave that service provider.
    pub fn logout_request_from_redirect<'s>(
        &self,
        raw_query: &str,
        find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
        now_millis: i64,
    ) -> Result<(LogoutRequest, &'s SpMetadata), SamlError> {
        let now = now(now_millis);
        request::receive_redirect(
            raw_query,
            Param::Request,
            "LogoutRequest",
            find_sp,
            |message, sp, signature, relay_state| {
                signature.enforce(true, SamlError::UnsignedLogout, SamlError::BadLogoutSignature)?;
                let id = self.check(message, now)?;
                if let Some(until) = message.attribute("NotOnOrAfter")
                    && now.has_passed(xml::parse_instant(until)?)
                {
                    return Err(SamlError::StaleLogout);
                }
                let name_id = xml::text_of(xml::only_child(message, NS_ASSERTION, "NameID")?);
                if name_id.is_empty() {
                    return Err(SamlError::malformed("NameID vide"));
                }
                Ok(LogoutRequest {
                    id,
                    issuer: sp.entity_id.clone(),
                    name_id,
                    session_indexes: xml::children(message, NS_PROTOCOL, "SessionIndex")
                        .map(xml::text_of)
                        .collect(),
                    relay_state,
                })
            },
        )
    }

    /// Reads and checks a service provider's LogoutResponse sent with the HTTP-Redirect binding
    /// (`SAMLResponse`, `RelayState`, `SigAlg`, `Signature` in the raw query string). Its signature is
    /// verified when present, and required when the metadata says `AuthnRequestsSigned="true"`; `Issuer`,
    /// `Destination` and `IssueInstant` are checked as for [`Idp::logout_request_from_redirect`].
    /// `success` is true only for a top-level status `Success`. The caller must check that
    /// `in_response_to` names a LogoutRequest it sent to that service provider.
    pub fn logout_response_from_redirect<'s>(
        &self,
        raw_query: &str,
        find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
        now_millis: i64,
    ) -> Result<(LogoutResponse, &'s SpMetadata), SamlError> {
        let now = now(now_millis);
        request::receive_redirect(
            raw_query,
            Param::Response,
            "LogoutResponse",
            find_sp,
            |message, sp, signature, relay_state| {
                signature.enforce(
                    sp.authn_requests_signed,
                    SamlError::UnsignedLogout,
                    SamlError::BadLogoutSignature,
                )?;
                let id = self.check(message, now)?;
                let status = xml::status_code(message)?;
                Ok(LogoutResponse {
                    id,
                    issuer: sp.entity_id.clone(),
                    in_response_to: message.attribute("InResponseTo").map(str::to_string),
                    success: status.attribute("Value") == Some(STATUS_SUCCESS),
                    relay_state,
                })
            },
        )
    }

    /// The start of our logout message `element`: namespaces, ID, times, `Destination`, one more
    /// attribute, and our `Issuer`.
    fn head(
        &self,
        element: &str,
        id: &str,
        now_millis: i64,
        destination: &str,
        extra: (&str, &str),
    ) -> String {
        format!(
            concat!(
                r#"<samlp:{element} xmlns:samlp="{NS_PROTOCOL}" xmlns:saml="{NS_ASSERTION}" ID="{id}" "#,
                r#"Version="2.0" IssueInstant="{now}" Destination="{destination}" {name}="{value}">"#,
                r#"<saml:Issuer Format="{NAME_ID_ENTITY}">{issuer}</saml:Issuer>"#
            ),
            element = element,
            NS_PROTOCOL = NS_PROTOCOL,
            NS_ASSERTION = NS_ASSERTION,
            id = id,
            now = xml::format_instant(now_millis),
            destination = xml::escape(destination),
            name = extra.0,
            value = xml::escape(extra.1),
            NAME_ID_ENTITY = NAME_ID_ENTITY,
            issuer = xml::escape(&self.entity_id),
        )
    }

    /// The checks both logout messages share: version, ID, addressed to our `slo_url`, recent.
    fn check(&self, message: Node, now: Now) -> Result<String, SamlError> {
        let (id, _) = request::check_message(message, self.slo_url.as_deref(), now, SamlError::StaleLogout)?;
        Ok(id.to_string())
    }
}

fn now(millis: i64) -> Now {
    Now {
        millis,
        skew_secs: CLOCK_SKEW_SECS,
    }
}

#[cfg(test)]
mod tests;
