//! Directory SQL, one function per question, every school-scoped query filtered on `school_id`.

use db::{Db, Result};
use kernel::{ClassId, Context, Profile, RegionId, SchoolId, UserId};
use sea_query::{
    Alias, Expr, ExprTrait, Func, Iden, JoinType, Order, Query, QueryStatementBuilder, SelectStatement,
    UnionType,
};
use uuid::Uuid;

use crate::model::{Class, ClassLink, Person, School};

#[derive(Iden, Clone, Copy)]
pub enum Regions {
    Table,
    Id,
    Code,
    Name,
}

#[derive(Iden, Clone, Copy)]
pub enum Schools {
    Table,
    Id,
    Uai,
    Name,
    Kind,
    Sector,
    AcademyId,
    AuthorityId,
    City,
    Jointure,
}

#[derive(Iden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Login,
    LoginAlias,
    FirstName,
    LastName,
    BirthDate,
    Email,
    Jointure,
    CreatedAt,
    LastImportAt,
    MissingSince,
    DeactivatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Memberships {
    Table,
    SchoolId,
    UserId,
    Profile,
}

#[derive(Iden, Clone, Copy)]
pub enum RegionAdmins {
    Table,
    UserId,
    RegionId,
}

#[derive(Iden, Clone, Copy)]
pub enum Classes {
    Table,
    SchoolId,
    Id,
    Kind,
    Code,
    Name,
    MefCode,
}

#[derive(Iden, Clone, Copy)]
pub enum ClassStudents {
    Table,
    SchoolId,
    ClassId,
    StudentId,
}

#[derive(Iden, Clone, Copy)]
pub enum Teachings {
    Table,
    SchoolId,
    ClassId,
    TeacherId,
    SubjectCode,
}

#[derive(Iden, Clone, Copy)]
pub enum HeadTeachers {
    Table,
    SchoolId,
    ClassId,
    TeacherId,
}

#[derive(Iden, Clone, Copy)]
pub enum Subjects {
    Table,
    Code,
    Label,
}

#[derive(Iden, Clone, Copy)]
pub enum Mefs {
    Table,
    Code,
    Label,
}

#[derive(Iden, Clone, Copy)]
pub enum Guardianships {
    Table,
    StudentId,
    GuardianId,
    Relation,
    Legal,
}

const PERSON_COLS: [Users; 4] = [Users::Id, Users::Login, Users::FirstName, Users::LastName];
const SCHOOL_COLS: [Schools; 6] = [
    Schools::Id,
    Schools::Uai,
    Schools::Name,
    Schools::Kind,
    Schools::Sector,
    Schools::City,
];
const CLASS_COLS: [Classes; 5] = [
    Classes::Id,
    Classes::Kind,
    Classes::Code,
    Classes::Name,
    Classes::MefCode,
];

pub async fn person(db: &Db, id: UserId) -> Result<Option<Person>> {
    let q = Query::select()
        .columns(PERSON_COLS)
        .from(Users::Table)
        .and_where(Expr::col(Users::Id).eq(id.0))
        .to_owned();
    db.fetch_optional(&q).await
}

/// An active person by login or by the alias they chose. Both are stored lower-case; the lookup normalises the input.
pub async fn person_by_login(db: &Db, login: &str) -> Result<Option<Person>> {
    let login = login.trim().to_lowercase();
    let q = Query::select()
        .columns(PERSON_COLS)
        .from(Users::Table)
        .cond_where(
            Expr::col(Users::Login)
                .eq(login.as_str())
                .or(Expr::col(Users::LoginAlias).eq(login.as_str())),
        )
        // A deactivated account (gone from the académie's directory) no longer signs in.
        .and_where(Expr::col(Users::DeactivatedAt).is_null())
        .to_owned();
    db.fetch_optional(&q).await
}

/// Whether `alias` is free (neither a login nor another person's alias).
pub async fn alias_taken(db: &Db, alias: &str, except: UserId) -> Result<bool> {
    let q = Query::select()
        .expr(Expr::val(1))
        .from(Users::Table)
        .cond_where(
            Expr::col(Users::Login)
                .eq(alias)
                .or(Expr::col(Users::LoginAlias).eq(alias)),
        )
        .and_where(Expr::col(Users::Id).ne(except.0))
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(i32,)>(&q).await?.is_some())
}

/// The students of a class with their legal representatives and persons in charge, for letters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FamilyMember {
    pub id: Uuid,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    /// For a guardian, the student they are listed for.
    pub student_id: Uuid,
}

