//! Ardoise as a SAML identity provider: reading service providers' metadata, AuthnRequests and logout
//! messages, writing our metadata, the signed responses the browser POSTs to them and our logout messages.

mod logout;
mod metadata;
mod request;
mod response;
#[cfg(test)]
mod tests;

pub use logout::{LogoutRequest, LogoutRequestSpec, LogoutResponse};
pub use metadata::{AssertionConsumer, Binding, SingleLogoutService, SpMetadata, parse_sp_metadata};

use crate::{Keys, SamlError, xml};

/// Ardoise as a SAML identity provider, for service providers such as the GAR and publishers.
#[derive(Debug, Clone)]
pub struct Idp {
    /// Our entityID as identity provider: the `Issuer` of our responses and assertions.
    pub entity_id: String,
    /// Our single sign-on service, for both HTTP-Redirect and HTTP-POST AuthnRequests (the expected
    /// `Destination` of requests).
    pub sso_url: String,
    /// Our single logout service (HTTP-Redirect), published in our metadata when given: the expected
    /// `Destination` of service providers' logout messages (with `None`, one naming a `Destination` is
    /// refused).
    pub slo_url: Option<String>,
    /// Our signing key, with the certificate our metadata publishes.
    pub keys: Keys,
    /// Refuse unsigned AuthnRequests from every service provider, whatever its metadata says (published as
    /// `WantAuthnRequestsSigned`). When false, a service provider's own `AuthnRequestsSigned="true"` still
    /// makes its unsigned requests refused.
    pub want_authn_requests_signed: bool,
}

/// An AuthnRequest from a service provider, checked: signed as required, issued by the service provider
/// whose metadata was used, addressed to us, recent, and naming no assertion consumer outside its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnRequest {
    /// Its `ID`, which the response's `InResponseTo` must name.
    pub id: String,
    /// The service provider's entityID (its `Issuer`, equal to its metadata's).
    pub issuer: String,
    /// `AssertionConsumerServiceURL`, when the request names one (then one of the metadata's).
    pub acs_url: Option<String>,
    /// `AssertionConsumerServiceIndex`, when the request names one (then one of the metadata's).
    pub acs_index: Option<u16>,
    /// `ForceAuthn`: the user must authenticate again, even with a session.
    pub force_authn: bool,
    /// `IsPassive`: no page may be shown; without a session, answer with a failure status.
    pub is_passive: bool,
    /// `NameIDPolicy/@Format`, when the request asks for one.
    pub name_id_policy_format: Option<String>,
    /// `IssueInstant`, Unix milliseconds.
    pub issue_instant_millis: i64,
    /// The binding's `RelayState`, to send back unchanged with the response.
    pub relay_state: Option<String>,
}

/// `urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`: an opaque, stable identifier per service.
pub const NAME_ID_PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
/// `urn:oasis:names:tc:SAML:2.0:nameid-format:transient`: a one-time identifier.
pub const NAME_ID_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

/// What our response says, for [`Idp::response`].
#[derive(Debug, Clone)]
pub struct ResponseSpec<'a> {
    /// Where the browser will POST it (the `Destination` and the bearer `Recipient`): for a request,
    /// [`SpMetadata::assertion_consumer_url`].
    pub acs_url: &'a str,
    /// The service provider's entityID (the `Audience` and the NameID's `SPNameQualifier`).
    pub audience: &'a str,
    /// The answered [`AuthnRequest::id`]; `None` for an unsolicited (IdP-initiated) response.
    pub in_response_to: Option<&'a str>,
    /// The subject's identifier for this service provider.
    pub name_id: &'a str,
    /// Its format, e.g. [`NAME_ID_PERSISTENT`].
    pub name_id_format: &'a str,
    /// The `SessionIndex` of the authentication statement (for single logout).
    pub session_index: &'a str,
    /// When the user authenticated, Unix milliseconds.
    pub authn_instant_millis: i64,
    /// Now, Unix milliseconds: the `IssueInstant`s and `NotBefore`.
    pub now_millis: i64,
    /// How long the assertion may be used (its conditions' and confirmation's `NotOnOrAfter`), in seconds.
    pub lifetime_secs: i64,
    /// The attributes released to this service provider (none: no `AttributeStatement`).
    pub attributes: &'a [ReleasedAttribute],
    /// Also sign the `samlp:Response` around the (always signed) assertion.
    pub sign_response: bool,
}

/// One attribute our identity provider releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasedAttribute {
    /// `Name`, e.g. `urn:oid:0.9.2342.19200300.100.1.1` or, in the basic format, `uid`.
    pub name: String,
    /// `FriendlyName`, e.g. `uid`.
    pub friendly_name: Option<String>,
    /// How `name` is to be read.
    pub name_format: NameFormat,
    /// Its values, each an `xs:string` `AttributeValue`, in order.
    pub values: Vec<String>,
}

