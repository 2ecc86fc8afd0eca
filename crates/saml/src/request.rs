//! The AuthnRequest, sent with the HTTP-Redirect binding (SAML Bindings §3.4): DEFLATE, base64, URL-encode,
//! and an RSA-SHA256 signature over `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as it appears in the URL.

use std::io::Write as _;

use crate::xml::{self, BINDING_POST, NS_ASSERTION, NS_PROTOCOL};
use crate::{IdpMetadata, SamlError, Sp};

const SIG_ALG: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/// SAML Bindings §3.4.3: RelayState MUST NOT exceed 80 bytes.
const MAX_RELAY_STATE: usize = 80;

pub(crate) fn authn_request_url(
    sp: &Sp,
    idp: &IdpMetadata,
    request_id: &str,
    issue_instant_millis: i64,
    relay_state: &str,
) -> Result<String, SamlError> {
    if !is_xml_id(request_id) {
        return Err(SamlError::malformed(
            "identifiant de requête invalide (xs:ID attendu)",
        ));
    }
    if relay_state.len() > MAX_RELAY_STATE {
        return Err(SamlError::malformed("RelayState de plus de 80 octets"));
    }
    let request = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="{NS_PROTOCOL}" xmlns:saml="{NS_ASSERTION}" ID="{request_id}" Version="2.0" IssueInstant="{instant}" Destination="{destination}" ProtocolBinding="{BINDING_POST}" AssertionConsumerServiceURL="{acs}"><saml:Issuer>{issuer}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#,
        instant = xml::format_instant(issue_instant_millis),
        destination = xml::escape(&idp.sso_redirect_url),
        acs = xml::escape(&sp.acs_url),
        issuer = xml::escape(&sp.entity_id),
    );
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    let deflated = deflater
        .write_all(request.as_bytes())
        .and_then(|()| deflater.finish())
        .map_err(|e| SamlError::Malformed(format!("compression impossible ({e})")))?;

    let mut query = format!("SAMLRequest={}", url_encode(&xml::base64_encode(&deflated)));
    if !relay_state.is_empty() {
        query.push_str("&RelayState=");
        query.push_str(&url_encode(relay_state));
    }
    query.push_str("&SigAlg=");
    query.push_str(&url_encode(SIG_ALG));
    let signature = sp.keys.sign(query.as_bytes())?;
    query.push_str("&Signature=");
    query.push_str(&url_encode(&xml::base64_encode(&signature)));

    let separator = if idp.sso_redirect_url.contains('?') {
        '&'
    } else {
        '?'
    };
    Ok(format!("{}{separator}{query}", idp.sso_redirect_url))
}

/// Form URL-encoding, as most identity providers re-encode the parameters to check the signature (pysaml2
/// with Python's `urlencode`, Shibboleth from the raw query): unreserved characters kept, space as `+`.
fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A safe subset of xs:ID (NCName): a letter or `_`, then letters, digits, `_`, `-`, `.`.
pub(crate) fn is_xml_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && id.len() <= 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding_matches_form_encoding() {
        assert_eq!(url_encode("a+b/c= d~"), "a%2Bb%2Fc%3D+d~");
        assert_eq!(url_encode("é"), "%C3%A9");
    }

    #[test]
    fn request_ids_must_be_xml_ids() {
        assert!(is_xml_id("_0a1b"));
        assert!(!is_xml_id("0a1b"));
        assert!(!is_xml_id("_a\"><x"));
        assert!(!is_xml_id(""));
    }
}
