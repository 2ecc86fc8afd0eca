//! Storage for every Ardoise crate: one `Db` over SQLite (embedded default) or PostgreSQL (production).
//!
//! Queries are built once with sea-query and executed through sqlx on whichever engine was chosen from the
//! URL at start-up. Engine-specific hot paths (bulk loading) live behind one function each.

mod bulk;
mod error;
mod exec;
mod migrate;
mod notify;
pub mod schema;
pub mod testing;

pub use bulk::Cell;
pub use error::Error;
pub use exec::{Db, Row, Tx};

/// A boxed future answering from the database: what the traits joining two features return (they
/// stay object-safe, and the server wires one feature into another through them).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;
pub use notify::{Heard, Listener};
pub use sea_query;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which database engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}
