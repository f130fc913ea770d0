//! TLS 1.3 between a ferrotls client and a ferrotls server in memory: every suite, group and
//! certificate key type; HelloRetryRequest; KeyUpdate both ways; version negotiation with
//! 1.2-only peers; and the tampering twins a man in the middle can cause (a stripped
//! supported_versions meets the downgrade sentinel; a changed ClientHello breaks the keys).

use crate::common::*;
use ferrotls::crypto::SupportedCipherSuite;
use ferrotls::enums::NamedGroup;
use ferrotls::internal::codec::Codec;
use ferrotls::internal::msgs::client_hello::ClientHello;
use ferrotls::internal::msgs::enums::{AlertDescription, ExtensionType};
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::x509::{certs_from_pem, private_key_from_pem, RootCertStore};
use ferrotls::{ClientConfig, Error, ProtocolVersion, ServerConfig};
use std::sync::Arc;

const TLS13: ProtocolVersion = ProtocolVersion::TLSv1_3;
const SUITES: [&str; 3] =
    ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
const GROUPS: [NamedGroup; 3] = [NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1];

/// (name, CA, leaf chain, key) for a certificate key type under test.
type KeyFixture = (&'static str, &'static [u8], &'static [u8], &'static [u8]);

const KEYS: [KeyFixture; 4] = [
    ("RSA", CA, SERVER_CHAIN, SERVER_KEY),
    (
        "ECDSA P-256",
        include_bytes!("../fixtures/ecdsa-p256-ca.pem"),
        include_bytes!("../fixtures/ecdsa-p256-leaf.pem"),
        include_bytes!("../fixtures/ecdsa-p256-leaf.key"),
    ),
    (
        "ECDSA P-384",
        include_bytes!("../fixtures/ecdsa-p384-ca.pem"),
        include_bytes!("../fixtures/ecdsa-p384-leaf.pem"),
        include_bytes!("../fixtures/ecdsa-p384-leaf.key"),
    ),
    (
        "Ed25519",
        include_bytes!("../fixtures/ed25519-ca.pem"),
        include_bytes!("../fixtures/ed25519-leaf.pem"),
        include_bytes!("../fixtures/ed25519-leaf.key"),
    ),
];

pub(crate) fn configs(
    key: usize,
    s: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
    c: impl FnOnce(ferrotls::config::ClientConfigBuilder) -> ferrotls::config::ClientConfigBuilder,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let (_, ca, chain, pem_key) = KEYS[key];
    let server = ServerConfig::builder()
        .versions(ProtocolVersion::TLSv1_2, TLS13)
        .single_cert(certs_from_pem(chain).unwrap(), private_key_from_pem(pem_key).unwrap());
    let server = Arc::new(s(server).build().unwrap());
    let mut roots = RootCertStore::empty();
    roots.add_pem(ca).unwrap();
    let client = ClientConfig::builder().versions(ProtocolVersion::TLSv1_2, TLS13).root_store(roots);
    (Arc::new(c(client).build().unwrap()), server)
}

pub(crate) fn exchange_data(
    client: &mut ferrotls::ClientConnection,
    server: &mut ferrotls::ServerConnection,
    what: &str,
) {
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    client.write_plaintext(&data).unwrap();
    transfer(client, server).unwrap();
    assert!(read_all(server) == data, "{what}: client→server data differs");
    server.write_plaintext(&data[..3000]).unwrap();
    transfer(server, client).unwrap();
    assert!(read_all(client) == data[..3000], "{what}: server→client data differs");
}

#[test]
fn every_suite_group_and_key_type_completes_and_carries_data() {
    for (key, (key_name, ..)) in KEYS.iter().enumerate() {
        for suite in SUITES {
            for group in GROUPS {
                let what = format!("{key_name} {suite} {group:?}");
                let (c, s) = configs(
                    key,
                    |b| b.tls13_ciphersuites(suite).kx_group_names(&[group]),
                    |b| b.kx_group_names(&[group]),
                );
                let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
                handshake(&mut client, &mut server).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(client.protocol_version(), Some(TLS13), "{what}");
                assert_eq!(server.protocol_version(), Some(TLS13), "{what}");
                let negotiated = client.negotiated_cipher_suite().unwrap();
                assert!(matches!(negotiated, SupportedCipherSuite::Tls13(_)), "{what}");
                assert_eq!(negotiated.iana_name, suite, "{what}");
                assert_eq!(client.negotiated_group(), Some(group), "{what}");
                assert_eq!(server.negotiated_group(), Some(group), "{what}");
                assert!(!client.peer_certificates().is_empty(), "{what}");
                // 1.3 has neither EMS nor EtM; the cipher suite of the 1.2 API is none.
                assert!(client.cipher_suite().is_none() && !client.extended_master_secret(), "{what}");
                exchange_data(&mut client, &mut server, &what);
            }
        }
    }
}

