//! TLS 1.3 resumption with tickets (RFC 8446 §2.2, §4.6.1) against real peers, both directions:
//! `openssl s_client -sess_out/-sess_in` and `gnutls-cli --resume` against a ferrotls server;
//! `ferrotls client --reconnect` against `openssl s_server -tls1_3` and `gnutls-serv` with a
//! TLS 1.3-only priority. Each has a twin that must not resume (other ticket keys, no tickets).
//! And 0-RTT: `openssl s_client -early_data` against a ferrotls server that announced early
//! data in its tickets; ferrotls rejects it, skips the 0-RTT records (§4.2.10) and finishes a
//! 1-RTT handshake that carries the data sent after it.

mod common;

use common::peers::{ferrotls_server_serving_many, openssl_client_resuming, session_reused_per_connection};
use common::*;
use ferrotls::stream::Stream;
use ferrotls::x509::{certs_from_pem, private_key_from_pem};
use ferrotls::{ProtocolVersion, ServerConfig, ServerConnection};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const TLS13_ONLY: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

fn ferrotls_server13_many() -> Command {
    let mut c = ferrotls_server_serving_many(&fixture("server-chain.pem"), &fixture("server.key"));
    c.args(["--max-version", "1.3"]);
    c
}

/// `openssl s_client -tls1_3` to a ferrotls server, plus `extra`; sends `line`, waits for its
/// echo (so the tickets, which come first, have been read), then closes. Its stdout.
fn s_client(port: u16, extra: &[&str], line: &str) -> String {
    let mut cmd = openssl_client_resuming(port, &fixture("ca.pem"), &["-tls1_3"]);
    cmd.args(extra);
    let mut p = Peer::spawn("openssl s_client", &mut cmd);
    p.feed_stdin(format!("{line}\n").into_bytes());
    p.wait_for_output(line, PEER_TIMEOUT);
    p.close_stdin();
    let out = p.wait(PEER_TIMEOUT);
    out.stdout_str()
}

fn new_or_reused(text: &str) -> &'static str {
    if text.lines().any(|l| l.starts_with("Reused, TLSv1.3")) {
        "Reused"
    } else if text.lines().any(|l| l.starts_with("New, TLSv1.3")) {
        "New"
    } else {
        panic!("s_client said neither New nor Reused: {}", clip(text))
    }
}

#[test]
fn openssl_s_client_sess_out_then_sess_in_resumes_tls13_against_ferrotls_server() {
    let tmp = TempDir::new("tls13-sess");
    let sess = tmp.path("session.pem");
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server13_many());
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let first = s_client(port, &["-sess_out", path_str(&sess)], "first");
    assert_eq!(new_or_reused(&first), "New");
    let second = s_client(port, &["-sess_in", path_str(&sess)], "second");
    assert_eq!(new_or_reused(&second), "Reused", "{}", clip(&second));
    srv.wait_for_output("\"session_reused\":true", PEER_TIMEOUT);
    let _ = srv.stop();
    // Twin: another ferrotls server (its own ticket keys) cannot open the ticket: a full
    // handshake, no alert.
    let mut other = Peer::spawn("ferrotls server", &mut ferrotls_server13_many());
    let port = other.wait_listening_banner(READY_TIMEOUT);
    let third = s_client(port, &["-sess_in", path_str(&sess)], "third");
    assert_eq!(new_or_reused(&third), "New", "{}", clip(&third));
    let _ = other.stop();
}

#[test]
fn gnutls_cli_resumes_tls13_against_ferrotls_server() {
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server13_many());
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cmd = Command::new("gnutls-cli");
    cmd.args(["--port", &port.to_string(), "127.0.0.1", "--sni-hostname", "localhost"]);
    cmd.args(["--verify-hostname", "localhost", "--x509cafile", path_str(&fixture("ca.pem"))]);
    cmd.args(["--priority", TLS13_ONLY, "--resume"]);
    let mut p = Peer::spawn("gnutls-cli --resume", &mut cmd);
    p.feed_stdin(b"ping\n".to_vec());
    p.wait_for_output("This is a resumed session", PEER_TIMEOUT);
    p.close_stdin();
    let out = p.wait(PEER_TIMEOUT);
    assert!(out.stdout_str().contains("This is a resumed session"), "{}", clip(&out.stdout_str()));
    srv.wait_for_output("\"session_reused\":true", PEER_TIMEOUT);
    let _ = srv.stop();
}

