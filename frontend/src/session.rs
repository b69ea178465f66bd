//! Who is signed in, known to every page.

use leptos::prelude::*;
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
