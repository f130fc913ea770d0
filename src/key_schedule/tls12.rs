//! The TLS 1.0–1.2 key schedule: master secret, key block and Finished verify_data.
//!
//! Everything here goes through the provider's [`Hmac`] trait; the core names no algorithm
//! implementation. Secrets are returned in [`Zeroizing`] so they are wiped when dropped.
pub use super::prf::{prf_tls10, prf_tls12};

use zeroize::Zeroizing;

use crate::crypto::{HashAlgorithm, Hmac, HmacKey, Tls12CipherSuite};

/// RFC 5246 §7.4.9 label for the client's Finished message.
pub const CLIENT_FINISHED: &[u8] = b"client finished";
/// RFC 5246 §7.4.9 label for the server's Finished message.
pub const SERVER_FINISHED: &[u8] = b"server finished";

/// The PRF of a connection, chosen by its negotiated version.
#[derive(Clone, Copy)]
pub enum Prf {
    /// RFC 2246 §5 / RFC 4346 §5 (TLS 1.0 and 1.1): P_MD5 XOR P_SHA-1.
    Tls10 {
        /// HMAC-MD5.
        md5: &'static dyn Hmac,
        /// HMAC-SHA1.
        sha1: &'static dyn Hmac,
    },
    /// RFC 5246 §5 (TLS 1.2): P_hash over the suite's PRF hash.
    Tls12 {
        /// The suite's PRF HMAC.
        hmac: &'static dyn Hmac,
    },
}

impl Prf {
    /// The PRF for `version` (0x0301–0x0303) with `suite`; `hmac` is the provider's HMAC lookup
    /// (`CryptoProvider::hmac`). `None` when TLS 1.0/1.1 is asked for and the provider lacks
    /// HMAC-MD5 or HMAC-SHA1.
    pub fn for_version(
        version: u16,
        suite: &Tls12CipherSuite,
        hmac: fn(HashAlgorithm) -> Option<&'static dyn Hmac>,
    ) -> Option<Self> {
        if version >= 0x0303 {
            Some(Self::Tls12 { hmac: suite.prf_hmac })
        } else {
            Some(Self::Tls10 { md5: hmac(HashAlgorithm::Md5)?, sha1: hmac(HashAlgorithm::Sha1)? })
        }
    }

    /// Fills `out` with `PRF(secret, label, seed)`.
    pub fn derive(&self, secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
        match *self {
            Self::Tls10 { md5, sha1 } => prf_tls10(md5, sha1, secret, label, seed, out),
            Self::Tls12 { hmac } => prf_tls12(hmac, secret, label, seed, out),
        }
    }

    /// This PRF keyed with `secret` once, for several derivations from the same secret (a
    /// connection's key block and both Finished values come from its master secret).
    pub fn keyed(&self, secret: &[u8]) -> KeyedPrf {
        match *self {
            Self::Tls10 { md5, sha1 } => {
                let (s1, s2) = super::prf::tls10_halves(secret);
                KeyedPrf::Tls10 { md5: md5.with_key(s1), sha1: sha1.with_key(s2) }
            }
            Self::Tls12 { hmac } => KeyedPrf::Tls12(hmac.with_key(secret)),
        }
    }
}

/// A [`Prf`] with its secret's HMAC key prepared (the pads hashed): keying costs as much as
/// one HMAC (two hash blocks, and for SHA-384 these are software SHA-512 blocks on x86), and a
/// TLS 1.2 handshake derives three times from its master secret (issue 16).
pub enum KeyedPrf {
    /// P_MD5 over the first half of the secret, P_SHA-1 over the second.
    Tls10 {
        /// HMAC-MD5 keyed with S1.
        md5: Box<dyn HmacKey>,
        /// HMAC-SHA1 keyed with S2.
        sha1: Box<dyn HmacKey>,
    },
    /// P_hash keyed with the secret.
    Tls12(Box<dyn HmacKey>),
}

