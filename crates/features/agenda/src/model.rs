//! The rules of the agenda, without I/O: who an event is for, who may create one, and what a valid
//! event is (a title, a start, an end after it, or whole days).

use jiff::civil::{Date, Time};
use kernel::{Context, Profile, Timestamp, school_tz};
use uuid::Uuid;

pub use directory::audience::{Audience, Group};
pub use web::FieldError;

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 5_000;
pub const MAX_PLACE: usize = 200;

/// The Fluent labels of the audience's groups, in the order of `audience::CODES`.
pub const PUBLIC_LABELS: [&str; 4] = [
    "agenda-public-eleves",
    "agenda-public-parents",
    "agenda-public-enseignants",
    "agenda-public-personnels",
];

/// Who may create events: direction and staff for the whole school, teachers for their classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    School,
    Teacher,
}

pub fn writer(context: &Context) -> Option<Writer> {
    match context.profile()? {
        Profile::Direction | Profile::SchoolLife | Profile::AdminStaff | Profile::Documentalist => {
            Some(Writer::School)
        }
        Profile::Teacher => Some(Writer::Teacher),
        _ => None,
    }
}

/// An event as typed.
#[derive(Debug, Clone, Default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub place: String,
    pub first_day: String,
    pub start_time: String,
    pub last_day: String,
    pub end_time: String,
    pub all_day: bool,
    pub audience: Audience,
    pub classes: Vec<Uuid>,
}

/// A checked event: its instants, and its days (school calendar, last day inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct When {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub first_day: Date,
    pub last_day: Date,
    pub all_day: bool,
}

/// The instant a school day's `time` falls on.
pub fn instant(day: Date, time: Time) -> Timestamp {
    day.to_datetime(time)
        .to_zoned(school_tz())
        .map(|z| Timestamp(z.timestamp().as_millisecond()))
        .unwrap_or(Timestamp(0))
}

fn parse_day(s: &str) -> Option<Date> {
    Date::strptime("%Y-%m-%d", s.trim()).ok()
}

fn parse_time(s: &str) -> Option<Time> {
    Time::strptime("%H:%M", s.trim()).ok()
}

/// Checks an event; the error names the field.
pub fn check(f: &EventForm) -> Result<When, FieldError> {
    let title = f.title.trim();
    if title.is_empty() {
        return Err(FieldError::new("agenda-field-title", "agenda-problem-required"));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(FieldError::new("agenda-field-title", "agenda-problem-too-long").arg("max", MAX_TITLE));
    }
    if f.description.chars().count() > MAX_DESCRIPTION {
        return Err(
            FieldError::new("agenda-field-description", "agenda-problem-too-long")
                .arg("max", MAX_DESCRIPTION),
        );
    }
    if f.place.chars().count() > MAX_PLACE {
        return Err(FieldError::new("agenda-field-place", "agenda-problem-too-long").arg("max", MAX_PLACE));
    }
    if f.audience.is_empty() {
        return Err(FieldError::new(
            "agenda-field-audience",
            "agenda-problem-no-audience",
        ));
    }
    let first_day = parse_day(&f.first_day)
        .ok_or_else(|| FieldError::new("agenda-field-first-day", "agenda-problem-date"))?;
    let last_day = match f.last_day.trim() {
        "" => first_day,
        s => parse_day(s).ok_or_else(|| FieldError::new("agenda-field-last-day", "agenda-problem-date"))?,
    };
    if last_day < first_day {
        return Err(FieldError::new(
            "agenda-field-last-day",
            "agenda-problem-end-before",
        ));
    }
    if f.all_day {
        let after = last_day.tomorrow().unwrap_or(last_day);
        return Ok(When {
            starts_at: instant(first_day, Time::midnight()),
            ends_at: instant(after, Time::midnight()),
            first_day,
            last_day,
            all_day: true,
        });
    }
    let start = parse_time(&f.start_time)
        .ok_or_else(|| FieldError::new("agenda-field-start-time", "agenda-problem-time"))?;
    let end = match f.end_time.trim() {
        "" => None,
        s => Some(
            parse_time(s).ok_or_else(|| FieldError::new("agenda-field-end-time", "agenda-problem-time"))?,
        ),
    };
    let starts_at = instant(first_day, start);
    // Without an end time, an hour.
    let ends_at = match end {
        Some(end) => instant(last_day, end),
        None => starts_at.plus_secs(3_600),
    };
    if ends_at <= starts_at {
        return Err(FieldError::new(
            "agenda-field-end-time",
            "agenda-problem-end-before",
        ));
    }
    Ok(When {
        starts_at,
        ends_at,
        first_day,
        last_day,
        all_day: false,
    })
}

/// "mardi 8 septembre 2026 à 18:00" style pieces, school time: the day and the time.
pub fn day_and_time(ts: Timestamp) -> (Date, String) {
    match jiff::Timestamp::from_millisecond(ts.0) {
        Ok(t) => {
            let z = t.to_zoned(school_tz());
            (z.date(), z.strftime("%H:%M").to_string())
        }
        Err(_) => (Date::default(), String::new()),
    }
}

/// "08/09/2026".
pub fn day_fr(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn form() -> EventForm {
        EventForm {
            title: "Réunion parents-professeurs".into(),
            first_day: "2026-09-15".into(),
            start_time: "18:00".into(),
            end_time: "20:00".into(),
            audience: Audience::from_codes(["parents"]),
            ..EventForm::default()
        }
    }

    #[test]
    fn times_are_school_time() {
        let w = check(&form()).unwrap();
        // 18:00 in Paris in September is 16:00 UTC.
        assert_eq!(
            kernel::ics::utc(jiff::Timestamp::from_millisecond(w.starts_at.0).unwrap()),
            "20260915T160000Z"
        );
        assert_eq!(w.ends_at.0 - w.starts_at.0, 2 * 3_600_000);
    }

    #[test]
    fn whole_days_end_the_morning_after_the_last_day() {
        let mut f = form();
        f.all_day = true;
        f.last_day = "2026-09-16".into();
        let w = check(&f).unwrap();
        assert_eq!(w.ends_at.0 - w.starts_at.0, 2 * 86_400_000);
    }

    #[test]
    fn the_error_names_the_field() {
        let mut f = form();
        f.end_time = "17:00".into();
        assert_eq!(check(&f).unwrap_err().field, "agenda-field-end-time");
        let mut f = form();
        f.first_day = "15/09".into();
        assert_eq!(check(&f).unwrap_err().field, "agenda-field-first-day");
        let mut f = form();
        f.audience = Audience::default();
        assert_eq!(check(&f).unwrap_err().field, "agenda-field-audience");
    }
}
