//! Responses made by pysaml2: the accepted shapes, then each rule that refuses one.

use super::*;

#[test]
fn a_signed_assertion_is_accepted_and_read() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a1", &["--sign-assertion"])?;
    let assertion = setup.validate(&b64, "_a1")?;
    check_parent(&assertion, "_a1")?;
    assert!(assertion.not_on_or_after_millis > setup.now_millis);
    Ok(())
}

#[test]
fn a_signed_response_around_an_unsigned_assertion_is_accepted() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a2", &["--sign-response"])?;
    let xml = decode(&b64)?;
    assert_eq!(
        xml.matches("SignatureValue>").count(),
        2,
        "one signature expected (open + close tags)"
    );
    check_parent(&setup.validate(&b64, "_a2")?, "_a2")
}

#[test]
fn a_shibboleth_style_signature_with_an_inclusive_prefix_list_is_accepted() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a7", &["--xmlsec1-sign-assertion"])?;
    let xml = decode(&b64)?;
    assert!(
        xml.contains("PrefixList=\"xs\"") && xml.contains("xsi:type=\"xs:string\""),
        "{xml}"
    );
    check_parent(&setup.validate(&b64, "_a7")?, "_a7")
}

#[test]
fn an_encrypted_signed_assertion_is_decrypted_and_accepted_with_each_aes_mode() -> TestResult {
    let setup = Setup::new()?;
    for cipher in ["aes256-gcm", "aes128-gcm", "aes256-cbc", "aes128-cbc"] {
        let options = ["--encrypt-assertion", "--data-cipher", cipher, "--sign-assertion"];
        let b64 = setup.response("_a3", &options)?;
        let xml = decode(&b64)?;
        assert!(
            xml.contains(&format!("#{cipher}\"")) && !xml.contains("Martin"),
            "not encrypted: {xml}"
        );
        check_parent(&setup.validate(&b64, "_a3")?, "_a3")?;
    }
    Ok(())
}

#[test]
fn an_encrypted_assertion_in_a_signed_response_is_accepted() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a4", &["--encrypt-assertion", "--sign-response"])?;
    check_parent(&setup.validate(&b64, "_a4")?, "_a4")
}

#[test]
fn pysaml2_defaults_sha1_and_3des_are_refused_by_name() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a5", &["--sign-assertion", "--signing-alg", "rsa-sha1"])?;
    refused(
        setup.validate(&b64, "_a5"),
        &SamlError::UnsupportedAlgorithm("rsa-sha1".into()),
    )?;
    let options = [
        "--encrypt-assertion",
        "--data-cipher",
        "tripledes-cbc",
        "--sign-assertion",
    ];
    let b64 = setup.response("_a5", &options)?;
    refused(
        setup.validate(&b64, "_a5"),
        &SamlError::UnsupportedAlgorithm("tripledes-cbc".into()),
    )
}

#[test]
fn an_assertion_encrypted_for_another_key_cannot_be_decrypted() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_a6", &["--encrypt-assertion", "--sign-assertion"])?;
    let read = |name: &str| std::fs::read_to_string(peer_dir().join(name));
    let other_keys = SpKeys::from_pem(&read("test-only-attacker.key")?, &read("test-only-attacker.crt")?)?;
    let other_sp = Sp {
        keys: other_keys,
        ..setup.sp.clone()
    };
    let result = other_sp.validate_response(&setup.idp, &b64, &setup.expect("_a6"));
    assert!(matches!(result, Err(SamlError::Decrypt(_))), "{result:?}");
    Ok(())
}

#[test]
fn an_attribute_changed_after_signing_breaks_the_signature() -> TestResult {
    let setup = Setup::new()?;
    for option in ["--sign-assertion", "--sign-response"] {
        let xml = decode(&setup.response("_b1", &[option])?)?;
        assert!(xml.contains(">resp2d<"));
        let tampered = xml.replace(">resp2d<", ">ens<");
        refused(
            setup.validate(&encode(&tampered), "_b1"),
            &SamlError::BadSignature,
        )?;
    }
    Ok(())
}

#[test]
fn a_signature_by_a_key_absent_from_the_metadata_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_b2", &["--sign-assertion", "--signing-key", "attacker"])?;
    refused(setup.validate(&b64, "_b2"), &SamlError::BadSignature)
}

#[test]
fn an_unsigned_response_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_b3", &["--unsigned"])?;
    refused(setup.validate(&b64, "_b3"), &SamlError::Unsigned)
}