pub async fn guardians_of_class(db: &Db, school: SchoolId, class: ClassId) -> Result<Vec<FamilyMember>> {
    let q = Query::select()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
        .expr_as(
            Expr::col((Guardianships::Table, Guardianships::StudentId)),
            Alias::new("student_id"),
        )
        .from(ClassStudents::Table)
        .inner_join(
            Guardianships::Table,
            Expr::col((Guardianships::Table, Guardianships::StudentId))
                .equals((ClassStudents::Table, ClassStudents::StudentId)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Guardianships::Table, Guardianships::GuardianId)),
        )
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::ClassId)).eq(class.0))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn school(db: &Db, id: SchoolId) -> Result<Option<School>> {
    let q = Query::select()
        .columns(SCHOOL_COLS)
        .from(Schools::Table)
        .and_where(Expr::col(Schools::Id).eq(id.0))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Every context a person may act in, with the place's name (one statement: it is read at every
/// sign-in).
pub async fn contexts_of(db: &Db, user: UserId) -> Result<Vec<(Context, String)>> {
    let mut schools = Query::select()
        .column((Memberships::Table, Memberships::SchoolId))
        .column((Memberships::Table, Memberships::Profile))
        .column((Schools::Table, Schools::Name))
        .from(Memberships::Table)
        .inner_join(
            Schools::Table,
            Expr::col((Schools::Table, Schools::Id)).equals((Memberships::Table, Memberships::SchoolId)),
        )
        .and_where(Expr::col((Memberships::Table, Memberships::UserId)).eq(user.0))
        .to_owned();
    // A region has no profile: its rows are the ones without.
    let regions = Query::select()
        .column((Regions::Table, Regions::Id))
        .expr(Expr::val(Option::<String>::None))
        .column((Regions::Table, Regions::Name))
        .from(RegionAdmins::Table)
        .inner_join(
            Regions::Table,
            Expr::col((Regions::Table, Regions::Id)).equals((RegionAdmins::Table, RegionAdmins::RegionId)),
        )
        .and_where(Expr::col((RegionAdmins::Table, RegionAdmins::UserId)).eq(user.0))
        .to_owned();
    let q = schools.union(UnionType::All, regions).to_owned();
    let rows: Vec<(Uuid, Option<String>, String)> = db.fetch_all(&q).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, profile, name)| {
            let context = match profile {
                Some(p) => Context::School {
                    school: SchoolId(id),
                    profile: p.parse().ok()?,
                },
                None => Context::RegionAdmin { region: RegionId(id) },
            };
            Some((context, name))
        })
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassSummary {
    pub id: Uuid,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub mef_label: Option<String>,
    pub students: i64,
}

