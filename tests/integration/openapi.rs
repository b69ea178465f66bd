//! The OpenAPI document describes every endpoint the router has, and nothing it does not.

use tests::{body, TestApp};

#[tokio::test]
async fn every_endpoint_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let document = body(app.client().get("/api/openapi.json").await).await;
    assert_eq!(document["openapi"], "3.0.3");
    let mut missing = Vec::new();
    for spec in api::http::catalog() {
        let operation = &document["paths"][spec.path][spec.method.as_str().to_lowercase()];
        if operation.is_null() {
            missing.push(format!("{} {}", spec.method, spec.path));
            continue;
        }
        assert!(
            operation["responses"]["default"].is_object(),
            "{} {} documents its errors",
            spec.method,
            spec.path
        );
        let public = spec.access == api::http::Access::Public;
        assert_eq!(
            operation["security"].is_null(),
            public,
            "{} {} security",
            spec.method,
            spec.path
        );
    }
    assert!(
        missing.is_empty(),
        "endpoints missing from the OpenAPI document: {missing:?}"
    );
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(
        operations,
        api::http::catalog().len(),
        "no operation without an endpoint"
    );
    // Schemas are real: the child record's shape is described, with its nested types.
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for name in [
        "ChildRecord",
        "ChildInput",
        "Eligibility",
        "EventRecord",
        "ApiErrorBody",
        "ErrorCode",
    ] {
        assert!(schemas.contains_key(name), "{name} in components");
    }
}
