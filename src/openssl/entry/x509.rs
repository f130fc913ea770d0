//! `X509_*`, `X509_NAME_*`, `X509_STORE(_CTX)_*`, `X509_VERIFY_PARAM_*`, `ASN1_*`, `PEM_*`,
//! `d2i/i2d_X509`, `EVP_PKEY_*` and `OPENSSL_sk_*`.

use std::ffi::CString;
use std::sync::Arc;

use libc::{c_char, c_int, c_long, c_ulong, c_void, size_t};

use super::ssl_ctx::{key_from_bytes, key_matches, FILETYPE_PEM};
use crate::openssl::bio::{Io, Kind, BIO, METHOD_FILE};
use crate::openssl::entry::rand::DH;
use crate::openssl::err::{other_r, raise, LIB_PEM, LIB_X509};
use crate::openssl::ssl::X509_VERIFY_PARAM;
use crate::openssl::ssl_ctx::PasswordCallback;
use crate::openssl::stack::OPENSSL_STACK;
use crate::openssl::verify::{error_string, X509_STORE_CTX};
use crate::openssl::x509::{
    check_host, check_ip, x509_clone_arc, Format, ASN1_INTEGER, ASN1_TIME, EVP_PKEY, X509, X509_NAME,
    X509_STORE,
};

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

