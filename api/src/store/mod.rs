//! The one data layer, written against DynamoDB (single table, two GSIs). Where it runs decides
//! the engine: the embedded dynoxide engine locally and in tests, a real table on AWS.
//! Keys are built only in this module; see `docs/access-patterns.md`.

pub mod audit;
pub mod cases;
pub mod children;
pub mod embedded;
pub mod events;
pub mod faults;
mod item;
pub mod pairings;
pub mod referrals;
pub mod retry;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod sign_in;
pub mod users;
pub mod visits;

use std::sync::Arc;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use base64::Engine as _;
use retry::SendRetrying as _;
use std::collections::HashMap;

#[derive(Clone)]
pub struct Store {
    client: Client,
    table: Arc<str>,
    /// Registry totals counted in the last few seconds (`children::count_cache`).
    child_counts: Arc<children::CountCache>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store could not be reached: {0}")]
    Unavailable(String),
    #[error("a stored item could not be read: {0}")]
    Corrupt(String),
    /// Throttled or in conflict past the retry budget: worth trying again shortly.
    #[error("the store stayed busy: {0}")]
    Busy(String),
    /// An item would exceed DynamoDB's 400 KB.
    #[error("an item is larger than the store accepts")]
    TooLarge,
    #[error("the store refused the request: {code}: {message}")]
    Refused { code: String, message: String },
}

impl StoreError {
    fn from_sdk<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
        error: SdkError<E, R>,
    ) -> Self {
        match &error {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                StoreError::Unavailable(format!("{error:?}"))
            }
            _ if retry::is_transient_code(error.code()) => {
                StoreError::Busy(error.code().unwrap_or_default().to_string())
            }
            _ if error.code() == Some("ValidationException")
                && error
                    .message()
                    .is_some_and(|message| message.contains("Item size")) =>
            {
                StoreError::TooLarge
            }
            _ => StoreError::Refused {
                code: error.code().unwrap_or("unknown").to_string(),
                message: error.message().unwrap_or_default().to_string(),
            },
        }
    }
}

/// Whether item `index` of a cancelled transaction failed its own condition. Only that reason
/// is a business answer about that item; another item's conflict says nothing about it.
pub(crate) fn condition_failed(reasons: &[Option<String>], index: usize) -> bool {
    reasons
        .get(index)
        .is_some_and(|reason| reason.as_deref() == Some("ConditionalCheckFailed"))
}

/// Whether a failed write failed because its condition did not hold.
fn is_condition_failure<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ConditionalCheckFailedException")
}

/// The reason codes of a cancelled transaction, one per item (`None` where that item was fine).
pub(crate) fn cancellation_reasons<R>(
    error: &SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError, R>,
) -> Option<Vec<Option<String>>> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => Some(
            cancelled
                .cancellation_reasons()
                .iter()
                .map(|reason| {
                    reason
                        .code()
                        .filter(|code| *code != "None")
                        .map(str::to_string)
                })
                .collect(),
        ),
        _ => None,
    }
}

pub type Key = HashMap<String, AttributeValue>;

/// A page position handed to the browser. Opaque to it; validated when it comes back so a
/// forged cursor cannot steer a query into another partition.
pub(crate) fn encode_cursor(key: &Key) -> Option<String> {
    let plain: std::collections::BTreeMap<&str, &str> = key
        .iter()
        .map(|(name, value)| value.as_s().ok().map(|s| (name.as_str(), s.as_str())))
        .collect::<Option<_>>()?;
    let json = serde_json::to_vec(&plain).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
}

pub(crate) fn decode_cursor(
    cursor: &str,
    expected_names: &[&str],
    partition: (&str, &str),
) -> Option<Key> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let plain: HashMap<String, String> = serde_json::from_slice(&bytes).ok()?;
    if plain.len() != expected_names.len()
        || !expected_names.iter().all(|name| plain.contains_key(*name))
        || plain.get(partition.0).map(String::as_str) != Some(partition.1)
    {
        return None;
    }
    Some(
        plain
            .into_iter()
            .map(|(name, value)| (name, AttributeValue::S(value)))
            .collect(),
    )
}

impl Store {
    pub fn new(client: Client, table: &str) -> Self {
        Self {
            client,
            table: Arc::from(table),
            child_counts: Arc::default(),
        }
    }

