//! `SSL`: one connection with OpenSSL's semantics over a ferrotls `Connection`.
//!
//! The engine is created when the handshake starts (`SSL_connect`, `SSL_accept`,
//! `SSL_do_handshake`, or the first `SSL_read`/`SSL_write`), from the settings copied out of
//! the `SSL_CTX` at `SSL_new`. TLS bytes move through the read and write `BIO`s; "would block"
//! from a BIO becomes `-1` with `SSL_ERROR_WANT_READ`/`WANT_WRITE`, and every failure leaves an
//! entry in the thread's error queue, which is what `SSL_get_error` consults first, as OpenSSL
//! does.
//!
//! The C object is [`SSL`]: state that callbacks may read while a handshake is running
//! (`SSL_get_ex_data`, `SSL_get_servername`, `SSL_get_version`, ...) lives in [`Shared`]; the
//! engine and buffers live in [`Ssl`] behind an `UnsafeCell`, reached only by entry points
//! that OpenSSL does not allow from inside its callbacks (I/O, handshake, setters).
//!
//! The engine's concerns live in submodules: `engine` (the ferrotls configuration and
//! connection built from the settings), `handshake` (driving it, info callback, what a finished
//! handshake leaves), `io` (records through the BIOs, read/write/shutdown), `servername` (SNI and
//! the servername callback on a server) and `errors` (ferrotls error kinds to `SSL_R_*`).

mod engine;
mod errors;
mod handshake;
mod io;
mod keylog;
pub mod msg_trace;
mod servername;
pub mod tls13;

pub use super::verify_param::X509_VERIFY_PARAM;
pub use errors::raise_error;
pub use keylog::ExportRefused;
pub use servername::client_hello_sni;

use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::VecDeque;
use std::ffi::CString;
use std::sync::{Arc, Mutex};

use libc::{c_int, c_long};

use super::bio::{self, BIO};
use super::err;
use super::ex_data::ExData;
use super::session::SSL_SESSION;
use super::ssl_ctx::{Settings, Side, SSL_CTX};
use super::stack::OPENSSL_STACK;
use super::verify::Outcome;
use super::x509::X509;
use crate::crypto::SupportedCipherSuite;
use crate::Connection;

/// `SSL_ERROR_NONE`.
pub const ERROR_NONE: c_int = 0;
/// `SSL_ERROR_SSL`.
pub const ERROR_SSL: c_int = 1;
/// `SSL_ERROR_WANT_READ`.
pub const ERROR_WANT_READ: c_int = 2;
/// `SSL_ERROR_WANT_WRITE`.
pub const ERROR_WANT_WRITE: c_int = 3;
/// `SSL_ERROR_SYSCALL`.
pub const ERROR_SYSCALL: c_int = 5;
/// `SSL_ERROR_ZERO_RETURN`.
pub const ERROR_ZERO_RETURN: c_int = 6;

/// `SSL_VERIFY_PEER`.
pub const VERIFY_PEER: c_int = 1;

/// `SSL_SENT_SHUTDOWN`.
pub const SENT_SHUTDOWN: c_int = 1;
/// `SSL_RECEIVED_SHUTDOWN`.
pub const RECEIVED_SHUTDOWN: c_int = 2;

/// `SSL_CB_*` values for the info callback.
pub mod cb {
    #![allow(missing_docs)]
    use libc::c_int;
    pub const LOOP: c_int = 0x01;
    pub const EXIT: c_int = 0x02;
    pub const READ: c_int = 0x04;
    pub const WRITE: c_int = 0x08;
    pub const ALERT: c_int = 0x4000;
    pub const HANDSHAKE_START: c_int = 0x10;
    pub const HANDSHAKE_DONE: c_int = 0x20;
    pub const ST_CONNECT: c_int = 0x1000;
    pub const ST_ACCEPT: c_int = 0x2000;
}

/// Where the handshake is, for `SSL_state_string(_long)` and `SSL_in_init`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HsState {
    /// Nothing sent or received yet.
    Before,
    /// Under way.
    InProgress,
    /// Finished.
    Ok,
    /// Failed.
    Error,
}

