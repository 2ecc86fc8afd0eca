//! Messaging pages: the mailbox (`/messagerie`), a conversation, the compose form (no JavaScript
//! needed: searching for people re-renders the form with what was typed), settings. The moderation
//! and rules pages are in [`admin`].

mod admin;
mod compose;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kernel::Timestamp;
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::model::is_moderator;
use crate::service::{MessageView, Messaging, Viewer};
use crate::store::mail::{BoxLine, MessageRow};

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "messagerie",
        name_key: "tile-messaging",
        desc_key: "tile-messaging-desc",
        href: "/messagerie",
        visible: |c| c.school().is_some(),
    }]
}

pub fn routes() -> Router<Messaging> {
    Router::new()
        .route("/messagerie", get(folder))
        .route("/messagerie/reglages", get(settings).post(save_settings))
        .route("/messagerie/{id}", get(thread))
        .route("/messagerie/{id}/deplacer", post(move_to))
        .route("/messagerie/messages/{id}/signaler", post(report))
        .route("/messagerie/messages/{id}/pieces/{file}", get(attachment))
        .merge(compose::routes())
        .merge(admin::routes())
}

pub(crate) fn viewer(user: &CurrentUser, headers: &HeaderMap) -> Viewer {
    let device = web::cookie::get(headers, "ardoise_device").map(str::to_string);
    Viewer::of(user, device)
}

pub(crate) fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) fn when(ms: i64) -> String {
    Timestamp(ms).date_time_fr()
}

// ----- folders -----

#[derive(serde::Deserialize, Default)]
struct FolderQuery {
    dossier: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    ok: Option<String>,
}

struct Line {
    href: String,
    subject: String,
    who: String,
    preview: String,
    when: String,
    unread: i32,
    badge: String,
}

struct FolderLink {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "messagerie.html")]
struct FolderTemplate {
    t: Tr,
    title: String,
    folders: Vec<FolderLink>,
    lines: Vec<Line>,
    search: String,
    folder: String,
    next: Option<String>,
    prev: Option<String>,
    notice: Option<String>,
    moderator: bool,
}

fn box_line(t: &Tr, l: &BoxLine) -> Line {
    Line {
        href: format!("/messagerie/{}", l.conversation_id),
        subject: l.subject.clone(),
        who: format!("{} {}", l.first_name, l.last_name.to_uppercase()),
        preview: web::rich_text::preview(&l.body_text, 90),
        when: when(l.last_at),
        unread: l.unread,
        badge: if l.unread > 0 {
            t.get("msg-unread")
        } else {
            String::new()
        },
    }
}

fn sent_line(t: &Tr, m: &MessageRow, drafts: bool) -> Line {
    let href = match (drafts, m.conversation_id) {
        (true, _) => format!("/messagerie/nouveau?brouillon={}", m.id),
        (false, Some(c)) => format!("/messagerie/{c}"),
        (false, None) => "/messagerie".to_string(),
    };
    let badge = match m.state.as_str() {
        "held" => t.get("msg-state-held"),
        "rejected" => t.get("msg-state-rejected"),
        _ => String::new(),
    };
    Line {
        href,
        subject: if m.subject.is_empty() {
            t.get("msg-no-subject")
        } else {
            m.subject.clone()
        },
        who: m.recipients_summary.clone(),
        preview: web::rich_text::preview(&m.body_text, 90),
        when: when(m.created_at),
        unread: 0,
        badge,
    }
}

