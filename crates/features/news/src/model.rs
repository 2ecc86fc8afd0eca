//! The rules of news, without I/O: who an item is for (profiles of the school, optionally some classes),
//! who may write what, when an item shows, and what a valid item, illustration and attachment are.

use jiff::civil::DateTime;
use kernel::{Context, Profile, Timestamp, school_tz};
use uuid::Uuid;

pub use directory::audience::{Audience, Group};
pub use web::FieldError;

/// Longest title and body accepted (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 50_000;
pub const MAX_ALT: usize = 300;
/// Attachments one item may carry.
pub const MAX_FILES: usize = 5;
/// The largest illustration: an image for a screen, not a poster to print.
pub const MAX_ILLUSTRATION_BYTES: u64 = 2 * 1024 * 1024;

/// Illustrations: the image types every browser shows, recognised by their content.
pub const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Attachments: documents and images a family can open, recognised by their content (an executable
/// renamed `.pdf` is refused).
pub const FILE_TYPES: [&str; 13] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain; charset=utf-8",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "audio/mpeg",
];

/// The Fluent labels of the audience's groups, in the order of `audience::CODES`.
pub const PUBLIC_LABELS: [&str; 4] = [
    "news-public-eleves",
    "news-public-parents",
    "news-public-enseignants",
    "news-public-personnels",
];

/// What a person may write, from the context they act in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// Direction and staff: their school's news, to any of its classes.
    School,
    /// A teacher: news for classes they teach only.
    Teacher,
    /// Local-authority staff: the authority's schools.
    Authority,
    /// A regional administrator: the region's schools.
    Region,
}

pub fn writer(context: &Context) -> Option<Writer> {
    match context {
        Context::RegionAdmin { .. } => Some(Writer::Region),
        Context::School { profile, .. } => match profile {
            Profile::Direction | Profile::SchoolLife | Profile::AdminStaff | Profile::Documentalist => {
                Some(Writer::School)
            }
            Profile::Teacher => Some(Writer::Teacher),
            Profile::AuthorityStaff => Some(Writer::Authority),
            Profile::Student | Profile::Guardian | Profile::Guest => None,
        },
    }
}

/// Whether an item published with this window shows at `now`.
pub fn in_window(from: Timestamp, until: Option<Timestamp>, now: Timestamp) -> bool {
    from <= now && until.is_none_or(|u| now < u)
}

/// A `datetime-local` value that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadInstant;

/// A `datetime-local` value ("2026-09-09T18:00", school time), empty for none.
pub fn parse_instant(s: &str) -> Result<Option<Timestamp>, BadInstant> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let dt = DateTime::strptime("%Y-%m-%dT%H:%M", s)
        .or_else(|_| DateTime::strptime("%Y-%m-%dT%H:%M:%S", s))
        .map_err(|_| BadInstant)?;
    let z = dt.to_zoned(school_tz()).map_err(|_| BadInstant)?;
    Ok(Some(Timestamp(z.timestamp().as_millisecond())))
}

/// "09/09/2026 18:00", school time.
pub fn instant_fr(ts: Timestamp) -> String {
    match jiff::Timestamp::from_millisecond(ts.0) {
        Ok(t) => t.to_zoned(school_tz()).strftime("%d/%m/%Y %H:%M").to_string(),
        Err(_) => String::new(),
    }
}

/// The value of a `datetime-local` input for an instant.
pub fn instant_input(ts: Timestamp) -> String {
    match jiff::Timestamp::from_millisecond(ts.0) {
        Ok(t) => t.to_zoned(school_tz()).strftime("%Y-%m-%dT%H:%M").to_string(),
        Err(_) => String::new(),
    }
}

/// An item as typed, before the files.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub audience: Audience,
    pub classes: Vec<Uuid>,
    pub from: String,
    pub until: String,
    pub pinned: bool,
    pub illustration_alt: String,
}

