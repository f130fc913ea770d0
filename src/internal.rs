//! Internals with no stability promise: the wire codec, the messages, the record layer, the
//! handshake states and the key schedule. Public (and hidden from the docs) only for the fuzz
//! targets, the benches and the tests that rewrite messages; inside the crate they are
//! `crate::msgs` and so on, and nothing here is part of the API.

#[path = "codec/mod.rs"]
pub mod codec;
#[path = "handshake/mod.rs"]
pub mod handshake;
#[path = "key_schedule/mod.rs"]
pub mod key_schedule;
#[path = "msgs/mod.rs"]
pub mod msgs;
#[path = "record/mod.rs"]
pub mod record;
