//! The cahier de textes' entry point for pages and other crates: every read and write is checked
//! against the viewer's context and relation to the class, writes run in one transaction with their
//! events (outbox). Homework operations live in `work.rs`, attachments in `files.rs`, the read-only
//! grants in `readers.rs`.

use std::sync::Arc;

use blob::Blobs;
use db::Db;
use directory::model::{Class, Person};
use directory::store::{self as dir, Teaching};
use kernel::{ClassId, Clock, Context, Profile, SchoolId, Timestamp, UserId};
use uuid::Uuid;

pub use crate::files::Upload;
use crate::model::{self, Access, Day, FieldError, Relation};
use crate::store::{self, Entry, EntryKey, FileKind, FileRow, HomeworkRow, LinkRow, NamedClass};

/// The service's failures and refusals: the one type every feature shares.
pub use web::ServiceError as Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Who acts: the signed-in person and the school and profile they act in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub school: SchoolId,
    pub profile: Profile,
}

impl Viewer {
    /// The viewer of a session acting in a school; `NotFound` for the regional administration.
    pub fn of(u: &web::CurrentUser) -> Result<Viewer> {
        match u.context.context {
            Context::School { school, profile } => Ok(Viewer {
                user: u.user_id,
                school,
                profile,
            }),
            Context::RegionAdmin { .. } => Err(Error::NotFound),
        }
    }
}

/// The cahier de textes and homework service. Cheap to clone.
#[derive(Clone)]
pub struct Homework {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) blobs: Blobs,
    /// Who is whose child and in which classes (the directory's copy on this node).
    pub(crate) families: directory::Families,
}

/// An entry with what hangs from it.
pub struct EntryDetail {
    pub entry: Entry,
    pub links: Vec<LinkRow>,
    pub files: Vec<FileRow>,
    pub homework: Vec<HomeworkDetail>,
}

pub struct HomeworkDetail {
    pub hw: HomeworkRow,
    pub links: Vec<LinkRow>,
    pub files: Vec<FileRow>,
}

/// A lesson occurrence as `/cahier/seance` shows it.
pub struct Seance {
    pub editable: bool,
    pub class_name: String,
    pub subject_label: String,
    /// The viewer's own entry (teachers) or everyone's (readers).
    pub entries: Vec<EntryDetail>,
}

/// The lesson occurrence a `/cahier/seance` link names.
#[derive(Debug, Clone)]
pub struct SeanceRef {
    pub class: Uuid,
    pub subject: String,
    pub day: Day,
    pub lesson: Option<Uuid>,
}

/// What `/cahier` offers, by what the viewer is.
#[derive(Default)]
pub struct CahierHome {
    pub today: String,
    pub teachings: Vec<Teaching>,
    /// The student's (or chosen child's) classes and groups.
    pub classes: Vec<Class>,
    pub children: Vec<Person>,
    pub child: Option<Uuid>,
    /// Every class of the school with a log (direction, granted readers).
    pub school_classes: Option<Vec<NamedClass>>,
    pub manage_readers: bool,
}

/// One class's log.
pub struct ClassLog {
    pub class_name: String,
    pub subjects: Vec<(String, String)>,
    pub subject: Option<String>,
    pub entries: Vec<EntryDetail>,
    /// Subjects the viewer writes in for this class.
    pub writable: Vec<String>,
    pub today: String,
}

