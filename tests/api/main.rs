//! API tests: client and server run in memory against each other.

mod client_auth;
mod common;
mod handshake;
mod records;
mod resume;
mod robustness;
