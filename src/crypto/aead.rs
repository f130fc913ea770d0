//! AEAD over whole byte strings, for data the record layer does not carry: session tickets
//! (RFC 5077 §4 recommends authenticated encryption of the session state). Record protection
//! has its own traits (`cipher.rs`); this is the plain seal/open of RFC 5116 §2.

use zeroize::Zeroizing;

/// Nonce length of every AEAD here (RFC 5116 §3.2: 12 bytes for AES-GCM and
/// ChaCha20-Poly1305).
pub const AEAD_NONCE_LEN: usize = 12;

/// Tag length of every AEAD here (RFC 5116 §5.1, RFC 8439 §2.8).
pub const AEAD_TAG_LEN: usize = 16;

/// An AEAD algorithm a provider offers for sealing bytes (AES-256-GCM, ChaCha20-Poly1305).
pub trait Aead: Send + Sync {
    /// The algorithm's name as RFC 5116 registers it (`AEAD_AES_256_GCM`).
    fn name(&self) -> &'static str;
    /// Key length in bytes.
    fn key_len(&self) -> usize;
    /// Keys the algorithm; `None` when `key` is not [`Self::key_len`] bytes.
    fn key(&self, key: &[u8]) -> Option<Box<dyn KeyedAead>>;
}

/// A keyed AEAD (the key schedule is expanded once). Its `Debug`-free shape keeps key
/// material out of logs; implementations zeroize it on drop.
pub trait KeyedAead: Send + Sync {
    /// Encrypts `plaintext` and returns `ciphertext ‖ tag` (the tag authenticates `aad` too).
    /// A nonce must never be used twice with one key.
    fn seal(&self, nonce: &[u8; AEAD_NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8>;
    /// Checks and decrypts `ciphertext ‖ tag`; `None` on any failure, with nothing released.
    fn open(&self, nonce: &[u8; AEAD_NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>>;
}
