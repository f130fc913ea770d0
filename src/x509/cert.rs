//! Certificate inspection: the fields a person or a tool (`ferrotls x509`, the OpenSSL layer's
//! `X509_get_*`) wants to see, parsed once with x509-cert.
//!
//! Nothing here decides trust: that is [`super::verify`]. The formats follow OpenSSL where a
//! caller is likely to compare output with `openssl x509` (serial, dates, the `/C=../CN=..`
//! one-line name) and the RFCs otherwise (RFC 4514 distinguished names).

use core::fmt::{self, Write as _};
use std::net::IpAddr;

use der::asn1::{
    Any, BmpString, Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, UintRef,
    Utf8StringRef,
};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use rustls_pki_types::UnixTime;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::ext::pkix::constraints::BasicConstraints;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, SubjectAltName as SubjectAltNameExtension};
use x509_cert::name::Name;
use x509_cert::Certificate;

use crate::error::CertificateError;

/// One subjectAltName entry (RFC 5280 §4.2.1.6) of the kinds TLS cares about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubjectAltName {
    /// A `dNSName`, possibly with a leading wildcard label.
    Dns(String),
    /// An `iPAddress` of 4 or 16 octets.
    Ip(IpAddr),
    /// An `rfc822Name` (e-mail address).
    Email(String),
    /// A `uniformResourceIdentifier`.
    Uri(String),
}

impl fmt::Display for SubjectAltName {
    /// OpenSSL's spelling, as in `openssl x509 -ext subjectAltName`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(name) => write!(f, "DNS:{name}"),
            Self::Ip(ip) => write!(f, "IP Address:{ip}"),
            Self::Email(email) => write!(f, "email:{email}"),
            Self::Uri(uri) => write!(f, "URI:{uri}"),
        }
    }
}

/// The basicConstraints extension (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicConstraintsInfo {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// The maximum number of intermediates that may follow this CA, if limited.
    pub path_len: Option<u8>,
}

/// The displayable contents of one X.509 certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    version: u8,
    serial: String,
    subject: String,
    subject_oneline: String,
    issuer: String,
    issuer_oneline: String,
    not_before: u64,
    not_after: u64,
    signature_algorithm: String,
    public_key_algorithm: String,
    public_key_bits: Option<usize>,
    subject_public_key_info_der: Vec<u8>,
    subject_alt_names: Vec<SubjectAltName>,
    basic_constraints: Option<BasicConstraintsInfo>,
    key_usage: Vec<&'static str>,
    extended_key_usage: Vec<String>,
    subject_attributes: Vec<(String, String)>,
    issuer_attributes: Vec<(String, String)>,
    der: Vec<u8>,
}

impl CertificateInfo {
    /// Parses a DER certificate.
    ///
    /// Fails with [`CertificateError::BadEncoding`] when `der` is not an RFC 5280 certificate or
    /// one of the extensions shown here is malformed. x509-cert's RFC 5280 profile is strict
    /// (e.g. serial numbers of at most 20 octets, RFC 5280 §4.1.2.2), so a certificate webpki
    /// accepts can, rarely, be refused here.
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        let cert = Certificate::from_der(der).map_err(|_| CertificateError::BadEncoding)?;
        let tbs = cert.tbs_certificate();
        let spki = tbs.subject_public_key_info();
        let bad = |_| CertificateError::BadEncoding;

        let mut subject_alt_names = Vec::new();
        if let Some((_, san)) = tbs.get_extension::<SubjectAltNameExtension>().map_err(bad)? {
            for name in san.0 {
                subject_alt_names.extend(subject_alt_name(name));
            }
        }
        let basic_constraints = tbs
            .get_extension::<BasicConstraints>()
            .map_err(bad)?
            .map(|(_, bc)| BasicConstraintsInfo { ca: bc.ca, path_len: bc.path_len_constraint });
        let key_usage = match tbs.get_extension::<KeyUsage>().map_err(bad)? {
            Some((_, ku)) => key_usage_names(&ku),
            None => Vec::new(),
        };
        let extended_key_usage = match tbs.get_extension::<ExtendedKeyUsage>().map_err(bad)? {
            Some((_, eku)) => eku.0.iter().map(|oid| oid_name(oid, EKU_NAMES)).collect(),
            None => Vec::new(),
        };

