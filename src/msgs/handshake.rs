//! The handshake message framing (RFC 5246 §7.4): `HandshakeType msg_type; uint24 length; body`.

use super::certificate::Certificate;
use super::certificate_request::CertificateRequest;
use super::client_hello::ClientHello;
use super::enums::HandshakeType;
use super::finished::Finished;
use super::new_session_ticket::NewSessionTicket;
use super::server_hello::ServerHello;
use super::tls13::Tls13Message;
use crate::codec::{Codec, InvalidMessage, ListLength, Reader, U24};

/// Every handshake message ferrotls reads or writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakePayload {
    /// HelloRequest: empty.
    HelloRequest,
    /// ClientHello.
    ClientHello(ClientHello),
    /// ServerHello.
    ServerHello(ServerHello),
    /// NewSessionTicket (RFC 5077 §3.3).
    NewSessionTicket(NewSessionTicket),
    /// Certificate.
    Certificate(Certificate),
    /// ServerKeyExchange: never sent with RSA key exchange; kept as bytes so that a server
    /// sending one gets a clear error.
    ServerKeyExchange(Vec<u8>),
    /// CertificateRequest.
    CertificateRequest(CertificateRequest),
    /// ServerHelloDone: empty.
    ServerHelloDone,
    /// CertificateVerify, as bytes (its form depends on the version; parsed by the handshake).
    CertificateVerify(Vec<u8>),
    /// ClientKeyExchange, as bytes (its form depends on the key exchange).
    ClientKeyExchange(Vec<u8>),
    /// Finished.
    Finished(Finished),
    /// A TLS 1.3 message (read only when TLS 1.3 is in use: `read_tls13`).
    Tls13(Tls13Message),
    /// A type ferrotls does not handle.
    Unknown(HandshakeType, Vec<u8>),
}

/// A handshake message and its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandshakeMessage {
    /// The message.
    pub payload: HandshakePayload,
}

impl HandshakeMessage {
    /// The message type.
    pub fn typ(&self) -> HandshakeType {
        use HandshakePayload as P;
        match &self.payload {
            P::HelloRequest => HandshakeType::HelloRequest,
            P::ClientHello(_) => HandshakeType::ClientHello,
            P::ServerHello(_) => HandshakeType::ServerHello,
            P::NewSessionTicket(_) => HandshakeType::NewSessionTicket,
            P::Certificate(_) => HandshakeType::Certificate,
            P::ServerKeyExchange(_) => HandshakeType::ServerKeyExchange,
            P::CertificateRequest(_) => HandshakeType::CertificateRequest,
            P::ServerHelloDone => HandshakeType::ServerHelloDone,
            P::CertificateVerify(_) => HandshakeType::CertificateVerify,
            P::ClientKeyExchange(_) => HandshakeType::ClientKeyExchange,
            P::Finished(_) => HandshakeType::Finished,
            P::Tls13(m) => m.typ(),
            P::Unknown(t, _) => *t,
        }
    }

    /// Reads one whole message of a TLS 1.3 handshake: ClientHello and ServerHello as in
    /// TLS 1.2, the rest in their TLS 1.3 forms (RFC 8446 §4); other types are `Unknown`.
    pub fn read_tls13(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let typ = HandshakeType::read(r)?;
        let len = U24::read(r)?.0 as usize;
        let body_bytes = r.take(len, "handshake body")?;
        let mut body = Reader::new(body_bytes);
        let payload = match Tls13Message::read_body(typ, &mut body) {
            Some(m) => HandshakePayload::Tls13(m?),
            None => match typ {
                HandshakeType::ClientHello | HandshakeType::ServerHello => {
                    let mut whole = Vec::with_capacity(4 + len);
                    typ.encode(&mut whole);
                    U24(len as u32).encode(&mut whole);
                    whole.extend_from_slice(body_bytes);
                    return Self::read_versioned(&mut Reader::new(&whole), true);
                }
                other => {
                    let _ = body.take(body.remaining(), "body");
                    HandshakePayload::Unknown(other, body_bytes.to_vec())
                }
            },
        };
        body.expect_empty("handshake message body")?;
        Ok(Self { payload })
    }

