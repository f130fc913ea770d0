//! `ferrotls_client_config_builder` and `ferrotls_client_config`.

use super::cert::ferrotls_cert_chain;
use super::client_verifier::{ferrotls_verify_callback, parse_crls, VerifyHook};
use super::key::ferrotls_private_key;
use super::policy::{Policy, PolicyBuilder, Switch};
use super::result::{ferrotls_result, report, Failure, LastError};
use super::slice::ferrotls_slice_bytes;
use super::trust_store::ferrotls_trust_store;
use crate::config::ClientConfig;
use crate::x509::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, RootCertStore, WebPkiServerVerifier,
};
use libc::{c_char, c_void, size_t};
use std::sync::Arc;

/// Collects client settings; `ferrotls_client_config_builder_build` turns them into an
/// immutable `ferrotls_client_config`.
///
/// Setters only record values: everything is checked together at build, whose failure
/// message is in `ferrotls_client_config_builder_last_error`. Building does not consume the
/// builder (it can build again, e.g. after a fix) and the configurations it built stay valid
/// after `ferrotls_client_config_builder_free`. One thread at a time.
///
/// Methods: `ferrotls_client_config_builder_set_versions`, `_set_cipher_list`, `_set_ciphersuites`, `_set_legacy`,
/// `_set_extended_master_secret`, `_set_encrypt_then_mac`, `_set_trust_store`,
/// `_dangerous_no_verify`, `_set_enable_sni`, `_set_send_fallback_scsv`, `_set_client_cert`,
/// `_set_verify_callback`, `_add_crl_pem`, `_set_alpn_protocols`, `_set_keylog_callback`, `_build`,
/// `_last_error`.
pub struct ferrotls_client_config_builder {
    policy: Policy,
    roots: Option<RootCertStore>,
    client_cert: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    crls: Vec<CertificateRevocationListDer<'static>>,
    hook: Option<VerifyHook>,
    no_verify: bool,
    enable_sni: bool,
    send_fallback_scsv: bool,
    /// `ferrotls_client_config_builder_set_session_cache_size`; `None`: the default.
    pub(crate) session_cache_size: Option<usize>,
    last_error: LastError,
}

impl PolicyBuilder for ferrotls_client_config_builder {
    fn parts(&mut self) -> (&mut Policy, &mut LastError) {
        (&mut self.policy, &mut self.last_error)
    }
}

/// Immutable client settings, shared by any number of connections on any threads.
///
/// Made by `ferrotls_client_config_builder_build`, freed by `ferrotls_client_config_free`.
/// Each connection keeps its own reference, so the config may be freed while connections made
/// from it are still in use. Safe to use from several threads at once.
///
/// Methods: `ferrotls_conn_new_client`.
pub struct ferrotls_client_config {
    pub(crate) config: Arc<ClientConfig>,
}

impl ferrotls_client_config_builder {
    fn build(&self) -> Result<ClientConfig, Failure> {
        let mut b = apply_policy!(ClientConfig::builder(), self.policy)
            .enable_sni(self.enable_sni)
            .send_fallback_scsv(self.send_fallback_scsv);
        if let Some(size) = self.session_cache_size {
            b = b.session_cache(size);
        }
        if self.no_verify {
            b = b.dangerous_no_verification();
        } else if let Some(roots) = &self.roots {
            if self.crls.is_empty() && self.hook.is_none() {
                b = b.root_store(roots.clone());
            } else {
                // The same verification as `root_store` (SHA-1 only with the legacy profile, no
                // CN fallback), plus the CRLs and the callback.
                let provider = crate::config::default_provider();
                let roots = std::sync::Arc::new(roots.clone());
                let mut v = if self.policy.legacy {
                    WebPkiServerVerifier::new_legacy(roots, provider).with_legacy_common_name(false)
                } else {
                    WebPkiServerVerifier::new(roots, provider)
                };
                if !self.crls.is_empty() {
                    v = v.with_crls(&self.crls)?;
                }
                if let Some(hook) = self.hook {
                    v = v.with_verify_callback(hook.into_closure());
                }
                b = b.verifier(Arc::new(v));
            }
        }
        if let Some((chain, key)) = &self.client_cert {
            b = b.client_auth_cert(chain.clone(), key.clone_key());
        }
        Ok(b.build()?)
    }
}

