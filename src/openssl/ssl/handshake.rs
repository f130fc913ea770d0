//! Driving the handshake: `SSL_do_handshake`'s loop, the info callback's events, and what a
//! finished handshake leaves on the `SSL` (version, suite, peer chain, session, new-session
//! callback).

use std::ffi::CString;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use libc::{c_int, c_long};

use super::{cb, HsState, RwState, Shared, Ssl, SSL, VERIFY_PEER};
use crate::openssl::err::{self, raise, ssl_r, LIB_SSL};
use crate::openssl::session::{self, SSL_SESSION};
use crate::openssl::ssl_ctx::{InfoCallback, Side};
use crate::openssl::x509::X509;
use crate::Connection;

impl Ssl {
    pub(super) fn info_callback(&self, sh: &Shared) -> InfoCallback {
        // OpenSSL: the SSL's own callback, else the current context's, looked up at each call
        // (so a servername callback that switches SSL_CTX also switches the info callback).
        self.settings.info_callback.or_else(|| sh.ctx.borrow().settings().info_callback)
    }

    pub(super) fn info(&self, sh: &Shared, me: *const SSL, where_: c_int, ret: c_int) {
        if let Some(cb) = self.info_callback(sh) {
            // SAFETY: the application's info callback, called as OpenSSL calls it.
            unsafe { cb(me, where_, ret) };
        }
    }

    pub(super) fn side_flag(&self) -> c_int {
        if self.side == Side::Server {
            cb::ST_ACCEPT
        } else {
            cb::ST_CONNECT
        }
    }

    /// `SSL_do_handshake`.
    pub fn handshake(&mut self, sh: &Shared, me: *const SSL) -> c_int {
        self.rwstate = RwState::Nothing;
        if self.handshake_done {
            // A KeyUpdate SSL_key_update left pending goes out here too, as in OpenSSL.
            return match self.send_pending_key_update(sh) {
                Ok(()) => 1,
                Err(stop) => self.stop_to_ret(stop),
            };
        }
        if self.fatal {
            return -1;
        }
        // OpenSSL's handshake state machine starts each call with ERR_clear_error(), so errors
        // left by an earlier connection on this thread do not turn SSL_get_error into
        // SSL_ERROR_SSL here.
        err::clear();
        if !self.side_set || self.side == Side::Any {
            raise!(LIB_SSL, ssl_r::CONNECTION_TYPE_NOT_SET, "SSL_do_handshake");
            return -1;
        }
        if self.conn.is_none() {
            if !self.start_reported {
                // OpenSSL reports the start before reading anything (so before a servername
                // callback can switch the context).
                self.start_reported = true;
                self.info(sh, me, cb::HANDSHAKE_START, 1);
            }
            if self.side == Side::Server {
                if let Err(stop) = self.servername_phase(sh, me) {
                    return self.stop_to_ret(stop);
                }
            }
            if self.start(sh, me).is_err() {
                self.info(sh, me, self.side_flag() | cb::EXIT, -1);
                return -1;
            }
        }
        let r = loop {
            if let Err(stop) = self.flush() {
                break self.stop_to_ret(stop);
            }
            let Some(conn) = self.conn.as_ref() else { break -1 };
            if !conn.is_handshaking() {
                self.finish_handshake(sh, me);
                break 1;
            }
            if let Err(stop) = self.fill(sh, me) {
                break self.stop_to_ret(stop);
            }
        };
        if r <= 0 {
            self.info(sh, me, self.side_flag() | cb::EXIT, r);
        }
        r
    }

    pub(super) fn finish_handshake(&mut self, sh: &Shared, me: *const SSL) {
        self.handshake_done = true;
        self.finish_session(sh, me);
        if let Some(conn) = &self.conn {
            sh.version.set(conn.protocol_version().map_or(0, u16::from));
            sh.cipher.set(conn.negotiated_cipher_suite());
            sh.ems.set(conn.extended_master_secret());
            sh.secure_renegotiation.set(conn.secure_renegotiation());
            *sh.alpn_selected.borrow_mut() = conn.alpn_protocol().unwrap_or_default().to_vec();
            *sh.peer_chain.borrow_mut() =
                conn.peer_certificates().iter().filter_map(|d| X509::from_der(d)).map(Arc::new).collect();
            *sh.peer_chain_stack.borrow_mut() = None;
            if let Connection::Server(s) = conn {
                if sh.servername.borrow().is_none() {
                    *sh.servername.borrow_mut() = s.server_name().and_then(|n| CString::new(n).ok());
                }
            }
        }
        sh.state.set(HsState::Ok);
        self.info(sh, me, cb::HANDSHAKE_DONE, 1);
        self.info(sh, me, self.side_flag() | cb::EXIT, 1);
    }

