//! Messaging: conversations between the people of a school under its communication rules ("sphères"),
//! with the defences an ENT's messaging needs since hacked accounts sent threats to 150 schools in 2024:
//! per-profile limits, holds for moderation on anomalies, a report button, a moderation queue and kill
//! switches (region, school, profile, account) that stop sending in seconds and lose nothing.
//!
//! Other crates read it through [`Messaging`]; the server wires [`Devices`] (when a device was first
//! seen, from identity) and [`service::Counters`] (the notifications' header counter, told when a
//! person reads or files a conversation). Deliveries publish `messaging.received` on the outbox with the explicit
//! `recipients`; holds and reports publish `messaging.held` / `messaging.reported` to the school's
//! moderators (`audience`).

mod demo;
pub mod model;
pub mod moderation;
mod pages;
pub mod send;
pub mod service;
pub mod store;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use demo::seed_demo;
pub use send::{Draft, Outcome, Refused, Target, Upload};
pub use service::{Devices, Messaging, NoDevices, Viewer};

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}

pub fn routes(state: Messaging) -> Router {
    // A message carries its attachments (see model::MAX_ATTACHMENTS_TOTAL) and its fields.
    let limit = (model::MAX_ATTACHMENTS_TOTAL as usize).saturating_add(512 * 1024);
    pages::routes()
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
