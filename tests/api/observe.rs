//! The message log (`ConnectionCommon::observe_messages`, what the OpenSSL layer's message
//! callback reports): every record header, TLS 1.3 inner content type and handshake message in
//! plaintext, both directions, also the encrypted ones; never application data. Its twins: off
//! by default, and a record changed in flight shows as the alert each side sent and read.

use crate::common::*;
use ferrotls::conn::Observed;
use ferrotls::enums::ContentType;
use ferrotls::{ClientConnection, ConnectionCommon, ServerName};
use std::sync::Arc;

/// (sent, handshake type) of each handshake message in the log, in order.
fn handshakes(log: &[Observed]) -> Vec<(bool, u8)> {
    log.iter()
        .filter_map(|e| match e {
            Observed::Message { sent, typ: ContentType::Handshake, bytes, .. } => Some((*sent, bytes[0])),
            _ => None,
        })
        .collect()
}

/// The handshake messages' bytes sent (or received) by one side.
fn messages(log: &[Observed], want_sent: bool) -> Vec<Vec<u8>> {
    log.iter()
        .filter_map(|e| match e {
            Observed::Message { sent, typ: ContentType::Handshake, bytes, .. } if *sent == want_sent => {
                Some(bytes.clone())
            }
            _ => None,
        })
        .collect()
}

fn observed_pair(
    client_cfg: Arc<ferrotls::ClientConfig>,
    server_cfg: Arc<ferrotls::ServerConfig>,
) -> (ClientConnection, ferrotls::ServerConnection) {
    let name = ServerName::try_from("localhost").unwrap();
    let c = ClientConnection::new_observed(client_cfg, name, None).unwrap();
    let mut s = server(server_cfg);
    s.observe_messages(true);
    (c, s)
}

fn run(client: &mut ConnectionCommon, server: &mut ConnectionCommon) -> (Vec<Observed>, Vec<Observed>) {
    handshake(client, server).unwrap();
    // Application data both ways: headers (and inner types) only.
    client.write_plaintext(b"top secret request").unwrap();
    transfer(client, server).unwrap();
    assert_eq!(read_all(server), b"top secret request");
    server.write_plaintext(b"top secret answer").unwrap();
    transfer(server, client).unwrap();
    assert_eq!(read_all(client), b"top secret answer");
    (client.take_observed(), server.take_observed())
}

fn no_plaintext_of_application_data(log: &[Observed]) {
    for e in log {
        if let Observed::Message { bytes, typ, .. } = e {
            assert!(!bytes.windows(10).any(|w| w == b"top secret"), "application data logged as {typ:?}");
        }
    }
}

#[test]
fn tls13_log_holds_every_handshake_message_in_plaintext_both_ways() {
    let (mut c, mut s) = observed_pair(client_config(|b| b), server_config(|b| b));
    let (clog, slog) = run(&mut c, &mut s);
    // ClientHello; ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished;
    // the client's Finished; the server's NewSessionTickets after it.
    let mut want = vec![(true, 1), (false, 2), (false, 8), (false, 11), (false, 15), (false, 20), (true, 20)];
    let tickets = handshakes(&clog).iter().filter(|m| **m == (false, 4)).count();
    assert!(tickets >= 1, "{:?}", handshakes(&clog));
    want.extend(std::iter::repeat_n((false, 4), tickets));
    assert_eq!(handshakes(&clog), want);
    let flipped: Vec<_> = want.iter().map(|(sent, t)| (!sent, *t)).collect();
    assert_eq!(handshakes(&slog), flipped);
    // Each message is the same plaintext at both ends (the encrypted ones too).
    assert_eq!(messages(&clog, true), messages(&slog, false));
    assert_eq!(messages(&slog, true), messages(&clog, false));
    // Protected records: header says application_data (23), the inner type is logged.
    let inner = |log: &[Observed], sent: bool| {
        log.iter().filter(|e| matches!(e, Observed::InnerContentType { sent: s, .. } if *s == sent)).count()
    };
    // The client's Finished and its data record; the server's four messages, tickets, data.
    assert_eq!(inner(&clog, true), 2);
    assert_eq!(inner(&slog, true), 4 + tickets + 1);
    assert_eq!(inner(&clog, false), inner(&slog, true));
    let headers =
        |log: &[Observed]| log.iter().filter(|e| matches!(e, Observed::RecordHeader { .. })).count();
    assert_eq!(headers(&clog), headers(&slog));
    // The client's version is unknown when it sends the hello, TLS 1.3 when it reads EE.
    let versions: Vec<_> = clog
        .iter()
        .filter_map(|e| match e {
            Observed::Message { typ: ContentType::Handshake, version, .. } => Some(*version),
            _ => None,
        })
        .collect();
    assert_eq!(versions[0], None);
    assert_eq!(versions[2], Some(ferrotls::ProtocolVersion::TLSv1_3));
    no_plaintext_of_application_data(&clog);
    no_plaintext_of_application_data(&slog);
    // Taken once.
    assert!(c.take_observed().is_empty());
}

