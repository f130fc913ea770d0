//! `ferrotls_result`: one code per outcome, grouped by class in thousands so that a caller can
//! switch on `ferrotls_result_class(code)` and still log the precise code. The numbers are
//! stable: new codes are added, existing ones never change meaning.

use crate::error::{CertificateError, Error};
use crate::x509::PemError;
use libc::c_char;
use std::cell::RefCell;
use std::ffi::{CStr, CString};

/// The outcome of a ferrotls C API call.
///
/// Classes (`code / 1000 * 1000`, see `ferrotls_result_class`): 0 success, 1000 I/O,
/// 2000 would block, 3000 closed, 4000 alert received, 5000 protocol, 6000 certificate,
/// 7000 usage, 8000 internal. Every failure also leaves a message with detail in the
/// handle's last error (`ferrotls_conn_last_error`, `..._builder_last_error`) and in the
/// calling thread's `ferrotls_last_error()`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ferrotls_result {
    /// Success.
    FERROTLS_OK = 0,
    /// The transport (file descriptor or callback) failed; the message names errno.
    FERROTLS_IO = 1000,
    /// A file (certificate, key, CA bundle) could not be read.
    FERROTLS_IO_FILE = 1001,
    /// The transport accepted zero bytes.
    FERROTLS_IO_WRITE_ZERO = 1002,
    /// Non-blocking transport: call again when the descriptor is readable.
    FERROTLS_WANT_READ = 2000,
    /// Non-blocking transport: call again when the descriptor is writable.
    FERROTLS_WANT_WRITE = 2001,
    /// The peer sent close_notify: no more data will come (a clean end).
    FERROTLS_CLOSED = 3000,
    /// The transport ended without the peer's close_notify: data may have been cut short.
    FERROTLS_TRUNCATED = 3001,
    /// The peer sent a fatal alert; the message names it.
    FERROTLS_ALERT_RECEIVED = 4000,
    /// A protocol failure not covered by a more precise code.
    FERROTLS_PROTOCOL = 5000,
    /// The peer sent a message that could not be decoded (decode_error sent).
    FERROTLS_DECODE_ERROR = 5001,
    /// The peer broke a protocol rule; the message says which.
    FERROTLS_PEER_MISBEHAVED = 5002,
    /// No common version, suite or extension with the peer; the message says which.
    FERROTLS_PEER_INCOMPATIBLE = 5003,
    /// A record failed authentication (bad_record_mac sent).
    FERROTLS_BAD_RECORD_MAC = 5004,
    /// A record was larger than the protocol allows (record_overflow sent).
    FERROTLS_RECORD_OVERFLOW = 5005,
    /// A certificate was rejected for a reason without its own code (the message says why).
    FERROTLS_CERT_OTHER = 6000,
    /// Not valid DER, or not an X.509 certificate.
    FERROTLS_CERT_BAD_ENCODING = 6001,
    /// The certificate's notAfter is in the past.
    FERROTLS_CERT_EXPIRED = 6002,
    /// The certificate's notBefore is in the future.
    FERROTLS_CERT_NOT_VALID_YET = 6003,
    /// No path to a trusted CA.
    FERROTLS_CERT_UNKNOWN_ISSUER = 6004,
    /// An issuer's signature does not verify.
    FERROTLS_CERT_BAD_SIGNATURE = 6005,
    /// The signature algorithm is not accepted (SHA-1 outside the legacy profile, MD5 ever).
    FERROTLS_CERT_UNSUPPORTED_SIGNATURE_ALGORITHM = 6006,
    /// The certificate is not valid for the server name asked for.
    FERROTLS_CERT_NOT_VALID_FOR_NAME = 6007,
    /// The certificate may not be used for this purpose (key usage, EKU, CA as leaf).
    FERROTLS_CERT_INVALID_PURPOSE = 6008,
    /// A CA in the chain may not issue certificates.
    FERROTLS_CERT_NOT_ALLOWED_TO_SIGN = 6009,
    /// The chain is longer than allowed.
    FERROTLS_CERT_CHAIN_TOO_LONG = 6010,
    /// The certificate has been revoked.
    FERROTLS_CERT_REVOKED = 6011,
    /// An unrecognised critical extension.
    FERROTLS_CERT_UNHANDLED_CRITICAL_EXTENSION = 6012,
    /// The peer sent no certificate.
    FERROTLS_CERT_NO_CERTIFICATE = 6013,
    /// The end-entity certificate is self-signed and not itself trusted (OpenSSL's
    /// `X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT`; unknown_ca is sent).
    FERROTLS_CERT_SELF_SIGNED_LEAF = 6014,
    /// Loading: the input holds no certificate.
    FERROTLS_PEM_NO_CERTIFICATES = 6100,
    /// Loading: the input holds no private key.
    FERROTLS_PEM_NO_PRIVATE_KEY = 6101,
    /// Loading: the private key is encrypted: use `ferrotls_private_key_from_pem_with_password`.
    FERROTLS_PEM_ENCRYPTED_KEY = 6102,
    /// Loading: a PEM block is malformed.
    FERROTLS_PEM_MALFORMED = 6103,
    /// Loading: the encrypted private key could not be decrypted (wrong password, or an
    /// unsupported or damaged encryption).
    FERROTLS_PEM_DECRYPT_FAILED = 6104,
    /// An API misuse without a more precise code.
    FERROTLS_USAGE = 7000,
    /// A pointer argument that must not be NULL was NULL (the message names it).
    FERROTLS_NULL_ARGUMENT = 7001,
    /// An argument is out of range or malformed (bad version number, non-UTF-8 string, length
    /// above `SSIZE_MAX`, unusable server name).
    FERROTLS_INVALID_ARGUMENT = 7002,
    /// The call is not allowed in the connection's current state (e.g. write after close_notify).
    FERROTLS_BAD_STATE = 7003,
    /// The configuration is refused; the message says why (e.g. TLS 1.0 without the legacy
    /// profile, no trust anchors).
    FERROTLS_BAD_CONFIG = 7004,
    /// A transport call (`ferrotls_conn_handshake`, `_read`, `_write`, ...) on a connection
    /// with neither a file descriptor nor callbacks.
    FERROTLS_NO_TRANSPORT = 7005,
    /// A bug in ferrotls (please report it with the message).
    FERROTLS_INTERNAL = 8000,
    /// ferrotls panicked; the panic was caught at the API boundary. The handle involved should
    /// be freed and not used further.
    FERROTLS_PANIC = 8001,
}