/// A checked item: title trimmed, the window read.
#[derive(Debug, Clone)]
pub struct Checked {
    pub title: String,
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// Checks what does not need the database. `now` is the default start of the window.
pub fn check(d: &Draft, now: Timestamp, has_illustration: bool) -> Result<Checked, FieldError> {
    let title = d.title.trim();
    if title.is_empty() {
        return Err(FieldError::new("news-field-title", "news-problem-required"));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(FieldError::new("news-field-title", "news-problem-too-long").arg("max", MAX_TITLE));
    }
    if web::rich_text::plain_text(&d.body).trim().is_empty() {
        return Err(FieldError::new("news-field-body", "news-problem-required"));
    }
    if d.body.chars().count() > MAX_BODY {
        return Err(FieldError::new("news-field-body", "news-problem-too-long").arg("max", MAX_BODY));
    }
    if d.audience.is_empty() {
        return Err(FieldError::new("news-field-audience", "news-problem-no-audience"));
    }
    let bad_date = |field| FieldError::new(field, "news-problem-date");
    let from = parse_instant(&d.from)
        .map_err(|_| bad_date("news-field-from"))?
        .unwrap_or(now);
    let until = parse_instant(&d.until).map_err(|_| bad_date("news-field-until"))?;
    if until.is_some_and(|u| u <= from) {
        return Err(FieldError::new("news-field-until", "news-problem-until-before"));
    }
    if has_illustration && d.illustration_alt.trim().is_empty() {
        return Err(FieldError::new("news-field-alt", "news-problem-alt-required"));
    }
    if d.illustration_alt.chars().count() > MAX_ALT {
        return Err(FieldError::new("news-field-alt", "news-problem-too-long").arg("max", MAX_ALT));
    }
    Ok(Checked {
        title: title.to_string(),
        from,
        until,
    })
}

/// The body as safe HTML: a body typed as plain text becomes paragraphs; HTML goes through the
/// allow-list sanitizer.
pub fn body_html(typed: &str) -> String {
    if typed.contains('<') {
        return web::rich_text::sanitize(typed);
    }
    web::rich_text::from_plain(typed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn draft() -> Draft {
        Draft {
            title: "Sortie au musée".into(),
            body: "Départ 8 h".into(),
            audience: Audience::from_codes(["parents"]),
            ..Draft::default()
        }
    }

    #[test]
    fn a_window_opens_at_its_start_and_closes_at_its_end() {
        let (a, b) = (Timestamp(1_000), Timestamp(2_000));
        assert!(!in_window(a, Some(b), Timestamp(999)));
        assert!(in_window(a, Some(b), a));
        assert!(!in_window(a, Some(b), b));
        assert!(in_window(a, None, Timestamp(i64::MAX)));
    }

    #[test]
    fn the_form_names_the_field_that_is_wrong() {
        let now = Timestamp(1_788_328_500_000);
        assert_eq!(check(&draft(), now, false).unwrap().from, now);
        let mut d = draft();
        d.audience = Audience::default();
        assert_eq!(check(&d, now, false).unwrap_err().field, "news-field-audience");
        let mut d = draft();
        d.from = "2026-09-10T08:00".into();
        d.until = "2026-09-09T08:00".into();
        assert_eq!(check(&d, now, false).unwrap_err().field, "news-field-until");
        assert_eq!(check(&draft(), now, true).unwrap_err().field, "news-field-alt");
        let mut d = draft();
        d.from = "demain".into();
        assert_eq!(check(&d, now, false).unwrap_err().field, "news-field-from");
    }

    #[test]
    fn only_school_staff_teachers_and_authorities_write() {
        let school = kernel::SchoolId::new();
        let ctx = |profile| Context::School { school, profile };
        assert_eq!(writer(&ctx(Profile::Direction)), Some(Writer::School));
        assert_eq!(writer(&ctx(Profile::Teacher)), Some(Writer::Teacher));
        assert_eq!(writer(&ctx(Profile::Guardian)), None);
        assert_eq!(writer(&ctx(Profile::AuthorityStaff)), Some(Writer::Authority));
    }
}
