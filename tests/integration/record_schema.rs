//! Children stored by the schema-1 code (before the national form's fields) read without loss
//! and are written at the current schema by their next save. The fixture holds demo children as
//! that code stored them, byte for byte the attributes it wrote.

use serde_json::{json, Value};
use shared::children::CHILD_SCHEMA_VERSION;
use tests::{body, TestApp};

const FIXTURE: &str = include_str!("../fixtures/children_schema1.json");

/// Every value in `old` is in `new` at the same place (new fields may be added around them).
fn assert_kept(path: &str, old: &Value, new: &Value) {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, value) in old {
                let inner = new.get(key).unwrap_or(&Value::Null);
                assert_kept(&format!("{path}.{key}"), value, inner);
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            assert_eq!(old.len(), new.len(), "{path}: length");
            for (i, (a, b)) in old.iter().zip(new).enumerate() {
                assert_kept(&format!("{path}[{i}]"), a, b);
            }
        }
        _ => assert_eq!(old, new, "{path}"),
    }
}

async fn put_raw(app: &TestApp, stored: &Value) {
    let store = &app.server.state.store;
    let item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> =
        serde_dynamo::to_item(stored).expect("the fixture converts to an item");
    // Straight to the table, past the portal's retries: under the fault-injecting pass, retried
    // here as DynamoDB's clients do.
    for attempt in 0.. {
        let sent = store
            .client()
            .put_item()
            .table_name(store.table())
            .set_item(Some(item.clone()))
            .send()
            .await;
        match sent {
            Ok(_) => return,
            Err(error) if attempt < 20 => {
                let _ = error;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(error) => panic!("the raw item is stored: {error:?}"),
        }
    }
}

async fn stored_item(app: &TestApp, id: &str) -> Value {
    let store = &app.server.state.store;
    for attempt in 0.. {
        let read = store
            .client()
            .get_item()
            .table_name(store.table())
            .key(
                "PK",
                aws_sdk_dynamodb::types::AttributeValue::S(format!("CHILD#{id}")),
            )
            .key(
                "SK",
                aws_sdk_dynamodb::types::AttributeValue::S("PROFILE".into()),
            )
            .consistent_read(true)
            .send()
            .await;
        match read {
            Ok(out) => {
                return serde_dynamo::from_item(out.item().cloned().expect("stored")).expect("json")
            }
            Err(error) if attempt < 20 => {
                let _ = error;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(error) => panic!("read: {error:?}"),
        }
    }
    unreachable!("the loop returns or panics")
}

#[tokio::test]
async fn schema_1_records_read_without_loss_and_are_upgraded_by_their_next_save() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let fixture: Vec<Value> = serde_json::from_str(FIXTURE).expect("fixture parses");
    assert!(
        fixture.len() >= 10,
        "the fixture covers several kinds of record"
    );
    for stored in &fixture {
        assert!(
            stored.get("schema_version").is_none(),
            "written before versions"
        );
        put_raw(&app, stored).await;
    }

    // Every record reads, with everything it held, as schema 1.
    for stored in &fixture {
        let id = stored["PK"]
            .as_str()
            .and_then(|pk| pk.strip_prefix("CHILD#"))
            .expect("id");
        let response = admin.get(&format!("/api/children/{id}")).await;
        assert_eq!(response.status(), 200, "{id}");
        let record = body(response).await;
        assert_eq!(record["schema_version"], 1, "{id}");
        for field in [
            "child",
            "eligibility",
            "status",
            "care_level_history",
            "exit",
        ] {
            assert_kept(field, &stored[field], &record[field]);
        }
        assert_eq!(record["version"], stored["version"]);
        // The fields the old shape lacked read as "not recorded".
        assert_eq!(record["child"]["national"]["ethnicity"], Value::Null);
        assert_eq!(record["child"]["national"]["difficulty_groups"], json!([]));
        assert_eq!(record["child"]["father"]["id_number"], Value::Null);
    }

    // The registry lists them from the indexes the old code wrote.
    let list = body(admin.get("/api/children").await).await;
    assert_eq!(list["total"], fixture.len());

    // A save upgrades one: stored at the current schema, the old content intact, the new
    // fields written.
    for stored in fixture
        .iter()
        .filter(|s| s["status"] == "monitored")
        .take(3)
    {
        let id = stored["PK"]
            .as_str()
            .and_then(|pk| pk.strip_prefix("CHILD#"))
            .expect("id");
        let record = body(admin.get(&format!("/api/children/{id}")).await).await;
        let mut child = record["child"].clone();
        child["national"]["ethnicity"] = json!("01");
        child["national"]["schooling"] = json!("primary");
        let saved = admin
            .put(
                &format!("/api/children/{id}"),
                &json!({"version": record["version"], "child": child}),
            )
            .await;
        assert_eq!(saved.status(), 200, "{id}");
        let saved = body(saved).await;
        assert_eq!(saved["schema_version"], CHILD_SCHEMA_VERSION);

        let raw = stored_item(&app, id).await;
        assert_eq!(raw["schema_version"], CHILD_SCHEMA_VERSION);
        assert_eq!(raw["child"]["national"]["ethnicity"], "01");
        assert_kept("child", &stored["child"], &raw["child"]);
        assert_eq!(raw["created_at"], stored["created_at"]);
        assert_eq!(raw["GSI1PK"], stored["GSI1PK"]);
        assert_eq!(raw["claim_keys"], stored["claim_keys"]);

        let again = body(admin.get(&format!("/api/children/{id}")).await).await;
        assert_eq!(again["child"]["national"]["schooling"], "primary");
        assert_eq!(again["schema_version"], CHILD_SCHEMA_VERSION);
    }
}
