//! Volunteers' profiles and vetting: the background check for people in close contact with
//! minors, then approve or reject; an approval can be suspended and reinstated.

use std::collections::HashSet;

use shared::api::{AuditAction, UserStatus};
use shared::children::Bilingual;
use shared::pairings::{
    CheckResult, ProfileInput, VettingDecision, VettingRequest, VettingState, VolunteerProfile,
};
use shared::{Role, Text};

use super::{invalid, profile_of, ATTEMPTS};
use crate::accounts::{audit_entry, user_target, CurrentUser};
use crate::store::pairings::new_profile;
use crate::{AppError, AppState};

/// Every volunteer who is active or waiting for approval, with their profile. One whose
/// profile was never written is listed as not yet vetted; listing writes nothing.
pub async fn volunteers(state: &AppState) -> Result<Vec<VolunteerProfile>, AppError> {
    let mut profiles = state.store.profiles().await?;
    let known: HashSet<String> = profiles.iter().map(|p| p.user_id.clone()).collect();
    for status in [UserStatus::Active, UserStatus::Pending] {
        for user in state.store.users_with_status(status).await? {
            if user.role == Role::Volunteer && !known.contains(&user.id) {
                profiles.push(new_profile(&user));
            }
        }
    }
    profiles.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.user_id.cmp(&b.user_id)));
    Ok(profiles)
}

pub async fn my_profile(
    state: &AppState,
    user: &CurrentUser,
) -> Result<VolunteerProfile, AppError> {
    profile_of(state, &user.id).await
}

/// Saves the fields a volunteer owns. Only those are written, so an admin's decision landing
/// at the same moment (a suspension) stands.
pub async fn update_my_profile(
    state: &AppState,
    user: &CurrentUser,
    input: &ProfileInput,
) -> Result<VolunteerProfile, AppError> {
    let text = |field: &str, value: &str| {
        shared::validate::text_field(field, value, 200, false)
            .map_err(|e| AppError::Invalid(vec![e]))
    };
    let input = ProfileInput {
        skills: text("skills", &input.skills)?,
        interests: text("interests", &input.interests)?,
        availability: text("availability", &input.availability)?,
    };
    // Twice at most: when the profile does not exist yet and someone creates it between the
    // two writes below, the second round sets the fields on theirs.
    for _ in 0..2 {
        if state.store.set_profile_input(&user.id, &input).await? {
            return profile_of(state, &user.id).await;
        }
        let account = state
            .store
            .get_user(&user.id)
            .await?
            .filter(|account| account.role == Role::Volunteer)
            .ok_or(AppError::NotFound)?;
        let mut profile = new_profile(&account);
        profile.profile = input.clone();
        if state.store.create_profile(&profile).await? {
            return Ok(profile);
        }
    }
    Err(AppError::Conflict)
}

/// What a pairing shows an admin when its volunteer may no longer be paired.
fn flag_for(state: VettingState) -> Option<Bilingual> {
    match state {
        VettingState::Suspended => Some(Bilingual {
            zh: "志愿者资格已暂停,请尽快处理此结对".into(),
            en: "The volunteer's approval is suspended: review this pairing".into(),
        }),
        VettingState::Rejected => Some(Bilingual {
            zh: "志愿者未通过审核,请尽快处理此结对".into(),
            en: "The volunteer was rejected: review this pairing".into(),
        }),
        VettingState::Pending | VettingState::Approved => None,
    }
}

