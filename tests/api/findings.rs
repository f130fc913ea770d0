//! Regression tests for what a review and a tlsfuzzer run found (issue 13): each writes the
//! bytes a misbehaving peer sends and checks the error and the alert that go back.

use crate::common::*;
use ferrotls::enums::CipherSuite;
use ferrotls::internal::codec::{Codec, Reader};
use ferrotls::internal::msgs::alert::Alert;
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::internal::msgs::extensions::ServerExtension;
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::{ClientConfig, ClientConnection, Error, PeerMisbehaved, ServerName};
use std::sync::Arc;

/// Rewrites the first handshake record in `buf` (each handshake message of a flight travels in
/// its own record) and fixes the lengths.
/// These findings were made against TLS 1.2 and replay its messages (renegotiation, records in
/// the clear, CertificateRequest and CertificateVerify of RFC 5246): the servers here speak 1.2.
fn server_config(
    f: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
) -> Arc<ferrotls::ServerConfig> {
    crate::common::server_config(|b| f(b.versions(V12, V12)))
}

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
    let verifier =
        WebPkiClientVerifier::new(Arc::new(store), &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER);
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
    use ferrotls::internal::msgs::client_hello::ClientHello;
    use ferrotls::internal::msgs::enums::{ExtensionType, ProtocolVersion};
    use ferrotls::internal::msgs::extensions::ClientExtension;
    let hello = ClientHello {
        client_version: ProtocolVersion::TLSv1_2,
        random: [1; 32],
        session_id: ferrotls::internal::msgs::SessionId::EMPTY,
        cipher_suites: vec![CipherSuite::from(0x002f), CipherSuite::from(0x00ff)],
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
    use ferrotls::internal::msgs::enums::ContentType;
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

// ---- tlsfuzzer findings (issue 13 item 5) ------------------------------------------------

/// Plaintext handshake records carrying `message` (split at 2^14 bytes), TLS 1.2 headers.
fn handshake_records(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in message.chunks(16_384) {
        out.extend_from_slice(&[22, 3, 3]);
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// Feeds `wire` to a new default server; returns its error and the alert it sent (plaintext:
/// these tests end before any keys are in use).
fn server_verdict(wire: &[u8]) -> (Result<(), Error>, Option<AlertDescription>) {
    let mut server = crate::common::server(server_config(|b| b));
    let mut outcome = Ok(());
    let mut off = 0;
    while off < wire.len() && outcome.is_ok() {
        let n = server.feed_tls(&wire[off..]);
        off += n;
        outcome = server.process().map(|_| ());
        if n == 0 {
            break;
        }
    }
    let mut out = Vec::new();
    server.take_tls(&mut out);
    let mut alert = None;
    let mut rest = &out[..];
    while rest.len() >= 5 {
        let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
        if rest[0] == 21 {
            alert = Some(alert_in(rest));
        }
        rest = &rest[5 + len..];
    }
    (outcome, alert)
}

/// A real client's first flight.
fn client_hello_bytes() -> Vec<u8> {
    let mut client = crate::common::client(client_config(|b| b));
    let mut out = Vec::new();
    client.take_tls(&mut out);
    out
}

/// RFC 5246 §7.4 (tlsfuzzer test-message-skipping, the "type fuzz" of
/// test-invalid-client-hello-w-record-overflow): a message the state does not wait for is
/// unexpected_message whatever its body; it used to be parsed first and get decode_error.
#[test]
fn an_out_of_place_handshake_message_is_unexpected_even_when_its_body_does_not_parse() {
    // A TLS 1.3-sized Finished (32 bytes of verify_data) in place of ClientHello.
    let mut finished = vec![20, 0, 0, 32];
    finished.extend_from_slice(&[7; 32]);
    // A ClientHello's body under the ServerHello type.
    let mut as_server_hello = client_hello_bytes()[5..].to_vec();
    as_server_hello[0] = 2;
    for message in [finished, as_server_hello] {
        let (outcome, alert) = server_verdict(&handshake_records(&message));
        assert!(
            matches!(outcome, Err(Error::PeerMisbehaved(PeerMisbehaved::UnexpectedMessage { .. }))),
            "{outcome:?}"
        );
        assert_eq!(alert, Some(AlertDescription::UnexpectedMessage));
    }
    // The twin: a malformed message of the expected type is still a decode error.
    let mut truncated = client_hello_bytes()[5..].to_vec();
    truncated.truncate(40);
    truncated[1..4].copy_from_slice(&[0, 0, 36]);
    let (_, alert) = server_verdict(&handshake_records(&truncated));
    assert_eq!(alert, Some(AlertDescription::DecodeError));
}

/// A ClientHello with `extensions` (a real client's, with `f` applied).
fn client_hello_with(f: impl FnOnce(&mut ferrotls::internal::msgs::client_hello::ClientHello)) -> Vec<u8> {
    let wire = client_hello_bytes();
    let mut msg = HandshakeMessage::read_versioned(&mut Reader::new(&wire[5..]), true).unwrap();
    match &mut msg.payload {
        HandshakePayload::ClientHello(ch) => f(ch),
        _ => unreachable!(),
    }
    msg.encoding()
}

/// RFC 5246 §7.4.1.4.1: `supported_signature_algorithms<2..2^16-2>`: an empty list is a
/// decode_error (tlsfuzzer test-signature-algorithms / test-tls13-... "empty").
#[test]
fn an_empty_signature_algorithms_list_is_a_decode_error() {
    use ferrotls::internal::msgs::extensions::ClientExtension;
    let empty = client_hello_with(|ch| {
        for e in &mut ch.extensions {
            if let ClientExtension::SignatureAlgorithms(list) = e {
                list.clear();
            }
        }
    });
    let (outcome, alert) = server_verdict(&handshake_records(&empty));
    assert!(outcome.is_err());
    assert_eq!(alert, Some(AlertDescription::DecodeError));
    // The twin: the untouched hello is answered.
    let (outcome, alert) = server_verdict(&client_hello_bytes());
    assert!(outcome.is_ok() && alert.is_none());
}

/// tlsfuzzer test-client-hello-max-size: the largest ClientHello RFC 5246's field bounds allow
/// (32-byte session ID, 32,767 cipher suites, 255 compression methods, 65,535 bytes of
/// extensions: 131,396 bytes of body) is answered; the cap used to be 2^17.
#[test]
fn the_largest_valid_client_hello_is_answered() {
    use ferrotls::internal::msgs::enums::ExtensionType;
    use ferrotls::internal::msgs::extensions::ClientExtension;
    let hello = client_hello_with(|ch| {
        ch.session_id = ferrotls::internal::msgs::SessionId::new(&[3; 32]).unwrap();
        let mut suites: Vec<CipherSuite> =
            (0x1000..0x1000 + 32_767 - ch.cipher_suites.len() as u16).map(CipherSuite::from).collect();
        suites.extend_from_slice(&ch.cipher_suites);
        ch.cipher_suites = suites;
        ch.compression_methods = (0..=254).rev().collect();
        let used: usize = ch.extensions.iter().map(|e| e.encoding().len()).sum();
        ch.extensions.push(ClientExtension::Unknown(ExtensionType::from(0xfe01), vec![0; 65_535 - used - 4]));
    });
    assert_eq!(hello.len(), 4 + 131_396);
    let (outcome, alert) = server_verdict(&handshake_records(&hello));
    outcome.unwrap();
    assert_eq!(alert, None);
    // The twin: one byte more in a field that has room is refused from its header.
    let mut longer = hello.clone();
    longer[1..4].copy_from_slice(&[0x02, 0x01, 0x45]);
    longer.push(0);
    let (outcome, _) = server_verdict(&handshake_records(&longer));
    assert!(outcome.is_err());
}

/// tlsfuzzer test-certificate-verify-malformed "0 byte sig": an empty signature decodes (the
/// field is `opaque<0..2^16-1>`) and fails verification: decrypt_error (RFC 5246 §7.2.2), not
/// decode_error.
#[test]
fn an_empty_certificate_verify_signature_is_decrypt_error() {
    use ferrotls::x509::{certs_from_pem, private_key_from_pem, WebPkiClientVerifier};
    let verifier =
        WebPkiClientVerifier::new(Arc::new(roots()), &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER);
    let s = server_config(|b| b.client_verifier(Arc::new(verifier)));
    let chain = certs_from_pem(include_bytes!("../fixtures/client-chain.pem")).unwrap();
    let key = private_key_from_pem(include_bytes!("../fixtures/client.key")).unwrap();
    let c = client_config(|b| b.client_auth_cert(chain, key));
    for empty in [true, false] {
        let mut client = crate::common::client(Arc::clone(&c));
        let mut server = crate::common::server(Arc::clone(&s));
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        // The client's second flight, one message per record: blank CertificateVerify's signature.
        let blank = &mut |buf: &mut Vec<u8>| {
            let mut off = 0;
            while off + 5 < buf.len() {
                let len = u16::from_be_bytes([buf[off + 3], buf[off + 4]]) as usize;
                if empty && buf[off] == 22 && buf[off + 5] == 15 {
                    // type, u24 length 4, scheme (2 bytes), signature length 0
                    let scheme = [buf[off + 9], buf[off + 10]];
                    let cv = [15, 0, 0, 4, scheme[0], scheme[1], 0, 0];
                    buf.splice(off + 3..off + 5 + len, [0, 8].into_iter().chain(cv));
                    return;
                }
                off += 5 + len;
            }
        };
        let outcome = transfer_with(&mut client, &mut server, blank);
        if empty {
            assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::InvalidCertificateVerify));
            assert_eq!(alert_received_by_client(&mut client, &mut server), AlertDescription::DecryptError);
        } else {
            outcome.unwrap();
        }
    }
}

fn alert_received_by_client(
    client: &mut ClientConnection,
    server: &mut ferrotls::ServerConnection,
) -> AlertDescription {
    match transfer(server, client) {
        Err(Error::AlertReceived(a)) => a,
        other => panic!("expected an alert, got {other:?}"),
    }
}

/// RFC 5246 §7.1: ChangeCipherSpec is one byte of value 1; a two-byte one is
/// unexpected_message (what OpenSSL sends and tlsfuzzer test-ccs expects), not illegal_parameter.
#[test]
fn a_two_byte_change_cipher_spec_is_unexpected_message() {
    let mut wire = client_hello_bytes();
    wire.extend_from_slice(&[20, 3, 3, 0, 2, 1, 1]);
    let (outcome, alert) = server_verdict(&wire);
    assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::BadChangeCipherSpec));
    assert_eq!(alert, Some(AlertDescription::UnexpectedMessage));
}