/// State readable from callbacks.
#[derive(Debug)]
pub struct Shared {
    /// The context (`SSL_get_SSL_CTX`; `SSL_set_SSL_CTX` replaces it).
    pub ctx: RefCell<Arc<SSL_CTX>>,
    /// Set when `SSL_set_SSL_CTX` ran during the servername callback.
    pub ctx_switched: Cell<bool>,
    /// `SSL_set_ex_data` / `app_data`.
    pub ex_data: RefCell<ExData>,
    /// Client: the SNI name to send. Server: the name the client sent.
    pub servername: RefCell<Option<CString>>,
    /// Handshake progress.
    pub state: Cell<HsState>,
    /// Negotiated version (0 before).
    pub version: Cell<u16>,
    /// Negotiated suite.
    pub cipher: Cell<Option<SupportedCipherSuite>>,
    /// Whether extended master secret is in use.
    pub ems: Cell<bool>,
    /// `SSL_get_secure_renegotiation_support`: the peer signalled RFC 5746.
    pub secure_renegotiation: Cell<bool>,
    /// The peer's chain as sent, leaf first.
    pub peer_chain: RefCell<Vec<Arc<X509>>>,
    /// The ALPN protocol agreed (`SSL_get0_alpn_selected`); empty for none.
    pub alpn_selected: RefCell<Vec<u8>>,
    /// `SSL_get_peer_cert_chain`'s stack (owned here).
    pub peer_chain_stack: RefCell<Option<Box<OPENSSL_STACK>>>,
    /// The verification verdict.
    pub outcome: Arc<Mutex<Outcome>>,
    /// `SSL_set_verify_result` override.
    pub verify_result_override: Cell<Option<c_long>>,
    /// `SSL_get0_param`.
    pub param: X509_VERIFY_PARAM,
    /// The stack `SSL_get_ciphers` hands out (owned here, rebuilt on each call).
    pub ciphers_stack: RefCell<Option<Box<OPENSSL_STACK>>>,
    /// Whether this is a server (after `set_accept_state`), for introspection.
    pub is_server: Cell<bool>,
    /// The highest version the settings allow (what `SSL_get_version` says before the
    /// handshake), kept here so callbacks can read it.
    pub configured_version: Cell<u16>,
    /// `SSL_set_session` before the handshake (offered by a client); after it, the session
    /// established or resumed (`SSL_get_session`).
    pub session: RefCell<Option<Arc<SSL_SESSION>>>,
    /// `SSL_session_reused`.
    pub session_reused: Cell<bool>,
    /// The context whose session cache and callbacks this SSL uses: the one it was made from,
    /// kept across `SSL_set_SSL_CTX` (OpenSSL's `session_ctx`).
    pub session_ctx: Arc<SSL_CTX>,
    /// Set while `inner` is borrowed: a callback that calls back into an I/O or setter
    /// function on its own `SSL` is refused (a caught panic: 0 / NULL) instead of aliasing.
    busy: Cell<bool>,
}

/// `SSL`.
pub struct SSL {
    /// Readable from callbacks.
    pub shared: Shared,
    inner: UnsafeCell<Ssl>,
}

impl std::fmt::Debug for SSL {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SSL").field("shared", &self.shared).finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RwState {
    Nothing,
    Reading,
    Writing,
}

/// Why an I/O step stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    WantRead,
    WantWrite,
    /// The transport failed (errno is set; nothing queued: `SSL_ERROR_SYSCALL`).
    Syscall,
    /// A TLS failure (queued: `SSL_ERROR_SSL`).
    Fatal,
}

/// The engine side of an `SSL`.
#[derive(Debug)]
pub struct Ssl {
    /// Settings copied from the context.
    pub settings: Settings,
    /// Client or server, once known.
    pub side: Side,
    /// Whether the side was chosen (`SSL_set_connect_state` / `accept_state`, connect, accept):
    /// OpenSSL's "handshake function", without which I/O is refused.
    pub side_set: bool,
    conn: Option<Connection>,
    /// The read BIO (one reference held).
    pub rbio: *mut BIO,
    /// The write BIO (one reference held).
    pub wbio: *mut BIO,
    rwstate: RwState,
    /// `SSL_get_shutdown` flags.
    pub shutdown: c_int,
    handshake_done: bool,
    start_reported: bool,
    fatal: bool,
    truncated: bool,
    close_notify_received: bool,
    inbuf: Vec<u8>,
    /// Where the bytes read so far stand in the record stream: reads stop at a record's end.
    rcursor: RecordCursor,
    plain: VecDeque<u8>,
    pending_write: Option<usize>,
    /// This `SSL`, as the message callback is given it.
    me: *const SSL,
    /// TLS 1.3 state of this layer: the pending `SSL_key_update`, the early-data calls' state,
    /// the tickets a client collects (`ssl/tls13.rs`).
    tls13: tls13::State,
}

