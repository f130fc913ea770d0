//! The peer's TLS 1.2 signature: `SSL_get_peer_signature_nid` (a macro over `SSL_ctrl`'s
//! `SSL_CTRL_GET_PEER_SIGNATURE_NID`) and `SSL_get_peer_signature_type_nid`, with OpenSSL's NIDs
//! for the hash and the key type of the scheme the peer signed with (its ServerKeyExchange on a
//! client, its CertificateVerify on a server).

use libc::{c_int, c_long, c_void};

use crate::enums::SignatureScheme;
use crate::openssl::ssl::SSL;

/// (hash NID, signature type NID) of a scheme, as OpenSSL's `SIGALG_LOOKUP` table has them:
/// `NID_sha1` 64, `NID_sha256` 672, `NID_sha384` 673, `NID_sha512` 674, none (`NID_undef`) for
/// Ed25519; `NID_rsaEncryption` 6, `NID_rsassaPss` 912 (RSA-PSS with an RSA key, OpenSSL's
/// `EVP_PKEY_RSA_PSS`), `NID_X9_62_id_ecPublicKey` 408, `NID_ED25519` 1087.
fn nids(scheme: SignatureScheme) -> Option<(c_int, c_int)> {
    use SignatureScheme::*;
    Some(match scheme {
        RsaPkcs1Sha1 => (64, 6),
        RsaPkcs1Sha256 => (672, 6),
        RsaPkcs1Sha384 => (673, 6),
        RsaPkcs1Sha512 => (674, 6),
        EcdsaSha1Legacy => (64, 408),
        EcdsaSecp256r1Sha256 => (672, 408),
        EcdsaSecp384r1Sha384 => (673, 408),
        EcdsaSecp521r1Sha512 => (674, 408),
        RsaPssRsaeSha256 => (672, 912),
        RsaPssRsaeSha384 => (673, 912),
        RsaPssRsaeSha512 => (674, 912),
        Ed25519 => (0, 1087),
        _ => return None,
    })
}

/// The NIDs of the scheme the peer signed with; `None` before the handshake, when the peer
/// signed nothing (RSA key exchange, a client without a certificate, a resumed session) or
/// signed in TLS 1.0/1.1 (no scheme is named there).
fn peer_nids(ssl: &SSL) -> Option<(c_int, c_int)> {
    ssl.with_inner(|s, _, _| s.conn().and_then(|c| c.peer_signature_scheme())).and_then(nids)
}

/// `SSL_get_negotiated_group` (`SSL_ctrl(ssl, SSL_CTRL_GET_NEGOTIATED_GROUP, 0, NULL)`): the
/// key exchange group's NID (`NID_X25519` 1034, `NID_X9_62_prime256v1` 415, `NID_secp384r1`
/// 715); a group without a NID is `TLSEXT_nid_unknown` (0x1000000) | its code point, as OpenSSL
/// 3 answers for X25519MLKEM768; 0 when none was used (RSA key exchange, before the handshake).
pub(crate) fn negotiated_group_ctrl(ssl: &SSL) -> c_long {
    use crate::enums::NamedGroup;
    match ssl.with_inner(|s, _, _| s.conn().and_then(|c| c.negotiated_group())) {
        None => 0,
        Some(NamedGroup::X25519) => 1034,
        Some(NamedGroup::Secp256r1) => 415,
        Some(NamedGroup::Secp384r1) => 715,
        Some(other) => 0x0100_0000 | c_long::from(u16::from(other)),
    }
}

/// `SSL_ctrl(ssl, SSL_CTRL_GET_PEER_SIGNATURE_NID, 0, int *)`: 1 and the hash NID stored, or 0
/// with `*pn` untouched.
pub(crate) fn get_peer_signature_nid_ctrl(ssl: &SSL, parg: *mut c_void) -> c_long {
    match peer_nids(ssl) {
        Some((hash, _)) if !parg.is_null() => {
            // SAFETY: SSL_get_peer_signature_nid passes an int pointer (checked non-NULL).
            unsafe { *parg.cast::<c_int>() = hash };
            1
        }
        _ => 0,
    }
}

entry! {
    /// 1 and the signature type NID of the peer's signature in `*pnid` (`NID_rsaEncryption`,
    /// `NID_rsassaPss`, `NID_X9_62_id_ecPublicKey`, `NID_ED25519`); 0 when the peer signed
    /// nothing this function can name (see `SSL_get_peer_signature_nid`).
    fn SSL_get_peer_signature_type_nid(ssl: *const SSL, pnid: *mut c_int) -> c_int {
        let ssl = arg_ref!(ssl, 0);
        match (peer_nids(ssl), pnid.is_null()) {
            (Some((_, kind)), false) => {
                // SAFETY: the caller's int pointer (checked non-NULL).
                unsafe { *pnid = kind };
                1
            }
            _ => 0,
        }
    }
}
