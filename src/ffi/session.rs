//! `ferrotls_session`: a resumable session, taken from a client connection and offered again
//! by a new one, or exported as bytes and imported: a TLS 1.0–1.2 session (RFC 5246 §7.3, RFC
//! 5077) once the handshake completed, or a TLS 1.3 ticket (RFC 8446 §4.6.1) once the client
//! has read it after the handshake; `ferrotls_ticket_keys`, a server's session-ticket keys; the
//! ticket switches of both builders and the server settings of the session cache and of the
//! TLS 1.3 tickets it sends.

use super::client_config::{ferrotls_client_config, ferrotls_client_config_builder};
use super::conn::ferrotls_conn;
use super::policy::Switch;
use super::result::{ferrotls_result, report, Failure};
use super::server_config::ferrotls_server_config_builder;
use crate::config::ServerConfigBuilder;
use crate::session::{TicketKeys, Ticketer, Tls12Session, Tls13Session, TICKET_KEY_NAME_LEN};
use libc::{c_char, size_t};
use std::sync::Arc;

use ferrotls_result as R;

/// A session a client may resume: its ID (TLS 1.2; none at TLS 1.3), version, cipher suite,
/// secret (master secret or TLS 1.3 resumption PSK; never exposed, wiped when the last copy
/// is freed), ticket and the server's verified certificates. Immutable; may be used from any
/// thread and by any number of connections, except that a TLS 1.3 ticket is offered by the
/// first connection given it only (RFC 8446 §C.4: the others have a full handshake). Freed by
/// `ferrotls_session_free`.
///
/// Methods: `ferrotls_conn_session` (get one), `ferrotls_conn_new_client_resuming` (offer it),
/// `ferrotls_session_id`, `ferrotls_session_protocol_version`,
/// `ferrotls_session_cipher_suite`, `ferrotls_session_has_ticket`,
/// `ferrotls_session_ticket_lifetime_hint`, `ferrotls_session_encoded_len`,
/// `ferrotls_session_to_bytes`, `ferrotls_session_from_bytes`, `ferrotls_session_free`.
pub struct ferrotls_session {
    session: Session,
}

/// The two kinds of session, one handle and one byte encoding (its first byte says which).
#[derive(Clone, Debug)]
pub(crate) enum Session {
    Tls12(Tls12Session),
    Tls13(Tls13Session),
}

impl Session {
    fn to_bytes(&self) -> zeroize::Zeroizing<Vec<u8>> {
        match self {
            Session::Tls12(s) => s.to_bytes(),
            Session::Tls13(s) => s.to_bytes(),
        }
    }
}

fn into_handle(session: Session) -> *mut ferrotls_session {
    super::handle::into_raw(ferrotls_session { session })
}

/// The server's session-cache settings, applied to a fresh Rust builder at build.
#[derive(Clone, Debug, Default)]
pub(crate) struct SessionCacheSettings {
    cache_size: Option<usize>,
    timeout_secs: Option<u64>,
    session_id_context: Option<Vec<u8>>,
    ticket_keys: Option<Arc<TicketKeys>>,
    tls13_tickets: Option<usize>,
}

/// The most TLS 1.3 tickets a server may be set to send after a handshake
/// ([`crate::config::defaults::MAX_TLS13_TICKETS`]).
pub const MAX_TLS13_TICKETS: usize = crate::config::defaults::MAX_TLS13_TICKETS;

impl SessionCacheSettings {
    pub(crate) fn apply(&self, mut b: ServerConfigBuilder) -> ServerConfigBuilder {
        if let Some(keys) = &self.ticket_keys {
            b = b.ticketer(Arc::clone(keys) as Arc<dyn Ticketer>);
        }
        if let Some(size) = self.cache_size {
            b = b.session_cache(size);
        }
        if let Some(secs) = self.timeout_secs {
            b = b.session_lifetime(secs);
        }
        if let Some(context) = &self.session_id_context {
            b = b.session_id_context(context);
        }
        if let Some(count) = self.tls13_tickets {
            b = b.tls13_tickets(count);
        }
        b
    }
}

