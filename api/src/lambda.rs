//! The AWS Lambda entry point's wiring: the same router, with the caller's address taken from
//! the API Gateway request context.

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;

use crate::http::extract::ClientSource;
use crate::AppState;

pub fn app(state: AppState) -> Router {
    crate::http::router(state).layer(middleware::from_fn(record_source_ip))
}

async fn record_source_ip(mut request: Request, next: Next) -> Response {
    let source = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
        _ => None,
    };
    request.extensions_mut().insert(ClientSource(source));
    next.run(request).await
}
