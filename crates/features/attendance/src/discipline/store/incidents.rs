//! Incidents and the people involved in them.

use db::{Db, Result, Tx};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use super::name_person;
use super::tables::*;
use crate::discipline::model::{IncidentDraft, Role};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Incident {
    pub id: Uuid,
    pub day: String,
    pub minute: i32,
    pub place: String,
    pub type_id: Uuid,
    pub type_label: String,
    pub description: String,
    pub reported_by: Uuid,
    pub reporter_first: String,
    pub reporter_last: String,
    pub reported_at: i64,
}

fn incident_select(school: SchoolId) -> SelectStatement {
    let (i, t) = (DisciplineIncidents::Table, DisciplineIncidentTypes::Table);
    let mut q = Query::select()
        .columns([
            (i, DisciplineIncidents::Id),
            (i, DisciplineIncidents::Day),
            (i, DisciplineIncidents::Minute),
            (i, DisciplineIncidents::Place),
            (i, DisciplineIncidents::TypeId),
            (i, DisciplineIncidents::Description),
            (i, DisciplineIncidents::ReportedBy),
            (i, DisciplineIncidents::ReportedAt),
        ])
        .expr_as(
            Expr::col((t, DisciplineIncidentTypes::Label)),
            Alias::new("type_label"),
        )
        .from(i)
        .inner_join(
            t,
            Expr::col((t, DisciplineIncidentTypes::SchoolId))
                .equals((i, DisciplineIncidents::SchoolId))
                .and(Expr::col((t, DisciplineIncidentTypes::Id)).equals((i, DisciplineIncidents::TypeId))),
        )
        .and_where(Expr::col((i, DisciplineIncidents::SchoolId)).eq(school.0))
        .to_owned();
    name_person(&mut q, "reporter", (i, DisciplineIncidents::ReportedBy), false);
    q
}

