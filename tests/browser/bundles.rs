//! The three bundles (issue 15): a caring mother's phone fetches only the light one to sign in
//! and see her home page; her other screens load the volunteer bundle and a staff screen the
//! full one when first opened — and work offline afterwards; a staff sign-in on the light bundle
//! goes on in the full one.

use fantoccini::Client;

use crate::driver::{
    click, portal, set_offline, sign_in, visit, wait_for, wait_for_service_worker, wait_idle,
    ChromeDriver,
};

async fn bundle(browser: &Client) -> String {
    browser
        .execute(
            "return document.documentElement.dataset.bundle || '';",
            vec![],
        )
        .await
        .expect("script runs")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits (at most 20 s) until the page runs `wanted` ("light" or "full") and has settled.
async fn wait_for_bundle(browser: &Client, wanted: &str) {
    for _ in 0..100 {
        if bundle(browser).await == wanted {
            wait_idle(browser).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the page never ran the {wanted} bundle");
}

/// The app's code files this page has fetched (`light-…`, `full-…`).
async fn fetched_bundles(browser: &Client) -> Vec<String> {
    let names = browser
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
             .filter(p => /^\\/(light|volunteer|full)-/.test(p));",
            vec![],
        )
        .await
        .expect("script runs");
    names
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|name| name.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_caring_mother_loads_the_light_bundle_and_a_screen_it_lacks_loads_when_first_opened() {
    let app = portal().await;
    let accounts = api::demo::fill(&app.server.state).await.unwrap();
    let password = |username: &str| {
        accounts
            .iter()
            .find(|account| account.username == username)
            .map(|account| account.password.clone())
            .unwrap()
    };
    let driver = ChromeDriver::start().await;
    let phone = driver.browser(360, 740).await;

    // Sign-in and her whole home page come from the light bundle alone.
    sign_in(
        &phone,
        &app.url,
        "volunteer.demo",
        &password("volunteer.demo"),
    )
    .await;
    wait_for(&phone, "#home-volunteer").await;
    wait_idle(&phone).await;
    assert_eq!(bundle(&phone).await, "light");
    let fetched = fetched_bundles(&phone).await;
    assert!(
        !fetched.is_empty() && fetched.iter().all(|name| name.starts_with("/light-")),
        "only the light bundle was fetched: {fetched:?}"
    );
    wait_for_service_worker(&phone).await;

    // Her events screen is in the volunteer bundle, loaded when she first opens it.
    click(&phone, "#menu-button").await;
    click(&phone, "#main-nav a[href='/my/events']").await;
    wait_for_bundle(&phone, "volunteer").await;
    assert_eq!(phone.current_url().await.unwrap().path(), "/my/events");
    let heading = wait_for(&phone, "main h1").await.text().await.unwrap();
    assert!(heading.contains("活动"), "her events rendered: {heading}");

    // The case groups screen is in neither: the menu link loads the full bundle, and the screen
    // works there.
    click(&phone, "#menu-button").await;
    click(&phone, "#main-nav a[href='/cases']").await;
    wait_for_bundle(&phone, "full").await;
    let current = phone.current_url().await.unwrap();
    assert_eq!(current.path(), "/cases");
    assert!(
        fetched_bundles(&phone)
            .await
            .iter()
            .any(|name| name.starts_with("/full-")),
        "the full bundle was fetched for the screen"
    );
    let heading = wait_for(&phone, "main h1").await.text().await.unwrap();
    assert!(
        heading.contains("个案"),
        "the cases screen rendered: {heading}"
    );

    // Offline, the screen opens again: both bundles come from the phone.
    set_offline(&phone, true).await;
    phone.refresh().await.unwrap();
    wait_for_bundle(&phone, "full").await;
    let heading = wait_for(&phone, "main h1").await.text().await.unwrap();
    assert!(
        heading.contains("个案"),
        "the cases screen opened offline: {heading}"
    );
    assert!(
        phone
            .execute("return document.getElementById('splash') === null;", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false),
        "the app mounted offline"
    );
    // And so does her home page, from the light one.
    phone.goto(&format!("{}/", app.url)).await.unwrap();
    wait_for_bundle(&phone, "light").await;
    wait_for(&phone, "#home-volunteer").await;
    set_offline(&phone, false).await;
    let _ = phone.close().await;

    // Staff sign in on the light bundle and go on in the full one.
    let desk = driver.browser(1280, 800).await;
    sign_in(&desk, &app.url, "director.demo", &password("director.demo")).await;
    wait_for_bundle(&desk, "full").await;
    wait_for(&desk, "#home-director").await;
    visit(&desk, &app.url, "/statistics").await;
    wait_for(&desk, "[data-stat='monitored']").await;
    assert_eq!(bundle(&desk).await, "full");
    let _ = desk.close().await;
}
