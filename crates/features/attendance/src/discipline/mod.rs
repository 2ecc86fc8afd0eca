//! Discipline: incidents with the people involved, the punitions scolaires staff give, the sanctions
//! the head decides within the limits of the code de l'éducation (R511-13), what each school shows
//! students and families, and the journal of every write. Punishments and sanctions publish
//! `discipline.punishment_given` and `discipline.sanction_decided` for the notification of families.

mod demo;
mod family;
pub mod model;
mod pages;
mod records;
pub mod service;
pub mod store;

pub use demo::seed_demo;
pub use pages::routes;
pub use service::{Discipline, Error, Result, Viewer};

/// The portal tile of discipline.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}
