//! The SAML parsers on arbitrary input, as service provider (the response validator and the IdP metadata
//! parser: an attacker controls the whole POST to the assertion consumer service) and as identity
//! provider (the SP metadata parser and the AuthnRequest parsers of both bindings: anyone can send a
//! request). Never a panic, only a refusal.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use saml::{Expect, Idp, IdpMetadata, Sp, SpKeys, SpMetadata};

struct Setup {
    sp: Sp,
    idp_metadata: IdpMetadata,
    idp: Idp,
    sp_metadata: SpMetadata,
}

fn setup() -> Option<&'static Setup> {
    static SETUP: OnceLock<Option<Setup>> = OnceLock::new();
    SETUP
        .get_or_init(|| {
            let keys = SpKeys::from_pem(
                include_str!("../../crates/saml/tests/peer/test-only-sp.key"),
                include_str!("../../crates/saml/tests/peer/test-only-sp.crt"),
            )
            .ok()?;
            let idp = saml::parse_idp_metadata(include_str!("../../e2e/fixtures/idp-educonnect.xml")).ok()?;
            let sp = Sp {
                entity_id: "https://ent.fuzz/saml/metadata".into(),
                acs_url: "https://ent.fuzz/login/sso/acs".into(),
                keys: keys.clone(),
            };
            // Our own SP metadata stands for a service provider's.
            let sp_metadata = saml::parse_sp_metadata(&sp.metadata()).ok()?;
            let ardoise = Idp {
                entity_id: "https://ent.fuzz/saml/idp".into(),
                sso_url: "https://ent.fuzz/saml/idp/sso".into(),
                slo_url: None,
                keys,
                want_authn_requests_signed: false,
            };
            Some(Setup { sp, idp_metadata: idp, idp: ardoise, sp_metadata })
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(setup) = setup() else { return };
    let (sp, idp) = (&setup.sp, &setup.idp_metadata);
    let now = 1_790_000_000_000;
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = saml::parse_idp_metadata(text);
        let _ = saml::parse_sp_metadata(text);
        let _ = setup.idp.authn_request_from_redirect(text, |_| Some(&setup.sp_metadata), now, 120);
        let _ = setup.idp.logout_request_from_redirect(text, |_| Some(&setup.sp_metadata), now);
        let _ = setup.idp.logout_response_from_redirect(text, |_| Some(&setup.sp_metadata), now);
    }
    use base64::Engine as _;
    let posted = base64::engine::general_purpose::STANDARD.encode(data);
    let expect = Expect {
        in_response_to: Some("_fuzz"),
        now_millis: now,
        clock_skew_secs: 120,
    };
    let _ = sp.validate_response(idp, &posted, &expect);
    let _ = setup.idp.authn_request_from_post(&posted, Some("relay"), |_| Some(&setup.sp_metadata), now, 120);
});
