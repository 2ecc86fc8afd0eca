//! Delegated sign-ins: the harness plays EduConnect. The server is configured with a login wicket whose
//! identity provider is the harness (its metadata, signed with the `saml` crate's test-only key); a
//! sign-in is then what a browser does: `/login/sso/educonnect` answers with a signed AuthnRequest to
//! the IdP, the harness (as the IdP) checks it and signs an assertion naming the account by its AAF join
//! key (`FrEduCtRefId`), and the browser posts it to `/login/sso/acs`, which opens the session.
//! This is how most students, parents and staff sign in (EduConnect, académies): no argon2.

use std::path::{Path, PathBuf};

use crate::Fallible;

/// The wicket's id in the server's configuration (`/login/sso/educonnect`).
pub const WICKET: &str = "educonnect";
const IDP_ENTITY: &str = "https://educonnect.load.invalid/idp";
const IDP_SSO: &str = "https://educonnect.load.invalid/sso";

/// The `saml` crate's test-only keys (never use them anywhere else).
fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../saml/tests/peer")
}

fn keys(name: &str) -> Fallible<saml::Keys> {
    let read = |ext: &str| {
        let path = peer_dir().join(format!("test-only-{name}.{ext}"));
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    Ok(saml::Keys::from_pem(&read("key")?, &read("crt")?)?)
}

/// The `[saml]` section of the server's ardoise.toml: its SP keys, and the wicket whose IdP metadata
/// (written into `work`) is ours.
pub fn config_section(work: &Path) -> Fallible<String> {
    let metadata = work.join("educonnect-idp.xml");
    std::fs::write(&metadata, idp()?.metadata())?;
    let sp = peer_dir();
    Ok(format!(
        "[saml]\nkey_file = {:?}\ncert_file = {:?}\n\n[[saml.wickets]]\nid = \"{WICKET}\"\nname = \"EduConnect (ardoise-load)\"\naudience = \"eleves-parents\"\nlink = \"jointure\"\nmetadata_file = {:?}\n",
        sp.join("test-only-sp.key").display().to_string(),
        sp.join("test-only-sp.crt").display().to_string(),
        metadata.display().to_string(),
    ))
}

fn idp() -> Fallible<saml::Idp> {
    Ok(saml::Idp {
        entity_id: IDP_ENTITY.into(),
        sso_url: IDP_SSO.into(),
        slo_url: None,
        keys: keys("idp")?,
        want_authn_requests_signed: true,
    })
}

/// The identity provider, once it knows the server's SP metadata.
pub struct Educonnect {
    idp: saml::Idp,
    sp: saml::SpMetadata,
}

/// What the browser posts to the server's assertion consumer.
pub struct Answer {
    pub acs_url: String,
    pub saml_response: String,
    pub relay_state: String,
}

impl Educonnect {
    /// `sp_metadata`: the server's `/saml/metadata`.
    pub fn new(sp_metadata: &str) -> Fallible<Educonnect> {
        Ok(Educonnect {
            idp: idp()?,
            sp: saml::parse_sp_metadata(sp_metadata)?,
        })
    }

    /// Checks the AuthnRequest the browser brings (the query of the server's redirect) and signs the
    /// assertion for the person whose AAF join key is `jointure`.
    pub fn answer(&self, query: &str, jointure: &str, now_millis: i64) -> Fallible<Answer> {
        let (request, sp) =
            self.idp
                .authn_request_from_redirect(query, |_| Some(&self.sp), now_millis, 120)?;
        let acs_url = sp.assertion_consumer_url(&request)?.to_string();
        let mut id = [0u8; 16];
        rand::fill(&mut id);
        let name_id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let attributes = [saml::ReleasedAttribute {
            name: "FrEduCtRefId".into(),
            friendly_name: None,
            name_format: saml::NameFormat::Basic,
            values: vec![format!("{{AAF}}REIMS|{jointure}")],
        }];
        let saml_response = self.idp.response(&saml::ResponseSpec {
            acs_url: &acs_url,
            audience: &sp.entity_id,
            in_response_to: Some(&request.id),
            name_id: &name_id,
            name_id_format: saml::NAME_ID_TRANSIENT,
            session_index: &name_id,
            authn_instant_millis: now_millis,
            now_millis,
            lifetime_secs: 300,
            attributes: &attributes,
            sign_response: false,
        })?;
        Ok(Answer {
            acs_url,
            saml_response,
            relay_state: request.relay_state.unwrap_or_default(),
        })
    }
}
