//! A fault-injecting proxy between the SDK client and the embedded engine.
//!
//! The engine never reports what DynamoDB reports under load. This proxy speaks the same HTTP
//! protocol and, for a configurable share of data-plane calls chosen by a seeded generator,
//! answers itself — before the engine sees the request, so nothing was applied — with what AWS
//! returns when busy: `ThrottlingException`, `ProvisionedThroughputExceededException`,
//! `InternalServerError`, `TransactionConflictException` for a single-item write, and
//! `TransactionCanceledException` whose reasons say `TransactionConflict`. Items over 400 KB are
//! refused by the engine itself, as DynamoDB does. Tests and the benchmark start it through
//! `LocalOptions::faults`; the local binary never does unless `SHOUWANG_FAULT_RATE` is set.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use tokio::sync::oneshot;

use super::StoreError;

/// How often and how reproducibly to fail.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultPlan {
    /// Share of data-plane calls answered with a fault, 0.0–1.0.
    pub rate: f64,
    pub seed: u64,
}

impl FaultPlan {
    /// `SHOUWANG_FAULT_RATE` (e.g. `0.2`) and `SHOUWANG_FAULT_SEED`, when the rate is set.
    pub fn from_env() -> Option<Self> {
        let rate: f64 = std::env::var("SHOUWANG_FAULT_RATE").ok()?.parse().ok()?;
        let seed = std::env::var("SHOUWANG_FAULT_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .unwrap_or(1);
        (rate > 0.0).then_some(Self {
            rate: rate.min(1.0),
            seed,
        })
    }
}

/// What the proxy did, for tests and the benchmark to print.
#[derive(Debug, Default)]
pub struct FaultStats {
    /// The share of calls to fault, in millionths; changeable while running.
    rate_ppm: AtomicU64,
    pub forwarded: AtomicU64,
    pub throttled: AtomicU64,
    pub throughput_exceeded: AtomicU64,
    pub internal_errors: AtomicU64,
    pub write_conflicts: AtomicU64,
    pub transaction_conflicts: AtomicU64,
}

impl FaultStats {
    /// Changes the share of faulted calls from now on (0.0–1.0).
    pub fn set_rate(&self, rate: f64) {
        self.rate_ppm
            .store((rate.clamp(0.0, 1.0) * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn rate(&self) -> f64 {
        self.rate_ppm.load(Ordering::Relaxed) as f64 / 1e6
    }

    pub fn injected(&self) -> u64 {
        [
            &self.throttled,
            &self.throughput_exceeded,
            &self.internal_errors,
            &self.write_conflicts,
            &self.transaction_conflicts,
        ]
        .iter()
        .map(|counter| counter.load(Ordering::Relaxed))
        .sum()
    }

    pub fn summary(&self) -> String {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        format!(
            "forwarded {}, injected {} (throttling {}, throughput exceeded {}, internal error {}, \
             write conflict {}, transaction conflict {})",
            get(&self.forwarded),
            self.injected(),
            get(&self.throttled),
            get(&self.throughput_exceeded),
            get(&self.internal_errors),
            get(&self.write_conflicts),
            get(&self.transaction_conflicts),
        )
    }
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    Throttling,
    ThroughputExceeded,
    Internal,
    WriteConflict,
    TransactionConflict,
}

#[derive(Clone)]
struct Proxy {
    upstream: Arc<str>,
    client: Client<HttpConnector, Full<Bytes>>,
    rng: Arc<Mutex<StdRng>>,
    stats: Arc<FaultStats>,
}

pub struct FaultProxy {
    pub endpoint: String,
    pub stats: Arc<FaultStats>,
    _stop: oneshot::Sender<()>,
}

impl FaultProxy {
    /// Listens on a loopback port and forwards to `upstream` (the engine's endpoint).
    pub async fn start(upstream: &str, plan: FaultPlan) -> Result<Self, StoreError> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|error| StoreError::Unavailable(format!("fault proxy port: {error}")))?;
        let address = listener
            .local_addr()
            .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        let stats = Arc::new(FaultStats::default());
        stats.set_rate(plan.rate);
        let proxy = Proxy {
            upstream: Arc::from(upstream),
            client: Client::builder(TokioExecutor::new()).build_http(),
            rng: Arc::new(Mutex::new(StdRng::seed_from_u64(plan.seed))),
            stats: stats.clone(),
        };
        let app = axum::Router::new().fallback(handle).with_state(proxy);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "fault proxy stopped");
            }
        });
        Ok(Self {
            endpoint: format!("http://{address}"),
            stats,
            _stop: stop,
        })
    }
}

