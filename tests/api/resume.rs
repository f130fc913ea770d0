//! Session resumption by session ID (RFC 5246 §7.3 abbreviated handshake): the happy path
//! against the flows table, and every refusal rule with its tampering twin.

use crate::common::*;
use ferrotls::internal::codec::{Codec, Reader};
use ferrotls::internal::handshake::flows;
use ferrotls::internal::msgs::client_hello::ClientHello;
use ferrotls::internal::msgs::enums::{AlertDescription, ExtensionType, HandshakeType, ProtocolVersion};
use ferrotls::internal::msgs::extensions::{ClientExtension, ServerExtension};
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::internal::msgs::server_hello::ServerHello;
use ferrotls::internal::msgs::SessionId;
use ferrotls::session::{ServerSessionMemoryCache, StoresServerSessions};
use ferrotls::x509::{ServerCertVerifier, TimeProvider, UnixTime, WebPkiServerVerifier};
use ferrotls::{
    ClientConfig, ClientConnection, Error, PeerMisbehaved, ServerConfig, ServerName, Tls12Session,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// One verifier for every client configuration in these tests: a session is offered again only
/// under the verifier that checked it, and the rules below are about everything else.
fn shared_verifier() -> Arc<dyn ServerCertVerifier> {
    static VERIFIER: OnceLock<Arc<dyn ServerCertVerifier>> = OnceLock::new();
    let v = VERIFIER.get_or_init(|| {
        Arc::new(WebPkiServerVerifier::new(
            Arc::new(roots()),
            &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER,
        ))
    });
    Arc::clone(v)
}

/// Shadows `common::client_config`: the same, with the shared verifier.
fn client_config(
    f: impl FnOnce(ferrotls::config::ClientConfigBuilder) -> ferrotls::config::ClientConfigBuilder,
) -> Arc<ClientConfig> {
    // These tests are about resumption by session ID, offered explicitly: no tickets and no
    // store (tests/api/tickets.rs covers both). TLS 1.2: TLS 1.3 resumes with PSKs, which
    // ferrotls does not do yet (a test may still set another range).
    let b = ClientConfig::builder()
        .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2)
        .tickets(false)
        .session_cache(0);
    Arc::new(f(b).verifier(shared_verifier()).build().unwrap())
}

fn name(n: &str) -> ServerName<'static> {
    ServerName::try_from(n.to_owned()).unwrap()
}

/// A full handshake; returns the client's session.
fn full(c: &Arc<ClientConfig>, s: &Arc<ServerConfig>) -> Tls12Session {
    let mut client = client(Arc::clone(c));
    let mut server = server(Arc::clone(s));
    handshake(&mut client, &mut server).unwrap();
    assert!(!client.session_resumed() && !server.session_resumed());
    client.session().expect("the server let the session be resumed")
}

fn resuming(c: &Arc<ClientConfig>, session: Tls12Session) -> ClientConnection {
    ClientConnection::new_resuming(Arc::clone(c), name("localhost"), session).unwrap()
}

/// Resumes `session` and returns whether both sides say the handshake was abbreviated.
fn try_resume(c: &Arc<ClientConfig>, s: &Arc<ServerConfig>, session: Tls12Session) -> bool {
    let mut client = resuming(c, session);
    let mut server = server(Arc::clone(s));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.session_resumed(), server.session_resumed());
    client.session_resumed()
}

/// Rewrites the first handshake record in `buf` (ClientHello or ServerHello: each handshake
/// message travels in its own record) and fixes the lengths.
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

fn server_hello(f: impl Fn(&mut ServerHello)) -> impl FnMut(&mut Vec<u8>) {
    move |buf: &mut Vec<u8>| {
        rewrite_first_record(buf, &mut |p| match p {
            HandshakePayload::ServerHello(sh) => f(sh),
            other => panic!("expected ServerHello, got {other:?}"),
        })
    }
}

