//! The rules of discipline, without I/O: the punishments and sanctions a school may give and what each
//! one needs (code de l'éducation, R511-13 and R511-14), who may give what, and what a family is shown.
//! Days are the school's calendar days ('YYYY-MM-DD', Europe/Paris); times are minutes after midnight.

use jiff::civil::Date;
use kernel::{Profile, Timestamp};

/// Longest free text (description, reason, work) and short text (place, name) accepted, in characters.
pub const MAX_TEXT: usize = 5_000;
pub const MAX_SHORT: usize = 200;
/// Longest temporary exclusion, from the class or from the school: eight days (R511-13, 4° and 5°).
pub const MAX_EXCLUSION_DAYS: i32 = 8;
/// Longest mesure de responsabilisation: twenty hours (R511-13, 3°).
pub const MAX_RESPONSIBILITY_HOURS: i32 = 20;

pub use web::FieldError;

/// Enums stored as a code, shown through the Fluent key `<prefix><code>`.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|k| k.code() == code.trim())
            }

            /// The Fluent key of its name.
            pub fn key(self) -> String {
                format!(concat!($prefix, "{}"), self.code())
            }
        }
    };
}

coded!(
    /// What a person did in an incident.
    Role, "dis-role-", { Author => "auteur", Victim => "victime", Witness => "temoin" }
);

coded!(
    /// The punitions scolaires: given by teachers, the school-life office or the direction.
    PunishmentKind, "dis-punishment-", {
        ExtraWork => "devoir",
        Detention => "retenue",
        LessonExclusion => "exclusion_cours",
        Note => "observation",
        Apology => "excuse",
    }
);

coded!(
    /// Whether the punishment was carried out.
    PunishmentStatus, "dis-status-", { ToDo => "a_faire", Done => "faite", NotDone => "non_faite" }
);

coded!(
    /// The sanctions of R511-13, decided by the head (the last one only by the conseil de discipline).
    SanctionKind, "dis-sanction-", {
        Warning => "avertissement",
        Reprimand => "blame",
        Responsibility => "responsabilisation",
        ClassExclusion => "exclusion_classe",
        SchoolExclusion => "exclusion_etablissement",
        Expulsion => "exclusion_definitive",
    }
);

coded!(
    /// A sanction's suspension: none, total, or part of an exclusion's days.
    Sursis, "dis-sursis-", { No => "aucun", Total => "total", Partial => "partiel" }
);

impl SanctionKind {
    /// The temporary exclusions, which last a number of days.
    pub fn is_temporary_exclusion(self) -> bool {
        matches!(self, SanctionKind::ClassExclusion | SanctionKind::SchoolExclusion)
    }

    /// Sanctions 3° to 6° may carry a sursis; the avertissement and the blâme may not.
    pub fn may_be_suspended(self) -> bool {
        !matches!(self, SanctionKind::Warning | SanctionKind::Reprimand)
    }
}

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

    /// The last day of `days` school days (Monday to Friday) starting on `self` (or on the Monday after,
    /// when `self` falls on a weekend).
    pub fn after_school_days(self, days: i32) -> Day {
        let mut d = self;
        while d.weekday() > 5 {
            d = d.plus_days(1);
        }
        for _ in 1..days.max(1) {
            d = d.plus_days(1);
            while d.weekday() > 5 {
                d = d.plus_days(1);
            }
        }
        d
    }

    /// The first day of the school year `self` belongs to: 1 August, so a late-August rentrée counts.
    pub fn school_year_start(self) -> Day {
        let year = if self.0.month() >= 8 {
            self.0.year()
        } else {
            self.0.year() - 1
        };
        Day(Date::new(year, 8, 1).unwrap_or(self.0))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// "10:05" → 605.
pub fn parse_time(s: &str) -> Option<i32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// 605 → "10:05".
pub fn time_fr(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Who may report an incident and give a punishment: teachers, the school-life office, the direction.
pub fn may_punish(p: Profile) -> bool {
    matches!(p, Profile::Teacher | Profile::SchoolLife | Profile::Direction)
}

/// Only the head (and their deputies) decide sanctions (R511-14).
pub fn may_decide_sanction(p: Profile) -> bool {
    p == Profile::Direction
}

/// The school-life office and the direction follow every incident and every student of the school.
pub fn sees_whole_school(p: Profile) -> bool {
    matches!(p, Profile::SchoolLife | Profile::Direction)
}

/// What a school shows students and families. Sanctions are always shown: the law has them notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyRules {
    pub show_punishments: bool,
    /// Incidents in which the student is an author (never the other people involved).
    pub show_incidents: bool,
}

impl Default for FamilyRules {
    fn default() -> Self {
        FamilyRules {
            show_punishments: true,
            show_incidents: false,
        }
    }
}

mod forms;

pub use forms::*;

#[cfg(test)]
mod tests;
