//! Pages of the cahier de textes (`/cahier…`) and of homework (`/devoirs…`), and file downloads.

mod cahier;
mod devoirs;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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
        .route("/cahier/seance", get(cahier::seance).post(cahier::save_entry))
        .route("/cahier/seance/devoir", post(cahier::add_homework))
        .route("/cahier/lecteurs", get(cahier::readers).post(cahier::grant))
        .route("/cahier/lecteurs/retirer", post(cahier::revoke))
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

    /// Checks the form's CSRF token against the session.
    pub fn check_csrf(&self, user: &CurrentUser) -> WebResult<()> {
        user.check_csrf(&self.one(web::csrf::FIELD))
    }
}

/// "Titre : ce champ est obligatoire." in the page's language.
pub(crate) fn field_message(t: Tr, e: &FieldError) -> String {
    let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    format!("{} : {}", t.get(e.field), web::i18n::text(t.0, e.problem, &args))
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
    let id: Uuid = id.parse().map_err(|_| web::AppError::NotFound)?;
    let v = Viewer::of(&user)?;
    let (file, bytes) = hw.download(&v, id).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&file.file_name)) {
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

/// `attachment; filename="copie.pdf"; filename*=UTF-8''copie.pdf` (an ASCII fallback and the real name).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn downloads_keep_their_name_and_stay_attachments() {
        assert_eq!(
            super::content_disposition("copie élève.pdf"),
            "attachment; filename=\"copie _l_ve.pdf\"; filename*=UTF-8''copie%20%C3%A9l%C3%A8ve.pdf"
        );
    }
}
