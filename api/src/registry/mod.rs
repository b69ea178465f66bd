//! The children registry: who may see and change which child, eligibility on every save,
//! duplicate flags, the review list, and an audit entry for every read and change.

mod diff;
pub mod transfer;

use chrono::NaiveDate;
use shared::api::{AuditAction, Page};
use shared::children::{
    CareLevelChange, ChildInput, ChildRecord, ChildSummary, ConfirmExitRequest, MonitoringExit,
    MonitoringStatus, ReviewItem, UpdateChildRequest,
};
use shared::eligibility::CoreDistricts;
use shared::{Role, Scope, Text};

use crate::accounts::{record, record_with, CurrentUser};
use crate::store::children::{ChildFilter, ChildItem, ChildSource};
use crate::{AppError, AppState};

pub fn child_target(id: &str) -> String {
    format!("child:{id}")
}

pub fn today(state: &AppState) -> NaiveDate {
    shared::time::beijing_date(state.clock.now())
}

/// Whether a user's role and scope let them see this child. Later capabilities (case groups,
/// pairings) add their own ways in.
fn in_scope(user: &CurrentUser, child: &ChildInput) -> bool {
    match (&user.role, &user.scope) {
        (Role::Admin, _) => true,
        (Role::Director, Scope::Villages { codes }) => codes.contains(&child.residence_village),
        _ => false,
    }
}

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

/// The care-level history grows when the level changes, and a change needs a reason.
fn care_history(
    previous: Option<&ChildItem>,
    input: &ChildInput,
    user: &CurrentUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<CareLevelChange>, AppError> {
    let mut history = previous
        .map(|child| child.care_level_history.clone())
        .unwrap_or_default();
    let changed = previous.is_none_or(|child| child.child.care_level != input.care_level);
    if changed {
        if previous.is_some() && input.care_level_reason.trim().is_empty() {
            return Err(invalid(
                "care_level_reason",
                Text::new(
                    "修改关爱等级时请写明原因",
                    "Give a reason when changing the care level",
                ),
            ));
        }
        history.push(CareLevelChange {
            level: input.care_level,
            reason: input.care_level_reason.clone(),
            by: user.display_name.clone(),
            at: now,
        });
    }
    Ok(history)
}

pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: &ChildInput,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let today = today(state);
    let input = input.validate(today).map_err(AppError::Invalid)?;
    if !in_scope(user, &input) {
        return Err(invalid(
            "residence_village",
            Text::new(
                "只能登记您负责的村(社区)的儿童",
                "You can only register children of your own villages",
            ),
        ));
    }
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let duplicates = state.store.find_possible_duplicates(&input, None).await?;
    let child = ChildItem {
        id: ulid::Ulid::new().to_string(),
        version: 1,
        eligibility: input.eligibility(today, &core),
        care_level_history: care_history(None, &input, user, now)?,
        child: input,
        status: MonitoringStatus::Monitored,
        exit: None,
        duplicates,
        created_at: now,
        created_by: user.id.clone(),
        updated_at: now,
        updated_by: user.id.clone(),
    };
    state.store.put_new_child(&child).await?;
    let detail = diff::changes(None, &child.child);
    record_with(
        state,
        &user.actor(source),
        AuditAction::ChildCreated,
        Some(child_target(&child.id)),
        Some(detail),
    )
    .await?;
    Ok(child.record(user.role == Role::Admin))
}

