pub mod feedback;
pub mod form;
pub mod shell;
