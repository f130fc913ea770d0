//! The one error type. Each variant fixes both the alert sent to the peer and the reason a
//! person reads, so the two never drift apart (RFC 5246 §7.2).

use crate::codec::InvalidMessage;
use crate::msgs::enums::{AlertDescription, ContentType, HandshakeType, ProtocolVersion};
use core::fmt;

/// Everything that can go wrong in a TLS connection or its configuration.
///
/// Errors are sticky: once a connection returns one, every later call returns the same error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A message from the peer could not be decoded (alert: decode_error).
    InvalidMessage(InvalidMessage),
    /// The peer broke a protocol rule.
    PeerMisbehaved(PeerMisbehaved),
    /// The peer wants something this configuration does not allow.
    PeerIncompatible(PeerIncompatible),
    /// The peer's certificate was rejected.
    InvalidCertificate(CertificateError),
    /// The peer sent a fatal alert.
    AlertReceived(AlertDescription),
    /// A record failed authentication (alert: bad_record_mac).
    DecryptError,
    /// A record exceeded the RFC 5246 §6.2 size limits (alert: record_overflow).
    RecordOverflow,
    /// The transport closed without the peer's close_notify: data may have been cut short.
    Truncated,
    /// The random source failed (alert: internal_error).
    FailedToGetRandomBytes,
    /// The configuration asks for something impossible or not allowed; no alert (nothing was sent).
    Config(String),
    /// The configured versions, cipher suites or session settings cannot make a handshake, by
    /// kind (so callers such as the OpenSSL layer tell them apart without reading text).
    Policy(PolicyError),
    /// The application used the API out of order.
    Usage(&'static str),
    /// A bug or an unexpected failure inside ferrotls (alert: internal_error).
    Internal(&'static str),
}

impl Error {
    /// The alert to send the peer for this error, if any.
    pub fn alert(&self) -> Option<AlertDescription> {
        use AlertDescription as A;
        Some(match self {
            Self::InvalidMessage(_) => A::DecodeError,
            Self::PeerMisbehaved(p) => p.alert(),
            Self::PeerIncompatible(p) => p.alert(),
            Self::InvalidCertificate(c) => c.alert(),
            Self::DecryptError => A::BadRecordMac,
            Self::RecordOverflow => A::RecordOverflow,
            Self::FailedToGetRandomBytes | Self::Internal(_) => A::InternalError,
            Self::Policy(p) => return p.alert(),
            Self::AlertReceived(_) | Self::Truncated | Self::Config(_) | Self::Usage(_) => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidMessage(m) => write!(f, "received an undecodable message: {m:?}"),
            Self::PeerMisbehaved(p) => write!(f, "peer misbehaved: {p}"),
            Self::PeerIncompatible(p) => write!(f, "peer is incompatible: {p}"),
            Self::InvalidCertificate(c) => write!(f, "invalid peer certificate: {c}"),
            Self::AlertReceived(a) => write!(f, "received fatal alert: {}", a.name()),
            Self::DecryptError => f.write_str("a record failed authentication (bad_record_mac)"),
            Self::RecordOverflow => f.write_str("received a record larger than the protocol allows"),
            Self::Truncated => f.write_str(
                "connection truncated: the peer closed the transport without sending close_notify",
            ),
            Self::FailedToGetRandomBytes => f.write_str("the system random source failed"),
            Self::Config(s) => write!(f, "configuration error: {s}"),
            Self::Policy(p) => write!(f, "configuration error: {p}"),
            Self::Usage(s) => write!(f, "API misuse: {s}"),
            Self::Internal(s) => write!(f, "internal error: {s}"),
        }
    }
}

impl std::error::Error for Error {}

/// Why a configuration's versions, suites or session settings cannot make a handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// A protocol version ferrotls does not implement.
    UnsupportedVersion(ProtocolVersion),
    /// The minimum version is above the maximum.
    VersionsInverted {
        /// The configured minimum.
        min: ProtocolVersion,
        /// The configured maximum.
        max: ProtocolVersion,
    },
    /// A version deprecated by RFC 8996 without the legacy profile.
    VersionNeedsLegacy(ProtocolVersion),
    /// A cipher list names a suite that is unknown or that the provider lacks.
    UnknownCipherSuite(String),
    /// A cipher list names no suite.
    EmptyCipherList,
    /// A weak suite without the legacy profile.
    SuiteNeedsLegacy {
        /// OpenSSL's name of the suite.
        openssl_name: &'static str,
        /// The IANA name of the suite.
        iana_name: &'static str,
    },
    /// None of the configured suites can be used at the highest configured version.
    NoSuiteForVersion(ProtocolVersion),
    /// A server that verifies client certificates but has no session-id context found the
    /// client's session in its cache (OpenSSL's `SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED`): it
    /// cannot tell whether the session was made under the same verification policy.
    SessionIdContextUninitialized,
}

impl PolicyError {
    /// The alert, for the one kind found during a handshake (internal_error, as OpenSSL sends).
    fn alert(&self) -> Option<AlertDescription> {
        matches!(self, Self::SessionIdContextUninitialized).then_some(AlertDescription::InternalError)
    }

    /// Whether the versions (rather than the suites or sessions) are at fault.
    pub fn is_about_versions(&self) -> bool {
        matches!(
            self,
            Self::UnsupportedVersion(_) | Self::VersionsInverted { .. } | Self::VersionNeedsLegacy(_)
        )
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedVersion(v) => write!(f, "{} is not supported", v.name()),
            Self::VersionsInverted { min, max } => {
                write!(f, "minimum version {} is above maximum version {}", min.name(), max.name())
            }
            Self::VersionNeedsLegacy(v) => {
                write!(f, "{} is deprecated (RFC 8996) and needs the legacy profile (--legacy)", v.name())
            }
            Self::UnknownCipherSuite(name) => write!(f, "unknown or unsupported cipher suite '{name}'"),
            Self::EmptyCipherList => f.write_str("the cipher list names no cipher suite"),
            Self::SuiteNeedsLegacy { openssl_name, iana_name } => {
                write!(f, "cipher suite {openssl_name} ({iana_name}) is weak and needs the legacy profile (--legacy)")
            }
            Self::NoSuiteForVersion(v) => {
                write!(f, "none of the configured cipher suites can be used with {}", v.name())
            }
            Self::SessionIdContextUninitialized => f.write_str(
                "session id context uninitialized: a server verifying client certificates needs one to resume sessions",
            ),
        }
    }
}

