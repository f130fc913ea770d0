//! Hello extensions (RFC 5246 §7.4.1.4) that TLS 1.0–1.2 with RSA key exchange uses.

use super::enums::{ExtensionType, NamedGroup, SignatureScheme};
use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// Longest extension body we accept (the whole extensions block is bounded by its u16 length).
const MAX_EXTENSION_LEN: usize = 0xffff;

/// Longest host name in server_name (RFC 6066 §3: `opaque HostName<1..2^16-1>`; DNS caps at 253).
const MAX_HOST_NAME_LEN: usize = 255;

/// RFC 7301 §3.1: `ProtocolName protocol_name_list<2..2^16-1>`.
const MAX_PROTOCOL_NAME_LIST_LEN: usize = 0xffff;

/// An extension in a ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientExtension {
    /// server_name with one host_name entry (RFC 6066 §3).
    ServerName(String),
    /// signature_algorithms (RFC 5246 §7.4.1.4.1), TLS 1.2 only.
    SignatureAlgorithms(Vec<SignatureScheme>),
    /// extended_master_secret, empty (RFC 7627 §5.1).
    ExtendedMasterSecret,
    /// encrypt_then_mac, empty (RFC 7366 §2).
    EncryptThenMac,
    /// renegotiation_info with the client's previous verify_data (empty initially; RFC 5746 §3.2).
    RenegotiationInfo(Vec<u8>),
    /// application_layer_protocol_negotiation (RFC 7301 §3.1): the `ProtocolNameList` the client
    /// offers, in its preference order; never empty, and no name is empty.
    Alpn(Vec<Vec<u8>>),
    /// supported_groups (RFC 8422 §5.1.1): the groups the client can do ECDHE in, preferred
    /// first; never empty.
    SupportedGroups(Vec<NamedGroup>),
    /// ec_point_formats (RFC 8422 §5.1.2): the point formats the client parses.
    EcPointFormats(Vec<u8>),
    /// SessionTicket (RFC 5077 §3.2): empty to ask for a ticket, or the ticket presented.
    SessionTicket(Vec<u8>),
    /// Anything else, kept as bytes.
    Unknown(ExtensionType, Vec<u8>),
}

/// `ECPointFormat uncompressed(0)`, the only format RFC 8422 §5.1.2 still allows.
pub const EC_POINT_FORMAT_UNCOMPRESSED: u8 = 0;

/// An extension in a ServerHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerExtension {
    /// Empty server_name: the server used the name (RFC 6066 §3).
    ServerNameAck,
    /// extended_master_secret acknowledged.
    ExtendedMasterSecret,
    /// encrypt_then_mac acknowledged.
    EncryptThenMac,
    /// renegotiation_info (empty on an initial handshake).
    RenegotiationInfo(Vec<u8>),
    /// application_layer_protocol_negotiation (RFC 7301 §3.1): the one protocol the server
    /// selected (a `ProtocolNameList` with exactly one non-empty name on the wire).
    Alpn(Vec<u8>),
    /// ec_point_formats (RFC 8422 §5.2): the formats the server parses.
    EcPointFormats(Vec<u8>),
    /// Empty SessionTicket: a NewSessionTicket will follow (RFC 5077 §3.2).
    SessionTicketAck,
    /// Anything else.
    Unknown(ExtensionType, Vec<u8>),
}

fn encode_ext(out: &mut Vec<u8>, typ: ExtensionType, body: impl FnOnce(&mut Vec<u8>)) {
    typ.encode(out);
    ListLength::U16 { max: MAX_EXTENSION_LEN }.encode_with(out, body);
}

fn read_renegotiation_info(r: &mut Reader<'_>) -> Result<Vec<u8>, InvalidMessage> {
    Ok(ListLength::U8 { max: 255 }.read(r, "renegotiation_info")?.rest().to_vec())
}

