//! AEAD over aws-lc-rs: AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 for TLS 1.2 records
//! (RFC 5288, RFC 7905), TLS 1.3 records (RFC 8446 §5.2) and session tickets.
//!
//! Only the cipher is here: the constructions (nonces, additional data, the AES-GCM usage
//! limit, TLSInnerPlaintext) are the shared ones in [`crate::crypto::aead_record`], the same
//! code the RustCrypto provider uses, so the two providers cannot disagree on the wire.
#![forbid(unsafe_code)]

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey};

use crate::crypto::aead_record::{AeadAlgorithm, AeadError, InPlaceAead, NONCE_LEN, TAG_LEN};

/// An aws-lc key (aws-lc-rs zeroizes it on drop).
struct Key(LessSafeKey);

impl InPlaceAead for Key {
    fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], AeadError> {
        let tag = self
            .0
            .seal_in_place_separate_tag(Nonce::assume_unique_for_key(*nonce), Aad::from(aad), in_out)
            .map_err(|_| AeadError::TooLong)?;
        tag.as_ref().try_into().map_err(|_| AeadError::TooLong)
    }

    fn open_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<usize, AeadError> {
        self.0
            .open_in_place(Nonce::assume_unique_for_key(*nonce), Aad::from(aad), in_out)
            .map(|plain| plain.len())
            .map_err(|_| AeadError::Decrypt)
    }
}

