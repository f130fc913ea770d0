//! Handshakes: every version and suite, the expected message sequence, and the refusals.

use crate::common::*;
use ferrotls::internal::handshake::flows;
use ferrotls::internal::msgs::enums::{AlertDescription, HandshakeType};
use ferrotls::{CertificateError, Error, PeerIncompatible, PeerMisbehaved, ProtocolVersion};

const VERSIONS: [ProtocolVersion; 3] =
    [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_2];

fn all_suites() -> Vec<&'static ferrotls::crypto::Tls12CipherSuite> {
    ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER.cipher_suites.to_vec()
}

#[test]
fn every_version_and_suite_completes_and_carries_data_both_ways() {
    for version in VERSIONS {
        for suite in all_suites() {
            // ECDHE-ECDSA suites need an ECDSA certificate: tests/api/ecdhe.rs.
            if suite.min_version > version || suite.auth == ferrotls::crypto::AuthenticationAlgorithm::Ecdsa {
                continue;
            }
            for (ems, etm) in [(true, true), (false, false), (true, false), (false, true)] {
                let tweak = |legacy: bool| {
                    move |b: ferrotls::config::ServerConfigBuilder| {
                        b.legacy(legacy)
                            .versions(version, version)
                            .cipher_list(suite.openssl_name)
                            .extended_master_secret(ems)
                            .encrypt_then_mac(etm)
                    }
                };
                let s = server_config(tweak(true));
                let c = client_config(|b| {
                    b.legacy(true)
                        .versions(version, version)
                        .cipher_list(suite.iana_name)
                        .extended_master_secret(ems)
                        .encrypt_then_mac(etm)
                });
                let mut client = client(c);
                let mut server = server(s);
                handshake(&mut client, &mut server).unwrap();
                let what = format!("{} {} ems={ems} etm={etm}", version.name(), suite.iana_name);
                assert_eq!(client.protocol_version(), Some(version), "{what}");
                assert_eq!(server.cipher_suite().map(|s| s.suite), Some(suite.suite), "{what}");
                assert_eq!(client.extended_master_secret(), ems, "{what}");
                assert_eq!(server.encrypt_then_mac(), etm && suite.is_cbc(), "{what}");

                let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
                client.write_plaintext(&data).unwrap();
                transfer(&mut client, &mut server).unwrap();
                assert!(read_all(&mut server) == data, "{what}: data differs");
                server.write_plaintext(&data[..5000]).unwrap();
                transfer(&mut server, &mut client).unwrap();
                assert!(read_all(&mut client) == data[..5000], "{what}: data differs");
            }
        }
    }
}

#[test]
fn the_message_sequence_matches_the_rfc_5246_full_handshake() {
    // Tickets off on either side: RFC 5246's shape exactly (RSA key exchange).
    for (client_tickets, server_tickets) in [(false, true), (true, false)] {
        let mut client = client(client_config(|b| b.cipher_list("AES128-SHA").tickets(client_tickets)));
        let mut server = server(server_config(|b| b.versions(V12, V12).tickets(server_tickets)));
        handshake(&mut client, &mut server).unwrap();
        assert_eq!(wire_sequence(&client, &server), flows::TLS12_RSA_FULL);
        assert_eq!(client.received_handshake_types().last(), Some(&HandshakeType::Finished));
    }
    // The default 1.2 suites are ECDHE: RFC 8422 §2 adds the signed ServerKeyExchange.
    let mut client = client(client_config(|b| b.tickets(false)));
    let mut server = server(server_config(|b| b.versions(V12, V12)));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL);
    // By default both do tickets (RFC 5077 §3.1).
    let mut client = crate::common::client(client_config(|b| b.cipher_list("AES128-SHA")));
    let mut server = crate::common::server(server_config(|b| b.versions(V12, V12)));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(wire_sequence(&client, &server), flows::TLS12_RSA_FULL_WITH_TICKET);
}

#[test]
fn the_default_profile_is_tls12_to_tls13_without_legacy_suites() {
    let c = client_config(|b| b);
    assert_eq!(c.policy().min_version, ProtocolVersion::TLSv1_2);
    assert_eq!(c.policy().max_version, ProtocolVersion::TLSv1_3);
    assert!(c.policy().cipher_suites.iter().all(|s| !s.legacy));
    assert_eq!(c.policy().tls13_cipher_suites.len(), 3);
    // Two default sides agree on TLS 1.3; a 1.2-only side still gets TLS 1.2.
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert!(client.cipher_suite().is_none());
    assert_eq!(client.negotiated_cipher_suite().unwrap().iana_name, "TLS_AES_256_GCM_SHA384");
    let mut client12 = crate::common::client(client_config(|b| b));
    let mut server12 = crate::common::server(server_config(|b| b.versions(V12, V12)));
    handshake(&mut client12, &mut server12).unwrap();
    assert_eq!(client12.protocol_version(), Some(ProtocolVersion::TLSv1_2));
}

