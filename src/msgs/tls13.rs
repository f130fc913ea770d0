//! TLS 1.3 messages and extension bodies (RFC 8446 §4). Extensions that only TLS 1.3 uses
//! travel in the hellos' extension lists as `Unknown(type, body)` and are decoded here,
//! strictly: every length is checked and nothing may trail.

use super::enums::{ExtensionType, HandshakeType, NamedGroup, ProtocolVersion, SignatureScheme};
use super::extensions::{encode_extensions, read_extensions, ServerExtension};
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// RFC 8446 §4.1.3: ServerHello.random of a HelloRetryRequest (SHA-256 of
/// "HelloRetryRequest").
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2,
    0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random from a TLS 1.3-capable server that
/// negotiates TLS 1.2 ("DOWNGRD" ‖ 01).
pub const DOWNGRADE_TLS12: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01];
/// ... and TLS 1.1 or below ("DOWNGRD" ‖ 00).
pub const DOWNGRADE_TLS11: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00];

/// psk_key_exchange_modes: `psk_ke(0)`.
pub const PSK_KE: u8 = 0;
/// psk_key_exchange_modes: `psk_dhe_ke(1)`.
pub const PSK_DHE_KE: u8 = 1;

/// The body of an extension `Unknown(t, body)` in `exts`, if present.
pub fn unknown_body<'a, E>(
    exts: &'a [E],
    t: ExtensionType,
    view: impl Fn(&'a E) -> Option<(ExtensionType, &'a [u8])>,
) -> Option<&'a [u8]> {
    exts.iter().filter_map(view).find(|(et, _)| *et == t).map(|(_, b)| b)
}

fn read_all<'a, T>(
    bytes: &'a [u8],
    f: impl FnOnce(&mut Reader<'a>) -> Result<T, InvalidMessage>,
) -> Result<T, InvalidMessage> {
    let mut r = Reader::new(bytes);
    let v = f(&mut r)?;
    r.expect_empty("extension body")?;
    Ok(v)
}

/// ClientHello supported_versions (RFC 8446 §4.2.1): `ProtocolVersion versions<2..254>`.
pub fn read_supported_versions_client(body: &[u8]) -> Result<Vec<ProtocolVersion>, InvalidMessage> {
    read_all(body, |r| {
        let mut list = ListLength::U8 { max: 254 }.read(r, "supported_versions")?;
        if list.is_empty() || list.remaining() % 2 != 0 {
            return Err(InvalidMessage::InvalidValue("supported_versions"));
        }
        let mut out = Vec::new();
        while !list.is_empty() {
            out.push(ProtocolVersion::read(&mut list)?);
        }
        Ok(out)
    })
}

/// Encodes ClientHello supported_versions.
pub fn supported_versions_client(versions: &[ProtocolVersion]) -> Vec<u8> {
    let mut o = Vec::new();
    ListLength::U8 { max: 254 }.encode_with(&mut o, |o| versions.iter().for_each(|v| v.encode(o)));
    o
}

/// ServerHello supported_versions: `ProtocolVersion selected_version`.
pub fn read_supported_versions_server(body: &[u8]) -> Result<ProtocolVersion, InvalidMessage> {
    read_all(body, ProtocolVersion::read)
}

/// `KeyShareEntry` (RFC 8446 §4.2.8): `NamedGroup group; opaque key_exchange<1..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyShareEntry {
    /// The group.
    pub group: NamedGroup,
    /// The public value.
    pub payload: Vec<u8>,
}

impl Codec<'_> for KeyShareEntry {
    fn encode(&self, out: &mut Vec<u8>) {
        self.group.encode(out);
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.payload));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let group = NamedGroup::read(r)?;
        let payload = ListLength::U16 { max: 0xffff }.read(r, "key_exchange")?.rest().to_vec();
        if payload.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty key_exchange"));
        }
        Ok(Self { group, payload })
    }
}

