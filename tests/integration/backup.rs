//! Backups of the one-machine portal: a copy made while children are being written holds every
//! child acknowledged before it began, and restores into a fresh directory; restore refuses a
//! running portal and a data file changed after the backup unless forced; daily backups keep the
//! newest few and health reports their age.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api::backup::{self, RestoreError};
use api::local::DataLocation;
use reqwest::StatusCode;
use serde_json::json;
use tests::{body, child_json, Client, Options, TestApp, VILLAGE};

fn on_disk(dir: &Path) -> Options {
    Options {
        data: DataLocation::Dir(dir.to_path_buf()),
        ..Default::default()
    }
}

fn same_session(client: &Client) -> Client {
    Client {
        http: client.http.clone(),
        base: client.base.clone(),
    }
}

async fn create_child(client: &Client, name: &str) -> String {
    let response = client
        .post(
            "/api/children",
            &json!({"child": child_json(name, VILLAGE, "2015-06-01")}),
        )
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record["id"].as_str().unwrap().to_string()
}

async fn child_status(client: &Client, id: &str) -> StatusCode {
    client.get(&format!("/api/children/{id}")).await.status()
}

async fn until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A stopped server's engine closes its file a moment later (its write-ahead log goes then).
async fn engine_closed(dir: &Path) {
    let wal = dir.join("shouwang.db-wal");
    let started = Instant::now();
    while wal.exists() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_backup_taken_mid_stream_restores_every_child_acknowledged_before_it_began() {
    let source = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(on_disk(source.path())).await;
    let admin = app.admin().await;

    // Four writers, each noting a child once its 201 has arrived (the write is committed).
    let acknowledged: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let client = same_session(&admin);
        let acknowledged = acknowledged.clone();
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let child = child_json(&format!("备份测试{writer}号{n}"), VILLAGE, "2015-06-01");
                let response = client.post("/api/children", &json!({"child": child})).await;
                let at = Instant::now();
                if response.status() == StatusCode::CREATED {
                    let id = body(response).await["id"].as_str().unwrap().to_string();
                    acknowledged.lock().unwrap().push((id, at));
                }
            }
        }));
    }
    let count = || acknowledged.lock().unwrap().len();
    until("40 children written", Duration::from_secs(120), || {
        count() >= 40
    })
    .await;

    let file = tempfile::tempdir().unwrap();
    let backup_file = file.path().join("mid-stream.db");
    let began = Instant::now();
    let bytes = backup::backup(source.path(), &backup_file)
        .await
        .expect("the backup is made while the portal serves");
    let ended = Instant::now();
    assert!(bytes > 0 && backup_file.is_file());
    // The portal kept serving: writes are still acknowledged after the backup.
    let after = || {
        acknowledged
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, at)| *at > ended)
            .count()
    };
    until("writes after the backup", Duration::from_secs(60), || {
        after() >= 4
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let before: Vec<String> = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(before.len() >= 40, "{} before the backup", before.len());
    app.server.stop().await;

    let fresh = tempfile::tempdir().unwrap();
    let restored = backup::restore(fresh.path(), &backup_file, false)
        .await
        .expect("a fresh directory takes the backup");
    assert!(restored.replaced.is_none());
    let copy = TestApp::spawn_with(on_disk(fresh.path())).await;
    assert!(
        copy.server.first_admin.is_none(),
        "the admin came with the backup"
    );
    let admin = copy.admin().await;
    let mut missing = Vec::new();
    for id in &before {
        let status = child_status(&admin, id).await;
        if status != StatusCode::OK {
            missing.push((id.clone(), status));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged children missing from the backup: {missing:?}",
        missing.len(),
        before.len()
    );
}

#[tokio::test]
async fn restore_refuses_a_running_portal_and_newer_data_unless_forced() {
    let source = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(on_disk(source.path())).await;
    let admin = app.admin().await;
    let kept = create_child(&admin, "备份前").await;
    let file = tempfile::tempdir().unwrap();
    let backup_file = file.path().join("before.db");
    backup::backup(source.path(), &backup_file).await.unwrap();
    assert!(
        backup::backup(source.path(), &backup_file).await.is_err(),
        "a backup never overwrites a file"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let later = create_child(&admin, "备份后").await;

    for force in [false, true] {
        let refused = backup::restore(source.path(), &backup_file, force).await;
        assert!(
            matches!(refused, Err(RestoreError::InUse)),
            "a running portal, force {force}: {refused:?}"
        );
    }
    app.server.stop().await;
    engine_closed(source.path()).await;

    let refused = backup::restore(source.path(), &backup_file, false).await;
    assert!(
        matches!(refused, Err(RestoreError::DataIsNewer { .. })),
        "{refused:?}"
    );
    assert!(
        !source.path().join("backups").exists(),
        "a refused restore changes nothing"
    );

    let restored = backup::restore(source.path(), &backup_file, true)
        .await
        .expect("--force replaces newer data");
    let replaced = restored.replaced.expect("the replaced file is kept");
    assert!(replaced.is_file());
    assert!(replaced.starts_with(source.path().join("backups")));
    // Nothing was written since: the same backup goes back again without --force.
    let again = backup::restore(source.path(), &backup_file, false)
        .await
        .expect("restored data is as old as its backup");
    assert_ne!(again.replaced, Some(replaced));

    let app = TestApp::spawn_with(on_disk(source.path())).await;
    let admin = app.admin().await;
    assert_eq!(child_status(&admin, &kept).await, StatusCode::OK);
    assert_eq!(
        child_status(&admin, &later).await,
        StatusCode::NOT_FOUND,
        "the data is the backup's"
    );
}

#[tokio::test]
async fn daily_backups_keep_the_newest_and_health_reports_their_age() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(on_disk(dir.path())).await;
    let health = body(app.client().get("/api/health").await).await;
    assert_eq!(health["store"], "ok");
    assert!(
        health["last_backup_age_hours"].is_null(),
        "no backup yet: {health}"
    );

    let status = app
        .server
        .backups
        .clone()
        .expect("a data directory has backups");
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(backup::make_daily(dir.path(), 2, &status).await.unwrap());
    }
    let backups = dir.path().join("backups");
    let mut daily: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("shouwang-") && name.ends_with(".db"))
        .collect();
    daily.sort();
    assert_eq!(daily.len(), 2, "{daily:?}");
    assert!(!made[0].exists(), "the oldest is removed");
    assert!(made[1].exists() && made[2].exists());
    let last_ok = std::fs::read_to_string(backups.join("LAST_OK")).unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(last_ok.trim()).is_ok());

    let health = body(app.client().get("/api/health").await).await;
    let age = health["last_backup_age_hours"]
        .as_f64()
        .unwrap_or_else(|| panic!("an age after a backup: {health}"));
    assert!((0.0..0.1).contains(&age), "{age}");
    app.server.stop().await;

    // A restart remembers the last good backup.
    let app = TestApp::spawn_with(on_disk(dir.path())).await;
    let health = body(app.client().get("/api/health").await).await;
    assert!(health["last_backup_age_hours"].is_number(), "{health}");
}
