//! The identity provider's rules, one by one, against requests we build ourselves (pysaml2's are in
//! `tests/saml/idp.rs`), and our responses read back by our own service provider.

use std::io::Write as _;

use super::*;
use crate::{Expect, Sp};

pub(super) const IDP_KEY: &str = include_str!("../../tests/peer/test-only-idp.key");
pub(super) const IDP_CERT: &str = include_str!("../../tests/peer/test-only-idp.crt");
pub(super) const SP_KEY: &str = include_str!("../../tests/peer/test-only-sp.key");
pub(super) const SP_CERT: &str = include_str!("../../tests/peer/test-only-sp.crt");
pub(super) const ATTACKER_KEY: &str = include_str!("../../tests/peer/test-only-attacker.key");
pub(super) const ATTACKER_CERT: &str = include_str!("../../tests/peer/test-only-attacker.crt");
const SSO: &str = "https://ent.test/saml/idp/sso";
pub(super) const SP_ENTITY: &str = "https://gar.test/sp";
const ACS: &str = "https://gar.test/acs";
pub(super) const NOW: i64 = 1_772_352_900_000;
const SKEW: i64 = 60;

pub(super) fn idp() -> Result<Idp, SamlError> {
    Ok(Idp {
        entity_id: "https://ent.test/saml/idp".into(),
        sso_url: SSO.into(),
        slo_url: Some("https://ent.test/saml/idp/slo".into()),
        keys: Keys::from_pem(IDP_KEY, IDP_CERT)?,
        want_authn_requests_signed: false,
    })
}

/// A service provider written by our own SP side: signed requests required, one ACS at index 0.
fn sp() -> Result<Sp, SamlError> {
    Ok(Sp {
        entity_id: SP_ENTITY.into(),
        acs_url: ACS.into(),
        keys: Keys::from_pem(SP_KEY, SP_CERT)?,
    })
}

pub(super) fn sp_metadata() -> Result<SpMetadata, SamlError> {
    parse_sp_metadata(&sp()?.metadata())
}

