//! The authorization matrix: every endpoint × every role and an anonymous caller. The expected
//! table below is written by hand; an endpoint the router has but the table lacks fails the test,
//! so every new endpoint must say here who may call it.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::json;
use tests::{Client, TestApp};

const ANONYMOUS: &str = "anonymous";
const CALLERS: [&str; 7] = [
    ANONYMOUS,
    "admin",
    "director",
    "teacher",
    "volunteer",
    "counsellor",
    "officer",
];
const SIGNED_IN: &[&str] = &[
    "admin",
    "director",
    "teacher",
    "volunteer",
    "counsellor",
    "officer",
];
const EVERYONE: &[&str] = &[
    ANONYMOUS,
    "admin",
    "director",
    "teacher",
    "volunteer",
    "counsellor",
    "officer",
];
const ADMIN_ONLY: &[&str] = &["admin"];
const REGISTRY: &[&str] = &["admin", "director"];
const PARTICIPANTS: &[&str] = &["admin", "director", "teacher", "volunteer"];
const ENROLLERS: &[&str] = &["admin", "director", "teacher"];
const VOLUNTEER: &[&str] = &["volunteer"];
const ORGANISERS: &[&str] = &["admin", "volunteer"];
const CASE_CREATORS: &[&str] = &["admin", "teacher"];
const REFERRERS: &[&str] = &["admin", "director", "teacher", "counsellor"];
const OFFICER: &[&str] = &["officer"];

