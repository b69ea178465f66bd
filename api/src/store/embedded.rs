//! The embedded engine: dynoxide on a SQLite file, served on a loopback port inside this
//! process, so the same SDK code path runs with nothing else installed.

use std::path::Path;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use tokio::sync::oneshot;

use super::{Store, StoreError};
use crate::config::DataKey;

/// A running embedded engine. Dropping it stops the engine's server; [`EmbeddedEngine::stop`]
/// also waits for it.
pub struct EmbeddedEngine {
    pub endpoint: String,
    _stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

pub enum EngineFile<'a> {
    /// A SQLite file that survives restarts.
    OnDisk(&'a Path),
    /// A SQLCipher file encrypted with this key (builds with the `encryption` feature; others
    /// refuse it). A new file is created encrypted; an existing one opens only with its key.
    Encrypted(&'a Path, &'a DataKey),
    /// In memory, gone when the process ends (tests).
    InMemory,
}

impl<'a> EngineFile<'a> {
    /// The file at `path`: encrypted with `key` when there is one, plain otherwise.
    pub fn on_disk(path: &'a Path, key: Option<&'a DataKey>) -> Self {
        match key {
            Some(key) => Self::Encrypted(path, key),
            None => Self::OnDisk(path),
        }
    }
}

/// The engine's database on `file`, not served: for a second connection to the data file (a
/// backup) or a file being restored.
pub fn open(file: EngineFile<'_>) -> Result<dynoxide::Database, StoreError> {
    match file {
        EngineFile::OnDisk(path) => dynoxide::Database::new(utf8(path)?).map_err(|error| {
            let hint = if error.to_string().contains("encrypted") {
                " (an encrypted data file opens only with its key: SHOUWANG_DB_KEY_FILE, in a \
                 build with the `encryption` feature)"
            } else {
                ""
            };
            StoreError::Unavailable(format!("embedded engine: {error}{hint}"))
        }),
        EngineFile::Encrypted(path, key) => open_encrypted(path, key),
        EngineFile::InMemory => dynoxide::Database::memory()
            .map_err(|error| StoreError::Unavailable(format!("embedded engine: {error}"))),
    }
}

#[cfg(feature = "encryption")]
fn open_encrypted(path: &Path, key: &DataKey) -> Result<dynoxide::Database, StoreError> {
    // SQLCipher takes the 32 bytes as a raw key (`PRAGMA key = "x'…'"`), checks it by reading
    // the first page, and refuses a wrong key or a plain file ("file is not a database").
    dynoxide::Database::new_encrypted(utf8(path)?, key.hex()).map_err(|error| {
        StoreError::Unavailable(format!(
            "数据文件 {path} 无法用这个密钥打开(密钥不对,或文件没有加密)/ the data file {path} \
             cannot be opened with this key (a wrong key, or a file that is not encrypted): {error}",
            path = path.display()
        ))
    })
}

#[cfg(not(feature = "encryption"))]
fn open_encrypted(path: &Path, _key: &DataKey) -> Result<dynoxide::Database, StoreError> {
    Err(StoreError::Unavailable(format!(
        "这个版本没有加密功能,无法用密钥打开 {path} / this build has no encryption (it was built \
         without the `encryption` feature) and cannot open {path} with a key",
        path = path.display()
    )))
}

fn utf8(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| {
        StoreError::Unavailable(format!("data path is not UTF-8: {}", path.display()))
    })
}

impl EmbeddedEngine {
    pub async fn start(file: EngineFile<'_>) -> Result<Self, StoreError> {
        let database = open(file)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|error| StoreError::Unavailable(format!("embedded engine port: {error}")))?;
        let port = listener
            .local_addr()
            .map_err(|error| StoreError::Unavailable(error.to_string()))?
            .port();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
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
            task,
        })
    }

    /// Stops the server and waits until it has finished every connection (drop every client of
    /// it first: an idle pooled connection is closed, a request still running is waited for).
    /// The engine closes its file a moment later, as its last handle goes.
    pub async fn stop(self) {
        let Self {
            _stop: stop, task, ..
        } = self;
        drop(stop);
        let _ = task.await;
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
