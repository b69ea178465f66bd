//! Working days and quarters, Beijing calendar. Monday–Friday are working days, except the
//! public holidays an admin lists; weekend days an admin lists as make-up working days (调休)
//! are working days too.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Public holidays (days off, whatever the weekday).
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days worked instead (调休).
    #[serde(default)]
    pub make_up_days: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.make_up_days.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `count`-th working day after `day` (`day` itself does not count).
    pub fn add_working_days(&self, day: NaiveDate, count: u32) -> NaiveDate {
        let mut at = day;
        let mut left = count;
        // A year of days off in a row cannot happen; the bound keeps a bad list from looping.
        for _ in 0..(count as usize * 7 + 400) {
            if left == 0 {
                return at;
            }
            at = at.succ_opt().unwrap_or(at);
            if self.is_working_day(at) {
                left -= 1;
            }
        }
        at
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not later).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut at = from;
        while at < to {
            at = match at.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if self.is_working_day(at) {
                count += 1;
            }
        }
        count
    }
}

/// A calendar quarter: year and 1–4.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(3))
            .and_then(|next| next.pred_opt())
            .unwrap_or_default()
    }

    pub fn previous(self) -> Self {
        if self.quarter == 1 {
            Self {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Self {
                year: self.year,
                quarter: self.quarter - 1,
            }
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Self::of(day) == self
    }

    /// "2026年第4季度" / "2026 Q4".
    pub fn label(self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Zh => format!("{}年第{}季度", self.year, self.quarter),
            crate::Lang::En => format!("{} Q{}", self.year, self.quarter),
        }
    }

    /// "2026-Q4", as in URLs and exports.
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year, self.quarter)
    }

    pub fn parse(code: &str) -> Option<Self> {
        let (year, quarter) = code.split_once("-Q")?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let quarter: u32 = quarter.parse().ok().filter(|q| (1..=4).contains(q))?;
        Some(Self { year, quarter })
    }
}

/// Monday of the week `day` is in (weeks run Monday–Sunday).
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_make_up_days() {
        let mut calendar = WorkCalendar::default();
        // Friday 2026-10-02 → five working days later is Friday 2026-10-09.
        assert_eq!(calendar.add_working_days(d(2026, 10, 2), 5), d(2026, 10, 9));
        // National Day week off, Saturday 10-10 worked instead.
        for day in 1..=7 {
            calendar.holidays.insert(d(2026, 10, day));
        }
        calendar.make_up_days.insert(d(2026, 10, 10));
        assert!(calendar.is_working_day(d(2026, 10, 10)));
        assert!(!calendar.is_working_day(d(2026, 10, 5)));
        // From 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13.
        assert_eq!(
            calendar.add_working_days(d(2026, 9, 30), 5),
            d(2026, 10, 13)
        );
        assert_eq!(
            calendar.working_days_between(d(2026, 9, 30), d(2026, 10, 13)),
            5
        );
    }

    #[test]
    fn quarters_have_their_bounds() {
        let q = Quarter::of(d(2026, 11, 30));
        assert_eq!(
            q,
            Quarter {
                year: 2026,
                quarter: 4
            }
        );
        assert_eq!(q.first_day(), d(2026, 10, 1));
        assert_eq!(q.last_day(), d(2026, 12, 31));
        assert_eq!(Quarter::of(d(2027, 1, 1)).previous(), q);
        assert_eq!(Quarter::parse("2026-Q4"), Some(q));
        assert_eq!(Quarter::parse("2026-Q5"), None);
        assert_eq!(week_start(d(2026, 11, 29)), d(2026, 11, 23));
    }
}
