//! The directory: who belongs where. Region → académies and local authorities → schools → classes and
//! groups → people with their profiles per school, and the relations between them (legal representatives,
//! teachers of a class, head teachers). Other crates read it through `service::Directory`.

pub mod audience;
pub mod family;
pub mod generator;
pub mod model;
mod pages;
pub mod rollover;
pub mod service;
pub mod store;

pub use family::Families;
pub use pages::routes;
pub use service::Directory;

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}
