//! The set of CAs a client trusts, as webpki trust anchors.
//!
//! A trust anchor is only a subject name, a public key and optional name constraints (RFC 5280
//! §6.1.1 (d)): the rest of a root certificate (its validity, its own signature) is deliberately
//! ignored, as path validation treats the anchor as an axiom.

use rustls_pki_types::{CertificateDer, TrustAnchor};

use super::pem::certs_from_pem;
use super::verify::certificate_error_from_webpki;
use crate::error::{CertificateError, Error};

/// The trusted root CAs, built from DER or PEM certificates.
#[derive(Clone, Debug, Default)]
pub struct RootCertStore {
    roots: Vec<TrustAnchor<'static>>,
    /// The certificate each anchor came from, index for index with `roots` (`None` for anchors
    /// added through `Extend`): a verified chain and the verify callback show it at the top.
    certificates: Vec<Option<CertificateDer<'static>>>,
}

impl RootCertStore {
    /// A store that trusts nothing: every chain fails with [`CertificateError::UnknownIssuer`].
    pub fn empty() -> Self {
        Self::default()
    }

    /// Trusts the CA in the DER certificate `der`.
    ///
    /// Fails with [`CertificateError::BadEncoding`] (or the more precise reason webpki gives)
    /// when `der` is not a certificate webpki can take a trust anchor from. X.509 v1 roots are
    /// accepted, since many long-lived roots predate v3.
    pub fn add(&mut self, der: &CertificateDer<'_>) -> Result<(), CertificateError> {
        let anchor = webpki::anchor_from_trusted_cert(der).map_err(certificate_error_from_webpki)?;
        self.roots.push(anchor.to_owned());
        self.certificates.push(Some(der.clone().into_owned()));
        Ok(())
    }

    /// Trusts every certificate in the PEM text `pem` and returns how many were added.
    ///
    /// All or nothing: if any certificate is unusable, none is added and the error says which
    /// (a PEM problem is [`Error::Config`], an unusable certificate is
    /// [`Error::InvalidCertificate`]). For system bundles that may hold oddities, see
    /// [`RootCertStore::add_parsable`].
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize, Error> {
        let certs = certs_from_pem(pem)?;
        let mut anchors = Vec::with_capacity(certs.len());
        for cert in &certs {
            let anchor = webpki::anchor_from_trusted_cert(cert).map_err(certificate_error_from_webpki)?;
            anchors.push(anchor.to_owned());
        }
        let added = anchors.len();
        self.roots.extend(anchors);
        self.certificates.extend(certs.into_iter().map(Some));
        Ok(added)
    }

    /// Trusts each certificate in `certs` that webpki can use and skips the rest, returning
    /// `(added, skipped)`. Meant for operating-system bundles, where one unparsable entry should
    /// not cost every other root.
    pub fn add_parsable<'a>(
        &mut self,
        certs: impl IntoIterator<Item = &'a CertificateDer<'a>>,
    ) -> (usize, usize) {
        let (mut added, mut skipped) = (0, 0);
        for cert in certs {
            match self.add(cert) {
                Ok(()) => added += 1,
                Err(_) => skipped += 1,
            }
        }
        (added, skipped)
    }

    /// The trust anchors, in the order they were added.
    pub fn roots(&self) -> &[TrustAnchor<'static>] {
        &self.roots
    }

    /// The DER-encoded subject names (RFC 5280 §4.1.2.6 `Name`) of the trusted roots, in order:
    /// what a server lists in CertificateRequest's certificate_authorities (RFC 5246 §7.4.4).
    pub fn subjects(&self) -> Vec<Vec<u8>> {
        // webpki keeps the Name's contents without its SEQUENCE header; put the header back.
        self.roots.iter().map(|anchor| sequence(anchor.subject.as_ref())).collect()
    }

    /// The certificate `anchor` was taken from, when it was added as a certificate.
    pub fn certificate_for(&self, anchor: &TrustAnchor<'_>) -> Option<&CertificateDer<'static>> {
        self.roots
            .iter()
            .position(|a| {
                a.subject.as_ref() == anchor.subject.as_ref()
                    && a.subject_public_key_info.as_ref() == anchor.subject_public_key_info.as_ref()
            })
            .and_then(|i| self.certificates[i].as_ref())
    }

    /// Whether `der` is, byte for byte, one of the certificates the anchors were made from.
    pub fn contains_certificate(&self, der: &CertificateDer<'_>) -> bool {
        self.certificates.iter().flatten().any(|c| c.as_ref() == der.as_ref())
    }

    /// How many roots are trusted.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether no root is trusted.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}

impl Extend<TrustAnchor<'static>> for RootCertStore {
    fn extend<I: IntoIterator<Item = TrustAnchor<'static>>>(&mut self, anchors: I) {
        for anchor in anchors {
            self.roots.push(anchor);
            self.certificates.push(None);
        }
    }
}

/// `contents` wrapped in a DER SEQUENCE header (X.690 §8.9).
pub(crate) fn sequence(contents: &[u8]) -> Vec<u8> {
    use der::Encode;
    let mut out = Vec::with_capacity(contents.len() + 4);
    let length = der::Length::try_from(contents.len()).expect("a Name shorter than 256 MiB");
    der::Header::new(der::Tag::Sequence, length).encode_to_vec(&mut out).expect("header encodes");
    out.extend_from_slice(contents);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &[u8] = include_bytes!("../../tests/fixtures/ca.pem");
    const CHAIN: &[u8] = include_bytes!("../../tests/fixtures/server-chain.pem");

    #[test]
    fn add_pem_counts_the_roots_it_added() {
        let mut store = RootCertStore::empty();
        assert!(store.is_empty());
        assert_eq!(store.add_pem(CA).unwrap(), 1);
        assert_eq!(store.add_pem(CHAIN).unwrap(), 2);
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn add_pem_without_certificates_is_a_config_error() {
        let mut store = RootCertStore::empty();
        assert!(matches!(store.add_pem(b"nothing here"), Err(Error::Config(_))));
        assert!(store.is_empty());
    }

    #[test]
    fn garbage_der_is_not_a_trust_anchor_and_is_skipped_by_add_parsable() {
        let garbage = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        let mut store = RootCertStore::empty();
        assert_eq!(store.add(&garbage), Err(CertificateError::BadEncoding));
        let good = certs_from_pem(CA).unwrap();
        assert_eq!(store.add_parsable([&garbage, &good[0]]), (1, 1));
        assert_eq!(store.len(), 1);
    }
}
