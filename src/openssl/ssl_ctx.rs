//! `SSL_CTX` and `SSL_METHOD`: the settings an OpenSSL program collects before connecting.
//!
//! An `SSL_CTX` is reference counted (`SSL_CTX_up_ref`; each `SSL` holds one), so the C pointer
//! is an `Arc::into_raw`. Settings live in [`Settings`], which `SSL_new` copies, as OpenSSL
//! copies options, mode, verify mode and certificate into a new `SSL`; the `X509_STORE` is
//! shared. Nothing is turned into a ferrotls configuration until a handshake starts
//! (`ssl::engine`, `Ssl::start`), so the order of the setters never matters.

use std::sync::{Arc, Mutex};

use libc::{c_char, c_int, c_long, c_void};

use super::cipher_list;
use super::ex_data::ExData;
use super::x509::{EVP_PKEY, X509, X509_NAME};
use crate::crypto::KeyType;
use crate::crypto::Tls12CipherSuite;
use crate::x509::cert::spki_key_type;

/// Which side a method pins, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// `TLS_method`: decided by `SSL_set_connect_state` / `SSL_set_accept_state` / connect / accept.
    Any,
    /// `*_client_method`.
    Client,
    /// `*_server_method`.
    Server,
}

/// `SSL_METHOD`: a side and a version pin (0 = any version).
#[derive(Debug)]
pub struct SSL_METHOD {
    /// The pinned version (`TLSv1_method` = 0x0301), or 0.
    pub version: u16,
    /// The side.
    pub side: Side,
    /// A DTLS method: exists so programs that probe for `DTLS_*_method` (socat 1.7.4 cannot
    /// be built without them) link; `SSL_CTX_new` refuses it, as ferrotls has no DTLS.
    pub dtls: bool,
}

macro_rules! methods {
    ($($id:ident = $v:expr, $side:ident;)*) => {$(
        /// An `SSL_METHOD` (see the `*_method` functions).
        pub static $id: SSL_METHOD = SSL_METHOD { version: $v, side: Side::$side, dtls: false };
    )*};
}
/// `DTLS_method` and friends (refused by `SSL_CTX_new`).
pub static DTLS_ANY: SSL_METHOD = SSL_METHOD { version: 0, side: Side::Any, dtls: true };
/// `DTLS_client_method`.
pub static DTLS_CLIENT: SSL_METHOD = SSL_METHOD { version: 0, side: Side::Client, dtls: true };
/// `DTLS_server_method`.
pub static DTLS_SERVER: SSL_METHOD = SSL_METHOD { version: 0, side: Side::Server, dtls: true };
methods! {
    TLS_ANY = 0, Any; TLS_CLIENT = 0, Client; TLS_SERVER = 0, Server;
    TLS1_ANY = 0x0301, Any; TLS1_CLIENT = 0x0301, Client; TLS1_SERVER = 0x0301, Server;
    TLS1_1_ANY = 0x0302, Any; TLS1_1_CLIENT = 0x0302, Client; TLS1_1_SERVER = 0x0302, Server;
    TLS1_2_ANY = 0x0303, Any; TLS1_2_CLIENT = 0x0303, Client; TLS1_2_SERVER = 0x0303, Server;
}

/// `int (*verify_callback)(int preverify_ok, X509_STORE_CTX *ctx)`.
pub type VerifyCallback = Option<unsafe extern "C" fn(c_int, *mut super::verify::X509_STORE_CTX) -> c_int>;
/// `int (*pem_password_cb)(char *buf, int size, int rwflag, void *userdata)`.
pub type PasswordCallback = Option<unsafe extern "C" fn(*mut c_char, c_int, c_int, *mut c_void) -> c_int>;
/// `void (*info_callback)(const SSL *ssl, int where, int ret)`.
pub type InfoCallback = Option<unsafe extern "C" fn(*const super::ssl::SSL, c_int, c_int)>;
/// `int (*servername_cb)(SSL *, int *ad, void *arg)`.
pub type ServernameCallback =
    Option<unsafe extern "C" fn(*mut super::ssl::SSL, *mut c_int, *mut c_void) -> c_int>;
