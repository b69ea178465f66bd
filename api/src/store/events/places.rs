//! Taking a place at an event.
//!
//! - sign-up: `EVENT#<event>` / `SIGNUP#<kind>#<person>`; a volunteer's also on GSI1
//!   `VOLSIGNUPS#<user>` / `<starts>#<event>` for their own lists (display only).
//!
//! `confirm_place` raises the confirmed counter only below capacity and while nobody waits.
//! Otherwise `waitlist_place` draws a position from the event's sequence (an atomic counter, so
//! positions follow the order in which the store accepted the requests), then in one transaction
//! raises the waitlisted counter — only while the event is full or people wait — and puts the
//! queue entry (`queue`) and the sign-up. A request that fails after drawing its position leaves
//! a gap in the numbers, never in the counters.

use aws_sdk_dynamodb::types::{Put, ReturnValue, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use shared::api::AuditEntry;
use shared::events::{EventStatus, PlaceKind, SignupRecord, SignupStatus};

use super::{
    counters, event_key, event_pk, number, put_write, queue_key, signup_key, sort_key,
    update_write, ScheduleChange, WaitEntry,
};
use crate::store::item::{from_item, n, s, to_item, Item};
use crate::store::retry::SendRetrying as _;
use crate::store::schema::GSI1;
use crate::store::{is_condition_failure, Store, StoreError};

#[derive(Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    Confirmed,
    Waitlisted(u64),
    AlreadySignedUp,
    /// The volunteer's approval is suspended (checked when the sign-up commits).
    Suspended,
    /// From `confirm_place`: no place to confirm now (full, people waiting, or closed).
    /// From `waitlist_place`: sign-up is closed.
    NotOpen,
    /// From `waitlist_place`: a place was free after all, so confirming is worth another try.
    PlaceFree,
    /// The volunteer's schedule changed since the overlap check read it: check again.
    ScheduleChanged,
}

/// A sign-up to write, and what rides in its transaction.
pub struct Join<'a> {
    pub signup: &'a SignupRecord,
    pub starts_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub schedule: Option<&'a ScheduleChange>,
    /// A volunteer signing themselves up: refused if their approval is suspended when this
    /// commits, so a suspension and a sign-up at the same moment cannot both stand.
    pub check_suspension: bool,
    pub audit: Option<&'a AuditEntry>,
}

/// A sign-up as stored, with the revision its attendance writes are conditioned on.
#[derive(Debug, Clone)]
pub struct Place {
    pub signup: SignupRecord,
    pub rev: u64,
}

/// Which write of a join refused it.
enum Refused {
    Suspended,
    SignedUp,
    Schedule,
    Event,
}

/// Where the sign-up sits in a join's writes (the event's counter is first).
const SIGNUP_AT: usize = 1;

/// An event still taking sign-ups of this kind (`#capacity`, `:published`, `:now`, `:zero`).
const OPEN: &str = "f_status = :published AND signup_deadline_epoch > :now AND #capacity > :zero";

fn waitlist_condition() -> String {
    format!("{OPEN} AND (#confirmed >= #capacity OR #waitlisted > :zero)")
}

fn signup_item(signup: &SignupRecord, starts_at: DateTime<Utc>) -> Result<Item, StoreError> {
    let mut item = to_item(signup)?;
    item.extend(signup_key(&signup.event_id, signup.kind, &signup.person_id));
    if signup.kind == PlaceKind::Volunteer {
        item.insert(
            "GSI1PK".into(),
            s(format!("VOLSIGNUPS#{}", signup.person_id)),
        );
        item.insert(
            "GSI1SK".into(),
            s(format!("{}#{}", sort_key(starts_at), signup.event_id)),
        );
    }
    Ok(item)
}

