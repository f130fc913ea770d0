//! The per-thread error queue (`ERR_*`), with OpenSSL 3's packed codes and strings.
//!
//! A code is `lib << 23 | reason` (`ERR_PACK`); the strings come out as
//! `error:0A000086:SSL routines::certificate verify failed`. Only the reasons this layer emits
//! have strings; others print as `reason(N)`, as OpenSSL does for codes it does not know.
//! Like OpenSSL the queue holds at most 16 entries (the oldest is dropped).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::CString;

/// `ERR_LIB_SYS`.
pub const LIB_SYS: u32 = 2;
/// `ERR_LIB_EVP`.
pub const LIB_EVP: u32 = 6;
/// `ERR_LIB_PEM`.
pub const LIB_PEM: u32 = 9;
/// `ERR_LIB_X509`.
pub const LIB_X509: u32 = 11;
/// `ERR_LIB_CRYPTO` ("common libcrypto routines").
pub const LIB_CRYPTO: u32 = 15;
/// `ERR_LIB_PROV` ("Provider routines"): where OpenSSL 3 reports a failed decryption.
pub const LIB_PROV: u32 = 57;
/// `ERR_LIB_SSL`.
pub const LIB_SSL: u32 = 20;
/// `ERR_LIB_BIO`.
pub const LIB_BIO: u32 = 32;

/// `ERR_SYSTEM_FLAG`: system errors carry errno in the low bits.
pub const SYSTEM_FLAG: u32 = 0x8000_0000;
/// `ERR_RFLAG_COMMON | ERR_RFLAG_FATAL`.
pub const R_FATAL: u32 = (1 << 18) | (2 << 18);

/// SSL reason codes (`SSL_R_*`, OpenSSL 3.0 sslerr.h) that this layer emits.
pub mod ssl_r {
    #![allow(missing_docs)]
    pub const BAD_PACKET: u32 = 240;
    pub const BAD_VALUE: u32 = 384;
    pub const CERTIFICATE_VERIFY_FAILED: u32 = 134;
    pub const CONNECTION_TYPE_NOT_SET: u32 = 144;
    pub const DECRYPTION_FAILED_OR_BAD_RECORD_MAC: u32 = 281;
    pub const DIGEST_CHECK_FAILED: u32 = 149;
    pub const DH_KEY_TOO_SMALL: u32 = 394;
    pub const ENCRYPTED_LENGTH_TOO_LONG: u32 = 150;
    pub const INAPPROPRIATE_FALLBACK: u32 = 373;
    pub const INVALID_COMMAND: u32 = 280;
    pub const LENGTH_MISMATCH: u32 = 159;
    pub const NO_APPLICATION_PROTOCOL: u32 = 235;
    pub const NO_CERTIFICATE_ASSIGNED: u32 = 177;
    pub const NO_CIPHER_MATCH: u32 = 185;
    pub const NO_CIPHERS_AVAILABLE: u32 = 181;
    pub const NO_PRIVATE_KEY_ASSIGNED: u32 = 190;
    pub const NO_PROTOCOLS_AVAILABLE: u32 = 191;
    pub const NO_SHARED_CIPHER: u32 = 193;
    pub const PEER_DID_NOT_RETURN_A_CERTIFICATE: u32 = 199;
    pub const PROTOCOL_IS_SHUTDOWN: u32 = 207;
    pub const SESSION_ID_CONTEXT_UNINITIALIZED: u32 = 277;
    pub const SHUTDOWN_WHILE_IN_INIT: u32 = 407;
    pub const TLS_ILLEGAL_EXPORTER_LABEL: u32 = 367;
    pub const UNEXPECTED_EOF_WHILE_READING: u32 = 294;
    pub const UNEXPECTED_MESSAGE: u32 = 244;
    pub const UNINITIALIZED: u32 = 276;
    pub const UNKNOWN_CMD_NAME: u32 = 386;
    pub const UNSAFE_LEGACY_RENEGOTIATION_DISABLED: u32 = 338;
    pub const UNSUPPORTED_PROTOCOL: u32 = 258;
    pub const WRONG_VERSION_NUMBER: u32 = 267;
    pub const X509_LIB: u32 = 268;
    /// `SSL_AD_REASON_OFFSET`: a received alert `a` is reason `1000 + a`.
    pub const ALERT_OFFSET: u32 = 1000;
}

