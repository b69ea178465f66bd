//! The district office's view of visits: per street, village and director, this quarter's
//! visits done, due and overdue, children never visited, first visits later than allowed, and
//! the trend over four quarters. Counted from the same visit records the lists show.

use std::collections::BTreeMap;

use shared::api::AuditAction;
use shared::calendar::Quarter;
use shared::visits::{Compliance, ComplianceRow, DueState, DueVisit, QuarterTrend, VisitSettings};
use shared::{Role, Scope};

use super::plan::{children_with_visits, due_visit, ChildVisits};
use super::villages_of;
use crate::accounts::{record_with, CurrentUser};
use crate::registry::transfer::{write_table, FileFormat};
use crate::{AppError, AppState};

fn row(key: &str, name: &str) -> ComplianceRow {
    ComplianceRow {
        key: key.to_string(),
        name: name.to_string(),
        children: 0,
        visited: 0,
        visits: 0,
        due: 0,
        overdue: 0,
        never_visited: 0,
        late_first_visits: 0,
    }
}

/// What one child adds to a row in `quarter`.
struct Tally {
    visits: u32,
    visited: bool,
    due: bool,
    overdue: bool,
    never_visited: bool,
    late_first_visit: bool,
}

/// `current`: the quarter is today's (due and overdue are counted as of today, for today's
/// quarter only; an earlier quarter reports what was done).
fn tally(
    entry: &ChildVisits,
    due: &DueVisit,
    quarter: Quarter,
    current: bool,
    settings: &VisitSettings,
) -> Tally {
    let in_quarter = entry
        .visits
        .iter()
        .filter(|visit| quarter.contains(shared::time::beijing_date(visit.visit.visited_at)))
        .count() as u32;
    let first = entry
        .visits
        .last()
        .map(|visit| shared::time::beijing_date(visit.visit.visited_at));
    let registered = shared::time::beijing_date(entry.child.created_at);
    let late_first_visit = first.is_some_and(|first| {
        quarter.contains(first)
            && settings.calendar.working_days_between(registered, first)
                > settings.first_visit_working_days
    });
    Tally {
        visits: in_quarter,
        visited: in_quarter > 0,
        due: current && due.state != DueState::Overdue && due.due <= quarter.last_day(),
        overdue: current && due.state == DueState::Overdue,
        never_visited: entry.visits.is_empty(),
        late_first_visit,
    }
}

fn add(row: &mut ComplianceRow, tally: &Tally) {
    row.children += 1;
    row.visits += tally.visits;
    row.visited += u32::from(tally.visited);
    row.due += u32::from(tally.due);
    row.overdue += u32::from(tally.overdue);
    row.never_visited += u32::from(tally.never_visited);
    row.late_first_visits += u32::from(tally.late_first_visit);
}

pub async fn compliance(
    state: &AppState,
    admin: &CurrentUser,
    quarter: Quarter,
    source: Option<String>,
) -> Result<Compliance, AppError> {
    let report = build(state, admin, quarter).await?;
    let named: Vec<&str> = report
        .never_visited
        .iter()
        .map(|child| child.child_id.as_str())
        .collect();
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ComplianceViewed,
        None,
        Some(format!("{} {}", quarter.code(), named.join(","))),
    )
    .await?;
    Ok(report)
}

