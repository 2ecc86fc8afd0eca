//! Our signed Responses as pysaml2 (and our own service provider) check them.

use super::*;

#[test]
fn pysaml2_accepts_our_response_with_name_id_and_attributes_intact() -> TestResult {
    let gar = Gar::new()?;
    let (id, query) = gar.redirect_request(&[])?;
    let request = gar.read_redirect(&query)?;
    let attributes = released();
    let b64 = gar.idp.response(&gar.spec(Some(&request.id), &attributes))?;
    let answer = gar.check(&b64, &id, &[])?.map_err(|e| format!("refused: {e}"))?;
    for expected in [
        format!(r#""issuer": "{IDP_ENTITY}""#),
        format!(r#""in_response_to": "{id}""#),
        r#""name_id": "a1b2c3-persistent""#.to_string(),
        format!(r#""name_id_format": "{NAME_ID_PERSISTENT}""#),
        format!(r#""sp_name_qualifier": "{GAR_ENTITY}""#),
        r#""session_index": "_session42""#.to_string(),
        r#""FrEduCtPersonAffiliation": ["National_ENS", "National_DOC"]"#.to_string(),
        r#""mail": ["elodie.martin@ac-reims.test"]"#.to_string(),
        r#""name": "GARPersonEtab", "friendly_name": null, "name_format": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", "values": ["0511234A", "Lycée « Roosevelt » & <annexe>"]"#.to_string(),
        r#""friendly_name": "mail", "name_format": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri""#.to_string(),
    ] {
        assert!(answer.contains(&expected), "{expected} not in {answer}");
    }
    Ok(())
}

#[test]
fn pysaml2_checks_our_response_signature_too() -> TestResult {
    let gar = Gar::new()?;
    let attributes = released();
    let (id, _) = gar.redirect_request(&[])?;
    let assertion_only = gar.idp.response(&gar.spec(Some(&id), &attributes))?;
    let both = gar.idp.response(&ResponseSpec {
        sign_response: true,
        ..gar.spec(Some(&id), &attributes)
    })?;
    let want_response_signed = ["--want-response-signed"];
    assert!(gar.check(&both, &id, &want_response_signed)?.is_ok());
    peer_refused(
        gar.check(&assertion_only, &id, &want_response_signed)?,
        "Signature missing for response",
    )?;
    // Unsolicited (IdP-initiated): no InResponseTo anywhere.
    let unsolicited = gar.idp.response(&gar.spec(None, &attributes))?;
    let args = [
        "check-response",
        "--idp-metadata",
        gar.path()?,
        "--response",
        &unsolicited,
        "--unsolicited",
    ];
    assert!(sp_ok(&args)?.contains(r#""in_response_to": null"#));
    Ok(())
}

#[test]
fn pysaml2_refuses_our_response_once_an_attribute_is_altered() -> TestResult {
    let gar = Gar::new()?;
    let attributes = released();
    let (id, _) = gar.redirect_request(&[])?;
    for sign_response in [false, true] {
        let b64 = gar.idp.response(&ResponseSpec {
            sign_response,
            ..gar.spec(Some(&id), &attributes)
        })?;
        let xml = decode(&b64)?;
        assert_eq!(xml.matches("National_DOC").count(), 1);
        let altered = encode(&xml.replace("National_DOC", "National_DIR"));
        assert!(gar.check(&b64, &id, &[])?.is_ok());
        peer_refused(gar.check(&altered, &id, &[])?, "data and digest do not match")?;
    }
    Ok(())
}

#[test]
fn pysaml2_refuses_our_response_for_another_audience_or_signed_by_another_key() -> TestResult {
    let gar = Gar::new()?;
    let attributes = released();
    let (id, _) = gar.redirect_request(&[])?;
    let elsewhere = gar.idp.response(&ResponseSpec {
        audience: "https://editeur.test/sp",
        ..gar.spec(Some(&id), &attributes)
    })?;
    peer_refused(
        gar.check(&elsewhere, &id, &[])?,
        "AudienceRestrictions conditions not satisfied",
    )?;
    let other_request = gar.idp.response(&gar.spec(Some("_not-asked"), &attributes))?;
    peer_refused(
        gar.check(&other_request, &id, &[])?,
        "Unsolicited response: _not-asked",
    )?;
    let impostor = Gar::with_keys("attacker")?;
    let forged = impostor.idp.response(&impostor.spec(Some(&id), &attributes))?;
    peer_refused(impostor.check(&forged, &id, &[])?, "Failed to verify signature")?;
    Ok(())
}

#[test]
fn our_own_service_provider_accepts_what_pysaml2_accepts() -> TestResult {
    let gar = Gar::new()?;
    let attributes = released();
    let idp_metadata = saml::parse_idp_metadata(&gar.idp.metadata())?;
    let read = |name: &str| std::fs::read_to_string(peer_dir().join(name));
    let sp = Sp {
        entity_id: GAR_ENTITY.into(),
        acs_url: GAR_ACS.into(),
        keys: Keys::from_pem(&read("test-only-sp.key")?, &read("test-only-sp.crt")?)?,
    };
    let expect = Expect {
        in_response_to: Some("_r1"),
        now_millis: gar.now_millis,
        clock_skew_secs: SKEW_SECS,
    };
    for sign_response in [false, true] {
        let b64 = gar.idp.response(&ResponseSpec {
            sign_response,
            ..gar.spec(Some("_r1"), &attributes)
        })?;
        let assertion = sp.validate_response(&idp_metadata, &b64, &expect)?;
        assert_eq!(assertion.issuer, IDP_ENTITY);
        assert_eq!(assertion.name_id, "a1b2c3-persistent");
        assert_eq!(assertion.session_index.as_deref(), Some("_session42"));
        assert_eq!(
            assertion.attribute("FrEduCtPersonAffiliation"),
            Some(&attributes[0].values[..])
        );
        assert_eq!(
            assertion.attribute("GARPersonEtab"),
            Some(&attributes[2].values[..])
        );
        let altered = encode(&decode(&b64)?.replace("National_DOC", "National_DIR"));
        refused(
            sp.validate_response(&idp_metadata, &altered, &expect),
            &SamlError::BadSignature,
        )?;
    }
    Ok(())
}
