//! `ferrotls server` and the C example `tls_server`: the handshake timeout cuts off a client that
//! sends nothing or trickles bytes, the idle timeout one that goes quiet, neither touches a client
//! that behaves, and `--www` answers a request like `openssl s_server -www`. Short timeouts are set
//! by option so the tests run in seconds.

mod common;

use common::servers::{echo_round_trip, handshake, read_until_closed, Kind, Server, BOTH};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const REPORT: Duration = Duration::from_secs(20);

/// Runs `case` for both servers, each on its own thread.
fn for_both(case: fn(Kind)) {
    let handles: Vec<_> = BOTH.iter().map(|&k| (k, std::thread::spawn(move || case(k)))).collect();
    for (k, h) in handles {
        if h.join().is_err() {
            panic!("{k:?} server: case failed (see above)");
        }
    }
}

fn check_elapsed(kind: Kind, what: &str, elapsed: Duration, at_least: f64, at_most: f64) {
    let s = elapsed.as_secs_f64();
    assert!(
        (at_least..=at_most).contains(&s),
        "{kind:?}: {what} after {s:.2} s, expected between {at_least} and {at_most} s"
    );
}

#[test]
fn a_client_that_sends_nothing_is_cut_off_at_the_handshake_timeout() {
    for_both(|kind| {
        let mut srv = Server::start(kind, &["--handshake-timeout", "1"]);
        let mut sock = srv.connect();
        let local = sock.local_addr().unwrap().port();
        let start = Instant::now();
        let (got, closed) = read_until_closed(&mut sock);
        assert!(got.is_empty(), "{kind:?}: the server sent {got:?} to a silent client");
        check_elapsed(kind, "silent client cut off", closed - start, 0.9, 8.0);
        let err = srv.connection_error(local, REPORT).expect("a timed-out connection reports an error");
        assert!(err.contains("handshake not completed within 1 s"), "{kind:?}: error was {err:?}");
        // The server goes on serving.
        common::servers::echo_connection(srv.port, b"after the silent one").unwrap();
    });
}

#[test]
fn a_client_that_trickles_one_byte_at_a_time_is_cut_off_at_the_handshake_timeout() {
    for_both(|kind| {
        let mut srv = Server::start(kind, &["--handshake-timeout", "1.5"]);
        let mut sock = srv.connect();
        let local = sock.local_addr().unwrap().port();
        // A handshake record header announcing 255 bytes, then a byte every 100 ms: every read
        // returns something, so only a deadline for the whole handshake ends it.
        let start = Instant::now();
        sock.write_all(&[0x16, 0x03, 0x01, 0x00, 0xff]).unwrap();
        let mut sent = 5;
        let cut_off = loop {
            std::thread::sleep(Duration::from_millis(100));
            if sock.write_all(&[0x01]).is_err() || start.elapsed() > Duration::from_secs(20) {
                break start.elapsed();
            }
            sent += 1;
            // A closed connection shows on read first (writes into a closed socket may succeed once).
            sock.set_nonblocking(true).unwrap();
            let mut b = [0u8; 16];
            let closed = matches!(sock.read(&mut b), Ok(0))
                || matches!(sock.read(&mut b), Err(e) if e.kind() != std::io::ErrorKind::WouldBlock);
            sock.set_nonblocking(false).unwrap();
            if closed {
                break start.elapsed();
            }
        };
        assert!(sent < 255 + 5, "{kind:?}: the whole record went through");
        check_elapsed(kind, "trickling client cut off", cut_off, 1.4, 8.0);
        let err = srv.connection_error(local, REPORT).expect("a timed-out connection reports an error");
        assert!(err.contains("handshake not completed within 1.5 s"), "{kind:?}: error was {err:?}");
    });
}

#[test]
fn a_client_that_goes_quiet_after_the_handshake_is_cut_off_at_the_idle_timeout() {
    for_both(|kind| {
        let mut srv = Server::start(kind, &["--idle-timeout", "1"]);
        let sock = srv.connect();
        let local = sock.local_addr().unwrap().port();
        let mut s = handshake(sock).unwrap();
        echo_round_trip(&mut s, b"one").unwrap();
        let quiet = Instant::now();
        let mut buf = [0u8; 16];
        // The server ends the connection without close_notify: the client sees truncation.
        let r = s.read(&mut buf);
        assert!(r.is_err(), "{kind:?}: expected the connection to end without close_notify, got {r:?}");
        check_elapsed(kind, "quiet client cut off", quiet.elapsed(), 0.9, 8.0);
        let err = srv.connection_error(local, REPORT).expect("an idle connection reports an error");
        assert!(err.contains("nothing received for 1 s"), "{kind:?}: error was {err:?}");
    });
}

