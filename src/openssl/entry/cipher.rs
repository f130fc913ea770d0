//! `SSL_CIPHER`: static descriptions of the suites of both families, as
//! `SSL_get_current_cipher` returns them (TLS 1.3 suites under their IANA names, as OpenSSL).

use std::ffi::CString;
use std::sync::OnceLock;

use libc::{c_char, c_int};

use crate::crypto::{AuthenticationAlgorithm, KeyExchangeAlgorithm, MacAlgorithm};
use crate::crypto::{SuiteCommon, SupportedCipherSuite};
use crate::openssl::cipher_list;

/// `SSL_CIPHER`: one suite with its C strings.
#[derive(Debug)]
pub struct SSL_CIPHER {
    /// The suite.
    pub suite: SupportedCipherSuite,
    name: CString,
    standard: CString,
    version: &'static std::ffi::CStr,
    description: String,
}

fn table() -> &'static [SSL_CIPHER] {
    static TABLE: OnceLock<Vec<SSL_CIPHER>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let tls13 = crate::config::default_provider().tls13_cipher_suites.iter().map(|&s| SSL_CIPHER {
            suite: SupportedCipherSuite::Tls13(s),
            name: CString::new(s.openssl_name).unwrap_or_default(),
            standard: CString::new(s.iana_name).unwrap_or_default(),
            version: c"TLSv1.3",
            description: cipher_list::description13(s),
        });
        let tls12 = cipher_list::base_order().into_iter().map(|s| SSL_CIPHER {
            suite: SupportedCipherSuite::Tls12(s),
            name: CString::new(s.openssl_name).unwrap_or_default(),
            standard: CString::new(s.iana_name).unwrap_or_default(),
            version: match cipher_list::openssl_min_version(s) {
                crate::enums::ProtocolVersion::TLSv1_2 => c"TLSv1.2",
                crate::enums::ProtocolVersion::TLSv1_0 => c"TLSv1",
                _ => c"SSLv3",
            },
            description: cipher_list::description(s),
        });
        tls13.chain(tls12).collect()
    })
}

/// The `SSL_CIPHER` for a suite of either family (a `Tls12CipherSuite`, a `Tls13CipherSuite`
/// or a `SupportedCipherSuite` all give their `SuiteCommon`).
pub fn cipher_for(suite: &SuiteCommon) -> *const SSL_CIPHER {
    table().iter().find(|c| c.suite.suite == suite.suite).map_or(std::ptr::null(), |c| c as *const SSL_CIPHER)
}

/// The `SSL_CIPHER`s of the settings in OpenSSL's order: the TLS 1.3 suites
/// (`SSL_CTX_set_ciphersuites`), then the cipher list's suites usable at the security level.
pub fn usable_ciphers(s: &crate::openssl::ssl_ctx::Settings) -> impl Iterator<Item = *const SSL_CIPHER> + '_ {
    let legacy = s.legacy();
    let tls13 = s.tls13_ciphers.iter().map(|c| cipher_for(c));
    let tls12 = s.ciphers.iter().filter(move |c| legacy || !c.legacy).map(|c| cipher_for(c));
    tls13.chain(tls12).filter(|p| !p.is_null())
}

/// A stack of the settings' usable `SSL_CIPHER`s ([`usable_ciphers`]).
pub fn cipher_stack(s: &crate::openssl::ssl_ctx::Settings) -> Box<crate::openssl::stack::OPENSSL_STACK> {
    let items = usable_ciphers(s).map(|p| p.cast_mut().cast()).collect();
    Box::new(crate::openssl::stack::OPENSSL_STACK { items })
}

