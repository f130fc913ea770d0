//! Key logging (NSS key log format) and keying material exporters (RFC 5705) through the Rust
//! API, client and server in memory. The same against real peers is in tests/keylog.rs.

use crate::common::*;
use ferrotls::config::key_log::{nss_key_log_line, KeyLog, CLIENT_RANDOM};
use ferrotls::internal::key_schedule::{derive_exported_keying_material, Prf};
use ferrotls::{Error, ServerName};
use std::sync::{Arc, Mutex};

/// A logged secret: label, ClientHello.random, secret.
type Line = (String, [u8; 32], Vec<u8>);

/// Keeps every line it is given.
#[derive(Debug, Default)]
struct Lines(Mutex<Vec<Line>>);

impl KeyLog for Lines {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        self.0.lock().unwrap().push((label.to_owned(), *client_random, secret.to_vec()));
    }
}

impl Lines {
    fn take(&self) -> Vec<Line> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The CLIENT_RANDOM line and RFC 5705 are TLS 1.2 (tests/api/tls13.rs has TLS 1.3's five
/// secrets and §7.5 exporter): the servers here speak 1.2.
fn server_config(
    f: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
) -> Arc<ferrotls::ServerConfig> {
    crate::common::server_config(|b| f(b.versions(V12, V12)))
}

fn sha256_prf() -> Prf {
    Prf::Tls12 { hmac: &ferrotls::crypto::rustcrypto::hash::HMAC_SHA256 }
}

/// Runs a handshake and returns (ClientHello.random, ServerHello.random) as they crossed the
/// wire: both sit at offset 11 of the first record each side sends (record header 5,
/// handshake header 4, version 2).
fn handshake_seeing_randoms(
    c: &mut ferrotls::ConnectionCommon,
    s: &mut ferrotls::ConnectionCommon,
) -> ([u8; 32], [u8; 32]) {
    let client_random: [u8; 32] = c.pending_tls()[11..43].try_into().unwrap();
    transfer(c, s).unwrap();
    let server_random: [u8; 32] = s.pending_tls()[11..43].try_into().unwrap();
    handshake(c, s).unwrap();
    (client_random, server_random)
}

#[test]
fn client_and_server_log_the_master_secret_under_the_client_random() {
    let (client_log, server_log) = (Arc::new(Lines::default()), Arc::new(Lines::default()));
    let cl = Arc::clone(&client_log);
    let sl = Arc::clone(&server_log);
    let mut c = client(client_config(|b| b.key_log(cl).cipher_list("AES128-SHA256")));
    let mut s = server(server_config(|b| b.key_log(sl)));
    let (client_random, server_random) = handshake_seeing_randoms(&mut c, &mut s);

    let (client_lines, server_lines) = (client_log.take(), server_log.take());
    assert_eq!(client_lines.len(), 1, "one line per TLS 1.2 handshake");
    assert_eq!(client_lines, server_lines, "both sides log the same secret");
    let (label, random, secret) = &client_lines[0];
    assert_eq!(label, CLIENT_RANDOM);
    assert_eq!(*random, client_random);
    assert_eq!(secret.len(), 48);

    // The logged secret is the connection's master secret: RFC 5705 over it gives what the
    // connection exports. Its tampering twin: one flipped bit gives something else.
    let exported = c.export_keying_material(b"EXPERIMENTAL keylog", None, 32).unwrap();
    let export_with = |master: &[u8; 48]| {
        let mut out = [0u8; 32];
        derive_exported_keying_material(
            &sha256_prf(),
            master,
            b"EXPERIMENTAL keylog",
            &client_random,
            &server_random,
            None,
            &mut out,
        )
        .unwrap();
        out
    };
    let master: [u8; 48] = secret[..].try_into().unwrap();
    assert_eq!(export_with(&master)[..], exported[..]);
    let mut flipped = master;
    flipped[47] ^= 1;
    assert_ne!(export_with(&flipped)[..], exported[..]);
}

#[test]
fn a_resumed_handshake_logs_the_session_master_secret_under_the_new_client_random() {
    let log = Arc::new(Lines::default());
    let l = Arc::clone(&log);
    let cc = client_config(|b| b.key_log(l));
    let sc = server_config(|b| b);
    let mut c = client(Arc::clone(&cc));
    let mut s = server(Arc::clone(&sc));
    handshake(&mut c, &mut s).unwrap();
    let first = log.take();
    let session = c.session().unwrap();

    let mut c =
        ferrotls::ClientConnection::new_resuming(cc, ServerName::try_from("localhost").unwrap(), session)
            .unwrap();
    let mut s = server(sc);
    let (client_random, _) = handshake_seeing_randoms(&mut c, &mut s);
    assert!(c.session_resumed());
    let second = log.take();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].1, client_random, "keyed by this connection's ClientHello.random");
    assert_ne!(second[0].1, first[0].1);
    assert_eq!(second[0].2, first[0].2, "an abbreviated handshake keeps the master secret");
}