/// The twin of the two timeouts: the handshake deadline ends with the handshake, and without
/// --idle-timeout a quiet client keeps its connection.
#[test]
fn a_client_that_completes_the_handshake_in_time_may_pause_longer_than_the_handshake_timeout() {
    for_both(|kind| {
        let mut srv = Server::start(kind, &["--handshake-timeout", "1"]);
        let sock = srv.connect();
        let local = sock.local_addr().unwrap().port();
        let mut s = handshake(sock).unwrap();
        std::thread::sleep(Duration::from_millis(2500));
        echo_round_trip(&mut s, b"still here").unwrap();
        s.send_close_notify().unwrap();
        assert_eq!(s.read(&mut [0u8; 8]).unwrap(), 0, "{kind:?}: clean close expected");
        assert_eq!(srv.connection_error(local, REPORT), None, "{kind:?}");
    });
}

/// Without --handshake-timeout the default (30 s) applies: a client pausing 2 s mid-handshake is
/// still served (the default is not tiny), and the usage text names the default.
#[test]
fn the_default_handshake_timeout_lets_a_slow_client_finish() {
    for_both(|kind| {
        let mut srv = Server::start(kind, &[]);
        let mut sock = srv.connect();
        let local = sock.local_addr().unwrap().port();
        std::thread::sleep(Duration::from_secs(2));
        sock.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
        assert!(
            !matches!(sock.read(&mut [0u8; 1]), Ok(0)),
            "{kind:?}: closed a client after 2 s of a 30 s handshake timeout"
        );
        sock.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut s = handshake(sock).unwrap();
        echo_round_trip(&mut s, b"slow but fine").unwrap();
        s.send_close_notify().unwrap();
        assert_eq!(s.read(&mut [0u8; 8]).unwrap(), 0);
        assert_eq!(srv.connection_error(local, REPORT), None, "{kind:?}");
    });
    let usage = std::process::Command::new(common::ferrotls_bin()).arg("--help").output().unwrap();
    let usage = String::from_utf8_lossy(&usage.stdout);
    assert!(usage.contains("--handshake-timeout (default 30"), "usage: {usage}");
}

fn www_request(kind: Kind, request: &[u8]) -> String {
    let mut srv = Server::start(kind, &["--www"]);
    let sock = srv.connect();
    let local = sock.local_addr().unwrap().port();
    let mut s = handshake(sock).unwrap();
    s.write_all(request).unwrap();
    let mut response = Vec::new();
    // Ok(0) only after the server's close_notify: the page ends with a clean close.
    s.read_to_end(&mut response).unwrap_or_else(|e| panic!("{kind:?}: reading the response: {e}"));
    let _ = s.send_close_notify();
    assert_eq!(srv.connection_error(local, REPORT), None, "{kind:?}");
    String::from_utf8(response).unwrap()
}

#[test]
fn www_answers_get_with_a_small_page_and_close_notify() {
    for_both(|kind| {
        let page = www_request(kind, b"GET / HTTP/1.0\r\n\r\n");
        assert!(page.starts_with("HTTP/1.0 200 OK\r\n"), "{kind:?}: {page}");
        // Default client and server: TLS 1.3 and the first suite of OpenSSL's order.
        assert!(page.contains("Protocol: TLSv1.3\r\n"), "{kind:?}: {page}");
        assert!(page.contains("Cipher: TLS_AES_256_GCM_SHA384"), "{kind:?}: {page}");
        let (head, body) = page.split_once("\r\n\r\n").unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{kind:?}: no Content-Length in {head}"));
        assert_eq!(body.len(), length, "{kind:?}: {page}");
    });
}

#[test]
fn www_refuses_a_request_that_is_not_get() {
    for_both(|kind| {
        let page = www_request(kind, b"POST / HTTP/1.0\r\n\r\n");
        assert!(page.starts_with("HTTP/1.0 400 Bad Request\r\n"), "{kind:?}: {page}");
    });
}
