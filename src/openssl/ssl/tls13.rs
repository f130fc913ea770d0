//! TLS 1.3 in the OpenSSL layer, as OpenSSL 3.0 answers:
//!
//! - `SSL_key_update` (RFC 8446 §4.6.3) only marks an update as pending; the KeyUpdate goes out
//!   at the next `SSL_write`, `SSL_read` or `SSL_do_handshake` (`send_pending_key_update`), and
//!   `SSL_get_key_update_type` reports the pending type until then.
//! - Early data (0-RTT, §2.3): ferrotls neither sends nor accepts it, so the calls answer as
//!   OpenSSL does when none is in use: `SSL_read_early_data` completes the handshake and says
//!   `SSL_READ_EARLY_DATA_FINISH`, `SSL_get_early_data_status` is `SSL_EARLY_DATA_NOT_SENT`,
//!   `SSL_write_early_data` refuses. Unlike OpenSSL, the server's `SSL_read_early_data`
//!   returns after the client's Finished, not after its own flight (no 0.5-RTT data).
//! - Post-handshake client authentication (§4.6.2) is not built: a server's
//!   `SSL_verify_client_post_handshake` is refused as OpenSSL refuses it when the client did
//!   not offer post_handshake_auth, and a ferrotls client never offers it.
//! - A client's sessions: every NewSessionTicket after the handshake becomes a new
//!   `SSL_SESSION` that replaces the `SSL`'s and goes to the new-session callback
//!   (`collect_tickets`), as OpenSSL does for TLS 1.3, so a session is resumable once the client
//!   has read the tickets.

use std::sync::Arc;

use libc::{c_int, c_long};

use super::{HsState, Shared, Ssl, Stop, SSL};
use crate::openssl::err::{raise, LIB_SSL};
use crate::openssl::session::{self, HandshakeTickets, SSL_SESSION};
use crate::openssl::ssl_ctx::Side;

/// `SSL_KEY_UPDATE_NONE`.
pub const KEY_UPDATE_NONE: c_int = -1;
/// `SSL_KEY_UPDATE_NOT_REQUESTED`.
pub const KEY_UPDATE_NOT_REQUESTED: c_int = 0;
/// `SSL_KEY_UPDATE_REQUESTED`.
pub const KEY_UPDATE_REQUESTED: c_int = 1;

/// `SSL_READ_EARLY_DATA_ERROR`.
pub const READ_EARLY_DATA_ERROR: c_int = 0;
/// `SSL_READ_EARLY_DATA_FINISH`.
pub const READ_EARLY_DATA_FINISH: c_int = 2;
/// `SSL_EARLY_DATA_NOT_SENT`.
pub const EARLY_DATA_NOT_SENT: c_int = 0;

/// OpenSSL's `SSL_R_*` reasons of these calls.
pub mod reason {
    /// `SSL_R_INVALID_KEY_UPDATE_TYPE`.
    pub const INVALID_KEY_UPDATE_TYPE: u32 = 120;
    /// `SSL_R_STILL_IN_INIT`.
    pub const STILL_IN_INIT: u32 = 121;
    /// `SSL_R_BAD_WRITE_RETRY`.
    pub const BAD_WRITE_RETRY: u32 = 127;
    /// `SSL_R_WRONG_SSL_VERSION`.
    pub const WRONG_SSL_VERSION: u32 = 266;
    /// `SSL_R_EXTENSION_NOT_RECEIVED`.
    pub const EXTENSION_NOT_RECEIVED: u32 = 279;
    /// `SSL_R_NOT_SERVER`.
    pub const NOT_SERVER: u32 = 284;
    /// `ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED` (a common reason, fatal flag included).
    pub const SHOULD_NOT_HAVE_BEEN_CALLED: u32 = 257 | (1 << 18) | (2 << 18);

    /// OpenSSL's text for the library-specific ones.
    pub fn text(r: u32) -> Option<&'static str> {
        Some(match r {
            INVALID_KEY_UPDATE_TYPE => "invalid key update type",
            STILL_IN_INIT => "still in init",
            BAD_WRITE_RETRY => "bad write retry",
            WRONG_SSL_VERSION => "wrong ssl version",
            EXTENSION_NOT_RECEIVED => "extension not received",
            NOT_SERVER => "not server",
            _ => return None,
        })
    }
}

