//! Volunteers' profiles and vetting, one-to-one caring-mother pairings and their contact log.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::children::{Bilingual, Gender};
use crate::events::Organisation;
use crate::i18n::Text;

labelled_enum!(VettingState {
    Pending = "pending", "待审核", "Awaiting vetting";
    Approved = "approved", "已通过", "Approved";
    Rejected = "rejected", "未通过", "Rejected";
    Suspended = "suspended", "已暂停", "Suspended";
});

labelled_enum!(CheckResult {
    Clear = "clear", "无不良记录", "Clear";
    Concerns = "concerns", "存在问题", "Concerns found";
});

labelled_enum!(VettingDecision {
    Approve = "approve", "通过", "Approve";
    Reject = "reject", "不通过", "Reject";
    Suspend = "suspend", "暂停", "Suspend";
    Reinstate = "reinstate", "恢复", "Reinstate";
});

labelled_enum!(PairingState {
    Proposed = "proposed", "拟结对", "Proposed";
    Active = "active", "结对中", "Active";
    Ended = "ended", "已结束", "Ended";
    Cancelled = "cancelled", "已撤销", "Cancelled";
});

labelled_enum!(EndReason {
    ChildLeftMonitoring = "child_left_monitoring", "儿童退出监测", "Child left monitoring";
    VolunteerWithdrew = "volunteer_withdrew", "志愿者退出", "Volunteer withdrew";
    Mismatch = "mismatch", "匹配不合适", "Mismatch";
    Other = "other", "其他", "Other";
});

labelled_enum!(ContactMode {
    HomeVisit = "home_visit", "入户探访", "Home visit";
    Phone = "phone", "电话", "Phone";
    Video = "video", "视频", "Video";
    Outing = "outing", "外出活动", "Outing";
});

/// Background check for people in close contact with minors.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundCheck {
    pub checked_on: NaiveDate,
    pub result: CheckResult,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vetting {
    pub state: VettingState,
    #[serde(default)]
    pub background_check: Option<BackgroundCheck>,
    #[serde(default)]
    pub checked_by: Option<String>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub interests: String,
    #[serde(default)]
    pub availability: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerProfile {
    pub user_id: String,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub organisation: Option<Organisation>,
    pub profile: ProfileInput,
    pub max_children: u32,
    pub active_pairings: u32,
    pub vetting: Vetting,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VettingRequest {
    pub decision: VettingDecision,
    #[serde(default)]
    pub background_check: Option<BackgroundCheck>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub max_children: Option<u32>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingEnd {
    pub reason: EndReason,
    #[serde(default)]
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    pub id: String,
    pub child_id: String,
    pub child_name: String,
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub state: PairingState,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    #[serde(default)]
    pub activated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ended: Option<PairingEnd>,
    /// Set when the volunteer's approval was suspended: the pairing needs an admin's attention.
    #[serde(default)]
    pub flagged: Option<Bilingual>,
    #[serde(default)]
    pub last_contact: Option<NaiveDate>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposePairingRequest {
    pub child_id: String,
    pub volunteer_id: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndPairingRequest {
    pub reason: EndReason,
    #[serde(default)]
    pub note: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub date: NaiveDate,
    pub mode: ContactMode,
    pub minutes: u32,
    pub summary: String,
    pub concern: bool,
    pub logged_by: String,
    pub logged_at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    pub date: NaiveDate,
    pub mode: ContactMode,
    pub minutes: u32,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub concern: bool,
}

/// What a volunteer may know about their paired child: never the ID number, the address, the
/// parents or case notes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitedChild {
    pub given_name: String,
    pub gender: Gender,
    pub age: i32,
    pub grade: String,
    pub school: String,
    pub interests: String,
    pub guardian_given_name: String,
    pub guardian_relation: String,
    pub guardian_phone: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPairing {
    pub pairing_id: String,
    pub child: LimitedChild,
    pub since: Option<DateTime<Utc>>,
    pub last_contact: Option<NaiveDate>,
    pub contact_overdue: bool,
    pub contacts: Vec<Contact>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingDetail {
    pub pairing: Pairing,
    pub contact_overdue: bool,
    pub contacts: Vec<Contact>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpairedChild {
    pub child_id: String,
    pub name: String,
    pub village_code: String,
    pub school: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingBoard {
    pub unpaired: Vec<UnpairedChild>,
    pub proposed: Vec<Pairing>,
    pub active: Vec<Pairing>,
    pub overdue: Vec<Pairing>,
    pub flagged: Vec<Pairing>,
    pub volunteers_with_capacity: Vec<VolunteerProfile>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub volunteer: VolunteerProfile,
    pub score: u32,
    pub why: Vec<Bilingual>,
}

const COMPOUND_SURNAMES: [&str; 16] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "夏侯",
    "令狐", "司徒", "申屠", "端木",
];

/// The given name, as a volunteer may call the child: for a Chinese name the part after the
/// family name (compound family names included); for a name with `·` the first part; otherwise
/// the name as written (it is never split on spaces).
pub fn given_name(full: &str) -> String {
    let full = full.trim();
    if let Some((first, _)) = full.split_once('·') {
        return first.to_string();
    }
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    if full.chars().count() >= 2 && full.chars().all(is_cjk) {
        if let Some(rest) = COMPOUND_SURNAMES
            .iter()
            .find_map(|s| full.strip_prefix(s))
            .filter(|rest| !rest.is_empty())
        {
            return rest.to_string();
        }
        return full.chars().skip(1).collect();
    }
    full.to_string()
}

impl VettingState {
    /// A suspended or rejected volunteer takes no place, leads no event and sees no child.
    pub fn bars(self) -> bool {
        matches!(self, VettingState::Suspended | VettingState::Rejected)
    }
}

#[cfg(test)]
mod tests {
    use super::given_name;

    #[test]
    fn given_names() {
        assert_eq!(given_name("李小明"), "小明");
        assert_eq!(given_name("欧阳娜娜"), "娜娜");
        assert_eq!(given_name("王芳"), "芳");
        assert_eq!(given_name("买买提·艾力"), "买买提");
        assert_eq!(given_name("Anna Müller"), "Anna Müller");
        assert_eq!(given_name("李"), "李");
    }
}
