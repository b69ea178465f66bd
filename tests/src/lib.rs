//! The test harness: each test gets the real local server on a random port, on its own fresh
//! embedded engine, and a real HTTP client with a cookie jar.

pub mod chrome;

use std::net::SocketAddr;
use std::path::PathBuf;

use api::clock::Clock;
use api::config::Settings;
use api::local::{DataLocation, LocalOptions, LocalServer};
use api::store::faults::FaultPlan;
use reqwest::{Response, StatusCode};
use serde::Serialize;
use serde_json::{json, Value};
use shared::api::CreateUserResponse;

pub const ADMIN_PASSWORD: &str = "first-admin-password";
pub const PASSWORD: &str = "a-good-long-password";

pub struct TestApp {
    pub server: LocalServer,
    pub url: String,
}

pub struct Options {
    pub data: DataLocation,
    pub frontend_dir: Option<PathBuf>,
    pub clock: Clock,
    /// DynamoDB's failure modes injected between server and engine; from `SHOUWANG_FAULT_RATE`
    /// and `SHOUWANG_FAULT_SEED` by default, so any test can be run under faults.
    pub faults: Option<FaultPlan>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            data: DataLocation::Memory,
            frontend_dir: None,
            clock: Clock::system(),
            faults: FaultPlan::from_env(),
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    /// The server with `rate` of its store calls faulted (seeded: the same faults each run).
    pub async fn spawn_with_faults(rate: f64, seed: u64) -> Self {
        Self::spawn_with(Options {
            faults: (rate > 0.0).then_some(FaultPlan { rate, seed }),
            ..Options::default()
        })
        .await
    }

    /// What the fault proxy injected, for a test to print.
    pub fn fault_summary(&self) -> String {
        self.server
            .fault_stats
            .as_ref()
            .map_or_else(|| "no faults injected".to_string(), |stats| stats.summary())
    }

    pub async fn spawn_with(options: Options) -> Self {
        let server = LocalServer::start(
            LocalOptions {
                data: options.data,
                bind: SocketAddr::from(([127, 0, 0, 1], 0)),
                frontend_dir: options.frontend_dir,
                initial_admin_password: Some(ADMIN_PASSWORD.to_string()),
                faults: options.faults,
            },
            Settings::default(),
            options.clock,
        )
        .await
        .expect("the local server starts");
        let url = server.url.clone();
        Self { server, url }
    }

    /// A new browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client builds"),
            base: self.url.clone(),
        }
    }

    pub async fn admin(&self) -> Client {
        let client = self.client();
        client.login_ok("admin", ADMIN_PASSWORD).await;
        client
    }

    /// Creates a user of `role` with a fitting scope, activates them and returns a signed-in
    /// client for them.
    /// Creates a user with this display name, role and scope, activates them and signs them in.
    pub async fn account(
        &self,
        admin: &Client,
        username: &str,
        name: &str,
        role: &str,
        scope: Value,
    ) -> Client {
        let created = admin
            .post(
                "/api/users",
                &json!({"username": username, "display_name": name, "role": role, "scope": scope}),
            )
            .await;
        let status = created.status();
        let created = body(created).await;
        assert_eq!(status, StatusCode::CREATED, "create {username}: {created}");
        let client = self.client();
        let activated = client
            .post(
                "/api/auth/activate",
                &json!({"invite_code": created["invite_code"], "password": PASSWORD}),
            )
            .await;
        assert_eq!(activated.status(), StatusCode::OK, "activate {username}");
        client.login_ok(username, PASSWORD).await;
        client
    }

    pub async fn user(&self, admin: &Client, username: &str, role: &str) -> Client {
        let invite = admin.create_user(username, role).await;
        let client = self.client();
        let activated = client
            .post(
                "/api/auth/activate",
                &json!({"invite_code": invite.invite_code, "password": PASSWORD}),
            )
            .await;
        assert_eq!(activated.status(), StatusCode::OK);
        client.login_ok(username, PASSWORD).await;
        client
    }
}