/// Every class and group of a school with its head count.
pub async fn classes_of_school(db: &Db, school: SchoolId) -> Result<Vec<ClassSummary>> {
    let q = Query::select()
        .column((Classes::Table, Classes::Id))
        .column((Classes::Table, Classes::Kind))
        .column((Classes::Table, Classes::Code))
        .column((Classes::Table, Classes::Name))
        .expr_as(Expr::col((Mefs::Table, Mefs::Label)), Alias::new("mef_label"))
        .expr_as(
            Func::count(Expr::col((ClassStudents::Table, ClassStudents::StudentId))),
            Alias::new("students"),
        )
        .from(Classes::Table)
        .join(
            JoinType::LeftJoin,
            Mefs::Table,
            Expr::col((Mefs::Table, Mefs::Code)).equals((Classes::Table, Classes::MefCode)),
        )
        .join(
            JoinType::LeftJoin,
            ClassStudents::Table,
            Expr::col((ClassStudents::Table, ClassStudents::SchoolId))
                .equals((Classes::Table, Classes::SchoolId))
                .and(
                    Expr::col((ClassStudents::Table, ClassStudents::ClassId))
                        .equals((Classes::Table, Classes::Id)),
                ),
        )
        .and_where(Expr::col((Classes::Table, Classes::SchoolId)).eq(school.0))
        .group_by_columns([
            (Classes::Table, Classes::Id),
            (Classes::Table, Classes::Kind),
            (Classes::Table, Classes::Code),
            (Classes::Table, Classes::Name),
        ])
        .group_by_col((Mefs::Table, Mefs::Label))
        .order_by((Classes::Table, Classes::Kind), Order::Asc)
        .order_by((Classes::Table, Classes::Code), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn class(db: &Db, school: SchoolId, id: ClassId) -> Result<Option<Class>> {
    let q = Query::select()
        .columns(CLASS_COLS)
        .from(Classes::Table)
        .and_where(Expr::col(Classes::SchoolId).eq(school.0))
        .and_where(Expr::col(Classes::Id).eq(id.0))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn mef_label(db: &Db, code: &str) -> Result<Option<String>> {
    let q = Query::select()
        .column(Mefs::Label)
        .from(Mefs::Table)
        .and_where(Expr::col(Mefs::Code).eq(code))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

pub async fn students_of_class(db: &Db, school: SchoolId, class: ClassId) -> Result<Vec<Person>> {
    let q = Query::select()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
        .from(ClassStudents::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((ClassStudents::Table, ClassStudents::StudentId)),
        )
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::ClassId)).eq(class.0))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeacherOfClass {
    pub id: Uuid,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub subject: String,
}

pub async fn teachers_of_class(db: &Db, school: SchoolId, class: ClassId) -> Result<Vec<TeacherOfClass>> {
    let q = Query::select()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Label)),
            Alias::new("subject"),
        )
        .from(Teachings::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Teachings::Table, Teachings::TeacherId)),
        )
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((Teachings::Table, Teachings::SubjectCode)),
        )
        .and_where(Expr::col((Teachings::Table, Teachings::SchoolId)).eq(school.0))
        .and_where(Expr::col((Teachings::Table, Teachings::ClassId)).eq(class.0))
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn head_teachers(db: &Db, school: SchoolId, class: ClassId) -> Result<Vec<Person>> {
    let q = Query::select()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
        .from(HeadTeachers::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((HeadTeachers::Table, HeadTeachers::TeacherId)),
        )
        .and_where(Expr::col((HeadTeachers::Table, HeadTeachers::SchoolId)).eq(school.0))
        .and_where(Expr::col((HeadTeachers::Table, HeadTeachers::ClassId)).eq(class.0))
        .to_owned();
    db.fetch_all(&q).await
}

