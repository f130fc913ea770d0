//! Certificate signature verification for rustls-webpki over aws-lc-rs.
//!
//! Each algorithm carries the same identifiers (and so the same policy: which algorithms exist
//! in the default and the legacy lists) as the RustCrypto one it stands beside. aws-lc checks
//! RSA keys of 2048 to 8192 bits; our policy accepts 1024-bit issuers too (see
//! `rustcrypto::signature_verify`), so a signature aws-lc refuses is checked again by RustCrypto,
//! which accepts exactly what the RustCrypto provider accepts. The outcome is therefore the
//! RustCrypto provider's, at aws-lc's speed on the common path. Ed25519 stays RustCrypto's
//! (`verify_strict`, which also refuses small-order keys and `R` values).
#![forbid(unsafe_code)]

use aws_lc_rs::signature::{self as lc, UnparsedPublicKey, VerificationAlgorithm};
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use crate::crypto::rustcrypto::signature_verify as rc;
use crate::crypto::rustcrypto::signature_verify_modern as rc_modern;

/// aws-lc first; RustCrypto for what aws-lc refuses.
struct Fast {
    fast: &'static dyn VerificationAlgorithm,
    same: &'static dyn SignatureVerificationAlgorithm,
}

impl core::fmt::Debug for Fast {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "aws-lc {:?}", self.same)
    }
}

impl SignatureVerificationAlgorithm for Fast {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        if UnparsedPublicKey::new(self.fast, public_key).verify(message, signature).is_ok() {
            return Ok(());
        }
        self.same.verify_signature(public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.same.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.same.signature_alg_id()
    }
}

static RSA_PKCS1_SHA256: Fast = Fast { fast: &lc::RSA_PKCS1_2048_8192_SHA256, same: rc::RSA_PKCS1_SHA256 };
static RSA_PKCS1_SHA384: Fast = Fast { fast: &lc::RSA_PKCS1_2048_8192_SHA384, same: rc::RSA_PKCS1_SHA384 };
static RSA_PKCS1_SHA512: Fast = Fast { fast: &lc::RSA_PKCS1_2048_8192_SHA512, same: rc::RSA_PKCS1_SHA512 };
static RSA_PKCS1_SHA1: Fast =
    Fast { fast: &lc::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, same: rc::RSA_PKCS1_SHA1 };
static RSA_PSS_SHA256: Fast = Fast { fast: &lc::RSA_PSS_2048_8192_SHA256, same: rc::RSA_PSS_SHA256 };
static RSA_PSS_SHA384: Fast = Fast { fast: &lc::RSA_PSS_2048_8192_SHA384, same: rc::RSA_PSS_SHA384 };
static RSA_PSS_SHA512: Fast = Fast { fast: &lc::RSA_PSS_2048_8192_SHA512, same: rc::RSA_PSS_SHA512 };
static ECDSA_P256_SHA256: Fast =
    Fast { fast: &lc::ECDSA_P256_SHA256_ASN1, same: rc_modern::ECDSA_P256_SHA256 };
static ECDSA_P256_SHA384: Fast =
    Fast { fast: &lc::ECDSA_P256_SHA384_ASN1, same: rc_modern::ECDSA_P256_SHA384 };
static ECDSA_P384_SHA256: Fast =
    Fast { fast: &lc::ECDSA_P384_SHA256_ASN1, same: rc_modern::ECDSA_P384_SHA256 };
static ECDSA_P384_SHA384: Fast =
    Fast { fast: &lc::ECDSA_P384_SHA384_ASN1, same: rc_modern::ECDSA_P384_SHA384 };

/// The default list: the RustCrypto provider's `SIGNATURE_ALGORITHMS`, algorithm for algorithm.
pub static SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &RSA_PKCS1_SHA256,
    &RSA_PKCS1_SHA384,
    &RSA_PKCS1_SHA512,
    &RSA_PSS_SHA256,
    &RSA_PSS_SHA384,
    &RSA_PSS_SHA512,
    &ECDSA_P256_SHA256,
    &ECDSA_P256_SHA384,
    &ECDSA_P384_SHA256,
    &ECDSA_P384_SHA384,
    rc_modern::ED25519,
];

/// The legacy list: the default plus RSA PKCS#1 v1.5 with SHA-1, as for RustCrypto.
pub static LEGACY_SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &RSA_PKCS1_SHA256,
    &RSA_PKCS1_SHA384,
    &RSA_PKCS1_SHA512,
    &RSA_PSS_SHA256,
    &RSA_PSS_SHA384,
    &RSA_PSS_SHA512,
    &ECDSA_P256_SHA256,
    &ECDSA_P256_SHA384,
    &ECDSA_P384_SHA256,
    &ECDSA_P384_SHA384,
    rc_modern::ED25519,
    &RSA_PKCS1_SHA1,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_carry_the_rustcrypto_identifiers_in_the_same_order() {
        for (ours, theirs) in [
            (SIGNATURE_ALGORITHMS, rc::SIGNATURE_ALGORITHMS),
            (LEGACY_SIGNATURE_ALGORITHMS, rc::LEGACY_SIGNATURE_ALGORITHMS),
        ] {
            assert_eq!(ours.len(), theirs.len());
            for (a, b) in ours.iter().zip(theirs) {
                assert_eq!(a.signature_alg_id(), b.signature_alg_id());
                assert_eq!(a.public_key_alg_id(), b.public_key_alg_id());
            }
        }
    }
}