#[test]
fn hello_retry_request_when_the_server_wants_another_group() {
    // The client sends an X25519 share first; the server only does P-384.
    let (c, s) = configs(
        0,
        |b| b.kx_group_names(&[NamedGroup::Secp384r1]),
        |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1]),
    );
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(NamedGroup::Secp384r1));
    use ferrotls::internal::msgs::enums::HandshakeType as H;
    // The server saw two ClientHellos (the second answering the HelloRetryRequest).
    assert_eq!(server.received_handshake_types().iter().filter(|t| **t == H::ClientHello).count(), 2);
    exchange_data(&mut client, &mut server, "after HRR");
}

#[test]
fn no_common_group_is_a_handshake_failure_that_says_so() {
    let (c, s) = configs(
        0,
        |b| b.kx_group_names(&[NamedGroup::Secp384r1]),
        |b| b.kx_group_names(&[NamedGroup::X25519]),
    );
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(err.to_string().contains("no common key exchange group"), "{err}");
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::HandshakeFailure)));
}

#[test]
fn key_update_both_ways_with_data_after_it() {
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    // The client updates and asks the server to update too; the server answers with its own.
    client.send_key_update(true).unwrap();
    transfer(&mut client, &mut server).unwrap();
    transfer(&mut server, &mut client).unwrap();
    assert_eq!(client.key_updates(), (1, 1));
    assert_eq!(server.key_updates(), (1, 1));
    exchange_data(&mut client, &mut server, "after client KeyUpdate");
    // Now the server updates, without asking.
    server.send_key_update(false).unwrap();
    exchange_data(&mut client, &mut server, "after server KeyUpdate");
    assert_eq!(server.key_updates(), (2, 1));
    assert_eq!(client.key_updates(), (1, 2));
    // Under TLS 1.2 there is no KeyUpdate.
    let (c, s) = configs(0, |b| b.versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2), |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    assert!(matches!(client.send_key_update(false), Err(Error::Usage(_))));
}

#[test]
fn a_13_capable_side_talks_12_with_a_12_only_peer_both_ways() {
    for (server_max, client_max) in [(ProtocolVersion::TLSv1_2, TLS13), (TLS13, ProtocolVersion::TLSv1_2)] {
        let (c, s) = configs(
            0,
            |b| b.versions(ProtocolVersion::TLSv1_2, server_max),
            |b| b.versions(ProtocolVersion::TLSv1_2, client_max),
        );
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        handshake(&mut client, &mut server).unwrap();
        assert_eq!(client.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        exchange_data(&mut client, &mut server, "1.2 fallback");
    }
}

/// Rewrites the first record (a ClientHello) with `f` applied to the decoded message.
pub(crate) fn rewrite_client_hello(buf: &mut Vec<u8>, f: impl FnOnce(&mut ClientHello)) {
    let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    let mut msg = HandshakeMessage::read_bytes(&buf[5..5 + len]).unwrap();
    let HandshakePayload::ClientHello(ch) = &mut msg.payload else { panic!("not a ClientHello") };
    f(ch);
    let body = msg.encoding();
    let mut out = buf[..3].to_vec();
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&buf[5 + len..]);
    *buf = out;
}

