//! Children: the registry's records and the indexes that serve its screens.
//!
//! GSI1 `CHILDREN#<district>` / `<name>#<id>`: the district list by name, name-prefix search.
//! GSI2 `VILLAGE#<code>` / `<name>#<id>`: a village's children (directors).
//! GSI3 `IDTAIL#<district>#<last 4>` / `<id>`: ID-number suffix search and duplicate checks.
//! GSI4 `REVIEW#<district>` or `MONITORED#<district>` / `<turns 16 on>#<id>`: the review list
//! (monitored children who no longer meet the definition, or who turn 16). Absent once a child
//! has left monitoring.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, PutRequest, WriteRequest};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::children::{
    CareLevelChange, ChildInput, ChildRecord, ChildSummary, DuplicateFlag, MonitoringExit,
    MonitoringStatus,
};
use shared::eligibility::Eligibility;

use super::item::{from_item, key, s, to_item, Item};
use super::schema::{GSI1, GSI2, GSI3, GSI4};
use super::{decode_cursor, encode_cursor, is_condition_failure, Store, StoreError};

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
    #[serde(default)]
    pub duplicates: Vec<DuplicateFlag>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

pub fn id_hash(id_number: &str) -> String {
    hex::encode(Sha256::digest(
        format!("shouwang-id:{id_number}").as_bytes(),
    ))
}

