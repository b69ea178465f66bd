//! Pairings under concurrency, on DynamoDB's rules: each race runs against the real server on
//! the embedded engine, once plainly and once with a fifth of the store's calls faulted, and
//! prints what happened. A suspension stands against the volunteer's own profile save and
//! against contacts logged at the same moment (the pairing's flag stays); a suspended volunteer
//! loses the child with the next request; the board's GET writes nothing; reads of a child's
//! data are in the audit log.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, TokenClient, VILLAGE};

async fn vet(admin: &Client, volunteer: &str, request: Value) -> StatusCode {
    admin
        .post(&format!("/api/volunteers/{volunteer}/vetting"), &request)
        .await
        .status()
}

fn approval(max: u32) -> Value {
    json!({"decision": "approve", "max_children": max,
           "background_check": {"checked_on": "2026-11-01", "result": "clear"}})
}

fn suspension() -> Value {
    json!({"decision": "suspend", "reason": "核查中"})
}

async fn child(admin: &Client, name: &str) -> String {
    let response = admin
        .post(
            "/api/children",
            &json!({"child": child_json(name, VILLAGE, "2015-06-01")}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await["id"].as_str().unwrap().to_string()
}

/// A proposal activated at once; returns the pairing id.
async fn pair(admin: &Client, child: &str, volunteer: &str) -> String {
    let proposed = admin
        .post(
            "/api/pairings",
            &json!({"child_id": child, "volunteer_id": volunteer}),
        )
        .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let id = body(proposed).await["id"].as_str().unwrap().to_string();
    let activated = admin
        .post(&format!("/api/pairings/{id}/activate"), &json!({}))
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    id
}

async fn put_profile(volunteer: &TokenClient, skills: &str) -> StatusCode {
    volunteer
        .http
        .put(format!("{}/api/me/profile", volunteer.base))
        .header("cookie", format!("shouwang_session={}", volunteer.token))
        .json(&json!({"skills": skills, "interests": "画画", "availability": "周末"}))
        .send()
        .await
        .expect("request sent")
        .status()
}

async fn vetting_state(app: &TestApp, volunteer: &str) -> Option<String> {
    app.server
        .state
        .store
        .get_profile(volunteer)
        .await
        .expect("store answers")
        .map(|profile| profile.vetting.state.as_str().to_string())
}

/// Every audit entry one filter lists, all pages.
async fn audit(admin: &Client, filter: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let path = match &cursor {
            Some(cursor) => format!("/api/audit?{filter}&cursor={cursor}"),
            None => format!("/api/audit?{filter}"),
        };
        let page = body(admin.get(&path).await).await;
        entries.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    entries
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .filter_map(|entry| entry["action"].as_str())
        .collect()
}

const PROFILE_ROUNDS: usize = 8;
const SAVES_PER_ROUND: usize = 8;

#[tokio::test]
async fn a_suspension_stands_against_the_volunteers_own_profile_saves() {
    profile_saves_racing_suspension(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_suspension_stands_against_profile_saves_with_a_fifth_of_store_calls_faulted() {
    profile_saves_racing_suspension(TestApp::spawn_with_faults(0.2, 101).await).await;
}

async fn profile_saves_racing_suspension(app: TestApp) {
    let admin = app.admin().await;
    let (token, volunteer) = app.volunteers("prof", 1, "charity").await.remove(0);
    let http = reqwest::Client::new();
    let _ = token;
    let vetting = format!("/api/volunteers/{volunteer}/vetting");
    let (mut saved, mut busy, mut ended) = (0, 0, 0);
    for round in 0..PROFILE_ROUNDS {
        // A suspension ends the volunteer's sessions: each round signs in afresh.
        let token = fresh_session(&app, &volunteer).await;
        let mom = TokenClient::new(&app, &http, &token);
        // The first round races the profile's creation too (the volunteer has never saved).
        if round > 0 {
            let reinstated = admin
                .post(&vetting, &json!({"decision": "reinstate"}))
                .await;
            assert_eq!(reinstated.status(), StatusCode::OK, "round {round}");
        }
        let saves = join_all((0..SAVES_PER_ROUND).map(|i| {
            let skills = format!("第{round}轮第{i}次");
            let mom = &mom;
            async move { put_profile(mom, &skills).await }
        }));
        let suspend = suspension();
        let (answers, suspended) = tokio::join!(saves, admin.post(&vetting, &suspend));
        assert_eq!(suspended.status(), StatusCode::OK, "round {round}");
        for answer in answers {
            if answer == StatusCode::OK {
                saved += 1;
            } else if answer == StatusCode::SERVICE_UNAVAILABLE {
                busy += 1;
            } else if answer == StatusCode::UNAUTHORIZED {
                // The suspension ended the session before this save was authorised.
                ended += 1;
            } else {
                panic!("a profile save answered {answer} in round {round}");
            }
        }
        assert_eq!(
            vetting_state(&app, &volunteer).await.as_deref(),
            Some("suspended"),
            "round {round}: the suspension stands"
        );
    }
    let listed = body(admin.get("/api/volunteers").await).await;
    let profile = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == volunteer.as_str())
        .expect("the volunteer is listed");
    assert_eq!(profile["vetting"]["state"], "suspended");
    if saved > 0 {
        assert!(profile["profile"]["skills"]
            .as_str()
            .unwrap()
            .starts_with('第'));
    }
    println!(
        "{PROFILE_ROUNDS} rounds of {SAVES_PER_ROUND} profile saves racing a suspension: \
         {saved} saved, {busy} busy (503), {ended} after the suspension ended the session; \
         suspension stood every round; store: {}",
        app.fault_summary()
    );
}

const CONTACT_ROUNDS: usize = 5;
const CONTACTS_PER_ROUND: usize = 6;

#[tokio::test]
async fn a_pairings_flag_stays_when_contacts_race_the_suspension() {
    contacts_racing_suspension(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_pairings_flag_stays_with_a_fifth_of_store_calls_faulted() {
    contacts_racing_suspension(TestApp::spawn_with_faults(0.2, 102).await).await;
}

async fn contacts_racing_suspension(app: TestApp) {
    let admin = app.admin().await;
    let volunteers = app.volunteers("contact", CONTACT_ROUNDS, "charity").await;
    let http = reqwest::Client::new();
    let today = shared::time::beijing_date(app.server.state.clock.now());
    let (mut logged, mut refused) = (0, 0);
    for (round, (token, volunteer)) in volunteers.iter().enumerate() {
        assert_eq!(vet(&admin, volunteer, approval(1)).await, StatusCode::OK);
        let child = child(&admin, &format!("联系{round}")).await;
        let pairing = pair(&admin, &child, volunteer).await;
        let mom = TokenClient::new(&app, &http, token);
        let path = format!("/api/me/pairings/{pairing}/contacts");
        let contacts = join_all((0..CONTACTS_PER_ROUND).map(|i| {
            let date = today - chrono::Duration::days(i as i64);
            let contact = json!({"date": date, "mode": "phone", "minutes": 10 + i,
                                 "summary": format!("第{i}次电话")});
            let (mom, path) = (&mom, &path);
            async move { (date, mom.post(path, &contact).await.status()) }
        }));
        let (answers, suspended) = tokio::join!(contacts, vet(&admin, volunteer, suspension()));
        assert_eq!(suspended, StatusCode::OK, "round {round}");
        let mut latest = None;
        for (date, status) in &answers {
            if *status == StatusCode::CREATED {
                logged += 1;
                latest = latest.max(Some(*date));
            } else if *status == StatusCode::NOT_FOUND || *status == StatusCode::UNAUTHORIZED {
                // Landed after the suspension: the volunteer no longer has the pairing (or,
                // the suspension having ended the session, is no longer signed in).
                refused += 1;
            } else {
                panic!("a contact answered {status} in round {round}");
            }
        }
        let detail = body(admin.get(&format!("/api/pairings/{pairing}")).await).await;
        assert!(
            detail["pairing"]["flagged"].is_object(),
            "round {round}: the flag stays: {detail}"
        );
        let stored = answers
            .iter()
            .filter(|(_, status)| *status == StatusCode::CREATED)
            .count();
        assert_eq!(detail["contacts"].as_array().unwrap().len(), stored);
        assert_eq!(
            detail["pairing"]["last_contact"],
            json!(latest),
            "round {round}: the last contact is the latest logged"
        );
    }
    let board = body(admin.get("/api/pairings/board").await).await;
    assert_eq!(board["flagged"].as_array().unwrap().len(), CONTACT_ROUNDS);
    println!(
        "{CONTACT_ROUNDS} rounds of {CONTACTS_PER_ROUND} contacts racing a suspension: \
         {logged} logged, {refused} refused after it, every flag stayed; store: {}",
        app.fault_summary()
    );
}

#[tokio::test]
async fn a_suspended_or_rejected_volunteer_loses_the_child_at_once() {
    loses_the_child_at_once(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_suspended_volunteer_loses_the_child_at_once_with_faults() {
    loses_the_child_at_once(TestApp::spawn_with_faults(0.2, 103).await).await;
}

/// A new session for a user, as a sign-in would make (without paying for Argon2).
async fn fresh_session(app: &TestApp, user_id: &str) -> String {
    let state = &app.server.state;
    let user = state
        .store
        .get_user(user_id)
        .await
        .expect("store answers")
        .expect("the user exists");
    api::accounts::issue_session(state, &user)
        .await
        .expect("a session")
        .0
}

async fn loses_the_child_at_once(app: TestApp) {
    let admin = app.admin().await;
    let http = reqwest::Client::new();
    let mut volunteers = app.volunteers("lose", 2, "womens_federation").await;
    let (rejected_token, rejected) = volunteers.remove(1);
    let (token, volunteer) = volunteers.remove(0);
    let mom = TokenClient::new(&app, &http, &token);
    assert_eq!(
        mom.get("/api/me/pairings").await.status(),
        StatusCode::NOT_FOUND,
        "not vetted yet: no child"
    );
    assert_eq!(vet(&admin, &volunteer, approval(1)).await, StatusCode::OK);
    let child_id = child(&admin, "林小禾").await;
    let pairing = pair(&admin, &child_id, &volunteer).await;
    let mine = body(mom.get("/api/me/pairings").await).await;
    assert_eq!(mine[0]["child"]["guardian_phone"], "13800001111");

    let mut lost = 0;
    let mut mom = mom;
    for round in 0..3 {
        assert_eq!(vet(&admin, &volunteer, suspension()).await, StatusCode::OK);
        assert_eq!(
            mom.get("/api/me/pairings").await.status(),
            StatusCode::UNAUTHORIZED,
            "round {round}: the suspension ended the session"
        );
        // Signed in again, a suspended volunteer still sees no child.
        let session = fresh_session(&app, &volunteer).await;
        mom = TokenClient::new(&app, &http, &session);
        let after = mom.get("/api/me/pairings").await;
        assert_eq!(after.status(), StatusCode::NOT_FOUND, "round {round}");
        assert!(!after.text().await.unwrap().contains("13800001111"));
        let today = shared::time::beijing_date(app.server.state.clock.now());
        let contact = mom
            .post(
                &format!("/api/me/pairings/{pairing}/contacts"),
                &json!({"date": today, "mode": "phone", "minutes": 5, "summary": "电话问候"}),
            )
            .await;
        assert_eq!(contact.status(), StatusCode::NOT_FOUND);
        lost += 1;
        assert_eq!(
            vet(&admin, &volunteer, json!({"decision": "reinstate"})).await,
            StatusCode::OK
        );
        assert_eq!(mom.get("/api/me/pairings").await.status(), StatusCode::OK);
    }

    // Rejection: the account is disabled and its sessions end, so the child is gone too.
    assert_eq!(vet(&admin, &rejected, approval(1)).await, StatusCode::OK);
    let other_child = child(&admin, "林小溪").await;
    pair(&admin, &other_child, &rejected).await;
    let rejected_mom = TokenClient::new(&app, &http, &rejected_token);
    assert_eq!(
        rejected_mom.get("/api/me/pairings").await.status(),
        StatusCode::OK
    );
    let rejection = json!({"decision": "reject", "reason": "不符合要求"});
    assert_eq!(vet(&admin, &rejected, rejection).await, StatusCode::OK);
    let after = rejected_mom.get("/api/me/pairings").await.status();
    // 404 from the vetting check, or 401 once the disabled account's session is gone.
    assert!(
        after == StatusCode::NOT_FOUND || after == StatusCode::UNAUTHORIZED,
        "a rejected volunteer sees no child: {after}"
    );
    println!(
        "suspended {lost} times: the child was gone with the next request each time; \
         rejected: {after}; store: {}",
        app.fault_summary()
    );
}

#[tokio::test]
async fn the_boards_get_writes_nothing_and_reads_of_children_are_audited() {
    board_reads(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_boards_get_writes_nothing_with_a_fifth_of_store_calls_faulted() {
    board_reads(TestApp::spawn_with_faults(0.2, 104).await).await;
}

async fn board_reads(app: TestApp) {
    let admin = app.admin().await;
    let admin_id = body(admin.get("/api/auth/me").await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, newcomer) = app.volunteers("new", 1, "charity").await.remove(0);
    let child_id = child(&admin, "周小雨").await;
    let before = app.server.state.store.get_profile(&newcomer).await.unwrap();

    let board = admin.get("/api/pairings/board").await;
    assert_eq!(board.status(), StatusCode::OK);
    let board = body(board).await;
    assert!(board["unpaired"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["child_id"] == child_id.as_str()));
    let listed = body(admin.get("/api/volunteers").await).await;
    let shown = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == newcomer.as_str())
        .expect("a volunteer without a profile is listed");
    assert_eq!(shown["vetting"]["state"], "pending");
    let suggestions = admin
        .get(&format!("/api/pairings/suggestions?child_id={child_id}"))
        .await;
    assert_eq!(suggestions.status(), StatusCode::OK);
    let after = app.server.state.store.get_profile(&newcomer).await.unwrap();
    assert_eq!(
        before, after,
        "reading the board and the lists wrote no profile"
    );

    let by_admin = audit(&admin, &format!("actor={admin_id}")).await;
    let board_entries: Vec<&Value> = by_admin
        .iter()
        .filter(|e| e["action"] == "pairing_board_viewed")
        .collect();
    assert!(
        board_entries
            .iter()
            .any(|e| e["detail"].as_str().unwrap_or_default().contains(&child_id)),
        "the board's read lists the children it showed"
    );
    let on_child = audit(&admin, &format!("target=child:{child_id}")).await;
    assert!(actions(&on_child).contains(&"pairing_suggestions_viewed"));

    // The volunteer's own child, once paired: audited with the child as target.
    let (token, volunteer) = app.volunteers("seen", 1, "charity").await.remove(0);
    assert_eq!(vet(&admin, &volunteer, approval(1)).await, StatusCode::OK);
    let pairing = pair(&admin, &child_id, &volunteer).await;
    let http = reqwest::Client::new();
    let mom = TokenClient::new(&app, &http, &token);
    assert_eq!(mom.get("/api/me/pairings").await.status(), StatusCode::OK);
    let logged = mom
        .post(
            &format!("/api/me/pairings/{pairing}/contacts"),
            &json!({"date": shared::time::beijing_date(app.server.state.clock.now()),
                    "mode": "home_visit", "minutes": 30, "summary": "家访"}),
        )
        .await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    let on_child = audit(&admin, &format!("target=child:{child_id}")).await;
    assert!(actions(&on_child).contains(&"paired_child_viewed"));
    let on_pairing = audit(&admin, &format!("target=pairing:{pairing}")).await;
    let changes = actions(&on_pairing);
    assert!(changes.contains(&"contact_logged"));
    assert_eq!(
        changes.iter().filter(|a| **a == "pairing_changed").count(),
        2,
        "proposed and activated, each recorded once"
    );
    println!(
        "board, volunteer list and suggestions read: profile before {:?}, after {:?}; \
         {} board read entries; store: {}",
        before.map(|p| p.vetting.state),
        after.map(|p| p.vetting.state),
        board_entries.len(),
        app.fault_summary()
    );
}

#[tokio::test]
async fn a_contact_needs_a_summary() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (token, volunteer) = app.volunteers("summary", 1, "charity").await.remove(0);
    assert_eq!(vet(&admin, &volunteer, approval(1)).await, StatusCode::OK);
    let child_id = child(&admin, "林小夏").await;
    let pairing = pair(&admin, &child_id, &volunteer).await;
    let http = reqwest::Client::new();
    let mom = TokenClient::new(&app, &http, &token);
    let today = shared::time::beijing_date(app.server.state.clock.now());
    let path = format!("/api/me/pairings/{pairing}/contacts");
    let blank = json!({"date": today, "mode": "phone", "minutes": 5, "summary": "   "});
    let refused = mom.post(&path, &blank).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(refused).await;
    assert_eq!(error["fields"][0]["field"], "summary");
    assert!(error["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("联系的内容"));
    let mine = body(mom.get("/api/me/pairings").await).await;
    assert_eq!(
        mine[0]["contacts"].as_array().unwrap().len(),
        0,
        "nothing saved"
    );
}