/// Approve (with the background check), reject, suspend or reinstate a volunteer. The decision,
/// the flags on the volunteer's open pairings and the audit entry are one transaction,
/// conditional on what the decision was taken from; the account then follows the decision.
pub async fn vet(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &str,
    request: &VettingRequest,
    source: Option<String>,
) -> Result<VolunteerProfile, AppError> {
    let reason = shared::validate::text_field("reason", &request.reason, 200, false)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let check = match request.decision {
        VettingDecision::Approve => Some(background_check(state, request)?),
        _ => None,
    };
    if matches!(
        request.decision,
        VettingDecision::Reject | VettingDecision::Suspend
    ) && reason.is_empty()
    {
        return Err(invalid("reason", Text::new("请写明原因", "Give a reason")));
    }
    if let Some(max) = request.max_children {
        if !(1..=5).contains(&max) {
            return Err(invalid(
                "max_children",
                Text::new(
                    "每位志愿者可结对 1–5 名儿童",
                    "A volunteer may be paired with 1–5 children",
                ),
            ));
        }
    }
    let now = state.clock.now();
    let mut decided = None;
    for _ in 0..ATTEMPTS {
        let account = state
            .store
            .get_user(user_id)
            .await?
            .filter(|account| account.role == Role::Volunteer)
            .ok_or(AppError::NotFound)?;
        let seen = state.store.vetting_snapshot(user_id).await?;
        let mut profile = seen
            .profile
            .clone()
            .unwrap_or_else(|| new_profile(&account));
        let next = match request.decision {
            VettingDecision::Approve => {
                profile.vetting.background_check = check.clone();
                profile.vetting.checked_by = Some(admin.display_name.clone());
                VettingState::Approved
            }
            VettingDecision::Reject => VettingState::Rejected,
            VettingDecision::Suspend => VettingState::Suspended,
            VettingDecision::Reinstate if profile.vetting.state == VettingState::Suspended => {
                VettingState::Approved
            }
            VettingDecision::Reinstate => return Err(AppError::Conflict),
        };
        if let Some(max) = request.max_children {
            profile.max_children = max;
        }
        profile.vetting.state = next;
        profile.vetting.reason = reason.clone();
        profile.vetting.decided_at = Some(now);
        let flag = flag_for(next).filter(|_| !seen.open.is_empty());
        let entry = audit_entry(
            state,
            &admin.actor(source.clone()),
            AuditAction::VolunteerVetted,
            Some(user_target(user_id)),
            Some(next.as_str().into()),
        );
        let account_writes = account_follows(state, &account, next)?;
        if state
            .store
            .decide_vetting(&seen, &profile, flag.as_ref(), account_writes, &entry)
            .await?
        {
            decided = Some(profile);
            break;
        }
    }
    let profile = decided.ok_or(AppError::Conflict)?;
    if matches!(
        profile.vetting.state,
        VettingState::Rejected | VettingState::Suspended
    ) {
        // The sessions ended with the decision; these are housekeeping.
        state.sessions.forget_user(user_id);
        state.store.delete_user_sessions(user_id).await?;
    }
    Ok(profile)
}

fn background_check(
    state: &AppState,
    request: &VettingRequest,
) -> Result<shared::pairings::BackgroundCheck, AppError> {
    let check = request.background_check.clone().ok_or_else(|| {
        invalid(
            "background_check",
            Text::new(
                "通过前须登记背景核查(日期和结果)",
                "Record the background check (date and result) before approving",
            ),
        )
    })?;
    if check.result != CheckResult::Clear {
        return Err(invalid(
            "background_check",
            Text::new(
                "背景核查存在问题,不能通过",
                "The background check found concerns: cannot approve",
            ),
        ));
    }
    if check.checked_on > crate::registry::today(state) {
        return Err(invalid(
            "background_check",
            Text::new(
                "核查日期不能晚于今天",
                "The check date cannot be in the future",
            ),
        ));
    }
    Ok(check)
}

/// The account follows the vetting, in the decision's own transaction: approval lets a waiting
/// volunteer sign in; rejection disables the account; rejection and suspension end every
/// session at once (the status move or the generation raised). Each write is conditional on the
/// account as read, so a change in between sends the decision round again.
fn account_follows(
    state: &AppState,
    account: &crate::store::users::UserRecord,
    vetting: VettingState,
) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, AppError> {
    let store = &state.store;
    let write = match (vetting, account.status) {
        (VettingState::Approved, UserStatus::Pending) => Some(store.status_change_write(
            &account.id,
            &[UserStatus::Pending],
            UserStatus::Active,
        )?),
        (VettingState::Rejected, UserStatus::Pending | UserStatus::Active) => {
            Some(store.status_change_write(&account.id, &[account.status], UserStatus::Disabled)?)
        }
        (VettingState::Suspended, _) => Some(store.end_sessions_write(&account.id)?),
        _ => None,
    };
    Ok(write.into_iter().collect())
}
