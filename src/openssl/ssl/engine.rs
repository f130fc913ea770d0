//! Engine glue: the ferrotls client or server configuration and connection an `SSL` builds
//! from the settings it copied out of its `SSL_CTX` (versions, suites, verification, client
//! certificate, ALPN, session cache), when its handshake starts.

use std::ffi::{c_int, c_long};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};

use rustls_pki_types::CertificateDer;

use super::{raise_error, HsState, Shared, Ssl, SSL, VERIFY_PEER};
use crate::config::CertifiedKey;
use crate::msgs::enums::ProtocolVersion;
use crate::openssl::err::{raise, ssl_r, LIB_SSL};
use crate::openssl::session;
use crate::openssl::ssl_ctx::{mode, op, Side, SSL_CTX};
use crate::openssl::verify::{OpenSslVerifier, SslPtr};
use crate::openssl::x509::{EVP_PKEY, X509_STORE};
use crate::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

/// Certificates with their loaded keys, by key object and chain, for server handshakes: an
/// `SSL_CTX` (or `SSL`) hands every handshake the same `EVP_PKEY`, and parsing it (and, for
/// RSA, computing its CRT values) per handshake cost more than the rest of a resumed
/// handshake. Entries hold the key weakly and go when it is freed; at most
/// `CERTIFIED_CACHE_MAX` are kept. An `EVP_PKEY` never changes after creation, and the
/// provider is the process-wide one, so a hit is what loading again would give.
static CERTIFIED: Mutex<Vec<CachedCertifiedKey>> = Mutex::new(Vec::new());

const CERTIFIED_CACHE_MAX: usize = 64;

struct CachedCertifiedKey {
    key: Weak<EVP_PKEY>,
    chain: Vec<CertificateDer<'static>>,
    certified: Arc<CertifiedKey>,
}

/// The certified key for `key` and `chain` (leaf first), loaded once.
fn certified_key(
    key: &Arc<EVP_PKEY>,
    chain: Vec<CertificateDer<'static>>,
) -> Result<Arc<CertifiedKey>, crate::Error> {
    let lock = || CERTIFIED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let weak = Arc::downgrade(key);
    if let Some(hit) = lock().iter().find(|c| Weak::ptr_eq(&c.key, &weak) && c.chain == chain) {
        return Ok(Arc::clone(&hit.certified));
    }
    let private = key.private.as_ref().ok_or_else(|| crate::Error::Config("no private key".into()))?;
    // Loaded outside the lock: other handshakes go on meanwhile (two may load the same key once).
    let certified = Arc::new(CertifiedKey::load(crate::config::default_provider(), chain.clone(), private)?);
    let mut cache = lock();
    cache.retain(|c| c.key.strong_count() > 0);
    if cache.len() >= CERTIFIED_CACHE_MAX {
        cache.remove(0);
    }
    cache.push(CachedCertifiedKey { key: weak, chain, certified: Arc::clone(&certified) });
    Ok(certified)
}

/// The configurations handshakes use, one per `SSL_CTX` and settings state: building one
/// (cipher and group lists, the verifier and its root store, the certificate resolver) per
/// handshake was the OpenSSL layer's own cost on top of the engine's (issue 16). A hit is the
/// configuration building again would give: the key holds every input `Ssl::start` feeds the
/// builder. The per-`SSL` parts (the `SSL *` the verify, ALPN and keylog callbacks get, and
/// where the verdict goes) are not in the configuration: they are `SslPtr::CURRENT`, the `SSL`
/// driving the engine on this thread. Entries hold their context weakly and go once it is
/// freed; at most `CONFIG_CACHE_MAX` are kept (oldest out first).
static CONFIGS: Mutex<Vec<CachedConfig>> = Mutex::new(Vec::new());

const CONFIG_CACHE_MAX: usize = 32;

struct CachedConfig {
    ctx: Weak<SSL_CTX>,
    key: ConfigKey,
    config: BuiltConfig,
}

#[derive(Clone)]
enum BuiltConfig {
    Client(Arc<ClientConfig>),
    Server(Arc<ServerConfig>),
}

/// An object by identity, held weakly: the cache must keep neither a freed key's secret nor a
/// freed context or certificate alive, and a weak reference keeps the allocation, so the
/// address cannot be reused by another object while the entry lives.
struct ById<T>(Weak<T>);