pub(crate) fn client_hello(f: impl Fn(&mut ClientHello)) -> impl FnMut(&mut Vec<u8>) {
    move |buf: &mut Vec<u8>| {
        rewrite_first_record(buf, &mut |p| match p {
            HandshakePayload::ClientHello(ch) => f(ch),
            other => panic!("expected ClientHello, got {other:?}"),
        })
    }
}

/// Resumes with `tamper_ch` applied to the ClientHello and `tamper_sh` to the server's first
/// flight; returns the first error and which side saw it.
fn resume_tampered(
    c: &Arc<ClientConfig>,
    s: &Arc<ServerConfig>,
    session: Tls12Session,
    tamper_ch: &mut dyn FnMut(&mut Vec<u8>),
    tamper_sh: &mut dyn FnMut(&mut Vec<u8>),
) -> (&'static str, Error) {
    let mut client = resuming(c, session);
    let mut server = server(Arc::clone(s));
    if let Err(e) = transfer_with(&mut client, &mut server, tamper_ch) {
        return ("server", e);
    }
    if let Err(e) = transfer_with(&mut server, &mut client, tamper_sh) {
        return ("client", e);
    }
    match handshake(&mut client, &mut server) {
        Err(e) => ("either", e),
        Ok(()) => panic!("the tampered handshake succeeded"),
    }
}

#[derive(Debug)]
struct FakeClock(AtomicU64);

impl TimeProvider for FakeClock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(self.0.load(Ordering::SeqCst))))
    }
}

#[test]
fn a_session_resumes_with_the_abbreviated_flow_and_data_flows() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let session = full(&c, &s);
    assert_eq!(session.id().len(), 32);
    assert_eq!(session.protocol_version(), ProtocolVersion::TLSv1_2);
    assert!(session.extended_master_secret());
    let debug = format!("{session:?}");
    assert!(!debug.contains("{ master_secret") && !debug.contains(", master_secret"), "{debug}");

    let mut client = resuming(&c, session.clone());
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(client.session_resumed() && server.session_resumed());
    // Server's Finished first, then the client's.
    let mut seen = vec![server.received_handshake_types()[0]];
    seen.extend_from_slice(client.received_handshake_types());
    seen.extend_from_slice(&server.received_handshake_types()[1..]);
    assert_eq!(seen, flows::TLS12_RSA_ABBREVIATED);
    assert_eq!(client.received_handshake_types(), &[HandshakeType::ServerHello, HandshakeType::Finished]);
    // The peer's certificates are the stored ones, not sent again.
    assert_eq!(client.peer_certificates(), session.peer_certificates());
    assert!(!client.peer_certificates().is_empty());
    assert_eq!(client.session().unwrap().id(), session.id());
    assert_eq!(server.session().unwrap().id(), session.id());

    client.write_plaintext(b"ping").unwrap();
    transfer(&mut client, &mut server).unwrap();
    assert_eq!(read_all(&mut server), b"ping");
    server.write_plaintext(b"pong").unwrap();
    transfer(&mut server, &mut client).unwrap();
    assert_eq!(read_all(&mut client), b"pong");
    // The session can be resumed again.
    assert!(try_resume(&c, &s, session));
}

#[test]
fn every_version_and_suite_resumes_with_and_without_ems_and_etm() {
    for version in [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_2] {
        for suite in ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER.cipher_suites {
            // ECDHE-ECDSA suites need an ECDSA certificate.
            if suite.min_version > version || suite.auth == ferrotls::crypto::AuthenticationAlgorithm::Ecdsa {
                continue;
            }
            for (ems, etm) in [(true, true), (false, false)] {
                let c = client_config(|b| {
                    b.legacy(true)
                        .versions(version, version)
                        .cipher_list(suite.openssl_name)
                        .extended_master_secret(ems)
                        .encrypt_then_mac(etm)
                });
                let s = server_config(|b| b.legacy(true).versions(version, version));
                let session = full(&c, &s);
                let mut client = resuming(&c, session);
                let mut server = server(Arc::clone(&s));
                handshake(&mut client, &mut server).unwrap();
                let what = format!("{} {} ems={ems} etm={etm}", version.name(), suite.iana_name);
                assert!(client.session_resumed() && server.session_resumed(), "{what}");
                assert_eq!(client.cipher_suite().map(|s| s.suite), Some(suite.suite), "{what}");
                assert_eq!(server.protocol_version(), Some(version), "{what}");
                assert_eq!(client.encrypt_then_mac(), etm && suite.is_cbc(), "{what}");
                let data = vec![0x5a; 20_000];
                client.write_plaintext(&data).unwrap();
                transfer(&mut client, &mut server).unwrap();
                assert!(read_all(&mut server) == data, "{what}");
            }
        }
    }
}