        let validity = tbs.validity();
        Ok(Self {
            version: tbs.version() as u8 + 1,
            serial: serial_hex(tbs.serial_number().as_bytes()),
            subject: rfc4514(tbs.subject()),
            subject_oneline: oneline(tbs.subject()),
            issuer: rfc4514(tbs.issuer()),
            issuer_oneline: oneline(tbs.issuer()),
            not_before: validity.not_before.to_unix_duration().as_secs(),
            not_after: validity.not_after.to_unix_duration().as_secs(),
            signature_algorithm: oid_name(&cert.signature_algorithm().oid, ALGORITHM_NAMES),
            public_key_algorithm: oid_name(&spki.algorithm.oid, ALGORITHM_NAMES),
            public_key_bits: public_key_bits(
                &spki.algorithm.oid,
                spki.algorithm.parameters.as_ref(),
                spki.subject_public_key.raw_bytes(),
            ),
            subject_public_key_info_der: spki.to_der().map_err(bad)?,
            subject_alt_names,
            basic_constraints,
            key_usage,
            extended_key_usage,
            subject_attributes: attributes(tbs.subject()),
            issuer_attributes: attributes(tbs.issuer()),
            der: der.to_vec(),
        })
    }

    /// The subject's attributes in encoding order (most general first, as `/C=../CN=..`), each
    /// as (short name or dotted OID, value). Values that are not strings are `#` and hex DER.
    pub fn subject_attributes(&self) -> &[(String, String)] {
        &self.subject_attributes
    }

    /// The first value of the subject attribute `name` (`"CN"`, `"O"`, `"emailAddress"`, or a
    /// dotted OID; short names ignore ASCII case).
    pub fn subject_attribute(&self, name: &str) -> Option<&str> {
        self.subject_attribute_values(name).into_iter().next()
    }

    /// Every value of the subject attribute `name`, in encoding order (a name may repeat,
    /// e.g. several OU).
    pub fn subject_attribute_values(&self, name: &str) -> Vec<&str> {
        attribute_values(&self.subject_attributes, name)
    }

    /// The issuer's attributes, as [`Self::subject_attributes`].
    pub fn issuer_attributes(&self) -> &[(String, String)] {
        &self.issuer_attributes
    }

    /// The first value of the issuer attribute `name`, as [`Self::subject_attribute`].
    pub fn issuer_attribute(&self, name: &str) -> Option<&str> {
        attribute_values(&self.issuer_attributes, name).into_iter().next()
    }

    /// Whether subject and issuer are the same name (a root, or a self-signed leaf; RFC 5280
    /// §3.2 calls it self-issued).
    pub fn is_self_issued(&self) -> bool {
        self.subject_attributes == self.issuer_attributes
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The SHA-256 fingerprint of the DER encoding, as `openssl x509 -fingerprint -sha256`
    /// prints it (`AB:CD:..`, uppercase). The hash comes from `provider`, so this module names
    /// no hash implementation; `None` when the provider has no SHA-256.
    pub fn sha256_fingerprint(&self, provider: &crate::crypto::CryptoProvider) -> Option<String> {
        let hash = (provider.hash)(crate::crypto::HashAlgorithm::Sha256)?.hash(&self.der);
        let hex: Vec<String> = hash.as_ref().iter().map(|b| format!("{b:02X}")).collect();
        Some(hex.join(":"))
    }

    /// The X.509 version: 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The serial number in uppercase hexadecimal without separators, as `openssl x509 -serial`
    /// prints it (`3001`, `0123ABCD`).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The subject as an RFC 4514 string, most specific RDN first (`CN=localhost,O=ferrotls,C=XX`).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The subject in OpenSSL's one-line form, `/C=XX/O=ferrotls/CN=localhost`
    /// (`X509_NAME_oneline`, `openssl x509 -subject -nameopt compat`). Not escaped: for display.
    pub fn subject_oneline(&self) -> &str {
        &self.subject_oneline
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The issuer in OpenSSL's one-line form.
    pub fn issuer_oneline(&self) -> &str {
        &self.issuer_oneline
    }

    /// Start of the validity period (RFC 5280 §4.1.2.5).
    pub fn not_before(&self) -> UnixTime {
        UnixTime::since_unix_epoch(core::time::Duration::from_secs(self.not_before))
    }

    /// End of the validity period, inclusive (RFC 5280 §4.1.2.5).
    pub fn not_after(&self) -> UnixTime {
        UnixTime::since_unix_epoch(core::time::Duration::from_secs(self.not_after))
    }

    /// `not_before` as OpenSSL prints it: `Jan  1 00:00:00 2026 GMT`.
    pub fn not_before_display(&self) -> String {
        openssl_time(self.not_before)
    }

    /// `not_after` as OpenSSL prints it: `Jan  1 00:00:00 2046 GMT`.
    pub fn not_after_display(&self) -> String {
        openssl_time(self.not_after)
    }

    /// The certificate's signature algorithm in OpenSSL's naming (`sha256WithRSAEncryption`,
    /// `rsassaPss`), or the dotted OID when unknown.
    pub fn signature_algorithm(&self) -> &str {
        &self.signature_algorithm
    }

    /// The subject key's algorithm in OpenSSL's naming (`rsaEncryption`, `id-ecPublicKey`), or
    /// the dotted OID when unknown.
    pub fn public_key_algorithm(&self) -> &str {
        &self.public_key_algorithm
    }

    /// The key size in bits: the RSA modulus length, or the curve size for known EC curves.
    pub fn public_key_bits(&self) -> Option<usize> {
        self.public_key_bits
    }

    /// The DER SubjectPublicKeyInfo, for matching a private key to this certificate or for the
    /// key provider's RSA operations.
    pub fn subject_public_key_info_der(&self) -> &[u8] {
        &self.subject_public_key_info_der
    }

    /// The DNS names, IP addresses, e-mail addresses and URIs in subjectAltName, in order.
    pub fn subject_alt_names(&self) -> &[SubjectAltName] {
        &self.subject_alt_names
    }

    /// basicConstraints, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraintsInfo> {
        self.basic_constraints
    }

    /// The keyUsage bits that are set, in RFC 5280 §4.2.1.3 order and OpenSSL's spelling
    /// (`Digital Signature`, `Key Encipherment`); empty when the extension is absent.
    pub fn key_usage(&self) -> &[&'static str] {
        &self.key_usage
    }

    /// The extendedKeyUsage purposes in OpenSSL's spelling (`TLS Web Server Authentication`),
    /// or dotted OIDs; empty when the extension is absent.
    pub fn extended_key_usage(&self) -> &[String] {
        &self.extended_key_usage
    }

    /// A JSON object with the subject, issuer, serial and validity (as OpenSSL-style strings
    /// and as unix seconds), plus version, algorithms, key size, the one-line names, key usage,
    /// extended key usage, basic constraints and subjectAltNames.
    pub fn to_json(&self) -> String {
        self.json(None)
    }

    /// [`Self::to_json`] plus `sha256_fingerprint` (computed by `provider`).
    pub fn to_json_with_fingerprint(&self, provider: &crate::crypto::CryptoProvider) -> String {
        self.json(self.sha256_fingerprint(provider).as_deref())
    }

    fn json(&self, fingerprint: Option<&str>) -> String {
        let mut out = String::from("{");
        let mut field = |key: &str, value: &str, quoted: bool| {
            if out.len() > 1 {
                out.push(',');
            }
            write_json_string(&mut out, key);
            out.push(':');
            if quoted {
                write_json_string(&mut out, value);
            } else {
                out.push_str(value);
            }
        };
        field("subject", &self.subject, true);
        field("issuer", &self.issuer, true);
        field("serial", &self.serial, true);
        field("not_before", &self.not_before_display(), true);
        field("not_after", &self.not_after_display(), true);
        field("not_before_unix", &self.not_before.to_string(), false);
        field("not_after_unix", &self.not_after.to_string(), false);
        field("version", &self.version.to_string(), false);
        field("signature_algorithm", &self.signature_algorithm, true);
        field("public_key_algorithm", &self.public_key_algorithm, true);
        let bits = self.public_key_bits.map_or_else(|| "null".to_owned(), |b| b.to_string());
        field("public_key_bits", &bits, false);
        field("subject_oneline", &self.subject_oneline, true);
        field("issuer_oneline", &self.issuer_oneline, true);
        field("key_usage", &json_list(self.key_usage.iter().copied()), false);
        field("extended_key_usage", &json_list(self.extended_key_usage.iter().map(String::as_str)), false);
        let bc = match self.basic_constraints {
            None => "null".to_owned(),
            Some(bc) => format!(
                "{{\"ca\":{},\"path_len\":{}}}",
                bc.ca,
                bc.path_len.map_or_else(|| "null".to_owned(), |n| n.to_string())
            ),
        };
        field("basic_constraints", &bc, false);
        if let Some(fingerprint) = fingerprint {
            field("sha256_fingerprint", fingerprint, true);
        }
        let mut sans = String::from("[");
        for (i, san) in self.subject_alt_names.iter().enumerate() {
            if i > 0 {
                sans.push(',');
            }
            write_json_string(&mut sans, &san.to_string());
        }
        sans.push(']');
        field("subject_alt_names", &sans, false);
        out.push('}');
        out
    }
}

