//! What a reader learns of a record's possible duplicates.
//!
//! They are found from the claims (consistent reads of the base table) each time a record is
//! shown, so they name the other child as it is now and never lag a save. A possible duplicate
//! the reader may see (their villages; admins see all) is shown by name. Of one outside their
//! villages they learn a single fact — one exists elsewhere and the district office was told
//! — the same whether there is one or several, on whichever basis, wherever it is.

use std::collections::HashSet;

use shared::children::{ChildRecord, DuplicateFlag};

use super::in_scope;
use crate::accounts::CurrentUser;
use crate::store::children::{ChildItem, ClaimSnapshot, DuplicateBasis};
use crate::{AppError, AppState};

/// The children sharing a claim with one child, and why.
pub(super) struct Found {
    pub co_members: Vec<(String, DuplicateBasis)>,
    /// Their records (consistent reads); one deleted since the claim was read is missing.
    pub others: Vec<ChildItem>,
}

impl Found {
    pub(super) async fn of(state: &AppState, child: &ChildItem) -> Result<Found, AppError> {
        let claims = state.store.read_claims([&child.child]).await?;
        Self::from_claims(state, &claims, child).await
    }

    pub(super) async fn from_claims(
        state: &AppState,
        claims: &ClaimSnapshot,
        child: &ChildItem,
    ) -> Result<Found, AppError> {
        let co_members = claims.co_members(&child.child, &child.id);
        let ids: Vec<String> = co_members.iter().map(|(id, _)| id.clone()).collect();
        let others = if ids.is_empty() {
            Vec::new()
        } else {
            state.store.children_by_ids(&ids).await?
        };
        Ok(Found { co_members, others })
    }

    pub(super) fn other(&self, id: &str) -> Option<&ChildItem> {
        self.others.iter().find(|other| other.id == id)
    }

    /// The possible duplicates with their records, strongest basis first per child.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (&ChildItem, DuplicateBasis)> + '_ {
        self.co_members
            .iter()
            .filter_map(|(id, basis)| self.other(id).map(|other| (other, *basis)))
    }
}

/// The record as this reader may see it.
pub(super) fn record_for(user: &CurrentUser, child: &ChildItem, found: &Found) -> ChildRecord {
    let mut record = child.record(user.role == shared::Role::Admin);
    for (other, basis) in found.pairs() {
        if in_scope(user, &other.child) {
            record.duplicates.push(DuplicateFlag {
                child_id: other.id.clone(),
                name: other.child.name.clone(),
                reason: basis.text().into(),
            });
        } else {
            record.duplicate_elsewhere = true;
        }
    }
    record
}

/// Which of these children have a possible duplicate (for the list's flag, which for a
/// director is the same one fact whether the other child is in their villages or not).
pub(super) async fn flagged(
    state: &AppState,
    children: &[ChildItem],
) -> Result<HashSet<String>, AppError> {
    if children.is_empty() {
        return Ok(HashSet::new());
    }
    let claims = state
        .store
        .read_claims(children.iter().map(|child| &child.child))
        .await?;
    Ok(children
        .iter()
        .filter(|child| claims.has_co_members(&child.child, &child.id))
        .map(|child| child.id.clone())
        .collect())
}
