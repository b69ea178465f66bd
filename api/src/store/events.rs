//! Sites, events, sign-ups, hours and notifications.
//!
//! The event item carries the place counters; a sign-up is confirmed by one transaction that
//! raises the counter only while it is below capacity and creates the sign-up only if the person
//! has none — so capacity holds and nobody takes two places, under any concurrency. A full event
//! hands out waitlist positions from an atomic counter on the same item.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::events::{
    Attendance, EventInput, EventStatus, Notification, Organisation, PlaceKind, SignupRecord,
    SignupStatus, Site,
};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::{GSI1, GSI2};
use super::{is_condition_failure, Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn site_pk(id: &str) -> String {
    format!("SITE#{id}")
}
fn event_pk(id: &str) -> String {
    format!("EVENT#{id}")
}
const EVENT_SK: &str = "EVENT";
fn signup_sk(kind: PlaceKind, person: &str) -> String {
    format!("SIGNUP#{}#{person}", kind.as_str())
}
fn wait_partition(event: &str, kind: PlaceKind) -> String {
    format!("WAIT#{event}#{}", kind.as_str())
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

#[derive(Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    Confirmed,
    Waitlisted(u64),
    AlreadySignedUp,
    NotOpen,
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

impl Store {
    pub async fn put_site(&self, site: &Site) -> Result<(), StoreError> {
        let mut item = to_item(site)?;
        item.extend(key(site_pk(&site.id), "SITE"));
        item.insert("GSI1PK".into(), s(format!("SITES#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!("{}#{}", site.site.name, site.id)),
        );
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    pub async fn get_site(&self, id: &str) -> Result<Option<Site>, StoreError> {
        self.get_as(key(site_pk(id), "SITE")).await
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("SITES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Every item of one index partition (optionally from a sort key on), in order.
    pub(crate) async fn query_all(
        &self,
        index: &str,
        pk_name: &str,
        partition: &str,
        from: Option<(&str, String)>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut request = self
                .client
                .query()
                .table_name(self.table())
                .index_name(index)
                .expression_attribute_names("#pk", pk_name)
                .expression_attribute_values(":pk", s(partition))
                .set_exclusive_start_key(start.take());
            request = match &from {
                Some((sk_name, value)) => request
                    .key_condition_expression("#pk = :pk AND #sk >= :from")
                    .expression_attribute_names("#sk", *sk_name)
                    .expression_attribute_values(":from", s(value.clone())),
                None => request.key_condition_expression("#pk = :pk"),
            };
            let output = request
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            items.extend(output.items.unwrap_or_default());
            match output.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(items),
            }
        }
    }

    fn event_item(&self, event: &EventItem) -> Result<Item, StoreError> {
        let mut item = to_item(event)?;
        item.extend(key(event_pk(&event.id), EVENT_SK));
        item.insert("GSI1PK".into(), s(format!("EVENTS#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!("{}#{}", sort_key(event.event.starts_at), event.id)),
        );
        item.insert("f_status".into(), s(event.event.status.as_str()));
        item.insert("v_capacity".into(), n(event.event.volunteer_capacity));
        item.insert("c_capacity".into(), n(event.event.child_capacity));
        item.insert(
            "signup_deadline_epoch".into(),
            n(event.event.signup_deadline.timestamp()),
        );
        Ok(item)
    }

    pub async fn put_new_event(&self, event: &EventItem) -> Result<(), StoreError> {
        self.put_new(self.event_item(event)?).await
    }

    /// Saves an edit made from `expected_version`. Counters are kept as stored (sign-ups change
    /// them concurrently), and capacity cannot drop below the places already confirmed.
    pub async fn update_event(
        &self,
        event: &EventItem,
        expected_version: u64,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(event_pk(&event.id), EVENT_SK)))
            .update_expression(
                "SET #event = :event, version = :next, GSI1SK = :sort, f_status = :status, \
                 v_capacity = :vcap, c_capacity = :ccap, signup_deadline_epoch = :deadline",
            )
            .condition_expression(
                "version = :expected AND v_confirmed <= :vcap AND c_confirmed <= :ccap AND f_status <> :cancelled",
            )
            .expression_attribute_names("#event", "event")
            .expression_attribute_values(":event", to_item(&event.event).map(AttributeValue::M)?)
            .expression_attribute_values(":next", n(expected_version + 1))
            .expression_attribute_values(":expected", n(expected_version))
            .expression_attribute_values(":sort", s(format!("{}#{}", sort_key(event.event.starts_at), event.id)))
            .expression_attribute_values(":status", s(event.event.status.as_str()))
            .expression_attribute_values(":cancelled", s(EventStatus::Cancelled.as_str()))
            .expression_attribute_values(":vcap", n(event.event.volunteer_capacity))
            .expression_attribute_values(":ccap", n(event.event.child_capacity))
            .expression_attribute_values(":deadline", n(event.event.signup_deadline.timestamp()))
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    pub async fn set_event_status(&self, id: &str, status: EventStatus) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(event_pk(id), EVENT_SK)))
            .update_expression(
                "SET f_status = :status, #event.#status = :status, version = version + :one",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#event", "event")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":status", s(status.as_str()))
            .expression_attribute_values(":one", n(1))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    pub async fn get_event(&self, id: &str) -> Result<Option<EventItem>, StoreError> {
        self.get_as(key(event_pk(id), EVENT_SK)).await
    }

    /// Events starting at or after `from`, soonest first.
    pub async fn events_from(&self, from: DateTime<Utc>) -> Result<Vec<EventItem>, StoreError> {
        self.query_all(
            GSI1,
            "GSI1PK",
            &format!("EVENTS#{DISTRICT}"),
            Some(("GSI1SK", sort_key(from))),
        )
        .await?
        .into_iter()
        .map(from_item)
        .collect()
    }

    fn signup_item(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
    ) -> Result<Item, StoreError> {
        let mut item = to_item(signup)?;
        item.extend(key(
            event_pk(&signup.event_id),
            signup_sk(signup.kind, &signup.person_id),
        ));
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
        if let (SignupStatus::Waitlisted, Some(position)) = (signup.status, signup.position) {
            item.insert(
                "GSI2PK".into(),
                s(wait_partition(&signup.event_id, signup.kind)),
            );
            item.insert("GSI2SK".into(), s(format!("{position:010}")));
        }
        Ok(item)
    }

    /// Takes a confirmed place if one is free. The sign-up may replace only a cancelled one.
    pub async fn join_confirmed(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<JoinOutcome, StoreError> {
        let c = counters(signup.kind);
        let raise = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(event_pk(&signup.event_id), EVENT_SK)))
                .update_expression("SET #confirmed = if_not_exists(#confirmed, :zero) + :one")
                .condition_expression(
                    "f_status = :published AND signup_deadline_epoch > :now AND \
                     (attribute_not_exists(#confirmed) OR #confirmed < #capacity) AND #capacity > :zero",
                )
                .expression_attribute_names("#confirmed", c.confirmed)
                .expression_attribute_names("#capacity", c.capacity)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":published", s(EventStatus::Published.as_str()))
                .expression_attribute_values(":now", n(now.timestamp()))
                .build(),
        )?;
        let put = build(
            aws_sdk_dynamodb::types::Put::builder()
                .table_name(self.table())
                .set_item(Some(self.signup_item(signup, starts_at)?))
                .condition_expression("attribute_not_exists(PK) OR #status = :cancelled")
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":cancelled", s(SignupStatus::Cancelled.as_str()))
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().update(raise).build(),
            TransactWriteItem::builder().put(put).build(),
        ];
        Ok(match self.transact(writes).await? {
            Ok(()) => JoinOutcome::Confirmed,
            Err(reasons) if reasons.get(1).is_some_and(Option::is_some) => {
                JoinOutcome::AlreadySignedUp
            }
            Err(_) => JoinOutcome::NotOpen,
        })
    }

    /// Joins the waitlist of a full event: the position comes from an atomic counter, so
    /// positions follow the order in which the store accepted the requests.
    pub async fn join_waitlist(
        &self,
        signup: &SignupRecord,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<JoinOutcome, StoreError> {
        let c = counters(signup.kind);
        let ticket = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(event_pk(&signup.event_id), EVENT_SK)))
            .update_expression(
                "SET #sequence = if_not_exists(#sequence, :zero) + :one, #waitlisted = if_not_exists(#waitlisted, :zero) + :one",
            )
            .condition_expression("f_status = :published AND signup_deadline_epoch > :now")
            .expression_attribute_names("#sequence", c.sequence)
            .expression_attribute_names("#waitlisted", c.waitlisted)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":published", s(EventStatus::Published.as_str()))
            .expression_attribute_values(":now", n(now.timestamp()))
            .return_values(ReturnValue::UpdatedNew)
            .send_retrying()
            .await;
        let ticket = match ticket {
            Ok(output) => output
                .attributes
                .as_ref()
                .and_then(|attributes| attributes.get(c.sequence))
                .and_then(|value| value.as_n().ok())
                .and_then(|value| value.parse::<u64>().ok())
                .ok_or_else(|| StoreError::Corrupt("waitlist counter missing".into()))?,
            Err(error) if is_condition_failure(&error) => return Ok(JoinOutcome::NotOpen),
            Err(error) => return Err(StoreError::from_sdk(error)),
        };
        let mut waiting = signup.clone();
        waiting.status = SignupStatus::Waitlisted;
        waiting.position = Some(ticket);
        let put = self
            .client
            .put_item()
            .table_name(self.table())
            .set_item(Some(self.signup_item(&waiting, starts_at)?))
            .condition_expression("attribute_not_exists(PK) OR #status = :cancelled")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":cancelled", s(SignupStatus::Cancelled.as_str()))
            .send_retrying()
            .await;
        match put {
            Ok(_) => Ok(JoinOutcome::Waitlisted(ticket)),
            Err(error) if is_condition_failure(&error) => {
                self.add_to_counter(&signup.event_id, c.waitlisted, -1)
                    .await?;
                Ok(JoinOutcome::AlreadySignedUp)
            }
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    async fn add_to_counter(
        &self,
        event_id: &str,
        counter: &str,
        delta: i64,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(event_pk(event_id), EVENT_SK)))
            .update_expression("SET #counter = if_not_exists(#counter, :zero) + :delta")
            .expression_attribute_names("#counter", counter)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":delta", n(delta))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    pub async fn get_signup(
        &self,
        event_id: &str,
        kind: PlaceKind,
        person: &str,
    ) -> Result<Option<SignupRecord>, StoreError> {
        self.get_as(key(event_pk(event_id), signup_sk(kind, person)))
            .await
    }

    /// Cancels a place; `Ok(false)` when it was not in `from` any more (changed meanwhile).
    pub async fn cancel_signup(&self, signup: &SignupRecord) -> Result<bool, StoreError> {
        let c = counters(signup.kind);
        let counter = match signup.status {
            SignupStatus::Confirmed => c.confirmed,
            SignupStatus::Waitlisted => c.waitlisted,
            SignupStatus::Cancelled => return Ok(false),
        };
        let mark = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(
                    event_pk(&signup.event_id),
                    signup_sk(signup.kind, &signup.person_id),
                )))
                .update_expression("SET #status = :cancelled REMOVE GSI2PK, GSI2SK, #position")
                .condition_expression("#status = :was")
                .expression_attribute_names("#status", "status")
                .expression_attribute_names("#position", "position")
                .expression_attribute_values(":cancelled", s(SignupStatus::Cancelled.as_str()))
                .expression_attribute_values(":was", s(signup.status.as_str()))
                .build(),
        )?;
        let lower = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(event_pk(&signup.event_id), EVENT_SK)))
                .update_expression("SET #counter = #counter - :one")
                .condition_expression("#counter > :zero")
                .expression_attribute_names("#counter", counter)
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":zero", n(0))
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().update(mark).build(),
            TransactWriteItem::builder().update(lower).build(),
        ];
        Ok(self.transact(writes).await?.is_ok())
    }

    /// Moves the first waitlisted person into a free place. `Ok(None)` when there is no free
    /// place or nobody waiting.
    pub async fn promote_next(
        &self,
        event_id: &str,
        kind: PlaceKind,
    ) -> Result<Option<SignupRecord>, StoreError> {
        let c = counters(kind);
        for _ in 0..20 {
            let output = self
                .client
                .query()
                .table_name(self.table())
                .index_name(GSI2)
                .key_condition_expression("GSI2PK = :pk")
                .expression_attribute_values(":pk", s(wait_partition(event_id, kind)))
                .limit(1)
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            let Some(first) = output.items.unwrap_or_default().into_iter().next() else {
                return Ok(None);
            };
            let next: SignupRecord = from_item(first)?;
            let raise = build(
                Update::builder()
                    .table_name(self.table())
                    .set_key(Some(key(event_pk(event_id), EVENT_SK)))
                    .update_expression(
                        "SET #confirmed = #confirmed + :one, #waitlisted = #waitlisted - :one",
                    )
                    .condition_expression("f_status = :published AND #confirmed < #capacity")
                    .expression_attribute_names("#confirmed", c.confirmed)
                    .expression_attribute_names("#waitlisted", c.waitlisted)
                    .expression_attribute_names("#capacity", c.capacity)
                    .expression_attribute_values(":one", n(1))
                    .expression_attribute_values(":published", s(EventStatus::Published.as_str()))
                    .build(),
            )?;
            let confirm = build(
                Update::builder()
                    .table_name(self.table())
                    .set_key(Some(key(
                        event_pk(event_id),
                        signup_sk(kind, &next.person_id),
                    )))
                    .update_expression("SET #status = :confirmed REMOVE GSI2PK, GSI2SK, #position")
                    .condition_expression("#status = :waitlisted")
                    .expression_attribute_names("#status", "status")
                    .expression_attribute_names("#position", "position")
                    .expression_attribute_values(":confirmed", s(SignupStatus::Confirmed.as_str()))
                    .expression_attribute_values(
                        ":waitlisted",
                        s(SignupStatus::Waitlisted.as_str()),
                    )
                    .build(),
            )?;
            let writes = vec![
                TransactWriteItem::builder().update(raise).build(),
                TransactWriteItem::builder().update(confirm).build(),
            ];
            match self.transact(writes).await? {
                Ok(()) => {
                    let mut promoted = next;
                    promoted.status = SignupStatus::Confirmed;
                    promoted.position = None;
                    return Ok(Some(promoted));
                }
                // No free place (or the event closed): nothing to promote.
                Err(reasons) if reasons.first().is_some_and(Option::is_some) => return Ok(None),
                // That person cancelled or was promoted meanwhile: look again.
                Err(_) => continue,
            }
        }
        Ok(None)
    }

    /// Every sign-up of an event (the roster), in key order.
    pub async fn event_signups(&self, event_id: &str) -> Result<Vec<SignupRecord>, StoreError> {
        self.query_prefix(&event_pk(event_id), "SIGNUP#", false, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// A volunteer's sign-ups, by event start.
    pub async fn volunteer_signups(&self, user_id: &str) -> Result<Vec<SignupRecord>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("VOLSIGNUPS#{user_id}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn set_attendance(
        &self,
        signup: &SignupRecord,
        attendance: Attendance,
        minutes: Option<u32>,
        correction: Option<String>,
    ) -> Result<(), StoreError> {
        let mut request = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(
                event_pk(&signup.event_id),
                signup_sk(signup.kind, &signup.person_id),
            )))
            .condition_expression("#status = :confirmed")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":confirmed", s(SignupStatus::Confirmed.as_str()))
            .expression_attribute_values(":attendance", s(attendance.as_str()));
        let mut expression = "SET attendance = :attendance".to_string();
        match minutes {
            Some(minutes) => {
                expression.push_str(", minutes = :minutes");
                request = request.expression_attribute_values(":minutes", n(minutes));
            }
            None => expression.push_str(" REMOVE minutes"),
        }
        if let Some(correction) = correction {
            expression = expression.replacen(
                "SET attendance = :attendance",
                "SET attendance = :attendance, correction = :correction",
                1,
            );
            request = request.expression_attribute_values(":correction", s(correction));
        }
        request
            .update_expression(expression)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    /// Adds minutes to an organisation's monthly total (negative to correct).
    pub async fn add_organisation_minutes(
        &self,
        organisation: Organisation,
        month: &str,
        delta: i64,
    ) -> Result<(), StoreError> {
        let year = month.get(..4).unwrap_or_default();
        self.client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(
                format!("HOURS#{year}"),
                format!("{}#{month}", organisation.as_str()),
            )))
            .update_expression(
                "SET minutes = if_not_exists(minutes, :zero) + :delta, organisation = :org",
            )
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":delta", n(delta))
            .expression_attribute_values(":org", s(organisation.as_str()))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    /// (organisation, minutes) for every organisation-month of a year.
    pub async fn organisation_minutes(
        &self,
        year: i32,
    ) -> Result<Vec<(Organisation, i64)>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(format!("HOURS#{year:04}")))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(output
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                let organisation = Organisation::parse(item.get("organisation")?.as_s().ok()?)?;
                let minutes = item.get("minutes")?.as_n().ok()?.parse().ok()?;
                Some((organisation, minutes))
            })
            .collect())
    }

    pub async fn notify(
        &self,
        user_id: &str,
        notification: &Notification,
    ) -> Result<(), StoreError> {
        let mut item = to_item(notification)?;
        item.extend(key(format!("NOTIF#{user_id}"), &notification.id));
        self.put_new(item).await
    }

    pub async fn notifications(
        &self,
        user_id: &str,
        limit: i32,
    ) -> Result<Vec<Notification>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(format!("NOTIF#{user_id}")))
            .scan_index_forward(false)
            .limit(limit)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect()
    }
}
