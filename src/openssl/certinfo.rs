//! What programs read out of a certificate beyond names and extensions' values: the signature
//! (`X509_get0_signature`: an `ASN1_BIT_STRING` and an `X509_ALGOR`), the extensions as a
//! `STACK_OF(X509_EXTENSION)` (`X509_get0_extensions`), and the serial number as an
//! `ASN1_INTEGER` with OpenSSL's public layout. curl's `--certinfo` walks all of these.
//!
//! `ASN1_INTEGER`, `ASN1_BIT_STRING` and `X509_ALGOR` are public structures in OpenSSL 3.0
//! (programs read `serial->data`, `sig->length`, `alg->algorithm`), so they have its layout.

use libc::{c_int, c_void};
use x509_cert::Certificate;

use super::asn1::{ASN1_OBJECT, ASN1_STRING, X509_EXTENSION};
use super::stack::OPENSSL_STACK;

/// `V_ASN1_BIT_STRING`.
pub const V_ASN1_BIT_STRING: c_int = 3;
/// `V_ASN1_INTEGER`.
pub const V_ASN1_INTEGER: c_int = 2;
/// `V_ASN1_NEG_INTEGER` (`V_ASN1_INTEGER | V_ASN1_NEG`).
pub const V_ASN1_NEG_INTEGER: c_int = 2 | 0x100;

/// An `ASN1_INTEGER` from DER content octets (two's complement), stored as OpenSSL stores it:
/// the magnitude without leading zero octets (one zero octet for 0), and the sign in the type.
pub fn integer_from_der(content: &[u8]) -> ASN1_STRING {
    let negative = content.first().is_some_and(|b| b & 0x80 != 0);
    let mut mag = if negative {
        // Two's complement negation: invert and add one.
        let mut v: Vec<u8> = content.iter().map(|b| !b).collect();
        for b in v.iter_mut().rev() {
            let (s, carry) = b.overflowing_add(1);
            *b = s;
            if !carry {
                break;
            }
        }
        v
    } else {
        content.to_vec()
    };
    let first = mag.iter().position(|&b| b != 0).unwrap_or(mag.len());
    mag.drain(..first);
    if mag.is_empty() {
        mag.push(0);
    }
    ASN1_STRING::new(if negative { V_ASN1_NEG_INTEGER } else { V_ASN1_INTEGER }, &mag)
}

/// `X509_ALGOR` with OpenSSL's layout: the algorithm's object and its parameters (an
/// `ASN1_TYPE *`; ferrotls does not model `ASN1_TYPE`, so it is NULL).
#[repr(C)]
#[derive(Debug)]
pub struct X509_ALGOR {
    /// The algorithm (owned by the certificate).
    pub algorithm: *mut ASN1_OBJECT,
    /// Always NULL (see above).
    pub parameter: *mut c_void,
}

/// The parts of a certificate `X509_get0_signature` and `X509_get0_extensions` lend out.
#[derive(Debug)]
pub struct CertExtras {
    /// The signature value (`ASN1_BIT_STRING`: the octets, unused-bits count 0 for every
    /// signature algorithm in use).
    pub signature: ASN1_STRING,
    /// The signature algorithm's object, pointed to by `sig_alg`.
    sig_obj: Box<ASN1_OBJECT>,
    /// `X509_ALGOR` of the outer signatureAlgorithm.
    pub sig_alg: Box<X509_ALGOR>,
    /// The SubjectPublicKeyInfo's algorithm (`X509_PUBKEY_get0_param`).
    pub key_alg: Box<ASN1_OBJECT>,
    /// `X509_ALGOR` of the SubjectPublicKeyInfo, pointing to `key_alg`.
    pub key_algor: Box<X509_ALGOR>,
    /// The extensions as a stack of pointers into the certificate's own `extensions`.
    pub ext_stack: Box<OPENSSL_STACK>,
}