#[test]
fn client_sends_unexpected_message_when_a_server_answers_an_unoffered_session_id_with_finished() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let session = full(&c, &s);
    // The server resumes, but the client sees another session ID: for the client that is a new
    // session, so a ChangeCipherSpec instead of Certificate is out of order.
    let (side, err) = resume_tampered(
        &c,
        &s,
        session,
        &mut |_| {},
        &mut server_hello(|sh| {
            let mut id = sh.session_id.as_slice().to_vec();
            id[0] ^= 1;
            sh.session_id = SessionId::new(&id).unwrap();
        }),
    );
    assert_eq!(side, "client");
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage), "{err}");
}

#[test]
fn client_sends_illegal_parameter_when_a_resumed_server_hello_changes_the_suite() {
    let c = client_config(|b| b.cipher_list("AES128-SHA:AES256-SHA"));
    let s = server_config(|b| b);
    let session = full(&c, &s);
    let other = if session.cipher_suite().openssl_name == "AES128-SHA" { 0x0035 } else { 0x002f };
    let (side, err) = resume_tampered(
        &c,
        &s,
        session,
        &mut |_| {},
        &mut server_hello(move |sh| sh.cipher_suite = other.into()),
    );
    assert_eq!(side, "client");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ResumedSessionParametersChanged));
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

#[test]
fn client_sends_illegal_parameter_when_a_resumed_server_hello_changes_the_version() {
    // A suite both versions have: the check under test is the resumption rule, not the suite's.
    let c = client_config(|b| {
        b.legacy(true).versions(ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_2).cipher_list("AES128-SHA")
    });
    let s = server_config(|b| b.legacy(true));
    let session = full(&c, &s);
    let (side, err) = resume_tampered(
        &c,
        &s,
        session,
        &mut |_| {},
        &mut server_hello(|sh| sh.server_version = ProtocolVersion::TLSv1_1),
    );
    assert_eq!(side, "client");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ResumedSessionParametersChanged));
}

#[test]
fn server_aborts_when_an_ems_session_is_offered_without_ems() {
    // RFC 7627 §5.3: original with EMS, new ClientHello without: MUST abort.
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let session = full(&c, &s);
    let strip_ems =
        &mut client_hello(|ch| ch.extensions.retain(|e| !matches!(e, ClientExtension::ExtendedMasterSecret)));
    let (side, err) = resume_tampered(&c, &s, session, strip_ems, &mut |_| {});
    assert_eq!(side, "server");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ExtendedMasterSecretMissing));
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));
}

#[test]
fn server_does_a_full_handshake_when_a_session_without_ems_is_offered_with_ems() {
    // RFC 7627 §5.3: original without EMS, new ClientHello with: full handshake.
    let no_ems = client_config(|b| b.extended_master_secret(false));
    let s = server_config(|b| b);
    let session = full(&no_ems, &s);
    assert!(!session.extended_master_secret());
    let with_ems = client_config(|b| b);
    assert!(!try_resume(&with_ems, &s, session.clone()));
    // Neither side with EMS: legacy resumption, as OpenSSL does.
    assert!(try_resume(&no_ems, &s, session));
}