#[test]
fn legacy_versions_and_suites_without_opt_in_are_configuration_errors() {
    let err = ferrotls::ClientConfig::builder()
        .versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_2)
        .dangerous_no_verification()
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        Error::Policy(ferrotls::PolicyError::VersionNeedsLegacy(ProtocolVersion::TLSv1_0)),
        "{err}"
    );
    let err = ferrotls::ClientConfig::builder()
        .cipher_list("DES-CBC3-SHA")
        .dangerous_no_verification()
        .build()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Policy(ferrotls::PolicyError::SuiteNeedsLegacy { openssl_name: "DES-CBC3-SHA", .. })
        ),
        "{err}"
    );
    let err = ferrotls::ClientConfig::builder()
        .cipher_list("RC4-MD5")
        .dangerous_no_verification()
        .build()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Policy(ferrotls::PolicyError::SuiteNeedsLegacy { openssl_name: "RC4-MD5", .. })
        ),
        "{err}"
    );
}

#[test]
fn a_client_without_trust_anchors_or_explicit_opt_out_is_refused() {
    let err = ferrotls::ClientConfig::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
}

#[test]
fn a_server_offering_only_legacy_suites_gets_a_handshake_failure_that_names_legacy() {
    // TLS 1.2: the suites are 1.2's (with 1.3 on, the server would agree on a 1.3 suite).
    let mut client = client(client_config(|b| b));
    let mut server =
        server(server_config(|b| b.versions(V12, V12).legacy(true).cipher_list("RC4-SHA:DES-CBC3-SHA")));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(
        matches!(&err, Error::PeerIncompatible(PeerIncompatible::NoUsableCipherSuite(why))
            if why.contains("leaves out") && why.contains("ECDHE-RSA-AES128-GCM-SHA256")),
        "{err}"
    );
    // The reverse: a default server facing a client that offers only legacy suites explains why.
    let mut client =
        crate::common::client(client_config(|b| b.legacy(true).versions(V12, V12).cipher_list("RC4-SHA")));
    let mut server = crate::common::server(server_config(|b| b));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::PeerIncompatible(PeerIncompatible::NoCommonCipherSuite { needs_legacy: true }));
    assert!(err.to_string().contains("legacy"));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::HandshakeFailure)));
}

#[test]
fn no_common_version_is_refused_with_protocol_version_on_both_sides() {
    let mut client = client(client_config(|b| {
        b.legacy(true).versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_0)
    }));
    let mut server = server(server_config(|b| b));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(matches!(
        err,
        Error::PeerIncompatible(PeerIncompatible::NoCommonVersion { needs_legacy: true, .. })
    ));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::ProtocolVersion)));
}

#[test]
fn a_fallback_scsv_below_the_servers_best_version_is_refused() {
    let mut client = client(client_config(|b| {
        b.legacy(true).versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1).send_fallback_scsv(true)
    }));
    let mut server = server(server_config(|b| b.legacy(true)));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InappropriateFallback));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::InappropriateFallback)));
}

#[test]
fn a_fallback_scsv_at_the_servers_best_version_is_accepted() {
    let mut client = client(client_config(|b| b.send_fallback_scsv(true)));
    let mut server = server(server_config(|b| b.legacy(true)));
    handshake(&mut client, &mut server).unwrap();
}

#[test]
fn a_certificate_for_another_name_is_refused_with_bad_certificate() {
    let c = client_config(|b| b);
    let mut client =
        ferrotls::ClientConnection::new(c, ferrotls::ServerName::try_from("wrong.example").unwrap()).unwrap();
    let mut server = server(server_config(|b| b));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(matches!(&err, Error::InvalidCertificate(CertificateError::NotValidForName(_))), "{err:?}");
    let _ = transfer(&mut client, &mut server);
    assert_eq!(server.error(), Some(&Error::AlertReceived(AlertDescription::BadCertificate)));
}

#[test]
fn a_server_with_an_untrusted_chain_is_refused_with_unknown_ca() {
    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(include_bytes!("../fixtures/untrusted-ca.pem")).unwrap();
    let c = std::sync::Arc::new(ferrotls::ClientConfig::builder().root_store(roots).build().unwrap());
    let mut client = client(c);
    let mut server = server(server_config(|b| b));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::InvalidCertificate(CertificateError::UnknownIssuer));
    let _ = transfer(&mut client, &mut server);
    assert_eq!(server.error(), Some(&Error::AlertReceived(AlertDescription::UnknownCa)));
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_a_configuration_error() {
    let chain = ferrotls::x509::certs_from_pem(SERVER_CHAIN).unwrap();
    let other_key = ferrotls::x509::private_key_from_pem(include_bytes!("../fixtures/client.key")).unwrap();
    let err = ferrotls::ServerConfig::builder().single_cert(chain, other_key).build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("does not match")), "{err}");
}

