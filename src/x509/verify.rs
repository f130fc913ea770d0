//! The default [`ServerCertVerifier`]: RFC 5280 path validation and RFC 6125 name matching by
//! rustls-webpki, with signature algorithms supplied by the crypto provider.

use core::cell::RefCell;
use core::fmt;
use std::sync::Arc;

use der::asn1::ObjectIdentifier;
use rustls_pki_types::{
    CertificateDer, CertificateRevocationListDer, ServerName, SignatureVerificationAlgorithm, UnixTime,
};
use webpki::{
    CertRevocationList, EndEntityCert, ExpirationPolicy, KeyUsage, OwnedCertRevocationList,
    RevocationCheckDepth, RevocationOptionsBuilder, UnknownStatusPolicy,
};

use super::cert::{CertificateInfo, SubjectAltName};
use super::chain::{common_name_matches, PresentedChain};
use super::trust_anchor::RootCertStore;
use super::{ClientCertVerifier, ServerCertVerifier};
use crate::crypto::CryptoProvider;
use crate::error::CertificateError;

/// A rejected chain: why, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateVerifyFailure {
    /// The reason (and thereby the alert).
    pub error: CertificateError,
    /// The depth of the certificate at fault: 0 is the end entity, 1 its issuer, and so on up
    /// to the trust anchor (OpenSSL's `X509_STORE_CTX_get_error_depth`).
    pub depth: usize,
}

impl fmt::Display for CertificateVerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at depth {})", self.error, self.depth)
    }
}

impl std::error::Error for CertificateVerifyFailure {}

impl From<CertificateVerifyFailure> for CertificateError {
    fn from(failure: CertificateVerifyFailure) -> Self {
        failure.error
    }
}

/// What the verify callback is shown for each certificate of a chain.
#[derive(Debug)]
pub struct ChainElement<'a> {
    /// 0 for the end entity, increasing towards the trust anchor.
    pub depth: usize,
    /// The certificate at this depth.
    pub certificate: &'a CertificateDer<'a>,
    /// The error found at this depth, if any.
    pub error: Option<&'a CertificateError>,
}