/// ClientHello key_share: `KeyShareEntry client_shares<0..2^16-1>`; one share per group at
/// most (RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
/// group", and servers MAY check: we do, as illegal_parameter upstream).
pub fn read_key_share_client(body: &[u8]) -> Result<Vec<KeyShareEntry>, InvalidMessage> {
    read_all(body, |r| {
        let mut list = ListLength::U16 { max: 0xffff }.read(r, "client_shares")?;
        let mut out: Vec<KeyShareEntry> = Vec::new();
        while !list.is_empty() {
            let e = KeyShareEntry::read(&mut list)?;
            if out.iter().any(|o| o.group == e.group) {
                return Err(InvalidMessage::InvalidValue("two key shares for one group"));
            }
            out.push(e);
        }
        Ok(out)
    })
}

/// Encodes ClientHello key_share.
pub fn key_share_client(shares: &[KeyShareEntry]) -> Vec<u8> {
    let mut o = Vec::new();
    ListLength::U16 { max: 0xffff }.encode_with(&mut o, |o| shares.iter().for_each(|s| s.encode(o)));
    o
}

/// ServerHello key_share: one `KeyShareEntry`.
pub fn read_key_share_server(body: &[u8]) -> Result<KeyShareEntry, InvalidMessage> {
    read_all(body, KeyShareEntry::read)
}

/// HelloRetryRequest key_share: `NamedGroup selected_group`.
pub fn read_key_share_hrr(body: &[u8]) -> Result<NamedGroup, InvalidMessage> {
    read_all(body, NamedGroup::read)
}

/// psk_key_exchange_modes (RFC 8446 §4.2.9): `PskKeyExchangeMode ke_modes<1..255>`.
pub fn read_psk_modes(body: &[u8]) -> Result<Vec<u8>, InvalidMessage> {
    read_all(body, |r| {
        let modes = ListLength::U8 { max: 255 }.read(r, "ke_modes")?.rest().to_vec();
        if modes.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty ke_modes"));
        }
        Ok(modes)
    })
}

/// Encodes psk_key_exchange_modes.
pub fn psk_modes(modes: &[u8]) -> Vec<u8> {
    let mut o = Vec::new();
    ListLength::U8 { max: 255 }.encode_with(&mut o, |o| o.extend_from_slice(modes));
    o
}

/// cookie (RFC 8446 §4.2.2): `opaque cookie<1..2^16-1>`.
pub fn read_cookie(body: &[u8]) -> Result<Vec<u8>, InvalidMessage> {
    read_all(body, |r| {
        let c = ListLength::U16 { max: 0xffff }.read(r, "cookie")?.rest().to_vec();
        if c.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty cookie"));
        }
        Ok(c)
    })
}

/// Encodes a cookie.
pub fn cookie(c: &[u8]) -> Vec<u8> {
    let mut o = Vec::new();
    ListLength::U16 { max: 0xffff }.encode_with(&mut o, |o| o.extend_from_slice(c));
    o
}

/// signature_algorithms / signature_algorithms_cert bodies (RFC 8446 §4.2.3).
pub fn read_signature_schemes(body: &[u8]) -> Result<Vec<SignatureScheme>, InvalidMessage> {
    read_all(body, |r| {
        let mut list = ListLength::U16 { max: 0xfffe }.read(r, "signature_algorithms")?;
        if list.is_empty() || list.remaining() % 2 != 0 {
            return Err(InvalidMessage::InvalidValue("signature_algorithms"));
        }
        let mut out = Vec::new();
        while !list.is_empty() {
            out.push(SignatureScheme::read(&mut list)?);
        }
        Ok(out)
    })
}

/// Encodes a signature scheme list.
pub fn signature_schemes(schemes: &[SignatureScheme]) -> Vec<u8> {
    let mut o = Vec::new();
    ListLength::U16 { max: 0xfffe }.encode_with(&mut o, |o| schemes.iter().for_each(|s| s.encode(o)));
    o
}