async fn folder(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Query(q): Query<FolderQuery>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let v = viewer(&user, &headers);
    let folder = q.dossier.clone().unwrap_or_else(|| "inbox".into());
    let page = q.page.unwrap_or(0);
    let personal = msg.folders(&v).await?;
    let (lines, more, title) = match folder.as_str() {
        "sent" | "drafts" => {
            let drafts = folder == "drafts";
            let (rows, more) = msg.sent(&v, drafts, page).await?;
            let title = t.get(if drafts {
                "msg-folder-drafts"
            } else {
                "msg-folder-sent"
            });
            (
                rows.iter().map(|m| sent_line(&t, m, drafts)).collect(),
                more,
                title,
            )
        }
        f => {
            let title = match f {
                "inbox" => t.get("msg-folder-inbox"),
                "trash" => t.get("msg-folder-trash"),
                other => personal
                    .iter()
                    .find(|(id, _)| id.to_string() == other)
                    .map(|(_, n)| n.clone())
                    .ok_or(AppError::NotFound)?,
            };
            let p = msg.folder(&v, f, q.q.as_deref(), page).await?;
            (p.lines.iter().map(|l| box_line(&t, l)).collect(), p.more, title)
        }
    };
    let unread = msg.unread(user.user_id, None).await?;
    let mut folders = vec![
        (
            "inbox".to_string(),
            if unread > 0 {
                format!("{} ({unread})", t.get("msg-folder-inbox"))
            } else {
                t.get("msg-folder-inbox")
            },
        ),
        ("sent".into(), t.get("msg-folder-sent")),
        ("drafts".into(), t.get("msg-folder-drafts")),
        ("trash".into(), t.get("msg-folder-trash")),
    ];
    folders.extend(personal.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let search = q.q.clone().unwrap_or_default();
    let link = |p: u64| {
        format!(
            "/messagerie?dossier={}&page={p}&q={}",
            web::url_encode(&folder),
            web::url_encode(&search)
        )
    };
    let body = FolderTemplate {
        folders: folders
            .into_iter()
            .map(|(code, label)| FolderLink {
                current: code == folder,
                href: format!("/messagerie?dossier={code}"),
                label,
            })
            .collect(),
        lines,
        next: more.then(|| link(page + 1)),
        prev: (page > 0).then(|| link(page - 1)),
        notice: q.ok.as_deref().map(|k| match k {
            "held" => t.get("msg-notice-held"),
            "draft" => t.get("msg-notice-draft"),
            _ => t.get("msg-notice-sent"),
        }),
        moderator: v.context.profile().is_some_and(is_moderator),
        search,
        folder,
        title: title.clone(),
        t,
    };
    Ok(web::user_page(lang, &user, "msg-title", &body)?.into_response())
}

// ----- a conversation -----

#[derive(Template)]
#[template(path = "conversation.html")]
struct ThreadTemplate {
    t: Tr,
    csrf: String,
    id: Uuid,
    subject: String,
    messages: Vec<MessageLine>,
    reply_to: Option<Uuid>,
    may_reply_all: bool,
    folders: Vec<(String, String)>,
    in_trash: bool,
}

struct MessageLine {
    id: Uuid,
    sender: String,
    when: String,
    to: String,
    body: String,
    files: Vec<(String, String, String)>,
    read: Option<String>,
    mine: bool,
    state: String,
}

fn message_line(t: &Tr, m: &MessageView) -> MessageLine {
    MessageLine {
        id: m.row.id,
        sender: m.sender.clone(),
        when: when(m.row.sent_at.unwrap_or(m.row.created_at)),
        to: m.to.join(", "),
        // Stored sanitized (web::rich_text::sanitize): printed as is.
        body: m.row.body.clone(),
        files: m
            .attachments
            .iter()
            .map(|a| {
                (
                    format!("/messagerie/messages/{}/pieces/{}", a.message_id, a.id),
                    a.name.clone(),
                    blob::human_size(a.size as u64),
                )
            })
            .collect(),
        read: m.read.map(|(r, n)| {
            web::Msg::new("msg-read-by")
                .arg("read", r)
                .arg("total", n)
                .render(t.0)
        }),
        mine: m.mine,
        state: match m.row.state.as_str() {
            "held" => t.get("msg-state-held"),
            "rejected" => t.get("msg-state-rejected"),
            _ => String::new(),
        },
    }
}

async fn thread(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let v = viewer(&user, &headers);
    let th = msg.thread(&v, parse_id(&id)?).await?;
    let reply_to = th
        .messages
        .iter()
        .rev()
        .find(|m| !m.mine && m.row.state == "sent")
        .or_else(|| th.messages.iter().rev().find(|m| m.row.state == "sent"))
        .map(|m| m.row.id);
    let mut folders = vec![("inbox".to_string(), t.get("msg-folder-inbox"))];
    folders.extend(
        msg.folders(&v)
            .await?
            .into_iter()
            .map(|(id, n)| (id.to_string(), n)),
    );
    let body = ThreadTemplate {
        csrf: user.csrf_token.clone(),
        id: th.conversation.id,
        subject: th.conversation.subject.clone(),
        messages: th.messages.iter().map(|m| message_line(&t, m)).collect(),
        reply_to,
        may_reply_all: th.may_reply_all,
        in_trash: th.folder.as_deref() == Some("trash"),
        folders,
        t,
    };
    Ok(web::page(
        &web::Chrome {
            lang,
            user: Some(&user),
        },
        &th.conversation.subject,
        &body.render().map_err(AppError::internal)?,
    )?
    .into_response())
}

#[derive(serde::Deserialize)]
struct MoveForm {
    csrf_token: String,
    folder: String,
}

async fn move_to(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<MoveForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let id = parse_id(&id)?;
    msg.move_to(&viewer(&user, &headers), id, &f.folder).await?;
    let back = if f.folder == "trash" {
        "/messagerie".to_string()
    } else {
        format!("/messagerie?dossier={}", f.folder)
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(serde::Deserialize)]
struct ReportForm {
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

async fn report(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<ReportForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    msg.report(&viewer(&user, &headers), parse_id(&id)?, &f.reason)
        .await?;
    Ok(Redirect::to("/messagerie?ok=reported").into_response())
}

async fn attachment(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let (a, bytes) = msg
        .attachment(&viewer(&user, &headers), parse_id(&id)?, parse_id(&file)?)
        .await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        a.name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&a.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ----- settings: signature and folders -----

#[derive(Template)]
#[template(path = "reglages.html")]
struct SettingsTemplate {
    t: Tr,
    csrf: String,
    signature: String,
    folders: Vec<(Uuid, String)>,
    error: Option<String>,
}

async fn settings(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
) -> WebResult<Response> {
    render_settings(&msg, lang, &user, &viewer(&user, &headers), None).await
}

async fn render_settings(
    msg: &Messaging,
    lang: Lang,
    user: &CurrentUser,
    v: &Viewer,
    error: Option<String>,
) -> WebResult<Response> {
    let failed = error.is_some();
    let body = SettingsTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        signature: msg.signature(v).await?,
        folders: msg.folders(v).await?,
        error,
    };
    web::form_page(lang, user, &Tr(lang).get("msg-settings-title"), &body, failed)
}

#[derive(serde::Deserialize)]
struct SettingsForm {
    csrf_token: String,
    action: String,
    #[serde(default)]
    signature: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    folder: String,
}

async fn save_settings(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    axum::extract::Form(f): axum::extract::Form<SettingsForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let v = viewer(&user, &headers);
    let done = match f.action.as_str() {
        "signature" => msg.set_signature(&v, &f.signature).await,
        "add_folder" => msg.add_folder(&v, &f.name).await,
        "delete_folder" => msg.delete_folder(&v, parse_id(&f.folder)?).await,
        _ => Err(AppError::NotFound),
    };
    match done {
        Ok(()) => Ok(Redirect::to("/messagerie/reglages").into_response()),
        Err(AppError::BadRequest(m)) => render_settings(&msg, lang, &user, &v, Some(m.render(lang))).await,
        Err(e) => Err(e),
    }
}
