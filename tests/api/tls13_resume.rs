//! TLS 1.3 resumption with tickets (RFC 8446 §2.2, §4.2.11, §4.6.1) between a ferrotls client
//! and server in memory, with the tampering twins: a corrupted binder is decrypt_error; an
//! expired ticket, a ticket for another hash, or a used one gets a full handshake. And the
//! server skipping 0-RTT records it does not accept (§4.2.10), up to its bound.

use super::tls13::{configs, exchange_data, rewrite_client_hello};
use crate::common::*;
use ferrotls::enums::NamedGroup;
use ferrotls::internal::msgs::enums::{AlertDescription, ExtensionType, HandshakeType};
use ferrotls::internal::msgs::extensions::ClientExtension;
use ferrotls::session::TicketKeys;
use ferrotls::x509::{TimeProvider, UnixTime};
use ferrotls::{ClientConfig, Error, ServerConfig};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Debug)]
struct Clock(AtomicU64);

impl TimeProvider for Clock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(self.0.load(Ordering::SeqCst))))
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// One connection: handshake, tickets delivered, data both ways. Returns (resumed, count of
/// server Certificate messages the client received).
fn connect(c: &Arc<ClientConfig>, s: &Arc<ServerConfig>, what: &str) -> bool {
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    handshake(&mut client, &mut server).unwrap();
    assert_eq!(client.protocol_version(), Some(ferrotls::ProtocolVersion::TLSv1_3), "{what}");
    let resumed = client.session_resumed();
    assert_eq!(server.session_resumed(), resumed, "{what}: both sides agree");
    // A resumed handshake has no Certificate, and still knows the server's certificates.
    let certificates = client.received_handshake_types().iter().filter(|t| **t == HandshakeType::Certificate);
    assert_eq!(certificates.count(), usize::from(!resumed), "{what}");
    assert!(!client.peer_certificates().is_empty(), "{what}");
    exchange_data(&mut client, &mut server, what);
    resumed
}

#[test]
fn a_ticket_resumes_with_each_suite_and_is_used_once() {
    for suite in ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"] {
        let (c, s) = configs(0, |b| b.tls13_ciphersuites(suite).tls13_tickets(1), |b| b);
        assert!(!connect(&c, &s, suite));
        // One ticket, one resumption; each resumption brings a new ticket.
        assert!(connect(&c, &s, suite));
        assert!(connect(&c, &s, suite));
        // A client that takes the ticket and never uses it has used it: the next is full.
        let _abandoned = crate::common::client(c.clone());
        assert!(!connect(&c, &s, suite), "{suite}: a ticket offered once is not offered again");
    }
}

#[test]
fn a_server_sends_the_configured_number_of_tickets_and_none_when_off() {
    for (count, tickets_on, resumptions) in [(3, true, 3), (0, true, 0), (2, false, 0)] {
        let (c, s) = configs(0, |b| b.tls13_tickets(count).tickets(tickets_on), |b| b);
        let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
        handshake(&mut client, &mut server).unwrap();
        // Every ticket resumes once (the store keeps several per name).
        for i in 0..resumptions {
            assert!(connect(&c, &s, &format!("ticket {i} of {count}")));
        }
        if resumptions == 0 {
            assert!(!connect(&c, &s, "no tickets"));
        }
    }
}

/// `tls13_tickets` takes any count (`SSL_CTX_set_num_tickets` passes a `size_t` through), but
/// one handshake sends at most `MAX_TLS13_TICKETS`: a huge count must not be a flight without
/// bound. Counted in the server's message log; twin: a count under the cap is sent exactly.
#[test]
fn a_huge_ticket_count_sends_at_most_the_cap() {
    use ferrotls::config::defaults::MAX_TLS13_TICKETS;
    use ferrotls::conn::Observed;
    for (count, sent) in [(usize::MAX, MAX_TLS13_TICKETS), (1000, MAX_TLS13_TICKETS), (5, 5)] {
        let (c, s) = configs(0, |b| b.tls13_tickets(count), |b| b);
        let (mut client, mut server) = (crate::common::client(c), crate::common::server(s));
        server.observe_messages(true);
        handshake(&mut client, &mut server).unwrap();
        exchange_data(&mut client, &mut server, "tickets");
        let tickets = server
            .take_observed()
            .iter()
            .filter(|e| {
                matches!(e, Observed::Message { sent: true, bytes, .. }
                    if bytes.first() == Some(&u8::from(HandshakeType::NewSessionTicket)))
            })
            .count();
        assert_eq!(tickets, sent, "tls13_tickets({count})");
    }
}

