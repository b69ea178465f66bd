//! A returning phone downloads only what a new build changed: content-hashed files are cached
//! for a year, the files that name them are revalidated every time.

use tests::{Options, TestApp};

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_is_revalidated() {
    let dist = tempfile::tempdir().expect("dir");
    for (name, text) in [
        ("index.html", "<!doctype html><title>守望</title>"),
        ("boot.js", "// boot"),
        ("sw.js", "// worker"),
        ("light-0123456789abcdef.js", "// light"),
        ("full-fedcba9876543210_bg.wasm", "wasm"),
        ("style-00112233445566ff.css", "body{}"),
        ("light-XYZ.js", "// not a hash"),
    ] {
        std::fs::write(dist.path().join(name), text).expect("write");
    }
    let app = TestApp::spawn_with(Options {
        frontend_dir: Some(dist.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    let client = reqwest::Client::new();
    let policy = |path: &'static str| {
        let client = client.clone();
        let url = format!("{}{path}", app.url);
        async move {
            let response = client.get(url).send().await.expect("answer");
            assert_eq!(response.status(), 200, "{path}");
            response.headers()["cache-control"]
                .to_str()
                .expect("ascii")
                .to_string()
        }
    };
    for path in [
        "/light-0123456789abcdef.js",
        "/full-fedcba9876543210_bg.wasm",
        "/style-00112233445566ff.css",
    ] {
        assert_eq!(
            policy(path).await,
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    for path in [
        "/",
        "/index.html",
        "/boot.js",
        "/sw.js",
        "/light-XYZ.js",
        "/children/123",
    ] {
        assert_eq!(policy(path).await, "no-cache", "{path}");
    }
    // A hashed name that does not exist is not cached for a year (the app's page answers).
    let missing = client
        .get(format!("{}/light-aaaaaaaaaaaaaaaa.js", app.url))
        .send()
        .await
        .expect("answer");
    assert_ne!(
        missing.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}