impl KeyedPrf {
    /// Fills `out` with `PRF(secret, label, seed)`.
    pub fn derive(&self, label: &[u8], seed: &[u8], out: &mut [u8]) {
        match self {
            Self::Tls10 { md5, sha1 } => super::prf::prf_tls10_keyed(&**md5, &**sha1, label, seed, out),
            Self::Tls12(key) => super::prf::prf_tls12_keyed(&**key, label, seed, out),
        }
    }
}

impl core::fmt::Debug for Prf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Tls10 { .. } => f.write_str("Prf::Tls10"),
            Self::Tls12 { hmac } => write!(f, "Prf::Tls12({:?})", hmac.hash_algorithm()),
        }
    }
}

/// RFC 5246 §8.1: `master_secret = PRF(pre_master_secret, "master secret", ClientHello.random ‖
/// ServerHello.random)[0..47]`.
pub fn derive_master_secret(
    prf: &Prf,
    premaster: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Zeroizing<[u8; 48]> {
    let mut seed = [0u8; 64];
    seed[..32].copy_from_slice(client_random);
    seed[32..].copy_from_slice(server_random);
    let mut master = Zeroizing::new([0u8; 48]);
    prf.derive(premaster, b"master secret", &seed, &mut master[..]);
    master
}

/// RFC 7627 §4: `master_secret = PRF(pre_master_secret, "extended master secret",
/// session_hash)[0..47]`, where `session_hash` is the handshake hash up to and including the
/// ClientKeyExchange (MD5‖SHA-1 before TLS 1.2).
pub fn derive_extended_master_secret(
    prf: &Prf,
    premaster: &[u8],
    session_hash: &[u8],
) -> Zeroizing<[u8; 48]> {
    let mut master = Zeroizing::new([0u8; 48]);
    prf.derive(premaster, b"extended master secret", session_hash, &mut master[..]);
    master
}

/// RFC 5246 §6.3: `key_block = PRF(master_secret, "key expansion", server_random ‖
/// client_random)`, `len` bytes (note the randoms' order is the reverse of §8.1).
pub fn derive_key_block(
    prf: &KeyedPrf,
    server_random: &[u8; 32],
    client_random: &[u8; 32],
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let mut seed = [0u8; 64];
    seed[..32].copy_from_slice(server_random);
    seed[32..].copy_from_slice(client_random);
    let mut block = Zeroizing::new(vec![0u8; len]);
    prf.derive(b"key expansion", &seed, &mut block);
    block
}

/// RFC 5246 §7.4.9: `verify_data = PRF(master_secret, finished_label,
/// Hash(handshake_messages))[0..11]`; `label` is [`CLIENT_FINISHED`] or [`SERVER_FINISHED`] and
/// `handshake_hash` the transcript hash (MD5‖SHA-1, 36 bytes, before TLS 1.2; RFC 2246 §7.4.9).
pub fn derive_verify_data(prf: &KeyedPrf, label: &[u8], handshake_hash: &[u8]) -> [u8; 12] {
    let mut out = [0u8; 12];
    prf.derive(label, handshake_hash, &mut out);
    out
}

/// RFC 5705 §4 labels a caller may not use: the PRF labels of the handshake itself, matched
/// as prefixes as OpenSSL does (`SSL_R_TLS_ILLEGAL_EXPORTER_LABEL`), so an exporter can never
/// reproduce a Finished value, a master secret or a key block.
pub const RESERVED_EXPORTER_LABELS: [&[u8]; 5] =
    [CLIENT_FINISHED, SERVER_FINISHED, b"master secret", b"extended master secret", b"key expansion"];

/// Why [`derive_exported_keying_material`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExporterRefusal {
    /// The label starts with one of [`RESERVED_EXPORTER_LABELS`].
    ReservedLabel,
    /// The context does not fit its 16-bit length.
    ContextTooLong,
}

