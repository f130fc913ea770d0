//! The cipher suite table and [`DEFAULT_PROVIDER`].

use super::aead::{AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305};
use super::aead::{TLS13_AES_128_GCM, TLS13_AES_256_GCM, TLS13_CHACHA20_POLY1305};
use super::cbc_hmac::{
    AES_128_CBC_SHA, AES_128_CBC_SHA256, AES_256_CBC_SHA, AES_256_CBC_SHA256, AES_256_CBC_SHA384,
    DES_EDE3_CBC_SHA,
};
use super::hash::{self, HMAC_SHA256, HMAC_SHA384, SHA256, SHA384};
use super::hkdf::{HKDF_SHA256, HKDF_SHA384};
use super::keys::KEY_PROVIDER;
use super::rand::SYSTEM_RANDOM;
use super::rc4_hmac::{RC4_128_MD5, RC4_128_SHA};
use super::signature_verify::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
use crate::crypto::{
    AuthenticationAlgorithm, BulkAlgorithm, CryptoProvider, HashAlgorithm, KeyExchangeAlgorithm,
    MacAlgorithm, SuiteCommon, Tls12CipherSuite, Tls13CipherSuite,
};
use crate::enums::{CipherSuite, ProtocolVersion};

/// `TLS_RSA_WITH_AES_128_CBC_SHA` (RFC 5246 Appendix A.5), OpenSSL `AES128-SHA`.
pub static TLS_RSA_WITH_AES_128_CBC_SHA: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA,
        iana_name: "TLS_RSA_WITH_AES_128_CBC_SHA",
        openssl_name: "AES128-SHA",
        bulk: BulkAlgorithm::Aes128Cbc,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_0,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha1,
    prf_hmac: &HMAC_SHA256,
    record: &AES_128_CBC_SHA,
};

/// `TLS_RSA_WITH_AES_256_CBC_SHA` (RFC 5246 Appendix A.5), OpenSSL `AES256-SHA`.
pub static TLS_RSA_WITH_AES_256_CBC_SHA: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA,
        iana_name: "TLS_RSA_WITH_AES_256_CBC_SHA",
        openssl_name: "AES256-SHA",
        bulk: BulkAlgorithm::Aes256Cbc,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_0,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha1,
    prf_hmac: &HMAC_SHA256,
    record: &AES_256_CBC_SHA,
};

/// `TLS_RSA_WITH_AES_128_CBC_SHA256` (RFC 5246 Appendix A.5), OpenSSL `AES128-SHA256`;
/// TLS 1.2 only (RFC 5246 Appendix A.5: suites with SHA-256 MACs are new in TLS 1.2).
pub static TLS_RSA_WITH_AES_128_CBC_SHA256: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA256,
        iana_name: "TLS_RSA_WITH_AES_128_CBC_SHA256",
        openssl_name: "AES128-SHA256",
        bulk: BulkAlgorithm::Aes128Cbc,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_2,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha256,
    prf_hmac: &HMAC_SHA256,
    record: &AES_128_CBC_SHA256,
};

/// `TLS_RSA_WITH_AES_256_CBC_SHA256` (RFC 5246 Appendix A.5), OpenSSL `AES256-SHA256`; TLS 1.2
/// only.
pub static TLS_RSA_WITH_AES_256_CBC_SHA256: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA256,
        iana_name: "TLS_RSA_WITH_AES_256_CBC_SHA256",
        openssl_name: "AES256-SHA256",
        bulk: BulkAlgorithm::Aes256Cbc,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_2,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha256,
    prf_hmac: &HMAC_SHA256,
    record: &AES_256_CBC_SHA256,
};

/// `TLS_RSA_WITH_3DES_EDE_CBC_SHA` (RFC 5246 Appendix A.5), OpenSSL `DES-CBC3-SHA`. Legacy:
/// 64-bit blocks (Sweet32). 112 bits is the effective strength OpenSSL reports.
pub static TLS_RSA_WITH_3DES_EDE_CBC_SHA: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_3DES_EDE_CBC_SHA,
        iana_name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        openssl_name: "DES-CBC3-SHA",
        bulk: BulkAlgorithm::TripleDesCbc,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_0,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: true,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha1,
    prf_hmac: &HMAC_SHA256,
    record: &DES_EDE3_CBC_SHA,
};

