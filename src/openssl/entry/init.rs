//! Library initialisation, methods, version, `OPENSSL_malloc`/`free` (`CRYPTO_*`).
//!
//! OpenSSL 3 makes the old initialisers macros; they are exported here as real functions as
//! well, so configure scripts that probe `-lssl` for `SSL_library_init` find a symbol.

use libc::{c_char, c_int, c_ulong, c_void, size_t};

use crate::openssl::ssl_ctx::{self as m, SSL_METHOD};

/// `OPENSSL_VERSION_TEXT`: the OpenSSL API level modelled, and what really implements it.
pub static VERSION_TEXT: &std::ffi::CStr = c"OpenSSL 3.0.0 (compatible; ferrotls 0.1.0)";

/// `OPENSSL_INIT_SETTINGS`: what a program asks of the configuration file. ferrotls reads no
/// `openssl.cnf`, so the settings are kept and have no effect.
#[derive(Debug, Default)]
pub struct OPENSSL_INIT_SETTINGS {
    /// `OPENSSL_INIT_set_config_filename`.
    pub filename: Option<std::ffi::CString>,
    /// `OPENSSL_INIT_set_config_appname`.
    pub appname: Option<std::ffi::CString>,
    /// `OPENSSL_INIT_set_config_file_flags`.
    pub flags: c_ulong,
}

