//! Reading referrals: the office sees all, a unit its queue, a reporter their own; every
//! reading is audited.

use shared::api::AuditAction;
use shared::referrals::{Referral, ReferralRow, ReferralState};
use shared::Role;

use super::{as_seen_by, may_see, referral_target, unit_of};
use crate::accounts::{record_with, CurrentUser};
use crate::registry::child_target;
use crate::{AppError, AppState};

pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Referral, AppError> {
    let referral = match state.store.get_referral(id).await? {
        Some(referral) if may_see(user, &referral) => referral,
        _ => return Err(AppError::NotFound),
    };
    record_with(
        state,
        &user.actor(source),
        AuditAction::ReferralViewed,
        Some(child_target(&referral.child.id)),
        Some(referral_target(id)),
    )
    .await?;
    Ok(as_seen_by(user, referral))
}

fn row(user: &CurrentUser, referral: &Referral, today: chrono::NaiveDate) -> ReferralRow {
    let unit = unit_of(user);
    ReferralRow {
        id: referral.id.clone(),
        child_name: referral.child.name.clone(),
        village_code: referral.child.village_code.clone(),
        category: referral.category,
        urgency: referral.urgency,
        state: referral.state,
        units: match unit {
            Some(unit) => vec![unit.to_string()],
            None => referral
                .parts
                .iter()
                .map(|part| part.unit.clone())
                .collect(),
        },
        raised_at: referral.raised_at,
        raised_by: referral.raised_by.clone(),
        // An officer's row is late only by their own unit's deadlines.
        overdue: match unit {
            Some(unit) => {
                referral.is_open()
                    && referral.parts.iter().any(|part| {
                        part.unit == unit
                            && match part.state {
                                shared::referrals::PartState::Waiting => part.respond_by < today,
                                shared::referrals::PartState::Accepted => part.resolve_by < today,
                                _ => false,
                            }
                    })
            }
            None => referral.overdue(today),
        },
        my_part: unit.and_then(|unit| {
            referral
                .parts
                .iter()
                .find(|part| part.unit == unit)
                .map(|part| part.state)
        }),
    }
}

/// The reader's referrals, overdue first, then newest.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    wanted: Option<ReferralState>,
    open_only: bool,
    source: Option<String>,
) -> Result<Vec<ReferralRow>, AppError> {
    let referrals = match (user.role, unit_of(user)) {
        (Role::Admin, _) => state.store.all_referrals().await?,
        (_, Some(unit)) => state.store.unit_referrals(unit).await?,
        _ => state.store.referrals_raised_by(&user.id).await?,
    };
    let today = crate::registry::today(state);
    let unit = unit_of(user);
    let mut rows: Vec<ReferralRow> = referrals
        .iter()
        .filter(|referral| may_see(user, referral))
        .filter(|referral| wanted.is_none_or(|state| referral.state == state))
        .filter(|referral| !open_only || referral.is_open())
        // A unit's open queue: its parts still to take or to finish.
        .filter(|referral| {
            !open_only
                || unit.is_none_or(|unit| {
                    referral.parts.iter().any(|part| {
                        part.unit == unit
                            && matches!(
                                part.state,
                                shared::referrals::PartState::Waiting
                                    | shared::referrals::PartState::Accepted
                            )
                    })
                })
        })
        .map(|referral| row(user, referral, today))
        .collect();
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| b.raised_at.cmp(&a.raised_at))
    });
    let shown: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    record_with(
        state,
        &user.actor(source),
        AuditAction::ReferralsListed,
        None,
        Some(shown.join(",")),
    )
    .await?;
    Ok(rows)
}