/// Data-plane operations and the faults DynamoDB can answer them with.
fn possible_faults(operation: &str) -> &'static [Fault] {
    match operation {
        "GetItem" | "Query" | "Scan" | "BatchGetItem" | "TransactGetItems" | "BatchWriteItem" => &[
            Fault::Throttling,
            Fault::ThroughputExceeded,
            Fault::Internal,
        ],
        "PutItem" | "UpdateItem" | "DeleteItem" => &[
            Fault::Throttling,
            Fault::ThroughputExceeded,
            Fault::Internal,
            Fault::WriteConflict,
        ],
        "TransactWriteItems" => &[
            Fault::TransactionConflict,
            Fault::TransactionConflict,
            Fault::Throttling,
            Fault::Internal,
        ],
        _ => &[],
    }
}

fn error_body(kind: &str, message: &str) -> Value {
    json!({ "__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": message })
}

fn fault_response(fault: Fault, request_body: &[u8], rng: &mut StdRng) -> Response {
    let (status, body) = match fault {
        Fault::Throttling => (
            StatusCode::BAD_REQUEST,
            error_body(
                "ThrottlingException",
                "Rate of requests exceeds the allowed throughput.",
            ),
        ),
        Fault::ThroughputExceeded => (
            StatusCode::BAD_REQUEST,
            error_body(
                "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded.",
            ),
        ),
        Fault::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            error_body("InternalServerError", "Internal server error"),
        ),
        Fault::WriteConflict => (
            StatusCode::BAD_REQUEST,
            error_body(
                "TransactionConflictException",
                "Transaction is ongoing for the item",
            ),
        ),
        Fault::TransactionConflict => {
            let items = serde_json::from_slice::<Value>(request_body)
                .ok()
                .and_then(|body| body.get("TransactItems")?.as_array().map(Vec::len))
                .unwrap_or(1)
                .max(1);
            let conflicted = rng.gen_range(0..items);
            let reasons: Vec<Value> = (0..items)
                .map(|index| {
                    if index == conflicted {
                        json!({"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"})
                    } else {
                        json!({"Code": "None"})
                    }
                })
                .collect();
            let codes: Vec<&str> = (0..items)
                .map(|index| {
                    if index == conflicted {
                        "TransactionConflict"
                    } else {
                        "None"
                    }
                })
                .collect();
            let mut body = error_body(
                "TransactionCanceledException",
                &format!(
                    "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                    codes.join(", ")
                ),
            );
            body["CancellationReasons"] = Value::Array(reasons);
            (StatusCode::BAD_REQUEST, body)
        }
    };
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    response
}

async fn handle(State(proxy): State<Proxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = body.collect().await.map(|collected| collected.to_bytes()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|target| target.to_str().ok())
        .and_then(|target| target.rsplit('.').next())
        .unwrap_or_default();
    let faults = possible_faults(operation);
    let chosen = {
        let mut rng = match proxy.rng.lock() {
            Ok(rng) => rng,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !faults.is_empty() && rng.gen_bool(proxy.stats.rate()) {
            let fault = faults[rng.gen_range(0..faults.len())];
            Some((fault, fault_response(fault, &body, &mut rng)))
        } else {
            None
        }
    };
    if let Some((fault, response)) = chosen {
        let counter = match fault {
            Fault::Throttling => &proxy.stats.throttled,
            Fault::ThroughputExceeded => &proxy.stats.throughput_exceeded,
            Fault::Internal => &proxy.stats.internal_errors,
            Fault::WriteConflict => &proxy.stats.write_conflicts,
            Fault::TransactionConflict => &proxy.stats.transaction_conflicts,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        return response;
    }
    proxy.stats.forwarded.fetch_add(1, Ordering::Relaxed);
    let path = parts
        .uri
        .path_and_query()
        .map(|path| path.as_str())
        .unwrap_or("/");
    let mut forward = hyper::Request::builder()
        .method(parts.method)
        .uri(format!("{}{path}", proxy.upstream));
    for (name, value) in &parts.headers {
        if name != axum::http::header::HOST {
            forward = forward.header(name, value);
        }
    }
    let Ok(forward) = forward.body(Full::new(body)) else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    match proxy.client.request(forward).await {
        Ok(answer) => {
            let (parts, body) = answer.into_parts();
            match body.collect().await {
                Ok(collected) => Response::from_parts(parts, Body::from(collected.to_bytes())),
                Err(_) => StatusCode::BAD_GATEWAY.into_response(),
            }
        }
        Err(_) => StatusCode::BAD_GATEWAY.into_response(),
    }
}