#[test]
fn stripping_supported_versions_meets_the_downgrade_sentinel() {
    // Happy twin: the same stripping against a server whose maximum is 1.2 carries no
    // sentinel, and the handshake (at 1.2) completes.
    for (server_max, expect_ok) in [(ProtocolVersion::TLSv1_2, true), (TLS13, false)] {
        let (c, s) = configs(0, |b| b.versions(ProtocolVersion::TLSv1_2, server_max), |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        transfer_with(&mut client, &mut server, &mut |buf| {
            rewrite_client_hello(buf, |ch| {
                ch.extensions.retain(|e| e.ext_type() != ExtensionType::SupportedVersions)
            })
        })
        .unwrap();
        let result = transfer(&mut server, &mut client);
        if expect_ok {
            result.unwrap();
            // The client's Finished covers the real ClientHello, so the server sees the
            // tampering at the end: the handshake does not complete.
            assert!(handshake(&mut client, &mut server).is_err());
            continue;
        }
        let err = result.unwrap_err();
        assert!(err.to_string().contains("downgrade sentinel"), "{err}");
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    }
}

#[test]
fn a_changed_client_hello_breaks_the_handshake_keys() {
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer_with(&mut client, &mut server, &mut |buf| rewrite_client_hello(buf, |ch| ch.random[0] ^= 1))
        .unwrap();
    // The server answers; the client derives other handshake keys and cannot read the
    // encrypted flight (bad_record_mac), as a man in the middle would find.
    let err = transfer(&mut server, &mut client).unwrap_err();
    assert_eq!(err, Error::DecryptError);
}

#[test]
fn alerts_other_than_close_notify_are_fatal_in_13() {
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    // A warning-level unexpected_message: fatal under 1.3 (RFC 8446 §6).
    client.dangerous_send_raw_record(ferrotls::enums::ContentType::Alert, &[1, 10]).unwrap();
    let err = transfer(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::AlertReceived(AlertDescription::UnexpectedMessage));
    // Twin: close_notify closes cleanly.
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    client.send_close_notify();
    transfer(&mut client, &mut server).unwrap();
    assert!(server.peer_has_closed());
}

#[test]
fn exporter_and_key_log_under_tls13() {
    type Line = (String, [u8; 32], Vec<u8>);
    #[derive(Debug, Default)]
    struct Collect(std::sync::Mutex<Vec<Line>>);
    impl ferrotls::config::KeyLog for Collect {
        fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
            self.0.lock().unwrap().push((label.to_owned(), *client_random, secret.to_vec()));
        }
    }
    let (client_log, server_log) = (Arc::new(Collect::default()), Arc::new(Collect::default()));
    let (cl, sl) = (client_log.clone(), server_log.clone());
    let (c, s) = configs(0, |b| b.key_log(sl), |b| b.key_log(cl));
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    // RFC 8446 §7.5: both sides derive the same keying material; label and context matter.
    let a = client.export_keying_material(b"EXPORTER-test", Some(b"ctx"), 40).unwrap();
    assert_eq!(a, server.export_keying_material(b"EXPORTER-test", Some(b"ctx"), 40).unwrap());
    assert_ne!(a, client.export_keying_material(b"EXPORTER-test", Some(b"other"), 40).unwrap());
    assert_ne!(a, client.export_keying_material(b"EXPORTER-other", Some(b"ctx"), 40).unwrap());
    // In TLS 1.3 no context and an empty context are the same.
    assert_eq!(
        client.export_keying_material(b"EXPORTER-test", None, 16).unwrap(),
        client.export_keying_material(b"EXPORTER-test", Some(b""), 16).unwrap()
    );
    // Both sides log the five TLS 1.3 secrets under one ClientHello.random, with equal values.
    let labels = [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ];
    let (cl, sl) = (client_log.0.lock().unwrap(), server_log.0.lock().unwrap());
    for label in labels {
        let c = cl.iter().find(|(l, ..)| l == label).unwrap_or_else(|| panic!("client did not log {label}"));
        let s = sl.iter().find(|(l, ..)| l == label).unwrap_or_else(|| panic!("server did not log {label}"));
        assert_eq!((c.1, &c.2), (s.1, &s.2), "{label}");
        assert_eq!(c.2.len(), 48, "{label}: SHA-384 suite first in the default order");
    }
    assert!(!cl.iter().any(|(l, ..)| l == "CLIENT_RANDOM"), "no TLS 1.2 line under 1.3");
}