/// A copy of the session this connection established or resumed: `*session_out` is a new
/// handle (free it with `ferrotls_session_free`). At TLS 1.0–1.2 it exists once the handshake
/// completed and only when the server let the session be resumed (it sent a session ID or a
/// ticket). At TLS 1.3 it is the newest ticket the server sent after the handshake (RFC 8446
/// §4.6.1) that no connection has offered, on a client: it exists once the client has read the
/// records carrying it (they come after the handshake, usually with or before the first
/// application data, so read first). A client offers each ticket once (RFC 8446 §C.4): the
/// ticket handed out is no longer offered by the configuration's session cache, and only the
/// first connection given it offers it; once one has, this hands out the connection's next
/// ticket (it keeps the last four), then none. Fails with `FERROTLS_BAD_STATE` and a message
/// saying which case applies (leaving `*session_out` alone) otherwise, and after a fatal
/// alert (RFC 5246 §7.2.2).
#[no_mangle]
pub extern "C" fn ferrotls_conn_session(
    conn: *const ferrotls_conn,
    session_out: *mut *mut ferrotls_session,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_ref!(conn);
        let out = try_out!(session_out);
        let conn = c.conn();
        let tls13 = conn.protocol_version() == Some(crate::ProtocolVersion::TLSv1_3);
        let session = match tls13 {
            true => conn.tls13_session().map(Session::Tls13),
            false => conn.session().map(Session::Tls12),
        };
        match session {
            Some(session) => {
                out.write(into_handle(session));
                R::FERROTLS_OK
            }
            None => {
                let why = if conn.error().is_some() {
                    "no resumable session: the connection failed"
                } else if conn.is_handshaking() {
                    "no resumable session before the handshake completes"
                } else if tls13 && matches!(conn, crate::conn::Connection::Client(_)) {
                    "no TLS 1.3 session ticket to hand out: tickets arrive after the handshake, so read from the connection first; each is offered by one connection, and those received were (or the server sends none)"
                } else if tls13 {
                    "a TLS 1.3 server connection hands out no session (the client keeps the tickets)"
                } else {
                    "no resumable session: the server sent neither a session ID nor a ticket"
                };
                report(Failure::new(R::FERROTLS_BAD_STATE, why), None)
            }
        }
    }
}

/// Like `ferrotls_conn_new_client`, offering to resume `session` (RFC 5246 §7.3 abbreviated
/// handshake; at TLS 1.3 its ticket as a pre-shared key, RFC 8446 §4.2.11, in place of one
/// from the configuration's cache). The session is offered only to the server name it was
/// made with, under the configuration that made or imported it, within its lifetime and when
/// `config` still allows its version and cipher suite (at TLS 1.3: a suite of its hash, and
/// only if no connection has offered this ticket, RFC 8446 §C.4: import a saved encoding once);
/// otherwise, or when the server declines, the handshake is a full one.
/// `ferrotls_conn_session_reused` tells which happened. The connection keeps its own copy of
/// `session`.
#[no_mangle]
pub extern "C" fn ferrotls_conn_new_client_resuming(
    config: *const ferrotls_client_config,
    server_name: *const c_char,
    session: *const ferrotls_session,
    conn_out: *mut *mut ferrotls_conn,
) -> ferrotls_result {
    ffi_boundary! {
        let session = try_ref!(session);
        super::conn::new_client(config, server_name, Some(&session.session), conn_out)
    }
}

/// Whether the handshake resumed a session (abbreviated handshake); false before it
/// completes and for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_conn_session_reused(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn().session_resumed()
    }
}