const READ_CHUNK: usize = 16 * 1024 + 2048 + 5;

/// The position of the bytes read from the transport in the TLS record stream (RFC 8446 §5.1,
/// RFC 5246 §6.2: a 5-byte header whose last two bytes are the body length). Like OpenSSL
/// without read-ahead, a read asks the BIO for no more than the rest of the current record, so
/// bytes the program has not been given stay in the socket: a program that polls the socket
/// when `SSL_pending` is 0 (curl) then still sees the peer's close_notify arrive.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RecordCursor {
    header: [u8; 5],
    have: usize,
    body_left: usize,
}

impl RecordCursor {
    /// Bytes to the end of the current record (header first), at least 1.
    pub(crate) fn until_record_end(&self) -> usize {
        if self.have < 5 {
            5 - self.have
        } else {
            self.body_left.max(1)
        }
    }

    /// Moves past `bytes`, read from the transport.
    pub(crate) fn advance(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.have < 5 {
                let k = (5 - self.have).min(bytes.len());
                self.header[self.have..self.have + k].copy_from_slice(&bytes[..k]);
                self.have += k;
                bytes = &bytes[k..];
                if self.have == 5 {
                    self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
                    if self.body_left == 0 {
                        self.have = 0;
                    }
                }
            } else {
                let k = self.body_left.min(bytes.len());
                self.body_left -= k;
                bytes = &bytes[k..];
                if self.body_left == 0 {
                    self.have = 0;
                }
            }
        }
    }
}
const WRITE_RECORD: usize = 16 * 1024;

impl SSL {
    /// `SSL_new(ctx)`.
    pub fn new(ctx: Arc<SSL_CTX>) -> Box<SSL> {
        let mut settings = ctx.settings().clone();
        // The context's info callback is looked up at call time (see `info_callback`).
        settings.info_callback = None;
        let side = ctx.method.side;
        let param = X509_VERIFY_PARAM::default();
        param.copy_from(&ctx.param);
        let mut ssl = Box::new(SSL {
            shared: Shared {
                session: RefCell::new(None),
                session_reused: Cell::new(false),
                session_ctx: Arc::clone(&ctx),
                ctx: RefCell::new(ctx),
                ctx_switched: Cell::new(false),
                ex_data: RefCell::new(ExData::default()),
                servername: RefCell::new(None),
                state: Cell::new(HsState::Before),
                version: Cell::new(0),
                cipher: Cell::new(None),
                ems: Cell::new(false),
                secure_renegotiation: Cell::new(false),
                peer_chain: RefCell::new(Vec::new()),
                alpn_selected: RefCell::new(Vec::new()),
                peer_chain_stack: RefCell::new(None),
                outcome: Arc::new(Mutex::new(Outcome::default())),
                verify_result_override: Cell::new(None),
                param,
                ciphers_stack: RefCell::new(None),
                is_server: Cell::new(side == Side::Server),
                configured_version: Cell::new(0x0304),
                busy: Cell::new(false),
            },
            inner: UnsafeCell::new(Ssl {
                settings,
                side,
                side_set: false,
                conn: None,
                rbio: std::ptr::null_mut(),
                wbio: std::ptr::null_mut(),
                rwstate: RwState::Nothing,
                shutdown: 0,
                handshake_done: false,
                start_reported: false,
                fatal: false,
                truncated: false,
                close_notify_received: false,
                inbuf: Vec::new(),
                rcursor: RecordCursor::default(),
                plain: VecDeque::new(),
                pending_write: None,
                me: std::ptr::null(),
                tls13: tls13::State::default(),
            }),
        });
        let me: *const SSL = &*ssl;
        ssl.inner.get_mut().me = me;
        ssl
    }

