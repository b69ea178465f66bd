//! Case groups on the embedded engine: who may see a student's case, versioned plans with
//! stale-edit refusal (also under 100 simultaneous saves), append-only notes, crisis flags.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, PASSWORD, VILLAGE};

const SCHOOL: &str = "龙湾区第一小学";

async fn teacher_of(app: &TestApp, admin: &Client, username: &str, school: &str) -> Client {
    let created = body(
        admin
            .post(
                "/api/users",
                &json!({"username": username, "display_name": "老师", "role": "teacher",
        "scope": {"kind": "school", "name": school}}),
            )
            .await,
    )
    .await;
    let client = app.client();
    client
        .post(
            "/api/auth/activate",
            &json!({"invite_code": created["invite_code"], "password": PASSWORD}),
        )
        .await;
    client.login_ok(username, PASSWORD).await;
    client
}

async fn student(admin: &Client, name: &str) -> String {
    let mut child = child_json(name, VILLAGE, "2014-03-03");
    child["school"] = json!(SCHOOL);
    let record = body(admin.post("/api/children", &json!({"child": child})).await).await;
    record["id"].as_str().unwrap().to_string()
}

fn plan(situation: &str, goals: Value) -> Value {
    json!({"situation": situation, "care_level": "focus", "goals": goals, "next_review": "2027-01-15"})
}

