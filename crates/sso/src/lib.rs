//! Ardoise as identity provider of the connected services (Moodle, Pronote, publishers…).
//!
//! So far: a registry of services (from `ardoise.toml`) and a CAS 3.0 server — `/cas/login` issues a
//! service ticket to a signed-in person for a registered service, `/cas/validate` (CAS 1),
//! `/cas/serviceValidate` (CAS 2) and `/cas/p3/serviceValidate` (CAS 3, with attributes) check it once.
//! Tickets are random, single use, bound to the exact service URL, and expire after
//! [`cas::TICKET_SECS`]. Not yet: proxy tickets, SAML 1.1 validation, renew, single logout, OIDC and the
//! SAML IdP (issue 4).

pub mod cas;
mod store;

use std::sync::Arc;

use db::Db;
use identity::Identity;

/// A connected service, as registered by an administrator.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// Service URLs it may ask tickets for: exact, or a prefix when written with a final `*`.
    pub urls: Vec<String>,
    /// Profiles (codes: ELV, TUT, ENS…) allowed; empty for everyone.
    pub profiles: Vec<kernel::Profile>,
}

impl Service {
    /// Whether `url` is one of this service's (exact match, or an anchored prefix).
    pub fn matches(&self, url: &str) -> bool {
        self.urls.iter().any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => url.starts_with(prefix),
            None => url == pattern,
        })
    }
}

/// What the SSO routes share.
#[derive(Clone)]
pub struct Sso {
    db: Db,
    identity: Identity,
    services: Arc<Vec<Service>>,
}

impl Sso {
    pub fn new(db: Db, identity: Identity, services: Vec<Service>) -> Sso {
        Sso {
            db,
            identity,
            services: Arc::new(services),
        }
    }

    /// The registered service `url` belongs to.
    pub fn service_for(&self, url: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.matches(url))
    }
}

pub fn routes() -> axum::Router<Sso> {
    cas::routes()
}

#[cfg(test)]
mod tests {
    use super::Service;

    #[test]
    fn service_urls_match_exactly_or_by_anchored_prefix() {
        let s = Service {
            name: "Moodle".into(),
            urls: vec![
                "https://moodle.example/login/index.php".into(),
                "https://pronote.example/eleve/*".into(),
            ],
            profiles: vec![],
        };
        assert!(s.matches("https://moodle.example/login/index.php"));
        assert!(!s.matches("https://moodle.example/login/index.php?x=1"));
        assert!(s.matches("https://pronote.example/eleve/accueil"));
        assert!(!s.matches("https://evil.example/https://pronote.example/eleve/"));
        assert!(!s.matches("https://pronote.example.evil/eleve/"));
    }
}
