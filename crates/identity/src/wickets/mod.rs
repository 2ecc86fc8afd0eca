//! Login wickets ("guichets"): signing in through the national identity providers over SAML 2, with
//! Ardoise as service provider — EduConnect for students and parents, the académies' IdPs for staff, the
//! agriculture IdP — next to local accounts.
//!
//! The protocol (signed AuthnRequest, strict response validation, decryption) is the `saml` crate's;
//! this module keeps the pending requests (each answered once, within ten minutes), the replay cache of
//! accepted assertions, and links the identity to an imported account by a key the directory holds —
//! EduConnect's `FrEduCtRefId` (`{AAF}<académie>|…|<ENTPersonJointure>`) or the academic `mail` —
//! never by name. An identity no account matches gets a clear page, never a new account. A parent is one
//! account with every school of their children, so they land with all of them.
//!
//! Federated sign-ins do not ask for Ardoise's own second factor: the académie's IdP authenticates staff.

mod pages;
pub(crate) mod store;

use std::sync::Arc;

use kernel::Timestamp;

use crate::audit;
use crate::service::{Identity, SignedIn};

pub(crate) use pages::routes;

/// How long a request waits for its answer.
const REQUEST_SECS: i64 = 600;
/// Clock difference tolerated with an IdP.
const CLOCK_SKEW_SECS: i64 = 120;

/// Who a wicket is for: it decides where the button sits on the sign-in page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    StudentsParents,
    Staff,
    Other,
}

impl Audience {
    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "eleves-parents" => Some(Audience::StudentsParents),
            "personnels" => Some(Audience::Staff),
            "autres" => Some(Audience::Other),
            _ => None,
        }
    }
}

/// How the identity an IdP asserts finds its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRule {
    /// EduConnect: the AAF join keys in `FrEduCtRefId`.
    Jointure,
    /// Staff IdPs: the academic address in `mail` (or `ctemail`), matched to the directory's mail.
    Mail,
}

impl LinkRule {
    pub fn parse(s: &str) -> Option<LinkRule> {
        match s {
            "jointure" => Some(LinkRule::Jointure),
            "mail" => Some(LinkRule::Mail),
            _ => None,
        }
    }
}

/// One identity provider offered on the sign-in page.
#[derive(Debug, Clone)]
pub struct Wicket {
    /// In URLs: `/login/sso/<id>`.
    pub id: String,
    /// On the button: "EduConnect", "Académie de Reims"…
    pub name: String,
    pub audience: Audience,
    pub link: LinkRule,
    pub idp: saml::IdpMetadata,
}

/// Ardoise as service provider, and the wickets of the deployment.
pub struct Wickets {
    pub sp: saml::Sp,
    pub list: Vec<Wicket>,
}

impl Wickets {
    fn get(&self, id: &str) -> Option<&Wicket> {
        self.list.iter().find(|w| w.id == id)
    }
}

/// Why a federated sign-in was refused; each has its page and its journal entry.
#[derive(Debug)]
pub enum Refusal {
    UnknownWicket,
    /// No pending request matches (unsolicited, expired, or already answered: a replay).
    UnknownRequest,
    Invalid(saml::SamlError),
    Replayed,
    NoAccount,
    Ambiguous,
    NoContext,
    Db(db::Error),
}

impl From<db::Error> for Refusal {
    fn from(e: db::Error) -> Self {
        Refusal::Db(e)
    }
}

impl Refusal {
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::UnknownWicket => "wicket-unknown",
            Refusal::UnknownRequest | Refusal::Replayed => "wicket-stale",
            Refusal::Invalid(_) => "wicket-invalid",
            Refusal::NoAccount => "wicket-no-account",
            Refusal::Ambiguous => "wicket-ambiguous",
            Refusal::NoContext => "login-no-context",
            Refusal::Db(_) => "error-internal",
        }
    }

    /// For the journal.
    fn detail(&self) -> String {
        match self {
            Refusal::UnknownWicket => "guichet inconnu".into(),
            Refusal::UnknownRequest => {
                "réponse sans demande en attente (rejouée, expirée ou non sollicitée)".into()
            }
            Refusal::Invalid(e) => e.to_string(),
            Refusal::Replayed => "assertion déjà utilisée".into(),
            Refusal::NoAccount => "aucun compte ne correspond".into(),
            Refusal::Ambiguous => "plusieurs comptes correspondent".into(),
            Refusal::NoContext => "compte sans établissement".into(),
            Refusal::Db(e) => e.to_string(),
        }
    }
}

/// The AAF join key at the end of a `FrEduCtRefId` value (`{AAF}<académie>|…|<jointure>`).
pub fn jointure_of_ref_id(value: &str) -> Option<String> {
    let rest = value.trim().strip_prefix("{AAF}")?;
    let key = rest.rsplit('|').next()?.trim();
    (!key.is_empty() && rest.contains('|')).then(|| key.to_string())
}

impl Identity {
    pub(crate) fn wickets(&self) -> Option<&Arc<Wickets>> {
        self.wickets.as_ref()
    }

