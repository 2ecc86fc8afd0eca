//! Imports from outside directories into Ardoise: the AAF parser (`aaf`), applying
//! it (`apply`), and CSV files for schools outside the AAF (`csv`).

pub mod aaf;
pub mod apply;
pub mod csv;
mod pages;

pub use pages::{routes, tiles};
