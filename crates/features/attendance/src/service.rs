//! Attendance's entry point for pages and other crates: every read and write is checked against the
//! viewer's context and relation to the student or lesson; writes run in one transaction with their
//! events (outbox).

use std::sync::Arc;

use blob::Blobs;
use db::Db;
use directory::model::Person;
use jiff::civil::Date;
use kernel::{ClassId, Clock, Context, Profile, SchoolId, Timestamp, UserId};
use serde_json::json;
use uuid::Uuid;
use web::{AppError, Msg};

use crate::model::{self, Kind, Mark, Source, Span, Stats, Status, Window};
use crate::store::{self, AbsenceRow, NewAbsence, Reason, RollCall};

/// One lesson occurrence as the roll call needs it (the timetable's, joined by the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub lesson_id: Uuid,
    pub day: Date,
    pub starts_at: i32,
    pub ends_at: i32,
    pub class_id: Uuid,
    pub class_name: String,
    pub subject: String,
    pub room: String,
    /// Who teaches this occurrence (the substitute when there is one): id and display name.
    pub teachers: Vec<(Uuid, String)>,
    pub cancelled: bool,
}

use db::BoxFuture as Fut;

/// Where the roll call finds lessons: the timetable, wired by the server (features do not know each
/// other).
pub trait Lessons: Send + Sync {
    /// A teacher's occurrences on `day`, or the whole school's with `None`, sorted by time.
    fn on_day<'a>(&'a self, school: SchoolId, teacher: Option<Uuid>, day: Date) -> Fut<'a, Vec<Slot>>;
    /// One occurrence, if the lesson falls on that day.
    fn one<'a>(&'a self, school: SchoolId, lesson: Uuid, day: Date) -> Fut<'a, Option<Slot>>;
}

/// No timetable: no lessons (a server without one, or a unit test).
pub struct NoLessons;

impl Lessons for NoLessons {
    fn on_day<'a>(&'a self, _: SchoolId, _: Option<Uuid>, _: Date) -> Fut<'a, Vec<Slot>> {
        Box::pin(async { Ok(vec![]) })
    }
    fn one<'a>(&'a self, _: SchoolId, _: Uuid, _: Date) -> Fut<'a, Option<Slot>> {
        Box::pin(async { Ok(None) })
    }
}

/// Who acts: the signed-in person and the school and profile they act in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub context: Context,
}

impl Viewer {
    pub fn of(u: &web::CurrentUser) -> Viewer {
        Viewer {
            user: u.user_id,
            context: u.context.context,
        }
    }

    fn school(&self) -> Result<SchoolId, AppError> {
        self.context.school().ok_or(AppError::NotFound)
    }

    fn office_school(&self) -> Result<SchoolId, AppError> {
        if model::is_office(&self.context) {
            self.school()
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A field of a form that is wrong: the Fluent key of a message that names the field and the problem.
fn invalid(key: &'static str) -> AppError {
    AppError::BadRequest(Msg::new(key))
}

/// The attendance feature's entry point.
#[derive(Clone)]
pub struct Attendance {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) blobs: Blobs,
    pub(crate) lessons: Arc<dyn Lessons>,
}

/// A student's line in a roll call.
#[derive(Debug, Clone)]
pub struct RollLine {
    pub student: Person,
    pub mark: Mark,
    /// An absence the family announced or the office entered covers the lesson: its reason.
    pub announced: Option<String>,
    /// The file's status, when the roll call recorded one.
    pub status: Option<Status>,
}

/// A lesson's roll call as its page shows it.
#[derive(Debug, Clone)]
pub struct RollSheet {
    pub slot: Slot,
    pub lines: Vec<RollLine>,
    pub taken: Option<RollCall>,
    pub window: Window,
    pub may_take: bool,
}

/// What a saved roll call counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollSaved {
    pub absent: i32,
    pub late: i32,
}

/// One of a teacher's lessons of the day, and where its roll call stands.
#[derive(Debug, Clone)]
pub struct DayLesson {
    pub slot: Slot,
    pub taken: Option<RollCall>,
    pub window: Window,
}

/// What the school-life office watches during the day.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub day: Date,
    /// Lessons started (or over) whose roll is not taken, by time.
    pub missing: Vec<Slot>,
    pub lessons: usize,
    pub taken: usize,
    pub absences: Vec<AbsenceRow>,
    pub lateness: Vec<AbsenceRow>,
    pub pending: Vec<AbsenceRow>,
}

