//! Timetable SQL. Every query filters on the school; a week is one query for the lessons (their
//! teachers joined) and one for the week's changes.

use db::{Db, Result, Tx};
use jiff::civil::Date;
use kernel::SchoolId;
use sea_query::{Alias, Expr, ExprTrait, Iden, JoinType, Order, Query, SelectStatement};
use uuid::Uuid;

use crate::calendar::{Calendar, Holiday, parse_day, zone_of_academy};
use crate::model::{Change, Lesson, TeacherName, Weeks, Whose};

#[derive(Iden, Clone, Copy)]
pub enum Lessons {
    Table,
    SchoolId,
    Id,
    ClassId,
    SubjectCode,
    Room,
    Weekday,
    StartsAt,
    EndsAt,
    Weeks,
    ValidFrom,
    ValidTo,
    Source,
    SourceKey,
}

#[derive(Iden, Clone, Copy)]
pub enum LessonTeachers {
    Table,
    SchoolId,
    LessonId,
    TeacherId,
}

#[derive(Iden, Clone, Copy)]
pub enum LessonChanges {
    Table,
    SchoolId,
    LessonId,
    Day,
    Cancelled,
    SubstituteId,
    Room,
    Note,
    ChangedBy,
    ChangedAt,
}

#[derive(Iden, Clone, Copy)]
enum SchoolCalendars {
    Table,
    SchoolId,
    Zone,
    FirstDay,
    LastDay,
}

#[derive(Iden, Clone, Copy)]
enum SchoolHolidays {
    Table,
    SchoolId,
    FirstDay,
    LastDay,
    Label,
}

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[derive(sqlx::FromRow)]
struct LessonRow {
    id: Uuid,
    class_id: Uuid,
    class_name: String,
    subject_code: String,
    subject: String,
    room: String,
    weekday: i32,
    starts_at: i32,
    ends_at: i32,
    weeks: String,
    valid_from: String,
    valid_to: String,
    teacher_id: Option<Uuid>,
    teacher_first: Option<String>,
    teacher_last: Option<String>,
}

/// Lessons of the school valid at some point between `from` and `to`, with their teachers.
fn lessons_query(school: SchoolId, from: Date, to: Date) -> SelectStatement {
    let l = Lessons::Table;
    Query::select()
        .column((l, Lessons::Id))
        .column((l, Lessons::ClassId))
        .expr_as(Expr::col((t("classes"), t("name"))), t("class_name"))
        .column((l, Lessons::SubjectCode))
        .expr_as(Expr::col((t("subjects"), t("label"))), t("subject"))
        .columns([
            (l, Lessons::Room),
            (l, Lessons::Weekday),
            (l, Lessons::StartsAt),
            (l, Lessons::EndsAt),
            (l, Lessons::Weeks),
            (l, Lessons::ValidFrom),
            (l, Lessons::ValidTo),
        ])
        .expr_as(
            Expr::col((LessonTeachers::Table, LessonTeachers::TeacherId)),
            t("teacher_id"),
        )
        .expr_as(Expr::col((t("users"), t("first_name"))), t("teacher_first"))
        .expr_as(Expr::col((t("users"), t("last_name"))), t("teacher_last"))
        .from(l)
        .inner_join(
            t("classes"),
            Expr::col((t("classes"), t("school_id")))
                .equals((l, Lessons::SchoolId))
                .and(Expr::col((t("classes"), t("id"))).equals((l, Lessons::ClassId))),
        )
        .inner_join(
            t("subjects"),
            Expr::col((t("subjects"), t("code"))).equals((l, Lessons::SubjectCode)),
        )
        .join(
            JoinType::LeftJoin,
            LessonTeachers::Table,
            Expr::col((LessonTeachers::Table, LessonTeachers::SchoolId))
                .equals((l, Lessons::SchoolId))
                .and(Expr::col((LessonTeachers::Table, LessonTeachers::LessonId)).equals((l, Lessons::Id))),
        )
        .join(
            JoinType::LeftJoin,
            t("users"),
            Expr::col((t("users"), t("id"))).equals((LessonTeachers::Table, LessonTeachers::TeacherId)),
        )
        .and_where(Expr::col((l, Lessons::SchoolId)).eq(school.0))
        .and_where(Expr::col((l, Lessons::ValidFrom)).lte(to.to_string()))
        .and_where(Expr::col((l, Lessons::ValidTo)).gte(from.to_string()))
        .order_by((l, Lessons::Id), Order::Asc)
        .order_by((t("users"), t("last_name")), Order::Asc)
        .to_owned()
}

