//! TLS 1.0–1.2 sessions and their resumption by session ID (RFC 5246 §7.3, §7.4.1.2) or by
//! session ticket (RFC 5077): what a full handshake leaves behind so that a later connection
//! can skip the key exchange, its one byte encoding (`encoding.rs`), the server's bounded
//! cache, the ticket keys that seal sessions into tickets (`ticket.rs`) and the client's
//! bounded session store (`client_store.rs`). TLS 1.3 resumption tickets (RFC 8446 §4.6.1)
//! are [`Tls13Session`]s (`tls13.rs`): sealed by the same ticketer in the same encoding
//! (format 2), kept by the same client store, several per server name, each offered once.
//!
//! A client keeps its sessions in the [`StoresClientSessions`] of its configuration and offers
//! them again by itself; it can also take a [`Tls12Session`] from a finished connection
//! (`ClientConnection::session`) and offer it with `ClientConnection::new_resuming`. A server
//! seals sessions into tickets with the [`Ticketer`] of its configuration (by default
//! [`TicketKeys`]) for clients that support them, and keeps the others' sessions in its
//! [`StoresServerSessions`] (by default a [`ServerSessionMemoryCache`] of
//! [`crate::config::defaults::SESSION_CACHE_SIZE`] entries).
#![forbid(unsafe_code)]

mod cache;
mod client_store;
mod encoding;
mod ticket;
mod tls13;

pub use cache::{NoServerSessionStorage, ServerSessionMemoryCache, StoresServerSessions};
pub use client_store::{ClientSessionMemoryCache, StoresClientSessions, TLS13_TICKETS_PER_NAME};
pub use encoding::{
    SessionDecodeError, MAX_SESSION_ENCODING_LEN, SESSION_FORMAT_TLS13, SESSION_FORMAT_VERSION,
};
pub use ticket::{NoTickets, OpenedTicket, TicketKeys, Ticketer, TICKET_KEY_NAME_LEN};
pub(crate) use tls13::Tls13SessionParts;
pub use tls13::{Tls13Session, MAX_TICKET_LIFETIME_SECS};

use crate::crypto::Tls12CipherSuite;
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::SessionId;
use crate::x509::{CertificateDer, ServerCertVerifier, UnixTime};
use std::sync::Arc;
use zeroize::Zeroizing;

/// Largest session-id context (OpenSSL's `SSL_MAX_SID_CTX_LENGTH`).
pub const MAX_SESSION_ID_CONTEXT_LEN: usize = 32;

/// What a full handshake negotiated, kept so that a later connection can resume it
/// (RFC 5246 §7.4.1.2: "the session_id ... the peer certificate, the compression method, the
/// cipher spec and the master secret").
///
/// Cheap to clone (the parts are shared). `Debug` never shows the master secret, which is
/// zeroized when the last clone is dropped.
#[derive(Clone)]
pub struct Tls12Session {
    inner: Arc<SessionValue>,
}

struct SessionValue {
    id: SessionId,
    version: ProtocolVersion,
    suite: &'static Tls12CipherSuite,
    master_secret: Zeroizing<[u8; 48]>,
    extended_master_secret: bool,
    encrypt_then_mac: bool,
    peer_certificates: Vec<CertificateDer<'static>>,
    server_name: Option<String>,
    session_id_context: Vec<u8>,
    creation_time: Option<UnixTime>,
    lifetime_secs: u64,
    verified_by: Option<VerifiedBy>,
    /// On a client, the ticket the server issued (RFC 5077 §3.3); empty without one.
    ticket: Vec<u8>,
    /// The server's `ticket_lifetime_hint` in seconds (0: unspecified).
    ticket_lifetime_hint: u32,
}

/// The verification a client session's server certificate went through. A client offers a
/// session only under a configuration with the same one (`handshake::resumption::offerable`):
/// resumption skips the Certificate message, so a session verified by another verifier (or by
/// none, under `dangerous_no_verification`) must not stand in for verification.
#[derive(Clone, Debug)]
pub(crate) enum VerifiedBy {
    /// The configuration's verifier object: configurations built with the same `Arc` (the
    /// same verifier and trust anchors) share it.
    Verifier(Arc<dyn ServerCertVerifier>),
    /// A token the OpenSSL-compatible layer hands out per context and verification settings,
    /// because it builds a new configuration (and verifier) for every handshake.
    #[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
    Token(Arc<()>),
}