/// A student's year as the family and the office see it.
#[derive(Debug, Clone)]
pub struct StudentFile {
    pub student: Person,
    pub files: Vec<AbsenceRow>,
    pub stats: Stats,
}

/// A justification a family sends for one or more files.
pub struct Justification {
    pub absences: Vec<Uuid>,
    pub reason: Option<Uuid>,
    pub comment: String,
    pub document: Option<(String, Vec<u8>)>,
}

/// An absence announced by the family or entered by the office.
pub struct NewFile {
    pub student: Uuid,
    pub kind: Kind,
    pub from: (Option<Date>, Option<i32>),
    pub to: (Option<Date>, Option<i32>),
    pub reason: Option<Uuid>,
    pub comment: String,
}

/// The first day of the school year containing `day` (1 September).
pub fn year_start(day: Date) -> Date {
    let year = if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    Date::new(year, 9, 1).unwrap_or(day)
}

fn span_of(a: &AbsenceRow) -> Option<Span> {
    Some(Span {
        start_day: a.start_day.parse().ok()?,
        start_minute: a.start_minute,
        end_day: a.end_day.parse().ok()?,
        end_minute: a.end_minute,
    })
}

/// The statistics of a student's files.
pub fn stats_of(files: &[AbsenceRow]) -> Stats {
    let parsed: Vec<(Kind, Status, Span)> = files
        .iter()
        .filter_map(|a| Some((Kind::parse(&a.kind)?, Status::parse(&a.status), span_of(a)?)))
        .collect();
    model::stats(&parsed)
}

impl Attendance {
    pub fn new(db: Db, clock: Arc<dyn Clock>, blobs: Blobs) -> Attendance {
        Attendance {
            db,
            clock,
            blobs,
            lessons: Arc::new(NoLessons),
        }
    }

    /// Where lessons come from (the timetable, wired by the server).
    pub fn with_lessons(mut self, lessons: Arc<dyn Lessons>) -> Attendance {
        self.lessons = lessons;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.blobs.max_bytes()
    }

    /// Today's date and the minute of the day, school time.
    pub fn school_now(&self) -> (Date, i32) {
        kernel::school_day_and_minute(self.now())
    }

    fn window_of(&self, slot: &Slot) -> Window {
        let (today, minute) = self.school_now();
        model::window(slot.day, slot.starts_at, today, minute)
    }

    /// The teacher's lessons of `day` and the state of their roll calls.
    pub async fn my_lessons(&self, v: &Viewer, day: Date) -> Result<Vec<DayLesson>, AppError> {
        let school = v.school()?;
        if v.context.profile() != Some(Profile::Teacher) {
            return Err(AppError::Forbidden);
        }
        let slots = self.lessons.on_day(school, Some(v.user.0), day).await?;
        let rolls = store::rolls_of_day(&self.db, school, &day.to_string()).await?;
        Ok(slots
            .into_iter()
            .map(|slot| DayLesson {
                taken: rolls.iter().find(|r| r.lesson_id == slot.lesson_id).cloned(),
                window: self.window_of(&slot),
                slot,
            })
            .collect())
    }

    /// The occurrence and whether the viewer may see its roll call (its teachers and the office).
    async fn slot_for(
        &self,
        v: &Viewer,
        lesson: Uuid,
        day: Date,
    ) -> Result<(SchoolId, Slot, bool), AppError> {
        let school = v.school()?;
        let slot = self
            .lessons
            .one(school, lesson, day)
            .await?
            .ok_or(AppError::NotFound)?;
        let teaches = slot.teachers.iter().any(|(id, _)| *id == v.user.0);
        if !(teaches && v.context.profile() == Some(Profile::Teacher) || model::is_office(&v.context)) {
            return Err(AppError::NotFound);
        }
        Ok((school, slot, teaches))
    }

