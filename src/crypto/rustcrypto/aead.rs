//! AEAD ciphers for TLS records: AES-128-GCM and AES-256-GCM (RFC 5288, NIST SP 800-38D) and
//! ChaCha20-Poly1305 (RFC 8439), with the TLS nonce and additional-data constructions.
//!
//! Three layers, each usable on its own:
//! - [`AeadKey`]: seal/open in place over a caller's buffer with a 12-byte nonce and a detached
//!   16-byte tag (the tag follows the ciphertext on the wire in every TLS use).
//! - The constructions: [`gcm_nonce`] (RFC 5288 §3: 4-byte implicit salt ‖ 8-byte explicit
//!   nonce), [`xor_nonce`] (RFC 7905 §2 and RFC 8446 §5.3: the 12-byte IV XOR the left-padded
//!   sequence number), [`tls12_aad`] (RFC 5246 §6.2.3.3) and [`tls13_aad`] (RFC 8446 §5.2).
//! - [`Tls12AeadRecordKey`] / [`Tls13AeadRecordKey`]: one direction's record protection in the
//!   shape of the record layer's encrypter/decrypter (append the protected fragment to a `Vec`,
//!   open a received fragment in place and return the plaintext's range).
//!
//! Every authentication failure is the one [`AeadError::Decrypt`]: the record layer reports it
//! as bad_record_mac (RFC 5246 §7.2.2, RFC 8446 §5.2) without telling the peer more.

use core::ops::Range;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use chacha20poly1305::ChaCha20Poly1305;

use crate::crypto::{
    DecryptError, EncryptError, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams, Tls12RecordAlgorithm,
    Tls13AeadAlgorithm,
};
use crate::enums::{ContentType, ProtocolVersion};

/// Length of every AEAD tag used in TLS (RFC 5116 §5.1, RFC 8439 §2.8).
pub const TAG_LEN: usize = 16;
/// Length of the AEAD nonce (RFC 5116 §3.2 N_MIN = N_MAX = 12 for these ciphers).
pub const NONCE_LEN: usize = 12;
/// Length of the implicit part of an AES-GCM nonce in TLS 1.2: `client/server_write_IV`
/// (RFC 5288 §3 "salt").
pub const GCM_SALT_LEN: usize = 4;
/// Length of the explicit part of an AES-GCM nonce in TLS 1.2, sent before each record's
/// ciphertext (RFC 5288 §3 `nonce_explicit`).
pub const GCM_EXPLICIT_NONCE_LEN: usize = 8;

/// An AEAD algorithm TLS uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AeadAlgorithm {
    /// AES-128 in Galois/Counter Mode with a 16-byte tag (`AEAD_AES_128_GCM`, RFC 5116 §5.1).
    Aes128Gcm,
    /// AES-256 in Galois/Counter Mode with a 16-byte tag (`AEAD_AES_256_GCM`, RFC 5116 §5.2).
    Aes256Gcm,
    /// ChaCha20 with Poly1305 (`AEAD_CHACHA20_POLY1305`, RFC 8439 §2.8).
    ChaCha20Poly1305,
}

impl AeadAlgorithm {
    /// Key length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 => 32,
        }
    }

    /// Length of the TLS 1.2 `write_IV` in the key block (RFC 5246 §6.3): the 4-byte salt for
    /// AES-GCM (RFC 5288 §3), the whole 12-byte IV for ChaCha20-Poly1305 (RFC 7905 §2).
    pub const fn tls12_fixed_iv_len(self) -> usize {
        match self {
            Self::Aes128Gcm | Self::Aes256Gcm => GCM_SALT_LEN,
            Self::ChaCha20Poly1305 => NONCE_LEN,
        }
    }

    /// Bytes each TLS 1.2 record carries before its ciphertext: the 8-byte explicit nonce for
    /// AES-GCM (RFC 5288 §3), none for ChaCha20-Poly1305 (RFC 7905 §2).
    pub const fn tls12_explicit_nonce_len(self) -> usize {
        match self {
            Self::Aes128Gcm | Self::Aes256Gcm => GCM_EXPLICIT_NONCE_LEN,
            Self::ChaCha20Poly1305 => 0,
        }
    }

    /// How many full-size records one key may protect before the sender must rekey (TLS 1.3
    /// KeyUpdate) or close. RFC 8446 §5.5: AES-GCM up to 2^24.5 full-size records keeps the
    /// attacker's advantage below 2^-57; for ChaCha20-Poly1305 the limit exceeds 2^64, i.e.
    /// the sequence number wraps first.
    pub const fn confidentiality_limit(self) -> u64 {
        match self {
            // floor(2^24.5)
            Self::Aes128Gcm | Self::Aes256Gcm => 23_726_566,
            Self::ChaCha20Poly1305 => u64::MAX,
        }
    }

    /// Keys the cipher; the key length must be [`key_len`](Self::key_len).
    pub fn key(self, key: &[u8]) -> Result<AeadKey, AeadError> {
        AeadKey::new(self, key)
    }
}

/// Why an AEAD operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AeadError {
    /// A key or IV of the wrong length was supplied (a caller bug, not a peer's doing).
    BadLength {
        /// What was being keyed: `"key"` or `"IV"`.
        what: &'static str,
        /// The length the algorithm needs.
        expected: usize,
        /// The length supplied.
        actual: usize,
    },
    /// The ciphertext is too short to hold the tag (and explicit nonce), or the tag does not
    /// authenticate it: the record was forged, damaged or keyed differently.
    Decrypt,
    /// The input exceeds the algorithm's maximum length (never for TLS-sized records).
    TooLong,
}