impl Homework {
    pub fn new(db: Db, clock: Arc<dyn Clock>, blobs: Blobs, families: directory::Families) -> Homework {
        Homework {
            db,
            clock,
            blobs,
            families,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.blobs.max_bytes()
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn today(&self) -> Day {
        Day::of(self.now())
    }

    /// How the viewer stands towards a class (and subject), from the directory and the grants.
    pub(crate) async fn relation(&self, v: &Viewer, class: Uuid, subject: Option<&str>) -> Result<Relation> {
        let mut r = Relation {
            reader: store::is_reader(&self.db, v.school, v.user).await?,
            ..Relation::default()
        };
        match v.profile {
            Profile::Teacher => {
                let taught = dir::subjects_taught(&self.db, v.school, ClassId(class), v.user).await?;
                r.teaches_class = !taught.is_empty();
                r.teaches_subject = subject.is_some_and(|s| taught.iter().any(|t| t == s));
            }
            Profile::Student => {
                r.member = !dir::students_among(&self.db, v.school, ClassId(class), &[v.user.0])
                    .await?
                    .is_empty();
            }
            Profile::Guardian => {
                r.guardian_of_member = !self.children_in_class(v, class).await?.is_empty();
            }
            _ => {}
        }
        Ok(r)
    }

    pub(crate) async fn access(&self, v: &Viewer, class: Uuid, subject: Option<&str>) -> Result<Access> {
        Ok(model::logbook_access(
            v.profile,
            self.relation(v, class, subject).await?,
        ))
    }

    /// The viewer's children who are students of `class` (guardians only).
    pub(crate) async fn children_in_class(&self, v: &Viewer, class: Uuid) -> Result<Vec<Uuid>> {
        if v.profile != Profile::Guardian {
            return Ok(vec![]);
        }
        let children: Vec<Uuid> = self
            .families
            .children_in_school(v.school, v.user)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        Ok(dir::students_among(&self.db, v.school, ClassId(class), &children).await?)
    }

    /// A class's (or group's) current name; `NotFound` when the school has no such class.
    async fn class_name(&self, school: SchoolId, class: Uuid) -> Result<String> {
        match dir::class(&self.db, school, ClassId(class)).await? {
            Some(c) => Ok(c.name),
            None => Err(Error::NotFound),
        }
    }

    /// Entries with their links, files and homework (a few queries for the whole list).
    pub(crate) async fn details(&self, school: SchoolId, entries: Vec<Entry>) -> Result<Vec<EntryDetail>> {
        let ids: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
        let homework = store::homework_of_entries(&self.db, school, &ids).await?;
        let mut parents = ids.clone();
        parents.extend(homework.iter().map(|h| h.id));
        let links = store::links_of(&self.db, school, &parents).await?;
        let files = store::files_of(&self.db, school, &parents).await?;
        let pick_links = |id: Uuid| {
            links
                .iter()
                .filter(|l| l.parent_id == id)
                .cloned()
                .collect::<Vec<_>>()
        };
        let pick_files = |id: Uuid, kind: FileKind| {
            files
                .iter()
                .filter(|f| f.parent_id == id && f.kind == kind.code())
                .cloned()
                .collect::<Vec<_>>()
        };
        Ok(entries
            .into_iter()
            .map(|entry| EntryDetail {
                links: pick_links(entry.id),
                files: pick_files(entry.id, FileKind::Entry),
                homework: homework
                    .iter()
                    .filter(|h| h.entry_id == entry.id)
                    .map(|h| HomeworkDetail {
                        hw: h.clone(),
                        links: pick_links(h.id),
                        files: pick_files(h.id, FileKind::Homework),
                    })
                    .collect(),
                entry,
            })
            .collect())
    }

    /// A lesson occurrence: the teacher's own entry to write, or the entries to read.
    pub async fn seance(&self, v: &Viewer, s: &SeanceRef) -> Result<Seance> {
        let access = self.access(v, s.class, Some(&s.subject)).await?;
        let subject_label = dir::subject_label(&self.db, &s.subject)
            .await?
            .ok_or(Error::NotFound)?;
        if access == Access::Write {
            let key = self.key(v, s);
            let class_name = self.class_name(v.school, s.class).await?;
            let own = store::entry_by_key(&self.db, v.school, &key).await?;
            return Ok(Seance {
                editable: true,
                class_name,
                subject_label,
                entries: self.details(v.school, own.into_iter().collect()).await?,
            });
        }
        if access == Access::None {
            return Err(Error::NotFound);
        }
        let entries =
            store::entries_of_lesson_day(&self.db, v.school, s.class, &s.subject, &s.day.to_string()).await?;
        let Some(first) = entries.first() else {
            return Err(Error::NotFound);
        };
        Ok(Seance {
            editable: false,
            class_name: first.class_name.clone(),
            subject_label,
            entries: self.details(v.school, entries).await?,
        })
    }

    fn key(&self, v: &Viewer, s: &SeanceRef) -> EntryKey {
        EntryKey {
            class_id: s.class,
            subject_code: s.subject.clone(),
            day: s.day.to_string(),
            teacher_id: v.user.0,
        }
    }

    /// The teacher's entry of a lesson occurrence, created if needed (inside `tx`).
    pub(crate) async fn own_entry(
        &self,
        tx: &mut db::Tx,
        v: &Viewer,
        s: &SeanceRef,
        now: Timestamp,
    ) -> Result<(Uuid, String)> {
        if self.access(v, s.class, Some(&s.subject)).await? != Access::Write {
            return Err(self.refusal(v, s.class).await?);
        }
        let key = self.key(v, s);
        if let Some(e) = store::entry_by_key(&self.db, v.school, &key).await? {
            return Ok((e.id, e.class_name));
        }
        let class_name = self.class_name(v.school, s.class).await?;
        let id = kernel::new_id();
        let new = store::NewEntry {
            id,
            key: &key,
            class_name: &class_name,
            lesson_id: s.lesson,
            content: "",
        };
        store::insert_entry(tx, v.school, new, now).await?;
        Ok((id, class_name))
    }

    /// 403 for whoever may read the class but not write there, 404 for everyone else.
    pub(crate) async fn refusal(&self, v: &Viewer, class: Uuid) -> Result<Error> {
        Ok(match self.access(v, class, None).await? {
            Access::None => Error::NotFound,
            _ => Error::Forbidden,
        })
    }

    /// Saves what a lesson covered, its links and new attachments.
    pub async fn save_entry(
        &self,
        v: &Viewer,
        s: &SeanceRef,
        content: &str,
        links: &str,
        uploads: &[Upload],
    ) -> Result<()> {
        let content = content.trim();
        if content.chars().count() > model::MAX_TEXT {
            return Err(FieldError::new("hw-field-content", "hw-problem-too-long").into());
        }
        let links = model::parse_links(links)?;
        if self.access(v, s.class, Some(&s.subject)).await? != Access::Write {
            return Err(self.refusal(v, s.class).await?);
        }
        let files = self.store_uploads(uploads).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (id, _) = self.own_entry(&mut tx, v, s, now).await?;
        store::update_entry(&mut tx, v.school, id, content, s.lesson, now).await?;
        store::replace_links(&mut tx, v.school, id, &links).await?;
        self.record_files(&mut tx, v, (FileKind::Entry, id, None), &files, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `/cahier`: what the viewer may open.
    pub async fn cahier_home(&self, v: &Viewer, child: Option<Uuid>) -> Result<CahierHome> {
        let mut home = CahierHome {
            today: self.today().to_string(),
            ..CahierHome::default()
        };
        match v.profile {
            Profile::Teacher => home.teachings = dir::teachings_of(&self.db, v.school, v.user).await?,
            Profile::Student => home.classes = self.families.classes_of_student(v.school, v.user).await?,
            Profile::Guardian => {
                home.children = self.families.children_in_school(v.school, v.user).await?;
                home.child = pick_child(&home.children, child)?;
                if let Some(c) = home.child {
                    home.classes = self.families.classes_of_student(v.school, UserId(c)).await?;
                }
            }
            _ => {}
        }
        if v.profile == Profile::Direction || store::is_reader(&self.db, v.school, v.user).await? {
            home.school_classes = Some(store::logged_classes(&self.db, v.school).await?);
        }
        home.manage_readers = v.profile == Profile::Direction;
        Ok(home)
    }

    /// A class's log, in one subject or all; past years' classes stay readable by the direction and
    /// granted readers (their name as it was).
    pub async fn class_log(&self, v: &Viewer, class: Uuid, subject: Option<String>) -> Result<ClassLog> {
        if self.access(v, class, None).await? == Access::None {
            return Err(Error::NotFound);
        }
        let class_name = match store::logged_class_name(&self.db, v.school, class).await? {
            Some(n) => n,
            None => self.class_name(v.school, class).await?,
        };
        let writable = if v.profile == Profile::Teacher {
            dir::subjects_taught(&self.db, v.school, ClassId(class), v.user).await?
        } else {
            vec![]
        };
        let entries = store::entries_of_class(&self.db, v.school, class, subject.as_deref()).await?;
        Ok(ClassLog {
            class_name,
            subjects: store::subjects_of_class_log(&self.db, v.school, class).await?,
            subject,
            entries: self.details(v.school, entries).await?,
            writable,
            today: self.today().to_string(),
        })
    }

    /// A student's own work is seen by them, their parents and the teacher who set the homework.
    pub(crate) async fn may_see_work_of(&self, v: &Viewer, h: &HomeworkRow, student: Uuid) -> Result<bool> {
        Ok(match v.profile {
            Profile::Student => v.user.0 == student && self.relation(v, h.class_id, None).await?.member,
            Profile::Guardian => self.children_in_class(v, h.class_id).await?.contains(&student),
            Profile::Teacher => {
                let r = self.relation(v, h.class_id, Some(&h.subject_code)).await?;
                model::may_edit(v.profile, r, h.teacher_id, v.user.0)
            }
            _ => false,
        })
    }
}

/// The child a guardian asked for (one of theirs), or their first.
pub(crate) fn pick_child(children: &[Person], asked: Option<Uuid>) -> Result<Option<Uuid>> {
    match asked {
        Some(id) if children.iter().any(|c| c.id == id) => Ok(Some(id)),
        Some(_) => Err(Error::NotFound),
        None => Ok(children.first().map(|c| c.id)),
    }
}
