//! JSON shapes of the API. Requests refuse unknown fields, so a typo is an error, not a silent
//! no-op.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Text;
use crate::role::{Role, Scope};
use crate::validate::{self, Checker, Password, PersonName, Phone, Username, Validate};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    pub status: String,
    pub store: String,
    pub version: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl Validate for LoginRequest {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        if self.username.trim().is_empty() {
            checker.check::<()>(Err(FieldError::new(
                "username",
                Text::new("请填写用户名", "Username is required"),
            )));
        }
        if self.password.is_empty() {
            checker.check::<()>(Err(FieldError::new(
                "password",
                Text::new("请填写密码", "Password is required"),
            )));
        }
        checker.finish()
    }
}

/// The signed-in user, as the browser needs to know them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<crate::events::Organisation>,
    pub session_expires_at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Created by an admin; waits for the person to set a password with their invite code.
    Invited,
    /// A volunteer who registered themselves; waits for an admin's approval.
    Pending,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Pending => "pending",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            UserStatus::Invited,
            UserStatus::Pending,
            UserStatus::Active,
            UserStatus::Disabled,
        ]
        .into_iter()
        .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> Text {
        match self {
            UserStatus::Invited => Text::new("待激活", "Invited"),
            UserStatus::Pending => Text::new("待审核", "Awaiting approval"),
            UserStatus::Active => Text::new("正常", "Active"),
            UserStatus::Disabled => Text::new("已停用", "Disabled"),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub status: UserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<crate::events::Organisation>,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    #[serde(default)]
    pub phone: Option<String>,
    /// For volunteers: which organisation they come from (events can be limited to some).
    #[serde(default)]
    pub organisation: Option<crate::events::Organisation>,
}

/// A create-user request whose every field passed validation.
pub struct ValidNewUser {
    pub username: Username,
    pub display_name: PersonName,
    pub role: Role,
    pub scope: Scope,
    pub phone: Option<Phone>,
    pub organisation: Option<crate::events::Organisation>,
}

impl CreateUserRequest {
    pub fn parse(&self) -> Result<ValidNewUser, Vec<FieldError>> {
        let mut checker = Checker::default();
        let username = checker.check(Username::parse("username", &self.username));
        let display_name = checker.check(PersonName::parse("display_name", &self.display_name));
        let scope = checker.check(validate::scope_for_role("scope", self.role, &self.scope));
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => checker.check(Phone::parse("phone", raw)).map(Some),
        };
        checker.finish()?;
        match (username, display_name, scope, phone) {
            (Some(username), Some(display_name), Some(scope), Some(phone)) => Ok(ValidNewUser {
                username,
                display_name,
                role: self.role,
                scope,
                phone,
                organisation: self.organisation,
            }),
            _ => Err(Vec::new()),
        }
    }
}

