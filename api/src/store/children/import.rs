//! Many new children at once, all or none.
//!
//! One transaction holds at most 100 writes, and an import holds up to 10,000 children, so an
//! import is written in parts, each one transaction: its children, the claims they join, a
//! journal entry naming them (`IMPORT#<import>` / `PART#<n>`) and the part's audit entry. The
//! import itself is journalled at `IMPORTS` / `<import>` from before the first part until it
//! is committed (deleted, with the summary audit entry, in one transaction) or rolled back
//! (every written part undone, one transaction each). If the process stops in between, the
//! journal says what to undo; `Store::unfinished_imports` finds it. A retried part cannot be
//! written twice: the transaction carries one client request token over every attempt, and
//! its journal entry must not exist yet.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::api::AuditEntry;

use super::claims::Membership;
use super::{built, child_pk, claim_keys, unexpected_refusal, ChildItem, CHILD_SK};
use crate::store::item::{from_item, key, n, s, to_item, Item};
use crate::store::schema::TTL_ATTRIBUTE;
use crate::store::{Store, StoreError};

/// Children per part: each brings its record and at most two claims, which with the journal
/// entry and the audit entry keeps a part within a transaction's 100 writes.
pub const IMPORT_PART_SIZE: usize = 32;

const IMPORTS_PK: &str = "IMPORTS";
fn import_pk(import: &str) -> String {
    format!("IMPORT#{import}")
}
fn part_sk(part: usize) -> String {
    format!("PART#{part:05}")
}
/// A part's journal entry outlives any roll-back that could need it, then expires.
const JOURNAL_DAYS: i64 = 30;

/// An import while it is being written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: String,
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub by: Option<String>,
    pub children: usize,
    pub parts: usize,
}

/// What one written part holds: enough to undo it without reading anything else.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportPart {
    pub part: usize,
    pub children: Vec<String>,
    /// Each claim the part's children joined, and which of them joined it.
    pub claims: Vec<(String, Vec<String>)>,
}

/// Each claim a group of new children join, and which of them join it.
type Joins = BTreeMap<String, Vec<String>>;

/// The claims a group of new children join, each claim once (a transaction may not touch an
/// item twice, and two rows of one file can be the same child).
fn joins(children: &[ChildItem]) -> Joins {
    let mut joins = Joins::new();
    for child in children {
        for (claim, _) in claim_keys(&child.child) {
            joins.entry(claim).or_default().push(child.id.clone());
        }
    }
    joins
}

impl Store {
    fn new_children_writes(
        &self,
        children: &[ChildItem],
    ) -> Result<(Vec<TransactWriteItem>, Joins), StoreError> {
        let mut writes = Vec::with_capacity(children.len() * 3 + 2);
        for child in children {
            writes.push(self.child_put(child, None)?);
        }
        let joins = joins(children);
        for (claim, ids) in &joins {
            writes.push(self.claim_write(claim, Membership::Join(ids.clone()), None)?);
        }
        Ok((writes, joins))
    }

    /// Deletes imported children only as imported (`version = 1`): a record someone has
    /// worked on since stays, and the transaction fails rather than delete it.
    fn removal_writes(
        &self,
        children: &[String],
        claims: &[(String, Vec<String>)],
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        self.child_counts.child_written();
        let mut writes = Vec::with_capacity(children.len() + claims.len());
        for id in children {
            let delete = Delete::builder()
                .table_name(self.table())
                .set_key(Some(key(child_pk(id), CHILD_SK)))
                .condition_expression("attribute_not_exists(PK) OR version = :imported")
                .expression_attribute_values(":imported", super::super::item::n(1))
                .build();
            writes.push(TransactWriteItem::builder().delete(built(delete)?).build());
        }
        for (claim, ids) in claims.iter().filter(|(_, ids)| !ids.is_empty()) {
            writes.push(self.claim_write(claim, Membership::Leave(ids.clone()), None)?);
        }
        Ok(writes)
    }

