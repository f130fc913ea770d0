//! ECDHE (RFC 8422): every ECDHE-RSA suite with every group, the negotiated group and schemes
//! as a user reads them, and the tampering twins: a forged ServerKeyExchange signature, an
//! invalid point, an all-zero X25519 share, no group or scheme in common.

use crate::common::*;
use ferrotls::crypto::{AuthenticationAlgorithm, KeyExchangeAlgorithm};
use ferrotls::enums::{NamedGroup, SignatureScheme};
use ferrotls::internal::handshake::flows;
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::{Error, PeerIncompatible, PeerMisbehaved, ProtocolVersion};

/// ECDHE as RFC 8422 has it is TLS 1.2 (ServerKeyExchange, ClientKeyExchange, supported_groups
/// without key_share): the servers here speak 1.2 (TLS 1.3's groups are in tests/api/tls13.rs).
fn server_config(
    f: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
) -> std::sync::Arc<ferrotls::ServerConfig> {
    crate::common::server_config(|b| f(b.versions(V12, V12)))
}

const GROUPS: [NamedGroup; 3] = [NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1];

fn ecdhe_rsa_suites() -> Vec<&'static ferrotls::crypto::Tls12CipherSuite> {
    ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER
        .cipher_suites
        .iter()
        .copied()
        .filter(|s| s.kx == KeyExchangeAlgorithm::Ecdhe && s.auth == AuthenticationAlgorithm::Rsa)
        .collect()
}

/// The offset of the first handshake record whose message is of type `typ`, in a buffer of
/// whole records (every handshake message travels in its own record here).
fn find_handshake(buf: &[u8], typ: u8) -> Option<(usize, usize)> {
    let mut off = 0;
    while off + 5 <= buf.len() {
        let len = u16::from_be_bytes([buf[off + 3], buf[off + 4]]) as usize;
        if buf[off] == 22 && buf.get(off + 5) == Some(&typ) {
            return Some((off + 5, len));
        }
        off += 5 + len;
    }
    None
}

#[test]
fn every_ecdhe_rsa_suite_completes_with_every_group() {
    for suite in ecdhe_rsa_suites() {
        for group in GROUPS {
            let what = format!("{} {}", suite.openssl_name, group.openssl_name());
            let c = client_config(|b| b.cipher_list(suite.openssl_name).kx_group_names(&[group]));
            let mut client = client(c);
            let mut server = server(server_config(|b| b));
            handshake(&mut client, &mut server).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(client.cipher_suite().map(|s| s.suite), Some(suite.suite), "{what}");
            assert_eq!(client.negotiated_group(), Some(group), "{what}");
            assert_eq!(server.negotiated_group(), Some(group), "{what}");
            // The server signs with its preferred scheme the client offered: RSA-PSS.
            assert_eq!(client.peer_signature_scheme(), Some(SignatureScheme::RsaPssRsaeSha256), "{what}");
            assert_eq!(server.signature_scheme(), client.peer_signature_scheme(), "{what}");
            assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL_WITH_TICKET, "{what}");
            let data: Vec<u8> = (0..40_000u32).map(|i| (i % 253) as u8).collect();
            client.write_plaintext(&data).unwrap();
            transfer(&mut client, &mut server).unwrap();
            assert!(read_all(&mut server) == data, "{what}: data differs");
            server.write_plaintext(b"pong").unwrap();
            transfer(&mut server, &mut client).unwrap();
            assert_eq!(read_all(&mut client), b"pong", "{what}");
        }
    }
}

#[test]
fn ecdhe_cbc_sha_suites_work_in_tls10_and_tls11_with_the_legacy_signature() {
    for version in [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1] {
        let c =
            client_config(|b| b.legacy(true).versions(version, version).cipher_list("ECDHE-RSA-AES128-SHA"));
        let mut client = client(c);
        // The legacy profile's default range (TLS 1.0 to 1.3) reaches the old client.
        let mut server = server(crate::common::server_config(|b| b.legacy(true)));
        handshake(&mut client, &mut server).unwrap();
        assert_eq!(client.protocol_version(), Some(version));
        assert_eq!(client.negotiated_group(), Some(NamedGroup::X25519));
        // TLS 1.0/1.1 signatures name no scheme (RFC 4492 §5.4).
        assert_eq!(client.peer_signature_scheme(), None);
    }
}

#[test]
fn the_server_picks_its_preferred_group_and_scheme_among_the_clients() {
    let c = client_config(|b| {
        b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1])
            .signature_schemes(vec![SignatureScheme::RsaPkcs1Sha384, SignatureScheme::RsaPssRsaeSha512])
    });
    let s = server_config(|b| {
        b.kx_group_names(&[NamedGroup::Secp384r1, NamedGroup::X25519])
            .signature_schemes(vec![SignatureScheme::RsaPkcs1Sha384, SignatureScheme::RsaPssRsaeSha256])
    });
    let mut client = client(c);
    let mut server = server(s);
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(NamedGroup::Secp384r1));
    assert_eq!(client.peer_signature_scheme(), Some(SignatureScheme::RsaPkcs1Sha384));
}

