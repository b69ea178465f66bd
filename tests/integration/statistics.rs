//! The statistics page's numbers, on demo data, both ways: every number equals the total of
//! the registry list it links to, and the lists, read child by child, give every number again.
//! Who may see which numbers; bad filter values, the edges of a year and of an age band, and
//! the export are in `rules`.

mod rules;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{body, Client, TestApp};

struct Demo {
    app: TestApp,
    admin: Client,
    director: Client,
    passwords: BTreeMap<String, String>,
}

impl Demo {
    async fn start() -> Self {
        let app = TestApp::spawn().await;
        let accounts = api::demo::fill(&app.server.state).await.expect("demo data");
        let passwords: BTreeMap<String, String> = accounts
            .into_iter()
            .map(|account| (account.username, account.password))
            .collect();
        let admin = app.admin().await;
        let director = app.client();
        director
            .login_ok("director.demo", &passwords["director.demo"])
            .await;
        Self {
            app,
            admin,
            director,
            passwords,
        }
    }

    async fn login(&self, username: &str) -> Client {
        let client = self.app.client();
        client.login_ok(username, &self.passwords[username]).await;
        client
    }
}

async fn director_villages(director: &Client) -> Vec<String> {
    let me = body(director.get("/api/auth/me").await).await;
    let mut codes: Vec<String> = me["scope"]["codes"]
        .as_array()
        .expect("a director's villages")
        .iter()
        .map(|code| code.as_str().expect("code").to_string())
        .collect();
    codes.sort();
    codes
}

fn street_of(village: &str) -> String {
    village[..9].to_string()
}

/// Every number of a statistics answer: (what, count, its link).
fn numbers(stats: &Value) -> Vec<(String, u64, Value)> {
    let mut found = Vec::new();
    for name in [
        "monitored",
        "new_this_year",
        "exited_this_year",
        "paired",
        "open_cases",
        "open_crises",
    ] {
        let stat = &stats[name];
        found.push((
            name.to_string(),
            stat["count"].as_u64().expect("a count"),
            stat["link"].clone(),
        ));
    }
    for breakdown in stats["breakdowns"].as_array().expect("breakdowns") {
        for bucket in breakdown["buckets"].as_array().expect("buckets") {
            found.push((
                format!("{}:{}", breakdown["dimension"], bucket["key"]),
                bucket["count"].as_u64().expect("a count"),
                bucket["link"].clone(),
            ));
        }
    }
    found
}

/// GETs the statistics and checks each number against its list, as the same reader.
async fn check_links(client: &Client, query: &str) -> Value {
    let response = client.get(&format!("/api/statistics{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let stats = body(response).await;
    for (what, count, link) in numbers(&stats) {
        let api = link["api"].as_str().expect("api link");
        assert_eq!(
            link["page"].as_str(),
            api.strip_prefix("/api"),
            "the page and the API list share the query"
        );
        let listed = client.get(api).await;
        assert_eq!(listed.status(), StatusCode::OK, "{what}: {api}");
        let total = body(listed).await["total"].as_u64();
        assert_eq!(total, Some(count), "{query} {what}: {api}");
        if what == "monitored" {
            let path = api.replacen("/api/children?", "/api/children/count?", 1);
            let counted = body(client.get(&path).await).await;
            assert_eq!(counted["total"].as_u64(), Some(count), "the count agrees");
        }
    }
    stats
}

/// Every child a list holds, all pages.
async fn list_ids(client: &Client, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(at) => format!("/api/children?{query}&cursor={at}"),
            None => format!("/api/children?{query}"),
        };
        let page = body(client.get(&path).await).await;
        for child in page["items"].as_array().expect("items") {
            ids.push(child["id"].as_str().expect("id").to_string());
        }
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return ids,
        }
    }
}

/// Ids with an active pairing, with a case group, with an open crisis (the admin's views).
async fn memberships(admin: &Client) -> [BTreeSet<String>; 3] {
    let board = body(admin.get("/api/pairings/board").await).await;
    let paired = board["active"]
        .as_array()
        .expect("active pairings")
        .iter()
        .map(|pairing| pairing["child_id"].as_str().expect("child").to_string())
        .collect();
    let cases = body(admin.get("/api/cases").await).await;
    let cases = cases.as_array().expect("cases");
    let with_case = cases
        .iter()
        .map(|case| case["child_id"].as_str().expect("child").to_string())
        .collect();
    let in_crisis = cases
        .iter()
        .filter(|case| case["open_crises"].as_u64().unwrap_or(0) > 0)
        .map(|case| case["child_id"].as_str().expect("child").to_string())
        .collect();
    [paired, with_case, in_crisis]
}