#[test]
fn resumption_after_a_hello_retry_request_recomputes_the_binder() {
    let keys = Arc::new(TicketKeys::new(ferrotls::config::default_provider(), 3600).unwrap());
    let (c, s1) = configs(
        0,
        |b| b.ticketer(keys.clone()),
        |b| b.kx_group_names(&[NamedGroup::X25519, NamedGroup::Secp384r1]),
    );
    // The second server shares the ticket keys but only does P-384: HelloRetryRequest.
    let (_, s2) = configs(0, |b| b.ticketer(keys.clone()).kx_group_names(&[NamedGroup::Secp384r1]), |b| b);
    assert!(!connect(&c, &s1, "first"));
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s2.clone()));
    handshake(&mut client, &mut server).unwrap();
    assert!(client.session_resumed() && server.session_resumed());
    assert_eq!(
        server.received_handshake_types().iter().filter(|t| **t == HandshakeType::ClientHello).count(),
        2
    );
    assert_eq!(client.negotiated_group(), Some(NamedGroup::Secp384r1));
    exchange_data(&mut client, &mut server, "resumed after HRR");
}

#[test]
fn a_corrupted_binder_is_decrypt_error() {
    let (c, s) = configs(0, |b| b, |b| b);
    assert!(!connect(&c, &s, "first"));
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    // The binder ends the ClientHello (pre_shared_key is last): flip its last byte.
    let err = transfer_with(&mut client, &mut server, &mut |buf| {
        rewrite_client_hello(buf, |ch| {
            let Some(ClientExtension::Unknown(ExtensionType::PreSharedKey, body)) = ch.extensions.last_mut()
            else {
                panic!("no pre_shared_key last")
            };
            *body.last_mut().unwrap() ^= 1;
        })
    })
    .unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::DecryptError), "{err}");
    assert!(err.to_string().contains("binder"), "{err}");
    // Twin: the same hello untouched resumes (the store still has the second ticket).
    assert!(connect(&c, &s, "intact binder"));
}

#[test]
fn a_psk_extension_that_is_not_last_is_illegal_parameter() {
    let (c, s) = configs(0, |b| b, |b| b);
    assert!(!connect(&c, &s, "first"));
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    let err = transfer_with(&mut client, &mut server, &mut |buf| {
        rewrite_client_hello(buf, |ch| {
            let psk = ch.extensions.pop().unwrap();
            ch.extensions.insert(0, psk);
        })
    })
    .unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter), "{err}");
}

#[test]
fn an_expired_ticket_gets_a_full_handshake() {
    let clock = Arc::new(Clock(AtomicU64::new(now_secs())));
    let (c, s) = configs(0, |b| b.time_provider(clock.clone()).session_lifetime(600), |b| b);
    assert!(!connect(&c, &s, "first"));
    // Within the lifetime (the client's clock agrees: the age it reports is close to ours).
    assert!(connect(&c, &s, "fresh ticket"));
    // Ten minutes later by the server's clock only: the ticket is expired for it, and the age
    // the client reports is far from what the server computes. A full handshake, no alert.
    clock.0.fetch_add(601, Ordering::SeqCst);
    assert!(!connect(&c, &s, "expired ticket"));
    // And a ticket whose reported age strays past the tolerance, while not expired.
    let (c, s) = configs(0, |b| b.time_provider(clock.clone()).session_lifetime(6000), |b| b);
    assert!(!connect(&c, &s, "first"));
    clock.0.fetch_add(60, Ordering::SeqCst);
    assert!(!connect(&c, &s, "age out of the window"));
}

