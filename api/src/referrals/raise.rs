//! Raising a referral, and the member units it can go to.

use chrono::Datelike;
use shared::api::AuditAction;
use shared::referrals::{
    MemberUnits, RaiseReferral, Referral, ReferralChild, ReferralState, ReferralStep, StepKind,
};
use shared::Role;

use super::referral_target;
use crate::accounts::{audit_entry, CurrentUser};
use crate::notifications::{after_commit, Message, Recipients};
use crate::registry::{child_target, in_scope};
use crate::store::children::ChildItem;
use crate::{AppError, AppState};

pub async fn member_units(state: &AppState) -> Result<MemberUnits, AppError> {
    Ok(state.store.member_units().await?.0)
}

pub async fn set_member_units(
    state: &AppState,
    admin: &CurrentUser,
    value: &MemberUnits,
    source: Option<String>,
) -> Result<MemberUnits, AppError> {
    let value = value.validate().map_err(AppError::Invalid)?;
    let (before, revision) = state.store.member_units().await?;
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::ReferralUnitsChanged,
        None,
        Some(serde_json::json!({ "before": before, "after": value }).to_string()),
    );
    if state
        .store
        .set_member_units(&value, revision, &entry)
        .await?
    {
        Ok(value)
    } else {
        Err(AppError::Conflict)
    }
}

/// The child as a referral shows them (to officers too): name, age, village, guardian.
pub(crate) fn referral_child(child: &ChildItem, today: chrono::NaiveDate) -> ReferralChild {
    let born = child.child.birth_date;
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    ReferralChild {
        id: child.id.clone(),
        name: child.child.name.clone(),
        age: u32::try_from(age.max(0)).unwrap_or(0),
        village_code: child.child.residence_village.clone(),
        guardian: child
            .child
            .guardians
            .first()
            .map(|guardian| format!("{}({}){}", guardian.name, guardian.relation, guardian.phone))
            .unwrap_or_default(),
        care_level: child.child.care_level,
    }
}

/// Who may raise for this child: the office, the child's director, a member of the child's
/// case group. Anyone else learns nothing of the child (404).
async fn may_raise(
    state: &AppState,
    user: &CurrentUser,
    child: &ChildItem,
) -> Result<bool, AppError> {
    Ok(match user.role {
        Role::Admin | Role::Director => in_scope(user, &child.child),
        Role::Teacher | Role::Counsellor => {
            state.store.get_member(&child.id, &user.id).await?.is_some()
        }
        _ => false,
    })
}

pub async fn raise(
    state: &AppState,
    user: &CurrentUser,
    request: &RaiseReferral,
    source: Option<String>,
) -> Result<Referral, AppError> {
    let request = request.validate().map_err(AppError::Invalid)?;
    let child = match state.store.get_child(&request.child_id).await? {
        Some(child) if may_raise(state, user, &child).await? => child,
        _ => return Err(AppError::NotFound),
    };
    let now = state.clock.now();
    let today = crate::registry::today(state);
    let (units, _) = state.store.member_units().await?;
    let (settings, _) = state.store.visit_settings().await?;
    let referral = Referral {
        id: ulid::Ulid::new().to_string(),
        version: 1,
        child: referral_child(&child, today),
        source: request.source.clone(),
        category: request.category,
        urgency: request.urgency,
        found: request.found.clone(),
        asked: request.asked.clone(),
        state: ReferralState::Submitted,
        raised_by_id: user.id.clone(),
        raised_by: user.display_name.clone(),
        raised_at: now,
        triage_by: units.respond_by(request.urgency, today, &settings.calendar),
        triaged_at: None,
        parts: Vec::new(),
        outcome: String::new(),
        closed_at: None,
        history: vec![ReferralStep {
            kind: StepKind::Raised,
            at: now,
            by: user.display_name.clone(),
            unit: None,
            text: String::new(),
        }],
    };
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::ReferralRaised,
        Some(child_target(&child.id)),
        Some(referral_target(&referral.id)),
    );
    if !state.store.save_referral(&referral, None, &entry).await? {
        return Err(AppError::Conflict);
    }
    let message = Message::new(
        format!(
            "新的转介:{}({})",
            referral.child.name,
            referral.category.label().zh
        ),
        format!(
            "New referral: {} ({})",
            referral.child.name,
            referral.category.label().en
        ),
    )
    .link(format!("/referrals/{}", referral.id));
    after_commit(state, &Recipients::admins(), &message).await;
    Ok(referral)
}