use ferrotls_result as R;

impl ferrotls_result {
    /// Every code, for `ferrotls_result_str` on integers from C.
    pub(crate) const ALL: &'static [ferrotls_result] = &[
        R::FERROTLS_OK,
        R::FERROTLS_IO,
        R::FERROTLS_IO_FILE,
        R::FERROTLS_IO_WRITE_ZERO,
        R::FERROTLS_WANT_READ,
        R::FERROTLS_WANT_WRITE,
        R::FERROTLS_CLOSED,
        R::FERROTLS_TRUNCATED,
        R::FERROTLS_ALERT_RECEIVED,
        R::FERROTLS_PROTOCOL,
        R::FERROTLS_DECODE_ERROR,
        R::FERROTLS_PEER_MISBEHAVED,
        R::FERROTLS_PEER_INCOMPATIBLE,
        R::FERROTLS_BAD_RECORD_MAC,
        R::FERROTLS_RECORD_OVERFLOW,
        R::FERROTLS_CERT_OTHER,
        R::FERROTLS_CERT_BAD_ENCODING,
        R::FERROTLS_CERT_EXPIRED,
        R::FERROTLS_CERT_NOT_VALID_YET,
        R::FERROTLS_CERT_UNKNOWN_ISSUER,
        R::FERROTLS_CERT_BAD_SIGNATURE,
        R::FERROTLS_CERT_UNSUPPORTED_SIGNATURE_ALGORITHM,
        R::FERROTLS_CERT_NOT_VALID_FOR_NAME,
        R::FERROTLS_CERT_INVALID_PURPOSE,
        R::FERROTLS_CERT_NOT_ALLOWED_TO_SIGN,
        R::FERROTLS_CERT_CHAIN_TOO_LONG,
        R::FERROTLS_CERT_REVOKED,
        R::FERROTLS_CERT_UNHANDLED_CRITICAL_EXTENSION,
        R::FERROTLS_CERT_NO_CERTIFICATE,
        R::FERROTLS_CERT_SELF_SIGNED_LEAF,
        R::FERROTLS_PEM_NO_CERTIFICATES,
        R::FERROTLS_PEM_NO_PRIVATE_KEY,
        R::FERROTLS_PEM_ENCRYPTED_KEY,
        R::FERROTLS_PEM_MALFORMED,
        R::FERROTLS_PEM_DECRYPT_FAILED,
        R::FERROTLS_USAGE,
        R::FERROTLS_NULL_ARGUMENT,
        R::FERROTLS_INVALID_ARGUMENT,
        R::FERROTLS_BAD_STATE,
        R::FERROTLS_BAD_CONFIG,
        R::FERROTLS_NO_TRANSPORT,
        R::FERROTLS_INTERNAL,
        R::FERROTLS_PANIC,
    ];

    /// A short description, NUL-terminated, with static lifetime.
    pub(crate) fn description(self) -> &'static CStr {
        match self {
            R::FERROTLS_OK => c"success",
            R::FERROTLS_IO => c"I/O error on the transport",
            R::FERROTLS_IO_FILE => c"cannot read file",
            R::FERROTLS_IO_WRITE_ZERO => c"the transport accepted no bytes",
            R::FERROTLS_WANT_READ => c"would block: wait until readable",
            R::FERROTLS_WANT_WRITE => c"would block: wait until writable",
            R::FERROTLS_CLOSED => c"the peer closed the connection (close_notify)",
            R::FERROTLS_TRUNCATED => c"connection truncated: transport closed without close_notify",
            R::FERROTLS_ALERT_RECEIVED => c"received a fatal alert",
            R::FERROTLS_PROTOCOL => c"protocol error",
            R::FERROTLS_DECODE_ERROR => c"received an undecodable message",
            R::FERROTLS_PEER_MISBEHAVED => c"the peer broke a protocol rule",
            R::FERROTLS_PEER_INCOMPATIBLE => c"no common ground with the peer",
            R::FERROTLS_BAD_RECORD_MAC => c"a record failed authentication (bad_record_mac)",
            R::FERROTLS_RECORD_OVERFLOW => c"received a record larger than the protocol allows",
            R::FERROTLS_CERT_OTHER => c"certificate rejected",
            R::FERROTLS_CERT_BAD_ENCODING => c"certificate is not valid DER",
            R::FERROTLS_CERT_EXPIRED => c"certificate has expired",
            R::FERROTLS_CERT_NOT_VALID_YET => c"certificate is not yet valid",
            R::FERROTLS_CERT_UNKNOWN_ISSUER => c"unknown issuer: no path to a trusted CA",
            R::FERROTLS_CERT_BAD_SIGNATURE => c"certificate signature does not verify",
            R::FERROTLS_CERT_UNSUPPORTED_SIGNATURE_ALGORITHM => {
                c"certificate signature algorithm not accepted"
            }
            R::FERROTLS_CERT_NOT_VALID_FOR_NAME => c"certificate is not valid for the server name",
            R::FERROTLS_CERT_INVALID_PURPOSE => c"certificate not valid for this purpose",
            R::FERROTLS_CERT_NOT_ALLOWED_TO_SIGN => c"issuer is not allowed to sign certificates",
            R::FERROTLS_CERT_CHAIN_TOO_LONG => c"certificate chain too long",
            R::FERROTLS_CERT_REVOKED => c"certificate has been revoked",
            R::FERROTLS_CERT_UNHANDLED_CRITICAL_EXTENSION => c"unhandled critical extension",
            R::FERROTLS_CERT_NO_CERTIFICATE => c"no certificate presented",
            R::FERROTLS_CERT_SELF_SIGNED_LEAF => c"self-signed certificate that is not trusted",
            R::FERROTLS_PEM_NO_CERTIFICATES => c"no certificates found",
            R::FERROTLS_PEM_NO_PRIVATE_KEY => c"no private key found",
            R::FERROTLS_PEM_ENCRYPTED_KEY => c"the private key is encrypted (a password is needed)",
            R::FERROTLS_PEM_MALFORMED => c"malformed PEM block",
            R::FERROTLS_PEM_DECRYPT_FAILED => c"cannot decrypt the private key (wrong password?)",
            R::FERROTLS_USAGE => c"API misuse",
            R::FERROTLS_NULL_ARGUMENT => c"a required pointer argument is NULL",
            R::FERROTLS_INVALID_ARGUMENT => c"invalid argument",
            R::FERROTLS_BAD_STATE => c"not allowed in the current state",
            R::FERROTLS_BAD_CONFIG => c"configuration error",
            R::FERROTLS_NO_TRANSPORT => c"no transport: set a file descriptor or callbacks first",
            R::FERROTLS_INTERNAL => c"internal error",
            R::FERROTLS_PANIC => c"internal error: panic caught at the API boundary",
        }
    }

    /// The code for a core error.
    pub(crate) fn from_error(e: &Error) -> Self {
        match e {
            Error::InvalidMessage(_) => R::FERROTLS_DECODE_ERROR,
            Error::PeerMisbehaved(_) => R::FERROTLS_PEER_MISBEHAVED,
            Error::PeerIncompatible(_) => R::FERROTLS_PEER_INCOMPATIBLE,
            Error::InvalidCertificate(c) => Self::from_certificate_error(c),
            Error::AlertReceived(_) => R::FERROTLS_ALERT_RECEIVED,
            Error::DecryptError => R::FERROTLS_BAD_RECORD_MAC,
            Error::RecordOverflow => R::FERROTLS_RECORD_OVERFLOW,
            Error::Truncated => R::FERROTLS_TRUNCATED,
            Error::FailedToGetRandomBytes => R::FERROTLS_INTERNAL,
            Error::Config(_) | Error::Policy(_) => R::FERROTLS_BAD_CONFIG,
            Error::Usage(_) => R::FERROTLS_BAD_STATE,
            Error::Internal(_) => R::FERROTLS_INTERNAL,
        }
    }

    /// The code for a certificate rejection: one per `CertificateError` variant.
    pub(crate) fn from_certificate_error(c: &CertificateError) -> Self {
        match c {
            CertificateError::BadEncoding => R::FERROTLS_CERT_BAD_ENCODING,
            CertificateError::Expired => R::FERROTLS_CERT_EXPIRED,
            CertificateError::NotValidYet => R::FERROTLS_CERT_NOT_VALID_YET,
            CertificateError::UnknownIssuer => R::FERROTLS_CERT_UNKNOWN_ISSUER,
            CertificateError::BadSignature => R::FERROTLS_CERT_BAD_SIGNATURE,
            CertificateError::UnsupportedSignatureAlgorithm => {
                R::FERROTLS_CERT_UNSUPPORTED_SIGNATURE_ALGORITHM
            }
            CertificateError::NotValidForName(_) => R::FERROTLS_CERT_NOT_VALID_FOR_NAME,
            CertificateError::InvalidPurpose | CertificateError::CaUsedAsEndEntity => {
                R::FERROTLS_CERT_INVALID_PURPOSE
            }
            CertificateError::NotAllowedToSign => R::FERROTLS_CERT_NOT_ALLOWED_TO_SIGN,
            CertificateError::ChainTooLong => R::FERROTLS_CERT_CHAIN_TOO_LONG,
            CertificateError::Revoked => R::FERROTLS_CERT_REVOKED,
            CertificateError::UnhandledCriticalExtension => R::FERROTLS_CERT_UNHANDLED_CRITICAL_EXTENSION,
            CertificateError::NoCertificate => R::FERROTLS_CERT_NO_CERTIFICATE,
            CertificateError::SelfSignedLeaf => R::FERROTLS_CERT_SELF_SIGNED_LEAF,
            _ => R::FERROTLS_CERT_OTHER,
        }
    }

    /// The code for a PEM/DER loading failure.
    pub(crate) fn from_pem_error(e: &PemError) -> Self {
        match e {
            PemError::NoCertificates => R::FERROTLS_PEM_NO_CERTIFICATES,
            PemError::NoPrivateKey => R::FERROTLS_PEM_NO_PRIVATE_KEY,
            PemError::EncryptedKey => R::FERROTLS_PEM_ENCRYPTED_KEY,
            PemError::Decrypt(_) => R::FERROTLS_PEM_DECRYPT_FAILED,
            _ => R::FERROTLS_PEM_MALFORMED,
        }
    }
}

