//! Which certificate of a chain failed, and the RFC 6125 CN fallback of the legacy profile.
//!
//! webpki answers "is there a valid path?" and, when there is none, with its best-ranked error,
//! but not with *where* the error is. A person fixing a deployment needs the depth (0 = leaf), as
//! OpenSSL's `error 10 at 1 depth lookup` gives it, so after webpki has failed we look at the
//! presented certificates ourselves: each check here mirrors one webpki check and only locates
//! a failure webpki already reported; none of it ever accepts a chain.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use webpki::CertRevocationList;
use x509_cert::ext::pkix::constraints::BasicConstraints;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::Certificate;

/// The fields of one presented certificate that the checks below need.
pub(crate) struct ParsedCertificate {
    /// Name contents (no SEQUENCE header), comparable with webpki's trust anchor subjects.
    subject: Vec<u8>,
    issuer: Vec<u8>,
    serial: Vec<u8>,
    not_before: u64,
    not_after: u64,
    /// `None`: no basicConstraints extension (RFC 5280 §4.2.1.9: then not a CA).
    basic_constraints: Option<(bool, Option<u8>)>,
    /// `None`: no extendedKeyUsage extension (any purpose, RFC 5280 §4.2.1.12).
    extended_key_usage: Option<Vec<ObjectIdentifier>>,
    tbs: Vec<u8>,
    /// AlgorithmIdentifier contents (no SEQUENCE header), as pki-types compares them.
    signature_algorithm: Vec<u8>,
    signature: Vec<u8>,
    /// The full DER SubjectPublicKeyInfo.
    spki: Vec<u8>,
}

impl ParsedCertificate {
    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        let cert = Certificate::from_der(der).ok()?;
        let tbs = cert.tbs_certificate();
        // The signed bytes exactly as sent: the first element of the outer SEQUENCE.
        let tbs_der = SliceReader::new(der)
            .ok()?
            .sequence(|body| {
                let tbs = body.tlv_bytes()?.to_vec();
                while !body.is_finished() {
                    body.tlv_bytes()?;
                }
                Ok::<_, der::Error>(tbs)
            })
            .ok()?;
        let basic_constraints =
            tbs.get_extension::<BasicConstraints>().ok()?.map(|(_, bc)| (bc.ca, bc.path_len_constraint));
        let extended_key_usage = tbs.get_extension::<ExtendedKeyUsage>().ok()?.map(|(_, eku)| eku.0);
        let validity = tbs.validity();
        Some(Self {
            subject: contents(&tbs.subject().to_der().ok()?)?,
            issuer: contents(&tbs.issuer().to_der().ok()?)?,
            serial: tbs.serial_number().as_bytes().to_vec(),
            not_before: validity.not_before.to_unix_duration().as_secs(),
            not_after: validity.not_after.to_unix_duration().as_secs(),
            basic_constraints,
            extended_key_usage,
            tbs: tbs_der,
            signature_algorithm: contents(&cert.signature_algorithm().to_der().ok()?)?,
            signature: cert.signature().as_bytes()?.to_vec(),
            spki: tbs.subject_public_key_info().to_der().ok()?,
        })
    }

    fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }
}

/// The presented certificates put in issuing order, leaf first (depth 0), each followed by the
/// intermediate whose subject is its issuer, plus the trust anchor that issued the last one.
pub(crate) struct PresentedChain<'a> {
    pub(crate) certificates: Vec<(CertificateDer<'a>, Option<ParsedCertificate>)>,
    pub(crate) anchor: Option<&'a TrustAnchor<'static>>,
}