impl From<PolicyError> for Error {
    fn from(p: PolicyError) -> Self {
        Self::Policy(p)
    }
}

impl From<InvalidMessage> for Error {
    fn from(m: InvalidMessage) -> Self {
        Self::InvalidMessage(m)
    }
}

impl From<PeerMisbehaved> for Error {
    fn from(p: PeerMisbehaved) -> Self {
        Self::PeerMisbehaved(p)
    }
}

impl From<PeerIncompatible> for Error {
    fn from(p: PeerIncompatible) -> Self {
        Self::PeerIncompatible(p)
    }
}

impl From<CertificateError> for Error {
    fn from(c: CertificateError) -> Self {
        Self::InvalidCertificate(c)
    }
}

impl From<crate::crypto::GetRandomFailed> for Error {
    fn from(_: crate::crypto::GetRandomFailed) -> Self {
        Self::FailedToGetRandomBytes
    }
}

/// Protocol rule violations, each with the alert RFC 5246 (or the cited RFC) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeerMisbehaved {
    /// A message arrived that the handshake state does not allow (unexpected_message).
    UnexpectedMessage {
        /// What the state machine waits for.
        expected: &'static str,
        /// What arrived.
        got: MessageKind,
    },
    /// The peer's Finished verify_data is wrong (decrypt_error, RFC 5246 §7.4.9).
    IncorrectFinished,
    /// ServerHello chose a suite the client did not offer (illegal_parameter).
    SelectedUnofferedCipherSuite(u16),
    /// ServerHello chose a version outside the client's range (protocol_version).
    SelectedUnofferedVersion(ProtocolVersion),
    /// ServerHello chose a compression method other than null (illegal_parameter).
    SelectedCompression,
    /// ServerHello carried an extension the client did not offer (unsupported_extension,
    /// RFC 5246 §7.4.1.4).
    UnsolicitedExtension(u16),
    /// renegotiation_info did not match (handshake_failure, RFC 5746 §3.4/§3.6).
    BadRenegotiationInfo,
    /// A TLS_FALLBACK_SCSV arrived with a version below our highest (inappropriate_fallback,
    /// RFC 7507 §3).
    InappropriateFallback,
    /// The client offered no null compression method (illegal_parameter, RFC 5246 §7.4.1.2).
    NoNullCompression,
    /// A handshake message exceeded the configured size limit (decode_error... handshake_failure).
    HandshakeMessageTooLarge(usize),
    /// Data of another content type arrived between fragments of a handshake message
    /// (unexpected_message, RFC 5246 §6.2.1).
    InterleavedHandshakeFragment,
    /// A ChangeCipherSpec record was not exactly one byte of value 1 (unexpected_message, as
    /// OpenSSL sends and tlsfuzzer expects: RFC 5246 §7.1 defines no other content).
    BadChangeCipherSpec,
    /// Application data arrived before the handshake finished (unexpected_message).
    EarlyApplicationData,
    /// An empty record of a type that may not be empty (unexpected_message... decode_error).
    EmptyRecord(ContentType),
    /// The peer keeps sending empty or warning-only records without progress (unexpected_message).
    TooManyEmptyRecords,
    /// The peer asked to renegotiate again after being refused several times (unexpected_message).
    TooManyRenegotiationRequests,
    /// Extended master secret was used for the handshake and the peer dropped it, or the
    /// configuration requires it (handshake_failure, RFC 7627 §5.2).
    ExtendedMasterSecretMissing,
    /// A record arrived with a version byte the connection does not use (protocol_version).
    BadRecordVersion(u16),
    /// The client's CertificateVerify signature does not verify (decrypt_error, RFC 5246 §7.4.8).
    InvalidCertificateVerify,
    /// A signature used a scheme we did not offer (illegal_parameter, RFC 5246 §7.4.1.4.1).
    UnofferedSignatureScheme(u16),
    /// ServerHello selected an application protocol the client did not offer, or answered
    /// ALPN when the client sent none (illegal_parameter, RFC 7301 §3.2).
    SelectedUnofferedApplicationProtocol(Vec<u8>),
    /// A server resumed our session with another version or cipher suite (illegal_parameter,
    /// RFC 5246 §7.4.1.3).
    ResumedSessionParametersChanged,
    /// A server resumed our session with the extended master secret status changed
    /// (handshake_failure, RFC 7627 §5.3).
    ResumedExtendedMasterSecretChanged,
    /// A server resumed our encrypt-then-MAC session without it (handshake_failure, RFC 7366 §3.1).
    ResumedEncryptThenMacDropped,
    /// A TLS 1.3 rule (RFC 8446) broken: the rule in words and the alert §6 asks for.
    Tls13(&'static str, AlertDescription),
    /// The ServerKeyExchange signature does not verify with the server certificate's key
    /// (decrypt_error, RFC 5246 §7.4.3 / RFC 8422 §5.4).
    InvalidServerKeyExchangeSignature,
    /// ServerKeyExchange named a group the client did not offer (illegal_parameter, RFC 8422 §5.4).
    SelectedUnofferedGroup(u16),
    /// The peer's ECDHE public value is not a valid point of its group, or gives an all-zero
    /// X25519 secret (illegal_parameter, RFC 8422 §5.11, RFC 7748 §6.1).
    InvalidKeyShare(crate::enums::NamedGroup),
    /// ServerHello's ec_point_formats left out uncompressed (illegal_parameter, RFC 8422 §5.2).
    UncompressedPointFormatMissing,
}

