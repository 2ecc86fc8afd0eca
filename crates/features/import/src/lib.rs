//! Imports from outside directories into Ardoise: the AAF parser (`aaf`), applying
//! it (`apply`), and CSV files for schools outside the AAF (`csv`).

pub mod aaf;
#[cfg(feature = "directory")]
pub mod apply;
#[cfg(feature = "directory")]
pub mod csv;
#[cfg(feature = "directory")]
mod pages;

#[cfg(feature = "directory")]
pub use pages::{routes, tiles};
