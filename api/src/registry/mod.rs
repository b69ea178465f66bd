//! The children registry: who may see and change which child, eligibility on every save,
//! possible duplicates, the review list, and an audit entry for every read and change.
//!
//! - `save`: registering and editing a child (the change, its claims and its audit entry in
//!   one transaction; possible duplicates outside the saver's villages reported to the office).
//! - `duplicates`: what a reader may learn of a record's possible duplicates.
//! - `list`: the registry list and the review list.
//! - `settings`: the core urban districts.
//! - `transfer`: import and export.

mod diff;
mod duplicates;
mod list;
mod save;
mod settings;
pub mod transfer;

use chrono::NaiveDate;
use shared::api::AuditAction;
use shared::children::{
    ChildInput, ChildRecord, ConfirmExitRequest, MonitoringExit, MonitoringStatus,
};
use shared::{Role, Scope, Text};

use crate::accounts::{audit_entry, record, CurrentUser};
use crate::store::children::ChildItem;
use crate::{AppError, AppState};

pub use list::{count_list, list, review_list, ListQuery};
pub use save::{create, update};
pub use settings::{core_districts, set_core_districts};

pub fn child_target(id: &str) -> String {
    format!("child:{id}")
}

pub fn today(state: &AppState) -> NaiveDate {
    shared::time::beijing_date(state.clock.now())
}

/// Whether a user's role and scope let them see this child. Later capabilities (case groups,
/// pairings) add their own ways in.
pub(crate) fn in_scope(user: &CurrentUser, child: &ChildInput) -> bool {
    match (&user.role, &user.scope) {
        (Role::Admin, _) => true,
        (Role::Director, Scope::Villages { codes }) => codes.contains(&child.residence_village),
        _ => false,
    }
}

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

pub(crate) async fn visible_child(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<ChildItem, AppError> {
    match state.store.get_child(id).await? {
        Some(child) if in_scope(user, &child.child) => Ok(child),
        // Outside the scope the caller learns nothing, not even that the child exists.
        _ => Err(AppError::NotFound),
    }
}

pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    // Every access to a child's record is logged, found or not; the entry is written while the
    // record and its possible duplicates are read, and the answer waits for both.
    let action = if user.role == Role::Admin {
        AuditAction::ChildIdNumberViewed
    } else {
        AuditAction::ChildViewed
    };
    let actor = user.actor(source);
    let (shown, logged) = tokio::join!(
        async {
            let child = visible_child(state, user, id).await?;
            let found = duplicates::Found::of(state, &child).await?;
            Ok::<_, AppError>(duplicates::record_for(user, &child, &found))
        },
        record(state, &actor, action, Some(child_target(id)))
    );
    logged?;
    shown
}

/// An admin confirms that a child leaves monitoring. The record is kept, and so are its
/// claims: registering the same child again is a possible duplicate for a person to resolve.
pub async fn confirm_exit(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &ConfirmExitRequest,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let reason = shared::validate::text_field("reason", &request.reason, 200, true)
        .map_err(|error| AppError::Invalid(vec![error]))?;
    let previous = visible_child(state, admin, id).await?;
    if previous.version != request.version || previous.status == MonitoringStatus::LeftMonitoring {
        return Err(AppError::Conflict);
    }
    let mut child = previous.clone();
    child.version += 1;
    child.status = MonitoringStatus::LeftMonitoring;
    child.exit = Some(MonitoringExit {
        on: today(state),
        reason: reason.clone(),
        by: admin.display_name.clone(),
    });
    child.updated_at = state.clock.now();
    child.updated_by = admin.id.clone();
    let detail =
        serde_json::json!([{"field": "status", "before": "monitored", "after": "left_monitoring"},
        {"field": "exit.reason", "before": null, "after": reason}])
        .to_string();
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::ChildExitConfirmed,
        Some(child_target(id)),
        Some(detail),
    );
    if !state
        .store
        .replace_child_audited(&child, previous.version, &entry)
        .await?
    {
        return Err(AppError::Conflict);
    }
    let found = duplicates::Found::of(state, &child).await?;
    Ok(duplicates::record_for(admin, &child, &found))
}
