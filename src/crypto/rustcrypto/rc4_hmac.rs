//! RC4-128 with HMAC for TLS 1.0–1.2 records (RFC 5246 §6.2.3.1). Legacy only (RFC 7465
//! prohibits RC4 in TLS; kept for the legacy profile's old peers).
//!
//! A stream cipher record is `E(content ‖ MAC(seq ‖ type ‖ version ‖ length ‖ content))`: no
//! IV, no padding, and RFC 7366 encrypt-then-MAC never applies (§2 of that RFC: block ciphers
//! only). The keystream runs on across records, so each direction keeps its `Rc4` state.

use core::marker::PhantomData;

use cipher::{KeyInit, StreamCipher};
use hmac::digest::Output;
use hmac::Mac;
use subtle::ConstantTimeEq;

use super::hash::{keyed, KnownHash};
use crate::crypto::{
    DecryptError, EncryptError, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams, Tls12RecordAlgorithm,
};

/// RC4-128 with HMAC-SHA1 (`TLS_RSA_WITH_RC4_128_SHA`).
pub static RC4_128_SHA: Rc4Hmac<sha1::Sha1> = Rc4Hmac(PhantomData);
/// RC4-128 with HMAC-MD5 (`TLS_RSA_WITH_RC4_128_MD5`).
pub static RC4_128_MD5: Rc4Hmac<md5::Md5> = Rc4Hmac(PhantomData);

/// RC4 key length for the `RC4_128` suites (RFC 5246 Appendix C).
const KEY_LEN: usize = 16;

/// [`Tls12RecordAlgorithm`] for RC4-128 with HMAC over `D`; use the statics ([`RC4_128_SHA`],
/// [`RC4_128_MD5`]).
pub struct Rc4Hmac<D>(PhantomData<fn() -> D>);

impl<D: KnownHash> Tls12RecordAlgorithm for Rc4Hmac<D> {
    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape { mac_key_len: D::ALGORITHM.output_len(), enc_key_len: KEY_LEN, fixed_iv_len: 0 }
    }

    fn encrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageEncrypter> {
        Box::new(Rc4Encrypter::<D> { rc4: rc4(keys), mac: keyed::<D>(keys.mac_key) })
    }

    fn decrypter(&self, keys: &RecordKeys<'_>, _: RecordParams) -> Box<dyn MessageDecrypter> {
        Box::new(Rc4Decrypter::<D> { rc4: rc4(keys), mac: keyed::<D>(keys.mac_key) })
    }
}

fn rc4(keys: &RecordKeys<'_>) -> rc4::Rc4 {
    // The record layer slices keys by `key_block_shape`, so a wrong length is a ferrotls bug.
    assert_eq!(keys.enc_key.len(), KEY_LEN, "RC4 key length matches key_block_shape");
    rc4::Rc4::new_from_slice(keys.enc_key).expect("16-byte RC4 keys are valid")
}

/// HMAC of `seq ‖ type ‖ version ‖ length ‖ content` (RFC 5246 §6.2.3.1).
fn record_mac<D: KnownHash>(
    key: &hmac::Hmac<D>,
    seq: u64,
    content_type: u8,
    version: u16,
    content: &[u8],
) -> Output<hmac::Hmac<D>> {
    let mut mac = key.clone();
    mac.update(&seq.to_be_bytes());
    mac.update(&[content_type]);
    mac.update(&version.to_be_bytes());
    // Fragments are at most 2^14 + 2048 bytes (RFC 5246 §6.2.3), so the length fits.
    mac.update(&(content.len() as u16).to_be_bytes());
    mac.update(content);
    mac.finalize().into_bytes()
}

/// The encrypting half of [`Rc4Hmac`].
struct Rc4Encrypter<D: KnownHash> {
    rc4: rc4::Rc4,
    mac: hmac::Hmac<D>,
}

impl<D: KnownHash> MessageEncrypter for Rc4Encrypter<D> {
    fn encrypted_payload_len(&self, plain_len: usize) -> usize {
        plain_len + D::ALGORITHM.output_len()
    }

    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        let (content_type, version, plaintext) = (u8::from(msg.typ), u16::from(msg.version), msg.payload);
        out.reserve(self.encrypted_payload_len(plaintext.len()));
        let start = out.len();
        out.extend_from_slice(plaintext);
        out.extend_from_slice(&record_mac(&self.mac, seq, content_type, version, plaintext));
        self.rc4.apply_keystream(&mut out[start..]);
        Ok(OpaqueHeader { typ: msg.typ, version: msg.version })
    }
}

/// The decrypting half of [`Rc4Hmac`].
struct Rc4Decrypter<D: KnownHash> {
    rc4: rc4::Rc4,
    mac: hmac::Hmac<D>,
}

