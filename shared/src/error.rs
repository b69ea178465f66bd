use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};

/// Every error the API can answer with. The browser shows `message(lang)` for the code, so the
/// wording lives here once and both sides agree on it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedJson,
    InvalidBody,
    InvalidInput,
    BodyTooLarge,
    UnsupportedMediaType,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    InvalidCredentials,
    AccountLocked,
    AccountPending,
    AccountDisabled,
    InviteInvalid,
    UsernameTaken,
    Conflict,
    StoreUnavailable,
    /// The store stayed busy (throttled or in conflict) past the retry budget.
    Busy,
    Internal,
}

impl ErrorCode {
    pub fn text(self) -> Text {
        match self {
            ErrorCode::MalformedJson => Text::new(
                "请求内容不是有效的 JSON,请检查后重试。",
                "The request body is not valid JSON; check it and try again.",
            ),
            ErrorCode::InvalidBody => Text::new(
                "请求内容的字段或类型不正确。",
                "The request body has a wrong or unknown field, or a value of the wrong type.",
            ),
            ErrorCode::InvalidInput => Text::new(
                "有填写不正确的内容,请按提示修改。",
                "Some values are not valid; correct them as shown.",
            ),
            ErrorCode::BodyTooLarge => Text::new(
                "提交的内容过大,请缩短后重试。",
                "The request is too large; shorten it and try again.",
            ),
            ErrorCode::UnsupportedMediaType => Text::new(
                "请求必须以 JSON 格式(Content-Type: application/json)提交。",
                "Send the request as JSON (Content-Type: application/json).",
            ),
            ErrorCode::Unauthenticated => Text::new(
                "请先登录,或登录已过期,请重新登录。",
                "Please sign in; your session is missing or has expired.",
            ),
            ErrorCode::Forbidden => Text::new(
                "您的角色无权进行此操作。",
                "Your role is not allowed to do this.",
            ),
            ErrorCode::NotFound => Text::new(
                "找不到该内容,或您无权查看。",
                "Not found, or you are not allowed to see it.",
            ),
            ErrorCode::MethodNotAllowed => Text::new(
                "该地址不支持此请求方式。",
                "This address does not accept that request method.",
            ),
            ErrorCode::InvalidCredentials => Text::new(
                "用户名或密码错误。连续错误 5 次账号将被临时锁定。",
                "Wrong username or password. Five failures in a row lock the account for a while.",
            ),
            ErrorCode::AccountLocked => Text::new(
                "登录失败次数过多,账号已临时锁定,请 15 分钟后再试或联系管理员。",
                "Too many failed sign-ins: the account is locked. Try again in 15 minutes or ask an administrator.",
            ),
            ErrorCode::AccountPending => Text::new(
                "您的注册正在等待未保办审核,审核通过后即可登录。",
                "Your registration is waiting for an administrator's approval; you can sign in once approved.",
            ),
            ErrorCode::AccountDisabled => Text::new(
                "该账号已停用,请联系管理员。",
                "This account is disabled; contact an administrator.",
            ),
            ErrorCode::InviteInvalid => Text::new(
                "邀请码无效、已使用或已过期,请向管理员索取新的邀请码。",
                "The invite code is wrong, already used or expired; ask an administrator for a new one.",
            ),
            ErrorCode::UsernameTaken => Text::new(
                "该用户名已被使用,请换一个。",
                "That username is taken; choose another.",
            ),
            ErrorCode::Conflict => Text::new(
                "该内容已被他人修改,请刷新后重试。",
                "Someone else changed this in the meantime; reload and try again.",
            ),
            ErrorCode::StoreUnavailable => Text::new(
                "数据存储暂时不可用,请稍后再试。",
                "The data store is unavailable; try again shortly.",
            ),
            ErrorCode::Busy => Text::new(
                "系统繁忙,请稍候几秒再试。",
                "The system is busy; try again in a few seconds.",
            ),
            ErrorCode::Internal => Text::new(
                "服务器内部错误,请稍后再试。",
                "Something went wrong on the server; try again shortly.",
            ),
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        self.text().get(lang)
    }
}

/// One invalid field, with the reason in both languages.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, text: Text) -> Self {
        Self {
            field: field.to_string(),
            message: text.zh.to_string(),
            message_en: text.en.to_string(),
        }
    }

    pub fn new_owned(field: &str, zh: String, en: String) -> Self {
        Self {
            field: field.to_string(),
            message: zh,
            message_en: en,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

/// The JSON body of every error response.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    /// Chinese message, for a person.
    pub message: String,
    /// English message, for a person.
    pub message_en: String,
    /// Which fields were wrong, when the request was refused for its values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Problems by row and column, when a file was refused (imports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<crate::children::ImportError>,
    /// Technical detail safe to show (e.g. the JSON parser's position); never personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode) -> Self {
        let text = code.text();
        Self {
            code,
            message: text.zh.to_string(),
            message_en: text.en.to_string(),
            fields: Vec::new(),
            rows: Vec::new(),
            detail: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_snake_case_and_every_code_has_both_languages() {
        assert_eq!(
            serde_json::to_string(&ErrorCode::AccountLocked).unwrap(),
            "\"account_locked\""
        );
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::InvalidCredentials,
            ErrorCode::Internal,
        ] {
            assert!(!code.message(Lang::Zh).is_empty());
            assert!(code.message(Lang::En).is_ascii());
        }
    }
}
