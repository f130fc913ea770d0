//! The verify store's lookups and flags: `X509_STORE_add_lookup` with `X509_LOOKUP_file` /
//! `X509_LOOKUP_hash_dir`, `X509_load_cert_file` / `X509_load_crl_file` (CRLs acted on under
//! `X509_V_FLAG_CRL_CHECK(_ALL)`), `X509_STORE_set_flags`, standalone `X509_VERIFY_PARAM`s and
//! `SSL_CTX_set1_param`, and the certificate's public key as `X509_PUBKEY` (pinning).

use std::sync::atomic::Ordering;

use libc::{c_char, c_int, c_long, c_ulong};

use crate::openssl::err::{other_r, raise, LIB_X509};
use crate::openssl::ssl::{SSL, X509_VERIFY_PARAM};
use crate::openssl::ssl_ctx::{read_file, SSL_CTX};
use crate::openssl::x509::{X509, X509_LOOKUP, X509_STORE};

/// `X509_LOOKUP_METHOD`: which kind of lookup (`X509_LOOKUP_file`, `X509_LOOKUP_hash_dir`).
#[derive(Debug)]
pub struct X509_LOOKUP_METHOD {
    dir: bool,
}

static LOOKUP_FILE: X509_LOOKUP_METHOD = X509_LOOKUP_METHOD { dir: false };
static LOOKUP_DIR: X509_LOOKUP_METHOD = X509_LOOKUP_METHOD { dir: true };

/// `X509_FILETYPE_PEM`.
const FILETYPE_PEM: c_int = 1;
/// `X509_FILETYPE_ASN1`.
const FILETYPE_ASN1: c_int = 2;
/// `X509_FILETYPE_DEFAULT`.
const FILETYPE_DEFAULT: c_int = 3;
/// `X509_L_FILE_LOAD`.
const L_FILE_LOAD: c_int = 1;
/// `X509_L_ADD_DIR`.
const L_ADD_DIR: c_int = 2;

/// `X509_PUBKEY`: the public key inside a certificate, reached with `X509_get_X509_PUBKEY`
/// (a view of the certificate; never allocated on its own).
#[repr(transparent)]
#[derive(Debug)]
pub struct X509_PUBKEY(X509);

impl X509_PUBKEY {
    /// The certificate this key belongs to.
    pub fn cert(&self) -> &X509 {
        &self.0
    }
}

fn store_of(l: &X509_LOOKUP) -> &X509_STORE {
    // SAFETY: `store` is the address of the live store that owns this lookup.
    unsafe { &*(l.store as *const X509_STORE) }
}

/// Writes `der` as the i2d functions do: the length with `pp` NULL; else into a fresh
/// `OPENSSL_malloc` buffer when `*pp` is NULL, or at `*pp`, which then moves past it.
///
/// # Safety
/// `pp` is NULL or points to a `unsigned char *` that is NULL or has room for `der`.
unsafe fn i2d_out(der: &[u8], pp: *mut *mut u8) -> c_int {
    if pp.is_null() {
        return der.len() as c_int;
    }
    // SAFETY: the caller's contract above.
    unsafe {
        if (*pp).is_null() {
            let m = libc::malloc(der.len().max(1)).cast::<u8>();
            if m.is_null() {
                return -1;
            }
            std::ptr::copy_nonoverlapping(der.as_ptr(), m, der.len());
            *pp = m;
        } else {
            std::ptr::copy_nonoverlapping(der.as_ptr(), *pp, der.len());
            *pp = (*pp).add(der.len());
        }
    }
    der.len() as c_int
}

