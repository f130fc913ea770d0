//! Session tickets (RFC 5077) and the client's session store: resumption by ticket against
//! the flows table, and its tampering twins (a changed ticket, an expired one, a rotated-out
//! key, tickets off on either side, an unannounced NewSessionTicket), and the session byte
//! encoding's import.

use crate::common::*;
use ferrotls::internal::codec::{Codec, Reader};
use ferrotls::internal::handshake::flows;
use ferrotls::internal::msgs::enums::{ExtensionType, HandshakeType};
use ferrotls::internal::msgs::extensions::{ClientExtension, ServerExtension};
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::session::{TicketKeys, Ticketer};
use ferrotls::x509::{ServerCertVerifier, TimeProvider, UnixTime, WebPkiServerVerifier};
use ferrotls::{ClientConfig, ClientConnection, ConnectionCommon, Error, ServerConfig, ServerName};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

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

fn client_config(
    f: impl FnOnce(ferrotls::config::ClientConfigBuilder) -> ferrotls::config::ClientConfigBuilder,
) -> Arc<ClientConfig> {
    // RFC 5077 tickets are TLS 1.2; TLS 1.3 resumes with PSKs, which ferrotls does not do yet
    // (a test may still set another range).
    let b = ClientConfig::builder().versions(V12, V12);
    Arc::new(f(b).verifier(shared_verifier()).build().unwrap())
}

/// One connection from `c` to `s`, driven to the end of the handshake; `tamper` sees the
/// ClientHello.
fn connect_with(
    c: &Arc<ClientConfig>,
    s: &Arc<ServerConfig>,
    tamper: &mut dyn FnMut(&mut Vec<u8>),
) -> (ClientConnection, ferrotls::ServerConnection) {
    let mut client = client(Arc::clone(c));
    let mut server = server(Arc::clone(s));
    transfer_with(&mut client, &mut server, tamper).unwrap();
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.session_resumed(), server.session_resumed());
    (client, server)
}

fn connect(c: &Arc<ClientConfig>, s: &Arc<ServerConfig>) -> (ClientConnection, ferrotls::ServerConnection) {
    connect_with(c, s, &mut |_| {})
}

/// The handshake messages of an abbreviated handshake in flight order.
fn abbreviated_sequence(client: &ConnectionCommon, server: &ConnectionCommon) -> Vec<HandshakeType> {
    let mut seen = vec![server.received_handshake_types()[0]];
    seen.extend_from_slice(client.received_handshake_types());
    seen.extend_from_slice(&server.received_handshake_types()[1..]);
    seen
}

/// Rewrites the ClientHello (the first record) with `f`.
fn rewrite_client_hello(f: impl Fn(&mut Vec<ClientExtension>)) -> impl FnMut(&mut Vec<u8>) {
    move |buf: &mut Vec<u8>| {
        let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
        let mut msg = HandshakeMessage::read_versioned(&mut Reader::new(&buf[5..5 + len]), true).unwrap();
        match &mut msg.payload {
            HandshakePayload::ClientHello(ch) => f(&mut ch.extensions),
            other => panic!("expected ClientHello, got {other:?}"),
        }
        let encoded = msg.encoding();
        let mut out = buf[..3].to_vec();
        out.extend_from_slice(&(encoded.len() as u16).to_be_bytes());
        out.extend_from_slice(&encoded);
        out.extend_from_slice(&buf[5 + len..]);
        *buf = out;
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
fn a_session_resumes_by_ticket_from_the_client_store_and_the_server_keeps_nothing() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let (client, server) = connect(&c, &s);
    assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL_WITH_TICKET);
    let session = client.session().expect("a ticket makes the session resumable");
    assert!(session.id().is_empty(), "RFC 5077 §3.4: no session ID with a ticket");
    assert!(!session.ticket().is_empty());
    assert_eq!(session.ticket_lifetime_hint(), 300, "the session lifetime bounds the hint");
    assert!(s.session_storage().is_empty(), "the ticket carries the session, not the cache");
    assert_eq!(c.session_store().len(), 1);

    // A plain new connection offers the stored session by itself.
    let (mut client, mut server) = connect(&c, &s);
    assert!(client.session_resumed() && server.session_resumed());
    assert!(client.session_resumed_by_ticket() && server.session_resumed_by_ticket());
    assert_eq!(abbreviated_sequence(&client, &server), flows::TLS12_ABBREVIATED_BY_TICKET);
    assert_eq!(client.peer_certificates(), session.peer_certificates());
    assert!(!server.session().unwrap().id().is_empty(), "the client's ID echoed");
    client.write_plaintext(b"ping").unwrap();
    transfer(&mut client, &mut server).unwrap();
    assert_eq!(read_all(&mut server), b"ping");
    // And again: the ticket was not used up.
    assert!(connect(&c, &s).0.session_resumed());
}