/// Where the early-data calls stand (OpenSSL's `early_data_state`, the states reachable
/// without 0-RTT).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum EarlyData {
    /// No early-data call yet.
    #[default]
    None,
    /// `SSL_read_early_data` is waiting for the handshake (non-blocking retry).
    AcceptRetry,
    /// `SSL_read_early_data` said FINISH.
    FinishedReading,
}

/// The TLS 1.3 state an `SSL` keeps for these calls.
#[derive(Debug)]
pub struct State {
    /// `SSL_get_key_update_type`: the update `SSL_key_update` asked for, not sent yet.
    key_update: c_int,
    early_data: EarlyData,
    /// A client's session store for this handshake: the ticket it offers, the ones it gets.
    pub(super) tickets: Option<Arc<HandshakeTickets>>,
}

impl Default for State {
    fn default() -> Self {
        Self { key_update: KEY_UPDATE_NONE, early_data: EarlyData::None, tickets: None }
    }
}

impl Ssl {
    /// The version of the connection as OpenSSL's `SSL_IS_TLS13` sees it: known once the
    /// ServerHello is sent or read.
    fn is_tls13(&self) -> bool {
        self.conn.as_ref().and_then(|c| c.protocol_version()).map(u16::from) == Some(0x0304)
    }

    /// `SSL_key_update`.
    pub fn key_update(&mut self, typ: c_int) -> c_int {
        const FUNC: &str = "SSL_key_update";
        if !self.is_tls13() {
            raise!(LIB_SSL, reason::WRONG_SSL_VERSION, FUNC, "KeyUpdate needs a TLS 1.3 connection");
            return 0;
        }
        if typ != KEY_UPDATE_NOT_REQUESTED && typ != KEY_UPDATE_REQUESTED {
            raise!(LIB_SSL, reason::INVALID_KEY_UPDATE_TYPE, FUNC);
            return 0;
        }
        if !self.handshake_done {
            raise!(LIB_SSL, reason::STILL_IN_INIT, FUNC);
            return 0;
        }
        if self.pending_write.is_some() {
            raise!(LIB_SSL, reason::BAD_WRITE_RETRY, FUNC);
            return 0;
        }
        self.tls13.key_update = typ;
        1
    }

    /// `SSL_get_key_update_type`.
    pub fn key_update_type(&self) -> c_int {
        self.tls13.key_update
    }

    /// Sends the KeyUpdate `SSL_key_update` left pending (new write keys from here on), then
    /// flushes.
    pub(super) fn send_pending_key_update(&mut self, sh: &Shared) -> Result<(), Stop> {
        let typ = std::mem::replace(&mut self.tls13.key_update, KEY_UPDATE_NONE);
        if typ == KEY_UPDATE_NONE {
            return Ok(());
        }
        let Some(conn) = self.conn.as_mut() else { return Ok(()) };
        if let Err(e) = conn.send_key_update(typ == KEY_UPDATE_REQUESTED) {
            return Err(self.fail(sh, &e, "SSL_key_update"));
        }
        self.flush()
    }

    /// `SSL_read_early_data` on a connection that never accepts early data.
    pub fn read_early_data(&mut self, sh: &Shared, me: *const SSL) -> c_int {
        const FUNC: &str = "SSL_read_early_data";
        if !sh.is_server.get() {
            raise!(LIB_SSL, reason::SHOULD_NOT_HAVE_BEEN_CALLED, FUNC);
            return READ_EARLY_DATA_ERROR;
        }
        match self.tls13.early_data {
            EarlyData::None if sh.state.get() != HsState::Before => {
                raise!(LIB_SSL, reason::SHOULD_NOT_HAVE_BEEN_CALLED, FUNC);
                READ_EARLY_DATA_ERROR
            }
            EarlyData::None | EarlyData::AcceptRetry => {
                // SSL_accept.
                self.set_side(Side::Server);
                if self.handshake(sh, me) <= 0 {
                    self.tls13.early_data = EarlyData::AcceptRetry;
                    return READ_EARLY_DATA_ERROR;
                }
                // No early data was accepted: there is none to read.
                self.tls13.early_data = EarlyData::FinishedReading;
                READ_EARLY_DATA_FINISH
            }
            EarlyData::FinishedReading => {
                raise!(LIB_SSL, reason::SHOULD_NOT_HAVE_BEEN_CALLED, FUNC);
                READ_EARLY_DATA_ERROR
            }
        }
    }

