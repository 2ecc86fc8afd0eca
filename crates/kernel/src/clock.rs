//! Time as a parameter: production reads the system clock, tests move a manual one.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch, UTC. Stored as BIGINT on both engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_secs(self, secs: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// Whole seconds from `self` until `later` (0 if `later` is past).
    pub fn secs_until(self, later: Timestamp) -> i64 {
        ((later.0 - self.0).max(0) + 999) / 1000
    }
}

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
    fn now(&self) -> Timestamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Timestamp(since)
    }
}

/// The system clock shifted so that it read `start` when it was created, and runs on from there: a
/// load test or a demonstration of a school day (roll calls open only around lessons) on any date.
#[derive(Debug, Clone, Copy)]
pub struct ShiftedClock {
    offset_ms: i64,
}

impl ShiftedClock {
    pub fn starting_at(start: Timestamp) -> ShiftedClock {
        ShiftedClock {
            offset_ms: start.0 - SystemClock.now().0,
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> Timestamp {
        Timestamp(SystemClock.now().0 + self.offset_ms)
    }
}

/// A clock tests move by hand; clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(start.0)))
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_for_every_clone() {
        let clock = ManualClock::new(Timestamp(1_000));
        let other = clock.clone();
        other.advance_secs(60);
        assert_eq!(clock.now(), Timestamp(61_000));
    }

    #[test]
    fn secs_until_rounds_up_and_never_goes_negative() {
        assert_eq!(Timestamp(0).secs_until(Timestamp(1_001)), 2);
        assert_eq!(Timestamp(5_000).secs_until(Timestamp(1_000)), 0);
    }
}

impl Timestamp {
    /// The UTC calendar date (year, month, day) of this instant.
    pub fn date(self) -> (i64, u32, u32) {
        // Days to civil date (H. Hinnant's algorithm), valid for the proleptic Gregorian calendar.
        let days = self.0.div_euclid(86_400_000);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// "dd/mm/yyyy", the way French letters write dates.
    pub fn date_fr(self) -> String {
        let (y, m, d) = self.date();
        format!("{d:02}/{m:02}/{y}")
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn calendar_dates() {
        assert_eq!(Timestamp(0).date(), (1970, 1, 1));
        assert_eq!(Timestamp(1_788_220_800_000).date_fr(), "01/09/2026");
        assert_eq!(Timestamp(951_782_400_000).date(), (2000, 2, 29));
        assert_eq!(Timestamp(-86_400_000).date(), (1969, 12, 31));
    }
}

impl Timestamp {
    /// "dd/mm/yyyy hh:mm" in UTC (the journal shows UTC and says so).
    pub fn date_time_fr(self) -> String {
        let secs = self.0.div_euclid(1000).rem_euclid(86_400);
        format!("{} {:02}:{:02}", self.date_fr(), secs / 3600, secs % 3600 / 60)
    }
}

impl Timestamp {
    /// ISO 8601 in UTC to the second, "2026-09-01T08:00:00Z" (protocols: CAS, SAML, JSON APIs).
    pub fn iso8601(self) -> String {
        let (y, m, d) = self.date();
        let secs = self.0.div_euclid(1000).rem_euclid(86_400);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod iso_tests {
    #[test]
    fn iso8601_in_utc() {
        assert_eq!(
            super::Timestamp(1_788_249_605_000).iso8601(),
            "2026-09-01T08:00:05Z"
        );
    }
}

impl ManualClock {
    pub fn now_millis(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}
