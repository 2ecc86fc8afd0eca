//! The outbox: a feature announces what happened (a lesson cancelled, homework set) by writing an event
//! in the same transaction as the change itself, so an event exists if and only if the change committed.
//! Workers (the notification issue) read the pending events in order and mark them delivered.
//! [`PubSub`] carries small live signals to every node (in-process on SQLite, PostgreSQL NOTIFY);
//! [`SchoolCache`] keeps a node's copies of a school's most read data in step with them.

mod pubsub;
mod school_cache;

pub use pubsub::PubSub;
pub use school_cache::SchoolCache;

use db::{Db, Tx};
use kernel::{SchoolId, Timestamp};
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    Topic,
    School,
    Payload,
    CreatedAt,
    DeliveredAt,
}

const COLUMNS: [Outbox; 5] = [
    Outbox::Id,
    Outbox::Topic,
    Outbox::School,
    Outbox::Payload,
    Outbox::CreatedAt,
];

/// Something that happened, for whoever must hear of it. `topic` is `<feature>.<what>`, for instance
/// `timetable.lesson_changed`; `payload` carries what the deliverer needs (ids, never personal data it can
/// read from the directory itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub topic: &'static str,
    pub school: Option<SchoolId>,
    pub payload: serde_json::Value,
}

/// An event read back from the outbox.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Pending {
    pub id: Uuid,
    pub topic: String,
    pub school: Option<Uuid>,
    pub payload: String,
    pub created_at: i64,
}

impl Pending {
    pub fn payload(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

/// Writes `event` inside `tx`: it is published when, and only if, the transaction commits.
pub async fn publish(tx: &mut Tx, now: Timestamp, event: Event) -> db::Result<()> {
    let q = Query::insert()
        .into_table(Outbox::Table)
        .columns(COLUMNS)
        .values_panic([
            Uuid::now_v7().into(),
            event.topic.into(),
            event.school.map(|s| s.0).into(),
            event.payload.to_string().into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// The oldest undelivered events of `topic` (all topics when `None`), at most `limit`.
pub async fn pending(db: &Db, topic: Option<&str>, limit: u64) -> db::Result<Vec<Pending>> {
    let mut q = Query::select()
        .columns(COLUMNS)
        .from(Outbox::Table)
        .and_where(Expr::col(Outbox::DeliveredAt).is_null())
        .order_by(Outbox::Id, Order::Asc)
        .limit(limit)
        .to_owned();
    if let Some(topic) = topic {
        q.and_where(Expr::col(Outbox::Topic).eq(topic));
    }
    db.fetch_all(&q).await
}

/// Marks events delivered; they are no longer pending.
pub async fn delivered(db: &Db, ids: &[Uuid], now: Timestamp) -> db::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let q = Query::update()
        .table(Outbox::Table)
        .value(Outbox::DeliveredAt, now.0)
        .and_where(Expr::col(Outbox::Id).is_in(ids.to_vec()))
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}

/// Of `ids`, the events still pending that this transaction now holds for delivery: on PostgreSQL the
/// rows are locked (`FOR UPDATE SKIP LOCKED`), so a node running the same delivery at the same moment
/// skips them, and one whose delivery committed first has made them non-pending (PostgreSQL checks
/// the condition again on the row's latest version). On SQLite, `Db::begin` already holds the write
/// lock, so the check is exact. Deliver what this returns, mark it [`delivered_in`] in the same
/// transaction, and each event is delivered once whatever the number of nodes.
pub async fn claim(tx: &mut Tx, ids: &[Uuid]) -> db::Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(Outbox::Id)
        .from(Outbox::Table)
        .and_where(Expr::col(Outbox::Id).is_in(ids.to_vec()))
        .and_where(Expr::col(Outbox::DeliveredAt).is_null())
        .lock_with_behavior(sea_query::LockType::Update, sea_query::LockBehavior::SkipLocked)
        .to_owned();
    let rows: Vec<(Uuid,)> = tx.fetch_all(&q).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// [`delivered`], inside the transaction that delivered the events.
pub async fn delivered_in(tx: &mut Tx, ids: &[Uuid], now: Timestamp) -> db::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let q = Query::update()
        .table(Outbox::Table)
        .value(Outbox::DeliveredAt, now.0)
        .and_where(Expr::col(Outbox::Id).is_in(ids.to_vec()))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    async fn fresh() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("t.db").display()), 2)
            .await
            .unwrap();
        db.migrate().await.unwrap();
        (dir, db)
    }

    fn event(n: i64) -> Event {
        Event {
            topic: "test.happened",
            school: None,
            payload: serde_json::json!({ "n": n }),
        }
    }

    #[tokio::test]
    async fn an_event_exists_only_if_its_transaction_commits() {
        let (_dir, db) = fresh().await;
        let mut tx = db.begin().await.unwrap();
        publish(&mut tx, Timestamp(1), event(1)).await.unwrap();
        drop(tx); // rolled back
        assert!(pending(&db, None, 10).await.unwrap().is_empty());
        let mut tx = db.begin().await.unwrap();
        publish(&mut tx, Timestamp(2), event(2)).await.unwrap();
        publish(&mut tx, Timestamp(3), event(3)).await.unwrap();
        tx.commit().await.unwrap();
        let events = pending(&db, Some("test.happened"), 10).await.unwrap();
        let ns: Vec<i64> = events
            .iter()
            .map(|e| e.payload()["n"].as_i64().unwrap())
            .collect();
        assert_eq!(ns, [2, 3], "in the order they were published");
        delivered(&db, &[events[0].id], Timestamp(4)).await.unwrap();
        let left = pending(&db, None, 10).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id, events[1].id);
    }

    #[tokio::test]
    async fn a_claimed_event_is_not_claimed_again() {
        let (_dir, db) = fresh().await;
        let mut tx = db.begin().await.unwrap();
        publish(&mut tx, Timestamp(1), event(1)).await.unwrap();
        tx.commit().await.unwrap();
        let ids: Vec<Uuid> = pending(&db, None, 10)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        let mut tx = db.begin().await.unwrap();
        assert_eq!(claim(&mut tx, &ids).await.unwrap(), ids);
        delivered_in(&mut tx, &ids, Timestamp(2)).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        assert!(
            claim(&mut tx, &ids).await.unwrap().is_empty(),
            "already delivered"
        );
    }
}
