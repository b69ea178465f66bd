//! AWS Lambda entry point: the API router over a real DynamoDB table named by `SHOUWANG_TABLE`.

use api::clock::Clock;
use api::config::Settings;
use api::store::Store;
use api::AppState;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    // RUST_LOG or info, with the cap that keeps request and response bodies (children's records)
    // out of the log whatever RUST_LOG says: see api::config::logging.
    api::config::logging::init(
        api::config::logging::LAMBDA_DEFAULT,
        api::config::logging::Output::Lambda,
    );
    let table = std::env::var("SHOUWANG_TABLE")
        .map_err(|_| "SHOUWANG_TABLE must name the DynamoDB table")?;
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let settings = Settings {
        table_name: table.clone(),
        secure_cookies: true,
        // Several instances serve one table: each must see sign-outs at once.
        session_cache: chrono::Duration::zero(),
        origin_secret: std::env::var("SHOUWANG_ORIGIN_SECRET")
            .ok()
            .filter(|secret| !secret.is_empty()),
        ..Settings::default()
    };
    let state = AppState::new(Store::on_aws(&config, &table), settings, Clock::system());
    // Undoes an import a previous instance left half-written (one query when there is none).
    // Back-filling older data is the operator's `bootstrap-aws`, never a cold start's.
    if let Err(error) = api::registry::transfer::recover_unfinished_imports(&state).await {
        tracing::error!(%error, "undoing an unfinished import failed");
    }
    lambda_http::run(api::lambda::app(state)).await
}
