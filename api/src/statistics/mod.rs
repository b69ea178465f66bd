//! The statistics a district reports upward (children monitored, by street, village, category,
//! care level, age band, gender, guardianship type and schooling; new and exited this year;
//! pairing coverage; case groups and open crises), for an admin (the district, or one street
//! or village of it) and a director (their villages).
//!
//! This is reporting, not an invariant: the children are read from the registry's list
//! indexes (the district's, or each village's), every page, like the lists the numbers link
//! to; on DynamoDB an index may lag a save by a moment, and so may a number. Counting reads no
//! child's identity and shows none, so viewing the numbers is not an audited read of children;
//! the export, a file leaving the portal, is recorded.
//!
//! - `count`: the one pass over the children, and each number's link;
//! - `export`: the numbers as a spreadsheet.

mod count;
mod export;

pub use export::export;

use shared::statistics::Statistics;
use shared::{Role, Scope};

use crate::accounts::CurrentUser;
use crate::store::children::{ChildFilter, ChildItem, ChildSource};
use crate::{AppError, AppState};

use count::{Counting, Params};

/// What a reader asks to count: all they may see, or one street or village of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    All,
    /// A street of the district, by its 9-digit code.
    Street(String),
    /// A village of the district, by its 12-digit code.
    Village(String),
}

/// Where the numbers come from, for this reader.
struct Resolved {
    /// The villages read; `None`: the whole district (an admin).
    villages: Option<Vec<String>>,
    /// A street an admin narrowed to (read from the district's list with the street filter).
    street: Option<String>,
    /// What every link carries so that its list covers the same children.
    params: Params,
}

fn resolve(user: &CurrentUser, within: &Within) -> Result<Resolved, AppError> {
    let params: Params = match within {
        Within::All => Vec::new(),
        Within::Street(code) => vec![("street", code.clone())],
        Within::Village(code) => vec![("village", code.clone())],
    };
    match (user.role, &user.scope, within) {
        (Role::Admin, _, Within::All) => Ok(Resolved {
            villages: None,
            street: None,
            params,
        }),
        (Role::Admin, _, Within::Street(code)) => Ok(Resolved {
            villages: None,
            street: Some(code.clone()),
            params,
        }),
        (Role::Admin, _, Within::Village(code)) => Ok(Resolved {
            villages: Some(vec![code.clone()]),
            street: None,
            params,
        }),
        (Role::Director, Scope::Villages { codes }, _) => {
            let mut villages: Vec<String> = match within {
                Within::All => codes.clone(),
                // A street holds those of the director's villages whose codes start with it.
                Within::Street(street) => codes
                    .iter()
                    .filter(|code| code.starts_with(street.as_str()))
                    .cloned()
                    .collect(),
                // Another village's numbers are not the director's to know, nor that it
                // has any.
                Within::Village(code) if codes.contains(code) => vec![code.clone()],
                Within::Village(_) => return Err(AppError::NotFound),
            };
            villages.sort();
            villages.dedup();
            Ok(Resolved {
                villages: Some(villages),
                street: None,
                params,
            })
        }
        _ => Err(AppError::Forbidden),
    }
}

/// Every child of the scope, whatever their status, all pages.
async fn children_of(state: &AppState, resolved: &Resolved) -> Result<Vec<ChildItem>, AppError> {
    let Some(villages) = &resolved.villages else {
        let filter = ChildFilter {
            street: resolved.street.clone(),
            ..ChildFilter::default()
        };
        return Ok(state
            .store
            .every_child(&ChildSource::District, &filter)
            .await?);
    };
    let filter = ChildFilter::default();
    let reads = villages.iter().map(|village| {
        let source = ChildSource::Village(village.clone());
        let filter = &filter;
        async move { state.store.every_child(&source, filter).await }
    });
    let mut children = Vec::new();
    for read in futures::future::join_all(reads).await {
        children.extend(read?);
    }
    Ok(children)
}

/// The numbers for `user` within `within`.
pub async fn statistics(
    state: &AppState,
    user: &CurrentUser,
    within: &Within,
) -> Result<Statistics, AppError> {
    let resolved = resolve(user, within)?;
    let (children, sets) =
        tokio::join!(children_of(state, &resolved), state.store.membership_sets());
    let (children, sets) = (children?, sets?);
    let villages = match (&resolved.villages, &resolved.street) {
        (Some(villages), _) => villages.clone(),
        (None, Some(street)) => shared::divisions::villages()
            .filter(|village| village.code.starts_with(street.as_str()))
            .map(|village| village.code.to_string())
            .collect(),
        (None, None) => Vec::new(),
    };
    let whole_district = resolved.villages.is_none() && resolved.street.is_none();
    Ok(count::statistics(Counting {
        whole_district,
        today: crate::registry::today(state),
        generated_at: state.clock.now(),
        children: &children,
        sets: &sets,
        scope: &resolved.params,
        villages,
    }))
}

/// How the audit log names a scope.
fn describe(within: &Within) -> String {
    match within {
        Within::All => "all".into(),
        Within::Street(code) => format!("street:{code}"),
        Within::Village(code) => format!("village:{code}"),
    }
}
