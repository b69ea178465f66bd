//! Sessions. The token is given to the browser once; only its SHA-256 is stored. The session
//! carries a copy of the user's role and scope so that authorising a request is one GetItem;
//! disabling a user deletes their sessions.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{
    ConditionCheck, DeleteRequest, Put, TransactWriteItem, WriteRequest,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::{Role, Scope};

use super::item::{from_item, key, n, s, to_item};
use super::schema::{GSI1, TTL_ATTRIBUTE};
use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    #[serde(default)]
    pub organisation: Option<shared::events::Organisation>,
    pub created_at: DateTime<Utc>,
    pub expires_epoch: i64,
    /// The user's session generation when this session was issued (see `UserRecord`).
    #[serde(default)]
    pub generation: u64,
}

fn session_pk(token_hash: &str) -> String {
    format!("SESSION#{token_hash}")
}
const SESSION_SK: &str = "SESSION";
fn user_sessions_partition(user_id: &str) -> String {
    format!("USERSESSIONS#{user_id}")
}

impl Store {
    /// Issues a session only while the user is active and still in the generation the session
    /// was made for: a disable or suspension landing at the same moment either comes first
    /// (and this fails) or raises the generation after (and the session is dead on arrival).
    /// The audit entry (the sign-in) is written in the same transaction. False when refused.
    pub async fn put_session_checked(
        &self,
        session: &SessionRecord,
        audit: Option<&shared::api::AuditEntry>,
    ) -> Result<bool, StoreError> {
        let check = ConditionCheck::builder()
            .table_name(self.table())
            .set_key(Some(key(super::users::user_pk(&session.user_id), super::users::USER_SK)))
            .condition_expression(
                "#status = :active AND (attribute_not_exists(session_generation) OR session_generation = :generation)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":active", s(shared::api::UserStatus::Active.as_str()))
            .expression_attribute_values(":generation", n(session.generation))
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(self.session_item(session)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut writes = vec![
            TransactWriteItem::builder().condition_check(check).build(),
            TransactWriteItem::builder().put(put).build(),
        ];
        if let Some(entry) = audit {
            writes.push(self.audit_write(entry)?);
        }
        Ok(self.transact(writes).await?.is_ok())
    }

    fn session_item(&self, session: &SessionRecord) -> Result<super::item::Item, StoreError> {
        let mut item = to_item(session)?;
        item.extend(key(session_pk(&session.token_hash), SESSION_SK));
        item.insert(
            "GSI1PK".into(),
            s(user_sessions_partition(&session.user_id)),
        );
        item.insert("GSI1SK".into(), s(&session.token_hash));
        item.insert(TTL_ATTRIBUTE.into(), n(session.expires_epoch));
        Ok(item)
    }

    /// The session for a token hash, if it exists and has not expired at `now_epoch`
    /// (the engine's TTL deletion is lazy, so expiry is checked here too).
    pub async fn get_session(
        &self,
        token_hash: &str,
        now_epoch: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(session_pk(token_hash), SESSION_SK)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let session: Option<SessionRecord> = output.item.map(from_item).transpose()?;
        Ok(session.filter(|session| session.expires_epoch > now_epoch))
    }

    /// Ends one session and records the sign-out, together.
    pub async fn delete_session_audited(
        &self,
        token_hash: &str,
        audit: &shared::api::AuditEntry,
    ) -> Result<(), StoreError> {
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(self.table())
            .set_key(Some(key(session_pk(token_hash), SESSION_SK)))
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let writes = vec![TransactWriteItem::builder().delete(delete).build()];
        // Unconditional delete: the only refusal left would be the entry's own id, which a
        // retry cannot clash with (the transaction's token makes it idempotent).
        let _ = self.transact_audited(writes, audit).await?;
        Ok(())
    }

    /// Deletes every session item of a user (housekeeping: the generation on the user item is
    /// what ends them; this index may lag, which is why it decides nothing).
    pub async fn delete_user_sessions(&self, user_id: &str) -> Result<(), StoreError> {
        let sessions = self
            .client
            .query()
            .table_name(self.table())
            .index_name(GSI1)
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", s(user_sessions_partition(user_id)))
            .projection_expression("PK, SK");
        let deletes: Vec<WriteRequest> = self
            .every_page(sessions)
            .await?
            .into_iter()
            .filter_map(|item| {
                let delete = DeleteRequest::builder().set_key(Some(item)).build().ok()?;
                Some(WriteRequest::builder().delete_request(delete).build())
            })
            .collect();
        // DynamoDB may leave some unprocessed: `write_batch` sends those again.
        for chunk in deletes.chunks(25) {
            self.write_batch(chunk.to_vec()).await?;
        }
        Ok(())
    }
}
