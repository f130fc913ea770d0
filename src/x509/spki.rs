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
