//! Cipher suites as static data: what each one is made of, so that policy, OpenSSL's cipher
//! strings, `SSL_CIPHER_description` and the command line read facts instead of parsing names.

use super::{Hash, HashAlgorithm, Hkdf, Hmac, Tls12RecordAlgorithm, Tls13AeadAlgorithm};
use crate::enums::{CipherSuite, ProtocolVersion};

/// How the premaster secret is agreed (RFC 5246 §7.4.7, RFC 8422 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyExchangeAlgorithm {
    /// The client encrypts the premaster to the server's RSA key (no forward secrecy).
    Rsa,
    /// Ephemeral elliptic-curve Diffie-Hellman over a named group.
    Ecdhe,
}

/// How the server proves its identity (the certificate key's type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthenticationAlgorithm {
    /// An RSA certificate (decryption for RSA key exchange, signatures for ECDHE).
    Rsa,
    /// An ECDSA certificate.
    Ecdsa,
}

/// The bulk cipher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulkAlgorithm {
    /// AES-128 in CBC mode.
    Aes128Cbc,
    /// AES-256 in CBC mode.
    Aes256Cbc,
    /// Triple DES (EDE) in CBC mode: 64-bit blocks (Sweet32), legacy only.
    TripleDesCbc,
    /// RC4 with a 128-bit key: prohibited by RFC 7465, legacy only.
    Rc4_128,
    /// AES-128-GCM (RFC 5288).
    Aes128Gcm,
    /// AES-256-GCM (RFC 5288).
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 7905).
    ChaCha20Poly1305,
}

impl BulkAlgorithm {
    /// Effective strength in bits, as OpenSSL reports it (`SSL_CIPHER_get_bits`): 3DES's 168-bit
    /// key gives 112 bits.
    pub const fn strength_bits(self) -> u16 {
        match self {
            Self::Aes128Cbc | Self::Rc4_128 | Self::Aes128Gcm => 128,
            Self::Aes256Cbc | Self::Aes256Gcm | Self::ChaCha20Poly1305 => 256,
            Self::TripleDesCbc => 112,
        }
    }

    /// Key length in bits (`SSL_CIPHER_get_bits`' `alg_bits`).
    pub const fn key_bits(self) -> u16 {
        match self {
            Self::TripleDesCbc => 168,
            other => other.strength_bits(),
        }
    }

    /// The record shape this cipher gives.
    pub const fn record_shape(self) -> RecordShape {
        match self {
            Self::Aes128Cbc | Self::Aes256Cbc | Self::TripleDesCbc => RecordShape::Cbc,
            Self::Rc4_128 => RecordShape::Stream,
            Self::Aes128Gcm | Self::Aes256Gcm | Self::ChaCha20Poly1305 => RecordShape::Aead,
        }
    }
}

/// The record MAC: an HMAC for CBC and stream suites, none of its own for AEAD suites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MacAlgorithm {
    /// HMAC-MD5 (RC4-MD5 only).
    HmacMd5,
    /// HMAC-SHA1.
    HmacSha1,
    /// HMAC-SHA256.
    HmacSha256,
    /// HMAC-SHA384.
    HmacSha384,
    /// The AEAD authenticates.
    Aead,
}

/// How a protected record is laid out (RFC 5246 §6.2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordShape {
    /// `GenericBlockCipher`: IV, content, MAC, padding (encrypt-then-MAC applies).
    Cbc,
    /// `GenericStreamCipher`: content and MAC.
    Stream,
    /// `GenericAEADCipher`: explicit nonce (RFC 5288) or none (RFC 7905), content and tag.
    Aead,
}

/// What every cipher suite has, whatever the version (RFC 8446 suites share it too).
#[derive(Clone, Copy, Debug)]
pub struct SuiteCommon {
    /// IANA code point.
    pub suite: CipherSuite,
    /// IANA name, e.g. `TLS_RSA_WITH_AES_128_CBC_SHA`.
    pub iana_name: &'static str,
    /// OpenSSL name, e.g. `AES128-SHA`.
    pub openssl_name: &'static str,
    /// The bulk cipher.
    pub bulk: BulkAlgorithm,
    /// The hash of the PRF (TLS 1.2, RFC 5246 §5) or of HKDF (TLS 1.3).
    pub hash: HashAlgorithm,
    /// Lowest protocol version the suite may be used with.
    pub min_version: ProtocolVersion,
    /// Highest protocol version the suite may be used with.
    pub max_version: ProtocolVersion,
    /// 3DES and RC4 suites: usable only with the legacy profile.
    pub legacy: bool,
}

impl SuiteCommon {
    /// Effective symmetric strength in bits.
    pub const fn bits(&self) -> u16 {
        self.bulk.strength_bits()
    }

