//! The school's moderation page (held messages, reports, kill switches, journal), its communication
//! rules, and the region's kill switch.

use std::collections::HashSet;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{parse_id, viewer, when};
use crate::moderation::Scope;
use crate::service::Messaging;
use crate::store::abuse::Suspension;

pub fn routes() -> Router<Messaging> {
    Router::new()
        .route("/messagerie/moderation", get(queue))
        .route("/messagerie/moderation/messages/{id}", post(decide))
        .route("/messagerie/moderation/signalements/{id}", post(close_report))
        .route("/messagerie/moderation/suspensions", post(suspend))
        .route("/messagerie/moderation/suspensions/{id}/lever", post(lift))
        .route("/messagerie/regles", get(rules).post(save_rules))
        .route("/messagerie/region", get(region))
}

struct HeldLine {
    id: Uuid,
    sender: String,
    sender_id: Uuid,
    when: String,
    subject: String,
    summary: String,
    reason: String,
    body: String,
}

struct ReportLine {
    id: Uuid,
    reporter: String,
    sender: String,
    sender_id: Uuid,
    when: String,
    subject: String,
    reason: String,
    body: String,
}

struct SwitchLine {
    id: Uuid,
    scope: String,
    reason: String,
    since: String,
    liftable: bool,
}

fn switch_line(t: &Tr, s: &Suspension, region_admin: bool) -> SwitchLine {
    let mut scope = if s.school_scope.is_none() {
        t.get("msg-scope-region")
    } else {
        t.get("msg-scope-school")
    };
    if let Some(p) = &s.profile {
        scope.push_str(" · ");
        scope.push_str(&t.get(&format!("msg-profile-{p}")));
    }
    if s.user_id.is_some() {
        scope.push_str(" · ");
        scope.push_str(&t.get("msg-scope-account"));
    }
    SwitchLine {
        id: s.id,
        scope,
        reason: s.reason.clone(),
        since: when(s.created_at),
        liftable: s.school_scope.is_some() != region_admin,
    }
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct QueueTemplate {
    t: Tr,
    csrf: String,
    held: Vec<HeldLine>,
    reports: Vec<ReportLine>,
    switches: Vec<SwitchLine>,
    profiles: Vec<(&'static str, String)>,
    journal: Vec<(String, String, String, String)>,
}

async fn queue(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
) -> WebResult<Response> {
    let t = Tr(lang);
    let v = viewer(&user, &headers);
    let q = msg.queue(&v).await?;
    let journal = msg
        .journal(&v)
        .await?
        .into_iter()
        .map(|(at, who, kind, detail)| {
            (
                when(at),
                who,
                t.get(&format!("msg-journal-{}", kind.trim_start_matches("messaging."))),
                detail,
            )
        })
        .collect();
    let body = QueueTemplate {
        csrf: user.csrf_token.clone(),
        held: q
            .held
            .iter()
            .map(|(m, sender)| HeldLine {
                id: m.id,
                sender: sender.clone(),
                sender_id: m.sender_id,
                when: when(m.created_at),
                subject: m.subject.clone(),
                summary: m.recipients_summary.clone(),
                reason: t.get(&format!(
                    "msg-hold-{}",
                    m.hold_reason.as_deref().unwrap_or("unknown")
                )),
                body: m.body.clone(),
            })
            .collect(),
        reports: q
            .reports
            .iter()
            .map(|(r, m, sender, by)| ReportLine {
                id: r.id,
                reporter: by.clone(),
                sender: sender.clone(),
                sender_id: m.sender_id,
                when: when(r.created_at),
                subject: m.subject.clone(),
                reason: r.reason.clone(),
                body: m.body.clone(),
            })
            .collect(),
        switches: q.suspensions.iter().map(|s| switch_line(&t, s, false)).collect(),
        profiles: [Profile::Student, Profile::Guardian, Profile::Teacher]
            .into_iter()
            .map(|p| (p.code(), t.get(&format!("msg-profile-{}", p.code()))))
            .collect(),
        journal,
        t,
    };
    Ok(web::user_page(lang, &user, "msg-moderation-title", &body)?.into_response())
}

#[derive(serde::Deserialize)]
struct DecideForm {
    csrf_token: String,
    decision: String,
}

async fn decide(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<DecideForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    msg.decide(&viewer(&user, &headers), parse_id(&id)?, f.decision == "release")
        .await?;
    Ok(Redirect::to("/messagerie/moderation").into_response())
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn close_report(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    msg.close_report(&viewer(&user, &headers), parse_id(&id)?).await?;
    Ok(Redirect::to("/messagerie/moderation").into_response())
}

#[derive(serde::Deserialize)]
struct SuspendForm {
    csrf_token: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    region: String,
}

async fn suspend(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    axum::extract::Form(f): axum::extract::Form<SuspendForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let scope = Scope {
        region: f.region == "1",
        profile: f.profile.parse().ok(),
        user: f.user.parse().ok(),
    };
    msg.suspend(&viewer(&user, &headers), scope, &f.reason).await?;
    Ok(Redirect::to(if scope.region {
        "/messagerie/region"
    } else {
        "/messagerie/moderation"
    })
    .into_response())
}

async fn lift(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let v = viewer(&user, &headers);
    msg.lift(&v, parse_id(&id)?).await?;
    let back = if v.context.school().is_none() {
        "/messagerie/region"
    } else {
        "/messagerie/moderation"
    };
    Ok(Redirect::to(back).into_response())
}

#[derive(Template)]
#[template(path = "regles.html")]
struct RulesTemplate {
    t: Tr,
    csrf: String,
    switches: Vec<(&'static str, bool)>,
    editable: bool,
}

async fn rules(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
) -> WebResult<Response> {
    let v = viewer(&user, &headers);
    let r = msg.school_rules(&v).await?;
    let body = RulesTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        switches: r.switches().to_vec(),
        editable: v.context.profile() == Some(Profile::Direction),
    };
    Ok(web::user_page(lang, &user, "msg-rules-title", &body)?.into_response())
}

async fn save_rules(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    axum::extract::Form(fields): axum::extract::Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let token = fields
        .iter()
        .find(|(k, _)| k == web::csrf::FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(token)?;
    let on: HashSet<String> = fields
        .iter()
        .filter(|(_, v)| v == "1")
        .map(|(k, _)| k.clone())
        .collect();
    msg.set_rules(&viewer(&user, &headers), crate::model::Rules::from_switches(&on))
        .await?;
    Ok(Redirect::to("/messagerie/regles").into_response())
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionTemplate {
    t: Tr,
    csrf: String,
    switches: Vec<SwitchLine>,
    profiles: Vec<(&'static str, String)>,
}

async fn region(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
) -> WebResult<Response> {
    let t = Tr(lang);
    let v = viewer(&user, &headers);
    let switches = msg.region_suspensions(&v).await?;
    let body = RegionTemplate {
        csrf: user.csrf_token.clone(),
        switches: switches.iter().map(|s| switch_line(&t, s, true)).collect(),
        profiles: Profile::ALL
            .into_iter()
            .filter(|p| !matches!(p, Profile::AuthorityStaff | Profile::Guest))
            .map(|p| (p.code(), t.get(&format!("msg-profile-{}", p.code()))))
            .collect(),
        t,
    };
    Ok(web::user_page(lang, &user, "msg-region-title", &body)?.into_response())
}
