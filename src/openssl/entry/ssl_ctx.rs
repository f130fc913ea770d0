//! `SSL_CTX_*`: context lifetime, options, protocol range, ciphers, certificates, keys,
//! verification settings and callbacks.

use crate::openssl::ssl_ctx::AppPtr;
use std::ffi::CStr;
use std::sync::Arc;

use libc::{c_char, c_int, c_long, c_uint, c_void};

use crate::openssl::err::{self, other_r, raise, ssl_r, LIB_CRYPTO, LIB_PEM, LIB_PROV, LIB_SSL, LIB_X509};
use crate::openssl::session::NewSessionCallback;
use crate::openssl::ssl_ctx::{
    read_file, AlpnSelectCallback, GenericCallback, InfoCallback, PasswordCallback, Settings, VerifyCallback,
    SSL_CTX, SSL_METHOD,
};
use crate::openssl::stack::OPENSSL_STACK;
use crate::openssl::x509::{x509_clone_arc, EVP_PKEY, X509, X509_NAME, X509_STORE};
use crate::x509::PemError;

/// `SSL_FILETYPE_PEM`.
pub const FILETYPE_PEM: c_int = 1;
/// `SSL_FILETYPE_ASN1`.
pub const FILETYPE_ASN1: c_int = 2;

/// A new strong reference to the context behind `p`.
///
/// # Safety
/// `p` is a live `SSL_CTX` from `SSL_CTX_new`.
pub(crate) unsafe fn ctx_arc(p: *const SSL_CTX) -> Arc<SSL_CTX> {
    // SAFETY: per the caller, `p` came from Arc::into_raw and is live; the count is raised
    // first so the Arc made here owns its own reference.
    unsafe {
        Arc::increment_strong_count(p);
        Arc::from_raw(p)
    }
}

/// Certificates from a file, PEM or DER.
pub(crate) fn certs_from_file(path: &CStr, typ: c_int, func: &'static str) -> Option<Vec<Arc<X509>>> {
    let data = read_file(path, func)?;
    let ders = if typ == FILETYPE_ASN1 {
        Ok(vec![crate::x509::CertificateDer::from(data)])
    } else {
        crate::x509::certs_from_pem(&data)
    };
    match ders {
        Ok(ders) => {
            let certs: Vec<_> = ders.iter().filter_map(|d| X509::from_der(d)).map(Arc::new).collect();
            if certs.is_empty() {
                raise!(LIB_SSL, err::other_r::PEM_LIB, func, "no parsable certificate");
                return None;
            }
            Some(certs)
        }
        Err(e) => {
            raise!(LIB_PEM, other_r::PEM_NO_START_LINE, func, e);
            raise!(LIB_SSL, err::other_r::PEM_LIB, func);
            None
        }
    }
}

/// A private key from PEM or DER bytes. An encrypted PKCS#8 key is decrypted with the password
/// `passwd` (an OpenSSL `pem_password_cb` and its user data) supplies; without a callback, or
/// when it returns no password, it is refused.
pub(crate) fn key_from_bytes(
    data: &[u8],
    typ: c_int,
    func: &'static str,
    (cb, u): (PasswordCallback, *mut c_void),
) -> Option<EVP_PKEY> {
    // Set when no password could be had: the callback returned < 0 or more than the buffer, or
    // there is neither a callback nor a userdata string (OpenSSL would prompt on the terminal).
    let cancelled = std::cell::Cell::new(false);
    let ask = || -> Option<Vec<u8>> {
        let password = match cb {
            Some(cb) => {
                let mut buf = zeroize::Zeroizing::new(vec![0u8; 1024]);
                // SAFETY: the application's pem_password_cb with a writable buffer of the size
                // passed (rwflag 0: reading), as OpenSSL calls it.
                let n = unsafe { cb(buf.as_mut_ptr().cast(), buf.len() as c_int, 0, u) };
                // 0 is an empty password (tried, as OpenSSL does); < 0 or > size is a refusal.
                usize::try_from(n).ok().filter(|&n| n <= buf.len()).map(|n| buf[..n].to_vec())
            }
            // PEM_def_callback: without a callback a non-NULL `u` is the password itself.
            // SAFETY: `u` is a NUL-terminated string by that contract.
            None if !u.is_null() => Some(unsafe { std::ffi::CStr::from_ptr(u.cast()) }.to_bytes().to_vec()),
            None => None,
        };
        cancelled.set(password.is_none());
        password
    };
    let key = if typ == FILETYPE_ASN1 {
        crate::x509::pem::private_key_from_der(data)
    } else {
        crate::x509::private_key_from_pem_with_password_callback(data, ask, crate::config::default_provider())
    };
    match key {
        Ok(k) => Some(EVP_PKEY::from_private(k)),
        // OpenSSL 3 queues these two when its passphrase callback gives up.
        Err(PemError::EncryptedKey) if cancelled.get() => {
            raise!(
                LIB_CRYPTO,
                other_r::INTERRUPTED_OR_CANCELLED,
                "do_ui_passphrase",
                "no password: the callback refused, or no callback and no userdata"
            );
            raise!(LIB_PEM, other_r::PEM_BAD_PASSWORD_READ, func);
            None
        }
        Err(PemError::EncryptedKey) => {
            raise!(LIB_PEM, other_r::UNSUPPORTED, func, PemError::EncryptedKey);
            None
        }
        // A wrong password shows as a padding failure in OpenSSL's provider; ours says more.
        Err(PemError::Decrypt(why)) => {
            raise!(LIB_PROV, other_r::PROV_BAD_DECRYPT, func, why);
            None
        }
        Err(e) => {
            raise!(LIB_PEM, other_r::PEM_NO_START_LINE, func, e);
            None
        }
    }
}