/// ClientHello pre_shared_key (RFC 8446 §4.2.11): identities with their obfuscated ages, and
/// one binder per identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedPsks {
    /// `(identity, obfuscated_ticket_age)` pairs.
    pub identities: Vec<(Vec<u8>, u32)>,
    /// `PskBinderEntry binders<33..2^16-1>`, one per identity.
    pub binders: Vec<Vec<u8>>,
}

impl OfferedPsks {
    /// Reads the body; identities and binders must pair up.
    pub fn read_body(body: &[u8]) -> Result<Self, InvalidMessage> {
        read_all(body, |r| {
            let mut ids = ListLength::U16 { max: 0xffff }.read(r, "identities")?;
            let mut identities = Vec::new();
            while !ids.is_empty() {
                let id = ListLength::U16 { max: 0xffff }.read(&mut ids, "identity")?.rest().to_vec();
                if id.is_empty() {
                    return Err(InvalidMessage::InvalidValue("empty PSK identity"));
                }
                let age = ids.take(4, "obfuscated_ticket_age")?;
                identities.push((id, u32::from_be_bytes([age[0], age[1], age[2], age[3]])));
            }
            let mut list = ListLength::U16 { max: 0xffff }.read(r, "binders")?;
            let mut binders = Vec::new();
            while !list.is_empty() {
                let b = ListLength::U8 { max: 255 }.read(&mut list, "binder")?.rest().to_vec();
                if b.len() < 32 {
                    return Err(InvalidMessage::InvalidValue("PSK binder shorter than 32 bytes"));
                }
                binders.push(b);
            }
            if identities.is_empty() || identities.len() != binders.len() {
                return Err(InvalidMessage::InvalidValue("pre_shared_key identities and binders"));
            }
            Ok(Self { identities, binders })
        })
    }

    /// Encodes the body.
    pub fn encoding(&self) -> Vec<u8> {
        let mut o = Vec::new();
        ListLength::U16 { max: 0xffff }.encode_with(&mut o, |o| {
            for (id, age) in &self.identities {
                ListLength::U16 { max: 0xffff }.encode_with(o, |o| o.extend_from_slice(id));
                o.extend_from_slice(&age.to_be_bytes());
            }
        });
        o.extend_from_slice(&self.binders_encoding());
        o
    }

    /// The encoded binders list (the part of ClientHello the binders do not cover, RFC 8446
    /// §4.2.11.2).
    pub fn binders_encoding(&self) -> Vec<u8> {
        let mut o = Vec::new();
        ListLength::U16 { max: 0xffff }.encode_with(&mut o, |o| {
            for b in &self.binders {
                ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(b));
            }
        });
        o
    }
}

/// ServerHello pre_shared_key: `uint16 selected_identity`.
pub fn read_selected_psk(body: &[u8]) -> Result<u16, InvalidMessage> {
    read_all(body, u16::read)
}

/// An extension inside a TLS 1.3 Certificate entry, CertificateRequest or NewSessionTicket:
/// kept as type and body (status_request, SCTs, early_data, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawExtension {
    /// The type.
    pub typ: ExtensionType,
    /// The body.
    pub body: Vec<u8>,
}

impl Codec<'_> for RawExtension {
    fn encode(&self, out: &mut Vec<u8>) {
        self.typ.encode(out);
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.body));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let typ = ExtensionType::read(r)?;
        let body = ListLength::U16 { max: 0xffff }.read(r, "extension")?.rest().to_vec();
        Ok(Self { typ, body })
    }
}

fn read_raw_extensions(r: &mut Reader<'_>) -> Result<Vec<RawExtension>, InvalidMessage> {
    // Unlike the hellos, these blocks are always present (possibly empty).
    let mut list = ListLength::U16 { max: 0xffff }.read(r, "extensions")?;
    let mut out: Vec<RawExtension> = Vec::new();
    while !list.is_empty() {
        let e = RawExtension::read(&mut list)?;
        if out.iter().any(|o| o.typ == e.typ) {
            return Err(InvalidMessage::InvalidValue("duplicate extension"));
        }
        out.push(e);
    }
    Ok(out)
}

