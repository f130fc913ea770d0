//! Handshake, alert and ChangeCipherSpec messages: one type per RFC message, each a `Codec`.
#![forbid(unsafe_code)]

pub mod enums;