/// RFC 7301 §3.1: `opaque ProtocolName<1..2^8-1>; ProtocolName protocol_name_list<2..2^16-1>`.
/// An empty list or an empty name is a decode error; so is a byte left over inside the list,
/// which the u8 length of the last name would then have to cover.
fn read_protocol_name_list(r: &mut Reader<'_>) -> Result<Vec<Vec<u8>>, InvalidMessage> {
    let mut list = ListLength::U16 { max: MAX_PROTOCOL_NAME_LIST_LEN }.read(r, "protocol_name_list")?;
    let mut names = Vec::new();
    while !list.is_empty() {
        let name = ListLength::U8 { max: 255 }.read(&mut list, "protocol_name")?.rest();
        if name.is_empty() {
            return Err(InvalidMessage::InvalidValue("empty ALPN protocol name"));
        }
        names.push(name.to_vec());
    }
    if names.is_empty() {
        return Err(InvalidMessage::InvalidValue("empty ALPN protocol_name_list"));
    }
    Ok(names)
}

fn encode_protocol_name_list<'a>(out: &mut Vec<u8>, names: impl IntoIterator<Item = &'a Vec<u8>>) {
    ListLength::U16 { max: MAX_PROTOCOL_NAME_LIST_LEN }.encode_with(out, |o| {
        for name in names {
            ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(name));
        }
    });
}

impl ClientExtension {
    /// The extension's type.
    pub fn ext_type(&self) -> ExtensionType {
        match self {
            Self::ServerName(_) => ExtensionType::ServerName,
            Self::SignatureAlgorithms(_) => ExtensionType::SignatureAlgorithms,
            Self::ExtendedMasterSecret => ExtensionType::ExtendedMasterSecret,
            Self::EncryptThenMac => ExtensionType::EncryptThenMac,
            Self::RenegotiationInfo(_) => ExtensionType::RenegotiationInfo,
            Self::Alpn(_) => ExtensionType::Alpn,
            Self::SupportedGroups(_) => ExtensionType::SupportedGroups,
            Self::EcPointFormats(_) => ExtensionType::EcPointFormats,
            Self::SessionTicket(_) => ExtensionType::SessionTicket,
            Self::Unknown(t, _) => *t,
        }
    }
}

fn read_point_formats(r: &mut Reader<'_>) -> Result<Vec<u8>, InvalidMessage> {
    // RFC 8422 §5.1.2: `ECPointFormat ec_point_format_list<1..2^8-1>`.
    let formats = ListLength::U8 { max: 255 }.read(r, "ec_point_formats")?.rest().to_vec();
    if formats.is_empty() {
        return Err(InvalidMessage::InvalidValue("empty ec_point_formats"));
    }
    Ok(formats)
}