    /// A lesson's roll call: its students with their marks.
    pub async fn roll(&self, v: &Viewer, lesson: Uuid, day: Date) -> Result<RollSheet, AppError> {
        let (school, slot, teaches) = self.slot_for(v, lesson, day).await?;
        let students = directory::store::students_of_class(&self.db, school, ClassId(slot.class_id)).await?;
        let day_s = day.to_string();
        let recorded = store::absences_of_lesson(&self.db, school, lesson, &day_s).await?;
        let announced = store::announced(&self.db, school, slot.class_id, &day_s).await?;
        let taken = store::roll_call(&self.db, school, lesson, &day_s).await?;
        let window = self.window_of(&slot);
        let lines = students
            .into_iter()
            .map(|student| {
                let own = recorded.iter().find(|a| a.student_id == student.id);
                let mark = match own {
                    Some(a) if a.kind == Kind::Lateness.code() => Mark::Late(a.minutes_late.unwrap_or(5)),
                    Some(_) => Mark::Absent,
                    None => Mark::Present,
                };
                let covering = announced.iter().find(|a| {
                    a.student_id == student.id
                        && span_of(a).is_some_and(|s| s.covers(day, slot.starts_at, slot.ends_at))
                });
                RollLine {
                    announced: covering.map(|a| a.reason_label.clone().unwrap_or_default()),
                    status: own.map(|a| Status::parse(&a.status)),
                    // Covered by an announced absence, the student shows absent (the roll call files
                    // nothing more for them); if they turn up, the office shortens the announcement.
                    mark: if covering.is_some() && mark == Mark::Present {
                        Mark::Absent
                    } else {
                        mark
                    },
                    student,
                }
            })
            .collect();
        Ok(RollSheet {
            may_take: model::may_take_roll(&v.context, teaches, window) && !slot.cancelled,
            slot,
            lines,
            taken,
            window,
        })
    }

