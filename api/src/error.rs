use shared::{ErrorCode, FieldError};

use crate::store::StoreError;

/// Everything a request can fail with, independent of HTTP. `http::error` is the one place
/// that turns these into status codes and bilingual bodies.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the request's values are invalid")]
    Invalid(Vec<FieldError>),
    #[error("rows of an uploaded file are invalid")]
    InvalidRows(Vec<shared::children::ImportError>),
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("account locked after repeated failures")]
    AccountLocked,
    #[error("account awaits approval")]
    AccountPending,
    #[error("account disabled")]
    AccountDisabled,
    #[error("invite code unknown, used or expired")]
    InviteInvalid,
    #[error("username taken")]
    UsernameTaken,
    #[error("not signed in")]
    Unauthenticated,
    #[error("role not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("changed concurrently")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Invalid(_) | AppError::InvalidRows(_) => ErrorCode::InvalidInput,
            AppError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AppError::AccountLocked => ErrorCode::AccountLocked,
            AppError::AccountPending => ErrorCode::AccountPending,
            AppError::AccountDisabled => ErrorCode::AccountDisabled,
            AppError::InviteInvalid => ErrorCode::InviteInvalid,
            AppError::UsernameTaken => ErrorCode::UsernameTaken,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::Conflict => ErrorCode::Conflict,
            AppError::Store(StoreError::Unavailable(_)) => ErrorCode::StoreUnavailable,
            AppError::Store(StoreError::Busy(_)) => ErrorCode::Busy,
            AppError::Store(StoreError::TooLarge) => ErrorCode::BodyTooLarge,
            AppError::Store(_) | AppError::Unexpected(_) => ErrorCode::Internal,
        }
    }
}
