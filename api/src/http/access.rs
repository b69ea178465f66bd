use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::Role;

use super::error::HttpError;
use crate::accounts::{self, CurrentUser};
use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "shouwang_session";

/// Who may call an endpoint. There is no default: every route states one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (health, sign-in, invite activation, volunteer sign-up).
    Public,
    /// Any signed-in user.
    AnyUser,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn admits(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::AnyUser, Some(_)) => true,
            (Access::Roles(roles), Some(role)) => roles.contains(&role),
        }
    }
}

/// One row of the endpoint catalogue.
#[derive(Debug, Clone)]
pub struct EndpointSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

pub(crate) fn session_token(request: &Request) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

/// Runs before every non-public handler: finds the session, checks the role, and hands the
/// user to the handler. 401 without a valid session, 403 for a role the endpoint does not admit.
pub(crate) async fn guard(access: Access, mut request: Request, next: Next) -> Response {
    if access == Access::Public {
        return next.run(request).await;
    }
    let Some(state) = request.extensions().get::<AppState>().cloned() else {
        return HttpError::new(shared::ErrorCode::Internal).into_response();
    };
    let token = session_token(&request);
    let user: Result<CurrentUser, AppError> = async {
        let token = token.ok_or(AppError::Unauthenticated)?;
        let user = accounts::session_for_token(&state, &token)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !access.admits(Some(user.role)) {
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }
    .await;
    match user {
        Ok(user) => {
            request.extensions_mut().insert(user);
            next.run(request).await
        }
        Err(error) => HttpError::from(error).into_response(),
    }
}
