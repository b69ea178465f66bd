//! Users, their unique usernames, invites and the first-start bootstrap.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::api::{Page, UserStatus, UserSummary};
use shared::{Role, Scope};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::{GSI1, GSI2, TTL_ATTRIBUTE};
use super::{decode_cursor, encode_cursor};
use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub status: UserStatus,
    #[serde(default)]
    pub phone: Option<String>,
    /// Argon2id PHC string; absent until the person sets a password.
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub failed_logins: u32,
    #[serde(default)]
    pub locked_until_epoch: Option<i64>,
    #[serde(default)]
    pub organisation: Option<shared::events::Organisation>,
    pub created_at: DateTime<Utc>,
    /// Sessions carry the generation they were issued in; raising it (disable, reject,
    /// suspend) ends every one of them at once, including one being issued at that moment.
    #[serde(default)]
    pub session_generation: u64,
}

impl UserRecord {
    /// A new user with a fresh id and no failed sign-ins.
    pub fn new(
        username: &str,
        display_name: &str,
        role: Role,
        scope: Scope,
        status: UserStatus,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: ulid::Ulid::new().to_string(),
            username: username.to_string(),
            display_name: display_name.to_string(),
            role,
            scope,
            status,
            phone: None,
            password_hash: None,
            failed_logins: 0,
            locked_until_epoch: None,
            organisation: None,
            created_at,
            session_generation: 0,
        }
    }

    pub fn with_organisation(mut self, organisation: Option<shared::events::Organisation>) -> Self {
        self.organisation = organisation;
        self
    }

    pub fn with_phone(mut self, phone: Option<String>) -> Self {
        self.phone = phone;
        self
    }

    pub fn with_password_hash(mut self, hash: String) -> Self {
        self.password_hash = Some(hash);
        self
    }

    pub fn summary(&self) -> UserSummary {
        UserSummary {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            scope: self.scope.clone(),
            status: self.status,
            phone: self.phone.clone(),
            organisation: self.organisation,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct InviteRecord {
    user_id: String,
    expires_epoch: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("username taken")]
    UsernameTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("invite unknown, used or expired")]
    Invalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(super) fn user_pk(id: &str) -> String {
    format!("USER#{id}")
}
pub(super) const USER_SK: &str = "PROFILE";
fn username_pk(username: &str) -> String {
    format!("USERNAME#{username}")
}
const USERNAME_SK: &str = "CLAIM";
fn invite_pk(code_hash: &str) -> String {
    format!("INVITE#{code_hash}")
}
const INVITE_SK: &str = "INVITE";
const USERS_PARTITION: &str = "USERS";
fn status_partition(status: UserStatus) -> String {
    format!("USERSTATUS#{}", status.as_str())
}
const META_PK: &str = "META";
const BOOTSTRAP_SK: &str = "BOOTSTRAP";

fn user_item(user: &UserRecord) -> Result<Item, StoreError> {
    let mut item = to_item(user)?;
    item.extend(key(user_pk(&user.id), USER_SK));
    item.insert("GSI1PK".into(), s(USERS_PARTITION));
    item.insert("GSI1SK".into(), s(&user.username));
    item.insert("GSI2PK".into(), s(status_partition(user.status)));
    item.insert("GSI2SK".into(), s(&user.username));
    Ok(item)
}

fn put(item: Item, table: &str, condition: &str) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression(condition)
        .build()
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

impl Store {
    /// The writes that create a user: the username claim (unique), the user, and an optional
    /// invite. All-or-nothing, so a taken username leaves no half-made user behind.
    fn new_user_writes(
        &self,
        user: &UserRecord,
        invite: Option<(&str, i64)>,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let mut claim = key(username_pk(&user.username), USERNAME_SK);
        claim.insert("user_id".into(), s(&user.id));
        let mut writes = vec![
            put(claim, self.table(), "attribute_not_exists(PK)")?,
            put(user_item(user)?, self.table(), "attribute_not_exists(PK)")?,
        ];
        if let Some((code_hash, expires_epoch)) = invite {
            let mut item = to_item(&InviteRecord {
                user_id: user.id.clone(),
                expires_epoch,
            })?;
            item.extend(key(invite_pk(code_hash), INVITE_SK));
            item.insert(TTL_ATTRIBUTE.into(), n(expires_epoch));
            writes.push(put(item, self.table(), "attribute_not_exists(PK)")?);
        }
        Ok(writes)
    }

    pub async fn create_user(
        &self,
        user: &UserRecord,
        invite: Option<(&str, i64)>,
    ) -> Result<(), CreateUserError> {
        self.create_user_with(user, invite, Vec::new(), None).await
    }

    /// Creates a user together with `extra` writes (a volunteer's profile) and the audit entry,
    /// all in one transaction.
    pub async fn create_user_with(
        &self,
        user: &UserRecord,
        invite: Option<(&str, i64)>,
        extra: Vec<TransactWriteItem>,
        audit: Option<&shared::api::AuditEntry>,
    ) -> Result<(), CreateUserError> {
        let mut writes = self.new_user_writes(user, invite)?;
        writes.extend(extra);
        if let Some(entry) = audit {
            writes.push(self.audit_write(entry)?);
        }
        match self.transact(writes).await? {
            Ok(()) => Ok(()),
            Err(reasons) if super::condition_failed(&reasons, 0) => {
                Err(CreateUserError::UsernameTaken)
            }
            Err(reasons) => Err(StoreError::Refused {
                code: "TransactionCanceled".into(),
                message: format!("{reasons:?}"),
            }
            .into()),
        }
    }

    /// Creates the first admin unless the table was bootstrapped before; true when it did.
    pub async fn bootstrap_admin(&self, admin: &UserRecord) -> Result<bool, StoreError> {
        let mut marker = key(META_PK, BOOTSTRAP_SK);
        marker.insert("at".into(), s(admin.created_at.to_rfc3339()));
        let mut writes = vec![put(marker, self.table(), "attribute_not_exists(PK)")?];
        writes.extend(self.new_user_writes(admin, None)?);
        match self.transact(writes).await? {
            Ok(()) => Ok(true),
            Err(reasons) if super::condition_failed(&reasons, 0) => Ok(false),
            Err(reasons) => Err(StoreError::Refused {
                code: "TransactionCanceled".into(),
                message: format!("{reasons:?}"),
            }),
        }
    }

    pub async fn get_user(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        self.get_as(key(user_pk(id), USER_SK)).await
    }

    pub async fn find_user_by_username(
        &self,
        username: &str,
    ) -> Result<Option<UserRecord>, StoreError> {
        let claim = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(username_pk(username), USERNAME_SK)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let Some(user_id) = claim
            .item
            .as_ref()
            .and_then(|item| item.get("user_id"))
            .and_then(|value| value.as_s().ok())
        else {
            return Ok(None);
        };
        self.get_user(user_id).await
    }

    /// Users by username, optionally only those with one status (e.g. volunteers to approve).
    /// Active users, from the status index (whom to notify, whom to offer in a picker;
    /// decide nothing else from it).
    pub async fn active_users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.users_with_status(UserStatus::Active).await
    }

    pub async fn users_with_status(
        &self,
        status: UserStatus,
    ) -> Result<Vec<UserRecord>, StoreError> {
        self.query_all(GSI2, "GSI2PK", &status_partition(status), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Every account, from the users index.
    pub async fn all_users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.query_all(GSI1, "GSI1PK", USERS_PARTITION, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// How many accounts the users list (of one status) holds.
    pub async fn count_users(&self, status: Option<UserStatus>) -> Result<u64, StoreError> {
        let (index, pk_name, partition) = match status {
            None => (GSI1, "GSI1PK", USERS_PARTITION.to_string()),
            Some(status) => (GSI2, "GSI2PK", status_partition(status)),
        };
        self.count_every_page(
            self.client
                .query()
                .table_name(self.table())
                .index_name(index)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", pk_name)
                .expression_attribute_values(":pk", s(partition)),
        )
        .await
    }

    pub async fn list_users(
        &self,
        status: Option<UserStatus>,
        cursor: Option<&str>,
        limit: i32,
    ) -> Result<Result<Page<UserRecord>, ()>, StoreError> {
        let (index, pk_name, sk_name, partition) = match status {
            None => (GSI1, "GSI1PK", "GSI1SK", USERS_PARTITION.to_string()),
            Some(status) => (GSI2, "GSI2PK", "GSI2SK", status_partition(status)),
        };
        let start = match cursor {
            None => None,
            Some(cursor) => match decode_cursor(
                cursor,
                &["PK", "SK", pk_name, sk_name],
                (pk_name, &partition),
            ) {
                Some(key) => Some(key),
                None => return Ok(Err(())),
            },
        };
        let output = self
            .client
            .query()
            .table_name(self.table())
            .index_name(index)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", pk_name)
            .expression_attribute_values(":pk", s(partition))
            .set_exclusive_start_key(start)
            .limit(limit)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let next = output.last_evaluated_key.as_ref().and_then(encode_cursor);
        let items = output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<UserRecord>, _>>()?;
        Ok(Ok(Page {
            items,
            next,
            total: None,
        }))
    }

    /// Sets a new password hash; `end_sessions` also ends every session of the user (the
    /// operator's recovery). False when the user does not exist.
    pub async fn set_password_hash(
        &self,
        id: &str,
        hash: &str,
        end_sessions: bool,
        audit: &shared::api::AuditEntry,
    ) -> Result<bool, StoreError> {
        let expression = if end_sessions {
            "SET password_hash = :hash, session_generation = if_not_exists(session_generation, :zero) + :one"
        } else {
            "SET password_hash = :hash"
        };
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(key(user_pk(id), USER_SK)))
            .update_expression(expression)
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":hash", s(hash));
        if end_sessions {
            update = update
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1));
        }
        let update = update
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        self.update_audited(update, audit).await
    }

    /// Ends every session of a user at once by raising the session generation every request
    /// checks; the session items themselves are then deleted (they no longer authorise
    /// anything, so a lagging index cannot keep one alive).
    pub async fn end_user_sessions(&self, id: &str) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(user_pk(id), USER_SK)))
            .update_expression(
                "SET session_generation = if_not_exists(session_generation, :zero) + :one",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        self.delete_user_sessions(id).await
    }

    /// Moves a user from one of `from` to `to`; `Ok(false)` when the user is missing or in
    /// another status (nothing changed).
    pub async fn change_status(
        &self,
        id: &str,
        from: &[UserStatus],
        to: UserStatus,
    ) -> Result<bool, StoreError> {
        let update = self.status_update(id, from, to)?;
        let writes = vec![TransactWriteItem::builder().update(update).build()];
        Ok(self.transact(writes).await?.is_ok())
    }

    /// The conditional status move as one write of another capability's transaction (a
    /// volunteer's vetting decision moves the account with it).
    pub(crate) fn status_change_write(
        &self,
        id: &str,
        from: &[UserStatus],
        to: UserStatus,
    ) -> Result<TransactWriteItem, StoreError> {
        Ok(TransactWriteItem::builder()
            .update(self.status_update(id, from, to)?)
            .build())
    }

    /// Raises the session generation as one write of another capability's transaction: every
    /// session of the user ends when that transaction commits.
    pub(crate) fn end_sessions_write(&self, id: &str) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(key(user_pk(id), USER_SK)))
            .update_expression(
                "SET session_generation = if_not_exists(session_generation, :zero) + :one",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// `change_status` with its audit entry in the same transaction.
    pub async fn change_status_audited(
        &self,
        id: &str,
        from: &[UserStatus],
        to: UserStatus,
        audit: &shared::api::AuditEntry,
    ) -> Result<bool, StoreError> {
        let update = self.status_update(id, from, to)?;
        self.update_audited(update, audit).await
    }

    /// The conditional status move. Leaving `Active` raises the session generation in the same
    /// write, so no session (not even one being issued right now) outlives the change.
    fn status_update(
        &self,
        id: &str,
        from: &[UserStatus],
        to: UserStatus,
    ) -> Result<Update, StoreError> {
        let expression = if to == UserStatus::Active {
            "SET #status = :to, GSI2PK = :partition"
        } else {
            "SET #status = :to, GSI2PK = :partition, \
             session_generation = if_not_exists(session_generation, :zero) + :one"
        };
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(key(user_pk(id), USER_SK)))
            .update_expression(expression)
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":to", s(to.as_str()))
            .expression_attribute_values(":partition", s(status_partition(to)));
        if to != UserStatus::Active {
            update = update
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1));
        }
        let mut allowed = Vec::new();
        for (i, status) in from.iter().enumerate() {
            let name = format!(":from{i}");
            update = update.expression_attribute_values(&name, s(status.as_str()));
            allowed.push(name);
        }
        let condition = format!(
            "attribute_exists(PK) AND #status IN ({})",
            allowed.join(", ")
        );
        update
            .condition_expression(condition)
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))
    }

    /// Uses an invite: sets the password and activates the invited user, and deletes the
    /// invite, in one transaction — an invite works once, and only before it expires.
    pub async fn redeem_invite(
        &self,
        code_hash: &str,
        password_hash: &str,
        now_epoch: i64,
        audit_for: impl FnOnce(&str) -> shared::api::AuditEntry,
    ) -> Result<UserRecord, InviteError> {
        let invite = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(invite_pk(code_hash), INVITE_SK)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let Some(invite) = invite.item else {
            return Err(InviteError::Invalid);
        };
        let invite: InviteRecord = from_item(invite)?;
        if invite.expires_epoch <= now_epoch {
            return Err(InviteError::Invalid);
        }
        let delete = Delete::builder()
            .table_name(self.table())
            .set_key(Some(key(invite_pk(code_hash), INVITE_SK)))
            .condition_expression("attribute_exists(PK) AND expires_epoch > :now")
            .expression_attribute_values(":now", n(now_epoch))
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let activate = Update::builder()
            .table_name(self.table())
            .set_key(Some(key(user_pk(&invite.user_id), USER_SK)))
            .update_expression(
                "SET password_hash = :hash, #status = :active, GSI2PK = :partition, failed_logins = :zero",
            )
            .condition_expression("#status = :invited")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":hash", s(password_hash))
            .expression_attribute_values(":active", s(UserStatus::Active.as_str()))
            .expression_attribute_values(":invited", s(UserStatus::Invited.as_str()))
            .expression_attribute_values(":partition", s(status_partition(UserStatus::Active)))
            .expression_attribute_values(":zero", n(0))
            .build()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let writes = vec![
            TransactWriteItem::builder().delete(delete).build(),
            TransactWriteItem::builder().update(activate).build(),
        ];
        match self
            .transact_audited(writes, &audit_for(&invite.user_id))
            .await?
        {
            Ok(()) => {}
            Err(_) => return Err(InviteError::Invalid),
        }
        self.get_user(&invite.user_id)
            .await?
            .ok_or(InviteError::Invalid)
    }
}
