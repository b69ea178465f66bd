//! The benchmark: real endpoints of the real server on the embedded engine, next to the raw
//! engine and a trivial endpoint measured in the same run, so the ratios hold on a noisy machine.
//! Prints a table and writes `target/bench/latest.json`. Run it with `scripts/bench`.

mod disk;
mod frontend;
mod lambda_emulator;
mod load;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use futures::future::join_all;
use serde_json::{json, Value};
use shared::children::ChildInput;
use tests::{TestApp, TokenClient};

const SECONDS_PER_LEVEL: u64 = 3;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn release_binary(name: &str) -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    target.join("release").join(name)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn child_input(i: usize) -> ChildInput {
    let villages: Vec<_> = shared::divisions::villages().collect();
    let village = villages[i % villages.len()].code;
    let json = tests::child_json(&format!("基准{i:05}"), village, "2015-06-01");
    serde_json::from_value(json).expect("child input")
}

async fn seed_children(app: &TestApp, count: usize) -> Vec<String> {
    let state = &app.server.state;
    let today = shared::time::beijing_date(state.clock.now());
    let core = state.store.core_districts().await.expect("core");
    let now = state.clock.now();
    let children: Vec<api::store::children::ChildItem> = (0..count)
        .map(|i| {
            let input = child_input(i).validate(today).expect("valid");
            api::store::children::ChildItem {
                id: ulid::Ulid::new().to_string(),
                version: 1,
                eligibility: input.eligibility(today, &core),
                care_level_history: Vec::new(),
                child: input,
                status: shared::children::MonitoringStatus::Monitored,
                exit: None,
                duplicates: Vec::new(),
                created_at: now,
                created_by: "bench".into(),
                updated_at: now,
                updated_by: "bench".into(),
                schema_version: shared::children::CHILD_SCHEMA_VERSION,
            }
        })
        .collect();
    state
        .store
        .put_children_batch(&children)
        .await
        .expect("seeded");
    children.into_iter().map(|child| child.id).collect()
}

#[derive(serde::Serialize)]
struct Figures {
    measured_at: String,
    machine: String,
    raw_get_item: Value,
    raw_transaction: Value,
    http: Vec<Value>,
    ratios: Value,
    rush: Value,
    import: Value,
    startup: Value,
    lambda: Value,
    frontend: Value,
    disk: Value,
}

async fn raw_get_item(app: &TestApp, ids: &[String]) -> (f64, f64) {
    let store = &app.server.state.store;
    let mut samples = Vec::with_capacity(3000);
    for i in 0..3000 {
        let started = Instant::now();
        store.get_child(&ids[i % ids.len()]).await.expect("get");
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    (percentile(&samples, 0.5), percentile(&samples, 0.99))
}

async fn raw_transactions(app: &TestApp) -> load::LoadResult {
    let store = app.server.state.store.clone();
    load::run(16, Duration::from_secs(SECONDS_PER_LEVEL), move |i| {
        let store = store.clone();
        async move {
            let put = |sk: &str| {
                Put::builder()
                    .table_name(store.table())
                    .item("PK", AttributeValue::S(format!("BENCH#{i}")))
                    .item("SK", AttributeValue::S(sk.to_string()))
                    .condition_expression("attribute_not_exists(PK)")
                    .build()
                    .expect("put")
            };
            store
                .client()
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().put(put("A")).build())
                .transact_items(TransactWriteItem::builder().put(put("B")).build())
                .send()
                .await
                .is_ok()
        }
    })
    .await
}

async fn http_levels(
    name: &str,
    client: &reqwest::Client,
    cookie: &str,
    urls: Vec<String>,
) -> Vec<Value> {
    let mut out = Vec::new();
    for connections in [1, 16, 64] {
        let client = client.clone();
        let cookie = cookie.to_string();
        let urls = urls.clone();
        let result = load::run(
            connections,
            Duration::from_secs(SECONDS_PER_LEVEL),
            move |i| {
                let request = client
                    .get(&urls[i % urls.len()])
                    .header("cookie", cookie.clone());
                async move {
                    request
                        .send()
                        .await
                        .map(|r| r.status().is_success())
                        .unwrap_or(false)
                }
            },
        )
        .await;
        out.push(json!({"endpoint": name, "result": result}));
    }
    out
}

