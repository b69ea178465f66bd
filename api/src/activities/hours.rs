//! Check-in, volunteer hours and their totals.
//!
//! Hours come from check-in (the event's length) and admins' corrections. The sign-up's minutes,
//! the organisation's monthly total and the audit entry change in one transaction conditioned on
//! the sign-up as read; a second tap of the same check-in reads the first one's result and has
//! nothing left to do, so hours are credited once to the volunteer and to their organisation.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use shared::api::AuditAction;
use shared::events::{
    Attendance, CheckInRequest, CorrectHoursRequest, HoursLine, MyHours, Organisation,
    OrganisationHours, PlaceKind, SignupRecord, SignupStatus,
};
use shared::{Role, Text};

use super::{busy, event_target, invalid, is_lead, visible_event, ATTEMPTS};
use crate::accounts::{audit_entry, user_target, Actor, CurrentUser};
use crate::registry::child_target;
use crate::store::events::{AttendanceChange, EventItem, HoursDelta};
use crate::{AppError, AppState};

fn beijing_month(at: DateTime<Utc>) -> String {
    at.with_timezone(&shared::time::beijing())
        .format("%Y-%m")
        .to_string()
}

async fn organisation_of(state: &AppState, user_id: &str) -> Result<Organisation, AppError> {
    Ok(state
        .store
        .get_user(user_id)
        .await?
        .and_then(|user| user.organisation)
        .unwrap_or(Organisation::Other))
}

/// An attendance to record and how it is audited.
struct Credit<'a> {
    kind: PlaceKind,
    person_id: &'a str,
    attendance: Attendance,
    minutes: Option<u32>,
    /// An admin's correction ("name: reason"); it stands until another correction replaces it.
    correction: Option<String>,
    action: AuditAction,
    target: String,
    reason: Option<String>,
}

impl Credit<'_> {
    /// Whether the sign-up already says what this would write (a repeated tap).
    fn is_done(&self, before: &SignupRecord) -> bool {
        before.attendance == Some(self.attendance)
            && match &self.correction {
                None => before.minutes == self.minutes || before.correction.is_some(),
                Some(text) => {
                    before.minutes == self.minutes && before.correction.as_ref() == Some(text)
                }
            }
    }
}

async fn credit(
    state: &AppState,
    actor: &Actor,
    event: &EventItem,
    wanted: Credit<'_>,
) -> Result<SignupRecord, AppError> {
    for _ in 0..ATTEMPTS {
        let place = state
            .store
            .get_place(&event.id, wanted.kind, wanted.person_id)
            .await?
            .filter(|place| place.signup.status == SignupStatus::Confirmed)
            .ok_or(AppError::NotFound)?;
        let before = &place.signup;
        if wanted.is_done(before) {
            return Ok(place.signup);
        }
        let was = before.minutes.unwrap_or(0);
        let becomes = wanted.minutes.unwrap_or(0);
        let delta = i64::from(becomes) - i64::from(was);
        let hours = match wanted.kind {
            PlaceKind::Volunteer if delta != 0 => Some(HoursDelta {
                organisation: organisation_of(state, wanted.person_id).await?,
                month: beijing_month(event.event.starts_at),
                minutes: delta,
            }),
            _ => None,
        };
        let mut detail = format!(
            "{} {} {was} → {becomes} min",
            event_target(&event.id),
            wanted.attendance.as_str()
        );
        if let Some(reason) = &wanted.reason {
            detail.push_str(&format!(": {reason}"));
        }
        let entry = audit_entry(
            state,
            actor,
            wanted.action,
            Some(wanted.target.clone()),
            Some(detail),
        );
        let change = AttendanceChange {
            place: &place,
            attendance: wanted.attendance,
            minutes: wanted.minutes,
            correction: wanted.correction.clone(),
            hours,
        };
        if state.store.record_attendance(&change, &entry).await? {
            let mut after = place.signup;
            after.attendance = Some(wanted.attendance);
            after.minutes = wanted.minutes;
            if wanted.correction.is_some() {
                after.correction = wanted.correction;
            }
            return Ok(after);
        }
    }
    Err(busy())
}