#[test]
fn the_default_configuration_logs_nothing_and_lines_read_as_nss_writes_them() {
    // Nothing observable to assert about "nothing" beyond the type's answer; the line format is
    // what tshark reads (tests/keylog.rs decrypts with it).
    assert!(!ferrotls::config::NoKeyLog.will_log(CLIENT_RANDOM));
    let line = nss_key_log_line(CLIENT_RANDOM, &[0xab; 32], &[0x01; 48]);
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields, ["CLIENT_RANDOM", &"ab".repeat(32)[..], &"01".repeat(48)[..]]);
}

#[test]
fn both_sides_export_the_same_keying_material() {
    let mut c = client(client_config(|b| b));
    let mut s = server(server_config(|b| b));
    handshake(&mut c, &mut s).unwrap();
    let ours = c.export_keying_material(b"EXPORTER-Test", Some(b"ctx"), 64).unwrap();
    assert_eq!(ours, s.export_keying_material(b"EXPORTER-Test", Some(b"ctx"), 64).unwrap());
    // Twins: every input changes the result.
    assert_ne!(ours, c.export_keying_material(b"EXPORTER-Tesu", Some(b"ctx"), 64).unwrap());
    assert_ne!(ours, c.export_keying_material(b"EXPORTER-Test", Some(b"ctw"), 64).unwrap());
    let none = c.export_keying_material(b"EXPORTER-Test", None, 64).unwrap();
    let empty = c.export_keying_material(b"EXPORTER-Test", Some(b""), 64).unwrap();
    assert_ne!(none, empty, "RFC 5705: no context and an empty context differ in TLS 1.2");
    // A shorter export is a prefix (the PRF streams).
    assert_eq!(c.export_keying_material(b"EXPORTER-Test", Some(b"ctx"), 10).unwrap()[..], ours[..10]);
    // Another connection exports something else.
    let mut c2 = client(client_config(|b| b));
    let mut s2 = server(server_config(|b| b));
    handshake(&mut c2, &mut s2).unwrap();
    assert_ne!(ours, c2.export_keying_material(b"EXPORTER-Test", Some(b"ctx"), 64).unwrap());
}

#[test]
fn exporting_is_refused_before_the_handshake_for_reserved_labels_and_after_a_failure() {
    let mut c = client(client_config(|b| b));
    let mut s = server(server_config(|b| b));
    let early = c.export_keying_material(b"EXPORTER-Test", None, 16).unwrap_err();
    assert!(matches!(early, Error::Usage(m) if m.contains("after the handshake")), "{early}");
    // Half way: the client has sent its Finished but not seen the server's.
    transfer(&mut c, &mut s).unwrap();
    transfer(&mut s, &mut c).unwrap();
    transfer(&mut c, &mut s).unwrap();
    assert!(c.is_handshaking());
    assert!(c.export_keying_material(b"EXPORTER-Test", None, 16).is_err());
    handshake(&mut c, &mut s).unwrap();
    assert!(c.export_keying_material(b"EXPORTER-Test", None, 16).is_ok());
    for label in [&b"client finished"[..], b"server finished", b"master secret", b"key expansion x"] {
        let e = c.export_keying_material(label, None, 16).unwrap_err();
        assert!(e.to_string().contains("reserved"), "{e}");
    }
    let e = c.export_keying_material(b"EXPORTER-Test", Some(&vec![0; 65536]), 16).unwrap_err();
    assert!(e.to_string().contains("65535"), "{e}");

    // A connection that failed exports nothing: its error comes back instead.
    ferrotls::ConnectionCommon::dangerous_send_raw_record(
        &mut s,
        ferrotls::internal::msgs::enums::ContentType::Handshake,
        &[0xff, 0, 0, 0],
    )
    .unwrap();
    let _ = transfer(&mut s, &mut c);
    assert!(c.error().is_some());
    assert_eq!(c.export_keying_material(b"EXPORTER-Test", None, 16).unwrap_err(), *c.error().unwrap());
}
