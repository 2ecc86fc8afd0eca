//! Attendance SQL, one function per question, every query filtered on `school_id`. The directory's
//! tables are read here only to name the students next to this crate's rows.

use db::{Db, Result, Tx};
use directory::store::Users;
use kernel::{SchoolId, Timestamp};
use sea_query::{Expr, ExprTrait, Iden, JoinType, OnConflict, Order, Query, SelectStatement};
use uuid::Uuid;

use crate::model::{DEFAULT_REASONS, Kind, Source, Status};

#[derive(Iden, Clone, Copy)]
pub(crate) enum AbsenceReasons {
    Table,
    SchoolId,
    Id,
    Code,
    Label,
    Position,
    Active,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum RollCalls {
    Table,
    SchoolId,
    Day,
    LessonId,
    ClassId,
    StartsAt,
    EndsAt,
    TakenBy,
    TakenAt,
    UpdatedAt,
    Absent,
    Late,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Absences {
    Table,
    SchoolId,
    Id,
    StudentId,
    ClassId,
    Kind,
    Source,
    LessonId,
    StartDay,
    StartMinute,
    EndDay,
    EndMinute,
    MinutesLate,
    RecordedBy,
    RecordedAt,
    Status,
    ReasonId,
    FamilyComment,
    FamilyBy,
    FamilyAt,
    DocumentKey,
    DocumentName,
    OfficeComment,
    DecidedBy,
    DecidedAt,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reason {
    pub id: Uuid,
    pub code: String,
    pub label: String,
    pub position: i32,
    pub active: bool,
}

/// The school's reasons, in order; the defaults are written the first time a school asks.
pub async fn reasons(db: &Db, school: SchoolId) -> Result<Vec<Reason>> {
    let q = Query::select()
        .columns([
            AbsenceReasons::Id,
            AbsenceReasons::Code,
            AbsenceReasons::Label,
            AbsenceReasons::Position,
            AbsenceReasons::Active,
        ])
        .from(AbsenceReasons::Table)
        .and_where(Expr::col(AbsenceReasons::SchoolId).eq(school.0))
        .order_by(AbsenceReasons::Position, Order::Asc)
        .to_owned();
    let found: Vec<Reason> = db.fetch_all(&q).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    let mut tx = db.begin().await?;
    for (i, (code, label)) in DEFAULT_REASONS.iter().enumerate() {
        add_reason(&mut tx, school, code, label, i as i32 + 1).await?;
    }
    tx.commit().await?;
    db.fetch_all(&q).await
}

/// Adds a reason (nothing when its code exists: adding the defaults twice is harmless).
pub async fn add_reason(tx: &mut Tx, school: SchoolId, code: &str, label: &str, position: i32) -> Result<()> {
    let q = Query::insert()
        .into_table(AbsenceReasons::Table)
        .columns([
            AbsenceReasons::SchoolId,
            AbsenceReasons::Id,
            AbsenceReasons::Code,
            AbsenceReasons::Label,
            AbsenceReasons::Position,
            AbsenceReasons::Active,
        ])
        .values_panic([
            school.0.into(),
            Uuid::now_v7().into(),
            code.into(),
            label.into(),
            position.into(),
            true.into(),
        ])
        .on_conflict(
            OnConflict::columns([AbsenceReasons::SchoolId, AbsenceReasons::Code])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn set_reason_active(db: &Db, school: SchoolId, id: Uuid, active: bool) -> Result<u64> {
    let q = Query::update()
        .table(AbsenceReasons::Table)
        .value(AbsenceReasons::Active, active)
        .and_where(Expr::col(AbsenceReasons::SchoolId).eq(school.0))
        .and_where(Expr::col(AbsenceReasons::Id).eq(id))
        .to_owned();
    db.execute(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RollCall {
    pub lesson_id: Uuid,
    pub day: String,
    pub class_id: Uuid,
    pub taken_by: Uuid,
    pub taken_at: i64,
    pub updated_at: i64,
    pub absent: i32,
    pub late: i32,
}

fn roll_select(school: SchoolId) -> SelectStatement {
    Query::select()
        .columns([
            RollCalls::LessonId,
            RollCalls::Day,
            RollCalls::ClassId,
            RollCalls::TakenBy,
            RollCalls::TakenAt,
            RollCalls::UpdatedAt,
            RollCalls::Absent,
            RollCalls::Late,
        ])
        .from(RollCalls::Table)
        .and_where(Expr::col(RollCalls::SchoolId).eq(school.0))
        .to_owned()
}

pub async fn roll_call(db: &Db, school: SchoolId, lesson: Uuid, day: &str) -> Result<Option<RollCall>> {
    let q = roll_select(school)
        .and_where(Expr::col(RollCalls::Day).eq(day))
        .and_where(Expr::col(RollCalls::LessonId).eq(lesson))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The roll calls taken in the school on `day`.
pub async fn rolls_of_day(db: &Db, school: SchoolId, day: &str) -> Result<Vec<RollCall>> {
    let q = roll_select(school)
        .and_where(Expr::col(RollCalls::Day).eq(day))
        .to_owned();
    db.fetch_all(&q).await
}

/// Records that a roll was taken (or corrected) with its counts.
#[allow(clippy::too_many_arguments)]
pub async fn set_roll_call(
    tx: &mut Tx,
    school: SchoolId,
    day: &str,
    lesson: Uuid,
    class: Uuid,
    (starts_at, ends_at): (i32, i32),
    by: Uuid,
    now: Timestamp,
    (absent, late): (i32, i32),
) -> Result<()> {
    let q = Query::insert()
        .into_table(RollCalls::Table)
        .columns([
            RollCalls::SchoolId,
            RollCalls::Day,
            RollCalls::LessonId,
            RollCalls::ClassId,
            RollCalls::StartsAt,
            RollCalls::EndsAt,
            RollCalls::TakenBy,
            RollCalls::TakenAt,
            RollCalls::UpdatedAt,
            RollCalls::Absent,
            RollCalls::Late,
        ])
        .values_panic([
            school.0.into(),
            day.into(),
            lesson.into(),
            class.into(),
            starts_at.into(),
            ends_at.into(),
            by.into(),
            now.0.into(),
            now.0.into(),
            absent.into(),
            late.into(),
        ])
        .on_conflict(
            OnConflict::columns([RollCalls::SchoolId, RollCalls::Day, RollCalls::LessonId])
                .update_columns([
                    RollCalls::TakenBy,
                    RollCalls::UpdatedAt,
                    RollCalls::Absent,
                    RollCalls::Late,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// An absence or lateness file with the student's and the reason's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AbsenceRow {
    pub id: Uuid,
    pub student_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub class_id: Option<Uuid>,
    pub kind: String,
    pub source: String,
    pub lesson_id: Option<Uuid>,
    pub start_day: String,
    pub start_minute: i32,
    pub end_day: String,
    pub end_minute: i32,
    pub minutes_late: Option<i32>,
    pub recorded_at: i64,
    pub status: String,
    pub reason_id: Option<Uuid>,
    pub reason_label: Option<String>,
    pub family_comment: String,
    pub family_at: Option<i64>,
    pub document_key: Option<String>,
    pub document_name: Option<String>,
    pub office_comment: String,
}

fn absence_select(school: SchoolId) -> SelectStatement {
    let a = |c: Absences| (Absences::Table, c);
    Query::select()
        .columns([
            a(Absences::Id),
            a(Absences::StudentId),
            a(Absences::ClassId),
            a(Absences::Kind),
            a(Absences::Source),
            a(Absences::LessonId),
            a(Absences::StartDay),
            a(Absences::StartMinute),
            a(Absences::EndDay),
            a(Absences::EndMinute),
            a(Absences::MinutesLate),
            a(Absences::RecordedAt),
            a(Absences::Status),
            a(Absences::ReasonId),
            a(Absences::FamilyComment),
            a(Absences::FamilyAt),
            a(Absences::DocumentKey),
            a(Absences::DocumentName),
            a(Absences::OfficeComment),
        ])
        .columns([(Users::Table, Users::FirstName), (Users::Table, Users::LastName)])
        .expr_as(
            Expr::col((AbsenceReasons::Table, AbsenceReasons::Label)),
            sea_query::Alias::new("reason_label"),
        )
        .from(Absences::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals(a(Absences::StudentId)),
        )
        .join(
            JoinType::LeftJoin,
            AbsenceReasons::Table,
            Expr::col((AbsenceReasons::Table, AbsenceReasons::SchoolId))
                .equals(a(Absences::SchoolId))
                .and(Expr::col((AbsenceReasons::Table, AbsenceReasons::Id)).equals(a(Absences::ReasonId))),
        )
        .and_where(Expr::col(a(Absences::SchoolId)).eq(school.0))
        .to_owned()
}

pub async fn absence(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<AbsenceRow>> {
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn absences_by_ids(db: &Db, school: SchoolId, ids: &[Uuid]) -> Result<Vec<AbsenceRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::Id)).is_in(ids.to_vec()))
        .to_owned();
    db.fetch_all(&q).await
}

/// The files recorded by the roll call of one lesson occurrence.
pub async fn absences_of_lesson(
    db: &Db,
    school: SchoolId,
    lesson: Uuid,
    day: &str,
) -> Result<Vec<AbsenceRow>> {
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).eq(day))
        .and_where(Expr::col((Absences::Table, Absences::LessonId)).eq(lesson))
        .to_owned();
    db.fetch_all(&q).await
}

/// A student's files starting between two days (inclusive), newest first.
pub async fn absences_of_student(
    db: &Db,
    school: SchoolId,
    student: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<AbsenceRow>> {
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::StudentId)).eq(student))
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).gte(from))
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).lte(to))
        .order_by((Absences::Table, Absences::StartDay), Order::Desc)
        .order_by((Absences::Table, Absences::StartMinute), Order::Desc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The files of several students between two days (a class's statistics).
pub async fn absences_of_students(
    db: &Db,
    school: SchoolId,
    students: &[Uuid],
    from: &str,
    to: &str,
) -> Result<Vec<AbsenceRow>> {
    if students.is_empty() {
        return Ok(vec![]);
    }
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::StudentId)).is_in(students.to_vec()))
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).gte(from))
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).lte(to))
        .to_owned();
    db.fetch_all(&q).await
}