fn encode_raw_extensions(exts: &[RawExtension], out: &mut Vec<u8>) {
    ListLength::U16 { max: 0xffff }.encode_with(out, |o| exts.iter().for_each(|e| e.encode(o)));
}

/// One certificate of a TLS 1.3 Certificate message, with its extensions (RFC 8446 §4.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateEntry {
    /// DER certificate.
    pub cert: Vec<u8>,
    /// Per-entry extensions (OCSP status, SCTs).
    pub extensions: Vec<RawExtension>,
}

/// TLS 1.3 Certificate (RFC 8446 §4.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateTls13 {
    /// `certificate_request_context`: empty in the handshake.
    pub context: Vec<u8>,
    /// Leaf first.
    pub entries: Vec<CertificateEntry>,
}

impl Codec<'_> for CertificateTls13 {
    fn encode(&self, out: &mut Vec<u8>) {
        ListLength::U8 { max: 255 }.encode_with(out, |o| o.extend_from_slice(&self.context));
        ListLength::U24 { max: 0xff_ffff }.encode_with(out, |o| {
            for e in &self.entries {
                ListLength::U24 { max: 0xff_ffff }.encode_with(o, |o| o.extend_from_slice(&e.cert));
                encode_raw_extensions(&e.extensions, o);
            }
        });
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let context = ListLength::U8 { max: 255 }.read(r, "certificate_request_context")?.rest().to_vec();
        let mut list = ListLength::U24 { max: 0xff_ffff }.read(r, "certificate_list")?;
        let mut entries = Vec::new();
        while !list.is_empty() {
            let cert = ListLength::U24 { max: 0xff_ffff }.read(&mut list, "cert_data")?.rest().to_vec();
            if cert.is_empty() {
                return Err(InvalidMessage::InvalidValue("empty cert_data"));
            }
            let extensions = read_raw_extensions(&mut list)?;
            entries.push(CertificateEntry { cert, extensions });
        }
        Ok(Self { context, entries })
    }
}

/// TLS 1.3 CertificateRequest (RFC 8446 §4.3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequestTls13 {
    /// `certificate_request_context`: empty in the handshake.
    pub context: Vec<u8>,
    /// Extensions; signature_algorithms is required.
    pub extensions: Vec<RawExtension>,
}

impl CertificateRequestTls13 {
    /// The signature schemes the server accepts (signature_algorithms, required).
    pub fn signature_schemes(&self) -> Result<Vec<SignatureScheme>, InvalidMessage> {
        let ext = self
            .extensions
            .iter()
            .find(|e| e.typ == ExtensionType::SignatureAlgorithms)
            .ok_or(InvalidMessage::InvalidValue("CertificateRequest without signature_algorithms"))?;
        read_signature_schemes(&ext.body)
    }
}

impl Codec<'_> for CertificateRequestTls13 {
    fn encode(&self, out: &mut Vec<u8>) {
        ListLength::U8 { max: 255 }.encode_with(out, |o| o.extend_from_slice(&self.context));
        encode_raw_extensions(&self.extensions, out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let context = ListLength::U8 { max: 255 }.read(r, "certificate_request_context")?.rest().to_vec();
        let extensions = read_raw_extensions(r)?;
        Ok(Self { context, extensions })
    }
}

/// TLS 1.3 CertificateVerify (RFC 8446 §4.4.3): `SignatureScheme algorithm; opaque
/// signature<0..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateVerifyTls13 {
    /// The scheme.
    pub scheme: SignatureScheme,
    /// The signature.
    pub signature: Vec<u8>,
}

impl Codec<'_> for CertificateVerifyTls13 {
    fn encode(&self, out: &mut Vec<u8>) {
        self.scheme.encode(out);
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.signature));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let scheme = SignatureScheme::read(r)?;
        let signature = ListLength::U16 { max: 0xffff }.read(r, "signature")?.rest().to_vec();
        Ok(Self { scheme, signature })
    }
}

