//! A pairing's life: proposed → active → ended (with a reason), or a proposal cancelled. The
//! history stays. Each move is one conditional transaction with its audit entry, so two admins
//! acting on the same child or pairing at once get one success and one clear refusal.

use shared::api::AuditAction;
use shared::pairings::{
    EndPairingRequest, EndReason, Pairing, PairingDetail, PairingEnd, PairingState,
    ProposePairingRequest, VettingState,
};

use super::{overdue, pairing_target, profile_of, refused};
use crate::accounts::{audit_entry, record_with, CurrentUser};
use crate::registry::child_target;
use crate::store::pairings::{ActivateOutcome, ProposeOutcome};
use crate::{AppError, AppState};

fn not_approved() -> AppError {
    refused(
        "志愿者尚未通过审核(或已暂停)",
        "The volunteer is not approved (or is suspended)",
    )
}

pub async fn propose(
    state: &AppState,
    admin: &CurrentUser,
    request: &ProposePairingRequest,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let child = state
        .store
        .get_child(&request.child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let volunteer = profile_of(state, &request.volunteer_id).await?;
    if volunteer.vetting.state != VettingState::Approved {
        return Err(not_approved());
    }
    let pairing = Pairing {
        id: ulid::Ulid::new().to_string(),
        child_id: child.id.clone(),
        child_name: child.child.name.clone(),
        volunteer_id: volunteer.user_id.clone(),
        volunteer_name: volunteer.name.clone(),
        state: PairingState::Proposed,
        proposed_by: admin.display_name.clone(),
        proposed_at: state.clock.now(),
        activated_at: None,
        ended: None,
        flagged: None,
        last_contact: None,
    };
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(&pairing.id)),
        Some(format!("proposed: child:{}", pairing.child_id)),
    );
    match state.store.propose_pairing(&pairing, &entry).await? {
        ProposeOutcome::Proposed => Ok(pairing),
        // Suspended between the read above and the write.
        ProposeOutcome::VolunteerNotApproved => Err(not_approved()),
    }
}

pub async fn activate(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Active;
    pairing.activated_at = Some(state.clock.now());
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some("active".into()),
    );
    match state.store.activate_pairing(&pairing, &entry).await? {
        ActivateOutcome::Activated => Ok(pairing),
        ActivateOutcome::NotProposed => Err(AppError::Conflict),
        ActivateOutcome::ChildAlreadyPaired => Err(refused(
            "该儿童已有结对中的爱心妈妈(可能刚被其他管理员结对)",
            "This child already has an active pairing (perhaps made by another admin just now)",
        )),
        ActivateOutcome::VolunteerFull => Err(refused(
            "该志愿者的结对名额已满,或未通过审核",
            "The volunteer has no room for another child, or is not approved",
        )),
    }
}

pub async fn cancel(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Cancelled;
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some("cancelled".into()),
    );
    if !state.store.cancel_pairing(&pairing, &entry).await? {
        return Err(AppError::Conflict);
    }
    Ok(pairing)
}

pub async fn end(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &EndPairingRequest,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let note = shared::validate::text_field(
        "note",
        &request.note,
        200,
        request.reason == EndReason::Other,
    )
    .map_err(|e| AppError::Invalid(vec![e]))?;
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Ended;
    pairing.ended = Some(PairingEnd {
        reason: request.reason,
        note,
        by: admin.display_name.clone(),
        at: state.clock.now(),
    });
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some(format!("ended: {}", request.reason.as_str())),
    );
    if !state.store.end_pairing(&pairing, &entry).await? {
        return Err(AppError::Conflict);
    }
    Ok(pairing)
}

/// One pairing with its contact log (the child's name and contacts: an audited read).
pub async fn detail(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<PairingDetail, AppError> {
    let pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = admin.actor(source);
    let (contacts, logged) = tokio::join!(
        state.store.contacts(id),
        record_with(
            state,
            &actor,
            AuditAction::ChildViewed,
            Some(child_target(&pairing.child_id)),
            Some(pairing_target(id)),
        ),
    );
    logged?;
    Ok(PairingDetail {
        contact_overdue: overdue(state, &pairing),
        pairing,
        contacts: contacts?,
    })
}

/// A child's pairings, every one ever made (an audited read of the child).
pub async fn child_history(
    state: &AppState,
    admin: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<Vec<Pairing>, AppError> {
    let actor = admin.actor(source);
    let (pairings, logged) = tokio::join!(
        state.store.child_pairings(child_id),
        record_with(
            state,
            &actor,
            AuditAction::ChildViewed,
            Some(child_target(child_id)),
            Some("pairing history".into()),
        ),
    );
    logged?;
    Ok(pairings?)
}
