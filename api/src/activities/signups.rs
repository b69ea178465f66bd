//! Taking a place and giving it back: volunteers for themselves, staff for children of their
//! scope (a director's villages, a teacher's school).

use chrono::{DateTime, Utc};
use shared::api::{AuditAction, AuditEntry};
use shared::events::{EventStatus, PlaceKind, SignupRecord, SignupStatus};
use shared::{Role, Scope};

use super::schedule::plan_booking;
use super::waitlist::{cancel_place, free_beside_waiting, promote_all};
use super::{busy, event_target, refused, visible_event, ATTEMPTS};
use crate::accounts::{audit_entry, CurrentUser};
use crate::registry::child_target;
use crate::store::events::{EventItem, Join, JoinOutcome};
use crate::{AppError, AppState};

fn open_for_signup(event: &EventItem, now: DateTime<Utc>) -> Result<(), AppError> {
    if event.event.status != EventStatus::Published {
        return Err(refused(
            "该活动未开放报名".into(),
            "This event is not open for sign-up".into(),
        ));
    }
    if now >= event.event.signup_deadline {
        return Err(refused("报名已截止".into(), "Sign-up has closed".into()));
    }
    Ok(())
}

/// Takes a place: a confirmed one while one is free and nobody waits, else the next position on
/// the waitlist. A volunteer's overlap check is made again whenever their schedule changed
/// under it; a join that found a place free after all tries to confirm again.
async fn join(
    state: &AppState,
    event: &EventItem,
    signup: SignupRecord,
    audit: Option<&AuditEntry>,
) -> Result<SignupRecord, AppError> {
    let now = state.clock.now();
    let kind = signup.kind;
    for _ in 0..ATTEMPTS {
        let schedule = match kind {
            PlaceKind::Volunteer => Some(plan_booking(state, &signup.person_id, event, now).await?),
            PlaceKind::Child => None,
        };
        let request = Join {
            signup: &signup,
            starts_at: event.event.starts_at,
            now,
            schedule: schedule.as_ref(),
            check_suspension: kind == PlaceKind::Volunteer,
            audit,
        };
        let outcome = match state.store.confirm_place(&request).await? {
            JoinOutcome::NotOpen => state.store.waitlist_place(&request).await?,
            other => other,
        };
        let (status, position) = match outcome {
            JoinOutcome::Confirmed => (SignupStatus::Confirmed, None),
            JoinOutcome::Waitlisted(position) => (SignupStatus::Waitlisted, Some(position)),
            JoinOutcome::Suspended => {
                return Err(refused(
                    "您的志愿者资格已暂停,暂不能报名".into(),
                    "Your volunteer approval is suspended: you cannot sign up for now".into(),
                ))
            }
            JoinOutcome::AlreadySignedUp => {
                return Err(refused(
                    "已经报名过这个活动".into(),
                    "Already signed up for this event".into(),
                ))
            }
            JoinOutcome::NotOpen => {
                return Err(refused(
                    "该活动未开放报名或已截止".into(),
                    "This event is not open for sign-up".into(),
                ))
            }
            JoinOutcome::PlaceFree | JoinOutcome::ScheduleChanged => continue,
        };
        // Only after a capacity increase can places sit free beside people waiting; whoever
        // sees that hands them down (the editor normally has already).
        if free_beside_waiting(event, kind) {
            promote_all(state, &event.id, kind, &event.event.title).await?;
            return state
                .store
                .get_signup(&event.id, kind, &signup.person_id)
                .await?
                .ok_or(AppError::Conflict);
        }
        return Ok(SignupRecord {
            status,
            position,
            ..signup
        });
    }
    Err(busy())
}

pub async fn volunteer_signup(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    let now = state.clock.now();
    open_for_signup(&event, now)?;
    if event.event.volunteer_capacity == 0 {
        return Err(refused(
            "该活动不招募志愿者".into(),
            "This event takes no volunteers".into(),
        ));
    }
    let signup = SignupRecord {
        event_id: id.to_string(),
        kind: PlaceKind::Volunteer,
        person_id: user.id.clone(),
        name: user.display_name.clone(),
        status: SignupStatus::Confirmed,
        position: None,
        signed_up_at: now,
        attendance: None,
        minutes: None,
        correction: None,
        entered_by: None,
    };
    join(state, &event, signup, None).await
}

pub async fn volunteer_cancel(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    cancel_place(state, event, PlaceKind::Volunteer, &user.id, None).await
}

/// Staff may enter children of their own scope: a director's villages, a teacher's school.
fn may_enrol(user: &CurrentUser, child: &shared::children::ChildInput) -> bool {
    match (&user.role, &user.scope) {
        (Role::Admin, _) => true,
        (Role::Director, Scope::Villages { codes }) => codes.contains(&child.residence_village),
        (Role::Teacher, Scope::School { name }) => &child.school == name,
        _ => false,
    }
}

/// The child's name, if the user may enter them (anyone else learns nothing: 404).
async fn enrollable(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
) -> Result<String, AppError> {
    match state.store.get_child(child_id).await? {
        Some(child) if may_enrol(user, &child.child) => Ok(child.child.name),
        _ => Err(AppError::NotFound),
    }
}

pub async fn child_signup(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    child_id: &str,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    open_for_signup(&event, state.clock.now())?;
    if event.event.child_capacity == 0 {
        return Err(refused(
            "该活动不招收儿童".into(),
            "This event takes no children".into(),
        ));
    }
    let name = enrollable(state, user, child_id).await?;
    let signup = SignupRecord {
        event_id: id.to_string(),
        kind: PlaceKind::Child,
        person_id: child_id.to_string(),
        name,
        status: SignupStatus::Confirmed,
        position: None,
        signed_up_at: state.clock.now(),
        attendance: None,
        minutes: None,
        correction: None,
        entered_by: Some(user.id.clone()),
    };
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::ChildSignedUp,
        Some(child_target(child_id)),
        Some(event_target(id)),
    );
    join(state, &event, signup, Some(&entry)).await
}

pub async fn child_cancel(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    child_id: &str,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    enrollable(state, user, child_id).await?;
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::ChildSignupCancelled,
        Some(child_target(child_id)),
        Some(event_target(id)),
    );
    cancel_place(state, event, PlaceKind::Child, child_id, Some(&entry)).await
}
