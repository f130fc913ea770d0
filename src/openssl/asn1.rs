//! `ASN1_STRING`, `ASN1_OBJECT`, `X509_NAME_ENTRY`, `X509_EXTENSION` and `GENERAL_NAME`: the
//! ASN.1 values programs read out of certificates (socat, curl and wget walk the subject's
//! entries and the subjectAltName extension with them).
//!
//! `ASN1_STRING` and `GENERAL_NAME` are public structures in OpenSSL 3.0 (`asn1.h`, `x509v3.h`)
//! that programs dereference (`name->d.iPAddress->data`, `->length`), so they are `#[repr(C)]`
//! with OpenSSL's layout. The others are opaque there and are plain Rust objects here.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use libc::{c_int, c_long, c_void};
use x509_cert::ext::pkix::name::GeneralName;

use super::x509::X509_NAME;

/// `V_ASN1_*` universal tag numbers (the `type` of an `ASN1_STRING`).
pub mod tag {
    /// `V_ASN1_INTEGER`.
    pub const INTEGER: i32 = 2;
    /// `V_ASN1_OCTET_STRING`.
    pub const OCTET_STRING: i32 = 4;
    /// `V_ASN1_UTF8STRING`.
    pub const UTF8STRING: i32 = 12;
    /// `V_ASN1_SEQUENCE`.
    pub const SEQUENCE: i32 = 16;
    /// `V_ASN1_PRINTABLESTRING`.
    pub const PRINTABLESTRING: i32 = 19;
    /// `V_ASN1_T61STRING` (TeletexString).
    pub const T61STRING: i32 = 20;
    /// `V_ASN1_IA5STRING`.
    pub const IA5STRING: i32 = 22;
    /// `V_ASN1_UNIVERSALSTRING`.
    pub const UNIVERSALSTRING: i32 = 28;
    /// `V_ASN1_BMPSTRING`.
    pub const BMPSTRING: i32 = 30;
}

/// `ASN1_STRING` with OpenSSL 3.0's public layout (`struct asn1_string_st`). `data` always has a
/// NUL after its `length` octets, as OpenSSL guarantees, so programs may print it as text.
#[repr(C)]
#[derive(Debug)]
pub struct ASN1_STRING {
    /// Octets in `data`, without the terminating NUL.
    pub length: c_int,
    /// A `V_ASN1_*` tag number.
    pub type_: c_int,
    /// `length` octets and a NUL; owned by this object.
    pub data: *mut u8,
    /// Unused here (OpenSSL's BIT STRING padding flags).
    pub flags: c_long,
}

// SAFETY: `data` is owned by the object and never shared; the object is immutable once made.
unsafe impl Send for ASN1_STRING {}
// SAFETY: as above; shared references only read.
unsafe impl Sync for ASN1_STRING {}

impl ASN1_STRING {
    /// A string of type `type_` holding a copy of `bytes`.
    pub fn new(type_: i32, bytes: &[u8]) -> Self {
        let mut v = Vec::with_capacity(bytes.len() + 1);
        v.extend_from_slice(bytes);
        v.push(0);
        let data = Box::into_raw(v.into_boxed_slice()).cast::<u8>();
        Self { length: bytes.len() as c_int, type_, data, flags: 0 }
    }

    /// The octets (without the NUL).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `data` points to `length + 1` octets owned by self (made in `new`).
        unsafe { std::slice::from_raw_parts(self.data, self.length as usize) }
    }

    /// The text as UTF-8, as `ASN1_STRING_to_UTF8` converts it: BMPString is UCS-2 and
    /// UniversalString UCS-4 (big-endian), TeletexString is read as Latin-1 (what OpenSSL does),
    /// the others are taken as they are. `None` when the octets are not valid for the type.
    pub fn to_utf8(&self) -> Option<String> {
        let b = self.bytes();
        match self.type_ {
            tag::BMPSTRING => {
                if !b.len().is_multiple_of(2) {
                    return None;
                }
                let units = b.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
                char::decode_utf16(units).collect::<Result<String, _>>().ok()
            }
            tag::UNIVERSALSTRING => {
                if !b.len().is_multiple_of(4) {
                    return None;
                }
                b.chunks(4).map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))).collect()
            }
            tag::T61STRING => Some(b.iter().map(|&c| char::from(c)).collect()),
            _ => String::from_utf8(b.to_vec()).ok(),
        }
    }

    /// A heap copy for C.
    pub fn into_raw(self) -> *mut ASN1_STRING {
        Box::into_raw(Box::new(self))
    }
}

impl Clone for ASN1_STRING {
    fn clone(&self) -> Self {
        let mut s = Self::new(self.type_, self.bytes());
        s.flags = self.flags;
        s
    }
}

