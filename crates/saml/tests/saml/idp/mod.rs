//! Our identity provider against pysaml2 as the service provider (`tests/peer/sp.py`, playing the GAR):
//! its metadata, signed AuthnRequests and logout messages read by us, our metadata, signed Responses and
//! logout messages checked by it. This file holds the driver of the peer; the tests are in `requests`,
//! `responses` and `logout`.

use super::*;
use saml::{
    AuthnRequest, Binding, Idp, Keys, LogoutRequestSpec, NAME_ID_PERSISTENT, NameFormat, ReleasedAttribute,
    ResponseSpec, SpMetadata,
};

const IDP_ENTITY: &str = "https://ent.test/saml/idp";
const IDP_SSO: &str = "https://ent.test/saml/idp/sso";
const GAR_ENTITY: &str = "https://gar.test/sp";
const GAR_ACS: &str = "https://gar.test/sp/acs";
const IDP_SLO: &str = "https://ent.test/saml/idp/slo";

/// Runs `python3 tests/peer/sp.py ARGS`: Ok(stdout) on success, Err(stderr) when the peer refuses.
fn sp_py(args: &[&str]) -> Result<Result<String, String>, Box<dyn Error>> {
    peer_available()?;
    let output = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(peer_dir().join("sp.py"))
        .args(args)
        .output()?;
    let stdout = String::from_utf8(output.stdout)?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    match output.status.code() {
        Some(0) => Ok(Ok(stdout)),
        Some(2) if stderr.contains("response refused") || stderr.contains("request refused") => {
            Ok(Err(stderr))
        }
        _ => Err(format!("the pysaml2 service provider failed: {stderr}").into()),
    }
}

fn sp_ok(args: &[&str]) -> Result<String, Box<dyn Error>> {
    Ok(sp_py(args)?.map_err(|refusal| format!("the peer refused: {refusal}"))?)
}

/// The string value of `"key": "…"` in the peer's one-line JSON (its values here hold no escapes).
fn json_str(json: &str, key: &str) -> Result<String, Box<dyn Error>> {
    let start = json
        .find(&format!("\"{key}\": \""))
        .ok_or(format!("no {key} in {json}"))?
        + key.len()
        + 5;
    let rest = json.get(start..).ok_or("cut")?;
    Ok(rest
        .get(..rest.find('"').ok_or("unterminated")?)
        .ok_or("cut")?
        .to_string())
}

/// Asserts pysaml2 refused, for a reason whose text contains `why` (not some unrelated one).
fn peer_refused(verdict: Result<String, String>, why: &str) -> TestResult {
    match verdict {
        Err(refusal) if refusal.contains(why) => Ok(()),
        other => Err(format!("expected a refusal for {why:?}, got {other:?}").into()),
    }
}

/// Our IdP (test keys), its metadata in a file for the peer, and the peer's SP metadata as we read it.
struct Gar {
    idp: Idp,
    idp_metadata: tempfile::NamedTempFile,
    sp: SpMetadata,
    now_millis: i64,
}

impl Gar {
    fn new() -> Result<Self, Box<dyn Error>> {
        Self::with_keys("idp")
    }

    /// Our IdP signing with `test-only-KEYS.key` but publishing the genuine certificate.
    fn with_keys(keys: &str) -> Result<Self, Box<dyn Error>> {
        let read = |name: &str| std::fs::read_to_string(peer_dir().join(name));
        let genuine = Idp {
            entity_id: IDP_ENTITY.into(),
            sso_url: IDP_SSO.into(),
            slo_url: Some(IDP_SLO.into()),
            keys: Keys::from_pem(&read("test-only-idp.key")?, &read("test-only-idp.crt")?)?,
            want_authn_requests_signed: true,
        };
        let idp_metadata = tempfile::Builder::new().suffix(".xml").tempfile()?;
        std::fs::write(idp_metadata.path(), genuine.metadata())?;
        let idp = Idp {
            keys: Keys::from_pem(
                &read(&format!("test-only-{keys}.key"))?,
                &read(&format!("test-only-{keys}.crt"))?,
            )?,
            ..genuine
        };
        let path = idp_metadata.path().to_str().ok_or("temp path not UTF-8")?;
        let sp = saml::parse_sp_metadata(&sp_ok(&["metadata", "--idp-metadata", path])?)?;
        let now_millis = sp_ok(&["now"])?.trim().parse()?;
        Ok(Gar {
            idp,
            idp_metadata,
            sp,
            now_millis,
        })
    }

