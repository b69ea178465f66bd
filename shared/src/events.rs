//! Sites, events and sign-ups as the browser and the API exchange them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Text;
use crate::validate::{text_field, Checker, PersonName, Phone};

labelled_enum!(Organisation {
    WomensFederation = "womens_federation", "妇联", "Women's federation";
    Charity = "charity", "慈善组织", "Charity";
    University = "university", "高校", "University";
    Other = "other", "其他", "Other";
});

labelled_enum!(SiteType {
    ChildrensHome = "childrens_home", "儿童之家", "Children's home";
    ProtectionStation = "protection_station", "未保工作站", "Protection station";
    WomenChildrenPost = "women_children_post", "妇儿驿站", "Women-and-children post";
    ParentSchool = "parent_school", "家长学校", "Parent school";
    School = "school", "学校", "School";
    Other = "other", "其他", "Other";
});

labelled_enum!(EventType {
    HolidayCare = "holiday_care", "假期托管", "Holiday care";
    MicroCourse = "micro_course", "成长微课", "Growth micro-course";
    MentalHealth = "mental_health", "心理健康课", "Mental-health class";
    LegalEducation = "legal_education", "法治教育", "Legal education";
    ParentSchool = "parent_school", "家长课堂", "Parent school";
    ThemedActivity = "themed_activity", "主题活动", "Themed activity";
    Other = "other", "其他", "Other";
});

labelled_enum!(EventStatus {
    Draft = "draft", "草稿", "Draft";
    Published = "published", "已发布", "Published";
    Cancelled = "cancelled", "已取消", "Cancelled";
    Finished = "finished", "已结束", "Finished";
});

labelled_enum!(PlaceKind {
    Volunteer = "volunteer", "志愿者", "Volunteer";
    Child = "child", "儿童", "Child";
});

labelled_enum!(SignupStatus {
    Confirmed = "confirmed", "已确认", "Confirmed";
    Waitlisted = "waitlisted", "候补中", "On the waitlist";
    Cancelled = "cancelled", "已取消", "Cancelled";
});

pub mod limits {
    pub const SITE_NAME_MAX: usize = 60;
    pub const ADDRESS_MAX: usize = 100;
    pub const TITLE_MAX: usize = 60;
    pub const DESCRIPTION_MAX: usize = 1000;
    pub const CAPACITY_MAX: u32 = 2000;
    pub const REASON_MAX: usize = 200;
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    pub name: String,
    pub site_type: SiteType,
    pub village_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
}

impl SiteInput {
    pub fn validate(&self) -> Result<SiteInput, Vec<FieldError>> {
        let mut checker = Checker::default();
        let name = checker.check(text_field("name", &self.name, limits::SITE_NAME_MAX, true));
        if !crate::divisions::is_village(&self.village_code) {
            checker.check::<()>(Err(FieldError::new(
                "village_code",
                Text::new("请选择所在村(社区)", "Choose the village or community"),
            )));
        }
        let address = checker.check(text_field(
            "address",
            &self.address,
            limits::ADDRESS_MAX,
            false,
        ));
        let contact_name = match self.contact_name.trim() {
            "" => Some(String::new()),
            raw => checker
                .check(PersonName::parse("contact_name", raw))
                .map(|n| n.as_str().to_string()),
        };
        let contact_phone = match self.contact_phone.trim() {
            "" => Some(String::new()),
            raw => checker
                .check(Phone::parse("contact_phone", raw))
                .map(|p| p.as_str().to_string()),
        };
        checker.finish()?;
        Ok(SiteInput {
            name: name.unwrap_or_default(),
            site_type: self.site_type,
            village_code: self.village_code.clone(),
            address: address.unwrap_or_default(),
            contact_name: contact_name.unwrap_or_default(),
            contact_phone: contact_phone.unwrap_or_default(),
        })
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: String,
    #[serde(flatten)]
    pub site: SiteInput,
}

/// Why an event is called off: told to everyone signed up and kept in the audit log.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelEventRequest {
    pub reason: String,
}

impl CancelEventRequest {
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        text_field("reason", &self.reason, limits::REASON_MAX, true).map_err(|error| vec![error])
    }
}

/// Who may see and sign up for an event.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Visibility {
    AllVolunteers,
    Organisations { organisations: Vec<Organisation> },
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub title: String,
    pub event_type: EventType,
    #[serde(default)]
    pub description: String,
    pub site_id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub signup_deadline: DateTime<Utc>,
    pub cancel_deadline: DateTime<Utc>,
    pub volunteer_capacity: u32,
    pub child_capacity: u32,
    pub visibility: Visibility,
    /// Volunteers who may run check-in (besides admins).
    #[serde(default)]
    pub leads: Vec<String>,
    /// `draft` or `published`; cancelling has its own endpoint (it notifies people).
    pub status: EventStatus,
}