impl Drop for ASN1_STRING {
    fn drop(&mut self) {
        if !self.data.is_null() {
            let len = self.length as usize + 1;
            // SAFETY: `data` came from `Box<[u8]>` of `length + 1` octets in `new`.
            drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.data, len)) });
        }
    }
}

/// One row of OpenSSL's object table: NID, short name, long name, dotted OID.
type ObjRow = (i32, &'static str, &'static str, &'static str);

/// The objects ferrotls knows, with OpenSSL's NIDs and names (`obj_mac.h`): the name attributes,
/// the X.509v3 extensions, and the algorithms of the certificates and digests it handles.
/// `tests/openssl-compat/crypto.c` compares every row with the system libcrypto.
pub const OBJECTS: &[ObjRow] = &[
    (4, "MD5", "md5", "1.2.840.113549.2.5"),
    (6, "rsaEncryption", "rsaEncryption", "1.2.840.113549.1.1.1"),
    (8, "RSA-MD5", "md5WithRSAEncryption", "1.2.840.113549.1.1.4"),
    (13, "CN", "commonName", "2.5.4.3"),
    (14, "C", "countryName", "2.5.4.6"),
    (15, "L", "localityName", "2.5.4.7"),
    (16, "ST", "stateOrProvinceName", "2.5.4.8"),
    (17, "O", "organizationName", "2.5.4.10"),
    (18, "OU", "organizationalUnitName", "2.5.4.11"),
    (48, "emailAddress", "emailAddress", "1.2.840.113549.1.9.1"),
    (64, "SHA1", "sha1", "1.3.14.3.2.26"),
    (65, "RSA-SHA1", "sha1WithRSAEncryption", "1.2.840.113549.1.1.5"),
    (71, "nsCertType", "Netscape Cert Type", "2.16.840.1.113730.1.1"),
    (78, "nsComment", "Netscape Comment", "2.16.840.1.113730.1.13"),
    (82, "subjectKeyIdentifier", "X509v3 Subject Key Identifier", "2.5.29.14"),
    (83, "keyUsage", "X509v3 Key Usage", "2.5.29.15"),
    (85, "subjectAltName", "X509v3 Subject Alternative Name", "2.5.29.17"),
    (86, "issuerAltName", "X509v3 Issuer Alternative Name", "2.5.29.18"),
    (87, "basicConstraints", "X509v3 Basic Constraints", "2.5.29.19"),
    (88, "crlNumber", "X509v3 CRL Number", "2.5.29.20"),
    (89, "certificatePolicies", "X509v3 Certificate Policies", "2.5.29.32"),
    (90, "authorityKeyIdentifier", "X509v3 Authority Key Identifier", "2.5.29.35"),
    (99, "GN", "givenName", "2.5.4.42"),
    (100, "SN", "surname", "2.5.4.4"),
    (103, "crlDistributionPoints", "X509v3 CRL Distribution Points", "2.5.29.31"),
    (105, "serialNumber", "serialNumber", "2.5.4.5"),
    (106, "title", "title", "2.5.4.12"),
    (126, "extendedKeyUsage", "X509v3 Extended Key Usage", "2.5.29.37"),
    (129, "serverAuth", "TLS Web Server Authentication", "1.3.6.1.5.5.7.3.1"),
    (130, "clientAuth", "TLS Web Client Authentication", "1.3.6.1.5.5.7.3.2"),
    (177, "authorityInfoAccess", "Authority Information Access", "1.3.6.1.5.5.7.1.1"),
    (257, "MD4", "md4", "1.2.840.113549.2.4"),
    (391, "DC", "domainComponent", "0.9.2342.19200300.100.1.25"),
    (408, "id-ecPublicKey", "id-ecPublicKey", "1.2.840.10045.2.1"),
    (415, "prime256v1", "prime256v1", "1.2.840.10045.3.1.7"),
    (458, "UID", "userId", "0.9.2342.19200300.100.1.1"),
    (660, "street", "streetAddress", "2.5.4.9"),
    (661, "postalCode", "postalCode", "2.5.4.17"),
    (666, "nameConstraints", "X509v3 Name Constraints", "2.5.29.30"),
    (668, "RSA-SHA256", "sha256WithRSAEncryption", "1.2.840.113549.1.1.11"),
    (669, "RSA-SHA384", "sha384WithRSAEncryption", "1.2.840.113549.1.1.12"),
    (670, "RSA-SHA512", "sha512WithRSAEncryption", "1.2.840.113549.1.1.13"),
    (672, "SHA256", "sha256", "2.16.840.1.101.3.4.2.1"),
    (673, "SHA384", "sha384", "2.16.840.1.101.3.4.2.2"),
    (674, "SHA512", "sha512", "2.16.840.1.101.3.4.2.3"),
    (675, "SHA224", "sha224", "2.16.840.1.101.3.4.2.4"),
    (715, "secp384r1", "secp384r1", "1.3.132.0.34"),
    (716, "secp521r1", "secp521r1", "1.3.132.0.35"),
    (794, "ecdsa-with-SHA256", "ecdsa-with-SHA256", "1.2.840.10045.4.3.2"),
    (795, "ecdsa-with-SHA384", "ecdsa-with-SHA384", "1.2.840.10045.4.3.3"),
    (796, "ecdsa-with-SHA512", "ecdsa-with-SHA512", "1.2.840.10045.4.3.4"),
    (912, "RSASSA-PSS", "rsassaPss", "1.2.840.113549.1.1.10"),
    (951, "ct_precert_scts", "CT Precertificate SCTs", "1.3.6.1.4.1.11129.2.4.2"),
    (1087, "ED25519", "ED25519", "1.3.101.112"),
];

/// The row of `nid`.
pub fn by_nid(nid: i32) -> Option<&'static ObjRow> {
    OBJECTS.iter().find(|r| r.0 == nid)
}

