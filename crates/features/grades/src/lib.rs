//! Grades: evaluations per class or group and subject with their marks, the averages families see,
//! the common-core skills with four mastery levels, grading periods and report cards.
//!
//! Layout: `model`, `averages`, `skills` and `exact` hold the rules (no I/O); `store` the SQL;
//! `service` (with `teacher`, `family`, `cycle` and `report`) checks who may do what; `pages` the HTML.
//! Report cards (appraisals, class council, PDF) go in their own module, reading averages through
//! `report` (see `Grades::class_report`).

pub mod averages;
mod cycle;
mod demo;
pub mod exact;
mod family;
pub mod model;
mod pages;
pub mod report;
pub mod reportcards;
pub mod service;
pub mod skills;
pub mod store;
mod teacher;

use std::sync::Arc;

use axum::Router;
use blob::Blobs;
use db::Db;
use kernel::Clock;

pub use cycle::{ClassSkills, SkillsPage, StudentSkills};
pub use demo::seed_demo;
pub use family::{MarksPage, Seen, SubjectBlock};
pub use report::{ClassReport, StudentReport, SubjectColumn, SubjectResult};
pub use service::{Error, Result, Viewer};
pub use teacher::{Evaluation, Grid, GridRow, Listed};

/// The grades feature's entry point for pages and other crates. Cheap to clone.
#[derive(Clone)]
pub struct Grades {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) blobs: Blobs,
}

impl Grades {
    pub fn new(db: Db, clock: Arc<dyn Clock>, blobs: Blobs) -> Grades {
        Grades { db, clock, blobs }
    }
}

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}

/// The feature's pages (`/notes…`).
pub fn routes(state: Grades) -> Router {
    pages::routes().merge(reportcards::routes()).with_state(state)
}