/// `TLS_RSA_WITH_RC4_128_SHA` (RFC 5246 Appendix A.5), OpenSSL `RC4-SHA`. Legacy: RFC 7465
/// prohibits RC4.
pub static TLS_RSA_WITH_RC4_128_SHA: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_RC4_128_SHA,
        iana_name: "TLS_RSA_WITH_RC4_128_SHA",
        openssl_name: "RC4-SHA",
        bulk: BulkAlgorithm::Rc4_128,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_0,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: true,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacSha1,
    prf_hmac: &HMAC_SHA256,
    record: &RC4_128_SHA,
};

/// `TLS_RSA_WITH_RC4_128_MD5` (RFC 5246 Appendix A.5), OpenSSL `RC4-MD5`. Legacy: RFC 7465
/// prohibits RC4.
pub static TLS_RSA_WITH_RC4_128_MD5: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_RC4_128_MD5,
        iana_name: "TLS_RSA_WITH_RC4_128_MD5",
        openssl_name: "RC4-MD5",
        bulk: BulkAlgorithm::Rc4_128,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_0,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: true,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::HmacMd5,
    prf_hmac: &HMAC_SHA256,
    record: &RC4_128_MD5,
};

/// `TLS_RSA_WITH_AES_128_GCM_SHA256` (RFC 5288 §3), OpenSSL `AES128-GCM-SHA256`; TLS 1.2 only
/// (RFC 5288 §4).
pub static TLS_RSA_WITH_AES_128_GCM_SHA256: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256,
        iana_name: "TLS_RSA_WITH_AES_128_GCM_SHA256",
        openssl_name: "AES128-GCM-SHA256",
        bulk: BulkAlgorithm::Aes128Gcm,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_2,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::Aead,
    prf_hmac: &HMAC_SHA256,
    record: &AES_128_GCM,
};

/// `TLS_RSA_WITH_AES_256_GCM_SHA384` (RFC 5288 §3), OpenSSL `AES256-GCM-SHA384`; TLS 1.2 only,
/// and its PRF and Finished hash are SHA-384 (RFC 5288 §3, RFC 5246 §5).
pub static TLS_RSA_WITH_AES_256_GCM_SHA384: Tls12CipherSuite = Tls12CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS_RSA_WITH_AES_256_GCM_SHA384,
        iana_name: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        openssl_name: "AES256-GCM-SHA384",
        bulk: BulkAlgorithm::Aes256Gcm,
        hash: HashAlgorithm::Sha384,
        min_version: ProtocolVersion::TLSv1_2,
        max_version: ProtocolVersion::TLSv1_2,
        legacy: false,
    },
    kx: KeyExchangeAlgorithm::Rsa,
    auth: AuthenticationAlgorithm::Rsa,
    mac: MacAlgorithm::Aead,
    prf_hmac: &HMAC_SHA384,
    record: &AES_256_GCM,
};