impl Codec<'_> for ClientExtension {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_ext(out, self.ext_type(), |o| match self {
            Self::ServerName(name) => ListLength::U16 { max: 0xffff }.encode_with(o, |o| {
                o.push(0); // NameType host_name
                ListLength::U16 { max: MAX_HOST_NAME_LEN }
                    .encode_with(o, |o| o.extend_from_slice(name.as_bytes()));
            }),
            Self::SignatureAlgorithms(schemes) => ListLength::U16 { max: 0xfffe }.encode_with(o, |o| {
                for s in schemes {
                    s.encode(o);
                }
            }),
            Self::ExtendedMasterSecret | Self::EncryptThenMac => {}
            Self::RenegotiationInfo(v) => {
                ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(v))
            }
            Self::Alpn(names) => encode_protocol_name_list(o, names),
            Self::SupportedGroups(groups) => ListLength::U16 { max: 0xfffe }.encode_with(o, |o| {
                for g in groups {
                    g.encode(o);
                }
            }),
            Self::EcPointFormats(f) => ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(f)),
            // RFC 5077 §3.2: the ticket is the whole extension_data, without a length of its own.
            Self::SessionTicket(ticket) => o.extend_from_slice(ticket),
            Self::Unknown(_, body) => o.extend_from_slice(body),
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let typ = ExtensionType::read(r)?;
        let mut body = ListLength::U16 { max: MAX_EXTENSION_LEN }.read(r, "extension")?;
        let ext = match typ {
            ExtensionType::SessionTicket => return Ok(Self::SessionTicket(body.rest().to_vec())),
            ExtensionType::ServerName => {
                let mut list = ListLength::U16 { max: 0xffff }.read(&mut body, "server_name list")?;
                let mut host = None;
                while !list.is_empty() {
                    let name_type = u8::read(&mut list)?;
                    let name = ListLength::U16 { max: 0xffff }.read(&mut list, "server_name")?.rest();
                    // RFC 6066 §3: only host_name(0) is defined; at most one per type.
                    if name_type == 0 && host.is_none() {
                        if name.is_empty() || name.len() > MAX_HOST_NAME_LEN || !name.is_ascii() {
                            return Err(InvalidMessage::InvalidValue("server_name host_name"));
                        }
                        host = Some(String::from_utf8_lossy(name).into_owned());
                    }
                }
                Self::ServerName(host.ok_or(InvalidMessage::InvalidValue("server_name without host_name"))?)
            }
            ExtensionType::SignatureAlgorithms => {
                let mut list = ListLength::U16 { max: 0xfffe }.read(&mut body, "signature_algorithms")?;
                // RFC 5246 §7.4.1.4.1: `supported_signature_algorithms<2..2^16-2>`.
                if list.is_empty() {
                    return Err(InvalidMessage::InvalidValue("empty signature_algorithms"));
                }
                let mut schemes = Vec::new();
                while !list.is_empty() {
                    schemes.push(SignatureScheme::read(&mut list)?);
                }
                Self::SignatureAlgorithms(schemes)
            }
            ExtensionType::ExtendedMasterSecret => Self::ExtendedMasterSecret,
            ExtensionType::EncryptThenMac => Self::EncryptThenMac,
            ExtensionType::RenegotiationInfo => Self::RenegotiationInfo(read_renegotiation_info(&mut body)?),
            ExtensionType::Alpn => Self::Alpn(read_protocol_name_list(&mut body)?),
            ExtensionType::SupportedGroups => {
                // RFC 8422 §5.1.1: `NamedCurve named_curve_list<2..2^16-1>`.
                let mut list = ListLength::U16 { max: 0xfffe }.read(&mut body, "supported_groups")?;
                if list.is_empty() {
                    return Err(InvalidMessage::InvalidValue("empty supported_groups"));
                }
                let mut groups = Vec::new();
                while !list.is_empty() {
                    groups.push(NamedGroup::read(&mut list)?);
                }
                Self::SupportedGroups(groups)
            }
            ExtensionType::EcPointFormats => Self::EcPointFormats(read_point_formats(&mut body)?),
            other => return Ok(Self::Unknown(other, body.rest().to_vec())),
        };
        body.expect_empty("extension body")?;
        Ok(ext)
    }
}

impl ServerExtension {
    /// The extension's type.
    pub fn ext_type(&self) -> ExtensionType {
        match self {
            Self::ServerNameAck => ExtensionType::ServerName,
            Self::ExtendedMasterSecret => ExtensionType::ExtendedMasterSecret,
            Self::EncryptThenMac => ExtensionType::EncryptThenMac,
            Self::RenegotiationInfo(_) => ExtensionType::RenegotiationInfo,
            Self::Alpn(_) => ExtensionType::Alpn,
            Self::EcPointFormats(_) => ExtensionType::EcPointFormats,
            Self::SessionTicketAck => ExtensionType::SessionTicket,
            Self::Unknown(t, _) => *t,
        }
    }
}

