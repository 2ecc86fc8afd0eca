//! Notifications SQL: the feed, the preferences, the digests' ledger, and the directory questions the
//! delivery asks (who are a student's legal guardians, a class's students and teachers, a school's
//! members of a profile). Every list of ids is sent in chunks so no statement carries too many values.

use db::{Db, Result, Tx};
use directory::store::{ClassStudents, Guardianships, HeadTeachers, Memberships, Teachings, Users};
use kernel::{SchoolId, Timestamp};
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Order, Query};
use uuid::Uuid;

/// Values per statement at most (SQLite binds at most 32,766; PostgreSQL 65,535).
const CHUNK: usize = 500;

#[derive(Iden, Clone, Copy)]
pub(crate) enum Notifications {
    Table,
    UserId,
    Id,
    School,
    Kind,
    Topic,
    GroupKey,
    Params,
    Link,
    Events,
    CreatedAt,
    UpdatedAt,
    ReadAt,
}

#[derive(Iden, Clone, Copy)]
enum NotificationSettings {
    Table,
    UserId,
    Digest,
    QuietHours,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
enum NotificationMuted {
    Table,
    UserId,
    Kind,
}

#[derive(Iden, Clone, Copy)]
enum NotificationDigests {
    Table,
    UserId,
    Day,
    SentAt,
    Items,
}

#[derive(Iden, Clone, Copy)]
enum Credentials {
    Table,
    UserId,
    RecoveryEmail,
}

// ----- the directory, as the delivery needs it -----

/// (guardian, student) for the legal representatives of `students`.
pub async fn legal_guardians(db: &Db, students: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>> {
    let mut out = vec![];
    for chunk in students.chunks(CHUNK) {
        let q = Query::select()
            .columns([Guardianships::GuardianId, Guardianships::StudentId])
            .from(Guardianships::Table)
            .and_where(Expr::col(Guardianships::StudentId).is_in(chunk.to_vec()))
            .and_where(Expr::col(Guardianships::Legal).eq(true))
            .to_owned();
        out.extend(db.fetch_all::<(Uuid, Uuid)>(&q).await?);
    }
    Ok(out)
}

/// The students of `classes` (classes or groups) of `school`.
pub async fn students_of_classes(db: &Db, school: SchoolId, classes: &[Uuid]) -> Result<Vec<Uuid>> {
    let mut out = vec![];
    for chunk in classes.chunks(CHUNK) {
        let q = Query::select()
            .distinct()
            .column(ClassStudents::StudentId)
            .from(ClassStudents::Table)
            .and_where(Expr::col(ClassStudents::SchoolId).eq(school.0))
            .and_where(Expr::col(ClassStudents::ClassId).is_in(chunk.to_vec()))
            .to_owned();
        out.extend(db.fetch_all::<(Uuid,)>(&q).await?.into_iter().map(|r| r.0));
    }
    Ok(out)
}

/// The teachers of `classes`: those who teach there and the head teachers.
pub async fn teachers_of_classes(db: &Db, school: SchoolId, classes: &[Uuid]) -> Result<Vec<Uuid>> {
    let mut out = vec![];
    for chunk in classes.chunks(CHUNK) {
        let q = Query::select()
            .distinct()
            .column(Teachings::TeacherId)
            .from(Teachings::Table)
            .and_where(Expr::col(Teachings::SchoolId).eq(school.0))
            .and_where(Expr::col(Teachings::ClassId).is_in(chunk.to_vec()))
            .to_owned();
        out.extend(db.fetch_all::<(Uuid,)>(&q).await?.into_iter().map(|r| r.0));
        let q = Query::select()
            .distinct()
            .column(HeadTeachers::TeacherId)
            .from(HeadTeachers::Table)
            .and_where(Expr::col(HeadTeachers::SchoolId).eq(school.0))
            .and_where(Expr::col(HeadTeachers::ClassId).is_in(chunk.to_vec()))
            .to_owned();
        out.extend(db.fetch_all::<(Uuid,)>(&q).await?.into_iter().map(|r| r.0));
    }
    Ok(out)
}

/// The members of `school` with one of `profiles` (codes).
pub async fn members(db: &Db, school: SchoolId, profiles: &[&str]) -> Result<Vec<Uuid>> {
    if profiles.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .distinct()
        .column(Memberships::UserId)
        .from(Memberships::Table)
        .and_where(Expr::col(Memberships::SchoolId).eq(school.0))
        .and_where(Expr::col(Memberships::Profile).is_in(profiles.iter().map(|p| String::from(*p))))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// (id, first name) of the accounts among `ids` that exist and are active: anyone else is skipped.
pub async fn active_people(db: &Db, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    let mut out = vec![];
    for chunk in ids.chunks(CHUNK) {
        let q = Query::select()
            .columns([Users::Id, Users::FirstName])
            .from(Users::Table)
            .and_where(Expr::col(Users::Id).is_in(chunk.to_vec()))
            .and_where(Expr::col(Users::DeactivatedAt).is_null())
            .to_owned();
        out.extend(db.fetch_all::<(Uuid, String)>(&q).await?);
    }
    Ok(out)
}

/// Where a person's mail goes: the recovery address they gave, else the directory's.
pub async fn email_of(db: &Db, user: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(Credentials::RecoveryEmail)
        .from(Credentials::Table)
        .and_where(Expr::col(Credentials::UserId).eq(user))
        .to_owned();
    let recovery: Option<(Option<String>,)> = db.fetch_optional(&q).await?;
    if let Some(email) = recovery.and_then(|r| r.0).filter(|e| e.contains('@')) {
        return Ok(Some(email));
    }
    let q = Query::select()
        .column(Users::Email)
        .from(Users::Table)
        .and_where(Expr::col(Users::Id).eq(user))
        .to_owned();
    let found: Option<(Option<String>,)> = db.fetch_optional(&q).await?;
    Ok(found.and_then(|r| r.0).filter(|e| e.contains('@')))
}

// ----- preferences -----

/// A person's choices (the defaults when they never chose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Settings {
    pub user_id: Uuid,
    pub digest: bool,
    pub quiet_hours: bool,
}

impl Settings {
    pub fn default_for(user: Uuid) -> Settings {
        Settings {
            user_id: user,
            digest: false,
            quiet_hours: true,
        }
    }
}

/// The choices of those among `users` who made some.
pub async fn settings_of(db: &Db, users: &[Uuid]) -> Result<Vec<Settings>> {
    let mut out = vec![];
    for chunk in users.chunks(CHUNK) {
        let q = Query::select()
            .columns([
                NotificationSettings::UserId,
                NotificationSettings::Digest,
                NotificationSettings::QuietHours,
            ])
            .from(NotificationSettings::Table)
            .and_where(Expr::col(NotificationSettings::UserId).is_in(chunk.to_vec()))
            .to_owned();
        out.extend(db.fetch_all::<Settings>(&q).await?);
    }
    Ok(out)
}

/// The people who asked for the digest.
pub async fn digest_readers(db: &Db) -> Result<Vec<Uuid>> {
    let q = Query::select()
        .column(NotificationSettings::UserId)
        .from(NotificationSettings::Table)
        .and_where(Expr::col(NotificationSettings::Digest).eq(true))
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// (user, kind) for the kinds those among `users` turned off.
pub async fn muted_of(db: &Db, users: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    let mut out = vec![];
    for chunk in users.chunks(CHUNK) {
        let q = Query::select()
            .columns([NotificationMuted::UserId, NotificationMuted::Kind])
            .from(NotificationMuted::Table)
            .and_where(Expr::col(NotificationMuted::UserId).is_in(chunk.to_vec()))
            .to_owned();
        out.extend(db.fetch_all::<(Uuid, String)>(&q).await?);
    }
    Ok(out)
}

/// Replaces a person's choices: the settings and the kinds turned off.
pub async fn save_preferences(tx: &mut Tx, s: Settings, muted: &[&str], now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(NotificationSettings::Table)
        .columns([
            NotificationSettings::UserId,
            NotificationSettings::Digest,
            NotificationSettings::QuietHours,
            NotificationSettings::UpdatedAt,
        ])
        .values_panic([
            s.user_id.into(),
            s.digest.into(),
            s.quiet_hours.into(),
            now.0.into(),
        ])
        .on_conflict(
            OnConflict::column(NotificationSettings::UserId)
                .update_columns([
                    NotificationSettings::Digest,
                    NotificationSettings::QuietHours,
                    NotificationSettings::UpdatedAt,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(NotificationMuted::Table)
        .and_where(Expr::col(NotificationMuted::UserId).eq(s.user_id))
        .to_owned();
    tx.execute(&q).await?;
    for kind in muted {
        let q = Query::insert()
            .into_table(NotificationMuted::Table)
            .columns([NotificationMuted::UserId, NotificationMuted::Kind])
            .values_panic([s.user_id.into(), (*kind).into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

// ----- the feed -----

/// One item of a person's feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The school the item comes from, if any (the table is keyed by person).
    pub school: Option<Uuid>,
    pub kind: String,
    pub topic: String,
    pub group_key: String,
    pub params: String,
    pub link: String,
    pub events: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub read_at: Option<i64>,
}

impl Item {
    pub fn params(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(&self.params).unwrap_or_default()
    }
}

const ITEM_COLS: [Notifications; 12] = [
    Notifications::Id,
    Notifications::UserId,
    Notifications::School,
    Notifications::Kind,
    Notifications::Topic,
    Notifications::GroupKey,
    Notifications::Params,
    Notifications::Link,
    Notifications::Events,
    Notifications::CreatedAt,
    Notifications::UpdatedAt,
    Notifications::ReadAt,
];

/// Unread items of `users` in `groups` begun since `since`: what a new event of those groups joins.
pub async fn open_items(
    tx: &mut Tx,
    users: &[Uuid],
    groups: &[String],
    since: Timestamp,
) -> Result<Vec<Item>> {
    let mut out = vec![];
    if groups.is_empty() {
        return Ok(out);
    }
    for chunk in users.chunks(CHUNK) {
        let q = Query::select()
            .columns(ITEM_COLS)
            .from(Notifications::Table)
            .and_where(Expr::col(Notifications::UserId).is_in(chunk.to_vec()))
            .and_where(Expr::col(Notifications::ReadAt).is_null())
            .and_where(Expr::col(Notifications::GroupKey).is_in(groups.to_vec()))
            .and_where(Expr::col(Notifications::CreatedAt).gte(since.0))
            .to_owned();
        out.extend(tx.fetch_all::<Item>(&q).await?);
    }
    Ok(out)
}

/// Writes new items, many rows per statement (a message to a class and its parents is 90 items).
pub async fn insert_items(tx: &mut Tx, items: &[Item]) -> Result<()> {
    for chunk in items.chunks(CHUNK / 12) {
        let mut q = Query::insert()
            .into_table(Notifications::Table)
            .columns(ITEM_COLS)
            .to_owned();
        for i in chunk {
            q.values_panic([
                i.id.into(),
                i.user_id.into(),
                i.school.into(),
                i.kind.clone().into(),
                i.topic.clone().into(),
                i.group_key.clone().into(),
                i.params.clone().into(),
                i.link.clone().into(),
                i.events.into(),
                i.created_at.into(),
                i.updated_at.into(),
                i.read_at.into(),
            ]);
        }
        tx.execute(&q).await?;
    }
    Ok(())
}

/// Updates an item a new event joined.
pub async fn update_item(tx: &mut Tx, i: &Item) -> Result<()> {
    let q = Query::update()
        .table(Notifications::Table)
        .value(Notifications::Params, i.params.clone())
        .value(Notifications::Link, i.link.clone())
        .value(Notifications::Events, i.events)
        .value(Notifications::UpdatedAt, i.updated_at)
        .and_where(Expr::col(Notifications::UserId).eq(i.user_id))
        .and_where(Expr::col(Notifications::Id).eq(i.id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn unread_count(db: &Db, user: Uuid) -> Result<i64> {
    let q = Query::select()
        .expr(Expr::col(Notifications::Id).count())
        .from(Notifications::Table)
        .and_where(Expr::col(Notifications::UserId).eq(user))
        .and_where(Expr::col(Notifications::ReadAt).is_null())
        .to_owned();
    let (n,): (i64,) = db.fetch_one(&q).await?;
    Ok(n)
}

/// A page of a person's feed, newest first.
pub async fn feed(db: &Db, user: Uuid, offset: u64, limit: u64) -> Result<Vec<Item>> {
    let q = Query::select()
        .columns(ITEM_COLS)
        .from(Notifications::Table)
        .and_where(Expr::col(Notifications::UserId).eq(user))
        .order_by(Notifications::UpdatedAt, Order::Desc)
        .order_by(Notifications::Id, Order::Desc)
        .offset(offset)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn item(db: &Db, user: Uuid, id: Uuid) -> Result<Option<Item>> {
    let q = Query::select()
        .columns(ITEM_COLS)
        .from(Notifications::Table)
        .and_where(Expr::col(Notifications::UserId).eq(user))
        .and_where(Expr::col(Notifications::Id).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Marks one of the person's items read (or all when `id` is `None`); the number of items it changed.
pub async fn mark_read(db: &Db, user: Uuid, id: Option<Uuid>, now: Timestamp) -> Result<u64> {
    let mut q = Query::update()
        .table(Notifications::Table)
        .value(Notifications::ReadAt, now.0)
        .and_where(Expr::col(Notifications::UserId).eq(user))
        .and_where(Expr::col(Notifications::ReadAt).is_null())
        .to_owned();
    if let Some(id) = id {
        q.and_where(Expr::col(Notifications::Id).eq(id));
    }
    db.execute(&q).await
}

// ----- the digest -----

/// When the person's last digest went, if one did.
pub async fn last_digest(db: &Db, user: Uuid) -> Result<Option<i64>> {
    let q = Query::select()
        .expr(Expr::col(NotificationDigests::SentAt).max())
        .from(NotificationDigests::Table)
        .and_where(Expr::col(NotificationDigests::UserId).eq(user))
        .to_owned();
    let (at,): (Option<i64>,) = db.fetch_one(&q).await?;
    Ok(at)
}

/// The person's unread items that changed since `since`, newest first, at most `limit`.
pub async fn unread_since(db: &Db, user: Uuid, since: i64, limit: u64) -> Result<Vec<Item>> {
    let q = Query::select()
        .columns(ITEM_COLS)
        .from(Notifications::Table)
        .and_where(Expr::col(Notifications::UserId).eq(user))
        .and_where(Expr::col(Notifications::ReadAt).is_null())
        .and_where(Expr::col(Notifications::UpdatedAt).gt(since))
        .order_by(Notifications::UpdatedAt, Order::Desc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

/// Takes the person's digest of `day`: true for the one caller (of every node) who may send it.
pub async fn claim_digest(db: &Db, user: Uuid, day: &str, now: Timestamp, items: i32) -> Result<bool> {
    let q = Query::insert()
        .into_table(NotificationDigests::Table)
        .columns([
            NotificationDigests::UserId,
            NotificationDigests::Day,
            NotificationDigests::SentAt,
            NotificationDigests::Items,
        ])
        .values_panic([user.into(), day.into(), now.0.into(), items.into()])
        .on_conflict(
            OnConflict::columns([NotificationDigests::UserId, NotificationDigests::Day])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

/// Gives a digest back when its mail could not go, so the next run tries again.
pub async fn release_digest(db: &Db, user: Uuid, day: &str) -> Result<()> {
    let q = Query::delete()
        .from_table(NotificationDigests::Table)
        .and_where(Expr::col(NotificationDigests::UserId).eq(user))
        .and_where(Expr::col(NotificationDigests::Day).eq(day))
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}
