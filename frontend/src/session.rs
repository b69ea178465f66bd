//! Who is signed in, known to every page.
//!
//! The last answer to "who am I" is kept in the browser (`shouwang.me`), so that after one
//! sign-in online the portal opens on a phone without a network (a village with no signal):
//! only when the server cannot be reached at all, never when it answers "not signed in". It
//! holds the person's name, role and scope, nothing about any child; it goes on sign-out, when
//! the server says the session is over, and after `CACHED_ME_DAYS`.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::api::Me;

#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Asking the server whether the cookie still holds a session.
    Checking,
    SignedOut,
    SignedIn(Me),
}

#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

impl Session {
    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

const CACHED_ME_KEY: &str = "shouwang.me";
/// How long a phone may open the portal offline after the last answer from the server (as long
/// as the visit pages keep their offline list and drafts).
pub const CACHED_ME_DAYS: i64 = 7;

#[derive(Serialize, Deserialize)]
struct CachedMe {
    me: Me,
    /// When the server last said who this is.
    saved_at: DateTime<Utc>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// After every answer from the server that names the signed-in person (`me`, sign-in).
pub fn remember_me(me: &Me) {
    let cached = CachedMe {
        me: me.clone(),
        saved_at: Utc::now(),
    };
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&cached)) {
        // A full or refused storage only means the portal needs the network next time.
        let _ = storage.set_item(CACHED_ME_KEY, &text);
    }
    crate::bundle::settle(me.role);
}

/// The person last signed in on this browser, when the server cannot be reached; None when
/// nobody is kept or it is older than `CACHED_ME_DAYS` (then it is removed).
pub fn cached_me() -> Option<Me> {
    let storage = local_storage()?;
    let text = storage.get_item(CACHED_ME_KEY).ok().flatten()?;
    let fresh = serde_json::from_str::<CachedMe>(&text)
        .ok()
        .filter(|cached| {
            let age = Utc::now() - cached.saved_at;
            age >= -Duration::days(1) && age <= Duration::days(CACHED_ME_DAYS)
        });
    if fresh.is_none() {
        let _ = storage.remove_item(CACHED_ME_KEY);
    }
    fresh.map(|cached| cached.me)
}

/// On sign-out, and when the server says the session is over.
pub fn forget_cached_me() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(CACHED_ME_KEY);
    }
}
