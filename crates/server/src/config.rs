//! Settings: built-in defaults, then `ardoise.toml`, then `ARDOISE_*` environment variables, then flags.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::Error;

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// Where the SQLite database, the secret key and local files live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; defaults to a SQLite file in the data directory.
    pub database_url: Option<String>,
    pub db_max_connections: u32,
    /// 32 bytes, base64. Shared by every node of a deployment; generated into the data dir if absent.
    pub secret_key: Option<String>,
    /// Mark cookies Secure: set it when Ardoise is served over HTTPS.
    pub secure_cookies: bool,
    /// Trust the last X-Forwarded-For hop (only behind your own reverse proxy).
    pub trust_proxy: bool,
    /// `text` (default) or `json` logs.
    pub log_format: String,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// How long a node serves a session from memory before reading it again (0 turns the cache off).
    pub session_cache_secs: i64,
    /// Admission control: requests served at once (0: off), requests that may wait, and how long.
    pub admission_max_in_flight: usize,
    pub admission_queue: usize,
    pub admission_wait_ms: u64,
    /// A queue whose oldest request waited this long turns new arrivals away at once (over capacity).
    pub admission_standing_ms: u64,
    /// The address people type to reach Ardoise (printed on activation letters); default http://<listen>.
    pub public_url: Option<String>,
    /// Days an activation code stays valid.
    pub activation_days: i64,
    /// Pretend the clock read this instant (RFC 3339, e.g. `2026-12-07T07:55:00+01:00`) when the
    /// server started, and run on from there: load tests and demonstrations of a school day (a roll
    /// call opens only around its lesson). Never set in production.
    pub clock_start: Option<String>,
    /// Profiles that must use a second factor (codes: DIR, EVS, ETA, ENS…).
    pub mfa_required: Vec<String>,
    /// Idle time per profile code, overriding `session_idle_secs` (e.g. `DIR = 1800`).
    pub session_idle_by_profile: std::collections::BTreeMap<String, i64>,
    /// SMTP relay: `smtp://relay:25`, `smtp://relay:587?tls=required`, `smtps://user:password@relay:465`.
    /// Without one, mail is written as `.eml` files into `<data_dir>/mails`.
    pub smtp_url: Option<String>,
    /// The sender of Ardoise's mail.
    pub mail_from: String,
    /// Login wickets: Ardoise as SAML service provider of national identity providers.
    pub saml: SamlSettings,
    /// `[[services]]`: the connected services Ardoise signs people in to.
    pub services: Vec<ServiceSettings>,
    /// The largest file a person may upload (homework, attachments), in bytes.
    pub max_upload_bytes: u64,
    /// How often the notification worker delivers the outbox, in milliseconds (0: no worker on this
    /// node).
    pub notifications_poll_ms: u64,
    /// The hour (school time) from which the daily notification digest is mailed.
    pub notifications_digest_hour: u8,
    /// Messages anyone may send per hour, overriding the per-profile limits (load tests only).
    pub messaging_rate_per_hour: Option<i64>,
    #[serde(skip)]
    pub demo_hint: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("db_max_connections", &self.db_max_connections)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<redacted>"))
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .finish_non_exhaustive()
    }
}

/// Hides the password of a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            db_max_connections: 16,
            secret_key: None,
            secure_cookies: false,
            trust_proxy: false,
            log_format: "text".into(),
            session_idle_secs: 2 * 3600,
            session_absolute_secs: 12 * 3600,
            session_cache_secs: 60,
            admission_max_in_flight: 64,
            admission_queue: 512,
            admission_wait_ms: 1000,
            admission_standing_ms: 100,
            public_url: None,
            activation_days: 60,
            clock_start: None,
            mfa_required: vec!["DIR".into(), "EVS".into(), "ETA".into()],
            session_idle_by_profile: Default::default(),
            smtp_url: None,
            mail_from: "Ardoise <ne-pas-repondre@ardoise.invalid>".into(),
            saml: SamlSettings::default(),
            services: vec![],
            max_upload_bytes: blob::DEFAULT_MAX_BYTES,
            notifications_poll_ms: 1000,
            notifications_digest_hour: 17,
            messaging_rate_per_hour: None,
            demo_hint: false,
        }
    }
}

/// `[[services]]` in ardoise.toml: a connected service (the same description the region's admin page
/// stores).
pub type ServiceSettings = sso::ServiceSpec;

impl Settings {
    /// The clock the server runs on: the system's, or one shifted to `clock_start`.
    pub fn clock(&self) -> Result<std::sync::Arc<dyn kernel::Clock>, crate::Error> {
        match self.clock_start.as_deref() {
            None | Some("") => Ok(std::sync::Arc::new(kernel::SystemClock)),
            Some(s) => {
                let start: jiff::Timestamp = s
                    .parse()
                    .map_err(|e| crate::Error::Config(format!("ARDOISE_CLOCK_START « {s} » : {e}")))?;
                tracing::warn!(start = %start, "the clock is shifted (ARDOISE_CLOCK_START): not for production");
                Ok(std::sync::Arc::new(kernel::ShiftedClock::starting_at(
                    kernel::Timestamp(start.as_millisecond()),
                )))
            }
        }
    }