    /// `SSL_write_early_data`: a server after `SSL_read_early_data` said FINISH writes as
    /// `SSL_write` (the client is authenticated by then here). A client is refused: with a
    /// session that allows no early data, as OpenSSL refuses it; with one that does, because
    /// ferrotls sends no 0-RTT data.
    pub fn write_early_data(&mut self, sh: &Shared, me: *const SSL, buf: &[u8]) -> c_int {
        const FUNC: &str = "SSL_write_early_data";
        if self.tls13.early_data == EarlyData::FinishedReading {
            return self.write(sh, me, buf);
        }
        let allowed = sh.session.borrow().as_ref().is_some_and(|s| s.max_early_data() > 0);
        if self.tls13.early_data != EarlyData::None
            || sh.is_server.get()
            || sh.state.get() != HsState::Before
            || !allowed
        {
            raise!(LIB_SSL, reason::SHOULD_NOT_HAVE_BEEN_CALLED, FUNC);
        } else {
            raise!(
                LIB_SSL,
                reason::SHOULD_NOT_HAVE_BEEN_CALLED,
                FUNC,
                "ferrotls does not send early data (0-RTT): write after the handshake"
            );
        }
        0
    }

    /// `SSL_verify_client_post_handshake`: refused in OpenSSL's order (not TLS 1.3, not a
    /// server, handshake not finished), then as for a client that did not offer
    /// post_handshake_auth.
    pub fn verify_client_post_handshake(&self, sh: &Shared) -> c_int {
        const FUNC: &str = "SSL_verify_client_post_handshake";
        if !self.is_tls13() {
            raise!(LIB_SSL, reason::WRONG_SSL_VERSION, FUNC, "post-handshake authentication needs TLS 1.3");
        } else if !sh.is_server.get() {
            raise!(LIB_SSL, reason::NOT_SERVER, FUNC);
        } else if !self.handshake_done {
            raise!(LIB_SSL, reason::STILL_IN_INIT, FUNC);
        } else {
            raise!(
                LIB_SSL,
                reason::EXTENSION_NOT_RECEIVED,
                FUNC,
                "ferrotls does not do post-handshake authentication: ask for the certificate in the handshake (SSL_VERIFY_PEER)"
            );
        }
        0
    }

    /// A client's new TLS 1.3 tickets (read with the last records): each becomes the `SSL`'s
    /// session and goes to the new-session callback when the context caches client sessions
    /// (OpenSSL's `ssl_update_cache(s, SSL_SESS_CACHE_CLIENT)` per NewSessionTicket).
    pub(super) fn collect_tickets(&mut self, sh: &Shared, me: *const SSL) {
        let Some(store) = &self.tls13.tickets else { return };
        let received = store.take_received();
        if received.is_empty() {
            return;
        }
        let (timeout, mode) = {
            let s = sh.session_ctx.settings();
            (s.timeout, s.session_cache_mode)
        };
        let verify = c_long::from(sh.outcome.lock().unwrap_or_else(|e| e.into_inner()).result);
        for ticket in received {
            let session = SSL_SESSION::tls13(ticket, timeout, verify);
            *sh.session.borrow_mut() = Some(Arc::clone(&session));
            if mode & session::CACHE_CLIENT == 0 {
                continue;
            }
            if let Some(cb) = sh.session_ctx.sessions.new_session_callback() {
                let raw = session::session_to_raw(session);
                // SAFETY: the application's new_session_cb with this SSL and a new reference to
                // the session, which it keeps when it returns 1 (OpenSSL's contract).
                if unsafe { cb(me.cast_mut(), raw) } == 0 {
                    // SAFETY: `raw` holds the reference made above, which the callback declined.
                    drop(unsafe { Arc::from_raw(raw.cast_const()) });
                }
            }
        }
    }
}
