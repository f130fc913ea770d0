//! The hybrid post-quantum group X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem, 0x11EC) in TLS 1.3
//! between ferrotls peers: negotiated when both sides configure it, across the two providers
//! (aws-lc's ML-KEM on one side, RustCrypto's on the other); a client that puts it first also
//! sends an X25519 share, so a server without it needs no HelloRetryRequest; a client offers
//! it only when configured.

use super::tls13::{configs, exchange_data};
use crate::common::*;
use ferrotls::crypto::CryptoProvider;
use ferrotls::enums::NamedGroup;
use ferrotls::internal::codec::Codec;
use ferrotls::internal::msgs::enums::{ExtensionType, HandshakeType};
use ferrotls::internal::msgs::extensions::ClientExtension;
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::x509::{certs_from_pem, private_key_from_pem};
use ferrotls::{ClientConfig, ProtocolVersion, ServerConfig};
use std::sync::Arc;

const HYBRID: NamedGroup = NamedGroup::X25519MLKEM768;

fn providers() -> Vec<(&'static str, CryptoProvider)> {
    let mut v = vec![("RustCrypto", ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER)];
    #[cfg(feature = "aws-lc")]
    v.push(("aws-lc", ferrotls::crypto::aws_lc::AWS_LC_PROVIDER));
    v
}

#[test]
fn x25519mlkem768_is_negotiated_between_every_pair_of_providers() {
    for (cname, cp) in providers() {
        for (sname, sp) in providers() {
            let server = ServerConfig::builder_with_provider(sp)
                .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3)
                .kx_group_names(&[HYBRID, NamedGroup::X25519])
                .single_cert(certs_from_pem(SERVER_CHAIN).unwrap(), private_key_from_pem(SERVER_KEY).unwrap())
                .build()
                .unwrap();
            let client = ClientConfig::builder_with_provider(cp)
                .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3)
                .kx_group_names(&[HYBRID, NamedGroup::X25519])
                .root_store(roots())
                .build()
                .unwrap();
            let (mut c, mut s) = (client_conn(Arc::new(client)), server_conn(Arc::new(server)));
            handshake(&mut c, &mut s).unwrap();
            let what = format!("{cname} client, {sname} server");
            assert_eq!(c.negotiated_group(), Some(HYBRID), "{what}");
            assert_eq!(s.negotiated_group(), Some(HYBRID), "{what}");
            exchange_data(&mut c, &mut s, &what);
        }
    }
}

fn client_conn(c: Arc<ClientConfig>) -> ferrotls::ClientConnection {
    crate::common::client(c)
}

fn server_conn(s: Arc<ServerConfig>) -> ferrotls::ServerConnection {
    crate::common::server(s)
}

/// The groups and key shares of the client's first ClientHello.
fn offered(client: &mut ferrotls::ClientConnection) -> (Vec<NamedGroup>, Vec<NamedGroup>) {
    let mut buf = Vec::new();
    client.take_tls(&mut buf);
    let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    let msg = HandshakeMessage::read_bytes(&buf[5..5 + len]).unwrap();
    let HandshakePayload::ClientHello(ch) = msg.payload else { panic!("not a ClientHello") };
    let groups = match ch.extension(ExtensionType::SupportedGroups) {
        Some(ClientExtension::SupportedGroups(g)) => g.clone(),
        _ => Vec::new(),
    };
    let shares = match ch.extension(ExtensionType::KeyShare) {
        Some(ClientExtension::Unknown(_, body)) => {
            ferrotls::internal::msgs::tls13::read_key_share_client(body)
                .unwrap()
                .into_iter()
                .map(|e| e.group)
                .collect()
        }
        _ => Vec::new(),
    };
    (groups, shares)
}

#[test]
fn a_client_offers_the_hybrid_only_when_configured_and_then_with_an_x25519_share() {
    let (c, _) = configs(0, |b| b, |b| b);
    let (groups, shares) = offered(&mut client_conn(c));
    assert!(!groups.contains(&HYBRID), "{groups:?}");
    assert_eq!(shares, [NamedGroup::X25519]);
    let (c, _) =
        configs(0, |b| b, |b| b.kx_group_names(&[HYBRID, NamedGroup::X25519, NamedGroup::Secp256r1]));
    let (groups, shares) = offered(&mut client_conn(c));
    assert_eq!(groups, [HYBRID, NamedGroup::X25519, NamedGroup::Secp256r1]);
    assert_eq!(shares, [HYBRID, NamedGroup::X25519]);
}

#[test]
fn a_server_without_the_hybrid_takes_the_x25519_share_without_a_retry() {
    let (c, s) = configs(
        0,
        |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp256r1]),
        |b| b.kx_group_names(&[HYBRID, NamedGroup::X25519]),
    );
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(NamedGroup::X25519));
    let hellos = server.received_handshake_types().iter().filter(|t| **t == HandshakeType::ClientHello);
    assert_eq!(hellos.count(), 1, "no HelloRetryRequest");
    // Twin: a client that offers the hybrid alone meets a server without it: no common group.
    let (c, s) = configs(0, |b| b.kx_group_names(&[NamedGroup::X25519]), |b| b.kx_group_names(&[HYBRID]));
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(err.to_string().contains("no common key exchange group"), "{err}");
}

#[test]
fn a_changed_hybrid_key_share_breaks_the_handshake() {
    let (c, s) = configs(0, |b| b.kx_group_names(&[HYBRID]), |b| b.kx_group_names(&[HYBRID]));
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    transfer(&mut client, &mut server).unwrap();
    // Flip a byte inside the ML-KEM ciphertext of the server's key share (ServerHello is the
    // first record: 5 bytes of record header, 4 of handshake header, then 2+32+1+32+2+2 bytes
    // before the extensions; the key share is the second extension, after supported_versions).
    let err = transfer_with(&mut server, &mut client, &mut |buf| {
        let at = buf.windows(4).position(|w| w == [0x00, 0x33, 0x04, 0x64]).expect("key_share of 1124 bytes");
        buf[at + 4 + 4 + 100] ^= 1;
    })
    .unwrap_err();
    // ML-KEM's implicit rejection gives the client another secret: it cannot read the
    // server's encrypted flight.
    assert_eq!(err, ferrotls::Error::DecryptError);
}
