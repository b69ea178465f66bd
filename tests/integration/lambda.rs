//! API Gateway HTTP API (payload format 2.0) events, kept in `tests/events/`, fed through the
//! real Lambda adapter and the real router, on the embedded engine.

use api::clock::Clock;
use api::config::Settings;
use api::store::embedded::{EmbeddedEngine, EngineFile};
use api::AppState;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use serde_json::Value;

struct LambdaHarness {
    _engine: EmbeddedEngine,
    state: AppState,
}

impl LambdaHarness {
    async fn new() -> Self {
        let engine = EmbeddedEngine::start(EngineFile::InMemory).await.unwrap();
        let settings = Settings {
            secure_cookies: true,
            origin_secret: Some("test-origin-secret".into()),
            ..Settings::default()
        };
        let state = AppState::new(
            engine.store(&settings.table_name).await.unwrap(),
            settings,
            Clock::system(),
        );
        api::accounts::bootstrap_admin(&state, Some(tests::ADMIN_PASSWORD.into()))
            .await
            .unwrap();
        Self {
            _engine: engine,
            state,
        }
    }

    /// Runs one event file through the adapter and returns the Lambda response as JSON, exactly
    /// as the runtime would send it back to API Gateway.
    async fn invoke(&self, event_file: &str) -> Value {
        let path = format!("{}/events/{event_file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let request: LambdaRequest = serde_json::from_str(&text).unwrap();
        let mut adapter = Adapter::from(api::lambda::app(self.state.clone()));
        let response = adapter
            .call(LambdaEvent::new(request, Context::default()))
            .await
            .unwrap();
        serde_json::to_value(response).unwrap()
    }
}

fn body_json(response: &Value) -> Value {
    let body = response["body"].as_str().unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|_| panic!("body is not JSON: {body}"))
}

#[tokio::test]
async fn health_event_answers_200_with_json() {
    let harness = LambdaHarness::new().await;
    let response = harness.invoke("health.json").await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(response["headers"]["content-type"], "application/json");
    assert_eq!(response["headers"]["cache-control"], "no-store");
    assert_eq!(body_json(&response)["store"], "ok");
}

#[tokio::test]
async fn login_event_sets_a_secure_session_cookie_and_audits_the_gateway_source_ip() {
    let harness = LambdaHarness::new().await;
    for event in ["login.json", "login-base64.json"] {
        let response = harness.invoke(event).await;
        assert_eq!(response["statusCode"], 200, "{event}: {response}");
        let cookies = response["cookies"]
            .as_array()
            .expect("cookies in a v2 response");
        let cookie = cookies[0].as_str().unwrap();
        assert!(cookie.starts_with("shouwang_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("Secure"),
            "{cookie}"
        );
        assert_eq!(body_json(&response)["username"], "admin");
    }
    let log = harness
        .state
        .store
        .list_audit(
            &api::store::audit::AuditFilter::Month {
                year: chrono::Datelike::year(&shared::time::beijing_date(chrono::Utc::now())),
                month: chrono::Datelike::month(&shared::time::beijing_date(chrono::Utc::now())),
            },
            None,
            10,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(log
        .items
        .iter()
        .any(|entry| entry.source.as_deref() == Some("203.0.113.9")));
}

#[tokio::test]
async fn behind_cloudfront_the_audit_records_the_viewer_not_the_edge_and_a_forged_header_is_ignored(
) {
    let harness = LambdaHarness::new().await;
    for event in [
        "login-via-cloudfront.json",
        "login-forged-viewer-address.json",
    ] {
        let response = harness.invoke(event).await;
        assert_eq!(response["statusCode"], 200, "{event}: {response}");
    }
    let now = shared::time::beijing_date(chrono::Utc::now());
    let log = harness
        .state
        .store
        .list_audit(
            &api::store::audit::AuditFilter::Month {
                year: chrono::Datelike::year(&now),
                month: chrono::Datelike::month(&now),
            },
            None,
            20,
        )
        .await
        .unwrap()
        .unwrap();
    let sources: Vec<&str> = log
        .items
        .iter()
        .filter_map(|entry| entry.source.as_deref())
        .collect();
    assert!(sources.contains(&"198.51.100.7"), "the viewer: {sources:?}");
    assert!(
        !sources.contains(&"130.176.1.21"),
        "not the edge: {sources:?}"
    );
    assert!(
        sources.contains(&"203.0.113.77"),
        "direct caller: {sources:?}"
    );
    assert!(
        !sources.contains(&"192.0.2.66"),
        "forged header ignored: {sources:?}"
    );
}

#[tokio::test]
async fn refused_events_answer_with_clear_errors() {
    let harness = LambdaHarness::new().await;
    let cases = [
        ("login-wrong-password.json", 401, "invalid_credentials"),
        ("me-without-session.json", 401, "unauthenticated"),
        ("me-with-forged-session.json", 401, "unauthenticated"),
        ("users-malformed-json.json", 401, "unauthenticated"),
        ("unknown-path.json", 404, "not_found"),
    ];
    for (event, status, code) in cases {
        let response = harness.invoke(event).await;
        assert_eq!(response["statusCode"], status, "{event}");
        let error = body_json(&response);
        assert_eq!(error["code"], code, "{event}");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
}
