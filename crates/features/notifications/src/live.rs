//! The live side of the unread counters: each node keeps, for the people who have a page open on it, a
//! watch that the server-sent events stream of [`crate::pages`] waits on. A delivery (on any node)
//! announces the people whose feed changed through the bus's [`bus::PubSub`]; each node wakes its
//! watchers of those people, whose streams read the new count. One task per node reads the channel,
//! so a fan-out to 90 people costs one lookup per person, not one per open stream.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;
use uuid::Uuid;

/// The NOTIFY channel of the counters.
pub const CHANNEL: &str = "ardoise_notifications";

/// People per message: 36-character ids stay well under NOTIFY's 8,000 bytes.
const PER_MESSAGE: usize = 150;

pub(crate) struct Live {
    pubsub: bus::PubSub,
    watchers: Mutex<HashMap<Uuid, watch::Sender<u64>>>,
    opened: AtomicU64,
    /// Set when the server stops: every stream ends, so a graceful shutdown does not wait for them.
    closing: watch::Sender<bool>,
}

impl Live {
    pub fn new(db: db::Db) -> Live {
        Live {
            pubsub: bus::PubSub::new(db, CHANNEL),
            watchers: Mutex::default(),
            opened: AtomicU64::new(0),
            closing: watch::channel(false).0,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, watch::Sender<u64>>> {
        self.watchers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What a stream of `user`'s waits on: it changes whenever their feed may have.
    pub fn watch(&self, user: Uuid) -> watch::Receiver<u64> {
        let mut watchers = self.lock();
        // Now and then, forget the people whose pages are all closed.
        if self.opened.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            watchers.retain(|_, w| w.receiver_count() > 0);
        }
        watchers
            .entry(user)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    fn wake(&self, users: impl Iterator<Item = Uuid>) {
        let mut watchers = self.lock();
        for user in users {
            if let Some(w) = watchers.get(&user) {
                if w.receiver_count() == 0 {
                    watchers.remove(&user);
                } else {
                    w.send_modify(|n| *n = n.wrapping_add(1));
                }
            }
        }
    }

    fn wake_all(&self) {
        let mut watchers = self.lock();
        watchers.retain(|_, w| w.receiver_count() > 0);
        for w in watchers.values() {
            w.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Tells every node that the feeds of `users` changed.
    pub async fn announce(&self, users: &[Uuid]) {
        for chunk in users.chunks(PER_MESSAGE) {
            let message: Vec<String> = chunk.iter().map(|u| u.simple().to_string()).collect();
            self.pubsub.publish(&message.join(" ")).await;
        }
    }

    /// Wakes this node's watchers as announcements arrive, from this node and (PostgreSQL) the
    /// others. Runs for the server's life.
    pub async fn run(&self) {
        self.pubsub
            .run(|m| {
                if m == bus::PubSub::EVERYTHING {
                    self.wake_all()
                } else {
                    self.wake(m.split(' ').filter_map(|u| u.parse().ok()))
                }
            })
            .await;
    }
}
