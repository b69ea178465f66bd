//! Logs carry no personal data: the portal runs a whole scenario (sign in, register children
//! with names, ID numbers and guardians' phone numbers, view, edit, list and search, export,
//! record a visit) with logging at its most verbose, and nothing it logged names a child or a
//! guardian or gives an ID or phone number, in any spelling a log line could use.
//!
//! The scenario runs in a child process (this test binary again, running only
//! [`scenario_in_a_child_process`]), so its logging is the process's own, installed by
//! `api::config::logging::init` exactly as `shouwang` and the Lambda function install it, with
//! `RUST_LOG` at `trace` for every target; this test reads everything the child wrote to
//! standard output and standard error. `docs/logging.md` explains the choice.

use std::process::Stdio;
use std::time::Duration;

use api::local::DataLocation;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::{child_json, id_number, Client, Options, TestApp, VILLAGE};

/// Set in the child process's environment: run the scenario.
const CHILD: &str = "SHOUWANG_LOG_TEST_CHILD";
/// The child's last line, so an empty or cut-short log cannot pass.
const DONE: &str = "log scenario done";

/// `RUST_LOG` for the child: everything at trace, and by name the targets that would print
/// bodies, so the cap has to hold against a directive more specific than its own.
const VERBOSE: &str = "trace,dynoxide=trace,dynoxide::server=trace,aws_smithy_runtime=trace,\
aws_smithy_runtime::client::orchestrator=trace,aws_smithy_http=trace,aws_sigv4=trace,\
aws_sdk_dynamodb=trace,hyper=trace,hyper_util=trace,h2=trace,tower_http=trace,axum=trace,\
axum::rejection=trace,lambda_runtime=trace,api=trace";

/// The fictional people the scenario registers: a child's name, ID number, guardian's name and
/// phone number, and what an edit changes the name and phone to.
struct Person {
    name: &'static str,
    birth: &'static str,
    sequence: u32,
    guardian: &'static str,
    phone: &'static str,
    new_name: &'static str,
    new_phone: &'static str,
}

const PEOPLE: [Person; 3] = [
    Person {
        name: "司马晓岚",
        birth: "2015-06-01",
        sequence: 1,
        guardian: "上官秀英",
        phone: "13957214068",
        new_name: "司马晓澜",
        new_phone: "13758290163",
    },
    Person {
        name: "欧阳子涵",
        birth: "2013-09-17",
        sequence: 3,
        guardian: "皇甫桂兰",
        phone: "15867302941",
        new_name: "欧阳梓涵",
        new_phone: "15168034279",
    },
    Person {
        name: "诸葛明轩",
        birth: "2016-02-29",
        sequence: 5,
        guardian: "令狐建国",
        phone: "18757364019",
        new_name: "诸葛铭轩",
        new_phone: "18367029514",
    },
];

impl Person {
    fn id_number(&self) -> String {
        id_number(&self.birth.replace('-', ""), self.sequence)
    }
}

/// Every value that must not be logged, with what it is.
fn secrets() -> Vec<(String, String)> {
    let mut secrets = Vec::new();
    for person in &PEOPLE {
        secrets.push(("a child's name".into(), person.name.into()));
        secrets.push(("a child's new name".into(), person.new_name.into()));
        secrets.push(("a guardian's name".into(), person.guardian.into()));
        secrets.push(("an ID number".into(), person.id_number()));
        secrets.push(("a phone number".into(), person.phone.into()));
        secrets.push(("a new phone number".into(), person.new_phone.into()));
    }
    secrets
}

