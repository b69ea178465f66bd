//! District settings that admins edit (core urban districts, visit intervals and calendar,
//! member units): one item each under `CONFIG`, holding the value as JSON and a revision raised
//! by every change. A change is conditional on the revision it was made from, so two admins
//! saving at once cannot silently overwrite each other, and its audit entry (with the value
//! before) is written in the same transaction.

use aws_sdk_dynamodb::types::Put;
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::AuditEntry;
use shared::eligibility::CoreDistricts;

use super::item::{key, n, s};
use super::retry::SendRetrying as _;
use super::{Store, StoreError};

const CONFIG_PK: &str = "CONFIG";
pub(crate) const CORE_SK: &str = "CORE_DISTRICTS";
pub(crate) const VISITS_SK: &str = "VISIT_SETTINGS";
pub(crate) const UNITS_SK: &str = "REFERRAL_UNITS";
const VALUE: &str = "value";
const REVISION: &str = "rev";

/// A setting as read, with the revision a change must start from (`None` until the first
/// change).
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub revision: Option<u64>,
}

pub type CoreDistrictsSetting = Setting<CoreDistricts>;

impl Store {
    /// A setting and its revision, read consistently (a save is checked against the setting as
    /// it is now); the default until an admin changes it.
    pub(crate) async fn setting<T: DeserializeOwned + Default>(
        &self,
        sk: &str,
    ) -> Result<Setting<T>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(CONFIG_PK, sk)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let item = output.item.unwrap_or_default();
        let value = match item.get(VALUE).and_then(|value| value.as_s().ok()) {
            Some(json) => serde_json::from_str(json)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            None => T::default(),
        };
        let revision = match item.get(REVISION).and_then(|value| value.as_n().ok()) {
            Some(number) => Some(
                number
                    .parse::<u64>()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            ),
            None => None,
        };
        Ok(Setting { value, revision })
    }

    /// Stores a setting if it is still at `revision`, with its audit entry, in one transaction;
    /// `Ok(false)` when another admin changed it in between.
    pub(crate) async fn set_setting<T: Serialize>(
        &self,
        sk: &str,
        value: &T,
        revision: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let json =
            serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut item = key(CONFIG_PK, sk);
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

    /// The core-district configuration; the default (Wenzhou's) until an admin changes it.
    pub async fn core_districts(&self) -> Result<CoreDistricts, StoreError> {
        Ok(self.core_districts_setting().await?.value)
    }

    pub async fn core_districts_setting(&self) -> Result<CoreDistrictsSetting, StoreError> {
        self.setting(CORE_SK).await
    }

    pub async fn set_core_districts(
        &self,
        value: &CoreDistricts,
        revision: Option<u64>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.set_setting(CORE_SK, value, revision, entry).await
    }
}
