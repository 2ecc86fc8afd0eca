//! The `samlp:Response` our identity provider POSTs to a service provider: one signed assertion, and
//! optionally a signature on the response too.

use rsa::rand_core::{OsRng, RngCore};

use super::{Idp, NameFormat, ResponseSpec};
use crate::xml::{self, NAME_ID_ENTITY as ENTITY_FORMAT, NS_ASSERTION, NS_PROTOCOL, STATUS_SUCCESS};
use crate::{SamlError, dsig};

const NS_XS: &str = "http://www.w3.org/2001/XMLSchema";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const PASSWORD_PROTECTED_TRANSPORT: &str =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

pub(crate) fn response(idp: &Idp, spec: &ResponseSpec) -> Result<String, SamlError> {
    if spec.lifetime_secs <= 0 {
        return Err(SamlError::malformed("durée de validité nulle"));
    }
    let assertion = signed_assertion(idp, spec)?;
    let id = new_id();
    let in_response_to = spec.in_response_to.map_or(String::new(), |r| {
        format!(r#" InResponseTo="{}""#, xml::escape(r))
    });
    let head = format!(
        concat!(
            r#"<samlp:Response xmlns:samlp="{NS_PROTOCOL}" xmlns:saml="{NS_ASSERTION}" ID="{id}" "#,
            r#"Version="2.0" IssueInstant="{now}" Destination="{acs}"{in_response_to}>"#,
            r#"<saml:Issuer Format="{ENTITY_FORMAT}">{issuer}</saml:Issuer>"#
        ),
        NS_PROTOCOL = NS_PROTOCOL,
        NS_ASSERTION = NS_ASSERTION,
        id = id,
        now = xml::format_instant(spec.now_millis),
        acs = xml::escape(spec.acs_url),
        in_response_to = in_response_to,
        ENTITY_FORMAT = ENTITY_FORMAT,
        issuer = xml::escape(&idp.entity_id),
    );
    let tail = format!(
        r#"<samlp:Status><samlp:StatusCode Value="{STATUS_SUCCESS}"/></samlp:Status>{assertion}</samlp:Response>"#
    );
    let response = if spec.sign_response {
        dsig::sign_enveloped(&head, &tail, &id, &idp.keys)?
    } else {
        format!("{head}{tail}")
    };
    Ok(xml::base64_encode(
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{response}").as_bytes(),
    ))
}

/// The assertion, standalone (it declares every namespace it uses) and signed.
fn signed_assertion(idp: &Idp, spec: &ResponseSpec) -> Result<String, SamlError> {
    let id = new_id();
    let now = xml::format_instant(spec.now_millis);
    let until = xml::format_instant(
        spec.now_millis
            .saturating_add(spec.lifetime_secs.saturating_mul(1000)),
    );
    let audience = xml::escape(spec.audience);
    let head = format!(
        concat!(
            r#"<saml:Assertion xmlns:saml="{NS_ASSERTION}" xmlns:xs="{NS_XS}" xmlns:xsi="{NS_XSI}" "#,
            r#"ID="{id}" Version="2.0" IssueInstant="{now}">"#,
            r#"<saml:Issuer Format="{ENTITY_FORMAT}">{issuer}</saml:Issuer>"#
        ),
        NS_ASSERTION = NS_ASSERTION,
        NS_XS = NS_XS,
        NS_XSI = NS_XSI,
        id = id,
        now = now,
        ENTITY_FORMAT = ENTITY_FORMAT,
        issuer = xml::escape(&idp.entity_id),
    );
    let in_response_to = spec.in_response_to.map_or(String::new(), |r| {
        format!(r#" InResponseTo="{}""#, xml::escape(r))
    });
    let tail = format!(
        concat!(
            r#"<saml:Subject><saml:NameID Format="{format}" NameQualifier="{idp}" SPNameQualifier="{audience}">"#,
            r#"{name_id}</saml:NameID><saml:SubjectConfirmation Method="{BEARER}">"#,
            r#"<saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{acs}"{in_response_to}/>"#,
            r#"</saml:SubjectConfirmation></saml:Subject>"#,
            r#"<saml:Conditions NotBefore="{now}" NotOnOrAfter="{until}"><saml:AudienceRestriction>"#,
            r#"<saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"#,
            r#"<saml:AuthnStatement AuthnInstant="{authn}" SessionIndex="{session}"><saml:AuthnContext>"#,
            r#"<saml:AuthnContextClassRef>{PASSWORD_PROTECTED_TRANSPORT}</saml:AuthnContextClassRef>"#,
            r#"</saml:AuthnContext></saml:AuthnStatement>{attributes}</saml:Assertion>"#
        ),
        format = xml::escape(spec.name_id_format),
        idp = xml::escape(&idp.entity_id),
        audience = audience,
        name_id = xml::escape(spec.name_id),
        BEARER = BEARER,
        until = until,
        acs = xml::escape(spec.acs_url),
        in_response_to = in_response_to,
        now = now,
        authn = xml::format_instant(spec.authn_instant_millis),
        session = xml::escape(spec.session_index),
        PASSWORD_PROTECTED_TRANSPORT = PASSWORD_PROTECTED_TRANSPORT,
        attributes = attribute_statement(spec),
    );
    dsig::sign_enveloped(&head, &tail, &id, &idp.keys)
}

/// The `AttributeStatement`, or nothing when no attribute is released (the schema forbids an empty one).
fn attribute_statement(spec: &ResponseSpec) -> String {
    if spec.attributes.is_empty() {
        return String::new();
    }
    let mut out = String::from("<saml:AttributeStatement>");
    for attribute in spec.attributes {
        let name_format = match attribute.name_format {
            NameFormat::Uri => "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            NameFormat::Basic => "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
        };
        out.push_str(&format!(
            r#"<saml:Attribute Name="{}" NameFormat="{name_format}""#,
            xml::escape(&attribute.name)
        ));
        if let Some(friendly) = &attribute.friendly_name {
            out.push_str(&format!(r#" FriendlyName="{}""#, xml::escape(friendly)));
        }
        out.push('>');
        for value in &attribute.values {
            out.push_str(&format!(
                r#"<saml:AttributeValue xsi:type="{}:string">{}</saml:AttributeValue>"#,
                dsig::INCLUSIVE_PREFIX,
                xml::escape(value)
            ));
        }
        out.push_str("</saml:Attribute>");
    }
    out.push_str("</saml:AttributeStatement>");
    out
}

/// A fresh message or assertion ID: `_` and 128 random bits in hex (an xs:ID, unguessable).
pub(crate) fn new_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let mut id = String::with_capacity(33);
    id.push('_');
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    id
}
