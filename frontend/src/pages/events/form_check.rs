//! The event form's checks before it goes to the server: every message names its field (the
//! server's names, so the error summary links to it), the times are read as Beijing time, and
//! a new start lies between now and a year from now.

use chrono::{DateTime, Duration, Utc};
use shared::events::{limits, EventInput, EventStatus, EventType, Organisation, Visibility};
use shared::time::parse_beijing_local;
use shared::{FieldError, Text};

use crate::pages::cases::merge_errors;

/// The form as typed.
pub struct EventDraft {
    pub title: String,
    pub event_type: String,
    pub site_id: Option<String>,
    pub description: String,
    pub starts: String,
    pub ends: String,
    pub signup_deadline: String,
    pub cancel_deadline: String,
    pub volunteers: String,
    pub children: String,
    pub organisations: Vec<Organisation>,
    pub publish: bool,
    pub leads: Vec<String>,
}

fn time(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    text: Text,
) -> Option<DateTime<Utc>> {
    let parsed = parse_beijing_local(value);
    if parsed.is_none() {
        errors.push(FieldError::new(field, text));
    }
    parsed
}

fn places(errors: &mut Vec<FieldError>, field: &str, value: &str, text: Text) -> Option<u32> {
    let parsed = match value.trim() {
        "" => None,
        typed => typed
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= limits::CAPACITY_MAX),
    };
    if parsed.is_none() {
        errors.push(FieldError::new(field, text));
    }
    parsed
}

/// The event to save, or every message at once. `original_start` is the saved start of an
/// event being edited: an unchanged start may already have passed.
pub fn checked(
    draft: &EventDraft,
    now: DateTime<Utc>,
    original_start: Option<DateTime<Utc>>,
) -> Result<EventInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    if draft.title.trim().is_empty() {
        errors.push(FieldError::new(
            "title",
            Text::new("请填写活动标题", "Enter the event's title"),
        ));
    }
    let event_type = EventType::parse(&draft.event_type);
    if event_type.is_none() {
        errors.push(FieldError::new(
            "event_type",
            Text::new("请选择活动类型", "Choose the kind of event"),
        ));
    }
    let site_id = draft.site_id.clone().filter(|s| !s.is_empty());
    if site_id.is_none() {
        errors.push(FieldError::new(
            "site_id",
            Text::new("请选择活动阵地", "Choose the site"),
        ));
    }
    let starts = time(
        &mut errors,
        "starts_at",
        &draft.starts,
        Text::new("请填写开始时间", "Enter when the event starts"),
    );
    if let Some(start) = starts.filter(|s| Some(*s) != original_start) {
        if start < now {
            errors.push(FieldError::new(
                "starts_at",
                Text::new("开始时间不能早于现在", "The start cannot be in the past"),
            ));
        } else if start > now + Duration::days(366) {
            errors.push(FieldError::new(
                "starts_at",
                Text::new(
                    "开始时间应在一年之内",
                    "The start should be within a year from now",
                ),
            ));
        }
    }
    let ends = time(
        &mut errors,
        "ends_at",
        &draft.ends,
        Text::new("请填写结束时间", "Enter when the event ends"),
    );
    let signup = time(
        &mut errors,
        "signup_deadline",
        &draft.signup_deadline,
        Text::new("请填写报名截止时间", "Enter the sign-up deadline"),
    );
    let cancel = time(
        &mut errors,
        "cancel_deadline",
        &draft.cancel_deadline,
        Text::new("请填写取消截止时间", "Enter the cancellation deadline"),
    );
    let volunteers = places(
        &mut errors,
        "volunteer_capacity",
        &draft.volunteers,
        Text::new(
            "志愿者名额请填写 0 到 2000 之间的整数",
            "Volunteer places: a whole number from 0 to 2,000",
        ),
    );
    let children = places(
        &mut errors,
        "child_capacity",
        &draft.children,
        Text::new(
            "儿童名额请填写 0 到 2000 之间的整数",
            "Children's places: a whole number from 0 to 2,000",
        ),
    );
    let (
        Some(event_type),
        Some(site_id),
        Some(starts_at),
        Some(ends_at),
        Some(signup_deadline),
        Some(cancel_deadline),
        Some(volunteer_capacity),
        Some(child_capacity),
    ) = (
        event_type, site_id, starts, ends, signup, cancel, volunteers, children,
    )
    else {
        return Err(errors);
    };
    let input = EventInput {
        title: draft.title.clone(),
        event_type,
        description: draft.description.clone(),
        site_id,
        starts_at,
        ends_at,
        signup_deadline,
        cancel_deadline,
        volunteer_capacity,
        child_capacity,
        visibility: if draft.organisations.is_empty() {
            Visibility::AllVolunteers
        } else {
            Visibility::Organisations {
                organisations: draft.organisations.clone(),
            }
        },
        leads: draft.leads.clone(),
        status: if draft.publish {
            EventStatus::Published
        } else {
            EventStatus::Draft
        },
    };
    match input.validate() {
        Ok(valid) if errors.is_empty() => Ok(valid),
        Ok(_) => Err(errors),
        Err(found) => Err(merge_errors(errors, found)),
    }
}
