//! ALPN (RFC 7301): negotiation in memory, the server's preference and selector, refusals,
//! and tampering twins for the ServerHello and ClientHello extensions.

use crate::common::*;
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::{AlpnSelection, Error, PeerIncompatible, PeerMisbehaved};
use std::sync::{Arc, Mutex};

fn protos(names: &[&str]) -> Vec<Vec<u8>> {
    names.iter().map(|n| n.as_bytes().to_vec()).collect()
}

/// Replaces the first occurrence of `from` in `buf` with `to` (same length).
fn replace(buf: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = buf.windows(from.len()).position(|w| w == from).expect("pattern on the wire");
    buf[at..at + from.len()].copy_from_slice(to);
}

#[test]
fn client_and_server_agree_on_a_common_protocol() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    let mut server = server(server_config(|b| b.alpn_protocols(protos(&["h2"]))));
    assert_eq!(client.alpn_protocol(), None);
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.alpn_protocol(), Some(&b"h2"[..]));
    assert_eq!(server.alpn_protocol(), Some(&b"h2"[..]));
}

#[test]
fn the_server_preference_order_decides() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["http/1.1", "h2"]))));
    let mut server = server(server_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.alpn_protocol(), Some(&b"h2"[..]));
    assert_eq!(server.alpn_protocol(), Some(&b"h2"[..]));
}

#[test]
fn no_overlap_is_refused_with_no_application_protocol() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["spdy/3"]))));
    let mut server = server(server_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::PeerIncompatible(PeerIncompatible::NoApplicationProtocol));
    assert!(err.to_string().contains("ALPN"));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::NoApplicationProtocol)));
}

#[test]
fn a_client_that_offers_no_alpn_gets_none_from_a_server_with_protocols() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b.alpn_protocols(protos(&["h2"]))));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.alpn_protocol(), None);
    assert_eq!(server.alpn_protocol(), None);
}

#[test]
fn a_server_without_alpn_ignores_the_clients_offer() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    let mut server = server(server_config(|b| b));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.alpn_protocol(), None);
    assert_eq!(server.alpn_protocol(), None);
}

#[test]
fn the_selector_sees_the_offers_in_client_order_and_its_choice_wins() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let selector = move |offered: &[Vec<u8>]| {
        *log.lock().unwrap() = offered.to_vec();
        AlpnSelection::Selected(offered.len() - 1)
    };
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    // The selector decides even against the server's own list.
    let mut server =
        server(server_config(|b| b.alpn_protocols(protos(&["h2"])).alpn_selector(Arc::new(selector))));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(*seen.lock().unwrap(), protos(&["h2", "http/1.1"]));
    assert_eq!(client.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(server.alpn_protocol(), Some(&b"http/1.1"[..]));
}

#[test]
fn a_selector_may_answer_without_alpn() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    let mut server =
        server(server_config(|b| b.alpn_selector(Arc::new(|_: &[Vec<u8>]| AlpnSelection::NoAck))));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.alpn_protocol(), None);
    assert_eq!(server.alpn_protocol(), None);
}

#[test]
fn a_selector_that_refuses_sends_no_application_protocol() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    let mut server =
        server(server_config(|b| b.alpn_selector(Arc::new(|_: &[Vec<u8>]| AlpnSelection::Fatal))));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::PeerIncompatible(PeerIncompatible::ApplicationProtocolRefused));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::NoApplicationProtocol)));
}

#[test]
fn a_selector_index_outside_the_offers_is_an_internal_error_not_a_panic() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    let mut server =
        server(server_config(|b| b.alpn_selector(Arc::new(|_: &[Vec<u8>]| AlpnSelection::Selected(7)))));
    assert!(matches!(handshake(&mut client, &mut server).unwrap_err(), Error::Internal(_)));
}