impl core::fmt::Display for AeadError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BadLength { what, expected, actual } => {
                write!(f, "AEAD {what} is {actual} bytes; the algorithm needs {expected}")
            }
            Self::Decrypt => f.write_str("AEAD authentication failed (bad record MAC)"),
            Self::TooLong => f.write_str("AEAD input exceeds the algorithm's maximum length"),
        }
    }
}

impl std::error::Error for AeadError {}

/// A keyed AEAD. The RustCrypto types zeroize their key schedules on drop (the `zeroize`
/// features in Cargo.toml).
pub struct AeadKey {
    inner: Inner,
}

// The GCM types hold expanded AES round keys and the GHASH key (a few hundred bytes): boxed so
// that an `AeadKey` moves cheaply.
enum Inner {
    Aes128Gcm(Box<Aes128Gcm>),
    Aes256Gcm(Box<Aes256Gcm>),
    ChaCha20Poly1305(Box<ChaCha20Poly1305>),
}

impl core::fmt::Debug for AeadKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.debug_struct("AeadKey").field("algorithm", &self.algorithm()).finish_non_exhaustive()
    }
}

impl AeadKey {
    /// Keys `algorithm` with `key`.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8]) -> Result<Self, AeadError> {
        let bad = || AeadError::BadLength { what: "key", expected: algorithm.key_len(), actual: key.len() };
        let inner = match algorithm {
            AeadAlgorithm::Aes128Gcm => {
                Inner::Aes128Gcm(Box::new(Aes128Gcm::new_from_slice(key).map_err(|_| bad())?))
            }
            AeadAlgorithm::Aes256Gcm => {
                Inner::Aes256Gcm(Box::new(Aes256Gcm::new_from_slice(key).map_err(|_| bad())?))
            }
            AeadAlgorithm::ChaCha20Poly1305 => {
                Inner::ChaCha20Poly1305(Box::new(ChaCha20Poly1305::new_from_slice(key).map_err(|_| bad())?))
            }
        };
        Ok(Self { inner })
    }

    /// The algorithm this key is for.
    pub fn algorithm(&self) -> AeadAlgorithm {
        match self.inner {
            Inner::Aes128Gcm(_) => AeadAlgorithm::Aes128Gcm,
            Inner::Aes256Gcm(_) => AeadAlgorithm::Aes256Gcm,
            Inner::ChaCha20Poly1305(_) => AeadAlgorithm::ChaCha20Poly1305,
        }
    }

    /// Encrypts `in_out` in place and returns the tag that authenticates it and `aad`.
    ///
    /// A nonce must never be used twice with one key: the TLS constructions below derive it
    /// from the record sequence number, which never repeats within a key's life.
    pub fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], AeadError> {
        let tag = match &self.inner {
            Inner::Aes128Gcm(c) => c.encrypt_inout_detached(nonce.into(), aad, in_out.into()),
            Inner::Aes256Gcm(c) => c.encrypt_inout_detached(nonce.into(), aad, in_out.into()),
            Inner::ChaCha20Poly1305(c) => c.encrypt_inout_detached(nonce.into(), aad, in_out.into()),
        }
        .map_err(|_| AeadError::TooLong)?;
        let mut out = [0u8; TAG_LEN];
        out.copy_from_slice(&tag);
        Ok(out)
    }

    /// Checks the tag at the end of `in_out` (ciphertext ‖ tag) against the ciphertext and
    /// `aad`, then decrypts in place and returns the plaintext (the first
    /// `in_out.len() - TAG_LEN` bytes). On failure nothing is released: the error is the only
    /// result (the tag is checked before any plaintext exists, in constant time).
    pub fn open_in_place<'a>(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &'a mut [u8],
    ) -> Result<&'a mut [u8], AeadError> {
        let Some(plain_len) = in_out.len().checked_sub(TAG_LEN) else {
            return Err(AeadError::Decrypt);
        };
        let (ciphertext, tag) = in_out.split_at_mut(plain_len);
        let tag: &[u8; TAG_LEN] = (&*tag).try_into().expect("split at len - TAG_LEN");
        match &self.inner {
            Inner::Aes128Gcm(c) => {
                c.decrypt_inout_detached(nonce.into(), aad, (&mut *ciphertext).into(), tag.into())
            }
            Inner::Aes256Gcm(c) => {
                c.decrypt_inout_detached(nonce.into(), aad, (&mut *ciphertext).into(), tag.into())
            }
            Inner::ChaCha20Poly1305(c) => {
                c.decrypt_inout_detached(nonce.into(), aad, (&mut *ciphertext).into(), tag.into())
            }
        }
        .map_err(|_| AeadError::Decrypt)?;
        Ok(ciphertext)
    }
}

/// The TLS 1.2 AES-GCM nonce, RFC 5288 §3: `salt` (the 4-byte `write_IV` from the key block)
/// ‖ `explicit` (the 8 bytes sent in front of the record's ciphertext).
pub fn gcm_nonce(salt: &[u8; GCM_SALT_LEN], explicit: &[u8; GCM_EXPLICIT_NONCE_LEN]) -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    nonce[..GCM_SALT_LEN].copy_from_slice(salt);
    nonce[GCM_SALT_LEN..].copy_from_slice(explicit);
    nonce
}

