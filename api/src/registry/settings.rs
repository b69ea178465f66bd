//! The core urban districts: moving between two of them is not "working away".

use shared::api::AuditAction;
use shared::eligibility::CoreDistricts;
use shared::Text;

use crate::accounts::{audit_entry, CurrentUser};
use crate::{AppError, AppState};

pub async fn core_districts(state: &AppState) -> Result<CoreDistricts, AppError> {
    Ok(state.store.core_districts().await?)
}

fn check(value: &CoreDistricts) -> Result<(), AppError> {
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
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Saves the setting with its audit entry (before and after) in one transaction. The write is
/// conditional on the setting read for "before": if another admin saved in between, this one
/// gets 409 rather than overwriting a change it never saw.
pub async fn set_core_districts(
    state: &AppState,
    admin: &CurrentUser,
    value: &CoreDistricts,
    source: Option<String>,
) -> Result<CoreDistricts, AppError> {
    check(value)?;
    let before = state.store.core_districts_setting().await?;
    let detail =
        serde_json::json!([{"field": "core_districts", "before": before.value, "after": value}])
            .to_string();
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::CoreDistrictsChanged,
        None,
        Some(detail),
    );
    if !state
        .store
        .set_core_districts(value, before.revision, &entry)
        .await?
    {
        return Err(AppError::Conflict);
    }
    Ok(value.clone())
}
