pub mod detail;
mod detail_national;
pub mod exit;
pub mod form;
mod form_checks;
mod form_national;
mod form_national_checks;
mod form_national_state;
mod form_parent;
mod form_parent_state;
mod form_parts;
mod form_state;
pub mod import;
pub mod list;
pub mod list_filters;
pub mod review;

use shared::children::ChildSummary;

/// Age in whole years on `today`, as people say it (周岁).
pub fn age(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0)
}

pub fn village_label(summary: &ChildSummary) -> String {
    let village = shared::divisions::village_name(&summary.village_code).unwrap_or_default();
    let street = shared::divisions::street_of_village(&summary.village_code)
        .map(|street| street.name)
        .unwrap_or_default();
    format!("{street} {village}")
}
