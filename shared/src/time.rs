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

/// An instant as people read it, in Beijing time: `2026年11月29日 14:05` / `29 Nov 2026, 14:05`.
/// Written out by hand rather than with chrono's `format`: its format-string machinery is a
/// noticeable part of the phone's first download (issue 15).
pub fn format_datetime(at: DateTime<Utc>, lang: crate::Lang) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&beijing());
    let (date, hour, minute) = (local.date_naive(), local.hour(), local.minute());
    match lang {
        crate::Lang::Zh => format!("{} {hour:02}:{minute:02}", format_date(date, lang)),
        crate::Lang::En => format!("{}, {hour:02}:{minute:02}", format_date(date, lang)),
    }
}

/// The time of day in Beijing: `14:05`.
pub fn format_clock(at: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&beijing());
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// A month's English short name (1 = "Jan"); "" for a number that is not a month.
pub fn month_abbreviation(month: u32) -> &'static str {
    (month as usize)
        .checked_sub(1)
        .and_then(|index| MONTHS.get(index))
        .copied()
        .unwrap_or("")
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date as people read it: `2026年11月29日` / `29 Nov 2026`.
pub fn format_date(date: NaiveDate, lang: crate::Lang) -> String {
    use chrono::Datelike;
    let (year, month, day) = (date.year(), date.month(), date.day());
    match lang {
        crate::Lang::Zh => format!("{year}年{month}月{day}日"),
        crate::Lang::En => {
            format!("{day} {} {year}", month_abbreviation(month))
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn dates_follow_the_language_in_beijing_time() {
        let at: DateTime<Utc> = "2026-11-29T16:30:00Z".parse().unwrap();
        assert_eq!(format_datetime(at, Lang::Zh), "2026年11月30日 00:30");
        assert_eq!(format_datetime(at, Lang::En), "30 Nov 2026, 00:30");
        let day = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(format_date(day, Lang::Zh), "2026年11月29日");
        assert_eq!(format_date(day, Lang::En), "29 Nov 2026");
    }
}

/// A `datetime-local` value (`2026-12-05T09:00`) read as Beijing time.
pub fn parse_beijing_local(value: &str) -> Option<DateTime<Utc>> {
    let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok()?;
    naive
        .and_local_timezone(beijing())
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// The `datetime-local` value of an instant, in Beijing time.
pub fn to_beijing_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&beijing())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod local_tests {
    use super::*;

    #[test]
    fn form_times_are_beijing_times() {
        let at = parse_beijing_local("2026-12-01T00:30").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-30T16:30:00+00:00");
        assert_eq!(to_beijing_local(at), "2026-12-01T00:30");
        assert!(parse_beijing_local("yesterday").is_none());
    }
}
