//! Regression tests for what a review and a tlsfuzzer run found (issue 13): each writes the
//! bytes a misbehaving peer sends and checks the error and the alert that go back.

use crate::common::*;
use ferrotls::codec::{Codec, Reader};
use ferrotls::msgs::alert::Alert;
use ferrotls::msgs::enums::AlertDescription;
use ferrotls::msgs::extensions::ServerExtension;
use ferrotls::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::{ClientConfig, ClientConnection, Error, PeerMisbehaved, ServerName};
use std::sync::Arc;

/// Rewrites the first handshake record in `buf` (each handshake message of a flight travels in
/// its own record) and fixes the lengths.
fn rewrite_first_record(buf: &mut Vec<u8>, f: &mut dyn FnMut(&mut HandshakePayload)) {
    let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    let mut msg = HandshakeMessage::read_versioned(&mut Reader::new(&buf[5..5 + len]), true).unwrap();
    f(&mut msg.payload);
    let encoded = msg.encoding();
    let mut out = buf[..3].to_vec();
    out.extend_from_slice(&(encoded.len() as u16).to_be_bytes());
    out.extend_from_slice(&encoded);
    out.extend_from_slice(&buf[5 + len..]);
    *buf = out;
}

/// The description of the (plaintext) alert record at the start of `wire`.
fn alert_in(wire: &[u8]) -> AlertDescription {
    assert_eq!(wire[0], 21, "an alert record: {wire:02x?}");
    Alert::read(&mut Reader::new(&wire[5..7])).unwrap().description
}

/// Issue 13 item 4 (RFC 6066 §3, RFC 5246 §7.4.1.4): a server may acknowledge server_name only
/// when the client sent it; a client that sent none refuses the ack with unsupported_extension.
#[test]
fn client_without_sni_refuses_a_server_name_ack_with_unsupported_extension() {
    let no_sni = Arc::new(ClientConfig::builder().root_store(roots()).enable_sni(false).build().unwrap());
    let mut client = ClientConnection::new(no_sni, ServerName::try_from("localhost").unwrap()).unwrap();
    let mut server = server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    let add_ack = &mut |buf: &mut Vec<u8>| {
        rewrite_first_record(buf, &mut |p| match p {
            HandshakePayload::ServerHello(sh) => sh.extensions.insert(0, ServerExtension::ServerNameAck),
            other => panic!("expected ServerHello, got {other:?}"),
        })
    };
    let err = transfer_with(&mut server, &mut client, add_ack).unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::UnsolicitedExtension(0)));
    let mut wire = Vec::new();
    client.take_tls(&mut wire);
    assert_eq!(alert_in(&wire), AlertDescription::UnsupportedExtension);

    // The twin: a client that sent SNI accepts the ack.
    let mut client = crate::common::client(client_config(|b| b));
    let mut server = crate::common::server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    let add_ack = &mut |buf: &mut Vec<u8>| {
        rewrite_first_record(buf, &mut |p| {
            if let HandshakePayload::ServerHello(sh) = p {
                sh.extensions.retain(|e| !matches!(e, ServerExtension::ServerNameAck));
                sh.extensions.insert(0, ServerExtension::ServerNameAck);
            }
        })
    };
    transfer_with(&mut server, &mut client, add_ack).unwrap();
}
