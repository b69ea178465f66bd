//! Children: the registry's records, the claims that find possible duplicates, the journal of
//! a running import, and the indexes that serve the registry's screens.
//!
//! Base table (what decisions are made from, always read consistently):
//! - `CHILD#<id>` / `PROFILE`: the record. Edits are conditional on `version`.
//! - `IDHASH#<hash>` / `CLAIM` and `NAMEDOB#<name>#<birth date>` / `CLAIM`: the children holding
//!   an ID number, or a name and date of birth (`claims`). A child joins and leaves its claims in
//!   the transaction that writes it, so "who else is this child?" is one consistent read.
//! - `IMPORTS` / `<import>` and `IMPORT#<import>` / `PART#<n>`: a running import (`import`).
//!
//! Indexes (lists and searches only: they lag on DynamoDB, so nothing is decided from them):
//! GSI1 `CHILDREN#<district>` / `<name>#<id>`: the district list by name, name-prefix search.
//! GSI2 `VILLAGE#<code>` / `<name>#<id>`: a village's children (directors).
//! GSI3 `IDTAIL#<district>#<last 4>` / `<id>`: search by the end of an ID number.
//! GSI4 `REVIEW#<district>` or `MONITORED#<district>` / `<turns 16 on>#<id>`: the review list
//! (monitored children who no longer meet the definition, or who turn 16). Absent once a child
//! has left monitoring.

mod claims;
mod count_cache;
mod import;
mod lists;

use aws_sdk_dynamodb::types::{
    AttributeValue, KeysAndAttributes, Put, TransactWriteItem, WriteRequest,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::api::AuditEntry;
use shared::children::{
    CareLevelChange, ChildInput, ChildRecord, ChildSummary, DuplicateFlag, MonitoringExit,
    MonitoringStatus,
};
use shared::eligibility::Eligibility;

use super::item::{from_item, key, n, s, to_item, Item};
use super::retry::SendRetrying as _;
use super::{Store, StoreError};

pub use claims::{claim_keys, ChildSave, ClaimSnapshot, DuplicateBasis, SaveOutcome};
pub use count_cache::CountCache;
pub use import::{ImportJob, ImportPart, IMPORT_PART_SIZE};
pub use lists::{
    ChildFilter, ChildPage, ChildSource, IdSet, MembershipSets, Memberships, Recorded,
};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

/// A child as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildItem {
    pub id: String,
    pub version: u64,
    pub child: ChildInput,
    pub eligibility: Eligibility,
    pub status: MonitoringStatus,
    #[serde(default)]
    pub exit: Option<MonitoringExit>,
    #[serde(default)]
    pub care_level_history: Vec<CareLevelChange>,
    /// No longer stored or read: possible duplicates are found from the claims at read time
    /// (`Store::read_claims`), so they cannot go stale. Kept so that code building a
    /// `ChildItem` by hand (demo data, tests, the benchmark) compiles unchanged.
    #[serde(default, skip_serializing)]
    pub duplicates: Vec<DuplicateFlag>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// The shape this item was read in. Writing always stores `CHILD_SCHEMA_VERSION`: the
    /// struct holds every field of the current shape, so a save is the upgrade.
    #[serde(default = "first_schema")]
    pub schema_version: u32,
}

fn first_schema() -> u32 {
    1
}

pub fn id_hash(id_number: &str) -> String {
    hex::encode(Sha256::digest(
        format!("shouwang-id:{id_number}").as_bytes(),
    ))
}

impl ChildItem {
    /// The record without its possible duplicates: which of those a reader may see depends on
    /// the reader, so the registry adds them.
    pub fn record(&self, show_id_number: bool) -> ChildRecord {
        let mut child = self.child.clone();
        if !show_id_number {
            for id_number in child.id_numbers_mut() {
                *id_number = id_number.as_deref().map(mask);
            }
        }
        ChildRecord {
            id: self.id.clone(),
            version: self.version,
            child,
            id_number_masked: !show_id_number,
            eligibility: self.eligibility.clone(),
            status: self.status,
            exit: self.exit.clone(),
            care_level_history: self.care_level_history.clone(),
            duplicates: Vec::new(),
            duplicate_elsewhere: false,
            created_at: self.created_at,
            updated_at: self.updated_at,
            schema_version: self.schema_version,
        }
    }

    pub fn summary(&self, possible_duplicate: bool) -> ChildSummary {
        ChildSummary {
            id: self.id.clone(),
            name: self.child.name.clone(),
            gender: self.child.gender,
            birth_date: self.child.birth_date,
            id_number_masked: self.child.id_number.as_deref().map(mask),
            village_code: self.child.residence_village.clone(),
            school: self.child.school.clone(),
            category: self.child.category,
            care_level: self.child.care_level,
            eligible: self.eligibility.eligible,
            status: self.status,
            possible_duplicate,
        }
    }
}

