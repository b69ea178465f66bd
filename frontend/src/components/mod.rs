//! Shared components: the small design system of docs/design.md, used by every page.

pub mod chart;
pub mod confirm;
pub mod county_picker;
pub mod eligibility;
pub mod errors;
pub mod feedback;
pub mod form;
pub mod picker;
pub mod shell;
pub mod table;
pub mod toast;
