pub mod board;
pub mod mine;
mod pairing;
mod suggestions;
mod vetting;
pub mod volunteers;