impl Validate for CreateUserRequest {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        self.parse().map(|_| ())
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateUserResponse {
    pub user: UserSummary,
    /// Shown once to the admin, who passes it on; only its hash is stored.
    pub invite_code: String,
    pub invite_expires_at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    pub invite_code: String,
    pub password: String,
}

impl Validate for ActivateRequest {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        let code = self.invite_code.trim();
        if code.len() != validate::limits::INVITE_CODE_LEN
            || !code.chars().all(|c| c.is_ascii_alphanumeric())
        {
            checker.check::<()>(Err(FieldError::new(
                "invite_code",
                Text::new(
                    "邀请码为 12 位字母和数字",
                    "The invite code has 12 letters and digits",
                ),
            )));
        }
        checker.check(Password::parse("password", &self.password));
        checker.finish()
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivateResponse {
    pub username: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterVolunteerRequest {
    pub username: String,
    pub display_name: String,
    pub phone: String,
    pub password: String,
    #[serde(default)]
    pub organisation: Option<crate::events::Organisation>,
}

impl Validate for RegisterVolunteerRequest {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        checker.check(Username::parse("username", &self.username));
        checker.check(PersonName::parse("display_name", &self.display_name));
        checker.check(Phone::parse("phone", &self.phone));
        checker.check(Password::parse("password", &self.password));
        checker.finish()
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl Validate for ChangePasswordRequest {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        if self.current_password.is_empty() {
            checker.check::<()>(Err(FieldError::new(
                "current_password",
                Text::new("请填写当前密码", "Current password is required"),
            )));
        }
        checker.check(Password::parse("new_password", &self.new_password));
        checker.finish()
    }
}

/// Someone to choose in a picker (a group member, an organiser): active accounts only.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOption {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Where they work (school, villages, unit), to tell namesakes apart.
    pub detail: String,
}

/// How many items a list holds, without the items.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub total: u64,
}

/// One page of a list, with an opaque cursor for the next page.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// How many items the whole list holds (every page says it, so a table can show where
    /// the reader is), when the list counts them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    Logout,
    PasswordChanged,
    UserCreated,
    UserActivated,
    UserApproved,
    UserDisabled,
    VolunteerRegistered,
    AuditRead,
    ChildCreated,
    ChildUpdated,
    ChildViewed,
    ChildIdNumberViewed,
    ChildrenListed,
    ChildrenReviewListed,
    ChildExitConfirmed,
    ChildrenImported,
    ChildrenExported,
    ChildrenRosterExported,
    CoreDistrictsChanged,
    SiteSaved,
    EventSaved,
    EventCancelled,
    ChildSignedUp,
    HoursCorrected,
    CaseChanged,
    CrisisRaised,
    CrisisClosed,
    VolunteerVetted,
    PairingChanged,
    CheckedIn,
    ChildSignupCancelled,
    ContactLogged,
    PairingBoardViewed,
    PairingSuggestionsViewed,
    CaseCandidatesViewed,
    PlanVersionsViewed,
    PairedChildViewed,
    PossibleDuplicateReported,
    AccountUnlocked,
    CasesListed,
    VisitRecorded,
    VisitViewed,
    VisitsListed,
    VisitPlanViewed,
    VisitSettingsChanged,
    ComplianceViewed,
    StatisticsExported,
    ReferralRaised,
    ReferralChanged,
    ReferralViewed,
    ReferralsListed,
    ReferralUnitsChanged,
    ReferralReportViewed,
}