#[test]
fn mutual_authentication_in_the_tls13_handshake_and_its_refusals() {
    use ferrotls::x509::{CertificateDer, ClientCertVerifier, UnixTime};
    const CLIENT_CERT: &[u8] = include_bytes!("../fixtures/client.pem");
    const CLIENT_KEY: &[u8] = include_bytes!("../fixtures/client.key");
    #[derive(Debug)]
    struct Pinned {
        der: Vec<u8>,
        mandatory: bool,
    }
    impl ClientCertVerifier for Pinned {
        fn root_hint_subjects(&self) -> Vec<Vec<u8>> {
            Vec::new()
        }
        fn client_auth_mandatory(&self) -> bool {
            self.mandatory
        }
        fn verify_client_cert(
            &self,
            ee: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: UnixTime,
        ) -> Result<(), ferrotls::CertificateError> {
            if ee.as_ref() == self.der.as_slice() {
                Ok(())
            } else {
                Err(ferrotls::CertificateError::UnknownIssuer)
            }
        }
    }
    let leaf = certs_from_pem(CLIENT_CERT).unwrap()[0].as_ref().to_vec();
    let verifier = |mandatory| Arc::new(Pinned { der: leaf.clone(), mandatory });
    // With a certificate: both sides see it, at TLS 1.3.
    let (c, s) = configs(
        0,
        |b| b.client_verifier(verifier(true)),
        |b| {
            b.client_auth_cert(
                certs_from_pem(CLIENT_CERT).unwrap(),
                private_key_from_pem(CLIENT_KEY).unwrap(),
            )
        },
    );
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(server.protocol_version(), Some(TLS13));
    assert!(client.client_certificate_sent());
    assert_eq!(server.peer_certificates()[0].as_ref(), &leaf[..]);
    exchange_data(&mut client, &mut server, "mutual auth");
    // Without one: optional goes on unauthenticated; required is certificate_required.
    for mandatory in [false, true] {
        let (c, s) = configs(0, |b| b.client_verifier(verifier(mandatory)), |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        let result = handshake(&mut client, &mut server);
        if mandatory {
            assert_eq!(result.unwrap_err().alert(), Some(AlertDescription::CertificateRequired));
        } else {
            result.unwrap();
            assert!(server.peer_certificates().is_empty());
            assert!(!client.client_certificate_sent());
        }
    }
}

// --- tlsfuzzer findings (issue 12: the TLS 1.3 scripts, docs/conformance.md) ------------------

/// The alert a fatal error makes the server send.
fn server_alert(err: &Error) -> Option<AlertDescription> {
    err.alert()
}

/// test-tls13-keyupdate: a KeyUpdate whose request_update is neither 0 nor 1 got decode_error;
/// RFC 8446 §4.6.3 says illegal_parameter. A KeyUpdate of the wrong length stays decode_error.
#[test]
fn a_key_update_with_an_unknown_request_value_is_illegal_parameter() {
    use ferrotls::enums::ContentType;
    for (body, alert) in [
        (&[24u8, 0, 0, 1, 2][..], AlertDescription::IllegalParameter),
        (&[24, 0, 0, 1, 255][..], AlertDescription::IllegalParameter),
        (&[24, 0, 0, 2, 1, 0][..], AlertDescription::DecodeError),
    ] {
        let (c, s) = configs(0, |b| b, |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        handshake(&mut client, &mut server).unwrap();
        client.dangerous_send_raw_record(ContentType::Handshake, body).unwrap();
        let err = transfer(&mut client, &mut server).unwrap_err();
        assert_eq!(server_alert(&err), Some(alert), "{body:?}: {err}");
    }
}

/// test-tls13-empty-alert: an alert record with no content, under handshake or application
/// keys, got decode_error; RFC 8446 §5.4 says unexpected_message.
#[test]
fn an_empty_alert_record_is_unexpected_message_in_13() {
    use ferrotls::enums::ContentType;
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    client.dangerous_send_raw_record(ContentType::Alert, &[]).unwrap();
    let err = transfer(&mut client, &mut server).unwrap_err();
    assert_eq!(server_alert(&err), Some(AlertDescription::UnexpectedMessage), "{err}");
    // Twin: a two-byte alert is read as one (close_notify closes cleanly).
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    client.dangerous_send_raw_record(ContentType::Alert, &[1, 0]).unwrap();
    transfer(&mut client, &mut server).unwrap();
    assert!(server.peer_has_closed());
}

/// test-tls13-legacy-version: a ClientHello offering TLS 1.3 in supported_versions with a
/// legacy_version of SSL 3.0 or below was served; RFC 8446 Appendix D.5 says protocol_version.
#[test]
fn a_13_client_hello_with_legacy_version_ssl3_or_below_is_protocol_version() {
    for v in [0x0300u16, 0x0200, 0x0000, 0x0103] {
        let (c, s) = configs(0, |b| b, |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        let err = transfer_with(&mut client, &mut server, &mut |buf| {
            rewrite_client_hello(buf, |ch| ch.client_version = ProtocolVersion::from(v))
        })
        .unwrap_err();
        assert_eq!(server_alert(&err), Some(AlertDescription::ProtocolVersion), "0x{v:04x}: {err}");
    }
    // Twin: legacy_version TLS 1.0 is ignored as RFC 8446 §4.2.1 says (the server answers; the
    // client then fails on the changed transcript, which is not the server's concern here).
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer_with(&mut client, &mut server, &mut |buf| {
        rewrite_client_hello(buf, |ch| ch.client_version = ProtocolVersion::TLSv1_0)
    })
    .unwrap();
    assert!(server.wants_write(), "the server answers a TLS 1.0 legacy_version hello");
}

/// test-tls13-multiple-ccs-messages: the compatibility ChangeCipherSpec a client sends before
/// it has read our ServerHello carried the record version of its first record (0x0300 from
/// tlslite) and got protocol_version, though RFC 8446 §5.1 ignores that field; and a second
/// ChangeCipherSpec was dropped like the first, where OpenSSL and tlsfuzzer want
/// unexpected_message (§D.4: the peer sends one).
#[test]
fn one_compatibility_change_cipher_spec_any_record_version_and_no_second() {
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer(&mut client, &mut server).unwrap();
    server.feed_tls(&[20, 3, 0, 0, 1, 1]);
    server.process().unwrap();
    assert!(server.wants_write(), "the server answers the ClientHello");
    // (Our own client sends its compatibility ChangeCipherSpec too: one, and the handshake
    // completes, as every other TLS 1.3 test here shows.)
    // A second one (before the client's Finished): unexpected_message.
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer(&mut client, &mut server).unwrap();
    server.feed_tls(&[20, 3, 3, 0, 1, 1, 20, 3, 3, 0, 1, 1]);
    let err = server.process().unwrap_err();
    assert_eq!(server_alert(&err), Some(AlertDescription::UnexpectedMessage), "{err}");
}

/// test-tls13-record-layer-limits: a protected TLS 1.3 record longer than 2^14 + 256 bytes went
/// to the AEAD (bad_record_mac); RFC 8446 §5.2 says record_overflow, whatever it holds.
#[test]
fn a_13_record_over_2_14_plus_256_is_record_overflow_before_decryption() {
    for (len, overflow) in [(16384 + 257, true), (16384 + 256, false)] {
        let (c, s) = configs(0, |b| b, |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        handshake(&mut client, &mut server).unwrap();
        let mut record = vec![23, 3, 3];
        record.extend_from_slice(&(len as u16).to_be_bytes());
        record.resize(5 + len, 0x5a);
        let mut off = 0;
        while off < record.len() {
            off += server.feed_tls(&record[off..]);
        }
        let err = server.process().unwrap_err();
        // Twin: at the limit the record is opened, and its garbage fails authentication.
        let want = if overflow { Error::RecordOverflow } else { Error::DecryptError };
        assert_eq!(err, want, "record of {len} bytes");
    }
}

/// test-tls13-shuffled-extentions: a second ClientHello whose extensions came in another order
/// than the first's was served; RFC 8446 §4.1.2 has the client repeat its hello unchanged but
/// for key_share, early_data, cookie, pre_shared_key and padding, so the server now refuses a
/// reordered one with illegal_parameter.
#[test]
fn a_second_client_hello_with_its_extensions_reordered_is_illegal_parameter() {
    for reorder in [true, false] {
        let (c, s) = configs(
            0,
            |b| b.kx_group_names(&[NamedGroup::Secp384r1]),
            |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1]),
        );
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        // The client's answer: [ChangeCipherSpec record,] the second ClientHello.
        let result = transfer_with(&mut client, &mut server, &mut |buf| {
            if !reorder {
                return;
            }
            let at = if buf[0] == 20 { 6 } else { 0 };
            let mut hello = buf[at..].to_vec();
            rewrite_client_hello(&mut hello, |ch| ch.extensions.reverse());
            buf.truncate(at);
            buf.extend_from_slice(&hello);
        });
        if reorder {
            let err = result.unwrap_err();
            assert_eq!(server_alert(&err), Some(AlertDescription::IllegalParameter), "{err}");
        } else {
            result.unwrap();
            handshake(&mut client, &mut server).unwrap();
        }
    }
}

/// test-tls13-ecdsa-support, test-tls13-eddsa (server with every key type): a TLS 1.3 server
/// holding an RSA certificate and others always chose the first (TLS 1.3 suites name no key
/// type, and the resolver looked only at suites), so a client accepting only ECDSA or Ed25519
/// signatures got handshake_failure. Now the client's signature schemes choose the key.
#[test]
fn a_13_server_with_several_keys_serves_the_one_the_client_can_verify() {
    use ferrotls::enums::SignatureScheme as S;
    for (scheme, ca) in [
        (S::EcdsaSecp256r1Sha256, KEYS[1].1),
        (S::EcdsaSecp384r1Sha384, KEYS[2].1),
        (S::Ed25519, KEYS[3].1),
        (S::RsaPssRsaeSha256, KEYS[0].1),
    ] {
        let mut server = ServerConfig::builder()
            .versions(ProtocolVersion::TLSv1_2, TLS13)
            .single_cert(certs_from_pem(KEYS[0].2).unwrap(), private_key_from_pem(KEYS[0].3).unwrap());
        for (_, _, chain, key) in &KEYS[1..] {
            server = server.add_cert(certs_from_pem(chain).unwrap(), private_key_from_pem(key).unwrap());
        }
        let mut roots = RootCertStore::empty();
        roots.add_pem(ca).unwrap();
        let client = ClientConfig::builder()
            .versions(TLS13, TLS13)
            .signature_schemes(vec![scheme])
            .root_store(roots)
            .build()
            .unwrap();
        let (mut client, mut server) = (
            crate::common::client(Arc::new(client)),
            crate::common::server(Arc::new(server.build().unwrap())),
        );
        handshake(&mut client, &mut server).unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        let leaf = certs_from_pem(KEYS.iter().find(|k| k.1 == ca).unwrap().2).unwrap().remove(0);
        assert!(client.peer_certificates().first() == Some(&leaf), "{scheme:?}: another certificate");
    }
}

/// test-tls13-version-negotiation: a ClientHello whose supported_versions listed no version
/// this server speaks (TLS 1.1 and an unknown 0x0309) was answered from legacy_version
/// (TLS 1.2, which the client had not listed); RFC 8446 §4.2.1 says the list alone decides:
/// protocol_version. The twin lists TLS 1.2 beside the unknown version and gets TLS 1.2.
#[test]
fn supported_versions_alone_decides_the_version_below_13() {
    use ferrotls::internal::msgs::extensions::ClientExtension;
    for (listed, ok) in
        [(&[0x0309u16, 0x0302][..], false), (&[0x0309][..], false), (&[0x0309, 0x0303][..], true)]
    {
        let (c, s) = configs(0, |b| b, |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        let result = transfer_with(&mut client, &mut server, &mut |buf| {
            rewrite_client_hello(buf, |ch| {
                let mut body = vec![(listed.len() * 2) as u8];
                listed.iter().for_each(|v| body.extend_from_slice(&v.to_be_bytes()));
                for e in ch.extensions.iter_mut() {
                    if e.ext_type() == ExtensionType::SupportedVersions {
                        *e = ClientExtension::Unknown(ExtensionType::SupportedVersions, body.clone());
                    }
                }
            })
        });
        if ok {
            result.unwrap();
            assert_eq!(server.protocol_version(), Some(ProtocolVersion::TLSv1_2), "{listed:04x?}");
        } else {
            let err = result.unwrap_err();
            assert_eq!(server_alert(&err), Some(AlertDescription::ProtocolVersion), "{listed:04x?}: {err}");
        }
    }
}

/// Client and server configurations where the client's X25519 share costs a HelloRetryRequest
/// to P-384, with or without the server's cookie.
fn retry_configs(cookie: bool) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    configs(
        0,
        |b| b.kx_group_names(&[NamedGroup::Secp384r1]).hello_retry_cookie(cookie),
        |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1]),
    )
}

