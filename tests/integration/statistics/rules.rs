//! The statistics' edges: bad filter values refused in both languages, a year turning at
//! Beijing midnight and an age the day after the birthday, and the export.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, VILLAGE};

use super::{check_links, Demo};

async fn refused(client: &Client, path: &str, fields: &[&str]) {
    let response = client.get(path).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
    let error = body(response).await;
    let named: Vec<&str> = error["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| field["field"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(named, fields, "{path}: {error}");
    for field in error["fields"].as_array().into_iter().flatten() {
        for language in ["message", "message_en"] {
            let message = field[language].as_str().unwrap_or_default();
            assert!(!message.is_empty(), "{language}: {error}");
        }
    }
}

#[tokio::test]
async fn bad_filter_values_are_refused_naming_the_parameter_in_both_languages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    refused(&admin, "/api/children?age_band=7-9", &["age_band"]).await;
    refused(&admin, "/api/children?street=330303", &["street"]).await;
    refused(&admin, "/api/children?gender=x", &["gender"]).await;
    refused(
        &admin,
        "/api/children?guardianship_type=bad",
        &["guardianship_type"],
    )
    .await;
    refused(
        &admin,
        "/api/children?school_stage=college",
        &["school_stage"],
    )
    .await;
    refused(
        &admin,
        "/api/children?difficulty_group=rich",
        &["difficulty_group"],
    )
    .await;
    refused(&admin, "/api/children?paired=yes", &["paired"]).await;
    refused(
        &admin,
        "/api/children/count?registered_year=26&exited_year=twenty",
        &["registered_year", "exited_year"],
    )
    .await;
    refused(&admin, "/api/statistics?street=999999999", &["street"]).await;
    refused(&admin, "/api/statistics?village=330303", &["village"]).await;
    refused(
        &admin,
        &format!("/api/statistics?street=330303001&village={VILLAGE}"),
        &["village"],
    )
    .await;
    refused(&admin, "/api/statistics/export?format=pdf", &["format"]).await;
    // Empty values are no filter; good ones are accepted.
    for path in [
        "/api/children?gender=&age_band=",
        "/api/children?guardianship_type=none&school_stage=none&age_band=16%2B",
        "/api/children?difficulty_group=orphan&registered_year=2026&exited_year=2026",
    ] {
        assert_eq!(admin.get(path).await.status(), StatusCode::OK, "{path}");
    }
}

async fn register(admin: &Client, name: &str, birth: &str) -> String {
    let mut child = child_json(name, VILLAGE, birth);
    child["gender"] = json!("female");
    let response = admin
        .post("/api/children", &json!({ "child": child }))
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record["id"].as_str().expect("id").to_string()
}

async fn total(client: &Client, query: &str) -> u64 {
    body(client.get(&format!("/api/children/count?{query}")).await).await["total"]
        .as_u64()
        .expect("total")
}

#[tokio::test]
async fn a_year_turns_at_beijing_midnight_and_an_age_the_day_after_the_birthday() {
    // 23:59:59 on 31 December in Beijing.
    let clock = api::clock::Clock::fixed("2025-12-31T15:59:59Z".parse().expect("instant"));
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..tests::Options::default()
    })
    .await;
    let admin = app.admin().await;
    register(&admin, "年末登记", "2015-05-05").await;
    clock.advance(chrono::Duration::seconds(1));
    // Now 1 January 2026 in Beijing: born three years ago today, still 2 until tomorrow.
    let turning_three = register(&admin, "新年登记", "2023-01-01").await;

    assert_eq!(total(&admin, "registered_year=2025").await, 1);
    assert_eq!(total(&admin, "registered_year=2026").await, 1);
    assert_eq!(total(&admin, "age_band=0-2").await, 1);
    assert_eq!(total(&admin, "age_band=3-5").await, 0);
    assert_eq!(
        total(&admin, "gender=female&guardianship_type=none").await,
        2
    );

    let stats = check_links(&admin, "").await;
    assert_eq!(stats["as_of"], "2026-01-01");
    assert_eq!(stats["new_this_year"]["count"], 1);

    let record = body(admin.get(&format!("/api/children/{turning_three}")).await).await;
    let exited = admin
        .post(
            &format!("/api/children/{turning_three}/exit"),
            &json!({"version": record["version"], "reason": "迁出本区"}),
        )
        .await;
    assert_eq!(exited.status(), StatusCode::OK);
    assert_eq!(total(&admin, "exited_year=2026").await, 1);
    assert_eq!(total(&admin, "exited_year=2025").await, 0);

    clock.advance(chrono::Duration::days(1));
    // A new session: the first one has expired meanwhile.
    let admin = app.admin().await;
    assert_eq!(
        total(&admin, "age_band=3-5").await,
        1,
        "three from the next day"
    );
    let stats = check_links(&admin, "").await;
    assert_eq!(stats["exited_this_year"]["count"], 1);
}

#[tokio::test]
async fn the_export_holds_every_number_and_is_recorded() {
    let demo = Demo::start().await;
    let stats = body(demo.admin.get("/api/statistics").await).await;

    let xlsx = demo.admin.get("/api/statistics/export?format=xlsx").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        xlsx.bytes().await.expect("file").starts_with(b"PK"),
        "a zip"
    );

    let csv = demo.admin.get("/api/statistics/export?format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.expect("text");
    let monitored = format!("概况,监测中儿童,monitored,{}", stats["monitored"]["count"]);
    assert!(text.contains(&monitored), "{text}");
    for breakdown in stats["breakdowns"].as_array().expect("breakdowns") {
        for bucket in breakdown["buckets"].as_array().expect("buckets") {
            let line = format!(
                "{},{},{},{}",
                breakdown["title"]["zh"].as_str().unwrap_or_default(),
                bucket["label"]["zh"].as_str().unwrap_or_default(),
                bucket["key"].as_str().unwrap_or_default(),
                bucket["count"]
            );
            assert!(text.contains(&line), "{line} in {text}");
        }
    }

    // A director exports their own villages' numbers.
    let mine = demo.director.get("/api/statistics/export").await;
    assert_eq!(mine.status(), StatusCode::OK);

    let log = body(demo.admin.get("/api/audit").await).await;
    let exports: Vec<&Value> = log["items"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["action"] == "statistics_exported")
        .collect();
    assert_eq!(exports.len(), 3, "{log}");
    assert!(exports.iter().any(|entry| entry["detail"] == "all csv"));
}
