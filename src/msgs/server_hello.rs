//! ServerHello (RFC 5246 §7.4.1.3).

use super::enums::{CipherSuite, ExtensionType, ProtocolVersion};
use super::extensions::{encode_extensions, read_extensions, ServerExtension};
use super::{Random, SessionId};
use crate::codec::{Codec, InvalidMessage, Reader};

/// A ServerHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerHello {
    /// The version the server chose.
    pub server_version: ProtocolVersion,
    /// 32 random bytes.
    pub random: Random,
    /// The session's id (empty: not resumable).
    pub session_id: SessionId,
    /// The suite the server chose.
    pub cipher_suite: CipherSuite,
    /// The compression method the server chose (always null here).
    pub compression_method: u8,
    /// Extensions answering the client's.
    pub extensions: Vec<ServerExtension>,
}

impl ServerHello {
    /// The extension of type `t`, if present.
    pub fn extension(&self, t: ExtensionType) -> Option<&ServerExtension> {
        self.extensions.iter().find(|e| e.ext_type() == t)
    }
}

impl Codec<'_> for ServerHello {
    fn encode(&self, out: &mut Vec<u8>) {
        self.server_version.encode(out);
        out.extend_from_slice(&self.random);
        self.session_id.encode(out);
        self.cipher_suite.encode(out);
        self.compression_method.encode(out);
        encode_extensions(&self.extensions, out);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Ok(Self {
            server_version: ProtocolVersion::read(r)?,
            random: r.take(32, "random")?.try_into().map_err(|_| InvalidMessage::MissingData("random"))?,
            session_id: SessionId::read(r)?,
            cipher_suite: CipherSuite::read(r)?,
            compression_method: u8::read(r)?,
            extensions: read_extensions(r, ServerExtension::ext_type)?,
        })
    }
}
