//! Hashes and HMAC over RustCrypto's `md-5`, `sha1`, `sha2` and `hmac` crates.

use core::marker::PhantomData;

use hmac::digest::Digest;
use hmac::{EagerHash, KeyInit, Mac};

use crate::crypto::{self, HashAlgorithm, HashContext, HashOutput, HmacKey};

/// MD5 (RFC 1321). Only for the TLS 1.0/1.1 PRF, the MD5‖SHA-1 handshake hash and RC4-MD5.
pub static MD5: Hash<md5::Md5> = Hash(PhantomData);
/// SHA-1 (FIPS 180-4).
pub static SHA1: Hash<sha1::Sha1> = Hash(PhantomData);
/// SHA-256 (FIPS 180-4).
pub static SHA256: Hash<sha2::Sha256> = Hash(PhantomData);
/// SHA-384 (FIPS 180-4).
pub static SHA384: Hash<sha2::Sha384> = Hash(PhantomData);
/// SHA-512 (FIPS 180-4).
pub static SHA512: Hash<sha2::Sha512> = Hash(PhantomData);

/// HMAC-MD5 (RFC 2104).
pub static HMAC_MD5: Hmac<md5::Md5> = Hmac(PhantomData);
/// HMAC-SHA1 (RFC 2104).
pub static HMAC_SHA1: Hmac<sha1::Sha1> = Hmac(PhantomData);
/// HMAC-SHA256 (RFC 4231).
pub static HMAC_SHA256: Hmac<sha2::Sha256> = Hmac(PhantomData);
/// HMAC-SHA384 (RFC 4231).
pub static HMAC_SHA384: Hmac<sha2::Sha384> = Hmac(PhantomData);
/// HMAC-SHA512 (RFC 4231).
pub static HMAC_SHA512: Hmac<sha2::Sha512> = Hmac(PhantomData);

/// The hash implementation for `alg` (every [`HashAlgorithm`] is provided).
pub fn hash(alg: HashAlgorithm) -> Option<&'static dyn crypto::Hash> {
    Some(match alg {
        HashAlgorithm::Md5 => &MD5,
        HashAlgorithm::Sha1 => &SHA1,
        HashAlgorithm::Sha256 => &SHA256,
        HashAlgorithm::Sha384 => &SHA384,
        HashAlgorithm::Sha512 => &SHA512,
    })
}

/// The HMAC implementation over `alg` (every [`HashAlgorithm`] is provided).
pub fn hmac(alg: HashAlgorithm) -> Option<&'static dyn crypto::Hmac> {
    Some(match alg {
        HashAlgorithm::Md5 => &HMAC_MD5,
        HashAlgorithm::Sha1 => &HMAC_SHA1,
        HashAlgorithm::Sha256 => &HMAC_SHA256,
        HashAlgorithm::Sha384 => &HMAC_SHA384,
        HashAlgorithm::Sha512 => &HMAC_SHA512,
    })
}

/// A RustCrypto hash this provider knows by [`HashAlgorithm`].
///
/// `LENGTH_FIELD_LEN` is the size of the message-length field that Merkle–Damgård padding
/// appends (8 bytes for MD5, SHA-1 and SHA-256; 16 for SHA-384/512): the record layer needs it
/// to count compression-function calls for its Lucky 13 countermeasure (see `cbc_hmac.rs`).
pub trait KnownHash: EagerHash<Core: Send + Sync> + Send + Sync + 'static {
    /// Which algorithm this is.
    const ALGORITHM: HashAlgorithm;
    /// Bytes of the message-length field in the final padded block.
    const LENGTH_FIELD_LEN: usize;
}

impl KnownHash for md5::Md5 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Md5;
    const LENGTH_FIELD_LEN: usize = 8;
}

impl KnownHash for sha1::Sha1 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha1;
    const LENGTH_FIELD_LEN: usize = 8;
}

impl KnownHash for sha2::Sha256 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha256;
    const LENGTH_FIELD_LEN: usize = 8;
}

impl KnownHash for sha2::Sha384 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha384;
    const LENGTH_FIELD_LEN: usize = 16;
}

impl KnownHash for sha2::Sha512 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha512;
    const LENGTH_FIELD_LEN: usize = 16;
}

/// [`crypto::Hash`] over the RustCrypto hash `D`; use the statics ([`SHA256`], ...).
pub struct Hash<D>(PhantomData<fn() -> D>);

impl<D: KnownHash> crypto::Hash for Hash<D> {
    fn algorithm(&self) -> HashAlgorithm {
        D::ALGORITHM
    }

    fn start(&self) -> Box<dyn HashContext> {
        Box::new(Context(D::new()))
    }

    fn hash(&self, data: &[u8]) -> HashOutput {
        HashOutput::new(&D::digest(data))
    }
}

/// An incremental hash computation.
struct Context<D>(D);

impl<D: KnownHash> HashContext for Context<D> {
    fn update(&mut self, data: &[u8]) {
        Digest::update(&mut self.0, data);
    }

    fn fork_finish(&self) -> HashOutput {
        HashOutput::new(&self.0.clone().finalize())
    }

    fn finish(self: Box<Self>) -> HashOutput {
        HashOutput::new(&self.0.finalize())
    }
}

/// [`crypto::Hmac`] over the RustCrypto hash `D`; use the statics ([`HMAC_SHA256`], ...).
pub struct Hmac<D>(PhantomData<fn() -> D>);

