//! Attendance types and rules, no I/O: what a roll-call mark is, when a roll may be taken and by whom,
//! how absences count in half-days.

use jiff::civil::{Date, Weekday};
use kernel::{Context, Profile};

/// How many minutes before a lesson its roll call opens to the teacher.
pub const OPENS_BEFORE: i32 = 10;
/// The longest lateness a roll call records (beyond it, the student is absent).
pub const MAX_LATE_MINUTES: i32 = 120;
/// Half-days split at noon: a stretch before counts in the morning, one after in the afternoon.
pub const NOON: i32 = 12 * 60;
/// The longest comment a family or the office writes.
pub const MAX_COMMENT: usize = 1000;

/// An absence or a lateness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Absence,
    Lateness,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Absence => "absence",
            Kind::Lateness => "retard",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "absence" => Some(Kind::Absence),
            "retard" => Some(Kind::Lateness),
            _ => None,
        }
    }
}

/// Where an absence file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A teacher's roll call.
    RollCall,
    /// Entered by the school-life office (a phone call, a note).
    Office,
    /// Announced by the family beforehand.
    Family,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::RollCall => "appel",
            Source::Office => "vie_scolaire",
            Source::Family => "famille",
        }
    }
}

/// Where a file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Recorded, not justified yet.
    New,
    /// The family sent a justification; the office has not decided.
    Sent,
    /// The office accepted the reason.
    Justified,
    /// The office did not accept it: the absence stays unjustified.
    Refused,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::New => "nouveau",
            Status::Sent => "en_cours",
            Status::Justified => "justifie",
            Status::Refused => "refuse",
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "en_cours" => Status::Sent,
            "justifie" => Status::Justified,
            "refuse" => Status::Refused,
            _ => Status::New,
        }
    }

    /// Whether the family may still send (or send again) a justification.
    pub fn family_may_justify(self) -> bool {
        matches!(self, Status::New | Status::Sent)
    }

    /// Counted as unjustified in the statistics.
    pub fn unjustified(self) -> bool {
        matches!(self, Status::New | Status::Refused)
    }

    /// The Skolengo API's file status (NEW, IN_PROGRESS, LOCKED).
    pub fn api_code(self) -> &'static str {
        match self {
            Status::New => "NEW",
            Status::Sent => "IN_PROGRESS",
            Status::Justified | Status::Refused => "LOCKED",
        }
    }
}

/// A student's mark in a roll call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Present,
    Absent,
    /// Late by this many minutes.
    Late(i32),
}

impl Mark {
    /// Reads a roll-call form's value for one student: "present", "absent" or "retard" with its minutes.
    pub fn parse(value: &str, minutes: &str) -> Result<Mark, &'static str> {
        match value {
            "" | "present" => Ok(Mark::Present),
            "absent" => Ok(Mark::Absent),
            "retard" => {
                let m = minutes.trim();
                if m.is_empty() {
                    // One tap: late without saying how much is recorded as 5 minutes, editable.
                    return Ok(Mark::Late(5));
                }
                match m.parse::<i32>() {
                    Ok(n) if (1..=MAX_LATE_MINUTES).contains(&n) => Ok(Mark::Late(n)),
                    _ => Err("att-error-late-minutes"),
                }
            }
            _ => Err("att-error-mark"),
        }
    }
}

/// Whether a teacher may take the roll of an occurrence now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Opens at this minute of the lesson's day.
    NotYet(i32),
    Open,
    /// The lesson's day is over: only the school-life office corrects it.
    Closed,
}

/// A teacher's window on the roll of a lesson of `day` starting at `starts_at`, seen at `now_day`
/// `now_minute`: from [`OPENS_BEFORE`] minutes before the lesson to the end of its day.
pub fn window(day: Date, starts_at: i32, now_day: Date, now_minute: i32) -> Window {
    let opens = starts_at - OPENS_BEFORE;
    if now_day < day || now_day == day && now_minute < opens {
        Window::NotYet(opens.max(0))
    } else if now_day == day {
        Window::Open
    } else {
        Window::Closed
    }
}

/// The school-life office and the direction: they see every roll call and absence of the school,
/// correct them, and decide justifications.
pub fn is_office(ctx: &Context) -> bool {
    matches!(ctx.profile(), Some(Profile::SchoolLife | Profile::Direction))
}

/// Who may take or correct the roll of an occurrence: the office at any time, a teacher of that
/// occurrence (or the substitute) while the window is open.
pub fn may_take_roll(ctx: &Context, teaches_it: bool, window: Window) -> bool {
    is_office(ctx) || ctx.profile() == Some(Profile::Teacher) && teaches_it && window == Window::Open
}

