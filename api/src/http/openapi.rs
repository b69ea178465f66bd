//! The OpenAPI 3 document, generated from the code: operations from the route catalogue (with
//! who may call them), request and response shapes from the `shared` types' JSON Schemas.
//! Served at `/api/openapi.json`; a test fails when an endpoint has no operation here.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};
use shared::api::*;
use shared::cases::*;
use shared::children::*;
use shared::eligibility::CoreDistricts;
use shared::events::*;
use shared::pairings::*;
use shared::ApiErrorBody;

use super::access::Access;

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// What an operation takes and returns.
#[derive(Clone, Copy)]
pub enum Body {
    None,
    Json(SchemaFn),
    /// A spreadsheet upload (CSV or XLSX).
    Spreadsheet,
}

#[derive(Clone, Copy)]
pub enum Answer {
    Empty,
    Json(SchemaFn),
    /// A CSV or XLSX download.
    Spreadsheet,
    Calendar,
}

pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub query: Option<SchemaFn>,
    pub body: Body,
    pub status: u16,
    pub answer: Answer,
}

const fn op(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Body,
    status: u16,
    answer: Answer,
) -> Operation {
    Operation {
        method,
        path,
        summary,
        query: None,
        body,
        status,
        answer,
    }
}

const fn with_query(operation: Operation, query: SchemaFn) -> Operation {
    Operation {
        query: Some(query),
        ..operation
    }
}

use super::routes::query_args;
use Answer::{Calendar, Empty, Spreadsheet as File};
use Body::{None as NoBody, Spreadsheet as Upload};

