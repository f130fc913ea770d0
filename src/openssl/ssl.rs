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

use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::VecDeque;
use std::ffi::CString;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use libc::{c_int, c_long};

use super::bio::{self, Io, BIO};
use super::err::{self, raise, ssl_r, LIB_SSL};
use super::ex_data::ExData;
use super::session::{self, SSL_SESSION};
use super::ssl_ctx::{mode, op, Settings, Side, SSL_CTX};
use super::stack::OPENSSL_STACK;
use super::verify::{OpenSslVerifier, Outcome, SslPtr};
use super::x509::{X509, X509_STORE};
use crate::crypto::Tls12CipherSuite;
use crate::error::{CertificateError, Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::enums::ProtocolVersion;
use crate::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

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

/// `X509_VERIFY_PARAM`: the host names (and flags) a verification checks.
#[derive(Debug, Default)]
pub struct X509_VERIFY_PARAM {
    /// Host names; empty means "do not check".
    pub hosts: Mutex<Vec<String>>,
    /// `X509_VERIFY_PARAM_set_hostflags` (stored).
    pub hostflags: Mutex<u32>,
    /// `X509_VERIFY_PARAM_set1_ip(_asc)` (and `SSL_set1_host` with an IP literal): the address
    /// the certificate's IP SANs must contain.
    pub ip: Mutex<Option<std::net::IpAddr>>,
}

impl X509_VERIFY_PARAM {
    /// The host names.
    pub fn hosts(&self) -> Vec<String> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces (`set1`) or extends (`add1`) the host names; an empty name clears them.
    pub fn set_host(&self, host: Option<&str>, add: bool) {
        let mut h = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        if !add {
            h.clear();
        }
        if let Some(host) = host.filter(|s| !s.is_empty()) {
            h.push(host.to_string());
        }
    }

    /// The IP address to check, if one was set.
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        *self.ip.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the IP address to check (`None` clears it).
    pub fn set_ip(&self, ip: Option<std::net::IpAddr>) {
        *self.ip.lock().unwrap_or_else(|e| e.into_inner()) = ip;
    }
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
    pub cipher: Cell<Option<&'static Tls12CipherSuite>>,
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
    plain: VecDeque<u8>,
    pending_write: Option<usize>,
}

const READ_CHUNK: usize = 16 * 1024 + 2048 + 5;
const WRITE_RECORD: usize = 16 * 1024;

impl SSL {
    /// `SSL_new(ctx)`.
    pub fn new(ctx: Arc<SSL_CTX>) -> Box<SSL> {
        let mut settings = ctx.settings().clone();
        // The context's info callback is looked up at call time (see `info_callback`).
        settings.info_callback = None;
        let side = ctx.method.side;
        let param = X509_VERIFY_PARAM::default();
        for h in ctx.param.hosts() {
            param.set_host(Some(&h), true);
        }
        param.set_ip(ctx.param.ip());
        Box::new(SSL {
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
                configured_version: Cell::new(0x0303),
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
                plain: VecDeque::new(),
                pending_write: None,
            }),
        })
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
        self.shared.configured_version.set(inner.settings.version_range().map_or(0x0303, |v| v.1));
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

    fn info_callback(&self, sh: &Shared) -> super::ssl_ctx::InfoCallback {
        // OpenSSL: the SSL's own callback, else the current context's, looked up at each call
        // (so a servername callback that switches SSL_CTX also switches the info callback).
        self.settings.info_callback.or_else(|| sh.ctx.borrow().settings().info_callback)
    }

    fn info(&self, sh: &Shared, me: *const SSL, where_: c_int, ret: c_int) {
        if let Some(cb) = self.info_callback(sh) {
            // SAFETY: the application's info callback, called as OpenSSL calls it.
            unsafe { cb(me, where_, ret) };
        }
    }

    fn side_flag(&self) -> c_int {
        if self.side == Side::Server {
            cb::ST_ACCEPT
        } else {
            cb::ST_CONNECT
        }
    }

    /// The OpenSSL-style verifier for the peer's chain: the context's store, the SSL's verify
    /// mode, callback and depth; on a server also the CA names for CertificateRequest.
    fn verifier(&self, sh: &Shared, me: *const SSL, legacy: bool) -> OpenSslVerifier {
        let st = &self.settings;
        let trusted = sh.ctx.borrow().store.snapshot();
        let roots = X509_STORE::root_store(&trusted);
        let provider = crate::config::default_provider();
        let ca_names = if st.client_ca.is_empty() {
            trusted.iter().map(|c| c.subject.der.clone()).collect()
        } else {
            st.client_ca.iter().map(|n| n.der.clone()).collect()
        };
        OpenSslVerifier {
            trusted,
            roots,
            algorithms: if legacy {
                provider.legacy_signature_algorithms
            } else {
                provider.signature_algorithms
            },
            mode: st.verify_mode,
            callback: st.verify_callback,
            depth: st.verify_depth,
            hosts: if self.side == Side::Client { sh.param.hosts() } else { Vec::new() },
            ip: if self.side == Side::Client { sh.param.ip() } else { None },
            ssl: SslPtr(me.cast_mut()),
            outcome: Arc::clone(&sh.outcome),
            ca_names,
        }
    }

    fn start(&mut self, sh: &Shared, me: *const SSL) -> Result<(), ()> {
        if sh.ctx_switched.replace(false) {
            let ctx = sh.ctx.borrow();
            let s = ctx.settings();
            self.settings.cert = s.cert.clone();
            self.settings.chain = s.chain.clone();
            self.settings.key = s.key.clone();
            // OpenSSL reads the ALPN callback from the SSL's current context (`s->ctx`).
            self.settings.alpn_select_cb = s.alpn_select_cb;
            self.settings.alpn_select_arg = s.alpn_select_arg;
        }
        let st = &self.settings;
        let Some((lo, hi)) = st.version_range() else {
            raise!(LIB_SSL, ssl_r::NO_PROTOCOLS_AVAILABLE, "SSL_do_handshake");
            return Err(());
        };
        let legacy = st.legacy();
        let names: Vec<&str> =
            st.ciphers.iter().filter(|c| legacy || !c.legacy).map(|c| c.openssl_name).collect();
        if names.is_empty() {
            raise!(LIB_SSL, ssl_r::NO_CIPHERS_AVAILABLE, "SSL_do_handshake");
            return Err(());
        }
        let names = names.join(":");
        let (lo, hi) = (ProtocolVersion::from(lo), ProtocolVersion::from(hi));
        let ems = st.options & op::NO_EXTENDED_MASTER_SECRET == 0;
        let etm = st.options & op::NO_ENCRYPT_THEN_MAC == 0;
        let conn = match self.side {
            Side::Any => {
                raise!(LIB_SSL, ssl_r::CONNECTION_TYPE_NOT_SET, "SSL_do_handshake");
                return Err(());
            }
            Side::Client => {
                let verifier = self.verifier(sh, me, legacy);
                let sni = sh.servername.borrow().as_ref().and_then(|s| s.to_str().ok().map(str::to_string));
                let (name, send_sni) = match sni.and_then(|s| crate::ServerName::try_from(s).ok()) {
                    Some(n @ crate::ServerName::DnsName(_)) => (n, true),
                    Some(n) => (n, false),
                    None => (crate::ServerName::IpAddress(std::net::Ipv4Addr::UNSPECIFIED.into()), false),
                };
                let scope = session::VerifyScope {
                    trusted: verifier.trusted.clone(),
                    mode: verifier.mode,
                    callback: verifier.callback.map(|f| f as usize),
                    depth: verifier.depth,
                    hosts: verifier.hosts.clone(),
                    legacy,
                };
                let token = sh.session_ctx.sessions.verify_scope_token(scope);
                let timeout = sh.session_ctx.settings().timeout;
                let mut builder = ClientConfig::builder()
                    .session_token(token)
                    .session_lifetime(u64::try_from(timeout).unwrap_or(0))
                    .legacy(legacy)
                    .versions(lo, hi)
                    .cipher_list(&names)
                    .extended_master_secret(ems)
                    .encrypt_then_mac(etm)
                    .send_fallback_scsv(st.mode & mode::SEND_FALLBACK_SCSV != 0)
                    .enable_sni(send_sni)
                    .alpn_protocols(super::alpn::names(&st.alpn_protos))
                    .verifier(Arc::new(verifier));
                // A certificate and key (`SSL_CTX_use_certificate*` + `use_PrivateKey*`) are sent
                // when the server asks for a client certificate.
                if let (Some(cert), Some(key)) = (&st.cert, st.key.as_ref().and_then(|k| k.private.as_ref()))
                {
                    let chain = std::iter::once(cert).chain(&st.chain).map(|c| c.der.clone()).collect();
                    builder = builder.client_auth_cert(chain, key.clone_key());
                }
                let config = builder.build();
                sh.session_ctx.sessions.connect.fetch_add(1, Ordering::Relaxed);
                // SSL_set_session: offer it (the engine offers it only to the same name, under
                // the same context and verification settings, before it expires, and when this
                // configuration still allows its version and suite).
                let offered =
                    sh.session.borrow().as_ref().filter(|s| s.is_resumable()).and_then(|s| s.session.clone());
                config
                    .and_then(|c| match offered {
                        Some(session) => ClientConnection::new_resuming(Arc::new(c), name, session),
                        None => ClientConnection::new(Arc::new(c), name),
                    })
                    .map(Connection::Client)
            }
            Side::Server => {
                let Some(cert) = &st.cert else {
                    raise!(LIB_SSL, ssl_r::NO_CERTIFICATE_ASSIGNED, "SSL_do_handshake");
                    return Err(());
                };
                let Some(key) = st.key.as_ref().and_then(|k| k.private.as_ref()) else {
                    raise!(LIB_SSL, ssl_r::NO_PRIVATE_KEY_ASSIGNED, "SSL_do_handshake");
                    return Err(());
                };
                let chain = std::iter::once(cert).chain(&st.chain).map(|c| c.der.clone()).collect();
                let mut builder = ServerConfig::builder()
                    .legacy(legacy)
                    .versions(lo, hi)
                    .cipher_list(&names)
                    .extended_master_secret(ems)
                    .encrypt_then_mac(etm)
                    .single_cert(chain, key.clone_key());
                // SSL_VERIFY_PEER on a server: ask for a client certificate and check it with
                // the context's store, depth and callback (FAIL_IF_NO_PEER_CERT: mandatory).
                if st.verify_mode & VERIFY_PEER != 0 {
                    builder = builder.client_verifier(Arc::new(self.verifier(sh, me, legacy)));
                }
                // An OpenSSL server does ALPN only through its select callback; the protos list
                // is a client setting.
                if st.alpn_select_cb.is_some() {
                    builder = builder.alpn_selector(Arc::new(super::alpn::CallbackSelector {
                        callback: st.alpn_select_cb,
                        arg: st.alpn_select_arg.0,
                        ssl: SslPtr(me.cast_mut()),
                    }));
                }
                builder = self.session_cache(sh, builder);
                sh.session_ctx.sessions.accept.fetch_add(1, Ordering::Relaxed);
                builder.build().and_then(|c| ServerConnection::new(Arc::new(c))).map(Connection::Server)
            }
        };
        match conn {
            Ok(c) => {
                self.conn = Some(c);
                sh.state.set(HsState::InProgress);
                Ok(())
            }
            Err(e) => {
                raise_error(&e, "SSL_do_handshake");
                self.fatal = true;
                sh.state.set(HsState::Error);
                Err(())
            }
        }
    }

    /// The session cache a server handshake uses, as OpenSSL's `session_ctx` settings say:
    /// `SSL_SESS_CACHE_SERVER` off sends no session ID; otherwise the context's cache (its size
    /// from `SSL_CTX_sess_set_cache_size`, 0 meaning OpenSSL's default bound), the context's
    /// timeout and session-id context, and OpenSSL's two rules for a server that verifies
    /// clients without a session-id context: such sessions are not stored
    /// (`ssl_update_cache`), and resuming one found in the cache fails the handshake
    /// (`SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED`).
    fn session_cache(
        &self,
        sh: &Shared,
        builder: crate::config::ServerConfigBuilder,
    ) -> crate::config::ServerConfigBuilder {
        let (mode, size, timeout) = {
            let s = sh.session_ctx.settings();
            (s.session_cache_mode, s.session_cache_size, s.timeout)
        };
        if mode & session::CACHE_SERVER == 0 {
            return builder.session_cache(0);
        }
        let cache = Arc::clone(&sh.session_ctx.sessions.cache);
        cache.set_capacity(match usize::try_from(size) {
            Ok(0) | Err(_) => session::CACHE_MAX_SIZE_DEFAULT,
            Ok(n) => n,
        });
        let verify_peer = self.settings.verify_mode & VERIFY_PEER != 0;
        let context = &self.settings.session_id_context;
        let store = !(verify_peer && context.is_empty());
        builder
            .session_storage(Arc::new(session::HandshakeStore { cache, store }))
            .session_lifetime(u64::try_from(timeout).unwrap_or(0))
            .session_id_context(context)
            .require_session_id_context_with_client_auth(true)
    }

    /// Server with a servername callback: reads until the first record is in, reads SNI from
    /// the ClientHello, and lets the callback look (and switch the SSL_CTX) before the
    /// engine, which needs the certificate at once, is built.
    fn servername_phase(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        let Some(cbf) = self.settings.servername_cb else { return Ok(()) };
        loop {
            if self.inbuf.len() >= 5 {
                let len = usize::from(u16::from_be_bytes([self.inbuf[3], self.inbuf[4]]));
                if self.inbuf.len() >= 5 + len || self.inbuf[0] != 22 {
                    break;
                }
            }
            let mut buf = vec![0u8; READ_CHUNK];
            match bio_io(self.rbio, |b| b.read(&mut buf)).unwrap_or(Io::Err(libc::EBADF)) {
                Io::Done(n) => self.inbuf.extend_from_slice(&buf[..n]),
                Io::Retry => {
                    self.rwstate = RwState::Reading;
                    return Err(Stop::WantRead);
                }
                Io::Eof => break,
                Io::Err(_) => return Err(Stop::Syscall),
            }
        }
        if let Some(name) = client_hello_sni(&self.inbuf) {
            *sh.servername.borrow_mut() = CString::new(name).ok();
        }
        let mut ad: c_int = 112; // unrecognized_name
        let arg = self.settings.servername_arg.0;
        // SAFETY: the application's servername callback with its argument, as OpenSSL calls it.
        let r = unsafe { cbf(me.cast_mut(), &mut ad, arg) };
        if r == 2 {
            raise!(LIB_SSL, 234, "SSL_do_handshake", "the servername callback refused the connection");
            self.fatal = true;
            return Err(Stop::Fatal);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Stop> {
        let Some(conn) = self.conn.as_mut() else { return Ok(()) };
        while conn.wants_write() {
            let r = bio_io(self.wbio, |b| b.write(conn.pending_tls()));
            match r {
                Some(Io::Done(n)) => conn.consume_tls(n),
                Some(Io::Retry) => {
                    self.rwstate = RwState::Writing;
                    return Err(Stop::WantWrite);
                }
                Some(Io::Eof | Io::Err(_)) => return Err(Stop::Syscall),
                None => {
                    raise!(
                        LIB_SSL,
                        ssl_r::UNINITIALIZED,
                        "SSL_write",
                        "no write BIO (SSL_set_fd / SSL_set_bio)"
                    );
                    return Err(Stop::Fatal);
                }
            }
        }
        Ok(())
    }

    /// Reads once from the transport (unless bytes are already buffered), feeds the engine
    /// and processes.
    fn fill(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        if self.inbuf.is_empty() {
            let mut buf = vec![0u8; READ_CHUNK];
            match bio_io(self.rbio, |b| b.read(&mut buf)) {
                Some(Io::Done(n)) => self.inbuf.extend_from_slice(&buf[..n]),
                Some(Io::Eof) => {
                    if let Some(c) = self.conn.as_mut() {
                        c.feed_eof();
                    }
                }
                Some(Io::Retry) => {
                    self.rwstate = RwState::Reading;
                    return Err(Stop::WantRead);
                }
                Some(Io::Err(_)) => return Err(Stop::Syscall),
                None => {
                    raise!(
                        LIB_SSL,
                        ssl_r::UNINITIALIZED,
                        "SSL_read",
                        "no read BIO (SSL_set_fd / SSL_set_bio)"
                    );
                    return Err(Stop::Fatal);
                }
            }
        }
        if let Some(c) = self.conn.as_mut() {
            let n = c.feed_tls(&self.inbuf);
            self.inbuf.drain(..n);
        }
        self.process(sh, me)
    }

    fn process(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        let Some(conn) = self.conn.as_mut() else { return Ok(()) };
        match conn.process() {
            Ok(state) => {
                let mut tmp = vec![0u8; state.plaintext_bytes_to_read.max(1)];
                loop {
                    match conn.read_plaintext(&mut tmp) {
                        Ok(0) => break,
                        Ok(n) => self.plain.extend(&tmp[..n]),
                        Err(Error::Truncated) => {
                            self.truncated = true;
                            break;
                        }
                        Err(e) => return Err(self.fail(sh, &e, "SSL_read")),
                    }
                }
                if state.peer_has_closed && !self.close_notify_received {
                    self.close_notify_received = true;
                    self.shutdown |= RECEIVED_SHUTDOWN;
                    self.info(sh, me, cb::ALERT | cb::READ, 1 << 8);
                }
                Ok(())
            }
            Err(e) => {
                let func = if self.handshake_done { "SSL_read" } else { "SSL_do_handshake" };
                Err(self.fail(sh, &e, func))
            }
        }
    }

    fn fail(&mut self, sh: &Shared, e: &Error, func: &'static str) -> Stop {
        // Send the alert the engine queued; the error is what counts.
        let _ = self.flush();
        self.rwstate = RwState::Nothing;
        if matches!(e, Error::Truncated) && self.settings.options & op::IGNORE_UNEXPECTED_EOF != 0 {
            self.truncated = true;
            return Stop::Fatal;
        }
        raise_error(e, func);
        self.fatal = true;
        if !self.handshake_done {
            sh.state.set(HsState::Error);
        }
        Stop::Fatal
    }

    fn stop_to_ret(&mut self, stop: Stop) -> c_int {
        if stop == Stop::Syscall {
            self.fatal = true;
        }
        -1
    }

    /// `SSL_do_handshake`.
    pub fn handshake(&mut self, sh: &Shared, me: *const SSL) -> c_int {
        self.rwstate = RwState::Nothing;
        if self.handshake_done {
            return 1;
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

    fn finish_handshake(&mut self, sh: &Shared, me: *const SSL) {
        self.handshake_done = true;
        self.finish_session(sh, me);
        if let Some(conn) = &self.conn {
            sh.version.set(conn.protocol_version().map_or(0, u16::from));
            sh.cipher.set(conn.cipher_suite());
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
    fn finish_session(&mut self, sh: &Shared, me: *const SSL) {
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
        let current = match (conn.session(), offered, conn.cipher_suite()) {
            // A resumed client keeps the object it offered, as OpenSSL does.
            (Some(s), Some(o), _) if resumed && o.id() == s.id() => {
                self.shared_outcome(sh, o.verify_result);
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
    fn shared_outcome(&self, sh: &Shared, verify_result: c_long) {
        let mut o = sh.outcome.lock().unwrap_or_else(|e| e.into_inner());
        o.result = verify_result as c_int;
    }

    /// `SSL_read_ex`/`SSL_peek`: bytes, 0 at close_notify (or an ignored unexpected EOF),
    /// -1 otherwise; `SSL_get_error` tells which.
    pub fn read(&mut self, sh: &Shared, me: *const SSL, buf: &mut [u8], peek: bool) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_read");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if !self.handshake_done {
            let r = self.handshake(sh, me);
            if r <= 0 {
                return r;
            }
        }
        loop {
            if !self.plain.is_empty() {
                let n = buf.len().min(self.plain.len()).min(c_int::MAX as usize);
                for (d, s) in buf.iter_mut().zip(self.plain.iter()) {
                    *d = *s;
                }
                if !peek {
                    self.plain.drain(..n);
                }
                return n as c_int;
            }
            if buf.is_empty() {
                return 0;
            }
            if self.shutdown & RECEIVED_SHUTDOWN != 0 {
                return 0;
            }
            if self.truncated {
                if self.settings.options & op::IGNORE_UNEXPECTED_EOF != 0 {
                    self.shutdown |= RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return 0;
                }
                // OpenSSL 3: SSL_read returns 0 here too; SSL_get_error tells it apart from a
                // clean close by the queued "unexpected eof while reading".
                raise!(LIB_SSL, ssl_r::UNEXPECTED_EOF_WHILE_READING, "SSL_read");
                self.fatal = true;
                return 0;
            }
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            if let Err(stop) = self.fill(sh, me) {
                return self.stop_to_ret(stop);
            }
        }
    }

    /// `SSL_write`: all of `buf` (or one record's worth with `SSL_MODE_ENABLE_PARTIAL_WRITE`),
    /// or -1. After `WANT_WRITE` the retry must pass the same data; what was already accepted
    /// is not sent twice.
    pub fn write(&mut self, sh: &Shared, me: *const SSL, buf: &[u8]) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_write");
            return -1;
        }
        if self.shutdown & SENT_SHUTDOWN != 0 {
            raise!(LIB_SSL, ssl_r::PROTOCOL_IS_SHUTDOWN, "SSL_write");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if !self.handshake_done {
            let r = self.handshake(sh, me);
            if r <= 0 {
                return r;
            }
        }
        if let Some(n) = self.pending_write {
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            self.pending_write = None;
            return n as c_int;
        }
        if buf.is_empty() {
            return 0;
        }
        let max = if self.settings.mode & mode::ENABLE_PARTIAL_WRITE != 0 {
            WRITE_RECORD
        } else {
            c_int::MAX as usize
        };
        let chunk = &buf[..buf.len().min(max)];
        let Some(conn) = self.conn.as_mut() else { return -1 };
        if let Err(e) = conn.write_plaintext(chunk) {
            self.fail(sh, &e, "SSL_write");
            return -1;
        }
        match self.flush() {
            Ok(()) => chunk.len() as c_int,
            Err(Stop::WantWrite) => {
                self.pending_write = Some(chunk.len());
                -1
            }
            Err(stop) => self.stop_to_ret(stop),
        }
    }

    /// `SSL_shutdown`: 0 after sending close_notify, 1 once the peer's arrived too.
    pub fn shutdown(&mut self, sh: &Shared, me: *const SSL) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_shutdown");
            return -1;
        }
        if self.settings.quiet_shutdown {
            self.shutdown = SENT_SHUTDOWN | RECEIVED_SHUTDOWN;
            return 1;
        }
        if !self.handshake_done {
            raise!(LIB_SSL, ssl_r::SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if self.shutdown & SENT_SHUTDOWN == 0 {
            self.shutdown |= SENT_SHUTDOWN;
            if let Some(c) = self.conn.as_mut() {
                c.send_close_notify();
            }
            self.info(sh, me, cb::ALERT | cb::WRITE, 1 << 8);
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            return if self.shutdown & RECEIVED_SHUTDOWN != 0 { 1 } else { 0 };
        }
        if let Err(stop) = self.flush() {
            return self.stop_to_ret(stop);
        }
        loop {
            self.plain.clear();
            if self.shutdown & RECEIVED_SHUTDOWN != 0 {
                return 1;
            }
            if self.truncated {
                raise!(LIB_SSL, ssl_r::UNEXPECTED_EOF_WHILE_READING, "SSL_shutdown");
                self.fatal = true;
                return -1;
            }
            if let Err(stop) = self.fill(sh, me) {
                return self.stop_to_ret(stop);
            }
        }
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
        self.plain.clear();
        self.pending_write = None;
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

/// Queues the OpenSSL error for a ferrotls error, with ferrotls' text as the detail.
pub fn raise_error(e: &Error, func: &'static str) {
    let reason = match e {
        // A server requiring a client certificate got an empty Certificate message: OpenSSL
        // names that case apart from a chain that failed to verify.
        Error::InvalidCertificate(CertificateError::NoCertificate) => {
            ssl_r::PEER_DID_NOT_RETURN_A_CERTIFICATE
        }
        Error::InvalidCertificate(_) => ssl_r::CERTIFICATE_VERIFY_FAILED,
        Error::AlertReceived(a) => ssl_r::ALERT_OFFSET + u32::from(u8::from(*a)),
        Error::DecryptError => ssl_r::DECRYPTION_FAILED_OR_BAD_RECORD_MAC,
        Error::RecordOverflow => ssl_r::ENCRYPTED_LENGTH_TOO_LONG,
        Error::Truncated => ssl_r::UNEXPECTED_EOF_WHILE_READING,
        Error::PeerIncompatible(p) => match p {
            PeerIncompatible::NoCommonVersion { .. } | PeerIncompatible::Ssl3Refused => {
                ssl_r::UNSUPPORTED_PROTOCOL
            }
            PeerIncompatible::NoCommonCipherSuite { .. } | PeerIncompatible::NoUsableCipherSuite(_) => {
                ssl_r::NO_SHARED_CIPHER
            }
            PeerIncompatible::SecureRenegotiationUnsupported => ssl_r::UNSAFE_LEGACY_RENEGOTIATION_DISABLED,
            PeerIncompatible::NoApplicationProtocol | PeerIncompatible::ApplicationProtocolRefused => {
                ssl_r::NO_APPLICATION_PROTOCOL
            }
            _ => ssl_r::BAD_PACKET,
        },
        Error::PeerMisbehaved(p) => match p {
            PeerMisbehaved::IncorrectFinished => ssl_r::DIGEST_CHECK_FAILED,
            PeerMisbehaved::InappropriateFallback => ssl_r::INAPPROPRIATE_FALLBACK,
            PeerMisbehaved::UnexpectedMessage { .. } | PeerMisbehaved::EarlyApplicationData => {
                ssl_r::UNEXPECTED_MESSAGE
            }
            PeerMisbehaved::BadRecordVersion(_) | PeerMisbehaved::SelectedUnofferedVersion(_) => {
                ssl_r::WRONG_VERSION_NUMBER
            }
            _ => ssl_r::BAD_PACKET,
        },
        Error::InvalidMessage(_) => ssl_r::BAD_PACKET,
        Error::Config(s) if s.contains("version") || s.contains("TLS") => ssl_r::NO_PROTOCOLS_AVAILABLE,
        Error::Config(_) => ssl_r::NO_CIPHERS_AVAILABLE,
        Error::Internal("session id context uninitialized") => ssl_r::SESSION_ID_CONTEXT_UNINITIALIZED,
        _ => err::other_r::INTERNAL_ERROR,
    };
    err::push_at(LIB_SSL, reason, func, file!(), line!(), Some(e.to_string()));
}

/// The host_name in a ClientHello's server_name extension (RFC 6066 §3), if the first record
/// holds the whole ClientHello.
pub fn client_hello_sni(data: &[u8]) -> Option<String> {
    let rec_len = usize::from(u16::from_be_bytes([*data.get(3)?, *data.get(4)?]));
    let rec = data.get(5..5 + rec_len)?;
    if data[0] != 22 || *rec.first()? != 1 {
        return None;
    }
    let mut p = 4 + 2 + 32; // handshake header, client_version, random
    let skip = |p: &mut usize, width: usize| -> Option<()> {
        let len = match width {
            1 => usize::from(*rec.get(*p)?),
            _ => usize::from(u16::from_be_bytes([*rec.get(*p)?, *rec.get(*p + 1)?])),
        };
        *p += width + len;
        Some(())
    };
    skip(&mut p, 1)?; // session_id
    skip(&mut p, 2)?; // cipher_suites
    skip(&mut p, 1)?; // compression_methods
    let ext_end = p + 2 + usize::from(u16::from_be_bytes([*rec.get(p)?, *rec.get(p + 1)?]));
    p += 2;
    while p + 4 <= ext_end.min(rec.len()) {
        let typ = u16::from_be_bytes([rec[p], rec[p + 1]]);
        let len = usize::from(u16::from_be_bytes([rec[p + 2], rec[p + 3]]));
        let body = rec.get(p + 4..p + 4 + len)?;
        if typ == 0 {
            // server_name_list: u16 length, then name_type(1) u16 length name.
            if body.len() >= 5 && body[2] == 0 {
                let n = usize::from(u16::from_be_bytes([body[3], body[4]]));
                return std::str::from_utf8(body.get(5..5 + n)?).ok().map(str::to_string);
            }
            return None;
        }
        p += 4 + len;
    }
    None
}
