//! Time is injected: domain code asks a [`Clock`] instead of reading the system time, so tests can
//! pin "today" (future-date rules, dispute numbering by year) and audit timestamps.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time. Offices and the county all work in UTC+8; timestamps carry the offset
/// so they read naturally in the ledgers and stay unambiguous in bundles.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is within FixedOffset's ±24 h range")
}

pub trait Clock: Send + Sync {
    /// The current instant in China Standard Time.
    fn now(&self) -> DateTime<FixedOffset>;

    /// Today's calendar date in China Standard Time.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The real clock, for the CLI and the desktop app.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Utc::now().with_timezone(&china_offset())
    }
}

/// A clock that always answers the same instant (tests, and `CUNJING_NOW` in the CLI).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<FixedOffset>);

impl FixedClock {
    /// Parses an RFC 3339 timestamp such as `2026-11-28T09:30:00+08:00`; the instant is kept
    /// in China Standard Time whatever offset it was written with.
    pub fn parse(rfc3339: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| FixedClock(t.with_timezone(&china_offset())))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_gives_china_date() {
        let c = FixedClock::parse("2026-11-28T23:30:00+08:00").expect("valid");
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"));
        // 16:30 UTC on the 28th is 00:30 on the 29th in China: "today" follows the office's day.
        let c = FixedClock::parse("2026-11-28T16:30:00Z").expect("valid");
        assert_eq!(c.today().to_string(), "2026-11-29");
    }
}
