//! The aws-lc provider's suite table and [`AWS_LC_PROVIDER`].
//!
//! Each suite is the RustCrypto provider's, with what aws-lc does faster swapped in: AEAD
//! records, and sending AES-CBC MAC-then-encrypt records with HMAC-SHA1/SHA-256 (aws-lc's
//! stitched cipher, `cbc_hmac.rs`). Receiving CBC records, and 3DES and RC4 records, stay
//! RustCrypto's (the Lucky 13 countermeasure in `rustcrypto::cbc_hmac` counts
//! compression-function calls of its own HMAC), and so does the
//! TLS 1.2 PRF's HMAC: the PRF runs many HMACs over inputs of a block or two, where aws-lc's
//! per-call setup (a keyed `HMAC_CTX` copied per MAC, EVP dispatch) made it about twice
//! RustCrypto's cost in a profile of resumed handshakes (the bulk HMAC speeds are equal).
//! Names, code points, versions and the preference order are the RustCrypto table's, so both
//! providers negotiate alike.

use super::aead::{
    AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305, TLS13_AES_128_GCM, TLS13_AES_256_GCM,
    TLS13_CHACHA20_POLY1305,
};
use super::cbc_hmac;
use super::hash;
use super::hkdf::{HKDF_SHA256, HKDF_SHA384};
use crate::crypto::rustcrypto as rc;
use crate::crypto::{CryptoProvider, Tls12CipherSuite, Tls13CipherSuite};

