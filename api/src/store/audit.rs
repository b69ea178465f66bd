//! The audit log: append-only, one item per event, readable by month, by actor and by target.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use shared::api::{AuditAction, AuditEntry, Page};

use super::item::{from_item, key, s, to_item};
use super::schema::{GSI1, GSI2};
use super::{decode_cursor, encode_cursor, Store, StoreError};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct AuditRecord {
    id: String,
    at: DateTime<Utc>,
    action: AuditAction,
    #[serde(default)]
    actor_id: Option<String>,
    #[serde(default)]
    actor_name: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

/// Which slice of the log to read.
#[derive(Debug, Clone)]
pub enum AuditFilter {
    /// Everything in one Beijing calendar month, newest first.
    Month {
        year: i32,
        month: u32,
    },
    ByActor(String),
    ByTarget(String),
}

fn month_partition(year: i32, month: u32) -> String {
    format!("AUDIT#{year:04}-{month:02}")
}

impl Store {
    pub async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.put_new(audit_item(entry)?).await
    }

    /// The entry as one write of a transaction, so a change and its record of it are stored
    /// together or not at all. The entry's id is fixed before the first attempt, so a retried
    /// transaction cannot record it twice.
    pub(crate) fn audit_write(&self, entry: &AuditEntry) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(audit_item(entry)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// `transact` with the audit entry as its last write: the reasons the caller reads keep
    /// their positions (the entry's own reason comes last).
    pub(crate) async fn transact_audited(
        &self,
        mut writes: Vec<TransactWriteItem>,
        entry: &AuditEntry,
    ) -> Result<Result<(), Vec<Option<String>>>, StoreError> {
        writes.push(self.audit_write(entry)?);
        self.transact(writes).await
    }

    /// One conditional update and its audit entry. `Ok(false)` when the condition did not
    /// hold (nothing was written, not even the entry).
    pub(crate) async fn update_audited(
        &self,
        update: Update,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let writes = vec![TransactWriteItem::builder().update(update).build()];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// One conditional put and its audit entry. `Ok(false)` when the condition did not hold.
    pub(crate) async fn put_audited(
        &self,
        put: Put,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let writes = vec![TransactWriteItem::builder().put(put).build()];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// Appends several entries in one round trip (the audit writer's group commit).
    pub async fn append_audit_batch(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        let requests = entries
            .iter()
            .map(|entry| {
                let put = aws_sdk_dynamodb::types::PutRequest::builder()
                    .set_item(Some(audit_item(entry)?))
                    .build()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                Ok(aws_sdk_dynamodb::types::WriteRequest::builder()
                    .put_request(put)
                    .build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write_batch(requests).await
    }
}

fn audit_item(entry: &AuditEntry) -> Result<super::item::Item, StoreError> {
    {
        let record = AuditRecord {
            id: entry.id.clone(),
            at: entry.at,
            action: entry.action,
            actor_id: entry.actor_id.clone(),
            actor_name: entry.actor_name.clone(),
            target: entry.target.clone(),
            source: entry.source.clone(),
            detail: entry.detail.clone(),
        };
        let mut item = to_item(&record)?;
        // Months are Beijing calendar months, as the people reading the log count them.
        let local = entry.at.with_timezone(&shared::time::beijing());
        item.extend(key(month_partition(local.year(), local.month()), &entry.id));
        if let Some(actor) = &entry.actor_id {
            item.insert("GSI1PK".into(), s(format!("AUDITBY#{actor}")));
            item.insert("GSI1SK".into(), s(&entry.id));
        }
        if let Some(target) = &entry.target {
            item.insert("GSI2PK".into(), s(format!("AUDITON#{target}")));
            item.insert("GSI2SK".into(), s(&entry.id));
        }
        Ok(item)
    }
}

impl Store {
    /// One page of the log, newest first. `Ok(Err(()))` when the cursor is not one we made.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        cursor: Option<&str>,
        limit: i32,
    ) -> Result<Result<Page<AuditEntry>, ()>, StoreError> {
        let (index, pk_name, sk_name, partition) = match filter {
            AuditFilter::Month { year, month } => {
                (None, "PK", "SK", month_partition(*year, *month))
            }
            AuditFilter::ByActor(actor) => {
                (Some(GSI1), "GSI1PK", "GSI1SK", format!("AUDITBY#{actor}"))
            }
            AuditFilter::ByTarget(target) => {
                (Some(GSI2), "GSI2PK", "GSI2SK", format!("AUDITON#{target}"))
            }
        };
        let mut names = vec!["PK", "SK"];
        if index.is_some() {
            names.extend([pk_name, sk_name]);
        }
        let start = match cursor {
            None => None,
            Some(cursor) => match decode_cursor(cursor, &names, (pk_name, &partition)) {
                Some(key) => Some(key),
                None => return Ok(Err(())),
            },
        };
        let output = self
            .client
            .query()
            .table_name(self.table())
            .set_index_name(index.map(str::to_string))
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", pk_name)
            .expression_attribute_values(":pk", s(partition))
            .scan_index_forward(false)
            .set_exclusive_start_key(start)
            .limit(limit)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let next = output.last_evaluated_key.as_ref().and_then(encode_cursor);
        let items = output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                from_item::<AuditRecord>(item).map(|record| AuditEntry {
                    id: record.id,
                    at: record.at,
                    action: record.action,
                    actor_id: record.actor_id,
                    actor_name: record.actor_name,
                    target: record.target,
                    source: record.source,
                    detail: record.detail,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ok(Page { items, next }))
    }
}
