//! HKDF (RFC 5869) over aws-lc-rs, for the TLS 1.3 key schedule (RFC 8446 §7.1).
//!
//! aws-lc-rs keeps an extracted PRK opaque, while the key schedule hands PRKs around as bytes
//! (each secret is the next step's PRK): Extract is therefore the HMAC it is defined as
//! (RFC 5869 §2.2, `PRK = HMAC-Hash(salt, IKM)`), and Expand takes the PRK bytes back in.
#![forbid(unsafe_code)]

use aws_lc_rs::hkdf::{self, KeyType, Prk};
use aws_lc_rs::hmac as aws_hmac;

use crate::crypto::{self, HashAlgorithm, HashOutput, HkdfOutputTooLong};

/// [`crypto::Hkdf`] over one aws-lc hash; use the statics.
pub struct Hkdf {
    alg: HashAlgorithm,
    hkdf: hkdf::Algorithm,
    hmac: aws_hmac::Algorithm,
}

/// HKDF-SHA256 (TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256).
pub static HKDF_SHA256: Hkdf =
    Hkdf { alg: HashAlgorithm::Sha256, hkdf: hkdf::HKDF_SHA256, hmac: aws_hmac::HMAC_SHA256 };
/// HKDF-SHA384 (TLS_AES_256_GCM_SHA384).
pub static HKDF_SHA384: Hkdf =
    Hkdf { alg: HashAlgorithm::Sha384, hkdf: hkdf::HKDF_SHA384, hmac: aws_hmac::HMAC_SHA384 };

/// An output length, as aws-lc-rs' `expand` takes it.
struct Len(usize);

impl KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

impl crypto::Hkdf for Hkdf {
    fn hash_algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    fn extract(&self, salt: &[u8], ikm: &[u8]) -> HashOutput {
        // RFC 5869 §2.2: an absent salt is HashLen zero bytes (HMAC pads a shorter key with
        // zeros to the block size, so the empty key gives the same MAC).
        let key = aws_hmac::Key::new(self.hmac, salt);
        HashOutput::new(aws_hmac::sign(&key, ikm).as_ref())
    }

    fn expand(&self, prk: &[u8], info: &[&[u8]], out: &mut [u8]) -> Result<(), HkdfOutputTooLong> {
        // Every PRK in TLS 1.3 is a HashLen secret; aws-lc-rs panics on one longer than its
        // maximum, which only a caller bug could pass: refuse it as the one error here.
        if prk.len() > self.alg.output_len() {
            return Err(HkdfOutputTooLong);
        }
        let prk = Prk::new_less_safe(self.hkdf, prk);
        let okm = prk.expand(info, Len(out.len())).map_err(|_| HkdfOutputTooLong)?;
        okm.fill(out).map_err(|_| HkdfOutputTooLong)
    }

    fn hmac_sign(&self, key: &[u8], message: &[u8]) -> HashOutput {
        HashOutput::new(aws_hmac::sign(&aws_hmac::Key::new(self.hmac, key), message).as_ref())
    }

    /// RustCrypto's HMAC, as for the TLS 1.2 PRF (`provider.rs`): the key schedule's MACs are
    /// over a block or two, where aws-lc's per-MAC setup (a keyed `HMAC_CTX` copied per MAC,
    /// EVP dispatch) costs more than the compressions; the SHA-256 compressions are SHA-NI in
    /// both.
    fn with_key(&self, key: &[u8]) -> Box<dyn crypto::HmacKey> {
        crate::crypto::rustcrypto::hash::hmac(self.alg).expect("every HKDF hash has an HMAC").with_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hkdf as rc;
    use crate::crypto::rustcrypto::test_util::unhex;
    use crate::crypto::Hkdf as _;

    #[test]
    fn rfc5869_test_case_1_and_3() {
        // RFC 5869 Appendix A.1 (info in two chunks) and A.3 (no salt, no info).
        let prk = HKDF_SHA256.extract(&unhex("000102030405060708090a0b0c"), &[0x0b; 22]);
        assert_eq!(prk.as_ref(), unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        let info = unhex("f0f1f2f3f4f5f6f7f8f9");
        let mut okm = [0u8; 42];
        HKDF_SHA256.expand(prk.as_ref(), &[&info[..3], &info[3..]], &mut okm).unwrap();
        assert_eq!(
            okm.to_vec(),
            unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        );
        let prk = HKDF_SHA256.extract(&[], &[0x0b; 22]);
        assert_eq!(prk.as_ref(), unhex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
        HKDF_SHA256.expand(prk.as_ref(), &[], &mut okm).unwrap();
        assert_eq!(
            okm.to_vec(),
            unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
        );
    }

    #[test]
    fn agrees_with_rustcrypto_and_refuses_too_long_outputs() {
        for (ours, theirs) in [
            (&HKDF_SHA256 as &dyn crypto::Hkdf, &rc::HKDF_SHA256 as &dyn crypto::Hkdf),
            (&HKDF_SHA384, &rc::HKDF_SHA384),
        ] {
            assert_eq!(ours.hash_algorithm(), theirs.hash_algorithm());
            let prk = ours.extract(b"salt", b"ikm");
            assert_eq!(prk.as_ref(), theirs.extract(b"salt", b"ikm").as_ref());
            assert_eq!(ours.extract(&[], b"ikm").as_ref(), theirs.extract(&[], b"ikm").as_ref());
            let (mut a, mut b) = ([0u8; 77], [0u8; 77]);
            ours.expand(prk.as_ref(), &[b"tls13 ", b"key"], &mut a).unwrap();
            theirs.expand(prk.as_ref(), &[b"tls13 key"], &mut b).unwrap();
            assert_eq!(a, b);
            assert_eq!(ours.hmac_sign(b"k", b"m").as_ref(), theirs.hmac_sign(b"k", b"m").as_ref());
            assert_eq!(ours.with_key(b"k").sign(&[b"m"]).as_ref(), ours.hmac_sign(b"k", b"m").as_ref());
            let mut c = [0u8; 77];
            crypto::expand_keyed(&*ours.with_key(prk.as_ref()), &[b"tls13 ", b"key"], &mut c).unwrap();
            assert_eq!(a, c);
            let n = ours.hash_algorithm().output_len();
            let mut big = vec![0u8; 255 * n + 1];
            assert_eq!(ours.expand(prk.as_ref(), &[], &mut big), Err(HkdfOutputTooLong));
            assert!(ours.expand(prk.as_ref(), &[], &mut big[..255 * n]).is_ok());
        }
    }
}
