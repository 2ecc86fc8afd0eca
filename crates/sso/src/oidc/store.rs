//! OIDC SQL: authorization codes, grants (refresh tokens), consents, client-assertion replay cache.

use db::{Db, Result};
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

pub struct NewCode<'a> {
    pub code_hash: &'a str,
    pub client_id: &'a str,
    pub user: Uuid,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
    pub school: Option<Uuid>,
    pub profile: Option<&'a str>,
    pub session_key: &'a str,
    pub auth_time: i64,
    pub expires: Timestamp,
}

pub async fn insert_code(db: &Db, c: NewCode<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(t("oidc_codes"))
        .columns(
            [
                "code_hash",
                "client_id",
                "user_id",
                "redirect_uri",
                "scope",
                "nonce",
                "code_challenge",
                "code_challenge_method",
                "context_school",
                "context_profile",
                "session_key",
                "auth_time",
                "expires_at",
            ]
            .map(t),
        )
        .values_panic([
            c.code_hash.into(),
            c.client_id.into(),
            c.user.into(),
            c.redirect_uri.into(),
            c.scope.into(),
            c.nonce.map(str::to_string).into(),
            c.code_challenge.map(str::to_string).into(),
            c.code_challenge_method.map(str::to_string).into(),
            c.school.into(),
            c.profile.map(str::to_string).into(),
            c.session_key.into(),
            c.auth_time.into(),
            c.expires.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Code {
    pub client_id: String,
    pub user_id: Uuid,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub session_key: String,
    pub auth_time: i64,
    pub expires_at: i64,
    pub grant_id: Option<Uuid>,
}

const CODE_COLUMNS: [&str; 13] = [
    "client_id",
    "user_id",
    "redirect_uri",
    "scope",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "context_school",
    "context_profile",
    "session_key",
    "auth_time",
    "expires_at",
    "grant_id",
];

/// Consumes a code: `Ok(code)` the first time, `Err(Some(code))` when it was already used (a replay:
/// the caller revokes what the first use gave), `Err(None)` when unknown.
pub async fn consume_code(db: &Db, code_hash: &str, now: Timestamp) -> Result<Result<Code, Option<Code>>> {
    let q = Query::update()
        .table(t("oidc_codes"))
        .value(t("consumed_at"), now.millis())
        .and_where(col("code_hash").eq(code_hash))
        .and_where(col("consumed_at").is_null())
        .to_owned();
    let fresh = db.execute(&q).await? == 1;
    let q = Query::select()
        .columns(CODE_COLUMNS.map(t))
        .from(t("oidc_codes"))
        .and_where(col("code_hash").eq(code_hash))
        .to_owned();
    let code: Option<Code> = db.fetch_optional(&q).await?;
    Ok(match (fresh, code) {
        (true, Some(c)) => Ok(c),
        (false, c) => Err(c),
        (true, None) => Err(None),
    })
}

pub async fn set_code_grant(db: &Db, code_hash: &str, grant: Uuid) -> Result<()> {
    let q = Query::update()
        .table(t("oidc_codes"))
        .value(t("grant_id"), grant)
        .and_where(col("code_hash").eq(code_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}

pub struct NewGrant<'a> {
    pub id: Uuid,
    pub client_id: &'a str,
    pub user: Uuid,
    pub scope: &'a str,
    pub school: Option<Uuid>,
    pub profile: Option<&'a str>,
    pub session_key: &'a str,
    pub auth_time: i64,
    pub refresh_hash: &'a str,
    pub refresh_expires: Timestamp,
    pub now: Timestamp,
}

pub async fn insert_grant(db: &Db, g: NewGrant<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(t("oidc_grants"))
        .columns(
            [
                "id",
                "client_id",
                "user_id",
                "scope",
                "context_school",
                "context_profile",
                "session_key",
                "auth_time",
                "refresh_hash",
                "refresh_expires_at",
                "created_at",
            ]
            .map(t),
        )
        .values_panic([
            g.id.into(),
            g.client_id.into(),
            g.user.into(),
            g.scope.into(),
            g.school.into(),
            g.profile.map(str::to_string).into(),
            g.session_key.into(),
            g.auth_time.into(),
            g.refresh_hash.into(),
            g.refresh_expires.millis().into(),
            g.now.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Grant {
    pub id: Uuid,
    pub client_id: String,
    pub user_id: Uuid,
    pub scope: String,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub session_key: String,
    pub auth_time: i64,
    pub refresh_expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const GRANT_COLUMNS: [&str; 10] = [
    "id",
    "client_id",
    "user_id",
    "scope",
    "context_school",
    "context_profile",
    "session_key",
    "auth_time",
    "refresh_expires_at",
    "revoked_at",
];

pub async fn grant(db: &Db, id: Uuid) -> Result<Option<Grant>> {
    let q = Query::select()
        .columns(GRANT_COLUMNS.map(t))
        .from(t("oidc_grants"))
        .and_where(col("id").eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The grant whose current refresh token hashes to `hash`.
pub async fn grant_by_refresh(db: &Db, hash: &str) -> Result<Option<Grant>> {
    let q = Query::select()
        .columns(GRANT_COLUMNS.map(t))
        .from(t("oidc_grants"))
        .and_where(col("refresh_hash").eq(hash))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The grant whose *previous* refresh token hashes to `hash` (a replayed refresh token).
pub async fn grant_by_previous_refresh(db: &Db, hash: &str) -> Result<Option<Grant>> {
    let q = Query::select()
        .columns(GRANT_COLUMNS.map(t))
        .from(t("oidc_grants"))
        .and_where(col("previous_refresh_hash").eq(hash))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Replaces the refresh token `old` by `new`; false if `old` was not current any more (used meanwhile).
pub async fn rotate_refresh(db: &Db, id: Uuid, old: &str, new: &str, expires: Timestamp) -> Result<bool> {
    let q = Query::update()
        .table(t("oidc_grants"))
        .value(t("previous_refresh_hash"), old)
        .value(t("refresh_hash"), new)
        .value(t("refresh_expires_at"), expires.millis())
        .and_where(col("id").eq(id))
        .and_where(col("refresh_hash").eq(old))
        .and_where(col("revoked_at").is_null())
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

pub async fn revoke_grant(db: &Db, id: Uuid, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(t("oidc_grants"))
        .value(t("revoked_at"), now.millis())
        .and_where(col("id").eq(id))
        .and_where(col("revoked_at").is_null())
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Ends the grants made through the browser session `session_key`, except `offline_access` ones.
pub async fn revoke_session_grants(db: &Db, session_key: &str, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(t("oidc_grants"))
        .value(t("revoked_at"), now.millis())
        .and_where(col("session_key").eq(session_key))
        .and_where(col("revoked_at").is_null())
        .and_where(col("scope").not_like("%offline_access%"))
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// The scope `user` already agreed to share with `client`.
pub async fn consent(db: &Db, user: Uuid, client: &str) -> Result<Option<String>> {
    let q = Query::select()
        .column(t("scope"))
        .from(t("oidc_consents"))
        .and_where(col("user_id").eq(user))
        .and_where(col("client_id").eq(client))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

pub async fn save_consent(db: &Db, user: Uuid, client: &str, scope: &str, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(t("oidc_consents"))
        .columns(["user_id", "client_id", "scope", "granted_at"].map(t))
        .values_panic([user.into(), client.into(), scope.into(), now.millis().into()])
        .on_conflict(
            sea_query::OnConflict::columns([t("user_id"), t("client_id")])
                .update_columns([t("scope"), t("granted_at")])
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Records a client assertion's `jti`; false if it was seen before (a replay).
pub async fn first_use_of_assertion(db: &Db, jti: &str, expires: i64) -> Result<bool> {
    let q = Query::insert()
        .into_table(t("oidc_client_assertions"))
        .columns(["jti", "expires_at"].map(t))
        .values_panic([jti.into(), expires.into()])
        .on_conflict(sea_query::OnConflict::new().do_nothing().to_owned())
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

/// Deletes old codes, expired or long-revoked grants, and expired assertion ids.
pub async fn purge(db: &Db, now: Timestamp) -> Result<u64> {
    let hour_ago = now.plus_secs(-3600).millis();
    let mut n = 0;
    let q = Query::delete()
        .from_table(t("oidc_codes"))
        .and_where(col("expires_at").lt(hour_ago))
        .to_owned();
    n += db.execute(&q).await?;
    let q = Query::delete()
        .from_table(t("oidc_grants"))
        .cond_where(
            sea_query::Cond::any()
                .add(col("refresh_expires_at").lt(hour_ago))
                .add(col("revoked_at").lt(hour_ago)),
        )
        .to_owned();
    n += db.execute(&q).await?;
    let q = Query::delete()
        .from_table(t("oidc_client_assertions"))
        .and_where(col("expires_at").lt(now.millis() / 1000))
        .to_owned();
    n += db.execute(&q).await?;
    Ok(n)
}
