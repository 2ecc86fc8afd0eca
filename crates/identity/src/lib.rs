//! Signing in: password credentials checked with argon2id on a bounded pool, server-side sessions,
//! throttling of failed attempts, the session layer that tells handlers who is signed in, and the
//! sign-in, sign-out and context-switch pages; account activation with codes and the audit journal.

mod account_pages;
pub mod activation;
mod activation_pages;
pub mod audit;
mod journal_pages;
mod layer;
pub mod mfa;
mod onboarding;
mod pages;
pub mod password;
mod password_change;
pub mod recovery;
mod service;
mod session_cache;
mod store;
pub mod throttle;
#[cfg(feature = "saml")]
pub mod wickets;

pub use activation_pages::tiles;
pub use layer::session_layer;
pub use onboarding::{ActivationError, ActivationForm, LetterBatch};
pub use pages::{ClientIp, routes};
pub use password::PasswordPool;
pub use service::{
    Identity, IdentityConfig, SessionPolicy, SignInError, SignOutListener, SignedIn, random_token, token_hash,
};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ardoise_session";
