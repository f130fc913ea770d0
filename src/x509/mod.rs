//! X.509 certificates: loading (PEM/DER), inspection, and verification behind the
//! [`ServerCertVerifier`] trait, which is all the handshake sees of this module.
//!
//! - [`pem`]: PEM (RFC 7468) and DER framing for certificates and private keys.
//! - [`cert`]: [`CertificateInfo`], the displayable fields of one certificate.
//! - [`verify`]: [`WebPkiServerVerifier`], RFC 5280 path validation and name matching by webpki
//!   over a [`RootCertStore`].
//!
//! Parsing uses x509-cert/der and verification rustls-webpki; signature algorithms come from
//! the crypto provider, so this module names no cryptography implementation.
#![forbid(unsafe_code)]

pub mod cert;
mod chain;
pub mod pem;
mod trust_anchor;
pub mod verify;

use crate::error::CertificateError;

pub use self::cert::{CertificateInfo, SubjectAltName};
pub use self::pem::{
    certs_from_pem, certs_from_pem_or_der, crls_from_pem_or_der, private_key_from_pem,
    private_key_from_pem_or_der, private_key_from_pem_with_password,
    private_key_from_pem_with_password_callback, PemError,
};
pub use self::trust_anchor::RootCertStore;
pub use self::verify::{
    CertificateVerifyFailure, ChainElement, VerifyCallback, WebPkiClientVerifier, WebPkiServerVerifier,
};

pub use rustls_pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};

/// Decides whether a server's certificate chain is acceptable for `server_name` at `now`.
///
/// The default is [`verify::WebPkiServerVerifier`]; an application may supply its own, and the
/// explicit opt-out lives in `config::danger`.
pub trait ServerCertVerifier: Send + Sync + core::fmt::Debug {
    /// Verifies `end_entity` (with the untrusted `intermediates` the server sent) for
    /// `server_name` at time `now`.
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), CertificateError>;

    /// Verifies a signature the peer made in the handshake with the key of `end_entity` (the
    /// certificate it sent and this verifier accepted): TLS 1.2 signatures carry `scheme`,
    /// TLS 1.0/1.1 ones none (RFC 5246 §4.7, RFC 2246 §7.4.3). `message` is what was signed.
    /// The default asks `provider`, the connection's crypto provider; a verifier that holds
    /// its own keys (pinning, hardware) may check it itself.
    fn verify_tls_signature(
        &self,
        provider: &crate::crypto::CryptoProvider,
        message: &[u8],
        end_entity: &CertificateDer<'_>,
        scheme: Option<crate::enums::SignatureScheme>,
        signature: &[u8],
    ) -> Result<(), crate::error::Error> {
        verify_tls_signature_by_provider(provider, message, end_entity, scheme, signature)
    }

    /// The signature schemes this verifier accepts in the handshake, most preferred first
    /// (offered in signature_algorithms and CertificateRequest). The default is the
    /// provider's.
    fn supported_verify_schemes(
        &self,
        provider: &crate::crypto::CryptoProvider,
    ) -> Vec<crate::enums::SignatureScheme> {
        provider.key_provider.verify_schemes().to_vec()
    }
}

/// What both verifier traits do by default with a handshake signature: the provider checks it
/// with the public key of `end_entity`.
fn verify_tls_signature_by_provider(
    provider: &crate::crypto::CryptoProvider,
    message: &[u8],
    end_entity: &CertificateDer<'_>,
    scheme: Option<crate::enums::SignatureScheme>,
    signature: &[u8],
) -> Result<(), crate::error::Error> {
    let spki = subject_public_key_info(end_entity)?;
    provider
        .key_provider
        .verify_tls_signature(&spki, scheme, message, signature)
        .map_err(|_| crate::error::PeerMisbehaved::InvalidCertificateVerify.into())
}

/// Decides whether a client's certificate chain is acceptable, for mutual authentication
/// (RFC 5246 §7.4.4, §7.4.6). The server asks for a certificate only when it has one of these.
pub trait ClientCertVerifier: Send + Sync + core::fmt::Debug {
    /// DER-encoded subject names of the acceptable CAs, sent in CertificateRequest's
    /// certificate_authorities so that a client can pick a matching certificate.
    fn root_hint_subjects(&self) -> Vec<Vec<u8>>;

    /// True when a client without a certificate must be refused (verify mode "required");
    /// false when it may continue unauthenticated ("optional").
    fn client_auth_mandatory(&self) -> bool;

    /// Verifies `end_entity` (with the untrusted `intermediates` the client sent) for client
    /// authentication (extendedKeyUsage clientAuth) at time `now`.
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), CertificateError>;

    /// Verifies a signature the peer made in the handshake with the key of `end_entity` (the
    /// certificate it sent and this verifier accepted): TLS 1.2 signatures carry `scheme`,
    /// TLS 1.0/1.1 ones none (RFC 5246 §4.7, RFC 2246 §7.4.3). `message` is what was signed.
    /// The default asks `provider`, the connection's crypto provider; a verifier that holds
    /// its own keys (pinning, hardware) may check it itself.
    fn verify_tls_signature(
        &self,
        provider: &crate::crypto::CryptoProvider,
        message: &[u8],
        end_entity: &CertificateDer<'_>,
        scheme: Option<crate::enums::SignatureScheme>,
        signature: &[u8],
    ) -> Result<(), crate::error::Error> {
        verify_tls_signature_by_provider(provider, message, end_entity, scheme, signature)
    }

    /// The signature schemes this verifier accepts in the handshake, most preferred first
    /// (offered in signature_algorithms and CertificateRequest). The default is the
    /// provider's.
    fn supported_verify_schemes(
        &self,
        provider: &crate::crypto::CryptoProvider,
    ) -> Vec<crate::enums::SignatureScheme> {
        provider.key_provider.verify_schemes().to_vec()
    }
}

/// The verifier's clock: the core never reads the system time itself.
pub trait TimeProvider: Send + Sync + core::fmt::Debug {
    /// The current time, or `None` when no clock is available (verification then fails).
    fn now(&self) -> Option<UnixTime>;
}

mod spki;
pub use spki::{key_matches_certificate, subject_public_key_info};