/// An ECDHE suite (RFC 8422 §6, RFC 5289, RFC 7905): the same facts as the RSA ones, written
/// once. `$min` is TLS 1.0 for the HMAC-SHA1 suites (RFC 8422) and TLS 1.2 for the rest (RFC
/// 5289 §4, RFC 7905 §2); `$hash` is the PRF hash.
macro_rules! ecdhe_suite {
    ($(#[$doc:meta])* $name:ident, $openssl:literal, $auth:ident, $bulk:ident, $mac:ident, $hash:ident,
     $prf:expr, $record:expr, $min:ident) => {
        $(#[$doc])*
        pub static $name: Tls12CipherSuite = Tls12CipherSuite {
            common: SuiteCommon {
                suite: CipherSuite::$name,
                iana_name: stringify!($name),
                openssl_name: $openssl,
                bulk: BulkAlgorithm::$bulk,
                hash: HashAlgorithm::$hash,
                min_version: ProtocolVersion::$min,
                max_version: ProtocolVersion::TLSv1_2,
                legacy: false,
            },
            kx: KeyExchangeAlgorithm::Ecdhe,
            auth: AuthenticationAlgorithm::$auth,
            mac: MacAlgorithm::$mac,
            prf_hmac: $prf,
            record: $record,
        };
    };
}

ecdhe_suite!(
    /// RFC 5289 §3.2, OpenSSL `ECDHE-ECDSA-AES128-GCM-SHA256`.
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256", Ecdsa, Aes128Gcm, Aead,
    Sha256, &HMAC_SHA256, &AES_128_GCM, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.2, OpenSSL `ECDHE-RSA-AES128-GCM-SHA256`.
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", Rsa, Aes128Gcm, Aead,
    Sha256, &HMAC_SHA256, &AES_128_GCM, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.2, OpenSSL `ECDHE-ECDSA-AES256-GCM-SHA384` (SHA-384 PRF).
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384", Ecdsa, Aes256Gcm, Aead,
    Sha384, &HMAC_SHA384, &AES_256_GCM, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.2, OpenSSL `ECDHE-RSA-AES256-GCM-SHA384` (SHA-384 PRF).
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384", Rsa, Aes256Gcm, Aead,
    Sha384, &HMAC_SHA384, &AES_256_GCM, TLSv1_2
);
ecdhe_suite!(
    /// RFC 7905 §2, OpenSSL `ECDHE-ECDSA-CHACHA20-POLY1305`.
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305", Ecdsa,
    ChaCha20Poly1305, Aead, Sha256, &HMAC_SHA256, &CHACHA20_POLY1305, TLSv1_2
);
ecdhe_suite!(
    /// RFC 7905 §2, OpenSSL `ECDHE-RSA-CHACHA20-POLY1305`.
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", Rsa, ChaCha20Poly1305,
    Aead, Sha256, &HMAC_SHA256, &CHACHA20_POLY1305, TLSv1_2
);
ecdhe_suite!(
    /// RFC 8422 §6, OpenSSL `ECDHE-ECDSA-AES128-SHA`; TLS 1.0 and later.
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "ECDHE-ECDSA-AES128-SHA", Ecdsa, Aes128Cbc, HmacSha1, Sha256,
    &HMAC_SHA256, &AES_128_CBC_SHA, TLSv1_0
);
ecdhe_suite!(
    /// RFC 8422 §6, OpenSSL `ECDHE-RSA-AES128-SHA`; TLS 1.0 and later.
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "ECDHE-RSA-AES128-SHA", Rsa, Aes128Cbc, HmacSha1, Sha256,
    &HMAC_SHA256, &AES_128_CBC_SHA, TLSv1_0
);
ecdhe_suite!(
    /// RFC 8422 §6, OpenSSL `ECDHE-ECDSA-AES256-SHA`; TLS 1.0 and later.
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "ECDHE-ECDSA-AES256-SHA", Ecdsa, Aes256Cbc, HmacSha1, Sha256,
    &HMAC_SHA256, &AES_256_CBC_SHA, TLSv1_0
);
ecdhe_suite!(
    /// RFC 8422 §6, OpenSSL `ECDHE-RSA-AES256-SHA`; TLS 1.0 and later.
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "ECDHE-RSA-AES256-SHA", Rsa, Aes256Cbc, HmacSha1, Sha256,
    &HMAC_SHA256, &AES_256_CBC_SHA, TLSv1_0
);
ecdhe_suite!(
    /// RFC 5289 §3.1, OpenSSL `ECDHE-ECDSA-AES128-SHA256`.
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, "ECDHE-ECDSA-AES128-SHA256", Ecdsa, Aes128Cbc, HmacSha256,
    Sha256, &HMAC_SHA256, &AES_128_CBC_SHA256, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.1, OpenSSL `ECDHE-RSA-AES128-SHA256`.
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "ECDHE-RSA-AES128-SHA256", Rsa, Aes128Cbc, HmacSha256,
    Sha256, &HMAC_SHA256, &AES_128_CBC_SHA256, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.1, OpenSSL `ECDHE-ECDSA-AES256-SHA384` (SHA-384 MAC and PRF).
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, "ECDHE-ECDSA-AES256-SHA384", Ecdsa, Aes256Cbc, HmacSha384,
    Sha384, &HMAC_SHA384, &AES_256_CBC_SHA384, TLSv1_2
);
ecdhe_suite!(
    /// RFC 5289 §3.1, OpenSSL `ECDHE-RSA-AES256-SHA384` (SHA-384 MAC and PRF).
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, "ECDHE-RSA-AES256-SHA384", Rsa, Aes256Cbc, HmacSha384,
    Sha384, &HMAC_SHA384, &AES_256_CBC_SHA384, TLSv1_2
);

/// Every suite, most preferred first.
///
/// ECDHE before RSA key exchange (forward secrecy), and within each AEAD before CBC (no
/// padding oracle, no MAC-then-encrypt): AES-GCM, then ChaCha20-Poly1305 (AES-GCM is faster
/// with AES-NI; clients without it put ChaCha first and a server can honour that with its cipher
/// list), ECDSA before RSA authentication at each step (a server holds one key type or picks
/// per client; the order only matters between its certificates). Among CBC suites the SHA-1
/// MAC ones come before the SHA-256/384 ones: HMAC-SHA1 is still sound as a MAC (HMAC does not
/// rely on collision resistance), those suites work with every version, and they cost less
/// per record. AES-128 comes before AES-256 for speed (both far above any practical attack).
/// OpenSSL 3's `DEFAULT` order differs (AES-256 first, SHA-384 before SHA-1). The legacy suites
/// come last, strongest first.
pub static ALL_CIPHER_SUITES: &[&Tls12CipherSuite] = &[
    &TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    &TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    &TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    &TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    &TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    &TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    &TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    &TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    &TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    &TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    &TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    &TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    &TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    &TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    &TLS_RSA_WITH_AES_128_GCM_SHA256,
    &TLS_RSA_WITH_AES_256_GCM_SHA384,
    &TLS_RSA_WITH_AES_128_CBC_SHA,
    &TLS_RSA_WITH_AES_256_CBC_SHA,
    &TLS_RSA_WITH_AES_128_CBC_SHA256,
    &TLS_RSA_WITH_AES_256_CBC_SHA256,
    &TLS_RSA_WITH_3DES_EDE_CBC_SHA,
    &TLS_RSA_WITH_RC4_128_SHA,
    &TLS_RSA_WITH_RC4_128_MD5,
];

/// `TLS_AES_128_GCM_SHA256` (RFC 8446 §B.4), the one suite every TLS 1.3 peer must implement
/// (§9.1). OpenSSL names TLS 1.3 suites by their IANA names.
pub static TLS13_AES_128_GCM_SHA256: Tls13CipherSuite = Tls13CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
        iana_name: "TLS_AES_128_GCM_SHA256",
        openssl_name: "TLS_AES_128_GCM_SHA256",
        bulk: BulkAlgorithm::Aes128Gcm,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_3,
        max_version: ProtocolVersion::TLSv1_3,
        legacy: false,
    },
    hkdf: &HKDF_SHA256,
    transcript_hash: &SHA256,
    aead: &TLS13_AES_128_GCM,
};

