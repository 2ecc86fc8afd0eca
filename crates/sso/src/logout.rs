//! Single sign-out: when a person signs out of Ardoise (the portal's button, `/cas/logout`,
//! `/oidc/logout`), every service their browser session signed in to is told over its back channel —
//! a CAS `logoutRequest` to the service URL of the ticket (services registered with `single_logout`),
//! an OIDC logout token to the client's `backchannel_logout_uri` — and the session's OIDC grants end,
//! except those the person gave `offline_access` (a mobile app stays signed in).
//!
//! Deliveries run in the background with three attempts (at once, after 2 s, after 10 s); a service that
//! never answers is logged, the sign-out itself never waits for it.

use std::time::Duration;

use kernel::{Timestamp, UserId};
use serde_json::json;

use crate::{Protocol, Sso, store};

const RETRIES: [u64; 3] = [0, 2, 10];

/// The `sid` claim of a browser session: stable for the session, and tells nothing about its cookie.
pub(crate) fn sid(sso: &Sso, session_key: &str) -> String {
    let mut h = sso.identity.csrf().keyed_hash("oidc-sid", session_key);
    h.truncate(32);
    h
}

/// The CAS single-logout message for the ticket `session_index`.
pub fn cas_logout_request(session_index: &str, now: Timestamp) -> String {
    let mut id = [0u8; 16];
    rand::fill(&mut id);
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_{id}\" Version=\"2.0\" IssueInstant=\"{}\"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>{session_index}</samlp:SessionIndex></samlp:LogoutRequest>",
        now.iso8601()
    )
}

impl identity::SignOutListener for Sso {
    fn signed_out(&self, session_key: &str, user: UserId) {
        let sso = self.clone();
        let session_key = session_key.to_string();
        tokio::spawn(async move {
            if let Err(e) = sso.single_sign_out(&session_key, user).await {
                tracing::warn!(error = %e, "single sign-out failed");
            }
        });
    }

    /// SAML services are signed out through the browser, before `then` (unless this is the suite
    /// already, when a service itself asked for the logout).
    #[cfg(feature = "saml")]
    fn front_channel(&self, session_key: &str, then: &str) -> Option<String> {
        if then.starts_with("/saml/idp/slo/suite") {
            return None;
        }
        self.saml_logout_start(session_key, then)
    }
}

impl Sso {
    /// Tells every service the session signed in to, and ends its OIDC grants.
    pub async fn single_sign_out(&self, session_key: &str, user: UserId) -> Result<(), db::Error> {
        let now = self.identity.now();
        let signed_in = store::take_sso_sessions(&self.db, session_key).await?;
        crate::oidc::store::revoke_session_grants(&self.db, session_key, now).await?;
        store::delete_session_pgts(&self.db, session_key).await?;
        let sid = sid(self, session_key);
        for s in signed_in {
            let Some(service) = self.service_by_id(&s.service_id) else {
                continue;
            };
            let (url, field, value) = match service.protocol {
                Protocol::Cas => {
                    let Some(target) = s.target.filter(|_| service.single_logout) else {
                        continue;
                    };
                    (target, "logoutRequest", cas_logout_request(&s.session_index, now))
                }
                // Signed out through the browser (`saml_logout`): not taken here.
                Protocol::Saml => continue,
                Protocol::Oidc => {
                    let Some(client) = &service.oidc else { continue };
                    let Some(uri) = client.backchannel_logout_uri.clone() else {
                        continue;
                    };
                    let Ok(keys) = self.keys().await else { continue };
                    let Some(key) = keys.signing(now) else { continue };
                    let mut jti = [0u8; 16];
                    rand::fill(&mut jti);
                    let claims = json!({
                        "iss": self.config.public_url,
                        "aud": client.client_id,
                        "iat": now.millis() / 1000,
                        "exp": now.millis() / 1000 + 120,
                        "jti": jti.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                        "sub": s.user_id.to_string(),
                        "sid": sid,
                        "events": { "http://schemas.openid.net/event/backchannel-logout": {} },
                    });
                    (
                        uri,
                        "logout_token",
                        crate::jwt::sign(&key.private, &key.kid, "logout+jwt", &claims),
                    )
                }
            };
            let http = self.http.clone();
            let service_name = service.name.clone();
            tokio::spawn(async move {
                for (attempt, delay) in RETRIES.iter().enumerate() {
                    tokio::time::sleep(Duration::from_secs(*delay)).await;
                    match http.post_form(&url, &[(field, &value)]).await {
                        Ok(status) if status < 300 => return,
                        Ok(status) => {
                            tracing::warn!(service = %service_name, status, attempt, "single logout refused")
                        }
                        Err(e) => {
                            tracing::warn!(service = %service_name, error = %e, attempt, "single logout not delivered")
                        }
                    }
                }
            });
        }
        tracing::debug!(user = %user.0, "single sign-out sent");
        Ok(())
    }
}
