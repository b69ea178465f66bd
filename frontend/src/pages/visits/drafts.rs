//! What the phone keeps of the visit work, in the browser's `localStorage`, per signed-in
//! person: the visit list (so the form has the child's details without a network) and the visit
//! drafts with their outbox state (draft on the phone / waiting to send / sent).
//!
//! Keys: `shouwang.visits.<user id>.plan` and `shouwang.visits.<user id>.drafts`. The list is
//! kept 7 days and only for directors; a sent visit 1 day; an unsent one (draft or waiting) 30
//! days, never dropped silently before (the drafts card says when it goes). Sign-out asks before
//! removing unsent visits, then removes every `shouwang.visits.*` key; a new sign-in removes other
//! people's lists.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shared::visits::{DueVisit, VisitInput, VisitPlan, VisitSaved};
use shared::{ApiErrorBody, Text};

const PREFIX: &str = "shouwang.visits.";
const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// How long the phone keeps the list.
const KEEP_MS: f64 = 7.0 * DAY_MS;
/// A sent visit stays a day (its "已发送" is seen), an unsent one a month.
const SENT_KEEP_MS: f64 = DAY_MS;
pub const UNSENT_KEEP_DAYS: f64 = 30.0;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn now_ms() -> f64 {
    web_sys::js_sys::Date::now()
}

pub fn ms_to_time(ms: f64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms as i64)
}

/// "14:05", Beijing time.
pub fn clock(ms: f64) -> String {
    ms_to_time(ms)
        .map(|at| {
            at.with_timezone(&shared::time::beijing())
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn key(user_id: &str, what: &str) -> String {
    format!("{PREFIX}{user_id}.{what}")
}

fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// False when the phone refused (storage full or not allowed).
fn write<T: Serialize>(key: &str, value: &T) -> bool {
    match (storage(), serde_json::to_string(value)) {
        (Some(storage), Ok(text)) => storage.set_item(key, &text).is_ok(),
        _ => false,
    }
}

fn fresh(saved_at: f64) -> bool {
    now_ms() - saved_at < KEEP_MS
}

/// A 26-character id in Crockford base32, like a ULID: the time in milliseconds (10
/// characters, so ids sort by when they were made) and 16 random characters.
pub fn new_client_id() -> String {
    let mut time = now_ms().max(0.0) as u64;
    let mut head = [b'0'; 10];
    for slot in head.iter_mut().rev() {
        *slot = CROCKFORD[(time % 32) as usize];
        time /= 32;
    }
    let mut id: String = head.iter().map(|byte| char::from(*byte)).collect();
    for _ in 0..16 {
        let index = (web_sys::js_sys::Math::random() * 32.0) as usize;
        id.push(char::from(CROCKFORD[index.min(31)]));
    }
    id
}

#[derive(Serialize, Deserialize)]
struct StoredPlan<P> {
    plan: P,
    saved_at: f64,
}

/// The visit list as last received, and when (ms).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedPlan {
    pub plan: VisitPlan,
    pub saved_at: f64,
}

/// Keeps the list for offline use — a director's own villages only: an admin's district-wide
/// list (every child's guardian and address) does not stay on a device.
pub fn save_plan(user_id: &str, plan: &VisitPlan) {
    let directs = crate::session::cached_me()
        .is_some_and(|me| me.id == user_id && me.role == shared::Role::Director);
    if !directs {
        return;
    }
    let stored = StoredPlan {
        plan,
        saved_at: now_ms(),
    };
    // A full storage only means the list is not there offline next time.
    let _ = write(&key(user_id, "plan"), &stored);
}

pub fn cached_plan(user_id: &str) -> Option<SavedPlan> {
    let key = key(user_id, "plan");
    let stored: StoredPlan<VisitPlan> = read(&key)?;
    if !fresh(stored.saved_at) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&key);
        }
        return None;
    }
    Some(SavedPlan {
        plan: stored.plan,
        saved_at: stored.saved_at,
    })
}

pub fn cached_child(user_id: &str, child_id: &str) -> Option<DueVisit> {
    cached_plan(user_id)?
        .plan
        .children
        .into_iter()
        .find(|child| child.child_id == child_id)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    #[default]
    Draft,
    Waiting,
    Sent,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Waiting => "waiting",
            DraftState::Sent => "sent",
        }
    }

    pub fn label(self) -> Text {
        match self {
            DraftState::Draft => Text::new("草稿已保存在手机上", "Draft saved on this phone"),
            DraftState::Waiting => Text::new("等待联网发送", "Waiting for a network to send"),
            DraftState::Sent => Text::new("已发送", "Sent"),
        }
    }
}

/// What the server said beside storing a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    ChildChanged,
    AlreadyStored,
    LevelApplied,
}

impl Notice {
    pub(super) fn of(saved: &VisitSaved) -> Vec<Notice> {
        [
            (saved.child_changed, Notice::ChildChanged),
            (saved.already_stored, Notice::AlreadyStored),
            (saved.level_applied, Notice::LevelApplied),
        ]
        .into_iter()
        .filter_map(|(yes, notice)| yes.then_some(notice))
        .collect()
    }

    pub fn text(self) -> Text {
        match self {
            Notice::ChildChanged => Text::new(
                "提交后发现该儿童档案已被更新,请核对",
                "The child's record was changed after you filled the form; please check it",
            ),
            Notice::AlreadyStored => Text::new(
                "这次走访之前已经送达",
                "This visit had already reached the server",
            ),
            Notice::LevelApplied => Text::new(
                "关爱等级已按这次走访调整",
                "The care level was changed as this visit proposed",
            ),
        }
    }
}

