//! Encryption at rest for the one-machine portal (the SQLCipher build: `--no-default-features
//! --features encryption`): a data file written with a key opens again with it and with nothing
//! else, and its bytes hold no child's name; a backup of it is encrypted with the same key and
//! restores only with it; a plain backup restored with a key becomes an encrypted data file.

#![cfg(feature = "encryption")]

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use api::backup;
use api::clock::Clock;
use api::config::{DataKey, Settings};
use api::local::{DataLocation, LocalOptions, LocalServer};
use reqwest::StatusCode;
use serde_json::json;
use tests::{body, child_json, id_number, Client, TestApp, ADMIN_PASSWORD, VILLAGE};

const NAME: &str = "加密测试司马晓岚";
const PHONE: &str = "13957214068";

/// The portal on `dir`, its data file encrypted with `key` (plain without one).
async fn start(dir: &Path, key: Option<&DataKey>) -> anyhow::Result<TestApp> {
    let server = LocalServer::start(
        LocalOptions {
            data: DataLocation::Dir(dir.to_path_buf()),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            frontend_dir: None,
            initial_admin_password: Some(ADMIN_PASSWORD.to_string()),
            faults: None,
        },
        Settings {
            data_key: key.cloned(),
            ..Settings::default()
        },
        Clock::system(),
    )
    .await?;
    Ok(TestApp {
        url: server.url.clone(),
        server,
    })
}

