//! Reset links and known devices SQL.

use db::{Db, Result, Tx};
use kernel::{Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Func, Iden, OnConflict, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum RecoveryLinks {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(Iden, Clone, Copy)]
enum KnownDevices {
    Table,
    UserId,
    DeviceHash,
    FirstSeenAt,
    LastSeenAt,
}

#[derive(Iden, Clone, Copy)]
enum Credentials {
    Table,
    UserId,
    PasswordHash,
    FailedAttempts,
    LockedUntil,
    UpdatedAt,
    RecoveryEmail,
}

#[derive(Iden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Login,
    LoginAlias,
    DeactivatedAt,
}

#[derive(Iden, Clone, Copy)]
enum Sessions {
    Table,
    UserId,
}

/// The recovery e-mail of an activated (password-holding) account.
pub async fn recovery_email(db: &Db, user: UserId) -> Result<Option<String>> {
    let q = Query::select()
        .column(Credentials::RecoveryEmail)
        .from(Credentials::Table)
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .and_where(Expr::col(Credentials::PasswordHash).is_not_null())
        .to_owned();
    Ok(db
        .fetch_optional::<(Option<String>,)>(&q)
        .await?
        .and_then(|r| r.0)
        .filter(|e| !e.trim().is_empty()))
}

/// Logins (and aliases) of the active accounts whose recovery address is `email` (case ignored).
pub async fn logins_with_email(db: &Db, email: &str) -> Result<Vec<(Uuid, String, Option<String>, String)>> {
    let q = Query::select()
        .columns([
            (Users::Table, Users::Id),
            (Users::Table, Users::Login),
            (Users::Table, Users::LoginAlias),
        ])
        .column((Credentials::Table, Credentials::RecoveryEmail))
        .from(Credentials::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((Credentials::Table, Credentials::UserId)),
        )
        .and_where(
            Expr::expr(Func::lower(Expr::col((
                Credentials::Table,
                Credentials::RecoveryEmail,
            ))))
            .eq(email.trim().to_lowercase()),
        )
        .and_where(Expr::col((Users::Table, Users::DeactivatedAt)).is_null())
        .and_where(Expr::col((Credentials::Table, Credentials::PasswordHash)).is_not_null())
        .order_by((Users::Table, Users::Login), sea_query::Order::Asc)
        .limit(20)
        .to_owned();
    db.fetch_all(&q).await
}

/// How many links were made for `user` since `since` (a cap against mail bombing).
pub async fn links_since(db: &Db, user: UserId, since: Timestamp) -> Result<i64> {
    let q = Query::select()
        .expr(Expr::col(RecoveryLinks::TokenHash).count())
        .from(RecoveryLinks::Table)
        .and_where(Expr::col(RecoveryLinks::UserId).eq(user.0))
        .and_where(Expr::col(RecoveryLinks::CreatedAt).gte(since.millis()))
        .to_owned();
    Ok(db.fetch_one::<(i64,)>(&q).await?.0)
}

