//! Reading a certificate the way curl's `--certinfo` does: `X509_get0_signature`,
//! `X509_get0_extensions`, `X509_PUBKEY_get0_param`, `i2a/i2t_ASN1_OBJECT`,
//! `X509V3_EXT_print` (the extensions OpenSSL prints most often), `ASN1_STRING_print`,
//! `BN_print` and `EVP_PKEY_get_bn_param` (an RSA key's `n` and `e`).

use libc::{c_char, c_int, c_ulong};

use crate::openssl::asn1::{ASN1_OBJECT, ASN1_STRING, X509_EXTENSION};
use crate::openssl::bio::BIO;
use crate::openssl::certinfo::{rsa_numbers, X509_ALGOR};
use crate::openssl::entry::rand::BIGNUM;
use crate::openssl::entry::x509_store::X509_PUBKEY;
use crate::openssl::stack::OPENSSL_STACK;
use crate::openssl::x509::{EVP_PKEY, X509};

/// Writes `a`'s text as `OBJ_obj2txt(.., 0)` into `buf` (NUL-terminated, truncated); its length.
fn obj_text(buf: *mut c_char, len: c_int, a: &ASN1_OBJECT) -> c_int {
    let t = a.text(false);
    // SAFETY: `buf` is NULL or has `len` writable bytes (the caller's contract).
    unsafe { crate::openssl::copy_to_c(t.as_bytes(), buf, usize::try_from(len).unwrap_or(0)) as c_int }
}

/// Upper-case hex octets joined by ':' (OpenSSL's key identifier format).
fn hex_colon(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect::<Vec<_>>().join(":")
}