/// Reasons of the other libraries this layer emits.
pub mod other_r {
    #![allow(missing_docs)]
    /// `PEM_R_NO_START_LINE`.
    pub const PEM_NO_START_LINE: u32 = 108;
    /// `PEM_R_BAD_PASSWORD_READ`.
    pub const PEM_BAD_PASSWORD_READ: u32 = 104;
    /// `PROV_R_BAD_DECRYPT`.
    pub const PROV_BAD_DECRYPT: u32 = 100;
    /// `ERR_R_INTERRUPTED_OR_CANCELLED`.
    pub const INTERRUPTED_OR_CANCELLED: u32 = 265 | (2 << 18);
    /// `PEM_R_BAD_DECRYPT`.
    pub const PEM_BAD_DECRYPT: u32 = 101;
    /// `X509_R_KEY_VALUES_MISMATCH`.
    pub const X509_KEY_VALUES_MISMATCH: u32 = 116;
    /// `ERR_R_SYS_LIB`.
    pub const SYS_LIB: u32 = 2 | (2 << 18);
    /// `ERR_R_PEM_LIB`.
    pub const PEM_LIB: u32 = 9 | (2 << 18);
    /// `ERR_R_INTERNAL_ERROR`.
    pub const INTERNAL_ERROR: u32 = 259 | super::R_FATAL;
    /// `ERR_R_PASSED_NULL_PARAMETER`.
    pub const PASSED_NULL_PARAMETER: u32 = 258 | super::R_FATAL;
    /// `ERR_R_PASSED_INVALID_ARGUMENT`.
    pub const PASSED_INVALID_ARGUMENT: u32 = 262 | (2 << 18);
    /// `ERR_R_UNSUPPORTED` (used for features that wait for another part of ferrotls).
    pub const UNSUPPORTED: u32 = 268 | (2 << 18);
    /// `BIO_R_CONNECT_ERROR`.
    pub const BIO_CONNECT_ERROR: u32 = 103;
    /// `BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED`.
    pub const BIO_NO_HOSTNAME: u32 = 136;
    /// `BIO_R_UNSUPPORTED_METHOD`.
    pub const BIO_UNSUPPORTED_METHOD: u32 = 121;
    /// `X509_R_CERT_ALREADY_IN_HASH_TABLE`.
    pub const X509_CERT_ALREADY_IN_HASH_TABLE: u32 = 101;
}

/// One queued error.
#[derive(Clone, Debug)]
pub struct ErrEntry {
    /// The packed code.
    pub code: u32,
    /// The function that raised it.
    pub func: &'static str,
    /// Source file and line.
    pub file: &'static str,
    /// Line in `file`.
    pub line: u32,
    /// Detail text (`ERR_TXT_STRING` data), NUL-terminated for C.
    pub data: Option<CString>,
}

const MAX_ENTRIES: usize = 16;

thread_local! {
    static QUEUE: RefCell<VecDeque<ErrEntry>> = const { RefCell::new(VecDeque::new()) };
}

/// `ERR_PACK(lib, 0, reason)`.
pub fn pack(lib: u32, reason: u32) -> u32 {
    ((lib & 0xff) << 23) | (reason & 0x7f_ffff)
}

/// Queues an error for the calling thread.
pub fn push_at(
    lib: u32,
    reason: u32,
    func: &'static str,
    file: &'static str,
    line: u32,
    data: Option<String>,
) {
    let entry = ErrEntry {
        code: pack(lib, reason),
        func,
        file,
        line,
        data: data.and_then(|d| CString::new(d.replace('\0', " ")).ok()),
    };
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        if q.len() == MAX_ENTRIES {
            q.pop_front();
        }
        q.push_back(entry);
    });
}