async fn visible_child(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<ChildItem, AppError> {
    match state.store.get_child(id).await? {
        Some(child) if in_scope(user, &child.child) => Ok(child),
        // Outside the scope the caller learns nothing, not even that the child exists.
        _ => Err(AppError::NotFound),
    }
}

pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    // Every access to a child's record is logged, found or not; the entry is written while the
    // record is read (one round trip, not two), and the answer waits for both.
    let action = if user.role == Role::Admin {
        AuditAction::ChildIdNumberViewed
    } else {
        AuditAction::ChildViewed
    };
    let actor = user.actor(source);
    let (child, logged) = tokio::join!(
        visible_child(state, user, id),
        record(state, &actor, action, Some(child_target(id)))
    );
    logged?;
    Ok(child?.record(user.role == Role::Admin))
}

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &UpdateChildRequest,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let previous = visible_child(state, user, id).await?;
    if previous.version != request.version {
        return Err(AppError::Conflict);
    }
    let today = today(state);
    let mut input = request.child.clone();
    // A masked ID number coming back unchanged means "keep the stored one".
    if input
        .id_number
        .as_deref()
        .is_some_and(|value| value.contains('*'))
    {
        input.id_number = previous.child.id_number.clone();
    }
    let input = input.validate(today).map_err(AppError::Invalid)?;
    if !in_scope(user, &input) {
        return Err(invalid(
            "residence_village",
            Text::new(
                "只能把儿童登记在您负责的村(社区)",
                "You can only place children in your own villages",
            ),
        ));
    }
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let duplicates = state
        .store
        .find_possible_duplicates(&input, Some(id))
        .await?;
    let child = ChildItem {
        id: previous.id.clone(),
        version: previous.version + 1,
        eligibility: input.eligibility(today, &core),
        care_level_history: care_history(Some(&previous), &input, user, now)?,
        child: input,
        status: previous.status,
        exit: previous.exit.clone(),
        duplicates,
        created_at: previous.created_at,
        created_by: previous.created_by.clone(),
        updated_at: now,
        updated_by: user.id.clone(),
    };
    if !state.store.replace_child(&child, previous.version).await? {
        return Err(AppError::Conflict);
    }
    let detail = diff::changes(Some(&previous.child), &child.child);
    record_with(
        state,
        &user.actor(source),
        AuditAction::ChildUpdated,
        Some(child_target(id)),
        Some(detail),
    )
    .await?;
    Ok(child.record(user.role == Role::Admin))
}

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// A name prefix, or the last 4 characters of an ID number.
    pub search: Option<String>,
    pub village: Option<String>,
    pub filter: ChildFilter,
    pub cursor: Option<String>,
}

const PAGE_SIZE: usize = 50;

fn is_id_tail(search: &str) -> bool {
    search.len() == 4
        && search
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    source: Option<String>,
) -> Result<Page<ChildSummary>, AppError> {
    let mut filter = query.filter.clone();
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let id_tail = search
        .filter(|s| is_id_tail(s))
        .map(str::to_ascii_uppercase);
    if id_tail.is_none() {
        filter.name_prefix = search.map(str::to_string);
    }
    let villages: Vec<String> = match (&user.scope, &query.village) {
        (Scope::Villages { codes }, Some(village)) if codes.contains(village) => {
            vec![village.clone()]
        }
        (Scope::Villages { .. }, Some(_)) => return Err(AppError::NotFound),
        (Scope::Villages { codes }, None) => codes.clone(),
        (_, Some(village)) => vec![village.clone()],
        (_, None) => Vec::new(),
    };
    let bad_cursor = || {
        invalid(
            "cursor",
            Text::new(
                "翻页参数无效,请从第一页开始",
                "The page cursor is not valid; start from the first page",
            ),
        )
    };
    let (items, next) = if let Some(tail) = id_tail {
        let page = state
            .store
            .list_children(
                &ChildSource::IdTail(tail),
                &filter,
                query.cursor.as_deref(),
                PAGE_SIZE,
            )
            .await?
            .map_err(|()| bad_cursor())?;
        let items = page
            .items
            .into_iter()
            .filter(|child| {
                villages.is_empty() || villages.contains(&child.child.residence_village)
            })
            .filter(|child| in_scope(user, &child.child))
            .collect();
        (items, page.next)
    } else if villages.len() == 1 || (villages.is_empty() && user.role == Role::Admin) {
        let source_index = match villages.first() {
            Some(village) => ChildSource::Village(village.clone()),
            None => ChildSource::District,
        };
        let page = state
            .store
            .list_children(&source_index, &filter, query.cursor.as_deref(), PAGE_SIZE)
            .await?
            .map_err(|()| bad_cursor())?;
        (page.items, page.next)
    } else {
        // A director with several villages: each village's first pages, merged by name.
        let mut items = Vec::new();
        for village in &villages {
            let page = state
                .store
                .list_children(
                    &ChildSource::Village(village.clone()),
                    &filter,
                    None,
                    PAGE_SIZE * 4,
                )
                .await?
                .map_err(|()| bad_cursor())?;
            items.extend(page.items);
        }
        items.sort_by(|a, b| a.child.name.cmp(&b.child.name));
        (items, None)
    };
    let items: Vec<ChildSummary> = items
        .into_iter()
        .filter(|child| in_scope(user, &child.child))
        .map(|child| child.summary())
        .collect();
    let shown: Vec<&str> = items.iter().map(|child| child.id.as_str()).collect();
    record_with(
        state,
        &user.actor(source),
        AuditAction::ChildrenListed,
        None,
        Some(shown.join(",")),
    )
    .await?;
    Ok(Page { items, next })
}