#[test]
fn client_aborts_when_the_server_resumes_with_the_ems_status_changed() {
    // RFC 7627 §5.3, client side, both directions.
    let storage: Arc<dyn StoresServerSessions> = Arc::new(ServerSessionMemoryCache::new(8));
    let s_ems = server_config(|b| b.session_storage(Arc::clone(&storage)));
    let s_no_ems = server_config(|b| b.session_storage(Arc::clone(&storage)).extended_master_secret(false));

    // An EMS session resumed without the extension in ServerHello.
    let c = client_config(|b| b);
    let session = full(&c, &s_ems);
    let strip =
        &mut server_hello(|sh| sh.extensions.retain(|e| !matches!(e, ServerExtension::ExtendedMasterSecret)));
    let (side, err) = resume_tampered(&c, &s_ems, session, &mut |_| {}, strip);
    assert_eq!(side, "client");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ResumedExtendedMasterSecretChanged));
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));

    // A session without EMS resumed with the extension added.
    let session = full(&c, &s_no_ems);
    assert!(!session.extended_master_secret());
    let add = &mut server_hello(|sh| sh.extensions.push(ServerExtension::ExtendedMasterSecret));
    let (side, err) = resume_tampered(&c, &s_no_ems, session, &mut |_| {}, add);
    assert_eq!(side, "client");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ResumedExtendedMasterSecretChanged));
}

#[test]
fn an_encrypt_then_mac_session_is_never_resumed_without_it() {
    // RFC 7366 §3.1: a session keeps encrypt-then-MAC (a CBC suite: AEAD suites have no MAC).
    let c = client_config(|b| b.cipher_list("ECDHE-RSA-AES128-SHA:AES128-SHA"));
    let s = server_config(|b| b);
    let session = full(&c, &s);
    assert!(session.encrypt_then_mac());
    let no_etm = client_config(|b| b.cipher_list("ECDHE-RSA-AES128-SHA:AES128-SHA").encrypt_then_mac(false));
    assert!(!try_resume(&no_etm, &s, session.clone()), "server: full handshake");
    let strip =
        &mut server_hello(|sh| sh.extensions.retain(|e| !matches!(e, ServerExtension::EncryptThenMac)));
    let (side, err) = resume_tampered(&c, &s, session, &mut |_| {}, strip);
    assert_eq!(side, "client");
    assert_eq!(err, Error::PeerMisbehaved(PeerMisbehaved::ResumedEncryptThenMacDropped));
}

#[test]
fn an_expired_session_gets_a_full_handshake_and_leaves_the_cache() {
    let clock = Arc::new(FakeClock(AtomicU64::new(1_800_000_000)));
    let c = client_config(|b| b);
    let s = server_config(|b| b.time_provider(clock.clone()).session_lifetime(300));
    let session = full(&c, &s);
    clock.0.fetch_add(299, Ordering::SeqCst);
    assert!(try_resume(&c, &s, session.clone()), "still valid at 299 s");
    clock.0.fetch_add(1, Ordering::SeqCst);
    assert_eq!(s.session_storage().len(), 1);
    assert!(!try_resume(&c, &s, session.clone()), "expired at 300 s");
    assert!(s.session_storage().get(session.id()).is_none(), "the expired session was removed");
}

#[test]
fn the_cache_evicts_the_least_recently_used_session_at_capacity() {
    let c = client_config(|b| b);
    let s = server_config(|b| b.session_cache(2));
    let first = full(&c, &s);
    let second = full(&c, &s);
    assert!(try_resume(&c, &s, first.clone())); // `second` is now the least recently used
    let _third = full(&c, &s);
    assert_eq!(s.session_storage().len(), 2);
    assert!(try_resume(&c, &s, first));
    assert!(!try_resume(&c, &s, second));
}

#[test]
fn a_server_with_the_cache_disabled_sends_an_empty_session_id() {
    let c = client_config(|b| b);
    let s = server_config(|b| b.session_cache(0));
    let mut client = client(Arc::clone(&c));
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(client.session().is_none() && server.session().is_none());
    assert!(s.session_storage().is_empty());
}

