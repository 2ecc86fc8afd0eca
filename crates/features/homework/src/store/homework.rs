//! Homework rows, and the marks the timetable shows on lessons.

use db::{Db, Result, Tx};
use directory::store::Subjects;
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use uuid::Uuid;

use super::tables::*;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HomeworkRow {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject_label: String,
    pub teacher_id: Uuid,
    pub teacher_first: String,
    pub teacher_last: String,
    pub title: String,
    pub instructions: String,
    pub set_day: String,
    pub due_day: String,
    pub due_lesson_id: Option<Uuid>,
    pub minutes: Option<i32>,
    pub handin: bool,
    pub deadline: Option<i64>,
    pub common_correction: Option<String>,
    pub common_correction_at: Option<i64>,
}

fn homework_select(school: SchoolId) -> SelectStatement {
    let h = Homework::Table;
    let mut q = Query::select()
        .columns([
            (h, Homework::Id),
            (h, Homework::EntryId),
            (h, Homework::ClassId),
            (h, Homework::ClassName),
            (h, Homework::SubjectCode),
            (h, Homework::TeacherId),
            (h, Homework::Title),
            (h, Homework::Instructions),
            (h, Homework::SetDay),
            (h, Homework::DueDay),
            (h, Homework::DueLessonId),
            (h, Homework::Minutes),
            (h, Homework::Handin),
            (h, Homework::Deadline),
            (h, Homework::CommonCorrection),
            (h, Homework::CommonCorrectionAt),
        ])
        .from(h)
        .and_where(Expr::col((h, Homework::SchoolId)).eq(school.0))
        .to_owned();
    super::name_subject_and_teacher(&mut q, (h, Homework::SubjectCode), (h, Homework::TeacherId));
    q
}

