//! Referrals (转介): a problem found on a visit, in a case group, by a caring mother or in a
//! crisis goes to the minor-protection office (未保办), which sends it to member units (or answers
//! or declines it); a unit's officer takes it, reports progress and resolves it; the office
//! confirms closure or reopens it; the reporter sees the outcome. Every step is a transition in
//! the referral's history (the same mechanism for every move, as in Primero).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::children::CareLevel;
use crate::error::FieldError;
use crate::i18n::Text;
use crate::validate::{text_field, Checker};

labelled_enum!(ReferralCategory {
    Safety = "safety", "人身安全", "Safety";
    SuspectedAbuse = "suspected_abuse", "疑似受侵害", "Suspected abuse";
    Health = "health", "健康医疗", "Health";
    Psychological = "psychological", "心理问题", "Psychological";
    Schooling = "schooling", "就学/辍学", "Schooling or dropout";
    Guardianship = "guardianship", "监护问题", "Guardianship";
    Financial = "financial", "经济困难", "Financial hardship";
    Legal = "legal", "法律问题", "Legal";
    Other = "other", "其他", "Other";
});

labelled_enum!(Urgency {
    Urgent = "urgent", "紧急", "Urgent";
    Normal = "normal", "一般", "Normal";
});

labelled_enum!(SourceKind {
    Visit = "visit", "走访发现", "Found on a visit";
    CaseGroup = "case_group", "个案群组", "Case group";
    Concern = "concern", "爱心妈妈反映", "A caring mother's concern";
    Crisis = "crisis", "危机预警", "Crisis flag";
    Direct = "direct", "直接上报", "Reported directly";
});

labelled_enum!(ReferralState {
    Submitted = "submitted", "待未保办处理", "Waiting for the office";
    Assigned = "assigned", "已转介成员单位", "With member units";
    InProgress = "in_progress", "办理中", "In progress";
    Resolved = "resolved", "已办结,待确认", "Resolved, to be confirmed";
    Closed = "closed", "已关闭", "Closed";
    Declined = "declined", "未受理", "Declined";
});

labelled_enum!(PartState {
    Waiting = "waiting", "待接收", "Waiting to be taken";
    Accepted = "accepted", "办理中", "Being handled";
    Returned = "returned", "已退回未保办", "Returned to the office";
    Resolved = "resolved", "已办结", "Resolved";
});

labelled_enum!(StepKind {
    Raised = "raised", "提出转介", "Raised";
    Assigned = "assigned", "分派给成员单位", "Assigned to a unit";
    Answered = "answered", "未保办直接答复", "Answered by the office";
    Declined = "declined", "未受理", "Declined";
    Taken = "taken", "单位接收", "Taken by the unit";
    Returned = "returned", "退回未保办", "Returned to the office";
    Update = "update", "进展", "Progress";
    Resolved = "resolved", "办结", "Resolved";
    Confirmed = "confirmed", "未保办确认关闭", "Closure confirmed";
    Reopened = "reopened", "重新打开", "Reopened";
});

pub mod limits {
    pub const TEXT_MAX: usize = 1000;
    pub const REASON_MAX: usize = 300;
    pub const UNIT_MAX: usize = 40;
    pub const UNITS_MAX: usize = 40;
}

/// Where a referral came from, so the screens can link back.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSource {
    pub kind: SourceKind,
    /// The visit, crisis or pairing it came from, when there is one.
    #[serde(default)]
    pub id: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaiseReferral {
    pub child_id: String,
    pub source: ReferralSource,
    pub category: ReferralCategory,
    pub urgency: Urgency,
    /// What was found.
    pub found: String,
    /// What is asked for.
    pub asked: String,
}