/// A clock fixed at a chosen instant, to check that validity uses the injected time.
#[derive(Debug)]
struct FixedClock(u64);

impl ferrotls::x509::TimeProvider for FixedClock {
    fn now(&self) -> Option<ferrotls::x509::UnixTime> {
        Some(ferrotls::x509::UnixTime::since_unix_epoch(std::time::Duration::from_secs(self.0)))
    }
}

#[test]
fn certificate_validity_is_checked_against_the_injected_clock() {
    // The fixtures are valid 2026-01-01 .. 2046-01-01.
    let at = |secs: u64| {
        let c = client_config(|b| b.time_provider(std::sync::Arc::new(FixedClock(secs))));
        let mut client = client(c);
        let mut server = server(server_config(|b| b));
        handshake(&mut client, &mut server)
    };
    at(1_800_000_000).unwrap(); // 2027
    assert_eq!(at(2_500_000_000).unwrap_err(), Error::InvalidCertificate(CertificateError::Expired)); // 2049
    assert_eq!(at(1_700_000_000).unwrap_err(), Error::InvalidCertificate(CertificateError::NotValidYet));
    // 2023
}

/// A ClientHello as an unpatched (pre-RFC 5746) client sends it: no renegotiation_info and no SCSV.
fn unpatched_client_hello() -> Vec<u8> {
    use ferrotls::internal::codec::Codec;
    use ferrotls::internal::msgs::client_hello::ClientHello;
    use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
    let hello = ClientHello {
        client_version: ProtocolVersion::TLSv1_2,
        random: [1; 32],
        session_id: ferrotls::internal::msgs::SessionId::EMPTY,
        cipher_suites: vec![0x002f.into()],
        compression_methods: vec![0],
        extensions: vec![],
    };
    let body = HandshakeMessage { payload: HandshakePayload::ClientHello(hello) }.encoding();
    let mut record = vec![22, 3, 1];
    record.extend_from_slice(&(body.len() as u16).to_be_bytes());
    record.extend_from_slice(&body);
    record
}

/// The renegotiation_info extensions of the ServerHello a server answers `hello` with.
fn server_renegotiation_info(legacy: bool, hello: &[u8]) -> Vec<Vec<u8>> {
    use ferrotls::internal::codec::Reader;
    use ferrotls::internal::msgs::extensions::ServerExtension;
    use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
    let mut server = server(server_config(|b| b.legacy(legacy)));
    server.feed_tls(hello);
    server.process().unwrap();
    assert_eq!(server.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    let mut out = Vec::new();
    server.take_tls(&mut out);
    match HandshakeMessage::read_versioned(&mut Reader::new(&out[5..]), true).unwrap().payload {
        HandshakePayload::ServerHello(sh) => sh
            .extensions
            .into_iter()
            .filter_map(|e| match e {
                ServerExtension::RenegotiationInfo(v) => Some(v),
                _ => None,
            })
            .collect(),
        other => panic!("expected ServerHello, got {other:?}"),
    }
}

/// Issue 13 item 5, decided: a server serves a client that signals neither the RFC 5746
/// extension nor the SCSV (ferrotls never renegotiates, so there is no renegotiation to splice
/// an attacker's prefix onto; RFC 5746 §4.3 leaves the choice to the server), and then sends no
/// renegotiation_info (RFC 5746 §3.6: only to a client that signalled; RFC 5246 §7.4.1.4: no
/// unsolicited extensions), in both profiles. It used to refuse outside --legacy and to send
/// the extension anyway with --legacy (tlsfuzzer test-empty-extensions, test-lucky13).
#[test]
fn a_client_without_renegotiation_indication_is_served_without_renegotiation_info() {
    for legacy in [false, true] {
        assert!(server_renegotiation_info(legacy, &unpatched_client_hello()).is_empty(), "legacy {legacy}");
    }
    // Twin: a client that signals (extension and SCSV) gets the empty extension back (TLS 1.2:
    // a TLS 1.3 ServerHello has no renegotiation_info).
    let mut client = client(client_config(|b| b.versions(V12, V12)));
    let mut hello = Vec::new();
    client.take_tls(&mut hello);
    assert_eq!(server_renegotiation_info(false, &hello), vec![Vec::<u8>::new()]);
}