/// Checks that `key` belongs to `cert` (`X509_check_private_key`).
pub(crate) fn key_matches(cert: &X509, key: &EVP_PKEY) -> bool {
    key.spki.as_deref() == Some(cert.info.subject_public_key_info_der())
}

/// `SSL_CTX_ctrl` / `SSL_ctrl` commands that act on [`Settings`]; `None` for other commands.
pub(crate) fn settings_ctrl(s: &mut Settings, cmd: c_int, larg: c_long, parg: *mut c_void) -> Option<c_long> {
    Some(match cmd {
        // SSL_CTRL_MODE / CLEAR_MODE
        33 => {
            s.mode |= larg as u64;
            s.mode as c_long
        }
        78 => {
            s.mode &= !(larg as u64);
            s.mode as c_long
        }
        // SSL_CTRL_SET_MIN/MAX_PROTO_VERSION, GET_MIN/MAX
        123 | 124 => {
            if !Settings::valid_proto(larg) {
                return Some(0);
            }
            if cmd == 123 {
                s.min_proto = larg as u16;
            } else {
                s.max_proto = larg as u16;
            }
            1
        }
        130 => c_long::from(s.min_proto),
        131 => c_long::from(s.max_proto),
        // SSL_CTRL_GET/SET_READ_AHEAD
        40 => s.read_ahead,
        41 => std::mem::replace(&mut s.read_ahead, larg),
        // SSL_CTRL_SET/GET_SESS_CACHE_SIZE, SET/GET_SESS_CACHE_MODE: read by a server
        // handshake from the SSL's original context (`Ssl::session_cache`).
        42 => std::mem::replace(&mut s.session_cache_size, larg),
        43 => s.session_cache_size,
        44 => std::mem::replace(&mut s.session_cache_mode, larg),
        45 => s.session_cache_mode,
        // SSL_CTRL_GET/SET_MAX_CERT_LIST
        50 => s.max_cert_list,
        51 => std::mem::replace(&mut s.max_cert_list, larg),
        // SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG
        54 => {
            s.servername_arg = AppPtr(parg);
            1
        }
        // SSL_CTRL_SET_MSG_CALLBACK_ARG
        16 => {
            s.msg_callback_arg = AppPtr(parg);
            1
        }
        // SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG / GET_..._CB / GET_..._CB_ARG (OCSP stapling
        // is not implemented; the settings are kept so programs that read them back work).
        64 => {
            s.status_arg = AppPtr(parg);
            1
        }
        128 => {
            if !parg.is_null() {
                // SAFETY: SSL_CTX_get_tlsext_status_cb passes a pointer to a function pointer.
                unsafe { *(parg as *mut GenericCallback) = s.status_cb };
            }
            1
        }
        129 => {
            if !parg.is_null() {
                // SAFETY: SSL_CTX_get_tlsext_status_arg passes a `void **`.
                unsafe { *(parg as *mut *mut c_void) = s.status_arg.0 };
            }
            1
        }
        // SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE, GET_..._TYPE
        65 => 1,
        127 => -1,
        // SSL_CTRL_SET_GROUPS_LIST (also SSL_CTX_set1_curves_list): OpenSSL's names
        // ("X25519:P-256:P-384"; IANA names too). An unknown name fails (0, error queued) and
        // keeps the old list, as OpenSSL.
        92 => match list_arg(parg).map(crate::config::names::parse_group_list) {
            Some(Ok(groups)) => {
                s.groups = Some(groups);
                1
            }
            Some(Err(e)) => {
                raise!(LIB_SSL, ssl_r::BAD_VALUE, "SSL_CTX_set1_groups_list", e.to_string());
                0
            }
            None => {
                raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX_set1_groups_list");
                0
            }
        },
        // SSL_CTRL_SET_SIGALGS_LIST: "RSA-PSS+SHA256:ECDSA+SHA256" or IANA scheme names; what
        // this side offers and accepts in signature_algorithms.
        98 => match list_arg(parg).map(crate::config::names::parse_signature_scheme_list) {
            Some(Ok(schemes)) => {
                s.sigalgs = Some(schemes);
                1
            }
            Some(Err(e)) => {
                raise!(LIB_SSL, ssl_r::BAD_VALUE, "SSL_CTX_set1_sigalgs_list", e.to_string());
                0
            }
            None => {
                raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX_set1_sigalgs_list");
                0
            }
        },
        // SSL_CTRL_SET_TMP_DH / SET_TMP_ECDH / SET_TMP_RSA (no DHE/static-ECDH suites, ECDHE
        // groups come from the groups list), SET_ECDH_AUTO (always automatic), the client
        // sigalgs list for CertificateRequest (the server asks with its verifier's schemes),
        // SET_DH_AUTO: accepted (docs/openssl-compat.md).
        3 | 4 | 6 | 94 | 102 | 118 => 1,
        // SSL_CTRL_SESS_NUMBER .. SSL_CTRL_SESS_CACHE_FULL on an SSL (SSL_CTX_ctrl answers
        // them from the cache before reaching here): OpenSSL answers 0 too.
        20..=31 => 0,
        // SSL_CTRL_GET_PEER_TMP_KEY / GET_TMP_KEY: no EVP_PKEY for an ephemeral share (0, as
        // OpenSSL without one). GET_NEGOTIATED_GROUP on an SSL is answered by SSL_ctrl; on a
        // context there is none.
        109 | 133 | 134 => 0,
        _ => return None,
    })
}

