//! District settings that admins edit: which districts are core urban districts.

use super::retry::SendRetrying as _;
use shared::eligibility::CoreDistricts;

use super::item::{key, s};
use super::{Store, StoreError};

const CONFIG_PK: &str = "CONFIG";
const CORE_SK: &str = "CORE_DISTRICTS";

impl Store {
    /// The core-district configuration; the default (Wenzhou's) until an admin changes it.
    pub async fn core_districts(&self) -> Result<CoreDistricts, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(CONFIG_PK, CORE_SK)))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        match output
            .item
            .as_ref()
            .and_then(|item| item.get("value"))
            .and_then(|value| value.as_s().ok())
        {
            Some(json) => {
                serde_json::from_str(json).map_err(|error| StoreError::Corrupt(error.to_string()))
            }
            None => Ok(CoreDistricts::default()),
        }
    }

    pub async fn set_core_districts(&self, value: &CoreDistricts) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut item = key(CONFIG_PK, CORE_SK);
        item.insert("value".into(), s(json));
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }
}
