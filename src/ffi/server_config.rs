//! `ferrotls_server_config_builder` and `ferrotls_server_config`.

use super::cert::ferrotls_cert_chain;
use super::client_verifier::{ferrotls_client_verifier, ClientVerifierSettings};
use super::key::ferrotls_private_key;
use super::policy::{Policy, PolicyBuilder, Switch};
use super::result::{ferrotls_result, Failure, LastError};
use super::slice::ferrotls_slice_bytes;
use crate::config::{
    CertifiedKey, ResolvesServerCert, ResolvesServerCertUsingKeyType, ResolvesServerCertUsingSni,
    ServerConfig,
};
use crate::x509::{CertificateDer, PrivateKeyDer};
use libc::{c_char, size_t};
use std::sync::Arc;

/// Collects server settings; `ferrotls_server_config_builder_build` turns them into an
/// immutable `ferrotls_server_config`. Same rules as the client builder: setters record,
/// build checks everything (message in `_last_error`), building does not consume the builder.
///
/// Methods: `ferrotls_server_config_builder_set_versions`, `_set_cipher_list`, `_set_ciphersuites`, `_set_legacy`,
/// `_set_extended_master_secret`, `_set_encrypt_then_mac`, `_set_cert_chain_and_key`,
/// `_add_cert_chain_and_key`, `_add_sni_cert_chain_and_key`, `_build`,
/// `_set_client_verifier`, `_set_alpn_protocols`, `_set_keylog_callback`, `_last_error`;
/// the server-name callback (`sni.rs`): `_set_server_name_callback`; sessions (`session.rs`): `_set_session_cache_size`,
/// `_set_session_timeout`, `_set_session_id_context`, `_set_tls13_tickets`.
pub struct ferrotls_server_config_builder {
    policy: Policy,
    /// The certificates for any client (one per key type), or for clients whose name has no
    /// entry in `sni` when there is one.
    certs: Vec<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    /// Certificates by server name (SNI), in the order added.
    sni: Vec<(String, Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    client_verifier: Option<ClientVerifierSettings>,
    /// `_set_server_name_callback` (`sni.rs`): chooses among or beside the certificates above.
    pub(crate) server_name_hook: Option<super::sni::ServerNameHook>,
    pub(crate) sessions: super::session::SessionCacheSettings,
    last_error: LastError,
}

impl PolicyBuilder for ferrotls_server_config_builder {
    fn parts(&mut self) -> (&mut Policy, &mut LastError) {
        (&mut self.policy, &mut self.last_error)
    }
}

/// Immutable server settings, shared by any number of connections on any threads (a listener
/// typically builds one and creates a connection per accepted socket). Freed by
/// `ferrotls_server_config_free`; connections keep their own reference.
///
/// Methods: `ferrotls_conn_new_server`.
pub struct ferrotls_server_config {
    pub(crate) config: Arc<ServerConfig>,
}

impl ferrotls_server_config_builder {
    /// The certificates by name, with the others as the default.
    fn sni_resolver(&self) -> Result<ResolvesServerCertUsingSni, Failure> {
        let provider = crate::config::default_provider();
        let mut resolver = ResolvesServerCertUsingSni::new();
        for (name, chain, key) in &self.sni {
            resolver.add(name, Arc::new(CertifiedKey::load(provider, chain.clone(), key)?))?;
        }
        for (chain, key) in &self.certs {
            resolver.add_default(Arc::new(CertifiedKey::load(provider, chain.clone(), key)?));
        }
        Ok(resolver)
    }

