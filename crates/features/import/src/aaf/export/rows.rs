//! The export's reads: one query per question, each a page or a range of ids, never a whole table.
//!
//! People are read by pages of user ids; what hangs off a page (memberships, classes, teachings,
//! guardianships) is read for the page's id range through the indexes that lead with the user, or,
//! for the school-scoped tables, through their `(school_id, user)` indexes for the schools of the
//! page's memberships (a class in a school where its member has no membership is not exported).

use db::{Result, Tx};
use sea_query::{Alias, Expr, ExprTrait, Iden, JoinType, Order, Query, SelectStatement};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum Schools {
    Table,
    Id,
    Uai,
    Name,
    Kind,
    Sector,
    City,
    Jointure,
    AcademyId,
}

#[derive(Iden, Clone, Copy)]
enum Academies {
    Table,
    Id,
    Code,
}

#[derive(Iden, Clone, Copy)]
enum Classes {
    Table,
    SchoolId,
    Id,
    Kind,
    Code,
    Name,
    MefCode,
}

#[derive(Iden, Clone, Copy)]
enum Users {
    Table,
    Id,
    FirstName,
    LastName,
    BirthDate,
    Email,
    Jointure,
    DeactivatedAt,
}

#[derive(Iden, Clone, Copy)]
enum Memberships {
    Table,
    SchoolId,
    UserId,
    Profile,
    Function,
}

#[derive(Iden, Clone, Copy)]
enum ClassStudents {
    Table,
    SchoolId,
    ClassId,
    StudentId,
}

/// Columns of `teachings`, which `head_teachers` shares but for the subject.
#[derive(Iden, Clone, Copy)]
enum Teachings {
    SchoolId,
    ClassId,
    TeacherId,
    SubjectCode,
}

#[derive(Iden, Clone, Copy)]
enum Mefs {
    Table,
    Code,
    Label,
}

#[derive(Iden, Clone, Copy)]
enum Guardianships {
    Table,
    StudentId,
    GuardianId,
    Relation,
    Legal,
}

/// The two national nomenclatures, paged alike.
#[derive(Debug, Clone, Copy)]
pub(super) enum Nomenclature {
    Subjects,
    Mefs,
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct SchoolRow {
    pub id: Uuid,
    pub uai: String,
    pub name: String,
    pub kind: String,
    pub sector: String,
    pub city: String,
    pub jointure: Option<String>,
    pub academy: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct ClassRow {
    pub school_id: Uuid,
    pub kind: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct CodeRow {
    pub code: String,
    pub label: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct UserRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    pub email: Option<String>,
    pub jointure: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(super) struct MembershipRow {
    pub user_id: Uuid,
    pub school_id: Uuid,
    pub profile: String,
    pub function: Option<String>,
}

/// A class or group of a person: a student's enrolment or a teacher's teaching.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct ClassLinkRow {
    pub user_id: Uuid,
    pub school_id: Uuid,
    pub kind: String,
    pub code: String,
    /// The class's MEF for a student, the subject taught for a teacher; `None` for a head teacher.
    pub extra: Option<String>,
    /// The MEF's label, for a student.
    pub extra_label: Option<String>,
}

/// One guardianship seen from `user_id`: the other person, with their join key.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct LinkRow {
    pub user_id: Uuid,
    pub other_id: Uuid,
    pub other_jointure: Option<String>,
    pub relation: String,
    pub legal: bool,
}

fn after_id<T: Iden + Copy + 'static>(q: &mut SelectStatement, column: (T, T), after: Option<Uuid>) {
    if let Some(after) = after {
        q.and_where(Expr::col(column).gt(after));
    }
}

fn between<T: Iden + Copy + 'static>(q: &mut SelectStatement, column: (T, T), range: (Uuid, Uuid)) {
    q.and_where(Expr::col(column).gte(range.0))
        .and_where(Expr::col(column).lte(range.1));
}

