//! ClientKeyExchange for RSA key exchange (RFC 5246 §7.4.7.1).

use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// `EncryptedPreMasterSecret`: from TLS 1.0 on it carries a two-byte length prefix (RFC 2246
/// §7.4.7.1 — unlike SSL 3.0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKeyExchangeRsa {
    /// The PKCS#1 v1.5 ciphertext.
    pub encrypted_premaster: Vec<u8>,
}

impl Codec<'_> for ClientKeyExchangeRsa {
    fn encode(&self, out: &mut Vec<u8>) {
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.encrypted_premaster));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let body = ListLength::U16 { max: 0xffff }.read(r, "EncryptedPreMasterSecret")?.rest();
        if body.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty EncryptedPreMasterSecret"));
        }
        Ok(Self { encrypted_premaster: body.to_vec() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_key_exchange_round_trips_and_length_must_match() {
        let m = ClientKeyExchangeRsa { encrypted_premaster: vec![7; 256] };
        assert_eq!(ClientKeyExchangeRsa::read_bytes(&m.encoding()).unwrap(), m);
        assert!(ClientKeyExchangeRsa::read_bytes(&[1, 0, 7]).is_err());
    }
}
