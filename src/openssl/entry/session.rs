//! `SSL_SESSION_*` and the `SSL_*session*` functions (objects in `openssl/session.rs`).

use std::sync::Arc;

use libc::{c_int, c_long, c_uchar, c_uint, c_ulong, size_t};

use super::cipher::{cipher_for, SSL_CIPHER};
use crate::openssl::session::{session_arc, session_to_raw, SSL_SESSION};
use crate::openssl::ssl::SSL;
use crate::openssl::ssl_ctx::SSL_CTX;

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
        cipher_for(&arg_ref!(session, std::ptr::null()).suite)
    }
    /// When the full handshake finished, in seconds since the epoch.
    fn SSL_SESSION_get_time(session: *const SSL_SESSION) -> c_long { arg_ref!(session, 0).time }
    /// How long the session may be resumed, in seconds.
    fn SSL_SESSION_get_timeout(session: *const SSL_SESSION) -> c_long { arg_ref!(session, 0).timeout }
    /// 1 when the session can be offered: it has an ID and has not expired.
    fn SSL_SESSION_is_resumable(session: *const SSL_SESSION) -> c_int {
        c_int::from(arg_ref!(session, 0).is_resumable())
    }
    /// 1 when the server issued a session ticket (RFC 5077) for this session.
    fn SSL_SESSION_has_ticket(session: *const SSL_SESSION) -> c_int {
        c_int::from(arg_ref!(session, 0).has_ticket())
    }
    /// The ticket's lifetime hint in seconds (TLS 1.3: the ticket's lifetime; 0 without a ticket).
    fn SSL_SESSION_get_ticket_lifetime_hint(session: *const SSL_SESSION) -> c_ulong {
        c_ulong::from(arg_ref!(session, 0).ticket_lifetime_hint())
    }
    /// `i2d_SSL_SESSION`: the session's encoding (ferrotls's versioned format, not OpenSSL's
    /// ASN.1; only this library's `d2i_SSL_SESSION` reads it). Returns its length; with `pp`
    /// non-NULL writes it at `*pp` and advances `*pp`, or, when `*pp` is NULL, allocates it
    /// (free with `OPENSSL_free`). 0 for a session the server did not let us resume.
    fn i2d_SSL_SESSION(session: *const SSL_SESSION, pp: *mut *mut c_uchar) -> c_int {
        let bytes = arg_ref!(session, 0).to_bytes();
        let Ok(len) = c_int::try_from(bytes.len()) else { return 0 };
        if len == 0 || pp.is_null() {
            return len;
        }
        // SAFETY: `pp` points to a writable pointer (API contract); that pointer is NULL or
        // has room for the length an earlier call returned.
        unsafe {
            if (*pp).is_null() {
                let buf = libc::malloc(bytes.len()).cast::<c_uchar>();
                if buf.is_null() {
                    return 0;
                }
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len());
                *pp = buf;
            } else {
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), *pp, bytes.len());
                *pp = (*pp).add(bytes.len());
            }
        }
        len
    }
    /// `d2i_SSL_SESSION`: a session from `i2d_SSL_SESSION` bytes at `*pp` (`length` bytes;
    /// the encoding must be all of them). On success `*pp` is advanced and the new session
    /// returned (also stored in `*a` when `a` is non-NULL, freeing what was there); NULL for
    /// anything else. A client offers it only after verifying its certificates again.
    fn d2i_SSL_SESSION(a: *mut *mut SSL_SESSION, pp: *mut *const c_uchar, length: c_long) -> *mut SSL_SESSION {
        if pp.is_null() || length <= 0 {
            return std::ptr::null_mut();
        }
        let Ok(len) = usize::try_from(length) else { return std::ptr::null_mut() };
        // SAFETY: `*pp` points to `length` readable bytes (API contract).
        let bytes = unsafe {
            if (*pp).is_null() {
                return std::ptr::null_mut();
            }
            std::slice::from_raw_parts(*pp, len)
        };
        let Some(session) = SSL_SESSION::from_bytes(bytes) else {
            crate::openssl::err::raise!(
                crate::openssl::err::LIB_SSL,
                crate::openssl::err::ssl_r::BAD_VALUE,
                "d2i_SSL_SESSION"
            );
            return std::ptr::null_mut();
        };
        let raw = session_to_raw(session);
        // SAFETY: as above; `*a` is NULL or a session the caller owns a reference to.
        unsafe {
            *pp = (*pp).add(len);
            if !a.is_null() {
                if !(*a).is_null() {
                    drop(Arc::from_raw((*a).cast_const()));
                }
                *a = raw;
            }
        }
        raw
    }
    /// `SSL_CTX_set_num_tickets`: TLS 1.3's tickets per handshake, stored (a TLS 1.2 server
    /// sends one ticket per full handshake, or none with `SSL_OP_NO_TICKET`). 1.
    fn SSL_CTX_set_num_tickets(ctx: *mut SSL_CTX, num_tickets: size_t) -> c_int {
        arg_ref!(ctx, 0).settings().num_tickets = num_tickets;
        1
    }
    /// The value `SSL_CTX_set_num_tickets` stored (OpenSSL's default 2).
    fn SSL_CTX_get_num_tickets(ctx: *const SSL_CTX) -> size_t { arg_ref!(ctx, 0).settings().num_tickets }
    /// `SSL_set_num_tickets`: as `SSL_CTX_set_num_tickets`, for one SSL. 1.
    fn SSL_set_num_tickets(ssl: *mut SSL, num_tickets: size_t) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.num_tickets = num_tickets);
        1
    }
    /// The value stored for this SSL (its context's at `SSL_new`).
    fn SSL_get_num_tickets(ssl: *const SSL) -> size_t {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.num_tickets)
    }
}