/// (method, path) → who is let through.
fn expected() -> BTreeMap<(&'static str, &'static str), &'static [&'static str]> {
    BTreeMap::from([
        (("GET", "/api/health"), EVERYONE),
        (("GET", "/api/openapi.json"), EVERYONE),
        (("POST", "/api/auth/login"), EVERYONE),
        (("POST", "/api/auth/logout"), SIGNED_IN),
        (("GET", "/api/auth/me"), SIGNED_IN),
        (("POST", "/api/auth/password"), SIGNED_IN),
        (("POST", "/api/auth/activate"), EVERYONE),
        (("POST", "/api/auth/register"), EVERYONE),
        (("GET", "/api/users"), ADMIN_ONLY),
        (("POST", "/api/users"), ADMIN_ONLY),
        (("POST", "/api/users/{id}/approve"), ADMIN_ONLY),
        (("POST", "/api/users/{id}/disable"), ADMIN_ONLY),
        (("GET", "/api/audit"), ADMIN_ONLY),
        (("GET", "/api/people"), ADMIN_ONLY),
        (("GET", "/api/divisions/villages"), SIGNED_IN),
        (("GET", "/api/children"), REGISTRY),
        (("POST", "/api/children"), REGISTRY),
        (("GET", "/api/children/review"), REGISTRY),
        (("GET", "/api/children/count"), REGISTRY),
        (("GET", "/api/children/export"), ADMIN_ONLY),
        (("GET", "/api/children/roster"), ADMIN_ONLY),
        (("GET", "/api/children/import-template"), ADMIN_ONLY),
        (("POST", "/api/children/import"), ADMIN_ONLY),
        (("GET", "/api/children/{id}"), REGISTRY),
        (("PUT", "/api/children/{id}"), REGISTRY),
        (("POST", "/api/children/{id}/exit"), ADMIN_ONLY),
        (("GET", "/api/children/{id}/visits"), REGISTRY),
        (("GET", "/api/statistics"), REGISTRY),
        (("GET", "/api/statistics/export"), REGISTRY),
        (("GET", "/api/visits/plan"), REGISTRY),
        (("POST", "/api/visits"), REGISTRY),
        (("GET", "/api/visits/compliance"), ADMIN_ONLY),
        (("GET", "/api/visits/compliance/export"), ADMIN_ONLY),
        (("GET", "/api/visits/{id}"), REGISTRY),
        (("GET", "/api/settings/visits"), REGISTRY),
        (("PUT", "/api/settings/visits"), ADMIN_ONLY),
        (("GET", "/api/settings/core-districts"), SIGNED_IN),
        (("PUT", "/api/settings/core-districts"), ADMIN_ONLY),
        (("GET", "/api/sites"), PARTICIPANTS),
        (("POST", "/api/sites"), ADMIN_ONLY),
        (("PUT", "/api/sites/{id}"), ADMIN_ONLY),
        (("GET", "/api/events"), PARTICIPANTS),
        (("POST", "/api/events"), ADMIN_ONLY),
        (("GET", "/api/events/{id}"), PARTICIPANTS),
        (("PUT", "/api/events/{id}"), ADMIN_ONLY),
        (("POST", "/api/events/{id}/cancel"), ADMIN_ONLY),
        (("POST", "/api/events/{id}/signup"), VOLUNTEER),
        (("POST", "/api/events/{id}/signup/cancel"), VOLUNTEER),
        (("POST", "/api/events/{id}/children"), ENROLLERS),
        (
            ("POST", "/api/events/{id}/children/{child_id}/cancel"),
            ENROLLERS,
        ),
        (("GET", "/api/events/{id}/roster"), ORGANISERS),
        (("GET", "/api/events/{id}/roster/export"), ADMIN_ONLY),
        (("POST", "/api/events/{id}/checkin"), ORGANISERS),
        (("POST", "/api/events/{id}/hours"), ADMIN_ONLY),
        (("GET", "/api/events/{id}/calendar.ics"), PARTICIPANTS),
        (("GET", "/api/me/events"), VOLUNTEER),
        (("GET", "/api/me/hours"), VOLUNTEER),
        (("GET", "/api/me/calendar.ics"), VOLUNTEER),
        (("GET", "/api/hours/organisations"), ADMIN_ONLY),
        (("GET", "/api/notifications"), SIGNED_IN),
        (("GET", "/api/cases"), SIGNED_IN),
        (("GET", "/api/cases/candidates"), CASE_CREATORS),
        (("POST", "/api/cases"), CASE_CREATORS),
        (("GET", "/api/cases/{id}"), SIGNED_IN),
        (("GET", "/api/cases/{id}/member-candidates"), SIGNED_IN),
        (("GET", "/api/cases/{id}/visits"), SIGNED_IN),
        (("POST", "/api/cases/{id}/members"), SIGNED_IN),
        (
            ("POST", "/api/cases/{id}/members/{user_id}/remove"),
            SIGNED_IN,
        ),
        (("PUT", "/api/cases/{id}/plan"), SIGNED_IN),
        (("GET", "/api/cases/{id}/plan/versions"), SIGNED_IN),
        (("POST", "/api/cases/{id}/notes"), SIGNED_IN),
        (("POST", "/api/cases/{id}/crises"), SIGNED_IN),
        (
            ("POST", "/api/cases/{id}/crises/{crisis_id}/close"),
            ADMIN_ONLY,
        ),
        (("GET", "/api/crises"), ADMIN_ONLY),
        (("GET", "/api/volunteers"), ADMIN_ONLY),
        (("POST", "/api/volunteers/{id}/vetting"), ADMIN_ONLY),
        (("GET", "/api/me/profile"), VOLUNTEER),
        (("PUT", "/api/me/profile"), VOLUNTEER),
        (("GET", "/api/pairings/board"), ADMIN_ONLY),
        (("GET", "/api/pairings/suggestions"), ADMIN_ONLY),
        (("POST", "/api/pairings"), ADMIN_ONLY),
        (("GET", "/api/pairings/{id}"), ADMIN_ONLY),
        (("POST", "/api/pairings/{id}/activate"), ADMIN_ONLY),
        (("POST", "/api/pairings/{id}/cancel"), ADMIN_ONLY),
        (("POST", "/api/pairings/{id}/end"), ADMIN_ONLY),
        (("GET", "/api/children/{id}/pairings"), ADMIN_ONLY),
        (("GET", "/api/me/pairings"), VOLUNTEER),
        (("POST", "/api/me/pairings/{id}/contacts"), VOLUNTEER),
        (("GET", "/api/referral-units"), SIGNED_IN),
        (("PUT", "/api/referral-units"), ADMIN_ONLY),
        (("POST", "/api/referrals"), REFERRERS),
        (("GET", "/api/referrals"), SIGNED_IN),
        (("GET", "/api/referrals/report"), ADMIN_ONLY),
        (("GET", "/api/referrals/report/export"), ADMIN_ONLY),
        (("GET", "/api/referrals/{id}"), SIGNED_IN),
        (("POST", "/api/referrals/{id}/triage"), ADMIN_ONLY),
        (("POST", "/api/referrals/{id}/unit"), OFFICER),
        (("POST", "/api/referrals/{id}/review"), ADMIN_ONLY),
    ])
}

