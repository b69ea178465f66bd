//! Events and sign-ups under concurrency, on DynamoDB's rules: each race runs against the real
//! server on the embedded engine, once plainly and once with a fifth of the store's calls
//! faulted, and prints what happened. Two overlapping sign-ups by one volunteer never both
//! succeed; a freed place goes to the head of the waitlist while newcomers rush; a double-tapped
//! check-in credits hours once; a lead cannot check themselves in; the waitlist counters equal
//! the roster after a rush with cancellations; a suspension landing amid sign-ups stands.

use chrono::{DateTime, Datelike, Duration, Utc};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, event, event_at, Client, TestApp, TokenClient, VILLAGE};

const FAULTS: f64 = 0.2;

fn all() -> Value {
    json!({"kind": "all_volunteers"})
}

fn days_ahead(days: i64) -> DateTime<Utc> {
    Utc::now() + Duration::days(days)
}

async fn site(admin: &Client) -> String {
    let response = admin
        .post(
            "/api/sites",
            &json!({"name": "海城妇儿驿站", "site_type": "women_children_post",
                    "village_code": VILLAGE, "address": "海城街道示例路 6 号",
                    "contact_name": "陈主任", "contact_phone": "0577-86666258"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await["id"].as_str().unwrap().to_string()
}

async fn sign_up(client: &TokenClient, event: &str) -> (StatusCode, Value) {
    let response = client
        .post(&format!("/api/events/{event}/signup"), &json!({}))
        .await;
    (response.status(), body(response).await)
}

async fn cancel(client: &TokenClient, event: &str) -> (StatusCode, Value) {
    let response = client
        .post(&format!("/api/events/{event}/signup/cancel"), &json!({}))
        .await;
    (response.status(), body(response).await)
}

/// The roster's volunteer sign-ups and the event's counters.
async fn roster(admin: &Client, event: &str) -> (Vec<Value>, Value) {
    let roster = body(admin.get(&format!("/api/events/{event}/roster")).await).await;
    let signups = roster["signups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|signup| signup["kind"] == "volunteer")
        .cloned()
        .collect();
    (signups, roster["event"]["volunteers"].clone())
}

fn with_status<'a>(signups: &'a [Value], status: &str) -> Vec<&'a Value> {
    signups.iter().filter(|s| s["status"] == status).collect()
}

fn person(signup: &Value) -> &str {
    signup["person_id"].as_str().unwrap()
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn two_simultaneous_sign_ups_for_overlapping_events_never_both_succeed() {
    overlapping(TestApp::spawn().await).await;
}

#[tokio::test]
async fn overlapping_sign_ups_stay_exclusive_with_a_fifth_of_store_calls_faulted() {
    overlapping(TestApp::spawn_with_faults(FAULTS, 41).await).await;
}

async fn overlapping(app: TestApp) {
    const ROUNDS: usize = 20;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let volunteers = app.volunteers("overlap", ROUNDS, "charity").await;
    let http = reqwest::Client::new();
    let (mut one_each, mut named) = (0, 0);
    for (round, (token, _)) in volunteers.iter().enumerate() {
        // Each round on its own day; the second event starts an hour into the first.
        let starts = days_ahead(7 + round as i64);
        let first_title = format!("第{round}轮·周末微课");
        let second_title = format!("第{round}轮·心理课");
        let first = event_at(&admin, &site, &first_title, 5, 0, all(), starts).await;
        let second = event_at(
            &admin,
            &site,
            &second_title,
            5,
            0,
            all(),
            starts + Duration::hours(1),
        )
        .await;
        let client = TokenClient::new(&app, &http, token);
        let (a, b) = tokio::join!(sign_up(&client, &first), sign_up(&client, &second));
        let taken = [&a, &b]
            .iter()
            .filter(|answer| answer.0 == StatusCode::OK)
            .count();
        assert_eq!(taken, 1, "round {round}: exactly one place: {a:?} {b:?}");
        one_each += 1;
        let (refusal, other_title) = if a.0 == StatusCode::OK {
            (&b, &first_title)
        } else {
            (&a, &second_title)
        };
        assert_eq!(refusal.0, StatusCode::UNPROCESSABLE_ENTITY, "{refusal:?}");
        let message = refusal.1["fields"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(other_title.as_str()), "{refusal:?}");
        named += 1;
        let mine = body(client.get("/api/me/events").await).await;
        let held = mine
            .as_array()
            .unwrap()
            .iter()
            .filter(|event| event["signup"]["status"] != "cancelled")
            .count();
        assert_eq!(held, 1, "round {round}: {mine}");
    }
    println!(
        "overlapping sign-ups: {ROUNDS} rounds, {one_each} with exactly one place, \
         {named} refusals naming the other event; store: {}",
        app.fault_summary()
    );
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_freed_place_goes_to_the_head_of_the_waitlist_while_newcomers_rush() {
    head_takes_the_place(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_head_takes_the_freed_place_with_a_fifth_of_store_calls_faulted() {
    head_takes_the_place(TestApp::spawn_with_faults(FAULTS, 42).await).await;
}

async fn head_takes_the_place(app: TestApp) {
    const ROUNDS: usize = 3;
    const PLACES: usize = 5;
    const WAITING: usize = 3;
    const NEWCOMERS: usize = 50;
    const PEOPLE: usize = PLACES + WAITING + NEWCOMERS;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let pool = app.volunteers("head", ROUNDS * PEOPLE, "charity").await;
    let http = reqwest::Client::new();
    for round in 0..ROUNDS {
        let id = event_at(
            &admin,
            &site,
            &format!("第{round}轮·假期托管"),
            PLACES as u32,
            0,
            all(),
            days_ahead(7 + round as i64),
        )
        .await;
        let people = &pool[round * PEOPLE..(round + 1) * PEOPLE];
        let clients: Vec<TokenClient> = people
            .iter()
            .map(|(token, _)| TokenClient::new(&app, &http, token))
            .collect();
        // Five confirmed, then three waiting in order.
        for (i, client) in clients[..PLACES + WAITING].iter().enumerate() {
            let (status, signup) = sign_up(client, &id).await;
            assert_eq!(status, StatusCode::OK, "{signup}");
            if i < PLACES {
                assert_eq!(signup["status"], "confirmed");
            } else {
                assert_eq!(signup["position"], (i - PLACES + 1) as u64);
            }
        }
        let head = &people[PLACES].1;

        // One confirmed volunteer gives their place back while fifty newcomers sign up.
        let newcomers = join_all(
            clients[PLACES + WAITING..]
                .iter()
                .map(|client| sign_up(client, &id)),
        );
        let (cancelled, answers) = tokio::join!(cancel(&clients[0], &id), newcomers);
        assert_eq!(cancelled.0, StatusCode::OK, "{cancelled:?}");
        assert!(
            answers.iter().all(|(status, _)| *status == StatusCode::OK),
            "{:?}",
            answers.iter().find(|(status, _)| *status != StatusCode::OK)
        );
        let newcomers_confirmed = answers
            .iter()
            .filter(|(_, s)| s["status"] == "confirmed")
            .count();
        let mut positions: Vec<u64> = answers
            .iter()
            .filter_map(|(_, s)| s["position"].as_u64())
            .collect();
        positions.sort();

        let (signups, counters) = roster(&admin, &id).await;
        let confirmed: Vec<&str> = with_status(&signups, "confirmed")
            .into_iter()
            .map(person)
            .collect();
        let waiting = with_status(&signups, "waitlisted").len();
        println!(
            "round {round}: the head {} the freed place; {newcomers_confirmed} of {NEWCOMERS} \
             newcomers confirmed, waitlist positions {:?}..{:?}; roster {} confirmed, {waiting} \
             waiting; counters {counters}; store: {}",
            if confirmed.contains(&head.as_str()) {
                "took"
            } else {
                "did NOT take"
            },
            positions.first(),
            positions.last(),
            confirmed.len(),
            app.fault_summary()
        );
        assert!(confirmed.contains(&head.as_str()), "the head was promoted");
        assert_eq!(newcomers_confirmed, 0, "no newcomer took the place");
        assert_eq!(
            positions,
            ((WAITING as u64 + 1)..=(WAITING + NEWCOMERS) as u64).collect::<Vec<u64>>(),
            "newcomers queue behind those already waiting, in order"
        );
        assert_eq!(confirmed.len(), PLACES);
        assert_eq!(waiting, WAITING - 1 + NEWCOMERS);
        assert_eq!(counters["confirmed"], PLACES as u64);
        assert_eq!(counters["waitlisted"], waiting as u64);
        let told = body(clients[PLACES].get("/api/notifications").await).await;
        assert!(
            told[0]["text"]["zh"]
                .as_str()
                .unwrap_or_default()
                .contains("候补成功"),
            "{told}"
        );
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_double_tapped_check_in_credits_hours_once() {
    double_tap(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_double_tapped_check_in_credits_once_with_a_fifth_of_store_calls_faulted() {
    double_tap(TestApp::spawn_with_faults(FAULTS, 43).await).await;
}

/// The organisation's minutes in the year of `starts` (Beijing time).
async fn organisation_minutes(admin: &Client, organisation: &str, starts: DateTime<Utc>) -> u64 {
    let year = (starts + Duration::hours(8)).year();
    let totals = body(
        admin
            .get(&format!("/api/hours/organisations?year={year}"))
            .await,
    )
    .await;
    totals
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["organisation"] == organisation)
        .and_then(|line| line["minutes"].as_u64())
        .unwrap_or(0)
}

/// How many audit entries of `action` name this target.
async fn audited(admin: &Client, target: &str, action: &str) -> usize {
    let log = body(admin.get(&format!("/api/audit?target={target}")).await).await;
    log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["action"] == action)
        .count()
}

async fn double_tap(app: TestApp) {
    const TAPS: usize = 20;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let starts = days_ahead(7);
    let id = event_at(&admin, &site, "暑期托管·签到", 3, 0, all(), starts).await;
    let (token, volunteer) = app.volunteers("tap", 1, "university").await.remove(0);
    let http = reqwest::Client::new();
    let client = TokenClient::new(&app, &http, &token);
    assert_eq!(sign_up(&client, &id).await.0, StatusCode::OK);

    let check_in = json!({"kind": "volunteer", "person_id": volunteer, "attendance": "present"});
    let path = format!("/api/events/{id}/checkin");
    let answers = join_all((0..TAPS).map(|_| admin.post(&path, &check_in))).await;
    let mut minutes = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::OK);
        minutes.push(body(answer).await["minutes"].as_u64());
    }
    let mine = body(client.get("/api/me/hours").await).await;
    let organisation = organisation_minutes(&admin, "university", starts).await;
    let target = format!("user:{volunteer}");
    let entries = audited(&admin, &target, "checked_in").await;
    println!(
        "{TAPS} simultaneous check-ins: answers {:?}; volunteer {} min, organisation \
         {organisation} min, {entries} audit entry; store: {}",
        minutes.iter().max(),
        mine["months"][0]["minutes"],
        app.fault_summary()
    );
    assert!(minutes.iter().all(|m| *m == Some(120)), "{minutes:?}");
    assert_eq!(mine["months"][0]["minutes"], 120);
    assert_eq!(organisation, 120);
    assert_eq!(entries, 1, "one change, one entry");

    // The same for an admin's correction tapped twice over.
    let correction = json!({"person_id": volunteer, "minutes": 90, "reason": "提前离开"});
    let path = format!("/api/events/{id}/hours");
    let answers = join_all((0..TAPS).map(|_| admin.post(&path, &correction))).await;
    assert!(answers.iter().all(|a| a.status() == StatusCode::OK));
    let mine = body(client.get("/api/me/hours").await).await;
    let organisation = organisation_minutes(&admin, "university", starts).await;
    let entries = audited(&admin, &target, "hours_corrected").await;
    println!(
        "{TAPS} simultaneous corrections: volunteer {} min, organisation {organisation} min, \
         {entries} audit entry",
        mine["months"][0]["minutes"]
    );
    assert_eq!(mine["months"][0]["minutes"], 90);
    assert_eq!(organisation, 90);
    assert_eq!(entries, 1);
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_event_lead_cannot_check_themselves_in() {
    lead_checks_in(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_lead_cannot_check_themselves_in_with_a_fifth_of_store_calls_faulted() {
    lead_checks_in(TestApp::spawn_with_faults(FAULTS, 44).await).await;
}

async fn lead_checks_in(app: TestApp) {
    const TAPS: usize = 10;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let mut people = app.volunteers("lead", 2, "charity").await;
    let (other_token, other) = people.remove(1);
    let (lead_token, lead) = people.remove(0);
    let starts = days_ahead(7);
    let created = admin
        .post(
            "/api/events",
            &json!({"event": {
                "title": "成长微课·负责人", "event_type": "micro_course", "description": "",
                "site_id": site, "starts_at": starts, "ends_at": starts + Duration::hours(2),
                "signup_deadline": starts - Duration::days(1),
                "cancel_deadline": starts - Duration::days(2),
                "volunteer_capacity": 5, "child_capacity": 0, "visibility": all(),
                "leads": [lead], "status": "published"
            }}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = body(created).await["id"].as_str().unwrap().to_string();
    let http = reqwest::Client::new();
    let lead_client = TokenClient::new(&app, &http, &lead_token);
    let other_client = TokenClient::new(&app, &http, &other_token);
    assert_eq!(sign_up(&lead_client, &id).await.0, StatusCode::OK);
    assert_eq!(sign_up(&other_client, &id).await.0, StatusCode::OK);

    let path = format!("/api/events/{id}/checkin");
    let own = json!({"kind": "volunteer", "person_id": lead, "attendance": "present"});
    let answers = join_all((0..TAPS).map(|_| lead_client.post(&path, &own))).await;
    let mut refused = 0;
    for answer in answers {
        let status = answer.status();
        let error = body(answer).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        let field = &error["fields"][0];
        assert!(
            field["message"].as_str().unwrap().contains("负责人"),
            "{error}"
        );
        assert!(
            field["message_en"].as_str().unwrap().contains("lead"),
            "{error}"
        );
        refused += 1;
    }
    let theirs = json!({"kind": "volunteer", "person_id": other, "attendance": "present"});
    let checked = lead_client.post(&path, &theirs).await;
    assert_eq!(checked.status(), StatusCode::OK);
    assert_eq!(body(checked).await["minutes"], 120);

    let (signups, _) = roster(&admin, &id).await;
    let lead_row = signups.iter().find(|s| person(s) == lead).unwrap();
    let organisation = organisation_minutes(&admin, "charity", starts).await;
    println!(
        "{TAPS} self check-ins by the lead: {refused} refused; the lead's attendance {}; \
         organisation {organisation} min; store: {}",
        lead_row["attendance"],
        app.fault_summary()
    );
    assert!(lead_row["attendance"].is_null(), "{lead_row}");
    assert_eq!(organisation, 120, "only the other volunteer's hours");

    // An admin may check the lead in.
    let by_admin = admin.post(&path, &own).await;
    assert_eq!(by_admin.status(), StatusCode::OK);
    assert_eq!(organisation_minutes(&admin, "charity", starts).await, 240);

    // A suspended lead loses the roster and check-in with everything else, even signed in
    // again: the approval is read on every request.
    let suspension = json!({"decision": "suspend", "reason": "核查中"});
    let vetting = format!("/api/volunteers/{lead}/vetting");
    assert_eq!(
        admin.post(&vetting, &suspension).await.status(),
        StatusCode::OK
    );
    let user = app
        .server
        .state
        .store
        .get_user(&lead)
        .await
        .unwrap()
        .unwrap();
    let (token, _) = api::accounts::issue_session(&app.server.state, &user)
        .await
        .unwrap();
    let again = TokenClient::new(&app, &http, &token);
    let roster_path = format!("/api/events/{id}/roster");
    assert_eq!(
        again.get(&roster_path).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        again.post(&path, &theirs).await.status(),
        StatusCode::FORBIDDEN
    );
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn waitlist_counters_equal_the_roster_after_a_rush_with_cancellations() {
    counters_hold(TestApp::spawn().await).await;
}

#[tokio::test]
async fn waitlist_counters_hold_with_a_fifth_of_store_calls_faulted() {
    counters_hold(TestApp::spawn_with_faults(FAULTS, 45).await).await;
}

async fn counters_hold(app: TestApp) {
    const PLACES: usize = 10;
    const FIRST: usize = 100;
    const NEWCOMERS: usize = 20;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let title = "主题活动·名额";
    let id = event_at(&admin, &site, title, PLACES as u32, 0, all(), days_ahead(7)).await;
    let volunteers = app.volunteers("count", FIRST + NEWCOMERS, "charity").await;
    let http = reqwest::Client::new();
    let clients: Vec<TokenClient> = volunteers
        .iter()
        .map(|(token, _)| TokenClient::new(&app, &http, token))
        .collect();
    let first = join_all(clients[..FIRST].iter().map(|client| sign_up(client, &id))).await;
    assert!(first.iter().all(|(status, _)| *status == StatusCode::OK));
    let confirmed: Vec<usize> = (0..FIRST)
        .filter(|i| first[*i].1["status"] == "confirmed")
        .collect();
    assert_eq!(confirmed.len(), PLACES);
    // Waiting people near the front, who race the promotions their cancellations cause.
    let front: Vec<usize> = (0..FIRST)
        .filter(|i| {
            first[*i].1["position"]
                .as_u64()
                .is_some_and(|position| position % 4 == 2 && position <= 40)
        })
        .collect();
    assert_eq!(front.len(), 10);

    // All at once: every confirmed volunteer and ten waiting ones cancel, twenty newcomers join.
    let leaving = confirmed
        .iter()
        .chain(&front)
        .map(|i| cancel(&clients[*i], &id));
    let joining = clients[FIRST..].iter().map(|client| sign_up(client, &id));
    let (left, joined) = tokio::join!(join_all(leaving), join_all(joining));
    assert!(
        left.iter().all(|(status, _)| *status == StatusCode::OK),
        "{left:?}"
    );
    assert!(joined.iter().all(|(status, _)| *status == StatusCode::OK));

    let (signups, counters) = roster(&admin, &id).await;
    let confirmed_now = with_status(&signups, "confirmed");
    let waiting = with_status(&signups, "waitlisted");
    let cancelled = with_status(&signups, "cancelled").len();
    let newcomer_ids: Vec<&str> = volunteers[FIRST..]
        .iter()
        .map(|(_, id)| id.as_str())
        .collect();
    let newcomers_confirmed = confirmed_now
        .iter()
        .filter(|s| newcomer_ids.contains(&person(s)))
        .count();
    let position_of = |person_id: &str| {
        (0..FIRST)
            .find(|i| volunteers[*i].1 == person_id)
            .and_then(|i| first[i].1["position"].as_u64())
    };
    let last_promoted = confirmed_now
        .iter()
        .filter_map(|s| position_of(person(s)))
        .max();
    let mut waiting_positions: Vec<u64> = waiting
        .iter()
        .map(|s| s["position"].as_u64().unwrap())
        .collect();
    waiting_positions.sort();
    let distinct = {
        let mut unique = waiting_positions.clone();
        unique.dedup();
        unique.len()
    };
    println!(
        "rush of {FIRST} for {PLACES} places, then {} cancellations and {NEWCOMERS} newcomers at \
         once: roster {} confirmed, {} waiting, {cancelled} cancelled; counters {counters}; \
         {newcomers_confirmed} newcomers confirmed; last promoted position {last_promoted:?}, \
         first waiting {:?}; store: {}",
        left.len(),
        confirmed_now.len(),
        waiting.len(),
        waiting_positions.first(),
        app.fault_summary()
    );
    assert_eq!(counters["confirmed"], confirmed_now.len() as u64);
    assert_eq!(counters["waitlisted"], waiting.len() as u64);
    assert_eq!(
        (confirmed_now.len(), waiting.len(), cancelled),
        (PLACES, FIRST + NEWCOMERS - PLACES - 20, 20)
    );
    assert_eq!(newcomers_confirmed, 0, "no newcomer took a freed place");
    assert_eq!(distinct, waiting_positions.len(), "every position once");
    assert!(
        last_promoted < waiting_positions.first().copied(),
        "the waitlist's heads were promoted first"
    );
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_suspension_landing_amid_sign_ups_stands() {
    suspension(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_suspension_stands_with_a_fifth_of_store_calls_faulted() {
    suspension(TestApp::spawn_with_faults(FAULTS, 46).await).await;
}

fn refused_as_suspended(answer: &(StatusCode, Value)) -> bool {
    answer.0 == StatusCode::UNPROCESSABLE_ENTITY
        && answer.1["fields"][0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("暂停"))
}

async fn suspension(app: TestApp) {
    const EVENTS: usize = 6;
    let admin = app.admin().await;
    let site = site(&admin).await;
    let (token, volunteer) = app.volunteers("suspend", 1, "charity").await.remove(0);
    let vetting = format!("/api/volunteers/{volunteer}/vetting");
    let approve = json!({"decision": "approve", "max_children": 1,
                         "background_check": {"checked_on": "2024-06-01", "result": "clear"}});
    assert_eq!(
        admin.post(&vetting, &approve).await.status(),
        StatusCode::OK
    );
    let mut events = Vec::new();
    for i in 0..EVENTS {
        let title = format!("暂停测试{i}");
        events.push(event_at(&admin, &site, &title, 5, 0, all(), days_ahead(7 + i as i64)).await);
    }
    let http = reqwest::Client::new();
    let client = TokenClient::new(&app, &http, &token);

    let suspension = json!({"decision": "suspend", "reason": "核查中"});
    let suspend = admin.post(&vetting, &suspension);
    let sign_ups = join_all(events.iter().map(|id| sign_up(&client, id)));
    let (suspended, answers) = tokio::join!(suspend, sign_ups);
    assert_eq!(suspended.status(), StatusCode::OK);
    let taken = answers.iter().filter(|a| a.0 == StatusCode::OK).count();
    let refused = answers.iter().filter(|a| refused_as_suspended(a)).count();
    // Suspension may also end the volunteer's sessions at once (401): that is a refusal too.
    let signed_out = answers
        .iter()
        .filter(|a| a.0 == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(taken + refused + signed_out, EVENTS, "{answers:?}");
    // No place without a yes: every place held was answered 200.
    let mut held = 0;
    for id in &events {
        let (signups, _) = roster(&admin, id).await;
        held += signups
            .iter()
            .filter(|s| person(s) == volunteer && s["status"] != "cancelled")
            .count();
    }
    assert_eq!(held, taken);

    let later = event_at(&admin, &site, "暂停之后", 5, 0, all(), days_ahead(30)).await;
    let after = sign_up(&client, &later).await;
    println!(
        "a suspension amid {EVENTS} sign-ups: {taken} taken before it, {refused} refused as \
         suspended, {signed_out} signed out; the next sign-up answered {}; store: {}",
        after.0,
        app.fault_summary()
    );
    assert!(
        refused_as_suspended(&after) || after.0 == StatusCode::UNAUTHORIZED,
        "{after:?}"
    );
}

#[tokio::test]
async fn a_freed_place_passes_over_a_suspended_volunteer_and_a_checked_in_place_stays() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = event(&admin, "周末阅读", 1, 0, all()).await;
    let people = app.volunteers("queue", 3, "charity").await;
    let http = reqwest::Client::new();
    let clients: Vec<TokenClient> = people
        .iter()
        .map(|(token, _)| TokenClient::new(&app, &http, token))
        .collect();
    assert_eq!(sign_up(&clients[0], &id).await.1["status"], "confirmed");
    assert_eq!(sign_up(&clients[1], &id).await.1["status"], "waitlisted");
    assert_eq!(sign_up(&clients[2], &id).await.1["status"], "waitlisted");
    let suspended = &people[1].1;
    let suspension = json!({"decision": "suspend", "reason": "核查中"});
    let vetting = format!("/api/volunteers/{suspended}/vetting");
    assert_eq!(
        admin.post(&vetting, &suspension).await.status(),
        StatusCode::OK
    );

    assert_eq!(cancel(&clients[0], &id).await.0, StatusCode::OK);
    let (signups, counts) = roster(&admin, &id).await;
    let confirmed = with_status(&signups, "confirmed");
    assert_eq!(confirmed.len(), 1);
    assert_eq!(
        person(confirmed[0]),
        people[2].1,
        "the next eligible person"
    );
    let waiting = with_status(&signups, "waitlisted");
    assert_eq!(
        person(waiting[0]),
        suspended.as_str(),
        "keeps their place in line"
    );
    assert_eq!(
        (counts["confirmed"].as_u64(), counts["waitlisted"].as_u64()),
        (Some(1), Some(1))
    );

    // Checked in, the place cannot be given back (its hours are credited).
    let checkin = json!({"kind": "volunteer", "person_id": people[2].1, "attendance": "present"});
    let checked = admin
        .post(&format!("/api/events/{id}/checkin"), &checkin)
        .await;
    assert_eq!(checked.status(), StatusCode::OK);
    let (status, error) = cancel(&clients[2], &id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error.to_string().contains("签到"), "{error}");
}
