//! API tests: client and server run in memory against each other.

mod alpn;
mod certs;
mod client_auth;
mod common;
mod ecdhe;
mod findings;
mod handshake;
mod keylog;
mod observe;
mod records;
mod resume;
mod robustness;
mod tickets;
mod tls13;
mod tls13_mlkem;
mod tls13_resume;
