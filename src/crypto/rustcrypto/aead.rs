//! AEAD ciphers for TLS records over RustCrypto: AES-128-GCM and AES-256-GCM (RFC 5288, NIST
//! SP 800-38D) and ChaCha20-Poly1305 (RFC 8439).
//!
//! [`AeadKey`] seals and opens in place over a caller's buffer with a 12-byte nonce and a
//! detached 16-byte tag; [`keyer`] hands it to the shared TLS constructions in
//! [`crate::crypto::aead_record`] (nonces, additional data, TLS 1.2 and 1.3 records, ticket
//! sealing), which the statics below instantiate with it. The aws-lc provider instantiates the
//! same constructions with its own cipher.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use chacha20poly1305::ChaCha20Poly1305;

pub use crate::crypto::aead_record::{
    gcm_explicit_nonce, gcm_nonce, tls12_aad, tls13_aad, xor_nonce, AeadAlgorithm, AeadError, AeadRecord,
    InPlaceAead, SealingAead, Tls12AeadRecordKey, Tls13Aead, Tls13AeadRecordKey, GCM_EXPLICIT_NONCE_LEN,
    GCM_SALT_LEN, NONCE_LEN, TAG_LEN, TLS12_AAD_LEN, TLS13_AAD_LEN,
};

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

impl InPlaceAead for AeadKey {
    fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], AeadError> {
        AeadKey::seal_in_place(self, nonce, aad, in_out)
    }

    fn open_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<usize, AeadError> {
        AeadKey::open_in_place(self, nonce, aad, in_out).map(|plain| plain.len())
    }
}

/// The RustCrypto [`crate::crypto::aead_record::AeadKeyer`].
pub fn keyer(algorithm: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn InPlaceAead>, AeadError> {
    Ok(Box::new(AeadKey::new(algorithm, key)?))
}

// The record algorithms and ticket AEADs over [`keyer`]: `AES_128_GCM`, `AES_256_GCM`,
// `CHACHA20_POLY1305` (TLS 1.2), `TLS13_*` (TLS 1.3) and `SEALING_AEADS`.
crate::crypto::aead_record::aead_statics!(keyer);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::unhex;
    use crate::crypto::{
        DecryptError, InboundOpaqueMessage, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams,
        Tls12RecordAlgorithm, Tls13AeadAlgorithm,
    };
    use crate::enums::{ContentType, ProtocolVersion};

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
            let rk = Tls13AeadRecordKey::new(keyer, alg.algorithm(), &key, &iv).unwrap();
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
        assert!(Tls12AeadRecordKey::new(keyer, AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 12]).is_err());
        assert!(Tls12AeadRecordKey::new(keyer, AeadAlgorithm::ChaCha20Poly1305, &[0; 32], &[0; 4]).is_err());
        assert!(Tls13AeadRecordKey::new(keyer, AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 4]).is_err());
        let rec = Tls12AeadRecordKey::new(keyer, AeadAlgorithm::Aes128Gcm, &[0; 16], &[0; 4]).unwrap();
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
        let key =
            Tls13AeadRecordKey::new(keyer, AeadAlgorithm::ChaCha20Poly1305, &[9; 32], &[3; 12]).unwrap();
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
        let sender = Tls12AeadRecordKey::new(keyer, alg, &key, &iv).unwrap();
        let receiver = Tls12AeadRecordKey::new(keyer, alg, &key, &iv).unwrap();
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
