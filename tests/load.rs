//! Load and faults against the servers that face the network, `ferrotls server` and the C example
//! `tls_server` (loopback only, every wait bounded):
//! - 10,000 sequential connections and 200 concurrent ones: no failure, and the server's resident
//!   memory after the run within 10% of what it was after the first 1,000;
//! - peers that stop mid-handshake, send garbage, trickle a byte at a time or close without
//!   close_notify are each dropped with the right error while the server keeps serving others;
//! - the C server under Valgrind (shorter counts): no errors, no leaks.
//!
//! `FERROTLS_LOAD_SEQUENTIAL` / `FERROTLS_LOAD_CONCURRENT` change the counts (default 10000 / 200).

mod common;

use common::servers::{
    c_server_bin, echo_connection, echo_round_trip, handshake, read_until_closed, rss_kib, server_command,
    thread_count, Kind, Server, BOTH,
};
use ferrotls::{ClientConnection, ServerName};
use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn count(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `n` clients at once: all connect and complete their handshake, wait for each other (so all
/// `n` connections are open together), then echo and close.
fn concurrent(port: u16, n: usize) {
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || -> Result<(), String> {
                let sock = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
                sock.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
                sock.set_write_timeout(Some(Duration::from_secs(120))).unwrap();
                let mut s = handshake(sock)?;
                barrier.wait();
                echo_round_trip(&mut s, format!("concurrent {i}").as_bytes())?;
                s.send_close_notify().map_err(|e| e.to_string())?;
                Ok(())
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        h.join().expect("client thread panicked").unwrap_or_else(|e| panic!("concurrent client {i}: {e}"));
    }
}

fn sequential(port: u16, from: usize, to: usize) {
    for i in from..to {
        echo_connection(port, b"sequential").unwrap_or_else(|e| panic!("sequential connection {i}: {e}"));
    }
}

/// The server's RSS once its connection threads have ended: waits (bounded) until only the main
/// thread is left, then takes the median of several readings.
fn settled_rss(srv: &mut Server) -> u64 {
    let pid = srv.peer.pid();
    let deadline = Instant::now() + Duration::from_secs(60);
    while thread_count(pid) > 1 {
        assert!(Instant::now() < deadline, "{:?}: connection threads still running after 60 s", srv.kind);
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut readings: Vec<u64> = (0..7)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(50));
            rss_kib(pid)
        })
        .collect();
    readings.sort_unstable();
    readings[3]
}

fn load(kind: Kind) {
    let sequential_total = count("FERROTLS_LOAD_SEQUENTIAL", 10_000);
    let concurrent_n = count("FERROTLS_LOAD_CONCURRENT", 200);
    let first = sequential_total.min(1_000);
    // One malloc arena: glibc gives threads their own arenas (up to 8 per core) as they contend,
    // so the RSS of a thread-per-connection server also depends on how many connection threads
    // happened to overlap, which scheduling decides: with the hybrid key exchange's larger
    // allocations that swung RSS by ±1.2 MB (over 10% of it) between readings with no growth over
    // 30,000 connections. With one arena what is left is what this test is about, memory the
    // server keeps (readings then agree within a few per cent).
    let mut cmd = server_command(kind, &["--handshake-timeout", "60"]);
    let mut srv = Server::start_command(kind, cmd.env("MALLOC_ARENA_MAX", "1"));
    let start = Instant::now();
    // Two concurrent bursts first settle the allocator's per-thread arenas and the thread stacks'
    // cache (glibc keeps both after a burst: 10,000 sequential connections alone grow the CLI
    // server by about 1%, one extra burst by ~15% of a 9 MB RSS), so the baseline is the warm state
    // of a server that has seen such bursts. Both readings follow sequential connections, so they
    // compare like with like; another burst comes in the middle of the sequential run.
    concurrent(srv.port, concurrent_n);
    concurrent(srv.port, concurrent_n);
    sequential(srv.port, 0, first);
    let baseline = settled_rss(&mut srv);
    let middle = (first + sequential_total) / 2;
    sequential(srv.port, first, middle);
    concurrent(srv.port, concurrent_n);
    sequential(srv.port, middle, sequential_total);
    let after = settled_rss(&mut srv);
    eprintln!(
        "{kind:?}: {sequential_total} sequential + 3 x {concurrent_n} concurrent connections in {:.1} s; RSS {baseline} KiB after the first {first}, {after} KiB at the end",
        start.elapsed().as_secs_f64()
    );
    assert!(
        after * 10 <= baseline * 11,
        "{kind:?}: RSS grew from {baseline} KiB to {after} KiB (more than 10%)"
    );
    // No connection ended in an error on the server's side either.
    let stdout = srv.peer.stdout_now();
    let reports = stdout.lines().filter(|l| l.starts_with('{')).count();
    let errors: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with('{') && !l.ends_with("\"error\":null}")).collect();
    assert!(errors.is_empty(), "{kind:?}: {} connections failed, e.g. {}", errors.len(), errors[0]);
    assert_eq!(reports, sequential_total + 3 * concurrent_n, "{kind:?}: one report per connection");
}

