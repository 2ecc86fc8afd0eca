//! The directory's tables, as this crate needs them (read only), and the read-only grants.

use db::{Db, Result};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Order, Query};
use uuid::Uuid;

use super::tables::*;

/// The subjects `teacher` teaches to `class`.
pub async fn subjects_taught(db: &Db, school: SchoolId, class: Uuid, teacher: UserId) -> Result<Vec<String>> {
    let q = Query::select()
        .column(Teachings::SubjectCode)
        .from(Teachings::Table)
        .and_where(Expr::col(Teachings::SchoolId).eq(school.0))
        .and_where(Expr::col(Teachings::ClassId).eq(class))
        .and_where(Expr::col(Teachings::TeacherId).eq(teacher.0))
        .to_owned();
    Ok(db
        .fetch_all::<(String,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// The students of `class` among `people` (one person, or a guardian's children).
pub async fn members_among(db: &Db, school: SchoolId, class: Uuid, people: &[Uuid]) -> Result<Vec<Uuid>> {
    if people.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(ClassStudents::StudentId)
        .from(ClassStudents::Table)
        .and_where(Expr::col(ClassStudents::SchoolId).eq(school.0))
        .and_where(Expr::col(ClassStudents::ClassId).eq(class))
        .and_where(Expr::col(ClassStudents::StudentId).is_in(people.to_vec()))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

pub async fn is_reader(db: &Db, school: SchoolId, user: UserId) -> Result<bool> {
    let q = Query::select()
        .expr(Expr::val(1))
        .from(LogbookReaders::Table)
        .and_where(Expr::col(LogbookReaders::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookReaders::UserId).eq(user.0))
        .to_owned();
    Ok(db.fetch_optional::<(i32,)>(&q).await?.is_some())
}

/// A class's (or group's) current name, None when the school has no such class.
pub async fn class_name(db: &Db, school: SchoolId, class: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(Classes::Name)
        .from(Classes::Table)
        .and_where(Expr::col(Classes::SchoolId).eq(school.0))
        .and_where(Expr::col(Classes::Id).eq(class))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

pub async fn subject_label(db: &Db, code: &str) -> Result<Option<String>> {
    let q = Query::select()
        .column(Subjects::Label)
        .from(Subjects::Table)
        .and_where(Expr::col(Subjects::Code).eq(code))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

/// A class or group and, for teachers, the subject they teach there.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassSubject {
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject_label: String,
}

pub async fn teachings_of(db: &Db, school: SchoolId, teacher: UserId) -> Result<Vec<ClassSubject>> {
    let q = Query::select()
        .expr_as(Expr::col((Classes::Table, Classes::Id)), Alias::new("class_id"))
        .expr_as(
            Expr::col((Classes::Table, Classes::Name)),
            Alias::new("class_name"),
        )
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Code)),
            Alias::new("subject_code"),
        )
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Label)),
            Alias::new("subject_label"),
        )
        .from(Teachings::Table)
        .inner_join(
            Classes::Table,
            Expr::col((Classes::Table, Classes::SchoolId))
                .equals((Teachings::Table, Teachings::SchoolId))
                .and(Expr::col((Classes::Table, Classes::Id)).equals((Teachings::Table, Teachings::ClassId))),
        )
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((Teachings::Table, Teachings::SubjectCode)),
        )
        .and_where(Expr::col((Teachings::Table, Teachings::SchoolId)).eq(school.0))
        .and_where(Expr::col((Teachings::Table, Teachings::TeacherId)).eq(teacher.0))
        .order_by((Classes::Table, Classes::Name), Order::Asc)
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A class or group of a school, by id and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedClass {
    pub id: Uuid,
    pub name: String,
}

/// The classes and groups a student belongs to, classes first.
pub async fn classes_of_student(db: &Db, school: SchoolId, student: Uuid) -> Result<Vec<NamedClass>> {
    let q = Query::select()
        .column((Classes::Table, Classes::Id))
        .column((Classes::Table, Classes::Name))
        .from(ClassStudents::Table)
        .inner_join(
            Classes::Table,
            Expr::col((Classes::Table, Classes::SchoolId))
                .equals((ClassStudents::Table, ClassStudents::SchoolId))
                .and(
                    Expr::col((Classes::Table, Classes::Id))
                        .equals((ClassStudents::Table, ClassStudents::ClassId)),
                ),
        )
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::StudentId)).eq(student))
        .order_by((Classes::Table, Classes::Kind), Order::Asc)
        .order_by((Classes::Table, Classes::Name), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A person, as lists show them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

impl PersonRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn list_name(&self) -> String {
        format!("{} {}", self.last_name.to_uppercase(), self.first_name)
    }
}

