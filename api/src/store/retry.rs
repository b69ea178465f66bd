//! The one retry mechanism for every call to the store.
//!
//! DynamoDB answers a busy moment in ways the embedded engine never does: throttling,
//! `InternalServerError`, a single-item write that collides with a running transaction
//! (`TransactionConflictException`) and a transaction cancelled with `TransactionConflict`
//! among its reasons. None of these say anything about the data, so the same request is sent
//! again after a jittered exponential pause, within a time budget. A failed condition
//! (`ConditionalCheckFailed`) is an answer, never retried. When the budget runs out the error is
//! returned as it is and `StoreError::from_sdk` makes it `Busy` (HTTP 503 with `Retry-After`).
//!
//! The SDK's own retries are switched off (`client_config`) so that this is the only layer and
//! its budget is the whole story.

use std::future::Future;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use rand::Rng;

/// How long one store call may keep retrying, and its pauses.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub budget: Duration,
    pub first_pause: Duration,
    pub longest_pause: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            budget: Duration::from_millis(2_500),
            first_pause: Duration::from_millis(5),
            longest_pause: Duration::from_millis(400),
        }
    }
}

static POLICY: OnceLock<RetryPolicy> = OnceLock::new();

/// The process-wide policy: the default, or `SHOUWANG_RETRY_BUDGET_MS` when set.
pub fn policy() -> RetryPolicy {
    *POLICY.get_or_init(|| {
        let mut policy = RetryPolicy::default();
        if let Some(budget) = std::env::var("SHOUWANG_RETRY_BUDGET_MS")
            .ok()
            .and_then(|value| value.parse::<u64>().ok())
        {
            policy.budget = Duration::from_millis(budget);
        }
        policy
    })
}

/// Seconds a refused caller should wait before trying again (the `Retry-After` header).
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// Error codes that say "busy, send it again", never "no".
const TRANSIENT_CODES: &[&str] = &[
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionConflictException",
    "TransactionInProgressException",
];

/// Cancellation reasons that mean the transaction lost a race or was throttled, not refused.
const TRANSIENT_REASONS: &[&str] = &[
    "TransactionConflict",
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
];

pub fn is_transient_code(code: Option<&str>) -> bool {
    code.is_some_and(|code| TRANSIENT_CODES.contains(&code))
}

/// A cancelled transaction is worth sending again only if no item's condition failed (that is
/// a business answer) and some item lost a race or was throttled.
pub fn is_transient_cancellation(reasons: &[Option<String>]) -> bool {
    let codes = || reasons.iter().flatten().map(String::as_str);
    !codes().any(|code| code == "ConditionalCheckFailed")
        && codes().any(|code| TRANSIENT_REASONS.contains(&code))
}

/// Whether sending the same request again may succeed.
pub fn is_transient<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    match error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            true
        }
        _ => is_transient_code(error.code()),
    }
}

fn is_transient_transaction<R>(error: &SdkError<TransactWriteItemsError, R>) -> bool {
    match super::cancellation_reasons(error) {
        Some(reasons) => is_transient_cancellation(&reasons),
        None => is_transient(error),
    }
}

/// Full jitter: a random pause between zero and an exponentially growing ceiling.
fn pause(policy: &RetryPolicy, attempt: u32) -> Duration {
    let ceiling = policy
        .first_pause
        .saturating_mul(1u32 << attempt.min(16))
        .min(policy.longest_pause);
    let millis = ceiling.as_millis().max(1) as u64;
    Duration::from_millis(rand::thread_rng().gen_range(1..=millis))
}

/// Attempts made whatever the clock says: under a rush a call can spend most of the budget
/// queued, and a busy moment should not turn into a refusal after a single try.
const MIN_ATTEMPTS: u32 = 8;
/// Attempts never made, whatever the budget.
const MAX_ATTEMPTS: u32 = 30;