/// An ID number as everyone but an admin sees it: the region code only. The rest is the date of
/// birth (shown beside it anyway), a sequence and a check character: showing the last four as
/// well would give the whole number away. Searching by the last four stays a server-side match.
pub fn mask(id_number: &str) -> String {
    match id_number.get(..6) {
        Some(head) if id_number.len() == 18 => format!("{head}************"),
        _ => "******".into(),
    }
}

fn child_pk(id: &str) -> String {
    format!("CHILD#{id}")
}
const CHILD_SK: &str = "PROFILE";
fn district_partition() -> String {
    format!("CHILDREN#{DISTRICT}")
}
fn village_partition(code: &str) -> String {
    format!("VILLAGE#{code}")
}
fn id_tail_partition(last4: &str) -> String {
    format!("IDTAIL#{DISTRICT}#{last4}")
}
fn review_partition(needs_review: bool) -> String {
    if needs_review {
        format!("REVIEW#{DISTRICT}")
    } else {
        format!("MONITORED#{DISTRICT}")
    }
}
/// The sort key of both name indexes; also the position a merged list resumes from.
pub fn name_key(name: &str, id: &str) -> String {
    format!("{name}#{id}")
}

/// The claims a record holds, as one attribute: a write that must not change who the child
/// is (an exit, a care-level change) is conditional on it, so the claims cannot go stale.
const CLAIM_KEYS: &str = "claim_keys";

fn child_item(child: &ChildItem) -> Result<Item, StoreError> {
    let mut item = to_item(child)?;
    item.extend(key(child_pk(&child.id), CHILD_SK));
    item.insert(
        "schema_version".into(),
        n(shared::children::CHILD_SCHEMA_VERSION),
    );
    let name_key = name_key(&child.child.name, &child.id);
    item.insert("GSI1PK".into(), s(district_partition()));
    item.insert("GSI1SK".into(), s(&name_key));
    item.insert(
        "GSI2PK".into(),
        s(village_partition(&child.child.residence_village)),
    );
    item.insert("GSI2SK".into(), s(&name_key));
    if let Some(id_number) = &child.child.id_number {
        let last4 = id_number
            .get(id_number.len().saturating_sub(4)..)
            .unwrap_or_default();
        item.insert("GSI3PK".into(), s(id_tail_partition(last4)));
        item.insert("GSI3SK".into(), s(&child.id));
    }
    if child.status == MonitoringStatus::Monitored {
        item.insert(
            "GSI4PK".into(),
            s(review_partition(!child.eligibility.eligible)),
        );
        item.insert(
            "GSI4SK".into(),
            s(format!("{}#{}", child.eligibility.turns_16_on, child.id)),
        );
    }
    item.insert(
        CLAIM_KEYS.into(),
        s(claims::claim_keys_attribute(&child.child)),
    );
    // Flat copies for filter expressions.
    item.insert("f_category".into(), s(child.child.category.as_str()));
    item.insert("f_care_level".into(), s(child.child.care_level.as_str()));
    item.insert("f_status".into(), s(child.status.as_str()));
    item.insert(
        "f_eligible".into(),
        AttributeValue::Bool(child.eligibility.eligible),
    );
    item.insert("f_school".into(), s(&child.child.school));
    item.insert("f_birth_date".into(), s(child.child.birth_date.to_string()));
    Ok(item)
}