#[test]
fn a_forged_server_key_exchange_signature_is_decrypt_error() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    let err = transfer_with(&mut server, &mut client, &mut |b| {
        let (start, len) = find_handshake(b, 12).expect("ServerKeyExchange");
        b[start + len - 1] ^= 0x01;
    })
    .unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InvalidServerKeyExchangeSignature));
    assert_eq!(err.alert(), Some(AlertDescription::DecryptError));
    // A signed value changed under an intact signature fails the same way.
    let mut client = crate::common::client(client_config(|b| b));
    let mut server = crate::common::server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    let err = transfer_with(&mut server, &mut client, &mut |b| {
        let (start, _) = find_handshake(b, 12).expect("ServerKeyExchange");
        // type(1) len(3) curve_type(1) group(2) point_len(1): the point's first byte.
        b[start + 8] ^= 0x01;
    })
    .unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InvalidServerKeyExchangeSignature));
}

#[test]
fn an_invalid_client_point_is_illegal_parameter() {
    for (group, tamper) in [
        // Not on the curve: one coordinate byte changed.
        (NamedGroup::Secp256r1, &(|p: &mut [u8]| p[10] ^= 0x01) as &dyn Fn(&mut [u8])),
        (NamedGroup::Secp384r1, &|p: &mut [u8]| p[40] ^= 0x01),
        // Not an uncompressed point.
        (NamedGroup::Secp256r1, &|p: &mut [u8]| p[0] = 0x05),
        // RFC 7748 §6.1: a low-order point gives an all-zero secret.
        (NamedGroup::X25519, &|p: &mut [u8]| p.fill(0)),
    ] {
        let mut client = client(client_config(|b| b.kx_group_names(&[group])));
        let mut server = server(server_config(|b| b));
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        let err = transfer_with(&mut client, &mut server, &mut |b| {
            let (start, _) = find_handshake(b, 16).expect("ClientKeyExchange");
            let point_len = b[start + 4] as usize;
            tamper(&mut b[start + 5..start + 5 + point_len]);
        })
        .unwrap_err();
        assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare(group)), "{group:?}");
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
        let _ = transfer(&mut server, &mut client);
        assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::IllegalParameter)));
    }
}

#[test]
fn a_server_key_exchange_in_a_group_not_offered_is_illegal_parameter() {
    let mut client = client(client_config(|b| b.kx_group_names(&[NamedGroup::X25519])));
    let mut server = server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    // RFC 8422 §5.4: the group is checked before the signature (P-256 instead of X25519).
    let err = transfer_with(&mut server, &mut client, &mut |b| {
        let (start, _) = find_handshake(b, 12).expect("ServerKeyExchange");
        b[start + 5..start + 7].copy_from_slice(&[0x00, 0x17]);
    })
    .unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::SelectedUnofferedGroup(0x17)));
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

#[test]
fn no_common_group_falls_back_to_rsa_key_exchange_or_says_which_groups() {
    // With RSA key exchange allowed on both sides, the server picks that instead.
    let mut client = client(client_config(|b| b.kx_group_names(&[NamedGroup::Secp384r1])));
    let mut server = server(server_config(|b| b.kx_group_names(&[NamedGroup::X25519])));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), None);
    assert_eq!(client.cipher_suite().map(|s| s.kx), Some(KeyExchangeAlgorithm::Rsa));
    // ECDHE only: the server says which groups each side has.
    let mut client = crate::common::client(client_config(|b| {
        b.cipher_list("ECDHE-RSA-AES128-GCM-SHA256").kx_group_names(&[NamedGroup::Secp384r1])
    }));
    let mut server = crate::common::server(server_config(|b| b.kx_group_names(&[NamedGroup::X25519])));
    let err = handshake(&mut client, &mut server).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::PeerIncompatible(PeerIncompatible::NoUsableCipherSuite(_))), "{err:?}");
    assert!(
        text.contains("no key exchange group in common")
            && text.contains("[P-384]")
            && text.contains("[X25519]"),
        "{text}"
    );
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));
}

#[test]
fn no_common_signature_scheme_names_both_lists() {
    let mut client = client(client_config(|b| {
        b.cipher_list("ECDHE-RSA-AES128-GCM-SHA256")
            .signature_schemes(vec![SignatureScheme::RsaPssRsaeSha384])
    }));
    let mut server = server(server_config(|b| b.signature_schemes(vec![SignatureScheme::RsaPkcs1Sha256])));
    let err = handshake(&mut client, &mut server).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("no signature scheme in common")
            && text.contains("[rsa_pss_rsae_sha384]")
            && text.contains("RSA key can sign [rsa_pkcs1_sha256]"),
        "{text}"
    );
}