/// An AEAD suite: RustCrypto's entry with aws-lc's record protection.
macro_rules! aead_suite {
    ($(#[$doc:meta])* $name:ident = $base:ident, record: $record:expr) => {
        $(#[$doc])*
        pub static $name: Tls12CipherSuite = Tls12CipherSuite { record: $record, ..rc::$base };
    };
}

aead_suite!(
    /// `TLS_RSA_WITH_AES_128_GCM_SHA256`: aws-lc records.
    TLS_RSA_WITH_AES_128_GCM_SHA256 = TLS_RSA_WITH_AES_128_GCM_SHA256, record: &AES_128_GCM
);
aead_suite!(
    /// `TLS_RSA_WITH_AES_256_GCM_SHA384`: aws-lc records.
    TLS_RSA_WITH_AES_256_GCM_SHA384 = TLS_RSA_WITH_AES_256_GCM_SHA384, record: &AES_256_GCM
);
aead_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`: aws-lc records.
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, record: &AES_128_GCM
);
aead_suite!(
    /// `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`: aws-lc records.
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, record: &AES_128_GCM
);
aead_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384`: aws-lc records.
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, record: &AES_256_GCM
);
aead_suite!(
    /// `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`: aws-lc records.
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, record: &AES_256_GCM
);
aead_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256`: aws-lc records.
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    record: &CHACHA20_POLY1305
);
aead_suite!(
    /// `TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`: aws-lc records.
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    record: &CHACHA20_POLY1305
);

/// A CBC suite: RustCrypto's entry with aws-lc's stitched cipher for sending MAC-then-encrypt
/// records (`cbc_hmac.rs`); receiving and encrypt-then-MAC stay RustCrypto's.
macro_rules! cbc_suite {
    ($(#[$doc:meta])* $name:ident = $base:ident, record: $record:expr) => {
        $(#[$doc])*
        pub static $name: Tls12CipherSuite = Tls12CipherSuite { record: $record, ..rc::$base };
    };
}

cbc_suite!(
    /// `TLS_RSA_WITH_AES_128_CBC_SHA`: stitched aws-lc sending.
    TLS_RSA_WITH_AES_128_CBC_SHA = TLS_RSA_WITH_AES_128_CBC_SHA, record: &cbc_hmac::AES_128_CBC_SHA
);
cbc_suite!(
    /// `TLS_RSA_WITH_AES_256_CBC_SHA`: stitched aws-lc sending.
    TLS_RSA_WITH_AES_256_CBC_SHA = TLS_RSA_WITH_AES_256_CBC_SHA, record: &cbc_hmac::AES_256_CBC_SHA
);
cbc_suite!(
    /// `TLS_RSA_WITH_AES_128_CBC_SHA256`: stitched aws-lc sending.
    TLS_RSA_WITH_AES_128_CBC_SHA256 = TLS_RSA_WITH_AES_128_CBC_SHA256, record: &cbc_hmac::AES_128_CBC_SHA256
);
cbc_suite!(
    /// `TLS_RSA_WITH_AES_256_CBC_SHA256`: stitched aws-lc sending.
    TLS_RSA_WITH_AES_256_CBC_SHA256 = TLS_RSA_WITH_AES_256_CBC_SHA256, record: &cbc_hmac::AES_256_CBC_SHA256
);
cbc_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA`: stitched aws-lc sending.
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    record: &cbc_hmac::AES_128_CBC_SHA
);
cbc_suite!(
    /// `TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA`: stitched aws-lc sending.
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    record: &cbc_hmac::AES_128_CBC_SHA
);
cbc_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA`: stitched aws-lc sending.
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    record: &cbc_hmac::AES_256_CBC_SHA
);
cbc_suite!(
    /// `TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA`: stitched aws-lc sending.
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    record: &cbc_hmac::AES_256_CBC_SHA
);
cbc_suite!(
    /// `TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256`: stitched aws-lc sending.
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    record: &cbc_hmac::AES_128_CBC_SHA256
);
cbc_suite!(
    /// `TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256`: stitched aws-lc sending.
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    record: &cbc_hmac::AES_128_CBC_SHA256
);

// AES-256-CBC-SHA384 (no stitched SHA-384 in aws-lc), 3DES and RC4 suites are RustCrypto's own
// entries (records and PRF alike).
pub use rc::{TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_RC4_128_MD5, TLS_RSA_WITH_RC4_128_SHA};

/// Every suite, in the RustCrypto provider's order ([`rc::ALL_CIPHER_SUITES`]).
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
    &rc::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    &rc::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
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

/// Every suite this provider implements (all are in the default table now).
pub static EVERY_CIPHER_SUITE: &[&Tls12CipherSuite] = ALL_CIPHER_SUITES;

macro_rules! fast_tls13_suite {
    ($(#[$doc:meta])* $name:ident = $base:ident, hkdf: $hkdf:expr, hash: $hash:expr, aead: $aead:expr) => {
        $(#[$doc])*
        pub static $name: Tls13CipherSuite = Tls13CipherSuite {
            hkdf: $hkdf,
            transcript_hash: $hash,
            aead: $aead,
            ..rc::$base
        };
    };
}

fast_tls13_suite!(
    /// `TLS_AES_128_GCM_SHA256`: aws-lc records, HKDF and transcript hash.
    TLS13_AES_128_GCM_SHA256 = TLS13_AES_128_GCM_SHA256,
    hkdf: &HKDF_SHA256, hash: &hash::SHA256, aead: &TLS13_AES_128_GCM
);
fast_tls13_suite!(
    /// `TLS_AES_256_GCM_SHA384`: aws-lc records, HKDF and transcript hash.
    TLS13_AES_256_GCM_SHA384 = TLS13_AES_256_GCM_SHA384,
    hkdf: &HKDF_SHA384, hash: &hash::SHA384, aead: &TLS13_AES_256_GCM
);
fast_tls13_suite!(
    /// `TLS_CHACHA20_POLY1305_SHA256`: aws-lc records, HKDF and transcript hash.
    TLS13_CHACHA20_POLY1305_SHA256 = TLS13_CHACHA20_POLY1305_SHA256,
    hkdf: &HKDF_SHA256, hash: &hash::SHA256, aead: &TLS13_CHACHA20_POLY1305
);

/// Every TLS 1.3 suite, in the RustCrypto provider's order ([`rc::ALL_TLS13_CIPHER_SUITES`]).
pub static ALL_TLS13_CIPHER_SUITES: &[&Tls13CipherSuite] =
    &[&TLS13_AES_256_GCM_SHA384, &TLS13_CHACHA20_POLY1305_SHA256, &TLS13_AES_128_GCM_SHA256];

/// The aws-lc provider: aws-lc for RSA, ECDHE, ECDSA/Ed25519, AES-GCM and ChaCha20-Poly1305
/// records (TLS 1.2 and 1.3), sending AES-CBC MAC-then-encrypt records, ticket sealing, SHA-2,
/// HKDF and random numbers; RustCrypto for receiving CBC records, 3DES/RC4 records, MD5 and the
/// TLS 1.0–1.2 PRF's HMAC (see the top of this file).
pub static AWS_LC_PROVIDER: CryptoProvider = CryptoProvider {
    cipher_suites: ALL_CIPHER_SUITES,
    kx_groups: super::kx::ALL_KX_GROUPS,
    random: &super::rand::AWS_LC_RANDOM,
    key_provider: &super::sign::AWS_LC_KEY_PROVIDER,
    hash: hash::hash,
    hmac: rc::hash::hmac,
    signature_algorithms: super::verify::SIGNATURE_ALGORITHMS,
    legacy_signature_algorithms: super::verify::LEGACY_SIGNATURE_ALGORITHMS,
    aeads: super::aead::SEALING_AEADS,
    tls13_cipher_suites: ALL_TLS13_CIPHER_SUITES,
};

/// The suite called `name` (IANA or OpenSSL name, any ASCII case) in [`EVERY_CIPHER_SUITE`].
pub fn find_suite(name: &str) -> Option<&'static Tls12CipherSuite> {
    crate::crypto::find_suite(EVERY_CIPHER_SUITE, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_rustcrypto_table_suite_for_suite() {
        assert_eq!(ALL_CIPHER_SUITES.len(), rc::ALL_CIPHER_SUITES.len());
        for (a, b) in ALL_CIPHER_SUITES.iter().zip(rc::ALL_CIPHER_SUITES) {
            assert_eq!(a.suite, b.suite);
            assert_eq!((a.openssl_name, a.min_version, a.legacy), (b.openssl_name, b.min_version, b.legacy));
            assert_eq!(a.prf_hmac.hash_algorithm(), b.prf_hmac.hash_algorithm());
            assert_eq!(a.record.key_block_shape(), b.record.key_block_shape());
        }
        assert_eq!(ALL_TLS13_CIPHER_SUITES.len(), rc::ALL_TLS13_CIPHER_SUITES.len());
        for (a, b) in ALL_TLS13_CIPHER_SUITES.iter().zip(rc::ALL_TLS13_CIPHER_SUITES) {
            assert_eq!((a.suite, a.openssl_name, a.hash), (b.suite, b.openssl_name, b.hash));
            assert_eq!(a.hkdf.hash_algorithm(), b.hkdf.hash_algorithm());
            assert_eq!(a.transcript_hash.algorithm(), b.transcript_hash.algorithm());
            assert_eq!(a.aead.key_len(), b.aead.key_len());
        }
        assert_eq!(find_suite("aes128-gcm-sha256").map(|s| u16::from(s.suite)), Some(0x009c));
    }

    #[test]
    fn exactly_the_aes_cbc_suites_with_sha1_or_sha256_macs_send_through_the_stitched_cipher() {
        use crate::crypto::{BulkAlgorithm, MacAlgorithm, Tls12RecordAlgorithm};
        let stitched: [&dyn Tls12RecordAlgorithm; 4] = [
            &cbc_hmac::AES_128_CBC_SHA,
            &cbc_hmac::AES_256_CBC_SHA,
            &cbc_hmac::AES_128_CBC_SHA256,
            &cbc_hmac::AES_256_CBC_SHA256,
        ];
        let mut seen = 0;
        for s in ALL_CIPHER_SUITES {
            let uses = stitched.iter().any(|&r| core::ptr::addr_eq(s.record, r));
            let want = matches!(s.bulk, BulkAlgorithm::Aes128Cbc | BulkAlgorithm::Aes256Cbc)
                && matches!(s.mac, MacAlgorithm::HmacSha1 | MacAlgorithm::HmacSha256);
            assert_eq!(uses, want, "{s:?}");
            seen += usize::from(uses);
        }
        assert_eq!(seen, 10, "four RSA and six ECDHE suites");
    }
}
