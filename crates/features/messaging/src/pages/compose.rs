//! The compose form: a new message, a reply, a draft taken up again. It works without JavaScript:
//! **Rechercher** re-renders the form with the people found and everything typed so far.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{parse_id, viewer};
use crate::send::{Draft, Outcome, Target, Upload};
use crate::service::{Messaging, Viewer};

pub(super) fn routes() -> Router<Messaging> {
    Router::new()
        .route("/messagerie/nouveau", get(compose).post(submit))
        .route("/messagerie/brouillons/{id}/supprimer", post(delete_draft))
}

#[derive(serde::Deserialize, Default)]
struct ComposeQuery {
    a: Option<String>,
    reponse: Option<String>,
    tous: Option<String>,
    brouillon: Option<String>,
}

struct Choice {
    code: String,
    label: String,
    category: &'static str,
}

#[derive(Template)]
#[template(path = "nouveau.html")]
struct ComposeTemplate {
    t: Tr,
    csrf: String,
    error: Option<String>,
    subject: String,
    body: String,
    reply_to: Option<Uuid>,
    reply_all: bool,
    reply_summary: String,
    draft_id: Option<Uuid>,
    chosen: Vec<Choice>,
    groups: Vec<Choice>,
    people: Vec<Choice>,
    search: String,
    searched: bool,
    staff: bool,
    allow_reply_all: bool,
    read_tracking: bool,
}

impl ComposeTemplate {
    fn selected(&self, c: &Choice, category: &str) -> bool {
        c.category == category
    }
}

async fn compose(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Query(q): Query<ComposeQuery>,
) -> WebResult<Response> {
    let v = viewer(&user, &headers);
    let mut draft = match q.brouillon.as_deref() {
        Some(id) => msg.draft(&v, parse_id(id)?).await?,
        None => Draft::default(),
    };
    if let Some(to) = q.a.as_deref() {
        draft.to.push(Target::Person(parse_id(to)?));
    }
    if let Some(r) = q.reponse.as_deref() {
        draft.reply_to = Some(parse_id(r)?);
        draft.reply_all = q.tous.is_some();
    }
    let body_text = if draft.draft_id.is_some() {
        web::rich_text::plain_text(&draft.body)
    } else {
        let signature = msg.signature(&v).await?;
        if signature.is_empty() {
            String::new()
        } else {
            format!("\n\n-- \n{signature}")
        }
    };
    render_compose(&msg, lang, &user, &v, draft, body_text, String::new(), None).await
}

/// The compose form, with what the person chose and typed so far.
#[allow(clippy::too_many_arguments)]
async fn render_compose(
    msg: &Messaging,
    lang: Lang,
    user: &CurrentUser,
    v: &Viewer,
    draft: Draft,
    body: String,
    search: String,
    error: Option<String>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let (_, profile) = v.in_school()?;
    let mut chosen = Vec::new();
    let mut chosen_codes = std::collections::HashSet::new();
    let groups_all = msg.groups(v).await?;
    let person_ids: Vec<Uuid> = draft
        .to
        .iter()
        .chain(&draft.cc)
        .chain(&draft.bcc)
        .filter_map(|t| match t {
            Target::Person(id) => Some(*id),
            Target::Group(_) => None,
        })
        .collect();
    let names = msg.names(&person_ids).await?;
    for (targets, category) in [(&draft.to, "to"), (&draft.cc, "cc"), (&draft.bcc, "bcc")] {
        for target in targets {
            let label = match target {
                Target::Person(id) => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
                Target::Group(g) => groups_all
                    .iter()
                    .find(|c| c.group == *g)
                    .map(|c| c.label.clone())
                    .unwrap_or_else(|| g.code()),
            };
            if chosen_codes.insert(target.code()) {
                chosen.push(Choice {
                    code: target.code(),
                    label,
                    category,
                });
            }
        }
    }
    let groups = groups_all
        .into_iter()
        .filter(|g| !chosen_codes.contains(&g.group.code()))
        .map(|g| Choice {
            code: g.group.code(),
            label: g.label,
            category: "",
        })
        .collect();
    let searched = !search.trim().is_empty();
    let people = if draft.reply_to.is_some() {
        vec![]
    } else {
        msg.contacts(v, searched.then_some(search.as_str()))
            .await?
            .into_iter()
            .filter(|p| chosen_codes.insert(Target::Person(p.id).code()))
            .map(|p| Choice {
                code: Target::Person(p.id).code(),
                label: p.name(),
                category: "",
            })
            .collect()
    };
    let reply_summary = match draft.reply_to {
        Some(id) => msg.reply_summary(v, id, draft.reply_all).await?,
        None => String::new(),
    };
    let failed = error.is_some();
    let tmpl = ComposeTemplate {
        csrf: user.csrf_token.clone(),
        error,
        subject: draft.subject,
        body,
        reply_to: draft.reply_to,
        reply_all: draft.reply_all,
        reply_summary,
        draft_id: draft.draft_id,
        chosen,
        groups,
        people,
        search,
        searched,
        staff: profile.is_staff(),
        allow_reply_all: draft.allow_reply_all,
        read_tracking: draft.read_tracking,
        t,
    };
    web::form_page(lang, user, &Tr(lang).get("msg-compose-title"), &tmpl, failed)
}

