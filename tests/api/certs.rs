//! Certificates of every key type: which one a server presents (key type, SNI), and ECDSA /
//! Ed25519 client certificates, in memory against each other.

use crate::common::*;
use ferrotls::config::{CertifiedKey, ResolvesServerCertUsingSni};
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::x509::{certs_from_pem, private_key_from_pem, RootCertStore, WebPkiClientVerifier};
use ferrotls::{
    ClientConfig, ClientConnection, Error, PeerIncompatible, PeerMisbehaved, ServerConfig, ServerName,
};
use std::sync::Arc;

const P256_LEAF: &[u8] = include_bytes!("../fixtures/ecdsa-p256-leaf.pem");
const P256_LEAF_KEY: &[u8] = include_bytes!("../fixtures/ecdsa-p256-leaf.key");
const P256_CA: &[u8] = include_bytes!("../fixtures/ecdsa-p256-ca.pem");
const P256_CLIENT: &[u8] = include_bytes!("../fixtures/ecdsa-p256-client.pem");
const P256_CLIENT_KEY: &[u8] = include_bytes!("../fixtures/ecdsa-p256-client.key");
const INTERMEDIATE: &[u8] = include_bytes!("../fixtures/intermediate.pem");
const OTHER_HOST_CHAIN: &[u8] = include_bytes!("../fixtures/wrong-host-chain.pem");
const WILDCARD: &[u8] = include_bytes!("../fixtures/wildcard.pem");

fn rsa_pair() -> (Vec<ferrotls::CertificateDer<'static>>, ferrotls::PrivateKeyDer<'static>) {
    (certs_from_pem(SERVER_CHAIN).unwrap(), private_key_from_pem(SERVER_KEY).unwrap())
}

fn p256_pair() -> (Vec<ferrotls::CertificateDer<'static>>, ferrotls::PrivateKeyDer<'static>) {
    (certs_from_pem(P256_LEAF).unwrap(), private_key_from_pem(P256_LEAF_KEY).unwrap())
}

fn certified(pem: &[u8], key: &[u8]) -> Arc<CertifiedKey> {
    let provider = ferrotls::config::default_provider();
    Arc::new(
        CertifiedKey::load(provider, certs_from_pem(pem).unwrap(), &private_key_from_pem(key).unwrap())
            .unwrap(),
    )
}

fn client_for(name: &'static str) -> ClientConnection {
    let config = Arc::new(ClientConfig::builder().root_store(roots()).build().unwrap());
    ClientConnection::new(config, ServerName::try_from(name).unwrap()).unwrap()
}

#[test]
fn a_server_with_rsa_and_ecdsa_certificates_serves_rsa_to_an_rsa_key_exchange_client() {
    // The ECDSA certificate comes first, yet RSA key exchange can only use the RSA one.
    let (ec_chain, ec_key) = p256_pair();
    let (rsa_chain, rsa_key) = rsa_pair();
    let config = Arc::new(
        ServerConfig::builder()
            .add_cert(ec_chain, ec_key)
            .add_cert(rsa_chain.clone(), rsa_key)
            .build()
            .unwrap(),
    );
    // TLS 1.2: TLS 1.3 has no RSA key exchange.
    let mut client =
        client(client_config(|b| b.versions(V12, V12).cipher_list("AES128-GCM-SHA256:AES128-SHA")));
    let mut server = server(config);
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.peer_certificates()[0], rsa_chain[0]);
}

#[test]
fn a_server_with_only_an_ecdsa_certificate_refuses_rsa_key_exchange_saying_why() {
    let (ec_chain, ec_key) = p256_pair();
    let config = Arc::new(ServerConfig::builder().single_cert(ec_chain, ec_key).build().unwrap());
    let mut client = client(client_config(|b| b.versions(V12, V12).cipher_list("AES128-SHA:AES256-SHA")));
    let mut server = server(config);
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(matches!(err, Error::PeerIncompatible(PeerIncompatible::NoUsableCipherSuite(_))), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("RSA key exchange (an RSA certificate)") && text.contains("key is ECDSA P-256"),
        "{text}"
    );
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::HandshakeFailure)));
}

#[test]
fn certificates_and_a_resolver_together_are_a_configuration_error() {
    let (chain, key) = rsa_pair();
    let err = ServerConfig::builder()
        .single_cert(chain, key)
        .cert_resolver(Arc::new(ResolvesServerCertUsingSni::new()))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(ref s) if s.contains("not both")), "{err:?}");
}