/// `int (*alpn_select_cb)(SSL *, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned int inlen, void *arg)`.
pub type AlpnSelectCallback = Option<
    unsafe extern "C" fn(*mut super::ssl::SSL, *mut *const u8, *mut u8, *const u8, u32, *mut c_void) -> c_int,
>;
/// `void (*keylog_cb)(const SSL *ssl, const char *line)` (`SSL_CTX_keylog_cb_func`).
pub type KeylogCallback = Option<unsafe extern "C" fn(*const super::ssl::SSL, *const c_char)>;
/// A generic callback pointer as `SSL_CTX_callback_ctrl` passes it.
pub type GenericCallback = Option<unsafe extern "C" fn()>;

/// Options (`SSL_OP_*`) ferrotls acts on.
pub mod op {
    #![allow(missing_docs)]
    pub const NO_EXTENDED_MASTER_SECRET: u64 = 1 << 0;
    pub const LEGACY_SERVER_CONNECT: u64 = 1 << 2;
    pub const IGNORE_UNEXPECTED_EOF: u64 = 1 << 7;
    pub const NO_TICKET: u64 = 1 << 14;
    pub const NO_COMPRESSION: u64 = 1 << 17;
    pub const NO_ENCRYPT_THEN_MAC: u64 = 1 << 19;
    pub const ENABLE_MIDDLEBOX_COMPAT: u64 = 1 << 20;
    pub const CIPHER_SERVER_PREFERENCE: u64 = 1 << 22;
    pub const NO_SSLV3: u64 = 1 << 25;
    pub const NO_TLSV1: u64 = 1 << 26;
    pub const NO_TLSV1_2: u64 = 1 << 27;
    pub const NO_TLSV1_1: u64 = 1 << 28;
    pub const NO_TLSV1_3: u64 = 1 << 29;
}

/// Modes (`SSL_MODE_*`).
pub mod mode {
    #![allow(missing_docs)]
    pub const ENABLE_PARTIAL_WRITE: u64 = 0x1;
    pub const ACCEPT_MOVING_WRITE_BUFFER: u64 = 0x2;
    pub const AUTO_RETRY: u64 = 0x4;
    pub const SEND_FALLBACK_SCSV: u64 = 0x80;
}