/// The explicit nonce a sender puts in a TLS 1.2 AES-GCM record: the 64-bit sequence number,
/// which RFC 5288 §3 allows and RFC 9325 §7.2.1 recommends, so that a nonce can never repeat
/// under one key (the sequence number must not wrap, RFC 5246 §6.1).
pub fn gcm_explicit_nonce(seq: u64) -> [u8; GCM_EXPLICIT_NONCE_LEN] {
    seq.to_be_bytes()
}

/// The per-record nonce of RFC 7905 §2 (ChaCha20-Poly1305 in TLS 1.2) and RFC 8446 §5.3 (every
/// TLS 1.3 AEAD): the 64-bit sequence number in network order, left-padded with zeros to 12
/// bytes, XORed with the 12-byte `write_IV`.
pub fn xor_nonce(iv: &[u8; NONCE_LEN], seq: u64) -> [u8; NONCE_LEN] {
    let mut nonce = *iv;
    for (n, s) in nonce[NONCE_LEN - 8..].iter_mut().zip(seq.to_be_bytes()) {
        *n ^= s;
    }
    nonce
}

/// Length of the TLS 1.2 additional data.
pub const TLS12_AAD_LEN: usize = 13;

/// TLS 1.2 additional data, RFC 5246 §6.2.3.3: `seq_num ‖ type ‖ version ‖ length`, where
/// `length` is the plaintext's (not the ciphertext's) length.
pub fn tls12_aad(seq: u64, content_type: u8, version: u16, plaintext_len: usize) -> [u8; TLS12_AAD_LEN] {
    let mut aad = [0u8; TLS12_AAD_LEN];
    aad[..8].copy_from_slice(&seq.to_be_bytes());
    aad[8] = content_type;
    aad[9..11].copy_from_slice(&version.to_be_bytes());
    // Records are at most 2^14 + 2048 bytes (RFC 5246 §6.2.3), so the length fits in 16 bits;
    // a caller passing more has a bug, and saturating keeps the AAD (and so the tag) wrong.
    aad[11..].copy_from_slice(&u16::try_from(plaintext_len).unwrap_or(u16::MAX).to_be_bytes());
    aad
}

/// Length of the TLS 1.3 additional data.
pub const TLS13_AAD_LEN: usize = 5;

/// TLS 1.3 additional data, RFC 8446 §5.2: the record header as sent, `opaque_type`
/// (application_data, 23) ‖ `legacy_record_version` (0x0303) ‖ `length`, where `length` is the
/// ciphertext's length including the tag.
pub fn tls13_aad(ciphertext_len: usize) -> [u8; TLS13_AAD_LEN] {
    let len = u16::try_from(ciphertext_len).unwrap_or(u16::MAX).to_be_bytes();
    [23, 0x03, 0x03, len[0], len[1]]
}

/// The implicit IV material of one TLS 1.2 direction.
#[derive(Clone)]
enum Tls12Iv {
    /// AES-GCM: the 4-byte salt; the rest of the nonce travels with each record.
    Salt([u8; GCM_SALT_LEN]),
    /// ChaCha20-Poly1305: the 12-byte IV that the sequence number is XORed into.
    Xor([u8; NONCE_LEN]),
}

/// One direction of TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3): the key and IV sliced
/// from the key block, the nonce built per record from the sequence number.
///
/// Record layout: `nonce_explicit (8, AES-GCM only) ‖ ciphertext ‖ tag (16)`.
pub struct Tls12AeadRecordKey {
    key: AeadKey,
    iv: Tls12Iv,
}

impl core::fmt::Debug for Tls12AeadRecordKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls12AeadRecordKey").field("algorithm", &self.key.algorithm()).finish_non_exhaustive()
    }
}

impl Tls12AeadRecordKey {
    /// `key` is the `write_key`, `fixed_iv` the `write_IV` of the key block: 4 bytes for AES-GCM,
    /// 12 for ChaCha20-Poly1305 ([`AeadAlgorithm::tls12_fixed_iv_len`]).
    pub fn new(algorithm: AeadAlgorithm, key: &[u8], fixed_iv: &[u8]) -> Result<Self, AeadError> {
        let bad_iv = || AeadError::BadLength {
            what: "IV",
            expected: algorithm.tls12_fixed_iv_len(),
            actual: fixed_iv.len(),
        };
        let iv = match algorithm {
            AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm => {
                Tls12Iv::Salt(fixed_iv.try_into().map_err(|_| bad_iv())?)
            }
            AeadAlgorithm::ChaCha20Poly1305 => Tls12Iv::Xor(fixed_iv.try_into().map_err(|_| bad_iv())?),
        };
        Ok(Self { key: AeadKey::new(algorithm, key)?, iv })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.key.algorithm()
    }

    /// Bytes a record grows by: explicit nonce (if any) and tag.
    pub fn overhead(&self) -> usize {
        self.algorithm().tls12_explicit_nonce_len() + TAG_LEN
    }

