//! Changing one's password (which signs out every other session) and an administrator's reset of a
//! student's or a parent's account (password removed, sessions ended, a new activation letter).

use kernel::{Profile, UserId};
use web::{AppError, CurrentUser, Msg};

use crate::activation;
use crate::audit;
use crate::onboarding::{Letter, LetterBatch, may_administer};
use crate::service::Identity;
use crate::store;

impl Identity {
    /// Checks the current password, applies the password rules, stores the new one and ends every
    /// other session of the person (a stolen session does not survive a password change).
    pub async fn change_password(
        &self,
        user: &CurrentUser,
        current: &str,
        new: &str,
        confirm: &str,
        ip: &str,
    ) -> Result<(), AppError> {
        self.check_current_password(user.user_id, current).await?;
        let names = [
            user.login.as_str(),
            user.first_name.as_str(),
            user.last_name.as_str(),
        ];
        let hashed = self.hash_new_password(new, confirm, names).await?;
        store::set_password(self.db(), user.user_id, &hashed, self.now()).await?;
        let ended = store::end_sessions(self.db(), user.user_id, None, Some(&user.session_key)).await?;
        self.forget_sessions_of(user.user_id).await;
        let detail = format!("{ended} autre(s) session(s) fermée(s)");
        self.audit(
            audit::Kind::PasswordChanged,
            user.context.context.school(),
            Some(user.user_id),
            ip,
            detail,
        )
        .await;
        Ok(())
    }

    /// Refuses unless `current` is the person's password (before changing a password or a recovery address).
    pub(crate) async fn check_current_password(&self, user: UserId, current: &str) -> Result<(), AppError> {
        let hash = store::credential(self.db(), user)
            .await?
            .and_then(|c| c.password_hash);
        let ok = self
            .passwords()
            .verify(hash, current)
            .await
            .map_err(|_| AppError::Unavailable { retry_after_secs: 5 })?;
        if ok {
            Ok(())
        } else {
            Err(AppError::BadRequest(Msg::new("password-current-wrong")))
        }
    }

    /// Applies the password rules to a new password (`names`: login, first and last name) and hashes it.
    pub(crate) async fn hash_new_password(
        &self,
        new: &str,
        confirm: &str,
        names: [&str; 3],
    ) -> Result<String, AppError> {
        activation::check_password(new, confirm, &names).map_err(|rule| {
            AppError::BadRequest(Msg::new(rule.message_key()).arg("min", activation::MIN_PASSWORD_CHARS))
        })?;
        self.passwords()
            .hash(new)
            .await
            .map_err(|_| AppError::Unavailable { retry_after_secs: 5 })
    }

    /// Resets the account of a student or guardian of the administrator's school: no password, no
    /// session, a new activation code; returns the letter to hand over.
    pub async fn reset_account(
        &self,
        actor: &CurrentUser,
        login: &str,
        ip: &str,
    ) -> Result<LetterBatch, AppError> {
        let school = actor
            .context
            .context
            .school()
            .filter(|_| may_administer(actor))
            .ok_or(AppError::Forbidden)?;
        let person = self
            .directory()
            .person_by_login(login)
            .await?
            .ok_or_else(|| AppError::BadRequest(Msg::new("reset-unknown").arg("login", login.trim())))?;
        let contexts = self.directory().contexts_of(person.user_id()).await?;
        let resettable = contexts.iter().any(|(c, _)| {
            c.school() == Some(school) && matches!(c.profile(), Some(Profile::Student | Profile::Guardian))
        });
        if !resettable {
            return Err(AppError::BadRequest(
                Msg::new("reset-not-here").arg("login", person.login.as_str()),
            ));
        }
        let now = self.now();
        let expires = now.plus_secs(self.config.activation_days * 86_400);
        let code = activation::new_code();
        let hash = self
            .csrf()
            .keyed_hash("activation", &activation::normalize_code(&code));
        let user: UserId = person.user_id();
        let mut tx = self.db().begin().await?;
        store::clear_password(&mut tx, user, now).await?;
        store::set_activation_code(&mut tx, user, &hash, now, expires, actor.user_id).await?;
        tx.commit().await?;
        self.forget_sessions_of(user).await;
        let event = audit::Event {
            kind: audit::Kind::AccountReset,
            school: Some(school),
            actor: Some(actor.user_id),
            subject: Some(user),
            ip,
            detail: format!("par {}", actor.login),
        };
        audit::record(self.db(), now, event).await?;
        Ok(LetterBatch {
            school: actor.context.place.clone(),
            class: String::new(),
            expires,
            url: format!("{}/activation", self.config.public_url.trim_end_matches('/')),
            letters: vec![Letter {
                first_name: person.first_name,
                last_name: person.last_name,
                login: person.login,
                code,
                for_student: None,
            }],
        })
    }
}