    fn build(&self) -> Result<ServerConfig, Failure> {
        let mut b = apply_policy!(ServerConfig::builder(), self.policy);
        let provider = crate::config::default_provider();
        if let Some(hook) = &self.server_name_hook {
            // The callback's DEFAULT answer serves what the builder would have served alone.
            let inner: Option<Arc<dyn ResolvesServerCert>> = if !self.sni.is_empty() {
                Some(Arc::new(self.sni_resolver()?))
            } else if !self.certs.is_empty() {
                let mut set = ResolvesServerCertUsingKeyType::new();
                for (chain, key) in &self.certs {
                    set.add(Arc::new(CertifiedKey::load(provider, chain.clone(), key)?));
                }
                Some(Arc::new(set))
            } else {
                None
            };
            b = b.cert_resolver(Arc::new(hook.resolver(inner)));
        } else if self.sni.is_empty() {
            for (chain, key) in &self.certs {
                b = b.add_cert(chain.clone(), key.clone_key());
            }
        } else {
            b = b.cert_resolver(Arc::new(self.sni_resolver()?));
        }
        if let Some(settings) = &self.client_verifier {
            b = b.client_verifier(Arc::new(settings.build(self.policy.legacy)?));
        }
        b = self.sessions.apply(b);
        Ok(b.build()?)
    }
}

/// A builder with the defaults: TLS 1.2, the AES-CBC suites, EMS and EtM on. It needs a
/// certificate chain and key (`_set_cert_chain_and_key`) before it can build.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_new(
    builder_out: *mut *mut ferrotls_server_config_builder,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(builder_out);
        out.write(super::handle::into_raw(ferrotls_server_config_builder {
            policy: Policy::default(),
            certs: Vec::new(),
            sni: Vec::new(),
            client_verifier: None,
            server_name_hook: None,
            sessions: Default::default(),
            last_error: LastError::default(),
        }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Frees a builder. Configurations it built are unaffected. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_free(builder: *mut ferrotls_server_config_builder) {
    ffi_boundary! {
        free_handle!(builder)
    }
}

/// Sets the protocol version range: `FERROTLS_TLS1_0`, `FERROTLS_TLS1_1`, `FERROTLS_TLS1_2`
/// or `FERROTLS_TLS1_3`, or 0 for the profile's default bound (TLS 1.2 .. TLS 1.3; the legacy
/// profile's lowest is TLS 1.0). Versions below TLS 1.2 need the legacy profile (checked at
/// build). Other values fail with `FERROTLS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_versions(
    builder: *mut ferrotls_server_config_builder,
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
pub extern "C" fn ferrotls_server_config_builder_set_cipher_list(
    builder: *mut ferrotls_server_config_builder,
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
pub extern "C" fn ferrotls_server_config_builder_set_ciphersuites(
    builder: *mut ferrotls_server_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    crate::ffi::policy::set_ciphersuites(builder, list)
}

/// Turns the legacy profile on or off: TLS 1.0/1.1, 3DES and RC4 become available,
/// and SHA-1-signed certificates are accepted. Off by default.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_legacy(
    builder: *mut ferrotls_server_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::Legacy, on)
}

/// Offers/accepts the extended master secret (RFC 7627). On by default.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_extended_master_secret(
    builder: *mut ferrotls_server_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::ExtendedMasterSecret, on)
}

/// Offers/accepts encrypt-then-MAC (RFC 7366). On by default.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_encrypt_then_mac(
    builder: *mut ferrotls_server_config_builder,
    on: bool,
) -> ferrotls_result {
    crate::ffi::policy::set_switch(builder, Switch::EncryptThenMac, on)
}

/// The certificate chain (leaf first) and its private key (RSA, ECDSA P-256/P-384 or
/// Ed25519), replacing any set or added before; both are copied, so the caller may free them
/// afterwards. A key that does not match the leaf is refused at build.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_cert_chain_and_key(
    builder: *mut ferrotls_server_config_builder,
    chain: *const ferrotls_cert_chain,
    key: *const ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let chain = try_ref!(chain);
        let key = try_ref!(key);
        b.certs = vec![(chain.ders(), key.key())];
        ferrotls_result::FERROTLS_OK
    }
}

/// Adds a certificate chain and key beside those set or added before, normally one per key
/// type (say an RSA and an ECDSA certificate). Each client gets, for the first cipher suite in
/// the server's order that it offered, the first certificate that can authenticate that suite
/// with the client's signature algorithms (RSA key exchange needs an RSA key; ECDHE-ECDSA an
/// ECDSA or Ed25519 key). Copied like `_set_cert_chain_and_key`.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_add_cert_chain_and_key(
    builder: *mut ferrotls_server_config_builder,
    chain: *const ferrotls_cert_chain,
    key: *const ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let chain = try_ref!(chain);
        let key = try_ref!(key);
        b.certs.push((chain.ders(), key.key()));
        ferrotls_result::FERROTLS_OK
    }
}

