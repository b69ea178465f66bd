//! Volunteers, vetting, pairings and contacts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use shared::pairings::{
    Contact, ContactRequest, EndPairingRequest, MyPairing, Pairing, PairingBoard, PairingDetail,
    ProfileInput, ProposePairingRequest, Suggestion, VettingRequest, VolunteerProfile,
};

use super::record_id;
use crate::accounts::CurrentUser;
use crate::http::error::HttpResult;
use crate::http::extract::{ClientSource, JsonBody, QueryArgs};
use crate::pairings;
use crate::AppState;

pub(super) async fn volunteers(
    State(state): State<AppState>,
) -> HttpResult<Json<Vec<VolunteerProfile>>> {
    Ok(Json(pairings::volunteers(&state).await?))
}

pub(super) async fn vet(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<VettingRequest>,
) -> HttpResult<Json<VolunteerProfile>> {
    let id = record_id(&id)?;
    Ok(Json(
        pairings::vet(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn my_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> HttpResult<Json<VolunteerProfile>> {
    Ok(Json(pairings::my_profile(&state, &user).await?))
}

pub(super) async fn update_my_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(input): JsonBody<ProfileInput>,
) -> HttpResult<Json<VolunteerProfile>> {
    Ok(Json(
        pairings::update_my_profile(&state, &user, &input).await?,
    ))
}

pub(super) async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<Json<PairingBoard>> {
    Ok(Json(pairings::board(&state, &user, source).await?))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionArgs {
    pub child_id: String,
}

pub(super) async fn suggestions(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<SuggestionArgs>,
) -> HttpResult<Json<Vec<Suggestion>>> {
    let id = record_id(&args.child_id)?;
    Ok(Json(
        pairings::suggestions(&state, &user, id, source).await?,
    ))
}

pub(super) async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<ProposePairingRequest>,
) -> HttpResult<(StatusCode, Json<Pairing>)> {
    record_id(&request.child_id)?;
    record_id(&request.volunteer_id)?;
    Ok((
        StatusCode::CREATED,
        Json(pairings::propose(&state, &user, &request, source).await?),
    ))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<PairingDetail>> {
    let id = record_id(&id)?;
    Ok(Json(pairings::detail(&state, &user, id, source).await?))
}

pub(super) async fn activate(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Pairing>> {
    let id = record_id(&id)?;
    Ok(Json(pairings::activate(&state, &user, id, source).await?))
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Pairing>> {
    let id = record_id(&id)?;
    Ok(Json(pairings::cancel(&state, &user, id, source).await?))
}

pub(super) async fn end(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<EndPairingRequest>,
) -> HttpResult<Json<Pairing>> {
    let id = record_id(&id)?;
    Ok(Json(
        pairings::end(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn child_history(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Vec<Pairing>>> {
    let id = record_id(&id)?;
    Ok(Json(
        pairings::child_history(&state, &user, id, source).await?,
    ))
}

pub(super) async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<Json<Vec<MyPairing>>> {
    Ok(Json(pairings::mine(&state, &user, source).await?))
}

pub(super) async fn log_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ContactRequest>,
) -> HttpResult<(StatusCode, Json<Contact>)> {
    let id = record_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(pairings::log_contact_from(&state, &user, id, &request, source).await?),
    ))
}