    /// Reads one whole message (header and body). `tls12` selects the TLS 1.2 form of
    /// version-dependent messages (CertificateRequest).
    pub fn read_versioned(r: &mut Reader<'_>, tls12: bool) -> Result<Self, InvalidMessage> {
        use HandshakePayload as P;
        let typ = HandshakeType::read(r)?;
        let len = U24::read(r)?.0 as usize;
        let mut body = Reader::new(r.take(len, "handshake body")?);
        let payload = match typ {
            HandshakeType::HelloRequest => P::HelloRequest,
            HandshakeType::ClientHello => P::ClientHello(ClientHello::read(&mut body)?),
            HandshakeType::ServerHello => P::ServerHello(ServerHello::read(&mut body)?),
            HandshakeType::NewSessionTicket => P::NewSessionTicket(NewSessionTicket::read(&mut body)?),
            HandshakeType::Certificate => P::Certificate(Certificate::read(&mut body)?),
            HandshakeType::ServerKeyExchange => P::ServerKeyExchange(body.clone().rest().to_vec()),
            HandshakeType::CertificateRequest => {
                P::CertificateRequest(CertificateRequest::read_versioned(&mut body, tls12)?)
            }
            HandshakeType::ServerHelloDone => P::ServerHelloDone,
            HandshakeType::CertificateVerify => P::CertificateVerify(body.clone().rest().to_vec()),
            HandshakeType::ClientKeyExchange => P::ClientKeyExchange(body.clone().rest().to_vec()),
            HandshakeType::Finished => P::Finished(Finished::read(&mut body)?),
            other => P::Unknown(other, body.clone().rest().to_vec()),
        };
        if matches!(
            payload,
            P::ServerKeyExchange(_) | P::CertificateVerify(_) | P::ClientKeyExchange(_) | P::Unknown(..)
        ) {
            let _ = body.take(body.remaining(), "body");
        }
        body.expect_empty("handshake message body")?;
        Ok(Self { payload })
    }
}

impl Codec<'_> for HandshakeMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        use HandshakePayload as P;
        self.typ().encode(out);
        ListLength::U24 { max: 0xff_ffff }.encode_with(out, |o| match &self.payload {
            P::HelloRequest | P::ServerHelloDone => {}
            P::ClientHello(m) => m.encode(o),
            P::ServerHello(m) => m.encode(o),
            P::NewSessionTicket(m) => m.encode(o),
            P::Certificate(m) => m.encode(o),
            P::CertificateRequest(m) => m.encode(o),
            P::Finished(m) => m.encode(o),
            P::Tls13(m) => m.encode_body(o),
            P::ServerKeyExchange(b)
            | P::CertificateVerify(b)
            | P::ClientKeyExchange(b)
            | P::Unknown(_, b) => o.extend_from_slice(b),
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Self::read_versioned(r, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msgs::enums::{ExtensionType, ProtocolVersion};
    use crate::msgs::extensions::{ClientExtension, ServerExtension};
    use crate::msgs::SessionId;

    fn round_trip(payload: HandshakePayload) {
        let m = HandshakeMessage { payload };
        let bytes = m.encoding();
        assert_eq!(HandshakeMessage::read_bytes(&bytes).unwrap(), m, "{:?}", m.typ());
        // Every prefix is incomplete, never a different message.
        for cut in 0..bytes.len() {
            assert!(HandshakeMessage::read_bytes(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn every_handshake_message_round_trips() {
        round_trip(HandshakePayload::HelloRequest);
        round_trip(HandshakePayload::ClientHello(ClientHello {
            client_version: ProtocolVersion::TLSv1_2,
            random: [7; 32],
            session_id: SessionId::new(&[1, 2, 3]).unwrap(),
            cipher_suites: vec![0x002f.into(), 0x00ff.into()],
            compression_methods: vec![0],
            extensions: vec![
                ClientExtension::ExtendedMasterSecret,
                ClientExtension::ServerName("a.example".into()),
            ],
        }));
        round_trip(HandshakePayload::ServerHello(ServerHello {
            server_version: ProtocolVersion::TLSv1_0,
            random: [9; 32],
            session_id: SessionId::EMPTY,
            cipher_suite: crate::enums::CipherSuite::from(0x000a),
            compression_method: 0,
            extensions: vec![ServerExtension::RenegotiationInfo(vec![])],
        }));
        round_trip(HandshakePayload::Certificate(Certificate(vec![vec![0x30, 0].into()])));
        round_trip(HandshakePayload::ServerHelloDone);
        round_trip(HandshakePayload::NewSessionTicket(NewSessionTicket {
            lifetime_hint: 300,
            ticket: vec![5; 40],
        }));
        round_trip(HandshakePayload::ClientKeyExchange(vec![0, 2, 1, 1]));
        round_trip(HandshakePayload::Finished(Finished { verify_data: [3; 12] }));
        round_trip(HandshakePayload::Unknown(HandshakeType::Unknown(99), vec![1]));
    }

    #[test]
    fn a_server_hello_without_extensions_has_no_extensions_block() {
        let sh = ServerHello {
            server_version: ProtocolVersion::TLSv1_2,
            random: [0; 32],
            session_id: SessionId::EMPTY,
            cipher_suite: crate::enums::CipherSuite::from(0x002f),
            compression_method: 0,
            extensions: vec![],
        };
        assert_eq!(sh.encoding().len(), 2 + 32 + 1 + 2 + 1);
        assert!(sh.extension(ExtensionType::RenegotiationInfo).is_none());
    }

    #[test]
    fn a_finished_with_trailing_bytes_is_rejected() {
        assert!(HandshakeMessage::read_bytes(&[20, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
