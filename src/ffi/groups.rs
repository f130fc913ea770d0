//! Key exchange groups and signature schemes: the preference setters both config builders take
//! and the connection's negotiated group and signature schemes.

use super::client_config::ferrotls_client_config_builder;
use super::conn::ferrotls_conn;
use super::policy::PolicyBuilder;
use super::result::{ferrotls_result, report, Failure};
use crate::enums::{NamedGroup, SignatureScheme};
use libc::c_char;
use std::ffi::CStr;

/// Which preference list a setter replaces.
#[derive(Clone, Copy)]
enum List {
    Groups,
    SignatureSchemes,
}

fn set_list<B: PolicyBuilder>(builder: *mut B, list: *const c_char, which: List) -> ferrotls_result {
    ffi_boundary! {
        let (policy, last_error) = try_mut!(builder).parts();
        if list.is_null() {
            match which {
                List::Groups => policy.groups = None,
                List::SignatureSchemes => policy.signature_schemes = None,
            }
            return ferrotls_result::FERROTLS_OK;
        }
        let text = try_str!(list, Some(last_error));
        let parsed = match which {
            List::Groups => crate::config::names::parse_group_list(text).map(|g| policy.groups = Some(g)),
            List::SignatureSchemes => crate::config::names::parse_signature_scheme_list(text)
                .map(|s| policy.signature_schemes = Some(s)),
        };
        match parsed {
            Ok(()) => ferrotls_result::FERROTLS_OK,
            Err(e) => report(Failure::new(ferrotls_result::FERROTLS_INVALID_ARGUMENT, e.to_string()), Some(last_error)),
        }
    }
}

/// The key exchange groups, most preferred first, as OpenSSL names them
/// (`"X25519MLKEM768:X25519:P-256:P-384"`; IANA names such as `x25519`, `secp256r1` also work).
/// A client offers them in this order, with a TLS 1.3 key share for the first (and an X25519
/// one beside a first X25519MLKEM768 when X25519 is listed); a server picks its first group the
/// client sent a share for, else its first the client listed. NULL restores the default (the
/// provider's: X25519MLKEM768, X25519, P-256, P-384; the hybrid only when TLS 1.3 can be
/// spoken). An unknown name is
/// `FERROTLS_INVALID_ARGUMENT` at once (the builder keeps its list); a group the provider does
/// not implement fails at build (`FERROTLS_BAD_CONFIG`).
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_groups(
    builder: *mut ferrotls_client_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    set_list(builder, list, List::Groups)
}

/// As `ferrotls_client_config_builder_set_groups`, for servers.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_groups(
    builder: *mut super::server_config::ferrotls_server_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    set_list(builder, list, List::Groups)
}

/// The TLS 1.2 signature schemes, most preferred first: OpenSSL's `SIG+HASH` form
/// (`"RSA-PSS+SHA256:ECDSA+SHA256:RSA+SHA256"`) or IANA names (`rsa_pss_rsae_sha256`,
/// `ecdsa_secp256r1_sha256`, `ed25519`). A client offers them (those its verifier can check); a
/// server signs only with one of them the client offered. SHA-1 schemes need the legacy profile
/// (checked at build). NULL restores the default. Errors as for `_set_groups`.
#[no_mangle]
pub extern "C" fn ferrotls_client_config_builder_set_signature_schemes(
    builder: *mut ferrotls_client_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    set_list(builder, list, List::SignatureSchemes)
}

/// As `ferrotls_client_config_builder_set_signature_schemes`, for servers.
#[no_mangle]
pub extern "C" fn ferrotls_server_config_builder_set_signature_schemes(
    builder: *mut super::server_config::ferrotls_server_config_builder,
    list: *const c_char,
) -> ferrotls_result {
    set_list(builder, list, List::SignatureSchemes)
}