    /// Many new children with their claims, without audit entries or journal: demo data and
    /// benchmark seeding. If a part fails, the parts already written are removed again.
    pub async fn put_children_batch(&self, children: &[ChildItem]) -> Result<(), StoreError> {
        let mut written: Vec<ImportPart> = Vec::new();
        for (index, part) in children.chunks(IMPORT_PART_SIZE).enumerate() {
            let (writes, joins) = self.new_children_writes(part)?;
            let outcome = match self.transact(writes).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(reasons)) => Err(unexpected_refusal(reasons)),
                Err(error) => Err(error),
            };
            if let Err(error) = outcome {
                for done in &written {
                    if let Ok(undo) = self.removal_writes(&done.children, &done.claims) {
                        let _ = self.transact(undo).await;
                    }
                }
                return Err(error);
            }
            written.push(ImportPart {
                part: index,
                children: part.iter().map(|child| child.id.clone()).collect(),
                claims: joins.into_iter().collect(),
            });
        }
        Ok(())
    }

    /// Opens the journal of an import, before its first part.
    pub async fn begin_import(&self, job: &ImportJob) -> Result<(), StoreError> {
        let mut item = to_item(job)?;
        item.extend(key(IMPORTS_PK, &job.id));
        self.put_new(item).await
    }

    /// One part: its children, the claims they join, its journal entry and its audit entry,
    /// in one transaction.
    pub async fn write_import_part(
        &self,
        job: &ImportJob,
        part: usize,
        children: &[ChildItem],
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let (mut writes, joins) = self.new_children_writes(children)?;
        let journal = ImportPart {
            part,
            children: children.iter().map(|child| child.id.clone()).collect(),
            claims: joins.into_iter().collect(),
        };
        let mut item = to_item(&journal)?;
        item.extend(key(import_pk(&job.id), part_sk(part)));
        let expires = job.started_at + chrono::Duration::days(JOURNAL_DAYS);
        item.insert(TTL_ATTRIBUTE.into(), n(expires.timestamp()));
        writes.push(self.new_item_write(item)?);
        writes.push(self.audit_write(entry)?);
        self.transact(writes).await?.map_err(unexpected_refusal)
    }

    fn new_item_write(&self, item: Item) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .build();
        Ok(TransactWriteItem::builder().put(built(put)?).build())
    }

    /// Closes an import's journal with its audit entry: the import committed, or its roll-back
    /// finished. `Ok(false)` when the journal was already closed.
    pub async fn close_import(&self, import: &str, entry: &AuditEntry) -> Result<bool, StoreError> {
        let delete = Delete::builder()
            .table_name(self.table())
            .set_key(Some(key(IMPORTS_PK, import)))
            .condition_expression("attribute_exists(PK)")
            .build();
        let writes = vec![TransactWriteItem::builder().delete(built(delete)?).build()];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// The parts of an import that were written and not yet undone.
    pub async fn import_parts(&self, import: &str) -> Result<Vec<ImportPart>, StoreError> {
        self.query_prefix(&import_pk(import), "PART#", false, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Undoes one written part: its children are deleted and leave their claims, its journal
    /// entry goes, and the audit entry says so, in one transaction. Children edited since the
    /// import (a director has worked on them) are kept and named in the result; an edit landing
    /// meanwhile sends the undo round again. `Ok(None)` when the part was undone already.
    pub async fn undo_import_part(
        &self,
        import: &str,
        part: &ImportPart,
        entry: &AuditEntry,
    ) -> Result<Option<Vec<String>>, StoreError> {
        for _ in 0..8 {
            let kept: BTreeSet<String> = self
                .children_by_ids(&part.children)
                .await?
                .into_iter()
                .filter(|child| child.version > 1)
                .map(|child| child.id)
                .collect();
            let removed: Vec<String> = part
                .children
                .iter()
                .filter(|id| !kept.contains(*id))
                .cloned()
                .collect();
            let claims: Vec<(String, Vec<String>)> = part
                .claims
                .iter()
                .map(|(claim, ids)| {
                    let ids = ids.iter().filter(|id| !kept.contains(*id)).cloned();
                    (claim.clone(), ids.collect())
                })
                .collect();
            let journal = Delete::builder()
                .table_name(self.table())
                .set_key(Some(key(import_pk(import), part_sk(part.part))))
                .condition_expression("attribute_exists(PK)")
                .build();
            let mut writes = vec![TransactWriteItem::builder().delete(built(journal)?).build()];
            writes.extend(self.removal_writes(&removed, &claims)?);
            let mut entry = entry.clone();
            if !kept.is_empty() {
                let kept_list: Vec<&str> = kept.iter().map(String::as_str).collect();
                let detail = entry.detail.take().unwrap_or_default();
                entry.detail = Some(format!(
                    "{detail} kept (edited since): {}",
                    kept_list.join(",")
                ));
            }
            match self.transact_audited(writes, &entry).await? {
                Ok(()) => return Ok(Some(kept.into_iter().collect())),
                Err(reasons) if crate::store::condition_failed(&reasons, 0) => return Ok(None),
                Err(reasons)
                    if reasons
                        .iter()
                        .skip(1)
                        .any(|reason| reason.as_deref() == Some("ConditionalCheckFailed")) =>
                {
                    continue
                }
                Err(reasons) => return Err(unexpected_refusal(reasons)),
            }
        }
        Err(StoreError::Busy(
            "children kept changing during an import's undo".into(),
        ))
    }

    /// Imports whose journal is still open and that started before `before` (so no request
    /// can still be writing them).
    pub async fn unfinished_imports(
        &self,
        before: DateTime<Utc>,
    ) -> Result<Vec<ImportJob>, StoreError> {
        let journal = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(IMPORTS_PK))
            .consistent_read(true);
        let mut jobs = Vec::new();
        for item in self.every_page(journal).await? {
            let job: ImportJob = from_item(item)?;
            if job.started_at < before {
                jobs.push(job);
            }
        }
        Ok(jobs)
    }
}
