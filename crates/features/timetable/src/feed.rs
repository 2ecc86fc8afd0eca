//! Each person's calendar feed: a secret URL a calendar app subscribes to (iCalendar), which the
//! person can replace or revoke. Only the secret's hash is stored.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use jiff::civil::Date;
use kernel::{Context, Profile, SchoolId, UserId};
use rand::RngCore;
use sea_query::{Alias, Expr, ExprTrait, Query};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::calendar::{add_days, monday_of};
use crate::ics::{escape, push_line, utc};
use crate::model::{Occurrence, Whose};
use crate::service::{Timetable, Viewer, instant};

pub fn routes() -> Router<Timetable> {
    Router::new()
        .route("/edt/abonnement", get(page).post(change))
        .route("/edt/flux/{token}", get(feed))
}

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn has_feed(db: &db::Db, user: UserId) -> Result<bool, db::Error> {
    let q = Query::select()
        .expr(Expr::val(1))
        .from(a("calendar_feeds"))
        .and_where(Expr::col(a("user_id")).eq(user.0))
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(i32,)>(&q).await?.is_some())
}

#[derive(Template)]
#[template(path = "timetable_feed.html")]
struct FeedTemplate {
    t: Tr,
    csrf_token: String,
    active: bool,
    url: Option<String>,
}

async fn page(State(tt): State<Timetable>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let body = FeedTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        active: has_feed(tt.db(), user.user_id).await?,
        url: None,
    };
    web::user_page(lang, &user, "timetable-feed-title", &body)
}

#[derive(serde::Deserialize)]
struct ChangeForm {
    csrf_token: String,
    action: String,
}

/// `new`: a new secret URL (the previous one stops working); `revoke`: no URL any more.
async fn change(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(f): axum::extract::Form<ChangeForm>,
) -> WebResult<Html<String>> {
    user.check_csrf(&f.csrf_token)?;
    let mut tx = tt.db().begin().await?;
    let q = Query::delete()
        .from_table(a("calendar_feeds"))
        .and_where(Expr::col(a("user_id")).eq(user.user_id.0))
        .to_owned();
    tx.execute(&q).await?;
    let mut url = None;
    if f.action == "new" {
        let mut secret = [0u8; 24];
        rand::rng().fill_bytes(&mut secret);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
        let q = Query::insert()
            .into_table(a("calendar_feeds"))
            .columns([a("token_hash"), a("user_id"), a("created_at")])
            .values_panic([hash(&token).into(), user.user_id.0.into(), tt.now().0.into()])
            .to_owned();
        tx.execute(&q).await?;
        url = Some(format!("{}/edt/flux/{token}.ics", tt.public_url()));
    }
    tx.commit().await?;
    let body = FeedTemplate {
        t: Tr(lang),
        csrf_token: user.csrf_token.clone(),
        active: url.is_some(),
        url,
    };
    web::user_page(lang, &user, "timetable-feed-title", &body)
}

/// The feed: from two weeks back to ten weeks ahead, for every school and profile of the person
/// (a parent's children each prefixed by their first name).
async fn feed(State(tt): State<Timetable>, Path(token): Path<String>) -> Result<Response, AppError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let q = Query::select()
        .column(a("user_id"))
        .from(a("calendar_feeds"))
        .and_where(Expr::col(a("token_hash")).eq(hash(token)))
        .to_owned();
    let Some((user,)) = tt.db().fetch_optional::<(Uuid,)>(&q).await? else {
        return Err(AppError::NotFound);
    };
    let q = Query::select()
        .columns([a("school_id"), a("profile")])
        .from(a("memberships"))
        .and_where(Expr::col(a("user_id")).eq(user))
        .to_owned();
    let memberships: Vec<(Uuid, String)> = tt.db().fetch_all(&q).await?;
    let from = add_days(monday_of(tt.today()), -14);
    let days = 12 * 7;
    let mut events: Vec<(String, Occurrence)> = vec![];
    for (school, profile) in memberships {
        let Ok(profile) = profile.parse::<Profile>() else {
            continue;
        };
        let viewer = Viewer {
            user: UserId(user),
            context: Context::School {
                school: SchoolId(school),
                profile,
            },
        };
        let whose: Vec<(String, Whose)> = match profile {
            Profile::Student => vec![(String::new(), Whose::Student(user))],
            Profile::Teacher => vec![(String::new(), Whose::Teacher(user))],
            Profile::Guardian => tt
                .children(&viewer)
                .await?
                .into_iter()
                .map(|c| (format!("{} : ", c.first_name), Whose::Student(c.id)))
                .collect(),
            _ => vec![],
        };
        for (prefix, w) in whose {
            let period = tt.period(&viewer, &w, from, days, None).await?;
            for d in period.days {
                events.extend(d.occurrences.into_iter().map(|o| (prefix.clone(), o)));
            }
        }
    }
    let body = write_calendar(&events, tt.now());
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=900"),
        ],
        body,
    )
        .into_response())
}

/// The VCALENDAR of `events` (prefix, occurrence), times in UTC.
pub fn write_calendar(events: &[(String, Occurrence)], now: kernel::Timestamp) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ardoise//Emploi du temps//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Emploi du temps",
        "X-WR-TIMEZONE:Europe/Paris",
    ] {
        push_line(&mut out, l);
    }
    let stamp = jiff::Timestamp::from_millisecond(now.0)
        .map(utc)
        .unwrap_or_default();
    for (prefix, o) in events {
        let day: Date = o.day;
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(
            &mut out,
            &format!("UID:{}-{}{}@ardoise", o.lesson.id, day, escape_uid(prefix)),
        );
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DTSTART:{}", utc(instant(day, o.lesson.starts_at))),
        );
        push_line(
            &mut out,
            &format!("DTEND:{}", utc(instant(day, o.lesson.ends_at))),
        );
        let mut summary = format!("{prefix}{}", o.lesson.subject);
        if o.cancelled {
            summary.push_str(" (annulé)");
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&summary)));
        if !o.room.is_empty() {
            push_line(&mut out, &format!("LOCATION:{}", escape(&o.room)));
        }
        let teachers: Vec<String> = o
            .teachers
            .iter()
            .map(|t| format!("{} {}", t.first_name, t.last_name))
            .collect();
        let mut description = format!("{} · {}", o.lesson.class_name, teachers.join(", "));
        if o.substitute {
            description.push_str("\nRemplacement");
        }
        if !o.note.is_empty() {
            description.push('\n');
            description.push_str(&o.note);
        }
        push_line(&mut out, &format!("DESCRIPTION:{}", escape(&description)));
        push_line(
            &mut out,
            if o.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// A child's name in a UID would be personal data and may hold anything: a short hash instead.
fn escape_uid(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("-{}", &hash(prefix)[..8])
    }
}