impl RaiseReferral {
    pub fn validate(&self) -> Result<RaiseReferral, Vec<FieldError>> {
        let mut checker = Checker::default();
        let found = checker.check(text_field("found", &self.found, limits::TEXT_MAX, true));
        let asked = checker.check(text_field("asked", &self.asked, limits::TEXT_MAX, true));
        let id_like = |value: &str| {
            value.len() <= 32
                && value
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        };
        if self.source.id.as_deref().is_some_and(|id| !id_like(id)) {
            checker.check::<()>(Err(FieldError::new(
                "source",
                Text::new("来源记录无效", "The source record is not valid"),
            )));
        }
        checker.finish()?;
        Ok(RaiseReferral {
            found: found.unwrap_or_default(),
            asked: asked.unwrap_or_default(),
            ..self.clone()
        })
    }
}

/// One unit's part of a referral.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralPart {
    pub unit: String,
    /// What the office asks of this unit.
    pub task: String,
    pub state: PartState,
    #[serde(default)]
    pub officer_id: Option<String>,
    #[serde(default)]
    pub officer_name: Option<String>,
    pub assigned_at: DateTime<Utc>,
    /// The first answer (taken or returned) is due by this day.
    pub respond_by: NaiveDate,
    pub resolve_by: NaiveDate,
    #[serde(default)]
    pub responded_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub outcome: String,
}

/// One transition in the referral's history.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralStep {
    pub kind: StepKind,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub text: String,
}

/// The child as a referral shows it: enough to act on, nothing of the registry record beyond.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralChild {
    pub id: String,
    pub name: String,
    pub age: u32,
    pub village_code: String,
    /// The first guardian's name, relation and phone.
    pub guardian: String,
    pub care_level: CareLevel,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: String,
    pub version: u64,
    pub child: ReferralChild,
    pub source: ReferralSource,
    pub category: ReferralCategory,
    pub urgency: Urgency,
    pub found: String,
    pub asked: String,
    pub state: ReferralState,
    pub raised_by_id: String,
    pub raised_by: String,
    pub raised_at: DateTime<Utc>,
    /// The office's first answer (assign, answer, decline) is due by this day.
    pub triage_by: NaiveDate,
    #[serde(default)]
    pub triaged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub parts: Vec<ReferralPart>,
    /// The office's own answer, or why it declined, or the closing note.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub history: Vec<ReferralStep>,
}

impl Referral {
    /// Whether anything is late on `today`: the office's triage, a unit's first answer, or a
    /// unit's resolution.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        match self.state {
            ReferralState::Submitted => self.triage_by < today,
            ReferralState::Assigned | ReferralState::InProgress => {
                self.parts.iter().any(|part| match part.state {
                    PartState::Waiting => part.respond_by < today,
                    PartState::Accepted => part.resolve_by < today,
                    PartState::Returned | PartState::Resolved => false,
                })
            }
            _ => false,
        }
    }

    pub fn is_open(&self) -> bool {
        !matches!(self.state, ReferralState::Closed | ReferralState::Declined)
    }
}

/// A referral in a list: what a row shows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub id: String,
    pub child_name: String,
    pub village_code: String,
    pub category: ReferralCategory,
    pub urgency: Urgency,
    pub state: ReferralState,
    pub units: Vec<String>,
    pub raised_at: DateTime<Utc>,
    pub raised_by: String,
    pub overdue: bool,
    /// The state of the reader's unit's part, for an officer.
    #[serde(default)]
    pub my_part: Option<PartState>,
}

/// The office's triage: send to units (each with its own task), answer, or decline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Triage {
    Assign {
        version: u64,
        parts: Vec<PartRequest>,
        /// Resolution due; working days from today when absent (10).
        #[serde(default)]
        resolve_by: Option<NaiveDate>,
    },
    Answer {
        version: u64,
        text: String,
    },
    Decline {
        version: u64,
        reason: String,
    },
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartRequest {
    pub unit: String,
    pub task: String,
}

/// What a unit's officer does with their unit's part.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum UnitAction {
    Take { version: u64 },
    Return { version: u64, reason: String },
    Update { version: u64, text: String },
    Resolve { version: u64, outcome: String },
}

/// The office after the units have resolved: close the loop, or reopen.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OfficeReview {
    Confirm { version: u64, note: String },
    Reopen { version: u64, reason: String },
}