fn sni_server(with_default: bool) -> Arc<ServerConfig> {
    let mut sni = ResolvesServerCertUsingSni::new();
    sni.add("localhost", certified(SERVER_CHAIN, SERVER_KEY)).unwrap();
    sni.add("other.example", certified(OTHER_HOST_CHAIN, SERVER_KEY)).unwrap();
    let wildcard_chain = [WILDCARD, INTERMEDIATE].concat();
    sni.add("*.example.test", certified(&wildcard_chain, SERVER_KEY)).unwrap();
    if with_default {
        sni.add_default(certified(SERVER_CHAIN, SERVER_KEY));
    }
    Arc::new(ServerConfig::builder().cert_resolver(Arc::new(sni)).build().unwrap())
}

#[test]
fn the_sni_resolver_presents_the_certificate_for_the_name_asked_for() {
    let config = sni_server(false);
    for (name, pem) in
        [("localhost", SERVER_CHAIN), ("OTHER.example.", OTHER_HOST_CHAIN), ("www.example.test", WILDCARD)]
    {
        let mut client = client_for(name.trim_end_matches('.'));
        let mut server = server(config.clone());
        // The client verifies the name, so a wrong choice would fail the handshake.
        handshake(&mut client, &mut server).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(client.peer_certificates()[0], certs_from_pem(pem).unwrap()[0], "{name}");
    }
}

#[test]
fn an_unknown_name_is_refused_with_unrecognized_name_unless_there_is_a_default() {
    let mut client = client_for("unknown.example");
    let mut srv = server(sni_server(false));
    let err = handshake(&mut client, &mut srv).unwrap_err();
    assert_eq!(
        err,
        Error::PeerIncompatible(PeerIncompatible::NoCertificateForServerName("unknown.example".into()))
    );
    let _ = transfer(&mut srv, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::UnrecognizedName)));

    // With a default, the unknown name gets the default (localhost) certificate, which the
    // client then refuses for the name it wanted: the resolver does not make names valid.
    let mut client = client_for("unknown.example");
    let mut srv = server(sni_server(true));
    let err = handshake(&mut client, &mut srv).unwrap_err();
    assert!(matches!(err, Error::InvalidCertificate(_)), "{err:?}");
}

#[test]
fn the_sni_resolver_refuses_a_certificate_not_valid_for_its_name() {
    let mut sni = ResolvesServerCertUsingSni::new();
    let err = sni.add("other.example", certified(SERVER_CHAIN, SERVER_KEY)).unwrap_err();
    assert!(matches!(err, Error::Config(ref s) if s.contains("localhost")), "{err:?}");
    assert!(sni.add("a.b.example.test", certified(WILDCARD, SERVER_KEY)).is_err());
}

fn ecdsa_client_auth_server() -> Arc<ServerConfig> {
    let mut roots = RootCertStore::empty();
    roots.add_pem(P256_CA).unwrap();
    let verifier = WebPkiClientVerifier::new(Arc::new(roots), ferrotls::config::default_provider());
    server_config(|b| b.legacy(true).client_verifier(Arc::new(verifier)))
}

fn ecdsa_client(version: ferrotls::ProtocolVersion) -> ClientConnection {
    client(client_config(|b| {
        b.legacy(true).versions(version, version).client_auth_cert(
            certs_from_pem(P256_CLIENT).unwrap(),
            private_key_from_pem(P256_CLIENT_KEY).unwrap(),
        )
    }))
}

#[test]
fn an_ecdsa_client_certificate_authenticates_over_rsa_key_exchange_in_every_version() {
    use ferrotls::ProtocolVersion as V;
    for version in [V::TLSv1_0, V::TLSv1_1, V::TLSv1_2] {
        let mut client = ecdsa_client(version);
        let mut server = server(ecdsa_client_auth_server());
        handshake(&mut client, &mut server).unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert!(client.client_certificate_sent(), "{version:?}");
        assert_eq!(server.peer_certificates()[0], certs_from_pem(P256_CLIENT).unwrap()[0]);
    }
}

/// Flips the last byte of the CertificateVerify record (its signature) in the client's flight.
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
fn a_forged_ecdsa_certificate_verify_is_refused_with_decrypt_error() {
    use ferrotls::ProtocolVersion as V;
    for version in [V::TLSv1_0, V::TLSv1_2] {
        let mut client = ecdsa_client(version);
        let mut server = server(ecdsa_client_auth_server());
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        let err =
            transfer_with(&mut client, &mut server, &mut |w| corrupt_certificate_verify(w)).unwrap_err();
        assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::InvalidCertificateVerify), "{version:?}");
        let _ = transfer(&mut server, &mut client);
        assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::DecryptError)));
    }
}