/// The aws-lc [`crate::crypto::aead_record::AeadKeyer`].
pub fn keyer(algorithm: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn InPlaceAead>, AeadError> {
    let lc = match algorithm {
        AeadAlgorithm::Aes128Gcm => &aws_lc_rs::aead::AES_128_GCM,
        AeadAlgorithm::Aes256Gcm => &aws_lc_rs::aead::AES_256_GCM,
        AeadAlgorithm::ChaCha20Poly1305 => &aws_lc_rs::aead::CHACHA20_POLY1305,
    };
    let bad = AeadError::BadLength { what: "key", expected: algorithm.key_len(), actual: key.len() };
    if key.len() != algorithm.key_len() {
        return Err(bad);
    }
    Ok(Box::new(Key(LessSafeKey::new(UnboundKey::new(lc, key).map_err(|_| bad)?))))
}

// The record algorithms and ticket AEADs over [`keyer`]: `AES_128_GCM`, `AES_256_GCM`,
// `CHACHA20_POLY1305` (TLS 1.2), `TLS13_*` (TLS 1.3) and `SEALING_AEADS`.
crate::crypto::aead_record::aead_statics!(keyer);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};
    use crate::crypto::rustcrypto::SYSTEM_RANDOM;
    use crate::crypto::{EncryptError, RecordKeys, RecordParams, Tls12RecordAlgorithm, Tls13AeadAlgorithm};
    use crate::enums::ProtocolVersion;

    fn params() -> RecordParams {
        RecordParams { version: ProtocolVersion::TLSv1_2, encrypt_then_mac: false, random: &SYSTEM_RANDOM }
    }

    /// Each algorithm against RustCrypto's, both ways: the same keys give the same records.
    #[test]
    fn records_interoperate_with_the_rustcrypto_provider_and_tampering_fails() {
        use crate::crypto::rustcrypto::aead as rc;
        for (ours, theirs) in [
            (&AES_128_GCM, &rc::AES_128_GCM),
            (&AES_256_GCM, &rc::AES_256_GCM),
            (&CHACHA20_POLY1305, &rc::CHACHA20_POLY1305),
        ] {
            let shape = ours.key_block_shape();
            assert_eq!(shape, theirs.key_block_shape());
            let key = vec![0x42u8; shape.enc_key_len];
            let iv = vec![0x17u8; shape.fixed_iv_len];
            let keys = RecordKeys { mac_key: &[], enc_key: &key, iv: &iv };
            for payload in [&b""[..], b"hello", &[0xab; 16384][..]] {
                for seq in [0u64, 1, 0x01_0203] {
                    let mut a = Vec::new();
                    ours.encrypter(&keys, params())
                        .encrypt(plain_msg(23, 0x0303, payload), seq, &mut a)
                        .unwrap();
                    let mut b = Vec::new();
                    theirs
                        .encrypter(&keys, params())
                        .encrypt(plain_msg(23, 0x0303, payload), seq, &mut b)
                        .unwrap();
                    assert_eq!(a, b, "same keys, same record");
                    assert_eq!(a.len(), ours.encrypter(&keys, params()).encrypted_payload_len(payload.len()));
                    let mut dec = ours.decrypter(&keys, params());
                    let range = dec.decrypt(opaque_msg(23, 0x0303, &mut b), seq).unwrap().range;
                    assert_eq!(&b[range], payload);
                    // Tampering twins: a flipped bit, another sequence number, another type.
                    let mut c = a.clone();
                    let last = c.len() - 1;
                    c[last] ^= 1;
                    assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut c), seq).is_err());
                    let mut c = a.clone();
                    assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut c), seq + 1).is_err());
                    let mut c = a.clone();
                    assert!(dec.decrypt(opaque_msg(22, 0x0303, &mut c), seq).is_err());
                    let mut short = a[..TAG_LEN - 1].to_vec();
                    assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut short), seq).is_err());
                }
            }
        }
    }

    #[test]
    fn aes_gcm_refuses_to_encrypt_past_its_usage_limit() {
        let keys = RecordKeys { mac_key: &[], enc_key: &[1; 16], iv: &[2; 4] };
        let mut enc = AES_128_GCM.encrypter(&keys, params());
        let mut out = Vec::new();
        let limit = AeadAlgorithm::Aes128Gcm.confidentiality_limit();
        assert_eq!(
            enc.encrypt(plain_msg(23, 0x0303, b"x"), limit, &mut out).unwrap_err(),
            EncryptError::KeyExhausted
        );
        assert!(out.is_empty());
    }

    /// TLS 1.3 records: aws-lc's and RustCrypto's are the same bytes, open under each other,
    /// carry the inner type, and fail when tampered with or read at another sequence number.
    #[test]
    fn tls13_records_interoperate_with_the_rustcrypto_provider_and_tampering_fails() {
        use crate::crypto::rustcrypto::aead as rc;
        for (ours, theirs) in [
            (&TLS13_AES_128_GCM, &rc::TLS13_AES_128_GCM),
            (&TLS13_AES_256_GCM, &rc::TLS13_AES_256_GCM),
            (&TLS13_CHACHA20_POLY1305, &rc::TLS13_CHACHA20_POLY1305),
        ] {
            assert_eq!(ours.key_len(), theirs.key_len());
            let key = vec![0x33u8; ours.key_len()];
            let iv = [0x44u8; 12];
            for payload in [&b""[..], b"hi", &[0xcd; 16384][..]] {
                let mut a = Vec::new();
                let header =
                    ours.encrypter(&key, &iv).encrypt(plain_msg(22, 0x0303, payload), 7, &mut a).unwrap();
                assert_eq!(u8::from(header.typ), 23, "TLS 1.3 records say application_data outside");
                let mut b = Vec::new();
                theirs.encrypter(&key, &iv).encrypt(plain_msg(22, 0x0303, payload), 7, &mut b).unwrap();
                assert_eq!(a, b, "same keys, same record");
                let mut dec = ours.decrypter(&key, &iv);
                let plain = dec.decrypt(opaque_msg(23, 0x0303, &mut b), 7).unwrap();
                assert_eq!((u8::from(plain.typ), &b[plain.range]), (22, payload));
                let mut c = a.clone();
                c[0] ^= 0x80;
                assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut c), 7).is_err());
                let mut c = a.clone();
                assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut c), 8).is_err());
                let mut short = a[..TAG_LEN - 1].to_vec();
                assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut short), 7).is_err());
            }
        }
    }

    /// Tickets sealed by one provider open under the other with the same key; a flipped bit or
    /// other additional data does not open; wrong key lengths are refused.
    #[test]
    fn sealing_aeads_interoperate_with_the_rustcrypto_provider() {
        use crate::crypto::rustcrypto::aead as rc;
        for (ours, theirs) in SEALING_AEADS.iter().zip(rc::SEALING_AEADS) {
            assert_eq!((ours.name(), ours.key_len()), (theirs.name(), theirs.key_len()));
            let k = vec![5u8; ours.key_len()];
            let (a, b) = (ours.key(&k).unwrap(), theirs.key(&k).unwrap());
            let nonce = [1u8; NONCE_LEN];
            let sealed = a.seal(&nonce, b"aad", b"session state");
            assert_eq!(sealed, b.seal(&nonce, b"aad", b"session state"));
            assert_eq!(b.open(&nonce, b"aad", &sealed).unwrap().as_slice(), b"session state");
            assert!(a.open(&nonce, b"other", &sealed).is_none());
            let mut bad = sealed.clone();
            bad[3] ^= 1;
            assert!(a.open(&nonce, b"aad", &bad).is_none());
            assert!(a.open(&nonce, b"aad", &sealed[..TAG_LEN - 1]).is_none());
            assert!(ours.key(&k[1..]).is_none());
        }
    }
}