impl PeerMisbehaved {
    fn alert(&self) -> AlertDescription {
        use AlertDescription as A;
        match self {
            Self::UnexpectedMessage { .. }
            | Self::InterleavedHandshakeFragment
            | Self::EarlyApplicationData
            | Self::EmptyRecord(_)
            | Self::TooManyEmptyRecords
            | Self::TooManyRenegotiationRequests
            | Self::BadChangeCipherSpec => A::UnexpectedMessage,
            Self::IncorrectFinished
            | Self::InvalidCertificateVerify
            | Self::InvalidServerKeyExchangeSignature => A::DecryptError,
            Self::SelectedUnofferedGroup(_)
            | Self::InvalidKeyShare(_)
            | Self::UncompressedPointFormatMissing => A::IllegalParameter,
            Self::SelectedUnofferedCipherSuite(_)
            | Self::SelectedCompression
            | Self::NoNullCompression
            | Self::UnofferedSignatureScheme(_)
            | Self::SelectedUnofferedApplicationProtocol(_) => A::IllegalParameter,
            Self::ResumedSessionParametersChanged => A::IllegalParameter,
            Self::SelectedUnofferedVersion(_) | Self::BadRecordVersion(_) => A::ProtocolVersion,
            Self::UnsolicitedExtension(_) => A::UnsupportedExtension,
            Self::BadRenegotiationInfo
            | Self::ExtendedMasterSecretMissing
            | Self::ResumedExtendedMasterSecretChanged
            | Self::ResumedEncryptThenMacDropped => A::HandshakeFailure,
            Self::InappropriateFallback => A::InappropriateFallback,
            Self::HandshakeMessageTooLarge(_) => A::DecodeError,
            Self::Tls13(_, alert) => *alert,
        }
    }
}

