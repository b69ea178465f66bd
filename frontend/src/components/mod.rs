pub mod county_picker;
pub mod eligibility;
pub mod feedback;
pub mod form;
pub mod shell;