impl<D: KnownHash> crypto::Hmac for Hmac<D> {
    fn hash_algorithm(&self) -> HashAlgorithm {
        D::ALGORITHM
    }

    fn with_key(&self, key: &[u8]) -> Box<dyn HmacKey> {
        Box::new(Key(keyed::<D>(key)))
    }
}

/// HMAC keyed with `key`: the inner and outer pads are absorbed here, once (RFC 2104 §4 notes
/// this precomputation); every MAC then starts from a clone of this state.
pub(crate) fn keyed<D: KnownHash>(key: &[u8]) -> hmac::Hmac<D> {
    // hmac::Hmac accepts keys of any length (longer ones are hashed, RFC 2104 §2).
    <hmac::Hmac<D> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// A keyed HMAC; the key bytes are not kept, only the padded-key hash states.
struct Key<D: KnownHash>(hmac::Hmac<D>);

impl<D: KnownHash> HmacKey for Key<D> {
    fn sign(&self, chunks: &[&[u8]]) -> HashOutput {
        let mut mac = self.0.clone();
        for chunk in chunks {
            mac.update(chunk);
        }
        HashOutput::new(&mac.finalize().into_bytes())
    }

    fn tag_len(&self) -> usize {
        D::ALGORITHM.output_len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::test_util::unhex;
    use crate::crypto::Hmac as _;

    /// Known answers: FIPS 180 "abc" digests; RFC 2202 §2/§3 (MD5, SHA-1) and RFC 4231 §4.2,
    /// §4.3, §4.7 (SHA-2) HMAC test cases 1, 2 and the larger-than-block-size key case.
    /// (All re-checked with Python's hashlib/hmac.)
    const VECTORS: &[(HashAlgorithm, &str, &str, &str, &str)] = &[
        (
            HashAlgorithm::Md5,
            "900150983cd24fb0d6963f7d28e17f72",
            "9294727a3638bb1c13f48ef8158bfc9d",
            "750c783e6ab0b503eaa86e310a5db738",
            "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
        ),
        (
            HashAlgorithm::Sha1,
            "a9993e364706816aba3e25717850c26c9cd0d89d",
            "b617318655057264e28bc0b6fb378c8ef146be00",
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
        (
            HashAlgorithm::Sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            HashAlgorithm::Sha384,
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
             8086072ba1e7cc2358baeca134c825a7",
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c\
             faea9ea9076ede7f4af152e8b2fa9cb6",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
             8e2240ca5e69e2c78b3239ecfab21649",
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6\
             0c2ef6ab4030fe8296248df163f44952",
        ),
        (
            HashAlgorithm::Sha512,
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde\
             daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352\
             6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        ),
    ];

    #[test]
    fn hashes_match_fips_180_abc_digests() {
        for &(alg, abc, ..) in VECTORS {
            let h = hash(alg).unwrap();
            assert_eq!(h.algorithm(), alg);
            assert_eq!(h.hash(b"abc").as_ref(), unhex(abc), "{alg:?}");
        }
    }

    #[test]
    fn incremental_hashing_matches_one_shot_and_fork_finish_keeps_going() {
        for &(alg, abc, ..) in VECTORS {
            let mut ctx = hash(alg).unwrap().start();
            ctx.update(b"a");
            ctx.update(b"bc");
            assert_eq!(ctx.fork_finish().as_ref(), unhex(abc), "{alg:?}");
            ctx.update(b"d");
            assert_eq!(ctx.finish().as_ref(), hash(alg).unwrap().hash(b"abcd").as_ref());
        }
    }

    #[test]
    fn hmacs_match_rfc_2202_and_rfc_4231_vectors() {
        for &(alg, _, tc1, tc2, big_key) in VECTORS {
            let hmac = hmac(alg).unwrap();
            assert_eq!(hmac.hash_algorithm(), alg);
            let key1 = vec![0x0b; if alg == HashAlgorithm::Md5 { 16 } else { 20 }];
            let k = hmac.with_key(&key1);
            assert_eq!(k.tag_len(), alg.output_len());
            assert_eq!(k.sign(&[b"Hi There"]).as_ref(), unhex(tc1), "{alg:?} tc1");
            let k = hmac.with_key(b"Jefe");
            assert_eq!(
                k.sign(&[b"what do ya ", b"", b"want for nothing?"]).as_ref(),
                unhex(tc2),
                "{alg:?} tc2 (chunked)"
            );
            let long = matches!(alg, HashAlgorithm::Md5 | HashAlgorithm::Sha1);
            let key3 = vec![0xaa; if long { 80 } else { 131 }];
            let k = hmac.with_key(&key3);
            let msg = b"Test Using Larger Than Block-Size Key - Hash Key First";
            assert_eq!(k.sign(&[msg]).as_ref(), unhex(big_key), "{alg:?} big key");
        }
    }

    #[test]
    fn hmac_key_signs_repeatedly_with_the_same_result() {
        let k = HMAC_SHA256.with_key(b"Jefe");
        let a = k.sign(&[b"what do ya want for nothing?"]);
        let b = k.sign(&[b"what do ya want for nothing?"]);
        assert_eq!(a.as_ref(), b.as_ref());
    }

    #[test]
    fn hmac_rejects_a_flipped_message_bit() {
        let k = HMAC_SHA1.with_key(b"Jefe");
        let good = k.sign(&[b"what do ya want for nothing?"]);
        let bad = k.sign(&[b"what do ya want for nothinf?"]);
        assert_ne!(good.as_ref(), bad.as_ref());
    }
}
