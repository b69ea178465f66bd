//! Sign-in and sessions on DynamoDB's rules (OWASP ASVS level 2): a parallel burst of guesses
//! is counted in full, answers do not tell usernames apart, a stranger cannot lock the owner
//! out from elsewhere, and disabling ends sessions at once — even one issued at that moment.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use tests::{body, Client, TestApp, ADMIN_PASSWORD, PASSWORD};

/// A client whose requests come from another loopback address (another "source").
fn client_from(app: &TestApp, last_octet: u8) -> Client {
    Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last_octet)))
            .build()
            .expect("client builds"),
        base: app.url.clone(),
    }
}

async fn burst_counts_every_guess(app: TestApp) {
    let attacker = client_from(&app, 9);
    let answers = join_all((0..30).map(|_| attacker.login("admin", "wrong-password"))).await;
    let count = |status: StatusCode| answers.iter().filter(|a| a.status() == status).count();
    let (wrong, locked) = (count(StatusCode::UNAUTHORIZED), count(StatusCode::LOCKED));
    println!(
        "burst of 30 wrong passwords: {wrong} answered 'wrong', {locked} 'locked'; store: {}",
        app.fault_summary()
    );
    assert_eq!(wrong + locked, 30, "no other answers");
    assert!(wrong <= 5, "at most five guesses evaluated, {wrong} were");
    assert!(locked >= 25);

    // The right password inside a second burst from the same source: still locked.
    let mut passwords = vec!["wrong-password"; 19];
    passwords.insert(9, ADMIN_PASSWORD);
    let answers = join_all(passwords.iter().map(|p| attacker.login("admin", p))).await;
    assert!(
        answers.iter().all(|a| a.status() == StatusCode::LOCKED),
        "nobody signs in during the lock"
    );

    // The administrator, from another address, is not kept out.
    client_from(&app, 1).login_ok("admin", ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn a_parallel_burst_of_guesses_is_counted_in_full_and_locks_only_its_source() {
    burst_counts_every_guess(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_burst_is_counted_in_full_with_a_fifth_of_store_calls_faulted() {
    burst_counts_every_guess(TestApp::spawn_with_faults(0.2, 41).await).await;
}

#[tokio::test]
async fn unknown_wrong_and_locked_answers_look_alike_and_take_similar_time() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let wrong = client.login("admin", "wrong-password").await;
    let unknown = client.login("nobody.here", "wrong-password").await;
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(body(wrong).await, body(unknown).await);

    // An unknown username locks exactly like a known one.
    for _ in 0..5 {
        client.login("nobody.here", "wrong-password").await;
    }
    for _ in 0..4 {
        client.login("admin", "wrong-password").await;
    }
    let locked_unknown = client.login("nobody.here", "wrong-password").await;
    let locked_known = client.login("admin", "wrong-password").await;
    assert_eq!(locked_unknown.status(), StatusCode::LOCKED);
    assert_eq!(locked_known.status(), StatusCode::LOCKED);
    assert_eq!(body(locked_unknown).await, body(locked_known).await);

    // Every kind of answer pays for one password hash: none is a shortcut an attacker can time.
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let mut timings = Vec::new();
    for (username, source) in [("admin", 20), ("nobody.else", 21), ("nobody.here", 22)] {
        let from = client_from(&app, source);
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            from.login(username, "wrong-password").await;
            times.push(started.elapsed());
        }
        timings.push(median(times));
    }
    let locked_client = client; // locked for both usernames above
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        locked_client.login("admin", "wrong-password").await;
        times.push(started.elapsed());
    }
    timings.push(median(times));
    println!(
        "median answer times: wrong password {:?}, unknown user {:?}, unknown user (2nd source) {:?}, locked {:?}",
        timings[0], timings[1], timings[2], timings[3]
    );
    for other in &timings[1..] {
        assert!(
            *other * 3 >= timings[0],
            "an answer much faster than a real password check tells usernames apart: {timings:?}"
        );
    }
}

#[tokio::test]
async fn disabling_ends_sessions_at_once_even_one_being_issued() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for round in 0..10 {
        let username = format!("racer{round:02}");
        let person = app.user(&admin, &username, "counsellor").await;
        let me = person.get("/api/auth/me").await;
        assert_eq!(me.status(), StatusCode::OK);
        let id = body(me).await["id"].as_str().unwrap().to_string();

        // A second sign-in races the disable.
        let second = app.client();
        let disable_path = format!("/api/users/{id}/disable");
        let empty = json!({});
        let (signed_in, disabled) = tokio::join!(
            second.login(&username, PASSWORD),
            admin.post(&disable_path, &empty)
        );
        assert_eq!(disabled.status(), StatusCode::OK, "round {round}");
        let signed_in = signed_in.status();
        assert!(
            [StatusCode::OK, StatusCode::FORBIDDEN].contains(&signed_in),
            "round {round}: {signed_in}"
        );
        for (name, client) in [("first", &person), ("racing", &second)] {
            let after = client.get("/api/auth/me").await;
            assert_eq!(
                after.status(),
                StatusCode::UNAUTHORIZED,
                "round {round}: the {name} session outlived the disable (sign-in said {signed_in})"
            );
        }
    }
}

