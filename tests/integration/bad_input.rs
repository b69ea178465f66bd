//! Malformed, mistyped, unknown and oversized input: a clear 4xx with a message, nothing written.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, Client, TestApp};

async fn user_count(admin: &Client) -> usize {
    body(admin.get("/api/users").await).await["items"]
        .as_array()
        .unwrap()
        .len()
}

async fn assert_refused(response: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let error = body(response).await;
    assert_eq!(error["code"], code, "{error}");
    assert!(!error["message"].as_str().unwrap_or_default().is_empty());
    assert!(!error["message_en"].as_str().unwrap_or_default().is_empty());
    error
}

#[tokio::test]
async fn bad_bodies_are_refused_clearly_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = user_count(&admin).await;

    let malformed = admin
        .post_raw(
            "/api/users",
            "application/json",
            b"{\"username\": ".to_vec(),
        )
        .await;
    assert_refused(malformed, StatusCode::BAD_REQUEST, "malformed_json").await;

    let wrong_type = admin
        .post(
            "/api/users",
            &json!({"username": 42, "display_name": "王芳", "role": "teacher",
                    "scope": {"kind": "school", "name": "一小"}}),
        )
        .await;
    let error = assert_refused(wrong_type, StatusCode::BAD_REQUEST, "invalid_body").await;
    assert!(error["detail"].as_str().unwrap().contains("invalid type"));

    let unknown_field = admin
        .post(
            "/api/users",
            &json!({"username": "sneaky", "display_name": "王芳", "role": "admin",
                    "scope": {"kind": "district"}, "status": "active"}),
        )
        .await;
    let error = assert_refused(unknown_field, StatusCode::BAD_REQUEST, "invalid_body").await;
    assert!(error["detail"].as_str().unwrap().contains("unknown field"));

    let unknown_role = admin
        .post(
            "/api/users",
            &json!({"username": "sneaky", "display_name": "王芳", "role": "superuser",
                    "scope": {"kind": "district"}}),
        )
        .await;
    assert_refused(unknown_role, StatusCode::BAD_REQUEST, "invalid_body").await;

    let oversized = admin
        .post(
            "/api/users",
            &json!({"username": "big", "display_name": "x".repeat(70_000), "role": "teacher",
                    "scope": {"kind": "school", "name": "一小"}}),
        )
        .await;
    assert_refused(oversized, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;

    let not_json = admin
        .post_raw("/api/users", "text/plain", b"username=x".to_vec())
        .await;
    assert_refused(
        not_json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let invalid_utf8 = admin
        .post_raw(
            "/api/users",
            "application/json",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'],
        )
        .await;
    assert!(invalid_utf8.status().is_client_error());

    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let nested = admin
        .post_raw("/api/users", "application/json", deep.into_bytes())
        .await;
    // Refused at the first level that does not fit the request type, never recursed into.
    assert_refused(nested, StatusCode::BAD_REQUEST, "invalid_body").await;

    let invalid_values = admin
        .post(
            "/api/users",
            &json!({"username": "x", "display_name": "<script>alert(1)</script>", "role": "teacher",
                    "scope": {"kind": "school", "name": ""}, "phone": "12345"}),
        )
        .await;
    let error = assert_refused(
        invalid_values,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
    let fields: Vec<&str> = error["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["username", "display_name", "scope", "phone"]);

    assert_eq!(user_count(&admin).await, before, "nothing was written");
}

#[tokio::test]
async fn bad_paths_and_methods_get_json_errors() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    assert_refused(
        admin.get("/api/no-such-thing").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let wrong_method = admin
        .http
        .delete(format!("{}/api/users", app.url))
        .send()
        .await
        .unwrap();
    assert_refused(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    let bad_id = admin.post("/api/users/not-an-id/approve", &json!({})).await;
    assert_refused(bad_id, StatusCode::NOT_FOUND, "not_found").await;
    let bad_query = admin.get("/api/users?status=royalty").await;
    assert_refused(bad_query, StatusCode::BAD_REQUEST, "invalid_body").await;
}
