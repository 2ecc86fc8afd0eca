//! Recovery by e-mail, and the warning sent when someone signs in from a new device.
//!
//! Forgotten password: the person gives their login; if the account has a recovery address, a link
//! valid for [`LINK_MINUTES`] and usable once is mailed to it. Forgotten login: the person gives their
//! recovery address; the logins attached to it are mailed there. Both pages answer the same way whether
//! or not an account matched, and mail goes out in the background, so neither the words nor the timing
//! of the answer tell which logins or addresses exist. Only a keyed hash of a link's token is stored.
//!
//! Using a link sets the new password, lifts any lock, spends the person's other links and ends all
//! their sessions, in one transaction. It does not sign them in: they sign in with the new password
//! (and their second factor, which a reset link never bypasses).

mod pages;
pub(crate) mod store;

use kernel::{Timestamp, UserId};
use web::{AppError, Lang, Msg, Tr};

use crate::audit;
use crate::service::{Identity, random_token};
use crate::throttle::FailureLimiter;

pub(crate) use pages::routes;

/// How long a reset link is valid.
pub const LINK_MINUTES: i64 = 60;
/// Links one account may receive per hour (a mailbox is not flooded by someone typing its login).
pub const LINKS_PER_HOUR: i64 = 3;
/// Recovery requests one address may make per ten minutes.
pub const REQUESTS_PER_ADDRESS: u32 = 20;

/// The cookie that tells a browser the person has used before.
pub const DEVICE_COOKIE: &str = "ardoise_device";

pub(crate) fn request_limiter() -> FailureLimiter {
    FailureLimiter::new(REQUESTS_PER_ADDRESS, 600)
}

/// Why a reset link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Expired,
    Used,
}

impl LinkProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "recovery-link-unknown",
            LinkProblem::Expired => "recovery-link-expired",
            LinkProblem::Used => "recovery-link-used",
        }
    }
}

impl Identity {
    fn link_hash(&self, token: &str) -> String {
        self.csrf().keyed_hash("recovery-link", token.trim())
    }

