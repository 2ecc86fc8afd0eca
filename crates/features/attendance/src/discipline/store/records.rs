//! Punishments and sanctions: each given to one student, perhaps for an incident.

use db::{Db, Result, Tx};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use super::name_person;
use super::tables::*;
use crate::discipline::model::{
    PunishmentDraft, PunishmentKind, PunishmentStatus, SanctionDraft, SanctionKind,
};

/// The student a record is about, with their class then.
#[derive(Debug, Clone, Copy)]
pub struct Pupil<'a> {
    pub id: Uuid,
    pub class_id: Option<Uuid>,
    pub class_name: &'a str,
}

/// Which punishments or sanctions to list.
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    pub student: Option<Uuid>,
    pub class: Option<Uuid>,
    /// Given (punishments) or decided (sanctions) by this person.
    pub by: Option<Uuid>,
    pub incident: Option<Uuid>,
    /// A kind's code.
    pub kind: Option<&'static str>,
    pub status: Option<PunishmentStatus>,
    pub limit: u64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PunishmentRow {
    pub id: Uuid,
    pub student_id: Uuid,
    pub student_first: String,
    pub student_last: String,
    pub class_name: String,
    pub kind: String,
    pub incident_id: Option<Uuid>,
    pub reason: String,
    pub work: String,
    pub day: String,
    pub detention_day: Option<String>,
    pub detention_minute: Option<i32>,
    pub detention_place: String,
    pub status: String,
    pub given_by: Uuid,
    pub giver_first: String,
    pub giver_last: String,
    pub given_at: i64,
}

impl PunishmentRow {
    pub fn kind(&self) -> Option<PunishmentKind> {
        PunishmentKind::parse(&self.kind)
    }

    pub fn status(&self) -> PunishmentStatus {
        PunishmentStatus::parse(&self.status).unwrap_or(PunishmentStatus::ToDo)
    }
}

fn punishment_select(school: SchoolId) -> SelectStatement {
    let p = DisciplinePunishments::Table;
    let mut q = Query::select()
        .columns([
            (p, DisciplinePunishments::Id),
            (p, DisciplinePunishments::StudentId),
            (p, DisciplinePunishments::ClassName),
            (p, DisciplinePunishments::Kind),
            (p, DisciplinePunishments::IncidentId),
            (p, DisciplinePunishments::Reason),
            (p, DisciplinePunishments::Work),
            (p, DisciplinePunishments::Day),
            (p, DisciplinePunishments::DetentionDay),
            (p, DisciplinePunishments::DetentionMinute),
            (p, DisciplinePunishments::DetentionPlace),
            (p, DisciplinePunishments::Status),
            (p, DisciplinePunishments::GivenBy),
            (p, DisciplinePunishments::GivenAt),
        ])
        .from(p)
        .and_where(Expr::col((p, DisciplinePunishments::SchoolId)).eq(school.0))
        .to_owned();
    name_person(&mut q, "student", (p, DisciplinePunishments::StudentId), false);
    name_person(&mut q, "giver", (p, DisciplinePunishments::GivenBy), false);
    q
}

