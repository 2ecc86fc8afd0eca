//! The rules of evaluations and periods, without I/O: reading a mark as teachers type it (comma or
//! point, codes Abs/Disp/NR), scales and coefficients, what a valid evaluation and a valid set of periods
//! are, and the default periods of a school year. The arithmetic of averages is in `averages`.

use jiff::civil::Date;
use kernel::{Profile, Timestamp};

use crate::averages::Outcome;
use crate::skills::Component;

/// Longest title accepted (characters).
pub const MAX_TITLE: usize = 200;
/// Highest scale (an evaluation "sur 200") and coefficient (100) accepted.
pub const MAX_SCALE: u32 = 200;
pub const MAX_COEFFICIENT: u32 = 100 * 100;
/// Periods a school year may have (trimesters: 3, semesters: 2).
pub const MAX_PERIODS: usize = 4;

pub use web::FieldError;

pub use kernel::school_tz;

/// A calendar day, 'YYYY-MM-DD' and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

impl Day {
    pub fn parse(s: &str) -> Option<Day> {
        let s = s.trim();
        let date = Date::strptime("%Y-%m-%d", s).ok()?;
        (date.to_string() == s).then_some(Day(date))
    }

    pub fn ymd(year: i16, month: i8, day: i8) -> Option<Day> {
        Date::new(year, month, day).ok().map(Day)
    }

    /// The school day of an instant.
    pub fn of(ts: Timestamp) -> Day {
        Day(jiff::Timestamp::from_millisecond(ts.0)
            .map(|t| t.to_zoned(school_tz()).date())
            .unwrap_or_default())
    }

    pub fn plus_days(self, days: i32) -> Day {
        Day(self.0.saturating_add(jiff::Span::new().days(days)))
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    /// 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> i8 {
        self.0.weekday().to_monday_one_offset()
    }

    /// "02/09/2026".
    pub fn fr(self) -> String {
        format!("{:02}/{:02}/{}", self.0.day(), self.0.month(), self.0.year())
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// "02/09/2026" from a stored 'YYYY-MM-DD' (the text itself if it is not one).
pub fn day_fr(day: &str) -> String {
    Day::parse(day).map_or_else(|| day.to_string(), Day::fr)
}

/// "12,5", "14", "7,25": hundredths as teachers write marks (no needless zeros).
pub fn points_fr(hundredths: u32) -> String {
    let (units, rest) = (hundredths / 100, hundredths % 100);
    match rest {
        0 => units.to_string(),
        r if r % 10 == 0 => format!("{units},{}", r / 10),
        r => format!("{units},{r:02}"),
    }
}

/// A decimal with at most two decimals, comma or point ("12,5", "12.25", " 7 "), in hundredths.
pub fn parse_hundredths(s: &str) -> Option<u32> {
    let s = s.trim().replace(',', ".");
    let (units, decimals) = match s.split_once('.') {
        Some((u, d)) => (u, d),
        None => (s.as_str(), ""),
    };
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if (units.is_empty() && decimals.is_empty()) || !digits(units) || !digits(decimals) || decimals.len() > 2
    {
        return None;
    }
    let units: u32 = if units.is_empty() { 0 } else { units.parse().ok()? };
    let decimals: u32 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<u32>().ok()? * 10,
        _ => decimals.parse().ok()?,
    };
    units.checked_mul(100)?.checked_add(decimals)
}

/// Why a typed mark is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkProblem {
    /// Neither a number nor a code.
    Unreadable,
    /// Above the evaluation's scale.
    OverScale,
}

impl MarkProblem {
    pub fn key(self) -> &'static str {
        match self {
            MarkProblem::Unreadable => "gr-problem-mark-unreadable",
            MarkProblem::OverScale => "gr-problem-mark-over-scale",
        }
    }
}

/// A mark as typed in the grid: empty (nothing entered), a code or a number up to `scale`.
pub fn parse_mark(s: &str, scale: u32) -> Result<Option<Outcome>, MarkProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let folded = kernel::text::fold(t).to_lowercase().replace(['.', ' '], "");
    let code = match folded.as_str() {
        "abs" | "absent" | "a" => Some(Outcome::Absent),
        "disp" | "dispense" | "d" => Some(Outcome::Exempt),
        "nr" | "nonrendu" => Some(Outcome::NotHandedIn),
        _ => None,
    };
    if let Some(code) = code {
        return Ok(Some(code));
    }
    let mark = parse_hundredths(t).ok_or(MarkProblem::Unreadable)?;
    if mark > scale.saturating_mul(100) {
        return Err(MarkProblem::OverScale);
    }
    Ok(Some(Outcome::Mark(mark)))
}

