//! Counting failed sign-ins per client address in memory, with a sliding window.
//!
//! Per-account locking lives in the database (credentials.failed_attempts) so it holds across nodes;
//! per-address counting stays local to each node, which is enough to slow a guessing script.

use std::collections::HashMap;
use std::sync::Mutex;

use kernel::Timestamp;

#[derive(Debug)]
pub struct FailureLimiter {
    max_failures: u32,
    window_secs: i64,
    entries: Mutex<HashMap<String, (Timestamp, u32)>>,
}

/// Above this many tracked addresses, stale entries are swept on the next failure.
const SWEEP_ABOVE: usize = 50_000;

impl FailureLimiter {
    pub fn new(max_failures: u32, window_secs: i64) -> FailureLimiter {
        FailureLimiter {
            max_failures,
            window_secs,
            entries: Mutex::default(),
        }
    }

    /// Seconds to wait before `key` may try again, or None when it may try now.
    pub fn blocked_for(&self, key: &str, now: Timestamp) -> Option<i64> {
        let entries = self.entries.lock().ok()?;
        let (start, count) = entries.get(key)?;
        let ends = start.plus_secs(self.window_secs);
        (*count >= self.max_failures && now < ends).then(|| now.secs_until(ends))
    }

    pub fn record_failure(&self, key: &str, now: Timestamp) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() > SWEEP_ABOVE {
            let window = self.window_secs;
            entries.retain(|_, (start, _)| start.plus_secs(window) > now);
        }
        let entry = entries.entry(key.to_string()).or_insert((now, 0));
        if entry.0.plus_secs(self.window_secs) <= now {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_until_the_window_ends() {
        let limiter = FailureLimiter::new(3, 60);
        let t0 = Timestamp(1_000_000);
        for _ in 0..2 {
            limiter.record_failure("10.0.0.1", t0);
        }
        assert_eq!(limiter.blocked_for("10.0.0.1", t0), None);
        limiter.record_failure("10.0.0.1", t0);
        assert_eq!(limiter.blocked_for("10.0.0.1", t0.plus_secs(10)), Some(50));
        assert_eq!(limiter.blocked_for("10.0.0.2", t0), None);
        assert_eq!(limiter.blocked_for("10.0.0.1", t0.plus_secs(60)), None);
        limiter.record_failure("10.0.0.1", t0.plus_secs(61));
        assert_eq!(limiter.blocked_for("10.0.0.1", t0.plus_secs(61)), None);
    }
}
