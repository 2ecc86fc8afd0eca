//! The school year: its first and last days, its holidays, and which weeks are A and which B.
//!
//! Days are civil dates in the school's time zone. The national calendar of each zone is the default;
//! a school may have its own (stored in `school_calendars` and `school_holidays`).

use jiff::civil::{Date, Weekday};

pub use kernel::SCHOOL_TZ;

/// A holiday period, both days included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub first: Date,
    pub last: Date,
    pub label: String,
}

/// One school year of one school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub zone: String,
    pub first_day: Date,
    pub last_day: Date,
    /// Sorted by first day.
    pub holidays: Vec<Holiday>,
}

/// Week A or week B: lessons every other week follow the school's alternation, which skips the weeks of
/// holidays (the week after the holidays carries on where the week before them stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekKind {
    A,
    B,
}

impl WeekKind {
    pub fn code(self) -> &'static str {
        match self {
            WeekKind::A => "A",
            WeekKind::B => "B",
        }
    }
}

/// The Monday of `day`'s week.
pub fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

/// `day` plus `n` days (saturating at the ends of jiff's range, which no school reaches).
pub fn add_days(day: Date, n: i64) -> Date {
    day.checked_add(jiff::Span::new().days(n)).unwrap_or(day)
}

/// `YYYY-MM-DD`, as stored.
pub fn parse_day(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    s.parse().ok()
}

impl Calendar {
    /// Whether `day` is in the holidays or on a public holiday of the calendar.
    pub fn holiday(&self, day: Date) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.first <= day && day <= h.last)
    }

    /// A day lessons take place: in the school year, Monday to Saturday, not a holiday.
    pub fn is_school_day(&self, day: Date) -> bool {
        self.first_day <= day
            && day <= self.last_day
            && day.weekday() != Weekday::Sunday
            && self.holiday(day).is_none()
    }

    /// Whether the week starting on `monday` holds at least one school day.
    fn has_school_days(&self, monday: Date) -> bool {
        (0..6).any(|i| self.is_school_day(add_days(monday, i)))
    }

    /// A or B for the week of `day`, or `None` for a week without school (holidays, outside the year).
    /// The first week of the year is A; weeks without school do not count.
    pub fn week_kind(&self, day: Date) -> Option<WeekKind> {
        let monday = monday_of(day);
        if !self.has_school_days(monday) {
            return None;
        }
        let mut week = monday_of(self.first_day);
        let mut count = 0u32;
        while week < monday {
            if self.has_school_days(week) {
                count += 1;
            }
            week = add_days(week, 7);
        }
        Some(if count.is_multiple_of(2) {
            WeekKind::A
        } else {
            WeekKind::B
        })
    }

    /// The national calendar of `zone` ('A', 'B' or 'C') for the school year starting in `year`, when
    /// Ardoise knows it; otherwise a year from 1 September to 4 July with public holidays only, for the
    /// school to complete.
    pub fn national(zone: &str, year: i16) -> Calendar {
        if year == 2026
            && let Some(c) = national_2026(zone)
        {
            return c;
        }
        let day = |y: i16, m: i8, d: i8| Date::new(y, m, d).unwrap_or(Date::ZERO);
        Calendar {
            zone: zone.to_string(),
            first_day: day(year, 9, 1),
            last_day: day(year + 1, 7, 4),
            holidays: vec![
                holiday(day(year, 11, 11), day(year, 11, 11), "Armistice"),
                holiday(day(year, 12, 25), day(year + 1, 1, 1), "Noël et jour de l'an"),
                holiday(day(year + 1, 5, 1), day(year + 1, 5, 1), "Fête du travail"),
                holiday(day(year + 1, 5, 8), day(year + 1, 5, 8), "Victoire 1945"),
            ],
        }
    }

    /// The school year a day belongs to: September to August, named by its first calendar year.
    pub fn year_of(day: Date) -> i16 {
        if day.month() >= 8 {
            day.year()
        } else {
            day.year() - 1
        }
    }
}

fn holiday(first: Date, last: Date, label: &str) -> Holiday {
    Holiday {
        first,
        last,
        label: label.to_string(),
    }
}