async fn call(client: &Client, method: &str, path: &str) -> StatusCode {
    let path = path
        .replace("{id}", &api_ulid())
        .replace("{child_id}", &api_ulid());
    let url = format!("{}{path}", client.base);
    let request = match method {
        "GET" => client.http.get(url),
        "POST" => client.http.post(url).json(&json!({})),
        "PUT" => client.http.put(url).json(&json!({})),
        "PATCH" => client.http.patch(url).json(&json!({})),
        "DELETE" => client.http.delete(url),
        other => panic!("no request builder for {other}"),
    };
    request.send().await.expect("request sent").status()
}

fn api_ulid() -> String {
    // A well-formed id that names nothing.
    "01JDZZZZZZZZZZZZZZZZZZZZZZ".to_string()
}

#[tokio::test]
async fn every_endpoint_admits_exactly_the_roles_it_declares() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut clients: BTreeMap<&str, Client> = BTreeMap::new();
    for role in CALLERS {
        let client = match role {
            ANONYMOUS => app.client(),
            "admin" => app.admin().await,
            role => app.user(&admin, &format!("matrix.{role}"), role).await,
        };
        clients.insert(role, client);
    }

    let expected = expected();
    let mut catalog: Vec<_> = api::http::catalog();
    // Sign-out last, so it does not end the sessions the other rows need.
    catalog.sort_by_key(|spec| spec.path == "/api/auth/logout");
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut rows = Vec::new();
    for spec in &catalog {
        let method = spec.method.as_str();
        let Some(allowed) = expected.get(&(method, spec.path)) else {
            missing.push(format!("{method} {}", spec.path));
            continue;
        };
        let mut cells = Vec::new();
        for caller in CALLERS {
            let status = call(&clients[caller], method, spec.path).await;
            let let_through = status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN;
            let should = allowed.contains(&caller);
            let denial_is_right = should
                || (caller == ANONYMOUS && status == StatusCode::UNAUTHORIZED)
                || (caller != ANONYMOUS && status == StatusCode::FORBIDDEN);
            let ok = let_through == should && denial_is_right;
            if !ok {
                wrong.push(format!(
                    "{method} {} as {caller}: expected {}, got {status}",
                    spec.path,
                    if should { "allowed" } else { "denied" }
                ));
            }
            cells.push(format!(
                "{}{}",
                if should { "allow" } else { "deny " },
                if ok { " ✓" } else { " ✗" }
            ));
        }
        rows.push(format!(
            "{:<6} {:<28} {}",
            method,
            spec.path,
            cells.join(" | ")
        ));
    }
    let stale: Vec<_> = expected
        .keys()
        .filter(|(method, path)| {
            !catalog
                .iter()
                .any(|spec| spec.method.as_str() == *method && spec.path == *path)
        })
        .collect();

    println!("\nAuthorization matrix (expected, ✓ = actual matches)");
    println!("{:<6} {:<28} {}", "method", "path", CALLERS.join(" | "));
    for row in &rows {
        println!("{row}");
    }
    println!(
        "endpoints covered: {}/{} ({}%)",
        rows.len(),
        catalog.len(),
        rows.len() * 100 / catalog.len().max(1)
    );

    assert!(
        missing.is_empty(),
        "endpoints missing from the matrix: {missing:?}"
    );
    assert!(stale.is_empty(), "matrix rows with no endpoint: {stale:?}");
    assert!(
        wrong.is_empty(),
        "authorization mismatches:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_forged_or_garbage_session_cookie_is_unauthenticated() {
    let app = TestApp::spawn().await;
    for cookie in [
        "shouwang_session=00",
        "shouwang_session=",
        "shouwang_session=zzzzzzzz; other=1",
    ] {
        let status = app
            .client()
            .http
            .get(format!("{}/api/auth/me", app.url))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{cookie}");
    }
}
