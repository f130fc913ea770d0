//! The server's handshake states.

mod hello;
mod tls12;
mod tls12_resume;
mod tls13;

pub(crate) use tls13::{check_tls13_scheme_fits_key, tls13_scheme, tls13_schemes_for};

pub(crate) use hello::start;