/// The lessons of `whose` that may fall between `from` and `to`: a student's classes and groups, a
/// teacher's own lessons and those they replace someone in, a class's, a room's (including lessons
/// moved there).
pub async fn lessons(db: &Db, school: SchoolId, whose: &Whose, from: Date, to: Date) -> Result<Vec<Lesson>> {
    let mut q = lessons_query(school, from, to);
    let changed_in_range = |col: LessonChanges, value: sea_query::Value| {
        Query::select()
            .column(LessonChanges::LessonId)
            .from(LessonChanges::Table)
            .and_where(Expr::col(LessonChanges::SchoolId).eq(school.0))
            .and_where(Expr::col(col).eq(value))
            .and_where(Expr::col(LessonChanges::Day).gte(from.to_string()))
            .and_where(Expr::col(LessonChanges::Day).lte(to.to_string()))
            .to_owned()
    };
    match whose {
        Whose::Student(id) => {
            q.and_where(Expr::col((Lessons::Table, Lessons::ClassId)).in_subquery(classes_of(school, *id)));
        }
        Whose::Teacher(id) => {
            let own = Query::select()
                .column(LessonTeachers::LessonId)
                .from(LessonTeachers::Table)
                .and_where(Expr::col(LessonTeachers::SchoolId).eq(school.0))
                .and_where(Expr::col(LessonTeachers::TeacherId).eq(*id))
                .to_owned();
            // One IN over a UNION rather than two INs joined by OR, which PostgreSQL can only
            // answer by filtering every lesson of the school (0.8 ms a page at 1,200 students).
            let mut own = own;
            own.union(
                sea_query::UnionType::All,
                changed_in_range(LessonChanges::SubstituteId, (*id).into()),
            );
            q.and_where(Expr::col((Lessons::Table, Lessons::Id)).in_subquery(own));
        }
        Whose::Class(id) => {
            q.and_where(Expr::col((Lessons::Table, Lessons::ClassId)).eq(*id));
        }
        Whose::Room(room) => {
            q.cond_where(
                Expr::col((Lessons::Table, Lessons::Room))
                    .eq(room.as_str())
                    .or(Expr::col((Lessons::Table, Lessons::Id))
                        .in_subquery(changed_in_range(LessonChanges::Room, room.as_str().into()))),
            );
        }
    }
    let rows: Vec<LessonRow> = db.fetch_all(&q).await?;
    Ok(merge(rows))
}

/// The classes and groups a student is enrolled in at the school.
fn classes_of(school: SchoolId, student: Uuid) -> SelectStatement {
    Query::select()
        .column(t("class_id"))
        .from(t("class_students"))
        .and_where(Expr::col(t("school_id")).eq(school.0))
        .and_where(Expr::col(t("student_id")).eq(student))
        .to_owned()
}

