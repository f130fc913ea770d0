//! Certificate signature verification algorithms for rustls-webpki, backed by the `rsa` crate.
//!
//! webpki chooses an algorithm by comparing, byte for byte, a certificate's `signatureAlgorithm`
//! with [`SignatureVerificationAlgorithm::signature_alg_id`] and the issuer's SPKI algorithm with
//! [`SignatureVerificationAlgorithm::public_key_alg_id`]; the list handed to webpki is therefore
//! the policy. A signature algorithm missing from the list fails path building with
//! `UnsupportedSignatureAlgorithm`, which is how SHA-1 is refused outside the legacy profile.
//!
//! Key size policy: the `rsa` crate's `PublicKey::new` accepts moduli of 1024 to 8192 bits. We
//! keep that range on purpose. 1024-bit issuers survive in legacy devices and private PKIs that
//! ferrotls is meant to reach (CA/B Forum Baseline Requirements §6.1.5 have required 2048 bits for
//! public CAs since 2014, so the public web does not produce them), and above 8192 bits a single
//! verification becomes a denial-of-service lever (RFC 8017 sets no maximum; rustls/ring use the
//! same 8192-bit cap).

use core::marker::PhantomData;

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::signature::Verifier;
use rsa::{pkcs1v15, pss, PublicKey as RsaPublicKey};
use rustls_pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use sha1::Sha1;
use sha2::digest::const_oid::AssociatedOid;
use sha2::digest::FixedOutputReset;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::signature_verify_modern as modern;

/// Accepted by default: RSA PKCS#1 v1.5 with SHA-256/384/512, RSA-PSS (RFC 4055) with
/// SHA-256/384/512, ECDSA P-256/P-384 with SHA-256/384 and Ed25519 (`signature_verify_modern.rs`).
/// No SHA-1 (RFC 9155 deprecates it for TLS 1.2 signatures; SHAttered showed practical
/// collisions) and never MD5 (RFC 6151).
pub static SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    RSA_PKCS1_SHA256,
    RSA_PKCS1_SHA384,
    RSA_PKCS1_SHA512,
    RSA_PSS_SHA256,
    RSA_PSS_SHA384,
    RSA_PSS_SHA512,
    modern::ECDSA_P256_SHA256,
    modern::ECDSA_P256_SHA384,
    modern::ECDSA_P384_SHA256,
    modern::ECDSA_P384_SHA384,
    modern::ED25519,
];

/// Accepted with the legacy profile: the default set plus RSA PKCS#1 v1.5 with SHA-1, for old
/// devices whose certificates (or intermediates) were issued before the SHA-1 sunset.
pub static LEGACY_SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    RSA_PKCS1_SHA256,
    RSA_PKCS1_SHA384,
    RSA_PKCS1_SHA512,
    RSA_PSS_SHA256,
    RSA_PSS_SHA384,
    RSA_PSS_SHA512,
    modern::ECDSA_P256_SHA256,
    modern::ECDSA_P256_SHA384,
    modern::ECDSA_P384_SHA256,
    modern::ECDSA_P384_SHA384,
    modern::ED25519,
    RSA_PKCS1_SHA1,
];

/// RSA PKCS#1 v1.5 with SHA-256 (`sha256WithRSAEncryption`, RFC 4055 §5).
pub static RSA_PKCS1_SHA256: &dyn SignatureVerificationAlgorithm =
    &RsaPkcs1::<Sha256>::new("RSA_PKCS1_SHA256", alg_id::RSA_PKCS1_SHA256);

/// RSA PKCS#1 v1.5 with SHA-384 (`sha384WithRSAEncryption`, RFC 4055 §5).
pub static RSA_PKCS1_SHA384: &dyn SignatureVerificationAlgorithm =
    &RsaPkcs1::<Sha384>::new("RSA_PKCS1_SHA384", alg_id::RSA_PKCS1_SHA384);

/// RSA PKCS#1 v1.5 with SHA-512 (`sha512WithRSAEncryption`, RFC 4055 §5).
pub static RSA_PKCS1_SHA512: &dyn SignatureVerificationAlgorithm =
    &RsaPkcs1::<Sha512>::new("RSA_PKCS1_SHA512", alg_id::RSA_PKCS1_SHA512);

/// RSA PKCS#1 v1.5 with SHA-1 (`sha1WithRSAEncryption`, RFC 3279 §2.2.1). Legacy profile only.
pub static RSA_PKCS1_SHA1: &dyn SignatureVerificationAlgorithm =
    &RsaPkcs1::<Sha1>::new("RSA_PKCS1_SHA1", RSA_PKCS1_SHA1_ALG_ID);

/// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, over an `rsaEncryption` key
/// (RFC 4055 §3.1; the parameter set RFC 8446 §4.2.3 and the CA/B Forum allow).
pub static RSA_PSS_SHA256: &dyn SignatureVerificationAlgorithm =
    &RsaPss::<Sha256>::new("RSA_PSS_SHA256", alg_id::RSA_PSS_SHA256);

/// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt, over an `rsaEncryption` key.
pub static RSA_PSS_SHA384: &dyn SignatureVerificationAlgorithm =
    &RsaPss::<Sha384>::new("RSA_PSS_SHA384", alg_id::RSA_PSS_SHA384);

/// RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt, over an `rsaEncryption` key.
pub static RSA_PSS_SHA512: &dyn SignatureVerificationAlgorithm =
    &RsaPss::<Sha512>::new("RSA_PSS_SHA512", alg_id::RSA_PSS_SHA512);

/// The contents (without the outer SEQUENCE, as pki-types stores them) of the
/// `sha1WithRSAEncryption` AlgorithmIdentifier: OID 1.2.840.113549.1.1.5 and NULL parameters
/// (RFC 3279 §2.2.1 requires the NULL). pki-types defines no constant for it.
const RSA_PKCS1_SHA1_ALG_ID: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, // OID 1.2.840.113549.1.1.5
    0x05, 0x00, // NULL
]);

/// Parses the `subjectPublicKey` of an `rsaEncryption` SPKI, an RFC 8017 §A.1.1 `RSAPublicKey`.
///
/// `RsaPublicKey::new` (reached through `from_pkcs1_der`) enforces the 1024..=8192-bit modulus
/// range and a sane public exponent, so keys outside the policy fail here as an invalid signature.
fn rsa_public_key(public_key: &[u8]) -> Result<RsaPublicKey, InvalidSignature> {
    RsaPublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)
}

/// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with digest `D`.
struct RsaPkcs1<D> {
    name: &'static str,
    signature_alg_id: AlgorithmIdentifier,
    // fn() -> D keeps the type Send + Sync whatever D is; no D is ever stored.
    digest: PhantomData<fn() -> D>,
}

impl<D> RsaPkcs1<D> {
    const fn new(name: &'static str, signature_alg_id: AlgorithmIdentifier) -> Self {
        Self { name, signature_alg_id, digest: PhantomData }
    }
}

impl<D> core::fmt::Debug for RsaPkcs1<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

impl<D> SignatureVerificationAlgorithm for RsaPkcs1<D>
where
    D: Digest + AssociatedOid,
{
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key = pkcs1v15::VerifyingKey::<D>::new(rsa_public_key(public_key)?);
        let signature = pkcs1v15::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }
}

/// RSASSA-PSS (RFC 8017 §8.1) with digest `D` for both the message and MGF1, and a salt as long
/// as the digest: the only parameter sets the pki-types identifiers describe.
struct RsaPss<D> {
    name: &'static str,
    signature_alg_id: AlgorithmIdentifier,
    digest: PhantomData<fn() -> D>,
}

impl<D> RsaPss<D> {
    const fn new(name: &'static str, signature_alg_id: AlgorithmIdentifier) -> Self {
        Self { name, signature_alg_id, digest: PhantomData }
    }
}

impl<D> core::fmt::Debug for RsaPss<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