    /// A store on a real DynamoDB table, with the SDK's retries replaced by `retry`.
    pub fn on_aws(config: &aws_config::SdkConfig, table: &str) -> Self {
        let config = aws_sdk_dynamodb::config::Builder::from(config)
            .retry_config(retry::client_retry_config())
            .build();
        Self::new(Client::from_conf(config), table)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Runs a transaction: `Ok(Err(reasons))` when a condition refused it (one reason per item,
    /// `None` where that item was fine), so callers can say which invariant held. Conflicts and
    /// throttling are retried (`retry`); one client request token covers every attempt, so on
    /// DynamoDB a retry after a lost answer does not apply the writes twice.
    pub(crate) async fn transact(
        &self,
        writes: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<Result<(), Vec<Option<String>>>, StoreError> {
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(writes))
            .client_request_token(ulid::Ulid::new().to_string())
            .send_retrying()
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(error) => match cancellation_reasons(&error) {
                Some(reasons) if !retry::is_transient_cancellation(&reasons) => Ok(Err(reasons)),
                Some(_) => Err(StoreError::Busy("TransactionConflict".into())),
                None => Err(StoreError::from_sdk(error)),
            },
        }
    }

    /// Reads one item by key into `T` (consistent read: answers reflect the latest write).
    pub(crate) async fn get_as<T: serde::de::DeserializeOwned>(
        &self,
        key: item::Item,
    ) -> Result<Option<T>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        output.item.map(item::from_item).transpose()
    }

    /// Every item a query finds, all pages: the one place pages are followed, so no list stops
    /// silently at DynamoDB's 1 MB page.
    pub(crate) async fn every_page(
        &self,
        query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
    ) -> Result<Vec<item::Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let output = query
                .clone()
                .set_exclusive_start_key(start.take())
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            items.extend(output.items.unwrap_or_default());
            match output.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(items),
            }
        }
    }

    /// How many items a query finds, all pages counted (the items themselves never travel).
    pub(crate) async fn count_every_page(
        &self,
        query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
    ) -> Result<u64, StoreError> {
        let query = query.select(aws_sdk_dynamodb::types::Select::Count);
        let mut total = 0u64;
        let mut start = None;
        loop {
            let output = query
                .clone()
                .set_exclusive_start_key(start.take())
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?;
            total += u64::try_from(output.count).unwrap_or(0);
            match output.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(total),
            }
        }
    }

    /// Items of one partition whose sort key starts with `prefix`, all pages (or the first
    /// `limit`), read consistently.
    pub(crate) async fn query_prefix(
        &self,
        pk: &str,
        prefix: &str,
        newest_first: bool,
        limit: Option<i32>,
    ) -> Result<Vec<item::Item>, StoreError> {
        let query = self
            .client
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", item::s(pk))
            .expression_attribute_values(":prefix", item::s(prefix))
            .scan_index_forward(!newest_first)
            .consistent_read(true);
        match limit {
            None => self.every_page(query).await,
            Some(limit) => Ok(query
                .limit(limit)
                .send_retrying()
                .await
                .map_err(StoreError::from_sdk)?
                .items
                .unwrap_or_default()),
        }
    }

    /// Every item of one index partition (optionally from a sort key on), in order. Indexes
    /// lag on DynamoDB: lists only, never a rule.
    pub(crate) async fn query_all(
        &self,
        index: &str,
        pk_name: &str,
        partition: &str,
        from: Option<(&str, String)>,
    ) -> Result<Vec<item::Item>, StoreError> {
        let query = self
            .client
            .query()
            .table_name(self.table())
            .index_name(index)
            .expression_attribute_names("#pk", pk_name)
            .expression_attribute_values(":pk", item::s(partition));
        let query = match from {
            Some((sk_name, value)) => query
                .key_condition_expression("#pk = :pk AND #sk >= :from")
                .expression_attribute_names("#sk", sk_name)
                .expression_attribute_values(":from", item::s(value)),
            None => query.key_condition_expression("#pk = :pk"),
        };
        self.every_page(query).await
    }

    /// Puts an item under a fresh id (a new ULID), so it cannot exist yet — unless an earlier
    /// attempt of this very call landed and its answer was lost: finding it is success.
    pub(crate) async fn put_new(&self, item: item::Item) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) if is_condition_failure(&error) => Ok(()),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// A cheap round trip that proves the table answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.client
            .get_item()
            .table_name(self.table())
            .key("PK", AttributeValue::S("META".into()))
            .key("SK", AttributeValue::S("PING".into()))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }
}