fn ferrotls_client_reconnect(port: u16) -> Output {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--max-version", "1.3"]);
    c.args(["--cafile", path_str(&fixture("ca.pem")), "--send", "again\n", "--reconnect", "--json"]);
    let out = run("ferrotls client --reconnect", &mut c, b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client --reconnect");
    out
}

#[test]
fn ferrotls_client_resumes_tls13_against_openssl_s_server_and_not_without_tickets() {
    for (flags, want) in [(&[][..], [false, true]), (&["-num_tickets", "0"][..], [false, false])] {
        let port = free_port();
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "2", "-quiet", "-tls1_3"]);
        cmd.args(["-cert", path_str(&fixture("server.pem")), "-cert_chain"]);
        cmd.args([path_str(&fixture("server-chain.pem")), "-key", path_str(&fixture("server.key"))]);
        cmd.args(flags);
        let mut srv = Peer::spawn("openssl s_server", &mut cmd);
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = ferrotls_client_reconnect(port);
        assert_eq!(session_reused_per_connection(&out), want, "{flags:?}");
        assert!(out.stdout_str().contains("\"version\":\"TLSv1.3\""));
        srv.close_stdin();
        let _ = srv.wait(PEER_TIMEOUT);
    }
}

#[test]
fn ferrotls_client_resumes_tls13_against_gnutls_serv() {
    let port = free_port();
    let mut cmd = Command::new("gnutls-serv");
    cmd.args(["--port", &port.to_string(), "--echo", "--priority", TLS13_ONLY]);
    cmd.args(["--x509certfile", path_str(&fixture("server-chain.pem"))]);
    cmd.args(["--x509keyfile", path_str(&fixture("server.key"))]);
    let mut srv = Peer::spawn("gnutls-serv", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = ferrotls_client_reconnect(port);
    assert_eq!(session_reused_per_connection(&out), [false, true]);
    srv.wait_for_output("This is a resumed session", PEER_TIMEOUT);
    let _ = srv.stop();
}

/// What a ferrotls server in this process saw on one connection.
#[derive(Debug)]
struct Served {
    resumed: bool,
    received: Vec<u8>,
    error: Option<String>,
}

/// A ferrotls server in this process (the command has no switch for max_early_data_size):
/// `connections` connections, each handshaken, its first line echoed as "echo:LINE", then
/// closed.
fn in_process_server(
    config: Arc<ServerConfig>,
    connections: usize,
) -> (u16, std::thread::JoinHandle<Vec<Served>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut served = Vec::new();
        for _ in 0..connections {
            let (sock, _) = listener.accept().unwrap();
            sock.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut s = Stream::new(ServerConnection::new(config.clone()).unwrap(), sock);
            let mut received = Vec::new();
            let result = (|| -> std::io::Result<()> {
                s.complete_handshake()?;
                let mut buf = [0u8; 1024];
                while !received.contains(&b'\n') {
                    let n = s.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    received.extend_from_slice(&buf[..n]);
                }
                s.write_all(b"echo:")?;
                s.write_all(&received)?;
                s.send_close_notify()
            })();
            served.push(Served {
                resumed: s.conn.session_resumed(),
                received,
                error: result.err().map(|e| e.to_string()),
            });
        }
        served
    });
    (port, handle)
}

