//! `SSL_SESSION_*` and the `SSL_*session*` functions (objects in `openssl/session.rs`).

use std::sync::Arc;

use libc::{c_int, c_long, c_uint};

use super::cipher::{cipher_for, SSL_CIPHER};
use crate::openssl::session::{session_arc, session_to_raw, SSL_SESSION};
use crate::openssl::ssl::SSL;

entry! {
    /// 1 when the handshake resumed a session (abbreviated handshake), else 0.
    fn SSL_session_reused(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).shared.session_reused.get()) }
    /// The session (borrowed, owned by the SSL): the one set with `SSL_set_session` before the
    /// handshake, the one established or resumed after it; NULL when there is none.
    fn SSL_get_session(ssl: *const SSL) -> *mut SSL_SESSION {
        arg_ref!(ssl, std::ptr::null_mut())
            .shared
            .session
            .borrow()
            .as_ref()
            .map_or(std::ptr::null_mut(), |s| Arc::as_ptr(s).cast_mut())
    }
    /// The same as `SSL_get_session` (a borrowed pointer).
    fn SSL_get0_session(ssl: *const SSL) -> *mut SSL_SESSION { SSL_get_session(ssl) }
    /// Like `SSL_get_session` with a new reference (free it with `SSL_SESSION_free`).
    fn SSL_get1_session(ssl: *mut SSL) -> *mut SSL_SESSION {
        arg_ref!(ssl, std::ptr::null_mut())
            .shared
            .session
            .borrow()
            .clone()
            .map_or(std::ptr::null_mut(), session_to_raw)
    }
    /// A client offers `session` in its next handshake (the SSL takes its own reference);
    /// NULL forgets the session. 1.
    fn SSL_set_session(ssl: *mut SSL, session: *mut SSL_SESSION) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        // SAFETY: `session` is NULL or a live SSL_SESSION (API contract).
        *ssl.shared.session.borrow_mut() = unsafe { session_arc(session) };
        1
    }
    /// Gives back one reference; NULL is a no-op.
    fn SSL_SESSION_free(session: *mut SSL_SESSION) {
        if !session.is_null() {
            // SAFETY: `session` came from session_to_raw and this gives back one reference.
            drop(unsafe { Arc::from_raw(session.cast_const()) });
        }
    }
    /// Takes one more reference; 1 (0 for NULL).
    fn SSL_SESSION_up_ref(session: *mut SSL_SESSION) -> c_int {
        if session.is_null() {
            return 0;
        }
        // SAFETY: `session` is live (API contract); the reference is given back by SSL_SESSION_free.
        unsafe { Arc::increment_strong_count(session.cast_const()) };
        1
    }
    /// The session ID (borrowed) and its length in `*len` (may be NULL).
    fn SSL_SESSION_get_id(session: *const SSL_SESSION, len: *mut c_uint) -> *const u8 {
        let s = arg_ref!(session, std::ptr::null());
        let id = s.id();
        if !len.is_null() {
            // SAFETY: `len` points to a writable unsigned int (API contract).
            unsafe { *len = id.len() as c_uint };
        }
        id.as_ptr()
    }
    /// The protocol version (`TLS1_2_VERSION` ...).
    fn SSL_SESSION_get_protocol_version(session: *const SSL_SESSION) -> c_int {
        c_int::from(arg_ref!(session, 0).version)
    }
    /// The cipher (static).
    fn SSL_SESSION_get0_cipher(session: *const SSL_SESSION) -> *const SSL_CIPHER {
        cipher_for(arg_ref!(session, std::ptr::null()).suite)
    }
    /// When the full handshake finished, in seconds since the epoch.
    fn SSL_SESSION_get_time(session: *const SSL_SESSION) -> c_long { arg_ref!(session, 0).time }
    /// How long the session may be resumed, in seconds.
    fn SSL_SESSION_get_timeout(session: *const SSL_SESSION) -> c_long { arg_ref!(session, 0).timeout }
    /// 1 when the session can be offered: it has an ID and has not expired.
    fn SSL_SESSION_is_resumable(session: *const SSL_SESSION) -> c_int {
        c_int::from(arg_ref!(session, 0).is_resumable())
    }
    /// 0: session tickets (RFC 5077) are not implemented.
    fn SSL_SESSION_has_ticket(session: *const SSL_SESSION) -> c_int {
        let _ = arg_ref!(session, 0);
        0
    }
}
