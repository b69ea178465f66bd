//! Accounts: sign-in, sessions, invites, self-registration and user administration.
//! Knows nothing about HTTP; the handlers in `http::routes` call these.

mod audit;
pub mod passwords;
mod session_cache;
mod tokens;

use chrono::{DateTime, Utc};
use shared::api::{
    ActivateRequest, AuditAction, ChangePasswordRequest, CreateUserRequest, LoginRequest, Me,
    RegisterVolunteerRequest, UserStatus, UserSummary,
};
use shared::validate::{Password, PersonName, Phone, Username, Validate};
use shared::{Role, Scope};

use crate::store::sessions::SessionRecord;
use crate::store::users::{CreateUserError, InviteError, UserRecord};
use crate::{AppError, AppState};
pub use audit::{entry as audit_entry, record, record_with, Actor, AuditWriter};
pub use session_cache::SessionCache;

/// A signed-in user, as every authorised request knows them.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub organisation: Option<shared::events::Organisation>,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl CurrentUser {
    pub fn me(&self) -> Me {
        Me {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            scope: self.scope.clone(),
            organisation: self.organisation,
            session_expires_at: self.expires_at,
        }
    }

    pub fn actor(&self, source: Option<String>) -> Actor {
        Actor {
            id: Some(self.id.clone()),
            name: Some(self.display_name.clone()),
            source,
        }
    }
}

/// A new session: the token goes to the browser once, in a cookie.
pub struct NewSession {
    pub token: String,
    pub me: Me,
}

fn validated<T: Validate>(request: &T) -> Result<(), AppError> {
    request.validate().map_err(AppError::Invalid)
}

pub async fn session_for_token(
    state: &AppState,
    token: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let token_hash = tokens::hash(token);
    let now = state.clock.now();
    if let Some(user) = state.sessions.get(&token_hash, now) {
        return Ok(Some(user));
    }
    let Some(session) = state
        .store
        .get_session(&token_hash, now.timestamp())
        .await?
    else {
        return Ok(None);
    };
    let user = CurrentUser {
        id: session.user_id,
        username: session.username,
        display_name: session.display_name,
        role: session.role,
        scope: session.scope,
        organisation: session.organisation,
        token_hash: session.token_hash,
        expires_at: DateTime::from_timestamp(session.expires_epoch, 0).unwrap_or(now),
    };
    state.sessions.put(&user, now);
    Ok(Some(user))
}

pub async fn login(
    state: &AppState,
    request: &LoginRequest,
    source: Option<String>,
) -> Result<NewSession, AppError> {
    validated(request)?;
    let now = state.clock.now();
    let user = match Username::parse("username", &request.username) {
        Ok(username) => state.store.find_user_by_username(username.as_str()).await?,
        Err(_) => None,
    };
    let Some(user) = user else {
        // Same work as a real check, so response time does not reveal which usernames exist.
        passwords::verify_dummy(&request.password).await;
        return Err(AppError::InvalidCredentials);
    };
    let actor = Actor::of(&user, source);
    if user
        .locked_until_epoch
        .is_some_and(|until| until > now.timestamp())
    {
        record(
            state,
            &actor,
            AuditAction::LoginFailed,
            Some(user_target(&user.id)),
        )
        .await?;
        return Err(AppError::AccountLocked);
    }
    let verified = match &user.password_hash {
        Some(hash) => passwords::verify(&request.password, hash).await,
        None => {
            passwords::verify_dummy(&request.password).await;
            false
        }
    };
    if !verified {
        let locked = state
            .store
            .record_failed_login(
                &user.id,
                state.settings.max_failed_logins,
                (now + state.settings.lockout).timestamp(),
            )
            .await?;
        record(
            state,
            &actor,
            AuditAction::LoginFailed,
            Some(user_target(&user.id)),
        )
        .await?;
        if locked {
            record(
                state,
                &actor,
                AuditAction::AccountLocked,
                Some(user_target(&user.id)),
            )
            .await?;
            return Err(AppError::AccountLocked);
        }
        return Err(AppError::InvalidCredentials);
    }
    match user.status {
        UserStatus::Active => {}
        UserStatus::Pending => return Err(AppError::AccountPending),
        UserStatus::Disabled => return Err(AppError::AccountDisabled),
        UserStatus::Invited => return Err(AppError::InvalidCredentials),
    }
    if user.failed_logins > 0 || user.locked_until_epoch.is_some() {
        state.store.clear_failed_logins(&user.id).await?;
    }
    let (token, session) = issue_session(state, &user).await?;
    let expires_at = now + state.settings.session_ttl;
    record(
        state,
        &actor,
        AuditAction::LoginSucceeded,
        Some(user_target(&user.id)),
    )
    .await?;
    Ok(NewSession {
        token,
        me: Me {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            scope: user.scope,
            organisation: user.organisation,
            session_expires_at: DateTime::from_timestamp(session.expires_epoch, 0)
                .unwrap_or(expires_at),
        },
    })
}

