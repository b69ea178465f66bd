//! Registering and editing a child.
//!
//! A save reads the claims of the child's identity (and, for an edit, of its previous one)
//! consistently, then writes the record, the claims it joins or leaves, and its audit entry in
//! one transaction that holds only if those claims are unchanged. If another save of the same
//! child got in between, the claims moved: read again and retry, so of two simultaneous saves
//! the later one finds the earlier, and both records show each other as possible duplicates.
//!
//! When a director's save newly shares a claim with a child outside their villages, a
//! `PossibleDuplicateReported` entry naming both goes into the same transaction, and the
//! admins are told after it committed. The director's answer says only that a possible
//! duplicate exists elsewhere (`duplicates::record_for`).

use std::collections::BTreeSet;
use std::time::Duration;

use rand::Rng;
use shared::api::{AuditAction, AuditEntry};
use shared::children::{
    CareLevelChange, ChildInput, ChildRecord, MonitoringStatus, UpdateChildRequest,
};
use shared::{Role, Text};

use super::duplicates::{record_for, Found};
use super::{child_target, diff, in_scope, invalid, today, visible_child};
use crate::accounts::{audit_entry, Actor, CurrentUser};
use crate::notifications::{self, Message, Recipients};
use crate::store::children::{ChildItem, ChildSave, DuplicateBasis, SaveOutcome};
use crate::store::StoreError;
use crate::{AppError, AppState};

/// Rounds of "the claims moved, read again": each lost round means another save of the same
/// child committed, so a handful covers any real contention.
const SAVE_ROUNDS: u32 = 8;

/// The care-level history grows when the level changes, and a change needs a reason.
fn care_history(
    previous: Option<&ChildItem>,
    input: &ChildInput,
    user: &CurrentUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<CareLevelChange>, AppError> {
    let mut history = previous
        .map(|child| child.care_level_history.clone())
        .unwrap_or_default();
    let changed = previous.is_none_or(|child| child.child.care_level != input.care_level);
    if changed {
        if previous.is_some() && input.care_level_reason.trim().is_empty() {
            return Err(invalid(
                "care_level_reason",
                Text::new(
                    "修改关爱等级时请写明原因",
                    "Give a reason when changing the care level",
                ),
            ));
        }
        history.push(CareLevelChange {
            level: input.care_level,
            reason: input.care_level_reason.clone(),
            by: user.display_name.clone(),
            at: now,
        });
    }
    Ok(history)
}

pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: &ChildInput,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let today = today(state);
    let input = input.validate(today).map_err(AppError::Invalid)?;
    if !in_scope(user, &input) {
        return Err(invalid(
            "residence_village",
            Text::new(
                "只能登记您负责的村(社区)的儿童",
                "You can only register children of your own villages",
            ),
        ));
    }
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let child = ChildItem {
        id: ulid::Ulid::new().to_string(),
        version: 1,
        eligibility: input.eligibility(today, &core),
        care_level_history: care_history(None, &input, user, now)?,
        child: input,
        status: MonitoringStatus::Monitored,
        exit: None,
        duplicates: Vec::new(),
        created_at: now,
        created_by: user.id.clone(),
        updated_at: now,
        updated_by: user.id.clone(),
        schema_version: shared::children::CHILD_SCHEMA_VERSION,
    };
    let actor = user.actor(source);
    let change = audit_entry(
        state,
        &actor,
        AuditAction::ChildCreated,
        Some(child_target(&child.id)),
        Some(diff::changes(None, &child.child)),
    );
    save(state, user, &actor, &child, None, change).await
}

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &UpdateChildRequest,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let previous = visible_child(state, user, id).await?;
    if previous.version != request.version {
        return Err(AppError::Conflict);
    }
    let today = today(state);
    let mut input = request.child.clone();
    // A masked ID number coming back unchanged means "keep the stored one" (the child's, a
    // parent's or the entrusted guardian's, each in its place).
    let mut stored = previous.child.clone();
    let stored_numbers = stored.id_numbers_mut();
    for (slot, id_number) in input.id_numbers_mut().into_iter().enumerate() {
        if id_number
            .as_deref()
            .is_some_and(|value| value.contains('*'))
        {
            *id_number = stored_numbers
                .get(slot)
                .and_then(|stored| (**stored).clone());
        }
    }
    let input = input.validate(today).map_err(AppError::Invalid)?;
    if !in_scope(user, &input) {
        return Err(invalid(
            "residence_village",
            Text::new(
                "只能把儿童登记在您负责的村(社区)",
                "You can only place children in your own villages",
            ),
        ));
    }
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let child = ChildItem {
        id: previous.id.clone(),
        version: previous.version + 1,
        eligibility: input.eligibility(today, &core),
        care_level_history: care_history(Some(&previous), &input, user, now)?,
        child: input,
        status: previous.status,
        exit: previous.exit.clone(),
        duplicates: Vec::new(),
        created_at: previous.created_at,
        created_by: previous.created_by.clone(),
        updated_at: now,
        updated_by: user.id.clone(),
        schema_version: shared::children::CHILD_SCHEMA_VERSION,
    };
    let actor = user.actor(source);
    let change = audit_entry(
        state,
        &actor,
        AuditAction::ChildUpdated,
        Some(child_target(id)),
        Some(diff::changes(Some(&previous.child), &child.child)),
    );
    save(state, user, &actor, &child, Some(&previous), change).await
}

