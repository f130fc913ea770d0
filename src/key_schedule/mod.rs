//! Key schedules: the TLS 1.0–1.2 PRF and what it derives (`tls12`), and the TLS 1.3 HKDF
//! schedule (`tls13`). Both go through provider traits only (`Hmac`, `Hkdf`, `Hash`).
#![forbid(unsafe_code)]

mod prf;
mod tls12;
pub mod tls13;

pub use self::tls12::*;
