//! Service tickets SQL, and what a validation releases about the person.

use db::{Db, Result};
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Iden, Query};
use uuid::Uuid;

#[derive(Iden, Clone, Copy)]
enum CasTickets {
    Table,
    Ticket,
    UserId,
    Service,
    ContextSchool,
    ContextProfile,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
    SessionKey,
    AuthTime,
    NewLogin,
    Proxies,
}

pub struct NewTicket<'a> {
    pub ticket: &'a str,
    pub user: Uuid,
    pub service: &'a str,
    pub school: Option<Uuid>,
    pub profile: Option<&'a str>,
    pub session_key: &'a str,
    pub auth_time: i64,
    pub new_login: bool,
    /// Proxy tickets: the proxy chain, newest first, one URL per line.
    pub proxies: Option<&'a str>,
    pub now: Timestamp,
    pub expires: Timestamp,
}

pub async fn insert(db: &Db, t: NewTicket<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(CasTickets::Table)
        .columns([
            CasTickets::Ticket,
            CasTickets::UserId,
            CasTickets::Service,
            CasTickets::ContextSchool,
            CasTickets::ContextProfile,
            CasTickets::CreatedAt,
            CasTickets::ExpiresAt,
            CasTickets::SessionKey,
            CasTickets::AuthTime,
            CasTickets::NewLogin,
            CasTickets::Proxies,
        ])
        .values_panic([
            t.ticket.into(),
            t.user.into(),
            t.service.into(),
            t.school.into(),
            t.profile.map(str::to_string).into(),
            t.now.millis().into(),
            t.expires.millis().into(),
            t.session_key.into(),
            t.auth_time.into(),
            t.new_login.into(),
            t.proxies.map(str::to_string).into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Ticket {
    pub user_id: Uuid,
    pub service: String,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub expires_at: i64,
    pub session_key: Option<String>,
    pub auth_time: Option<i64>,
    pub new_login: bool,
    pub proxies: Option<String>,
}

/// Consumes a ticket: returns it if it existed and was never used; it can never be used again. One
/// statement (UPDATE … RETURNING), so two validations racing cannot both win.
pub async fn consume(db: &Db, ticket: &str, now: Timestamp) -> Result<Option<Ticket>> {
    let q = Query::update()
        .table(CasTickets::Table)
        .value(CasTickets::ConsumedAt, now.millis())
        .and_where(Expr::col(CasTickets::Ticket).eq(ticket))
        .and_where(Expr::col(CasTickets::ConsumedAt).is_null())
        .returning(Query::returning().columns([
            CasTickets::UserId,
            CasTickets::Service,
            CasTickets::ContextSchool,
            CasTickets::ContextProfile,
            CasTickets::ExpiresAt,
            CasTickets::SessionKey,
            CasTickets::AuthTime,
            CasTickets::NewLogin,
            CasTickets::Proxies,
        ]))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Deletes tickets expired for more than an hour, and the single-logout records of sessions that
/// cannot be alive any more.
pub async fn purge(db: &Db, now: Timestamp) -> Result<u64> {
    let q = Query::delete()
        .from_table(CasTickets::Table)
        .and_where(Expr::col(CasTickets::ExpiresAt).lt(now.plus_secs(-3600).millis()))
        .to_owned();
    let mut tickets = db.execute(&q).await?;
    let q = Query::delete()
        .from_table(Alias::new("cas_proxy_granting"))
        .and_where(Expr::col(Alias::new("expires_at")).lt(now.millis()))
        .to_owned();
    tickets += db.execute(&q).await?;
    let q = Query::delete()
        .from_table(Alias::new("sso_sessions"))
        .and_where(
            Expr::col(Alias::new("session_key")).not_in_subquery(
                Query::select()
                    .column(Alias::new("token_hash"))
                    .from(Alias::new("sessions"))
                    .to_owned(),
            ),
        )
        .to_owned();
    Ok(tickets + db.execute(&q).await?)
}

/// One service a browser session signed in to, for single sign-out.
pub struct SsoSession<'a> {
    pub session_key: &'a str,
    pub service_id: &'a str,
    pub protocol: &'a str,
    /// CAS: the service ticket; OIDC: the grant id.
    pub session_index: &'a str,
    /// CAS: the service URL the ticket was for.
    pub target: Option<&'a str>,
    pub user: Uuid,
    pub now: Timestamp,
}

pub async fn record_sso_session(db: &Db, s: SsoSession<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(Alias::new("sso_sessions"))
        .columns(
            [
                "session_key",
                "service_id",
                "protocol",
                "session_index",
                "target",
                "user_id",
                "created_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            s.session_key.into(),
            s.service_id.into(),
            s.protocol.into(),
            s.session_index.into(),
            s.target.map(str::to_string).into(),
            s.user.into(),
            s.now.millis().into(),
        ])
        .on_conflict(sea_query::OnConflict::new().do_nothing().to_owned())
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct SignedInService {
    pub service_id: String,
    pub session_index: String,
    pub target: Option<String>,
    pub user_id: Uuid,
}

/// Takes (reads and deletes) the services the session `session_key` signed in to over a back channel
/// (SAML services are signed out through the browser: `saml_logout`).
pub async fn take_sso_sessions(db: &Db, session_key: &str) -> Result<Vec<SignedInService>> {
    let q = Query::select()
        .columns(["service_id", "session_index", "target", "user_id"].map(Alias::new))
        .from(Alias::new("sso_sessions"))
        .and_where(Expr::col(Alias::new("session_key")).eq(session_key))
        .and_where(Expr::col(Alias::new("protocol")).ne("saml"))
        .to_owned();
    let rows = db.fetch_all(&q).await?;
    let q = Query::delete()
        .from_table(Alias::new("sso_sessions"))
        .and_where(Expr::col(Alias::new("session_key")).eq(session_key))
        .and_where(Expr::col(Alias::new("protocol")).ne("saml"))
        .to_owned();
    db.execute(&q).await?;
    Ok(rows)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Released {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub jointure: Option<String>,
    pub uai: Option<String>,
}

/// The person, and the UAI of the school they act in (one query).
pub async fn person(db: &Db, user: Uuid, school: Option<Uuid>) -> Result<Option<Released>> {
    let users = Alias::new("users");
    let mut q = Query::select()
        .columns(
            ["login", "first_name", "last_name", "email", "jointure"].map(|c| (users.clone(), Alias::new(c))),
        )
        .from(users.clone())
        .and_where(Expr::col((users.clone(), Alias::new("id"))).eq(user))
        .to_owned();
    match school {
        Some(s) => q.column((Alias::new("schools"), Alias::new("uai"))).left_join(
            Alias::new("schools"),
            Expr::col((Alias::new("schools"), Alias::new("id"))).eq(s),
        ),
        None => q.expr_as(Expr::val(Option::<String>::None), Alias::new("uai")),
    };
    db.fetch_optional(&q).await
}

pub async fn uai(db: &Db, school: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(Alias::new("uai"))
        .from(Alias::new("schools"))
        .and_where(Expr::col(Alias::new("id")).eq(school))
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

pub struct NewPgt<'a> {
    pub ticket: &'a str,
    pub user: Uuid,
    pub school: Option<Uuid>,
    pub profile: Option<&'a str>,
    pub session_key: Option<&'a str>,
    pub auth_time: Option<i64>,
    pub proxies: &'a str,
    pub now: Timestamp,
    pub expires: Timestamp,
}

pub async fn insert_pgt(db: &Db, p: NewPgt<'_>) -> Result<()> {
    let q = Query::insert()
        .into_table(Alias::new("cas_proxy_granting"))
        .columns(
            [
                "ticket",
                "user_id",
                "context_school",
                "context_profile",
                "session_key",
                "auth_time",
                "proxies",
                "created_at",
                "expires_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            p.ticket.into(),
            p.user.into(),
            p.school.into(),
            p.profile.map(str::to_string).into(),
            p.session_key.map(str::to_string).into(),
            p.auth_time.into(),
            p.proxies.into(),
            p.now.millis().into(),
            p.expires.millis().into(),
        ])
        .to_owned();
    db.execute(&q).await.map(drop)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Pgt {
    pub user_id: Uuid,
    pub context_school: Option<Uuid>,
    pub context_profile: Option<String>,
    pub session_key: Option<String>,
    pub auth_time: Option<i64>,
    pub proxies: String,
    pub expires_at: i64,
}

pub async fn pgt(db: &Db, ticket: &str) -> Result<Option<Pgt>> {
    let q = Query::select()
        .columns(
            [
                "user_id",
                "context_school",
                "context_profile",
                "session_key",
                "auth_time",
                "proxies",
                "expires_at",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("cas_proxy_granting"))
        .and_where(Expr::col(Alias::new("ticket")).eq(ticket))
        .to_owned();
    db.fetch_optional(&q).await
}

/// Ends the proxy-granting tickets of a browser session (single sign-out).
pub async fn delete_session_pgts(db: &Db, session_key: &str) -> Result<()> {
    let q = Query::delete()
        .from_table(Alias::new("cas_proxy_granting"))
        .and_where(Expr::col(Alias::new("session_key")).eq(session_key))
        .to_owned();
    db.execute(&q).await.map(drop)
}
