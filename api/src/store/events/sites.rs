//! Service sites. GSI1 `SITES#<district>` / `<name>#<id>` lists them by name.

use aws_sdk_dynamodb::types::Put;
use shared::api::AuditEntry;
use shared::events::Site;

use super::{put_write, site_pk, DISTRICT};
use crate::store::item::{from_item, key, s, to_item, Item};
use crate::store::retry::SendRetrying as _;
use crate::store::schema::GSI1;
use crate::store::{Store, StoreError};

const SITE_SK: &str = "SITE";

fn site_item(site: &Site) -> Result<Item, StoreError> {
    let mut item = to_item(site)?;
    item.extend(key(site_pk(&site.id), SITE_SK));
    item.insert("GSI1PK".into(), s(format!("SITES#{DISTRICT}")));
    item.insert(
        "GSI1SK".into(),
        s(format!("{}#{}", site.site.name, site.id)),
    );
    Ok(item)
}

impl Store {
    /// Writes a site without an audit entry: for demo data only, which nobody changed.
    pub async fn put_site(&self, site: &Site) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(site_item(site)?))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    /// Saves a site and its audit entry together: a new site only under an unused id, an edit
    /// only while the site exists. `Ok(false)` when that did not hold (nothing was written).
    pub async fn save_site(
        &self,
        site: &Site,
        new: bool,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let condition = if new {
            "attribute_not_exists(PK)"
        } else {
            "attribute_exists(PK)"
        };
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(site_item(site)?))
            .condition_expression(condition)
            .build();
        let writes = vec![put_write(put)?];
        Ok(self.transact_events(writes, Some(entry)).await?.is_none())
    }

    pub async fn get_site(&self, id: &str) -> Result<Option<Site>, StoreError> {
        self.get_as(key(site_pk(id), SITE_SK)).await
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("SITES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
