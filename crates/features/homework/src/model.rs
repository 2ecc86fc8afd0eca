//! The rules of the cahier de textes and of homework, without I/O: who may read or write a class's log,
//! what a valid due date, deadline and link are, when work is late. Days are the school's calendar days
//! ('YYYY-MM-DD', Europe/Paris); instants are `Timestamp`s.

use jiff::civil::{Date, DateTime};
use kernel::{Profile, Timestamp};

/// Longest title, text and link accepted (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_URL: usize = 2_000;
/// Files one form may carry.
pub const MAX_FILES_PER_FORM: usize = 5;

pub use kernel::school_tz;

pub use web::FieldError;

/// A calendar day, 'YYYY-MM-DD' and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

impl Day {
    pub fn parse(s: &str) -> Option<Day> {
        let s = s.trim();
        let date: Date = Date::strptime("%Y-%m-%d", s).ok()?;
        (date.to_string() == s).then_some(Day(date))
    }

    /// The school day of an instant.
    pub fn of(ts: Timestamp) -> Day {
        let date = jiff::Timestamp::from_millisecond(ts.0)
            .map(|t| t.to_zoned(school_tz()).date())
            .unwrap_or_default();
        Day(date)
    }

    pub fn plus_days(self, days: i32) -> Day {
        Day(self.0.saturating_add(jiff::Span::new().days(days)))
    }

    /// 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> i8 {
        self.0.weekday().to_monday_one_offset()
    }

    /// "02/09/2026".
    pub fn fr(self) -> String {
        format!("{:02}/{:02}/{}", self.0.day(), self.0.month(), self.0.year())
    }

    /// The instant a day starts at school plus `minutes` (08:00 → 480).
    pub fn at(self, minutes: i32) -> Timestamp {
        let dt = self.0.to_datetime(jiff::civil::Time::midnight());
        let dt = dt.saturating_add(jiff::Span::new().minutes(minutes));
        dt.to_zoned(school_tz())
            .map(|z| Timestamp(z.timestamp().as_millisecond()))
            .unwrap_or(Timestamp(0))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// "09/09/2026 18:00", school time.
pub fn instant_fr(ts: Timestamp) -> String {
    match jiff::Timestamp::from_millisecond(ts.0) {
        Ok(t) => t.to_zoned(school_tz()).strftime("%d/%m/%Y %H:%M").to_string(),
        Err(_) => String::new(),
    }
}

/// The value of a `datetime-local` input for an instant ("2026-09-09T18:00").
pub fn instant_input(ts: Timestamp) -> String {
    match jiff::Timestamp::from_millisecond(ts.0) {
        Ok(t) => t.to_zoned(school_tz()).strftime("%Y-%m-%dT%H:%M").to_string(),
        Err(_) => String::new(),
    }
}

/// A `datetime-local` value ("2026-09-09T18:00", seconds tolerated), read in school time.
pub fn parse_instant(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let dt = DateTime::strptime("%Y-%m-%dT%H:%M", s)
        .or_else(|_| DateTime::strptime("%Y-%m-%dT%H:%M:%S", s))
        .ok()?;
    let z = dt.to_zoned(school_tz()).ok()?;
    Some(Timestamp(z.timestamp().as_millisecond()))
}

/// Work handed in after the deadline is late; without a deadline nothing is.
pub fn is_late(submitted_at: Timestamp, deadline: Option<Timestamp>) -> bool {
    deadline.is_some_and(|d| submitted_at > d)
}

/// Where a student's work stands, for the teacher's table and the student's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkStatus {
    OnTime,
    Late,
    Missing,
}

impl WorkStatus {
    pub fn of(submitted_at: Option<Timestamp>, deadline: Option<Timestamp>) -> WorkStatus {
        match submitted_at {
            None => WorkStatus::Missing,
            Some(at) if is_late(at, deadline) => WorkStatus::Late,
            Some(_) => WorkStatus::OnTime,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            WorkStatus::OnTime => "hw-status-on-time",
            WorkStatus::Late => "hw-status-late",
            WorkStatus::Missing => "hw-status-missing",
        }
    }
}

