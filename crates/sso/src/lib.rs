//! Ardoise as identity provider of the connected services (Moodle, Pronote, publishers, mobile apps…).
//!
//! - [`Service`]: the registry of connected services (from `ardoise.toml`), with who may use each one and
//!   what is released about them — one rule, [`Sso::check_access`], and one attribute set,
//!   [`Released`];
//! - [`cas`]: a CAS 3.0 server (`/cas/*`): single-use tickets bound to their service, renew and gateway,
//!   CAS 1/2/3 and SAML 1.1 validation in XML or JSON, with attributes, proxy tickets;
//! - [`oidc`]: an OpenID Connect provider (discovery, JWKS with rotating keys, code flow with PKCE,
//!   refresh tokens rotated at each use, revocation, introspection, userinfo, RP-initiated logout, consent),
//!   accepting what the Skolengo mobile apps send;
//! - [`logout`]: single sign-out — when a person signs out of Ardoise, every service their session
//!   signed in to is told over its back channel;
//! - `saml_idp` (cargo feature `saml`): Ardoise as SAML 2 identity provider (the GAR, publishers);
//! - [`registry`]: the services of `ardoise.toml` and of the region's admin page (`/region/services`).

pub mod cas;
mod http;
pub mod jwt;
pub mod keys;
pub mod logo;
pub mod logout;
pub mod oidc;
pub mod registry;
mod registry_pages;
#[cfg(feature = "saml")]
pub mod saml_idp;
#[cfg(feature = "saml")]
mod saml_logout;
mod store;

pub use registry::ServiceSpec;

use std::sync::{Arc, RwLock};

use db::Db;
use identity::Identity;
use kernel::Profile;
use web::{AppError, CurrentUser, Msg};

/// The protocol a service signs its users in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Cas,
    Oidc,
    /// SAML 2 (Ardoise as identity provider; needs the `saml` cargo feature).
    Saml,
}

/// How an OIDC client proves who it is at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// A shared secret, sent with HTTP Basic (`client_secret_basic`) or in the body (`client_secret_post`).
    Secret(String),
    /// The same, known by its keyed hash only (clients registered on the admin page).
    SecretHash(String),
    /// A JWT signed with one of these keys (`private_key_jwt`).
    PrivateKeyJwt(Vec<rsa::RsaPublicKey>),
    /// None: a public client (a mobile app), which must then use PKCE.
    Public,
}

/// What an OIDC client has on top of a service.
#[derive(Debug, Clone)]
pub struct OidcClient {
    pub client_id: String,
    pub auth: ClientAuth,
    /// Signs people in without asking their consent (services the region contracted for).
    pub pre_approved: bool,
    /// Where RP-initiated logout may send the browser afterwards (exact match).
    pub post_logout_redirect_uris: Vec<String>,
    /// Where to POST a logout token when the person signs out of Ardoise.
    pub backchannel_logout_uri: Option<String>,
}

/// A connected service, as registered by an administrator.
#[derive(Debug, Clone)]
pub struct Service {
    /// Stable identifier (letters, digits, dashes).
    pub id: String,
    pub name: String,
    pub protocol: Protocol,
    /// CAS: the service URLs it may ask tickets for; OIDC: its redirect URIs. Exact, or an anchored
    /// prefix when written with a final `*`.
    pub urls: Vec<String>,
    /// Profiles allowed; empty for everyone.
    pub profiles: Vec<Profile>,
    /// UAIs of the schools whose people may use it; empty for every school.
    pub schools: Vec<String>,
    /// The attributes (CAS) or claims (OIDC) released, by name (see [`Released`]); empty for all.
    pub attributes: Vec<String>,
    /// CAS: tell the service when the person signs out of Ardoise (back-channel single logout).
    pub single_logout: bool,
    /// CAS: may receive proxy-granting tickets (at a callback among its URLs) to ask tickets for other
    /// services on the person's behalf.
    pub proxy: bool,
    /// Where the portal's launcher opens it: for CAS, the service URL to ask a ticket for (default: the
    /// first exact one); for OIDC, the client's own sign-in address (without one, it is not listed).
    pub launch_url: Option<String>,
    pub oidc: Option<OidcClient>,
    /// Shown in the portal's launcher.
    pub logo: Option<Arc<logo::Logo>>,
    /// SAML: the service provider's metadata.
    #[cfg(feature = "saml")]
    pub saml: Option<Arc<saml_idp::SamlSp>>,
}

