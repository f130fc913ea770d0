//! `ferrotls_session`: a resumable TLS 1.0–1.2 session (RFC 5246 §7.3), taken from a
//! finished client connection and offered again by a new one; and the server settings of the
//! session cache.

use super::client_config::ferrotls_client_config;
use super::conn::ferrotls_conn;
use super::result::{ferrotls_result, report, Failure};
use super::server_config::ferrotls_server_config_builder;
use crate::config::ServerConfigBuilder;
use crate::session::Tls12Session;
use libc::{c_char, size_t};

use ferrotls_result as R;

/// A session a client may resume: its ID, version, cipher suite, master secret (never
/// exposed, wiped when the last copy is freed) and the server's verified certificates.
/// Immutable; may be used from any thread and by any number of connections. Freed by
/// `ferrotls_session_free`.
///
/// Methods: `ferrotls_conn_session` (get one), `ferrotls_conn_new_client_resuming` (offer it),
/// `ferrotls_session_id`, `ferrotls_session_protocol_version`,
/// `ferrotls_session_cipher_suite`, `ferrotls_session_free`.
pub struct ferrotls_session {
    session: Tls12Session,
}

/// The server's session-cache settings, applied to a fresh Rust builder at build.
#[derive(Clone, Debug, Default)]
pub(crate) struct SessionCacheSettings {
    cache_size: Option<usize>,
    timeout_secs: Option<u64>,
    session_id_context: Option<Vec<u8>>,
}

impl SessionCacheSettings {
    pub(crate) fn apply(&self, mut b: ServerConfigBuilder) -> ServerConfigBuilder {
        if let Some(size) = self.cache_size {
            b = b.session_cache(size);
        }
        if let Some(secs) = self.timeout_secs {
            b = b.session_lifetime(secs);
        }
        if let Some(context) = &self.session_id_context {
            b = b.session_id_context(context);
        }
        b
    }
}

/// A copy of the session this connection established or resumed, once the handshake is
/// complete: `*session_out` is a new handle (free it with `ferrotls_session_free`). Fails
/// with `FERROTLS_BAD_STATE` (and leaves `*session_out` alone) before the handshake completes,
/// when the server did not let the session be resumed (it sent no session ID, e.g. its cache
/// is off), and after a fatal alert (RFC 5246 §7.2.2).
#[no_mangle]
pub extern "C" fn ferrotls_conn_session(
    conn: *const ferrotls_conn,
    session_out: *mut *mut ferrotls_session,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_ref!(conn);
        let out = try_out!(session_out);
        match c.conn().session() {
            Some(session) => {
                out.write(super::handle::into_raw(ferrotls_session { session }));
                R::FERROTLS_OK
            }
            None => report(Failure::new(R::FERROTLS_BAD_STATE, "no resumable session on this connection"), None),
        }
    }
}

/// Like `ferrotls_conn_new_client`, offering to resume `session` (RFC 5246 §7.3 abbreviated
/// handshake). The session is offered only to the server name it was made with and when
/// `config` still allows its version and cipher suite; otherwise, or when the server declines,
/// the handshake is a full one. `ferrotls_conn_session_reused` tells which happened. The
/// connection keeps its own copy of `session`.
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

/// Copies the session ID (1 to 32 bytes) into `buf` of `len` bytes and writes its length to
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
        let id = s.session.id();
        if buf.len() < id.len() {
            return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("the session ID needs {} bytes", id.len())), None);
        }
        buf[..id.len()].copy_from_slice(id);
        out.write(id.len());
        R::FERROTLS_OK
    }
}

/// The session's protocol version (`FERROTLS_TLS1_2` ...); 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_protocol_version(session: *const ferrotls_session) -> u16 {
    ffi_boundary! {
        let s = try_ref!(session);
        u16::from(s.session.protocol_version())
    }
}

/// The session's cipher suite (IANA number, e.g. 0x002F); 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_session_cipher_suite(session: *const ferrotls_session) -> u16 {
    ffi_boundary! {
        let s = try_ref!(session);
        u16::from(s.session.cipher_suite().suite)
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
