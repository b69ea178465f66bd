pub mod account;
pub mod activate;
pub mod audit;
pub mod home;
pub mod login;
pub mod not_found;
pub mod register;
pub mod users;
