//! Loading certificates and private keys from PEM (RFC 7468) or raw DER.
//!
//! Only the framing lives here: finding `-----BEGIN ...-----` blocks in text that may carry
//! anything else around them (OpenSSL writes "Bag Attributes" and `-text` dumps there). Each
//! block is decoded by `pem-rfc7468`; the DER inside is not parsed, so a certificate this module
//! returns may still be rejected by [`super::cert`] or the verifier.

use core::fmt;

use der::{Reader, SliceReader, Tag};

use crate::crypto::CryptoProvider;
use rustls_pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer,
    PrivateSec1KeyDer,
};

/// Why certificates or a key could not be loaded from PEM or DER input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemError {
    /// The input holds no `CERTIFICATE` block (and, when DER was allowed, is not DER either).
    NoCertificates,
    /// The input holds no `X509 CRL` block and is not a DER CRL either.
    NoCrls,
    /// The input holds no private key block (and, when DER was allowed, is not a DER key either).
    NoPrivateKey,
    /// The key is encrypted and no password was given (`ENCRYPTED PRIVATE KEY`; see
    /// [`private_key_from_pem_with_password`]), or it uses the pre-PKCS#8 OpenSSL encryption
    /// (`Proc-Type: 4,ENCRYPTED`), which is not supported.
    EncryptedKey,
    /// An encrypted PKCS#8 key could not be decrypted: wrong password, unsupported scheme or
    /// corrupt data (the provider's words).
    Decrypt(String),
    /// A block of a kind we wanted (its label is given) is malformed: bad Base64, no END line, or
    /// a header where RFC 7468 allows none.
    Malformed {
        /// The block's label, e.g. `CERTIFICATE`.
        label: String,
        /// What was wrong, in words.
        reason: String,
    },
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoCertificates => f.write_str("no certificates found (expected a PEM CERTIFICATE block or DER)"),
            Self::NoCrls => f.write_str("no CRLs found (expected a PEM X509 CRL block or DER)"),
            Self::NoPrivateKey => f.write_str(
                "no private key found (expected a PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block, or DER)",
            ),
            Self::EncryptedKey => f.write_str(
                "the private key is encrypted: give its password (only PKCS#8 ENCRYPTED PRIVATE KEY is supported)",
            ),
            Self::Decrypt(reason) => write!(f, "cannot decrypt the private key: {reason}"),
            Self::Malformed { label, reason } => write!(f, "malformed PEM {label} block: {reason}"),
        }
    }
}

impl std::error::Error for PemError {}

impl From<PemError> for crate::Error {
    /// Loading certificates and keys is configuration: nothing has been sent to a peer yet.
    fn from(e: PemError) -> Self {
        Self::Config(e.to_string())
    }
}

/// RFC 7468 §5.1: the certificate label, plus the two historical spellings §5.1 tells parsers
/// they may accept.
const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"];

/// Every certificate in `pem`, in order, as DER.
///
/// Blocks with other labels (keys, CRLs, parameters) and any text between blocks are ignored,
/// so a combined "key + chain" file works. Fails with [`PemError::NoCertificates`] when there
/// is none.
pub fn certs_from_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let mut certs = Vec::new();
    for block in blocks(pem) {
        if CERTIFICATE_LABELS.contains(&block.label) {
            certs.push(CertificateDer::from(block.decode()?));
        }
    }
    if certs.is_empty() {
        return Err(PemError::NoCertificates);
    }
    Ok(certs)
}

/// The first private key in `pem`, as DER tagged with its format.
///
/// `RSA PRIVATE KEY` is PKCS#1 (RFC 8017 §A.1.2), `PRIVATE KEY` is PKCS#8 (RFC 5208/5958, as
/// RFC 7468 §10 labels it), `EC PRIVATE KEY` is SEC 1 (RFC 5915). Encrypted keys are refused
/// with [`PemError::EncryptedKey`]. Later keys are ignored, as OpenSSL does.
pub fn private_key_from_pem(pem: &[u8]) -> Result<PrivateKeyDer<'static>, PemError> {
    for block in blocks(pem) {
        let key = match block.label {
            "PRIVATE KEY" => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(block.decode()?)),
            "RSA PRIVATE KEY" => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(block.decode_key()?)),
            "EC PRIVATE KEY" => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(block.decode_key()?)),
            // RFC 7468 §11: PKCS#8 EncryptedPrivateKeyInfo.
            "ENCRYPTED PRIVATE KEY" => return Err(PemError::EncryptedKey),
            _ => continue,
        };
        return Ok(key);
    }
    Err(PemError::NoPrivateKey)
}

