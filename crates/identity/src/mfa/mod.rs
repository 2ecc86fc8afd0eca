//! The second factor: TOTP with single-use recovery codes. Required for the profiles the deployment
//! names (direction, vie scolaire, administrative staff by default), optional for everyone else.

mod pages;
mod store;
pub mod totp;

use kernel::UserId;
use web::{AppError, CurrentUser, Msg};

use crate::audit;
use crate::service::Identity;

pub use pages::routes;

/// What a signed-in password still needs before the session opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaNeed {
    None,
    /// Enrolled: enter a code.
    Code,
    /// Required by a profile but not enrolled yet: enrol first.
    Enrol,
}

#[derive(Debug)]
pub enum MfaError {
    WrongCode,
    /// Too many wrong codes: the half-open session was closed.
    TooManyAttempts,
    Db(db::Error),
}

impl From<db::Error> for MfaError {
    fn from(e: db::Error) -> Self {
        MfaError::Db(e)
    }
}

/// Failed codes a half-open session may make before it is closed.
const MAX_CODE_FAILURES: u32 = 5;
const RECOVERY_CODES: usize = 10;
const RECOVERY_ALPHABET: &[u8; 31] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn new_recovery_code() -> String {
    let mut raw = [0u8; 10];
    rand::fill(&mut raw);
    let s: String = raw
        .iter()
        .map(|b| RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Identity {
    /// What a person signing in must do for a second factor; `contexts`: theirs, as
    /// `Directory::contexts_of` reads them.
    pub(crate) async fn mfa_need(
        &self,
        user: UserId,
        contexts: &[(kernel::Context, String)],
    ) -> Result<MfaNeed, db::Error> {
        if store::totp(self.db(), user)
            .await?
            .is_some_and(|t| t.confirmed_at.is_some())
        {
            return Ok(MfaNeed::Code);
        }
        let required = contexts
            .iter()
            .any(|(c, _)| c.profile().is_some_and(|p| self.config.mfa_required.contains(&p)));
        Ok(if required { MfaNeed::Enrol } else { MfaNeed::None })
    }

    pub async fn mfa_enrolled(&self, user: UserId) -> Result<bool, db::Error> {
        Ok(store::totp(self.db(), user)
            .await?
            .is_some_and(|t| t.confirmed_at.is_some()))
    }

    /// The pending enrolment's secret, created on first call; None once enrolled.
    pub async fn enrolment_secret(&self, user: &CurrentUser) -> Result<Option<String>, AppError> {
        match store::totp(self.db(), user.user_id).await? {
            Some(t) if t.confirmed_at.is_some() => Ok(None),
            Some(t) => Ok(Some(self.open_secret(user.user_id, &t.secret))),
            None => {
                let secret = totp::new_secret();
                store::start_enrolment(self.db(), user.user_id, &self.seal_secret(user.user_id, &secret))
                    .await?;
                Ok(Some(secret))
            }
        }
    }

    /// TOTP seeds are stored sealed with the server key: a copy of the database does not give the codes.
    fn seal_secret(&self, user: UserId, secret: &str) -> String {
        self.csrf().seal("totp", &user.0.to_string(), secret.as_bytes())
    }

    /// The seed of a stored secret (sealed, or plain as stored before sealing was introduced).
    fn open_secret(&self, user: UserId, stored: &str) -> String {
        if !stored.starts_with("v1:") {
            return stored.to_string();
        }
        self.csrf()
            .open("totp", &user.0.to_string(), stored)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Confirms enrolment with a first code; returns the recovery codes, shown once.
    pub async fn confirm_enrolment(
        &self,
        user: &CurrentUser,
        code: &str,
        ip: &str,
    ) -> Result<Vec<String>, AppError> {
        let pending = store::totp(self.db(), user.user_id)
            .await?
            .filter(|t| t.confirmed_at.is_none());
        let Some(t) = pending else {
            return Err(AppError::Conflict(Msg::new("mfa-already-enrolled")));
        };
        let now = self.now();
        let secret = self.open_secret(user.user_id, &t.secret);
        let step = totp::verify(&secret, code, now.millis() / 1000, t.last_step)
            .ok_or(AppError::BadRequest(Msg::new("mfa-wrong-code")))?;
        if !store::accept_step(self.db(), user.user_id, step, now).await? {
            return Err(AppError::BadRequest(Msg::new("mfa-wrong-code")));
        }
        let codes = self.new_recovery_codes(user.user_id).await?;
        store::second_factor_passed(self.db(), &user.session_key, now).await?;
        self.forget_session(&user.session_key).await;
        self.audit(
            audit::Kind::MfaEnrolled,
            user.context.context.school(),
            Some(user.user_id),
            ip,
            String::new(),
        )
        .await;
        Ok(codes)
    }

    pub async fn new_recovery_codes(&self, user: UserId) -> Result<Vec<String>, db::Error> {
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| self.csrf().keyed_hash("recovery", &normalize_recovery(c)))
            .collect();
        store::replace_recovery_codes(self.db(), user, &hashes).await?;
        Ok(codes)
    }

    /// Checks the second factor (a TOTP code or a recovery code) of a half-open session, which it opens,
    /// or of a session confirming a sensitive action (`kind` is then `StepUp`).
    pub async fn pass_second_factor(
        &self,
        user: &CurrentUser,
        code: &str,
        ip: &str,
        kind: audit::Kind,
    ) -> Result<(), MfaError> {
        let now = self.now();
        let school = user.context.context.school();
        let totp = store::totp(self.db(), user.user_id)
            .await?
            .filter(|t| t.confirmed_at.is_some());
        let by_totp = match &totp {
            Some(t) => match totp::verify(
                &self.open_secret(user.user_id, &t.secret),
                code,
                now.millis() / 1000,
                t.last_step,
            ) {
                Some(step) => store::accept_step(self.db(), user.user_id, step, now).await?,
                None => false,
            },
            None => false,
        };
        let ok = by_totp || {
            let hash = self.csrf().keyed_hash("recovery", &normalize_recovery(code));
            normalize_recovery(code).len() == 10
                && store::use_recovery_code(self.db(), user.user_id, &hash, now).await?
        };
        if ok {
            store::second_factor_passed(self.db(), &user.session_key, now).await?;
            self.forget_session(&user.session_key).await;
            let detail = if by_totp {
                String::new()
            } else {
                "code de secours".to_string()
            };
            self.audit(kind, school, Some(user.user_id), ip, detail).await;
            return Ok(());
        }
        self.audit(
            audit::Kind::MfaFailed,
            school,
            Some(user.user_id),
            ip,
            String::new(),
        )
        .await;
        self.ip_failures().record_failure(ip, now);
        self.mfa_failures().record_failure(&user.session_key, now);
        if self.mfa_failures().blocked_for(&user.session_key, now).is_some() {
            crate::store::delete_session(self.db(), &user.session_key).await?;
            self.forget_session(&user.session_key).await;
            self.audit(
                audit::Kind::Lockout,
                school,
                Some(user.user_id),
                ip,
                "second facteur".into(),
            )
            .await;
            return Err(MfaError::TooManyAttempts);
        }
        Err(MfaError::WrongCode)
    }
}

/// How long a proof of the second factor covers sensitive actions.
pub const STEP_UP_SECS: i64 = 600;

impl Identity {
    /// Sensitive actions (printing activation codes, resetting an account) need, from people who have a
    /// second factor, a proof of it in the last [`STEP_UP_SECS`]: a session left open on a shared
    /// computer cannot print a class's codes. `next` is where to come back after confirming.
    pub async fn require_step_up(&self, user: &CurrentUser, next: &str) -> Result<(), AppError> {
        let now = self.now().millis();
        match user.second_factor_at {
            Some(at) if now - at <= STEP_UP_SECS * 1000 => Ok(()),
            None if !self.mfa_enrolled(user.user_id).await? => Ok(()),
            _ => Err(AppError::StepUp {
                next: next.to_string(),
            }),
        }
    }
}

pub(crate) fn failure_limiter() -> crate::throttle::FailureLimiter {
    crate::throttle::FailureLimiter::new(MAX_CODE_FAILURES, 900)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_readable_and_normalize() {
        let c = new_recovery_code();
        assert_eq!(c.len(), 11);
        assert_eq!(normalize_recovery(&c.to_uppercase()), c.replace('-', ""));
    }
}
