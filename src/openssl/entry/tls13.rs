//! TLS 1.3's own calls: `SSL_key_update`, the early-data family (ferrotls does no 0-RTT, so
//! they answer as OpenSSL does when early data is not in use) and
//! `SSL_verify_client_post_handshake` (refused). The behaviour is in `openssl/ssl/tls13.rs`.

use libc::{c_int, c_void, size_t};

use crate::openssl::session::SSL_SESSION;
use crate::openssl::ssl::tls13::EARLY_DATA_NOT_SENT;
use crate::openssl::ssl::SSL;
use crate::openssl::ssl_ctx::SSL_CTX;

entry! {
    /// Marks a KeyUpdate (RFC 8446 §4.6.3) as pending: `SSL_KEY_UPDATE_REQUESTED` also asks the
    /// peer to update its keys. It is sent by the next `SSL_write`, `SSL_read` or
    /// `SSL_do_handshake`. 1, or 0 with the error queued: `SSL_R_WRONG_SSL_VERSION` when the
    /// connection is not TLS 1.3 (also before the handshake), `SSL_R_INVALID_KEY_UPDATE_TYPE`,
    /// `SSL_R_STILL_IN_INIT`, `SSL_R_BAD_WRITE_RETRY` (a write waits to be retried).
    fn SSL_key_update(ssl: *mut SSL, updatetype: c_int) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.key_update(updatetype))
    }
    /// The pending update's type, or `SSL_KEY_UPDATE_NONE` (-1) when none waits to be sent.
    fn SSL_get_key_update_type(ssl: *const SSL) -> c_int {
        arg_ref!(ssl, -1).with_inner(|s, _, _| s.key_update_type())
    }
    /// A server's read of early data. ferrotls accepts none: the handshake runs (as
    /// `SSL_accept`) and the answer is `SSL_READ_EARLY_DATA_FINISH` with `*readbytes` 0, or
    /// `SSL_READ_EARLY_DATA_ERROR` (see `SSL_get_error`: WANT_READ on a non-blocking BIO, call
    /// again). Called on a client, after another handshake call or again after FINISH: ERROR
    /// with `ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED`, as in OpenSSL.
    fn SSL_read_early_data(ssl: *mut SSL, buf: *mut c_void, num: size_t, readbytes: *mut size_t) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let _ = (buf, num);
        let r = ssl.with_inner(|s, sh, me| s.read_early_data(sh, me));
        if r == crate::openssl::ssl::tls13::READ_EARLY_DATA_FINISH && !readbytes.is_null() {
            // SAFETY: `readbytes` points to a writable size_t (API contract).
            unsafe { *readbytes = 0 };
        }
        r
    }
    /// Early data is never sent: a client gets 0 with `ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED` (as
    /// OpenSSL answers without a session that allows early data; with one, ferrotls still
    /// refuses, and the program writes after the handshake). A server after
    /// `SSL_read_early_data` said FINISH writes as `SSL_write_ex` (1 and `*written`, or 0).
    fn SSL_write_early_data(ssl: *mut SSL, buf: *const c_void, num: size_t, written: *mut size_t) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        // SAFETY: `buf` points to `num` readable bytes (API contract).
        let Some(data) = (unsafe { crate::openssl::bytes(buf.cast(), num) }) else { return 0 };
        let r = ssl.with_inner(|s, sh, me| s.write_early_data(sh, me, data));
        if r <= 0 {
            return 0;
        }
        if !written.is_null() {
            // SAFETY: `written` points to a writable size_t (API contract).
            unsafe { *written = r as size_t };
        }
        1
    }
    /// `SSL_EARLY_DATA_NOT_SENT`: ferrotls neither sends nor accepts early data.
    fn SSL_get_early_data_status(ssl: *const SSL) -> c_int {
        arg_ref!(ssl, EARLY_DATA_NOT_SENT);
        EARLY_DATA_NOT_SENT
    }
    /// Stores the early data a server would accept (OpenSSL's default 0). ferrotls accepts
    /// none whatever the value, and its tickets advertise none. 1.
    fn SSL_CTX_set_max_early_data(ctx: *mut SSL_CTX, max_early_data: u32) -> c_int {
        arg_ref!(ctx, 0).settings().max_early_data.0 = max_early_data;
        1
    }
    /// The value stored.
    fn SSL_CTX_get_max_early_data(ctx: *const SSL_CTX) -> u32 { arg_ref!(ctx, 0).settings().max_early_data.0 }
    /// As `SSL_CTX_set_max_early_data`, for one SSL. 1.
    fn SSL_set_max_early_data(ssl: *mut SSL, max_early_data: u32) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.max_early_data.0 = max_early_data);
        1
    }
    /// The value stored for this SSL (its context's at `SSL_new`).
    fn SSL_get_max_early_data(ssl: *const SSL) -> u32 {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.max_early_data.0)
    }
    /// Stores the receive limit for early data (OpenSSL's default 16384). 1.
    fn SSL_CTX_set_recv_max_early_data(ctx: *mut SSL_CTX, recv_max_early_data: u32) -> c_int {
        arg_ref!(ctx, 0).settings().max_early_data.1 = recv_max_early_data;
        1
    }
    /// The value stored.
    fn SSL_CTX_get_recv_max_early_data(ctx: *const SSL_CTX) -> u32 { arg_ref!(ctx, 0).settings().max_early_data.1 }
    /// As `SSL_CTX_set_recv_max_early_data`, for one SSL. 1.
    fn SSL_set_recv_max_early_data(ssl: *mut SSL, recv_max_early_data: u32) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.max_early_data.1 = recv_max_early_data);
        1
    }
    /// The value stored for this SSL.
    fn SSL_get_recv_max_early_data(ssl: *const SSL) -> u32 {
        arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.max_early_data.1)
    }
    /// The early data the server's TLS 1.3 ticket allows (0 for other sessions).
    fn SSL_SESSION_get_max_early_data(s: *const SSL_SESSION) -> u32 { arg_ref!(s, 0).max_early_data() }
    /// Refused: ferrotls does not do TLS 1.3 post-handshake authentication (RFC 8446 §4.6.2).
    /// 0 with OpenSSL's reason for the case: `SSL_R_WRONG_SSL_VERSION` (not TLS 1.3),
    /// `SSL_R_NOT_SERVER`, `SSL_R_STILL_IN_INIT`, else `SSL_R_EXTENSION_NOT_RECEIVED` (what
    /// OpenSSL says when the client did not offer post_handshake_auth; a ferrotls client never
    /// does).
    fn SSL_verify_client_post_handshake(ssl: *mut SSL) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, sh, _| s.verify_client_post_handshake(sh))
    }
}