#[test]
fn a_changed_ticket_gets_a_full_handshake_without_an_alert_and_a_new_ticket() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    connect(&c, &s);
    let flip = &mut rewrite_client_hello(|exts| {
        for e in exts.iter_mut() {
            if let ClientExtension::SessionTicket(t) = e {
                assert!(!t.is_empty(), "the stored ticket is offered");
                let last = t.len() - 1;
                t[last] ^= 1;
            }
        }
    });
    let mut client = client(Arc::clone(&c));
    let mut server = server(Arc::clone(&s));
    transfer_with(&mut client, &mut server, flip).unwrap();
    // The server answers with a full handshake (it cannot know the hello was changed in
    // flight; the client's Finished would fail on the transcript, so only the server's choice
    // is checked here).
    assert!(server.error().is_none());
    let mut flight = Vec::new();
    server.take_tls(&mut flight);
    let sh = match HandshakeMessage::read_versioned(&mut Reader::new(&flight[5..]), true).unwrap().payload {
        HandshakePayload::ServerHello(sh) => sh,
        other => panic!("{other:?}"),
    };
    assert!(sh.session_id.as_slice().is_empty(), "not resumed, and a new ticket is coming");
    assert!(sh.extensions.contains(&ServerExtension::SessionTicketAck));
    assert!(!server.session_resumed());
}

#[test]
fn a_ticket_another_server_sealed_gets_a_full_handshake_and_a_ticket_of_its_own() {
    let c = client_config(|b| b);
    let a = server_config(|b| b);
    let b = server_config(|b| b);
    connect(&c, &a);
    let (client, server) = connect(&c, &b);
    assert!(!client.session_resumed() && !server.session_resumed());
    assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL_WITH_TICKET);
    // The new ticket replaced the old one: b resumes it.
    assert!(connect(&c, &b).0.session_resumed());
    // Servers sharing ticket keys resume each other's tickets.
    let keys: Arc<dyn Ticketer> =
        Arc::new(TicketKeys::new(&ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER, 0).unwrap());
    let x = server_config(|b| b.ticketer(Arc::clone(&keys)));
    let y = server_config(|b| b.ticketer(Arc::clone(&keys)));
    connect(&c, &x);
    assert!(connect(&c, &y).0.session_resumed());
}

#[test]
fn an_expired_ticket_gets_a_full_handshake() {
    let clock = Arc::new(FakeClock(AtomicU64::new(1_800_000_000)));
    let c = client_config(|b| b.session_lifetime(3600));
    let s =
        server_config(|b| b.time_provider(Arc::clone(&clock) as Arc<dyn TimeProvider>).session_lifetime(100));
    let session = connect(&c, &s).0.session().unwrap();
    let resume = |session: &ferrotls::Tls12Session| {
        let mut client = ClientConnection::new_resuming(
            Arc::clone(&c),
            ServerName::try_from("localhost").unwrap(),
            session.clone(),
        )
        .unwrap();
        let mut server = server(Arc::clone(&s));
        handshake(&mut client, &mut server).unwrap();
        client.session_resumed()
    };
    clock.0.store(1_800_000_099, Ordering::SeqCst);
    assert!(resume(&session), "within the server's lifetime");
    clock.0.store(1_800_000_100, Ordering::SeqCst);
    assert!(!resume(&session), "the server's lifetime has passed");
}

