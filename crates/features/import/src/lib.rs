//! Imports from outside directories into Ardoise; for now the parsing side of the AAF import.

pub mod aaf;
