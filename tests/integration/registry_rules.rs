//! The children registry on DynamoDB's rules: possible duplicates decided from claims read
//! consistently (never from a lagging index), what a director may learn of a child outside
//! their villages, lists that reach every child, and imports that are written whole or not at
//! all — with and without injected faults.

use std::collections::{BTreeSet, HashSet};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::children::limits::{IMPORT_MAX_BYTES, IMPORT_MAX_ROWS};
use tests::{body, child_json, id_number, Client, TestApp, OTHER_VILLAGE, VILLAGE};

/// A village neither test director looks after.
const FAR_VILLAGE: &str = "330303001010";

async fn create(client: &Client, child: Value) -> Value {
    let response = client.post("/api/children", &json!({"child": child})).await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record
}

fn id_of(record: &Value) -> String {
    record["id"].as_str().expect("an id").to_string()
}

fn duplicate_ids(record: &Value) -> BTreeSet<String> {
    record["duplicates"]
        .as_array()
        .expect("duplicates")
        .iter()
        .map(|flag| flag["child_id"].as_str().expect("an id").to_string())
        .collect()
}

/// A director of several villages (the harness's directors have one).
async fn director_of(app: &TestApp, admin: &Client, username: &str, villages: &[&str]) -> Client {
    let response = admin
        .post(
            "/api/users",
            &json!({"username": username, "display_name": "多村主任", "role": "director",
                    "scope": {"kind": "villages", "codes": villages}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let invite = body(response).await;
    let client = app.client();
    let activated = client
        .post(
            "/api/auth/activate",
            &json!({"invite_code": invite["invite_code"], "password": tests::PASSWORD}),
        )
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    client.login_ok(username, tests::PASSWORD).await;
    client
}

/// A child straight into the store (with its claims), for lists too long to build over HTTP.
fn stored_child(
    app: &TestApp,
    name: &str,
    village: &str,
    birth: &str,
) -> api::store::children::ChildItem {
    let state = &app.server.state;
    let today = shared::time::beijing_date(state.clock.now());
    let input: shared::children::ChildInput =
        serde_json::from_value(child_json(name, village, birth)).unwrap();
    let input = input.validate(today).unwrap();
    api::store::children::ChildItem {
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
    }
}

async fn store_children(app: &TestApp, children: &[api::store::children::ChildItem]) {
    for batch in children.chunks(20) {
        let stored = join_all(
            batch
                .iter()
                .map(|child| app.server.state.store.put_new_child(child)),
        )
        .await;
        assert!(stored.iter().all(Result::is_ok), "{stored:?}");
    }
}

/// Every page of a list; returns the children and how many pages it took.
async fn every_page(client: &Client, query: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match (&cursor, query.is_empty()) {
            (None, _) => format!("/api/children{query}"),
            (Some(at), true) => format!("/api/children?cursor={at}"),
            (Some(at), false) => format!("/api/children{query}&cursor={at}"),
        };
        let response = client.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = body(response).await;
        pages += 1;
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return (items, pages),
        }
        assert!(pages < 1000, "the pages never end");
    }
}

async fn my_notifications(client: &Client) -> Vec<Value> {
    body(client.get("/api/notifications").await)
        .await
        .as_array()
        .expect("notifications")
        .clone()
}

#[tokio::test]
async fn a_director_learns_only_that_a_duplicate_exists_elsewhere_and_the_office_is_told() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = app.user(&admin, "director.dup", "director").await;
    let number = id_number("20150601", 7);

    let mut far = child_json("陈小雨", OTHER_VILLAGE, "2015-06-01");
    far["id_number"] = json!(number);
    let far_id = id_of(&create(&admin, far).await);

    // The director registers the same ID number under another name, in their own village.
    let mut mine = child_json("陈晓宇", VILLAGE, "2015-06-01");
    mine["id_number"] = json!(number);
    let response = director
        .post("/api/children", &json!({"child": mine.clone()}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let text = response.text().await.unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    let mine_id = id_of(&record);
    let secrets = [far_id.as_str(), "陈小雨", OTHER_VILLAGE];
    let tell_nothing = |what: &str, text: &str| {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
        }
    };
    tell_nothing("the save's answer", &text);
    assert_eq!(record["duplicate_elsewhere"], true);
    assert!(duplicate_ids(&record).is_empty());

    let detail = director.get(&format!("/api/children/{mine_id}")).await;
    let detail_text = detail.text().await.unwrap();
    tell_nothing("the record", &detail_text);
    let detail: Value = serde_json::from_str(&detail_text).unwrap();
    assert_eq!(detail["duplicate_elsewhere"], true);
    let list = director.get("/api/children").await.text().await.unwrap();
    tell_nothing("the list", &list);
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["items"][0]["possible_duplicate"], true);

    // The office hears of both records; the report is in the audit log.
    let told = my_notifications(&admin).await;
    let naming_both: Vec<&Value> = told
        .iter()
        .filter(|note| {
            let zh = note["text"]["zh"].as_str().unwrap_or_default();
            zh.contains(&far_id) && zh.contains(&mine_id) && zh.contains("陈小雨")
        })
        .collect();
    assert_eq!(naming_both.len(), 1, "{told:?}");
    let log = body(
        admin
            .get(&format!("/api/audit?target=child:{mine_id}"))
            .await,
    )
    .await;
    let report = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["action"] == "possible_duplicate_reported")
        .expect("the report is audited");
    assert!(report["detail"].as_str().unwrap().contains(&far_id));

    // A second child elsewhere with the same number changes nothing the director can see:
    // no count, no reason, no place.
    let mut second = child_json("陈雨", FAR_VILLAGE, "2015-06-01");
    second["id_number"] = json!(number);
    let second_id = id_of(&create(&admin, second).await);
    let again = director.get(&format!("/api/children/{mine_id}")).await;
    let again_text = again.text().await.unwrap();
    assert!(!again_text.contains(&second_id) && !again_text.contains("陈雨\""));
    let again: Value = serde_json::from_str(&again_text).unwrap();
    assert_eq!(again["duplicates"], detail["duplicates"]);
    assert_eq!(again["duplicate_elsewhere"], detail["duplicate_elsewhere"]);

    // Editing the record without changing who the child is reports nothing new.
    mine["interests"] = json!("跑步");
    let edited = director
        .http
        .put(format!("{}/api/children/{mine_id}", director.base))
        .json(&json!({"version": again["version"], "child": mine}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);
    let edited_text = edited.text().await.unwrap();
    tell_nothing("the edit's answer", &edited_text);
    assert_eq!(my_notifications(&admin).await.len(), told.len());

    // The admin sees every possible duplicate by name.
    let full = body(admin.get(&format!("/api/children/{mine_id}")).await).await;
    assert_eq!(
        duplicate_ids(&full),
        BTreeSet::from([far_id.clone(), second_id.clone()])
    );
    assert_eq!(full["duplicate_elsewhere"], false);

    // A possible duplicate inside the director's villages is shown as before.
    let same = create(&director, child_json("陈晓宇", VILLAGE, "2015-06-01")).await;
    assert_eq!(duplicate_ids(&same), BTreeSet::from([mine_id.clone()]));
    assert_eq!(same["duplicates"][0]["name"], "陈晓宇");
    assert_eq!(same["duplicate_elsewhere"], false);
    println!(
        "elsewhere: director told one fact; admins told {} time(s); audit has the report",
        naming_both.len()
    );
}

