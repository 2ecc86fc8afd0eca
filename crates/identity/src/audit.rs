//! The audit log of authentication events: who did what to which account, when, from where.

use db::{Db, Result};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query};

#[derive(Iden, Clone, Copy)]
enum AuditEvents {
    Table,
    Id,
    At,
    SchoolId,
    ActorId,
    SubjectId,
    Kind,
    Ip,
    Detail,
}

/// What happened. Stored as the code; shown through Fluent (`audit-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    SignInFailed,
    Lockout,
    SignOut,
    CodesIssued,
    Activated,
    ActivationFailed,
    MfaEnrolled,
    MfaPassed,
    MfaFailed,
    PasswordChanged,
    AccountReset,
    RecoveryRequested,
    LoginReminded,
    PasswordResetByMail,
    NewDevice,
    StepUp,
    RecoveryContactChanged,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::SignIn,
        Kind::SignInFailed,
        Kind::Lockout,
        Kind::SignOut,
        Kind::CodesIssued,
        Kind::Activated,
        Kind::ActivationFailed,
        Kind::MfaEnrolled,
        Kind::MfaPassed,
        Kind::MfaFailed,
        Kind::PasswordChanged,
        Kind::AccountReset,
        Kind::RecoveryRequested,
        Kind::LoginReminded,
        Kind::PasswordResetByMail,
        Kind::NewDevice,
        Kind::StepUp,
        Kind::RecoveryContactChanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::SignIn => "sign-in",
            Kind::SignInFailed => "sign-in-failed",
            Kind::Lockout => "lockout",
            Kind::SignOut => "sign-out",
            Kind::CodesIssued => "codes-issued",
            Kind::Activated => "activated",
            Kind::ActivationFailed => "activation-failed",
            Kind::MfaEnrolled => "mfa-enrolled",
            Kind::MfaPassed => "mfa-passed",
            Kind::MfaFailed => "mfa-failed",
            Kind::PasswordChanged => "password-changed",
            Kind::AccountReset => "account-reset",
            Kind::RecoveryRequested => "recovery-requested",
            Kind::LoginReminded => "login-reminded",
            Kind::PasswordResetByMail => "password-reset-by-mail",
            Kind::NewDevice => "new-device",
            Kind::StepUp => "step-up",
            Kind::RecoveryContactChanged => "recovery-contact-changed",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

pub struct Event<'a> {
    pub kind: Kind,
    pub school: Option<SchoolId>,
    pub actor: Option<UserId>,
    pub subject: Option<UserId>,
    pub ip: &'a str,
    pub detail: String,
}

pub async fn record(db: &Db, at: Timestamp, e: Event<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(AuditEvents::Table)
        .columns([
            AuditEvents::Id,
            AuditEvents::At,
            AuditEvents::SchoolId,
            AuditEvents::ActorId,
            AuditEvents::SubjectId,
            AuditEvents::Kind,
            AuditEvents::Ip,
            AuditEvents::Detail,
        ])
        .values_panic([
            kernel::new_id().into(),
            at.millis().into(),
            e.school.map_or(uuid::Uuid::nil(), |s| s.0).into(),
            e.actor.map(|u| u.0).into(),
            e.subject.map(|u| u.0).into(),
            e.kind.code().into(),
            e.ip.chars().take(64).collect::<String>().into(),
            e.detail.chars().take(500).collect::<String>().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub at: i64,
    pub kind: String,
    pub ip: String,
    pub detail: String,
    pub subject_login: Option<String>,
}

/// The latest events of a school, newest first, optionally of one kind.
pub async fn list(db: &Db, school: SchoolId, kind: Option<Kind>, limit: u64) -> Result<Vec<Entry>> {
    let mut q = Query::select();
    q.column((AuditEvents::Table, AuditEvents::At))
        .column((AuditEvents::Table, AuditEvents::Kind))
        .column((AuditEvents::Table, AuditEvents::Ip))
        .column((AuditEvents::Table, AuditEvents::Detail))
        .expr_as(
            Expr::col((Alias::new("users"), Alias::new("login"))),
            Alias::new("subject_login"),
        )
        .from(AuditEvents::Table)
        .left_join(
            Alias::new("users"),
            Expr::col((Alias::new("users"), Alias::new("id")))
                .equals((AuditEvents::Table, AuditEvents::SubjectId)),
        )
        .and_where(Expr::col((AuditEvents::Table, AuditEvents::SchoolId)).eq(school.0))
        .order_by((AuditEvents::Table, AuditEvents::At), Order::Desc)
        .limit(limit);
    if let Some(k) = kind {
        q.and_where(Expr::col((AuditEvents::Table, AuditEvents::Kind)).eq(k.code()));
    }
    db.fetch_all(&q).await
}
