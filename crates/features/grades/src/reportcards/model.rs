//! The rules of report cards, without I/O: the council's mentions, the length of appraisals, who may
//! write what for a class, and how a new generation relates to the versions already made.

use kernel::Profile;

use crate::model::FieldError;

/// Longest subject appraisal (characters), as report-card software commonly allows.
pub const MAX_SUBJECT_APPRAISAL: usize = 400;
/// Longest general appraisal of the head teacher.
pub const MAX_GENERAL_APPRAISAL: usize = 600;
/// Longest summary of a class council.
pub const MAX_COUNCIL_SUMMARY: usize = 1500;

/// The class council's mention for a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mention {
    Felicitations,
    Compliments,
    Encouragements,
    WorkWarning,
    ConductWarning,
}

impl Mention {
    pub const ALL: [Mention; 5] = [
        Mention::Felicitations,
        Mention::Compliments,
        Mention::Encouragements,
        Mention::WorkWarning,
        Mention::ConductWarning,
    ];

    /// The code stored in `report_council_mentions.mention` and posted by the council form.
    pub fn code(self) -> &'static str {
        match self {
            Mention::Felicitations => "felicitations",
            Mention::Compliments => "compliments",
            Mention::Encouragements => "encouragements",
            Mention::WorkWarning => "avertissement_travail",
            Mention::ConductWarning => "avertissement_comportement",
        }
    }

    pub fn parse(code: &str) -> Option<Mention> {
        Mention::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Fluent key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Mention::Felicitations => "rc-mention-felicitations",
            Mention::Compliments => "rc-mention-compliments",
            Mention::Encouragements => "rc-mention-encouragements",
            Mention::WorkWarning => "rc-mention-work-warning",
            Mention::ConductWarning => "rc-mention-conduct-warning",
        }
    }
}

/// Reads a posted mention: empty is « no mention », anything unknown is an error naming the student.
pub fn parse_mention(code: &str, student: &str) -> Result<Option<Mention>, FieldError> {
    match code.trim() {
        "" => Ok(None),
        c => Mention::parse(c)
            .map(Some)
            .ok_or_else(|| FieldError::new("rc-field-mention", "rc-problem-mention").arg("name", student)),
    }
}

/// An appraisal as typed: line ends made `\n`, outer space trimmed, at most `max` characters. Too long
/// is an error naming the field and the student.
pub fn check_text(text: &str, max: usize, field: &'static str, student: &str) -> Result<String, FieldError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    let count = text.chars().count();
    if count > max {
        return Err(FieldError::new(field, "rc-problem-too-long")
            .arg("name", student)
            .arg("max", max)
            .arg("count", count));
    }
    Ok(text.to_string())
}

/// How a person stands towards one class, from the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassRole {
    pub direction: bool,
    pub head_teacher: bool,
    /// Codes of the subjects the person teaches to the class.
    pub subjects: Vec<String>,
}

impl ClassRole {
    pub fn of(profile: Profile, head_teacher: bool, subjects: Vec<String>) -> ClassRole {
        let teacher = profile == Profile::Teacher;
        ClassRole {
            direction: profile == Profile::Direction,
            head_teacher: teacher && head_teacher,
            subjects: if teacher { subjects } else { vec![] },
        }
    }

    /// The class page (appraisal status, report cards): the direction, the head teacher and the
    /// class's teachers, who all sit on the council.
    pub fn sees_class(&self) -> bool {
        self.direction || self.head_teacher || !self.subjects.is_empty()
    }

    /// A subject appraisal: only a teacher of that subject in the class.
    pub fn writes_subject(&self, subject: &str) -> bool {
        self.subjects.iter().any(|s| s == subject)
    }

    /// The general appraisal: the head teacher.
    pub fn writes_general(&self) -> bool {
        self.head_teacher
    }

    /// The council's mentions and summary: the direction.
    pub fn decides(&self) -> bool {
        self.direction
    }

    /// Generating and publishing the class's report cards: the direction and the head teacher.
    pub fn issues(&self) -> bool {
        self.direction || self.head_teacher
    }
}

/// The latest report card of a student for a period, as far as a new generation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    pub version: i32,
    pub published: bool,
}

