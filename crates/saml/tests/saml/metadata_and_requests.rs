//! Metadata both ways, and our signed HTTP-Redirect AuthnRequest as pysaml2 checks it.

use super::*;

#[test]
fn the_peer_metadata_gives_its_entity_id_redirect_endpoint_and_signing_certificate() -> TestResult {
    let setup = Setup::new()?;
    assert_eq!(setup.idp.entity_id, "https://educonnect.test/idp");
    assert_eq!(
        setup.idp.sso_redirect_url,
        "https://educonnect.test/idp/profile/SAML2/Redirect/SSO"
    );
    assert_eq!(setup.idp.signing_certs.len(), 1);
    let pem = std::fs::read_to_string(peer_dir().join("test-only-idp.crt"))?;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(
        setup.idp.signing_certs[0],
        base64::engine::general_purpose::STANDARD.decode(body)?
    );
    Ok(())
}

#[test]
fn metadata_without_signing_certificate_or_redirect_endpoint_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let metadata = idp_ok(&["metadata"])?;
    let no_cert = metadata.replace("use=\"signing\"", "use=\"encryption\"");
    assert!(matches!(
        saml::parse_idp_metadata(&no_cert),
        Err(SamlError::BadMetadata(_))
    ));
    let no_redirect = metadata.replace("HTTP-Redirect", "HTTP-Artifact");
    assert!(matches!(
        saml::parse_idp_metadata(&no_redirect),
        Err(SamlError::BadMetadata(_))
    ));
    assert!(setup.sp.metadata().contains("WantAssertionsSigned=\"true\""));
    Ok(())
}

#[test]
fn pysaml2_loads_our_metadata_and_verifies_our_request_signature() -> TestResult {
    let setup = Setup::new()?;
    let url = setup.request_url("_4f1d0c9e2b7a")?;
    assert!(url.starts_with("https://educonnect.test/idp/profile/SAML2/Redirect/SSO?SAMLRequest="));
    let answer = idp_ok(&[
        "check-request",
        "--sp-metadata",
        setup.metadata_path()?,
        "--request-url",
        &url,
    ])?;
    // The peer prints what it read from our request and our metadata.
    assert!(answer.contains(r#""id": "_4f1d0c9e2b7a""#), "{answer}");
    assert!(
        answer.contains(&format!(r#""issuer": "{SP_ENTITY}""#)),
        "{answer}"
    );
    assert!(answer.contains(&format!(r#""acs_url": "{ACS}""#)), "{answer}");
    assert!(answer.contains(r#""relay_state": "_4f1d0c9e2b7a""#), "{answer}");
    assert!(
        answer.contains(&format!(r#""sp_entity_ids": ["{SP_ENTITY}"]"#)),
        "{answer}"
    );
    Ok(())
}

#[test]
fn pysaml2_refuses_our_request_once_tampered_with() -> TestResult {
    let setup = Setup::new()?;
    let url = setup.request_url("_4f1d0c9e2b7a")?;
    let check = |url: &str| -> Result<Result<String, String>, Box<dyn Error>> {
        idp_py(&[
            "check-request",
            "--sp-metadata",
            setup.metadata_path()?,
            "--request-url",
            url,
        ])
    };
    // Another RelayState: the signature covers it.
    let other_relay = url.replace("RelayState=_4f1d0c9e2b7a", "RelayState=_4f1d0c9e2b7b");
    assert!(check(&other_relay)?.is_err(), "a changed RelayState was accepted");
    // Another request, built for another service, under our signature.
    let other_sp = Sp {
        acs_url: "https://evil.test/acs".into(),
        ..setup.sp.clone()
    };
    let evil = other_sp.authn_request_url(&setup.idp, "_4f1d0c9e2b7a", setup.now_millis, "_4f1d0c9e2b7a")?;
    let evil_request = evil.split('&').next().ok_or("no SAMLRequest")?;
    let ours_after = url.split_once('&').ok_or("no RelayState")?.1;
    assert!(
        check(&format!("{evil_request}&{ours_after}"))?.is_err(),
        "a swapped request was accepted"
    );
    // No signature at all.
    let unsigned = url.split("&SigAlg=").next().ok_or("no SigAlg")?;
    assert!(check(unsigned)?.is_err(), "an unsigned request was accepted");
    // The genuine one still passes.
    assert!(check(&url)?.is_ok());
    Ok(())
}

#[test]
fn request_ids_that_are_not_xml_ids_are_refused() -> TestResult {
    let setup = Setup::new()?;
    let result = setup.sp.authn_request_url(&setup.idp, "1\"/><x", 0, "");
    assert!(matches!(result, Err(SamlError::Malformed(_))), "{result:?}");
    Ok(())
}
