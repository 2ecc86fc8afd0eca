//! Pages of the cahier de textes (`/cahier…`) and of homework (`/devoirs…`), and file downloads.

mod cahier;
mod devoirs;
mod lecteurs;
mod seance;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use directory::model::Person;
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Tr, WebResult};

use crate::model::{self, FieldError, WorkStatus};
use crate::service::{Homework, Upload, Viewer};

pub fn tiles() -> Vec<web::Tile> {
    vec![
        web::Tile {
            id: "devoirs",
            name_key: "tile-homework",
            desc_key: "tile-homework-desc",
            href: "/devoirs",
            visible: |c| {
                matches!(
                    c.profile(),
                    Some(Profile::Student | Profile::Guardian | Profile::Teacher)
                )
            },
        },
        web::Tile {
            id: "cahier",
            name_key: "tile-logbook",
            desc_key: "tile-logbook-desc",
            href: "/cahier",
            visible: |c| c.school().is_some(),
        },
    ]
}

pub fn routes(state: Homework) -> Router {
    // A form carries at most MAX_FILES_PER_FORM files of the configured size, plus its fields.
    let limit = (state.max_upload_bytes() as usize)
        .saturating_mul(model::MAX_FILES_PER_FORM)
        .saturating_add(256 * 1024);
    Router::new()
        .route("/devoirs", get(devoirs::list))
        .route("/devoirs/{id}", get(devoirs::page))
        .route("/devoirs/{id}/fait", post(devoirs::done))
        .route("/devoirs/{id}/rendre", post(devoirs::hand_in))
        .route("/devoirs/{id}/corriger/{student}", post(devoirs::correct))
        .route("/devoirs/{id}/corrige", post(devoirs::common))
        .route("/devoirs/{id}/supprimer", post(devoirs::delete))
        .route("/devoirs/fichiers/{id}", get(download))
        .route("/cahier", get(cahier::home))
        .route("/cahier/classe/{id}", get(cahier::class_log))
        .route("/cahier/seance", get(seance::seance).post(seance::save_entry))
        .route("/cahier/seance/devoir", post(seance::add_homework))
        .route("/cahier/lecteurs", get(lecteurs::readers).post(lecteurs::grant))
        .route("/cahier/lecteurs/retirer", post(lecteurs::revoke))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// A posted form: its text fields and its chosen files (inputs named `files`).
pub(crate) struct Posted {
    fields: Vec<(String, String)>,
    pub uploads: Vec<Upload>,
}

impl Posted {
    pub fn read(headers: &axum::http::HeaderMap, body: &[u8]) -> Posted {
        Posted {
            fields: web::multipart::fields(headers, body),
            uploads: web::multipart::files(headers, body)
                .into_iter()
                .filter(|p| p.name == "files")
                .map(|p| Upload {
                    file_name: p.file_name.clone().unwrap_or_default(),
                    bytes: p.data.to_vec(),
                })
                .collect(),
        }
    }

    pub fn one(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

/// A form the signed-in person posted (its CSRF token not checked yet: see [`Post::checked`]).
pub(crate) struct Post {
    user: CurrentUser,
    form: Posted,
}

impl<S: Send + Sync> FromRequest<S> for Post {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Post {
            form: Posted::read(&headers, &body),
            user,
        })
    }
}

impl Post {
    /// Who posts, the form once its CSRF token matches the session's, and the viewer they act as.
    pub fn checked(self) -> WebResult<(CurrentUser, Posted, Viewer)> {
        self.user.check_csrf(&self.form.one(web::csrf::FIELD))?;
        let v = Viewer::of(&self.user)?;
        Ok((self.user, self.form, v))
    }
}

/// An id in a path or a form: junk is a 404, like an id that is not one's own.
pub(crate) fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| web::AppError::NotFound)
}

/// An optional id from the query string.
pub(crate) fn optional_id(s: &Option<String>) -> WebResult<Option<Uuid>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_id(s).map(Some),
    }
}

/// `?eleve=`: which of a guardian's children the page is about.
#[derive(serde::Deserialize)]
pub(crate) struct ChildParam {
    eleve: Option<String>,
}

impl ChildParam {
    pub fn child(&self) -> WebResult<Option<Uuid>> {
        optional_id(&self.eleve)
    }
}

/// "Prénom Nom", as the pages name a person.
pub(crate) trait FullName {
    fn name(&self) -> String;
}

impl FullName for Person {
    fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

pub(crate) use web::form_page as answer;

/// "Titre : ce champ est obligatoire." in the page's language.
pub(crate) fn field_message(t: Tr, e: &FieldError) -> String {
    e.message(t.0)
}

/// Formatting helpers for templates (dates, durations, statuses) in the page's language.
#[derive(Clone, Copy)]
pub(crate) struct Fmt(pub Tr);

impl Fmt {
    /// "mercredi 09/09/2026".
    pub fn day(&self, day: &str) -> String {
        match model::Day::parse(day) {
            Some(d) => format!(
                "{} {}",
                self.0.get(&format!("hw-weekday-{}", d.weekday())),
                d.fr()
            ),
            None => day.to_string(),
        }
    }

    pub fn instant(&self, ms: &Option<i64>) -> String {
        ms.map(|ms| model::instant_fr(kernel::Timestamp(ms)))
            .unwrap_or_default()
    }

    pub fn minutes(&self, m: &Option<i32>) -> String {
        m.map(model::duration_fr).unwrap_or_default()
    }

    pub fn status(&self, s: &WorkStatus) -> String {
        self.0.get(s.key())
    }

    pub fn status_class(&self, s: &WorkStatus) -> &'static str {
        match s {
            WorkStatus::OnTime => "status-ok",
            WorkStatus::Late => "status-late",
            WorkStatus::Missing => "status-missing",
        }
    }

    /// A query-string value.
    pub fn enc(&self, s: &str) -> String {
        web::url_encode(s)
    }

    pub fn optional_status(&self, s: &Option<WorkStatus>) -> String {
        s.map(|s| self.0.get(s.key())).unwrap_or_default()
    }
}

/// Sends a file as an attachment, after the same checks as what it belongs to.
async fn download(
    State(hw): State<Homework>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let (file, bytes) = hw.download(&v, parse_id(&id)?).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&web::file_name::content_disposition(&file.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
