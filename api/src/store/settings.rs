//! District settings that admins edit: which districts are core urban districts.
//!
//! `CONFIG` / `CORE_DISTRICTS` holds the value as JSON and a revision, raised by every change;
//! a change is conditional on the revision it was made from, so two admins saving at once
//! cannot silently overwrite each other, and its audit entry (with the value before) is
//! written in the same transaction.

use aws_sdk_dynamodb::types::Put;
use shared::api::AuditEntry;
use shared::eligibility::CoreDistricts;

use super::item::{key, n, s};
use super::retry::SendRetrying as _;
use super::{Store, StoreError};

const CONFIG_PK: &str = "CONFIG";
const CORE_SK: &str = "CORE_DISTRICTS";
const VALUE: &str = "value";
const REVISION: &str = "rev";

/// The configuration as read, with the revision a change must start from (`None` until the
/// first change).
#[derive(Debug, Clone)]
pub struct CoreDistrictsSetting {
    pub value: CoreDistricts,
    pub revision: Option<u64>,
}

impl Store {
    /// The core-district configuration; the default (Wenzhou's) until an admin changes it.
    pub async fn core_districts(&self) -> Result<CoreDistricts, StoreError> {
        Ok(self.core_districts_setting().await?.value)
    }

    /// The configuration and its revision, read consistently: a save evaluates eligibility
    /// with the setting as it is now, not as an earlier replica saw it.
    pub async fn core_districts_setting(&self) -> Result<CoreDistrictsSetting, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(CONFIG_PK, CORE_SK)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let item = output.item.unwrap_or_default();
        let value = match item.get(VALUE).and_then(|value| value.as_s().ok()) {
            Some(json) => serde_json::from_str(json)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            None => CoreDistricts::default(),
        };
        let revision = match item.get(REVISION).and_then(|value| value.as_n().ok()) {
            Some(number) => Some(
                number
                    .parse::<u64>()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            ),
            None => None,
        };
        Ok(CoreDistrictsSetting { value, revision })
    }

    /// Stores a new configuration if it is still at `revision`, with its audit entry, in one
    /// transaction; `Ok(false)` when another admin changed it in between.
    pub async fn set_core_districts(
        &self,
        value: &CoreDistricts,
        revision: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let json =
            serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut item = key(CONFIG_PK, CORE_SK);
        item.insert(VALUE.into(), s(json));
        item.insert(REVISION.into(), n(revision.map_or(1, |seen| seen + 1)));
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(item))
            .expression_attribute_names("#rev", REVISION);
        let put = match revision {
            // Stored before revisions existed, or never stored.
            None => put.condition_expression("attribute_not_exists(#rev)"),
            Some(seen) => put
                .condition_expression("#rev = :seen")
                .expression_attribute_values(":seen", n(seen)),
        };
        let put = put
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        self.put_audited(put, entry).await
    }
}