impl EventInput {
    pub fn validate(&self) -> Result<EventInput, Vec<FieldError>> {
        let mut checker = Checker::default();
        let title = checker.check(text_field("title", &self.title, limits::TITLE_MAX, true));
        let description = checker.check(text_field(
            "description",
            &self.description,
            limits::DESCRIPTION_MAX,
            false,
        ));
        let mut fail =
            |field: &str, text: Text| checker.check::<()>(Err(FieldError::new(field, text)));
        if self.ends_at <= self.starts_at {
            fail(
                "ends_at",
                Text::new("结束时间须晚于开始时间", "The end must be after the start"),
            );
        }
        if self.signup_deadline > self.starts_at {
            fail(
                "signup_deadline",
                Text::new(
                    "报名截止时间不能晚于开始时间",
                    "The sign-up deadline cannot be after the start",
                ),
            );
        }
        if self.cancel_deadline > self.starts_at {
            fail(
                "cancel_deadline",
                Text::new(
                    "取消截止时间不能晚于开始时间",
                    "The cancellation deadline cannot be after the start",
                ),
            );
        }
        if self.volunteer_capacity > limits::CAPACITY_MAX
            || self.child_capacity > limits::CAPACITY_MAX
        {
            fail(
                "volunteer_capacity",
                Text::new("名额最多 2000", "At most 2,000 places"),
            );
        }
        if self.volunteer_capacity == 0 && self.child_capacity == 0 {
            fail(
                "volunteer_capacity",
                Text::new(
                    "志愿者和儿童名额不能都为 0",
                    "Volunteer and child places cannot both be 0",
                ),
            );
        }
        if let Visibility::Organisations { organisations } = &self.visibility {
            if organisations.is_empty() {
                fail(
                    "visibility",
                    Text::new("请至少选择一个组织", "Choose at least one organisation"),
                );
            }
        }
        if !matches!(self.status, EventStatus::Draft | EventStatus::Published) {
            fail(
                "status",
                Text::new("只能保存为草稿或发布", "Save as draft or published"),
            );
        }
        if self.leads.len() > 10 {
            fail("leads", Text::new("最多 10 位负责人", "At most 10 leads"));
        }
        checker.finish()?;
        Ok(EventInput {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            ..self.clone()
        })
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceCounts {
    pub capacity: u32,
    pub confirmed: u32,
    pub waitlisted: u32,
}

impl PlaceCounts {
    /// Places a newcomer can take: none while anyone waits, since a freed place belongs to the
    /// head of the waitlist.
    pub fn left(&self) -> u32 {
        if self.waitlisted > 0 {
            0
        } else {
            self.capacity.saturating_sub(self.confirmed)
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub version: u64,
    pub event: EventInput,
    pub site: Option<Site>,
    pub volunteers: PlaceCounts,
    pub children: PlaceCounts,
    /// The caller's own place, when they have one.
    #[serde(default)]
    pub my_signup: Option<SignupRecord>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateEventRequest {
    pub event: EventInput,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateEventRequest {
    pub version: u64,
    pub event: EventInput,
}

labelled_enum!(Attendance {
    Present = "present", "出席", "Present";
    Absent = "absent", "缺席", "Absent";
});

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupRecord {
    pub event_id: String,
    pub kind: PlaceKind,
    /// The volunteer's user id or the child's id.
    pub person_id: String,
    pub name: String,
    pub status: SignupStatus,
    /// Waitlist number, while waitlisted: numbers are handed out in the order the waitlist was
    /// joined and the lowest waiting number is promoted first. They are not renumbered when
    /// people leave, and a request that failed after drawing one leaves a gap.
    #[serde(default)]
    pub position: Option<u64>,
    pub signed_up_at: DateTime<Utc>,
    #[serde(default)]
    pub attendance: Option<Attendance>,
    /// Volunteer minutes credited (from check-in, or corrected by an admin).
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub correction: Option<String>,
    /// Who entered a child's place (a director or teacher), told if the event is cancelled.
    #[serde(default)]
    pub entered_by: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildSignupRequest {
    pub child_id: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    pub kind: PlaceKind,
    pub person_id: String,
    pub attendance: Attendance,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectHoursRequest {
    pub person_id: String,
    pub minutes: u32,
    pub reason: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub event: EventRecord,
    pub signups: Vec<SignupRecord>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEvent {
    pub event: EventRecord,
    pub signup: SignupRecord,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursLine {
    /// `2026-11` for a month, `2026` for a year.
    pub period: String,
    pub minutes: u64,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyHours {
    pub months: Vec<HoursLine>,
    pub years: Vec<HoursLine>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationHours {
    pub organisation: Organisation,
    pub minutes: u64,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub at: DateTime<Utc>,
    pub text: crate::children::Bilingual,
    #[serde(default)]
    pub link: Option<String>,
}