/// The text `X509V3_EXT_print` gives for the extensions ferrotls knows how to print, as
/// OpenSSL 3.0 prints them; `None` for the others.
fn extension_text(e: &X509_EXTENSION) -> Option<String> {
    use der::Decode;
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::{BasicConstraints, SubjectAltName, SubjectKeyIdentifier};
    let der = e.value.bytes();
    match e.object.oid.to_string().as_str() {
        "2.5.29.19" => {
            let bc = BasicConstraints::from_der(der).ok()?;
            let mut s = format!("CA:{}", if bc.ca { "TRUE" } else { "FALSE" });
            if let Some(n) = bc.path_len_constraint {
                s.push_str(&format!(", pathlen:{n}"));
            }
            Some(s)
        }
        "2.5.29.14" => Some(hex_colon(SubjectKeyIdentifier::from_der(der).ok()?.0.as_bytes())),
        "2.5.29.15" => {
            // KeyUsage ::= BIT STRING; bit 0 is the most significant bit of the first octet.
            const NAMES: [&str; 9] = [
                "Digital Signature",
                "Non Repudiation",
                "Key Encipherment",
                "Data Encipherment",
                "Key Agreement",
                "Certificate Sign",
                "CRL Sign",
                "Encipher Only",
                "Decipher Only",
            ];
            let bits = der::asn1::BitString::from_der(der).ok()?;
            let raw = bits.raw_bytes();
            let set = |i: usize| raw.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0);
            Some(
                NAMES
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| set(*i))
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
        "2.5.29.17" => {
            let san = SubjectAltName::from_der(der).ok()?;
            let parts: Option<Vec<String>> = san
                .0
                .iter()
                .map(|g| match g {
                    GeneralName::DnsName(d) => Some(format!("DNS:{}", d.as_str())),
                    GeneralName::Rfc822Name(d) => Some(format!("email:{}", d.as_str())),
                    GeneralName::UniformResourceIdentifier(d) => Some(format!("URI:{}", d.as_str())),
                    GeneralName::IpAddress(a) => match a.as_bytes().len() {
                        4 => {
                            let o: [u8; 4] = a.as_bytes().try_into().ok()?;
                            Some(format!("IP Address:{}", std::net::Ipv4Addr::from(o)))
                        }
                        16 => {
                            // OpenSSL prints every group in upper-case hex, uncompressed.
                            let g: Vec<String> = a
                                .as_bytes()
                                .chunks(2)
                                .map(|c| format!("{:X}", u16::from_be_bytes([c[0], c[1]])))
                                .collect();
                            Some(format!("IP Address:{}", g.join(":")))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            Some(parts?.join(", "))
        }
        _ => None,
    }
}

entry! {
    /// The certificate's extensions (owned by it), or NULL when it has none.
    fn X509_get0_extensions(x: *const X509) -> *const OPENSSL_STACK {
        let x = arg_ref!(x, std::ptr::null());
        if x.extensions.is_empty() {
            return std::ptr::null();
        }
        &*x.extras.ext_stack
    }
    /// The signature value and algorithm (owned by the certificate); either out-parameter may be NULL.
    fn X509_get0_signature(psig: *mut *const ASN1_STRING, palg: *mut *const X509_ALGOR, x: *const X509) {
        let x = arg_ref!(x, ());
        // SAFETY: each out-parameter is NULL or a writable pointer slot (OpenSSL's contract).
        unsafe {
            if !psig.is_null() {
                *psig = &x.extras.signature;
            }
            if !palg.is_null() {
                *palg = &*x.extras.sig_alg;
            }
        }
    }
    /// The public key's algorithm, key bits and `X509_ALGOR` (owned by the certificate); 1.
    fn X509_PUBKEY_get0_param(
        ppkalg: *mut *mut ASN1_OBJECT,
        pk: *mut *const u8,
        ppklen: *mut c_int,
        pa: *mut *mut X509_ALGOR,
        pubkey: *const X509_PUBKEY,
    ) -> c_int {
        use der::Decode;
        let k = arg_ref!(pubkey, 0);
        let x: &X509 = k.cert();
        let spki = x.info.subject_public_key_info_der();
        let Ok(r) = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(spki) else { return 0 };
        let Some(bits) = r.subject_public_key.as_bytes() else { return 0 };
        // SAFETY: each out-parameter is NULL or a writable slot; `bits` borrows from the
        // certificate, which outlives the pointers as OpenSSL's get0 contract says.
        unsafe {
            if !ppkalg.is_null() {
                *ppkalg = (&*x.extras.key_alg as *const ASN1_OBJECT).cast_mut();
            }
            if !pk.is_null() {
                *pk = bits.as_ptr();
            }
            if !ppklen.is_null() {
                *ppklen = bits.len() as c_int;
            }
            if !pa.is_null() {
                *pa = (&*x.extras.key_algor as *const X509_ALGOR).cast_mut();
            }
        }
        1
    }
    /// The object's long name (or dotted form) into `buf`; the full length.
    fn i2t_ASN1_OBJECT(buf: *mut c_char, buf_len: c_int, a: *const ASN1_OBJECT) -> c_int {
        obj_text(buf, buf_len, arg_ref!(a, 0))
    }
    /// Writes the object's long name (or dotted form); the bytes written, -1 on failure.
    fn i2a_ASN1_OBJECT(bp: *mut BIO, a: *const ASN1_OBJECT) -> c_int {
        let b = arg_mut!(bp, -1);
        let t = match unsafe_ref(a) {
            Some(a) => a.text(false),
            None => "NULL".to_string(),
        };
        b.write(t.as_bytes());
        t.len() as c_int
    }
    /// Prints a known extension's value (basicConstraints, subjectKeyIdentifier, keyUsage,
    /// subjectAltName) after `indent` spaces; 1, or 0 for an extension without a printer
    /// (OpenSSL's answer for an unknown extension with `flag` 0: the caller then prints the
    /// raw value, as curl does with `ASN1_STRING_print`).
    fn X509V3_EXT_print(out: *mut BIO, ext: *const X509_EXTENSION, _flag: c_ulong, indent: c_int) -> c_int {
        let b = arg_mut!(out, 0);
        let e = arg_ref!(ext, 0);
        let Some(text) = extension_text(e) else { return 0 };
        let pad = " ".repeat(usize::try_from(indent).unwrap_or(0));
        b.write(format!("{pad}{text}").as_bytes());
        1
    }
    /// Writes the string's octets, each one that is not printable ASCII (or CR/LF) as '.'; 1.
    fn ASN1_STRING_print(bp: *mut BIO, v: *const ASN1_STRING) -> c_int {
        let b = arg_mut!(bp, 0);
        let v = arg_ref!(v, 0);
        let out: Vec<u8> = v
            .bytes()
            .iter()
            .map(|&c| if c > b'~' || (c < b' ' && c != b'\n' && c != b'\r') { b'.' } else { c })
            .collect();
        b.write(&out);
        1
    }
    /// Writes the number in upper-case hex without leading zeros ("0" for zero, '-' first when
    /// negative), as OpenSSL's `BN_print`; 1.
    fn BN_print(bp: *mut BIO, a: *const BIGNUM) -> c_int {
        let b = arg_mut!(bp, 0);
        let a = arg_ref!(a, 0);
        let hex: String = a.be.iter().map(|x| format!("{x:02X}")).collect();
        let digits = hex.trim_start_matches('0');
        let text = match (digits.is_empty(), a.neg) {
            (true, _) => "0".to_string(),
            (false, true) => format!("-{digits}"),
            (false, false) => digits.to_string(),
        };
        b.write(text.as_bytes());
        1
    }
    /// A number of the key by its `OSSL_PKEY_PARAM_*` name into a new `*bn`: an RSA key's "n"
    /// and "e"; 1, or 0 for another name or key type (as OpenSSL for a parameter the key lacks).
    fn EVP_PKEY_get_bn_param(pkey: *const EVP_PKEY, key_name: *const c_char, bn: *mut *mut BIGNUM) -> c_int {
        let k = arg_ref!(pkey, 0);
        let name = arg_cstr!(key_name, 0);
        if bn.is_null() {
            return 0;
        }
        let Some((n, e)) = k.spki.as_deref().and_then(rsa_numbers) else { return 0 };
        let v = match name.to_bytes() {
            b"n" => n,
            b"e" => e,
            _ => return 0,
        };
        let first = v.iter().position(|&x| x != 0).unwrap_or(v.len());
        let num = BIGNUM { be: v[first..].to_vec(), neg: false };
        // SAFETY: `bn` is a writable `BIGNUM **` (checked non-NULL above).
        unsafe { *bn = Box::into_raw(Box::new(num)) };
        1
    }
}

/// `Option<&T>` from a pointer that may be NULL without an early return.
fn unsafe_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: the OpenSSL contract: NULL or a live object of this type.
    unsafe { p.as_ref() }
}
