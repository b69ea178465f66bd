//! Writing an import: all of it or none of it, however the store behaves.
//!
//! The file is validated whole first (`rows`); nothing is written while any row is invalid.
//! Then the children are written in parts of `IMPORT_PART_SIZE`, a few at once, each part one
//! transaction with its own audit entry listing its children (so no entry grows with the file:
//! about 1 KB each, against DynamoDB's 400 KB item limit). A summary entry closes the import's
//! journal in one more transaction. If any part or the close fails, every part written is
//! undone, one transaction each with an entry saying so; if even that fails (or the process
//! stops), the journal stays open and the next import — or `recover_unfinished_imports` at
//! start-up — undoes it once it is older than any request can run.
//!
//! While an import is being written (seconds), the children of its finished parts can already
//! be seen in lists; an import that fails removes them again.

use std::collections::HashMap;

use shared::api::AuditAction;
use shared::children::{CareLevelChange, ImportError, ImportReport, MonitoringStatus};

use super::{rows, FileFormat};
use crate::accounts::{audit_entry, Actor, CurrentUser};
use crate::store::children::{claim_keys, ChildItem, ImportJob, IMPORT_PART_SIZE};
use crate::{AppError, AppState};

/// Parts in flight at once: DynamoDB writes them in parallel (the embedded engine one after
/// another), which keeps the largest import well inside a request's time.
const PARTS_AT_ONCE: usize = 4;

/// An open journal older than this belongs to a request that ended: API Gateway ends a
/// request after 30 seconds and Lambda after 15 minutes at most.
pub const IMPORT_JOURNAL_GRACE_MINUTES: i64 = 15;

/// Validates every row, then writes all of them or none.
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    format: FileFormat,
    bytes: &[u8],
    source: Option<String>,
) -> Result<ImportReport, AppError> {
    let today = crate::registry::today(state);
    let inputs = rows::parse(format, bytes, today)?;
    recover_unfinished_imports(state).await?;
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let rows_and_children: Vec<(usize, ChildItem)> = inputs
        .into_iter()
        .map(|(row, input)| {
            let child = ChildItem {
                id: ulid::Ulid::new().to_string(),
                version: 1,
                eligibility: input.eligibility(today, &core),
                care_level_history: vec![CareLevelChange {
                    level: input.care_level,
                    reason: "导入 Imported".into(),
                    by: admin.display_name.clone(),
                    at: now,
                }],
                child: input,
                status: MonitoringStatus::Monitored,
                exit: None,
                duplicates: Vec::new(),
                created_at: now,
                created_by: admin.id.clone(),
                updated_at: now,
                updated_by: admin.id.clone(),
                schema_version: shared::children::CHILD_SCHEMA_VERSION,
            };
            (row, child)
        })
        .collect();
    let possible_duplicates = possible_duplicates(state, &rows_and_children).await?;
    let children: Vec<ChildItem> = rows_and_children
        .into_iter()
        .map(|(_, child)| child)
        .collect();
    let imported = children.len();
    let actor = admin.actor(source);
    write_all(state, &actor, children, format, possible_duplicates.len()).await?;
    Ok(ImportReport {
        imported,
        errors: Vec::new(),
        possible_duplicates,
    })
}

/// Rows that may be children already registered, or each other: imported, and flagged (the
/// claims they join make both records show it).
async fn possible_duplicates(
    state: &AppState,
    children: &[(usize, ChildItem)],
) -> Result<Vec<ImportError>, AppError> {
    let claims = state
        .store
        .read_claims(children.iter().map(|(_, child)| &child.child))
        .await?;
    let mut registered: Vec<String> = children
        .iter()
        .flat_map(|(_, child)| claims.co_members(&child.child, &child.id))
        .map(|(id, _)| id)
        .collect();
    registered.sort();
    registered.dedup();
    let names: HashMap<String, String> = state
        .store
        .children_by_ids(&registered)
        .await?
        .into_iter()
        .map(|child| (child.id, child.child.name))
        .collect();
    let mut first_in_file: HashMap<String, (usize, String)> = HashMap::new();
    let mut report = Vec::new();
    for (row, child) in children {
        for (other, basis) in claims.co_members(&child.child, &child.id) {
            let Some(name) = names.get(&other) else {
                continue;
            };
            let reason = basis.text();
            report.push(ImportError {
                row: *row,
                column: "姓名".into(),
                message: format!("可能与已登记的“{name}”重复({})", reason.zh),
                message_en: format!("May duplicate “{name}”, already registered ({})", reason.en),
            });
        }
        let mut told: Vec<usize> = Vec::new();
        for (claim, basis) in claim_keys(&child.child) {
            match first_in_file.get(&claim) {
                Some((other_row, name)) => {
                    if !told.contains(other_row) {
                        told.push(*other_row);
                        let reason = basis.text();
                        report.push(ImportError {
                            row: *row,
                            column: "姓名".into(),
                            message: format!(
                                "可能与本文件第 {other_row} 行的“{name}”重复({})",
                                reason.zh
                            ),
                            message_en: format!(
                                "May duplicate “{name}” in row {other_row} of this file ({})",
                                reason.en
                            ),
                        });
                    }
                }
                None => {
                    first_in_file.insert(claim, (*row, child.child.name.clone()));
                }
            }
        }
    }
    Ok(report)
}

/// The audit detail of one part: which import, which part, and its children's ids.
pub fn part_detail(import: &str, part: usize, parts: usize, children: &[String]) -> String {
    serde_json::json!({
        "import": import,
        "part": part + 1,
        "parts": parts,
        "children": children,
    })
    .to_string()
}