/// Monitored children who turned 16 or no longer meet the definition, with why.
pub async fn review_list(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<Vec<ReviewItem>, AppError> {
    let today = today(state);
    let core = state.store.core_districts().await?;
    let mut items = Vec::new();
    for child in state.store.children_to_review(today).await? {
        if !in_scope(user, &child.child) {
            continue;
        }
        // Re-evaluate today: time passes between saves.
        let now = child.child.eligibility(today, &core);
        let reasons: Vec<_> = now
            .reasons
            .iter()
            .filter(|reason| !reason.met)
            .map(|reason| reason.text.clone())
            .collect();
        if !reasons.is_empty() {
            items.push(ReviewItem {
                child: child.summary(),
                reasons,
            });
        }
    }
    let shown: Vec<&str> = items.iter().map(|item| item.child.id.as_str()).collect();
    record_with(
        state,
        &user.actor(source),
        AuditAction::ChildrenReviewListed,
        None,
        Some(shown.join(",")),
    )
    .await?;
    Ok(items)
}

/// An admin confirms that a child leaves monitoring. The record is kept.
pub async fn confirm_exit(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &ConfirmExitRequest,
    source: Option<String>,
) -> Result<ChildRecord, AppError> {
    let reason = shared::validate::text_field("reason", &request.reason, 200, true)
        .map_err(|error| AppError::Invalid(vec![error]))?;
    let previous = visible_child(state, admin, id).await?;
    if previous.version != request.version {
        return Err(AppError::Conflict);
    }
    if previous.status == MonitoringStatus::LeftMonitoring {
        return Err(AppError::Conflict);
    }
    let mut child = previous.clone();
    child.version += 1;
    child.status = MonitoringStatus::LeftMonitoring;
    child.exit = Some(MonitoringExit {
        on: today(state),
        reason: reason.clone(),
        by: admin.display_name.clone(),
    });
    child.updated_at = state.clock.now();
    child.updated_by = admin.id.clone();
    if !state.store.replace_child(&child, previous.version).await? {
        return Err(AppError::Conflict);
    }
    let detail =
        serde_json::json!([{"field": "status", "before": "monitored", "after": "left_monitoring"},
        {"field": "exit.reason", "before": null, "after": reason}])
        .to_string();
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ChildExitConfirmed,
        Some(child_target(id)),
        Some(detail),
    )
    .await?;
    Ok(child.record(true))
}

pub async fn core_districts(state: &AppState) -> Result<CoreDistricts, AppError> {
    Ok(state.store.core_districts().await?)
}

pub async fn set_core_districts(
    state: &AppState,
    admin: &CurrentUser,
    value: &CoreDistricts,
    source: Option<String>,
) -> Result<CoreDistricts, AppError> {
    let mut errors = Vec::new();
    if value.cities.len() > 50 {
        errors.push(shared::FieldError::new(
            "cities",
            Text::new("城市过多", "Too many cities"),
        ));
    }
    for (i, city) in value.cities.iter().enumerate() {
        if shared::divisions::city_name(&city.city_code).is_none() {
            errors.push(shared::FieldError::new(
                &format!("cities[{i}].city_code"),
                Text::new(
                    "不是已知的地级市代码",
                    "Not a known prefecture-level city code",
                ),
            ));
        }
        if city.county_codes.is_empty()
            || city.county_codes.len() > 30
            || city.county_codes.iter().any(|code| {
                shared::divisions::county(code).is_none() || !code.starts_with(&city.city_code)
            })
        {
            errors.push(shared::FieldError::new(
                &format!("cities[{i}].county_codes"),
                Text::new(
                    "主城区须为该市下属的县级区划代码",
                    "Core districts must be county codes of that city",
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let before = state.store.core_districts().await?;
    state.store.set_core_districts(value).await?;
    let detail = serde_json::json!([{"field": "core_districts", "before": before, "after": value}])
        .to_string();
    record_with(
        state,
        &admin.actor(source),
        AuditAction::CoreDistrictsChanged,
        None,
        Some(detail),
    )
    .await?;
    Ok(value.clone())
}
