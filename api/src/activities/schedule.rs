//! Two events at overlapping times are refused, naming the other one.
//!
//! Decided on the volunteer's schedule, read consistently, and written in the sign-up's own
//! transaction only if nobody changed the schedule since. Of two simultaneous sign-ups by one
//! volunteer the second therefore finds the first's booking and checks again: at most one of two
//! overlapping events can be taken, whatever the timing.

use chrono::{DateTime, Utc};
use shared::events::{EventStatus, PlaceKind, SignupStatus};

use super::refused;
use crate::store::events::{Booking, EventItem, ScheduleChange};
use crate::{AppError, AppState};

fn booking_of(event: &EventItem) -> Booking {
    Booking {
        event_id: event.id.clone(),
        title: event.event.title.clone(),
        starts_at: event.event.starts_at,
        ends_at: event.event.ends_at,
    }
}

fn clash(title: &str) -> AppError {
    refused(
        format!("时间冲突:您已报名同一时间的活动“{title}”"),
        format!("Time clash: you already have a place at “{title}” at the same time"),
    )
}

/// What a booking on the schedule means for the event being signed up for.
enum Standing {
    Clash(String),
    /// No clash; the booking as the event now is.
    Keep(Booking),
    /// Past, cancelled, or no longer signed up for: dropped from the schedule.
    Gone,
}

/// Events can be moved after people signed up, so the event as it is now decides, not the times
/// copied onto the schedule.
async fn standing(
    state: &AppState,
    user_id: &str,
    booking: &Booking,
    event: &EventItem,
    now: DateTime<Utc>,
) -> Result<Standing, AppError> {
    let Some(other) = state.store.get_event(&booking.event_id).await? else {
        return Ok(Standing::Gone);
    };
    // A past event cannot overlap one still open for sign-up, which starts in the future.
    if other.event.status == EventStatus::Cancelled || other.event.ends_at <= now {
        return Ok(Standing::Gone);
    }
    let overlaps =
        other.event.starts_at < event.event.ends_at && event.event.starts_at < other.event.ends_at;
    if !overlaps {
        return Ok(Standing::Keep(booking_of(&other)));
    }
    // Schedules gathered from old sign-ups may name a place given back since; the sign-up itself
    // says whether it still stands.
    let still_signed_up = state
        .store
        .get_signup(&other.id, PlaceKind::Volunteer, user_id)
        .await?
        .is_some_and(|signup| signup.status != SignupStatus::Cancelled);
    Ok(if still_signed_up {
        Standing::Clash(other.event.title)
    } else {
        Standing::Gone
    })
}

/// The schedule change a volunteer's sign-up for `event` writes, or the refusal naming the event
/// it clashes with.
pub(super) async fn plan_booking(
    state: &AppState,
    user_id: &str,
    event: &EventItem,
    now: DateTime<Utc>,
) -> Result<ScheduleChange, AppError> {
    let schedule = state.store.schedule(user_id).await?;
    let mut bookings = schedule.bookings;
    if !schedule.complete {
        // Sign-ups from before schedules existed are gathered once, from the volunteer's index;
        // every sign-up since is on the schedule by construction, so no rule depends on the
        // index after this first write.
        for signup in state.store.volunteer_signups(user_id).await? {
            let known = bookings
                .iter()
                .any(|booking| booking.event_id == signup.event_id);
            if signup.status == SignupStatus::Cancelled || known {
                continue;
            }
            if let Some(other) = state.store.get_event(&signup.event_id).await? {
                bookings.push(booking_of(&other));
            }
        }
    }
    let mut book = vec![booking_of(event)];
    let mut stale = Vec::new();
    for booking in bookings {
        // The same event again: the sign-up's own condition answers "already signed up".
        if booking.event_id == event.id {
            continue;
        }
        match standing(state, user_id, &booking, event, now).await? {
            Standing::Clash(title) => return Err(clash(&title)),
            // A complete schedule holds it already; a gathered one must be written.
            Standing::Keep(current) if !schedule.complete => book.push(current),
            Standing::Keep(_) => {}
            Standing::Gone => stale.push(booking.event_id),
        }
    }
    Ok(ScheduleChange {
        user_id: user_id.to_string(),
        read_version: schedule.version,
        book,
        drop: stale,
    })
}