entry! {
    /// The context's suites in preference order (a stack owned by the context: do not free).
    fn SSL_CTX_get_ciphers(ctx: *const crate::openssl::ssl_ctx::SSL_CTX) -> *mut crate::openssl::stack::OPENSSL_STACK {
        let ctx = arg_ref!(ctx, std::ptr::null_mut());
        let st = cipher_stack(&ctx.settings());
        let mut slot = ctx.ciphers_stack.lock().unwrap_or_else(|e| e.into_inner());
        let p: *mut _ = &mut **slot.insert(st);
        p
    }
    /// The connection's suites in preference order (owned by the SSL: do not free).
    fn SSL_get_ciphers(ssl: *const crate::openssl::ssl::SSL) -> *mut crate::openssl::stack::OPENSSL_STACK {
        let ssl = arg_ref!(ssl, std::ptr::null_mut());
        let st = ssl.with_inner(|s, _, _| cipher_stack(&s.settings));
        let mut slot = ssl.shared.ciphers_stack.borrow_mut();
        let p: *mut _ = &mut **slot.insert(st);
        p
    }
    /// OpenSSL name (`AES128-SHA`), or `(NONE)` for NULL.
    fn SSL_CIPHER_get_name(c: *const SSL_CIPHER) -> *const c_char {
        arg_ref!(c, c"(NONE)".as_ptr()).name.as_ptr()
    }
    /// IANA name (`TLS_RSA_WITH_AES_128_CBC_SHA`), or `(NONE)`.
    fn SSL_CIPHER_standard_name(c: *const SSL_CIPHER) -> *const c_char {
        arg_ref!(c, c"(NONE)".as_ptr()).standard.as_ptr()
    }
    /// Secret bits; `alg_bits` (if not NULL) gets the algorithm's key size.
    fn SSL_CIPHER_get_bits(c: *const SSL_CIPHER, alg_bits: *mut c_int) -> c_int {
        let c = arg_ref!(c, 0);
        let bits = c_int::from(c.suite.bulk.strength_bits());
        let alg = c_int::from(c.suite.bulk.key_bits());
        if !alg_bits.is_null() {
            // SAFETY: a non-NULL out-parameter points to an int.
            unsafe { *alg_bits = alg };
        }
        bits
    }
    /// The lowest protocol version the suite belongs to (`SSLv3`, `TLSv1.2`, `TLSv1.3`), or `(NONE)`.
    fn SSL_CIPHER_get_version(c: *const SSL_CIPHER) -> *const c_char {
        arg_ref!(c, c"(NONE)".as_ptr()).version.as_ptr()
    }
    /// `0x0300xxxx` with the IANA code point in the low 16 bits.
    fn SSL_CIPHER_get_id(c: *const SSL_CIPHER) -> u32 { 0x0300_0000 | u32::from(u16::from(arg_ref!(c, 0).suite.suite)) }
    /// The IANA code point.
    fn SSL_CIPHER_get_protocol_id(c: *const SSL_CIPHER) -> u16 { u16::from(arg_ref!(c, 0).suite.suite) }
    /// One line in `openssl ciphers -v` format, into `buf` (`len` bytes) or a malloc'd buffer.
    fn SSL_CIPHER_description(c: *const SSL_CIPHER, buf: *mut c_char, len: c_int) -> *mut c_char {
        let c = arg_ref!(c, std::ptr::null_mut());
        let d = c.description.as_bytes();
        if buf.is_null() {
            // SAFETY: malloc'd buffer of d.len() + 1 bytes, filled below (OPENSSL_free frees it).
            let p = unsafe { libc::malloc(d.len() + 1) }.cast::<c_char>();
            if p.is_null() {
                return p;
            }
            // SAFETY: `p` holds d.len() + 1 bytes.
            unsafe { crate::openssl::copy_to_c(d, p, d.len() + 1) };
            return p;
        }
        if len < 128 {
            return std::ptr::null_mut();
        }
        // SAFETY: `buf` holds `len` bytes.
        unsafe { crate::openssl::copy_to_c(d, buf, len as usize) };
        buf
    }
    /// NID of the key exchange, from the suite's metadata: `NID_kx_rsa` (1037), `NID_kx_ecdhe`
    /// (1038); `NID_kx_any` (1063) for a TLS 1.3 suite, which does not fix one.
    fn SSL_CIPHER_get_kx_nid(c: *const SSL_CIPHER) -> c_int {
        match arg_ref!(c, 0).suite.tls12().map(|s| s.kx) {
            Some(KeyExchangeAlgorithm::Rsa) => 1037,
            Some(KeyExchangeAlgorithm::Ecdhe) => 1038,
            None => 1063,
        }
    }
    /// NID of the authentication: `NID_auth_rsa` (1046), `NID_auth_ecdsa` (1047); `NID_auth_any`
    /// (1064) for a TLS 1.3 suite.
    fn SSL_CIPHER_get_auth_nid(c: *const SSL_CIPHER) -> c_int {
        match arg_ref!(c, 0).suite.tls12().map(|s| s.auth) {
            Some(AuthenticationAlgorithm::Rsa) => 1046,
            Some(AuthenticationAlgorithm::Ecdsa) => 1047,
            None => 1064,
        }
    }
    /// Whether the suite is AEAD (its MAC is the AEAD's tag; every TLS 1.3 suite).
    fn SSL_CIPHER_is_aead(c: *const SSL_CIPHER) -> c_int {
        c_int::from(arg_ref!(c, 0).suite.tls12().is_none_or(|s| s.mac == MacAlgorithm::Aead))
    }
}
