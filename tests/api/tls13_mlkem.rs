//! The hybrid post-quantum group X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem, 0x11EC) in TLS 1.3
//! between ferrotls peers: negotiated by default, without a HelloRetryRequest, across the two
//! providers (aws-lc's ML-KEM on one side, RustCrypto's on the other); a client that puts it
//! first also sends an X25519 share, so a server without it needs no HelloRetryRequest; a
//! client that cannot speak TLS 1.3 never offers it.

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
    vec![
        ("RustCrypto", ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER),
        #[cfg(feature = "aws-lc")]
        ("aws-lc", ferrotls::crypto::aws_lc::AWS_LC_PROVIDER),
    ]
}

/// Whether `conn` took a HelloRetryRequest: the hello it receives (ServerHello on a client,
/// whose HelloRetryRequest is a ServerHello; ClientHello on a server) came twice.
fn retried(conn: &ferrotls::ConnectionCommon, kind: HandshakeType) -> bool {
    conn.received_handshake_types().iter().filter(|t| **t == kind).count() > 1
}

#[test]
fn default_peers_negotiate_x25519mlkem768_without_a_retry_between_every_pair_of_providers() {
    for (cname, cp) in providers() {
        for (sname, sp) in providers() {
            // Nothing configured but the certificate and the trust anchors: the defaults.
            let server = ServerConfig::builder_with_provider(sp)
                .single_cert(certs_from_pem(SERVER_CHAIN).unwrap(), private_key_from_pem(SERVER_KEY).unwrap())
                .build()
                .unwrap();
            let client = ClientConfig::builder_with_provider(cp).root_store(roots()).build().unwrap();
            let (mut c, mut s) = (client_conn(Arc::new(client)), server_conn(Arc::new(server)));
            handshake(&mut c, &mut s).unwrap();
            let what = format!("{cname} client, {sname} server");
            assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3), "{what}");
            assert_eq!(c.negotiated_group(), Some(HYBRID), "{what}");
            assert_eq!(s.negotiated_group(), Some(HYBRID), "{what}");
            assert!(
                !retried(&c, HandshakeType::ServerHello) && !retried(&s, HandshakeType::ClientHello),
                "{what}"
            );
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
fn a_default_client_offers_the_hybrid_first_with_an_x25519_share_and_only_at_tls13() {
    let (x, p256, p384) = (NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1);
    let (c, _) = configs(0, |b| b, |b| b);
    let (groups, shares) = offered(&mut client_conn(c));
    assert_eq!(groups, [HYBRID, x, p256, p384]);
    assert_eq!(shares, [HYBRID, x]);
    // At most TLS 1.2 (versions pinned, or no TLS 1.3 suite): no hybrid and no key_share.
    for c in [
        configs(0, |b| b, |b| b.versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2)).0,
        configs(0, |b| b, |b| b.tls13_ciphersuites("")).0,
    ] {
        let (groups, shares) = offered(&mut client_conn(c));
        assert_eq!(groups, [x, p256, p384]);
        assert!(shares.is_empty(), "{shares:?}");
    }
    // Configured: exactly those groups; a share for the first, and an X25519 one beside a
    // hybrid first group when X25519 is listed too (as rustls does).
    for (set, want) in [
        (vec![HYBRID, x, p256], vec![HYBRID, x]),
        (vec![HYBRID, p256, x], vec![HYBRID, x]),
        (vec![HYBRID, p256], vec![HYBRID]),
        (vec![p256, HYBRID], vec![p256]),
        (vec![x, HYBRID], vec![x]),
    ] {
        let (c, _) = configs(0, |b| b, |b| b.kx_group_names(&set));
        let (groups, shares) = offered(&mut client_conn(c));
        assert_eq!(groups, set);
        assert_eq!(shares, want, "{set:?}");
    }
}