/// A JSON array of strings.
fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(&mut out, item);
    }
    out.push(']');
    out
}

/// (short name or dotted OID, value) for each attribute of `name`, in encoding order.
fn attributes(name: &Name) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rdn in name.iter_rdn() {
        for atv in rdn.iter() {
            let oid = atv.oid.to_string();
            let key = ATTRIBUTE_NAMES
                .iter()
                .find(|(o, _)| *o == oid)
                .map_or_else(|| oid.clone(), |(_, k)| (*k).to_owned());
            let value = attribute_string(&atv.value).unwrap_or_else(|| {
                atv.value.to_der().unwrap_or_default().iter().fold(String::from("#"), |mut s, b| {
                    let _ = write!(s, "{b:02X}");
                    s
                })
            });
            out.push((key, value));
        }
    }
    out
}

/// The values of attribute `name` (a short name, ignoring ASCII case, or a dotted OID).
fn attribute_values<'a>(attributes: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    // Attributes are stored under their short name when they have one: map a dotted OID to it.
    let short = ATTRIBUTE_NAMES.iter().find(|(oid, _)| *oid == name).map(|(_, k)| *k);
    attributes
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name) || short.is_some_and(|k| k == key))
        .map(|(_, value)| value.as_str())
        .collect()
}

/// Formats unix seconds as OpenSSL's `ASN1_TIME_print` does: `Nov 27 06:47:28 2026 GMT`, the
/// day padded with a space to two characters.
pub fn openssl_time(unix_seconds: u64) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (year, month, day) = civil_from_days(unix_seconds / 86_400);
    let secs = unix_seconds % 86_400;
    format!(
        "{} {day:>2} {:02}:{:02}:{:02} {year} GMT",
        MONTHS[month as usize - 1],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// (year, month 1..=12, day 1..=31) of the proleptic Gregorian calendar for a count of days
/// since 1970-01-01: Howard Hinnant's `civil_from_days`, restricted to non-negative inputs.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `openssl x509 -serial`: the INTEGER's magnitude in uppercase hex, at least two digits.
fn serial_hex(bytes: &[u8]) -> String {
    // DER adds a 0x00 byte before a high first byte to keep the INTEGER positive (X.690 §8.3.2).
    let trimmed = match bytes.iter().position(|&b| b != 0) {
        Some(first) => &bytes[first..],
        None => &[0][..],
    };
    trimmed.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

/// RFC 4514 §2.1: RDNs in reverse order of the encoding, joined by ','; attributes of a
/// multi-valued RDN joined by '+'.
fn rfc4514(name: &Name) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.into_iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            rfc4514_attribute(&mut out, atv);
        }
    }
    out
}