/// Every CRL in `input`: PEM `X509 CRL` blocks (RFC 7468 §6), or one DER CertificateList
/// (RFC 5280 §5.1). The CRLs are not parsed here; the verifier does that.
pub fn crls_from_pem_or_der(input: &[u8]) -> Result<Vec<CertificateRevocationListDer<'static>>, PemError> {
    if !looks_like_pem(input) {
        if input.first() == Some(&0x30) {
            return Ok(vec![CertificateRevocationListDer::from(input.to_vec())]);
        }
        return Err(PemError::NoCrls);
    }
    let mut crls = Vec::new();
    for block in blocks(input) {
        if block.label == "X509 CRL" {
            crls.push(CertificateRevocationListDer::from(block.decode()?));
        }
    }
    if crls.is_empty() {
        return Err(PemError::NoCrls);
    }
    Ok(crls)
}

/// A private key from `input` (PEM or DER), decrypting an encrypted PKCS#8 key
/// (`ENCRYPTED PRIVATE KEY`, RFC 7468 §11 / RFC 5958 §3) with `password` through
/// `provider.key_provider`. An unencrypted key is returned as [`private_key_from_pem_or_der`]
/// would, ignoring the password.
pub fn private_key_from_pem_with_password(
    input: &[u8],
    password: &[u8],
    provider: &CryptoProvider,
) -> Result<PrivateKeyDer<'static>, PemError> {
    private_key_from_pem_with_password_callback(input, || Some(password.to_vec()), provider)
}

/// Like [`private_key_from_pem_with_password`], but asks `password` for the password only when
/// the key turns out to be encrypted (as OpenSSL's `pem_password_cb`); `None` from the callback
/// gives [`PemError::EncryptedKey`].
pub fn private_key_from_pem_with_password_callback(
    input: &[u8],
    password: impl FnOnce() -> Option<Vec<u8>>,
    provider: &CryptoProvider,
) -> Result<PrivateKeyDer<'static>, PemError> {
    let encrypted = if looks_like_pem(input) {
        match blocks(input).find(|b| KEY_LABELS.contains(&b.label)) {
            Some(block) if block.label == "ENCRYPTED PRIVATE KEY" => block.decode()?,
            _ => return private_key_from_pem(input),
        }
    } else if is_encrypted_private_key_info(input) {
        input.to_vec()
    } else {
        return private_key_from_der(input);
    };
    let password = zeroize::Zeroizing::new(password().ok_or(PemError::EncryptedKey)?);
    let plain = provider.key_provider.decrypt_pkcs8(&encrypted, &password).map_err(PemError::Decrypt)?;
    Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(plain)))
}

/// The private key labels [`private_key_from_pem`] looks at, in the order it accepts them.
const KEY_LABELS: &[&str] = &["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

/// RFC 5958 §3: `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }`;
/// the first field being a SEQUENCE tells it apart from the key formats, which start with an
/// INTEGER version.
fn is_encrypted_private_key_info(der: &[u8]) -> bool {
    let first_field = || -> der::Result<Tag> {
        let mut reader = SliceReader::new(der)?;
        reader.sequence(|body| {
            let tag = Tag::peek(body)?;
            while !body.is_finished() {
                body.tlv_bytes()?;
            }
            Ok(tag)
        })
    };
    matches!(first_field(), Ok(Tag::Sequence))
}

/// Whether `input` looks like PEM text: it contains a pre-encapsulation boundary.
///
/// DER never does in practice: a DER certificate or key starts with a SEQUENCE tag (0x30),
/// and the boundary text is vanishingly unlikely inside one at a position that matters.
pub fn looks_like_pem(input: &[u8]) -> bool {
    find(input, BEGIN).is_some()
}

/// Certificates from `input`, which may be PEM (see [`certs_from_pem`]) or one DER certificate.
///
/// DER is only sniffed (it must start with a SEQUENCE tag); the verifier or
/// [`super::cert::CertificateInfo`] reports whether it really is a certificate.
pub fn certs_from_pem_or_der(input: &[u8]) -> Result<Vec<CertificateDer<'static>>, PemError> {
    if looks_like_pem(input) {
        return certs_from_pem(input);
    }
    if input.first() == Some(&0x30) {
        return Ok(vec![CertificateDer::from(input.to_vec())]);
    }
    Err(PemError::NoCertificates)
}

/// A private key from `input`, which may be PEM (see [`private_key_from_pem`]) or DER.
///
/// A DER key's format is told from its structure (see [`private_key_from_der`]).
pub fn private_key_from_pem_or_der(input: &[u8]) -> Result<PrivateKeyDer<'static>, PemError> {
    if looks_like_pem(input) {
        return private_key_from_pem(input);
    }
    private_key_from_der(input)
}