/// The HTTP part of the rush: 1,000 volunteers sign up for 50 places at once.
async fn http_rush(app: &TestApp, admin: &tests::Client) -> (f64, u32, u32, u32) {
    let via_http = tests::event(
        admin,
        "基准:报名高峰",
        50,
        0,
        json!({"kind": "all_volunteers"}),
    )
    .await;
    let volunteers = app.volunteers("bench", 1000, "charity").await;
    let http = reqwest::Client::new();
    let clients: Vec<TokenClient> = volunteers
        .iter()
        .map(|(token, _)| TokenClient::new(app, &http, token))
        .collect();
    let path = format!("/api/events/{via_http}/signup");
    let body = json!({});
    let started = Instant::now();
    let answers = join_all(clients.iter().map(|client| client.post(&path, &body))).await;
    let http_time = started.elapsed().as_secs_f64() * 1000.0;
    let mut confirmed = 0;
    let mut waitlisted = 0;
    let mut errors = 0;
    for answer in answers {
        if !answer.status().is_success() {
            errors += 1;
            continue;
        }
        match tests::body(answer).await["status"].as_str() {
            Some("confirmed") => confirmed += 1,
            Some("waitlisted") => waitlisted += 1,
            _ => errors += 1,
        }
    }
    (http_time, confirmed, waitlisted, errors)
}

/// The same rush on a server whose store calls are 20 % faulted (throttling, conflicts,
/// internal errors), as DynamoDB under load: the same answers, slower.
async fn faulted_rush() -> Value {
    let app = TestApp::spawn_with_faults(0.2, 2026).await;
    let admin = app.admin().await;
    let (http_ms, confirmed, waitlisted, errors) = http_rush(&app, &admin).await;
    json!({"fault_rate": 0.2, "http_ms": http_ms, "confirmed": confirmed, "waitlisted": waitlisted,
           "errors": errors, "store": app.fault_summary()})
}

async fn rush(app: &TestApp, admin: &tests::Client) -> Value {
    let (http_time, confirmed, waitlisted, errors) = http_rush(app, admin).await;
    let volunteers = app.volunteers("bench-raw", 1000, "charity").await;
    // The raw engine doing the same transactions, without HTTP, sessions or checks.
    let site = tests::body(admin.get("/api/sites").await).await[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let starts = chrono::Utc::now() + chrono::Duration::days(30);
    let raw_event = tests::event_at(
        admin,
        &site,
        "基准:引擎直接报名",
        50,
        0,
        json!({"kind": "all_volunteers"}),
        starts,
    )
    .await;
    let store = app.server.state.store.clone();
    let now = chrono::Utc::now();
    let started = Instant::now();
    join_all(volunteers.iter().map(|(_, user_id)| {
        let store = store.clone();
        let signup = shared::events::SignupRecord {
            event_id: raw_event.clone(),
            kind: shared::events::PlaceKind::Volunteer,
            person_id: user_id.clone(),
            name: "基准".into(),
            status: shared::events::SignupStatus::Confirmed,
            position: None,
            signed_up_at: now,
            attendance: None,
            minutes: None,
            correction: None,
            entered_by: None,
        };
        async move {
            match store.join_confirmed(&signup, starts, now).await {
                Ok(api::store::events::JoinOutcome::NotOpen) => {
                    store.join_waitlist(&signup, starts, now).await.is_ok()
                }
                other => other.is_ok(),
            }
        }
    }))
    .await;
    let raw_time = started.elapsed().as_secs_f64() * 1000.0;
    json!({"sign_ups": 1000, "places": 50, "http_ms": http_time, "confirmed": confirmed, "waitlisted": waitlisted,
           "errors": errors, "raw_engine_ms": raw_time, "ratio_to_raw": http_time / raw_time})
}

async fn import(admin: &tests::Client) -> Value {
    let header = "姓名,性别,出生日期,身份证号,户籍县区代码,户籍村社区代码,常住村社区代码,详细地址,学校,班级,类别,关爱等级,父亲情况,父亲务工县区代码,父亲外出日期,父亲监护能力,父亲说明,父亲电话,母亲情况,母亲务工县区代码,母亲外出日期,母亲监护能力,母亲说明,母亲电话,监护人姓名,监护人关系,监护人电话,监护人监护能力,兴趣爱好";
    let village = "330303001004";
    let mut lines = vec![header.to_string()];
    for i in 0..5000 {
        lines.push(format!("导入{i:05},女,2015-05-05,,330303,{village},{village},示例路,示例小学,三(1)班,留守儿童,常规,外出务工,440106,2024-02-20,,,,外出务工,330381,2024-02-20,,,,张奶奶,祖母,13800000000,有监护能力,唱歌"));
    }
    let started = Instant::now();
    let response = admin
        .post_raw(
            "/api/children/import",
            "text/csv",
            lines.join("\n").into_bytes(),
        )
        .await;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let report = tests::body(response).await;
    json!({"rows": 5000, "ms": elapsed, "imported": report["imported"]})
}

async fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18099)
}

