//! Items earlier versions did not write, added once on start-up (each step leaves a marker, so
//! later starts cost one read each): duplicate claims for children, volunteers' pairing links.
//! An import a stopped process left half-written is undone.

use crate::{AppError, AppState};

pub async fn bring_data_up_to_date(state: &AppState) -> Result<(), AppError> {
    let claims = state.store.ensure_child_claims().await?;
    let links = state.store.ensure_pairing_links().await?;
    let undone = crate::registry::transfer::recover_unfinished_imports(state).await?;
    if claims + links + undone > 0 {
        tracing::info!(claims, links, undone, "data brought up to date");
    }
    Ok(())
}
