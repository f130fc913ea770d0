//! Certificate signature verification algorithms for rustls-webpki beyond RSA: ECDSA over
//! P-256 and P-384 with SHA-256 or SHA-384 (RFC 5758 §3.2, RFC 5480), and Ed25519 (RFC 8410).
//! The RSA ones (PKCS#1 v1.5, PSS) are in `signature_verify.rs`, whose lists register these.
//!
//! As for RSA, webpki picks an algorithm by comparing the certificate's `signatureAlgorithm`
//! and the issuer's SPKI algorithm byte for byte with the identifiers below, so each
//! curve × hash pair is its own value. The four ECDSA pairs are the ones webpki's own
//! providers accept: an X.509 signature may pair either curve with either hash (unlike TLS 1.3),
//! and CAs do issue P-384-signed SHA-256 certificates.

use rustls_pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use super::ecdsa::{EcdsaCurve, EcdsaVerifyingKey};
use crate::crypto::HashAlgorithm;

/// ECDSA with a P-256 issuer key and SHA-256 (`ecdsa-with-SHA256`).
pub static ECDSA_P256_SHA256: &dyn SignatureVerificationAlgorithm = &Ecdsa {
    name: "ECDSA_P256_SHA256",
    curve: EcdsaCurve::P256,
    hash: HashAlgorithm::Sha256,
    public_key_alg_id: alg_id::ECDSA_P256,
    signature_alg_id: alg_id::ECDSA_SHA256,
};

/// ECDSA with a P-256 issuer key and SHA-384 (`ecdsa-with-SHA384`).
pub static ECDSA_P256_SHA384: &dyn SignatureVerificationAlgorithm = &Ecdsa {
    name: "ECDSA_P256_SHA384",
    curve: EcdsaCurve::P256,
    hash: HashAlgorithm::Sha384,
    public_key_alg_id: alg_id::ECDSA_P256,
    signature_alg_id: alg_id::ECDSA_SHA384,
};

/// ECDSA with a P-384 issuer key and SHA-256 (`ecdsa-with-SHA256`).
pub static ECDSA_P384_SHA256: &dyn SignatureVerificationAlgorithm = &Ecdsa {
    name: "ECDSA_P384_SHA256",
    curve: EcdsaCurve::P384,
    hash: HashAlgorithm::Sha256,
    public_key_alg_id: alg_id::ECDSA_P384,
    signature_alg_id: alg_id::ECDSA_SHA256,
};

/// ECDSA with a P-384 issuer key and SHA-384 (`ecdsa-with-SHA384`).
pub static ECDSA_P384_SHA384: &dyn SignatureVerificationAlgorithm = &Ecdsa {
    name: "ECDSA_P384_SHA384",
    curve: EcdsaCurve::P384,
    hash: HashAlgorithm::Sha384,
    public_key_alg_id: alg_id::ECDSA_P384,
    signature_alg_id: alg_id::ECDSA_SHA384,
};

/// Ed25519 (`id-Ed25519` as both key and signature algorithm, RFC 8410 §3).
pub static ED25519: &dyn SignatureVerificationAlgorithm = &Ed25519;

/// ECDSA (FIPS 186-5) with a fixed curve and hash; the signature is the DER `Ecdsa-Sig-Value`
/// (RFC 3279 §2.2.3) and the key the issuer's SEC 1 point (RFC 5480 §2.2).
struct Ecdsa {
    name: &'static str,
    curve: EcdsaCurve,
    hash: HashAlgorithm,
    public_key_alg_id: AlgorithmIdentifier,
    signature_alg_id: AlgorithmIdentifier,
}

impl core::fmt::Debug for Ecdsa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

impl SignatureVerificationAlgorithm for Ecdsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // The point must be on the curve and not the identity (from_sec1 checks both).
        let key = EcdsaVerifyingKey::from_sec1(self.curve, public_key).map_err(|_| InvalidSignature)?;
        key.verify(self.hash, message, signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key_alg_id
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }
}

/// Ed25519 (RFC 8032 PureEdDSA); the key is the issuer's 32-byte `subjectPublicKey`.
#[derive(Debug)]
struct Ed25519;

