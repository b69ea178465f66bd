//! Every endpoint, once: method, path, who may call it, handler.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, MethodFilter, MethodRouter};
use axum::{middleware, Extension, Json, Router};
use shared::api::{
    ActivateRequest, ActivateResponse, AuditAction, AuditEntry, ChangePasswordRequest,
    CreateUserRequest, CreateUserResponse, HealthResponse, LoginRequest, Me, Page,
    RegisterVolunteerRequest, UserSummary, VillageOption,
};
use shared::{ErrorCode, Role};

use super::access::{guard, Access, EndpointSpec, SESSION_COOKIE};
use super::error::{HttpError, HttpResult};
use super::extract::{ClientSource, JsonBody, QueryArgs};
use crate::accounts::{self, CurrentUser};
use crate::store::audit::AuditFilter;
use crate::AppState;

mod cases;
mod children;
mod events;
pub(crate) mod pairings;
pub(crate) mod query_args;
mod referrals;
mod statistics;
pub(crate) mod transfer;
mod visits;

const ADMIN: Access = Access::Roles(&[Role::Admin]);
const REGISTRY: Access = Access::Roles(&[Role::Admin, Role::Director]);
const PARTICIPANTS: Access =
    Access::Roles(&[Role::Admin, Role::Director, Role::Teacher, Role::Volunteer]);
const ENROLLERS: Access = Access::Roles(&[Role::Admin, Role::Director, Role::Teacher]);
const VOLUNTEER: Access = Access::Roles(&[Role::Volunteer]);
const ORGANISERS: Access = Access::Roles(&[Role::Admin, Role::Volunteer]);
const CASE_CREATORS: Access = Access::Roles(&[Role::Admin, Role::Teacher]);
const REFERRERS: Access =
    Access::Roles(&[Role::Admin, Role::Director, Role::Teacher, Role::Counsellor]);
const OFFICER: Access = Access::Roles(&[Role::Officer]);
/// Spreadsheets of a district's children can be a few megabytes. On AWS the upload arrives
/// base64-encoded inside a Lambda event, whose limit is 6 MB: 4 MiB of file is 5.6 MB encoded.
pub const UPLOAD_LIMIT: usize = shared::children::limits::IMPORT_MAX_BYTES;

struct Routes {
    specs: Vec<EndpointSpec>,
    paths: BTreeMap<&'static str, MethodRouter<AppState>>,
}

impl Routes {
    fn add<H, T>(self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        self.add_route(method, path, access, axum::routing::on(filter, handler))
    }

    /// Like `add`, for an endpoint that takes a file upload larger than the JSON body limit.
    fn add_upload<H, T>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let route = axum::routing::on(filter, handler)
            .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT));
        self.add_route(method, path, access, route)
    }

    fn add_route(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        let route = route.layer(middleware::from_fn(
            move |request: axum::extract::Request, next: middleware::Next| {
                guard(access, request, next)
            },
        ));
        let merged = match self.paths.remove(path) {
            Some(existing) => existing.merge(route),
            None => route,
        };
        self.paths.insert(path, merged);
        self.specs.push(EndpointSpec {
            method,
            path,
            access,
        });
        self
    }
}

