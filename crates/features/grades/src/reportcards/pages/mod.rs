//! Report-card pages: `/bulletins` (families: download; staff: their classes), the class page, the
//! teacher's appraisal sheet, and the downloads.

mod class;
mod sheet;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use directory::model::Person;
use directory::store as dir;
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::model::{self, Mention};
use super::print;
use super::service::{ReportCards, field_msg};
use super::store::{self, CardRow};
use crate::Grades;
use crate::model::{FieldError, Period};
use crate::service::Viewer;

pub fn routes() -> Router<Grades> {
    Router::new()
        .route("/bulletins", get(home))
        .route("/bulletins/fichier/{id}", get(download))
        .route("/bulletins/classe/{class}/{period}", get(class::page))
        .route(
            "/bulletins/classe/{class}/{period}/appreciations",
            post(class::save_general),
        )
        .route(
            "/bulletins/classe/{class}/{period}/conseil",
            post(class::save_council),
        )
        .route(
            "/bulletins/classe/{class}/{period}/generer",
            post(class::generate),
        )
        .route("/bulletins/classe/{class}/{period}/publier", post(class::publish))
        .route(
            "/bulletins/appreciations/{class}/{period}/{subject}",
            get(sheet::page).post(sheet::save),
        )
}

/// An id in a path: junk is a 404, like an id that is not one's own.
fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| web::AppError::NotFound)
}

fn service(g: &Grades) -> ReportCards {
    ReportCards::new(g.clone())
}

use web::form_page as answer;

/// "Appréciation de Léa Dupont : 412 caractères, 400 au plus." for each field in error.
fn messages(lang: Lang, errors: &[FieldError]) -> Vec<String> {
    let t = Tr(lang);
    errors
        .iter()
        .map(|e| format!("{} : {}", t.get(e.field), field_msg(e).render(lang)))
        .collect()
}

/// Formatting helpers for templates, in the page's language.
#[derive(Clone, Copy)]
pub(crate) struct Fmt(pub Tr);

impl Fmt {
    /// An average with a decimal comma (« 12,35 »), « — » for none.
    pub fn avg(&self, h: &Option<u64>) -> String {
        print::average(*h)
    }

    /// « 14/12/2026 10:30 ».
    pub fn when(&self, ms: &i64) -> String {
        match jiff::Timestamp::from_millisecond(*ms) {
            Ok(t) => t
                .to_zoned(crate::model::school_tz())
                .strftime("%d/%m/%Y %H:%M")
                .to_string(),
            Err(_) => String::new(),
        }
    }

    pub fn mention(&self, m: &Option<Mention>) -> String {
        match m {
            Some(m) => self.0.get(m.label_key()),
            None => self.0.get("rc-mention-none"),
        }
    }

    pub fn name(&self, p: &Person) -> String {
        format!("{} {}", p.first_name, p.last_name)
    }

    /// « 12 / 400 caractères ».
    pub fn counter(&self, text: &str, max: &usize) -> String {
        let n = text.chars().count().to_string();
        web::i18n::text(self.0.0, "rc-counter", &[("n", n), ("max", max.to_string())])
    }

    /// The same sentence with `{n}` and `{max}` left for the page's script to fill in.
    pub fn counter_template(&self) -> String {
        web::i18n::text(
            self.0.0,
            "rc-counter",
            &[("n", "{n}".into()), ("max", "{max}".into())],
        )
    }

    pub fn size(&self, bytes: &i64) -> String {
        blob::human_size(u64::try_from(*bytes).unwrap_or(0))
    }
}

#[derive(Template)]
#[template(path = "reportcards/family.html")]
struct FamilyTemplate {
    t: Tr,
    f: Fmt,
    /// Each child (or the student themself) with their published report cards, newest first.
    people: Vec<(Person, Vec<CardRow>)>,
}

/// A class the viewer works with, and what they do there.
struct StaffClass {
    id: Uuid,
    name: String,
    head: bool,
    /// (code, label) of the subjects the viewer teaches there.
    subjects: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "reportcards/staff.html")]
struct StaffTemplate {
    t: Tr,
    direction: bool,
    periods: Vec<Period>,
    classes: Vec<StaffClass>,
    /// Classes and periods with report cards: (class, class name, period, period label).
    archive: Vec<(Uuid, String, Uuid, String)>,
}

async fn staff_classes(g: &Grades, v: &Viewer) -> WebResult<Vec<StaffClass>> {
    let db = g.db();
    if v.profile == Profile::Direction {
        return Ok(dir::classes_of_school(db, v.school)
            .await?
            .into_iter()
            .filter(|c| c.kind == "classe")
            .map(|c| StaffClass {
                id: c.id,
                name: c.name,
                head: false,
                subjects: vec![],
            })
            .collect());
    }
    let heads = dir::head_teacher_classes(db, v.school, v.user).await?;
    let mut out: Vec<StaffClass> = vec![];
    for t in dir::teachings_of(db, v.school, v.user).await? {
        match out.iter_mut().find(|c| c.id == t.class_id) {
            Some(c) => c.subjects.push((t.subject_code, t.subject_label)),
            None => out.push(StaffClass {
                id: t.class_id,
                name: t.class_name,
                head: heads.contains(&t.class_id),
                subjects: vec![(t.subject_code, t.subject_label)],
            }),
        }
    }
    for id in heads {
        if !out.iter().any(|c| c.id == id)
            && let Some(c) = dir::class(db, v.school, kernel::ClassId(id)).await?
        {
            out.push(StaffClass {
                id,
                name: c.name,
                head: true,
                subjects: vec![],
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `/bulletins`: families download their published report cards; staff open their classes.
async fn home(State(g): State<Grades>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let rc = service(&g);
    let t = Tr(lang);
    let title = t.get("rc-title");
    match v.profile {
        Profile::Student | Profile::Guardian => {
            let (people, cards) = rc.family_cards(&v).await?;
            let people = people
                .into_iter()
                .map(|p| {
                    let own = cards.iter().filter(|c| c.student_id == p.id).cloned().collect();
                    (p, own)
                })
                .collect();
            answer(
                lang,
                &user,
                &title,
                &FamilyTemplate { t, f: Fmt(t), people },
                false,
            )
        }
        _ => {
            let direction = v.profile == Profile::Direction;
            let body = StaffTemplate {
                t,
                direction,
                periods: rc.periods(v.school).await?,
                classes: staff_classes(&g, &v).await?,
                archive: if direction {
                    store::archive(g.db(), v.school).await?
                } else {
                    vec![]
                },
            };
            answer(lang, &user, &title, &body, false)
        }
    }
}

/// Sends a report card's PDF, after the checks of `ReportCards::download`.
async fn download(State(g): State<Grades>, user: CurrentUser, Path(id): Path<String>) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let (card, bytes) = service(&g).download(&v, parse_id(&id)?).await?;
    let name = model::file_name(&card.period_label, &card.last_name, &card.first_name);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