#[test]
fn a_ticket_for_another_hash_gets_a_full_handshake() {
    let keys = Arc::new(TicketKeys::new(ferrotls::config::default_provider(), 3600).unwrap());
    let (c, s384) =
        configs(0, |b| b.ticketer(keys.clone()).tls13_ciphersuites("TLS_AES_256_GCM_SHA384"), |b| b);
    let (_, s256) =
        configs(0, |b| b.ticketer(keys.clone()).tls13_ciphersuites("TLS_AES_128_GCM_SHA256"), |b| b);
    assert!(!connect(&c, &s384, "first"));
    // The SHA-384 ticket cannot resume a SHA-256 suite (RFC 8446 §4.2.11).
    assert!(!connect(&c, &s256, "SHA-256 server"));
    // Twin: a SHA-256 suite of the same hash resumes a SHA-256 ticket.
    let (_, s_chacha) =
        configs(0, |b| b.ticketer(keys.clone()).tls13_ciphersuites("TLS_CHACHA20_POLY1305_SHA256"), |b| b);
    assert!(connect(&c, &s_chacha, "ChaCha20 after AES-128, both SHA-256"));
}

#[test]
fn a_ticket_from_a_server_with_other_ticket_keys_gets_a_full_handshake() {
    let (c, s1) = configs(0, |b| b, |b| b);
    let (_, s2) = configs(0, |b| b, |b| b); // other ticket keys
    assert!(!connect(&c, &s1, "first"));
    assert!(!connect(&c, &s2, "other keys"));
}

/// A server whose client announces early_data: its 0-RTT records are skipped up to the bound.
#[test]
fn a_server_skips_early_data_up_to_its_bound_then_refuses() {
    for (garbage_records, ok) in [(3usize, true), (40, false)] {
        let (c, s) = configs(0, |b| b.max_early_data_size(4000), |b| b);
        let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
        let result = transfer_with(&mut client, &mut server, &mut |buf| {
            rewrite_client_hello(buf, |ch| {
                ch.extensions.insert(0, ClientExtension::Unknown(ExtensionType::EarlyData, Vec::new()))
            });
            // 0-RTT records the server cannot open (it has no early traffic key).
            for i in 0..garbage_records {
                buf.extend_from_slice(&[23, 3, 3, 0x03, 0xe8]);
                buf.extend((0..1000).map(|j| (i + j) as u8));
            }
        });
        if ok {
            result.unwrap();
            // The server answered with its whole flight.
            let mut out = Vec::new();
            server.take_tls(&mut out);
            assert!(out.len() > 500);
        } else {
            let err = result.unwrap_err();
            assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage), "{err}");
            assert!(err.to_string().contains("early data"), "{err}");
        }
    }
    // Twin: without early_data in ClientHello, the same record is bad_record_mac.
    let (c, s) = configs(0, |b| b, |b| b);
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    let err = transfer_with(&mut client, &mut server, &mut |buf| {
        buf.extend_from_slice(&[23, 3, 3, 0, 100]);
        buf.extend([7u8; 100]);
    })
    .unwrap_err();
    assert_eq!(err, Error::DecryptError);
}