/// A builder with the defaults: TLS 1.2, the AES-CBC suites, EMS and EtM on, SNI on, and no
/// trust anchors (building fails until `_set_trust_store` or `_dangerous_no_verify`).
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_new(
    builder_out: *mut *mut ferrotls_client_config_builder,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(builder_out);
        out.write(super::handle::into_raw(ferrotls_client_config_builder {
            policy: Policy::default(),
            roots: None,
            client_cert: None,
            crls: Vec::new(),
            hook: None,
            no_verify: false,
            enable_sni: true,
            send_fallback_scsv: false,
            session_cache_size: None,
            last_error: LastError::default(),
        }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a builder. Configurations it built are unaffected. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_free(builder: *mut ferrotls_client_config_builder) {
    ffi_boundary! {
        free_handle!(builder)
    }
}

/// Sets the protocol version range: `FERROTLS_TLS1_0`, `FERROTLS_TLS1_1`, `FERROTLS_TLS1_2`
/// or `FERROTLS_TLS1_3`, or 0 for the profile's default bound (TLS 1.2 .. TLS 1.3; the legacy
/// profile's lowest is TLS 1.0). Versions below TLS 1.2 need the legacy profile (checked at
/// build). Other values fail with `FERROTLS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_versions(
    builder: *mut ferrotls_client_config_builder,
    min_version: u16,
    max_version: u16,
) -> ferrotls_result {
    crate::ffi::policy::set_versions(builder, min_version, max_version)
}

/// Restricts and orders the cipher suites: OpenSSL names (`AES128-SHA:AES256-SHA256`)
/// or IANA names separated by `:`. TLS 1.3 names (`TLS_AES_128_GCM_SHA256` ...) in the list
/// restrict and order the TLS 1.3 suites, as `_set_ciphersuites` does, and the other names the
/// TLS 1.0-1.2 suites; a family the list does not name keeps its default suites. Unknown names
/// and legacy suites without the legacy profile are refused at build (`FERROTLS_BAD_CONFIG`).
/// NULL restores the defaults of both families.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_cipher_list(
    builder: *mut ferrotls_client_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    crate::ffi::policy::set_cipher_list(builder, list)
}

/// Restricts and orders the TLS 1.3 suites alone, as OpenSSL's `SSL_CTX_set_ciphersuites`:
/// IANA names separated by `:` (`TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256`). An
/// empty string turns TLS 1.3 suites off (TLS 1.3 is then not spoken); NULL restores the
/// default (`TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256`). A
/// name that is not a TLS 1.3 suite fails with `FERROTLS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_ciphersuites(
    builder: *mut ferrotls_client_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    crate::ffi::policy::set_ciphersuites(builder, list)
}

/// Turns the legacy profile on or off: TLS 1.0/1.1, 3DES and RC4 become available,
/// and SHA-1-signed certificates are accepted. Off by default.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_legacy(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::Legacy, on)
}

/// Offers/accepts the extended master secret (RFC 7627). On by default.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_extended_master_secret(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::ExtendedMasterSecret, on)
}

/// Offers/accepts encrypt-then-MAC (RFC 7366). On by default.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_encrypt_then_mac(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::EncryptThenMac, on)
}

/// Verifies servers against the CAs in `store` (copied: the store may be freed or changed
/// afterwards): chain to a trusted CA, validity, and the server name against subjectAltName.
/// Replaces an earlier `_dangerous_no_verify`.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_trust_store(
    builder: *mut ferrotls_client_config_builder,
    store: *const ferrotls_trust_store,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let store = try_ref!(store);
        b.roots = Some(store.roots.clone());
        b.no_verify = false;
        ferrotls_result::FERROTLS_OK
    }
}

/// DANGER: accepts any server certificate, for any name, at any time. Anyone on the path can
/// then read and change the connection: only for testing against a known endpoint.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_dangerous_no_verify(
    builder: *mut ferrotls_client_config_builder,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.no_verify = true;
        ferrotls_result::FERROTLS_OK
    }
}

/// Sends the server name (SNI, RFC 6066) for DNS names. On by default.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_enable_sni(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.enable_sni = on;
        ferrotls_result::FERROTLS_OK
    }
}

/// Sends TLS_FALLBACK_SCSV (RFC 7507): only for a client retrying with a lower maximum
/// version after a failed connection. Off by default.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_send_fallback_scsv(
    builder: *mut ferrotls_client_config_builder,
    on: bool,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        b.send_fallback_scsv = on;
        ferrotls_result::FERROTLS_OK
    }
}

