//! Sites, events, sign-ups, waitlists, volunteers' schedules, hours and notifications.
//!
//! Every rule of this capability is the condition of the write that could break it, never a
//! check made on an index read (indexes lag on DynamoDB):
//! - places: the event item carries the counters (`v_confirmed`, `v_waitlisted`, `v_sequence`,
//!   and `c_…` for children) and copies of what conditions need (`v_capacity`, `c_capacity`,
//!   `f_status`, `signup_deadline_epoch`). A newcomer is confirmed only while a place is free
//!   *and nobody waits*; a waitlist join is accepted only while the event is full or people
//!   already wait. So a free place never sits beside a waiting person, except for the moment
//!   after an edit raised the capacity (the edit then hands the places down the waitlist).
//! - the waitlist is a queue in the event's own partition, `WAIT#<kind>#<position>`, put and
//!   deleted in the same transactions as the sign-ups and the counter: counter, queue and roster
//!   agree, and the head is one consistent Query away.
//! - a volunteer's schedule (`USER#<id>` / `SCHEDULE`) carries a version; a sign-up is written
//!   only if the schedule is still the one its overlap check read.
//! - a volunteer's own sign-up carries a condition check that their approval is not suspended
//!   (`USER#<id>` / `VOLUNTEER`, `f_vetting`), so a suspension landing at the same moment stands.
//! - attendance writes are conditioned on the sign-up's revision `rev`, so a second tap of the
//!   same check-in finds the work done instead of crediting the hours again.
//!
//! Each module below adds the `Store` methods for one of these.

mod catalogue;
mod hours;
mod notifications;
mod places;
mod queue;
mod schedule;
mod sites;

pub use hours::{AttendanceChange, HoursDelta};
pub use notifications::Tell;
pub use places::{Join, JoinOutcome, Place};
pub use queue::{Cancel, Promotion, WaitEntry};
pub use schedule::{Booking, Schedule, ScheduleChange};

use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::api::AuditEntry;
use shared::events::{EventInput, PlaceKind};

use super::item::{key, Item};
use super::retry::SendRetrying as _;
use super::{Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn site_pk(id: &str) -> String {
    format!("SITE#{id}")
}
fn event_pk(id: &str) -> String {
    format!("EVENT#{id}")
}
const EVENT_SK: &str = "EVENT";
fn event_key(id: &str) -> Item {
    key(event_pk(id), EVENT_SK)
}
fn signup_key(event: &str, kind: PlaceKind, person: &str) -> Item {
    key(
        event_pk(event),
        format!("SIGNUP#{}#{person}", kind.as_str()),
    )
}
fn queue_prefix(kind: PlaceKind) -> String {
    format!("WAIT#{}#", kind.as_str())
}
/// Ten digits, so that the queue's key order is the order of positions.
fn queue_key(event: &str, kind: PlaceKind, position: u64) -> Item {
    key(
        event_pk(event),
        format!("{}{position:010}", queue_prefix(kind)),
    )
}
fn schedule_key(user: &str) -> Item {
    key(format!("USER#{user}"), "SCHEDULE")
}

/// Sortable instant for index keys.
pub fn sort_key(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The counter attributes of one kind of place on the event item.
struct Counters {
    confirmed: &'static str,
    waitlisted: &'static str,
    sequence: &'static str,
    capacity: &'static str,
}

fn counters(kind: PlaceKind) -> Counters {
    match kind {
        PlaceKind::Volunteer => Counters {
            confirmed: "v_confirmed",
            waitlisted: "v_waitlisted",
            sequence: "v_sequence",
            capacity: "v_capacity",
        },
        PlaceKind::Child => Counters {
            confirmed: "c_confirmed",
            waitlisted: "c_waitlisted",
            sequence: "c_sequence",
            capacity: "c_capacity",
        },
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventItem {
    pub id: String,
    pub version: u64,
    pub event: EventInput,
    #[serde(default)]
    pub v_confirmed: u32,
    #[serde(default)]
    pub v_waitlisted: u32,
    #[serde(default)]
    pub c_confirmed: u32,
    #[serde(default)]
    pub c_waitlisted: u32,
    pub created_by: String,
}

impl EventItem {
    pub fn capacity(&self, kind: PlaceKind) -> u32 {
        match kind {
            PlaceKind::Volunteer => self.event.volunteer_capacity,
            PlaceKind::Child => self.event.child_capacity,
        }
    }

    pub fn confirmed(&self, kind: PlaceKind) -> u32 {
        match kind {
            PlaceKind::Volunteer => self.v_confirmed,
            PlaceKind::Child => self.c_confirmed,
        }
    }

    pub fn waitlisted(&self, kind: PlaceKind) -> u32 {
        match kind {
            PlaceKind::Volunteer => self.v_waitlisted,
            PlaceKind::Child => self.c_waitlisted,
        }
    }
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn put_write<E: std::fmt::Display>(
    put: Result<aws_sdk_dynamodb::types::Put, E>,
) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder().put(build(put)?).build())
}

fn update_write<E: std::fmt::Display>(
    update: Result<aws_sdk_dynamodb::types::Update, E>,
) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder().update(build(update)?).build())
}

fn delete_write<E: std::fmt::Display>(
    delete: Result<aws_sdk_dynamodb::types::Delete, E>,
) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder().delete(build(delete)?).build())
}

/// A number attribute of a raw item; absent counts as 0.
fn number(item: &Item, name: &str) -> u64 {
    item.get(name)
        .and_then(|value| value.as_n().ok())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

impl Store {
    /// One item as stored (consistent read), for the attributes no domain type carries.
    async fn read_item(&self, key: Item) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(output.item)
    }

    /// Runs a transaction, with the audit entry as its last write when there is one.
    /// `Ok(None)` when it went through, otherwise which writes failed their condition. A
    /// transaction refused for anything but a condition (an invalid write) is an error, never
    /// a business answer.
    async fn transact_events(
        &self,
        writes: Vec<TransactWriteItem>,
        audit: Option<&AuditEntry>,
    ) -> Result<Option<Vec<bool>>, StoreError> {
        let result = match audit {
            Some(entry) => self.transact_audited(writes, entry).await?,
            None => self.transact(writes).await?,
        };
        let Err(reasons) = result else {
            return Ok(None);
        };
        let failed: Vec<bool> = reasons
            .iter()
            .map(|reason| reason.as_deref() == Some("ConditionalCheckFailed"))
            .collect();
        if failed.contains(&true) {
            Ok(Some(failed))
        } else {
            Err(StoreError::Refused {
                code: "TransactionCanceledException".into(),
                message: format!("{reasons:?}"),
            })
        }
    }
}
