//! `RSA` as a view of an RSA `EVP_PKEY` (`EVP_PKEY_get1_RSA` / `get0_RSA`, `RSA_get0_key`,
//! `RSA_bits`, `RSA_size`, `RSA_flags`), `EVP_PKEY_copy_parameters`, and reading a DER private
//! key from a BIO (`d2i_PrivateKey_bio`). curl asks a client key's `RSA_flags` for
//! `RSA_METHOD_FLAG_NO_CHECK` (a hardware key that cannot be checked against its certificate):
//! ferrotls' keys are always in memory, so that flag is never set.

use std::sync::Arc;

use libc::{c_int, c_void};

use crate::openssl::bio::BIO;
use crate::openssl::entry::rand::BIGNUM;
use crate::openssl::err::{other_r, raise, LIB_EVP};
use crate::openssl::x509::EVP_PKEY;

/// `EVP_R_EXPECTING_AN_RSA_KEY`.
const EVP_R_EXPECTING_AN_RSA_KEY: u32 = 127;
/// `EVP_R_DIFFERENT_KEY_TYPES`.
const EVP_R_DIFFERENT_KEY_TYPES: u32 = 101;
/// `EVP_R_DIFFERENT_PARAMETERS`.
const EVP_R_DIFFERENT_PARAMETERS: u32 = 153;
/// `EVP_PKEY_RSA`.
const EVP_PKEY_RSA: c_int = 6;

/// `RSA`: the numbers of an RSA key, with the key it came from.
#[derive(Debug)]
pub struct RSA {
    /// Modulus.
    n: BIGNUM,
    /// Public exponent.
    e: BIGNUM,
    /// Private exponent (a private key only).
    d: Option<BIGNUM>,
    /// The key (kept so the view lives as long as it needs).
    _key: Arc<EVP_PKEY>,
}

fn bn(b: &[u8]) -> BIGNUM {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    BIGNUM { be: b[first..].to_vec(), neg: false }
}

/// The private exponent of an RSA private key in PKCS#1 or PKCS#8 form.
fn private_exponent(k: &EVP_PKEY) -> Option<BIGNUM> {
    use crate::openssl::certinfo::{der_sequence_integers, der_tlv};
    use crate::x509::PrivateKeyDer;
    let pkcs1: &[u8] = match k.private.as_ref()? {
        PrivateKeyDer::Pkcs1(p) => p.secret_pkcs1_der(),
        PrivateKeyDer::Pkcs8(p) => {
            // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET
            // STRING } (RFC 5208 §5): the OCTET STRING holds the PKCS#1 RSAPrivateKey.
            let (0x30, body, _) = der_tlv(p.secret_pkcs8_der())? else { return None };
            let (0x02, _, rest) = der_tlv(body)? else { return None };
            let (0x30, _, rest) = der_tlv(rest)? else { return None };
            let (0x04, key, _) = der_tlv(rest)? else { return None };
            key
        }
        _ => return None,
    };
    // RSAPrivateKey ::= SEQUENCE { version, n, e, d, ... } (RFC 8017 §A.1.2).
    Some(bn(der_sequence_integers(pkcs1)?.get(3)?))
}

/// The RSA view of `k`, or `None` (with OpenSSL's error queued) for another key type.
fn rsa_of(k: &Arc<EVP_PKEY>, func: &'static str) -> Option<RSA> {
    let numbers = (k.openssl_id() == EVP_PKEY_RSA)
        .then(|| k.spki.as_deref().and_then(crate::openssl::certinfo::rsa_numbers))
        .flatten();
    let Some((n, e)) = numbers else {
        raise!(LIB_EVP, EVP_R_EXPECTING_AN_RSA_KEY, func, "expecting an rsa key");
        return None;
    };
    Some(RSA { n: bn(&n), e: bn(&e), d: private_exponent(k), _key: Arc::clone(k) })
}

/// One more reference to a C `EVP_PKEY`.
fn key_arc(p: *const EVP_PKEY) -> Arc<EVP_PKEY> {
    // SAFETY: `p` is a live EVP_PKEY (an Arc allocation, checked non-NULL by the caller); the
    // count is raised first so the Arc made here owns its own reference.
    unsafe {
        Arc::increment_strong_count(p);
        Arc::from_raw(p)
    }
}

