//! The per-village roster (花名册) download.

use axum::extract::State;
use axum::http::HeaderMap;
use schemars::JsonSchema;
use serde::Deserialize;
use shared::{ErrorCode, FieldError, Text};

use super::children::attachment;
use crate::accounts::CurrentUser;
use crate::http::error::{HttpError, HttpResult};
use crate::http::extract::{ClientSource, QueryArgs};
use crate::registry::transfer::{self, FileFormat};
use crate::AppState;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterArgs {
    /// `xlsx`, the default and the only format: the roster has a sheet per village.
    pub format: Option<String>,
    /// A village or community code of the district; every village when absent.
    pub village: Option<String>,
}

pub(super) async fn roster(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientSource(source): ClientSource,
    QueryArgs(args): QueryArgs<RosterArgs>,
) -> HttpResult<(HeaderMap, Vec<u8>)> {
    if !matches!(args.format.as_deref(), None | Some("xlsx")) {
        return Err(HttpError::new(ErrorCode::InvalidBody)
            .with_detail("format is xlsx: the roster has a sheet per village"));
    }
    let village = args
        .village
        .map(|code| code.trim().to_string())
        .filter(|code| !code.is_empty());
    if let Some(code) = village.as_deref() {
        if !shared::divisions::is_village(code) {
            let mut error = HttpError::new(ErrorCode::InvalidBody);
            error.body.fields = vec![FieldError::new(
                "village",
                Text::new(
                    "本区没有这个村(社区),请从列表中选择",
                    "No such village or community in this district; choose one from the list",
                ),
            )];
            return Err(error);
        }
    }
    let bytes = transfer::roster(&state, &user, village.as_deref(), source).await?;
    let today = crate::registry::today(&state);
    let stem = match &village {
        Some(code) => format!("roster-{code}-{today}"),
        None => format!("roster-{today}"),
    };
    Ok(attachment(FileFormat::Xlsx, &stem, bytes))
}
