//! The authentication journal: a school administrator reads their school's events, a region
//! administrator the whole region's; both filter by kind of event and by account.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use kernel::Context;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::audit::{self, Filter, Scope};
use crate::onboarding::may_administer;
use crate::service::Identity;

/// Events shown per page of the journal.
const SHOWN: u64 = 200;

pub fn routes() -> Router<Identity> {
    Router::new()
        .route("/etablissement/journal", get(school_journal))
        .route("/region/journal", get(region_journal))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct JournalQuery {
    kind: String,
    login: String,
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalTemplate {
    t: Tr,
    action: &'static str,
    region: bool,
    entries: Vec<(String, audit::Entry)>,
    kinds: Vec<&'static str>,
    selected: String,
    login: String,
}

async fn render(
    identity: &Identity,
    lang: Lang,
    user: &CurrentUser,
    scope: Scope,
    q: JournalQuery,
) -> WebResult<Html<String>> {
    let filter = Filter {
        kind: audit::Kind::parse(&q.kind),
        login: Some(q.login.clone()),
    };
    let entries = audit::list(identity.db(), scope, &filter, SHOWN)
        .await?
        .into_iter()
        .map(|e| (kernel::Timestamp(e.at).date_time_fr(), e))
        .collect();
    let region = matches!(scope, Scope::Region(_));
    let body = JournalTemplate {
        t: Tr(lang),
        action: if region {
            "/region/journal"
        } else {
            "/etablissement/journal"
        },
        region,
        entries,
        kinds: audit::Kind::ALL.iter().map(|k| k.code()).collect(),
        selected: filter.kind.map(|k| k.code().to_string()).unwrap_or_default(),
        login: q.login.trim().to_string(),
    };
    web::user_page(lang, user, "tile-journal", &body)
}

/// The school's events, newest first: for its direction and administrative staff.
async fn school_journal(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<JournalQuery>,
) -> WebResult<Html<String>> {
    let school = user
        .context
        .context
        .school()
        .filter(|_| may_administer(&user))
        .ok_or(AppError::Forbidden)?;
    render(&identity, lang, &user, Scope::School(school), q).await
}

/// The region's events, newest first: for region administrators.
async fn region_journal(
    State(identity): State<Identity>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<JournalQuery>,
) -> WebResult<Html<String>> {
    let Context::RegionAdmin { region } = user.context.context else {
        return Err(AppError::Forbidden);
    };
    render(&identity, lang, &user, Scope::Region(region), q).await
}
