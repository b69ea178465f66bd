//! Referrals: raise, triage, a unit's actions, the office's review, lists and the report.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use shared::referrals::{
    MemberUnits, OfficeReview, RaiseReferral, Referral, ReferralReport, ReferralRow, Triage,
    UnitAction,
};

use super::query_args::{ReferralListArgs, ReferralReportArgs};
use super::record_id;
use crate::accounts::CurrentUser;
use crate::http::error::HttpResult;
use crate::http::extract::{ClientSource, JsonBody, QueryArgs};
use crate::referrals;
use crate::AppState;

pub(super) async fn units(State(state): State<AppState>) -> HttpResult<Json<MemberUnits>> {
    Ok(Json(referrals::member_units(&state).await?))
}

pub(super) async fn set_units(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(value): JsonBody<MemberUnits>,
) -> HttpResult<Json<MemberUnits>> {
    Ok(Json(
        referrals::set_member_units(&state, &user, &value, source).await?,
    ))
}

pub(super) async fn raise(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<RaiseReferral>,
) -> HttpResult<(StatusCode, Json<Referral>)> {
    let referral = referrals::raise(&state, &user, &request, source).await?;
    Ok((StatusCode::CREATED, Json(referral)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ReferralListArgs>,
) -> HttpResult<Json<Vec<ReferralRow>>> {
    Ok(Json(
        referrals::list(
            &state,
            &user,
            args.state,
            args.open.unwrap_or(false),
            source,
        )
        .await?,
    ))
}

pub(super) async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<Referral>> {
    let id = record_id(&id)?;
    Ok(Json(referrals::get(&state, &user, id, source).await?))
}

pub(super) async fn triage(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<Triage>,
) -> HttpResult<Json<Referral>> {
    let id = record_id(&id)?;
    Ok(Json(
        referrals::triage(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn unit_action(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(action): JsonBody<UnitAction>,
) -> HttpResult<Json<Referral>> {
    let id = record_id(&id)?;
    Ok(Json(
        referrals::unit_action(&state, &user, id, &action, source).await?,
    ))
}

pub(super) async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<OfficeReview>,
) -> HttpResult<Json<Referral>> {
    let id = record_id(&id)?;
    Ok(Json(
        referrals::review(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ReferralReportArgs>,
) -> HttpResult<Json<ReferralReport>> {
    Ok(Json(
        referrals::report(&state, &user, args.month.as_deref(), source).await?,
    ))
}

pub(super) async fn export_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ReferralReportArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let format = super::children::file_format_of(args.format.as_deref())?;
    let (month, bytes) =
        referrals::export_report(&state, &user, args.month.as_deref(), format, source).await?;
    Ok(super::children::attachment(
        format,
        &format!("referrals-{month}"),
        bytes,
    ))
}
