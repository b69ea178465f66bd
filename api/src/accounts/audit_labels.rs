//! The audit log as a person reads it: who acted and on what, by name. Ids stay in the entry
//! (the log's evidence); the labels are looked up when the log is shown, once per target.

use std::collections::BTreeMap;

use shared::api::AuditEntry;

use crate::{AppError, AppState};

/// Fills `actor_name` where the entry has only an id, and `target_label` for every target
/// that still exists. A target that is gone keeps only its kind ("儿童 (已删除)").
pub async fn label_entries(state: &AppState, entries: &mut [AuditEntry]) -> Result<(), AppError> {
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut users: BTreeMap<String, Option<String>> = BTreeMap::new();
    for entry in entries.iter() {
        if let Some(target) = &entry.target {
            if !labels.contains_key(target) {
                let label = label_of(state, target, &mut users).await?;
                labels.insert(target.clone(), label);
            }
        }
        if entry.actor_name.is_none() {
            if let Some(actor) = &entry.actor_id {
                user_name(state, actor, &mut users).await?;
            }
        }
    }
    for entry in entries.iter_mut() {
        entry.target_label = entry
            .target
            .as_ref()
            .and_then(|target| labels.get(target).cloned());
        if entry.actor_name.is_none() {
            entry.actor_name = entry
                .actor_id
                .as_ref()
                .and_then(|actor| users.get(actor).cloned().flatten());
        }
    }
    Ok(())
}

async fn user_name(
    state: &AppState,
    id: &str,
    users: &mut BTreeMap<String, Option<String>>,
) -> Result<Option<String>, AppError> {
    if let Some(known) = users.get(id) {
        return Ok(known.clone());
    }
    let name = state
        .store
        .get_user(id)
        .await?
        .map(|user| format!("{} ({})", user.display_name, user.username));
    users.insert(id.to_string(), name.clone());
    Ok(name)
}

async fn label_of(
    state: &AppState,
    target: &str,
    users: &mut BTreeMap<String, Option<String>>,
) -> Result<String, AppError> {
    let Some((kind, id)) = target.split_once(':') else {
        return Ok(target.to_string());
    };
    let (kind_label, name) = match kind {
        "user" => ("用户", user_name(state, id, users).await?),
        "child" => (
            "儿童",
            state
                .store
                .get_child(id)
                .await?
                .map(|child| child.child.name),
        ),
        "case" => (
            "个案",
            state
                .store
                .get_child(id)
                .await?
                .map(|child| child.child.name),
        ),
        "event" => (
            "活动",
            state
                .store
                .get_event(id)
                .await?
                .map(|event| event.event.title),
        ),
        "site" => (
            "场地",
            state.store.get_site(id).await?.map(|site| site.site.name),
        ),
        "pairing" => (
            "结对",
            state
                .store
                .get_pairing(id)
                .await?
                .map(|pairing| format!("{} — {}", pairing.volunteer_name, pairing.child_name)),
        ),
        _ => return Ok(target.to_string()),
    };
    Ok(match name {
        Some(name) => format!("{kind_label} {name}"),
        None => format!("{kind_label} (已删除 / removed)"),
    })
}
