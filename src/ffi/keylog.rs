//! The key log callback both config builders take (`ferrotls_keylog_callback`), and the
//! keying material exporter of a connection (`ferrotls_conn_export_keying_material`).

use super::conn::ferrotls_conn;
use super::result::{ferrotls_result, report, Failure};
use crate::config::KeyLog;
use libc::{c_char, c_void, size_t};
use std::ffi::CString;

/// Receives a connection's secrets as they are derived, in the pieces of one NSS key log line
/// (`LABEL <client_random hex> <secret hex>`): `label` is a NUL-terminated string such as
/// `"CLIENT_RANDOM"` (TLS 1.0–1.2, the 48-byte master secret; TLS 1.3 uses
/// `"CLIENT_HANDSHAKE_TRAFFIC_SECRET"` and the other labels of the format), `client_random`
/// the connection's 32-byte ClientHello.random, `secret` the secret. All three are borrowed
/// for the call only.
///
/// It runs inside `ferrotls_conn_handshake` (or `_process`), on whichever thread drives a
/// connection made from the configuration: the caller guarantees that `userdata` may be used
/// from those threads at once and outlives every configuration holding the callback. It must
/// not call ferrotls functions on that connection, and must not unwind or longjmp. Whoever
/// holds these secrets can decrypt the session: log only where that is intended.
pub type ferrotls_keylog_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        label: *const c_char,
        client_random: *const u8,
        client_random_len: size_t,
        secret: *const u8,
        secret_len: size_t,
    ),
>;

/// A C key log callback with its user pointer, callable from any thread.
#[derive(Clone, Copy)]
pub(crate) struct KeyLogHook {
    callback: unsafe extern "C" fn(*mut c_void, *const c_char, *const u8, size_t, *const u8, size_t),
    userdata: *mut c_void,
}

// SAFETY: the documented contract of `ferrotls_keylog_callback`: the caller guarantees that the
// callback and `userdata` may be used from any thread a configuration holding them is used on.
unsafe impl Send for KeyLogHook {}
// SAFETY: as above; the hook itself is never mutated after it is made.
unsafe impl Sync for KeyLogHook {}

impl core::fmt::Debug for KeyLogHook {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("KeyLogHook")
    }
}

impl KeyLogHook {
    /// `None` for a NULL callback (which removes the callback).
    pub(crate) fn new(callback: ferrotls_keylog_callback, userdata: *mut c_void) -> Option<Self> {
        callback.map(|callback| Self { callback, userdata })
    }
}

impl KeyLog for KeyLogHook {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        // Labels are our constants (no NUL inside); a panic here would cross the handshake, so
        // a label that could not be passed is dropped instead.
        let Ok(label) = CString::new(label) else { return };
        // SAFETY: the callback is a valid function pointer per the setter's contract; every
        // pointer is live for the duration of the call with the length given beside it, and
        // `userdata` is the caller's, passed back unchanged.
        unsafe {
            (self.callback)(
                self.userdata,
                label.as_ptr(),
                client_random.as_ptr(),
                client_random.len(),
                secret.as_ptr(),
                secret.len(),
            )
        }
    }
}

/// Derives `out_len` bytes of keying material bound to this connection into `out` (RFC 5705 in
/// TLS 1.0–1.2), as the peer derives them from the same label and context — OpenSSL's
/// `SSL_export_keying_material`. `label` is `label_len` bytes; with `use_context` false the
/// context is left out, with it true `context` (`context_len` bytes, at most 65535; NULL when
/// 0) is mixed in with its length, so an empty context differs from none.
///
/// `FERROTLS_OK` and `out` filled; `FERROTLS_BAD_STATE` before the handshake completed, for a
/// label that starts with one the TLS PRF uses ("client finished", "server finished", "master
/// secret", "extended master secret", "key expansion") or a context that is too long (see
/// `ferrotls_conn_last_error`); the connection's error when it has failed. `out` is left
/// unchanged on failure.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn ferrotls_conn_export_keying_material(
    conn: *mut ferrotls_conn,
    label: *const u8,
    label_len: size_t,
    context: *const u8,
    context_len: size_t,
    use_context: bool,
    out: *mut u8,
    out_len: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let label = try_slice!(label, label_len, Some(c.last_error_slot()));
        let context = try_slice!(context, context_len, Some(c.last_error_slot()));
        let out = try_slice_mut!(out, out_len, Some(c.last_error_slot()));
        // Derived into a scratch buffer so `out` stays as it was on failure.
        let result = c.conn().export_keying_material(label, use_context.then_some(context), out.len());
        match result {
            Ok(km) => {
                out.copy_from_slice(&km);
                ferrotls_result::FERROTLS_OK
            }
            Err(e) => report(Failure::from(e), Some(c.last_error_slot())),
        }
    }
}

/// Hands the secrets of every connection made from the configurations this builder builds to
/// `callback` (see `ferrotls_keylog_callback`), for debugging with a packet analyser. NULL
/// removes it (the default: nothing is logged). The library never reads `SSLKEYLOGFILE`; an
/// application that wants it reads the variable and writes the lines itself.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_keylog_callback(
    builder: *mut super::client_config::ferrotls_client_config_builder,
    callback: ferrotls_keylog_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    super::policy::set_keylog_callback(builder, callback, userdata)
}

/// As `ferrotls_client_config_builder_set_keylog_callback`, for servers.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_keylog_callback(
    builder: *mut super::server_config::ferrotls_server_config_builder,
    callback: ferrotls_keylog_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    super::policy::set_keylog_callback(builder, callback, userdata)
}
