//! Each class's weekly lessons, and the school's changes of the days asked (cancelled, substitute,
//! room), kept in memory on every node: a student's or a parent's week is then read without the
//! lessons' five-table join, the timetable's most asked query (every student and parent at 8:00, P7 in
//! the load model), nor the changes.
//!
//! A class's lessons change when the school imports its timetable or adds a lesson, and an occurrence
//! when the vie scolaire changes it; the node that writes forgets the school's copies at once and tells
//! the others ([`bus::SchoolCache`], PostgreSQL NOTIFY), as the session cache does. What is written
//! elsewhere — the year rollover's deletions, a teacher's or a class's new name from the directory
//! import — shows once the copy is older than [`TTL_MS`].

use std::sync::Arc;

use jiff::civil::Date;
use uuid::Uuid;

use crate::model::{Change, Lesson};

/// How long a copy is served from memory without news from the database, in milliseconds of the
/// application's clock.
pub const TTL_MS: i64 = 60_000;

/// The live channel on which nodes tell each other that a school's lessons or changes changed.
pub const CHANNEL: &str = "timetable_lessons";

/// Copies kept at most. A class's thirty-odd lessons take about 10 kB (more after a few imports),
/// a school's changes of a week a few kB, so this bounds the cache near 100 MB. What a node needs is
/// what was looked at on it within [`TTL_MS`]; past the bound it drops the stale copies, then
/// everything.
const MAX_ENTRIES: usize = 10_000;

/// What is kept, by school.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A class's lessons, every validity period.
    Lessons(Uuid),
    /// The school's changes from one day to another, both included.
    Changes(Date, Date),
}

/// What is kept for a key: a class's lessons for [`Key::Lessons`], the school's changes for
/// [`Key::Changes`].
#[derive(Clone)]
pub enum Kept {
    Lessons(Arc<[Lesson]>),
    Changes(Arc<[Change]>),
}

pub type LessonCache = bus::SchoolCache<Key, Kept>;

pub fn new(db: db::Db) -> LessonCache {
    bus::SchoolCache::new(db, CHANNEL, TTL_MS, MAX_ENTRIES)
}