/// Everything an `SSL` copies from its `SSL_CTX` at `SSL_new`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `SSL_OP_*`.
    pub options: u64,
    /// `SSL_MODE_*`.
    pub mode: u64,
    /// The version a `TLSv1*_method` pins (0 for `TLS_method`); not visible through
    /// `get_min/max_proto_version`, as in OpenSSL.
    pub method_version: u16,
    /// `SSL_CTX_set_min_proto_version` (0 = lowest supported).
    pub min_proto: u16,
    /// `SSL_CTX_set_max_proto_version` (0 = highest supported).
    pub max_proto: u16,
    /// The parsed cipher list, in preference order.
    pub ciphers: Vec<&'static Tls12CipherSuite>,
    /// The text given to `set_cipher_list` (for diagnostics).
    pub cipher_string: String,
    /// `SSL_CTX_set_ciphersuites`: the TLS 1.3 suites, in preference order, kept apart from
    /// the cipher list as OpenSSL does (empty: no TLS 1.3).
    pub tls13_ciphers: Vec<&'static crate::crypto::Tls13CipherSuite>,
    /// `SSL_CTX_set_security_level` / `@SECLEVEL=n`: 0 selects ferrotls' legacy profile.
    pub security_level: c_int,
    /// `SSL_VERIFY_*`.
    pub verify_mode: c_int,
    /// The verify callback.
    pub verify_callback: VerifyCallback,
    /// `SSL_CTX_set_verify_depth` (-1 = OpenSSL's default of 100).
    pub verify_depth: c_int,
    /// The certificate (`use_certificate*`).
    pub cert: Option<Arc<X509>>,
    /// Chain certificates after the leaf (`use_certificate_chain_file`, `add_extra_chain_cert`).
    pub chain: Vec<Arc<X509>>,
    /// The private key.
    pub key: Option<Arc<EVP_PKEY>>,
    /// Pairs of other key types: OpenSSL keeps one certificate/key per key type, so a server
    /// can hold an RSA and an ECDSA certificate (`cert`/`chain`/`key` are the current one).
    pub other_certs: Vec<CertSlot>,
    /// `SSL_CTX_set_client_CA_list`.
    pub client_ca: Vec<X509_NAME>,
    /// `SSL_CTX_set_default_passwd_cb`.
    pub passwd_cb: PasswordCallback,
    /// `SSL_CTX_set_default_passwd_cb_userdata`.
    pub passwd_userdata: AppPtr,
    /// `SSL_CTX_set_info_callback`.
    pub info_callback: InfoCallback,
    /// `SSL_CTX_set_tlsext_servername_callback`.
    pub servername_cb: ServernameCallback,
    /// `SSL_CTX_set_tlsext_servername_arg`.
    pub servername_arg: AppPtr,
    /// `SSL_CTX_set_alpn_protos` (wire format, checked): what a client offers.
    pub alpn_protos: Vec<u8>,
    /// `SSL_CTX_set_alpn_select_cb`: a server's ALPN decision.
    pub alpn_select_cb: AlpnSelectCallback,
    /// Its argument.
    pub alpn_select_arg: AppPtr,
    /// `SSL_CTX_set_session_id_context`.
    pub session_id_context: Vec<u8>,
    /// `SSL_CTX_set_session_cache_mode`.
    pub session_cache_mode: c_long,
    /// `SSL_CTX_sess_set_cache_size`.
    pub session_cache_size: c_long,
    /// `SSL_CTX_set_timeout`.
    pub timeout: c_long,
    /// `SSL_CTX_set_num_tickets`: TLS 1.3's tickets per handshake, stored (TLS 1.2 sends one).
    pub num_tickets: usize,
    /// `SSL_CTX_set_max_early_data` / `_set_recv_max_early_data` (TLS 1.3 0-RTT): stored and
    /// reported; ferrotls accepts no early data, so a server advertises none in its tickets.
    pub max_early_data: (u32, u32),
    /// `SSL_CTX_set_quiet_shutdown`.
    pub quiet_shutdown: bool,
    /// `SSL_CTX_set_post_handshake_auth` (stored: ferrotls does not do TLS 1.3 post-handshake authentication).
    pub post_handshake_auth: bool,
    /// `SSL_CTX_set_read_ahead`.
    pub read_ahead: c_long,
    /// `SSL_CTX_set1_groups_list` / `_curves_list`: the key exchange groups, most preferred
    /// first; `None` is the library's default.
    pub groups: Option<Vec<crate::enums::NamedGroup>>,
    /// `SSL_CTX_set1_sigalgs_list`: the signature schemes; `None` is the library's default.
    pub sigalgs: Option<Vec<crate::enums::SignatureScheme>>,
    /// `SSL_CTRL_SET_MAX_CERT_LIST`.
    pub max_cert_list: c_long,
    /// `SSL_CTX_set_msg_callback_arg`.
    pub msg_callback_arg: AppPtr,
    /// `SSL_CTX_set_msg_callback`.
    pub msg_callback: super::ssl::msg_trace::MsgCallback,
    /// `SSL_CTX_set_tlsext_status_cb` / arg (OCSP stapling is not implemented: stored only).
    pub status_cb: GenericCallback,
    /// Its argument.
    pub status_arg: AppPtr,
    /// `SSL_CTX_set_keylog_callback` (read from the SSL's current context at handshake start).
    pub keylog_callback: KeylogCallback,
    /// `SSL_CTX_set_tlsext_ticket_key_evp_cb` / `_cb` (read from the session context).
    pub ticket_key_cb: super::ticket_key_cb::TicketKeyCallbacks,
}

/// A complete pair: leaf, chain after it, key.
pub type CertPair = (Arc<X509>, Vec<Arc<X509>>, Arc<EVP_PKEY>);