/// RFC 4514 §2.3/§2.4: `type=value`, or `oid=#hexDER` when the type has no short name or the
/// value is not a string.
fn rfc4514_attribute(out: &mut String, atv: &AttributeTypeAndValue) {
    let key = ATTRIBUTE_NAMES.iter().find(|(oid, _)| *oid == atv.oid.to_string()).map(|(_, k)| *k);
    match (key, attribute_string(&atv.value)) {
        (Some(key), Some(value)) => {
            out.push_str(key);
            out.push('=');
            let last = value.chars().count().saturating_sub(1);
            for (i, c) in value.chars().enumerate() {
                match c {
                    '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '#' if i == 0 => out.push_str("\\#"),
                    ' ' if i == 0 || i == last => out.push_str("\\ "),
                    '\0'..='\x1f' | '\x7f' => {
                        let _ = write!(out, "\\{:02X}", c as u32);
                    }
                    _ => out.push(c),
                }
            }
        }
        _ => {
            let _ = write!(out, "{}=#", atv.oid);
            for b in atv.value.to_der().unwrap_or_default() {
                let _ = write!(out, "{b:02X}");
            }
        }
    }
}

/// `X509_NAME_oneline`: `/type=value` per attribute in encoding order, unescaped.
fn oneline(name: &Name) -> String {
    let mut out = String::new();
    for rdn in name.iter_rdn() {
        for (j, atv) in rdn.iter().enumerate() {
            out.push(if j == 0 { '/' } else { '+' });
            let key = ATTRIBUTE_NAMES.iter().find(|(oid, _)| *oid == atv.oid.to_string()).map(|(_, k)| *k);
            match key {
                Some(key) => out.push_str(key),
                None => {
                    let _ = write!(out, "{}", atv.oid);
                }
            }
            out.push('=');
            match attribute_string(&atv.value) {
                Some(value) => out.push_str(&value),
                None => {
                    for b in atv.value.value() {
                        let _ = write!(out, "\\x{b:02X}");
                    }
                }
            }
        }
    }
    out
}

