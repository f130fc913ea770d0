//! The client's handshake states.

mod hello;
mod tls12;
mod tls12_resume;
mod tls13;

pub(crate) use hello::start;