impl VerifiedBy {
    /// The same verifier or token: the same allocation. The session holds its `Arc`, so the
    /// address cannot be reused by another verifier while the session lives.
    pub(crate) fn same_as(&self, other: &VerifiedBy) -> bool {
        match (self, other) {
            (Self::Verifier(a), Self::Verifier(b)) => {
                core::ptr::eq(Arc::as_ptr(a) as *const (), Arc::as_ptr(b) as *const ())
            }
            (Self::Token(a), Self::Token(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The parts of a [`Tls12Session`], for the handshake that creates one.
pub(crate) struct SessionParts {
    pub(crate) id: SessionId,
    pub(crate) version: ProtocolVersion,
    pub(crate) suite: &'static Tls12CipherSuite,
    pub(crate) master_secret: Zeroizing<[u8; 48]>,
    pub(crate) extended_master_secret: bool,
    pub(crate) encrypt_then_mac: bool,
    pub(crate) peer_certificates: Vec<CertificateDer<'static>>,
    pub(crate) server_name: Option<String>,
    pub(crate) session_id_context: Vec<u8>,
    pub(crate) creation_time: Option<UnixTime>,
    pub(crate) lifetime_secs: u64,
    /// On a client, the verification the server's certificate went through; `None` on servers.
    pub(crate) verified_by: Option<VerifiedBy>,
    /// On a client, the server's session ticket (RFC 5077 §3.3); empty without one.
    pub(crate) ticket: Vec<u8>,
    /// The ticket's lifetime hint in seconds (0: unspecified).
    pub(crate) ticket_lifetime_hint: u32,
}

impl Tls12Session {
    pub(crate) fn new(p: SessionParts) -> Self {
        Self {
            inner: Arc::new(SessionValue {
                id: p.id,
                version: p.version,
                suite: p.suite,
                master_secret: p.master_secret,
                extended_master_secret: p.extended_master_secret,
                encrypt_then_mac: p.encrypt_then_mac,
                peer_certificates: p.peer_certificates,
                server_name: p.server_name,
                session_id_context: p.session_id_context,
                creation_time: p.creation_time,
                lifetime_secs: p.lifetime_secs,
                verified_by: p.verified_by,
                ticket: p.ticket,
                ticket_lifetime_hint: p.ticket_lifetime_hint,
            }),
        }
    }

    fn parts(&self) -> SessionParts {
        let s = &self.inner;
        SessionParts {
            id: s.id,
            version: s.version,
            suite: s.suite,
            master_secret: s.master_secret.clone(),
            extended_master_secret: s.extended_master_secret,
            encrypt_then_mac: s.encrypt_then_mac,
            peer_certificates: s.peer_certificates.clone(),
            server_name: s.server_name.clone(),
            session_id_context: s.session_id_context.clone(),
            creation_time: s.creation_time,
            lifetime_secs: s.lifetime_secs,
            verified_by: s.verified_by.clone(),
            ticket: s.ticket.clone(),
            ticket_lifetime_hint: s.ticket_lifetime_hint,
        }
    }

    /// The same session with a new ticket from the server (RFC 5077 §3.3: a renewed or first
    /// ticket replaces the one held). The session's creation time stays: renewal does not
    /// extend how long the client offers it.
    pub(crate) fn with_ticket(&self, ticket: Vec<u8>, lifetime_hint: u32) -> Self {
        Self::new(SessionParts { ticket, ticket_lifetime_hint: lifetime_hint, ..self.parts() })
    }

    /// The same session with another session ID: the server-assigned one, or the random one
    /// a client sends with a ticket (RFC 5077 §3.4) that the server echoes when it resumes.
    pub(crate) fn with_id(&self, id: SessionId) -> Self {
        Self::new(SessionParts { id, ..self.parts() })
    }

    /// The same session tied to the verification `verified_by` (a client importing it).
    pub(crate) fn with_verified_by(&self, verified_by: VerifiedBy) -> Self {
        Self::new(SessionParts { verified_by: Some(verified_by), ..self.parts() })
    }

    /// The server's session ticket (RFC 5077), on a client; empty when the session has none.
    pub fn ticket(&self) -> &[u8] {
        &self.inner.ticket
    }

    /// The ticket's lifetime hint in seconds, as the server sent it (0: unspecified).
    pub fn ticket_lifetime_hint(&self) -> u32 {
        self.inner.ticket_lifetime_hint
    }

    /// The session ID the server assigned (1 to 32 bytes; ours are 32).
    pub fn id(&self) -> &[u8] {
        self.inner.id.as_slice()
    }

    pub(crate) fn session_id(&self) -> SessionId {
        self.inner.id
    }

    /// The protocol version of the session; a resumption must use the same one.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.inner.version
    }

    /// The cipher suite of the session; a resumption must use the same one.
    pub fn cipher_suite(&self) -> &'static Tls12CipherSuite {
        self.inner.suite
    }

    pub(crate) fn master_secret(&self) -> &[u8; 48] {
        &self.inner.master_secret
    }

    /// Whether the master secret was derived with extended master secret (RFC 7627).
    pub fn extended_master_secret(&self) -> bool {
        self.inner.extended_master_secret
    }

    /// Whether the full handshake negotiated encrypt-then-MAC (RFC 7366). A resumption may
    /// upgrade to it but never drop it (RFC 7366 §3.1).
    pub fn encrypt_then_mac(&self) -> bool {
        self.inner.encrypt_then_mac
    }

    /// The peer's certificate chain as verified during the full handshake (leaf first). A
    /// resumed connection reports these without verifying them again, as OpenSSL does.
    pub fn peer_certificates(&self) -> &[CertificateDer<'static>] {
        &self.inner.peer_certificates
    }

    /// On a client, the name the session was established with; on a server, the SNI the
    /// client sent. A resumption must use the same name (RFC 6066 §3).
    pub fn server_name(&self) -> Option<&str> {
        self.inner.server_name.as_deref()
    }

    /// The server's session-id context at creation (empty on clients).
    pub fn session_id_context(&self) -> &[u8] {
        &self.inner.session_id_context
    }

    /// When the full handshake finished, by the configuration's clock (`None` without a clock).
    pub fn creation_time(&self) -> Option<UnixTime> {
        self.inner.creation_time
    }

    /// How long the session may be resumed, in seconds from [`Self::creation_time`] (the
    /// configuration's session lifetime at creation). Both sides enforce it with their
    /// configuration's clock: a server does not resume an expired session, a client does not
    /// offer one.
    pub fn lifetime_secs(&self) -> u64 {
        self.inner.lifetime_secs
    }

    pub(crate) fn verified_by(&self) -> Option<&VerifiedBy> {
        self.inner.verified_by.as_ref()
    }

    /// True when `now` is past the end of the lifetime, or unknown (no clock fails closed). A
    /// ticket's lifetime hint shortens it (RFC 5077 §3.3: the client should not use a ticket
    /// past its hint).
    pub fn is_expired(&self, now: Option<UnixTime>) -> bool {
        let mut lifetime = self.inner.lifetime_secs;
        if !self.inner.ticket.is_empty() && self.inner.ticket_lifetime_hint != 0 {
            lifetime = lifetime.min(u64::from(self.inner.ticket_lifetime_hint));
        }
        match (self.inner.creation_time, now) {
            (Some(created), Some(now)) => {
                now.as_secs() < created.as_secs() || now.as_secs() - created.as_secs() >= lifetime
            }
            _ => true,
        }
    }
}

impl core::fmt::Debug for Tls12Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls12Session")
            .field("id_len", &self.inner.id.as_slice().len())
            .field("version", &self.inner.version)
            .field("suite", &self.inner.suite.iana_name)
            .field("extended_master_secret", &self.inner.extended_master_secret)
            .field("encrypt_then_mac", &self.inner.encrypt_then_mac)
            .field("peer_certificates", &self.inner.peer_certificates.len())
            .field("server_name", &self.inner.server_name)
            .field("creation_time", &self.inner.creation_time.map(|t| t.as_secs()))
            .field("lifetime_secs", &self.inner.lifetime_secs)
            .field("ticket_len", &self.inner.ticket.len())
            .finish_non_exhaustive()
    }
}
