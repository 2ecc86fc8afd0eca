//! The web kit shared by every page: errors rendered as pages or JSON, CSRF tokens, the language,
//! the signed-in person, the page layout and the static assets. No feature logic lives here.

pub mod assets;
pub mod cookie;
pub mod csrf;
mod current_user;
mod error;
pub mod i18n;
mod layout;
pub mod pdf;
pub mod security;

pub use current_user::{ContextChoice, CurrentUser, SessionExpired};
pub use error::{AppError, ErrorPage, Msg, render_error_pages, url_encode};
pub use i18n::{Lang, Tr};
pub use layout::{Chrome, page, user_page};

/// The result type of handlers.
pub type WebResult<T> = Result<T, AppError>;

/// A connected service in the portal's launcher: opening it signs the person in (CAS or OIDC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLink {
    pub name: String,
    pub href: String,
}

/// What lists the connected services a person may open (the `sso` crate), for the portal.
pub trait Launcher: Send + Sync {
    fn links<'a>(
        &'a self,
        user: &'a CurrentUser,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Vec<ServiceLink>> + Send + 'a>>;
}

/// A service tile of the portal's launcher, contributed by a feature.
#[derive(Debug, Clone, Copy)]
pub struct Tile {
    pub id: &'static str,
    /// Fluent keys of the tile's name and one-line description.
    pub name_key: &'static str,
    pub desc_key: &'static str,
    pub href: &'static str,
    /// Whether a person acting in this context may use the service.
    pub visible: fn(&kernel::Context) -> bool,
}
