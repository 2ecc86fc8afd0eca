//! Ardoise through HTTP, as people use it: one test binary, run on SQLite and again on PostgreSQL
//! (ARDOISE_TEST_PG_URL) by the CI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // helpers of tests fail loudly on purpose

mod activation;
mod agenda;
mod attendance;
mod auth;
#[cfg(feature = "peer-tests")]
mod cas;
mod discipline;
#[cfg(feature = "peer-tests")]
mod federation;
mod generator;
mod grades;
mod homework;
mod import;
mod messaging;
mod mfa;
mod news;
mod notifications;
#[cfg(feature = "peer-tests")]
mod oidc;
mod ops;
mod recovery;
mod report_cards;
#[cfg(feature = "peer-tests")]
mod saml_idp;
mod tenancy;
mod timetable;
