//! `/notes/periodes`: the school's grading periods (trimesters or semesters) and settings (what NR
//! counts, the subjects' coefficients). School staff read them; the direction and the administration
//! change them.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::Profile;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use super::{Choice, Fields, Fmt, answer, field_message, optional_id};
use crate::Grades;
use crate::averages::NrPolicy;
use crate::model::{self, MAX_PERIODS, Period, PeriodRow};
use crate::service::{Error, Settings, Viewer};

#[derive(Template)]
#[template(path = "notes_periods.html")]
struct PeriodsTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    periods: &'a [Period],
    settings: &'a Settings,
    may_edit: bool,
    /// The form's rows: as stored, or as typed after an error.
    rows: Vec<PeriodRow>,
    /// (code, typed) of the coefficients after an error.
    typed_coefficients: Option<Vec<(String, String)>>,
    nr_zero: bool,
    errors: Vec<String>,
    saved: bool,
    css: &'static str,
}

impl PeriodsTemplate<'_> {
    fn coefficient_value(&self, code: &str, hundredths: &u32) -> String {
        match &self.typed_coefficients {
            Some(typed) => typed
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            None => model::points_fr(*hundredths),
        }
    }

    fn row_id(&self, r: &PeriodRow) -> String {
        r.id.map(|id| id.to_string()).unwrap_or_default()
    }
}

/// Staff only: families have nothing to see here.
fn staff(user: &CurrentUser) -> WebResult<Viewer> {
    let v = Viewer::of(user)?;
    if matches!(v.profile, Profile::Student | Profile::Guardian) {
        return Err(AppError::NotFound);
    }
    Ok(v)
}

struct Typed {
    rows: Option<Vec<PeriodRow>>,
    coefficients: Option<Vec<(String, String)>>,
    nr_zero: Option<bool>,
    errors: Vec<String>,
}

async fn render(
    g: &Grades,
    lang: Lang,
    user: &CurrentUser,
    typed: Typed,
    saved: bool,
) -> WebResult<Response> {
    let v = staff(user)?;
    let periods = g.periods(v.school).await?;
    let settings = g.settings(v.school).await?;
    let mut rows = typed.rows.unwrap_or_else(|| {
        periods
            .iter()
            .map(|p| PeriodRow {
                id: Some(p.id),
                label: p.label.clone(),
                start: p.start.to_string(),
                end: p.end.to_string(),
            })
            .collect()
    });
    while rows.len() < MAX_PERIODS {
        rows.push(PeriodRow::default());
    }
    let failed = !typed.errors.is_empty();
    let body = PeriodsTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        periods: &periods,
        settings: &settings,
        may_edit: model::may_edit_settings(v.profile),
        rows,
        typed_coefficients: typed.coefficients,
        nr_zero: typed.nr_zero.unwrap_or(settings.nr == NrPolicy::Zero),
        errors: typed.errors,
        saved,
        css: super::css_url(),
    };
    answer(lang, user, &Tr(lang).get("gr-periods-title"), &body, failed)
}

pub(crate) async fn page(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Query(c): Query<Choice>,
) -> WebResult<Response> {
    let typed = Typed {
        rows: None,
        coefficients: None,
        nr_zero: None,
        errors: vec![],
    };
    render(&g, lang, &user, typed, c.saved()).await
}

pub(crate) async fn save_periods(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = Fields::of(form).checked(&user)?;
    let v = staff(&user)?;
    let mut rows = vec![];
    for i in 1..=MAX_PERIODS {
        rows.push(PeriodRow {
            id: optional_id(&Some(f.one(&format!("id{i}"))))?,
            label: f.one(&format!("label{i}")),
            start: f.one(&format!("start{i}")),
            end: f.one(&format!("end{i}")),
        });
    }
    let errors = match g.save_periods(&v, &rows).await {
        Ok(()) => return Ok(Redirect::to("/notes/periodes?enregistre=1").into_response()),
        Err(Error::Fields(errors)) => errors,
        Err(Error::Invalid(e)) => vec![e],
        Err(e) => return Err(e.into()),
    };
    let t = Tr(lang);
    let typed = Typed {
        rows: Some(rows),
        coefficients: None,
        nr_zero: None,
        errors: errors.iter().map(|e| field_message(t, e)).collect(),
    };
    render(&g, lang, &user, typed, false).await
}

pub(crate) async fn save_settings(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    form: Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = Fields::of(form).checked(&user)?;
    let v = staff(&user)?;
    let nr = if f.one("nr") == "non_compte" {
        NrPolicy::NotCounted
    } else {
        NrPolicy::Zero
    };
    let coefficients: Vec<(String, String)> =
        f.0.iter()
            .filter_map(|(k, val)| Some((k.strip_prefix("coef.")?.to_string(), val.clone())))
            .collect();
    let errors = match g.save_settings(&v, nr, &coefficients).await {
        Ok(()) => return Ok(Redirect::to("/notes/periodes?enregistre=1").into_response()),
        Err(Error::Fields(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let t = Tr(lang);
    let typed = Typed {
        rows: None,
        coefficients: Some(coefficients),
        nr_zero: Some(nr == NrPolicy::Zero),
        errors: errors.iter().map(|e| field_message(t, e)).collect(),
    };
    render(&g, lang, &user, typed, false).await
}
