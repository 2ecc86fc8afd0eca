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
    FederatedSignIn,
    FederationRefused,
    ServiceRegistered,
    ServiceRemoved,
}

impl Kind {
    pub const ALL: [Kind; 22] = [
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
        Kind::FederatedSignIn,
        Kind::FederationRefused,
        Kind::ServiceRegistered,
        Kind::ServiceRemoved,
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
            Kind::FederatedSignIn => "federated-sign-in",
            Kind::FederationRefused => "federation-refused",
            Kind::ServiceRegistered => "service-registered",
            Kind::ServiceRemoved => "service-removed",
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
    pub school_name: Option<String>,
}

/// Whose events: one school's, or a whole region's (its schools', and those tied to no school, such as
/// failed sign-ins with an unknown login).
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    School(SchoolId),
    Region(kernel::RegionId),
}

/// What to narrow the journal to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    /// The login or alias of the account concerned or acting.
    pub login: Option<String>,
}

/// The latest events of `scope` matching `filter`, newest first.
pub async fn list(db: &Db, scope: Scope, filter: &Filter, limit: u64) -> Result<Vec<Entry>> {
    let users = Alias::new("users");
    let schools = Alias::new("schools");
    let mut q = Query::select();
    q.column((AuditEvents::Table, AuditEvents::At))
        .column((AuditEvents::Table, AuditEvents::Kind))
        .column((AuditEvents::Table, AuditEvents::Ip))
        .column((AuditEvents::Table, AuditEvents::Detail))
        .expr_as(
            Expr::col((users.clone(), Alias::new("login"))),
            Alias::new("subject_login"),
        )
        .expr_as(
            Expr::col((schools.clone(), Alias::new("name"))),
            Alias::new("school_name"),
        )
        .from(AuditEvents::Table)
        .left_join(
            users.clone(),
            Expr::col((users.clone(), Alias::new("id"))).equals((AuditEvents::Table, AuditEvents::SubjectId)),
        )
        .left_join(
            schools.clone(),
            Expr::col((schools.clone(), Alias::new("id")))
                .equals((AuditEvents::Table, AuditEvents::SchoolId)),
        )
        .order_by((AuditEvents::Table, AuditEvents::At), Order::Desc)
        .limit(limit);
    match scope {
        Scope::School(school) => {
            q.and_where(Expr::col((AuditEvents::Table, AuditEvents::SchoolId)).eq(school.0));
        }
        Scope::Region(region) => {
            let of_region = Query::select()
                .column((schools.clone(), Alias::new("id")))
                .from(schools.clone())
                .inner_join(
                    Alias::new("academies"),
                    Expr::col((Alias::new("academies"), Alias::new("id")))
                        .equals((schools.clone(), Alias::new("academy_id"))),
                )
                .and_where(Expr::col((Alias::new("academies"), Alias::new("region_id"))).eq(region.0))
                .to_owned();
            q.cond_where(
                Expr::col((AuditEvents::Table, AuditEvents::SchoolId))
                    .in_subquery(of_region)
                    .or(Expr::col((AuditEvents::Table, AuditEvents::SchoolId)).eq(uuid::Uuid::nil())),
            );
        }
    }
    if let Some(k) = filter.kind {
        q.and_where(Expr::col((AuditEvents::Table, AuditEvents::Kind)).eq(k.code()));
    }
    if let Some(login) = filter
        .login
        .as_deref()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
    {
        // Events about the account, and events it caused (codes printed, accounts reset).
        let ids = Query::select()
            .column(Alias::new("id"))
            .from(users.clone())
            .cond_where(
                Expr::col(Alias::new("login"))
                    .eq(login.as_str())
                    .or(Expr::col(Alias::new("login_alias")).eq(login.as_str())),
            )
            .to_owned();
        q.cond_where(
            Expr::col((AuditEvents::Table, AuditEvents::SubjectId))
                .in_subquery(ids.clone())
                .or(Expr::col((AuditEvents::Table, AuditEvents::ActorId)).in_subquery(ids)),
        );
    }
    db.fetch_all(&q).await
}
