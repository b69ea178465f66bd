use reqwest::StatusCode;
use serde_json::json;
use tests::{body, TestApp, ADMIN_PASSWORD, PASSWORD};

#[tokio::test]
async fn the_first_admin_signs_in_and_sees_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me = body(admin.get("/api/auth/me").await).await;
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["scope"]["kind"], "district");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_strict() {
    let app = TestApp::spawn().await;
    let response = app.client().login("admin", ADMIN_PASSWORD).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("shouwang_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me = body(response).await;
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_in_both_languages() {
    let app = TestApp::spawn().await;
    let response = app.client().login("admin", "not-the-password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error = body(response).await;
    assert_eq!(error["code"], "invalid_credentials");
    assert!(error["message"].as_str().unwrap().contains("密码"));
    assert!(error["message_en"].as_str().unwrap().contains("password"));
    // An unknown user gets exactly the same answer.
    let unknown = body(app.client().login("nobody", "not-the-password").await).await;
    assert_eq!(unknown, error);
}

#[tokio::test]
async fn five_failures_lock_the_account_and_the_sixth_try_fails_even_with_the_right_password() {
    let clock = api::clock::Clock::fixed("2026-11-29T02:00:00Z".parse().unwrap());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let client = app.client();
    for attempt in 1..=4 {
        let response = client.login("admin", "wrong-password").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let fifth = client.login("admin", "wrong-password").await;
    assert_eq!(fifth.status(), StatusCode::LOCKED);
    let sixth = client.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(sixth.status(), StatusCode::LOCKED);
    let error = body(sixth).await;
    assert_eq!(error["code"], "account_locked");
    assert!(error["message"].as_str().unwrap().contains("锁定"));

    clock.advance(chrono::Duration::minutes(16));
    client.login_ok("admin", ADMIN_PASSWORD).await;
    // A success resets the count: four more failures do not lock.
    let other = app.client();
    for _ in 0..4 {
        assert_eq!(
            other.login("admin", "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    other.login_ok("admin", ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn an_invited_teacher_sets_a_password_once_and_signs_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invite = admin.create_user("teacher.li", "teacher").await;
    assert_eq!(invite.user.status, shared::api::UserStatus::Invited);
    assert_eq!(invite.invite_code.len(), 12);

    let teacher = app.client();
    // Before activation there is no password to sign in with.
    assert_eq!(
        teacher.login("teacher.li", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let short = teacher
        .post(
            "/api/auth/activate",
            &json!({"invite_code": invite.invite_code, "password": "short"}),
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body(short).await["fields"][0]["field"], "password");

    let activated = teacher
        .post(
            "/api/auth/activate",
            &json!({"invite_code": invite.invite_code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    assert_eq!(body(activated).await["username"], "teacher.li");

    let again = teacher
        .post(
            "/api/auth/activate",
            &json!({"invite_code": invite.invite_code, "password": "another-long-password"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body(again).await["code"], "invite_invalid");

    teacher.login_ok("teacher.li", PASSWORD).await;
    let me = body(teacher.get("/api/auth/me").await).await;
    assert_eq!(me["role"], "teacher");
    assert_eq!(me["scope"]["name"], "龙湾区第一小学");
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let clock = api::clock::Clock::fixed("2026-11-29T02:00:00Z".parse().unwrap());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let invite = admin.create_user("late.user", "counsellor").await;
    clock.advance(chrono::Duration::days(8));
    let response = app
        .client()
        .post(
            "/api/auth/activate",
            &json!({"invite_code": invite.invite_code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(body(response).await["code"], "invite_invalid");
}

#[tokio::test]
async fn usernames_are_unique_and_scopes_must_fit_the_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin.create_user("wang.fang", "director").await;
    let taken = admin
        .post(
            "/api/users",
            &json!({"username": "Wang.Fang", "display_name": "王芳", "role": "officer",
                    "scope": {"kind": "unit", "name": "区妇联"}}),
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert_eq!(body(taken).await["code"], "username_taken");

    let misfit = admin
        .post(
            "/api/users",
            &json!({"username": "zhang.san", "display_name": "张三", "role": "director",
                    "scope": {"kind": "school", "name": "第一小学"}}),
        )
        .await;
    assert_eq!(misfit.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(misfit).await;
    assert_eq!(error["fields"][0]["field"], "scope");
    assert!(error["fields"][0]["message_en"]
        .as_str()
        .unwrap()
        .contains("Scope"));
}

#[tokio::test]
async fn a_self_registered_volunteer_waits_for_approval() {
    let app = TestApp::spawn().await;
    let volunteer = app.client();
    let registered = volunteer
        .post(
            "/api/auth/register",
            &json!({"username": "mama.chen", "display_name": "陈丽", "phone": "138 0577 1234",
                    "password": PASSWORD}),
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let summary = body(registered).await;
    assert_eq!(summary["status"], "pending");
    assert_eq!(summary["phone"], "13805771234");

    let waiting = volunteer.login("mama.chen", PASSWORD).await;
    assert_eq!(waiting.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(waiting).await["code"], "account_pending");

    let admin = app.admin().await;
    let pending = body(admin.get("/api/users?status=pending").await).await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);
    let id = pending["items"][0]["id"].as_str().unwrap().to_string();
    let approved = admin
        .post(&format!("/api/users/{id}/approve"), &json!({}))
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    // Approving twice is a conflict, not a silent success.
    let twice = admin
        .post(&format!("/api/users/{id}/approve"), &json!({}))
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    volunteer.login_ok("mama.chen", PASSWORD).await;
    let me = body(volunteer.get("/api/auth/me").await).await;
    assert_eq!(me["role"], "volunteer");
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let officer = app.user(&admin, "officer.zhao", "officer").await;
    assert_eq!(officer.get("/api/auth/me").await.status(), StatusCode::OK);
    let id = body(officer.get("/api/auth/me").await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let disabled = admin
        .post(&format!("/api/users/{id}/disable"), &json!({}))
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(
        officer.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = officer.login("officer.zhao", PASSWORD).await;
    assert_eq!(body(again).await["code"], "account_disabled");
}

#[tokio::test]
async fn logout_revokes_the_session_and_sessions_expire() {
    let clock = api::clock::Clock::fixed("2026-11-29T02:00:00Z".parse().unwrap());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    assert_eq!(
        admin.post("/api/auth/logout", &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let admin = app.admin().await;
    clock.advance(chrono::Duration::hours(12) + chrono::Duration::seconds(1));
    assert_eq!(
        admin.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_password_change_needs_the_current_password() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let wrong = admin
        .post(
            "/api/auth/password",
            &json!({"current_password": "nope", "new_password": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = admin
        .post(
            "/api/auth/password",
            &json!({"current_password": ADMIN_PASSWORD, "new_password": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.client().login("admin", ADMIN_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.client().login_ok("admin", "a-brand-new-password").await;
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_and_user_changes_with_their_source() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.client().login("admin", "wrong-password").await;
    admin.create_user("audited.user", "teacher").await;
    let log = body(admin.get("/api/audit").await).await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    for expected in ["login_succeeded", "login_failed", "user_created"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert_eq!(log["items"][0]["action"], "user_created", "newest first");
    assert_eq!(log["items"][0]["source"], "127.0.0.1");
    // No secrets in the log.
    let text = log.to_string();
    assert!(!text.contains("wrong-password") && !text.contains(ADMIN_PASSWORD));

    let admin_id = body(admin.get("/api/auth/me").await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_actor = body(admin.get(&format!("/api/audit?actor={admin_id}")).await).await;
    assert!(!by_actor["items"].as_array().unwrap().is_empty());
    let bad_month = admin.get("/api/audit?month=2026-13").await;
    assert_eq!(bad_month.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn user_lists_page_with_a_cursor_and_refuse_a_forged_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for i in 0..55 {
        admin
            .create_user(&format!("user{i:02}"), "counsellor")
            .await;
    }
    let first = body(admin.get("/api/users").await).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let cursor = first["next"].as_str().unwrap();
    let second = body(admin.get(&format!("/api/users?cursor={cursor}")).await).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 6);
    let forged = admin
        .get("/api/users?cursor=eyJQSyI6IlNFU1NJT04jeCJ9")
        .await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
}
