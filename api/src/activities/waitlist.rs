//! Giving places back, and who gets them.
//!
//! A confirmed place given back goes to the head of the waitlist in the cancellation's own
//! transaction, so no newcomer can take it in between. Places freed by a larger capacity are
//! handed down the waitlist right after the edit; newcomers cannot take those meanwhile either,
//! since confirming a newcomer requires that nobody waits. Whoever is promoted is told in the
//! same transaction.

use shared::api::AuditEntry;
use shared::children::Bilingual;
use shared::events::{EventStatus, PlaceKind, SignupRecord, SignupStatus};

use super::{busy, recipient, refused, tell, ATTEMPTS};
use crate::store::events::{Cancel, EventItem, Promotion, Tell, WaitEntry};
use crate::{AppError, AppState};

/// Whether the event, as read, had places free beside people waiting (only ever after a
/// capacity increase, until the waitlist has been handed the places).
pub(super) fn free_beside_waiting(event: &EventItem, kind: PlaceKind) -> bool {
    event.event.status == EventStatus::Published
        && event.confirmed(kind) < event.capacity(kind)
        && event.waitlisted(kind) > 0
}

/// The head of the waitlist, `waiting` being the count last read.
/// How far down the queue a freed place looks past suspended volunteers.
const HEADS_LOOKED_AT: i32 = 25;

async fn head(
    state: &AppState,
    event_id: &str,
    kind: PlaceKind,
    waiting: u32,
) -> Result<Option<WaitEntry>, AppError> {
    if waiting == 0 {
        return Ok(None);
    }
    let heads = state
        .store
        .waitlist_heads(event_id, kind, HEADS_LOOKED_AT)
        .await?;
    let queued = !heads.is_empty();
    for head in heads {
        if kind == PlaceKind::Child || !state.store.volunteer_barred(&head.person_id).await? {
            return Ok(Some(head));
        }
    }
    if queued {
        // Everyone near the front is suspended: the place waits for a head that may take it.
        return Ok(None);
    }
    // A count with an empty queue: people waitlisted before the queue existed, or a count older
    // code left raised, which would keep newcomers off free places for good.
    Ok(state.store.waiting_or_repair(event_id, kind).await?)
}

fn promotion_notice(
    state: &AppState,
    next: &WaitEntry,
    event_id: &str,
    title: &str,
) -> Option<Tell> {
    let user = recipient(next.kind, &next.person_id, next.entered_by.as_deref())?;
    let text = Bilingual {
        zh: format!("候补成功:您在活动“{title}”的名额已确认。"),
        en: format!("Off the waitlist: your place at “{title}” is confirmed."),
    };
    Some(tell(state, user, text, format!("/events/{event_id}")))
}

/// Hands free places to the waitlist's heads, one transaction each, while there are both.
pub(super) async fn promote_all(
    state: &AppState,
    event_id: &str,
    kind: PlaceKind,
    title: &str,
) -> Result<(), AppError> {
    let Some(event) = state.store.get_event(event_id).await? else {
        return Ok(());
    };
    let waiting = event.waitlisted(kind);
    let mut changed = 0;
    while changed < ATTEMPTS {
        let Some(next) = head(state, event_id, kind, waiting).await? else {
            return Ok(());
        };
        let notice = promotion_notice(state, &next, event_id, title);
        match state
            .store
            .promote(event_id, &next, notice.as_ref())
            .await?
        {
            Promotion::Promoted => {}
            Promotion::NoPlace => return Ok(()),
            Promotion::HeadChanged => changed += 1,
        }
    }
    Err(busy())
}

/// Gives a place back. Decided on the place, the event and the waitlist's head as read; when any
/// of them changed before the transaction, all are read again and the decision made again.
pub(super) async fn cancel_place(
    state: &AppState,
    mut event: EventItem,
    kind: PlaceKind,
    person_id: &str,
    audit: Option<&AuditEntry>,
) -> Result<SignupRecord, AppError> {
    if state.clock.now() >= event.event.cancel_deadline {
        return Err(refused(
            "已过取消截止时间,请联系组织者".into(),
            "The cancellation deadline has passed; contact the organiser".into(),
        ));
    }
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            event = state
                .store
                .get_event(&event.id)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        let signup = state
            .store
            .get_signup(&event.id, kind, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if signup.status == SignupStatus::Cancelled {
            return Err(AppError::Conflict);
        }
        if signup.attendance.is_some() {
            return Err(refused(
                "已签到的名额不能取消,如有误请联系管理员更正".into(),
                "A place already checked in cannot be given back; ask an administrator to correct it"
                    .into(),
            ));
        }
        let passes_on = signup.status == SignupStatus::Confirmed
            && event.event.status == EventStatus::Published;
        let successor = if passes_on {
            head(state, &event.id, kind, event.waitlisted(kind)).await?
        } else {
            None
        };
        let notice = successor
            .as_ref()
            .and_then(|next| promotion_notice(state, next, &event.id, &event.event.title));
        let cancel = Cancel {
            signup: &signup,
            successor: successor.as_ref(),
            tell: notice.as_ref(),
            audit,
        };
        if state.store.cancel_place(&cancel).await? {
            if free_beside_waiting(&event, kind) {
                promote_all(state, &event.id, kind, &event.event.title).await?;
            }
            return Ok(SignupRecord {
                status: SignupStatus::Cancelled,
                position: None,
                ..signup
            });
        }
    }
    Err(busy())
}