/// The NID of a dotted OID, or `NID_undef` (0).
pub fn nid_of_oid(oid: &str) -> i32 {
    OBJECTS.iter().find(|r| r.3 == oid).map_or(0, |r| r.0)
}

/// The NID whose short or long name is `name` (`OBJ_sn2nid`/`OBJ_ln2nid`/`OBJ_txt2nid`).
pub fn nid_of_name(name: &str, short: bool, long: bool) -> i32 {
    OBJECTS.iter().find(|r| (short && r.1 == name) || (long && r.2 == name)).map_or(0, |r| r.0)
}

/// `ASN1_OBJECT`: an object identifier and its NID (0 when ferrotls has no name for it).
#[derive(Clone, Debug)]
pub struct ASN1_OBJECT {
    /// OpenSSL's NID, or 0.
    pub nid: c_int,
    /// The identifier.
    pub oid: ObjectIdentifier,
}

impl ASN1_OBJECT {
    /// The object for `oid`.
    pub fn from_oid(oid: ObjectIdentifier) -> Self {
        Self { nid: nid_of_oid(&oid.to_string()), oid }
    }

    /// `OBJ_obj2txt`: the long name (or the dotted form when `no_name` or unnamed).
    pub fn text(&self, no_name: bool) -> String {
        match by_nid(self.nid) {
            Some(r) if !no_name => r.2.to_string(),
            _ => self.oid.to_string(),
        }
    }
}

/// `X509_NAME_ENTRY`: one attribute of a name.
#[derive(Clone, Debug)]
pub struct X509_NAME_ENTRY {
    /// The attribute type.
    pub object: ASN1_OBJECT,
    /// The value with its string type.
    pub data: ASN1_STRING,
}

/// `X509_EXTENSION`: one extension of a certificate.
#[derive(Clone, Debug)]
pub struct X509_EXTENSION {
    /// The extension's identifier.
    pub object: ASN1_OBJECT,
    /// The critical flag.
    pub critical: bool,
    /// The extnValue OCTET STRING (the extension's DER).
    pub value: ASN1_STRING,
}

/// `GEN_*`: which alternative of a `GENERAL_NAME` (RFC 5280 §4.2.1.6) is present.
pub mod gen {
    /// otherName.
    pub const OTHERNAME: i32 = 0;
    /// rfc822Name.
    pub const EMAIL: i32 = 1;
    /// dNSName.
    pub const DNS: i32 = 2;
    /// x400Address.
    pub const X400: i32 = 3;
    /// directoryName.
    pub const DIRNAME: i32 = 4;
    /// ediPartyName.
    pub const EDIPARTY: i32 = 5;
    /// uniformResourceIdentifier.
    pub const URI: i32 = 6;
    /// iPAddress.
    pub const IPADD: i32 = 7;
    /// registeredID.
    pub const RID: i32 = 8;
}

/// `GENERAL_NAME` with OpenSSL's public layout: `int type` and a union of pointers. For
/// `GEN_EMAIL`/`GEN_DNS`/`GEN_URI` `d` is an IA5String `ASN1_STRING`, for `GEN_IPADD` an
/// OCTET STRING of 4 or 16 octets, for `GEN_DIRNAME` an `X509_NAME`, for `GEN_RID` an
/// `ASN1_OBJECT`. otherName, x400Address and ediPartyName (which OpenSSL parses into structures
/// ferrotls does not model) hold their DER as a SEQUENCE `ASN1_STRING`.
#[repr(C)]
#[derive(Debug)]
pub struct GENERAL_NAME {
    /// A `GEN_*` value.
    pub type_: c_int,
    /// The value; what it points to depends on `type_`.
    pub d: *mut c_void,
}

