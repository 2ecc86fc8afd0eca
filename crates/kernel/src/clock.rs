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