/// Copies the session ID (1 to 32 bytes; 0 for a TLS 1.3 session, which has none) into `buf` of `len` bytes and writes its length to
/// `*written_out`. A `buf` shorter than the ID fails with `FERROTLS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrotls_session_id(
    session: *const ferrotls_session,
    buf: *mut u8,
    len: size_t,
    written_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let s = try_ref!(session);
        let buf = try_slice_mut!(buf, len, None);
        let out = try_out!(written_out);
        let id = match &s.session {
            Session::Tls12(s) => s.id(),
            // RFC 8446 §4.6.1: a TLS 1.3 session is its ticket; it has no ID.
            Session::Tls13(_) => &[],
        };
        if buf.len() < id.len() {
            return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("the session ID needs {} bytes", id.len())), None);
        }
        buf[..id.len()].copy_from_slice(id);
        out.write(id.len());
        R::FERROTLS_OK
    }
}

/// The session's protocol version (`FERROTLS_TLS1_2`, `FERROTLS_TLS1_3` ...); 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_protocol_version(session: *const ferrotls_session) -> u16 {
    ffi_boundary! {
        let s = try_ref!(session);
        match &s.session {
            Session::Tls12(s) => u16::from(s.protocol_version()),
            Session::Tls13(_) => u16::from(crate::ProtocolVersion::TLSv1_3),
        }
    }
}

/// The session's cipher suite (IANA number, e.g. 0x002F, 0x1301); 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_cipher_suite(session: *const ferrotls_session) -> u16 {
    ffi_boundary! {
        let s = try_ref!(session);
        match &s.session {
            Session::Tls12(s) => u16::from(s.cipher_suite().suite),
            Session::Tls13(s) => u16::from(s.cipher_suite().suite),
        }
    }
}

/// Frees a session handle (connections that offered it keep their own copy). NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_session_free(session: *mut ferrotls_session) {
    ffi_boundary! {
        free_handle!(session)
    }
}

/// How many sessions the server keeps for resumption (least recently used evicted first);
/// default 256, 0 turns resumption off (the server then sends no session ID).
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_session_cache_size(
    builder: *mut ferrotls_server_config_builder,
    size: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.sessions.cache_size = Some(size);
        R::FERROTLS_OK
    }
}

/// How long a session may be resumed, in seconds from its full handshake (default 300, as
/// OpenSSL). Each configuration built has its own cache.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_session_timeout(
    builder: *mut ferrotls_server_config_builder,
    seconds: u64,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.sessions.timeout_secs = Some(seconds);
        R::FERROTLS_OK
    }
}

/// How many TLS 1.3 session tickets (RFC 8446 §4.6.1) the server sends after a full handshake
/// (default 2, as OpenSSL: a client uses each once, so it can open two connections that
/// resume; after a resumption one is sent). 0 sends none; more than 16 fails with
/// `FERROTLS_INVALID_ARGUMENT`. With `ferrotls_server_config_builder_set_tickets` off none are
/// sent whatever the count.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_tls13_tickets(
    builder: *mut ferrotls_server_config_builder,
    count: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        if count > MAX_TLS13_TICKETS {
            let (_, last_error) = super::policy::PolicyBuilder::parts(b);
            let why = format!("a server sends at most {MAX_TLS13_TICKETS} TLS 1.3 tickets, not {count}");
            return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, why), Some(last_error));
        }
        b.sessions.tls13_tickets = Some(count);
        R::FERROTLS_OK
    }
}

/// Tags sessions with `context` (`len` bytes, at most 32: more fails at build); only
/// sessions made under the same context are resumed.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_session_id_context(
    builder: *mut ferrotls_server_config_builder,
    context: *const u8,
    len: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let context = try_slice!(context, len, None);
        b.sessions.session_id_context = Some(context.to_vec());
        R::FERROTLS_OK
    }
}

/// Whether the handshake resumed a session from a session ticket (RFC 5077); false before it
/// completes and for NULL. `ferrotls_conn_session_reused` is true for both kinds of resumption.
#[no_mangle]
pub extern "C" fn ferrotls_conn_session_reused_by_ticket(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn().session_resumed_by_ticket()
    }
}

/// Whether the session holds a session ticket from the server (RFC 5077; always at TLS 1.3);
/// false for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_has_ticket(session: *const ferrotls_session) -> bool {
    ffi_boundary! {
        let s = try_ref!(session);
        match &s.session {
            Session::Tls12(s) => !s.ticket().is_empty(),
            Session::Tls13(s) => !s.ticket().is_empty(),
        }
    }
}