impl Codec<'_> for ServerExtension {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_ext(out, self.ext_type(), |o| match self {
            Self::ServerNameAck
            | Self::ExtendedMasterSecret
            | Self::EncryptThenMac
            | Self::SessionTicketAck => {}
            Self::RenegotiationInfo(v) => {
                ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(v))
            }
            Self::Alpn(name) => encode_protocol_name_list(o, [name]),
            Self::EcPointFormats(f) => ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(f)),
            Self::Unknown(_, body) => o.extend_from_slice(body),
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let typ = ExtensionType::read(r)?;
        let mut body = ListLength::U16 { max: MAX_EXTENSION_LEN }.read(r, "extension")?;
        let ext = match typ {
            ExtensionType::ServerName => Self::ServerNameAck,
            // RFC 5077 §3.2: the server's SessionTicket extension is empty.
            ExtensionType::SessionTicket => Self::SessionTicketAck,
            ExtensionType::ExtendedMasterSecret => Self::ExtendedMasterSecret,
            ExtensionType::EncryptThenMac => Self::EncryptThenMac,
            ExtensionType::RenegotiationInfo => Self::RenegotiationInfo(read_renegotiation_info(&mut body)?),
            ExtensionType::EcPointFormats => Self::EcPointFormats(read_point_formats(&mut body)?),
            ExtensionType::Alpn => {
                // RFC 7301 §3.1: "The "extension_data" field of the ([ServerHello]) extension
                // ... MUST contain exactly one ProtocolName."
                let mut names = read_protocol_name_list(&mut body)?;
                match (names.pop(), names.is_empty()) {
                    (Some(name), true) => Self::Alpn(name),
                    _ => {
                        return Err(InvalidMessage::InvalidValue(
                            "ALPN in ServerHello must name one protocol",
                        ))
                    }
                }
            }
            other => return Ok(Self::Unknown(other, body.rest().to_vec())),
        };
        body.expect_empty("extension body")?;
        Ok(ext)
    }
}

/// Reads an optional extensions block (absent when no bytes remain, RFC 5246 §7.4.1.2) and
/// rejects duplicates (RFC 5246 §7.4.1.4: "There MUST NOT be more than one extension of the
/// same type").
pub(crate) fn read_extensions<'a, T: Codec<'a>>(
    r: &mut Reader<'a>,
    ext_type: impl Fn(&T) -> ExtensionType,
) -> Result<Vec<T>, InvalidMessage> {
    let mut exts: Vec<T> = Vec::new();
    if r.is_empty() {
        return Ok(exts);
    }
    let mut list = ListLength::U16 { max: 0xffff }.read(r, "extensions")?;
    while !list.is_empty() {
        let ext = T::read(&mut list)?;
        if exts.iter().any(|e| ext_type(e) == ext_type(&ext)) {
            return Err(InvalidMessage::InvalidValue("duplicate extension"));
        }
        exts.push(ext);
    }
    Ok(exts)
}