    fn throttle_recovery(&self, ip: &str) -> Result<(), AppError> {
        let now = self.now();
        if let Some(wait) = self.recovery_requests().blocked_for(ip, now) {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
                msg: Msg::new("login-throttled").arg("minutes", crate::pages::minutes(wait)),
            });
        }
        self.recovery_requests().record_failure(ip, now);
        Ok(())
    }

    /// Mails a reset link to the recovery address of `login`, if there is one. Says nothing either way.
    pub async fn request_password_reset(&self, login: &str, ip: &str) -> Result<(), AppError> {
        self.throttle_recovery(ip)?;
        let Some(person) = self.directory().person_by_login(login).await? else {
            return Ok(());
        };
        let user = person.user_id();
        let Some(email) = store::recovery_email(self.db(), user).await? else {
            return Ok(());
        };
        let now = self.now();
        if store::links_since(self.db(), user, now.plus_secs(-3600)).await? >= LINKS_PER_HOUR {
            tracing::warn!(user = %person.id, "reset links capped for this hour");
            return Ok(());
        }
        let token = random_token();
        let expires = now.plus_secs(LINK_MINUTES * 60);
        store::insert_link(self.db(), &self.link_hash(&token), user, now, expires).await?;
        let t = Tr(Lang::Fr);
        let url = format!(
            "{}/login/reinitialiser?t={token}",
            self.config.public_url.trim_end_matches('/')
        );
        let text = Msg::new("recovery-mail-reset-body")
            .arg("name", &person.first_name)
            .arg("login", &person.login)
            .arg("url", url)
            .arg("minutes", LINK_MINUTES)
            .render(Lang::Fr);
        self.mailer().send_later(mail::Mail {
            to: email,
            subject: t.get("recovery-mail-reset-subject"),
            text,
        });
        let school = self.first_school(user).await;
        self.audit(
            audit::Kind::RecoveryRequested,
            school,
            Some(user),
            ip,
            String::new(),
        )
        .await;
        Ok(())
    }

    /// Mails the logins attached to the recovery address `email`, if any. Says nothing either way.
    pub async fn request_login_reminder(&self, email: &str, ip: &str) -> Result<(), AppError> {
        self.throttle_recovery(ip)?;
        let accounts = store::logins_with_email(self.db(), email).await?;
        // Written to the address as the person typed it at activation (the same, case aside).
        let Some(stored) = accounts.first().map(|a| a.3.clone()) else {
            return Ok(());
        };
        let list = accounts
            .iter()
            .map(|(_, login, alias, _)| match alias {
                Some(a) => format!("  • {login} (ou {a})"),
                None => format!("  • {login}"),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let text = Msg::new("recovery-mail-login-body")
            .arg("logins", list)
            .arg(
                "url",
                format!("{}/login", self.config.public_url.trim_end_matches('/')),
            )
            .render(Lang::Fr);
        self.mailer().send_later(mail::Mail {
            to: stored,
            subject: Tr(Lang::Fr).get("recovery-mail-login-subject"),
            text,
        });
        for (id, _, _, _) in &accounts {
            let user = UserId(*id);
            let school = self.first_school(user).await;
            self.audit(audit::Kind::LoginReminded, school, Some(user), ip, String::new())
                .await;
        }
        Ok(())
    }

    /// Whose link `token` is, if it can still be used.
    pub async fn check_reset_link(&self, token: &str) -> Result<Result<UserId, LinkProblem>, AppError> {
        let Some(link) = store::link(self.db(), &self.link_hash(token)).await? else {
            return Ok(Err(LinkProblem::Unknown));
        };
        if link.used_at.is_some() {
            return Ok(Err(LinkProblem::Used));
        }
        if Timestamp(link.expires_at) <= self.now() {
            return Ok(Err(LinkProblem::Expired));
        }
        Ok(Ok(UserId(link.user_id)))
    }

    /// Sets a new password through a reset link (see the module documentation for what it also does).
    pub async fn reset_with_link(
        &self,
        token: &str,
        new: &str,
        confirm: &str,
        ip: &str,
    ) -> Result<Result<(), LinkProblem>, AppError> {
        let user = match self.check_reset_link(token).await? {
            Ok(user) => user,
            Err(problem) => return Ok(Err(problem)),
        };
        let person = self.directory().person(user).await?.ok_or(AppError::NotFound)?;
        let names = [
            person.login.as_str(),
            person.first_name.as_str(),
            person.last_name.as_str(),
        ];
        let hashed = self.hash_new_password(new, confirm, names).await?;
        let mut tx = self.db().begin().await?;
        if !store::reset_with_link(&mut tx, &self.link_hash(token), user, &hashed, self.now()).await? {
            return Ok(Err(LinkProblem::Used));
        }
        tx.commit().await?;
        self.forget_sessions_of(user).await;
        let school = self.first_school(user).await;
        self.audit(
            audit::Kind::PasswordResetByMail,
            school,
            Some(user),
            ip,
            String::new(),
        )
        .await;
        Ok(Ok(()))
    }

    /// When the device holding `device_cookie` was first seen signing in as `user` (ms), if it is not
    /// their first device: an account's very first device is not "new" (a freshly activated parent),
    /// a device that never signed in as them is new now. Messaging holds mass sends from new devices.
    pub async fn device_first_seen(&self, user: UserId, device_cookie: &str) -> Option<i64> {
        let hash = self.csrf().keyed_hash("device", device_cookie);
        let devices = store::devices_first_seen(self.db(), user).await.ok()?;
        let (oldest, _) = devices.first()?;
        if *oldest == hash {
            return None;
        }
        Some(
            devices
                .iter()
                .find(|(h, _)| *h == hash)
                .map_or_else(|| self.now().millis(), |(_, first)| *first),
        )
    }

    /// Records the device a person just signed in from, and warns them by mail when it is new to them
    /// (not on their very first sign-in). Returns the device cookie value to set.
    pub async fn note_device(
        &self,
        user: UserId,
        device_cookie: Option<&str>,
        ip: &str,
        user_agent: &str,
    ) -> Result<String, AppError> {
        let device = device_cookie
            .filter(|d| d.len() >= 32 && d.len() <= 64)
            .map_or_else(random_token, str::to_string);
        let hash = self.csrf().keyed_hash("device", &device);
        let now = self.now();
        if store::remember_device(self.db(), user, &hash, now).await? == store::Device::New {
            let school = self.first_school(user).await;
            let what = crate::account_pages::device_label(user_agent);
            self.audit(audit::Kind::NewDevice, school, Some(user), ip, what.clone())
                .await;
            if let (Some(email), Some(person)) = (
                store::recovery_email(self.db(), user).await?,
                self.directory().person(user).await?,
            ) {
                let text = Msg::new("recovery-mail-device-body")
                    .arg("name", &person.first_name)
                    .arg("login", &person.login)
                    .arg("when", now.date_time_fr())
                    .arg("device", what)
                    .arg("ip", ip)
                    .arg(
                        "url",
                        format!("{}/compte/sessions", self.config.public_url.trim_end_matches('/')),
                    )
                    .render(Lang::Fr);
                self.mailer().send_later(mail::Mail {
                    to: email,
                    subject: Tr(Lang::Fr).get("recovery-mail-device-subject"),
                    text,
                });
            }
        }
        Ok(device)
    }

    /// The person's recovery address, if they have one.
    pub async fn recovery_address(&self, user: UserId) -> Result<Option<String>, AppError> {
        Ok(store::recovery_email(self.db(), user).await?)
    }

    /// Changes the recovery address after checking the current password; the former address is told.
    pub async fn change_recovery_address(
        &self,
        user: &web::CurrentUser,
        current_password: &str,
        email: &str,
        ip: &str,
    ) -> Result<(), AppError> {
        let email = email.trim();
        if !email.is_empty() && !crate::onboarding::valid_email(email) {
            return Err(AppError::BadRequest(Msg::new("activation-email-invalid")));
        }
        self.check_current_password(user.user_id, current_password)
            .await?;
        let former = store::recovery_email(self.db(), user.user_id).await?;
        let new = Some(email).filter(|e| !e.is_empty());
        store::set_recovery_email(self.db(), user.user_id, new, self.now()).await?;
        if let Some(former) = former.filter(|f| !f.eq_ignore_ascii_case(email)) {
            let text = Msg::new("recovery-mail-changed-body")
                .arg("name", &user.first_name)
                .arg("login", &user.login)
                .arg("when", self.now().date_time_fr())
                .render(Lang::Fr);
            self.mailer().send_later(mail::Mail {
                to: former,
                subject: Tr(Lang::Fr).get("recovery-mail-changed-subject"),
                text,
            });
        }
        self.audit(
            audit::Kind::RecoveryContactChanged,
            user.context.context.school(),
            Some(user.user_id),
            ip,
            String::new(),
        )
        .await;
        Ok(())
    }
}
