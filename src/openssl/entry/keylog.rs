//! `SSL_CTX_set_keylog_callback` / `SSL_CTX_get_keylog_callback` and
//! `SSL_export_keying_material`.

use libc::{c_char, c_int, size_t};

use crate::openssl::err::{other_r, raise, LIB_SSL};
use crate::openssl::ssl::{ExportRefused, SSL};
use crate::openssl::ssl_ctx::{KeylogCallback, SSL_CTX};

entry! {
    /// Called with one NSS key log line (`CLIENT_RANDOM <hex> <hex>`, no newline) per secret
    /// of every handshake an SSL of this context starts afterwards; NULL turns it off.
    fn SSL_CTX_set_keylog_callback(ctx: *mut SSL_CTX, cb: KeylogCallback) {
        arg_ref!(ctx, ()).settings().keylog_callback = cb;
    }
    /// The keylog callback, or NULL.
    fn SSL_CTX_get_keylog_callback(ctx: *const SSL_CTX) -> KeylogCallback {
        arg_ref!(ctx, None).settings().keylog_callback
    }
    /// RFC 5705 keying material: 1 and `out` filled; -1 before the handshake completed (OpenSSL:
    /// no session); 0 with `SSL_R_TLS_ILLEGAL_EXPORTER_LABEL` queued for a label starting with
    /// a TLS PRF label, or another error. With `use_context` 0 the context is left out; with it
    /// set an empty context still counts (RFC 5705 §4).
    fn SSL_export_keying_material(
        ssl: *mut SSL,
        out: *mut u8,
        olen: size_t,
        label: *const c_char,
        llen: size_t,
        context: *const u8,
        contextlen: size_t,
        use_context: c_int,
    ) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        // SAFETY: the OpenSSL contract: each buffer holds its length in bytes (NULL with 0).
        let (out, label, context) = unsafe {
            (
                crate::ffi::slice::slice_mut(out, olen, "out"),
                crate::ffi::slice::slice(label.cast(), llen, "label"),
                crate::ffi::slice::slice(context, contextlen, "context"),
            )
        };
        let (Ok(out), Ok(label), Ok(context)) = (out, label, context) else {
            raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_export_keying_material");
            return 0;
        };
        let context = (use_context != 0).then_some(context);
        match ssl.with_inner(|s, _, _| s.export_keying_material(out, label, context)) {
            Ok(()) => 1,
            Err(ExportRefused::NoSession) => -1,
            Err(ExportRefused::Failed) => 0,
        }
    }
}
