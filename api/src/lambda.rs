//! The AWS Lambda entry point's wiring: the same router, with the caller's address for the
//! audit log. Behind CloudFront, API Gateway's `sourceIp` is a CloudFront edge, so the viewer's
//! address comes from `CloudFront-Viewer-Address` — trusted only on requests that carry the
//! origin secret CloudFront adds, since anyone can send that header to API Gateway directly.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;

use crate::http::extract::ClientSource;
use crate::AppState;

pub fn app(state: AppState) -> Router {
    let secret = state.settings.origin_secret.clone().map(Arc::<str>::from);
    crate::http::router(state).layer(middleware::from_fn_with_state(secret, record_source_ip))
}

/// The header CloudFront adds with the origin secret (see `infra/template.yaml`).
pub const ORIGIN_SECRET_HEADER: &str = "x-shouwang-origin";

async fn record_source_ip(
    State(secret): State<Option<Arc<str>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let gateway_source = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
        _ => None,
    };
    let from_cloudfront = secret.as_deref().is_some_and(|secret| {
        request
            .headers()
            .get(ORIGIN_SECRET_HEADER)
            .is_some_and(|sent| constant_time_eq(sent.as_bytes(), secret.as_bytes()))
    });
    let viewer = from_cloudfront
        .then(|| request.headers().get("cloudfront-viewer-address"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(viewer_ip);
    request
        .extensions_mut()
        .insert(ClientSource(viewer.or(gateway_source)));
    next.run(request).await
}

/// `CloudFront-Viewer-Address` is `ip:port`, with IPv6 addresses unbracketed (`2001:db8::1:443`).
fn viewer_ip(value: &str) -> Option<String> {
    let (ip, _port) = value.rsplit_once(':')?;
    ip.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_addresses_of_both_families_are_read() {
        assert_eq!(
            viewer_ip("198.51.100.7:50123").as_deref(),
            Some("198.51.100.7")
        );
        assert_eq!(viewer_ip("2001:db8::1:443").as_deref(), Some("2001:db8::1"));
        assert_eq!(viewer_ip("not an address:1"), None);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
