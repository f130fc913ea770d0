//! The server-name callback of a server configuration
//! (`ferrotls_server_config_builder_set_server_name_callback`): the application sees the name
//! a client asked for (SNI, RFC 6066 §3) when its ClientHello arrives and may choose the
//! certificate chain and key for it, as OpenSSL's servername callback does by switching the
//! `SSL_CTX` and Python's `sni_callback` by switching `SSLSocket.context`.
//!
//! It is a certificate resolver around the one the configuration would otherwise use, so the
//! handshake's suite choice and its error messages are the same whichever certificate the
//! callback picks.

use super::cert::ferrotls_cert_chain;
use super::key::ferrotls_private_key;
use super::result::ferrotls_result;
use super::server_config::ferrotls_server_config_builder;
use crate::config::{CertifiedKey, ClientHelloView, ResolvesServerCert};
use crate::crypto::KeyType;
use crate::x509::{CertificateDer, PrivateKeyDer};
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;
use std::sync::{Arc, Mutex};

/// What a `ferrotls_server_name_callback` returns (as an `int`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ferrotls_server_name_choice {
    /// Serve the configuration's own certificates (those set, added or added by name on the
    /// builder), as if there were no callback.
    FERROTLS_SERVER_NAME_DEFAULT = 0,
    /// Serve `*chain_out` and `*key_out`.
    FERROTLS_SERVER_NAME_USE = 1,
    /// Refuse the client: alert unrecognized_name when it sent a name, handshake_failure
    /// otherwise; the server's error is `FERROTLS_PEER_INCOMPATIBLE`.
    FERROTLS_SERVER_NAME_REFUSE = 2,
}

const DEFAULT: c_int = ferrotls_server_name_choice::FERROTLS_SERVER_NAME_DEFAULT as c_int;
const USE: c_int = ferrotls_server_name_choice::FERROTLS_SERVER_NAME_USE as c_int;

/// Called once per full handshake on a server, when the ClientHello has been read and the
/// version and policy applied, before the server chooses its certificate. `server_name` is the
/// host name the client sent (NUL-terminated, as sent) or NULL when it sent none.
/// `cipher_suites` (`cipher_suites_len` IANA numbers, borrowed for the call) are the suites
/// both sides allow at the negotiated version, in the server's order (what OpenSSL's
/// `SSL_get_shared_ciphers` lists): TLS 1.0–1.2 suites, or under TLS 1.3 the 1.3 suites
/// (0x1301...; the first is the one chosen, and none depends on the certificate).
///
/// Return (a `ferrotls_server_name_choice`) `FERROTLS_SERVER_NAME_DEFAULT` to serve the configuration's own certificates,
/// `FERROTLS_SERVER_NAME_USE` after storing a chain in `*chain_out` and its key in `*key_out`
/// (both borrowed: the library copies them before the callback's caller returns, so they may
/// be freed afterwards; the key must match the leaf, else the handshake fails with
/// `FERROTLS_BAD_CONFIG`'s words), or `FERROTLS_SERVER_NAME_REFUSE` to refuse the client. Any
/// other value refuses too.
///
/// It runs inside `ferrotls_conn_handshake` (or `_process`) on whichever thread drives a
/// connection made from the configuration: the caller guarantees that `userdata` may be used
/// from those threads at once and outlives every configuration holding the callback. It must
/// not call ferrotls functions on that connection, and must not unwind or longjmp.
pub type ferrotls_server_name_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        server_name: *const c_char,
        cipher_suites: *const u16,
        cipher_suites_len: size_t,
        chain_out: *mut *const ferrotls_cert_chain,
        key_out: *mut *const ferrotls_private_key,
    ) -> c_int,
>;

/// Most distinct chain-and-key pairs a callback resolver keeps loaded (a key is parsed once,
/// not once per handshake); older ones are loaded again when chosen again.
const LOADED_CAP: usize = 16;

type Loaded = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, Arc<CertifiedKey>);

/// The resolver a configuration with a server-name callback uses.
pub(crate) struct CallbackResolver {
    callback: unsafe extern "C" fn(
        *mut c_void,
        *const c_char,
        *const u16,
        size_t,
        *mut *const ferrotls_cert_chain,
        *mut *const ferrotls_private_key,
    ) -> c_int,
    userdata: *mut c_void,
    /// What the configuration serves without the callback; `None` when it has no certificates
    /// of its own (then DEFAULT refuses the client).
    inner: Option<Arc<dyn ResolvesServerCert>>,
    loaded: Mutex<Vec<Loaded>>,
}

