//! ClientHello (RFC 5246 §7.4.1.2).

use super::enums::{CipherSuite, ExtensionType, ProtocolVersion};
use super::extensions::{encode_extensions, read_extensions, ClientExtension};
use super::{Random, SessionId};
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// A ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHello {
    /// The highest version the client supports.
    pub client_version: ProtocolVersion,
    /// 32 random bytes.
    pub random: Random,
    /// Session to resume (empty: none).
    pub session_id: SessionId,
    /// Offered suites, most preferred first, including signalling values (SCSVs).
    pub cipher_suites: Vec<CipherSuite>,
    /// Offered compression methods; must include null (0).
    pub compression_methods: Vec<u8>,
    /// Extensions, in the order sent.
    pub extensions: Vec<ClientExtension>,
}

impl ClientHello {
    /// The extension of type `t`, if present.
    pub fn extension(&self, t: ExtensionType) -> Option<&ClientExtension> {
        self.extensions.iter().find(|e| e.ext_type() == t)
    }
}

impl Codec<'_> for ClientHello {
    fn encode(&self, out: &mut Vec<u8>) {
        self.client_version.encode(out);
        out.extend_from_slice(&self.random);
        self.session_id.encode(out);
        ListLength::U16 { max: 0xfffe }.encode_with(out, |o| {
            for s in &self.cipher_suites {
                s.encode(o);
            }
        });
        ListLength::U8 { max: 0xff }.encode_with(out, |o| o.extend_from_slice(&self.compression_methods));
        encode_extensions(&self.extensions, out);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let client_version = ProtocolVersion::read(r)?;
        let random: Random =
            r.take(32, "random")?.try_into().map_err(|_| InvalidMessage::MissingData("random"))?;
        let session_id = SessionId::read(r)?;
        let mut suites = ListLength::U16 { max: 0xfffe }.read(r, "cipher_suites")?;
        if suites.remaining() % 2 != 0 || suites.is_empty() {
            return Err(InvalidMessage::InvalidValue("cipher_suites"));
        }
        let mut cipher_suites = Vec::with_capacity(suites.remaining() / 2);
        while !suites.is_empty() {
            cipher_suites.push(CipherSuite::read(&mut suites)?);
        }
        let compression_methods =
            ListLength::U8 { max: 0xff }.read(r, "compression_methods")?.rest().to_vec();
        if compression_methods.is_empty() {
            return Err(InvalidMessage::InvalidValue("compression_methods"));
        }
        let extensions = read_extensions(r, ClientExtension::ext_type)?;
        Ok(Self { client_version, random, session_id, cipher_suites, compression_methods, extensions })
    }
}
