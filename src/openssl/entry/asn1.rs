//! `ASN1_STRING_*`, `OBJ_*`, `X509_NAME_ENTRY_*`, `X509_EXTENSION_*`, `X509_get_ext*`,
//! `X509V3_EXT_get`, `GENERAL_NAME(S)_free`: reading names and extensions out of certificates.

use libc::{c_char, c_int, c_uchar, c_void};

use crate::openssl::asn1::{
    by_nid, nid_of_name, parse_general_names, ASN1_OBJECT, ASN1_STRING, GENERAL_NAME, X509_EXTENSION,
    X509_NAME_ENTRY,
};
use crate::openssl::stack::OPENSSL_STACK;
use crate::openssl::x509::{X509, X509_NAME};

/// `NID_subject_alt_name`.
const NID_SUBJECT_ALT_NAME: c_int = 85;
/// `NID_issuer_alt_name`.
const NID_ISSUER_ALT_NAME: c_int = 86;

/// `X509V3_EXT_METHOD`: opaque here; one exists for each extension `X509_get_ext_d2i` decodes.
#[derive(Debug)]
pub struct X509V3_EXT_METHOD {
    /// The extension's NID.
    pub ext_nid: c_int,
}

static SAN_METHOD: X509V3_EXT_METHOD = X509V3_EXT_METHOD { ext_nid: NID_SUBJECT_ALT_NAME };
static IAN_METHOD: X509V3_EXT_METHOD = X509V3_EXT_METHOD { ext_nid: NID_ISSUER_ALT_NAME };

fn method_for(nid: c_int) -> *const X509V3_EXT_METHOD {
    match nid {
        NID_SUBJECT_ALT_NAME => &SAN_METHOD,
        NID_ISSUER_ALT_NAME => &IAN_METHOD,
        _ => std::ptr::null(),
    }
}

/// Copies `s` and a NUL into `buf` of `len` octets (OBJ_obj2txt's contract); returns the full
/// length of `s`.
fn copy_out(s: &str, buf: *mut c_char, len: c_int) -> c_int {
    if !buf.is_null() && len > 0 {
        let n = s.len().min(len as usize - 1);
        // SAFETY: `buf` has room for `len` octets (API contract); n + 1 <= len.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), n);
            *buf.add(n) = 0;
        }
    }
    s.len() as c_int
}

