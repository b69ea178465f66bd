//! The local entry point: the embedded engine on a data directory, the API under `/api/` and the
//! built frontend at `/`, on one loopback port.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Router};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::backup::{BackupStatus, DailyBackups, DirLock};
use crate::clock::Clock;
use crate::config::Settings;
use crate::http::extract::ClientSource;
use crate::store::embedded::{store_at, EmbeddedEngine, EngineFile};
use crate::store::faults::{FaultPlan, FaultProxy, FaultStats};
use crate::AppState;

pub enum DataLocation {
    /// `shouwang.db` inside this directory, created when missing.
    Dir(PathBuf),
    /// Nothing on disk (tests).
    Memory,
}

pub struct LocalOptions {
    pub data: DataLocation,
    pub bind: SocketAddr,
    pub frontend_dir: Option<PathBuf>,
    /// The first admin's password on a fresh data file; random when absent.
    pub initial_admin_password: Option<String>,
    /// A fault-injecting proxy between the server and the engine (tests, benchmark).
    pub faults: Option<FaultPlan>,
}

pub struct LocalServer {
    pub url: String,
    pub state: AppState,
    /// The first admin's username and password, when this start created them.
    pub first_admin: Option<(String, String)>,
    /// What the fault proxy injected, when there is one.
    pub fault_stats: Option<Arc<FaultStats>>,
    /// When the last good daily backup was made (on a data directory).
    pub backups: Option<Arc<BackupStatus>>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    _daily_backups: Option<DailyBackups>,
    /// Tells `shouwang restore` the portal is running on this directory.
    _dir_lock: Option<DirLock>,
    _faults: Option<FaultProxy>,
    _engine: EmbeddedEngine,
}

impl LocalServer {
    pub async fn start(
        options: LocalOptions,
        settings: Settings,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let (engine, dir_lock) = match &options.data {
            DataLocation::Dir(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create data directory {}", dir.display()))?;
                let lock = DirLock::shared(dir)
                    .with_context(|| format!("cannot lock data directory {}", dir.display()))?
                    .with_context(|| {
                        format!(
                            "a restore is running on {}; start when it is done",
                            dir.display()
                        )
                    })?;
                let engine = EmbeddedEngine::start(EngineFile::on_disk(
                    &crate::backup::data_file(dir),
                    settings.data_key.as_ref(),
                ))
                .await?;
                (engine, Some(lock))
            }
            DataLocation::Memory => (EmbeddedEngine::start(EngineFile::InMemory).await?, None),
        };
        let faults = match options.faults {
            Some(plan) => Some(FaultProxy::start(&engine.endpoint, plan).await?),
            None => None,
        };
        let endpoint = faults
            .as_ref()
            .map_or(engine.endpoint.as_str(), |proxy| proxy.endpoint.as_str());
        let store = store_at(endpoint, &settings.table_name).await?;
        let state = AppState::new(store, settings, clock);
        let first_admin =
            crate::accounts::bootstrap_admin(&state, options.initial_admin_password.clone())
                .await
                .map_err(|error| anyhow::anyhow!("creating the first admin failed: {error}"))?;
        crate::upgrade::bring_data_up_to_date(&state)
            .await
            .map_err(|error| anyhow::anyhow!("bringing the data up to date failed: {error}"))?;
        let backups = match &options.data {
            DataLocation::Dir(dir) => Some(Arc::new(BackupStatus::load(dir))),
            DataLocation::Memory => None,
        };
        let app = app(state.clone(), options.frontend_dir.clone(), backups.clone());
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .with_context(|| format!("cannot listen on {}", options.bind))?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
            if let Err(error) = served {
                tracing::error!(%error, "local server stopped");
            }
        });
        let daily_backups = match (&options.data, &backups) {
            (DataLocation::Dir(dir), Some(status)) => DailyBackups::start_with_key(
                dir.clone(),
                crate::backup::keep_from_env(),
                status.clone(),
                state.settings.data_key.clone(),
            ),
            _ => None,
        };
        Ok(Self {
            url: format!("http://{address}"),
            state,
            first_admin,
            fault_stats: faults.as_ref().map(|proxy| proxy.stats.clone()),
            backups,
            stop,
            task,
            _daily_backups: daily_backups,
            _dir_lock: dir_lock,
            _faults: faults,
            _engine: engine,
        })
    }

    /// Stops accepting requests, lets running ones finish, then stops the engine.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }

    /// Waits until the server stops by itself (it does not, short of an error).
    pub async fn wait(&mut self) {
        let _ = (&mut self.task).await;
    }
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
base-uri 'none'; form-action 'self'";

fn app(
    state: AppState,
    frontend_dir: Option<PathBuf>,
    backups: Option<Arc<BackupStatus>>,
) -> Router {
    let frontend = match frontend_dir.filter(|dir| dir.join("index.html").is_file()) {
        Some(dir) => Router::new().fallback_service(
            ServeDir::new(&dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(ServeFile::new(dir.join("index.html"))),
        ),
        None => Router::new().fallback(frontend_missing),
    }
    .layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(middleware::from_fn(cache_policy));
    let router = crate::http::router(state)
        .merge(frontend)
        .layer(middleware::from_fn(record_peer));
    match backups {
        // The health handler reports the last backup's age.
        Some(status) => router.layer(Extension(status)),
        None => router,
    }
}

/// Content-hashed files (`light-0123456789abcdef.js`, `full-…_bg.wasm`, `style-….css`) never
/// change: a browser keeps them a year without asking, so a returning phone downloads only what
/// a new build changed. Everything else of the app (index.html, boot.js, sw.js, which name the
/// hashed files) is revalidated on every visit.
async fn cache_policy(request: Request, next: Next) -> Response {
    let immutable = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    // A hashed name that is not there gets the app's index.html: that answer must not stick.
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    let policy = if immutable && response.status().is_success() && !is_page {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((_, tail)) = name.split_once('-') else {
        return false;
    };
    let (Some(hash), Some(rest)) = (tail.get(..16), tail.get(16..)) else {
        return false;
    };
    hash.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && matches!(rest, ".js" | "_bg.wasm" | ".css")
}

async fn record_peer(mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip().to_string());
    request.extensions_mut().insert(ClientSource(peer));
    next.run(request).await
}

async fn frontend_missing() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html("<!doctype html><meta charset=utf-8><title>守望</title><p>前端尚未构建:请运行 <code>scripts/run</code>。<br>The frontend is not built: run <code>scripts/run</code>.</p>"),
    )
        .into_response()
}
