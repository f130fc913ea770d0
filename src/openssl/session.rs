//! `SSL_SESSION` and the session cache of an `SSL_CTX`.
//!
//! An `SSL_SESSION` is reference counted like OpenSSL's (`SSL_SESSION_up_ref` /
//! `SSL_SESSION_free`, `SSL_get1_session`), so the C pointer is an `Arc::into_raw`; it wraps the
//! engine's [`Tls12Session`]. The server cache is the engine's LRU
//! ([`ServerSessionMemoryCache`]) owned by the context an `SSL` was made from (OpenSSL's
//! `session_ctx`, kept across `SSL_set_SSL_CTX`), shared by every server configuration built
//! for a handshake through a [`HandshakeStore`] that stores only when OpenSSL would.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use libc::{c_int, c_long};

use super::ssl::SSL;
use crate::session::{
    ServerSessionMemoryCache, StoresClientSessions, StoresServerSessions, TicketKeys, Tls12Session,
    Tls13Session,
};
use crate::x509::UnixTime;

/// `int (*new_session_cb)(SSL *, SSL_SESSION *)`.
pub type NewSessionCallback = Option<unsafe extern "C" fn(*mut SSL, *mut SSL_SESSION) -> c_int>;

/// `SSL_SESS_CACHE_CLIENT`.
pub const CACHE_CLIENT: c_long = 0x1;
/// `SSL_SESS_CACHE_SERVER`.
pub const CACHE_SERVER: c_long = 0x2;
/// OpenSSL's `SSL_SESSION_CACHE_MAX_SIZE_DEFAULT`: also what a size of 0 ("no limit" in
/// OpenSSL) means here, so the cache stays bounded.
pub const CACHE_MAX_SIZE_DEFAULT: usize = 1024 * 20;

/// OpenSSL's default session timeout (`SSL_get_default_timeout`, 7200 s), which an encoded TLS 1.3
/// session is given back by `d2i_SSL_SESSION` (the encoding keeps the ticket's lifetime, not the
/// client's timeout).
const DEFAULT_TIMEOUT: c_long = 7200;

/// `SSL_SESSION`.
#[derive(Debug)]
pub struct SSL_SESSION {
    /// The engine's session; `None` when the server gave no session ID (OpenSSL still has a
    /// session object then, with an empty ID, that is not resumable).
    pub session: Option<Tls12Session>,
    /// A TLS 1.3 client session: one NewSessionTicket the server sent after the handshake
    /// (RFC 8446 §4.6.1).
    pub tls13: Option<Tls13Session>,
    /// The ID OpenSSL gives a client session with a ticket and no server-assigned ID: the
    /// ticket's SHA-256 (`SSL_SESSION_get_id`); empty otherwise.
    pub ticket_id: Vec<u8>,
    /// Set when a client resumed with this TLS 1.3 session and its context caches client
    /// sessions: OpenSSL then removes it from the cache, which marks it not resumable (tickets
    /// are single use, RFC 8446 §C.4).
    pub used_up: std::sync::atomic::AtomicBool,
    /// The protocol version.
    pub version: u16,
    /// The cipher suite.
    pub suite: crate::crypto::SupportedCipherSuite,
    /// `SSL_SESSION_get_time`: seconds since the epoch when the full handshake finished.
    pub time: c_long,
    /// `SSL_SESSION_get_timeout`: seconds (the context's `SSL_CTX_set_timeout` at creation).
    pub timeout: c_long,
    /// The verification result of the full handshake, which a resumption reports again
    /// (`SSL_get_verify_result`), as OpenSSL keeps it in the session.
    pub verify_result: c_long,
}

