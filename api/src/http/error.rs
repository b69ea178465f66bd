//! The one place where failures become HTTP status codes and bilingual JSON bodies.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::{ApiErrorBody, ErrorCode};

use crate::AppError;

#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    /// Boxed: errors travel through every `Result` of the HTTP layer and should stay small.
    pub body: Box<ApiErrorBody>,
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::MalformedJson | ErrorCode::InvalidBody => StatusCode::BAD_REQUEST,
        ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::AccountPending | ErrorCode::AccountDisabled => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::AccountLocked => StatusCode::LOCKED,
        ErrorCode::InviteInvalid => StatusCode::BAD_REQUEST,
        ErrorCode::UsernameTaken | ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::StoreUnavailable | ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl HttpError {
    pub fn new(code: ErrorCode) -> Self {
        Self {
            status: status_of(code),
            body: Box::new(ApiErrorBody::new(code)),
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.body.detail = Some(detail.into());
        self
    }
}

impl From<AppError> for HttpError {
    fn from(error: AppError) -> Self {
        let code = error.code();
        if matches!(
            code,
            ErrorCode::Internal | ErrorCode::StoreUnavailable | ErrorCode::Busy
        ) {
            // Error text only: store errors carry codes and messages, never request bodies.
            tracing::error!(error = %error, "request failed");
        }
        let mut http = HttpError::new(code);
        match error {
            AppError::Invalid(fields) => http.body.fields = fields,
            AppError::InvalidRows(rows) => http.body.rows = rows,
            _ => {}
        }
        http
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(*self.body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(crate::store::retry::RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

pub type HttpResult<T> = Result<T, HttpError>;