/// Reads `file` for a lookup: PEM or DER as `typ` says.
fn lookup_file(file: *const c_char, func: &'static str) -> Option<Vec<u8>> {
    if file.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated path (OpenSSL's contract).
    read_file(unsafe { std::ffi::CStr::from_ptr(file) }, func)
}

entry! {
    /// The lookup method that reads files.
    fn X509_LOOKUP_file() -> *mut X509_LOOKUP_METHOD {
        (&LOOKUP_FILE as *const X509_LOOKUP_METHOD).cast_mut()
    }
    /// The lookup method that reads hashed directories (`openssl rehash`).
    fn X509_LOOKUP_hash_dir() -> *mut X509_LOOKUP_METHOD {
        (&LOOKUP_DIR as *const X509_LOOKUP_METHOD).cast_mut()
    }
    /// The store's lookup of this kind, made on first use (owned by the store: do not free).
    fn X509_STORE_add_lookup(store: *mut X509_STORE, m: *mut X509_LOOKUP_METHOD) -> *mut X509_LOOKUP {
        let store = arg_ref!(store, std::ptr::null_mut());
        let m = arg_ref!(m, std::ptr::null_mut());
        let mut lookups = store.lookups.lock().unwrap_or_else(|e| e.into_inner());
        let addr = store as *const X509_STORE as usize;
        let l = match lookups.iter().position(|l| l.dir == m.dir) {
            Some(i) => &lookups[i],
            None => {
                lookups.push(Box::new(X509_LOOKUP { store: addr, dir: m.dir }));
                &lookups[lookups.len() - 1]
            }
        };
        (&**l as *const X509_LOOKUP).cast_mut()
    }
    /// `X509_LOOKUP_load_file` / `X509_LOOKUP_add_dir`: loads a certificate file into the store or
    /// adds a hashed directory; 1 on success, 0 on failure.
    fn X509_LOOKUP_ctrl(l: *mut X509_LOOKUP, cmd: c_int, argc: *const c_char, argl: c_long, _ret: *mut *mut c_char) -> c_int {
        let l = arg_ref!(l, 0);
        match (cmd, l.dir) {
            (L_FILE_LOAD, false) if argl == c_long::from(FILETYPE_DEFAULT) => {
                crate::openssl::entry::ssl_ctx::default_verify_paths(store_of(l))
            }
            (L_FILE_LOAD, false) => c_int::from(X509_load_cert_file((l as *const X509_LOOKUP).cast_mut(), argc, argl as c_int) > 0),
            (L_ADD_DIR, true) => {
                crate::openssl::entry::x509::X509_STORE_load_locations((store_of(l) as *const X509_STORE).cast_mut(), std::ptr::null(), argc)
            }
            _ => 0,
        }
    }
    /// Adds the certificates of `file` (PEM or DER) to the lookup's store; how many, 0 on failure.
    fn X509_load_cert_file(l: *mut X509_LOOKUP, file: *const c_char, typ: c_int) -> c_int {
        let l = arg_ref!(l, 0);
        let Some(data) = lookup_file(file, "X509_load_cert_file") else { return 0 };
        let ders = match typ {
            FILETYPE_ASN1 => vec![data],
            FILETYPE_PEM => crate::x509::certs_from_pem(&data).unwrap_or_default().into_iter().map(|d| d.to_vec()).collect(),
            _ => return 0,
        };
        let mut n = 0;
        for der in ders {
            match X509::from_der(&der) {
                Some(x) => {
                    store_of(l).add(std::sync::Arc::new(x));
                    n += 1;
                }
                None => {
                    raise!(LIB_X509, other_r::PEM_LIB, "X509_load_cert_file", "a certificate in the file does not parse");
                    return 0;
                }
            }
        }
        if n == 0 {
            raise!(LIB_X509, other_r::PEM_LIB, "X509_load_cert_file", "no certificate in the file");
        }
        n
    }
    /// Adds the CRLs of `file` (PEM or DER) to the lookup's store; how many, 0 on failure (a
    /// CRL that does not parse fails the whole file, as OpenSSL does).
    fn X509_load_crl_file(l: *mut X509_LOOKUP, file: *const c_char, typ: c_int) -> c_int {
        let l = arg_ref!(l, 0);
        let Some(data) = lookup_file(file, "X509_load_crl_file") else { return 0 };
        let crls = match typ {
            FILETYPE_ASN1 | FILETYPE_PEM => match crate::x509::crls_from_pem_or_der(&data) {
                Ok(c) => c,
                Err(e) => {
                    raise!(LIB_X509, other_r::PEM_LIB, "X509_load_crl_file", e);
                    return 0;
                }
            },
            _ => return 0,
        };
        for crl in &crls {
            if webpki::OwnedCertRevocationList::from_der(crl.as_ref()).is_err() {
                raise!(LIB_X509, other_r::PEM_LIB, "X509_load_crl_file", "a CRL in the file does not parse");
                return 0;
            }
        }
        for crl in &crls {
            store_of(l).add_crl(crl.as_ref());
        }
        crls.len() as c_int
    }
    /// Sets `X509_V_FLAG_*` on the store (ORed in, as OpenSSL does); 1.
    fn X509_STORE_set_flags(store: *mut X509_STORE, flags: c_ulong) -> c_int {
        arg_ref!(store, 0).flags.fetch_or(flags as u64, Ordering::Relaxed);
        1
    }
    /// A new, empty verification parameter set (free with `X509_VERIFY_PARAM_free`).
    fn X509_VERIFY_PARAM_new() -> *mut X509_VERIFY_PARAM {
        Box::into_raw(Box::default())
    }
    /// Frees a parameter set from `X509_VERIFY_PARAM_new` (NULL: nothing).
    fn X509_VERIFY_PARAM_free(p: *mut X509_VERIFY_PARAM) {
        if !p.is_null() {
            // SAFETY: `p` came from X509_VERIFY_PARAM_new and is freed once.
            drop(unsafe { Box::from_raw(p) });
        }
    }
    /// ORs `X509_V_FLAG_*` into the set; 1.
    fn X509_VERIFY_PARAM_set_flags(p: *mut X509_VERIFY_PARAM, flags: c_ulong) -> c_int {
        arg_ref!(p, 0).flags.fetch_or(flags as u64, Ordering::Relaxed);
        1
    }
    /// Clears `X509_V_FLAG_*` from the set; 1.
    fn X509_VERIFY_PARAM_clear_flags(p: *mut X509_VERIFY_PARAM, flags: c_ulong) -> c_int {
        arg_ref!(p, 0).flags.fetch_and(!(flags as u64), Ordering::Relaxed);
        1
    }
    /// The set's `X509_V_FLAG_*`.
    fn X509_VERIFY_PARAM_get_flags(p: *const X509_VERIFY_PARAM) -> c_ulong {
        arg_ref!(p, 0).flags.load(Ordering::Relaxed) as c_ulong
    }
    /// Copies `param`'s host names, address and flags into the context's; 1.
    fn SSL_CTX_set1_param(ctx: *mut SSL_CTX, param: *const X509_VERIFY_PARAM) -> c_int {
        let ctx = arg_ref!(ctx, 0);
        ctx.param.copy_from(arg_ref!(param, 0));
        1
    }
    /// Copies `param` into the connection's parameters; 1.
    fn SSL_set1_param(ssl: *mut SSL, param: *const X509_VERIFY_PARAM) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        ssl.shared.param.copy_from(arg_ref!(param, 0));
        1
    }
    /// The certificate's public key (a view of `x`: do not free).
    fn X509_get_X509_PUBKEY(x: *const X509) -> *mut X509_PUBKEY {
        arg_ref!(x, std::ptr::null_mut());
        x.cast::<X509_PUBKEY>().cast_mut()
    }
    /// The SubjectPublicKeyInfo DER (see `i2d_X509` for `pp`), or -1.
    fn i2d_X509_PUBKEY(k: *const X509_PUBKEY, pp: *mut *mut u8) -> c_int {
        let k = arg_ref!(k, -1);
        // SAFETY: the i2d contract on `pp`.
        unsafe { i2d_out(k.0.info.subject_public_key_info_der(), pp) }
    }
}

