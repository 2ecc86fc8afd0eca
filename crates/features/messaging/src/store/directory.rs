//! The directory read for messaging: the facts the communication rules need (profiles, classes,
//! teachings, children, guardians) for a whole list of people in one query per kind, group members,
//! names and the people search.

use std::collections::HashMap;

use db::{Db, Result};
use kernel::Profile;
use sea_query::{Cond, Expr, ExprTrait, Iden, JoinType, Order, Query};
use uuid::Uuid;

use crate::model::{Facts, Group, is_office};

// The directory's tables, read for names and for the rules' facts.
#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    FirstName,
    LastName,
}
#[derive(Iden, Clone, Copy)]
enum Memberships {
    Table,
    SchoolId,
    UserId,
    Profile,
}
#[derive(Iden, Clone, Copy)]
enum ClassStudents {
    Table,
    SchoolId,
    ClassId,
    StudentId,
}
#[derive(Iden, Clone, Copy)]
enum Teachings {
    Table,
    SchoolId,
    ClassId,
    TeacherId,
}
#[derive(Iden, Clone, Copy)]
enum Guardianships {
    Table,
    StudentId,
    GuardianId,
    Legal,
}
#[derive(Iden, Clone, Copy)]
enum Classes {
    Table,
    SchoolId,
    Id,
    Name,
}

/// The facts the rules need about `users` in `school`, in five queries whatever their number.
pub async fn facts(db: &Db, school: Uuid, users: &[Uuid]) -> Result<HashMap<Uuid, Facts>> {
    let mut out: HashMap<Uuid, Facts> = users
        .iter()
        .map(|u| {
            (
                *u,
                Facts {
                    user: *u,
                    ..Facts::default()
                },
            )
        })
        .collect();
    if users.is_empty() {
        return Ok(out);
    }
    let ids = users.to_vec();
    let q = Query::select()
        .columns([Memberships::UserId, Memberships::Profile])
        .from(Memberships::Table)
        .and_where(Expr::col(Memberships::SchoolId).eq(school))
        .and_where(Expr::col(Memberships::UserId).is_in(ids.clone()))
        .to_owned();
    for (user, code) in db.fetch_all::<(Uuid, String)>(&q).await? {
        if let (Some(f), Some(p)) = (out.get_mut(&user), code.parse::<Profile>().ok()) {
            f.profiles.push(p);
        }
    }
    let q = Query::select()
        .columns([ClassStudents::StudentId, ClassStudents::ClassId])
        .from(ClassStudents::Table)
        .and_where(Expr::col(ClassStudents::SchoolId).eq(school))
        .and_where(Expr::col(ClassStudents::StudentId).is_in(ids.clone()))
        .to_owned();
    for (user, class) in db.fetch_all::<(Uuid, Uuid)>(&q).await? {
        if let Some(f) = out.get_mut(&user) {
            f.classes.insert(class);
        }
    }
    let q = Query::select()
        .columns([Teachings::TeacherId, Teachings::ClassId])
        .from(Teachings::Table)
        .and_where(Expr::col(Teachings::SchoolId).eq(school))
        .and_where(Expr::col(Teachings::TeacherId).is_in(ids.clone()))
        .to_owned();
    for (user, class) in db.fetch_all::<(Uuid, Uuid)>(&q).await? {
        if let Some(f) = out.get_mut(&user) {
            f.teaches.insert(class);
        }
    }
    // Children in this school and their classes: guardianships joined to the school's class lists.
    let q = Query::select()
        .column((Guardianships::Table, Guardianships::GuardianId))
        .column((Guardianships::Table, Guardianships::StudentId))
        .column((ClassStudents::Table, ClassStudents::ClassId))
        .from(Guardianships::Table)
        .join(
            JoinType::InnerJoin,
            ClassStudents::Table,
            Cond::all()
                .add(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school))
                .add(
                    Expr::col((ClassStudents::Table, ClassStudents::StudentId))
                        .equals((Guardianships::Table, Guardianships::StudentId)),
                ),
        )
        .and_where(Expr::col((Guardianships::Table, Guardianships::GuardianId)).is_in(ids.clone()))
        .to_owned();
    for (user, child, class) in db.fetch_all::<(Uuid, Uuid, Uuid)>(&q).await? {
        if let Some(f) = out.get_mut(&user) {
            f.children.insert(child);
            f.children_classes.insert(class);
        }
    }
    let q = Query::select()
        .columns([Guardianships::StudentId, Guardianships::GuardianId])
        .from(Guardianships::Table)
        .and_where(Expr::col(Guardianships::StudentId).is_in(ids))
        .to_owned();
    for (user, guardian) in db.fetch_all::<(Uuid, Uuid)>(&q).await? {
        if let Some(f) = out.get_mut(&user) {
            f.guardians.insert(guardian);
        }
    }
    Ok(out)
}