#[test]
fn a_session_is_not_offered_to_another_server_name() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let session = full(&c, &s);
    assert_eq!(session.server_name(), Some("localhost"));
    let mut client =
        ClientConnection::new_resuming(Arc::clone(&c), name("LOCALHOST"), session.clone()).unwrap();
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(client.session_resumed(), "names compare case-insensitively");
    let mut buf = Vec::new();
    let mut client = ClientConnection::new_resuming(Arc::clone(&c), name("other.example"), session).unwrap();
    client.take_tls(&mut buf);
    let ch = match HandshakeMessage::read_versioned(&mut Reader::new(&buf[5..]), true).unwrap().payload {
        HandshakePayload::ClientHello(ch) => ch,
        _ => unreachable!(),
    };
    assert!(ch.session_id.as_slice().is_empty(), "not offered under another name");
}

#[test]
fn server_refuses_to_resume_under_another_sni() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let session = full(&c, &s);
    // The same session offered without SNI: the server stored it under "localhost".
    let strip_sni =
        &mut client_hello(|ch| ch.extensions.retain(|e| e.ext_type() != ExtensionType::ServerName));
    let mut client = resuming(&c, session);
    let mut server = server(Arc::clone(&s));
    transfer_with(&mut client, &mut server, strip_sni).unwrap();
    // A full handshake follows; the client's transcript differs (we changed its hello), so only
    // the server's choice is checked.
    assert!(!server.session_resumed());
    let mut first = Vec::new();
    server.take_tls(&mut first);
    let sh = match HandshakeMessage::read_versioned(&mut Reader::new(&first[5..]), true).unwrap().payload {
        HandshakePayload::ServerHello(sh) => sh,
        _ => unreachable!(),
    };
    assert_eq!(sh.session_id.as_slice().len(), 32);
    assert_ne!(sh.session_id.as_slice(), client.session().map(|s| s.id().to_vec()).unwrap_or_default());
}

#[test]
fn sessions_are_kept_apart_by_session_id_context() {
    let storage: Arc<dyn StoresServerSessions> = Arc::new(ServerSessionMemoryCache::new(8));
    let a = server_config(|b| b.session_storage(Arc::clone(&storage)).session_id_context(b"a"));
    let b = server_config(|b| b.session_storage(Arc::clone(&storage)).session_id_context(b"b"));
    let c = client_config(|b| b);
    let session = full(&c, &a);
    assert!(!try_resume(&c, &b, session.clone()));
    assert!(try_resume(&c, &a, session));
    let too_long = ServerConfig::builder().session_id_context(&[0; 33]);
    let chain = ferrotls::x509::certs_from_pem(SERVER_CHAIN).unwrap();
    let key = ferrotls::x509::private_key_from_pem(SERVER_KEY).unwrap();
    assert!(matches!(too_long.single_cert(chain, key).build(), Err(Error::Config(_))));
}

#[test]
fn a_connection_ended_by_a_fatal_alert_leaves_no_resumable_session() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let mut client = client(Arc::clone(&c));
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    let id = client.session().unwrap().id().to_vec();
    assert!(s.session_storage().get(&id).is_some());
    client.write_plaintext(b"data").unwrap();
    let err = transfer_with(&mut client, &mut server, &mut |b| {
        let last = b.len() - 1;
        b[last] ^= 1
    })
    .unwrap_err();
    assert_eq!(err, Error::DecryptError);
    assert!(server.session().is_none());
    assert!(s.session_storage().get(&id).is_none(), "removed from the server cache");
    let _ = transfer(&mut server, &mut client); // the client receives bad_record_mac
    assert!(client.session().is_none(), "the client no longer offers it");
}