/// A `char *` list argument of a ctrl, or `None` for NULL or text that is not UTF-8.
fn list_arg<'a>(parg: *mut c_void) -> Option<&'a str> {
    if parg.is_null() {
        return None;
    }
    // SAFETY: the list ctrls (SSL_CTX_set1_groups_list etc.) pass a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(parg as *const c_char) }.to_str().ok()
}

pub(crate) fn callback_ctrl(s: &mut Settings, cmd: c_int, fp: GenericCallback) -> c_long {
    match cmd {
        // SSL_CTRL_SET_TLSEXT_SERVERNAME_CB
        53 => {
            // SAFETY: SSL_CTX_set_tlsext_servername_callback casts a servername callback to
            // `void (*)(void)`; casting back restores its real type.
            s.servername_cb = fp.map(|f| unsafe { std::mem::transmute::<unsafe extern "C" fn(), _>(f) });
            1
        }
        // SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB
        63 => {
            s.status_cb = fp;
            1
        }
        // SSL_CTRL_SET_MSG_CALLBACK
        15 => {
            // SAFETY: SSL_CTX_set_msg_callback's callback cast to `void (*)(void)`; casting
            // back restores its real type.
            s.msg_callback = fp.map(|f| unsafe { std::mem::transmute::<unsafe extern "C" fn(), _>(f) });
            1
        }
        // SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB (src/openssl/ticket_key_cb.rs).
        72 => {
            // SAFETY: SSL_CTX_set_tlsext_ticket_key_cb casts an HMAC_CTX ticket key callback to
            // `void (*)(void)`; casting back restores its real type.
            s.ticket_key_cb.hmac = fp.map(|f| unsafe { std::mem::transmute::<unsafe extern "C" fn(), _>(f) });
            1
        }
        _ => {
            raise!(LIB_SSL, ssl_r::UNKNOWN_CMD_NAME, "SSL_CTX_callback_ctrl", format!("command {cmd}"));
            0
        }
    }
}

pub(crate) use callback_ctrl as settings_callback_ctrl;

fn no_ctx() -> c_int {
    raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX");
    0
}

/// `SSL_CTX_load_verify_locations` and friends.
fn load_verify(ctx: &SSL_CTX, file: *const c_char, dir: *const c_char, func: &'static str) -> c_int {
    if file.is_null() && dir.is_null() {
        raise!(LIB_X509, other_r::PASSED_NULL_PARAMETER, func);
        return 0;
    }
    if !file.is_null() {
        // SAFETY: a non-NULL path is NUL-terminated (API contract).
        let path = unsafe { CStr::from_ptr(file) };
        let Some(data) = read_file(path, func) else { return 0 };
        match ctx.store.get().add_pem(&data) {
            Ok(n) if n > 0 => {}
            _ => {
                raise!(LIB_X509, 0x80 | (2 << 18), func, "no certificate found");
                return 0;
            }
        }
    }
    if !dir.is_null() {
        // SAFETY: as above.
        let path = unsafe { CStr::from_ptr(dir) };
        let p = std::path::PathBuf::from(path.to_string_lossy().into_owned());
        ctx.store.get().dirs.lock().unwrap_or_else(|e| e.into_inner()).push(p);
    }
    1
}

/// Default trust, as `X509_STORE_set_default_paths`: the bundle file and the hashed
/// directories, both ([`default_verify_file`], [`default_verify_dir`]).
pub(crate) fn default_verify_paths(store: &X509_STORE) -> c_int {
    default_verify_file(store) & default_verify_dir(store)
}

/// The default bundle: `$SSL_CERT_FILE`, else the first of
/// [`crate::files::DEFAULT_BUNDLE_FILES`] that exists. A missing or unreadable file adds
/// nothing and the call still succeeds, as OpenSSL's does.
pub(crate) fn default_verify_file(store: &X509_STORE) -> c_int {
    let file = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from).or_else(|| {
        crate::files::DEFAULT_BUNDLE_FILES.iter().map(std::path::PathBuf::from).find(|p| p.is_file())
    });
    for der in file.and_then(|f| crate::files::certs_from_file(f).ok()).unwrap_or_default() {
        if let Some(x) = X509::from_der(&der) {
            store.add(Arc::new(x));
        }
    }
    1
}

/// The default hashed directories: `$SSL_CERT_DIR` (`:`-separated), else
/// [`crate::files::DEFAULT_CERT_DIR`]; read at the first handshake that needs them.
pub(crate) fn default_verify_dir(store: &X509_STORE) -> c_int {
    let dirs: Vec<std::path::PathBuf> = match std::env::var_os("SSL_CERT_DIR") {
        Some(v) => std::env::split_paths(&v).collect(),
        None => vec![crate::files::DEFAULT_CERT_DIR.into()],
    };
    store.dirs.lock().unwrap_or_else(|e| e.into_inner()).extend(dirs);
    1
}

