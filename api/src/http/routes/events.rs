//! Sites, events, sign-ups, check-in, hours, calendars and notifications.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::Json;
use shared::events::{
    CheckInRequest, ChildSignupRequest, CorrectHoursRequest, CreateEventRequest, EventRecord,
    MyEvent, MyHours, Notification, OrganisationHours, Roster, SignupRecord, Site, SiteInput,
    UpdateEventRequest,
};

use super::query_args::{EventListArgs, FormatArgs, YearArgs};
use super::record_id;
use crate::accounts::CurrentUser;
use crate::activities::{self, calendar, EventFilter};
use crate::http::error::{HttpError, HttpResult};
use crate::http::extract::{ClientSource, JsonBody, QueryArgs};
use crate::registry::transfer::{self, FileFormat};
use crate::AppState;

pub(super) async fn sites(State(state): State<AppState>) -> HttpResult<Json<Vec<Site>>> {
    Ok(Json(activities::list_sites(&state).await?))
}

pub(super) async fn create_site(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(input): JsonBody<SiteInput>,
) -> HttpResult<(axum::http::StatusCode, Json<Site>)> {
    let site = activities::save_site(&state, &user, None, &input, source).await?;
    Ok((axum::http::StatusCode::CREATED, Json(site)))
}

pub(super) async fn update_site(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<SiteInput>,
) -> HttpResult<Json<Site>> {
    let id = record_id(&id)?;
    Ok(Json(
        activities::save_site(&state, &user, Some(id), &input, source).await?,
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryArgs(args): QueryArgs<EventListArgs>,
) -> HttpResult<Json<Vec<EventRecord>>> {
    let filter = EventFilter {
        event_type: args.event_type,
        street: args.street.filter(|street| !street.is_empty()),
        from: args.from,
        to: args.to,
    };
    Ok(Json(activities::list_events(&state, &user, &filter).await?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<CreateEventRequest>,
) -> HttpResult<(axum::http::StatusCode, Json<EventRecord>)> {
    let event = activities::create_event(&state, &user, &request.event, source).await?;
    Ok((axum::http::StatusCode::CREATED, Json(event)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HttpResult<Json<EventRecord>> {
    let id = record_id(&id)?;
    Ok(Json(activities::get_event(&state, &user, id).await?))
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<UpdateEventRequest>,
) -> HttpResult<Json<EventRecord>> {
    let id = record_id(&id)?;
    Ok(Json(
        activities::update_event(&state, &user, id, request.version, &request.event, source)
            .await?,
    ))
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<shared::events::CancelEventRequest>,
) -> HttpResult<Json<EventRecord>> {
    let id = record_id(&id)?;
    Ok(Json(
        activities::cancel_event(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn sign_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    Ok(Json(activities::volunteer_signup(&state, &user, id).await?))
}

pub(super) async fn cancel_sign_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    Ok(Json(activities::volunteer_cancel(&state, &user, id).await?))
}

pub(super) async fn sign_up_child(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ChildSignupRequest>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    let child_id = record_id(&request.child_id)?;
    Ok(Json(
        activities::child_signup(&state, &user, id, child_id, source).await?,
    ))
}

pub(super) async fn cancel_child(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path((id, child_id)): Path<(String, String)>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    let child_id = record_id(&child_id)?;
    Ok(Json(
        activities::child_cancel(&state, &user, id, child_id, source).await?,
    ))
}

pub(super) async fn roster(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Roster>> {
    let id = record_id(&id)?;
    Ok(Json(activities::roster(&state, &user, id, source).await?))
}

fn download(content_type: &str, filename: &str, bytes: Vec<u8>) -> (HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    (headers, bytes)
}

pub(super) async fn export_roster(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    QueryArgs(args): QueryArgs<FormatArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let id = record_id(&id)?;
    let format = match args.format.as_deref() {
        None | Some("csv") => FileFormat::Csv,
        Some("xlsx") => FileFormat::Xlsx,
        Some(_) => {
            return Err(
                HttpError::new(shared::ErrorCode::InvalidBody).with_detail("format is csv or xlsx")
            )
        }
    };
    let roster = activities::roster(&state, &user, id, source).await?;
    let rows: Vec<Vec<String>> = roster
        .signups
        .iter()
        .map(|signup| {
            vec![
                signup.kind.label().zh.to_string(),
                signup.name.clone(),
                signup.status.label().zh.to_string(),
                signup.position.map(|p| p.to_string()).unwrap_or_default(),
                signup
                    .attendance
                    .map(|a| a.label().zh.to_string())
                    .unwrap_or_default(),
                signup.minutes.map(|m| m.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let headers = ["类型", "姓名", "状态", "候补顺序", "签到", "志愿时长(分钟)"];
    let bytes = transfer::write_table(format, "名单", &headers, &rows)?;
    Ok(download(
        format.content_type(),
        &format!("roster-{id}.{}", format.extension()),
        bytes,
    ))
}

pub(super) async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<CheckInRequest>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    record_id(&request.person_id)?;
    Ok(Json(
        activities::check_in(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn correct_hours(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<CorrectHoursRequest>,
) -> HttpResult<Json<SignupRecord>> {
    let id = record_id(&id)?;
    record_id(&request.person_id)?;
    Ok(Json(
        activities::correct_hours(&state, &user, id, &request, source).await?,
    ))
}

const ICS: &str = "text/calendar; charset=utf-8";

pub(super) async fn event_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let id = record_id(&id)?;
    let event = activities::get_event(&state, &user, id).await?;
    let text = calendar::ics(std::slice::from_ref(&event), &event.event.title);
    Ok(download(ICS, &format!("event-{id}.ics"), text.into_bytes()))
}

pub(super) async fn my_events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HttpResult<Json<Vec<MyEvent>>> {
    Ok(Json(activities::my_events(&state, &user).await?))
}

pub(super) async fn my_hours(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HttpResult<Json<MyHours>> {
    Ok(Json(activities::my_hours(&state, &user).await?))
}

pub(super) async fn my_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let events: Vec<EventRecord> = activities::my_events(&state, &user)
        .await?
        .into_iter()
        .filter(|mine| mine.signup.status != shared::events::SignupStatus::Cancelled)
        .map(|mine| mine.event)
        .collect();
    let text = calendar::ics(&events, "守望 · 我的活动");
    Ok(download(ICS, "my-events.ics", text.into_bytes()))
}

pub(super) async fn organisation_hours(
    State(state): State<AppState>,
    QueryArgs(args): QueryArgs<YearArgs>,
) -> HttpResult<Json<Vec<OrganisationHours>>> {
    Ok(Json(
        activities::organisation_hours(&state, args.year).await?,
    ))
}

pub(super) async fn notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HttpResult<Json<Vec<Notification>>> {
    Ok(Json(activities::notifications(&state, &user).await?))
}