/// Queues an error with the caller's file and line: `raise!(LIB_SSL, reason, "func")` or with
/// detail text as a fourth argument.
macro_rules! raise {
    ($lib:expr, $reason:expr, $func:expr) => {
        $crate::openssl::err::push_at($lib, $reason, $func, file!(), line!(), None)
    };
    ($lib:expr, $reason:expr, $func:expr, $data:expr) => {
        $crate::openssl::err::push_at($lib, $reason, $func, file!(), line!(), Some($data.to_string()))
    };
}
pub(crate) use raise;

/// Queues a system error (`ERR_SYSTEM_FLAG | errno`, library "system library").
pub fn push_system(errno: i32, func: &'static str, data: String) {
    push_at(LIB_SYS, 0, func, file!(), line!(), Some(data));
    QUEUE.with(|q| {
        if let Some(e) = q.borrow_mut().back_mut() {
            e.code = SYSTEM_FLAG | (errno as u32 & 0x7fff_ffff);
        }
    });
}

/// Removes and returns the oldest entry.
pub fn get() -> Option<ErrEntry> {
    QUEUE.with(|q| q.borrow_mut().pop_front())
}

/// The oldest entry, left in place.
pub fn peek() -> Option<ErrEntry> {
    QUEUE.with(|q| q.borrow().front().cloned())
}

/// The newest entry, left in place.
pub fn peek_last() -> Option<ErrEntry> {
    QUEUE.with(|q| q.borrow().back().cloned())
}

/// The oldest code, or 0.
pub fn peek_code() -> u32 {
    QUEUE.with(|q| q.borrow().front().map_or(0, |e| e.code))
}

/// Empties the queue.
pub fn clear() {
    QUEUE.with(|q| q.borrow_mut().clear());
}

/// `ERR_GET_LIB`.
pub fn lib_of(code: u32) -> u32 {
    if code & SYSTEM_FLAG != 0 {
        LIB_SYS
    } else {
        (code >> 23) & 0xff
    }
}

/// `ERR_GET_REASON`.
pub fn reason_of(code: u32) -> u32 {
    if code & SYSTEM_FLAG != 0 {
        code & !SYSTEM_FLAG
    } else {
        code & 0x7f_ffff
    }
}

/// `ERR_lib_error_string`.
pub fn lib_string(code: u32) -> Option<&'static str> {
    Some(match lib_of(code) {
        1 => "unknown library",
        LIB_SYS => "system library",
        3 => "bignum routines",
        4 => "rsa routines",
        LIB_EVP => "digital envelope routines",
        7 => "memory buffer routines",
        8 => "object identifier routines",
        LIB_PEM => "PEM routines",
        LIB_X509 => "x509 certificate routines",
        13 => "asn1 encoding routines",
        14 => "configuration file routines",
        LIB_CRYPTO => "common libcrypto routines",
        LIB_SSL => "SSL routines",
        LIB_BIO => "BIO routines",
        LIB_PROV => "Provider routines",
        _ => return None,
    })
}