    /// Runs `f` on the engine state.
    pub fn with_inner<R>(&self, f: impl FnOnce(&mut Ssl, &Shared, *const SSL) -> R) -> R {
        struct Release<'a>(&'a Cell<bool>);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.set(false);
            }
        }
        assert!(!self.shared.busy.replace(true), "SSL used re-entrantly from one of its own callbacks");
        let _release = Release(&self.shared.busy);
        // SAFETY: `inner` is reached only through this method; the `busy` flag above refuses a
        // second entry while the first is live (a callback calling back into its own SSL), and
        // an SSL is used by one thread at a time; so no other reference to `inner` exists.
        let inner = unsafe { &mut *self.inner.get() };
        let r = f(inner, &self.shared, self);
        self.shared.configured_version.set(inner.settings.version_range().map_or(0x0304, |v| v.1));
        r
    }

    /// `SSL_free` on a raw pointer (used by SSL BIOs with the close flag).
    pub fn free_raw(p: *mut SSL) {
        if !p.is_null() {
            // SAFETY: `p` came from Box::into_raw in SSL_new and is freed once (SSL_free contract).
            drop(unsafe { Box::from_raw(p) });
        }
    }

    /// `SSL_read` / `SSL_peek`.
    pub fn read(&self, buf: &mut [u8], peek: bool) -> c_int {
        self.with_inner(|s, sh, me| s.read(sh, me, buf, peek))
    }

    /// `SSL_write`.
    pub fn write(&self, buf: &[u8]) -> c_int {
        self.with_inner(|s, sh, me| s.write(sh, me, buf))
    }

    /// `SSL_do_handshake`.
    pub fn do_handshake(&self) -> c_int {
        self.with_inner(|s, sh, me| s.handshake(sh, me))
    }

    /// `SSL_shutdown`.
    pub fn shutdown(&self) -> c_int {
        self.with_inner(|s, sh, me| s.shutdown(sh, me))
    }

    /// `SSL_pending`.
    pub fn pending(&self) -> usize {
        self.with_inner(|s, _, _| s.plain.len())
    }

    /// `SSL_get_error(ssl, ret)`, OpenSSL's order: success, then the error queue, then
    /// "would block", then a received close_notify, else SYSCALL.
    pub fn get_error(&self, ret: c_int) -> c_int {
        if ret > 0 {
            return ERROR_NONE;
        }
        let code = err::peek_code();
        if code != 0 {
            return if err::lib_of(code) == err::LIB_SYS { ERROR_SYSCALL } else { ERROR_SSL };
        }
        self.with_inner(|s, _, _| match s.rwstate {
            RwState::Reading => ERROR_WANT_READ,
            RwState::Writing => ERROR_WANT_WRITE,
            RwState::Nothing if s.shutdown & RECEIVED_SHUTDOWN != 0 && s.close_notify_received => {
                ERROR_ZERO_RETURN
            }
            RwState::Nothing => ERROR_SYSCALL,
        })
    }

    /// `SSL_get_verify_result`.
    pub fn verify_result(&self) -> c_long {
        if let Some(v) = self.shared.verify_result_override.get() {
            return v;
        }
        c_long::from(self.shared.outcome.lock().unwrap_or_else(|e| e.into_inner()).result)
    }

    /// `SSL_get_peer_cert_chain`'s stack.
    pub fn peer_chain_stack(&self) -> *mut OPENSSL_STACK {
        let chain = self.shared.peer_chain.borrow();
        if chain.is_empty() {
            return std::ptr::null_mut();
        }
        // OpenSSL: on a server the stack leaves out the client's leaf.
        let skip = usize::from(self.shared.is_server.get());
        let mut slot = self.shared.peer_chain_stack.borrow_mut();
        let st = slot.get_or_insert_with(|| {
            Box::new(OPENSSL_STACK {
                items: chain.iter().skip(skip).map(|c| Arc::as_ptr(c).cast_mut().cast()).collect(),
            })
        });
        &mut **st
    }
}

