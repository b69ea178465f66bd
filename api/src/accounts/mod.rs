//! Accounts: sign-in, sessions, invites, self-registration and user administration.
//! Knows nothing about HTTP; the handlers in `http::routes` call these.

mod audit;
mod audit_labels;
pub mod passwords;
mod people;
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
use crate::store::sign_in::Reservation;
use crate::store::users::{CreateUserError, InviteError, UserRecord};
use crate::{AppError, AppState};
pub use audit::{entry as audit_entry, record, record_with, Actor, AuditWriter};
pub use audit_labels::label_entries;
pub use people::{find_people, find_people_who, person_matches, person_option};
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

/// The signed-in user for a session token. Every request checks the account itself (status
/// and session generation, consistent read), so disabling or suspending someone ends their
/// sessions at once; this process may reuse what it read for `Settings::session_cache`.
pub async fn session_for_token(
    state: &AppState,
    token: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let token_hash = tokens::hash(token);
    let now = state.clock.now();
    if let Some(user) = state.sessions.get(&token_hash, now) {
        return Ok(Some(user));
    }
    let read_started = state.sessions.read_started();
    let Some(session) = state
        .store
        .get_session(&token_hash, now.timestamp())
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = state.store.get_user(&session.user_id).await? else {
        return Ok(None);
    };
    if user.status != UserStatus::Active || user.session_generation != session.generation {
        return Ok(None);
    }
    let user = CurrentUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        scope: user.scope,
        organisation: user.organisation,
        token_hash: session.token_hash,
        expires_at: DateTime::from_timestamp(session.expires_epoch, 0).unwrap_or(now),
    };
    state.sessions.put(&user, now, read_started);
    Ok(Some(user))
}

/// Signs in. Unknown usernames, wrong passwords and locked accounts do the same store work and
/// the same Argon2 check, so neither answers nor timing tell which usernames exist. The work
/// runs as a task of its own: a caller who hangs up cannot leave a reserved attempt unresolved.
pub async fn login(
    state: &AppState,
    request: &LoginRequest,
    source: Option<String>,
) -> Result<NewSession, AppError> {
    validated(request)?;
    let task = tokio::spawn(sign_in(state.clone(), request.clone(), source));
    task.await
        .map_err(|error| AppError::Unexpected(anyhow::anyhow!("sign-in task failed: {error}")))?
}

async fn sign_in(
    state: AppState,
    request: LoginRequest,
    source: Option<String>,
) -> Result<NewSession, AppError> {
    let state = &state;
    let now = state.clock.now();
    let limits = state.settings.sign_in_limits();
    let typed = request.username.as_str();
    let attempt = ulid::Ulid::new().to_string();
    let reservation = state
        .store
        .reserve_sign_in(typed, source.as_deref(), limits, now.timestamp())
        .await?;
    if reservation == Reservation::Locked {
        // The lock was audited when it was set; answering it again writes nothing, so a
        // stranger cannot flood the log and every username answers alike.
        passwords::verify_dummy(&request.password).await;
        return Err(AppError::AccountLocked);
    }
    let user = match Username::parse("username", typed) {
        Ok(username) => state.store.find_user_by_username(username.as_str()).await?,
        Err(_) => None,
    };
    if user.is_none() {
        // The same second read a known username costs.
        state.store.get_user(UNKNOWN_USER_ID).await?;
    }
    let verified = match user.as_ref().and_then(|user| user.password_hash.as_ref()) {
        Some(hash) => passwords::verify(&request.password, hash).await,
        None => {
            passwords::verify_dummy(&request.password).await;
            false
        }
    };
    let user = match (user, verified) {
        (Some(user), true) => user,
        (known, _) => {
            let locked = state
                .store
                .sign_in_failed(typed, source.as_deref(), limits, now.timestamp(), &attempt)
                .await?;
            let (actor, target) = match &known {
                Some(user) => (Actor::of(user, source), Some(user_target(&user.id))),
                None => (
                    Actor {
                        source,
                        ..Actor::default()
                    },
                    None,
                ),
            };
            record(state, &actor, AuditAction::LoginFailed, target.clone()).await?;
            if locked {
                record(state, &actor, AuditAction::AccountLocked, target).await?;
                return Err(AppError::AccountLocked);
            }
            return Err(AppError::InvalidCredentials);
        }
    };
    let refusal = match user.status {
        UserStatus::Active => None,
        UserStatus::Pending => Some(AppError::AccountPending),
        UserStatus::Disabled => Some(AppError::AccountDisabled),
        UserStatus::Invited => Some(AppError::InvalidCredentials),
    };
    // A right password is never counted against anyone; only a real sign-in makes the source
    // known to the account.
    state
        .store
        .sign_in_succeeded(
            typed,
            source.as_deref(),
            now.timestamp(),
            &attempt,
            &reservation,
            refusal.is_none(),
        )
        .await?;
    if let Some(refusal) = refusal {
        return Err(refusal);
    }
    let actor = Actor::of(&user, source);
    let signed_in = audit_entry(
        state,
        &actor,
        AuditAction::LoginSucceeded,
        Some(user_target(&user.id)),
        None,
    );
    let (token, session) = start_session(state, &user, Some(&signed_in)).await?;
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
                .unwrap_or(now + state.settings.session_ttl),
        },
    })
}

/// A well-formed id no user has (ULIDs are never all zeros).
const UNKNOWN_USER_ID: &str = "00000000000000000000000000";

/// Starts a session for a user whose credentials were checked; returns the token for the cookie.
/// (Also used by load tests and benchmarks, which need many signed-in users without paying for
/// Argon2 each time.)
pub async fn issue_session(
    state: &AppState,
    user: &UserRecord,
) -> Result<(String, SessionRecord), AppError> {
    start_session(state, user, None).await
}

