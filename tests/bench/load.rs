//! A small closed-loop load generator: `connections` workers, each sending the next request as
//! soon as the last one answered, for a fixed time; latencies go into an HDR histogram.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::Mutex;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoadResult {
    pub connections: usize,
    pub requests: u64,
    pub errors: u64,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

pub async fn run<F, Fut>(connections: usize, duration: Duration, make: F) -> LoadResult
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let histogram = Arc::new(Mutex::new(Histogram::<u64>::new(3).expect("histogram")));
    let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let make = Arc::new(make);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..connections {
        let histogram = histogram.clone();
        let errors = errors.clone();
        let make = make.clone();
        workers.push(tokio::spawn(async move {
            let mut local = Histogram::<u64>::new(3).expect("histogram");
            let mut sequence = worker;
            while started.elapsed() < duration {
                let sent = Instant::now();
                if !make(sequence).await {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let _ = local.record(sent.elapsed().as_micros() as u64);
                sequence += connections;
            }
            histogram.lock().await.add(&local).ok();
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let histogram = histogram.lock().await;
    LoadResult {
        connections,
        requests: histogram.len(),
        errors: errors.load(std::sync::atomic::Ordering::Relaxed),
        requests_per_second: histogram.len() as f64 / elapsed,
        p50_ms: histogram.value_at_quantile(0.50) as f64 / 1000.0,
        p99_ms: histogram.value_at_quantile(0.99) as f64 / 1000.0,
    }
}
