//! Discipline's pages (`/discipline…`): the staff's list and forms, a student's record, what families
//! see, the direction's settings and journal.

mod home;
mod incidents;
mod records;
mod settings;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::model::{self, Day, FieldError, PunishmentKind, PunishmentStatus, Role, SanctionKind, Sursis};
use super::service::Viewer;
use crate::Attendance;

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "discipline",
        name_key: "tile-discipline",
        desc_key: "tile-discipline-desc",
        href: "/discipline",
        visible: |c| {
            matches!(
                c.profile(),
                Some(
                    Profile::Student
                        | Profile::Guardian
                        | Profile::Teacher
                        | Profile::SchoolLife
                        | Profile::Direction
                )
            )
        },
    }]
}

pub fn routes() -> Router<Attendance> {
    Router::new()
        .route("/discipline", get(home::home))
        .route(
            "/discipline/incidents/nouveau",
            get(incidents::new_form).post(incidents::create),
        )
        .route("/discipline/incidents/{id}", get(incidents::show))
        .route(
            "/discipline/incidents/{id}/personnes",
            post(incidents::add_person),
        )
        .route(
            "/discipline/incidents/{id}/personnes/retirer",
            post(incidents::remove_person),
        )
        .route(
            "/discipline/punitions/nouvelle",
            get(records::punishment_form).post(records::give_punishment),
        )
        .route("/discipline/punitions/{id}/etat", post(records::set_status))
        .route(
            "/discipline/sanctions/nouvelle",
            get(records::sanction_form).post(records::decide_sanction),
        )
        .route("/discipline/eleves/{id}", get(records::student))
        .route(
            "/discipline/reglages",
            get(settings::page).post(settings::save_rules),
        )
        .route("/discipline/reglages/types", post(settings::add_type))
        .route("/discipline/reglages/types/{id}", post(settings::set_type_active))
        .route("/discipline/journal", get(settings::journal))
}

/// A posted form's fields (url-encoded or multipart), its CSRF token not checked yet.
pub(crate) struct Post {
    user: CurrentUser,
    fields: Vec<(String, String)>,
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
            fields: web::multipart::fields(&headers, &body),
            user,
        })
    }
}

/// The fields of a checked form.
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }

    /// Every (suffix, value) of the fields named `<prefix><suffix>`.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|s| (s, v.as_str())))
    }
}

impl Post {
    /// Who posts, the fields once the CSRF token matches the session's, and the viewer they act as.
    pub fn checked(self) -> WebResult<(CurrentUser, Fields, Viewer)> {
        let fields = Fields(self.fields);
        self.user.check_csrf(&fields.one(web::csrf::FIELD))?;
        let v = Viewer::of(&self.user)?;
        Ok((self.user, fields, v))
    }
}

/// An id in a path or a form: junk is a 404, like an id that is not one's own.
pub(crate) fn parse_id(s: &str) -> WebResult<Uuid> {
    s.trim().parse().map_err(|_| web::AppError::NotFound)
}

/// An optional id (query string or form).
pub(crate) fn optional_id(s: Option<&str>) -> WebResult<Option<Uuid>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_id(s).map(Some),
    }
}

/// A page of the signed-in person's shell titled by the Fluent key `title`: 422 when it shows a form's
/// error, else 200.
pub(crate) fn answer(
    lang: Lang,
    user: &CurrentUser,
    title: &str,
    body: &impl Template,
    failed: bool,
) -> WebResult<Response> {
    web::form_page(lang, user, &Tr(lang).get(title), body, failed)
}

/// "Durée de l'exclusion (jours) : 8 jours au plus…" in the page's language.
pub(crate) fn field_message(t: Tr, e: &FieldError) -> String {
    e.message(t.0)
}

/// Formatting helpers for templates, in the page's language.
#[derive(Clone, Copy)]
pub(crate) struct Fmt(pub Tr);

impl Fmt {
    /// "02/09/2026".
    pub fn day(&self, day: &str) -> String {
        Day::parse(day).map(Day::fr).unwrap_or_else(|| day.to_string())
    }

    pub fn opt_day(&self, day: &Option<String>) -> String {
        day.as_deref().map(|d| self.day(d)).unwrap_or_default()
    }

    pub fn time(&self, minute: &i32) -> String {
        model::time_fr(*minute)
    }

    pub fn opt_time(&self, minute: &Option<i32>) -> String {
        minute.map(model::time_fr).unwrap_or_default()
    }

    pub fn instant(&self, ms: &i64) -> String {
        match jiff::Timestamp::from_millisecond(*ms) {
            Ok(t) => t
                .to_zoned(model::school_tz())
                .strftime("%d/%m/%Y %H:%M")
                .to_string(),
            Err(_) => String::new(),
        }
    }

    pub fn punishment(&self, code: &str) -> String {
        PunishmentKind::parse(code).map_or(code.to_string(), |k| self.0.get(&k.key()))
    }

    pub fn sanction(&self, code: &str) -> String {
        SanctionKind::parse(code).map_or(code.to_string(), |k| self.0.get(&k.key()))
    }

    pub fn status(&self, code: &str) -> String {
        PunishmentStatus::parse(code).map_or(code.to_string(), |k| self.0.get(&k.key()))
    }

    pub fn role(&self, code: &str) -> String {
        Role::parse(code).map_or(code.to_string(), |k| self.0.get(&k.key()))
    }

    pub fn sursis(&self, code: &str) -> String {
        Sursis::parse(code).map_or(code.to_string(), |k| self.0.get(&k.key()))
    }

    /// "Prénom Nom".
    pub fn name(&self, first: &str, last: &str) -> String {
        format!("{first} {last}")
    }

    /// "Prénom Nom" of a left-joined person, or nothing.
    pub fn opt_name(&self, first: &Option<String>, last: &Option<String>) -> String {
        match (first, last) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            _ => String::new(),
        }
    }

    /// A journal line's detail in words: the kind, state or role it names, else as written.
    pub fn detail(&self, action: &str, detail: &str) -> String {
        match action {
            "punishment_given" => self.punishment(detail),
            "punishment_status" => self.status(detail),
            "sanction_decided" => self.sanction(detail),
            "person_added" | "person_removed" => self.role(detail),
            _ => detail.to_string(),
        }
    }

    /// The Fluent label of an action of the journal.
    pub fn action(&self, code: &str) -> String {
        self.0.get(&format!("dis-action-{code}"))
    }
}

/// The codes and labels of an enum's values, for a `<select>`.
pub(crate) fn options<T: Copy>(
    t: Tr,
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> String,
) -> Vec<(&'static str, String)> {
    all.iter().map(|k| (code(*k), t.get(&key(*k)))).collect()
}
