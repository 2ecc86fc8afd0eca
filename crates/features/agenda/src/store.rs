//! Agenda SQL, every query filtered on `school_id`.

use db::{Db, Result, Tx};
use directory::audience::{self, Audience, ReaderKey};
use kernel::Timestamp;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

const COLS: [&str; 16] = [
    "school_id",
    "id",
    "author_id",
    "title",
    "description",
    "place",
    "all_day",
    "starts_at",
    "ends_at",
    "first_day",
    "last_day",
    "to_students",
    "to_guardians",
    "to_teachers",
    "to_staff",
    "created_at",
];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub school_id: Uuid,
    pub id: Uuid,
    pub author_id: Uuid,
    pub title: String,
    pub description: String,
    pub place: String,
    pub all_day: bool,
    pub starts_at: i64,
    pub ends_at: i64,
    pub first_day: String,
    pub last_day: String,
    pub to_students: bool,
    pub to_guardians: bool,
    pub to_teachers: bool,
    pub to_staff: bool,
    pub created_at: i64,
}

impl EventRow {
    pub fn audience(&self) -> Audience {
        Audience::from_flags([
            self.to_students,
            self.to_guardians,
            self.to_teachers,
            self.to_staff,
        ])
    }
}

fn select_events() -> SelectStatement {
    let mut q = Query::select();
    for c in COLS {
        q.column((a("e"), a(c)));
    }
    q.from_as(a("agenda_events"), a("e"));
    q
}

/// Whether the event `e` reaches the reader of `key`.
fn reaches(key: &ReaderKey) -> Cond {
    let links = Query::select()
        .expr(Expr::val(1))
        .from_as(a("agenda_event_classes"), a("ec"))
        .and_where(col("ec", "school_id").equals((a("e"), a("school_id"))))
        .and_where(col("ec", "event_id").equals((a("e"), a("id"))))
        .to_owned();
    key.reaches("e", col("e", "school_id").eq(key.school), &links, "ec")
}

/// The events between two instants that reach any of `keys` or that `author` created, by start.
/// `only`: one event (its page).
pub async fn visible(
    db: &Db,
    keys: &[ReaderKey],
    author: Uuid,
    (from, to): (Timestamp, Timestamp),
    only: Option<(Uuid, Uuid)>,
) -> Result<Vec<EventRow>> {
    let mut schools: Vec<Uuid> = keys.iter().map(|k| k.school).collect();
    schools.sort();
    schools.dedup();
    let mut any = Cond::any().add(col("e", "author_id").eq(author));
    for k in keys {
        any = any.add(reaches(k));
    }
    let mut q = select_events();
    q.cond_where(any)
        .order_by((a("e"), a("starts_at")), Order::Asc)
        .order_by((a("e"), a("id")), Order::Asc)
        .limit(2_000);
    match only {
        Some((school, id)) => {
            q.and_where(col("e", "school_id").eq(school))
                .and_where(col("e", "id").eq(id));
        }
        None => {
            q.and_where(col("e", "starts_at").lt(to.0))
                .and_where(col("e", "ends_at").gt(from.0));
        }
    }
    db.fetch_all(&q).await
}

/// An event by id alone (its page's URL carries no school): the id is unique.
pub async fn event(db: &Db, id: Uuid) -> Result<Option<EventRow>> {
    let q = select_events().and_where(col("e", "id").eq(id)).to_owned();
    db.fetch_optional(&q).await
}

pub async fn insert(tx: &mut Tx, e: &EventRow, classes: &[Uuid]) -> Result<()> {
    let q = Query::insert()
        .into_table(a("agenda_events"))
        .columns(COLS.map(a))
        .values_panic([
            e.school_id.into(),
            e.id.into(),
            e.author_id.into(),
            e.title.clone().into(),
            e.description.clone().into(),
            e.place.clone().into(),
            e.all_day.into(),
            e.starts_at.into(),
            e.ends_at.into(),
            e.first_day.clone().into(),
            e.last_day.clone().into(),
            e.to_students.into(),
            e.to_guardians.into(),
            e.to_teachers.into(),
            e.to_staff.into(),
            e.created_at.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    audience::insert_class_links(
        tx,
        ("agenda_event_classes", "event_id"),
        e.school_id,
        e.id,
        classes,
    )
    .await
}

pub async fn delete(tx: &mut Tx, school: Uuid, id: Uuid) -> Result<()> {
    let q = Query::delete()
        .from_table(a("agenda_event_classes"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("event_id")).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(a("agenda_events"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("id")).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// The person whose feed secret hashes to `hash`.
pub async fn feed_owner(db: &Db, hash: &str) -> Result<Option<Uuid>> {
    let q = Query::select()
        .column(a("user_id"))
        .from(a("agenda_feeds"))
        .and_where(Expr::col(a("token_hash")).eq(hash))
        .to_owned();
    Ok(db.fetch_optional::<(Uuid,)>(&q).await?.map(|r| r.0))
}

pub async fn has_feed(db: &Db, user: Uuid) -> Result<bool> {
    let q = Query::select()
        .expr(Expr::val(1))
        .from(a("agenda_feeds"))
        .and_where(Expr::col(a("user_id")).eq(user))
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(i32,)>(&q).await?.is_some())
}

/// Replaces a person's feed secret (`None`: revokes it).
pub async fn set_feed(db: &Db, user: Uuid, hash: Option<&str>, now: Timestamp) -> Result<()> {
    let mut tx = db.begin().await?;
    let q = Query::delete()
        .from_table(a("agenda_feeds"))
        .and_where(Expr::col(a("user_id")).eq(user))
        .to_owned();
    tx.execute(&q).await?;
    if let Some(hash) = hash {
        let q = Query::insert()
            .into_table(a("agenda_feeds"))
            .columns([a("token_hash"), a("user_id"), a("created_at")])
            .values_panic([hash.into(), user.into(), now.0.into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    tx.commit().await
}
