//! TLS AEAD record protection, shared by every provider: the nonce and additional-data
//! constructions (RFC 5288, RFC 7905, RFC 8446 §5.2–5.3), the TLS 1.2 and TLS 1.3 record
//! encrypters and decrypters, and sealing for session tickets ([`crate::crypto::Aead`]).
//!
//! A provider supplies only the cipher: an [`AeadKeyer`] that keys an [`InPlaceAead`] (seal and
//! open in place with a 12-byte nonce and a detached 16-byte tag). Everything TLS-specific is
//! here once, so two providers cannot disagree on the wire, and a record is sealed in the
//! output buffer (one copy of the plaintext) and opened in place in the receive buffer.
//!
//! Every authentication failure is the one [`AeadError::Decrypt`]: the record layer reports it
//! as bad_record_mac (RFC 5246 §7.2.2, RFC 8446 §5.2) without telling the peer more.

use core::ops::Range;

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

    /// The algorithm's name as RFC 5116 registers it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "AEAD_AES_128_GCM",
            Self::Aes256Gcm => "AEAD_AES_256_GCM",
            Self::ChaCha20Poly1305 => "AEAD_CHACHA20_POLY1305",
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

/// A keyed AEAD cipher, the one thing a provider implements for AEAD records and tickets.
/// Implementations zeroize their key schedule on drop.
pub trait InPlaceAead: Send + Sync {
    /// Encrypts `in_out` in place and returns the tag that authenticates it and `aad`. A nonce
    /// must never be used twice with one key (the TLS constructions derive it from the record
    /// sequence number, which never repeats within a key's life).
    fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], AeadError>;

    /// Checks the tag at the end of `in_out` (ciphertext ‖ tag) against the ciphertext and
    /// `aad`, then decrypts in place; returns the plaintext length (`in_out.len() - TAG_LEN`).
    /// On failure no plaintext is released: the error is the only result.
    fn open_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<usize, AeadError>;
}

/// How a provider keys `algorithm`: a wrong key length is [`AeadError::BadLength`].
pub type AeadKeyer = fn(AeadAlgorithm, &[u8]) -> Result<Box<dyn InPlaceAead>, AeadError>;

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

/// Seals `out[body..]` in place and appends the tag; on failure `out` is cut back to `start`
/// so that no plaintext can be sent by mistake.
fn seal_tail(
    key: &dyn InPlaceAead,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    out: &mut Vec<u8>,
    start: usize,
    body: usize,
) -> Result<(), AeadError> {
    match key.seal_in_place(nonce, aad, &mut out[body..]) {
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
    algorithm: AeadAlgorithm,
    key: Box<dyn InPlaceAead>,
    iv: Tls12Iv,
}

impl core::fmt::Debug for Tls12AeadRecordKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls12AeadRecordKey").field("algorithm", &self.algorithm).finish_non_exhaustive()
    }
}

