//! A director in a courtyard with no signal: after one sign-in online, the visit list and the
//! form work offline, a draft survives a reload, a submitted visit waits in the outbox, and
//! once the network returns exactly one visit is stored.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::driver::{
    assert_fits_width, click, fill, portal, set_offline, sign_in, wait_for,
    wait_for_service_worker, wait_for_text, ChromeDriver,
};

async fn field_value(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .expect("field")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_director_records_a_visit_offline_and_it_is_stored_once_when_back_online() {
    let app = portal().await;
    let accounts = api::demo::fill(&app.server.state).await.unwrap();
    let director = accounts
        .iter()
        .find(|account| account.role == shared::Role::Director)
        .unwrap();
    let driver = ChromeDriver::start().await;
    let phone = driver.browser(360, 740).await;

    // Online once: sign in, open the visit list (kept on the phone), let the worker settle.
    sign_in(&phone, &app.url, &director.username, &director.password).await;
    wait_for(&phone, "#home-director").await;
    phone.goto(&format!("{}/visits", app.url)).await.unwrap();
    let row = wait_for(
        &phone,
        "#this-week li.visit-due, #overdue li.visit-due, #this-quarter li.visit-due",
    )
    .await;
    let child_id = row.attr("data-child").await.unwrap().expect("a child id");
    wait_for_service_worker(&phone).await;

    // The signal is gone.
    set_offline(&phone, true).await;
    click(
        &phone,
        &format!("li.visit-due[data-child='{child_id}'] a.record-visit"),
    )
    .await;
    wait_for(&phone, "#visit-form").await;
    click(&phone, "#visit-mode-home_visit").await;
    click(&phone, "#met-with-child").await;
    click(&phone, "#met-with-guardian").await;
    click(&phone, "#guardianship-fair").await;
    click(&phone, "#entrusted-no").await;
    click(&phone, "#health-healthy").await;
    click(&phone, "#schooling-in_school").await;
    wait_for(&phone, "#emotion")
        .await
        .select_by_value("stable")
        .await
        .unwrap();
    fill(
        &phone,
        "textarea#problems-found",
        "奶奶腿脚不便,接送上学困难(虚构)",
    )
    .await;
    wait_for_text(&phone, "#visit-status", "草稿已保存").await;
    assert_fits_width(&phone, 360).await;

    // Closing the page loses nothing: the reload comes from the worker's cache, the draft from
    // the phone.
    phone.refresh().await.unwrap();
    wait_for(&phone, "#visit-form").await;
    let kept = field_value(&phone, "textarea#problems-found").await;
    assert!(
        kept.contains("接送上学困难"),
        "the draft survived the reload: {kept:?}"
    );

    // Sent while offline: it waits in the outbox.
    click(&phone, "#visit-save").await;
    wait_for_text(&phone, "main", "等待联网发送").await;
    let admin = app.admin().await;
    let stored = tests::body(admin.get(&format!("/api/children/{child_id}/visits")).await).await;
    let before = stored.as_array().map(Vec::len).unwrap_or(0);

    // Back online: the outbox sends it, once.
    set_offline(&phone, false).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    let after = loop {
        let stored =
            tests::body(admin.get(&format!("/api/children/{child_id}/visits")).await).await;
        let count = stored.as_array().map(Vec::len).unwrap_or(0);
        if count > before || std::time::Instant::now() > deadline {
            break stored;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let new: Vec<_> = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|visit| {
            visit["visit"]["problems_found"]
                .as_str()
                .is_some_and(|text| text.contains("接送上学困难"))
        })
        .collect();
    assert_eq!(new.len(), 1, "exactly one visit stored: {after}");
    // A few more rounds of the outbox change nothing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let again = tests::body(admin.get(&format!("/api/children/{child_id}/visits")).await).await;
    assert_eq!(
        again.as_array().map(Vec::len),
        after.as_array().map(Vec::len)
    );
    phone.close().await.unwrap();
}
