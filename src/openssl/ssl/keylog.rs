//! `SSL_CTX_set_keylog_callback` as a ferrotls [`KeyLog`], and `SSL_export_keying_material`.

use super::{Ssl, SSL};
use crate::config::key_log::{nss_key_log_line, KeyLog};
use crate::openssl::err::{raise, ssl_r, LIB_SSL};
use crate::openssl::ssl_ctx::KeylogCallback;
use crate::openssl::verify::SslPtr;
use std::ffi::CString;

/// Calls the context's keylog callback with one NSS line (no newline), as OpenSSL's
/// `ssl_log_secret` does: `cb(ssl, "CLIENT_RANDOM <hex> <hex>")`.
#[derive(Debug)]
pub(super) struct CallbackKeyLog {
    pub(super) callback: unsafe extern "C" fn(*const SSL, *const libc::c_char),
    pub(super) ssl: SslPtr,
}

impl CallbackKeyLog {
    /// The key log for SSLs whose context has `callback` set: the callback for the `SSL` driving the engine when it runs (`SslPtr::CURRENT`).
    pub(super) fn new(callback: KeylogCallback) -> Option<Self> {
        callback.map(|callback| Self { callback, ssl: SslPtr::CURRENT })
    }
}

impl KeyLog for CallbackKeyLog {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        let Ok(line) = CString::new(nss_key_log_line(label, client_random, secret)) else { return };
        // SAFETY: the application's callback with the SSL it was set for (alive: it is driving
        // this handshake) and a NUL-terminated line valid for the call, as OpenSSL passes them.
        unsafe { (self.callback)(self.ssl.get(), line.as_ptr()) }
    }
}

/// Why `SSL_export_keying_material` could not answer.
pub enum ExportRefused {
    /// No completed handshake (OpenSSL: no session yet): -1.
    NoSession,
    /// Refused with an error queued: 0.
    Failed,
}

impl Ssl {
    /// RFC 5705 keying material into `out`, as `SSL_export_keying_material` with `use_context`.
    pub fn export_keying_material(
        &self,
        out: &mut [u8],
        label: &[u8],
        context: Option<&[u8]>,
    ) -> Result<(), ExportRefused> {
        let Some(conn) = self.conn.as_ref().filter(|c| !c.is_handshaking()) else {
            return Err(ExportRefused::NoSession);
        };
        conn.export_keying_material_into(label, context, out).map_err(|e| {
            let reason = if e.to_string().contains("reserved") {
                ssl_r::TLS_ILLEGAL_EXPORTER_LABEL
            } else {
                crate::openssl::err::other_r::INTERNAL_ERROR
            };
            raise!(LIB_SSL, reason, "SSL_export_keying_material");
            ExportRefused::Failed
        })
    }
}
