//! The typed API client: every call takes and returns `shared` types; failures come back as
//! `ApiError`, whose message follows the interface language.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::*;
use shared::{ApiErrorBody, ErrorCode, Lang};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Api(ApiErrorBody),
    Network,
}

impl ApiError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Api(body) => body.code.message(lang).to_string(),
            ApiError::Network => match lang {
                Lang::Zh => "无法连接服务器,请检查网络后重试。".into(),
                Lang::En => "Cannot reach the server; check the connection and try again.".into(),
            },
        }
    }

    pub fn field_errors(&self) -> Vec<shared::FieldError> {
        match self {
            ApiError::Api(body) => body.fields.clone(),
            ApiError::Network => Vec::new(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiError::Network)
    } else {
        match response.json::<ApiErrorBody>().await {
            Ok(body) => Err(ApiError::Api(body)),
            Err(_) => Err(ApiError::Api(ApiErrorBody::new(ErrorCode::Internal))),
        }
    }
}

async fn decode_empty(response: Response) -> ApiResult<()> {
    if response.ok() {
        Ok(())
    } else {
        decode::<serde_json::Value>(response).await.map(|_| ())
    }
}

/// Reads are sent again when the server says it is busy (503), after the `Retry-After` it
/// names; changes are not, so a person decides whether to repeat them.
async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let mut tries_left = 2;
    loop {
        let response = Request::get(path)
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        if response.status() != 503 || tries_left == 0 {
            return decode(response).await;
        }
        tries_left -= 1;
        let wait_seconds = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.trim().parse::<u32>().ok())
            .unwrap_or(2)
            .min(5);
        gloo_timers::future::TimeoutFuture::new(wait_seconds * 1000).await;
    }
}

fn post_json<B: Serialize>(path: &str, body: &B) -> ApiResult<Request> {
    RequestBuilder::new(path)
        .method(gloo_net::http::Method::POST)
        .json(body)
        .map_err(|_| ApiError::Network)
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let response = post_json(path, body)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn post_empty<B: Serialize>(path: &str, body: &B) -> ApiResult<()> {
    let response = post_json(path, body)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode_empty(response).await
}

fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(name, value)| {
            value.map(|value| format!("{}={}", js_sys_encode(name), js_sys_encode(value)))
        })
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

fn js_sys_encode(value: &str) -> String {
    String::from(web_sys::js_sys::encode_uri_component(value))
}

pub async fn me() -> ApiResult<Me> {
    get("/api/auth/me").await
}

pub async fn login(request: &LoginRequest) -> ApiResult<Me> {
    post("/api/auth/login", request).await
}

pub async fn logout() -> ApiResult<()> {
    post_empty("/api/auth/logout", &serde_json::json!({})).await
}

pub async fn change_password(request: &ChangePasswordRequest) -> ApiResult<()> {
    post_empty("/api/auth/password", request).await
}

pub async fn activate(request: &ActivateRequest) -> ApiResult<ActivateResponse> {
    post("/api/auth/activate", request).await
}

pub async fn register(request: &RegisterVolunteerRequest) -> ApiResult<UserSummary> {
    post("/api/auth/register", request).await
}

/// The users list: one status, one role, a name search (a search answers every match on
/// one page), and the total.
pub async fn users(
    status: Option<UserStatus>,
    role: Option<shared::Role>,
    search: String,
    cursor: Option<String>,
) -> ApiResult<Page<UserSummary>> {
    let search = search.trim().to_string();
    get(&format!(
        "/api/users{}",
        query(&[
            ("status", status.map(UserStatus::as_str)),
            ("role", role.map(shared::Role::as_str)),
            ("q", (!search.is_empty()).then_some(search.as_str())),
            ("cursor", cursor.as_deref())
        ])
    ))
    .await
}

