//! The default [`ServerCertVerifier`]: RFC 5280 path validation and RFC 6125 name matching by
//! rustls-webpki, with signature algorithms supplied by the crypto provider.

use std::sync::Arc;

use rustls_pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use super::trust_anchor::RootCertStore;
use super::ServerCertVerifier;
use crate::crypto::CryptoProvider;
use crate::error::CertificateError;

/// Verifies server certificates against a [`RootCertStore`] with webpki.
///
/// The signature algorithm list is the policy: a certificate signed with an algorithm not in it
/// (SHA-1 in the default profile) fails with [`CertificateError::UnsupportedSignatureAlgorithm`].
/// Revocation is not checked (no CRLs or OCSP yet).
#[derive(Clone)]
pub struct WebPkiServerVerifier {
    roots: Arc<RootCertStore>,
    algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
}

impl WebPkiServerVerifier {
    /// A verifier trusting `roots` and accepting `provider.signature_algorithms`.
    pub fn new(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.signature_algorithms)
    }

    /// A verifier for the legacy profile: also accepts `provider.legacy_signature_algorithms`
    /// (SHA-1-signed certificates, which old devices still present).
    pub fn new_legacy(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.legacy_signature_algorithms)
    }

    /// A verifier trusting `roots` and accepting exactly `algorithms`.
    pub fn with_algorithms(
        roots: Arc<RootCertStore>,
        algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    ) -> Self {
        Self { roots, algorithms }
    }

    /// The trusted roots.
    pub fn roots(&self) -> &RootCertStore {
        &self.roots
    }
}

impl core::fmt::Debug for WebPkiServerVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WebPkiServerVerifier")
            .field("roots", &self.roots.len())
            .field("algorithms", &self.algorithms)
            .finish()
    }
}

impl ServerCertVerifier for WebPkiServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), CertificateError> {
        let cert = EndEntityCert::try_from(end_entity).map_err(certificate_error_from_webpki)?;
        // RFC 5280 §4.2.1.12: a leaf with an EKU extension must list id-kp-serverAuth; one
        // without the extension may be used for any purpose.
        cert.verify_for_usage(
            self.algorithms,
            self.roots.roots(),
            intermediates,
            now,
            KeyUsage::server_auth(),
            None,
            None,
        )
        .map_err(certificate_error_from_webpki)?;
        // RFC 6125 §6.4.4: webpki matches DNS names and IP addresses against subjectAltName
        // only, never the subject CN (the CA/B Forum has required SANs since 2012).
        cert.verify_is_valid_for_subject_name(server_name).map_err(|e| match e {
            // The server name the caller passed is clearer than webpki's context here.
            webpki::Error::CertNotValidForName(_) | webpki::Error::UnsupportedNameType => {
                CertificateError::NotValidForName(server_name.to_str().into_owned())
            }
            e => certificate_error_from_webpki(e),
        })
    }
}

/// Translates a webpki error into the reason (and thereby the alert) ferrotls reports.
///
/// Where webpki distinguishes causes we do not (several flavours of malformed input), they fold
/// into one variant; anything without a precise counterpart keeps webpki's wording in
/// [`CertificateError::Other`].
pub(crate) fn certificate_error_from_webpki(error: webpki::Error) -> CertificateError {
    use webpki::Error as E;
    use CertificateError as C;
    // The deprecated variants are still what older code paths in webpki 0.103 may return.
    #[allow(deprecated)]
    match error {
        E::BadDer
        | E::BadDerTime
        | E::TrailingData(_)
        | E::UnsupportedCertVersion
        | E::MalformedExtensions
        | E::ExtensionValueInvalid
        | E::InvalidSerialNumber
        | E::MalformedDnsIdentifier
        | E::MalformedNameConstraint
        | E::InvalidNetworkMaskConstraint
        | E::InvalidCertValidity => C::BadEncoding,
        E::CertExpired { .. } => C::Expired,
        E::CertNotValidYet { .. } => C::NotValidYet,
        E::UnknownIssuer => C::UnknownIssuer,
        // The tbsCertificate and outer signature algorithms differ: a splice, not an encoding
        // accident (RFC 5280 §4.1.1.2 requires them to be equal).
        E::InvalidSignatureForPublicKey | E::SignatureAlgorithmMismatch => C::BadSignature,
        E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => C::UnsupportedSignatureAlgorithm,
        E::CertNotValidForName(context) => C::NotValidForName(context.expected.to_str().into_owned()),
        E::UnsupportedNameType => C::NotValidForName("a name of an unsupported type".into()),
        E::RequiredEkuNotFound
        | E::RequiredEkuNotFoundContext(_)
        | E::EmptyEkuExtension
        | E::CaUsedAsEndEntity => C::InvalidPurpose,
        E::EndEntityUsedAsCa
        | E::PathLenConstraintViolated
        | E::NameConstraintViolation
        | E::MaximumNameConstraintComparisonsExceeded => C::NotAllowedToSign,
        E::MaximumPathDepthExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumSignatureChecksExceeded => C::ChainTooLong,
        E::UnsupportedCriticalExtension => C::UnhandledCriticalExtension,
        E::CertRevoked => C::Revoked,
        E::CertDistrusted => C::Other("a certificate in the chain uses an explicitly distrusted key".into()),
        other => C::Other(format!("certificate verification failed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::pem::certs_from_pem;

    fn verifier(algorithms: &'static [&'static dyn SignatureVerificationAlgorithm]) -> WebPkiServerVerifier {
        let mut roots = RootCertStore::empty();
        roots.add_pem(include_bytes!("../../tests/fixtures/ca.pem")).unwrap();
        WebPkiServerVerifier::with_algorithms(Arc::new(roots), algorithms)
    }

    #[test]
    fn no_signature_algorithms_means_every_chain_is_unsupported() {
        let chain = certs_from_pem(include_bytes!("../../tests/fixtures/server-chain.pem")).unwrap();
        let result = verifier(&[]).verify_server_cert(
            &chain[0],
            &chain[1..],
            &ServerName::try_from("localhost").unwrap(),
            UnixTime::since_unix_epoch(core::time::Duration::from_secs(1_900_000_000)),
        );
        assert_eq!(result, Err(CertificateError::UnsupportedSignatureAlgorithm));
    }

    #[test]
    fn webpki_errors_map_to_the_matching_reason() {
        use webpki::Error as E;
        let t = UnixTime::since_unix_epoch(core::time::Duration::from_secs(0));
        assert_eq!(certificate_error_from_webpki(E::BadDer), CertificateError::BadEncoding);
        assert_eq!(
            certificate_error_from_webpki(E::CertExpired { time: t, not_after: t }),
            CertificateError::Expired
        );
        assert_eq!(
            certificate_error_from_webpki(E::CertNotValidYet { time: t, not_before: t }),
            CertificateError::NotValidYet
        );
        assert_eq!(certificate_error_from_webpki(E::UnknownIssuer), CertificateError::UnknownIssuer);
        assert_eq!(certificate_error_from_webpki(E::CaUsedAsEndEntity), CertificateError::InvalidPurpose);
        assert_eq!(certificate_error_from_webpki(E::EndEntityUsedAsCa), CertificateError::NotAllowedToSign);
        assert_eq!(
            certificate_error_from_webpki(E::MaximumPathDepthExceeded),
            CertificateError::ChainTooLong
        );
        assert_eq!(
            certificate_error_from_webpki(E::UnsupportedCriticalExtension),
            CertificateError::UnhandledCriticalExtension
        );
        assert_eq!(
            certificate_error_from_webpki(E::InvalidSignatureForPublicKey),
            CertificateError::BadSignature
        );
    }
}