/// Tags a DER private key with its format by looking at its second field.
///
/// PKCS#8 `PrivateKeyInfo` (RFC 5958 §2) is `SEQUENCE { INTEGER version, SEQUENCE
/// privateKeyAlgorithm, ... }`; PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2) is `SEQUENCE { INTEGER
/// version, INTEGER modulus, ... }`; SEC 1 `ECPrivateKey` (RFC 5915 §3) is `SEQUENCE { INTEGER
/// version, OCTET STRING privateKey, ... }`. Only the tags are read; the loader checks the rest.
pub fn private_key_from_der(der: &[u8]) -> Result<PrivateKeyDer<'static>, PemError> {
    let second_field = || -> der::Result<Tag> {
        let mut reader = SliceReader::new(der)?;
        reader.sequence(|body| {
            let _version: der::asn1::Int = body.decode()?;
            let tag = Tag::peek(body)?;
            // Skip the remaining fields so `sequence` does not complain about trailing data.
            while !body.is_finished() {
                body.tlv_bytes()?;
            }
            Ok(tag)
        })
    };
    let owned = der.to_vec();
    match second_field() {
        Ok(Tag::Sequence) => Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(owned))),
        Ok(Tag::Integer) => Ok(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(owned))),
        Ok(Tag::OctetString) => Ok(PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(owned))),
        _ => Err(PemError::NoPrivateKey),
    }
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// One encapsulated block, from its BEGIN line to the end of its END line.
struct Block<'a> {
    label: &'a str,
    text: &'a [u8],
    /// False when no matching END line was found (`text` then runs to the end of the input).
    complete: bool,
}

impl Block<'_> {
    fn decode(&self) -> Result<Vec<u8>, PemError> {
        if !self.complete {
            return Err(PemError::Malformed {
                label: self.label.to_owned(),
                reason: format!("no \"-----END {}-----\" line", self.label),
            });
        }
        let (_label, der) = pem_rfc7468::decode_vec(self.text).map_err(|e| self.malformed(e))?;
        Ok(der)
    }

    /// Like `decode`, but recognises the pre-RFC 7468 OpenSSL encryption headers (RFC 1421
    /// §4.6.1.1 `Proc-Type: 4,ENCRYPTED`), which only appear on traditional key blocks.
    fn decode_key(&self) -> Result<Vec<u8>, PemError> {
        if find(self.text, b"Proc-Type:").is_some() && find(self.text, b"ENCRYPTED").is_some() {
            return Err(PemError::EncryptedKey);
        }
        self.decode()
    }

    fn malformed(&self, e: pem_rfc7468::Error) -> PemError {
        PemError::Malformed { label: self.label.to_owned(), reason: e.to_string() }
    }
}