/// Starts a session for a user whose credentials were checked; returns the token for the cookie.
/// (Also used by load tests and benchmarks, which need many signed-in users without paying for
/// Argon2 each time.)
pub async fn issue_session(
    state: &AppState,
    user: &UserRecord,
) -> Result<(String, SessionRecord), AppError> {
    let now = state.clock.now();
    let token = tokens::new_token();
    let session = SessionRecord {
        token_hash: tokens::hash(&token),
        user_id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        scope: user.scope.clone(),
        organisation: user.organisation,
        created_at: now,
        expires_epoch: (now + state.settings.session_ttl).timestamp(),
    };
    state.store.put_session(&session).await?;
    Ok((token, session))
}

pub async fn logout(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<(), AppError> {
    state.store.delete_session(&user.token_hash).await?;
    state.sessions.forget(&user.token_hash);
    record(
        state,
        &user.actor(source),
        AuditAction::Logout,
        Some(user_target(&user.id)),
    )
    .await
}

pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    request: &ChangePasswordRequest,
    source: Option<String>,
) -> Result<(), AppError> {
    validated(request)?;
    let record_ = state
        .store
        .get_user(&user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let current_ok = match &record_.password_hash {
        Some(hash) => passwords::verify(&request.current_password, hash).await,
        None => false,
    };
    if !current_ok {
        return Err(AppError::Invalid(vec![shared::FieldError::new(
            "current_password",
            shared::Text::new("当前密码不正确", "The current password is wrong"),
        )]));
    }
    let new_password = Password::parse("new_password", &request.new_password)
        .map_err(|error| AppError::Invalid(vec![error]))?;
    let hash = passwords::hash(&new_password).await?;
    state.store.set_password_hash(&user.id, &hash).await?;
    record(
        state,
        &user.actor(source),
        AuditAction::PasswordChanged,
        Some(user_target(&user.id)),
    )
    .await
}

pub fn user_target(id: &str) -> String {
    format!("user:{id}")
}

/// Creates a user who sets their own password with the returned one-time invite code.
pub async fn create_user(
    state: &AppState,
    admin: &CurrentUser,
    request: &CreateUserRequest,
    source: Option<String>,
) -> Result<(UserSummary, String, DateTime<Utc>), AppError> {
    let valid = request.parse().map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let user = UserRecord::new(
        valid.username.as_str(),
        valid.display_name.as_str(),
        valid.role,
        valid.scope,
        UserStatus::Invited,
        now,
    )
    .with_phone(valid.phone.map(|phone| phone.as_str().to_string()))
    .with_organisation(valid.organisation);
    let code = tokens::new_invite_code();
    let expires_at = now + state.settings.invite_ttl;
    state
        .store
        .create_user(&user, Some((&tokens::hash(&code), expires_at.timestamp())))
        .await
        .map_err(|error| match error {
            CreateUserError::UsernameTaken => AppError::UsernameTaken,
            CreateUserError::Store(error) => error.into(),
        })?;
    record(
        state,
        &admin.actor(source),
        AuditAction::UserCreated,
        Some(user_target(&user.id)),
    )
    .await?;
    Ok((user.summary(), code, expires_at))
}

pub async fn activate(
    state: &AppState,
    request: &ActivateRequest,
    source: Option<String>,
) -> Result<String, AppError> {
    validated(request)?;
    let password = Password::parse("password", &request.password)
        .map_err(|error| AppError::Invalid(vec![error]))?;
    let hash = passwords::hash(&password).await?;
    let now = state.clock.now();
    let user = state
        .store
        .redeem_invite(
            &tokens::hash(request.invite_code.trim()),
            &hash,
            now.timestamp(),
        )
        .await
        .map_err(|error| match error {
            InviteError::Invalid => AppError::InviteInvalid,
            InviteError::Store(error) => error.into(),
        })?;
    let actor = Actor::of(&user, source);
    record(
        state,
        &actor,
        AuditAction::UserActivated,
        Some(user_target(&user.id)),
    )
    .await?;
    Ok(user.username)
}

pub async fn register_volunteer(
    state: &AppState,
    request: &RegisterVolunteerRequest,
    source: Option<String>,
) -> Result<UserSummary, AppError> {
    validated(request)?;
    let invalid = |error| AppError::Invalid(vec![error]);
    let username = Username::parse("username", &request.username).map_err(invalid)?;
    let display_name = PersonName::parse("display_name", &request.display_name).map_err(invalid)?;
    let phone = Phone::parse("phone", &request.phone).map_err(invalid)?;
    let password = Password::parse("password", &request.password).map_err(invalid)?;
    let hash = passwords::hash(&password).await?;
    let user = UserRecord::new(
        username.as_str(),
        display_name.as_str(),
        Role::Volunteer,
        Scope::Own,
        UserStatus::Pending,
        state.clock.now(),
    )
    .with_phone(Some(phone.as_str().to_string()))
    .with_organisation(request.organisation)
    .with_password_hash(hash);
    state
        .store
        .create_user(&user, None)
        .await
        .map_err(|error| match error {
            CreateUserError::UsernameTaken => AppError::UsernameTaken,
            CreateUserError::Store(error) => error.into(),
        })?;
    let actor = Actor::of(&user, source);
    record(
        state,
        &actor,
        AuditAction::VolunteerRegistered,
        Some(user_target(&user.id)),
    )
    .await?;
    Ok(user.summary())
}

/// Approves a self-registered volunteer.
pub async fn approve(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &str,
    source: Option<String>,
) -> Result<UserSummary, AppError> {
    if !state
        .store
        .change_status(user_id, &[UserStatus::Pending], UserStatus::Active)
        .await?
    {
        return Err(missing_or_conflict(state, user_id).await);
    }
    record(
        state,
        &admin.actor(source),
        AuditAction::UserApproved,
        Some(user_target(user_id)),
    )
    .await?;
    summary_of(state, user_id).await
}

/// Disables an account and ends all of its sessions at once.
pub async fn disable(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &str,
    source: Option<String>,
) -> Result<UserSummary, AppError> {
    if user_id == admin.id {
        return Err(AppError::Invalid(vec![shared::FieldError::new(
            "id",
            shared::Text::new("不能停用自己的账号", "You cannot disable your own account"),
        )]));
    }
    if !state
        .store
        .change_status(
            user_id,
            &[UserStatus::Active, UserStatus::Pending, UserStatus::Invited],
            UserStatus::Disabled,
        )
        .await?
    {
        return Err(missing_or_conflict(state, user_id).await);
    }
    state.store.delete_user_sessions(user_id).await?;
    state.sessions.forget_user(user_id);
    record(
        state,
        &admin.actor(source),
        AuditAction::UserDisabled,
        Some(user_target(user_id)),
    )
    .await?;
    summary_of(state, user_id).await
}

async fn missing_or_conflict(state: &AppState, user_id: &str) -> AppError {
    match state.store.get_user(user_id).await {
        Ok(Some(_)) => AppError::Conflict,
        Ok(None) => AppError::NotFound,
        Err(error) => error.into(),
    }
}

async fn summary_of(state: &AppState, user_id: &str) -> Result<UserSummary, AppError> {
    state
        .store
        .get_user(user_id)
        .await?
        .map(|user| user.summary())
        .ok_or(AppError::NotFound)
}

/// Creates the first admin on a table that has never been bootstrapped. Returns the password
/// to show once, or `None` when an admin was made before.
pub async fn bootstrap_admin(
    state: &AppState,
    password: Option<String>,
) -> Result<Option<(String, String)>, AppError> {
    let password = match password {
        Some(password) => password,
        None => tokens::new_password(),
    };
    let parsed =
        Password::parse("password", &password).map_err(|error| AppError::Invalid(vec![error]))?;
    let hash = passwords::hash(&parsed).await?;
    let admin = UserRecord::new(
        "admin",
        "未保办管理员",
        Role::Admin,
        Scope::District,
        UserStatus::Active,
        state.clock.now(),
    )
    .with_password_hash(hash);
    if state.store.bootstrap_admin(&admin).await? {
        Ok(Some((admin.username, password)))
    } else {
        Ok(None)
    }
}
