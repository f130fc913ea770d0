//! The RustCrypto provider: implementations of the `crypto` traits, the cipher suite table and
//! the default provider. This is the only module that names RustCrypto crates.
#![forbid(unsafe_code)]

mod signature_verify;

pub use signature_verify::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