#[test]
fn a_failed_handshake_stores_no_session() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let mut client = client(Arc::clone(&c));
    let mut server = server(Arc::clone(&s));
    // Corrupt the client's Finished: the server fails at Finished and stores nothing.
    transfer(&mut client, &mut server).unwrap();
    transfer(&mut server, &mut client).unwrap();
    let err = transfer_with(&mut client, &mut server, &mut |b| {
        let last = b.len() - 1;
        b[last] ^= 1
    })
    .unwrap_err();
    assert!(matches!(err, Error::DecryptError | Error::PeerMisbehaved(PeerMisbehaved::IncorrectFinished)));
    assert!(s.session_storage().is_empty());
}

#[test]
fn a_resumed_server_reports_the_client_certificate_of_the_session() {
    let mut cas = ferrotls::x509::RootCertStore::empty();
    cas.add_pem(CA).unwrap();
    let verifier = ferrotls::x509::WebPkiClientVerifier::new(
        Arc::new(cas),
        &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER,
    );
    let s = server_config(|b| b.client_verifier(Arc::new(verifier)));
    let chain = ferrotls::x509::certs_from_pem(include_bytes!("../fixtures/client-chain.pem")).unwrap();
    let key = ferrotls::x509::private_key_from_pem(include_bytes!("../fixtures/client.key")).unwrap();
    let c = client_config(|b| b.client_auth_cert(chain.clone(), key));
    let session = full(&c, &s);
    let mut client = resuming(&c, session);
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(server.session_resumed());
    assert_eq!(server.peer_certificates(), &chain[..]);
}

/// RFC 7301 §3.1: ALPN is a property of the connection, not the session: a resumed handshake
/// negotiates it again from its own ClientHello, and the resumed ServerHello carries the answer.
#[test]
fn a_resumed_handshake_negotiates_alpn_again() {
    let h2 = b"h2".to_vec();
    let http11 = b"http/1.1".to_vec();
    let s = server_config(|b| b.alpn_protocols(vec![h2.clone(), http11.clone()]));
    let first = client_config(|b| b.alpn_protocols(vec![h2.clone()]));
    let session = full(&first, &s);

    // Resumed by a client that now offers only http/1.1: the server selects it again.
    let again = client_config(|b| b.alpn_protocols(vec![http11.clone()]));
    let mut client = resuming(&again, session.clone());
    let mut srv = server(Arc::clone(&s));
    handshake(&mut client, &mut srv).unwrap();
    assert!(client.session_resumed() && srv.session_resumed());
    assert_eq!(client.alpn_protocol(), Some(&http11[..]));
    assert_eq!(srv.alpn_protocol(), Some(&http11[..]));

    // Resumed without ALPN: none on either side.
    let plain = client_config(|b| b);
    let mut client = resuming(&plain, session.clone());
    let mut srv = server(Arc::clone(&s));
    handshake(&mut client, &mut srv).unwrap();
    assert!(client.session_resumed());
    assert_eq!((client.alpn_protocol(), srv.alpn_protocol()), (None, None));

    // Tampering twin: the resumed ServerHello names a protocol the client did not offer.
    let (side, err) = resume_tampered(
        &again,
        &s,
        session,
        &mut |_| {},
        &mut server_hello(|sh| {
            for e in sh.extensions.iter_mut() {
                if let ServerExtension::Alpn(p) = e {
                    *p = b"h2".to_vec();
                }
            }
        }),
    );
    assert_eq!(side, "client");
    assert_eq!(
        err,
        Error::PeerMisbehaved(PeerMisbehaved::SelectedUnofferedApplicationProtocol(b"h2".to_vec()))
    );
}

/// The session ID a client's first flight offers (empty: a full handshake).
fn offered_session_id(client: &mut ClientConnection) -> Vec<u8> {
    let mut buf = Vec::new();
    client.take_tls(&mut buf);
    match HandshakeMessage::read_versioned(&mut Reader::new(&buf[5..]), true).unwrap().payload {
        HandshakePayload::ClientHello(ch) => ch.session_id.as_slice().to_vec(),
        other => panic!("expected ClientHello, got {other:?}"),
    }
}

