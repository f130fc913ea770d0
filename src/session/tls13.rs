//! A TLS 1.3 resumption ticket's state (RFC 8446 §4.6.1, §2.2): what a NewSessionTicket stands
//! for. A server seals it (through its [`super::Ticketer`], in the encoding of `encoding.rs`)
//! into the ticket itself; a client keeps it, with the ticket, in its configuration's
//! [`super::StoresClientSessions`] and offers it once (RFC 8446 §C.4: tickets are single-use on
//! the client, so that two connections cannot be linked by one ticket).
//!
//! The secret kept is the ticket's PSK, `HKDF-Expand-Label(resumption_master_secret,
//! "resumption", ticket_nonce, Hash.length)`: both sides derive it when the ticket is issued, so
//! neither needs the resumption master secret afterwards.

use super::VerifiedBy;
use crate::crypto::Tls13CipherSuite;
use crate::x509::{CertificateDer, UnixTime};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The longest a ticket may be used, in seconds (RFC 8446 §4.6.1: seven days).
pub const MAX_TICKET_LIFETIME_SECS: u32 = 604_800;

/// A TLS 1.3 resumption PSK and what it was negotiated with. Cheap to clone; `Debug` never
/// shows the secret, which is zeroized when the last clone is dropped.
#[derive(Clone)]
pub struct Tls13Session {
    pub(super) inner: Arc<Tls13Value>,
}

pub(super) struct Tls13Value {
    pub(super) suite: &'static Tls13CipherSuite,
    pub(super) psk: Zeroizing<Vec<u8>>,
    pub(super) age_add: u32,
    pub(super) lifetime_secs: u32,
    pub(super) creation_time: Option<UnixTime>,
    pub(super) max_early_data: u32,
    pub(super) alpn: Option<Vec<u8>>,
    pub(super) server_name: Option<String>,
    pub(super) session_id_context: Vec<u8>,
    pub(super) peer_certificates: Vec<CertificateDer<'static>>,
    /// On a client, the ticket (the PSK identity).
    pub(super) ticket: Vec<u8>,
    pub(super) verified_by: Option<VerifiedBy>,
    /// On a client, [`HANDED_OUT`] and [`OFFERED`]: where the ticket is in its single use
    /// (RFC 8446 §C.4). Shared by every clone, not part of the encoding.
    pub(super) use_state: AtomicU8,
}

/// The application has the ticket (`ConnectionCommon::tls13_session`): the session store no
/// longer offers it, only a connection it is given to does.
const HANDED_OUT: u8 = 1;
/// A ClientHello offered the ticket given to its connection: no other connection offers it.
const OFFERED: u8 = 2;

/// The parts of a [`Tls13Session`], for the handshake that issues or receives one.
pub(crate) struct Tls13SessionParts {
    pub(crate) suite: &'static Tls13CipherSuite,
    pub(crate) psk: Zeroizing<Vec<u8>>,
    pub(crate) age_add: u32,
    pub(crate) lifetime_secs: u32,
    pub(crate) creation_time: Option<UnixTime>,
    pub(crate) max_early_data: u32,
    pub(crate) alpn: Option<Vec<u8>>,
    pub(crate) server_name: Option<String>,
    pub(crate) session_id_context: Vec<u8>,
    pub(crate) peer_certificates: Vec<CertificateDer<'static>>,
    pub(crate) ticket: Vec<u8>,
    pub(crate) verified_by: Option<VerifiedBy>,
}

impl Tls13Session {
    pub(crate) fn new(p: Tls13SessionParts) -> Self {
        Self {
            inner: Arc::new(Tls13Value {
                suite: p.suite,
                psk: p.psk,
                age_add: p.age_add,
                lifetime_secs: p.lifetime_secs.min(MAX_TICKET_LIFETIME_SECS),
                creation_time: p.creation_time,
                max_early_data: p.max_early_data,
                alpn: p.alpn,
                server_name: p.server_name,
                session_id_context: p.session_id_context,
                peer_certificates: p.peer_certificates,
                ticket: p.ticket,
                verified_by: p.verified_by,
                use_state: AtomicU8::new(0),
            }),
        }
    }

