//! Cross-node signals through PostgreSQL's LISTEN/NOTIFY: small, best-effort messages every node of a
//! region hears (a session ended, a cache entry to forget). SQLite is one node by definition: there,
//! `notify` does nothing and `listen` gives no listener.

use sqlx::postgres::PgListener;

use crate::{Db, Result};

/// What a listener hears.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    /// A message sent with [`Db::notify`] on the channel.
    Message(String),
    /// The connection dropped and was opened again: messages sent meanwhile are lost, so whatever the
    /// listener keeps in step with them must start afresh.
    Reconnected,
}

/// A connection that receives the messages of one channel.
pub struct Listener(PgListener);

impl Listener {
    /// Waits for the next message (or a reconnection).
    pub async fn next(&mut self) -> Result<Heard> {
        Ok(match self.0.try_recv().await? {
            Some(n) => Heard::Message(n.payload().to_string()),
            None => Heard::Reconnected,
        })
    }
}

impl Db {
    /// Sends `payload` to every node listening on `channel` (PostgreSQL only; delivered after commit,
    /// at most 8,000 bytes).
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<()> {
        if let Db::Postgres(pool) = self {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(payload)
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Listens on `channel` over a connection of its own; `None` on SQLite (a single node).
    pub async fn listen(&self, channel: &str) -> Result<Option<Listener>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(channel).await?;
                Ok(Some(Listener(listener)))
            }
        }
    }
}