#[test]
fn an_assertion_for_another_audience_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response(
        "_c1",
        &["--sign-assertion", "--audience", "https://other-ent.test/saml"],
    )?;
    refused(setup.validate(&b64, "_c1"), &SamlError::WrongAudience)
}

#[test]
fn an_assertion_for_another_recipient_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response(
        "_c2",
        &["--sign-assertion", "--recipient", "https://evil.test/acs"],
    )?;
    refused(setup.validate(&b64, "_c2"), &SamlError::WrongRecipient)
}

#[test]
fn an_expired_assertion_is_refused_and_skew_is_tolerated() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_c3", &["--sign-assertion", "--lifetime-secs", "120"])?;
    let at = |now_millis| Expect {
        now_millis,
        ..setup.expect("_c3")
    };
    // Within the lifetime plus skew: fine. After it: expired.
    setup
        .sp
        .validate_response(&setup.idp, &b64, &at(setup.now_millis + 150_000))?;
    refused(
        setup
            .sp
            .validate_response(&setup.idp, &b64, &at(setup.now_millis + 600_000)),
        &SamlError::Expired,
    )?;
    // Long before it was issued: not yet valid.
    let early = at(setup.now_millis - 3_600_000);
    refused(
        setup.sp.validate_response(&setup.idp, &b64, &early),
        &SamlError::NotYetValid,
    )
}

#[test]
fn a_response_to_another_request_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_d1", &["--sign-assertion"])?;
    refused(setup.validate(&b64, "_d2"), &SamlError::InResponseToMismatch)?;
    // Nor is it taken for an unsolicited one.
    let unsolicited = Expect {
        in_response_to: None,
        ..setup.expect("_d1")
    };
    refused(
        setup.sp.validate_response(&setup.idp, &b64, &unsolicited),
        &SamlError::InResponseToMismatch,
    )
}

#[test]
fn an_unsolicited_response_is_accepted_only_when_the_caller_expects_none() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_d3", &["--sign-assertion", "--unsolicited"])?;
    refused(setup.validate(&b64, "_d3"), &SamlError::InResponseToMismatch)?;
    let unsolicited = Expect {
        in_response_to: None,
        ..setup.expect("_d3")
    };
    let assertion = setup.sp.validate_response(&setup.idp, &b64, &unsolicited)?;
    assert_eq!(assertion.in_response_to, None);
    Ok(())
}

#[test]
fn issuer_and_destination_must_be_the_expected_ones() -> TestResult {
    let setup = Setup::new()?;
    let b64 = setup.response("_e1", &["--sign-assertion"])?;
    let other_idp = IdpMetadata {
        entity_id: "https://other-idp.test".into(),
        ..setup.idp.clone()
    };
    refused(
        setup.sp.validate_response(&other_idp, &b64, &setup.expect("_e1")),
        &SamlError::WrongIssuer,
    )?;
    let other_sp = Sp {
        acs_url: "https://other-ent.test/acs".into(),
        ..setup.sp.clone()
    };
    let result = other_sp.validate_response(&setup.idp, &b64, &setup.expect("_e1"));
    refused(result, &SamlError::WrongDestination)
}

#[test]
fn an_error_status_is_reported_with_its_code() -> TestResult {
    let setup = Setup::new()?;
    let xml = decode(&setup.response("_e2", &["--sign-assertion"])?)?;
    let failed = xml.replace(
        "urn:oasis:names:tc:SAML:2.0:status:Success",
        "urn:oasis:names:tc:SAML:2.0:status:Responder",
    );
    refused(
        setup.validate(&encode(&failed), "_e2"),
        &SamlError::Status("Responder".into()),
    )
}

#[test]
fn oversized_or_non_saml_input_is_malformed() -> TestResult {
    let setup = Setup::new()?;
    let huge = "A".repeat(300 * 1024);
    assert!(matches!(
        setup.validate(&huge, "_f"),
        Err(SamlError::Malformed(_))
    ));
    assert!(matches!(
        setup.validate("%%%", "_f"),
        Err(SamlError::Malformed(_))
    ));
    let not_response = encode("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>");
    assert!(matches!(
        setup.validate(&not_response, "_f"),
        Err(SamlError::Malformed(_))
    ));
    let bomb = encode("<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><r>&b;</r>");
    assert!(matches!(
        setup.validate(&bomb, "_f"),
        Err(SamlError::Malformed(_))
    ));
    Ok(())
}
