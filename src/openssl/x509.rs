//! `X509`, `X509_NAME`, `X509_STORE`, `EVP_PKEY`, `ASN1_INTEGER`/`ASN1_TIME`: certificates and
//! keys as OpenSSL programs see them, over `x509::CertificateInfo` and the PEM loaders.
//!
//! `X509` and `EVP_PKEY` are reference counted (`X509_up_ref`, `SSL_get1_peer_certificate`):
//! the C pointer is an `Arc::into_raw`, and `X509_free` gives one reference back.

use std::ffi::CString;
use std::sync::{Arc, Mutex};

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Tagged};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::asn1::{ASN1_OBJECT, ASN1_STRING, X509_EXTENSION, X509_NAME_ENTRY};
use crate::x509::cert::{attribute_string, ATTRIBUTE_NAMES};
use crate::x509::{CertificateDer, CertificateInfo, PrivateKeyDer, RootCertStore};

/// One attribute of a distinguished name.
#[derive(Clone, Debug)]
pub struct NameEntry {
    /// The attribute type, dotted.
    pub oid: String,
    /// OpenSSL's short name (`CN`), or the dotted OID.
    pub short: String,
    /// The value as text (`None` when it is not a string type).
    pub value: Option<String>,
    /// Whether this attribute continues the previous RDN (multi-valued RDN, joined by '+').
    pub same_rdn: bool,
    /// The attribute as `X509_NAME_get_entry` hands it out.
    pub c: X509_NAME_ENTRY,
}

/// `X509_NAME`: a distinguished name in encoding order.
#[derive(Clone, Debug)]
pub struct X509_NAME {
    /// The DER encoding (for comparisons and `i2d`).
    pub der: Vec<u8>,
    /// The attributes in encoding order.
    pub entries: Vec<NameEntry>,
    oneline: CString,
}

/// `ASN1_INTEGER`: an `ASN1_STRING` (OpenSSL 3.0's public layout, which programs read:
/// curl prints `serial->data`) holding the magnitude, type `V_ASN1_INTEGER` or
/// `V_ASN1_NEG_INTEGER` ([`super::certinfo::integer_from_der`]).
pub type ASN1_INTEGER = ASN1_STRING;

/// `ASN1_TIME`: seconds since the Unix epoch.
#[derive(Clone, Copy, Debug)]
pub struct ASN1_TIME {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: u64,
}

/// `X509`: one certificate.
#[derive(Debug)]
pub struct X509 {
    /// The DER encoding.
    pub der: CertificateDer<'static>,
    /// Parsed fields.
    pub info: CertificateInfo,
    /// Subject name.
    pub subject: X509_NAME,
    /// Issuer name.
    pub issuer: X509_NAME,
    /// Serial number.
    pub serial: ASN1_INTEGER,
    /// notBefore.
    pub not_before: ASN1_TIME,
    /// notAfter.
    pub not_after: ASN1_TIME,
    /// The extensions in certificate order.
    pub extensions: Vec<X509_EXTENSION>,
    /// The signature, its algorithm and the extensions as a stack (curl's `--certinfo`).
    pub extras: super::certinfo::CertExtras,
}

impl X509_NAME {
    /// Parses a DER Name.
    pub fn from_name(name: &Name) -> Self {
        let mut entries = Vec::new();
        for rdn in name.iter_rdn() {
            for (j, atv) in rdn.iter().enumerate() {
                let oid = atv.oid.to_string();
                let short = ATTRIBUTE_NAMES
                    .iter()
                    .find(|(o, _)| *o == oid)
                    .map_or_else(|| oid.clone(), |(_, s)| (*s).to_string());
                let c = X509_NAME_ENTRY {
                    object: ASN1_OBJECT::from_oid(atv.oid),
                    data: ASN1_STRING::new(atv.value.tag().number().value() as i32, atv.value.value()),
                };
                entries.push(NameEntry {
                    oid,
                    short,
                    value: attribute_string(&atv.value),
                    same_rdn: j > 0,
                    c,
                });
            }
        }
        let der = name.to_der().unwrap_or_default();
        let mut s = Self { der, entries, oneline: CString::default() };
        s.oneline = CString::new(s.format(Format::Oneline)).unwrap_or_default();
        s
    }

    /// `X509_NAME_oneline`'s text, NUL-terminated.
    pub fn oneline(&self) -> &CString {
        &self.oneline
    }

    /// The value of the first (`lastpos < 0`) or next attribute with `nid` after `lastpos`.
    pub fn index_by_nid(&self, nid: i32, lastpos: i32) -> Option<usize> {
        let oid = super::asn1::by_nid(nid)?.3;
        let start = usize::try_from(lastpos + 1).unwrap_or(0);
        self.entries.iter().enumerate().skip(start).find(|(_, e)| e.oid == oid).map(|(i, _)| i)
    }

