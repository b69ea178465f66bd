use shared::api::{AuditAction, AuditEntry};

use crate::{AppError, AppState};

/// Who did something, and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<String>,
    pub name: Option<String>,
    pub source: Option<String>,
}

impl Actor {
    pub fn of(user: &crate::store::users::UserRecord, source: Option<String>) -> Self {
        Self {
            id: Some(user.id.clone()),
            name: Some(user.display_name.clone()),
            source,
        }
    }
}

/// Appends one event to the audit log. A request whose audit entry cannot be written fails,
/// so nothing is done unrecorded.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    target: Option<String>,
) -> Result<(), AppError> {
    record_with(state, actor, action, target, None).await
}

/// Like `record`, with a detail: what changed, or which records were shown.
pub async fn record_with(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    target: Option<String>,
    detail: Option<String>,
) -> Result<(), AppError> {
    state
        .audit
        .append(entry(state, actor, action, target, detail))
        .await
}

/// An audit entry for a change, to be written in the change's own transaction
/// (`Store::transact_audited`, `update_audited`, `put_audited`): no change without its entry,
/// no entry without its change. Reads go through `record`/`record_with` instead.
pub fn entry(
    state: &AppState,
    actor: &Actor,
    action: AuditAction,
    target: Option<String>,
    detail: Option<String>,
) -> AuditEntry {
    AuditEntry {
        id: ulid::Ulid::new().to_string(),
        at: state.clock.now(),
        action,
        actor_id: actor.id.clone(),
        actor_name: actor.name.clone(),
        target,
        target_label: None,
        source: actor.source.clone(),
        detail,
    }
}

type Pending = (AuditEntry, tokio::sync::oneshot::Sender<Result<(), String>>);

/// Writes audit entries with group commit: a request waits until its entry is stored, but
/// entries arriving together are stored in one batch (one store transaction instead of many).
/// At low load a batch is a single entry, so nobody waits for others.
#[derive(Clone)]
pub struct AuditWriter {
    sender: tokio::sync::mpsc::Sender<Pending>,
}

const AUDIT_BATCH: usize = 25;

impl AuditWriter {
    pub fn start(store: crate::store::Store) -> Self {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Pending>(4096);
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < AUDIT_BATCH {
                    match receiver.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let entries: Vec<AuditEntry> =
                    batch.iter().map(|(entry, _)| entry.clone()).collect();
                let result = store
                    .append_audit_batch(&entries)
                    .await
                    .map_err(|error| error.to_string());
                for (_, reply) in batch {
                    let _ = reply.send(result.clone());
                }
            }
        });
        Self { sender }
    }

    pub async fn append(&self, entry: AuditEntry) -> Result<(), AppError> {
        let (reply, stored) = tokio::sync::oneshot::channel();
        let unavailable =
            |detail: String| AppError::Store(crate::store::StoreError::Unavailable(detail));
        self.sender
            .send((entry, reply))
            .await
            .map_err(|_| unavailable("audit writer stopped".into()))?;
        stored
            .await
            .map_err(|_| unavailable("audit writer stopped".into()))?
            .map_err(unavailable)
    }
}
