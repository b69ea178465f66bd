use crate::driver::{
    assert_fits_width, assert_focused, click, fill, portal, sign_in, wait_for, wait_for_text,
    ChromeDriver,
};
use tests::ADMIN_PASSWORD;

#[tokio::test]
async fn an_admin_invites_a_teacher_who_sets_a_password_and_signs_in() {
    let app = portal().await;
    let driver = ChromeDriver::start().await;
    let browser = driver.browser(1024, 800).await;

    // The page itself carries a splash (shown while the wasm downloads), gone once mounted.
    let html = reqwest::get(format!("{}/", app.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"splash\"") && html.contains("正在加载"),
        "{html}"
    );

    // The admin signs in and creates a teacher with an invite.
    sign_in(&browser, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&browser, "#home-admin").await;
    let splashes = browser
        .find_all(fantoccini::Locator::Css("#splash"))
        .await
        .unwrap();
    assert!(
        splashes.is_empty(),
        "the splash is removed once the app runs"
    );
    // The settings page says when the last backup was made (none yet on a fresh portal).
    browser
        .goto(&format!("{}/settings", app.url))
        .await
        .unwrap();
    wait_for_text(&browser, "#backup-status", "还没有记录到备份").await;
    browser.goto(&format!("{}/", app.url)).await.unwrap();
    wait_for(&browser, "#home-admin").await;
    click(&browser, "a[href='/users']").await;
    click(&browser, "#new-user").await;
    fill(&browser, "#new-username", "teacher.wu").await;
    fill(&browser, "#new-display-name", "吴老师").await;
    wait_for(&browser, "#new-role")
        .await
        .select_by_value("teacher")
        .await
        .unwrap();
    fill(&browser, "#new-school", "龙湾区永中第一小学").await;
    click(&browser, "#create-user-submit").await;
    let code = wait_for(&browser, "#invite-code")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(code.trim().len(), 12, "invite code {code:?}");
    wait_for_text(&browser, "#user-list", "teacher.wu").await;
    click(&browser, "#sign-out").await;
    wait_for(&browser, "#login-form").await;

    // The teacher sets a password with the invite code.
    browser
        .goto(&format!("{}/activate", app.url))
        .await
        .unwrap();
    fill(&browser, "#invite-code", code.trim()).await;
    fill(&browser, "#new-password", "teacher-password-1").await;
    fill(&browser, "#confirm-password", "teacher-password-1").await;
    click(&browser, "#activate-submit").await;
    wait_for_text(&browser, "#activate-done", "teacher.wu").await;

    // …signs in and sees the teacher home, in Chinese.
    sign_in(&browser, &app.url, "teacher.wu", "teacher-password-1").await;
    wait_for_text(&browser, "#home-teacher", "我的个案群组").await;

    // The language switch changes the interface, and is remembered.
    click(&browser, "#lang-switch").await;
    wait_for_text(&browser, "#home-teacher", "My case groups").await;
    browser.refresh().await.unwrap();
    wait_for_text(&browser, "#home-teacher", "My case groups").await;
    click(&browser, "#lang-switch").await;
    wait_for_text(&browser, "#home-teacher", "我的个案群组").await;

    // A wrong password shows a clear message.
    click(&browser, "#sign-out").await;
    wait_for(&browser, "#login-form").await;
    sign_in(&browser, &app.url, "teacher.wu", "not-my-password").await;
    wait_for_text(&browser, ".error", "用户名或密码错误").await;

    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_volunteer_registers_on_a_phone_and_waits_for_approval() {
    let app = portal().await;
    let driver = ChromeDriver::start().await;
    let browser = driver.browser(360, 740).await;

    browser
        .goto(&format!("{}/register", app.url))
        .await
        .unwrap();
    wait_for(&browser, "#register-form").await;
    assert_fits_width(&browser, 360).await;
    fill(&browser, "#reg-username", "mama.lin").await;
    fill(&browser, "#reg-name", "林秀").await;
    fill(&browser, "#reg-phone", "13957712345").await;
    fill(&browser, "#reg-password", "volunteer-password").await;
    click(&browser, "#register-submit").await;
    wait_for_text(&browser, "#register-done", "审核").await;

    sign_in(&browser, &app.url, "mama.lin", "volunteer-password").await;
    wait_for_text(&browser, ".error", "等待").await;
    assert_fits_width(&browser, 360).await;

    // The admin approves on the same phone; the volunteer can then sign in.
    sign_in(&browser, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for_text(&browser, "#home-admin", "待审核志愿者").await;
    // The registry panel asks the server: nothing registered yet, and it says so.
    wait_for_text(&browser, "#home-admin", "名册中还没有儿童").await;
    assert_fits_width(&browser, 360).await;
    browser.goto(&format!("{}/users", app.url)).await.unwrap();
    click(&browser, "tr[data-username='mama.lin'] .approve").await;
    wait_for_text(&browser, "tr[data-username='mama.lin']", "正常").await;
    assert_fits_width(&browser, 360).await;
    click(&browser, "#sign-out").await;
    wait_for(&browser, "#login-form").await;
    sign_in(&browser, &app.url, "mama.lin", "volunteer-password").await;
    wait_for_text(&browser, "#home-volunteer", "我的结对儿童").await;
    wait_for_text(&browser, "#home-volunteer", "近期没有可报名的活动").await;
    assert_fits_width(&browser, 360).await;

    // An event is published: the volunteer's home lists it (the panel asks the server).
    let admin = app.admin().await;
    tests::event(
        &admin,
        "周末亲子阅读",
        5,
        0,
        serde_json::json!({"kind": "all_volunteers"}),
    )
    .await;
    browser.refresh().await.unwrap();
    wait_for_text(&browser, "#home-volunteer", "周末亲子阅读").await;
    wait_for(&browser, "#panel-events .panel-count[data-count='1']").await;

    browser.close().await.unwrap();
}

/// Sets a date input the way a date picker does (typing into one depends on the locale).
async fn set_date(browser: &fantoccini::Client, css: &str, value: &str) {
    let element = wait_for(browser, css).await;
    browser
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(&element).unwrap(), serde_json::json!(value)],
        )
        .await
        .unwrap();
}