impl Tls12AeadRecordKey {
    /// `key` is the `write_key`, `fixed_iv` the `write_IV` of the key block: 4 bytes for AES-GCM,
    /// 12 for ChaCha20-Poly1305 ([`AeadAlgorithm::tls12_fixed_iv_len`]); `keyer` the provider's.
    pub fn new(
        keyer: AeadKeyer,
        algorithm: AeadAlgorithm,
        key: &[u8],
        fixed_iv: &[u8],
    ) -> Result<Self, AeadError> {
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
        Ok(Self { algorithm, key: keyer(algorithm, key)?, iv })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    /// Bytes a record grows by: explicit nonce (if any) and tag.
    pub fn overhead(&self) -> usize {
        self.algorithm.tls12_explicit_nonce_len() + TAG_LEN
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
        crate::crypto::copy::extend(out, plaintext);
        seal_tail(&*self.key, &nonce, &aad, out, start, body)
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
        let explicit_len = self.algorithm.tls12_explicit_nonce_len();
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
/// §3: 4 for AES-GCM; RFC 7905 §2: 12 for ChaCha20-Poly1305), keyed by one provider's cipher.
pub struct AeadRecord {
    algorithm: AeadAlgorithm,
    keyer: AeadKeyer,
}

impl AeadRecord {
    /// `algorithm`'s records with the cipher `keyer` makes.
    pub const fn new(algorithm: AeadAlgorithm, keyer: AeadKeyer) -> Self {
        Self { algorithm, keyer }
    }

    fn record_key(&self, keys: &RecordKeys<'_>) -> Tls12AeadRecordKey {
        // The record layer slices keys by `key_block_shape`, so a wrong length is a ferrotls bug.
        Tls12AeadRecordKey::new(self.keyer, self.algorithm, keys.enc_key, keys.iv)
            .expect("key block sliced by key_block_shape")
    }
}

impl Tls12RecordAlgorithm for AeadRecord {
    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            mac_key_len: 0,
            enc_key_len: self.algorithm.key_len(),
            fixed_iv_len: self.algorithm.tls12_fixed_iv_len(),
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
    algorithm: AeadAlgorithm,
    key: Box<dyn InPlaceAead>,
    iv: [u8; NONCE_LEN],
}

impl core::fmt::Debug for Tls13AeadRecordKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls13AeadRecordKey").field("algorithm", &self.algorithm).finish_non_exhaustive()
    }
}

impl Tls13AeadRecordKey {
    /// `key` and `iv` are the traffic key and IV derived from a traffic secret (RFC 8446 §7.3);
    /// the IV is always 12 bytes.
    pub fn new(keyer: AeadKeyer, algorithm: AeadAlgorithm, key: &[u8], iv: &[u8]) -> Result<Self, AeadError> {
        let iv = iv.try_into().map_err(|_| AeadError::BadLength {
            what: "IV",
            expected: NONCE_LEN,
            actual: iv.len(),
        })?;
        Ok(Self { algorithm, key: keyer(algorithm, key)?, iv })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    /// Appends `E(inner_plaintext) ‖ tag` to `out`, `inner_plaintext.len() + TAG_LEN` bytes.
    pub fn seal_append(&self, seq: u64, inner_plaintext: &[u8], out: &mut Vec<u8>) -> Result<(), AeadError> {
        let start = out.len();
        out.reserve(inner_plaintext.len() + TAG_LEN);
        crate::crypto::copy::extend(out, inner_plaintext);
        self.seal_tail(seq, out, start)
    }

    /// Seals `out[start..]` (a TLSInnerPlaintext the caller wrote there) in place and appends
    /// the tag: the record is built in the output buffer with no scratch copy.
    fn seal_tail(&self, seq: u64, out: &mut Vec<u8>, start: usize) -> Result<(), AeadError> {
        let aad = tls13_aad(out.len() - start + TAG_LEN);
        seal_tail(&*self.key, &xor_nonce(&self.iv, seq), &aad, out, start, start)
    }

    /// Authenticates and decrypts a received record body in place; returns the inner
    /// plaintext's range (always `0..fragment.len() - TAG_LEN`).
    pub fn open_in_place(&self, seq: u64, fragment: &mut [u8]) -> Result<Range<usize>, AeadError> {
        if fragment.len() < TAG_LEN {
            return Err(AeadError::Decrypt);
        }
        let aad = tls13_aad(fragment.len());
        let len = self.key.open_in_place(&xor_nonce(&self.iv, seq), &aad, fragment)?;
        Ok(0..len)
    }
}

/// [`Tls13AeadAlgorithm`] over one of the AEADs and one provider's cipher: builds
/// `TLSInnerPlaintext` (content ‖ type, no padding) and reads it back (RFC 8446 §5.2, §5.4).
pub struct Tls13Aead {
    algorithm: AeadAlgorithm,
    keyer: AeadKeyer,
}

impl Tls13Aead {
    /// `algorithm`'s TLS 1.3 records with the cipher `keyer` makes.
    pub const fn new(algorithm: AeadAlgorithm, keyer: AeadKeyer) -> Self {
        Self { algorithm, keyer }
    }

    /// The algorithm.
    pub const fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    fn record_key(&self, key: &[u8], iv: &[u8; 12]) -> Tls13AeadRecordKey {
        // The key schedule derives `key_len()` bytes, so a wrong length is a ferrotls bug.
        Tls13AeadRecordKey::new(self.keyer, self.algorithm, key, iv).expect("key derived with key_len()")
    }
}

impl Tls13AeadAlgorithm for Tls13Aead {
    fn key_len(&self) -> usize {
        self.algorithm.key_len()
    }

    fn confidentiality_limit(&self) -> u64 {
        self.algorithm.confidentiality_limit()
    }

    fn encrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageEncrypter> {
        Box::new(Tls13Encrypter(self.record_key(key, iv)))
    }

