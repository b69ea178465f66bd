//! Query-string arguments of the list endpoints (also described in the OpenAPI document).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Deserialize;
use shared::api::UserStatus;
use shared::children::{CareLevel, Category, MonitoringStatus};
use shared::events::EventType;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListUsersArgs {
    pub status: Option<UserStatus>,
    pub cursor: Option<String>,
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
    pub cursor: Option<String>,
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
