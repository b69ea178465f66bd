//! Sign-in guards: how many passwords may still be tried for a username, from one source and
//! from everywhere.
//!
//! A password is evaluated only after a slot was reserved by a conditional write, so a parallel
//! burst cannot have more guesses evaluated than the limit: the reservation is the count, not a
//! tally made after the (slow) Argon2 check. Guards are keyed by the username typed, whether or
//! not it exists, so an unknown name locks exactly like a known one and answers cannot tell
//! them apart. A lock per source keeps a stranger from locking the owner out from elsewhere;
//! the account-wide guard is a slower brake on guessing from many places, and does not apply
//! to a source that has signed in to the account before (so a stranger with many addresses
//! cannot keep the owner out from their usual one). IPv6 sources count per /64, since one
//! subscriber holds the whole prefix.
//!
//! A reserved slot is given back on every answer that is not a wrong password; one a request
//! never resolved (a process stopped mid-check) stops counting once the guard has been quiet for
//! the lock period. Every write carries the request's id, so a retry after a lost answer does
//! not count twice.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use sha2::{Digest, Sha256};

use serde::Deserialize;

use super::item::{key, n, s};
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

#[derive(Debug, Deserialize)]
struct GuardItem {
    #[serde(default)]
    attempts: i64,
    #[serde(default)]
    locked_until: Option<i64>,
    #[serde(default)]
    last_at: Option<i64>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// A password may be evaluated; `account_wide` when the account-wide guard counted it too
    /// (a known source's attempts are not).
    Granted { account_wide: bool },
    /// This source, or the account as a whole, is locked.
    Locked,
}

/// Guard items live a day after their last use (TTL), or until the lock they carry ends.
const GUARD_LIFETIME_SECONDS: i64 = 24 * 3600;
/// How long a source that signed in stays exempt from the account-wide brake.
const KNOWN_SOURCE_SECONDS: i64 = 90 * 24 * 3600;
const ACCOUNT_WIDE: &str = "ACCOUNT";

fn guard_pk(username: &str) -> String {
    let normalised = username.trim().to_lowercase();
    format!(
        "SIGNIN#{}",
        hex::encode(Sha256::digest(normalised.as_bytes()))
    )
}

