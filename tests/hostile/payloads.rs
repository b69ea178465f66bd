use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, TestApp, VILLAGE};

const NASTY: [&str; 8] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE children; --",
    "{{7*7}}${7*7}",
    "\u{202e}反转\u{202d}",
    "\0\u{1}\u{7f}",
    "𠜎𠜱𠝹𠱓𠱸𠲖𠳏",
    "../../etc/passwd",
];

/// Every text field of the main request types gets each nasty value and a very long string:
/// the answer is a 2xx (stored as text) or a clear 4xx, never a 5xx.
#[tokio::test]
async fn nasty_and_huge_text_in_every_field_gets_a_clear_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let huge = "长".repeat(100_000);
    let child_fields = [
        "name",
        "residence_detail",
        "school",
        "class_name",
        "interests",
        "id_number",
        "residence_village",
    ];
    let mut values: Vec<String> = NASTY.iter().map(|s| s.to_string()).collect();
    values.push(huge.clone());
    values.push("x".repeat(5000));
    let mut answered = 0;
    for field in child_fields {
        for value in &values {
            let mut child = child_json("测试", VILLAGE, "2015-06-01");
            child[field] = json!(value);
            let response = admin.post("/api/children", &json!({"child": child})).await;
            let status = response.status();
            assert!(!status.is_server_error(), "{field}={value:.20}: {status}");
            if status.is_client_error() {
                let error = body(response).await;
                assert!(
                    !error["message"].as_str().unwrap_or_default().is_empty(),
                    "{field}: {error}"
                );
                assert!(
                    !error["message_en"].as_str().unwrap_or_default().is_empty(),
                    "{field}: {error}"
                );
            }
            answered += 1;
        }
    }
    for field in ["username", "display_name", "phone"] {
        for value in &values {
            let mut user = json!({"username": "someone", "display_name": "某人", "role": "counsellor", "scope": {"kind": "own"}, "phone": "13800001111"});
            user[field] = json!(value);
            let status = admin.post("/api/users", &user).await.status();
            assert!(
                status.is_client_error() || status.is_success(),
                "{field}: {status}"
            );
            answered += 1;
        }
    }
    assert!(answered > 90);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::hash_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Random JSON sent to every endpoint that takes a body: never a 5xx.
#[tokio::test]
async fn random_bodies_never_cause_a_server_error() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let endpoints = [
        "/api/users",
        "/api/children",
        "/api/sites",
        "/api/events",
        "/api/auth/login",
        "/api/auth/activate",
        "/api/auth/register",
        "/api/auth/password",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 150,
        ..Config::default()
    });
    let mut bodies = Vec::new();
    for _ in 0..150 {
        bodies.push(any_json().new_tree(&mut runner).expect("a value").current());
    }
    for (i, value) in bodies.iter().enumerate() {
        let endpoint = endpoints[i % endpoints.len()];
        let response = admin.post(endpoint, value).await;
        assert!(
            !response.status().is_server_error(),
            "{endpoint} {value}: {}",
            response.status()
        );
        assert_ne!(
            response.status(),
            StatusCode::OK,
            "random data accepted at {endpoint}: {value}"
        );
    }
}