// SAFETY: the raw pointers in `sig_alg` and `ext_stack` point to objects owned by the same
// certificate (`sig_obj`, the certificate's `extensions` buffer), which is immutable once made
// and outlives them; nothing writes through them.
unsafe impl Send for CertExtras {}
// SAFETY: as above: shared references only read.
unsafe impl Sync for CertExtras {}

impl CertExtras {
    /// The extras of `cert`, whose parsed extensions are `extensions` (kept by the caller in a
    /// Vec that is never changed afterwards).
    pub fn new(cert: &Certificate, extensions: &[X509_EXTENSION]) -> Self {
        let sig = cert.signature();
        let signature = ASN1_STRING::new(V_ASN1_BIT_STRING, sig.raw_bytes());
        let mut sig_obj = Box::new(ASN1_OBJECT::from_oid(cert.signature_algorithm().oid));
        let sig_alg = Box::new(X509_ALGOR {
            algorithm: &mut *sig_obj as *mut ASN1_OBJECT,
            parameter: std::ptr::null_mut(),
        });
        let mut key_alg =
            Box::new(ASN1_OBJECT::from_oid(cert.tbs_certificate().subject_public_key_info().algorithm.oid));
        let key_algor = Box::new(X509_ALGOR {
            algorithm: &mut *key_alg as *mut ASN1_OBJECT,
            parameter: std::ptr::null_mut(),
        });
        let ext_stack = Box::new(OPENSSL_STACK {
            items: extensions.iter().map(|e| (e as *const X509_EXTENSION).cast_mut().cast()).collect(),
        });
        Self { signature, sig_obj, sig_alg, key_alg, key_algor, ext_stack }
    }

    /// The signature algorithm's object.
    pub fn sig_obj(&self) -> &ASN1_OBJECT {
        &self.sig_obj
    }
}

/// One DER TLV at the start of `b`: `(tag, contents, rest)` (definite lengths up to 4 octets).
pub fn der_tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&l0, mut b) = b.split_first()?;
    let len = if l0 < 0x80 {
        usize::from(l0)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 || b.len() < n {
            return None;
        }
        let len = b[..n].iter().fold(0usize, |a, &x| (a << 8) | usize::from(x));
        b = &b[n..];
        len
    };
    (b.len() >= len).then(|| (tag, &b[..len], &b[len..]))
}

/// The contents of the leading INTEGERs of the DER SEQUENCE `seq` (RFC 8017 §A.1's
/// RSAPublicKey and RSAPrivateKey are such sequences).
pub fn der_sequence_integers(seq: &[u8]) -> Option<Vec<&[u8]>> {
    let (0x30, mut body, _) = der_tlv(seq)? else { return None };
    let mut out = Vec::new();
    while let Some((0x02, v, rest)) = der_tlv(body) {
        out.push(v);
        body = rest;
    }
    Some(out)
}

/// RSA public key numbers `(n, e)` (DER INTEGER contents) from a SubjectPublicKeyInfo.
pub fn rsa_numbers(spki_der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use der::Decode;
    let spki = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(spki_der).ok()?;
    let ints = der_sequence_integers(spki.subject_public_key.as_bytes()?)?;
    Some((ints.first()?.to_vec(), ints.get(1)?.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_keep_openssl_magnitude_and_sign() {
        let p = integer_from_der(&[0x00, 0x80, 0x01]);
        assert_eq!((p.type_, p.bytes()), (V_ASN1_INTEGER, &[0x80, 0x01][..]));
        let n = integer_from_der(&[0xff]);
        assert_eq!((n.type_, n.bytes()), (V_ASN1_NEG_INTEGER, &[0x01][..]));
        let n = integer_from_der(&[0xff, 0x00]);
        assert_eq!((n.type_, n.bytes()), (V_ASN1_NEG_INTEGER, &[0x01, 0x00][..]));
        let z = integer_from_der(&[0x00]);
        assert_eq!((z.type_, z.bytes()), (V_ASN1_INTEGER, &[0x00][..]));
    }
}