impl SSL_SESSION {
    /// A new object for `session` with the context's timeout.
    pub fn new(session: Tls12Session, timeout: c_long, verify_result: c_long) -> Arc<Self> {
        let time = session.creation_time().map_or(0, |t| t.as_secs() as c_long);
        let ticket_id = if session.id().is_empty() { ticket_id(session.ticket()) } else { Vec::new() };
        let version = u16::from(session.protocol_version());
        let suite = crate::crypto::SupportedCipherSuite::Tls12(session.cipher_suite());
        Arc::new(Self {
            session: Some(session),
            tls13: None,
            ticket_id,
            used_up: Default::default(),
            version,
            suite,
            time,
            timeout,
            verify_result,
        })
    }

    /// A TLS 1.3 client session for one ticket, as OpenSSL makes one per NewSessionTicket:
    /// its ID is the ticket's SHA-256, its time the ticket's arrival, its timeout the
    /// context's.
    pub fn tls13(ticket: Tls13Session, timeout: c_long, verify_result: c_long) -> Arc<Self> {
        let time = ticket.creation_time().map_or_else(now, |t| t.as_secs() as c_long);
        let suite = crate::crypto::SupportedCipherSuite::Tls13(ticket.cipher_suite());
        let ticket_id = ticket_id(ticket.ticket());
        Arc::new(Self {
            session: None,
            tls13: Some(ticket),
            ticket_id,
            used_up: Default::default(),
            version: 0x0304,
            suite,
            time,
            timeout,
            verify_result,
        })
    }

    /// A session the server did not let us resume (empty session ID), or a TLS 1.3 one before
    /// any ticket arrived (and a server's: its tickets carry the state).
    pub fn unresumable(
        version: u16,
        suite: crate::crypto::SupportedCipherSuite,
        timeout: c_long,
        verify_result: c_long,
    ) -> Arc<Self> {
        Arc::new(Self {
            session: None,
            tls13: None,
            ticket_id: Vec::new(),
            used_up: Default::default(),
            version,
            suite,
            time: now(),
            timeout,
            verify_result,
        })
    }

    /// The session ID (empty when not resumable).
    pub fn id(&self) -> &[u8] {
        match &self.session {
            Some(s) if !s.id().is_empty() => s.id(),
            _ => &self.ticket_id,
        }
    }

    /// `SSL_SESSION_is_resumable`: a server-assigned ID or a ticket, and not expired by the
    /// system clock.
    pub fn is_resumable(&self) -> bool {
        (!self.id().is_empty() || self.has_ticket())
            && !self.used_up.load(Ordering::Relaxed)
            && now() < self.time.saturating_add(self.timeout)
    }

    /// The session holds a ticket from the server (RFC 5077).
    pub fn has_ticket(&self) -> bool {
        self.session.as_ref().is_some_and(|s| !s.ticket().is_empty()) || self.tls13.is_some()
    }

    /// `SSL_SESSION_get_ticket_lifetime_hint`: the TLS 1.2 hint, or the TLS 1.3 ticket's
    /// lifetime.
    pub fn ticket_lifetime_hint(&self) -> u32 {
        match (&self.session, &self.tls13) {
            (Some(s), _) => s.ticket_lifetime_hint(),
            (None, Some(t)) => t.lifetime_secs(),
            (None, None) => 0,
        }
    }

    /// `SSL_SESSION_get_max_early_data`: what the server's TLS 1.3 ticket allows (0 otherwise).
    pub fn max_early_data(&self) -> u32 {
        self.tls13.as_ref().map_or(0, |t| t.max_early_data())
    }

    /// `i2d_SSL_SESSION`: the engine's versioned session encoding (not OpenSSL's ASN.1: the
    /// bytes only go back to `d2i_SSL_SESSION` of this library). Empty for a session the
    /// server did not let us resume.
    pub fn to_bytes(&self) -> Vec<u8> {
        match (&self.session, &self.tls13) {
            (Some(s), _) => s.to_bytes().to_vec(),
            (None, Some(t)) => t.to_bytes().to_vec(),
            (None, None) => Vec::new(),
        }
    }

