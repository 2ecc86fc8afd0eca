//! The SAML response validator and metadata parser on arbitrary input: an attacker controls the whole
//! POST to the assertion consumer service. Never a panic, only a refusal.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use saml::{Expect, IdpMetadata, Sp, SpKeys};

fn setup() -> Option<&'static (Sp, IdpMetadata)> {
    static SETUP: OnceLock<Option<(Sp, IdpMetadata)>> = OnceLock::new();
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
                keys,
            };
            Some((sp, idp))
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some((sp, idp)) = setup() else { return };
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = saml::parse_idp_metadata(text);
    }
    use base64::Engine as _;
    let posted = base64::engine::general_purpose::STANDARD.encode(data);
    let expect = Expect {
        in_response_to: Some("_fuzz"),
        now_millis: 1_790_000_000_000,
        clock_skew_secs: 120,
    };
    let _ = sp.validate_response(idp, &posted, &expect);
});
