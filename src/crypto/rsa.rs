//! RSA key exchange and signatures (RFC 5246 §7.4.7.1, §7.4.8; RFC 4346/2246 for TLS 1.0/1.1).

use super::{GetRandomFailed, HashAlgorithm};
use std::sync::Arc;

/// A public key from a certificate could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsaPublicKeyError {
    /// The SubjectPublicKeyInfo is not an RSA key, or is malformed.
    NotRsa,
    /// The key is too small or too large to be accepted.
    UnacceptableSize(usize),
    /// A signature did not verify.
    BadSignature,
    /// The random source failed.
    Random(GetRandomFailed),
}

/// An RSA private key, prepared once per configuration (CRT parameters, Montgomery forms).
pub trait RsaPrivateKey: Send + Sync + core::fmt::Debug {
    /// Modulus length in bytes (the length of every ciphertext and signature).
    fn modulus_len(&self) -> usize;

    /// The matching public key as a DER SubjectPublicKeyInfo, for matching against a certificate.
    fn public_key_spki(&self) -> Vec<u8>;

    /// RFC 5246 §7.4.7.1: decrypts an RSA-encrypted premaster secret without revealing, by
    /// result, error or timing, whether the padding, the length or the version was wrong.
    ///
    /// Returns the decrypted 48-byte premaster when the PKCS#1 v1.5 padding is valid, the
    /// plaintext is 48 bytes and its first two bytes equal `client_version`; otherwise returns
    /// `fallback` (random bytes the caller generated before decrypting). The choice is made in
    /// constant time. A ciphertext whose length differs from the modulus also yields `fallback`.
    fn decrypt_premaster(
        &self,
        ciphertext: &[u8],
        client_version: [u8; 2],
        fallback: &[u8; 48],
    ) -> zeroize::Zeroizing<[u8; 48]>;

    /// PKCS#1 v1.5 signature. `hash` names the DigestInfo to prepend; `None` signs `digest` as
    /// is (the TLS 1.0/1.1 MD5‖SHA-1 form of RFC 2246 §7.4.8).
    fn sign_pkcs1(&self, hash: Option<HashAlgorithm>, digest: &[u8]) -> Result<Vec<u8>, GetRandomFailed>;
}

/// Key loading and public-key operations.
pub trait KeyProvider: Send + Sync {
    /// Loads an RSA private key from DER: PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo`.
    fn load_private_key(&self, der: &[u8]) -> Result<Arc<dyn RsaPrivateKey>, String>;

    /// Decrypts a PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3, PBES2 of RFC 8018 §6.2) with
    /// `password`, returning the DER `PrivateKeyInfo` inside. The default refuses: a provider
    /// without password-based decryption still loads unencrypted keys.
    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Result<Vec<u8>, String> {
        let _ = (der, password);
        Err("this crypto provider cannot decrypt encrypted PKCS#8 keys".into())
    }

    /// PKCS#1 v1.5 encryption of `message` to the RSA key in the DER SubjectPublicKeyInfo `spki`
    /// (the client's half of RSA key exchange).
    fn rsa_encrypt_pkcs1(&self, spki: &[u8], message: &[u8]) -> Result<Vec<u8>, RsaPublicKeyError>;

    /// Verifies a PKCS#1 v1.5 signature over `message` hashed with `hash` (`None`: `message` is
    /// the TLS 1.0/1.1 MD5‖SHA-1 digest, signed without DigestInfo).
    fn rsa_verify_pkcs1(
        &self,
        spki: &[u8],
        hash: Option<HashAlgorithm>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError>;
}
