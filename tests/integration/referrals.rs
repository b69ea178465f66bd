//! Referrals (转介) on the real server: the closed loop from a director's report through the
//! office (未保办) and a member unit back to the reporter; the office answering or declining;
//! a unit returning one; a reopened one; who sees what (an officer of another unit learns
//! nothing, an officer sees the child's name, age, village and guardian only, and only their
//! own unit's part); twenty officers taking one referral at once (also with a fifth of store
//! calls faulted); stale versions; deadlines in working days on a fixed clock with a holiday;
//! overdue rows first; the monthly report and its workbook.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Datelike, Duration, Utc};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{
    body, child_json, fixed, move_to, Client, TestApp, TokenClient, OTHER_VILLAGE, PASSWORD,
    VILLAGE,
};

const SCHOOL: &str = "龙湾区第一小学";
const POLICE: &str = "区公安分局";
const EDUCATION: &str = "区教育局";
const CIVIL: &str = "区民政局";

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

/// An officer of a member unit.
async fn officer(app: &TestApp, admin: &Client, username: &str, unit: &str) -> Client {
    app.account(
        admin,
        username,
        "郑警官",
        "officer",
        json!({"kind": "unit", "name": unit}),
    )
    .await
}

async fn director_of(app: &TestApp, admin: &Client, username: &str, village: &str) -> Client {
    app.account(
        admin,
        username,
        "另村主任",
        "director",
        json!({"kind": "villages", "codes": [village]}),
    )
    .await
}

async fn teacher_of(app: &TestApp, admin: &Client, username: &str, school: &str) -> Client {
    app.account(
        admin,
        username,
        "林老师",
        "teacher",
        json!({"kind": "school", "name": school}),
    )
    .await
}

/// `count` officers of `unit`, made directly in the store with a session each (no Argon2 per
/// officer), for the take-over race. Returns their session tokens, user ids and names.
async fn officers_in_store(
    app: &TestApp,
    prefix: &str,
    count: usize,
    unit: &str,
) -> Vec<(String, String, String)> {
    let state = &app.server.state;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("民警{i}");
        let user = api::store::users::UserRecord::new(
            &format!("{prefix}{i:02}"),
            &name,
            shared::Role::Officer,
            shared::Scope::Unit {
                name: unit.to_string(),
            },
            shared::api::UserStatus::Active,
            state.clock.now(),
        );
        state
            .store
            .create_user(&user, None)
            .await
            .expect("officer created");
        let (token, _) = api::accounts::issue_session(state, &user)
            .await
            .expect("session");
        out.push((token, user.id, name));
    }
    out
}

async fn my_id(client: &Client) -> String {
    body(client.get("/api/auth/me").await).await["id"]
        .as_str()
        .expect("user id")
        .to_string()
}

/// Odd sequence numbers (boys) for the children's ID numbers, one per child.
static SEQUENCE: AtomicU32 = AtomicU32::new(101);

/// Registers a fictional boy born 2015-05-05 (with an ID number and a street address, neither
/// of which a referral may show); returns his id.
async fn register(admin: &Client, name: &str, village: &str) -> String {
    register_at(admin, name, village, None).await
}

async fn register_at(admin: &Client, name: &str, village: &str, school: Option<&str>) -> String {
    let mut child = child_json(name, village, "2015-05-05");
    let sequence = SEQUENCE.fetch_add(2, Ordering::SeqCst);
    child["id_number"] = json!(tests::id_number("20150505", sequence));
    if let Some(school) = school {
        child["school"] = json!(school);
    }
    let response = admin
        .post("/api/children", &json!({ "child": child }))
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record["id"].as_str().expect("child id").to_string()
}

const FOUND: &str = "祖母住院,孩子放学后常独自在家(虚构)";
const ASKED: &str = "请协助落实临时照护并核实监护情况(虚构)";

fn raise_body(child: &str, urgency: &str) -> Value {
    json!({
        "child_id": child,
        "source": {"kind": "direct"},
        "category": "guardianship",
        "urgency": urgency,
        "found": FOUND,
        "asked": ASKED,
    })
}

/// Raises a referral that must be accepted (201); returns it.
async fn raise(client: &Client, child: &str, urgency: &str) -> Value {
    let response = client
        .post("/api/referrals", &raise_body(child, urgency))
        .await;
    let status = response.status();
    let referral = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    referral
}

fn id_of(referral: &Value) -> String {
    referral["id"].as_str().expect("referral id").to_string()
}

fn version(referral: &Value) -> u64 {
    referral["version"].as_u64().expect("referral version")
}

/// Reads a body as JSON when it is JSON, else as a string.
async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// POST /api/referrals/{id}/{step} (`triage`, `unit` or `review`).
async fn act(client: &Client, id: &str, step: &str, action: &Value) -> (StatusCode, Value) {
    answer(
        client
            .post(&format!("/api/referrals/{id}/{step}"), action)
            .await,
    )
    .await
}

/// `act` that must succeed; returns the referral as it now is, one version on.
async fn done(client: &Client, referral: &Value, step: &str, mut action: Value) -> Value {
    action["version"] = json!(version(referral));
    let (status, after) = act(client, &id_of(referral), step, &action).await;
    assert_eq!(status, StatusCode::OK, "{step} {action}: {after}");
    assert!(
        version(&after) > version(referral),
        "a transition moves the version on: {after}"
    );
    after
}

async fn assign(admin: &Client, referral: &Value, parts: &[(&str, &str)]) -> Value {
    let parts: Vec<Value> = parts
        .iter()
        .map(|(unit, task)| json!({"unit": unit, "task": task}))
        .collect();
    done(
        admin,
        referral,
        "triage",
        json!({"kind": "assign", "parts": parts}),
    )
    .await
}

async fn take(officer: &Client, referral: &Value) -> Value {
    done(officer, referral, "unit", json!({"kind": "take"})).await
}

async fn resolve(officer: &Client, referral: &Value, outcome: &str) -> Value {
    done(
        officer,
        referral,
        "unit",
        json!({"kind": "resolve", "outcome": outcome}),
    )
    .await
}

async fn confirm(admin: &Client, referral: &Value, note: &str) -> Value {
    done(
        admin,
        referral,
        "review",
        json!({"kind": "confirm", "note": note}),
    )
    .await
}

