//! The visit register: a visit is stored once (its id is the one the phone made), never
//! edited (a correction is a new visit naming the old one), with its audit entry and any change
//! of care level it applies, in one transaction.

use shared::api::AuditAction;
use shared::children::CareLevelChange;
use shared::visits::{VisitInput, VisitRecord, VisitSaved};
use shared::Text;

use super::visit_target;
use crate::accounts::{audit_entry, record_with, CurrentUser};
use crate::notifications::{after_commit, Message, Recipients};
use crate::registry::{child_target, in_scope, visible_child};
use crate::store::children::ChildItem;
use crate::store::visits::VisitWrite;
use crate::{AppError, AppState};

/// Rounds of re-reading the child when their record moved on during a level change.
const ATTEMPTS: usize = 5;

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

/// The child's record with the care level the visit applies, or `None` when it stays.
fn with_level(
    child: &ChildItem,
    input: &VisitInput,
    user: &CurrentUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<ChildItem> {
    let level = input.proposed_level?;
    if level == child.child.care_level {
        return None;
    }
    let mut updated = child.clone();
    updated.child.care_level = level;
    updated.care_level_history.push(CareLevelChange {
        level,
        reason: format!("走访后调整:{}", input.level_reason),
        by: user.display_name.clone(),
        at: now,
    });
    updated.version = child.version + 1;
    updated.updated_at = now;
    updated.updated_by = user.display_name.clone();
    Some(updated)
}

pub async fn record_visit(
    state: &AppState,
    user: &CurrentUser,
    input: &VisitInput,
    source: Option<String>,
) -> Result<VisitSaved, AppError> {
    let now = state.clock.now();
    let input = input.validate(now).map_err(AppError::Invalid)?;
    // Outside the director's villages the child does not exist for them (404), before
    // anything else is said about it.
    visible_child(state, user, &input.child_id).await?;
    if let Some(corrected) = &input.corrects {
        match state.store.get_visit(corrected).await? {
            Some(old) if old.visit.child_id == input.child_id => {}
            _ => {
                return Err(invalid(
                    "corrects",
                    Text::new(
                        "要更正的走访记录不存在或不属于这名儿童",
                        "The visit being corrected does not exist or is about another child",
                    ),
                ))
            }
        }
    }
    for _ in 0..ATTEMPTS {
        let child = visible_child(state, user, &input.child_id).await?;
        let visit = VisitRecord {
            id: input.client_id.clone(),
            visit: input.clone(),
            child_name: child.child.name.clone(),
            village_code: child.child.residence_village.clone(),
            director_id: user.id.clone(),
            director_name: user.display_name.clone(),
            recorded_at: now,
        };
        let updated = with_level(&child, &input, user, now);
        let level_applied = updated.is_some();
        let lowers_level = updated
            .as_ref()
            .is_some_and(|updated| updated.child.care_level != shared::children::CareLevel::Urgent);
        let child_update = match &updated {
            Some(updated) => Some(state.store.child_update_write(updated, child.version)?),
            None => None,
        };
        let entry = audit_entry(
            state,
            &user.actor(source.clone()),
            AuditAction::VisitRecorded,
            Some(child_target(&child.id)),
            Some(match (&input.corrects, input.proposed_level) {
                (Some(old), _) => {
                    format!("{} (更正 {})", visit_target(&visit.id), visit_target(old))
                }
                (None, Some(level)) if level_applied => {
                    format!("{} 关爱等级 → {}", visit_target(&visit.id), level.as_str())
                }
                _ => visit_target(&visit.id),
            }),
        );
        match state
            .store
            .record_visit(&visit, child_update, lowers_level, &entry)
            .await?
        {
            VisitWrite::Stored => {
                if visit.visit.raises_concern() {
                    let message = Message::new(
                        format!(
                            "走访发现需关注的情况:{}({})",
                            visit.child_name, user.display_name
                        ),
                        format!(
                            "A visit found a concern: {} ({})",
                            visit.child_name, user.display_name
                        ),
                    )
                    .link(format!("/visits/{}", visit.id));
                    after_commit(state, &Recipients::admins(), &message).await;
                }
                let child_changed = input
                    .child_version
                    .is_some_and(|seen| seen != child.version);
                return Ok(VisitSaved {
                    visit,
                    already_stored: false,
                    level_applied,
                    child_changed,
                });
            }
            VisitWrite::AlreadyStored(stored) => {
                // The same visit sent again (a retry, a double tap, the outbox after a lost
                // answer): the one stored is the answer. An id someone else used is refused.
                // The same send again is the same content; a changed body under a used id is
                // not silently dropped.
                if stored.director_id == user.id && stored.visit == input {
                    return Ok(VisitSaved {
                        visit: *stored,
                        already_stored: true,
                        level_applied: false,
                        child_changed: false,
                    });
                }
                return Err(AppError::Conflict);
            }
            VisitWrite::ChildChanged => continue,
            VisitWrite::CrisisOpen => {
                return Err(invalid(
                    "proposed_level",
                    Text::new(
                        "该儿童有未关闭的危机预警,关爱等级须保持为“紧急”,危机关闭后方可调整",
                        "A crisis is open for this child: the care level stays urgent until it is closed",
                    ),
                ))
            }
        }
    }
    Err(AppError::Conflict)
}

/// One visit, for those who may see the child (404 otherwise); the reading is audited.
pub async fn get_visit(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<VisitRecord, AppError> {
    let visit = state.store.get_visit(id).await?.ok_or(AppError::NotFound)?;
    let child = state
        .store
        .get_child(&visit.visit.child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !in_scope(user, &child.child) {
        return Err(AppError::NotFound);
    }
    record_with(
        state,
        &user.actor(source),
        AuditAction::VisitViewed,
        Some(child_target(&child.id)),
        Some(visit_target(id)),
    )
    .await?;
    Ok(visit)
}

/// A child's visits, newest first; the reading is audited.
pub async fn child_visits(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<Vec<VisitRecord>, AppError> {
    let child = visible_child(state, user, child_id).await?;
    let visits = state.store.child_visits(&child.id).await?;
    record_with(
        state,
        &user.actor(source),
        AuditAction::VisitsListed,
        Some(child_target(&child.id)),
        None,
    )
    .await?;
    Ok(visits)
}
