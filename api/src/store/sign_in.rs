//! Sign-in guards: how many passwords may still be tried for a username, from one source and
//! from everywhere.
//!
//! A password is evaluated only after a slot was reserved by a conditional write, so a parallel
//! burst cannot have more guesses evaluated than the limit: the reservation is the count, not a
//! tally made after the (slow) Argon2 check. Guards are keyed by the username typed, whether or
//! not it exists, so an unknown name locks exactly like a known one and answers cannot tell
//! them apart. A lock per source keeps a stranger from locking the owner out from elsewhere;
//! the account-wide guard is a slower brake on guessing from many places.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use sha2::{Digest, Sha256};

use super::item::{key, n};
use super::retry::SendRetrying as _;
use super::schema::TTL_ATTRIBUTE;
use super::{is_condition_failure, Store, StoreError};

/// The limits, from `Settings`.
#[derive(Debug, Clone, Copy)]
pub struct GuardLimits {
    pub per_source: u32,
    pub per_account: u32,
    /// Seconds a reached limit locks for.
    pub lock_seconds: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// A password may be evaluated.
    Granted,
    /// This source, or the account as a whole, is locked.
    Locked,
}

/// Guard items live a day after their last use (TTL), or until the lock they carry ends.
const GUARD_LIFETIME_SECONDS: i64 = 24 * 3600;
const ACCOUNT_WIDE: &str = "ACCOUNT";

fn guard_pk(username: &str) -> String {
    let normalised = username.trim().to_lowercase();
    format!(
        "SIGNIN#{}",
        hex::encode(Sha256::digest(normalised.as_bytes()))
    )
}

fn source_sk(source: Option<&str>) -> String {
    format!("SOURCE#{}", source.unwrap_or("unknown"))
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

impl Store {
    fn reserve_update(
        &self,
        pk: &str,
        sk: &str,
        max: u32,
        now: i64,
    ) -> Result<TransactWriteItem, StoreError> {
        let update = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(pk, sk)))
                .update_expression(
                    "SET attempts = if_not_exists(attempts, :zero) + :one, #ttl = :ttl",
                )
                .condition_expression(
                    "(attribute_not_exists(locked_until) OR locked_until <= :now) AND \
                     (attribute_not_exists(attempts) OR attempts < :max)",
                )
                .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(":max", n(max))
                .expression_attribute_values(":ttl", n(now + GUARD_LIFETIME_SECONDS))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Reserves one evaluation for `username` from `source`, on both guards at once.
    pub async fn reserve_sign_in(
        &self,
        username: &str,
        source: Option<&str>,
        limits: GuardLimits,
        now: i64,
    ) -> Result<Reservation, StoreError> {
        let pk = guard_pk(username);
        let writes = vec![
            self.reserve_update(&pk, &source_sk(source), limits.per_source, now)?,
            self.reserve_update(&pk, ACCOUNT_WIDE, limits.per_account, now)?,
        ];
        Ok(match self.transact(writes).await? {
            Ok(()) => Reservation::Granted,
            Err(_) => Reservation::Locked,
        })
    }

    /// Locks a guard whose reserved attempts reached its limit; true when this call locked it.
    async fn lock_if_spent(
        &self,
        pk: &str,
        sk: &str,
        max: u32,
        limits: GuardLimits,
        now: i64,
    ) -> Result<bool, StoreError> {
        let until = now + limits.lock_seconds;
        let result = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(pk, sk)))
            .update_expression("SET locked_until = :until, attempts = :zero, #ttl = :ttl")
            .condition_expression(
                "attempts >= :max AND (attribute_not_exists(locked_until) OR locked_until <= :now)",
            )
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_values(":until", n(until))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":max", n(max))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":ttl", n(until + GUARD_LIFETIME_SECONDS))
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// After a wrong password: the reserved attempt stays counted; a guard that reached its
    /// limit locks. True when this failure locked the source or the account.
    pub async fn sign_in_failed(
        &self,
        username: &str,
        source: Option<&str>,
        limits: GuardLimits,
        now: i64,
    ) -> Result<bool, StoreError> {
        let pk = guard_pk(username);
        let source_locked = self
            .lock_if_spent(&pk, &source_sk(source), limits.per_source, limits, now)
            .await?;
        let account_locked = self
            .lock_if_spent(&pk, ACCOUNT_WIDE, limits.per_account, limits, now)
            .await?;
        Ok(source_locked || account_locked)
    }

    /// After a right password: this source starts afresh; the account-wide guard gives back
    /// the slot this attempt reserved (failures from elsewhere stay counted).
    pub async fn sign_in_succeeded(
        &self,
        username: &str,
        source: Option<&str>,
    ) -> Result<(), StoreError> {
        let pk = guard_pk(username);
        self.client
            .delete_item()
            .table_name(self.table())
            .set_key(Some(key(&pk, source_sk(source))))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let given_back = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(&pk, ACCOUNT_WIDE)))
            .update_expression("SET attempts = attempts - :one")
            .condition_expression("attempts > :zero")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .send_retrying()
            .await;
        match given_back {
            Ok(_) => Ok(()),
            Err(error) if is_condition_failure(&error) => Ok(()),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// Removes every guard of a username (the operator's recovery command).
    pub async fn clear_sign_in_guards(&self, username: &str) -> Result<usize, StoreError> {
        let pk = guard_pk(username);
        let sources = self.query_prefix(&pk, "SOURCE#", false, None).await?;
        let mut keys: Vec<String> = sources
            .iter()
            .filter_map(|guard| guard.get("SK")?.as_s().ok().cloned())
            .collect();
        keys.push(ACCOUNT_WIDE.to_string());
        for sk in &keys {
            self.client
                .delete_item()
                .table_name(self.table())
                .set_key(Some(key(&pk, sk)))
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
        }
        Ok(sources.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_do_not_depend_on_case_or_spaces_and_keep_the_name_out_of_the_key() {
        assert_eq!(guard_pk(" Admin "), guard_pk("admin"));
        assert!(!guard_pk("zhang.wei").contains("zhang"));
        assert_eq!(source_sk(None), "SOURCE#unknown");
    }
}
