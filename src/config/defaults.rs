//! Policy in one place: what ferrotls does unless told otherwise.

use crate::msgs::enums::{ProtocolVersion, SignatureScheme};

/// Lowest version without the legacy profile. TLS 1.0 and 1.1 are deprecated (RFC 8996).
pub const MIN_VERSION: ProtocolVersion = ProtocolVersion::TLSv1_2;

/// Highest version spoken unless configured: TLS 1.3 (RFC 8446), preferred whenever the peer
/// speaks it; TLS 1.2 peers are still served (RFC 8446 §4.2.1 negotiation, with the downgrade
/// sentinels of §4.1.3). Pin `versions(.., TLSv1_2)` to stay at 1.2.
pub const MAX_VERSION: ProtocolVersion = ProtocolVersion::TLSv1_3;

/// Highest version this release implements (RFC 8446).
pub const HIGHEST_SUPPORTED_VERSION: ProtocolVersion = ProtocolVersion::TLSv1_3;

/// Lowest version the legacy profile reaches. SSL 3.0 is never spoken (RFC 7568).
pub const LEGACY_MIN_VERSION: ProtocolVersion = ProtocolVersion::TLSv1_0;

/// Extended master secret (RFC 7627) is offered and accepted unless switched off.
pub const EXTENDED_MASTER_SECRET: bool = true;

/// Encrypt-then-MAC (RFC 7366) is offered and accepted for CBC suites unless switched off.
pub const ENCRYPT_THEN_MAC: bool = true;

/// A server that does not signal secure renegotiation (RFC 5746) is refused by a client unless
/// the legacy profile is on: a client is the victim of the renegotiation splice the RFC closes.
/// Servers serve clients without it, in every profile: a ferrotls server never renegotiates,
/// so there is nothing to splice onto (RFC 5746 §4.3 leaves the choice to the server).
pub const REQUIRE_SECURE_RENEGOTIATION: bool = true;

/// Sessions a server keeps for resumption by session ID unless told otherwise (0 disables).
pub const SESSION_CACHE_SIZE: usize = 256;

/// How long a session may be resumed, in seconds: OpenSSL's default (`SSL_CTX_set_timeout`).
pub const SESSION_LIFETIME_SECS: u64 = 300;

/// Signature schemes offered (client: signature_algorithms; server: CertificateRequest) and
/// used, most preferred first, unless configured: ECDSA and Ed25519 (small, fast), then RSA-PSS
/// (RFC 8446 prefers it), then PKCS#1 v1.5, which every TLS 1.2 peer with an RSA key speaks.
/// A side only offers the ones its verifier checks and only signs with the ones its key has.
pub const SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::EcdsaSecp256r1Sha256,
    SignatureScheme::EcdsaSecp384r1Sha384,
    SignatureScheme::Ed25519,
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
];

/// What the legacy profile adds at the end of [`SIGNATURE_SCHEMES`]: the SHA-1 schemes, which
/// RFC 9155 deprecates and older peers still need.
pub const LEGACY_SIGNATURE_SCHEMES: &[SignatureScheme] =
    &[SignatureScheme::RsaPkcs1Sha1, SignatureScheme::EcdsaSha1Legacy];

/// Session tickets (RFC 5077) are offered by clients and issued by servers unless switched off.
pub const SESSION_TICKETS: bool = true;

/// TLS 1.3 tickets a server sends after each handshake (RFC 8446 §4.6.1), as OpenSSL does:
/// two, so a client can open two connections without reusing one (tickets are single-use).
pub const TLS13_TICKETS: usize = 2;

/// The most TLS 1.3 tickets a server sends after a handshake, whatever it is set to: each is a
/// record of work and bytes in one flight, and a client keeps only a few per server
/// ([`crate::session::TLS13_TICKETS_PER_NAME`]), so a larger count only costs.
pub const MAX_TLS13_TICKETS: usize = 16;

/// How far the ticket age a client reports may stray from the age the server computes before
/// the ticket is refused (RFC 8446 §8.3 leaves the window to the server): the server's clock
/// counts whole seconds, and a client's clock may drift.
pub const TLS13_TICKET_AGE_TOLERANCE_MILLIS: u64 = 10_000;

/// Early data (0-RTT) a server skips when it rejects it (RFC 8446 §4.2.10) and it advertised
/// no larger max_early_data_size: one full record's worth, as OpenSSL does.
pub const EARLY_DATA_SKIP_LIMIT: u32 = 16_384;

/// How often a server's ticket keys rotate, in seconds: a ticket opens for between one and two
/// periods (current key, then previous key), and its lifetime hint says one period.
pub const TICKET_KEY_ROTATION_SECS: u64 = 6 * 60 * 60;

/// Server names a client configuration keeps a session for (least recently used evicted).
pub const CLIENT_SESSION_CACHE_SIZE: usize = 256;
