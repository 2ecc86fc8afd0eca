//! The school year's calendar page: the staff read it (zone, first and last days, holidays, A/B weeks);
//! the direction and administration adjust it for their school (a local day off, another last day).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use kernel::SchoolId;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::calendar::{Calendar, Holiday, add_days, monday_of, parse_day};
use crate::model;
use crate::pages::day_label;
use crate::service::Timetable;

pub fn routes() -> Router<Timetable> {
    Router::new().route("/edt/calendrier", get(page).post(save))
}

struct Week {
    label: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "timetable_calendar.html")]
struct CalendarTemplate {
    t: Tr,
    csrf_token: String,
    calendar: Calendar,
    first: String,
    last: String,
    holidays: Vec<(String, String, String)>,
    weeks: Vec<Week>,
    may_edit: bool,
    first_day: String,
    last_day: String,
    lines: String,
    errors: Vec<String>,
    saved: bool,
}

fn staff_school(user: &CurrentUser) -> Result<SchoolId, AppError> {
    if !model::is_school_staff_ctx(&user.context.context) {
        return Err(AppError::NotFound);
    }
    user.context.context.school().ok_or(AppError::NotFound)
}

/// One holiday a line: `first;last;label` (days `AAAA-MM-JJ`), as the form shows them.
fn lines_of(c: &Calendar) -> String {
    c.holidays
        .iter()
        .map(|h| format!("{};{};{}", h.first, h.last, h.label))
        .collect::<Vec<_>>()
        .join("\n")
}

#[allow(clippy::too_many_arguments)] // the page and the form as typed
fn render(
    lang: Lang,
    user: &CurrentUser,
    calendar: Calendar,
    typed: Option<(String, String, String)>,
    errors: Vec<String>,
    saved: bool,
) -> WebResult<Html<String>> {
    let t = Tr(lang);
    let mut weeks = vec![];
    let mut week = monday_of(calendar.first_day);
    while week <= calendar.last_day {
        let kind = match calendar.week_kind(week) {
            Some(k) => k.code().to_string(),
            None => t.get("timetable-calendar-no-school"),
        };
        weeks.push(Week {
            label: day_label(&t, week),
            kind,
        });
        week = add_days(week, 7);
    }
    let (first_day, last_day, lines) = typed.unwrap_or_else(|| {
        (
            calendar.first_day.to_string(),
            calendar.last_day.to_string(),
            lines_of(&calendar),
        )
    });
    let body = CalendarTemplate {
        csrf_token: user.csrf_token.clone(),
        first: day_label(&t, calendar.first_day),
        last: day_label(&t, calendar.last_day),
        holidays: calendar
            .holidays
            .iter()
            .map(|h| (day_label(&t, h.first), day_label(&t, h.last), h.label.clone()))
            .collect(),
        weeks,
        may_edit: model::may_edit_calendar(&user.context.context),
        first_day,
        last_day,
        lines,
        errors,
        saved,
        calendar,
        t,
    };
    web::user_page(lang, user, "timetable-calendar-title", &body)
}

async fn page(State(tt): State<Timetable>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let school = staff_school(&user)?;
    let calendar = (*tt.calendar(school, tt.today()).await?).clone();
    render(lang, &user, calendar, None, vec![], false)
}

#[derive(serde::Deserialize)]
struct CalendarForm {
    csrf_token: String,
    first_day: String,
    last_day: String,
    holidays: String,
}

/// Reads the form: every wrong line is named; `None` fields mean errors were found.
fn read(zone: &str, f: &CalendarForm) -> Result<Calendar, Vec<String>> {
    let mut errors = vec![];
    let first_day = parse_day(&f.first_day);
    let last_day = parse_day(&f.last_day);
    if first_day.is_none() {
        errors.push(format!(
            "Premier jour : « {} » n'est pas une date AAAA-MM-JJ.",
            f.first_day.trim()
        ));
    }
    if last_day.is_none() {
        errors.push(format!(
            "Dernier jour : « {} » n'est pas une date AAAA-MM-JJ.",
            f.last_day.trim()
        ));
    }
    let mut holidays = vec![];
    for (i, line) in f
        .holidays
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.splitn(3, ';').map(str::trim).collect();
        let n = i + 1;
        match (
            parts.first().and_then(|d| parse_day(d)),
            parts.get(1).and_then(|d| parse_day(d)),
            parts.get(2),
        ) {
            (Some(first), Some(last), Some(label)) if first <= last && !label.is_empty() => {
                holidays.push(Holiday {
                    first,
                    last,
                    label: label.chars().take(80).collect(),
                })
            }
            (Some(first), Some(last), _) if first > last => {
                errors.push(format!("Congés, ligne {n} : le premier jour suit le dernier."))
            }
            _ => errors.push(format!(
                "Congés, ligne {n} : écrivez « AAAA-MM-JJ;AAAA-MM-JJ;libellé » (« {} »).",
                line.trim()
            )),
        }
    }
    match (first_day, last_day) {
        (Some(first_day), Some(last_day)) if errors.is_empty() => {
            if last_day <= first_day {
                return Err(vec!["Dernier jour : il doit suivre le premier jour.".into()]);
            }
            holidays.sort_by_key(|h| h.first);
            Ok(Calendar {
                zone: zone.to_string(),
                first_day,
                last_day,
                holidays,
            })
        }
        _ => Err(errors),
    }
}

async fn save(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(f): axum::extract::Form<CalendarForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let school = staff_school(&user)?;
    if !model::may_edit_calendar(&user.context.context) {
        return Err(AppError::Forbidden);
    }
    let current = tt.calendar(school, tt.today()).await?;
    match read(&current.zone, &f) {
        Ok(calendar) => {
            tt.set_calendar(school, &calendar).await?;
            Ok(render(lang, &user, calendar, None, vec![], true)?.into_response())
        }
        Err(errors) => {
            let page = render(
                lang,
                &user,
                (*current).clone(),
                Some((f.first_day, f.last_day, f.holidays)),
                errors,
                false,
            )?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn form(first: &str, last: &str, holidays: &str) -> CalendarForm {
        CalendarForm {
            csrf_token: String::new(),
            first_day: first.into(),
            last_day: last.into(),
            holidays: holidays.into(),
        }
    }

    #[test]
    fn a_calendar_is_read_with_every_wrong_line_named() {
        let c = read(
            "B",
            &form(
                "2026-09-01",
                "2027-07-03",
                "2026-10-17;2026-11-01;Toussaint\n\n2026-11-11;2026-11-11;Armistice",
            ),
        )
        .unwrap();
        assert_eq!(c.holidays.len(), 2);
        let errors = read(
            "B",
            &form(
                "2026-09-01",
                "hier",
                "2026-10-17;2026-11-01\n2026-11-12;2026-11-11;x",
            ),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].starts_with("Dernier jour"));
        assert!(errors[1].starts_with("Congés, ligne 1"));
        assert!(errors[2].contains("ligne 2 : le premier jour suit le dernier"));
    }
}
