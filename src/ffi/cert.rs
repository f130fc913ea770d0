//! `ferrotls_cert` (one certificate with its fields) and `ferrotls_cert_chain` (leaf first).
//! The fields come from `x509::CertificateInfo` and are converted to C strings once, when the
//! handle is made, so every accessor returns a pointer that lives as long as the handle.

use super::result::{ferrotls_result, to_cstring, Failure};
use crate::x509::{certs_from_pem_or_der, CertificateDer, CertificateInfo};
use libc::{c_char, size_t};
use std::ffi::CString;

/// One X.509 certificate (DER) and its displayable fields.
///
/// Made by `ferrotls_cert_from_der` / `ferrotls_cert_from_pem`, freed by `ferrotls_cert_free`;
/// borrowed (not freed) from a chain with `ferrotls_cert_chain_get`. Immutable: may be read
/// from several threads at once.
///
/// Methods: `ferrotls_cert_der`, `_subject`, `_issuer`, `_subject_oneline`, `_issuer_oneline`,
/// `_serial`, `_not_before`, `_not_after`, `_validity`, `_signature_algorithm`,
/// `_public_key_algorithm`, `_public_key_bits`, `_is_ca`, `_subject_alt_name_count`,
/// `_subject_alt_name`, `_to_json`.
pub struct ferrotls_cert {
    der: CertificateDer<'static>,
    fields: Option<Fields>,
}

/// `CertificateInfo` as C strings.
struct Fields {
    subject: CString,
    issuer: CString,
    subject_oneline: CString,
    issuer_oneline: CString,
    serial: CString,
    not_before: CString,
    not_after: CString,
    not_before_unix: i64,
    not_after_unix: i64,
    signature_algorithm: CString,
    public_key_algorithm: CString,
    public_key_bits: usize,
    is_ca: bool,
    subject_alt_names: Vec<CString>,
    json: CString,
}

impl ferrotls_cert {
    /// A handle for `der`; fields are filled when x509-cert can parse it (a peer certificate
    /// that webpki accepted but our stricter parser does not still gets a handle, with NULL fields).
    pub(crate) fn new(der: CertificateDer<'static>) -> Self {
        let fields = CertificateInfo::from_der(der.as_ref()).ok().map(|i| Fields {
            subject: to_cstring(i.subject()),
            issuer: to_cstring(i.issuer()),
            subject_oneline: to_cstring(i.subject_oneline()),
            issuer_oneline: to_cstring(i.issuer_oneline()),
            serial: to_cstring(i.serial()),
            not_before: to_cstring(&i.not_before_display()),
            not_after: to_cstring(&i.not_after_display()),
            not_before_unix: i64::try_from(i.not_before().as_secs()).unwrap_or(i64::MAX),
            not_after_unix: i64::try_from(i.not_after().as_secs()).unwrap_or(i64::MAX),
            signature_algorithm: to_cstring(i.signature_algorithm()),
            public_key_algorithm: to_cstring(i.public_key_algorithm()),
            public_key_bits: i.public_key_bits().unwrap_or(0),
            is_ca: i.basic_constraints().is_some_and(|b| b.ca),
            subject_alt_names: i.subject_alt_names().iter().map(|s| to_cstring(&s.to_string())).collect(),
            json: to_cstring(&i.to_json()),
        });
        Self { der, fields }
    }

    /// A handle that must have parseable fields (certificates a caller loads on purpose).
    fn parsed(der: CertificateDer<'static>) -> Result<Self, Failure> {
        CertificateInfo::from_der(der.as_ref())?;
        Ok(Self::new(der))
    }

    pub(crate) fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    fn field(&self, f: impl Fn(&Fields) -> &CString) -> *const c_char {
        self.fields.as_ref().map_or(std::ptr::null(), |x| f(x).as_ptr())
    }
}

/// A certificate chain, leaf first.
///
/// Made by `ferrotls_cert_chain_from_pem`, `ferrotls_cert_chain_from_file` or
/// `ferrotls_conn_peer_cert_chain`; freed by `ferrotls_cert_chain_free`. Immutable once made.
///
/// Methods: `ferrotls_cert_chain_len`, `ferrotls_cert_chain_get`.
pub struct ferrotls_cert_chain {
    certs: Vec<ferrotls_cert>,
}

impl ferrotls_cert_chain {
    pub(crate) fn new(ders: &[CertificateDer<'static>]) -> Self {
        Self { certs: ders.iter().cloned().map(ferrotls_cert::new).collect() }
    }

    pub(crate) fn ders(&self) -> Vec<CertificateDer<'static>> {
        self.certs.iter().map(|c| c.der.clone()).collect()
    }

