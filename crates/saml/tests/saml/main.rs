//! The `saml` crate against a real peer, driven live, so every fixture is made by an independent SAML
//! implementation (and xmlsec1) during the test: pysaml2 as the identity provider (`tests/peer/idp.py`) for
//! our service provider, and as the service provider (`tests/peer/sp.py`) for our identity provider.
//! Built with `--features saml/peer-tests` (CI does), since it needs pysaml2 and xmlsec1.
#![cfg(feature = "peer-tests")]

use std::error::Error;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine as _;
use saml::{Expect, IdpMetadata, SamlError, Sp, SpKeys};

type TestResult = Result<(), Box<dyn Error>>;

const SP_ENTITY: &str = "https://ardoise.test/saml/metadata";
const ACS: &str = "https://ardoise.test/login/sso/acs";
const SKEW_SECS: i64 = 60;
/// As EduConnect sends them for a parent (interop.md §3), with a `FrEduCtRefId` pointing at an AAF key.
const ATTRIBUTES: &str = r#"{"FrEduCtId": ["F1234abcd"], "FrEduCtPersonAffiliation": ["resp2d"],
 "sn": ["Martin"], "givenName": ["Élodie"], "FrEduCtEleveUAI": ["0511234A"],
 "FrEduCtRefId": ["{AAF}REIMS|resp2d|1234567"]}"#;

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("peer")
}

/// Runs `python3 tests/peer/idp.py ARGS`: Ok(stdout) on success, Err(stderr) when the peer refuses.
fn idp_py(args: &[&str]) -> Result<Result<String, String>, Box<dyn Error>> {
    let output = Command::new("python3").env("PYTHONDONTWRITEBYTECODE", "1").arg(peer_dir().join("idp.py")).args(args).output().map_err(|e| {
        format!("cannot run python3 ({e}): these tests need python3 with `pip install pysaml2` and `apt-get install xmlsec1`")
    })?;
    let stdout = String::from_utf8(output.stdout)?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    match output.status.code() {
        Some(0) => Ok(Ok(stdout)),
        Some(2) if stderr.contains("request refused") => Ok(Err(stderr)),
        _ => Err(format!(
            "the pysaml2 peer failed (needs `pip install pysaml2` and `apt-get install xmlsec1`): {stderr}"
        )
        .into()),
    }
}

/// The peer's answer, which must be a success.
fn idp_ok(args: &[&str]) -> Result<String, Box<dyn Error>> {
    Ok(idp_py(args)?.map_err(|refusal| format!("the peer refused: {refusal}"))?)
}

/// Checks, once per test process, that the peers can run at all (pysaml2 and xmlsec1 installed).
fn peer_available() -> Result<(), Box<dyn Error>> {
    static AVAILABLE: OnceLock<Result<(), String>> = OnceLock::new();
    let available = AVAILABLE.get_or_init(|| {
        let check = Command::new("python3").args(["-c", "import saml2"]).output();
        if !check.is_ok_and(|o| o.status.success()) {
            return Err(
                "python3 cannot import saml2: `pip install pysaml2` (and `apt-get install xmlsec1`)".into(),
            );
        }
        if !Command::new("xmlsec1")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Err(
                "the xmlsec1 CLI is missing: `apt-get install xmlsec1` (and `pip install pysaml2`)".into(),
            );
        }
        Ok(())
    });
    Ok(available.clone()?)
}

/// The peer's metadata, fetched once per test run after checking the peer can run at all.
fn peer_metadata() -> Result<String, Box<dyn Error>> {
    static METADATA: OnceLock<Result<String, String>> = OnceLock::new();
    peer_available()?;
    let fetched = METADATA.get_or_init(|| idp_ok(&["metadata"]).map_err(|e| e.to_string()));
    Ok(fetched.clone()?)
}

/// Our SP (test keys), the peer IdP's parsed metadata, and our metadata in a file for the peer.
struct Setup {
    sp: Sp,
    idp: IdpMetadata,
    sp_metadata: tempfile::NamedTempFile,
    now_millis: i64,
}

