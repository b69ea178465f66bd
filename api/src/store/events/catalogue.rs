//! Events: GSI1 `EVENTS#<district>` / `<starts UTC>#<id>` lists them by start.

use aws_sdk_dynamodb::types::{AttributeValue, Put, Update};
use chrono::{DateTime, Utc};
use shared::api::AuditEntry;
use shared::events::EventStatus;

use super::{
    event_key, event_pk, put_write, sort_key, update_write, EventItem, DISTRICT, EVENT_SK,
};
use crate::store::item::{from_item, key, n, s, to_item, Item};
use crate::store::schema::GSI1;
use crate::store::{Store, StoreError};

fn event_item(event: &EventItem) -> Result<Item, StoreError> {
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

impl Store {
    /// Writes a new event without an audit entry: for demo data only.
    pub async fn put_new_event(&self, event: &EventItem) -> Result<(), StoreError> {
        self.put_new(event_item(event)?).await
    }

    /// A new event and its audit entry, together.
    pub async fn create_event(
        &self,
        event: &EventItem,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(event_item(event)?))
            .condition_expression("attribute_not_exists(PK)")
            .build();
        let writes = vec![put_write(put)?];
        Ok(self.transact_events(writes, Some(entry)).await?.is_none())
    }

    /// Saves an edit made from `expected_version`, with its audit entry. Counters are kept as
    /// stored (sign-ups change them concurrently), and capacity cannot drop below the places
    /// already confirmed. `Ok(false)` when the event moved on or the capacity no longer fits.
    pub async fn update_event(
        &self,
        event: &EventItem,
        expected_version: u64,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(&event.id)))
            .update_expression(
                "SET #event = :event, #version = :next, GSI1SK = :sort, f_status = :status, \
                 v_capacity = :vcap, c_capacity = :ccap, signup_deadline_epoch = :deadline",
            )
            .condition_expression(
                "#version = :expected AND v_confirmed <= :vcap AND c_confirmed <= :ccap \
                 AND f_status <> :cancelled",
            )
            .expression_attribute_names("#event", "event")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":event", AttributeValue::M(to_item(&event.event)?))
            .expression_attribute_values(":next", n(expected_version + 1))
            .expression_attribute_values(":expected", n(expected_version))
            .expression_attribute_values(
                ":sort",
                s(format!("{}#{}", sort_key(event.event.starts_at), event.id)),
            )
            .expression_attribute_values(":status", s(event.event.status.as_str()))
            .expression_attribute_values(":cancelled", s(EventStatus::Cancelled.as_str()))
            .expression_attribute_values(":vcap", n(event.event.volunteer_capacity))
            .expression_attribute_values(":ccap", n(event.event.child_capacity))
            .expression_attribute_values(":deadline", n(event.event.signup_deadline.timestamp()))
            .build();
        let writes = vec![update_write(update)?];
        Ok(self.transact_events(writes, Some(entry)).await?.is_none())
    }

    /// Cancels an event with its audit entry; `Ok(false)` when it was already cancelled, so
    /// two admins cancelling at once tell people once.
    pub async fn cancel_event(&self, id: &str, entry: &AuditEntry) -> Result<bool, StoreError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(event_key(id)))
            .update_expression(
                "SET f_status = :cancelled, #event.#status = :cancelled, \
                 #version = #version + :one",
            )
            .condition_expression("attribute_exists(PK) AND f_status <> :cancelled")
            .expression_attribute_names("#event", "event")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":cancelled", s(EventStatus::Cancelled.as_str()))
            .expression_attribute_values(":one", n(1))
            .build();
        let writes = vec![update_write(update)?];
        Ok(self.transact_events(writes, Some(entry)).await?.is_none())
    }

    pub async fn get_event(&self, id: &str) -> Result<Option<EventItem>, StoreError> {
        self.get_as(event_key(id)).await
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
}