/// Age in full years as eligibility counts it: a year is full the day after the birthday.
fn age_band(birth: NaiveDate, on: NaiveDate) -> &'static str {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) <= (birth.month(), birth.day()) {
        age -= 1;
    }
    match age {
        i32::MIN..=2 => "0-2",
        3..=5 => "3-5",
        6..=11 => "6-11",
        12..=15 => "12-15",
        _ => "16+",
    }
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |at, key| at.get(key))?.as_str()
}

/// The numbers again, from the children's records one by one (non-zero ones).
fn recount(
    records: &[Value],
    as_of: NaiveDate,
    [paired, with_case, in_crisis]: &[BTreeSet<String>; 3],
) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut add = |what: String| *counts.entry(what).or_default() += 1;
    for record in records {
        let id = record["id"].as_str().expect("id");
        let created: DateTime<Utc> = record["created_at"]
            .as_str()
            .and_then(|at| at.parse().ok())
            .expect("created_at");
        if (created + chrono::Duration::hours(8)).year() == as_of.year() {
            add("new_this_year".into());
        }
        if record["status"] == "left_monitoring" {
            let on: Option<NaiveDate> =
                text(record, &["exit", "on"]).and_then(|on| on.parse().ok());
            if on.is_some_and(|on| on.year() == as_of.year()) {
                add("exited_this_year".into());
            }
            continue;
        }
        add("monitored".into());
        for (set, name) in [
            (paired, "paired"),
            (with_case, "open_cases"),
            (in_crisis, "open_crises"),
        ] {
            if set.contains(id) {
                add(name.into());
            }
        }
        let child = &record["child"];
        let village = child["residence_village"].as_str().expect("village");
        let birth: NaiveDate = child["birth_date"]
            .as_str()
            .and_then(|birth| birth.parse().ok())
            .expect("birth date");
        let bucket = |dimension: &str, key: &str| format!("\"{dimension}\":\"{key}\"");
        add(bucket("street", &street_of(village)));
        add(bucket("village", village));
        add(bucket(
            "category",
            child["category"].as_str().expect("category"),
        ));
        for group in child["national"]["difficulty_groups"]
            .as_array()
            .into_iter()
            .flatten()
        {
            add(bucket("difficulty_group", group.as_str().expect("group")));
        }
        add(bucket(
            "care_level",
            child["care_level"].as_str().expect("level"),
        ));
        add(bucket("age_band", age_band(birth, as_of)));
        add(bucket("gender", child["gender"].as_str().expect("gender")));
        add(bucket(
            "guardianship_type",
            text(child, &["national", "guardianship_type"]).unwrap_or("none"),
        ));
        add(bucket(
            "school_stage",
            text(child, &["national", "schooling"]).unwrap_or("none"),
        ));
    }
    counts
}

