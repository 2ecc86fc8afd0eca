//! Each class's weekly lessons, kept in memory on every node: a student's or a parent's week is then
//! read without the lessons' five-table join, the timetable's most asked query (every student and
//! parent at 8:00, P7 in the load model).
//!
//! A class's lessons change when the school imports its timetable or adds a lesson; the node that
//! writes forgets the school's classes at once and tells the others through [`bus::PubSub`] (PostgreSQL
//! NOTIFY), as the session cache does. What is written elsewhere — the year rollover's deletions, a
//! teacher's or a class's new name from the directory import — shows once the copy is older than
//! [`TTL_MS`]. The week's changes (cancelled, substitute, room) are not kept here: they are read with
//! every page.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use kernel::SchoolId;
use uuid::Uuid;

use crate::model::Lesson;

/// How long a class's lessons are served from memory without news from the database, in
/// milliseconds of the application's clock.
pub const TTL_MS: i64 = 60_000;

/// The live channel on which nodes tell each other that a school's lessons changed.
pub const CHANNEL: &str = "timetable_lessons";

/// Classes kept at most. A class's thirty-odd lessons take about 10 kB (more after a few imports),
/// so this bounds the cache near 100 MB. What a node needs is the classes looked at on it within
/// [`TTL_MS`]; past the bound it drops the stale copies, then everything.
const MAX_ENTRIES: usize = 10_000;

type Entries = HashMap<(SchoolId, Uuid), (i64, Arc<[Lesson]>)>;

#[derive(Clone, Default)]
pub struct LessonCache {
    entries: Arc<Mutex<Entries>>,
    /// Counts the forgets: a copy read from the database while one happened is not kept.
    generation: Arc<AtomicU64>,
}

impl LessonCache {
    /// The class's lessons, every validity period, if read less than [`TTL_MS`] ago.
    pub fn get(&self, school: SchoolId, class: Uuid, now_ms: i64) -> Option<Arc<[Lesson]>> {
        let entries = self.entries.lock().ok()?;
        let (at, lessons) = entries.get(&(school, class))?;
        (now_ms - at < TTL_MS).then(|| lessons.clone())
    }

    /// What to hand back to [`Self::put`] with a copy read from the database after this call.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps the copy read since `generation`, unless the school's lessons were forgotten meanwhile
    /// (the copy may then predate the change).
    pub fn put(
        &self,
        school: SchoolId,
        class: Uuid,
        lessons: Arc<[Lesson]>,
        generation: u64,
        read_at_ms: i64,
    ) {
        if let Ok(mut entries) = self.entries.lock() {
            if self.generation.load(Ordering::Acquire) != generation {
                return;
            }
            if entries.len() >= MAX_ENTRIES {
                // Copies too old to be served go first; if every copy is fresh, start again empty.
                entries.retain(|_, (at, _)| read_at_ms - *at < TTL_MS);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert((school, class), (read_at_ms, lessons));
        }
    }

    pub fn forget_school(&self, school: SchoolId) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.retain(|(s, _), _| *s != school);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }

    /// Applies a message of [`CHANNEL`]: a school's id, or anything else (the channel's "everything
    /// may have changed") to forget every school.
    pub fn apply(&self, message: &str) {
        match message.parse::<Uuid>() {
            Ok(school) => self.forget_school(SchoolId(school)),
            Err(_) => self.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_forgets_its_school_and_anything_else_forgets_all() {
        let cache = LessonCache::default();
        let (a, b) = (SchoolId(Uuid::now_v7()), SchoolId(Uuid::now_v7()));
        let class = Uuid::now_v7();
        cache.put(a, class, Arc::from(vec![]), cache.generation(), 0);
        cache.put(b, class, Arc::from(vec![]), cache.generation(), 0);
        cache.apply(&a.0.to_string());
        assert!(cache.get(a, class, 1).is_none());
        assert!(cache.get(b, class, 1).is_some());
        cache.apply("*");
        assert!(cache.get(b, class, 1).is_none());
    }

    #[test]
    fn a_copy_older_than_the_ttl_is_not_served() {
        let cache = LessonCache::default();
        let school = SchoolId(Uuid::now_v7());
        let class = Uuid::now_v7();
        cache.put(school, class, Arc::from(vec![]), cache.generation(), 1_000);
        assert!(cache.get(school, class, 1_000 + TTL_MS - 1).is_some());
        assert!(cache.get(school, class, 1_000 + TTL_MS).is_none());
    }

    #[test]
    fn a_full_cache_drops_its_stale_copies_first() {
        let cache = LessonCache::default();
        let school = SchoolId(Uuid::now_v7());
        let fresh = Uuid::now_v7();
        cache.put(school, fresh, Arc::from(vec![]), cache.generation(), TTL_MS);
        for _ in 1..MAX_ENTRIES {
            cache.put(school, Uuid::now_v7(), Arc::from(vec![]), cache.generation(), 0);
        }
        let newcomer = Uuid::now_v7();
        cache.put(
            school,
            newcomer,
            Arc::from(vec![]),
            cache.generation(),
            TTL_MS + 1,
        );
        assert!(
            cache.get(school, fresh, TTL_MS + 1).is_some(),
            "a fresh copy was dropped"
        );
        assert!(cache.get(school, newcomer, TTL_MS + 1).is_some());
        assert_eq!(cache.entries.lock().map(|e| e.len()).unwrap_or(0), 2);
    }

    #[test]
    fn a_copy_read_while_the_school_changed_is_not_kept() {
        let cache = LessonCache::default();
        let school = SchoolId(Uuid::now_v7());
        let class = Uuid::now_v7();
        let before = cache.generation();
        cache.forget_school(school); // an import commits while the copy is being read
        cache.put(school, class, Arc::from(vec![]), before, 0);
        assert!(cache.get(school, class, 1).is_none());
        cache.put(school, class, Arc::from(vec![]), cache.generation(), 0);
        assert!(cache.get(school, class, 1).is_some());
    }
}
