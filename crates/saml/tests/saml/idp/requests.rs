//! Metadata both ways, and pysaml2's AuthnRequests (HTTP-Redirect and HTTP-POST) as our IdP reads them.

use super::*;

#[test]
fn pysaml2_loads_our_idp_metadata_and_we_read_its_sp_metadata() -> TestResult {
    let gar = Gar::new()?;
    assert_eq!(gar.sp.entity_id, GAR_ENTITY);
    let consumers: Vec<(&str, u16)> = gar
        .sp
        .assertion_consumers
        .iter()
        .map(|a| (a.url.as_str(), a.index))
        .collect();
    assert_eq!(consumers, [(GAR_ACS, 1), ("https://gar.test/sp/acs-legacy", 2)]);
    assert_eq!(
        gar.sp.default_assertion_consumer().map(|a| a.url.as_str()),
        Some(GAR_ACS)
    );
    assert!(gar.sp.authn_requests_signed && gar.sp.want_assertions_signed);
    let pem = std::fs::read_to_string(peer_dir().join("test-only-sp.crt"))?;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(
        gar.sp.signing_certs,
        [base64::engine::general_purpose::STANDARD.decode(body)?]
    );
    let slo = gar.sp.single_logout.as_ref().ok_or("no SLO")?;
    assert_eq!(
        (slo.binding, slo.url.as_str()),
        (Binding::Redirect, "https://gar.test/sp/slo")
    );
    // pysaml2 found our SSO endpoint in our metadata: it addressed its request there.
    let (_, query) = gar.redirect_request(&[])?;
    assert!(gar.read_redirect(&query).is_ok());
    Ok(())
}

#[test]
fn a_signed_redirect_request_from_pysaml2_is_accepted_and_read() -> TestResult {
    let gar = Gar::new()?;
    let (id, query) = gar.redirect_request(&["--relay-state", "/ressources?id=42 é", "--force-authn"])?;
    let request = gar.read_redirect(&query)?;
    assert_eq!(request.id, id);
    assert_eq!(request.issuer, GAR_ENTITY);
    assert_eq!(request.acs_url.as_deref(), Some(GAR_ACS));
    assert!(request.force_authn && !request.is_passive);
    assert_eq!(request.relay_state.as_deref(), Some("/ressources?id=42 é"));
    assert!((request.issue_instant_millis - gar.now_millis).abs() < 5_000);
    assert_eq!(gar.sp.assertion_consumer_url(&request)?, GAR_ACS);
    Ok(())
}

#[test]
fn a_signed_post_request_from_pysaml2_is_accepted_and_read() -> TestResult {
    let gar = Gar::new()?;
    let (id, saml_request) = gar.post_request(&[])?;
    let request = gar.read_post(&saml_request)?;
    assert_eq!(
        (request.id.as_str(), request.issuer.as_str()),
        (id.as_str(), GAR_ENTITY)
    );
    assert_eq!(request.acs_url.as_deref(), Some(GAR_ACS));
    assert_eq!(request.relay_state.as_deref(), Some("rs"));
    Ok(())
}

#[test]
fn tampered_or_foreign_request_signatures_are_refused() -> TestResult {
    let gar = Gar::new()?;
    let (_, query) = gar.redirect_request(&["--relay-state", "a"])?;
    let (_, other) = gar.redirect_request(&["--relay-state", "a"])?;
    // Another request under this one's (genuine) signature.
    let signature = |q: &str| q.split_once("&Signature=").map(|(_, s)| s.to_string());
    let (other_request, _) = other.split_once("&Signature=").ok_or("no Signature")?;
    let swapped = format!(
        "{other_request}&Signature={}",
        signature(&query).ok_or("no Signature")?
    );
    refused(gar.read_redirect(&swapped), &SamlError::BadRequestSignature)?;
    // The RelayState changed on the way.
    refused(
        gar.read_redirect(&query.replace("RelayState=a", "RelayState=b")),
        &SamlError::BadRequestSignature,
    )?;
    // Signed by a key absent from the service provider's metadata, both bindings.
    let (_, forged) = gar.redirect_request(&["--signing-key", "attacker"])?;
    refused(gar.read_redirect(&forged), &SamlError::BadRequestSignature)?;
    let (_, forged_post) = gar.post_request(&["--signing-key", "attacker"])?;
    refused(gar.read_post(&forged_post), &SamlError::BadRequestSignature)?;
    // The genuine ones still pass.
    assert!(gar.read_redirect(&query).is_ok() && gar.read_redirect(&other).is_ok());
    Ok(())
}

#[test]
fn a_request_naming_an_unknown_consumer_url_is_refused() -> TestResult {
    let gar = Gar::new()?;
    let (_, query) = gar.redirect_request(&["--acs-url", "https://evil.test/acs"])?;
    refused(gar.read_redirect(&query), &SamlError::UnknownAssertionConsumer)?;
    // The other URL of its metadata is fine.
    let (_, legacy) = gar.redirect_request(&["--acs-url", "https://gar.test/sp/acs-legacy"])?;
    assert_eq!(
        gar.read_redirect(&legacy)?.acs_url.as_deref(),
        Some("https://gar.test/sp/acs-legacy")
    );
    Ok(())
}

#[test]
fn an_unsigned_request_is_refused_when_signing_is_required() -> TestResult {
    let mut gar = Gar::new()?;
    let (_, query) = gar.redirect_request(&["--unsigned"])?;
    let (_, post) = gar.post_request(&["--unsigned"])?;
    assert!(!query.contains("Signature="));
    // Required by both sides, then by the service provider's metadata alone, then by us alone.
    refused(gar.read_redirect(&query), &SamlError::UnsignedRequest)?;
    gar.idp.want_authn_requests_signed = false;
    refused(gar.read_redirect(&query), &SamlError::UnsignedRequest)?;
    refused(gar.read_post(&post), &SamlError::UnsignedRequest)?;
    gar.sp.authn_requests_signed = false;
    assert!(gar.read_redirect(&query).is_ok() && gar.read_post(&post).is_ok());
    gar.idp.want_authn_requests_signed = true;
    refused(gar.read_redirect(&query), &SamlError::UnsignedRequest)?;
    Ok(())
}