    fn from_pem(input: &[u8]) -> Result<Self, Failure> {
        let ders = certs_from_pem_or_der(input)?;
        for d in &ders {
            CertificateInfo::from_der(d.as_ref())?;
        }
        Ok(Self::new(&ders))
    }
}

/// Reads a whole file named by a C string (files are read here, outside the sans-IO core).
pub(crate) fn read_file(path: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::new(ferrotls_result::FERROTLS_IO_FILE, format!("{path}: {e}")))
}

/// Parses one DER certificate. On success `*cert_out` is a new handle (free it with
/// `ferrotls_cert_free`). Fails with `FERROTLS_CERT_BAD_ENCODING` when `der` is not an
/// X.509 certificate.
#[no_mangle]
pub extern "C" fn ferrotls_cert_from_der(
    der: *const u8,
    der_len: size_t,
    cert_out: *mut *mut ferrotls_cert,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(cert_out);
        let der = try_slice!(der, der_len, None);
        let cert = try_ok!(ferrotls_cert::parsed(CertificateDer::from(der.to_vec())), None);
        out.write(super::handle::into_raw(cert));
        ferrotls_result::FERROTLS_OK
    }
}

/// Parses the first certificate of PEM text (or one DER certificate). On success
/// `*cert_out` is a new handle. Fails with `FERROTLS_PEM_NO_CERTIFICATES` when there is none.
#[no_mangle]
pub extern "C" fn ferrotls_cert_from_pem(
    pem: *const u8,
    pem_len: size_t,
    cert_out: *mut *mut ferrotls_cert,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(cert_out);
        let pem = try_slice!(pem, pem_len, None);
        let ders = try_ok!(certs_from_pem_or_der(pem), None);
        let Some(first) = ders.into_iter().next() else {
            return super::result::report(Failure::new(ferrotls_result::FERROTLS_PEM_NO_CERTIFICATES, "empty input"), None);
        };
        let cert = try_ok!(ferrotls_cert::parsed(first), None);
        out.write(super::handle::into_raw(cert));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a certificate made by `ferrotls_cert_from_der` / `_from_pem`. NULL is a no-op.
/// Never pass a certificate borrowed from a chain.
#[no_mangle]
pub extern "C" fn ferrotls_cert_free(cert: *mut ferrotls_cert) {
    ffi_boundary! {
        free_handle!(cert)
    }
}

/// The certificate's DER encoding: `*der_out` points into the handle (valid until it is
/// freed), `*len_out` is its length.
#[no_mangle]
pub extern "C" fn ferrotls_cert_der(
    cert: *const ferrotls_cert,
    der_out: *mut *const u8,
    len_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let cert = try_ref!(cert);
        let der_out = try_out!(der_out);
        let len_out = try_out!(len_out);
        der_out.write(cert.der.as_ref().as_ptr());
        len_out.write(cert.der.as_ref().len());
        ferrotls_result::FERROTLS_OK
    }
}

/// The subject as an RFC 4514 string, most specific first: `CN=localhost,O=ferrotls,C=XX`.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_subject(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.subject)
    }
}
/// The issuer as an RFC 4514 string.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_issuer(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.issuer)
    }
}
/// The subject in OpenSSL's one-line form: `/C=XX/O=ferrotls/CN=localhost` (for display).
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_subject_oneline(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.subject_oneline)
    }
}
/// The issuer in OpenSSL's one-line form.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_issuer_oneline(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.issuer_oneline)
    }
}
/// The serial number in uppercase hexadecimal, as `openssl x509 -serial` prints it.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_serial(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.serial)
    }
}
/// Start of validity as OpenSSL prints it: `Jan  1 00:00:00 2026 GMT`.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_not_before(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.not_before)
    }
}
/// End of validity (inclusive) as OpenSSL prints it.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_not_after(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.not_after)
    }
}
/// The signature algorithm in OpenSSL's naming (`sha256WithRSAEncryption`).
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_signature_algorithm(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.signature_algorithm)
    }
}
/// The public key algorithm in OpenSSL's naming (`rsaEncryption`).
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_public_key_algorithm(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.public_key_algorithm)
    }
}
/// A JSON object: subject, issuer, serial, validity (strings and unix seconds), version,
/// algorithms, key size, subjectAltNames; the `ferrotls client --json` format.
///
/// NUL-terminated, owned by the certificate (valid until it is freed). NULL when `cert` is
/// NULL or its fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_to_json(cert: *const ferrotls_cert) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.field(|f| &f.json)
    }
}