/// One lesson of the school, with its teachers.
pub async fn lesson(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<Lesson>> {
    let mut q = lessons_query(school, Date::MIN, Date::MAX);
    q.and_where(Expr::col((Lessons::Table, Lessons::Id)).eq(id));
    let rows: Vec<LessonRow> = db.fetch_all(&q).await?;
    Ok(merge(rows).into_iter().next())
}

/// Every lesson of the school valid at some day between `from` and `to`.
pub async fn lessons_of_school(db: &Db, school: SchoolId, from: Date, to: Date) -> Result<Vec<Lesson>> {
    let q = lessons_query(school, from, to);
    let rows: Vec<LessonRow> = db.fetch_all(&q).await?;
    Ok(merge(rows))
}

/// Rows come one per (lesson, teacher), ordered by lesson: one `Lesson` each.
fn merge(rows: Vec<LessonRow>) -> Vec<Lesson> {
    let mut out: Vec<Lesson> = vec![];
    for r in rows {
        let teacher = match (r.teacher_id, r.teacher_first, r.teacher_last) {
            (Some(id), Some(first_name), Some(last_name)) => Some(TeacherName {
                id,
                first_name,
                last_name,
            }),
            _ => None,
        };
        if let Some(last) = out.last_mut()
            && last.id == r.id
        {
            last.teachers.extend(teacher);
            continue;
        }
        let (Some(valid_from), Some(valid_to)) = (parse_day(&r.valid_from), parse_day(&r.valid_to)) else {
            tracing::warn!(lesson = %r.id, "lesson with unreadable days skipped");
            continue;
        };
        out.push(Lesson {
            id: r.id,
            class_id: r.class_id,
            class_name: r.class_name,
            subject: crate::subject_label(&r.subject_code, &r.subject),
            subject_code: r.subject_code,
            teachers: teacher.into_iter().collect(),
            room: r.room,
            weekday: i8::try_from(r.weekday).unwrap_or(0),
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            weeks: Weeks::parse(&r.weeks).unwrap_or(Weeks::Every),
            valid_from,
            valid_to,
        });
    }
    out
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    lesson_id: Uuid,
    day: String,
    cancelled: bool,
    room: Option<String>,
    note: String,
    substitute_id: Option<Uuid>,
    first_name: Option<String>,
    last_name: Option<String>,
}

/// The school's changes between `from` and `to` (a few a day): the callers keep their lessons'.
pub async fn school_changes(db: &Db, school: SchoolId, from: Date, to: Date) -> Result<Vec<Change>> {
    let c = LessonChanges::Table;
    let q = Query::select()
        .columns([
            (c, LessonChanges::LessonId),
            (c, LessonChanges::Day),
            (c, LessonChanges::Cancelled),
            (c, LessonChanges::Room),
            (c, LessonChanges::Note),
            (c, LessonChanges::SubstituteId),
        ])
        .column((t("users"), t("first_name")))
        .column((t("users"), t("last_name")))
        .from(c)
        .join(
            JoinType::LeftJoin,
            t("users"),
            Expr::col((t("users"), t("id"))).equals((c, LessonChanges::SubstituteId)),
        )
        .and_where(Expr::col((c, LessonChanges::SchoolId)).eq(school.0))
        .and_where(Expr::col((c, LessonChanges::Day)).gte(from.to_string()))
        .and_where(Expr::col((c, LessonChanges::Day)).lte(to.to_string()))
        .to_owned();
    let rows: Vec<ChangeRow> = db.fetch_all(&q).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Change {
                lesson_id: r.lesson_id,
                day: parse_day(&r.day)?,
                cancelled: r.cancelled,
                substitute: match (r.substitute_id, r.first_name, r.last_name) {
                    (Some(id), Some(first_name), Some(last_name)) => Some(TeacherName {
                        id,
                        first_name,
                        last_name,
                    }),
                    _ => None,
                },
                room: r.room,
                note: r.note,
            })
        })
        .collect())
}

/// What the school sets for one occurrence; `None` fields leave the lesson as it is.
pub struct NewChange<'a> {
    pub lesson: Uuid,
    pub day: Date,
    pub cancelled: bool,
    pub substitute: Option<Uuid>,
    pub room: Option<&'a str>,
    pub note: &'a str,
    pub by: Uuid,
    pub at: i64,
}

