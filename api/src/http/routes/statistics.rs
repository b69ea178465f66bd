//! The statistics page's numbers and their export.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use shared::statistics::Statistics;
use shared::{FieldError, Text};

use super::query_args::{self, bad_parameters, StatisticsArgs};
use crate::accounts::CurrentUser;
use crate::http::error::HttpResult;
use crate::http::extract::{ClientSource, QueryArgs};
use crate::registry::transfer::FileFormat;
use crate::statistics::{self, Within};
use crate::AppState;

/// The street or village asked for, checked: a 400 naming every bad parameter.
fn within(args: &StatisticsArgs) -> HttpResult<Within> {
    let street = query_args::street(args.street.as_deref());
    let village = query_args::village(args.village.as_deref());
    match (street, village) {
        (Ok(None), Ok(None)) => Ok(Within::All),
        (Ok(Some(street)), Ok(None)) => Ok(Within::Street(street)),
        (Ok(None), Ok(Some(village))) => Ok(Within::Village(village)),
        (Ok(Some(_)), Ok(Some(_))) => Err(bad_parameters(vec![FieldError::new(
            "village",
            Text::new(
                "请只选择一个街道或一个村(社区)",
                "Choose a street or a village, not both",
            ),
        )])),
        (street, village) => Err(bad_parameters(
            [street.err(), village.err()]
                .into_iter()
                .flatten()
                .collect(),
        )),
    }
}

fn format_of(args: &StatisticsArgs) -> HttpResult<FileFormat> {
    match args.format.as_deref().map(str::trim) {
        None | Some("" | "xlsx") => Ok(FileFormat::Xlsx),
        Some("csv") => Ok(FileFormat::Csv),
        Some(_) => Err(bad_parameters(vec![FieldError::new(
            "format",
            Text::new("格式应为 xlsx 或 csv", "format is xlsx or csv"),
        )])),
    }
}

pub(super) async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryArgs(args): QueryArgs<StatisticsArgs>,
) -> HttpResult<Json<Statistics>> {
    let within = within(&args)?;
    // Boxed: the whole-scope read joins several store futures, too large for a debug stack.
    Ok(Json(
        Box::pin(statistics::statistics(&state, &user, &within)).await?,
    ))
}

pub(super) async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<StatisticsArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    let within = within(&args)?;
    let format = format_of(&args)?;
    let bytes = Box::pin(statistics::export(&state, &user, &within, format, source)).await?;
    let stem = format!("statistics-{}", crate::registry::today(&state));
    Ok(super::children::attachment(format, &stem, bytes))
}
