//! The plan, versioned (every save a new version with a readable list of changes; a save from a
//! stale version is refused with 409), and the append-only notes.

use shared::api::AuditAction;
use shared::cases::{plan_changes, Note, NoteRequest, PlanVersion, SavePlanRequest};
use shared::children::{CareLevel, CareLevelChange};
use shared::Text;

use super::{case_target, invalid, standing, ATTEMPTS};
use crate::accounts::{audit_entry, record_with, CurrentUser};
use crate::registry::child_target;
use crate::store::cases::RecordLevel;
use crate::{AppError, AppState};

/// Saves the plan as a new version. A save from a version other than the latest is refused with
/// 409 and nothing is written: the interface shows what changed and lets the teacher re-apply.
/// While a crisis is open the level stays urgent, whatever the edit says: the store refuses a
/// lower level while the group counts an open crisis, so a crisis raised during the save is
/// seen here on the next round and the plan is saved urgent.
pub async fn save_plan(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &SavePlanRequest,
    source: Option<String>,
) -> Result<PlanVersion, AppError> {
    let mut seen = standing(state, user, child_id).await?;
    if !seen.can_edit(user) {
        return Err(AppError::Forbidden);
    }
    let members = state.store.members(child_id).await?;
    let requested = request
        .plan
        .validate(&members, crate::registry::today(state))
        .map_err(AppError::Invalid)?;
    if request.version != seen.group.plan_version {
        return Err(AppError::Conflict);
    }
    let previous = state.store.plan(child_id, request.version).await?;
    let now = state.clock.now();
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(format!("plan v{}", request.version + 1)),
    );
    for _ in 0..ATTEMPTS {
        let mut plan = requested.clone();
        if seen.group.open_crises > 0 {
            plan.care_level = CareLevel::Urgent;
        }
        let version = PlanVersion {
            version: request.version + 1,
            changes: plan_changes(previous.as_ref().map(|p| &p.plan), &plan),
            plan,
            saved_by: user.display_name.clone(),
            saved_at: now,
        };
        let change = CareLevelChange {
            level: version.plan.care_level,
            reason: "个案计划调整 Plan changed".into(),
            by: user.display_name.clone(),
            at: now,
        };
        let record = RecordLevel {
            child_id,
            seen: seen.child.child.care_level,
            change: Some(&change),
        };
        if state
            .store
            .save_plan(child_id, &version, request.version, record, &entry)
            .await?
        {
            return Ok(version);
        }
        // A colleague's save (stale: refused), a crisis raised (saved urgent next round), or
        // the record's level changed in the registry (next round starts from it).
        seen = standing(state, user, child_id).await?;
        if seen.group.plan_version != request.version {
            return Err(AppError::Conflict);
        }
    }
    Err(AppError::Conflict)
}

/// Every version with its changes: an audited read of the child's case.
pub async fn plan_versions(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<Vec<PlanVersion>, AppError> {
    standing(state, user, child_id).await?;
    let versions = state.store.plan_versions(child_id).await?;
    record_with(
        state,
        &user.actor(source),
        AuditAction::PlanVersionsViewed,
        Some(child_target(child_id)),
        Some(format!("{} versions", versions.len())),
    )
    .await?;
    Ok(versions)
}

/// Notes are append-only: there is no way to change or delete one.
pub async fn add_note(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &NoteRequest,
    source: Option<String>,
) -> Result<Note, AppError> {
    let seen = standing(state, user, child_id).await?;
    if !seen.can_edit(user) {
        return Err(AppError::Forbidden);
    }
    let text =
        shared::validate::text_field("text", &request.text, shared::cases::limits::NOTE_MAX, true)
            .map_err(|error| AppError::Invalid(vec![error]))?;
    if request.date > crate::registry::today(state) {
        return Err(invalid(
            "date",
            Text::new("日期不能晚于今天", "The date cannot be in the future"),
        ));
    }
    let note = Note {
        id: ulid::Ulid::new().to_string(),
        kind: request.kind,
        date: request.date,
        text,
        author: user.display_name.clone(),
        written_at: state.clock.now(),
    };
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(format!("note ({})", note.kind.as_str())),
    );
    state.store.add_note(child_id, &note, &entry).await?;
    Ok(note)
}