pub async fn punishment(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<PunishmentRow>> {
    let q = punishment_select(school)
        .and_where(Expr::col((DisciplinePunishments::Table, DisciplinePunishments::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Punishments, latest first.
pub async fn punishments(db: &Db, school: SchoolId, f: &RecordQuery) -> Result<Vec<PunishmentRow>> {
    use DisciplinePunishments as P;
    let mut q = punishment_select(school);
    let col = |c: P| Expr::col((P::Table, c));
    if let Some(s) = f.student {
        q.and_where(col(P::StudentId).eq(s));
    }
    if let Some(c) = f.class {
        q.and_where(col(P::ClassId).eq(c));
    }
    if let Some(b) = f.by {
        q.and_where(col(P::GivenBy).eq(b));
    }
    if let Some(i) = f.incident {
        q.and_where(col(P::IncidentId).eq(i));
    }
    if let Some(k) = f.kind {
        q.and_where(col(P::Kind).eq(k));
    }
    if let Some(s) = f.status {
        q.and_where(col(P::Status).eq(s.code()));
    }
    q.order_by((P::Table, P::Day), Order::Desc)
        .order_by((P::Table, P::GivenAt), Order::Desc)
        .limit(f.limit);
    db.fetch_all(&q).await
}

pub async fn insert_punishment(
    tx: &mut Tx,
    school: SchoolId,
    (id, pupil, incident): (Uuid, Pupil<'_>, Option<Uuid>),
    d: &PunishmentDraft,
    (by, day, now): (UserId, &str, Timestamp),
) -> Result<()> {
    use DisciplinePunishments as P;
    let q = Query::insert()
        .into_table(P::Table)
        .columns([
            P::SchoolId,
            P::Id,
            P::StudentId,
            P::ClassId,
            P::ClassName,
            P::Kind,
            P::IncidentId,
            P::Reason,
            P::Work,
            P::Day,
            P::DetentionDay,
            P::DetentionMinute,
            P::DetentionPlace,
            P::Status,
            P::GivenBy,
            P::GivenAt,
        ])
        .values_panic([
            school.0.into(),
            id.into(),
            pupil.id.into(),
            pupil.class_id.into(),
            pupil.class_name.into(),
            d.kind.code().into(),
            incident.into(),
            d.reason.as_str().into(),
            d.work.as_str().into(),
            day.into(),
            d.detention.as_ref().map(|r| r.day.to_string()).into(),
            d.detention.as_ref().map(|r| r.minute).into(),
            d.detention.as_ref().map_or("", |r| r.place.as_str()).into(),
            PunishmentStatus::ToDo.code().into(),
            by.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn set_punishment_status(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    status: PunishmentStatus,
    by: UserId,
    now: Timestamp,
) -> Result<u64> {
    use DisciplinePunishments as P;
    let q = Query::update()
        .table(P::Table)
        .value(P::Status, status.code())
        .value(P::StatusBy, by.0)
        .value(P::StatusAt, now.0)
        .and_where(Expr::col(P::SchoolId).eq(school.0))
        .and_where(Expr::col(P::Id).eq(id))
        .to_owned();
    tx.execute(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SanctionRow {
    pub id: Uuid,
    pub student_id: Uuid,
    pub student_first: String,
    pub student_last: String,
    pub class_name: String,
    pub kind: String,
    pub incident_id: Option<Uuid>,
    pub reason: String,
    pub decided_day: String,
    pub council_day: Option<String>,
    pub start_day: Option<String>,
    pub end_day: Option<String>,
    pub days: Option<i32>,
    pub hours: Option<i32>,
    pub sursis: String,
    pub sursis_days: Option<i32>,
    pub decided_by: Uuid,
    pub decider_first: String,
    pub decider_last: String,
    pub decided_at: i64,
}

impl SanctionRow {
    pub fn kind(&self) -> Option<SanctionKind> {
        SanctionKind::parse(&self.kind)
    }
}

fn sanction_select(school: SchoolId) -> SelectStatement {
    use DisciplineSanctions as S;
    let mut q = Query::select()
        .columns(
            [
                S::Id,
                S::StudentId,
                S::ClassName,
                S::Kind,
                S::IncidentId,
                S::Reason,
                S::DecidedDay,
                S::CouncilDay,
                S::StartDay,
                S::EndDay,
                S::Days,
                S::Hours,
                S::Sursis,
                S::SursisDays,
                S::DecidedBy,
                S::DecidedAt,
            ]
            .map(|c| (S::Table, c)),
        )
        .from(S::Table)
        .and_where(Expr::col((S::Table, S::SchoolId)).eq(school.0))
        .to_owned();
    name_person(&mut q, "student", (S::Table, S::StudentId), false);
    name_person(&mut q, "decider", (S::Table, S::DecidedBy), false);
    q
}

/// Sanctions, latest first.
pub async fn sanctions(db: &Db, school: SchoolId, f: &RecordQuery) -> Result<Vec<SanctionRow>> {
    use DisciplineSanctions as S;
    let mut q = sanction_select(school);
    let col = |c: S| Expr::col((S::Table, c));
    if let Some(s) = f.student {
        q.and_where(col(S::StudentId).eq(s));
    }
    if let Some(c) = f.class {
        q.and_where(col(S::ClassId).eq(c));
    }
    if let Some(b) = f.by {
        q.and_where(col(S::DecidedBy).eq(b));
    }
    if let Some(i) = f.incident {
        q.and_where(col(S::IncidentId).eq(i));
    }
    if let Some(k) = f.kind {
        q.and_where(col(S::Kind).eq(k));
    }
    q.order_by((S::Table, S::DecidedDay), Order::Desc)
        .order_by((S::Table, S::DecidedAt), Order::Desc)
        .limit(f.limit);
    db.fetch_all(&q).await
}

pub async fn insert_sanction(
    tx: &mut Tx,
    school: SchoolId,
    (id, pupil, incident): (Uuid, Pupil<'_>, Option<Uuid>),
    d: &SanctionDraft,
    (by, now): (UserId, Timestamp),
) -> Result<()> {
    use DisciplineSanctions as S;
    let day = |d: Option<crate::discipline::model::Day>| d.map(|d| d.to_string());
    let q = Query::insert()
        .into_table(S::Table)
        .columns([
            S::SchoolId,
            S::Id,
            S::StudentId,
            S::ClassId,
            S::ClassName,
            S::Kind,
            S::IncidentId,
            S::Reason,
            S::DecidedDay,
            S::CouncilDay,
            S::StartDay,
            S::EndDay,
            S::Days,
            S::Hours,
            S::Sursis,
            S::SursisDays,
            S::DecidedBy,
            S::DecidedAt,
        ])
        .values_panic([
            school.0.into(),
            id.into(),
            pupil.id.into(),
            pupil.class_id.into(),
            pupil.class_name.into(),
            d.kind.code().into(),
            incident.into(),
            d.reason.as_str().into(),
            d.decided_day.to_string().into(),
            day(d.council_day).into(),
            day(d.start_day).into(),
            day(d.exclusion.map(|e| e.end)).into(),
            d.exclusion.map(|e| e.days).into(),
            d.hours.into(),
            d.sursis.code().into(),
            d.sursis_days.into(),
            by.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}