#[test]
fn tls12_log_holds_change_cipher_spec_and_the_encrypted_finished() {
    let (mut c, mut s) =
        observed_pair(client_config(|b| b.versions(V12, V12)), server_config(|b| b.versions(V12, V12)));
    let (clog, slog) = run(&mut c, &mut s);
    let hs = handshakes(&clog);
    assert_eq!(hs.first(), Some(&(true, 1)));
    assert_eq!(hs.iter().filter(|m| m.1 == 20).count(), 2, "{hs:?}");
    assert_eq!(messages(&clog, true), messages(&slog, false));
    assert_eq!(messages(&slog, true), messages(&clog, false));
    let ccs = |log: &[Observed], sent: bool| {
        log.iter()
            .filter(|e| {
                matches!(e, Observed::Message { sent: s, typ: ContentType::ChangeCipherSpec, bytes, .. }
                    if *s == sent && bytes == &[1])
            })
            .count()
    };
    assert_eq!((ccs(&clog, true), ccs(&clog, false), ccs(&slog, true), ccs(&slog, false)), (1, 1, 1, 1));
    assert!(!clog.iter().any(|e| matches!(e, Observed::InnerContentType { .. })));
    no_plaintext_of_application_data(&clog);
    no_plaintext_of_application_data(&slog);
}

#[test]
fn log_is_off_by_default_and_when_turned_off() {
    let mut c = client(client_config(|b| b));
    let mut s = server(server_config(|b| b));
    handshake(&mut c, &mut s).unwrap();
    assert!(c.take_observed().is_empty());
    assert!(s.take_observed().is_empty());
    let (mut c, mut s) = observed_pair(client_config(|b| b), server_config(|b| b));
    c.observe_messages(false);
    s.observe_messages(false);
    handshake(&mut c, &mut s).unwrap();
    assert!(c.take_observed().is_empty());
    assert!(s.take_observed().is_empty());
}

#[test]
fn a_record_changed_in_flight_shows_as_the_alerts_sent_and_read() {
    let (mut c, mut s) = observed_pair(client_config(|b| b), server_config(|b| b));
    transfer(&mut c, &mut s).unwrap();
    // Flip a byte of the server's last record (its Finished, protected): the client cannot open it.
    let r = transfer_with(&mut s, &mut c, &mut |buf| {
        let last = buf.len() - 1;
        buf[last] ^= 1;
    });
    assert!(r.is_err());
    transfer(&mut c, &mut s).ok();
    let alert = |log: &[Observed], sent: bool| {
        log.iter().find_map(|e| match e {
            Observed::Message { sent: s, typ: ContentType::Alert, bytes, .. } if *s == sent => {
                Some(bytes.clone())
            }
            _ => None,
        })
    };
    let (clog, slog) = (c.take_observed(), s.take_observed());
    // bad_record_mac(20), fatal.
    assert_eq!(alert(&clog, true), Some(vec![2, 20]));
    assert_eq!(alert(&slog, false), Some(vec![2, 20]));
    // The Finished never opened: the client logged no received Finished.
    assert!(!handshakes(&clog).contains(&(false, 20)));
}