    /// The cipher suite of the connection that issued the ticket; a resumption must use one
    /// with the same hash (RFC 8446 §4.2.11).
    pub fn cipher_suite(&self) -> &'static Tls13CipherSuite {
        self.inner.suite
    }

    pub(crate) fn psk(&self) -> &[u8] {
        &self.inner.psk
    }

    /// The ticket (the PSK identity), on a client.
    pub fn ticket(&self) -> &[u8] {
        &self.inner.ticket
    }

    /// `ticket_age_add` (RFC 8446 §4.6.1), which obfuscates the age the client reports.
    pub(crate) fn age_add(&self) -> u32 {
        self.inner.age_add
    }

    /// The ticket's lifetime in seconds (at most seven days).
    pub fn lifetime_secs(&self) -> u32 {
        self.inner.lifetime_secs
    }

    /// When the ticket was issued (server) or received (client), by the configuration's clock.
    pub fn creation_time(&self) -> Option<UnixTime> {
        self.inner.creation_time
    }

    /// The server's max_early_data_size for this ticket (0: no early data). ferrotls never
    /// sends early data; the value is kept for the record.
    pub fn max_early_data(&self) -> u32 {
        self.inner.max_early_data
    }

    /// The application protocol of the connection that issued the ticket.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.inner.alpn.as_deref()
    }

    /// On a client, the name the ticket was received from; on a server, the client's SNI.
    pub fn server_name(&self) -> Option<&str> {
        self.inner.server_name.as_deref()
    }

    /// The server's session-id context when it issued the ticket.
    pub fn session_id_context(&self) -> &[u8] {
        &self.inner.session_id_context
    }

    /// The peer's certificate chain as verified in the full handshake (leaf first).
    pub fn peer_certificates(&self) -> &[CertificateDer<'static>] {
        &self.inner.peer_certificates
    }

    pub(crate) fn verified_by(&self) -> Option<&VerifiedBy> {
        self.inner.verified_by.as_ref()
    }

    /// The same ticket tied to the verification `verified_by` (a client importing it).
    pub(crate) fn with_verified_by(&self, verified_by: VerifiedBy) -> Self {
        let s = &self.inner;
        Self::new(Tls13SessionParts {
            suite: s.suite,
            psk: s.psk.clone(),
            age_add: s.age_add,
            lifetime_secs: s.lifetime_secs,
            creation_time: s.creation_time,
            max_early_data: s.max_early_data,
            alpn: s.alpn.clone(),
            server_name: s.server_name.clone(),
            session_id_context: s.session_id_context.clone(),
            peer_certificates: s.peer_certificates.clone(),
            ticket: s.ticket.clone(),
            verified_by: Some(verified_by),
        })
    }

    /// Hands the ticket to the application (`ConnectionCommon::tls13_session`): from now on
    /// the session store skips it. False, and nothing changes, once a connection has offered it.
    pub(crate) fn hand_out(&self) -> bool {
        let state = &self.inner.use_state;
        state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
                (s & OFFERED == 0).then_some(s | HANDED_OUT)
            })
            .is_ok()
    }

    /// Claims the ticket for the ClientHello of the connection it was given to
    /// (`ClientConnection::new_resuming_tls13`): true the first time only, whichever clone
    /// asks, so that no two connections offer it (RFC 8446 §C.4).
    pub(crate) fn claim_given(&self) -> bool {
        self.inner.use_state.fetch_or(OFFERED, Ordering::AcqRel) & OFFERED == 0
    }

    /// Claims the ticket for a ClientHello offering it from a session store: false once it was
    /// handed to the application, which decides where it goes. (The store itself gives each
    /// ticket out once; the OpenSSL layer's per-handshake store may offer an `SSL_SESSION`'s
    /// ticket again, as OpenSSL does.)
    pub(crate) fn claim_stored(&self) -> bool {
        let state = &self.inner.use_state;
        state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
                (s & HANDED_OUT == 0).then_some(s | OFFERED)
            })
            .is_ok()
    }

    /// Whether a ClientHello has offered this ticket (this object or a clone of it; a copy
    /// imported from its encoding starts afresh). A client offers each ticket once (RFC 8446
    /// §C.4): [`crate::ClientConnection::new_resuming_tls13`] with an offered ticket has a full
    /// handshake.
    pub fn was_offered(&self) -> bool {
        self.inner.use_state.load(Ordering::Acquire) & OFFERED != 0
    }

    /// The ticket's age in milliseconds at `now` (RFC 8446 §4.2.11.1); `None` when either time
    /// is unknown or `now` is before creation.
    pub(crate) fn age_millis(&self, now: Option<UnixTime>) -> Option<u64> {
        let (created, now) = (self.inner.creation_time?, now?);
        now.as_secs().checked_sub(created.as_secs()).map(|s| s.saturating_mul(1000))
    }

    /// True when the lifetime has run out at `now`, or the time is unknown (fails closed).
    pub fn is_expired(&self, now: Option<UnixTime>) -> bool {
        match self.age_millis(now) {
            Some(age) => age >= u64::from(self.inner.lifetime_secs) * 1000,
            None => true,
        }
    }
}

impl core::fmt::Debug for Tls13Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = &self.inner;
        f.debug_struct("Tls13Session")
            .field("suite", &s.suite.iana_name)
            .field("lifetime_secs", &s.lifetime_secs)
            .field("creation_time", &s.creation_time.map(|t| t.as_secs()))
            .field("server_name", &s.server_name)
            .field("peer_certificates", &s.peer_certificates.len())
            .field("ticket_len", &s.ticket.len())
            .finish_non_exhaustive()
    }
}
