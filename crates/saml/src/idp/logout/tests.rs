//! Single logout's rules, against messages we build ourselves (pysaml2's are in `tests/saml/idp/logout.rs`):
//! our own LogoutRequests and LogoutResponses read back by a second identity provider standing for the
//! service provider, and a service provider's messages altered one rule at a time.

use super::super::tests::{
    ATTACKER_CERT, ATTACKER_KEY, IDP_CERT, IDP_KEY, NOW, SP_CERT, SP_ENTITY, SP_KEY, idp, sp_metadata,
};
use super::*;
use crate::{Keys, NAME_ID_PERSISTENT};

const SLO: &str = "https://ent.test/saml/idp/slo";
const SP_SLO: &str = "https://gar.test/sp/slo";

/// A service provider's message `<samlp:{element} {attributes}>{issuer}{inside}`, as the raw query of
/// an HTTP-Redirect URL signed by `keys` (`None`: unsigned).
fn sp_query(
    param: Param,
    element: &str,
    attributes: &str,
    inside: &str,
    keys: Option<&Keys>,
) -> Result<String, SamlError> {
    let xml = format!(
        r#"<samlp:{element} xmlns:samlp="{NS_PROTOCOL}" xmlns:saml="{NS_ASSERTION}" ID="_l1" Version="2.0" {attributes}><saml:Issuer>{SP_ENTITY}</saml:Issuer>{inside}</samlp:{element}>"#
    );
    let signer = Keys::from_pem(SP_KEY, SP_CERT)?;
    let url = redirect::signed_url(SLO, param, &xml, Some("rs"), keys.unwrap_or(&signer))?;
    let query = url.split_once('?').map_or("", |(_, q)| q);
    Ok(match keys {
        Some(_) => query.to_string(),
        None => query.split("&SigAlg=").next().unwrap_or("").to_string(),
    })
}

fn attributes(issued_millis: i64, extra: &str) -> String {
    format!(
        r#"IssueInstant="{}" Destination="{SLO}" {extra}"#,
        xml::format_instant(issued_millis)
    )
}

const NAME_ID: &str =
    r#"<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">u-42</saml:NameID>"#;

fn request_query(attributes: &str, inside: &str, keys: Option<&Keys>) -> Result<String, SamlError> {
    sp_query(Param::Request, "LogoutRequest", attributes, inside, keys)
}

fn read_request(query: &str) -> Result<LogoutRequest, SamlError> {
    let sp = sp_metadata()?;
    idp()?
        .logout_request_from_redirect(query, |issuer| (issuer == SP_ENTITY).then_some(&sp), NOW)
        .map(|(request, _)| request)
}

fn read_response(query: &str, sp: &SpMetadata) -> Result<LogoutResponse, SamlError> {
    idp()?
        .logout_response_from_redirect(query, |_| Some(sp), NOW)
        .map(|(response, _)| response)
}

/// The service provider as our identity provider's peer: a second `Idp` at the SP's address reads our
/// messages, with metadata that names us and holds our certificate.
fn peer() -> Result<(Idp, SpMetadata), SamlError> {
    let ours = idp()?;
    let receiver = Idp {
        entity_id: SP_ENTITY.into(),
        slo_url: Some(SP_SLO.into()),
        ..ours.clone()
    };
    let us = SpMetadata {
        entity_id: ours.entity_id.clone(),
        signing_certs: vec![Keys::from_pem(IDP_KEY, IDP_CERT)?.cert_der],
        authn_requests_signed: true,
        ..sp_metadata()?
    };
    Ok((receiver, us))
}

fn query_of(url: &str) -> Result<&str, SamlError> {
    let (endpoint, query) = url.split_once('?').ok_or_else(|| SamlError::malformed("?"))?;
    assert_eq!(endpoint, SP_SLO);
    Ok(query)
}

