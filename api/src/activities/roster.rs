//! Who has a place at an event, with the waitlist in order, for admins and the event's leads.

use shared::api::AuditAction;
use shared::events::{PlaceKind, Roster, SignupStatus};
use shared::Role;

use super::{event_target, is_lead, record, visible_event};
use crate::accounts::{record_with, CurrentUser};
use crate::{AppError, AppState};

/// Volunteer leads see children by family name only (李同学); admins see full names. Listing
/// children is a read of their data, so it is audited.
pub async fn roster(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Roster, AppError> {
    let event = visible_event(state, user, id).await?;
    if !is_lead(state, user, &event).await? {
        return Err(AppError::Forbidden);
    }
    let mut signups = state.store.event_signups(id).await?;
    signups.sort_by_key(|signup| {
        let rank = match signup.status {
            SignupStatus::Confirmed => 0,
            SignupStatus::Waitlisted => 1,
            SignupStatus::Cancelled => 2,
        };
        (
            signup.kind.as_str(),
            rank,
            signup.position.unwrap_or(0),
            signup.signed_up_at,
        )
    });
    if user.role != Role::Admin {
        for signup in signups
            .iter_mut()
            .filter(|signup| signup.kind == PlaceKind::Child)
        {
            let initial: String = signup.name.chars().take(1).collect();
            signup.name = format!("{initial}同学");
        }
    }
    let children: Vec<&str> = signups
        .iter()
        .filter(|signup| signup.kind == PlaceKind::Child)
        .map(|signup| signup.person_id.as_str())
        .collect();
    if !children.is_empty() {
        record_with(
            state,
            &user.actor(source),
            AuditAction::ChildrenListed,
            Some(event_target(id)),
            Some(children.join(",")),
        )
        .await?;
    }
    let site = state.store.get_site(&event.event.site_id).await?;
    Ok(Roster {
        event: record(&event, site, None),
        signups,
    })
}
