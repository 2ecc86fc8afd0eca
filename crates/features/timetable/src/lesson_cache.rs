//! Each class's weekly lessons, kept in memory on every node: a student's or a parent's week is then
//! read without the lessons' five-table join, the timetable's most asked query (every student and
//! parent at 8:00, P7 in the load model).
//!
//! A class's lessons change when the school imports its timetable or adds a lesson; the node that
//! writes forgets the school's classes at once and tells the others ([`bus::SchoolCache`], PostgreSQL
//! NOTIFY), as the session cache does. What is written elsewhere — the year rollover's deletions, a
//! teacher's or a class's new name from the directory import — shows once the copy is older than
//! [`TTL_MS`]. The week's changes (cancelled, substitute, room) are not kept here: they are read with
//! every page.

use std::sync::Arc;

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

/// Each class's lessons, every validity period, by school and class.
pub type LessonCache = bus::SchoolCache<Uuid, Arc<[Lesson]>>;

pub fn new(db: db::Db) -> LessonCache {
    bus::SchoolCache::new(db, CHANNEL, TTL_MS, MAX_ENTRIES)
}
