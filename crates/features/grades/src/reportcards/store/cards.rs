//! The generated report cards (`report_cards`: one row per version) and what printing one reads of
//! the directory: the class's teachings, the students' dates of birth, the school's letterhead.

use db::{Db, Result, Tx};
use directory::store::{Academies, Schools, Subjects, Teachings, Users};
use kernel::{ClassId, SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use uuid::Uuid;

use super::{Scope, in_scope};

#[derive(Iden, Clone, Copy)]
enum ReportCards {
    Table,
    SchoolId,
    Id,
    PeriodId,
    PeriodLabel,
    ClassId,
    ClassName,
    StudentId,
    Version,
    BlobKey,
    Size,
    GeneratedBy,
    GeneratedAt,
    PublishedAt,
    PublishedBy,
}

/// A generated report card, with its student's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CardRow {
    pub id: Uuid,
    pub period_id: Uuid,
    pub period_label: String,
    pub class_id: Uuid,
    pub class_name: String,
    pub student_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub version: i32,
    pub blob_key: String,
    pub size: i64,
    pub generated_at: i64,
    pub published_at: Option<i64>,
}

fn cards() -> sea_query::SelectStatement {
    use ReportCards as T;
    Query::select()
        .columns(
            [
                T::Id,
                T::PeriodId,
                T::PeriodLabel,
                T::ClassId,
                T::ClassName,
                T::StudentId,
                T::Version,
                T::BlobKey,
                T::Size,
                T::GeneratedAt,
                T::PublishedAt,
            ]
            .map(|c| (T::Table, c)),
        )
        .columns([Users::FirstName, Users::LastName].map(|c| (Users::Table, c)))
        .from(T::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((T::Table, T::StudentId)),
        )
        .to_owned()
}