pub async fn homework(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<HomeworkRow>> {
    let q = homework_select(school)
        .and_where(Expr::col((Homework::Table, Homework::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn homework_of_entries(db: &Db, school: SchoolId, entries: &[Uuid]) -> Result<Vec<HomeworkRow>> {
    if entries.is_empty() {
        return Ok(vec![]);
    }
    let q = homework_select(school)
        .and_where(Expr::col((Homework::Table, Homework::EntryId)).is_in(entries.to_vec()))
        .order_by((Homework::Table, Homework::Id), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Homework of these classes due from `from_day` on, soonest first.
pub async fn homework_for_classes(
    db: &Db,
    school: SchoolId,
    classes: &[Uuid],
    from_day: &str,
) -> Result<Vec<HomeworkRow>> {
    if classes.is_empty() {
        return Ok(vec![]);
    }
    let h = Homework::Table;
    let q = homework_select(school)
        .and_where(Expr::col((h, Homework::ClassId)).is_in(classes.to_vec()))
        .and_where(Expr::col((h, Homework::DueDay)).gte(from_day))
        .order_by((h, Homework::DueDay), Order::Asc)
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .limit(300)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn homework_of_teacher(
    db: &Db,
    school: SchoolId,
    teacher: UserId,
    from_day: &str,
) -> Result<Vec<HomeworkRow>> {
    let h = Homework::Table;
    let q = homework_select(school)
        .and_where(Expr::col((h, Homework::TeacherId)).eq(teacher.0))
        .and_where(Expr::col((h, Homework::DueDay)).gte(from_day))
        .order_by((h, Homework::DueDay), Order::Asc)
        .limit(300)
        .to_owned();
    db.fetch_all(&q).await
}

pub struct NewHomework<'a> {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub class_id: Uuid,
    pub class_name: &'a str,
    pub subject_code: &'a str,
    pub teacher_id: Uuid,
    pub set_day: &'a str,
    pub draft: &'a crate::model::HomeworkDraft,
}

pub async fn insert_homework(
    tx: &mut Tx,
    school: SchoolId,
    h: NewHomework<'_>,
    now: Timestamp,
) -> Result<()> {
    let d = h.draft;
    let q = Query::insert()
        .into_table(Homework::Table)
        .columns([
            Homework::SchoolId,
            Homework::Id,
            Homework::EntryId,
            Homework::ClassId,
            Homework::ClassName,
            Homework::SubjectCode,
            Homework::TeacherId,
            Homework::Title,
            Homework::Instructions,
            Homework::SetDay,
            Homework::DueDay,
            Homework::DueLessonId,
            Homework::Minutes,
            Homework::Handin,
            Homework::Deadline,
            Homework::CreatedAt,
        ])
        .values_panic([
            school.0.into(),
            h.id.into(),
            h.entry_id.into(),
            h.class_id.into(),
            h.class_name.into(),
            h.subject_code.into(),
            h.teacher_id.into(),
            d.title.as_str().into(),
            d.instructions.as_str().into(),
            h.set_day.into(),
            d.due_day.to_string().into(),
            d.due_lesson.into(),
            d.minutes.into(),
            d.handin.into(),
            d.deadline.map(|t| t.0).into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// Deletes homework and everything hanging from it (ticks, work, files and links rows).
pub async fn delete_homework(tx: &mut Tx, school: SchoolId, id: Uuid) -> Result<()> {
    let by_homework = |table: Alias| {
        Query::delete()
            .from_table(table)
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("homework_id")).eq(id))
            .to_owned()
    };
    tx.execute(&by_homework(Alias::new("homework_done"))).await?;
    tx.execute(&by_homework(Alias::new("homework_submissions")))
        .await?;
    let files = Query::delete()
        .from_table(HomeworkFiles::Table)
        .and_where(Expr::col(HomeworkFiles::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkFiles::ParentId).eq(id))
        .to_owned();
    tx.execute(&files).await?;
    super::replace_links(tx, school, id, &[]).await?;
    let q = Query::delete()
        .from_table(Homework::Table)
        .and_where(Expr::col(Homework::SchoolId).eq(school.0))
        .and_where(Expr::col(Homework::Id).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn set_common_correction(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    text: &str,
    now: Timestamp,
) -> Result<()> {
    let q = Query::update()
        .table(Homework::Table)
        .value(Homework::CommonCorrection, text)
        .value(Homework::CommonCorrectionAt, now.0)
        .and_where(Expr::col(Homework::SchoolId).eq(school.0))
        .and_where(Expr::col(Homework::Id).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

// ---- the timetable's marks ----

/// (lesson, day, has content, is homework due) rows of the lessons of `classes` between two days: the
/// entries written for a lesson and the homework due for one, in one query.
pub async fn lesson_marks(
    db: &Db,
    school: SchoolId,
    classes: &[Uuid],
    from_day: &str,
    to_day: &str,
) -> Result<Vec<(Uuid, String, bool, bool)>> {
    if classes.is_empty() {
        return Ok(vec![]);
    }
    let e = LogbookEntries::Table;
    let h = Homework::Table;
    let entries = Query::select()
        .expr_as(Expr::col(LogbookEntries::LessonId), Alias::new("lesson_id"))
        .expr_as(Expr::col(LogbookEntries::Day), Alias::new("day"))
        .expr_as(
            Expr::col(LogbookEntries::Content).ne(""),
            Alias::new("has_content"),
        )
        .expr_as(Expr::val(false), Alias::new("due"))
        .from(e)
        .and_where(Expr::col(LogbookEntries::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookEntries::ClassId).is_in(classes.to_vec()))
        .and_where(Expr::col(LogbookEntries::LessonId).is_not_null())
        .and_where(Expr::col(LogbookEntries::Day).gte(from_day))
        .and_where(Expr::col(LogbookEntries::Day).lte(to_day))
        .to_owned();
    let due = Query::select()
        .expr(Expr::col(Homework::DueLessonId))
        .expr(Expr::col(Homework::DueDay))
        .expr(Expr::val(false))
        .expr(Expr::val(true))
        .from(h)
        .and_where(Expr::col(Homework::SchoolId).eq(school.0))
        .and_where(Expr::col(Homework::ClassId).is_in(classes.to_vec()))
        .and_where(Expr::col(Homework::DueLessonId).is_not_null())
        .and_where(Expr::col(Homework::DueDay).gte(from_day))
        .and_where(Expr::col(Homework::DueDay).lte(to_day))
        .to_owned();
    let q = entries.clone().union(UnionType::All, due).to_owned();
    db.fetch_all(&q).await
}
