//! Record protection for TLS 1.0–1.2 cipher suites (RFC 5246 §6.2.3).

use super::GetRandomFailed;
use crate::enums::{ContentType, ProtocolVersion};

/// How many bytes of the key block (RFC 5246 §6.3) each direction takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyBlockShape {
    /// MAC key length.
    pub mac_key_len: usize,
    /// Cipher key length.
    pub enc_key_len: usize,
    /// Fixed IV length: the CBC block size, used only as the TLS 1.0 initial IV; 0 for stream
    /// ciphers.
    pub fixed_iv_len: usize,
}

/// Keys for one direction, sliced from the key block.
pub struct RecordKeys<'a> {
    /// MAC key.
    pub mac_key: &'a [u8],
    /// Cipher key.
    pub enc_key: &'a [u8],
    /// Initial IV (TLS 1.0 CBC only; ignored from TLS 1.1 on, which sends explicit IVs).
    pub iv: &'a [u8],
}

/// Negotiated parameters that change how records are protected.
#[derive(Clone, Copy)]
pub struct RecordParams {
    /// The negotiated version: CBC uses an implicit IV chained across records in TLS 1.0, an
    /// explicit IV per record from TLS 1.1 on.
    pub version: ProtocolVersion,
    /// RFC 7366 encrypt-then-MAC was negotiated (only meaningful for block ciphers).
    pub encrypt_then_mac: bool,
    /// The provider's random source, for per-record explicit IVs (TLS 1.1+ CBC), so that every
    /// random byte a connection uses comes from the one source its provider names.
    pub random: &'static dyn super::SecureRandom,
}

impl core::fmt::Debug for RecordParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RecordParams")
            .field("version", &self.version)
            .field("encrypt_then_mac", &self.encrypt_then_mac)
            .finish_non_exhaustive()
    }
}

/// A record could not be unprotected. Authentication failures are all bad_record_mac (RFC 5246
/// §7.2.2: padding and MAC failures must be indistinguishable).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecryptError {
    /// The MAC, the padding or the length was wrong.
    BadRecordMac,
    /// TLS 1.3: the record authenticated but its TLSInnerPlaintext holds no non-zero byte, so
    /// it has no content type (unexpected_message, RFC 8446 §5.4).
    NoInnerContentType,
}

/// A record could not be protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncryptError {
    /// The random source failed (explicit CBC IVs).
    Random(GetRandomFailed),
    /// The key may not protect any more records (an AEAD usage limit, RFC 8446 §5.5); the
    /// connection must rekey or end.
    KeyExhausted,
}

impl From<GetRandomFailed> for EncryptError {
    fn from(e: GetRandomFailed) -> Self {
        Self::Random(e)
    }
}

/// A record to protect: its content type, the version of its header and its plaintext
/// fragment (RFC 5246 §6.2.1 TLSPlaintext; RFC 8446 §5.2 TLSInnerPlaintext's content).
#[derive(Clone, Copy, Debug)]
pub struct OutboundPlainMessage<'a> {
    /// The real content type.
    pub typ: ContentType,
    /// The version the record header carries.
    pub version: ProtocolVersion,
    /// The plaintext fragment (at most 2^14 bytes).
    pub payload: &'a [u8],
}

/// What the header of a protected record says. TLS 1.0–1.2 keep the plaintext's type and
/// version; TLS 1.3 writes application_data and 0x0303 and hides the real type inside
/// (RFC 8446 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpaqueHeader {
    /// The record header's content type.
    pub typ: ContentType,
    /// The record header's version.
    pub version: ProtocolVersion,
}

/// A received record, still protected: its header's type and version and its fragment, which
/// the decrypter may overwrite in place.
#[derive(Debug)]
pub struct InboundOpaqueMessage<'a> {
    /// The record header's content type.
    pub typ: ContentType,
    /// The record header's version.
    pub version: ProtocolVersion,
    /// The protected fragment.
    pub payload: &'a mut [u8],
}

/// A record after unprotection: the real content type (TLS 1.3 reads it from inside the
/// record) and where the plaintext lies within the fragment that was decrypted in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundPlainMessage {
    /// The real content type.
    pub typ: ContentType,
    /// The record header's version.
    pub version: ProtocolVersion,
    /// The plaintext's range within the fragment.
    pub range: core::ops::Range<usize>,
}

/// Protects outgoing records in one direction; holds its own cipher state (RC4 keystream, the
/// TLS 1.0 CBC chain, an AEAD key and IV). The record layer holds one per direction and swaps
/// it at each key change.
pub trait MessageEncrypter: Send + Sync {
    /// Length of the protected fragment for `payload_len` bytes of plaintext (TLS 1.3: plus
    /// the inner content type byte).
    fn encrypted_payload_len(&self, payload_len: usize) -> usize;

    /// Appends to `out` the protected fragment of `msg`, sent with sequence number `seq` (the
    /// MAC or AEAD additional data covers seq ‖ type ‖ version ‖ length, RFC 5246 §6.2.3), and
    /// returns the header the record carries.
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError>;
}

/// Unprotects incoming records in one direction.
pub trait MessageDecrypter: Send + Sync {
    /// Decrypts and authenticates `msg.payload` in place. Padding and MAC are checked in
    /// constant time with respect to the padding contents (Lucky 13: the MAC computation costs
    /// the same whatever the padding length).
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError>;
}

/// The bulk cipher and MAC of a TLS 1.0–1.2 suite.
pub trait Tls12RecordAlgorithm: Send + Sync {
    /// Key block sizes.
    fn key_block_shape(&self) -> KeyBlockShape;
    /// Builds the encrypting half.
    fn encrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageEncrypter>;
    /// Builds the decrypting half.
    fn decrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageDecrypter>;
}

/// The AEAD of a TLS 1.3 suite (RFC 8446 §5.2): one key and IV per direction and epoch, derived
/// from a traffic secret by the key schedule.
pub trait Tls13AeadAlgorithm: Send + Sync {
    /// Key length in bytes (the IV is always 12, RFC 8446 §5.3).
    fn key_len(&self) -> usize;
    /// Full-size records one key may protect before the sender must rekey (RFC 8446 §5.5).
    fn confidentiality_limit(&self) -> u64;
    /// Builds the encrypting half: records go out as `TLSCiphertext` of type application_data
    /// and version 0x0303, the real type inside (RFC 8446 §5.2).
    fn encrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageEncrypter>;
    /// Builds the decrypting half: returns the real content type, padding removed.
    fn decrypter(&self, key: &[u8], iv: &[u8; 12]) -> Box<dyn MessageDecrypter>;
}
