//! PKCS#12 (`.p12` / `.pfx` files): not supported by ferrotls. The entry points exist so
//! programs that offer PKCS#12 client certificates (curl's `--cert-type P12`) build, and fail
//! the way OpenSSL fails on a file it cannot use: `d2i_PKCS12_bio` and `PKCS12_parse` return
//! NULL / 0 with "unsupported" queued, which the program reports. docs/openssl-compat.md says so.

use libc::{c_char, c_int, c_void};

use crate::openssl::bio::BIO;
use crate::openssl::err::{other_r, raise, LIB_CRYPTO};

/// `PKCS12`: never made (no PKCS#12 object can exist in ferrotls).
#[derive(Debug)]
pub enum PKCS12 {}

const WHY: &str = "PKCS#12 files are not supported by ferrotls; use PEM or DER certificate and key files";

entry! {
    /// Always NULL with "unsupported" queued (see the module comment).
    fn d2i_PKCS12_bio(bp: *mut BIO, _p12: *mut *mut PKCS12) -> *mut PKCS12 {
        let _ = bp;
        raise!(LIB_CRYPTO, other_r::UNSUPPORTED, "d2i_PKCS12_bio", WHY);
        std::ptr::null_mut()
    }
    /// Always 0 with "unsupported" queued; the out-parameters are left as they are.
    fn PKCS12_parse(
        _p12: *mut PKCS12,
        _pass: *const c_char,
        _pkey: *mut *mut c_void,
        _cert: *mut *mut c_void,
        _ca: *mut *mut c_void,
    ) -> c_int {
        raise!(LIB_CRYPTO, other_r::UNSUPPORTED, "PKCS12_parse", WHY);
        0
    }
    /// Frees a `PKCS12` (there are none: NULL is the only possible argument).
    fn PKCS12_free(_p12: *mut PKCS12) {}
    /// Registers the PKCS#12 PBE algorithms: `void`, and a no-op in OpenSSL 3.0 (the
    /// algorithms come from providers); the same here.
    fn PKCS12_PBE_add() {}
}