impl Drop for SSL {
    fn drop(&mut self) {
        let s = self.inner.get_mut();
        let (r, w) = (s.rbio, s.wbio);
        free_all(r);
        if w != r {
            free_all(w);
        } else if !w.is_null() {
            // rbio == wbio: SSL_set_bio took two references (see set_bio).
            free_all(w);
        }
    }
}

fn free_all(mut p: *mut BIO) {
    while !p.is_null() {
        p = bio::release(p);
    }
}

fn bio_io<R>(p: *mut BIO, f: impl FnOnce(&mut BIO) -> R) -> Option<R> {
    // SAFETY: the SSL holds a reference to each of its BIOs, so they are live; a BIO is not
    // otherwise borrowed while the SSL drives it.
    unsafe { bio::bio_mut(p) }.map(f)
}

impl Ssl {
    /// `SSL_set_bio`, with OpenSSL 1.1's ownership rules.
    pub fn set_bio(&mut self, rbio: *mut BIO, wbio: *mut BIO) {
        if !rbio.is_null() && rbio == wbio {
            bio_io(rbio, |b| b.up_ref());
        }
        if rbio == self.rbio && wbio == self.wbio {
            return;
        }
        if rbio == self.rbio {
            free_all(self.wbio);
            self.wbio = wbio;
            return;
        }
        if wbio == self.wbio && self.rbio != self.wbio {
            free_all(self.rbio);
            self.rbio = rbio;
            return;
        }
        free_all(self.rbio);
        self.rbio = rbio;
        free_all(self.wbio);
        self.wbio = wbio;
    }

    /// The connection, once started.
    pub fn conn(&self) -> Option<&Connection> {
        self.conn.as_ref()
    }

    /// Whether the handshake finished.
    pub fn handshake_done(&self) -> bool {
        self.handshake_done
    }

    /// `SSL_has_pending`.
    pub fn has_pending(&self) -> bool {
        !self.plain.is_empty() || !self.inbuf.is_empty()
    }

    /// Chooses the side (`SSL_set_connect_state` / `SSL_set_accept_state`).
    pub fn set_side(&mut self, side: Side) {
        self.side = side;
        self.side_set = true;
    }

    /// `SSL_clear`: ready for a new connection with the same settings.
    pub fn clear(&mut self, sh: &Shared) {
        let failed = self.fatal;
        self.conn = None;
        self.rwstate = RwState::Nothing;
        self.shutdown = 0;
        self.handshake_done = false;
        self.start_reported = false;
        self.fatal = false;
        self.truncated = false;
        self.close_notify_received = false;
        self.inbuf.clear();
        self.rcursor = RecordCursor::default();
        self.plain.clear();
        self.pending_write = None;
        self.tls13 = tls13::State::default();
        sh.state.set(HsState::Before);
        // OpenSSL's SSL_clear keeps the session, so the next connection offers it, unless the
        // connection failed (ssl_clear_bad_session).
        sh.session_reused.set(false);
        if failed {
            *sh.session.borrow_mut() = None;
        }
        sh.version.set(0);
        sh.cipher.set(None);
        sh.peer_chain.borrow_mut().clear();
        sh.alpn_selected.borrow_mut().clear();
        *sh.peer_chain_stack.borrow_mut() = None;
        *sh.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Outcome::default();
    }
}

#[cfg(test)]
mod record_cursor_tests {
    use super::RecordCursor;

    #[test]
    fn reads_stop_at_each_record_end_whatever_the_chunking() {
        // Two records (bodies of 3 and 0 bytes) then a third header, fed in odd pieces.
        let stream = [23, 3, 3, 0, 3, 1, 2, 3, 21, 3, 3, 0, 0, 23, 3, 3, 0, 2];
        let mut c = RecordCursor::default();
        assert_eq!(c.until_record_end(), 5);
        c.advance(&stream[..2]);
        assert_eq!(c.until_record_end(), 3);
        c.advance(&stream[2..6]);
        assert_eq!(c.until_record_end(), 2);
        c.advance(&stream[6..8]);
        assert_eq!(c.until_record_end(), 5, "the first record is complete");
        c.advance(&stream[8..13]);
        assert_eq!(c.until_record_end(), 5, "an empty record ends with its header");
        c.advance(&stream[13..]);
        assert_eq!(c.until_record_end(), 2);
    }
}
