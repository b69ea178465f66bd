//! Finding people by name for pickers: active accounts only, a few at a time.

use shared::api::{PersonOption, UserStatus};
use shared::{Role, Scope};

use crate::store::users::UserRecord;
use crate::{AppError, AppState};

/// A picker shows this many; typing more narrows it.
const PICKER_LIMIT: usize = 20;

/// Part of the display name, or the start of the username, ignoring case.
pub fn person_matches(user: &UserRecord, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty()
        || user.display_name.to_lowercase().contains(&query)
        || user.username.to_lowercase().starts_with(&query)
}

/// Where someone works, to tell namesakes apart.
pub fn where_they_work(user: &UserRecord) -> String {
    match (&user.scope, &user.organisation) {
        (Scope::Own, Some(organisation)) => {
            let label = organisation.label();
            format!("{} / {}", label.zh, label.en)
        }
        (scope, _) => scope.describe(),
    }
}

pub fn person_option(user: &UserRecord) -> PersonOption {
    PersonOption {
        id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        detail: where_they_work(user),
    }
}

/// Active people of `roles` (any role when empty) matching `query`, by name, at most 20.
pub async fn find_people(
    state: &AppState,
    query: &str,
    roles: &[Role],
) -> Result<Vec<PersonOption>, AppError> {
    find_people_who(state, query, roles, |_| true).await
}

/// The same, among those `eligible` admits (checked before the 20 are taken, so people who
/// do not qualify never crowd out those who do).
pub async fn find_people_who(
    state: &AppState,
    query: &str,
    roles: &[Role],
    eligible: impl Fn(&UserRecord) -> bool,
) -> Result<Vec<PersonOption>, AppError> {
    let mut found: Vec<UserRecord> = state
        .store
        .users_with_status(UserStatus::Active)
        .await?
        .into_iter()
        .filter(|user| roles.is_empty() || roles.contains(&user.role))
        .filter(|user| person_matches(user, query))
        .filter(|user| eligible(user))
        .collect();
    found.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(found.iter().take(PICKER_LIMIT).map(person_option).collect())
}
