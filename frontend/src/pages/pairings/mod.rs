pub mod board;
pub mod mine;
pub mod volunteers;