/// Stops the portal and waits until its engine has closed the file (its write-ahead log goes
/// then, folded into the file).
async fn stop(app: TestApp, dir: &Path) {
    app.server.stop().await;
    let wal = dir.join("shouwang.db-wal");
    let started = Instant::now();
    while wal.exists() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Registers the test child, with an ID number and a guardian's phone; returns its id and ID
/// number.
async fn register(admin: &Client) -> (String, String) {
    let number = id_number("20150601", 7);
    let mut child = child_json(NAME, VILLAGE, "2015-06-01");
    child["id_number"] = json!(number);
    child["guardians"][0]["phone"] = json!(PHONE);
    let response = admin
        .post("/api/children", &json!({ "child": child }))
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    (record["id"].as_str().unwrap().to_string(), number)
}

/// The child is there, by name.
async fn assert_readable(app: &TestApp, id: &str) {
    let admin = app.admin().await;
    let response = admin.get(&format!("/api/children/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["child"]["name"], NAME);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Everything SQLite keeps for the file at `path` (the file and its write-ahead log, if any).
fn bytes_of(path: &Path) -> Vec<u8> {
    let mut bytes =
        std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    bytes
}

/// Neither the name, the ID number, the phone number nor SQLite's plain header is in the file.
fn assert_unreadable_bytes(path: &Path, number: &str) {
    let bytes = bytes_of(path);
    assert!(bytes.len() > 4096, "{} is a real file", path.display());
    for (what, needle) in [
        ("the child's name", NAME),
        ("the ID number", number),
        ("the phone number", PHONE),
        ("SQLite's plain header", "SQLite format 3"),
    ] {
        assert!(
            !contains(&bytes, needle.as_bytes()),
            "{} holds {what} in the clear",
            path.display()
        );
    }
}

#[tokio::test]
async fn an_encrypted_data_file_opens_with_its_key_only_and_shows_no_name() {
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::generate();
    let app = start(dir.path(), Some(&key))
        .await
        .expect("a new encrypted file");
    assert!(app.server.first_admin.is_some());
    let admin = app.admin().await;
    let (id, number) = register(&admin).await;
    stop(app, dir.path()).await;

    let app = start(dir.path(), Some(&key))
        .await
        .expect("the key opens its file again");
    assert!(app.server.first_admin.is_none(), "the same data");
    assert_readable(&app, &id).await;
    stop(app, dir.path()).await;

    let data_file = backup::data_file(dir.path());
    let before = std::fs::read(&data_file).unwrap();
    let Err(without) = start(dir.path(), None).await else {
        panic!("the portal started on an encrypted file without its key");
    };
    let Err(wrong) = start(dir.path(), Some(&DataKey::generate())).await else {
        panic!("the portal started on an encrypted file with a wrong key");
    };
    println!("without the key: {without:#}\nwith a wrong key: {wrong:#}");
    assert!(
        std::fs::read(&data_file).unwrap() == before,
        "a refused open leaves the file as it was"
    );
    assert_unreadable_bytes(&data_file, &number);

    // And the right key still opens it after those attempts.
    let app = start(dir.path(), Some(&key))
        .await
        .expect("the key opens it");
    assert_readable(&app, &id).await;
    stop(app, dir.path()).await;
}

#[tokio::test]
async fn a_backup_of_an_encrypted_file_is_encrypted_and_restores_with_the_key_only() {
    let source = tempfile::tempdir().unwrap();
    let key = DataKey::generate();
    let app = start(source.path(), Some(&key)).await.unwrap();
    let admin = app.admin().await;
    let (id, number) = register(&admin).await;

    // Made while the portal serves, as the daily backup and `shouwang backup` make it.
    let files = tempfile::tempdir().unwrap();
    let backup_file = files.path().join("encrypted.db");
    backup::backup_with_key(source.path(), &backup_file, Some(&key))
        .await
        .expect("a backup with the key");
    assert!(
        backup::backup(source.path(), &files.path().join("keyless.db"))
            .await
            .is_err(),
        "no backup without the key"
    );
    stop(app, source.path()).await;
    assert_unreadable_bytes(&backup_file, &number);

    let fresh = tempfile::tempdir().unwrap();
    for (what, attempt) in [("no key", None), ("a wrong key", Some(DataKey::generate()))] {
        let refused =
            backup::restore_with_key(fresh.path(), &backup_file, false, attempt.as_ref()).await;
        assert!(refused.is_err(), "{what}: the backup is unreadable");
        println!("restore with {what}: {}", refused.unwrap_err());
        assert!(
            !backup::data_file(fresh.path()).exists(),
            "{what}: a refused restore leaves no data file"
        );
    }
    backup::restore_with_key(fresh.path(), &backup_file, false, Some(&key))
        .await
        .expect("the key restores it");
    assert_unreadable_bytes(&backup::data_file(fresh.path()), &number);
    let app = start(fresh.path(), Some(&key)).await.unwrap();
    assert!(
        app.server.first_admin.is_none(),
        "the admin came with the backup"
    );
    assert_readable(&app, &id).await;
    stop(app, fresh.path()).await;
    assert!(
        start(fresh.path(), None).await.is_err(),
        "the restored file needs the key"
    );
}

#[tokio::test]
async fn a_plain_backup_restored_with_a_key_becomes_an_encrypted_data_file() {
    // A portal that ran before encryption was turned on.
    let plain = tempfile::tempdir().unwrap();
    let app = start(plain.path(), None).await.unwrap();
    let admin = app.admin().await;
    let (id, number) = register(&admin).await;
    let files = tempfile::tempdir().unwrap();
    let backup_file = files.path().join("plain.db");
    backup::backup(plain.path(), &backup_file).await.unwrap();
    stop(app, plain.path()).await;
    // The control: a plain file does show the name, so the checks below would see it.
    assert!(
        contains(&bytes_of(&backup_file), NAME.as_bytes()),
        "a plain backup holds the name in the clear"
    );

    let key = DataKey::generate();
    let encrypted = tempfile::tempdir().unwrap();
    backup::restore_with_key(encrypted.path(), &backup_file, false, Some(&key))
        .await
        .expect("a plain backup restored with a key");
    let data_file = backup::data_file(encrypted.path());
    assert_unreadable_bytes(&data_file, &number);
    let leftovers: Vec<String> = std::fs::read_dir(encrypted.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.contains("restoring"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no plain staging file is left: {leftovers:?}"
    );

    let app = start(encrypted.path(), Some(&key)).await.unwrap();
    assert!(app.server.first_admin.is_none(), "the admin came along");
    assert_readable(&app, &id).await;
    let admin = app.admin().await;
    let listed = body(admin.get("/api/children").await).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    stop(app, encrypted.path()).await;
    assert!(
        start(encrypted.path(), None).await.is_err(),
        "it needs the key now"
    );
}
