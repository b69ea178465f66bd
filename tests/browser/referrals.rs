//! The closed loop in the browser: a director raises a problem from a child's page on her
//! phone, the office assigns it to the police at the desk, the police officer takes and
//! resolves it on his phone, the office confirms, and the director sees the outcome.

use fantoccini::{Client, Locator};
use serde_json::json;
use tests::{body, child_json, ADMIN_PASSWORD, PASSWORD, VILLAGE};

use crate::driver::{
    assert_fits_width, click, fill, portal, sign_in, wait_for, wait_for_text, ChromeDriver,
};

const POLICE: &str = "区公安分局";

/// The referral the page shows, from its address (`/referrals/<id>`).
async fn referral_id(browser: &Client) -> String {
    let url = browser.current_url().await.expect("an address");
    let id = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default()
        .to_string();
    assert!(
        url.path().starts_with("/referrals/") && id.len() == 26,
        "not a referral's page: {url}"
    );
    id
}

#[tokio::test]
async fn a_director_raises_a_problem_the_police_resolve_it_and_she_sees_the_outcome() {
    let app = portal().await;
    // The demo's officer (区公安分局) and its referrals in every state, plus a director and a
    // child of our own.
    let accounts = api::demo::fill(&app.server.state).await.unwrap();
    let officer = accounts
        .iter()
        .find(|account| account.username == "officer.demo")
        .expect("the demo officer");
    let admin = app.admin().await;
    app.user(&admin, "director.loop", "director").await;
    let mut child = child_json("转小环", VILLAGE, "2015-05-05");
    child["id_number"] = json!(tests::id_number("20150505", 777));
    let created = admin.post("/api/children", &json!({"child": child})).await;
    assert!(created.status().is_success());
    let child_id = body(created).await["id"].as_str().unwrap().to_string();

    let driver = ChromeDriver::start().await;
    let phone = driver.browser(360, 740).await;
    let desk = driver.browser(1024, 900).await;
    let officer_phone = driver.browser(360, 740).await;

    // The director opens the child's page on her phone and raises a problem from it.
    sign_in(&phone, &app.url, "director.loop", PASSWORD).await;
    wait_for(&phone, "#home-director").await;
    phone
        .goto(&format!("{}/children/{child_id}", app.url))
        .await
        .unwrap();
    wait_for_text(&phone, "#child-detail", "转小环").await;
    click(&phone, "a.raise-referral").await;
    wait_for(&phone, "form#referral-form").await;
    assert_fits_width(&phone, 360).await;
    wait_for(&phone, "#referral-category")
        .await
        .select_by_value("guardianship")
        .await
        .unwrap();
    click(&phone, "#referral-urgency-urgent").await;
    fill(
        &phone,
        "#referral-found",
        "祖母住院,孩子放学后独自在家,晚饭没有着落(虚构)",
    )
    .await;
    fill(
        &phone,
        "#referral-asked",
        "请协助联系在外务工的父母,落实临时照护(虚构)",
    )
    .await;
    click(&phone, "#referral-submit").await;
    wait_for_text(&phone, "#referral-state", "待未保办处理").await;
    let id = referral_id(&phone).await;
    wait_for_text(&phone, "#referral-child", "转小环").await;
    assert_fits_width(&phone, 360).await;

    // The office, at the desk, finds it among those waiting and sends it to the police.
    sign_in(&desk, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&desk, "#home-admin").await;
    desk.goto(&format!("{}/referrals?state=submitted", app.url))
        .await
        .unwrap();
    click(&desk, &format!("tr[data-referral='{id}'] a")).await;
    wait_for(&desk, "#assign-form").await;
    click(&desk, &format!("input[data-unit='{POLICE}']")).await;
    fill(
        &desk,
        &format!("textarea[data-unit-task='{POLICE}']"),
        "入户核实孩子的照护情况,联系父母落实监护(虚构)",
    )
    .await;
    click(&desk, "#assign-submit").await;
    wait_for_text(&desk, "#referral-state", "已转介成员单位").await;

    // The police officer finds it in his queue on his phone, takes it and resolves it. He sees
    // the child's name and guardian, not the address or ID number.
    sign_in(
        &officer_phone,
        &app.url,
        &officer.username,
        &officer.password,
    )
    .await;
    wait_for(&officer_phone, "#home-officer").await;
    officer_phone
        .goto(&format!("{}/referrals", app.url))
        .await
        .unwrap();
    click(&officer_phone, &format!("tr[data-referral='{id}'] a")).await;
    let shown = wait_for_text(&officer_phone, "#referral-child", "转小环").await;
    assert!(shown.contains("王奶奶"), "the guardian: {shown}");
    let page = wait_for(&officer_phone, "#referral")
        .await
        .text()
        .await
        .unwrap();
    for secret in ["示例路 8 号", "20150505", "龙湾区永中第一小学"] {
        assert!(
            !page.contains(secret),
            "{secret} shown to the police: {page}"
        );
    }
    assert_fits_width(&officer_phone, 360).await;
    click(&officer_phone, "#take-referral").await;
    const OUTCOME: &str = "已联系孩子父亲,由姑姑临时照护,签订委托照护协议(虚构)";
    fill(&officer_phone, "#resolve-outcome", OUTCOME).await;
    assert_fits_width(&officer_phone, 360).await;
    click(&officer_phone, "#resolve-submit").await;
    wait_for_text(&officer_phone, "#referral-state", "已办结").await;
    assert_fits_width(&officer_phone, 360).await;

    // The office confirms the closure, its note repeating what was done.
    desk.refresh().await.unwrap();
    fill(&desk, "#close-note", &format!("确认办结:{OUTCOME}")).await;
    click(&desk, "#confirm-close").await;
    wait_for_text(&desk, "#referral-state", "已关闭").await;

    // The director is told, and sees the referral closed with the outcome and every step.
    phone.goto(&app.url).await.unwrap();
    wait_for_text(&phone, "#notifications", "转小环").await;
    phone
        .goto(&format!("{}/referrals/{id}", app.url))
        .await
        .unwrap();
    wait_for_text(&phone, "#referral-state", "已关闭").await;
    wait_for_text(&phone, "#referral-outcome", OUTCOME).await;
    let steps = phone
        .find_all(Locator::Css("#referral-history li"))
        .await
        .unwrap();
    assert!(
        steps.len() >= 5,
        "raised, assigned, taken, resolved, confirmed: {} steps",
        steps.len()
    );
    assert_fits_width(&phone, 360).await;

    let stored = body(admin.get(&format!("/api/referrals/{id}")).await).await;
    assert_eq!(stored["state"], "closed", "{stored}");
    assert_eq!(stored["category"], "guardianship");
    assert_eq!(stored["urgency"], "urgent");
    assert_eq!(stored["source"]["kind"], "direct");
    assert_eq!(stored["parts"][0]["unit"], POLICE);
    assert_eq!(stored["parts"][0]["outcome"], OUTCOME);

    phone.close().await.unwrap();
    desk.close().await.unwrap();
    officer_phone.close().await.unwrap();
}
