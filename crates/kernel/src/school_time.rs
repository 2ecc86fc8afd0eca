//! School time: French schools keep Paris time (the metropolitan académies; an overseas one would bring
//! its zone with the directory). The time zone database is bundled, so a machine without tzdata
//! computes the same hours.

use crate::Timestamp;

/// The IANA name of the schools' time zone (iCalendar files name it).
pub const SCHOOL_TZ: &str = "Europe/Paris";

/// The schools' time zone.
pub fn school_tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(SCHOOL_TZ).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The school day of an instant and its minute after midnight, school time.
pub fn school_day_and_minute(at: Timestamp) -> (jiff::civil::Date, i32) {
    let zoned = jiff::Timestamp::from_millisecond(at.0)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(school_tz());
    (
        zoned.date(),
        i32::from(zoned.hour()) * 60 + i32::from(zoned.minute()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_time_in_winter_and_summer() {
        // 2026-12-07 07:55 UTC is 08:55 in Paris (UTC+1); 2026-09-02 05:55 UTC is 07:55 (UTC+2).
        let (day, minute) = school_day_and_minute(Timestamp(1_796_630_100_000));
        assert_eq!((day.to_string(), minute), ("2026-12-07".to_string(), 8 * 60 + 55));
        let (day, minute) = school_day_and_minute(Timestamp(1_788_328_500_000));
        assert_eq!((day.to_string(), minute), ("2026-09-02".to_string(), 7 * 60 + 55));
    }
}