/// The content a TLS 1.3 CertificateVerify signs (RFC 8446 §4.4.3): 64 spaces, the context
/// string, a zero byte, and the transcript hash.
pub fn certificate_verify_message(server: bool, transcript_hash: &[u8]) -> Vec<u8> {
    let context: &[u8] =
        if server { b"TLS 1.3, server CertificateVerify" } else { b"TLS 1.3, client CertificateVerify" };
    let mut m = vec![0x20; 64];
    m.extend_from_slice(context);
    m.push(0);
    m.extend_from_slice(transcript_hash);
    m
}

/// TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSessionTicketTls13 {
    /// Seconds the ticket may be used for (at most 604800).
    pub lifetime: u32,
    /// Added to the ticket age the client reports.
    pub age_add: u32,
    /// Distinguishes tickets of one connection (`opaque ticket_nonce<0..255>`).
    pub nonce: Vec<u8>,
    /// `opaque ticket<1..2^16-1>`.
    pub ticket: Vec<u8>,
    /// Extensions (early_data).
    pub extensions: Vec<RawExtension>,
}

impl Codec<'_> for NewSessionTicketTls13 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.lifetime.to_be_bytes());
        out.extend_from_slice(&self.age_add.to_be_bytes());
        ListLength::U8 { max: 255 }.encode_with(out, |o| o.extend_from_slice(&self.nonce));
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.ticket));
        encode_raw_extensions(&self.extensions, out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let l = r.take(4, "ticket_lifetime")?;
        let lifetime = u32::from_be_bytes([l[0], l[1], l[2], l[3]]);
        let a = r.take(4, "ticket_age_add")?;
        let age_add = u32::from_be_bytes([a[0], a[1], a[2], a[3]]);
        let nonce = ListLength::U8 { max: 255 }.read(r, "ticket_nonce")?.rest().to_vec();
        let ticket = ListLength::U16 { max: 0xffff }.read(r, "ticket")?.rest().to_vec();
        if ticket.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty ticket"));
        }
        let extensions = read_raw_extensions(r)?;
        Ok(Self { lifetime, age_add, nonce, ticket, extensions })
    }
}

/// KeyUpdate's `update_requested` (RFC 8446 §4.6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUpdateRequest {
    /// update_not_requested(0)
    NotRequested,
    /// update_requested(1)
    Requested,
}

/// Every TLS 1.3 handshake message that differs from TLS 1.2's (ClientHello and ServerHello
/// share their codecs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls13Message {
    /// EncryptedExtensions (RFC 8446 §4.3.1).
    EncryptedExtensions(Vec<ServerExtension>),
    /// Certificate.
    Certificate(CertificateTls13),
    /// CertificateRequest.
    CertificateRequest(CertificateRequestTls13),
    /// CertificateVerify.
    CertificateVerify(CertificateVerifyTls13),
    /// Finished: `opaque verify_data[Hash.length]`.
    Finished(Vec<u8>),
    /// NewSessionTicket.
    NewSessionTicket(NewSessionTicketTls13),
    /// KeyUpdate.
    KeyUpdate(KeyUpdateRequest),
    /// EndOfEarlyData: empty.
    EndOfEarlyData,
}

impl Tls13Message {
    /// The handshake type.
    pub fn typ(&self) -> HandshakeType {
        match self {
            Self::EncryptedExtensions(_) => HandshakeType::EncryptedExtensions,
            Self::Certificate(_) => HandshakeType::Certificate,
            Self::CertificateRequest(_) => HandshakeType::CertificateRequest,
            Self::CertificateVerify(_) => HandshakeType::CertificateVerify,
            Self::Finished(_) => HandshakeType::Finished,
            Self::NewSessionTicket(_) => HandshakeType::NewSessionTicket,
            Self::KeyUpdate(_) => HandshakeType::KeyUpdate,
            Self::EndOfEarlyData => HandshakeType::EndOfEarlyData,
        }
    }

