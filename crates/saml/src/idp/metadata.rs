//! Metadata, identity provider side: reading a service provider's, writing ours.

use roxmltree::Node;

use super::{AuthnRequest, Idp};
use crate::SamlError;
use crate::xml::{self, BINDING_POST, BINDING_REDIRECT, NS_DSIG, NS_METADATA};

const PROTOCOL_SAML2: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// What our identity provider needs of a service provider (the GAR, a publisher), from its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpMetadata {
    /// Its entityID: the only accepted `Issuer` of its requests, and the `Audience` of our assertions.
    pub entity_id: String,
    /// Its HTTP-POST assertion consumer services, in document order (never empty once parsed).
    pub assertion_consumers: Vec<AssertionConsumer>,
    /// Its signing certificates (DER): the only keys its AuthnRequests may be signed with.
    pub signing_certs: Vec<Vec<u8>>,
    /// `AuthnRequestsSigned`: its requests must be signed, and unsigned ones are refused.
    pub authn_requests_signed: bool,
    /// `WantAssertionsSigned` (ours always are).
    pub want_assertions_signed: bool,
    /// Its single logout service, HTTP-Redirect or HTTP-POST (the first of the two in the file), if any.
    pub single_logout: Option<SingleLogoutService>,
    /// The `NameIDFormat`s it declares, in document order.
    pub name_id_formats: Vec<String>,
}

/// One HTTP-POST `AssertionConsumerService`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertionConsumer {
    /// `Location`: where the browser POSTs our response.
    pub url: String,
    /// `index`, which a request may name instead of the URL.
    pub index: u16,
    /// `isDefault`, when the metadata says.
    pub is_default: Option<bool>,
}

/// A service provider's `SingleLogoutService`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleLogoutService {
    /// How it takes messages.
    pub binding: Binding,
    /// `Location`: where requests go.
    pub url: String,
    /// `ResponseLocation`: where responses go, when not to `url`.
    pub response_url: Option<String>,
}

