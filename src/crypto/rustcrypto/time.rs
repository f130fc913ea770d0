//! The system clock as a [`TimeProvider`].
//!
//! This lives in `suites`, not in the core, so that the core never reads the clock itself (a
//! `no_std` or deterministic-test configuration supplies its own provider).

use std::time::SystemTime;

use crate::x509::{TimeProvider, UnixTime};

/// Reads the current time from [`std::time::SystemTime`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemTimeProvider;

impl TimeProvider for SystemTimeProvider {
    fn now(&self) -> Option<UnixTime> {
        // A clock set before 1970 is treated as no clock: verification then fails closed.
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).ok().map(UnixTime::since_unix_epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_provider_reports_a_time_after_2024() {
        // 2024-01-01T00:00:00Z
        let now = SystemTimeProvider.now().expect("clock available");
        assert!(now.as_secs() > 1_704_067_200);
    }
}