/// The compose form's fields: `dest:<code>` = to | cc | bcc, the text, the options, the files.
fn read_form(headers: &HeaderMap, body: &Bytes) -> (Vec<(String, String)>, Draft, String) {
    let fields = web::multipart::fields(headers, body);
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut draft = Draft {
        subject: one("subject"),
        body: web::rich_text::from_plain(&one("body")),
        reply_to: one("reply_to").parse().ok(),
        reply_all: one("reply_all") == "1",
        allow_reply_all: one("allow_reply_all") == "1",
        read_tracking: one("read_tracking") == "1",
        draft_id: one("draft_id").parse().ok(),
        ..Draft::default()
    };
    for (k, v) in &fields {
        if let Some(code) = k.strip_prefix("dest:")
            && let Some(target) = Target::parse(code)
        {
            match v.as_str() {
                "to" => draft.to.push(target),
                "cc" => draft.cc.push(target),
                "bcc" => draft.bcc.push(target),
                _ => {}
            }
        }
    }
    draft.files = web::multipart::files(headers, body)
        .into_iter()
        .filter(|p| p.name == "files" && !p.data.is_empty())
        .map(|p| Upload {
            name: p.file_name.clone().unwrap_or_else(|| "fichier".into()),
            bytes: p.data.to_vec(),
        })
        .collect();
    let text = one("body");
    (fields, draft, text)
}

async fn submit(
    State(msg): State<Messaging>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let (fields, draft, text) = read_form(&headers, &body);
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    user.check_csrf(&one(web::csrf::FIELD))?;
    let v = viewer(&user, &headers);
    match one("action").as_str() {
        "search" => {
            let search = one("cherche");
            render_compose(&msg, lang, &user, &v, draft, text, search, None).await
        }
        "save" => {
            msg.keep_draft(&v, &draft).await?;
            Ok(Redirect::to("/messagerie?dossier=drafts&ok=draft").into_response())
        }
        _ => match msg.send(&v, draft.clone()).await {
            Ok(Outcome::Delivered { .. }) => Ok(Redirect::to("/messagerie?ok=sent").into_response()),
            Ok(Outcome::Held { .. }) => Ok(Redirect::to("/messagerie?dossier=sent&ok=held").into_response()),
            Err(refused) => {
                let mut error = refused.message.render(lang);
                let mut draft = draft;
                if let Some(kept) = refused.draft {
                    error.push(' ');
                    error.push_str(&Tr(lang).get("msg-draft-kept"));
                    draft.draft_id = Some(kept);
                }
                render_compose(&msg, lang, &user, &v, draft, text, String::new(), Some(error)).await
            }
        },
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn delete_draft(
    State(msg): State<Messaging>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    msg.delete_draft(&viewer(&user, &headers), parse_id(&id)?).await?;
    Ok(Redirect::to("/messagerie?dossier=drafts").into_response())
}