/// The ways a value can appear in a log line: as it is, as Rust's `Debug` of bytes writes it
/// (`\xe5\x8f\xb8`), as JSON escapes it (`\u53f8`), percent-encoded as in a URL, and with an
/// ID number's check letter in the other case.
fn spellings(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_string()];
    if value.is_ascii() {
        forms.push(value.to_ascii_lowercase());
        forms.push(value.to_ascii_uppercase());
    } else {
        let bytes = value.as_bytes();
        forms.push(bytes.iter().map(|b| format!("\\x{b:02x}")).collect());
        forms.push(bytes.iter().map(|b| format!("\\x{b:02X}")).collect());
        forms.push(bytes.iter().map(|b| format!("%{b:02X}")).collect());
        forms.push(bytes.iter().map(|b| format!("%{b:02x}")).collect());
        let units: Vec<u16> = value.encode_utf16().collect();
        forms.push(units.iter().map(|u| format!("\\u{u:04x}")).collect());
        forms.push(units.iter().map(|u| format!("\\u{u:04X}")).collect());
    }
    forms.sort();
    forms.dedup();
    forms
}

/// The name this module's scenario test has in the test binary (`logs::…`, whatever the module
/// is called in `main.rs`).
fn scenario_test_name() -> String {
    let module = module_path!();
    let module = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{module}::scenario_in_a_child_process")
}

