//! The subject public key of a certificate, which RSA key exchange encrypts to.

use crate::error::CertificateError;
use der::{Decode, Encode};
use rustls_pki_types::CertificateDer;

/// The DER SubjectPublicKeyInfo of `cert`.
pub fn subject_public_key_info(cert: &CertificateDer<'_>) -> Result<Vec<u8>, CertificateError> {
    let parsed =
        x509_cert::Certificate::from_der(cert.as_ref()).map_err(|_| CertificateError::BadEncoding)?;
    parsed.tbs_certificate().subject_public_key_info().to_der().map_err(|_| CertificateError::BadEncoding)
}

/// Whether `key` is the private half of `cert`'s public key: their DER SubjectPublicKeyInfos
/// are equal. A server refuses a mismatched pair when its configuration is built; a client
/// offering a certificate can check its pair the same way before any handshake.
pub fn key_matches_certificate(key: &crate::crypto::PrivateKey, cert: &CertificateDer<'_>) -> bool {
    subject_public_key_info(cert).is_ok_and(|spki| spki == key.public_key_spki())
}
