//! Referrals: raised by those who found a problem, triaged by the office, handled by member
//! units, closed by the office. One mechanism — a transition applied to the referral read, saved
//! only if nobody changed it in between, with its audit entry — carries every step.

mod lifecycle;
mod raise;
mod report;
mod views;

pub use lifecycle::{review, triage, unit_action};
pub use raise::{member_units, raise, set_member_units};
pub use report::{export_report, report};
pub use views::{get, list};

use shared::referrals::Referral;
use shared::{Role, Scope};

use crate::accounts::CurrentUser;

pub(crate) fn referral_target(id: &str) -> String {
    format!("referral:{id}")
}

/// The unit an officer works for.
pub(crate) fn unit_of(user: &CurrentUser) -> Option<&str> {
    match (&user.role, &user.scope) {
        (Role::Officer, Scope::Unit { name }) => Some(name.as_str()),
        _ => None,
    }
}

/// Whether this person may see the referral at all: the office, the reporter, and officers of
/// a unit it went to.
pub(crate) fn may_see(user: &CurrentUser, referral: &Referral) -> bool {
    user.role == Role::Admin
        || referral.raised_by_id == user.id
        || unit_of(user).is_some_and(|unit| referral.parts.iter().any(|part| part.unit == unit))
}

/// What an officer sees: their unit's part and the steps that concern it (least privilege).
/// The reporter sees every part (the closed loop) but not the officers' account ids; a unit's
/// officers see who of them took their part.
pub(crate) fn as_seen_by(user: &CurrentUser, mut referral: Referral) -> Referral {
    if user.role == Role::Admin {
        return referral;
    }
    let unit = unit_of(user);
    for part in &mut referral.parts {
        if unit != Some(part.unit.as_str()) {
            part.officer_id = None;
        }
    }
    if referral.raised_by_id == user.id {
        return referral;
    }
    if let Some(unit) = unit {
        referral.parts.retain(|part| part.unit == unit);
        referral
            .history
            .retain(|step| step.unit.as_deref().is_none_or(|of| of == unit));
        // The office's closing words may speak of other units; the officer has their own part.
        referral.outcome.clear();
    }
    referral
}