/// Writes an extensions block; nothing at all when there are none (keeps SSL 3.0-style hellos
/// byte-identical to what old peers expect).
pub(crate) fn encode_extensions<'a, T: Codec<'a>>(exts: &[T], out: &mut Vec<u8>) {
    if exts.is_empty() {
        return;
    }
    ListLength::U16 { max: 0xffff }.encode_with(out, |o| {
        for e in exts {
            e.encode(o);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_extension_round_trips() {
        let exts = [
            ClientExtension::ServerName("example.com".into()),
            ClientExtension::SignatureAlgorithms(vec![
                SignatureScheme::RsaPkcs1Sha256,
                SignatureScheme::Unknown(0x0101),
            ]),
            ClientExtension::ExtendedMasterSecret,
            ClientExtension::EncryptThenMac,
            ClientExtension::RenegotiationInfo(vec![]),
            ClientExtension::RenegotiationInfo(vec![1; 12]),
            ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
            ClientExtension::Alpn(vec![vec![0xff; 255]]),
            ClientExtension::Unknown(ExtensionType::Unknown(0x1234), vec![9, 9]),
            ClientExtension::SupportedGroups(vec![
                NamedGroup::X25519,
                NamedGroup::Secp256r1,
                NamedGroup::Unknown(7),
            ]),
            ClientExtension::EcPointFormats(vec![EC_POINT_FORMAT_UNCOMPRESSED]),
            ClientExtension::SessionTicket(vec![]),
            ClientExtension::SessionTicket(vec![0xab; 200]),
        ];
        for e in exts {
            assert_eq!(ClientExtension::read_bytes(&e.encoding()).unwrap(), e);
        }
    }

    #[test]
    fn every_server_extension_round_trips() {
        for e in [
            ServerExtension::ServerNameAck,
            ServerExtension::ExtendedMasterSecret,
            ServerExtension::EncryptThenMac,
            ServerExtension::RenegotiationInfo(vec![]),
            ServerExtension::Alpn(b"h2".to_vec()),
            ServerExtension::EcPointFormats(vec![0, 1, 2]),
            ServerExtension::SessionTicketAck,
            ServerExtension::Unknown(ExtensionType::Unknown(0x7777), vec![1]),
        ] {
            assert_eq!(ServerExtension::read_bytes(&e.encoding()).unwrap(), e);
        }
    }

    #[test]
    fn a_non_empty_session_ticket_extension_from_a_server_is_rejected() {
        assert!(ServerExtension::read_bytes(&[0, 35, 0, 0]).is_ok());
        assert!(ServerExtension::read_bytes(&[0, 35, 0, 1, 0]).is_err());
    }

    #[test]
    fn a_non_empty_ems_extension_is_rejected() {
        assert!(ClientExtension::read_bytes(&[0, 23, 0, 1, 0]).is_err());
    }

    #[test]
    fn duplicate_extensions_are_rejected() {
        let mut out = Vec::new();
        encode_extensions(&[ClientExtension::EncryptThenMac, ClientExtension::EncryptThenMac], &mut out);
        let mut r = Reader::new(&out);
        assert!(read_extensions(&mut r, ClientExtension::ext_type).is_err());
    }

    #[test]
    fn alpn_encodes_as_rfc_7301_protocol_name_list() {
        let e = ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
        let mut expected = vec![0, 16, 0, 14, 0, 12, 2, b'h', b'2', 8];
        expected.extend_from_slice(b"http/1.1");
        assert_eq!(e.encoding(), expected);
        assert_eq!(ServerExtension::Alpn(b"h2".to_vec()).encoding(), [0, 16, 0, 5, 0, 3, 2, b'h', b'2']);
    }

    #[test]
    fn malformed_alpn_lists_are_decode_errors() {
        let bad: &[&[u8]] = &[
            &[0, 16, 0, 2, 0, 0],                     // empty protocol_name_list
            &[0, 16, 0, 3, 0, 1, 0],                  // an empty ProtocolName
            &[0, 16, 0, 5, 0, 3, 2, b'h', b'2'][..8], // truncated
            &[0, 16, 0, 4, 0, 3, 2, b'h'],            // name runs past the list
            &[0, 16, 0, 6, 0, 3, 2, b'h', b'2', 0],   // trailing byte after the list
            &[0, 16, 0, 5, 0, 4, 2, b'h', b'2'],      // list longer than the extension
            &[0, 16, 0, 0],                           // no list at all
        ];
        for b in bad {
            assert!(ClientExtension::read_bytes(b).is_err(), "client accepted {b:?}");
            assert!(ServerExtension::read_bytes(b).is_err(), "server accepted {b:?}");
        }
    }

    #[test]
    fn a_server_alpn_with_other_than_one_name_is_rejected() {
        let two = ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]).encoding();
        assert!(matches!(ServerExtension::read_bytes(&two), Err(InvalidMessage::InvalidValue(_))));
        let one = ClientExtension::Alpn(vec![b"h2".to_vec()]).encoding();
        assert_eq!(ServerExtension::read_bytes(&one).unwrap(), ServerExtension::Alpn(b"h2".to_vec()));
    }
}