async fn start_session(
    state: &AppState,
    user: &UserRecord,
    audit: Option<&shared::api::AuditEntry>,
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
        generation: user.session_generation,
    };
    if !state.store.put_session_checked(&session, audit).await? {
        // Disabled or suspended between the password check and now.
        return Err(AppError::AccountDisabled);
    }
    Ok((token, session))
}

pub async fn logout(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<(), AppError> {
    let signed_out = audit_entry(
        state,
        &user.actor(source),
        AuditAction::Logout,
        Some(user_target(&user.id)),
        None,
    );
    state
        .store
        .delete_session_audited(&user.token_hash, &signed_out)
        .await?;
    state.sessions.forget(&user.token_hash);
    Ok(())
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
    let changed = audit_entry(
        state,
        &user.actor(source),
        AuditAction::PasswordChanged,
        Some(user_target(&user.id)),
        None,
    );
    if !state
        .store
        .set_password_hash(&user.id, &hash, false, &changed)
        .await?
    {
        return Err(AppError::Unauthenticated);
    }
    Ok(())
}

/// A new volunteer's pairing profile is created with the account, so no read ever has to.
fn volunteer_profile_writes(
    state: &AppState,
    user: &UserRecord,
) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, AppError> {
    if user.role != Role::Volunteer {
        return Ok(Vec::new());
    }
    Ok(vec![state.store.new_volunteer_profile_write(user)?])
}

/// Ends every session of a user at once (suspension, rejection): other capabilities call this.
pub async fn end_sessions(state: &AppState, user_id: &str) -> Result<(), AppError> {
    state.store.end_user_sessions(user_id).await?;
    state.sessions.forget_user(user_id);
    Ok(())
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
    let created = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::UserCreated,
        Some(user_target(&user.id)),
        None,
    );
    state
        .store
        .create_user_with(
            &user,
            Some((&tokens::hash(&code), expires_at.timestamp())),
            volunteer_profile_writes(state, &user)?,
            Some(&created),
        )
        .await
        .map_err(|error| match error {
            CreateUserError::UsernameTaken => AppError::UsernameTaken,
            CreateUserError::Store(error) => error.into(),
        })?;
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
            |user_id| {
                let actor = Actor {
                    id: Some(user_id.to_string()),
                    name: None,
                    source,
                };
                audit_entry(
                    state,
                    &actor,
                    AuditAction::UserActivated,
                    Some(user_target(user_id)),
                    None,
                )
            },
        )
        .await
        .map_err(|error| match error {
            InviteError::Invalid => AppError::InviteInvalid,
            InviteError::Store(error) => error.into(),
        })?;
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
    let registered = audit_entry(
        state,
        &Actor::of(&user, source),
        AuditAction::VolunteerRegistered,
        Some(user_target(&user.id)),
        None,
    );
    state
        .store
        .create_user_with(
            &user,
            None,
            volunteer_profile_writes(state, &user)?,
            Some(&registered),
        )
        .await
        .map_err(|error| match error {
            CreateUserError::UsernameTaken => AppError::UsernameTaken,
            CreateUserError::Store(error) => error.into(),
        })?;
    Ok(user.summary())
}

/// Approves a self-registered volunteer.
pub async fn approve(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &str,
    source: Option<String>,
) -> Result<UserSummary, AppError> {
    let approved = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::UserApproved,
        Some(user_target(user_id)),
        None,
    );
    if !state
        .store
        .change_status_audited(
            user_id,
            &[UserStatus::Pending],
            UserStatus::Active,
            &approved,
        )
        .await?
    {
        return Err(missing_or_conflict(state, user_id).await);
    }
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
    let disabled = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::UserDisabled,
        Some(user_target(user_id)),
        None,
    );
    // The status change raises the session generation in the same write: every session of
    // the user stops working now; deleting the items afterwards is housekeeping.
    if !state
        .store
        .change_status_audited(
            user_id,
            &[UserStatus::Active, UserStatus::Pending, UserStatus::Invited],
            UserStatus::Disabled,
            &disabled,
        )
        .await?
    {
        return Err(missing_or_conflict(state, user_id).await);
    }
    state.sessions.forget_user(user_id);
    state.store.delete_user_sessions(user_id).await?;
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

/// The operator's way back in when an administrator is locked out (or lost the password) on
/// the one-machine portal: clears the sign-in guards of `username`, sets a new random password,
/// ends the account's sessions, and returns the password to show once. Audited.
pub async fn recover_admin(state: &AppState, username: &str) -> Result<String, AppError> {
    let user = state
        .store
        .find_user_by_username(username.trim())
        .await?
        .filter(|user| user.role == Role::Admin)
        .ok_or(AppError::NotFound)?;
    state.store.clear_sign_in_guards(username).await?;
    let password = tokens::new_password();
    let parsed =
        Password::parse("password", &password).map_err(|error| AppError::Invalid(vec![error]))?;
    let hash = passwords::hash(&parsed).await?;
    let operator = Actor {
        id: None,
        name: Some("operator (command line)".to_string()),
        source: Some("local".to_string()),
    };
    let unlocked = audit_entry(
        state,
        &operator,
        AuditAction::AccountUnlocked,
        Some(user_target(&user.id)),
        Some("sign-in guards cleared, new password set, sessions ended".to_string()),
    );
    if !state
        .store
        .set_password_hash(&user.id, &hash, true, &unlocked)
        .await?
    {
        return Err(AppError::NotFound);
    }
    state.store.delete_user_sessions(&user.id).await?;
    Ok(password)
}