    /// `d2i_SSL_SESSION`: a session from [`Self::to_bytes`]; its certificates are verified
    /// again before a client offers it (`ClientConfig::import_session`).
    pub fn from_bytes(bytes: &[u8]) -> Option<Arc<Self>> {
        if bytes.first() == Some(&crate::session::SESSION_FORMAT_TLS13) {
            let ticket = Tls13Session::from_bytes(bytes, crate::config::default_provider()).ok()?;
            return Some(Self::tls13(ticket, DEFAULT_TIMEOUT, 0));
        }
        let session = Tls12Session::from_bytes(bytes, crate::config::default_provider()).ok()?;
        let timeout = c_long::try_from(session.lifetime_secs()).unwrap_or(c_long::MAX);
        Some(Self::new(session, timeout, 0))
    }
}

/// OpenSSL's ID for a client session with a ticket: SHA-256 of the ticket (empty without one).
fn ticket_id(ticket: &[u8]) -> Vec<u8> {
    if ticket.is_empty() {
        return Vec::new();
    }
    crate::crypto::rustcrypto::libcrypto::Digest::for_nid(672)
        .map(|mut d| {
            d.update(ticket);
            d.finish().to_vec()
        })
        .unwrap_or_default()
}

/// Seconds since the epoch (the OpenSSL layer is outside the sans-IO core).
fn now() -> c_long {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as c_long)
}

/// Hands one reference to C.
pub fn session_to_raw(s: Arc<SSL_SESSION>) -> *mut SSL_SESSION {
    Arc::into_raw(s).cast_mut()
}

/// A new reference to a session C holds, or `None` for NULL.
///
/// # Safety
/// `p` is NULL or a live `SSL_SESSION` from [`session_to_raw`].
pub unsafe fn session_arc(p: *const SSL_SESSION) -> Option<Arc<SSL_SESSION>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller's contract: `p` is a live pointer from Arc::into_raw, so adding a
    // reference and taking it back as an Arc is balanced.
    unsafe {
        Arc::increment_strong_count(p);
        Some(Arc::from_raw(p))
    }
}

/// The session cache of one `SSL_CTX` and its statistics (`SSL_CTX_sess_*`).
#[derive(Debug)]
pub struct CtxSessions {
    /// The LRU, sized by `SSL_CTX_sess_set_cache_size` when a handshake starts.
    pub cache: Arc<ServerSessionMemoryCache>,
    /// `SSL_CTX_sess_set_new_cb`.
    pub new_cb: Mutex<NewSessionCallback>,
    /// `SSL_CTX_sess_connect` / `_connect_good` / `_accept` / `_accept_good` / `_hits`.
    pub connect: AtomicI64,
    /// See `connect`.
    pub connect_good: AtomicI64,
    /// See `connect`.
    pub accept: AtomicI64,
    /// See `connect`.
    pub accept_good: AtomicI64,
    /// See `connect`.
    pub hits: AtomicI64,
    /// The token client sessions of this context carry, per verification settings.
    pub verify_scopes: Mutex<Vec<(VerifyScope, Arc<()>)>>,
    /// The session-ticket keys of every server handshake of this context (RFC 5077): random,
    /// rotated every [`crate::config::defaults::TICKET_KEY_ROTATION_SECS`]. `None` only when
    /// the system RNG failed at creation; then no tickets are issued.
    pub ticket_keys: Option<Arc<TicketKeys>>,
}

/// What a client's verification depends on in the OpenSSL layer: the trusted certificates
/// (compared by object), the verify mode, callback and depth, the host names and the profile.
/// A client session is offered again only under the same ones and from the same context
/// (`SSL_set_session` with a session of another `SSL_CTX` gets a full handshake), because the
/// layer builds a new verifier for every handshake.
#[derive(Debug)]
pub struct VerifyScope {
    /// The store's certificates when the handshake started.
    pub trusted: Vec<Arc<super::x509::X509>>,
    /// `SSL_set_verify` mode.
    pub mode: c_int,
    /// The verify callback's address.
    pub callback: Option<usize>,
    /// `SSL_set_verify_depth`.
    pub depth: c_int,
    /// `SSL_set1_host` names.
    pub hosts: Vec<String>,
    /// Security level 0.
    pub legacy: bool,
}