/// Marks a confirmed person present or absent (admins and the event's leads). A lead cannot
/// check themselves in: their hours need another person's word.
pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &CheckInRequest,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    if !is_lead(state, user, &event).await? {
        return Err(AppError::Forbidden);
    }
    if event.event.status == shared::events::EventStatus::Cancelled {
        return Err(invalid(
            "attendance",
            Text::new(
                "活动已取消,不能签到",
                "The event was cancelled: nobody can be checked in",
            ),
        ));
    }
    if user.role != Role::Admin
        && request.kind == PlaceKind::Volunteer
        && request.person_id == user.id
    {
        return Err(invalid(
            "person_id",
            Text::new(
                "活动负责人不能为自己签到,请由其他负责人或管理员签到",
                "An event lead cannot check themselves in: ask another lead or an administrator",
            ),
        ));
    }
    let minutes = match (request.attendance, request.kind) {
        (Attendance::Present, PlaceKind::Volunteer) => Some(
            u32::try_from((event.event.ends_at - event.event.starts_at).num_minutes()).unwrap_or(0),
        ),
        _ => None,
    };
    let target = match request.kind {
        PlaceKind::Volunteer => user_target(&request.person_id),
        PlaceKind::Child => child_target(&request.person_id),
    };
    let attendance = Credit {
        kind: request.kind,
        person_id: &request.person_id,
        attendance: request.attendance,
        minutes,
        correction: None,
        action: AuditAction::CheckedIn,
        target,
        reason: None,
    };
    credit(state, &user.actor(source), &event, attendance).await
}

pub async fn correct_hours(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &CorrectHoursRequest,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let reason = shared::validate::text_field(
        "reason",
        &request.reason,
        shared::events::limits::REASON_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    if request.minutes > 24 * 60 {
        return Err(invalid(
            "minutes",
            Text::new("时长最多 24 小时", "At most 24 hours"),
        ));
    }
    let event = visible_event(state, admin, id).await?;
    let correction = Credit {
        kind: PlaceKind::Volunteer,
        person_id: &request.person_id,
        attendance: Attendance::Present,
        minutes: Some(request.minutes),
        correction: Some(format!("{}: {reason}", admin.display_name)),
        action: AuditAction::HoursCorrected,
        target: user_target(&request.person_id),
        reason: Some(reason),
    };
    credit(state, &admin.actor(source), &event, correction).await
}

pub async fn my_hours(state: &AppState, user: &CurrentUser) -> Result<MyHours, AppError> {
    let mut months: HashMap<String, u64> = HashMap::new();
    for signup in state.store.volunteer_signups(&user.id).await? {
        let Some(minutes) = signup.minutes.filter(|minutes| *minutes > 0) else {
            continue;
        };
        if let Some(event) = state.store.get_event(&signup.event_id).await? {
            *months
                .entry(beijing_month(event.event.starts_at))
                .or_default() += u64::from(minutes);
        }
    }
    let mut years: HashMap<String, u64> = HashMap::new();
    for (month, minutes) in &months {
        *years.entry(month[..4].to_string()).or_default() += minutes;
    }
    let sorted = |map: HashMap<String, u64>| {
        let mut lines: Vec<HoursLine> = map
            .into_iter()
            .map(|(period, minutes)| HoursLine { period, minutes })
            .collect();
        lines.sort_by(|a, b| b.period.cmp(&a.period));
        lines
    };
    Ok(MyHours {
        months: sorted(months),
        years: sorted(years),
    })
}

pub async fn organisation_hours(
    state: &AppState,
    year: Option<i32>,
) -> Result<Vec<OrganisationHours>, AppError> {
    let year = year.unwrap_or_else(|| shared::time::beijing_date(state.clock.now()).year());
    let mut totals: HashMap<Organisation, i64> = HashMap::new();
    for (organisation, minutes) in state.store.organisation_minutes(year).await? {
        *totals.entry(organisation).or_default() += minutes;
    }
    Ok(Organisation::ALL
        .iter()
        .map(|organisation| OrganisationHours {
            organisation: *organisation,
            minutes: totals.get(organisation).copied().unwrap_or(0).max(0) as u64,
        })
        .collect())
}