/// The members of a group of `school`.
pub async fn group_members(db: &Db, school: Uuid, group: Group) -> Result<Vec<Uuid>> {
    let q = match group {
        Group::ClassStudents(class) => Query::select()
            .column(ClassStudents::StudentId)
            .from(ClassStudents::Table)
            .and_where(Expr::col(ClassStudents::SchoolId).eq(school))
            .and_where(Expr::col(ClassStudents::ClassId).eq(class))
            .to_owned(),
        Group::ClassParents(class) => Query::select()
            .distinct()
            .column((Guardianships::Table, Guardianships::GuardianId))
            .from(ClassStudents::Table)
            .join(
                JoinType::InnerJoin,
                Guardianships::Table,
                Expr::col((Guardianships::Table, Guardianships::StudentId))
                    .equals((ClassStudents::Table, ClassStudents::StudentId)),
            )
            .and_where(Expr::col((ClassStudents::Table, ClassStudents::SchoolId)).eq(school))
            .and_where(Expr::col((ClassStudents::Table, ClassStudents::ClassId)).eq(class))
            .and_where(Expr::col((Guardianships::Table, Guardianships::Legal)).eq(true))
            .to_owned(),
        Group::ClassTeachers(class) => Query::select()
            .distinct()
            .column(Teachings::TeacherId)
            .from(Teachings::Table)
            .and_where(Expr::col(Teachings::SchoolId).eq(school))
            .and_where(Expr::col(Teachings::ClassId).eq(class))
            .to_owned(),
        Group::Teachers | Group::Staff => {
            let profiles: Vec<&str> = Profile::ALL
                .into_iter()
                .filter(|p| *p == Profile::Teacher || (group == Group::Staff && is_office(*p)))
                .map(Profile::code)
                .collect();
            Query::select()
                .distinct()
                .column(Memberships::UserId)
                .from(Memberships::Table)
                .and_where(Expr::col(Memberships::SchoolId).eq(school))
                .and_where(Expr::col(Memberships::Profile).is_in(profiles))
                .to_owned()
        }
    };
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|(u,)| u)
        .collect())
}

/// Names of the school's classes among `ids`, by id.
pub async fn class_names(db: &Db, school: Uuid, ids: &[Uuid]) -> Result<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let q = Query::select()
        .columns([Classes::Id, Classes::Name])
        .from(Classes::Table)
        .and_where(Expr::col(Classes::SchoolId).eq(school))
        .and_where(Expr::col(Classes::Id).is_in(ids.to_vec()))
        .order_by(Classes::Name, Order::Asc)
        .to_owned();
    Ok(db.fetch_all::<(Uuid, String)>(&q).await?.into_iter().collect())
}

/// A person as a line of a recipient list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

impl Person {
    /// « Claire MARTIN »
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name.to_uppercase())
    }
}

/// People by id (names of senders and recipients).
pub async fn people(db: &Db, ids: &[Uuid]) -> Result<HashMap<Uuid, Person>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let q = Query::select()
        .columns([Users::Id, Users::FirstName, Users::LastName])
        .from(Users::Table)
        .and_where(Expr::col(Users::Id).is_in(ids.to_vec()))
        .to_owned();
    Ok(db
        .fetch_all::<Person>(&q)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// Members of `school` whose name contains `text` (case-insensitive), at most `limit`, by name.
pub async fn search_people(db: &Db, school: Uuid, text: &str, limit: u64) -> Result<Vec<Person>> {
    let like = format!("%{}%", text.trim().to_lowercase().replace(['%', '_'], ""));
    let full = Expr::cust("LOWER(users.first_name || ' ' || users.last_name)");
    let reversed = Expr::cust("LOWER(users.last_name || ' ' || users.first_name)");
    let q = Query::select()
        .distinct()
        .column((Users::Table, Users::Id))
        .column((Users::Table, Users::FirstName))
        .column((Users::Table, Users::LastName))
        .from(Users::Table)
        .join(
            JoinType::InnerJoin,
            Memberships::Table,
            Expr::col((Memberships::Table, Memberships::UserId)).equals((Users::Table, Users::Id)),
        )
        .and_where(Expr::col((Memberships::Table, Memberships::SchoolId)).eq(school))
        .cond_where(
            Cond::any()
                .add(full.like(like.as_str()))
                .add(reversed.like(like.as_str())),
        )
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .order_by((Users::Table, Users::FirstName), Order::Asc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

/// The people a family or student account may usually write to in `school`: the teachers of
/// `classes` and the school office (their address book; the rules filter it).
pub async fn family_contacts(db: &Db, school: Uuid, classes: &[Uuid]) -> Result<Vec<Uuid>> {
    let office: Vec<&str> = Profile::ALL
        .into_iter()
        .filter(|p| is_office(*p))
        .map(Profile::code)
        .collect();
    let q = Query::select()
        .distinct()
        .column(Memberships::UserId)
        .from(Memberships::Table)
        .and_where(Expr::col(Memberships::SchoolId).eq(school))
        .and_where(Expr::col(Memberships::Profile).is_in(office))
        .to_owned();
    let mut ids: Vec<Uuid> = db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|(u,)| u)
        .collect();
    if !classes.is_empty() {
        let q = Query::select()
            .distinct()
            .column(Teachings::TeacherId)
            .from(Teachings::Table)
            .and_where(Expr::col(Teachings::SchoolId).eq(school))
            .and_where(Expr::col(Teachings::ClassId).is_in(classes.to_vec()))
            .to_owned();
        ids.extend(db.fetch_all::<(Uuid,)>(&q).await?.into_iter().map(|(u,)| u));
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Every class and group of the school (the office addresses any of them).
pub async fn directory_classes(db: &Db, school: Uuid) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(Classes::Id)
        .from(Classes::Table)
        .and_where(Expr::col(Classes::SchoolId).eq(school))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|(c,)| c)
        .collect())
}
