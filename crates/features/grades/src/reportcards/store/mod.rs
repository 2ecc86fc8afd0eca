//! Report-card SQL, one function per question, every query filtered on `school_id`: here the
//! appraisals and the council; the report cards themselves and what printing reads of the directory in
//! `cards.rs`. The directory's tables are read through `directory::store`'s identifiers, only to name
//! people and subjects and to print the school's letterhead and a student's date of birth.

mod cards;

pub use cards::*;

use db::{Db, Result, Tx};
use kernel::{ClassId, SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Order, Query, SimpleExpr};
use uuid::Uuid;

use super::model::Mention;

#[derive(Iden, Clone, Copy)]
enum ReportSubjectAppraisals {
    Table,
    SchoolId,
    PeriodId,
    ClassId,
    StudentId,
    SubjectCode,
    TeacherId,
    Text,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
enum ReportGeneralAppraisals {
    Table,
    SchoolId,
    PeriodId,
    ClassId,
    StudentId,
    Text,
    AuthorId,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
enum ReportCouncils {
    Table,
    SchoolId,
    PeriodId,
    ClassId,
    Summary,
    UpdatedBy,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
enum ReportCouncilMentions {
    Table,
    SchoolId,
    PeriodId,
    ClassId,
    StudentId,
    Mention,
    DecidedBy,
    DecidedAt,
}

/// Which class and period a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub school: SchoolId,
    pub period: Uuid,
    pub class: ClassId,
}

/// `table.school_id = ? AND table.period_id = ? AND table.class_id = ?`.
pub(super) fn in_scope<T: Iden + Copy + 'static>(table: T, cols: [T; 3], s: Scope) -> SimpleExpr {
    Expr::col((table, cols[0]))
        .eq(s.school.0)
        .and(Expr::col((table, cols[1])).eq(s.period))
        .and(Expr::col((table, cols[2])).eq(s.class.0))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubjectAppraisal {
    pub student_id: Uuid,
    pub subject_code: String,
    pub teacher_id: Uuid,
    pub text: String,
}

/// The subject appraisals of a class for a period (of one subject, or all).
pub async fn subject_appraisals(db: &Db, s: Scope, subject: Option<&str>) -> Result<Vec<SubjectAppraisal>> {
    use ReportSubjectAppraisals as T;
    let mut q = Query::select()
        .columns([T::StudentId, T::SubjectCode, T::TeacherId, T::Text])
        .from(T::Table)
        .cond_where(in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s))
        .order_by(T::SubjectCode, Order::Asc)
        .order_by(T::TeacherId, Order::Asc)
        .to_owned();
    if let Some(code) = subject {
        q.and_where(Expr::col(T::SubjectCode).eq(code));
    }
    db.fetch_all(&q).await
}

/// Saves one teacher's appraisals of a subject: an empty text removes the student's appraisal.
pub async fn save_subject_appraisals(
    tx: &mut Tx,
    s: Scope,
    (subject, teacher): (&str, UserId),
    texts: &[(Uuid, String)],
    now: Timestamp,
) -> Result<()> {
    use ReportSubjectAppraisals as T;
    for (student, text) in texts {
        let key = in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s)
            .and(Expr::col(T::StudentId).eq(*student))
            .and(Expr::col(T::SubjectCode).eq(subject))
            .and(Expr::col(T::TeacherId).eq(teacher.0));
        if text.is_empty() {
            tx.execute(&Query::delete().from_table(T::Table).cond_where(key).to_owned())
                .await?;
            continue;
        }
        let q = Query::insert()
            .into_table(T::Table)
            .columns([
                T::SchoolId,
                T::PeriodId,
                T::ClassId,
                T::StudentId,
                T::SubjectCode,
                T::TeacherId,
                T::Text,
                T::UpdatedAt,
            ])
            .values_panic([
                s.school.0.into(),
                s.period.into(),
                s.class.0.into(),
                (*student).into(),
                subject.into(),
                teacher.0.into(),
                text.as_str().into(),
                now.0.into(),
            ])
            .on_conflict(
                OnConflict::columns([
                    T::SchoolId,
                    T::PeriodId,
                    T::ClassId,
                    T::StudentId,
                    T::SubjectCode,
                    T::TeacherId,
                ])
                .update_columns([T::Text, T::UpdatedAt])
                .to_owned(),
            )
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// The general appraisals of a class for a period: (student, text).
pub async fn general_appraisals(db: &Db, s: Scope) -> Result<Vec<(Uuid, String)>> {
    use ReportGeneralAppraisals as T;
    let q = Query::select()
        .columns([T::StudentId, T::Text])
        .from(T::Table)
        .cond_where(in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s))
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn save_general_appraisals(
    tx: &mut Tx,
    s: Scope,
    author: UserId,
    texts: &[(Uuid, String)],
    now: Timestamp,
) -> Result<()> {
    use ReportGeneralAppraisals as T;
    for (student, text) in texts {
        let key = in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s)
            .and(Expr::col(T::StudentId).eq(*student));
        if text.is_empty() {
            tx.execute(&Query::delete().from_table(T::Table).cond_where(key).to_owned())
                .await?;
            continue;
        }
        let q = Query::insert()
            .into_table(T::Table)
            .columns([
                T::SchoolId,
                T::PeriodId,
                T::ClassId,
                T::StudentId,
                T::Text,
                T::AuthorId,
                T::UpdatedAt,
            ])
            .values_panic([
                s.school.0.into(),
                s.period.into(),
                s.class.0.into(),
                (*student).into(),
                text.as_str().into(),
                author.0.into(),
                now.0.into(),
            ])
            .on_conflict(
                OnConflict::columns([T::SchoolId, T::PeriodId, T::ClassId, T::StudentId])
                    .update_columns([T::Text, T::AuthorId, T::UpdatedAt])
                    .to_owned(),
            )
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// The council's mentions of a class for a period: (student, mention code).
pub async fn mentions(db: &Db, s: Scope) -> Result<Vec<(Uuid, String)>> {
    use ReportCouncilMentions as T;
    let q = Query::select()
        .columns([T::StudentId, T::Mention])
        .from(T::Table)
        .cond_where(in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s))
        .to_owned();
    db.fetch_all(&q).await
}

/// The council's summary of a class for a period, if recorded.
pub async fn council_summary(db: &Db, s: Scope) -> Result<Option<String>> {
    use ReportCouncils as T;
    let q = Query::select()
        .column(T::Summary)
        .from(T::Table)
        .cond_where(in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

/// Records the council: its summary and each student's mention (none removes it).
pub async fn save_council(
    tx: &mut Tx,
    s: Scope,
    by: UserId,
    summary: &str,
    mentions: &[(Uuid, Option<Mention>)],
    now: Timestamp,
) -> Result<()> {
    use ReportCouncilMentions as M;
    use ReportCouncils as C;
    let q = Query::insert()
        .into_table(C::Table)
        .columns([
            C::SchoolId,
            C::PeriodId,
            C::ClassId,
            C::Summary,
            C::UpdatedBy,
            C::UpdatedAt,
        ])
        .values_panic([
            s.school.0.into(),
            s.period.into(),
            s.class.0.into(),
            summary.into(),
            by.0.into(),
            now.0.into(),
        ])
        .on_conflict(
            OnConflict::columns([C::SchoolId, C::PeriodId, C::ClassId])
                .update_columns([C::Summary, C::UpdatedBy, C::UpdatedAt])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    for (student, mention) in mentions {
        let key = in_scope(M::Table, [M::SchoolId, M::PeriodId, M::ClassId], s)
            .and(Expr::col(M::StudentId).eq(*student));
        let Some(mention) = mention else {
            tx.execute(&Query::delete().from_table(M::Table).cond_where(key).to_owned())
                .await?;
            continue;
        };
        let q = Query::insert()
            .into_table(M::Table)
            .columns([
                M::SchoolId,
                M::PeriodId,
                M::ClassId,
                M::StudentId,
                M::Mention,
                M::DecidedBy,
                M::DecidedAt,
            ])
            .values_panic([
                s.school.0.into(),
                s.period.into(),
                s.class.0.into(),
                (*student).into(),
                mention.code().into(),
                by.0.into(),
                now.0.into(),
            ])
            .on_conflict(
                OnConflict::columns([M::SchoolId, M::PeriodId, M::ClassId, M::StudentId])
                    .update_columns([M::Mention, M::DecidedBy, M::DecidedAt])
                    .to_owned(),
            )
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}
