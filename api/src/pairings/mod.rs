//! Volunteers (profiles and vetting) and one-to-one caring-mother pairings, managed by admins;
//! volunteers see a limited profile of their child and log contacts.
//!
//! - `volunteers`: profiles, a volunteer's own edits, vetting decisions;
//! - `board`: the admin's pairing board and suggestions;
//! - `lifecycle`: proposed → active → ended, or cancelled;
//! - `mine`: a volunteer's own child and the contact log.
//!
//! The rules that must hold under concurrency (one active pairing per child, a volunteer's
//! maximum, a suspension that stands and flags) are conditions in `store::pairings`; this
//! module decides what to ask for and says why a refusal happened.

mod board;
mod lifecycle;
mod mine;
mod volunteers;

pub use board::{board, suggestions};
pub use lifecycle::{activate, cancel, child_history, detail, end, propose};
pub use mine::{log_contact, log_contact_from, mine};
pub use volunteers::{my_profile, update_my_profile, vet, volunteers};

use shared::api::AuditAction;
use shared::pairings::{Pairing, PairingState, VolunteerProfile};
use shared::{Role, Text};

use crate::accounts::{record_with, Actor};
use crate::{AppError, AppState};

/// How often a change decided on a read is tried again when the read went stale before the
/// write. Each retry follows a condition that failed because someone else's write landed, so
/// a handful is plenty; after that the caller hears 409 and looks again.
const ATTEMPTS: usize = 5;

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn refused(zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new_owned(
        "pairing",
        zh.into(),
        en.into(),
    )])
}

fn pairing_target(id: &str) -> String {
    format!("pairing:{id}")
}

/// A volunteer's profile as stored or, for a volunteer whose profile was never written, the
/// profile they start with — in memory only: reads never write.
async fn profile_of(state: &AppState, user_id: &str) -> Result<VolunteerProfile, AppError> {
    if let Some(profile) = state.store.get_profile(user_id).await? {
        return Ok(profile);
    }
    let user = state
        .store
        .get_user(user_id)
        .await?
        .filter(|user| user.role == Role::Volunteer)
        .ok_or(AppError::NotFound)?;
    Ok(crate::store::pairings::new_profile(&user))
}

fn overdue(state: &AppState, pairing: &Pairing) -> bool {
    if pairing.state != PairingState::Active {
        return false;
    }
    let today = crate::registry::today(state);
    let since = pairing
        .last_contact
        .or_else(|| pairing.activated_at.map(shared::time::beijing_date))
        .unwrap_or(today);
    (today - since).num_days() > state.settings.contact_overdue_days
}

/// Ids per audit entry of a list read: a board of thousands of children stays far below
/// DynamoDB's item size.
const IDS_PER_ENTRY: usize = 1000;

/// Records a read that showed these children, as the registry records its lists (the ids in
/// the detail, comma-separated).
async fn record_shown(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    children: &[String],
) -> Result<(), AppError> {
    if children.is_empty() {
        return record_with(state, actor, action, None, Some(String::new())).await;
    }
    for chunk in children.chunks(IDS_PER_ENTRY) {
        record_with(state, actor, action, None, Some(chunk.join(","))).await?;
    }
    Ok(())
}