impl fmt::Display for PeerMisbehaved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedMessage { expected, got } => {
                write!(f, "expected {expected} but received {got}")
            }
            Self::IncorrectFinished => f.write_str("the Finished message did not verify"),
            Self::SelectedUnofferedCipherSuite(s) => {
                write!(f, "server selected cipher suite 0x{s:04x}, which was not offered")
            }
            Self::SelectedUnofferedVersion(v) => {
                write!(f, "server selected {}, which was not offered", v.name())
            }
            Self::SelectedCompression => f.write_str("server selected a compression method"),
            Self::UnsolicitedExtension(e) => write!(f, "server sent unrequested extension {e}"),
            Self::BadRenegotiationInfo => f.write_str("renegotiation_info did not verify (RFC 5746)"),
            Self::InappropriateFallback => f.write_str(
                "client signalled a version fallback (TLS_FALLBACK_SCSV) below our highest version",
            ),
            Self::NoNullCompression => f.write_str("ClientHello did not offer null compression"),
            Self::HandshakeMessageTooLarge(n) => write!(f, "handshake message of {n} bytes is too large"),
            Self::InterleavedHandshakeFragment => {
                f.write_str("another record type arrived inside a fragmented handshake message")
            }
            Self::BadChangeCipherSpec => f.write_str("malformed ChangeCipherSpec"),
            Self::EarlyApplicationData => {
                f.write_str("application data arrived before the handshake finished")
            }
            Self::EmptyRecord(t) => write!(f, "empty {t:?} record"),
            Self::TooManyEmptyRecords => f.write_str("too many consecutive empty or warning records"),
            Self::TooManyRenegotiationRequests => {
                f.write_str("the peer kept asking to renegotiate, which ferrotls refuses")
            }
            Self::ExtendedMasterSecretMissing => {
                f.write_str("extended master secret (RFC 7627) was not negotiated")
            }
            Self::BadRecordVersion(v) => write!(f, "record carries version 0x{v:04x}"),
            Self::InvalidCertificateVerify => f.write_str("the CertificateVerify signature does not verify"),
            Self::UnofferedSignatureScheme(s) => {
                write!(f, "peer signed with scheme 0x{s:04x}, which was not offered")
            }
            Self::SelectedUnofferedApplicationProtocol(p) => write!(
                f,
                "server selected application protocol \"{}\" (ALPN), which was not offered",
                p.escape_ascii()
            ),
            Self::ResumedSessionParametersChanged => {
                f.write_str("server resumed the session with another version or cipher suite")
            }
            Self::ResumedExtendedMasterSecretChanged => {
                f.write_str("server resumed the session with its extended master secret status changed")
            }
            Self::Tls13(rule, _) => write!(f, "{rule} (RFC 8446)"),
            Self::ResumedEncryptThenMacDropped => {
                f.write_str("server resumed an encrypt-then-MAC session without encrypt-then-MAC")
            }
            Self::InvalidServerKeyExchangeSignature => f.write_str(
                "the ServerKeyExchange signature does not verify with the server certificate's key",
            ),
            Self::SelectedUnofferedGroup(g) => write!(
                f,
                "server chose key exchange group {} (0x{g:04x}), which was not offered",
                crate::enums::NamedGroup::from(*g).openssl_name()
            ),
            Self::InvalidKeyShare(g) => write!(
                f,
                "the peer's ECDHE public value is not a valid {} key (or gives an all-zero secret)",
                g.openssl_name()
            ),
            Self::UncompressedPointFormatMissing => {
                f.write_str("server's ec_point_formats leaves out the uncompressed format")
            }
        }
    }
}