/// The district's member units (成员单位), edited by admins.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberUnits {
    pub units: Vec<String>,
    /// Working days for a first answer: urgent, normal.
    pub urgent_response_days: u32,
    pub normal_response_days: u32,
    /// Working days to resolve, when the office sets no date.
    pub resolve_days: u32,
}

impl Default for MemberUnits {
    fn default() -> Self {
        Self {
            units: [
                "区民政局",
                "区检察院",
                "区公安分局",
                "区教育局",
                "区妇联",
                "区卫健局",
                "区司法局",
                "团区委",
                "区人社局",
                "区残联",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
            urgent_response_days: 1,
            normal_response_days: 3,
            resolve_days: 10,
        }
    }
}

impl MemberUnits {
    pub fn validate(&self) -> Result<MemberUnits, Vec<FieldError>> {
        let mut checker = Checker::default();
        let mut units = Vec::new();
        for (index, unit) in self.units.iter().enumerate() {
            if let Some(name) = checker.check(text_field(
                &format!("units[{index}]"),
                unit,
                limits::UNIT_MAX,
                true,
            )) {
                if !units.contains(&name) {
                    units.push(name);
                }
            }
        }
        if units.is_empty() || units.len() > limits::UNITS_MAX {
            checker.check::<()>(Err(FieldError::new(
                "units",
                Text::new("成员单位应有 1 到 40 个", "Keep 1 to 40 member units"),
            )));
        }
        for (field, days) in [
            ("urgent_response_days", self.urgent_response_days),
            ("normal_response_days", self.normal_response_days),
            ("resolve_days", self.resolve_days),
        ] {
            if !(1..=60).contains(&days) {
                checker.check::<()>(Err(FieldError::new(
                    field,
                    Text::new("应为 1 到 60 个工作日", "Must be 1 to 60 working days"),
                )));
            }
        }
        checker.finish()?;
        Ok(MemberUnits {
            units,
            ..self.clone()
        })
    }

    /// The day a first answer is due, counted in working days from `from`.
    pub fn respond_by(
        &self,
        urgency: Urgency,
        from: NaiveDate,
        calendar: &WorkCalendar,
    ) -> NaiveDate {
        let days = match urgency {
            Urgency::Urgent => self.urgent_response_days,
            Urgency::Normal => self.normal_response_days,
        };
        calendar.add_working_days(from, days)
    }
}

/// Per unit: open referrals by age, and the times to a first answer and to resolution.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitStats {
    pub unit: String,
    pub open: u32,
    pub overdue: u32,
    /// Open parts by days since assigned: 0–3, 4–7, 8–30, over 30.
    pub ages: [u32; 4],
    pub response_hours_median: Option<f64>,
    pub response_hours_p90: Option<f64>,
    pub resolution_days_median: Option<f64>,
    pub resolution_days_p90: Option<f64>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralReport {
    /// `2026-11`, Beijing month: referrals raised in it.
    pub month: String,
    pub raised: u32,
    pub open: u32,
    pub overdue: u32,
    pub waiting_for_office: u32,
    pub units: Vec<UnitStats>,
}

/// The median and the 90th percentile (nearest rank) of some figures.
pub fn median_and_p90(mut values: Vec<f64>) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    values.sort_by(f64::total_cmp);
    let at = |share: f64| {
        let rank = ((share * values.len() as f64).ceil() as usize).clamp(1, values.len());
        values[rank - 1]
    };
    (Some(at(0.5)), Some(at(0.9)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_answers_are_due_in_working_days_by_urgency() {
        let units = MemberUnits::default();
        let mut calendar = WorkCalendar::default();
        let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            units.respond_by(Urgency::Urgent, friday, &calendar),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            units.respond_by(Urgency::Normal, friday, &calendar),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        calendar
            .holidays
            .insert(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(
            units.respond_by(Urgency::Urgent, friday, &calendar),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        assert_eq!(median_and_p90(vec![]), (None, None));
        assert_eq!(
            median_and_p90(vec![5.0, 1.0, 3.0, 2.0, 4.0]),
            (Some(3.0), Some(5.0))
        );
    }
}
