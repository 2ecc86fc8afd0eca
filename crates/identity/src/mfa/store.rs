//! Second-factor SQL: TOTP secrets, recovery codes, and the sessions' pending flag.

use db::{Db, Result};
use kernel::{Timestamp, UserId};
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Query};

#[derive(Iden, Clone, Copy)]
enum TotpSecrets {
    Table,
    UserId,
    Secret,
    ConfirmedAt,
    LastStep,
}

#[derive(Iden, Clone, Copy)]
enum RecoveryCodes {
    Table,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(Iden, Clone, Copy)]
enum Sessions {
    Table,
    TokenHash,
    MfaPending,
    SecondFactorAt,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Totp {
    pub secret: String,
    pub confirmed_at: Option<i64>,
    pub last_step: i64,
}

pub async fn totp(db: &Db, user: UserId) -> Result<Option<Totp>> {
    let q = Query::select()
        .columns([
            TotpSecrets::Secret,
            TotpSecrets::ConfirmedAt,
            TotpSecrets::LastStep,
        ])
        .from(TotpSecrets::Table)
        .and_where(Expr::col(TotpSecrets::UserId).eq(user.0))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Starts (or restarts) an enrolment with a new, unconfirmed secret.
pub async fn start_enrolment(db: &Db, user: UserId, secret: &str) -> Result<()> {
    let q = Query::insert()
        .into_table(TotpSecrets::Table)
        .columns([TotpSecrets::UserId, TotpSecrets::Secret, TotpSecrets::LastStep])
        .values_panic([user.0.into(), secret.into(), 0i64.into()])
        .on_conflict(
            OnConflict::column(TotpSecrets::UserId)
                .update_columns([TotpSecrets::Secret, TotpSecrets::LastStep])
                .value(TotpSecrets::ConfirmedAt, Option::<i64>::None)
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Records the step of an accepted code (so it cannot be replayed); confirms the secret if needed.
/// Returns false when another request used this step or a later one first.
pub async fn accept_step(db: &Db, user: UserId, step: i64, now: Timestamp) -> Result<bool> {
    let q = Query::update()
        .table(TotpSecrets::Table)
        .value(TotpSecrets::LastStep, step)
        .value(
            TotpSecrets::ConfirmedAt,
            Expr::col(TotpSecrets::ConfirmedAt).if_null(now.millis()),
        )
        .and_where(Expr::col(TotpSecrets::UserId).eq(user.0))
        .and_where(Expr::col(TotpSecrets::LastStep).lt(step))
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

/// Replaces a person's recovery codes with new ones, all in one transaction.
pub async fn replace_recovery_codes(db: &Db, user: UserId, hashes: &[String]) -> Result<()> {
    let mut tx = db.begin().await?;
    let q = Query::delete()
        .from_table(RecoveryCodes::Table)
        .and_where(Expr::col(RecoveryCodes::UserId).eq(user.0))
        .to_owned();
    tx.execute(&q).await?;
    for hash in hashes {
        let q = Query::insert()
            .into_table(RecoveryCodes::Table)
            .columns([RecoveryCodes::UserId, RecoveryCodes::CodeHash])
            .values_panic([user.0.into(), hash.as_str().into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    tx.commit().await
}

/// Uses a recovery code: true if it existed and had not been used.
pub async fn use_recovery_code(db: &Db, user: UserId, hash: &str, now: Timestamp) -> Result<bool> {
    let q = Query::update()
        .table(RecoveryCodes::Table)
        .value(RecoveryCodes::UsedAt, now.millis())
        .and_where(Expr::col(RecoveryCodes::UserId).eq(user.0))
        .and_where(Expr::col(RecoveryCodes::CodeHash).eq(hash))
        .and_where(Expr::col(RecoveryCodes::UsedAt).is_null())
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

/// The session proved its second factor now: it opens fully, and sensitive actions are allowed for a while.
pub async fn second_factor_passed(db: &Db, token_hash: &str, now: Timestamp) -> Result<()> {
    let q = Query::update()
        .table(Sessions::Table)
        .value(Sessions::MfaPending, false)
        .value(Sessions::SecondFactorAt, now.millis())
        .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}
