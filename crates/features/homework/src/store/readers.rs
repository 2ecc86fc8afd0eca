//! The read-only grants of the cahier de textes (`logbook_readers`), given by the direction.

use db::{Db, Result};
use directory::model::Person;
use directory::store::Users;
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use uuid::Uuid;

use super::tables::*;

pub async fn is_reader(db: &Db, school: SchoolId, user: UserId) -> Result<bool> {
    let q = Query::select()
        .expr(Expr::val(1))
        .from(LogbookReaders::Table)
        .and_where(Expr::col(LogbookReaders::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookReaders::UserId).eq(user.0))
        .to_owned();
    Ok(db.fetch_optional::<(i32,)>(&q).await?.is_some())
}

pub async fn readers(db: &Db, school: SchoolId) -> Result<Vec<Person>> {
    let q = Query::select()
        .columns([Users::Id, Users::Login, Users::FirstName, Users::LastName].map(|c| (Users::Table, c)))
        .from(LogbookReaders::Table)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((LogbookReaders::Table, LogbookReaders::UserId)),
        )
        .and_where(Expr::col((LogbookReaders::Table, LogbookReaders::SchoolId)).eq(school.0))
        .order_by((Users::Table, Users::LastName), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn grant_reader(db: &Db, school: SchoolId, user: Uuid, by: UserId, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(LogbookReaders::Table)
        .columns([
            LogbookReaders::SchoolId,
            LogbookReaders::UserId,
            LogbookReaders::GrantedBy,
            LogbookReaders::GrantedAt,
        ])
        .values_panic([school.0.into(), user.into(), by.0.into(), now.0.into()])
        .on_conflict(
            OnConflict::columns([LogbookReaders::SchoolId, LogbookReaders::UserId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}

pub async fn revoke_reader(db: &Db, school: SchoolId, user: Uuid) -> Result<()> {
    let q = Query::delete()
        .from_table(LogbookReaders::Table)
        .and_where(Expr::col(LogbookReaders::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookReaders::UserId).eq(user))
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}
