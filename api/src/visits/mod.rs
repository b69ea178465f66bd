//! Quarterly visits by children's directors: the register (append-only, idempotent by the id
//! the phone made), the schedule of visits due, the settings, and the district's compliance.

mod compliance;
mod plan;
mod register;
mod settings;

pub use compliance::{compliance, export_compliance};
pub use plan::{plan, ChildVisits};
pub use register::{child_visits, get_visit, record_visit};
pub use settings::{set_settings, settings};

use chrono::{DateTime, Utc};
use shared::{Role, Scope};

use crate::accounts::CurrentUser;

/// How far back visits are read for a schedule or a report: the longest interval (12 months)
/// and a quarter's trend both fit.
pub(crate) fn lookback(now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::days(400)
}

/// The villages a reader's visit lists cover: a director's own, or (admins) every village of
/// the district.
pub(crate) fn villages_of(user: &CurrentUser) -> Vec<String> {
    match (&user.role, &user.scope) {
        (Role::Director, Scope::Villages { codes }) => codes.clone(),
        (Role::Admin, _) => shared::divisions::villages()
            .map(|village| village.code.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn visit_target(id: &str) -> String {
    format!("visit:{id}")
}