/// An AuthnRequest with `attributes` on the root, as an HTTP-Redirect query signed by `keys` (if any).
fn redirect_query(
    attributes: &str,
    issuer: &str,
    keys: Option<&Keys>,
    relay: &str,
) -> Result<String, SamlError> {
    let xml = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" {attributes}><saml:Issuer>{issuer}</saml:Issuer><samlp:NameIDPolicy Format="{NAME_ID_TRANSIENT}"/></samlp:AuthnRequest>"#
    );
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater
        .write_all(xml.as_bytes())
        .map_err(|e| SamlError::Malformed(e.to_string()))?;
    let deflated = deflater
        .finish()
        .map_err(|e| SamlError::Malformed(e.to_string()))?;
    let encode = |s: &str| {
        s.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
            .replace(':', "%3A")
            .replace('#', "%23")
    };
    let mut query = format!(
        "SAMLRequest={}&RelayState={relay}",
        encode(&xml::base64_encode(&deflated))
    );
    if let Some(keys) = keys {
        query.push_str("&SigAlg=");
        query.push_str(&encode("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
        let signature = keys.sign(query.as_bytes())?;
        query.push_str("&Signature=");
        query.push_str(&encode(&xml::base64_encode(&signature)));
    }
    Ok(query)
}

fn instant(millis: i64) -> String {
    format!(r#"IssueInstant="{}""#, xml::format_instant(millis))
}

fn read(idp: &Idp, sp: &SpMetadata, query: &str) -> Result<AuthnRequest, SamlError> {
    idp.authn_request_from_redirect(query, |_| Some(sp), NOW, SKEW)
        .map(|(request, _)| request)
}

#[test]
fn a_request_from_our_own_sp_side_is_read() -> Result<(), SamlError> {
    let idp = idp()?;
    let sp_metadata = sp_metadata()?;
    let idp_metadata = crate::parse_idp_metadata(&idp.metadata())?;
    let url = sp()?.authn_request_url(&idp_metadata, "_4f1d", NOW - 2_000, "back/to?x=1")?;
    let (_, query) = url.split_once('?').ok_or_else(|| SamlError::malformed("?"))?;
    let (request, found) = idp.authn_request_from_redirect(
        query,
        |issuer| (issuer == SP_ENTITY).then_some(&sp_metadata),
        NOW,
        SKEW,
    )?;
    assert_eq!(found, &sp_metadata);
    assert_eq!(
        request,
        AuthnRequest {
            id: "_4f1d".into(),
            issuer: SP_ENTITY.into(),
            acs_url: Some(ACS.into()),
            acs_index: None,
            force_authn: false,
            is_passive: false,
            name_id_policy_format: None,
            issue_instant_millis: NOW - 2_000,
            relay_state: Some("back/to?x=1".into()),
        }
    );
    assert_eq!(sp_metadata.assertion_consumer_url(&request)?, ACS);
    // The same query, its RelayState changed: the signature covers it.
    let changed = query.replace("RelayState=back", "RelayState=evil");
    assert_eq!(
        read(&idp, &sp_metadata, &changed),
        Err(SamlError::BadRequestSignature)
    );
    Ok(())
}

#[test]
fn flags_index_and_name_id_policy_are_read() -> Result<(), SamlError> {
    let sp_keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let attributes = format!(
        r#"{} ForceAuthn="true" IsPassive="1" AssertionConsumerServiceIndex="0" Destination="{SSO}""#,
        instant(NOW)
    );
    let query = redirect_query(&attributes, SP_ENTITY, Some(&sp_keys), "")?;
    let sp_metadata = sp_metadata()?;
    let request = read(&idp()?, &sp_metadata, &query)?;
    assert!(request.force_authn && request.is_passive);
    assert_eq!((request.acs_url.as_deref(), request.acs_index), (None, Some(0)));
    assert_eq!(request.name_id_policy_format.as_deref(), Some(NAME_ID_TRANSIENT));
    assert_eq!(request.relay_state.as_deref(), Some(""));
    assert_eq!(sp_metadata.assertion_consumer_url(&request)?, ACS);
    Ok(())
}

#[test]
fn signatures_are_required_when_either_side_says_so() -> Result<(), SamlError> {
    let mut idp = idp()?;
    let mut sp_metadata = sp_metadata()?;
    let unsigned = redirect_query(&instant(NOW), SP_ENTITY, None, "r")?;
    assert_eq!(
        read(&idp, &sp_metadata, &unsigned),
        Err(SamlError::UnsignedRequest)
    );
    sp_metadata.authn_requests_signed = false;
    assert!(read(&idp, &sp_metadata, &unsigned).is_ok());
    idp.want_authn_requests_signed = true;
    assert_eq!(
        read(&idp, &sp_metadata, &unsigned),
        Err(SamlError::UnsignedRequest)
    );
    // A signature by a key the metadata does not hold, or with half of the parameters, is never ignored.
    let attacker = Keys::from_pem(ATTACKER_KEY, ATTACKER_CERT)?;
    let forged = redirect_query(&instant(NOW), SP_ENTITY, Some(&attacker), "r")?;
    idp.want_authn_requests_signed = false;
    assert_eq!(
        read(&idp, &sp_metadata, &forged),
        Err(SamlError::BadRequestSignature)
    );
    let no_alg = forged.replace("&SigAlg=", "&Other=");
    assert!(matches!(
        read(&idp, &sp_metadata, &no_alg),
        Err(SamlError::Malformed(_))
    ));
    let sha1 = forged
        .replace("rsa-sha256", "rsa-sha1")
        .replace("xmldsig-more%23", "xmldsig%23");
    assert_eq!(
        read(&idp, &sp_metadata, &sha1),
        Err(SamlError::UnsupportedAlgorithm("rsa-sha1".into()))
    );
    Ok(())
}

#[test]
fn issuer_consumer_destination_and_age_are_checked() -> Result<(), SamlError> {
    let idp = idp()?;
    let sp_metadata = sp_metadata()?;
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let signed = |attributes: &str, issuer: &str| redirect_query(attributes, issuer, Some(&keys), "");
    let now = instant(NOW);
    let cases = [
        (
            signed(&now, "https://other.test/sp")?,
            SamlError::UnknownServiceProvider,
        ),
        (
            signed(
                &format!(r#"{now} AssertionConsumerServiceURL="https://evil.test/acs""#),
                SP_ENTITY,
            )?,
            SamlError::UnknownAssertionConsumer,
        ),
        (
            signed(&format!(r#"{now} AssertionConsumerServiceIndex="7""#), SP_ENTITY)?,
            SamlError::UnknownAssertionConsumer,
        ),
        (
            signed(&instant(NOW - 250_000), SP_ENTITY)?,
            SamlError::StaleRequest,
        ),
        (
            signed(&instant(NOW + 61_000), SP_ENTITY)?,
            SamlError::StaleRequest,
        ),
    ];
    for (query, expected) in &cases {
        assert_eq!(&read(&idp, &sp_metadata, query), &Err(expected.clone()));
    }
    assert!(read(&idp, &sp_metadata, &signed(&instant(NOW - 239_000), SP_ENTITY)?).is_ok());
    let malformed = [
        format!(r#"{now} Destination="https://other-idp.test/sso""#),
        format!(r#"{now} AssertionConsumerServiceIndex="0" AssertionConsumerServiceURL="{ACS}""#),
        format!(r#"{now} ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact""#),
        format!(r#"{now} ForceAuthn="oui""#),
        "IssueInstant=\"hier\"".to_string(),
    ];
    for attributes in &malformed {
        let result = read(&idp, &sp_metadata, &signed(attributes, SP_ENTITY)?);
        assert!(
            matches!(result, Err(SamlError::Malformed(_))),
            "{attributes}: {result:?}"
        );
    }
    // No metadata for that issuer at all.
    let query = signed(&now, SP_ENTITY)?;
    let none = idp.authn_request_from_redirect(&query, |_| None, NOW, SKEW);
    assert_eq!(none.map(|_| ()), Err(SamlError::UnknownServiceProvider));
    Ok(())
}

#[test]
fn a_post_request_is_checked_with_its_enveloped_signature() -> Result<(), SamlError> {
    let idp = idp()?;
    let sp_metadata = sp_metadata()?;
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let head = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_p1" Version="2.0" {} AssertionConsumerServiceURL="{ACS}"><saml:Issuer>{SP_ENTITY}</saml:Issuer>"#,
        instant(NOW)
    );
    let tail = "</samlp:AuthnRequest>";
    let signed = crate::dsig::sign_enveloped(&head, tail, "_p1", &keys)?;
    let post = |xml: &str| {
        idp.authn_request_from_post(
            &xml::base64_encode(xml.as_bytes()),
            Some("rs"),
            |_| Some(&sp_metadata),
            NOW,
            SKEW,
        )
        .map(|(request, _)| request)
    };
    let request = post(&signed)?;
    assert_eq!(
        (request.id.as_str(), request.relay_state.as_deref()),
        ("_p1", Some("rs"))
    );
    let tampered = signed.replace(ACS, "https://gar.test/acs2");
    assert_eq!(post(&tampered), Err(SamlError::BadRequestSignature));
    assert_eq!(post(&format!("{head}{tail}")), Err(SamlError::UnsignedRequest));
    Ok(())
}

fn spec<'a>(attributes: &'a [ReleasedAttribute]) -> ResponseSpec<'a> {
    ResponseSpec {
        acs_url: ACS,
        audience: SP_ENTITY,
        in_response_to: Some("_4f1d"),
        name_id: "u-42",
        name_id_format: NAME_ID_PERSISTENT,
        session_index: "_s1",
        authn_instant_millis: NOW - 30_000,
        now_millis: NOW,
        lifetime_secs: 300,
        attributes,
        sign_response: false,
    }
}

fn released() -> Vec<ReleasedAttribute> {
    vec![
        ReleasedAttribute {
            name: "urn:oid:1.3.6.1.4.1.7135.1.2.1.14".into(),
            friendly_name: Some("ENTPersonProfils".into()),
            name_format: NameFormat::Uri,
            values: vec!["National_ELV".into(), "Élève <\"&'>\n2".into()],
        },
        ReleasedAttribute {
            name: "uid".into(),
            friendly_name: None,
            name_format: NameFormat::Basic,
            values: vec!["u-42".into()],
        },
    ]
}

#[test]
fn our_response_is_accepted_by_our_own_service_provider() -> Result<(), SamlError> {
    let idp = idp()?;
    let idp_metadata = crate::parse_idp_metadata(&idp.metadata())?;
    let attributes = released();
    let expect = Expect {
        in_response_to: Some("_4f1d"),
        now_millis: NOW + 1_000,
        clock_skew_secs: SKEW,
    };
    for sign_response in [false, true] {
        let b64 = idp.response(&ResponseSpec {
            sign_response,
            ..spec(&attributes)
        })?;
        let assertion = sp()?.validate_response(&idp_metadata, &b64, &expect)?;
        assert_eq!(assertion.name_id, "u-42");
        assert_eq!(assertion.session_index.as_deref(), Some("_s1"));
        assert_eq!(assertion.not_on_or_after_millis, NOW + 300_000);
        assert_eq!(
            assertion.attribute("ENTPersonProfils"),
            Some(&attributes[0].values[..])
        );
        assert_eq!(assertion.attribute("uid"), Some(&["u-42".to_string()][..]));
        assert!(assertion.id.starts_with('_') && assertion.id.len() == 33);
    }
    Ok(())
}

#[test]
fn our_response_once_altered_or_for_someone_else_is_refused_by_our_sp() -> Result<(), SamlError> {
    let idp = idp()?;
    let idp_metadata = crate::parse_idp_metadata(&idp.metadata())?;
    let attributes = released();
    let expect = Expect {
        in_response_to: Some("_4f1d"),
        now_millis: NOW,
        clock_skew_secs: SKEW,
    };
    let xml = String::from_utf8(xml::base64_decode(&idp.response(&spec(&attributes))?)?)
        .map_err(|_| SamlError::malformed("utf-8"))?;
    let altered = xml.replace("National_ELV", "National_ENS");
    let result = sp()?.validate_response(&idp_metadata, &xml::base64_encode(altered.as_bytes()), &expect);
    assert_eq!(result.map(|_| ()), Err(SamlError::BadSignature));
    let other = idp.response(&ResponseSpec {
        audience: "https://other.test/sp",
        ..spec(&attributes)
    })?;
    let result = sp()?.validate_response(&idp_metadata, &other, &expect);
    assert_eq!(result.map(|_| ()), Err(SamlError::WrongAudience));
    let no_lifetime = idp.response(&ResponseSpec {
        lifetime_secs: 0,
        ..spec(&attributes)
    });
    assert!(no_lifetime.is_err());
    Ok(())
}

#[test]
fn our_metadata_says_what_we_offer() -> Result<(), SamlError> {
    let mut idp = idp()?;
    let metadata = idp.metadata();
    let parsed = crate::parse_idp_metadata(&metadata)?;
    assert_eq!(parsed.sso_redirect_url, SSO);
    assert_eq!(parsed.signing_certs, vec![idp.keys.cert_der.clone()]);
    assert!(metadata.contains(r#"WantAuthnRequestsSigned="false""#));
    assert!(metadata.contains(r#"HTTP-POST" Location="https://ent.test/saml/idp/sso""#));
    assert!(metadata.contains(r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://ent.test/saml/idp/slo"/>"#));
    idp.want_authn_requests_signed = true;
    idp.slo_url = None;
    let metadata = idp.metadata();
    assert!(metadata.contains(r#"WantAuthnRequestsSigned="true""#));
    assert!(!metadata.contains("SingleLogoutService"));
    Ok(())
}

#[test]
fn the_post_form_escapes_everything_and_needs_no_inline_script() {
    let html = post_form_html(
        "https://gar.test/acs?a=1&b=\"2\"",
        "PHNhbWw+",
        Some("<script>alert(1)</script>"),
        None,
    );
    assert!(html.contains(r#"action="https://gar.test/acs?a=1&amp;b=&quot;2&quot;""#));
    assert!(html.contains(r#"name="SAMLResponse" value="PHNhbWw+""#));
    assert!(html.contains(r#"value="&lt;script&gt;alert(1)&lt;/script&gt;""#));
    assert!(html.contains("Continuer vers le service"));
    assert!(!html.contains("<script"));
    let with_script = post_form_html("https://gar.test/acs", "x", None, Some("/static/saml-post.js"));
    assert!(with_script.contains(r#"<script src="/static/saml-post.js" defer></script>"#));
    assert!(!with_script.contains("RelayState"));
}

/// A stand-in for fuzzing (the fuzz workspace lives outside this crate): every prefix of genuine input,
/// and every byte of it altered, is refused or read, never a panic.
#[test]
fn cut_or_altered_input_is_refused_not_a_panic() -> Result<(), SamlError> {
    let idp = idp()?;
    let sp_xml = sp()?.metadata();
    let sp_metadata = parse_sp_metadata(&sp_xml)?;
    let idp_metadata = crate::parse_idp_metadata(&idp.metadata())?;
    let url = sp()?.authn_request_url(&idp_metadata, "_4f1d", NOW, "r")?;
    let (_, query) = url.split_once('?').ok_or_else(|| SamlError::malformed("?"))?;
    for cut in (0..query.len()).filter(|i| query.is_char_boundary(*i)) {
        let _ = read(&idp, &sp_metadata, &query[..cut]);
    }
    let mut altered = query.as_bytes().to_vec();
    for i in 0..altered.len() {
        let kept = altered[i];
        if kept == b'%' {
            continue;
        }
        altered[i] = b'%';
        if let Ok(text) = std::str::from_utf8(&altered) {
            assert!(read(&idp, &sp_metadata, text).is_err(), "{text}");
        }
        altered[i] = kept;
    }
    for cut in (0..sp_xml.len()).filter(|i| sp_xml.is_char_boundary(*i)) {
        let _ = parse_sp_metadata(&sp_xml[..cut]);
        let post = xml::base64_encode(&sp_xml.as_bytes()[..cut]);
        let _ = idp.authn_request_from_post(&post, None, |_| Some(&sp_metadata), NOW, SKEW);
    }
    Ok(())
}