entry! {
    /// The `loc`th attribute of `name`, owned by the name; NULL when out of range.
    fn X509_NAME_get_entry(name: *const X509_NAME, loc: c_int) -> *mut X509_NAME_ENTRY {
        let name = arg_ref!(name, std::ptr::null_mut());
        match usize::try_from(loc).ok().and_then(|i| name.entries.get(i)) {
            Some(e) => (&e.c as *const X509_NAME_ENTRY).cast_mut(),
            None => std::ptr::null_mut(),
        }
    }
    /// The attribute's type, owned by the entry.
    fn X509_NAME_ENTRY_get_object(e: *const X509_NAME_ENTRY) -> *mut ASN1_OBJECT {
        (&arg_ref!(e, std::ptr::null_mut()).object as *const ASN1_OBJECT).cast_mut()
    }
    /// The attribute's value, owned by the entry.
    fn X509_NAME_ENTRY_get_data(e: *const X509_NAME_ENTRY) -> *mut ASN1_STRING {
        (&arg_ref!(e, std::ptr::null_mut()).data as *const ASN1_STRING).cast_mut()
    }

    /// The octets (NUL-terminated), owned by the string.
    fn ASN1_STRING_get0_data(s: *const ASN1_STRING) -> *const c_uchar { arg_ref!(s, std::ptr::null()).data }
    /// Deprecated name of `ASN1_STRING_get0_data`.
    fn ASN1_STRING_data(s: *mut ASN1_STRING) -> *mut c_uchar { arg_ref!(s, std::ptr::null_mut()).data }
    /// The number of octets.
    fn ASN1_STRING_length(s: *const ASN1_STRING) -> c_int { arg_ref!(s, 0).length }
    /// The `V_ASN1_*` type.
    fn ASN1_STRING_type(s: *const ASN1_STRING) -> c_int { arg_ref!(s, 0).type_ }
    /// A fresh UTF-8 copy in `*out` (free with `OPENSSL_free`); its length, or -1 when the
    /// string is not valid for its type.
    fn ASN1_STRING_to_UTF8(out: *mut *mut c_uchar, s: *const ASN1_STRING) -> c_int {
        let s = arg_ref!(s, -1);
        if out.is_null() {
            return -1;
        }
        let Some(text) = s.to_utf8() else { return -1 };
        // SAFETY: malloc has no preconditions; the copy writes len + 1 octets into it.
        unsafe {
            let p = libc::malloc(text.len() + 1).cast::<u8>();
            if p.is_null() {
                return -1;
            }
            std::ptr::copy_nonoverlapping(text.as_ptr(), p, text.len());
            *p.add(text.len()) = 0;
            *out = p;
        }
        text.len() as c_int
    }
    /// Frees a string the caller owns (from `X509_get_ext_d2i` or `ASN1_STRING_dup`).
    fn ASN1_STRING_free(s: *mut ASN1_STRING) {
        if !s.is_null() {
            // SAFETY: the caller owns `s`, a Box made by this library.
            drop(unsafe { Box::from_raw(s) });
        }
    }
    /// A copy the caller owns.
    fn ASN1_STRING_dup(s: *const ASN1_STRING) -> *mut ASN1_STRING { arg_ref!(s, std::ptr::null_mut()).clone().into_raw() }
    /// Frees an OCTET STRING (an `ASN1_STRING`).
    fn ASN1_OCTET_STRING_free(s: *mut ASN1_STRING) { ASN1_STRING_free(s) }
    /// OpenSSL's order: by length, then by bytes, then by type; 0 when equal.
    fn ASN1_STRING_cmp(a: *const ASN1_STRING, b: *const ASN1_STRING) -> c_int {
        let (a, b) = (arg_ref!(a, -1), arg_ref!(b, -1));
        let ord = a.length.cmp(&b.length).then_with(|| a.bytes().cmp(b.bytes())).then_with(|| a.type_.cmp(&b.type_));
        ord as c_int
    }
    /// An IPv4 or IPv6 literal as the OCTET STRING of its 4 or 16 address bytes (as an IP SAN
    /// holds it), or NULL when `ipasc` is not an address.
    fn a2i_IPADDRESS(ipasc: *const c_char) -> *mut ASN1_STRING {
        let s = arg_cstr!(ipasc, std::ptr::null_mut());
        let Some(ip) = s.to_str().ok().and_then(|s| s.parse::<std::net::IpAddr>().ok()) else { return std::ptr::null_mut() };
        let bytes = match ip {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        ASN1_STRING::new(4, &bytes).into_raw() // V_ASN1_OCTET_STRING
    }

    /// The NID of an object, or `NID_undef` (0).
    fn OBJ_obj2nid(o: *const ASN1_OBJECT) -> c_int { arg_ref!(o, 0).nid }
    /// OpenSSL's short name of a NID (`"CN"`), or NULL.
    fn OBJ_nid2sn(n: c_int) -> *const c_char {
        if n == 0 {
            return c"UNDEF".as_ptr();
        }
        by_nid(n).map_or(std::ptr::null(), |r| static_cstr(r.1))
    }
    /// OpenSSL's long name of a NID (`"commonName"`), or NULL.
    fn OBJ_nid2ln(n: c_int) -> *const c_char {
        if n == 0 {
            return c"undefined".as_ptr();
        }
        by_nid(n).map_or(std::ptr::null(), |r| static_cstr(r.2))
    }
    /// The NID of a short name, or 0.
    fn OBJ_sn2nid(s: *const c_char) -> c_int { nid_of_name(&arg_cstr!(s, 0).to_string_lossy(), true, false) }
    /// The NID of a long name, or 0.
    fn OBJ_ln2nid(s: *const c_char) -> c_int { nid_of_name(&arg_cstr!(s, 0).to_string_lossy(), false, true) }
    /// The NID of a short name, long name or dotted OID, or 0.
    fn OBJ_txt2nid(s: *const c_char) -> c_int {
        let s = arg_cstr!(s, 0).to_string_lossy();
        match nid_of_name(&s, true, true) {
            0 => crate::openssl::asn1::nid_of_oid(&s),
            n => n,
        }
    }
    /// The object's long name (or dotted OID when `no_name` is set or it has none) into `buf`;
    /// the full length.
    fn OBJ_obj2txt(buf: *mut c_char, buf_len: c_int, a: *const ASN1_OBJECT, no_name: c_int) -> c_int {
        copy_out(&arg_ref!(a, 0).text(no_name != 0), buf, buf_len)
    }

    /// The number of extensions.
    fn X509_get_ext_count(x: *const X509) -> c_int { arg_ref!(x, 0).extensions.len() as c_int }
    /// The `loc`th extension, owned by the certificate.
    fn X509_get_ext(x: *const X509, loc: c_int) -> *mut X509_EXTENSION {
        let x = arg_ref!(x, std::ptr::null_mut());
        match usize::try_from(loc).ok().and_then(|i| x.extensions.get(i)) {
            Some(e) => (e as *const X509_EXTENSION).cast_mut(),
            None => std::ptr::null_mut(),
        }
    }
    /// The index of the next extension with `nid` after `lastpos`, or -1.
    fn X509_get_ext_by_NID(x: *const X509, nid: c_int, lastpos: c_int) -> c_int {
        let x = arg_ref!(x, -1);
        let start = usize::try_from(lastpos + 1).unwrap_or(0);
        x.extensions.iter().enumerate().skip(start).find(|(_, e)| e.object.nid == nid).map_or(-1, |(i, _)| i as c_int)
    }
    /// The extension's type, owned by it.
    fn X509_EXTENSION_get_object(e: *mut X509_EXTENSION) -> *mut ASN1_OBJECT {
        (&arg_ref!(e, std::ptr::null_mut()).object as *const ASN1_OBJECT).cast_mut()
    }
    /// The extnValue OCTET STRING, owned by the extension.
    fn X509_EXTENSION_get_data(e: *mut X509_EXTENSION) -> *mut ASN1_STRING {
        (&arg_ref!(e, std::ptr::null_mut()).value as *const ASN1_STRING).cast_mut()
    }
    /// 1 when the extension is critical.
    fn X509_EXTENSION_get_critical(e: *const X509_EXTENSION) -> c_int { c_int::from(arg_ref!(e, 0).critical) }
    /// The method that decodes this extension, or NULL: ferrotls decodes subjectAltName and
    /// issuerAltName (what `X509_get_ext_d2i` returns as `GENERAL_NAMES`).
    fn X509V3_EXT_get(e: *mut X509_EXTENSION) -> *const X509V3_EXT_METHOD { method_for(arg_ref!(e, std::ptr::null()).object.nid) }
    /// The method for a NID, or NULL.
    fn X509V3_EXT_get_nid(nid: c_int) -> *const X509V3_EXT_METHOD { method_for(nid) }
    /// Decodes the extension `nid`: a new `STACK_OF(GENERAL_NAME)` for subjectAltName and
    /// issuerAltName. `*crit` is -1 when the extension is absent, -2 when it appears more than once
    /// (and `idx` is NULL), else its critical flag; with `idx` the search starts after `*idx` and
    /// `*idx` is set to where it was found (-1 when not). NULL for an extension ferrotls does not
    /// decode or that does not parse.
    fn X509_get_ext_d2i(x: *const X509, nid: c_int, crit: *mut c_int, idx: *mut c_int) -> *mut c_void {
        let x = arg_ref!(x, std::ptr::null_mut());
        let set = |p: *mut c_int, v: c_int| {
            if !p.is_null() {
                // SAFETY: a non-NULL out-parameter points to an int (API contract).
                unsafe { *p = v };
            }
        };
        // SAFETY: as above.
        let start = if idx.is_null() { 0 } else { usize::try_from(unsafe { *idx } + 1).unwrap_or(0) };
        let mut found: Option<(usize, &X509_EXTENSION)> = None;
        for (i, e) in x.extensions.iter().enumerate().skip(start) {
            if e.object.nid != nid {
                continue;
            }
            if !idx.is_null() {
                found = Some((i, e));
                break;
            }
            if found.is_some() {
                set(crit, -2);
                return std::ptr::null_mut();
            }
            found = Some((i, e));
        }
        let Some((i, e)) = found else {
            set(crit, -1);
            set(idx, -1);
            return std::ptr::null_mut();
        };
        set(crit, c_int::from(e.critical));
        set(idx, i as c_int);
        if method_for(nid).is_null() {
            return std::ptr::null_mut();
        }
        let Some(names) = parse_general_names(e.value.bytes()) else { return std::ptr::null_mut() };
        let items = names.iter().map(|n| GENERAL_NAME::from_general_name(n).cast::<c_void>()).collect();
        OPENSSL_STACK { items }.into_raw().cast()
    }
    /// Frees one name from `X509_get_ext_d2i`'s stack.
    fn GENERAL_NAME_free(g: *mut GENERAL_NAME) {
        // SAFETY: the caller owns `g`, made by X509_get_ext_d2i (or NULL).
        unsafe { GENERAL_NAME::free(g) }
    }
    /// Frees a `STACK_OF(GENERAL_NAME)` and every name in it.
    fn GENERAL_NAMES_free(st: *mut OPENSSL_STACK) {
        if st.is_null() {
            return;
        }
        // SAFETY: the caller owns the stack, made by X509_get_ext_d2i.
        let st = unsafe { Box::from_raw(st) };
        for g in st.items {
            // SAFETY: every item is a GENERAL_NAME the stack owned.
            unsafe { GENERAL_NAME::free(g.cast()) }
        }
    }
}

/// The NUL-terminated copy of a table name. The table's names are `'static`; their C copies are
/// made once and kept for the life of the process, as OpenSSL's object table is.
fn static_cstr(s: &'static str) -> *const c_char {
    use std::collections::HashMap;
    use std::ffi::CString;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashMap<&'static str, &'static std::ffi::CStr>>> = OnceLock::new();
    let mut m = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let c = m.entry(s).or_insert_with(|| Box::leak(CString::new(s).unwrap_or_default().into_boxed_c_str()));
    c.as_ptr()
}