/// Today's quarter and the three before it: what the visits read (400 days) cover.
fn check_quarter(quarter: Quarter, today: chrono::NaiveDate) -> Result<(), AppError> {
    let current = Quarter::of(today);
    let earliest = current.previous().previous().previous();
    if quarter > current || quarter < earliest {
        return Err(AppError::Invalid(vec![shared::FieldError::new(
            "quarter",
            shared::Text::new(
                "只能查看本季度和之前三个季度",
                "Only this quarter and the three before it can be shown",
            ),
        )]));
    }
    Ok(())
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    quarter: Quarter,
) -> Result<Compliance, AppError> {
    let today = crate::registry::today(state);
    check_quarter(quarter, today)?;
    let (settings, _) = state.store.visit_settings().await?;
    let entries = children_with_visits(state, &villages_of(user)).await?;
    let directors: Vec<(String, String, Vec<String>)> = state
        .store
        .active_users()
        .await?
        .into_iter()
        .filter_map(|user| match (user.role, user.scope) {
            (Role::Director, Scope::Villages { codes }) => {
                Some((user.id, user.display_name, codes))
            }
            _ => None,
        })
        .collect();
    let mut total = row("district", "全区");
    let mut streets: BTreeMap<String, ComplianceRow> = BTreeMap::new();
    let mut villages: BTreeMap<String, ComplianceRow> = BTreeMap::new();
    let mut by_director: Vec<ComplianceRow> = directors
        .iter()
        .map(|(id, name, _)| row(id, name))
        .collect();
    let mut never_visited = Vec::new();
    for entry in &entries {
        let due = due_visit(entry, &settings, today);
        let tally = tally(
            entry,
            &due,
            quarter,
            quarter == Quarter::of(today),
            &settings,
        );
        let village = &entry.child.child.residence_village;
        add(&mut total, &tally);
        let street = shared::divisions::street_of_village(village);
        let (street_code, street_name) = street
            .map(|street| (street.code.to_string(), street.name.to_string()))
            .unwrap_or_default();
        add(
            streets
                .entry(street_code.clone())
                .or_insert_with(|| row(&street_code, &street_name)),
            &tally,
        );
        let village_name = shared::divisions::village_name(village).unwrap_or(village);
        add(
            villages
                .entry(village.clone())
                .or_insert_with(|| row(village, village_name)),
            &tally,
        );
        for (index, (_, _, codes)) in directors.iter().enumerate() {
            if codes.contains(village) {
                if let Some(row) = by_director.get_mut(index) {
                    add(row, &tally);
                }
            }
        }
        if tally.never_visited {
            never_visited.push(due);
        }
    }
    let mut trend = Vec::new();
    let mut at = quarter;
    for _ in 0..4 {
        let mut visits = 0;
        let mut children_visited = 0;
        for entry in &entries {
            let count = entry
                .visits
                .iter()
                .filter(|visit| at.contains(shared::time::beijing_date(visit.visit.visited_at)))
                .count() as u32;
            visits += count;
            children_visited += u32::from(count > 0);
        }
        trend.push(QuarterTrend {
            quarter: at,
            visits,
            children_visited,
        });
        at = at.previous();
    }
    trend.reverse();
    never_visited.sort_by_key(|child| child.due);
    by_director.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Compliance {
        quarter,
        total,
        by_street: streets.into_values().collect(),
        by_village: villages.into_values().collect(),
        by_director,
        never_visited,
        trend,
    })
}

/// The report as a spreadsheet: one row per street, village and director, then the total.
pub async fn export_compliance(
    state: &AppState,
    admin: &CurrentUser,
    quarter: Quarter,
    format: FileFormat,
    source: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let report = build(state, admin, quarter).await?;
    let headers = [
        "季度",
        "类别",
        "名称",
        "在册儿童",
        "已走访儿童",
        "走访次数",
        "待走访",
        "逾期",
        "从未走访",
        "首访超时",
    ];
    let line = |kind: &str, row: &ComplianceRow| {
        vec![
            quarter.code(),
            kind.to_string(),
            row.name.clone(),
            row.children.to_string(),
            row.visited.to_string(),
            row.visits.to_string(),
            row.due.to_string(),
            row.overdue.to_string(),
            row.never_visited.to_string(),
            row.late_first_visits.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    rows.extend(report.by_street.iter().map(|row| line("街道", row)));
    rows.extend(report.by_village.iter().map(|row| line("村(社区)", row)));
    rows.extend(report.by_director.iter().map(|row| line("儿童主任", row)));
    rows.push(line("全区", &report.total));
    let file = write_table(format, "走访统计", &headers, &rows)?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ComplianceViewed,
        None,
        Some(format!("{} export {}", quarter.code(), format.extension())),
    )
    .await?;
    Ok(file)
}
