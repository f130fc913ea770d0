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

/// A connected client and server (the client plays the misbehaving peer).
fn connected() -> (ClientConnection, ferrotls::ServerConnection) {
    let mut client = crate::common::client(client_config(|b| b));
    let mut server = crate::common::server(server_config(|b| b));
    handshake(&mut client, &mut server).unwrap();
    (client, server)
}

/// A ClientHello of about `size` bytes (padded with an unknown extension).
fn big_client_hello(size: usize) -> Vec<u8> {
    use ferrotls::msgs::client_hello::ClientHello;
    use ferrotls::msgs::enums::{ExtensionType, ProtocolVersion};
    use ferrotls::msgs::extensions::ClientExtension;
    let hello = ClientHello {
        client_version: ProtocolVersion::TLSv1_2,
        random: [1; 32],
        session_id: ferrotls::msgs::SessionId::EMPTY,
        cipher_suites: vec![0x002f, 0x00ff],
        compression_methods: vec![0],
        extensions: vec![ClientExtension::Unknown(ExtensionType::from(0xfe00), vec![0; size])],
    };
    HandshakeMessage { payload: HandshakePayload::ClientHello(hello) }.encoding()
}

/// Sends `record` (a handshake record under the connection's keys) from client to server;
/// returns the server's verdict.
fn send_handshake_record(
    client: &mut ClientConnection,
    server: &mut ferrotls::ServerConnection,
    record: &[u8],
) -> Result<(), Error> {
    use ferrotls::msgs::enums::ContentType;
    client.dangerous_send_raw_record(ContentType::Handshake, record).unwrap();
    transfer(client, server).map(|_| ())
}

/// The alert the server sent last, as the client reads it.
fn alert_received_by(client: &mut ClientConnection, server: &mut ferrotls::ServerConnection) -> Error {
    transfer(server, client).unwrap_err()
}

/// Issue 13 item 2: a peer that ends every record with one byte of the next ClientHello used to
/// grow the connection's memory with its traffic (never compacted) and got a warning alert per
/// message. Now memory stays at one message and the peer is cut off after a few refusals.
#[test]
fn a_peer_splitting_renegotiation_requests_across_records_is_cut_off_with_bounded_memory() {
    let (mut client, mut server) = connected();
    let hello = big_client_hello(16_000);
    let mut outcome = send_handshake_record(&mut client, &mut server, &hello[..1]);
    let mut sent = 0;
    while outcome.is_ok() && sent < 200 {
        let mut record = hello[1..].to_vec();
        record.push(hello[0]);
        outcome = send_handshake_record(&mut client, &mut server, &record);
        sent += 1;
        assert!(
            server.handshake_buffer_capacity() < 64 * 1024,
            "{} bytes",
            server.handshake_buffer_capacity()
        );
    }
    assert_eq!(sent, 4, "three refusals (no_renegotiation warnings), then the end");
    assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::TooManyRenegotiationRequests));
    assert_eq!(
        alert_received_by(&mut client, &mut server),
        Error::AlertReceived(AlertDescription::UnexpectedMessage)
    );
}

/// Partial handshake messages after the handshake count like empty records: a message that
/// never completes, fed a byte per record, is cut off at the same limit.
#[test]
fn partial_handshake_records_after_the_handshake_count_as_empty_records() {
    let (mut client, mut server) = connected();
    let hello = big_client_hello(16_000);
    let mut sent = 0;
    let mut outcome = Ok(());
    while outcome.is_ok() && sent < 1000 {
        outcome = send_handshake_record(&mut client, &mut server, &hello[sent..sent + 1]);
        sent += 1;
    }
    assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::TooManyEmptyRecords));
    assert!(sent <= 40, "cut off after {sent} records");
    assert_eq!(
        alert_received_by(&mut client, &mut server),
        Error::AlertReceived(AlertDescription::UnexpectedMessage)
    );
}

/// Application data between renegotiation requests resets the empty-record count but not the
/// count of refusals.
#[test]
fn renegotiation_requests_between_application_data_are_refused_three_times_then_fatal() {
    let (mut client, mut server) = connected();
    let hello = big_client_hello(100);
    let mut outcome = Ok(());
    let mut sent = 0;
    while outcome.is_ok() && sent < 100 {
        outcome = send_handshake_record(&mut client, &mut server, &hello);
        sent += 1;
        if outcome.is_ok() {
            client.write_plaintext(b"x").unwrap();
            outcome = transfer(&mut client, &mut server).map(|_| ());
            assert_eq!(read_all(&mut server), b"x");
        }
    }
    assert_eq!(sent, 4);
    assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::TooManyRenegotiationRequests));
}