/// The address as guards count it: IPv4 as it is, IPv6 by its /64 prefix.
fn source_key(source: Option<&str>) -> String {
    match source.map(|source| source.parse::<std::net::IpAddr>()) {
        Some(Ok(std::net::IpAddr::V6(address))) => {
            let segments = address.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
        Some(Ok(address)) => address.to_string(),
        Some(Err(_)) | None => "unknown".to_string(),
    }
}

fn source_sk(source: Option<&str>) -> String {
    format!("SOURCE#{}", source_key(source))
}

fn known_sk(source: Option<&str>) -> String {
    format!("KNOWN#{}", source_key(source))
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
                    "SET attempts = if_not_exists(attempts, :zero) + :one, last_at = :now, #ttl = :ttl",
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

    /// Reserves one evaluation for `username` from `source`: on the source's guard, and on the
    /// account-wide guard unless this source has signed in to the account before.
    pub async fn reserve_sign_in(
        &self,
        username: &str,
        source: Option<&str>,
        limits: GuardLimits,
        now: i64,
    ) -> Result<Reservation, StoreError> {
        let pk = guard_pk(username);
        let known = self
            .get_as::<serde_json::Value>(key(&pk, known_sk(source)))
            .await?
            .is_some();
        let mut guards = vec![(source_sk(source), limits.per_source)];
        if !known {
            guards.push((ACCOUNT_WIDE.to_string(), limits.per_account));
        }
        for attempt in 0..2 {
            let writes = guards
                .iter()
                .map(|(sk, max)| self.reserve_update(&pk, sk, *max, now))
                .collect::<Result<Vec<_>, _>>()?;
            if self.transact(writes).await?.is_ok() {
                return Ok(Reservation::Granted {
                    account_wide: !known,
                });
            }
            if attempt == 0 && !self.forget_stale_slots(&pk, &guards, limits, now).await? {
                break;
            }
        }
        Ok(Reservation::Locked)
    }

    /// A guard that is full but not locked, and quiet for a lock period, holds slots of
    /// requests that never finished: it starts afresh. True when one was cleared.
    async fn forget_stale_slots(
        &self,
        pk: &str,
        guards: &[(String, u32)],
        limits: GuardLimits,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut cleared = false;
        for (sk, max) in guards {
            let Some(guard) = self.get_as::<GuardItem>(key(pk, sk)).await? else {
                continue;
            };
            let locked = guard.locked_until.is_some_and(|until| until > now);
            let quiet = guard
                .last_at
                .is_none_or(|last| last <= now - limits.lock_seconds);
            if locked || guard.attempts < i64::from(*max) || !quiet {
                continue;
            }
            let reset = self
                .client
                .update_item()
                .table_name(self.table())
                .set_key(Some(key(pk, sk)))
                .update_expression("SET attempts = :zero")
                .condition_expression(
                    "attempts = :seen AND (attribute_not_exists(last_at) OR last_at = :last)",
                )
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":seen", n(guard.attempts))
                .expression_attribute_values(":last", n(guard.last_at.unwrap_or_default()))
                .send_retrying()
                .await;
            match reset {
                Ok(_) => cleared = true,
                Err(error) if is_condition_failure(&error) => {}
                Err(error) => return Err(StoreError::from_sdk(error)),
            }
        }
        Ok(cleared)
    }

    /// Locks a guard whose reserved attempts reached its limit; true when this call locked it.
    async fn lock_if_spent(
        &self,
        pk: &str,
        sk: &str,
        max: u32,
        limits: GuardLimits,
        now: i64,
        request: &str,
    ) -> Result<bool, StoreError> {
        let until = now + limits.lock_seconds;
        let result = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(pk, sk)))
            .update_expression(
                "SET locked_until = :until, attempts = :zero, locked_by = :request, #ttl = :ttl",
            )
            // Or it is this request's own lock, sent again after a lost answer.
            .condition_expression(
                "(attempts >= :max AND (attribute_not_exists(locked_until) OR locked_until <= :now)) \
                 OR locked_by = :request",
            )
            .expression_attribute_values(":request", s(request))
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
        request: &str,
    ) -> Result<bool, StoreError> {
        let pk = guard_pk(username);
        let (source_locked, account_locked) = futures::future::join(
            self.lock_if_spent(
                &pk,
                &source_sk(source),
                limits.per_source,
                limits,
                now,
                request,
            ),
            self.lock_if_spent(&pk, ACCOUNT_WIDE, limits.per_account, limits, now, request),
        )
        .await;
        Ok(source_locked? || account_locked?)
    }

    /// After a right password: this source starts afresh, the account-wide guard gets back the
    /// slot this attempt reserved there, if it did (failures from elsewhere stay counted), and —
    /// when the person actually signed in (`remember`) — the source is exempt from the
    /// account-wide brake.
    pub async fn sign_in_succeeded(
        &self,
        username: &str,
        source: Option<&str>,
        now: i64,
        request: &str,
        reservation: &Reservation,
        remember: bool,
    ) -> Result<(), StoreError> {
        let pk = guard_pk(username);
        self.client
            .delete_item()
            .table_name(self.table())
            .set_key(Some(key(&pk, source_sk(source))))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        if !matches!(reservation, Reservation::Granted { account_wide: true }) {
            return self.remember_source(&pk, source, now, remember).await;
        }
        let given_back = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key(&pk, ACCOUNT_WIDE)))
            .update_expression("SET attempts = attempts - :one, released_by = :request")
            .condition_expression(
                "attempts > :zero AND (attribute_not_exists(released_by) OR released_by <> :request)",
            )
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":request", s(request))
            .send_retrying()
            .await;
        match given_back {
            Ok(_) => {}
            Err(error) if is_condition_failure(&error) => {}
            Err(error) => return Err(StoreError::from_sdk(error)),
        }
        self.remember_source(&pk, source, now, remember).await
    }

    async fn remember_source(
        &self,
        pk: &str,
        source: Option<&str>,
        now: i64,
        remember: bool,
    ) -> Result<(), StoreError> {
        if remember {
            let mut item = key(pk, known_sk(source));
            item.insert(TTL_ATTRIBUTE.into(), n(now + KNOWN_SOURCE_SECONDS));
            self.client
                .put_item()
                .table_name(self.table())
                .set_item(Some(item))
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
        }
        Ok(())
    }

    /// Removes every guard of a username (the operator's recovery command).
    pub async fn clear_sign_in_guards(&self, username: &str) -> Result<usize, StoreError> {
        let pk = guard_pk(username);
        let sources = self.query_prefix(&pk, "SOURCE#", false, None).await?;
        let known = self.query_prefix(&pk, "KNOWN#", false, None).await?;
        let mut keys: Vec<String> = sources
            .iter()
            .chain(&known)
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
        assert_eq!(source_sk(Some("203.0.113.9")), "SOURCE#203.0.113.9");
        assert_eq!(
            source_sk(Some("2001:db8:1:2:aaaa::1")),
            source_sk(Some("2001:db8:1:2:bbbb::9")),
            "one /64 is one source"
        );
        assert_ne!(
            source_sk(Some("2001:db8:1:2::1")),
            source_sk(Some("2001:db8:1:3::1"))
        );
    }
}