impl Service {
    /// Whether `url` is one of this service's (exact match, or an anchored prefix).
    pub fn matches(&self, url: &str) -> bool {
        self.urls.iter().any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => url.starts_with(prefix),
            None => url == pattern,
        })
    }

    /// The launcher's link: CAS through `/cas/login`, OIDC straight to the client (which comes back to
    /// `/oidc/authorize`, where the person is already signed in).
    pub fn launch_href(&self) -> Option<String> {
        match self.protocol {
            Protocol::Cas => self
                .launch_url
                .clone()
                .or_else(|| self.urls.iter().find(|u| !u.ends_with('*')).cloned())
                .map(|u| format!("/cas/login?service={}", web::url_encode(&u))),
            Protocol::Oidc | Protocol::Saml => self.launch_url.clone(),
        }
    }

    /// Whether the attribute or claim `name` is released to this service.
    pub fn releases(&self, name: &str) -> bool {
        self.attributes.is_empty() || self.attributes.iter().any(|a| a == name)
    }
}

/// What Ardoise knows and may release about a person in the context they act in.
#[derive(Debug, Clone)]
pub struct Released {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub jointure: Option<String>,
    pub profile: Option<Profile>,
    pub uai: Option<String>,
}

impl Released {
    /// The LDAP-style attributes CAS consumers expect, filtered by what `service` is released.
    pub fn attributes(&self, service: &Service) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("uid", Some(self.login.clone())),
            ("sn", Some(self.last_name.clone())),
            ("givenName", Some(self.first_name.clone())),
            ("mail", self.email.clone()),
            ("ENTPersonJointure", self.jointure.clone()),
            ("ENTPersonProfils", self.profile.map(|p| p.national().to_string())),
            ("UAI", self.uai.clone()),
        ];
        out.retain(|(name, value)| value.is_some() && service.releases(name));
        out.into_iter().map(|(n, v)| (n, v.unwrap_or_default())).collect()
    }
}

/// Settings of the identity-provider side.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    /// Ardoise's public URL without a trailing slash: the OIDC issuer.
    pub public_url: String,
}

/// What the SSO routes share.
#[derive(Clone)]
pub struct Sso {
    db: Db,
    identity: Identity,
    /// The services of `ardoise.toml`.
    configured: Arc<Vec<Service>>,
    /// Those, then the ones registered on the admin page (reloaded after each change and every minute).
    services: Arc<RwLock<Arc<Vec<Service>>>>,
    config: Arc<SsoConfig>,
    keys: Arc<RwLock<Option<keys::Shared>>>,
    keys_init: Arc<tokio::sync::Mutex<()>>,
    http: http::Client,
    #[cfg(feature = "saml")]
    /// Shared by every clone (the sign-out listener is a clone made before the IdP is set).
    idp: Arc<std::sync::OnceLock<saml::Idp>>,
}

impl Sso {
    pub fn new(db: Db, identity: Identity, services: Vec<Service>, config: SsoConfig) -> Sso {
        let configured = Arc::new(services);
        let sso = Sso {
            db,
            identity,
            services: Arc::new(RwLock::new(configured.clone())),
            configured,
            config: Arc::new(config),
            keys: Arc::default(),
            keys_init: Arc::default(),
            http: http::Client::new(),
            #[cfg(feature = "saml")]
            idp: Arc::default(),
        };
        sso.identity.on_sign_out(Arc::new(sso.clone()));
        sso
    }