/// A guardian's children who study in this school.
pub async fn children_in_school(db: &Db, school: SchoolId, guardian: UserId) -> Result<Vec<PersonRow>> {
    let q = Query::select()
        .distinct()
        .columns([
            (Users::Table, Users::Id),
            (Users::Table, Users::FirstName),
            (Users::Table, Users::LastName),
        ])
        .from(Guardianships::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Guardianships::Table, Guardianships::StudentId)),
        )
        .inner_join(
            ClassStudents::Table,
            Expr::col((ClassStudents::Table, ClassStudents::StudentId))
                .equals((Guardianships::Table, Guardianships::StudentId)),
        )
        .and_where(Expr::col((Guardianships::Table, Guardianships::GuardianId)).eq(guardian.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn students_of_class(db: &Db, school: SchoolId, class: Uuid) -> Result<Vec<PersonRow>> {
    let q = Query::select()
        .columns([
            (Users::Table, Users::Id),
            (Users::Table, Users::FirstName),
            (Users::Table, Users::LastName),
        ])
        .from(ClassStudents::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((ClassStudents::Table, ClassStudents::StudentId)),
        )
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::ClassId)).eq(class))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Students per class, for the "handed in / total" counts.
pub async fn class_sizes(db: &Db, school: SchoolId, classes: &[Uuid]) -> Result<Vec<(Uuid, i64)>> {
    if classes.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(ClassStudents::ClassId)
        .expr(Func::count(Expr::col(ClassStudents::StudentId)))
        .from(ClassStudents::Table)
        .and_where(Expr::col(ClassStudents::SchoolId).eq(school.0))
        .and_where(Expr::col(ClassStudents::ClassId).is_in(classes.to_vec()))
        .group_by_col(ClassStudents::ClassId)
        .to_owned();
    db.fetch_all(&q).await
}

/// A person of the school by login (for the readers' grant): id and name, if they hold a profile there.
pub async fn member_by_login(db: &Db, school: SchoolId, login: &str) -> Result<Option<PersonRow>> {
    let q = Query::select()
        .distinct()
        .columns([
            (Users::Table, Users::Id),
            (Users::Table, Users::FirstName),
            (Users::Table, Users::LastName),
        ])
        .from(Users::Table)
        .inner_join(
            Memberships::Table,
            Expr::col((Memberships::Table, Memberships::UserId)).equals((Users::Table, Users::Id)),
        )
        .and_where(Expr::col((Users::Table, Users::Login)).eq(login.trim().to_lowercase()))
        .and_where(Expr::col((Memberships::Table, Memberships::SchoolId)).eq(school.0))
        .to_owned();
    db.fetch_optional(&q).await
}

// ---- readers ----

pub async fn readers(db: &Db, school: SchoolId) -> Result<Vec<PersonRow>> {
    let q = Query::select()
        .columns([
            (Users::Table, Users::Id),
            (Users::Table, Users::FirstName),
            (Users::Table, Users::LastName),
        ])
        .from(LogbookReaders::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((LogbookReaders::Table, LogbookReaders::UserId)),
        )
        .and_where(Expr::col((LogbookReaders::Table, LogbookReaders::SchoolId)).eq(school.0))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn grant_reader(db: &Db, school: SchoolId, user: Uuid, by: UserId, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(LogbookReaders::Table)
        .columns([
            LogbookReaders::SchoolId,
            LogbookReaders::UserId,
            LogbookReaders::GrantedBy,
            LogbookReaders::GrantedAt,
        ])
        .values_panic([school.0.into(), user.into(), by.0.into(), now.0.into()])
        .on_conflict(
            OnConflict::columns([LogbookReaders::SchoolId, LogbookReaders::UserId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}

pub async fn revoke_reader(db: &Db, school: SchoolId, user: Uuid) -> Result<()> {
    let q = Query::delete()
        .from_table(LogbookReaders::Table)
        .and_where(Expr::col(LogbookReaders::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookReaders::UserId).eq(user))
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}