/// The SAML bindings this crate speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
    Redirect,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST`.
    Post,
}

impl SpMetadata {
    /// Its `SingleLogoutService` when it takes HTTP-Redirect, the binding our logout messages use.
    pub fn redirect_logout(&self) -> Option<&SingleLogoutService> {
        self.single_logout
            .as_ref()
            .filter(|s| s.binding == Binding::Redirect)
    }

    /// The assertion consumer to use when a request names none (SAML Metadata §2.2.3): the one marked
    /// `isDefault="true"`, else the first one not marked `false`, else the first one.
    pub fn default_assertion_consumer(&self) -> Option<&AssertionConsumer> {
        let acs = &self.assertion_consumers;
        acs.iter()
            .find(|a| a.is_default == Some(true))
            .or_else(|| acs.iter().find(|a| a.is_default.is_none()))
            .or_else(|| acs.first())
    }

    /// Where to POST the response to `request`: its `AssertionConsumerServiceURL` or
    /// `AssertionConsumerServiceIndex` when it names one of ours, else the default. A URL or index this
    /// metadata does not list is refused (it would send the assertion to whoever wrote the request).
    pub fn assertion_consumer_url(&self, request: &AuthnRequest) -> Result<&str, SamlError> {
        let found = match (&request.acs_url, request.acs_index) {
            (Some(url), _) => self.assertion_consumers.iter().find(|a| &a.url == url),
            (None, Some(index)) => self.assertion_consumers.iter().find(|a| a.index == index),
            (None, None) => self.default_assertion_consumer(),
        };
        found
            .map(|a| a.url.as_str())
            .ok_or(SamlError::UnknownAssertionConsumer)
    }
}

/// Reads a service provider's metadata: an `EntityDescriptor`, or an `EntitiesDescriptor` holding exactly
/// one service provider. Strict: no DTD, at least one HTTP-POST assertion consumer service with a unique
/// `index`, well-formed booleans, usable RSA certificates, and some signing certificate when it says it
/// signs its requests.
///
/// As for identity providers, the metadata's own signature and `validUntil` are not checked: trust comes
/// from the administrator who installs the file.
pub fn parse_sp_metadata(xml_text: &str) -> Result<SpMetadata, SamlError> {
    let doc = xml::parse(xml_text).map_err(|e| SamlError::BadSpMetadata(e.to_string()))?;
    let (sp, entity_id) =
        crate::metadata::single_saml2_party(&doc, "SPSSODescriptor").map_err(|e| match e {
            crate::metadata::NotOne::None => bad("aucun service SAML 2 (SPSSODescriptor)"),
            crate::metadata::NotOne::Several => bad("plusieurs services dans un seul fichier"),
            crate::metadata::NotOne::NoEntityId => bad("entityID manquant"),
        })?;
    let signing_certs = signing_certs(sp)?;
    let authn_requests_signed = boolean(sp, "AuthnRequestsSigned")?.unwrap_or(false);
    if authn_requests_signed && signing_certs.is_empty() {
        return Err(bad("demandes signées annoncées sans certificat de signature"));
    }
    Ok(SpMetadata {
        entity_id: entity_id.to_string(),
        assertion_consumers: assertion_consumers(sp)?,
        signing_certs,
        authn_requests_signed,
        want_assertions_signed: boolean(sp, "WantAssertionsSigned")?.unwrap_or(false),
        single_logout: single_logout(sp)?,
        name_id_formats: xml::children(sp, NS_METADATA, "NameIDFormat")
            .map(xml::text_of)
            .collect(),
    })
}

fn bad(what: &str) -> SamlError {
    SamlError::BadSpMetadata(what.to_string())
}

/// An xs:boolean attribute, which has exactly four spellings.
fn boolean(node: Node, name: &str) -> Result<Option<bool>, SamlError> {
    match node.attribute(name).map(str::trim) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(SamlError::BadSpMetadata(format!("{name} n'est pas un booléen"))),
    }
}

fn location(endpoint: Node, attribute: &str) -> Result<Option<String>, SamlError> {
    match endpoint.attribute(attribute) {
        None => Ok(None),
        Some(l) if l.starts_with("https://") || l.starts_with("http://") => Ok(Some(l.to_string())),
        Some(_) => Err(SamlError::BadSpMetadata(format!(
            "{attribute} n'est pas une adresse http(s)"
        ))),
    }
}

fn assertion_consumers(sp: Node) -> Result<Vec<AssertionConsumer>, SamlError> {
    let mut indices = Vec::new();
    let mut consumers = Vec::new();
    for acs in xml::children(sp, NS_METADATA, "AssertionConsumerService") {
        let index: u16 = acs
            .attribute("index")
            .and_then(|i| i.trim().parse().ok())
            .ok_or_else(|| bad("AssertionConsumerService sans index valide"))?;
        if indices.contains(&index) {
            return Err(bad("deux AssertionConsumerService de même index"));
        }
        indices.push(index);
        if acs.attribute("Binding") != Some(BINDING_POST) {
            continue;
        }
        consumers.push(AssertionConsumer {
            url: location(acs, "Location")?.ok_or_else(|| bad("AssertionConsumerService sans Location"))?,
            index,
            is_default: boolean(acs, "isDefault")?,
        });
    }
    if consumers.is_empty() {
        return Err(bad("pas d'AssertionConsumerService HTTP-POST"));
    }
    Ok(consumers)
}

fn signing_certs(sp: Node) -> Result<Vec<Vec<u8>>, SamlError> {
    let mut certs = Vec::new();
    for descriptor in xml::children(sp, NS_METADATA, "KeyDescriptor") {
        if descriptor.attribute("use").is_some_and(|u| u != "signing") {
            continue;
        }
        for cert in descriptor
            .descendants()
            .filter(|n| xml::is(*n, NS_DSIG, "X509Certificate"))
        {
            let der = xml::base64_decode(&xml::text_of(cert)).map_err(|_| bad("certificat illisible"))?;
            crate::keys::public_key_of_cert(&der).map_err(SamlError::BadSpMetadata)?;
            certs.push(der);
        }
    }
    Ok(certs)
}

fn single_logout(sp: Node) -> Result<Option<SingleLogoutService>, SamlError> {
    for slo in xml::children(sp, NS_METADATA, "SingleLogoutService") {
        let binding = match slo.attribute("Binding") {
            Some(BINDING_REDIRECT) => Binding::Redirect,
            Some(BINDING_POST) => Binding::Post,
            _ => continue,
        };
        return Ok(Some(SingleLogoutService {
            binding,
            url: location(slo, "Location")?.ok_or_else(|| bad("SingleLogoutService sans Location"))?,
            response_url: location(slo, "ResponseLocation")?,
        }));
    }
    Ok(None)
}

/// Our metadata document (see [`Idp::metadata`]).
pub(crate) fn idp_metadata(idp: &Idp) -> String {
    let cert = xml::base64_encode(&idp.keys.cert_der);
    let slo = idp.slo_url.as_deref().map_or(String::new(), |url| {
        format!(
            "\n    <md:SingleLogoutService Binding=\"{BINDING_REDIRECT}\" Location=\"{}\"/>",
            xml::escape(url)
        )
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="{NS_METADATA}" xmlns:ds="{NS_DSIG}" entityID="{entity}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="{signed}" protocolSupportEnumeration="{PROTOCOL_SAML2}">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>{slo}
    <md:NameIDFormat>{persistent}</md:NameIDFormat>
    <md:NameIDFormat>{transient}</md:NameIDFormat>
    <md:SingleSignOnService Binding="{BINDING_REDIRECT}" Location="{sso}"/>
    <md:SingleSignOnService Binding="{BINDING_POST}" Location="{sso}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#,
        entity = xml::escape(&idp.entity_id),
        signed = idp.want_authn_requests_signed,
        persistent = crate::NAME_ID_PERSISTENT,
        transient = crate::NAME_ID_TRANSIENT,
        sso = xml::escape(&idp.sso_url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = include_str!("../../tests/peer/test-only-sp.crt");

    fn cert_b64() -> String {
        CERT.lines().filter(|l| !l.starts_with("-----")).collect()
    }

    fn metadata(descriptor_attributes: &str, inside: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="{NS_METADATA}" xmlns:ds="{NS_DSIG}" entityID="https://gar.test/sp">
<md:SPSSODescriptor protocolSupportEnumeration="{PROTOCOL_SAML2}" {descriptor_attributes}>
<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
{inside}</md:SPSSODescriptor></md:EntityDescriptor>"#,
            cert = cert_b64()
        )
    }

    fn acs(index: u16, url: &str, extra: &str) -> String {
        format!(
            r#"<md:AssertionConsumerService Binding="{BINDING_POST}" Location="{url}" index="{index}" {extra}/>"#
        )
    }

    #[test]
    fn everything_an_idp_needs_is_read() -> Result<(), SamlError> {
        let inside = format!(
            r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://gar.test/soap"/>
<md:SingleLogoutService Binding="{BINDING_POST}" Location="https://gar.test/slo" ResponseLocation="https://gar.test/slo/r"/>
<md:NameIDFormat> urn:oasis:names:tc:SAML:2.0:nameid-format:transient </md:NameIDFormat>
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://gar.test/art" index="0"/>
{}{}"#,
            acs(1, "https://gar.test/acs1", ""),
            acs(2, "https://gar.test/acs2", r#"isDefault="1""#)
        );
        let sp = parse_sp_metadata(&metadata(
            r#"AuthnRequestsSigned="true" WantAssertionsSigned="false""#,
            &inside,
        ))?;
        assert_eq!(sp.entity_id, "https://gar.test/sp");
        assert_eq!(sp.assertion_consumers.len(), 2);
        assert_eq!(sp.assertion_consumers[0].index, 1);
        assert_eq!(sp.assertion_consumers[1].is_default, Some(true));
        assert_eq!(
            sp.default_assertion_consumer().map(|a| a.url.as_str()),
            Some("https://gar.test/acs2")
        );
        assert_eq!(sp.signing_certs, vec![xml::base64_decode(&cert_b64())?]);
        assert!(sp.authn_requests_signed);
        assert!(!sp.want_assertions_signed);
        assert_eq!(
            sp.single_logout,
            Some(SingleLogoutService {
                binding: Binding::Post,
                url: "https://gar.test/slo".into(),
                response_url: Some("https://gar.test/slo/r".into()),
            })
        );
        assert_eq!(
            sp.name_id_formats,
            ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"]
        );
        Ok(())
    }

    #[test]
    fn the_default_consumer_is_the_first_not_marked_false() -> Result<(), SamlError> {
        let inside = format!(
            "{}{}{}",
            acs(3, "https://gar.test/a", r#"isDefault="false""#),
            acs(1, "https://gar.test/b", ""),
            acs(2, "https://gar.test/c", "")
        );
        let sp = parse_sp_metadata(&metadata("", &inside))?;
        assert_eq!(sp.default_assertion_consumer().map(|a| a.index), Some(1));
        assert!(!sp.authn_requests_signed);
        assert_eq!(sp.single_logout, None);
        Ok(())
    }

    #[test]
    fn unusable_metadata_is_refused_with_a_reason() {
        let ok_acs = acs(0, "https://gar.test/acs", "");
        let cases = [
            metadata("", ""),
            metadata("", &format!("{ok_acs}{}", acs(0, "https://gar.test/other", ""))),
            metadata("", &acs(0, "javascript:alert(1)", "")),
            metadata("", &ok_acs.replace(r#"index="0""#, "")),
            metadata("", &ok_acs.replace(r#"index="0""#, r#"index="-1""#)),
            metadata(r#"AuthnRequestsSigned="yes""#, &ok_acs),
            metadata("", &acs(0, "https://gar.test/acs", r#"isDefault="oui""#)),
            metadata(r#"AuthnRequestsSigned="true""#, &ok_acs)
                .replace("<md:KeyDescriptor>", r#"<md:KeyDescriptor use="encryption">"#),
            metadata("", &ok_acs).replace(&cert_b64(), "bm90IGEgY2VydA=="),
            metadata("", &ok_acs).replace(r#" entityID="https://gar.test/sp""#, ""),
            metadata("", &ok_acs).replace(PROTOCOL_SAML2, "urn:oasis:names:tc:SAML:1.1:protocol"),
            format!("<!DOCTYPE x>{}", metadata("", &ok_acs)),
            format!(
                "<md:EntitiesDescriptor xmlns:md=\"{NS_METADATA}\">{0}{0}</md:EntitiesDescriptor>",
                metadata("", &ok_acs)
            ),
        ];
        for (i, case) in cases.iter().enumerate() {
            let result = parse_sp_metadata(case);
            assert!(
                matches!(result, Err(SamlError::BadSpMetadata(_))),
                "case {i}: {result:?}"
            );
        }
        // One of them, as a person reads it.
        let message = parse_sp_metadata(&cases[0]).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            message,
            "métadonnées du service invalides : pas d'AssertionConsumerService HTTP-POST"
        );
    }
}
