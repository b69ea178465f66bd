//! The waitlist and giving places back.
//!
//! - queue: `EVENT#<event>` / `WAIT#<kind>#<position, 10 digits>`, one per waiting person, put in
//!   the waitlist join's transaction and deleted in the promotion's or cancellation's, so the
//!   head is one consistent Query away and the queue, the counter and the roster agree.
//!
//! `cancel_place` marks the sign-up cancelled and, for a confirmed place, hands it to the head of
//! the queue in the same transaction (the confirmed count does not move), so no newcomer can take
//! it in between; with nobody waiting it lowers the count instead. `promote` fills a free place
//! (after a capacity increase) from the head.

use aws_sdk_dynamodb::types::{Delete, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use shared::api::AuditEntry;
use shared::events::{EventStatus, PlaceKind, SignupRecord, SignupStatus};

use super::{
    counters, delete_write, event_key, event_pk, number, queue_key, queue_prefix, signup_key,
    update_write, Tell,
};
use crate::store::item::{from_item, n, s};
use crate::store::retry::SendRetrying as _;
use crate::store::{is_condition_failure, Store, StoreError};

/// Someone on a waitlist, as the queue holds them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaitEntry {
    pub position: u64,
    pub kind: PlaceKind,
    pub person_id: String,
    /// Who entered a child (they are told when the child gets the place).
    #[serde(default)]
    pub entered_by: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Promotion {
    Promoted,
    /// No free place (or the event is not published): nobody more can be promoted now.
    NoPlace,
    /// That person left the queue meanwhile: look at the head again.
    HeadChanged,
}

/// A place to give back, as read; the cancellation holds only if it is still so.
pub struct Cancel<'a> {
    pub signup: &'a SignupRecord,
    /// The head of the waitlist, who takes a freed confirmed place in the same transaction.
    pub successor: Option<&'a WaitEntry>,
    /// The successor's message, written with the promotion.
    pub tell: Option<&'a Tell>,
    pub audit: Option<&'a AuditEntry>,
}

