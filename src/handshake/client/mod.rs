//! The client's handshake states.

mod tls12;

pub(crate) use tls12::start;
