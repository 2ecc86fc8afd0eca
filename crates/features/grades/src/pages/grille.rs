//! `/notes/evaluations/{id}`: for its teacher, the marks grid (one input per student, keyboard-first,
//! with `saisie.js` for Enter/arrows and pasting a column); for a student or parent, the published
//! evaluation with their result and the class's average, min and max.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use directory::model::Person;
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Choice, Fields, Fmt, answer, css_url, parse_id, script_url};
use crate::Grades;
use crate::family::Seen;
use crate::service::{Error, RowError, Viewer};
use crate::skills::{Component, Level};
use crate::teacher::{Grid, GridRow};

/// A row as the grid shows it: what is stored, or what was typed when the form came back with errors.
struct Shown<'a> {
    row: &'a GridRow,
    mark: String,
    levels: Vec<(Component, Option<Level>)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "notes_grid.html")]
struct GridTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    grid: &'a Grid,
    rows: Vec<Shown<'a>>,
    errors: Vec<(usize, String)>,
    saved: bool,
    css: &'static str,
    script: &'static str,
}

impl GridTemplate<'_> {
    fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    fn is_level(&self, chosen: &Option<Level>, l: &Level) -> bool {
        chosen.as_ref() == Some(l)
    }

    fn status_text(&self) -> String {
        match self.grid.evaluation.row.published_at {
            Some(ms) => self.t.with(
                "gr-published-on",
                "day",
                &crate::model::Day::of(kernel::Timestamp(ms)).fr(),
            ),
            None => self.t.get("gr-draft-hidden"),
        }
    }
}

fn shown<'a>(grid: &'a Grid, typed: Option<&Fields>, errors: &[RowError], t: Tr) -> Vec<Shown<'a>> {
    grid.rows
        .iter()
        .map(|row| {
            let sid = row.student.id;
            let (mark, levels) = match typed {
                Some(f) => (
                    f.one(&format!("note.{sid}")),
                    grid.evaluation
                        .components
                        .iter()
                        .map(|c| {
                            let v = f.one(&format!("comp.{sid}.{}", c.slug()));
                            (*c, v.trim().parse().ok().and_then(Level::of_number))
                        })
                        .collect(),
                ),
                None => (
                    row.mark.clone(),
                    grid.evaluation
                        .components
                        .iter()
                        .copied()
                        .zip(row.levels.iter().copied())
                        .collect(),
                ),
            };
            Shown {
                row,
                mark,
                levels,
                error: errors
                    .iter()
                    .find(|e| e.student == sid)
                    .map(|e| e.msg().render(t.0)),
            }
        })
        .collect()
}

async fn render_grid(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    id: Uuid,
    typed: Option<&Fields>,
    errors: &[RowError],
    saved: bool,
) -> WebResult<Response> {
    let grid = g.grid(&Viewer::of(user)?, id).await?;
    let t = Tr(lang);
    let rows = shown(&grid, typed, errors, t);
    let body = GridTemplate {
        t,
        f: Fmt(t),
        csrf: &user.csrf_token,
        errors: errors.iter().map(|e| (e.row, e.msg().render(lang))).collect(),
        rows,
        grid: &grid,
        saved,
        css: css_url(),
        script: script_url(),
    };
    answer(lang, user, &grid.evaluation.row.title, &body, !errors.is_empty())
}

#[derive(Template)]
#[template(path = "notes_seen.html")]
struct SeenTemplate<'a> {
    t: Tr,
    f: Fmt,
    seen: &'a Seen,
    child: Option<&'a Person>,
    css: &'static str,
}

pub(crate) async fn page(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(c): Query<Choice>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let v = Viewer::of(&user)?;
    match v.profile {
        Profile::Student | Profile::Guardian => {
            let (seen, child) = g.seen_evaluation(&v, id, c.child()?).await?;
            let body = SeenTemplate {
                t: Tr(lang),
                f: Fmt(Tr(lang)),
                seen: &seen,
                child: child.as_ref().filter(|_| v.profile == Profile::Guardian),
                css: css_url(),
            };
            answer(lang, &user, &seen.evaluation.row.title, &body, false)
        }
        _ => render_grid(&g, lang, &user, id, None, &[], c.saved()).await,
    }
}

/// Saves the grid; with `action=publier`, publishes it too once saved.
pub(crate) async fn save(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let fields = Fields::of(form).checked(&user)?;
    let v = Viewer::of(&user)?;
    match g.save_results(&v, id, &fields.0).await {
        Ok(()) => {
            if fields.one("action") == "publier" {
                g.publish(&v, id).await?;
            }
            Ok(Redirect::to(&format!("/notes/evaluations/{id}?enregistre=1")).into_response())
        }
        Err(Error::Marks(errors)) => render_grid(&g, lang, &user, id, Some(&fields), &errors, false).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn publish(
    State(g): State<Grades>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    Fields::of(form).checked(&user)?;
    g.publish(&Viewer::of(&user)?, id).await?;
    Ok(Redirect::to(&format!("/notes/evaluations/{id}")).into_response())
}
