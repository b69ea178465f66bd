use shared::api::{AuditAction, AuditEntry};

use crate::{AppError, AppState};

/// Who did something, and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<String>,
    pub name: Option<String>,
    pub source: Option<String>,
}

impl Actor {
    pub fn of(user: &crate::store::users::UserRecord, source: Option<String>) -> Self {
        Self {
            id: Some(user.id.clone()),
            name: Some(user.display_name.clone()),
            source,
        }
    }
}

/// Appends one event to the audit log. A request whose audit entry cannot be written fails,
/// so nothing is done unrecorded.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    target: Option<String>,
) -> Result<(), AppError> {
    record_with(state, actor, action, target, None).await
}

/// Like `record`, with a detail: what changed, or which records were shown.
pub async fn record_with(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    target: Option<String>,
    detail: Option<String>,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        id: ulid::Ulid::new().to_string(),
        at: state.clock.now(),
        action,
        actor_id: actor.id.clone(),
        actor_name: actor.name.clone(),
        target,
        source: actor.source.clone(),
        detail,
    };
    state.store.append_audit(&entry).await?;
    Ok(())
}
