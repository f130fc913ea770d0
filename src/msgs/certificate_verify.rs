//! CertificateVerify (RFC 5246 §7.4.8, RFC 2246 §7.4.8): a `digitally-signed` struct, which
//! names its signature scheme only from TLS 1.2 on (RFC 5246 §4.7).

use super::enums::SignatureScheme;
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// A client's proof that it holds the private key of the certificate it sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateVerify {
    /// The scheme (TLS 1.2); `None` before TLS 1.2, where RSA signs MD5‖SHA-1 without DigestInfo.
    pub scheme: Option<SignatureScheme>,
    /// The signature.
    pub signature: Vec<u8>,
}

impl CertificateVerify {
    /// Reads the form of the negotiated version (`tls12`: with a scheme).
    pub fn read_versioned(r: &mut Reader<'_>, tls12: bool) -> Result<Self, InvalidMessage> {
        let scheme = if tls12 { Some(SignatureScheme::read(r)?) } else { None };
        // RFC 5246 §4.7: `digitally-signed` carries `opaque signature<0..2^16-1>`: an empty one
        // decodes and then fails verification (decrypt_error), as tlsfuzzer expects.
        let signature = ListLength::U16 { max: 0xffff }.read(r, "signature")?.rest().to_vec();
        Ok(Self { scheme, signature })
    }
}

impl Codec<'_> for CertificateVerify {
    fn encode(&self, out: &mut Vec<u8>) {
        if let Some(s) = self.scheme {
            s.encode(out);
        }
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.signature));
    }

    /// Reads the TLS 1.2 form; use [`CertificateVerify::read_versioned`] for older versions.
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Self::read_versioned(r, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_verify_round_trips_in_both_forms() {
        let tls12 =
            CertificateVerify { scheme: Some(SignatureScheme::RsaPkcs1Sha256), signature: vec![1, 2, 3] };
        assert_eq!(CertificateVerify::read_bytes(&tls12.encoding()).unwrap(), tls12);
        let tls10 = CertificateVerify { scheme: None, signature: vec![4; 256] };
        let bytes = tls10.encoding();
        let mut r = Reader::new(&bytes);
        assert_eq!(CertificateVerify::read_versioned(&mut r, false).unwrap(), tls10);
        assert!(r.is_empty());
        // An empty signature decodes (`opaque<0..2^16-1>`); verification refuses it.
        let empty = CertificateVerify::read_bytes(&[4, 1, 0, 0]).unwrap();
        assert!(empty.signature.is_empty());
        assert!(CertificateVerify::read_bytes(&[4, 1, 0, 1]).is_err());
    }
}
