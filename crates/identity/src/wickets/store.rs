//! Pending SAML requests, the replay cache, and finding the account a federated identity belongs to.

use db::{Db, Result};
use directory::model::Person;
use kernel::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Query};

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
    Login,
    FirstName,
    LastName,
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
    // One statement: two answers racing for one request, only the one that deletes it goes on.
    let q = Query::delete()
        .from_table(SamlRequests::Table)
        .and_where(Expr::col(SamlRequests::Id).eq(id))
        .returning(Query::returning().columns([
            SamlRequests::Wicket,
            SamlRequests::Next,
            SamlRequests::ExpiresAt,
        ]))
        .to_owned();
    let taken = db.fetch_optional::<(String, String, i64)>(&q).await?;
    Ok(taken
        .filter(|(_, _, expires)| *expires > now.millis())
        .map(|(wicket, next, _)| (wicket, next)))
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
pub async fn users_by_jointure(db: &Db, jointures: &[String]) -> Result<Vec<Person>> {
    if jointures.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([Users::Id, Users::Login, Users::FirstName, Users::LastName])
        .from(Users::Table)
        .and_where(Expr::col(Users::Jointure).is_in(jointures.iter().map(String::as_str)))
        .and_where(Expr::col(Users::DeactivatedAt).is_null())
        .to_owned();
    db.fetch_all(&q).await
}

/// The active accounts whose directory mail is `mail` (as imported, or in lower case).
pub async fn users_by_mail(db: &Db, mail: &str) -> Result<Vec<Person>> {
    let raw = mail.trim();
    let lower = raw.to_lowercase();
    let q = Query::select()
        .columns([Users::Id, Users::Login, Users::FirstName, Users::LastName])
        .from(Users::Table)
        .and_where(Expr::col(Users::Email).is_in([raw, lower.as_str()]))
        .and_where(Expr::col(Users::DeactivatedAt).is_null())
        .limit(3)
        .to_owned();
    db.fetch_all(&q).await
}