/// The group the handshake agreed, by IANA number (0x001D for X25519, 0x11EC for
/// X25519MLKEM768), or 0: before it is known, and with RSA key exchange.
#[no_mangle]
pub extern "C" fn ferrotls_conn_negotiated_group(conn: *const ferrotls_conn) -> u16 {
    ffi_boundary! {
        try_ref!(conn).conn().negotiated_group().map_or(0, u16::from)
    }
}

/// The agreed group as OpenSSL names it (`"X25519MLKEM768"`, `"X25519"`, `"P-256"`,
/// `"P-384"`), a static string; NULL when `ferrotls_conn_negotiated_group` is 0.
#[no_mangle]
pub extern "C" fn ferrotls_conn_negotiated_group_name(conn: *const ferrotls_conn) -> *const c_char {
    ffi_boundary! {
        try_ref!(conn).conn().negotiated_group().map_or(std::ptr::null(), |g| group_name(g).as_ptr())
    }
}

/// The TLS 1.2 signature scheme the peer signed with (a server's ServerKeyExchange on a
/// client, a client's CertificateVerify on a server), by IANA number (0x0804 for
/// rsa_pss_rsae_sha256); 0 when the peer signed nothing or in TLS 1.0/1.1.
#[no_mangle]
pub extern "C" fn ferrotls_conn_peer_signature_scheme(conn: *const ferrotls_conn) -> u16 {
    ffi_boundary! {
        try_ref!(conn).conn().peer_signature_scheme().map_or(0, u16::from)
    }
}

/// The TLS 1.2 signature scheme this side signed with, by IANA number; 0 when none.
#[no_mangle]
pub extern "C" fn ferrotls_conn_signature_scheme(conn: *const ferrotls_conn) -> u16 {
    ffi_boundary! {
        try_ref!(conn).conn().signature_scheme().map_or(0, u16::from)
    }
}

/// The IANA name of a signature scheme number (`"rsa_pss_rsae_sha256"`), a static string; NULL
/// for 0 and numbers ferrotls does not know.
#[no_mangle]
pub extern "C" fn ferrotls_signature_scheme_name(scheme: u16) -> *const c_char {
    ffi_boundary! {
        scheme_name(SignatureScheme::from(scheme)).map_or(std::ptr::null(), CStr::as_ptr)
    }
}

fn group_name(g: NamedGroup) -> &'static CStr {
    match g {
        NamedGroup::X25519 => c"X25519",
        NamedGroup::Secp256r1 => c"P-256",
        NamedGroup::Secp384r1 => c"P-384",
        NamedGroup::Secp521r1 => c"P-521",
        NamedGroup::X448 => c"X448",
        NamedGroup::X25519MLKEM768 => c"X25519MLKEM768",
        _ => c"unknown",
    }
}

fn scheme_name(s: SignatureScheme) -> Option<&'static CStr> {
    use SignatureScheme as S;
    Some(match s {
        S::RsaPkcs1Sha1 => c"rsa_pkcs1_sha1",
        S::RsaPkcs1Sha256 => c"rsa_pkcs1_sha256",
        S::RsaPkcs1Sha384 => c"rsa_pkcs1_sha384",
        S::RsaPkcs1Sha512 => c"rsa_pkcs1_sha512",
        S::EcdsaSha1Legacy => c"ecdsa_sha1",
        S::EcdsaSecp256r1Sha256 => c"ecdsa_secp256r1_sha256",
        S::EcdsaSecp384r1Sha384 => c"ecdsa_secp384r1_sha384",
        S::EcdsaSecp521r1Sha512 => c"ecdsa_secp521r1_sha512",
        S::RsaPssRsaeSha256 => c"rsa_pss_rsae_sha256",
        S::RsaPssRsaeSha384 => c"rsa_pss_rsae_sha384",
        S::RsaPssRsaeSha512 => c"rsa_pss_rsae_sha512",
        S::Ed25519 => c"ed25519",
        _ => return None,
    })
}