async fn simultaneous_saves_flag_each_other(app: TestApp, label: &str) {
    let admin = app.admin().await;
    let director = app.user(&admin, "director.race", "director").await;
    let mut answered_by_the_later = 0;
    let mut records = 0;
    for round in 0..8u32 {
        let mut child = child_json(&format!("并发{round:02}"), VILLAGE, "2015-06-01");
        child["id_number"] = json!(id_number("20150601", 2 * round + 101));
        let request = json!({"child": child});
        let (first, second) = tokio::join!(
            admin.post("/api/children", &request),
            director.post("/api/children", &request)
        );
        assert_eq!(first.status(), StatusCode::CREATED, "{label}");
        assert_eq!(second.status(), StatusCode::CREATED, "{label}");
        let (first, second) = (body(first).await, body(second).await);
        let (a, b) = (id_of(&first), id_of(&second));
        // The later save found the earlier one through the claim, in its own answer.
        if duplicate_ids(&first).contains(&b) || duplicate_ids(&second).contains(&a) {
            answered_by_the_later += 1;
        }
        for (id, other) in [(&a, &b), (&b, &a)] {
            let record = body(admin.get(&format!("/api/children/{id}")).await).await;
            assert_eq!(
                duplicate_ids(&record),
                BTreeSet::from([other.clone()]),
                "{label}: round {round}"
            );
        }
        records += 2;
    }
    assert_eq!(answered_by_the_later, 8, "{label}");

    // Six saves of one child at once: every record lists the five others.
    let mut child = child_json("并发六", VILLAGE, "2015-06-01");
    child["id_number"] = json!(id_number("20150601", 901));
    let request = json!({"child": child});
    let answers = join_all((0..6).map(|i| {
        let client = if i % 2 == 0 { &admin } else { &director };
        let request = &request;
        async move {
            let response = client.post("/api/children", request).await;
            (response.status(), body(response).await)
        }
    }))
    .await;
    assert!(
        answers
            .iter()
            .all(|(status, _)| *status == StatusCode::CREATED),
        "{label}: {answers:?}"
    );
    let ids: BTreeSet<String> = answers.iter().map(|(_, record)| id_of(record)).collect();
    assert_eq!(ids.len(), 6);
    for id in &ids {
        let record = body(director.get(&format!("/api/children/{id}")).await).await;
        let mut others = ids.clone();
        others.remove(id);
        assert_eq!(duplicate_ids(&record), others, "{label}");
        assert_eq!(record["duplicate_elsewhere"], false);
    }
    records += 6;
    println!(
        "simultaneous saves ({label}): {records} records, every pair flagged both ways, \
         {answered_by_the_later}/8 pairs already in the later answer; store: {}",
        app.fault_summary()
    );
}