/// A code with its detail message: what every fallible internal helper returns.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: ferrotls_result,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(code: ferrotls_result, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = ferrotls_result::from_error(&e);
        let message = match e.alert() {
            Some(a) if !matches!(e, Error::Config(_) | Error::Usage(_)) => {
                format!("{e} (sent alert {})", a.name())
            }
            _ => e.to_string(),
        };
        Self { code, message }
    }
}

impl From<PemError> for Failure {
    fn from(e: PemError) -> Self {
        Self::new(ferrotls_result::from_pem_error(&e), e.to_string())
    }
}

impl From<CertificateError> for Failure {
    fn from(e: CertificateError) -> Self {
        Self::new(ferrotls_result::from_certificate_error(&e), e.to_string())
    }
}

/// A NUL-terminated message owned by a handle (or a thread), handed to C as `const char *`.
#[derive(Debug, Default)]
pub(crate) struct LastError(CString);

impl LastError {
    pub(crate) fn set(&mut self, message: &str) {
        self.0 = to_cstring(message);
    }

    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.0.as_ptr()
    }
}

thread_local! {
    static THREAD_LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
}

/// Records `message` as the calling thread's last error.
pub(crate) fn set_thread_error(message: &str) {
    THREAD_LAST_ERROR.with(|e| e.borrow_mut().set(message));
}

