//! Just enough of the Lambda Runtime API to start the real Lambda binary locally, hand it one API
//! Gateway event, and time its cold start.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{Mutex, Notify};

#[derive(Default)]
pub struct Observed {
    pub first_poll: Option<Instant>,
    pub response: Option<(Instant, String)>,
    pub served: bool,
}

#[derive(Clone)]
struct Emulator {
    event: Arc<String>,
    observed: Arc<Mutex<Observed>>,
    done: Arc<Notify>,
}

async fn next(State(emulator): State<Emulator>) -> (HeaderMap, String) {
    let first = {
        let mut observed = emulator.observed.lock().await;
        observed.first_poll.get_or_insert_with(Instant::now);
        let first = !observed.served;
        observed.served = true;
        first
    };
    if !first {
        // One invocation per cold start: later polls wait until the process is stopped.
        std::future::pending::<()>().await;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        "lambda-runtime-aws-request-id",
        "bench-1".parse().expect("header"),
    );
    let deadline = (chrono::Utc::now() + chrono::Duration::seconds(30)).timestamp_millis();
    headers.insert(
        "lambda-runtime-deadline-ms",
        deadline.to_string().parse().expect("header"),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:cn-north-1:123456789012:function:shouwang"
            .parse()
            .expect("header"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        "Root=1-00000000-000000000000000000000000"
            .parse()
            .expect("header"),
    );
    (headers, emulator.event.as_ref().clone())
}

async fn respond(
    State(emulator): State<Emulator>,
    Path(_id): Path<String>,
    body: String,
) -> &'static str {
    emulator.observed.lock().await.response = Some((Instant::now(), body));
    emulator.done.notify_one();
    "{}"
}

async fn failed(State(emulator): State<Emulator>, body: String) -> &'static str {
    emulator.observed.lock().await.response = Some((Instant::now(), format!("ERROR {body}")));
    emulator.done.notify_one();
    "{}"
}

pub struct Running {
    pub address: std::net::SocketAddr,
    pub observed: Arc<Mutex<Observed>>,
    pub done: Arc<Notify>,
}

pub async fn start(event: String) -> anyhow::Result<Running> {
    let emulator = Emulator {
        event: Arc::new(event),
        observed: Arc::new(Mutex::new(Observed::default())),
        done: Arc::new(Notify::new()),
    };
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(respond),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(failed))
        .route("/2018-06-01/runtime/init/error", post(failed))
        .with_state(emulator.clone());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Running {
        address,
        observed: emulator.observed,
        done: emulator.done,
    })
}
