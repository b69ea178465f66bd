//! The statistics page: the numbers a district reports upward, each with the list behind it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::children::Bilingual;

/// Where a number leads: the portal page that lists what it counts, and the API list whose
/// `total` is that number (a test checks every one).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatLink {
    /// A portal path with its query, e.g. `/children?status=monitored&care_level=urgent`.
    pub page: String,
    /// The API list answering with `Page.total`, e.g. `/api/children?status=monitored&…`.
    pub api: String,
}

/// One counted number.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatCount {
    pub count: u64,
    pub link: StatLink,
}

/// One bar of a breakdown: `key` is the code (a village code, `urgent`, `none` for "not
/// recorded" …), `label` what the page shows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatBucket {
    pub key: String,
    pub label: Bilingual,
    pub count: u64,
    pub link: StatLink,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// `street`, `village`, `category`, `difficulty_group`, `care_level`, `age_band`,
    /// `gender`, `guardianship_type`, `school_stage`.
    pub dimension: String,
    pub title: Bilingual,
    /// In the dimension's own order; buckets with 0 are included (except streets and villages,
    /// which list only those with children).
    pub buckets: Vec<StatBucket>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    /// The Beijing date the numbers are counted on (ages, "this year").
    pub as_of: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// The villages counted (none listed for the whole district).
    pub villages: Vec<String>,
    /// Counted over the whole district (an admin without a filter). Otherwise `villages` is the
    /// scope, which may be empty (a street holding none of a director's villages).
    #[serde(default)]
    pub whole_district: bool,
    /// Children being monitored (every breakdown counts these).
    pub monitored: StatCount,
    pub breakdowns: Vec<Breakdown>,
    /// Registered this (Beijing) year, whatever their status now.
    pub new_this_year: StatCount,
    /// Left monitoring this year.
    pub exited_this_year: StatCount,
    /// Monitored children with an active caring-mother pairing.
    pub paired: StatCount,
    /// Monitored children with a case group (一生一案一群), and those among them with at least
    /// one open crisis flag (the registry list's `case_group=true` / `open_crisis=true`).
    pub open_cases: StatCount,
    pub open_crises: StatCount,
}

impl Statistics {
    /// The share of monitored children with an active pairing, in whole per cent.
    pub fn pairing_coverage_percent(&self) -> u64 {
        (self.paired.count * 100)
            .checked_div(self.monitored.count)
            .unwrap_or(0)
    }
}