/// tlsfuzzer test-ssl-death-alert (CVE-2016-8610): four warning alerts in a row are tolerated,
/// the fifth ends the handshake with unexpected_message, as OpenSSL does. The limit used to be
/// the 32 of empty records, and the server waited for more.
#[test]
fn a_fifth_warning_alert_in_a_row_is_fatal() {
    let user_canceled = [21, 3, 3, 0, 2, 1, 90];
    for (alerts, refused) in [(4, false), (5, true)] {
        let mut wire = client_hello_bytes();
        for _ in 0..alerts {
            wire.extend_from_slice(&user_canceled);
        }
        let (outcome, alert) = server_verdict(&wire);
        if refused {
            assert_eq!(outcome.unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::TooManyEmptyRecords));
            assert_eq!(alert, Some(AlertDescription::UnexpectedMessage));
        } else {
            outcome.unwrap();
            assert_eq!(alert, None);
        }
    }
}

/// Found by the TLS 1.3 fuzz seeds (make_corpus): a TLS 1.3 server holding an RSA and an ECDSA
/// certificate (RSA added first) served RSA to a client whose signature_algorithms allow only
/// ECDSA, and failed with "no common signature scheme". At TLS 1.3 the resolver has no suites
/// to go by; the client's schemes must choose the certificate (RFC 8446 §4.4.2.2).
#[test]
fn a_tls13_server_with_rsa_and_ecdsa_certificates_serves_ecdsa_to_an_ecdsa_only_client() {
    use ferrotls::enums::SignatureScheme;
    use ferrotls::x509::{certs_from_pem, private_key_from_pem};
    let ecdsa = certs_from_pem(include_bytes!("../fixtures/ecdsa-p256-leaf.pem")).unwrap();
    let ecdsa_key = private_key_from_pem(include_bytes!("../fixtures/ecdsa-p256-leaf.key")).unwrap();
    let rsa = certs_from_pem(SERVER_CHAIN).unwrap();
    let rsa_key = private_key_from_pem(SERVER_KEY).unwrap();
    let config = Arc::new(
        ferrotls::ServerConfig::builder()
            .single_cert(rsa, rsa_key)
            .add_cert(ecdsa, ecdsa_key)
            .build()
            .unwrap(),
    );
    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(include_bytes!("../fixtures/ecdsa-p256-ca.pem")).unwrap();
    for (schemes, want) in [
        (vec![SignatureScheme::EcdsaSecp256r1Sha256], SignatureScheme::EcdsaSecp256r1Sha256),
        // The twin: a client that takes RSA-PSS too still gets the first certificate (RSA),
        // which its roots (ECDSA CA only) do not trust.
        (
            vec![SignatureScheme::RsaPssRsaeSha256, SignatureScheme::EcdsaSecp256r1Sha256],
            SignatureScheme::RsaPssRsaeSha256,
        ),
    ] {
        let client_config = Arc::new(
            ClientConfig::builder()
                .root_store(roots.clone())
                .signature_schemes(schemes.clone())
                .build()
                .unwrap(),
        );
        let mut c = client(client_config);
        let mut s = server(Arc::clone(&config));
        let result = handshake(&mut c, &mut s);
        if want == SignatureScheme::EcdsaSecp256r1Sha256 {
            result.unwrap_or_else(|e| panic!("{schemes:?}: {e}"));
            assert_eq!(c.protocol_version(), Some(ferrotls::ProtocolVersion::TLSv1_3));
            assert_eq!(s.signature_scheme(), Some(want));
        } else {
            assert!(result.is_err(), "{schemes:?}: the RSA certificate is not trusted by the ECDSA roots");
            assert_eq!(s.signature_scheme(), Some(want), "{schemes:?}: the server signed with RSA");
        }
    }
}
