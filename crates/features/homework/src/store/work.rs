//! A student's side of homework: done ticks, hand-ins and corrections.

use db::{Db, Result, Tx};
use kernel::{SchoolId, Timestamp};
use sea_query::{Expr, ExprTrait, Func, OnConflict, Query, SelectStatement, Value};
use uuid::Uuid;

use super::tables::*;

/// Which of `homework` the student ticked done.
pub async fn done_among(db: &Db, school: SchoolId, student: Uuid, homework: &[Uuid]) -> Result<Vec<Uuid>> {
    if homework.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(HomeworkDone::HomeworkId)
        .from(HomeworkDone::Table)
        .and_where(Expr::col(HomeworkDone::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkDone::StudentId).eq(student))
        .and_where(Expr::col(HomeworkDone::HomeworkId).is_in(homework.to_vec()))
        .to_owned();
    super::first_column(db, &q).await
}

/// The students who ticked `homework` done.
pub async fn done_by(db: &Db, school: SchoolId, homework: Uuid) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(HomeworkDone::StudentId)
        .from(HomeworkDone::Table)
        .and_where(Expr::col(HomeworkDone::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkDone::HomeworkId).eq(homework))
        .to_owned();
    super::first_column(db, &q).await
}

pub async fn set_done(
    db: &Db,
    school: SchoolId,
    homework: Uuid,
    student: Uuid,
    done: bool,
    now: Timestamp,
) -> Result<()> {
    if done {
        let q = Query::insert()
            .into_table(HomeworkDone::Table)
            .columns([
                HomeworkDone::SchoolId,
                HomeworkDone::HomeworkId,
                HomeworkDone::StudentId,
                HomeworkDone::DoneAt,
            ])
            .values_panic([school.0.into(), homework.into(), student.into(), now.0.into()])
            .on_conflict(
                OnConflict::columns([
                    HomeworkDone::SchoolId,
                    HomeworkDone::HomeworkId,
                    HomeworkDone::StudentId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        db.execute(&q).await?;
    } else {
        let q = Query::delete()
            .from_table(HomeworkDone::Table)
            .and_where(Expr::col(HomeworkDone::SchoolId).eq(school.0))
            .and_where(Expr::col(HomeworkDone::HomeworkId).eq(homework))
            .and_where(Expr::col(HomeworkDone::StudentId).eq(student))
            .to_owned();
        db.execute(&q).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Submission {
    pub student_id: Uuid,
    pub text: String,
    pub submitted_at: Option<i64>,
    pub correction: Option<String>,
    pub corrected_at: Option<i64>,
}

fn submission_select(school: SchoolId, homework: Uuid) -> SelectStatement {
    Query::select()
        .columns([
            HomeworkSubmissions::StudentId,
            HomeworkSubmissions::Text,
            HomeworkSubmissions::SubmittedAt,
            HomeworkSubmissions::Correction,
            HomeworkSubmissions::CorrectedAt,
        ])
        .from(HomeworkSubmissions::Table)
        .and_where(Expr::col(HomeworkSubmissions::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkSubmissions::HomeworkId).eq(homework))
        .to_owned()
}

pub async fn submission(
    db: &Db,
    school: SchoolId,
    homework: Uuid,
    student: Uuid,
) -> Result<Option<Submission>> {
    let q = submission_select(school, homework)
        .and_where(Expr::col(HomeworkSubmissions::StudentId).eq(student))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn submissions_of(db: &Db, school: SchoolId, homework: Uuid) -> Result<Vec<Submission>> {
    db.fetch_all(&submission_select(school, homework)).await
}

/// Handed-in work per homework (for the teacher's counts).
pub async fn handed_in_counts(db: &Db, school: SchoolId, homework: &[Uuid]) -> Result<Vec<(Uuid, i64)>> {
    if homework.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(HomeworkSubmissions::HomeworkId)
        .expr(Func::count(Expr::col(HomeworkSubmissions::StudentId)))
        .from(HomeworkSubmissions::Table)
        .and_where(Expr::col(HomeworkSubmissions::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkSubmissions::HomeworkId).is_in(homework.to_vec()))
        .and_where(Expr::col(HomeworkSubmissions::SubmittedAt).is_not_null())
        .group_by_col(HomeworkSubmissions::HomeworkId)
        .to_owned();
    db.fetch_all(&q).await
}

/// Records a hand-in (the text replaces the previous one; the time is the latest hand-in's).
pub async fn hand_in(
    tx: &mut Tx,
    school: SchoolId,
    homework: Uuid,
    student: Uuid,
    text: &str,
    now: Timestamp,
) -> Result<()> {
    let set = [
        (HomeworkSubmissions::Text, text.into()),
        (HomeworkSubmissions::SubmittedAt, now.0.into()),
    ];
    upsert_submission(tx, school, (homework, student), set).await
}

/// Records a returned correction (work handed in on paper gets one too).
pub async fn correct(
    tx: &mut Tx,
    school: SchoolId,
    homework: Uuid,
    student: Uuid,
    text: &str,
    now: Timestamp,
) -> Result<()> {
    let set = [
        (HomeworkSubmissions::Correction, text.into()),
        (HomeworkSubmissions::CorrectedAt, now.0.into()),
    ];
    upsert_submission(tx, school, (homework, student), set).await
}

/// Sets two columns of a student's submission row, creating the row if needed (with no text when the
/// text is not among them: a correction of work handed in on paper).
async fn upsert_submission(
    tx: &mut Tx,
    school: SchoolId,
    (homework, student): (Uuid, Uuid),
    set: [(HomeworkSubmissions, Value); 2],
) -> Result<()> {
    let key = [
        HomeworkSubmissions::SchoolId,
        HomeworkSubmissions::HomeworkId,
        HomeworkSubmissions::StudentId,
    ];
    let mut columns = key.to_vec();
    let mut values: Vec<Expr> = vec![school.0.into(), homework.into(), student.into()];
    if !set.iter().any(|(c, _)| matches!(c, HomeworkSubmissions::Text)) {
        columns.push(HomeworkSubmissions::Text);
        values.push("".into());
    }
    columns.extend(set.iter().map(|(c, _)| *c));
    values.extend(set.iter().map(|(_, v)| Expr::val(v.clone())));
    let q = Query::insert()
        .into_table(HomeworkSubmissions::Table)
        .columns(columns)
        .values_panic(values)
        .on_conflict(
            OnConflict::columns(key)
                .update_columns(set.map(|(c, _)| c))
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// When the student last handed in each of `homework` (those they handed in).
pub async fn handed_in_by(
    db: &Db,
    school: SchoolId,
    student: Uuid,
    homework: &[Uuid],
) -> Result<Vec<(Uuid, i64)>> {
    if homework.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([HomeworkSubmissions::HomeworkId, HomeworkSubmissions::SubmittedAt])
        .from(HomeworkSubmissions::Table)
        .and_where(Expr::col(HomeworkSubmissions::SchoolId).eq(school.0))
        .and_where(Expr::col(HomeworkSubmissions::StudentId).eq(student))
        .and_where(Expr::col(HomeworkSubmissions::HomeworkId).is_in(homework.to_vec()))
        .and_where(Expr::col(HomeworkSubmissions::SubmittedAt).is_not_null())
        .to_owned();
    db.fetch_all(&q).await
}