impl Store {
    /// The head of the waitlist (consistent read of the queue).
    /// The first `count` people waiting, in order (consistent read).
    pub async fn waitlist_heads(
        &self,
        event_id: &str,
        kind: PlaceKind,
        count: i32,
    ) -> Result<Vec<WaitEntry>, StoreError> {
        self.query_prefix(&event_pk(event_id), &queue_prefix(kind), false, Some(count))
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The first waiting person according to the sign-ups themselves: for people waitlisted
    /// before the queue existed, who have no queue entry.
    pub async fn waiting_on_roster(
        &self,
        event_id: &str,
        kind: PlaceKind,
    ) -> Result<Option<WaitEntry>, StoreError> {
        let prefix = format!("SIGNUP#{}#", kind.as_str());
        let mut first: Option<WaitEntry> = None;
        for item in self
            .query_prefix(&event_pk(event_id), &prefix, false, None)
            .await?
        {
            let signup: SignupRecord = from_item(item)?;
            if let (SignupStatus::Waitlisted, Some(position)) = (signup.status, signup.position) {
                if first.as_ref().is_none_or(|head| position < head.position) {
                    first = Some(WaitEntry {
                        position,
                        kind,
                        person_id: signup.person_id,
                        entered_by: signup.entered_by,
                    });
                }
            }
        }
        Ok(first)
    }

    /// The head of the waitlist when the queue looked empty although the count said people
    /// wait: someone on the roster waitlisted before the queue existed, or else a count that
    /// older code left raised (its join could fail between raising the count and writing the
    /// sign-up). Such a count is set to zero, conditioned on the count and the sequence read
    /// before the queue and roster were: any join since raised the sequence, any departure
    /// lowered the count, so a true count is never overwritten.
    pub async fn waiting_or_repair(
        &self,
        event_id: &str,
        kind: PlaceKind,
    ) -> Result<Option<WaitEntry>, StoreError> {
        let c = counters(kind);
        let Some(event) = self.read_item(event_key(event_id)).await? else {
            return Ok(None);
        };
        let (count, sequence) = (number(&event, c.waitlisted), number(&event, c.sequence));
        if count == 0 {
            return Ok(None);
        }
        if let Some(head) = self
            .waitlist_heads(event_id, kind, 1)
            .await?
            .into_iter()
            .next()
        {
            return Ok(Some(head));
        }
        if let Some(head) = self.waiting_on_roster(event_id, kind).await? {
            return Ok(Some(head));
        }
        let update = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(event_key(event_id)))
            .update_expression("SET #waitlisted = :zero")
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_names("#sequence", c.sequence)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":count", n(count));
        let update = if sequence == 0 {
            update.condition_expression("#waitlisted = :count AND attribute_not_exists(#sequence)")
        } else {
            update
                .condition_expression("#waitlisted = :count AND #sequence = :sequence")
                .expression_attribute_values(":sequence", n(sequence))
        };
        match update.send_retrying().await {
            Ok(_) => Ok(None),
            // It changed: whoever changed it knows; the caller's own condition sends it back.
            Err(error) if is_condition_failure(&error) => Ok(None),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// Takes `next` off the queue into a confirmed place, with their message.
    fn promotion_writes(
        &self,
        event_id: &str,
        next: &WaitEntry,
        tell: Option<&Tell>,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        // Unconditional: people waitlisted before the queue existed have no entry to delete;
        // the sign-up's own condition is what guards against promoting anyone twice.
        let dequeue = Delete::builder()
            .table_name(self.table())
            .set_key(Some(queue_key(event_id, next.kind, next.position)))
            .build();
        let confirm = Update::builder()
            .table_name(self.table())
            .set_key(Some(signup_key(event_id, next.kind, &next.person_id)))
            .update_expression("SET #status = :confirmed REMOVE #position, GSI2PK, GSI2SK")
            .condition_expression("#status = :waitlisted AND #position = :position")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#position", "position")
            .expression_attribute_values(":confirmed", s(SignupStatus::Confirmed.as_str()))
            .expression_attribute_values(":waitlisted", s(SignupStatus::Waitlisted.as_str()))
            .expression_attribute_values(":position", n(next.position))
            .build();
        let mut writes = vec![delete_write(dequeue)?, update_write(confirm)?];
        if let Some(tell) = tell {
            writes.push(self.tell_write(tell)?);
        }
        // A volunteer suspended while waiting is passed over (they keep their place in the
        // queue for when they are reinstated); a suspension landing now sends the caller round.
        if next.kind == PlaceKind::Volunteer {
            writes.push(self.volunteer_not_barred(&next.person_id)?);
        }
        Ok(writes)
    }

    /// Moves `next` (the head of the queue) into a free place.
    pub async fn promote(
        &self,
        event_id: &str,
        next: &WaitEntry,
        tell: Option<&Tell>,
    ) -> Result<Promotion, StoreError> {
        let c = counters(next.kind);
        let raise = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(event_id)))
            .update_expression(
                "SET #confirmed = #confirmed + :one, #waitlisted = #waitlisted - :one",
            )
            .condition_expression(
                "f_status = :published AND #confirmed < #capacity AND #waitlisted > :zero",
            )
            .expression_attribute_names("#confirmed", c.confirmed)
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_names("#capacity", c.capacity)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":published", s(EventStatus::Published.as_str()))
            .build();
        let mut writes = vec![update_write(raise)?];
        writes.extend(self.promotion_writes(event_id, next, tell)?);
        Ok(match self.transact_events(writes, None).await? {
            None => Promotion::Promoted,
            Some(failed) if failed.first() == Some(&true) => Promotion::NoPlace,
            Some(_) => Promotion::HeadChanged,
        })
    }

    /// Gives a place back (see the module's comment). `Ok(false)` when anything it was decided
    /// on changed: the place, the counters' premise, or the successor's place in the queue.
    pub async fn cancel_place(&self, cancel: &Cancel<'_>) -> Result<bool, StoreError> {
        let signup = cancel.signup;
        let c = counters(signup.kind);
        let published = s(EventStatus::Published.as_str());
        let mark = Update::builder()
            .table_name(self.table())
            .set_key(Some(signup_key(
                &signup.event_id,
                signup.kind,
                &signup.person_id,
            )))
            .update_expression("SET #status = :cancelled REMOVE #position, GSI2PK, GSI2SK")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#position", "position")
            .expression_attribute_values(":cancelled", s(SignupStatus::Cancelled.as_str()))
            .expression_attribute_values(":was", s(signup.status.as_str()));
        let mark = match (signup.status, signup.position) {
            (SignupStatus::Waitlisted, Some(position)) => mark
                .condition_expression("#status = :was AND #position = :position")
                .expression_attribute_values(":position", n(position)),
            // A place someone was checked in for stays: its hours are credited.
            // (Absent attendance is stored as NULL.)
            _ => mark
                .condition_expression(
                    "#status = :was AND (attribute_not_exists(attendance) OR attribute_type(attendance, :null))",
                )
                .expression_attribute_values(":null", s("NULL")),
        };
        let counter = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(&signup.event_id)))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0));
        let counter = match (signup.status, cancel.successor) {
            // The place passes to the successor: only the waitlist shrinks.
            (SignupStatus::Confirmed, Some(_)) => counter
                .update_expression("SET #waitlisted = #waitlisted - :one")
                .condition_expression("f_status = :published AND #waitlisted > :zero")
                .expression_attribute_names("#waitlisted", c.waitlisted)
                .expression_attribute_values(":published", published),
            // Nobody to pass it to — which must still be true when this commits.
            (SignupStatus::Confirmed, None) => counter
                .update_expression("SET #confirmed = #confirmed - :one")
                .condition_expression(
                    "#confirmed > :zero AND (attribute_not_exists(#waitlisted) \
                     OR #waitlisted = :zero OR f_status <> :published)",
                )
                .expression_attribute_names("#confirmed", c.confirmed)
                .expression_attribute_names("#waitlisted", c.waitlisted)
                .expression_attribute_values(":published", published),
            (SignupStatus::Waitlisted, _) => counter
                .update_expression("SET #waitlisted = #waitlisted - :one")
                .condition_expression("#waitlisted > :zero")
                .expression_attribute_names("#waitlisted", c.waitlisted),
            (SignupStatus::Cancelled, _) => return Ok(false),
        };
        let mut writes = vec![update_write(mark.build())?, update_write(counter.build())?];
        match (signup.status, signup.position, cancel.successor) {
            (SignupStatus::Waitlisted, Some(position), _) => {
                let dequeue = Delete::builder()
                    .table_name(self.table())
                    .set_key(Some(queue_key(&signup.event_id, signup.kind, position)))
                    .build();
                writes.push(delete_write(dequeue)?);
            }
            (SignupStatus::Confirmed, _, Some(next)) => {
                writes.extend(self.promotion_writes(&signup.event_id, next, cancel.tell)?);
            }
            _ => {}
        }
        if signup.kind == PlaceKind::Volunteer {
            writes.push(self.unbook_write(&signup.person_id, &signup.event_id)?);
        }
        Ok(self.transact_events(writes, cancel.audit).await?.is_none())
    }
}
