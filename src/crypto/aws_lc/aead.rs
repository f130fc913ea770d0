//! TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3) over aws-lc-rs: AES-128-GCM and
//! AES-256-GCM (RFC 5288) and ChaCha20-Poly1305 (RFC 7905).
//!
//! The constructions (nonce from salt and explicit part or from the XORed IV, the additional
//! data, the AES-GCM usage limit) are the same functions the RustCrypto provider uses
//! (`rustcrypto::aead`), so the two providers cannot disagree on the wire; only the cipher
//! differs. Records are sealed in the output buffer (one copy of the plaintext) and opened in
//! place.
#![forbid(unsafe_code)]

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey};

use crate::crypto::rustcrypto::aead::{
    gcm_explicit_nonce, gcm_nonce, tls12_aad, xor_nonce, AeadAlgorithm, GCM_EXPLICIT_NONCE_LEN, GCM_SALT_LEN,
    NONCE_LEN, TAG_LEN,
};
use crate::crypto::{
    DecryptError, EncryptError, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams, Tls12RecordAlgorithm,
};

/// [`Tls12RecordAlgorithm`] for one AEAD; use the statics.
pub struct AeadRecord(AeadAlgorithm);

/// AES-128-GCM records (`TLS_*_WITH_AES_128_GCM_SHA256`, RFC 5288).
pub static AES_128_GCM: AeadRecord = AeadRecord(AeadAlgorithm::Aes128Gcm);
/// AES-256-GCM records (`TLS_*_WITH_AES_256_GCM_SHA384`, RFC 5288).
pub static AES_256_GCM: AeadRecord = AeadRecord(AeadAlgorithm::Aes256Gcm);
/// ChaCha20-Poly1305 records (`TLS_*_WITH_CHACHA20_POLY1305_SHA256`, RFC 7905).
pub static CHACHA20_POLY1305: AeadRecord = AeadRecord(AeadAlgorithm::ChaCha20Poly1305);

/// The implicit IV material of one direction.
enum Iv {
    /// AES-GCM: the 4-byte salt; the other 8 nonce bytes travel with each record.
    Salt([u8; GCM_SALT_LEN]),
    /// ChaCha20-Poly1305: the 12-byte IV the sequence number is XORed into.
    Xor([u8; NONCE_LEN]),
}

/// One direction's key and IV.
struct RecordKey {
    alg: AeadAlgorithm,
    key: LessSafeKey,
    iv: Iv,
}

impl AeadRecord {
    fn record_key(&self, keys: &RecordKeys<'_>) -> RecordKey {
        let lc = match self.0 {
            AeadAlgorithm::Aes128Gcm => &aws_lc_rs::aead::AES_128_GCM,
            AeadAlgorithm::Aes256Gcm => &aws_lc_rs::aead::AES_256_GCM,
            AeadAlgorithm::ChaCha20Poly1305 => &aws_lc_rs::aead::CHACHA20_POLY1305,
        };
        // The record layer slices the key block by `key_block_shape`: a wrong length is our bug.
        let key =
            LessSafeKey::new(UnboundKey::new(lc, keys.enc_key).expect("key block sliced by key_block_shape"));
        let iv = match self.0 {
            AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm => {
                Iv::Salt(keys.iv.try_into().expect("key block sliced by key_block_shape"))
            }
            AeadAlgorithm::ChaCha20Poly1305 => {
                Iv::Xor(keys.iv.try_into().expect("key block sliced by key_block_shape"))
            }
        };
        RecordKey { alg: self.0, key, iv }
    }
}

impl Tls12RecordAlgorithm for AeadRecord {
    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            mac_key_len: 0,
            enc_key_len: self.0.key_len(),
            fixed_iv_len: self.0.tls12_fixed_iv_len(),
        }
    }

    fn encrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageEncrypter> {
        Box::new(Encrypter(self.record_key(keys)))
    }

    fn decrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageDecrypter> {
        Box::new(Decrypter(self.record_key(keys)))
    }
}

struct Encrypter(RecordKey);

impl MessageEncrypter for Encrypter {
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + self.0.alg.tls12_explicit_nonce_len() + TAG_LEN
    }

    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        let k = &self.0;
        // RFC 8446 §5.5's AES-GCM limit holds for TLS 1.2 too, which cannot rekey (renegotiation
        // is refused): the connection ends instead.
        if seq >= k.alg.confidentiality_limit() {
            return Err(EncryptError::KeyExhausted);
        }
        let aad = tls12_aad(seq, u8::from(msg.typ), u16::from(msg.version), msg.payload.len());
        let start = out.len();
        out.reserve(self.encrypted_payload_len(msg.payload.len()));
        let nonce = match &k.iv {
            Iv::Salt(salt) => {
                let explicit = gcm_explicit_nonce(seq);
                out.extend_from_slice(&explicit);
                gcm_nonce(salt, &explicit)
            }
            Iv::Xor(iv) => xor_nonce(iv, seq),
        };
        let body = out.len();
        out.extend_from_slice(msg.payload);
        match k.key.seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut out[body..],
        ) {
            Ok(tag) => {
                out.extend_from_slice(tag.as_ref());
                Ok(OpaqueHeader { typ: msg.typ, version: msg.version })
            }
            Err(_) => {
                // Leave `out` as it was: no plaintext may be sent by mistake.
                out.truncate(start);
                Err(EncryptError::KeyExhausted)
            }
        }
    }
}

struct Decrypter(RecordKey);

impl MessageDecrypter for Decrypter {
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError> {
        let k = &self.0;
        let explicit_len = k.alg.tls12_explicit_nonce_len();
        let fragment = msg.payload;
        let plain_len =
            fragment.len().checked_sub(explicit_len + TAG_LEN).ok_or(DecryptError::BadRecordMac)?;
        let nonce = match &k.iv {
            Iv::Salt(salt) => {
                let explicit: &[u8; GCM_EXPLICIT_NONCE_LEN] =
                    fragment[..GCM_EXPLICIT_NONCE_LEN].try_into().expect("length checked");
                gcm_nonce(salt, explicit)
            }
            Iv::Xor(iv) => xor_nonce(iv, seq),
        };
        let aad = tls12_aad(seq, u8::from(msg.typ), u16::from(msg.version), plain_len);
        k.key
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut fragment[explicit_len..])
            .map_err(|_| DecryptError::BadRecordMac)?;
        Ok(InboundPlainMessage {
            typ: msg.typ,
            version: msg.version,
            range: explicit_len..explicit_len + plain_len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};
    use crate::crypto::rustcrypto::SYSTEM_RANDOM;
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
}
