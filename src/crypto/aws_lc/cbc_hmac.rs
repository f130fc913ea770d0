//! CBC + HMAC records for the aws-lc provider: aws-lc's stitched AES-CBC-HMAC for *sending*
//! MAC-then-encrypt records (RFC 5246 §6.2.3.2), RustCrypto's [`rc::cbc_hmac`] for everything
//! else.
//!
//! Why only sending: the stitched cipher interleaves the AES rounds of the CBC chain (serial:
//! each block waits for the previous one) with the HMAC's SHA rounds in assembly, which is what
//! makes OpenSSL's libssl fast at MAC-then-encrypt (its `AES-128-CBC-HMAC-SHA1` EVP cipher).
//! Sending has no secret-dependent branch to leak: the MAC and the padding are computed from
//! our own plaintext and lengths the peer sees anyway. Receiving is where Lucky 13 lives (the
//! padding decides how much the MAC hashes), and there we keep our own countermeasure, which
//! counts compression-function calls of its own HMAC (`rc::cbc_hmac`); CBC decryption is
//! parallel, so it runs at OpenSSL's speed without stitching.
//!
//! Encrypt-then-MAC (RFC 7366) MACs the ciphertext, which the stitched cipher cannot do, so
//! those records stay RustCrypto's both ways; so do AES-256-CBC-SHA384 (aws-lc has no stitched
//! SHA-384) and 3DES.
//!
//! On the wire (RFC 4346 §6.2.3.2, option 2(b), what OpenSSL's libssl sends): for TLS 1.1+ the
//! cipher encrypts a fresh random block R ahead of the plaintext, chained from the previous
//! record's last ciphertext block, and the resulting first block E(prev ⊕ R) is the record's
//! IV field. It is as unpredictable as R, and a receiver (RFC 5246 §6.2.3.2) simply decrypts
//! the rest with it as the IV. TLS 1.0 chains records with no IV field (RFC 2246 §6.2.3.2),
//! starting from the key block IV, which the context carries across records.
#![forbid(unsafe_code)]

use super::sys::{Stitched, StitchedEncryptor, AES_BLOCK, TLS1_AAD_LEN};
use crate::crypto::rustcrypto as rc;
use crate::crypto::{
    EncryptError, KeyBlockShape, MessageDecrypter, MessageEncrypter, OpaqueHeader, OutboundPlainMessage,
    RecordKeys, RecordParams, SecureRandom, Tls12RecordAlgorithm,
};
use crate::enums::ProtocolVersion;

/// [`Tls12RecordAlgorithm`] that sends MAC-then-encrypt records through aws-lc's stitched
/// cipher and otherwise is `base` (RustCrypto's algorithm with the same cipher and MAC).
pub struct StitchedCbcHmac {
    stitched: Stitched,
    base: &'static dyn Tls12RecordAlgorithm,
}

/// AES-128-CBC with HMAC-SHA1 (`*_WITH_AES_128_CBC_SHA`).
pub static AES_128_CBC_SHA: StitchedCbcHmac =
    StitchedCbcHmac { stitched: Stitched::Aes128Sha1, base: &rc::cbc_hmac::AES_128_CBC_SHA };
/// AES-256-CBC with HMAC-SHA1 (`*_WITH_AES_256_CBC_SHA`).
pub static AES_256_CBC_SHA: StitchedCbcHmac =
    StitchedCbcHmac { stitched: Stitched::Aes256Sha1, base: &rc::cbc_hmac::AES_256_CBC_SHA };
/// AES-128-CBC with HMAC-SHA256 (`*_WITH_AES_128_CBC_SHA256`).
pub static AES_128_CBC_SHA256: StitchedCbcHmac =
    StitchedCbcHmac { stitched: Stitched::Aes128Sha256, base: &rc::cbc_hmac::AES_128_CBC_SHA256 };
/// AES-256-CBC with HMAC-SHA256 (`TLS_RSA_WITH_AES_256_CBC_SHA256`).
pub static AES_256_CBC_SHA256: StitchedCbcHmac =
    StitchedCbcHmac { stitched: Stitched::Aes256Sha256, base: &rc::cbc_hmac::AES_256_CBC_SHA256 };