/// The validity period in unix seconds (notBefore, notAfter inclusive). Fails with
/// `FERROTLS_CERT_BAD_ENCODING` when the fields could not be parsed.
#[no_mangle]
pub extern "C" fn ferrotls_cert_validity(
    cert: *const ferrotls_cert,
    not_before_out: *mut i64,
    not_after_out: *mut i64,
) -> ferrotls_result {
    ffi_boundary! {
        let cert = try_ref!(cert);
        let nb = try_out!(not_before_out);
        let na = try_out!(not_after_out);
        let Some(f) = &cert.fields else {
            return super::result::report(Failure::new(ferrotls_result::FERROTLS_CERT_BAD_ENCODING, "fields not parseable"), None);
        };
        nb.write(f.not_before_unix);
        na.write(f.not_after_unix);
        ferrotls_result::FERROTLS_OK
    }
}

/// The key size in bits (RSA modulus length); 0 when unknown or `cert` is NULL.
#[no_mangle]
pub extern "C" fn ferrotls_cert_public_key_bits(cert: *const ferrotls_cert) -> size_t {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.fields.as_ref().map_or(0, |f| f.public_key_bits)
    }
}

/// True when basicConstraints marks the certificate as a CA; false otherwise or for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_cert_is_ca(cert: *const ferrotls_cert) -> bool {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.fields.as_ref().is_some_and(|f| f.is_ca)
    }
}

/// How many subjectAltName entries (DNS, IP, email, URI) the certificate has.
#[no_mangle]
pub extern "C" fn ferrotls_cert_subject_alt_name_count(cert: *const ferrotls_cert) -> size_t {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.fields.as_ref().map_or(0, |f| f.subject_alt_names.len())
    }
}

/// subjectAltName entry `index` in OpenSSL's spelling (`DNS:localhost`, `IP Address:127.0.0.1`),
/// owned by the certificate; NULL when `index` is out of range or `cert` is NULL.
#[no_mangle]
pub extern "C" fn ferrotls_cert_subject_alt_name(cert: *const ferrotls_cert, index: size_t) -> *const c_char {
    ffi_boundary! {
        let cert = try_ref!(cert);
        cert.fields.as_ref().and_then(|f| f.subject_alt_names.get(index)).map_or(std::ptr::null(), |s| s.as_ptr())
    }
}

/// Every certificate in PEM text (or one DER certificate), in order. On success
/// `*chain_out` is a new chain (free it with `ferrotls_cert_chain_free`).
#[no_mangle]
pub extern "C" fn ferrotls_cert_chain_from_pem(
    pem: *const u8,
    pem_len: size_t,
    chain_out: *mut *mut ferrotls_cert_chain,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(chain_out);
        let pem = try_slice!(pem, pem_len, None);
        let chain = try_ok!(ferrotls_cert_chain::from_pem(pem), None);
        out.write(super::handle::into_raw(chain));
        ferrotls_result::FERROTLS_OK
    }
}

/// Like `ferrotls_cert_chain_from_pem`, reading the file at `path` (PEM or DER).
/// Fails with `FERROTLS_IO_FILE` when it cannot be read.
#[no_mangle]
pub extern "C" fn ferrotls_cert_chain_from_file(
    path: *const c_char,
    chain_out: *mut *mut ferrotls_cert_chain,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(chain_out);
        let path = try_str!(path, None);
        let bytes = try_ok!(read_file(path), None);
        let chain = try_ok!(
            ferrotls_cert_chain::from_pem(&bytes).map_err(|f| Failure::new(f.code, format!("{path}: {}", f.message))),
            None
        );
        out.write(super::handle::into_raw(chain));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a chain and the certificates borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_cert_chain_free(chain: *mut ferrotls_cert_chain) {
    ffi_boundary! {
        free_handle!(chain)
    }
}

/// The number of certificates in the chain; 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_cert_chain_len(chain: *const ferrotls_cert_chain) -> size_t {
    ffi_boundary! {
        let chain = try_ref!(chain);
        chain.certs.len()
    }
}

/// Certificate `index` (0 is the leaf), borrowed from the chain: valid until the chain is
/// freed; do not free it. NULL when `index` is out of range or `chain` is NULL.
#[no_mangle]
pub extern "C" fn ferrotls_cert_chain_get(
    chain: *const ferrotls_cert_chain,
    index: size_t,
) -> *const ferrotls_cert {
    ffi_boundary! {
        let chain = try_ref!(chain);
        chain.certs.get(index).map_or(std::ptr::null(), |c| c as *const ferrotls_cert)
    }
}