/// `X509_CRL`: a certificate revocation list (DER). `X509_STORE_add_crl` accepts one; ferrotls
/// makes none yet (`PEM_X509_INFO_read_bio` leaves `->crl` NULL), so programs load CRLs with
/// `X509_load_crl_file` instead.
#[derive(Debug)]
pub struct X509_CRL {
    /// The DER encoding.
    pub der: Vec<u8>,
}

/// `X509_V_ERR_SUBJECT_ISSUER_MISMATCH`.
const V_ERR_SUBJECT_ISSUER_MISMATCH: c_int = 29;
/// `X509_V_ERR_AKID_SKID_MISMATCH`.
const V_ERR_AKID_SKID_MISMATCH: c_int = 30;
/// `X509_V_ERR_KEYUSAGE_NO_CERTSIGN`.
const V_ERR_KEYUSAGE_NO_CERTSIGN: c_int = 32;

/// The extnValue of the extension `oid` (dotted) of `x`.
fn ext_value<'a>(x: &'a X509, oid: &str) -> Option<&'a [u8]> {
    x.extensions.iter().find(|e| e.object.oid.to_string() == oid).map(|e| e.value.bytes())
}

/// `X509_check_issued`'s checks, in OpenSSL's order: the issuer's subject is the subject's
/// issuer name; the subject's authority key identifier (when it has a key id) equals the
/// issuer's subject key identifier (when it has one); the issuer's key usage, when present,
/// allows certificate signing. The signature itself is not checked (OpenSSL does not either).
fn check_issued(issuer: &X509, subject: &X509) -> c_int {
    use der::Decode;
    use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
    if issuer.subject.der != subject.issuer.der {
        return V_ERR_SUBJECT_ISSUER_MISMATCH;
    }
    let akid = ext_value(subject, "2.5.29.35")
        .and_then(|d| AuthorityKeyIdentifier::from_der(d).ok())
        .and_then(|a| a.key_identifier);
    let skid = ext_value(issuer, "2.5.29.14").and_then(|d| SubjectKeyIdentifier::from_der(d).ok());
    if let (Some(a), Some(s)) = (akid, skid) {
        if a.as_bytes() != s.0.as_bytes() {
            return V_ERR_AKID_SKID_MISMATCH;
        }
    }
    if let Some(ku) = ext_value(issuer, "2.5.29.15").and_then(|d| der::asn1::BitString::from_der(d).ok()) {
        // keyCertSign is bit 5 (RFC 5280 §4.2.1.3).
        if ku.raw_bytes().first().is_none_or(|b| b & 0x04 == 0) {
            return V_ERR_KEYUSAGE_NO_CERTSIGN;
        }
    }
    0
}

