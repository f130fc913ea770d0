//! The server's handshake states.

mod tls12;
mod tls12_resume;

pub(crate) use tls12::start;