/// A stored result as the grid shows it again ("12,5", "Abs", "Disp", "NR").
pub fn outcome_text(o: Outcome) -> String {
    match o {
        Outcome::Mark(m) => points_fr(m),
        Outcome::Absent => "Abs".into(),
        Outcome::Exempt => "Disp".into(),
        Outcome::NotHandedIn => "NR".into(),
    }
}

/// Stored form of a result: (mark in hundredths, code).
pub fn outcome_columns(o: Outcome) -> (Option<i32>, Option<&'static str>) {
    match o {
        Outcome::Mark(m) => (Some(i32::try_from(m).unwrap_or(i32::MAX)), None),
        Outcome::Absent => (None, Some("abs")),
        Outcome::Exempt => (None, Some("disp")),
        Outcome::NotHandedIn => (None, Some("nr")),
    }
}

pub fn outcome_of_columns(mark: Option<i32>, code: Option<&str>) -> Option<Outcome> {
    match (mark, code) {
        (Some(m), _) => u32::try_from(m).ok().map(Outcome::Mark),
        (None, Some("abs")) => Some(Outcome::Absent),
        (None, Some("disp")) => Some(Outcome::Exempt),
        (None, Some("nr")) => Some(Outcome::NotHandedIn),
        _ => None,
    }
}

/// What an evaluation gives: marks, marks and skill levels, or skill levels only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Marks,
    MarksAndSkills,
    SkillsOnly,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Marks, Kind::MarksAndSkills, Kind::SkillsOnly];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Marks => "notes",
            Kind::MarksAndSkills => "notes_competences",
            Kind::SkillsOnly => "competences",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn has_marks(self) -> bool {
        self != Kind::SkillsOnly
    }

    pub fn has_skills(self) -> bool {
        self != Kind::Marks
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Marks => "gr-kind-notes",
            Kind::MarksAndSkills => "gr-kind-notes-competences",
            Kind::SkillsOnly => "gr-kind-competences",
        }
    }
}

/// The evaluation form as typed (shown again after an error).
#[derive(Debug, Clone, Default)]
pub struct EvaluationForm {
    /// "class-id:subject-code", one of the teacher's teachings.
    pub teaching: String,
    pub day: String,
    pub title: String,
    pub kind: String,
    pub scale: String,
    pub coefficient: String,
    pub components: Vec<String>,
}

/// A checked evaluation form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDraft {
    pub class_id: uuid::Uuid,
    pub subject_code: String,
    pub day: Day,
    pub title: String,
    pub kind: Kind,
    pub scale: u32,
    /// Hundredths (1 → 100).
    pub coefficient: u32,
    pub components: Vec<Component>,
}

impl EvaluationForm {
    /// The draft, or the first field in error.
    pub fn check(&self) -> Result<EvaluationDraft, FieldError> {
        let (class, subject) = self
            .teaching
            .split_once(':')
            .ok_or_else(|| FieldError::new("gr-field-teaching", "gr-problem-required"))?;
        let class_id = class
            .parse()
            .map_err(|_| FieldError::new("gr-field-teaching", "gr-problem-required"))?;
        let title = self.title.trim().to_string();
        if title.is_empty() {
            return Err(FieldError::new("gr-field-title", "gr-problem-required"));
        }
        if title.chars().count() > MAX_TITLE {
            return Err(FieldError::new("gr-field-title", "gr-problem-too-long"));
        }
        let day = Day::parse(&self.day).ok_or_else(|| FieldError::new("gr-field-day", "gr-problem-date"))?;
        let kind = Kind::parse(&self.kind).unwrap_or_default();
        let (scale, coefficient) = if kind.has_marks() {
            let scale = self
                .scale
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|s| (1..=MAX_SCALE).contains(s))
                .ok_or_else(|| FieldError::new("gr-field-scale", "gr-problem-scale").arg("max", MAX_SCALE))?;
            let coefficient = parse_hundredths(&self.coefficient)
                .filter(|c| (1..=MAX_COEFFICIENT).contains(c))
                .ok_or_else(|| FieldError::new("gr-field-coefficient", "gr-problem-coefficient"))?;
            (scale, coefficient)
        } else {
            (20, 100)
        };
        let mut components: Vec<Component> = self
            .components
            .iter()
            .filter_map(|c| Component::parse(c))
            .collect();
        components.sort();
        components.dedup();
        if kind.has_skills() && components.is_empty() {
            return Err(FieldError::new("gr-field-components", "gr-problem-components"));
        }
        if !kind.has_skills() {
            components.clear();
        }
        Ok(EvaluationDraft {
            class_id,
            subject_code: subject.trim().to_string(),
            day,
            title,
            kind,
            scale,
            coefficient,
            components,
        })
    }
}