/// The text of a DirectoryString (RFC 5280 §4.1.2.4) or of the IA5String types PKCS#9 uses.
pub(crate) fn attribute_string(value: &Any) -> Option<String> {
    match value.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str().to_owned()),
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str().to_owned()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str().to_owned()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str().to_owned()),
        Tag::BmpString => value.decode_as::<BmpString>().ok().map(|s| s.to_string()),
        _ => None,
    }
}

fn subject_alt_name(name: GeneralName) -> Option<SubjectAltName> {
    Some(match name {
        GeneralName::DnsName(dns) => SubjectAltName::Dns(dns.to_string()),
        GeneralName::Rfc822Name(email) => SubjectAltName::Email(email.to_string()),
        GeneralName::UniformResourceIdentifier(uri) => SubjectAltName::Uri(uri.to_string()),
        // RFC 5280 §4.2.1.6: four octets for IPv4, sixteen for IPv6.
        GeneralName::IpAddress(octets) => match octets.as_bytes().len() {
            4 => SubjectAltName::Ip(IpAddr::from(<[u8; 4]>::try_from(octets.as_bytes()).ok()?)),
            16 => SubjectAltName::Ip(IpAddr::from(<[u8; 16]>::try_from(octets.as_bytes()).ok()?)),
            _ => return None,
        },
        _ => return None,
    })
}