/// A verify callback, as OpenSSL's `SSL_CTX_set_verify` takes one: called once per certificate,
/// from the trust anchor down to the end entity. Returning `true` accepts that certificate,
/// overriding its error if it has one; returning `false` rejects the chain (with the
/// certificate's error, or [`CertificateError::Other`] when it had none).
pub type VerifyCallback = dyn Fn(&ChainElement<'_>) -> bool + Send + Sync;

/// RFC 5280 §4.2.1.12 key purposes the verifiers require of the end entity.
const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// The verification policy both verifiers share: trust anchors, accepted signature
/// algorithms, CRLs, depth limit, legacy CN fallback and the verify callback.
#[derive(Clone)]
struct ChainPolicy {
    roots: Arc<RootCertStore>,
    algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    crls: Arc<[CertRevocationList<'static>]>,
    max_depth: Option<usize>,
    legacy_common_name: bool,
    callback: Option<Arc<VerifyCallback>>,
}

impl ChainPolicy {
    fn new(
        roots: Arc<RootCertStore>,
        algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    ) -> Self {
        Self {
            roots,
            algorithms,
            crls: Arc::new([]),
            max_depth: None,
            legacy_common_name: false,
            callback: None,
        }
    }

    fn with_crls(mut self, crls: &[CertificateRevocationListDer<'_>]) -> Result<Self, CertificateError> {
        let mut parsed: Vec<CertRevocationList<'static>> = self.crls.iter().map(clone_crl).collect();
        for crl in crls {
            let owned =
                OwnedCertRevocationList::from_der(crl.as_ref()).map_err(certificate_error_from_webpki)?;
            parsed.push(CertRevocationList::Owned(owned));
        }
        self.crls = parsed.into();
        Ok(self)
    }

    /// Path validation (and, for a server, the name check), with the failing depth located and
    /// the callback consulted. Returns the verified chain, end entity first, ending with the
    /// trust anchor's certificate when the store knows it.
    fn verify(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: Option<&ServerName<'_>>,
        now: UnixTime,
    ) -> Result<Vec<CertificateDer<'static>>, CertificateVerifyFailure> {
        let purpose = if server_name.is_some() { &SERVER_AUTH } else { &CLIENT_AUTH };
        let verified = self.verify_path(end_entity, intermediates, server_name, purpose, now);
        let Some(callback) = &self.callback else {
            return verified;
        };
        // Show the callback the chain that was verified, or the one that failed, top down.
        let (chain, failure) = match verified {
            Ok(chain) => (chain, None),
            Err(failure) => {
                let presented = PresentedChain::build(end_entity, intermediates, self.roots.roots());
                let mut chain: Vec<_> =
                    presented.certificates.into_iter().map(|(der, _)| der.into_owned()).collect();
                if let Some(anchor) = presented.anchor.and_then(|a| self.roots.certificate_for(a)) {
                    chain.push(anchor.clone());
                }
                (chain, Some(failure))
            }
        };
        for (depth, certificate) in chain.iter().enumerate().rev() {
            let error = failure.as_ref().filter(|f| f.depth == depth).map(|f| &f.error);
            if !callback(&ChainElement { depth, certificate, error }) {
                let error = error.cloned().unwrap_or_else(|| {
                    CertificateError::Other("certificate rejected by the verify callback".into())
                });
                return Err(CertificateVerifyFailure { error, depth });
            }
        }
        // Every certificate was accepted, including any failing one: the callback overrode it.
        // A failure at a depth beyond the chain shown (e.g. a missing issuer) cannot be
        // overridden, since the callback never saw it.
        match failure {
            Some(f) if f.depth >= chain.len() => Err(f),
            _ => Ok(chain),
        }
    }

    fn verify_path(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: Option<&ServerName<'_>>,
        purpose: &ObjectIdentifier,
        now: UnixTime,
    ) -> Result<Vec<CertificateDer<'static>>, CertificateVerifyFailure> {
        let at_leaf = |error| CertificateVerifyFailure { error, depth: 0 };
        let cert =
            EndEntityCert::try_from(end_entity).map_err(|e| at_leaf(certificate_error_from_webpki(e)))?;
        let crl_refs: Vec<&CertRevocationList<'static>> = self.crls.iter().collect();
        // RFC 5280 §6.3: every certificate in the path is checked against the CRLs we hold; a
        // certificate whose issuer published none here is not refused (OpenSSL without
        // -crl_check_all is stricter only for the leaf), and an expired CRL is an error.
        let revocation = RevocationOptionsBuilder::new(&crl_refs).ok().map(|builder| {
            builder
                .with_depth(RevocationCheckDepth::Chain)
                .with_status_policy(UnknownStatusPolicy::Allow)
                .with_expiration_policy(ExpirationPolicy::Enforce)
                .build()
        });
        let path = RefCell::new(None);
        let too_deep = core::cell::Cell::new(false);
        let accept_path = |verified: &webpki::VerifiedPath<'_>| {
            let intermediates: Vec<_> =
                verified.intermediate_certificates().map(|c| c.der().into_owned()).collect();
            // The anchor sits one above the last intermediate.
            if self.max_depth.is_some_and(|max| intermediates.len() + 1 > max) {
                too_deep.set(true);
                return Err(webpki::Error::MaximumPathDepthExceeded);
            }
            let anchor = self.roots.certificate_for(verified.anchor()).cloned();
            *path.borrow_mut() = Some((intermediates, anchor));
            Ok(())
        };
        let usage = if server_name.is_some() { KeyUsage::server_auth() } else { KeyUsage::client_auth() };
        let result = cert.verify_for_usage(
            self.algorithms,
            self.roots.roots(),
            intermediates,
            now,
            usage,
            revocation,
            Some(&accept_path),
        );
        if let Err(webpki::Error::CaUsedAsEndEntity) = result {
            // A certificate we trust directly (exactly, byte for byte) stands for itself even
            // when it is a CA: what `openssl req -x509` makes by default, and what OpenSSL,
            // GnuTLS and Python accept with it as the CA file. Any other CA as a leaf is refused,
            // and the error says why.
            if !self.roots.contains_certificate(end_entity) {
                return Err(at_leaf(CertificateError::CaUsedAsEndEntity));
            }
            self.verify_trusted_leaf(&cert, end_entity, server_name, purpose, now).map_err(at_leaf)?;
            return Ok(vec![end_entity.clone().into_owned()]);
        }
        if let Err(e) = result {
            let presented = PresentedChain::build(end_entity, intermediates, self.roots.roots());
            if matches!(e, webpki::Error::MaximumPathDepthExceeded) && too_deep.get() {
                let depth = self.max_depth.unwrap_or(0) + 1;
                return Err(CertificateVerifyFailure { error: CertificateError::ChainTooLong, depth });
            }
            if matches!(e, webpki::Error::UnknownIssuer) && presented.leaf_is_self_signed(self.algorithms) {
                return Err(at_leaf(CertificateError::SelfSignedLeaf));
            }
            let depth = presented.depth_of(&e, now, self.algorithms, &self.crls, purpose);
            return Err(CertificateVerifyFailure { error: certificate_error_from_webpki(e), depth });
        }
        if let Some(name) = server_name {
            self.verify_name(&cert, end_entity, name).map_err(at_leaf)?;
        }
        let (intermediates, anchor) = path.into_inner().unwrap_or_default();
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates);
        chain.extend(anchor);
        Ok(chain)
    }

    /// The checks a trust anchor used as its own end-entity certificate still gets: no path
    /// (it is trusted as it is), but its validity period, the purpose its extendedKeyUsage
    /// allows (RFC 5280 §4.2.1.12), and the server name.
    fn verify_trusted_leaf(
        &self,
        cert: &EndEntityCert<'_>,
        der: &CertificateDer<'_>,
        server_name: Option<&ServerName<'_>>,
        purpose: &ObjectIdentifier,
        now: UnixTime,
    ) -> Result<(), CertificateError> {
        let info = CertificateInfo::from_der(der.as_ref())?;
        if now.as_secs() < info.not_before().as_secs() {
            return Err(CertificateError::NotValidYet);
        }
        if now.as_secs() > info.not_after().as_secs() {
            return Err(CertificateError::Expired);
        }
        let wanted = if purpose == &SERVER_AUTH {
            "TLS Web Server Authentication"
        } else {
            "TLS Web Client Authentication"
        };
        let eku = info.extended_key_usage();
        if !eku.is_empty() && !eku.iter().any(|p| p == wanted) {
            return Err(CertificateError::InvalidPurpose);
        }
        match server_name {
            Some(name) => self.verify_name(cert, der, name),
            None => Ok(()),
        }
    }

    fn verify_name(
        &self,
        cert: &EndEntityCert<'_>,
        der: &CertificateDer<'_>,
        name: &ServerName<'_>,
    ) -> Result<(), CertificateError> {
        // RFC 6125 §6.4.4: webpki matches DNS names and IP addresses against subjectAltName
        // only, never the subject CN (the CA/B Forum has required SANs since 2012).
        let mismatch = || CertificateError::NotValidForName(name.to_str().into_owned());
        match cert.verify_is_valid_for_subject_name(name) {
            Ok(()) => Ok(()),
            Err(webpki::Error::CertNotValidForName(_) | webpki::Error::UnsupportedNameType) => {
                let ServerName::DnsName(host) = name else { return Err(mismatch()) };
                if !self.legacy_common_name {
                    return Err(mismatch());
                }
                // Legacy only: a certificate with no dNSName SAN at all may be matched by CN.
                let info = CertificateInfo::from_der(der.as_ref()).map_err(|_| mismatch())?;
                let has_dns_san =
                    info.subject_alt_names().iter().any(|san| matches!(san, SubjectAltName::Dns(_)));
                let cn_matches = info
                    .subject_attribute_values("CN")
                    .iter()
                    .any(|cn| common_name_matches(cn, host.as_ref()));
                if !has_dns_san && cn_matches {
                    Ok(())
                } else {
                    Err(mismatch())
                }
            }
            Err(e) => Err(certificate_error_from_webpki(e)),
        }
    }
}