/// A stretch of absence, in school days and minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start_day: Date,
    pub start_minute: i32,
    pub end_day: Date,
    pub end_minute: i32,
}

impl Span {
    /// Whether the span covers the whole of `[start, end]` on `day`.
    pub fn covers(&self, day: Date, start: i32, end: i32) -> bool {
        (self.start_day, self.start_minute) <= (day, start) && (day, end) <= (self.end_day, self.end_minute)
    }

    /// The half-days the span touches, Monday to Saturday: (day, false) for a morning, (day, true) for an
    /// afternoon. Spans longer than a school year are cut there.
    pub fn half_days(&self) -> Vec<(Date, bool)> {
        let mut out = vec![];
        let mut day = self.start_day;
        let mut guard = 0;
        while day <= self.end_day && guard < 400 {
            guard += 1;
            let from = if day == self.start_day {
                self.start_minute
            } else {
                0
            };
            let to = if day == self.end_day {
                self.end_minute
            } else {
                24 * 60
            };
            if day.weekday() != Weekday::Sunday && from < to {
                if from < NOON {
                    out.push((day, false));
                }
                if to > NOON {
                    out.push((day, true));
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        out
    }
}

/// A student's counts over a stretch of the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Half-days missed (a morning or an afternoon with any absence).
    pub half_days: u32,
    /// Of which not justified (new or refused files only).
    pub unjustified_half_days: u32,
    pub lateness: u32,
    pub unjustified_lateness: u32,
    /// Files waiting for the office's decision.
    pub pending: u32,
}

/// Counts `files` (kind, status, span): overlapping absences count each half-day once; a half-day is
/// unjustified when any of its absences is.
pub fn stats(files: &[(Kind, Status, Span)]) -> Stats {
    let mut s = Stats::default();
    let mut all: Vec<(Date, bool)> = vec![];
    let mut unjustified: Vec<(Date, bool)> = vec![];
    for (kind, status, span) in files {
        if *status == Status::Sent {
            s.pending += 1;
        }
        match kind {
            Kind::Lateness => {
                s.lateness += 1;
                if status.unjustified() {
                    s.unjustified_lateness += 1;
                }
            }
            Kind::Absence => {
                let halves = span.half_days();
                if status.unjustified() {
                    unjustified.extend(halves.iter().copied());
                }
                all.extend(halves);
            }
        }
    }
    all.sort();
    all.dedup();
    unjustified.sort();
    unjustified.dedup();
    s.half_days = all.len() as u32;
    s.unjustified_half_days = unjustified.len() as u32;
    s
}

/// "08:05" from minutes after midnight.
pub fn hhmm(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight from "8:05", "08:05" or "08h05".
pub fn parse_hhmm(s: &str) -> Option<i32> {
    let s = s.trim();
    let (h, m) = s.split_once([':', 'h', 'H'])?;
    let h: i32 = h.trim().parse().ok()?;
    let m: i32 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// The reasons a school starts with (code, label); the office edits the list.
pub const DEFAULT_REASONS: [(&str, &str); 8] = [
    ("MALADIE", "Maladie"),
    ("MEDICAL", "Rendez-vous médical"),
    ("FAMILLE", "Raison familiale"),
    ("TRANSPORT", "Problème de transport"),
    ("CONVOCATION", "Convocation officielle (examen, permis, JDC)"),
    ("RELIGIEUX", "Fête religieuse"),
    ("SPORT", "Compétition sportive ou sortie scolaire"),
    ("AUTRE", "Autre (préciser dans le commentaire)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_roll_opens_ten_minutes_before_and_closes_with_the_day() {
        let day = d("2026-12-07");
        assert_eq!(window(day, 8 * 60, day, 7 * 60 + 49), Window::NotYet(7 * 60 + 50));
        assert_eq!(window(day, 8 * 60, day, 7 * 60 + 50), Window::Open);
        assert_eq!(window(day, 8 * 60, day, 23 * 60), Window::Open);
        assert_eq!(window(day, 8 * 60, d("2026-12-08"), 7 * 60), Window::Closed);
        assert_eq!(
            window(day, 8 * 60, d("2026-12-06"), 9 * 60),
            Window::NotYet(7 * 60 + 50)
        );
    }

    #[test]
    fn only_the_lessons_teacher_in_the_window_or_the_office_take_the_roll() {
        let school = kernel::SchoolId(uuid::Uuid::nil());
        let teacher = Context::School {
            school,
            profile: Profile::Teacher,
        };
        let cpe = Context::School {
            school,
            profile: Profile::SchoolLife,
        };
        let student = Context::School {
            school,
            profile: Profile::Student,
        };
        assert!(may_take_roll(&teacher, true, Window::Open));
        assert!(!may_take_roll(&teacher, false, Window::Open));
        assert!(!may_take_roll(&teacher, true, Window::Closed));
        assert!(!may_take_roll(&teacher, true, Window::NotYet(400)));
        assert!(may_take_roll(&cpe, false, Window::Closed));
        assert!(!may_take_roll(&student, true, Window::Open));
    }

    #[test]
    fn marks_read_from_the_form() {
        assert_eq!(Mark::parse("", ""), Ok(Mark::Present));
        assert_eq!(Mark::parse("absent", "10"), Ok(Mark::Absent));
        assert_eq!(Mark::parse("retard", ""), Ok(Mark::Late(5)));
        assert_eq!(Mark::parse("retard", " 12 "), Ok(Mark::Late(12)));
        assert_eq!(Mark::parse("retard", "0"), Err("att-error-late-minutes"));
        assert_eq!(Mark::parse("retard", "500"), Err("att-error-late-minutes"));
        assert_eq!(Mark::parse("retard", "dix"), Err("att-error-late-minutes"));
        assert_eq!(Mark::parse("peut-être", ""), Err("att-error-mark"));
    }

    fn span(a: &str, am: i32, b: &str, bm: i32) -> Span {
        Span {
            start_day: d(a),
            start_minute: am,
            end_day: d(b),
            end_minute: bm,
        }
    }

    #[test]
    fn half_days_split_at_noon_and_skip_sundays() {
        // Monday 8:00–9:00: one morning.
        assert_eq!(span("2026-12-07", 480, "2026-12-07", 540).half_days().len(), 1);
        // 11:00–14:00: morning and afternoon.
        assert_eq!(span("2026-12-07", 660, "2026-12-07", 840).half_days().len(), 2);
        // 12:00–13:00 is the afternoon only.
        assert_eq!(
            span("2026-12-07", 720, "2026-12-07", 780).half_days(),
            vec![(d("2026-12-07"), true)]
        );
        // Friday 8:00 to Monday 17:00: Fri, Sat, Mon, two each; Sunday not counted.
        assert_eq!(span("2026-12-11", 480, "2026-12-14", 1020).half_days().len(), 6);
    }

    #[test]
    fn stats_count_each_half_day_once_and_unjustified_when_any_file_is() {
        let files = [
            (
                Kind::Absence,
                Status::Justified,
                span("2026-12-07", 480, "2026-12-07", 540),
            ),
            (
                Kind::Absence,
                Status::New,
                span("2026-12-07", 540, "2026-12-07", 600),
            ),
            (
                Kind::Absence,
                Status::Refused,
                span("2026-12-08", 840, "2026-12-08", 900),
            ),
            (
                Kind::Absence,
                Status::Sent,
                span("2026-12-09", 480, "2026-12-09", 540),
            ),
            (
                Kind::Lateness,
                Status::New,
                span("2026-12-10", 480, "2026-12-10", 485),
            ),
            (
                Kind::Lateness,
                Status::Justified,
                span("2026-12-11", 480, "2026-12-11", 485),
            ),
        ];
        let s = stats(&files);
        assert_eq!(s.half_days, 3);
        assert_eq!(s.unjustified_half_days, 2);
        assert_eq!(s.lateness, 2);
        assert_eq!(s.unjustified_lateness, 1);
        assert_eq!(s.pending, 1);
    }

    #[test]
    fn a_span_covers_a_lesson_inside_it() {
        let s = span("2026-12-07", 480, "2026-12-09", 1020);
        assert!(s.covers(d("2026-12-08"), 600, 660));
        assert!(s.covers(d("2026-12-07"), 480, 540));
        assert!(!s.covers(d("2026-12-07"), 420, 480));
        assert!(!s.covers(d("2026-12-09"), 1000, 1060));
    }

    #[test]
    fn times_read_in_french_forms() {
        assert_eq!(parse_hhmm("8:05"), Some(485));
        assert_eq!(parse_hhmm("08h30"), Some(510));
        assert_eq!(parse_hhmm("14h"), Some(840));
        assert_eq!(parse_hhmm("25:00"), None);
        assert_eq!(parse_hhmm("midi"), None);
    }
}