#[tokio::test]
async fn nothing_logged_at_trace_names_a_child_or_gives_an_id_or_phone_number() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let binary = std::env::current_exe().expect("the test binary");
    let run = tokio::process::Command::new(&binary)
        .args([
            scenario_test_name().as_str(),
            "--exact",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD, "1")
        .env("RUST_LOG", VERBOSE)
        // The SDK's own switch for logging response bodies: on, to show the cap holds anyway.
        .env("LOG_SENSITIVE_BODIES", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .expect("the scenario finishes within ten minutes")
        .expect("the test binary runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let tail = || {
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    };
    assert!(
        output.status.success() && log.contains(DONE),
        "the scenario failed ({}):\n{}",
        output.status,
        tail()
    );

    // Logging really was at trace: the web servers log each connection they accept at trace.
    let lines: Vec<&str> = log.lines().collect();
    let trace_lines = lines
        .iter()
        .filter(|line| line.split_whitespace().nth(1) == Some("TRACE"))
        .count();
    assert!(
        trace_lines > 0 && log.contains("axum::serve"),
        "nothing logged at trace: was RUST_LOG applied?\n{}",
        tail()
    );

    // The capped libraries said nothing below info, though RUST_LOG asked them by name.
    let below_info_from_capped: Vec<&&str> = lines
        .iter()
        .filter(|line| {
            let mut words = line.split_whitespace();
            let level = words.nth(1);
            matches!(level, Some("TRACE" | "DEBUG"))
                && words.any(|word| {
                    api::config::logging::CAPPED_TARGETS
                        .iter()
                        .any(|target| word.starts_with(target) && word.ends_with(':'))
                })
        })
        .collect();
    assert!(
        below_info_from_capped.is_empty(),
        "{} lines below info from capped targets, e.g.:\n{}",
        below_info_from_capped.len(),
        below_info_from_capped
            .iter()
            .take(5)
            .map(|line| line.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );

    let mut found = Vec::new();
    for (what, value) in secrets() {
        for form in spellings(&value) {
            for line in lines.iter().filter(|line| line.contains(&form)) {
                found.push(format!("{what} ({form}) in: {line}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} log lines carry personal data:\n{}",
        found.len(),
        found.join("\n")
    );
    println!(
        "{} lines logged ({trace_lines} at trace), none with a name, ID or phone number",
        lines.len()
    );
}

/// Run only as the child of the test above (it returns at once otherwise): installs the
/// production logging and runs the scenario on a data directory, as `shouwang` serves one.
#[tokio::test]
async fn scenario_in_a_child_process() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    api::config::logging::init(
        api::config::logging::LOCAL_DEFAULT,
        api::config::logging::Output::Terminal,
    );
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(Options {
        data: DataLocation::Dir(dir.path().to_path_buf()),
        faults: None,
        ..Options::default()
    })
    .await;
    scenario(&app).await;
    app.server.stop().await;
    println!("{DONE}");
}

/// The answer's JSON, after checking its status. (A failure shows the body, personal data and
/// all; the test above reports a failed scenario before it looks for personal data.)
async fn ok(response: reqwest::Response, expected: StatusCode, what: &str) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "{what}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn scenario(app: &TestApp) {
    // Sign in: a wrong password first, then the admin and a village director.
    let stranger = app.client();
    let refused = stranger.login("admin", "not-the-password").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let admin = app.admin().await;
    let director = app.user(&admin, "director.logs", "director").await;

    let mut ids = Vec::new();
    for person in &PEOPLE {
        let mut child = child_json(person.name, VILLAGE, person.birth);
        child["id_number"] = json!(person.id_number());
        child["guardians"][0]["name"] = json!(person.guardian);
        child["guardians"][0]["phone"] = json!(person.phone);
        child["interests"] = json!(format!("{}喜欢画画", person.name));
        let created = ok(
            director
                .post("/api/children", &json!({ "child": child }))
                .await,
            StatusCode::CREATED,
            "register a child",
        )
        .await;
        let id = created["id"].as_str().expect("child id").to_string();
        let version = created["version"].as_u64().unwrap_or(1);
        ids.push((id, version, child));
    }

    for (person, (id, version, child)) in PEOPLE.iter().zip(&mut ids) {
        // View: the director's masked view, and the admin's, which shows the ID number.
        ok(
            director.get(&format!("/api/children/{id}")).await,
            StatusCode::OK,
            "view",
        )
        .await;
        let full = ok(
            admin.get(&format!("/api/children/{id}")).await,
            StatusCode::OK,
            "view as admin",
        )
        .await;
        assert_eq!(full["child"]["id_number"], person.id_number().as_str());
        // Edit the name and the guardian's phone.
        child["name"] = json!(person.new_name);
        child["guardians"][0]["phone"] = json!(person.new_phone);
        let saved = ok(
            director
                .put(
                    &format!("/api/children/{id}"),
                    &json!({ "version": *version, "child": child }),
                )
                .await,
            StatusCode::OK,
            "edit",
        )
        .await;
        *version = saved["version"].as_u64().unwrap_or(*version + 1);
        // A visit, with the child named in its notes.
        let visit = json!({
            "client_id": ulid::Ulid::new().to_string(),
            "child_id": id,
            "visited_at": chrono::Utc::now(),
            "mode": "home_visit",
            "met_with": ["child", "guardian"],
            "guardianship": "fair",
            "entrusted_guardian": false,
            "health": "healthy",
            "schooling": "in_school",
            "emotion": "stable",
            "needs": format!("{}需要课业辅导,监护人{}", person.new_name, person.guardian),
        });
        ok(
            director.post("/api/visits", &visit).await,
            StatusCode::CREATED,
            "record a visit",
        )
        .await;
        ok(
            director.get(&format!("/api/children/{id}/visits")).await,
            StatusCode::OK,
            "a child's visits",
        )
        .await;
        // Search by the new name and by the ID number's last four.
        let number = person.id_number();
        for query in [person.new_name.to_string(), number[14..].to_string()] {
            ok(
                admin.get(&format!("/api/children?q={query}")).await,
                StatusCode::OK,
                "search",
            )
            .await;
        }
    }

    // Lists, exports and the audit log.
    let listed = ok(director.get("/api/children").await, StatusCode::OK, "list").await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(PEOPLE.len()));
    let reads: [(&Client, &str); 5] = [
        (&admin, "/api/children/count"),
        (&admin, "/api/children/review"),
        (&director, "/api/visits/plan"),
        (&admin, "/api/audit"),
        (&admin, "/api/health"),
    ];
    for (client, path) in reads {
        ok(client.get(path).await, StatusCode::OK, path).await;
    }
    for format in ["csv", "xlsx"] {
        let export = admin
            .get(&format!("/api/children/export?format={format}"))
            .await;
        assert_eq!(export.status(), StatusCode::OK, "export {format}");
        let bytes = export.bytes().await.expect("export body");
        if format == "csv" {
            // The export does carry the data: the scenario handled real personal data.
            assert!(String::from_utf8_lossy(&bytes).contains(PEOPLE[0].new_name));
        }
    }
    let signed_out = admin.post("/api/auth/logout", &json!({})).await;
    assert!(signed_out.status().is_success());
}