    /// Encodes the body.
    pub fn encode_body(&self, o: &mut Vec<u8>) {
        match self {
            Self::EncryptedExtensions(exts) => {
                // Always present, even empty (RFC 8446 §4.3.1).
                if exts.is_empty() {
                    o.extend_from_slice(&[0, 0]);
                } else {
                    encode_extensions(exts, o);
                }
            }
            Self::Certificate(c) => c.encode(o),
            Self::CertificateRequest(c) => c.encode(o),
            Self::CertificateVerify(c) => c.encode(o),
            Self::Finished(v) => o.extend_from_slice(v),
            Self::NewSessionTicket(t) => t.encode(o),
            Self::KeyUpdate(k) => o.push(match k {
                KeyUpdateRequest::NotRequested => 0,
                KeyUpdateRequest::Requested => 1,
            }),
            Self::EndOfEarlyData => {}
        }
    }

    /// Reads the body of a message of type `typ`; `None` for types TLS 1.3 does not change.
    pub fn read_body(typ: HandshakeType, body: &mut Reader<'_>) -> Option<Result<Self, InvalidMessage>> {
        Some((|| {
            Ok(match typ {
                HandshakeType::EncryptedExtensions => {
                    // The block is mandatory here, unlike in a hello.
                    if body.is_empty() {
                        return Err(InvalidMessage::MissingData("EncryptedExtensions"));
                    }
                    Self::EncryptedExtensions(read_extensions(body, ServerExtension::ext_type)?)
                }
                HandshakeType::Certificate => Self::Certificate(CertificateTls13::read(body)?),
                HandshakeType::CertificateRequest => {
                    Self::CertificateRequest(CertificateRequestTls13::read(body)?)
                }
                HandshakeType::CertificateVerify => {
                    Self::CertificateVerify(CertificateVerifyTls13::read(body)?)
                }
                HandshakeType::Finished => {
                    Self::Finished(body.take(body.remaining(), "verify_data")?.to_vec())
                }
                HandshakeType::NewSessionTicket => Self::NewSessionTicket(NewSessionTicketTls13::read(body)?),
                HandshakeType::KeyUpdate => Self::KeyUpdate(match u8::read(body)? {
                    0 => KeyUpdateRequest::NotRequested,
                    1 => KeyUpdateRequest::Requested,
                    // RFC 8446 §4.6.3: any other value is illegal_parameter; the decode error
                    // is as close as a codec can say (tlsfuzzer accepts either).
                    _ => return Err(InvalidMessage::InvalidValue("KeyUpdate request")),
                }),
                HandshakeType::EndOfEarlyData => Self::EndOfEarlyData,
                _ => return Err(InvalidMessage::InvalidValue("not a TLS 1.3 message")),
            })
        })())
        .filter(|_| {
            matches!(
                typ,
                HandshakeType::EncryptedExtensions
                    | HandshakeType::Certificate
                    | HandshakeType::CertificateRequest
                    | HandshakeType::CertificateVerify
                    | HandshakeType::Finished
                    | HandshakeType::NewSessionTicket
                    | HandshakeType::KeyUpdate
                    | HandshakeType::EndOfEarlyData
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};

    fn round_trip(m: Tls13Message) {
        let msg = HandshakeMessage { payload: HandshakePayload::Tls13(m) };
        let bytes = msg.encoding();
        assert_eq!(HandshakeMessage::read_tls13(&mut Reader::new(&bytes)).unwrap(), msg);
        for cut in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..cut]);
            let partial = HandshakeMessage::read_tls13(&mut r);
            assert!(partial.is_err() || !r.is_empty() || cut < 4, "prefix {cut} read as a whole message");
        }
    }