impl AuditAction {
    pub fn label(self) -> Text {
        match self {
            AuditAction::LoginSucceeded => Text::new("登录成功", "Signed in"),
            AuditAction::LoginFailed => Text::new("登录失败", "Failed sign-in"),
            AuditAction::AccountLocked => Text::new("账号锁定", "Account locked"),
            AuditAction::Logout => Text::new("退出登录", "Signed out"),
            AuditAction::PasswordChanged => Text::new("修改密码", "Changed password"),
            AuditAction::UserCreated => Text::new("创建用户", "Created a user"),
            AuditAction::UserActivated => Text::new("激活账号", "Activated account"),
            AuditAction::UserApproved => Text::new("审核通过", "Approved a user"),
            AuditAction::UserDisabled => Text::new("停用用户", "Disabled a user"),
            AuditAction::VolunteerRegistered => Text::new("志愿者注册", "Volunteer registered"),
            AuditAction::AuditRead => Text::new("查看审计日志", "Read the audit log"),
            AuditAction::ChildCreated => Text::new("新建儿童档案", "Created a child record"),
            AuditAction::ChildUpdated => Text::new("修改儿童档案", "Changed a child record"),
            AuditAction::ChildViewed => Text::new("查看儿童档案", "Viewed a child record"),
            AuditAction::ChildIdNumberViewed => Text::new(
                "查看儿童档案(含完整身份证号)",
                "Viewed a child record with the full ID number",
            ),
            AuditAction::ChildrenListed => Text::new("查看儿童名单", "Listed children"),
            AuditAction::ChildrenReviewListed => {
                Text::new("查看待复核名单", "Listed children to review")
            }
            AuditAction::ChildExitConfirmed => {
                Text::new("确认退出监测", "Confirmed leaving monitoring")
            }
            AuditAction::ChildrenImported => Text::new("导入儿童名册", "Imported children"),
            AuditAction::ChildrenExported => Text::new("导出儿童名册", "Exported the registry"),
            AuditAction::ChildrenRosterExported => {
                Text::new("导出村(社区)花名册", "Exported a village roster")
            }
            AuditAction::CoreDistrictsChanged => {
                Text::new("修改主城区设置", "Changed core districts")
            }
            AuditAction::SiteSaved => Text::new("保存服务阵地", "Saved a site"),
            AuditAction::EventSaved => Text::new("保存活动", "Saved an event"),
            AuditAction::EventCancelled => Text::new("取消活动", "Cancelled an event"),
            AuditAction::ChildSignedUp => {
                Text::new("为儿童报名活动", "Signed a child up for an event")
            }
            AuditAction::HoursCorrected => Text::new("更正志愿时长", "Corrected volunteer hours"),
            AuditAction::CaseChanged => Text::new("个案群组变更", "Changed a case group"),
            AuditAction::CrisisRaised => Text::new("发起危机预警", "Raised a crisis flag"),
            AuditAction::CrisisClosed => Text::new("关闭危机预警", "Closed a crisis flag"),
            AuditAction::VolunteerVetted => Text::new("志愿者审核", "Vetted a volunteer"),
            AuditAction::PairingChanged => Text::new("结对变更", "Changed a pairing"),
            AuditAction::CheckedIn => Text::new("活动签到", "Checked in at an event"),
            AuditAction::ChildSignupCancelled => {
                Text::new("取消儿童报名", "Cancelled a child's sign-up")
            }
            AuditAction::ContactLogged => Text::new("记录联系", "Logged a contact"),
            AuditAction::PairingBoardViewed => {
                Text::new("查看结对看板", "Viewed the pairing board")
            }
            AuditAction::PairingSuggestionsViewed => {
                Text::new("查看结对推荐", "Viewed pairing suggestions")
            }
            AuditAction::CaseCandidatesViewed => {
                Text::new("查看可建案学生", "Viewed students for a case group")
            }
            AuditAction::PlanVersionsViewed => {
                Text::new("查看个案计划历史", "Viewed earlier plan versions")
            }
            AuditAction::PairedChildViewed => {
                Text::new("查看结对儿童", "Viewed their paired child")
            }
            AuditAction::PossibleDuplicateReported => {
                Text::new("报告疑似重复档案", "Reported a possible duplicate record")
            }
            AuditAction::AccountUnlocked => Text::new("解除账号锁定", "Unlocked an account"),
            AuditAction::CasesListed => Text::new("查看个案群组列表", "Listed case groups"),
            AuditAction::VisitRecorded => Text::new("登记走访", "Recorded a visit"),
            AuditAction::VisitViewed => Text::new("查看走访记录", "Viewed a visit"),
            AuditAction::VisitsListed => Text::new("查看走访记录列表", "Listed visits"),
            AuditAction::VisitPlanViewed => Text::new("查看走访名单", "Viewed the visit list"),
            AuditAction::VisitSettingsChanged => {
                Text::new("修改走访设置", "Changed the visit settings")
            }
            AuditAction::ComplianceViewed => Text::new("查看走访统计", "Viewed visit compliance"),
            AuditAction::StatisticsExported => Text::new("导出统计报表", "Exported the statistics"),
            AuditAction::ReferralRaised => Text::new("提出转介", "Raised a referral"),
            AuditAction::ReferralChanged => Text::new("办理转介", "Moved a referral on"),
            AuditAction::ReferralViewed => Text::new("查看转介", "Viewed a referral"),
            AuditAction::ReferralsListed => Text::new("查看转介列表", "Listed referrals"),
            AuditAction::ReferralUnitsChanged => {
                Text::new("修改成员单位", "Changed the member units")
            }
            AuditAction::ReferralReportViewed => {
                Text::new("查看转介统计", "Viewed the referral report")
            }
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    /// The acting user's id, when someone was signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// What was acted on, e.g. `user:01J…` (later `child:01J…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The target as a person reads it ("儿童 王小雨"), filled when the log is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_label: Option<String>,
    /// Where the request came from (client IP as the server saw it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What changed (field-level before/after, JSON) or which records a list showed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageOption {
    pub code: String,
    pub name: String,
    pub street: String,
}
