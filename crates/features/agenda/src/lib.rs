//! The agenda: a school's events (meetings, trips, exams, holidays) for chosen profiles and classes,
//! read by month or as a list, and each person's iCalendar feed behind a secret address. Creating an
//! event emits `agenda.event_published` for the notifications.

mod demo;
mod feed;
pub mod model;
mod pages;
pub mod service;
pub mod store;

use axum::Router;

pub use demo::seed_demo;
pub use feed::write_calendar;
pub use service::{Agenda, Error, Viewer};

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}

pub fn routes(state: Agenda) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(feed::routes())
        .with_state(state)
}
