//! API integration tests: the real local server on the real embedded engine, one fresh engine
//! per test.

mod accounts;
mod accounts_rules;
mod authorization;
mod backup;
mod bad_input;
mod cases;
mod cases_races;
mod dynamo_rules;
mod encryption;
mod events;
mod events_races;
mod frontend_cache;
mod lambda;
mod lists;
mod logs;
mod openapi;
mod pairings;
mod pairings_races;
mod record_schema;
mod referrals;
mod registry;
mod registry_rules;
mod statistics;
mod storage;
mod transfer;
mod visits;