fn role_list(roles: &[shared::Role]) -> String {
    roles
        .iter()
        .map(|role| role.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Active people by name, for pickers (admins).
pub async fn people(search: &str, roles: &[shared::Role]) -> ApiResult<Vec<PersonOption>> {
    let roles = role_list(roles);
    get(&format!(
        "/api/people{}",
        query(&[
            ("q", Some(search.trim())),
            ("roles", (!roles.is_empty()).then_some(roles.as_str())),
        ])
    ))
    .await
}

/// People the group's lead may add, by name.
pub async fn case_member_candidates(case_id: &str, search: &str) -> ApiResult<Vec<PersonOption>> {
    get(&format!(
        "/api/cases/{case_id}/member-candidates{}",
        query(&[("q", Some(search.trim()))])
    ))
    .await
}

pub async fn create_user(request: &CreateUserRequest) -> ApiResult<CreateUserResponse> {
    post("/api/users", request).await
}

pub async fn approve_user(id: &str) -> ApiResult<UserSummary> {
    post(&format!("/api/users/{id}/approve"), &serde_json::json!({})).await
}

pub async fn disable_user(id: &str) -> ApiResult<UserSummary> {
    post(&format!("/api/users/{id}/disable"), &serde_json::json!({})).await
}

/// The audit log: one month, or everything about one target (`child:<id>`) or by one user.
pub async fn audit(
    month: Option<String>,
    target: Option<String>,
    actor: Option<String>,
    cursor: Option<String>,
) -> ApiResult<Page<AuditEntry>> {
    get(&format!(
        "/api/audit{}",
        query(&[
            ("month", month.as_deref()),
            ("target", target.as_deref()),
            ("actor", actor.as_deref()),
            ("cursor", cursor.as_deref()),
        ])
    ))
    .await
}

pub async fn villages() -> ApiResult<Vec<VillageOption>> {
    get("/api/divisions/villages").await
}

use shared::children::{
    ChildInput, ChildRecord, ChildSummary, ConfirmExitRequest, CreateChildRequest, ImportReport,
    ReviewItem, UpdateChildRequest,
};
use shared::eligibility::CoreDistricts;

async fn send_json<B: Serialize, T: DeserializeOwned>(
    method: gloo_net::http::Method,
    path: &str,
    body: &B,
) -> ApiResult<T> {
    let response = RequestBuilder::new(path)
        .method(method)
        .json(body)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// Filters of the registry list, as query-string pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildQuery {
    pub q: String,
    pub village: String,
    pub school: String,
    pub category: String,
    pub care_level: String,
    pub eligible: String,
    pub status: String,
    /// A 9-digit street code: children living in its villages.
    pub street: String,
    /// `male` or `female`.
    pub gender: String,
    /// An `AgeBand` code (`6-11` …), on today's Beijing date.
    pub age_band: String,
    /// A `GuardianshipType` code, or `none` (not recorded).
    pub guardianship_type: String,
    /// A `SchoolStage` code, or `none`.
    pub school_stage: String,
    /// A `DifficultyGroup` code: children whose groups include it.
    pub difficulty_group: String,
    /// A Beijing calendar year: registered in it.
    pub registered_year: String,
    /// A Beijing calendar year: left monitoring in it.
    pub exited_year: String,
    /// `true`: with an active caring-mother pairing; `false`: without.
    pub paired: String,
    /// `true`: with a case group (一生一案一群); `false`: without.
    pub case_group: String,
    /// `true`: with an open crisis flag; `false`: without.
    pub open_crisis: String,
    /// Filters the page's address named that this client does not know (a link made by a newer
    /// server), sent as they came so the list still counts what the link promised.
    pub other: Vec<(String, String)>,
    /// "name" (A→Z, the default) or "-name".
    pub sort: String,
}

fn child_query_pairs(filters: &ChildQuery, cursor: Option<String>) -> String {
    let non_empty = |value: &str| (!value.trim().is_empty()).then(|| value.trim().to_string());
    let mut pairs = vec![
        ("q", non_empty(&filters.q)),
        ("village", non_empty(&filters.village)),
        ("school", non_empty(&filters.school)),
        ("category", non_empty(&filters.category)),
        ("care_level", non_empty(&filters.care_level)),
        ("eligible", non_empty(&filters.eligible)),
        ("status", non_empty(&filters.status)),
        ("street", non_empty(&filters.street)),
        ("gender", non_empty(&filters.gender)),
        ("age_band", non_empty(&filters.age_band)),
        ("guardianship_type", non_empty(&filters.guardianship_type)),
        ("school_stage", non_empty(&filters.school_stage)),
        ("difficulty_group", non_empty(&filters.difficulty_group)),
        ("registered_year", non_empty(&filters.registered_year)),
        ("exited_year", non_empty(&filters.exited_year)),
        ("paired", non_empty(&filters.paired)),
        ("case_group", non_empty(&filters.case_group)),
        ("open_crisis", non_empty(&filters.open_crisis)),
    ];
    pairs.extend(
        filters
            .other
            .iter()
            .map(|(name, value)| (name.as_str(), non_empty(value))),
    );
    pairs.push(("sort", non_empty(&filters.sort)));
    pairs.push(("cursor", cursor));
    let borrowed: Vec<(&str, Option<&str>)> = pairs
        .iter()
        .map(|(name, value)| (*name, value.as_deref()))
        .collect();
    query(&borrowed)
}

pub async fn children(
    filters: &ChildQuery,
    cursor: Option<String>,
) -> ApiResult<Page<ChildSummary>> {
    get(&format!(
        "/api/children{}",
        child_query_pairs(filters, cursor)
    ))
    .await
}

/// How many children the registry list with these filters holds (no child is read).
pub async fn children_count(filters: &ChildQuery) -> ApiResult<Count> {
    let mut filters = filters.clone();
    filters.sort.clear();
    get(&format!(
        "/api/children/count{}",
        child_query_pairs(&filters, None)
    ))
    .await
}

/// The first children whose name starts with `search` (or whose ID number ends with it), for
/// pickers; the registry's own list and audit.
pub async fn children_search(search: &str) -> ApiResult<Vec<ChildSummary>> {
    let filters = ChildQuery {
        q: search.to_string(),
        ..ChildQuery::default()
    };
    children(&filters, None).await.map(|page| page.items)
}

pub async fn child(id: &str) -> ApiResult<ChildRecord> {
    get(&format!("/api/children/{id}")).await
}

pub async fn create_child(child: ChildInput) -> ApiResult<ChildRecord> {
    post("/api/children", &CreateChildRequest { child }).await
}

pub async fn update_child(id: &str, version: u64, child: ChildInput) -> ApiResult<ChildRecord> {
    send_json(
        gloo_net::http::Method::PUT,
        &format!("/api/children/{id}"),
        &UpdateChildRequest { version, child },
    )
    .await
}

pub async fn review() -> ApiResult<Vec<ReviewItem>> {
    get("/api/children/review").await
}

pub async fn confirm_exit(id: &str, version: u64, reason: String) -> ApiResult<ChildRecord> {
    post(
        &format!("/api/children/{id}/exit"),
        &ConfirmExitRequest { version, reason },
    )
    .await
}

pub async fn core_districts() -> ApiResult<CoreDistricts> {
    get("/api/settings/core-districts").await
}

pub async fn set_core_districts(value: &CoreDistricts) -> ApiResult<CoreDistricts> {
    send_json(
        gloo_net::http::Method::PUT,
        "/api/settings/core-districts",
        value,
    )
    .await
}

pub async fn import_children(file: web_sys::File) -> ApiResult<ImportReport> {
    let name = file.name().to_lowercase();
    let content_type = if name.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv"
    };
    let response = RequestBuilder::new("/api/children/import")
        .method(gloo_net::http::Method::POST)
        .header("content-type", content_type)
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// The numbers a district reports (admins: the district, or one street or village; a director:
/// their villages, or one of them).
pub async fn statistics(
    street: Option<&str>,
    village: Option<&str>,
) -> ApiResult<shared::statistics::Statistics> {
    get(&format!(
        "/api/statistics{}",
        query(&[("street", street), ("village", village)])
    ))
    .await
}

/// The address of the same numbers as an XLSX download (a plain link: the browser saves it).
pub fn statistics_export_href(street: Option<&str>, village: Option<&str>) -> String {
    format!(
        "/api/statistics/export{}",
        query(&[
            ("format", Some("xlsx")),
            ("street", street),
            ("village", village),
        ])
    )
}

use shared::events::{
    CheckInRequest, ChildSignupRequest, CorrectHoursRequest, CreateEventRequest, EventInput,
    EventRecord, MyEvent, MyHours, Notification, OrganisationHours, Roster, SignupRecord, Site,
    SiteInput, UpdateEventRequest,
};

pub async fn sites() -> ApiResult<Vec<Site>> {
    get("/api/sites").await
}

pub async fn save_site(id: Option<&str>, site: &SiteInput) -> ApiResult<Site> {
    match id {
        Some(id) => {
            send_json(
                gloo_net::http::Method::PUT,
                &format!("/api/sites/{id}"),
                site,
            )
            .await
        }
        None => post("/api/sites", site).await,
    }
}

pub async fn events(
    event_type: Option<String>,
    street: Option<String>,
    from: Option<String>,
) -> ApiResult<Vec<EventRecord>> {
    get(&format!(
        "/api/events{}",
        query(&[
            ("type", event_type.as_deref()),
            ("street", street.as_deref()),
            ("from", from.as_deref()),
        ])
    ))
    .await
}

pub async fn event(id: &str) -> ApiResult<EventRecord> {
    get(&format!("/api/events/{id}")).await
}

pub async fn save_event(id: Option<(&str, u64)>, event: EventInput) -> ApiResult<EventRecord> {
    match id {
        Some((id, version)) => {
            send_json(
                gloo_net::http::Method::PUT,
                &format!("/api/events/{id}"),
                &UpdateEventRequest { version, event },
            )
            .await
        }
        None => post("/api/events", &CreateEventRequest { event }).await,
    }
}

/// Calls an event off; the reason goes to everyone signed up.
pub async fn cancel_event(id: &str, reason: String) -> ApiResult<EventRecord> {
    post(
        &format!("/api/events/{id}/cancel"),
        &shared::events::CancelEventRequest { reason },
    )
    .await
}

pub async fn sign_up(id: &str) -> ApiResult<SignupRecord> {
    post(&format!("/api/events/{id}/signup"), &serde_json::json!({})).await
}

pub async fn cancel_sign_up(id: &str) -> ApiResult<SignupRecord> {
    post(
        &format!("/api/events/{id}/signup/cancel"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn sign_up_child(id: &str, child_id: String) -> ApiResult<SignupRecord> {
    post(
        &format!("/api/events/{id}/children"),
        &ChildSignupRequest { child_id },
    )
    .await
}

pub async fn roster(id: &str) -> ApiResult<Roster> {
    get(&format!("/api/events/{id}/roster")).await
}

pub async fn check_in(id: &str, request: &CheckInRequest) -> ApiResult<SignupRecord> {
    post(&format!("/api/events/{id}/checkin"), request).await
}

pub async fn correct_hours(id: &str, request: &CorrectHoursRequest) -> ApiResult<SignupRecord> {
    post(&format!("/api/events/{id}/hours"), request).await
}

pub async fn my_events() -> ApiResult<Vec<MyEvent>> {
    get("/api/me/events").await
}

pub async fn my_hours() -> ApiResult<MyHours> {
    get("/api/me/hours").await
}

pub async fn organisation_hours() -> ApiResult<Vec<OrganisationHours>> {
    get("/api/hours/organisations").await
}

pub async fn notifications() -> ApiResult<Vec<Notification>> {
    get("/api/notifications").await
}

use shared::cases::{
    AddMemberRequest, CaseStudent, CaseSummary, CaseView, CloseCrisisRequest, CreateCaseRequest,
    Crisis, CrisisKind, GroupRole, Note, NoteKind, NoteRequest, PlanInput, PlanVersion,
    RaiseCrisisRequest, SavePlanRequest,
};

pub async fn cases() -> ApiResult<Vec<CaseSummary>> {
    get("/api/cases").await
}

pub async fn case_candidates() -> ApiResult<Vec<CaseStudent>> {
    get("/api/cases/candidates").await
}

pub async fn create_case(child_id: String, lead_user_id: Option<String>) -> ApiResult<CaseView> {
    post(
        "/api/cases",
        &CreateCaseRequest {
            child_id,
            lead_user_id,
        },
    )
    .await
}

pub async fn case_view(id: &str) -> ApiResult<CaseView> {
    get(&format!("/api/cases/{id}")).await
}

pub async fn add_member(id: &str, username: String, role: GroupRole) -> ApiResult<CaseView> {
    post(
        &format!("/api/cases/{id}/members"),
        &AddMemberRequest { username, role },
    )
    .await
}

pub async fn remove_member(id: &str, user_id: &str) -> ApiResult<CaseView> {
    post(
        &format!("/api/cases/{id}/members/{user_id}/remove"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn save_plan(id: &str, version: u64, plan: PlanInput) -> ApiResult<PlanVersion> {
    send_json(
        gloo_net::http::Method::PUT,
        &format!("/api/cases/{id}/plan"),
        &SavePlanRequest { version, plan },
    )
    .await
}

pub async fn plan_versions(id: &str) -> ApiResult<Vec<PlanVersion>> {
    get(&format!("/api/cases/{id}/plan/versions")).await
}

pub async fn add_note(
    id: &str,
    kind: NoteKind,
    date: chrono::NaiveDate,
    text: String,
) -> ApiResult<Note> {
    post(
        &format!("/api/cases/{id}/notes"),
        &NoteRequest { kind, date, text },
    )
    .await
}

pub async fn raise_crisis(id: &str, kind: CrisisKind, description: String) -> ApiResult<Crisis> {
    post(
        &format!("/api/cases/{id}/crises"),
        &RaiseCrisisRequest { kind, description },
    )
    .await
}

pub async fn close_crisis(id: &str, crisis: &str, note: String) -> ApiResult<Crisis> {
    post(
        &format!("/api/cases/{id}/crises/{crisis}/close"),
        &CloseCrisisRequest { note },
    )
    .await
}

pub async fn open_crises() -> ApiResult<Vec<Crisis>> {
    get("/api/crises").await
}

use shared::pairings::{
    ContactMode, ContactRequest, EndPairingRequest, EndReason, MyPairing, Pairing, PairingBoard,
    PairingDetail, ProposePairingRequest, Suggestion, VettingRequest, VolunteerProfile,
};

pub async fn volunteer_profiles() -> ApiResult<Vec<VolunteerProfile>> {
    get("/api/volunteers").await
}

pub async fn vet(id: &str, request: &VettingRequest) -> ApiResult<VolunteerProfile> {
    post(&format!("/api/volunteers/{id}/vetting"), request).await
}

pub async fn pairing_board() -> ApiResult<PairingBoard> {
    get("/api/pairings/board").await
}

pub async fn suggestions(child_id: &str) -> ApiResult<Vec<Suggestion>> {
    get(&format!(
        "/api/pairings/suggestions{}",
        query(&[("child_id", Some(child_id))])
    ))
    .await
}

pub async fn propose_pairing(child_id: String, volunteer_id: String) -> ApiResult<Pairing> {
    post(
        "/api/pairings",
        &ProposePairingRequest {
            child_id,
            volunteer_id,
        },
    )
    .await
}

pub async fn pairing_action(id: &str, action: &str) -> ApiResult<Pairing> {
    post(
        &format!("/api/pairings/{id}/{action}"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn end_pairing(id: &str, reason: EndReason, note: String) -> ApiResult<Pairing> {
    post(
        &format!("/api/pairings/{id}/end"),
        &EndPairingRequest { reason, note },
    )
    .await
}

pub async fn pairing(id: &str) -> ApiResult<PairingDetail> {
    get(&format!("/api/pairings/{id}")).await
}

pub async fn my_pairings() -> ApiResult<Vec<MyPairing>> {
    get("/api/me/pairings").await
}

pub async fn log_contact(
    id: &str,
    date: chrono::NaiveDate,
    mode: ContactMode,
    minutes: u32,
    summary: String,
    concern: bool,
) -> ApiResult<shared::pairings::Contact> {
    post(
        &format!("/api/me/pairings/{id}/contacts"),
        &ContactRequest {
            date,
            mode,
            minutes,
            summary,
            concern,
        },
    )
    .await
}

pub async fn child_pairings(child_id: &str) -> ApiResult<Vec<Pairing>> {
    get(&format!("/api/children/{child_id}/pairings")).await
}

use shared::visits::{VisitInput, VisitPlan, VisitRecord, VisitSaved, VisitSettings, VisitSummary};

/// The children to visit, most urgent first (a director's villages; the district for admins,
/// or one village).
pub async fn visit_plan(village: Option<&str>) -> ApiResult<VisitPlan> {
    get(&format!(
        "/api/visits/plan{}",
        query(&[("village", village)])
    ))
    .await
}

/// Sends a visit; the same client id sent again is stored once (`already_stored`).
pub async fn send_visit(input: &VisitInput) -> ApiResult<VisitSaved> {
    post("/api/visits", input).await
}

pub async fn visit(id: &str) -> ApiResult<VisitRecord> {
    get(&format!("/api/visits/{id}")).await
}

/// A child's visits, newest first.
pub async fn child_visits(child_id: &str) -> ApiResult<Vec<VisitRecord>> {
    get(&format!("/api/children/{child_id}/visits")).await
}

/// What a case group sees of the child's visits: dates, problems found and needs.
pub async fn case_visits(child_id: &str) -> ApiResult<Vec<VisitSummary>> {
    get(&format!("/api/cases/{child_id}/visits")).await
}

pub async fn visit_settings() -> ApiResult<VisitSettings> {
    get("/api/settings/visits").await
}

pub async fn save_visit_settings(settings: &VisitSettings) -> ApiResult<VisitSettings> {
    send_json(
        gloo_net::http::Method::PUT,
        "/api/settings/visits",
        settings,
    )
    .await
}

/// Visit compliance of a quarter ("2026-Q4"; the current one when `None`).
pub async fn compliance(quarter: Option<&str>) -> ApiResult<shared::visits::Compliance> {
    get(&format!(
        "/api/visits/compliance{}",
        query(&[("quarter", quarter)])
    ))
    .await
}

use shared::referrals::{
    MemberUnits, OfficeReview, RaiseReferral, Referral, ReferralReport, ReferralRow, ReferralState,
    Triage, UnitAction,
};

/// The district's member units and the working days they have to answer and to resolve.
pub async fn referral_units() -> ApiResult<MemberUnits> {
    get("/api/referral-units").await
}

pub async fn save_referral_units(units: &MemberUnits) -> ApiResult<MemberUnits> {
    send_json(gloo_net::http::Method::PUT, "/api/referral-units", units).await
}

pub async fn raise_referral(request: &RaiseReferral) -> ApiResult<Referral> {
    post("/api/referrals", request).await
}

/// The referrals the reader may see, overdue first then newest: one state, or only the open
/// ones.
pub async fn referrals(
    state: Option<ReferralState>,
    open_only: bool,
) -> ApiResult<Vec<ReferralRow>> {
    get(&format!(
        "/api/referrals{}",
        query(&[
            ("state", state.map(ReferralState::as_str)),
            ("open", open_only.then_some("true")),
        ])
    ))
    .await
}

pub async fn referral(id: &str) -> ApiResult<Referral> {
    get(&format!("/api/referrals/{id}")).await
}

pub async fn triage_referral(id: &str, triage: &Triage) -> ApiResult<Referral> {
    post(&format!("/api/referrals/{id}/triage"), triage).await
}

pub async fn unit_action(id: &str, action: &UnitAction) -> ApiResult<Referral> {
    post(&format!("/api/referrals/{id}/unit"), action).await
}

pub async fn review_referral(id: &str, review: &OfficeReview) -> ApiResult<Referral> {
    post(&format!("/api/referrals/{id}/review"), review).await
}

/// The office's monthly report ("2026-11"; the current month when `None`).
pub async fn referral_report(month: Option<&str>) -> ApiResult<ReferralReport> {
    get(&format!(
        "/api/referrals/report{}",
        query(&[("month", month)])
    ))
    .await
}

/// The health answer as JSON (the store's state and, on one machine, the last backup's age).
pub async fn health() -> ApiResult<serde_json::Value> {
    get("/api/health").await
}