// SAFETY: the documented contract of `ferrotls_server_name_callback`: the caller guarantees that
// the callback and `userdata` may be used from any thread a configuration holding them is used on.
unsafe impl Send for CallbackResolver {}
// SAFETY: as above; the only mutable state is behind a Mutex.
unsafe impl Sync for CallbackResolver {}

impl core::fmt::Debug for CallbackResolver {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CallbackResolver").field("inner", &self.inner).finish_non_exhaustive()
    }
}

impl CallbackResolver {
    /// Loads the chosen pair (or finds it among those loaded before). `None`, which refuses
    /// the client, when the key cannot be used or does not match the leaf.
    fn load(
        &self,
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Option<Arc<CertifiedKey>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, ck)) =
            loaded.iter().find(|(c, k, _)| *c == chain && k.secret_der() == key.secret_der())
        {
            return Some(ck.clone());
        }
        let ck = Arc::new(CertifiedKey::load(crate::config::default_provider(), chain.clone(), &key).ok()?);
        if loaded.len() >= LOADED_CAP {
            loaded.remove(0);
        }
        loaded.push((chain, key, ck.clone()));
        Some(ck)
    }
}

impl ResolvesServerCert for CallbackResolver {
    fn resolve(&self, hello: &ClientHelloView<'_>) -> Option<Arc<CertifiedKey>> {
        // A name with a NUL inside cannot be passed as a C string; the handshake has already
        // refused such names, so this is only a guard.
        let name = match hello.server_name.map(CString::new) {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => return None,
            None => None,
        };
        // The family of the negotiated version: TLS 1.3's own suites under 1.3.
        let suites: Vec<u16> = if hello.tls13_cipher_suites.is_empty() {
            hello.cipher_suites.iter().map(|s| u16::from(s.suite)).collect()
        } else {
            hello.tls13_cipher_suites.iter().map(|s| u16::from(s.suite)).collect()
        };
        let mut chain: *const ferrotls_cert_chain = std::ptr::null();
        let mut key: *const ferrotls_private_key = std::ptr::null();
        // SAFETY: the callback is a valid function pointer per the setter's contract; the name
        // and the suites live until the call returns, the out-pointers point to our locals, and `userdata` is
        // the caller's, passed back unchanged.
        let verdict = unsafe {
            (self.callback)(
                self.userdata,
                name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr()),
                suites.as_ptr(),
                suites.len(),
                &mut chain,
                &mut key,
            )
        };
        match verdict {
            DEFAULT => self.inner.as_ref()?.resolve(hello),
            USE => {
                // SAFETY: the callback's contract: on USE both point to live handles of these
                // types (or are NULL, which refuses), borrowed until the callback's caller returns.
                let (chain, key) = unsafe { (chain.as_ref()?, key.as_ref()?) };
                self.load(chain.ders(), key.key())
            }
            _ => None,
        }
    }

    fn key_types(&self) -> Vec<KeyType> {
        self.inner.as_ref().map(|r| r.key_types()).unwrap_or_default()
    }
}

/// A C server-name callback with its user pointer, as the builder records it.
#[derive(Clone, Copy)]
pub(crate) struct ServerNameHook {
    callback: unsafe extern "C" fn(
        *mut c_void,
        *const c_char,
        *const u16,
        size_t,
        *mut *const ferrotls_cert_chain,
        *mut *const ferrotls_private_key,
    ) -> c_int,
    userdata: *mut c_void,
}

impl ServerNameHook {
    /// The resolver for a configuration whose own certificates resolve with `inner`.
    pub(crate) fn resolver(&self, inner: Option<Arc<dyn ResolvesServerCert>>) -> CallbackResolver {
        CallbackResolver {
            callback: self.callback,
            userdata: self.userdata,
            inner,
            loaded: Mutex::new(Vec::new()),
        }
    }
}

/// Lets `callback` choose the certificate for each client by the name it asked for (see
/// `ferrotls_server_name_callback`); NULL removes it. With a callback the builder may have no
/// certificates of its own (then `FERROTLS_SERVER_NAME_DEFAULT` refuses the client).
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_server_name_callback(
    builder: *mut ferrotls_server_config_builder,
    callback: ferrotls_server_name_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.server_name_hook = callback.map(|callback| ServerNameHook { callback, userdata });
        ferrotls_result::FERROTLS_OK
    }
}