    /// Appends to `out` the protected fragment of a record of `content_type` and `version` with
    /// sequence number `seq`: exactly `plaintext.len() + self.overhead()` bytes.
    pub fn seal_append(
        &self,
        content_type: u8,
        version: u16,
        seq: u64,
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AeadError> {
        let aad = tls12_aad(seq, content_type, version, plaintext.len());
        let start = out.len();
        out.reserve(plaintext.len() + self.overhead());
        let nonce = match &self.iv {
            Tls12Iv::Salt(salt) => {
                let explicit = gcm_explicit_nonce(seq);
                out.extend_from_slice(&explicit);
                gcm_nonce(salt, &explicit)
            }
            Tls12Iv::Xor(iv) => xor_nonce(iv, seq),
        };
        let body = out.len();
        out.extend_from_slice(plaintext);
        match self.key.seal_in_place(&nonce, &aad, &mut out[body..]) {
            Ok(tag) => {
                out.extend_from_slice(&tag);
                Ok(())
            }
            Err(e) => {
                // Leave `out` as it was: no plaintext may be sent by mistake.
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// Authenticates and decrypts `fragment` (a received record's body) in place; returns the
    /// plaintext's range within it.
    pub fn open_in_place(
        &self,
        content_type: u8,
        version: u16,
        seq: u64,
        fragment: &mut [u8],
    ) -> Result<Range<usize>, AeadError> {
        let explicit_len = self.algorithm().tls12_explicit_nonce_len();
        let plain_len = fragment.len().checked_sub(explicit_len + TAG_LEN).ok_or(AeadError::Decrypt)?;
        let nonce = match &self.iv {
            Tls12Iv::Salt(salt) => {
                let explicit: &[u8; GCM_EXPLICIT_NONCE_LEN] =
                    fragment[..GCM_EXPLICIT_NONCE_LEN].try_into().expect("length checked");
                gcm_nonce(salt, explicit)
            }
            Tls12Iv::Xor(iv) => xor_nonce(iv, seq),
        };
        let aad = tls12_aad(seq, content_type, version, plain_len);
        self.key.open_in_place(&nonce, &aad, &mut fragment[explicit_len..])?;
        Ok(explicit_len..explicit_len + plain_len)
    }
}

/// [`Tls12RecordAlgorithm`] for an AEAD suite (RFC 5246 §6.2.3.3): no MAC key, the cipher key,
/// and the `write_IV` of [`AeadAlgorithm::tls12_fixed_iv_len`] bytes from the key block (RFC 5288
/// §3: 4 for AES-GCM; RFC 7905 §2: 12 for ChaCha20-Poly1305). Use the statics.
pub struct AeadRecord(AeadAlgorithm);

/// AES-128-GCM records (`TLS_*_WITH_AES_128_GCM_SHA256`, RFC 5288).
pub static AES_128_GCM: AeadRecord = AeadRecord(AeadAlgorithm::Aes128Gcm);
/// AES-256-GCM records (`TLS_*_WITH_AES_256_GCM_SHA384`, RFC 5288).
pub static AES_256_GCM: AeadRecord = AeadRecord(AeadAlgorithm::Aes256Gcm);
/// ChaCha20-Poly1305 records (`TLS_*_WITH_CHACHA20_POLY1305_SHA256`, RFC 7905).
pub static CHACHA20_POLY1305: AeadRecord = AeadRecord(AeadAlgorithm::ChaCha20Poly1305);

impl AeadRecord {
    fn record_key(&self, keys: &RecordKeys<'_>) -> Tls12AeadRecordKey {
        // The record layer slices keys by `key_block_shape`, so a wrong length is a ferrotls bug.
        Tls12AeadRecordKey::new(self.0, keys.enc_key, keys.iv).expect("key block sliced by key_block_shape")
    }
}

impl Tls12RecordAlgorithm for AeadRecord {
    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            mac_key_len: 0,
            enc_key_len: self.0.key_len(),
            fixed_iv_len: self.0.tls12_fixed_iv_len(),
        }
    }

    fn encrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageEncrypter> {
        Box::new(AeadEncrypter(self.record_key(keys)))
    }

    fn decrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageDecrypter> {
        Box::new(AeadDecrypter(self.record_key(keys)))
    }
}

/// The encrypting half of [`AeadRecord`].
struct AeadEncrypter(Tls12AeadRecordKey);

impl MessageEncrypter for AeadEncrypter {
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + self.0.overhead()
    }

    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        // RFC 8446 §5.5's AES-GCM limit applies to TLS 1.2 records under one key as well; TLS 1.2
        // cannot rekey without renegotiation (refused), so the connection ends instead.
        if seq >= self.0.algorithm().confidentiality_limit() {
            return Err(EncryptError::KeyExhausted);
        }
        self.0
            .seal_append(u8::from(msg.typ), u16::from(msg.version), seq, msg.payload, out)
            .map_err(|_| EncryptError::KeyExhausted)?;
        Ok(OpaqueHeader { typ: msg.typ, version: msg.version })
    }
}

/// The decrypting half of [`AeadRecord`].
struct AeadDecrypter(Tls12AeadRecordKey);

impl MessageDecrypter for AeadDecrypter {
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError> {
        let range = self
            .0
            .open_in_place(u8::from(msg.typ), u16::from(msg.version), seq, msg.payload)
            .map_err(|_| DecryptError::BadRecordMac)?;
        Ok(InboundPlainMessage { typ: msg.typ, version: msg.version, range })
    }
}

/// One direction of TLS 1.3 record protection (RFC 8446 §5.2, §5.3): nonce = IV XOR sequence
/// number, additional data = the record header. The caller builds and parses `TLSInnerPlaintext`
/// (content ‖ type ‖ zero padding); this type only encrypts and authenticates it.
pub struct Tls13AeadRecordKey {
    key: AeadKey,
    iv: [u8; NONCE_LEN],
}

impl core::fmt::Debug for Tls13AeadRecordKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls13AeadRecordKey").field("algorithm", &self.key.algorithm()).finish_non_exhaustive()
    }
}

