//! Sessions held in memory for a short while, so that a page view neither reads nor writes a database
//! row to learn who is asking: the session, the person and their contexts are loaded once, then served
//! from here until `ttl` has passed (the person's name or a lost context show within that time).
//!
//! Ending a session (sign-out, a password reset, a context switch, the second factor) forgets it here
//! and tells the other nodes through the database's NOTIFY channel [`CHANNEL`], so no node keeps
//! honouring a session that ended elsewhere. The idle clock runs in memory and reaches the database at
//! most once every few minutes ([`touch_interval_ms`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use kernel::UserId;
use web::ContextChoice;

use crate::store::SessionRow;

/// The NOTIFY channel on which nodes tell each other which sessions to forget.
pub const CHANNEL: &str = "ardoise_sessions";

/// What a session resolves to, apart from the per-request bits.
#[derive(Debug)]
pub(crate) struct Person {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub choices: Vec<ContextChoice>,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The session as stored, with `last_seen_at` moved forward in memory on every request.
    pub row: SessionRow,
    pub person: Arc<Person>,
    pub csrf_token: Arc<str>,
    /// When this entry was read from the database (ms).
    loaded_at: i64,
    /// The `last_seen_at` the database holds.
    pub stored_seen_at: i64,
}

impl Entry {
    pub fn new(row: SessionRow, person: Person, csrf_token: String, now: i64) -> Entry {
        Entry {
            stored_seen_at: row.last_seen_at,
            row,
            person: Arc::new(person),
            csrf_token: csrf_token.into(),
            loaded_at: now,
        }
    }
}

pub(crate) struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    ttl_ms: i64,
    capacity: usize,
    /// Off while a node of several cannot hear the others' session ends (see `follow_sessions`).
    enabled: AtomicBool,
}

/// How often a session's idle clock is written back: a twelfth of its idle time, between one and
/// five minutes (a two-hour session writes at most every five minutes, however busy).
pub(crate) fn touch_interval_ms(idle_secs: i64) -> i64 {
    (idle_secs * 1000 / 12).clamp(60_000, 300_000)
}

impl SessionCache {
    pub fn new(ttl_secs: i64, capacity: usize, enabled: bool) -> SessionCache {
        SessionCache {
            entries: Mutex::default(),
            ttl_ms: ttl_secs.max(0) * 1000,
            capacity,
            enabled: AtomicBool::new(enabled),
        }
    }

    /// Turns caching on or off; turning it off forgets everything.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::SeqCst);
        if !enabled {
            self.clear();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves a map that is still consistent: keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The session `hash` if it was loaded less than the time-to-live ago.
    pub fn get(&self, hash: &str, now: i64) -> Option<Entry> {
        if !self.enabled.load(Ordering::Relaxed) {
            return None;
        }
        let entries = self.lock();
        let entry = entries.get(hash)?;
        (now - entry.loaded_at < self.ttl_ms).then(|| entry.clone())
    }

    /// The profile the session acts in, if this node holds it, however old (for admission priorities).
    pub fn peek_profile(&self, hash: &str) -> Option<kernel::Profile> {
        self.lock().get(hash)?.row.context()?.profile()
    }

    pub fn put(&self, hash: String, entry: Entry) {
        if self.ttl_ms == 0 || !self.enabled.load(Ordering::Relaxed) {
            return;
        }
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            let ttl = self.ttl_ms;
            let now = entry.loaded_at;
            entries.retain(|_, e| now - e.loaded_at < ttl);
            if entries.len() >= self.capacity {
                return;
            }
        }
        entries.insert(hash, entry);
    }

    /// Records a request of the session at `now`; `stored` when the database was told too.
    pub fn seen(&self, hash: &str, now: i64, stored: bool) {
        if let Some(entry) = self.lock().get_mut(hash) {
            entry.row.last_seen_at = entry.row.last_seen_at.max(now);
            if stored {
                entry.stored_seen_at = now;
            }
        }
    }

    pub fn forget(&self, hash: &str) {
        self.lock().remove(hash);
    }