    /// Every registered service: those of `ardoise.toml`, then those of the admin page.
    pub fn services(&self) -> Arc<Vec<Service>> {
        self.services
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|_| self.configured.clone())
    }

    /// The registered CAS service `url` belongs to.
    pub fn service_for(&self, url: &str) -> Option<Service> {
        self.services()
            .iter()
            .find(|s| s.protocol == Protocol::Cas && s.matches(url))
            .cloned()
    }

    /// The OIDC client `client_id`.
    pub fn client(&self, client_id: &str) -> Option<(Service, OidcClient)> {
        self.services().iter().find_map(|s| {
            s.oidc
                .as_ref()
                .filter(|c| c.client_id == client_id)
                .map(|c| (s.clone(), c.clone()))
        })
    }

    pub fn service_by_id(&self, id: &str) -> Option<Service> {
        self.services().iter().find(|s| s.id == id).cloned()
    }

    /// Reads the services registered on the admin page again. One that no longer checks (or clashes
    /// with the configuration file's) is left out, with a warning.
    pub async fn reload(&self) -> Result<(), db::Error> {
        let mut all = (*self.configured).clone();
        for stored in registry::stored(&self.db).await? {
            let spec: ServiceSpec = match serde_json::from_str(&stored.spec) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(id = %stored.id, error = %e, "stored service unreadable");
                    continue;
                }
            };
            match spec.checked(&format!("service « {} »", spec.name)) {
                Ok(service) => match registry::clash(&all, &service) {
                    None => all.push(service),
                    Some(clash) => tracing::warn!(id = %stored.id, %clash, "stored service left out"),
                },
                Err(e) => tracing::warn!(id = %stored.id, error = %e, "stored service left out"),
            }
        }
        if let Ok(mut slot) = self.services.write() {
            *slot = Arc::new(all);
        }
        Ok(())
    }

    /// Whether `user`, in the context they act in, may use `service`: its profiles and schools.
    pub async fn check_access(&self, service: &Service, user: &CurrentUser) -> Result<(), AppError> {
        let context = user.context.context;
        if !service.profiles.is_empty() && !context.profile().is_some_and(|p| service.profiles.contains(&p)) {
            return Err(AppError::Refused(
                Msg::new("sso-not-for-profile").arg("service", &service.name),
            ));
        }
        if !service.schools.is_empty() {
            let uai = match context.school() {
                Some(school) => store::uai(&self.db, school.0).await?,
                None => None,
            };
            if !uai.is_some_and(|u| service.schools.contains(&u)) {
                return Err(AppError::Refused(
                    Msg::new("sso-not-for-school").arg("service", &service.name),
                ));
            }
        }
        Ok(())
    }

    /// What may be released about `user` in the context kept with a ticket or grant.
    pub(crate) async fn released(
        &self,
        user: uuid::Uuid,
        school: Option<uuid::Uuid>,
        profile: Option<&str>,
    ) -> Result<Option<Released>, db::Error> {
        let Some(person) = store::person(&self.db, user, school).await? else {
            return Ok(None);
        };
        Ok(Some(Released {
            login: person.login,
            first_name: person.first_name,
            last_name: person.last_name,
            email: person.email,
            jointure: person.jointure,
            profile: profile.and_then(|p| p.parse().ok()),
            uai: person.uai,
        }))
    }

    /// The signing keys, loaded (and made, the first time) on first use.
    pub async fn keys(&self) -> Result<keys::Shared, AppError> {
        if let Some(k) = self.keys.read().ok().and_then(|k| k.clone()) {
            return Ok(k);
        }
        let _guard = self.keys_init.lock().await;
        if let Some(k) = self.keys.read().ok().and_then(|k| k.clone()) {
            return Ok(k);
        }
        self.maintain_keys_locked().await?;
        self.keys
            .read()
            .ok()
            .and_then(|k| k.clone())
            .ok_or(AppError::Internal("no OIDC signing key".into()))
    }

    /// Rotates the signing keys when due and reloads them.
    pub async fn maintain_keys(&self) -> Result<(), AppError> {
        let _guard = self.keys_init.lock().await;
        self.maintain_keys_locked().await
    }

    async fn maintain_keys_locked(&self) -> Result<(), AppError> {
        keys::maintain(&self.db, self.identity.csrf(), self.identity.now())
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let set = keys::load(&self.db, self.identity.csrf()).await?;
        if let Ok(mut slot) = self.keys.write() {
            *slot = Some(Arc::new(set));
        }
        Ok(())
    }

    /// Periodic upkeep, run with the session purge: old tickets, codes and grants go, keys rotate.
    pub async fn purge(&self) -> Result<u64, AppError> {
        let now = self.identity.now();
        let n = store::purge(&self.db, now).await? + oidc::store::purge(&self.db, now).await?;
        #[cfg(feature = "saml")]
        let n = n + saml_logout::purge(&self.db, now).await?;
        if self.services().iter().any(|s| s.protocol == Protocol::Oidc) {
            self.maintain_keys().await?;
        }
        Ok(n)
    }
}

