//! `ferrotls_client_verifier` (how a server checks client certificates) and the verify callback
//! both verifiers take (`ferrotls_verify_callback`). Like the builders, the C verifier keeps
//! plain settings; the Rust `x509::WebPkiClientVerifier` is built from them when a server
//! configuration is built.

use super::cert::ferrotls_cert;
use super::result::{ferrotls_result, report, Failure};
use super::trust_store::ferrotls_trust_store;
use crate::x509::{
    crls_from_pem_or_der, CertificateRevocationListDer, ChainElement, RootCertStore, WebPkiClientVerifier,
};
use libc::{c_void, size_t};
use std::sync::Arc;

/// Called once per certificate of the chain a peer presented, OpenSSL-style, from the trust
/// anchor (highest `depth`) down to the end entity (`depth` 0). `cert` is borrowed for the
/// call only (copy what you need: `ferrotls_cert_der`). `error` is `FERROTLS_OK` when this
/// certificate has no error, otherwise the reason it failed (e.g. `FERROTLS_CERT_UNKNOWN_ISSUER`,
/// `FERROTLS_CERT_SELF_SIGNED_LEAF`). Return true to accept the certificate (overriding its
/// error), false to reject the chain: the handshake then fails with the certificate's error, or
/// `FERROTLS_CERT_OTHER` when it had none, and the matching alert is sent.
///
/// It runs inside `ferrotls_conn_handshake` (or `_process`), on whichever thread drives a
/// connection made from the configuration: the caller guarantees that `userdata` may be used
/// from those threads (and outlives every configuration holding the callback). It must not call
/// ferrotls functions on the connection being verified, and must not unwind or longjmp.
pub type ferrotls_verify_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        depth: size_t,
        cert: *const ferrotls_cert,
        error: ferrotls_result,
    ) -> bool,
>;

/// A C verify callback with its user pointer, callable from any thread.
#[derive(Clone, Copy)]
pub(crate) struct VerifyHook {
    callback: unsafe extern "C" fn(*mut c_void, size_t, *const ferrotls_cert, ferrotls_result) -> bool,
    userdata: *mut c_void,
}

// SAFETY: the documented contract of `ferrotls_verify_callback`: the caller guarantees that the
// callback and `userdata` may be used from any thread a configuration holding them is used on.
unsafe impl Send for VerifyHook {}
// SAFETY: as above; the hook itself is never mutated after it is made.
unsafe impl Sync for VerifyHook {}

impl VerifyHook {
    /// `None` for a NULL callback (which removes the callback).
    pub(crate) fn new(callback: ferrotls_verify_callback, userdata: *mut c_void) -> Option<Self> {
        callback.map(|callback| Self { callback, userdata })
    }

    /// The Rust verify callback calling this hook. A panic while preparing the call (the C
    /// callback itself cannot unwind) rejects the certificate instead of crossing the handshake.
    pub(crate) fn into_closure(self) -> impl Fn(&ChainElement<'_>) -> bool + Send + Sync + 'static {
        move |element: &ChainElement<'_>| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.call(element))).unwrap_or(false)
        }
    }

    fn call(&self, element: &ChainElement<'_>) -> bool {
        let cert = ferrotls_cert::new(element.certificate.clone().into_owned());
        let error =
            element.error.map_or(ferrotls_result::FERROTLS_OK, ferrotls_result::from_certificate_error);
        // SAFETY: the callback is a valid function pointer per the setter's contract; `cert` is
        // a live handle for the duration of the call and `userdata` is the caller's, passed
        // back unchanged.
        unsafe { (self.callback)(self.userdata, element.depth, &cert, error) }
    }
}

/// How a server verifies client certificates (mutual authentication): the CAs it trusts,
/// whether a certificate is required, SHA-1 (legacy), CRLs and a verify callback.
///
/// Made by `ferrotls_client_verifier_new`, given to
/// `ferrotls_server_config_builder_set_client_verifier` (which copies its settings: the
/// verifier may be changed or freed afterwards without affecting that builder or its
/// configurations, which are immutable once built), freed by `ferrotls_client_verifier_free`.
/// One thread at a time.
///
/// Defaults: a certificate is required (`_set_optional`), the signature algorithms follow the
/// server builder's legacy profile unless `_set_legacy` says otherwise, no CRLs, no callback.
///
/// Methods: `ferrotls_client_verifier_set_optional`, `_set_legacy`, `_add_crl_pem`,
/// `_set_verify_callback`.
pub struct ferrotls_client_verifier {
    pub(crate) settings: ClientVerifierSettings,
}

/// The plain settings of a `ferrotls_client_verifier`.
#[derive(Clone)]
pub(crate) struct ClientVerifierSettings {
    roots: RootCertStore,
    optional: bool,
    /// `None`: follow the server builder's legacy profile.
    legacy: Option<bool>,
    crls: Vec<CertificateRevocationListDer<'static>>,
    hook: Option<VerifyHook>,
}