/// The connection hands out the newest ticket once the records carrying it were read (none
/// before the handshake, none when the server sends none); it resumes from a configuration
/// with no store (offered directly), and a fresh import of its encoding resumes too. Twins: the
/// same ticket given to a second connection is not offered (RFC 8446 §C.4: the server would
/// still take it, as the import shows), so the connection hands out its next ticket; a ticket
/// offered to a server with other ticket keys gets a full handshake; a tampered encoding does
/// not import.
#[test]
fn tls13_resume_with_the_ticket_a_connection_hands_out() {
    let (c, s) = configs(0, |b| b.tls13_tickets(2), |b| b.session_cache(0));
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    assert!(client.tls13_session().is_none(), "no ticket before the handshake");
    handshake(&mut client, &mut server).unwrap();
    exchange_data(&mut client, &mut server, "first");
    let ticket = client.tls13_session().expect("a ticket after reading application data");
    let again = client.tls13_session().expect("asked again before it is used");
    assert_eq!(again.ticket(), ticket.ticket(), "the same ticket until a connection offers it");
    let name = || ferrotls::ServerName::try_from("localhost").unwrap();
    // No store: a plain new connection has nothing to offer.
    assert!(!connect(&c, &s, "store off"));
    let resume = |t: ferrotls::session::Tls13Session, s: &Arc<ServerConfig>| {
        let mut client = ferrotls::ClientConnection::new_resuming_tls13(c.clone(), name(), t).unwrap();
        let mut server = crate::common::server(s.clone());
        handshake(&mut client, &mut server).unwrap();
        assert_eq!(server.session_resumed(), client.session_resumed());
        exchange_data(&mut client, &mut server, "resuming");
        client.session_resumed()
    };
    assert!(!ticket.was_offered());
    assert!(resume(ticket.clone(), &s), "the handed-out ticket resumes");
    assert!(ticket.was_offered() && again.was_offered(), "clones share the ticket's use");
    assert!(!resume(again, &s), "a ticket is offered by one connection only");
    let imported = c.import_tls13_session(&ticket.to_bytes()).unwrap();
    assert!(!imported.was_offered(), "an import is a copy of its own");
    assert!(resume(imported, &s), "the server still takes it: the client refused the second offer");
    let next = client.tls13_session().expect("the server's other ticket");
    assert_ne!(next.ticket(), ticket.ticket(), "the used ticket is not handed out again");
    assert!(client.tls13_session().is_some_and(|t| t.ticket() == next.ticket()));
    // A server that sends no tickets leaves nothing to hand out.
    let (c0, s0) = configs(0, |b| b.tls13_tickets(0), |b| b);
    let (mut client0, mut server0) = (crate::common::client(c0), crate::common::server(s0));
    handshake(&mut client0, &mut server0).unwrap();
    exchange_data(&mut client0, &mut server0, "no tickets");
    assert!(client0.tls13_session().is_none(), "the server sent no ticket");
    let (_, other) = configs(0, |b| b, |b| b);
    assert!(!resume(next.clone(), &other), "another server's keys: full handshake");
    assert!(client.tls13_session().is_none(), "both tickets were offered");
    let mut bytes = ticket.to_bytes();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    let mut cut = ticket.to_bytes();
    cut.pop();
    assert!(c.import_tls13_session(&cut).is_err(), "a cut encoding");
    // A flipped byte in the middle either fails to decode or changes what is offered: the
    // server then refuses it (binder or ticket), never a crash.
    if let Ok(t) = c.import_tls13_session(&bytes) {
        let mut client = ferrotls::ClientConnection::new_resuming_tls13(c.clone(), name(), t).unwrap();
        let mut server = crate::common::server(s.clone());
        let _ = handshake(&mut client, &mut server);
    }
}

/// A ticket handed out by `tls13_session` is the application's: the configuration's session
/// store, which keeps it too, no longer offers it, so that it is offered once (RFC 8446 §C.4),
/// by the connection it is given to. Twin: a ticket the store offered first is not handed out.
#[test]
fn a_handed_out_tls13_ticket_is_not_offered_by_the_session_store() {
    let (c, s) = configs(0, |b| b.tls13_tickets(1), |b| b);
    let name = || ferrotls::ServerName::try_from("localhost").unwrap();
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    handshake(&mut client, &mut server).unwrap();
    exchange_data(&mut client, &mut server, "first");
    let ticket = client.tls13_session().expect("the one ticket");
    assert!(!connect(&c, &s, "the store skips the handed-out ticket"));
    assert!(!ticket.was_offered());
    let mut resuming =
        ferrotls::ClientConnection::new_resuming_tls13(c.clone(), name(), ticket.clone()).unwrap();
    let mut server = crate::common::server(s.clone());
    handshake(&mut resuming, &mut server).unwrap();
    assert!(resuming.session_resumed() && server.session_resumed(), "given to a connection, it resumes");

    let (c, s) = configs(0, |b| b.tls13_tickets(1), |b| b);
    let (mut client, mut server) = (crate::common::client(c.clone()), crate::common::server(s.clone()));
    handshake(&mut client, &mut server).unwrap();
    exchange_data(&mut client, &mut server, "first");
    assert!(connect(&c, &s, "not handed out: the store offers it"));
    assert!(client.tls13_session().is_none(), "the store's connection offered the only ticket");
}
