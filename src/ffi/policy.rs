//! The settings both builders share (versions, suites, legacy profile, EMS, EtM, ALPN), kept as plain
//! values and applied to a fresh Rust builder at each `_build`, so that the order of the C
//! setters never matters and a builder can build several configurations.

use crate::msgs::enums::ProtocolVersion;

/// Protocol versions, as `ferrotls_*_config_builder_set_versions` takes them and
/// `ferrotls_conn_protocol_version` returns them (the wire values; arguments are `uint16_t`).
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ferrotls_tls_version {
    /// TLS 1.0 (RFC 2246); needs the legacy profile.
    FERROTLS_TLS1_0 = 0x0301,
    /// TLS 1.1 (RFC 4346); needs the legacy profile.
    FERROTLS_TLS1_1 = 0x0302,
    /// TLS 1.2 (RFC 5246).
    FERROTLS_TLS1_2 = 0x0303,
    /// TLS 1.3 (RFC 8446), the default maximum.
    FERROTLS_TLS1_3 = 0x0304,
}

pub(crate) const FERROTLS_TLS1_0: u16 = ferrotls_tls_version::FERROTLS_TLS1_0 as u16;
pub(crate) const FERROTLS_TLS1_3: u16 = ferrotls_tls_version::FERROTLS_TLS1_3 as u16;

#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub(crate) legacy: bool,
    /// 0 means "the profile's default" for that bound.
    pub(crate) min_version: u16,
    pub(crate) max_version: u16,
    pub(crate) cipher_list: Option<String>,
    /// TLS 1.3 suites (`_set_ciphersuites`, or the 1.3 names given to `_set_cipher_list`).
    pub(crate) ciphersuites: Option<String>,
    pub(crate) extended_master_secret: bool,
    pub(crate) encrypt_then_mac: bool,
    /// ALPN protocol names (RFC 7301), checked by the Rust builder at `_build`.
    pub(crate) alpn_protocols: Vec<Vec<u8>>,
    /// Where secrets go (`_set_keylog_callback`).
    pub(crate) key_log: Option<super::keylog::KeyLogHook>,
    /// Session tickets (RFC 5077): offered by clients, issued by servers.
    pub(crate) tickets: bool,
    /// `_set_groups` / `_set_signature_schemes` (`None`: the defaults).
    pub(crate) groups: Option<Vec<crate::enums::NamedGroup>>,
    pub(crate) signature_schemes: Option<Vec<crate::enums::SignatureScheme>>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            legacy: false,
            min_version: 0,
            max_version: 0,
            cipher_list: None,
            ciphersuites: None,
            extended_master_secret: crate::config::defaults::EXTENDED_MASTER_SECRET,
            encrypt_then_mac: crate::config::defaults::ENCRYPT_THEN_MAC,
            alpn_protocols: Vec::new(),
            key_log: None,
            tickets: crate::config::defaults::SESSION_TICKETS,
            groups: None,
            signature_schemes: None,
        }
    }
}

impl Policy {
    /// The explicit version range, if any bound was set: an unset bound is the profile's
    /// default (as the `ferrotls` command does it).
    pub(crate) fn versions(&self) -> Option<(ProtocolVersion, ProtocolVersion)> {
        if self.min_version == 0 && self.max_version == 0 {
            return None;
        }
        let max = if self.max_version == 0 {
            crate::config::defaults::MAX_VERSION
        } else {
            ProtocolVersion::from(self.max_version)
        };
        let lowest = if self.legacy {
            crate::config::defaults::LEGACY_MIN_VERSION
        } else {
            crate::config::defaults::MIN_VERSION
        };
        let min =
            if self.min_version == 0 { lowest.min(max) } else { ProtocolVersion::from(self.min_version) };
        Some((min, max))
    }
}

/// A version argument: 0 or one of the `FERROTLS_TLS1_*` values.
pub(crate) fn check_version(v: u16) -> bool {
    v == 0 || (FERROTLS_TLS1_0..=FERROTLS_TLS1_3).contains(&v)
}

/// Applies a [`Policy`] to either Rust builder (they share the setter names).
macro_rules! apply_policy {
    ($b:expr, $p:expr) => {{
        let p = &$p;
        let mut b = $b
            .legacy(p.legacy)
            .extended_master_secret(p.extended_master_secret)
            .encrypt_then_mac(p.encrypt_then_mac)
            .tickets(p.tickets)
            .alpn_protocols(p.alpn_protocols.clone());
        if let Some((min, max)) = p.versions() {
            b = b.versions(min, max);
        }
        if let Some(list) = &p.cipher_list {
            b = b.cipher_list(list);
        }
        if let Some(list) = &p.ciphersuites {
            b = b.tls13_ciphersuites(list);
        }
        if let Some(hook) = p.key_log {
            b = b.key_log(std::sync::Arc::new(hook));
        }
        if let Some(groups) = &p.groups {
            b = b.kx_group_names(groups);
        }
        if let Some(schemes) = &p.signature_schemes {
            b = b.signature_schemes(schemes.clone());
        }
        b
    }};
}

// ---------------------------------------------------------------------------------------------
// The setters both builders share. Each exported `ferrotls_{client,server}_config_builder_set_*`
// keeps its own name and documentation (the header shows them) and calls one of these, which
// has the entry-point shape itself: panic boundary, NULL checks, then the safe change.

use super::result::{ferrotls_result, report, Failure, LastError};
use super::slice::ferrotls_slice_bytes;
use libc::{c_char, size_t};