/// The ticket's lifetime hint in seconds as the server sent it (0: none or unspecified, and
/// for NULL); at TLS 1.3 the ticket's lifetime (RFC 8446 §4.6.1, at most 604800).
#[no_mangle]
pub extern "C" fn ferrotls_session_ticket_lifetime_hint(session: *const ferrotls_session) -> u32 {
    ffi_boundary! {
        let s = try_ref!(session);
        match &s.session {
            Session::Tls12(s) => s.ticket_lifetime_hint(),
            Session::Tls13(s) => s.lifetime_secs(),
        }
    }
}

/// The length of the session's byte encoding (what `ferrotls_session_to_bytes` writes); 0 for
/// NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_encoded_len(session: *const ferrotls_session) -> size_t {
    ffi_boundary! {
        let s = try_ref!(session);
        s.session.to_bytes().len()
    }
}

/// Writes the session's versioned byte encoding (for a file or another process; the first
/// byte tells a TLS 1.2 session (1) from a TLS 1.3 ticket (2); it holds the master secret or
/// the resumption PSK, so keep it as secret as a private key) into `buf` of `len` bytes and its
/// length to `*written_out`. A `buf` shorter than `ferrotls_session_encoded_len` fails with
/// `FERROTLS_INVALID_ARGUMENT` and writes nothing.
#[no_mangle]
pub extern "C" fn ferrotls_session_to_bytes(
    session: *const ferrotls_session,
    buf: *mut u8,
    len: size_t,
    written_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let s = try_ref!(session);
        let buf = try_slice_mut!(buf, len, None);
        let out = try_out!(written_out);
        let bytes = s.session.to_bytes();
        if buf.len() < bytes.len() {
            return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("the session encoding needs {} bytes", bytes.len())), None);
        }
        buf[..bytes.len()].copy_from_slice(&bytes);
        out.write(bytes.len());
        R::FERROTLS_OK
    }
}

/// Imports a session (either version) from `ferrotls_session_to_bytes` output for connections
/// of `config`. Resumption skips the server's certificate, so the session's certificates are verified
/// again here with `config`'s verification, for the session's server name; only then is the
/// session offered by `config` (`ferrotls_conn_new_client_resuming`). Bytes that are not a
/// session (or of another format version) fail with `FERROTLS_INVALID_ARGUMENT`, a session
/// whose certificates do not verify with the certificate error; `*session_out` is left alone.
#[no_mangle]
pub extern "C" fn ferrotls_session_from_bytes(
    config: *const ferrotls_client_config,
    bytes: *const u8,
    len: size_t,
    session_out: *mut *mut ferrotls_session,
) -> ferrotls_result {
    ffi_boundary! {
        let config = try_ref!(config);
        let bytes = try_slice!(bytes, len, None);
        let out = try_out!(session_out);
        let imported = match bytes.first() {
            Some(&crate::session::SESSION_FORMAT_TLS13) => config.config.import_tls13_session(bytes).map(Session::Tls13),
            _ => config.config.import_session(bytes).map(Session::Tls12),
        };
        match imported {
            Ok(session) => {
                out.write(into_handle(session));
                R::FERROTLS_OK
            }
            Err(e @ crate::Error::Config(_)) => report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, e.to_string()), None),
            Err(e) => report(Failure::from(e), None),
        }
    }
}

/// Offers session tickets (RFC 5077) and resumes by them; on by default. Off, sessions
/// resume by session ID only.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_tickets(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::Tickets, on)
}

/// Issues and accepts session tickets (RFC 5077); on by default, with random keys rotated
/// every 6 hours unless `ferrotls_server_config_builder_set_ticket_keys` gives others. Off,
/// clients resume by session ID only.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_tickets(
    builder: *mut ferrotls_server_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::Tickets, on)
}