/// The calling thread's last error; valid until the thread's next failing ferrotls call.
pub(crate) fn thread_error_ptr() -> *const c_char {
    // The CString's buffer does not move when the RefCell borrow ends; it is replaced only by
    // the next `set_thread_error` on this thread, which the documentation warns about.
    THREAD_LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Reports `f` in the thread's last error (and `slot`, the handle's, if given) and returns its code.
pub(crate) fn report(f: Failure, slot: Option<&mut LastError>) -> ferrotls_result {
    let message = format!("{}: {}", f.code.description().to_string_lossy(), f.message);
    let message =
        if f.message.is_empty() { f.code.description().to_string_lossy().into_owned() } else { message };
    set_thread_error(&message);
    if let Some(slot) = slot {
        slot.set(&message);
    }
    f.code
}

/// A C string for `s`; an interior NUL (possible in a hostile certificate's fields) becomes `\0`
/// spelled out, so the text is never silently cut.
pub(crate) fn to_cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

/// A static, NUL-terminated description of `code` (any integer: unknown codes get
/// "unknown result code"). Never NULL; never free it.
#[no_mangle]
pub extern "C" fn ferrotls_result_str(code: u32) -> *const c_char {
    ffi_boundary! {
        match ferrotls_result::ALL.iter().find(|r| **r as u32 == code) {
            Some(r) => r.description().as_ptr(),
            None => c"unknown result code".as_ptr(),
        }
    }
}

