//! Who is due a visit: every monitored child of the reader's villages, with the last visit and
//! the date the next one falls due (interval by care level; a first visit within 5 working
//! days of registration). Read from the indexes: a list to act on, nothing decided from it.

use std::collections::HashMap;

use futures::future::join_all;
use shared::api::AuditAction;
use shared::calendar::Quarter;
use shared::children::MonitoringStatus;
use shared::visits::{DueState, DueVisit, VisitPlan, VisitRecord, VisitSettings};

use super::{lookback, villages_of};
use crate::accounts::{record_with, CurrentUser};
use crate::store::children::{ChildFilter, ChildItem};
use crate::{AppError, AppState};

/// A monitored child and their visits of the last 400 days, newest first.
pub struct ChildVisits {
    pub child: ChildItem,
    pub visits: Vec<VisitRecord>,
}

/// Villages read at once (each a query for children and one for visits).
const VILLAGES_AT_ONCE: usize = 8;

/// Every monitored child of `villages` with their recent visits.
pub async fn children_with_visits(
    state: &AppState,
    villages: &[String],
) -> Result<Vec<ChildVisits>, AppError> {
    let since = lookback(state.clock.now());
    let mut out = Vec::new();
    for chunk in villages.chunks(VILLAGES_AT_ONCE) {
        let reads = chunk.iter().map(|village| async move {
            let children = village_children(state, village).await?;
            let visits = state.store.village_visits_since(village, since).await?;
            Ok::<_, AppError>((children, visits))
        });
        for result in join_all(reads).await {
            let (children, visits) = result?;
            let mut by_child: HashMap<String, Vec<VisitRecord>> = HashMap::new();
            for visit in visits {
                by_child
                    .entry(visit.visit.child_id.clone())
                    .or_default()
                    .push(visit);
            }
            for child in children {
                let mut visits = match by_child.remove(&child.id) {
                    Some(visits) => visits,
                    // None in this village: a child who moved here has them under the old
                    // village; the child's own index has them all.
                    None => state
                        .store
                        .child_visits(&child.id)
                        .await?
                        .into_iter()
                        .filter(|visit| visit.visit.visited_at >= since)
                        .collect(),
                };
                without_corrected(&mut visits);
                visits.sort_by_key(|visit| std::cmp::Reverse(visit.visit.visited_at));
                out.push(ChildVisits { child, visits });
            }
        }
    }
    Ok(out)
}

/// A corrected visit gives way to its correction: it is neither the last visit nor counted.
fn without_corrected(visits: &mut Vec<VisitRecord>) {
    let corrected: std::collections::HashSet<String> = visits
        .iter()
        .filter_map(|visit| visit.visit.corrects.clone())
        .collect();
    visits.retain(|visit| !corrected.contains(&visit.id));
}

async fn village_children(state: &AppState, village: &str) -> Result<Vec<ChildItem>, AppError> {
    let filter = ChildFilter {
        status: Some(MonitoringStatus::Monitored.as_str().to_string()),
        ..ChildFilter::default()
    };
    let mut children = Vec::new();
    let mut after: Option<(String, String)> = None;
    loop {
        let (page, more) = state
            .store
            .village_children_after(
                village,
                &filter,
                after
                    .as_ref()
                    .map(|(name, id)| (name.as_str(), id.as_str())),
                500,
            )
            .await?;
        after = page
            .last()
            .map(|child| (child.child.name.clone(), child.id.clone()));
        children.extend(page);
        if !more || after.is_none() {
            return Ok(children);
        }
    }
}

/// One child's place on the list.
pub fn due_visit(
    entry: &ChildVisits,
    settings: &VisitSettings,
    today: chrono::NaiveDate,
) -> DueVisit {
    let child = &entry.child;
    let last_visit = entry
        .visits
        .first()
        .map(|visit| shared::time::beijing_date(visit.visit.visited_at));
    let registered_on = shared::time::beijing_date(child.created_at);
    let level = child.child.care_level;
    let due = settings.next_due(level, last_visit, registered_on);
    let guardian = child
        .child
        .guardians
        .first()
        .map(|guardian| format!("{}({}){}", guardian.name, guardian.relation, guardian.phone))
        .unwrap_or_default();
    DueVisit {
        child_id: child.id.clone(),
        child_version: child.version,
        child_name: child.child.name.clone(),
        village_code: child.child.residence_village.clone(),
        care_level: level,
        guardian,
        address: child.child.residence_detail.clone(),
        last_visit,
        due,
        state: DueState::of(due, today),
        first_visit: last_visit.is_none(),
    }
}

/// The reader's visit list, most urgent first; the children it names are audited.
pub async fn plan(
    state: &AppState,
    user: &CurrentUser,
    village: Option<&str>,
    source: Option<String>,
) -> Result<VisitPlan, AppError> {
    let mut villages = villages_of(user);
    if let Some(village) = village {
        if !villages.iter().any(|code| code == village) {
            return Err(AppError::NotFound);
        }
        villages = vec![village.to_string()];
    }
    let today = crate::registry::today(state);
    let (settings, _) = state.store.visit_settings().await?;
    let entries = children_with_visits(state, &villages).await?;
    let mut children: Vec<DueVisit> = entries
        .iter()
        .map(|entry| due_visit(entry, &settings, today))
        .collect();
    children.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.child_name.cmp(&b.child_name))
    });
    let shown: Vec<&str> = children
        .iter()
        .map(|child| child.child_id.as_str())
        .collect();
    record_with(
        state,
        &user.actor(source),
        AuditAction::VisitPlanViewed,
        None,
        Some(shown.join(",")),
    )
    .await?;
    Ok(VisitPlan {
        today,
        quarter: Quarter::of(today),
        children,
    })
}
