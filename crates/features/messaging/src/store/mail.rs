//! Conversations, messages and mailboxes. A message is visible to its sender and to the people it was
//! addressed to (recorded on the mailbox row it opened for them, or in `msg_recipients`: see
//! [`deliver`]), and only once sent: a held or rejected message reaches nobody.

use std::collections::{HashMap, HashSet};

use db::{Cell, Db, Result, Tx};
use sea_query::{Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, UnionType};
use uuid::Uuid;

use super::{
    BOX_COLUMNS, MsgAttachments, MsgBoxes, MsgConversations, MsgMessages, MsgRecipients, RECIPIENT_COLUMNS,
    Users, alias,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Conversation {
    pub id: Uuid,
    pub school_id: Uuid,
    pub subject: String,
    pub initiator_id: Uuid,
    pub created_at: i64,
    pub reply_all: bool,
    pub read_tracking: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: Uuid,
    pub conversation_id: Option<Uuid>,
    pub school_id: Uuid,
    pub sender_id: Uuid,
    pub sender_profile: String,
    pub subject: String,
    pub body: String,
    pub body_text: String,
    pub state: String,
    pub hold_reason: Option<String>,
    pub recipients_summary: String,
    pub draft_to: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const MESSAGE_COLUMNS: [MsgMessages; 14] = [
    MsgMessages::Id,
    MsgMessages::ConversationId,
    MsgMessages::SchoolId,
    MsgMessages::SenderId,
    MsgMessages::SenderProfile,
    MsgMessages::Subject,
    MsgMessages::Body,
    MsgMessages::BodyText,
    MsgMessages::State,
    MsgMessages::HoldReason,
    MsgMessages::RecipientsSummary,
    MsgMessages::DraftTo,
    MsgMessages::CreatedAt,
    MsgMessages::SentAt,
];

/// `SELECT <every column of a message> FROM msg_messages`, for [`MessageRow`].
pub(crate) fn select_messages() -> SelectStatement {
    Query::select()
        .columns(MESSAGE_COLUMNS.map(|c| (MsgMessages::Table, c)))
        .from(MsgMessages::Table)
        .to_owned()
}

/// A new message (or draft) as it is written.
pub struct NewMessage<'a> {
    pub id: Uuid,
    pub conversation: Option<Uuid>,
    pub school: Uuid,
    pub sender: Uuid,
    pub sender_profile: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub body_text: &'a str,
    pub body_hash: &'a str,
    pub state: &'a str,
    pub hold_reason: Option<&'a str>,
    pub summary: &'a str,
    pub draft_to: &'a str,
    pub now: i64,
}

pub async fn insert_conversation(tx: &mut Tx, c: &Conversation) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgConversations::Table)
        .columns([
            MsgConversations::Id,
            MsgConversations::SchoolId,
            MsgConversations::Subject,
            MsgConversations::InitiatorId,
            MsgConversations::CreatedAt,
            MsgConversations::ReplyAll,
            MsgConversations::ReadTracking,
        ])
        .values_panic([
            c.id.into(),
            c.school_id.into(),
            c.subject.clone().into(),
            c.initiator_id.into(),
            c.created_at.into(),
            c.reply_all.into(),
            c.read_tracking.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn insert_message(tx: &mut Tx, m: &NewMessage<'_>) -> Result<()> {
    let sent_at = (m.state != "draft").then_some(m.now);
    let q = Query::insert()
        .into_table(MsgMessages::Table)
        .columns([
            MsgMessages::Id,
            MsgMessages::ConversationId,
            MsgMessages::SchoolId,
            MsgMessages::SenderId,
            MsgMessages::SenderProfile,
            MsgMessages::Subject,
            MsgMessages::Body,
            MsgMessages::BodyText,
            MsgMessages::BodyHash,
            MsgMessages::State,
            MsgMessages::HoldReason,
            MsgMessages::RecipientsSummary,
            MsgMessages::DraftTo,
            MsgMessages::CreatedAt,
            MsgMessages::SentAt,
        ])
        .values_panic([
            m.id.into(),
            m.conversation.into(),
            m.school.into(),
            m.sender.into(),
            m.sender_profile.into(),
            m.subject.into(),
            m.body.into(),
            m.body_text.into(),
            m.body_hash.into(),
            m.state.into(),
            m.hold_reason.map(str::to_string).into(),
            m.summary.into(),
            m.draft_to.into(),
            m.now.into(),
            sent_at.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// Removes a draft of `sender` (its attachments first). Returns whether there was one.
pub async fn delete_draft(tx: &mut Tx, id: Uuid, sender: Uuid) -> Result<bool> {
    let q = Query::delete()
        .from_table(MsgAttachments::Table)
        .and_where(
            Expr::col(MsgAttachments::MessageId).in_subquery(
                Query::select()
                    .column(MsgMessages::Id)
                    .from(MsgMessages::Table)
                    .and_where(Expr::col(MsgMessages::Id).eq(id))
                    .and_where(Expr::col(MsgMessages::SenderId).eq(sender))
                    .and_where(Expr::col(MsgMessages::State).eq("draft"))
                    .to_owned(),
            ),
        )
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::delete()
        .from_table(MsgMessages::Table)
        .and_where(Expr::col(MsgMessages::Id).eq(id))
        .and_where(Expr::col(MsgMessages::SenderId).eq(sender))
        .and_where(Expr::col(MsgMessages::State).eq("draft"))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// One addressee of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub user: Uuid,
    /// to | cc | bcc
    pub category: &'static str,
    /// The group's label when the person came through a group.
    pub via: Option<String>,
}

/// Records `to` as addressees of `message` in `msg_recipients` (a held message's, or a reply's to
/// people who already have the conversation: see [`deliver`]).
pub async fn insert_recipients(tx: &mut Tx, message: Uuid, to: &[Addressee]) -> Result<()> {
    let rows: Vec<Vec<Cell>> = to
        .iter()
        .map(|a| super::recipient_row(message, a.user, a.category, a.via.as_deref()))
        .collect();
    tx.bulk_insert("msg_recipients", &RECIPIENT_COLUMNS, &rows).await
}

/// A sent message on its way to the mailboxes.
pub struct Delivery<'a> {
    pub conversation: Uuid,
    pub message: Uuid,
    pub sender: Uuid,
    pub to: &'a [Addressee],
    /// The conversation was created in this transaction: nobody has a mailbox row for it yet.
    pub fresh: bool,
    /// Record who the message was addressed to (false when that was done as it was held).
    pub record: bool,
    pub now: i64,
}

/// Puts a message in the mailboxes: each addressee receives it (unread, back to the inbox if they had
/// thrown the conversation away), the sender's row follows the conversation. An addressee for whom the
/// message opens a mailbox row has it recorded on that row (a new conversation's fan-out writes one
/// row per person, not two); one who already had the conversation has it recorded in
/// `msg_recipients`.
pub async fn deliver(tx: &mut Tx, d: &Delivery<'_>) -> Result<()> {
    let (conversation, message, now) = (d.conversation, d.message, d.now);
    let existing: HashSet<Uuid> = if d.fresh {
        HashSet::new()
    } else {
        let mut everyone: Vec<Uuid> = d.to.iter().map(|a| a.user).collect();
        everyone.push(d.sender);
        let q = Query::select()
            .column(MsgBoxes::UserId)
            .from(MsgBoxes::Table)
            .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
            .and_where(Expr::col(MsgBoxes::UserId).is_in(everyone))
            .to_owned();
        tx.fetch_all::<(Uuid,)>(&q)
            .await?
            .into_iter()
            .map(|(u,)| u)
            .collect()
    };
    let (had, new): (Vec<&Addressee>, Vec<&Addressee>) =
        d.to.iter().partition(|a| existing.contains(&a.user));
    if !had.is_empty() {
        let q = Query::update()
            .table(MsgBoxes::Table)
            .value(MsgBoxes::Received, true)
            .value(MsgBoxes::Unread, Expr::col(MsgBoxes::Unread).add(1))
            .value(MsgBoxes::LastAt, now)
            .value(MsgBoxes::LastMessageId, message)
            .value(
                MsgBoxes::Folder,
                Expr::case(Expr::col(MsgBoxes::Folder).eq("trash"), "inbox")
                    .finally(Expr::col(MsgBoxes::Folder)),
            )
            .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
            .and_where(Expr::col(MsgBoxes::UserId).is_in(had.iter().map(|a| a.user)))
            .to_owned();
        tx.execute(&q).await?;
        if d.record {
            let had: Vec<Addressee> = had.into_iter().cloned().collect();
            insert_recipients(tx, message, &had).await?;
        }
    }
    if existing.contains(&d.sender) {
        let q = Query::update()
            .table(MsgBoxes::Table)
            .value(MsgBoxes::LastAt, now)
            .value(MsgBoxes::LastMessageId, message)
            .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
            .and_where(Expr::col(MsgBoxes::UserId).eq(d.sender))
            .to_owned();
        tx.execute(&q).await?;
    }
    let new_row = |user: Uuid, received: bool, entry: Option<&Addressee>| -> Vec<Cell> {
        vec![
            user.into(),
            conversation.into(),
            "inbox".into(),
            received.into(),
            i64::from(received).into(),
            now.into(),
            message.into(),
            entry.map(|_| message).into(),
            entry.map(|a| a.category).into(),
            entry.and_then(|a| a.via.clone()).into(),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = new
        .into_iter()
        .map(|a| new_row(a.user, true, d.record.then_some(a)))
        .collect();
    if !existing.contains(&d.sender) {
        rows.push(new_row(d.sender, false, None));
    }
    tx.bulk_insert("msg_boxes", &BOX_COLUMNS, &rows).await
}

/// A conversation as a line of a folder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BoxLine {
    pub conversation_id: Uuid,
    pub subject: String,
    pub unread: i32,
    pub last_at: i64,
    pub sender_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub body_text: String,
    pub recipients_summary: String,
}

/// A folder of `user` (inbox, trash or a personal folder's id), newest first, optionally only the
/// conversations whose subject or visible messages contain `search`. One more line than `limit` says
/// there is a next page.
pub async fn folder(
    db: &Db,
    user: Uuid,
    folder: &str,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<Vec<BoxLine>> {
    let m = alias("m");
    let mut q = Query::select()
        .column((MsgBoxes::Table, MsgBoxes::ConversationId))
        .column((MsgConversations::Table, MsgConversations::Subject))
        .column((MsgBoxes::Table, MsgBoxes::Unread))
        .column((MsgBoxes::Table, MsgBoxes::LastAt))
        .column((m.clone(), MsgMessages::SenderId))
        .column((Users::Table, Users::FirstName))
        .column((Users::Table, Users::LastName))
        .column((m.clone(), MsgMessages::BodyText))
        .column((m.clone(), MsgMessages::RecipientsSummary))
        .from(MsgBoxes::Table)
        .join(
            JoinType::InnerJoin,
            MsgConversations::Table,
            Expr::col((MsgConversations::Table, MsgConversations::Id))
                .equals((MsgBoxes::Table, MsgBoxes::ConversationId)),
        )
        .join_as(
            JoinType::InnerJoin,
            MsgMessages::Table,
            m.clone(),
            Expr::col((m.clone(), MsgMessages::Id)).equals((MsgBoxes::Table, MsgBoxes::LastMessageId)),
        )
        .join(
            JoinType::InnerJoin,
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((m.clone(), MsgMessages::SenderId)),
        )
        .and_where(Expr::col((MsgBoxes::Table, MsgBoxes::UserId)).eq(user))
        .and_where(Expr::col((MsgBoxes::Table, MsgBoxes::Folder)).eq(folder))
        .and_where(Expr::col((MsgBoxes::Table, MsgBoxes::Received)).eq(true))
        .order_by((MsgBoxes::Table, MsgBoxes::LastAt), Order::Desc)
        .offset(offset)
        .limit(limit + 1)
        .to_owned();
    if let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
        q.cond_where(
            Cond::any()
                .add(Expr::cust("LOWER(msg_conversations.subject)").like(like.as_str()))
                .add(Expr::exists(
                    visible_to(user)
                        .expr(Expr::val(1))
                        .and_where(
                            Expr::col((MsgMessages::Table, MsgMessages::ConversationId))
                                .equals((MsgBoxes::Table, MsgBoxes::ConversationId)),
                        )
                        .and_where(Expr::cust("LOWER(msg_messages.body_text)").like(like.as_str()))
                        .to_owned(),
                )),
        );
    }
    db.fetch_all(&q).await
}

/// `SELECT … FROM msg_messages` restricted to the messages `user` wrote (drafts aside) or was
/// addressed once sent: in `msg_recipients`, or on the mailbox row the message opened for them.
fn visible_to(user: Uuid) -> SelectStatement {
    Query::select()
        .from(MsgMessages::Table)
        .cond_where(
            Cond::any()
                .add(Expr::col((MsgMessages::Table, MsgMessages::SenderId)).eq(user))
                .add(
                    Cond::all()
                        .add(Expr::col((MsgMessages::Table, MsgMessages::State)).eq("sent"))
                        .add(
                            Cond::any()
                                .add(Expr::exists(
                                    Query::select()
                                        .expr(Expr::val(1))
                                        .from(MsgRecipients::Table)
                                        .and_where(
                                            Expr::col((MsgRecipients::Table, MsgRecipients::MessageId))
                                                .equals((MsgMessages::Table, MsgMessages::Id)),
                                        )
                                        .and_where(
                                            Expr::col((MsgRecipients::Table, MsgRecipients::UserId)).eq(user),
                                        )
                                        .to_owned(),
                                ))
                                .add(Expr::exists(
                                    Query::select()
                                        .expr(Expr::val(1))
                                        .from(MsgBoxes::Table)
                                        .and_where(
                                            Expr::col((MsgBoxes::Table, MsgBoxes::ConversationId))
                                                .equals((MsgMessages::Table, MsgMessages::ConversationId)),
                                        )
                                        .and_where(Expr::col((MsgBoxes::Table, MsgBoxes::UserId)).eq(user))
                                        .and_where(
                                            Expr::col((MsgBoxes::Table, MsgBoxes::EntryMessageId))
                                                .equals((MsgMessages::Table, MsgMessages::Id)),
                                        )
                                        .to_owned(),
                                )),
                        ),
                ),
        )
        .and_where(Expr::col((MsgMessages::Table, MsgMessages::State)).ne("draft"))
        .to_owned()
}

/// What `user` sent (or tried to: held and rejected ones show with their state), or their drafts.
pub async fn sent_by(db: &Db, user: Uuid, drafts: bool, offset: u64, limit: u64) -> Result<Vec<MessageRow>> {
    let mut q = select_messages();
    q.and_where(Expr::col(MsgMessages::SenderId).eq(user));
    if drafts {
        q.and_where(Expr::col(MsgMessages::State).eq("draft"));
    } else {
        q.and_where(Expr::col(MsgMessages::State).is_in(["sent", "held", "rejected"]));
    }
    q.order_by(MsgMessages::CreatedAt, Order::Desc)
        .offset(offset)
        .limit(limit + 1);
    db.fetch_all(&q).await
}

/// Unread conversations' messages outside the trash: the counter of the header and the apps. With
/// `since`, only the conversations that received a message after it (the digest's "what is new").
pub async fn unread_total(db: &Db, user: Uuid, since: Option<i64>) -> Result<i64> {
    let mut q = Query::select()
        .expr(Expr::cust("COALESCE(SUM(unread), 0)"))
        .from(MsgBoxes::Table)
        .and_where(Expr::col(MsgBoxes::UserId).eq(user))
        .and_where(Expr::col(MsgBoxes::Folder).ne("trash"))
        .to_owned();
    if let Some(since) = since {
        q.and_where(Expr::col(MsgBoxes::LastAt).gt(since));
    }
    Ok(db.fetch_one::<(i64,)>(&q).await?.0)
}

pub async fn conversation(db: &Db, id: Uuid) -> Result<Option<Conversation>> {
    let q = Query::select()
        .columns([
            MsgConversations::Id,
            MsgConversations::SchoolId,
            MsgConversations::Subject,
            MsgConversations::InitiatorId,
            MsgConversations::CreatedAt,
            MsgConversations::ReplyAll,
            MsgConversations::ReadTracking,
        ])
        .from(MsgConversations::Table)
        .and_where(Expr::col(MsgConversations::Id).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// `user`'s folder for a conversation, if it is in their mailbox.
pub async fn box_folder(db: &Db, user: Uuid, conversation: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(MsgBoxes::Folder)
        .from(MsgBoxes::Table)
        .and_where(Expr::col(MsgBoxes::UserId).eq(user))
        .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|(f,)| f))
}

/// The messages of a conversation `user` may read, oldest first.
pub async fn visible_messages(db: &Db, conversation: Uuid, user: Uuid) -> Result<Vec<MessageRow>> {
    let mut q = visible_to(user);
    q.columns(MESSAGE_COLUMNS.map(|c| (MsgMessages::Table, c)))
        .and_where(Expr::col((MsgMessages::Table, MsgMessages::ConversationId)).eq(conversation))
        .order_by((MsgMessages::Table, MsgMessages::CreatedAt), Order::Asc);
    db.fetch_all(&q).await
}

pub async fn message(db: &Db, id: Uuid) -> Result<Option<MessageRow>> {
    let mut q = select_messages();
    q.and_where(Expr::col(MsgMessages::Id).eq(id));
    db.fetch_optional(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub message_id: Uuid,
    pub user_id: Uuid,
    pub category: String,
    pub via_group: Option<String>,
    pub read_at: Option<i64>,
}

/// Who `messages` (of `conversation`) were addressed to, and when each read them: the rows of
/// `msg_recipients` and the mailbox rows those messages opened.
pub async fn recipients(db: &Db, conversation: Uuid, messages: &[Uuid]) -> Result<Vec<RecipientRow>> {
    if messages.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Query::select()
        .columns([
            MsgRecipients::MessageId,
            MsgRecipients::UserId,
            MsgRecipients::Category,
            MsgRecipients::ViaGroup,
            MsgRecipients::ReadAt,
        ])
        .from(MsgRecipients::Table)
        .and_where(Expr::col(MsgRecipients::MessageId).is_in(messages.to_vec()))
        .to_owned();
    q.union(
        UnionType::All,
        Query::select()
            .columns([
                MsgBoxes::EntryMessageId,
                MsgBoxes::UserId,
                MsgBoxes::Category,
                MsgBoxes::ViaGroup,
                MsgBoxes::ReadAt,
            ])
            .from(MsgBoxes::Table)
            .and_where(Expr::col(MsgBoxes::ConversationId).eq(conversation))
            .and_where(Expr::col(MsgBoxes::EntryMessageId).is_in(messages.to_vec()))
            .to_owned(),
    );
    db.fetch_all(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub message_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub blob_key: String,
}

const ATTACHMENT_COLUMNS: [MsgAttachments; 6] = [
    MsgAttachments::MessageId,
    MsgAttachments::Id,
    MsgAttachments::Name,
    MsgAttachments::ContentType,
    MsgAttachments::Size,
    MsgAttachments::BlobKey,
];

pub async fn insert_attachment(tx: &mut Tx, a: &AttachmentRow) -> Result<()> {
    let q = Query::insert()
        .into_table(MsgAttachments::Table)
        .columns(ATTACHMENT_COLUMNS)
        .values_panic([
            a.message_id.into(),
            a.id.into(),
            a.name.clone().into(),
            a.content_type.clone().into(),
            a.size.into(),
            a.blob_key.clone().into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn attachments(db: &Db, messages: &[Uuid]) -> Result<Vec<AttachmentRow>> {
    if messages.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns(ATTACHMENT_COLUMNS)
        .from(MsgAttachments::Table)
        .and_where(Expr::col(MsgAttachments::MessageId).is_in(messages.to_vec()))
        .order_by(MsgAttachments::Name, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Read receipts of a message: who of its recipients read it.
pub fn read_counts(rows: &[RecipientRow]) -> HashMap<Uuid, (usize, usize)> {
    let mut out: HashMap<Uuid, (usize, usize)> = HashMap::new();
    for r in rows {
        let e = out.entry(r.message_id).or_default();
        e.1 += 1;
        if r.read_at.is_some() {
            e.0 += 1;
        }
    }
    out
}