    fn path(&self) -> Result<&str, Box<dyn Error>> {
        Ok(self.idp_metadata.path().to_str().ok_or("temp path not UTF-8")?)
    }

    /// The peer's AuthnRequest over HTTP-Redirect: its ID and the query string.
    fn redirect_request(&self, options: &[&str]) -> Result<(String, String), Box<dyn Error>> {
        let mut args = vec!["authn-request", "--idp-metadata", self.path()?];
        args.extend(options);
        let json = sp_ok(&args)?;
        Ok((json_str(&json, "id")?, json_str(&json, "query")?))
    }

    /// The peer's AuthnRequest over HTTP-POST: its ID and the base64 form field.
    fn post_request(&self, options: &[&str]) -> Result<(String, String), Box<dyn Error>> {
        let mut args = vec![
            "authn-request",
            "--idp-metadata",
            self.path()?,
            "--binding",
            "post",
        ];
        args.extend(options);
        let json = sp_ok(&args)?;
        Ok((json_str(&json, "id")?, json_str(&json, "saml_request")?))
    }

    fn read_redirect(&self, query: &str) -> Result<AuthnRequest, SamlError> {
        let found = |issuer: &str| (issuer == self.sp.entity_id).then_some(&self.sp);
        self.idp
            .authn_request_from_redirect(query, found, self.now_millis, SKEW_SECS)
            .map(|(request, _)| request)
    }

    fn read_post(&self, saml_request: &str) -> Result<AuthnRequest, SamlError> {
        let found = |issuer: &str| (issuer == self.sp.entity_id).then_some(&self.sp);
        self.idp
            .authn_request_from_post(saml_request, Some("rs"), found, self.now_millis, SKEW_SECS)
            .map(|(request, _)| request)
    }

    fn spec<'a>(&self, request_id: Option<&'a str>, attributes: &'a [ReleasedAttribute]) -> ResponseSpec<'a> {
        ResponseSpec {
            acs_url: GAR_ACS,
            audience: GAR_ENTITY,
            in_response_to: request_id,
            name_id: "a1b2c3-persistent",
            name_id_format: NAME_ID_PERSISTENT,
            session_index: "_session42",
            authn_instant_millis: self.now_millis - 60_000,
            now_millis: self.now_millis,
            lifetime_secs: 300,
            attributes,
            sign_response: false,
        }
    }

    /// pysaml2's verdict on our base64 response to request `request_id`.
    fn check(
        &self,
        b64: &str,
        request_id: &str,
        options: &[&str],
    ) -> Result<Result<String, String>, Box<dyn Error>> {
        let mut args = vec![
            "check-response",
            "--idp-metadata",
            self.path()?,
            "--response",
            b64,
            "--request-id",
            request_id,
        ];
        args.extend(options);
        sp_py(&args)
    }
}

/// What a GAR-like service receives: URI attributes with friendly names (one multi-valued, one in the
/// peer's attribute map), and a basic one with a non-ASCII value and characters to escape.
fn released() -> Vec<ReleasedAttribute> {
    vec![
        ReleasedAttribute {
            name: "urn:oid:1.3.6.1.4.1.20326.10.999.1.7".into(),
            friendly_name: Some("FrEduCtPersonAffiliation".into()),
            name_format: NameFormat::Uri,
            values: vec!["National_ENS".into(), "National_DOC".into()],
        },
        ReleasedAttribute {
            name: "urn:oid:0.9.2342.19200300.100.1.3".into(),
            friendly_name: Some("mail".into()),
            name_format: NameFormat::Uri,
            values: vec!["elodie.martin@ac-reims.test".into()],
        },
        ReleasedAttribute {
            name: "GARPersonEtab".into(),
            friendly_name: None,
            name_format: NameFormat::Basic,
            values: vec!["0511234A".into(), "Lycée « Roosevelt » & <annexe>".into()],
        },
    ]
}

mod logout;
mod requests;
mod responses;