fn key_usage_names(ku: &KeyUsage) -> Vec<&'static str> {
    [
        (ku.digital_signature(), "Digital Signature"),
        (ku.non_repudiation(), "Non Repudiation"),
        (ku.key_encipherment(), "Key Encipherment"),
        (ku.data_encipherment(), "Data Encipherment"),
        (ku.key_agreement(), "Key Agreement"),
        (ku.key_cert_sign(), "Certificate Sign"),
        (ku.crl_sign(), "CRL Sign"),
        (ku.encipher_only(), "Encipher Only"),
        (ku.decipher_only(), "Decipher Only"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect()
}

/// RSA: the modulus length (RFC 8017 §A.1.1 `RSAPublicKey ::= SEQUENCE { modulus, exponent }`).
/// EC: the size of a known named curve (RFC 5480 §2.1.1).
/// Key size in bits of a DER SubjectPublicKeyInfo (RSA modulus, EC curve), as `openssl x509
/// -text` and `EVP_PKEY_get_bits` report it.
#[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
/// The key type of a SubjectPublicKeyInfo (DER), when it is one TLS keys come in: RSA
/// (`rsaEncryption`), ECDSA on P-256 or P-384, Ed25519.
pub fn spki_key_type(spki_der: &[u8]) -> Option<crate::crypto::KeyType> {
    use crate::crypto::KeyType;
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki_der).ok()?;
    match spki.algorithm.oid.to_string().as_str() {
        RSA_ENCRYPTION => Some(KeyType::Rsa),
        "1.3.101.112" => Some(KeyType::Ed25519),
        EC_PUBLIC_KEY => match spki_bits(spki_der)? {
            256 => Some(KeyType::EcdsaP256),
            384 => Some(KeyType::EcdsaP384),
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn spki_bits(spki_der: &[u8]) -> Option<usize> {
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki_der).ok()?;
    public_key_bits(
        &spki.algorithm.oid,
        spki.algorithm.parameters.as_ref(),
        spki.subject_public_key.raw_bytes(),
    )
}

fn public_key_bits(algorithm: &ObjectIdentifier, parameters: Option<&Any>, key: &[u8]) -> Option<usize> {
    match algorithm.to_string().as_str() {
        RSA_ENCRYPTION | RSASSA_PSS => {
            let modulus = SliceReader::new(key).ok()?.sequence(|body| {
                let modulus = UintRef::decode(body)?;
                let _exponent = UintRef::decode(body)?;
                Ok::<_, der::Error>(modulus.as_bytes().to_vec())
            });
            let modulus = modulus.ok()?;
            let first = *modulus.first()?;
            Some(modulus.len() * 8 - first.leading_zeros() as usize)
        }
        EC_PUBLIC_KEY => {
            let curve: ObjectIdentifier = parameters?.decode_as().ok()?;
            match curve.to_string().as_str() {
                "1.2.840.10045.3.1.7" => Some(256),
                "1.3.132.0.34" => Some(384),
                "1.3.132.0.35" => Some(521),
                _ => None,
            }
        }
        "1.3.101.112" => Some(256),
        "1.3.101.113" => Some(456),
        _ => None,
    }
}

fn oid_name(oid: &ObjectIdentifier, table: &[(&str, &str)]) -> String {
    let dotted = oid.to_string();
    table.iter().find(|(o, _)| *o == dotted).map_or(dotted, |(_, name)| (*name).to_owned())
}

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// Attribute type short names: RFC 4514 §3 lists CN L ST O OU C STREET DC UID; the rest are the
/// names OpenSSL prints (and RFC 4514 §3 lets implementations recognise more).
pub(crate) const ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.6", "C"),
    ("2.5.4.9", "STREET"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.12", "title"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.42", "GN"),
    ("2.5.4.15", "businessCategory"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
];

/// Signature and key algorithms, named as OpenSSL's `OBJ_nid2ln`/`-text` output names them.
const ALGORITHM_NAMES: &[(&str, &str)] = &[
    (RSA_ENCRYPTION, "rsaEncryption"),
    (RSASSA_PSS, "rsassaPss"),
    (EC_PUBLIC_KEY, "id-ecPublicKey"),
    ("1.3.101.112", "ED25519"),
    ("1.3.101.113", "ED448"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
];

/// RFC 5280 §4.2.1.12 key purposes, in OpenSSL's `-text` spelling.
const EKU_NAMES: &[(&str, &str)] = &[
    ("1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication"),
    ("1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication"),
    ("1.3.6.1.5.5.7.3.3", "Code Signing"),
    ("1.3.6.1.5.5.7.3.4", "E-mail Protection"),
    ("1.3.6.1.5.5.7.3.8", "Time Stamping"),
    ("1.3.6.1.5.5.7.3.9", "OCSP Signing"),
    ("2.5.29.37.0", "Any Extended Key Usage"),
];

/// Appends `s` as a JSON string (RFC 8259 §7): quotes, backslashes and control characters are
/// escaped; everything else is UTF-8 as is.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::pem::certs_from_pem;

    fn info(pem: &[u8]) -> CertificateInfo {
        CertificateInfo::from_der(certs_from_pem(pem).unwrap()[0].as_ref()).unwrap()
    }

    #[test]
    fn demo_leaf_fields_are_parsed() {
        let leaf = info(include_bytes!("../../tests/fixtures/server.pem"));
        assert_eq!(leaf.version(), 3);
        assert_eq!(leaf.serial(), "3001");
        assert_eq!(leaf.subject(), "CN=localhost,O=ferrotls\\, demo,ST=Test State,C=XX");
        assert_eq!(leaf.subject_oneline(), "/C=XX/ST=Test State/O=ferrotls, demo/CN=localhost");
        assert_eq!(leaf.issuer(), "CN=ferrotls demo intermediate,O=ferrotls,C=XX");
        assert_eq!(leaf.not_before_display(), "Jan  1 00:00:00 2026 GMT");
        assert_eq!(leaf.not_after_display(), "Jan  1 00:00:00 2046 GMT");
        assert_eq!(leaf.not_before().as_secs(), 1_767_225_600);
        assert_eq!(leaf.signature_algorithm(), "sha256WithRSAEncryption");
        assert_eq!(leaf.public_key_algorithm(), "rsaEncryption");
        assert_eq!(leaf.public_key_bits(), Some(2048));
        assert_eq!(
            leaf.subject_alt_names(),
            [SubjectAltName::Dns("localhost".into()), SubjectAltName::Ip(IpAddr::from([127, 0, 0, 1]))]
        );
        assert_eq!(leaf.basic_constraints(), Some(BasicConstraintsInfo { ca: false, path_len: None }));
        assert_eq!(leaf.key_usage(), ["Digital Signature", "Key Encipherment"]);
        assert_eq!(leaf.extended_key_usage(), ["TLS Web Server Authentication"]);
    }

    #[test]
    fn spki_der_is_a_subject_public_key_info_sequence() {
        let leaf = info(include_bytes!("../../tests/fixtures/server.pem"));
        let spki = leaf.subject_public_key_info_der();
        assert_eq!(spki[0], 0x30);
        assert!(spki.len() > 256 && spki.len() < 300, "{}", spki.len());
    }

    #[test]
    fn intermediate_is_a_ca_with_path_length_zero() {
        let ca = info(include_bytes!("../../tests/fixtures/intermediate.pem"));
        assert_eq!(ca.basic_constraints(), Some(BasicConstraintsInfo { ca: true, path_len: Some(0) }));
        assert_eq!(ca.key_usage(), ["Certificate Sign", "CRL Sign"]);
    }

    #[test]
    fn sha1_and_pss_signature_algorithms_are_named() {
        assert_eq!(
            info(include_bytes!("../../tests/fixtures/sha1-leaf.pem")).signature_algorithm(),
            "sha1WithRSAEncryption"
        );
        assert_eq!(
            info(include_bytes!("../../tests/fixtures/pss-leaf.pem")).signature_algorithm(),
            "rsassaPss"
        );
    }

    #[test]
    fn garbage_is_a_bad_encoding() {
        assert_eq!(CertificateInfo::from_der(b"\x30\x00"), Err(CertificateError::BadEncoding));
        assert_eq!(CertificateInfo::from_der(b""), Err(CertificateError::BadEncoding));
    }

    #[test]
    fn openssl_time_pads_single_digit_days_with_a_space() {
        assert_eq!(openssl_time(0), "Jan  1 00:00:00 1970 GMT");
        assert_eq!(openssl_time(1_795_761_248), "Nov 27 06:34:08 2026 GMT");
        // 2000-02-29 (a leap day in a century leap year) and the day after.
        assert_eq!(openssl_time(951_782_400), "Feb 29 00:00:00 2000 GMT");
        assert_eq!(openssl_time(951_868_800 + 86_399), "Mar  1 23:59:59 2000 GMT");
        assert_eq!(openssl_time(4_102_444_800), "Jan  1 00:00:00 2100 GMT");
    }

    #[test]
    fn serial_drops_the_der_sign_byte_and_keeps_inner_zero_bytes() {
        assert_eq!(serial_hex(&[0x00, 0x8f, 0x00, 0x01]), "8F0001");
        assert_eq!(serial_hex(&[0x01, 0x00]), "0100");
        assert_eq!(serial_hex(&[]), "00");
    }

    #[test]
    fn json_escapes_quotes_backslashes_and_control_characters() {
        let mut out = String::new();
        write_json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }

    #[test]
    fn json_for_the_demo_leaf_has_the_expected_fields() {
        let json = info(include_bytes!("../../tests/fixtures/server.pem")).to_json();
        assert!(
            json.starts_with(
                "{\"subject\":\"CN=localhost,O=ferrotls\\\\, demo,ST=Test State,C=XX\",\
             \"issuer\":\"CN=ferrotls demo intermediate,O=ferrotls,C=XX\",\"serial\":\"3001\",\
             \"not_before\":\"Jan  1 00:00:00 2026 GMT\",\"not_after\":\"Jan  1 00:00:00 2046 GMT\","
            ),
            "{json}"
        );
        assert!(
            json.contains("\"subject_alt_names\":[\"DNS:localhost\",\"IP Address:127.0.0.1\"]}"),
            "{json}"
        );
        assert!(json.contains("\"public_key_bits\":2048"), "{json}");
    }
}