impl GENERAL_NAME {
    /// Converts one parsed name into a heap `GENERAL_NAME` for C.
    pub fn from_general_name(name: &GeneralName) -> *mut GENERAL_NAME {
        let string = |t: i32, b: &[u8]| ASN1_STRING::new(t, b).into_raw().cast::<c_void>();
        let (type_, d) = match name {
            GeneralName::Rfc822Name(s) => (gen::EMAIL, string(tag::IA5STRING, s.as_bytes())),
            GeneralName::DnsName(s) => (gen::DNS, string(tag::IA5STRING, s.as_bytes())),
            GeneralName::UniformResourceIdentifier(s) => (gen::URI, string(tag::IA5STRING, s.as_bytes())),
            GeneralName::IpAddress(o) => (gen::IPADD, string(tag::OCTET_STRING, o.as_bytes())),
            GeneralName::DirectoryName(n) => {
                (gen::DIRNAME, Box::into_raw(Box::new(X509_NAME::from_name(n))).cast())
            }
            GeneralName::RegisteredId(oid) => {
                (gen::RID, Box::into_raw(Box::new(ASN1_OBJECT::from_oid(*oid))).cast())
            }
            GeneralName::OtherName(o) => {
                (gen::OTHERNAME, string(tag::SEQUENCE, &o.to_der().unwrap_or_default()))
            }
            GeneralName::EdiPartyName(e) => {
                (gen::EDIPARTY, string(tag::SEQUENCE, &e.to_der().unwrap_or_default()))
            }
        };
        Box::into_raw(Box::new(GENERAL_NAME { type_, d }))
    }

    /// Frees a `GENERAL_NAME` made by [`GENERAL_NAME::from_general_name`] (`GENERAL_NAME_free`).
    ///
    /// # Safety
    /// `p` is NULL or came from `from_general_name` and is not used afterwards.
    pub unsafe fn free(p: *mut GENERAL_NAME) {
        if p.is_null() {
            return;
        }
        // SAFETY: per the caller, `p` is a live Box<GENERAL_NAME>.
        let g = unsafe { Box::from_raw(p) };
        if g.d.is_null() {
            return;
        }
        // SAFETY: `d` was made in `from_general_name` as the Box type its `type_` names.
        unsafe {
            match g.type_ {
                gen::DIRNAME => drop(Box::from_raw(g.d.cast::<X509_NAME>())),
                gen::RID => drop(Box::from_raw(g.d.cast::<ASN1_OBJECT>())),
                _ => drop(Box::from_raw(g.d.cast::<ASN1_STRING>())),
            }
        }
    }
}

/// Parses the DER of a subjectAltName/issuerAltName extension value (`GeneralNames`).
pub fn parse_general_names(der: &[u8]) -> Option<Vec<GeneralName>> {
    x509_cert::ext::pkix::name::GeneralNames::from_der(der).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_nul_terminated_and_convert_to_utf8() {
        let s = ASN1_STRING::new(tag::IA5STRING, b"example.com");
        assert_eq!(s.length, 11);
        // SAFETY: `data` has length + 1 octets.
        assert_eq!(unsafe { *s.data.add(11) }, 0);
        assert_eq!(s.to_utf8().as_deref(), Some("example.com"));
        let bmp = ASN1_STRING::new(tag::BMPSTRING, &[0, b'h', 0x00, 0xe9]);
        assert_eq!(bmp.to_utf8().as_deref(), Some("hé"));
        assert_eq!(ASN1_STRING::new(tag::BMPSTRING, &[0]).to_utf8(), None);
        assert_eq!(ASN1_STRING::new(tag::T61STRING, &[0xe9]).to_utf8().as_deref(), Some("é"));
        assert_eq!(ASN1_STRING::new(tag::UTF8STRING, &[0xff]).to_utf8(), None);
        let c = s.clone();
        assert_eq!(c.bytes(), s.bytes());
        assert_ne!(c.data, s.data);
    }

    #[test]
    fn object_table_is_consistent() {
        for r in OBJECTS {
            assert!(r.3.parse::<ObjectIdentifier>().is_ok(), "{}", r.3);
            assert_eq!(nid_of_oid(r.3), r.0);
            assert_eq!(OBJECTS.iter().filter(|o| o.0 == r.0).count(), 1, "nid {}", r.0);
        }
        assert_eq!(nid_of_name("CN", true, false), 13);
        assert_eq!(nid_of_name("subjectAltName", true, true), 85);
        assert_eq!(nid_of_name("nope", true, true), 0);
    }
}
