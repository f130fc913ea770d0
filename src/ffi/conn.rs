//! `ferrotls_conn`: one TLS connection, client or server, with three ways to move its bytes:
//!
//! 1. a file descriptor (`ferrotls_conn_set_fd`), blocking or non-blocking, driven by
//!    `ferrotls_conn_handshake` / `_read` / `_write` / `_flush` / `_shutdown`;
//! 2. read/write callbacks with a user pointer (`ferrotls_conn_set_io_callbacks`), driven by
//!    the same calls;
//! 3. sans-IO: `ferrotls_conn_feed_tls` + `_process` bring received bytes in, `_take_tls` takes
//!    bytes to send, `_write_plaintext` / `_read_plaintext` move application data.

use super::cert::ferrotls_cert_chain;
use super::client_config::ferrotls_client_config;
use super::io::{ferrotls_read_callback, ferrotls_write_callback, Transport};
use super::result::{ferrotls_result, report, to_cstring, Failure, LastError};
use super::server_config::ferrotls_server_config;
use crate::conn::{ClientConnection, Connection, ServerConnection};
use crate::msgs::enums::ProtocolVersion;
use crate::x509::ServerName;
use libc::{c_char, c_int, c_void, size_t};
use std::cell::OnceCell;
use std::ffi::{CStr, CString};
use std::sync::OnceLock;

use ferrotls_result as R;

/// Bytes asked of the transport per read: one maximal record and its header.
const READ_CHUNK: usize = 16 * 1024 + 2048 + 5;

/// Plaintext accepted per `ferrotls_conn_write` call: bounds what is buffered when the
/// transport is slow (the caller gets a partial count, as from write(2)).
const MAX_WRITE: usize = 256 * 1024;

/// One TLS connection (client or server). Single owner: use it from one thread at a time
/// (it may move between threads). Freed by `ferrotls_conn_free`, which does not close the file
/// descriptor.
///
/// Errors are sticky: after a failure every later call returns the same code, and
/// `ferrotls_conn_last_error` says what happened.
///
/// Methods: transport: `ferrotls_conn_set_fd`, `_set_io_callbacks`, `_handshake`, `_read`,
/// `_write`, `_flush`, `_shutdown`; sans-IO: `_feed_tls`, `_feed_eof`, `_process`, `_take_tls`,
/// `_wants_write`, `_write_plaintext`, `_read_plaintext`, `_send_close_notify`, `_send_key_update`; state:
/// `_is_handshaking`, `_peer_has_closed`, `_protocol_version`, `_protocol_version_name`,
/// `_cipher_suite`, `_cipher_suite_name`, `_cipher_suite_openssl_name`,
/// `_extended_master_secret`, `_encrypt_then_mac`, `_alpn_protocol`, `_server_name`, `_peer_cert_chain`,
/// `_last_error`; exporter (`keylog.rs`): `ferrotls_conn_export_keying_material`; sessions (`session.rs`): `ferrotls_conn_new_client_resuming`,
/// `ferrotls_conn_session`, `ferrotls_conn_session_reused`.
pub struct ferrotls_conn {
    conn: Connection,
    transport: Transport,
    /// Bytes read from the transport and not yet accepted by `feed_tls`.
    inbound: Vec<u8>,
    inbound_pos: usize,
    eof: bool,
    last_error: LastError,
    server_name: OnceCell<CString>,
}