/// `ERR_reason_error_string` for the reasons this layer knows.
pub fn reason_string(code: u32) -> Option<String> {
    let lib = lib_of(code);
    let reason = reason_of(code);
    if lib == LIB_SYS {
        return Some(
            std::io::Error::from_raw_os_error(reason as i32)
                .to_string()
                .split(" (os error")
                .next()?
                .to_string(),
        );
    }
    // Common reasons (ERR_RFLAG_COMMON) are shared by every library.
    if reason & (2 << 18) != 0 {
        return Some(
            match reason & 0xfff {
                2 => "system lib",
                9 => "PEM lib",
                11 => "X509 lib",
                256 => "malloc failure",
                257 => "called a function you should not call",
                258 => "passed a null parameter",
                259 => "internal error",
                262 => "passed invalid argument",
                265 => "interrupted or cancelled",
                268 => "unsupported",
                _ => return None,
            }
            .into(),
        );
    }
    let s = match (lib, reason) {
        (LIB_SSL, r) if (1000..1200).contains(&r) => return alert_reason(r - 1000).map(str::to_string),
        (LIB_SSL, r) => match r {
            ssl_r::BAD_PACKET => "bad packet",
            ssl_r::BAD_VALUE => "bad value",
            ssl_r::CERTIFICATE_VERIFY_FAILED => "certificate verify failed",
            ssl_r::CONNECTION_TYPE_NOT_SET => "connection type not set",
            ssl_r::DECRYPTION_FAILED_OR_BAD_RECORD_MAC => "decryption failed or bad record mac",
            ssl_r::DIGEST_CHECK_FAILED => "digest check failed",
            ssl_r::DH_KEY_TOO_SMALL => "dh key too small",
            ssl_r::ENCRYPTED_LENGTH_TOO_LONG => "encrypted length too long",
            ssl_r::INAPPROPRIATE_FALLBACK => "inappropriate fallback",
            ssl_r::INVALID_COMMAND => "invalid command",
            ssl_r::LENGTH_MISMATCH => "length mismatch",
            ssl_r::NO_APPLICATION_PROTOCOL => "no application protocol",
            ssl_r::NO_CERTIFICATE_ASSIGNED => "no certificate assigned",
            ssl_r::NO_CIPHER_MATCH => "no cipher match",
            ssl_r::NO_CIPHERS_AVAILABLE => "no ciphers available",
            ssl_r::NO_PRIVATE_KEY_ASSIGNED => "no private key assigned",
            ssl_r::NO_PROTOCOLS_AVAILABLE => "no protocols available",
            ssl_r::NO_SHARED_CIPHER => "no shared cipher",
            ssl_r::PEER_DID_NOT_RETURN_A_CERTIFICATE => "peer did not return a certificate",
            ssl_r::PROTOCOL_IS_SHUTDOWN => "protocol is shutdown",
            ssl_r::SESSION_ID_CONTEXT_UNINITIALIZED => "session id context uninitialized",
            ssl_r::SHUTDOWN_WHILE_IN_INIT => "shutdown while in init",
            ssl_r::TLS_ILLEGAL_EXPORTER_LABEL => "tls illegal exporter label",
            ssl_r::UNEXPECTED_EOF_WHILE_READING => "unexpected eof while reading",
            ssl_r::UNEXPECTED_MESSAGE => "unexpected message",
            ssl_r::UNINITIALIZED => "uninitialized",
            ssl_r::UNKNOWN_CMD_NAME => "unknown cmd name",
            ssl_r::UNSAFE_LEGACY_RENEGOTIATION_DISABLED => "unsafe legacy renegotiation disabled",
            ssl_r::UNSUPPORTED_PROTOCOL => "unsupported protocol",
            ssl_r::WRONG_VERSION_NUMBER => "wrong version number",
            ssl_r::X509_LIB => "x509 lib",
            r => return super::ssl::tls13::reason::text(r).map(str::to_string),
        },
        (LIB_PEM, other_r::PEM_NO_START_LINE) => "no start line",
        (LIB_PEM, other_r::PEM_BAD_DECRYPT) => "bad decrypt",
        (LIB_PEM, other_r::PEM_BAD_PASSWORD_READ) => "bad password read",
        (LIB_PROV, other_r::PROV_BAD_DECRYPT) => "bad decrypt",
        (LIB_X509, other_r::X509_KEY_VALUES_MISMATCH) => "key values mismatch",
        (LIB_X509, other_r::X509_CERT_ALREADY_IN_HASH_TABLE) => "cert already in hash table",
        (LIB_BIO, other_r::BIO_CONNECT_ERROR) => "connect error",
        (LIB_BIO, other_r::BIO_NO_HOSTNAME) => "no hostname or service specified",
        (LIB_BIO, other_r::BIO_UNSUPPORTED_METHOD) => "unsupported method",
        (LIB_BIO, r) => return super::addr::reason_text(r).map(str::to_string),
        _ => return None,
    };
    Some(s.into())
}

