use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use shared::ErrorCode;

use super::error::HttpError;
use crate::accounts::CurrentUser;

/// A JSON body whose failures are answered in the API's own error format: 415 without a JSON
/// content type, 413 over the body limit, 400 for malformed JSON or unknown/mistyped fields.
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(HttpError::new(ErrorCode::UnsupportedMediaType));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::new(ErrorCode::BodyTooLarge)
                } else {
                    HttpError::new(ErrorCode::MalformedJson).with_detail(rejection.body_text())
                }
            })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|error| match error.classify() {
                serde_json::error::Category::Data => {
                    HttpError::new(ErrorCode::InvalidBody).with_detail(error.to_string())
                }
                _ => HttpError::new(ErrorCode::MalformedJson).with_detail(error.to_string()),
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The guard inserts the user; a handler reached without it is behind a public route,
        // which must not ask for a user.
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| HttpError::new(ErrorCode::Unauthenticated))
    }
}

/// The client's address as the entry point saw it (socket peer locally, API Gateway's source IP
/// on Lambda), recorded in the audit log.
#[derive(Debug, Clone)]
pub struct ClientSource(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientSource {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientSource>()
            .cloned()
            .unwrap_or(ClientSource(None)))
    }
}

/// Query-string arguments, refused in the API's error format when they do not parse.
pub struct QueryArgs<T>(pub T);

impl<T, S> FromRequestParts<S> for QueryArgs<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| QueryArgs(value))
            .map_err(|rejection| {
                HttpError::new(ErrorCode::InvalidBody).with_detail(rejection.body_text())
            })
    }
}

/// An uploaded spreadsheet (CSV or XLSX), sent as the raw request body with its content type.
pub struct FileUpload {
    pub format: crate::registry::transfer::FileFormat,
    pub bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for FileUpload {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use crate::registry::transfer::{FileFormat, XLSX_MIME};
        let mime = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(|mime| mime.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let format = match mime.as_str() {
            "text/csv" => FileFormat::Csv,
            m if m == XLSX_MIME => FileFormat::Xlsx,
            _ => {
                return Err(HttpError::new(ErrorCode::UnsupportedMediaType)
                    .with_detail("send text/csv or an .xlsx spreadsheet"))
            }
        };
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::new(ErrorCode::BodyTooLarge)
                } else {
                    HttpError::new(ErrorCode::InvalidBody).with_detail(rejection.body_text())
                }
            })?;
        Ok(FileUpload { format, bytes })
    }
}