#[rustfmt::skip]
fn routes() -> Routes {
    Routes { specs: Vec::new(), paths: BTreeMap::new() }
        .add(Method::GET, "/api/health", Access::Public, health)
        .add(Method::GET, "/api/openapi.json", Access::Public, openapi)
        .add(Method::POST, "/api/auth/login", Access::Public, login)
        .add(Method::POST, "/api/auth/logout", Access::AnyUser, logout)
        .add(Method::GET, "/api/auth/me", Access::AnyUser, me)
        .add(Method::POST, "/api/auth/password", Access::AnyUser, change_password)
        .add(Method::POST, "/api/auth/activate", Access::Public, activate)
        .add(Method::POST, "/api/auth/register", Access::Public, register)
        .add(Method::GET, "/api/users", ADMIN, list_users)
        .add(Method::POST, "/api/users", ADMIN, create_user)
        .add(Method::POST, "/api/users/{id}/approve", ADMIN, approve_user)
        .add(Method::POST, "/api/users/{id}/disable", ADMIN, disable_user)
        .add(Method::GET, "/api/people", ADMIN, people)
        .add(Method::GET, "/api/audit", ADMIN, list_audit)
        .add(Method::GET, "/api/divisions/villages", Access::AnyUser, villages)
        .add(Method::GET, "/api/children", REGISTRY, children::list)
        .add(Method::POST, "/api/children", REGISTRY, children::create)
        .add(Method::GET, "/api/children/count", REGISTRY, children::count)
        .add(Method::GET, "/api/children/review", REGISTRY, children::review)
        .add(Method::GET, "/api/children/export", ADMIN, children::export)
        .add(Method::GET, "/api/children/roster", ADMIN, transfer::roster)
        .add(Method::GET, "/api/statistics", REGISTRY, statistics::view)
        .add(Method::GET, "/api/statistics/export", REGISTRY, statistics::export)
        .add(Method::GET, "/api/children/import-template", ADMIN, children::template)
        .add_upload(Method::POST, "/api/children/import", ADMIN, children::import)
        .add(Method::GET, "/api/children/{id}", REGISTRY, children::get)
        .add(Method::PUT, "/api/children/{id}", REGISTRY, children::update)
        .add(Method::POST, "/api/children/{id}/exit", ADMIN, children::confirm_exit)
        .add(Method::GET, "/api/children/{id}/visits", REGISTRY, visits::of_child)
        .add(Method::GET, "/api/visits/plan", REGISTRY, visits::plan)
        .add(Method::POST, "/api/visits", REGISTRY, visits::record)
        .add(Method::GET, "/api/visits/compliance", ADMIN, visits::compliance)
        .add(Method::GET, "/api/visits/compliance/export", ADMIN, visits::export_compliance)
        .add(Method::GET, "/api/visits/{id}", REGISTRY, visits::get)
        .add(Method::GET, "/api/settings/visits", REGISTRY, visits::settings)
        .add(Method::PUT, "/api/settings/visits", ADMIN, visits::set_settings)
        .add(Method::GET, "/api/settings/core-districts", Access::AnyUser, children::core_districts)
        .add(Method::PUT, "/api/settings/core-districts", ADMIN, children::set_core_districts)
        .add(Method::GET, "/api/sites", PARTICIPANTS, events::sites)
        .add(Method::POST, "/api/sites", ADMIN, events::create_site)
        .add(Method::PUT, "/api/sites/{id}", ADMIN, events::update_site)
        .add(Method::GET, "/api/events", PARTICIPANTS, events::list)
        .add(Method::POST, "/api/events", ADMIN, events::create)
        .add(Method::GET, "/api/events/{id}", PARTICIPANTS, events::get)
        .add(Method::PUT, "/api/events/{id}", ADMIN, events::update)
        .add(Method::POST, "/api/events/{id}/cancel", ADMIN, events::cancel)
        .add(Method::POST, "/api/events/{id}/signup", VOLUNTEER, events::sign_up)
        .add(Method::POST, "/api/events/{id}/signup/cancel", VOLUNTEER, events::cancel_sign_up)
        .add(Method::POST, "/api/events/{id}/children", ENROLLERS, events::sign_up_child)
        .add(Method::POST, "/api/events/{id}/children/{child_id}/cancel", ENROLLERS, events::cancel_child)
        .add(Method::GET, "/api/events/{id}/roster", ORGANISERS, events::roster)
        .add(Method::GET, "/api/events/{id}/roster/export", ADMIN, events::export_roster)
        .add(Method::POST, "/api/events/{id}/checkin", ORGANISERS, events::check_in)
        .add(Method::POST, "/api/events/{id}/hours", ADMIN, events::correct_hours)
        .add(Method::GET, "/api/events/{id}/calendar.ics", PARTICIPANTS, events::event_calendar)
        .add(Method::GET, "/api/me/events", VOLUNTEER, events::my_events)
        .add(Method::GET, "/api/me/hours", VOLUNTEER, events::my_hours)
        .add(Method::GET, "/api/me/calendar.ics", VOLUNTEER, events::my_calendar)
        .add(Method::GET, "/api/hours/organisations", ADMIN, events::organisation_hours)
        .add(Method::GET, "/api/notifications", Access::AnyUser, events::notifications)
        .add(Method::GET, "/api/cases", Access::AnyUser, cases::list)
        .add(Method::GET, "/api/cases/candidates", CASE_CREATORS, cases::candidates)
        .add(Method::POST, "/api/cases", CASE_CREATORS, cases::create)
        .add(Method::GET, "/api/cases/{id}", Access::AnyUser, cases::view)
        .add(Method::GET, "/api/cases/{id}/member-candidates", Access::AnyUser, cases::member_candidates)
        .add(Method::POST, "/api/cases/{id}/members", Access::AnyUser, cases::add_member)
        .add(Method::POST, "/api/cases/{id}/members/{user_id}/remove", Access::AnyUser, cases::remove_member)
        .add(Method::PUT, "/api/cases/{id}/plan", Access::AnyUser, cases::save_plan)
        .add(Method::GET, "/api/cases/{id}/plan/versions", Access::AnyUser, cases::plan_versions)
        .add(Method::POST, "/api/cases/{id}/notes", Access::AnyUser, cases::add_note)
        .add(Method::GET, "/api/cases/{id}/visits", Access::AnyUser, visits::of_case)
        .add(Method::POST, "/api/cases/{id}/crises", Access::AnyUser, cases::raise_crisis)
        .add(Method::POST, "/api/cases/{id}/crises/{crisis_id}/close", ADMIN, cases::close_crisis)
        .add(Method::GET, "/api/crises", ADMIN, cases::open_crises)
        .add(Method::GET, "/api/referral-units", Access::AnyUser, referrals::units)
        .add(Method::PUT, "/api/referral-units", ADMIN, referrals::set_units)
        .add(Method::POST, "/api/referrals", REFERRERS, referrals::raise)
        .add(Method::GET, "/api/referrals", Access::AnyUser, referrals::list)
        .add(Method::GET, "/api/referrals/report", ADMIN, referrals::report)
        .add(Method::GET, "/api/referrals/report/export", ADMIN, referrals::export_report)
        .add(Method::GET, "/api/referrals/{id}", Access::AnyUser, referrals::get)
        .add(Method::POST, "/api/referrals/{id}/triage", ADMIN, referrals::triage)
        .add(Method::POST, "/api/referrals/{id}/unit", OFFICER, referrals::unit_action)
        .add(Method::POST, "/api/referrals/{id}/review", ADMIN, referrals::review)
        .add(Method::GET, "/api/volunteers", ADMIN, pairings::volunteers)
        .add(Method::POST, "/api/volunteers/{id}/vetting", ADMIN, pairings::vet)
        .add(Method::GET, "/api/me/profile", VOLUNTEER, pairings::my_profile)
        .add(Method::PUT, "/api/me/profile", VOLUNTEER, pairings::update_my_profile)
        .add(Method::GET, "/api/pairings/board", ADMIN, pairings::board)
        .add(Method::GET, "/api/pairings/suggestions", ADMIN, pairings::suggestions)
        .add(Method::POST, "/api/pairings", ADMIN, pairings::propose)
        .add(Method::GET, "/api/pairings/{id}", ADMIN, pairings::detail)
        .add(Method::POST, "/api/pairings/{id}/activate", ADMIN, pairings::activate)
        .add(Method::POST, "/api/pairings/{id}/cancel", ADMIN, pairings::cancel)
        .add(Method::POST, "/api/pairings/{id}/end", ADMIN, pairings::end)
        .add(Method::GET, "/api/children/{id}/pairings", ADMIN, pairings::child_history)
        .add(Method::GET, "/api/me/pairings", VOLUNTEER, pairings::mine)
        .add(Method::POST, "/api/me/pairings/{id}/contacts", VOLUNTEER, pairings::log_contact)
}

