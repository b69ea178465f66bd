//! Quarterly visits on the real server: the schedule on a fixed clock (working days, holidays
//! and 调休, the interval by care level, quarter ends in Beijing time), scope (another
//! village's director learns nothing), one visit stored once however often it is sent (also
//! with a fifth of store calls faulted), append-only corrections, refused input, what a case
//! group sees, and compliance numbers that agree with the visit lists.

use std::collections::{BTreeMap, BTreeSet};

use api::clock::Clock;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::calendar::{Quarter, WorkCalendar};
use tests::{
    at, body, child_json, fixed, move_to, Client, TestApp, TokenClient, OTHER_VILLAGE, PASSWORD,
    VILLAGE,
};

const SCHOOL: &str = "龙湾区第一小学";

async fn register(admin: &Client, name: &str, village: &str, level: &str) -> String {
    let mut child = child_json(name, village, "2015-05-05");
    child["care_level"] = json!(level);
    let response = admin
        .post("/api/children", &json!({ "child": child }))
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record["id"].as_str().expect("child id").to_string()
}

/// A complete, valid visit register entry with a fresh client id.
fn visit(child: &str, visited_at: DateTime<Utc>) -> Value {
    json!({
        "client_id": ulid::Ulid::new().to_string(),
        "child_id": child,
        "visited_at": visited_at,
        "mode": "home_visit",
        "met_with": ["child", "guardian"],
        "guardianship": "fair",
        "entrusted_guardian": false,
        "health": "healthy",
        "schooling": "in_school",
        "emotion": "stable"
    })
}

/// Sends a visit that must be stored as new (201); returns the answer.
async fn record(client: &Client, input: &Value) -> Value {
    let response = client.post("/api/visits", input).await;
    let status = response.status();
    let saved = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["already_stored"], false, "{saved}");
    assert_eq!(saved["visit"]["id"], input["client_id"], "{saved}");
    saved
}

async fn send(client: &Client, method: reqwest::Method, path: &str, value: &Value) -> StatusCode {
    client
        .http
        .request(method, format!("{}{path}", client.base))
        .json(value)
        .send()
        .await
        .expect("request sent")
        .status()
}

async fn put(client: &Client, path: &str, value: &Value) -> reqwest::Response {
    client
        .http
        .put(format!("{}{path}", client.base))
        .json(value)
        .send()
        .await
        .expect("request sent")
}

/// A signed-in client for an existing user (after a fixed clock moved past their session).
async fn signed_in(app: &TestApp, username: &str) -> Client {
    let client = app.client();
    client.login_ok(username, PASSWORD).await;
    client
}

/// A director of `village` only (`app.user` makes directors of `VILLAGE`).
async fn director_of(app: &TestApp, admin: &Client, username: &str, village: &str) -> Client {
    let scope = json!({"kind": "villages", "codes": [village]});
    app.account(admin, username, "另村主任", "director", scope)
        .await
}