#[tokio::test]
async fn simultaneous_saves_of_one_child_flag_each_other() {
    simultaneous_saves_flag_each_other(TestApp::spawn().await, "no faults").await;
}

#[tokio::test]
async fn simultaneous_saves_of_one_child_flag_each_other_under_faults() {
    simultaneous_saves_flag_each_other(TestApp::spawn_with_faults(0.2, 11).await, "20% faults")
        .await;
}

async fn a_director_pages_through_every_child(app: TestApp, label: &str) {
    let admin = app.admin().await;
    let director = director_of(&app, &admin, "director.many", &[VILLAGE, OTHER_VILLAGE]).await;
    let mut children = Vec::new();
    for i in 0..230 {
        children.push(stored_child(
            &app,
            &format!("名册{i:03}"),
            VILLAGE,
            "2015-06-01",
        ));
    }
    for i in 0..25 {
        children.push(stored_child(
            &app,
            &format!("村二{i:02}"),
            OTHER_VILLAGE,
            "2015-06-01",
        ));
    }
    for i in 0..5 {
        children.push(stored_child(
            &app,
            &format!("外村{i}"),
            FAR_VILLAGE,
            "2015-06-01",
        ));
    }
    store_children(&app, &children).await;
    let expected: HashSet<String> = children
        .iter()
        .filter(|child| child.child.residence_village != FAR_VILLAGE)
        .map(|child| child.id.clone())
        .collect();

    let (items, pages) = every_page(&director, "").await;
    let ids: Vec<String> = items
        .iter()
        .map(|child| child["id"].as_str().unwrap().to_string())
        .collect();
    let unique: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), 255, "{label}: every child once");
    assert_eq!(unique, expected, "{label}");
    let names: Vec<(String, String)> = items
        .iter()
        .map(|child| {
            (
                child["name"].as_str().unwrap().to_string(),
                child["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "{label}: one list, by name, across villages");

    let (one_village, village_pages) = every_page(&director, &format!("?village={VILLAGE}")).await;
    assert_eq!(one_village.len(), 230, "{label}");
    let (prefix, _) = every_page(&director, "?q=%E5%90%8D%E5%86%8C1").await; // 名册1
    assert_eq!(prefix.len(), 100, "{label}: 名册100 … 名册199");
    let (urgent, _) = every_page(&director, "?care_level=urgent").await;
    assert!(urgent.is_empty());
    let forged = director.get("/api/children?cursor=not-ours").await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    println!(
        "director list ({label}): {} children in {pages} pages over two villages, {} in \
         {village_pages} pages for one; store: {}",
        ids.len(),
        one_village.len(),
        app.fault_summary()
    );
}

#[tokio::test]
async fn a_director_with_more_than_200_children_in_a_village_sees_them_all() {
    a_director_pages_through_every_child(TestApp::spawn().await, "no faults").await;
}

#[tokio::test]
async fn a_director_sees_every_child_under_faults() {
    a_director_pages_through_every_child(TestApp::spawn_with_faults(0.2, 5).await, "20% faults")
        .await;
}

const HEADER: &str = "姓名,性别,出生日期,身份证号,户籍县区代码,户籍村社区代码,常住村社区代码,详细地址,学校,班级,类别,关爱等级,父亲情况,父亲务工县区代码,父亲外出日期,父亲监护能力,父亲说明,父亲电话,母亲情况,母亲务工县区代码,母亲外出日期,母亲监护能力,母亲说明,母亲电话,监护人姓名,监护人关系,监护人电话,监护人监护能力,兴趣爱好";

fn import_file(prefix: &str, rows: usize) -> Vec<u8> {
    let mut lines = vec![HEADER.to_string()];
    for i in 0..rows {
        lines.push(format!(
            "{prefix}{i:05},女,2015-05-05,,330303,{VILLAGE},{VILLAGE},示例路 1 号,示例小学,三(1)班,留守儿童,常规,外出务工,440106,2024-02-20,,,,外出务工,330381,2024-02-20,,,,张奶奶,祖母,13800000000,有监护能力,唱歌"
        ));
    }
    lines.join("\n").into_bytes()
}

async fn import(admin: &Client, file: Vec<u8>) -> reqwest::Response {
    admin
        .post_raw("/api/children/import", "text/csv", file)
        .await
}

/// How many children the registry holds (one export instead of hundreds of list pages).
async fn registered(admin: &Client) -> usize {
    let export = admin.get("/api/children/export?format=csv").await;
    assert_eq!(export.status(), StatusCode::OK);
    export.text().await.unwrap().lines().count() - 1
}

/// Every audit entry of one actor, newest first.
async fn audit_of(admin: &Client, actor: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = body(
            admin
                .get(&format!("/api/audit?actor={actor}{cursor}"))
                .await,
        )
        .await;
        entries.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return entries,
        }
    }
}

#[tokio::test]
async fn the_largest_import_is_audited_in_entries_far_below_the_item_limit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let file = import_file("最大", IMPORT_MAX_ROWS);
    let size = file.len();
    assert!(size <= IMPORT_MAX_BYTES, "{size} bytes");
    let started = std::time::Instant::now();
    let response = import(&admin, file).await;
    let status = response.status();
    let report = body(response).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], IMPORT_MAX_ROWS);
    let took = started.elapsed();
    assert_eq!(registered(&admin).await, IMPORT_MAX_ROWS);

    let me = body(admin.get("/api/auth/me").await).await;
    let entries = audit_of(&admin, me["id"].as_str().unwrap()).await;
    let imports: Vec<&Value> = entries
        .iter()
        .filter(|entry| entry["action"] == "children_imported")
        .collect();
    let details: Vec<Value> = imports
        .iter()
        .map(|entry| serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap())
        .collect();
    let largest = imports
        .iter()
        .map(|entry| entry["detail"].as_str().unwrap().len())
        .max()
        .unwrap();
    let listed: usize = details
        .iter()
        .filter_map(|detail| detail["children"].as_array().map(Vec::len))
        .sum();
    let summary = details
        .iter()
        .find(|detail| detail["committed"] == true)
        .expect("a summary entry");
    assert_eq!(
        listed, IMPORT_MAX_ROWS,
        "every child in exactly one part entry"
    );
    assert_eq!(summary["children"], IMPORT_MAX_ROWS);
    assert!(largest < 4 * 1024, "largest detail {largest} bytes");
    println!(
        "largest import: {IMPORT_MAX_ROWS} rows, {size} bytes of CSV (limit {IMPORT_MAX_BYTES}), \
         {took:?}; {} audit entries, largest detail {largest} bytes (item limit 409600)",
        imports.len()
    );
}

