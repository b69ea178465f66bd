//! The audit log: append-only, one item per event, readable by month, by actor and by target.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use std::collections::BTreeMap;

use base64::Engine as _;
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

/// A month's entries are spread over this many partitions, so the log's writes do not all
/// land on one DynamoDB partition (a hot key at the request rates the portal serves).
pub const AUDIT_SHARDS: usize = 8;

/// The month's partition before entries were spread (still read, so older logs stay listed).
fn legacy_month_partition(year: i32, month: u32) -> String {
    format!("AUDIT#{year:04}-{month:02}")
}

fn month_partition(year: i32, month: u32, shard: usize) -> String {
    format!("AUDIT#{year:04}-{month:02}#{shard}")
}

/// An entry's shard follows from its id, so a retried write lands where the first did.
fn shard_of(id: &str) -> usize {
    id.bytes().fold(0usize, |sum, byte| {
        sum.wrapping_mul(31).wrapping_add(byte as usize)
    }) % AUDIT_SHARDS
}

/// Every partition a month's list reads: the shards, then the legacy partition.
fn month_partitions(year: i32, month: u32) -> Vec<String> {
    let mut partitions: Vec<String> = (0..AUDIT_SHARDS)
        .map(|shard| month_partition(year, month, shard))
        .collect();
    partitions.push(legacy_month_partition(year, month));
    partitions
}

/// Where a month's list stopped: the month, and per partition the oldest id already shown.
/// Opaque to the browser; anything that is not exactly this shape, or is another month's, is
/// refused.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthCursor {
    month: String,
    /// The newest id the walk showed first: later entries wait for a fresh listing, so a walk
    /// stays newest-first even while the log grows (the reader's own `audit_read` among them).
    top: String,
    shown: BTreeMap<usize, String>,
}

/// Where a walk through a month stands.
#[derive(Debug, Default, PartialEq, Eq)]
struct MonthWalk {
    top: Option<String>,
    shown: BTreeMap<usize, String>,
}