impl<T> ById<T> {
    fn of(a: &Arc<T>) -> Self {
        Self(Arc::downgrade(a))
    }
}

impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        Weak::ptr_eq(&self.0, &other.0)
    }
}

/// Every input of a handshake's configuration besides the `SSL` pointer. **Anything `start`
/// passes to a config builder must be here**, or two `SSL`s that differ in it would share a
/// configuration.
#[derive(PartialEq)]
struct ConfigKey {
    side: u8,
    versions: (u16, u16),
    legacy: bool,
    names: String,
    tls13_names: String,
    /// All of `SSL_OP_*` and `SSL_MODE_*` (EMS, EtM, tickets, fallback SCSV come from them).
    options: u64,
    mode: u64,
    alpn_protos: Vec<u8>,
    groups: Option<Vec<crate::enums::NamedGroup>>,
    sigalgs: Option<Vec<crate::enums::SignatureScheme>>,
    keylog: Option<usize>,
    verify_mode: c_int,
    verify_callback: Option<usize>,
    verify_depth: c_int,
    hosts: Vec<String>,
    ip: Option<std::net::IpAddr>,
    trusted: Vec<ById<crate::openssl::x509::X509>>,
    verify_flags: (u64, u64),
    client_ca: Vec<Vec<u8>>,
    /// Certificates (leaf first) and keys: a server's pairs, or a client's certificate.
    certs: Vec<(Vec<CertificateDer<'static>>, ById<EVP_PKEY>)>,
    alpn_select: (Option<usize>, usize),
    num_tickets: usize,
    session_ctx: ById<SSL_CTX>,
    session_settings: (c_long, c_long, c_long),
    session_id_context: Vec<u8>,
    /// Server: the session context's ticket key callback (`SSL_CTX_set_tlsext_ticket_key_*cb`),
    /// by kind and address.
    ticket_key_cb: Option<(u8, usize)>,
    /// Client: the session scope token (sessions offered only under the same verification).
    token: Option<ById<()>>,
    /// Client: whether the SSL's name goes out as SNI (a DNS name, not an IP literal).
    sni: bool,
}

fn cached_config(ctx: &Weak<SSL_CTX>, key: &ConfigKey) -> Option<BuiltConfig> {
    let mut cache = CONFIGS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // The configurations of freed contexts go now (their keys with them).
    cache.retain(|c| c.ctx.strong_count() > 0);
    cache.iter().find(|c| Weak::ptr_eq(&c.ctx, ctx) && c.key == *key).map(|c| c.config.clone())
}

fn cache_config(ctx: Weak<SSL_CTX>, key: ConfigKey, config: BuiltConfig) {
    let mut cache = CONFIGS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.retain(|c| c.ctx.strong_count() > 0);
    if cache.len() >= CONFIG_CACHE_MAX {
        cache.remove(0);
    }
    cache.push(CachedConfig { ctx, key, config });
}

impl Ssl {
    /// The OpenSSL-style verifier for the peer's chain: the context's store, the SSL's verify
    /// mode, callback and depth; on a server also the CA names for CertificateRequest.
    pub(super) fn verifier(&self, sh: &Shared, legacy: bool) -> OpenSslVerifier {
        let st = &self.settings;
        let (trusted, crls, store_flags) = {
            let ctx = sh.ctx.borrow();
            let store = ctx.store.get();
            (store.snapshot(), store.parsed_crls(), store.flags.load(Ordering::Relaxed))
        };
        let flags = store_flags | sh.param.flags.load(Ordering::Relaxed);
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
            ssl: SslPtr::CURRENT,
            outcome: None,
            ca_names,
            crls,
            crl_check: crate::openssl::verify::crl_check_of(flags),
            ctx: Some((Arc::downgrade(&sh.ctx.borrow()), sh.param.flags.load(Ordering::Relaxed))),
        }
    }