/// Every endpoint with the roles it admits; the authorization tests walk this list.
pub fn catalog() -> Vec<EndpointSpec> {
    routes().specs
}

pub(super) fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for (path, route) in routes().paths {
        router = router.route(path, route);
    }
    router
        .route("/api/{*rest}", any(unknown_endpoint))
        .route("/api", any(unknown_endpoint))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state.clone())
        .layer(Extension(state))
}

async fn unknown_endpoint() -> HttpError {
    HttpError::new(ErrorCode::NotFound)
}

async fn method_not_allowed() -> HttpError {
    HttpError::new(ErrorCode::MethodNotAllowed)
}

async fn openapi() -> Json<&'static serde_json::Value> {
    Json(super::openapi::document())
}

/// The health answer, with the one-machine portal's backup age (`null` on AWS, in memory, or
/// before the first backup).
#[derive(serde::Serialize)]
struct HealthWithBackup {
    #[serde(flatten)]
    health: HealthResponse,
    last_backup_age_hours: Option<f64>,
}

async fn health(
    State(state): State<AppState>,
    backups: Option<Extension<Arc<crate::backup::BackupStatus>>>,
) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(HealthWithBackup {
            health: HealthResponse {
                status: "ok".into(),
                store: "ok".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            last_backup_age_hours: backups
                .and_then(|Extension(status)| status.age_hours(chrono::Utc::now())),
        })
        .into_response(),
        Err(error) => HttpError::from(crate::AppError::from(error)).into_response(),
    }
}

