//! Types shared by the browser and the API: roles, validated values, error codes and the JSON
//! request/response shapes. Builds for wasm32 and native; knows nothing about storage or HTTP.

#[macro_use]
mod labelled;

pub mod api;
pub mod divisions;
pub mod error;
pub mod i18n;
pub mod role;
pub mod validate;

pub use error::{ApiErrorBody, ErrorCode, FieldError};
pub use i18n::{Lang, Text};
pub use role::{Role, Scope};
pub mod calendar;
pub mod cases;
pub mod children;
pub mod eligibility;
pub mod events;
pub mod id_number;
pub mod national;
pub mod pairings;
pub mod referrals;
pub mod statistics;
pub mod time;
pub mod visits;