    /// The name in one of OpenSSL's print formats.
    pub fn format(&self, f: Format) -> String {
        let mut out = String::new();
        match f {
            Format::Oneline => {
                for e in &self.entries {
                    out.push(if e.same_rdn { '+' } else { '/' });
                    out.push_str(&e.short);
                    out.push('=');
                    out.push_str(e.value.as_deref().unwrap_or("<binary>"));
                }
            }
            Format::Flags(flags) => {
                let sep = match flags & XN_FLAG_SEP_MASK {
                    XN_FLAG_SEP_COMMA_PLUS => ",",
                    XN_FLAG_SEP_SPLUS_SPC => "; ",
                    XN_FLAG_SEP_MULTILINE => "\n",
                    _ => ", ",
                };
                let eq = if flags & XN_FLAG_SPC_EQ != 0 { " = " } else { "=" };
                let escape = |v: &str| -> String {
                    // ASN1_STRFLGS_ESC_QUOTE: quote a value with RFC 2253 specials;
                    // ASN1_STRFLGS_ESC_2253: backslash-escape them.
                    let special = |c: char| matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';');
                    if flags & ASN1_STRFLGS_ESC_QUOTE != 0 && v.chars().any(special) {
                        return format!("\"{v}\"");
                    }
                    if flags & ASN1_STRFLGS_ESC_2253 == 0 {
                        return v.to_string();
                    }
                    let last = v.chars().count().saturating_sub(1);
                    let mut out = String::new();
                    for (i, c) in v.chars().enumerate() {
                        if special(c) || (c == '#' && i == 0) || (c == ' ' && (i == 0 || i == last)) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out
                };
                let mut items: Vec<&NameEntry> = self.entries.iter().collect();
                if flags & XN_FLAG_DN_REV != 0 {
                    items.reverse();
                }
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if e.same_rdn { " + " } else { sep });
                    }
                    out.push_str(&e.short);
                    out.push_str(eq);
                    out.push_str(&escape(e.value.as_deref().unwrap_or("")));
                }
            }
        }
        out
    }
}

/// `ASN1_STRFLGS_ESC_2253`.
pub const ASN1_STRFLGS_ESC_2253: u64 = 1;
/// `ASN1_STRFLGS_ESC_QUOTE`.
pub const ASN1_STRFLGS_ESC_QUOTE: u64 = 8;
/// `XN_FLAG_SEP_MASK`.
pub const XN_FLAG_SEP_MASK: u64 = 0xf << 16;
/// `XN_FLAG_SEP_COMMA_PLUS`.
pub const XN_FLAG_SEP_COMMA_PLUS: u64 = 1 << 16;
/// `XN_FLAG_SEP_CPLUS_SPC`.
pub const XN_FLAG_SEP_CPLUS_SPC: u64 = 2 << 16;
/// `XN_FLAG_SEP_SPLUS_SPC`.
pub const XN_FLAG_SEP_SPLUS_SPC: u64 = 3 << 16;
/// `XN_FLAG_SEP_MULTILINE`.
pub const XN_FLAG_SEP_MULTILINE: u64 = 4 << 16;
/// `XN_FLAG_DN_REV`.
pub const XN_FLAG_DN_REV: u64 = 1 << 20;
/// `XN_FLAG_SPC_EQ`.
pub const XN_FLAG_SPC_EQ: u64 = 1 << 23;

/// How to print a name.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// `/C=XX/O=x/CN=y`.
    Oneline,
    /// `X509_NAME_print_ex` flags (`XN_FLAG_*`); 0 is the compatible `C=XX, O=x, CN=y`.
    Flags(u64),
}