impl SignatureVerificationAlgorithm for Ed25519 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        super::ed25519::verify(public_key, message, signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use der::{Decode, Encode};
    use x509_cert::Certificate;

    use super::*;
    use crate::crypto::rustcrypto::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
    use crate::error::CertificateError;
    use crate::x509::verify::{WebPkiClientVerifier, WebPkiServerVerifier};
    use crate::x509::{
        certs_from_pem, CertificateDer, ClientCertVerifier, RootCertStore, ServerCertVerifier,
    };
    use crate::x509::{ServerName, UnixTime};

    /// Every algorithm of this file.
    static MODERN_SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] =
        &[ECDSA_P256_SHA256, ECDSA_P256_SHA384, ECDSA_P384_SHA256, ECDSA_P384_SHA384, ED25519];

    const P256_CA: &[u8] = include_bytes!("../../../tests/fixtures/ecdsa-p256-ca.pem");
    const P384_CA: &[u8] = include_bytes!("../../../tests/fixtures/ecdsa-p384-ca.pem");
    const ED25519_CA: &[u8] = include_bytes!("../../../tests/fixtures/ed25519-ca.pem");

    /// (issuer, leaf, the algorithm that must verify it).
    fn cases() -> [(&'static [u8], &'static [u8], &'static dyn SignatureVerificationAlgorithm); 5] {
        [
            (P256_CA, include_bytes!("../../../tests/fixtures/ecdsa-p256-leaf.pem"), ECDSA_P256_SHA256),
            (
                P256_CA,
                include_bytes!("../../../tests/fixtures/ecdsa-p256-sha384-leaf.pem"),
                ECDSA_P256_SHA384,
            ),
            (
                P384_CA,
                include_bytes!("../../../tests/fixtures/ecdsa-p384-sha256-leaf.pem"),
                ECDSA_P384_SHA256,
            ),
            (P384_CA, include_bytes!("../../../tests/fixtures/ecdsa-p384-leaf.pem"), ECDSA_P384_SHA384),
            (ED25519_CA, include_bytes!("../../../tests/fixtures/ed25519-leaf.pem"), ED25519),
        ]
    }

    fn der(pem: &[u8]) -> CertificateDer<'static> {
        certs_from_pem(pem).unwrap().remove(0)
    }

    /// (tbsCertificate, signature, signatureAlgorithm contents, subjectPublicKey) of a cert.
    fn parts(pem: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
        let cert = Certificate::from_der(der(pem).as_ref()).unwrap();
        let alg = cert.signature_algorithm().to_der().unwrap();
        assert!(alg[1] < 0x80, "short-form length");
        (
            cert.tbs_certificate().to_der().unwrap(),
            cert.signature().raw_bytes().to_vec(),
            alg[2..].to_vec(),
            cert.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes().to_vec(),
        )
    }

    #[test]
    fn each_fixture_signature_verifies_with_its_algorithm_only_and_not_when_tampered() {
        for (issuer, leaf, algorithm) in cases() {
            let (tbs, signature, alg_id, _) = parts(leaf);
            let (_, _, _, issuer_key) = parts(issuer);
            assert_eq!(alg_id, algorithm.signature_alg_id().as_ref(), "{algorithm:?}: identifier");
            algorithm.verify_signature(&issuer_key, &tbs, &signature).unwrap();

            // Tampering twins: one flipped bit in the signed data, then in the signature.
            let mut t = tbs.clone();
            t[40] ^= 1;
            assert!(algorithm.verify_signature(&issuer_key, &t, &signature).is_err(), "{algorithm:?}");
            let mut s = signature.clone();
            let last = s.len() - 1;
            s[last] ^= 1;
            assert!(algorithm.verify_signature(&issuer_key, &tbs, &s).is_err(), "{algorithm:?}");
            // No other algorithm of ours accepts it (wrong curve, wrong hash, wrong scheme).
            for other in MODERN_SIGNATURE_ALGORITHMS.iter().filter(|a| {
                a.signature_alg_id() != algorithm.signature_alg_id()
                    || a.public_key_alg_id() != algorithm.public_key_alg_id()
            }) {
                assert!(
                    other.verify_signature(&issuer_key, &tbs, &signature).is_err(),
                    "{other:?} accepted {algorithm:?}"
                );
            }
        }
    }

    #[test]
    fn malformed_keys_and_signatures_are_invalid_not_panics() {
        for a in MODERN_SIGNATURE_ALGORITHMS {
            assert!(a.verify_signature(b"", b"m", b"").is_err());
            assert!(a.verify_signature(&[4; 65], b"m", &[0x30; 72]).is_err());
            assert!(a.verify_signature(&[4; 97], b"m", &[0xff; 300]).is_err());
        }
    }

    #[test]
    fn both_lists_carry_every_modern_algorithm() {
        for a in MODERN_SIGNATURE_ALGORITHMS {
            let same = |b: &&dyn SignatureVerificationAlgorithm| {
                b.signature_alg_id() == a.signature_alg_id() && b.public_key_alg_id() == a.public_key_alg_id()
            };
            assert!(SIGNATURE_ALGORITHMS.iter().any(same), "{a:?} missing from SIGNATURE_ALGORITHMS");
            assert!(LEGACY_SIGNATURE_ALGORITHMS.iter().any(same), "{a:?} missing from the legacy list");
        }
    }

    fn roots(pem: &[u8]) -> Arc<RootCertStore> {
        let mut roots = RootCertStore::empty();
        roots.add_pem(pem).unwrap();
        Arc::new(roots)
    }

    /// The RSA algorithms alone, as the lists were before this file.
    static RSA_ONLY: &[&dyn SignatureVerificationAlgorithm] = &[
        crate::crypto::rustcrypto::signature_verify::RSA_PKCS1_SHA256,
        crate::crypto::rustcrypto::signature_verify::RSA_PSS_SHA256,
    ];

    /// Inside every fixture's validity (2026 .. 2046).
    fn now() -> UnixTime {
        UnixTime::since_unix_epoch(core::time::Duration::from_secs(1_900_000_000))
    }

    #[test]
    fn webpki_verifier_accepts_ecdsa_and_ed25519_chains_and_refuses_tampered_ones() {
        let localhost = ServerName::try_from("localhost").unwrap();
        for (issuer, leaf, algorithm) in cases() {
            // The default provider's verifier: what a ClientConfig uses.
            let verifier =
                WebPkiServerVerifier::new(roots(issuer), &crate::crypto::rustcrypto::DEFAULT_PROVIDER);
            let leaf = der(leaf);
            assert_eq!(verifier.verify_server_cert(&leaf, &[], &localhost, now()), Ok(()), "{algorithm:?}");

            // Tampering twin: the last byte of the certificate is part of its signature.
            let mut tampered = leaf.as_ref().to_vec();
            let last = tampered.len() - 1;
            tampered[last] ^= 1;
            assert_eq!(
                verifier.verify_server_cert(&CertificateDer::from(tampered), &[], &localhost, now()),
                Err(CertificateError::BadSignature),
                "{algorithm:?}"
            );

            // Without the algorithm registered the same chain is refused for that reason: the
            // list is what makes these chains verify.
            let rsa_only = WebPkiServerVerifier::with_algorithms(roots(issuer), RSA_ONLY);
            assert_eq!(
                rsa_only.verify_server_cert(&leaf, &[], &localhost, now()),
                Err(CertificateError::UnsupportedSignatureAlgorithm),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn an_ecdsa_client_certificate_verifies_for_client_auth() {
        let verifier =
            WebPkiClientVerifier::new(roots(P256_CA), &crate::crypto::rustcrypto::DEFAULT_PROVIDER);
        let client = der(include_bytes!("../../../tests/fixtures/ecdsa-p256-client.pem"));
        assert_eq!(verifier.verify_client_cert(&client, &[], now()), Ok(()));
        // Under another root it is unknown.
        let other = WebPkiClientVerifier::with_algorithms(roots(P384_CA), SIGNATURE_ALGORITHMS);
        assert_eq!(other.verify_client_cert(&client, &[], now()), Err(CertificateError::UnknownIssuer));
    }
}