impl StitchedCbcHmac {
    /// The stitched encrypter, or `None` for encrypt-then-MAC or where aws-lc has no stitched
    /// code (no AES-NI, not x86-64): then the caller uses RustCrypto's.
    fn stitched_encrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Option<StitchedEncrypter> {
        if params.encrypt_then_mac {
            return None;
        }
        let cipher = StitchedEncryptor::new(self.stitched, keys.enc_key, keys.mac_key, keys.iv)?;
        Some(StitchedEncrypter {
            cipher,
            explicit_iv: params.version != ProtocolVersion::TLSv1_0,
            random: params.random,
            failed: false,
        })
    }
}

impl Tls12RecordAlgorithm for StitchedCbcHmac {
    fn key_block_shape(&self) -> KeyBlockShape {
        self.base.key_block_shape()
    }

    fn encrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageEncrypter> {
        match self.stitched_encrypter(keys, params) {
            Some(enc) => Box::new(enc),
            None => self.base.encrypter(keys, params),
        }
    }

    fn decrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageDecrypter> {
        // Lucky 13: our constant-time padding and MAC check (see the top of this file).
        self.base.decrypter(keys, params)
    }
}

/// Sends MAC-then-encrypt records through the stitched cipher.
struct StitchedEncrypter {
    cipher: StitchedEncryptor,
    /// TLS 1.1+: a random block leads each record (it becomes the IV field).
    explicit_iv: bool,
    /// The provider's random source (explicit IVs).
    random: &'static dyn SecureRandom,
    /// The cipher refused a record: its chain may have moved, so no later record is sent.
    failed: bool,
}

impl StitchedEncrypter {
    fn iv_len(&self) -> usize {
        if self.explicit_iv {
            AES_BLOCK
        } else {
            0
        }
    }
}