/// Writes the child (see the module comment) and answers with the record as the saver may
/// see it.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    child: &ChildItem,
    previous: Option<&ChildItem>,
    change: AuditEntry,
) -> Result<ChildRecord, AppError> {
    for round in 0..SAVE_ROUNDS {
        if round > 0 {
            let pause = rand::thread_rng().gen_range(1..=5u64 << round.min(5));
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        let identities = std::iter::once(&child.child).chain(previous.map(|p| &p.child));
        let claims = state.store.read_claims(identities).await?;
        let found = Found::from_claims(state, &claims, child).await?;
        let shared_before: BTreeSet<String> = previous
            .map(|previous| {
                claims
                    .co_members(&previous.child, &previous.id)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect()
            })
            .unwrap_or_default();
        let reported = newly_elsewhere(user, &found, &shared_before);
        let mut entries = vec![change.clone()];
        if !reported.is_empty() {
            entries.push(report_entry(state, actor, child, &reported));
        }
        let outcome = state
            .store
            .save_child(&ChildSave {
                child,
                expected_version: previous.map(|previous| previous.version),
                previous: previous.map(|previous| &previous.child),
                claims: &claims,
                entries: &entries,
            })
            .await?;
        match outcome {
            SaveOutcome::Saved => {
                if !reported.is_empty() {
                    tell_admins(state, actor, child, &reported).await;
                }
                return Ok(record_for(user, child, &found));
            }
            SaveOutcome::Stale => return Err(AppError::Conflict),
            SaveOutcome::ClaimsMoved => continue,
            SaveOutcome::CrisisOpen => {
                return Err(invalid(
                    "care_level",
                    Text::new(
                        "该儿童有未关闭的危机预警,关爱等级须保持为“紧急”,危机关闭后方可调整",
                        "A crisis is open for this child: the care level stays urgent until it is closed",
                    ),
                ))
            }
        }
    }
    Err(AppError::Store(StoreError::Busy(
        "the child's claims kept changing".into(),
    )))
}

/// Children outside the saver's villages that this save newly makes possible duplicates of:
/// the saver cannot see them, so the district office is told instead. Admins see every child,
/// and a possible duplicate the edit already had was reported when it arose.
fn newly_elsewhere<'a>(
    user: &CurrentUser,
    found: &'a Found,
    shared_before: &BTreeSet<String>,
) -> Vec<(&'a ChildItem, DuplicateBasis)> {
    if user.role == Role::Admin {
        return Vec::new();
    }
    found
        .pairs()
        .filter(|(other, _)| !shared_before.contains(&other.id))
        .filter(|(other, _)| !in_scope(user, &other.child))
        .collect()
}

fn report_entry(
    state: &AppState,
    actor: &Actor,
    child: &ChildItem,
    reported: &[(&ChildItem, DuplicateBasis)],
) -> AuditEntry {
    let others: Vec<serde_json::Value> = reported
        .iter()
        .map(|(other, basis)| {
            serde_json::json!({
                "child": other.id,
                "village": other.child.residence_village,
                "basis": basis.as_str(),
            })
        })
        .collect();
    let detail = serde_json::json!({
        "child": child.id,
        "village": child.child.residence_village,
        "possible_duplicates": others,
        "told": "admins",
    });
    audit_entry(
        state,
        actor,
        AuditAction::PossibleDuplicateReported,
        Some(child_target(&child.id)),
        Some(detail.to_string()),
    )
}

fn place(village: &str) -> String {
    match shared::divisions::village_name(village) {
        Some(name) => format!("{name} {village}"),
        None => village.to_string(),
    }
}

/// The admins' message names both records. Sent after the commit: the report is already in
/// the audit log, and failing the save now would invite the director to register the child
/// a second time.
async fn tell_admins(
    state: &AppState,
    actor: &Actor,
    child: &ChildItem,
    reported: &[(&ChildItem, DuplicateBasis)],
) {
    let saver = actor.name.clone().unwrap_or_default();
    for (other, basis) in reported {
        let reason = basis.text();
        let message = Message::new(
            format!(
                "疑似重复档案:{saver} 保存的“{}”({},档案 {})与“{}”({},档案 {}){},请核实。",
                child.child.name,
                place(&child.child.residence_village),
                child.id,
                other.child.name,
                place(&other.child.residence_village),
                other.id,
                reason.zh,
            ),
            format!(
                "Possible duplicate: “{}” ({}, record {}) saved by {saver} and “{}” ({}, record {}): {}. Please check.",
                child.child.name,
                place(&child.child.residence_village),
                child.id,
                other.child.name,
                place(&other.child.residence_village),
                other.id,
                reason.en,
            ),
        )
        .link(format!("/children/{}", child.id));
        notifications::after_commit(state, &Recipients::admins(), &message).await;
    }
}
