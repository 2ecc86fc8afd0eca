//! Messaging SQL, one function per question: the tables' names, the school's rules and the audit log
//! here; mailboxes in [`mail`], the abuse defences in [`abuse`], the directory's facts in `directory`.

use db::{Cell, Db, Result, Tx};
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query};
use uuid::Uuid;

use crate::model::Rules;

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgConversations {
    Table,
    Id,
    SchoolId,
    Subject,
    InitiatorId,
    CreatedAt,
    ReplyAll,
    ReadTracking,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgMessages {
    Table,
    Id,
    ConversationId,
    SchoolId,
    SenderId,
    SenderProfile,
    Subject,
    Body,
    BodyText,
    BodyHash,
    State,
    HoldReason,
    RecipientsSummary,
    DraftTo,
    CreatedAt,
    SentAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgRecipients {
    Table,
    MessageId,
    UserId,
    Category,
    ViaGroup,
    ReadAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgBoxes {
    Table,
    UserId,
    ConversationId,
    Folder,
    Received,
    Unread,
    LastAt,
    LastMessageId,
    EntryMessageId,
    Category,
    ViaGroup,
    ReadAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgAttachments {
    Table,
    MessageId,
    Id,
    Name,
    ContentType,
    Size,
    BlobKey,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgFolders {
    Table,
    UserId,
    Id,
    Name,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgSettings {
    Table,
    UserId,
    Signature,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgSchoolRules {
    Table,
    SchoolId,
    Rules,
    UpdatedAt,
    UpdatedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgSuspensions {
    Table,
    Id,
    SchoolScope,
    Profile,
    UserId,
    Reason,
    CreatedAt,
    CreatedBy,
    LiftedAt,
    LiftedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MsgReports {
    Table,
    SchoolId,
    Id,
    MessageId,
    ReporterId,
    Reason,
    CreatedAt,
    HandledAt,
    HandledBy,
}

#[derive(Iden, Clone, Copy)]
enum AuditEvents {
    Table,
    SchoolId,
    Id,
    At,
    ActorId,
    SubjectId,
    Kind,
    Ip,
    Detail,
}

pub mod abuse;
mod directory;
pub mod mail;
pub mod mailbox;

pub use directory::*;

// ----- the school's rules -----

/// The school's rules: its saved switches, or the safe defaults.
pub async fn rules(db: &Db, school: Uuid) -> Result<Rules> {
    let q = Query::select()
        .column(MsgSchoolRules::Rules)
        .from(MsgSchoolRules::Table)
        .and_where(Expr::col(MsgSchoolRules::SchoolId).eq(school))
        .to_owned();
    Ok(db
        .fetch_optional::<(String,)>(&q)
        .await?
        .and_then(|(json,)| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn save_rules(tx: &mut Tx, school: Uuid, rules: &Rules, by: Uuid, now: i64) -> Result<()> {
    let json = serde_json::to_string(rules).unwrap_or_default();
    let q = Query::insert()
        .into_table(MsgSchoolRules::Table)
        .columns([
            MsgSchoolRules::SchoolId,
            MsgSchoolRules::Rules,
            MsgSchoolRules::UpdatedAt,
            MsgSchoolRules::UpdatedBy,
        ])
        .values_panic([school.into(), json.into(), now.into(), by.into()])
        .on_conflict(
            sea_query::OnConflict::column(MsgSchoolRules::SchoolId)
                .update_columns([
                    MsgSchoolRules::Rules,
                    MsgSchoolRules::UpdatedAt,
                    MsgSchoolRules::UpdatedBy,
                ])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

// ----- the audit log -----

/// One line of the audit log (the table the sign-in events also go to), in the write's transaction.
pub async fn audit(
    tx: &mut Tx,
    school: Uuid,
    now: i64,
    actor: Uuid,
    subject: Option<Uuid>,
    kind: &str,
    detail: &str,
) -> Result<()> {
    let q = Query::insert()
        .into_table(AuditEvents::Table)
        .columns([
            AuditEvents::SchoolId,
            AuditEvents::Id,
            AuditEvents::At,
            AuditEvents::ActorId,
            AuditEvents::SubjectId,
            AuditEvents::Kind,
            AuditEvents::Ip,
            AuditEvents::Detail,
        ])
        .values_panic([
            school.into(),
            Uuid::now_v7().into(),
            now.into(),
            actor.into(),
            subject.into(),
            kind.into(),
            "".into(),
            detail.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

/// The school's messaging audit lines, newest first.
pub async fn audit_lines(db: &Db, school: Uuid, limit: u64) -> Result<Vec<(i64, Uuid, String, String)>> {
    let q = Query::select()
        .columns([
            AuditEvents::At,
            AuditEvents::ActorId,
            AuditEvents::Kind,
            AuditEvents::Detail,
        ])
        .from(AuditEvents::Table)
        .and_where(Expr::col(AuditEvents::SchoolId).eq(school))
        .and_where(Expr::col(AuditEvents::Kind).like("messaging.%"))
        .order_by(AuditEvents::At, Order::Desc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

/// Bulk rows helper: the cells of one recipient line.
pub(crate) fn recipient_row(message: Uuid, user: Uuid, category: &str, via: Option<&str>) -> Vec<Cell> {
    vec![
        message.into(),
        user.into(),
        category.into(),
        via.map(str::to_string).into(),
    ]
}

// read_at is left out: NULL until read (an untyped NULL would be text to PostgreSQL).
pub(crate) const RECIPIENT_COLUMNS: [&str; 4] = ["message_id", "user_id", "category", "via_group"];
pub(crate) const BOX_COLUMNS: [&str; 10] = [
    "user_id",
    "conversation_id",
    "folder",
    "received",
    "unread",
    "last_at",
    "last_message_id",
    "entry_message_id",
    "category",
    "via_group",
];

/// Used by the mail store: an alias for a second copy of a table in one query.
pub(crate) fn alias(name: &str) -> Alias {
    Alias::new(name)
}
