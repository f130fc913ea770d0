//! The expected handshake message sequences, written once as data (after s2n's handshake
//! table). Tests run real handshakes and compare what crossed the wire with these.

use crate::msgs::enums::HandshakeType;

/// RFC 5246 §7.3 figure 1: a full handshake with RSA key exchange, no client authentication.
/// Both Finished messages follow a ChangeCipherSpec record, which is not a handshake message.
pub const TLS12_RSA_FULL: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::ServerHelloDone,
    HandshakeType::ClientKeyExchange,
    HandshakeType::Finished,
    HandshakeType::Finished,
];

/// RFC 5246 §7.3 figure 1 with client authentication: the server asks (CertificateRequest), the
/// client answers with Certificate and proves its key with CertificateVerify.
pub const TLS12_RSA_CLIENT_AUTH: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::CertificateRequest,
    HandshakeType::ServerHelloDone,
    HandshakeType::Certificate,
    HandshakeType::ClientKeyExchange,
    HandshakeType::CertificateVerify,
    HandshakeType::Finished,
    HandshakeType::Finished,
];

/// RFC 8422 §2 (ECDHE_RSA, ECDHE_ECDSA): the full handshake with the server's signed
/// ephemeral key in ServerKeyExchange, no client authentication.
pub const TLS12_ECDHE_FULL: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::ServerKeyExchange,
    HandshakeType::ServerHelloDone,
    HandshakeType::ClientKeyExchange,
    HandshakeType::Finished,
    HandshakeType::Finished,
];

/// [`TLS12_ECDHE_FULL`] with client authentication (RFC 8422 §2, RFC 5246 §7.3): CertificateRequest
/// follows ServerKeyExchange.
pub const TLS12_ECDHE_CLIENT_AUTH: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::ServerKeyExchange,
    HandshakeType::CertificateRequest,
    HandshakeType::ServerHelloDone,
    HandshakeType::Certificate,
    HandshakeType::ClientKeyExchange,
    HandshakeType::CertificateVerify,
    HandshakeType::Finished,
    HandshakeType::Finished,
];

/// RFC 5246 §7.3 figure 2: the abbreviated handshake that resumes a session by its ID. The
/// server sends its Finished first; each Finished follows a ChangeCipherSpec record.
pub const TLS12_RSA_ABBREVIATED: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Finished,
    HandshakeType::Finished,
];

/// RFC 5077 §3.1 figure 1: a full handshake that issues a session ticket (both sides do
/// tickets by default). The server's NewSessionTicket precedes its ChangeCipherSpec and
/// Finished.
pub const TLS12_RSA_FULL_WITH_TICKET: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::ServerHelloDone,
    HandshakeType::ClientKeyExchange,
    HandshakeType::Finished,
    HandshakeType::NewSessionTicket,
    HandshakeType::Finished,
];

/// [`TLS12_ECDHE_FULL`] issuing a session ticket (RFC 5077 §3.1 figure 1, RFC 8422 §2): the
/// default TLS 1.2 handshake of two ferrotls peers.
pub const TLS12_ECDHE_FULL_WITH_TICKET: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::Certificate,
    HandshakeType::ServerKeyExchange,
    HandshakeType::ServerHelloDone,
    HandshakeType::ClientKeyExchange,
    HandshakeType::Finished,
    HandshakeType::NewSessionTicket,
    HandshakeType::Finished,
];

/// RFC 5077 §3.1 figure 2: the abbreviated handshake that resumes a session from its ticket
/// (the client's session ID echoed), without a new ticket.
pub const TLS12_ABBREVIATED_BY_TICKET: &[HandshakeType] = TLS12_RSA_ABBREVIATED;

/// RFC 5077 §3.1 figure 2 with a renewed ticket (RFC 5077 §3.3): the server's key for the
/// presented ticket is rotating out, so NewSessionTicket follows ServerHello.
pub const TLS12_ABBREVIATED_RENEWING_TICKET: &[HandshakeType] = &[
    HandshakeType::ClientHello,
    HandshakeType::ServerHello,
    HandshakeType::NewSessionTicket,
    HandshakeType::Finished,
    HandshakeType::Finished,
];
