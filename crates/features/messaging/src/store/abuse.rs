//! The abuse defences' SQL: sending counts, identical texts, kill switches, held messages and reports.

use db::{Db, Result, Tx};
use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use super::{MsgMessages, MsgReports, MsgSuspensions};
use crate::store::mail::MessageRow;

/// Messages `sender` sent (or tried to) since `since`.
pub async fn sent_since(db: &Db, sender: Uuid, since: i64) -> Result<i64> {
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(MsgMessages::Table)
        .and_where(Expr::col(MsgMessages::SenderId).eq(sender))
        .and_where(Expr::col(MsgMessages::State).is_in(["sent", "held", "rejected"]))
        .and_where(Expr::col(MsgMessages::CreatedAt).gte(since))
        .to_owned();
    Ok(db.fetch_one::<(i64,)>(&q).await?.0)
}

/// Messages with the text fingerprint `hash` since `since`: how many `sender` sent, and how many
/// other accounts sent it.
pub async fn same_text(db: &Db, hash: &str, sender: Uuid, since: i64) -> Result<(i64, i64)> {
    let q = Query::select()
        .column(MsgMessages::SenderId)
        .from(MsgMessages::Table)
        .and_where(Expr::col(MsgMessages::BodyHash).eq(hash))
        .and_where(Expr::col(MsgMessages::CreatedAt).gte(since))
        .and_where(Expr::col(MsgMessages::State).ne("draft"))
        .limit(200)
        .to_owned();
    let senders = db.fetch_all::<(Uuid,)>(&q).await?;
    let mine = senders.iter().filter(|(s,)| *s == sender).count() as i64;
    let mut others: Vec<Uuid> = senders
        .into_iter()
        .map(|(s,)| s)
        .filter(|s| *s != sender)
        .collect();
    others.sort();
    others.dedup();
    Ok((mine, others.len() as i64))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Suspension {
    pub id: Uuid,
    /// The school it applies to; None: the whole region.
    pub school_scope: Option<Uuid>,
    pub profile: Option<String>,
    pub user_id: Option<Uuid>,
    pub reason: String,
    pub created_at: i64,
    pub created_by: Uuid,
}

fn select_suspensions() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            MsgSuspensions::Id,
            MsgSuspensions::SchoolScope,
            MsgSuspensions::Profile,
            MsgSuspensions::UserId,
            MsgSuspensions::Reason,
            MsgSuspensions::CreatedAt,
            MsgSuspensions::CreatedBy,
        ])
        .from(MsgSuspensions::Table)
        .and_where(Expr::col(MsgSuspensions::LiftedAt).is_null())
        .to_owned()
}

/// The first kill switch in force that stops `user`, acting as `profile` in `school`, from sending.
pub async fn suspension_for(db: &Db, school: Uuid, profile: &str, user: Uuid) -> Result<Option<Suspension>> {
    let mut q = select_suspensions();
    q.cond_where(
        Cond::all()
            .add(
                Cond::any()
                    .add(Expr::col(MsgSuspensions::SchoolScope).is_null())
                    .add(Expr::col(MsgSuspensions::SchoolScope).eq(school)),
            )
            .add(
                Cond::any()
                    .add(Expr::col(MsgSuspensions::Profile).is_null())
                    .add(Expr::col(MsgSuspensions::Profile).eq(profile)),
            )
            .add(
                Cond::any()
                    .add(Expr::col(MsgSuspensions::UserId).is_null())
                    .add(Expr::col(MsgSuspensions::UserId).eq(user)),
            ),
    )
    .order_by(MsgSuspensions::CreatedAt, Order::Asc)
    .limit(1);
    db.fetch_optional(&q).await
}

/// The switches in force for a school (its own and the region's), or the region's only.
pub async fn suspensions(db: &Db, school: Option<Uuid>) -> Result<Vec<Suspension>> {
    let mut q = select_suspensions();
    match school {
        Some(s) => q.cond_where(
            Cond::any()
                .add(Expr::col(MsgSuspensions::SchoolScope).is_null())
                .add(Expr::col(MsgSuspensions::SchoolScope).eq(s)),
        ),
        None => q.and_where(Expr::col(MsgSuspensions::SchoolScope).is_null()),
    };
    q.order_by(MsgSuspensions::CreatedAt, Order::Desc);
    db.fetch_all(&q).await
}

