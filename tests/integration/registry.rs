//! The children registry on the embedded engine: scopes, eligibility, duplicates, versions,
//! review and exit, audit.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, id_number, Client, TestApp, OTHER_VILLAGE, VILLAGE};

async fn create(client: &Client, child: Value) -> Value {
    let response = client.post("/api/children", &json!({"child": child})).await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record
}

async fn put(client: &Client, id: &str, version: u64, child: Value) -> reqwest::Response {
    client
        .http
        .put(format!("{}/api/children/{id}", client.base))
        .json(&json!({"version": version, "child": child}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_director_registers_children_of_their_villages_only_and_sees_ids_masked() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "director.wang", "director").await;

    let mut child = child_json("李小明", VILLAGE, "2015-06-01");
    let id_number = id_number("20150601", 1);
    child["id_number"] = json!(id_number);
    let record = create(&director, child).await;
    assert_eq!(record["eligibility"]["eligible"], true);
    assert_eq!(
        record["eligibility"]["reasons"].as_array().unwrap().len(),
        3
    );
    let masked = record["child"]["id_number"].as_str().unwrap();
    // The region only: the rest is the date of birth (shown anyway), a sequence and a check
    // character, and showing the last four would give the whole number away.
    assert_eq!(masked, "330303************");
    assert_eq!(record["id_number_masked"], true);
    let id = record["id"].as_str().unwrap();

    // The director's own read is masked; the admin's detail view shows it, and is audited so.
    let mine = body(director.get(&format!("/api/children/{id}")).await).await;
    assert!(mine["child"]["id_number"]
        .as_str()
        .unwrap()
        .contains("********"));
    let full = body(admin.get(&format!("/api/children/{id}")).await).await;
    assert_eq!(full["child"]["id_number"], id_number.as_str());
    let log = body(admin.get(&format!("/api/audit?target=child:{id}")).await).await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["child_id_number_viewed", "child_viewed", "child_created"]
    );

    // Another village is out of scope: cannot create there.
    let outside = director
        .post(
            "/api/children",
            &json!({"child": child_json("赵六", OTHER_VILLAGE, "2015-06-01")}),
        )
        .await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_child_outside_the_scope_is_404_not_403() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let record = create(&admin, child_json("陈小红", OTHER_VILLAGE, "2014-02-03")).await;
    let id = record["id"].as_str().unwrap();
    let director = app.user(&admin, "director.zhou", "director").await;
    let response = director.get(&format!("/api/children/{id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let edit = put(
        &director,
        id,
        1,
        child_json("陈小红", VILLAGE, "2014-02-03"),
    )
    .await;
    assert_eq!(edit.status(), StatusCode::NOT_FOUND);
    let listed = body(director.get("/api/children").await).await;
    assert!(listed["items"].as_array().unwrap().is_empty());
    let other_village = director
        .get(&format!("/api/children?village={OTHER_VILLAGE}"))
        .await;
    assert_eq!(other_village.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_server_decides_eligibility_and_explains_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut child = child_json("周小雨", VILLAGE, "2016-01-01");
    child["father"] = json!({"situation": {"kind": "working_away", "county_code": "330302", "since": "2023-01-01"}});
    child["mother"] = json!({"situation": {"kind": "at_home", "capacity": "capable"}});
    let record = create(&admin, child.clone()).await;
    assert_eq!(record["eligibility"]["eligible"], false);
    let parents = &record["eligibility"]["reasons"][2];
    assert_eq!(parents["met"], false);
    assert!(parents["text"]["zh"].as_str().unwrap().contains("主城区"));
    assert!(parents["text"]["en"]
        .as_str()
        .unwrap()
        .contains("core district"));

    // Core districts are configuration: without Lucheng as core, the father counts as away,
    // but the capable mother at home still makes the child not eligible.
    let changed = admin
        .http
        .put(format!("{}/api/settings/core-districts", app.url))
        .json(&json!({"cities": [{"city_code": "3303", "county_codes": ["330303", "330304"]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    child["mother"] = json!({"situation": {"kind": "at_home", "capacity": "seriously_ill"}});
    let id = record["id"].as_str().unwrap();
    let saved = body(put(&admin, id, 1, child).await).await;
    assert_eq!(saved["eligibility"]["eligible"], true, "{saved}");
    let bad_config = admin
        .http
        .put(format!("{}/api/settings/core-districts", app.url))
        .json(&json!({"cities": [{"city_code": "3303", "county_codes": ["110101"]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_config.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn id_numbers_must_match_the_record_and_duplicates_are_flagged() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut child = child_json("吴小华", VILLAGE, "2015-06-01");
    child["id_number"] = json!(id_number("20150602", 1));
    let mismatch = admin.post("/api/children", &json!({"child": child})).await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(mismatch).await;
    assert_eq!(error["fields"][0]["field"], "id_number");
    assert!(error["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("出生日期"));

    let mut first = child_json("吴小华", VILLAGE, "2015-06-01");
    first["id_number"] = json!(id_number("20150601", 3));
    let first = create(&admin, first).await;
    assert!(first["duplicates"].as_array().unwrap().is_empty());
    // Same ID number, different name.
    let mut second = child_json("吴晓华", VILLAGE, "2015-06-01");
    second["id_number"] = json!(id_number("20150601", 3));
    let second = create(&admin, second).await;
    assert_eq!(second["duplicates"][0]["child_id"], first["id"]);
    assert_eq!(second["duplicates"][0]["reason"]["en"], "Same ID number");
    // Same name and date of birth, no ID number.
    let third = create(&admin, child_json("吴小华", OTHER_VILLAGE, "2015-06-01")).await;
    assert_eq!(
        third["duplicates"][0]["reason"]["en"],
        "Same name and date of birth"
    );
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_care_level_changes_need_a_reason() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let record = create(&admin, child_json("孙小美", VILLAGE, "2013-09-09")).await;
    let id = record["id"].as_str().unwrap();
    let mut child = child_json("孙小美", VILLAGE, "2013-09-09");
    child["care_level"] = json!("focus");
    let no_reason = put(&admin, id, 1, child.clone()).await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    child["care_level_reason"] = json!("成绩下滑,情绪低落");
    let saved = body(put(&admin, id, 1, child.clone()).await).await;
    assert_eq!(saved["version"], 2);
    let history = saved["care_level_history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["level"], "focus");
    assert_eq!(history[1]["reason"], "成绩下滑,情绪低落");

    let stale = put(&admin, id, 1, child).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let log = body(admin.get(&format!("/api/audit?target=child:{id}")).await).await;
    let update = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "child_updated")
        .unwrap();
    let changes: Value = serde_json::from_str(update["detail"].as_str().unwrap()).unwrap();
    assert!(changes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["field"] == "care_level" && c["before"] == "routine" && c["after"] == "focus"));
}

#[tokio::test]
async fn lists_search_filter_and_record_what_was_shown() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut with_id = child_json("郑一", VILLAGE, "2012-12-12");
    let number = id_number("20121212", 5);
    with_id["id_number"] = json!(number);
    create(&admin, with_id).await;
    let mut urgent = child_json("郑二", OTHER_VILLAGE, "2011-01-01");
    urgent["care_level"] = json!("urgent");
    create(&admin, urgent).await;
    create(&admin, child_json("钱三", VILLAGE, "2011-01-01")).await;

    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let all = body(admin.get("/api/children").await).await;
    assert_eq!(names(&all).len(), 3);
    assert!(all["items"][0].get("id_number").is_none());
    let by_name = body(admin.get("/api/children?q=%E9%83%91").await).await; // 郑
    assert_eq!(names(&by_name), ["郑一", "郑二"]);
    let by_tail = body(
        admin
            .get(&format!("/api/children?q={}", &number[14..]))
            .await,
    )
    .await;
    assert_eq!(names(&by_tail), ["郑一"]);
    let by_village = body(
        admin
            .get(&format!("/api/children?village={OTHER_VILLAGE}"))
            .await,
    )
    .await;
    assert_eq!(names(&by_village), ["郑二"]);
    let by_level = body(admin.get("/api/children?care_level=urgent").await).await;
    assert_eq!(names(&by_level), ["郑二"]);
    let bad_filter = admin.get("/api/children?care_level=extreme").await;
    assert_eq!(bad_filter.status(), StatusCode::BAD_REQUEST);

    let log = body(admin.get("/api/audit").await).await;
    let listed = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "children_listed")
        .unwrap();
    assert_eq!(
        listed["detail"].as_str().unwrap().split(',').count(),
        1,
        "the last list showed one child"
    );
}

#[tokio::test]
async fn children_turning_16_appear_for_review_and_an_admin_confirms_their_exit() {
    let clock = api::clock::Clock::fixed("2026-11-28T17:30:00Z".parse().unwrap()); // 01:30 on 29 Nov in Beijing
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let turning = create(&admin, child_json("林十六", VILLAGE, "2010-11-28")).await;
    create(&admin, child_json("林十五", VILLAGE, "2011-11-29")).await;
    let review = body(admin.get("/api/children/review").await).await;
    let items = review.as_array().unwrap();
    assert_eq!(items.len(), 1, "{review}");
    assert_eq!(items[0]["child"]["name"], "林十六");
    assert!(items[0]["reasons"][0]["zh"]
        .as_str()
        .unwrap()
        .contains("已满十六周岁"));

    let id = turning["id"].as_str().unwrap();
    let no_reason = admin
        .post(
            &format!("/api/children/{id}/exit"),
            &json!({"version": 1, "reason": ""}),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let exited = body(
        admin
            .post(
                &format!("/api/children/{id}/exit"),
                &json!({"version": 1, "reason": "年满16周岁"}),
            )
            .await,
    )
    .await;
    assert_eq!(exited["status"], "left_monitoring");
    assert_eq!(exited["exit"]["on"], "2026-11-29");
    assert!(body(admin.get("/api/children/review").await)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // Kept, not deleted.
    assert_eq!(
        admin.get(&format!("/api/children/{id}")).await.status(),
        StatusCode::OK
    );
    let kept = body(admin.get("/api/children?status=left_monitoring").await).await;
    assert_eq!(kept["items"].as_array().unwrap().len(), 1);
}