async fn choose_county(
    browser: &fantoccini::Client,
    picker: &str,
    province: &str,
    city: &str,
    county: &str,
) {
    wait_for(browser, &format!("{picker} .province"))
        .await
        .select_by_value(province)
        .await
        .unwrap();
    wait_for(browser, &format!("{picker} .city option[value='{city}']")).await;
    wait_for(browser, &format!("{picker} .city"))
        .await
        .select_by_value(city)
        .await
        .unwrap();
    wait_for(
        browser,
        &format!("{picker} .county option[value='{county}']"),
    )
    .await;
    wait_for(browser, &format!("{picker} .county"))
        .await
        .select_by_value(county)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_director_sees_eligibility_change_as_the_fathers_workplace_changes() {
    let app = portal().await;
    let admin = app.admin().await;
    let invite = admin.create_user("director.he", "director").await;
    let setup = app.client();
    let activated = setup
        .post(
            "/api/auth/activate",
            &serde_json::json!({"invite_code": invite.invite_code, "password": tests::PASSWORD}),
        )
        .await;
    assert!(activated.status().is_success());

    let driver = ChromeDriver::start().await;
    let browser = driver.browser(390, 844).await;
    sign_in(&browser, &app.url, "director.he", tests::PASSWORD).await;
    wait_for(&browser, "#home-director").await;
    wait_for_text(&browser, "#home-director", "还没有登记儿童").await;
    browser
        .goto(&format!("{}/children/new", app.url))
        .await
        .unwrap();
    // Sent empty: a summary at the top, focused, naming each field and leading to it.
    click(&browser, "#child-save").await;
    let summary = wait_for_text(&browser, "#error-summary", "请填写姓名").await;
    assert!(summary.contains("请选择性别"), "{summary}");
    assert_focused(&browser, "error-summary").await;
    wait_for_text(&browser, "[data-field='name'] .field-error", "请填写姓名").await;
    click(&browser, "#error-summary a[data-target-field='name']").await;
    assert_focused(&browser, "child-name").await;
    fill(&browser, "#child-name", "何小军").await;
    set_date(&browser, "#child-birth", "2016-04-10").await;
    fill(&browser, "#child-school", "龙湾区永中第一小学").await;
    // Nothing is chosen for a person: gender and category are asked, not assumed.
    click(&browser, "#child-gender-male").await;
    click(&browser, "#child-category-left_behind").await;
    // Father works in Lucheng, a core district of the same city; mother at home and capable.
    click(&browser, "#father-situation-away").await;
    choose_county(&browser, "#father-county", "33", "3303", "330302").await;
    set_date(&browser, "#father-since", "2023-01-01").await;
    click(&browser, "#mother-situation-home").await;
    wait_for(&browser, "#mother-capacity")
        .await
        .select_by_value("capable")
        .await
        .unwrap();
    let verdict = wait_for_text(&browser, "#eligibility", "不符合").await;
    assert!(verdict.contains("主城区"), "{verdict}");
    assert_fits_width(&browser, 390).await;

    // Father now works in another province, for 7 months.
    let seven_months_ago = (chrono::Utc::now().date_naive() - chrono::Months::new(7)).to_string();
    choose_county(&browser, "#father-county", "44", "4401", "440106").await;
    set_date(&browser, "#father-since", &seven_months_ago).await;
    // The father now counts as working away, but the definition still needs the mother to be
    // away too or unable to act as guardian; she is capable, so: still not eligible.
    let verdict = wait_for_text(&browser, "#eligibility", "已满 6 个月").await;
    assert!(
        verdict.contains("不符合") && !verdict.contains("主城区"),
        "{verdict}"
    );
    wait_for(&browser, "#mother-capacity")
        .await
        .select_by_value("seriously_ill")
        .await
        .unwrap();
    wait_for_text(&browser, "#eligibility", "符合留守儿童认定条件").await;

    click(&browser, "#child-save").await;
    wait_for_text(&browser, "#toasts .toast", "已保存").await;
    wait_for_text(&browser, "#child-detail", "何小军").await;
    wait_for_text(
        &browser,
        "#child-detail #eligibility",
        "符合留守儿童认定条件",
    )
    .await;
    browser.close().await.unwrap();
}

async fn registered_volunteer(app: &tests::TestApp, admin: &tests::Client, username: &str) {
    let response = app
        .client()
        .post(
            "/api/auth/register",
            &serde_json::json!({"username": username, "display_name": "志愿者", "phone": "13900001234",
                                "password": tests::PASSWORD, "organisation": "womens_federation"}),
        )
        .await;
    let id = tests::body(response).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .post(&format!("/api/users/{id}/approve"), &serde_json::json!({}))
        .await;
}

#[tokio::test]
async fn the_last_place_goes_to_one_volunteer_and_passes_to_the_waitlisted_one_when_she_cancels() {
    let app = portal().await;
    let admin = app.admin().await;
    let id = tests::event(
        &admin,
        "冬令营志愿服务",
        1,
        0,
        serde_json::json!({"kind": "all_volunteers"}),
    )
    .await;
    registered_volunteer(&app, &admin, "mama.first").await;
    registered_volunteer(&app, &admin, "mama.second").await;
    let driver = ChromeDriver::start().await;
    let first = driver.browser(360, 740).await;
    let second = driver.browser(360, 740).await;
    let page = format!("{}/events/{id}", app.url);

    sign_in(&first, &app.url, "mama.first", tests::PASSWORD).await;
    wait_for(&first, "#home-volunteer").await;
    first.goto(&page).await.unwrap();
    wait_for_text(&first, "#places", "还剩 1").await;
    click(&first, "#sign-up").await;
    wait_for_text(&first, "#my-place", "已确认").await;
    assert_fits_width(&first, 360).await;

    sign_in(&second, &app.url, "mama.second", tests::PASSWORD).await;
    wait_for(&second, "#home-volunteer").await;
    second.goto(&page).await.unwrap();
    wait_for_text(&second, "#places", "已满").await;
    wait_for_text(&second, "#sign-up", "候补").await;
    click(&second, "#sign-up").await;
    wait_for_text(&second, "#my-place", "第 1 位").await;

    click(&first, "#cancel-sign-up").await;
    wait_for(&first, "#sign-up").await;
    second.refresh().await.unwrap();
    wait_for_text(&second, "#my-place", "已确认").await;
    // …and she was told.
    second.goto(&app.url).await.unwrap();
    wait_for_text(&second, "#notifications", "候补成功").await;

    // The admin calls it off from her phone: a confirmation that asks why, and everyone with
    // a place is told the reason.
    sign_in(&first, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&first, "#home-admin").await;
    first.goto(&page).await.unwrap();
    click(&first, "#cancel-event").await;
    wait_for_text(&first, "#cancel-event-panel", "1 人").await;
    click(&first, "#cancel-event-confirm").await;
    wait_for(
        &first,
        "#cancel-event-panel .field-error, #cancel-event-panel .error",
    )
    .await;
    fill(&first, "#cancel-event-note", "寒潮预警,改期另行通知").await;
    click(&first, "#cancel-event-confirm").await;
    wait_for_text(&first, "#toasts .toast", "活动已取消").await;
    assert_fits_width(&first, 360).await;
    second.goto(&app.url).await.unwrap();
    wait_for_text(&second, "#notifications", "寒潮预警").await;
    first.close().await.unwrap();
    second.close().await.unwrap();
}

/// Markup typed into a text field is stored as text and shown as text: no script runs.
#[tokio::test]
async fn markup_in_stored_text_is_shown_inert() {
    let app = portal().await;
    let admin = app.admin().await;
    let mut child = tests::child_json("安全测试", tests::VILLAGE, "2015-06-01");
    child["school"] = serde_json::json!("<img src=x onerror=window.__xss=1>学校");
    child["interests"] = serde_json::json!("<script>window.__xss=2</script>画画");
    let created = tests::body(
        admin
            .post("/api/children", &serde_json::json!({"child": child}))
            .await,
    )
    .await;
    let id = created["id"].as_str().expect("created").to_string();
    let driver = ChromeDriver::start().await;
    let browser = driver.browser(1024, 800).await;
    sign_in(&browser, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&browser, "#home-admin").await;
    browser
        .goto(&format!("{}/children/{id}", app.url))
        .await
        .unwrap();
    wait_for_text(&browser, "#child-detail", "<script>window.__xss=2</script>").await;
    browser
        .goto(&format!("{}/children", app.url))
        .await
        .unwrap();
    wait_for_text(&browser, "#children-list", "onerror").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ran = browser
        .execute(
            "return window.__xss === undefined ? null : window.__xss;",
            vec![],
        )
        .await
        .unwrap();
    assert!(ran.is_null(), "a script ran: {ran}");
    let images = browser
        .execute("return document.querySelectorAll('img').length;", vec![])
        .await
        .unwrap();
    assert_eq!(images, serde_json::json!(0));
    browser.close().await.unwrap();
}

/// Two teachers open the same plan; A saves; B's save shows A's change; B re-applies and saves.
#[tokio::test]
async fn a_stale_plan_edit_shows_the_conflict_and_is_re_applied() {
    let app = portal().await;
    let admin = app.admin().await;
    let teacher_a = app.user(&admin, "teacher.a", "teacher").await;
    app.user(&admin, "teacher.b", "teacher").await;
    let mut child = tests::child_json("包小雨", tests::VILLAGE, "2014-05-05");
    child["school"] = serde_json::json!("龙湾区第一小学");
    let child_id = tests::body(
        admin
            .post("/api/children", &serde_json::json!({"child": child}))
            .await,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    teacher_a
        .post("/api/cases", &serde_json::json!({"child_id": child_id}))
        .await;
    teacher_a
        .post(
            &format!("/api/cases/{child_id}/members"),
            &serde_json::json!({"username": "teacher.b", "role": "subject_teacher"}),
        )
        .await;
    let first = teacher_a.http.put(format!("{}/api/cases/{child_id}/plan", app.url))
        .json(&serde_json::json!({"version": 0, "plan": {"situation": "与奶奶同住,父母在外地", "care_level": "focus",
            "goals": [{"id": "g1", "title": "每周谈心", "status": "in_progress"}], "next_review": "2027-01-15"}}))
        .send().await.unwrap();
    assert!(first.status().is_success());

    let driver = ChromeDriver::start().await;
    let a = driver.browser(1024, 900).await;
    let b = driver.browser(390, 844).await;
    let page = format!("{}/cases/{child_id}", app.url);
    for (browser, name) in [(&a, "teacher.a"), (&b, "teacher.b")] {
        sign_in(browser, &app.url, name, tests::PASSWORD).await;
        wait_for(browser, "#home-teacher").await;
        browser.goto(&page).await.unwrap();
        wait_for_text(browser, "#plan-save", "v1").await;
    }
    // A saves a new situation.
    fill(&a, "#plan-situation", "与奶奶同住;母亲已回乡就业").await;
    click(&a, "#plan-save").await;
    wait_for_text(&a, "#plan-saved", "v2").await;
    // B, still on v1, adds a goal and saves: refused, with A's change shown.
    click(&b, "#add-goal").await;
    fill(&b, ".goal:last-child .goal-title input", "数学补习").await;
    click(&b, "#plan-save").await;
    let conflict = wait_for_text(&b, "#plan-conflict", "情况概述").await;
    assert!(conflict.contains("母亲已回乡就业"), "{conflict}");
    assert!(
        conflict.contains("数学补习"),
        "B's own edit is listed: {conflict}"
    );
    click(&b, "#reapply").await;
    wait_for_text(&b, "#plan-save", "v2").await;
    click(&b, "#plan-save").await;
    wait_for_text(&b, "#plan-saved", "v3").await;

    let versions = tests::body(
        admin
            .get(&format!("/api/cases/{child_id}/plan/versions"))
            .await,
    )
    .await;
    assert_eq!(versions[0]["version"], 3);
    assert_eq!(
        versions[0]["plan"]["situation"], "与奶奶同住;母亲已回乡就业",
        "A's change kept"
    );
    assert!(
        versions[0]["plan"]["goals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["title"] == "数学补习"),
        "B's goal added"
    );
    a.close().await.unwrap();
    b.close().await.unwrap();
}

/// An admin vets a volunteer and pairs her with a child; she logs a contact on her phone; the
/// admin sees it on the pairing.
#[tokio::test]
async fn an_admin_pairs_a_vetted_volunteer_who_logs_a_contact_on_her_phone() {
    let app = portal().await;
    let admin = app.admin().await;
    let registered = app
        .client()
        .post("/api/auth/register", &serde_json::json!({"username": "mama.gu", "display_name": "顾丽", "phone": "13900005678",
            "password": tests::PASSWORD, "organisation": "womens_federation"}))
        .await;
    assert!(registered.status().is_success());
    let mut child = tests::child_json("韩小溪", tests::VILLAGE, "2015-06-01");
    child["interests"] = serde_json::json!("画画");
    admin
        .post("/api/children", &serde_json::json!({"child": child}))
        .await;

    let driver = ChromeDriver::start().await;
    let desk = driver.browser(1024, 900).await;
    sign_in(&desk, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&desk, "#home-admin").await;
    desk.goto(&format!("{}/volunteers", app.url)).await.unwrap();
    click(&desk, "tr[data-volunteer='顾丽'] .vet-approve").await;
    wait_for_text(&desk, "tr[data-volunteer='顾丽']", "已通过").await;
    desk.goto(&format!("{}/pairings", app.url)).await.unwrap();
    // The child is found by typing, not by scrolling a list of every child.
    fill(&desk, "#pair-child", "韩小溪").await;
    click(&desk, "#pair-child-option-0").await;
    click(&desk, "#suggestions li[data-volunteer='顾丽'] .pair").await;
    wait_for_text(&desk, ".pairing-list", "韩小溪 ↔ 顾丽").await;

    let phone = driver.browser(360, 740).await;
    sign_in(&phone, &app.url, "mama.gu", tests::PASSWORD).await;
    wait_for(&phone, "#home-volunteer").await;
    phone.goto(&format!("{}/my/child", app.url)).await.unwrap();
    wait_for_text(&phone, ".my-child h1", "小溪").await;
    let card = wait_for(&phone, ".my-child").await.text().await.unwrap();
    assert!(
        !card.contains("韩小溪") && !card.contains("330303"),
        "limited profile only: {card}"
    );
    fill(&phone, "#contact-summary", "电话聊了学校的事,她很开心").await;
    click(&phone, "#contact-save").await;
    wait_for_text(&phone, ".my-child", "电话聊了学校的事").await;
    assert_fits_width(&phone, 360).await;

    desk.refresh().await.unwrap();
    click(&desk, ".pairing-list a").await;
    wait_for_text(&desk, "#contacts", "电话聊了学校的事").await;

    // Ending it is a step of its own: nothing pre-selected, the reason asked there.
    assert!(
        desk.find(fantoccini::Locator::Css("#end-pairing-panel"))
            .await
            .is_err(),
        "the end form is not always open"
    );
    click(&desk, "#end-pairing").await;
    wait_for(&desk, "#end-pairing-panel").await;
    let chosen = desk
        .execute(
            "return document.querySelectorAll('#end-pairing-panel input[type=radio]:checked').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, 0, "no reason is chosen for the admin");
    click(&desk, "#end-pairing-confirm").await;
    wait_for_text(&desk, "#end-pairing-panel", "请选择").await;
    click(&desk, "#end-pairing-reason-volunteer_withdrew").await;
    click(&desk, "#end-pairing-confirm").await;
    wait_for_text(&desk, "#toasts .toast", "结对").await;
    wait_for_text(&desk, "main", "志愿者退出").await;
    desk.close().await.unwrap();
    phone.close().await.unwrap();
}

/// A teacher gives one of her students a place at an event from her phone: she picks among
/// her school's students (she cannot search the registry), and a message confirms it.
#[tokio::test]
async fn a_teacher_gives_a_student_a_place_from_her_phone() {
    let app = portal().await;
    let accounts = api::demo::fill(&app.server.state).await.unwrap();
    let teacher = accounts
        .iter()
        .find(|account| account.role == shared::Role::Teacher)
        .unwrap();
    let driver = ChromeDriver::start().await;
    let phone = driver.browser(360, 740).await;
    sign_in(&phone, &app.url, &teacher.username, &teacher.password).await;
    wait_for(&phone, "#home-teacher").await;
    phone.goto(&format!("{}/events", app.url)).await.unwrap();
    click(&phone, "#event-list a").await;
    click(&phone, "#child-picker").await;
    let first = wait_for(&phone, "#child-picker-option-0").await;
    let student = first.text().await.unwrap();
    first.click().await.unwrap();
    click(&phone, "#sign-up-child").await;
    let name = student
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    wait_for_text(&phone, "#toasts .toast", &name).await;
    assert_fits_width(&phone, 360).await;
    phone.close().await.unwrap();
}
