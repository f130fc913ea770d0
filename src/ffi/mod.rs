//! The C API: `libferrotls` and `include/ferrotls.h` (generated from this module by cbindgen).
//!
//! This module and `src/openssl` are the only places with `unsafe`. Every exported function
//! has the same shape (design habit 7): `ffi_boundary!` puts the body behind a panic boundary, the
//! `try_*!` macros turn raw pointers into references or return `FERROTLS_NULL_ARGUMENT` /
//! `FERROTLS_INVALID_ARGUMENT`, and the rest is a call into the safe Rust API. The raw-pointer
//! casts live in `handle.rs`, `slice.rs` and `io.rs`, each with a `// SAFETY:` comment. The
//! setters the two config builders share (versions, cipher list, legacy, EMS, EtM, ALPN) are
//! written once in `policy.rs` with that shape, generic over `PolicyBuilder`; the exported
//! functions keep their names and documentation and call them.
//!
//! One file per C object family: `cert.rs` (`ferrotls_cert`, `ferrotls_cert_chain`), `key.rs`,
//! `trust_store.rs`, `client_config.rs`, `server_config.rs` (builders and configs, with the
//! shared settings in `policy.rs`), `client_verifier.rs` (client-certificate verification and the
//! verify callback), `conn.rs`, `keylog.rs` (the key log callback and the keying material exporter), `session.rs` (`ferrotls_session` and the server's session cache), and `io.rs` (file descriptor and callback
//! transports). `result.rs` holds the result codes and last-error messages, `version.rs` the
//! version string. The conventions for C callers are in the header's preamble (cbindgen.toml).
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![allow(non_camel_case_types, clippy::not_unsafe_ptr_arg_deref)]

#[macro_use]
pub mod panic;
#[macro_use]
pub(crate) mod handle;
#[macro_use]
pub(crate) mod slice;
#[macro_use]
pub mod policy;
pub mod cert;
pub mod client_config;
pub mod client_verifier;
pub mod conn;
pub mod groups;
pub mod io;
pub mod key;
pub mod keylog;
pub mod provider;
pub mod result;
pub mod server_config;
pub mod session;
pub mod sni;
pub mod trust_store;
pub mod version;

pub use policy::ferrotls_tls_version;
pub use result::ferrotls_result;
pub use slice::ferrotls_slice_bytes;