/// Mutual authentication: the certificate chain (leaf first) and RSA private key the client
/// presents when a server asks for one (both copied: the caller may free them afterwards).
/// The client sends it only when the server's CertificateRequest allows it; otherwise it sends
/// no certificate and the server decides (`ferrotls_conn_client_certificate_sent` tells which).
/// A key that does not match the leaf is refused at build (`FERROTLS_BAD_CONFIG`).
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_client_cert(
    b: *mut ferrotls_client_config_builder,
    chain: *const ferrotls_cert_chain,
    key: *const ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(b);
        let chain = try_ref!(chain);
        let key = try_ref!(key);
        b.client_cert = Some((chain.ders(), key.key()));
        ferrotls_result::FERROTLS_OK
    }
}

/// Installs a verify callback (see `ferrotls_verify_callback`) for server chains, replacing an
/// earlier one; a NULL `cb` removes it. `userdata` is passed back unchanged (it may be NULL).
/// It applies with `_set_trust_store` (not with `_dangerous_no_verify`); the server name is
/// checked at depth 0, so a callback can also accept a name mismatch there.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_verify_callback(
    b: *mut ferrotls_client_config_builder,
    cb: ferrotls_verify_callback,
    userdata: *mut c_void,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(b);
        b.hook = VerifyHook::new(cb, userdata);
        ferrotls_result::FERROTLS_OK
    }
}

/// Adds the CRLs in PEM text (`X509 CRL` blocks, or one DER CRL) to the server verification:
/// a listed certificate anywhere in the server's path fails with `FERROTLS_CERT_REVOKED`.
/// Fails with `FERROTLS_PEM_*` when there is no CRL, or a certificate code when one does not
/// parse; nothing is added then.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_add_crl_pem(
    b: *mut ferrotls_client_config_builder,
    pem: *const u8,
    len: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(b);
        let pem = try_slice!(pem, len, Some(&mut b.last_error));
        let crls = match parse_crls(pem) {
            Ok(c) => c,
            Err(f) => return report(f, Some(&mut b.last_error)),
        };
        b.crls.extend(crls);
        ferrotls_result::FERROTLS_OK
    }
}

/// ALPN (RFC 7301): the application protocols this client offers, most preferred
/// first, as `count` byte strings (copied: the caller may free them afterwards), e.g.
/// `{ {(const uint8_t *)"h2", 2}, {(const uint8_t *)"http/1.1", 8} }`. Replaces an earlier list;
/// `count` 0 turns ALPN off (the default). The server chooses one of them (or none);
/// `ferrotls_conn_alpn_protocol` reports it. A server that selects a protocol not offered
/// here fails the handshake with illegal_parameter (`FERROTLS_PEER_MISBEHAVED`). Each name must be 1 to 255 bytes and the
/// list must fit a TLS extension: checked at build (`FERROTLS_BAD_CONFIG`).
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_alpn_protocols(
    builder: *mut ferrotls_client_config_builder,
    protocols: *const ferrotls_slice_bytes,
    count: size_t,
) -> ferrotls_result {
    crate::ffi::policy::set_alpn_protocols(builder, protocols, count)
}

/// Checks the settings together and builds a configuration: on success `*config_out` is a
/// new handle (free it with `ferrotls_client_config_free`). Fails with `FERROTLS_BAD_CONFIG`
/// (e.g. no trust anchors, TLS 1.0 without legacy, an unknown suite) and a message in
/// `ferrotls_client_config_builder_last_error`. The builder stays usable.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_build(
    builder: *mut ferrotls_client_config_builder,
    config_out: *mut *mut ferrotls_client_config,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let out = try_out!(config_out);
        let config = try_ok!(b.build(), Some(&mut b.last_error));
        out.write(super::handle::into_raw(ferrotls_client_config { config: Arc::new(config) }));
        ferrotls_result::FERROTLS_OK
    }
}

/// The builder's most recent failure message, NUL-terminated ("" if none), owned by the
/// builder. NULL only when `builder` is NULL.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_last_error(
    builder: *const ferrotls_client_config_builder,
) -> *const c_char {
    ffi_boundary! {
        let b = try_ref!(builder);
        b.last_error.as_ptr()
    }
}

/// Releases the caller's reference to a configuration; connections made from it keep
/// theirs. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_free(config: *mut ferrotls_client_config) {
    ffi_boundary! {
        free_handle!(config)
    }
}