#[test]
fn cli_server_survives_10000_sequential_and_200_concurrent_connections_without_growing() {
    load(Kind::Cli);
}

#[test]
fn c_server_survives_10000_sequential_and_200_concurrent_connections_without_growing() {
    load(Kind::C);
}

/// The first flight of a real client (its ClientHello).
fn client_hello() -> Vec<u8> {
    let mut c =
        ClientConnection::new(common::servers::client_config(), ServerName::try_from("localhost").unwrap())
            .unwrap();
    let mut out = Vec::new();
    c.take_tls(&mut out);
    assert!(!out.is_empty(), "a new client has its ClientHello to send");
    out
}

/// One misbehaving peer; returns its local port and what it received before the server closed.
fn fault(port: u16, which: &str) -> (u16, Vec<u8>) {
    let mut sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let local = sock.local_addr().unwrap().port();
    match which {
        "stops mid-handshake" => sock.write_all(&client_hello()).unwrap(),
        "sends garbage" => sock.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap(),
        "trickles" => {
            for b in client_hello() {
                if sock.write_all(&[b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500));
                if sock.peer_addr().is_err() {
                    break;
                }
            }
        }
        "closes without close_notify" => {
            let mut s = handshake(sock.try_clone().unwrap()).unwrap();
            echo_round_trip(&mut s, b"then gone").unwrap();
            sock.shutdown(std::net::Shutdown::Both).unwrap();
            return (local, Vec::new());
        }
        _ => unreachable!(),
    }
    let (got, _) = read_until_closed(&mut sock);
    (local, got)
}

#[test]
fn misbehaving_peers_are_dropped_with_the_right_error_while_others_are_served() {
    for kind in BOTH {
        let mut srv = Server::start(kind, &["--handshake-timeout", "2"]);
        let port = srv.port;
        let cases = [
            ("stops mid-handshake", "handshake not completed within 2 s"),
            ("sends garbage", "record"),
            ("trickles", "handshake not completed within 2 s"),
            ("closes without close_notify", "close_notify"),
        ];
        let faults: Vec<_> =
            cases.iter().map(|&(which, _)| std::thread::spawn(move || fault(port, which))).collect();
        // Meanwhile, well-behaved clients keep being served.
        for i in 0..20 {
            echo_connection(port, b"good client")
                .unwrap_or_else(|e| panic!("{kind:?}: good client {i} while peers misbehave: {e}"));
        }
        for ((which, want), h) in cases.iter().zip(faults) {
            let (local, got) = h.join().unwrap();
            let err = srv
                .connection_error(local, Duration::from_secs(30))
                .unwrap_or_else(|| panic!("{kind:?}: a peer that {which} was not reported as an error"));
            assert!(
                err.to_lowercase().contains(want),
                "{kind:?}: a peer that {which}: error {err:?} should mention {want:?}"
            );
            if *which == "sends garbage" {
                // A fatal alert record in plaintext: type 21, then level 2 (fatal).
                assert!(
                    got.len() >= 7 && got[0] == 21 && got[5] == 2,
                    "{kind:?}: garbage got {got:?}, not a fatal alert"
                );
            }
        }
        echo_connection(port, b"after the faults").unwrap();
    }
}

#[test]
fn c_server_under_valgrind_has_no_errors_or_leaks_under_load_and_faults() {
    let sequential_n = 60;
    let concurrent_n = 20;
    let faults = ["stops mid-handshake", "sends garbage", "closes without close_notify"];
    let naccept = sequential_n + concurrent_n + faults.len();
    let inner = server_command(Kind::C, &["--handshake-timeout", "5", "--naccept", &naccept.to_string()]);
    let mut cmd = Command::new("valgrind");
    cmd.args(["-q", "--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect"])
        .arg(c_server_bin())
        .args(inner.get_args());
    let srv = Server::start_command(Kind::C, &mut cmd);
    let port = srv.port;
    let handles: Vec<_> = faults.iter().map(|&w| std::thread::spawn(move || fault(port, w))).collect();
    concurrent(port, concurrent_n);
    sequential(port, 0, sequential_n);
    for h in handles {
        h.join().unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while srv.peer.stdout_now().lines().filter(|l| l.starts_with('{')).count() < naccept {
        assert!(Instant::now() < deadline, "valgrind tls_server did not report every connection");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = srv.peer.wait(Duration::from_secs(120));
    assert!(
        out.success(),
        "tls_server under Valgrind exited with {} (99: Valgrind errors or leaks)\n{}",
        out.status,
        common::clip(&out.stderr_str())
    );
}
