//! Metadata: reading an identity provider's, writing ours.

use roxmltree::Node;

use crate::xml::{self, BINDING_POST, BINDING_REDIRECT, NS_DSIG, NS_METADATA};
use crate::{SamlError, Sp};

const PROTOCOL_SAML2: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// Why a metadata document does not describe exactly one SAML 2 party of the kind looked for.
pub(crate) enum NotOne {
    None,
    Several,
    NoEntityId,
}

/// The one `EntityDescriptor` of `doc` holding a SAML 2 `descriptor` (`IDPSSODescriptor` or
/// `SPSSODescriptor`): that descriptor and the entity's `entityID`.
pub(crate) fn single_saml2_party<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    descriptor: &'static str,
) -> Result<(Node<'a, 'i>, &'a str), NotOne> {
    let parties: Vec<(Node, Node)> = doc
        .descendants()
        .filter(|n| xml::is(*n, NS_METADATA, "EntityDescriptor"))
        .filter_map(|entity| {
            let d = xml::children(entity, NS_METADATA, descriptor).find(|d| {
                d.attribute("protocolSupportEnumeration")
                    .is_some_and(|p| p.split_ascii_whitespace().any(|p| p == PROTOCOL_SAML2))
            })?;
            Some((entity, d))
        })
        .collect();
    let (entity, d) = match parties.as_slice() {
        [one] => *one,
        [] => return Err(NotOne::None),
        _ => return Err(NotOne::Several),
    };
    let entity_id = entity
        .attribute("entityID")
        .filter(|e| !e.is_empty())
        .ok_or(NotOne::NoEntityId)?;
    Ok((d, entity_id))
}

/// What we need of an identity provider, from its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpMetadata {
    /// Its entityID: the only accepted `Issuer` of its responses and assertions.
    pub entity_id: String,
    /// Where to send the browser with an AuthnRequest (its HTTP-Redirect SingleSignOnService).
    pub sso_redirect_url: String,
    /// Its signing certificates (DER): the only keys a response or assertion may be signed with.
    pub signing_certs: Vec<Vec<u8>>,
}

/// Reads an identity provider's metadata: an `EntityDescriptor`, or an `EntitiesDescriptor` holding exactly
/// one identity provider.
///
/// The metadata's own signature and `validUntil` are not checked: the file is installed by an administrator
/// who fetched it from the federation, and trust comes from that act.
pub fn parse_idp_metadata(xml_text: &str) -> Result<IdpMetadata, SamlError> {
    let bad = |what: &str| SamlError::BadMetadata(what.to_string());
    let doc = xml::parse(xml_text).map_err(|e| SamlError::BadMetadata(e.to_string()))?;
    let (idp, entity_id) = single_saml2_party(&doc, "IDPSSODescriptor").map_err(|e| match e {
        NotOne::None => bad("aucun fournisseur d'identité SAML 2 (IDPSSODescriptor)"),
        NotOne::Several => bad("plusieurs fournisseurs d'identité dans un seul fichier"),
        NotOne::NoEntityId => bad("entityID manquant"),
    })?;
    let sso_redirect_url = xml::children(idp, NS_METADATA, "SingleSignOnService")
        .find(|s| s.attribute("Binding") == Some(BINDING_REDIRECT))
        .and_then(|s| s.attribute("Location"))
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        .ok_or_else(|| bad("pas de SingleSignOnService HTTP-Redirect"))?;
    let mut signing_certs = Vec::new();
    for descriptor in xml::children(idp, NS_METADATA, "KeyDescriptor") {
        if descriptor.attribute("use").is_some_and(|u| u != "signing") {
            continue;
        }
        for cert in descriptor
            .descendants()
            .filter(|n| xml::is(*n, NS_DSIG, "X509Certificate"))
        {
            let der = xml::base64_decode(&xml::text_of(cert)).map_err(|_| bad("certificat illisible"))?;
            crate::keys::public_key_of_cert(&der).map_err(SamlError::BadMetadata)?;
            signing_certs.push(der);
        }
    }
    if signing_certs.is_empty() {
        return Err(bad("aucun certificat de signature"));
    }
    Ok(IdpMetadata {
        entity_id: entity_id.to_string(),
        sso_redirect_url: sso_redirect_url.to_string(),
        signing_certs,
    })
}

/// Our metadata document (see [`Sp::metadata`]).
pub(crate) fn sp_metadata(sp: &Sp) -> String {
    let cert = xml::base64_encode(&sp.keys.cert_der);
    let key_info = format!(
        "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
    );
    let encryption_methods: String = [
        "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        "http://www.w3.org/2009/xmlenc11#rsa-oaep",
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
    ]
    .iter()
    .map(|a| format!("\n      <md:EncryptionMethod Algorithm=\"{a}\"/>"))
    .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="{NS_METADATA}" xmlns:ds="{NS_DSIG}" entityID="{entity}">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="{PROTOCOL_SAML2}">
    <md:KeyDescriptor use="signing">
      {key_info}
    </md:KeyDescriptor>
    <md:KeyDescriptor use="encryption">
      {key_info}{encryption_methods}
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService Binding="{BINDING_POST}" Location="{acs}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"#,
        entity = xml::escape(&sp.entity_id),
        acs = xml::escape(&sp.acs_url),
    )
}
