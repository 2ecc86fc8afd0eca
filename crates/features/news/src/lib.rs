//! News: school and class news for chosen profiles (and classes), with a publication window, an
//! illustration, attachments and pinned items; region and local-authority news reaching many schools
//! as one item. Publishing emits `news.published` (one event per school) for the notifications.

mod demo;
pub mod model;
mod pages;
pub mod service;
pub mod store;
mod write;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use demo::seed_demo;
pub use service::{Compose, Error, News, Target, Upload, Viewer};

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}

pub fn routes(state: News) -> Router {
    // An item carries an illustration and up to MAX_FILES attachments, plus its text.
    let per_file = state.max_upload_bytes() as usize;
    let limit = per_file
        .saturating_mul(model::MAX_FILES + 1)
        .saturating_add(1024 * 1024);
    Router::new()
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
