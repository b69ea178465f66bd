//! Events at the district's sites and who takes part: volunteers sign themselves up, staff sign
//! up children in their scope; capacity, waitlists, check-in and volunteer hours.
//!
//! What must hold under any concurrency — capacity, waitlist order, one booking at a time per
//! volunteer, hours credited once — is the condition of a store transaction
//! (`store::events`). This module decides what to ask for; when a condition it relied on has
//! changed it reads again and decides again, a bounded number of times, and words the answers.
//!
//! - `sites`, `catalogue`: the sites and events admins keep;
//! - `signups`: taking a place (volunteers, children) and giving it back;
//! - `schedule`: a volunteer's overlapping events;
//! - `waitlist`: cancellations and handing freed places down the waitlist;
//! - `roster`, `hours`: who came, check-in, hours and their totals.

pub mod calendar;
mod catalogue;
mod hours;
mod roster;
mod schedule;
mod signups;
mod sites;
mod waitlist;

pub use catalogue::{
    cancel_event, create_event, get_event, list_events, my_events, update_event, EventFilter,
};
pub use hours::{check_in, correct_hours, my_hours, organisation_hours};
pub use roster::roster;
pub use signups::{child_cancel, child_signup, volunteer_cancel, volunteer_signup};
pub use sites::{list_sites, save_site};

use chrono::Utc;
use shared::children::Bilingual;
use shared::events::{
    EventRecord, EventStatus, Notification, PlaceCounts, PlaceKind, SignupRecord, Site, Visibility,
};
use shared::{Role, Text};

use crate::accounts::CurrentUser;
use crate::store::events::{EventItem, Tell};
use crate::store::StoreError;
use crate::{AppError, AppState};

/// How many times a request reads again and decides again when what it decided on changed
/// under it. Each such change is someone else's progress, so this bounds contention, not
/// faults (those are retried inside every store call); past it the caller hears "busy".
const ATTEMPTS: usize = 64;

fn busy() -> AppError {
    AppError::Store(StoreError::Busy(
        "event places changed under every attempt".into(),
    ))
}

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn refused(zh: String, en: String) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new_owned("event", zh, en)])
}

fn event_target(id: &str) -> String {
    format!("event:{id}")
}

/// Whether a user may see an event at all.
fn can_see(user: &CurrentUser, event: &EventItem) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Director | Role::Teacher => event.event.status != EventStatus::Draft,
        Role::Volunteer => {
            event.event.status != EventStatus::Draft
                && match &event.event.visibility {
                    Visibility::AllVolunteers => true,
                    Visibility::Organisations { organisations } => user
                        .organisation
                        .is_some_and(|mine| organisations.contains(&mine)),
                }
        }
        Role::Counsellor | Role::Officer => false,
    }
}

/// Whether `user` runs this event: admins, and the event's leads — a volunteer lead only while
/// their approval is neither suspended nor rejected (read consistently), so a suspended
/// volunteer loses the roster and check-in with everything else.
async fn is_lead(
    state: &AppState,
    user: &CurrentUser,
    event: &EventItem,
) -> Result<bool, AppError> {
    if user.role == Role::Admin {
        return Ok(true);
    }
    if !event.event.leads.contains(&user.id) {
        return Ok(false);
    }
    if user.role != Role::Volunteer {
        return Ok(true);
    }
    Ok(!state.store.volunteer_barred(&user.id).await?)
}

async fn visible_event(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<EventItem, AppError> {
    match state.store.get_event(id).await? {
        Some(event) if can_see(user, &event) => Ok(event),
        _ => Err(AppError::NotFound),
    }
}

fn record(event: &EventItem, site: Option<Site>, my_signup: Option<SignupRecord>) -> EventRecord {
    let mut shown = event.event.clone();
    // Past events read as finished without anyone having to close them.
    if shown.status == EventStatus::Published && shown.ends_at < Utc::now() {
        shown.status = EventStatus::Finished;
    }
    EventRecord {
        id: event.id.clone(),
        version: event.version,
        event: shown,
        site,
        volunteers: PlaceCounts {
            capacity: event.event.volunteer_capacity,
            confirmed: event.v_confirmed,
            waitlisted: event.v_waitlisted,
        },
        children: PlaceCounts {
            capacity: event.event.child_capacity,
            confirmed: event.c_confirmed,
            waitlisted: event.c_waitlisted,
        },
        my_signup,
    }
}

/// Who hears about a place: the volunteer, or whoever entered the child.
fn recipient(kind: PlaceKind, person_id: &str, entered_by: Option<&str>) -> Option<String> {
    match kind {
        PlaceKind::Volunteer => Some(person_id.to_string()),
        PlaceKind::Child => entered_by.map(str::to_string),
    }
}

/// A message to write in the transaction of the change it reports.
fn tell(state: &AppState, user_id: String, text: Bilingual, link: String) -> Tell {
    Tell {
        user_id,
        notification: Notification {
            id: ulid::Ulid::new().to_string(),
            at: state.clock.now(),
            text,
            link: Some(link),
        },
    }
}

pub async fn notifications(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<Notification>, AppError> {
    Ok(state.store.notifications(&user.id, 50).await?)
}
