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

/// The contents of a `Name` (without its SEQUENCE header, as webpki keeps trust anchors'
/// subjects) with one commonName.
fn common_name(cn: &str) -> Vec<u8> {
    let mut atv = vec![0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, cn.len() as u8];
    atv.extend_from_slice(cn.as_bytes());
    let mut seq = vec![0x30, atv.len() as u8];
    seq.extend_from_slice(&atv);
    let mut set = vec![0x31, seq.len() as u8];
    set.extend_from_slice(&seq);
    set
}

/// The fixtures' CA plus `extra` roots with ~75-byte subjects.
fn many_roots(extra: usize) -> ferrotls::x509::RootCertStore {
    let mut store = roots();
    let spki = store.roots()[0].subject_public_key_info.as_ref().to_vec();
    store.extend((0..extra).map(|i| rustls_pki_types::TrustAnchor {
        subject:
            common_name(&format!("ferrotls test CA number {i:04} with a name long enough to add up")).into(),
        subject_public_key_info: spki.clone().into(),
        name_constraints: None,
    }));
    store
}

/// Mutual authentication with a server trusting `store`; returns the CA names the
/// CertificateRequest carried (parsed as the client parses them) and the handshake's outcome.
fn client_auth_with_roots(store: ferrotls::x509::RootCertStore) -> (Vec<Vec<u8>>, Result<(), Error>) {
    use ferrotls::x509::{certs_from_pem, private_key_from_pem, WebPkiClientVerifier};
    let verifier = WebPkiClientVerifier::new(Arc::new(store), &ferrotls::suites::DEFAULT_PROVIDER);
    let s = server_config(|b| b.client_verifier(Arc::new(verifier)));
    let chain = certs_from_pem(include_bytes!("../fixtures/client-chain.pem")).unwrap();
    let key = private_key_from_pem(include_bytes!("../fixtures/client.key")).unwrap();
    let c = client_config(|b| b.client_auth_cert(chain, key));
    let mut client = crate::common::client(c);
    let mut server = crate::common::server(s);
    transfer(&mut client, &mut server).unwrap();
    let mut flight = Vec::new();
    server.take_tls(&mut flight);
    let mut names = None;
    let mut rest = &flight[..];
    while rest.len() >= 5 {
        let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
        let body = &rest[5..5 + len];
        if body[0] == 13 {
            let msg = HandshakeMessage::read_versioned(&mut Reader::new(body), true).unwrap();
            if let HandshakePayload::CertificateRequest(cr) = msg.payload {
                names = Some(cr.certificate_authorities);
            }
        }
        rest = &rest[5 + len..];
    }
    let mut off = 0;
    let mut outcome = Ok(());
    while off < flight.len() && outcome.is_ok() {
        off += client.feed_tls(&flight[off..]);
        outcome = client.process().map(|_| ());
    }
    let outcome = outcome.and_then(|()| handshake(&mut client, &mut server));
    (names.expect("a CertificateRequest that parses"), outcome)
}

/// Issue 13 item 3: 1,000 CA names (75,000 bytes) do not fit CertificateRequest's 16-bit list.
/// They used to go out with the length wrapped (a malformed message); now the list is empty,
/// which RFC 5246 §7.4.4 reads as "any CA", and mutual authentication still succeeds.
#[test]
fn a_server_trusting_a_thousand_cas_sends_a_well_formed_certificate_request() {
    let (names, outcome) = client_auth_with_roots(many_roots(1_000));
    outcome.unwrap();
    assert!(names.is_empty());
    // The twin: a store whose names fit lists every one, the fixtures' CA first.
    let (names, outcome) = client_auth_with_roots(many_roots(10));
    outcome.unwrap();
    assert_eq!(names.len(), 11);
    assert_eq!(names[0], roots().subjects()[0]);
}
