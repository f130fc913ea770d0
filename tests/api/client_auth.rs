//! Mutual authentication in memory: the server asks, the client proves, and every way of
//! getting it wrong is refused with the right alert.

use crate::common::*;
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::x509::{certs_from_pem, private_key_from_pem, CertificateDer, ClientCertVerifier, UnixTime};
use ferrotls::{CertificateError, Error, PeerMisbehaved, ProtocolVersion};
use std::sync::Arc;

const CLIENT_CERT: &[u8] = include_bytes!("../fixtures/client.pem");
const CLIENT_KEY: &[u8] = include_bytes!("../fixtures/client.key");

/// Accepts exactly one certificate (pinning): enough to exercise the handshake's side of client
/// authentication; path validation is the x509 tests' subject.
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
    ) -> Result<(), CertificateError> {
        if ee.as_ref() == self.der.as_slice() {
            Ok(())
        } else {
            Err(CertificateError::UnknownIssuer)
        }
    }
}

fn client_leaf() -> Vec<u8> {
    certs_from_pem(CLIENT_CERT).unwrap()[0].as_ref().to_vec()
}

fn server_requiring(mandatory: bool, legacy: bool) -> Arc<ferrotls::ServerConfig> {
    server_requiring_with(mandatory, legacy, |b| b)
}

fn server_requiring_with(
    mandatory: bool,
    legacy: bool,
    f: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
) -> Arc<ferrotls::ServerConfig> {
    server_config(|b| f(b.legacy(legacy).client_verifier(Arc::new(Pinned { der: client_leaf(), mandatory }))))
}

fn client_with_cert(version: ProtocolVersion) -> Arc<ferrotls::ClientConfig> {
    client_config(|b| {
        b.legacy(true)
            .versions(version, version)
            .client_auth_cert(certs_from_pem(CLIENT_CERT).unwrap(), private_key_from_pem(CLIENT_KEY).unwrap())
    })
}

#[test]
fn a_client_certificate_is_sent_verified_and_visible_in_every_version() {
    for version in [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_2] {
        let mut client = client(client_with_cert(version));
        // Without tickets, to compare with RFC 5246's sequence.
        let mut server = server(server_requiring_with(true, true, |b| b.tickets(false)));
        handshake(&mut client, &mut server).unwrap_or_else(|e| {
            panic!("{version:?}: {e:?} client={:?} server={:?}", client.error(), server.error())
        });
        assert!(client.client_certificate_sent(), "{version:?}");
        assert_eq!(
            wire_sequence(&client, &server),
            ferrotls::internal::handshake::flows::TLS12_ECDHE_CLIENT_AUTH
        );
        if version == ProtocolVersion::TLSv1_2 {
            assert_eq!(client.signature_scheme(), server.peer_signature_scheme(), "{version:?}");
            assert!(server.peer_signature_scheme().is_some());
        }
        assert_eq!(server.peer_certificates()[0].as_ref(), client_leaf().as_slice(), "{version:?}");
        client.write_plaintext(b"authenticated").unwrap();
        transfer(&mut client, &mut server).unwrap();
        assert_eq!(read_all(&mut server), b"authenticated");
    }
}

/// Flips the last byte of the CertificateVerify handshake record in a client flight.
fn corrupt_certificate_verify(wire: &mut [u8]) {
    let mut off = 0;
    while off + 5 < wire.len() {
        let len = u16::from_be_bytes([wire[off + 3], wire[off + 4]]) as usize;
        if wire[off] == 22 && wire[off + 5] == 15 {
            wire[off + 5 + len - 1] ^= 1;
            return;
        }
        off += 5 + len;
    }
    panic!("no CertificateVerify in the flight");
}

#[test]
fn a_forged_certificate_verify_is_refused_with_decrypt_error() {
    for version in [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_2] {
        let mut client = client(client_with_cert(version));
        let mut server = server(server_requiring(true, true));
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        let err =
            transfer_with(&mut client, &mut server, &mut |w| corrupt_certificate_verify(w)).unwrap_err();
        assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InvalidCertificateVerify), "{version:?}");
        let _ = transfer(&mut server, &mut client);
        assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::DecryptError)));
    }
}

#[test]
fn a_required_certificate_that_is_missing_is_a_handshake_failure() {
    // TLS 1.2's alert; TLS 1.3 says certificate_required (tests/api/tls13.rs).
    let mut client = client(client_config(|b| b.versions(V12, V12)));
    let mut server = server(server_requiring(true, false));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::InvalidCertificate(CertificateError::NoCertificate));
    assert!(!client.client_certificate_sent());
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::HandshakeFailure)));
}

#[test]
fn an_optional_certificate_may_be_absent() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_requiring(false, false));
    handshake(&mut client, &mut server).unwrap();
    assert!(server.peer_certificates().is_empty());
}

#[test]
fn a_certificate_the_verifier_rejects_is_refused_with_its_alert() {
    let mut client = client(client_with_cert(ProtocolVersion::TLSv1_2));
    let other = certs_from_pem(SERVER_CHAIN).unwrap()[0].as_ref().to_vec();
    let mut server =
        server(server_config(|b| b.client_verifier(Arc::new(Pinned { der: other, mandatory: true }))));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert_eq!(err, Error::InvalidCertificate(CertificateError::UnknownIssuer));
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::UnknownCa)));
}

#[test]
fn a_client_key_that_does_not_match_its_certificate_is_a_configuration_error() {
    let err = ferrotls::ClientConfig::builder()
        .dangerous_no_verification()
        .client_auth_cert(certs_from_pem(CLIENT_CERT).unwrap(), private_key_from_pem(SERVER_KEY).unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("does not match")), "{err}");
}

#[test]
fn without_a_request_no_certificate_is_sent() {
    let mut client = client(client_with_cert(ProtocolVersion::TLSv1_2));
    let mut server = server(server_config(|b| b.legacy(true)));
    handshake(&mut client, &mut server).unwrap();
    assert!(!client.client_certificate_sent());
    assert!(server.peer_certificates().is_empty());
}