pub(super) async fn schools_page(tx: &mut Tx, after: Option<Uuid>, limit: u64) -> Result<Vec<SchoolRow>> {
    let mut q = Query::select();
    q.columns(
        [
            Schools::Id,
            Schools::Uai,
            Schools::Name,
            Schools::Kind,
            Schools::Sector,
            Schools::City,
            Schools::Jointure,
        ]
        .map(|c| (Schools::Table, c)),
    )
    .expr_as(
        Expr::col((Academies::Table, Academies::Code)),
        Alias::new("academy"),
    )
    .from(Schools::Table)
    .inner_join(
        Academies::Table,
        Expr::col((Academies::Table, Academies::Id)).equals((Schools::Table, Schools::AcademyId)),
    )
    .order_by((Schools::Table, Schools::Id), Order::Asc)
    .limit(limit);
    after_id(&mut q, (Schools::Table, Schools::Id), after);
    tx.fetch_all(&q).await
}

pub(super) async fn classes_of(tx: &mut Tx, schools: &[Uuid]) -> Result<Vec<ClassRow>> {
    let q = Query::select()
        .columns([Classes::SchoolId, Classes::Kind, Classes::Code, Classes::Name])
        .from(Classes::Table)
        .and_where(Expr::col(Classes::SchoolId).is_in(schools.iter().copied()))
        .order_by(Classes::SchoolId, Order::Asc)
        .order_by(Classes::Kind, Order::Asc)
        .order_by(Classes::Code, Order::Asc)
        .to_owned();
    tx.fetch_all(&q).await
}

pub(super) async fn codes_page(
    tx: &mut Tx,
    table: Nomenclature,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<CodeRow>> {
    // Both are `code` and `label`; only the table differs.
    let table = Alias::new(match table {
        Nomenclature::Subjects => "subjects",
        Nomenclature::Mefs => "mefs",
    });
    let mut q = Query::select();
    q.columns([Mefs::Code, Mefs::Label])
        .from(table)
        .order_by(Mefs::Code, Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        q.and_where(Expr::col(Mefs::Code).gt(after));
    }
    tx.fetch_all(&q).await
}

/// Active accounts only: a deactivated one has left the académie's directory.
pub(super) async fn users_page(tx: &mut Tx, after: Option<Uuid>, limit: u64) -> Result<Vec<UserRow>> {
    let mut q = Query::select();
    q.columns([
        Users::Id,
        Users::FirstName,
        Users::LastName,
        Users::BirthDate,
        Users::Email,
        Users::Jointure,
    ])
    .from(Users::Table)
    .and_where(Expr::col(Users::DeactivatedAt).is_null())
    .order_by(Users::Id, Order::Asc)
    .limit(limit);
    after_id(&mut q, (Users::Table, Users::Id), after);
    tx.fetch_all(&q).await
}

pub(super) async fn memberships(tx: &mut Tx, range: (Uuid, Uuid)) -> Result<Vec<MembershipRow>> {
    let mut q = Query::select();
    q.columns([
        Memberships::UserId,
        Memberships::SchoolId,
        Memberships::Profile,
        Memberships::Function,
    ])
    .from(Memberships::Table)
    .order_by(Memberships::UserId, Order::Asc)
    .order_by(Memberships::SchoolId, Order::Asc)
    .order_by(Memberships::Profile, Order::Asc);
    between(&mut q, (Memberships::Table, Memberships::UserId), range);
    tx.fetch_all(&q).await
}

/// Classes and groups of the students in the range, with the MEF of each. `schools` are those of the
/// page's memberships: with them the `(school_id, student_id)` index serves a range per school, where
/// a join from the memberships lets SQLite's planner pick a scan of each school per student.
pub(super) async fn student_classes(
    tx: &mut Tx,
    schools: &[Uuid],
    range: (Uuid, Uuid),
) -> Result<Vec<ClassLinkRow>> {
    let mut q = Query::select();
    q.expr_as(
        Expr::col((ClassStudents::Table, ClassStudents::StudentId)),
        Alias::new("user_id"),
    )
    .column((ClassStudents::Table, ClassStudents::SchoolId))
    .column((Classes::Table, Classes::Kind))
    .column((Classes::Table, Classes::Code))
    .expr_as(Expr::col((Classes::Table, Classes::MefCode)), Alias::new("extra"))
    .expr_as(Expr::col((Mefs::Table, Mefs::Label)), Alias::new("extra_label"))
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
    .join(
        JoinType::LeftJoin,
        Mefs::Table,
        Expr::col((Mefs::Table, Mefs::Code)).equals((Classes::Table, Classes::MefCode)),
    )
    .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).is_in(schools.iter().copied()))
    .order_by((ClassStudents::Table, ClassStudents::StudentId), Order::Asc)
    .order_by((Classes::Table, Classes::Kind), Order::Asc)
    .order_by((Classes::Table, Classes::Code), Order::Asc);
    between(&mut q, (ClassStudents::Table, ClassStudents::StudentId), range);
    tx.fetch_all(&q).await
}

