//! The school as the timetable names it: its classes and groups, rooms, teachers (directory reads).

use db::{Db, Result};
use kernel::{Profile, SchoolId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::service::Person;
use crate::store::Lessons;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Classes and groups (id, kind, name), rooms in use, teachers: the index of the staff's timetables.
pub async fn index(
    db: &Db,
    school: SchoolId,
) -> Result<(Vec<(Uuid, String, String)>, Vec<String>, Vec<Person>)> {
    let q = Query::select()
        .columns([a("id"), a("kind"), a("name")])
        .from(a("classes"))
        .and_where(Expr::col(a("school_id")).eq(school.0))
        .order_by(a("kind"), Order::Asc)
        .order_by(a("name"), Order::Asc)
        .to_owned();
    let classes = db.fetch_all(&q).await?;
    let q = Query::select()
        .distinct()
        .column(Lessons::Room)
        .from(Lessons::Table)
        .and_where(Expr::col(Lessons::SchoolId).eq(school.0))
        .and_where(Expr::col(Lessons::Room).ne(""))
        .order_by(Lessons::Room, Order::Asc)
        .to_owned();
    let rooms: Vec<(String,)> = db.fetch_all(&q).await?;
    Ok((
        classes,
        rooms.into_iter().map(|r| r.0).collect(),
        teachers(db, school).await?,
    ))
}

/// The teachers of the school, by name.
pub async fn teachers(db: &Db, school: SchoolId) -> Result<Vec<Person>> {
    let mut all = teacher_logins(db, school).await?;
    all.sort_by(|a, b| (&a.3, &a.2).cmp(&(&b.3, &b.2)));
    Ok(all
        .into_iter()
        .map(|(id, login, first_name, last_name)| Person {
            id,
            login,
            first_name,
            last_name,
        })
        .collect())
}

pub async fn class_name(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(a("name"))
        .from(a("classes"))
        .and_where(Expr::col(a("school_id")).eq(school.0))
        .and_where(Expr::col(a("id")).eq(id))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

/// "Anne Martin", for a teacher of the school.
pub async fn teacher_name(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<String>> {
    Ok(teachers(db, school)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| format!("{} {}", p.first_name, p.last_name)))
}

/// A class or group of the school by its code (case-insensitive), for imports.
pub async fn classes_by_code(db: &Db, school: SchoolId) -> Result<Vec<(Uuid, String, String)>> {
    let q = Query::select()
        .columns([a("id"), a("code"), a("name")])
        .from(a("classes"))
        .and_where(Expr::col(a("school_id")).eq(school.0))
        .to_owned();
    db.fetch_all(&q).await
}

/// Subjects (code, label), for imports.
pub async fn subjects(db: &Db) -> Result<Vec<(String, String)>> {
    let q = Query::select()
        .columns([a("code"), a("label")])
        .from(a("subjects"))
        .to_owned();
    db.fetch_all(&q).await
}

/// Teachers of the school with their login (for imports).
pub async fn teacher_logins(db: &Db, school: SchoolId) -> Result<Vec<(Uuid, String, String, String)>> {
    let q = Query::select()
        .column((a("users"), a("id")))
        .column((a("users"), a("login")))
        .column((a("users"), a("first_name")))
        .column((a("users"), a("last_name")))
        .from(a("memberships"))
        .inner_join(
            a("users"),
            Expr::col((a("users"), a("id"))).equals((a("memberships"), a("user_id"))),
        )
        .and_where(Expr::col((a("memberships"), a("school_id"))).eq(school.0))
        .and_where(Expr::col((a("memberships"), a("profile"))).eq(Profile::Teacher.code()))
        .to_owned();
    db.fetch_all(&q).await
}
