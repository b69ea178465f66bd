//! In-app messages: `NOTIF#<user>` / `<ulid>`, newest last in key order.

use crate::store::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use shared::events::Notification;

use super::put_write;
use crate::store::item::{from_item, key, s, to_item, Item};
use crate::store::{Store, StoreError};

/// A message that rides in the transaction of the change it reports (a promotion from the
/// waitlist), so nobody is promoted without being told, or told without being promoted.
#[derive(Debug, Clone)]
pub struct Tell {
    pub user_id: String,
    pub notification: Notification,
}

fn notification_item(user_id: &str, notification: &Notification) -> Result<Item, StoreError> {
    let mut item = to_item(notification)?;
    item.extend(key(format!("NOTIF#{user_id}"), &notification.id));
    Ok(item)
}

impl Store {
    /// Leaves one notification. Its id is fixed before the first attempt, so a retry that finds
    /// it already stored (the first attempt landed, its answer was lost) has done its job.
    pub async fn notify(
        &self,
        user_id: &str,
        notification: &Notification,
    ) -> Result<(), StoreError> {
        self.put_new(notification_item(user_id, notification)?)
            .await
    }

    pub(super) fn tell_write(&self, tell: &Tell) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(notification_item(&tell.user_id, &tell.notification)?))
            .condition_expression("attribute_not_exists(PK)")
            .build();
        put_write(put)
    }

    /// The newest `limit` messages, newest first.
    pub async fn notifications(
        &self,
        user_id: &str,
        limit: i32,
    ) -> Result<Vec<Notification>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(format!("NOTIF#{user_id}")))
            .scan_index_forward(false)
            .limit(limit)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect()
    }
}
