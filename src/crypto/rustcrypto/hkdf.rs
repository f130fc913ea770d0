//! HKDF (RFC 5869) over RustCrypto's `hkdf` crate, for the TLS 1.3 key schedule.

use core::marker::PhantomData;

use super::hash::{keyed, KnownHash};
use crate::crypto::{self, HashAlgorithm, HashOutput, HkdfOutputTooLong};
use hmac::Mac;

/// HKDF-SHA256 (TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256).
pub static HKDF_SHA256: Hkdf<sha2::Sha256> = Hkdf(PhantomData);
/// HKDF-SHA384 (TLS_AES_256_GCM_SHA384).
pub static HKDF_SHA384: Hkdf<sha2::Sha384> = Hkdf(PhantomData);

/// [`crypto::Hkdf`] over the RustCrypto hash `D`; use the statics.
pub struct Hkdf<D>(PhantomData<fn() -> D>);

impl<D: KnownHash> crypto::Hkdf for Hkdf<D> {
    fn hash_algorithm(&self) -> HashAlgorithm {
        D::ALGORITHM
    }

    fn extract(&self, salt: &[u8], ikm: &[u8]) -> HashOutput {
        // RFC 5869 §2.2: "if not provided, [salt] is set to a string of HashLen zeros"; the
        // crate does that for `None`.
        let salt = (!salt.is_empty()).then_some(salt);
        let (prk, _) = hkdf::Hkdf::<D>::extract(salt, ikm);
        HashOutput::new(&prk)
    }

    fn expand(&self, prk: &[u8], info: &[&[u8]], out: &mut [u8]) -> Result<(), HkdfOutputTooLong> {
        // Every PRK in TLS 1.3 is a HashLen secret; a shorter one is a caller bug that the
        // crate reports, and we report it as the one error this operation has.
        let hk = hkdf::Hkdf::<D>::from_prk(prk).map_err(|_| HkdfOutputTooLong)?;
        hk.expand_multi_info(info, out).map_err(|_| HkdfOutputTooLong)
    }

    fn hmac_sign(&self, key: &[u8], message: &[u8]) -> HashOutput {
        let mut mac = keyed::<D>(key);
        mac.update(message);
        HashOutput::new(&mac.finalize().into_bytes())
    }

    fn with_key(&self, key: &[u8]) -> Box<dyn crypto::HmacKey> {
        super::hash::hmac(D::ALGORITHM).expect("every HKDF hash has an HMAC").with_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::unhex;
    use crate::crypto::Hkdf as _;

    #[test]
    fn rfc5869_test_case_1_sha256() {
        // RFC 5869 Appendix A.1.
        let ikm = [0x0b; 22];
        let salt = unhex("000102030405060708090a0b0c");
        let info = unhex("f0f1f2f3f4f5f6f7f8f9");
        let prk = HKDF_SHA256.extract(&salt, &ikm);
        assert_eq!(prk.as_ref(), unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        let mut okm = [0u8; 42];
        // The info in two chunks gives the same output as in one.
        HKDF_SHA256.expand(prk.as_ref(), &[&info[..3], &info[3..]], &mut okm).unwrap();
        assert_eq!(
            okm.to_vec(),
            unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        );
    }

    #[test]
    fn rfc5869_test_case_3_empty_salt_and_info() {
        // RFC 5869 Appendix A.3: salt and info of zero length.
        let prk = HKDF_SHA256.extract(&[], &[0x0b; 22]);
        assert_eq!(prk.as_ref(), unhex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
        let mut okm = [0u8; 42];
        HKDF_SHA256.expand(prk.as_ref(), &[], &mut okm).unwrap();
        assert_eq!(
            okm.to_vec(),
            unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
        );
    }

    #[test]
    fn expand_refuses_more_than_255_blocks() {
        let prk = HKDF_SHA384.extract(&[], b"ikm");
        let mut big = vec![0u8; 255 * 48 + 1];
        assert_eq!(HKDF_SHA384.expand(prk.as_ref(), &[], &mut big), Err(HkdfOutputTooLong));
        assert!(HKDF_SHA384.expand(prk.as_ref(), &[], &mut big[..255 * 48]).is_ok());
    }

    #[test]
    fn hmac_sign_matches_rfc4231_case_2() {
        let tag = HKDF_SHA256.hmac_sign(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(tag.as_ref(), unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }
}