/// The classes and groups a student belongs to in a school.
pub async fn classes_of_student(db: &Db, school: SchoolId, student: UserId) -> Result<Vec<Class>> {
    let q = Query::select()
        .columns(CLASS_COLS.map(|c| (Classes::Table, c)))
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
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::StudentId)).eq(student.0))
        .order_by((Classes::Table, Classes::Kind), Order::Asc)
        .order_by((Classes::Table, Classes::Code), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TaughtClass {
    pub id: Uuid,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub mef_code: Option<String>,
    pub subject: String,
}

pub async fn classes_taught(db: &Db, school: SchoolId, teacher: UserId) -> Result<Vec<TaughtClass>> {
    let q = teachings_with_names(school, teacher)
        .columns(CLASS_COLS.map(|c| (Classes::Table, c)))
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Label)),
            Alias::new("subject"),
        )
        .order_by((Classes::Table, Classes::Kind), Order::Asc)
        .order_by((Classes::Table, Classes::Code), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A teacher's teachings in a school, joined to their class and subject (columns to add).
fn teachings_with_names(school: SchoolId, teacher: UserId) -> sea_query::SelectStatement {
    Query::select()
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
        .to_owned()
}

pub async fn head_teacher_classes(db: &Db, school: SchoolId, teacher: UserId) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(HeadTeachers::ClassId)
        .from(HeadTeachers::Table)
        .and_where(Expr::col(HeadTeachers::SchoolId).eq(school.0))
        .and_where(Expr::col(HeadTeachers::TeacherId).eq(teacher.0))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Child {
    pub id: Uuid,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub relation: String,
    pub school_id: Uuid,
    pub school_name: String,
}

/// The students a person is legal representative or person in charge of, with the school of each.
pub async fn children_of(db: &Db, guardian: UserId) -> Result<Vec<Child>> {
    let q = Query::select()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
        .column((Guardianships::Table, Guardianships::Relation))
        .expr_as(Expr::col((Schools::Table, Schools::Id)), Alias::new("school_id"))
        .expr_as(
            Expr::col((Schools::Table, Schools::Name)),
            Alias::new("school_name"),
        )
        .from(Guardianships::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Guardianships::Table, Guardianships::StudentId)),
        )
        .inner_join(
            Memberships::Table,
            Expr::col((Memberships::Table, Memberships::UserId))
                .equals((Users::Table, Users::Id))
                .and(Expr::col((Memberships::Table, Memberships::Profile)).eq(Profile::Student.code())),
        )
        .inner_join(
            Schools::Table,
            Expr::col((Schools::Table, Schools::Id)).equals((Memberships::Table, Memberships::SchoolId)),
        )
        .and_where(Expr::col((Guardianships::Table, Guardianships::GuardianId)).eq(guardian.0))
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// The facts `model::may_view_class` decides on, for one viewer and one class of one school.
pub async fn class_link(db: &Db, school: SchoolId, class: ClassId, viewer: UserId) -> Result<ClassLink> {
    let member = Query::select()
        .expr(Expr::val(1))
        .from(ClassStudents::Table)
        .and_where(Expr::col(ClassStudents::SchoolId).eq(school.0))
        .and_where(Expr::col(ClassStudents::ClassId).eq(class.0))
        .and_where(Expr::col(ClassStudents::StudentId).eq(viewer.0))
        .to_owned();
    let teaches = Query::select()
        .expr(Expr::val(1))
        .from(Teachings::Table)
        .and_where(Expr::col(Teachings::SchoolId).eq(school.0))
        .and_where(Expr::col(Teachings::ClassId).eq(class.0))
        .and_where(Expr::col(Teachings::TeacherId).eq(viewer.0))
        .limit(1)
        .to_owned();
    let heads = Query::select()
        .expr(Expr::val(1))
        .from(HeadTeachers::Table)
        .and_where(Expr::col(HeadTeachers::SchoolId).eq(school.0))
        .and_where(Expr::col(HeadTeachers::ClassId).eq(class.0))
        .and_where(Expr::col(HeadTeachers::TeacherId).eq(viewer.0))
        .to_owned();
    let child = Query::select()
        .expr(Expr::val(1))
        .from(ClassStudents::Table)
        .inner_join(
            Guardianships::Table,
            Expr::col((Guardianships::Table, Guardianships::StudentId))
                .equals((ClassStudents::Table, ClassStudents::StudentId)),
        )
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school.0))
        .and_where(Expr::col((ClassStudents::Table, ClassStudents::ClassId)).eq(class.0))
        .and_where(Expr::col((Guardianships::Table, Guardianships::GuardianId)).eq(viewer.0))
        .limit(1)
        .to_owned();
    Ok(ClassLink {
        member: db.fetch_optional::<(i32,)>(&member).await?.is_some(),
        teaches: db.fetch_optional::<(i32,)>(&teaches).await?.is_some()
            || db.fetch_optional::<(i32,)>(&heads).await?.is_some(),
        child_in_it: db.fetch_optional::<(i32,)>(&child).await?.is_some(),
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchoolSummary {
    pub id: Uuid,
    pub uai: String,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub students: i64,
}

/// One page of a region's schools, by name, with their student counts.
pub async fn schools_page(db: &Db, offset: u64, limit: u64) -> Result<Vec<SchoolSummary>> {
    let students = Query::select()
        .expr(Func::count(Expr::col(Memberships::UserId)))
        .from(Memberships::Table)
        .and_where(
            Expr::col((Memberships::Table, Memberships::SchoolId)).equals((Schools::Table, Schools::Id)),
        )
        .and_where(Expr::col((Memberships::Table, Memberships::Profile)).eq(Profile::Student.code()))
        .to_owned();
    let q = Query::select()
        .columns(
            [
                Schools::Id,
                Schools::Uai,
                Schools::Name,
                Schools::Kind,
                Schools::City,
            ]
            .map(|c| (Schools::Table, c)),
        )
        .expr_as(
            Expr::SubQuery(None, Box::new(students.into_sub_query_statement())),
            Alias::new("students"),
        )
        .from(Schools::Table)
        .order_by((Schools::Table, Schools::Name), Order::Asc)
        .order_by((Schools::Table, Schools::Uai), Order::Asc)
        .offset(offset)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn count_schools(db: &Db) -> Result<i64> {
    let q = Query::select()
        .expr(Func::count(Expr::col(Schools::Id)))
        .from(Schools::Table)
        .to_owned();
    Ok(db.fetch_one::<(i64,)>(&q).await?.0)
}

#[derive(Iden, Clone, Copy)]
pub enum Networks {
    Table,
    Id,
    Name,
}

#[derive(Iden, Clone, Copy)]
pub enum NetworkSchools {
    Table,
    SchoolId,
    NetworkId,
}

/// The networks a school belongs to, each with the names of its member schools.
pub async fn networks_of_school(db: &Db, school: SchoolId) -> Result<Vec<(String, Vec<String>)>> {
    let (mine, others) = (Alias::new("mine"), Alias::new("others"));
    let q = Query::select()
        .column((Networks::Table, Networks::Name))
        .column((Schools::Table, Schools::Name))
        .from_as(NetworkSchools::Table, mine.clone())
        .inner_join(
            Networks::Table,
            Expr::col((Networks::Table, Networks::Id)).equals((mine.clone(), NetworkSchools::NetworkId)),
        )
        .join_as(
            JoinType::InnerJoin,
            NetworkSchools::Table,
            others.clone(),
            Expr::col((others.clone(), NetworkSchools::NetworkId)).equals((Networks::Table, Networks::Id)),
        )
        .inner_join(
            Schools::Table,
            Expr::col((Schools::Table, Schools::Id)).equals((others, NetworkSchools::SchoolId)),
        )
        .and_where(Expr::col((mine, NetworkSchools::SchoolId)).eq(school.0))
        .order_by((Networks::Table, Networks::Name), Order::Asc)
        .order_by((Schools::Table, Schools::Name), Order::Asc)
        .to_owned();
    let rows: Vec<(String, String)> = db.fetch_all(&q).await?;
    let mut out: Vec<(String, Vec<String>)> = vec![];
    for (network, school) in rows {
        match out.last_mut() {
            Some((n, schools)) if *n == network => schools.push(school),
            _ => out.push((network, vec![school])),
        }
    }
    Ok(out)
}

#[derive(Iden, Clone, Copy)]
pub enum Academies {
    Table,
    Id,
    RegionId,
    Code,
    Name,
}

#[derive(Iden, Clone, Copy)]
pub enum Authorities {
    Table,
    Id,
    RegionId,
    Kind,
    Code,
    Name,
}

// ---- what other features ask the directory (the cahier de textes and homework) ----

/// The codes of the subjects `teacher` teaches to `class`.
pub async fn subjects_taught(
    db: &Db,
    school: SchoolId,
    class: ClassId,
    teacher: UserId,
) -> Result<Vec<String>> {
    let q = Query::select()
        .column(Teachings::SubjectCode)
        .from(Teachings::Table)
        .and_where(Expr::col(Teachings::SchoolId).eq(school.0))
        .and_where(Expr::col(Teachings::ClassId).eq(class.0))
        .and_where(Expr::col(Teachings::TeacherId).eq(teacher.0))
        .to_owned();
    first_column(db, &q).await
}

/// The students of `class` among `people` (one person, or a guardian's children).
pub async fn students_among(db: &Db, school: SchoolId, class: ClassId, people: &[Uuid]) -> Result<Vec<Uuid>> {
    if people.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(ClassStudents::StudentId)
        .from(ClassStudents::Table)
        .and_where(Expr::col(ClassStudents::SchoolId).eq(school.0))
        .and_where(Expr::col(ClassStudents::ClassId).eq(class.0))
        .and_where(Expr::col(ClassStudents::StudentId).is_in(people.to_vec()))
        .to_owned();
    first_column(db, &q).await
}

/// The one column a query selects, row by row.
async fn first_column<T>(db: &Db, q: &SelectStatement) -> Result<Vec<T>>
where
    (T,): db::Row,
{
    Ok(db.fetch_all::<(T,)>(q).await?.into_iter().map(|r| r.0).collect())
}

/// Students per class, for those of `classes` that have any.
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

pub async fn subject_label(db: &Db, code: &str) -> Result<Option<String>> {
    let q = Query::select()
        .column(Subjects::Label)
        .from(Subjects::Table)
        .and_where(Expr::col(Subjects::Code).eq(code))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

/// A class or group a teacher teaches, and the subject (code and label).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Teaching {
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject_label: String,
}

/// What a teacher teaches in a school, by class name then subject.
pub async fn teachings_of(db: &Db, school: SchoolId, teacher: UserId) -> Result<Vec<Teaching>> {
    let q = teachings_with_names(school, teacher)
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
        .order_by((Classes::Table, Classes::Name), Order::Asc)
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A guardian's children who study in this school (in one of its classes), by first name. Unlike
/// `children_of`, scoped to one school.
pub async fn children_in_school(db: &Db, school: SchoolId, guardian: UserId) -> Result<Vec<Person>> {
    let q = Query::select()
        .distinct()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
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

/// A person of the school by login (not alias, deactivated or not), if they hold a profile there.
pub async fn member_by_login(db: &Db, school: SchoolId, login: &str) -> Result<Option<Person>> {
    let q = Query::select()
        .distinct()
        .columns(PERSON_COLS.map(|c| (Users::Table, c)))
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