    /// The session after a completed handshake: `SSL_get_session`, `SSL_session_reused`, the
    /// statistics, and the new-session callback (OpenSSL's `ssl_update_cache`: after a full
    /// handshake, on the side its cache mode names; returning 1 keeps the reference).
    pub(super) fn finish_session(&mut self, sh: &Shared, me: *const SSL) {
        let Some(conn) = &self.conn else { return };
        let resumed = conn.session_resumed();
        let ctx_sessions = &sh.session_ctx.sessions;
        let server = matches!(conn, Connection::Server(_));
        let good = if server { &ctx_sessions.accept_good } else { &ctx_sessions.connect_good };
        good.fetch_add(1, Ordering::Relaxed);
        if resumed && server {
            ctx_sessions.hits.fetch_add(1, Ordering::Relaxed);
        }
        sh.session_reused.set(resumed);
        let offered = sh.session.borrow().clone();
        let timeout = sh.session_ctx.settings().timeout;
        let verify = c_long::from(sh.outcome.lock().unwrap_or_else(|e| e.into_inner()).result);
        let current = match (conn.session(), offered, conn.negotiated_cipher_suite()) {
            // A resumed client keeps the object it offered, as OpenSSL does.
            (Some(s), Some(o), _) if resumed && o.session.as_ref().is_some_and(|t| t.id() == s.id()) => {
                self.shared_outcome(sh, o.verify_result);
                Some(o)
            }
            // TLS 1.3 too, until the server's new tickets replace it (`collect_tickets`).
            (None, Some(o), _) if resumed && !server && o.tls13.is_some() => {
                self.shared_outcome(sh, o.verify_result);
                // OpenSSL removes a used TLS 1.3 session from the client cache, which makes it
                // not resumable (single-use tickets).
                if sh.session_ctx.settings().session_cache_mode & session::CACHE_CLIENT != 0 {
                    o.used_up.store(true, Ordering::Relaxed);
                }
                Some(o)
            }
            (Some(s), _, _) => Some(SSL_SESSION::new(s, timeout, verify)),
            (None, _, Some(suite)) => {
                let version = conn.protocol_version().map_or(0, u16::from);
                Some(SSL_SESSION::unresumable(version, suite, timeout, verify))
            }
            (None, _, None) => None,
        };
        *sh.session.borrow_mut() = current.clone();
        let (Some(session), false) = (current.filter(|s| s.session.is_some()), resumed) else { return };
        let mode = sh.session_ctx.settings().session_cache_mode;
        let side_bit = if server { session::CACHE_SERVER } else { session::CACHE_CLIENT };
        // ssl_update_cache: a verifying server without a session-id context stores nothing.
        let unstored = server
            && self.settings.verify_mode & VERIFY_PEER != 0
            && self.settings.session_id_context.is_empty();
        if mode & side_bit == 0 || unstored {
            return;
        }
        if let Some(cb) = ctx_sessions.new_session_callback() {
            let raw = session::session_to_raw(session);
            // SAFETY: the application's new_session_cb with this SSL and a new reference to the
            // session, which it keeps when it returns 1 (OpenSSL's contract).
            if unsafe { cb(me.cast_mut(), raw) } == 0 {
                // SAFETY: `raw` holds the reference made above, which the callback declined.
                drop(unsafe { Arc::from_raw(raw.cast_const()) });
            }
        }
    }

    /// Restores the verification result a resumed session carries.
    pub(super) fn shared_outcome(&self, sh: &Shared, verify_result: c_long) {
        let mut o = sh.outcome.lock().unwrap_or_else(|e| e.into_inner());
        o.result = verify_result as c_int;
    }
}