/// The class of `code`: the code rounded down to its thousand (`FERROTLS_OK`,
/// `FERROTLS_IO`, `FERROTLS_WANT_READ`, `FERROTLS_CLOSED`, `FERROTLS_ALERT_RECEIVED`,
/// `FERROTLS_PROTOCOL`, `FERROTLS_CERT_OTHER`, `FERROTLS_USAGE`, `FERROTLS_INTERNAL`).
/// So `ferrotls_result_class(FERROTLS_CERT_EXPIRED) == FERROTLS_CERT_OTHER` (6000) and
/// `ferrotls_result_class(FERROTLS_WANT_WRITE) == FERROTLS_WANT_READ` (2000). Unknown codes
/// above 8999 return `FERROTLS_INTERNAL`.
#[no_mangle]
pub extern "C" fn ferrotls_result_class(code: u32) -> u32 {
    ffi_boundary! {
        if code > 8999 { 8000 } else { code / 1000 * 1000 }
    }
}

/// The calling thread's most recent failure message, NUL-terminated (the empty string if
/// none). Set by every failing call, including those without a handle (`..._from_file`).
/// Valid until the thread's next failing ferrotls call; never free it.
#[no_mangle]
pub extern "C" fn ferrotls_last_error() -> *const c_char {
    ffi_boundary! {
        thread_error_ptr()
    }
}
