//! A node's copy of what a school's pages read most (a class's lessons, a parent's children), kept
//! for at most a set time and forgotten on every node at once when the school's data changes.
//!
//! The process that writes calls [`SchoolCache::changed`] (or [`SchoolCache::changed_everywhere`])
//! after its transaction commits: this node forgets the school's copies at once, the others when they
//! hear it through PostgreSQL NOTIFY. What is
//! written without telling shows once the copies are older than the cache's time to live. A copy read
//! from the database while a change was being told is not kept, so it cannot hide the change.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use db::Db;
use kernel::SchoolId;
use uuid::Uuid;

use crate::PubSub;

/// Copies of `V` by school and `K`, each with the time it was read (application clock, ms).
#[derive(Clone)]
pub struct SchoolCache<K, V> {
    copies: Arc<Copies<K, V>>,
    changes: PubSub,
}

impl<K: Eq + Hash + Clone, V: Clone> SchoolCache<K, V> {
    /// A cache whose copies are served for `ttl_ms`, holding at most `max_entries`, told of changes on
    /// the live channel `channel` (a PostgreSQL identifier).
    pub fn new(db: Db, channel: &str, ttl_ms: i64, max_entries: usize) -> Self {
        SchoolCache {
            copies: Arc::new(Copies::new(ttl_ms, max_entries)),
            changes: PubSub::new(db, channel),
        }
    }

    /// The copy of `key` in `school`, or what `read` gives (then kept), read at `now_ms`.
    pub async fn get_or_read<E, F>(&self, school: SchoolId, key: K, now_ms: i64, read: F) -> Result<V, E>
    where
        F: AsyncFnOnce() -> Result<V, E>,
    {
        if let Some(copy) = self.copies.get(school, &key, now_ms) {
            return Ok(copy);
        }
        let generation = self.copies.generation();
        let value = read().await?;
        self.copies.put(school, key, value.clone(), generation, now_ms);
        Ok(value)
    }

    /// Tells every node that the school's data changed (after the transaction that changed it
    /// committed): this node forgets its copies at once, the others when they hear it.
    pub async fn changed(&self, school: SchoolId) {
        self.copies.forget_school(school);
        self.changes.publish(&school.0.to_string()).await;
    }

    /// Tells every node that any school's data may have changed (a write across schools: the
    /// directory import, the year rollover).
    pub async fn changed_everywhere(&self) {
        self.copies.clear();
        self.changes.publish(PubSub::EVERYTHING).await;
    }

    /// Keeps this node's copies in step with the other processes' changes, for the server's life
    /// (PostgreSQL; on SQLite, one node, it only hears its own).
    pub async fn follow(&self) {
        self.changes.run(|m| self.copies.apply(m)).await;
    }
}

type Entries<K, V> = HashMap<(SchoolId, K), (i64, V)>;

struct Copies<K, V> {
    entries: Mutex<Entries<K, V>>,
    /// Counts the forgets: a copy read from the database while one happened is not kept.
    generation: AtomicU64,
    ttl_ms: i64,
    max_entries: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Copies<K, V> {
    fn new(ttl_ms: i64, max_entries: usize) -> Self {
        Copies {
            entries: Mutex::default(),
            generation: AtomicU64::new(0),
            ttl_ms,
            max_entries,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<K, V>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, school: SchoolId, key: &K, now_ms: i64) -> Option<V> {
        let entries = self.lock();
        let (at, value) = entries.get(&(school, key.clone()))?;
        (now_ms - at < self.ttl_ms).then(|| value.clone())
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a copy read since `generation`, unless a school was forgotten meanwhile (the copy may
    /// then predate the change).
    fn put(&self, school: SchoolId, key: K, value: V, generation: u64, read_at_ms: i64) {
        let mut entries = self.lock();
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= self.max_entries {
            // Copies too old to be served go first; if every copy is fresh, start again empty.
            let ttl = self.ttl_ms;
            entries.retain(|_, (at, _)| read_at_ms - *at < ttl);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert((school, key), (read_at_ms, value));
    }

    fn forget_school(&self, school: SchoolId) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|(s, _), _| *s != school);
    }

    fn clear(&self) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// A school's id forgets that school; anything else (the channel's "everything may have
    /// changed") every school.
    fn apply(&self, message: &str) {
        match message.parse::<Uuid>() {
            Ok(school) => self.forget_school(SchoolId(school)),
            Err(_) => self.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: i64 = 60_000;

    fn copies(max: usize) -> Copies<Uuid, u32> {
        Copies::new(TTL, max)
    }

    #[test]
    fn a_message_forgets_its_school_and_anything_else_forgets_all() {
        let cache = copies(10);
        let (a, b) = (SchoolId(Uuid::now_v7()), SchoolId(Uuid::now_v7()));
        let key = Uuid::now_v7();
        cache.put(a, key, 1, cache.generation(), 0);
        cache.put(b, key, 2, cache.generation(), 0);
        cache.apply(&a.0.to_string());
        assert_eq!(cache.get(a, &key, 1), None);
        assert_eq!(cache.get(b, &key, 1), Some(2));
        cache.apply(PubSub::EVERYTHING);
        assert_eq!(cache.get(b, &key, 1), None);
    }

    #[test]
    fn a_copy_older_than_the_ttl_is_not_served() {
        let cache = copies(10);
        let school = SchoolId(Uuid::now_v7());
        let key = Uuid::now_v7();
        cache.put(school, key, 1, cache.generation(), 1_000);
        assert_eq!(cache.get(school, &key, 1_000 + TTL - 1), Some(1));
        assert_eq!(cache.get(school, &key, 1_000 + TTL), None);
    }

    #[test]
    fn a_full_cache_drops_its_stale_copies_first() {
        let max = 100;
        let cache = copies(max);
        let school = SchoolId(Uuid::now_v7());
        let fresh = Uuid::now_v7();
        cache.put(school, fresh, 1, cache.generation(), TTL);
        for _ in 1..max {
            cache.put(school, Uuid::now_v7(), 0, cache.generation(), 0);
        }
        let newcomer = Uuid::now_v7();
        cache.put(school, newcomer, 2, cache.generation(), TTL + 1);
        assert_eq!(
            cache.get(school, &fresh, TTL + 1),
            Some(1),
            "a fresh copy was dropped"
        );
        assert_eq!(cache.get(school, &newcomer, TTL + 1), Some(2));
        assert_eq!(cache.lock().len(), 2);
    }

    #[test]
    fn a_copy_read_while_the_school_changed_is_not_kept() {
        let cache = copies(10);
        let school = SchoolId(Uuid::now_v7());
        let key = Uuid::now_v7();
        let before = cache.generation();
        cache.forget_school(school); // a change is told while the copy is being read
        cache.put(school, key, 1, before, 0);
        assert_eq!(cache.get(school, &key, 1), None);
        cache.put(school, key, 1, cache.generation(), 0);
        assert_eq!(cache.get(school, &key, 1), Some(1));
    }
}