#[test]
fn our_logout_request_is_signed_and_reads_back() -> Result<(), SamlError> {
    let spec = LogoutRequestSpec {
        destination: SP_SLO,
        name_id: "u-42 <&>",
        name_id_format: NAME_ID_PERSISTENT,
        sp_name_qualifier: SP_ENTITY,
        session_index: "_s1",
        now_millis: NOW,
        relay_state: Some("/après?x=1"),
    };
    let (url, id) = idp()?.logout_request_url(&spec)?;
    assert!(id.starts_with('_') && id.len() == 33);
    let (receiver, us) = peer()?;
    let (request, found) =
        receiver.logout_request_from_redirect(query_of(&url)?, |_| Some(&us), NOW + 1_000)?;
    assert_eq!(found, &us);
    assert_eq!(
        request,
        LogoutRequest {
            id: id.clone(),
            issuer: idp()?.entity_id,
            name_id: "u-42 <&>".into(),
            session_indexes: vec!["_s1".into()],
            relay_state: Some("/après?x=1".into()),
        }
    );
    let text = redirect::split_query(query_of(&url)?, Param::Request)?.xml()?;
    assert!(text.contains(r#"SPNameQualifier="https://gar.test/sp""#));
    assert!(text.contains(&format!(
        r#"NotOnOrAfter="{}""#,
        xml::format_instant(NOW + 300_000)
    )));
    // Past its NotOnOrAfter (the skew allowed), it is refused.
    let late = receiver.logout_request_from_redirect(query_of(&url)?, |_| Some(&us), NOW + 421_000);
    assert_eq!(late.map(|_| ()), Err(SamlError::StaleLogout));
    let long = "r".repeat(81);
    let too_long = idp()?.logout_request_url(&LogoutRequestSpec {
        relay_state: Some(&long),
        ..spec
    });
    assert!(matches!(too_long, Err(SamlError::Malformed(_))));
    Ok(())
}

#[test]
fn our_logout_responses_say_success_or_responder() -> Result<(), SamlError> {
    let (receiver, us) = peer()?;
    for success in [true, false] {
        let url = idp()?.logout_response_url(SP_SLO, "_r9", success, Some("rs"), NOW)?;
        let (response, _) = receiver.logout_response_from_redirect(query_of(&url)?, |_| Some(&us), NOW)?;
        assert_eq!(response.success, success);
        assert_eq!(response.in_response_to.as_deref(), Some("_r9"));
        assert_eq!(response.relay_state.as_deref(), Some("rs"));
        assert_eq!(response.issuer, idp()?.entity_id);
    }
    let bad_id = idp()?.logout_response_url(SP_SLO, "\"><x", true, None, NOW);
    assert!(matches!(bad_id, Err(SamlError::Malformed(_))));
    Ok(())
}

#[test]
fn a_signed_sp_logout_request_is_read() -> Result<(), SamlError> {
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let inside = format!(
        "{NAME_ID}<samlp:SessionIndex>_a</samlp:SessionIndex><samlp:SessionIndex>_b</samlp:SessionIndex>"
    );
    let request = read_request(&request_query(
        &attributes(NOW - 299_000, ""),
        &inside,
        Some(&keys),
    )?)?;
    assert_eq!(
        request,
        LogoutRequest {
            id: "_l1".into(),
            issuer: SP_ENTITY.into(),
            name_id: "u-42".into(),
            session_indexes: vec!["_a".into(), "_b".into()],
            relay_state: Some("rs".into()),
        }
    );
    Ok(())
}

#[test]
fn sp_logout_requests_are_refused_unsigned_forged_or_out_of_rules() -> Result<(), SamlError> {
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let attacker = Keys::from_pem(ATTACKER_KEY, ATTACKER_CERT)?;
    let now = attributes(NOW, "");
    // Unsigned, although this service provider's metadata does not ask for signed requests.
    let mut sp = sp_metadata()?;
    sp.authn_requests_signed = false;
    let unsigned = request_query(&now, NAME_ID, None)?;
    let result = idp()?.logout_request_from_redirect(&unsigned, |_| Some(&sp), NOW);
    assert_eq!(result.map(|_| ()), Err(SamlError::UnsignedLogout));
    let signed = request_query(&now, NAME_ID, Some(&keys))?;
    let tampered = signed.replace("RelayState=rs", "RelayState=rt");
    let cases = [
        (
            request_query(&now, NAME_ID, Some(&attacker))?,
            SamlError::BadLogoutSignature,
        ),
        (tampered, SamlError::BadLogoutSignature),
        (
            request_query(&attributes(NOW - 301_000, ""), NAME_ID, Some(&keys))?,
            SamlError::StaleLogout,
        ),
        (
            request_query(&attributes(NOW + 121_000, ""), NAME_ID, Some(&keys))?,
            SamlError::StaleLogout,
        ),
        (
            request_query(
                &attributes(
                    NOW,
                    &format!(r#"NotOnOrAfter="{}""#, xml::format_instant(NOW - 121_000)),
                ),
                NAME_ID,
                Some(&keys),
            )?,
            SamlError::StaleLogout,
        ),
        (
            request_query(&now, "", Some(&keys))?,
            SamlError::malformed("élément NameID manquant"),
        ),
        (
            request_query(
                &now.replace(SLO, "https://other-idp.test/slo"),
                NAME_ID,
                Some(&keys),
            )?,
            SamlError::malformed("le message est adressé à une autre adresse que la nôtre"),
        ),
        (
            signed.replace("SAMLRequest=", "SAMLResponse="),
            SamlError::malformed("paramètre SAMLRequest manquant"),
        ),
        (
            sp_query(Param::Request, "AuthnRequest", &now, "", Some(&keys))?,
            SamlError::malformed("samlp:LogoutRequest attendu"),
        ),
    ];
    for (query, expected) in &cases {
        assert_eq!(&read_request(query), &Err(expected.clone()), "{query}");
    }
    assert!(read_request(&signed).is_ok());
    // An issuer without metadata, or metadata of another service provider.
    let other = SpMetadata {
        entity_id: "https://other.test/sp".into(),
        ..sp_metadata()?
    };
    for found in [None, Some(&other)] {
        let result = idp()?.logout_request_from_redirect(&signed, |_| found, NOW);
        assert_eq!(result.map(|_| ()), Err(SamlError::UnknownServiceProvider));
    }
    Ok(())
}

#[test]
fn sp_logout_responses_report_their_status_and_need_a_signature_if_promised() -> Result<(), SamlError> {
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let status = |code: &str| {
        format!(
            r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{code}"/></samlp:Status>"#
        )
    };
    let response = |inside: &str, keys: Option<&Keys>| {
        sp_query(
            Param::Response,
            "LogoutResponse",
            &attributes(NOW, r#"InResponseTo="_ours""#),
            inside,
            keys,
        )
    };
    let mut sp = sp_metadata()?;
    let ok = read_response(&response(&status("Success"), Some(&keys))?, &sp)?;
    assert_eq!(
        ok,
        LogoutResponse {
            id: "_l1".into(),
            issuer: SP_ENTITY.into(),
            in_response_to: Some("_ours".into()),
            success: true,
            relay_state: Some("rs".into()),
        }
    );
    let responder = read_response(&response(&status("Responder"), Some(&keys))?, &sp)?;
    assert!(!responder.success);
    let unsigned = response(&status("Success"), None)?;
    assert_eq!(read_response(&unsigned, &sp), Err(SamlError::UnsignedLogout));
    sp.authn_requests_signed = false;
    assert!(read_response(&unsigned, &sp)?.success);
    let attacker = Keys::from_pem(ATTACKER_KEY, ATTACKER_CERT)?;
    let forged = response(&status("Success"), Some(&attacker))?;
    assert_eq!(read_response(&forged, &sp), Err(SamlError::BadLogoutSignature));
    let no_status = response("", Some(&keys))?;
    assert_eq!(
        read_response(&no_status, &sp),
        Err(SamlError::malformed("élément Status manquant"))
    );
    Ok(())
}

/// A stand-in for fuzzing: every prefix of a genuine logout query is refused or read, never a panic.
#[test]
fn cut_logout_queries_are_refused_not_a_panic() -> Result<(), SamlError> {
    let keys = Keys::from_pem(SP_KEY, SP_CERT)?;
    let query = request_query(&attributes(NOW, ""), NAME_ID, Some(&keys))?;
    let (idp, sp) = (idp()?, sp_metadata()?);
    for cut in (0..query.len()).filter(|i| query.is_char_boundary(*i)) {
        let _ = idp.logout_request_from_redirect(&query[..cut], |_| Some(&sp), NOW);
        let response = query[..cut].replace("SAMLRequest", "SAMLResponse");
        let _ = idp.logout_response_from_redirect(&response, |_| Some(&sp), NOW);
    }
    Ok(())
}