#[test]
fn a_rotated_out_key_is_accepted_once_with_a_renewed_ticket_then_not() {
    let keys = Arc::new(TicketKeys::new(&ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER, 0).unwrap());
    let c = client_config(|b| b.session_cache(0));
    let s = server_config(|b| b.ticketer(Arc::clone(&keys) as Arc<dyn Ticketer>));
    let first = connect(&c, &s).0.session().unwrap();
    let resume = |session: &ferrotls::Tls12Session| {
        let mut client = ClientConnection::new_resuming(
            Arc::clone(&c),
            ServerName::try_from("localhost").unwrap(),
            session.clone(),
        )
        .unwrap();
        let mut server = server(Arc::clone(&s));
        handshake(&mut client, &mut server).unwrap();
        (client, server)
    };
    keys.rotate().unwrap();
    let (client, server) = resume(&first);
    assert!(client.session_resumed(), "the previous key still opens its tickets");
    assert_eq!(abbreviated_sequence(&client, &server), flows::TLS12_ABBREVIATED_RENEWING_TICKET);
    let renewed = client.session().unwrap();
    assert_ne!(renewed.ticket(), first.ticket());
    assert_eq!(renewed.creation_time(), first.creation_time(), "renewal does not extend the session");
    keys.rotate().unwrap();
    let (client, server) = resume(&first);
    assert!(!client.session_resumed(), "two rotations later the first key is gone");
    assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL_WITH_TICKET);
    assert!(resume(&renewed).0.session_resumed(), "the renewed ticket's key is still previous");
}

#[test]
fn tickets_off_on_either_side_resume_by_session_id() {
    for (client_tickets, server_tickets) in [(false, true), (true, false)] {
        let c = client_config(|b| b.tickets(client_tickets));
        let s = server_config(|b| b.tickets(server_tickets));
        let (client, server) = connect(&c, &s);
        assert_eq!(wire_sequence(&client, &server), flows::TLS12_ECDHE_FULL);
        let session = client.session().unwrap();
        assert!(session.ticket().is_empty());
        assert_eq!(session.id().len(), 32);
        assert_eq!(s.session_storage().len(), 1);
        let (client, server) = connect(&c, &s);
        assert!(client.session_resumed() && server.session_resumed(), "{client_tickets} {server_tickets}");
        assert!(!client.session_resumed_by_ticket() && !server.session_resumed_by_ticket());
    }
    // Off on the client: no SessionTicket extension at all.
    let c = client_config(|b| b.tickets(false));
    let mut hello = Vec::new();
    client(c).take_tls(&mut hello);
    let ch = match HandshakeMessage::read_versioned(&mut Reader::new(&hello[5..]), true).unwrap().payload {
        HandshakePayload::ClientHello(ch) => ch,
        other => panic!("{other:?}"),
    };
    assert!(ch.extension(ExtensionType::SessionTicket).is_none());
}

#[test]
fn a_ticket_only_session_is_not_offered_by_a_client_with_tickets_off() {
    let with = client_config(|b| b.session_cache(0));
    let without = client_config(|b| b.tickets(false).session_cache(0));
    let s = server_config(|b| b);
    let session = connect(&with, &s).0.session().unwrap();
    let mut client = ClientConnection::new_resuming(
        Arc::clone(&without),
        ServerName::try_from("localhost").unwrap(),
        session,
    )
    .unwrap();
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(!client.session_resumed());
}

/// Runs a handshake up to the server's last flight and hands that flight to `tamper` on its
/// way to the client; returns the client's error.
fn final_flight_tampered(c: &Arc<ClientConfig>, tamper: &mut dyn FnMut(&mut Vec<u8>)) -> Error {
    let s = server_config(|b| b);
    let mut client = client(Arc::clone(c));
    let mut server = server(Arc::clone(&s));
    transfer(&mut client, &mut server).unwrap();
    transfer(&mut server, &mut client).unwrap();
    transfer(&mut client, &mut server).unwrap();
    let err = transfer_with(&mut server, &mut client, tamper).unwrap_err();
    assert!(c.session_store().is_empty());
    err
}