/// Replaces the change of one occurrence (or removes it when `change` restores the lesson as usual).
pub async fn set_change(tx: &mut Tx, school: SchoolId, change: &NewChange<'_>) -> Result<()> {
    let q = Query::delete()
        .from_table(LessonChanges::Table)
        .and_where(Expr::col(LessonChanges::SchoolId).eq(school.0))
        .and_where(Expr::col(LessonChanges::LessonId).eq(change.lesson))
        .and_where(Expr::col(LessonChanges::Day).eq(change.day.to_string()))
        .to_owned();
    tx.execute(&q).await?;
    let as_usual =
        !change.cancelled && change.substitute.is_none() && change.room.is_none() && change.note.is_empty();
    if as_usual {
        return Ok(());
    }
    let q = Query::insert()
        .into_table(LessonChanges::Table)
        .columns([
            LessonChanges::SchoolId,
            LessonChanges::LessonId,
            LessonChanges::Day,
            LessonChanges::Cancelled,
            LessonChanges::SubstituteId,
            LessonChanges::Room,
            LessonChanges::Note,
            LessonChanges::ChangedBy,
            LessonChanges::ChangedAt,
        ])
        .values_panic([
            school.0.into(),
            change.lesson.into(),
            change.day.to_string().into(),
            change.cancelled.into(),
            change.substitute.into(),
            change.room.map(str::to_string).into(),
            change.note.into(),
            change.by.into(),
            change.at.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// A lesson to write (imports, extra lessons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLesson {
    pub class_id: Uuid,
    pub subject_code: String,
    pub teachers: Vec<Uuid>,
    pub room: String,
    pub weekday: i8,
    pub starts_at: i32,
    pub ends_at: i32,
    pub weeks: Weeks,
    pub valid_from: Date,
    pub valid_to: Date,
    pub source: &'static str,
    pub source_key: String,
}

/// Inserts the lesson, or updates the one with the same source key; returns its id.
pub async fn upsert_lesson(tx: &mut Tx, school: SchoolId, l: &NewLesson) -> Result<Uuid> {
    let existing = Query::select()
        .column(Lessons::Id)
        .from(Lessons::Table)
        .and_where(Expr::col(Lessons::SchoolId).eq(school.0))
        .and_where(Expr::col(Lessons::Source).eq(l.source))
        .and_where(Expr::col(Lessons::SourceKey).eq(l.source_key.as_str()))
        .to_owned();
    let id = match tx.fetch_optional::<(Uuid,)>(&existing).await? {
        Some((id,)) => {
            let q = Query::update()
                .table(Lessons::Table)
                .values([
                    (Lessons::ClassId, l.class_id.into()),
                    (Lessons::SubjectCode, l.subject_code.as_str().into()),
                    (Lessons::Room, l.room.as_str().into()),
                    (Lessons::Weekday, i32::from(l.weekday).into()),
                    (Lessons::StartsAt, l.starts_at.into()),
                    (Lessons::EndsAt, l.ends_at.into()),
                    (Lessons::Weeks, l.weeks.code().into()),
                    (Lessons::ValidFrom, l.valid_from.to_string().into()),
                    (Lessons::ValidTo, l.valid_to.to_string().into()),
                ])
                .and_where(Expr::col(Lessons::SchoolId).eq(school.0))
                .and_where(Expr::col(Lessons::Id).eq(id))
                .to_owned();
            tx.execute(&q).await?;
            let q = Query::delete()
                .from_table(LessonTeachers::Table)
                .and_where(Expr::col(LessonTeachers::SchoolId).eq(school.0))
                .and_where(Expr::col(LessonTeachers::LessonId).eq(id))
                .to_owned();
            tx.execute(&q).await?;
            id
        }
        None => {
            let id = Uuid::now_v7();
            let q = Query::insert()
                .into_table(Lessons::Table)
                .columns([
                    Lessons::SchoolId,
                    Lessons::Id,
                    Lessons::ClassId,
                    Lessons::SubjectCode,
                    Lessons::Room,
                    Lessons::Weekday,
                    Lessons::StartsAt,
                    Lessons::EndsAt,
                    Lessons::Weeks,
                    Lessons::ValidFrom,
                    Lessons::ValidTo,
                    Lessons::Source,
                    Lessons::SourceKey,
                ])
                .values_panic([
                    school.0.into(),
                    id.into(),
                    l.class_id.into(),
                    l.subject_code.as_str().into(),
                    l.room.as_str().into(),
                    i32::from(l.weekday).into(),
                    l.starts_at.into(),
                    l.ends_at.into(),
                    l.weeks.code().into(),
                    l.valid_from.to_string().into(),
                    l.valid_to.to_string().into(),
                    l.source.into(),
                    l.source_key.as_str().into(),
                ])
                .to_owned();
            tx.execute(&q).await?;
            id
        }
    };
    for teacher in &l.teachers {
        let q = Query::insert()
            .into_table(LessonTeachers::Table)
            .columns([
                LessonTeachers::SchoolId,
                LessonTeachers::LessonId,
                LessonTeachers::TeacherId,
            ])
            .values_panic([school.0.into(), id.into(), (*teacher).into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(id)
}

/// Ends, the day before `today`, the lessons of `source` whose key is not in `keep` (a new import of
/// the whole timetable drops lessons from now on, keeping their past for the cahier de textes).
/// Returns how many ended.
pub async fn end_others(
    tx: &mut Tx,
    school: SchoolId,
    source: &str,
    keep: &[String],
    today: Date,
) -> Result<u64> {
    let yesterday = crate::calendar::add_days(today, -1).to_string();
    let mut q = Query::update()
        .table(Lessons::Table)
        .value(Lessons::ValidTo, yesterday.as_str())
        .and_where(Expr::col(Lessons::SchoolId).eq(school.0))
        .and_where(Expr::col(Lessons::Source).eq(source))
        .and_where(Expr::col(Lessons::ValidTo).gt(yesterday.as_str()))
        .to_owned();
    if !keep.is_empty() {
        q.and_where(Expr::col(Lessons::SourceKey).is_not_in(keep.to_vec()));
    }
    tx.execute(&q).await
}

#[derive(sqlx::FromRow)]
struct CalendarRow {
    zone: String,
    first_day: String,
    last_day: String,
}

/// The school's calendar for the year of `day`: its own when it has one, else its zone's national one.
pub async fn calendar(db: &Db, school: SchoolId, day: Date) -> Result<Calendar> {
    let q = Query::select()
        .columns([
            SchoolCalendars::Zone,
            SchoolCalendars::FirstDay,
            SchoolCalendars::LastDay,
        ])
        .from(SchoolCalendars::Table)
        .and_where(Expr::col(SchoolCalendars::SchoolId).eq(school.0))
        .to_owned();
    if let Some(row) = db.fetch_optional::<CalendarRow>(&q).await?
        && let (Some(first_day), Some(last_day)) = (parse_day(&row.first_day), parse_day(&row.last_day))
    {
        let q = Query::select()
            .columns([
                SchoolHolidays::FirstDay,
                SchoolHolidays::LastDay,
                SchoolHolidays::Label,
            ])
            .from(SchoolHolidays::Table)
            .and_where(Expr::col(SchoolHolidays::SchoolId).eq(school.0))
            .order_by(SchoolHolidays::FirstDay, Order::Asc)
            .to_owned();
        let holidays: Vec<(String, String, String)> = db.fetch_all(&q).await?;
        return Ok(Calendar {
            zone: row.zone,
            first_day,
            last_day,
            holidays: holidays
                .into_iter()
                .filter_map(|(f, l, label)| {
                    Some(Holiday {
                        first: parse_day(&f)?,
                        last: parse_day(&l)?,
                        label,
                    })
                })
                .collect(),
        });
    }
    let q = Query::select()
        .column((t("academies"), t("code")))
        .from(t("schools"))
        .inner_join(
            t("academies"),
            Expr::col((t("academies"), t("id"))).equals((t("schools"), t("academy_id"))),
        )
        .and_where(Expr::col((t("schools"), t("id"))).eq(school.0))
        .to_owned();
    let academy = db
        .fetch_optional::<(String,)>(&q)
        .await?
        .map(|r| r.0)
        .unwrap_or_default();
    Ok(Calendar::national(
        zone_of_academy(&academy),
        Calendar::year_of(day),
    ))
}

/// Gives the school its own calendar for the year (replacing the one it had).
pub async fn set_calendar(tx: &mut Tx, school: SchoolId, c: &Calendar) -> Result<()> {
    let q = Query::delete()
        .from_table(SchoolHolidays::Table)
        .and_where(Expr::col(SchoolHolidays::SchoolId).eq(school.0))
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(SchoolCalendars::Table)
        .and_where(Expr::col(SchoolCalendars::SchoolId).eq(school.0))
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::insert()
        .into_table(SchoolCalendars::Table)
        .columns([
            SchoolCalendars::SchoolId,
            SchoolCalendars::Zone,
            SchoolCalendars::FirstDay,
            SchoolCalendars::LastDay,
        ])
        .values_panic([
            school.0.into(),
            c.zone.as_str().into(),
            c.first_day.to_string().into(),
            c.last_day.to_string().into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    for h in &c.holidays {
        let q = Query::insert()
            .into_table(SchoolHolidays::Table)
            .columns([
                SchoolHolidays::SchoolId,
                SchoolHolidays::FirstDay,
                SchoolHolidays::LastDay,
                SchoolHolidays::Label,
            ])
            .values_panic([
                school.0.into(),
                h.first.to_string().into(),
                h.last.to_string().into(),
                h.label.as_str().into(),
            ])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}