/// What a new generation does with a student's report card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// A first version, or a new version after a published one (which stays).
    New { version: i32 },
    /// The unpublished latest version is replaced in place.
    Replace { version: i32 },
}

pub fn generation(latest: Option<Latest>) -> Generation {
    match latest {
        None => Generation::New { version: 1 },
        Some(l) if l.published => Generation::New {
            version: l.version + 1,
        },
        Some(l) => Generation::Replace { version: l.version },
    }
}

/// The school year a period falls in, « 2026-2027 », from its first day ('YYYY-MM-DD'): years start
/// in August or later.
pub fn school_year(start: &str) -> Option<String> {
    let year: i32 = start.get(..4)?.parse().ok()?;
    let month: u32 = start.get(5..7)?.parse().ok()?;
    let first = if month >= 8 { year } else { year - 1 };
    Some(format!("{first}-{}", first + 1))
}

/// A download's file name: « bulletin-1er-trimestre-dupont-lea.pdf » (ASCII, no spaces).
pub fn file_name(period: &str, last: &str, first: &str) -> String {
    let slug = kernel::text::fold(&format!("bulletin {period} {last} {first}"))
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>();
    let parts: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
    format!("{}.pdf", parts.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_round_trip_and_junk_is_named() {
        for m in Mention::ALL {
            assert_eq!(Mention::parse(m.code()), Some(m));
        }
        assert_eq!(parse_mention("", "Léa Dupont"), Ok(None));
        assert_eq!(
            parse_mention("compliments", "Léa"),
            Ok(Some(Mention::Compliments))
        );
        let e = parse_mention("bravo", "Léa Dupont").unwrap_err();
        assert_eq!(e.problem, "rc-problem-mention");
        assert!(e.args.contains(&("name", "Léa Dupont".to_string())));
    }

    #[test]
    fn appraisals_are_trimmed_and_bounded() {
        assert_eq!(
            check_text("  Bien.\r\nContinuez. ", 400, "f", "x"),
            Ok("Bien.\nContinuez.".into())
        );
        let long = "é".repeat(401);
        let e = check_text(&long, 400, "rc-field-subject-appraisal", "Léa").unwrap_err();
        assert_eq!(e.field, "rc-field-subject-appraisal");
        assert!(e.args.contains(&("count", "401".to_string())));
        // Characters, not bytes: 400 accented letters fit.
        assert!(check_text(&"é".repeat(400), 400, "f", "x").is_ok());
    }

    #[test]
    fn who_writes_what() {
        let maths = ClassRole::of(Profile::Teacher, false, vec!["MATHS".into()]);
        assert!(maths.sees_class() && maths.writes_subject("MATHS"));
        assert!(!maths.writes_subject("FRANC") && !maths.writes_general() && !maths.issues());
        let head = ClassRole::of(Profile::Teacher, true, vec![]);
        assert!(head.sees_class() && head.writes_general() && head.issues() && !head.decides());
        let direction = ClassRole::of(Profile::Direction, true, vec!["MATHS".into()]);
        assert!(direction.decides() && direction.issues() && !direction.writes_subject("MATHS"));
        assert!(!direction.writes_general());
        let parent = ClassRole::of(Profile::Guardian, false, vec![]);
        assert!(!parent.sees_class());
        let cpe = ClassRole::of(Profile::SchoolLife, true, vec!["MATHS".into()]);
        assert_eq!(cpe, ClassRole::default());
    }

    #[test]
    fn a_published_card_is_never_overwritten() {
        assert_eq!(generation(None), Generation::New { version: 1 });
        let draft = Latest {
            version: 1,
            published: false,
        };
        assert_eq!(generation(Some(draft)), Generation::Replace { version: 1 });
        let published = Latest {
            version: 2,
            published: true,
        };
        assert_eq!(generation(Some(published)), Generation::New { version: 3 });
    }

    #[test]
    fn school_years_and_file_names() {
        assert_eq!(school_year("2026-09-01").as_deref(), Some("2026-2027"));
        assert_eq!(school_year("2027-03-01").as_deref(), Some("2026-2027"));
        assert_eq!(school_year("junk"), None);
        assert_eq!(
            file_name("1er trimestre", "Dupont-Éluard", "Léa"),
            "bulletin-1er-trimestre-dupont-eluard-lea.pdf"
        );
    }
}
