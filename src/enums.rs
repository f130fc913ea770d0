//! IANA registries that both the wire format and the cryptography provider speak (RFC 5246 §A,
//! RFC 8446 §B.3, RFC 8422, RFC 7919): protocol versions, record content types, cipher suites,
//! named groups and signature schemes.
//!
//! This is a leaf module below `crypto`: it uses only `codec` (every enum is a `Codec`), so the
//! provider traits can name a `ProtocolVersion` or a `NamedGroup` instead of a bare `u16`.
//! Registries only the message layer needs (handshake types, alerts, extensions) live in
//! `msgs::enums`, which also re-exports these.
#![forbid(unsafe_code)]

use crate::iana_enum;

iana_enum! {
    /// Record content types (RFC 5246 §6.2.1).
    pub enum ContentType: u8 {
        /// change_cipher_spec(20)
        ChangeCipherSpec = 20,
        /// alert(21)
        Alert = 21,
        /// handshake(22)
        Handshake = 22,
        /// application_data(23)
        ApplicationData = 23,
    }
}

iana_enum! {
    /// Protocol versions. SSL 3.0 is named only so that it can be refused.
    pub enum ProtocolVersion: u16 {
        /// SSL 3.0: never negotiated (RFC 7568).
        SSLv3 = 0x0300,
        /// TLS 1.0 (RFC 2246).
        TLSv1_0 = 0x0301,
        /// TLS 1.1 (RFC 4346).
        TLSv1_1 = 0x0302,
        /// TLS 1.2 (RFC 5246).
        TLSv1_2 = 0x0303,
        /// TLS 1.3 (RFC 8446).
        TLSv1_3 = 0x0304,
    }
}

impl ProtocolVersion {
    /// The name OpenSSL and Python print: `TLSv1`, `TLSv1.1`, `TLSv1.2`.
    pub fn openssl_name(self) -> &'static str {
        match self {
            Self::SSLv3 => "SSLv3",
            Self::TLSv1_0 => "TLSv1",
            Self::TLSv1_1 => "TLSv1.1",
            Self::TLSv1_2 => "TLSv1.2",
            Self::TLSv1_3 => "TLSv1.3",
            Self::Unknown(_) => "unknown",
        }
    }

    /// The name this project's documents and JSON output use: `TLSv1.0`, `TLSv1.1`, `TLSv1.2`.
    pub fn name(self) -> &'static str {
        match self {
            Self::TLSv1_0 => "TLSv1.0",
            other => other.openssl_name(),
        }
    }
}

impl PartialOrd for ProtocolVersion {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ProtocolVersion {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        u16::from(*self).cmp(&u16::from(*other))
    }
}

iana_enum! {
    /// Cipher suite code points (RFC 5246 Appendix A.5, RFC 5288, RFC 5289, RFC 7905, RFC 8446
    /// §B.4), named as IANA names them, including the two signalling values. Naming a suite here
    /// does not mean ferrotls implements it: the provider's suite table says that.
    #[allow(non_camel_case_types)]
    pub enum CipherSuite: u16 {
        /// TLS_RSA_WITH_RC4_128_MD5
        TLS_RSA_WITH_RC4_128_MD5 = 0x0004,
        /// TLS_RSA_WITH_RC4_128_SHA
        TLS_RSA_WITH_RC4_128_SHA = 0x0005,
        /// TLS_RSA_WITH_3DES_EDE_CBC_SHA
        TLS_RSA_WITH_3DES_EDE_CBC_SHA = 0x000a,
        /// TLS_RSA_WITH_AES_128_CBC_SHA
        TLS_RSA_WITH_AES_128_CBC_SHA = 0x002f,
        /// TLS_RSA_WITH_AES_256_CBC_SHA
        TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035,
        /// TLS_RSA_WITH_AES_128_CBC_SHA256
        TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003c,
        /// TLS_RSA_WITH_AES_256_CBC_SHA256
        TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003d,
        /// TLS_RSA_WITH_AES_128_GCM_SHA256
        TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009c,
        /// TLS_RSA_WITH_AES_256_GCM_SHA384
        TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009d,
        /// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3): a signal, not a suite.
        TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff,
        /// TLS_AES_128_GCM_SHA256 (TLS 1.3)
        TLS13_AES_128_GCM_SHA256 = 0x1301,
        /// TLS_AES_256_GCM_SHA384 (TLS 1.3)
        TLS13_AES_256_GCM_SHA384 = 0x1302,
        /// TLS_CHACHA20_POLY1305_SHA256 (TLS 1.3)
        TLS13_CHACHA20_POLY1305_SHA256 = 0x1303,
        /// TLS_FALLBACK_SCSV (RFC 7507 §2): a signal, not a suite.
        TLS_FALLBACK_SCSV = 0x5600,
        /// TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xc009,
        /// TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
        TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xc00a,
        /// TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xc013,
        /// TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xc014,
        /// TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xc023,
        /// TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
        TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xc024,
        /// TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xc027,
        /// TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xc028,
        /// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xc02b,
        /// TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xc02c,
        /// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f,
        /// TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030,
        /// TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
        TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca8,
        /// TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca9,
    }
}

