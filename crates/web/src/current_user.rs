//! The signed-in person, put in the request by the session layer (identity) and read by handlers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use kernel::{Context, Profile, UserId};

use crate::AppError;

/// One context a person may switch to (a profile in a school, or the regional administration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextChoice {
    pub context: Context,
    /// The school's (or region's) name, shown in the switcher.
    pub place: String,
}

impl ContextChoice {
    pub fn token(&self) -> String {
        self.context.to_token()
    }

    /// Fluent key of the profile's label (`profile-ENS`…), or the regional administrator's.
    pub fn profile_key(&self) -> String {
        match self.context.profile() {
            Some(p) => format!("profile-{}", p.code()),
            None => "profile-region-admin".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: UserId,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    /// What the session's CSRF tokens are bound to (the stored hash of the session token).
    pub session_key: String,
    pub csrf_token: String,
    pub context: ContextChoice,
    pub choices: Vec<ContextChoice>,
    /// Signed in with a password but not yet with the second factor: only the second-factor pages
    /// (and sign-out) are open to this session.
    pub second_factor_pending: bool,
    /// When this session last proved the second factor (ms), if it ever did.
    pub second_factor_at: Option<i64>,
    /// When the person signed in to this session (ms): the `auth_time` of SSO protocols.
    pub signed_in_at: i64,
}

impl CurrentUser {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn profile(&self) -> Option<Profile> {
        self.context.context.profile()
    }

    pub fn is_current(&self, choice: &ContextChoice) -> bool {
        choice.context == self.context.context
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let expired = parts.extensions.get::<SessionExpired>().is_some();
        Err(AppError::Unauthenticated { expired })
    }
}

/// Marker the session layer leaves when the request carried a session that has expired.
#[derive(Debug, Clone, Copy)]
pub struct SessionExpired;

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

impl CurrentUser {
    /// Checks the CSRF token a form of this session submitted (constant time).
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        let expected = self.csrf_token.as_bytes();
        if !expected.is_empty() && crate::csrf::constant_time_eq(expected, submitted.trim().as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}