/// Reads lines from `b` until one complete PEM block with one of `labels` has been read; other
/// blocks are skipped. `None` at end of input.
pub(crate) fn read_pem_block(b: &mut BIO, labels: &[&str]) -> Option<Vec<u8>> {
    let mut block: Option<Vec<u8>> = None;
    loop {
        let mut line = Vec::new();
        loop {
            let mut byte = [0u8; 1];
            match b.read(&mut byte) {
                Io::Done(_) => {
                    line.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
                _ => break,
            }
        }
        if line.is_empty() {
            return None;
        }
        let text = String::from_utf8_lossy(&line);
        let t = text.trim();
        if let Some(label) = t.strip_prefix("-----BEGIN ").and_then(|r| r.strip_suffix("-----")) {
            block = labels.contains(&label).then(Vec::new);
        }
        if let Some(bl) = block.as_mut() {
            bl.extend_from_slice(&line);
            if t.starts_with("-----END ") {
                return block;
            }
        }
    }
}

fn with_file_bio<R>(fp: *mut libc::FILE, f: impl FnOnce(&mut BIO) -> R) -> R {
    let mut b = BIO::new(&METHOD_FILE, Kind::File { fp });
    b.close = false;
    f(&mut b)
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const KEY_LABELS: &[&str] = &["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY"];

fn pem_x509(b: &mut BIO, out: *mut *mut X509, func: &'static str) -> *mut X509 {
    let Some(block) = read_pem_block(b, CERT_LABELS) else {
        raise!(LIB_PEM, other_r::PEM_NO_START_LINE, func);
        return null();
    };
    let x = crate::x509::certs_from_pem(&block).ok().and_then(|d| d.first().and_then(|d| X509::from_der(d)));
    let Some(x) = x else {
        raise!(LIB_PEM, 100, func, "bad certificate PEM");
        return null();
    };
    let p = x.into_raw();
    if !out.is_null() {
        // SAFETY: a non-NULL `X509 **` out-parameter; OpenSSL frees what was there.
        unsafe {
            crate::openssl::entry::x509::X509_free(*out);
            *out = p;
        }
    }
    p
}

fn pem_key(
    b: &mut BIO,
    out: *mut *mut EVP_PKEY,
    passwd: (PasswordCallback, *mut c_void),
    func: &'static str,
) -> *mut EVP_PKEY {
    let Some(block) = read_pem_block(b, KEY_LABELS) else {
        raise!(LIB_PEM, other_r::PEM_NO_START_LINE, func);
        return null();
    };
    let Some(key) = key_from_bytes(&block, FILETYPE_PEM, func, passwd) else { return null() };
    let p = key.into_raw();
    if !out.is_null() {
        // SAFETY: a non-NULL `EVP_PKEY **` out-parameter.
        unsafe {
            EVP_PKEY_free(*out);
            *out = p;
        }
    }
    p
}

/// Base64 PEM text of DER `der` under `label`.
pub(crate) fn pem_text(label: &str, der: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn name_text(name: &X509_NAME, indent: c_int, flags: c_ulong) -> String {
    let text = name.format(Format::Flags(flags));
    // XN_FLAG_COMPAT (0) is X509_NAME_print, which ignores the indent.
    let indent = if flags == 0 { 0 } else { indent };
    format!("{}{}", " ".repeat(indent.max(0) as usize), text)
}

entry! {
    /// Gives back one reference.
    fn X509_free(x: *mut X509) {
        if !x.is_null() {
            // SAFETY: `x` came from X509::into_raw / a get1 function; one reference is returned.
            drop(unsafe { Arc::from_raw(x.cast_const()) });
        }
    }
    /// Takes one more reference.
    fn X509_up_ref(x: *mut X509) -> c_int {
        if x.is_null() {
            return 0;
        }
        // SAFETY: `x` is live.
        unsafe { Arc::increment_strong_count(x.cast_const()) };
        1
    }
    /// A new reference (certificates are immutable, so "dup" shares).
    fn X509_dup(x: *const X509) -> *mut X509 {
        if x.is_null() {
            return null();
        }
        // SAFETY: `x` is live.
        crate::openssl::x509::x509_to_raw(&unsafe { x509_clone_arc(x) })
    }
    /// The subject (borrowed from the certificate).
    fn X509_get_subject_name(x: *const X509) -> *mut X509_NAME {
        (&arg_ref!(x, null()).subject as *const X509_NAME).cast_mut()
    }
    /// The issuer (borrowed).
    fn X509_get_issuer_name(x: *const X509) -> *mut X509_NAME {
        (&arg_ref!(x, null()).issuer as *const X509_NAME).cast_mut()
    }
    /// The serial number (borrowed).
    fn X509_get_serialNumber(x: *mut X509) -> *mut ASN1_INTEGER {
        (&arg_ref!(x, null()).serial as *const ASN1_INTEGER).cast_mut()
    }
    /// The serial number (borrowed, const).
    fn X509_get0_serialNumber(x: *const X509) -> *const ASN1_INTEGER { &arg_ref!(x, std::ptr::null()).serial }
    /// notBefore (borrowed).
    fn X509_get0_notBefore(x: *const X509) -> *const ASN1_TIME { &arg_ref!(x, std::ptr::null()).not_before }
    /// notAfter (borrowed).
    fn X509_get0_notAfter(x: *const X509) -> *const ASN1_TIME { &arg_ref!(x, std::ptr::null()).not_after }
    /// notBefore (the `X509_get_notBefore` macro's target).
    fn X509_getm_notBefore(x: *const X509) -> *mut ASN1_TIME {
        (&arg_ref!(x, null()).not_before as *const ASN1_TIME).cast_mut()
    }
    /// notAfter.
    fn X509_getm_notAfter(x: *const X509) -> *mut ASN1_TIME {
        (&arg_ref!(x, null()).not_after as *const ASN1_TIME).cast_mut()
    }
    /// X.509 version minus one (0 for v1, 2 for v3).
    fn X509_get_version(x: *const X509) -> c_long { c_long::from(arg_ref!(x, -1).info.version()) - 1 }
    /// The public key (a new reference).
    fn X509_get_pubkey(x: *mut X509) -> *mut EVP_PKEY {
        let x = arg_ref!(x, null());
        EVP_PKEY { private: None, spki: Some(x.info.subject_public_key_info_der().to_vec()) }.into_raw()
    }
    /// The public key (borrowed: a per-thread cache keeps it alive until the next call).
    fn X509_get0_pubkey(x: *const X509) -> *mut EVP_PKEY {
        let x = arg_ref!(x, null());
        thread_local! {
            static KEEP: std::cell::RefCell<Option<Arc<EVP_PKEY>>> = const { std::cell::RefCell::new(None) };
        }
        let k = Arc::new(EVP_PKEY { private: None, spki: Some(x.info.subject_public_key_info_der().to_vec()) });
        let p = Arc::as_ptr(&k).cast_mut();
        KEEP.with(|c| *c.borrow_mut() = Some(k));
        p
    }
    /// 1 when `pkey` is the private key of `x`.
    fn X509_check_private_key(x: *const X509, pkey: *const EVP_PKEY) -> c_int {
        let x = arg_ref!(x, 0);
        let k = arg_ref!(pkey, 0);
        if key_matches(x, k) {
            1
        } else {
            raise!(LIB_X509, other_r::X509_KEY_VALUES_MISMATCH, "X509_check_private_key");
            0
        }
    }
    /// 1 when the certificate is valid for `name` (DNS SANs with `*.` wildcards; the CN only
    /// without DNS SANs); `peername` gets a malloc'd copy of the name on success.
    fn X509_check_host(x: *mut X509, name: *const c_char, namelen: size_t, _flags: u32, peername: *mut *mut c_char) -> c_int {
        let x = arg_ref!(x, -2);
        if name.is_null() {
            return -2;
        }
        let bytes = if namelen == 0 {
            // SAFETY: namelen 0 means a NUL-terminated name.
            unsafe { std::ffi::CStr::from_ptr(name) }.to_bytes().to_vec()
        } else {
            // SAFETY: `name` holds `namelen` bytes.
            match unsafe { crate::openssl::bytes(name.cast(), namelen) } {
                Some(b) => b.to_vec(),
                None => return -2,
            }
        };
        if bytes.contains(&0) {
            return -2;
        }
        let host = String::from_utf8_lossy(&bytes).into_owned();
        let ok = check_host(x, &host);
        if ok && !peername.is_null() {
            let c = CString::new(host).unwrap_or_default();
            // SAFETY: `peername` points to a `char *`; strdup'd memory is freed with OPENSSL_free.
            unsafe { *peername = libc::strdup(c.as_ptr()) };
        }
        c_int::from(ok)
    }
    /// 1 when the certificate has an IP SAN equal to `address` (text form), -2 if unparsable.
    fn X509_check_ip_asc(x: *mut X509, address: *const c_char, _flags: u32) -> c_int {
        let x = arg_ref!(x, -2);
        let a = arg_cstr!(address, -2).to_string_lossy();
        match a.parse::<std::net::IpAddr>() {
            Ok(ip) => c_int::from(check_ip(x, ip)),
            Err(_) => -2,
        }
    }
    /// Text for an `X509_V_ERR_*` number.
    fn X509_verify_cert_error_string(n: c_long) -> *const c_char { error_string(n as c_int).as_ptr() }

    /// `/C=XX/O=x/CN=y` into `buf` (`size` bytes), or a malloc'd copy when `buf` is NULL.
    fn X509_NAME_oneline(a: *const X509_NAME, buf: *mut c_char, size: c_int) -> *mut c_char {
        let a = arg_ref!(a, null());
        let s = a.oneline();
        if buf.is_null() {
            // SAFETY: strdup of a NUL-terminated string; freed with OPENSSL_free.
            return unsafe { libc::strdup(s.as_ptr()) };
        }
        if size <= 0 {
            return buf;
        }
        // SAFETY: `buf` holds `size` bytes.
        unsafe { crate::openssl::copy_to_c(s.to_bytes(), buf, size as usize) };
        buf
    }
    /// Prints the name with `XN_FLAG_*` formatting; returns the length (or -1).
    fn X509_NAME_print_ex(out: *mut BIO, nm: *const X509_NAME, indent: c_int, flags: c_ulong) -> c_int {
        let b = arg_mut!(out, -1);
        let nm = arg_ref!(nm, -1);
        let text = name_text(nm, indent, flags);
        b.write(text.as_bytes());
        text.len() as c_int
    }
    /// As `X509_NAME_print_ex`, to a `FILE *`.
    fn X509_NAME_print_ex_fp(fp: *mut libc::FILE, nm: *const X509_NAME, indent: c_int, flags: c_ulong) -> c_int {
        let nm = arg_ref!(nm, -1);
        if fp.is_null() {
            return -1;
        }
        let text = name_text(nm, indent, flags);
        with_file_bio(fp, |b| b.write(text.as_bytes()));
        text.len() as c_int
    }
    /// The text of the first attribute with `nid` into `buf` (`len` bytes); its length or -1.
    fn X509_NAME_get_text_by_NID(name: *const X509_NAME, nid: c_int, buf: *mut c_char, len: c_int) -> c_int {
        let name = arg_ref!(name, -1);
        let Some(i) = name.index_by_nid(nid, -1) else { return -1 };
        let v = name.entries[i].value.clone().unwrap_or_default();
        if !buf.is_null() && len > 0 {
            // SAFETY: `buf` holds `len` bytes.
            unsafe { crate::openssl::copy_to_c(v.as_bytes(), buf, len as usize) };
            return (v.len().min(len as usize - 1)) as c_int;
        }
        v.len() as c_int
    }
    /// Index of the next attribute with `nid` after `lastpos`, or -1.
    fn X509_NAME_get_index_by_NID(name: *const X509_NAME, nid: c_int, lastpos: c_int) -> c_int {
        arg_ref!(name, -2).index_by_nid(nid, lastpos).map_or(-1, |i| i as c_int)
    }
    /// Number of attributes.
    fn X509_NAME_entry_count(name: *const X509_NAME) -> c_int { arg_ref!(name, 0).entries.len() as c_int }
    /// An owned copy (free with `X509_NAME_free`).
    fn X509_NAME_dup(name: *const X509_NAME) -> *mut X509_NAME { Box::into_raw(Box::new(arg_ref!(name, null()).clone())) }
    /// Frees a name from `X509_NAME_dup` or `SSL_load_client_CA_file` (never one borrowed
    /// from a certificate).
    fn X509_NAME_free(name: *mut X509_NAME) {
        if !name.is_null() {
            // SAFETY: owned names are Box-allocated (X509_NAME_dup, SSL_load_client_CA_file).
            drop(unsafe { Box::from_raw(name) });
        }
    }
    /// 0 when equal (DER comparison), otherwise the sign of the difference.
    fn X509_NAME_cmp(a: *const X509_NAME, b: *const X509_NAME) -> c_int {
        let a = arg_ref!(a, -2);
        let b = arg_ref!(b, -2);
        match a.der.cmp(&b.der) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    }

    /// The value as a long (-1 when it does not fit, as OpenSSL).
    fn ASN1_INTEGER_get(a: *const ASN1_INTEGER) -> c_long {
        let a = arg_ref!(a, 0);
        if a.bytes().len() > 8 || (a.bytes().len() == 8 && a.bytes()[0] & 0x80 != 0) {
            return -1;
        }
        let mut v: i64 = 0;
        for b in a.bytes() {
            v = (v << 8) | i64::from(*b);
        }
        if a.type_ == crate::openssl::certinfo::V_ASN1_NEG_INTEGER { -v as c_long } else { v as c_long }
    }
    /// Writes the value in upper-case hex, `-` first when negative (as `i2a_ASN1_INTEGER`).
    fn i2a_ASN1_INTEGER(bp: *mut BIO, a: *const ASN1_INTEGER) -> c_int {
        let b = arg_mut!(bp, -1);
        let a = arg_ref!(a, -1);
        let sign = if a.type_ == crate::openssl::certinfo::V_ASN1_NEG_INTEGER { "-" } else { "" };
        let hex: String = sign.chars().chain(a.bytes().iter().flat_map(|x| format!("{x:02X}").chars().collect::<Vec<_>>())).collect();
        b.write(hex.as_bytes());
        hex.len() as c_int
    }
    /// `Mon DD HH:MM:SS YYYY GMT`.
    fn ASN1_TIME_print(bp: *mut BIO, t: *const ASN1_TIME) -> c_int {
        let b = arg_mut!(bp, 0);
        let t = arg_ref!(t, 0);
        let s = crate::x509::cert::openssl_time(t.unix);
        c_int::from(b.write(s.as_bytes()) != Io::Eof)
    }
    /// -1 if `t` is before now, 1 if after.
    fn X509_cmp_current_time(t: *const ASN1_TIME) -> c_int {
        let t = arg_ref!(t, 0);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if t.unix <= now { -1 } else { 1 }
    }

    /// Reads the next certificate from a PEM `FILE *`.
    fn PEM_read_X509(fp: *mut libc::FILE, x: *mut *mut X509, _cb: PasswordCallback, _u: *mut c_void) -> *mut X509 {
        if fp.is_null() {
            return null();
        }
        with_file_bio(fp, |b| pem_x509(b, x, "PEM_read_X509"))
    }
    /// Reads the next certificate from a PEM BIO.
    fn PEM_read_bio_X509(bp: *mut BIO, x: *mut *mut X509, _cb: PasswordCallback, _u: *mut c_void) -> *mut X509 {
        let b = arg_mut!(bp, null());
        pem_x509(b, x, "PEM_read_bio_X509")
    }
    /// Same as `PEM_read_bio_X509` (trust settings are not kept).
    fn PEM_read_bio_X509_AUX(bp: *mut BIO, x: *mut *mut X509, cb: PasswordCallback, u: *mut c_void) -> *mut X509 {
        PEM_read_bio_X509(bp, x, cb, u)
    }
    /// Reads the next private key from a PEM BIO (RSA, PKCS#1 or PKCS#8). An encrypted PKCS#8
    /// key asks `cb(buf, size, 0, u)` for its password; without `cb`, a non-NULL `u` is the
    /// password (OpenSSL's `PEM_def_callback`).
    fn PEM_read_bio_PrivateKey(bp: *mut BIO, x: *mut *mut EVP_PKEY, cb: PasswordCallback, u: *mut c_void) -> *mut EVP_PKEY {
        let b = arg_mut!(bp, null());
        pem_key(b, x, (cb, u), "PEM_read_bio_PrivateKey")
    }
    /// Same from a `FILE *`.
    fn PEM_read_PrivateKey(fp: *mut libc::FILE, x: *mut *mut EVP_PKEY, cb: PasswordCallback, u: *mut c_void) -> *mut EVP_PKEY {
        if fp.is_null() {
            return null();
        }
        with_file_bio(fp, |b| pem_key(b, x, (cb, u), "PEM_read_PrivateKey"))
    }
    /// Writes the certificate as PEM; 1 on success.
    fn PEM_write_bio_X509(bp: *mut BIO, x: *const X509) -> c_int {
        let b = arg_mut!(bp, 0);
        let x = arg_ref!(x, 0);
        c_int::from(matches!(b.write(pem_text("CERTIFICATE", &x.der).as_bytes()), Io::Done(_)))
    }
    /// Writes the certificate as PEM to a `FILE *`.
    fn PEM_write_X509(fp: *mut libc::FILE, x: *const X509) -> c_int {
        let x = arg_ref!(x, 0);
        if fp.is_null() {
            return 0;
        }
        with_file_bio(fp, |b| c_int::from(matches!(b.write(pem_text("CERTIFICATE", &x.der).as_bytes()), Io::Done(_))))
    }
    /// Parses DER at `*pp` (`length` bytes), advancing `*pp` past it.
    fn d2i_X509(a: *mut *mut X509, pp: *mut *const u8, length: c_long) -> *mut X509 {
        if pp.is_null() || length <= 0 {
            return null();
        }
        // SAFETY: `*pp` points to `length` readable bytes (d2i contract).
        let data = unsafe { crate::openssl::bytes(*pp, length as usize) };
        let Some(data) = data else { return null() };
        // The certificate's own length: the outer SEQUENCE header.
        let total = der_len(data).unwrap_or(data.len()).min(data.len());
        let Some(x) = X509::from_der(&data[..total]) else {
            raise!(LIB_X509, 13 | (2 << 18), "d2i_X509", "not a DER certificate");
            return null();
        };
        let p = x.into_raw();
        // SAFETY: advancing within the buffer the caller gave; out-parameter `a` when not NULL.
        unsafe {
            *pp = (*pp).add(total);
            if !a.is_null() {
                X509_free(*a);
                *a = p;
            }
        }
        p
    }
    /// DER length; with `pp` writes the DER there (allocating with OPENSSL_malloc when `*pp`
    /// is NULL, else advancing `*pp`).
    fn i2d_X509(x: *const X509, pp: *mut *mut u8) -> c_int {
        let x = arg_ref!(x, -1);
        let der: &[u8] = &x.der;
        if pp.is_null() {
            return der.len() as c_int;
        }
        // SAFETY: `pp` points to a `unsigned char *` that is NULL or has room for the DER.
        unsafe {
            if (*pp).is_null() {
                let m = libc::malloc(der.len()).cast::<u8>();
                if m.is_null() {
                    return -1;
                }
                std::ptr::copy_nonoverlapping(der.as_ptr(), m, der.len());
                *pp = m;
            } else {
                std::ptr::copy_nonoverlapping(der.as_ptr(), *pp, der.len());
                *pp = (*pp).add(der.len());
            }
        }
        der.len() as c_int
    }

    /// Gives back one reference.
    fn EVP_PKEY_free(k: *mut EVP_PKEY) {
        if !k.is_null() {
            // SAFETY: `k` came from EVP_PKEY::into_raw; one reference is returned.
            drop(unsafe { Arc::from_raw(k.cast_const()) });
        }
    }
    /// Takes one more reference.
    fn EVP_PKEY_up_ref(k: *mut EVP_PKEY) -> c_int {
        if k.is_null() {
            return 0;
        }
        // SAFETY: `k` is live.
        unsafe { Arc::increment_strong_count(k.cast_const()) };
        1
    }
    /// `EVP_PKEY_RSA` (6), `EVP_PKEY_EC` (408) or `EVP_PKEY_ED25519` (1087); `EVP_PKEY_NONE`
    /// (0) for a key of another type.
    fn EVP_PKEY_get_id(k: *const EVP_PKEY) -> c_int { arg_ref!(k, 0).openssl_id() }
    /// The same as `EVP_PKEY_get_id` (none of these types has an alias).
    fn EVP_PKEY_get_base_id(k: *const EVP_PKEY) -> c_int { arg_ref!(k, 0).openssl_id() }
    /// Modulus size in bits.
    fn EVP_PKEY_get_bits(k: *const EVP_PKEY) -> c_int { arg_ref!(k, 0).bits() as c_int }

    /// Number of elements (-1 for NULL).
    fn OPENSSL_sk_num(st: *const OPENSSL_STACK) -> c_int { arg_ref!(st, -1).items.len() as c_int }
    /// Element `i`, or NULL.
    fn OPENSSL_sk_value(st: *const OPENSSL_STACK, i: c_int) -> *mut c_void {
        let st = arg_ref!(st, null());
        usize::try_from(i).ok().and_then(|i| st.items.get(i).copied()).unwrap_or(null())
    }
    /// An empty stack.
    fn OPENSSL_sk_new_null() -> *mut OPENSSL_STACK { OPENSSL_STACK::default().into_raw() }
    /// An empty stack (the comparison function is not used).
    fn OPENSSL_sk_new(_cmp: *mut c_void) -> *mut OPENSSL_STACK { OPENSSL_STACK::default().into_raw() }
    /// Appends; returns the new count (0 on failure).
    fn OPENSSL_sk_push(st: *mut OPENSSL_STACK, data: *const c_void) -> c_int {
        let st = arg_mut!(st, 0);
        st.items.push(data.cast_mut());
        st.items.len() as c_int
    }
    /// Removes and returns the last element.
    fn OPENSSL_sk_pop(st: *mut OPENSSL_STACK) -> *mut c_void { arg_mut!(st, null()).items.pop().unwrap_or(null()) }
    /// Removes and returns the first element.
    fn OPENSSL_sk_shift(st: *mut OPENSSL_STACK) -> *mut c_void {
        let st = arg_mut!(st, null());
        if st.items.is_empty() { null() } else { st.items.remove(0) }
    }
    /// Frees the stack (not its elements).
    fn OPENSSL_sk_free(st: *mut OPENSSL_STACK) {
        if !st.is_null() {
            // SAFETY: stacks handed to the caller were Box-allocated.
            drop(unsafe { Box::from_raw(st) });
        }
    }
    /// Frees each element with `func`, then the stack.
    fn OPENSSL_sk_pop_free(st: *mut OPENSSL_STACK, func: Option<unsafe extern "C" fn(*mut c_void)>) {
        if st.is_null() {
            return;
        }
        // SAFETY: stacks handed to the caller were Box-allocated.
        let st = unsafe { Box::from_raw(st) };
        if let Some(f) = func {
            for p in st.items {
                // SAFETY: the caller's free function for its own elements.
                unsafe { f(p) };
            }
        }
    }

    /// The certificate being checked (borrowed).
    fn X509_STORE_CTX_get_current_cert(ctx: *const X509_STORE_CTX) -> *mut X509 {
        let ctx = arg_ref!(ctx, null());
        ctx.current.and_then(|i| ctx.chain.get(i)).map_or(null(), |c| Arc::as_ptr(c).cast_mut())
    }
    /// The error number.
    fn X509_STORE_CTX_get_error(ctx: *const X509_STORE_CTX) -> c_int { arg_ref!(ctx, 0).error }
    /// Sets the error number (a callback's verdict).
    fn X509_STORE_CTX_set_error(ctx: *mut X509_STORE_CTX, s: c_int) { arg_mut!(ctx, ()).error = s }
    /// The depth of the error.
    fn X509_STORE_CTX_get_error_depth(ctx: *const X509_STORE_CTX) -> c_int { arg_ref!(ctx, 0).error_depth }
    /// The `SSL` at index `SSL_get_ex_data_X509_STORE_CTX_idx()` (0); NULL otherwise.
    fn X509_STORE_CTX_get_ex_data(ctx: *const X509_STORE_CTX, idx: c_int) -> *mut c_void {
        let ctx = arg_ref!(ctx, null());
        if idx == 0 { ctx.ssl.cast() } else { null() }
    }
    /// The chain (borrowed).
    fn X509_STORE_CTX_get0_chain(ctx: *const X509_STORE_CTX) -> *mut OPENSSL_STACK {
        (&arg_ref!(ctx, null()).chain_stack as *const OPENSSL_STACK).cast_mut()
    }
    /// The chain with new references (free with `sk_X509_pop_free(.., X509_free)`).
    fn X509_STORE_CTX_get1_chain(ctx: *const X509_STORE_CTX) -> *mut OPENSSL_STACK {
        let ctx = arg_ref!(ctx, null());
        OPENSSL_STACK { items: ctx.chain.iter().map(|c| crate::openssl::x509::x509_to_raw(c).cast()).collect() }.into_raw()
    }
    /// Trusts `x` (the store takes its own reference); 0 for a duplicate.
    fn X509_STORE_add_cert(store: *mut X509_STORE, x: *mut X509) -> c_int {
        let store = arg_ref!(store, 0);
        if x.is_null() {
            return 0;
        }
        // SAFETY: `x` is live.
        if store.add(unsafe { x509_clone_arc(x) }) {
            1
        } else {
            raise!(LIB_X509, other_r::X509_CERT_ALREADY_IN_HASH_TABLE, "X509_STORE_add_cert");
            0
        }
    }
    /// Trusts the certificates in `file` and/or looks in `dir`.
    fn X509_STORE_load_locations(store: *mut X509_STORE, file: *const c_char, dir: *const c_char) -> c_int {
        let store = arg_ref!(store, 0);
        if !file.is_null() {
            // SAFETY: NUL-terminated path.
            let path = unsafe { std::ffi::CStr::from_ptr(file) };
            let Some(data) = crate::openssl::ssl_ctx::read_file(path, "X509_STORE_load_locations") else { return 0 };
            if !matches!(store.add_pem(&data), Ok(n) if n > 0) {
                return 0;
            }
        }
        if !dir.is_null() {
            // SAFETY: NUL-terminated path.
            let d = unsafe { std::ffi::CStr::from_ptr(dir) }.to_string_lossy().into_owned();
            store.dirs.lock().unwrap_or_else(|e| e.into_inner()).push(d.into());
        }
        1
    }
    /// The system trust store.
    fn X509_STORE_set_default_paths(store: *mut X509_STORE) -> c_int {
        super::ssl_ctx::default_verify_paths(arg_ref!(store, 0))
    }
    /// Replaces the host names (`namelen` 0: NUL-terminated; NULL clears).
    fn X509_VERIFY_PARAM_set1_host(param: *mut X509_VERIFY_PARAM, name: *const c_char, namelen: size_t) -> c_int {
        let param = arg_ref!(param, 0);
        param.set_host(param_name(name, namelen).as_deref(), false);
        1
    }
    /// Adds a host name.
    fn X509_VERIFY_PARAM_add1_host(param: *mut X509_VERIFY_PARAM, name: *const c_char, namelen: size_t) -> c_int {
        let param = arg_ref!(param, 0);
        param.set_host(param_name(name, namelen).as_deref(), true);
        1
    }
    /// The IP address (4 or 16 bytes, network order) the certificate must name; NULL clears.
    fn X509_VERIFY_PARAM_set1_ip(param: *mut X509_VERIFY_PARAM, ip: *const u8, iplen: size_t) -> c_int {
        let param = arg_ref!(param, 0);
        if ip.is_null() {
            param.set_ip(None);
            return 1;
        }
        // SAFETY: `ip` holds `iplen` bytes.
        let Some(raw) = (unsafe { crate::openssl::bytes(ip, iplen) }) else { return 0 };
        let addr = match raw.len() {
            4 => std::net::IpAddr::from(<[u8; 4]>::try_from(raw).unwrap_or_default()),
            16 => std::net::IpAddr::from(<[u8; 16]>::try_from(raw).unwrap_or_default()),
            _ => return 0,
        };
        param.set_ip(Some(addr));
        1
    }
    /// `X509_VERIFY_PARAM_set1_ip` from text ("127.0.0.1", "::1"); 0 when it is not an address.
    fn X509_VERIFY_PARAM_set1_ip_asc(param: *mut X509_VERIFY_PARAM, ipasc: *const c_char) -> c_int {
        let param = arg_ref!(param, 0);
        let text = arg_cstr!(ipasc, 0);
        match text.to_str().ok().and_then(|t| t.parse::<std::net::IpAddr>().ok()) {
            Some(ip) => {
                param.set_ip(Some(ip));
                1
            }
            None => 0,
        }
    }
    /// Host-check flags (stored; matching is always OpenSSL's default).
    fn X509_VERIFY_PARAM_set_hostflags(param: *mut X509_VERIFY_PARAM, flags: u32) {
        *arg_ref!(param, ()).hostflags.lock().unwrap_or_else(|e| e.into_inner()) = flags;
    }
}

fn param_name(name: *const c_char, namelen: size_t) -> Option<String> {
    if name.is_null() {
        return None;
    }
    let b = if namelen == 0 {
        // SAFETY: NUL-terminated when namelen is 0.
        unsafe { std::ffi::CStr::from_ptr(name) }.to_bytes().to_vec()
    } else {
        // SAFETY: `name` holds `namelen` bytes.
        unsafe { crate::openssl::bytes(name.cast(), namelen) }?.to_vec()
    };
    Some(String::from_utf8_lossy(&b).into_owned())
}

/// Length of the DER element at the start of `d` (header included).
fn der_len(d: &[u8]) -> Option<usize> {
    let l = *d.get(1)?;
    if l < 0x80 {
        return Some(2 + usize::from(l));
    }
    let n = usize::from(l & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | usize::from(*d.get(2 + i)?);
    }
    Some(2 + n + len)
}

entry! {
    /// Reads `-----BEGIN DH PARAMETERS-----` (PKCS #3 `DHParameter`: p, g and an optional
    /// privateValueLength) into a new `DH`, also stored in `*x` when `x` is not NULL.
    fn PEM_read_bio_DHparams(bp: *mut BIO, x: *mut *mut DH, _cb: PasswordCallback, _u: *mut c_void) -> *mut DH {
        let b = arg_mut!(bp, null());
        let Some(block) = read_pem_block(b, &["DH PARAMETERS"]) else {
            raise!(LIB_PEM, other_r::PEM_NO_START_LINE, "PEM_read_bio_DHparams");
            return null();
        };
        let ints = pem_rfc7468::decode_vec(&block)
            .ok()
            .and_then(|(_, der)| <Vec<der::asn1::Uint> as der::Decode>::from_der(&der).ok());
        let dh = match ints.as_deref() {
            Some([p, g]) | Some([p, g, _]) => DH::from_pg(p.as_bytes(), g.as_bytes()),
            _ => {
                raise!(LIB_PEM, 100, "PEM_read_bio_DHparams", "bad DH parameters");
                return null();
            }
        };
        let p = Box::into_raw(Box::new(dh));
        if !x.is_null() {
            // SAFETY: a non-NULL `DH **` out-parameter; OpenSSL frees what was there.
            unsafe {
                crate::openssl::entry::rand::DH_free(*x);
                *x = p;
            }
        }
        p
    }
}

/// `X509_INFO` with OpenSSL 3.0's public layout (`x509.h`): programs read `->x509` and `->crl`
/// from `PEM_X509_INFO_read_bio`'s stack. ferrotls fills `x509`; the rest stays NULL/0.
#[repr(C)]
#[derive(Debug)]
pub struct X509_INFO {
    /// The certificate, owned by the info.
    pub x509: *mut X509,
    /// `X509_CRL *`: always NULL (ferrotls has no CRL objects yet).
    pub crl: *mut c_void,
    /// `X509_PKEY *`: always NULL.
    pub x_pkey: *mut c_void,
    /// `EVP_CIPHER_INFO`: a cipher pointer and a 16-octet IV.
    pub enc_cipher: (*const c_void, [u8; 16]),
    /// Unused.
    pub enc_len: c_int,
    /// Unused.
    pub enc_data: *mut c_char,
    /// Unused.
    pub references: c_int,
}

/// Everything left in a BIO (what the `d2i_*_bio` functions parse).
fn read_all(b: &mut BIO) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Io::Done(n) = b.read(&mut chunk) {
        out.extend_from_slice(&chunk[..n]);
    }
    out
}

entry! {
    /// Reads every certificate of a PEM stream into `X509_INFO`s, appended to `sk` (or a new
    /// stack); NULL with an error when a certificate block does not parse. Blocks other than
    /// certificates (keys, CRLs) are skipped.
    fn PEM_X509_INFO_read_bio(bp: *mut BIO, sk: *mut OPENSSL_STACK, _cb: PasswordCallback, _u: *mut c_void) -> *mut OPENSSL_STACK {
        let b = arg_mut!(bp, null());
        let mut infos = Vec::new();
        while let Some(block) = read_pem_block(b, CERT_LABELS) {
            let x = crate::x509::certs_from_pem(&block).ok().and_then(|d| d.first().and_then(|d| X509::from_der(d)));
            let Some(x) = x else {
                for p in infos {
                    X509_INFO_free(p);
                }
                raise!(LIB_PEM, 100, "PEM_X509_INFO_read_bio", "bad certificate PEM");
                return null();
            };
            let info = X509_INFO {
                x509: x.into_raw(),
                crl: null(),
                x_pkey: null(),
                enc_cipher: (std::ptr::null(), [0; 16]),
                enc_len: 0,
                enc_data: null(),
                references: 1,
            };
            infos.push(Box::into_raw(Box::new(info)));
        }
        let st = if sk.is_null() { OPENSSL_STACK::default().into_raw() } else { sk };
        // SAFETY: `st` is the caller's live stack or the one just made.
        let stack = unsafe { &mut *st };
        stack.items.extend(infos.into_iter().map(|p| p.cast::<c_void>()));
        st
    }
    /// Frees an `X509_INFO` and its certificate.
    fn X509_INFO_free(info: *mut X509_INFO) {
        if info.is_null() {
            return;
        }
        // SAFETY: `info` came from PEM_X509_INFO_read_bio and is not used afterwards.
        let i = unsafe { Box::from_raw(info) };
        X509_free(i.x509);
    }
    /// The first DER certificate in the rest of the BIO, also stored in `*x` when not NULL.
    fn d2i_X509_bio(bp: *mut BIO, x: *mut *mut X509) -> *mut X509 {
        let data = read_all(arg_mut!(bp, null()));
        let mut p = data.as_ptr();
        d2i_X509(x, &mut p, data.len() as c_long)
    }
}