impl PartialEq for VerifyScope {
    fn eq(&self, other: &Self) -> bool {
        self.trusted.len() == other.trusted.len()
            && self.trusted.iter().zip(&other.trusted).all(|(a, b)| Arc::ptr_eq(a, b))
            && (self.mode, self.callback, self.depth, self.legacy)
                == (other.mode, other.callback, other.depth, other.legacy)
            && self.hosts == other.hosts
    }
}

/// How many verification settings a context remembers tokens for; a forgotten one only means
/// that its sessions are not resumed.
const MAX_VERIFY_SCOPES: usize = 16;

impl Default for CtxSessions {
    fn default() -> Self {
        Self {
            cache: Arc::new(ServerSessionMemoryCache::new(CACHE_MAX_SIZE_DEFAULT)),
            new_cb: Mutex::new(None),
            connect: AtomicI64::new(0),
            connect_good: AtomicI64::new(0),
            accept: AtomicI64::new(0),
            accept_good: AtomicI64::new(0),
            hits: AtomicI64::new(0),
            verify_scopes: Mutex::new(Vec::new()),
            ticket_keys: TicketKeys::new(
                crate::config::default_provider(),
                crate::config::defaults::TICKET_KEY_ROTATION_SECS,
            )
            .ok()
            .map(Arc::new),
        }
    }
}

impl CtxSessions {
    /// The `SSL_CTX_sess_*` statistic for `SSL_CTRL_SESS_*` command `cmd` (20..=31).
    pub fn statistic(&self, cmd: c_int) -> c_long {
        let get = |a: &AtomicI64| a.load(Ordering::Relaxed) as c_long;
        match cmd {
            20 => self.cache.len() as c_long,
            21 => get(&self.connect),
            22 => get(&self.connect_good),
            24 => get(&self.accept),
            25 => get(&self.accept_good),
            27 => get(&self.hits),
            // Renegotiations (refused), external-cache hits (no get callback), misses,
            // timeouts and cache-full events are not counted.
            _ => 0,
        }
    }

    /// `SSL_CTX_flush_sessions(ctx, tm)`: forgets the sessions expired at `tm` (all for 0).
    pub fn flush(&self, tm: c_long) {
        // OpenSSL: 0 flushes every session.
        let at = u64::try_from(tm)
            .ok()
            .filter(|&s| s != 0)
            .map(|s| UnixTime::since_unix_epoch(std::time::Duration::from_secs(s)));
        self.cache.flush_expired(at);
    }