/// Every version of the report cards of a class for a period, by student then version.
pub async fn cards_of_class(db: &Db, s: Scope) -> Result<Vec<CardRow>> {
    use ReportCards as T;
    let q = cards()
        .cond_where(in_scope(T::Table, [T::SchoolId, T::PeriodId, T::ClassId], s))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .order_by((T::Table, T::Version), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn card(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<CardRow>> {
    use ReportCards as T;
    let q = cards()
        .and_where(Expr::col((T::Table, T::SchoolId)).eq(school.0))
        .and_where(Expr::col((T::Table, T::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The published report cards of some students (a student, a guardian's children), newest first.
pub async fn published_of(db: &Db, school: SchoolId, students: &[Uuid]) -> Result<Vec<CardRow>> {
    use ReportCards as T;
    if students.is_empty() {
        return Ok(vec![]);
    }
    let q = cards()
        .and_where(Expr::col((T::Table, T::SchoolId)).eq(school.0))
        .and_where(Expr::col((T::Table, T::StudentId)).is_in(students.to_vec()))
        .and_where(Expr::col((T::Table, T::PublishedAt)).is_not_null())
        .order_by((T::Table, T::GeneratedAt), Order::Desc)
        .order_by((T::Table, T::Version), Order::Desc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Classes and periods that have report cards, newest first (the archive: past years' classes too).
pub async fn archive(db: &Db, school: SchoolId) -> Result<Vec<(Uuid, String, Uuid, String)>> {
    use ReportCards as T;
    let q = Query::select()
        .distinct()
        .columns([T::ClassId, T::ClassName, T::PeriodId, T::PeriodLabel])
        .expr(Expr::col(T::GeneratedAt).max())
        .from(T::Table)
        .and_where(Expr::col(T::SchoolId).eq(school.0))
        .group_by_columns([T::ClassId, T::ClassName, T::PeriodId, T::PeriodLabel])
        .order_by_expr(Expr::col(T::GeneratedAt).max(), Order::Desc)
        .order_by(T::ClassName, Order::Asc)
        .to_owned();
    let rows: Vec<(Uuid, String, Uuid, String, i64)> = db.fetch_all(&q).await?;
    Ok(rows.into_iter().map(|(c, n, p, l, _)| (c, n, p, l)).collect())
}

/// A report card to record.
pub struct NewCard<'a> {
    pub id: Uuid,
    pub scope: Scope,
    pub period_label: &'a str,
    pub class_name: &'a str,
    pub student: Uuid,
    pub version: i32,
    pub blob_key: &'a str,
    pub size: i64,
    pub by: UserId,
}

pub async fn insert_card(tx: &mut Tx, c: NewCard<'_>, now: Timestamp) -> Result<()> {
    use ReportCards as T;
    let q = Query::insert()
        .into_table(T::Table)
        .columns([
            T::SchoolId,
            T::Id,
            T::PeriodId,
            T::PeriodLabel,
            T::ClassId,
            T::ClassName,
            T::StudentId,
            T::Version,
            T::BlobKey,
            T::Size,
            T::GeneratedBy,
            T::GeneratedAt,
        ])
        .values_panic([
            c.scope.school.0.into(),
            c.id.into(),
            c.scope.period.into(),
            c.period_label.into(),
            c.scope.class.0.into(),
            c.class_name.into(),
            c.student.into(),
            c.version.into(),
            c.blob_key.into(),
            c.size.into(),
            c.by.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// Replaces the file of an unpublished report card (never a published one).
pub async fn replace_card(tx: &mut Tx, school: SchoolId, c: NewCard<'_>, now: Timestamp) -> Result<u64> {
    use ReportCards as T;
    let q = Query::update()
        .table(T::Table)
        .values([
            (T::BlobKey, c.blob_key.into()),
            (T::Size, c.size.into()),
            (T::PeriodLabel, c.period_label.into()),
            (T::ClassName, c.class_name.into()),
            (T::GeneratedBy, c.by.0.into()),
            (T::GeneratedAt, now.0.into()),
        ])
        .and_where(Expr::col(T::SchoolId).eq(school.0))
        .and_where(Expr::col(T::Id).eq(c.id))
        .and_where(Expr::col(T::PublishedAt).is_null())
        .to_owned();
    tx.execute(&q).await
}

/// Publishes report cards that are not yet; returns how many were.
pub async fn publish(tx: &mut Tx, school: SchoolId, ids: &[Uuid], by: UserId, now: Timestamp) -> Result<u64> {
    use ReportCards as T;
    if ids.is_empty() {
        return Ok(0);
    }
    let q = Query::update()
        .table(T::Table)
        .values([(T::PublishedAt, now.0.into()), (T::PublishedBy, by.0.into())])
        .and_where(Expr::col(T::SchoolId).eq(school.0))
        .and_where(Expr::col(T::Id).is_in(ids.to_vec()))
        .and_where(Expr::col(T::PublishedAt).is_null())
        .to_owned();
    tx.execute(&q).await
}

/// (subject code, subject label, teacher id, first name, last name) of a class's teachings.
pub async fn teachings(
    db: &Db,
    school: SchoolId,
    class: ClassId,
) -> Result<Vec<(String, String, Uuid, String, String)>> {
    let q = Query::select()
        .column((Teachings::Table, Teachings::SubjectCode))
        .column((Subjects::Table, Subjects::Label))
        .column((Users::Table, Users::Id))
        .column((Users::Table, Users::FirstName))
        .column((Users::Table, Users::LastName))
        .from(Teachings::Table)
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((Teachings::Table, Teachings::SubjectCode)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Teachings::Table, Teachings::TeacherId)),
        )
        .and_where(Expr::col((Teachings::Table, Teachings::SchoolId)).eq(school.0))
        .and_where(Expr::col((Teachings::Table, Teachings::ClassId)).eq(class.0))
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Students' dates of birth, where the directory has one ('YYYY-MM-DD').
pub async fn birth_dates(db: &Db, students: &[Uuid]) -> Result<Vec<(Uuid, Option<String>)>> {
    if students.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([Users::Id, Users::BirthDate])
        .from(Users::Table)
        .and_where(Expr::col(Users::Id).is_in(students.to_vec()))
        .to_owned();
    db.fetch_all(&q).await
}

/// The school's name, town, UAI and académie, for the letterhead.
pub async fn letterhead(db: &Db, school: SchoolId) -> Result<Option<(String, String, String, String)>> {
    let q = Query::select()
        .column((Schools::Table, Schools::Name))
        .column((Schools::Table, Schools::City))
        .column((Schools::Table, Schools::Uai))
        .column((Academies::Table, Academies::Name))
        .from(Schools::Table)
        .inner_join(
            Academies::Table,
            Expr::col((Academies::Table, Academies::Id)).equals((Schools::Table, Schools::AcademyId)),
        )
        .and_where(Expr::col((Schools::Table, Schools::Id)).eq(school.0))
        .to_owned();
    db.fetch_optional(&q).await
}