/// `TLS_AES_256_GCM_SHA384` (RFC 8446 §B.4).
pub static TLS13_AES_256_GCM_SHA384: Tls13CipherSuite = Tls13CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS13_AES_256_GCM_SHA384,
        iana_name: "TLS_AES_256_GCM_SHA384",
        openssl_name: "TLS_AES_256_GCM_SHA384",
        bulk: BulkAlgorithm::Aes256Gcm,
        hash: HashAlgorithm::Sha384,
        min_version: ProtocolVersion::TLSv1_3,
        max_version: ProtocolVersion::TLSv1_3,
        legacy: false,
    },
    hkdf: &HKDF_SHA384,
    transcript_hash: &SHA384,
    aead: &TLS13_AES_256_GCM,
};

/// `TLS_CHACHA20_POLY1305_SHA256` (RFC 8446 §B.4).
pub static TLS13_CHACHA20_POLY1305_SHA256: Tls13CipherSuite = Tls13CipherSuite {
    common: SuiteCommon {
        suite: CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
        iana_name: "TLS_CHACHA20_POLY1305_SHA256",
        openssl_name: "TLS_CHACHA20_POLY1305_SHA256",
        bulk: BulkAlgorithm::ChaCha20Poly1305,
        hash: HashAlgorithm::Sha256,
        min_version: ProtocolVersion::TLSv1_3,
        max_version: ProtocolVersion::TLSv1_3,
        legacy: false,
    },
    hkdf: &HKDF_SHA256,
    transcript_hash: &SHA256,
    aead: &TLS13_CHACHA20_POLY1305,
};

