//! Service sites (儿童之家, 未保工作站, 妇儿驿站 …), kept by admins.

use shared::api::AuditAction;
use shared::events::{Site, SiteInput};

use crate::accounts::{audit_entry, CurrentUser};
use crate::{AppError, AppState};

pub async fn list_sites(state: &AppState) -> Result<Vec<Site>, AppError> {
    Ok(state.store.list_sites().await?)
}

/// Creates a site (`id` none) or edits one; the change and its audit entry are one write.
pub async fn save_site(
    state: &AppState,
    admin: &CurrentUser,
    id: Option<&str>,
    input: &SiteInput,
    source: Option<String>,
) -> Result<Site, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let new = id.is_none();
    let site = Site {
        id: id.map_or_else(|| ulid::Ulid::new().to_string(), str::to_string),
        site: input,
    };
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::SiteSaved,
        Some(format!("site:{}", site.id)),
        None,
    );
    if state.store.save_site(&site, new, &entry).await? {
        Ok(site)
    } else if new {
        // A fresh id never clashes; this would be a bug, not a race.
        Err(AppError::Conflict)
    } else {
        Err(AppError::NotFound)
    }
}