impl ChildItem {
    pub fn record(&self, show_id_number: bool) -> ChildRecord {
        let mut child = self.child.clone();
        if !show_id_number {
            child.id_number = child.id_number.as_deref().map(mask);
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
            duplicates: self.duplicates.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    pub fn summary(&self) -> ChildSummary {
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
            possible_duplicate: !self.duplicates.is_empty(),
        }
    }
}

pub fn mask(id_number: &str) -> String {
    match (
        id_number.get(..6),
        id_number.get(id_number.len().saturating_sub(4)..),
    ) {
        (Some(head), Some(tail)) if id_number.len() == 18 => format!("{head}********{tail}"),
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

fn child_item(child: &ChildItem) -> Result<Item, StoreError> {
    let mut item = to_item(child)?;
    item.extend(key(child_pk(&child.id), CHILD_SK));
    let name_key = format!("{}#{}", child.child.name, child.id);
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
        item.insert("id_hash".into(), s(id_hash(id_number)));
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

/// Which children a list shows.
#[derive(Debug, Clone, Default)]
pub struct ChildFilter {
    pub name_prefix: Option<String>,
    pub school: Option<String>,
    pub category: Option<String>,
    pub care_level: Option<String>,
    pub eligible: Option<bool>,
    pub status: Option<String>,
}

/// Where a list reads from.
#[derive(Debug, Clone)]
pub enum ChildSource {
    District,
    Village(String),
    IdTail(String),
}

pub struct ChildPage {
    pub items: Vec<ChildItem>,
    pub next: Option<String>,
}

impl Store {
    pub async fn put_new_child(&self, child: &ChildItem) -> Result<(), StoreError> {
        self.put_new(child_item(child)?).await
    }

    /// Replaces a child if it is still at `expected_version`; `Ok(false)` when someone else
    /// saved in between (or the child is gone).
    pub async fn replace_child(
        &self,
        child: &ChildItem,
        expected_version: u64,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(self.table())
            .set_item(Some(child_item(child)?))
            .condition_expression("attribute_exists(PK) AND version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_version.to_string()),
            )
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    pub async fn get_child(&self, id: &str) -> Result<Option<ChildItem>, StoreError> {
        self.get_as(key(child_pk(id), CHILD_SK)).await
    }

    /// One page of children, newest filters applied in the store. Reads index pages until
    /// `limit` children match or the index ends; the cursor resumes after the last one shown.
    pub async fn list_children(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Result<ChildPage, ()>, StoreError> {
        let (index, pk_name, sk_name, partition) = match source {
            ChildSource::District => (GSI1, "GSI1PK", "GSI1SK", district_partition()),
            ChildSource::Village(code) => (GSI2, "GSI2PK", "GSI2SK", village_partition(code)),
            ChildSource::IdTail(last4) => (GSI3, "GSI3PK", "GSI3SK", id_tail_partition(last4)),
        };
        let mut start = match cursor {
            None => None,
            Some(cursor) => {
                match decode_cursor(
                    cursor,
                    &["PK", "SK", pk_name, sk_name],
                    (pk_name, &partition),
                ) {
                    Some(key) => Some(key),
                    None => return Ok(Err(())),
                }
            }
        };
        let mut conditions = Vec::new();
        let mut values: Vec<(&str, AttributeValue)> = vec![(":pk", s(partition.clone()))];
        let mut key_condition = "#pk = :pk".to_string();
        if let (Some(prefix), ChildSource::District | ChildSource::Village(_)) =
            (&filter.name_prefix, source)
        {
            key_condition.push_str(" AND begins_with(#sk, :prefix)");
            values.push((":prefix", s(prefix.clone())));
        }
        if let Some(school) = &filter.school {
            conditions.push("contains(f_school, :school)");
            values.push((":school", s(school.clone())));
        }
        if let Some(category) = &filter.category {
            conditions.push("f_category = :category");
            values.push((":category", s(category.clone())));
        }
        if let Some(level) = &filter.care_level {
            conditions.push("f_care_level = :level");
            values.push((":level", s(level.clone())));
        }
        if let Some(eligible) = filter.eligible {
            conditions.push("f_eligible = :eligible");
            values.push((":eligible", AttributeValue::Bool(eligible)));
        }
        if let Some(status) = &filter.status {
            conditions.push("f_status = :status");
            values.push((":status", s(status.clone())));
        }
        let uses_sk = key_condition.contains("#sk");
        let mut found = Vec::new();
        loop {
            let mut request = self
                .client
                .query()
                .table_name(self.table())
                .index_name(index)
                .key_condition_expression(&key_condition)
                .expression_attribute_names("#pk", pk_name)
                .set_exclusive_start_key(start.take())
                // Without filters every item read is shown: read exactly what is missing.
                .limit(if conditions.is_empty() {
                    (limit - found.len()).max(1) as i32
                } else {
                    200
                });
            if uses_sk {
                request = request.expression_attribute_names("#sk", sk_name);
            }
            if !conditions.is_empty() {
                request = request.filter_expression(conditions.join(" AND "));
            }
            for (name, value) in &values {
                request = request.expression_attribute_values(*name, value.clone());
            }
            let output = request
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            for item in output.items.unwrap_or_default() {
                let resume_key: Item = ["PK", "SK", pk_name, sk_name]
                    .iter()
                    .filter_map(|name| {
                        item.get(*name)
                            .map(|value| (name.to_string(), value.clone()))
                    })
                    .collect();
                found.push(from_item::<ChildItem>(item)?);
                if found.len() == limit {
                    return Ok(Ok(ChildPage {
                        items: found,
                        next: encode_cursor(&resume_key),
                    }));
                }
            }
            match output.last_evaluated_key {
                Some(next) => start = Some(next),
                None => {
                    return Ok(Ok(ChildPage {
                        items: found,
                        next: None,
                    }))
                }
            }
        }
    }

    /// Every child of the district (export, import duplicate checks).
    pub async fn all_children(&self) -> Result<Vec<ChildItem>, StoreError> {
        let mut children = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .list_children(
                    &ChildSource::District,
                    &ChildFilter::default(),
                    cursor.as_deref(),
                    1000,
                )
                .await?
                .map_err(|()| StoreError::Corrupt("own cursor refused".into()))?;
            children.extend(page.items);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(children),
            }
        }
    }

    /// Children with the same ID number or the same name and date of birth (possible duplicates).
    pub async fn find_possible_duplicates(
        &self,
        child: &ChildInput,
        except_id: Option<&str>,
    ) -> Result<Vec<DuplicateFlag>, StoreError> {
        let mut flags = Vec::new();
        if let Some(id_number) = &child.id_number {
            let last4 = id_number
                .get(id_number.len().saturating_sub(4)..)
                .unwrap_or_default();
            let output = self
                .client
                .query()
                .table_name(self.table())
                .index_name(GSI3)
                .key_condition_expression("GSI3PK = :pk")
                .filter_expression("id_hash = :hash")
                .expression_attribute_values(":pk", s(id_tail_partition(last4)))
                .expression_attribute_values(":hash", s(id_hash(id_number)))
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            for item in output.items.unwrap_or_default() {
                let other: ChildItem = from_item(item)?;
                if Some(other.id.as_str()) != except_id {
                    flags.push(DuplicateFlag {
                        child_id: other.id,
                        name: other.child.name,
                        reason: shared::Text::new("身份证号相同", "Same ID number").into(),
                    });
                }
            }
        }
        let output = self
            .client
            .query()
            .table_name(self.table())
            .index_name(GSI1)
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :name)")
            .filter_expression("f_birth_date = :birth")
            .expression_attribute_values(":pk", s(district_partition()))
            .expression_attribute_values(":name", s(format!("{}#", child.name)))
            .expression_attribute_values(":birth", s(child.birth_date.to_string()))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        for item in output.items.unwrap_or_default() {
            let other: ChildItem = from_item(item)?;
            if Some(other.id.as_str()) != except_id
                && !flags.iter().any(|flag| flag.child_id == other.id)
            {
                flags.push(DuplicateFlag {
                    child_id: other.id,
                    name: other.child.name,
                    reason: shared::Text::new("姓名和出生日期相同", "Same name and date of birth")
                        .into(),
                });
            }
        }
        Ok(flags)
    }

    /// Monitored children who no longer meet the definition, and those 16 or older on `today`.
    pub async fn children_to_review(&self, today: NaiveDate) -> Result<Vec<ChildItem>, StoreError> {
        let mut children = Vec::new();
        for (partition, until) in [
            (review_partition(true), None),
            (review_partition(false), today.succ_opt()),
        ] {
            let mut start = None;
            loop {
                let mut request = self
                    .client
                    .query()
                    .table_name(self.table())
                    .index_name(GSI4)
                    .expression_attribute_values(":pk", s(partition.clone()))
                    .set_exclusive_start_key(start.take());
                request = match until {
                    Some(day) => request
                        .key_condition_expression("GSI4PK = :pk AND GSI4SK < :until")
                        .expression_attribute_values(":until", s(day.to_string())),
                    None => request.key_condition_expression("GSI4PK = :pk"),
                };
                let output = request
                    .send_retrying()
                    .await
                    .map_err(StoreError::from_sdk)?;
                for item in output.items.unwrap_or_default() {
                    children.push(from_item::<ChildItem>(item)?);
                }
                match output.last_evaluated_key {
                    Some(next) => start = Some(next),
                    None => break,
                }
            }
        }
        Ok(children)
    }

    /// Writes many new children in batches. All-or-nothing as far as the store allows: when a
    /// batch fails, the children already written are deleted again.
    pub async fn put_children_batch(&self, children: &[ChildItem]) -> Result<(), StoreError> {
        let mut written: Vec<&ChildItem> = Vec::new();
        for chunk in children.chunks(25) {
            let requests = chunk
                .iter()
                .map(|child| {
                    let put = PutRequest::builder()
                        .set_item(Some(child_item(child)?))
                        .build()
                        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                    Ok(WriteRequest::builder().put_request(put).build())
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            if let Err(error) = self.write_batch(requests).await {
                self.delete_children(&written).await.ok();
                return Err(error);
            }
            written.extend(chunk);
        }
        Ok(())
    }

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

    async fn delete_children(&self, children: &[&ChildItem]) -> Result<(), StoreError> {
        for chunk in children.chunks(25) {
            let requests = chunk
                .iter()
                .filter_map(|child| {
                    let delete = DeleteRequest::builder()
                        .set_key(Some(key(child_pk(&child.id), CHILD_SK)))
                        .build()
                        .ok()?;
                    Some(WriteRequest::builder().delete_request(delete).build())
                })
                .collect();
            self.write_batch(requests).await?;
        }
        Ok(())
    }
}