/// RFC 5705 §4: `PRF(master_secret, label, client_random ‖ server_random [‖ context_length ‖
/// context])` into `out`. "No context" (`None`) and an empty context differ: the latter still
/// carries its two-byte length.
pub fn derive_exported_keying_material(
    prf: &Prf,
    master: &[u8; 48],
    label: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    context: Option<&[u8]>,
    out: &mut [u8],
) -> Result<(), ExporterRefusal> {
    if RESERVED_EXPORTER_LABELS.iter().any(|reserved| label.starts_with(reserved)) {
        return Err(ExporterRefusal::ReservedLabel);
    }
    let mut seed = Vec::with_capacity(64 + context.map_or(0, |c| 2 + c.len()));
    seed.extend_from_slice(client_random);
    seed.extend_from_slice(server_random);
    if let Some(context) = context {
        let len = u16::try_from(context.len()).map_err(|_| ExporterRefusal::ContextTooLong)?;
        seed.extend_from_slice(&len.to_be_bytes());
        seed.extend_from_slice(context);
    }
    prf.derive(master, label, &seed, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Known answers from tests/vectors/prf_vectors.py (Python hmac/hashlib), which builds the
    //! same inputs as [`Inputs`].
    use super::*;
    use crate::crypto::rustcrypto::hash::{MD5, SHA1, SHA256};
    use crate::crypto::Hash as _;

    fn unhex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        s.chunks(2).map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
    }

    struct Inputs {
        premaster: Vec<u8>,
        client_random: [u8; 32],
        server_random: [u8; 32],
        session_hash: Vec<u8>,
        sha256_handshake_hash: Vec<u8>,
        md5_sha1_handshake_hash: Vec<u8>,
    }

    fn inputs() -> Inputs {
        let mut premaster = vec![3, 3];
        premaster.extend(2..48u8);
        let transcript = b"all handshake messages";
        let mut md5_sha1 = MD5.hash(transcript).as_ref().to_vec();
        md5_sha1.extend_from_slice(SHA1.hash(transcript).as_ref());
        Inputs {
            premaster,
            client_random: core::array::from_fn(|i| 0xc0 | (i as u8 & 0x0f)),
            server_random: core::array::from_fn(|i| 0x50 + i as u8),
            session_hash: SHA256.hash(b"handshake messages").as_ref().to_vec(),
            sha256_handshake_hash: SHA256.hash(transcript).as_ref().to_vec(),
            md5_sha1_handshake_hash: md5_sha1,
        }
    }

    fn tls12() -> Prf {
        Prf::Tls12 { hmac: &crate::crypto::rustcrypto::hash::HMAC_SHA256 }
    }

    fn tls10() -> Prf {
        Prf::Tls10 {
            md5: &crate::crypto::rustcrypto::hash::HMAC_MD5,
            sha1: &crate::crypto::rustcrypto::hash::HMAC_SHA1,
        }
    }

    #[test]
    fn tls12_key_schedule_matches_python_known_answers() {
        let i = inputs();
        let prf = tls12();
        let master = derive_master_secret(&prf, &i.premaster, &i.client_random, &i.server_random);
        assert_eq!(
            master[..],
            unhex(
                "08f68122cecc2a8b23746b5af424b43af9b299978b9fadbfc691cb92b4de1df1\
                 a718cc1abbee40331897313ef0b2c1e7"
            )[..]
        );
        let ems = derive_extended_master_secret(&prf, &i.premaster, &i.session_hash);
        assert_eq!(
            ems[..],
            unhex(
                "e72ad5c6069116291b70488df941fac718005f51720016e528e437201669caf9\
                 383d84b72efaaf007a5160ac7e1b7b5a"
            )[..]
        );
        let kb = derive_key_block(&prf.keyed(&master[..]), &i.server_random, &i.client_random, 104);
        assert_eq!(
            kb[..],
            unhex(
                "606a749c4c0368f6aad50bbd844866b02c48bbb8e924dd94efacb21014eb0a83\
                 37190fe4973c305a8d2fa2f58f99c29adf329f3a3cdb13376d45e494459440ad\
                 e01bb39014e70fb0b4c5e2c2dcee254b429a191adb7e49f69f67456f4bc5cf40\
                 077f5f7f4f6d2689"
            )[..]
        );
        let h = &i.sha256_handshake_hash;
        assert_eq!(
            derive_verify_data(&prf.keyed(&master[..]), CLIENT_FINISHED, h)[..],
            unhex("5f26b6704f7a9ca832286d66")[..]
        );
        assert_eq!(
            derive_verify_data(&prf.keyed(&master[..]), SERVER_FINISHED, h)[..],
            unhex("345480873ed1afe16addf301")[..]
        );
    }

    #[test]
    fn tls10_key_schedule_matches_python_known_answers() {
        let i = inputs();
        let prf = tls10();
        let master = derive_master_secret(&prf, &i.premaster, &i.client_random, &i.server_random);
        assert_eq!(
            master[..],
            unhex(
                "0f148d5311fca04780a37d0788cade804387bef89692030d39157d4ca2eea67c\
                 1b9ae6c59fd3a75e8e4fef8b92ef7e5d"
            )[..]
        );
        let ems = derive_extended_master_secret(&prf, &i.premaster, &i.session_hash);
        assert_eq!(
            ems[..],
            unhex(
                "6d751ed93c5cd1ec5f22275dfb87802aaa02408b16761fa0bcb55ef5a52c2980\
                 a92c1083062f7e3d00fb6ec53c89a0ff"
            )[..]
        );
        let kb = derive_key_block(&prf.keyed(&master[..]), &i.server_random, &i.client_random, 104);
        assert_eq!(
            kb[..],
            unhex(
                "16da036e77b6bf12b8cfe05001d1e9f58686395f986d3fe9690c42aeddfd8c08\
                 aefb4b708eae8b72010712037feabe8deb99ddb15c3f5c16d7e3574b61c02bc5\
                 e580d91c94bf199bb94905dc06c78b028fea7e889a6d29e00c7be90cfb9da872\
                 e4dd4f4d4137ee2d"
            )[..]
        );
        let h = &i.md5_sha1_handshake_hash;
        assert_eq!(
            derive_verify_data(&prf.keyed(&master[..]), CLIENT_FINISHED, h)[..],
            unhex("71312af0387e34cc3d3776bb")[..]
        );
        assert_eq!(
            derive_verify_data(&prf.keyed(&master[..]), SERVER_FINISHED, h)[..],
            unhex("3d3b618133c79bd89494fec9")[..]
        );
    }

    #[test]
    fn master_secret_changes_when_the_randoms_are_swapped() {
        let i = inputs();
        let prf = tls12();
        let a = derive_master_secret(&prf, &i.premaster, &i.client_random, &i.server_random);
        let b = derive_master_secret(&prf, &i.premaster, &i.server_random, &i.client_random);
        assert_ne!(a[..], b[..]);
    }

    #[test]
    fn client_and_server_verify_data_differ() {
        let i = inputs();
        let prf = tls12();
        let master = [7u8; 48];
        let c = derive_verify_data(&prf.keyed(&master[..]), CLIENT_FINISHED, &i.sha256_handshake_hash);
        let s = derive_verify_data(&prf.keyed(&master[..]), SERVER_FINISHED, &i.sha256_handshake_hash);
        assert_ne!(c, s);
    }

    #[test]
    fn prf_for_version_picks_tls10_below_tls12() {
        fn hmac(alg: HashAlgorithm) -> Option<&'static dyn Hmac> {
            crate::crypto::rustcrypto::hash::hmac(alg)
        }
        fn no_md5(alg: HashAlgorithm) -> Option<&'static dyn Hmac> {
            match alg {
                HashAlgorithm::Md5 => None,
                a => crate::crypto::rustcrypto::hash::hmac(a),
            }
        }
        let suite = &crate::crypto::rustcrypto::TLS_RSA_WITH_AES_128_CBC_SHA;
        assert!(matches!(Prf::for_version(0x0303, suite, hmac), Some(Prf::Tls12 { .. })));
        assert!(matches!(Prf::for_version(0x0302, suite, hmac), Some(Prf::Tls10 { .. })));
        assert!(matches!(Prf::for_version(0x0301, suite, hmac), Some(Prf::Tls10 { .. })));
        assert!(Prf::for_version(0x0301, suite, no_md5).is_none());
    }

    #[test]
    fn exported_keying_material_matches_python_known_answers() {
        let i = inputs();
        let master: [u8; 48] = core::array::from_fn(|n| n as u8);
        let label = b"EXPERIMENTAL test";
        let cases: [(Prf, Option<&[u8]>, &str); 6] = [
            (
                tls12(),
                None,
                "6ba9313f976c858abdd9b1294364c7d4722f5a19ff8e2d1ffb280607917a658c9621ebf5de58cb34",
            ),
            (
                tls12(),
                Some(b""),
                "9256feaccd18f271ec5ba3cb3dc080714d343ba38bfcfa22398d1a726009f1b1004565c4b395c51b",
            ),
            (
                tls12(),
                Some(b"hello"),
                "388ccafd0dfb4f14ec09a23f24142f8911efe9dbed51ec604d2e312245b9f4ca28d3c92f71eb80e3",
            ),
            (
                tls10(),
                None,
                "584fd5173878ec2c15c72af891cc1d370ba7ffa5741849b44d0bf9749f932053bd11dc741db7567f",
            ),
            (
                tls10(),
                Some(b""),
                "adfd6da576cd4337aad767acb72aa132f8f74c4b29afb00da96841149070aef1a4ae55de664ebf9d",
            ),
            (
                tls10(),
                Some(b"hello"),
                "4000fd57dd47294f20c8f7aaea377044006b501fdd5774efe92133afa5bb9174676ed6347a97ebf1",
            ),
        ];
        for (prf, context, expected) in cases {
            let mut out = [0u8; 40];
            derive_exported_keying_material(
                &prf,
                &master,
                label,
                &i.client_random,
                &i.server_random,
                context,
                &mut out,
            )
            .unwrap();
            assert_eq!(out[..], unhex(expected)[..], "{prf:?} context {context:?}");
        }
    }

    #[test]
    fn exporter_refuses_the_handshake_labels_and_an_overlong_context() {
        let i = inputs();
        let master = [7u8; 48];
        let mut out = [0u8; 12];
        for label in [
            &b"client finished"[..],
            b"server finished",
            b"master secret",
            b"extended master secret",
            b"key expansion",
            b"key expansion and more",
        ] {
            assert_eq!(
                derive_exported_keying_material(
                    &tls12(),
                    &master,
                    label,
                    &i.client_random,
                    &i.server_random,
                    None,
                    &mut out
                ),
                Err(ExporterRefusal::ReservedLabel),
                "{}",
                label.escape_ascii()
            );
        }
        let long = vec![0u8; 65536];
        assert_eq!(
            derive_exported_keying_material(
                &tls12(),
                &master,
                b"EXPORTER-x",
                &i.client_random,
                &i.server_random,
                Some(&long),
                &mut out
            ),
            Err(ExporterRefusal::ContextTooLong)
        );
        // The longest context that fits is accepted, and so is a label that only contains a reserved one.
        assert!(derive_exported_keying_material(
            &tls12(),
            &master,
            b"my master secret",
            &i.client_random,
            &i.server_random,
            Some(&long[..65535]),
            &mut out
        )
        .is_ok());
    }
}
