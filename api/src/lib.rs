//! The Shouwang API: one axum router with two entry points (the local binary on the embedded
//! engine, and AWS Lambda on DynamoDB), and one storage module written against DynamoDB.

pub mod accounts;
pub mod activities;
pub mod backup;
pub mod cases;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod http;
pub mod lambda;
pub mod local;
pub mod notifications;
pub mod pairings;
pub mod referrals;
pub mod registry;
pub mod statistics;
pub mod store;
pub mod upgrade;
pub mod visits;

pub use error::AppError;

use std::sync::Arc;

/// What every request needs, built once at start-up (never per request).
#[derive(Clone)]
pub struct AppState {
    pub store: store::Store,
    pub settings: Arc<config::Settings>,
    pub clock: clock::Clock,
    pub audit: accounts::AuditWriter,
    pub sessions: accounts::SessionCache,
}

impl AppState {
    /// Must run inside a Tokio runtime: it starts the audit writer.
    pub fn new(store: store::Store, settings: config::Settings, clock: clock::Clock) -> Self {
        let sessions = accounts::SessionCache::new(settings.session_cache);
        Self {
            audit: accounts::AuditWriter::start(store.clone()),
            store,
            settings: Arc::new(settings),
            clock,
            sessions,
        }
    }
}
