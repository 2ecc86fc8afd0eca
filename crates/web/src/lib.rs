//! The web kit shared by every page: errors rendered as pages or JSON, CSRF tokens, the language,
//! the signed-in person, the page layout and the static assets. No feature logic lives here.

pub mod admission;
pub mod assets;
pub mod cookie;
pub mod csrf;
mod current_user;
mod error;
pub mod file_name;
pub mod i18n;
mod layout;
pub mod multipart;
pub mod pdf;
pub mod rich_text;
pub mod security;

pub use current_user::{ContextChoice, CurrentUser, SessionExpired};
mod field;

pub use error::{AppError, ErrorPage, Msg, render_error_pages, url_encode};
pub use field::{FieldError, ServiceError};
pub use i18n::{Lang, Tr};
pub use layout::{Chrome, form_page, page, user_page};

/// The result type of handlers.
pub type WebResult<T> = Result<T, AppError>;

/// `text` safe inside HTML or XML, in an element or a quoted attribute (the five special characters
/// as references that both languages read the same way).
pub fn markup_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Whether `to` leaves Ardoise next: another site, or the sign-in endpoints of connected services,
/// which send the browser on to the service.
fn leaves_site(to: &str) -> bool {
    !to.starts_with('/')
        || to.starts_with("//")
        || ["/cas/", "/oidc/", "/saml/idp/"]
            .iter()
            .any(|p| to.starts_with(p))
}

/// After a form, sends the browser on to `to`. Ardoise's CSP (`form-action 'self'`) makes browsers
/// refuse a form's redirects that leave the site, so when `to` leads elsewhere (see [`leaves_site`])
/// the answer is a tiny page that moves on by itself (meta refresh, and a link): a new navigation,
/// which the form's CSP does not govern. Otherwise a plain redirect.
pub fn after_form(lang: Lang, to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !leaves_site(to) {
        return axum::response::Redirect::to(to).into_response();
    }
    let to = markup_escape(to);
    let t = Tr(lang);
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><meta http-equiv=\"refresh\" content=\"0;url={to}\"><title>{}</title></head><body><p><a href=\"{to}\">{}</a></p></body></html>",
        lang.code(),
        t.get("continue-title"),
        t.get("continue-link"),
    );
    axum::response::Html(html).into_response()
}

/// A connected service in the portal's launcher: opening it signs the person in (CAS or OIDC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLink {
    pub name: String,
    pub href: String,
    /// The address of its logo, when it has one.
    pub logo: Option<String>,
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