    /// Saves a lesson's roll call: `marks` for the students not present (the others are present).
    /// Files a family already justified keep their justification when the mark stays; a student marked
    /// present again loses the roll call's file. One transaction, with an event per new file.
    pub async fn save_roll(
        &self,
        v: &Viewer,
        lesson: Uuid,
        day: Date,
        marks: &[(Uuid, Mark)],
    ) -> Result<RollSaved, AppError> {
        let (school, slot, teaches) = self.slot_for(v, lesson, day).await?;
        if slot.cancelled {
            return Err(AppError::BadRequest(Msg::new("att-error-cancelled")));
        }
        let window = self.window_of(&slot);
        if !model::may_take_roll(&v.context, teaches, window) {
            return Err(match window {
                Window::NotYet(at) => {
                    AppError::BadRequest(Msg::new("att-error-not-open").arg("time", model::hhmm(at)))
                }
                _ => AppError::Forbidden,
            });
        }
        let students = directory::store::students_of_class(&self.db, school, ClassId(slot.class_id)).await?;
        if let Some((stranger, _)) = marks.iter().find(|(id, _)| !students.iter().any(|s| s.id == *id)) {
            tracing::info!(student = %stranger, lesson = %lesson, "roll call names a student not in the class");
            return Err(AppError::BadRequest(Msg::new("att-error-not-in-class")));
        }
        let day_s = day.to_string();
        let now = self.now();
        let announced = store::announced(&self.db, school, slot.class_id, &day_s).await?;
        let existing: Vec<AbsenceRow> = store::absences_of_lesson(&self.db, school, lesson, &day_s)
            .await?
            .into_iter()
            .filter(|a| a.source == Source::RollCall.code())
            .collect();
        let mut tx = self.db.begin().await?;
        let (mut absent, mut late) = (0, 0);
        let mut gone: Vec<Uuid> = existing.iter().map(|a| a.id).collect();
        for (student, mark) in marks {
            let (kind, end, minutes) = match *mark {
                Mark::Present => continue,
                Mark::Absent => {
                    absent += 1;
                    (Kind::Absence, slot.ends_at, None)
                }
                Mark::Late(m) => {
                    late += 1;
                    (Kind::Lateness, (slot.starts_at + m).min(slot.ends_at), Some(m))
                }
            };
            if let Some(old) = existing.iter().find(|a| a.student_id == *student) {
                gone.retain(|id| *id != old.id);
                if old.kind != kind.code() || old.minutes_late != minutes {
                    store::set_roll_mark(&mut tx, school, old.id, kind, end, minutes).await?;
                }
                continue;
            }
            let covered = kind == Kind::Absence
                && announced.iter().any(|a| {
                    a.student_id == *student
                        && span_of(a).is_some_and(|s| s.covers(day, slot.starts_at, slot.ends_at))
                });
            if covered {
                continue;
            }
            let id = Uuid::now_v7();
            store::insert_absence(
                &mut tx,
                school,
                &NewAbsence {
                    id,
                    student: *student,
                    class: Some(slot.class_id),
                    kind,
                    source: Source::RollCall,
                    lesson: Some(lesson),
                    start: (&day_s, slot.starts_at),
                    end: (&day_s, end),
                    minutes_late: minutes,
                    by: v.user.0,
                    status: Status::New,
                    reason: None,
                    family_comment: "",
                    office_comment: "",
                },
                now,
            )
            .await?;
            bus::publish(
                &mut tx,
                now,
                bus::Event {
                    topic: "attendance.recorded",
                    school: Some(school),
                    payload: json!({
                        "absence": id,
                        "student": student,
                        "kind": kind.code(),
                        "day": day_s,
                        "from": model::hhmm(slot.starts_at),
                        "to": model::hhmm(end),
                        "subject": slot.subject,
                    }),
                },
            )
            .await?;
        }
        store::delete_absences(&mut tx, school, &gone).await?;
        store::set_roll_call(
            &mut tx,
            school,
            &day_s,
            lesson,
            slot.class_id,
            (slot.starts_at, slot.ends_at),
            v.user.0,
            now,
            (absent, late),
        )
        .await?;
        tx.commit().await?;
        Ok(RollSaved { absent, late })
    }

    /// The school-life office's day: rolls not taken, absences, lateness, justifications to decide.
    pub async fn dashboard(&self, v: &Viewer, day: Date) -> Result<Dashboard, AppError> {
        let school = v.office_school()?;
        let day_s = day.to_string();
        let slots = self.lessons.on_day(school, None, day).await?;
        let rolls = store::rolls_of_day(&self.db, school, &day_s).await?;
        let (today, minute) = self.school_now();
        let started = |s: &Slot| day < today || day == today && s.starts_at <= minute;
        let lessons = slots.iter().filter(|s| !s.cancelled).count();
        let taken = slots
            .iter()
            .filter(|s| !s.cancelled && rolls.iter().any(|r| r.lesson_id == s.lesson_id))
            .count();
        let missing = slots
            .into_iter()
            .filter(|s| !s.cancelled && started(s) && !rolls.iter().any(|r| r.lesson_id == s.lesson_id))
            .collect();
        let (lateness, absences) = store::absences_on(&self.db, school, &day_s)
            .await?
            .into_iter()
            .partition(|a| a.kind == Kind::Lateness.code());
        let pending = store::pending(&self.db, school, 50).await?;
        Ok(Dashboard {
            day,
            missing,
            lessons,
            taken,
            absences,
            lateness,
            pending,
        })
    }

    /// Whether the viewer may see `student`'s attendance: the student, their guardians in the school,
    /// the office.
    async fn may_see_student(&self, v: &Viewer, school: SchoolId, student: Uuid) -> Result<bool, AppError> {
        Ok(match v.context.profile() {
            Some(Profile::Student) => v.user.0 == student,
            Some(Profile::Guardian) => directory::store::children_in_school(&self.db, school, v.user)
                .await?
                .iter()
                .any(|c| c.id == student),
            _ => model::is_office(&v.context),
        })
    }

