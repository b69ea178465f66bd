//! DynamoDB's rules rather than the embedded engine's: the table is the deployed template's,
//! and when the store stays busy past the retry budget the caller gets 503 with `Retry-After`
//! — never a wrong business answer and never a 500.

use api::store::faults::FaultPlan;
use api::store::schema::{TableDefinition, INDEXES_USED};
use reqwest::StatusCode;
use serde_json::json;
use tests::{body, event, Options, TestApp};

fn sorted(mut definition: TableDefinition) -> TableDefinition {
    definition
        .attribute_definitions
        .sort_by(|a, b| a.attribute_name.cmp(&b.attribute_name));
    definition
        .global_secondary_indexes
        .sort_by(|a, b| a.index_name.cmp(&b.index_name));
    definition
}

#[tokio::test]
async fn the_table_every_test_uses_is_the_deployed_templates_attribute_by_attribute() {
    let app = TestApp::spawn().await;
    let live = app
        .server
        .state
        .store
        .describe_as_definition()
        .await
        .expect("the table describes itself");
    let template = TableDefinition::deployed().expect("the template has a table");
    assert_eq!(sorted(live), sorted(template.clone()));
    assert!(template
        .time_to_live_specification
        .as_ref()
        .is_some_and(|ttl| ttl.enabled && ttl.attribute_name == "expires_epoch"));
}

#[test]
fn the_template_declares_exactly_the_indexes_the_store_queries() {
    let template = TableDefinition::deployed().expect("the template has a table");
    let mut declared: Vec<&str> = template.index_names();
    declared.sort();
    let mut used = INDEXES_USED.to_vec();
    used.sort();
    assert_eq!(
        declared, used,
        "template indexes vs indexes the store queries"
    );

    // No index name in the store's source outside that list (a new GSI5 must be declared).
    let store_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/src/store");
    let mut files = Vec::new();
    rust_files(std::path::Path::new(store_dir), &mut files);
    assert!(files.len() > 10, "the store's sources are found");
    for path in files {
        let source = std::fs::read_to_string(&path).expect("readable source");
        for (index, _) in source.match_indices("\"GSI") {
            let name: String = source[index + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if name.ends_with("PK") || name.ends_with("SK") {
                let base = name.trim_end_matches("PK").trim_end_matches("SK");
                assert!(used.contains(&base), "{} uses {name}", path.display());
            } else {
                assert!(
                    used.contains(&name.as_str()),
                    "{} uses {name}",
                    path.display()
                );
            }
        }
    }
    // Every index key attribute is declared with a type.
    for index in &template.global_secondary_indexes {
        for part in &index.key_schema {
            assert!(template
                .attribute_definitions
                .iter()
                .any(|attribute| attribute.attribute_name == part.attribute_name));
        }
    }
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("store sources") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn a_template_missing_an_index_is_told_apart() {
    let without_gsi4 = api::store::schema::TEMPLATE.replace("IndexName: GSI4", "IndexName: GSI9");
    let changed = TableDefinition::from_template(&without_gsi4).expect("still a table");
    assert_ne!(changed, TableDefinition::deployed().unwrap());
    assert!(!changed.index_names().contains(&"GSI4"));
}

#[tokio::test]
async fn a_store_busy_past_the_budget_answers_503_with_retry_after_and_changes_nothing() {
    let app = TestApp::spawn_with(Options {
        faults: Some(FaultPlan { rate: 0.0, seed: 7 }),
        ..Options::default()
    })
    .await;
    let admin = app.admin().await;
    let id = event(
        &admin,
        "周末读书会",
        1,
        0,
        json!({"kind": "all_volunteers"}),
    )
    .await;
    let (token, _) = app.volunteers("busy", 1, "charity").await.remove(0);
    let http = reqwest::Client::new();
    let volunteer = tests::TokenClient::new(&app, &http, &token);
    let stats = app.server.fault_stats.clone().expect("a fault proxy");

    stats.set_rate(1.0);
    let signup = volunteer
        .post(&format!("/api/events/{id}/signup"), &json!({}))
        .await;
    assert_eq!(signup.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(signup.headers().contains_key("retry-after"));
    let answer = body(signup).await;
    assert_eq!(answer["code"], "busy");
    assert!(answer["message"].as_str().unwrap().contains("繁忙"));
    assert!(answer["message_en"].as_str().unwrap().contains("busy"));

    let sign_in = app.client().login("admin", "wrong password!").await;
    assert_eq!(
        sign_in.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "not 'wrong password'"
    );
    println!("at 100% faults: {}", app.fault_summary());

    stats.set_rate(0.0);
    let record = body(admin.get(&format!("/api/events/{id}")).await).await;
    assert_eq!(record["volunteers"]["confirmed"], 0, "nothing was changed");
    let again = volunteer
        .post(&format!("/api/events/{id}/signup"), &json!({}))
        .await;
    assert_eq!(body(again).await["status"], "confirmed");
    // The wrong password above was never evaluated, so it was not counted either.
    assert_eq!(
        app.client()
            .login("admin", tests::ADMIN_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_item_over_400_kb_is_refused_as_too_large_not_as_a_server_fault() {
    let app = TestApp::spawn().await;
    let entry = shared::api::AuditEntry {
        id: ulid::Ulid::new().to_string(),
        at: chrono::Utc::now(),
        action: shared::api::AuditAction::AuditRead,
        actor_id: None,
        actor_name: None,
        target: None,
        target_label: None,
        source: None,
        detail: Some("x".repeat(410 * 1024)),
    };
    let refused = app.server.state.store.append_audit(&entry).await;
    assert!(
        matches!(refused, Err(api::store::StoreError::TooLarge)),
        "{refused:?}"
    );
    let error = api::AppError::Store(api::store::StoreError::TooLarge);
    assert_eq!(
        error.code(),
        shared::ErrorCode::BodyTooLarge,
        "answered 413"
    );
}
