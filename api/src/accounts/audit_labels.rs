//! The audit log as a person reads it: who acted and on what, by name. Ids stay in the entry
//! (the log's evidence); names are looked up when the log is shown, once per target, in
//! parallel. The label is the bare name; the screen adds the kind ("儿童" / "Child") in the
//! reader's language.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;
use shared::api::AuditEntry;

use crate::{AppError, AppState};

/// What labelling showed: the children whose names appear (their reading is audited by the
/// caller, like any list of children).
#[derive(Debug, Default)]
pub struct Labelled {
    pub children: Vec<String>,
}

/// Fills `actor_name` where the entry has only an id, and `target_label` for every target
/// that still exists; a target that is gone is labelled "(已删除 / removed)".
pub async fn label_entries(
    state: &AppState,
    entries: &mut [AuditEntry],
) -> Result<Labelled, AppError> {
    let targets: BTreeSet<String> = entries
        .iter()
        .filter_map(|entry| entry.target.clone())
        .collect();
    let actors: BTreeSet<String> = entries
        .iter()
        .filter(|entry| entry.actor_name.is_none())
        .filter_map(|entry| entry.actor_id.clone())
        .collect();
    let target_names = join_all(targets.iter().map(|target| name_of(state, target))).await;
    let actor_names = join_all(actors.iter().map(|id| user_name(state, id))).await;
    let mut labels = BTreeMap::new();
    let mut labelled = Labelled::default();
    for (target, found) in targets.into_iter().zip(target_names) {
        let (name, child) = found?;
        labelled.children.extend(child);
        labels.insert(
            target,
            name.unwrap_or_else(|| "(已删除 / removed)".to_string()),
        );
    }
    let mut people = BTreeMap::new();
    for (id, name) in actors.into_iter().zip(actor_names) {
        if let Some(name) = name? {
            people.insert(id, name);
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
                .and_then(|actor| people.get(actor).cloned());
        }
    }
    labelled.children.sort();
    labelled.children.dedup();
    Ok(labelled)
}

async fn user_name(state: &AppState, id: &str) -> Result<Option<String>, AppError> {
    Ok(state
        .store
        .get_user(id)
        .await?
        .map(|user| format!("{} ({})", user.display_name, user.username)))
}

/// The target's name, and the child whose name it shows (a child record, a case group, a
/// pairing).
async fn name_of(
    state: &AppState,
    target: &str,
) -> Result<(Option<String>, Option<String>), AppError> {
    let Some((kind, id)) = target.split_once(':') else {
        return Ok((Some(target.to_string()), None));
    };
    Ok(match kind {
        "user" => (user_name(state, id).await?, None),
        "child" | "case" => match state.store.get_child(id).await? {
            Some(child) => (Some(child.child.name), Some(child.id)),
            None => (None, None),
        },
        "event" => (
            state
                .store
                .get_event(id)
                .await?
                .map(|event| event.event.title),
            None,
        ),
        "site" => (
            state.store.get_site(id).await?.map(|site| site.site.name),
            None,
        ),
        "pairing" => match state.store.get_pairing(id).await? {
            Some(pairing) => (
                Some(format!(
                    "{} — {}",
                    pairing.volunteer_name, pairing.child_name
                )),
                Some(pairing.child_id),
            ),
            None => (None, None),
        },
        _ => (Some(target.to_string()), None),
    })
}