/// Reads every child `client` may list (and their records) and compares with `stats`.
async fn check_recount(client: &Client, admin: &Client, stats: &Value) {
    let as_of: NaiveDate = stats["as_of"]
        .as_str()
        .expect("as_of")
        .parse()
        .expect("date");
    let mut records = Vec::new();
    for id in list_ids(client, "").await {
        let record = client.get(&format!("/api/children/{id}")).await;
        assert_eq!(record.status(), StatusCode::OK);
        records.push(body(record).await);
    }
    let expected = recount(&records, as_of, &memberships(admin).await);
    let counted: BTreeMap<String, u64> = numbers(stats)
        .into_iter()
        .filter(|(_, count, _)| *count > 0)
        .map(|(what, count, _)| (what, count))
        .collect();
    assert_eq!(counted, expected, "the numbers, recounted from the records");

    // Fixed dimensions list every choice (zeros too), in order, and "none" last.
    let keys = |dimension: &str| -> Vec<String> {
        stats["breakdowns"]
            .as_array()
            .expect("breakdowns")
            .iter()
            .find(|breakdown| breakdown["dimension"] == dimension)
            .and_then(|breakdown| breakdown["buckets"].as_array())
            .expect("the dimension")
            .iter()
            .map(|bucket| bucket["key"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(keys("age_band"), ["0-2", "3-5", "6-11", "12-15", "16+"]);
    assert_eq!(keys("gender"), ["male", "female"]);
    assert_eq!(
        keys("guardianship_type").last().map(String::as_str),
        Some("none")
    );
    assert_eq!(
        keys("school_stage").len(),
        shared::national::SchoolStage::ALL.len() + 1
    );
    let dimensions: Vec<&str> = stats["breakdowns"]
        .as_array()
        .expect("breakdowns")
        .iter()
        .map(|breakdown| breakdown["dimension"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        dimensions,
        [
            "street",
            "village",
            "category",
            "difficulty_group",
            "care_level",
            "age_band",
            "gender",
            "guardianship_type",
            "school_stage"
        ]
    );
}

/// A monitored child with neither a pairing nor a case group leaves monitoring, so that
/// "exited this year" counts someone and the other numbers keep theirs.
async fn exit_one(admin: &Client) {
    let [paired, with_case, _] = memberships(admin).await;
    let id = list_ids(admin, "status=monitored")
        .await
        .into_iter()
        .find(|id| !paired.contains(id) && !with_case.contains(id))
        .expect("a child to exit");
    let record = body(admin.get(&format!("/api/children/{id}")).await).await;
    let exited = admin
        .post(
            &format!("/api/children/{id}/exit"),
            &json!({"version": record["version"], "reason": "迁出本区"}),
        )
        .await;
    assert_eq!(exited.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_number_is_the_total_of_its_list_and_the_records_give_it_again() {
    let demo = Demo::start().await;
    exit_one(&demo.admin).await;
    let villages = director_villages(&demo.director).await;
    let street = street_of(&villages[0]);

    let district = check_links(&demo.admin, "").await;
    assert_eq!(district["villages"], json!([]), "the whole district");
    assert_eq!(district["exited_this_year"]["count"], 1);
    for name in ["monitored", "paired", "open_cases", "open_crises"] {
        assert!(
            district[name]["count"].as_u64() > Some(0),
            "{name}: {district}"
        );
    }
    check_recount(&demo.admin, &demo.admin, &district).await;

    // Without a pairing: the rest of the monitored children.
    let unpaired = body(
        demo.admin
            .get("/api/children/count?status=monitored&paired=false")
            .await,
    )
    .await;
    let paired = district["paired"]["count"].as_u64();
    assert_eq!(
        unpaired["total"].as_u64().zip(paired).map(|(a, b)| a + b),
        district["monitored"]["count"].as_u64()
    );

    check_links(&demo.admin, &format!("?street={street}")).await;
    check_links(&demo.admin, &format!("?village={}", villages[0])).await;

    let mine = check_links(&demo.director, "").await;
    assert_eq!(mine["villages"], json!(villages));
    check_recount(&demo.director, &demo.admin, &mine).await;
    check_links(&demo.director, &format!("?street={street}")).await;
    check_links(&demo.director, &format!("?village={}", villages[1])).await;
}

#[tokio::test]
async fn a_director_counts_only_their_villages_and_other_roles_are_refused() {
    let demo = Demo::start().await;
    let villages = director_villages(&demo.director).await;
    let district = body(demo.admin.get("/api/statistics").await).await;
    let mine = body(demo.director.get("/api/statistics").await).await;
    let by_village: BTreeMap<String, u64> = district["breakdowns"]
        .as_array()
        .expect("breakdowns")
        .iter()
        .find(|breakdown| breakdown["dimension"] == "village")
        .and_then(|breakdown| breakdown["buckets"].as_array())
        .expect("villages")
        .iter()
        .map(|bucket| {
            (
                bucket["key"].as_str().unwrap_or_default().to_string(),
                bucket["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let expected: u64 = villages
        .iter()
        .map(|village| by_village.get(village).copied().unwrap_or(0))
        .sum();
    assert!(expected > 0);
    assert_eq!(mine["monitored"]["count"].as_u64(), Some(expected));
    assert!(district["monitored"]["count"].as_u64() > Some(expected));

    // Another village: not the director's to know, not even whether it has children.
    let other = by_village
        .keys()
        .find(|village| !villages.contains(village))
        .expect("a village outside the director's");
    for path in [
        format!("/api/statistics?village={other}"),
        format!("/api/statistics/export?village={other}"),
    ] {
        let status = demo.director.get(&path).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // A street without any of the director's villages counts nothing for them.
    let elsewhere = shared::divisions::streets()
        .map(|street| street.code.to_string())
        .find(|street| {
            !villages
                .iter()
                .any(|village| village.starts_with(street.as_str()))
        })
        .expect("another street");
    let none = body(
        demo.director
            .get(&format!("/api/statistics?street={elsewhere}"))
            .await,
    )
    .await;
    assert_eq!(none["monitored"]["count"], 0);
    assert_eq!(none["villages"], json!([]));

    for username in [
        "teacher.demo",
        "volunteer.demo",
        "counsellor.demo",
        "officer.demo",
    ] {
        let client = demo.login(username).await;
        for path in ["/api/statistics", "/api/statistics/export"] {
            let status = client.get(path).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{username} {path}");
        }
    }
}