impl Tls13AeadRecordKey {
    /// `key` and `iv` are the traffic key and IV derived from a traffic secret (RFC 8446 §7.3);
    /// the IV is always 12 bytes.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8], iv: &[u8]) -> Result<Self, AeadError> {
        let iv = iv.try_into().map_err(|_| AeadError::BadLength {
            what: "IV",
            expected: NONCE_LEN,
            actual: iv.len(),
        })?;
        Ok(Self { key: AeadKey::new(algorithm, key)?, iv })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.key.algorithm()
    }

    /// Appends `E(inner_plaintext) ‖ tag` to `out`, `inner_plaintext.len() + TAG_LEN` bytes.
    pub fn seal_append(&self, seq: u64, inner_plaintext: &[u8], out: &mut Vec<u8>) -> Result<(), AeadError> {
        let aad = tls13_aad(inner_plaintext.len() + TAG_LEN);
        let start = out.len();
        out.extend_from_slice(inner_plaintext);
        match self.key.seal_in_place(&xor_nonce(&self.iv, seq), &aad, &mut out[start..]) {
            Ok(tag) => {
                out.extend_from_slice(&tag);
                Ok(())
            }
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// Authenticates and decrypts a received record body in place; returns the inner
    /// plaintext's range (always `0..fragment.len() - TAG_LEN`).
    pub fn open_in_place(&self, seq: u64, fragment: &mut [u8]) -> Result<Range<usize>, AeadError> {
        let aad = tls13_aad(fragment.len());
        let plain = self.key.open_in_place(&xor_nonce(&self.iv, seq), &aad, fragment)?;
        Ok(0..plain.len())
    }
}

/// [`Tls13AeadAlgorithm`] over one of the AEADs: builds `TLSInnerPlaintext` (content ‖ type,
/// no padding) and reads it back (RFC 8446 §5.2, §5.4). Use the statics.
pub struct Tls13Aead(AeadAlgorithm);

/// AES-128-GCM for `TLS_AES_128_GCM_SHA256`.
pub static TLS13_AES_128_GCM: Tls13Aead = Tls13Aead(AeadAlgorithm::Aes128Gcm);
/// AES-256-GCM for `TLS_AES_256_GCM_SHA384`.
pub static TLS13_AES_256_GCM: Tls13Aead = Tls13Aead(AeadAlgorithm::Aes256Gcm);
/// ChaCha20-Poly1305 for `TLS_CHACHA20_POLY1305_SHA256`.
pub static TLS13_CHACHA20_POLY1305: Tls13Aead = Tls13Aead(AeadAlgorithm::ChaCha20Poly1305);

impl Tls13Aead {
    fn record_key(&self, key: &[u8], iv: &[u8; 12]) -> Tls13AeadRecordKey {
        // The key schedule derives `key_len()` bytes, so a wrong length is a ferrotls bug.
        Tls13AeadRecordKey::new(self.0, key, iv).expect("key derived with key_len()")
    }
}

impl Tls13AeadAlgorithm for Tls13Aead {
    fn key_len(&self) -> usize {
        self.0.key_len()
    }

    fn confidentiality_limit(&self) -> u64 {
        self.0.confidentiality_limit()
    }

    fn encrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageEncrypter> {
        Box::new(Tls13Encrypter { key: self.record_key(key, iv), inner: Vec::new() })
    }

    fn decrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageDecrypter> {
        Box::new(Tls13Decrypter(self.record_key(key, iv)))
    }
}

/// The encrypting half of [`Tls13Aead`]; `inner` is a scratch buffer for TLSInnerPlaintext.
struct Tls13Encrypter {
    key: Tls13AeadRecordKey,
    inner: Vec<u8>,
}

impl MessageEncrypter for Tls13Encrypter {
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + TAG_LEN
    }

    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        if seq >= self.key.algorithm().confidentiality_limit() {
            return Err(EncryptError::KeyExhausted);
        }
        self.inner.clear();
        self.inner.extend_from_slice(msg.payload);
        self.inner.push(u8::from(msg.typ));
        let sealed = self.key.seal_append(seq, &self.inner, out).map_err(|_| EncryptError::KeyExhausted);
        zeroize::Zeroize::zeroize(&mut self.inner[..]);
        sealed?;
        // RFC 8446 §5.2: opaque_type is always application_data and legacy_record_version 0x0303.
        Ok(OpaqueHeader { typ: ContentType::ApplicationData, version: ProtocolVersion::TLSv1_2 })
    }
}

/// The decrypting half of [`Tls13Aead`].
struct Tls13Decrypter(Tls13AeadRecordKey);

impl MessageDecrypter for Tls13Decrypter {
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError> {
        let range = self.0.open_in_place(seq, msg.payload).map_err(|_| DecryptError::BadRecordMac)?;
        let inner = &msg.payload[range];
        // RFC 8446 §5.4: the content type is the last non-zero byte; the zeros after it are
        // padding. The scan runs over the whole record, whatever the padding length.
        let Some(type_at) = inner.iter().rposition(|&b| b != 0) else {
            return Err(DecryptError::NoInnerContentType);
        };
        Ok(InboundPlainMessage {
            typ: ContentType::from(inner[type_at]),
            version: msg.version,
            range: 0..type_at,
        })
    }
}