    /// The token for client sessions verified under `scope` in this context.
    pub fn verify_scope_token(&self, scope: VerifyScope) -> Arc<()> {
        let mut scopes = self.verify_scopes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, token)) = scopes.iter().find(|(s, _)| *s == scope) {
            return Arc::clone(token);
        }
        if scopes.len() >= MAX_VERIFY_SCOPES {
            scopes.remove(0);
        }
        let token = Arc::new(());
        scopes.push((scope, Arc::clone(&token)));
        token
    }

    /// The new-session callback, if set.
    pub fn new_session_callback(&self) -> NewSessionCallback {
        *self.new_cb.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The store one server handshake uses: the context's cache, looked up always and written
/// only when OpenSSL's `ssl_update_cache` would (`SSL_SESS_CACHE_SERVER` set, and not a
/// server with `SSL_VERIFY_PEER` and no session-id context).
#[derive(Debug)]
pub struct HandshakeStore {
    /// The context's cache.
    pub cache: Arc<ServerSessionMemoryCache>,
    /// Whether a new session is stored.
    pub store: bool,
}

impl StoresServerSessions for HandshakeStore {
    fn put(&self, id: Vec<u8>, session: Vec<u8>) -> bool {
        self.store && self.cache.put(id, session)
    }
    fn get(&self, id: &[u8]) -> Option<Vec<u8>> {
        self.cache.get(id)
    }
    fn remove(&self, id: &[u8]) -> bool {
        self.cache.remove(id)
    }
    fn can_cache(&self) -> bool {
        // OpenSSL sends a session ID even when it will not store the session (verify-peer
        // without a context); only SSL_SESS_CACHE_OFF (no store built at all) sends none.
        self.cache.can_cache()
    }
    fn len(&self) -> usize {
        self.cache.len()
    }
    fn flush_expired(&self, now: Option<UnixTime>) {
        self.cache.flush_expired(now)
    }
}

/// How many TLS 1.3 tickets one connection collects before the `SSL` picks them up (after each
/// record it processes); a server sending more in one go only loses the oldest.
const MAX_PENDING_TICKETS: usize = 8;

/// The client session store of one handshake (`ClientConfigBuilder::session_store`): it
/// offers the TLS 1.3 ticket of the session given to `SSL_set_session`, once, and collects the
/// tickets the server sends after the handshake (RFC 8446 §4.6.1), which the `SSL` turns into
/// `SSL_SESSION`s as OpenSSL does, one per ticket. TLS 1.2 sessions are offered through
/// `ClientConnection::new_resuming`, so nothing is stored for them.
#[derive(Debug, Default)]
pub struct HandshakeTickets {
    offer: Mutex<Option<Tls13Session>>,
    received: Mutex<std::collections::VecDeque<Tls13Session>>,
}

impl HandshakeTickets {
    /// Offers `ticket` in the ClientHello (it is taken out once).
    pub fn offer(&self, ticket: Option<Tls13Session>) {
        *self.offer.lock().unwrap_or_else(|e| e.into_inner()) = ticket;
    }

    /// The tickets received since the last call, oldest first.
    pub fn take_received(&self) -> Vec<Tls13Session> {
        self.received.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect()
    }
}

/// The client session store of a configuration shared by several `SSL`s (`ssl/engine.rs`):
/// each call goes to the [`HandshakeTickets`] of the `SSL` driving the engine on this thread
/// (`verify::CurrentSsl`), so tickets stay per connection; outside such a call it holds
/// nothing.
#[derive(Debug)]
pub struct CurrentHandshakeTickets;

impl StoresClientSessions for CurrentHandshakeTickets {
    fn put(&self, _server_name: &str, _session: Tls12Session) {}
    fn get(&self, _server_name: &str) -> Option<Tls12Session> {
        None
    }
    fn remove(&self, _server_name: &str) {}
    fn len(&self) -> usize {
        0
    }
    fn insert_tls13_ticket(&self, server_name: &str, session: Tls13Session) {
        if let Some(t) = super::verify::CurrentSsl::tickets() {
            t.insert_tls13_ticket(server_name, session);
        }
    }
    fn take_tls13_ticket(&self, server_name: &str) -> Option<Tls13Session> {
        super::verify::CurrentSsl::tickets()?.take_tls13_ticket(server_name)
    }
}

impl StoresClientSessions for HandshakeTickets {
    fn put(&self, _server_name: &str, _session: Tls12Session) {}
    fn get(&self, _server_name: &str) -> Option<Tls12Session> {
        None
    }
    fn remove(&self, _server_name: &str) {}
    fn len(&self) -> usize {
        0
    }
    fn insert_tls13_ticket(&self, _server_name: &str, session: Tls13Session) {
        let mut received = self.received.lock().unwrap_or_else(|e| e.into_inner());
        if received.len() == MAX_PENDING_TICKETS {
            received.pop_front();
        }
        received.push_back(session);
    }
    fn take_tls13_ticket(&self, _server_name: &str) -> Option<Tls13Session> {
        self.offer.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
