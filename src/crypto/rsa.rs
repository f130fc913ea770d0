//! RSA key exchange (RFC 5246 §7.4.7.1; RFC 4346/2246 for TLS 1.0/1.1), key loading, and the
//! provider's public-key operations.
//!
//! The provider does raw RSA ([`RsaPrivateKey::decrypt_raw`]); the one constant-time PKCS#1
//! v1.5 check and random-premaster selection every provider shares is [`decrypt_premaster`].

use super::{GetRandomFailed, PrivateKey};
use crate::enums::SignatureScheme;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

/// A public key from a certificate could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsaPublicKeyError {
    /// The SubjectPublicKeyInfo is not a key of the kind the scheme needs, or is malformed.
    NotRsa,
    /// The key is too small or too large to be accepted.
    UnacceptableSize(usize),
    /// A signature did not verify, or its scheme is not one this provider verifies.
    BadSignature,
    /// The random source failed.
    Random(GetRandomFailed),
}

/// The private half of an RSA key, prepared once per configuration (CRT parameters,
/// Montgomery forms), as RSA key exchange uses it.
pub trait RsaPrivateKey: Send + Sync + core::fmt::Debug {
    /// Modulus length in bytes (the length of every ciphertext and signature).
    fn modulus_len(&self) -> usize;

    /// The raw private operation `c^d mod n` (blinded), as `modulus_len()` big-endian bytes.
    /// Its errors must depend only on public facts: a ciphertext whose length is not
    /// `modulus_len()` or whose value is not below n, a fault, a random-source failure. The
    /// padding is checked by [`decrypt_premaster`], in constant time.
    fn decrypt_raw(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, RsaDecryptError>;
}

/// The raw RSA operation refused a ciphertext, for a reason that is public (length, range, a
/// fault): never because of the padding, which it does not look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaDecryptError;

/// Length of the RSA-encrypted premaster secret's plaintext (RFC 5246 §7.4.7.1).
const PREMASTER_LEN: usize = 48;

/// RFC 5246 §7.4.7.1 (Bleichenbacher 1998, ROBOT 2017): decrypts an RSA-encrypted premaster
/// secret without revealing, by result, error or timing, whether the padding, the length or the
/// version was wrong.
///
/// Returns the decrypted 48-byte premaster when the PKCS#1 v1.5 padding is valid, the plaintext
/// is 48 bytes and its first two bytes equal `client_version`; otherwise `fallback` (random
/// bytes the caller generated before decrypting), chosen byte by byte in constant time. A
/// ciphertext the key cannot process at all (wrong length, not below n) also yields `fallback`.
pub fn decrypt_premaster(
    key: &dyn RsaPrivateKey,
    ciphertext: &[u8],
    client_version: [u8; 2],
    fallback: &[u8; 48],
) -> Zeroizing<[u8; 48]> {
    let k = key.modulus_len();
    // The ciphertext's length, and whether it is below n, are public: no secret to hide.
    // Keys are at least 1024 bits, so k - 51 >= 8 padding bytes below.
    if ciphertext.len() != k || k < PREMASTER_LEN + 11 {
        return Zeroizing::new(*fallback);
    }
    let Ok(em) = key.decrypt_raw(ciphertext) else {
        return Zeroizing::new(*fallback);
    };
    if em.len() != k {
        return Zeroizing::new(*fallback);
    }
    // RFC 8017 §7.2.2 EME-PKCS1-v1_5 with the message length fixed at 48: the layout is then
    // fixed too, 0x00 ‖ 0x02 ‖ PS (k - 51 nonzero bytes) ‖ 0x00 ‖ M, so no separator search
    // (and no secret-dependent loop bound) is needed.
    let sep = k - PREMASTER_LEN - 1;
    let mut good = em[0].ct_eq(&0) & em[1].ct_eq(&2) & em[sep].ct_eq(&0);
    for b in &em[2..sep] {
        good &= !b.ct_eq(&0);
    }
    let message = &em[sep + 1..];
    good &= message[0].ct_eq(&client_version[0]) & message[1].ct_eq(&client_version[1]);
    Zeroizing::new(select_premaster(good, message, fallback))
}

/// Picks `decrypted` when `good`, else `fallback`, without a data-dependent branch.
fn select_premaster(good: Choice, decrypted: &[u8], fallback: &[u8; 48]) -> [u8; 48] {
    let mut out = [0u8; 48];
    for ((o, d), f) in out.iter_mut().zip(decrypted).zip(fallback) {
        *o = u8::conditional_select(f, d, good);
    }
    out
}

/// Key loading and public-key operations.
pub trait KeyProvider: Send + Sync {
    /// Loads a private key from DER (PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo`; which
    /// key types a provider loads is its choice, see [`super::KeyType`]).
    fn load_private_key(&self, der: &[u8]) -> Result<PrivateKey, String>;

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

    /// Verifies a TLS signature over `message` by the key in `spki`: with `scheme` in TLS 1.2
    /// (RFC 5246 §4.7), without one in TLS 1.0/1.1 (RSA over MD5 ‖ SHA-1 without DigestInfo,
    /// RFC 2246 §7.4.3). The certificate verifiers call this unless they verify themselves.
    fn verify_tls_signature(
        &self,
        spki: &[u8],
        scheme: Option<SignatureScheme>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError>;

    /// The schemes [`KeyProvider::verify_tls_signature`] can check, most preferred first.
    fn verify_schemes(&self) -> &'static [SignatureScheme];
}
