//! Pages of grades (`/notes…`): the marks of a student (students, parents), a teacher's evaluations and
//! their grid, the common-core summaries, the periods and settings; and the two small files they use
//! (the grid's keyboard script, the grade tables' styles).

mod competences;
mod evaluations;
mod grille;
mod notes;
mod periodes;

use axum::Router;
use axum::extract::Form;
use axum::routing::{get, post};
use directory::model::Person;
use kernel::Profile;
use uuid::Uuid;
use web::{AppError, CurrentUser, Tr, WebResult};

use crate::Grades;
use crate::averages::{NrPolicy, Outcome, Spread};
use crate::exact::Ratio;
use crate::model::{self, FieldError, Period};
use crate::skills::{Component, Level};

pub fn tiles() -> Vec<web::Tile> {
    vec![
        web::Tile {
            id: "notes",
            name_key: "tile-grades",
            desc_key: "tile-grades-desc",
            href: "/notes",
            visible: |c| {
                matches!(
                    c.profile(),
                    Some(
                        Profile::Student
                            | Profile::Guardian
                            | Profile::Teacher
                            | Profile::Direction
                            | Profile::AdminStaff
                    )
                )
            },
        },
        web::Tile {
            id: "bulletins",
            name_key: "tile-report-cards",
            desc_key: "tile-report-cards-desc",
            href: "/bulletins",
            visible: |c| {
                matches!(
                    c.profile(),
                    Some(Profile::Student | Profile::Guardian | Profile::Teacher | Profile::Direction)
                )
            },
        },
    ]
}

pub fn routes() -> Router<Grades> {
    Router::new()
        .route("/notes", get(notes::home))
        .route("/notes/evaluations", get(evaluations::list))
        .route(
            "/notes/evaluations/nouvelle",
            get(evaluations::new_form).post(evaluations::create),
        )
        .route("/notes/evaluations/{id}", get(grille::page).post(grille::save))
        .route("/notes/evaluations/{id}/publier", post(grille::publish))
        .route(
            "/notes/evaluations/{id}/modifier",
            get(evaluations::edit_form).post(evaluations::update),
        )
        .route("/notes/evaluations/{id}/supprimer", post(evaluations::delete))
        .route("/notes/competences", get(competences::page))
        .route(
            "/notes/periodes",
            get(periodes::page).post(periodes::save_periods),
        )
        .route("/notes/reglages", post(periodes::save_settings))
}

/// A posted urlencoded form, fields in order (a name may repeat: checkboxes).
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn of(Form(f): Form<Vec<(String, String)>>) -> Fields {
        Fields(f)
    }

    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Checks the form's CSRF token against the session's.
    pub fn checked(self, user: &CurrentUser) -> WebResult<Fields> {
        user.check_csrf(&self.one(web::csrf::FIELD))?;
        Ok(self)
    }
}

/// An id in a path or a query: junk is a 404, like an id that is not one's own.
pub(crate) fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) fn optional_id(s: &Option<String>) -> WebResult<Option<Uuid>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_id(s).map(Some),
    }
}

/// `?eleve=&periode=&classe=`: which child, period or class a page is about.
#[derive(serde::Deserialize, Default)]
pub(crate) struct Choice {
    eleve: Option<String>,
    periode: Option<String>,
    classe: Option<String>,
    enregistre: Option<String>,
}

impl Choice {
    pub fn child(&self) -> WebResult<Option<Uuid>> {
        optional_id(&self.eleve)
    }

    pub fn period(&self) -> WebResult<Option<Uuid>> {
        optional_id(&self.periode)
    }

    pub fn class(&self) -> WebResult<Option<Uuid>> {
        optional_id(&self.classe)
    }

    pub fn saved(&self) -> bool {
        self.enregistre.is_some()
    }
}

pub(crate) use web::form_page as answer;

/// "Titre : ce champ est obligatoire." in the page's language.
pub(crate) fn field_message(t: Tr, e: &FieldError) -> String {
    e.message(t.0)
}

/// Formatting helpers for templates, in the page's language.
#[derive(Clone, Copy)]
pub(crate) struct Fmt(pub Tr);

impl Fmt {
    /// "02/09/2026".
    pub fn day(&self, day: &str) -> String {
        model::day_fr(day)
    }

    /// "12,35", or "non noté".
    pub fn avg(&self, r: &Option<Ratio>) -> String {
        match r {
            Some(r) => r.fr(),
            None => self.0.get("gr-no-average"),
        }
    }

    pub fn ratio(&self, r: &Ratio) -> String {
        r.fr()
    }

    /// A mark on its scale as families read it ("12,5/20"), or what the code means ("Absent").
    pub fn outcome(&self, o: &Option<Outcome>, scale: &i32) -> String {
        match o {
            Some(Outcome::Mark(m)) => format!("{}/{scale}", model::points_fr(*m)),
            Some(Outcome::Absent) => self.0.get("gr-code-abs"),
            Some(Outcome::Exempt) => self.0.get("gr-code-disp"),
            Some(Outcome::NotHandedIn) => self.0.get("gr-code-nr"),
            None => self.0.get("gr-not-entered"),
        }
    }

    /// A value of an evaluation's spread, in points with hundredths ("11,25").
    pub fn points(&self, s: &Option<Spread>, which: &str) -> String {
        match s {
            Some(s) => match which {
                "min" => s.min.fr(),
                "max" => s.max.fr(),
                _ => s.average.fr(),
            },
            None => "–".into(),
        }
    }

    pub fn coefficient(&self, hundredths: &u32) -> String {
        model::points_fr(*hundredths)
    }

    pub fn component(&self, c: &Component) -> String {
        self.0.get(c.label_key())
    }

    pub fn level(&self, l: &Level) -> String {
        self.0.get(l.label_key())
    }

    pub fn level_short(&self, l: &Level) -> String {
        self.0.get(l.short_key())
    }

    pub fn nr_rule(&self, nr: &NrPolicy) -> String {
        match nr {
            NrPolicy::Zero => self.0.get("gr-nr-zero"),
            NrPolicy::NotCounted => self.0.get("gr-nr-not-counted"),
        }
    }

    pub fn period_link(&self, p: &Period, child: &Option<Uuid>) -> String {
        match child {
            Some(c) => format!("?periode={}&eleve={c}", p.id),
            None => format!("?periode={}", p.id),
        }
    }

    /// "Prénom Nom".
    pub fn name(&self, p: &Person) -> String {
        format!("{} {}", p.first_name, p.last_name)
    }
}

/// The marks grid's keyboard script.
pub(crate) fn script_url() -> &'static str {
    web::assets::url("saisie.js")
}

/// The grades pages' styles.
pub(crate) fn css_url() -> &'static str {
    web::assets::url("notes.css")
}
