//! What tables and pickers rely on: every list says how many it holds (the number a home page
//! shows is the list's own), sorts both ways, and the pickers find people by name without
//! letting anyone search beyond their role.

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, child_json, Client, TestApp, OTHER_VILLAGE, VILLAGE};

async fn register(admin: &Client, name: &str, village: &str) -> String {
    let record = body(
        admin
            .post(
                "/api/children",
                &json!({"child": child_json(name, village, "2015-05-05")}),
            )
            .await,
    )
    .await;
    record["id"].as_str().expect("child id").to_string()
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|child| child["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_registry_says_its_total_on_every_page_and_sorts_both_ways() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["安小一", "白小二", "陈小三"] {
        register(&admin, name, VILLAGE).await;
    }
    register(&admin, "丁小四", OTHER_VILLAGE).await;

    let all = body(admin.get("/api/children").await).await;
    assert_eq!(all["total"], 4, "{all}");
    let ascending = names(&all);
    let descending = names(&body(admin.get("/api/children?sort=-name").await).await);
    let mut reversed = ascending.clone();
    reversed.reverse();
    assert_eq!(descending, reversed, "Z→A is A→Z backwards");

    // Filters narrow the total exactly as they narrow the list.
    let village = body(admin.get(&format!("/api/children?village={VILLAGE}")).await).await;
    assert_eq!(village["total"], 3);
    let prefix = body(admin.get("/api/children?q=%E7%99%BD").await).await;
    assert_eq!(prefix["total"], 1, "{prefix}");
    assert_eq!(names(&prefix), vec!["白小二".to_string()]);

    // A director's total counts only their villages, in both orders.
    let director = app.user(&admin, "dir.lists", "director").await;
    let mine = body(director.get("/api/children").await).await;
    assert_eq!(mine["total"], 3, "{mine}");
    let mine_desc = body(director.get("/api/children?sort=-name").await).await;
    assert_eq!(mine_desc["total"], 3);
    assert!(!names(&mine_desc).contains(&"丁小四".to_string()));

    // A home page asks only the number: the same as the list's, no child read.
    let count = body(director.get("/api/children/count").await).await;
    assert_eq!(count["total"], 3);
    let count = body(
        admin
            .get(&format!("/api/children/count?village={OTHER_VILLAGE}"))
            .await,
    )
    .await;
    assert_eq!(count["total"], 1);
    assert_eq!(
        director
            .get(&format!("/api/children/count?village={OTHER_VILLAGE}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "another village's count is not the director's to know"
    );
    // A count of one name (with, say, a difficulty group) would be an unaudited read of that
    // child: searching is the list's, which records what it showed.
    let searched = director
        .get("/api/children/count?q=%E4%B8%81&difficulty_group=affected_by_hiv")
        .await;
    assert_eq!(searched.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = body(searched).await;
    assert_eq!(answer["fields"][0]["field"], "q");

    // Pages follow in either order, and a cursor cannot change direction half-way.
    const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    let more: Vec<String> = (0..50)
        .map(|i| format!("周{}{}", STEMS[i / 10], STEMS[i % 10]))
        .collect();
    futures::stream::iter(more.iter().map(|name| register(&admin, name, VILLAGE)))
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(at) => format!("/api/children?sort=-name&cursor={at}"),
            None => "/api/children?sort=-name".to_string(),
        };
        let page = body(admin.get(&path).await).await;
        assert_eq!(page["total"], 54);
        seen.extend(names(&page));
        match page["next"].as_str() {
            Some(next) => {
                let mixed = admin.get(&format!("/api/children?cursor={next}")).await;
                assert_eq!(mixed.status(), StatusCode::UNPROCESSABLE_ENTITY);
                cursor = Some(next.to_string());
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 54);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "Z→A across pages");

    let bad = admin.get("/api/children?sort=age").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_users_list_counts_filters_by_role_and_finds_by_name() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.user(&admin, "teacher.lin", "teacher").await;
    app.user(&admin, "teacher.zhou", "teacher").await;
    app.user(&admin, "counsellor.wu", "counsellor").await;

    let everyone = body(admin.get("/api/users").await).await;
    assert_eq!(everyone["total"], 4, "admin and three staff: {everyone}");
    let teachers = body(admin.get("/api/users?role=teacher").await).await;
    assert_eq!(teachers["total"], 2);
    let found = body(admin.get("/api/users?q=teacher.z").await).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["username"], "teacher.zhou");

    // The people picker: active accounts of the roles asked for, admins only.
    let people = body(
        admin
            .get("/api/people?q=teacher&roles=teacher,counsellor")
            .await,
    )
    .await;
    assert_eq!(people.as_array().map(Vec::len), Some(2), "{people}");
    assert!(people[0].get("password_hash").is_none());
    let director = app.user(&admin, "dir.people", "director").await;
    assert_eq!(
        director.get("/api/people?q=teacher").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin.get("/api/people?roles=royalty").await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn only_a_groups_lead_searches_whom_to_add_and_members_are_not_offered_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let lead = app.user(&admin, "lead.lists", "teacher").await;
    let outsider = app.user(&admin, "teacher.outside", "teacher").await;
    let director = app.user(&admin, "dir.groups", "director").await;
    app.user(&admin, "counsellor.he", "counsellor").await;
    let mut child = child_json("群小组", VILLAGE, "2014-03-03");
    child["school"] = json!("龙湾区第一小学");
    let record = body(admin.post("/api/children", &json!({"child": child})).await).await;
    let child = record["id"].as_str().expect("id").to_string();
    let created = lead.post("/api/cases", &json!({"child_id": child})).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let path = format!("/api/cases/{child}/member-candidates?q=counsellor");
    let offered = body(lead.get(&path).await).await;
    assert_eq!(offered[0]["username"], "counsellor.he", "{offered}");
    let added = lead
        .post(
            &format!("/api/cases/{child}/members"),
            &json!({"username": "counsellor.he", "role": "other"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let again = body(lead.get(&path).await).await;
    assert_eq!(
        again.as_array().map(Vec::len),
        Some(0),
        "a member is not offered"
    );

    // Someone outside the group learns nothing (404); the village's director only looks.
    assert_eq!(outsider.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(director.get(&path).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_log_names_people_and_children_instead_of_ids() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let child = register(&admin, "审小计", VILLAGE).await;
    assert_eq!(
        admin.get(&format!("/api/children/{child}")).await.status(),
        StatusCode::OK
    );
    let log = body(admin.get("/api/audit").await).await;
    let entries = log["items"].as_array().expect("entries");
    assert!(
        log["total"].as_u64().unwrap_or(0) >= entries.len() as u64,
        "{log}"
    );
    let about_child = entries
        .iter()
        .find(|entry| entry["target"] == format!("child:{child}"))
        .expect("the child's read is logged");
    assert_eq!(about_child["target_label"], "审小计");
    // Showing the log named the child: that reading is itself on record.
    let next = body(admin.get("/api/audit").await).await;
    let read = next["items"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|entry| entry["action"] == "audit_read")
        .expect("the first reading is logged");
    assert!(
        read["detail"].as_str().unwrap_or_default().contains(&child),
        "{read}"
    );
    assert!(entries
        .iter()
        .filter(|entry| entry["actor_id"].is_string())
        .all(|entry| entry["actor_name"].is_string()));
}