thread_local! {
    /// `EVP_PKEY_get0_RSA`'s views: OpenSSL returns a pointer owned by the key; ferrotls keeps
    /// the view for the thread's last calls (per key address) so it stays valid while the key is.
    static GET0: std::cell::RefCell<Vec<(usize, Box<RSA>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

entry! {
    /// A new `RSA` for an RSA key (free with `RSA_free`); NULL with "expecting an rsa key"
    /// for another type.
    fn EVP_PKEY_get1_RSA(pkey: *mut EVP_PKEY) -> *mut RSA {
        arg_ref!(pkey, std::ptr::null_mut());
        match rsa_of(&key_arc(pkey), "EVP_PKEY_get1_RSA") {
            Some(r) => Box::into_raw(Box::new(r)),
            None => std::ptr::null_mut(),
        }
    }
    /// The key's `RSA` (borrowed: do not free); NULL for another type.
    fn EVP_PKEY_get0_RSA(pkey: *const EVP_PKEY) -> *const RSA {
        arg_ref!(pkey, std::ptr::null());
        let Some(r) = rsa_of(&key_arc(pkey), "EVP_PKEY_get0_RSA") else { return std::ptr::null() };
        GET0.with(|g| {
            let mut g = g.borrow_mut();
            let addr = pkey as usize;
            g.retain(|(a, _)| *a != addr);
            g.push((addr, Box::new(r)));
            if g.len() > 16 {
                g.remove(0);
            }
            let p: *const RSA = &*g[g.len() - 1].1;
            p
        })
    }
    /// Frees an `RSA` from `EVP_PKEY_get1_RSA` (NULL: nothing).
    fn RSA_free(r: *mut RSA) {
        if !r.is_null() {
            // SAFETY: `r` came from EVP_PKEY_get1_RSA and is freed once.
            drop(unsafe { Box::from_raw(r) });
        }
    }
    /// `RSA_METHOD_FLAG_*` of the key's method: 0 (keys are in memory and can be checked).
    fn RSA_flags(r: *const RSA) -> c_int {
        arg_ref!(r, 0);
        0
    }
    /// The modulus, public and private exponent (owned by `r`; `d` NULL for a public key);
    /// any out-parameter may be NULL.
    fn RSA_get0_key(r: *const RSA, n: *mut *const BIGNUM, e: *mut *const BIGNUM, d: *mut *const BIGNUM) {
        let r = arg_ref!(r, ());
        // SAFETY: each out-parameter is NULL or a writable slot (OpenSSL's contract).
        unsafe {
            if !n.is_null() {
                *n = &r.n;
            }
            if !e.is_null() {
                *e = &r.e;
            }
            if !d.is_null() {
                *d = r.d.as_ref().map_or(std::ptr::null(), |d| d as *const BIGNUM);
            }
        }
    }
    /// The modulus size in bits.
    fn RSA_bits(r: *const RSA) -> c_int { arg_ref!(r, 0).n.bits() as c_int }
    /// The modulus size in octets (a signature's length).
    fn RSA_size(r: *const RSA) -> c_int { arg_ref!(r, 0).n.bits().div_ceil(8) as c_int }
    /// Copies domain parameters from `from` into `to`: keys of different types fail with
    /// "different key types"; RSA and Ed25519 keys have none (1); EC keys carry their curve
    /// in the key itself, so keys on the same curve succeed and on different curves fail with
    /// "different parameters" (ferrotls' keys are immutable).
    fn EVP_PKEY_copy_parameters(to: *mut EVP_PKEY, from: *const EVP_PKEY) -> c_int {
        let t = arg_ref!(to, 0);
        let f = arg_ref!(from, 0);
        if t.openssl_id() != f.openssl_id() || t.openssl_id() == 0 {
            // OpenSSL 3.0 queues both.
            raise!(LIB_EVP, EVP_R_DIFFERENT_KEY_TYPES, "EVP_PKEY_copy_parameters", "different key types");
            raise!(LIB_EVP, EVP_R_DIFFERENT_PARAMETERS, "EVP_PKEY_copy_parameters", "different parameters");
            return 0;
        }
        if t.bits() != f.bits() && t.openssl_id() == 408 {
            raise!(LIB_EVP, EVP_R_DIFFERENT_PARAMETERS, "EVP_PKEY_copy_parameters", "different parameters");
            return 0;
        }
        1
    }
    /// Reads the rest of `bp` as a DER private key (PKCS#8, PKCS#1 RSA or SEC1 EC); the key
    /// (also stored in `*a` when `a` is not NULL), or NULL with the error queued.
    fn d2i_PrivateKey_bio(bp: *mut BIO, a: *mut *mut EVP_PKEY) -> *mut EVP_PKEY {
        let b = arg_mut!(bp, std::ptr::null_mut());
        let mut data = Vec::new();
        let mut chunk = [0u8; 4096];
        while let crate::openssl::bio::Io::Done(n) = b.read(&mut chunk) {
            data.extend_from_slice(&chunk[..n]);
        }
        let Some(key) = crate::openssl::entry::ssl_ctx::key_from_bytes(
            &data,
            2, // SSL_FILETYPE_ASN1
            "d2i_PrivateKey_bio",
            (None, std::ptr::null_mut::<c_void>()),
        ) else {
            if data.is_empty() {
                raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "d2i_PrivateKey_bio", "no data");
            }
            return std::ptr::null_mut();
        };
        let p = key.into_raw();
        if !a.is_null() {
            // SAFETY: a non-NULL `EVP_PKEY **` out-parameter; a key already there is freed as
            // OpenSSL's d2i functions free it.
            unsafe {
                crate::openssl::entry::x509::EVP_PKEY_free(*a);
                *a = p;
            }
        }
        p
    }
}