    pub(super) fn start(&mut self, sh: &Shared, me: *const SSL) -> Result<(), ()> {
        if sh.ctx_switched.replace(false) {
            let ctx = sh.ctx.borrow();
            let s = ctx.settings();
            self.settings.cert = s.cert.clone();
            self.settings.chain = s.chain.clone();
            self.settings.key = s.key.clone();
            self.settings.other_certs = s.other_certs.clone();
            // OpenSSL reads the ALPN callback from the SSL's current context (`s->ctx`).
            self.settings.alpn_select_cb = s.alpn_select_cb;
            self.settings.alpn_select_arg = s.alpn_select_arg;
        }
        let st = &self.settings;
        let Some((mut lo, mut hi)) = st.version_range() else {
            raise!(LIB_SSL, ssl_r::NO_PROTOCOLS_AVAILABLE, "SSL_do_handshake");
            return Err(());
        };
        let legacy = st.legacy();
        let observe = st.msg_callback.is_some();
        let names: Vec<&str> =
            st.ciphers.iter().filter(|c| legacy || !c.legacy).map(|c| c.openssl_name).collect();
        // The two lists are apart, as in OpenSSL: without TLS 1.3 suites TLS 1.3 is off, and
        // without TLS 1.2 suites only TLS 1.3 is left.
        let tls13_names: Vec<&str> = st.tls13_ciphers.iter().map(|c| c.iana_name).collect();
        if tls13_names.is_empty() {
            hi = hi.min(0x0303);
        }
        if names.is_empty() {
            lo = lo.max(0x0304);
        }
        if names.is_empty() && tls13_names.is_empty() || lo > hi {
            raise!(LIB_SSL, ssl_r::NO_CIPHERS_AVAILABLE, "SSL_do_handshake");
            return Err(());
        }
        // A TLS 1.3-only connection keeps the default 1.2 list, which it never uses.
        let names = if names.is_empty() {
            let base = crate::openssl::cipher_list::base_order();
            base.iter().filter(|c| !c.legacy).map(|c| c.openssl_name).collect::<Vec<_>>().join(":")
        } else {
            names.join(":")
        };
        let tls13_names = tls13_names.join(":");
        // The configuration's inputs (see `ConfigKey`); the configuration itself is built only
        // when no earlier handshake of this context built it with the same inputs.
        // OpenSSL reads the keylog callback from the SSL's current context (`s->ctx`).
        let keylog_callback = sh.ctx.borrow().settings().keylog_callback;
        let (trusted, store_flags) = {
            let ctx = sh.ctx.borrow();
            let store = ctx.store.get();
            (store.snapshot(), store.flags.load(Ordering::Relaxed))
        };
        let chain_der = |cert: &Arc<crate::openssl::x509::X509>,
                         chain: &[Arc<crate::openssl::x509::X509>]| {
            std::iter::once(cert).chain(chain).map(|c| c.der.clone()).collect::<Vec<_>>()
        };
        let side = self.side;
        let mut key = ConfigKey {
            side: side as u8,
            versions: (lo, hi),
            legacy,
            names,
            tls13_names,
            options: st.options,
            mode: st.mode,
            alpn_protos: st.alpn_protos.clone(),
            groups: st.groups.clone(),
            sigalgs: st.sigalgs.clone(),
            keylog: keylog_callback.map(|f| f as usize),
            verify_mode: st.verify_mode,
            verify_callback: st.verify_callback.map(|f| f as usize),
            verify_depth: st.verify_depth,
            hosts: if side == Side::Client { sh.param.hosts() } else { Vec::new() },
            ip: if side == Side::Client { sh.param.ip() } else { None },
            trusted: trusted.iter().map(ById::of).collect(),
            verify_flags: (store_flags, sh.param.flags.load(Ordering::Relaxed)),
            client_ca: st.client_ca.iter().map(|n| n.der.clone()).collect(),
            certs: Vec::new(),
            alpn_select: (st.alpn_select_cb.map(|f| f as usize), st.alpn_select_arg.0 as usize),
            num_tickets: st.num_tickets,
            session_ctx: ById::of(&sh.session_ctx),
            session_settings: {
                let s = sh.session_ctx.settings();
                (s.session_cache_mode, s.session_cache_size, s.timeout)
            },
            session_id_context: st.session_id_context.clone(),
            ticket_key_cb: sh.session_ctx.settings().ticket_key_cb.active().map(|cb| match cb {
                crate::openssl::ticket_key_cb::TicketKeyCallback::Evp(f) => (0, f as usize),
                crate::openssl::ticket_key_cb::TicketKeyCallback::Hmac(f) => (1, f as usize),
            }),
            token: None,
            sni: false,
        };
        let ctx = Arc::downgrade(&sh.ctx.borrow());
        // A client's TLS 1.3 tickets of this handshake (the one offered, the ones received:
        // `ssl/tls13.rs`) are this SSL's own, not the shared configuration's: its store
        // (`session::CurrentHandshakeTickets`) reaches them through the marker below.
        let tickets = (side == Side::Client).then(|| Arc::new(session::HandshakeTickets::default()));
        self.tls13.tickets = tickets.clone();
        // Callbacks run while the connection is created find this SSL (`SslPtr::CURRENT`).
        let current = crate::openssl::verify::CurrentSsl::enter(me, tickets.clone());
        let conn = match side {
            Side::Any => {
                raise!(LIB_SSL, ssl_r::CONNECTION_TYPE_NOT_SET, "SSL_do_handshake");
                return Err(());
            }
            Side::Client => {
                let sni = sh.servername.borrow().as_ref().and_then(|s| s.to_str().ok().map(str::to_string));
                let (name, send_sni) = match sni.and_then(|s| crate::ServerName::try_from(s).ok()) {
                    Some(n @ crate::ServerName::DnsName(_)) => (n, true),
                    Some(n) => (n, false),
                    None => (crate::ServerName::IpAddress(std::net::Ipv4Addr::UNSPECIFIED.into()), false),
                };
                let scope = session::VerifyScope {
                    trusted: trusted.clone(),
                    mode: st.verify_mode,
                    callback: st.verify_callback.map(|f| f as usize),
                    depth: st.verify_depth,
                    hosts: key.hosts.clone(),
                    legacy,
                };
                let token = sh.session_ctx.sessions.verify_scope_token(scope);
                key.token = Some(ById::of(&token));
                key.sni = send_sni;
                let client_auth = match (&st.cert, st.key.as_ref().filter(|k| k.private.is_some())) {
                    (Some(cert), Some(k)) => Some((chain_der(cert, &st.chain), k)),
                    _ => None,
                };
                if let Some((chain, k)) = &client_auth {
                    key.certs.push((chain.clone(), ById::of(k)));
                }
                let config = match cached_config(&ctx, &key) {
                    Some(BuiltConfig::Client(c)) => Ok(c),
                    _ => self.client_config(sh, &key, send_sni, token, client_auth).map(|c| {
                        let c = Arc::new(c);
                        cache_config(ctx, key, BuiltConfig::Client(Arc::clone(&c)));
                        c
                    }),
                };
                sh.session_ctx.sessions.connect.fetch_add(1, Ordering::Relaxed);
                // SSL_set_session: offer it (the engine offers it only to the same name, under
                // the same context and verification settings, before it expires, and when this
                // configuration still allows its version and suite).
                let offered =
                    sh.session.borrow().as_ref().filter(|s| s.is_resumable()).and_then(|s| s.session.clone());
                let offered13 =
                    sh.session.borrow().as_ref().filter(|s| s.is_resumable()).and_then(|s| s.tls13.clone());
                config
                    .and_then(|c| {
                        // A TLS 1.3 ticket goes through the store (single use); one from
                        // d2i_SSL_SESSION is verified again first, as below.
                        let offered13 = match offered13 {
                            Some(t) if t.verified_by().is_none() => {
                                c.import_tls13_session(&t.to_bytes()).ok()
                            }
                            other => other,
                        };
                        if let Some(tickets) = &tickets {
                            tickets.offer(offered13);
                        }
                        // A session from d2i_SSL_SESSION was verified by no configuration of this
                        // process: its certificates are verified again by this handshake's
                        // verifier first (a failure just means a full handshake).
                        let offered = match offered {
                            Some(s) if s.verified_by().is_none() => c.import_session(&s.to_bytes()).ok(),
                            other => other,
                        };
                        match offered {
                            // SSL_CTX_set_msg_callback: the engine logs from the ClientHello on.
                            s if observe => ClientConnection::new_observed(c, name, s),
                            Some(session) => ClientConnection::new_resuming(c, name, session),
                            None => ClientConnection::new(c, name),
                        }
                    })
                    .map(Connection::Client)
            }
            Side::Server => {
                if st.cert.is_none() {
                    raise!(LIB_SSL, ssl_r::NO_CERTIFICATE_ASSIGNED, "SSL_do_handshake");
                    return Err(());
                }
                if st.key.as_ref().is_none_or(|k| k.private.is_none()) {
                    raise!(LIB_SSL, ssl_r::NO_PRIVATE_KEY_ASSIGNED, "SSL_do_handshake");
                    return Err(());
                }
                for (leaf, chain, k) in st.cert_pairs() {
                    key.certs.push((chain_der(&leaf, &chain), ById::of(&k)));
                }
                let config = match cached_config(&ctx, &key) {
                    Some(BuiltConfig::Server(c)) => Ok(c),
                    _ => self.server_config(sh, &key).map(|c| {
                        let c = Arc::new(c);
                        cache_config(ctx, key, BuiltConfig::Server(Arc::clone(&c)));
                        c
                    }),
                };
                sh.session_ctx.sessions.accept.fetch_add(1, Ordering::Relaxed);
                config.and_then(ServerConnection::new).map(Connection::Server)
            }
        };
        drop(current);
        match conn {
            Ok(mut c) => {
                // SSL_CTX_set_msg_callback: a server's log starts before the ClientHello.
                c.observe_messages(self.settings.msg_callback.is_some());
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

    /// A client configuration from `key` (and the SSL's settings it was made from).
    fn client_config(
        &self,
        sh: &Shared,
        key: &ConfigKey,
        send_sni: bool,
        token: Arc<()>,
        client_auth: Option<(Vec<CertificateDer<'static>>, &Arc<EVP_PKEY>)>,
    ) -> Result<ClientConfig, crate::Error> {
        let st = &self.settings;
        let timeout = sh.session_ctx.settings().timeout;
        let mut builder = ClientConfig::builder()
            .session_token(token)
            .session_lifetime(u64::try_from(timeout).unwrap_or(0))
            .legacy(key.legacy)
            .versions(ProtocolVersion::from(key.versions.0), ProtocolVersion::from(key.versions.1))
            .cipher_list(&key.names)
            .tls13_ciphersuites(&key.tls13_names)
            .extended_master_secret(st.options & op::NO_EXTENDED_MASTER_SECRET == 0)
            .encrypt_then_mac(st.options & op::NO_ENCRYPT_THEN_MAC == 0)
            .send_fallback_scsv(st.mode & mode::SEND_FALLBACK_SCSV != 0)
            // SSL_OP_NO_TICKET: no SessionTicket extension (RFC 5077). Sessions are offered
            // through SSL_set_session, never from a store of the configuration; its store only
            // carries the TLS 1.3 tickets of the handshake running (the SSL's own store).
            .tickets(st.options & op::NO_TICKET == 0)
            .session_store(Arc::new(session::CurrentHandshakeTickets))
            .enable_sni(send_sni)
            .alpn_protocols(crate::openssl::alpn::names(&st.alpn_protos))
            .verifier(Arc::new(self.verifier(sh, key.legacy)));
        // A certificate and key (`SSL_CTX_use_certificate*` + `use_PrivateKey*`) are sent when
        // the server asks for a client certificate.
        if let Some((chain, k)) = client_auth {
            if let Some(private) = k.private.as_ref() {
                builder = builder.client_auth_cert(chain, private.clone_key());
            }
        }
        if let Some(keylog) = key.keylog.and(self.keylog(sh)) {
            builder = builder.key_log(keylog);
        }
        if let Some(groups) = &st.groups {
            builder = builder.kx_group_names(groups);
        }
        if let Some(schemes) = &st.sigalgs {
            builder = builder.signature_schemes(schemes.clone());
        }
        builder.build()
    }

    /// A server configuration from `key` (and the SSL's settings it was made from).
    fn server_config(&self, sh: &Shared, key: &ConfigKey) -> Result<ServerConfig, crate::Error> {
        let st = &self.settings;
        // Each certificate and key is loaded (the key parsed, RSA CRT values computed, key and
        // leaf matched) once and reused by every later configuration with the same key object
        // and chain: see `certified_key`. The pairs of other key types (an RSA and an ECDSA
        // certificate): the engine serves each client the one its suites and signature
        // algorithms can use.
        let mut resolver = crate::config::ResolvesServerCertUsingKeyType::new();
        for (i, (leaf, chain, k)) in st.cert_pairs().into_iter().enumerate() {
            if k.private.is_none() && i > 0 {
                continue;
            }
            let chain = std::iter::once(&leaf).chain(&chain).map(|c| c.der.clone()).collect();
            resolver.add(certified_key(&k, chain)?);
        }
        let mut builder = ServerConfig::builder()
            .legacy(key.legacy)
            .versions(ProtocolVersion::from(key.versions.0), ProtocolVersion::from(key.versions.1))
            .cipher_list(&key.names)
            .tls13_ciphersuites(&key.tls13_names)
            .extended_master_secret(st.options & op::NO_EXTENDED_MASTER_SECRET == 0)
            .encrypt_then_mac(st.options & op::NO_ENCRYPT_THEN_MAC == 0)
            .cert_resolver(Arc::new(resolver));
        // SSL_VERIFY_PEER on a server: ask for a client certificate and check it with the
        // context's store, depth and callback (FAIL_IF_NO_PEER_CERT: mandatory).
        if st.verify_mode & VERIFY_PEER != 0 {
            builder = builder.client_verifier(Arc::new(self.verifier(sh, key.legacy)));
        }
        // An OpenSSL server does ALPN only through its select callback; the protos list is a
        // client setting.
        if st.alpn_select_cb.is_some() {
            builder = builder.alpn_selector(Arc::new(crate::openssl::alpn::CallbackSelector {
                callback: st.alpn_select_cb,
                arg: st.alpn_select_arg.0,
                ssl: SslPtr::CURRENT,
            }));
        }
        if let Some(keylog) = key.keylog.and(self.keylog(sh)) {
            builder = builder.key_log(keylog);
        }
        if let Some(groups) = &st.groups {
            builder = builder.kx_group_names(groups);
        }
        if let Some(schemes) = &st.sigalgs {
            builder = builder.signature_schemes(schemes.clone());
        }
        // SSL_CTX_set_num_tickets: TLS 1.3 NewSessionTickets per handshake.
        builder = builder.tls13_tickets(st.num_tickets);
        self.session_cache(sh, builder).build()
    }

    /// The keylog callback of the SSL's current context (OpenSSL reads it from `s->ctx`).
    fn keylog(&self, sh: &Shared) -> Option<Arc<dyn crate::config::KeyLog>> {
        super::keylog::CallbackKeyLog::new(sh.ctx.borrow().settings().keylog_callback)
            .map(|k| Arc::new(k) as Arc<dyn crate::config::KeyLog>)
    }

    /// The session cache a server handshake uses, as OpenSSL's `session_ctx` settings say:
    /// `SSL_SESS_CACHE_SERVER` off sends no session ID; otherwise the context's cache (its size
    /// from `SSL_CTX_sess_set_cache_size`, 0 meaning OpenSSL's default bound), the context's
    /// timeout and session-id context, and OpenSSL's two rules for a server that verifies
    /// clients without a session-id context: such sessions are not stored
    /// (`ssl_update_cache`), and resuming one found in the cache fails the handshake
    /// (`SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED`).
    pub(super) fn session_cache(
        &self,
        sh: &Shared,
        builder: crate::config::ServerConfigBuilder,
    ) -> crate::config::ServerConfigBuilder {
        let (mode, size, timeout) = {
            let s = sh.session_ctx.settings();
            (s.session_cache_mode, s.session_cache_size, s.timeout)
        };
        // RFC 5077 tickets sealed by the session context's ticket key callback, else with its
        // keys, whatever the cache mode (as OpenSSL), unless SSL_OP_NO_TICKET.
        let callback = sh.session_ctx.settings().ticket_key_cb.active();
        let builder =
            match (callback, &sh.session_ctx.sessions.ticket_keys, self.settings.options & op::NO_TICKET) {
                (Some(cb), _, 0) => {
                    builder.ticketer(crate::openssl::ticket_key_cb::CallbackTicketer::for_current(cb))
                }
                (None, Some(keys), 0) => {
                    builder.ticketer(Arc::clone(keys) as Arc<dyn crate::session::Ticketer>)
                }
                _ => builder.tickets(false),
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
}
