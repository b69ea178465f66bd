//! Events and sign-ups on the embedded engine: capacity under a rush, waitlist order and
//! promotion, deadlines, overlaps, visibility, calendars and hours.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, event, event_at, TestApp, TokenClient, OTHER_VILLAGE, VILLAGE};

fn all() -> Value {
    json!({"kind": "all_volunteers"})
}

#[tokio::test]
async fn a_rush_of_1000_sign_ups_for_50_places_confirms_exactly_50_and_waitlists_the_rest_in_order()
{
    rush(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_rush_holds_with_a_fifth_of_store_calls_faulted() {
    rush(TestApp::spawn_with_faults(0.2, 10).await).await;
}

async fn rush(app: TestApp) {
    let admin = app.admin().await;
    let id = event(&admin, "寒假托管", 50, 0, all()).await;
    let volunteers = app.volunteers("rush", 1000, "charity").await;
    let http = reqwest::Client::new();
    let clients: Vec<TokenClient> = volunteers
        .iter()
        .map(|(token, _)| TokenClient::new(&app, &http, token))
        .collect();

    let responses = join_all(clients.iter().map(|client| {
        let path = format!("/api/events/{id}/signup");
        async move {
            let response = client.post(&path, &json!({})).await;
            (response.status(), body(response).await)
        }
    }))
    .await;
    let failed: Vec<_> = responses
        .iter()
        .filter(|(status, _)| *status != StatusCode::OK)
        .take(5)
        .collect();
    assert!(failed.is_empty(), "no errors: {failed:?}");
    let confirmed = responses
        .iter()
        .filter(|(_, s)| s["status"] == "confirmed")
        .count();
    let mut positions: Vec<u64> = responses
        .iter()
        .filter(|(_, s)| s["status"] == "waitlisted")
        .map(|(_, s)| s["position"].as_u64().unwrap())
        .collect();
    positions.sort();
    println!(
        "rush: {confirmed} confirmed, {} waitlisted, {} other; store: {}",
        positions.len(),
        responses.len() - confirmed - positions.len(),
        app.fault_summary()
    );
    assert_eq!(confirmed, 50);
    assert_eq!(
        positions,
        (1..=950).collect::<Vec<u64>>(),
        "every waitlist place once, in order"
    );
    let record = body(admin.get(&format!("/api/events/{id}")).await).await;
    assert_eq!(record["volunteers"]["confirmed"], 50);
    assert_eq!(record["volunteers"]["waitlisted"], 950);

    // Ten confirmed volunteers cancel: the first ten on the waitlist are promoted, and told.
    let cancellers: Vec<&TokenClient> = responses
        .iter()
        .zip(&clients)
        .filter(|((_, s), _)| s["status"] == "confirmed")
        .map(|(_, client)| client)
        .take(10)
        .collect();
    let cancel_path = format!("/api/events/{id}/signup/cancel");
    let empty = json!({});
    let cancelled = join_all(
        cancellers
            .iter()
            .map(|client| client.post(&cancel_path, &empty)),
    )
    .await;
    for response in cancelled {
        let status = response.status();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            response.text().await.unwrap_or_default()
        );
    }
    let roster = body(admin.get(&format!("/api/events/{id}/roster")).await).await;
    let signups = roster["signups"].as_array().unwrap();
    let count = |status: &str| signups.iter().filter(|s| s["status"] == status).count();
    assert_eq!(
        (count("confirmed"), count("waitlisted"), count("cancelled")),
        (50, 940, 10)
    );
    let first_waiting = signups
        .iter()
        .filter(|s| s["status"] == "waitlisted")
        .map(|s| s["position"].as_u64().unwrap())
        .min();
    assert_eq!(first_waiting, Some(11), "positions 1–10 were promoted");
    let promoted_index = responses
        .iter()
        .position(|(_, s)| s["position"] == 1)
        .unwrap();
    let told = body(clients[promoted_index].get("/api/notifications").await).await;
    assert!(
        told[0]["text"]["zh"].as_str().unwrap().contains("候补成功"),
        "{told}"
    );
}

#[tokio::test]
async fn double_sign_ups_overlaps_and_deadlines_are_refused_with_clear_messages() {
    let clock = api::clock::Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let first = event(&admin, "周末微课", 5, 0, all()).await;
    let site = body(admin.get("/api/sites").await).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let starts: chrono::DateTime<chrono::Utc> =
        body(admin.get(&format!("/api/events/{first}")).await).await["event"]["starts_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
    let clash = event_at(
        &admin,
        &site,
        "同时段心理课",
        5,
        0,
        all(),
        starts + chrono::Duration::hours(1),
    )
    .await;
    let volunteer = &app.volunteers("v", 1, "university").await[0];
    let http = reqwest::Client::new();
    let client = TokenClient::new(&app, &http, &volunteer.0);

    assert_eq!(
        client
            .post(&format!("/api/events/{first}/signup"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let twice = client
        .post(&format!("/api/events/{first}/signup"), &json!({}))
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(twice).await["fields"][0]["message_en"]
        .as_str()
        .unwrap()
        .contains("Already"));
    let overlap = client
        .post(&format!("/api/events/{clash}/signup"), &json!({}))
        .await;
    let error = body(overlap).await;
    assert!(
        error["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("周末微课"),
        "{error}"
    );

    // Past the cancellation deadline the place cannot be given back; past the sign-up deadline
    // nobody can join.
    clock.advance(chrono::Duration::days(5) + chrono::Duration::hours(1));
    let client = TokenClient::new(&app, &http, &app.session_for(&volunteer.1).await);
    let late_cancel = client
        .post(&format!("/api/events/{first}/signup/cancel"), &json!({}))
        .await;
    assert_eq!(late_cancel.status(), StatusCode::UNPROCESSABLE_ENTITY);
    clock.advance(chrono::Duration::days(1));
    let other = &app.volunteers("late", 1, "charity").await[0];
    let late = TokenClient::new(&app, &http, &other.0)
        .post(&format!("/api/events/{first}/signup"), &json!({}))
        .await;
    let error = body(late).await;
    assert!(
        error["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("截止"),
        "{error}"
    );
}

#[tokio::test]
async fn events_limited_to_organisations_are_invisible_to_others() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = event(
        &admin,
        "高校志愿者专场",
        5,
        0,
        json!({"kind": "organisations", "organisations": ["university"]}),
    )
    .await;
    let http = reqwest::Client::new();
    let student = TokenClient::new(
        &app,
        &http,
        &app.volunteers("stu", 1, "university").await[0].0,
    );
    let mother = TokenClient::new(
        &app,
        &http,
        &app.volunteers("mom", 1, "womens_federation").await[0].0,
    );
    assert_eq!(
        student.get(&format!("/api/events/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        mother.get(&format!("/api/events/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let listed = body(mother.get("/api/events").await).await;
    assert!(listed.as_array().unwrap().is_empty());
    assert_eq!(
        mother
            .post(&format!("/api/events/{id}/signup"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_sign_up_children_of_their_scope_and_calendars_carry_no_names() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = event(&admin, "法治教育课", 0, 2, all()).await;
    let director = app.user(&admin, "dir.event", "director").await;
    let mine = body(
        director
            .post(
                "/api/children",
                &json!({"child": child_json("冯小满", VILLAGE, "2015-01-01")}),
            )
            .await,
    )
    .await;
    let theirs = body(
        admin
            .post(
                "/api/children",
                &json!({"child": child_json("蒋小北", OTHER_VILLAGE, "2015-01-01")}),
            )
            .await,
    )
    .await;
    let signed = director
        .post(
            &format!("/api/events/{id}/children"),
            &json!({"child_id": mine["id"]}),
        )
        .await;
    assert_eq!(signed.status(), StatusCode::OK);
    let outside = director
        .post(
            &format!("/api/events/{id}/children"),
            &json!({"child_id": theirs["id"]}),
        )
        .await;
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
    let volunteer_place = app.volunteers("novol", 1, "charity").await;
    let http = reqwest::Client::new();
    let refused = TokenClient::new(&app, &http, &volunteer_place[0].0)
        .post(&format!("/api/events/{id}/signup"), &json!({}))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no volunteer places"
    );

    let ics = director
        .get(&format!("/api/events/{id}/calendar.ics"))
        .await;
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = ics.text().await.unwrap();
    assert!(
        text.contains("BEGIN:VEVENT")
            && text.contains("SUMMARY:法治教育课")
            && text.contains("DTSTART")
    );
    assert!(text.contains("永中街道儿童之家"));
    assert!(!text.contains("冯小满"), "no child names in calendars");

    // Cancelling asks why; without a reason nothing changes.
    let unexplained = admin
        .post(
            &format!("/api/events/{id}/cancel"),
            &json!({"reason": "  "}),
        )
        .await;
    assert_eq!(unexplained.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let still = body(admin.get(&format!("/api/events/{id}")).await).await;
    assert_eq!(still["event"]["status"], "published");

    // Cancelling the event tells the director who entered the child, and why.
    assert_eq!(
        admin
            .post(
                &format!("/api/events/{id}/cancel"),
                &json!({"reason": "台风预警,活动取消"}),
            )
            .await
            .status(),
        StatusCode::OK
    );
    let told = body(director.get("/api/notifications").await).await;
    let notice = told[0]["text"]["zh"].as_str().unwrap();
    assert!(
        notice.contains("已取消") && notice.contains("台风预警"),
        "{notice}"
    );
}

#[tokio::test]
async fn check_in_credits_hours_per_volunteer_and_organisation_and_admins_correct_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = event(&admin, "暑期托管", 3, 0, all()).await;
    let http = reqwest::Client::new();
    let volunteers = app.volunteers("hours", 2, "womens_federation").await;
    for (token, _) in &volunteers {
        let client = TokenClient::new(&app, &http, token);
        assert_eq!(
            client
                .post(&format!("/api/events/{id}/signup"), &json!({}))
                .await
                .status(),
            StatusCode::OK
        );
    }
    let (first_token, first_id) = &volunteers[0];
    let present = admin
        .post(
            &format!("/api/events/{id}/checkin"),
            &json!({"kind": "volunteer", "person_id": first_id, "attendance": "present"}),
        )
        .await;
    assert_eq!(body(present).await["minutes"], 120);
    let absent = admin
        .post(
            &format!("/api/events/{id}/checkin"),
            &json!({"kind": "volunteer", "person_id": volunteers[1].1, "attendance": "absent"}),
        )
        .await;
    assert_eq!(body(absent).await["attendance"], "absent");
    // A volunteer who is not a lead cannot run check-in.
    let first = TokenClient::new(&app, &http, first_token);
    let not_lead = first
        .post(
            &format!("/api/events/{id}/checkin"),
            &json!({"kind": "volunteer", "person_id": first_id, "attendance": "present"}),
        )
        .await;
    assert_eq!(not_lead.status(), StatusCode::FORBIDDEN);

    let mine = body(first.get("/api/me/hours").await).await;
    assert_eq!(mine["months"][0]["minutes"], 120);
    assert_eq!(mine["years"][0]["minutes"], 120);
    let no_reason = admin
        .post(
            &format!("/api/events/{id}/hours"),
            &json!({"person_id": first_id, "minutes": 90, "reason": ""}),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let corrected = body(
        admin
            .post(
                &format!("/api/events/{id}/hours"),
                &json!({"person_id": first_id, "minutes": 90, "reason": "提前离开"}),
            )
            .await,
    )
    .await;
    assert_eq!(corrected["minutes"], 90);
    assert!(corrected["correction"]
        .as_str()
        .unwrap()
        .contains("提前离开"));
    let totals = body(admin.get("/api/hours/organisations").await).await;
    let federation = totals
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["organisation"] == "womens_federation")
        .unwrap();
    assert_eq!(federation["minutes"], 90);
    let calendar = first
        .get("/api/me/calendar.ics")
        .await
        .text()
        .await
        .unwrap();
    assert!(calendar.contains("SUMMARY:暑期托管"));
    let export = admin
        .get(&format!("/api/events/{id}/roster/export?format=csv"))
        .await;
    assert!(export.text().await.unwrap().contains("志愿时长"));
}
