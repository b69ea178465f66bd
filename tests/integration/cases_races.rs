//! Case groups under concurrency, on DynamoDB's rules: each race runs against the real server on
//! the embedded engine, once plainly and once with a fifth of the store's calls faulted, and
//! prints what happened. Plan saves racing a crisis never leave the level below urgent while the
//! crisis is open; adds racing for the last places fill the group exactly to its cap and the
//! count always equals the members; reads of a child's case data are in the audit log.

use std::sync::atomic::{AtomicBool, Ordering};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, PASSWORD, VILLAGE};

const SCHOOL: &str = "龙湾区第一小学";

async fn teacher(app: &TestApp, admin: &Client, username: &str) -> Client {
    let created = body(
        admin
            .post(
                "/api/users",
                &json!({"username": username, "display_name": "老师", "role": "teacher",
                        "scope": {"kind": "school", "name": SCHOOL}}),
            )
            .await,
    )
    .await;
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

/// A student of the teacher's school with a group the teacher leads; returns the child's id.
async fn group(admin: &Client, lead: &Client, name: &str) -> String {
    let mut child = child_json(name, VILLAGE, "2014-03-03");
    child["school"] = json!(SCHOOL);
    let created = admin.post("/api/children", &json!({"child": child})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = body(created).await["id"].as_str().unwrap().to_string();
    let started = lead.post("/api/cases", &json!({"child_id": id})).await;
    assert_eq!(started.status(), StatusCode::CREATED);
    id
}

fn plan(level: &str, situation: &str) -> Value {
    json!({"situation": situation, "care_level": level, "goals": [], "next_review": "2027-01-15"})
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

const CRISIS_ROUNDS: usize = 4;
const SAVERS: usize = 3;
/// Saves each saver sends after the crisis was answered, so the last plan is one saved while
/// the crisis was open.
const SAVES_AFTER: usize = 2;

#[tokio::test]
async fn plans_saved_while_a_crisis_is_raised_never_lower_the_level() {
    plans_racing_a_crisis(TestApp::spawn().await).await;
}

#[tokio::test]
async fn plans_racing_a_crisis_hold_with_a_fifth_of_store_calls_faulted() {
    plans_racing_a_crisis(TestApp::spawn_with_faults(0.2, 201).await).await;
}

/// One saver: reads the latest version and saves a routine plan on it, again and again, until
/// it has saved `SAVES_AFTER` times after the crisis was answered. Returns (saved, stale,
/// saved after the crisis at a level other than urgent).
async fn keep_saving(
    lead: &Client,
    child: &str,
    raised: &AtomicBool,
    who: usize,
) -> (u32, u32, u32) {
    let (mut saved, mut stale, mut lowered, mut after) = (0, 0, 0, 0);
    for attempt in 0..200 {
        let crisis_was_open = raised.load(Ordering::SeqCst);
        let view = body(lead.get(&format!("/api/cases/{child}")).await).await;
        let version = view["plan"]["version"].as_u64().unwrap_or(0);
        let request = json!({"version": version,
                             "plan": plan("routine", &format!("保存者{who}第{attempt}次"))});
        let response = put(lead, &format!("/api/cases/{child}/plan"), &request).await;
        let status = response.status();
        if status == StatusCode::OK {
            saved += 1;
            let stored = body(response).await;
            if crisis_was_open {
                after += 1;
                if stored["plan"]["care_level"] != "urgent" {
                    lowered += 1;
                }
            }
        } else if status == StatusCode::CONFLICT {
            stale += 1;
        } else {
            panic!("a plan save answered {status}");
        }
        if after >= SAVES_AFTER {
            break;
        }
    }
    (saved, stale, lowered)
}

async fn plans_racing_a_crisis(app: TestApp) {
    let admin = app.admin().await;
    let lead = teacher(&app, &admin, "lead.race").await;
    let (mut saved, mut stale) = (0, 0);
    for round in 0..CRISIS_ROUNDS {
        let child = group(&admin, &lead, &format!("危机{round}")).await;
        let first = put(
            &lead,
            &format!("/api/cases/{child}/plan"),
            &json!({"version": 0, "plan": plan("routine", "开始")}),
        )
        .await;
        assert_eq!(first.status(), StatusCode::OK);
        let raised = AtomicBool::new(false);
        let savers = join_all((0..SAVERS).map(|who| keep_saving(&lead, &child, &raised, who)));
        let crisis = async {
            let response = lead
                .post(
                    &format!("/api/cases/{child}/crises"),
                    &json!({"kind": "safety", "description": "放学后未回家"}),
                )
                .await;
            raised.store(true, Ordering::SeqCst);
            response.status()
        };
        let (answers, crisis) = tokio::join!(savers, crisis);
        assert_eq!(crisis, StatusCode::CREATED, "round {round}");
        for (done, refused, lowered) in answers {
            assert_eq!(
                lowered, 0,
                "round {round}: a save after the crisis lowered the level"
            );
            saved += done;
            stale += refused;
        }
        let cases = body(lead.get("/api/cases").await).await;
        let summary = cases
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["child_id"] == child.as_str())
            .expect("the lead's group is listed");
        assert_eq!(summary["care_level"], "urgent", "round {round}: the group");
        assert_eq!(summary["open_crises"], 1);
        let record = body(admin.get(&format!("/api/children/{child}")).await).await;
        assert_eq!(
            record["child"]["care_level"], "urgent",
            "round {round}: the registry record"
        );
        let versions = body(lead.get(&format!("/api/cases/{child}/plan/versions")).await).await;
        assert_eq!(
            versions[0]["plan"]["care_level"], "urgent",
            "round {round}: the latest plan"
        );
    }
    println!(
        "{CRISIS_ROUNDS} rounds of {SAVERS} savers racing a crisis flag: {saved} plans saved, \
         {stale} refused as stale, none below urgent once the crisis was open; store: {}",
        app.fault_summary()
    );
}

const MEMBERS_MAX: usize = 30;
const RACERS: usize = 15;

#[tokio::test]
async fn adds_racing_for_the_last_places_fill_the_group_exactly() {
    members_racing_for_the_cap(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_member_cap_holds_with_a_fifth_of_store_calls_faulted() {
    members_racing_for_the_cap(TestApp::spawn_with_faults(0.2, 202).await).await;
}

async fn members_racing_for_the_cap(app: TestApp) {
    let admin = app.admin().await;
    let lead = teacher(&app, &admin, "lead.cap").await;
    let child = group(&admin, &lead, "满员").await;
    let people = app
        .volunteers("member", MEMBERS_MAX + RACERS, "charity")
        .await;
    let usernames: Vec<String> = (0..people.len()).map(|i| format!("member{i:04}")).collect();
    let path = format!("/api/cases/{child}/members");
    let add = |username: &String| {
        let (lead, path) = (&lead, &path);
        let request = json!({"username": username, "role": "volunteer"});
        async move { lead.post(path, &request).await.status() }
    };
    // The lead plus 25: four places left.
    let prefilled = MEMBERS_MAX - 5;
    for username in &usernames[..prefilled] {
        assert_eq!(add(username).await, StatusCode::OK);
    }
    let answers = join_all(usernames[prefilled..prefilled + RACERS].iter().map(add)).await;
    let added = answers.iter().filter(|s| **s == StatusCode::OK).count();
    let full = answers
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!(
        added,
        MEMBERS_MAX - 1 - prefilled,
        "exactly the free places"
    );
    assert_eq!(
        added + full,
        RACERS,
        "everyone else hears the group is full"
    );
    let count = |view: &Value| view["members"].as_array().unwrap().len();
    let view = body(lead.get(&format!("/api/cases/{child}")).await).await;
    assert_eq!(count(&view), MEMBERS_MAX);
    let stored = app
        .server
        .state
        .store
        .get_group(&child)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.member_count, Some(MEMBERS_MAX as u32));

    // Removals and adds at once: the count follows the members exactly.
    let members: Vec<String> = view["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] != "lead")
        .take(3)
        .map(|m| m["user_id"].as_str().unwrap().to_string())
        .collect();
    let removals = join_all(members.iter().map(|member| {
        let (lead, child) = (&lead, &child);
        async move {
            lead.post(
                &format!("/api/cases/{child}/members/{member}/remove"),
                &json!({}),
            )
            .await
            .status()
        }
    }));
    let late = &usernames[prefilled + RACERS..];
    let (removed, adds) = tokio::join!(removals, join_all(late.iter().map(add)));
    assert!(removed.iter().all(|s| *s == StatusCode::OK));
    let late_added = adds.iter().filter(|s| **s == StatusCode::OK).count();
    let view = body(lead.get(&format!("/api/cases/{child}")).await).await;
    let stored = app
        .server
        .state
        .store
        .get_group(&child)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.member_count, Some(count(&view) as u32), "no drift");
    assert!(count(&view) <= MEMBERS_MAX);
    assert_eq!(count(&view), MEMBERS_MAX - 3 + late_added);
    println!(
        "{RACERS} adds for {} places: {added} added, {full} refused as full; then 3 removals \
         racing {} adds: {late_added} added; {} members, counter {:?}; store: {}",
        MEMBERS_MAX - 1 - prefilled,
        late.len(),
        count(&view),
        stored.member_count,
        app.fault_summary()
    );
}

#[tokio::test]
async fn reads_of_candidates_and_plan_versions_are_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher(&app, &admin, "lead.audit").await;
    let mut child = child_json("审计", VILLAGE, "2014-03-03");
    child["school"] = json!(SCHOOL);
    let created = admin.post("/api/children", &json!({"child": child})).await;
    let child_id = body(created).await["id"].as_str().unwrap().to_string();
    let lead_id = body(lead.get("/api/auth/me").await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let candidates = body(lead.get("/api/cases/candidates").await).await;
    assert!(candidates
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["child_id"] == child_id.as_str()));
    let by_lead = audit(&admin, &format!("actor={lead_id}")).await;
    assert!(
        by_lead
            .iter()
            .any(|e| e["action"] == "case_candidates_viewed"
                && e["detail"].as_str().unwrap_or_default().contains(&child_id)),
        "the candidates read lists the children it showed"
    );
    lead.post("/api/cases", &json!({"child_id": child_id}))
        .await;
    let saved = put(
        &lead,
        &format!("/api/cases/{child_id}/plan"),
        &json!({"version": 0, "plan": plan("focus", "关注")}),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let versions = lead
        .get(&format!("/api/cases/{child_id}/plan/versions"))
        .await;
    assert_eq!(versions.status(), StatusCode::OK);
    let on_child = audit(&admin, &format!("target=child:{child_id}")).await;
    assert!(on_child
        .iter()
        .any(|e| e["action"] == "plan_versions_viewed"));
    let on_case = audit(&admin, &format!("target=case:{child_id}")).await;
    let changes = on_case
        .iter()
        .filter(|e| e["action"] == "case_changed")
        .count();
    assert_eq!(changes, 2, "the group's start and the plan save, each once");
}

#[tokio::test]
async fn a_registry_edit_cannot_lower_the_care_level_while_a_crisis_is_open() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher(&app, &admin, "lead.level").await;
    let child = group(&admin, &lead, "等级").await;
    let raised = lead
        .post(
            &format!("/api/cases/{child}/crises"),
            &json!({"kind": "safety", "description": "夜不归宿"}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::CREATED);
    let record = body(admin.get(&format!("/api/children/{child}")).await).await;
    assert_eq!(record["child"]["care_level"], "urgent");
    let mut edited = record["child"].clone();
    edited["care_level"] = json!("routine");
    edited["care_level_reason"] = json!("情况好转");
    let lowered = put(
        &admin,
        &format!("/api/children/{child}"),
        &json!({"version": record["version"], "child": edited}),
    )
    .await;
    assert_eq!(lowered.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(lowered).await;
    assert_eq!(error["fields"][0]["field"], "care_level", "{error}");
    assert!(error["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("危机"));
    let after = body(admin.get(&format!("/api/children/{child}")).await).await;
    assert_eq!(after["child"]["care_level"], "urgent", "nothing changed");
}

#[tokio::test]
async fn plan_dates_must_be_sensible_and_an_empty_goal_is_named() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher(&app, &admin, "lead.dates").await;
    let child = group(&admin, &lead, "日期").await;
    let path = format!("/api/cases/{child}/plan");
    let mut far = plan("routine", "开始");
    far["goals"] = json!([
        {"id": "g1", "title": "按时到校", "status": "in_progress", "due": "0002-01-01"},
        {"id": "g2", "title": "", "status": "in_progress"}
    ]);
    let refused = put(&lead, &path, &json!({"version": 0, "plan": far})).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(refused).await;
    let fields: Vec<&str> = error["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"goals[0].due"), "{error}");
    assert!(fields.contains(&"goals[1].title"), "{error}");
    assert!(error.to_string().contains("第 2 个目标"), "{error}");
}