    /// The connected services of the configuration file, checked (ids and OIDC client ids unique).
    pub fn services(&self) -> Result<Vec<sso::Service>, Error> {
        sso::registry::check_all(&self.services).map_err(Error::Config)
    }
}

/// `[saml]` in ardoise.toml.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SamlSettings {
    /// Our entity id; default `<public_url>/saml/metadata`.
    pub entity_id: Option<String>,
    /// Our entity id as identity provider of SAML services; default `<public_url>/saml/idp`.
    pub idp_entity_id: Option<String>,
    /// PEM files of the key that signs our requests and decrypts assertions, and of its certificate.
    pub key_file: Option<PathBuf>,
    pub cert_file: Option<PathBuf>,
    /// `[[saml.wickets]]`: the identity providers offered on the sign-in page, in this order.
    pub wickets: Vec<WicketSettings>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WicketSettings {
    /// In URLs (`/login/sso/<id>`): letters, digits, dashes.
    pub id: String,
    /// On the button.
    pub name: String,
    /// `eleves-parents`, `personnels` or `autres`: where the button sits.
    pub audience: String,
    /// `jointure` (EduConnect's FrEduCtRefId) or `mail` (academic address).
    pub link: String,
    /// The IdP's SAML metadata (XML file).
    pub metadata_file: PathBuf,
}

fn env_parse<T: std::str::FromStr>(name: &str, target: &mut T) -> Result<(), Error> {
    if let Ok(raw) = std::env::var(name) {
        *target = raw
            .trim()
            .parse()
            .map_err(|_| Error::Config(format!("{name} : valeur invalide « {raw} »")))?;
    }
    Ok(())
}