/// A C builder as the shared setters see it: its [`Policy`] and its last-error slot.
pub(crate) trait PolicyBuilder {
    fn parts(&mut self) -> (&mut Policy, &mut LastError);
}

pub(crate) fn set_versions<B: PolicyBuilder>(
    builder: *mut B,
    min_version: u16,
    max_version: u16,
) -> ferrotls_result {
    ffi_boundary! {
        let (policy, last_error) = try_mut!(builder).parts();
        for v in [min_version, max_version] {
            if !check_version(v) {
                return report(
                    Failure::new(ferrotls_result::FERROTLS_INVALID_ARGUMENT, format!("0x{v:04x} is not a supported TLS version")),
                    Some(last_error),
                );
            }
        }
        policy.min_version = min_version;
        policy.max_version = max_version;
        ferrotls_result::FERROTLS_OK
    }
}

/// Whether `name` is one of the TLS 1.3 suites of the process's provider (their OpenSSL names
/// are the IANA ones, `TLS_AES_128_GCM_SHA256` ...).
fn is_tls13_suite_name(name: &str) -> bool {
    crate::config::default_provider().tls13_cipher_suites.iter().any(|s| s.is_named(name))
}

/// `_set_cipher_list`: one list for both families, as a C caller writes it. The TLS 1.3 names
/// in it become the 1.3 list and the others the TLS 1.0-1.2 list; a family the list does not
/// name keeps its defaults (so `"TLS_AES_256_GCM_SHA384"` alone changes only TLS 1.3, and
/// `"ECDHE-RSA-AES128-GCM-SHA256"` alone only TLS 1.2, as OpenSSL keeps the two apart).
pub(crate) fn set_cipher_list<B: PolicyBuilder>(builder: *mut B, list: *const c_char) -> ferrotls_result {
    ffi_boundary! {
        let (policy, last_error) = try_mut!(builder).parts();
        if list.is_null() {
            policy.cipher_list = None;
            policy.ciphersuites = None;
            return ferrotls_result::FERROTLS_OK;
        }
        let list = try_str!(list, Some(last_error));
        let (tls13, tls12): (Vec<&str>, Vec<&str>) =
            list.split([':', ',', ' ']).filter(|n| !n.is_empty()).partition(|n| is_tls13_suite_name(n));
        policy.cipher_list = if tls12.is_empty() && !tls13.is_empty() { None } else { Some(tls12.join(":")) };
        policy.ciphersuites = if tls13.is_empty() { None } else { Some(tls13.join(":")) };
        ferrotls_result::FERROTLS_OK
    }
}

/// `_set_ciphersuites`: the TLS 1.3 suites alone (OpenSSL's `SSL_CTX_set_ciphersuites`); an
/// empty list turns TLS 1.3 suites off, NULL restores the defaults. Unknown names fail here.
pub(crate) fn set_ciphersuites<B: PolicyBuilder>(builder: *mut B, list: *const c_char) -> ferrotls_result {
    ffi_boundary! {
        let (policy, last_error) = try_mut!(builder).parts();
        if list.is_null() {
            policy.ciphersuites = None;
            return ferrotls_result::FERROTLS_OK;
        }
        let list = try_str!(list, Some(last_error));
        let names: Vec<&str> = list.split(':').filter(|n| !n.is_empty()).collect();
        if let Some(bad) = names.iter().find(|n| !is_tls13_suite_name(n)) {
            let have: Vec<&str> =
                crate::config::default_provider().tls13_cipher_suites.iter().map(|s| s.iana_name).collect();
            return report(
                Failure::new(
                    ferrotls_result::FERROTLS_INVALID_ARGUMENT,
                    format!("{bad:?} is not a TLS 1.3 cipher suite (this build has {})", have.join(", ")),
                ),
                Some(last_error),
            );
        }
        policy.ciphersuites = Some(names.join(":"));
        ferrotls_result::FERROTLS_OK
    }
}

/// Which switch of the policy a `bool` setter turns.
#[derive(Clone, Copy)]
pub(crate) enum Switch {
    Legacy,
    ExtendedMasterSecret,
    EncryptThenMac,
    Tickets,
}

pub(crate) fn set_switch<B: PolicyBuilder>(builder: *mut B, switch: Switch, on: bool) -> ferrotls_result {
    ffi_boundary! {
        let (policy, _) = try_mut!(builder).parts();
        *match switch {
            Switch::Legacy => &mut policy.legacy,
            Switch::ExtendedMasterSecret => &mut policy.extended_master_secret,
            Switch::EncryptThenMac => &mut policy.encrypt_then_mac,
            Switch::Tickets => &mut policy.tickets,
        } = on;
        ferrotls_result::FERROTLS_OK
    }
}

pub(crate) fn set_alpn_protocols<B: PolicyBuilder>(
    builder: *mut B,
    protocols: *const ferrotls_slice_bytes,
    count: size_t,
) -> ferrotls_result {
    ffi_boundary! {
        let (policy, last_error) = try_mut!(builder).parts();
        policy.alpn_protocols = try_byte_strings!(protocols, count, Some(last_error));
        ferrotls_result::FERROTLS_OK
    }
}

pub(crate) fn set_keylog_callback<B: PolicyBuilder>(
    builder: *mut B,
    callback: super::keylog::ferrotls_keylog_callback,
    userdata: *mut libc::c_void,
) -> ferrotls_result {
    ffi_boundary! {
        let (policy, _) = try_mut!(builder).parts();
        policy.key_log = super::keylog::KeyLogHook::new(callback, userdata);
        ferrotls_result::FERROTLS_OK
    }
}
