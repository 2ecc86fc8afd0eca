//! The timetable's entry point for pages and other crates: every read is checked against the viewer,
//! every change is written with its outbox event in one transaction.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use db::Db;
use jiff::civil::Date;
use kernel::{Clock, Profile, SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;
use web::{AppError, Msg};

use crate::calendar::{Calendar, WeekKind, add_days};
use crate::lesson_cache::{self, Kept, Key, LessonCache};
use crate::model::{self, Occurrence, Relation, Whose};
use crate::store;

/// A person as the directory names them.
pub use directory::model::Person;

/// Who is reading: the signed-in person and the context they act in (the directory's).
pub use directory::service::Viewer;

/// What the cahier de textes knows of lesson occurrences (content entered, homework due), shown on the
/// timetable. The homework feature provides it; the server wires it in.
pub trait LessonMarks: Send + Sync {
    fn marks<'a>(
        &'a self,
        school: SchoolId,
        class_ids: Vec<Uuid>,
        from: Date,
        to: Date,
    ) -> Pin<Box<dyn Future<Output = Vec<Mark>> + Send + 'a>>;
}

/// One lesson occurrence's marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub lesson_id: Uuid,
    pub day: Date,
    pub has_content: bool,
    pub homework_due: u32,
}

/// Days of a timetable, with their lessons.
pub struct DayView {
    pub day: Date,
    pub holiday: Option<String>,
    pub occurrences: Vec<Occurrence>,
}

pub struct Period {
    pub days: Vec<DayView>,
    pub week_kind: Option<WeekKind>,
}

impl Period {
    /// The occurrences that changed, for the notice at the top of the page.
    pub fn changes(&self) -> Vec<&Occurrence> {
        self.days
            .iter()
            .flat_map(|d| d.occurrences.iter())
            .filter(|o| o.changed())
            .collect()
    }
}

/// Calendars read, by school and school year, with when they were read.
type CalendarCache = HashMap<(SchoolId, i16), (Timestamp, Arc<Calendar>)>;

/// How long a school's calendar is kept in memory (it changes once a year).
const CALENDAR_TTL_MS: i64 = 5 * 60 * 1000;

#[derive(Clone)]
pub struct Timetable {
    db: Db,
    clock: Arc<dyn Clock>,
    marks: Option<Arc<dyn LessonMarks>>,
    public_url: Arc<str>,
    calendars: Arc<Mutex<CalendarCache>>,
    /// Each class's lessons and the school's changes of the days asked (see [`lesson_cache`]).
    lessons: LessonCache,
    /// Who is whose child and in which classes (the directory's copy on this node).
    families: directory::Families,
}

impl Timetable {
    pub fn new(db: Db, clock: Arc<dyn Clock>, families: directory::Families) -> Timetable {
        Timetable {
            families,
            lessons: lesson_cache::new(db.clone()),
            db,
            clock,
            marks: None,
            public_url: Arc::from(""),
            calendars: Arc::default(),
        }
    }

    pub fn with_marks(mut self, marks: Arc<dyn LessonMarks>) -> Timetable {
        self.marks = Some(marks);
        self
    }

    /// The address people reach Ardoise at, for the links they copy elsewhere (calendar feeds).
    pub fn with_public_url(mut self, url: &str) -> Timetable {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Today in the schools' time zone.
    pub fn today(&self) -> Date {
        civil_day(self.clock.now())
    }

    pub async fn calendar(&self, school: SchoolId, day: Date) -> Result<Arc<Calendar>, db::Error> {
        let year = Calendar::year_of(day);
        let now = self.clock.now();
        if let Ok(cache) = self.calendars.lock()
            && let Some((at, c)) = cache.get(&(school, year))
            && now.0 - at.0 < CALENDAR_TTL_MS
        {
            return Ok(c.clone());
        }
        let c = Arc::new(store::calendar(&self.db, school, day).await?);
        if let Ok(mut cache) = self.calendars.lock() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert((school, year), (now, c.clone()));
        }
        Ok(c)
    }