impl web::Launcher for Sso {
    fn links<'a>(
        &'a self,
        user: &'a CurrentUser,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Vec<web::ServiceLink>> + Send + 'a>> {
        Box::pin(async move {
            let mut links = vec![];
            for service in self.services().iter() {
                let Some(href) = service.launch_href() else {
                    continue;
                };
                if self.check_access(service, user).await.is_ok() {
                    links.push(web::ServiceLink {
                        name: service.name.clone(),
                        href,
                        logo: service.logo.as_ref().map(|l| l.href(&service.id)),
                    });
                }
            }
            links
        })
    }
}

impl axum::extract::FromRef<Sso> for Identity {
    fn from_ref(sso: &Sso) -> Identity {
        sso.identity.clone()
    }
}

/// The region administrator's tile.
pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "region-services",
        name_key: "services-title",
        desc_key: "tile-services-desc",
        href: "/region/services",
        visible: |c| matches!(c, kernel::Context::RegionAdmin { .. }),
    }]
}

pub fn routes() -> axum::Router<Sso> {
    let routes = cas::routes()
        .route("/services/{id}/logo", axum::routing::get(logo::serve))
        .merge(oidc::routes())
        .merge(registry_pages::routes());
    #[cfg(feature = "saml")]
    let routes = routes.merge(saml_idp::routes()).merge(saml_logout::routes());
    routes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(urls: &[&str]) -> Service {
        Service {
            id: "s".into(),
            name: "Moodle".into(),
            protocol: Protocol::Cas,
            urls: urls.iter().map(|u| u.to_string()).collect(),
            profiles: vec![],
            schools: vec![],
            attributes: vec![],
            single_logout: false,
            proxy: false,
            launch_url: None,
            oidc: None,
            logo: None,
            #[cfg(feature = "saml")]
            saml: None,
        }
    }

    #[test]
    fn service_urls_match_exactly_or_by_anchored_prefix() {
        let s = service(&[
            "https://moodle.example/login/index.php",
            "https://pronote.example/eleve/*",
        ]);
        assert!(s.matches("https://moodle.example/login/index.php"));
        assert!(!s.matches("https://moodle.example/login/index.php?x=1"));
        assert!(s.matches("https://pronote.example/eleve/accueil"));
        assert!(!s.matches("https://evil.example/https://pronote.example/eleve/"));
        assert!(!s.matches("https://pronote.example.evil/eleve/"));
    }

    #[test]
    fn only_the_attributes_listed_are_released() {
        let person = Released {
            login: "jdupont".into(),
            first_name: "Jeanne".into(),
            last_name: "Dupont".into(),
            email: None,
            jointure: Some("1234".into()),
            profile: Some(Profile::Teacher),
            uai: Some("0511234A".into()),
        };
        let all = person.attributes(&service(&[]));
        let names: Vec<_> = all.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "uid",
                "sn",
                "givenName",
                "ENTPersonJointure",
                "ENTPersonProfils",
                "UAI"
            ]
        );
        let mut restricted = service(&[]);
        restricted.attributes = vec!["uid".into(), "UAI".into()];
        assert_eq!(
            person.attributes(&restricted),
            [("uid", "jdupont".to_string()), ("UAI", "0511234A".to_string())]
        );
    }
}
