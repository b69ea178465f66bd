//! The registry list and the review list. Every list records which children it showed.
//!
//! Admins, and a director looking at one village, page through one index with its own cursor.
//! A director with several villages gets one list merged by name across them: each page reads
//! every unfinished village from where it stopped and shows the 50 first names; the cursor
//! says, per village, after which child to go on (or that it is finished), so every child of
//! every village is reached however many there are.
//!
//! The filters on what a child's record does not hold (an active pairing, a case group, an
//! open crisis) compare ids read from those capabilities' indexes once per request; the page
//! and its total use the same sets, and so do the statistics that link here.

use std::collections::BTreeMap;

use base64::Engine as _;
use shared::api::{AuditAction, Page};
use shared::children::{ChildSummary, ReviewItem};
use shared::{Role, Scope, Text};

use super::duplicates::flagged;
use super::{in_scope, invalid, today};
use crate::accounts::{record_with, CurrentUser};
use crate::store::children::{name_key, ChildFilter, ChildItem, ChildSource, Memberships};
use crate::{AppError, AppState};

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// A name prefix, or the last 4 characters of an ID number.
    pub search: Option<String>,
    pub village: Option<String>,
    pub filter: ChildFilter,
    pub memberships: Memberships,
    pub cursor: Option<String>,
}

const PAGE_SIZE: usize = 50;

fn is_id_tail(search: &str) -> bool {
    search.len() == 4
        && search
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
}

fn bad_cursor() -> AppError {
    invalid(
        "cursor",
        Text::new(
            "翻页参数无效,请从第一页开始",
            "The page cursor is not valid; start from the first page",
        ),
    )
}

/// What a list reads, resolved from the query and the reader's scope: the filter (name prefix
/// or ID tail), the villages it is limited to (none: the district, admins only).
struct Resolved {
    filter: ChildFilter,
    villages: Vec<String>,
    id_tail: Option<String>,
}

async fn resolve(
    state: &AppState,
    user: &CurrentUser,
    query: &ListQuery,
) -> Result<Resolved, AppError> {
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
    let mut villages: Vec<String> = match (&user.scope, &query.village) {
        (Scope::Villages { codes }, Some(village)) if codes.contains(village) => {
            vec![village.clone()]
        }
        (Scope::Villages { .. }, Some(_)) => return Err(AppError::NotFound),
        (Scope::Villages { codes }, None) => codes.clone(),
        (_, Some(village)) => vec![village.clone()],
        (_, None) => Vec::new(),
    };
    villages.sort();
    villages.dedup();
    if query.memberships.any() {
        let sets = state.store.membership_sets().await?;
        filter.id_sets.extend(sets.conditions(query.memberships));
    }
    Ok(Resolved {
        filter,
        villages,
        id_tail,
    })
}

/// How many children a list would hold, without reading them (a home page's number; a count
/// shows no child, so it is not a read of children's data). A search is refused: a count of one
/// name with a sensitive filter (a difficulty group, an open crisis) would tell about that child
/// without the audited read that the list is.
pub async fn count_list(
    state: &AppState,
    user: &CurrentUser,
    query: &ListQuery,
) -> Result<u64, AppError> {
    if query
        .search
        .as_deref()
        .is_some_and(|search| !search.trim().is_empty())
    {
        return Err(invalid(
            "q",
            Text::new(
                "计数不支持按姓名或证件号搜索,请在名册中搜索",
                "A count takes no search by name or ID number; search the registry instead",
            ),
        ));
    }
    let Resolved {
        filter,
        villages,
        id_tail,
    } = resolve(state, user, query).await?;
    count(state, user, &filter, &villages, id_tail.as_deref()).await
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    source: Option<String>,
) -> Result<Page<ChildSummary>, AppError> {
    let Resolved {
        mut filter,
        villages,
        id_tail,
    } = resolve(state, user, &query).await?;
    // A cursor remembers its direction: one made reading A→Z cannot be replayed Z→A.
    let cursor = match (query.cursor.as_deref(), filter.descending) {
        (None, _) => None,
        (Some(cursor), true) => Some(cursor.strip_prefix(DESCENDING).ok_or_else(bad_cursor)?),
        (Some(cursor), false) if cursor.starts_with(DESCENDING) => return Err(bad_cursor()),
        (Some(cursor), false) => Some(cursor),
    };
    let total = count(state, user, &filter, &villages, id_tail.as_deref()).await?;
    let (items, next) = if let Some(tail) = id_tail {
        // The district-wide ID index, limited to the reader's villages inside the query: the
        // page, its count and its cursor then hold nothing from elsewhere.
        filter.villages = villages.clone();
        let index = ChildSource::IdTail(tail);
        let page = state
            .store
            .list_children(&index, &filter, cursor, PAGE_SIZE)
            .await?
            .map_err(|()| bad_cursor())?;
        let items = page
            .items
            .into_iter()
            .filter(|child| {
                villages.is_empty() || villages.contains(&child.child.residence_village)
            })
            .collect();
        (items, page.next)
    } else if villages.len() == 1 || (villages.is_empty() && user.role == Role::Admin) {
        let index = match villages.first() {
            Some(village) => ChildSource::Village(village.clone()),
            None => ChildSource::District,
        };
        let page = state
            .store
            .list_children(&index, &filter, cursor, PAGE_SIZE)
            .await?
            .map_err(|()| bad_cursor())?;
        (page.items, page.next)
    } else {
        merged_page(state, &villages, &filter, cursor).await?
    };
    let items: Vec<ChildItem> = items
        .into_iter()
        .filter(|child| in_scope(user, &child.child))
        .collect();
    let duplicates = flagged(state, &items).await?;
    let items: Vec<ChildSummary> = items
        .iter()
        .map(|child| child.summary(duplicates.contains(&child.id)))
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
    Ok(Page {
        items,
        next: next.map(|next| {
            if filter.descending {
                format!("{DESCENDING}{next}")
            } else {
                next
            }
        }),
        total: Some(total),
    })
}