    fn decrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageDecrypter> {
        Box::new(Tls13Decrypter(self.record_key(key, iv)))
    }
}

/// The encrypting half of [`Tls13Aead`].
struct Tls13Encrypter(Tls13AeadRecordKey);

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
        if seq >= self.0.algorithm().confidentiality_limit() {
            return Err(EncryptError::KeyExhausted);
        }
        // TLSInnerPlaintext = content ‖ type (no padding), written straight into `out` and
        // sealed there: the plaintext is copied once.
        let start = out.len();
        out.reserve(self.encrypted_payload_len(msg.payload.len()));
        crate::crypto::copy::extend(out, msg.payload);
        out.push(u8::from(msg.typ));
        self.0.seal_tail(seq, out, start).map_err(|_| EncryptError::KeyExhausted)?;
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

/// [`crate::crypto::Aead`] (sealing outside the record layer: session tickets) over one
/// provider's cipher.
pub struct SealingAead {
    algorithm: AeadAlgorithm,
    keyer: AeadKeyer,
}

impl SealingAead {
    /// `algorithm` with the cipher `keyer` makes.
    pub const fn new(algorithm: AeadAlgorithm, keyer: AeadKeyer) -> Self {
        Self { algorithm, keyer }
    }
}

impl crate::crypto::Aead for SealingAead {
    fn name(&self) -> &'static str {
        self.algorithm.name()
    }

    fn key_len(&self) -> usize {
        self.algorithm.key_len()
    }

    fn key(&self, key: &[u8]) -> Option<Box<dyn crate::crypto::KeyedAead>> {
        (self.keyer)(self.algorithm, key)
            .ok()
            .map(|k| Box::new(SealingKey(k)) as Box<dyn crate::crypto::KeyedAead>)
    }
}

/// A keyed [`SealingAead`].
struct SealingKey(Box<dyn InPlaceAead>);

impl crate::crypto::KeyedAead for SealingKey {
    fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(plaintext.len() + TAG_LEN);
        crate::crypto::copy::extend(&mut out, plaintext);
        // Only inputs beyond the algorithm's limit (gigabytes) fail, leaving `out` empty; an
        // empty result can never open, so the peer falls back to a full handshake.
        let _ = seal_tail(&*self.0, nonce, aad, &mut out, 0, 0);
        out
    }

    fn open(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        sealed: &[u8],
    ) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        if sealed.len() < TAG_LEN {
            return None;
        }
        let mut buf = zeroize::Zeroizing::new(sealed.to_vec());
        let len = self.0.open_in_place(nonce, aad, &mut buf).ok()?;
        buf.truncate(len);
        Some(buf)
    }
}

/// Declares a provider's AEAD statics over its keyer: `AES_128_GCM`, `AES_256_GCM`,
/// `CHACHA20_POLY1305` (TLS 1.2 records), `TLS13_AES_128_GCM`, `TLS13_AES_256_GCM`,
/// `TLS13_CHACHA20_POLY1305` (TLS 1.3 records) and `SEALING_AEADS` (tickets: AES-256-GCM first,
/// the fastest with AES instructions, then ChaCha20-Poly1305), so both providers offer the
/// same set in the same order.
macro_rules! aead_statics {
    ($keyer:path) => {
        use rec::AeadAlgorithm as Alg;
        use $crate::crypto::aead_record as rec;
        /// AES-128-GCM records (`TLS_*_WITH_AES_128_GCM_SHA256`, RFC 5288).
        pub static AES_128_GCM: rec::AeadRecord = rec::AeadRecord::new(Alg::Aes128Gcm, $keyer);
        /// AES-256-GCM records (`TLS_*_WITH_AES_256_GCM_SHA384`, RFC 5288).
        pub static AES_256_GCM: rec::AeadRecord = rec::AeadRecord::new(Alg::Aes256Gcm, $keyer);
        /// ChaCha20-Poly1305 records (`TLS_*_WITH_CHACHA20_POLY1305_SHA256`, RFC 7905).
        pub static CHACHA20_POLY1305: rec::AeadRecord = rec::AeadRecord::new(Alg::ChaCha20Poly1305, $keyer);
        /// AES-128-GCM for `TLS_AES_128_GCM_SHA256`.
        pub static TLS13_AES_128_GCM: rec::Tls13Aead = rec::Tls13Aead::new(Alg::Aes128Gcm, $keyer);
        /// AES-256-GCM for `TLS_AES_256_GCM_SHA384`.
        pub static TLS13_AES_256_GCM: rec::Tls13Aead = rec::Tls13Aead::new(Alg::Aes256Gcm, $keyer);
        /// ChaCha20-Poly1305 for `TLS_CHACHA20_POLY1305_SHA256`.
        pub static TLS13_CHACHA20_POLY1305: rec::Tls13Aead =
            rec::Tls13Aead::new(Alg::ChaCha20Poly1305, $keyer);
        /// The AEADs for sealing bytes outside records (session tickets), most preferred first.
        pub static SEALING_AEADS: &[&dyn $crate::crypto::Aead] = &[
            &rec::SealingAead::new(Alg::Aes256Gcm, $keyer),
            &rec::SealingAead::new(Alg::ChaCha20Poly1305, $keyer),
        ];
    };
}
pub(crate) use aead_statics;