impl<'a> PresentedChain<'a> {
    /// Orders `end_entity` and `intermediates` as path building would, choosing the first
    /// matching intermediate at each step (OpenSSL reports depths along the same kind of chain).
    pub(crate) fn build(
        end_entity: &'a CertificateDer<'a>,
        intermediates: &'a [CertificateDer<'a>],
        anchors: &'a [TrustAnchor<'static>],
    ) -> Self {
        let mut certificates = vec![(end_entity.clone(), ParsedCertificate::parse(end_entity))];
        let mut parsed: Vec<_> =
            intermediates.iter().map(|c| Some((c, ParsedCertificate::parse(c)))).collect();
        let mut anchor = None;
        // Bounded by the number of intermediates: each is used at most once.
        while let Some(issuer) = certificates.last().and_then(|(_, p)| p.as_ref()).map(|p| p.issuer.clone()) {
            if certificates.last().and_then(|(_, p)| p.as_ref()).is_some_and(ParsedCertificate::self_issued) {
                anchor = anchors.iter().find(|a| a.subject.as_ref() == issuer.as_slice());
                break;
            }
            if let Some(a) = anchors.iter().find(|a| a.subject.as_ref() == issuer.as_slice()) {
                anchor = Some(a);
                break;
            }
            let next =
                parsed.iter_mut().find(|slot| matches!(slot, Some((_, Some(p))) if p.subject == issuer));
            match next.and_then(Option::take) {
                Some((der, p)) => certificates.push((der.clone(), p)),
                None => break,
            }
        }
        Self { certificates, anchor }
    }

    fn parsed(&self) -> impl Iterator<Item = (usize, &ParsedCertificate)> {
        self.certificates.iter().enumerate().filter_map(|(depth, (_, p))| p.as_ref().map(|p| (depth, p)))
    }

    /// The public key that should have signed the certificate at `depth`.
    fn issuer_spki(&self, depth: usize) -> Option<Vec<u8>> {
        match self.certificates.get(depth + 1) {
            Some((_, parsed)) => parsed.as_ref().map(|p| p.spki.clone()),
            None => self.anchor.map(|a| webpki::spki_for_anchor(a).as_ref().to_vec()),
        }
    }

    /// Whether the leaf is self-signed: its issuer is its subject and its own key verifies its
    /// signature. Only a chain of one certificate qualifies.
    pub(crate) fn leaf_is_self_signed(&self, algorithms: &[&dyn SignatureVerificationAlgorithm]) -> bool {
        let [(_, Some(leaf))] = self.certificates.as_slice() else {
            return false;
        };
        leaf.self_issued() && signature_verifies(leaf, &leaf.spki, algorithms) == Some(true)
    }

    /// The depth of the certificate that caused `error` (webpki's own error, which says more
    /// than the `CertificateError` it maps to).
    pub(crate) fn depth_of(
        &self,
        error: &webpki::Error,
        now: UnixTime,
        algorithms: &[&dyn SignatureVerificationAlgorithm],
        crls: &[CertRevocationList<'static>],
        purpose: &ObjectIdentifier,
    ) -> usize {
        use webpki::Error as E;
        let now = now.as_secs();
        let first = |f: &dyn Fn(usize, &ParsedCertificate) -> bool| {
            self.parsed().find(|(depth, p)| f(*depth, p)).map(|(depth, _)| depth)
        };
        #[allow(deprecated)]
        let found = match error {
            E::CertExpired { .. } => first(&|_, p| now > p.not_after),
            E::CertNotValidYet { .. } => first(&|_, p| now < p.not_before),
            // The last certificate we could place is the one whose issuer is missing.
            E::UnknownIssuer => Some(self.certificates.len() - 1),
            E::InvalidSignatureForPublicKey | E::SignatureAlgorithmMismatch => first(&|depth, p| {
                self.issuer_spki(depth)
                    .is_some_and(|spki| signature_verifies(p, &spki, algorithms) == Some(false))
            }),
            E::UnsupportedSignatureAlgorithm
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => first(&|_, p| {
                !algorithms
                    .iter()
                    .any(|alg| alg.signature_alg_id().as_ref() == p.signature_algorithm.as_slice())
            }),
            E::EndEntityUsedAsCa => first(&|depth, p| depth > 0 && !p.is_ca()),
            // RFC 5280 §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates
            // below the CA; at depth d there are d - 1 of them.
            E::PathLenConstraintViolated => first(&|depth, p| {
                depth > 1
                    && matches!(p.basic_constraints, Some((true, Some(len))) if usize::from(len) < depth - 1)
            }),
            E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => {
                first(&|_, p| p.extended_key_usage.as_ref().is_some_and(|ekus| !ekus.contains(purpose)))
            }
            E::CertRevoked => first(&|_, p| {
                crls.iter().any(|crl| {
                    crl.issuer() == p.issuer.as_slice() && matches!(crl.find_serial(&p.serial), Ok(Some(_)))
                })
            }),
            E::MaximumPathDepthExceeded => Some(self.certificates.len()),
            _ => None,
        };
        found.unwrap_or(0)
    }
}

