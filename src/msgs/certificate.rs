//! Certificate (RFC 5246 §7.4.2, §7.4.6).

use crate::codec::{Codec, InvalidMessage, ListLength, Reader};
use rustls_pki_types::CertificateDer;

/// Largest certificate list we accept (2^24-1 is the wire limit; real chains are far smaller,
/// and the handshake joiner bounds the whole message anyway).
const MAX_CERTIFICATE_LIST: usize = 0xff_ffff;

/// A certificate chain, leaf first. An empty list is a client declining to authenticate.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Certificate(pub Vec<CertificateDer<'static>>);

impl Codec<'_> for Certificate {
    fn encode(&self, out: &mut Vec<u8>) {
        ListLength::U24 { max: MAX_CERTIFICATE_LIST }.encode_with(out, |o| {
            for c in &self.0 {
                ListLength::U24 { max: MAX_CERTIFICATE_LIST }
                    .encode_with(o, |o| o.extend_from_slice(c.as_ref()));
            }
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let mut list = ListLength::U24 { max: MAX_CERTIFICATE_LIST }.read(r, "certificate_list")?;
        let mut certs = Vec::new();
        while !list.is_empty() {
            let der = ListLength::U24 { max: MAX_CERTIFICATE_LIST }.read(&mut list, "ASN.1Cert")?.rest();
            if der.is_empty() {
                return Err(InvalidMessage::InvalidValue("empty ASN.1Cert"));
            }
            certs.push(CertificateDer::from(der.to_vec()));
        }
        Ok(Self(certs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_list_round_trips_and_empty_entries_are_rejected() {
        let c = Certificate(vec![CertificateDer::from(vec![0x30, 1, 2]), CertificateDer::from(vec![0x30])]);
        assert_eq!(Certificate::read_bytes(&c.encoding()).unwrap(), c);
        assert_eq!(Certificate::read_bytes(&[0, 0, 0]).unwrap(), Certificate::default());
        assert!(Certificate::read_bytes(&[0, 0, 3, 0, 0, 0]).is_err());
        assert!(Certificate::read_bytes(&[0, 0, 4, 0, 0, 1]).is_err());
    }
}