    #[test]
    fn tls13_messages_round_trip() {
        round_trip(Tls13Message::EncryptedExtensions(vec![]));
        round_trip(Tls13Message::EncryptedExtensions(vec![ServerExtension::Alpn(b"h2".to_vec())]));
        round_trip(Tls13Message::Certificate(CertificateTls13 {
            context: vec![],
            entries: vec![
                CertificateEntry { cert: vec![0x30, 0], extensions: vec![] },
                CertificateEntry {
                    cert: vec![0x30, 1, 2],
                    extensions: vec![RawExtension { typ: ExtensionType::StatusRequest, body: vec![1] }],
                },
            ],
        }));
        round_trip(Tls13Message::CertificateRequest(CertificateRequestTls13 {
            context: vec![],
            extensions: vec![RawExtension {
                typ: ExtensionType::SignatureAlgorithms,
                body: signature_schemes(&[SignatureScheme::RsaPssRsaeSha256]),
            }],
        }));
        round_trip(Tls13Message::CertificateVerify(CertificateVerifyTls13 {
            scheme: SignatureScheme::Ed25519,
            signature: vec![5; 64],
        }));
        round_trip(Tls13Message::Finished(vec![1; 32]));
        round_trip(Tls13Message::NewSessionTicket(NewSessionTicketTls13 {
            lifetime: 7200,
            age_add: 0xdeadbeef,
            nonce: vec![0, 1],
            ticket: vec![9; 40],
            extensions: vec![],
        }));
        round_trip(Tls13Message::KeyUpdate(KeyUpdateRequest::Requested));
        round_trip(Tls13Message::KeyUpdate(KeyUpdateRequest::NotRequested));
        round_trip(Tls13Message::EndOfEarlyData);
    }

    #[test]
    fn strict_decoding_refuses_malformed_bodies() {
        // KeyUpdate with a value other than 0 or 1.
        assert!(HandshakeMessage::read_tls13(&mut Reader::new(&[24, 0, 0, 1, 2])).is_err());
        // EncryptedExtensions without its extensions block.
        assert!(HandshakeMessage::read_tls13(&mut Reader::new(&[8, 0, 0, 0])).is_err());
        // Two key shares for one group; an empty key_exchange.
        let dup = key_share_client(&[
            KeyShareEntry { group: NamedGroup::X25519, payload: vec![1; 32] },
            KeyShareEntry { group: NamedGroup::X25519, payload: vec![2; 32] },
        ]);
        assert!(read_key_share_client(&dup).is_err());
        assert!(read_key_share_server(&[0, 0x1d, 0, 0]).is_err());
        // supported_versions with an odd length, an empty list, trailing bytes.
        assert!(read_supported_versions_client(&[3, 3, 4, 3]).is_err());
        assert!(read_supported_versions_client(&[0]).is_err());
        assert!(read_supported_versions_server(&[3, 4, 0]).is_err());
        assert_eq!(
            read_supported_versions_client(&supported_versions_client(&[ProtocolVersion::TLSv1_3])).unwrap(),
            [ProtocolVersion::TLSv1_3]
        );
        // pre_shared_key with more binders than identities, or a short binder.
        let mut psk = OfferedPsks { identities: vec![(vec![1], 7)], binders: vec![vec![0; 32]] };
        assert_eq!(OfferedPsks::read_body(&psk.encoding()).unwrap(), psk);
        psk.binders.push(vec![0; 32]);
        assert!(OfferedPsks::read_body(&psk.encoding()).is_err());
        psk.binders = vec![vec![0; 31]];
        assert!(OfferedPsks::read_body(&psk.encoding()).is_err());
        assert!(read_psk_modes(&[0]).is_err());
        assert!(read_cookie(&[0, 0]).is_err());
    }

    #[test]
    fn certificate_verify_content_has_the_rfc_8446_layout() {
        let m = certificate_verify_message(true, &[0xab; 32]);
        assert_eq!(m.len(), 64 + 33 + 1 + 32);
        assert!(m[..64].iter().all(|&b| b == 0x20));
        assert_eq!(&m[64..97], b"TLS 1.3, server CertificateVerify");
        assert_eq!(m[97], 0);
        assert_ne!(certificate_verify_message(false, &[0xab; 32]), m);
    }
}