pub fn scope_for(role: &str) -> Value {
    match role {
        "admin" => json!({"kind": "district"}),
        "director" => json!({"kind": "villages", "codes": ["330303001004"]}),
        "teacher" => json!({"kind": "school", "name": "龙湾区第一小学"}),
        "officer" => json!({"kind": "unit", "name": "区公安分局"}),
        _ => json!({"kind": "own"}),
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl Client {
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post<B: Serialize>(&self, path: &str, body: &B) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn put<B: Serialize>(&self, path: &str, body: &B) -> Response {
        self.http
            .put(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            &json!({"username": username, "password": password}),
        )
        .await
    }

    pub async fn login_ok(&self, username: &str, password: &str) {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login as {username}");
    }

    pub async fn create_user(&self, username: &str, role: &str) -> CreateUserResponse {
        let response = self
            .post(
                "/api/users",
                &json!({
                    "username": username,
                    "display_name": "测试用户",
                    "role": role,
                    "scope": scope_for(role),
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {role}");
        response.json().await.expect("create-user response")
    }
}

/// Reads a JSON body, failing the test with the raw text when it is not JSON.
pub async fn body(response: Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// A fictional child in Longwan, both parents working in Guangzhou since 2024: eligible.
pub fn child_json(name: &str, village: &str, birth_date: &str) -> Value {
    json!({
        "name": name,
        "gender": "male",
        "birth_date": birth_date,
        "registration": {"county_code": "330303", "village_code": village},
        "residence_village": village,
        "residence_detail": "示例路 8 号",
        "school": "龙湾区永中第一小学",
        "class_name": "四(1)班",
        "category": "left_behind",
        "care_level": "routine",
        "guardians": [{"name": "王奶奶", "relation": "祖母", "phone": "13800001111", "capacity": "capable"}],
        "father": {"situation": {"kind": "working_away", "county_code": "440106", "since": "2024-03-01"}},
        "mother": {"situation": {"kind": "working_away", "county_code": "440106", "since": "2024-03-01"}},
        "interests": "画画"
    })
}

/// A valid ID number for a birth date (YYYYMMDD) and sequence (odd = male).
pub fn id_number(birth: &str, sequence: u32) -> String {
    let first17 = format!("330303{birth}{sequence:03}");
    let check = shared::id_number::check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

pub const VILLAGE: &str = "330303001004";
pub const OTHER_VILLAGE: &str = "330303001009";

impl TestApp {
    /// `count` approved volunteers of `organisation`, made directly in the store with a session
    /// each (no Argon2 per user), for rush tests. Returns their session tokens and user ids.
    pub async fn volunteers(
        &self,
        prefix: &str,
        count: usize,
        organisation: &str,
    ) -> Vec<(String, String)> {
        let state = &self.server.state;
        let organisation = shared::events::Organisation::parse(organisation);
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let user = api::store::users::UserRecord::new(
                &format!("{prefix}{i:04}"),
                &format!("志愿者{i}"),
                shared::Role::Volunteer,
                shared::Scope::Own,
                shared::api::UserStatus::Active,
                state.clock.now(),
            )
            .with_organisation(organisation);
            state
                .store
                .create_user(&user, None)
                .await
                .expect("volunteer created");
            let (token, _) = api::accounts::issue_session(state, &user)
                .await
                .expect("session");
            out.push((token, user.id));
        }
        out
    }
}

impl TestApp {
    /// A fresh session for an existing user (after a fixed clock moved past the old one's expiry).
    pub async fn session_for(&self, user_id: &str) -> String {
        let state = &self.server.state;
        let user = state
            .store
            .get_user(user_id)
            .await
            .expect("store")
            .expect("user exists");
        api::accounts::issue_session(state, &user)
            .await
            .expect("session")
            .0
    }
}

/// A cookie-less client calling the API with one session token (many users, one connection pool).
#[derive(Clone)]
pub struct TokenClient {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl TokenClient {
    pub fn new(app: &TestApp, http: &reqwest::Client, token: &str) -> Self {
        Self {
            http: http.clone(),
            base: app.url.clone(),
            token: token.to_string(),
        }
    }

    pub async fn post<B: Serialize>(&self, path: &str, body: &B) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("shouwang_session={}", self.token))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("shouwang_session={}", self.token))
            .send()
            .await
            .expect("request sent")
    }
}

/// A site and a published event (starting in a week, 2 hours long) with these capacities;
/// returns the event id.
pub async fn event(
    admin: &Client,
    title: &str,
    volunteers: u32,
    children: u32,
    visibility: Value,
) -> String {
    let site = admin
        .post(
            "/api/sites",
            &json!({"name": "永中街道儿童之家", "site_type": "childrens_home", "village_code": VILLAGE,
                    "address": "永中街道示例路 2 号", "contact_name": "陈主任", "contact_phone": "0577-86666258"}),
        )
        .await;
    assert_eq!(site.status(), StatusCode::CREATED);
    let site_id = body(site).await["id"].as_str().unwrap().to_string();
    event_at(
        admin,
        &site_id,
        title,
        volunteers,
        children,
        visibility,
        chrono::Utc::now() + chrono::Duration::days(7),
    )
    .await
}

pub async fn event_at(
    admin: &Client,
    site_id: &str,
    title: &str,
    volunteers: u32,
    children: u32,
    visibility: Value,
    starts: chrono::DateTime<chrono::Utc>,
) -> String {
    let response = admin
        .post(
            "/api/events",
            &json!({"event": {
                "title": title, "event_type": "holiday_care", "description": "寒假托管活动",
                "site_id": site_id,
                "starts_at": starts, "ends_at": starts + chrono::Duration::hours(2),
                "signup_deadline": starts - chrono::Duration::days(1),
                "cancel_deadline": starts - chrono::Duration::days(2),
                "volunteer_capacity": volunteers, "child_capacity": children,
                "visibility": visibility, "status": "published"
            }}),
        )
        .await;
    let status = response.status();
    let record = body(response).await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    record["id"].as_str().unwrap().to_string()
}

/// An instant written as RFC 3339, for fixed clocks.
pub fn at(instant: &str) -> chrono::DateTime<chrono::Utc> {
    instant.parse().expect("an RFC 3339 instant")
}

/// A clock fixed at `instant`, and server options that use it.
pub fn fixed(instant: &str) -> (Clock, Options) {
    let clock = Clock::fixed(at(instant));
    let options = Options {
        clock: clock.clone(),
        ..Default::default()
    };
    (clock, options)
}

/// Moves a fixed clock to `instant` (forward only).
pub fn move_to(clock: &Clock, instant: &str) {
    let by = at(instant) - clock.now();
    assert!(
        by >= chrono::Duration::zero(),
        "the clock only moves forward"
    );
    clock.advance(by);
}