/// Runs a handshake to the second ClientHello, applies `f` to it on the way to the server and
/// returns the server's answer. A compatibility ChangeCipherSpec before it is passed as it is.
fn tamper_with_second_client_hello(
    cookie: bool,
    f: impl FnOnce(&mut Vec<ferrotls::internal::msgs::extensions::ClientExtension>),
) -> Result<usize, Error> {
    let (c, s) = retry_configs(cookie);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer(&mut client, &mut server).unwrap();
    transfer(&mut server, &mut client).unwrap();
    let mut f = Some(f);
    transfer_with(&mut client, &mut server, &mut |buf| {
        // Skip a ChangeCipherSpec record (type 20, one byte of body) if it comes first.
        let skip = if buf[0] == 20 { 6 } else { 0 };
        let mut rest = buf.split_off(skip);
        rewrite_client_hello(&mut rest, |ch| (f.take().unwrap())(&mut ch.extensions));
        buf.extend_from_slice(&rest);
    })
}

#[test]
fn hello_retry_cookie_is_echoed_and_a_missing_or_changed_one_is_refused() {
    use ferrotls::internal::msgs::extensions::ClientExtension;
    use ferrotls::internal::msgs::handshake::HandshakePayload as P;
    // Happy path: the ferrotls client echoes the cookie of the server's HelloRetryRequest.
    let (c, s) = retry_configs(true);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer(&mut client, &mut server).unwrap();
    let mut hrr_cookie = None;
    transfer_with(&mut server, &mut client, &mut |buf| {
        let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
        let msg = HandshakeMessage::read_bytes(&buf[5..5 + len]).unwrap();
        let P::ServerHello(hrr) = msg.payload else { panic!("not a HelloRetryRequest") };
        hrr_cookie = hrr.extensions.iter().find(|e| e.ext_type() == ExtensionType::Cookie).cloned();
    })
    .unwrap();
    assert!(hrr_cookie.is_some(), "the HelloRetryRequest carries a cookie");
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.negotiated_group(), Some(NamedGroup::Secp384r1));
    exchange_data(&mut client, &mut server, "after a cookie");

    // Twins (RFC 8446 §4.2.2, §4.1.2): the second hello without the cookie, with one bit of it
    // changed, and with a cookie the server never sent.
    let is_cookie = |e: &ClientExtension| e.ext_type() == ExtensionType::Cookie;
    let drop = |exts: &mut Vec<ClientExtension>| {
        assert!(exts.iter().any(is_cookie), "the client echoed the cookie");
        exts.retain(|e| !is_cookie(e));
    };
    let change = |exts: &mut Vec<ClientExtension>| {
        let Some(ClientExtension::Unknown(_, body)) = exts.iter_mut().find(|e| is_cookie(e)) else {
            panic!("no cookie to change")
        };
        *body.last_mut().unwrap() ^= 1;
    };
    let add = |exts: &mut Vec<ClientExtension>| {
        assert!(!exts.iter().any(is_cookie));
        exts.insert(0, ClientExtension::Unknown(ExtensionType::Cookie, vec![0, 2, 0xc0, 0x0c]));
    };
    type Tamper<'a> = &'a dyn Fn(&mut Vec<ClientExtension>);
    let cases: [(bool, Tamper, &str); 3] = [
        (true, &drop, "does not echo the cookie"),
        (true, &change, "cookie is not the one our HelloRetryRequest sent"),
        (false, &add, "a cookie our HelloRetryRequest did not send"),
    ];
    for (cookie, f, reason) in cases {
        let err = tamper_with_second_client_hello(cookie, f).unwrap_err();
        assert!(err.to_string().contains(reason), "{err}");
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter), "{err}");
    }
}

/// test-tls13-unencrypted-alert: a client that could not process the ServerHello has no keys
/// and sends its alert in the clear (RFC 8446 §6: its current write state). The server took
/// that for an unprotected record and answered unexpected_message; it now takes the alert and
/// closes without one. Twin: after the client's Finished, an unprotected alert is still
/// unexpected_message (§5.2).
#[test]
fn an_unprotected_alert_before_the_clients_first_protected_message_is_taken() {
    let plain_unknown_ca = [21u8, 3, 3, 0, 2, 2, 48];
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    transfer(&mut client, &mut server).unwrap();
    let mut flight = Vec::new();
    server.take_tls(&mut flight);
    assert!(!flight.is_empty());
    server.feed_tls(&plain_unknown_ca);
    let err = server.process().unwrap_err();
    assert_eq!(err, Error::AlertReceived(AlertDescription::UnknownCa));
    let mut reply = Vec::new();
    server.take_tls(&mut reply);
    assert!(reply.is_empty(), "the server answered a received fatal alert: {reply:?}");

    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
    handshake(&mut client, &mut server).unwrap();
    server.feed_tls(&plain_unknown_ca);
    let err = server.process().unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage), "{err}");
}
