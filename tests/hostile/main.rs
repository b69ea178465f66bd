//! Hostile input against the real server: schemathesis generating requests from the OpenAPI
//! document (as an admin and as a volunteer), random bodies, and oversized or nasty text in every
//! text field. Nothing may answer 5xx; every refusal explains itself in both languages.

mod payloads;
mod schemathesis;