async fn read(client: &Client, id: &str) -> Value {
    let (status, referral) = answer(client.get(&format!("/api/referrals/{id}")).await).await;
    assert_eq!(status, StatusCode::OK, "{referral}");
    referral
}

async fn read_status(client: &Client, id: &str) -> StatusCode {
    client.get(&format!("/api/referrals/{id}")).await.status()
}

async fn rows(client: &Client, query: &str) -> Vec<Value> {
    let (status, list) = answer(client.get(&format!("/api/referrals{query}")).await).await;
    assert_eq!(status, StatusCode::OK, "{query}: {list}");
    list.as_array().expect("a list of referrals").clone()
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|row| row["id"].as_str().expect("row id").to_string())
        .collect()
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed: {rows:?}"))
}

/// The history's step kinds, in order.
fn kinds(referral: &Value) -> Vec<String> {
    referral["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|step| step["kind"].as_str().expect("step kind").to_string())
        .collect()
}

fn part<'a>(referral: &'a Value, unit: &str) -> &'a Value {
    referral["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|part| part["unit"] == unit)
        .unwrap_or_else(|| panic!("no part for {unit}: {referral}"))
}

fn units_of(referral: &Value) -> BTreeSet<String> {
    referral["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| part["unit"].as_str().expect("unit").to_string())
        .collect()
}

/// How many of the client's notifications are about this referral (they link to it or name
/// the child).
async fn told(client: &Client, referral_id: &str, child_name: &str) -> usize {
    let list = body(client.get("/api/notifications").await).await;
    list.as_array()
        .expect("notifications")
        .iter()
        .filter(|note| {
            note["link"]
                .as_str()
                .is_some_and(|link| link.contains(referral_id))
                || note["text"]["zh"]
                    .as_str()
                    .is_some_and(|text| text.contains(child_name))
        })
        .count()
}

/// Whether the audit log holds an entry of `action` by `actor` (the writer batches entries,
/// so this looks a few times).
async fn audited(admin: &Client, actor: &str, action: &str) -> bool {
    for _ in 0..40 {
        let log = body(admin.get(&format!("/api/audit?actor={actor}")).await).await;
        if log["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|entry| entry["action"] == action)
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
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
async fn a_directors_referral_goes_to_the_police_and_comes_back_closed_with_the_outcome() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.loop", "director").await;
    let police = officer(&app, &admin, "police.loop", POLICE).await;
    let child = register(&admin, "闭小环", VILLAGE).await;
    let director_id = my_id(&director).await;
    let police_id = my_id(&police).await;

    // Everyone signed in reads the member units; the district's usual ones are there.
    let units = body(director.get("/api/referral-units").await).await;
    let names: Vec<&str> = units["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for unit in [POLICE, EDUCATION, CIVIL] {
        assert!(names.contains(&unit), "{unit} in {units}");
    }

    // The director raises it for a child of their village: it waits for the office.
    let raised = raise(&director, &child, "urgent").await;
    let id = id_of(&raised);
    assert_eq!(raised["state"], "submitted", "{raised}");
    assert_eq!(raised["raised_by_id"], director_id.as_str());
    assert_eq!(raised["child"]["id"], child.as_str());
    assert_eq!(raised["child"]["name"], "闭小环");
    assert_eq!(raised["category"], "guardianship");
    assert_eq!(raised["urgency"], "urgent");
    assert_eq!(raised["found"], FOUND);
    assert_eq!(raised["asked"], ASKED);
    assert_eq!(raised["source"]["kind"], "direct");
    assert!(raised["triage_by"].is_string(), "{raised}");
    assert_eq!(kinds(&raised), ["raised"]);
    assert!(
        told(&admin, &id, "闭小环").await >= 1,
        "the office hears of it"
    );
    assert_eq!(ids(&rows(&director, "").await), std::slice::from_ref(&id));
    assert_eq!(
        ids(&rows(&admin, "?state=submitted").await),
        std::slice::from_ref(&id),
        "on the office's triage list"
    );
    // Not sent to any unit yet: the police do not see it.
    assert_eq!(read_status(&police, &id).await, StatusCode::NOT_FOUND);
    assert!(rows(&police, "").await.is_empty());

    // The office sends it to the police with a task.
    let before = told(&director, &id, "闭小环").await;
    let assigned = assign(
        &admin,
        &raised,
        &[(POLICE, "入户核实监护情况,落实临时照护")],
    )
    .await;
    assert_eq!(assigned["state"], "assigned", "{assigned}");
    let police_part = part(&assigned, POLICE);
    assert_eq!(police_part["state"], "waiting");
    assert_eq!(police_part["task"], "入户核实监护情况,落实临时照护");
    assert!(police_part["respond_by"].is_string() && police_part["resolve_by"].is_string());
    assert!(assigned["triaged_at"].is_string(), "{assigned}");
    let after_assign = told(&director, &id, "闭小环").await;
    assert!(after_assign > before, "the reporter hears it was sent on");
    assert!(
        told(&police, &id, "闭小环").await >= 1,
        "the unit's officers hear of it"
    );
    let queue = rows(&police, "").await;
    assert_eq!(ids(&queue), std::slice::from_ref(&id));
    assert_eq!(row(&queue, &id)["my_part"], "waiting");
    assert_eq!(row(&queue, &id)["units"], json!([POLICE]));

    // An officer of the unit takes it, reports progress and resolves it.
    let taken = take(&police, &assigned).await;
    assert_eq!(taken["state"], "in_progress", "{taken}");
    let police_part = part(&taken, POLICE);
    assert_eq!(police_part["state"], "accepted");
    assert_eq!(police_part["officer_id"], police_id.as_str());
    assert_eq!(police_part["officer_name"], "郑警官");
    assert!(police_part["responded_at"].is_string());
    let updated = done(
        &police,
        &taken,
        "unit",
        json!({"kind": "update", "text": "已入户,祖母下周出院,邻居暂时照看(虚构)"}),
    )
    .await;
    assert_eq!(updated["state"], "in_progress");
    const OUTCOME: &str = "已与在外务工的父亲联系,委托姑姑照护,签订委托照护协议(虚构)";
    let resolved = resolve(&police, &updated, OUTCOME).await;
    assert_eq!(resolved["state"], "resolved", "{resolved}");
    let police_part = part(&resolved, POLICE);
    assert_eq!(police_part["state"], "resolved");
    assert_eq!(police_part["outcome"], OUTCOME);
    assert!(police_part["resolved_at"].is_string());
    let after_resolve = told(&director, &id, "闭小环").await;
    assert!(
        after_resolve > after_assign,
        "the reporter hears it was resolved"
    );
    assert_eq!(
        row(&rows(&admin, "?state=resolved").await, &id)["state"],
        "resolved"
    );

    // The office confirms: closed, with the closing note as the outcome.
    const NOTE: &str = "确认办结:已委托姑姑照护,村委会每月回访(虚构)";
    let closed = confirm(&admin, &resolved, NOTE).await;
    assert_eq!(closed["state"], "closed", "{closed}");
    assert_eq!(closed["outcome"], NOTE);
    assert!(closed["closed_at"].is_string());
    assert!(
        told(&director, &id, "闭小环").await > after_resolve,
        "the reporter hears it was closed"
    );

    // The reporter sees the whole loop: the state, the outcome, every step.
    let seen = read(&director, &id).await;
    assert_eq!(seen["state"], "closed");
    assert_eq!(seen["outcome"], NOTE);
    assert_eq!(part(&seen, POLICE)["outcome"], OUTCOME);
    assert_eq!(
        kinds(&seen),
        [
            "raised",
            "assigned",
            "taken",
            "update",
            "resolved",
            "confirmed"
        ],
        "{seen}"
    );
    let open = rows(&director, "?open=true").await;
    assert!(!ids(&open).contains(&id), "closed is not open");
    assert_eq!(
        ids(&rows(&director, "?state=closed").await),
        std::slice::from_ref(&id)
    );
    assert_eq!(read(&police, &id).await["state"], "closed");

    // A closed referral takes no more steps.
    let (status, _) = act(
        &admin,
        &id,
        "review",
        &json!({"kind": "reopen", "version": version(&closed), "reason": "再看看"}),
    )
    .await;
    assert!(status.is_client_error(), "reopening a closed one: {status}");

    // Every view and every list is in the audit log.
    assert!(audited(&admin, &police_id, "referral_viewed").await);
    assert!(audited(&admin, &police_id, "referrals_listed").await);
    assert!(audited(&admin, &director_id, "referral_viewed").await);
}

#[tokio::test]
async fn the_office_answers_one_declines_another_and_the_reporter_is_told_why() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.answer", "director").await;
    let first = register(&admin, "答小复", VILLAGE).await;
    let second = register(&admin, "拒小受", VILLAGE).await;

    let asked = raise(&director, &first, "normal").await;
    let id = id_of(&asked);
    let before = told(&director, &id, "答小复").await;
    const ANSWER: &str = "可申请临时救助,申请表在街道社会事务办领取(虚构)";
    let answered = done(
        &admin,
        &asked,
        "triage",
        json!({"kind": "answer", "text": ANSWER}),
    )
    .await;
    assert_eq!(answered["state"], "closed", "{answered}");
    assert_eq!(answered["outcome"], ANSWER);
    assert!(answered["parts"].as_array().unwrap().is_empty());
    assert_eq!(kinds(&answered), ["raised", "answered"]);
    assert!(told(&director, &id, "答小复").await > before);
    let seen = read(&director, &id).await;
    assert_eq!(
        (seen["state"].clone(), seen["outcome"].clone()),
        (json!("closed"), json!(ANSWER))
    );

    let declined_one = raise(&director, &second, "normal").await;
    let declined_id = id_of(&declined_one);
    // A reason is required.
    let (status, _) = act(
        &admin,
        &declined_id,
        "triage",
        &json!({"kind": "decline", "version": version(&declined_one), "reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let before = told(&director, &declined_id, "拒小受").await;
    const REASON: &str = "不属于转介范围,建议联系学校图书角(虚构)";
    let declined = done(
        &admin,
        &declined_one,
        "triage",
        json!({"kind": "decline", "reason": REASON}),
    )
    .await;
    assert_eq!(declined["state"], "declined", "{declined}");
    assert_eq!(declined["outcome"], REASON);
    assert_eq!(kinds(&declined), ["raised", "declined"]);
    assert!(told(&director, &declined_id, "拒小受").await > before);

    // Neither is open; each is listed under its state.
    assert!(rows(&director, "?open=true").await.is_empty());
    assert_eq!(
        ids(&rows(&director, "?state=declined").await),
        std::slice::from_ref(&declined_id)
    );
    assert_eq!(
        ids(&rows(&director, "?state=closed").await),
        std::slice::from_ref(&id)
    );
    // A declined referral cannot then be assigned.
    let (status, _) = act(
        &admin,
        &declined_id,
        "triage",
        &json!({"kind": "assign", "version": version(&declined),
                "parts": [{"unit": POLICE, "task": "核实"}]}),
    )
    .await;
    assert!(
        status.is_client_error(),
        "assigning a declined one: {status}"
    );
}

#[tokio::test]
async fn a_returned_referral_goes_back_to_the_office_and_a_reopened_one_is_resolved_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.return", "director").await;
    let police = officer(&app, &admin, "police.return", POLICE).await;
    let schools = officer(&app, &admin, "edu.return", EDUCATION).await;
    let child = register(&admin, "退小回", VILLAGE).await;

    let raised = raise(&director, &child, "normal").await;
    let id = id_of(&raised);
    let assigned = assign(&admin, &raised, &[(POLICE, "核实辍学原因")]).await;

    // The police return it: not theirs. With no part left waiting or taken, the office has it
    // again.
    let (status, _) = act(
        &police,
        &id,
        "unit",
        &json!({"kind": "return", "version": version(&assigned), "reason": ""}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let returned = done(
        &police,
        &assigned,
        "unit",
        json!({"kind": "return", "reason": "属于就学问题,建议转教育部门(虚构)"}),
    )
    .await;
    assert_eq!(returned["state"], "submitted", "{returned}");
    assert_eq!(part(&returned, POLICE)["state"], "returned");
    assert!(ids(&rows(&admin, "?state=submitted").await).contains(&id));

    // The office sends it to education instead; their officer takes and resolves it.
    let reassigned = assign(&admin, &returned, &[(EDUCATION, "联系学校劝返复学")]).await;
    assert_eq!(reassigned["state"], "assigned");
    assert_eq!(part(&reassigned, EDUCATION)["state"], "waiting");
    let taken = take(&schools, &reassigned).await;
    assert_eq!(taken["state"], "in_progress");
    let resolved = resolve(&schools, &taken, "学校已家访,孩子下周一返校(虚构)").await;
    assert_eq!(
        resolved["state"], "resolved",
        "every part resolved or returned, one resolved: {resolved}"
    );

    // The office reopens it: in progress again, the resolved part back with its officer.
    let (status, _) = act(
        &admin,
        &id,
        "review",
        &json!({"kind": "reopen", "version": version(&resolved), "reason": ""}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let before = told(&director, &id, "退小回").await;
    let reopened = done(
        &admin,
        &resolved,
        "review",
        json!({"kind": "reopen", "reason": "回访发现孩子仍未返校(虚构)"}),
    )
    .await;
    assert_eq!(reopened["state"], "in_progress", "{reopened}");
    assert_eq!(part(&reopened, EDUCATION)["state"], "accepted");
    assert!(told(&director, &id, "退小回").await > before);
    let again = resolve(&schools, &reopened, "已返校,班主任每周反馈出勤(虚构)").await;
    assert_eq!(again["state"], "resolved");
    let closed = confirm(&admin, &again, "确认已返校(虚构)").await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(
        kinds(&read(&director, &id).await),
        [
            "raised",
            "assigned",
            "returned",
            "assigned",
            "taken",
            "resolved",
            "reopened",
            "resolved",
            "confirmed"
        ]
    );
}

#[tokio::test]
async fn officers_see_only_their_units_referrals_their_own_part_and_nothing_of_the_record() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.scope", "director").await;
    let neighbour = director_of(&app, &admin, "dir.neighbour", OTHER_VILLAGE).await;
    let police = officer(&app, &admin, "police.scope", POLICE).await;
    let education = officer(&app, &admin, "edu.scope", EDUCATION).await;
    let civil = officer(&app, &admin, "civil.scope", CIVIL).await;
    let child = register(&admin, "限小权", VILLAGE).await;
    let record = body(admin.get(&format!("/api/children/{child}")).await).await;
    let masked_id_number = record["child"]["id_number"]
        .as_str()
        .expect("a masked ID number on the record")
        .to_string();

    let raised = raise(&director, &child, "urgent").await;
    let id = id_of(&raised);
    const POLICE_TASK: &str = "核实是否存在安全隐患(虚构)";
    const EDUCATION_TASK: &str = "学校安排课后托管(虚构)";
    let assigned = assign(
        &admin,
        &raised,
        &[(POLICE, POLICE_TASK), (EDUCATION, EDUCATION_TASK)],
    )
    .await;
    assert_eq!(
        units_of(&assigned),
        BTreeSet::from([POLICE.to_string(), EDUCATION.to_string()]),
        "the office sees every part"
    );

    // An officer of a unit with no part learns nothing: not the referral, not a step on it.
    assert_eq!(read_status(&civil, &id).await, StatusCode::NOT_FOUND);
    for action in [
        json!({"kind": "take", "version": version(&assigned)}),
        json!({"kind": "return", "version": version(&assigned), "reason": "不是我们的"}),
        json!({"kind": "update", "version": version(&assigned), "text": "进展"}),
        json!({"kind": "resolve", "version": version(&assigned), "outcome": "办结"}),
    ] {
        let (status, _) = act(&civil, &id, "unit", &action).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
    }
    assert!(rows(&civil, "").await.is_empty());
    assert!(rows(&civil, "?open=true").await.is_empty());
    // Another village's director does not see it either, nor raise one for the child.
    assert_eq!(read_status(&neighbour, &id).await, StatusCode::NOT_FOUND);
    assert!(rows(&neighbour, "").await.is_empty());
    let refused = neighbour
        .post("/api/referrals", &raise_body(&child, "normal"))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::NOT_FOUND,
        "not a child of their villages"
    );

    // The police see the child's name, age, village and guardian, and what the referral says;
    // nothing else of the registry record, and nothing of education's part.
    let response = police.get(&format!("/api/referrals/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw = response.text().await.unwrap();
    let seen: Value = serde_json::from_str(&raw).unwrap();
    let keys: BTreeSet<&str> = seen["child"]
        .as_object()
        .expect("child")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "id",
            "name",
            "age",
            "village_code",
            "guardian",
            "care_level"
        ]),
        "{raw}"
    );
    assert_eq!(seen["child"]["name"], "限小权");
    assert_eq!(seen["child"]["village_code"], VILLAGE);
    let today = shared::time::beijing_date(Utc::now());
    let age = today.year() - 2015 - i32::from((today.month(), today.day()) < (5, 5));
    assert_eq!(seen["child"]["age"], age, "{raw}");
    let guardian = seen["child"]["guardian"].as_str().unwrap();
    assert!(
        guardian.contains("王奶奶") && guardian.contains("13800001111"),
        "{guardian}"
    );
    assert_eq!(seen["found"], FOUND);
    assert_eq!(seen["asked"], ASKED);
    for secret in [
        "id_number",
        masked_id_number.as_str(),
        "residence_detail",
        "示例路 8 号",
        "龙湾区永中第一小学",
        "四(1)班",
        "画画",
        "birth_date",
        "2015-05-05",
        EDUCATION_TASK,
    ] {
        assert!(
            !raw.contains(secret),
            "{secret} must not reach the police: {raw}"
        );
    }
    assert_eq!(units_of(&seen), BTreeSet::from([POLICE.to_string()]));
    assert_eq!(part(&seen, POLICE)["task"], POLICE_TASK);
    for step in seen["history"].as_array().unwrap() {
        assert_ne!(step["unit"], EDUCATION, "education's steps: {step}");
    }
    let queue = rows(&police, "").await;
    assert_eq!(ids(&queue), std::slice::from_ref(&id));
    assert_eq!(row(&queue, &id)["my_part"], "waiting");

    // The police take their part and report progress; education does not see it.
    let taken = take(&police, &seen).await;
    assert_eq!(units_of(&taken), BTreeSet::from([POLICE.to_string()]));
    const PROGRESS: &str = "民警已上门了解情况(虚构)";
    done(
        &police,
        &taken,
        "unit",
        json!({"kind": "update", "text": PROGRESS}),
    )
    .await;
    let response = education.get(&format!("/api/referrals/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw = response.text().await.unwrap();
    let theirs: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(units_of(&theirs), BTreeSet::from([EDUCATION.to_string()]));
    assert_eq!(part(&theirs, EDUCATION)["state"], "waiting");
    for secret in [PROGRESS, POLICE_TASK, "id_number", "示例路 8 号"] {
        assert!(
            !raw.contains(secret),
            "{secret} must not reach education: {raw}"
        );
    }
    // The office and the reporter see both parts and every step.
    let whole = read(&admin, &id).await;
    assert_eq!(
        units_of(&whole),
        BTreeSet::from([POLICE.to_string(), EDUCATION.to_string()])
    );
    assert!(kinds(&whole).contains(&"update".to_string()));
    assert_eq!(units_of(&read(&director, &id).await).len(), 2);

    // A teacher raises only for a child whose case group they are in.
    let pupil = register_at(&admin, "组小员", VILLAGE, Some(SCHOOL)).await;
    let lead = teacher_of(&app, &admin, "lead.refer", SCHOOL).await;
    let colleague = teacher_of(&app, &admin, "other.refer", SCHOOL).await;
    assert_eq!(
        lead.post("/api/cases", &json!({"child_id": pupil}))
            .await
            .status(),
        StatusCode::CREATED
    );
    let mut from_group = raise_body(&pupil, "normal");
    from_group["source"] = json!({"kind": "case_group"});
    let refused = colleague.post("/api/referrals", &from_group).await;
    assert_eq!(
        refused.status(),
        StatusCode::NOT_FOUND,
        "a teacher outside the group"
    );
    let refused = lead
        .post("/api/referrals", &raise_body(&child, "normal"))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::NOT_FOUND,
        "a child with no group of theirs"
    );
    let response = lead.post("/api/referrals", &from_group).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let by_lead = body(response).await;
    assert_eq!(by_lead["source"]["kind"], "case_group");
    // Each reporter lists their own; nobody else's.
    assert_eq!(ids(&rows(&lead, "").await), [id_of(&by_lead)]);
    assert_eq!(read_status(&lead, &id).await, StatusCode::NOT_FOUND);
    assert_eq!(
        read_status(&colleague, &id_of(&by_lead)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ids(&rows(&director, "").await), std::slice::from_ref(&id));
    let everything = ids(&rows(&admin, "").await);
    assert_eq!(everything.len(), 2);
}

const TAKERS: usize = 20;

#[tokio::test]
async fn of_twenty_officers_taking_one_referral_at_once_exactly_one_gets_it() {
    take_over(TestApp::spawn().await).await;
}

#[tokio::test]
async fn one_officer_gets_the_referral_with_a_fifth_of_store_calls_faulted() {
    take_over(TestApp::spawn_with_faults(0.2, 1301).await).await;
}

/// Twenty officers of one unit tap "接收" on the same version at the same instant: one takes
/// it, every other hears a colleague got there first, and on reloading sees who.
async fn take_over(app: TestApp) {
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.race", "director").await;
    let child = register(&admin, "抢小单", VILLAGE).await;
    let raised = raise(&director, &child, "urgent").await;
    let assigned = assign(&admin, &raised, &[(POLICE, "立即核实")]).await;
    let id = id_of(&assigned);
    let officers = officers_in_store(&app, "police", TAKERS, POLICE).await;
    let http = reqwest::Client::new();
    let path = format!("/api/referrals/{id}/unit");
    let action = json!({"kind": "take", "version": version(&assigned)});

    let answers = join_all(officers.iter().map(|(token, user_id, name)| {
        let client = TokenClient::new(&app, &http, token);
        let (path, action) = (&path, &action);
        async move {
            let status = client.post(path, action).await.status();
            (status, user_id.clone(), name.clone())
        }
    }))
    .await;
    let winners: Vec<&(StatusCode, String, String)> = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::OK)
        .collect();
    let conflicts = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::CONFLICT)
        .count();
    let others: Vec<u16> = answers
        .iter()
        .map(|(status, _, _)| status.as_u16())
        .filter(|status| *status != 200 && *status != 409)
        .collect();
    println!(
        "{TAKERS} officers taking one referral at once: {} took it, {conflicts} told a colleague \
         was first, other answers {others:?}; store: {}",
        winners.len(),
        app.fault_summary()
    );
    assert_eq!((winners.len(), conflicts), (1, TAKERS - 1));
    let (_, winner_id, winner_name) = winners[0];

    let whole = read(&admin, &id).await;
    assert_eq!(whole["state"], "in_progress");
    let taken = part(&whole, POLICE);
    assert_eq!(taken["state"], "accepted");
    assert_eq!(taken["officer_id"], winner_id.as_str());
    assert_eq!(taken["officer_name"], winner_name.as_str());
    assert_eq!(
        kinds(&whole).iter().filter(|kind| *kind == "taken").count(),
        1,
        "one take in the history: {whole}"
    );
    // A colleague who lost reloads and sees who has it, and cannot act in their place.
    let (loser_token, loser_id, _) = officers
        .iter()
        .find(|(_, user_id, _)| user_id != winner_id)
        .expect("a colleague");
    assert_ne!(loser_id, winner_id);
    let loser = TokenClient::new(&app, &http, loser_token);
    let response = loser.get(&format!("/api/referrals/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = body(response).await;
    assert_eq!(part(&seen, POLICE)["officer_id"], winner_id.as_str());
    let status = loser
        .post(
            &path,
            &json!({"kind": "update", "version": version(&seen), "text": "我也去看看"}),
        )
        .await
        .status();
    assert!(
        !status.is_success(),
        "only the officer who took it reports on it: {status}"
    );
    let status = loser
        .post(&path, &json!({"kind": "take", "version": version(&seen)}))
        .await
        .status();
    assert!(!status.is_success(), "taken already: {status}");
    assert_eq!(
        version(&read(&admin, &id).await),
        version(&seen),
        "nothing changed"
    );
}

#[tokio::test]
async fn a_step_from_a_stale_version_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.stale", "director").await;
    let police = officer(&app, &admin, "police.stale", POLICE).await;
    let schools = officer(&app, &admin, "edu.stale", EDUCATION).await;
    let child = register(&admin, "旧小版", VILLAGE).await;
    let raised = raise(&director, &child, "normal").await;
    let id = id_of(&raised);

    // The office assigns; the police return it; an assignment from the version read before the
    // return is refused (someone changed it since).
    let assigned = assign(&admin, &raised, &[(POLICE, "核实")]).await;
    let returned = done(
        &police,
        &assigned,
        "unit",
        json!({"kind": "return", "reason": "非本单位职责(虚构)"}),
    )
    .await;
    assert_eq!(returned["state"], "submitted");
    let (status, error) = act(
        &admin,
        &id,
        "triage",
        &json!({"kind": "assign", "version": version(&assigned),
                "parts": [{"unit": EDUCATION, "task": "联系学校"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let unchanged = read(&admin, &id).await;
    assert_eq!(version(&unchanged), version(&returned));
    assert_eq!(unchanged["state"], "submitted");

    // Sent to education and taken there; an update from the version before the take is
    // refused; from the current one, kept.
    let reassigned = assign(&admin, &returned, &[(EDUCATION, "联系学校")]).await;
    let taken = take(&schools, &reassigned).await;
    let (status, error) = act(
        &schools,
        &id,
        "unit",
        &json!({"kind": "update", "version": version(&reassigned), "text": "旧版本的进展"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let unchanged = read(&admin, &id).await;
    assert_eq!(version(&unchanged), version(&taken));
    assert!(!kinds(&unchanged).contains(&"update".to_string()));
    let updated = done(
        &schools,
        &taken,
        "unit",
        json!({"kind": "update", "text": "当前版本的进展"}),
    )
    .await;
    assert_eq!(
        kinds(&updated)
            .iter()
            .filter(|kind| *kind == "update")
            .count(),
        1
    );
}

#[tokio::test]
async fn the_office_keeps_the_member_units_and_assigns_only_to_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.units", "director").await;
    let child = register(&admin, "单小位", VILLAGE).await;
    let defaults = body(director.get("/api/referral-units").await).await;
    assert_eq!(defaults["urgent_response_days"], 1, "{defaults}");
    assert_eq!(defaults["normal_response_days"], 3);
    assert_eq!(defaults["resolve_days"], 10);

    let raised = raise(&director, &child, "normal").await;
    let (status, error) = act(
        &admin,
        &id_of(&raised),
        "triage",
        &json!({"kind": "assign", "version": version(&raised),
                "parts": [{"unit": "区应急管理局", "task": "核实"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        field_names(&error).iter().any(|field| field == "parts"),
        "{error}"
    );

    let mut units = defaults.clone();
    units["units"]
        .as_array_mut()
        .unwrap()
        .push(json!("区应急管理局"));
    let saved = put(&director, "/api/referral-units", &units).await;
    assert_eq!(saved.status(), StatusCode::FORBIDDEN, "the office's list");
    let saved = put(&admin, "/api/referral-units", &units).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let read_back = body(director.get("/api/referral-units").await).await;
    assert!(read_back["units"]
        .as_array()
        .unwrap()
        .contains(&json!("区应急管理局")));
    let assigned = assign(&admin, &raised, &[("区应急管理局", "核实房屋安全")]).await;
    assert_eq!(assigned["state"], "assigned");

    let mut empty = defaults.clone();
    empty["units"] = json!([]);
    assert_eq!(
        put(&admin, "/api/referral-units", &empty).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut zero = defaults;
    zero["resolve_days"] = json!(0);
    assert_eq!(
        put(&admin, "/api/referral-units", &zero).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

fn overdue_flags(rows: &[Value]) -> BTreeMap<String, bool> {
    rows.iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_string(),
                row["overdue"].as_bool().expect("overdue flag"),
            )
        })
        .collect()
}

/// Overdue rows come before the others.
fn overdue_first(rows: &[Value]) {
    let flags: Vec<bool> = rows.iter().map(|row| row["overdue"] == true).collect();
    let first_on_time = flags.iter().position(|late| !late).unwrap_or(flags.len());
    assert!(
        flags[first_on_time..].iter().all(|late| !late),
        "overdue rows first: {rows:?}"
    );
}

#[tokio::test]
async fn deadlines_count_working_days_and_overdue_referrals_come_first() {
    // Friday 27 November 2026, 10:00 in Beijing.
    let (clock, options) = fixed("2026-11-27T02:00:00Z");
    let app = TestApp::spawn_with(options).await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.deadline", "director").await;
    officer(&app, &admin, "police.deadline", POLICE).await;
    let mut children = Vec::new();
    for name in ["期小一", "期小二", "期小三", "期小四"] {
        children.push(register(&admin, name, VILLAGE).await);
    }

    // Raised on a Friday: the office answers an urgent one by Monday, a normal one by Wednesday.
    let urgent0 = raise(&director, &children[0], "urgent").await;
    assert_eq!(urgent0["triage_by"], "2026-11-30", "{urgent0}");
    clock.advance(Duration::minutes(1));
    let normal0 = raise(&director, &children[1], "normal").await;
    assert_eq!(normal0["triage_by"], "2026-12-02", "{normal0}");

    // Monday is made a public holiday: Tuesday and Thursday then.
    let settings = json!({
        "urgent_months": 1, "focus_months": 2, "routine_months": 3,
        "first_visit_working_days": 5,
        "calendar": {"holidays": ["2026-11-30"], "make_up_days": []}
    });
    assert_eq!(
        put(&admin, "/api/settings/visits", &settings)
            .await
            .status(),
        StatusCode::OK
    );
    clock.advance(Duration::minutes(1));
    let urgent1 = raise(&director, &children[2], "urgent").await;
    assert_eq!(urgent1["triage_by"], "2026-12-01", "{urgent1}");
    clock.advance(Duration::minutes(1));
    let normal1 = raise(&director, &children[3], "normal").await;
    assert_eq!(normal1["triage_by"], "2026-12-03", "{normal1}");
    assert_eq!(
        read(&admin, &id_of(&urgent0)).await["triage_by"],
        "2026-11-30",
        "a deadline once set stays"
    );

    // Assigned the same Friday: the unit's first answer is due by urgency, resolution in ten
    // working days (1–4, 7–11, 14 December) or by the office's date.
    let urgent1 = assign(&admin, &urgent1, &[(POLICE, "核实")]).await;
    let part1 = part(&urgent1, POLICE);
    assert_eq!(part1["respond_by"], "2026-12-01", "{urgent1}");
    assert_eq!(part1["resolve_by"], "2026-12-14", "{urgent1}");
    let normal1 = done(
        &admin,
        &normal1,
        "triage",
        json!({"kind": "assign", "resolve_by": "2026-12-04",
               "parts": [{"unit": POLICE, "task": "核实"}]}),
    )
    .await;
    let part2 = part(&normal1, POLICE);
    assert_eq!(part2["respond_by"], "2026-12-03", "{normal1}");
    assert_eq!(part2["resolve_by"], "2026-12-04", "{normal1}");
    let (u0, n0, u1, n1) = (
        id_of(&urgent0),
        id_of(&normal0),
        id_of(&urgent1),
        id_of(&normal1),
    );
    let flags = overdue_flags(&rows(&admin, "").await);
    assert!(
        flags.values().all(|late| !late),
        "nothing late on Friday: {flags:?}"
    );

    // Tuesday: the urgent one the office has not answered is late.
    move_to(&clock, "2026-12-01T02:00:00Z");
    let admin = app.admin().await;
    let list = rows(&admin, "").await;
    overdue_first(&list);
    assert_eq!(
        overdue_flags(&list),
        BTreeMap::from([
            (u0.clone(), true),
            (n0.clone(), false),
            (u1.clone(), false),
            (n1.clone(), false)
        ])
    );
    let director = signed_in(&app, "dir.deadline").await;
    assert_eq!(row(&rows(&director, "").await, &u0)["overdue"], true);

    // Wednesday: the police have not answered the urgent one; once they take it, it is on
    // time again (resolution is due on the 14th).
    move_to(&clock, "2026-12-02T02:00:00Z");
    let admin = app.admin().await;
    let police = signed_in(&app, "police.deadline").await;
    let queue = rows(&police, "").await;
    assert_eq!(
        overdue_flags(&queue),
        BTreeMap::from([(u1.clone(), true), (n1.clone(), false)])
    );
    assert_eq!(ids(&queue)[0], u1, "the late one first");
    let flags = overdue_flags(&rows(&admin, "").await);
    assert_eq!((flags[&u0], flags[&n0], flags[&u1]), (true, false, true));
    let taken = take(&police, &read(&police, &u1).await).await;
    assert_eq!(part(&taken, POLICE)["state"], "accepted");
    assert_eq!(row(&rows(&police, "").await, &u1)["overdue"], false);

    // Thursday: the normal one the office has not answered is late too.
    move_to(&clock, "2026-12-03T02:00:00Z");
    let admin = app.admin().await;
    let flags = overdue_flags(&rows(&admin, "").await);
    assert_eq!(
        (flags[&u0], flags[&n0], flags[&u1], flags[&n1]),
        (true, true, false, false)
    );

    // Saturday: the police's normal one was due on Thursday; taken now, it is still late, since
    // the office wanted it resolved by Friday.
    move_to(&clock, "2026-12-05T02:00:00Z");
    let admin = app.admin().await;
    let police = signed_in(&app, "police.deadline").await;
    assert_eq!(row(&rows(&police, "").await, &n1)["overdue"], true);
    take(&police, &read(&police, &n1).await).await;
    let list = rows(&admin, "").await;
    overdue_first(&list);
    assert_eq!(
        ids(&list),
        [n1.clone(), n0.clone(), u0.clone(), u1.clone()],
        "overdue first, then newest: {list:?}"
    );
    assert_eq!(
        overdue_flags(&rows(&police, "").await),
        BTreeMap::from([(u1.clone(), false), (n1.clone(), true)])
    );
    let open = rows(&admin, "?open=true").await;
    assert_eq!(open.len(), 4);
    let waiting = rows(&admin, "?state=submitted").await;
    assert_eq!(
        ids(&waiting).into_iter().collect::<BTreeSet<_>>(),
        BTreeSet::from([u0, n0])
    );
}

fn close_to(value: &Value, expected: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|actual| (actual - expected).abs() < 0.01)
}

fn unit_row<'a>(report: &'a Value, unit: &str) -> &'a Value {
    report["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|row| row["unit"] == unit)
        .unwrap_or_else(|| panic!("no row for {unit}: {report}"))
}

#[tokio::test]
async fn the_monthly_report_counts_referrals_times_each_unit_and_exports_a_workbook() {
    // Thursday 15 October 2026, 10:00 in Beijing: one referral, answered by the office.
    let (clock, options) = fixed("2026-10-15T02:00:00Z");
    let app = TestApp::spawn_with(options).await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.report", "director").await;
    officer(&app, &admin, "police.report", POLICE).await;
    let mut children = Vec::new();
    for name in ["报小零", "报小一", "报小二", "报小三", "报小四", "报小五"] {
        children.push(register(&admin, name, VILLAGE).await);
    }
    let october = raise(&director, &children[0], "normal").await;
    done(
        &admin,
        &october,
        "triage",
        json!({"kind": "answer", "text": "已电话答复(虚构)"}),
    )
    .await;

    // Monday 2 November, 10:00: five raised. Three go to the police, one to education, one
    // waits for the office.
    move_to(&clock, "2026-11-02T02:00:00Z");
    let admin = app.admin().await;
    let director = signed_in(&app, "dir.report").await;
    let mut raised = Vec::new();
    for child in &children[1..] {
        raised.push(raise(&director, child, "normal").await);
    }
    let mut police_ones = Vec::new();
    for referral in &raised[..3] {
        police_ones.push(assign(&admin, referral, &[(POLICE, "核实")]).await);
    }
    assign(&admin, &raised[4], &[(EDUCATION, "联系学校")]).await;

    // The police take them 2, 6 and 10 hours after they were sent.
    let mut taken = Vec::new();
    for (referral, at) in police_ones.iter().zip([
        "2026-11-02T04:00:00Z",
        "2026-11-02T08:00:00Z",
        "2026-11-02T12:00:00Z",
    ]) {
        move_to(&clock, at);
        let police = signed_in(&app, "police.report").await;
        taken.push(take(&police, referral).await);
    }
    // They resolve the first a day after it was sent and the second three days after; the
    // office confirms both. The third stays with them.
    for (referral, at) in taken[..2]
        .iter()
        .zip(["2026-11-03T02:00:00Z", "2026-11-05T02:00:00Z"])
    {
        move_to(&clock, at);
        let police = signed_in(&app, "police.report").await;
        let resolved = resolve(&police, referral, "已处理(虚构)").await;
        let admin = app.admin().await;
        confirm(&admin, &resolved, "确认(虚构)").await;
    }

    // Friday 20 November: the office's meeting.
    move_to(&clock, "2026-11-20T02:00:00Z");
    let admin = app.admin().await;
    let director = signed_in(&app, "dir.report").await;
    assert_eq!(
        director.get("/api/referrals/report").await.status(),
        StatusCode::FORBIDDEN
    );
    for path in [
        "/api/referrals/report",
        "/api/referrals/report?month=2026-11",
    ] {
        let response = admin.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let report = body(response).await;
        assert_eq!(report["month"], "2026-11", "{report}");
        assert_eq!(report["raised"], 5, "{report}");
        // Open: the police's third, education's waiting one, the office's own.
        assert_eq!(report["open"], 3, "{report}");
        // All three late: resolution was due on 16 November, a first answer on the 5th, the
        // office's triage on the 5th.
        assert_eq!(report["overdue"], 3, "{report}");
        assert_eq!(report["waiting_for_office"], 1, "{report}");

        let police = unit_row(&report, POLICE);
        assert_eq!(police["open"], 1, "{police}");
        assert_eq!(police["overdue"], 1, "{police}");
        assert_eq!(
            police["ages"],
            json!([0, 0, 1, 0]),
            "18 days since sent: {police}"
        );
        assert!(close_to(&police["response_hours_median"], 6.0), "{police}");
        assert!(close_to(&police["response_hours_p90"], 10.0), "{police}");
        assert!(close_to(&police["resolution_days_median"], 1.0), "{police}");
        assert!(close_to(&police["resolution_days_p90"], 3.0), "{police}");

        let education = unit_row(&report, EDUCATION);
        assert_eq!(education["open"], 1, "{education}");
        assert_eq!(education["overdue"], 1, "{education}");
        assert_eq!(education["ages"], json!([0, 0, 1, 0]), "{education}");
        assert!(education["response_hours_median"].is_null(), "{education}");
        assert!(education["resolution_days_median"].is_null(), "{education}");
        println!(
            "2026-11: {} raised, {} open, {} overdue, {} waiting for the office; police: first \
             answer median {}h (p90 {}h), resolution median {} d (p90 {} d)",
            report["raised"],
            report["open"],
            report["overdue"],
            report["waiting_for_office"],
            police["response_hours_median"],
            police["response_hours_p90"],
            police["resolution_days_median"],
            police["resolution_days_p90"]
        );
    }
    // October: one raised, answered by the office; nothing was sent to a unit, so no times.
    let last_month = body(admin.get("/api/referrals/report?month=2026-10").await).await;
    assert_eq!(last_month["month"], "2026-10");
    assert_eq!(last_month["raised"], 1, "{last_month}");
    let police = unit_row(&last_month, POLICE);
    assert!(police["response_hours_median"].is_null(), "{police}");
    assert!(police["resolution_days_median"].is_null(), "{police}");
    assert_eq!(
        admin
            .get("/api/referrals/report?month=2026-13")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The same as a workbook for the meeting, and as CSV.
    let xlsx = admin
        .get("/api/referrals/report/export?month=2026-11&format=xlsx")
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    let csv = admin
        .get("/api/referrals/report/export?month=2026-11&format=csv")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains(POLICE) && csv.contains(EDUCATION), "{csv}");
}

/// The reviewer's cases: an officer never reads another unit's outcome, even after closure; a
/// colleague can hand back a part taken by someone who left; the office sends a returned task
/// to another unit while a third still works on its part; a row is late only by the reader's
/// own unit's deadline.
#[tokio::test]
async fn units_keep_to_their_part_and_the_office_can_send_a_returned_task_elsewhere() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "dir.review", "director").await;
    let police = officer(&app, &admin, "police.review", POLICE).await;
    let police_colleague = officer(&app, &admin, "police.colleague", POLICE).await;
    let education = officer(&app, &admin, "edu.review", EDUCATION).await;
    let civil = officer(&app, &admin, "civil.review", CIVIL).await;
    let child = register(&admin, "单小位", tests::VILLAGE).await;

    let referral = raise(&director, &child, "normal").await;
    let referral = assign(
        &admin,
        &referral,
        &[(POLICE, "核实监护情况"), (EDUCATION, "协助复学")],
    )
    .await;
    // Education returns its part; police take theirs; the office sends education's task to
    // civil affairs while the police still work.
    let referral = done(
        &education,
        &read(&education, &id_of(&referral)).await,
        "unit",
        json!({"kind": "return", "reason": "非本单位职责"}),
    )
    .await;
    let referral = take(&police, &read(&police, &id_of(&referral)).await).await;
    let referral = assign(
        &admin,
        &read(&admin, &id_of(&referral)).await,
        &[(CIVIL, "协助申请临时救助")],
    )
    .await;
    assert_eq!(referral["state"], "in_progress", "{referral}");
    let id = id_of(&referral);

    // The police officer who took it leaves; a colleague hands the part back.
    let colleague_view = read(&police_colleague, &id).await;
    let referral = done(
        &police_colleague,
        &colleague_view,
        "unit",
        json!({"kind": "return", "reason": "承办人调岗"}),
    )
    .await;
    assert_eq!(part(&referral, POLICE)["state"], "returned");

    // Civil affairs resolves; the office closes with no note of its own.
    let referral = take(&civil, &read(&civil, &id).await).await;
    resolve(&civil, &referral, "已办理临时救助(虚构)").await;
    let referral = confirm(&admin, &read(&admin, &id).await, "").await;
    assert_eq!(referral["state"], "closed");

    // The education officer still sees the referral their unit returned, but nothing of the
    // other units' parts or outcomes.
    let seen = read(&education, &id).await;
    let text = seen.to_string();
    assert!(
        !text.contains("临时救助"),
        "another unit's task or outcome: {text}"
    );
    assert_eq!(seen["outcome"], "");
    assert_eq!(seen["parts"].as_array().map(Vec::len), Some(1));
    // The reporter sees every part's outcome (the closed loop), without officers' account ids.
    let reporter_view = read(&director, &id).await;
    assert!(reporter_view.to_string().contains("已办理临时救助"));
    assert!(reporter_view["parts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|part| part["officer_id"].is_null()));
}