#[tokio::test]
async fn an_import_under_faults_is_written_once_and_whole() {
    let app = TestApp::spawn_with_faults(0.2, 23).await;
    let admin = app.admin().await;
    let file = import_file("故障", 600);
    let first = import(&admin, file.clone()).await;
    let status = first.status();
    let report = body(first).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], 600);
    assert_eq!(registered(&admin).await, 600, "nothing lost, nothing twice");

    // The same file again: every row is a possible duplicate of one registered child.
    let again = body(import(&admin, file).await).await;
    assert_eq!(again["imported"], 600, "{again}");
    assert_eq!(again["possible_duplicates"].as_array().unwrap().len(), 600);
    assert_eq!(registered(&admin).await, 1200);
    println!(
        "import under 20% faults: 600 + 600 rows, 600 flagged; store: {}",
        app.fault_summary()
    );
}

#[tokio::test]
async fn an_import_that_stopped_half_way_is_undone_by_the_next_one() {
    let clock = api::clock::Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let state = &app.server.state;
    // The same children the file below holds (name and date of birth), so stale claims left
    // behind would show as possible duplicates.
    let children: Vec<_> = (0..96)
        .map(|i| stored_child(&app, &format!("中断{i:05}"), VILLAGE, "2015-05-05"))
        .collect();
    let job = api::store::children::ImportJob {
        id: ulid::Ulid::new().to_string(),
        started_at: state.clock.now(),
        by: None,
        children: 200,
        parts: 7,
    };
    state.store.begin_import(&job).await.unwrap();
    for (part, chunk) in children
        .chunks(api::store::children::IMPORT_PART_SIZE)
        .enumerate()
    {
        let entry = api::accounts::audit_entry(
            state,
            &api::accounts::Actor::default(),
            shared::api::AuditAction::ChildrenImported,
            None,
            Some(format!("test part {part}")),
        );
        state
            .store
            .write_import_part(&job, part, chunk, &entry)
            .await
            .unwrap();
    }
    // The process "stops" here: three of seven parts written, the journal open.
    assert_eq!(registered(&admin).await, 96);

    // A request may still be writing it: too young to undo.
    let recovered = api::registry::transfer::recover_unfinished_imports(state)
        .await
        .unwrap();
    assert_eq!(recovered, 0);
    clock.advance(chrono::Duration::minutes(
        api::registry::transfer::IMPORT_JOURNAL_GRACE_MINUTES + 1,
    ));
    // The next import undoes it first: its rows are the same children, and none is flagged.
    let next = body(import(&admin, import_file("中断", 96)).await).await;
    assert_eq!(next["imported"], 96, "{next}");
    assert_eq!(next["possible_duplicates"].as_array().unwrap().len(), 0);
    assert_eq!(registered(&admin).await, 96);
    let again = api::registry::transfer::recover_unfinished_imports(state)
        .await
        .unwrap();
    assert_eq!(again, 0, "nothing left to undo");
    println!("half-written import: 96 children undone, the next import stood alone");
}