#[test]
fn client_refuses_a_new_session_ticket_that_server_hello_did_not_announce() {
    // Tickets off: the server sends CCS and Finished; a plaintext NewSessionTicket record is
    // put in front of them.
    let c = client_config(|b| b.tickets(false));
    let err = final_flight_tampered(&c, &mut |buf| {
        let nst = HandshakeMessage {
            payload: HandshakePayload::NewSessionTicket(
                ferrotls::internal::msgs::new_session_ticket::NewSessionTicket {
                    lifetime_hint: 1,
                    ticket: vec![1; 40],
                },
            ),
        }
        .encoding();
        let mut record = vec![22, 3, 3];
        record.extend_from_slice(&(nst.len() as u16).to_be_bytes());
        record.extend_from_slice(&nst);
        buf.splice(0..0, record);
    });
    assert!(
        matches!(
            &err,
            Error::PeerMisbehaved(ferrotls::PeerMisbehaved::UnexpectedMessage {
                expected: "ChangeCipherSpec",
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn client_refuses_a_change_cipher_spec_in_place_of_the_announced_new_session_ticket() {
    // The twin: ServerHello announced a ticket; the NewSessionTicket record is cut out.
    let c = client_config(|b| b);
    let err = final_flight_tampered(&c, &mut |buf| {
        assert_eq!(buf[0], 22, "the flight starts with NewSessionTicket");
        let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
        buf.drain(..5 + len);
    });
    assert!(
        matches!(
            &err,
            Error::PeerMisbehaved(ferrotls::PeerMisbehaved::UnexpectedMessage {
                expected: "NewSessionTicket",
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn a_session_exported_as_bytes_resumes_after_import_under_a_verifying_configuration() {
    let c = client_config(|b| b.session_cache(0));
    let s = server_config(|b| b);
    let bytes = connect(&c, &s).0.session().unwrap().to_bytes();
    // Another configuration (another verifier object, same trust anchors) takes it after
    // verifying its certificates again.
    let other = client_config_with_own_verifier();
    let imported = other.import_session(&bytes).unwrap();
    let mut client = ClientConnection::new_resuming(
        Arc::clone(&other),
        ServerName::try_from("localhost").unwrap(),
        imported,
    )
    .unwrap();
    let mut srv = server(Arc::clone(&s));
    handshake(&mut client, &mut srv).unwrap();
    assert!(client.session_resumed());
    // Without the import (no verification tied to `other`) the session is not offered.
    let raw =
        ferrotls::Tls12Session::from_bytes(&bytes, &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER).unwrap();
    let mut client =
        ClientConnection::new_resuming(Arc::clone(&other), ServerName::try_from("localhost").unwrap(), raw)
            .unwrap();
    let mut server = server(Arc::clone(&s));
    handshake(&mut client, &mut server).unwrap();
    assert!(!client.session_resumed());
    // A configuration that does not trust the server's CA refuses the import.
    let mut empty = ferrotls::x509::RootCertStore::empty();
    empty.add_pem(include_bytes!("../fixtures/ecdsa-p256-ca.pem")).unwrap();
    let untrusting = Arc::new(ClientConfig::builder().versions(V12, V12).root_store(empty).build().unwrap());
    assert!(untrusting.import_session(&bytes).is_err());
    // Changed bytes are refused.
    let mut changed = bytes.to_vec();
    changed[0] = 9;
    assert!(matches!(other.import_session(&changed), Err(Error::Config(_))));
    assert!(other.import_session(&bytes[..bytes.len() - 1]).is_err());
}

fn client_config_with_own_verifier() -> Arc<ClientConfig> {
    Arc::new(ClientConfig::builder().versions(V12, V12).root_store(roots()).session_cache(0).build().unwrap())
}

#[test]
fn a_fatal_alert_removes_the_session_from_the_client_store() {
    let c = client_config(|b| b);
    let s = server_config(|b| b);
    let (mut client, mut server) = connect(&c, &s);
    assert_eq!(c.session_store().len(), 1);
    server.write_plaintext(b"data").unwrap();
    let err = transfer_with(&mut server, &mut client, &mut |b| {
        let last = b.len() - 1;
        b[last] ^= 1
    })
    .unwrap_err();
    assert_eq!(err, Error::DecryptError);
    assert!(c.session_store().is_empty(), "RFC 5246 §7.2.2");
    assert!(!connect(&c, &s).0.session_resumed());
}

#[test]
fn the_server_cache_holds_session_encodings() {
    let c = client_config(|b| b.tickets(false));
    let s = server_config(|b| b);
    let session = connect(&c, &s).0.session().unwrap();
    let stored = s.session_storage().get(session.id()).unwrap();
    let decoded =
        ferrotls::Tls12Session::from_bytes(&stored, &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER).unwrap();
    assert_eq!(decoded.cipher_suite().suite, session.cipher_suite().suite);
    assert_eq!(decoded.server_name(), Some("localhost"));
}
