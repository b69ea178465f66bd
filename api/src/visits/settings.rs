//! How often each care level is visited, and the working-day calendar (holidays, 调休).

use shared::api::AuditAction;
use shared::visits::VisitSettings;

use crate::accounts::{audit_entry, CurrentUser};
use crate::{AppError, AppState};

pub async fn settings(state: &AppState) -> Result<VisitSettings, AppError> {
    Ok(state.store.visit_settings().await?.0)
}

/// Saves new settings; two admins saving at once cannot silently overwrite each other (the
/// second is told to reload: 409).
pub async fn set_settings(
    state: &AppState,
    admin: &CurrentUser,
    value: &VisitSettings,
    source: Option<String>,
) -> Result<VisitSettings, AppError> {
    let value = value.validate().map_err(AppError::Invalid)?;
    let (before, revision) = state.store.visit_settings().await?;
    let detail = serde_json::json!({ "before": before, "after": value }).to_string();
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::VisitSettingsChanged,
        None,
        Some(detail),
    );
    if state
        .store
        .set_visit_settings(&value, revision, &entry)
        .await?
    {
        Ok(value)
    } else {
        Err(AppError::Conflict)
    }
}