    /// Starts a sign-in at wicket `id`: records the request, returns the IdP address to send the browser to.
    pub async fn begin_federated(&self, id: &str, next: &str) -> Result<String, Refusal> {
        let wickets = self.wickets().ok_or(Refusal::UnknownWicket)?;
        let wicket = wickets.get(id).ok_or(Refusal::UnknownWicket)?;
        let mut random = [0u8; 16];
        rand::fill(&mut random);
        let request_id = format!("_{:032x}", u128::from_be_bytes(random));
        let now = self.now();
        store::insert_request(
            self.db(),
            &request_id,
            &wicket.id,
            next,
            now,
            now.plus_secs(REQUEST_SECS),
        )
        .await?;
        wickets
            .sp
            .authn_request_url(&wicket.idp, &request_id, now.millis(), &request_id)
            .map_err(Refusal::Invalid)
    }

    /// Checks an IdP's answer and opens a session for the account it designates.
    pub async fn finish_federated(
        &self,
        saml_response: &str,
        relay_state: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<(SignedIn, String), Refusal> {
        let outcome = self.check_federated(saml_response, relay_state).await;
        let (person, wicket_name, next) = match outcome {
            Ok(found) => found,
            Err(refusal) => {
                self.audit(audit::Kind::FederationRefused, None, None, ip, refusal.detail())
                    .await;
                return Err(refusal);
            }
        };
        let user = person.user_id();
        let contexts = self.directory().contexts_of(user).await?;
        let (token, school) = self
            .open_session(&person, contexts, ip, user_agent, false)
            .await
            .map_err(|e| match e {
                crate::SignInError::Db(e) => Refusal::Db(e),
                _ => Refusal::NoContext,
            })?;
        self.audit(audit::Kind::FederatedSignIn, school, Some(user), ip, wicket_name)
            .await;
        Ok((
            SignedIn {
                user,
                token,
                second_factor: crate::mfa::MfaNeed::None,
            },
            next,
        ))
    }

    async fn check_federated(
        &self,
        saml_response: &str,
        relay_state: &str,
    ) -> Result<(directory::model::Person, String, String), Refusal> {
        let wickets = self.wickets().ok_or(Refusal::UnknownWicket)?;
        let now = self.now();
        let (wicket_id, next) = store::take_request(self.db(), relay_state.trim(), now)
            .await?
            .ok_or(Refusal::UnknownRequest)?;
        let wicket = wickets.get(&wicket_id).ok_or(Refusal::UnknownWicket)?;
        let expect = saml::Expect {
            in_response_to: Some(relay_state.trim()),
            now_millis: now.millis(),
            clock_skew_secs: CLOCK_SKEW_SECS,
        };
        let assertion = wickets
            .sp
            .validate_response(&wicket.idp, saml_response, &expect)
            .map_err(Refusal::Invalid)?;
        let expires = Timestamp(assertion.not_on_or_after_millis.max(now.millis()));
        if !store::first_use_of_assertion(self.db(), &assertion.id, expires.plus_secs(CLOCK_SKEW_SECS))
            .await?
        {
            return Err(Refusal::Replayed);
        }
        let users = match wicket.link {
            LinkRule::Jointure => {
                let keys: Vec<String> = assertion
                    .attribute("FrEduCtRefId")
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|v| jointure_of_ref_id(v))
                    .collect();
                store::users_by_jointure(self.db(), &keys).await?
            }
            LinkRule::Mail => {
                let mail = assertion
                    .attribute("mail")
                    .or_else(|| assertion.attribute("ctemail"))
                    .and_then(|v| v.first())
                    .filter(|m| m.contains('@'));
                match mail {
                    Some(m) => store::users_by_mail(self.db(), m).await?,
                    None => vec![],
                }
            }
        };
        let user = match users.as_slice() {
            [] => return Err(Refusal::NoAccount),
            [one] => one.clone(),
            // Two accounts with one academic address: refuse rather than guess.
            _ if wicket.link == LinkRule::Mail => return Err(Refusal::Ambiguous),
            // Several AAF keys may designate several accounts (a parent known to two académies whose
            // accounts were not merged): the first is used and the case logged.
            [first, ..] => {
                tracing::warn!(
                    count = users.len(),
                    "several accounts for one EduConnect identity; the first is used"
                );
                first.clone()
            }
        };
        Ok((user, wicket.name.clone(), next))
    }

    /// The wickets to offer on the sign-in page: (id, name, audience).
    pub fn wicket_choices(&self) -> Vec<(String, String, Audience)> {
        self.wickets()
            .map(|w| {
                w.list
                    .iter()
                    .map(|w| (w.id.clone(), w.name.clone(), w.audience))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::jointure_of_ref_id;

    #[test]
    fn the_aaf_key_is_the_last_part_of_an_educonnect_reference() {
        assert_eq!(
            jointure_of_ref_id("{AAF}NANCY-METZ|ELV|2145678").as_deref(),
            Some("2145678")
        );
        assert_eq!(jointure_of_ref_id("{AAF}REIMS|1234").as_deref(), Some("1234"));
        assert_eq!(jointure_of_ref_id("1234"), None, "not an AAF reference");
        assert_eq!(jointure_of_ref_id("{AAF}REIMS|"), None);
        assert_eq!(jointure_of_ref_id("{AAF}1234"), None);
    }
}