/// Every TLS 1.3 suite, in OpenSSL 3's default order (`TLS_AES_256_GCM_SHA384:
/// TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256`): peers that follow the client's
/// order then choose as they would with OpenSSL.
pub static ALL_TLS13_CIPHER_SUITES: &[&Tls13CipherSuite] =
    &[&TLS13_AES_256_GCM_SHA384, &TLS13_CHACHA20_POLY1305_SHA256, &TLS13_AES_128_GCM_SHA256];

/// The RustCrypto provider: every suite above, the system RNG, the `rsa` crate and the
/// webpki signature algorithms of `signature_verify`.
pub static DEFAULT_PROVIDER: CryptoProvider = CryptoProvider {
    cipher_suites: ALL_CIPHER_SUITES,
    tls13_cipher_suites: ALL_TLS13_CIPHER_SUITES,
    kx_groups: super::ecdh::ALL_KX_GROUPS,
    random: &SYSTEM_RANDOM,
    key_provider: &KEY_PROVIDER,
    hash: hash::hash,
    hmac: hash::hmac,
    signature_algorithms: SIGNATURE_ALGORITHMS,
    legacy_signature_algorithms: LEGACY_SIGNATURE_ALGORITHMS,
    aeads: super::aead::SEALING_AEADS,
};

/// The suite called `name`, by IANA name (`TLS_RSA_WITH_AES_128_CBC_SHA`) or OpenSSL name
/// (`AES128-SHA`), ignoring ASCII case.
pub fn find_suite(name: &str) -> Option<&'static Tls12CipherSuite> {
    crate::crypto::find_suite(ALL_CIPHER_SUITES, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};
    use crate::crypto::{RecordKeys, RecordParams};

    #[test]
    fn find_suite_accepts_iana_and_openssl_names_in_any_case() {
        for suite in ALL_CIPHER_SUITES {
            assert_eq!(find_suite(suite.iana_name), Some(*suite));
            assert_eq!(find_suite(suite.openssl_name), Some(*suite));
            assert_eq!(find_suite(&suite.iana_name.to_ascii_lowercase()), Some(*suite));
            assert_eq!(find_suite(&suite.openssl_name.to_ascii_lowercase()), Some(*suite));
        }
        assert_eq!(find_suite("des-cbc3-sha").map(|s| u16::from(s.suite)), Some(0x000a));
        assert_eq!(find_suite("AES128-GCM-SHA256").map(|s| u16::from(s.suite)), Some(0x009c));
        assert_eq!(find_suite("ECDHE-RSA-CHACHA20-POLY1305").map(|s| u16::from(s.suite)), Some(0xcca8));
        assert_eq!(find_suite("ECDHE-ECDSA-AES256-SHA384").map(|s| u16::from(s.suite)), Some(0xc024));
        assert_eq!(find_suite("DHE-RSA-AES128-GCM-SHA256"), None);
        assert_eq!(find_suite(""), None);
    }

    #[test]
    fn suite_table_has_the_registered_code_points_in_preference_order() {
        let ids: Vec<u16> = ALL_CIPHER_SUITES.iter().map(|s| u16::from(s.suite)).collect();
        assert_eq!(
            ids,
            [
                0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0xc023,
                0xc027, 0xc024, 0xc028, 0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d, 0x000a, 0x0005,
                0x0004
            ]
        );
        // Every suite's IANA name is its code point's name, and ECDHE suites say so.
        for s in ALL_CIPHER_SUITES {
            assert_eq!(format!("{:?}", s.suite), s.iana_name);
            assert_eq!(s.iana_name.starts_with("TLS_ECDHE_"), s.kx == KeyExchangeAlgorithm::Ecdhe);
            assert_eq!(s.iana_name.contains("_ECDSA_"), s.auth == AuthenticationAlgorithm::Ecdsa);
            assert_eq!(s.openssl_name.starts_with("ECDHE-"), s.kx == KeyExchangeAlgorithm::Ecdhe);
            // ECDHE first, then AEAD before CBC within each key exchange.
        }
        let legacy = ALL_CIPHER_SUITES.iter().filter(|s| s.legacy).count();
        assert_eq!(legacy, 3);
        assert!(ALL_CIPHER_SUITES[20..].iter().all(|s| s.legacy));
        // TLS 1.0/1.1 get only the HMAC-SHA1 (and legacy) suites.
        let old: Vec<u16> = ALL_CIPHER_SUITES
            .iter()
            .filter(|s| s.min_version < ProtocolVersion::TLSv1_2)
            .map(|s| u16::from(s.suite))
            .collect();
        assert_eq!(old, [0xc009, 0xc013, 0xc00a, 0xc014, 0x002f, 0x0035, 0x000a, 0x0005, 0x0004]);
        for s in ALL_CIPHER_SUITES {
            assert_eq!(s.min_version < ProtocolVersion::TLSv1_2, s.mac == MacAlgorithm::HmacSha1 || s.legacy);
        }
    }

    #[test]
    fn every_suite_uses_its_prf_hash_and_the_right_key_sizes() {
        for suite in ALL_CIPHER_SUITES {
            let shape = suite.record.key_block_shape();
            assert_eq!(suite.prf_hmac.hash_algorithm(), suite.hash, "{suite:?}");
            let sha384 = suite.iana_name.ends_with("SHA384");
            assert_eq!(suite.hash == HashAlgorithm::Sha384, sha384, "{suite:?}");
            let mac_len = match suite.mac {
                MacAlgorithm::HmacMd5 => 16,
                MacAlgorithm::HmacSha1 => 20,
                MacAlgorithm::HmacSha256 => 32,
                MacAlgorithm::HmacSha384 => 48,
                MacAlgorithm::Aead => 0,
            };
            assert_eq!(shape.mac_key_len, mac_len, "{suite:?}");
            // 3DES keys carry parity bits: 24 bytes for 168 key bits.
            let key_len =
                if suite.bulk == BulkAlgorithm::TripleDesCbc { 24 } else { suite.bulk.key_bits() / 8 };
            assert_eq!(shape.enc_key_len, usize::from(key_len), "{suite:?}");
            let iv = match suite.bulk {
                BulkAlgorithm::Aes128Cbc | BulkAlgorithm::Aes256Cbc => 16,
                BulkAlgorithm::TripleDesCbc => 8,
                BulkAlgorithm::Rc4_128 => 0,
                BulkAlgorithm::Aes128Gcm | BulkAlgorithm::Aes256Gcm => 4,
                BulkAlgorithm::ChaCha20Poly1305 => 12,
            };
            assert_eq!(shape.fixed_iv_len, iv, "{suite:?}");
            assert_eq!(suite.is_cbc(), matches!(iv, 8 | 16), "{suite:?}");
        }
    }

    #[test]
    fn every_suite_protects_a_record_end_to_end() {
        for suite in ALL_CIPHER_SUITES {
            let shape = suite.record.key_block_shape();
            let block = vec![0x11u8; shape.mac_key_len + shape.enc_key_len + shape.fixed_iv_len];
            let (mac, rest) = block.split_at(shape.mac_key_len);
            let (enc, iv) = rest.split_at(shape.enc_key_len);
            let keys = RecordKeys { mac_key: mac, enc_key: enc, iv };
            let params = RecordParams {
                version: suite.min_version.max(ProtocolVersion::TLSv1_1),
                encrypt_then_mac: false,
                random: &SYSTEM_RANDOM,
            };
            let mut out = Vec::new();
            suite
                .record
                .encrypter(&keys, params)
                .encrypt(plain_msg(23, params.version, b"hi"), 0, &mut out)
                .unwrap();
            let range = suite
                .record
                .decrypter(&keys, params)
                .decrypt(opaque_msg(23, params.version, &mut out), 0)
                .map(|m| m.range)
                .unwrap();
            assert_eq!(&out[range], b"hi", "{suite:?}");
        }
    }

    #[test]
    fn default_provider_offers_every_hash_and_hmac_and_all_suites() {
        let p = DEFAULT_PROVIDER;
        assert_eq!(p.cipher_suites.len(), 23);
        for alg in [
            HashAlgorithm::Md5,
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            assert_eq!((p.hash)(alg).unwrap().algorithm(), alg);
            assert_eq!((p.hmac)(alg).unwrap().hash_algorithm(), alg);
        }
        let mut buf = [0u8; 16];
        p.random.fill(&mut buf).unwrap();
        assert!(p.key_provider.load_private_key(b"not a key").is_err());
    }
}
