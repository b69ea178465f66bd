//! Visits: the register, the lists, the settings and the compliance report.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use shared::calendar::Quarter;
use shared::visits::{Compliance, VisitInput, VisitPlan, VisitRecord, VisitSaved, VisitSettings};

use super::query_args::{ComplianceArgs, VisitPlanArgs};
use super::record_id;
use crate::accounts::CurrentUser;
use crate::http::error::{HttpError, HttpResult};
use crate::http::extract::{ClientSource, JsonBody, QueryArgs};
use crate::visits;
use crate::AppState;

pub(super) async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<VisitPlanArgs>,
) -> HttpResult<Json<VisitPlan>> {
    Ok(Json(
        visits::plan(&state, &user, args.village.as_deref(), source).await?,
    ))
}

/// 201 for a new visit; 200 when the same visit had been stored already.
pub(super) async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(input): JsonBody<VisitInput>,
) -> HttpResult<(StatusCode, Json<VisitSaved>)> {
    let saved = visits::record_visit(&state, &user, &input, source).await?;
    let status = if saved.already_stored {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(saved)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<VisitRecord>> {
    let id = record_id(&id)?;
    Ok(Json(visits::get_visit(&state, &user, id, source).await?))
}

pub(super) async fn of_child(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Vec<VisitRecord>>> {
    let id = record_id(&id)?;
    Ok(Json(visits::child_visits(&state, &user, id, source).await?))
}

pub(super) async fn of_case(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Vec<shared::visits::VisitSummary>>> {
    let id = record_id(&id)?;
    Ok(Json(
        crate::cases::visit_summaries(&state, &user, id, source).await?,
    ))
}

pub(super) async fn settings(State(state): State<AppState>) -> HttpResult<Json<VisitSettings>> {
    Ok(Json(visits::settings(&state).await?))
}

pub(super) async fn set_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(value): JsonBody<VisitSettings>,
) -> HttpResult<Json<VisitSettings>> {
    Ok(Json(
        visits::set_settings(&state, &user, &value, source).await?,
    ))
}

fn quarter_of(state: &AppState, code: Option<&str>) -> Result<Quarter, HttpError> {
    match code {
        None => Ok(Quarter::of(crate::registry::today(state))),
        Some(code) => Quarter::parse(code).ok_or_else(|| {
            HttpError::new(shared::ErrorCode::InvalidBody)
                .with_detail("quarter must look like 2026-Q4")
        }),
    }
}

pub(super) async fn compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ComplianceArgs>,
) -> HttpResult<Json<Compliance>> {
    let quarter = quarter_of(&state, args.quarter.as_deref())?;
    Ok(Json(
        visits::compliance(&state, &user, quarter, source).await?,
    ))
}

pub(super) async fn export_compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ComplianceArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let quarter = quarter_of(&state, args.quarter.as_deref())?;
    let format = super::children::file_format_of(args.format.as_deref())?;
    let bytes = visits::export_compliance(&state, &user, quarter, format, source).await?;
    Ok(super::children::attachment(
        format,
        &format!("visits-{}", quarter.code()),
        bytes,
    ))
}