fn session_cookie(state: &AppState, token: &str, max_age_seconds: i64) -> HeaderValue {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/api; Max-Age={max_age_seconds}{secure}"
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn login(
    State(state): State<AppState>,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<LoginRequest>,
) -> HttpResult<(HeaderMap, Json<Me>)> {
    let session = accounts::login(&state, &request, source).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        session_cookie(
            &state,
            &session.token,
            state.settings.session_ttl.num_seconds(),
        ),
    );
    Ok((headers, Json(session.me)))
}

async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<(StatusCode, HeaderMap)> {
    accounts::logout(&state, &user, source).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    Ok((StatusCode::NO_CONTENT, headers))
}

async fn me(user: CurrentUser) -> Json<Me> {
    Json(user.me())
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<ChangePasswordRequest>,
) -> HttpResult<StatusCode> {
    accounts::change_password(&state, &user, &request, source).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn activate(
    State(state): State<AppState>,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<ActivateRequest>,
) -> HttpResult<Json<ActivateResponse>> {
    let username = accounts::activate(&state, &request, source).await?;
    Ok(Json(ActivateResponse { username }))
}

async fn register(
    State(state): State<AppState>,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<RegisterVolunteerRequest>,
) -> HttpResult<(StatusCode, Json<UserSummary>)> {
    let user = accounts::register_volunteer(&state, &request, source).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

const PAGE_SIZE: i32 = 50;

pub(super) fn bad_cursor() -> HttpError {
    HttpError::new(ErrorCode::InvalidBody)
        .with_detail("cursor is not valid; start from the first page")
}

async fn list_users(
    State(state): State<AppState>,
    QueryArgs(args): QueryArgs<query_args::ListUsersArgs>,
) -> HttpResult<Json<Page<UserSummary>>> {
    let search = args.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if args.role.is_some() || search.is_some() {
        // A search reads the accounts of one status (a district has hundreds) and answers
        // every match on one page.
        let mut users = match args.status {
            Some(status) => state.store.users_with_status(status).await,
            None => state.store.all_users().await,
        }
        .map_err(crate::AppError::from)?;
        users.retain(|user| {
            args.role.is_none_or(|role| user.role == role)
                && search.is_none_or(|q| crate::accounts::person_matches(user, q))
        });
        users.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        return Ok(Json(Page {
            total: Some(users.len() as u64),
            items: users.iter().map(|user| user.summary()).collect(),
            next: None,
        }));
    }
    let page = state
        .store
        .list_users(args.status, args.cursor.as_deref(), PAGE_SIZE)
        .await
        .map_err(crate::AppError::from)?
        .map_err(|()| bad_cursor())?;
    let total = state
        .store
        .count_users(args.status)
        .await
        .map_err(crate::AppError::from)?;
    Ok(Json(Page {
        items: page.items.iter().map(|user| user.summary()).collect(),
        next: page.next,
        total: Some(total),
    }))
}

/// Active people to choose in a picker (an organiser, a reviewer): name, role, where.
async fn people(
    State(state): State<AppState>,
    QueryArgs(args): QueryArgs<query_args::PeopleArgs>,
) -> HttpResult<Json<Vec<shared::api::PersonOption>>> {
    let roles = query_args::parse_roles(args.roles.as_deref())?;
    let found =
        crate::accounts::find_people(&state, args.q.as_deref().unwrap_or(""), &roles).await?;
    Ok(Json(found))
}

async fn create_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<CreateUserRequest>,
) -> HttpResult<(StatusCode, Json<CreateUserResponse>)> {
    let (user, invite_code, invite_expires_at) =
        accounts::create_user(&state, &admin, &request, source).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreateUserResponse {
            user,
            invite_code,
            invite_expires_at,
        }),
    ))
}