/// How a person stands towards one class (or group) and subject, as the directory says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    /// Teaches this subject to this class.
    pub teaches_subject: bool,
    /// Teaches this class some subject.
    pub teaches_class: bool,
    /// Is a student of it.
    pub member: bool,
    /// Is a guardian of one of its students.
    pub guardian_of_member: bool,
    /// Holds the school's read-only grant (inspectors).
    pub reader: bool,
}

/// What a person may do with a class's cahier de textes in one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

/// The legal log of a class is written by its teachers, each in their subject, and read by the
/// class's teachers, students and their parents, the school's direction and granted readers.
pub fn logbook_access(profile: Profile, r: Relation) -> Access {
    if profile == Profile::Teacher && r.teaches_subject {
        return Access::Write;
    }
    let reads = r.reader
        || match profile {
            Profile::Teacher => r.teaches_class,
            Profile::Student => r.member,
            Profile::Guardian => r.guardian_of_member,
            Profile::Direction => true,
            _ => false,
        };
    if reads { Access::Read } else { Access::None }
}

/// An entry or homework is edited only by the teacher who wrote it, while they teach that subject there.
pub fn may_edit(profile: Profile, r: Relation, author: uuid::Uuid, viewer: uuid::Uuid) -> bool {
    logbook_access(profile, r) == Access::Write && author == viewer
}

/// Homework is due on or after the day it was set, within a year.
pub fn check_due(set_day: Day, due_day: Day) -> Result<(), FieldError> {
    if due_day < set_day {
        return Err(FieldError::new("hw-field-due", "hw-problem-due-before"));
    }
    if due_day > set_day.plus_days(366) {
        return Err(FieldError::new("hw-field-due", "hw-problem-too-far"));
    }
    Ok(())
}

/// A link of an entry or homework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub label: String,
}

/// Links typed one per line, "label | https://…" or just the address; only http and https are
/// accepted (a `javascript:` link would run in the reader's session).
pub fn parse_links(text: &str) -> Result<Vec<Link>, FieldError> {
    let mut links = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (label, url) = match line.rsplit_once('|') {
            Some((label, url)) => (label.trim(), url.trim()),
            None => ("", line),
        };
        let url = valid_url(url).ok_or(FieldError::new("hw-field-links", "hw-problem-link"))?;
        let label = if label.is_empty() {
            url.clone()
        } else {
            label.chars().take(MAX_TITLE).collect()
        };
        links.push(Link { url, label });
    }
    if links.len() > 20 {
        return Err(FieldError::new("hw-field-links", "hw-problem-too-many"));
    }
    Ok(links)
}

fn valid_url(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let ok = !host.is_empty()
        && url.len() <= MAX_URL
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        && host.chars().all(|c| c.is_alphanumeric() || "-.:[]@_".contains(c));
    ok.then(|| url.to_string())
}

