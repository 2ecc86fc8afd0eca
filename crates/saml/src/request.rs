//! The AuthnRequest our service provider sends, with the HTTP-Redirect binding (see [`crate::redirect`]).

use crate::redirect::{self, Param};
use crate::xml::{self, BINDING_POST, NS_ASSERTION, NS_PROTOCOL};
use crate::{IdpMetadata, SamlError, Sp};

/// SAML Bindings §3.4.3: RelayState MUST NOT exceed 80 bytes.
pub(crate) const MAX_RELAY_STATE: usize = 80;

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
    redirect::signed_url(
        &idp.sso_redirect_url,
        Param::Request,
        &request,
        Some(relay_state),
        &sp.keys,
    )
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
    fn request_ids_must_be_xml_ids() {
        assert!(is_xml_id("_0a1b"));
        assert!(!is_xml_id("0a1b"));
        assert!(!is_xml_id("_a\"><x"));
        assert!(!is_xml_id(""));
    }
}