/// A certificate, its chain and key, put aside while a pair of another key type is current.
#[derive(Clone, Debug)]
pub struct CertSlot {
    /// The leaf.
    pub cert: Option<Arc<X509>>,
    /// Chain certificates after the leaf.
    pub chain: Vec<Arc<X509>>,
    /// The key.
    pub key: Option<Arc<EVP_PKEY>>,
}

impl CertSlot {
    fn slot(&self) -> Option<u8> {
        slot_key_type(&self.cert, &self.key)
    }
}

/// OpenSSL's slot for a key type (`SSL_PKEY_RSA`, `SSL_PKEY_ECC`, `SSL_PKEY_ED25519`): the EC
/// curves share one.
fn slot_of(t: KeyType) -> u8 {
    match t {
        KeyType::Rsa => 0,
        KeyType::EcdsaP256 | KeyType::EcdsaP384 => 1,
        _ => 2,
    }
}

/// The slot of a pair: its certificate's key type, else its key's.
fn slot_key_type(cert: &Option<Arc<X509>>, key: &Option<Arc<EVP_PKEY>>) -> Option<u8> {
    let t = match (cert, key) {
        (Some(c), _) => spki_key_type(c.info.subject_public_key_info_der()),
        (None, Some(k)) => k.spki.as_deref().and_then(spki_key_type),
        (None, None) => None,
    };
    t.map(slot_of)
}

impl Settings {
    /// OpenSSL's one pair per key type (`SSL_CTX_use_certificate`/`use_PrivateKey` store by the
    /// key's type; P-256 and P-384 share the EC slot): before a certificate or key of type `t`
    /// is stored, the current pair is put aside when it is of another slot, and a pair of
    /// `t`'s slot put aside earlier becomes current again.
    pub fn select_cert_slot(&mut self, t: Option<KeyType>) {
        let current = slot_key_type(&self.cert, &self.key);
        let (Some(t), Some(current)) = (t.map(slot_of), current) else { return };
        if t == current {
            return;
        }
        let aside =
            CertSlot { cert: self.cert.take(), chain: std::mem::take(&mut self.chain), key: self.key.take() };
        self.other_certs.retain(|s| s.slot() != Some(current));
        self.other_certs.push(aside);
        if let Some(i) = self.other_certs.iter().position(|s| s.slot() == Some(t)) {
            let back = self.other_certs.remove(i);
            self.cert = back.cert;
            self.chain = back.chain;
            self.key = back.key;
        }
    }

    /// Stores `cert` as the leaf of its key type's pair (its chain replaced by `chain` when given).
    pub fn set_cert(&mut self, cert: Arc<X509>, chain: Option<Vec<Arc<X509>>>) {
        self.select_cert_slot(spki_key_type(cert.info.subject_public_key_info_der()));
        self.cert = Some(cert);
        if let Some(chain) = chain {
            self.chain = chain;
        }
    }

    /// Every complete pair, the current one first.
    pub fn cert_pairs(&self) -> Vec<CertPair> {
        let current = CertSlot { cert: self.cert.clone(), chain: self.chain.clone(), key: self.key.clone() };
        std::iter::once(&current)
            .chain(&self.other_certs)
            .filter_map(|s| Some((s.cert.clone()?, s.chain.clone(), s.key.clone()?)))
            .collect()
    }