impl MessageEncrypter for StitchedEncrypter {
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        self.cipher.sealed_len(self.iv_len() + payload_len)
    }

    /// Errors: the random source's, or [`EncryptError::KeyExhausted`] (the record layer ends
    /// the connection with internal_error) if the stitched cipher refuses the record, if a
    /// record header's version disagrees with the negotiated one about explicit IVs, or for
    /// a fragment too long for the MAC's 16-bit length (none of which the record layer makes).
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        let version = u16::from(msg.version);
        // aws-lc reads "explicit IV or not" from the header version; the IV we lay out follows
        // the negotiated version. They agree for every record the record layer sends.
        let header_says_explicit = version >= u16::from(ProtocolVersion::TLSv1_1);
        let payload_len = self.iv_len() + msg.payload.len();
        let Ok(len_field) = u16::try_from(payload_len) else {
            return Err(EncryptError::KeyExhausted);
        };
        if self.failed || header_says_explicit != self.explicit_iv {
            return Err(EncryptError::KeyExhausted);
        }

        let start = out.len();
        let sealed_len = self.encrypted_payload_len(msg.payload.len());
        out.reserve(sealed_len);
        if self.explicit_iv {
            let mut r = [0u8; AES_BLOCK];
            self.random.fill(&mut r)?;
            out.extend_from_slice(&r);
        }
        crate::crypto::copy::extend(out, msg.payload);
        out.resize(start + sealed_len, 0);

        // RFC 5246 §6.2.3.1's MAC header; aws-lc wants the length with the IV block counted
        // and takes it off again for the MAC, which covers the plaintext alone.
        let mut aad = [0u8; TLS1_AAD_LEN];
        aad[..8].copy_from_slice(&seq.to_be_bytes());
        aad[8] = u8::from(msg.typ);
        aad[9..11].copy_from_slice(&version.to_be_bytes());
        aad[11..].copy_from_slice(&len_field.to_be_bytes());
        if self.cipher.seal_in_place(&aad, payload_len, &mut out[start..]).is_err() {
            out.truncate(start);
            self.failed = true;
            return Err(EncryptError::KeyExhausted);
        }
        Ok(OpaqueHeader { typ: msg.typ, version: msg.version })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};
    use crate::crypto::{DecryptError, GetRandomFailed};

    const VERSIONS: [u16; 3] = [0x0301, 0x0302, 0x0303];
    const LENGTHS: [usize; 10] = [0, 1, 15, 16, 17, 255, 256, 1000, 16383, 16384];

    fn algorithms() -> [(&'static str, &'static StitchedCbcHmac); 4] {
        [
            ("AES-128-CBC-SHA", &AES_128_CBC_SHA),
            ("AES-256-CBC-SHA", &AES_256_CBC_SHA),
            ("AES-128-CBC-SHA256", &AES_128_CBC_SHA256),
            ("AES-256-CBC-SHA256", &AES_256_CBC_SHA256),
        ]
    }

    /// Where aws-lc builds its stitched ciphers: x86-64 with AES-NI (not the FIPS build).
    fn stitch_expected() -> bool {
        #[cfg(target_arch = "x86_64")]
        return std::arch::is_x86_feature_detected!("aes");
        #[cfg(not(target_arch = "x86_64"))]
        return false;
    }

    struct KeyMaterial {
        mac: Vec<u8>,
        enc: Vec<u8>,
        iv: Vec<u8>,
    }

    impl KeyMaterial {
        fn new(alg: &StitchedCbcHmac) -> Self {
            let shape = alg.key_block_shape();
            Self {
                mac: (0..shape.mac_key_len as u8).map(|b| b.wrapping_mul(11) ^ 0x3c).collect(),
                enc: (0..shape.enc_key_len as u8).map(|b| b.wrapping_add(0x71)).collect(),
                iv: (0..shape.fixed_iv_len as u8).map(|b| b ^ 0xc5).collect(),
            }
        }

        fn keys(&self) -> RecordKeys<'_> {
            RecordKeys { mac_key: &self.mac, enc_key: &self.enc, iv: &self.iv }
        }
    }

    fn params(version: u16, encrypt_then_mac: bool) -> RecordParams {
        RecordParams { version: version.into(), encrypt_then_mac, random: &super::super::rand::AWS_LC_RANDOM }
    }

    /// The stitched encrypter (the test fails where aws-lc should have one and does not) and
    /// the provider's decrypter, from the same keys.
    fn stitched_pair(alg: &StitchedCbcHmac, version: u16) -> (StitchedEncrypter, Box<dyn MessageDecrypter>) {
        let km = KeyMaterial::new(alg);
        let enc =
            alg.stitched_encrypter(&km.keys(), params(version, false)).expect("stitched cipher available");
        (enc, alg.decrypter(&km.keys(), params(version, false)))
    }

    fn message(len: usize, salt: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 + salt * 7 + 3) as u8).collect()
    }

    fn seal(enc: &mut dyn MessageEncrypter, version: u16, seq: u64, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        enc.encrypt(plain_msg(23, version, plain), seq, &mut out).unwrap();
        assert_eq!(out.len(), enc.encrypted_payload_len(plain.len()));
        out
    }

    fn open(
        dec: &mut dyn MessageDecrypter,
        version: u16,
        seq: u64,
        record: &mut [u8],
    ) -> Result<Vec<u8>, DecryptError> {
        let range = dec.decrypt(opaque_msg(23, version, record), seq)?.range;
        Ok(record[range].to_vec())
    }

    #[test]
    fn each_stitched_cipher_has_its_rustcrypto_twins_key_and_mac_lengths() {
        for (name, alg) in algorithms() {
            let shape = alg.base.key_block_shape();
            assert_eq!(
                (alg.stitched.key_len(), alg.stitched.mac_len(), AES_BLOCK),
                (shape.enc_key_len, shape.mac_key_len, shape.fixed_iv_len),
                "{name}"
            );
        }
    }

    #[test]
    fn the_stitched_cipher_is_used_for_mac_then_encrypt_exactly_where_aws_lc_has_it() {
        for (name, alg) in algorithms() {
            let km = KeyMaterial::new(alg);
            for version in VERSIONS {
                let mte = alg.stitched_encrypter(&km.keys(), params(version, false));
                assert_eq!(mte.is_some(), stitch_expected(), "{name} {version:#x}");
                // Encrypt-then-MAC MACs the ciphertext: never the stitched cipher.
                assert!(alg.stitched_encrypter(&km.keys(), params(version, true)).is_none(), "{name}");
            }
        }
    }

    #[test]
    fn stitched_records_open_with_the_rustcrypto_decrypter_in_sequence() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                // One connection direction: sequence numbers count up and TLS 1.0 chains every
                // record's IV from the one before.
                let (mut enc, mut dec) = stitched_pair(alg, version);
                let km = KeyMaterial::new(alg);
                let rc_enc = alg.base.encrypter(&km.keys(), params(version, false));
                for round in 0..2 {
                    for (i, len) in LENGTHS.into_iter().enumerate() {
                        let seq = (round * LENGTHS.len() + i) as u64;
                        let plain = message(len, i);
                        let mut record = seal(&mut enc, version, seq, &plain);
                        // The same wire length as RustCrypto's (minimal padding).
                        assert_eq!(
                            record.len(),
                            rc_enc.encrypted_payload_len(len),
                            "{name} {version:#x} {len}"
                        );
                        let got = open(&mut *dec, version, seq, &mut record)
                            .unwrap_or_else(|e| panic!("{name} {version:#x} len {len} seq {seq}: {e:?}"));
                        assert_eq!(got, plain, "{name} {version:#x} len {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn tampered_stitched_records_give_bad_record_mac() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                for len in LENGTHS {
                    let size = seal(&mut stitched_pair(alg, version).0, version, 0, &message(len, 0)).len();
                    // First block (the IV field from TLS 1.1), a body byte, the second-to-last
                    // block (turns into the last block's padding) and the last byte.
                    for pos in [0, 17, size / 2, size - 17, size - 1] {
                        // The second record of a direction, after the first opened (TLS 1.0: a
                        // chained IV; TLS 1.1+: the explicit IV).
                        let (mut enc, mut dec) = stitched_pair(alg, version);
                        let mut first = seal(&mut enc, version, 0, &message(len, 1));
                        let mut second = seal(&mut enc, version, 1, &message(len, 2));
                        assert_eq!(open(&mut *dec, version, 0, &mut first), Ok(message(len, 1)));
                        second[pos] ^= 0x20;
                        assert_eq!(
                            open(&mut *dec, version, 1, &mut second),
                            Err(DecryptError::BadRecordMac),
                            "{name} {version:#x} len {len} byte {pos}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_mac_covers_sequence_number_type_and_version() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                let (mut enc, mut dec) = stitched_pair(alg, version);
                let record = seal(&mut enc, version, 7, b"sequence matters");
                assert_eq!(
                    open(&mut *dec, version, 7, &mut record.clone()),
                    Ok(b"sequence matters".to_vec())
                );
                for (ty, v, seq) in [(23, version, 8), (22, version, 7), (23, version ^ 0x10, 7)] {
                    let (_, mut dec) = stitched_pair(alg, version);
                    assert_eq!(
                        dec.decrypt(opaque_msg(ty, v, &mut record.clone()), seq).map(|m| m.range),
                        Err(DecryptError::BadRecordMac),
                        "{name} {version:#x} ({ty}, {v:#x}, {seq})"
                    );
                }
            }
        }
    }

    #[test]
    fn tls10_stitched_records_are_byte_for_byte_rustcryptos() {
        // TLS 1.0 has no randomness in a record: same keys, same chain, same minimal padding.
        for (name, alg) in algorithms() {
            let km = KeyMaterial::new(alg);
            let (mut ours, _) = stitched_pair(alg, 0x0301);
            let mut theirs = alg.base.encrypter(&km.keys(), params(0x0301, false));
            for (seq, len) in LENGTHS.into_iter().enumerate() {
                let plain = message(len, seq);
                assert_eq!(
                    seal(&mut ours, 0x0301, seq as u64, &plain),
                    seal(&mut *theirs, 0x0301, seq as u64, &plain),
                    "{name} record {seq} ({len} bytes)"
                );
            }
        }
    }

    #[test]
    fn two_records_of_the_same_plaintext_differ() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                let (mut enc, mut dec) = stitched_pair(alg, version);
                let mut a = seal(&mut enc, version, 0, b"same plaintext, same length");
                let mut b = seal(&mut enc, version, 1, b"same plaintext, same length");
                // TLS 1.1+: the IV field is fresh per record; TLS 1.0: the chain moved on.
                assert_ne!(a[..16], b[..16], "{name} {version:#x}");
                assert_ne!(a[16..], b[16..], "{name} {version:#x}");
                assert_eq!(open(&mut *dec, version, 0, &mut a), Ok(b"same plaintext, same length".to_vec()));
                assert_eq!(open(&mut *dec, version, 1, &mut b), Ok(b"same plaintext, same length".to_vec()));
            }
        }
    }

    #[test]
    fn encrypt_appends_after_existing_output() {
        let (mut enc, mut dec) = stitched_pair(&AES_128_CBC_SHA, 0x0303);
        let mut out = b"header".to_vec();
        enc.encrypt(plain_msg(23, 0x0303, b"payload"), 0, &mut out).unwrap();
        assert_eq!(&out[..6], b"header");
        assert_eq!(open(&mut *dec, 0x0303, 0, &mut out[6..]), Ok(b"payload".to_vec()));
    }

    struct FailingRandom;
    impl SecureRandom for FailingRandom {
        fn fill(&self, _: &mut [u8]) -> Result<(), GetRandomFailed> {
            Err(GetRandomFailed)
        }
    }
    static FAILING_RANDOM: FailingRandom = FailingRandom;

    #[test]
    fn a_failing_random_source_or_a_header_version_at_odds_with_the_iv_layout_sends_nothing() {
        let km = KeyMaterial::new(&AES_128_CBC_SHA);
        let p = RecordParams { version: 0x0303.into(), encrypt_then_mac: false, random: &FAILING_RANDOM };
        let mut enc = AES_128_CBC_SHA.stitched_encrypter(&km.keys(), p).expect("stitched cipher available");
        let mut out = b"kept".to_vec();
        assert_eq!(
            enc.encrypt(plain_msg(23, 0x0303, b"x"), 0, &mut out).map(|_| ()),
            Err(EncryptError::Random(GetRandomFailed))
        );
        assert_eq!(out, b"kept");

        // A TLS 1.2 encrypter asked for a TLS 1.0 header (aws-lc would then MAC the random
        // block as plaintext), and the other way round.
        for (negotiated, header) in [(0x0303u16, 0x0301u16), (0x0301, 0x0302)] {
            let (mut enc, _) = stitched_pair(&AES_128_CBC_SHA, negotiated);
            let mut out = b"kept".to_vec();
            assert_eq!(
                enc.encrypt(plain_msg(23, header, b"x"), 0, &mut out).map(|_| ()),
                Err(EncryptError::KeyExhausted)
            );
            assert_eq!(out, b"kept");
            // A well-formed record still goes out afterwards (nothing was consumed).
            let mut record = seal(&mut enc, negotiated, 0, b"fine");
            let (_, mut dec) = stitched_pair(&AES_128_CBC_SHA, negotiated);
            assert_eq!(open(&mut *dec, negotiated, 0, &mut record), Ok(b"fine".to_vec()));
        }
    }

    #[test]
    fn encrypt_then_mac_records_round_trip_through_the_rustcrypto_fallback() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                let km = KeyMaterial::new(alg);
                let mut enc = alg.encrypter(&km.keys(), params(version, true));
                let mut dec = alg.decrypter(&km.keys(), params(version, true));
                let mut record = seal(&mut *enc, version, 3, b"etm");
                assert_eq!(open(&mut *dec, version, 3, &mut record), Ok(b"etm".to_vec()), "{name}");
                let mut tampered = seal(&mut *enc, version, 4, b"etm");
                tampered[0] ^= 1;
                assert_eq!(
                    open(&mut *dec, version, 4, &mut tampered),
                    Err(DecryptError::BadRecordMac),
                    "{name}"
                );
            }
        }
    }
}
