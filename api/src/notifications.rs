//! Telling the people responsible: one way to say who should hear about something (every
//! administrator, the directors of a child's village, named users) and to leave each of them
//! one in-app message (`Store::notify`, shown on the home page).
//!
//! ```ignore
//! let to = Recipients::admins().and_directors_of(&village).and(&group.lead_user_id);
//! let message = Message::new(zh, en).link(format!("/cases/{id}"));
//! notifications::after_commit(state, &to, &message).await;
//! ```
//!
//! Each person is told once, however many ways they qualify. Roles are resolved from the
//! active users at the moment of sending; named users are told whatever their status.
//! E-mail or SMS can later be added here, behind the same two calls.

use std::collections::BTreeSet;

use shared::children::Bilingual;
use shared::events::Notification;
use shared::{Role, Scope};

use crate::{AppError, AppState};

/// Who is to be told. Build it with `admins()`/`users()` and the `and…` methods.
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    admins: bool,
    villages: Vec<String>,
    users: Vec<String>,
}

impl Recipients {
    /// Every active administrator (the district's minor-protection office).
    pub fn admins() -> Self {
        Self {
            admins: true,
            ..Self::default()
        }
    }

    /// Exactly these users.
    pub fn users<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            users: ids.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// And every active children's director whose villages include `village`.
    pub fn and_directors_of(mut self, village: &str) -> Self {
        if !village.is_empty() {
            self.villages.push(village.to_string());
        }
        self
    }

    /// And one more user.
    pub fn and(mut self, user_id: &str) -> Self {
        if !user_id.is_empty() {
            self.users.push(user_id.to_string());
        }
        self
    }

    /// The user ids to tell, each once.
    pub async fn resolve(&self, state: &AppState) -> Result<Vec<String>, AppError> {
        let mut ids: BTreeSet<String> = self.users.iter().cloned().collect();
        if self.admins || !self.villages.is_empty() {
            for person in state.store.active_users().await? {
                let directs = match (&person.role, &person.scope) {
                    (Role::Director, Scope::Villages { codes }) => {
                        self.villages.iter().any(|village| codes.contains(village))
                    }
                    _ => false,
                };
                if (self.admins && person.role == Role::Admin) || directs {
                    ids.insert(person.id);
                }
            }
        }
        Ok(ids.into_iter().collect())
    }
}

/// What they are told: a bilingual line and where it leads.
#[derive(Debug, Clone)]
pub struct Message {
    pub text: Bilingual,
    pub link: Option<String>,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            text: Bilingual {
                zh: zh.into(),
                en: en.into(),
            },
            link: None,
        }
    }

    pub fn link(mut self, path: impl Into<String>) -> Self {
        self.link = Some(path.into());
        self
    }
}

/// Tells every recipient, all of them even when telling one fails (a crisis alert must not
/// stop at the first administrator the store was busy for). Returns how many were told, or the
/// first failure after everyone else was tried.
pub async fn send(
    state: &AppState,
    recipients: &Recipients,
    message: &Message,
) -> Result<usize, AppError> {
    let ids = recipients.resolve(state).await?;
    let mut told = 0;
    let mut first_failure = None;
    for id in &ids {
        let notification = Notification {
            id: ulid::Ulid::new().to_string(),
            at: state.clock.now(),
            text: message.text.clone(),
            link: message.link.clone(),
        };
        match state.store.notify(id, &notification).await {
            Ok(()) => told += 1,
            Err(error) => {
                first_failure.get_or_insert(error);
            }
        }
    }
    match first_failure {
        Some(error) => Err(error.into()),
        None => Ok(told),
    }
}

/// `send` for a change that is already stored. A failure is logged, not returned: answering
/// the request with an error now would invite the caller to repeat a change that happened
/// (a second crisis flag, a second contact), while the change itself is already visible where
/// the recipients look (open crises on the admin home, flags on the pairing board).
pub async fn after_commit(state: &AppState, recipients: &Recipients, message: &Message) {
    if let Err(error) = send(state, recipients, message).await {
        tracing::error!(%error, link = ?message.link, "a notification could not be delivered");
    }
}
