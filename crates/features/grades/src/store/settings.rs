//! A school's grading periods, its NR rule and its subject coefficients.

use db::{Db, Result, Tx};
use directory::store::Subjects;
use kernel::{SchoolId, Timestamp};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};
use uuid::Uuid;

use super::{GradePeriods, GradeSettings, GradeSubjectCoefficients};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodRow {
    pub id: Uuid,
    pub label: String,
    pub start_day: String,
    pub end_day: String,
}

/// The school's periods, in order.
pub async fn periods(db: &Db, school: SchoolId) -> Result<Vec<PeriodRow>> {
    let q = Query::select()
        .columns([
            GradePeriods::Id,
            GradePeriods::Label,
            GradePeriods::StartDay,
            GradePeriods::EndDay,
        ])
        .from(GradePeriods::Table)
        .and_where(Expr::col(GradePeriods::SchoolId).eq(school.0))
        .order_by(GradePeriods::StartDay, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The school's periods, read inside a write (to replace them).
pub async fn periods_in(tx: &mut Tx, school: SchoolId) -> Result<Vec<PeriodRow>> {
    let q = Query::select()
        .columns([
            GradePeriods::Id,
            GradePeriods::Label,
            GradePeriods::StartDay,
            GradePeriods::EndDay,
        ])
        .from(GradePeriods::Table)
        .and_where(Expr::col(GradePeriods::SchoolId).eq(school.0))
        .to_owned();
    tx.fetch_all(&q).await
}

pub async fn insert_period(tx: &mut Tx, school: SchoolId, p: &PeriodRow) -> Result<()> {
    let q = Query::insert()
        .into_table(GradePeriods::Table)
        .columns([
            GradePeriods::SchoolId,
            GradePeriods::Id,
            GradePeriods::Label,
            GradePeriods::StartDay,
            GradePeriods::EndDay,
        ])
        .values_panic([
            school.0.into(),
            p.id.into(),
            p.label.as_str().into(),
            p.start_day.as_str().into(),
            p.end_day.as_str().into(),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

pub async fn update_period(tx: &mut Tx, school: SchoolId, p: &PeriodRow) -> Result<()> {
    let q = Query::update()
        .table(GradePeriods::Table)
        .value(GradePeriods::Label, p.label.as_str())
        .value(GradePeriods::StartDay, p.start_day.as_str())
        .value(GradePeriods::EndDay, p.end_day.as_str())
        .and_where(Expr::col(GradePeriods::SchoolId).eq(school.0))
        .and_where(Expr::col(GradePeriods::Id).eq(p.id))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

pub async fn delete_period(tx: &mut Tx, school: SchoolId, id: Uuid) -> Result<()> {
    let q = Query::delete()
        .from_table(GradePeriods::Table)
        .and_where(Expr::col(GradePeriods::SchoolId).eq(school.0))
        .and_where(Expr::col(GradePeriods::Id).eq(id))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Whether NR counts as 0 (`None`: the school never chose).
pub async fn nr_counts_zero(db: &Db, school: SchoolId) -> Result<Option<bool>> {
    let q = Query::select()
        .column(GradeSettings::NrCountsZero)
        .from(GradeSettings::Table)
        .and_where(Expr::col(GradeSettings::SchoolId).eq(school.0))
        .to_owned();
    Ok(db.fetch_optional::<(bool,)>(&q).await?.map(|r| r.0))
}

pub async fn set_nr_counts_zero(tx: &mut Tx, school: SchoolId, zero: bool, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(GradeSettings::Table)
        .columns([
            GradeSettings::SchoolId,
            GradeSettings::NrCountsZero,
            GradeSettings::UpdatedAt,
        ])
        .values_panic([school.0.into(), zero.into(), now.0.into()])
        .on_conflict(
            OnConflict::column(GradeSettings::SchoolId)
                .update_columns([GradeSettings::NrCountsZero, GradeSettings::UpdatedAt])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// (subject code, label, coefficient in hundredths) of the subjects the school set a coefficient for.
pub async fn subject_coefficients(db: &Db, school: SchoolId) -> Result<Vec<(String, String, i32)>> {
    let c = GradeSubjectCoefficients::Table;
    let q = Query::select()
        .column((c, GradeSubjectCoefficients::SubjectCode))
        .expr_as(Expr::col((Subjects::Table, Subjects::Label)), Alias::new("label"))
        .column((c, GradeSubjectCoefficients::Coefficient))
        .from(c)
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((c, GradeSubjectCoefficients::SubjectCode)),
        )
        .and_where(Expr::col((c, GradeSubjectCoefficients::SchoolId)).eq(school.0))
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Sets a subject's coefficient; `None` (or 1) goes back to the default.
pub async fn set_subject_coefficient(
    tx: &mut Tx,
    school: SchoolId,
    subject: &str,
    coefficient: Option<i32>,
) -> Result<()> {
    let q = Query::delete()
        .from_table(GradeSubjectCoefficients::Table)
        .and_where(Expr::col(GradeSubjectCoefficients::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeSubjectCoefficients::SubjectCode).eq(subject))
        .to_owned();
    tx.execute(&q).await?;
    if let Some(c) = coefficient.filter(|c| *c != 100) {
        let q = Query::insert()
            .into_table(GradeSubjectCoefficients::Table)
            .columns([
                GradeSubjectCoefficients::SchoolId,
                GradeSubjectCoefficients::SubjectCode,
                GradeSubjectCoefficients::Coefficient,
            ])
            .values_panic([school.0.into(), subject.into(), c.into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}