#[test]
fn ecdsa_suites_with_an_rsa_certificate_say_what_certificate_is_needed() {
    let mut client = client(client_config(|b| b.cipher_list("ECDHE-ECDSA-AES128-GCM-SHA256")));
    let mut server = server(server_config(|b| b));
    let err = handshake(&mut client, &mut server).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ECDHE-ECDSA (an ECDSA or Ed25519 certificate)") && text.contains("key is RSA"),
        "{text}"
    );
    // The client that offered only RSA key exchange to an ECDHE-only server is told to enable it.
    let mut client = crate::common::client(client_config(|b| b.cipher_list("AES128-SHA")));
    let mut server = crate::common::server(server_config(|b| b.cipher_list("ECDHE-RSA-AES128-GCM-SHA256")));
    let text = handshake(&mut client, &mut server).unwrap_err().to_string();
    assert!(text.contains("only RSA key exchange suites (AES128-SHA)") && text.contains("enable"), "{text}");
}

#[test]
fn a_client_without_supported_groups_is_assumed_to_do_p256() {
    // RFC 8422 §4: a client may leave the extensions out; the server assumes P-256.
    use ferrotls::internal::msgs::extensions::ClientExtension;
    let mut client = client(client_config(|b| b.cipher_list("ECDHE-RSA-AES128-GCM-SHA256")));
    let mut server = server(server_config(|b| b));
    transfer_with(
        &mut client,
        &mut server,
        &mut crate::resume::client_hello(|ch| {
            ch.extensions.retain(|e| {
                !matches!(e, ClientExtension::SupportedGroups(_) | ClientExtension::EcPointFormats(_))
            })
        }),
    )
    .unwrap();
    // The transcripts now differ, so the handshake fails at Finished; the choice is made.
    let _ = handshake(&mut client, &mut server);
    assert_eq!(server.negotiated_group(), Some(NamedGroup::Secp256r1));
}

#[test]
fn a_client_whose_point_formats_leave_out_uncompressed_is_illegal_parameter() {
    // RFC 8422 §5.1.2: curves in supported_groups but no uncompressed point format: the server
    // aborts with illegal_parameter (found by tlsfuzzer's test-point-extension).
    use ferrotls::internal::msgs::extensions::ClientExtension;
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    let err = transfer_with(
        &mut client,
        &mut server,
        &mut crate::resume::client_hello(|ch| {
            for e in ch.extensions.iter_mut() {
                if let ClientExtension::EcPointFormats(f) = e {
                    *f = vec![1, 2]; // the two compressed formats only
                }
            }
        }),
    )
    .unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::UncompressedPointFormatMissing));
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    assert!(err.to_string().contains("uncompressed"), "{err}");
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::IllegalParameter)));
}

#[test]
fn the_server_hello_answers_ec_point_formats_for_ecdhe_only() {
    // RFC 8422 §5.2: an ECDHE suite chosen for a client that sent ec_point_formats is answered
    // with the server's (uncompressed, 0x00); an RSA key-exchange suite is not (found by
    // tlsfuzzer's test-point-extension).
    let ext = [0x00, 0x0b, 0x00, 0x02, 0x01, 0x00];
    for (suite, want) in [("ECDHE-RSA-AES128-GCM-SHA256", true), ("AES128-GCM-SHA256", false)] {
        let mut client = client(client_config(|b| b.cipher_list(suite)));
        let mut server = server(server_config(|b| b));
        transfer(&mut client, &mut server).unwrap();
        let mut seen = None;
        transfer_with(&mut server, &mut client, &mut |b| {
            let (start, len) = find_handshake(b, 2).expect("ServerHello");
            seen = Some(b[start..start + 4 + len].windows(ext.len()).any(|w| w == ext));
        })
        .unwrap();
        assert_eq!(seen, Some(want), "{suite}");
        handshake(&mut client, &mut server).unwrap();
    }
}

#[test]
fn an_ecdsa_certificate_on_a_curve_the_client_did_not_list_is_not_served() {
    // TLS 1.2 only (TLS 1.3 ties curves to signature_algorithms instead).
    // RFC 8422 §5.3: the certificate's curve must be one the client listed (tlslite-ng and
    // OpenSSL refuse others). A P-384 server facing a client that lists X25519 and P-256 only
    // refuses, naming the curve; the twin with P-384 listed completes.
    let chain = ferrotls::x509::certs_from_pem(include_bytes!("../fixtures/ecdsa-p384-leaf.pem")).unwrap();
    let key =
        ferrotls::x509::private_key_from_pem(include_bytes!("../fixtures/ecdsa-p384-leaf.key")).unwrap();
    let config =
        std::sync::Arc::new(ferrotls::ServerConfig::builder().single_cert(chain, key).build().unwrap());
    let mut c = client(client_config(|b| {
        b.versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2)
            .kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp256r1])
    }));
    let mut s = server(config.clone());
    let err = handshake(&mut c, &mut s).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ECDSA P-384, a curve the client did not list") && text.contains("[X25519, P-256]"),
        "{text}"
    );
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));

    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(include_bytes!("../fixtures/ecdsa-p384-ca.pem")).unwrap();
    let mut c = client(std::sync::Arc::new(
        ferrotls::ClientConfig::builder()
            .root_store(roots)
            .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2)
            .kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1])
            .build()
            .unwrap(),
    ));
    let mut s = server(config);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
}