/// Reads `path` (PEM) into `store`, queuing OpenSSL's errors under `func`; 1 or 0.
fn load_file_into(store: &X509_STORE, path: *const c_char, func: &'static str) -> c_int {
    let Some(data) = lookup_file(path, func) else { return 0 };
    match store.add_pem(&data) {
        Ok(n) if n > 0 => 1,
        _ => {
            raise!(LIB_X509, other_r::PEM_LIB, func, "no certificate in the file");
            0
        }
    }
}

entry! {
    /// A new, empty store (one reference; `X509_STORE_free` gives it back).
    fn X509_STORE_new() -> *mut X509_STORE {
        std::sync::Arc::into_raw(std::sync::Arc::new(X509_STORE::default())).cast_mut()
    }
    /// Gives back one reference (NULL: nothing).
    fn X509_STORE_free(store: *mut X509_STORE) {
        if !store.is_null() {
            // SAFETY: `store` came from X509_STORE_new (or a context's store after up_ref) and
            // the caller gives back the reference it holds.
            drop(unsafe { std::sync::Arc::from_raw(store.cast_const()) });
        }
    }
    /// Takes one more reference; 1.
    fn X509_STORE_up_ref(store: *mut X509_STORE) -> c_int {
        arg_ref!(store, 0);
        // SAFETY: every X509_STORE handed to C is an Arc allocation (X509_STORE_new or a
        // context's StoreSlot).
        unsafe { std::sync::Arc::increment_strong_count(store.cast_const()) };
        1
    }
    /// Trusts the certificates of a PEM file; 1, or 0 with the error queued.
    fn X509_STORE_load_file(store: *mut X509_STORE, file: *const c_char) -> c_int {
        load_file_into(arg_ref!(store, 0), file, "X509_STORE_load_file")
    }
    /// Adds a hashed directory (`openssl rehash`), read at the first handshake that needs it; 1.
    fn X509_STORE_load_path(store: *mut X509_STORE, path: *const c_char) -> c_int {
        let store = arg_ref!(store, 0);
        let p = arg_cstr!(path, 0).to_string_lossy().into_owned();
        store.dirs.lock().unwrap_or_else(|e| e.into_inner()).push(p.into());
        1
    }
    /// Adds a CRL (checked under `X509_V_FLAG_CRL_CHECK`); 1 (also for one already there, as
    /// OpenSSL 3), 0 for NULL or a CRL that does not parse.
    fn X509_STORE_add_crl(store: *mut X509_STORE, crl: *mut X509_CRL) -> c_int {
        let store = arg_ref!(store, 0);
        let crl = arg_ref!(crl, 0);
        if webpki::OwnedCertRevocationList::from_der(&crl.der).is_err() {
            raise!(LIB_X509, other_r::PEM_LIB, "X509_STORE_add_crl", "the CRL does not parse");
            return 0;
        }
        store.add_crl(&crl.der);
        1
    }
    /// Makes `store` the context's verify store, taking over the caller's reference (the old
    /// store's reference is given back). NULL installs a new empty store.
    fn SSL_CTX_set_cert_store(ctx: *mut SSL_CTX, store: *mut X509_STORE) {
        let ctx = arg_ref!(ctx, ());
        let new = if store.is_null() {
            std::sync::Arc::new(X509_STORE::default())
        } else {
            // SAFETY: the caller hands over one reference to a live store (OpenSSL's contract).
            unsafe { std::sync::Arc::from_raw(store.cast_const()) }
        };
        ctx.store.set(new);
    }
    /// As `SSL_CTX_set_cert_store`, taking a new reference (the caller keeps its own).
    fn SSL_CTX_set1_cert_store(ctx: *mut SSL_CTX, store: *mut X509_STORE) {
        if !store.is_null() {
            X509_STORE_up_ref(store);
        }
        SSL_CTX_set_cert_store(ctx, store);
    }
    /// `X509_V_OK` (0) when `issuer` could have issued `subject` (names, key identifiers, key
    /// usage), else the `X509_V_ERR_*` that says why not.
    fn X509_check_issued(issuer: *mut X509, subject: *mut X509) -> c_int {
        let i = arg_ref!(issuer, V_ERR_SUBJECT_ISSUER_MISMATCH);
        let s = arg_ref!(subject, V_ERR_SUBJECT_ISSUER_MISMATCH);
        check_issued(i, s)
    }
}
