//! Pending SAML requests, the replay cache, and finding the account a federated identity belongs to.

use db::{Db, Result};
use kernel::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum SamlRequests {
    Table,
    Id,
    Wicket,
    Next,
    CreatedAt,
    ExpiresAt,
}

#[derive(Iden, Clone, Copy)]
enum SamlAssertions {
    Table,
    Id,
    ExpiresAt,
}

#[derive(Iden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Email,
    Jointure,
    DeactivatedAt,
}

pub async fn insert_request(
    db: &Db,
    id: &str,
    wicket: &str,
    next: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<()> {
    let q = Query::insert()
        .into_table(SamlRequests::Table)
        .columns([
            SamlRequests::Id,
            SamlRequests::Wicket,
            SamlRequests::Next,
            SamlRequests::CreatedAt,
            SamlRequests::ExpiresAt,
        ])
        .values_panic([
            id.into(),
            wicket.into(),
            next.into(),
            now.millis().into(),
            expires.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Takes a pending request out (each answers once): its wicket and where to go next, if still valid.
pub async fn take_request(db: &Db, id: &str, now: Timestamp) -> Result<Option<(String, String)>> {
    let q = Query::select()
        .columns([SamlRequests::Wicket, SamlRequests::Next])
        .from(SamlRequests::Table)
        .and_where(Expr::col(SamlRequests::Id).eq(id))
        .and_where(Expr::col(SamlRequests::ExpiresAt).gt(now.millis()))
        .to_owned();
    let found = db.fetch_optional::<(String, String)>(&q).await?;
    let q = Query::delete()
        .from_table(SamlRequests::Table)
        .and_where(Expr::col(SamlRequests::Id).eq(id))
        .to_owned();
    // Two answers racing for one request: only the one that deletes it goes on.
    if db.execute(&q).await? != 1 {
        return Ok(None);
    }
    Ok(found)
}

/// Records an accepted assertion; false if it was seen before (a replay).
pub async fn first_use_of_assertion(db: &Db, id: &str, expires: Timestamp) -> Result<bool> {
    let q = Query::insert()
        .into_table(SamlAssertions::Table)
        .columns([SamlAssertions::Id, SamlAssertions::ExpiresAt])
        .values_panic([id.into(), expires.millis().into()])
        .on_conflict(OnConflict::column(SamlAssertions::Id).do_nothing().to_owned())
        .to_owned();
    Ok(db.execute(&q).await? == 1)
}

/// Forgets expired requests and assertions (an assertion past its validity cannot be replayed anyway).
pub async fn purge(db: &Db, now: Timestamp) -> Result<()> {
    let q = Query::delete()
        .from_table(SamlRequests::Table)
        .and_where(Expr::col(SamlRequests::ExpiresAt).lt(now.millis()))
        .to_owned();
    db.execute(&q).await?;
    let q = Query::delete()
        .from_table(SamlAssertions::Table)
        .and_where(Expr::col(SamlAssertions::ExpiresAt).lt(now.plus_secs(-3600).millis()))
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// The active accounts with one of these AAF join keys.
pub async fn users_by_jointure(db: &Db, jointures: &[String]) -> Result<Vec<Uuid>> {
    if jointures.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .column(Users::Id)
        .from(Users::Table)
        .and_where(Expr::col(Users::Jointure).is_in(jointures.iter().map(String::as_str)))
        .and_where(Expr::col(Users::DeactivatedAt).is_null())
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// The active accounts whose directory mail is `mail` (as imported, or in lower case).
pub async fn users_by_mail(db: &Db, mail: &str) -> Result<Vec<Uuid>> {
    let raw = mail.trim();
    let lower = raw.to_lowercase();
    let q = Query::select()
        .column(Users::Id)
        .from(Users::Table)
        .and_where(Expr::col(Users::Email).is_in([raw, lower.as_str()]))
        .and_where(Expr::col(Users::DeactivatedAt).is_null())
        .limit(3)
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}
