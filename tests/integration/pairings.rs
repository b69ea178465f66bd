//! Pairings on the embedded engine: vetting, lifecycle with reasons, the two invariants under 200
//! concurrent attempts, the volunteer's limited view, suspension flags, overdue contacts.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, TokenClient, VILLAGE};

async fn approve(admin: &Client, volunteer: &str, max: u32) {
    let response = admin
        .post(&format!("/api/volunteers/{volunteer}/vetting"), &json!({"decision": "approve",
            "background_check": {"checked_on": "2026-11-01", "result": "clear"}, "max_children": max}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        body(response).await
    );
}

async fn child(admin: &Client, name: &str) -> String {
    let mut child = child_json(name, VILLAGE, "2015-06-01");
    child["interests"] = json!("画画、足球");
    body(admin.post("/api/children", &json!({"child": child})).await).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn propose(admin: &Client, child: &str, volunteer: &str) -> String {
    let response = admin
        .post(
            "/api/pairings",
            &json!({"child_id": child, "volunteer_id": volunteer}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn vetting_needs_a_background_check_and_pairings_need_reasons_to_end() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, volunteer) = app
        .volunteers("mama", 1, "womens_federation")
        .await
        .remove(0);
    let child = child(&admin, "宋小禾").await;
    // Not vetted yet: cannot be paired.
    let early = admin
        .post(
            "/api/pairings",
            &json!({"child_id": child, "volunteer_id": volunteer}),
        )
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let no_check = admin
        .post(
            &format!("/api/volunteers/{volunteer}/vetting"),
            &json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(no_check.status(), StatusCode::UNPROCESSABLE_ENTITY);
    approve(&admin, &volunteer, 1).await;

    let pairing = propose(&admin, &child, &volunteer).await;
    let active = body(
        admin
            .post(&format!("/api/pairings/{pairing}/activate"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(active["state"], "active");
    let no_reason = admin
        .post(
            &format!("/api/pairings/{pairing}/end"),
            &json!({"reason": "other"}),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ended = body(
        admin
            .post(
                &format!("/api/pairings/{pairing}/end"),
                &json!({"reason": "volunteer_withdrew", "note": "搬家"}),
            )
            .await,
    )
    .await;
    assert_eq!(ended["ended"]["reason"], "volunteer_withdrew");
    // A cancelled proposal, then a new pairing: the child's history keeps all of them.
    let second = propose(&admin, &child, &volunteer).await;
    assert_eq!(
        admin
            .post(&format!("/api/pairings/{second}/cancel"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let history = body(admin.get(&format!("/api/children/{child}/pairings")).await).await;
    let states: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["ended", "cancelled"]);
}

#[tokio::test]
async fn of_200_concurrent_activations_a_child_gets_one_pairing_and_a_volunteer_no_more_than_their_maximum(
) {
    concurrent_activations(TestApp::spawn().await).await;
}

#[tokio::test]
async fn concurrent_activations_hold_with_a_fifth_of_store_calls_faulted() {
    concurrent_activations(TestApp::spawn_with_faults(0.2, 20).await).await;
}

async fn concurrent_activations(app: TestApp) {
    let admin = app.admin().await;
    let volunteers = app.volunteers("many", 200, "charity").await;
    for (_, id) in &volunteers {
        approve(&admin, id, 1).await;
    }
    let child_id = child(&admin, "岳小山").await;
    let mut proposals = Vec::new();
    for (_, id) in &volunteers {
        proposals.push(propose(&admin, &child_id, id).await);
    }
    let empty = json!({});
    let activate = |id: &String| {
        let admin = &admin;
        let empty = &empty;
        let path = format!("/api/pairings/{id}/activate");
        async move { admin.post(&path, empty).await }
    };
    let answers = join_all(proposals.iter().map(activate)).await;
    let ok = answers
        .iter()
        .filter(|a| a.status() == StatusCode::OK)
        .count();
    let refusals = answers
        .iter()
        .filter(|a| {
            a.status() == StatusCode::CONFLICT || a.status() == StatusCode::UNPROCESSABLE_ENTITY
        })
        .count();
    println!(
        "200 activations of one child: {ok} active, {refusals} refused; store: {}",
        app.fault_summary()
    );
    assert_eq!(ok, 1, "exactly one active pairing for the child");
    assert_eq!(
        ok + refusals,
        200,
        "every other answer is the business refusal"
    );
    let refused = answers
        .into_iter()
        .find(|a| a.status() != StatusCode::OK)
        .unwrap();
    assert!(body(refused).await["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("已有结对"));

    // One volunteer who may take 3 children, 200 children proposed at once: exactly 3.
    let (_, busy) = app.volunteers("busy", 1, "charity").await.remove(0);
    approve(&admin, &busy, 3).await;
    let mut children = Vec::new();
    for i in 0..200 {
        let id = app_child(&app, i).await;
        children.push(propose(&admin, &id, &busy).await);
    }
    let answers = join_all(children.iter().map(activate)).await;
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.status() == StatusCode::OK)
            .count(),
        3
    );
    let volunteers = body(admin.get("/api/volunteers").await).await;
    let profile = volunteers
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == busy.as_str())
        .unwrap();
    assert_eq!(profile["active_pairings"], 3);
}

/// Children straight into the store, for the capacity rush (the registry API is tested elsewhere).
async fn app_child(app: &TestApp, i: usize) -> String {
    let state = &app.server.state;
    let today = shared::time::beijing_date(state.clock.now());
    let input: shared::children::ChildInput =
        serde_json::from_value(child_json(&format!("批量{i:03}"), VILLAGE, "2015-06-01")).unwrap();
    let input = input.validate(today).unwrap();
    let child = api::store::children::ChildItem {
        id: ulid::Ulid::new().to_string(),
        version: 1,
        eligibility: input.eligibility(today, &Default::default()),
        care_level_history: Vec::new(),
        child: input,
        status: shared::children::MonitoringStatus::Monitored,
        exit: None,
        duplicates: Vec::new(),
        created_at: state.clock.now(),
        created_by: "test".into(),
        updated_at: state.clock.now(),
        updated_by: "test".into(),
        schema_version: shared::children::CHILD_SCHEMA_VERSION,
    };
    state.store.put_new_child(&child).await.unwrap();
    child.id
}

#[tokio::test]
async fn a_volunteer_sees_only_a_limited_profile_logs_contacts_and_is_flagged_when_suspended() {
    let clock = api::clock::Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.pair", "director").await;
    let (token, volunteer) = app
        .volunteers("mom", 1, "womens_federation")
        .await
        .remove(0);
    approve(&admin, &volunteer, 1).await;
    let mut record = child_json("欧阳小雪", VILLAGE, "2015-06-01");
    record["id_number"] = json!(tests::id_number("20150601", 3));
    let child = body(admin.post("/api/children", &json!({"child": record})).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = tests::child_json("别的孩子", VILLAGE, "2015-06-01");
    let other = body(admin.post("/api/children", &json!({"child": other})).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pairing = propose(&admin, &child, &volunteer).await;
    admin
        .post(&format!("/api/pairings/{pairing}/activate"), &json!({}))
        .await;

    let http = reqwest::Client::new();
    let mom = TokenClient::new(&app, &http, &token);
    let raw = mom.get("/api/me/pairings").await.text().await.unwrap();
    let mine: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(mine[0]["child"]["given_name"], "小雪");
    for secret in [
        "欧阳小雪",
        "330303",
        "示例路",
        "440106",
        "id_number",
        "father",
        "mother",
        "notes",
    ] {
        assert!(
            !raw.contains(secret),
            "{secret} must not reach the volunteer: {raw}"
        );
    }
    assert_eq!(
        mom.get(&format!("/api/children/{other}")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        mom.get(&format!("/api/cases/{other}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // Overdue after 30 days without contact; a contact clears it; a concern tells admin and director.
    clock.advance(chrono::Duration::days(31));
    let mom = TokenClient::new(&app, &http, &app.session_for(&volunteer).await);
    let admin = app.admin().await;
    assert_eq!(
        body(mom.get("/api/me/pairings").await).await[0]["contact_overdue"],
        true
    );
    let board = body(admin.get("/api/pairings/board").await).await;
    assert_eq!(board["overdue"].as_array().unwrap().len(), 1);
    let today = shared::time::beijing_date(clock.now());
    let logged = mom.post(&format!("/api/me/pairings/{pairing}/contacts"), &json!({"date": today, "mode": "home_visit", "minutes": 60, "summary": "一起画画", "concern": true})).await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    assert_eq!(
        body(mom.get("/api/me/pairings").await).await[0]["contact_overdue"],
        false
    );
    let director = {
        let _ = director;
        let fresh = app.client();
        fresh.login_ok("dir.pair", tests::PASSWORD).await;
        fresh
    };
    let admin = app.admin().await;
    assert!(
        body(director.get("/api/notifications").await).await[0]["text"]["zh"]
            .as_str()
            .unwrap()
            .contains("关注事项")
    );
    let detail = body(admin.get(&format!("/api/pairings/{pairing}")).await).await;
    assert_eq!(detail["contacts"][0]["summary"], "一起画画");

    // Suspension flags the pairing at once.
    let suspend = admin
        .post(
            &format!("/api/volunteers/{volunteer}/vetting"),
            &json!({"decision": "suspend", "reason": "核查中"}),
        )
        .await;
    assert_eq!(suspend.status(), StatusCode::OK);
    let board = body(admin.get("/api/pairings/board").await).await;
    assert_eq!(board["flagged"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn suggestions_put_the_same_village_and_shared_interests_first_and_say_why() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let vols = app.volunteers("sug", 2, "charity").await;
    for (_, id) in &vols {
        approve(&admin, id, 1).await;
    }
    let http = reqwest::Client::new();
    let village = shared::divisions::village_name(VILLAGE).unwrap();
    let near = TokenClient::new(&app, &http, &vols[1].0);
    let updated = near.http.put(format!("{}/api/me/profile", app.url)).header("cookie", format!("shouwang_session={}", vols[1].0))
        .json(&json!({"skills": "", "interests": "足球", "availability": format!("周末,住{village}")})).send().await.unwrap();
    assert_eq!(updated.status(), StatusCode::OK);
    let child = child(&admin, "骆小川").await;
    let list = body(
        admin
            .get(&format!("/api/pairings/suggestions?child_id={child}"))
            .await,
    )
    .await;
    assert_eq!(list[0]["volunteer"]["user_id"], vols[1].1.as_str());
    let why: Vec<&str> = list[0]["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["en"].as_str().unwrap())
        .collect();
    assert!(
        why.iter().any(|w| w.starts_with("Same village"))
            && why
                .iter()
                .any(|w| w.contains("football") || w.contains("足球")),
        "{why:?}"
    );
    drop(near);
}
