//! The children registry's endpoints.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::Json;
use shared::api::Page;
use shared::children::{
    ChildRecord, ChildSummary, ConfirmExitRequest, CreateChildRequest, ImportReport, ReviewItem,
    UpdateChildRequest,
};
use shared::eligibility::CoreDistricts;

use super::query_args::{ChildListArgs, FormatArgs};
use super::record_id;
use crate::accounts::CurrentUser;
use crate::http::error::{HttpError, HttpResult};
use crate::http::extract::{ClientSource, FileUpload, JsonBody, QueryArgs};
use crate::registry::transfer::{self, FileFormat};
use crate::registry::{self, ListQuery};
use crate::AppState;

/// The list a query asks for; a 400 naming every bad filter value.
fn list_query(state: &AppState, args: ChildListArgs) -> HttpResult<ListQuery> {
    let (filter, memberships) = args.filters(registry::today(state))?;
    Ok(ListQuery {
        search: args.q,
        village: args.village.filter(|village| !village.is_empty()),
        filter,
        memberships,
        cursor: args.cursor,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<ChildListArgs>,
) -> HttpResult<Json<Page<ChildSummary>>> {
    let query = list_query(&state, args)?;
    Ok(Json(registry::list(&state, &user, query, source).await?))
}

/// The number the list with these filters holds, without the children (home pages).
pub(super) async fn count(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryArgs(args): QueryArgs<ChildListArgs>,
) -> HttpResult<Json<shared::api::Count>> {
    let query = list_query(&state, args)?;
    let total = registry::count_list(&state, &user, &query).await?;
    Ok(Json(shared::api::Count { total }))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<CreateChildRequest>,
) -> HttpResult<(StatusCode, Json<ChildRecord>)> {
    let record = registry::create(&state, &user, &request.child, source).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
) -> HttpResult<Json<ChildRecord>> {
    let id = record_id(&id)?;
    Ok(Json(registry::get(&state, &user, id, source).await?))
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<UpdateChildRequest>,
) -> HttpResult<Json<ChildRecord>> {
    let id = record_id(&id)?;
    Ok(Json(
        registry::update(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn confirm_exit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ConfirmExitRequest>,
) -> HttpResult<Json<ChildRecord>> {
    let id = record_id(&id)?;
    Ok(Json(
        registry::confirm_exit(&state, &user, id, &request, source).await?,
    ))
}

pub(super) async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
) -> HttpResult<Json<Vec<ReviewItem>>> {
    Ok(Json(registry::review_list(&state, &user, source).await?))
}

fn file_format(args: &FormatArgs) -> HttpResult<FileFormat> {
    file_format_of(args.format.as_deref())
}

pub(super) fn file_format_of(format: Option<&str>) -> HttpResult<FileFormat> {
    match format {
        None | Some("csv") => Ok(FileFormat::Csv),
        Some("xlsx") => Ok(FileFormat::Xlsx),
        Some(_) => {
            Err(HttpError::new(shared::ErrorCode::InvalidBody).with_detail("format is csv or xlsx"))
        }
    }
}

pub(super) fn attachment(format: FileFormat, stem: &str, bytes: Vec<u8>) -> (HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    (headers, bytes)
}

pub(super) async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<FormatArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let format = file_format(&args)?;
    let bytes = transfer::export(&state, &user, format, source).await?;
    let stem = format!("children-{}", registry::today(&state));
    Ok(attachment(format, &stem, bytes))
}

pub(super) async fn template(
    QueryArgs(args): QueryArgs<FormatArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let format = file_format(&args)?;
    Ok(attachment(
        format,
        "children-import-template",
        transfer::template(format)?,
    ))
}

pub(super) async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    upload: FileUpload,
) -> HttpResult<Json<ImportReport>> {
    // Its own task: a browser that gives up (or a closed tab) must not cut an import off
    // between its parts; it finishes, or undoes itself, either way.
    let task = tokio::spawn(async move {
        transfer::import(&state, &user, upload.format, &upload.bytes, source).await
    });
    let report = task.await.map_err(|error| {
        crate::AppError::Unexpected(anyhow::anyhow!("import task failed: {error}"))
    })??;
    Ok(Json(report))
}

pub(super) async fn core_districts(
    State(state): State<AppState>,
) -> HttpResult<Json<CoreDistricts>> {
    Ok(Json(registry::core_districts(&state).await?))
}

pub(super) async fn set_core_districts(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    JsonBody(request): JsonBody<CoreDistricts>,
) -> HttpResult<Json<CoreDistricts>> {
    Ok(Json(
        registry::set_core_districts(&state, &user, &request, source).await?,
    ))
}
