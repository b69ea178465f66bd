//! Visits: append-only records, one item each, keyed by the id the phone made (so a retry or a
//! double tap finds the visit already there), listed per child and per village by index; and
//! the visit settings.
//!
//! | item | PK | SK | GSI1 | GSI2 |
//! |---|---|---|---|---|
//! | visit | `VISIT#<id>` | `VISIT` | `CHILDVISITS#<child>` / `<visited_at>#<id>` | `VILLAGEVISITS#<village>` / `<visited_at>#<id>` |
//! | settings | `CONFIG` | `VISIT_SETTINGS` | | |

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use chrono::{DateTime, SecondsFormat, Utc};
use shared::api::AuditEntry;
use shared::visits::{VisitRecord, VisitSettings};

use super::item::{from_item, key, s, to_item, Item};
use super::schema::{GSI1, GSI2};
use super::{Store, StoreError};

const VISIT_SK: &str = "VISIT";

fn visit_pk(id: &str) -> String {
    format!("VISIT#{id}")
}

fn sort_key(at: DateTime<Utc>, id: &str) -> String {
    format!("{}#{id}", at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn visit_item(visit: &VisitRecord) -> Result<Item, StoreError> {
    let mut item = to_item(visit)?;
    item.extend(key(visit_pk(&visit.id), VISIT_SK));
    let order = sort_key(visit.visit.visited_at, &visit.id);
    item.insert(
        "GSI1PK".into(),
        s(format!("CHILDVISITS#{}", visit.visit.child_id)),
    );
    item.insert("GSI1SK".into(), s(order.clone()));
    item.insert(
        "GSI2PK".into(),
        s(format!("VILLAGEVISITS#{}", visit.village_code)),
    );
    item.insert("GSI2SK".into(), s(order));
    Ok(item)
}

/// How storing a visit ended.
#[derive(Debug)]
pub enum VisitWrite {
    Stored,
    /// A visit with this id was already there (it is returned to compare).
    AlreadyStored(Box<VisitRecord>),
    /// The child's record moved on while the level change was being applied: read it again.
    ChildChanged,
    /// The level would drop below urgent while a crisis is open.
    CrisisOpen,
}

impl Store {
    /// The put of a new visit: its id must be new.
    pub(crate) fn visit_put(&self, visit: &VisitRecord) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(visit_item(visit)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Stores a visit with its audit entry (and, when given, the child's record with its new
    /// care level, conditional on the version read) in one transaction.
    /// `lowers_level`: the change takes the level below urgent, which no open crisis allows
    /// (checked in the same transaction).
    pub async fn record_visit(
        &self,
        visit: &VisitRecord,
        child_update: Option<TransactWriteItem>,
        lowers_level: bool,
        entry: &AuditEntry,
    ) -> Result<VisitWrite, StoreError> {
        let mut writes = vec![self.visit_put(visit)?];
        let updates_child = child_update.is_some();
        writes.extend(child_update);
        let crisis_check = (updates_child && lowers_level).then_some(writes.len());
        if crisis_check.is_some() {
            writes.push(super::cases::no_open_crisis_check(
                self.table(),
                &visit.visit.child_id,
            )?);
        }
        match self.transact_audited(writes, entry).await? {
            Ok(()) => Ok(VisitWrite::Stored),
            Err(reasons) => {
                if super::condition_failed(&reasons, 0) {
                    return match self.get_visit(&visit.id).await? {
                        Some(stored) => Ok(VisitWrite::AlreadyStored(Box::new(stored))),
                        None => Err(StoreError::Refused {
                            code: "TransactionCanceled".into(),
                            message: format!("{reasons:?}"),
                        }),
                    };
                }
                if updates_child && super::condition_failed(&reasons, 1) {
                    return Ok(VisitWrite::ChildChanged);
                }
                if crisis_check.is_some_and(|at| super::condition_failed(&reasons, at)) {
                    return Ok(VisitWrite::CrisisOpen);
                }
                Err(StoreError::Refused {
                    code: "TransactionCanceled".into(),
                    message: format!("{reasons:?}"),
                })
            }
        }
    }

    pub async fn get_visit(&self, id: &str) -> Result<Option<VisitRecord>, StoreError> {
        self.get_as(key(visit_pk(id), VISIT_SK)).await
    }

    /// A child's visits, newest first (from the index: a visit just stored may show a moment
    /// later; nothing is decided from this list).
    pub async fn child_visits(&self, child_id: &str) -> Result<Vec<VisitRecord>, StoreError> {
        let mut visits: Vec<VisitRecord> = self
            .query_all(GSI1, "GSI1PK", &format!("CHILDVISITS#{child_id}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_, _>>()?;
        visits.sort_by_key(|visit| std::cmp::Reverse(visit.visit.visited_at));
        Ok(visits)
    }

    /// A village's visits made at or after `since`.
    pub async fn village_visits_since(
        &self,
        village: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<VisitRecord>, StoreError> {
        self.query_all(
            GSI2,
            "GSI2PK",
            &format!("VILLAGEVISITS#{village}"),
            Some(("GSI2SK", since.to_rfc3339_opts(SecondsFormat::Secs, true))),
        )
        .await?
        .into_iter()
        .map(from_item)
        .collect()
    }

    /// The visit settings and their revision (defaults until an admin saves them).
    pub async fn visit_settings(&self) -> Result<(VisitSettings, Option<u64>), StoreError> {
        let setting = self.setting(super::settings::VISITS_SK).await?;
        Ok((setting.value, setting.revision))
    }

    /// Saves the settings if they are still at `revision`, with the audit entry, in one
    /// transaction; `Ok(false)` when another admin saved in between.
    pub async fn set_visit_settings(
        &self,
        value: &VisitSettings,
        revision: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.set_setting(super::settings::VISITS_SK, value, revision, entry)
            .await
    }
}