entry! {
    /// A new context for `method` (reference count 1).
    fn SSL_CTX_new(method: *const SSL_METHOD) -> *mut SSL_CTX {
        let method: &'static SSL_METHOD = arg_ref!(method, std::ptr::null_mut());
        if method.dtls {
            raise!(LIB_SSL, ssl_r::UNSUPPORTED_PROTOCOL, "SSL_CTX_new", "DTLS is not implemented by ferrotls");
            return std::ptr::null_mut();
        }
        Arc::into_raw(SSL_CTX::new(method)).cast_mut()
    }
    /// Gives back one reference.
    fn SSL_CTX_free(ctx: *mut SSL_CTX) {
        if !ctx.is_null() {
            // SAFETY: `ctx` came from SSL_CTX_new and this gives back one of its references.
            drop(unsafe { Arc::from_raw(ctx.cast_const()) });
        }
    }
    /// Takes one more reference.
    fn SSL_CTX_up_ref(ctx: *mut SSL_CTX) -> c_int {
        if ctx.is_null() {
            return 0;
        }
        // SAFETY: `ctx` is live (API contract).
        unsafe { Arc::increment_strong_count(ctx.cast_const()) };
        1
    }
    /// Adds options; returns the new set.
    fn SSL_CTX_set_options(ctx: *mut SSL_CTX, op: u64) -> u64 {
        let ctx = arg_ref!(ctx, 0);
        let mut s = ctx.settings();
        s.options |= op;
        s.options
    }
    /// Clears options; returns the new set.
    fn SSL_CTX_clear_options(ctx: *mut SSL_CTX, op: u64) -> u64 {
        let ctx = arg_ref!(ctx, 0);
        let mut s = ctx.settings();
        s.options &= !op;
        s.options
    }
    /// The options.
    fn SSL_CTX_get_options(ctx: *const SSL_CTX) -> u64 { arg_ref!(ctx, 0).settings().options }
    /// The control interface behind the `SSL_CTX_set_*` macros (command numbers as OpenSSL 3).
    fn SSL_CTX_ctrl(ctx: *mut SSL_CTX, cmd: c_int, larg: c_long, parg: *mut c_void) -> c_long {
        let ctx = arg_ref!(ctx, 0);
        match cmd {
            // SSL_CTRL_SESS_NUMBER .. SSL_CTRL_SESS_CACHE_FULL: the cache's statistics.
            20..=31 => ctx.sessions.statistic(cmd),
            // SSL_CTRL_EXTRA_CHAIN_CERT: takes ownership of the X509.
            14 | 89 => {
                if parg.is_null() {
                    return 0;
                }
                // SAFETY: the caller hands over one reference to a live X509.
                let x = unsafe { Arc::from_raw(parg as *const X509) };
                ctx.settings().chain.push(x);
                *ctx.extra_chain_stack.lock().unwrap_or_else(|e| e.into_inner()) = None;
                1
            }
            // SSL_CTRL_GET_EXTRA_CHAIN_CERTS / GET_CHAIN_CERTS: a stack owned by the context.
            82 | 115 => {
                if parg.is_null() {
                    return 0;
                }
                let chain = ctx.settings().chain.clone();
                let mut slot = ctx.extra_chain_stack.lock().unwrap_or_else(|e| e.into_inner());
                let st = slot.get_or_insert_with(|| {
                    Box::new(OPENSSL_STACK { items: chain.iter().map(|c| Arc::as_ptr(c).cast_mut().cast()).collect() })
                });
                let p: *mut OPENSSL_STACK = &mut **st;
                // SAFETY: SSL_CTX_get_extra_chain_certs passes a `STACK_OF(X509) **`.
                unsafe { *(parg as *mut *mut OPENSSL_STACK) = if chain.is_empty() { std::ptr::null_mut() } else { p } };
                1
            }
            // SSL_CTRL_SET_TMP_DH: parameters for DHE suites, which the engine does not offer
            // yet; complete parameters are accepted (and not kept: OpenSSL copies them, and the
            // caller frees its DH right after); incomplete or small (< 1024-bit) ones are refused as
            // OpenSSL 3.0 refuses them at security level 1.
            3 => c_long::from(crate::openssl::entry::rand::dh_acceptable(parg, ctx.settings().security_level)),
            // SSL_CTRL_SET_DH_AUTO: accepted (no DHE suites).
            118 => 1,
            // SSL_CTRL_CHAIN: SSL_CTX_set0_chain / set1_chain (larg 1) with a STACK_OF(X509);
            // NULL = SSL_CTX_clear_chain_certs.
            88 => {
                let certs = if parg.is_null() {
                    Vec::new()
                } else {
                    // SAFETY: SSL_CTX_set0/1_chain pass a live STACK_OF(X509).
                    let st = unsafe { &*(parg as *const OPENSSL_STACK) };
                    // SAFETY: each element is a live X509 (set1: a new reference is taken).
                    let certs = st.items.iter().map(|p| unsafe { x509_clone_arc(p.cast::<X509>()) }).collect();
                    if larg == 0 {
                        // set0 takes ownership of the stack and its references.
                        // SAFETY: the stack came from OPENSSL_sk_new*/sk_X509_new_null (a Box).
                        let st = unsafe { Box::from_raw(parg as *mut OPENSSL_STACK) };
                        for p in &st.items {
                            // SAFETY: the reference the stack held.
                            drop(unsafe { Arc::from_raw(p.cast::<X509>().cast_const()) });
                        }
                    }
                    certs
                };
                ctx.settings().chain = certs;
                *ctx.extra_chain_stack.lock().unwrap_or_else(|e| e.into_inner()) = None;
                1
            }
            // SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS
            83 => {
                ctx.settings().chain.clear();
                *ctx.extra_chain_stack.lock().unwrap_or_else(|e| e.into_inner()) = None;
                1
            }
            _ => match settings_ctrl(&mut ctx.settings(), cmd, larg, parg) {
                Some(v) => v,
                None => {
                    raise!(LIB_SSL, ssl_r::UNKNOWN_CMD_NAME, "SSL_CTX_ctrl", format!("command {cmd}"));
                    0
                }
            },
        }
    }
    /// Callback-setting control interface (`SSL_CTX_set_tlsext_servername_callback`).
    fn SSL_CTX_callback_ctrl(ctx: *mut SSL_CTX, cmd: c_int, fp: GenericCallback) -> c_long {
        let ctx = arg_ref!(ctx, 0);
        callback_ctrl(&mut ctx.settings(), cmd, fp)
    }
    /// OpenSSL cipher-string grammar; 0 with "no cipher match" when nothing is selected.
    fn SSL_CTX_set_cipher_list(ctx: *mut SSL_CTX, str: *const c_char) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        let list = arg_cstr!(str, 0).to_string_lossy();
        match ctx.settings().set_cipher_list(&list) {
            Ok(()) => 1,
            Err(why) => {
                raise!(LIB_SSL, ssl_r::NO_CIPHER_MATCH, "SSL_CTX_set_cipher_list", why);
                0
            }
        }
    }
    /// The TLS 1.3 suites (`TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256`), apart from the
    /// cipher list as in OpenSSL: unknown names are skipped, an empty list turns TLS 1.3 off.
    fn SSL_CTX_set_ciphersuites(ctx: *mut SSL_CTX, str: *const c_char) -> c_int {
        let ctx = arg_ref!(ctx, 0);
        let list = arg_cstr!(str, 0).to_string_lossy();
        match ctx.settings().set_ciphersuites(&list) {
            Ok(()) => 1,
            Err(why) => {
                raise!(LIB_SSL, ssl_r::NO_CIPHER_MATCH, "SSL_CTX_set_ciphersuites", why);
                0
            }
        }
    }
    /// Security level: 0 selects the legacy profile (TLS 1.0/1.1, SHA-1, 3DES/RC4), 1 and
    /// above the default profile.
    fn SSL_CTX_set_security_level(ctx: *mut SSL_CTX, level: c_int) {
        arg_ref!(ctx, ()).settings().security_level = level;
    }
    /// The security level.
    fn SSL_CTX_get_security_level(ctx: *const SSL_CTX) -> c_int { arg_ref!(ctx, 0).settings().security_level }
    /// Tags the sessions a server caches; only sessions with the same context are resumed
    /// (at most 32 bytes, else 0).
    fn SSL_CTX_set_session_id_context(ctx: *mut SSL_CTX, sid_ctx: *const u8, len: c_uint) -> c_int {
        let ctx = arg_ref!(ctx, 0);
        if len > 32 {
            return 0;
        }
        // SAFETY: `sid_ctx` holds `len` bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(sid_ctx, len as usize) }) else { return 0 };
        ctx.settings().session_id_context = b.to_vec();
        1
    }
    /// Session timeout in seconds for sessions made from now on (OpenSSL 3's default 7200).
    /// Returns the previous value.
    fn SSL_CTX_set_timeout(ctx: *mut SSL_CTX, t: c_long) -> c_long {
        std::mem::replace(&mut arg_ref!(ctx, 0).settings().timeout, t)
    }
    /// Session timeout.
    fn SSL_CTX_get_timeout(ctx: *const SSL_CTX) -> c_long { arg_ref!(ctx, 0).settings().timeout }
    /// Called after each full handshake on the side the cache mode names
    /// (`SSL_SESS_CACHE_CLIENT` / `_SERVER`) with a new reference to the session; a callback
    /// that returns 1 keeps it (and frees it with `SSL_SESSION_free`), 0 gives it back.
    fn SSL_CTX_sess_set_new_cb(ctx: *mut SSL_CTX, cb: NewSessionCallback) {
        *arg_ref!(ctx, ()).sessions.new_cb.lock().unwrap_or_else(|e| e.into_inner()) = cb;
    }
    /// Accepted and never called: evictions and removals are not reported (see docs).
    fn SSL_CTX_sess_set_remove_cb(_ctx: *mut SSL_CTX, _cb: GenericCallback) {}
    /// Accepted and never called: there is no external cache lookup (see docs).
    fn SSL_CTX_sess_set_get_cb(_ctx: *mut SSL_CTX, _cb: GenericCallback) {}
    /// Forgets the cached sessions that are expired at `tm` (seconds since the epoch).
    fn SSL_CTX_flush_sessions(ctx: *mut SSL_CTX, tm: c_long) { arg_ref!(ctx, ()).sessions.flush(tm) }
    /// The info callback (handshake start/done, alerts, exits).
    fn SSL_CTX_set_info_callback(ctx: *mut SSL_CTX, cb: InfoCallback) {
        arg_ref!(ctx, ()).settings().info_callback = cb;
    }
    /// The info callback.
    fn SSL_CTX_get_info_callback(ctx: *const SSL_CTX) -> InfoCallback { arg_ref!(ctx, None).settings().info_callback }
    /// Application data by index (`SSL_CTX_set_app_data` is index 0).
    fn SSL_CTX_set_ex_data(ctx: *mut SSL_CTX, idx: c_int, arg: *mut c_void) -> c_int {
        c_int::from(arg_ref!(ctx, 0).ex_data.lock().unwrap_or_else(|e| e.into_inner()).set(idx, arg))
    }
    /// Application data by index.
    fn SSL_CTX_get_ex_data(ctx: *const SSL_CTX, idx: c_int) -> *mut c_void {
        arg_ref!(ctx, std::ptr::null_mut()).ex_data.lock().unwrap_or_else(|e| e.into_inner()).get(idx)
    }
    /// The protocols a client offers (ALPN, RFC 7301), in wire format (`\x02h2\x08http/1.1`).
    /// Returns 0 on success and 1 on failure (OpenSSL's inverted convention): NULL or length
    /// 0 clears the list; a malformed list (shorter than 2 bytes, an empty name, a name running
    /// past the end) is refused and leaves the old one.
    fn SSL_CTX_set_alpn_protos(ctx: *mut SSL_CTX, protos: *const u8, len: c_uint) -> c_int {
        let ctx = arg_ref!(ctx, 1);
        if protos.is_null() || len == 0 {
            ctx.settings().alpn_protos.clear();
            return 0;
        }
        // SAFETY: `protos` holds `len` bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(protos, len as usize) }) else { return 1 };
        if !crate::openssl::alpn::wire_ok(b) {
            return 1;
        }
        ctx.settings().alpn_protos = b.to_vec();
        0
    }
    /// A server's ALPN decision: called with the client's list (wire format) when a client
    /// offers ALPN. `SSL_TLSEXT_ERR_OK` selects `*out`/`*outlen` (one of the client's
    /// protocols), `SSL_TLSEXT_ERR_NOACK` answers without ALPN, anything else refuses the
    /// handshake with a no_application_protocol alert. NULL removes it.
    fn SSL_CTX_set_alpn_select_cb(ctx: *mut SSL_CTX, cb: AlpnSelectCallback, arg: *mut c_void) {
        let ctx = arg_ref!(ctx, ());
        let mut s = ctx.settings();
        s.alpn_select_cb = cb;
        s.alpn_select_arg = AppPtr(arg);
    }
    /// Verify mode and callback.
    fn SSL_CTX_set_verify(ctx: *mut SSL_CTX, mode: c_int, cb: VerifyCallback) {
        let ctx = arg_ref!(ctx, ());
        let mut s = ctx.settings();
        s.verify_mode = mode;
        s.verify_callback = cb;
    }
    /// Verify depth: at most `depth` intermediates (error 22 beyond them, as OpenSSL).
    fn SSL_CTX_set_verify_depth(ctx: *mut SSL_CTX, depth: c_int) { arg_ref!(ctx, ()).settings().verify_depth = depth; }
    /// Verify mode.
    fn SSL_CTX_get_verify_mode(ctx: *const SSL_CTX) -> c_int { arg_ref!(ctx, 0).settings().verify_mode }
    /// Verify depth.
    fn SSL_CTX_get_verify_depth(ctx: *const SSL_CTX) -> c_int { arg_ref!(ctx, 0).settings().verify_depth }
    /// Verify callback.
    fn SSL_CTX_get_verify_callback(ctx: *const SSL_CTX) -> VerifyCallback { arg_ref!(ctx, None).settings().verify_callback }
    /// Trusts the certificates in `file` (PEM) and/or looks in `dir` at handshake time.
    fn SSL_CTX_load_verify_locations(ctx: *mut SSL_CTX, file: *const c_char, dir: *const c_char) -> c_int {
        load_verify(arg_ref!(ctx, no_ctx()), file, dir, "SSL_CTX_load_verify_locations")
    }
    /// OpenSSL 3: trusts the certificates in `file`.
    fn SSL_CTX_load_verify_file(ctx: *mut SSL_CTX, file: *const c_char) -> c_int {
        if file.is_null() {
            return 0;
        }
        load_verify(arg_ref!(ctx, no_ctx()), file, std::ptr::null(), "SSL_CTX_load_verify_file")
    }
    /// OpenSSL 3: looks in the hashed directory `dir` (files named `<hash>.<n>`).
    fn SSL_CTX_load_verify_dir(ctx: *mut SSL_CTX, dir: *const c_char) -> c_int {
        if dir.is_null() {
            return 0;
        }
        load_verify(arg_ref!(ctx, no_ctx()), std::ptr::null(), dir, "SSL_CTX_load_verify_dir")
    }
    /// The system trust store (see `default_verify_paths`).
    fn SSL_CTX_set_default_verify_paths(ctx: *mut SSL_CTX) -> c_int { default_verify_paths(&arg_ref!(ctx, 0).store.get()) }
    /// The system CA file only (see `default_verify_file`).
    fn SSL_CTX_set_default_verify_file(ctx: *mut SSL_CTX) -> c_int { default_verify_file(&arg_ref!(ctx, 0).store.get()) }
    /// The system CA directories only (see `default_verify_dir`).
    fn SSL_CTX_set_default_verify_dir(ctx: *mut SSL_CTX) -> c_int { default_verify_dir(&arg_ref!(ctx, 0).store.get()) }
    /// The context's trust store (owned by the context).
    fn SSL_CTX_get_cert_store(ctx: *const SSL_CTX) -> *mut X509_STORE {
        arg_ref!(ctx, std::ptr::null_mut()).store.as_ptr()
    }
    /// The CA names a server would send in CertificateRequest (takes ownership of `list`).
    /// Stored; sending them needs the mutual-authentication API.
    fn SSL_CTX_set_client_CA_list(ctx: *mut SSL_CTX, list: *mut OPENSSL_STACK) {
        let ctx = arg_ref!(ctx, ());
        if list.is_null() {
            ctx.settings().client_ca.clear();
            return;
        }
        // SAFETY: the caller hands over a stack of X509_NAME from X509_NAME_dup /
        // SSL_load_client_CA_file (Box-allocated names).
        let st = unsafe { Box::from_raw(list) };
        let names = st.items.iter().filter(|p| !p.is_null()).map(|p| {
            // SAFETY: each element is an owned, Box-allocated X509_NAME.
            *unsafe { Box::from_raw(*p as *mut X509_NAME) }
        });
        ctx.settings().client_ca = names.collect();
    }
    /// Adds the subject of `x` to the client CA list.
    fn SSL_CTX_add_client_CA(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
        let ctx = arg_ref!(ctx, 0);
        let x = arg_ref!(x, 0);
        ctx.settings().client_ca.push(x.subject.clone());
        1
    }
    /// A new stack with copies of the client CA names (OpenSSL returns an internal stack;
    /// callers must not free it there, and this copy is intentionally leaked per call).
    fn SSL_CTX_get_client_CA_list(ctx: *const SSL_CTX) -> *mut OPENSSL_STACK {
        let ctx = arg_ref!(ctx, std::ptr::null_mut());
        let items = ctx.settings().client_ca.iter().map(|n| Box::into_raw(Box::new(n.clone())).cast()).collect();
        OPENSSL_STACK { items }.into_raw()
    }
    /// The certificate (chain after it is replaced) from a file.
    fn SSL_CTX_use_certificate_file(ctx: *mut SSL_CTX, file: *const c_char, typ: c_int) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        let path = arg_cstr!(file, 0);
        let Some(certs) = certs_from_file(path, typ, "SSL_CTX_use_certificate_file") else { return 0 };
        let Some(leaf) = certs.into_iter().next() else { return 0 };
        ctx.settings().set_cert(leaf, None);
        1
    }
    /// Leaf and chain from a PEM file (the chain replaces any earlier extra certificates).
    fn SSL_CTX_use_certificate_chain_file(ctx: *mut SSL_CTX, file: *const c_char) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        let path = arg_cstr!(file, 0);
        let Some(mut certs) = certs_from_file(path, FILETYPE_PEM, "SSL_CTX_use_certificate_chain_file") else { return 0 };
        let leaf = certs.remove(0);
        ctx.settings().set_cert(leaf, Some(certs));
        1
    }
    /// The private key from a file (PEM: PKCS#1 or PKCS#8; ASN1: DER).
    fn SSL_CTX_use_PrivateKey_file(ctx: *mut SSL_CTX, file: *const c_char, typ: c_int) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        let path = arg_cstr!(file, 0);
        let Some(data) = read_file(path, "SSL_CTX_use_PrivateKey_file") else { return 0 };
        let passwd = {
            let st = ctx.settings();
            (st.passwd_cb, st.passwd_userdata.0)
        };
        let Some(key) = key_from_bytes(&data, typ, "SSL_CTX_use_PrivateKey_file", passwd) else {
            raise!(LIB_SSL, other_r::PEM_LIB, "SSL_CTX_use_PrivateKey_file");
            return 0;
        };
        set_key(&mut ctx.settings(), key, "SSL_CTX_use_PrivateKey_file")
    }
    /// Pre-3.0 name for an RSA key file.
    fn SSL_CTX_use_RSAPrivateKey_file(ctx: *mut SSL_CTX, file: *const c_char, typ: c_int) -> c_int {
        SSL_CTX_use_PrivateKey_file(ctx, file, typ)
    }
    /// The certificate (the context takes its own reference).
    fn SSL_CTX_use_certificate(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        if x.is_null() {
            raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX_use_certificate");
            return 0;
        }
        // SAFETY: `x` is a live X509.
        let x = unsafe { x509_clone_arc(x) };
        ctx.settings().set_cert(x, None);
        1
    }
    /// The certificate from DER bytes.
    fn SSL_CTX_use_certificate_ASN1(ctx: *mut SSL_CTX, len: c_int, d: *const u8) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        // SAFETY: `d` holds `len` bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(d, len.max(0) as usize) }) else { return 0 };
        match X509::from_der(b) {
            Some(x) => {
                ctx.settings().set_cert(Arc::new(x), None);
                1
            }
            None => {
                raise!(LIB_SSL, ssl_r::X509_LIB, "SSL_CTX_use_certificate_ASN1");
                0
            }
        }
    }
    /// The private key (the context takes its own reference).
    fn SSL_CTX_use_PrivateKey(ctx: *mut SSL_CTX, pkey: *mut EVP_PKEY) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        if pkey.is_null() {
            raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX_use_PrivateKey");
            return 0;
        }
        // SAFETY: `pkey` is a live EVP_PKEY (an Arc from EVP_PKEY::into_raw).
        let key = unsafe {
            Arc::increment_strong_count(pkey.cast_const());
            Arc::from_raw(pkey.cast_const())
        };
        set_key_arc(&mut ctx.settings(), key, "SSL_CTX_use_PrivateKey")
    }
    /// 1 when the key matches the certificate.
    fn SSL_CTX_check_private_key(ctx: *const SSL_CTX) -> c_int {
        let ctx = arg_ref!(ctx, no_ctx());
        check_private_key(&ctx.settings(), "SSL_CTX_check_private_key")
    }
    /// The certificate (borrowed).
    fn SSL_CTX_get0_certificate(ctx: *const SSL_CTX) -> *mut X509 {
        arg_ref!(ctx, std::ptr::null_mut()).settings().cert.as_ref().map_or(std::ptr::null_mut(), |c| Arc::as_ptr(c).cast_mut())
    }
    /// The private key (borrowed).
    fn SSL_CTX_get0_privatekey(ctx: *const SSL_CTX) -> *mut EVP_PKEY {
        arg_ref!(ctx, std::ptr::null_mut()).settings().key.as_ref().map_or(std::ptr::null_mut(), |c| Arc::as_ptr(c).cast_mut())
    }
    /// The password callback for encrypted keys (stored: encrypted keys need the password API
    /// of the mutual-authentication work and are refused with an error until then).
    fn SSL_CTX_set_default_passwd_cb(ctx: *mut SSL_CTX, cb: PasswordCallback) {
        arg_ref!(ctx, ()).settings().passwd_cb = cb;
    }
    /// Its user data.
    fn SSL_CTX_set_default_passwd_cb_userdata(ctx: *mut SSL_CTX, u: *mut c_void) {
        arg_ref!(ctx, ()).settings().passwd_userdata = AppPtr(u);
    }
    /// The password callback.
    fn SSL_CTX_get_default_passwd_cb(ctx: *mut SSL_CTX) -> PasswordCallback { arg_ref!(ctx, None).settings().passwd_cb }
    /// Its user data.
    fn SSL_CTX_get_default_passwd_cb_userdata(ctx: *mut SSL_CTX) -> *mut c_void {
        arg_ref!(ctx, std::ptr::null_mut()).settings().passwd_userdata.0
    }
    /// Quiet shutdown: `SSL_shutdown` sends nothing and reports success.
    fn SSL_CTX_set_quiet_shutdown(ctx: *mut SSL_CTX, mode: c_int) { arg_ref!(ctx, ()).settings().quiet_shutdown = mode != 0; }
    /// Stores the TLS 1.3 post-handshake authentication wish (nothing happens in TLS 1.2).
    fn SSL_CTX_set_post_handshake_auth(ctx: *mut SSL_CTX, val: c_int) { arg_ref!(ctx, ()).settings().post_handshake_auth = val != 0; }
    /// Quiet shutdown.
    fn SSL_CTX_get_quiet_shutdown(ctx: *const SSL_CTX) -> c_int { c_int::from(arg_ref!(ctx, 0).settings().quiet_shutdown) }
    /// The verify parameters every new SSL starts from (host names).
    fn SSL_CTX_get0_param(ctx: *mut SSL_CTX) -> *mut crate::openssl::ssl::X509_VERIFY_PARAM {
        (&arg_ref!(ctx, std::ptr::null_mut()).param as *const crate::openssl::ssl::X509_VERIFY_PARAM).cast_mut()
    }
}