/// A server's session-ticket keys (RFC 5077): a current key seals tickets (AES-256-GCM, a
/// 16-byte key name in front), the current and the previous key open them, and a ticket
/// opened with the previous key is renewed. Rotation is by time (a period given at creation)
/// and by `ferrotls_ticket_keys_rotate`; `ferrotls_ticket_keys_set_key` installs a key the
/// application chose, so several servers can share one. Key material never leaves the
/// object. Thread-safe: configurations built with it keep their own reference, and rotating
/// affects every one of them at once.
///
/// Methods: `ferrotls_ticket_keys_new`, `ferrotls_ticket_keys_rotate`,
/// `ferrotls_ticket_keys_set_key`, `ferrotls_server_config_builder_set_ticket_keys`,
/// `ferrotls_ticket_keys_free`.
pub struct ferrotls_ticket_keys {
    keys: Arc<TicketKeys>,
}

/// New random ticket keys rotated every `rotation_seconds` (0: only by
/// `ferrotls_ticket_keys_rotate` / `_set_key`); the lifetime hint servers announce is that
/// period.
#[no_mangle]
pub extern "C" fn ferrotls_ticket_keys_new(
    rotation_seconds: u64,
    keys_out: *mut *mut ferrotls_ticket_keys,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(keys_out);
        let keys = try_ok!(TicketKeys::new(crate::config::default_provider(), rotation_seconds).map_err(Failure::from), None);
        out.write(super::handle::into_raw(ferrotls_ticket_keys { keys: Arc::new(keys) }));
        R::FERROTLS_OK
    }
}

/// Makes a fresh random key current now: tickets of the old current key open once more
/// (and are renewed), those of the key before it no longer.
#[no_mangle]
pub extern "C" fn ferrotls_ticket_keys_rotate(keys: *const ferrotls_ticket_keys) -> ferrotls_result {
    ffi_boundary! {
        let k = try_ref!(keys);
        try_ok!(k.keys.rotate().map_err(Failure::from), None);
        R::FERROTLS_OK
    }
}

/// Makes the key `key` (`key_len` bytes: 32 for AES-256-GCM) named `name` (`name_len`: 16
/// bytes) the current one, as `ferrotls_ticket_keys_rotate` does with a random key. Servers
/// given the same name and key accept each other's tickets. Wrong lengths fail with
/// `FERROTLS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrotls_ticket_keys_set_key(
    keys: *const ferrotls_ticket_keys,
    name: *const u8,
    name_len: size_t,
    key: *const u8,
    key_len: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let k = try_ref!(keys);
        let name = try_slice!(name, name_len, None);
        let key = try_slice!(key, key_len, None);
        let Ok(name) = <[u8; TICKET_KEY_NAME_LEN]>::try_from(name) else {
            return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("a ticket key name is {TICKET_KEY_NAME_LEN} bytes")), None);
        };
        match k.keys.set_key(name, key) {
            Ok(()) => R::FERROTLS_OK,
            Err(e) => report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, e.to_string()), None),
        }
    }
}

/// Frees the caller's reference (configurations keep theirs). NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_ticket_keys_free(keys: *mut ferrotls_ticket_keys) {
    ffi_boundary! {
        free_handle!(keys)
    }
}

/// Seals and opens this builder's tickets with `keys` (shared: configurations built later
/// use the same keys, and rotating them affects all). Without it each built configuration
/// gets random keys of its own.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_ticket_keys(
    builder: *mut ferrotls_server_config_builder,
    keys: *const ferrotls_ticket_keys,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let k = try_ref!(keys);
        b.sessions.ticket_keys = Some(Arc::clone(&k.keys));
        R::FERROTLS_OK
    }
}

/// How many server names' sessions connections of the built configuration keep (default
/// 256, least recently used evicted), so that `ferrotls_conn_new_client` to a name offers
/// its session by itself; 0 keeps none (then only `ferrotls_conn_new_client_resuming`
/// resumes). A session is only ever offered under the configuration that made it (or imported
/// it), to the same server name, and within its lifetime.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_session_cache_size(
    builder: *mut ferrotls_client_config_builder,
    size: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.session_cache_size = Some(size);
        R::FERROTLS_OK
    }
}
