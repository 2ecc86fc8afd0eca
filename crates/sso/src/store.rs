//! Service tickets SQL, and what a validation releases about the person.

use db::{Db, Result};
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Iden, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum CasTickets {
    Table,
    Ticket,
    UserId,
    Service,
    ContextSchool,
    ContextProfile,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

pub struct NewTicket<'a> {
    pub ticket: &'a str,
    pub user: Uuid,
    pub service: &'a str,
    pub school: Option<Uuid>,
    pub profile: Option<&'a str>,
    pub now: Timestamp,
    pub expires: Timestamp,
}

pub async fn insert(db: &Db, t: NewTicket<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(CasTickets::Table)
        .columns([
            CasTickets::Ticket,
            CasTickets::UserId,
            CasTickets::Service,
            CasTickets::ContextSchool,
            CasTickets::ContextProfile,
            CasTickets::CreatedAt,
            CasTickets::ExpiresAt,
        ])
        .values_panic([
            t.ticket.into(),
            t.user.into(),
            t.service.into(),
            t.school.into(),
            t.profile.map(str::to_string).into(),
            t.now.millis().into(),
            t.expires.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Ticket {
    pub user_id: Uuid,
    pub service: String,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub expires_at: i64,
}

/// Consumes a ticket: returns it if it existed and was never used; it can never be used again.
pub async fn consume(db: &Db, ticket: &str, now: Timestamp) -> Result<Option<Ticket>> {
    let q = Query::update()
        .table(CasTickets::Table)
        .value(CasTickets::ConsumedAt, now.millis())
        .and_where(Expr::col(CasTickets::Ticket).eq(ticket))
        .and_where(Expr::col(CasTickets::ConsumedAt).is_null())
        .to_owned();
    if db.execute(&q).await? != 1 {
        return Ok(None);
    }
    let q = Query::select()
        .columns([
            CasTickets::UserId,
            CasTickets::Service,
            CasTickets::ContextSchool,
            CasTickets::ContextProfile,
            CasTickets::ExpiresAt,
        ])
        .from(CasTickets::Table)
        .and_where(Expr::col(CasTickets::Ticket).eq(ticket))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Deletes tickets expired for more than an hour.
pub async fn purge(db: &Db, now: Timestamp) -> Result<u64> {
    let q = Query::delete()
        .from_table(CasTickets::Table)
        .and_where(Expr::col(CasTickets::ExpiresAt).lt(now.plus_secs(-3600).millis()))
        .to_owned();
    db.execute(&q).await
}

#[derive(Debug, sqlx::FromRow)]
pub struct Released {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub jointure: Option<String>,
}

pub async fn person(db: &Db, user: Uuid) -> Result<Option<Released>> {
    let q = Query::select()
        .columns(["login", "first_name", "last_name", "email", "jointure"].map(Alias::new))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("id")).eq(user))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn uai(db: &Db, school: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(Alias::new("uai"))
        .from(Alias::new("schools"))
        .and_where(Expr::col(Alias::new("id")).eq(school))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}