fn clone_crl(crl: &CertRevocationList<'static>) -> CertRevocationList<'static> {
    match crl {
        CertRevocationList::Owned(owned) => CertRevocationList::Owned(owned.clone()),
        CertRevocationList::Borrowed(borrowed) => {
            CertRevocationList::Owned(borrowed.to_owned().expect("a parsed CRL converts to its owned form"))
        }
    }
}

impl fmt::Debug for ChainPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainPolicy")
            .field("roots", &self.roots.len())
            .field("algorithms", &self.algorithms)
            .field("crls", &self.crls.len())
            .field("max_depth", &self.max_depth)
            .field("legacy_common_name", &self.legacy_common_name)
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

/// The builder methods both verifiers share, spelled once.
macro_rules! policy_options {
    () => {
        /// Also checks every certificate of the path against these CRLs (DER, e.g. from
        /// [`crate::x509::crls_from_pem_or_der`]); a listed certificate fails with
        /// [`CertificateError::Revoked`]. Fails when a CRL does not parse.
        pub fn with_crls(
            mut self,
            crls: &[CertificateRevocationListDer<'_>],
        ) -> Result<Self, CertificateError> {
            self.policy = self.policy.with_crls(crls)?;
            Ok(self)
        }

        /// Limits the depth of the trust anchor (0 would be the end entity itself, 1 an anchor
        /// that issued the end entity directly). Longer paths fail with
        /// [`CertificateError::ChainTooLong`] at depth `max_depth + 1`. webpki's own limit (six
        /// intermediates) applies regardless.
        pub fn with_max_depth(mut self, max_depth: usize) -> Self {
            self.policy.max_depth = Some(max_depth);
            self
        }

        /// Installs a verify callback (see [`VerifyCallback`]).
        pub fn with_verify_callback(
            mut self,
            callback: impl Fn(&ChainElement<'_>) -> bool + Send + Sync + 'static,
        ) -> Self {
            self.policy.callback = Some(Arc::new(callback));
            self
        }

        /// The trusted roots.
        pub fn roots(&self) -> &RootCertStore {
            &self.policy.roots
        }
    };
}

/// Verifies server certificates against a [`RootCertStore`] with webpki.
///
/// The signature algorithm list is the policy: a certificate signed with an algorithm not in it
/// (SHA-1 in the default profile) fails with [`CertificateError::UnsupportedSignatureAlgorithm`].
/// Revocation is checked against the CRLs given to [`Self::with_crls`] (none by default).
#[derive(Clone, Debug)]
pub struct WebPkiServerVerifier {
    policy: ChainPolicy,
}

impl WebPkiServerVerifier {
    /// A verifier trusting `roots` and accepting `provider.signature_algorithms`.
    pub fn new(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.signature_algorithms)
    }

    /// A verifier for the legacy profile: also accepts `provider.legacy_signature_algorithms`
    /// (SHA-1-signed certificates, which old devices still present) and matches host names
    /// against the subject CN of certificates without dNSName SANs.
    pub fn new_legacy(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.legacy_signature_algorithms).with_legacy_common_name(true)
    }

    /// A verifier trusting `roots` and accepting exactly `algorithms`.
    pub fn with_algorithms(
        roots: Arc<RootCertStore>,
        algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    ) -> Self {
        Self { policy: ChainPolicy::new(roots, algorithms) }
    }

    /// With `true`, a host name is also matched against the subject CN when the certificate has
    /// no subjectAltName dNSName (RFC 6125 §6.4.4, legacy profile only: RFC 9525 dropped it).
    /// IP addresses are only ever matched against iPAddress SANs.
    pub fn with_legacy_common_name(mut self, enabled: bool) -> Self {
        self.policy.legacy_common_name = enabled;
        self
    }

    policy_options!();

    /// Verifies `end_entity` for `server_name` like [`ServerCertVerifier::verify_server_cert`],
    /// reporting the depth of a failure and returning the verified chain (end entity first,
    /// then the intermediates used, then the trust anchor's certificate when known).
    pub fn verify_server_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<Vec<CertificateDer<'static>>, CertificateVerifyFailure> {
        self.policy.verify(end_entity, intermediates, Some(server_name), now)
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
        // RFC 5280 §4.2.1.12: a leaf with an EKU extension must list id-kp-serverAuth; one
        // without the extension may be used for any purpose.
        self.verify_server_chain(end_entity, intermediates, server_name, now).map(|_| ()).map_err(|f| f.error)
    }
}