/// Classes and groups taught (`head = false`, with the subject) or led as head teacher (`head = true`)
/// by the staff in the range, in `schools` (see [`student_classes`] for why).
pub(super) async fn staff_classes(
    tx: &mut Tx,
    schools: &[Uuid],
    range: (Uuid, Uuid),
    head: bool,
) -> Result<Vec<ClassLinkRow>> {
    // Both tables have the same columns; only the name and the subject differ.
    let link = Alias::new(if head { "head_teachers" } else { "teachings" });
    let extra = if head {
        Expr::val(None::<String>)
    } else {
        Expr::col((link.clone(), Teachings::SubjectCode))
    };
    let mut q = Query::select();
    q.expr_as(
        Expr::col((link.clone(), Teachings::TeacherId)),
        Alias::new("user_id"),
    )
    .expr_as(
        Expr::col((link.clone(), Teachings::SchoolId)),
        Alias::new("school_id"),
    )
    .column((Classes::Table, Classes::Kind))
    .column((Classes::Table, Classes::Code))
    .expr_as(extra, Alias::new("extra"))
    .expr_as(Expr::val(None::<String>), Alias::new("extra_label"))
    .from(link.clone())
    .inner_join(
        Classes::Table,
        Expr::col((Classes::Table, Classes::SchoolId))
            .equals((link.clone(), Teachings::SchoolId))
            .and(Expr::col((Classes::Table, Classes::Id)).equals((link.clone(), Teachings::ClassId))),
    )
    .and_where(Expr::col((link.clone(), Teachings::SchoolId)).is_in(schools.iter().copied()))
    .order_by((link.clone(), Teachings::TeacherId), Order::Asc)
    .order_by((Classes::Table, Classes::Kind), Order::Asc)
    .order_by((Classes::Table, Classes::Code), Order::Asc)
    .order_by(Alias::new("extra"), Order::Asc);
    q.and_where(Expr::col((link.clone(), Teachings::TeacherId)).gte(range.0))
        .and_where(Expr::col((link, Teachings::TeacherId)).lte(range.1));
    tx.fetch_all(&q).await
}

/// Guardianships of the users in the range, as students (`as_student`) or as guardians, with the
/// other person's join key. Links to a deactivated account are left out, as that account is.
pub(super) async fn guardianships(
    tx: &mut Tx,
    range: (Uuid, Uuid),
    as_student: bool,
) -> Result<Vec<LinkRow>> {
    let (own, other) = if as_student {
        (Guardianships::StudentId, Guardianships::GuardianId)
    } else {
        (Guardianships::GuardianId, Guardianships::StudentId)
    };
    let mut q = Query::select();
    q.expr_as(Expr::col((Guardianships::Table, own)), Alias::new("user_id"))
        .expr_as(Expr::col((Users::Table, Users::Id)), Alias::new("other_id"))
        .expr_as(
            Expr::col((Users::Table, Users::Jointure)),
            Alias::new("other_jointure"),
        )
        .column((Guardianships::Table, Guardianships::Relation))
        .column((Guardianships::Table, Guardianships::Legal))
        .from(Guardianships::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Guardianships::Table, other)),
        )
        .and_where(Expr::col((Users::Table, Users::DeactivatedAt)).is_null())
        .order_by((Guardianships::Table, own), Order::Asc)
        .order_by((Users::Table, Users::Id), Order::Asc);
    between(&mut q, (Guardianships::Table, own), range);
    tx.fetch_all(&q).await
}