/// 2026-2027 (arrêté fixing the calendar of the school years 2024-2027): days off, first and last
/// days included; the first day of classes is Tuesday 1 September 2026, the last Saturday 3 July 2027.
fn national_2026(zone: &str) -> Option<Calendar> {
    let d = |y: i16, m: i8, day: i8| Date::new(y, m, day).unwrap_or(Date::ZERO);
    let (winter, spring) = match zone {
        "A" => ((d(2027, 2, 13), d(2027, 2, 28)), (d(2027, 4, 10), d(2027, 4, 25))),
        "B" => ((d(2027, 2, 20), d(2027, 3, 7)), (d(2027, 4, 17), d(2027, 5, 2))),
        "C" => ((d(2027, 2, 6), d(2027, 2, 21)), (d(2027, 4, 3), d(2027, 4, 18))),
        _ => return None,
    };
    let mut holidays = vec![
        holiday(d(2026, 10, 17), d(2026, 11, 1), "Vacances de la Toussaint"),
        holiday(d(2026, 11, 11), d(2026, 11, 11), "Armistice"),
        holiday(d(2026, 12, 19), d(2027, 1, 3), "Vacances de Noël"),
        holiday(winter.0, winter.1, "Vacances d'hiver"),
        holiday(d(2027, 3, 29), d(2027, 3, 29), "Lundi de Pâques"),
        holiday(spring.0, spring.1, "Vacances de printemps"),
        holiday(d(2027, 5, 6), d(2027, 5, 9), "Pont de l'Ascension"),
        holiday(d(2027, 5, 17), d(2027, 5, 17), "Lundi de Pentecôte"),
    ];
    holidays.sort_by_key(|h| h.first);
    Some(Calendar {
        zone: zone.to_string(),
        first_day: d(2026, 9, 1),
        last_day: d(2027, 7, 3),
        holidays,
    })
}

/// The zone of an académie (its code as stored in `academies.code`); zone B when unknown.
pub fn zone_of_academy(code: &str) -> &'static str {
    const A: &[&str] = &[
        "BESANCON",
        "BORDEAUX",
        "CLERMONT-FERRAND",
        "DIJON",
        "GRENOBLE",
        "LIMOGES",
        "LYON",
        "POITIERS",
    ];
    const C: &[&str] = &["CRETEIL", "MONTPELLIER", "PARIS", "TOULOUSE", "VERSAILLES"];
    let code = code.to_ascii_uppercase();
    if A.contains(&code.as_str()) {
        "A"
    } else if C.contains(&code.as_str()) {
        "C"
    } else {
        "B"
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn grand_est_is_zone_b_and_its_winter_holidays_are_zone_bs() {
        for code in ["REIMS", "NANCY-METZ", "STRASBOURG"] {
            assert_eq!(zone_of_academy(code), "B");
        }
        let b = Calendar::national("B", 2026);
        assert!(
            !b.is_school_day(d(2027, 3, 1)),
            "zone B is on holiday on 1 March 2027"
        );
        assert!(Calendar::national("A", 2026).is_school_day(d(2027, 3, 1)));
        assert_eq!(b.holiday(d(2027, 3, 1)).unwrap().label, "Vacances d'hiver");
    }

    #[test]
    fn school_days_exclude_sundays_holidays_and_days_outside_the_year() {
        let c = Calendar::national("B", 2026);
        assert!(!c.is_school_day(d(2026, 8, 31)), "before the first day");
        assert!(c.is_school_day(d(2026, 9, 1)));
        assert!(!c.is_school_day(d(2026, 9, 6)), "a Sunday");
        assert!(!c.is_school_day(d(2026, 11, 11)), "Armistice");
        assert!(!c.is_school_day(d(2027, 7, 5)), "after the last day");
    }

    #[test]
    fn the_alternation_skips_the_holidays() {
        let c = Calendar::national("B", 2026);
        assert_eq!(
            c.week_kind(d(2026, 9, 2)),
            Some(WeekKind::A),
            "the first week is A"
        );
        assert_eq!(c.week_kind(d(2026, 9, 8)), Some(WeekKind::B));
        // 7 weeks of school before the Toussaint (weeks of 31 Aug … 12 Oct): the last is A, and the week
        // after the two weeks off carries on with B.
        assert_eq!(c.week_kind(d(2026, 10, 12)), Some(WeekKind::A));
        assert_eq!(c.week_kind(d(2026, 10, 19)), None, "holidays");
        assert_eq!(c.week_kind(d(2026, 10, 26)), None, "holidays");
        assert_eq!(c.week_kind(d(2026, 11, 2)), Some(WeekKind::B));
    }

    #[test]
    fn monday_of_any_day_of_a_week_is_that_weeks_monday() {
        assert_eq!(monday_of(d(2026, 9, 6)), d(2026, 8, 31));
        assert_eq!(monday_of(d(2026, 8, 31)), d(2026, 8, 31));
        assert_eq!(parse_day("2026-09-02"), Some(d(2026, 9, 2)));
        assert_eq!(parse_day("2026-9-2"), None);
        assert_eq!(parse_day("2026-02-30"), None);
    }

    proptest! {
        /// Two consecutive school weeks never share a letter; a week without school has none.
        #[test]
        fn consecutive_school_weeks_alternate(offset in 0i64..320) {
            let c = Calendar::national("B", 2026);
            let mut week = add_days(monday_of(c.first_day), offset);
            week = monday_of(week);
            let kind = c.week_kind(week);
            let mut next = add_days(week, 7);
            while next <= c.last_day && c.week_kind(next).is_none() {
                next = add_days(next, 7);
            }
            if let (Some(a), Some(b)) = (kind, c.week_kind(next)) {
                prop_assert_ne!(a, b);
            }
            if !(0..6).any(|i| c.is_school_day(add_days(week, i))) {
                prop_assert_eq!(kind, None);
            }
        }
    }
}