entry! {
    /// Empty settings.
    fn OPENSSL_INIT_new() -> *mut OPENSSL_INIT_SETTINGS { Box::into_raw(Box::default()) }
    /// Frees settings.
    fn OPENSSL_INIT_free(s: *mut OPENSSL_INIT_SETTINGS) {
        if !s.is_null() {
            // SAFETY: `s` came from OPENSSL_INIT_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(s) });
        }
    }
    /// Records the configuration file name (not read: ferrotls has no configuration file).
    fn OPENSSL_INIT_set_config_filename(s: *mut OPENSSL_INIT_SETTINGS, name: *const c_char) -> c_int {
        let s = arg_mut!(s, 0);
        s.filename = if name.is_null() { None } else { Some(arg_cstr!(name, 0).to_owned()) };
        1
    }
    /// Records the application name (not used: ferrotls has no configuration file).
    fn OPENSSL_INIT_set_config_appname(s: *mut OPENSSL_INIT_SETTINGS, name: *const c_char) -> c_int {
        let s = arg_mut!(s, 0);
        s.appname = if name.is_null() { None } else { Some(arg_cstr!(name, 0).to_owned()) };
        1
    }
    /// Records the flags.
    fn OPENSSL_INIT_set_config_file_flags(s: *mut OPENSSL_INIT_SETTINGS, flags: c_ulong) {
        arg_mut!(s, ()).flags = flags;
    }
    /// NULL: ferrotls is built without TLS compression (as OpenSSL with `no-comp`).
    fn SSL_COMP_get_compression_methods() -> *mut c_void { std::ptr::null_mut() }
    /// NULL (no compression methods exist).
    fn SSL_COMP_get_name(_comp: *const c_void) -> *const c_char { std::ptr::null() }
    /// NULL: no compression is ever negotiated.
    fn SSL_get_current_compression(_s: *const c_void) -> *const c_void { std::ptr::null() }
    /// NULL: no compression is ever negotiated.
    fn SSL_get_current_expansion(_s: *const c_void) -> *const c_void { std::ptr::null() }
    /// Nothing to initialise: always 1.
    fn OPENSSL_init_ssl(_opts: u64, _settings: *const c_void) -> c_int { 1 }
    /// Nothing to initialise: always 1.
    fn OPENSSL_init_crypto(_opts: u64, _settings: *const c_void) -> c_int { 1 }
    /// Pre-1.1 initialiser (a macro in OpenSSL 3, exported for configure probes).
    fn SSL_library_init() -> c_int { 1 }
    /// Pre-1.1 initialiser.
    fn SSL_load_error_strings() {}
    /// Pre-1.1 initialiser.
    fn OpenSSL_add_ssl_algorithms() -> c_int { 1 }
    /// Pre-1.1 initialiser.
    fn SSLeay_add_ssl_algorithms() -> c_int { 1 }
    /// Pre-1.1 initialiser.
    fn OpenSSL_add_all_algorithms() {}
    /// Pre-1.1 initialiser.
    fn ERR_load_crypto_strings() {}
    /// Pre-1.1 initialiser.
    fn ERR_load_SSL_strings() {}
    /// Pre-1.1 clean-up.
    fn ERR_free_strings() {}
    /// Pre-1.1 clean-up.
    fn EVP_cleanup() {}
    /// Pre-1.1 clean-up.
    fn CRYPTO_cleanup_all_ex_data() {}
    /// Clean-up at exit: nothing to do.
    fn OPENSSL_cleanup() {}

    /// `OPENSSL_VERSION_NUMBER` of the API level modelled (3.0.0).
    fn OpenSSL_version_num() -> c_ulong { 0x3000_0000 }
    /// Version strings (`OPENSSL_VERSION` = 0 and the rest).
    fn OpenSSL_version(t: c_int) -> *const c_char {
        match t {
            0 => VERSION_TEXT.as_ptr(),
            1 => c"compiler: rustc".as_ptr(),
            2 => c"built on: reproducible build, date unspecified".as_ptr(),
            3 => c"platform: ferrotls".as_ptr(),
            4 => c"OPENSSLDIR: \"/usr/lib/ssl\"".as_ptr(),
            6 => c"3.0.0".as_ptr(),
            _ => c"not available".as_ptr(),
        }
    }
    /// Pre-1.1 name of `OpenSSL_version`.
    fn SSLeay_version(t: c_int) -> *const c_char { OpenSSL_version(t) }
    /// Pre-1.1 name of `OpenSSL_version_num`.
    fn SSLeay() -> c_ulong { 0x3000_0000 }
    /// 3.
    fn OPENSSL_version_major() -> u32 { 3 }
    /// 0.
    fn OPENSSL_version_minor() -> u32 { 0 }
    /// 0.
    fn OPENSSL_version_patch() -> u32 { 0 }

    /// `OPENSSL_malloc`: libc malloc.
    fn CRYPTO_malloc(num: size_t, _file: *const c_char, _line: c_int) -> *mut c_void {
        // SAFETY: malloc has no preconditions.
        unsafe { libc::malloc(num) }
    }
    /// `OPENSSL_zalloc`: libc calloc.
    fn CRYPTO_zalloc(num: size_t, _file: *const c_char, _line: c_int) -> *mut c_void {
        // SAFETY: calloc has no preconditions.
        unsafe { libc::calloc(1, num) }
    }
    /// `OPENSSL_realloc`: libc realloc.
    fn CRYPTO_realloc(p: *mut c_void, num: size_t, _file: *const c_char, _line: c_int) -> *mut c_void {
        // SAFETY: `p` is NULL or came from CRYPTO_malloc (the OPENSSL_realloc contract).
        unsafe { libc::realloc(p, num) }
    }
    /// `OPENSSL_free`: libc free.
    fn CRYPTO_free(p: *mut c_void, _file: *const c_char, _line: c_int) {
        // SAFETY: `p` is NULL or came from CRYPTO_malloc or a function documented to return
        // OPENSSL_malloc'd memory (all of which use libc malloc).
        unsafe { libc::free(p) }
    }
    /// `OPENSSL_strdup`.
    fn CRYPTO_strdup(s: *const c_char, _file: *const c_char, _line: c_int) -> *mut c_char {
        if s.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: `s` is a NUL-terminated string (the OPENSSL_strdup contract).
        unsafe { libc::strdup(s) }
    }
    /// `CRYPTO_get_ex_new_index` (behind `SSL_get_ex_new_index` and friends): a fresh index;
    /// the callbacks are not called.
    fn CRYPTO_get_ex_new_index(
        _class_index: c_int,
        _argl: libc::c_long,
        _argp: *mut c_void,
        _new_func: *mut c_void,
        _dup_func: *mut c_void,
        _free_func: *mut c_void
    ) -> c_int {
        crate::openssl::ex_data::new_index()
    }

    /// Any version, side decided later.
    fn TLS_method() -> *const SSL_METHOD { &m::TLS_ANY }
    /// Any version, client.
    fn TLS_client_method() -> *const SSL_METHOD { &m::TLS_CLIENT }
    /// Any version, server.
    fn TLS_server_method() -> *const SSL_METHOD { &m::TLS_SERVER }
    /// Pre-1.1 name of `TLS_method`.
    fn SSLv23_method() -> *const SSL_METHOD { &m::TLS_ANY }
    /// Pre-1.1 name of `TLS_client_method`.
    fn SSLv23_client_method() -> *const SSL_METHOD { &m::TLS_CLIENT }
    /// Pre-1.1 name of `TLS_server_method`.
    fn SSLv23_server_method() -> *const SSL_METHOD { &m::TLS_SERVER }
    /// TLS 1.0 only.
    fn TLSv1_method() -> *const SSL_METHOD { &m::TLS1_ANY }
    /// TLS 1.0 only, client.
    fn TLSv1_client_method() -> *const SSL_METHOD { &m::TLS1_CLIENT }
    /// TLS 1.0 only, server.
    fn TLSv1_server_method() -> *const SSL_METHOD { &m::TLS1_SERVER }
    /// TLS 1.1 only.
    fn TLSv1_1_method() -> *const SSL_METHOD { &m::TLS1_1_ANY }
    /// TLS 1.1 only, client.
    fn TLSv1_1_client_method() -> *const SSL_METHOD { &m::TLS1_1_CLIENT }
    /// TLS 1.1 only, server.
    fn TLSv1_1_server_method() -> *const SSL_METHOD { &m::TLS1_1_SERVER }
    /// TLS 1.2 only.
    fn TLSv1_2_method() -> *const SSL_METHOD { &m::TLS1_2_ANY }
    /// TLS 1.2 only, client.
    fn TLSv1_2_client_method() -> *const SSL_METHOD { &m::TLS1_2_CLIENT }
    /// TLS 1.2 only, server.
    fn TLSv1_2_server_method() -> *const SSL_METHOD { &m::TLS1_2_SERVER }
    /// DTLS: a method `SSL_CTX_new` refuses ("unsupported protocol", ferrotls has no DTLS).
    fn DTLS_method() -> *const SSL_METHOD { &m::DTLS_ANY }
    /// DTLS client: refused by `SSL_CTX_new`.
    fn DTLS_client_method() -> *const SSL_METHOD { &m::DTLS_CLIENT }
    /// DTLS server: refused by `SSL_CTX_new`.
    fn DTLS_server_method() -> *const SSL_METHOD { &m::DTLS_SERVER }
}