impl X509 {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Option<Self> {
        let cert = Certificate::from_der(der).ok()?;
        let info = CertificateInfo::from_der(der).ok()?;
        let tbs = cert.tbs_certificate();
        let extensions: Vec<X509_EXTENSION> = tbs
            .extensions()
            .map(|exts| {
                exts.iter()
                    .map(|e| X509_EXTENSION {
                        object: ASN1_OBJECT::from_oid(e.extn_id),
                        critical: e.critical,
                        value: ASN1_STRING::new(super::asn1::tag::OCTET_STRING, e.extn_value.as_bytes()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The stack points into `extensions`' heap buffer, which moving the Vec does not move.
        let extras = super::certinfo::CertExtras::new(&cert, &extensions);
        Some(Self {
            der: CertificateDer::from(der.to_vec()),
            subject: X509_NAME::from_name(tbs.subject()),
            issuer: X509_NAME::from_name(tbs.issuer()),
            serial: super::certinfo::integer_from_der(tbs.serial_number().as_bytes()),
            not_before: ASN1_TIME { unix: info.not_before().as_secs() },
            not_after: ASN1_TIME { unix: info.not_after().as_secs() },
            extensions,
            extras,
            info,
        })
    }

    /// A new reference-counted handle for C.
    pub fn into_raw(self) -> *mut X509 {
        Arc::into_raw(Arc::new(self)).cast_mut()
    }

    /// Whether subject and issuer are the same name (a self-issued certificate).
    pub fn self_issued(&self) -> bool {
        self.subject.der == self.issuer.der
    }
}

/// Takes one more reference to a C `X509` and returns it as an `Arc`.
///
/// # Safety
/// `p` came from [`X509::into_raw`] (or another `Arc<X509>` handed to C) and is live.
pub(crate) unsafe fn x509_clone_arc(p: *const X509) -> Arc<X509> {
    // SAFETY: per the caller, `p` is a live Arc<X509> allocation; the count is raised first so
    // the Arc made here owns its own reference.
    unsafe {
        Arc::increment_strong_count(p);
        Arc::from_raw(p)
    }
}

/// Gives a new reference to C.
pub(crate) fn x509_to_raw(x: &Arc<X509>) -> *mut X509 {
    Arc::into_raw(Arc::clone(x)).cast_mut()
}

/// `EVP_PKEY`: a private key (DER, tagged with its format) or only a public key (SPKI).
#[derive(Debug)]
pub struct EVP_PKEY {
    /// The private key, when this is one.
    pub private: Option<PrivateKeyDer<'static>>,
    /// SubjectPublicKeyInfo DER, when known.
    pub spki: Option<Vec<u8>>,
}

impl EVP_PKEY {
    /// A private key; its public half is derived through the crypto provider (RSA, ECDSA,
    /// Ed25519; `spki` stays `None` for a key the provider cannot use).
    pub fn from_private(key: PrivateKeyDer<'static>) -> Self {
        let spki = crate::config::default_provider()
            .key_provider
            .load_private_key(key.secret_der())
            .ok()
            .map(|k| k.public_key_spki().to_vec());
        Self { private: Some(key), spki }
    }

    /// A new reference-counted handle for C.
    pub fn into_raw(self) -> *mut EVP_PKEY {
        Arc::into_raw(Arc::new(self)).cast_mut()
    }

    /// OpenSSL's `EVP_PKEY_*` number for the key's type.
    pub fn openssl_id(&self) -> libc::c_int {
        use crate::crypto::KeyType;
        match self.spki.as_deref().and_then(crate::x509::cert::spki_key_type) {
            Some(KeyType::Rsa) => 6,
            Some(KeyType::EcdsaP256 | KeyType::EcdsaP384) => 408,
            Some(KeyType::Ed25519) => 1087,
            _ => 0,
        }
    }

    /// Key size in bits (the RSA modulus, the EC curve).
    pub fn bits(&self) -> usize {
        self.spki.as_deref().and_then(crate::x509::cert::spki_bits).unwrap_or(0)
    }
}

/// `X509_STORE`: trusted certificates (the CTX's verify store).
#[derive(Debug, Default)]
pub struct X509_STORE {
    /// The trusted certificates, in the order added.
    pub certs: Mutex<Vec<Arc<X509>>>,
    /// Directories given to `load_verify_locations` / `load_verify_dir`; read at handshake.
    pub dirs: Mutex<Vec<std::path::PathBuf>>,
    /// What each directory held when first read.
    pub dir_certs: Mutex<std::collections::HashMap<std::path::PathBuf, Vec<Arc<X509>>>>,
    /// CRLs (`X509_load_crl_file`, `X509_STORE_add_crl`), DER, checked when `flags` ask.
    pub crls: Mutex<Vec<Vec<u8>>>,
    /// `X509_STORE_set_flags` (`X509_V_FLAG_*`).
    pub flags: std::sync::atomic::AtomicU64,
    /// `X509_STORE_add_lookup`'s lookups (owned here, as in OpenSSL).
    pub lookups: Mutex<Vec<Box<X509_LOOKUP>>>,
}

/// `X509_LOOKUP`: a file or hashed-directory lookup attached to a store.
#[derive(Debug)]
pub struct X509_LOOKUP {
    /// The store's address (the store owns and outlives its lookups).
    pub store: usize,
    /// `X509_LOOKUP_hash_dir` rather than `X509_LOOKUP_file`.
    pub dir: bool,
}

impl X509_STORE {
    /// Adds a certificate; a duplicate is refused as OpenSSL refuses it.
    pub fn add(&self, cert: Arc<X509>) -> bool {
        let mut certs = self.certs.lock().unwrap_or_else(|e| e.into_inner());
        if certs.iter().any(|c| c.der == cert.der) {
            return false;
        }
        certs.push(cert);
        true
    }

    /// Adds every certificate in PEM `data`; returns how many.
    pub fn add_pem(&self, data: &[u8]) -> Result<usize, crate::x509::PemError> {
        let ders = crate::x509::certs_from_pem(data)?;
        let mut n = 0;
        for der in ders {
            if let Some(x) = X509::from_der(&der) {
                self.add(Arc::new(x));
                n += 1;
            }
        }
        Ok(n)
    }

    /// The certificates, including those of the hashed directories. A directory is read once,
    /// at the first handshake that needs it, and kept (OpenSSL's `CApath` lookup also keeps
    /// what it loaded in the store); only `openssl rehash` names are read
    /// ([`crate::files::hashed_dir_certificates`]).
    pub fn snapshot(&self) -> Vec<Arc<X509>> {
        let mut out = self.certs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut loaded = self.dir_certs.lock().unwrap_or_else(|e| e.into_inner());
        for dir in dirs {
            let certs = loaded.entry(dir).or_insert_with_key(|dir| {
                // A directory that cannot be read adds nothing, as OpenSSL's lookup skips it.
                crate::files::hashed_dir_certificates(dir)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|d| X509::from_der(d))
                    .map(Arc::new)
                    .collect()
            });
            for c in certs.iter() {
                if !out.iter().any(|o| o.der == c.der) {
                    out.push(Arc::clone(c));
                }
            }
        }
        out
    }

    /// Adds a CRL (DER) unless it is already there; false for a duplicate.
    pub fn add_crl(&self, der: &[u8]) -> bool {
        let mut crls = self.crls.lock().unwrap_or_else(|e| e.into_inner());
        if crls.iter().any(|c| c == der) {
            return false;
        }
        crls.push(der.to_vec());
        true
    }

    /// The CRLs as webpki parses them (an unparsable one was refused when it was added).
    pub fn parsed_crls(&self) -> Vec<webpki::CertRevocationList<'static>> {
        let crls = self.crls.lock().unwrap_or_else(|e| e.into_inner());
        crls.iter()
            .filter_map(|d| webpki::OwnedCertRevocationList::from_der(d).ok())
            .map(webpki::CertRevocationList::Owned)
            .collect()
    }

    /// A webpki root store of the certificates it can use as trust anchors.
    pub fn root_store(certs: &[Arc<X509>]) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots.add_parsable(certs.iter().map(|c| &c.der));
        roots
    }
}

/// Matches `host` against the certificate's names as `X509_check_host` does: DNS SANs with a
/// leading `*.` wildcard for one label, case-insensitive; the subject CN only when there is no
/// DNS SAN (OpenSSL's default, unlike webpki's).
pub fn check_host(x: &X509, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let dns: Vec<String> = x
        .info
        .subject_alt_names()
        .iter()
        .filter_map(|s| match s {
            crate::x509::SubjectAltName::Dns(d) => Some(d.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let candidates = if dns.is_empty() {
        x.subject.entries.iter().filter(|e| e.oid == "2.5.4.3").filter_map(|e| e.value.clone()).collect()
    } else {
        dns
    };
    candidates.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        if let Some(rest) = pattern.strip_prefix("*.") {
            match host.split_once('.') {
                Some((first, tail)) => !first.is_empty() && tail == rest && rest.contains('.'),
                None => false,
            }
        } else {
            pattern == host
        }
    })
}

/// Matches an IP address against the certificate's IP SANs (`X509_check_ip_asc`).
pub fn check_ip(x: &X509, ip: std::net::IpAddr) -> bool {
    x.info.subject_alt_names().iter().any(|s| matches!(s, crate::x509::SubjectAltName::Ip(a) if *a == ip))
}

/// The DER of an `Name` field for issuer lookups.
pub fn oid_of(s: &str) -> Option<ObjectIdentifier> {
    ObjectIdentifier::new(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf() -> X509 {
        let ders =
            crate::x509::certs_from_pem(include_bytes!("../../tests/fixtures/server-chain.pem")).unwrap();
        X509::from_der(&ders[0]).unwrap()
    }

    #[test]
    fn names_print_in_openssl_formats() {
        let x = leaf();
        let one = x.subject.oneline().to_str().unwrap().to_string();
        assert!(one.starts_with('/') && one.contains("CN=localhost"), "{one}");
        let rfc = x.subject.format(Format::Flags(XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV));
        assert!(rfc.starts_with("CN=localhost,"), "{rfc}");
        let idx = x.subject.index_by_nid(13, -1).unwrap();
        assert_eq!(x.subject.entries[idx].value.as_deref(), Some("localhost"));
    }

    #[test]
    fn host_matching_follows_x509_check_host() {
        let x = leaf();
        assert!(check_host(&x, "localhost"));
        assert!(check_host(&x, "LOCALHOST."));
        assert!(!check_host(&x, "example.com"));
    }
}