    /// Gives the school its own calendar. Other nodes see it when their cached copy expires (minutes).
    pub async fn set_calendar(&self, school: SchoolId, calendar: &Calendar) -> Result<(), db::Error> {
        let mut tx = self.db.begin().await?;
        store::set_calendar(&mut tx, school, calendar).await?;
        tx.commit().await?;
        if let Ok(mut cache) = self.calendars.lock() {
            cache.retain(|(s, _), _| *s != school);
        }
        Ok(())
    }

    /// The lessons of `whose` that may fall between `from` and `to`. A student's and a class's come
    /// from this node's copy of each class's lessons (one query for the student's classes); a
    /// teacher's and a room's, which gather lessons of many classes and those changed to them, from the
    /// database.
    async fn lessons_of(
        &self,
        school: SchoolId,
        whose: &Whose,
        from: Date,
        to: Date,
    ) -> Result<Vec<model::Lesson>, db::Error> {
        let classes = match whose {
            Whose::Student(student) => self
                .families
                .classes_of_student(school, UserId(*student))
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect(),
            Whose::Class(class) => vec![*class],
            Whose::Teacher(_) | Whose::Room(_) => {
                return store::lessons(&self.db, school, whose, from, to).await;
            }
        };
        let mut out = vec![];
        let now = self.clock.now().0;
        for class in classes {
            let read = async || {
                let whose = Whose::Class(class);
                let all = store::lessons(&self.db, school, &whose, Date::MIN, Date::MAX).await?;
                Ok::<_, db::Error>(Kept::Lessons(Arc::from(all)))
            };
            // Each key is kept with its own kind of copy: the other arm does not happen.
            let Kept::Lessons(lessons) = self
                .lessons
                .get_or_read(school, Key::Lessons(class), now, read)
                .await?
            else {
                continue;
            };
            out.extend(
                lessons
                    .iter()
                    .filter(|l| l.valid_from <= to && l.valid_to >= from)
                    .cloned(),
            );
        }
        out.sort_by_key(|l| l.id);
        Ok(out)
    }

    /// The changes of `lessons` between `from` and `to`, from this node's copy of the school's changes
    /// of those days (see [`lesson_cache`]).
    async fn changes(
        &self,
        school: SchoolId,
        lessons: &[Uuid],
        from: Date,
        to: Date,
    ) -> Result<Vec<model::Change>, db::Error> {
        if lessons.is_empty() {
            return Ok(vec![]);
        }
        let read = async || {
            let all = store::school_changes(&self.db, school, from, to).await?;
            Ok::<_, db::Error>(Kept::Changes(Arc::from(all)))
        };
        let now = self.clock.now().0;
        let Kept::Changes(all) = self
            .lessons
            .get_or_read(school, Key::Changes(from, to), now, read)
            .await?
        else {
            return Ok(vec![]);
        };
        Ok(all
            .iter()
            .filter(|c| lessons.contains(&c.lesson_id))
            .cloned()
            .collect())
    }

    /// Tells every node that the school's lessons or their changes changed (after the transaction
    /// that changed them committed): this node forgets its copies at once, the others when they hear
    /// it.
    pub async fn lessons_changed(&self, school: SchoolId) {
        self.lessons.changed(school).await;
    }

    /// Keeps this node's copy of the lessons in step with the other nodes' imports, for the server's
    /// life (PostgreSQL; on SQLite, one node, it only hears its own).
    pub async fn follow_lesson_changes(&self) {
        self.lessons.follow().await;
    }

