//! API tests: client and server run in memory against each other.

mod alpn;
mod client_auth;
mod common;
mod findings;
mod handshake;
mod records;
mod resume;
mod robustness;
mod tls13;
