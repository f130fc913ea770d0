//! `SSL_*`: connections: transport, handshake, I/O, shutdown, verification settings and
//! introspection.

use std::sync::Arc;

use libc::{c_char, c_int, c_long, c_uint, c_void, size_t};

use super::cipher::{cipher_for, SSL_CIPHER};
use super::ssl_ctx::{
    certs_from_file, check_private_key, ctx_arc, key_from_bytes, settings_callback_ctrl, settings_ctrl,
    settings_set_key, FILETYPE_PEM,
};
use crate::openssl::bio::{self, Kind, BIO, METHOD_SOCKET};
use crate::openssl::err::{other_r, raise, ssl_r, LIB_SSL};
use crate::openssl::ssl::{HsState, SSL, X509_VERIFY_PARAM};
use crate::openssl::ssl_ctx::{read_file, GenericCallback, InfoCallback, Side, VerifyCallback, SSL_CTX};
use crate::openssl::stack::OPENSSL_STACK;
use crate::openssl::x509::{x509_clone_arc, x509_to_raw, EVP_PKEY, X509};

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

fn set_fd(ssl: &SSL, fd: c_int, read: bool, write: bool) -> c_int {
    if fd < 0 {
        raise!(LIB_SSL, other_r::PASSED_INVALID_ARGUMENT, "SSL_set_fd");
        return 0;
    }
    let mut b = BIO::new(&METHOD_SOCKET, Kind::Fd { fd });
    b.close = false;
    let p = b.into_raw();
    ssl.with_inner(|s, _, _| match (read, write) {
        (true, true) => s.set_bio(p, p),
        (true, false) => {
            let w = s.wbio;
            if !w.is_null() {
                // SAFETY: the SSL's write BIO is live; set_bio consumes one reference to it.
                unsafe { &*w }.up_ref();
            }
            s.set_bio(p, w)
        }
        _ => {
            let r = s.rbio;
            if !r.is_null() {
                // SAFETY: as above, for the read BIO.
                unsafe { &*r }.up_ref();
            }
            s.set_bio(r, p)
        }
    });
    1
}

fn fd_of(p: *mut BIO) -> c_int {
    let mut p = p;
    while !p.is_null() {
        // SAFETY: BIOs in an SSL's chain are live while the SSL holds them.
        let b = unsafe { &*p };
        if let Some(fd) = b.fd() {
            return fd;
        }
        p = b.next;
    }
    -1
}

fn version_name(v: u16) -> *const c_char {
    match v {
        0x0301 => c"TLSv1".as_ptr(),
        0x0302 => c"TLSv1.1".as_ptr(),
        0x0303 => c"TLSv1.2".as_ptr(),
        0x0304 => c"TLSv1.3".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}

/// Text for one alert, as `SSL_alert_desc_string_long` gives it.
fn alert_long(value: c_int) -> &'static std::ffi::CStr {
    match value & 0xff {
        0 => c"close notify",
        10 => c"unexpected_message",
        20 => c"bad record mac",
        21 => c"decryption failed",
        22 => c"record overflow",
        30 => c"decompression failure",
        40 => c"handshake failure",
        41 => c"no certificate",
        42 => c"bad certificate",
        43 => c"unsupported certificate",
        44 => c"certificate revoked",
        45 => c"certificate expired",
        46 => c"certificate unknown",
        47 => c"illegal parameter",
        48 => c"unknown CA",
        49 => c"access denied",
        50 => c"decode error",
        51 => c"decrypt error",
        60 => c"export restriction",
        70 => c"protocol version",
        71 => c"insufficient security",
        80 => c"internal error",
        86 => c"inappropriate fallback",
        90 => c"user canceled",
        100 => c"no renegotiation",
        109 => c"missing extension",
        110 => c"unsupported extension",
        111 => c"certificate unobtainable",
        112 => c"unrecognized name",
        113 => c"bad certificate status response",
        114 => c"bad certificate hash value",
        115 => c"unknown PSK identity",
        116 => c"certificate required",
        120 => c"no application protocol",
        _ => c"unknown",
    }
}

fn alert_short(value: c_int) -> &'static std::ffi::CStr {
    match value & 0xff {
        0 => c"CN",
        10 => c"UM",
        20 => c"BM",
        21 => c"DC",
        22 => c"RO",
        30 => c"DF",
        40 => c"HF",
        41 => c"NC",
        42 => c"BC",
        43 => c"UC",
        44 => c"CR",
        45 => c"CE",
        46 => c"CU",
        47 => c"IP",
        48 => c"CA",
        49 => c"AD",
        50 => c"DE",
        51 => c"CY",
        60 => c"ER",
        70 => c"PV",
        71 => c"IS",
        80 => c"IE",
        86 => c"IF",
        90 => c"US",
        100 => c"NR",
        110 => c"UE",
        111 => c"CO",
        112 => c"UN",
        113 => c"BR",
        114 => c"BH",
        115 => c"UP",
        _ => c"UK",
    }
}