    /// True for the suite called `name`, by IANA or OpenSSL name, ignoring ASCII case.
    pub fn is_named(&self, name: &str) -> bool {
        self.iana_name.eq_ignore_ascii_case(name) || self.openssl_name.eq_ignore_ascii_case(name)
    }

    /// True when the suite may be used at version `v`.
    pub fn usable_at(&self, v: ProtocolVersion) -> bool {
        self.min_version <= v && v <= self.max_version
    }
}

/// A TLS 1.0–1.2 cipher suite, as static data.
pub struct Tls12CipherSuite {
    /// Name, code point, bulk cipher, versions, legacy flag.
    pub common: SuiteCommon,
    /// Key exchange.
    pub kx: KeyExchangeAlgorithm,
    /// Server authentication.
    pub auth: AuthenticationAlgorithm,
    /// Record MAC.
    pub mac: MacAlgorithm,
    /// HMAC for the TLS 1.2 PRF (over `common.hash`).
    pub prf_hmac: &'static dyn Hmac,
    /// Record protection.
    pub record: &'static dyn Tls12RecordAlgorithm,
}

impl Tls12CipherSuite {
    /// How records are laid out.
    pub const fn record_shape(&self) -> RecordShape {
        self.common.bulk.record_shape()
    }

    /// True for CBC suites, where encrypt-then-MAC (RFC 7366) and the 1/n-1 split apply.
    pub fn is_cbc(&self) -> bool {
        self.record_shape() == RecordShape::Cbc
    }
}

/// The common facts read through the suite (`suite.openssl_name`, `suite.min_version`).
impl core::ops::Deref for Tls12CipherSuite {
    type Target = SuiteCommon;
    fn deref(&self) -> &SuiteCommon {
        &self.common
    }
}

impl core::fmt::Debug for Tls12CipherSuite {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.iana_name)
    }
}

impl PartialEq for Tls12CipherSuite {
    fn eq(&self, other: &Self) -> bool {
        self.suite == other.suite
    }
}

/// The suite in `available` called `name` (IANA or OpenSSL name, any ASCII case).
pub fn find_suite(available: &[&'static Tls12CipherSuite], name: &str) -> Option<&'static Tls12CipherSuite> {
    available.iter().copied().find(|s| s.is_named(name))
}

/// A TLS 1.3 cipher suite (RFC 8446 §B.4): an AEAD and the hash of HKDF; key exchange and
/// authentication are negotiated apart from it.
pub struct Tls13CipherSuite {
    /// Name, code point, bulk cipher, versions (1.3 only), legacy flag (never).
    pub common: SuiteCommon,
    /// HKDF over `common.hash`, for the key schedule.
    pub hkdf: &'static dyn Hkdf,
    /// `common.hash` itself, for the transcript (RFC 8446 §4.4.1).
    pub transcript_hash: &'static dyn Hash,
    /// Record protection.
    pub aead: &'static dyn Tls13AeadAlgorithm,
}

impl Tls13CipherSuite {
    /// The key schedule's hash functions.
    pub fn schedule_hash(&self) -> crate::key_schedule::tls13::Tls13Hash {
        crate::key_schedule::tls13::Tls13Hash { hkdf: self.hkdf, hash: self.transcript_hash }
    }
}

impl core::ops::Deref for Tls13CipherSuite {
    type Target = SuiteCommon;
    fn deref(&self) -> &SuiteCommon {
        &self.common
    }
}

impl core::fmt::Debug for Tls13CipherSuite {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.iana_name)
    }
}

impl PartialEq for Tls13CipherSuite {
    fn eq(&self, other: &Self) -> bool {
        self.suite == other.suite
    }
}

/// A negotiated suite of either family: what connections expose. The common facts (names,
/// code point, bulk cipher, bits) read through it directly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SupportedCipherSuite {
    /// A TLS 1.0–1.2 suite.
    Tls12(&'static Tls12CipherSuite),
    /// A TLS 1.3 suite.
    Tls13(&'static Tls13CipherSuite),
}

impl SupportedCipherSuite {
    /// The TLS 1.2 suite, if this is one.
    pub fn tls12(&self) -> Option<&'static Tls12CipherSuite> {
        match *self {
            Self::Tls12(s) => Some(s),
            Self::Tls13(_) => None,
        }
    }

    /// The TLS 1.3 suite, if this is one.
    pub fn tls13(&self) -> Option<&'static Tls13CipherSuite> {
        match *self {
            Self::Tls13(s) => Some(s),
            Self::Tls12(_) => None,
        }
    }
}

impl core::ops::Deref for SupportedCipherSuite {
    type Target = SuiteCommon;
    fn deref(&self) -> &SuiteCommon {
        match *self {
            Self::Tls12(s) => &s.common,
            Self::Tls13(s) => &s.common,
        }
    }
}