/// A grading period of a school (a trimester, a semester).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: uuid::Uuid,
    pub label: String,
    pub start: Day,
    pub end: Day,
}

impl Period {
    pub fn contains(&self, day: Day) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The periods of a school year, as typed in the periods form.
#[derive(Debug, Clone, Default)]
pub struct PeriodRow {
    pub id: Option<uuid::Uuid>,
    pub label: String,
    pub start: String,
    pub end: String,
}

/// A checked period row: (id if it existed, label, first day, last day).
pub type CheckedPeriod = (Option<uuid::Uuid>, String, Day, Day);

/// Reads the periods form: blank rows are dropped, each bad row is named; the periods are in order and
/// do not overlap.
pub fn check_periods(rows: &[PeriodRow]) -> Result<Vec<CheckedPeriod>, Vec<FieldError>> {
    let mut out = vec![];
    let mut errors = vec![];
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        if r.label.trim().is_empty() && r.start.trim().is_empty() && r.end.trim().is_empty() {
            continue;
        }
        let label = r.label.trim();
        match (Day::parse(&r.start), Day::parse(&r.end)) {
            _ if label.is_empty() || label.chars().count() > 60 => {
                errors.push(FieldError::new("gr-field-period", "gr-problem-period-label").arg("n", n))
            }
            (Some(start), Some(end)) if start <= end => out.push((r.id, label.to_string(), start, end)),
            (Some(_), Some(_)) => {
                errors.push(FieldError::new("gr-field-period", "gr-problem-period-order").arg("n", n))
            }
            _ => errors.push(FieldError::new("gr-field-period", "gr-problem-period-dates").arg("n", n)),
        }
    }
    if errors.is_empty() && out.is_empty() {
        errors.push(FieldError::new("gr-field-period", "gr-problem-period-none"));
    }
    out.sort_by_key(|p| p.2);
    for w in out.windows(2) {
        if w[1].2 <= w[0].3 {
            errors
                .push(FieldError::new("gr-field-period", "gr-problem-period-overlap").arg("label", &w[1].1));
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The three trimesters of the school year holding `today` (a year runs from September to August):
/// 1 September–30 November, 1 December–14 March, 15 March–4 July.
pub fn default_trimesters(today: Day) -> Vec<(String, Day, Day)> {
    let y = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    let d = |year: i16, m: i8, day: i8| Day::ymd(year, m, day).unwrap_or(today);
    vec![
        ("1er trimestre".into(), d(y, 9, 1), d(y, 11, 30)),
        ("2e trimestre".into(), d(y, 12, 1), d(y + 1, 3, 14)),
        ("3e trimestre".into(), d(y + 1, 3, 15), d(y + 1, 7, 4)),
    ]
}

/// The period to show first: the one holding `today`, else the last one begun, else the first.
pub fn current_period(periods: &[Period], today: Day) -> Option<&Period> {
    periods
        .iter()
        .find(|p| p.contains(today))
        .or_else(|| periods.iter().rev().find(|p| p.start <= today))
        .or_else(|| periods.first())
}

/// Periods and grading settings are the direction's and the administration's to set.
pub fn may_edit_settings(profile: Profile) -> bool {
    matches!(profile, Profile::Direction | Profile::AdminStaff)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn marks_are_read_with_a_comma_or_a_point_and_codes_in_any_case() {
        assert_eq!(parse_mark("12,5", 20), Ok(Some(Outcome::Mark(1250))));
        assert_eq!(parse_mark(" 7.25 ", 10), Ok(Some(Outcome::Mark(725))));
        assert_eq!(parse_mark("20", 20), Ok(Some(Outcome::Mark(2000))));
        assert_eq!(parse_mark(",5", 20), Ok(Some(Outcome::Mark(50))));
        assert_eq!(parse_mark("", 20), Ok(None));
        assert_eq!(parse_mark("ABS", 20), Ok(Some(Outcome::Absent)));
        assert_eq!(parse_mark("Disp.", 20), Ok(Some(Outcome::Exempt)));
        assert_eq!(parse_mark("dispensé", 20), Ok(Some(Outcome::Exempt)));
        assert_eq!(parse_mark("n.r.", 20), Ok(Some(Outcome::NotHandedIn)));
        assert_eq!(parse_mark("20,5", 20), Err(MarkProblem::OverScale));
        assert_eq!(parse_mark("12,345", 20), Err(MarkProblem::Unreadable));
        assert_eq!(parse_mark("-3", 20), Err(MarkProblem::Unreadable));
        assert_eq!(parse_mark("douze", 20), Err(MarkProblem::Unreadable));
        assert_eq!(parse_mark("1e3", 20), Err(MarkProblem::Unreadable));
        assert_eq!(parse_mark(".", 20), Err(MarkProblem::Unreadable));
        for o in [
            Outcome::Mark(1250),
            Outcome::Absent,
            Outcome::Exempt,
            Outcome::NotHandedIn,
        ] {
            assert_eq!(parse_mark(&outcome_text(o), 20), Ok(Some(o)));
            let (m, c) = outcome_columns(o);
            assert_eq!(outcome_of_columns(m, c), Some(o));
        }
        assert_eq!(
            (points_fr(1250), points_fr(1400), points_fr(725), points_fr(5)),
            ("12,5".into(), "14".into(), "7,25".into(), "0,05".into())
        );
    }

    fn form() -> EvaluationForm {
        EvaluationForm {
            teaching: "0190a000-0000-7000-8000-000000000001:061200".into(),
            day: "2026-09-10".into(),
            title: "Fractions".into(),
            kind: "notes".into(),
            scale: "20".into(),
            coefficient: "1,5".into(),
            components: vec![],
        }
    }

    #[test]
    fn an_evaluation_form_names_its_first_bad_field() {
        let d = form().check().unwrap();
        assert_eq!(
            (d.scale, d.coefficient, d.subject_code.as_str()),
            (20, 150, "061200")
        );
        let bad = |f: EvaluationForm| f.check().unwrap_err().field;
        assert_eq!(
            bad(EvaluationForm {
                title: " ".into(),
                ..form()
            }),
            "gr-field-title"
        );
        assert_eq!(
            bad(EvaluationForm {
                day: "10/09/2026".into(),
                ..form()
            }),
            "gr-field-day"
        );
        assert_eq!(
            bad(EvaluationForm {
                scale: "0".into(),
                ..form()
            }),
            "gr-field-scale"
        );
        assert_eq!(
            bad(EvaluationForm {
                coefficient: "0".into(),
                ..form()
            }),
            "gr-field-coefficient"
        );
        assert_eq!(
            bad(EvaluationForm {
                kind: "competences".into(),
                ..form()
            }),
            "gr-field-components"
        );
        let skills = EvaluationForm {
            kind: "competences".into(),
            scale: "".into(),
            components: vec!["D2".into(), "D1.3".into(), "D2".into()],
            ..form()
        }
        .check()
        .unwrap();
        assert_eq!(skills.components, vec![Component::D13, Component::D2]);
    }

    #[test]
    fn periods_are_ordered_and_never_overlap() {
        let row = |label: &str, start: &str, end: &str| PeriodRow {
            id: None,
            label: label.into(),
            start: start.into(),
            end: end.into(),
        };
        let ok = check_periods(&[
            row("S2", "2027-02-01", "2027-07-04"),
            row("", "", ""),
            row("S1", "2026-09-01", "2027-01-31"),
        ])
        .unwrap();
        assert_eq!(ok.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), ["S1", "S2"]);
        let errors = check_periods(&[
            row("T1", "2026-09-01", "2026-12-01"),
            row("T2", "2026-11-30", "2027-03-14"),
            row("T3", "2027-07-04", "2027-03-15"),
        ])
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].problem, "gr-problem-period-order");
        assert_eq!(errors[1].problem, "gr-problem-period-overlap");
        assert_eq!(
            check_periods(&[]).unwrap_err()[0].problem,
            "gr-problem-period-none"
        );
    }

    #[test]
    fn the_default_year_has_three_trimesters() {
        let t = default_trimesters(Day::parse("2027-01-15").unwrap());
        assert_eq!(t[0].1.to_string(), "2026-09-01");
        assert_eq!(t[2].2.to_string(), "2027-07-04");
        let t = default_trimesters(Day::parse("2026-09-02").unwrap());
        assert_eq!(t[1].1.to_string(), "2026-12-01");
        let periods: Vec<Period> = t
            .iter()
            .map(|(l, s, e)| Period {
                id: uuid::Uuid::nil(),
                label: l.clone(),
                start: *s,
                end: *e,
            })
            .collect();
        let on = |d: &str| {
            current_period(&periods, Day::parse(d).unwrap())
                .unwrap()
                .label
                .clone()
        };
        assert_eq!(on("2026-12-01"), "2e trimestre");
        assert_eq!(on("2027-08-01"), "3e trimestre");
        assert_eq!(on("2026-08-01"), "1er trimestre");
    }
}