pub(crate) fn set_key(s: &mut Settings, key: EVP_PKEY, func: &'static str) -> c_int {
    set_key_arc(s, Arc::new(key), func)
}

fn set_key_arc(s: &mut Settings, key: Arc<EVP_PKEY>, func: &'static str) -> c_int {
    if key.spki.is_none() {
        raise!(
            LIB_SSL,
            other_r::UNSUPPORTED,
            func,
            "unsupported private key (RSA, ECDSA P-256/P-384 and Ed25519 are supported)"
        );
        return 0;
    }
    s.select_cert_slot(key.spki.as_deref().and_then(crate::x509::cert::spki_key_type));
    if let Some(cert) = &s.cert {
        if !key_matches(cert, &key) {
            raise!(LIB_X509, other_r::X509_KEY_VALUES_MISMATCH, func);
            return 0;
        }
    }
    s.key = Some(key);
    1
}

pub(crate) fn check_private_key(s: &Settings, func: &'static str) -> c_int {
    let Some(cert) = &s.cert else {
        raise!(LIB_SSL, ssl_r::NO_CERTIFICATE_ASSIGNED, func);
        return 0;
    };
    let Some(key) = &s.key else {
        raise!(LIB_SSL, ssl_r::NO_PRIVATE_KEY_ASSIGNED, func);
        return 0;
    };
    if key_matches(cert, key) {
        1
    } else {
        raise!(LIB_X509, other_r::X509_KEY_VALUES_MISMATCH, func);
        0
    }
}

pub(crate) use set_key as settings_set_key;