#[test]
fn openssl_s_client_early_data_is_skipped_and_the_handshake_goes_on_in_1rtt() {
    let config = ServerConfig::builder()
        .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3)
        .single_cert(
            certs_from_pem(&std::fs::read(fixture("server-chain.pem")).unwrap()).unwrap(),
            private_key_from_pem(&std::fs::read(fixture("server.key")).unwrap()).unwrap(),
        )
        .max_early_data_size(16_384)
        .build()
        .unwrap();
    let (port, server) = in_process_server(Arc::new(config), 2);
    let tmp = TempDir::new("tls13-early");
    let sess = tmp.path("session.pem");
    let early = tmp.write("early.txt", &vec![b'E'; 3000]);
    let first = s_client(port, &["-sess_out", path_str(&sess)], "first");
    assert_eq!(new_or_reused(&first), "New");
    // The ticket announced early data: s_client sends 3000 bytes of 0-RTT, which ferrotls
    // rejects (no early_data in EncryptedExtensions) and skips; the PSK still resumes.
    let second = s_client(port, &["-sess_in", path_str(&sess), "-early_data", path_str(&early)], "after");
    assert!(second.contains("Early data was rejected"), "{}", clip(&second));
    assert_eq!(new_or_reused(&second), "Reused", "{}", clip(&second));
    let served = server.join().unwrap();
    assert_eq!(served.len(), 2);
    assert!(served.iter().all(|s| s.error.is_none()), "{served:?}");
    assert!(!served[0].resumed && served[1].resumed, "{served:?}");
    // Only the 1-RTT data arrived: nothing of the early data.
    assert_eq!(served[1].received, b"after\n");
}

/// `openssl s_server -tls1_3` for `n` connections, with `flags`.
fn openssl_server13(port: u16, n: u32, flags: &[&str]) -> Peer {
    let mut cmd = Command::new("openssl");
    cmd.args([
        "s_server",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-naccept",
        &n.to_string(),
        "-quiet",
        "-tls1_3",
    ]);
    cmd.args(["-cert", path_str(&fixture("server.pem")), "-cert_chain"]);
    cmd.args([path_str(&fixture("server-chain.pem")), "-key", path_str(&fixture("server.key"))]);
    cmd.args(flags);
    let mut srv = Peer::spawn("openssl s_server", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    srv
}

/// `ferrotls client` at TLS 1.3 with `extra` (--sess-out / --sess-in FILE).
fn ferrotls_client13(port: u16, extra: &[&str]) -> Output {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--max-version", "1.3"]);
    c.args(["--cafile", path_str(&fixture("ca.pem")), "--send", "hello\n", "--json"]);
    c.args(extra);
    run("ferrotls client", &mut c, b"", PEER_TIMEOUT)
}

/// `ferrotls client --sess-out` then `--sess-in` (two processes) against `openssl s_server
/// -tls1_3`: the saved TLS 1.3 ticket (format 2) resumes. Twins: another s_server (its own
/// ticket keys) gives it a full handshake, and a server that sends no ticket leaves nothing to
/// save, said in words.
#[test]
fn ferrotls_client_sess_out_then_sess_in_resumes_tls13_against_openssl_s_server() {
    let tmp = TempDir::new("tls13-cli-sess");
    let sess = tmp.path("ferrotls13.sess");
    let port = free_port();
    let mut srv = openssl_server13(port, 2, &[]);
    let first = ferrotls_client13(port, &["--sess-out", path_str(&sess)]);
    first.expect_success("ferrotls client --sess-out");
    assert_eq!(session_reused_per_connection(&first), [false]);
    assert!(first.stdout_str().contains("\"version\":\"TLSv1.3\""));
    assert_eq!(std::fs::read(&sess).unwrap().first(), Some(&ferrotls::session::SESSION_FORMAT_TLS13));
    let second = ferrotls_client13(port, &["--sess-in", path_str(&sess)]);
    second.expect_success("ferrotls client --sess-in");
    assert_eq!(session_reused_per_connection(&second), [true]);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);

    let port = free_port();
    let mut other = openssl_server13(port, 1, &[]);
    let third = ferrotls_client13(port, &["--sess-in", path_str(&sess)]);
    third.expect_success("ferrotls client --sess-in (another server)");
    assert_eq!(session_reused_per_connection(&third), [false]);
    other.close_stdin();
    let _ = other.wait(PEER_TIMEOUT);

    let port = free_port();
    let mut none = openssl_server13(port, 1, &["-num_tickets", "0"]);
    let out = ferrotls_client13(port, &["--sess-out", path_str(&tmp.path("none.sess"))]);
    out.expect_failure_mentioning("ferrotls client --sess-out (no ticket)", &["no way to resume"]);
    none.close_stdin();
    let _ = none.wait(PEER_TIMEOUT);
}
