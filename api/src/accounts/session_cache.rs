//! Sessions this process has read recently, so an authorised request is not a store round trip.
//! Sign-out and disabling an account clear the entries here; other processes (Lambda instances)
//! must run with the cache off.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use super::CurrentUser;

/// Token hash → the user, and when the session was read from the store.
type Entries = HashMap<String, (CurrentUser, DateTime<Utc>)>;

#[derive(Clone)]
pub struct SessionCache {
    ttl: Duration,
    entries: Arc<Mutex<Entries>>,
    /// Raised by every `forget_user`: a read that started before it must not be cached after
    /// it, or a request that read an account just before it was disabled would put it back.
    forgets: Arc<std::sync::atomic::AtomicU64>,
}

const MAX_ENTRIES: usize = 10_000;

impl SessionCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Arc::new(Mutex::new(HashMap::new())),
            forgets: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self, token_hash: &str, now: DateTime<Utc>) -> Option<CurrentUser> {
        if self.ttl <= Duration::zero() {
            return None;
        }
        let entries = self.lock();
        let (user, read_at) = entries.get(token_hash)?;
        (now - *read_at < self.ttl && user.expires_at > now).then(|| user.clone())
    }

    /// Taken before reading a session and account from the store; `put` needs it back.
    pub fn read_started(&self) -> u64 {
        self.forgets.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Caches what was read, unless a user was forgotten since the read started.
    pub fn put(&self, user: &CurrentUser, now: DateTime<Utc>, read_started: u64) {
        if self.ttl <= Duration::zero() {
            return;
        }
        let mut entries = self.lock();
        if self.forgets.load(std::sync::atomic::Ordering::SeqCst) != read_started {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, read_at)| now - *read_at < self.ttl);
        }
        entries.insert(user.token_hash.clone(), (user.clone(), now));
    }

    pub fn forget(&self, token_hash: &str) {
        self.lock().remove(token_hash);
    }

    pub fn forget_user(&self, user_id: &str) {
        let mut entries = self.lock();
        self.forgets
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        entries.retain(|_, (user, _)| user.id != user_id);
    }
}
