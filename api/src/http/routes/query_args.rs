//! Query-string arguments of the list endpoints (also described in the OpenAPI document).

mod list_filters;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Deserialize;
use shared::api::UserStatus;
use shared::children::{CareLevel, Category, MonitoringStatus};
use shared::events::EventType;

pub use list_filters::{bad_parameters, street, village};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListUsersArgs {
    pub status: Option<UserStatus>,
    pub role: Option<shared::Role>,
    /// Part of a display name, or the start of a username.
    pub q: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeopleArgs {
    /// Part of a display name, or the start of a username.
    pub q: Option<String>,
    /// Comma-separated roles (`teacher,counsellor`); every role when absent.
    pub roles: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditArgs {
    /// `YYYY-MM`, Beijing calendar month; the current month when absent.
    pub month: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildListArgs {
    /// A name prefix, or the last 4 characters of an ID number.
    pub q: Option<String>,
    pub village: Option<String>,
    pub school: Option<String>,
    pub category: Option<Category>,
    pub care_level: Option<CareLevel>,
    pub eligible: Option<bool>,
    pub status: Option<MonitoringStatus>,
    /// A street code (9 digits): children living in its villages.
    pub street: Option<String>,
    /// `male` or `female`.
    pub gender: Option<String>,
    /// An age band on today's Beijing date: `0-2`, `3-5`, `6-11`, `12-15`, `16+`.
    pub age_band: Option<String>,
    /// A guardianship type's code, or `none` (not recorded).
    pub guardianship_type: Option<String>,
    /// A school stage's code, or `none` (not recorded).
    pub school_stage: Option<String>,
    /// A children-in-difficulty group's code: children in that group (among others).
    pub difficulty_group: Option<String>,
    /// A year, e.g. `2026`: registered in that Beijing calendar year.
    pub registered_year: Option<String>,
    /// A year: left monitoring in that year.
    pub exited_year: Option<String>,
    /// `true`: with an active caring-mother pairing; `false`: without.
    pub paired: Option<String>,
    /// `true`: with a case group (一生一案一群); `false`: without.
    pub case_group: Option<String>,
    /// `true`: with an open crisis flag; `false`: without.
    pub open_crisis: Option<String>,
    /// `name` (A→Z, the default) or `-name` (Z→A).
    pub sort: Option<NameOrder>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum NameOrder {
    #[serde(rename = "name")]
    Ascending,
    #[serde(rename = "-name")]
    Descending,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormatArgs {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventListArgs {
    #[serde(rename = "type")]
    pub event_type: Option<EventType>,
    /// A street code of the district.
    pub street: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearArgs {
    pub year: Option<i32>,
}

/// `teacher,counsellor` → the roles; every role when absent or empty.
pub fn parse_roles(raw: Option<&str>) -> Result<Vec<shared::Role>, crate::http::error::HttpError> {
    let Some(raw) = raw.map(str::trim).filter(|raw| !raw.is_empty()) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(|part| {
            serde_json::from_value::<shared::Role>(serde_json::Value::String(part.trim().into()))
                .map_err(|_| {
                    crate::http::error::HttpError::new(shared::ErrorCode::InvalidBody)
                        .with_detail("roles: comma-separated role names such as teacher,counsellor")
                })
        })
        .collect()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitPlanArgs {
    /// One of the reader's villages; all of them when absent.
    pub village: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplianceArgs {
    /// `2026-Q4`; the current quarter when absent.
    pub quarter: Option<String>,
    /// `csv` (default) or `xlsx`, for the export.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralListArgs {
    pub state: Option<shared::referrals::ReferralState>,
    /// Only referrals still open (for an officer: their unit's parts to take or finish).
    pub open: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralReportArgs {
    /// `2026-11`, Beijing month; the current one when absent.
    pub month: Option<String>,
    /// `csv` (default) or `xlsx`, for the export.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatisticsArgs {
    /// A street code (9 digits): that street's villages (a director's among them).
    pub street: Option<String>,
    /// A village code (12 digits): that village only.
    pub village: Option<String>,
    /// `xlsx` (default) or `csv`, for the export.
    pub format: Option<String>,
}
