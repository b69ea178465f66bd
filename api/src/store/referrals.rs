//! Referrals: one item each, changed only by a write conditional on the version read (so two
//! officers taking the same referral at once: one wins), with its audit entry in the same
//! transaction; a unit's queue is an index item per unit the referral went to; and the list of
//! member units.
//!
//! | item | PK | SK | GSI1 | GSI2 | GSI3 |
//! |---|---|---|---|---|---|
//! | referral | `REFERRAL#<id>` | `REFERRAL` | `REFERRALS#<district>` / `<raised_at>#<id>` | | `REFERREDBY#<user>` / `<raised_at>#<id>` |
//! | unit's copy of the key | `REFERRAL#<id>` | `UNIT#<unit>` | | `UNITREFERRALS#<unit>` / `<raised_at>#<id>` | |
//! | member units | `CONFIG` | `REFERRAL_UNITS` | | | |

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use chrono::SecondsFormat;
use futures::future::join_all;
use shared::api::AuditEntry;
use shared::referrals::{MemberUnits, Referral};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::{GSI1, GSI2, GSI3};
use super::{Store, StoreError};

const SK: &str = "REFERRAL";
const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn pk(id: &str) -> String {
    format!("REFERRAL#{id}")
}

fn order(referral: &Referral) -> String {
    format!(
        "{}#{}",
        referral
            .raised_at
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        referral.id
    )
}

fn referral_item(referral: &Referral) -> Result<Item, StoreError> {
    let mut item = to_item(referral)?;
    item.extend(key(pk(&referral.id), SK));
    item.insert("GSI1PK".into(), s(format!("REFERRALS#{DISTRICT}")));
    item.insert("GSI1SK".into(), s(order(referral)));
    item.insert(
        "GSI3PK".into(),
        s(format!("REFERREDBY#{}", referral.raised_by_id)),
    );
    item.insert("GSI3SK".into(), s(order(referral)));
    Ok(item)
}

fn built<T>(result: Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

impl Store {
    /// Stores a referral if it is still at `expected` (`None`: a new one), with its audit entry
    /// and a queue item for each unit it has gone to; `Ok(false)` when someone changed it in
    /// between (the caller reads it again).
    pub async fn save_referral(
        &self,
        referral: &Referral,
        expected: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(referral_item(referral)?));
        let put = match expected {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(version) => put
                .condition_expression("version = :expected")
                .expression_attribute_values(":expected", n(version)),
        };
        let mut writes = vec![TransactWriteItem::builder()
            .put(built(put.build())?)
            .build()];
        for part in &referral.parts {
            let mut item = key(pk(&referral.id), format!("UNIT#{}", part.unit));
            item.insert("GSI2PK".into(), s(format!("UNITREFERRALS#{}", part.unit)));
            item.insert("GSI2SK".into(), s(order(referral)));
            item.insert("referral_id".into(), s(referral.id.clone()));
            let put = Put::builder().table_name(self.table()).set_item(Some(item));
            writes.push(
                TransactWriteItem::builder()
                    .put(built(put.build())?)
                    .build(),
            );
        }
        match self.transact_audited(writes, entry).await? {
            Ok(()) => Ok(true),
            Err(reasons) if super::condition_failed(&reasons, 0) => Ok(false),
            Err(reasons) => Err(StoreError::Refused {
                code: "TransactionCanceled".into(),
                message: format!("{reasons:?}"),
            }),
        }
    }

    pub async fn get_referral(&self, id: &str) -> Result<Option<Referral>, StoreError> {
        self.get_as(key(pk(id), SK)).await
    }

    async fn referrals_by_ids(&self, ids: Vec<String>) -> Result<Vec<Referral>, StoreError> {
        let reads = ids.iter().map(|id| self.get_referral(id));
        let mut found = Vec::new();
        for read in join_all(reads).await {
            found.extend(read?);
        }
        Ok(found)
    }

    /// Every referral of the district (from the index: a list, nothing decided from it).
    pub async fn all_referrals(&self) -> Result<Vec<Referral>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("REFERRALS#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn referrals_raised_by(&self, user: &str) -> Result<Vec<Referral>, StoreError> {
        self.query_all(GSI3, "GSI3PK", &format!("REFERREDBY#{user}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The referrals a unit has been sent, read again from the table (the queue item only
    /// says which).
    pub async fn unit_referrals(&self, unit: &str) -> Result<Vec<Referral>, StoreError> {
        let ids: Vec<String> = self
            .query_all(GSI2, "GSI2PK", &format!("UNITREFERRALS#{unit}"), None)
            .await?
            .into_iter()
            .filter_map(|item| {
                item.get("referral_id")
                    .and_then(|value| value.as_s().ok())
                    .cloned()
            })
            .collect();
        self.referrals_by_ids(ids).await
    }

    pub async fn member_units(&self) -> Result<(MemberUnits, Option<u64>), StoreError> {
        let setting = self.setting(super::settings::UNITS_SK).await?;
        Ok((setting.value, setting.revision))
    }

    pub async fn set_member_units(
        &self,
        value: &MemberUnits,
        revision: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.set_setting(super::settings::UNITS_SK, value, revision, entry)
            .await
    }
}