impl<D> SignatureVerificationAlgorithm for RsaPss<D>
where
    D: Digest + FixedOutputReset,
{
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // `new` fixes the salt length to the digest length, as the alg ids require (RFC 4055 §3.1).
        let key = pss::VerifyingKey::<D>::new(rsa_public_key(public_key)?);
        let signature = pss::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        // RFC 8446 §4.2.3 rsa_pss_rsae_*: PSS signatures made with ordinary rsaEncryption keys.
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::certs_from_pem;
    use der::{Decode, Encode};
    use x509_cert::Certificate;

    struct Signed {
        tbs: Vec<u8>,
        signature: Vec<u8>,
        signature_alg_id: Vec<u8>,
    }

    fn signed(pem: &[u8]) -> Signed {
        let der = certs_from_pem(pem).unwrap().remove(0);
        let cert = Certificate::from_der(der.as_ref()).unwrap();
        let alg = cert.signature_algorithm().to_der().unwrap();
        // pki-types compares the AlgorithmIdentifier's contents, without the SEQUENCE header
        // (short form: the fixtures' identifiers are under 128 bytes).
        assert!(alg[1] < 0x80);
        Signed {
            tbs: cert.tbs_certificate().to_der().unwrap(),
            signature: cert.signature().raw_bytes().to_vec(),
            signature_alg_id: alg[2..].to_vec(),
        }
    }

    fn intermediate_key() -> Vec<u8> {
        let der =
            certs_from_pem(include_bytes!("../../../tests/fixtures/intermediate.pem")).unwrap().remove(0);
        let cert = Certificate::from_der(der.as_ref()).unwrap();
        cert.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes().to_vec()
    }

    fn rsa_public_key_der(modulus_bytes: usize) -> Vec<u8> {
        let modulus = vec![0xff; modulus_bytes];
        rsa::pkcs1::RsaPublicKey {
            modulus: rsa::pkcs1::UintRef::new(&modulus).unwrap(),
            public_exponent: rsa::pkcs1::UintRef::new(&[1, 0, 1]).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn pkcs1_sha256_leaf_signature_verifies_and_its_tampered_twin_does_not() {
        let leaf = signed(include_bytes!("../../../tests/fixtures/server.pem"));
        let key = intermediate_key();
        assert_eq!(leaf.signature_alg_id, RSA_PKCS1_SHA256.signature_alg_id().as_ref());
        assert!(RSA_PKCS1_SHA256.verify_signature(&key, &leaf.tbs, &leaf.signature).is_ok());
        let mut tampered = leaf.tbs.clone();
        tampered[20] ^= 1;
        assert!(RSA_PKCS1_SHA256.verify_signature(&key, &tampered, &leaf.signature).is_err());
        // The right signature checked with the wrong hash fails too.
        assert!(RSA_PKCS1_SHA384.verify_signature(&key, &leaf.tbs, &leaf.signature).is_err());
    }

    #[test]
    fn sha1_leaf_verifies_only_with_the_sha1_algorithm() {
        let leaf = signed(include_bytes!("../../../tests/fixtures/sha1-leaf.pem"));
        let key = intermediate_key();
        assert_eq!(leaf.signature_alg_id, RSA_PKCS1_SHA1.signature_alg_id().as_ref());
        assert!(RSA_PKCS1_SHA1.verify_signature(&key, &leaf.tbs, &leaf.signature).is_ok());
        assert!(RSA_PKCS1_SHA256.verify_signature(&key, &leaf.tbs, &leaf.signature).is_err());
    }

    #[test]
    fn pss_leaf_verifies_with_the_pss_algorithm_and_not_as_pkcs1() {
        let leaf = signed(include_bytes!("../../../tests/fixtures/pss-leaf.pem"));
        let key = intermediate_key();
        assert_eq!(leaf.signature_alg_id, RSA_PSS_SHA256.signature_alg_id().as_ref());
        assert!(RSA_PSS_SHA256.verify_signature(&key, &leaf.tbs, &leaf.signature).is_ok());
        assert!(RSA_PKCS1_SHA256.verify_signature(&key, &leaf.tbs, &leaf.signature).is_err());
        let mut tampered = leaf.signature.clone();
        tampered[0] ^= 0x40;
        assert!(RSA_PSS_SHA256.verify_signature(&key, &leaf.tbs, &tampered).is_err());
    }

    #[test]
    fn default_set_has_no_sha1_and_legacy_set_adds_it() {
        let sha1 = RSA_PKCS1_SHA1_ALG_ID;
        assert!(SIGNATURE_ALGORITHMS.iter().all(|a| a.signature_alg_id() != sha1));
        assert!(LEGACY_SIGNATURE_ALGORITHMS.iter().any(|a| a.signature_alg_id() == sha1));
        assert_eq!(LEGACY_SIGNATURE_ALGORITHMS.len(), SIGNATURE_ALGORITHMS.len() + 1);
        // Only RSA is signed with SHA-1 here (no ecdsa-with-SHA1).
        assert!(LEGACY_SIGNATURE_ALGORITHMS
            .iter()
            .filter(|a| a.signature_alg_id() == sha1)
            .all(|a| a.public_key_alg_id() == alg_id::RSA_ENCRYPTION));
    }

    #[test]
    fn rsa_keys_from_1024_to_8192_bits_are_accepted_and_others_refused() {
        assert!(rsa_public_key(&rsa_public_key_der(128)).is_ok());
        assert!(rsa_public_key(&rsa_public_key_der(1024)).is_ok());
        assert!(rsa_public_key(&rsa_public_key_der(64)).is_err());
        assert!(rsa_public_key(&rsa_public_key_der(1025)).is_err());
        assert!(rsa_public_key(b"not a key").is_err());
    }

    #[test]
    fn malformed_key_or_signature_is_an_invalid_signature_not_a_panic() {
        let leaf = signed(include_bytes!("../../../tests/fixtures/server.pem"));
        assert!(RSA_PKCS1_SHA256.verify_signature(b"", &leaf.tbs, &leaf.signature).is_err());
        assert!(RSA_PKCS1_SHA256.verify_signature(&intermediate_key(), &leaf.tbs, b"").is_err());
        assert!(RSA_PSS_SHA512.verify_signature(&intermediate_key(), &leaf.tbs, &[0xff; 2048]).is_err());
    }
}
