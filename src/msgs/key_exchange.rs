//! Key exchange messages: ClientKeyExchange for RSA key exchange (RFC 5246 §7.4.7.1), and
//! ServerKeyExchange / ClientKeyExchange for ECDHE (RFC 8422 §5.4, §5.7).

use super::enums::{NamedGroup, SignatureScheme};
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// `ECCurveType named_curve(3)` (RFC 8422 §5.4); explicit curves are deprecated and refused.
const NAMED_CURVE: u8 = 3;

/// `ServerECDHParams` (RFC 8422 §5.4): the group and the server's ephemeral public value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerEcdhParams {
    /// The named group.
    pub group: NamedGroup,
    /// `ECPoint point<1..2^8-1>`: an uncompressed point or 32 X25519 bytes.
    pub public: Vec<u8>,
}

impl Codec<'_> for ServerEcdhParams {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(NAMED_CURVE);
        self.group.encode(out);
        ListLength::U8 { max: 255 }.encode_with(out, |o| o.extend_from_slice(&self.public));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        if u8::read(r)? != NAMED_CURVE {
            return Err(InvalidMessage::InvalidValue("ECCurveType other than named_curve"));
        }
        let group = NamedGroup::read(r)?;
        let public = ListLength::U8 { max: 255 }.read(r, "ECPoint")?.rest().to_vec();
        if public.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty ECPoint"));
        }
        Ok(Self { group, public })
    }
}

/// ServerKeyExchange for ECDHE (RFC 8422 §5.4): the parameters and a `digitally-signed`
/// signature over `client_random ‖ server_random ‖ params`, naming its scheme from TLS 1.2 on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerKeyExchangeEcdhe {
    /// The group and public value.
    pub params: ServerEcdhParams,
    /// The scheme (TLS 1.2); `None` in TLS 1.0/1.1.
    pub scheme: Option<SignatureScheme>,
    /// The signature.
    pub signature: Vec<u8>,
}

impl ServerKeyExchangeEcdhe {
    /// Reads the form of the negotiated version (`tls12`: the signature names its scheme);
    /// the whole body must be consumed.
    pub fn read_versioned(bytes: &[u8], tls12: bool) -> Result<Self, InvalidMessage> {
        let mut r = Reader::new(bytes);
        let params = ServerEcdhParams::read(&mut r)?;
        let scheme = if tls12 { Some(SignatureScheme::read(&mut r)?) } else { None };
        let signature = ListLength::U16 { max: 0xffff }.read(&mut r, "signature")?.rest().to_vec();
        r.expect_empty("ServerKeyExchange")?;
        Ok(Self { params, scheme, signature })
    }

    /// What the server signs (RFC 8422 §5.4): `client_random ‖ server_random ‖ ServerECDHParams`.
    pub fn signed_message(client_random: &[u8], server_random: &[u8], params: &ServerEcdhParams) -> Vec<u8> {
        let mut m = Vec::with_capacity(64 + 4 + params.public.len());
        m.extend_from_slice(client_random);
        m.extend_from_slice(server_random);
        params.encode(&mut m);
        m
    }
}

impl Codec<'_> for ServerKeyExchangeEcdhe {
    fn encode(&self, out: &mut Vec<u8>) {
        self.params.encode(out);
        if let Some(s) = self.scheme {
            s.encode(out);
        }
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.signature));
    }
    /// Reads the TLS 1.2 form.
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let bytes = r.take(r.remaining(), "ServerKeyExchange")?;
        Self::read_versioned(bytes, true)
    }
}

/// ClientKeyExchange for ECDHE (RFC 8422 §5.7): `ECPoint ecdh_Yc<1..2^8-1>`, always explicit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKeyExchangeEcdh {
    /// The client's ephemeral public value.
    pub public: Vec<u8>,
}

impl Codec<'_> for ClientKeyExchangeEcdh {
    fn encode(&self, out: &mut Vec<u8>) {
        ListLength::U8 { max: 255 }.encode_with(out, |o| o.extend_from_slice(&self.public));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let public = ListLength::U8 { max: 255 }.read(r, "ecdh_Yc")?.rest().to_vec();
        if public.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty ecdh_Yc"));
        }
        Ok(Self { public })
    }
}

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

    #[test]
    fn ecdhe_messages_round_trip_in_both_forms_and_refuse_malformed_bodies() {
        let params = ServerEcdhParams { group: NamedGroup::X25519, public: vec![9; 32] };
        let skx = ServerKeyExchangeEcdhe {
            params: params.clone(),
            scheme: Some(SignatureScheme::RsaPssRsaeSha256),
            signature: vec![1; 256],
        };
        let bytes = skx.encoding();
        assert_eq!(&bytes[..4], &[3, 0, 29, 32]);
        assert_eq!(ServerKeyExchangeEcdhe::read_bytes(&bytes).unwrap(), skx);
        let legacy = ServerKeyExchangeEcdhe { params, scheme: None, signature: vec![2; 128] };
        assert_eq!(ServerKeyExchangeEcdhe::read_versioned(&legacy.encoding(), false).unwrap(), legacy);
        // Trailing bytes, explicit curves and empty points are decode errors.
        let mut long = bytes.clone();
        long.push(0);
        assert!(ServerKeyExchangeEcdhe::read_versioned(&long, true).is_err());
        let mut explicit = bytes.clone();
        explicit[0] = 1;
        assert!(ServerKeyExchangeEcdhe::read_versioned(&explicit, true).is_err());
        assert!(ServerKeyExchangeEcdhe::read_versioned(&[3, 0, 29, 0, 4, 1, 0, 0], true).is_err());
        assert!(ServerKeyExchangeEcdhe::read_versioned(&bytes[..bytes.len() - 1], true).is_err());

        let cke = ClientKeyExchangeEcdh { public: vec![4; 65] };
        assert_eq!(ClientKeyExchangeEcdh::read_bytes(&cke.encoding()).unwrap(), cke);
        assert!(ClientKeyExchangeEcdh::read_bytes(&[0]).is_err());
        assert!(ClientKeyExchangeEcdh::read_bytes(&[2, 1]).is_err());
    }
}