#[test]
fn a_client_configured_without_the_hybrid_gets_x25519_from_a_default_server() {
    for set in [&[NamedGroup::X25519, NamedGroup::Secp256r1][..], &[NamedGroup::X25519, HYBRID]] {
        let (c, s) = configs(0, |b| b, |b| b.kx_group_names(set));
        let (mut client, mut server) = (client_conn(c), server_conn(s));
        handshake(&mut client, &mut server).unwrap();
        assert_eq!(client.negotiated_group(), Some(NamedGroup::X25519), "{set:?}");
        assert_eq!(server.negotiated_group(), Some(NamedGroup::X25519), "{set:?}");
        // The share the client sent settles it (RFC 8446 §4.2.8): no retry for the hybrid.
        assert!(!retried(&server, HandshakeType::ClientHello), "{set:?}");
        exchange_data(&mut client, &mut server, "X25519");
    }
}

#[test]
fn a_server_retries_for_the_hybrid_when_no_share_fits() {
    // The client lists the hybrid but shares P-384, which the server does not do.
    let (c, s) = configs(
        0,
        |b| b.kx_group_names(&[HYBRID, NamedGroup::X25519]),
        |b| b.kx_group_names(&[NamedGroup::Secp384r1, HYBRID]),
    );
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(HYBRID));
    assert!(retried(&client, HandshakeType::ServerHello) && retried(&server, HandshakeType::ClientHello));
    exchange_data(&mut client, &mut server, "after HRR to the hybrid");
}

#[test]
fn a_server_without_the_hybrid_takes_the_x25519_share_without_a_retry() {
    let (c, s) = configs(0, |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp256r1]), |b| b);
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(NamedGroup::X25519));
    assert!(!retried(&client, HandshakeType::ServerHello), "no HelloRetryRequest");
    assert!(!retried(&server, HandshakeType::ClientHello), "no HelloRetryRequest");
    // Twin: a client that offers the hybrid alone meets a server without it: no common group.
    let (c, s) = configs(0, |b| b.kx_group_names(&[NamedGroup::X25519]), |b| b.kx_group_names(&[HYBRID]));
    let (mut client, mut server) = (client_conn(c), server_conn(s));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(err.to_string().contains("no common key exchange group"), "{err}");
}

#[test]
fn a_changed_hybrid_ciphertext_breaks_the_handshake() {
    let (c, s) = configs(0, |b| b, |b| b);
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

#[test]
fn a_bad_hybrid_client_share_is_refused_with_illegal_parameter() {
    // The client's hybrid share: 0x11EC, length 1216 (ML-KEM-768 encapsulation key, 1184
    // bytes, then the X25519 public key, 32).
    fn share_at(buf: &[u8]) -> usize {
        buf.windows(4).position(|w| w == [0x11, 0xec, 0x04, 0xc0]).expect("hybrid share of 1216 bytes") + 4
    }
    type Tamper = fn(&mut Vec<u8>);
    let tampers: [(&str, Tamper); 2] = [
        // FIPS 203 §7.2: a coefficient of 4095 (>= q = 3329) is not a valid encapsulation key.
        ("ML-KEM encapsulation key", |buf| {
            let at = share_at(buf);
            buf[at..at + 3].fill(0xff);
        }),
        // The all-zero X25519 point gives the all-zero secret (RFC 8446 §7.4.2).
        ("X25519 part", |buf| {
            let at = share_at(buf) + 1184;
            buf[at..at + 32].fill(0);
        }),
    ];
    for (what, tamper) in tampers {
        let (c, s) = configs(0, |b| b, |b| b);
        let (mut client, mut server) = (client_conn(c), server_conn(s));
        let err = transfer_with(&mut client, &mut server, &mut |b| tamper(b)).unwrap_err();
        assert!(err.to_string().contains("invalid key share"), "{what}: {err}");
        let _ = transfer(&mut server, &mut client);
        assert_eq!(
            client.error(),
            Some(&ferrotls::Error::AlertReceived(
                ferrotls::internal::msgs::enums::AlertDescription::IllegalParameter
            )),
            "{what}"
        );
    }
}
