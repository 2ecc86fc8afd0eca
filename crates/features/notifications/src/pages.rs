//! Notification pages: the feed (`/notifications`, paged, newest first), opening an item (marks it
//! read, then goes to its link), marking read, the preferences, the unread count as text, and the
//! server-sent events stream of the header's counter (`/notifications/flux`).
//!
//! The stream and admission control: the admission gate holds a turn only until the handler returns
//! the response's head (the body streams after the gate's `next.run` has answered), so an open stream
//! holds no permit; and it holds no database connection between two counts. It ends when the person
//! leaves the page, or when the server stops ([`Notifications::close_streams`]).

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::model::{self, Kind};
use crate::service::Notifications;
use crate::store::Settings;

/// Items per page of the feed.
const PER_PAGE: u64 = 20;

pub fn routes() -> Router<Notifications> {
    Router::new()
        .route("/notifications", get(feed))
        .route("/notifications/tout-lu", post(mark_all))
        .route(
            "/notifications/preferences",
            get(preferences).post(save_preferences),
        )
        .route("/notifications/flux", get(stream))
        .route("/notifications/compteur", get(count))
        .route("/notifications/{id}", get(open))
        .route("/notifications/{id}/lu", post(mark_one))
}

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "notifications",
        name_key: "notif-tile",
        desc_key: "notif-tile-desc",
        href: "/notifications",
        visible: |_| true,
    }]
}

#[derive(serde::Deserialize, Default)]
struct FeedQuery {
    page: Option<u64>,
    ok: Option<String>,
}

struct Line {
    id: Uuid,
    title: String,
    detail: String,
    kind_label: String,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "feed.html")]
struct FeedPage {
    t: Tr,
    csrf: String,
    notice: Option<String>,
    /// The feed's unread items.
    unread: i64,
    /// The mailbox's unread messages (a line to the mailbox, not items).
    messages: i64,
    items: Vec<Line>,
    page: u64,
    more: bool,
}

/// dd/mm/yyyy HH:MM, school time.
fn when(at: i64) -> String {
    let (day, minute) = kernel::school_time::school_day_and_minute(kernel::Timestamp(at));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        day.day(),
        day.month(),
        day.year(),
        minute / 60,
        minute % 60
    )
}

async fn feed(
    State(n): State<Notifications>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<FeedQuery>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let page = q.page.unwrap_or(0).min(10_000);
    let me = user.user_id.0;
    let mut rows = n.feed(me, page * PER_PAGE, PER_PAGE + 1).await?;
    let more = rows.len() as u64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let items = rows
        .iter()
        .map(|i| {
            let (title, detail) = model::words(lang, &i.topic, &i.params(), i64::from(i.events));
            Line {
                id: i.id,
                title,
                detail,
                kind_label: t.get(&Kind::parse(&i.kind).unwrap_or(Kind::Other).label_key()),
                when: when(i.updated_at),
                unread: i.read_at.is_none(),
            }
        })
        .collect();
    let notice = match q.ok.as_deref() {
        Some("lu") => Some(t.get("notif-marked-one")),
        Some("tout") => Some(t.get("notif-marked-all")),
        _ => None,
    };
    let body = FeedPage {
        t,
        csrf: user.csrf_token.clone(),
        notice,
        unread: n.feed_unread(me).await?,
        messages: n.unread_messages(me, None).await?,
        items,
        page,
        more,
    };
    web::form_page(lang, &user, &t.get("notif-title"), &body, false)
}

fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// Opens an item: read from now on, then its link. Someone else's item does not exist here.
async fn open(
    State(n): State<Notifications>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let me = user.user_id.0;
    let item = n.item(me, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    n.mark_read(me, Some(item.id)).await?;
    Ok(Redirect::to(&model::safe_link(&item.link)).into_response())
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn mark_one(
    State(n): State<Notifications>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let me = user.user_id.0;
    let item = n.item(me, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    n.mark_read(me, Some(item.id)).await?;
    Ok(Redirect::to("/notifications?ok=lu").into_response())
}

async fn mark_all(
    State(n): State<Notifications>,
    user: CurrentUser,
    Form(f): Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    n.mark_read(user.user_id.0, None).await?;
    Ok(Redirect::to("/notifications?ok=tout").into_response())
}

/// The unread count as plain text (scripts, and the pages of other crates that want it).
async fn count(State(n): State<Notifications>, user: CurrentUser) -> WebResult<Response> {
    let unread = n.unread(user.user_id.0).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        unread.to_string(),
    )
        .into_response())
}

/// The header counter's stream: the unread count at once, then each time it changes. Browsers
/// reconnect by themselves; `retry` spaces their attempts so a restarted node is not stormed.
async fn stream(State(n): State<Notifications>, user: CurrentUser) -> WebResult<Response> {
    let me = user.user_id.0;
    let watch = n.live.watch(me);
    let closing = n.live.closing();
    let first = n.unread(me).await?;
    struct Open {
        n: Notifications,
        me: Uuid,
        watch: tokio::sync::watch::Receiver<u64>,
        closing: tokio::sync::watch::Receiver<bool>,
        last: i64,
        first: bool,
    }
    let start = Open {
        n,
        me,
        watch,
        closing,
        last: first,
        first: true,
    };
    let events = futures_util::stream::unfold(start, |mut s| async move {
        if s.first {
            s.first = false;
            let event = Event::default()
                .event("unread")
                .retry(Duration::from_secs(20))
                .data(s.last.to_string());
            return Some((Ok::<_, Infallible>(event), s));
        }
        loop {
            if *s.closing.borrow() {
                return None;
            }
            tokio::select! {
                changed = s.watch.changed() => changed.ok()?,
                _ = s.closing.changed() => return None,
            }
            // A count that cannot be read now (a busy database) is read again shortly: ending the
            // stream would leave the header stale until the browser reconnects, 20 s later.
            let count = loop {
                match s.n.unread(s.me).await {
                    Ok(count) => break count,
                    Err(e) => {
                        tracing::warn!(error = %e, "unread count not read for the header stream");
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                            _ = s.closing.changed() => return None,
                        }
                    }
                }
            };
            if count != s.last {
                s.last = count;
                return Some((Ok(Event::default().event("unread").data(count.to_string())), s));
            }
        }
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(25)))
        .into_response();
    // Reverse proxies (nginx) would otherwise hold the events back.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

struct KindChoice {
    code: &'static str,
    label: String,
    on: bool,
}

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    t: Tr,
    csrf: String,
    notice: Option<String>,
    kinds: Vec<KindChoice>,
    digest: bool,
    quiet: bool,
    has_email: bool,
}

#[derive(serde::Deserialize, Default)]
struct OkQuery {
    ok: Option<String>,
}

async fn preferences(
    State(n): State<Notifications>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let me = user.user_id.0;
    let (settings, muted) = n.preferences(me).await?;
    let body = PreferencesPage {
        t,
        csrf: user.csrf_token.clone(),
        notice: q.ok.map(|_| t.get("notif-prefs-saved")),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| KindChoice {
                code: k.code(),
                label: t.get(&k.label_key()),
                on: !muted.contains(&k),
            })
            .collect(),
        digest: settings.digest,
        quiet: settings.quiet_hours,
        has_email: crate::store::email_of(&n.db, me).await?.is_some(),
    };
    web::form_page(lang, &user, &t.get("notif-prefs-title"), &body, false)
}

async fn save_preferences(
    State(n): State<Notifications>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    user.check_csrf(value("csrf_token").unwrap_or(""))?;
    let on: Vec<Kind> = fields
        .iter()
        .filter(|(k, _)| k == "kind")
        .filter_map(|(_, v)| Kind::parse(v))
        .collect();
    let muted: Vec<Kind> = Kind::ALL.into_iter().filter(|k| !on.contains(k)).collect();
    let settings = Settings {
        user_id: user.user_id.0,
        digest: value("digest") == Some("1"),
        quiet_hours: value("quiet") == Some("1"),
    };
    n.save_preferences(settings, &muted).await?;
    Ok(Redirect::to("/notifications/preferences?ok=1").into_response())
}