impl Setup {
    fn new() -> Result<Self, Box<dyn Error>> {
        let read = |name: &str| std::fs::read_to_string(peer_dir().join(name));
        let keys = SpKeys::from_pem(&read("test-only-sp.key")?, &read("test-only-sp.crt")?)?;
        let sp = Sp {
            entity_id: SP_ENTITY.into(),
            acs_url: ACS.into(),
            keys,
        };
        let idp = saml::parse_idp_metadata(&peer_metadata()?)?;
        let sp_metadata = tempfile::Builder::new().suffix(".xml").tempfile()?;
        std::fs::write(sp_metadata.path(), sp.metadata())?;
        let now_millis = idp_ok(&["now"])?.trim().parse()?;
        Ok(Setup {
            sp,
            idp,
            sp_metadata,
            now_millis,
        })
    }

    fn metadata_path(&self) -> Result<&str, Box<dyn Error>> {
        Ok(self.sp_metadata.path().to_str().ok_or("temp path not UTF-8")?)
    }

    fn request_url(&self, request_id: &str) -> Result<String, Box<dyn Error>> {
        Ok(self
            .sp
            .authn_request_url(&self.idp, request_id, self.now_millis, request_id)?)
    }

    /// The peer answers our request `request_id` with `options`; returns the base64 SAMLResponse.
    fn response(&self, request_id: &str, options: &[&str]) -> Result<String, Box<dyn Error>> {
        let url = self.request_url(request_id)?;
        let mut args = vec![
            "respond",
            "--sp-metadata",
            self.metadata_path()?,
            "--request-url",
            &url,
        ];
        args.extend(["--name-id", "F1234abcd-persistent", "--attributes", ATTRIBUTES]);
        args.extend(options);
        Ok(idp_ok(&args)?.trim().to_string())
    }

    fn expect<'a>(&self, request_id: &'a str) -> Expect<'a> {
        Expect {
            in_response_to: Some(request_id),
            now_millis: self.now_millis,
            clock_skew_secs: SKEW_SECS,
        }
    }

    fn validate(&self, b64: &str, request_id: &str) -> Result<saml::Assertion, SamlError> {
        self.sp
            .validate_response(&self.idp, b64, &self.expect(request_id))
    }
}

fn decode(b64: &str) -> Result<String, Box<dyn Error>> {
    Ok(String::from_utf8(
        base64::engine::general_purpose::STANDARD.decode(b64)?,
    )?)
}

fn encode(xml: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(xml)
}

/// Asserts `result` is exactly `expected`, saying what came instead.
fn refused<T: std::fmt::Debug>(result: Result<T, SamlError>, expected: &SamlError) -> TestResult {
    match result {
        Err(e) if &e == expected => Ok(()),
        other => Err(format!("expected Err({expected:?}), got {other:?}").into()),
    }
}

fn check_parent(assertion: &saml::Assertion, request_id: &str) -> TestResult {
    assert_eq!(assertion.name_id, "F1234abcd-persistent");
    assert_eq!(assertion.issuer, "https://educonnect.test/idp");
    assert_eq!(assertion.in_response_to.as_deref(), Some(request_id));
    assert_eq!(
        assertion.attribute("FrEduCtId"),
        Some(&["F1234abcd".to_string()][..])
    );
    let oid = "urn:oid:1.3.6.1.4.1.20326.10.999.1.7";
    assert_eq!(assertion.attribute(oid), Some(&["resp2d".to_string()][..]));
    assert_eq!(
        assertion.attribute("givenName"),
        Some(&["Élodie".to_string()][..])
    );
    assert_eq!(assertion.attribute("sn"), Some(&["Martin".to_string()][..]));
    assert_eq!(
        assertion.attribute("FrEduCtEleveUAI"),
        Some(&["0511234A".to_string()][..])
    );
    assert_eq!(
        assertion.attribute("FrEduCtRefId"),
        Some(&["{AAF}REIMS|resp2d|1234567".to_string()][..])
    );
    assert_eq!(assertion.attribute("FrEduCtEleveINEHash"), None);
    assert!(assertion.not_on_or_after_millis > 0);
    assert!(!assertion.id.is_empty());
    Ok(())
}

mod idp;
mod metadata_and_requests;
mod responses;
mod wrapping;