/// OpenSSL's reason text for a received alert (`SSL_R_SSLV3_ALERT_*`, `SSL_R_TLSV1_ALERT_*`).
pub fn alert_reason(alert: u32) -> Option<&'static str> {
    Some(match alert {
        10 => "sslv3 alert unexpected message",
        20 => "sslv3 alert bad record mac",
        21 => "tlsv1 alert decryption failed",
        22 => "tlsv1 alert record overflow",
        30 => "sslv3 alert decompression failure",
        40 => "sslv3 alert handshake failure",
        41 => "sslv3 alert no certificate",
        42 => "sslv3 alert bad certificate",
        43 => "sslv3 alert unsupported certificate",
        44 => "sslv3 alert certificate revoked",
        45 => "sslv3 alert certificate expired",
        46 => "sslv3 alert certificate unknown",
        47 => "sslv3 alert illegal parameter",
        48 => "tlsv1 alert unknown ca",
        49 => "tlsv1 alert access denied",
        50 => "tlsv1 alert decode error",
        51 => "tlsv1 alert decrypt error",
        60 => "tlsv1 alert export restriction",
        70 => "tlsv1 alert protocol version",
        71 => "tlsv1 alert insufficient security",
        80 => "tlsv1 alert internal error",
        86 => "tlsv1 alert inappropriate fallback",
        90 => "tlsv1 alert user cancelled",
        100 => "tlsv1 alert no renegotiation",
        110 => "tlsv1 unsupported extension",
        111 => "tlsv1 certificate unobtainable",
        112 => "tlsv1 unrecognized name",
        113 => "tlsv1 bad certificate status response",
        114 => "tlsv1 bad certificate hash value",
        115 => "tlsv1 alert unknown psk identity",
        116 => "tlsv13 alert certificate required",
        120 => "tlsv1 alert no application protocol",
        _ => return None,
    })
}

/// `ERR_error_string_n`'s text: `error:%08X:<lib>:<func>:<reason>`, with OpenSSL 3's empty
/// function field and `lib(N)` / `reason(N)` for unknown parts.
pub fn error_string(code: u32) -> String {
    error_string_with_func(code, "")
}

/// As [`error_string`], naming the function (the form `ERR_print_errors` uses).
pub fn error_string_with_func(code: u32, func: &str) -> String {
    let lib = lib_string(code).map_or_else(|| format!("lib({})", lib_of(code)), str::to_string);
    let reason = reason_string(code).unwrap_or_else(|| format!("reason({})", reason_of(code)));
    format!("error:{code:08X}:{lib}:{func}:{reason}")
}

/// The lines `ERR_print_errors` writes, emptying the queue:
/// `<thread id>:error:<code>:<lib>:<func>:<reason>:<file>:<line>:<data>`.
pub fn drain_print_lines() -> Vec<String> {
    // OpenSSL prints the bytes of CRYPTO_THREAD_ID (pthread_t) in hex.
    // SAFETY: pthread_self has no preconditions.
    let tid = unsafe { libc::pthread_self() } as u64;
    let hex: String = tid.to_ne_bytes().iter().map(|b| format!("{b:02X}")).collect();
    let mut lines = Vec::new();
    while let Some(e) = get() {
        let data = e.data.as_ref().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        lines.push(format!(
            "{hex}:{}:{}:{}:{data}\n",
            error_string_with_func(e.code, e.func),
            e.file,
            e.line
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_strings_have_openssl_3_shape() {
        assert_eq!(pack(LIB_SSL, ssl_r::CERTIFICATE_VERIFY_FAILED), 0x0A00_0086);
        assert_eq!(error_string(0x0A00_0086), "error:0A000086:SSL routines::certificate verify failed");
        assert_eq!(error_string(0x0A00_0410), "error:0A000410:SSL routines::sslv3 alert handshake failure");
        assert_eq!(error_string(pack(LIB_PEM, 108)), "error:0480006C:PEM routines::no start line");
        assert_eq!(error_string(0x0A0C_0103), "error:0A0C0103:SSL routines::internal error");
        assert_eq!(error_string(pack(LIB_SSL, 9999)), "error:0A00270F:SSL routines::reason(9999)");
    }

    #[test]
    fn queue_is_per_thread_fifo_and_bounded() {
        clear();
        for r in 0..20 {
            push_at(LIB_SSL, r, "f", "x.rs", 1, None);
        }
        assert_eq!(peek().unwrap().code, pack(LIB_SSL, 4));
        assert_eq!(peek_last().unwrap().code, pack(LIB_SSL, 19));
        std::thread::spawn(|| assert!(peek().is_none())).join().unwrap();
        assert_eq!(get().unwrap().code, pack(LIB_SSL, 4));
        clear();
        assert_eq!(peek_code(), 0);
    }
}
