//! Signing in: password credentials checked with argon2id on a bounded pool, server-side sessions,
//! throttling of failed attempts, the session layer that tells handlers who is signed in, and the
//! sign-in, sign-out and context-switch pages.

mod layer;
mod pages;
pub mod password;
mod service;
mod store;
pub mod throttle;

pub use layer::session_layer;
pub use pages::routes;
pub use password::PasswordPool;
pub use service::{Identity, IdentityConfig, SessionPolicy, SignInError};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ardoise_session";