/// Whether `cert`'s signature verifies under the SubjectPublicKeyInfo `issuer_spki`; `None` when
/// none of `algorithms` handles this signature and key type.
fn signature_verifies(
    cert: &ParsedCertificate,
    issuer_spki: &[u8],
    algorithms: &[&dyn SignatureVerificationAlgorithm],
) -> Option<bool> {
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(issuer_spki).ok()?;
    let key_algorithm = contents(&spki.algorithm.to_der().ok()?)?;
    let public_key = spki.subject_public_key.as_bytes()?;
    let algorithm = algorithms.iter().find(|alg| {
        alg.signature_alg_id().as_ref() == cert.signature_algorithm.as_slice()
            && alg.public_key_alg_id().as_ref() == key_algorithm.as_slice()
    })?;
    Some(algorithm.verify_signature(public_key, &cert.tbs, &cert.signature).is_ok())
}

/// The contents of a DER TLV, without its tag and length.
fn contents(tlv: &[u8]) -> Option<Vec<u8>> {
    let mut reader = SliceReader::new(tlv).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    let len = usize::try_from(header.length()).ok()?;
    reader.read_slice(der::Length::try_from(len).ok()?).ok().map(<[u8]>::to_vec)
}

/// The legacy profile's host-name check against the subject CN, for certificates without any
/// subjectAltName dNSName (RFC 6125 §6.4.4 allowed it; RFC 9525 §6.3 removed it, hence legacy
/// only). Case-insensitive (RFC 4343); a wildcard only as the whole left-most label, matching
/// exactly one label, and never directly above a public suffix-like single label (`*.com`).
pub(crate) fn common_name_matches(common_name: &str, host: &str) -> bool {
    let cn = common_name.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if cn.is_empty() || host.is_empty() {
        return false;
    }
    match cn.strip_prefix("*.") {
        Some(parent) => {
            if !parent.contains('.') || parent.contains('*') {
                return false;
            }
            match host.split_once('.') {
                Some((label, rest)) => !label.is_empty() && rest == parent,
                None => false,
            }
        }
        None => !cn.contains('*') && cn == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_name_matching_ignores_case_and_a_trailing_dot() {
        assert!(common_name_matches("Legacy.Example.TEST", "legacy.example.test."));
        assert!(!common_name_matches("legacy.example.test", "other.example.test"));
    }

    #[test]
    fn common_name_wildcard_matches_exactly_one_left_most_label() {
        assert!(common_name_matches("*.legacy.test", "www.legacy.test"));
        assert!(!common_name_matches("*.legacy.test", "legacy.test"));
        assert!(!common_name_matches("*.legacy.test", "a.b.legacy.test"));
        assert!(!common_name_matches("w*.legacy.test", "www.legacy.test"));
        assert!(!common_name_matches("*.test", "legacy.test"));
        assert!(!common_name_matches("www.*.test", "www.legacy.test"));
    }

    #[test]
    fn contents_strips_the_tag_and_length() {
        assert_eq!(contents(&[0x30, 0x02, 0x05, 0x00]), Some(vec![0x05, 0x00]));
        assert_eq!(contents(&[0x30, 0x05, 0x05]), None);
    }
}
