//! Credentials and sessions SQL.

use db::{Db, Result};
use kernel::{Context, Profile, RegionId, SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum Credentials {
    Table,
    UserId,
    PasswordHash,
    FailedAttempts,
    LockedUntil,
    UpdatedAt,
    RecoveryEmail,
    RecoveryPhone,
    CharterAcceptedAt,
}

#[derive(Iden, Clone, Copy)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    ContextSchool,
    ContextProfile,
    ContextRegion,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
    MfaPending,
    SecondFactorAt,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Credential {
    pub password_hash: Option<String>,
    pub failed_attempts: i32,
    pub locked_until: Option<i64>,
}

pub async fn credential(db: &Db, user: UserId) -> Result<Option<Credential>> {
    let q = Query::select()
        .columns([
            Credentials::PasswordHash,
            Credentials::FailedAttempts,
            Credentials::LockedUntil,
        ])
        .from(Credentials::Table)
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn set_password(db: &Db, user: UserId, hash: &str, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(Credentials::Table)
        .columns([
            Credentials::UserId,
            Credentials::PasswordHash,
            Credentials::FailedAttempts,
            Credentials::UpdatedAt,
        ])
        .values_panic([user.0.into(), hash.into(), 0i32.into(), now.millis().into()])
        .on_conflict(
            OnConflict::column(Credentials::UserId)
                .update_columns([
                    Credentials::PasswordHash,
                    Credentials::FailedAttempts,
                    Credentials::UpdatedAt,
                ])
                .value(Credentials::LockedUntil, Expr::val(Option::<i64>::None))
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Counts one more failure; `lock_until` is set once the count reaches the lock threshold.
pub async fn record_failure(
    db: &Db,
    user: UserId,
    failures: i32,
    lock_until: Option<Timestamp>,
) -> Result<()> {
    let q = Query::update()
        .table(Credentials::Table)
        .value(Credentials::FailedAttempts, failures)
        .value(Credentials::LockedUntil, lock_until.map(Timestamp::millis))
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .to_owned();
    db.execute(&q).await.map(drop)
}

pub async fn reset_failures(db: &Db, user: UserId) -> Result<()> {
    let q = Query::update()
        .table(Credentials::Table)
        .value(Credentials::FailedAttempts, 0)
        .value(Credentials::LockedUntil, Option::<i64>::None)
        .and_where(Expr::col(Credentials::UserId).eq(user.0))
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: Uuid,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub context_region: Option<Uuid>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub mfa_pending: bool,
    pub second_factor_at: Option<i64>,
}

impl SessionRow {
    pub fn context(&self) -> Option<Context> {
        match (
            self.context_school,
            self.context_profile.as_deref(),
            self.context_region,
        ) {
            (Some(school), Some(profile), None) => Some(Context::School {
                school: SchoolId(school),
                profile: profile.parse::<Profile>().ok()?,
            }),
            (None, None, Some(region)) => Some(Context::RegionAdmin {
                region: RegionId(region),
            }),
            _ => None,
        }
    }
}

fn context_values(c: Context) -> (Option<Uuid>, Option<String>, Option<Uuid>) {
    match c {
        Context::School { school, profile } => (Some(school.0), Some(profile.code().to_string()), None),
        Context::RegionAdmin { region } => (None, None, Some(region.0)),
    }
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub context: Context,
    pub now: Timestamp,
    pub expires_at: Timestamp,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub mfa_pending: bool,
}

/// Writes a new session; returns it as [`session`] would read it back.
pub async fn insert_session(db: &Db, s: NewSession<'_>) -> Result<SessionRow> {
    let (school, profile, region) = context_values(s.context);
    let q = Query::insert()
        .into_table(Sessions::Table)
        .columns([
            Sessions::TokenHash,
            Sessions::UserId,
            Sessions::ContextSchool,
            Sessions::ContextProfile,
            Sessions::ContextRegion,
            Sessions::CreatedAt,
            Sessions::LastSeenAt,
            Sessions::ExpiresAt,
            Sessions::Ip,
            Sessions::UserAgent,
            Sessions::MfaPending,
        ])
        .values_panic([
            s.token_hash.into(),
            s.user.0.into(),
            school.into(),
            profile.clone().into(),
            region.into(),
            s.now.millis().into(),
            s.now.millis().into(),
            s.expires_at.millis().into(),
            s.ip.into(),
            s.user_agent.chars().take(300).collect::<String>().into(),
            s.mfa_pending.into(),
        ])
        .to_owned();
    db.execute(&q).await?;
    Ok(SessionRow {
        user_id: s.user.0,
        context_school: school,
        context_profile: profile,
        context_region: region,
        created_at: s.now.millis(),
        last_seen_at: s.now.millis(),
        expires_at: s.expires_at.millis(),
        mfa_pending: s.mfa_pending,
        second_factor_at: None,
    })
}

pub async fn session(db: &Db, token_hash: &str) -> Result<Option<SessionRow>> {
    let q = Query::select()
        .columns([
            Sessions::UserId,
            Sessions::ContextSchool,
            Sessions::ContextProfile,
            Sessions::ContextRegion,
            Sessions::CreatedAt,
            Sessions::LastSeenAt,
            Sessions::ExpiresAt,
            Sessions::MfaPending,
            Sessions::SecondFactorAt,
        ])
        .from(Sessions::Table)
        .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
        .to_owned();
    db.fetch_optional(&q).await
}

pub async fn touch_session(db: &Db, token_hash: &str, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(Sessions::Table)
        .value(Sessions::LastSeenAt, now.millis())
        .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}

pub async fn set_session_context(db: &Db, token_hash: &str, context: Context) -> Result<()> {
    let (school, profile, region) = context_values(context);
    let q = Query::update()
        .table(Sessions::Table)
        .value(Sessions::ContextSchool, school)
        .value(Sessions::ContextProfile, profile)
        .value(Sessions::ContextRegion, region)
        .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<()> {
    let q = Query::delete()
        .from_table(Sessions::Table)
        .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Removes sessions past their absolute expiry or idle for longer than `idle_secs`.
pub async fn purge_sessions(db: &Db, now: Timestamp, idle_secs: i64) -> Result<u64> {
    let q = Query::delete()
        .from_table(Sessions::Table)
        .cond_where(
            Expr::col(Sessions::ExpiresAt)
                .lte(now.millis())
                .or(Expr::col(Sessions::LastSeenAt).lte(now.plus_secs(-idle_secs).millis())),
        )
        .to_owned();
    db.execute(&q).await
}

/// Gives every account without a password the same precomputed hash (load-test regions only).
pub async fn set_password_for_all(db: &Db, hash: &str, now: Timestamp) -> Result<u64> {
    use sea_query::{Alias, SelectStatement};
    let select: SelectStatement = Query::select()
        .column((Alias::new("users"), Alias::new("id")))
        .expr(Expr::val(hash))
        .expr(Expr::val(0i32))
        .expr(Expr::val(now.millis()))
        .from(Alias::new("users"))
        .and_where(
            Expr::col((Alias::new("users"), Alias::new("id"))).not_in_subquery(
                Query::select()
                    .column(Credentials::UserId)
                    .from(Credentials::Table)
                    .to_owned(),
            ),
        )
        .to_owned();
    let q = Query::insert()
        .into_table(Credentials::Table)
        .columns([
            Credentials::UserId,
            Credentials::PasswordHash,
            Credentials::FailedAttempts,
            Credentials::UpdatedAt,
        ])
        .select_from(select)
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
        .to_owned();
    db.execute(&q).await
}

#[derive(Iden, Clone, Copy)]
enum ActivationCodes {
    Table,
    UserId,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    CreatedBy,
}

#[derive(Iden, Clone, Copy)]
enum Users {
    Table,
    Id,
    LoginAlias,
}

/// Replaces any pending code of `user` with a new one (only the keyed hash is stored).
pub async fn set_activation_code(
    tx: &mut db::Tx,
    user: UserId,
    code_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
    by: UserId,
) -> Result<()> {
    let q = Query::insert()
        .into_table(ActivationCodes::Table)
        .columns([
            ActivationCodes::UserId,
            ActivationCodes::CodeHash,
            ActivationCodes::CreatedAt,
            ActivationCodes::ExpiresAt,
            ActivationCodes::CreatedBy,
        ])
        .values_panic([
            user.0.into(),
            code_hash.into(),
            now.millis().into(),
            expires_at.millis().into(),
            by.0.into(),
        ])
        .on_conflict(
            OnConflict::column(ActivationCodes::UserId)
                .update_columns([
                    ActivationCodes::CodeHash,
                    ActivationCodes::CreatedAt,
                    ActivationCodes::ExpiresAt,
                    ActivationCodes::CreatedBy,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// The pending code of `user`: (keyed hash, expiry in ms).
pub async fn activation_code(db: &Db, user: UserId) -> Result<Option<(String, i64)>> {
    let q = Query::select()
        .columns([ActivationCodes::CodeHash, ActivationCodes::ExpiresAt])
        .from(ActivationCodes::Table)
        .and_where(Expr::col(ActivationCodes::UserId).eq(user.0))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Which of `users` already have a password (they need no letter).
pub async fn with_password(db: &Db, users: &[Uuid]) -> Result<Vec<Uuid>> {
    if users.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(Credentials::UserId)
        .from(Credentials::Table)
        .and_where(Expr::col(Credentials::UserId).is_in(users.iter().copied()))
        .and_where(Expr::col(Credentials::PasswordHash).is_not_null())
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

pub struct Activation<'a> {
    pub user: UserId,
    pub password_hash: &'a str,
    pub alias: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub now: Timestamp,
}

/// Sets the password, alias, recovery contacts and charter acceptance, and consumes the code: all or nothing.
pub async fn activate(db: &Db, a: Activation<'_>) -> Result<()> {
    let mut tx = db.begin().await?;
    let q = Query::insert()
        .into_table(Credentials::Table)
        .columns([
            Credentials::UserId,
            Credentials::PasswordHash,
            Credentials::FailedAttempts,
            Credentials::UpdatedAt,
            Credentials::RecoveryEmail,
            Credentials::RecoveryPhone,
            Credentials::CharterAcceptedAt,
        ])
        .values_panic([
            a.user.0.into(),
            a.password_hash.into(),
            0i32.into(),
            a.now.millis().into(),
            a.email.map(str::to_string).into(),
            a.phone.map(str::to_string).into(),
            a.now.millis().into(),
        ])
        .on_conflict(
            OnConflict::column(Credentials::UserId)
                .update_columns([
                    Credentials::PasswordHash,
                    Credentials::FailedAttempts,
                    Credentials::UpdatedAt,
                    Credentials::RecoveryEmail,
                    Credentials::RecoveryPhone,
                    Credentials::CharterAcceptedAt,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    if let Some(alias) = a.alias {
        let q = Query::update()
            .table(Users::Table)
            .value(Users::LoginAlias, alias)
            .and_where(Expr::col(Users::Id).eq(a.user.0))
            .to_owned();
        tx.execute(&q).await?;
    }
    let q = Query::delete()
        .from_table(ActivationCodes::Table)
        .and_where(Expr::col(ActivationCodes::UserId).eq(a.user.0))
        .to_owned();
    tx.execute(&q).await?;
    tx.commit().await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionSummary {
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// A person's sessions, most recently used first.
pub async fn sessions_of(db: &Db, user: UserId) -> Result<Vec<SessionSummary>> {
    let q = Query::select()
        .columns([
            Sessions::TokenHash,
            Sessions::CreatedAt,
            Sessions::LastSeenAt,
            Sessions::Ip,
            Sessions::UserAgent,
        ])
        .from(Sessions::Table)
        .and_where(Expr::col(Sessions::UserId).eq(user.0))
        .order_by(Sessions::LastSeenAt, sea_query::Order::Desc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Ends one session of `user` (never another person's), or all but `keep`.
pub async fn end_sessions(db: &Db, user: UserId, only: Option<&str>, keep: Option<&str>) -> Result<u64> {
    let mut q = Query::delete();
    q.from_table(Sessions::Table)
        .and_where(Expr::col(Sessions::UserId).eq(user.0));
    if let Some(hash) = only {
        q.and_where(Expr::col(Sessions::TokenHash).eq(hash));
    }
    if let Some(hash) = keep {
        q.and_where(Expr::col(Sessions::TokenHash).ne(hash));
    }
    db.execute(&q).await
}

/// Takes a person's password away (an administrator's reset): they must activate again with a new code.
pub async fn clear_password(tx: &mut db::Tx, user: UserId, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(Credentials::Table)
        .value(Credentials::PasswordHash, Option::<String>::None)
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
    tx.execute(&q).await.map(drop)
}
