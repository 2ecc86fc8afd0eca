//! Each person's agenda feed: a secret address a calendar app subscribes to (iCalendar), which the
//! person can replace or revoke. Only the secret's hash is stored; the feed holds every event the person
//! reads in any of their schools and profiles, from a month back to a year ahead.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use kernel::ics::{date, escape, push_line, utc};
use kernel::{Timestamp, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::service::Agenda;
use crate::store::{self, EventRow};

pub fn routes() -> Router<Agenda> {
    Router::new()
        .route("/agenda/abonnement", get(page).post(change))
        .route("/agenda/flux/{token}", get(feed))
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Template)]
#[template(path = "agenda_feed.html")]
struct FeedTemplate {
    t: Tr,
    csrf_token: String,
    active: bool,
    url: Option<String>,
}

async fn page(State(agenda): State<Agenda>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let body = FeedTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        active: store::has_feed(&agenda.db, user.user_id.0).await?,
        url: None,
    };
    web::user_page(lang, &user, "agenda-feed-title", &body)
}

#[derive(serde::Deserialize)]
struct ChangeForm {
    csrf_token: String,
    action: String,
}

/// `new`: a new secret address (the previous one stops working); `revoke`: no address any more.
async fn change(
    State(agenda): State<Agenda>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(f): axum::extract::Form<ChangeForm>,
) -> WebResult<Html<String>> {
    user.check_csrf(&f.csrf_token)?;
    let mut url = None;
    if f.action == "new" {
        let mut secret = [0u8; 24];
        rand::rng().fill_bytes(&mut secret);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
        store::set_feed(&agenda.db, user.user_id.0, Some(&hash(&token)), agenda.now()).await?;
        url = Some(format!("{}/agenda/flux/{token}.ics", agenda.public_url));
    } else {
        store::set_feed(&agenda.db, user.user_id.0, None, agenda.now()).await?;
    }
    let body = FeedTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        active: url.is_some(),
        url,
    };
    web::user_page(lang, &user, "agenda-feed-title", &body)
}

async fn feed(State(agenda): State<Agenda>, Path(token): Path<String>) -> Result<Response, AppError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let Some(user) = store::feed_owner(&agenda.db, &hash(token)).await? else {
        return Err(AppError::NotFound);
    };
    let now = agenda.now();
    let events = agenda
        .feed_events(
            UserId(user),
            now.plus_secs(-31 * 86_400),
            now.plus_secs(366 * 86_400),
        )
        .await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=900"),
        ],
        write_calendar(&events, now),
    )
        .into_response())
}

fn instant(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(utc).unwrap_or_default()
}

fn day(s: &str) -> String {
    s.parse::<jiff::civil::Date>().map(date).unwrap_or_default()
}

/// The VCALENDAR of `events`: timed events in UTC, all-day events as dates (DTEND the day after).
pub fn write_calendar(events: &[EventRow], now: Timestamp) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ardoise//Agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Agenda",
        "X-WR-TIMEZONE:Europe/Paris",
    ] {
        push_line(&mut out, l);
    }
    let stamp = instant(now.0);
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:agenda-{}@ardoise", e.id));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        if e.all_day {
            let after = e
                .last_day
                .parse::<jiff::civil::Date>()
                .ok()
                .and_then(|d| d.tomorrow().ok())
                .map(date)
                .unwrap_or_else(|| day(&e.last_day));
            push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(&e.first_day)));
            push_line(&mut out, &format!("DTEND;VALUE=DATE:{after}"));
        } else {
            push_line(&mut out, &format!("DTSTART:{}", instant(e.starts_at)));
            push_line(&mut out, &format!("DTEND:{}", instant(e.ends_at)));
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.title)));
        if !e.place.is_empty() {
            push_line(&mut out, &format!("LOCATION:{}", escape(&e.place)));
        }
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}