async fn put(client: &Client, path: &str, value: &Value) -> reqwest::Response {
    client
        .http
        .put(format!("{}{path}", client.base))
        .json(value)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn only_the_group_its_director_and_admins_see_a_case() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher_of(&app, &admin, "lead.li", SCHOOL).await;
    let other = teacher_of(&app, &admin, "other.wang", "龙湾区第二小学").await;
    let child = student(&admin, "陆小安").await;

    let candidates = body(lead.get("/api/cases/candidates").await).await;
    assert!(candidates
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["child_id"] == child.as_str()));
    assert!(body(other.get("/api/cases/candidates").await)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let foreign = other.post("/api/cases", &json!({"child_id": child})).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    let created = lead.post("/api/cases", &json!({"child_id": child})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let view = body(created).await;
    assert_eq!(view["members"][0]["role"], "lead");
    assert!(view["student"].get("id_number").is_none());
    assert_eq!(
        lead.post("/api/cases", &json!({"child_id": child}))
            .await
            .status(),
        StatusCode::CONFLICT,
        "one group per student"
    );

    let path = format!("/api/cases/{child}");
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&path).await.status(), StatusCode::OK);
    let director = app.user(&admin, "dir.case", "director").await;
    assert_eq!(director.get(&path).await.status(), StatusCode::OK);

    // The lead adds a subject teacher from another school; they can then see the case.
    let added = lead
        .post(
            &format!("{path}/members"),
            &json!({"username": "other.wang", "role": "subject_teacher"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    assert_eq!(other.get(&path).await.status(), StatusCode::OK);
    // Only the lead (or an admin) manages members.
    let by_member = other
        .post(
            &format!("{path}/members"),
            &json!({"username": "dir.case", "role": "other"}),
        )
        .await;
    assert_eq!(by_member.status(), StatusCode::FORBIDDEN);
    let other_id = body(other.get("/api/auth/me").await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        lead.post(&format!("{path}/members/{other_id}/remove"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    let mine = body(lead.get("/api/cases").await).await;
    assert_eq!(mine[0]["child_name"], "陆小安");
}

#[tokio::test]
async fn plans_are_versioned_and_a_stale_save_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher_of(&app, &admin, "lead.zhao", SCHOOL).await;
    let child = student(&admin, "钟小宁").await;
    lead.post("/api/cases", &json!({"child_id": child})).await;
    let path = format!("/api/cases/{child}/plan");
    let first = put(&lead, &path, &json!({"version": 0, "plan": plan("成绩下滑,与奶奶同住", json!([{"id": "g1", "title": "每周谈心一次", "status": "in_progress"}]))})).await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = body(put(&lead, &path, &json!({"version": 1, "plan": plan("成绩下滑,与奶奶同住", json!([{"id": "g1", "title": "每周谈心一次", "status": "achieved"}, {"id": "g2", "title": "数学补习", "status": "not_started"}]))})).await).await;
    assert_eq!(second["version"], 2);
    let changes: Vec<&str> = second["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["what"]["en"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["Goal changed", "Goal added"]);
    let stale = put(
        &lead,
        &path,
        &json!({"version": 1, "plan": plan("覆盖", json!([]))}),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let versions = body(lead.get(&format!("{path}/versions")).await).await;
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(
        versions[1]["plan"]["goals"][0]["status"], "in_progress",
        "earlier versions stay readable"
    );
    // The plan's care level is the child's.
    let record = body(admin.get(&format!("/api/children/{child}")).await).await;
    assert_eq!(record["child"]["care_level"], "focus");
    // A goal owner must be in the group.
    let outsider = put(&lead, &path, &json!({"version": 2, "plan": plan("x", json!([{"id": "g1", "title": "t", "status": "achieved", "owner": "01JDZZZZZZZZZZZZZZZZZZZZZZ"}]))})).await;
    assert_eq!(outsider.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn of_100_simultaneous_saves_from_one_version_exactly_one_wins() {
    simultaneous_saves(TestApp::spawn().await).await;
}

#[tokio::test]
async fn simultaneous_saves_hold_with_a_fifth_of_store_calls_faulted() {
    simultaneous_saves(TestApp::spawn_with_faults(0.2, 30).await).await;
}

async fn simultaneous_saves(app: TestApp) {
    let admin = app.admin().await;
    let lead = teacher_of(&app, &admin, "lead.sun", SCHOOL).await;
    let child = student(&admin, "付小康").await;
    lead.post("/api/cases", &json!({"child_id": child})).await;
    let path = format!("/api/cases/{child}/plan");
    let attempts: Vec<Value> = (0..100)
        .map(|i| json!({"version": 0, "plan": plan(&format!("版本 {i}"), json!([]))}))
        .collect();
    let answers = join_all(attempts.iter().map(|attempt| put(&lead, &path, attempt))).await;
    let won: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.status() == StatusCode::OK)
        .map(|(i, _)| i)
        .collect();
    let conflicts = answers
        .iter()
        .filter(|a| a.status() == StatusCode::CONFLICT)
        .count();
    println!(
        "100 plan saves from one version: {} saved, {conflicts} refused as stale; store: {}",
        won.len(),
        app.fault_summary()
    );
    assert_eq!((won.len(), conflicts), (1, 99));
    let versions = body(lead.get(&format!("{path}/versions")).await).await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(
        versions[0]["plan"]["situation"],
        format!("版本 {}", won[0]),
        "the winner's plan is the one stored"
    );
}

#[tokio::test]
async fn notes_are_append_only_and_crises_raise_the_level_and_tell_people() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = teacher_of(&app, &admin, "lead.qian", SCHOOL).await;
    let director = app.user(&admin, "dir.crisis", "director").await;
    let child = student(&admin, "童小乐").await;
    lead.post("/api/cases", &json!({"child_id": child})).await;
    let path = format!("/api/cases/{child}");
    let note = lead.post(&format!("{path}/notes"), &json!({"kind": "conversation", "date": "2026-11-20", "text": "谈心:想念在外打工的妈妈"})).await;
    assert_eq!(note.status(), StatusCode::CREATED);
    let delete = lead
        .http
        .delete(format!("{}{path}/notes", lead.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        delete.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "no way to remove a note"
    );
    assert_eq!(
        body(lead.get(&path).await).await["notes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let empty = lead
        .post(
            &format!("{path}/crises"),
            &json!({"kind": "psychological", "description": ""}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let crisis = body(
        lead.post(
            &format!("{path}/crises"),
            &json!({"kind": "psychological", "description": "情绪低落,提到不想上学"}),
        )
        .await,
    )
    .await;
    let record = body(admin.get(&format!("/api/children/{child}")).await).await;
    assert_eq!(record["child"]["care_level"], "urgent");
    for (who, client) in [("admin", &admin), ("director", &director), ("lead", &lead)] {
        let told = body(client.get("/api/notifications").await).await;
        assert!(
            told[0]["text"]["zh"]
                .as_str()
                .unwrap_or_default()
                .contains("危机预警"),
            "{who}: {told}"
        );
    }
    let open = body(admin.get("/api/crises").await).await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    let id = crisis["id"].as_str().unwrap();
    let close = format!("{path}/crises/{id}/close");
    assert_eq!(
        admin.post(&close, &json!({"note": ""})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let closed = body(
        admin
            .post(&close, &json!({"note": "已联系心理老师,家访完成"}))
            .await,
    )
    .await;
    assert_eq!(closed["closed"]["note"], "已联系心理老师,家访完成");
    assert!(body(admin.get("/api/crises").await)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        admin.post(&close, &json!({"note": "again"})).await.status(),
        StatusCode::CONFLICT
    );
    // Closed, not deleted.
    assert_eq!(
        body(lead.get(&path).await).await["crises"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