    async fn student_in_school(&self, school: SchoolId, student: Uuid) -> Result<Person, AppError> {
        let classes = directory::store::classes_of_student(&self.db, school, UserId(student)).await?;
        if classes.is_empty() {
            return Err(AppError::NotFound);
        }
        directory::store::person(&self.db, UserId(student))
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A student's files of the school year and their statistics.
    pub async fn student_file(&self, v: &Viewer, student: Uuid) -> Result<StudentFile, AppError> {
        let school = v.school()?;
        if !self.may_see_student(v, school, student).await? {
            return Err(AppError::NotFound);
        }
        let person = self.student_in_school(school, student).await?;
        let (today, _) = self.school_now();
        let files = store::absences_of_student(
            &self.db,
            school,
            student,
            &year_start(today).to_string(),
            "9999-12-31",
        )
        .await?;
        Ok(StudentFile {
            stats: stats_of(&files),
            student: person,
            files,
        })
    }

    /// The children whose attendance a guardian follows in the school (the student themself for a
    /// student).
    pub async fn children(&self, v: &Viewer) -> Result<Vec<Person>, AppError> {
        let school = v.school()?;
        match v.context.profile() {
            Some(Profile::Guardian) => {
                Ok(directory::store::children_in_school(&self.db, school, v.user).await?)
            }
            Some(Profile::Student) => Ok(directory::store::person(&self.db, v.user)
                .await?
                .into_iter()
                .collect()),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The school's reasons (the active ones for families).
    pub async fn reasons(&self, v: &Viewer) -> Result<Vec<Reason>, AppError> {
        Ok(store::reasons(&self.db, v.school()?).await?)
    }

    async fn active_reason(&self, school: SchoolId, reason: Option<Uuid>) -> Result<Uuid, AppError> {
        let id = reason.ok_or_else(|| invalid("att-error-reason-required"))?;
        let all = store::reasons(&self.db, school).await?;
        all.iter()
            .find(|r| r.id == id && r.active)
            .map(|r| r.id)
            .ok_or_else(|| invalid("att-error-reason-unknown"))
    }

    /// A guardian justifies files of their child (not yet decided): a reason from the school's list,
    /// a comment, a document. One transaction with the office's event.
    pub async fn justify(&self, v: &Viewer, j: Justification) -> Result<usize, AppError> {
        let school = v.school()?;
        if v.context.profile() != Some(Profile::Guardian) {
            return Err(AppError::Forbidden);
        }
        if j.absences.is_empty() {
            return Err(invalid("att-error-absences-required"));
        }
        let files = store::absences_by_ids(&self.db, school, &j.absences).await?;
        let children = directory::store::children_in_school(&self.db, school, v.user).await?;
        if files.len() != j.absences.len()
            || files
                .iter()
                .any(|a| !children.iter().any(|c| c.id == a.student_id))
        {
            return Err(AppError::NotFound);
        }
        if files
            .iter()
            .any(|a| !Status::parse(&a.status).family_may_justify())
        {
            return Err(AppError::BadRequest(Msg::new("att-error-decided")));
        }
        let reason = self.active_reason(school, j.reason).await?;
        let comment = j.comment.trim();
        if comment.chars().count() > model::MAX_COMMENT {
            return Err(invalid("att-error-comment-too-long"));
        }
        let document = match j.document {
            Some((name, bytes)) if !bytes.is_empty() => {
                check_document(&name, bytes.len() as u64, self.blobs.max_bytes())?;
                let key = self.blobs.put(&bytes).await.map_err(AppError::internal)?.key;
                Some((key, name))
            }
            _ => None,
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let n = store::justify(
            &mut tx,
            school,
            &j.absences,
            reason,
            comment,
            document.as_ref().map(|(k, n)| (k.as_str(), n.as_str())),
            v.user.0,
            now,
        )
        .await?;
        bus::publish(
            &mut tx,
            now,
            bus::Event {
                topic: "attendance.justification_sent",
                school: Some(school),
                payload: json!({ "absences": j.absences, "by": v.user.0 }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n as usize)
    }

    /// A file announced by a guardian (status: waiting for the office) or entered by the office
    /// (justified when the office gives a reason).
    pub async fn record(&self, v: &Viewer, f: NewFile) -> Result<Uuid, AppError> {
        let school = v.school()?;
        let office = model::is_office(&v.context);
        if !office && v.context.profile() != Some(Profile::Guardian) {
            return Err(AppError::Forbidden);
        }
        if !self.may_see_student(v, school, f.student).await? {
            return Err(AppError::NotFound);
        }
        let classes = directory::store::classes_of_student(&self.db, school, UserId(f.student)).await?;
        let Some(class) = classes.iter().find(|c| c.kind == "classe").or(classes.first()) else {
            return Err(AppError::NotFound);
        };
        let from_day = f.from.0.ok_or_else(|| invalid("att-error-from-required"))?;
        let to_day = f.to.0.unwrap_or(from_day);
        let from_min = f.from.1.unwrap_or(0);
        let to_min = f.to.1.unwrap_or(24 * 60 - 1);
        if (to_day, to_min) <= (from_day, from_min) {
            return Err(invalid("att-error-to-before-start"));
        }
        if to_day
            > from_day
                .checked_add(jiff::Span::new().days(92))
                .unwrap_or(from_day)
        {
            return Err(invalid("att-error-to-too-far"));
        }
        let (today, _) = self.school_now();
        if !office && to_day < today {
            // Past absences come from the roll call; a family justifies them instead.
            return Err(invalid("att-error-to-past"));
        }
        let reason = if office {
            match f.reason {
                Some(_) => Some(self.active_reason(school, f.reason).await?),
                None => None,
            }
        } else {
            Some(self.active_reason(school, f.reason).await?)
        };
        let comment = f.comment.trim();
        if comment.chars().count() > model::MAX_COMMENT {
            return Err(invalid("att-error-comment-too-long"));
        }
        let status = match (office, reason) {
            (true, Some(_)) => Status::Justified,
            (true, None) => Status::New,
            (false, _) => Status::Sent,
        };
        let id = Uuid::now_v7();
        let now = self.now();
        let (from_s, to_s) = (from_day.to_string(), to_day.to_string());
        let mut tx = self.db.begin().await?;
        store::insert_absence(
            &mut tx,
            school,
            &NewAbsence {
                id,
                student: f.student,
                class: Some(class.id),
                kind: f.kind,
                source: if office { Source::Office } else { Source::Family },
                lesson: None,
                start: (&from_s, from_min),
                end: (&to_s, to_min),
                minutes_late: None,
                by: v.user.0,
                status,
                reason,
                family_comment: if office { "" } else { comment },
                office_comment: if office { comment } else { "" },
            },
            now,
        )
        .await?;
        bus::publish(
            &mut tx,
            now,
            bus::Event {
                topic: if office { "attendance.recorded" } else { "attendance.announced" },
                school: Some(school),
                payload: json!({ "absence": id, "student": f.student, "kind": f.kind.code(), "from": from_s, "to": to_s }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The office accepts or refuses a file's justification (or justifies it on its own, with a
    /// reason).
    pub async fn decide(
        &self,
        v: &Viewer,
        id: Uuid,
        accept: bool,
        reason: Option<Uuid>,
        comment: &str,
    ) -> Result<AbsenceRow, AppError> {
        let school = v.office_school()?;
        let file = store::absence(&self.db, school, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let reason = match reason {
            Some(_) => Some(self.active_reason(school, reason).await?),
            None if accept && file.reason_id.is_none() => {
                return Err(invalid("att-error-reason-required"));
            }
            None => None,
        };
        if comment.chars().count() > model::MAX_COMMENT {
            return Err(invalid("att-error-comment-too-long"));
        }
        let status = if accept {
            Status::Justified
        } else {
            Status::Refused
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::decide(&mut tx, school, id, status, reason, comment.trim(), v.user.0, now).await?;
        bus::publish(
            &mut tx,
            now,
            bus::Event {
                topic: "attendance.decided",
                school: Some(school),
                payload: json!({ "absence": id, "student": file.student_id, "status": status.code() }),
            },
        )
        .await?;
        tx.commit().await?;
        store::absence(&self.db, school, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One file, for the people who may see it.
    pub async fn file(&self, v: &Viewer, id: Uuid) -> Result<AbsenceRow, AppError> {
        let school = v.school()?;
        let file = store::absence(&self.db, school, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if self.may_see_student(v, school, file.student_id).await? {
            Ok(file)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The document a family attached to a file.
    pub async fn document(&self, v: &Viewer, id: Uuid) -> Result<(String, Vec<u8>), AppError> {
        let file = self.file(v, id).await?;
        let (Some(key), Some(name)) = (file.document_key, file.document_name) else {
            return Err(AppError::NotFound);
        };
        let bytes = self.blobs.get(&key).await.map_err(AppError::internal)?;
        Ok((name, bytes))
    }

    /// A class's statistics per student over the school year (the office, the class's head teacher).
    pub async fn class_stats(
        &self,
        v: &Viewer,
        class: Uuid,
    ) -> Result<(String, Vec<(Person, Stats)>), AppError> {
        let school = v.school()?;
        let allowed = model::is_office(&v.context)
            || v.context.profile() == Some(Profile::Teacher)
                && directory::store::head_teacher_classes(&self.db, school, v.user)
                    .await?
                    .contains(&class);
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let found = directory::store::class(&self.db, school, ClassId(class))
            .await?
            .ok_or(AppError::NotFound)?;
        let students = directory::store::students_of_class(&self.db, school, ClassId(class)).await?;
        let ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
        let (today, _) = self.school_now();
        let files = store::absences_of_students(
            &self.db,
            school,
            &ids,
            &year_start(today).to_string(),
            "9999-12-31",
        )
        .await?;
        let rows = students
            .into_iter()
            .map(|s| {
                let own: Vec<AbsenceRow> = files.iter().filter(|a| a.student_id == s.id).cloned().collect();
                (s, stats_of(&own))
            })
            .collect();
        Ok((found.name, rows))
    }

    /// Adds a reason to the school's list, or switches one off or on (the office).
    pub async fn add_reason(&self, v: &Viewer, label: &str) -> Result<(), AppError> {
        let school = v.office_school()?;
        let label = label.trim();
        if label.is_empty() {
            return Err(invalid("att-error-label-required"));
        }
        if label.chars().count() > 80 {
            return Err(invalid("att-error-label-too-long"));
        }
        let existing = store::reasons(&self.db, school).await?;
        if existing.iter().any(|r| r.label.eq_ignore_ascii_case(label)) {
            return Err(invalid("att-error-label-duplicate"));
        }
        let code = format!("R{}", existing.len() + 1);
        let position = existing.iter().map(|r| r.position).max().unwrap_or(0) + 1;
        let mut tx = self.db.begin().await?;
        store::add_reason(&mut tx, school, &code, label, position).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_reason_active(&self, v: &Viewer, id: Uuid, active: bool) -> Result<(), AppError> {
        let school = v.office_school()?;
        match store::set_reason_active(&self.db, school, id, active).await? {
            0 => Err(AppError::NotFound),
            _ => Ok(()),
        }
    }
}

/// Families attach a PDF or a photo (a doctor's note), within the upload limit.
pub fn check_document(name: &str, size: u64, max: u64) -> Result<(), AppError> {
    let lower = name.to_lowercase();
    let allowed = [".pdf", ".jpg", ".jpeg", ".png", ".heic", ".webp"];
    if !allowed.iter().any(|ext| lower.ends_with(ext)) {
        return Err(invalid("att-error-document-type"));
    }
    if size > max {
        return Err(AppError::BadRequest(
            Msg::new("att-error-document-size").arg("max", blob::human_size(max)),
        ));
    }
    Ok(())
}

pub use kernel::school_tz;