    /// The timetable of `whose` for `days` days from `from`, if the viewer may see it (404 otherwise:
    /// a timetable one may not see is not confirmed to exist).
    ///
    /// `children`: a guardian's children when the caller already read them (see [`Self::children`]).
    pub async fn period(
        &self,
        viewer: &Viewer,
        whose: &Whose,
        from: Date,
        days: i64,
        children: Option<&[Person]>,
    ) -> Result<Period, AppError> {
        let school = self.check(viewer, whose, children).await?;
        let to = add_days(from, days - 1);
        let calendar = self.calendar(school, from).await?;
        let lessons = self.lessons_of(school, whose, from, to).await?;
        let ids: Vec<Uuid> = lessons.iter().map(|l| l.id).collect();
        let changes = self.changes(school, &ids, from, to).await?;
        let mut all = model::occurrences(&calendar, &lessons, &changes, from, to);
        // A teacher's and a room's timetables hold lessons found through a change: keep the
        // occurrences that are really theirs.
        match whose {
            Whose::Teacher(me) => all.retain(|o| {
                o.teachers.iter().any(|t| t.id == *me) || o.lesson.teachers.iter().any(|t| t.id == *me)
            }),
            Whose::Room(room) => all.retain(|o| o.room == *room || o.lesson.room == *room),
            _ => {}
        }
        if let Some(marks) = &self.marks {
            let mut classes: Vec<Uuid> = all.iter().map(|o| o.lesson.class_id).collect();
            classes.sort();
            classes.dedup();
            if !classes.is_empty() {
                for m in marks.marks(school, classes, from, to).await {
                    if let Some(o) = all
                        .iter_mut()
                        .find(|o| o.lesson.id == m.lesson_id && o.day == m.day)
                    {
                        o.has_content = m.has_content;
                        o.homework_due = m.homework_due;
                    }
                }
            }
        }
        // Occurrences come sorted by day: each day takes its own from the front, none copied.
        let mut rest = all.into_iter().peekable();
        let mut out = vec![];
        for i in 0..days {
            let day = add_days(from, i);
            let mut occurrences: Vec<Occurrence> = vec![];
            while let Some(o) = rest.next_if(|o| o.day == day) {
                occurrences.push(o);
            }
            out.push(DayView {
                day,
                holiday: calendar.holiday(day).map(|h| h.label.clone()),
                occurrences,
            });
        }
        Ok(Period {
            days: out,
            week_kind: calendar.week_kind(from),
        })
    }

    /// The viewer's school, if they may see `whose`'s timetable.
    async fn check(
        &self,
        viewer: &Viewer,
        whose: &Whose,
        children: Option<&[Person]>,
    ) -> Result<SchoolId, AppError> {
        let school = viewer.context.school().ok_or(AppError::NotFound)?;
        let mut rel = Relation::default();
        match (viewer.context.profile(), whose) {
            (Some(Profile::Guardian), Whose::Student(student)) => {
                rel.own_or_child = match children {
                    Some(known) => known.iter().any(|c| c.id == *student),
                    None => self.children(viewer).await?.iter().any(|c| c.id == *student),
                };
            }
            (Some(Profile::Teacher), Whose::Class(class)) => {
                rel.teaches_class = self.teaches(school, viewer.user, *class).await?;
            }
            _ => {}
        }
        if model::may_see(&viewer.context, viewer.user.0, whose, rel) {
            Ok(school)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A guardian's children enrolled in the school the guardian acts in.
    pub async fn children(&self, viewer: &Viewer) -> Result<Vec<Person>, db::Error> {
        match viewer.context.school() {
            Some(school) => self.families.children_in_school(school, viewer.user).await,
            None => Ok(vec![]),
        }
    }

    async fn teaches(&self, school: SchoolId, teacher: UserId, class: Uuid) -> Result<bool, db::Error> {
        let q = Query::select()
            .expr(Expr::val(1))
            .from(Alias::new("teachings"))
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("class_id")).eq(class))
            .and_where(Expr::col(Alias::new("teacher_id")).eq(teacher.0))
            .limit(1)
            .to_owned();
        Ok(self.db.fetch_optional::<(i32,)>(&q).await?.is_some())
    }

