//! Evaluations and the components they assess.

use db::{Db, Result, Tx};
use directory::store::{Subjects, Teachings, Users};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use super::{GradeEvaluationComponents, GradeEvaluations};
use crate::model::EvaluationDraft;
use crate::skills::Component;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvaluationRow {
    pub id: Uuid,
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject_label: String,
    pub teacher_id: Uuid,
    pub teacher_first: String,
    pub teacher_last: String,
    pub day: String,
    pub title: String,
    pub kind: String,
    pub scale: i32,
    pub coefficient: i32,
    pub cycle: Option<i32>,
    pub published_at: Option<i64>,
}

fn select(school: SchoolId) -> SelectStatement {
    let e = GradeEvaluations::Table;
    Query::select()
        .columns([
            (e, GradeEvaluations::Id),
            (e, GradeEvaluations::ClassId),
            (e, GradeEvaluations::ClassName),
            (e, GradeEvaluations::SubjectCode),
            (e, GradeEvaluations::TeacherId),
            (e, GradeEvaluations::Day),
            (e, GradeEvaluations::Title),
            (e, GradeEvaluations::Kind),
            (e, GradeEvaluations::Scale),
            (e, GradeEvaluations::Coefficient),
            (e, GradeEvaluations::Cycle),
            (e, GradeEvaluations::PublishedAt),
        ])
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Label)),
            Alias::new("subject_label"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::FirstName)),
            Alias::new("teacher_first"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::LastName)),
            Alias::new("teacher_last"),
        )
        .from(e)
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((e, GradeEvaluations::SubjectCode)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((e, GradeEvaluations::TeacherId)),
        )
        .and_where(Expr::col((e, GradeEvaluations::SchoolId)).eq(school.0))
        .to_owned()
}