    fn new(method: &SSL_METHOD) -> Self {
        Self {
            // OpenSSL 3's SSL_CTX_new sets these two.
            options: op::NO_COMPRESSION | op::ENABLE_MIDDLEBOX_COMPAT,
            mode: mode::AUTO_RETRY,
            method_version: method.version,
            min_proto: 0,
            max_proto: 0,
            ciphers: cipher_list::parse(cipher_list::DEFAULT).map(|l| l.suites).unwrap_or_default(),
            cipher_string: cipher_list::DEFAULT.into(),
            tls13_ciphers: crate::config::default_provider().tls13_cipher_suites.to_vec(),
            security_level: 1,
            verify_mode: 0,
            verify_callback: None,
            verify_depth: -1,
            cert: None,
            chain: Vec::new(),
            key: None,
            client_ca: Vec::new(),
            passwd_cb: None,
            passwd_userdata: AppPtr::NULL,
            info_callback: None,
            servername_cb: None,
            servername_arg: AppPtr::NULL,
            alpn_protos: Vec::new(),
            alpn_select_cb: None,
            alpn_select_arg: AppPtr::NULL,
            session_id_context: Vec::new(),
            session_cache_mode: 2,
            session_cache_size: 1024 * 20,
            timeout: 7200,
            num_tickets: 2,
            // OpenSSL: no early data; a receive limit of one full record.
            max_early_data: (0, 16384),
            quiet_shutdown: false,
            post_handshake_auth: false,
            read_ahead: 0,
            groups: None,
            sigalgs: None,
            max_cert_list: 100 * 1024,
            msg_callback_arg: AppPtr::NULL,
            msg_callback: None,
            status_cb: None,
            status_arg: AppPtr::NULL,
            other_certs: Vec::new(),
            keylog_callback: None,
            ticket_key_cb: Default::default(),
        }
    }

    /// `SSL_CTX_set_cipher_list`: `Err` leaves the settings unchanged.
    /// Like OpenSSL 3, a string that selects nothing still replaces the list (with nothing
    /// usable for TLS 1.2 and below) besides failing.
    pub fn set_cipher_list(&mut self, list: &str) -> Result<(), &'static str> {
        let parsed = match cipher_list::parse(list) {
            Ok(p) => p,
            Err(e) => {
                if e == "no cipher match" {
                    self.ciphers.clear();
                    self.cipher_string = list.to_string();
                }
                return Err(e);
            }
        };
        self.ciphers = parsed.suites;
        self.cipher_string = list.to_string();
        if let Some(level) = parsed.security_level {
            self.security_level = level;
        }
        Ok(())
    }

    /// Whether `v` (0x0300..=0x0304 or 0) is a version number OpenSSL accepts in set_min/max.
    pub fn valid_proto(v: c_long) -> bool {
        v == 0 || (0x0300..=0x0304).contains(&v)
    }

    /// `SSL_CTX_set_ciphersuites`: the TLS 1.3 suites named in `list` (`:`-separated IANA
    /// names), in its order. As in OpenSSL, names it does not know (`TLS_AES_128_CCM_SHA256`)
    /// are skipped and an empty result turns TLS 1.3 off; only a malformed list fails.
    pub fn set_ciphersuites(&mut self, list: &str) -> Result<(), &'static str> {
        let names: Vec<&str> = list.split(':').filter(|n| !n.is_empty()).collect();
        if names.iter().any(|n| !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
            return Err("invalid ciphersuite list");
        }
        let known = crate::config::default_provider().tls13_cipher_suites;
        let mut suites = Vec::new();
        for name in names {
            if let Some(s) = known.iter().copied().find(|s| s.is_named(name)) {
                if !suites.contains(&s) {
                    suites.push(s);
                }
            }
        }
        self.tls13_ciphers = suites;
        Ok(())
    }

    /// The version range in force after options, min/max and the security level: `None` when
    /// nothing is left ("no protocols available").
    pub fn version_range(&self) -> Option<(u16, u16)> {
        // SSL 3.0 is never spoken: the reachable range is TLS 1.0..=1.3.
        let floor = if self.legacy() { 0x0301 } else { 0x0303 };
        let mut lo = self.min_proto.max(floor).max(self.method_version);
        let mut hi = if self.max_proto == 0 { 0x0304 } else { self.max_proto.min(0x0304) };
        if self.method_version != 0 {
            hi = hi.min(self.method_version);
        }
        let disabled = |v: u16| match v {
            0x0301 => self.options & op::NO_TLSV1 != 0,
            0x0302 => self.options & op::NO_TLSV1_1 != 0,
            0x0303 => self.options & op::NO_TLSV1_2 != 0,
            0x0304 => self.options & op::NO_TLSV1_3 != 0,
            _ => true,
        };
        // OpenSSL (ssl_get_min_max_version) skips disabled versions at the bottom of the range,
        // and a disabled version above the lowest enabled one ends the range below it.
        while lo <= hi && disabled(lo) {
            lo += 1;
        }
        if let Some(hole) = (lo..=hi).find(|&v| disabled(v)) {
            hi = hole - 1;
        }
        (lo <= hi).then_some((lo, hi))
    }

    /// Security level 0 selects ferrotls' legacy profile (TLS 1.0/1.1, SHA-1 certificates,
    /// 3DES/RC4 if listed); 1 and above the default profile.
    pub fn legacy(&self) -> bool {
        self.security_level <= 0
    }
}