/// Calls `send` until it succeeds, fails for good, or both the minimum attempts and the time
/// budget are spent.
pub async fn with_retries<T, E, F, Fut>(mut send: F, transient: impl Fn(&E) -> bool) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let policy = policy();
    let started = Instant::now();
    let mut attempt = 0;
    loop {
        match send().await {
            Err(error) if transient(&error) => {
                let wait = pause(&policy, attempt);
                let in_budget = started.elapsed() + wait <= policy.budget;
                if attempt + 1 >= MAX_ATTEMPTS || (attempt + 1 >= MIN_ATTEMPTS && !in_budget) {
                    tracing::warn!(attempts = attempt + 1, "store stayed busy past the budget");
                    return Err(error);
                }
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// `send_retrying()` for every request builder the store uses: the request is cloned for each
/// attempt, so a retry sends exactly what the first attempt sent.
pub(crate) trait SendRetrying {
    type Output;
    type Error;
    fn send_retrying(
        self,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error, HttpResponse>>> + Send;
}

type HttpResponse = aws_sdk_dynamodb::config::http::HttpResponse;

macro_rules! send_retrying {
    ($module:ident, $builder:ident, $output:ident, $error:ident) => {
        send_retrying!($module, $builder, $output, $error, is_transient);
    };
    ($module:ident, $builder:ident, $output:ident, $error:ident, $classify:ident) => {
        impl SendRetrying for aws_sdk_dynamodb::operation::$module::builders::$builder {
            type Output = aws_sdk_dynamodb::operation::$module::$output;
            type Error = aws_sdk_dynamodb::operation::$module::$error;
            fn send_retrying(
                self,
            ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error, HttpResponse>>> + Send
            {
                async move { with_retries(|| self.clone().send(), $classify).await }
            }
        }
    };
}

send_retrying!(get_item, GetItemFluentBuilder, GetItemOutput, GetItemError);
send_retrying!(put_item, PutItemFluentBuilder, PutItemOutput, PutItemError);
send_retrying!(
    update_item,
    UpdateItemFluentBuilder,
    UpdateItemOutput,
    UpdateItemError
);
send_retrying!(
    delete_item,
    DeleteItemFluentBuilder,
    DeleteItemOutput,
    DeleteItemError
);
send_retrying!(query, QueryFluentBuilder, QueryOutput, QueryError);
send_retrying!(scan, ScanFluentBuilder, ScanOutput, ScanError);
send_retrying!(
    batch_write_item,
    BatchWriteItemFluentBuilder,
    BatchWriteItemOutput,
    BatchWriteItemError
);
send_retrying!(
    batch_get_item,
    BatchGetItemFluentBuilder,
    BatchGetItemOutput,
    BatchGetItemError
);
send_retrying!(
    transact_write_items,
    TransactWriteItemsFluentBuilder,
    TransactWriteItemsOutput,
    TransactWriteItemsError,
    is_transient_transaction
);

/// The SDK's own retries off: this module is the one retry layer.
pub fn client_retry_config() -> RetryConfig {
    RetryConfig::disabled()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(codes: &[&str]) -> Vec<Option<String>> {
        codes
            .iter()
            .map(|code| (*code != "None").then(|| code.to_string()))
            .collect()
    }

    #[test]
    fn a_failed_condition_is_an_answer_even_beside_a_conflict() {
        assert!(!is_transient_cancellation(&reasons(&[
            "ConditionalCheckFailed",
            "TransactionConflict"
        ])));
        assert!(!is_transient_cancellation(&reasons(&[
            "None",
            "ConditionalCheckFailed"
        ])));
    }

    #[test]
    fn conflicts_and_throttles_are_sent_again() {
        assert!(is_transient_cancellation(&reasons(&[
            "None",
            "TransactionConflict"
        ])));
        assert!(is_transient_cancellation(&reasons(&["ThrottlingError"])));
        assert!(!is_transient_cancellation(&reasons(&["ValidationError"])));
        assert!(is_transient_code(Some("ThrottlingException")));
        assert!(is_transient_code(Some("InternalServerError")));
        assert!(!is_transient_code(Some("ConditionalCheckFailedException")));
        assert!(!is_transient_code(Some("ValidationException")));
    }

    #[test]
    fn pauses_grow_but_stay_under_the_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 0..30 {
            let wait = pause(&policy, attempt);
            assert!(wait >= Duration::from_millis(1));
            assert!(wait <= policy.longest_pause);
        }
    }

    #[tokio::test]
    async fn gives_up_when_the_budget_is_spent() {
        let started = Instant::now();
        let mut calls = 0;
        let result: Result<(), &str> = with_retries(
            || {
                calls += 1;
                async { Err("busy") }
            },
            |_| true,
        )
        .await;
        assert_eq!(result, Err("busy"));
        assert!(calls > 3, "retried {calls} times");
        assert!((MIN_ATTEMPTS..=MAX_ATTEMPTS).contains(&calls));
        assert!(started.elapsed() <= policy().budget + policy().longest_pause * MIN_ATTEMPTS);
    }
}