impl ferrotls_conn {
    pub(crate) fn new(conn: Connection) -> Self {
        Self {
            conn,
            transport: Transport::None,
            inbound: Vec::new(),
            inbound_pos: 0,
            eof: false,
            last_error: LastError::default(),
            server_name: OnceCell::new(),
        }
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn last_error_slot(&mut self) -> &mut LastError {
        &mut self.last_error
    }

    fn fail(&mut self, f: Failure) -> ferrotls_result {
        report(f, Some(&mut self.last_error))
    }

    fn require_transport(&self) -> Result<(), Failure> {
        if self.transport.is_set() {
            Ok(())
        } else {
            Err(Failure::new(
                R::FERROTLS_NO_TRANSPORT,
                "call ferrotls_conn_set_fd or ferrotls_conn_set_io_callbacks first",
            ))
        }
    }

    /// Sends what the connection has queued.
    fn flush(&mut self) -> Result<(), Failure> {
        while self.conn.wants_write() {
            match self.transport.write(self.conn.pending_tls()) {
                Ok(0) => {
                    return Err(Failure::new(R::FERROTLS_IO_WRITE_ZERO, "the transport accepted no bytes"))
                }
                Ok(n) => self.conn.consume_tls(n),
                Err(e) if e.would_block() => return Err(Failure::new(R::FERROTLS_WANT_WRITE, "")),
                Err(e) => return Err(Failure::new(R::FERROTLS_IO, format!("write: {}", e.describe()))),
            }
        }
        Ok(())
    }

    /// Processes what was fed; on error the queued alert is sent if the transport allows.
    fn process(&mut self) -> Result<(), Failure> {
        if let Err(e) = self.conn.process() {
            if self.transport.is_set() {
                let _ = self.flush();
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Reads once from the transport (unless earlier bytes still wait to be fed) and processes.
    fn read_tls(&mut self) -> Result<(), Failure> {
        if self.inbound_pos == self.inbound.len() && !self.eof {
            self.inbound.clear();
            self.inbound_pos = 0;
            self.inbound.resize(READ_CHUNK, 0);
            match self.transport.read(&mut self.inbound) {
                Ok(0) => {
                    self.inbound.clear();
                    self.eof = true;
                    self.conn.feed_eof();
                }
                Ok(n) => self.inbound.truncate(n),
                Err(e) => {
                    self.inbound.clear();
                    if e.would_block() {
                        return Err(Failure::new(R::FERROTLS_WANT_READ, ""));
                    }
                    // A reset after the handshake is how many peers end: report it as the
                    // truncation it is rather than as an I/O error.
                    if e.0 == libc::ECONNRESET && !self.conn.is_handshaking() {
                        self.eof = true;
                        self.conn.feed_eof();
                    } else {
                        return Err(Failure::new(R::FERROTLS_IO, format!("read: {}", e.describe())));
                    }
                }
            }
        }
        let fed = self.conn.feed_tls(&self.inbound[self.inbound_pos..]);
        self.inbound_pos += fed;
        self.process()
    }

    fn sticky(&mut self) -> Result<(), Failure> {
        if let Some(e) = self.conn.error() {
            let e = e.clone();
            let _ = self.flush();
            return Err(e.into());
        }
        Ok(())
    }

    fn handshake(&mut self) -> Result<(), Failure> {
        self.require_transport()?;
        self.sticky()?;
        loop {
            self.flush()?;
            if !self.conn.is_handshaking() {
                return Ok(());
            }
            self.read_tls()?;
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Failure> {
        self.handshake()?;
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = self.conn.read_plaintext(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.conn.peer_has_closed() {
                return Err(Failure::new(R::FERROTLS_CLOSED, "the peer sent close_notify"));
            }
            if self.eof && self.inbound_pos == self.inbound.len() {
                return Err(crate::Error::Truncated.into());
            }
            self.read_tls()?;
            // Our replies (warning alerts) go out promptly; a full socket waits for the next call.
            match self.flush() {
                Err(f) if f.code != R::FERROTLS_WANT_WRITE => return Err(f),
                _ => {}
            }
        }
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, Failure> {
        self.handshake()?;
        if buf.is_empty() {
            return Ok(0);
        }
        // Earlier data first: nothing new is accepted while the transport is full.
        self.flush()?;
        let n = self.conn.write_plaintext(&buf[..buf.len().min(MAX_WRITE)])?;
        match self.flush() {
            Err(f) if f.code != R::FERROTLS_WANT_WRITE => Err(f),
            _ => Ok(n),
        }
    }

    fn shutdown(&mut self) -> Result<(), Failure> {
        self.require_transport()?;
        self.conn.send_close_notify();
        self.flush()
    }
}

/// Runs `f` on the connection and reports a failure into its last error.
macro_rules! conn_call {
    ($conn:ident, |$c:ident| $body:expr) => {{
        let $c = try_mut!($conn);
        match $body {
            Ok(()) => ferrotls_result::FERROTLS_OK,
            Err(f) => $c.fail(f),
        }
    }};
}

/// A client connection to `server_name` (a DNS name or an IP address literal), checked
/// against the server's certificate and sent as SNI for DNS names. The ClientHello is
/// queued at once. On success `*conn_out` is a new connection (free it with
/// `ferrotls_conn_free`); the connection keeps its own reference to `config`.
#[no_mangle]
pub extern "C" fn ferrotls_conn_new_client(
    config: *const ferrotls_client_config,
    server_name: *const c_char,
    conn_out: *mut *mut ferrotls_conn,
) -> ferrotls_result {
    new_client(config, server_name, None, conn_out)
}

/// `ferrotls_conn_new_client` and `ferrotls_conn_new_client_resuming` (with `session`): the
/// same checks, one shape.
pub(crate) fn new_client(
    config: *const ferrotls_client_config,
    server_name: *const c_char,
    session: Option<&super::session::Session>,
    conn_out: *mut *mut ferrotls_conn,
) -> ferrotls_result {
    ffi_boundary! {
        let config = try_ref!(config);
        let out = try_out!(conn_out);
        let name = try_str!(server_name, None);
        let name = match ServerName::try_from(name.to_owned()) {
            Ok(n) => n,
            Err(_) => return report(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("invalid server name '{name}'")), None),
        };
        let config = config.config.clone();
        let conn = match session {
            Some(super::session::Session::Tls12(s)) => ClientConnection::new_resuming(config, name, s.clone()),
            Some(super::session::Session::Tls13(s)) => ClientConnection::new_resuming_tls13(config, name, s.clone()),
            None => ClientConnection::new(config, name),
        };
        let conn = try_ok!(conn, None);
        out.write(super::handle::into_raw(ferrotls_conn::new(Connection::Client(conn))));
        R::FERROTLS_OK
    }
}

/// A server connection waiting for a ClientHello. On success `*conn_out` is a new
/// connection (free it with `ferrotls_conn_free`).
#[no_mangle]
pub extern "C" fn ferrotls_conn_new_server(
    config: *const ferrotls_server_config,
    conn_out: *mut *mut ferrotls_conn,
) -> ferrotls_result {
    ffi_boundary! {
        let config = try_ref!(config);
        let out = try_out!(conn_out);
        let conn = try_ok!(ServerConnection::new(config.config.clone()), None);
        out.write(super::handle::into_raw(ferrotls_conn::new(Connection::Server(conn))));
        R::FERROTLS_OK
    }
}

/// Frees a connection. It does not send close_notify (call `ferrotls_conn_shutdown` first)
/// and does not close the file descriptor. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_conn_free(conn: *mut ferrotls_conn) {
    ffi_boundary! {
        free_handle!(conn)
    }
}

/// Uses the file descriptor `fd` (a connected socket or a pipe) for `ferrotls_conn_handshake`,
/// `_read`, `_write`, `_flush` and `_shutdown`. The caller keeps ownership: ferrotls never
/// closes it. On a non-blocking descriptor those calls return `FERROTLS_WANT_READ` or
/// `FERROTLS_WANT_WRITE` instead of blocking: wait (poll) and call again. Replaces callbacks.
#[no_mangle]
pub extern "C" fn ferrotls_conn_set_fd(conn: *mut ferrotls_conn, fd: c_int) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        if fd < 0 {
            return c.fail(Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("file descriptor {fd} is negative")));
        }
        c.transport = Transport::Fd(fd);
        R::FERROTLS_OK
    }
}

/// Uses `read_cb` / `write_cb` (both required) for the transport calls, passing `userdata`
/// to each. Callbacks run only inside ferrotls calls on this connection, on the calling
/// thread; they must not call ferrotls on the same connection. Replaces a file descriptor.
#[no_mangle]
pub extern "C" fn ferrotls_conn_set_io_callbacks(
    conn: *mut ferrotls_conn,
    read_cb: ferrotls_read_callback,
    write_cb: ferrotls_write_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        if read_cb.is_none() || write_cb.is_none() {
            let which = if read_cb.is_none() { "read_cb" } else { "write_cb" };
            return c.fail(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{which}` is NULL")));
        }
        c.transport = Transport::Callbacks { read: read_cb, write: write_cb, userdata };
        R::FERROTLS_OK
    }
}

/// Runs the handshake to completion over the transport: `FERROTLS_OK` once it is done (also
/// when it already was). Non-blocking: `FERROTLS_WANT_READ` / `_WANT_WRITE`, call again.
/// A certificate rejection is a `FERROTLS_CERT_*` code; the alert has been sent.
#[no_mangle]
pub extern "C" fn ferrotls_conn_handshake(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        conn_call!(conn, |c| c.handshake())
    }
}

/// Reads application data into `buf` (completing the handshake first if needed), like
/// SSL_read: `FERROTLS_OK` with `*read_out > 0`; `FERROTLS_CLOSED` after the peer's
/// close_notify (a clean end); `FERROTLS_TRUNCATED` if the transport ended without one;
/// `FERROTLS_WANT_READ` / `_WANT_WRITE` on a non-blocking transport. `*read_out` is
/// written only with `FERROTLS_OK` (0 only when `len` is 0).
#[no_mangle]
pub extern "C" fn ferrotls_conn_read(
    conn: *mut ferrotls_conn,
    buf: *mut u8,
    len: size_t,
    read_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(read_out);
        let buf = try_slice_mut!(buf, len, Some(&mut c.last_error));
        match c.read(buf) {
            Ok(n) => {
                out.write(n);
                R::FERROTLS_OK
            }
            Err(f) => c.fail(f),
        }
    }
}

/// Encrypts and sends application data (completing the handshake first if needed).
/// `*written_out` receives how many bytes were accepted: all of `len` up to 256 KiB per
/// call. Accepted bytes that the transport could not take yet stay queued: see
/// `ferrotls_conn_wants_write` and `ferrotls_conn_flush`. `FERROTLS_WANT_WRITE` (nothing
/// accepted) while earlier data is still queued.
#[no_mangle]
pub extern "C" fn ferrotls_conn_write(
    conn: *mut ferrotls_conn,
    buf: *const u8,
    len: size_t,
    written_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(written_out);
        let buf = try_slice!(buf, len, Some(&mut c.last_error));
        match c.write(buf) {
            Ok(n) => {
                out.write(n);
                R::FERROTLS_OK
            }
            Err(f) => c.fail(f),
        }
    }
}

/// Sends everything queued over the transport: `FERROTLS_OK` when nothing is left,
/// `FERROTLS_WANT_WRITE` on a full non-blocking transport.
#[no_mangle]
pub extern "C" fn ferrotls_conn_flush(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        conn_call!(conn, |c| c.require_transport().and_then(|_| c.flush()))
    }
}

/// Sends close_notify (once) and flushes. The peer may still send data: keep calling
/// `ferrotls_conn_read` until `FERROTLS_CLOSED` for a bidirectional shutdown.
/// `FERROTLS_WANT_WRITE` on a full non-blocking transport: call `ferrotls_conn_flush` later.
#[no_mangle]
pub extern "C" fn ferrotls_conn_shutdown(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        conn_call!(conn, |c| c.shutdown())
    }
}

/// Sans-IO: gives the connection `len` bytes received from the peer; `*consumed_out`
/// receives how many it took (fewer when records are already buffered or 1 MiB of plaintext
/// waits to be read: call `ferrotls_conn_process` / `_read_plaintext` and offer the rest
/// again). Call `ferrotls_conn_process` afterwards.
#[no_mangle]
pub extern "C" fn ferrotls_conn_feed_tls(
    conn: *mut ferrotls_conn,
    buf: *const u8,
    len: size_t,
    consumed_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(consumed_out);
        let buf = try_slice!(buf, len, Some(&mut c.last_error));
        out.write(c.conn.feed_tls(buf));
        R::FERROTLS_OK
    }
}

/// Sans-IO: the transport reached end of file. Call `ferrotls_conn_process` afterwards.
#[no_mangle]
pub extern "C" fn ferrotls_conn_feed_eof(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        c.eof = true;
        c.conn.feed_eof();
        R::FERROTLS_OK
    }
}

/// Sans-IO: processes the bytes fed so far: advances the handshake, decrypts records,
/// queues replies. On failure the error's alert is queued: send it (`ferrotls_conn_take_tls`)
/// before closing the transport.
#[no_mangle]
pub extern "C" fn ferrotls_conn_process(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        conn_call!(conn, |c| c.conn.process().map(|_| ()).map_err(Failure::from))
    }
}

/// Sans-IO: copies up to `len` bytes that should be sent to the peer into `buf` and removes
/// them from the connection; `*written_out` receives the count (0 when nothing waits).
#[no_mangle]
pub extern "C" fn ferrotls_conn_take_tls(
    conn: *mut ferrotls_conn,
    buf: *mut u8,
    len: size_t,
    written_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(written_out);
        let buf = try_slice_mut!(buf, len, Some(&mut c.last_error));
        let pending = c.conn.pending_tls();
        let n = pending.len().min(buf.len());
        buf[..n].copy_from_slice(&pending[..n]);
        c.conn.consume_tls(n);
        out.write(n);
        R::FERROTLS_OK
    }
}

/// True when bytes wait to be sent (`ferrotls_conn_take_tls` or `ferrotls_conn_flush`).
#[no_mangle]
pub extern "C" fn ferrotls_conn_wants_write(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.wants_write()
    }
}

/// Sans-IO: queues application data for sending; `*written_out` receives how many bytes were
/// accepted (before the handshake completes, up to 64 KiB is held and sent once it does).
/// `FERROTLS_BAD_STATE` after close_notify was sent.
#[no_mangle]
pub extern "C" fn ferrotls_conn_write_plaintext(
    conn: *mut ferrotls_conn,
    buf: *const u8,
    len: size_t,
    written_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(written_out);
        let buf = try_slice!(buf, len, Some(&mut c.last_error));
        match c.conn.write_plaintext(buf) {
            Ok(n) => {
                out.write(n);
                R::FERROTLS_OK
            }
            Err(e) => c.fail(e.into()),
        }
    }
}

/// Sans-IO: copies received application data into `buf`. `FERROTLS_OK` with `*read_out > 0`
/// (or 0 when `len` is 0); `FERROTLS_WANT_READ` when none is buffered (feed more TLS bytes);
/// `FERROTLS_CLOSED` after the peer's close_notify; `FERROTLS_TRUNCATED` after an EOF
/// without one.
#[no_mangle]
pub extern "C" fn ferrotls_conn_read_plaintext(
    conn: *mut ferrotls_conn,
    buf: *mut u8,
    len: size_t,
    read_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        let out = try_out!(read_out);
        let buf = try_slice_mut!(buf, len, Some(&mut c.last_error));
        let empty = buf.is_empty();
        match c.conn.read_plaintext(buf) {
            Ok(n) if n > 0 || empty => {
                out.write(n);
                R::FERROTLS_OK
            }
            Ok(_) if c.conn.peer_has_closed() => c.fail(Failure::new(R::FERROTLS_CLOSED, "the peer sent close_notify")),
            Ok(_) => R::FERROTLS_WANT_READ,
            Err(e) => c.fail(e.into()),
        }
    }
}

/// Sans-IO: queues close_notify (sent by `ferrotls_conn_take_tls`). Idempotent.
#[no_mangle]
pub extern "C" fn ferrotls_conn_send_close_notify(conn: *mut ferrotls_conn) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        c.conn.send_close_notify();
        R::FERROTLS_OK
    }
}

/// True until the handshake completes (false for NULL).
#[no_mangle]
pub extern "C" fn ferrotls_conn_is_handshaking(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.is_handshaking()
    }
}

/// Decrypted bytes waiting to be read (`ferrotls_conn_read` / `_read_plaintext` returns them
/// without touching the transport); 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_conn_plaintext_bytes_to_read(conn: *const ferrotls_conn) -> size_t {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.plaintext_bytes_to_read()
    }
}

/// True once the peer's close_notify arrived.
#[no_mangle]
pub extern "C" fn ferrotls_conn_peer_has_closed(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.peer_has_closed()
    }
}

/// The negotiated version (`FERROTLS_TLS1_0` .. `FERROTLS_TLS1_3`), or 0 before it is known.
#[no_mangle]
pub extern "C" fn ferrotls_conn_protocol_version(conn: *const ferrotls_conn) -> u16 {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.protocol_version().map_or(0, u16::from)
    }
}

/// The negotiated version's name (`"TLSv1.0"`, `"TLSv1.1"`, `"TLSv1.2"`, `"TLSv1.3"`), static; NULL
/// before it is known.
#[no_mangle]
pub extern "C" fn ferrotls_conn_protocol_version_name(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        let c = try_ref!(conn);
        match c.conn.protocol_version() {
            Some(ProtocolVersion::TLSv1_0) => c"TLSv1.0".as_ptr(),
            Some(ProtocolVersion::TLSv1_1) => c"TLSv1.1".as_ptr(),
            Some(ProtocolVersion::TLSv1_2) => c"TLSv1.2".as_ptr(),
            Some(ProtocolVersion::TLSv1_3) => c"TLSv1.3".as_ptr(),
            Some(_) => c"unknown".as_ptr(),
            None => std::ptr::null(),
        }
    }
}

/// The negotiated cipher suite's IANA number (0x1301 for TLS_AES_128_GCM_SHA256, 0x002F for
/// TLS_RSA_WITH_AES_128_CBC_SHA), or 0 before it is known.
#[no_mangle]
pub extern "C" fn ferrotls_conn_cipher_suite(conn: *const ferrotls_conn) -> u16 {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.negotiated_cipher_suite().map_or(0, |s| u16::from(s.suite))
    }
}

/// (IANA name, OpenSSL name) as C strings for every suite this build knows, of both families
/// (a TLS 1.3 suite's OpenSSL name is its IANA name).
fn suite_names(id: u16) -> Option<&'static (u16, CString, CString)> {
    static NAMES: OnceLock<Vec<(u16, CString, CString)>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let p = crate::config::default_provider();
            let tls12 = p.cipher_suites.iter().map(|s| &s.common);
            tls12
                .chain(p.tls13_cipher_suites.iter().map(|s| &s.common))
                .map(|s| (u16::from(s.suite), to_cstring(s.iana_name), to_cstring(s.openssl_name)))
                .collect()
        })
        .iter()
        .find(|n| n.0 == id)
}

fn suite_name(
    c: &ferrotls_conn,
    pick: fn(&'static (u16, CString, CString)) -> &'static CStr,
) -> *const c_char {
    c.conn
        .negotiated_cipher_suite()
        .and_then(|s| suite_names(u16::from(s.suite)))
        .map_or(std::ptr::null(), |n| pick(n).as_ptr())
}

/// The negotiated suite's IANA name (`"TLS_AES_128_GCM_SHA256"`, `"TLS_RSA_WITH_AES_128_CBC_SHA"`), static; NULL
/// before it is known.
#[no_mangle]
pub extern "C" fn ferrotls_conn_cipher_suite_name(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        let c = try_ref!(conn);
        suite_name(c, |n| n.1.as_c_str())
    }
}

/// The negotiated suite's OpenSSL name (`"TLS_AES_128_GCM_SHA256"` under TLS 1.3, as OpenSSL
/// names them; `"AES128-SHA"`), static; NULL before it is known.
#[no_mangle]
pub extern "C" fn ferrotls_conn_cipher_suite_openssl_name(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        let c = try_ref!(conn);
        suite_name(c, |n| n.2.as_c_str())
    }
}

/// TLS 1.3: queues a KeyUpdate (RFC 8446 §4.6.3) and moves to new write keys (sent by the next
/// write, flush or `ferrotls_conn_take_tls`); with `request_peer_update` the peer is asked to
/// update its keys too. Fails with `FERROTLS_BAD_STATE` before the handshake
/// completes or under TLS 1.2, which has no KeyUpdate (`ferrotls_conn_last_error` says which).
#[no_mangle]
pub extern "C" fn ferrotls_conn_send_key_update(
    conn: *mut ferrotls_conn,
    request_peer_update: bool,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_mut!(conn);
        match c.conn.send_key_update(request_peer_update) {
            Ok(()) => R::FERROTLS_OK,
            Err(e) => c.fail(e.into()),
        }
    }
}

/// Whether the extended master secret (RFC 7627) is in use.
#[no_mangle]
pub extern "C" fn ferrotls_conn_extended_master_secret(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.extended_master_secret()
    }
}

/// Whether encrypt-then-MAC (RFC 7366) is in use.
#[no_mangle]
pub extern "C" fn ferrotls_conn_encrypt_then_mac(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.conn.encrypt_then_mac()
    }
}

/// The application protocol agreed with ALPN (RFC 7301): on success `*protocol_out` points to
/// its `*len_out` bytes (not NUL-terminated), owned by the connection and valid until it is
/// freed. When none was agreed (yet), or either side did not do ALPN, the call succeeds with
/// `*protocol_out` NULL and `*len_out` 0. Known once the ServerHello is sent or received.
#[no_mangle]
pub extern "C" fn ferrotls_conn_alpn_protocol(
    conn: *const ferrotls_conn,
    protocol_out: *mut *const u8,
    len_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_ref!(conn);
        let protocol = try_out!(protocol_out);
        let len = try_out!(len_out);
        let p = c.conn.alpn_protocol();
        protocol.write(p.map_or(std::ptr::null(), <[u8]>::as_ptr));
        len.write(p.map_or(0, <[u8]>::len));
        R::FERROTLS_OK
    }
}

/// Server side: the host name the client sent with SNI, owned by the connection; NULL when
/// none was sent (yet), and always on a client connection.
#[no_mangle]
pub extern "C" fn ferrotls_conn_server_name(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        let c = try_ref!(conn);
        if let Some(s) = c.server_name.get() {
            return s.as_ptr();
        }
        match &c.conn {
            Connection::Server(s) => match s.server_name() {
                Some(name) => c.server_name.get_or_init(|| to_cstring(name)).as_ptr(),
                None => std::ptr::null(),
            },
            Connection::Client(_) => std::ptr::null(),
        }
    }
}

/// The peer's certificates as sent (leaf first), copied into a new chain (free it with
/// `ferrotls_cert_chain_free`); empty before they arrive. On a server with a client verifier
/// (`ferrotls_server_config_builder_set_client_verifier`) this is the client's verified chain,
/// empty when an optional client sent none.
#[no_mangle]
pub extern "C" fn ferrotls_conn_peer_cert_chain(
    conn: *const ferrotls_conn,
    chain_out: *mut *mut ferrotls_cert_chain,
) -> ferrotls_result {
    ffi_boundary! {
        let c = try_ref!(conn);
        let out = try_out!(chain_out);
        out.write(super::handle::into_raw(ferrotls_cert_chain::new(c.conn.peer_certificates())));
        R::FERROTLS_OK
    }
}

/// The connection's most recent failure with detail (e.g. `"certificate is not valid for
/// the server name: invalid peer certificate: certificate is not valid for example.com
/// (sent alert bad_certificate)"`), NUL-terminated, owned by the connection; "" when
/// nothing failed. NULL only for a NULL `conn`.
#[no_mangle]
pub extern "C" fn ferrotls_conn_last_error(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        let c = try_ref!(conn);
        c.last_error.as_ptr()
    }
}

/// On a client: whether it sent a certificate (`ferrotls_client_config_builder_set_client_cert`)
/// in this handshake, which happens only when the server asked for one. False on a server,
/// before the handshake, and for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_conn_client_certificate_sent(conn: *const ferrotls_conn) -> bool {
    ffi_boundary! {
        let c = try_ref!(conn);
        match &c.conn {
            Connection::Client(client) => client.client_certificate_sent(),
            Connection::Server(_) => false,
        }
    }
}