impl ClientVerifierSettings {
    /// The Rust verifier, for a server whose builder has the legacy profile `legacy_profile`.
    pub(crate) fn build(&self, legacy_profile: bool) -> Result<WebPkiClientVerifier, Failure> {
        let provider = crate::config::default_provider();
        let roots = Arc::new(self.roots.clone());
        let mut v = if self.legacy.unwrap_or(legacy_profile) {
            WebPkiClientVerifier::new_legacy(roots, provider)
        } else {
            WebPkiClientVerifier::new(roots, provider)
        };
        if self.optional {
            v = v.optional();
        }
        if !self.crls.is_empty() {
            v = v.with_crls(&self.crls)?;
        }
        if let Some(hook) = self.hook {
            v = v.with_verify_callback(hook.into_closure());
        }
        Ok(v)
    }
}

/// CRLs from PEM text (or one DER CRL), each checked to parse, so that a bad CRL is reported
/// when it is added rather than at build.
pub(crate) fn parse_crls(input: &[u8]) -> Result<Vec<CertificateRevocationListDer<'static>>, Failure> {
    let crls = crls_from_pem_or_der(input)?;
    WebPkiClientVerifier::new(Arc::new(RootCertStore::empty()), crate::config::default_provider())
        .with_crls(&crls)
        .map_err(|e| {
            Failure::new(ferrotls_result::from_certificate_error(&e), format!("unusable CRL: {e}"))
        })?;
    Ok(crls)
}

/// A client verifier trusting the CAs in `roots` (copied: the store may be freed or changed
/// afterwards), requiring a certificate. On success `*verifier_out` is a new handle (free it
/// with `ferrotls_client_verifier_free`).
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_new(
    roots: *const ferrotls_trust_store,
    verifier_out: *mut *mut ferrotls_client_verifier,
) -> ferrotls_result {
    ffi_boundary! {
        let roots = try_ref!(roots);
        let out = try_out!(verifier_out);
        out.write(super::handle::into_raw(ferrotls_client_verifier {
            settings: ClientVerifierSettings {
                roots: roots.roots.clone(),
                optional: false,
                legacy: None,
                crls: Vec::new(),
                hook: None,
            },
        }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a client verifier. Server builders and configurations it was given to are
/// unaffected. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_free(v: *mut ferrotls_client_verifier) {
    ffi_boundary! {
        free_handle!(v)
    }
}

/// With `optional` true, a client that sends no certificate may continue unauthenticated
/// (`ferrotls_conn_peer_cert_chain` is then empty); a certificate that is sent must still
/// verify. Default false: a client without a certificate is refused (handshake_failure).
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_set_optional(
    v: *mut ferrotls_client_verifier,
    optional: bool,
) -> ferrotls_result {
    ffi_boundary! {
        let v = try_mut!(v);
        v.settings.optional = optional;
        ferrotls_result::FERROTLS_OK
    }
}

/// With `legacy` true, SHA-1-signed client certificates are accepted; false refuses them.
/// Until this is called the server builder's legacy profile (`_set_legacy`) decides.
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_set_legacy(
    v: *mut ferrotls_client_verifier,
    legacy: bool,
) -> ferrotls_result {
    ffi_boundary! {
        let v = try_mut!(v);
        v.settings.legacy = Some(legacy);
        ferrotls_result::FERROTLS_OK
    }
}

/// Adds the CRLs in PEM text (`X509 CRL` blocks, or one DER CRL): every certificate of a
/// client's path is checked against them, and a listed one fails with `FERROTLS_CERT_REVOKED`.
/// A certificate whose issuer published no CRL here is not refused; an expired CRL is an error.
/// Fails with `FERROTLS_PEM_*` when there is no CRL, or a certificate code when one does not
/// parse; nothing is added then.
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_add_crl_pem(
    v: *mut ferrotls_client_verifier,
    pem: *const u8,
    len: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let v = try_mut!(v);
        let pem = try_slice!(pem, len, None);
        let crls = match parse_crls(pem) {
            Ok(c) => c,
            Err(f) => return report(f, None),
        };
        v.settings.crls.extend(crls);
        ferrotls_result::FERROTLS_OK
    }
}

/// Installs a verify callback (see `ferrotls_verify_callback`) for client chains, replacing an
/// earlier one; a NULL `cb` removes it. `userdata` is passed back unchanged (it may be NULL).
/// The callback runs on the threads that drive the server's connections.
#[no_mangle]
pub extern "C" fn ferrotls_client_verifier_set_verify_callback(
    v: *mut ferrotls_client_verifier,
    cb: ferrotls_verify_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    ffi_boundary! {
        let v = try_mut!(v);
        v.settings.hook = VerifyHook::new(cb, userdata);
        ferrotls_result::FERROTLS_OK
    }
}