entry! {
    /// A connection using `ctx`'s settings (copied now; the trust store stays shared).
    fn SSL_new(ctx: *mut SSL_CTX) -> *mut SSL {
        if ctx.is_null() {
            raise!(LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_new");
            return null();
        }
        // SAFETY: `ctx` is a live SSL_CTX.
        Box::into_raw(SSL::new(unsafe { ctx_arc(ctx) }))
    }
    /// Frees the connection, its BIOs (the references it holds) and its context reference.
    fn SSL_free(ssl: *mut SSL) { SSL::free_raw(ssl) }
    /// Resets the connection for reuse with the same settings; 1.
    fn SSL_clear(ssl: *mut SSL) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        ssl.with_inner(|s, sh, _| s.clear(sh));
        1
    }
    /// Uses socket `fd` for both directions (not closed by SSL_free).
    fn SSL_set_fd(ssl: *mut SSL, fd: c_int) -> c_int { set_fd(arg_ref!(ssl, 0), fd, true, true) }
    /// Uses `fd` for reading.
    fn SSL_set_rfd(ssl: *mut SSL, fd: c_int) -> c_int { set_fd(arg_ref!(ssl, 0), fd, true, false) }
    /// Uses `fd` for writing.
    fn SSL_set_wfd(ssl: *mut SSL, fd: c_int) -> c_int { set_fd(arg_ref!(ssl, 0), fd, false, true) }
    /// The read BIO's descriptor, or -1.
    fn SSL_get_fd(ssl: *const SSL) -> c_int { SSL_get_rfd(ssl) }
    /// The read BIO's descriptor, or -1.
    fn SSL_get_rfd(ssl: *const SSL) -> c_int { fd_of(arg_ref!(ssl, -1).with_inner(|s, _, _| s.rbio)) }
    /// The write BIO's descriptor, or -1.
    fn SSL_get_wfd(ssl: *const SSL) -> c_int { fd_of(arg_ref!(ssl, -1).with_inner(|s, _, _| s.wbio)) }
    /// Sets both BIOs, taking ownership of the references passed (one when `rbio == wbio`),
    /// with OpenSSL 1.1's rules for BIOs that stay the same.
    fn SSL_set_bio(ssl: *mut SSL, rbio: *mut BIO, wbio: *mut BIO) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.set_bio(rbio, wbio));
    }
    /// Sets the read BIO, taking ownership of the reference.
    fn SSL_set0_rbio(ssl: *mut SSL, rbio: *mut BIO) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| {
            let mut old = std::mem::replace(&mut s.rbio, rbio);
            while !old.is_null() {
                old = bio::release(old);
            }
        });
    }
    /// Sets the write BIO, taking ownership of the reference.
    fn SSL_set0_wbio(ssl: *mut SSL, wbio: *mut BIO) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| {
            let mut old = std::mem::replace(&mut s.wbio, wbio);
            while !old.is_null() {
                old = bio::release(old);
            }
        });
    }
    /// The read BIO (borrowed).
    fn SSL_get_rbio(ssl: *const SSL) -> *mut BIO { arg_ref!(ssl, null()).with_inner(|s, _, _| s.rbio) }
    /// The write BIO (borrowed).
    fn SSL_get_wbio(ssl: *const SSL) -> *mut BIO { arg_ref!(ssl, null()).with_inner(|s, _, _| s.wbio) }
    /// Client side.
    fn SSL_set_connect_state(ssl: *mut SSL) {
        let ssl = arg_ref!(ssl, ());
        ssl.shared.is_server.set(false);
        ssl.with_inner(|s, _, _| s.set_side(Side::Client));
    }
    /// Server side.
    fn SSL_set_accept_state(ssl: *mut SSL) {
        let ssl = arg_ref!(ssl, ());
        ssl.shared.is_server.set(true);
        ssl.with_inner(|s, _, _| s.set_side(Side::Server));
    }
    /// 1 for a server.
    fn SSL_is_server(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).shared.is_server.get()) }
    /// Client handshake: 1, or <= 0 (see `SSL_get_error`).
    fn SSL_connect(ssl: *mut SSL) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        SSL_set_connect_state(ssl as *const SSL as *mut SSL);
        ssl.do_handshake()
    }
    /// Server handshake: 1, or <= 0 (see `SSL_get_error`).
    fn SSL_accept(ssl: *mut SSL) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        SSL_set_accept_state(ssl as *const SSL as *mut SSL);
        ssl.do_handshake()
    }
    /// Handshake on the side set before.
    fn SSL_do_handshake(ssl: *mut SSL) -> c_int { arg_ref!(ssl, -1).do_handshake() }
    /// Bytes read (> 0), 0, or -1: `SSL_get_error` says whether 0 is a clean close.
    fn SSL_read(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        // SAFETY: `buf` holds `num` writable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes_mut(buf.cast(), num.max(0) as usize) }) else { return -1 };
        ssl.read(b, false)
    }
    /// As `SSL_read` without consuming the data.
    fn SSL_peek(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        // SAFETY: `buf` holds `num` writable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes_mut(buf.cast(), num.max(0) as usize) }) else { return -1 };
        ssl.read(b, true)
    }
    /// `SSL_read` with a size_t count: 1 and `*readbytes`, or 0.
    fn SSL_read_ex(ssl: *mut SSL, buf: *mut c_void, num: size_t, readbytes: *mut size_t) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        // SAFETY: `buf` holds `num` writable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes_mut(buf.cast(), num.min(c_int::MAX as usize)) }) else { return 0 };
        let r = ssl.read(b, false);
        ex_result(r, readbytes)
    }
    /// `SSL_peek` with a size_t count.
    fn SSL_peek_ex(ssl: *mut SSL, buf: *mut c_void, num: size_t, readbytes: *mut size_t) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        // SAFETY: `buf` holds `num` writable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes_mut(buf.cast(), num.min(c_int::MAX as usize)) }) else { return 0 };
        let r = ssl.read(b, true);
        ex_result(r, readbytes)
    }
    /// Bytes written (all of them unless `SSL_MODE_ENABLE_PARTIAL_WRITE`), or <= 0.
    fn SSL_write(ssl: *mut SSL, buf: *const c_void, num: c_int) -> c_int {
        let ssl = arg_ref!(ssl, -1);
        // SAFETY: `buf` holds `num` readable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(buf.cast(), num.max(0) as usize) }) else { return -1 };
        ssl.write(b)
    }
    /// `SSL_write` with a size_t count.
    fn SSL_write_ex(ssl: *mut SSL, buf: *const c_void, num: size_t, written: *mut size_t) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        // SAFETY: `buf` holds `num` readable bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(buf.cast(), num.min(c_int::MAX as usize)) }) else { return 0 };
        let r = ssl.write(b);
        ex_result(r, written)
    }
    /// Decrypted bytes waiting.
    fn SSL_pending(ssl: *const SSL) -> c_int { arg_ref!(ssl, 0).pending().min(c_int::MAX as usize) as c_int }
    /// 1 when decrypted or unprocessed bytes are waiting.
    fn SSL_has_pending(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).with_inner(|s, _, _| s.has_pending())) }
    /// What a `ret <= 0` means, OpenSSL's way.
    fn SSL_get_error(ssl: *const SSL, ret: c_int) -> c_int { arg_ref!(ssl, 1).get_error(ret) }
    /// `SSL_NOTHING` (1), `SSL_WRITING` (2) or `SSL_READING` (3).
    fn SSL_want(ssl: *const SSL) -> c_int {
        match arg_ref!(ssl, 1).get_error(-1) {
            2 => 3,
            3 => 2,
            _ => 1,
        }
    }
    /// 0 after sending close_notify, 1 once the peer's has arrived too, -1 on failure.
    fn SSL_shutdown(ssl: *mut SSL) -> c_int { arg_ref!(ssl, -1).shutdown() }
    /// `SSL_SENT_SHUTDOWN` | `SSL_RECEIVED_SHUTDOWN`.
    fn SSL_get_shutdown(ssl: *const SSL) -> c_int { arg_ref!(ssl, 0).with_inner(|s, _, _| s.shutdown) }
    /// Sets the shutdown flags (e.g. to skip sending close_notify).
    fn SSL_set_shutdown(ssl: *mut SSL, mode: c_int) { arg_ref!(ssl, ()).with_inner(|s, _, _| s.shutdown = mode) }
    /// Quiet shutdown for this connection.
    fn SSL_set_quiet_shutdown(ssl: *mut SSL, mode: c_int) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.quiet_shutdown = mode != 0)
    }
    /// Quiet shutdown.
    fn SSL_get_quiet_shutdown(ssl: *const SSL) -> c_int {
        c_int::from(arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.quiet_shutdown))
    }
    /// Stores the TLS 1.3 post-handshake authentication wish (nothing happens in TLS 1.2).
    fn SSL_set_post_handshake_auth(ssl: *mut SSL, val: c_int) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.post_handshake_auth = val != 0)
    }
    /// The control interface behind the `SSL_set_*` macros (`SSL_set_tlsext_host_name` is 55).
    fn SSL_ctrl(ssl: *mut SSL, cmd: c_int, larg: c_long, parg: *mut c_void) -> c_long {
        let ssl = arg_ref!(ssl, 0);
        match cmd {
            // SSL_CTRL_SET_TLSEXT_HOSTNAME
            55 => {
                if larg != 0 {
                    raise!(LIB_SSL, ssl_r::BAD_VALUE, "SSL_ctrl", "only TLSEXT_NAMETYPE_host_name");
                    return 0;
                }
                let name = if parg.is_null() {
                    None
                } else {
                    // SAFETY: SSL_set_tlsext_host_name passes a NUL-terminated string.
                    let s = unsafe { std::ffi::CStr::from_ptr(parg as *const c_char) };
                    if s.to_bytes().len() > 255 {
                        raise!(LIB_SSL, ssl_r::BAD_VALUE, "SSL_ctrl", "server name too long");
                        return 0;
                    }
                    Some(s.to_owned())
                };
                *ssl.shared.servername.borrow_mut() = name;
                1
            }
            // SSL_CTRL_GET_EXTMS_SUPPORT: 1/0 after the handshake, -1 before.
            122 => {
                if ssl.shared.state.get() == HsState::Ok {
                    c_long::from(ssl.shared.ems.get())
                } else {
                    -1
                }
            }
            // SSL_CTRL_GET_RI_SUPPORT: whether the peer signalled secure renegotiation (a
            // server serves clients that do not; a client requires it outside the legacy
            // profile).
            76 => c_long::from(ssl.shared.state.get() == HsState::Ok && ssl.shared.secure_renegotiation.get()),
            // SSL_CTRL_GET_NUM_RENEGOTIATIONS / CLEAR / TOTAL: renegotiation is refused.
            10..=12 => 0,
            // SSL_CTRL_GET_SESSION_REUSED
            8 => c_long::from(ssl.shared.session_reused.get()),
            // SSL_CTRL_GET_PEER_SIGNATURE_NID (SSL_get_peer_signature_nid): sigalgs.rs
            108 => super::sigalgs::get_peer_signature_nid_ctrl(ssl, parg),
            // SSL_CTRL_GET_NEGOTIATED_GROUP (SSL_get_negotiated_group): sigalgs.rs
            134 => super::sigalgs::negotiated_group_ctrl(ssl),
            _ => ssl.with_inner(|s, _, _| match settings_ctrl(&mut s.settings, cmd, larg, parg) {
                Some(v) => v,
                None => {
                    raise!(LIB_SSL, ssl_r::UNKNOWN_CMD_NAME, "SSL_ctrl", format!("command {cmd}"));
                    0
                }
            }),
        }
    }
    /// Callback-setting control interface.
    fn SSL_callback_ctrl(ssl: *mut SSL, cmd: c_int, fp: GenericCallback) -> c_long {
        arg_ref!(ssl, 0).with_inner(|s, _, _| settings_callback_ctrl(&mut s.settings, cmd, fp))
    }
    /// Checks the peer certificate against `hostname` (replacing earlier names; NULL clears).
    fn SSL_set1_host(ssl: *mut SSL, hostname: *const c_char) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let name = if hostname.is_null() {
            None
        } else {
            // SAFETY: a non-NULL name is NUL-terminated.
            Some(unsafe { std::ffi::CStr::from_ptr(hostname) }.to_string_lossy().into_owned())
        };
        // OpenSSL 3.0: a name that parses as an IP address is checked as one (against the IP
        // SANs) instead of as a DNS name.
        if let Some(ip) = name.as_deref().and_then(|n| n.parse::<std::net::IpAddr>().ok()) {
            ssl.shared.param.set_ip(Some(ip));
            return 1;
        }
        ssl.shared.param.set_host(name.as_deref(), false);
        1
    }
    /// Adds an acceptable host name.
    fn SSL_add1_host(ssl: *mut SSL, hostname: *const c_char) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let name = arg_cstr!(hostname, 0).to_string_lossy().into_owned();
        ssl.shared.param.set_host(Some(&name), true);
        1
    }
    /// The connection's verify parameters.
    fn SSL_get0_param(ssl: *mut SSL) -> *mut X509_VERIFY_PARAM {
        (&arg_ref!(ssl, null()).shared.param as *const X509_VERIFY_PARAM).cast_mut()
    }
    /// `X509_V_OK` or the verification error (also when the callback overrode it).
    fn SSL_get_verify_result(ssl: *const SSL) -> c_long { arg_ref!(ssl, 1).verify_result() }
    /// Overrides the result.
    fn SSL_set_verify_result(ssl: *mut SSL, v: c_long) { arg_ref!(ssl, ()).shared.verify_result_override.set(Some(v)) }
    /// Verify mode and callback for this connection.
    fn SSL_set_verify(ssl: *mut SSL, mode: c_int, cb: VerifyCallback) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| {
            s.settings.verify_mode = mode;
            s.settings.verify_callback = cb;
        })
    }
    /// Verify depth for this connection.
    fn SSL_set_verify_depth(ssl: *mut SSL, depth: c_int) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.verify_depth = depth)
    }
    /// Verify mode.
    fn SSL_get_verify_mode(ssl: *const SSL) -> c_int { arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.verify_mode) }
    /// Verify depth.
    fn SSL_get_verify_depth(ssl: *const SSL) -> c_int { arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.verify_depth) }
    /// Verify callback.
    fn SSL_get_verify_callback(ssl: *const SSL) -> VerifyCallback {
        arg_ref!(ssl, None).with_inner(|s, _, _| s.settings.verify_callback)
    }
    /// Adds options.
    fn SSL_set_options(ssl: *mut SSL, op: u64) -> u64 {
        arg_ref!(ssl, 0).with_inner(|s, _, _| {
            s.settings.options |= op;
            s.settings.options
        })
    }
    /// Clears options.
    fn SSL_clear_options(ssl: *mut SSL, op: u64) -> u64 {
        arg_ref!(ssl, 0).with_inner(|s, _, _| {
            s.settings.options &= !op;
            s.settings.options
        })
    }
    /// The options.
    fn SSL_get_options(ssl: *const SSL) -> u64 { arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.options) }
    /// Cipher string for this connection.
    fn SSL_set_cipher_list(ssl: *mut SSL, str: *const c_char) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let list = arg_cstr!(str, 0).to_string_lossy().into_owned();
        match ssl.with_inner(|s, _, _| s.settings.set_cipher_list(&list)) {
            Ok(()) => 1,
            Err(why) => {
                raise!(LIB_SSL, ssl_r::NO_CIPHER_MATCH, "SSL_set_cipher_list", why);
                0
            }
        }
    }
    /// The TLS 1.3 suites for this connection (see `SSL_CTX_set_ciphersuites`).
    fn SSL_set_ciphersuites(ssl: *mut SSL, str: *const c_char) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let list = arg_cstr!(str, 0).to_string_lossy().into_owned();
        match ssl.with_inner(|s, _, _| s.settings.set_ciphersuites(&list)) {
            Ok(()) => 1,
            Err(why) => {
                raise!(LIB_SSL, ssl_r::NO_CIPHER_MATCH, "SSL_set_ciphersuites", why);
                0
            }
        }
    }
    /// The `n`th cipher of the connection's list (TLS 1.3 suites first, as in OpenSSL), or NULL.
    fn SSL_get_cipher_list(ssl: *const SSL, n: c_int) -> *const c_char {
        let ssl = arg_ref!(ssl, std::ptr::null());
        let n = match usize::try_from(n) {
            Ok(n) => n,
            Err(_) => return std::ptr::null(),
        };
        let c = ssl.with_inner(|s, _, _| super::cipher::usable_ciphers(&s.settings).nth(n));
        c.map_or(std::ptr::null(), SSL_CIPHER_get_name_ptr)
    }
    /// Security level for this connection.
    fn SSL_set_security_level(ssl: *mut SSL, level: c_int) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.security_level = level)
    }
    /// Security level.
    fn SSL_get_security_level(ssl: *const SSL) -> c_int { arg_ref!(ssl, 0).with_inner(|s, _, _| s.settings.security_level) }
    /// `TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3` once negotiated; the highest enabled before.
    fn SSL_get_version(ssl: *const SSL) -> *const c_char {
        let ssl = arg_ref!(ssl, c"unknown".as_ptr());
        match ssl.shared.version.get() {
            0 => version_name(ssl.shared.configured_version.get()),
            v => version_name(v),
        }
    }
    /// The negotiated version number (`TLS1_2_VERSION`...).
    fn SSL_version(ssl: *const SSL) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        match ssl.shared.version.get() {
            0 => c_int::from(ssl.shared.configured_version.get()),
            v => c_int::from(v),
        }
    }
    /// The negotiated suite, or NULL before the handshake.
    fn SSL_get_current_cipher(ssl: *const SSL) -> *const SSL_CIPHER {
        arg_ref!(ssl, std::ptr::null()).shared.cipher.get().map_or(std::ptr::null(), |s| cipher_for(&s))
    }
    /// Same as `SSL_get_current_cipher` (no pending cipher is exposed).
    fn SSL_get_pending_cipher(ssl: *const SSL) -> *const SSL_CIPHER { SSL_get_current_cipher(ssl) }
    /// The peer's certificate with a new reference (free it), or NULL.
    fn SSL_get1_peer_certificate(ssl: *const SSL) -> *mut X509 {
        arg_ref!(ssl, null()).shared.peer_chain.borrow().first().map_or(null(), x509_to_raw)
    }
    /// Pre-3.0 name of `SSL_get1_peer_certificate` (also a new reference).
    fn SSL_get_peer_certificate(ssl: *const SSL) -> *mut X509 { SSL_get1_peer_certificate(ssl) }
    /// The peer's certificate, borrowed.
    fn SSL_get0_peer_certificate(ssl: *const SSL) -> *mut X509 {
        arg_ref!(ssl, null()).shared.peer_chain.borrow().first().map_or(null(), |c| Arc::as_ptr(c).cast_mut())
    }
    /// The chain the peer sent, leaf first (borrowed; a client sees the leaf, a server does not, as in OpenSSL).
    fn SSL_get_peer_cert_chain(ssl: *const SSL) -> *mut OPENSSL_STACK { arg_ref!(ssl, null()).peer_chain_stack() }
    /// Our certificate (borrowed).
    fn SSL_get_certificate(ssl: *const SSL) -> *mut X509 {
        arg_ref!(ssl, null()).with_inner(|s, _, _| s.settings.cert.as_ref().map_or(null(), |c| Arc::as_ptr(c).cast_mut()))
    }
    /// Our private key (borrowed).
    fn SSL_get_privatekey(ssl: *const SSL) -> *mut EVP_PKEY {
        arg_ref!(ssl, null()).with_inner(|s, _, _| s.settings.key.as_ref().map_or(null(), |c| Arc::as_ptr(c).cast_mut()))
    }
    /// Short state string.
    fn SSL_state_string(ssl: *const SSL) -> *const c_char {
        let ssl = arg_ref!(ssl, c"".as_ptr());
        match ssl.shared.state.get() {
            HsState::Before => c"PINIT".as_ptr(),
            HsState::InProgress if ssl.shared.is_server.get() => c"TRCH".as_ptr(),
            HsState::InProgress => c"TWCH".as_ptr(),
            HsState::Ok => c"SSLOK".as_ptr(),
            HsState::Error => c"SSLERR".as_ptr(),
        }
    }
    /// Long state string.
    fn SSL_state_string_long(ssl: *const SSL) -> *const c_char {
        let ssl = arg_ref!(ssl, c"".as_ptr());
        match ssl.shared.state.get() {
            HsState::Before => c"before SSL initialization".as_ptr(),
            HsState::InProgress if ssl.shared.is_server.get() => c"SSLv3/TLS read client hello".as_ptr(),
            HsState::InProgress => c"SSLv3/TLS write client hello".as_ptr(),
            HsState::Ok => c"SSL negotiation finished successfully".as_ptr(),
            HsState::Error => c"error".as_ptr(),
        }
    }
    /// 1 until the handshake finished.
    fn SSL_in_init(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).shared.state.get() != HsState::Ok) }
    /// 1 before anything happened.
    fn SSL_in_before(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).shared.state.get() == HsState::Before) }
    /// 1 once the handshake finished.
    fn SSL_is_init_finished(ssl: *const SSL) -> c_int { c_int::from(arg_ref!(ssl, 0).shared.state.get() == HsState::Ok) }
    /// `close notify`, `handshake failure`, ... for an alert value `(level << 8) | description`.
    fn SSL_alert_desc_string_long(value: c_int) -> *const c_char { alert_long(value).as_ptr() }
    /// Two-letter alert code.
    fn SSL_alert_desc_string(value: c_int) -> *const c_char { alert_short(value).as_ptr() }
    /// `warning`, `fatal` or `unknown`.
    fn SSL_alert_type_string_long(value: c_int) -> *const c_char {
        match value >> 8 {
            1 => c"warning".as_ptr(),
            2 => c"fatal".as_ptr(),
            _ => c"unknown".as_ptr(),
        }
    }
    /// `W`, `F` or `U`.
    fn SSL_alert_type_string(value: c_int) -> *const c_char {
        match value >> 8 {
            1 => c"W".as_ptr(),
            2 => c"F".as_ptr(),
            _ => c"U".as_ptr(),
        }
    }
    /// Client: the SNI name set; server: the name the client sent; NULL otherwise.
    fn SSL_get_servername(ssl: *const SSL, typ: c_int) -> *const c_char {
        let ssl = arg_ref!(ssl, std::ptr::null());
        if typ != 0 {
            return std::ptr::null();
        }
        ssl.shared.servername.borrow().as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
    }
    /// `TLSEXT_NAMETYPE_host_name` (0) when a name is known, else -1.
    fn SSL_get_servername_type(ssl: *const SSL) -> c_int {
        if arg_ref!(ssl, -1).shared.servername.borrow().is_some() { 0 } else { -1 }
    }
    /// Switches the context (from a servername callback, to serve another certificate).
    fn SSL_set_SSL_CTX(ssl: *mut SSL, ctx: *mut SSL_CTX) -> *mut SSL_CTX {
        let ssl = arg_ref!(ssl, null());
        if ctx.is_null() {
            return Arc::as_ptr(&ssl.shared.ctx.borrow()).cast_mut();
        }
        // SAFETY: `ctx` is a live SSL_CTX.
        let new = unsafe { ctx_arc(ctx) };
        *ssl.shared.ctx.borrow_mut() = new;
        ssl.shared.ctx_switched.set(true);
        ctx
    }
    /// The context (borrowed).
    fn SSL_get_SSL_CTX(ssl: *const SSL) -> *mut SSL_CTX { Arc::as_ptr(&arg_ref!(ssl, null()).shared.ctx.borrow()).cast_mut() }
    /// Application data by index (`SSL_set_app_data` is index 0).
    fn SSL_set_ex_data(ssl: *mut SSL, idx: c_int, arg: *mut c_void) -> c_int {
        c_int::from(arg_ref!(ssl, 0).shared.ex_data.borrow_mut().set(idx, arg))
    }
    /// Application data by index.
    fn SSL_get_ex_data(ssl: *const SSL, idx: c_int) -> *mut c_void { arg_ref!(ssl, null()).shared.ex_data.borrow().get(idx) }
    /// The index under which `X509_STORE_CTX_get_ex_data` returns the `SSL` (0).
    fn SSL_get_ex_data_X509_STORE_CTX_idx() -> c_int { 0 }
    /// The info callback for this connection.
    fn SSL_set_info_callback(ssl: *mut SSL, cb: InfoCallback) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.info_callback = cb)
    }
    /// The info callback.
    fn SSL_get_info_callback(ssl: *const SSL) -> InfoCallback { arg_ref!(ssl, None).with_inner(|s, _, _| s.settings.info_callback) }
    /// The protocols this client offers (ALPN), as `SSL_CTX_set_alpn_protos`: 0 on success, 1
    /// for a malformed list; NULL or length 0 clears it.
    fn SSL_set_alpn_protos(ssl: *mut SSL, protos: *const u8, len: c_uint) -> c_int {
        let ssl = arg_ref!(ssl, 1);
        if protos.is_null() || len == 0 {
            ssl.with_inner(|s, _, _| s.settings.alpn_protos.clear());
            return 0;
        }
        // SAFETY: `protos` holds `len` bytes.
        let Some(b) = (unsafe { crate::openssl::bytes(protos, len as usize) }) else { return 1 };
        if !crate::openssl::alpn::wire_ok(b) {
            return 1;
        }
        ssl.with_inner(|s, _, _| s.settings.alpn_protos = b.to_vec());
        0
    }
    /// The protocol ALPN agreed, owned by the `SSL`: `*data = NULL`, `*len = 0` when none
    /// (either side without ALPN, or before the handshake finished).
    fn SSL_get0_alpn_selected(ssl: *const SSL, data: *mut *const u8, len: *mut c_uint) {
        let ssl = arg_ref!(ssl, ());
        let sel = ssl.shared.alpn_selected.borrow();
        let (p, n) = if sel.is_empty() { (std::ptr::null(), 0) } else { (sel.as_ptr(), sel.len() as c_uint) };
        // SAFETY: out-parameters point to writable storage when not NULL.
        unsafe {
            if !data.is_null() {
                *data = p;
            }
            if !len.is_null() {
                *len = n;
            }
        }
    }
    /// OpenSSL's helper for ALPN (and NPN) callbacks: the first protocol in `server` (wire
    /// format, in preference order) that `client` also lists, with `*out` pointing into
    /// `server`: `OPENSSL_NPN_NEGOTIATED`. Without overlap `*out` is the client's first
    /// protocol (pointing into `client`; NULL with `*outlen` 0 when `client` is empty or
    /// malformed): `OPENSSL_NPN_NO_OVERLAP`.
    fn SSL_select_next_proto(
        out: *mut *mut u8,
        outlen: *mut u8,
        server: *const u8,
        server_len: c_uint,
        client: *const u8,
        client_len: c_uint,
    ) -> c_int {
        // SAFETY: each list holds its length in bytes (NULL with a length is treated as empty).
        let s = unsafe { crate::openssl::bytes(server, server_len as usize) }.unwrap_or_default();
        // SAFETY: as above.
        let c = unsafe { crate::openssl::bytes(client, client_len as usize) }.unwrap_or_default();
        let (r, pick) = crate::openssl::alpn::select_next_proto(s, c);
        let (p, n) = match pick {
            crate::openssl::alpn::Pick::Server(at, n) => (s[at..].as_ptr(), n),
            crate::openssl::alpn::Pick::Client(at, n) => (c[at..].as_ptr(), n),
            crate::openssl::alpn::Pick::Nothing => (std::ptr::null(), 0),
        };
        if out.is_null() || outlen.is_null() {
            return r;
        }
        // SAFETY: `out` and `outlen` are writable (checked non-NULL); `*out` points into a list
        // the caller owns, as OpenSSL's does.
        unsafe {
            *out = p.cast_mut();
            *outlen = n as u8;
        }
        r
    }
    /// Certificate from a file for this connection.
    fn SSL_use_certificate_file(ssl: *mut SSL, file: *const c_char, typ: c_int) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let path = arg_cstr!(file, 0);
        let Some(certs) = certs_from_file(path, typ, "SSL_use_certificate_file") else { return 0 };
        let Some(leaf) = certs.into_iter().next() else { return 0 };
        ssl.with_inner(|s, _, _| s.settings.set_cert(leaf, None));
        1
    }
    /// Leaf and chain from a PEM file for this connection.
    fn SSL_use_certificate_chain_file(ssl: *mut SSL, file: *const c_char) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let path = arg_cstr!(file, 0);
        let Some(mut certs) = certs_from_file(path, FILETYPE_PEM, "SSL_use_certificate_chain_file") else { return 0 };
        let leaf = certs.remove(0);
        ssl.with_inner(|s, _, _| s.settings.set_cert(leaf, Some(certs)));
        1
    }
    /// Certificate for this connection (own reference taken).
    fn SSL_use_certificate(ssl: *mut SSL, x: *mut X509) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        if x.is_null() {
            return 0;
        }
        // SAFETY: `x` is a live X509.
        let x = unsafe { x509_clone_arc(x) };
        ssl.with_inner(|s, _, _| s.settings.set_cert(x, None));
        1
    }
    /// Private key from a file for this connection.
    fn SSL_use_PrivateKey_file(ssl: *mut SSL, file: *const c_char, typ: c_int) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let path = arg_cstr!(file, 0);
        let Some(data) = read_file(path, "SSL_use_PrivateKey_file") else { return 0 };
        let passwd = ssl.with_inner(|s, _, _| (s.settings.passwd_cb, s.settings.passwd_userdata.0));
        let Some(key) = key_from_bytes(&data, typ, "SSL_use_PrivateKey_file", passwd) else {
            raise!(LIB_SSL, other_r::PEM_LIB, "SSL_use_PrivateKey_file");
            return 0;
        };
        ssl.with_inner(|s, _, _| settings_set_key(&mut s.settings, key, "SSL_use_PrivateKey_file"))
    }
    /// Private key for this connection (own reference taken).
    fn SSL_use_PrivateKey(ssl: *mut SSL, pkey: *mut EVP_PKEY) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        let key = arg_ref!(pkey, 0);
        let copy = EVP_PKEY { private: key.private.as_ref().map(|k| k.clone_key()), spki: key.spki.clone() };
        ssl.with_inner(|s, _, _| settings_set_key(&mut s.settings, copy, "SSL_use_PrivateKey"))
    }
    /// 1 when this connection's key matches its certificate.
    fn SSL_check_private_key(ssl: *const SSL) -> c_int {
        arg_ref!(ssl, 0).with_inner(|s, _, _| check_private_key(&s.settings, "SSL_check_private_key"))
    }
    /// Reads a PEM file of CA certificates into a new stack of their subject names.
    fn SSL_load_client_CA_file(file: *const c_char) -> *mut OPENSSL_STACK {
        let path = arg_cstr!(file, null());
        let Some(certs) = certs_from_file(path, FILETYPE_PEM, "SSL_load_client_CA_file") else { return null() };
        let items = certs.iter().map(|c| Box::into_raw(Box::new(c.subject.clone())).cast()).collect();
        OPENSSL_STACK { items }.into_raw()
    }
    /// CA names for CertificateRequest on this connection: needs the mutual-authentication
    /// API; the list is freed and nothing changes.
    fn SSL_set_client_CA_list(_ssl: *mut SSL, list: *mut OPENSSL_STACK) {
        if !list.is_null() {
            // SAFETY: the caller hands over a stack of Box-allocated X509_NAMEs.
            let st = unsafe { Box::from_raw(list) };
            for p in st.items {
                // SAFETY: each element is an owned X509_NAME.
                drop(unsafe { Box::from_raw(p as *mut crate::openssl::x509::X509_NAME) });
            }
        }
    }
}

/// `SSL_CIPHER_get_name` without the entry-point wrapper.
#[allow(non_snake_case)]
fn SSL_CIPHER_get_name_ptr(c: *const SSL_CIPHER) -> *const c_char {
    super::cipher::SSL_CIPHER_get_name(c)
}

fn ex_result(r: c_int, out: *mut size_t) -> c_int {
    if r > 0 {
        if !out.is_null() {
            // SAFETY: a non-NULL out-parameter points to a size_t.
            unsafe { *out = r as size_t };
        }
        1
    } else {
        if !out.is_null() {
            // SAFETY: as above.
            unsafe { *out = 0 };
        }
        0
    }
}