    /// One lesson of the viewer's school, for its occurrence page; any profile of the school that may see
    /// it (its students and their parents, its teachers, the staff).
    pub async fn lesson(&self, viewer: &Viewer, id: Uuid) -> Result<model::Lesson, AppError> {
        let school = viewer.context.school().ok_or(AppError::NotFound)?;
        let lesson = store::lesson(&self.db, school, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let allowed = match viewer.context.profile() {
            Some(p) if model::is_school_staff(p) => true,
            Some(Profile::Teacher) => {
                lesson.teachers.iter().any(|t| t.id == viewer.user.0)
                    || self.teaches(school, viewer.user, lesson.class_id).await?
            }
            Some(Profile::Student) => self.in_class(school, viewer.user.0, lesson.class_id).await?,
            Some(Profile::Guardian) => {
                let mut any = false;
                for child in self.children(viewer).await? {
                    any |= self.in_class(school, child.id, lesson.class_id).await?;
                }
                any
            }
            _ => false,
        };
        if allowed {
            Ok(lesson)
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn in_class(&self, school: SchoolId, student: Uuid, class: Uuid) -> Result<bool, db::Error> {
        let q = Query::select()
            .expr(Expr::val(1))
            .from(Alias::new("class_students"))
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("class_id")).eq(class))
            .and_where(Expr::col(Alias::new("student_id")).eq(student))
            .limit(1)
            .to_owned();
        Ok(self.db.fetch_optional::<(i32,)>(&q).await?.is_some())
    }

    /// The occurrence of `lesson` on `day` as people see it (changes applied), if it falls on that day.
    pub async fn occurrence(&self, viewer: &Viewer, lesson: Uuid, day: Date) -> Result<Occurrence, AppError> {
        let l = self.lesson(viewer, lesson).await?;
        let school = viewer.context.school().ok_or(AppError::NotFound)?;
        self.occurrence_on(school, l, day)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn occurrence_on(
        &self,
        school: SchoolId,
        l: model::Lesson,
        day: Date,
    ) -> Result<Option<Occurrence>, db::Error> {
        let calendar = self.calendar(school, day).await?;
        let changes = self.changes(school, &[l.id], day, day).await?;
        Ok(
            model::occurrences(&calendar, std::slice::from_ref(&l), &changes, day, day)
                .into_iter()
                .next(),
        )
    }

    /// The next lesson of the same class and subject after `day` (within four weeks), not cancelled: where
    /// homework set today is due. Only asked for an occurrence the viewer was allowed to open.
    pub async fn next_lesson(
        &self,
        school: SchoolId,
        of: &model::Lesson,
        day: Date,
    ) -> Result<Option<(Uuid, Date)>, db::Error> {
        let from = add_days(day, 1);
        let to = add_days(day, 28);
        let calendar = self.calendar(school, from).await?;
        let lessons: Vec<model::Lesson> = self
            .lessons_of(school, &Whose::Class(of.class_id), from, to)
            .await?
            .into_iter()
            .filter(|l| l.subject_code == of.subject_code)
            .collect();
        let ids: Vec<Uuid> = lessons.iter().map(|l| l.id).collect();
        let changes = self.changes(school, &ids, from, to).await?;
        Ok(model::occurrences(&calendar, &lessons, &changes, from, to)
            .into_iter()
            .find(|o| !o.cancelled)
            .map(|o| (o.lesson.id, o.day)))
    }

    /// The occurrences of one day, changes applied, for another feature joined by the server (the roll
    /// call): a teacher's (their own lessons and those they replace in) or, with `None`, the whole
    /// school's. The caller has checked the viewer's rights.
    pub async fn day_of(
        &self,
        school: SchoolId,
        teacher: Option<Uuid>,
        day: Date,
    ) -> Result<Vec<Occurrence>, db::Error> {
        let calendar = self.calendar(school, day).await?;
        let lessons = match teacher {
            Some(t) => store::lessons(&self.db, school, &Whose::Teacher(t), day, day).await?,
            None => store::lessons_of_school(&self.db, school, day, day).await?,
        };
        let ids: Vec<Uuid> = lessons.iter().map(|l| l.id).collect();
        let changes = self.changes(school, &ids, day, day).await?;
        let mut all = model::occurrences(&calendar, &lessons, &changes, day, day);
        if let Some(me) = teacher {
            all.retain(|o| {
                o.teachers.iter().any(|t| t.id == me) || o.lesson.teachers.iter().any(|t| t.id == me)
            });
        }
        Ok(all)
    }

    /// One occurrence, changes applied, for another feature joined by the server; `None` when the
    /// lesson does not fall on that day. The caller has checked the viewer's rights.
    pub async fn occurrence_of(
        &self,
        school: SchoolId,
        lesson: Uuid,
        day: Date,
    ) -> Result<Option<Occurrence>, db::Error> {
        match store::lesson(&self.db, school, lesson).await? {
            Some(l) => self.occurrence_on(school, l, day).await,
            None => Ok(None),
        }
    }

    /// Records what changes for one occurrence (or restores it), and tells the people concerned through
    /// the outbox, in one transaction.
    pub async fn change(&self, viewer: &Viewer, form: ChangeForm) -> Result<(), AppError> {
        if !model::may_edit(&viewer.context) {
            return Err(AppError::Forbidden);
        }
        let school = viewer.context.school().ok_or(AppError::Forbidden)?;
        let occurrence = self.occurrence(viewer, form.lesson, form.day).await?;
        if let Some(sub) = form.substitute
            && !self.is_teacher_of_school(school, sub).await?
        {
            return Err(AppError::BadRequest(Msg::new("timetable-error-substitute")));
        }
        let room = form.room.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if room.is_some_and(|r| r.chars().count() > 40) {
            return Err(AppError::BadRequest(Msg::new("timetable-error-room")));
        }
        let note = form.note.trim();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        store::set_change(
            &mut tx,
            school,
            &store::NewChange {
                lesson: form.lesson,
                day: form.day,
                cancelled: form.cancelled,
                substitute: form.substitute,
                room: room.filter(|r| *r != occurrence.lesson.room),
                note,
                by: viewer.user.0,
                at: now.0,
            },
        )
        .await?;
        bus::publish(
            &mut tx,
            now,
            bus::Event {
                topic: "timetable.lesson_changed",
                school: Some(school),
                payload: serde_json::json!({
                    "lesson": form.lesson,
                    "day": form.day.to_string(),
                    "class": occurrence.lesson.class_id,
                    "teachers": occurrence.lesson.teachers.iter().map(|t| t.id).collect::<Vec<_>>(),
                    "cancelled": form.cancelled,
                    "substitute": form.substitute,
                    "room": room,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        self.lessons_changed(school).await;
        Ok(())
    }

    async fn is_teacher_of_school(&self, school: SchoolId, user: Uuid) -> Result<bool, db::Error> {
        let q = Query::select()
            .expr(Expr::val(1))
            .from(Alias::new("memberships"))
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("user_id")).eq(user))
            .and_where(Expr::col(Alias::new("profile")).eq(Profile::Teacher.code()))
            .limit(1)
            .to_owned();
        Ok(self.db.fetch_optional::<(i32,)>(&q).await?.is_some())
    }
}

/// What staff set for one occurrence.
#[derive(Debug, Clone)]
pub struct ChangeForm {
    pub lesson: Uuid,
    pub day: Date,
    pub cancelled: bool,
    pub substitute: Option<Uuid>,
    pub room: Option<String>,
    pub note: String,
}

/// The civil day of an instant in the schools' time zone.
pub fn civil_day(at: Timestamp) -> Date {
    let tz = kernel::school_tz();
    jiff::Timestamp::from_millisecond(at.0)
        .map(|ts| ts.to_zoned(tz).date())
        .unwrap_or(Date::ZERO)
}

/// The instant of `minutes` after midnight on `day`, school time.
pub fn instant(day: Date, minutes: i32) -> jiff::Timestamp {
    let tz = kernel::school_tz();
    let time = jiff::civil::Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
        .unwrap_or(jiff::civil::Time::MIN);
    day.to_datetime(time)
        .to_zoned(tz)
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