#[rustfmt::skip]
pub fn operations() -> Vec<Operation> {
    vec![
        op("GET", "/api/health", "Health: the store answers", NoBody, 200, Answer::Json(schema::<HealthResponse>)),
        op("GET", "/api/openapi.json", "This document", NoBody, 200, Answer::Json(schema::<Value>)),
        op("POST", "/api/auth/login", "Sign in (sets the session cookie)", Body::Json(schema::<LoginRequest>), 200, Answer::Json(schema::<Me>)),
        op("POST", "/api/auth/logout", "Sign out", NoBody, 204, Empty),
        op("GET", "/api/auth/me", "The signed-in user", NoBody, 200, Answer::Json(schema::<Me>)),
        op("POST", "/api/auth/password", "Change my password", Body::Json(schema::<ChangePasswordRequest>), 204, Empty),
        op("POST", "/api/auth/activate", "Set a password with an invite code", Body::Json(schema::<ActivateRequest>), 200, Answer::Json(schema::<ActivateResponse>)),
        op("POST", "/api/auth/register", "Register as a volunteer (awaits approval)", Body::Json(schema::<RegisterVolunteerRequest>), 201, Answer::Json(schema::<UserSummary>)),
        with_query(op("GET", "/api/users", "Users", NoBody, 200, Answer::Json(schema::<Page<UserSummary>>)), schema::<query_args::ListUsersArgs>),
        op("POST", "/api/users", "Create a user with an invite code", Body::Json(schema::<CreateUserRequest>), 201, Answer::Json(schema::<CreateUserResponse>)),
        op("POST", "/api/users/{id}/approve", "Approve a volunteer", NoBody, 200, Answer::Json(schema::<UserSummary>)),
        op("POST", "/api/users/{id}/disable", "Disable a user and end their sessions", NoBody, 200, Answer::Json(schema::<UserSummary>)),
        with_query(op("GET", "/api/people", "Active people by name, for pickers", NoBody, 200, Answer::Json(schema::<Vec<PersonOption>>)), schema::<query_args::PeopleArgs>),
        with_query(op("GET", "/api/audit", "The audit log", NoBody, 200, Answer::Json(schema::<Page<AuditEntry>>)), schema::<query_args::AuditArgs>),
        op("GET", "/api/divisions/villages", "Villages and communities of the district", NoBody, 200, Answer::Json(schema::<Vec<VillageOption>>)),
        with_query(op("GET", "/api/children", "The registry (audited)", NoBody, 200, Answer::Json(schema::<Page<ChildSummary>>)), schema::<query_args::ChildListArgs>),
        with_query(op("GET", "/api/children/count", "How many children a list holds", NoBody, 200, Answer::Json(schema::<Count>)), schema::<query_args::ChildListArgs>),
        op("POST", "/api/children", "Register a child", Body::Json(schema::<CreateChildRequest>), 201, Answer::Json(schema::<ChildRecord>)),
        op("GET", "/api/children/review", "Children to review", NoBody, 200, Answer::Json(schema::<Vec<ReviewItem>>)),
        with_query(op("GET", "/api/children/export", "Export the registry (audited)", NoBody, 200, File), schema::<query_args::FormatArgs>),
        with_query(op("GET", "/api/children/roster", "Per-village roster as XLSX, one sheet per village (audited)", NoBody, 200, File), schema::<super::routes::transfer::RosterArgs>),
        with_query(op("GET", "/api/statistics", "Statistics, each number with the list behind it (admins: district, street or village; directors: their villages)", NoBody, 200, Answer::Json(schema::<shared::statistics::Statistics>)), schema::<query_args::StatisticsArgs>),
        with_query(op("GET", "/api/statistics/export", "The statistics as a spreadsheet (audited)", NoBody, 200, File), schema::<query_args::StatisticsArgs>),
        with_query(op("GET", "/api/children/import-template", "Import template", NoBody, 200, File), schema::<query_args::FormatArgs>),
        op("POST", "/api/children/import", "Import children (all or nothing)", Upload, 200, Answer::Json(schema::<ImportReport>)),
        op("GET", "/api/children/{id}", "A child's record (audited)", NoBody, 200, Answer::Json(schema::<ChildRecord>)),
        op("PUT", "/api/children/{id}", "Edit a child's record", Body::Json(schema::<UpdateChildRequest>), 200, Answer::Json(schema::<ChildRecord>)),
        op("POST", "/api/children/{id}/exit", "Confirm a child leaves monitoring", Body::Json(schema::<ConfirmExitRequest>), 200, Answer::Json(schema::<ChildRecord>)),
        op("GET", "/api/settings/core-districts", "Core urban districts", NoBody, 200, Answer::Json(schema::<CoreDistricts>)),
        op("PUT", "/api/settings/core-districts", "Set core urban districts", Body::Json(schema::<CoreDistricts>), 200, Answer::Json(schema::<CoreDistricts>)),
        op("GET", "/api/sites", "Service sites", NoBody, 200, Answer::Json(schema::<Vec<Site>>)),
        op("POST", "/api/sites", "Add a site", Body::Json(schema::<SiteInput>), 201, Answer::Json(schema::<Site>)),
        op("PUT", "/api/sites/{id}", "Edit a site", Body::Json(schema::<SiteInput>), 200, Answer::Json(schema::<Site>)),
        with_query(op("GET", "/api/events", "Upcoming events", NoBody, 200, Answer::Json(schema::<Vec<EventRecord>>)), schema::<query_args::EventListArgs>),
        op("POST", "/api/events", "Create an event", Body::Json(schema::<CreateEventRequest>), 201, Answer::Json(schema::<EventRecord>)),
        op("GET", "/api/events/{id}", "An event", NoBody, 200, Answer::Json(schema::<EventRecord>)),
        op("PUT", "/api/events/{id}", "Edit an event", Body::Json(schema::<UpdateEventRequest>), 200, Answer::Json(schema::<EventRecord>)),
        op("POST", "/api/events/{id}/cancel", "Cancel an event (tells everyone)", Body::Json(schema::<shared::events::CancelEventRequest>), 200, Answer::Json(schema::<EventRecord>)),
        op("POST", "/api/events/{id}/signup", "Sign up (or join the waitlist)", NoBody, 200, Answer::Json(schema::<SignupRecord>)),
        op("POST", "/api/events/{id}/signup/cancel", "Give my place back", NoBody, 200, Answer::Json(schema::<SignupRecord>)),
        op("POST", "/api/events/{id}/children", "Sign up a child", Body::Json(schema::<ChildSignupRequest>), 200, Answer::Json(schema::<SignupRecord>)),
        op("POST", "/api/events/{id}/children/{child_id}/cancel", "Cancel a child's place", NoBody, 200, Answer::Json(schema::<SignupRecord>)),
        op("GET", "/api/events/{id}/roster", "Roster with waitlist", NoBody, 200, Answer::Json(schema::<Roster>)),
        with_query(op("GET", "/api/events/{id}/roster/export", "Export the roster", NoBody, 200, File), schema::<query_args::FormatArgs>),
        op("POST", "/api/events/{id}/checkin", "Check someone in", Body::Json(schema::<CheckInRequest>), 200, Answer::Json(schema::<SignupRecord>)),
        op("POST", "/api/events/{id}/hours", "Correct volunteer hours", Body::Json(schema::<CorrectHoursRequest>), 200, Answer::Json(schema::<SignupRecord>)),
        op("GET", "/api/events/{id}/calendar.ics", "The event as a calendar file", NoBody, 200, Calendar),
        op("GET", "/api/me/events", "My events", NoBody, 200, Answer::Json(schema::<Vec<MyEvent>>)),
        op("GET", "/api/me/hours", "My volunteer hours", NoBody, 200, Answer::Json(schema::<MyHours>)),
        op("GET", "/api/me/calendar.ics", "My events as a calendar feed", NoBody, 200, Calendar),
        with_query(op("GET", "/api/hours/organisations", "Hours per organisation", NoBody, 200, Answer::Json(schema::<Vec<OrganisationHours>>)), schema::<query_args::YearArgs>),
        op("GET", "/api/notifications", "My messages", NoBody, 200, Answer::Json(schema::<Vec<Notification>>)),
        op("GET", "/api/cases", "Case groups (mine; all for admins)", NoBody, 200, Answer::Json(schema::<Vec<CaseSummary>>)),
        op("GET", "/api/cases/candidates", "Students a group can be started for", NoBody, 200, Answer::Json(schema::<Vec<CaseStudent>>)),
        op("POST", "/api/cases", "Start a student's group", Body::Json(schema::<CreateCaseRequest>), 201, Answer::Json(schema::<CaseView>)),
        op("GET", "/api/cases/{id}", "A student's case (audited)", NoBody, 200, Answer::Json(schema::<CaseView>)),
        with_query(op("GET", "/api/cases/{id}/member-candidates", "People the lead may add, by name", NoBody, 200, Answer::Json(schema::<Vec<PersonOption>>)), schema::<query_args::PeopleArgs>),
        op("GET", "/api/referral-units", "The member units referrals go to", NoBody, 200, Answer::Json(schema::<shared::referrals::MemberUnits>)),
        op("PUT", "/api/referral-units", "Change the member units", Body::Json(schema::<shared::referrals::MemberUnits>), 200, Answer::Json(schema::<shared::referrals::MemberUnits>)),
        op("POST", "/api/referrals", "Raise a referral", Body::Json(schema::<shared::referrals::RaiseReferral>), 201, Answer::Json(schema::<shared::referrals::Referral>)),
        with_query(op("GET", "/api/referrals", "The reader's referrals (audited)", NoBody, 200, Answer::Json(schema::<Vec<shared::referrals::ReferralRow>>)), schema::<query_args::ReferralListArgs>),
        with_query(op("GET", "/api/referrals/report", "The monthly referral report", NoBody, 200, Answer::Json(schema::<shared::referrals::ReferralReport>)), schema::<query_args::ReferralReportArgs>),
        with_query(op("GET", "/api/referrals/report/export", "The monthly referral report as CSV or XLSX", NoBody, 200, Answer::Spreadsheet), schema::<query_args::ReferralReportArgs>),
        op("GET", "/api/referrals/{id}", "One referral (audited)", NoBody, 200, Answer::Json(schema::<shared::referrals::Referral>)),
        op("POST", "/api/referrals/{id}/triage", "The office assigns, answers or declines", Body::Json(schema::<shared::referrals::Triage>), 200, Answer::Json(schema::<shared::referrals::Referral>)),
        op("POST", "/api/referrals/{id}/unit", "A unit takes, returns, updates or resolves", Body::Json(schema::<shared::referrals::UnitAction>), 200, Answer::Json(schema::<shared::referrals::Referral>)),
        op("POST", "/api/referrals/{id}/review", "The office confirms closure or reopens", Body::Json(schema::<shared::referrals::OfficeReview>), 200, Answer::Json(schema::<shared::referrals::Referral>)),
        op("GET", "/api/cases/{id}/visits", "The group's view of the child's visits (audited)", NoBody, 200, Answer::Json(schema::<Vec<shared::visits::VisitSummary>>)),
        op("GET", "/api/children/{id}/visits", "A child's visits, newest first (audited)", NoBody, 200, Answer::Json(schema::<Vec<shared::visits::VisitRecord>>)),
        with_query(op("GET", "/api/visits/plan", "Visits due (audited)", NoBody, 200, Answer::Json(schema::<shared::visits::VisitPlan>)), schema::<query_args::VisitPlanArgs>),
        op("POST", "/api/visits", "Record a visit (idempotent by client_id)", Body::Json(schema::<shared::visits::VisitInput>), 201, Answer::Json(schema::<shared::visits::VisitSaved>)),
        with_query(op("GET", "/api/visits/compliance", "Visit compliance by street, village and director (audited)", NoBody, 200, Answer::Json(schema::<shared::visits::Compliance>)), schema::<query_args::ComplianceArgs>),
        with_query(op("GET", "/api/visits/compliance/export", "Visit compliance as CSV or XLSX", NoBody, 200, Answer::Spreadsheet), schema::<query_args::ComplianceArgs>),
        op("GET", "/api/visits/{id}", "One visit (audited)", NoBody, 200, Answer::Json(schema::<shared::visits::VisitRecord>)),
        op("GET", "/api/settings/visits", "Visit intervals and the working-day calendar", NoBody, 200, Answer::Json(schema::<shared::visits::VisitSettings>)),
        op("PUT", "/api/settings/visits", "Change the visit settings", Body::Json(schema::<shared::visits::VisitSettings>), 200, Answer::Json(schema::<shared::visits::VisitSettings>)),
        op("POST", "/api/cases/{id}/members", "Add a member", Body::Json(schema::<AddMemberRequest>), 200, Answer::Json(schema::<CaseView>)),
        op("POST", "/api/cases/{id}/members/{user_id}/remove", "Remove a member", NoBody, 200, Answer::Json(schema::<CaseView>)),
        op("PUT", "/api/cases/{id}/plan", "Save the plan (409 from a stale version)", Body::Json(schema::<SavePlanRequest>), 200, Answer::Json(schema::<PlanVersion>)),
        op("GET", "/api/cases/{id}/plan/versions", "Every plan version with its changes", NoBody, 200, Answer::Json(schema::<Vec<PlanVersion>>)),
        op("POST", "/api/cases/{id}/notes", "Add a note (append-only)", Body::Json(schema::<NoteRequest>), 201, Answer::Json(schema::<Note>)),
        op("POST", "/api/cases/{id}/crises", "Raise a crisis flag", Body::Json(schema::<RaiseCrisisRequest>), 201, Answer::Json(schema::<Crisis>)),
        op("POST", "/api/cases/{id}/crises/{crisis_id}/close", "Close a crisis flag with what was done", Body::Json(schema::<CloseCrisisRequest>), 200, Answer::Json(schema::<Crisis>)),
        op("GET", "/api/crises", "Open crisis flags", NoBody, 200, Answer::Json(schema::<Vec<Crisis>>)),
        op("GET", "/api/volunteers", "Volunteer profiles with vetting and capacity", NoBody, 200, Answer::Json(schema::<Vec<VolunteerProfile>>)),
        op("POST", "/api/volunteers/{id}/vetting", "Approve (with background check), reject, suspend or reinstate", Body::Json(schema::<VettingRequest>), 200, Answer::Json(schema::<VolunteerProfile>)),
        op("GET", "/api/me/profile", "My volunteer profile", NoBody, 200, Answer::Json(schema::<VolunteerProfile>)),
        op("PUT", "/api/me/profile", "Edit my skills, interests and availability", Body::Json(schema::<ProfileInput>), 200, Answer::Json(schema::<VolunteerProfile>)),
        op("GET", "/api/pairings/board", "Pairing board: coverage gap, proposals, active, overdue, flagged", NoBody, 200, Answer::Json(schema::<PairingBoard>)),
        with_query(op("GET", "/api/pairings/suggestions", "Suggested volunteers for a child, with reasons", NoBody, 200, Answer::Json(schema::<Vec<Suggestion>>)), schema::<super::routes::pairings::SuggestionArgs>),
        op("POST", "/api/pairings", "Propose a pairing", Body::Json(schema::<ProposePairingRequest>), 201, Answer::Json(schema::<Pairing>)),
        op("GET", "/api/pairings/{id}", "A pairing with its contact log", NoBody, 200, Answer::Json(schema::<PairingDetail>)),
        op("POST", "/api/pairings/{id}/activate", "Activate a proposal", NoBody, 200, Answer::Json(schema::<Pairing>)),
        op("POST", "/api/pairings/{id}/cancel", "Cancel a proposal", NoBody, 200, Answer::Json(schema::<Pairing>)),
        op("POST", "/api/pairings/{id}/end", "End a pairing, with the reason", Body::Json(schema::<EndPairingRequest>), 200, Answer::Json(schema::<Pairing>)),
        op("GET", "/api/children/{id}/pairings", "A child's pairing history", NoBody, 200, Answer::Json(schema::<Vec<Pairing>>)),
        op("GET", "/api/me/pairings", "My paired children (limited profile) and contacts", NoBody, 200, Answer::Json(schema::<Vec<MyPairing>>)),
        op("POST", "/api/me/pairings/{id}/contacts", "Log a contact", Body::Json(schema::<ContactRequest>), 201, Answer::Json(schema::<Contact>)),
    ]
}