/// Verifies client certificates (mutual authentication, RFC 5246 §7.4.6) against a
/// [`RootCertStore`] with webpki: path validation with extendedKeyUsage clientAuth.
#[derive(Clone, Debug)]
pub struct WebPkiClientVerifier {
    policy: ChainPolicy,
    mandatory: bool,
}

impl WebPkiClientVerifier {
    /// A verifier that requires a client certificate chaining to `roots`, accepting
    /// `provider.signature_algorithms`.
    pub fn new(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.signature_algorithms)
    }

    /// The legacy profile's variant: also accepts SHA-1-signed client certificates.
    pub fn new_legacy(roots: Arc<RootCertStore>, provider: &CryptoProvider) -> Self {
        Self::with_algorithms(roots, provider.legacy_signature_algorithms)
    }

    /// A verifier trusting `roots` and accepting exactly `algorithms`; a certificate is required.
    pub fn with_algorithms(
        roots: Arc<RootCertStore>,
        algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    ) -> Self {
        Self { policy: ChainPolicy::new(roots, algorithms), mandatory: true }
    }

    /// Lets a client without a certificate continue unauthenticated (verify mode "optional");
    /// a certificate that is presented must still verify.
    pub fn optional(mut self) -> Self {
        self.mandatory = false;
        self
    }

    policy_options!();

    /// Verifies a client's chain like [`ClientCertVerifier::verify_client_cert`], reporting the
    /// depth of a failure and returning the verified chain.
    pub fn verify_client_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<Vec<CertificateDer<'static>>, CertificateVerifyFailure> {
        self.policy.verify(end_entity, intermediates, None, now)
    }
}

impl ClientCertVerifier for WebPkiClientVerifier {
    fn root_hint_subjects(&self) -> Vec<Vec<u8>> {
        self.policy.roots.subjects()
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), CertificateError> {
        self.verify_client_chain(end_entity, intermediates, now).map(|_| ()).map_err(|f| f.error)
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
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => C::InvalidPurpose,
        E::CaUsedAsEndEntity => C::CaUsedAsEndEntity,
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
        assert_eq!(certificate_error_from_webpki(E::CaUsedAsEndEntity), CertificateError::CaUsedAsEndEntity);
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
