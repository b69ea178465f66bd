//! The typed API client: every call takes and returns `shared` types; failures come back as
//! `ApiError`, whose message follows the interface language.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::*;
use shared::{ApiErrorBody, ErrorCode, Lang};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Api(ApiErrorBody),
    Network,
}

impl ApiError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Api(body) => body.code.message(lang).to_string(),
            ApiError::Network => match lang {
                Lang::Zh => "无法连接服务器,请检查网络后重试。".into(),
                Lang::En => "Cannot reach the server; check the connection and try again.".into(),
            },
        }
    }

    pub fn field_errors(&self) -> Vec<shared::FieldError> {
        match self {
            ApiError::Api(body) => body.fields.clone(),
            ApiError::Network => Vec::new(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiError::Network)
    } else {
        match response.json::<ApiErrorBody>().await {
            Ok(body) => Err(ApiError::Api(body)),
            Err(_) => Err(ApiError::Api(ApiErrorBody::new(ErrorCode::Internal))),
        }
    }
}

async fn decode_empty(response: Response) -> ApiResult<()> {
    if response.ok() {
        Ok(())
    } else {
        decode::<serde_json::Value>(response).await.map(|_| ())
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

fn post_json<B: Serialize>(path: &str, body: &B) -> ApiResult<Request> {
    RequestBuilder::new(path)
        .method(gloo_net::http::Method::POST)
        .json(body)
        .map_err(|_| ApiError::Network)
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let response = post_json(path, body)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn post_empty<B: Serialize>(path: &str, body: &B) -> ApiResult<()> {
    let response = post_json(path, body)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode_empty(response).await
}

fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(name, value)| value.map(|value| format!("{name}={}", js_sys_encode(value))))
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

fn js_sys_encode(value: &str) -> String {
    String::from(web_sys::js_sys::encode_uri_component(value))
}

pub async fn me() -> ApiResult<Me> {
    get("/api/auth/me").await
}

pub async fn login(request: &LoginRequest) -> ApiResult<Me> {
    post("/api/auth/login", request).await
}

pub async fn logout() -> ApiResult<()> {
    post_empty("/api/auth/logout", &serde_json::json!({})).await
}

pub async fn change_password(request: &ChangePasswordRequest) -> ApiResult<()> {
    post_empty("/api/auth/password", request).await
}

pub async fn activate(request: &ActivateRequest) -> ApiResult<ActivateResponse> {
    post("/api/auth/activate", request).await
}

pub async fn register(request: &RegisterVolunteerRequest) -> ApiResult<UserSummary> {
    post("/api/auth/register", request).await
}

pub async fn users(
    status: Option<UserStatus>,
    cursor: Option<String>,
) -> ApiResult<Page<UserSummary>> {
    get(&format!(
        "/api/users{}",
        query(&[
            ("status", status.map(UserStatus::as_str)),
            ("cursor", cursor.as_deref())
        ])
    ))
    .await
}

pub async fn create_user(request: &CreateUserRequest) -> ApiResult<CreateUserResponse> {
    post("/api/users", request).await
}

pub async fn approve_user(id: &str) -> ApiResult<UserSummary> {
    post(&format!("/api/users/{id}/approve"), &serde_json::json!({})).await
}

pub async fn disable_user(id: &str) -> ApiResult<UserSummary> {
    post(&format!("/api/users/{id}/disable"), &serde_json::json!({})).await
}

pub async fn audit(month: Option<String>, cursor: Option<String>) -> ApiResult<Page<AuditEntry>> {
    get(&format!(
        "/api/audit{}",
        query(&[("month", month.as_deref()), ("cursor", cursor.as_deref())])
    ))
    .await
}

pub async fn villages() -> ApiResult<Vec<VillageOption>> {
    get("/api/divisions/villages").await
}
