//! The embedded engine on a real file: health, and nothing committed is lost on restart.

use reqwest::StatusCode;
use tests::{body, Options, TestApp, ADMIN_PASSWORD, PASSWORD};

#[tokio::test]
async fn health_answers_with_the_store_reachable() {
    let app = TestApp::spawn().await;
    let response = app.client().get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let health = body(response).await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["store"], "ok");
}

#[tokio::test]
async fn a_restart_on_the_same_data_directory_loses_nothing_and_keeps_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let on_disk = || Options {
        data: api::local::DataLocation::Dir(dir.path().to_path_buf()),
        ..Default::default()
    };
    let first = TestApp::spawn_with(on_disk()).await;
    assert!(first.server.first_admin.is_some());
    let admin = first.admin().await;
    first.user(&admin, "kept.teacher", "teacher").await;
    first.server.stop().await;

    let second = TestApp::spawn_with(on_disk()).await;
    assert!(
        second.server.first_admin.is_none(),
        "the admin is made only once"
    );
    second.client().login_ok("kept.teacher", PASSWORD).await;
    second.client().login_ok("admin", ADMIN_PASSWORD).await;
    assert!(dir.path().join("shouwang.db").exists());
}

#[tokio::test]
async fn the_api_is_the_same_when_no_frontend_is_built() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().await.unwrap().contains("scripts/run"));
}
