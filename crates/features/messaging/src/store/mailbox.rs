//! A person's own side of their mailbox: read marks, filing, personal folders, signature.

use db::{Db, Result};
use sea_query::{Expr, ExprTrait, Func, Order, Query};
use uuid::Uuid;

use super::{MsgBoxes, MsgFolders, MsgMessages, MsgRecipients, MsgSettings};

/// Marks everything `user` received in a conversation read (the instant stays the first reading's).
/// Returns whether anything was unread.
pub async fn mark_read(db: &Db, conversation: Uuid, user: Uuid, now: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    let q = Query::update()
        .table(MsgRecipients::Table)
        .value(MsgRecipients::ReadAt, now)
        .and_where(Expr::col(MsgRecipients::UserId).eq(user))
        .and_where(Expr::col(MsgRecipients::ReadAt).is_null())
        .and_where(
            Expr::col(MsgRecipients::MessageId).in_subquery(
                Query::select()
                    .column(MsgMessages::Id)
                    .from(MsgMessages::Table)
                    .and_where(Expr::col(MsgMessages::ConversationId).eq(conversation))
                    .to_owned(),
            ),
        )
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::update()
        .table(MsgBoxes::Table)
        .value(MsgBoxes::Unread, 0)
        .value(
            MsgBoxes::ReadAt,
            Func::coalesce([Expr::col(MsgBoxes::ReadAt), Expr::val(now)]),
        )
        .and_where(Expr::col(MsgBoxes::UserId).eq(user))
        .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
        .and_where(Expr::col(MsgBoxes::Unread).gt(0))
        .to_owned();
    let changed = tx.execute(&q).await? > 0;
    tx.commit().await?;
    Ok(changed)
}

/// Moves a conversation of `user`'s mailbox to `folder`. Returns whether it was theirs.
pub async fn move_to(db: &Db, user: Uuid, conversation: Uuid, folder: &str) -> Result<bool> {
    let q = Query::update()
        .table(MsgBoxes::Table)
        .value(MsgBoxes::Folder, folder)
        .and_where(Expr::col(MsgBoxes::UserId).eq(user))
        .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
        .to_owned();
    Ok(db.execute(&q).await? > 0)
}

/// `user`'s personal folders, by name.
pub async fn folders(db: &Db, user: Uuid) -> Result<Vec<(Uuid, String)>> {
    let q = Query::select()
        .columns([MsgFolders::Id, MsgFolders::Name])
        .from(MsgFolders::Table)
        .and_where(Expr::col(MsgFolders::UserId).eq(user))
        .order_by(MsgFolders::Name, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn add_folder(db: &Db, user: Uuid, id: Uuid, name: &str) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgFolders::Table)
        .columns([MsgFolders::UserId, MsgFolders::Id, MsgFolders::Name])
        .values_panic([user.into(), id.into(), name.into()])
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}

/// Deletes a personal folder; its conversations go back to the inbox.
pub async fn delete_folder(db: &Db, user: Uuid, id: Uuid) -> Result<()> {
    let mut tx = db.begin().await?;
    let q = Query::update()
        .table(MsgBoxes::Table)
        .value(MsgBoxes::Folder, "inbox")
        .and_where(Expr::col(MsgBoxes::UserId).eq(user))
        .and_where(Expr::col(MsgBoxes::Folder).eq(id.to_string()))
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(MsgFolders::Table)
        .and_where(Expr::col(MsgFolders::UserId).eq(user))
        .and_where(Expr::col(MsgFolders::Id).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    tx.commit().await
}

pub async fn signature(db: &Db, user: Uuid) -> Result<String> {
    let q = Query::select()
        .column(MsgSettings::Signature)
        .from(MsgSettings::Table)
        .and_where(Expr::col(MsgSettings::UserId).eq(user))
        .to_owned();
    Ok(db
        .fetch_optional::<(String,)>(&q)
        .await?
        .map(|(s,)| s)
        .unwrap_or_default())
}

pub async fn set_signature(db: &Db, user: Uuid, text: &str) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgSettings::Table)
        .columns([MsgSettings::UserId, MsgSettings::Signature])
        .values_panic([user.into(), text.into()])
        .on_conflict(
            sea_query::OnConflict::column(MsgSettings::UserId)
                .update_column(MsgSettings::Signature)
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}