/// Process start to the first 200 from `/api/health`, on a data file that already exists.
async fn startup() -> Value {
    let binary = release_binary("shouwang");
    if !binary.exists() {
        return json!({"skipped": format!("{} not built", binary.display())});
    }
    let dir = tempfile::tempdir().expect("dir");
    let http = reqwest::Client::new();
    let mut samples = Vec::new();
    for round in 0..6 {
        let port = free_port().await;
        let started = Instant::now();
        let mut child = tokio::process::Command::new(&binary)
            .args([
                "--data-dir",
                &dir.path().display().to_string(),
                "--port",
                &port.to_string(),
            ])
            .env("SHOUWANG_INITIAL_ADMIN_PASSWORD", "bench-admin-password")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("server starts");
        let url = format!("http://127.0.0.1:{port}/api/health");
        loop {
            if let Ok(response) = http.get(&url).send().await {
                if response.status().is_success() {
                    break;
                }
            }
            if started.elapsed() > Duration::from_secs(10) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let _ = child.kill().await;
        // The first round creates the data file; the rest start on it.
        if round > 0 {
            samples.push(elapsed);
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    json!({"runs": samples.len(), "median_ms": percentile(&samples, 0.5), "max_ms": samples.last()})
}

/// The Lambda binary under a local Runtime API emulator, against the embedded engine: spawn →
/// first poll for an event (init done, SDK client built), and → first response.
async fn lambda(app: &TestApp) -> Value {
    let binary = release_binary("shouwang-lambda");
    if !binary.exists() {
        return json!({"skipped": format!("{} not built", binary.display())});
    }
    let engine =
        api::store::embedded::EmbeddedEngine::start(api::store::embedded::EngineFile::InMemory)
            .await
            .expect("engine");
    engine.store("shouwang").await.expect("table");
    let event =
        std::fs::read_to_string(root().join("tests/events/health.json")).expect("event file");
    let mut init = Vec::new();
    let mut first = Vec::new();
    let mut status = String::new();
    for _ in 0..5 {
        let emulator = lambda_emulator::start(event.clone())
            .await
            .expect("emulator");
        let started = Instant::now();
        let mut child = tokio::process::Command::new(&binary)
            .env("AWS_LAMBDA_RUNTIME_API", emulator.address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "shouwang")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_REGION", "cn-north-1")
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &engine.endpoint)
            .env("SHOUWANG_TABLE", "shouwang")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("lambda starts");
        let _ = tokio::time::timeout(Duration::from_secs(10), emulator.done.notified()).await;
        let observed = emulator.observed.lock().await;
        if let (Some(poll), Some((answered, body))) = (observed.first_poll, &observed.response) {
            init.push((poll - started).as_secs_f64() * 1000.0);
            first.push((*answered - started).as_secs_f64() * 1000.0);
            status = serde_json::from_str::<Value>(body)
                .map(|v| v["statusCode"].to_string())
                .unwrap_or_else(|_| body.clone());
        }
        let _ = child.kill().await;
    }
    let _ = app;
    init.sort_by(|a, b| a.total_cmp(b));
    first.sort_by(|a, b| a.total_cmp(b));
    json!({"runs": init.len(), "init_median_ms": percentile(&init, 0.5), "first_response_median_ms": percentile(&first, 0.5),
           "first_response_status": status})
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    format!(
        "{} cores, {cpu}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::var("SHOUWANG_BENCH").as_deref() == Ok("disk") {
        let disk = disk::disk_engine().await;
        println!("{}", serde_json::to_string_pretty(&disk)?);
        return Ok(());
    }
    let dist = root().join("dist");
    let data = tempfile::tempdir()?;
    let app = TestApp::spawn_with(tests::Options {
        data: api::local::DataLocation::Dir(data.path().to_path_buf()),
        frontend_dir: Some(dist.clone()),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    eprintln!("seeding 10,000 children …");
    let ids = seed_children(&app, 10_000).await;
    let admin_user = app
        .server
        .state
        .store
        .find_user_by_username("admin")
        .await?
        .expect("admin");
    let (token, _) = api::accounts::issue_session(&app.server.state, &admin_user).await?;
    let cookie = format!("shouwang_session={token}");

    eprintln!("raw engine …");
    let (get_p50, get_p99) = raw_get_item(&app, &ids).await;
    let transactions = raw_transactions(&app).await;

    eprintln!("HTTP endpoints …");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()?;
    let mut results = Vec::new();
    results.extend(
        http_levels(
            "GET /api/health",
            &http,
            &cookie,
            vec![format!("{}/api/health", app.url)],
        )
        .await,
    );
    let child_urls: Vec<String> = ids
        .iter()
        .take(2000)
        .map(|id| format!("{}/api/children/{id}", app.url))
        .collect();
    results.extend(
        http_levels(
            "GET /api/children/{id} (audited)",
            &http,
            &cookie,
            child_urls,
        )
        .await,
    );
    results.extend(
        http_levels(
            "GET /api/children (page of 50 of 10,000)",
            &http,
            &cookie,
            vec![format!("{}/api/children", app.url)],
        )
        .await,
    );

    let find = |endpoint: &str, connections: usize| -> Option<load::LoadResult> {
        results
            .iter()
            .find(|r| {
                r["endpoint"]
                    .as_str()
                    .is_some_and(|e| e.starts_with(endpoint))
                    && r["result"]["connections"] == connections
            })
            .and_then(|r| serde_json::from_value(r["result"].clone()).ok())
    };
    let child_1 = find("GET /api/children/{id}", 1);
    let child_64 = find("GET /api/children/{id}", 64);
    let health_64 = find("GET /api/health", 64);
    let ratios = json!({
        "child_read_p50_over_raw_get_item_p50": child_1.as_ref().map(|c| c.p50_ms / get_p50),
        "child_read_rps_over_health_rps_at_64": match (&child_64, &health_64) { (Some(c), Some(h)) => Some(c.requests_per_second / h.requests_per_second), _ => None },
    });

    eprintln!("sign-up rush …");
    let mut rush = rush(&app, &admin).await;
    eprintln!("sign-up rush with 20% of store calls faulted …");
    rush["faulted"] = faulted_rush().await;
    eprintln!("import of 5,000 rows …");
    let import = import(&admin).await;
    eprintln!("start-up, Lambda cold start, frontend …");
    let startup = startup().await;
    let lambda = lambda(&app).await;
    let disk = disk::disk_engine().await;
    let mut frontend = frontend::first_load_bytes(&dist);
    // The caring mother's path needs her account and events: the demo data, on its own portal.
    let demo = TestApp::spawn_with(tests::Options {
        frontend_dir: Some(dist.clone()),
        ..Default::default()
    })
    .await;
    let accounts = api::demo::fill(&demo.server.state).await?;
    let volunteer = accounts
        .iter()
        .find(|account| account.username == "volunteer.demo")
        .map(|account| account.password.clone())
        .unwrap_or_default();
    frontend["visits"] = frontend::visit_times(&demo.url, &volunteer).await;

    let figures = Figures {
        measured_at: chrono::Utc::now().to_rfc3339(),
        machine: machine(),
        raw_get_item: json!({"p50_ms": get_p50, "p99_ms": get_p99}),
        raw_transaction: serde_json::to_value(&transactions)?,
        http: results.clone(),
        ratios: ratios.clone(),
        rush: rush.clone(),
        import: import.clone(),
        startup: startup.clone(),
        lambda: lambda.clone(),
        frontend: frontend.clone(),
        disk: disk.clone(),
    };

    let f = |value: &Value| {
        value
            .as_f64()
            .map(|v| format!("{v:.2}"))
            .unwrap_or_else(|| "—".into())
    };
    println!(
        "\n守望 Shouwang benchmark — {} — {}",
        figures.measured_at, figures.machine
    );
    println!("\nRaw embedded engine (same SDK client)");
    println!("  GetItem                      p50 {get_p50:.3} ms   p99 {get_p99:.3} ms");
    println!(
        "  TransactWriteItems (2 puts)  {:.0}/s at 16 concurrent   p50 {:.2} ms",
        transactions.requests_per_second, transactions.p50_ms
    );
    println!(
        "\n{:<44} {:>5} {:>10} {:>9} {:>9} {:>8} {:>8}",
        "endpoint", "conns", "req/s", "p50 ms", "p99 ms", "×health", "×rawGet"
    );
    for row in &results {
        let r: load::LoadResult = serde_json::from_value(row["result"].clone())?;
        let health = find("GET /api/health", r.connections)
            .map(|h| h.requests_per_second)
            .unwrap_or(f64::NAN);
        println!(
            "{:<44} {:>5} {:>10.0} {:>9.3} {:>9.3} {:>8.2} {:>8.2}",
            row["endpoint"].as_str().unwrap_or(""),
            r.connections,
            r.requests_per_second,
            r.p50_ms,
            r.p99_ms,
            r.requests_per_second / health,
            r.p50_ms / get_p50
        );
    }
    println!("\nTargets");
    println!(
        "  child read p50 / raw GetItem p50      {} (target ≤ 2.5)",
        f(&ratios["child_read_p50_over_raw_get_item_p50"])
    );
    println!(
        "  child read req/s / health req/s @64   {} (target ≥ 0.5)",
        f(&ratios["child_read_rps_over_health_rps_at_64"])
    );
    println!("  sign-up rush 1,000 for 50 places      {} ms: {} confirmed, {} waitlisted, {} errors; raw engine {} ms; ratio {} (target ≤ 2)",
        f(&rush["http_ms"]), rush["confirmed"], rush["waitlisted"], rush["errors"], f(&rush["raw_engine_ms"]), f(&rush["ratio_to_raw"]));
    let faulted = &rush["faulted"];
    println!(
        "  … with 20% of store calls faulted     {} ms: {} confirmed, {} waitlisted, {} errors; {}",
        f(&faulted["http_ms"]),
        faulted["confirmed"],
        faulted["waitlisted"],
        faulted["errors"],
        faulted["store"].as_str().unwrap_or_default()
    );
    println!(
        "  import 5,000 rows                     {} ms (target < 10,000)",
        f(&import["ms"])
    );
    println!(
        "  local start-up to first 200           {} ms median (target < 300)",
        f(&startup["median_ms"])
    );
    println!("  Lambda cold init (SDK client built)   {} ms median; first response {} ms, status {} (target < 50)",
        f(&lambda["init_median_ms"]), f(&lambda["first_response_median_ms"]), lambda["first_response_status"]);
    let role_kb = &frontend["per_role_brotli_kb"];
    println!("  first load, volunteer (sign-in → home) {} kB brotli (target ≤ 250): shell {} + light bundle {}; her other screens, once: {}",
        f(&role_kb["volunteer"]), f(&frontend["parts_kb"]["shell"]["brotli"]), f(&frontend["parts_kb"]["light"]["brotli"]),
        f(&frontend["volunteer_other_screens_brotli_kb"]));
    println!("  first load, director / teacher / admin {} / {} / {} kB brotli (+ full bundle {}; a return visit with a new build {})",
        f(&role_kb["director"]), f(&role_kb["teacher"]), f(&role_kb["admin"]),
        f(&frontend["parts_kb"]["full"]["brotli"]), f(&frontend["staff_return_visit_brotli_kb"]));
    for (label, key) in [
        ("unthrottled", "unthrottled"),
        ("1.6 Mbit/s, 150 ms, CPU ×4", "weak_link_slow_cpu"),
    ] {
        let times = &frontend["visits"][key];
        println!("  {label:<37} sign-in form typeable {} ms (target < 3000 weak); volunteer home with events {} ms",
            f(&times["sign_in_form_ms"]), f(&times["volunteer_home_ms"]));
    }

    println!(
        "  engine on a data file ({})   {} writes/s, {} consistent reads/s, backup {} ms ({} items)",
        disk["build"].as_str().unwrap_or_default(),
        f(&disk["writes_per_s"]),
        f(&disk["consistent_reads_per_s"]),
        f(&disk["backup_ms"]),
        disk["items"]
    );

    let out = root().join("target/bench");
    std::fs::create_dir_all(&out)?;
    std::fs::write(
        out.join("latest.json"),
        serde_json::to_string_pretty(&figures)?,
    )?;
    println!("\nJSON: {}", out.join("latest.json").display());
    Ok(())
}
