//! The registry's lists and searches, read from the indexes. An index lags the table on
//! DynamoDB, which a list may show; nothing is decided from one.

mod filter;

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::NaiveDate;

use super::{
    child_pk, district_partition, id_tail_partition, name_key, review_partition, village_partition,
    ChildItem, CHILD_SK,
};
use crate::store::item::{from_item, key, s, Item};
use crate::store::retry::SendRetrying as _;
use crate::store::schema::{GSI1, GSI2, GSI3, GSI4};
use crate::store::{decode_cursor, encode_cursor, Store, StoreError};

pub use filter::{ChildFilter, IdSet, MembershipSets, Memberships, Recorded};

/// Where a list reads from.
#[derive(Debug, Clone)]
pub enum ChildSource {
    District,
    Village(String),
    IdTail(String),
}

impl ChildSource {
    fn index(&self) -> (&'static str, &'static str, &'static str, String) {
        match self {
            ChildSource::District => (GSI1, "GSI1PK", "GSI1SK", district_partition()),
            ChildSource::Village(code) => (GSI2, "GSI2PK", "GSI2SK", village_partition(code)),
            ChildSource::IdTail(last4) => (GSI3, "GSI3PK", "GSI3SK", id_tail_partition(last4)),
        }
    }
}

pub struct ChildPage {
    pub items: Vec<ChildItem>,
    pub next: Option<String>,
}

/// Filled pages are read this many items at a time when a filter may drop most of them.
const FILTERED_READ: i32 = 200;