/// An attribute's `NameFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameFormat {
    /// `urn:oasis:names:tc:SAML:2.0:attrname-format:uri` (OIDs, URNs: what the GAR and eduGAIN use).
    Uri,
    /// `urn:oasis:names:tc:SAML:2.0:attrname-format:basic` (plain names).
    Basic,
}

impl Idp {
    /// Our metadata XML: an `EntityDescriptor` with an `IDPSSODescriptor` (`WantAuthnRequestsSigned` as
    /// configured), our signing certificate, `SingleSignOnService` for HTTP-Redirect and HTTP-POST at
    /// `sso_url`, `SingleLogoutService` (HTTP-Redirect) at `slo_url` if any, and the persistent and
    /// transient NameID formats.
    pub fn metadata(&self) -> String {
        metadata::idp_metadata(self)
    }

    /// Reads and checks an AuthnRequest sent with the HTTP-Redirect binding. `raw_query` is the query
    /// string exactly as received (with or without its `?`): the signature covers
    /// `SAMLRequest=…&RelayState=…&SigAlg=…` as the service provider encoded it.
    ///
    /// `find_sp` gets the request's `Issuer` and returns that service provider's metadata (or `None`: the
    /// request is refused). The signature must be RSA-SHA256 and verify with the metadata's certificates;
    /// an unsigned request is refused when the metadata says `AuthnRequestsSigned="true"` or
    /// [`Idp::want_authn_requests_signed`] is set. The request must have been issued at most 180 s (plus
    /// `clock_skew_secs`) before `now_millis` and not after it (minus the skew), be addressed to `sso_url`
    /// if it names a `Destination`, ask for the response over HTTP-POST, and name no assertion consumer
    /// the metadata lacks. Returns the request and the metadata `find_sp` gave.
    pub fn authn_request_from_redirect<'s>(
        &self,
        raw_query: &str,
        find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
        now_millis: i64,
        clock_skew_secs: i64,
    ) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
        let now = request::Now {
            millis: now_millis,
            skew_secs: clock_skew_secs,
        };
        request::from_redirect(self, raw_query, find_sp, now)
    }

    /// Reads and checks an AuthnRequest sent with the HTTP-POST binding: `saml_request_b64` and
    /// `relay_state` are the form fields. Its signature, when present or required, is an enveloped XML
    /// signature of the request (exclusive C14N, SHA-256, RSA-SHA256) by one of the metadata's
    /// certificates; every other rule is that of [`Idp::authn_request_from_redirect`].
    pub fn authn_request_from_post<'s>(
        &self,
        saml_request_b64: &str,
        relay_state: Option<&str>,
        find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
        now_millis: i64,
        clock_skew_secs: i64,
    ) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
        let now = request::Now {
            millis: now_millis,
            skew_secs: clock_skew_secs,
        };
        request::from_post(self, saml_request_b64, relay_state, find_sp, now)
    }

    /// The base64 `SAMLResponse` to POST to the service provider (see [`post_form_html`]): status Success,
    /// and one assertion with fresh random IDs, signed (enveloped, exclusive C14N, SHA-256, RSA-SHA256,
    /// our certificate in `KeyInfo`), holding the NameID, a bearer confirmation for `acs_url`, conditions
    /// restricting it to `audience` for `lifetime_secs`, a PasswordProtectedTransport authentication
    /// statement and the released attributes. With `sign_response`, the response is signed too.
    pub fn response(&self, spec: &ResponseSpec) -> Result<String, SamlError> {
        response::response(self, spec)
    }
}

/// The page of the HTTP-POST binding: a form POSTing `SAMLResponse` (and `RelayState`, when given) to
/// `acs_url`, with a visible « Continuer vers le service » button. All values are HTML-escaped.
///
/// It holds no script, so that Ardoise's Content-Security-Policy (no inline script) stands: without help
/// the user clicks the button. To submit it at once, pass `script_src`, the URL of a script served by
/// Ardoise itself (allowed by `script-src 'self'`) that runs
/// `document.getElementById("saml-post").submit()`; it is loaded with `defer`, after the form exists.
/// The page's CSP must also let the form go to the service (`form-action` naming its origin, or absent).
pub fn post_form_html(
    acs_url: &str,
    saml_response_b64: &str,
    relay_state: Option<&str>,
    script_src: Option<&str>,
) -> String {
    let script = script_src.map_or(String::new(), |src| {
        format!("\n<script src=\"{}\" defer></script>", xml::escape(src))
    });
    let relay = relay_state.map_or(String::new(), |r| {
        format!(
            "\n<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
            xml::escape(r)
        )
    });
    format!(
        r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Connexion au service</title>{script}
</head>
<body>
<form id="saml-post" method="post" action="{action}">
<input type="hidden" name="SAMLResponse" value="{response}">{relay}
<p>Vous êtes connecté. Si la page ne change pas d'elle-même, cliquez sur le bouton.</p>
<button type="submit">Continuer vers le service</button>
</form>
</body>
</html>
"#,
        action = xml::escape(acs_url),
        response = xml::escape(saml_response_b64),
    )
}