fn is_entry_id(id: &str) -> bool {
    id.len() == 26 && id.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

fn month_label(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

fn encode_month_cursor(month: &str, walk: &MonthWalk) -> Option<String> {
    let cursor = MonthCursor {
        month: month.to_string(),
        top: walk.top.clone()?,
        shown: walk.shown.clone(),
    };
    let json = serde_json::to_vec(&cursor).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
}

fn decode_month_cursor(cursor: &str, month: &str) -> Option<MonthWalk> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let cursor: MonthCursor = serde_json::from_slice(&bytes).ok()?;
    let valid = cursor.month == month
        && is_entry_id(&cursor.top)
        && cursor
            .shown
            .iter()
            .all(|(partition, id)| *partition <= AUDIT_SHARDS && is_entry_id(id));
    valid.then_some(MonthWalk {
        top: Some(cursor.top),
        shown: cursor.shown,
    })
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

fn entry_of(record: AuditRecord) -> AuditEntry {
    AuditEntry {
        id: record.id,
        at: record.at,
        action: record.action,
        actor_id: record.actor_id,
        actor_name: record.actor_name,
        target: record.target,
        target_label: None,
        source: record.source,
        detail: record.detail,
    }
}

impl Store {
    /// A month newest first, merged from its partitions: each is read from below the oldest
    /// id it has already contributed, and the page takes the newest `limit` of what came back.
    /// How many entries a listing of `filter` walks through.
    pub async fn count_audit(&self, filter: &AuditFilter) -> Result<u64, StoreError> {
        let (index, pk_name, partition) = match filter {
            AuditFilter::Month { year, month } => {
                let counts = month_partitions(*year, *month)
                    .into_iter()
                    .map(|partition| {
                        self.count_every_page(
                            self.client
                                .query()
                                .table_name(self.table())
                                .key_condition_expression("PK = :pk")
                                .expression_attribute_values(":pk", s(partition)),
                        )
                    });
                let mut total = 0;
                for count in futures::future::join_all(counts).await {
                    total += count?;
                }
                return Ok(total);
            }
            AuditFilter::ByActor(actor) => (GSI1, "GSI1PK", format!("AUDITBY#{actor}")),
            AuditFilter::ByTarget(target) => (GSI2, "GSI2PK", format!("AUDITON#{target}")),
        };
        self.count_every_page(
            self.client
                .query()
                .table_name(self.table())
                .index_name(index)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", pk_name)
                .expression_attribute_values(":pk", s(partition)),
        )
        .await
    }

    async fn list_audit_month(
        &self,
        year: i32,
        month: u32,
        cursor: Option<&str>,
        limit: i32,
    ) -> Result<Result<Page<AuditEntry>, ()>, StoreError> {
        let label = month_label(year, month);
        let mut walk = match cursor {
            None => MonthWalk::default(),
            Some(cursor) => match decode_month_cursor(cursor, &label) {
                Some(walk) => walk,
                None => return Ok(Err(())),
            },
        };
        let partitions = month_partitions(year, month);
        let reads = partitions.iter().enumerate().map(|(index, partition)| {
            let before = walk.shown.get(&index).cloned();
            let top = walk.top.clone();
            async move {
                let mut request = self
                    .client
                    .query()
                    .table_name(self.table())
                    .expression_attribute_values(":pk", s(partition))
                    .scan_index_forward(false)
                    .limit(limit);
                request = match (before, top) {
                    (Some(before), _) => request
                        .key_condition_expression("PK = :pk AND SK < :before")
                        .expression_attribute_values(":before", s(before)),
                    (None, Some(top)) => request
                        .key_condition_expression("PK = :pk AND SK <= :top")
                        .expression_attribute_values(":top", s(top)),
                    (None, None) => request.key_condition_expression("PK = :pk"),
                };
                let output = request
                    .send_retrying()
                    .await
                    .map_err(StoreError::from_sdk)?;
                let mut more = output.last_evaluated_key.is_some();
                let records = output
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(from_item::<AuditRecord>)
                    .collect::<Result<Vec<_>, _>>()?;
                more |= records.len() as i32 >= limit;
                Ok::<_, StoreError>((index, records, more))
            }
        });
        let mut candidates = Vec::new();
        let mut any_more = false;
        for result in futures::future::join_all(reads).await {
            let (index, records, more) = result?;
            any_more |= more;
            candidates.extend(records.into_iter().map(|record| (index, record)));
        }
        candidates.sort_by(|a, b| b.1.id.cmp(&a.1.id));
        let page_size = limit.max(1) as usize;
        let left_over = candidates.len() > page_size;
        candidates.truncate(page_size);
        if walk.top.is_none() {
            walk.top = candidates.first().map(|(_, record)| record.id.clone());
        }
        for (index, record) in &candidates {
            walk.shown.insert(*index, record.id.clone());
        }
        let next = if left_over || (any_more && !candidates.is_empty()) {
            encode_month_cursor(&label, &walk)
        } else {
            None
        };
        let items = candidates
            .into_iter()
            .map(|(_, record)| entry_of(record))
            .collect();
        Ok(Ok(Page {
            items,
            next,
            total: None,
        }))
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
        item.extend(key(
            month_partition(local.year(), local.month(), shard_of(&entry.id)),
            &entry.id,
        ));
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
                return self.list_audit_month(*year, *month, cursor, limit).await;
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
            .map(|item| from_item::<AuditRecord>(item).map(entry_of))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ok(Page {
            items,
            next,
            total: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_spread_over_every_shard() {
        let mut seen = [0usize; AUDIT_SHARDS];
        for _ in 0..800 {
            seen[shard_of(&ulid::Ulid::new().to_string())] += 1;
        }
        assert!(seen.iter().all(|count| *count > 40), "{seen:?}");
    }

    #[test]
    fn a_month_cursor_survives_the_round_trip_and_forged_ones_are_refused() {
        let walk = MonthWalk {
            top: Some("01JDZZZZZZZZZZZZZZZZZZZZZZ".to_string()),
            shown: BTreeMap::from([(0, "01JDZZZZZZZZZZZZZZZZZZZZZY".to_string())]),
        };
        let cursor = encode_month_cursor("2026-11", &walk).unwrap();
        assert_eq!(decode_month_cursor(&cursor, "2026-11"), Some(walk));
        assert_eq!(
            decode_month_cursor(&cursor, "2026-10"),
            None,
            "another month's"
        );
        let forged = MonthWalk {
            top: Some("01JDZZZZZZZZZZZZZZZZZZZZZZ".to_string()),
            shown: BTreeMap::from([(0, "USER#x".to_string())]),
        };
        let forged = encode_month_cursor("2026-11", &forged).unwrap();
        assert_eq!(decode_month_cursor(&forged, "2026-11"), None);
        assert_eq!(decode_month_cursor("not base64!", "2026-11"), None);
    }
}