/// What kind of message arrived, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// A handshake message of this type.
    Handshake(HandshakeType),
    /// A record of a non-handshake content type.
    Record(ContentType),
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Handshake(h) => write!(f, "{h:?}"),
            Self::Record(ContentType::ChangeCipherSpec) => f.write_str("ChangeCipherSpec"),
            Self::Record(ContentType::ApplicationData) => f.write_str("application data"),
            Self::Record(t) => write!(f, "{t:?} record"),
        }
    }
}

/// No common ground with the peer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeerIncompatible {
    /// No protocol version both sides allow (protocol_version).
    NoCommonVersion {
        /// What the peer offered or chose.
        peer: ProtocolVersion,
        /// Whether the version would have been acceptable with the legacy profile.
        needs_legacy: bool,
    },
    /// No cipher suite both sides allow (handshake_failure).
    NoCommonCipherSuite {
        /// Whether a legacy suite (3DES, RC4) would have matched with the legacy profile.
        needs_legacy: bool,
    },
    /// The peer asked for SSL 3.0 or older (protocol_version, RFC 7568).
    Ssl3Refused,
    /// The peer did not offer secure renegotiation and we require it (handshake_failure).
    SecureRenegotiationUnsupported,
    /// The server's certificate key is not RSA, which RSA key exchange needs (unsupported_certificate).
    ServerKeyNotRsa,
    /// The server asked for a key exchange this client does not implement (handshake_failure).
    UnsupportedKeyExchange,
    /// The client offered ALPN and none of its protocols is one the server accepts
    /// (no_application_protocol, RFC 7301 §3.2).
    NoApplicationProtocol,
    /// The server's ALPN selector refused the client's protocols (no_application_protocol).
    ApplicationProtocolRefused,
    /// TLS 1.3: nothing in common of what the words say (handshake_failure).
    Tls13(&'static str),
    /// Suites overlap, but none can be used: no common group, signature scheme or certificate
    /// type, or the client offered only suites this configuration leaves out
    /// (handshake_failure). The text says which, and what to change.
    NoUsableCipherSuite(String),
    /// The server has no certificate for the name the client asked for (unrecognized_name,
    /// RFC 6066 §3).
    NoCertificateForServerName(String),
    /// The server's certificate resolver chose no certificate for a client that sent no name
    /// (handshake_failure).
    NoCertificate,
}

impl PeerIncompatible {
    fn alert(&self) -> AlertDescription {
        use AlertDescription as A;
        match self {
            Self::NoCommonVersion { .. } | Self::Ssl3Refused => A::ProtocolVersion,
            Self::ServerKeyNotRsa => A::UnsupportedCertificate,
            Self::NoCommonCipherSuite { .. }
            | Self::NoUsableCipherSuite(_)
            | Self::SecureRenegotiationUnsupported
            | Self::UnsupportedKeyExchange
            | Self::Tls13(_) => A::HandshakeFailure,
            Self::NoApplicationProtocol | Self::ApplicationProtocolRefused => A::NoApplicationProtocol,
            Self::NoCertificateForServerName(_) => A::UnrecognizedName,
            Self::NoCertificate => A::HandshakeFailure,
        }
    }
}

impl fmt::Display for PeerIncompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoCommonVersion { peer, needs_legacy } => {
                write!(f, "no common protocol version (peer: {})", peer.name())?;
                if *needs_legacy {
                    f.write_str("; TLS 1.0/1.1 need the legacy profile (--legacy)")?;
                }
                Ok(())
            }
            Self::NoCommonCipherSuite { needs_legacy } => {
                f.write_str("no common cipher suite")?;
                if *needs_legacy {
                    f.write_str("; the peer's suites (3DES/RC4) need the legacy profile (--legacy)")?;
                }
                Ok(())
            }
            Self::Ssl3Refused => f.write_str("peer offered only SSL 3.0 or older, which is never allowed"),
            Self::SecureRenegotiationUnsupported => {
                f.write_str("peer does not support secure renegotiation (RFC 5746)")
            }
            Self::ServerKeyNotRsa => f.write_str("server certificate key is not RSA"),
            Self::UnsupportedKeyExchange => f.write_str("server asked for an unsupported key exchange"),
            Self::NoApplicationProtocol => {
                f.write_str("none of the client's application protocols (ALPN) is accepted")
            }
            Self::ApplicationProtocolRefused => {
                f.write_str("the ALPN selector refused the client's application protocols")
            }
            Self::Tls13(what) => f.write_str(what),
            Self::NoUsableCipherSuite(why) => write!(f, "no cipher suite both sides can use: {why}"),
            Self::NoCertificateForServerName(name) => {
                write!(f, "the server has no certificate for the name the client asked for ({name})")
            }
            Self::NoCertificate => f.write_str("the server has no certificate for this client"),
        }
    }
}

