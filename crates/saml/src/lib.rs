//! SAML 2, protocol only, both ways: Ardoise as a *service provider* (signing users in through EduConnect
//! and the académies) and as an *identity provider* (signing them in to the GAR and publishers). No HTTP, no
//! storage, no clock: the `identity` and `sso` crates serve the pages, keep pending requests, sessions and
//! replay caches, and pass the time in.
//!
//! ## Service provider: [`Sp`]
//!
//! Our metadata, signed AuthnRequests over HTTP-Redirect, and strict validation (with decryption) of the
//! Responses identity providers POST back. An attacker controls every byte of the POSTed response, so
//! [`Sp::validate_response`] accepts one narrow shape:
//! - a single `samlp:Response`, at most 256 KiB of base64, parsed without any DTD;
//! - status `Success`, `Destination` (if present) our ACS URL, every `Issuer` the IdP's entityID;
//! - exactly one assertion, decrypted with our key when it is a `saml:EncryptedAssertion` (RSA-OAEP, then
//!   AES-CBC or AES-GCM);
//! - a signature on the assertion, or on the response around it: enveloped, Exclusive C14N, SHA-256,
//!   RSA-SHA256, checked only against the certificates of the IdP's metadata, with a reference naming the
//!   signed element's unique ID — and data is read only from the element whose signature was verified, so a
//!   forged assertion wrapped around or beside a genuine one is refused (signature wrapping);
//! - `NotBefore`/`NotOnOrAfter` with the given clock skew, an `AudienceRestriction` naming us, and a bearer
//!   `SubjectConfirmation` for our ACS URL, unexpired, answering the expected request.
//!
//! Replays are the caller's to stop: it must record [`Assertion::id`] until
//! [`Assertion::not_on_or_after_millis`] and refuse a second use.
//!
//! ## Identity provider: [`Idp`]
//!
//! Service providers' metadata ([`parse_sp_metadata`]), their AuthnRequests over HTTP-Redirect or
//! HTTP-POST — signature checked against their metadata and required when either side says so, issuer,
//! destination, age and assertion consumer checked ([`Idp::authn_request_from_redirect`],
//! [`Idp::authn_request_from_post`]) — our metadata, and the Responses we send back over HTTP-POST
//! ([`Idp::response`], [`post_form_html`]): one assertion, always signed the way we accept signatures, the
//! response optionally signed too. Replays of requests are the caller's to stop, by request ID.
//!
//! Single logout, identity provider side only, over HTTP-Redirect: service providers' LogoutRequests
//! (always signed) and LogoutResponses ([`Idp::logout_request_from_redirect`],
//! [`Idp::logout_response_from_redirect`]), and our signed ones ([`Idp::logout_request_url`],
//! [`Idp::logout_response_url`]). Our service provider side sends and reads no logout message.

#![warn(missing_docs)]

mod c14n;
mod dsig;
mod error;
mod idp;
mod keys;
mod metadata;
mod redirect;
mod request;
mod response;
mod xml;
mod xmlenc;

pub use error::SamlError;
pub use idp::{
    AssertionConsumer, AuthnRequest, Binding, Idp, LogoutRequest, LogoutRequestSpec, LogoutResponse,
    NAME_ID_PERSISTENT, NAME_ID_TRANSIENT, NameFormat, ReleasedAttribute, ResponseSpec, SingleLogoutService,
    SpMetadata, parse_sp_metadata, post_form_html,
};
pub use keys::{Keys, SpKeys};
pub use metadata::{IdpMetadata, parse_idp_metadata};

/// Ardoise as a SAML service provider.
#[derive(Debug, Clone)]
pub struct Sp {
    /// Our entityID, as the identity providers registered it (the expected `Audience`).
    pub entity_id: String,
    /// Our assertion consumer service (HTTP-POST): the expected `Destination` and `Recipient`.
    pub acs_url: String,
    /// Our signing and decryption key, with the certificate our metadata publishes.
    pub keys: SpKeys,
}

impl Sp {
    /// Our metadata XML: an `EntityDescriptor` with an `SPSSODescriptor` (`AuthnRequestsSigned` and
    /// `WantAssertionsSigned` true), our certificate for `use="signing"` and `use="encryption"` and one
    /// HTTP-POST `AssertionConsumerService`.
    pub fn metadata(&self) -> String {
        metadata::sp_metadata(self)
    }

    /// The URL to redirect the browser to: the IdP's SSO service with a DEFLATEd, base64 AuthnRequest,
    /// `RelayState` (omitted when empty, at most 80 bytes), `SigAlg` rsa-sha256 and the `Signature` over the
    /// query string as the HTTP-Redirect binding defines it. `request_id` must be an xs:ID (e.g. `_` + hex)
    /// and is what [`Expect::in_response_to`] must later name.
    pub fn authn_request_url(
        &self,
        idp: &IdpMetadata,
        request_id: &str,
        issue_instant_millis: i64,
        relay_state: &str,
    ) -> Result<String, SamlError> {
        request::authn_request_url(self, idp, request_id, issue_instant_millis, relay_state)
    }

    /// Validates the base64 `SAMLResponse` POSTed to our ACS by `idp` and returns its one assertion (see the
    /// crate documentation for every rule). The caller must still refuse a replayed [`Assertion::id`].
    pub fn validate_response(
        &self,
        idp: &IdpMetadata,
        saml_response_b64: &str,
        expect: &Expect,
    ) -> Result<Assertion, SamlError> {
        response::validate(self, idp, saml_response_b64, expect)
    }
}

/// What the caller knows when a response arrives.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The ID of the AuthnRequest this response must answer. `None` accepts only an unsolicited
    /// (IdP-initiated) response, one that names no request at all; a caller that does not want unsolicited
    /// sign-ins always passes `Some`.
    pub in_response_to: Option<&'a str>,
    /// Now, in Unix milliseconds.
    pub now_millis: i64,
    /// Tolerated difference between our clock and the IdP's, in seconds.
    pub clock_skew_secs: i64,
}

/// A validated assertion: who signed in, and what the identity provider says about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// The assertion's ID, to keep in a replay cache until `not_on_or_after_millis`.
    pub id: String,
    /// The identity provider's entityID (checked equal to the metadata's).
    pub issuer: String,
    /// The request it answers (`None` for an unsolicited response).
    pub in_response_to: Option<String>,
    /// The subject's NameID (with EduConnect, an opaque persistent identifier).
    pub name_id: String,
    /// The `SessionIndex` of the authentication statement, for single logout.
    pub session_index: Option<String>,
    /// The end of the assertion's validity (earliest of its conditions and bearer confirmation), Unix ms.
    pub not_on_or_after_millis: i64,
    /// Its attributes, in document order.
    pub attributes: Vec<Attribute>,
}

/// One `saml:Attribute`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// `Name`, e.g. `urn:oid:1.3.6.1.4.1.20326.10.999.1.57`.
    pub name: String,
    /// `FriendlyName`, e.g. `FrEduCtId`.
    pub friendly_name: Option<String>,
    /// The text of each `AttributeValue`.
    pub values: Vec<String>,
}

impl Assertion {
    /// The values of the first attribute whose `Name` or `FriendlyName` is `name_or_friendly`.
    pub fn attribute(&self, name_or_friendly: &str) -> Option<&[String]> {
        self.attributes
            .iter()
            .find(|a| a.name == name_or_friendly || a.friendly_name.as_deref() == Some(name_or_friendly))
            .map(|a| a.values.as_slice())
    }
}