#[tokio::test]
async fn an_import_failing_under_heavy_faults_leaves_all_or_nothing() {
    let clock = api::clock::Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        faults: Some(api::store::faults::FaultPlan {
            rate: 0.0,
            seed: 31,
        }),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let stats = app.server.fault_stats.clone().expect("a fault proxy");
    let file = import_file("重压", 300);

    stats.set_rate(0.7);
    let response = import(&admin, file.clone()).await;
    let status = response.status();
    stats.set_rate(0.0);
    assert!(
        status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
        "a whole import or a clear 'busy', never {status}"
    );
    clock.advance(chrono::Duration::minutes(
        api::registry::transfer::IMPORT_JOURNAL_GRACE_MINUTES + 1,
    ));
    api::registry::transfer::recover_unfinished_imports(&app.server.state)
        .await
        .unwrap();
    let expected = if status == StatusCode::OK { 300 } else { 0 };
    assert_eq!(registered(&admin).await, expected);
    // The claims agree with the records: the same file flags exactly what is registered.
    let again = body(import(&admin, file).await).await;
    assert_eq!(
        again["possible_duplicates"].as_array().unwrap().len(),
        expected
    );
    println!(
        "import at 70% faults: answered {status}, {expected} children kept; store: {}",
        app.fault_summary()
    );
}