impl Store {
    /// The sign-up, replacing at most a cancelled one.
    fn signup_put(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(signup_item(signup, starts_at)?))
            .condition_expression("attribute_not_exists(PK) OR #status = :cancelled")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":cancelled", s(SignupStatus::Cancelled.as_str()))
            .build();
        put_write(put)
    }

    /// Runs a join's writes with the checks, schedule change and audit entry that ride along.
    async fn join_transaction(
        &self,
        mut writes: Vec<TransactWriteItem>,
        join: &Join<'_>,
    ) -> Result<Option<Refused>, StoreError> {
        let mut push = |write: TransactWriteItem| {
            writes.push(write);
            Some(writes.len() - 1)
        };
        let schedule_at = match join.schedule {
            Some(change) => push(self.schedule_write(change)?),
            None => None,
        };
        let vetting_at = if join.check_suspension {
            push(self.volunteer_not_barred(&join.signup.person_id)?)
        } else {
            None
        };
        let Some(failed) = self.transact_events(writes, join.audit).await? else {
            return Ok(None);
        };
        let failed_at =
            |at: Option<usize>| at.and_then(|at| failed.get(at)).copied().unwrap_or(false);
        // The person's standing and an existing place are answers whatever else changed; a
        // changed schedule must be checked again before the event's state means anything.
        Ok(Some(if failed_at(vetting_at) {
            Refused::Suspended
        } else if failed_at(Some(SIGNUP_AT)) {
            Refused::SignedUp
        } else if failed_at(schedule_at) {
            Refused::Schedule
        } else {
            Refused::Event
        }))
    }

    /// Takes a confirmed place if one is free and nobody is waiting for it.
    pub async fn confirm_place(&self, join: &Join<'_>) -> Result<JoinOutcome, StoreError> {
        let signup = join.signup;
        let c = counters(signup.kind);
        let raise = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(&signup.event_id)))
            .update_expression("SET #confirmed = if_not_exists(#confirmed, :zero) + :one")
            .condition_expression(format!(
                "{OPEN} AND (attribute_not_exists(#confirmed) OR #confirmed < #capacity) \
                 AND (attribute_not_exists(#waitlisted) OR #waitlisted = :zero)"
            ))
            .expression_attribute_names("#confirmed", c.confirmed)
            .expression_attribute_names("#capacity", c.capacity)
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":published", s(EventStatus::Published.as_str()))
            .expression_attribute_values(":now", n(join.now.timestamp()))
            .build();
        let mut place = signup.clone();
        place.status = SignupStatus::Confirmed;
        place.position = None;
        let writes = vec![
            update_write(raise)?,
            self.signup_put(&place, join.starts_at)?,
        ];
        Ok(match self.join_transaction(writes, join).await? {
            None => JoinOutcome::Confirmed,
            Some(Refused::Suspended) => JoinOutcome::Suspended,
            Some(Refused::SignedUp) => JoinOutcome::AlreadySignedUp,
            Some(Refused::Schedule) => JoinOutcome::ScheduleChanged,
            Some(Refused::Event) => JoinOutcome::NotOpen,
        })
    }

    /// Joins the waitlist of an event that is full or already has people waiting.
    pub async fn waitlist_place(&self, join: &Join<'_>) -> Result<JoinOutcome, StoreError> {
        let signup = join.signup;
        let c = counters(signup.kind);
        let published = s(EventStatus::Published.as_str());
        let ticket = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(event_key(&signup.event_id)))
            .update_expression("SET #sequence = if_not_exists(#sequence, :zero) + :one")
            .condition_expression(waitlist_condition())
            .expression_attribute_names("#sequence", c.sequence)
            .expression_attribute_names("#confirmed", c.confirmed)
            .expression_attribute_names("#capacity", c.capacity)
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":published", published.clone())
            .expression_attribute_values(":now", n(join.now.timestamp()))
            .return_values(ReturnValue::UpdatedNew)
            .send_retrying()
            .await;
        let position = match ticket {
            Ok(output) => output
                .attributes
                .as_ref()
                .and_then(|attributes| attributes.get(c.sequence))
                .and_then(|value| value.as_n().ok())
                .and_then(|value| value.parse::<u64>().ok())
                .ok_or_else(|| StoreError::Corrupt("waitlist sequence missing".into()))?,
            Err(error) if is_condition_failure(&error) => return self.closed_or_free(join).await,
            Err(error) => return Err(StoreError::from_sdk(error)),
        };
        let count = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(&signup.event_id)))
            .update_expression("SET #waitlisted = if_not_exists(#waitlisted, :zero) + :one")
            .condition_expression(waitlist_condition())
            .expression_attribute_names("#confirmed", c.confirmed)
            .expression_attribute_names("#capacity", c.capacity)
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":published", published)
            .expression_attribute_values(":now", n(join.now.timestamp()))
            .build();
        let mut place = signup.clone();
        place.status = SignupStatus::Waitlisted;
        place.position = Some(position);
        let entry = WaitEntry {
            position,
            kind: signup.kind,
            person_id: signup.person_id.clone(),
            entered_by: signup.entered_by.clone(),
        };
        let mut queued = to_item(&entry)?;
        queued.extend(queue_key(&signup.event_id, signup.kind, position));
        let enqueue = Put::builder()
            .table_name(self.table())
            .set_item(Some(queued))
            .condition_expression("attribute_not_exists(PK)")
            .build();
        let writes = vec![
            update_write(count)?,
            self.signup_put(&place, join.starts_at)?,
            put_write(enqueue)?,
        ];
        match self.join_transaction(writes, join).await? {
            None => Ok(JoinOutcome::Waitlisted(position)),
            Some(Refused::Suspended) => Ok(JoinOutcome::Suspended),
            Some(Refused::SignedUp) => Ok(JoinOutcome::AlreadySignedUp),
            Some(Refused::Schedule) => Ok(JoinOutcome::ScheduleChanged),
            Some(Refused::Event) => self.closed_or_free(join).await,
        }
    }

    /// Why a waitlist join's condition failed: sign-up closed, or a place is free after all.
    async fn closed_or_free(&self, join: &Join<'_>) -> Result<JoinOutcome, StoreError> {
        let kind = join.signup.kind;
        let open = self
            .get_event(&join.signup.event_id)
            .await?
            .is_some_and(|event| {
                event.event.status == EventStatus::Published
                    && event.event.signup_deadline.timestamp() > join.now.timestamp()
                    && event.capacity(kind) > 0
            });
        Ok(if open {
            JoinOutcome::PlaceFree
        } else {
            JoinOutcome::NotOpen
        })
    }

    /// `confirm_place` without schedule or audit entry: demo data and the benchmark's raw run.
    pub async fn join_confirmed(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<JoinOutcome, StoreError> {
        self.confirm_place(&Join {
            signup,
            starts_at,
            now,
            schedule: None,
            check_suspension: false,
            audit: None,
        })
        .await
    }

    /// `waitlist_place` without schedule or audit entry: the benchmark's raw run.
    pub async fn join_waitlist(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<JoinOutcome, StoreError> {
        self.waitlist_place(&Join {
            signup,
            starts_at,
            now,
            schedule: None,
            check_suspension: false,
            audit: None,
        })
        .await
    }

    pub async fn get_signup(
        &self,
        event_id: &str,
        kind: PlaceKind,
        person: &str,
    ) -> Result<Option<SignupRecord>, StoreError> {
        self.get_as(signup_key(event_id, kind, person)).await
    }

    pub async fn get_place(
        &self,
        event_id: &str,
        kind: PlaceKind,
        person: &str,
    ) -> Result<Option<Place>, StoreError> {
        let Some(item) = self.read_item(signup_key(event_id, kind, person)).await? else {
            return Ok(None);
        };
        let rev = number(&item, "rev");
        Ok(Some(Place {
            signup: from_item(item)?,
            rev,
        }))
    }

    /// Every sign-up of an event (the roster), in key order.
    pub async fn event_signups(&self, event_id: &str) -> Result<Vec<SignupRecord>, StoreError> {
        self.query_prefix(&event_pk(event_id), "SIGNUP#", false, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// A volunteer's sign-ups by event start, from an index: for lists, never for a rule.
    pub async fn volunteer_signups(&self, user_id: &str) -> Result<Vec<SignupRecord>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("VOLSIGNUPS#{user_id}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