fn binary(types: &[&str]) -> Value {
    let content: Map<String, Value> = types
        .iter()
        .map(|mime| {
            (
                mime.to_string(),
                json!({"schema": {"type": "string", "format": "binary"}}),
            )
        })
        .collect();
    Value::Object(content)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn build() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let catalog = super::catalog();
    let error = serde_json::to_value(schema::<ApiErrorBody>(&mut generator)).unwrap_or_default();
    let mut paths = Map::new();
    for operation in operations() {
        let access = catalog
            .iter()
            .find(|spec| spec.method.as_str() == operation.method && spec.path == operation.path)
            .map(|spec| spec.access)
            .unwrap_or(Access::Public);
        let mut parameters: Vec<Value> = operation
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                json!({"name": name, "in": "path", "required": true,
                               "schema": {"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$"}})
            })
            .collect();
        if let Some(query) = operation.query {
            let query = serde_json::to_value(query(&mut generator)).unwrap_or_default();
            let resolved = match query.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    generator
                        .definitions()
                        .get(name)
                        .cloned()
                        .unwrap_or_default()
                }
                None => query,
            };
            if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    parameters.push(
                        json!({"name": name, "in": "query", "required": false, "schema": property}),
                    );
                }
            }
        }
        let mut entry = json!({
            "summary": operation.summary,
            "operationId": format!("{} {}", operation.method.to_lowercase(), operation.path),
            "parameters": parameters,
            "responses": {"default": {"description": "A refusal or failure, explained in Chinese and English",
                                       "content": {"application/json": {"schema": error}}}},
        });
        let success = match operation.answer {
            Answer::Empty => json!({"description": "Done"}),
            Answer::Json(response) => {
                let response = serde_json::to_value(response(&mut generator)).unwrap_or_default();
                json!({"description": "OK", "content": {"application/json": {"schema": response}}})
            }
            Answer::Spreadsheet => {
                json!({"description": "A file", "content": binary(&["text/csv; charset=utf-8", XLSX])})
            }
            Answer::Calendar => {
                json!({"description": "iCalendar", "content": binary(&["text/calendar; charset=utf-8"])})
            }
        };
        entry["responses"][operation.status.to_string()] = success;
        match operation.body {
            Body::None => {}
            Body::Json(request) => {
                let request = serde_json::to_value(request(&mut generator)).unwrap_or_default();
                entry["requestBody"] =
                    json!({"required": true, "content": {"application/json": {"schema": request}}});
            }
            Body::Spreadsheet => {
                entry["requestBody"] =
                    json!({"required": true, "content": binary(&["text/csv", XLSX])});
            }
        }
        if access != Access::Public {
            entry["security"] = json!([{"session": []}]);
            entry["x-roles"] = match access {
                Access::Roles(roles) => json!(roles),
                _ => json!("any signed-in user"),
            };
        }
        let path = paths
            .entry(operation.path.to_string())
            .or_insert_with(|| json!({}));
        path[operation.method.to_lowercase()] = entry;
    }
    let schemas = serde_json::to_value(generator.take_definitions(true)).unwrap_or_default();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "守望 Shouwang API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Care coordination for rural left-behind children. Errors carry a machine code and messages in Chinese and English."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": super::access::SESSION_COOKIE}}
        }
    })
}

/// Built once, on first use.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}