/// The files touching `day`: starting that day, or spanning it (a family's announced absence).
pub async fn absences_on(db: &Db, school: SchoolId, day: &str) -> Result<Vec<AbsenceRow>> {
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).lte(day))
        .and_where(Expr::col((Absences::Table, Absences::EndDay)).gte(day))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Files waiting for the office's decision, oldest first.
pub async fn pending(db: &Db, school: SchoolId, limit: u64) -> Result<Vec<AbsenceRow>> {
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::Status)).eq(Status::Sent.code()))
        .order_by((Absences::Table, Absences::FamilyAt), Order::Asc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

/// The absences not from a roll call (announced by the family or entered by the office) of the
/// students of `class` that span `day` (checked in memory against a lesson's times). One statement
/// shape whatever the class's size, so PostgreSQL plans it once.
pub async fn announced(db: &Db, school: SchoolId, class: Uuid, day: &str) -> Result<Vec<AbsenceRow>> {
    let members = Query::select()
        .column(sea_query::Alias::new("student_id"))
        .from(sea_query::Alias::new("class_students"))
        .and_where(Expr::col(sea_query::Alias::new("school_id")).eq(school.0))
        .and_where(Expr::col(sea_query::Alias::new("class_id")).eq(class))
        .to_owned();
    let q = absence_select(school)
        .and_where(Expr::col((Absences::Table, Absences::StudentId)).in_subquery(members))
        .and_where(Expr::col((Absences::Table, Absences::Kind)).eq(Kind::Absence.code()))
        .and_where(Expr::col((Absences::Table, Absences::Source)).ne(Source::RollCall.code()))
        .and_where(Expr::col((Absences::Table, Absences::StartDay)).lte(day))
        .and_where(Expr::col((Absences::Table, Absences::EndDay)).gte(day))
        .to_owned();
    db.fetch_all(&q).await
}

/// A new file.
pub struct NewAbsence<'a> {
    pub id: Uuid,
    pub student: Uuid,
    pub class: Option<Uuid>,
    pub kind: Kind,
    pub source: Source,
    pub lesson: Option<Uuid>,
    pub start: (&'a str, i32),
    pub end: (&'a str, i32),
    pub minutes_late: Option<i32>,
    pub by: Uuid,
    pub status: Status,
    pub reason: Option<Uuid>,
    pub family_comment: &'a str,
    pub office_comment: &'a str,
}

pub async fn insert_absence(tx: &mut Tx, school: SchoolId, a: &NewAbsence<'_>, now: Timestamp) -> Result<()> {
    let family = a.source == Source::Family;
    let q = Query::insert()
        .into_table(Absences::Table)
        .columns([
            Absences::SchoolId,
            Absences::Id,
            Absences::StudentId,
            Absences::ClassId,
            Absences::Kind,
            Absences::Source,
            Absences::LessonId,
            Absences::StartDay,
            Absences::StartMinute,
            Absences::EndDay,
            Absences::EndMinute,
            Absences::MinutesLate,
            Absences::RecordedBy,
            Absences::RecordedAt,
            Absences::Status,
            Absences::ReasonId,
            Absences::FamilyComment,
            Absences::FamilyBy,
            Absences::FamilyAt,
            Absences::OfficeComment,
            Absences::DecidedBy,
            Absences::DecidedAt,
        ])
        .values_panic([
            school.0.into(),
            a.id.into(),
            a.student.into(),
            a.class.into(),
            a.kind.code().into(),
            a.source.code().into(),
            a.lesson.into(),
            a.start.0.into(),
            a.start.1.into(),
            a.end.0.into(),
            a.end.1.into(),
            a.minutes_late.into(),
            a.by.into(),
            now.0.into(),
            a.status.code().into(),
            a.reason.into(),
            a.family_comment.into(),
            family.then_some(a.by).into(),
            family.then_some(now.0).into(),
            a.office_comment.into(),
            (a.status == Status::Justified).then_some(a.by).into(),
            (a.status == Status::Justified).then_some(now.0).into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// Changes a roll-call file's kind and lateness (a student first marked absent turned up late).
pub async fn set_roll_mark(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    kind: Kind,
    end_minute: i32,
    minutes_late: Option<i32>,
) -> Result<()> {
    let q = Query::update()
        .table(Absences::Table)
        .value(Absences::Kind, kind.code())
        .value(Absences::EndMinute, end_minute)
        .value(Absences::MinutesLate, minutes_late)
        .and_where(Expr::col(Absences::SchoolId).eq(school.0))
        .and_where(Expr::col(Absences::Id).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn delete_absences(tx: &mut Tx, school: SchoolId, ids: &[Uuid]) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let q = Query::delete()
        .from_table(Absences::Table)
        .and_where(Expr::col(Absences::SchoolId).eq(school.0))
        .and_where(Expr::col(Absences::Id).is_in(ids.to_vec()))
        .to_owned();
    tx.execute(&q).await
}

/// A family's justification of files not decided yet (the status is checked again in the update).
#[allow(clippy::too_many_arguments)]
pub async fn justify(
    tx: &mut Tx,
    school: SchoolId,
    ids: &[Uuid],
    reason: Uuid,
    comment: &str,
    document: Option<(&str, &str)>,
    by: Uuid,
    now: Timestamp,
) -> Result<u64> {
    let mut q = Query::update()
        .table(Absences::Table)
        .value(Absences::Status, Status::Sent.code())
        .value(Absences::ReasonId, reason)
        .value(Absences::FamilyComment, comment)
        .value(Absences::FamilyBy, by)
        .value(Absences::FamilyAt, now.0)
        .and_where(Expr::col(Absences::SchoolId).eq(school.0))
        .and_where(Expr::col(Absences::Id).is_in(ids.to_vec()))
        .and_where(Expr::col(Absences::Status).is_in([Status::New.code(), Status::Sent.code()]))
        .to_owned();
    if let Some((key, name)) = document {
        q.value(Absences::DocumentKey, key)
            .value(Absences::DocumentName, name);
    }
    tx.execute(&q).await
}

/// The office's decision on a file (with the reason it retains, when it gives one).
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    status: Status,
    reason: Option<Uuid>,
    comment: &str,
    by: Uuid,
    now: Timestamp,
) -> Result<u64> {
    let mut q = Query::update()
        .table(Absences::Table)
        .value(Absences::Status, status.code())
        .value(Absences::OfficeComment, comment)
        .value(Absences::DecidedBy, by)
        .value(Absences::DecidedAt, now.0)
        .and_where(Expr::col(Absences::SchoolId).eq(school.0))
        .and_where(Expr::col(Absences::Id).eq(id))
        .to_owned();
    if let Some(r) = reason {
        q.value(Absences::ReasonId, r);
    }
    tx.execute(&q).await
}
