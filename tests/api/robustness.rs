//! Hostile and odd-but-legal input: re-framed handshakes and mutated flights never panic, never
//! hang, and end in an error that carries an alert or a clean result.

use crate::common::*;

/// A small deterministic generator (xorshift64*), so failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Splits every plaintext handshake record in `wire` into one-byte records (RFC 5246 §6.2.1
/// allows any fragmentation of handshake messages).
fn one_byte_records(wire: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 5 <= wire.len() {
        let len = u16::from_be_bytes([wire[off + 3], wire[off + 4]]) as usize;
        let (header, body) = (&wire[off..off + 5], &wire[off + 5..off + 5 + len]);
        if header[0] == 22 {
            for b in body {
                out.extend_from_slice(&[22, header[1], header[2], 0, 1, *b]);
            }
        } else {
            out.extend_from_slice(&wire[off..off + 5 + len]);
        }
        off += 5 + len;
    }
    out
}

#[test]
fn handshake_messages_in_one_byte_records_are_reassembled() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    // ClientHello, then the server's whole first flight, each re-framed into 1-byte records.
    transfer_with(&mut client, &mut server, &mut |w| *w = one_byte_records(w)).unwrap();
    transfer_with(&mut server, &mut client, &mut |w| *w = one_byte_records(w)).unwrap();
    handshake(&mut client, &mut server).unwrap();
    client.write_plaintext(b"ok").unwrap();
    transfer(&mut client, &mut server).unwrap();
    assert_eq!(read_all(&mut server), b"ok");
}

/// Moves `from`'s queued bytes into `to` one byte per `feed_tls`/`process` call.
fn transfer_bytewise(from: &mut ferrotls::ConnectionCommon, to: &mut ferrotls::ConnectionCommon) -> usize {
    let mut wire = Vec::new();
    from.take_tls(&mut wire);
    for b in &wire {
        assert_eq!(to.feed_tls(std::slice::from_ref(b)), 1);
        to.process().unwrap();
    }
    wire.len()
}

#[test]
fn bytes_fed_one_at_a_time_complete_the_handshake() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    while transfer_bytewise(&mut client, &mut server) + transfer_bytewise(&mut server, &mut client) > 0 {}
    assert!(!client.is_handshaking() && !server.is_handshaking());
}

#[test]
fn mutated_client_flights_never_panic_and_fail_with_an_alert() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut client0 = client(client_config(|b| b));
    let mut hello = Vec::new();
    client0.take_tls(&mut hello);
    for _ in 0..3000 {
        let mut wire = hello.clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(wire.len());
            wire[i] = rng.next() as u8;
        }
        if rng.below(4) == 0 {
            wire.truncate(rng.below(wire.len()));
        }
        let mut server = server(server_config(|b| b.legacy(true)));
        server.feed_tls(&wire);
        if let Err(e) = server.process() {
            // Anything we refuse, we refuse with an alert (a fatal alert we received is the
            // only exception, and a client's hello cannot carry one validly).
            assert!(e.alert().is_some() || matches!(e, ferrotls::Error::AlertReceived(_)), "{e:?}");
        }
    }
}

#[test]
fn mutated_server_flights_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0002);
    let config = client_config(|b| b.legacy(true));
    let server_config = server_config(|b| b.legacy(true));
    for _ in 0..300 {
        let mut client = client(config.clone());
        let mut server = server(server_config.clone());
        transfer(&mut client, &mut server).unwrap();
        let mut wire = Vec::new();
        server.take_tls(&mut wire);
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(wire.len());
            wire[i] ^= 1 << rng.below(8);
        }
        client.feed_tls(&wire);
        let _ = client.process();
        // Whatever happened, the connection still answers calls without panicking.
        let mut out = Vec::new();
        client.take_tls(&mut out);
        let _ = client.write_plaintext(b"x");
        let _ = client.read_plaintext(&mut [0u8; 8]);
    }
}
