//! The RustCrypto provider: implementations of the `crypto` traits, the cipher suite table and
//! the default provider. This is the only module that names RustCrypto crates.
//!
//! Most callers need only [`DEFAULT_PROVIDER`] (or [`ALL_CIPHER_SUITES`] / [`find_suite`] to
//! build a variant); the submodules expose the individual algorithms for custom providers.
#![forbid(unsafe_code)]

pub mod aead;
pub mod cbc_hmac;
pub mod ecdh;
pub mod ecdsa;
pub mod ed25519;
pub mod hash;
pub mod hkdf;
pub mod keys;
pub mod libcrypto;
pub mod libcrypto_aes;
pub mod mlkem;
#[cfg(test)]
mod openssl_cli;
mod provider;
pub mod rand;
pub mod rc4_hmac;
pub mod rsa;
pub mod rsa_pss;
pub(crate) mod signature_verify;
pub(crate) mod signature_verify_modern;
pub mod time;

pub use keys::{RustCryptoKeyProvider, KEY_PROVIDER};
// Every suite static (RSA and ECDHE), the table and the provider.
pub use provider::*;
pub use rand::{SystemRandom, SYSTEM_RANDOM};
pub use rsa::{RsaKey, RsaKeyProvider, RSA_KEY_PROVIDER};
pub use signature_verify::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
pub use time::SystemTimeProvider;

#[cfg(test)]
pub(crate) mod test_util {
    /// Decodes a hex string (test vectors only; panics on bad input).
    pub(crate) fn unhex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        s.chunks(2).map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
    }

    /// A record to encrypt, from the raw type and version.
    pub(crate) fn plain_msg(
        typ: u8,
        version: impl Into<crate::enums::ProtocolVersion>,
        payload: &[u8],
    ) -> crate::crypto::OutboundPlainMessage<'_> {
        crate::crypto::OutboundPlainMessage { typ: typ.into(), version: version.into(), payload }
    }

    /// A received record to decrypt, from the raw type and version.
    pub(crate) fn opaque_msg(
        typ: u8,
        version: impl Into<crate::enums::ProtocolVersion>,
        payload: &mut [u8],
    ) -> crate::crypto::InboundOpaqueMessage<'_> {
        crate::crypto::InboundOpaqueMessage { typ: typ.into(), version: version.into(), payload }
    }
}
