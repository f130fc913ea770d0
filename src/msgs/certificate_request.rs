//! CertificateRequest (RFC 5246 §7.4.4; RFC 2246 §7.4.4 without signature algorithms).

use super::enums::SignatureScheme;
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// A server's request for a client certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequest {
    /// ClientCertificateType values (rsa_sign(1), ...).
    pub certificate_types: Vec<u8>,
    /// TLS 1.2 only: acceptable signature schemes; `None` before TLS 1.2.
    pub signature_schemes: Option<Vec<SignatureScheme>>,
    /// DER DistinguishedNames of acceptable CAs.
    pub certificate_authorities: Vec<Vec<u8>>,
}

impl CertificateRequest {
    /// Encodes in the form of the negotiated version (`tls12` adds signature schemes).
    fn encode_body(&self, out: &mut Vec<u8>) {
        ListLength::U8 { max: 0xff }.encode_with(out, |o| o.extend_from_slice(&self.certificate_types));
        if let Some(schemes) = &self.signature_schemes {
            ListLength::U16 { max: 0xfffe }.encode_with(out, |o| {
                for s in schemes {
                    s.encode(o);
                }
            });
        }
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| {
            for dn in &self.certificate_authorities {
                ListLength::U16 { max: 0xffff }.encode_with(o, |o| o.extend_from_slice(dn));
            }
        });
    }

    /// Reads a CertificateRequest; `tls12` says whether the signature schemes field is present.
    pub fn read_versioned(r: &mut Reader<'_>, tls12: bool) -> Result<Self, InvalidMessage> {
        let certificate_types = ListLength::U8 { max: 0xff }.read(r, "certificate_types")?.rest().to_vec();
        let signature_schemes = if tls12 {
            let mut list = ListLength::U16 { max: 0xfffe }.read(r, "supported_signature_algorithms")?;
            // RFC 5246 §7.4.4: `supported_signature_algorithms<2..2^16-2>`.
            if list.is_empty() {
                return Err(InvalidMessage::InvalidValue("empty supported_signature_algorithms"));
            }
            let mut v = Vec::new();
            while !list.is_empty() {
                v.push(SignatureScheme::read(&mut list)?);
            }
            Some(v)
        } else {
            None
        };
        let mut cas = ListLength::U16 { max: 0xffff }.read(r, "certificate_authorities")?;
        let mut certificate_authorities = Vec::new();
        while !cas.is_empty() {
            certificate_authorities
                .push(ListLength::U16 { max: 0xffff }.read(&mut cas, "DistinguishedName")?.rest().to_vec());
        }
        Ok(Self { certificate_types, signature_schemes, certificate_authorities })
    }
}

impl Codec<'_> for CertificateRequest {
    fn encode(&self, out: &mut Vec<u8>) {
        self.encode_body(out)
    }
    /// Reads the TLS 1.2 form; use [`CertificateRequest::read_versioned`] for older versions.
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Self::read_versioned(r, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_request_round_trips_in_both_forms() {
        let tls12 = CertificateRequest {
            certificate_types: vec![1],
            signature_schemes: Some(vec![SignatureScheme::RsaPkcs1Sha256]),
            certificate_authorities: vec![vec![0x30, 0]],
        };
        assert_eq!(CertificateRequest::read_bytes(&tls12.encoding()).unwrap(), tls12);
        let tls10 = CertificateRequest { signature_schemes: None, ..tls12 };
        let bytes = tls10.encoding();
        let mut r = Reader::new(&bytes);
        assert_eq!(CertificateRequest::read_versioned(&mut r, false).unwrap(), tls10);
        assert!(r.is_empty());
    }
}
