//! Options that switch off protection. Each one is named for what it gives up.

use crate::error::CertificateError;
use crate::x509::{CertificateDer, ServerCertVerifier, ServerName, UnixTime};

/// Accepts any server certificate, for any name, at any time. Anyone on the path can then
/// read and change the connection: use only for testing against a known endpoint.
#[derive(Debug, Default)]
pub struct NoServerVerification;

impl ServerCertVerifier for NoServerVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _now: UnixTime,
    ) -> Result<(), CertificateError> {
        Ok(())
    }
}
