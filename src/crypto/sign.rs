//! Private keys and TLS signatures (RFC 5246 §7.4.1.4.1, §7.4.3, §7.4.8; RFC 8446 §4.4.3).
//!
//! A [`SigningKey`] picks the scheme from the peer's list and returns a [`Signer`] that signs
//! a whole message (it hashes itself), so the handshake never names a hash or a padding.
//! Verification of the peer's signatures goes through the certificate verifier traits
//! (`x509::ServerCertVerifier::verify_tls_signature`), so a custom verifier sees them too.

use super::RsaPrivateKey;
use crate::enums::SignatureScheme;
use std::sync::Arc;

/// The type of a private key (and of the certificate it belongs to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// RSA (`rsaEncryption`): decryption for RSA key exchange, PKCS#1 v1.5 or PSS signatures.
    Rsa,
    /// ECDSA over P-256.
    EcdsaP256,
    /// ECDSA over P-384.
    EcdsaP384,
    /// Ed25519 (RFC 8032).
    Ed25519,
}

impl core::fmt::Display for KeyType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Rsa => "RSA",
            Self::EcdsaP256 => "ECDSA P-256",
            Self::EcdsaP384 => "ECDSA P-384",
            Self::Ed25519 => "Ed25519",
        })
    }
}

/// A private key that can sign handshake messages.
pub trait SigningKey: Send + Sync + core::fmt::Debug {
    /// What kind of key this is.
    fn key_type(&self) -> KeyType;

    /// The matching public key as a DER SubjectPublicKeyInfo, for matching a certificate.
    fn public_key_spki(&self) -> Vec<u8>;

    /// TLS 1.2 and later: a signer for this key's most preferred scheme among `offered` (the
    /// peer's signature_algorithms, already filtered by policy), or `None` when none fits.
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>>;

    /// TLS 1.0/1.1, where no scheme is negotiated: RSA signs MD5(m) ‖ SHA-1(m) without a
    /// DigestInfo (RFC 2246 §7.4.3), ECDSA signs SHA-1(m) (RFC 4492 §5.4). `None` for keys
    /// that cannot sign in those versions.
    fn legacy_signer(&self) -> Option<Box<dyn Signer>>;
}

/// A signing key bound to one scheme.
pub trait Signer: Send + Sync {
    /// The scheme, as sent in the `DigitallySigned` structure; `None` for the TLS 1.0/1.1
    /// forms, which carry no scheme.
    fn scheme(&self) -> Option<SignatureScheme>;

    /// Signs `message` (the whole message: the signer hashes it).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// A signature could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignError {
    /// The random source failed (blinding, randomized signatures).
    Random,
    /// The key refused the operation (for example an MD5 signature).
    Refused(&'static str),
}

/// A loaded private key: what it can sign with, and for RSA keys the raw decryption that RSA
/// key exchange needs. Built by the provider's `KeyProvider::load_private_key`.
#[derive(Clone)]
pub struct PrivateKey {
    signing: Arc<dyn SigningKey>,
    rsa: Option<Arc<dyn RsaPrivateKey>>,
}

impl PrivateKey {
    /// An RSA key: one object that both signs and decrypts.
    pub fn from_rsa<K: SigningKey + RsaPrivateKey + 'static>(key: Arc<K>) -> Self {
        Self { signing: key.clone(), rsa: Some(key) }
    }

    /// A key from its two halves (for providers that wrap one side, like a cache around the
    /// RSA decryption). `rsa` must belong to the same key as `signing`.
    pub fn from_parts(signing: Arc<dyn SigningKey>, rsa: Option<Arc<dyn RsaPrivateKey>>) -> Self {
        Self { signing, rsa }
    }

    /// A key that only signs (ECDSA, Ed25519).
    pub fn signing_only(signing: Arc<dyn SigningKey>) -> Self {
        Self { signing, rsa: None }
    }

    /// What kind of key this is.
    pub fn key_type(&self) -> KeyType {
        self.signing.key_type()
    }

    /// The signing half.
    pub fn signing_key(&self) -> &Arc<dyn SigningKey> {
        &self.signing
    }

    /// The RSA decryption half, for RSA keys.
    pub fn rsa(&self) -> Option<&Arc<dyn RsaPrivateKey>> {
        self.rsa.as_ref()
    }

    /// The public key as a DER SubjectPublicKeyInfo.
    pub fn public_key_spki(&self) -> Vec<u8> {
        self.signing.public_key_spki()
    }
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.signing.fmt(f)
    }
}
