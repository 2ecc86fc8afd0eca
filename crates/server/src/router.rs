//! Mounts every crate's routes behind the shared layers (request id, tracing, security headers,
//! error pages, session, admission control).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, Request, StatusCode};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use db::Db;
use directory::Directory;
use identity::Identity;
use portal::Portal;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use web::AppError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The school-life features, each its own crate, mounted side by side.
pub struct Features {
    pub timetable: timetable::Timetable,
    pub homework: homework::Homework,
    pub grades: grades::Grades,
    pub attendance: attendance::Attendance,
    pub notifications: notifications::Notifications,
    pub news: news::News,
    pub agenda: agenda::Agenda,
    pub messaging: messaging::Messaging,
}

pub fn router(
    db: Db,
    identity: Identity,
    sso: sso::Sso,
    features: Features,
    admission: web::admission::Admission,
) -> Router {
    let Features {
        timetable,
        homework,
        grades,
        attendance,
        notifications,
        news,
        agenda,
        messaging,
    } = features;
    let mut tiles = directory::tiles();
    tiles.extend(identity::tiles());
    tiles.extend(timetable::tiles());
    tiles.extend(homework::tiles());
    tiles.extend(grades::tiles());
    tiles.extend(attendance::tiles());
    tiles.extend(messaging::tiles());
    tiles.extend(notifications::tiles());
    tiles.extend(news::tiles());
    tiles.extend(agenda::tiles());
    tiles.extend(import::tiles());
    tiles.extend(sso::tiles());
    let portal = Portal::new(tiles).with_launcher(std::sync::Arc::new(sso.clone()));
    Router::new()
        .merge(portal::routes().with_state(portal))
        .merge(directory::routes().with_state(Directory::new(db.clone())))
        .merge(import::routes().with_state(db.clone()))
        .merge(identity::routes().with_state(identity.clone()))
        .merge(sso::routes().with_state(sso))
        .merge(timetable::routes().with_state(timetable))
        .merge(homework::routes(homework))
        .merge(grades::routes(grades))
        .merge(attendance::routes(attendance))
        .merge(messaging::routes(messaging))
        .merge(notifications::routes(notifications))
        .merge(news::routes(news))
        .merge(agenda::routes(agenda))
        .merge(web::assets::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz).with_state(db))
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(identity.clone(), identity::session_layer))
        // Before the session is resolved: a request turned away costs no database round trip.
        .layer(middleware::from_fn_with_state(
            admission.with_who_asks(std::sync::Arc::new(identity)),
            web::admission::gate,
        ))
        .layer(middleware::from_fn(web::render_error_pages))
        .layer(middleware::from_fn(web::security::headers))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }).on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Ready when the database answers.
async fn readyz(State(db): State<Db>) -> impl IntoResponse {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