/// The mark on a cursor of a Z→A reading (cursors are base64url, which has no '~').
const DESCENDING: &str = "~";

/// How many children the whole list holds, counted by the same queries that page it.
async fn count(
    state: &AppState,
    user: &CurrentUser,
    filter: &ChildFilter,
    villages: &[String],
    id_tail: Option<&str>,
) -> Result<u64, AppError> {
    if let Some(tail) = id_tail {
        let mut filter = filter.clone();
        filter.villages = villages.to_vec();
        let source = ChildSource::IdTail(tail.to_string());
        return Ok(state.store.count_children(&source, &filter).await?);
    }
    if villages.is_empty() {
        if user.role != Role::Admin {
            return Ok(0);
        }
        return Ok(state
            .store
            .count_children(&ChildSource::District, filter)
            .await?);
    }
    let sources: Vec<ChildSource> = villages
        .iter()
        .map(|village| ChildSource::Village(village.clone()))
        .collect();
    let counts = futures::future::join_all(
        sources
            .iter()
            .map(|source| state.store.count_children(source, filter)),
    )
    .await;
    let mut total = 0;
    for count in counts {
        total += count?;
    }
    Ok(total)
}

/// Per village: after which child (its name key) the list goes on, or `None` once the
/// village is finished. A village not named has not started.
type Positions = BTreeMap<String, Option<String>>;

/// A cursor is a few dozen bytes per village; anything much longer was not made here.
const CURSOR_MAX: usize = 8 * 1024;

fn encode_positions(positions: &Positions) -> Option<String> {
    let json = serde_json::to_vec(positions).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
}

/// A cursor back from the browser: only this director's villages, and positions that are a
/// name and a record id, so a forged one can only move within their own villages.
fn decode_positions(cursor: &str, villages: &[String]) -> Option<Positions> {
    if cursor.len() > CURSOR_MAX {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let positions: Positions = serde_json::from_slice(&bytes).ok()?;
    let valid = positions.iter().all(|(village, position)| {
        villages.contains(village) && position.as_deref().is_none_or(|at| split(at).is_some())
    });
    valid.then_some(positions)
}

/// A name key back into the child's name and id.
fn split(position: &str) -> Option<(&str, &str)> {
    let (name, id) = position.rsplit_once('#')?;
    (!name.is_empty() && ulid::Ulid::from_string(id).is_ok()).then_some((name, id))
}

async fn merged_page(
    state: &AppState,
    villages: &[String],
    filter: &ChildFilter,
    cursor: Option<&str>,
) -> Result<(Vec<ChildItem>, Option<String>), AppError> {
    let mut positions = match cursor {
        None => Positions::new(),
        Some(cursor) => decode_positions(cursor, villages).ok_or_else(bad_cursor)?,
    };
    // Each village's next children in name order, and whether it holds more.
    let mut read: Vec<(Vec<ChildItem>, bool)> = Vec::with_capacity(villages.len());
    for village in villages {
        let after = match positions.get(village) {
            Some(None) => {
                read.push((Vec::new(), false));
                continue;
            }
            Some(Some(position)) => Some(split(position).ok_or_else(bad_cursor)?),
            None => None,
        };
        read.push(
            state
                .store
                .village_children_after(village, filter, after, PAGE_SIZE)
                .await?,
        );
    }
    // The first names over all villages. Each village's children come in name order, so
    // what a village contributes is a prefix of what was read from it.
    let mut order: Vec<(String, usize, usize)> = read
        .iter()
        .enumerate()
        .flat_map(|(village, (children, _))| {
            children
                .iter()
                .enumerate()
                .map(move |(at, child)| (name_key(&child.child.name, &child.id), village, at))
        })
        .collect();
    order.sort();
    if filter.descending {
        order.reverse();
    }
    order.truncate(PAGE_SIZE);
    let mut taken = vec![0usize; villages.len()];
    for (_, village, _) in &order {
        taken[*village] += 1;
    }
    for (index, village) in villages.iter().enumerate() {
        let (children, more) = &read[index];
        if matches!(positions.get(village), Some(None)) {
            continue;
        }
        if taken[index] == children.len() && !more {
            positions.insert(village.clone(), None);
        } else if let Some(last) = taken[index].checked_sub(1).and_then(|at| children.get(at)) {
            positions.insert(village.clone(), Some(name_key(&last.child.name, &last.id)));
        }
    }
    let finished = villages
        .iter()
        .all(|village| matches!(positions.get(village), Some(None)));
    let next = if finished {
        None
    } else {
        encode_positions(&positions)
    };
    let mut slots: Vec<Vec<Option<ChildItem>>> = read
        .into_iter()
        .map(|(children, _)| children.into_iter().map(Some).collect())
        .collect();
    let shown = order
        .into_iter()
        .filter_map(|(_, village, at)| slots.get_mut(village)?.get_mut(at)?.take())
        .collect();
    Ok((shown, next))
}

/// Monitored children who turned 16 or no longer meet the definition, with why.
pub async fn review_list(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<Vec<ReviewItem>, AppError> {
    let today = today(state);
    let core = state.store.core_districts().await?;
    let mut due = Vec::new();
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
            due.push((child, reasons));
        }
    }
    let children: Vec<ChildItem> = due.iter().map(|(child, _)| child.clone()).collect();
    let duplicates = flagged(state, &children).await?;
    let items: Vec<ReviewItem> = due
        .into_iter()
        .map(|(child, reasons)| ReviewItem {
            child: child.summary(duplicates.contains(&child.id)),
            reasons,
        })
        .collect();
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