/// The lines a teacher would type back to edit the links.
pub fn links_text(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| {
            if l.label == l.url {
                l.url.clone()
            } else {
                format!("{} | {}", l.label, l.url)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Homework as typed in the form, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeworkDraft {
    pub title: String,
    pub instructions: String,
    pub due_day: Day,
    pub due_lesson: Option<uuid::Uuid>,
    pub minutes: Option<i32>,
    pub handin: bool,
    pub deadline: Option<Timestamp>,
    pub links: Vec<Link>,
}

/// The homework form's fields, as typed (shown again when something is wrong).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeworkForm {
    pub title: String,
    pub instructions: String,
    pub due_day: String,
    /// "jour" (the date typed) or "seance" (the next lesson offered by the page).
    pub due_kind: String,
    pub due_lesson: String,
    pub minutes: String,
    pub handin: bool,
    pub deadline: String,
    pub links: String,
}

/// Hand-in deadline when the teacher asks for work online but leaves the time empty: the due day, 08:00.
pub const DEFAULT_DEADLINE_MINUTES: i32 = 8 * 60;

impl HomeworkForm {
    pub fn check(&self, set_day: Day) -> Result<HomeworkDraft, FieldError> {
        let title = self.title.trim().to_string();
        if title.is_empty() {
            return Err(FieldError::new("hw-field-title", "hw-problem-required"));
        }
        if title.chars().count() > MAX_TITLE {
            return Err(FieldError::new("hw-field-title", "hw-problem-too-long"));
        }
        let instructions = self.instructions.trim().to_string();
        if instructions.chars().count() > MAX_TEXT {
            return Err(FieldError::new("hw-field-instructions", "hw-problem-too-long"));
        }
        let due_day = Day::parse(&self.due_day).ok_or(FieldError::new("hw-field-due", "hw-problem-date"))?;
        check_due(set_day, due_day)?;
        let due_lesson = match (self.due_kind.as_str(), self.due_lesson.trim()) {
            ("seance", id) if !id.is_empty() => Some(
                id.parse::<uuid::Uuid>()
                    .map_err(|_| FieldError::new("hw-field-due", "hw-problem-lesson"))?,
            ),
            _ => None,
        };
        let minutes = match self.minutes.trim() {
            "" => None,
            m => match m.parse::<i32>() {
                Ok(n) if (1..=600).contains(&n) => Some(n),
                _ => return Err(FieldError::new("hw-field-minutes", "hw-problem-minutes")),
            },
        };
        let deadline = if self.handin {
            let deadline = match self.deadline.trim() {
                "" => due_day.at(DEFAULT_DEADLINE_MINUTES),
                d => parse_instant(d).ok_or(FieldError::new("hw-field-deadline", "hw-problem-date-time"))?,
            };
            if Day::of(deadline) < set_day {
                return Err(FieldError::new("hw-field-deadline", "hw-problem-deadline-before"));
            }
            Some(deadline)
        } else {
            None
        };
        Ok(HomeworkDraft {
            title,
            instructions,
            due_day,
            due_lesson,
            minutes,
            handin: self.handin,
            deadline,
            links: parse_links(&self.links)?,
        })
    }
}

/// "1 h 30", "45 min".
pub fn duration_fr(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn days_are_strict_and_paris_based() {
        assert!(Day::parse("2026-09-02").is_some());
        for bad in ["2026-9-2", "02/09/2026", "2026-02-30", "", "2026-09-02x"] {
            assert!(Day::parse(bad).is_none(), "{bad}");
        }
        // 23:30 UTC on 1 September is already 2 September in Paris (summer time, UTC+2).
        let ts = Timestamp(1_788_305_400_000);
        assert_eq!(Day::of(ts).to_string(), "2026-09-02");
        assert_eq!(day("2026-09-02").weekday(), 3, "a Wednesday");
        assert_eq!(instant_fr(day("2026-09-09").at(18 * 60)), "09/09/2026 18:00");
        assert_eq!(
            parse_instant("2026-09-09T18:00"),
            Some(day("2026-09-09").at(1080))
        );
        assert_eq!(
            instant_input(day("2026-12-09").at(1080)),
            "2026-12-09T18:00",
            "winter time too"
        );
    }

    #[test]
    fn work_is_late_only_after_a_deadline() {
        let deadline = Some(Timestamp(1_000));
        assert!(!is_late(Timestamp(1_000), deadline), "at the deadline is on time");
        assert!(is_late(Timestamp(1_001), deadline));
        assert!(!is_late(Timestamp(9_999_999), None));
        assert_eq!(WorkStatus::of(None, deadline), WorkStatus::Missing);
        assert_eq!(WorkStatus::of(Some(Timestamp(2_000)), deadline), WorkStatus::Late);
        assert_eq!(WorkStatus::of(Some(Timestamp(10)), deadline), WorkStatus::OnTime);
    }

    #[test]
    fn who_reads_and_who_writes_a_class_log() {
        let none = Relation::default();
        let teaches = Relation {
            teaches_subject: true,
            teaches_class: true,
            ..none
        };
        let colleague = Relation {
            teaches_class: true,
            ..none
        };
        assert_eq!(logbook_access(Profile::Teacher, teaches), Access::Write);
        assert_eq!(logbook_access(Profile::Teacher, colleague), Access::Read);
        assert_eq!(logbook_access(Profile::Teacher, none), Access::None);
        let member = Relation { member: true, ..none };
        assert_eq!(logbook_access(Profile::Student, member), Access::Read);
        assert_eq!(logbook_access(Profile::Student, none), Access::None);
        assert_eq!(
            logbook_access(
                Profile::Guardian,
                Relation {
                    guardian_of_member: true,
                    ..none
                }
            ),
            Access::Read
        );
        assert_eq!(
            logbook_access(Profile::Guardian, member),
            Access::None,
            "a parent is not a member"
        );
        assert_eq!(logbook_access(Profile::Direction, none), Access::Read);
        assert_eq!(logbook_access(Profile::SchoolLife, none), Access::None);
        assert_eq!(
            logbook_access(Profile::Guest, Relation { reader: true, ..none }),
            Access::Read
        );
        // A granted reader who also teaches another subject still only reads.
        assert_eq!(
            logbook_access(Profile::Teacher, Relation { reader: true, ..none }),
            Access::Read
        );
        let (me, other) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert!(may_edit(Profile::Teacher, teaches, me, me));
        assert!(
            !may_edit(Profile::Teacher, teaches, other, me),
            "a co-teacher's entry is theirs"
        );
        assert!(!may_edit(Profile::Direction, teaches, me, me));
    }

    #[test]
    fn due_dates_follow_the_day_they_were_set() {
        let set = day("2026-09-02");
        assert!(check_due(set, set).is_ok());
        assert!(check_due(set, day("2026-09-09")).is_ok());
        assert_eq!(
            check_due(set, day("2026-09-01")).unwrap_err().problem,
            "hw-problem-due-before"
        );
        assert_eq!(
            check_due(set, day("2027-09-10")).unwrap_err().problem,
            "hw-problem-too-far"
        );
    }

    #[test]
    fn the_homework_form_is_checked_field_by_field() {
        let set = day("2026-09-02");
        let form = HomeworkForm {
            title: "  Exercices 3 et 4 p. 12 ".into(),
            due_day: "2026-09-09".into(),
            minutes: "30".into(),
            handin: true,
            links: "Manuel | https://example.org/manuel\nhttp://example.org".into(),
            ..HomeworkForm::default()
        };
        let draft = form.check(set).unwrap();
        assert_eq!(draft.title, "Exercices 3 et 4 p. 12");
        assert_eq!(
            draft.deadline,
            Some(day("2026-09-09").at(480)),
            "by default 08:00 on the due day"
        );
        assert_eq!(draft.links[0].label, "Manuel");
        assert_eq!(draft.links[1].label, "http://example.org");
        assert_eq!(draft.due_lesson, None);
        let bad = |f: HomeworkForm| f.check(set).unwrap_err();
        assert_eq!(
            bad(HomeworkForm {
                title: " ".into(),
                ..form.clone()
            })
            .field,
            "hw-field-title"
        );
        assert_eq!(
            bad(HomeworkForm {
                due_day: "demain".into(),
                ..form.clone()
            })
            .field,
            "hw-field-due"
        );
        assert_eq!(
            bad(HomeworkForm {
                minutes: "0".into(),
                ..form.clone()
            })
            .field,
            "hw-field-minutes"
        );
        assert_eq!(
            bad(HomeworkForm {
                deadline: "2026-09-01T10:00".into(),
                ..form.clone()
            })
            .problem,
            "hw-problem-deadline-before"
        );
        let lesson = uuid::Uuid::from_u128(7);
        let next = HomeworkForm {
            due_kind: "seance".into(),
            due_lesson: lesson.to_string(),
            ..form.clone()
        };
        assert_eq!(next.check(set).unwrap().due_lesson, Some(lesson));
        assert_eq!(
            bad(HomeworkForm {
                due_lesson: "x".into(),
                ..next
            })
            .problem,
            "hw-problem-lesson"
        );
    }

    #[test]
    fn only_web_links_are_accepted() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<b>",
            "ftp://example.org",
            "https://",
            "https://exa mple.org",
            "https://example.org/\"onmouseover=",
        ] {
            assert!(parse_links(bad).is_err(), "{bad}");
        }
        let links = parse_links("  \nhttps://fr.wikipedia.org/wiki/Théorème_de_Pythagore\n").unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(
            links_text(&parse_links("A | https://a.fr\nhttps://b.fr").unwrap()),
            "A | https://a.fr\nhttps://b.fr"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_fr(45), "45 min");
        assert_eq!(duration_fr(60), "1 h");
        assert_eq!(duration_fr(90), "1 h 30");
    }
}