/// A server whose certificate the verifying client does not trust: `untrusted-chain.pem`.
fn untrusted_server() -> Arc<ServerConfig> {
    let chain = ferrotls::x509::certs_from_pem(include_bytes!("../fixtures/untrusted-chain.pem")).unwrap();
    let key = ferrotls::x509::private_key_from_pem(include_bytes!("../fixtures/server.key")).unwrap();
    Arc::new(ServerConfig::builder().single_cert(chain, key).build().unwrap())
}

/// Issue 13 item 1: resumption skips the Certificate message, so a session made without
/// verification must not stand in for it. The verifying client does a full handshake, sees the
/// untrusted certificate and fails.
#[test]
fn a_session_made_without_verification_is_not_resumed_by_a_verifying_client() {
    let s = untrusted_server();
    let careless =
        Arc::new(ClientConfig::builder().versions(V12, V12).dangerous_no_verification().build().unwrap());
    let session = full(&careless, &s);
    // The twin: the same no-verify configuration may resume it.
    assert!(try_resume(&careless, &s, session.clone()));

    let verifying = client_config(|b| b);
    let mut client = resuming(&verifying, session.clone());
    let mut server = server(Arc::clone(&s));
    let err = handshake(&mut client, &mut server).unwrap_err();
    assert!(!client.session_resumed());
    assert!(matches!(err, Error::InvalidCertificate(_)), "the certificate was verified: {err}");
    assert!(client.received_handshake_types().contains(&HandshakeType::Certificate));
    assert!(offered_session_id(&mut resuming(&verifying, session)).is_empty(), "not even offered");
}

#[test]
fn a_session_is_offered_only_under_the_verifier_that_checked_it() {
    let s = server_config(|b| b);
    let c = client_config(|b| b);
    let session = full(&c, &s);
    // Another configuration sharing the verifier (the same trust anchors) offers it...
    let same_verifier = client_config(|b| b.alpn_protocols(vec![b"x".to_vec()]));
    assert_eq!(offered_session_id(&mut resuming(&same_verifier, session.clone())), session.id());
    // ...one with its own verifier over the same roots, or over other roots, does not.
    let own_verifier = crate::common::client_config(|b| b.versions(V12, V12));
    assert!(offered_session_id(&mut resuming(&own_verifier, session.clone())).is_empty());
    let mut other_roots = ferrotls::x509::RootCertStore::empty();
    other_roots.add_pem(include_bytes!("../fixtures/untrusted-ca.pem")).unwrap();
    let other = Arc::new(ClientConfig::builder().versions(V12, V12).root_store(other_roots).build().unwrap());
    assert!(offered_session_id(&mut resuming(&other, session.clone())).is_empty());
    let careless =
        Arc::new(ClientConfig::builder().versions(V12, V12).dangerous_no_verification().build().unwrap());
    assert!(offered_session_id(&mut resuming(&careless, session)).is_empty());
}

#[test]
fn a_client_does_not_offer_an_expired_session() {
    let clock = Arc::new(FakeClock(AtomicU64::new(1_800_000_000)));
    let c = client_config(|b| b.time_provider(clock.clone()).session_lifetime(60));
    let s = server_config(|b| b.session_lifetime(3600));
    let session = full(&c, &s);
    assert_eq!(session.lifetime_secs(), 60);
    clock.0.fetch_add(59, Ordering::SeqCst);
    assert_eq!(offered_session_id(&mut resuming(&c, session.clone())), session.id(), "valid at 59 s");
    clock.0.fetch_add(1, Ordering::SeqCst);
    assert!(offered_session_id(&mut resuming(&c, session.clone())).is_empty(), "expired at 60 s");
    // A clock that went backwards, or none at all, fails closed.
    clock.0.store(1_700_000_000, Ordering::SeqCst);
    assert!(offered_session_id(&mut resuming(&c, session)).is_empty());
}
