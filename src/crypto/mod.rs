//! Cryptographic provider traits: the only view the core has of cryptography.
//!
//! The core (`record`, `key_schedule`, `handshake`) names no algorithm implementation; it asks a
//! [`CryptoProvider`] for hashes, HMAC keys, record protection, key exchange groups, keys that
//! sign, and raw RSA. `rustcrypto` implements these traits with RustCrypto, `aws_lc` (cargo
//! feature `aws-lc`) with aws-lc-rs.
//!
//! `deny` rather than `forbid`: the one exception in the core is `aws_lc/sys.rs` (raw RSA
//! and the stitched CBC cipher through aws-lc-sys), which allows it for itself; every other file here forbids it.
#![deny(unsafe_code)]

mod aead;
pub mod aead_record;
#[cfg(feature = "aws-lc")]
pub mod aws_lc;
mod cipher;
pub(crate) mod copy;
mod hash;
mod hkdf;
mod hybrid;
mod kx;
mod rand;
mod rsa;
pub mod rustcrypto;
mod sign;
mod suite;

pub use self::aead::{Aead, KeyedAead, AEAD_NONCE_LEN, AEAD_TAG_LEN};
pub use self::cipher::{
    DecryptError, EncryptError, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams, Tls12RecordAlgorithm,
    Tls13AeadAlgorithm,
};
pub use self::hash::{Hash, HashAlgorithm, HashContext, HashOutput, Hmac, HmacKey};
pub use self::hkdf::{expand_keyed, Hkdf, HkdfOutputTooLong};
pub use self::hybrid::{HybridGroup, Kem, KemDecapsulator};
pub use self::kx::{KeyExchangeError, KeyShare, KxGroup, SharedSecret};
pub use self::rand::{GetRandomFailed, SecureRandom};
pub use self::rsa::{decrypt_premaster, KeyProvider, RsaDecryptError, RsaPrivateKey, RsaPublicKeyError};
pub use self::sign::{KeyType, PrivateKey, SignError, Signer, SigningKey};
pub use self::suite::{
    find_suite, AuthenticationAlgorithm, BulkAlgorithm, KeyExchangeAlgorithm, MacAlgorithm, RecordShape,
    SuiteCommon, SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};
pub use rustls_pki_types::SignatureVerificationAlgorithm;

/// Everything the core needs from a cryptography implementation, as `'static` data.
///
/// Variants are built with struct update syntax over the default provider
/// (`CryptoProvider { cipher_suites: &[..], ..*ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER }`).
#[derive(Clone, Copy)]
pub struct CryptoProvider {
    /// Every TLS 1.0–1.2 cipher suite this provider implements, most preferred first.
    pub cipher_suites: &'static [&'static Tls12CipherSuite],
    /// Every TLS 1.3 cipher suite this provider implements, most preferred first (RFC 8446
    /// §B.4; kept apart from the 1.2 list, as OpenSSL's `-ciphersuites` is).
    pub tls13_cipher_suites: &'static [&'static Tls13CipherSuite],
    /// Key exchange groups for (EC)DHE, most preferred first.
    pub kx_groups: &'static [&'static dyn KxGroup],
    /// Source of randomness for hello randoms, premaster secrets and explicit IVs.
    pub random: &'static dyn SecureRandom,
    /// Loads private keys and performs public-key operations on certificates' keys (RSA
    /// encryption, TLS signature verification).
    pub key_provider: &'static dyn KeyProvider,
    /// Looks up a hash implementation by algorithm (`None` when the provider lacks it).
    pub hash: fn(HashAlgorithm) -> Option<&'static dyn Hash>,
    /// Looks up an HMAC implementation by its hash algorithm.
    pub hmac: fn(HashAlgorithm) -> Option<&'static dyn Hmac>,
    /// Certificate signature algorithms accepted by default (no SHA-1, never MD5).
    pub signature_algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    /// Certificate signature algorithms accepted in the legacy profile (adds SHA-1).
    pub legacy_signature_algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    /// AEADs for sealing bytes outside the record layer (session tickets), most preferred
    /// first; session tickets use the first.
    pub aeads: &'static [&'static dyn Aead],
}

/// The process-wide provider: set once, read by the config builders, the C API, the OpenSSL
/// layer and the command line.
static PROCESS_DEFAULT: std::sync::OnceLock<&'static CryptoProvider> = std::sync::OnceLock::new();

impl CryptoProvider {
    /// Makes `provider` the process-wide default. The first call wins; later calls (and calls
    /// after the default was first read) return `Err` with the provider already in place.
    pub fn install_default(provider: &'static CryptoProvider) -> Result<(), &'static CryptoProvider> {
        let installed = PROCESS_DEFAULT.get_or_init(|| provider);
        if core::ptr::eq(*installed, provider) {
            Ok(())
        } else {
            Err(installed)
        }
    }

    /// The process-wide default, if one was installed (or first read) already.
    pub fn get_default() -> Option<&'static CryptoProvider> {
        PROCESS_DEFAULT.get().copied()
    }

    /// The process-wide default, installing `fallback` if there is none yet.
    pub fn get_default_or_install(fallback: &'static CryptoProvider) -> &'static CryptoProvider {
        PROCESS_DEFAULT.get_or_init(|| fallback)
    }
}

impl core::fmt::Debug for CryptoProvider {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CryptoProvider").field("cipher_suites", &self.cipher_suites).finish_non_exhaustive()
    }
}