/// The form's fields as typed: choices are codes ("" until chosen), dates as the inputs hold
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftFields {
    pub child_id: String,
    /// `2026-11-29T14:05`, Beijing time.
    pub visited_at: String,
    pub mode: String,
    pub met_with: Vec<String>,
    pub guardianship: String,
    /// "yes", "no" or "".
    pub entrusted: String,
    pub entrusted_capable: String,
    pub health: String,
    pub health_note: String,
    pub schooling: String,
    pub emotion: String,
    pub unsafe_at_home: bool,
    pub device_overuse: bool,
    pub bullying_or_violence: bool,
    pub income_sources: String,
    pub assistance: Vec<String>,
    pub problems_found: String,
    pub needs: String,
    pub action_taken: String,
    pub follow_up: String,
    pub follow_up_by: String,
    /// A care-level code, or "" for no change.
    pub proposed_level: String,
    pub level_reason: String,
    pub corrects: Option<String>,
    pub child_version: Option<u64>,
}

/// One visit on the phone, from the first change to "sent".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub client_id: String,
    #[serde(default)]
    pub fields: DraftFields,
    #[serde(default)]
    pub state: DraftState,
    #[serde(default)]
    pub child_name: String,
    /// Last change (ms); 0 until first saved.
    #[serde(default)]
    pub saved_at: f64,
    /// The checked input, once submitted: exactly what the outbox sends.
    #[serde(default)]
    pub input: Option<VisitInput>,
    #[serde(default)]
    pub last_error: Option<ApiErrorBody>,
    #[serde(default)]
    pub notices: Vec<Notice>,
}

impl Draft {
    /// A new visit of this child: the time is now, nothing else is chosen.
    pub fn new(client_id: String, child: &DueVisit, corrects: Option<String>) -> Self {
        Draft {
            client_id,
            fields: DraftFields {
                child_id: child.child_id.clone(),
                visited_at: shared::time::to_beijing_local(Utc::now()),
                corrects,
                child_version: (child.child_version > 0).then_some(child.child_version),
                ..DraftFields::default()
            },
            state: DraftState::Draft,
            child_name: child.child_name.clone(),
            saved_at: 0.0,
            input: None,
            last_error: None,
            notices: Vec::new(),
        }
    }
}

/// Every visit on the phone for this person, by client id (old ones dropped, see above).
pub fn drafts(user_id: &str) -> BTreeMap<String, Draft> {
    let key = key(user_id, "drafts");
    let mut all: BTreeMap<String, Draft> = read(&key).unwrap_or_default();
    let before = all.len();
    all.retain(|_, draft| {
        let age = now_ms() - draft.saved_at;
        match draft.state {
            DraftState::Sent => age < SENT_KEEP_MS,
            _ => age < UNSENT_KEEP_DAYS * DAY_MS,
        }
    });
    if all.len() != before {
        let _ = write(&key, &all);
    }
    all
}

pub fn draft(user_id: &str, client_id: &str) -> Option<Draft> {
    drafts(user_id).remove(client_id)
}

/// The latest unsent visit of this child (correcting the same visit, if any).
pub fn open_draft_for(user_id: &str, child_id: &str, corrects: Option<&str>) -> Option<Draft> {
    drafts(user_id)
        .into_values()
        .filter(|draft| {
            draft.state != DraftState::Sent
                && draft.fields.child_id == child_id
                && draft.fields.corrects.as_deref() == corrects
        })
        .max_by(|a, b| a.saved_at.total_cmp(&b.saved_at))
}

/// Stores a visit; false when the phone refused (storage full or not allowed).
pub fn put_draft(user_id: &str, draft: &Draft) -> bool {
    let mut all = drafts(user_id);
    all.insert(draft.client_id.clone(), draft.clone());
    write(&key(user_id, "drafts"), &all)
}

/// Changes a stored visit, if it is still there (sign-out may have removed it meanwhile).
pub(super) fn update(user_id: &str, client_id: &str, change: impl FnOnce(&mut Draft)) {
    let mut all = drafts(user_id);
    if let Some(draft) = all.get_mut(client_id) {
        change(draft);
        let _ = write(&key(user_id, "drafts"), &all);
    }
}

/// On sign-out: every `shouwang.visits.*` key goes, whoever it belonged to.
pub fn clear_all() {
    let Some(storage) = storage() else {
        return;
    };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}

/// Visits on the phone not sent yet (drafts and waiting ones), of this person. The light bundle
/// only ever has a caring mother signed in, who records no visits: it carries none of this.
pub fn unsent(user_id: &str) -> usize {
    if !cfg!(feature = "full") {
        return 0;
    }
    drafts(user_id)
        .values()
        .filter(|draft| draft.state != DraftState::Sent)
        .count()
}

/// Removes the kept visit list of this person (the session ended: 401).
pub fn forget_list(user_id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(user_id, "plan"));
    }
}

/// At sign-in: other people's visit lists on this phone go (their unsent visits stay until they
/// sign in again or the month runs out).
pub fn keep_only(user_id: &str) {
    let Some(storage) = storage() else {
        return;
    };
    let mine = format!("{PREFIX}{user_id}.");
    let count = storage.length().unwrap_or(0);
    let lists: Vec<String> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(PREFIX) && !key.starts_with(&mine) && key.ends_with(".plan"))
        .collect();
    for key in lists {
        let _ = storage.remove_item(&key);
    }
}