/// The audit detail that closes a committed import: counts, not ids (the parts list those).
pub fn summary_detail(
    import: &str,
    children: usize,
    parts: usize,
    format: FileFormat,
    flagged: usize,
) -> String {
    serde_json::json!({
        "import": import,
        "committed": true,
        "children": children,
        "parts": parts,
        "format": format.extension(),
        "possible_duplicates": flagged,
    })
    .to_string()
}

async fn write_all(
    state: &AppState,
    actor: &Actor,
    children: Vec<ChildItem>,
    format: FileFormat,
    flagged: usize,
) -> Result<(), AppError> {
    let count = children.len();
    let parts: Vec<Vec<ChildItem>> = children
        .chunks(IMPORT_PART_SIZE)
        .map(<[ChildItem]>::to_vec)
        .collect();
    drop(children);
    let job = ImportJob {
        id: ulid::Ulid::new().to_string(),
        started_at: state.clock.now(),
        by: actor.id.clone(),
        children: count,
        parts: parts.len(),
    };
    state.store.begin_import(&job).await?;
    let mut failure: Option<AppError> = None;
    let mut running = tokio::task::JoinSet::new();
    let mut queue = parts.into_iter().enumerate();
    loop {
        while failure.is_none() && running.len() < PARTS_AT_ONCE {
            let Some((part, children)) = queue.next() else {
                break;
            };
            let ids: Vec<String> = children.iter().map(|child| child.id.clone()).collect();
            let entry = audit_entry(
                state,
                actor,
                AuditAction::ChildrenImported,
                None,
                Some(part_detail(&job.id, part, job.parts, &ids)),
            );
            let store = state.store.clone();
            let job = job.clone();
            running
                .spawn(async move { store.write_import_part(&job, part, &children, &entry).await });
        }
        let failed = match running.join_next().await {
            None => break,
            Some(Ok(Ok(()))) => continue,
            Some(Ok(Err(error))) => AppError::Store(error),
            Some(Err(stopped)) => {
                AppError::Unexpected(anyhow::anyhow!("an import part stopped: {stopped}"))
            }
        };
        if failure.is_none() {
            failure = Some(failed);
        }
    }
    if failure.is_none() {
        let entry = audit_entry(
            state,
            actor,
            AuditAction::ChildrenImported,
            None,
            Some(summary_detail(&job.id, count, job.parts, format, flagged)),
        );
        match state.store.close_import(&job.id, &entry).await {
            Ok(true) => return Ok(()),
            // Rolled back meanwhile by a recovery: only possible past the grace period.
            Ok(false) => failure = Some(AppError::Conflict),
            Err(error) => failure = Some(error.into()),
        }
    }
    tracing::warn!(import = %job.id, "an import failed; undoing the parts written");
    roll_back(state, actor, &job.id).await?;
    Err(failure.unwrap_or(AppError::Conflict))
}

/// Undoes every written part of an import and closes its journal.
async fn roll_back(state: &AppState, actor: &Actor, import: &str) -> Result<(), AppError> {
    let parts = state.store.import_parts(import).await?;
    for part in &parts {
        let detail = serde_json::json!({
            "import": import,
            "part": part.part + 1,
            "rolled_back": true,
            "children": part.children,
        });
        let entry = audit_entry(
            state,
            actor,
            AuditAction::ChildrenImported,
            None,
            Some(detail.to_string()),
        );
        state.store.undo_import_part(import, part, &entry).await?;
    }
    let detail = serde_json::json!({
        "import": import,
        "rolled_back": true,
        "parts_undone": parts.len(),
    });
    let entry = audit_entry(
        state,
        actor,
        AuditAction::ChildrenImported,
        None,
        Some(detail.to_string()),
    );
    state.store.close_import(import, &entry).await?;
    Ok(())
}

/// Undoes imports that stopped half-way (the process ended, or the store stayed busy through
/// the roll-back). Runs before every import; call it at start-up too. Returns how many.
pub async fn recover_unfinished_imports(state: &AppState) -> Result<usize, AppError> {
    let before = state.clock.now() - chrono::Duration::minutes(IMPORT_JOURNAL_GRACE_MINUTES);
    let stale = state.store.unfinished_imports(before).await?;
    let system = Actor {
        id: None,
        name: Some("系统 System".into()),
        source: None,
    };
    for job in &stale {
        roll_back(state, &system, &job.id).await?;
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DynamoDB refuses items over 400 KB; an audit entry is its detail plus a few hundred
    /// bytes of id, time, actor and keys.
    const ITEM_LIMIT: usize = 400 * 1024;

    #[test]
    fn the_largest_import_has_no_audit_detail_near_the_item_limit() {
        let rows = shared::children::limits::IMPORT_MAX_ROWS;
        let ids: Vec<String> = (0..rows).map(|_| ulid::Ulid::new().to_string()).collect();
        let parts = rows.div_ceil(IMPORT_PART_SIZE);
        let import = ulid::Ulid::new().to_string();
        let largest_part = ids
            .chunks(IMPORT_PART_SIZE)
            .enumerate()
            .map(|(part, chunk)| part_detail(&import, part, parts, chunk).len())
            .max()
            .unwrap_or_default();
        let summary = summary_detail(&import, rows, parts, FileFormat::Xlsx, rows).len();
        // What one entry listing every id would need, for comparison.
        let all_in_one = part_detail(&import, 0, 1, &ids).len();
        println!(
            "{rows} rows: {parts} parts, largest part detail {largest_part} bytes, summary \
             {summary} bytes (one entry with every id would be {all_in_one} bytes)"
        );
        // Bounded by the part size, not the file: about 1 KB whatever the import.
        assert!(largest_part < 4 * 1024, "{largest_part}");
        assert!(summary < 1024, "{summary}");
        assert!(largest_part + 1024 < ITEM_LIMIT);
    }
}