impl Store {
    /// One page of children. Reads index pages until `limit` children match or the index
    /// ends; the cursor resumes after the last one shown. `Ok(Err(()))` for a cursor that is
    /// not one of ours.
    pub async fn list_children(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Result<ChildPage, ()>, StoreError> {
        let (_, pk_name, sk_name, partition) = source.index();
        let start = match cursor {
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
        let (items, resume) = self.query_index(source, filter, start, limit).await?;
        Ok(Ok(ChildPage {
            items,
            next: resume.as_ref().and_then(encode_cursor),
        }))
    }

    /// A village's children in name order after the child `(name, id)` of that village, up to
    /// `limit` that match; and whether more may follow. A director's list over several
    /// villages merges these.
    pub async fn village_children_after(
        &self,
        village: &str,
        filter: &ChildFilter,
        after: Option<(&str, &str)>,
        limit: usize,
    ) -> Result<(Vec<ChildItem>, bool), StoreError> {
        let start = after.map(|(name, id)| {
            let mut start = key(child_pk(id), CHILD_SK);
            start.insert("GSI2PK".into(), s(village_partition(village)));
            start.insert("GSI2SK".into(), s(name_key(name, id)));
            start
        });
        let source = ChildSource::Village(village.to_string());
        let (items, resume) = self.query_index(&source, filter, start, limit).await?;
        Ok((items, resume.is_some()))
    }

    /// Up to `limit` matching children from `start`, and the key to resume after the last
    /// one when the limit was reached (the index may hold more).
    async fn query_index(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
        mut start: Option<Item>,
        limit: usize,
    ) -> Result<(Vec<ChildItem>, Option<Item>), StoreError> {
        let (_, pk_name, sk_name, _) = source.index();
        let filtered = filter.has_conditions();
        let mut found = Vec::new();
        loop {
            let output = self
                .children_query(source, filter)
                .set_exclusive_start_key(start.take())
                // Without filters every item read is shown: read exactly what is missing.
                .limit(if filtered {
                    FILTERED_READ
                } else {
                    i32::try_from(limit.saturating_sub(found.len()).max(1)).unwrap_or(i32::MAX)
                })
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            for item in output.items.unwrap_or_default() {
                let resume: Item = ["PK", "SK", pk_name, sk_name]
                    .iter()
                    .filter_map(|name| {
                        item.get(*name)
                            .map(|value| (name.to_string(), value.clone()))
                    })
                    .collect();
                let child = from_item::<ChildItem>(item)?;
                if !filter.keeps(&child.id) {
                    continue;
                }
                found.push(child);
                if found.len() >= limit {
                    return Ok((found, Some(resume)));
                }
            }
            match output.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok((found, None)),
            }
        }
    }

    /// How many children a list from `source` with `filter` holds, all pages counted (the
    /// index returns counts, not items; with conditions on ids, only the ids travel).
    pub async fn count_children(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
    ) -> Result<u64, StoreError> {
        if filter.id_sets.is_empty() {
            let key = format!("{source:?}|{filter:?}");
            if let Some(total) = self.child_counts.get(&key) {
                return Ok(total);
            }
            let _counting = self.child_counts.counting().await;
            if let Some(total) = self.child_counts.get(&key) {
                return Ok(total);
            }
            let generation = self.child_counts.generation();
            let total = self
                .count_every_page(self.children_query(source, filter))
                .await?;
            self.child_counts.put(key, generation, total);
            return Ok(total);
        }
        let query = self
            .children_query(source, filter)
            .projection_expression("#cid")
            .expression_attribute_names("#cid", "id");
        let kept = self
            .every_page(query)
            .await?
            .iter()
            .filter_map(|item| item.get("id").and_then(|id| id.as_s().ok()))
            .filter(|id| filter.keeps(id))
            .count();
        Ok(kept as u64)
    }

    /// The query behind a list and its count: key condition, filters, direction.
    fn children_query(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        let (index, pk_name, sk_name, partition) = source.index();
        let mut values: Vec<(String, AttributeValue)> = vec![(":pk".into(), s(partition))];
        // Only the names an expression uses: DynamoDB refuses unused ones.
        let mut names: BTreeMap<&'static str, &'static str> = BTreeMap::from([("#pk", pk_name)]);
        let mut key_condition = "#pk = :pk".to_string();
        if let (Some(prefix), ChildSource::District | ChildSource::Village(_)) =
            (&filter.name_prefix, source)
        {
            key_condition.push_str(" AND begins_with(#sk, :prefix)");
            values.push((":prefix".into(), s(prefix.clone())));
            names.insert("#sk", sk_name);
        }
        let conditions = filter.conditions(&mut names, &mut values);
        let mut request = self
            .client
            .query()
            .table_name(self.table())
            .index_name(index)
            .key_condition_expression(&key_condition)
            .scan_index_forward(!filter.descending);
        for (placeholder, name) in names {
            request = request.expression_attribute_names(placeholder, name);
        }
        if !conditions.is_empty() {
            request = request.filter_expression(conditions.join(" AND "));
        }
        for (name, value) in values {
            request = request.expression_attribute_values(name, value);
        }
        request
    }

    /// Who has an active pairing, a case group, an open crisis (lists and statistics; decide
    /// nothing from it).
    pub async fn membership_sets(&self) -> Result<MembershipSets, StoreError> {
        let (paired, groups) = tokio::join!(self.paired_children(), self.all_groups());
        let groups = groups?;
        Ok(MembershipSets {
            paired: Arc::new(paired?.into_iter().collect()),
            case_group: Arc::new(groups.iter().map(|group| group.child_id.clone()).collect()),
            open_crisis: Arc::new(
                groups
                    .iter()
                    .filter(|group| group.open_crises > 0)
                    .map(|group| group.child_id.clone())
                    .collect(),
            ),
        })
    }

    /// Every child `source` holds that passes `filter`, all pages (statistics).
    pub async fn every_child(
        &self,
        source: &ChildSource,
        filter: &ChildFilter,
    ) -> Result<Vec<ChildItem>, StoreError> {
        let mut children = Vec::new();
        let mut start = None;
        loop {
            let (page, resume) = self.query_index(source, filter, start, 1000).await?;
            children.extend(page);
            match resume {
                Some(next) => start = Some(next),
                None => return Ok(children),
            }
        }
    }

    /// Every child of the district (export, and other capabilities' candidate lists).
    pub async fn all_children(&self) -> Result<Vec<ChildItem>, StoreError> {
        self.every_child(&ChildSource::District, &ChildFilter::default())
            .await
    }

    /// Monitored children who no longer meet the definition, and those 16 or older on `today`.
    pub async fn children_to_review(&self, today: NaiveDate) -> Result<Vec<ChildItem>, StoreError> {
        let mut children = Vec::new();
        for (partition, until) in [
            (review_partition(true), None),
            (review_partition(false), today.succ_opt()),
        ] {
            let request = self
                .client
                .query()
                .table_name(self.table())
                .index_name(GSI4)
                .expression_attribute_values(":pk", s(partition.clone()));
            let request = match until {
                Some(day) => request
                    .key_condition_expression("GSI4PK = :pk AND GSI4SK < :until")
                    .expression_attribute_values(":until", s(day.to_string())),
                None => request.key_condition_expression("GSI4PK = :pk"),
            };
            for item in self.every_page(request).await? {
                children.push(from_item::<ChildItem>(item)?);
            }
        }
        Ok(children)
    }
}