#[tokio::test]
async fn an_operator_recovers_a_locked_out_administrator_from_the_command_line_function() {
    let app = TestApp::spawn().await;
    let session = app.admin().await;
    let client = app.client();
    for _ in 0..5 {
        client.login("admin", "wrong-password").await;
    }
    assert_eq!(
        client.login("admin", ADMIN_PASSWORD).await.status(),
        StatusCode::LOCKED
    );
    let password = api::accounts::recover_admin(&app.server.state, "admin")
        .await
        .expect("recovers");
    client.login_ok("admin", &password).await;
    assert_eq!(
        session.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "sessions from before the recovery end"
    );
    let audit = body(client.get("/api/audit").await).await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["action"] == "account_unlocked"),
        "{audit}"
    );
    assert!(matches!(
        api::accounts::recover_admin(&app.server.state, "not.an.admin").await,
        Err(api::AppError::NotFound)
    ));
}

#[tokio::test]
async fn a_months_audit_log_spread_over_partitions_lists_every_entry_once_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let names: Vec<String> = (0..70).map(|i| format!("spread{i:02}")).collect();
    join_all(
        names
            .iter()
            .map(|name| admin.create_user(name, "counsellor")),
    )
    .await;
    let mut ids: Vec<String> = Vec::new();
    let mut path = "/api/audit".to_string();
    let mut pages = 0;
    loop {
        let page = body(admin.get(&path).await).await;
        pages += 1;
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|entry| entry["id"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(next) => path = format!("/api/audit?cursor={next}"),
            None => break,
        }
        assert!(pages < 20, "the pages end");
    }
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted, "newest first, each entry once");
    assert!(ids.len() >= 71, "{} entries in {pages} pages", ids.len());
    println!("audit month: {} entries in {pages} pages", ids.len());
    let forged = admin.get("/api/audit?cursor=eyIwIjoiVVNFUiN4In0").await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn guessing_from_many_addresses_cannot_keep_the_owner_out_of_their_usual_one() {
    let app = TestApp::spawn().await;
    // The administrator has signed in from .1 before: that source is known to the account.
    client_from(&app, 1).login_ok("admin", ADMIN_PASSWORD).await;
    // Fifty wrong passwords from ten addresses: the account-wide brake locks unknown sources.
    for source in 100..110 {
        let stranger = client_from(&app, source);
        for _ in 0..5 {
            stranger.login("admin", "wrong-password").await;
        }
    }
    let newcomer = client_from(&app, 120).login("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        newcomer.status(),
        StatusCode::LOCKED,
        "unknown sources are braked"
    );
    client_from(&app, 1).login_ok("admin", ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn attempts_reserved_but_never_resolved_stop_counting_after_the_lock_period() {
    let clock = api::clock::Clock::fixed("2026-11-29T02:00:00Z".parse().unwrap());
    let app = TestApp::spawn_with(tests::Options {
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let state = &app.server.state;
    let limits = state.settings.sign_in_limits();
    // Five reservations whose requests never finished (a process stopped mid-check).
    for _ in 0..5 {
        let reserved = state
            .store
            .reserve_sign_in("admin", Some("127.0.0.1"), limits, clock.now().timestamp())
            .await
            .unwrap();
        assert!(matches!(
            reserved,
            api::store::sign_in::Reservation::Granted { .. }
        ));
    }
    let client = app.client();
    assert_eq!(
        client.login("admin", ADMIN_PASSWORD).await.status(),
        StatusCode::LOCKED
    );
    clock.advance(chrono::Duration::minutes(16));
    client.login_ok("admin", ADMIN_PASSWORD).await;
}
