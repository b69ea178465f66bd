//! Crisis flags: raising one sets the care level to urgent at once (the group and the registry
//! record, in the flag's own transaction) and tells the admins, the child's directors and the
//! group lead. A flag is never deleted, only closed by an admin with what was done.

use shared::api::AuditAction;
use shared::cases::{CloseCrisisRequest, Crisis, CrisisClosure, RaiseCrisisRequest};
use shared::children::{CareLevel, CareLevelChange};

use super::{standing, ATTEMPTS};
use crate::accounts::{audit_entry, CurrentUser};
use crate::notifications::{self, Message, Recipients};
use crate::registry::child_target;
use crate::store::cases::RecordLevel;
use crate::{AppError, AppState};

pub async fn raise_crisis(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &RaiseCrisisRequest,
    source: Option<String>,
) -> Result<Crisis, AppError> {
    let mut seen = standing(state, user, child_id).await?;
    let description = shared::validate::text_field(
        "description",
        &request.description,
        shared::cases::limits::CRISIS_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    let now = state.clock.now();
    let crisis = Crisis {
        id: ulid::Ulid::new().to_string(),
        child_id: child_id.to_string(),
        child_name: seen.child.child.name.clone(),
        kind: request.kind,
        description,
        raised_by: user.display_name.clone(),
        raised_at: now,
        closed: None,
    };
    let change = CareLevelChange {
        level: CareLevel::Urgent,
        reason: format!("危机预警 Crisis: {}", crisis.kind.label().zh),
        by: user.display_name.clone(),
        at: now,
    };
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::CrisisRaised,
        Some(child_target(child_id)),
        Some(crisis.kind.as_str().into()),
    );
    for _ in 0..ATTEMPTS {
        let record = RecordLevel {
            child_id,
            seen: seen.child.child.care_level,
            change: Some(&change),
        };
        if state.store.raise_crisis(&crisis, record, &entry).await? {
            let village = &seen.child.child.residence_village;
            tell_about_crisis(state, user, village, &seen.group.lead_user_id, &crisis).await;
            return Ok(crisis);
        }
        // The record's level changed in between (or the group went): start from what is there.
        seen = standing(state, user, child_id).await?;
    }
    Err(AppError::Conflict)
}

async fn tell_about_crisis(
    state: &AppState,
    user: &CurrentUser,
    village: &str,
    lead: &str,
    crisis: &Crisis,
) {
    let message = Message::new(
        format!(
            "危机预警:{}({})— {}",
            crisis.child_name,
            crisis.kind.label().zh,
            user.display_name
        ),
        format!(
            "Crisis flag: {} ({}) — raised by {}",
            crisis.child_name,
            crisis.kind.label().en,
            user.display_name
        ),
    )
    .link(format!("/cases/{}", crisis.child_id));
    let to = Recipients::admins().and_directors_of(village).and(lead);
    notifications::after_commit(state, &to, &message).await;
}

pub async fn close_crisis(
    state: &AppState,
    admin: &CurrentUser,
    child_id: &str,
    crisis_id: &str,
    request: &CloseCrisisRequest,
    source: Option<String>,
) -> Result<Crisis, AppError> {
    let note = shared::validate::text_field(
        "note",
        &request.note,
        shared::cases::limits::CRISIS_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    standing(state, admin, child_id).await?;
    let mut crisis = state
        .store
        .get_crisis(child_id, crisis_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crisis.closed = Some(CrisisClosure {
        by: admin.display_name.clone(),
        at: state.clock.now(),
        note,
    });
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::CrisisClosed,
        Some(child_target(child_id)),
        Some(crisis.id.clone()),
    );
    if !state.store.close_crisis(&crisis, &entry).await? {
        return Err(AppError::Conflict);
    }
    Ok(crisis)
}

pub async fn open_crises(state: &AppState) -> Result<Vec<Crisis>, AppError> {
    Ok(state.store.open_crises().await?)
}