#[tokio::test]
async fn a_sheet_claiming_a_far_corner_is_refused_without_building_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    // XFD1048576: a few hundred bytes that would ask for 17 billion cells.
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let file = workbook.save_to_buffer().unwrap();
    assert!(file.len() < 20_000, "a small file: {} bytes", file.len());
    let answer = admin
        .post_raw(
            "/api/children/import",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file,
        )
        .await;
    let status = answer.status();
    let error = body(answer).await;
    assert!(status.is_client_error(), "{status}: {error}");
    assert!(error.to_string().contains("10,000"), "{error}");
    assert_eq!(registered(&admin).await, 0, "nothing written");
    // The server is still there.
    assert_eq!(admin.get("/api/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn undoing_a_half_written_import_keeps_the_children_people_have_worked_on() {
    let clock = api::clock::Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let state = &app.server.state;
    let children: Vec<_> = (0..10)
        .map(|i| stored_child(&app, &format!("保留{i:02}"), VILLAGE, "2015-05-05"))
        .collect();
    let job = api::store::children::ImportJob {
        id: ulid::Ulid::new().to_string(),
        started_at: state.clock.now(),
        by: None,
        children: 40,
        parts: 2,
    };
    state.store.begin_import(&job).await.unwrap();
    let entry = api::accounts::audit_entry(
        state,
        &api::accounts::Actor::default(),
        shared::api::AuditAction::ChildrenImported,
        None,
        Some("test part 0".into()),
    );
    state
        .store
        .write_import_part(&job, 0, &children, &entry)
        .await
        .unwrap();
    // A director's day of work on one of them before anyone notices the import stopped.
    let worked_on = &children[3].id;
    let record = body(admin.get(&format!("/api/children/{worked_on}")).await).await;
    let mut edited = record["child"].clone();
    edited["school"] = json!("龙湾区第二小学");
    let saved = admin
        .http
        .put(format!("{}/api/children/{worked_on}", admin.base))
        .json(&json!({"version": record["version"], "child": edited}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);

    clock.advance(chrono::Duration::minutes(
        api::registry::transfer::IMPORT_JOURNAL_GRACE_MINUTES + 1,
    ));
    let undone = api::registry::transfer::recover_unfinished_imports(state)
        .await
        .unwrap();
    assert_eq!(undone, 1);
    assert_eq!(registered(&admin).await, 1, "only the edited child stays");
    let kept = admin.get(&format!("/api/children/{worked_on}")).await;
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(body(kept).await["child"]["school"], "龙湾区第二小学");
}

#[tokio::test]
async fn an_id_number_search_by_a_director_pages_through_their_villages_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let director = director_of(&app, &admin, "director.tail", &[VILLAGE]).await;
    // Sixty children elsewhere whose ID numbers end alike, and one in the director's village.
    let mut alike: Vec<(String, String)> = Vec::new();
    let mut day = chrono::NaiveDate::from_ymd_opt(2011, 1, 1).unwrap();
    let target = id_number("20110101", 7);
    let tail = &target[14..];
    while alike.len() < 61 {
        let birth = day.format("%Y%m%d").to_string();
        let number = id_number(&birth, 7);
        if number.ends_with(tail) {
            alike.push((day.to_string(), number));
        }
        day = day.succ_opt().unwrap();
    }
    let mut children = Vec::new();
    for (i, (birth, number)) in alike.iter().enumerate() {
        let village = if i == 0 { VILLAGE } else { OTHER_VILLAGE };
        let mut child = stored_child(&app, &format!("尾号{i:02}"), village, birth);
        child.child.id_number = Some(number.clone());
        children.push(child);
    }
    store_children(&app, &children).await;
    let page = body(director.get(&format!("/api/children?q={tail}")).await).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["id"], children[0].id.as_str());
    assert!(
        page["next"].is_null(),
        "no cursor into other villages: {page}"
    );
    let admin_page = body(admin.get(&format!("/api/children?q={tail}")).await).await;
    assert_eq!(admin_page["items"].as_array().unwrap().len(), 50);
    assert!(admin_page["next"].is_string());
}
