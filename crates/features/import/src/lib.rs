//! Imports from outside directories into Ardoise: the AAF parser (`aaf`) and applying it (`apply`).

pub mod aaf;
pub mod apply;
mod pages;

pub use pages::{routes, tiles};
