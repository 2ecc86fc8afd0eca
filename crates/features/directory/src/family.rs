//! Who is whose child and who is in which class, as each node keeps them for a minute: the timetable,
//! the to-do list and the cahier de textes ask on nearly every page a student or a parent opens, and
//! at 8:00 every student and parent opens one. (The absences and discipline pages still read the
//! directory itself.)
//!
//! The directory's writers — the AAF and CSV imports and the year rollover, which run as commands
//! beside the server — tell every node once they committed ([`Families::changed_everywhere`]:
//! PostgreSQL NOTIFY on [`CHANNEL`]). On SQLite no other process hears it: the server shows their
//! changes within [`TTL_MS`], as it does for the region generator everywhere.

use std::sync::Arc;

use db::Db;
use kernel::{Clock, SchoolId, UserId};

use crate::model::{Class, Person};
use crate::store;

/// How long a node answers from memory without news from the database (application clock, ms).
pub const TTL_MS: i64 = 60_000;

/// The live channel on which the directory's writers tell the nodes that it changed.
pub const CHANNEL: &str = "directory_families";

/// Entries kept at most: a person's children or classes take a few hundred bytes, so about 20 MB.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone, PartialEq, Eq, Hash)]
enum Ask {
    Children(UserId),
    Classes(UserId),
}

#[derive(Clone)]
enum Answer {
    Children(Arc<[Person]>),
    Classes(Arc<[Class]>),
}

/// A node's copy of the directory's family relations and class lists. Cheap to clone.
#[derive(Clone)]
pub struct Families {
    db: Db,
    clock: Arc<dyn Clock>,
    cache: bus::SchoolCache<Ask, Answer>,
}

impl Families {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Families {
        Families {
            cache: bus::SchoolCache::new(db.clone(), CHANNEL, TTL_MS, MAX_ENTRIES),
            db,
            clock,
        }
    }

    /// A guardian's children who study in `school` (in one of its classes), by first name.
    pub async fn children_in_school(&self, school: SchoolId, guardian: UserId) -> db::Result<Vec<Person>> {
        let read = async || {
            Ok(Answer::Children(
                store::children_in_school(&self.db, school, guardian)
                    .await?
                    .into(),
            ))
        };
        // Each question is kept with its own kind of answer: the other arm does not happen.
        match self.ask(school, Ask::Children(guardian), read).await? {
            Answer::Children(children) => Ok(children.to_vec()),
            Answer::Classes(_) => Ok(vec![]),
        }
    }

    /// The classes and groups a student belongs to in `school`, classes first.
    pub async fn classes_of_student(&self, school: SchoolId, student: UserId) -> db::Result<Vec<Class>> {
        let read = async || {
            Ok(Answer::Classes(
                store::classes_of_student(&self.db, school, student).await?.into(),
            ))
        };
        match self.ask(school, Ask::Classes(student), read).await? {
            Answer::Classes(classes) => Ok(classes.to_vec()),
            Answer::Children(_) => Ok(vec![]),
        }
    }

    async fn ask(
        &self,
        school: SchoolId,
        ask: Ask,
        read: impl AsyncFnOnce() -> db::Result<Answer>,
    ) -> db::Result<Answer> {
        self.cache
            .get_or_read(school, ask, self.clock.now().millis(), read)
            .await
    }

    /// Tells every node that the directory changed (after the transaction that changed it committed).
    pub async fn changed_everywhere(&self) {
        self.cache.changed_everywhere().await;
    }

    /// Keeps this node's copy in step with the directory's writers, for the server's life.
    pub async fn follow(&self) {
        self.cache.follow().await;
    }
}
