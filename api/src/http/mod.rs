//! HTTP: the one router both entry points serve. Every endpoint is declared once, in
//! `routes::catalog`, with the roles it admits; the guard denies everything else.

pub mod access;
pub mod error;
pub mod extract;
pub mod openapi;
mod routes;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use access::{Access, EndpointSpec};
pub use routes::catalog;

use crate::AppState;

/// The API router (all under `/api/`), with its body limit and response headers.
pub fn router(state: AppState) -> Router {
    let limit = state.settings.body_limit_bytes;
    routes::build(state)
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}
