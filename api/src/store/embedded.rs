//! The embedded engine: dynoxide on a SQLite file, served on a loopback port inside this
//! process, so the same SDK code path runs with nothing else installed.

use std::path::Path;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use tokio::sync::oneshot;

use super::{Store, StoreError};

/// A running embedded engine. Dropping it stops the engine's server.
pub struct EmbeddedEngine {
    pub endpoint: String,
    _stop: oneshot::Sender<()>,
}

pub enum EngineFile<'a> {
    /// A SQLite file that survives restarts.
    OnDisk(&'a Path),
    /// In memory, gone when the process ends (tests).
    InMemory,
}

impl EmbeddedEngine {
    pub async fn start(file: EngineFile<'_>) -> Result<Self, StoreError> {
        let database = match file {
            EngineFile::OnDisk(path) => {
                let path = path.to_str().ok_or_else(|| {
                    StoreError::Unavailable(format!("data path is not UTF-8: {}", path.display()))
                })?;
                dynoxide::Database::new(path)
            }
            EngineFile::InMemory => dynoxide::Database::memory(),
        }
        .map_err(|error| StoreError::Unavailable(format!("embedded engine: {error}")))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|error| StoreError::Unavailable(format!("embedded engine port: {error}")))?;
        let port = listener
            .local_addr()
            .map_err(|error| StoreError::Unavailable(error.to_string()))?
            .port();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(error) =
                dynoxide::server::serve_with_shutdown(listener, database, shutdown).await
            {
                tracing::error!(%error, "embedded engine stopped");
            }
        });
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _stop: stop,
        })
    }

    /// An SDK client pointed at this engine.
    pub fn client(&self) -> aws_sdk_dynamodb::Client {
        client_for(&self.endpoint)
    }

    pub async fn store(&self, table: &str) -> Result<Store, StoreError> {
        store_at(&self.endpoint, table).await
    }
}

/// A store on the table at `endpoint` (the engine, or a fault proxy in front of it), created
/// from the deployed template when missing.
pub async fn store_at(endpoint: &str, table: &str) -> Result<Store, StoreError> {
    let store = Store::new(client_for(endpoint), table);
    store.ensure_table().await?;
    Ok(store)
}

/// The credentials are placeholders the engine ignores.
fn client_for(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("local"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("local", "local", None, None, "embedded"))
        .retry_config(super::retry::client_retry_config())
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}
