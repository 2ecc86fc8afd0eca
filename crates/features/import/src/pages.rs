//! The region administrators' view of directory imports: each run with its counts and rejections.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use db::Db;
use sea_query::{Alias, Order, Query};
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::apply::Report;

pub fn routes() -> Router<Db> {
    Router::new().route("/region/imports", get(runs))
}

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "imports",
        name_key: "tile-imports",
        desc_key: "tile-imports-desc",
        href: "/region/imports",
        visible: |c| matches!(c, kernel::Context::RegionAdmin { .. }),
    }]
}

struct Run {
    when: String,
    report: Report,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct RunsTemplate {
    t: Tr,
    runs: Vec<Run>,
}

/// The last 20 import runs, newest first.
async fn runs(State(db): State<Db>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    if !matches!(user.context.context, kernel::Context::RegionAdmin { .. }) {
        return Err(AppError::Forbidden);
    }
    let q = Query::select()
        .columns(["started_at", "report"].map(Alias::new))
        .from(Alias::new("import_runs"))
        .order_by(Alias::new("started_at"), Order::Desc)
        .limit(20)
        .to_owned();
    let rows: Vec<(i64, String)> = db.fetch_all(&q).await?;
    let runs = rows
        .into_iter()
        .map(|(at, json)| Run {
            when: kernel::Timestamp(at).date_time_fr(),
            report: serde_json::from_str::<Report>(&json).unwrap_or_default(),
        })
        .collect();
    let body = RunsTemplate { t: Tr(lang), runs };
    web::user_page(lang, &user, "tile-imports", &body)
}