async fn teacher_of(app: &TestApp, admin: &Client, username: &str, school: &str) -> Client {
    let created = admin
        .post(
            "/api/users",
            &json!({"username": username, "display_name": "老师", "role": "teacher",
                    "scope": {"kind": "school", "name": school}}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = body(created).await;
    let client = app.client();
    let activated = client
        .post(
            "/api/auth/activate",
            &json!({"invite_code": created["invite_code"], "password": PASSWORD}),
        )
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    client.login_ok(username, PASSWORD).await;
    client
}

async fn my_id(client: &Client) -> String {
    body(client.get("/api/auth/me").await).await["id"]
        .as_str()
        .expect("user id")
        .to_string()
}

async fn plan(client: &Client) -> Value {
    let response = client.get("/api/visits/plan").await;
    let status = response.status();
    let plan = body(response).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    plan
}

/// One child's line on a visit plan.
fn line<'a>(plan: &'a Value, child: &str) -> &'a Value {
    plan["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|line| line["child_id"] == child)
        .unwrap_or_else(|| panic!("{child} is not on the plan: {plan}"))
}

fn plan_ids(plan: &Value) -> BTreeSet<String> {
    plan["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|line| line["child_id"].as_str().unwrap().to_string())
        .collect()
}

async fn visits_of(client: &Client, child: &str) -> Vec<Value> {
    let response = client.get(&format!("/api/children/{child}/visits")).await;
    let status = response.status();
    let list = body(response).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().expect("a list of visits").clone()
}

fn field_names(error: &Value) -> Vec<String> {
    error["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|field| field["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_schedule_follows_working_days_the_care_level_and_the_last_visit() {
    // Friday 27 November 2026, 10:00 in Beijing.
    let (clock, options) = fixed("2026-11-27T02:00:00Z");
    let app = TestApp::spawn_with(options).await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.schedule", "director").await;
    let routine = register(&admin, "季小春", VILLAGE, "routine").await;
    let focus = register(&admin, "季小夏", VILLAGE, "focus").await;
    let urgent = register(&admin, "季小秋", VILLAGE, "urgent").await;

    // Registered on a Friday: the first visit is due five working days later, the next Friday.
    let first = plan(&director).await;
    assert_eq!(first["today"], "2026-11-27");
    assert_eq!(first["quarter"], json!({"year": 2026, "quarter": 4}));
    for child in [&routine, &focus, &urgent] {
        let line = line(&first, child);
        assert_eq!(line["first_visit"], true, "{line}");
        assert!(line["last_visit"].is_null(), "{line}");
        assert_eq!(line["due"], "2026-12-04", "{line}");
        assert_eq!(line["state"], "this_quarter", "{line}");
    }

    // Two public holidays and a Saturday worked instead (调休): Sat 28, Mon 30, Thu 3, Fri 4,
    // Mon 7 are the five working days.
    let settings = json!({
        "urgent_months": 1, "focus_months": 2, "routine_months": 3,
        "first_visit_working_days": 5,
        "calendar": {"holidays": ["2026-12-01", "2026-12-02"], "make_up_days": ["2026-11-28"]}
    });
    assert_eq!(
        put(&director, "/api/settings/visits", &settings)
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "only admins change the settings"
    );
    let saved = put(&admin, "/api/settings/visits", &settings).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let read = body(director.get("/api/settings/visits").await).await;
    assert_eq!(read["calendar"]["make_up_days"], json!(["2026-11-28"]));
    assert_eq!(
        read["calendar"]["holidays"],
        json!(["2026-12-01", "2026-12-02"])
    );
    let moved = plan(&director).await;
    for child in [&routine, &focus, &urgent] {
        assert_eq!(line(&moved, child)["due"], "2026-12-07", "{moved}");
        assert_eq!(line(&moved, child)["state"], "this_quarter");
    }

    // Monday 7 December: due this week (today); Tuesday 8 December: overdue.
    move_to(&clock, "2026-12-07T02:00:00Z");
    let director = signed_in(&app, "dir.schedule").await;
    let monday = plan(&director).await;
    assert_eq!(monday["today"], "2026-12-07");
    assert_eq!(line(&monday, &routine)["state"], "this_week", "{monday}");
    move_to(&clock, "2026-12-08T02:00:00Z");
    let director = signed_in(&app, "dir.schedule").await;
    let tuesday = plan(&director).await;
    for child in [&routine, &focus, &urgent] {
        assert_eq!(line(&tuesday, child)["state"], "overdue", "{tuesday}");
    }

    // Visited on 8 December: routine children are due in three months, focus in two, urgent
    // in one; the list puts the soonest first.
    let visited_at = clock.now() - Duration::hours(1);
    for child in [&routine, &focus, &urgent] {
        let saved = record(&director, &visit(child, visited_at)).await;
        assert_eq!(saved["level_applied"], false);
    }
    let after = plan(&director).await;
    for (child, due) in [
        (&urgent, "2027-01-08"),
        (&focus, "2027-02-08"),
        (&routine, "2027-03-08"),
    ] {
        let line = line(&after, child);
        assert_eq!(line["due"], due, "{line}");
        assert_eq!(line["last_visit"], "2026-12-08", "{line}");
        assert_eq!(line["first_visit"], false, "{line}");
        assert_eq!(line["state"], "later", "{line}");
    }
    let order: Vec<&str> = after["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["child_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [urgent.as_str(), focus.as_str(), routine.as_str()],
        "most urgent first"
    );

    // The next day a visit finds the routine child alone at home and raises the level to
    // urgent: the record and its history show it, and the next visit is due in a month.
    move_to(&clock, "2026-12-09T02:00:00Z");
    let director = signed_in(&app, "dir.schedule").await;
    let mut raise = visit(&routine, clock.now() - Duration::hours(1));
    raise["proposed_level"] = json!("urgent");
    raise["level_reason"] = json!("祖母住院,孩子放学后独自在家");
    raise["problems_found"] = json!("放学后无人照看");
    let saved = record(&director, &raise).await;
    assert_eq!(saved["level_applied"], true, "{saved}");
    let child = body(director.get(&format!("/api/children/{routine}")).await).await;
    assert_eq!(child["child"]["care_level"], "urgent", "{child}");
    let history = child["care_level_history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["level"], "urgent");
    assert!(
        last["reason"]
            .as_str()
            .unwrap()
            .contains("祖母住院,孩子放学后独自在家"),
        "{last}"
    );
    assert_eq!(history.len(), 2, "registration, then the visit's change");
    let raised = plan(&director).await;
    let line_now = line(&raised, &routine);
    assert_eq!(line_now["care_level"], "urgent");
    assert_eq!(line_now["last_visit"], "2026-12-09");
    assert_eq!(line_now["due"], "2027-01-09", "{line_now}");

    // A change of level on the record (focus → routine) recomputes from the last visit too.
    let admin = app.admin().await;
    let record_now = body(admin.get(&format!("/api/children/{focus}")).await).await;
    let mut input = record_now["child"].clone();
    input["care_level"] = json!("routine");
    input["care_level_reason"] = json!("情况稳定");
    let changed = put(
        &admin,
        &format!("/api/children/{focus}"),
        &json!({"version": record_now["version"], "child": input}),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let lowered = plan(&director).await;
    assert_eq!(line(&lowered, &focus)["due"], "2027-03-08", "{lowered}");
}

#[tokio::test]
async fn due_states_and_the_quarter_turn_at_midnight_in_beijing() {
    // Friday 30 October 2026: a focus child is registered, and visited on Saturday the 31st.
    let (clock, options) = fixed("2026-10-30T02:00:00Z");
    let app = TestApp::spawn_with(options).await;
    let admin = app.admin().await;
    app.user(&admin, "dir.quarter", "director").await;
    let visited = register(&admin, "年小旧", VILLAGE, "focus").await;
    move_to(&clock, "2026-10-31T02:00:00Z");
    let director = signed_in(&app, "dir.quarter").await;
    record(&director, &visit(&visited, clock.now())).await;

    // Thursday 31 December, 23:30 in Beijing: a child registered now is first due on
    // Thursday 7 January (Fri 1, Mon 4 … Thu 7), a date in next quarter.
    move_to(&clock, "2026-12-31T15:30:00Z");
    let admin = app.admin().await;
    let director = signed_in(&app, "dir.quarter").await;
    let new = register(&admin, "年小新", VILLAGE, "routine").await;
    let before = plan(&director).await;
    assert_eq!(before["today"], "2026-12-31");
    assert_eq!(before["quarter"], json!({"year": 2026, "quarter": 4}));
    assert_eq!(line(&before, &new)["due"], "2027-01-07");
    assert_eq!(line(&before, &new)["state"], "later", "{before}");
    assert_eq!(line(&before, &visited)["due"], "2026-12-31");
    assert_eq!(line(&before, &visited)["state"], "this_week", "{before}");
    let report = body(admin.get("/api/visits/compliance").await).await;
    assert_eq!(report["quarter"], json!({"year": 2026, "quarter": 4}));
    assert_eq!(report["total"]["visits"], 1, "{report}");
    assert_eq!(report["total"]["visited"], 1);

    // An hour later it is 1 January 2027 in Beijing (still 31 December in UTC).
    clock.advance(Duration::hours(1));
    let after = plan(&director).await;
    assert_eq!(after["today"], "2027-01-01");
    assert_eq!(after["quarter"], json!({"year": 2027, "quarter": 1}));
    assert_eq!(line(&after, &new)["state"], "this_quarter", "{after}");
    assert_eq!(line(&after, &visited)["state"], "overdue", "{after}");
    let report = body(admin.get("/api/visits/compliance").await).await;
    assert_eq!(report["quarter"], json!({"year": 2027, "quarter": 1}));
    assert_eq!(report["total"]["visits"], 0, "{report}");
    assert_eq!(report["total"]["overdue"], 1, "{report}");
    let trend = report["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 4);
    assert_eq!(trend[3]["quarter"], json!({"year": 2027, "quarter": 1}));
    assert_eq!(trend[2]["quarter"], json!({"year": 2026, "quarter": 4}));
    assert_eq!(trend[2]["visits"], 1);
    let last_quarter = body(admin.get("/api/visits/compliance?quarter=2026-Q4").await).await;
    assert_eq!(last_quarter["total"]["visits"], 1, "{last_quarter}");
}

#[tokio::test]
async fn a_director_sees_and_visits_only_the_children_of_their_villages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.mine", "director").await;
    let other = director_of(&app, &admin, "dir.other", OTHER_VILLAGE).await;
    let mine = register(&admin, "村小东", VILLAGE, "routine").await;
    let theirs = register(&admin, "村小西", OTHER_VILLAGE, "routine").await;
    let now = Utc::now();
    let saved = record(&director, &visit(&mine, now - Duration::hours(1))).await;
    let visit_id = saved["visit"]["id"].as_str().unwrap().to_string();

    // Another village's director learns nothing: not the child, not the visit.
    let foreign = visit(&mine, now - Duration::hours(1));
    let refused = other.post("/api/visits", &foreign).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    for path in [
        format!("/api/visits/{visit_id}"),
        format!("/api/children/{mine}/visits"),
        format!("/api/visits/plan?village={VILLAGE}"),
    ] {
        assert_eq!(
            other.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(visits_of(&director, &mine).await.len(), 1);
    assert_eq!(
        director
            .get(&format!(
                "/api/visits/{}",
                foreign["client_id"].as_str().unwrap()
            ))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "the refused visit was not stored"
    );

    // Teachers and volunteers never see visits.
    let teacher = app.user(&admin, "teacher.visits", "teacher").await;
    let (token, _) = app.volunteers("volvisit", 1, "charity").await.remove(0);
    let volunteer = TokenClient::new(&app, &reqwest::Client::new(), &token);
    for path in [
        "/api/visits/plan".to_string(),
        format!("/api/visits/{visit_id}"),
        format!("/api/children/{mine}/visits"),
    ] {
        assert_eq!(
            teacher.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            volunteer.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let attempt = visit(&mine, now - Duration::hours(1));
    assert_eq!(
        teacher.post("/api/visits", &attempt).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        volunteer.post("/api/visits", &attempt).await.status(),
        StatusCode::FORBIDDEN
    );

    // Each director's plan lists their own villages' children; the admin's, the district's.
    assert_eq!(
        plan_ids(&plan(&director).await),
        BTreeSet::from([mine.clone()])
    );
    assert_eq!(
        plan_ids(&plan(&other).await),
        BTreeSet::from([theirs.clone()])
    );
    let district = plan_ids(&plan(&admin).await);
    assert!(district.contains(&mine) && district.contains(&theirs));
    let own = body(
        director
            .get(&format!("/api/visits/plan?village={VILLAGE}"))
            .await,
    )
    .await;
    assert_eq!(plan_ids(&own), BTreeSet::from([mine.clone()]));
}

const SENDS: usize = 50;

#[tokio::test]
async fn fifty_sends_of_one_visit_store_it_once() {
    one_visit_from_many_sends(TestApp::spawn().await).await;
}

#[tokio::test]
async fn one_visit_is_stored_once_with_a_fifth_of_store_calls_faulted() {
    one_visit_from_many_sends(TestApp::spawn_with_faults(0.2, 301).await).await;
}

/// A phone's outbox retrying, a double tap: the same visit (one client id) sent `SENDS` times
/// at once is stored once; everyone else hears it was already there. Someone else reusing the
/// id is refused.
async fn one_visit_from_many_sends(app: TestApp) {
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.twice", "director").await;
    let colleague = app.user(&admin, "dir.colleague", "director").await;
    let child = register(&admin, "重小复", VILLAGE, "routine").await;
    let input = visit(&child, Utc::now() - Duration::hours(1));
    let client_id = input["client_id"].as_str().unwrap().to_string();

    let answers = join_all((0..SENDS).map(|_| {
        let (director, input) = (&director, &input);
        async move {
            let response = director.post("/api/visits", input).await;
            let status = response.status();
            (status, body(response).await)
        }
    }))
    .await;
    for (status, answer) in &answers {
        assert!(
            *status == StatusCode::CREATED || *status == StatusCode::OK,
            "a send answered {status}: {answer}"
        );
        assert_eq!(answer["visit"]["id"], client_id.as_str(), "{answer}");
    }
    let stored = answers
        .iter()
        .filter(|(status, answer)| {
            *status == StatusCode::CREATED && answer["already_stored"] == false
        })
        .count();
    let repeated = answers
        .iter()
        .filter(|(status, answer)| *status == StatusCode::OK && answer["already_stored"] == true)
        .count();
    assert_eq!(stored, 1, "exactly one send stores the visit");
    assert_eq!(repeated, SENDS - 1, "every other send hears it was stored");
    let list = visits_of(&director, &child).await;
    assert_eq!(list.len(), 1, "one visit on the child's list");
    assert_eq!(list[0]["id"], client_id.as_str());

    // The same id from someone else is not their visit: 409, and nothing changes.
    let reused = colleague.post("/api/visits", &input).await;
    let reused_status = reused.status();
    assert_eq!(reused_status, StatusCode::CONFLICT);
    assert_eq!(
        admin.post("/api/visits", &input).await.status(),
        StatusCode::CONFLICT
    );
    let list = visits_of(&admin, &child).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["director_id"], my_id(&director).await.as_str());
    println!(
        "{SENDS} sends of one visit (one client id): {stored} stored (201), {repeated} answered \
         as already stored (200), {} on the child's list; a colleague reusing the id: {}; \
         store: {}",
        list.len(),
        reused_status.as_u16(),
        app.fault_summary()
    );
}

#[tokio::test]
async fn visits_are_never_edited_a_correction_is_a_new_visit_about_the_same_child() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.append", "director").await;
    let child = register(&admin, "改小正", VILLAGE, "routine").await;
    let sibling = register(&admin, "改小邻", VILLAGE, "routine").await;
    let now = Utc::now();
    let mut first = visit(&child, now - Duration::hours(3));
    first["problems_found"] = json!("书包破了");
    let first_id = record(&director, &first).await["visit"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // No way to change or remove a visit.
    let path = format!("/api/visits/{first_id}");
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
    ] {
        assert_eq!(
            send(&director, method.clone(), &path, &first).await,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(
            send(&admin, method.clone(), &path, &first).await,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} as admin"
        );
    }
    assert_eq!(
        send(
            &admin,
            reqwest::Method::DELETE,
            &format!("/api/children/{child}/visits/{first_id}"),
            &json!({})
        )
        .await,
        StatusCode::NOT_FOUND
    );

    // A correction is a new visit naming the old one, which stays as it was.
    let mut fix = visit(&child, now - Duration::hours(3));
    fix["corrects"] = json!(first_id);
    fix["problems_found"] = json!("书包破了,已送新书包");
    let second = record(&director, &fix).await;
    assert_eq!(second["visit"]["visit"]["corrects"], first_id.as_str());
    let old = body(director.get(&path).await).await;
    assert_eq!(old["visit"]["problems_found"], "书包破了");
    assert!(old["visit"]["corrects"].is_null());
    let ids: BTreeSet<String> = visits_of(&director, &child)
        .await
        .iter()
        .map(|visit| visit["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            first_id.clone(),
            fix["client_id"].as_str().unwrap().to_string()
        ])
    );

    // A correction of another child's visit, or of no visit at all, is refused.
    let other = record(&director, &visit(&sibling, now - Duration::hours(2))).await;
    let other_id = other["visit"]["id"].as_str().unwrap().to_string();
    for corrects in [other_id.clone(), ulid::Ulid::new().to_string()] {
        let mut wrong = visit(&child, now - Duration::hours(1));
        wrong["corrects"] = json!(corrects);
        let response = director.post("/api/visits", &wrong).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error = body(response).await;
        assert_eq!(field_names(&error), ["corrects"], "{error}");
    }
    assert_eq!(visits_of(&director, &child).await.len(), 2);
    assert_eq!(visits_of(&director, &sibling).await.len(), 1);
}

#[tokio::test]
async fn a_visit_with_bad_values_is_refused_by_field_and_nothing_is_stored() {
    let clock = Clock::fixed(Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.refused", "director").await;
    let child = register(&admin, "错小填", VILLAGE, "routine").await;
    let now = clock.now();

    let future = visit(&child, now + Duration::days(1));
    let too_old = visit(&child, now - Duration::days(91));
    let mut nobody = visit(&child, now - Duration::hours(1));
    nobody["met_with"] = json!([]);
    let mut ill = visit(&child, now - Duration::hours(1));
    ill["health"] = json!("ill");
    let mut everything = visit(&child, now + Duration::days(1));
    everything["met_with"] = json!([]);
    everything["health"] = json!("disabled");
    let cases = [
        (future, vec!["visited_at"]),
        (too_old, vec!["visited_at"]),
        (nobody, vec!["met_with"]),
        (ill, vec!["health_note"]),
        (everything, vec!["visited_at", "met_with", "health_note"]),
    ];
    for (input, expected) in &cases {
        let response = director.post("/api/visits", input).await;
        let status = response.status();
        let error = body(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        let fields = field_names(&error);
        for field in expected {
            assert!(fields.iter().any(|f| f == field), "{field}: {error}");
        }
        assert_eq!(fields.len(), expected.len(), "{error}");
        let id = input["client_id"].as_str().unwrap();
        assert_eq!(
            director.get(&format!("/api/visits/{id}")).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert!(visits_of(&director, &child).await.is_empty());
    let line_now = plan(&director).await;
    assert_eq!(line(&line_now, &child)["first_visit"], true);

    // Inside the limits it is stored: 89 days back, ill with a note.
    let mut late = visit(&child, now - Duration::days(89));
    late["health"] = json!("ill");
    late["health_note"] = json!("感冒,已就医");
    record(&director, &late).await;
    assert_eq!(visits_of(&director, &child).await.len(), 1);
}

#[tokio::test]
async fn a_case_group_sees_visit_dates_and_the_problems_found_not_the_rest() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher_of(&app, &admin, "lead.visits", SCHOOL).await;
    let outsider = teacher_of(&app, &admin, "other.visits", "龙湾区第二小学").await;
    let director = app.user(&admin, "dir.group", "director").await;
    let mut child = child_json("组小员", VILLAGE, "2014-03-03");
    child["school"] = json!(SCHOOL);
    let created = admin
        .post("/api/children", &json!({ "child": child }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let child = body(created).await["id"].as_str().unwrap().to_string();
    assert_eq!(
        lead.post("/api/cases", &json!({ "child_id": child }))
            .await
            .status(),
        StatusCode::CREATED
    );

    let mut input = visit(&child, Utc::now() - Duration::hours(2));
    input["guardianship"] = json!("poor");
    input["health"] = json!("ill");
    input["health_note"] = json!("哮喘,需随身带药");
    input["income_sources"] = json!("祖父务农收入");
    input["assistance"] = json!(["dibao"]);
    input["action_taken"] = json!("联系村卫生室定期随访");
    input["problems_found"] = json!("数学成绩下滑");
    input["needs"] = json!("课后辅导");
    let visit_id = record(&director, &input).await["visit"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let response = lead.get(&format!("/api/cases/{child}/visits")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw = response.text().await.unwrap();
    let summaries: Value = serde_json::from_str(&raw).unwrap();
    let summaries = summaries.as_array().unwrap();
    assert_eq!(summaries.len(), 1, "{raw}");
    let keys: BTreeSet<&str> = summaries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "id",
            "visited_at",
            "mode",
            "director_name",
            "problems_found",
            "needs"
        ]),
        "{raw}"
    );
    assert_eq!(summaries[0]["id"], visit_id.as_str());
    assert_eq!(summaries[0]["problems_found"], "数学成绩下滑");
    assert_eq!(summaries[0]["needs"], "课后辅导");
    for secret in [
        "guardianship",
        "poor",
        "health",
        "哮喘",
        "祖父务农收入",
        "dibao",
        "联系村卫生室定期随访",
        "met_with",
    ] {
        assert!(
            !raw.contains(secret),
            "{secret} must not reach the group: {raw}"
        );
    }

    // The full register stays with directors and admins.
    for path in [
        format!("/api/visits/{visit_id}"),
        format!("/api/children/{child}/visits"),
    ] {
        assert_eq!(lead.get(&path).await.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        outsider
            .get(&format!("/api/cases/{child}/visits"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "not a member of the group"
    );
}

/// Per village: monitored children, visits in the quarter, children visited in it, children
/// never visited, first visits in the quarter made later than 5 working days after registration.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    children: u64,
    visits: u64,
    visited: u64,
    never_visited: u64,
    late_first_visits: u64,
}

impl Counted {
    fn of(row: &Value) -> Self {
        let n = |key: &str| row[key].as_u64().unwrap_or_else(|| panic!("{key}: {row}"));
        Self {
            children: n("children"),
            visits: n("visits"),
            visited: n("visited"),
            never_visited: n("never_visited"),
            late_first_visits: n("late_first_visits"),
        }
    }

    fn add(&mut self, other: &Counted) {
        self.children += other.children;
        self.visits += other.visits;
        self.visited += other.visited;
        self.never_visited += other.never_visited;
        self.late_first_visits += other.late_first_visits;
    }
}

fn beijing_day(instant: &Value) -> NaiveDate {
    shared::time::beijing_date(instant.as_str().unwrap().parse().unwrap())
}

/// What one child adds in `quarter`, counted from their own visit list and record.
async fn count_child(admin: &Client, child: &str, quarter: Quarter) -> Counted {
    let visits = visits_of(admin, child).await;
    let record = body(admin.get(&format!("/api/children/{child}")).await).await;
    let registered = beijing_day(&record["created_at"]);
    let days: Vec<NaiveDate> = visits
        .iter()
        .map(|visit| beijing_day(&visit["visit"]["visited_at"]))
        .collect();
    let in_quarter = days.iter().filter(|day| quarter.contains(**day)).count() as u64;
    let late = days.iter().min().is_some_and(|first| {
        quarter.contains(*first)
            && WorkCalendar::default().working_days_between(registered, *first) > 5
    });
    Counted {
        children: 1,
        visits: in_quarter,
        visited: u64::from(in_quarter > 0),
        never_visited: u64::from(days.is_empty()),
        late_first_visits: u64::from(late),
    }
}

/// 10:00 in Beijing on a day of 2026.
fn morning(day: &str) -> DateTime<Utc> {
    at(&format!("2026-{day}T02:00:00Z"))
}

#[tokio::test]
async fn compliance_counts_agree_with_the_visit_lists() {
    // Children registered on Tuesday 1 September 2026; the report is read on 20 November.
    let (clock, options) = fixed("2026-09-01T02:00:00Z");
    let app = TestApp::spawn_with(options).await;
    let admin = app.admin().await;
    app.user(&admin, "dir.east", "director").await;
    director_of(&app, &admin, "dir.west", OTHER_VILLAGE).await;
    let east = [
        register(&admin, "合小一", VILLAGE, "routine").await,
        register(&admin, "合小二", VILLAGE, "focus").await,
        register(&admin, "合小三", VILLAGE, "urgent").await,
        register(&admin, "合小四", VILLAGE, "routine").await,
    ];
    let west = [
        register(&admin, "合小五", OTHER_VILLAGE, "routine").await,
        register(&admin, "合小六", OTHER_VILLAGE, "focus").await,
        register(&admin, "合小七", OTHER_VILLAGE, "routine").await,
    ];
    move_to(&clock, "2026-11-20T02:00:00Z");
    let admin = app.admin().await;
    let director = signed_in(&app, "dir.east").await;
    let other = signed_in(&app, "dir.west").await;
    // Last quarter (Q3) and this one (Q4); one child in each village never visited.
    let made = [
        (&director, &east[0], "09-15"),
        (&director, &east[0], "10-20"),
        (&director, &east[0], "11-10"),
        (&director, &east[1], "11-18"),
        (&director, &east[2], "09-20"),
        (&other, &west[0], "11-01"),
        (&other, &west[1], "09-10"),
        (&other, &west[1], "11-19"),
    ];
    for (who, child, day) in made {
        record(who, &visit(child, morning(day))).await;
    }
    assert_eq!(
        director.get("/api/visits/compliance").await.status(),
        StatusCode::FORBIDDEN,
        "the report is the district office's"
    );

    let q4 = Quarter {
        year: 2026,
        quarter: 4,
    };
    for (quarter, path) in [
        (q4, "/api/visits/compliance".to_string()),
        (
            q4.previous(),
            "/api/visits/compliance?quarter=2026-Q3".to_string(),
        ),
    ] {
        let response = admin.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let report = body(response).await;
        assert_eq!(
            report["quarter"],
            json!({"year": quarter.year, "quarter": quarter.quarter})
        );
        // Counted from each child's own visit list and record.
        let mut by_village: BTreeMap<&str, Counted> = BTreeMap::new();
        for (village, children) in [(VILLAGE, &east[..]), (OTHER_VILLAGE, &west[..])] {
            let counted = by_village.entry(village).or_default();
            for child in children {
                counted.add(&count_child(&admin, child, quarter).await);
            }
        }
        let mut total = Counted::default();
        for counted in by_village.values() {
            total.add(counted);
        }
        assert_eq!(Counted::of(&report["total"]), total, "{path}: {report}");
        for (village, counted) in &by_village {
            let row = report["by_village"]
                .as_array()
                .unwrap()
                .iter()
                .find(|row| row["key"] == *village)
                .unwrap_or_else(|| panic!("no row for {village}: {report}"));
            assert_eq!(&Counted::of(row), counted, "{path} {village}");
        }
        // Each director's row is their village's.
        for (client, village) in [(&director, VILLAGE), (&other, OTHER_VILLAGE)] {
            let id = my_id(client).await;
            let row = report["by_director"]
                .as_array()
                .unwrap()
                .iter()
                .find(|row| row["key"] == id.as_str())
                .unwrap_or_else(|| panic!("no row for director {id}: {report}"));
            assert_eq!(&Counted::of(row), &by_village[village], "{path} {village}");
        }
        // The trend's quarter agrees with the report's.
        let trend = report["trend"].as_array().unwrap();
        let this = trend.last().unwrap();
        assert_eq!(this["quarter"], report["quarter"]);
        assert_eq!(this["visits"].as_u64(), Some(total.visits));
        assert_eq!(this["children_visited"].as_u64(), Some(total.visited));
        println!(
            "{}: {} children, {} visits, {} visited, {} never visited, {} first visits late \
             — the same counted from the visit lists",
            quarter.code(),
            total.children,
            total.visits,
            total.visited,
            total.never_visited,
            total.late_first_visits
        );
    }

    // The numbers this quarter, as made above.
    let report = body(admin.get("/api/visits/compliance").await).await;
    assert_eq!(
        Counted::of(&report["total"]),
        Counted {
            children: 7,
            visits: 5,
            visited: 4,
            never_visited: 2,
            late_first_visits: 2,
        }
    );
    let trend = report["trend"].as_array().unwrap();
    assert_eq!(trend[2]["quarter"], json!({"year": 2026, "quarter": 3}));
    assert_eq!(trend[2]["visits"], 3);
    assert_eq!(trend[2]["children_visited"], 3);
    // Never visited, by name; due and overdue agree with the district's plan.
    let never: BTreeSet<String> = report["never_visited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["child_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(never, BTreeSet::from([east[3].clone(), west[2].clone()]));
    let district = plan(&admin).await;
    let states = |wanted: &[&str]| {
        district["children"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|line| wanted.contains(&line["state"].as_str().unwrap()))
            .count() as u64
    };
    assert_eq!(
        report["total"]["overdue"].as_u64(),
        Some(states(&["overdue"]))
    );
    assert_eq!(
        report["total"]["due"].as_u64(),
        Some(states(&["this_week", "this_quarter"]))
    );

    // The same as a spreadsheet: a row per street, village and director, then the district.
    let export = admin.get("/api/visits/compliance/export?format=csv").await;
    assert_eq!(export.status(), StatusCode::OK);
    let csv = export.text().await.unwrap();
    let lines: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(
        lines[0],
        "季度,类别,名称,在册儿童,已走访儿童,走访次数,待走访,逾期,从未走访,首访超时"
    );
    let rows = &lines[1..];
    let kinds = |kind: &str| {
        rows.iter()
            .filter(|row| row.split(',').nth(1) == Some(kind))
            .count()
    };
    assert_eq!(kinds("街道"), report["by_street"].as_array().unwrap().len());
    assert_eq!(
        kinds("村(社区)"),
        report["by_village"].as_array().unwrap().len()
    );
    assert_eq!(
        kinds("儿童主任"),
        report["by_director"].as_array().unwrap().len()
    );
    assert_eq!(kinds("全区"), 1);
    assert_eq!(
        rows.len(),
        kinds("街道") + kinds("村(社区)") + kinds("儿童主任") + 1
    );
    let district_row: Vec<&str> = rows.last().unwrap().split(',').collect();
    assert_eq!(district_row[0], "2026-Q4");
    assert_eq!(district_row[1], "全区");
    assert_eq!(district_row[3..6], ["7", "4", "5"], "{csv}");
    let xlsx = admin.get("/api/visits/compliance/export?format=xlsx").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
}

/// The reviewer's cases: an open crisis keeps the level urgent whatever a visit proposes; a
/// child who moves village keeps their last visit; a correction replaces the visit it
/// corrects in the counts; a quarter the report cannot cover is refused.
#[tokio::test]
async fn crises_moves_corrections_and_quarters_are_counted_right() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    // An open crisis: a visit cannot lower the level, and nothing is stored.
    let child = register(&admin, "危小安", VILLAGE, "routine").await;
    let lead = teacher_of(&app, &admin, "lead.visits", SCHOOL).await;
    let mut record = body(admin.get(&format!("/api/children/{child}")).await).await;
    record["child"]["school"] = json!(SCHOOL);
    let updated = put(
        &admin,
        &format!("/api/children/{child}"),
        &json!({"version": record["version"], "child": record["child"]}),
    )
    .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(
        lead.post("/api/cases", &json!({"child_id": child}))
            .await
            .status(),
        StatusCode::CREATED
    );
    let raised = lead
        .post(
            &format!("/api/cases/{child}/crises"),
            &json!({"kind": "psychological", "description": "情绪低落(虚构)"}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::CREATED);
    let mut lowering = visit(&child, Utc::now() - Duration::hours(1));
    lowering["proposed_level"] = json!("routine");
    lowering["level_reason"] = json!("情况好转");
    let refused = admin.post("/api/visits", &lowering).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&body(refused).await), vec!["proposed_level"]);
    assert!(visits_of(&admin, &child).await.is_empty(), "nothing stored");

    // A child who moves village keeps the visit made before the move.
    let mover = register(&admin, "迁小明", VILLAGE, "routine").await;
    record_ok(&admin, &visit(&mover, Utc::now() - Duration::days(3))).await;
    let mut moved = body(admin.get(&format!("/api/children/{mover}")).await).await;
    moved["child"]["residence_village"] = json!(OTHER_VILLAGE);
    let updated = put(
        &admin,
        &format!("/api/children/{mover}"),
        &json!({"version": moved["version"], "child": moved["child"]}),
    )
    .await;
    assert_eq!(updated.status(), StatusCode::OK);
    let district = plan(&admin).await;
    let line = line(&district, &mover);
    assert_eq!(line["first_visit"], false, "{line}");
    assert!(line["last_visit"].is_string(), "{line}");

    // A correction replaces the visit it corrects: one visit counted, not two.
    let fixed_child = register(&admin, "正小红", OTHER_VILLAGE, "routine").await;
    let original = visit(&fixed_child, Utc::now() - Duration::days(2));
    record_ok(&admin, &original).await;
    let mut correction = visit(&fixed_child, Utc::now() - Duration::days(2));
    correction["corrects"] = original["client_id"].clone();
    correction["problems_found"] = json!("更正:监护人为外婆");
    record_ok(&admin, &correction).await;
    let report = body(admin.get("/api/visits/compliance").await).await;
    let village = report["by_village"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["key"] == OTHER_VILLAGE)
        .expect("the village's row");
    // The mover (one visit, made before the move) and the corrected child (one) live here now.
    assert_eq!(village["visits"], 2, "{village}");
    assert_eq!(village["visited"], 2, "{village}");

    // Only the quarters the report reads can be asked for.
    assert_eq!(
        admin
            .get("/api/visits/compliance?quarter=2020-Q1")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        admin
            .get("/api/visits/compliance?quarter=2099-Q1")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn record_ok(client: &Client, input: &Value) {
    let response = client.post("/api/visits", input).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