/// Why a certificate was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateError {
    /// Not valid DER or not an X.509 certificate (bad_certificate).
    BadEncoding,
    /// The certificate's notAfter is in the past (certificate_expired).
    Expired,
    /// The certificate's notBefore is in the future (certificate_expired).
    NotValidYet,
    /// No path to a trust anchor (unknown_ca).
    UnknownIssuer,
    /// The end-entity certificate is self-signed and not itself trusted (unknown_ca, as OpenSSL's
    /// `X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT` is answered).
    SelfSignedLeaf,
    /// An issuer's signature did not verify (decrypt_error... bad_certificate).
    BadSignature,
    /// The signature algorithm is not accepted (SHA-1 outside the legacy profile, MD5 ever).
    UnsupportedSignatureAlgorithm,
    /// The certificate is not valid for the name the client asked for (bad_certificate).
    NotValidForName(String),
    /// The certificate may not be used for this purpose: EKU, key usage (unsupported_certificate).
    InvalidPurpose,
    /// A CA certificate (basicConstraints CA:TRUE) was presented as the end entity without being
    /// one of the trust anchors itself (unsupported_certificate).
    CaUsedAsEndEntity,
    /// A CA in the chain may not issue certificates, or its constraints are broken (bad_certificate).
    NotAllowedToSign,
    /// The chain is longer than allowed (bad_certificate).
    ChainTooLong,
    /// The certificate has been revoked (certificate_revoked).
    Revoked,
    /// An unrecognised critical extension (unsupported_certificate).
    UnhandledCriticalExtension,
    /// The peer sent no certificate.
    NoCertificate,
    /// Any other reason, in words.
    Other(String),
}

impl CertificateError {
    fn alert(&self) -> AlertDescription {
        use AlertDescription as A;
        match self {
            Self::Expired | Self::NotValidYet => A::CertificateExpired,
            Self::UnknownIssuer | Self::SelfSignedLeaf => A::UnknownCa,
            Self::BadSignature => A::DecryptError,
            Self::Revoked => A::CertificateRevoked,
            Self::InvalidPurpose
            | Self::CaUsedAsEndEntity
            | Self::UnhandledCriticalExtension
            | Self::UnsupportedSignatureAlgorithm => A::UnsupportedCertificate,
            Self::NoCertificate => A::HandshakeFailure,
            Self::BadEncoding
            | Self::NotValidForName(_)
            | Self::NotAllowedToSign
            | Self::ChainTooLong
            | Self::Other(_) => A::BadCertificate,
        }
    }
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadEncoding => f.write_str("certificate is not valid DER"),
            Self::Expired => f.write_str("certificate has expired"),
            Self::NotValidYet => f.write_str("certificate is not yet valid"),
            Self::UnknownIssuer => f.write_str("unknown issuer: no path to a trusted CA"),
            Self::SelfSignedLeaf => f.write_str("self-signed certificate that is not trusted"),
            Self::BadSignature => f.write_str("certificate signature does not verify"),
            Self::UnsupportedSignatureAlgorithm => {
                f.write_str("certificate signature algorithm not accepted")
            }
            Self::NotValidForName(n) => write!(f, "certificate is not valid for {n}"),
            Self::InvalidPurpose => f.write_str("certificate not valid for this purpose"),
            Self::CaUsedAsEndEntity => f.write_str(
                "a CA certificate (basicConstraints CA:TRUE) was used as an end-entity certificate; \
                 it is accepted only when it is itself one of the trusted certificates",
            ),
            Self::NotAllowedToSign => f.write_str("issuer is not allowed to sign certificates"),
            Self::ChainTooLong => f.write_str("certificate chain too long"),
            Self::Revoked => f.write_str("certificate has been revoked"),
            Self::UnhandledCriticalExtension => f.write_str("unhandled critical extension"),
            Self::NoCertificate => f.write_str("no certificate presented, and one is required"),
            Self::Other(s) => f.write_str(s),
        }
    }
}
