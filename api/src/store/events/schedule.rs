//! A volunteer's schedule: `USER#<id>` / `SCHEDULE`, a `version` and one attribute
//! `b_<event>` per event they hold a place at (or wait for), with its times.
//!
//! A sign-up's transaction sets its booking and moves the version on, conditioned on the version
//! its overlap check read; so of two simultaneous sign-ups of one volunteer, the second finds the
//! schedule changed and checks again against the first. A cancellation removes its booking and
//! moves the version on without a condition (removing cannot create a clash). One attribute per
//! booking lets a cancellation remove its own without reading the rest.

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{number, schedule_key, update_write};
use crate::store::item::{from_item, n, to_item};
use crate::store::{Store, StoreError};

const BOOKING_PREFIX: &str = "b_";

fn booking_attribute(event_id: &str) -> String {
    format!("{BOOKING_PREFIX}{event_id}")
}

/// An event on a volunteer's schedule, as it was when they signed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub event_id: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A volunteer's schedule as read.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// 0 when there is no schedule item yet.
    pub version: u64,
    /// False until a sign-up wrote the schedule: sign-ups made before schedules existed are not
    /// on it and must be gathered once. (A cancellation alone creates an incomplete item.)
    pub complete: bool,
    pub bookings: Vec<Booking>,
}

/// What a sign-up does to the volunteer's schedule, in the sign-up's transaction.
#[derive(Debug, Clone)]
pub struct ScheduleChange {
    pub user_id: String,
    /// The version the overlap check read; the write holds only if it is still current.
    pub read_version: u64,
    pub book: Vec<Booking>,
    /// Bookings found stale (past, cancelled): dropped so the schedule stays short.
    pub drop: Vec<String>,
}

impl Store {
    pub async fn schedule(&self, user_id: &str) -> Result<Schedule, StoreError> {
        let Some(item) = self.read_item(schedule_key(user_id)).await? else {
            return Ok(Schedule::default());
        };
        let complete = item
            .get("complete")
            .and_then(|value| value.as_bool().ok())
            .copied()
            .unwrap_or(false);
        let bookings = item
            .iter()
            .filter(|(name, _)| name.starts_with(BOOKING_PREFIX))
            .filter_map(|(_, value)| value.as_m().ok())
            .map(|booking| from_item::<Booking>(booking.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schedule {
            version: number(&item, "version"),
            complete,
            bookings,
        })
    }

    pub(super) fn schedule_write(
        &self,
        change: &ScheduleChange,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(schedule_key(&change.user_id)))
            .expression_attribute_names("#version", "version")
            .expression_attribute_names("#complete", "complete")
            .expression_attribute_values(":next", n(change.read_version + 1))
            .expression_attribute_values(":true", AttributeValue::Bool(true));
        let mut sets = vec![
            "#version = :next".to_string(),
            "#complete = :true".to_string(),
        ];
        for (i, booking) in change.book.iter().enumerate() {
            sets.push(format!("#b{i} = :b{i}"));
            let value = AttributeValue::M(to_item(booking)?);
            update = update
                .expression_attribute_names(format!("#b{i}"), booking_attribute(&booking.event_id))
                .expression_attribute_values(format!(":b{i}"), value);
        }
        let mut removes = Vec::new();
        let dropped = change
            .drop
            .iter()
            .filter(|id| !change.book.iter().any(|booking| &booking.event_id == *id));
        for (i, event_id) in dropped.enumerate() {
            removes.push(format!("#d{i}"));
            update =
                update.expression_attribute_names(format!("#d{i}"), booking_attribute(event_id));
        }
        let mut expression = format!("SET {}", sets.join(", "));
        if !removes.is_empty() {
            expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
        }
        update = if change.read_version == 0 {
            update.condition_expression("attribute_not_exists(#version)")
        } else {
            update
                .condition_expression("#version = :read")
                .expression_attribute_values(":read", n(change.read_version))
        };
        update_write(update.update_expression(expression).build())
    }

    /// Takes an event off the schedule (a cancellation).
    pub(super) fn unbook_write(
        &self,
        user_id: &str,
        event_id: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(schedule_key(user_id)))
            .update_expression(
                "SET #version = if_not_exists(#version, :zero) + :one REMOVE #booking",
            )
            .expression_attribute_names("#version", "version")
            .expression_attribute_names("#booking", booking_attribute(event_id))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .build();
        update_write(update)
    }
}