/// The PEM blocks in `input`, in order. Text outside blocks is skipped (RFC 7468 §2 lets
/// parsers ignore it). A BEGIN line without its matching END line still yields a block, which
/// fails only if the caller decodes it, so a truncated block of a kind the caller ignores does
/// not hide the blocks after it.
fn blocks(input: &[u8]) -> impl Iterator<Item = Block<'_>> {
    let mut rest = input;
    core::iter::from_fn(move || loop {
        let start = find(rest, BEGIN)?;
        let after_begin = &rest[start + BEGIN.len()..];
        let Some(label_len) = find(after_begin, DASHES) else {
            rest = &[];
            return None;
        };
        let label_bytes = &after_begin[..label_len];
        // RFC 7468 §3: labels are printable ASCII on one line; anything else was not a
        // boundary after all (e.g. prose that happens to contain the dashes).
        let label = match core::str::from_utf8(label_bytes) {
            Ok(l) if !l.is_empty() && l.bytes().all(|b| (0x20..0x7f).contains(&b)) => l,
            _ => {
                rest = after_begin;
                continue;
            }
        };
        let mut end_line = END.to_vec();
        end_line.extend_from_slice(label_bytes);
        end_line.extend_from_slice(DASHES);
        let body_start = start + BEGIN.len() + label_len + DASHES.len();
        let Some(end_offset) = find(&rest[body_start..], &end_line) else {
            let block = Block { label, text: &rest[start..], complete: false };
            rest = &rest[body_start..];
            return Some(block);
        };
        let end = body_start + end_offset + end_line.len();
        let block = Block { label, text: &rest[start..end], complete: true };
        rest = &rest[end..];
        return Some(block);
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAIN: &[u8] = include_bytes!("../../tests/fixtures/server-chain.pem");
    const SERVER_CERT: &[u8] = include_bytes!("../../tests/fixtures/server.pem");
    const PKCS8_KEY: &[u8] = include_bytes!("../../tests/fixtures/server.key");
    const PKCS1_KEY: &[u8] = include_bytes!("../../tests/fixtures/server.rsa.key");

    #[test]
    fn chain_file_yields_every_certificate_in_order() {
        let certs = certs_from_pem(CHAIN).unwrap();
        assert_eq!(certs.len(), 2);
        assert_eq!(certs[0], certs_from_pem(SERVER_CERT).unwrap()[0]);
        assert_eq!(certs[0].as_ref()[0], 0x30);
    }

    #[test]
    fn text_and_other_blocks_between_certificates_are_ignored() {
        let mut input = b"Bag Attributes\n    friendlyName: demo\nsubject=CN = localhost\n".to_vec();
        input.extend_from_slice(PKCS8_KEY);
        input.extend_from_slice(b"\nsome prose with -----dashes----- in it\n");
        input.extend_from_slice(CHAIN);
        input.extend_from_slice(b"trailing junk");
        assert_eq!(certs_from_pem(&input).unwrap(), certs_from_pem(CHAIN).unwrap());
    }

    #[test]
    fn crlf_line_endings_are_accepted() {
        let crlf = String::from_utf8(SERVER_CERT.to_vec()).unwrap().replace('\n', "\r\n");
        assert_eq!(certs_from_pem(crlf.as_bytes()).unwrap(), certs_from_pem(SERVER_CERT).unwrap());
    }

    #[test]
    fn empty_input_has_no_certificates() {
        assert_eq!(certs_from_pem(b""), Err(PemError::NoCertificates));
        assert_eq!(certs_from_pem_or_der(b""), Err(PemError::NoCertificates));
        assert_eq!(private_key_from_pem(b""), Err(PemError::NoPrivateKey));
    }

    #[test]
    fn a_key_file_has_no_certificates() {
        assert_eq!(certs_from_pem(PKCS8_KEY), Err(PemError::NoCertificates));
    }

    #[test]
    fn missing_end_line_is_reported_as_malformed() {
        let cut = &SERVER_CERT[..SERVER_CERT.len() - 30];
        assert!(
            matches!(certs_from_pem(cut), Err(PemError::Malformed { label, .. }) if label == "CERTIFICATE")
        );
    }

    #[test]
    fn truncated_block_of_another_kind_does_not_hide_later_certificates() {
        let mut input = b"-----BEGIN X509 CRL-----\nMIIB\n".to_vec();
        input.extend_from_slice(CHAIN);
        assert_eq!(certs_from_pem(&input).unwrap(), certs_from_pem(CHAIN).unwrap());
    }

    #[test]
    fn corrupt_base64_is_reported_as_malformed() {
        let mut bad = SERVER_CERT.to_vec();
        bad[40] = b'!';
        assert!(matches!(certs_from_pem(&bad), Err(PemError::Malformed { .. })));
    }

    #[test]
    fn rsa_private_key_label_is_pkcs1_and_private_key_label_is_pkcs8() {
        assert!(matches!(private_key_from_pem(PKCS1_KEY), Ok(PrivateKeyDer::Pkcs1(_))));
        assert!(matches!(private_key_from_pem(PKCS8_KEY), Ok(PrivateKeyDer::Pkcs8(_))));
    }

    #[test]
    fn der_keys_are_told_apart_by_structure() {
        let PrivateKeyDer::Pkcs1(pkcs1) = private_key_from_pem(PKCS1_KEY).unwrap() else { panic!() };
        let PrivateKeyDer::Pkcs8(pkcs8) = private_key_from_pem(PKCS8_KEY).unwrap() else { panic!() };
        assert!(matches!(
            private_key_from_pem_or_der(pkcs1.secret_pkcs1_der()),
            Ok(PrivateKeyDer::Pkcs1(k)) if k.secret_pkcs1_der() == pkcs1.secret_pkcs1_der()
        ));
        assert!(matches!(private_key_from_pem_or_der(pkcs8.secret_pkcs8_der()), Ok(PrivateKeyDer::Pkcs8(_))));
        assert_eq!(private_key_from_der(b"not a key"), Err(PemError::NoPrivateKey));
    }

    #[test]
    fn key_after_certificates_in_a_combined_file_is_found() {
        let mut input = CHAIN.to_vec();
        input.extend_from_slice(PKCS1_KEY);
        assert!(matches!(private_key_from_pem(&input), Ok(PrivateKeyDer::Pkcs1(_))));
    }

    #[test]
    fn encrypted_keys_are_refused_with_a_clear_error() {
        let pkcs8 = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(private_key_from_pem(pkcs8), Err(PemError::EncryptedKey));
        let traditional = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
            DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(private_key_from_pem(traditional), Err(PemError::EncryptedKey));
        assert!(PemError::EncryptedKey.to_string().contains("give its password"));
    }

    #[test]
    fn der_certificate_input_is_passed_through() {
        let der = certs_from_pem(SERVER_CERT).unwrap().remove(0);
        assert!(!looks_like_pem(der.as_ref()));
        assert_eq!(certs_from_pem_or_der(der.as_ref()).unwrap(), vec![der.clone()]);
        assert!(looks_like_pem(SERVER_CERT));
    }
}