#[test]
fn invalid_protocol_lists_are_configuration_errors() {
    use ferrotls::{ClientConfig, ServerConfig};
    let too_long = vec![vec![b'x'; 255]; 300];
    for list in [vec![Vec::new()], vec![vec![b'x'; 256]], too_long] {
        let c = ClientConfig::builder().dangerous_no_verification().alpn_protocols(list.clone()).build();
        assert!(matches!(c, Err(Error::Config(ref m)) if m.contains("ALPN")), "{c:?}");
        let chain = ferrotls::x509::certs_from_pem(SERVER_CHAIN).unwrap();
        let key = ferrotls::x509::private_key_from_pem(SERVER_KEY).unwrap();
        let s = ServerConfig::builder().single_cert(chain, key).alpn_protocols(list).build();
        assert!(matches!(s, Err(Error::Config(ref m)) if m.contains("ALPN")));
    }
}

#[test]
fn a_server_hello_selecting_an_unoffered_protocol_is_illegal_parameter() {
    // TLS 1.2: the server's choice travels in the clear in ServerHello (1.3 encrypts it).
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    let mut server = server(server_config(|b| b.versions(V12, V12).alpn_protocols(protos(&["h2"]))));
    transfer(&mut client, &mut server).unwrap();
    // Twin of client_and_server_agree_on_a_common_protocol: "h2" becomes "h3" in ServerHello.
    let err =
        transfer_with(&mut server, &mut client, &mut |buf| replace(buf, &[2, b'h', b'2'], &[2, b'h', b'3']))
            .unwrap_err();
    assert_eq!(
        err,
        Error::PeerMisbehaved(PeerMisbehaved::SelectedUnofferedApplicationProtocol(b"h3".to_vec()))
    );
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

#[test]
fn a_server_hello_with_alpn_the_client_never_offered_is_illegal_parameter() {
    let mut client = client(client_config(|b| b));
    // TLS 1.2: a ServerHello meant for another ClientHello (1.3 would refuse the session ID).
    let mut server = server(server_config(|b| b.versions(V12, V12).alpn_protocols(protos(&["h2"]))));
    // A server that answers anyway: give it a client that did offer, then hand its reply to ours.
    let mut offering = crate::common::client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    transfer(&mut offering, &mut server).unwrap();
    let mut ignored = Vec::new();
    client.take_tls(&mut ignored);
    let err = transfer(&mut server, &mut client).unwrap_err();
    assert_eq!(
        err,
        Error::PeerMisbehaved(PeerMisbehaved::SelectedUnofferedApplicationProtocol(b"h2".to_vec()))
    );
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

#[test]
fn a_malformed_server_alpn_is_a_decode_error() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2"]))));
    // TLS 1.2: the ALPN extension in the clear in ServerHello.
    let mut server = server(server_config(|b| b.versions(V12, V12).alpn_protocols(protos(&["h2"]))));
    transfer(&mut client, &mut server).unwrap();
    // The one name's length becomes 0: an empty ProtocolName followed by two stray bytes.
    let err = transfer_with(&mut server, &mut client, &mut |buf| {
        replace(buf, &[0, 16, 0, 5, 0, 3, 2], &[0, 16, 0, 5, 0, 3, 0])
    })
    .unwrap_err();
    assert!(matches!(err, Error::InvalidMessage(_)), "{err:?}");
    assert_eq!(err.alert(), Some(AlertDescription::DecodeError));
}

#[test]
fn a_malformed_client_alpn_is_a_decode_error() {
    let mut client = client(client_config(|b| b.alpn_protocols(protos(&["h2", "http/1.1"]))));
    let mut server = server(server_config(|b| b.alpn_protocols(protos(&["h2"]))));
    // An empty first ProtocolName (RFC 7301 §3.1: names are <1..2^8-1>).
    let err = transfer_with(&mut client, &mut server, &mut |buf| {
        replace(buf, &[0, 12, 2, b'h'], &[0, 12, 0, b'h'])
    })
    .unwrap_err();
    assert!(matches!(err, Error::InvalidMessage(_)), "{err:?}");
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::DecodeError)));
}
