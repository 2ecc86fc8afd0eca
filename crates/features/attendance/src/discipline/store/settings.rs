//! What each school shows families, its list of incident types, and the journal of writes.

use db::{Db, Result, Tx};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query};
use uuid::Uuid;

use super::name_person;
use super::tables::*;
use crate::discipline::model::FamilyRules;

pub async fn family_rules(db: &Db, school: SchoolId) -> Result<FamilyRules> {
    let q = Query::select()
        .columns([
            DisciplineSettings::ShowPunishments,
            DisciplineSettings::ShowIncidents,
        ])
        .from(DisciplineSettings::Table)
        .and_where(Expr::col(DisciplineSettings::SchoolId).eq(school.0))
        .to_owned();
    Ok(match db.fetch_optional::<(bool, bool)>(&q).await? {
        Some((show_punishments, show_incidents)) => FamilyRules {
            show_punishments,
            show_incidents,
        },
        None => FamilyRules::default(),
    })
}

pub async fn save_family_rules(
    tx: &mut Tx,
    school: SchoolId,
    rules: FamilyRules,
    by: UserId,
    now: Timestamp,
) -> Result<()> {
    let q = Query::insert()
        .into_table(DisciplineSettings::Table)
        .columns([
            DisciplineSettings::SchoolId,
            DisciplineSettings::ShowPunishments,
            DisciplineSettings::ShowIncidents,
            DisciplineSettings::UpdatedBy,
            DisciplineSettings::UpdatedAt,
        ])
        .values_panic([
            school.0.into(),
            rules.show_punishments.into(),
            rules.show_incidents.into(),
            by.0.into(),
            now.0.into(),
        ])
        .on_conflict(
            OnConflict::column(DisciplineSettings::SchoolId)
                .update_columns([
                    DisciplineSettings::ShowPunishments,
                    DisciplineSettings::ShowIncidents,
                    DisciplineSettings::UpdatedBy,
                    DisciplineSettings::UpdatedAt,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncidentType {
    pub id: Uuid,
    pub code: String,
    pub label: String,
    pub active: bool,
}

/// The incident types every school starts with (code, label).
pub const DEFAULT_TYPES: [(&str, &str); 8] = [
    ("violence_verbale", "Violence verbale"),
    ("violence_physique", "Violence physique"),
    ("degradation", "Dégradation"),
    ("vol", "Vol"),
    ("harcelement", "Harcèlement"),
    ("telephone", "Usage du téléphone"),
    ("retards", "Retards répétés"),
    ("autre", "Autre"),
];

/// The school's incident types in their order, the defaults written on first use.
pub async fn incident_types(db: &Db, school: SchoolId) -> Result<Vec<IncidentType>> {
    let q = Query::select()
        .columns([
            DisciplineIncidentTypes::Id,
            DisciplineIncidentTypes::Code,
            DisciplineIncidentTypes::Label,
            DisciplineIncidentTypes::Active,
        ])
        .from(DisciplineIncidentTypes::Table)
        .and_where(Expr::col(DisciplineIncidentTypes::SchoolId).eq(school.0))
        .order_by(DisciplineIncidentTypes::Position, Order::Asc)
        .order_by(DisciplineIncidentTypes::Label, Order::Asc)
        .to_owned();
    let types: Vec<IncidentType> = db.fetch_all(&q).await?;
    if !types.is_empty() {
        return Ok(types);
    }
    let mut tx = db.begin().await?;
    for (position, (code, label)) in DEFAULT_TYPES.iter().enumerate() {
        insert_type(&mut tx, school, code, label, position as i32).await?;
    }
    tx.commit().await?;
    db.fetch_all(&q).await
}

async fn insert_type(tx: &mut Tx, school: SchoolId, code: &str, label: &str, position: i32) -> Result<()> {
    let q = Query::insert()
        .into_table(DisciplineIncidentTypes::Table)
        .columns([
            DisciplineIncidentTypes::SchoolId,
            DisciplineIncidentTypes::Id,
            DisciplineIncidentTypes::Code,
            DisciplineIncidentTypes::Label,
            DisciplineIncidentTypes::Position,
            DisciplineIncidentTypes::Active,
        ])
        .values_panic([
            school.0.into(),
            kernel::new_id().into(),
            code.into(),
            label.into(),
            position.into(),
            true.into(),
        ])
        .on_conflict(
            OnConflict::columns([DisciplineIncidentTypes::SchoolId, DisciplineIncidentTypes::Code])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// A type the school adds, after its others; its code is its own.
pub async fn add_incident_type(tx: &mut Tx, school: SchoolId, label: &str) -> Result<()> {
    let q = Query::select()
        .expr(Func::coalesce([
            Expr::col(DisciplineIncidentTypes::Position).max(),
            Expr::val(0),
        ]))
        .from(DisciplineIncidentTypes::Table)
        .and_where(Expr::col(DisciplineIncidentTypes::SchoolId).eq(school.0))
        .to_owned();
    let (last,): (i32,) = tx.fetch_one(&q).await?;
    let code = format!("ecole_{}", kernel::new_id().simple());
    insert_type(tx, school, &code, label, last + 1).await
}

pub async fn set_incident_type_active(tx: &mut Tx, school: SchoolId, id: Uuid, active: bool) -> Result<u64> {
    let q = Query::update()
        .table(DisciplineIncidentTypes::Table)
        .value(DisciplineIncidentTypes::Active, active)
        .and_where(Expr::col(DisciplineIncidentTypes::SchoolId).eq(school.0))
        .and_where(Expr::col(DisciplineIncidentTypes::Id).eq(id))
        .to_owned();
    tx.execute(&q).await
}

/// One write, for the journal.
pub struct JournalEntry<'a> {
    pub actor: UserId,
    /// 'incident_reported', 'person_added', 'person_removed', 'punishment_given', 'punishment_status',
    /// 'sanction_decided', 'settings_changed', 'type_added', 'type_changed'.
    pub action: &'static str,
    pub record: Uuid,
    pub student: Option<Uuid>,
    pub detail: &'a str,
}

pub async fn journal_write(tx: &mut Tx, school: SchoolId, now: Timestamp, e: JournalEntry<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(DisciplineJournal::Table)
        .columns([
            DisciplineJournal::SchoolId,
            DisciplineJournal::Id,
            DisciplineJournal::At,
            DisciplineJournal::ActorId,
            DisciplineJournal::Action,
            DisciplineJournal::RecordId,
            DisciplineJournal::StudentId,
            DisciplineJournal::Detail,
        ])
        .values_panic([
            school.0.into(),
            kernel::new_id().into(),
            now.0.into(),
            e.actor.0.into(),
            e.action.into(),
            e.record.into(),
            e.student.into(),
            e.detail.chars().take(500).collect::<String>().into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalRow {
    pub at: i64,
    pub action: String,
    pub record_id: Uuid,
    pub detail: String,
    pub actor_first: String,
    pub actor_last: String,
    pub student_id: Option<Uuid>,
    pub student_first: Option<String>,
    pub student_last: Option<String>,
}

/// The school's latest writes, newest first.
pub async fn journal(db: &Db, school: SchoolId, limit: u64) -> Result<Vec<JournalRow>> {
    let j = DisciplineJournal::Table;
    let mut q = Query::select()
        .columns([
            (j, DisciplineJournal::At),
            (j, DisciplineJournal::Action),
            (j, DisciplineJournal::RecordId),
            (j, DisciplineJournal::Detail),
            (j, DisciplineJournal::StudentId),
        ])
        .from(j)
        .and_where(Expr::col((j, DisciplineJournal::SchoolId)).eq(school.0))
        .order_by((j, DisciplineJournal::At), Order::Desc)
        .order_by((j, DisciplineJournal::Id), Order::Desc)
        .limit(limit)
        .to_owned();
    name_person(&mut q, "actor", (j, DisciplineJournal::ActorId), false);
    name_person(&mut q, "student", (j, DisciplineJournal::StudentId), true);
    db.fetch_all(&q).await
}