pub async fn evaluation(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<EvaluationRow>> {
    let q = select(school)
        .and_where(Expr::col((GradeEvaluations::Table, GradeEvaluations::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// A teacher's evaluations, latest first.
pub async fn evaluations_of_teacher(
    db: &Db,
    school: SchoolId,
    teacher: UserId,
) -> Result<Vec<EvaluationRow>> {
    let e = GradeEvaluations::Table;
    let q = select(school)
        .and_where(Expr::col((e, GradeEvaluations::TeacherId)).eq(teacher.0))
        .order_by((e, GradeEvaluations::Day), Order::Desc)
        .order_by((e, GradeEvaluations::Id), Order::Desc)
        .limit(500)
        .to_owned();
    db.fetch_all(&q).await
}

/// Published evaluations between two days (inclusive) set to one of `classes` or whose id is among
/// `ids`, by subject then day.
pub async fn published_between(
    db: &Db,
    school: SchoolId,
    classes: &[Uuid],
    ids: &[Uuid],
    from: &str,
    to: &str,
) -> Result<Vec<EvaluationRow>> {
    if classes.is_empty() && ids.is_empty() {
        return Ok(vec![]);
    }
    let e = GradeEvaluations::Table;
    let q = select(school)
        .and_where(Expr::col((e, GradeEvaluations::PublishedAt)).is_not_null())
        .and_where(Expr::col((e, GradeEvaluations::Day)).gte(from))
        .and_where(Expr::col((e, GradeEvaluations::Day)).lte(to))
        .cond_where(
            Cond::any()
                .add(Expr::col((e, GradeEvaluations::ClassId)).is_in(classes.to_vec()))
                .add(Expr::col((e, GradeEvaluations::Id)).is_in(ids.to_vec())),
        )
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .order_by((e, GradeEvaluations::Day), Order::Desc)
        .to_owned();
    db.fetch_all(&q).await
}

pub struct NewEvaluation<'a> {
    pub id: Uuid,
    pub class_name: &'a str,
    pub teacher: UserId,
    pub cycle: Option<i32>,
    pub draft: &'a EvaluationDraft,
}

pub async fn insert_evaluation(
    tx: &mut Tx,
    school: SchoolId,
    e: NewEvaluation<'_>,
    now: Timestamp,
) -> Result<()> {
    let d = e.draft;
    let q = Query::insert()
        .into_table(GradeEvaluations::Table)
        .columns([
            GradeEvaluations::SchoolId,
            GradeEvaluations::Id,
            GradeEvaluations::ClassId,
            GradeEvaluations::ClassName,
            GradeEvaluations::SubjectCode,
            GradeEvaluations::TeacherId,
            GradeEvaluations::Day,
            GradeEvaluations::Title,
            GradeEvaluations::Kind,
            GradeEvaluations::Scale,
            GradeEvaluations::Coefficient,
            GradeEvaluations::Cycle,
            GradeEvaluations::CreatedAt,
            GradeEvaluations::UpdatedAt,
        ])
        .values_panic([
            school.0.into(),
            e.id.into(),
            d.class_id.into(),
            e.class_name.into(),
            d.subject_code.as_str().into(),
            e.teacher.0.into(),
            d.day.to_string().into(),
            d.title.as_str().into(),
            d.kind.code().into(),
            i32::try_from(d.scale).unwrap_or(20).into(),
            i32::try_from(d.coefficient).unwrap_or(100).into(),
            e.cycle.into(),
            now.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    replace_components(tx, school, e.id, &d.components).await
}

/// Changes an evaluation's day, title, kind, scale, coefficient and components (its class and subject
/// stay).
pub async fn update_evaluation(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    d: &EvaluationDraft,
    now: Timestamp,
) -> Result<()> {
    let q = Query::update()
        .table(GradeEvaluations::Table)
        .value(GradeEvaluations::Day, d.day.to_string())
        .value(GradeEvaluations::Title, d.title.as_str())
        .value(GradeEvaluations::Kind, d.kind.code())
        .value(GradeEvaluations::Scale, i32::try_from(d.scale).unwrap_or(20))
        .value(
            GradeEvaluations::Coefficient,
            i32::try_from(d.coefficient).unwrap_or(100),
        )
        .value(GradeEvaluations::UpdatedAt, now.0)
        .and_where(Expr::col(GradeEvaluations::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeEvaluations::Id).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    replace_components(tx, school, id, &d.components).await
}

async fn replace_components(tx: &mut Tx, school: SchoolId, id: Uuid, components: &[Component]) -> Result<()> {
    let q = Query::delete()
        .from_table(GradeEvaluationComponents::Table)
        .and_where(Expr::col(GradeEvaluationComponents::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeEvaluationComponents::EvaluationId).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    if components.is_empty() {
        return Ok(());
    }
    let mut q = Query::insert()
        .into_table(GradeEvaluationComponents::Table)
        .columns([
            GradeEvaluationComponents::SchoolId,
            GradeEvaluationComponents::EvaluationId,
            GradeEvaluationComponents::Component,
        ])
        .to_owned();
    for c in components {
        q.values_panic([school.0.into(), id.into(), c.code().into()]);
    }
    tx.execute(&q).await.map(drop)
}

/// Marks the evaluation published; false when it already was.
pub async fn publish(tx: &mut Tx, school: SchoolId, id: Uuid, now: Timestamp) -> Result<bool> {
    let q = Query::update()
        .table(GradeEvaluations::Table)
        .value(GradeEvaluations::PublishedAt, now.0)
        .and_where(Expr::col(GradeEvaluations::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeEvaluations::Id).eq(id))
        .and_where(Expr::col(GradeEvaluations::PublishedAt).is_null())
        .to_owned();
    Ok(tx.execute(&q).await? == 1)
}

/// Deletes an evaluation with its components and results.
pub async fn delete_evaluation(tx: &mut Tx, school: SchoolId, id: Uuid) -> Result<()> {
    let by_evaluation = |table: Alias| {
        Query::delete()
            .from_table(table)
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("evaluation_id")).eq(id))
            .to_owned()
    };
    for table in [
        "grade_marks",
        "grade_skill_results",
        "grade_evaluation_components",
    ] {
        tx.execute(&by_evaluation(Alias::new(table))).await?;
    }
    let q = Query::delete()
        .from_table(GradeEvaluations::Table)
        .and_where(Expr::col(GradeEvaluations::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeEvaluations::Id).eq(id))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// (evaluation, component code) of the evaluations given.
pub async fn components_of(db: &Db, school: SchoolId, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([
            GradeEvaluationComponents::EvaluationId,
            GradeEvaluationComponents::Component,
        ])
        .from(GradeEvaluationComponents::Table)
        .and_where(Expr::col(GradeEvaluationComponents::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeEvaluationComponents::EvaluationId).is_in(ids.to_vec()))
        .order_by(GradeEvaluationComponents::Component, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// (code, label) of the subjects taught in the school, by label.
pub async fn school_subjects(db: &Db, school: SchoolId) -> Result<Vec<(String, String)>> {
    let q = Query::select()
        .distinct()
        .column((Subjects::Table, Subjects::Code))
        .column((Subjects::Table, Subjects::Label))
        .from(Teachings::Table)
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((Teachings::Table, Teachings::SubjectCode)),
        )
        .and_where(Expr::col((Teachings::Table, Teachings::SchoolId)).eq(school.0))
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The days on which the school's evaluations fall (to keep each inside a period).
pub async fn evaluation_days(db: &Db, school: SchoolId) -> Result<Vec<String>> {
    let q = Query::select()
        .distinct()
        .column(GradeEvaluations::Day)
        .from(GradeEvaluations::Table)
        .and_where(Expr::col(GradeEvaluations::SchoolId).eq(school.0))
        .to_owned();
    Ok(db
        .fetch_all::<(String,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// The labels of subjects by code.
pub async fn subject_labels(db: &Db, codes: &[String]) -> Result<Vec<(String, String)>> {
    if codes.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([Subjects::Code, Subjects::Label])
        .from(Subjects::Table)
        .and_where(Expr::col(Subjects::Code).is_in(codes.to_vec()))
        .to_owned();
    db.fetch_all(&q).await
}
