//! The admin's pairing board (coverage gap, proposals, active pairings, overdue contact, flags)
//! and the suggestions of volunteers for a child. Both only read, and both are audited with the
//! children they showed.

use std::collections::{BTreeSet, HashSet};

use shared::api::AuditAction;
use shared::children::{Bilingual, MonitoringStatus};
use shared::pairings::{PairingBoard, PairingState, Suggestion, UnpairedChild, VettingState};

use super::{overdue, record_shown};
use crate::accounts::{record_with, CurrentUser};
use crate::registry::child_target;
use crate::{AppError, AppState};

pub async fn board(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<PairingBoard, AppError> {
    let store = &state.store;
    let (paired, children, active, proposed, profiles) = tokio::join!(
        store.paired_children(),
        store.all_children(),
        store.pairings_in(PairingState::Active),
        store.pairings_in(PairingState::Proposed),
        store.profiles(),
    );
    let paired: HashSet<String> = paired?.into_iter().collect();
    let unpaired: Vec<UnpairedChild> = children?
        .into_iter()
        .filter(|child| child.status == MonitoringStatus::Monitored && !paired.contains(&child.id))
        .map(|child| UnpairedChild {
            child_id: child.id,
            name: child.child.name,
            village_code: child.child.residence_village,
            school: child.child.school,
        })
        .collect();
    let (active, proposed) = (active?, proposed?);
    let overdue_list = active
        .iter()
        .filter(|p| overdue(state, p))
        .cloned()
        .collect();
    let flagged = active
        .iter()
        .filter(|p| p.flagged.is_some())
        .cloned()
        .collect();
    // Stored profiles only: a volunteer whose profile was never written is not yet vetted.
    let volunteers_with_capacity = profiles?
        .into_iter()
        .filter(|v| v.vetting.state == VettingState::Approved && v.active_pairings < v.max_children)
        .collect();
    let shown: BTreeSet<String> = unpaired
        .iter()
        .map(|child| child.child_id.clone())
        .chain(active.iter().chain(&proposed).map(|p| p.child_id.clone()))
        .collect();
    let shown: Vec<String> = shown.into_iter().collect();
    record_shown(
        state,
        &user.actor(source),
        AuditAction::PairingBoardViewed,
        &shown,
    )
    .await?;
    Ok(PairingBoard {
        unpaired,
        proposed,
        active,
        overdue: overdue_list,
        flagged,
        volunteers_with_capacity,
    })
}

/// Volunteers with free capacity for a child: same village first, then same street, then shared
/// interests — each with the reason it was suggested.
pub async fn suggestions(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<Vec<Suggestion>, AppError> {
    let child = state
        .store
        .get_child(child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let village = child.child.residence_village.clone();
    let street = shared::divisions::street_of_village(&village).map(|s| s.code);
    let interests: Vec<String> = split_words(&child.child.interests);
    let mut out = Vec::new();
    for volunteer in state.store.profiles().await? {
        if volunteer.vetting.state != VettingState::Approved
            || volunteer.active_pairings >= volunteer.max_children
        {
            continue;
        }
        let mut score = 0;
        let mut why = Vec::new();
        // Where the volunteer is: their availability text names a village or street.
        let place = format!(
            "{} {}",
            volunteer.profile.availability, volunteer.profile.skills
        );
        if let Some(name) =
            shared::divisions::village_name(&village).filter(|name| place.contains(name))
        {
            score += 3;
            why.push(Bilingual {
                zh: format!("同村(社区):{name}"),
                en: format!("Same village or community: {name}"),
            });
        } else if let Some(name) = street
            .and_then(|code| shared::divisions::streets().find(|s| s.code == code))
            .map(|s| s.name)
            .filter(|name| place.contains(name))
        {
            score += 2;
            why.push(Bilingual {
                zh: format!("同街道:{name}"),
                en: format!("Same street: {name}"),
            });
        }
        for word in split_words(&volunteer.profile.interests) {
            if interests.contains(&word) {
                score += 1;
                why.push(Bilingual {
                    zh: format!("共同兴趣:{word}"),
                    en: format!("Shared interest: {word}"),
                });
            }
        }
        if why.is_empty() {
            why.push(Bilingual {
                zh: "有空余结对名额".into(),
                en: "Has room for another child".into(),
            });
        }
        out.push(Suggestion {
            volunteer,
            score,
            why,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.volunteer.name.cmp(&b.volunteer.name))
    });
    record_with(
        state,
        &user.actor(source),
        AuditAction::PairingSuggestionsViewed,
        Some(child_target(child_id)),
        Some(format!("{} volunteers suggested", out.len())),
    )
    .await?;
    Ok(out)
}

fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "、,,;;/".contains(c))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}
