//! `ferrotls_trust_store`: the CAs a client trusts (the Rust `x509::RootCertStore`).

use super::cert::{ferrotls_cert, read_file};
use super::result::{ferrotls_result, Failure};
use crate::x509::RootCertStore;
use libc::{c_char, size_t};

/// A set of trusted CA certificates.
///
/// Made by `ferrotls_trust_store_new`, filled with `ferrotls_trust_store_add_pem` /
/// `_add_file` / `_add_cert`, given to `ferrotls_client_config_builder_set_trust_store` (which
/// copies it: the store may be freed or changed afterwards), freed by
/// `ferrotls_trust_store_free`. Not for concurrent modification.
///
/// Methods: `ferrotls_trust_store_add_pem`, `_add_file`, `_add_cert`, `_add_dir`,
/// `_add_system`, `_len`. Also given to `ferrotls_client_verifier_new`.
pub struct ferrotls_trust_store {
    pub(crate) roots: RootCertStore,
}

/// An empty trust store (trusts nothing). On success `*store_out` is a new handle.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_new(store_out: *mut *mut ferrotls_trust_store) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(store_out);
        out.write(super::handle::into_raw(ferrotls_trust_store { roots: RootCertStore::empty() }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a trust store. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_free(store: *mut ferrotls_trust_store) {
    ffi_boundary! {
        free_handle!(store)
    }
}

/// Trusts every certificate in PEM text; `*added_out` (may be NULL) receives how many.
/// All or nothing: when one certificate is unusable none is added.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_add_pem(
    store: *mut ferrotls_trust_store,
    pem: *const u8,
    pem_len: size_t,
    added_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let store = try_mut!(store);
        let pem = try_slice!(pem, pem_len, None);
        // PEM framing first, so that its failures keep their FERROTLS_PEM_* codes.
        try_ok!(crate::x509::certs_from_pem(pem), None);
        let n = try_ok!(store.roots.add_pem(pem), None);
        // SAFETY: the C contract: `added_out` is NULL or points to a writable size_t.
        if let Some(out) = unsafe { super::handle::OutPtr::new(added_out) } {
            out.write(n);
        }
        ferrotls_result::FERROTLS_OK
    }
}

/// Like `ferrotls_trust_store_add_pem`, reading the PEM file at `path` (a CA bundle such as
/// `/etc/ssl/certs/ca-certificates.crt`). A file without certificates fails with
/// `FERROTLS_PEM_NO_CERTIFICATES`.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_add_file(
    store: *mut ferrotls_trust_store,
    path: *const c_char,
    added_out: *mut size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let store = try_mut!(store);
        let path = try_str!(path, None);
        let bytes = try_ok!(read_file(path), None);
        try_ok!(
            crate::x509::certs_from_pem(&bytes).map_err(|e| {
                let f = Failure::from(e);
                Failure::new(f.code, format!("{path}: {}", f.message))
            }),
            None
        );
        let n = try_ok!(
            store.roots.add_pem(&bytes).map_err(|e| {
                let f = Failure::from(e);
                Failure::new(f.code, format!("{path}: {}", f.message))
            }),
            None
        );
        if n == 0 {
            return super::result::report(
                Failure::new(ferrotls_result::FERROTLS_PEM_NO_CERTIFICATES, format!("{path}: no CA certificates found")),
                None,
            );
        }
        // SAFETY: the C contract: `added_out` is NULL or points to a writable size_t.
        if let Some(out) = unsafe { super::handle::OutPtr::new(added_out) } {
            out.write(n);
        }
        ferrotls_result::FERROTLS_OK
    }
}

/// Trusts one certificate (copied; `cert` stays the caller's).
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_add_cert(
    store: *mut ferrotls_trust_store,
    cert: *const ferrotls_cert,
) -> ferrotls_result {
    ffi_boundary! {
        let store = try_mut!(store);
        let cert = try_ref!(cert);
        try_ok!(store.roots.add(cert.der()), None);
        ferrotls_result::FERROTLS_OK
    }
}

/// How many CAs the store trusts; 0 for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_len(store: *const ferrotls_trust_store) -> size_t {
    ffi_boundary! {
        let store = try_ref!(store);
        store.roots.len()
    }
}

/// Adds every anchor of `other` to `store`, keeping the certificates they came from.
fn merge(store: &mut RootCertStore, other: &RootCertStore) {
    for anchor in other.roots() {
        match other.certificate_for(anchor) {
            Some(cert) if store.add(cert).is_ok() => {}
            _ => store.extend([anchor.clone()]),
        }
    }
}

/// Trusts the certificates of an OpenSSL hashed directory (`c_rehash` / `openssl rehash`):
/// every file named `<8 hex digits>.<n>`; CRL files (`.r<n>`) and other names are ignored.
/// Fails with `FERROTLS_IO_FILE` when `path` is not a readable directory and
/// `FERROTLS_BAD_CONFIG` when it holds no usable certificate; nothing is added then.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_add_dir(
    store: *mut ferrotls_trust_store,
    path: *const c_char,
) -> ferrotls_result {
    ffi_boundary! {
        let store = try_mut!(store);
        let path = try_str!(path, None);
        if !std::path::Path::new(path).is_dir() {
            return super::result::report(
                Failure::new(ferrotls_result::FERROTLS_IO_FILE, format!("{path}: not a directory")),
                None,
            );
        }
        let found = try_ok!(crate::files::root_store_from_hashed_dir(path), None);
        merge(&mut store.roots, &found);
        ferrotls_result::FERROTLS_OK
    }
}

/// Trusts the system's default CAs, found as OpenSSL finds them: the bundle named by
/// `SSL_CERT_FILE` and the hashed directories in `SSL_CERT_DIR` (`:`-separated) when set,
/// otherwise the distribution's bundle (e.g. `/etc/ssl/certs/ca-certificates.crt`) or else
/// `/etc/ssl/certs`. Fails with `FERROTLS_BAD_CONFIG` when nothing usable is found.
#[no_mangle]
pub extern "C" fn ferrotls_trust_store_add_system(store: *mut ferrotls_trust_store) -> ferrotls_result {
    ffi_boundary! {
        let store = try_mut!(store);
        let (found, _paths) = try_ok!(crate::files::system_root_store(), None);
        merge(&mut store.roots, &found);
        ferrotls_result::FERROTLS_OK
    }
}
