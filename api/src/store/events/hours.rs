//! Attendance and volunteer hours. Organisation totals: `HOURS#<yyyy>` /
//! `<organisation>#<yyyy-mm>`, moved only in the transaction that changes a sign-up's minutes.

use aws_sdk_dynamodb::types::Update;
use shared::api::AuditEntry;
use shared::events::{Attendance, Organisation, SignupStatus};

use super::{signup_key, update_write, Place};
use crate::store::item::{key, n, s};
use crate::store::{Store, StoreError};

/// Minutes to add to an organisation's month (negative to take some back).
#[derive(Debug, Clone)]
pub struct HoursDelta {
    pub organisation: Organisation,
    /// Beijing month, `2026-11`.
    pub month: String,
    pub minutes: i64,
}

/// An attendance record, written only if the sign-up is still the one read.
pub struct AttendanceChange<'a> {
    pub place: &'a Place,
    pub attendance: Attendance,
    pub minutes: Option<u32>,
    pub correction: Option<String>,
    pub hours: Option<HoursDelta>,
}

impl Store {
    /// The attendance, the organisation's minutes and the audit entry in one transaction,
    /// conditioned on the sign-up's revision as read. `Ok(false)`: it changed meanwhile (or is
    /// no longer confirmed) — read it again and decide again.
    pub async fn record_attendance(
        &self,
        change: &AttendanceChange<'_>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let signup = &change.place.signup;
        let rev = change.place.rev;
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(signup_key(
                &signup.event_id,
                signup.kind,
                &signup.person_id,
            )))
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_names("#attendance", "attendance")
            .expression_attribute_names("#minutes", "minutes")
            .expression_attribute_values(":confirmed", s(SignupStatus::Confirmed.as_str()))
            .expression_attribute_values(":attendance", s(change.attendance.as_str()))
            .expression_attribute_values(":next", n(rev + 1));
        let mut sets = vec![
            "#attendance = :attendance".to_string(),
            "#rev = :next".to_string(),
        ];
        let mut removes = Vec::new();
        match change.minutes {
            Some(minutes) => {
                sets.push("#minutes = :minutes".into());
                update = update.expression_attribute_values(":minutes", n(minutes));
            }
            None => removes.push("#minutes"),
        }
        if let Some(correction) = &change.correction {
            sets.push("#correction = :correction".into());
            update = update
                .expression_attribute_names("#correction", "correction")
                .expression_attribute_values(":correction", s(correction));
        }
        let mut expression = format!("SET {}", sets.join(", "));
        if !removes.is_empty() {
            expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
        }
        // Sign-ups written before revisions existed have none: that is revision 0.
        update = if rev == 0 {
            update.condition_expression("#status = :confirmed AND attribute_not_exists(#rev)")
        } else {
            update
                .condition_expression("#status = :confirmed AND #rev = :rev")
                .expression_attribute_values(":rev", n(rev))
        };
        let mut writes = vec![update_write(update.update_expression(expression).build())?];
        if let Some(hours) = change.hours.as_ref().filter(|hours| hours.minutes != 0) {
            let year = hours.month.get(..4).unwrap_or_default();
            let total = Update::builder()
                .table_name(self.table())
                .set_key(Some(key(
                    format!("HOURS#{year}"),
                    format!("{}#{}", hours.organisation.as_str(), hours.month),
                )))
                .update_expression(
                    "SET #minutes = if_not_exists(#minutes, :zero) + :delta, #organisation = :org",
                )
                .expression_attribute_names("#minutes", "minutes")
                .expression_attribute_names("#organisation", "organisation")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":delta", n(hours.minutes))
                .expression_attribute_values(":org", s(hours.organisation.as_str()))
                .build();
            writes.push(update_write(total)?);
        }
        Ok(self.transact_events(writes, Some(entry)).await?.is_none())
    }

    /// (organisation, minutes) for every organisation-month of a year, all pages.
    pub async fn organisation_minutes(
        &self,
        year: i32,
    ) -> Result<Vec<(Organisation, i64)>, StoreError> {
        let hours = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(format!("HOURS#{year:04}")))
            .consistent_read(true);
        Ok(self
            .every_page(hours)
            .await?
            .iter()
            .filter_map(|item| {
                let organisation = Organisation::parse(item.get("organisation")?.as_s().ok()?)?;
                let minutes = item.get("minutes")?.as_n().ok()?.parse().ok()?;
                Some((organisation, minutes))
            })
            .collect())
    }
}
