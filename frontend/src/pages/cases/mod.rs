pub mod case;
pub mod list;
pub mod plan;
