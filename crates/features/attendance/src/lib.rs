//! School life: the roll call from the teacher's timetable, absence and lateness files that families
//! justify online and the school-life office (CPE) follows up, statistics, and discipline. Other crates
//! read it through `service::Attendance`; lessons come from the timetable through [`Lessons`], which
//! the server wires.

mod demo;
pub mod discipline;
pub mod model;
mod pages;
pub mod service;
pub mod store;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use demo::seed_demo;
pub use service::{Attendance, Lessons, NoLessons, Slot, Viewer};

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    let mut tiles = pages::tiles();
    tiles.extend(discipline::tiles());
    tiles
}

pub fn routes(state: Attendance) -> Router {
    // A justification carries one document of the configured size, plus its fields.
    let limit = (state.max_upload_bytes() as usize).saturating_add(256 * 1024);
    Router::new()
        .merge(pages::routes())
        .merge(discipline::routes())
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