pub async fn suspend(tx: &mut Tx, s: &Suspension) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgSuspensions::Table)
        .columns([
            MsgSuspensions::Id,
            MsgSuspensions::SchoolScope,
            MsgSuspensions::Profile,
            MsgSuspensions::UserId,
            MsgSuspensions::Reason,
            MsgSuspensions::CreatedAt,
            MsgSuspensions::CreatedBy,
        ])
        .values_panic([
            s.id.into(),
            s.school_scope.into(),
            s.profile.clone().into(),
            s.user_id.into(),
            s.reason.clone().into(),
            s.created_at.into(),
            s.created_by.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// Lifts a switch of `school` (None: a region-wide one). Returns whether one was lifted.
pub async fn lift(tx: &mut Tx, id: Uuid, school: Option<Uuid>, by: Uuid, now: i64) -> Result<bool> {
    let mut q = Query::update();
    q.table(MsgSuspensions::Table)
        .value(MsgSuspensions::LiftedAt, now)
        .value(MsgSuspensions::LiftedBy, by)
        .and_where(Expr::col(MsgSuspensions::Id).eq(id))
        .and_where(Expr::col(MsgSuspensions::LiftedAt).is_null());
    match school {
        Some(s) => q.and_where(Expr::col(MsgSuspensions::SchoolScope).eq(s)),
        None => q.and_where(Expr::col(MsgSuspensions::SchoolScope).is_null()),
    };
    Ok(tx.execute(&q).await? > 0)
}

/// The school's messages waiting for moderation, oldest first.
pub async fn held(db: &Db, school: Uuid) -> Result<Vec<MessageRow>> {
    let mut q = crate::store::mail::select_messages();
    q.and_where(Expr::col(MsgMessages::SchoolId).eq(school))
        .and_where(Expr::col(MsgMessages::State).eq("held"))
        .order_by(MsgMessages::CreatedAt, Order::Asc)
        .limit(200);
    db.fetch_all(&q).await
}

/// Sets a held message's state (sent or rejected). Returns whether it was held.
pub async fn decide(tx: &mut Tx, school: Uuid, message: Uuid, state: &str, now: i64) -> Result<bool> {
    let q = Query::update()
        .table(MsgMessages::Table)
        .value(MsgMessages::State, state)
        .value(MsgMessages::SentAt, now)
        .and_where(Expr::col(MsgMessages::Id).eq(message))
        .and_where(Expr::col(MsgMessages::SchoolId).eq(school))
        .and_where(Expr::col(MsgMessages::State).eq("held"))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: Uuid,
    pub message_id: Uuid,
    pub reporter_id: Uuid,
    pub reason: String,
    pub created_at: i64,
}

pub async fn report(tx: &mut Tx, school: Uuid, r: &Report) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgReports::Table)
        .columns([
            MsgReports::SchoolId,
            MsgReports::Id,
            MsgReports::MessageId,
            MsgReports::ReporterId,
            MsgReports::Reason,
            MsgReports::CreatedAt,
        ])
        .values_panic([
            school.into(),
            r.id.into(),
            r.message_id.into(),
            r.reporter_id.into(),
            r.reason.clone().into(),
            r.created_at.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// The school's reports nobody has handled yet, oldest first.
pub async fn open_reports(db: &Db, school: Uuid) -> Result<Vec<Report>> {
    let q = Query::select()
        .columns([
            MsgReports::Id,
            MsgReports::MessageId,
            MsgReports::ReporterId,
            MsgReports::Reason,
            MsgReports::CreatedAt,
        ])
        .from(MsgReports::Table)
        .and_where(Expr::col(MsgReports::SchoolId).eq(school))
        .and_where(Expr::col(MsgReports::HandledAt).is_null())
        .order_by(MsgReports::CreatedAt, Order::Asc)
        .limit(200)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn close_report(tx: &mut Tx, school: Uuid, id: Uuid, by: Uuid, now: i64) -> Result<bool> {
    let q = Query::update()
        .table(MsgReports::Table)
        .value(MsgReports::HandledAt, now)
        .value(MsgReports::HandledBy, by)
        .and_where(Expr::col(MsgReports::SchoolId).eq(school))
        .and_where(Expr::col(MsgReports::Id).eq(id))
        .and_where(Expr::col(MsgReports::HandledAt).is_null())
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}
