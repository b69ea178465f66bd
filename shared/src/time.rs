//! People live in China Standard Time (UTC+8, no daylight saving). Instants are stored in UTC;
//! every calendar boundary is decided here, in Beijing time, also on a server that runs in UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The calendar date in Beijing at an instant.
pub fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&beijing()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beijing_date_turns_at_16_00_utc() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // 23:30 and 00:30 Beijing time.
        assert_eq!(
            beijing_date(at("2026-11-29T15:30:00Z")).to_string(),
            "2026-11-29"
        );
        assert_eq!(
            beijing_date(at("2026-11-29T16:30:00Z")).to_string(),
            "2026-11-30"
        );
    }
}