/// Ids are ULIDs; anything else cannot name a record.
pub(super) fn record_id(raw: &str) -> HttpResult<&str> {
    ulid::Ulid::from_string(raw)
        .map(|_| raw)
        .map_err(|_| HttpError::new(ErrorCode::NotFound))
}

async fn approve_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<UserSummary>> {
    let id = record_id(&id)?;
    Ok(Json(accounts::approve(&state, &admin, id, source).await?))
}

async fn disable_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<UserSummary>> {
    let id = record_id(&id)?;
    Ok(Json(accounts::disable(&state, &admin, id, source).await?))
}

async fn list_audit(
    State(state): State<AppState>,
    admin: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<query_args::AuditArgs>,
) -> HttpResult<Json<Page<AuditEntry>>> {
    let filter = match (args.actor, args.target, args.month) {
        (Some(actor), None, None) => AuditFilter::ByActor(actor),
        (None, Some(target), None) => AuditFilter::ByTarget(target),
        (None, None, month) => {
            let (year, month) = match month {
                Some(month) => parse_month(&month).ok_or_else(|| {
                    HttpError::new(ErrorCode::InvalidBody)
                        .with_detail("month must look like 2026-11")
                })?,
                None => {
                    use chrono::Datelike;
                    let today = shared::time::beijing_date(state.clock.now());
                    (today.year(), today.month())
                }
            };
            AuditFilter::Month { year, month }
        }
        _ => {
            return Err(HttpError::new(ErrorCode::InvalidBody)
                .with_detail("filter by one of month, actor or target"))
        }
    };
    let mut page = state
        .store
        .list_audit(&filter, args.cursor.as_deref(), PAGE_SIZE)
        .await
        .map_err(crate::AppError::from)?
        .map_err(|()| bad_cursor())?;
    page.total = Some(
        state
            .store
            .count_audit(&filter)
            .await
            .map_err(crate::AppError::from)?,
    );
    let labelled = accounts::label_entries(&state, &mut page.items).await?;
    // The log names children: which ones it showed is recorded like any list of children.
    let shown = (!labelled.children.is_empty()).then(|| labelled.children.join(","));
    accounts::record_with(
        &state,
        &admin.actor(source),
        AuditAction::AuditRead,
        None,
        shown,
    )
    .await?;
    Ok(Json(page))
}

fn parse_month(raw: &str) -> Option<(i32, u32)> {
    let (year, month) = raw.split_once('-')?;
    let year: i32 = year
        .parse()
        .ok()
        .filter(|year| (2000..=2100).contains(year))?;
    let month: u32 = month
        .parse()
        .ok()
        .filter(|month| (1..=12).contains(month))?;
    Some((year, month))
}

async fn villages() -> Json<Vec<VillageOption>> {
    let streets: BTreeMap<&str, &str> = shared::divisions::streets()
        .map(|street| (street.code, street.name))
        .collect();
    Json(
        shared::divisions::villages()
            .map(|village| VillageOption {
                code: village.code.to_string(),
                name: village.name.to_string(),
                street: streets
                    .get(village.parent)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            })
            .collect(),
    )
}
