//! SHA-1 and SHA-2 hashes and their HMACs over aws-lc-rs (`digest`, `hmac`). MD5 is not here:
//! aws-lc-rs has none, and the few places TLS still needs it (the TLS 1.0/1.1 PRF and handshake
//! hash, RC4-MD5 records) use RustCrypto's, which the provider mixes in.
#![forbid(unsafe_code)]

use aws_lc_rs::digest::{Algorithm as DigestAlgorithm, Context as DigestContext};
use aws_lc_rs::hmac::{Algorithm as HmacAlgorithm, Context as HmacContext, Key as HmacKeyInner};

use crate::crypto::{self, HashAlgorithm, HashContext, HashOutput, HmacKey};

/// [`crypto::Hash`] over one aws-lc digest; use the statics.
pub struct Hash {
    alg: HashAlgorithm,
    digest: &'static DigestAlgorithm,
}

/// SHA-1 (handshake hash of TLS 1.0/1.1 and the HMAC-SHA1 of CBC suites).
pub static SHA1: Hash =
    Hash { alg: HashAlgorithm::Sha1, digest: &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY };
/// SHA-256.
pub static SHA256: Hash = Hash { alg: HashAlgorithm::Sha256, digest: &aws_lc_rs::digest::SHA256 };
/// SHA-384.
pub static SHA384: Hash = Hash { alg: HashAlgorithm::Sha384, digest: &aws_lc_rs::digest::SHA384 };
/// SHA-512.
pub static SHA512: Hash = Hash { alg: HashAlgorithm::Sha512, digest: &aws_lc_rs::digest::SHA512 };

/// [`crypto::Hmac`] over one aws-lc HMAC; use the statics.
pub struct Hmac {
    alg: HashAlgorithm,
    hmac: HmacAlgorithm,
}

/// HMAC-SHA1.
pub static HMAC_SHA1: Hmac =
    Hmac { alg: HashAlgorithm::Sha1, hmac: aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY };
/// HMAC-SHA256 (the TLS 1.2 PRF of most suites).
pub static HMAC_SHA256: Hmac = Hmac { alg: HashAlgorithm::Sha256, hmac: aws_lc_rs::hmac::HMAC_SHA256 };
/// HMAC-SHA384 (the PRF of the SHA-384 suites).
pub static HMAC_SHA384: Hmac = Hmac { alg: HashAlgorithm::Sha384, hmac: aws_lc_rs::hmac::HMAC_SHA384 };
/// HMAC-SHA512.
pub static HMAC_SHA512: Hmac = Hmac { alg: HashAlgorithm::Sha512, hmac: aws_lc_rs::hmac::HMAC_SHA512 };

/// The hash for `alg`: aws-lc's SHA-1/SHA-2, RustCrypto's MD5.
pub fn hash(alg: HashAlgorithm) -> Option<&'static dyn crypto::Hash> {
    Some(match alg {
        HashAlgorithm::Md5 => return crate::crypto::rustcrypto::hash::hash(alg),
        HashAlgorithm::Sha1 => &SHA1,
        HashAlgorithm::Sha256 => &SHA256,
        HashAlgorithm::Sha384 => &SHA384,
        HashAlgorithm::Sha512 => &SHA512,
    })
}

/// The HMAC over `alg`: aws-lc's for SHA-1/SHA-2, RustCrypto's HMAC-MD5.
pub fn hmac(alg: HashAlgorithm) -> Option<&'static dyn crypto::Hmac> {
    Some(match alg {
        HashAlgorithm::Md5 => return crate::crypto::rustcrypto::hash::hmac(alg),
        HashAlgorithm::Sha1 => &HMAC_SHA1,
        HashAlgorithm::Sha256 => &HMAC_SHA256,
        HashAlgorithm::Sha384 => &HMAC_SHA384,
        HashAlgorithm::Sha512 => &HMAC_SHA512,
    })
}

impl crypto::Hash for Hash {
    fn algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    fn start(&self) -> Box<dyn HashContext> {
        Box::new(Context(DigestContext::new(self.digest)))
    }

    fn hash(&self, data: &[u8]) -> HashOutput {
        HashOutput::new(aws_lc_rs::digest::digest(self.digest, data).as_ref())
    }
}

struct Context(DigestContext);

impl HashContext for Context {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    fn fork_finish(&self) -> HashOutput {
        HashOutput::new(self.0.clone().finish().as_ref())
    }

    fn finish(self: Box<Self>) -> HashOutput {
        HashOutput::new(self.0.finish().as_ref())
    }
}

impl crypto::Hmac for Hmac {
    fn hash_algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    fn with_key(&self, key: &[u8]) -> Box<dyn HmacKey> {
        Box::new(Key(HmacKeyInner::new(self.hmac, key), self.alg.output_len()))
    }
}

/// A keyed HMAC: aws-lc keeps the padded-key state, and each MAC starts from a copy of it.
struct Key(HmacKeyInner, usize);

impl HmacKey for Key {
    fn sign(&self, chunks: &[&[u8]]) -> HashOutput {
        let mut ctx = HmacContext::with_key(&self.0);
        for chunk in chunks {
            ctx.update(chunk);
        }
        HashOutput::new(ctx.sign().as_ref())
    }

    fn tag_len(&self) -> usize {
        self.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hash as rc;
    use crate::crypto::Hash as _;

    #[test]
    fn hashes_and_hmacs_agree_with_rustcrypto() {
        let data: Vec<u8> = (0..300u16).map(|i| i as u8).collect();
        for alg in [
            HashAlgorithm::Md5,
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            let ours = hash(alg).unwrap();
            let theirs = rc::hash(alg).unwrap();
            assert_eq!(ours.algorithm(), alg);
            assert_eq!(ours.hash(&data).as_ref(), theirs.hash(&data).as_ref(), "{alg:?}");
            let mut ctx = ours.start();
            ctx.update(&data[..100]);
            let early = ctx.fork_finish();
            ctx.update(&data[100..]);
            assert_eq!(early.as_ref(), theirs.hash(&data[..100]).as_ref());
            assert_eq!(ctx.finish().as_ref(), theirs.hash(&data).as_ref());
            for key in [&b"k"[..], &[0x5a; 200][..]] {
                let a = hmac(alg).unwrap().with_key(key);
                let b = rc::hmac(alg).unwrap().with_key(key);
                assert_eq!(a.tag_len(), alg.output_len());
                assert_eq!(a.sign(&[&data[..7], &data[7..]]).as_ref(), b.sign(&[&data]).as_ref(), "{alg:?}");
            }
        }
    }

    #[test]
    fn sha256_known_answer() {
        // FIPS 180-2 Appendix B.1: SHA-256("abc").
        let want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let got: String = SHA256.hash(b"abc").as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, want);
    }
}