impl Settings {
    /// Reads `config` (or `./ardoise.toml` if present), then the environment.
    pub fn load(config: Option<&Path>) -> Result<Settings, Error> {
        let path = match config {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from("ardoise.toml")).filter(|p| p.exists()),
        };
        let mut s = match path {
            Some(p) => {
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| Error::Config(format!("lecture de {} : {e}", p.display())))?;
                Settings::from_toml(&text).map_err(|e| Error::Config(format!("{} : {e}", p.display())))?
            }
            None => Settings::default(),
        };
        s.apply_env()?;
        Ok(s)
    }

    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn apply_env(&mut self) -> Result<(), Error> {
        env_parse("ARDOISE_LISTEN", &mut self.listen)?;
        env_parse("ARDOISE_DATA_DIR", &mut self.data_dir)?;
        if let Ok(url) = std::env::var("ARDOISE_DATABASE_URL")
            && !url.trim().is_empty()
        {
            self.database_url = Some(url);
        }
        if let Ok(key) = std::env::var("ARDOISE_SECRET_KEY") {
            self.secret_key = Some(key);
        }
        env_parse("ARDOISE_DB_MAX_CONNECTIONS", &mut self.db_max_connections)?;
        env_parse("ARDOISE_SECURE_COOKIES", &mut self.secure_cookies)?;
        env_parse("ARDOISE_TRUST_PROXY", &mut self.trust_proxy)?;
        env_parse("ARDOISE_LOG_FORMAT", &mut self.log_format)?;
        env_parse("ARDOISE_SESSION_IDLE_SECS", &mut self.session_idle_secs)?;
        env_parse("ARDOISE_SESSION_ABSOLUTE_SECS", &mut self.session_absolute_secs)?;
        env_parse("ARDOISE_SESSION_CACHE_SECS", &mut self.session_cache_secs)?;
        env_parse(
            "ARDOISE_ADMISSION_MAX_IN_FLIGHT",
            &mut self.admission_max_in_flight,
        )?;
        env_parse("ARDOISE_ADMISSION_QUEUE", &mut self.admission_queue)?;
        env_parse("ARDOISE_ADMISSION_WAIT_MS", &mut self.admission_wait_ms)?;
        env_parse("ARDOISE_ADMISSION_STANDING_MS", &mut self.admission_standing_ms)?;
        env_parse("ARDOISE_ACTIVATION_DAYS", &mut self.activation_days)?;
        if let Ok(start) = std::env::var("ARDOISE_CLOCK_START") {
            self.clock_start = Some(start);
        }
        env_parse("ARDOISE_MAX_UPLOAD_BYTES", &mut self.max_upload_bytes)?;
        env_parse("ARDOISE_NOTIFICATIONS_POLL_MS", &mut self.notifications_poll_ms)?;
        env_parse(
            "ARDOISE_NOTIFICATIONS_DIGEST_HOUR",
            &mut self.notifications_digest_hour,
        )?;
        if let Ok(raw) = std::env::var("ARDOISE_MESSAGING_RATE_PER_HOUR") {
            self.messaging_rate_per_hour = match raw.trim() {
                "" => None,
                n => Some(n.parse().map_err(|_| {
                    Error::Config(format!(
                        "ARDOISE_MESSAGING_RATE_PER_HOUR : valeur invalide « {raw} »"
                    ))
                })?),
            };
        }
        if let Ok(list) = std::env::var("ARDOISE_MFA_REQUIRED") {
            self.mfa_required = list
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
        }
        if let Ok(url) = std::env::var("ARDOISE_SMTP_URL")
            && !url.trim().is_empty()
        {
            self.smtp_url = Some(url);
        }
        env_parse("ARDOISE_MAIL_FROM", &mut self.mail_from)?;
        if let Ok(url) = std::env::var("ARDOISE_PUBLIC_URL")
            && !url.trim().is_empty()
        {
            self.public_url = Some(url);
        }
        Ok(())
    }

    pub fn mfa_required(&self) -> Result<Vec<kernel::Profile>, Error> {
        self.mfa_required
            .iter()
            .map(|code| {
                code.parse()
                    .map_err(|e: kernel::UnknownProfile| Error::Config(format!("mfa_required : {e}")))
            })
            .collect()
    }

    pub fn session_idle_by_profile(&self) -> Result<Vec<(kernel::Profile, i64)>, Error> {
        self.session_idle_by_profile
            .iter()
            .map(|(code, secs)| {
                let profile = code.parse().map_err(|e: kernel::UnknownProfile| {
                    Error::Config(format!("session_idle_by_profile : {e}"))
                })?;
                Ok((profile, *secs))
            })
            .collect()
    }

    /// The mail transport: the SMTP relay if one is set, else files in `<data_dir>/mails`.
    pub fn mailer(&self) -> Result<mail::Mailer, Error> {
        let mailer = match &self.smtp_url {
            Some(url) => mail::Mailer::smtp(url, &self.mail_from),
            None => mail::Mailer::files(self.data_dir.join("mails"), &self.mail_from),
        };
        mailer.map_err(|e| Error::Config(format!("courrier : {e}")))
    }

    /// The admission gate these settings describe.
    pub fn admission(&self) -> web::admission::Admission {
        web::admission::Admission::new(web::admission::AdmissionConfig {
            max_in_flight: self.admission_max_in_flight,
            max_queue: self.admission_queue,
            max_wait: std::time::Duration::from_millis(self.admission_wait_ms),
            standing: std::time::Duration::from_millis(self.admission_standing_ms),
            ..web::admission::AdmissionConfig::default()
        })
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("ardoise.db").display()))
    }

    /// The configured key, or the one kept in the data directory (created on first start).
    pub fn secret_key(&self) -> Result<[u8; 32], Error> {
        let encoded = match &self.secret_key {
            Some(k) => k.trim().to_string(),
            None => {
                let path = self.data_dir.join("secret.key");
                match std::fs::read_to_string(&path) {
                    Ok(k) => k.trim().to_string(),
                    Err(_) => {
                        let mut key = [0u8; 32];
                        rand::fill(&mut key);
                        let encoded = STANDARD.encode(key);
                        std::fs::create_dir_all(&self.data_dir)?;
                        write_private(&path, &encoded)?;
                        encoded
                    }
                }
            }
        };
        let bytes = STANDARD
            .decode(&encoded)
            .map_err(|_| Error::Config("secret_key : base64 attendu (32 octets)".into()))?;
        bytes
            .try_into()
            .map_err(|_| Error::Config("secret_key : 32 octets attendus".into()))
    }
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(content.as_bytes())
    }
    #[cfg(not(unix))]
    std::fs::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_overrides_defaults_and_unknown_keys_are_refused() {
        let s = Settings::from_toml("listen = \"0.0.0.0:9000\"\nsession_idle_secs = 60").unwrap();
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.session_idle_secs, 60);
        assert_eq!(s.db_max_connections, 16);
        let err = Settings::from_toml("lisen = \"x\"").unwrap_err();
        assert!(err.contains("lisen"), "{err}");
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = Settings {
            database_url: Some("postgres://ardoise:hunter2@db/ardoise".into()),
            secret_key: Some("c2VjcmV0".into()),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("c2VjcmV0"),
            "{shown}"
        );
        assert!(shown.contains("postgres://ardoise:***@db/ardoise"));
    }

    #[test]
    fn a_generated_key_is_kept_and_reused() {
        let dir = std::env::temp_dir().join(format!("ardoise-key-{}", uuid::Uuid::now_v7()));
        let s = Settings {
            data_dir: dir.clone(),
            ..Settings::default()
        };
        let first = s.secret_key().unwrap();
        assert_eq!(first, s.secret_key().unwrap());
        let _ = std::fs::remove_dir_all(dir);
    }
}