impl<D: KnownHash> MessageDecrypter for Rc4Decrypter<D> {
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError> {
        let (typ, version, fragment) = (msg.typ, msg.version, msg.payload);
        let (content_type, version_u16) = (u8::from(typ), u16::from(version));
        let mac_len = D::ALGORITHM.output_len();
        // Public length check; with no padding there is no padding oracle to hide.
        if fragment.len() < mac_len {
            return Err(DecryptError::BadRecordMac);
        }
        self.rc4.apply_keystream(fragment);
        let (content, tag) = fragment.split_at(fragment.len() - mac_len);
        let expected = record_mac(&self.mac, seq, content_type, version_u16, content);
        if bool::from(expected.as_slice().ct_eq(tag)) {
            Ok(InboundPlainMessage { typ, version, range: 0..content.len() })
        } else {
            Err(DecryptError::BadRecordMac)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::rand::SYSTEM_RANDOM;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg};

    fn pair(
        alg: &dyn Tls12RecordAlgorithm,
        version: u16,
    ) -> (Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>) {
        let shape = alg.key_block_shape();
        let mac: Vec<u8> = (0..shape.mac_key_len as u8).collect();
        let enc: Vec<u8> = (0x30..0x30 + shape.enc_key_len as u8).collect();
        let keys = RecordKeys { mac_key: &mac, enc_key: &enc, iv: &[] };
        // encrypt_then_mac is ignored for stream ciphers.
        let params = RecordParams { version: version.into(), encrypt_then_mac: true, random: &SYSTEM_RANDOM };
        (alg.encrypter(&keys, params), alg.decrypter(&keys, params))
    }

    fn algorithms() -> [(&'static str, &'static dyn Tls12RecordAlgorithm); 2] {
        [("RC4-SHA", &RC4_128_SHA), ("RC4-MD5", &RC4_128_MD5)]
    }

    #[test]
    fn rc4_suites_round_trip_consecutive_records_in_every_version() {
        for (name, alg) in algorithms() {
            assert_eq!(alg.key_block_shape().fixed_iv_len, 0);
            for version in [0x0301, 0x0302, 0x0303] {
                let (mut enc, mut dec) = pair(alg, version);
                for (seq, len) in [0usize, 1, 100, 16384].into_iter().enumerate() {
                    let plain: Vec<u8> = (0..len).map(|i| i as u8).collect();
                    let mut record = Vec::new();
                    enc.encrypt(plain_msg(23, version, &plain), seq as u64, &mut record).unwrap();
                    assert_eq!(record.len(), enc.encrypted_payload_len(len));
                    let range = dec
                        .decrypt(opaque_msg(23, version, &mut record), seq as u64)
                        .map(|m| m.range)
                        .unwrap();
                    assert_eq!(record[range], plain[..], "{name} {version:#x}");
                }
            }
        }
    }

    #[test]
    fn rc4_record_matches_keystream_xor_content_and_hmac() {
        let (mut enc, _) = pair(&RC4_128_SHA, 0x0303);
        let mut record = Vec::new();
        enc.encrypt(plain_msg(23, 0x0303, b"abc"), 4, &mut record).unwrap();
        let mut cipher = rc4::Rc4::new_from_slice(&(0x30..0x40).collect::<Vec<u8>>()).unwrap();
        cipher.apply_keystream(&mut record);
        let mac = (0..20u8).collect::<Vec<u8>>();
        let mut h = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&mac).unwrap();
        h.update(&[0, 0, 0, 0, 0, 0, 0, 4, 23, 3, 3, 0, 3, b'a', b'b', b'c']);
        assert_eq!(&record[..3], b"abc");
        assert_eq!(&record[3..], &h.finalize().into_bytes()[..]);
    }

    #[test]
    fn flipped_bit_wrong_seq_or_short_fragment_gives_bad_record_mac() {
        for (name, alg) in algorithms() {
            let (mut enc, _) = pair(alg, 0x0303);
            let mut record = Vec::new();
            enc.encrypt(plain_msg(23, 0x0303, b"stream cipher record"), 0, &mut record).unwrap();
            for i in 0..record.len() {
                let (_, mut dec) = pair(alg, 0x0303);
                let mut tampered = record.clone();
                tampered[i] ^= 0x04;
                assert_eq!(
                    dec.decrypt(opaque_msg(23, 0x0303, &mut tampered), 0).map(|m| m.range),
                    Err(DecryptError::BadRecordMac),
                    "{name} {i}"
                );
            }
            let (_, mut dec) = pair(alg, 0x0303);
            assert_eq!(
                dec.decrypt(opaque_msg(23, 0x0303, &mut record.clone()), 1).map(|m| m.range),
                Err(DecryptError::BadRecordMac)
            );
            let (_, mut dec) = pair(alg, 0x0303);
            let short = alg.key_block_shape().mac_key_len - 1;
            assert_eq!(
                dec.decrypt(opaque_msg(23, 0x0303, &mut record[..short]), 0).map(|m| m.range),
                Err(DecryptError::BadRecordMac)
            );
        }
    }

    #[test]
    fn rc4_keystream_continues_so_records_must_be_decrypted_in_order() {
        let (mut enc, _) = pair(&RC4_128_SHA, 0x0303);
        let (mut r1, mut r2) = (Vec::new(), Vec::new());
        enc.encrypt(plain_msg(23, 0x0303, b"one"), 0, &mut r1).unwrap();
        enc.encrypt(plain_msg(23, 0x0303, b"two"), 1, &mut r2).unwrap();
        let (_, mut dec) = pair(&RC4_128_SHA, 0x0303);
        assert_eq!(
            dec.decrypt(opaque_msg(23, 0x0303, &mut r2.clone()), 1).map(|m| m.range),
            Err(DecryptError::BadRecordMac)
        );
        let (_, mut dec) = pair(&RC4_128_SHA, 0x0303);
        assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut r1), 0).map(|m| m.range).is_ok());
        assert!(dec.decrypt(opaque_msg(23, 0x0303, &mut r2), 1).map(|m| m.range).is_ok());
    }
}