/// Serves this chain and key to clients that ask for `server_name` (SNI, RFC 6066): a DNS
/// name, matched without regard to case or a trailing dot, or `*.example.com` for names one
/// label below. Call again with another key type for the same name to hold both. Once any
/// name is added, the certificates of `_set_cert_chain_and_key`/`_add_cert_chain_and_key`
/// serve clients that send no name or a name not added; without them such clients are
/// refused (alert unrecognized_name when they sent a name, `FERROTLS_PEER_INCOMPATIBLE` on the
/// server). The leaf must be valid for `server_name` (its subjectAltName): checked at build
/// (`FERROTLS_BAD_CONFIG`). Copied; `server_name` is only read during the call.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_add_sni_cert_chain_and_key(
    builder: *mut ferrotls_server_config_builder,
    server_name: *const c_char,
    chain: *const ferrotls_cert_chain,
    key: *const ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let name = try_str!(server_name, Some(&mut b.last_error));
        let chain = try_ref!(chain);
        let key = try_ref!(key);
        b.sni.push((name.to_owned(), chain.ders(), key.key()));
        ferrotls_result::FERROTLS_OK
    }
}

/// Mutual authentication: the server asks every client for a certificate (CertificateRequest
/// naming the verifier's CAs) and verifies it with `v`, whose settings are copied (the verifier
/// may be changed or freed afterwards). A required certificate that is missing fails the
/// handshake with handshake_failure, an untrusted one with unknown_ca (and so on, per
/// reason); the client's chain is then `ferrotls_conn_peer_cert_chain`. The verifier's
/// signature algorithms follow this builder's legacy profile unless
/// `ferrotls_client_verifier_set_legacy` was called.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_client_verifier(
    b: *mut ferrotls_server_config_builder,
    v: *const ferrotls_client_verifier,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(b);
        let v = try_ref!(v);
        b.client_verifier = Some(v.settings.clone());
        ferrotls_result::FERROTLS_OK
    }
}

/// ALPN (RFC 7301): the application protocols this server accepts, most preferred
/// first, as `count` byte strings (copied: the caller may free them afterwards), e.g.
/// `{ {(const uint8_t *)"h2", 2}, {(const uint8_t *)"http/1.1", 8} }`. Replaces an earlier list;
/// `count` 0 turns ALPN off (the default). The server selects, by its own preference, the first of these that the client offered, and refuses a client that offered ALPN but none of them with the alert no_application_protocol (`FERROTLS_PEER_INCOMPATIBLE`); a client without ALPN is served without it.
/// `ferrotls_conn_alpn_protocol` reports the result. Each name must be 1 to 255 bytes and the
/// list must fit a TLS extension: checked at build (`FERROTLS_BAD_CONFIG`).
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_alpn_protocols(
    builder: *mut ferrotls_server_config_builder,
    protocols: *const ferrotls_slice_bytes,
    count: size_t,
) -> ferrotls_result {
    crate::ffi::policy::set_alpn_protocols(builder, protocols, count)
}

/// Checks the settings together and builds a configuration: on success `*config_out` is a
/// new handle (free it with `ferrotls_server_config_free`). Fails with `FERROTLS_BAD_CONFIG`
/// and a message in `ferrotls_server_config_builder_last_error`.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_build(
    builder: *mut ferrotls_server_config_builder,
    config_out: *mut *mut ferrotls_server_config,
) -> ferrotls_result {
    ffi_boundary! {
        let b = try_mut!(builder);
        let out = try_out!(config_out);
        let config = try_ok!(b.build(), Some(&mut b.last_error));
        out.write(super::handle::into_raw(ferrotls_server_config { config: Arc::new(config) }));
        ferrotls_result::FERROTLS_OK
    }
}

/// The builder's most recent failure message, NUL-terminated ("" if none), owned by the
/// builder. NULL only when `builder` is NULL.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_last_error(
    builder: *const ferrotls_server_config_builder,
) -> *const c_char {
    ffi_boundary! {
        let b = try_ref!(builder);
        b.last_error.as_ptr()
    }
}

/// Releases the caller's reference to a configuration; connections made from it keep
/// theirs. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_free(config: *mut ferrotls_server_config) {
    ffi_boundary! {
        free_handle!(config)
    }
}