/// The SDK's builders fail only when a required part is missing: a bug here, not bad data.
fn built<T>(result: Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// A transaction refused for a reason no caller expects (a fresh id already taken, a
/// malformed write): not a business answer, so not returned as one.
fn unexpected_refusal(reasons: Vec<Option<String>>) -> StoreError {
    StoreError::Refused {
        code: "TransactionCanceled".into(),
        message: format!("{reasons:?}"),
    }
}

const BATCH_GET_MAX: usize = 100;
const BATCH_READS_AT_ONCE: usize = 4;
/// Rounds of re-asking for keys a batch read left unprocessed before calling the store busy.
const UNPROCESSED_ROUNDS: u32 = 10;

impl Store {
    /// The put of a record: a new one must not exist yet; an edit must find the version it
    /// started from.
    fn child_put(
        &self,
        child: &ChildItem,
        expected_version: Option<u64>,
    ) -> Result<TransactWriteItem, StoreError> {
        self.child_counts.child_written();
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(child_item(child)?));
        let put = match expected_version {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(version) => put
                .condition_expression("attribute_exists(PK) AND version = :expected")
                .expression_attribute_values(":expected", n(version)),
        };
        Ok(TransactWriteItem::builder()
            .put(built(put.build())?)
            .build())
    }

    /// A new child and its claims, without an audit entry: for seeding (tests, benchmark).
    /// The registry saves through `save_child`.
    pub async fn put_new_child(&self, child: &ChildItem) -> Result<(), StoreError> {
        let mut writes = vec![self.child_put(child, None)?];
        for (claim, _) in claim_keys(&child.child) {
            writes.push(self.claim_write(
                &claim,
                claims::Membership::Join(vec![child.id.clone()]),
                None,
            )?);
        }
        self.transact(writes).await?.map_err(unexpected_refusal)
    }

    /// The put of a record whose identity (ID number, name, date of birth) stays as stored.
    fn same_identity_put(
        &self,
        child: &ChildItem,
        expected_version: u64,
    ) -> Result<Put, StoreError> {
        self.child_counts.child_written();
        built(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(child_item(child)?))
                .condition_expression(
                    "attribute_exists(PK) AND version = :expected \
                     AND (attribute_not_exists(#claims) OR #claims = :claims)",
                )
                .expression_attribute_names("#claims", CLAIM_KEYS)
                .expression_attribute_values(":expected", n(expected_version))
                .expression_attribute_values(
                    ":claims",
                    s(claims::claim_keys_attribute(&child.child)),
                )
                .build(),
        )
    }

    /// The write of a record whose identity stays as stored, for another capability's
    /// transaction (a visit that changes the care level): conditional on `expected_version`.
    pub(crate) fn child_update_write(
        &self,
        child: &ChildItem,
        expected_version: u64,
    ) -> Result<TransactWriteItem, StoreError> {
        Ok(TransactWriteItem::builder()
            .put(self.same_identity_put(child, expected_version)?)
            .build())
    }

    /// Replaces a child, with its audit entry in the same transaction, if it is still at
    /// `expected_version` and keeps its ID number, name and date of birth (a change of those
    /// goes through `save_child`, which moves the claims); `Ok(false)` when someone else saved
    /// in between.
    pub async fn replace_child_audited(
        &self,
        child: &ChildItem,
        expected_version: u64,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let put = self.same_identity_put(child, expected_version)?;
        self.put_audited(put, entry).await
    }

    pub async fn get_child(&self, id: &str) -> Result<Option<ChildItem>, StoreError> {
        self.get_as(key(child_pk(id), CHILD_SK)).await
    }

    /// Children by id, read consistently; ids that name nothing are left out.
    pub async fn children_by_ids(&self, ids: &[String]) -> Result<Vec<ChildItem>, StoreError> {
        let keys = ids.iter().map(|id| key(child_pk(id), CHILD_SK)).collect();
        self.batch_get_consistent(keys)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Items by key, read consistently, every key however many: batches of 100, a few at a
    /// time, and the keys DynamoDB leaves unprocessed asked for again.
    async fn batch_get_consistent(&self, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut chunks = keys
            .chunks(BATCH_GET_MAX)
            .map(<[Item]>::to_vec)
            .collect::<Vec<_>>()
            .into_iter();
        let mut running = tokio::task::JoinSet::new();
        let mut found = Vec::new();
        loop {
            while running.len() < BATCH_READS_AT_ONCE {
                let Some(chunk) = chunks.next() else { break };
                let store = self.clone();
                running.spawn(async move { store.batch_get_chunk(chunk).await });
            }
            match running.join_next().await {
                None => return Ok(found),
                Some(Ok(items)) => found.extend(items?),
                Some(Err(failed)) => {
                    return Err(StoreError::Unavailable(format!("batch read: {failed}")))
                }
            }
        }
    }

    async fn batch_get_chunk(&self, mut keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::new();
        for round in 0..UNPROCESSED_ROUNDS {
            if keys.is_empty() {
                return Ok(found);
            }
            if round > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(10 << round.min(5))).await;
            }
            let request = built(
                KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut keys)))
                    .consistent_read(true)
                    .build(),
            )?;
            let output = self
                .client
                .batch_get_item()
                .request_items(self.table(), request)
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            if let Some(mut responses) = output.responses {
                found.extend(responses.remove(self.table()).unwrap_or_default());
            }
            keys = output
                .unprocessed_keys
                .and_then(|mut unprocessed| unprocessed.remove(self.table()))
                .map(|left| left.keys)
                .unwrap_or_default();
        }
        if keys.is_empty() {
            Ok(found)
        } else {
            Err(StoreError::Busy("batch read left keys unprocessed".into()))
        }
    }

    /// Writes in batches of up to 25, sending again what DynamoDB leaves unprocessed. Used for
    /// the audit writer's group commit and session clean-up (it belongs in `store/mod.rs`).
    pub(crate) async fn write_batch(
        &self,
        mut requests: Vec<WriteRequest>,
    ) -> Result<(), StoreError> {
        for _ in 0..8 {
            let output = self
                .client
                .batch_write_item()
                .request_items(self.table(), requests)
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            requests = output
                .unprocessed_items
                .and_then(|mut unprocessed| unprocessed.remove(self.table()))
                .unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        Err(StoreError::Unavailable(
            "batch write left items unprocessed".into(),
        ))
    }
}
