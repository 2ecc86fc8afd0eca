//! Live signals between nodes: a message published on one node reaches the subscribers of every node.
//! On SQLite (one node by definition) it stays in process; on PostgreSQL it also goes out through
//! NOTIFY and [`PubSub::follow`] brings the other nodes' messages in. Best effort and small (a message
//! is at most a few kilobytes): what must not be lost goes through the outbox, this only says "look
//! again". When the listening connection drops, messages may have been missed: subscribers then hear
//! [`PubSub::EVERYTHING`], meaning anything may have changed.

use std::sync::Arc;

use db::{Db, Heard};
use tokio::sync::broadcast;

/// Messages a slow subscriber may lag behind before it hears [`PubSub::EVERYTHING`] instead.
const BACKLOG: usize = 1024;

/// One named channel of live signals. Cheap to clone.
#[derive(Clone)]
pub struct PubSub {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    channel: String,
    /// This node's mark on what it sends, so it does not hear its own messages twice.
    node: String,
    local: broadcast::Sender<String>,
}

impl PubSub {
    /// What subscribers hear when messages may have been lost.
    pub const EVERYTHING: &'static str = "*";

    /// The channel `channel` (a PostgreSQL identifier: lower-case letters and `_`).
    pub fn new(db: Db, channel: &str) -> PubSub {
        let (local, _) = broadcast::channel(BACKLOG);
        PubSub {
            inner: Arc::new(Inner {
                db,
                channel: channel.to_string(),
                node: uuid::Uuid::now_v7().simple().to_string(),
                local,
            }),
        }
    }

    /// Hears every message from now on, this node's and (once [`follow`](Self::follow) runs) the
    /// others'. A subscriber that lags receives `Err(Lagged)`: treat it as [`Self::EVERYTHING`].
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.inner.local.subscribe()
    }

    /// Sends `message` to the subscribers of every node: at once on this one, through NOTIFY to
    /// the others (PostgreSQL).
    pub async fn publish(&self, message: &str) {
        let _ = self.inner.local.send(message.to_string());
        let wire = format!("{} {message}", self.inner.node);
        if let Err(e) = self.inner.db.notify(&self.inner.channel, &wire).await {
            tracing::warn!(error = %e, channel = %self.inner.channel, "live signal not sent to the other nodes");
        }
    }

    /// Calls `apply` with every message heard, this node's and the others', for the server's life:
    /// [`Self::EVERYTHING`] when some may have been lost (the listening connection dropped, or
    /// `apply` fell [`BACKLOG`] messages behind).
    pub async fn run(&self, mut apply: impl FnMut(&str)) {
        let mut heard = self.subscribe();
        let deliver = async {
            loop {
                match heard.recv().await {
                    Ok(message) => apply(&message),
                    Err(broadcast::error::RecvError::Lagged(_)) => apply(Self::EVERYTHING),
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        };
        // `follow` returns at once on SQLite (one node): keep delivering this node's messages.
        tokio::join!(self.follow(), deliver);
    }

    /// Brings the other nodes' messages to this node's subscribers, for the server's life (returns at
    /// once on SQLite, where there are no other nodes).
    pub async fn follow(&self) {
        loop {
            let mut listener = match self.inner.db.listen(&self.inner.channel).await {
                Ok(Some(l)) => l,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, channel = %self.inner.channel, "cannot listen to live signals");
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    continue;
                }
            };
            // Whatever was sent while nobody listened is unknown.
            let _ = self.inner.local.send(Self::EVERYTHING.to_string());
            loop {
                match listener.next().await {
                    Ok(Heard::Message(m)) => {
                        let (node, message) = m.split_once(' ').unwrap_or(("", m.as_str()));
                        if node != self.inner.node {
                            let _ = self.inner.local.send(message.to_string());
                        }
                    }
                    Ok(Heard::Reconnected) => {
                        let _ = self.inner.local.send(Self::EVERYTHING.to_string());
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, channel = %self.inner.channel, "live signals lost; listening again");
                        break;
                    }
                }
            }
        }
    }
}