/// `SSL_CTX`.
#[derive(Debug)]
pub struct SSL_CTX {
    /// The method it was made with.
    pub method: &'static SSL_METHOD,
    /// The settings `SSL_new` copies.
    pub settings: Mutex<Settings>,
    /// The verify store (shared by every SSL made from this context; `SSL_CTX_set_cert_store`
    /// replaces it).
    pub store: super::x509_store::StoreSlot,
    /// `SSL_CTX_set_ex_data` / `app_data`.
    pub ex_data: Mutex<ExData>,
    /// The stack `SSL_CTX_get_extra_chain_certs` hands out (owned here).
    pub extra_chain_stack: Mutex<Option<Box<super::stack::OPENSSL_STACK>>>,
    /// `SSL_CTX_get0_param`: host names every new SSL starts with.
    pub param: super::ssl::X509_VERIFY_PARAM,
    /// The stack `SSL_CTX_get_ciphers` hands out (owned here, rebuilt on each call).
    pub ciphers_stack: Mutex<Option<Box<super::stack::OPENSSL_STACK>>>,
    /// The session cache, its callback and statistics.
    pub sessions: Arc<super::session::CtxSessions>,
}

/// A pointer the application gave a context (a callback argument, user data) and gets back
/// unchanged: an opaque value we never dereference. Only this wrapper asserts `Send` and
/// `Sync`, so the compiler still checks every other field of `SSL_CTX` and `Settings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppPtr(pub *mut c_void);

impl AppPtr {
    /// No pointer.
    pub const NULL: Self = Self(std::ptr::null_mut());
}

// SAFETY: the pointer is an opaque application value, never dereferenced by us; handing it to
// callbacks on other threads is what the application asked for (OpenSSL has the same contract).
unsafe impl Send for AppPtr {}
// SAFETY: as above: shared references only copy the value.
unsafe impl Sync for AppPtr {}

impl SSL_CTX {
    /// `SSL_CTX_new(method)`.
    pub fn new(method: &'static SSL_METHOD) -> Arc<Self> {
        Arc::new(Self {
            method,
            settings: Mutex::new(Settings::new(method)),
            store: Default::default(),
            ex_data: Mutex::new(ExData::default()),
            extra_chain_stack: Mutex::new(None),
            ciphers_stack: Mutex::new(None),
            param: super::ssl::X509_VERIFY_PARAM::default(),
            sessions: Arc::default(),
        })
    }

    /// Locks the settings (a poisoned lock is still usable: settings are plain data).
    pub fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads a file for the `*_file` functions, queuing OpenSSL's errors when it cannot.
pub fn read_file(path: &std::ffi::CStr, func: &'static str) -> Option<Vec<u8>> {
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes_compat(path.to_bytes()));
    match std::fs::read(path) {
        Ok(d) => Some(d),
        Err(e) => {
            super::err::push_system(
                e.raw_os_error().unwrap_or(libc::ENOENT),
                func,
                format!("calling fopen({}, r)", path.display()),
            );
            super::err::raise!(super::err::LIB_SSL, super::err::other_r::SYS_LIB, func);
            None
        }
    }
}

/// `OsStr` from bytes on Unix.
trait FromBytesCompat {
    fn from_bytes_compat(b: &[u8]) -> &Self;
}

impl FromBytesCompat for std::ffi::OsStr {
    fn from_bytes_compat(b: &[u8]) -> &Self {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(b)
    }
}

/// `SSL_CTX` is shared across threads as OpenSSL's is; this fails to compile if a new field
/// stops it being `Send + Sync` (no blanket `unsafe impl` hides that any more).
const _: () = {
    const fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<SSL_CTX>();
};
