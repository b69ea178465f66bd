//! Case groups, plans, notes and crisis flags.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::cases::{
    AddMemberRequest, CaseStudent, CaseSummary, CaseView, CloseCrisisRequest, CreateCaseRequest,
    Crisis, Note, NoteRequest, PlanVersion, RaiseCrisisRequest, SavePlanRequest,
};

use super::query_args::PeopleArgs;
use super::record_id;
use crate::accounts::CurrentUser;
use crate::cases;
use crate::http::error::HttpResult;
use crate::http::extract::{ClientSource, JsonBody, QueryArgs};
use crate::AppState;
use shared::api::PersonOption;

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<Json<Vec<CaseSummary>>> {
    Ok(Json(cases::list(&state, &user, source).await?))
}

pub(super) async fn candidates(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<Json<Vec<CaseStudent>>> {
    Ok(Json(cases::candidates(&state, &user, source).await?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<CreateCaseRequest>,
) -> HttpResult<(StatusCode, Json<CaseView>)> {
    record_id(&request.child_id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::create(&state, &user, &request, source).await?),
    ))
}

pub(super) async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<CaseView>> {
    let id = record_id(&id)?;
    Ok(Json(cases::view(&state, &user, id, source).await?))
}

pub(super) async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<AddMemberRequest>,
) -> HttpResult<Json<CaseView>> {
    let id = record_id(&id)?;
    Ok(Json(
        cases::add_member(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn member_candidates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    QueryArgs(args): QueryArgs<PeopleArgs>,
) -> HttpResult<Json<Vec<PersonOption>>> {
    let id = record_id(&id)?;
    Ok(Json(
        cases::member_candidates(&state, &user, id, args.q.as_deref().unwrap_or("")).await?,
    ))
}

pub(super) async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path((id, user_id)): Path<(String, String)>,
) -> HttpResult<Json<CaseView>> {
    let id = record_id(&id)?;
    let user_id = record_id(&user_id)?;
    Ok(Json(
        cases::remove_member(&state, &user, id, user_id, source).await?,
    ))
}

pub(super) async fn save_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<SavePlanRequest>,
) -> HttpResult<Json<PlanVersion>> {
    let id = record_id(&id)?;
    Ok(Json(
        cases::save_plan(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn plan_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Vec<PlanVersion>>> {
    let id = record_id(&id)?;
    Ok(Json(cases::plan_versions(&state, &user, id, source).await?))
}

pub(super) async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<NoteRequest>,
) -> HttpResult<(StatusCode, Json<Note>)> {
    let id = record_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::add_note(&state, &user, id, &request, source).await?),
    ))
}

pub(super) async fn raise_crisis(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<RaiseCrisisRequest>,
) -> HttpResult<(StatusCode, Json<Crisis>)> {
    let id = record_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::raise_crisis(&state, &user, id, &request, source).await?),
    ))
}

pub(super) async fn close_crisis(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path((id, crisis_id)): Path<(String, String)>,
    JsonBody(request): JsonBody<CloseCrisisRequest>,
) -> HttpResult<Json<Crisis>> {
    let id = record_id(&id)?;
    let crisis_id = record_id(&crisis_id)?;
    Ok(Json(
        cases::close_crisis(&state, &user, id, crisis_id, &request, source).await?,
    ))
}

pub(super) async fn open_crises(State(state): State<AppState>) -> HttpResult<Json<Vec<Crisis>>> {
    Ok(Json(cases::open_crises(&state).await?))
}
