//! API integration tests: the real local server on the real embedded engine, one fresh engine
//! per test.

mod accounts;
mod authorization;
mod bad_input;
mod cases;
mod dynamo_rules;
mod events;
mod lambda;
mod openapi;
mod pairings;
mod registry;
mod storage;
mod transfer;
