//! The aws-lc provider (cargo feature `aws-lc`, on by default): the `crypto` traits over
//! aws-lc-rs (TLS 1.2 and 1.3 AEAD records, HKDF, SHA-2/HMAC, ticket sealing, RSA, ECDHE,
//! ECDSA/Ed25519) and aws-lc's stitched AES-CBC-HMAC for sending CBC records, mixed with the
//! RustCrypto pieces aws-lc does not replace (receiving CBC records with the Lucky 13
//! countermeasure, 3DES/RC4 records, MD5, the TLS 1.0–1.2 PRF's HMAC).
//!
//! `sys.rs` is the one file of the core with `unsafe` code (raw `aws-lc-sys` calls: the RSA
//! private operation and the stitched CBC cipher, see there why); every other file here
//! forbids it, and `scripts/lint-grep.sh` checks that no other core file has any.
#![deny(unsafe_code)]

pub mod aead;
pub mod cbc_hmac;
pub mod hash;
pub mod hkdf;
pub mod kx;
mod provider;
pub mod rand;
pub mod sign;
// sys.rs allows `unsafe` for itself (`#![allow(unsafe_code)]`), the core's one exception.
mod sys;
mod verify;

pub use provider::{
    find_suite, ALL_CIPHER_SUITES, ALL_TLS13_CIPHER_SUITES, AWS_LC_PROVIDER, EVERY_CIPHER_SUITE,
    TLS13_AES_128_GCM_SHA256, TLS13_AES_256_GCM_SHA384, TLS13_CHACHA20_POLY1305_SHA256,
    TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA256,
    TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA256,
    TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_RC4_128_MD5, TLS_RSA_WITH_RC4_128_SHA,
};
pub use sign::{AwsLcKeyProvider, AWS_LC_KEY_PROVIDER};
pub use verify::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