pub async fn insert_link(
    db: &Db,
    token_hash: &str,
    user: UserId,
    now: Timestamp,
    expires: Timestamp,
) -> Result<()> {
    let q = Query::insert()
        .into_table(RecoveryLinks::Table)
        .columns([
            RecoveryLinks::TokenHash,
            RecoveryLinks::UserId,
            RecoveryLinks::CreatedAt,
            RecoveryLinks::ExpiresAt,
        ])
        .values_panic([
            token_hash.into(),
            user.0.into(),
            now.millis().into(),
            expires.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Link {
    pub user_id: Uuid,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn link(db: &Db, token_hash: &str) -> Result<Option<Link>> {
    let q = Query::select()
        .columns([
            RecoveryLinks::UserId,
            RecoveryLinks::ExpiresAt,
            RecoveryLinks::UsedAt,
        ])
        .from(RecoveryLinks::Table)
        .and_where(Expr::col(RecoveryLinks::TokenHash).eq(token_hash))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Uses the link (false if someone used it first), then sets the password, lifts any lock, spends every
/// other link of the person and ends all their sessions — in the caller's transaction.
pub async fn reset_with_link(
    tx: &mut Tx,
    token_hash: &str,
    user: UserId,
    password_hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let q = Query::update()
        .table(RecoveryLinks::Table)
        .value(RecoveryLinks::UsedAt, now.millis())
        .and_where(Expr::col(RecoveryLinks::TokenHash).eq(token_hash))
        .and_where(Expr::col(RecoveryLinks::UsedAt).is_null())
        .to_owned();
    if tx.execute(&q).await? != 1 {
        return Ok(false);
    }
    let q = Query::update()
        .table(RecoveryLinks::Table)
        .value(RecoveryLinks::UsedAt, now.millis())
        .and_where(Expr::col(RecoveryLinks::UserId).eq(user.0))
        .and_where(Expr::col(RecoveryLinks::UsedAt).is_null())
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::update()
        .table(Credentials::Table)
        .value(Credentials::PasswordHash, password_hash)
        .value(Credentials::FailedAttempts, 0)
        .value(Credentials::LockedUntil, Option::<i64>::None)
        .value(Credentials::UpdatedAt, now.millis())
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(Sessions::Table)
        .and_where(Expr::col(Sessions::UserId).eq(user.0))
        .to_owned();
    tx.execute(&q).await?;
    Ok(true)
}

/// Deletes links that expired more than a day ago.
pub async fn purge_links(db: &Db, now: Timestamp) -> Result<u64> {
    let q = Query::delete()
        .from_table(RecoveryLinks::Table)
        .and_where(Expr::col(RecoveryLinks::ExpiresAt).lt(now.plus_secs(-86_400).millis()))
        .to_owned();
    db.execute(&q).await
}

/// How a device a person signs in from stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// Seen before.
    Known,
    /// New to a person who signed in from other devices before.
    New,
    /// The person's very first device.
    First,
}

/// Records that `user` signed in from `device` (two statements whatever the case).
pub async fn remember_device(db: &Db, user: UserId, device_hash: &str, now: Timestamp) -> Result<Device> {
    let q = Query::insert()
        .into_table(KnownDevices::Table)
        .columns([
            KnownDevices::UserId,
            KnownDevices::DeviceHash,
            KnownDevices::FirstSeenAt,
            KnownDevices::LastSeenAt,
        ])
        .values_panic([
            user.0.into(),
            device_hash.into(),
            now.millis().into(),
            now.millis().into(),
        ])
        .on_conflict(
            OnConflict::columns([KnownDevices::UserId, KnownDevices::DeviceHash])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    if db.execute(&q).await? == 0 {
        let q = Query::update()
            .table(KnownDevices::Table)
            .value(KnownDevices::LastSeenAt, now.millis())
            .and_where(Expr::col(KnownDevices::UserId).eq(user.0))
            .and_where(Expr::col(KnownDevices::DeviceHash).eq(device_hash))
            .to_owned();
        db.execute(&q).await?;
        return Ok(Device::Known);
    }
    let q = Query::select()
        .expr(Expr::val(1))
        .from(KnownDevices::Table)
        .and_where(Expr::col(KnownDevices::UserId).eq(user.0))
        .and_where(Expr::col(KnownDevices::DeviceHash).ne(device_hash))
        .limit(1)
        .to_owned();
    let others = db.fetch_optional::<(i32,)>(&q).await?.is_some();
    Ok(if others { Device::New } else { Device::First })
}

/// When `user` first signed in from each of their devices: (device hash, first seen), oldest first.
pub async fn devices_first_seen(db: &Db, user: UserId) -> Result<Vec<(String, i64)>> {
    let q = Query::select()
        .columns([KnownDevices::DeviceHash, KnownDevices::FirstSeenAt])
        .from(KnownDevices::Table)
        .and_where(Expr::col(KnownDevices::UserId).eq(user.0))
        .order_by(KnownDevices::FirstSeenAt, sea_query::Order::Asc)
        .limit(50)
        .to_owned();
    db.fetch_all(&q).await
}

/// Replaces the recovery address of `user` (None clears it).
pub async fn set_recovery_email(db: &Db, user: UserId, email: Option<&str>, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(Credentials::Table)
        .value(Credentials::RecoveryEmail, email.map(str::to_string))
        .value(Credentials::UpdatedAt, now.millis())
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .to_owned();
    db.execute(&q).await.map(drop)
}