iana_enum! {
    /// Named groups for (EC)DHE key exchange (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7).
    pub enum NamedGroup: u16 {
        /// secp256r1 (NIST P-256)
        Secp256r1 = 0x0017,
        /// secp384r1 (NIST P-384)
        Secp384r1 = 0x0018,
        /// secp521r1 (NIST P-521)
        Secp521r1 = 0x0019,
        /// x25519 (RFC 7748)
        X25519 = 0x001d,
        /// x448 (RFC 7748)
        X448 = 0x001e,
        /// ffdhe2048 (RFC 7919)
        Ffdhe2048 = 0x0100,
        /// ffdhe3072 (RFC 7919)
        Ffdhe3072 = 0x0101,
        /// X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 and X25519 together, TLS 1.3 only
        X25519MLKEM768 = 0x11ec,
    }
}

impl NamedGroup {
    /// The name OpenSSL's group lists use (`X25519`, `P-256`, `P-384`).
    pub fn openssl_name(self) -> &'static str {
        match self {
            Self::Secp256r1 => "P-256",
            Self::Secp384r1 => "P-384",
            Self::Secp521r1 => "P-521",
            Self::X25519 => "X25519",
            Self::X448 => "X448",
            Self::Ffdhe2048 => "ffdhe2048",
            Self::Ffdhe3072 => "ffdhe3072",
            Self::X25519MLKEM768 => "X25519MLKEM768",
            Self::Unknown(_) => "unknown",
        }
    }

    /// An elliptic curve of RFC 8422 §5.1.1 or its predecessor RFC 4492 (values 1 to 30),
    /// whether or not we implement it: what makes ec_point_formats apply (RFC 8422 §5.1.2).
    pub fn is_ecc_curve(self) -> bool {
        (0x0001..=0x001e).contains(&u16::from(self))
    }
}

iana_enum! {
    /// Signature schemes (RFC 5246 §7.4.1.4.1 hash/signature pairs, RFC 8446 §4.2.3).
    pub enum SignatureScheme: u16 {
        /// rsa_pkcs1_sha1
        RsaPkcs1Sha1 = 0x0201,
        /// rsa_pkcs1_sha256
        RsaPkcs1Sha256 = 0x0401,
        /// rsa_pkcs1_sha384
        RsaPkcs1Sha384 = 0x0501,
        /// rsa_pkcs1_sha512
        RsaPkcs1Sha512 = 0x0601,
        /// ecdsa_sha1 (TLS 1.2 legacy)
        EcdsaSha1Legacy = 0x0203,
        /// ecdsa_secp256r1_sha256
        EcdsaSecp256r1Sha256 = 0x0403,
        /// ecdsa_secp384r1_sha384
        EcdsaSecp384r1Sha384 = 0x0503,
        /// ecdsa_secp521r1_sha512
        EcdsaSecp521r1Sha512 = 0x0603,
        /// rsa_pss_rsae_sha256
        RsaPssRsaeSha256 = 0x0804,
        /// rsa_pss_rsae_sha384
        RsaPssRsaeSha384 = 0x0805,
        /// rsa_pss_rsae_sha512
        RsaPssRsaeSha512 = 0x0806,
        /// ed25519
        Ed25519 = 0x0807,
    }
}

impl SignatureScheme {
    /// The IANA name (RFC 8446 §4.2.3), e.g. `rsa_pss_rsae_sha256`, as error texts show it.
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaPkcs1Sha1 => "rsa_pkcs1_sha1",
            Self::RsaPkcs1Sha256 => "rsa_pkcs1_sha256",
            Self::RsaPkcs1Sha384 => "rsa_pkcs1_sha384",
            Self::RsaPkcs1Sha512 => "rsa_pkcs1_sha512",
            Self::EcdsaSha1Legacy => "ecdsa_sha1",
            Self::EcdsaSecp256r1Sha256 => "ecdsa_secp256r1_sha256",
            Self::EcdsaSecp384r1Sha384 => "ecdsa_secp384r1_sha384",
            Self::EcdsaSecp521r1Sha512 => "ecdsa_secp521r1_sha512",
            Self::RsaPssRsaeSha256 => "rsa_pss_rsae_sha256",
            Self::RsaPssRsaeSha384 => "rsa_pss_rsae_sha384",
            Self::RsaPssRsaeSha512 => "rsa_pss_rsae_sha512",
            Self::Ed25519 => "ed25519",
            // Unknown code points, and schemes added later without a name here.
            _ => "unknown",
        }
    }

    /// RFC 9155: SHA-1 signature schemes, allowed only in the legacy profile.
    pub fn is_sha1(self) -> bool {
        matches!(self, Self::RsaPkcs1Sha1 | Self::EcdsaSha1Legacy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Codec;

    #[test]
    fn unknown_values_survive_a_round_trip() {
        for v in [0u8, 20, 21, 22, 23, 99] {
            assert_eq!(u8::from(ContentType::from(v)), v);
            assert_eq!(ContentType::read_bytes(&[v]).unwrap().encoding(), [v]);
        }
        assert_eq!(ProtocolVersion::from(0x0303), ProtocolVersion::TLSv1_2);
        assert!(ProtocolVersion::TLSv1_0 < ProtocolVersion::TLSv1_2);
        assert_eq!(CipherSuite::from(0x002f), CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA);
        assert_eq!(CipherSuite::read_bytes(&[0x13, 0x37]).unwrap(), CipherSuite::Unknown(0x1337));
        assert_eq!(NamedGroup::read_bytes(&[0, 0x1d]).unwrap(), NamedGroup::X25519);
        assert_eq!(u16::from(SignatureScheme::Ed25519), 0x0807);
    }
}