    pub fn forget_user(&self, user: UserId) {
        self.lock().retain(|_, e| e.row.user_id != user.0);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Drops the entries past their time-to-live (run periodically).
    pub fn sweep(&self, now: i64) {
        let ttl = self.ttl_ms;
        self.lock().retain(|_, e| now - e.loaded_at < ttl);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A message on [`CHANNEL`]: `s:<hash>` forgets one session, `u:<user id>` all of a person's.
pub(crate) fn message_for_session(hash: &str) -> String {
    format!("s:{hash}")
}

pub(crate) fn message_for_user(user: UserId) -> String {
    format!("u:{}", user.0)
}

impl SessionCache {
    /// Applies a message heard on [`CHANNEL`]; unknown messages are ignored.
    pub fn apply(&self, message: &str) {
        if let Some(hash) = message.strip_prefix("s:") {
            self.forget(hash);
        } else if let Some(user) = message
            .strip_prefix("u:")
            .and_then(|u| uuid::Uuid::parse_str(u).ok())
        {
            self.forget_user(UserId(user));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: uuid::Uuid, seen: i64) -> SessionRow {
        SessionRow {
            user_id: user,
            context_school: None,
            context_profile: None,
            context_region: None,
            created_at: 0,
            last_seen_at: seen,
            expires_at: 1_000_000_000,
            mfa_pending: false,
            second_factor_at: None,
        }
    }

    fn person() -> Person {
        Person {
            login: "l".into(),
            first_name: "f".into(),
            last_name: "n".into(),
            choices: vec![],
        }
    }

    #[test]
    fn entries_live_for_the_ttl_then_are_read_again() {
        let cache = SessionCache::new(60, 10, true);
        let user = uuid::Uuid::now_v7();
        cache.put("h".into(), Entry::new(row(user, 0), person(), "t".into(), 1_000));
        assert!(cache.get("h", 60_999).is_some());
        assert!(cache.get("h", 61_000).is_none(), "stale after 60 s");
        cache.sweep(61_000);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn forgetting_by_session_and_by_person_and_by_message() {
        let cache = SessionCache::new(60, 10, true);
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        for (hash, user) in [("a1", a), ("a2", a), ("b1", b)] {
            cache.put(hash.into(), Entry::new(row(user, 0), person(), "t".into(), 0));
        }
        cache.apply(&message_for_session("b1"));
        assert!(cache.get("b1", 0).is_none() && cache.get("a1", 0).is_some());
        cache.apply(&message_for_user(UserId(a)));
        assert_eq!(cache.len(), 0);
        cache.apply("nonsense"); // ignored
    }

    #[test]
    fn the_idle_clock_moves_in_memory_and_records_what_was_stored() {
        let cache = SessionCache::new(60, 10, true);
        cache.put(
            "h".into(),
            Entry::new(row(uuid::Uuid::now_v7(), 5), person(), "t".into(), 5),
        );
        cache.seen("h", 50, false);
        let e = cache.get("h", 50).unwrap();
        assert_eq!((e.row.last_seen_at, e.stored_seen_at), (50, 5));
        cache.seen("h", 70, true);
        assert_eq!(cache.get("h", 70).unwrap().stored_seen_at, 70);
    }

    #[test]
    fn a_full_cache_makes_room_from_stale_entries_or_skips() {
        let cache = SessionCache::new(60, 2, true);
        let u = uuid::Uuid::now_v7();
        cache.put("a".into(), Entry::new(row(u, 0), person(), "t".into(), 0));
        cache.put("b".into(), Entry::new(row(u, 0), person(), "t".into(), 30_000));
        cache.put("c".into(), Entry::new(row(u, 0), person(), "t".into(), 61_000));
        assert!(cache.get("a", 61_000).is_none() && cache.get("c", 61_000).is_some());
        cache.put("d".into(), Entry::new(row(u, 0), person(), "t".into(), 62_000));
        assert!(
            cache.get("d", 62_000).is_none(),
            "full of live entries: not cached"
        );
    }

    #[test]
    fn a_disabled_cache_holds_nothing() {
        let cache = SessionCache::new(60, 10, false);
        cache.put(
            "h".into(),
            Entry::new(row(uuid::Uuid::now_v7(), 0), person(), "t".into(), 0),
        );
        assert!(cache.get("h", 0).is_none());
        cache.set_enabled(true);
        cache.put(
            "h".into(),
            Entry::new(row(uuid::Uuid::now_v7(), 0), person(), "t".into(), 0),
        );
        assert!(cache.get("h", 0).is_some());
        cache.set_enabled(false);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn touch_intervals_follow_the_idle_time() {
        assert_eq!(touch_interval_ms(7200), 300_000);
        assert_eq!(touch_interval_ms(1800), 150_000);
        assert_eq!(touch_interval_ms(60), 60_000);
    }
}
