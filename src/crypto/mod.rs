//! Cryptographic provider traits: the only view the core has of cryptography.
//!
//! The core (`record`, `key_schedule`, `handshake`) names no algorithm implementation; it asks a
//! [`CryptoProvider`] for hashes, HMAC keys, record protection and RSA operations. `suites/`
//! implements these traits with RustCrypto, and a second provider (a faster RSA backend, say) can
//! be added without touching the core.
#![forbid(unsafe_code)]

mod cipher;
mod hash;
mod rand;
mod rsa;

pub use self::cipher::{
    DecryptError, EncryptError, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams, Tls12CipherSuite,
    Tls12RecordAlgorithm,
};
pub use self::hash::{Hash, HashAlgorithm, HashContext, HashOutput, Hmac, HmacKey};
pub use self::rand::{GetRandomFailed, SecureRandom};
pub use self::rsa::{KeyProvider, RsaPrivateKey, RsaPublicKeyError};
pub use rustls_pki_types::SignatureVerificationAlgorithm;

/// Everything the core needs from a cryptography implementation, as `'static` data.
///
/// Variants are built with struct update syntax over the default provider
/// (`CryptoProvider { cipher_suites: &[..], ..*ferrotls::suites::DEFAULT_PROVIDER }`).
#[derive(Clone, Copy)]
pub struct CryptoProvider {
    /// Every TLS 1.0–1.2 cipher suite this provider implements, most preferred first.
    pub cipher_suites: &'static [&'static Tls12CipherSuite],
    /// Source of randomness for hello randoms, premaster secrets and explicit IVs.
    pub random: &'static dyn SecureRandom,
    /// Loads private keys and performs public-key operations on certificates' keys.
    pub key_provider: &'static dyn KeyProvider,
    /// Looks up a hash implementation by algorithm (`None` when the provider lacks it).
    pub hash: fn(HashAlgorithm) -> Option<&'static dyn Hash>,
    /// Looks up an HMAC implementation by its hash algorithm.
    pub hmac: fn(HashAlgorithm) -> Option<&'static dyn Hmac>,
    /// Certificate signature algorithms accepted by default (no SHA-1, never MD5).
    pub signature_algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    /// Certificate signature algorithms accepted in the legacy profile (adds SHA-1).
    pub legacy_signature_algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
}

impl core::fmt::Debug for CryptoProvider {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CryptoProvider").field("cipher_suites", &self.cipher_suites).finish_non_exhaustive()
    }
}