pub async fn incident(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<Incident>> {
    let q = incident_select(school)
        .and_where(Expr::col((DisciplineIncidents::Table, DisciplineIncidents::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    pub reporter: Option<Uuid>,
    /// Incidents involving a student of this class.
    pub class: Option<Uuid>,
    pub type_id: Option<Uuid>,
    /// Incidents involving this student (as an author only, with `authors_only`).
    pub student: Option<Uuid>,
    pub authors_only: bool,
    pub limit: u64,
}

/// The ids of the incidents where `column` (a student, a class) is `value`, authors only if asked.
fn involving(
    school: SchoolId,
    column: DisciplineIncidentPeople,
    value: Uuid,
    authors_only: bool,
) -> SelectStatement {
    let mut q = Query::select()
        .column(DisciplineIncidentPeople::IncidentId)
        .from(DisciplineIncidentPeople::Table)
        .and_where(Expr::col(DisciplineIncidentPeople::SchoolId).eq(school.0))
        .and_where(Expr::col(column).eq(value))
        .to_owned();
    if authors_only {
        q.and_where(Expr::col(DisciplineIncidentPeople::Role).eq(Role::Author.code()));
    }
    q
}

/// Incidents, latest first.
pub async fn incidents(db: &Db, school: SchoolId, f: &IncidentQuery) -> Result<Vec<Incident>> {
    let i = DisciplineIncidents::Table;
    let mut q = incident_select(school);
    if let Some(r) = f.reporter {
        q.and_where(Expr::col((i, DisciplineIncidents::ReportedBy)).eq(r));
    }
    if let Some(t) = f.type_id {
        q.and_where(Expr::col((i, DisciplineIncidents::TypeId)).eq(t));
    }
    if let Some(c) = f.class {
        q.and_where(Expr::col((i, DisciplineIncidents::Id)).in_subquery(involving(
            school,
            DisciplineIncidentPeople::ClassId,
            c,
            false,
        )));
    }
    if let Some(s) = f.student {
        q.and_where(Expr::col((i, DisciplineIncidents::Id)).in_subquery(involving(
            school,
            DisciplineIncidentPeople::StudentId,
            s,
            f.authors_only,
        )));
    }
    q.order_by((i, DisciplineIncidents::Day), Order::Desc)
        .order_by((i, DisciplineIncidents::Minute), Order::Desc)
        .order_by((i, DisciplineIncidents::Id), Order::Desc)
        .limit(f.limit);
    db.fetch_all(&q).await
}

pub async fn insert_incident(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    d: &IncidentDraft,
    by: UserId,
    now: Timestamp,
) -> Result<()> {
    let q = Query::insert()
        .into_table(DisciplineIncidents::Table)
        .columns([
            DisciplineIncidents::SchoolId,
            DisciplineIncidents::Id,
            DisciplineIncidents::Day,
            DisciplineIncidents::Minute,
            DisciplineIncidents::Place,
            DisciplineIncidents::TypeId,
            DisciplineIncidents::Description,
            DisciplineIncidents::ReportedBy,
            DisciplineIncidents::ReportedAt,
        ])
        .values_panic([
            school.0.into(),
            id.into(),
            d.day.to_string().into(),
            d.minute.into(),
            d.place.as_str().into(),
            d.type_id.into(),
            d.description.as_str().into(),
            by.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// A person involved in an incident: a student (with their class then) or an adult named in words.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Involved {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub student_id: Option<Uuid>,
    pub student_first: Option<String>,
    pub student_last: Option<String>,
    pub class_name: String,
    pub adult_name: String,
    pub role: String,
}

impl Involved {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

pub async fn people_of(db: &Db, school: SchoolId, incidents: &[Uuid]) -> Result<Vec<Involved>> {
    if incidents.is_empty() {
        return Ok(vec![]);
    }
    let p = DisciplineIncidentPeople::Table;
    let mut q = Query::select()
        .columns([
            (p, DisciplineIncidentPeople::Id),
            (p, DisciplineIncidentPeople::IncidentId),
            (p, DisciplineIncidentPeople::StudentId),
            (p, DisciplineIncidentPeople::ClassName),
            (p, DisciplineIncidentPeople::AdultName),
            (p, DisciplineIncidentPeople::Role),
        ])
        .from(p)
        .and_where(Expr::col((p, DisciplineIncidentPeople::SchoolId)).eq(school.0))
        .and_where(Expr::col((p, DisciplineIncidentPeople::IncidentId)).is_in(incidents.to_vec()))
        .order_by((p, DisciplineIncidentPeople::Id), Order::Asc)
        .to_owned();
    name_person(&mut q, "student", (p, DisciplineIncidentPeople::StudentId), true);
    db.fetch_all(&q).await
}

pub struct NewPerson<'a> {
    pub student: Option<Uuid>,
    pub class_id: Option<Uuid>,
    pub class_name: &'a str,
    pub adult_name: &'a str,
    pub role: Role,
}

pub async fn add_person(tx: &mut Tx, school: SchoolId, incident: Uuid, p: NewPerson<'_>) -> Result<Uuid> {
    let id = kernel::new_id();
    let q = Query::insert()
        .into_table(DisciplineIncidentPeople::Table)
        .columns([
            DisciplineIncidentPeople::SchoolId,
            DisciplineIncidentPeople::IncidentId,
            DisciplineIncidentPeople::Id,
            DisciplineIncidentPeople::StudentId,
            DisciplineIncidentPeople::ClassId,
            DisciplineIncidentPeople::ClassName,
            DisciplineIncidentPeople::AdultName,
            DisciplineIncidentPeople::Role,
        ])
        .values_panic([
            school.0.into(),
            incident.into(),
            id.into(),
            p.student.into(),
            p.class_id.into(),
            p.class_name.into(),
            p.adult_name.into(),
            p.role.code().into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(id)
}

pub async fn remove_person(tx: &mut Tx, school: SchoolId, incident: Uuid, id: Uuid) -> Result<u64> {
    let q = Query::delete()
        .from_table(DisciplineIncidentPeople::Table)
        .and_where(Expr::col(DisciplineIncidentPeople::SchoolId).eq(school.0))
        .and_where(Expr::col(DisciplineIncidentPeople::IncidentId).eq(incident))
        .and_where(Expr::col(DisciplineIncidentPeople::Id).eq(id))
        .to_owned();
    tx.execute(&q).await
}
