//! Error mapping: the OpenSSL reason code (`SSL_R_*`) queued for each ferrotls error kind.

use crate::error::{CertificateError, Error, PeerIncompatible, PeerMisbehaved, PolicyError};
use crate::openssl::err::{self, ssl_r, LIB_SSL};

/// Queues the OpenSSL error for a ferrotls error, with ferrotls' text as the detail.
pub fn raise_error(e: &Error, func: &'static str) {
    let reason = match e {
        // A server requiring a client certificate got an empty Certificate message: OpenSSL
        // names that case apart from a chain that failed to verify.
        Error::InvalidCertificate(CertificateError::NoCertificate) => {
            ssl_r::PEER_DID_NOT_RETURN_A_CERTIFICATE
        }
        Error::InvalidCertificate(_) => ssl_r::CERTIFICATE_VERIFY_FAILED,
        Error::AlertReceived(a) => ssl_r::ALERT_OFFSET + u32::from(u8::from(*a)),
        Error::DecryptError => ssl_r::DECRYPTION_FAILED_OR_BAD_RECORD_MAC,
        Error::RecordOverflow => ssl_r::ENCRYPTED_LENGTH_TOO_LONG,
        Error::Truncated => ssl_r::UNEXPECTED_EOF_WHILE_READING,
        Error::PeerIncompatible(p) => match p {
            PeerIncompatible::NoCommonVersion { .. } | PeerIncompatible::Ssl3Refused => {
                ssl_r::UNSUPPORTED_PROTOCOL
            }
            PeerIncompatible::NoCommonCipherSuite { .. } | PeerIncompatible::NoUsableCipherSuite(_) => {
                ssl_r::NO_SHARED_CIPHER
            }
            PeerIncompatible::SecureRenegotiationUnsupported => ssl_r::UNSAFE_LEGACY_RENEGOTIATION_DISABLED,
            PeerIncompatible::NoApplicationProtocol | PeerIncompatible::ApplicationProtocolRefused => {
                ssl_r::NO_APPLICATION_PROTOCOL
            }
            _ => ssl_r::BAD_PACKET,
        },
        Error::PeerMisbehaved(p) => match p {
            PeerMisbehaved::IncorrectFinished => ssl_r::DIGEST_CHECK_FAILED,
            PeerMisbehaved::InappropriateFallback => ssl_r::INAPPROPRIATE_FALLBACK,
            PeerMisbehaved::UnexpectedMessage { .. } | PeerMisbehaved::EarlyApplicationData => {
                ssl_r::UNEXPECTED_MESSAGE
            }
            PeerMisbehaved::BadRecordVersion(_) | PeerMisbehaved::SelectedUnofferedVersion(_) => {
                ssl_r::WRONG_VERSION_NUMBER
            }
            _ => ssl_r::BAD_PACKET,
        },
        Error::InvalidMessage(_) => ssl_r::BAD_PACKET,
        Error::Policy(PolicyError::SessionIdContextUninitialized) => ssl_r::SESSION_ID_CONTEXT_UNINITIALIZED,
        Error::Policy(p) if p.is_about_versions() => ssl_r::NO_PROTOCOLS_AVAILABLE,
        Error::Policy(_) => ssl_r::NO_CIPHERS_AVAILABLE,
        // The rest of the configuration (certificate, key, ALPN list) was checked when it was set.
        Error::Config(_) => ssl_r::BAD_VALUE,
        _ => err::other_r::INTERNAL_ERROR,
    };
    err::push_at(LIB_SSL, reason, func, file!(), line!(), Some(e.to_string()));
}