/// The AEADs the provider offers for sealing bytes (session tickets): AES-256-GCM first (AES
/// instructions make it the fastest here), then ChaCha20-Poly1305.
pub static SEALING_AEADS: &[&dyn crate::crypto::Aead] =
    &[&AeadAlgorithm::Aes256Gcm, &AeadAlgorithm::ChaCha20Poly1305];

impl crate::crypto::Aead for AeadAlgorithm {
    fn name(&self) -> &'static str {
        match self {
            Self::Aes128Gcm => "AEAD_AES_128_GCM",
            Self::Aes256Gcm => "AEAD_AES_256_GCM",
            Self::ChaCha20Poly1305 => "AEAD_CHACHA20_POLY1305",
        }
    }

    fn key_len(&self) -> usize {
        AeadAlgorithm::key_len(*self)
    }

    fn key(&self, key: &[u8]) -> Option<Box<dyn crate::crypto::KeyedAead>> {
        AeadKey::new(*self, key).ok().map(|k| Box::new(k) as Box<dyn crate::crypto::KeyedAead>)
    }
}

impl crate::crypto::KeyedAead for AeadKey {
    fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(plaintext.len() + TAG_LEN);
        out.extend_from_slice(plaintext);
        match self.seal_in_place(nonce, aad, &mut out) {
            Ok(tag) => out.extend_from_slice(&tag),
            // Only inputs beyond the algorithm's limit (gigabytes) fail; an empty result can
            // never open, so the caller's peer falls back to a full handshake.
            Err(_) => out.clear(),
        }
        out
    }

    fn open(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        sealed: &[u8],
    ) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let mut buf = zeroize::Zeroizing::new(sealed.to_vec());
        let len = self.open_in_place(nonce, aad, &mut buf).ok()?.len();
        buf.truncate(len);
        Some(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::unhex;

    #[test]
    fn tls13_records_hide_the_type_and_strip_padding() {
        for alg in [&TLS13_AES_128_GCM, &TLS13_AES_256_GCM, &TLS13_CHACHA20_POLY1305] {
            let key = vec![7u8; alg.key_len()];
            let iv = [9u8; 12];
            let mut enc = alg.encrypter(&key, &iv);
            let mut dec = alg.decrypter(&key, &iv);
            let mut out = Vec::new();
            let header = enc
                .encrypt(
                    OutboundPlainMessage {
                        typ: ContentType::Handshake,
                        version: ProtocolVersion::TLSv1_0,
                        payload: b"hello",
                    },
                    3,
                    &mut out,
                )
                .unwrap();
            assert_eq!(
                header,
                OpaqueHeader { typ: ContentType::ApplicationData, version: ProtocolVersion::TLSv1_2 }
            );
            assert_eq!(out.len(), enc.encrypted_payload_len(5));
            let mut copy = out.clone();
            let plain = dec
                .decrypt(
                    InboundOpaqueMessage {
                        typ: ContentType::ApplicationData,
                        version: ProtocolVersion::TLSv1_2,
                        payload: &mut copy,
                    },
                    3,
                )
                .unwrap();
            assert_eq!(plain.typ, ContentType::Handshake);
            assert_eq!(&copy[plain.range], b"hello");
            // Tampering twin: the wrong sequence number (nonce) fails authentication.
            let mut copy = out.clone();
            assert_eq!(
                dec.decrypt(
                    InboundOpaqueMessage {
                        typ: ContentType::ApplicationData,
                        version: ProtocolVersion::TLSv1_2,
                        payload: &mut copy
                    },
                    4
                ),
                Err(DecryptError::BadRecordMac)
            );
            // A peer's padded record (zeros after the type) reads back without the padding;
            // an all-zero inner plaintext has no type.
            let rk = Tls13AeadRecordKey::new(alg.0, &key, &iv).unwrap();
            let mut padded = Vec::new();
            rk.seal_append(0, b"ab\x17\0\0\0\0", &mut padded).unwrap();
            let plain = dec
                .decrypt(
                    InboundOpaqueMessage {
                        typ: ContentType::ApplicationData,
                        version: ProtocolVersion::TLSv1_2,
                        payload: &mut padded,
                    },
                    0,
                )
                .unwrap();
            assert_eq!((plain.typ, plain.range), (ContentType::ApplicationData, 0..2));
            let mut zeros = Vec::new();
            rk.seal_append(1, &[0; 8], &mut zeros).unwrap();
            assert_eq!(
                dec.decrypt(
                    InboundOpaqueMessage {
                        typ: ContentType::ApplicationData,
                        version: ProtocolVersion::TLSv1_2,
                        payload: &mut zeros
                    },
                    1
                ),
                Err(DecryptError::NoInnerContentType)
            );
        }
    }

    fn nonce(hex: &str) -> [u8; NONCE_LEN] {
        unhex(hex).try_into().unwrap()
    }

    /// Seals `plaintext`, checks ciphertext ‖ tag against `expected`, opens it back, and checks
    /// that flipping any one of a few bits (ciphertext, tag, AAD) makes opening fail.
    fn known_answer(alg: AeadAlgorithm, key: &str, iv: &str, aad: &str, plaintext: &str, expected: &str) {
        let key = AeadKey::new(alg, &unhex(key)).unwrap();
        let (nonce, aad, plaintext, expected) = (nonce(iv), unhex(aad), unhex(plaintext), unhex(expected));
        let mut buf = plaintext.clone();
        let tag = key.seal_in_place(&nonce, &aad, &mut buf).unwrap();
        buf.extend_from_slice(&tag);
        assert_eq!(buf, expected, "{alg:?} ciphertext ‖ tag");

        let mut opened = buf.clone();
        assert_eq!(key.open_in_place(&nonce, &aad, &mut opened).unwrap(), &plaintext[..]);

        // Tampering twins: one flipped bit anywhere fails, and so does other AAD or nonce.
        for i in [0, buf.len() / 2, buf.len() - TAG_LEN, buf.len() - 1] {
            let mut t = buf.clone();
            t[i] ^= 0x01;
            assert_eq!(key.open_in_place(&nonce, &aad, &mut t), Err(AeadError::Decrypt), "{alg:?} bit {i}");
        }
        let mut t = buf.clone();
        let mut other_aad = aad.clone();
        other_aad.push(0);
        assert_eq!(key.open_in_place(&nonce, &other_aad, &mut t), Err(AeadError::Decrypt));
        let mut other_nonce = nonce;
        other_nonce[11] ^= 0x80;
        let mut t = buf.clone();
        assert_eq!(key.open_in_place(&other_nonce, &aad, &mut t), Err(AeadError::Decrypt));
    }

    #[test]
    fn chacha20_poly1305_rfc8439_section_2_8_2() {
        // RFC 8439 §2.8.2: "Ladies and Gentlemen of the class of '99: ..."
        known_answer(
            AeadAlgorithm::ChaCha20Poly1305,
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
            "070000004041424344454647",
            "50515253c0c1c2c3c4c5c6c7",
            "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c642062652069742e",
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116\
             1ae10b594f09e26a7e902ecbd0600691",
        );
    }

    #[test]
    fn aes_128_gcm_mcgrew_viega_test_case_4() {
        // "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega, test case 4 (also the
        // NIST GCM validation vectors): 60-byte plaintext, 20-byte AAD, 96-bit IV.
        known_answer(
            AeadAlgorithm::Aes128Gcm,
            "feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091\
             5bc94fbc3221a5db94fae95ae7121a47",
        );
    }

    #[test]
    fn aes_256_gcm_mcgrew_viega_test_case_16() {
        // McGrew & Viega test case 16: AES-256, 60-byte plaintext, 20-byte AAD, 96-bit IV.
        known_answer(
            AeadAlgorithm::Aes256Gcm,
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662\
             76fc6ece0f4e1768cddf8853bb2d551b",
        );
    }

    #[test]
    fn aes_128_gcm_empty_plaintext_and_aad() {
        // McGrew & Viega test case 1: the tag alone, over nothing.
        known_answer(
            AeadAlgorithm::Aes128Gcm,
            "00000000000000000000000000000000",
            "000000000000000000000000",
            "",
            "",
            "58e2fccefa7e3061367f1d57a4e7455a",
        );
    }

    #[test]
    fn wrong_key_lengths_and_short_ciphertexts_are_errors_not_panics() {
        assert_eq!(
            AeadKey::new(AeadAlgorithm::Aes128Gcm, &[0; 32]).unwrap_err(),
            AeadError::BadLength { what: "key", expected: 16, actual: 32 }
        );
        assert!(AeadKey::new(AeadAlgorithm::ChaCha20Poly1305, &[0; 16]).is_err());
        let key = AeadKey::new(AeadAlgorithm::Aes256Gcm, &[7; 32]).unwrap();
        for len in 0..TAG_LEN {
            assert_eq!(key.open_in_place(&[0; 12], b"", &mut vec![0; len]), Err(AeadError::Decrypt));
        }
        assert!(Tls12AeadRecordKey::new(AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 12]).is_err());
        assert!(Tls12AeadRecordKey::new(AeadAlgorithm::ChaCha20Poly1305, &[0; 32], &[0; 4]).is_err());
        assert!(Tls13AeadRecordKey::new(AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 4]).is_err());
        let rec = Tls12AeadRecordKey::new(AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 4]).unwrap();
        for len in 0..8 + TAG_LEN {
            assert_eq!(rec.open_in_place(23, 0x0303, 0, &mut vec![0; len]), Err(AeadError::Decrypt));
        }
        assert!(!format!("{key:?}").contains("07"), "Debug must not print key material");
    }

    #[test]
    fn nonce_constructions_follow_rfc_5288_and_7905() {
        // RFC 5288 §3: salt ‖ explicit, explicit = sequence number.
        assert_eq!(
            gcm_nonce(&[1, 2, 3, 4], &gcm_explicit_nonce(0x0102030405060708)),
            nonce("010203040102030405060708")
        );
        // RFC 7905 §2 / RFC 8446 §5.3: the sequence number lands in the last 8 bytes.
        let iv = nonce("a0a1a2a3a4a5a6a7a8a9aaab");
        assert_eq!(xor_nonce(&iv, 0), iv);
        assert_eq!(xor_nonce(&iv, 1), nonce("a0a1a2a3a4a5a6a7a8a9aaaa"));
        assert_eq!(xor_nonce(&iv, 0xffff_ffff_ffff_ffff), nonce("a0a1a2a35b5a595857565554"));
        // RFC 5246 §6.2.3.3 and RFC 8446 §5.2.
        assert_eq!(tls12_aad(5, 23, 0x0303, 300).to_vec(), unhex("0000000000000005 17 0303 012c"));
        assert_eq!(tls13_aad(0x4011).to_vec(), unhex("17 0303 4011"));
    }

    #[test]
    fn tls13_records_round_trip_and_bind_the_sequence_number() {
        let key = Tls13AeadRecordKey::new(AeadAlgorithm::ChaCha20Poly1305, &[9; 32], &[3; 12]).unwrap();
        let inner = b"hello\x17\x00\x00"; // content, type, padding (RFC 8446 §5.2)
        let mut out = Vec::new();
        key.seal_append(0, inner, &mut out).unwrap();
        assert_eq!(out.len(), inner.len() + TAG_LEN);
        let mut fragment = out.clone();
        let range = key.open_in_place(0, &mut fragment).unwrap();
        assert_eq!(&fragment[range], inner);
        let mut t = out.clone();
        t[3] ^= 0x10;
        assert_eq!(key.open_in_place(0, &mut t), Err(AeadError::Decrypt));
        // The next sequence number is a different nonce.
        let mut t = out.clone();
        assert_eq!(key.open_in_place(1, &mut t), Err(AeadError::Decrypt));
    }

    fn tls12_round_trip(alg: AeadAlgorithm) {
        let key = vec![0x42; alg.key_len()];
        let iv = vec![0x24; alg.tls12_fixed_iv_len()];
        let sender = Tls12AeadRecordKey::new(alg, &key, &iv).unwrap();
        let receiver = Tls12AeadRecordKey::new(alg, &key, &iv).unwrap();
        let plaintext = b"GET / HTTP/1.1\r\n\r\n";
        let mut out = vec![0xee]; // bytes already in the buffer stay untouched
        sender.seal_append(23, 0x0303, 7, plaintext, &mut out).unwrap();
        assert_eq!(out[0], 0xee);
        let mut fragment = out[1..].to_vec();
        assert_eq!(fragment.len(), plaintext.len() + sender.overhead());
        if alg != AeadAlgorithm::ChaCha20Poly1305 {
            assert_eq!(&fragment[..8], &7u64.to_be_bytes(), "RFC 5288 explicit nonce = seq");
        }
        let mut opened = fragment.clone();
        let range = receiver.open_in_place(23, 0x0303, 7, &mut opened).unwrap();
        assert_eq!(&opened[range], plaintext);

        // Tampering twins: the AAD binds type, version and sequence number (and for
        // ChaCha20-Poly1305 the nonce binds it too); any flipped bit fails.
        assert!(receiver.open_in_place(22, 0x0303, 7, &mut fragment.clone()).is_err());
        assert!(receiver.open_in_place(23, 0x0302, 7, &mut fragment.clone()).is_err());
        assert!(receiver.open_in_place(23, 0x0303, 8, &mut fragment.clone()).is_err());
        for i in 0..fragment.len() {
            fragment[i] ^= 0x80;
            assert!(
                receiver.open_in_place(23, 0x0303, 7, &mut fragment.clone()).is_err(),
                "{alg:?} byte {i}"
            );
            fragment[i] ^= 0x80;
        }
    }

    #[test]
    fn tls12_records_round_trip_and_every_flipped_bit_fails() {
        tls12_round_trip(AeadAlgorithm::Aes128Gcm);
        tls12_round_trip(AeadAlgorithm::Aes256Gcm);
        tls12_round_trip(AeadAlgorithm::ChaCha20Poly1305);
    }
    #[test]
    fn record_algorithms_slice_the_rfc_5288_and_7905_key_blocks_and_round_trip_through_the_traits() {
        use crate::crypto::rustcrypto::rand::SYSTEM_RANDOM;
        use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};
        use crate::enums::ProtocolVersion;
        for (alg, key_len, iv_len, explicit) in
            [(&AES_128_GCM, 16, 4, 8), (&AES_256_GCM, 32, 4, 8), (&CHACHA20_POLY1305, 32, 12, 0)]
        {
            let shape = alg.key_block_shape();
            assert_eq!((shape.mac_key_len, shape.enc_key_len, shape.fixed_iv_len), (0, key_len, iv_len));
            let key = vec![7u8; key_len];
            let iv = vec![9u8; iv_len];
            let keys = RecordKeys { mac_key: &[], enc_key: &key, iv: &iv };
            let params = RecordParams {
                version: ProtocolVersion::TLSv1_2,
                encrypt_then_mac: true,
                random: &SYSTEM_RANDOM,
            };
            let mut enc = alg.encrypter(&keys, params);
            let mut dec = alg.decrypter(&keys, params);
            for seq in 0..3u64 {
                let mut out = Vec::new();
                let header = enc.encrypt(plain_msg(23, 0x0303, b"hello"), seq, &mut out).unwrap();
                assert_eq!(u8::from(header.typ), 23);
                assert_eq!(out.len(), enc.encrypted_payload_len(5));
                assert_eq!(out.len(), 5 + explicit + TAG_LEN);
                let mut tampered = out.clone();
                let plain = dec.decrypt(opaque_msg(23, 0x0303, &mut out), seq).unwrap();
                assert_eq!(&out[plain.range], b"hello");
                // Tampering twin: a flipped tag bit is bad_record_mac, and so is a replay
                // under the next sequence number.
                let last = tampered.len() - 1;
                tampered[last] ^= 1;
                assert_eq!(
                    dec.decrypt(opaque_msg(23, 0x0303, &mut tampered), seq + 1).unwrap_err(),
                    DecryptError::BadRecordMac
                );
            }
            // A fragment too short for nonce and tag is an error, not a panic.
            let mut short = vec![0u8; explicit + TAG_LEN - 1];
            assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut short), 0).is_err());
        }
    }
}
