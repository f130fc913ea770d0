//! TLS 1.3 against real peers, both directions: OpenSSL (`s_server`/`s_client -tls1_3`) for
//! each suite × group × {RSA, ECDSA P-256, Ed25519} certificate, including the groups that cost
//! a HelloRetryRequest (ferrotls sends an X25519 share first); GnuTLS with a TLS 1.3-only
//! priority; Python's `ssl` at its defaults. ferrotls runs with `--max-version 1.3` (TLS 1.3 is
//! opt-in until it is the default).

mod common;

use common::*;
use std::process::Command;
use std::time::Duration;

const SUITES: [&str; 3] =
    ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
const GROUPS: [&str; 3] = ["X25519", "P-256", "P-384"];
/// (name, CA, leaf, chain for the server to send, key)
const CERTS: [(&str, &str, &str, &str, &str); 3] = [
    ("RSA", "ca.pem", "server.pem", "server-chain.pem", "server.key"),
    ("ECDSA P-256", "ecdsa-p256-ca.pem", "ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key"),
    ("Ed25519", "ed25519-ca.pem", "ed25519-leaf.pem", "ed25519-leaf.pem", "ed25519-leaf.key"),
];

fn cases() -> Vec<(usize, &'static str, &'static str)> {
    let mut v = Vec::new();
    for c in 0..CERTS.len() {
        for s in SUITES {
            for g in GROUPS {
                v.push((c, s, g));
            }
        }
    }
    v
}

fn ferrotls_server13(chain: &str, key: &str) -> Command {
    let mut c = Command::new(ferrotls_bin());
    c.args(["server", "--host", "127.0.0.1", "--port", "0", "--once", "--max-version", "1.3"]);
    c.args(["--cert", path_str(&fixture(chain)), "--key", path_str(&fixture(key))]);
    c
}

fn ferrotls_client13(port: u16, ca: &str, send: &str) -> Command {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--max-version", "1.3"]);
    c.args(["--cafile", path_str(&fixture(ca)), "--send", send, "--json"]);
    c
}

#[test]
fn ferrotls_client_talks_tls13_to_openssl_s_server_for_every_suite_group_and_certificate() {
    ferrotls_bin();
    run_matrix(cases(), matrix_threads(), |&(c, suite, group)| {
        let (_, ca, leaf, chain, key) = CERTS[c];
        let port = free_port();
        let mut srv = Command::new("openssl");
        srv.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-rev", "-tls1_3"]);
        srv.args(["-ciphersuites", suite, "-groups", group]);
        srv.args(["-cert", path_str(&fixture(leaf)), "-cert_chain", path_str(&fixture(chain))]);
        srv.args(["-key", path_str(&fixture(key))]);
        let mut srv = Peer::spawn("openssl s_server", &mut srv);
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = run("ferrotls client", &mut ferrotls_client13(port, ca, "hello tls13"), b"", PEER_TIMEOUT);
        out.expect_success("ferrotls client");
        let j = out.json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"));
        assert_eq!(j.get("cipher").str(), Some(suite));
        assert_eq!(j.get("verified").bool(), Some(true));
        // s_server -rev answers each line reversed.
        assert_eq!(j.get("received").str(), Some("31slt olleh\n"));
        let _ = srv.stop();
    });
}

#[test]
fn openssl_s_client_talks_tls13_to_ferrotls_server_for_every_suite_group_and_certificate() {
    ferrotls_bin();
    let data = payload(200_000, 13);
    run_matrix(cases(), matrix_threads(), move |&(c, suite, group)| {
        let (_, ca, _, chain, key) = CERTS[c];
        let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server13(chain, key));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut cli = Command::new("openssl");
        cli.args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-brief",
            "-nocommands",
            "-no_ign_eof",
        ]);
        cli.args(["-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error"]);
        cli.args(["-CAfile", path_str(&fixture(ca)), "-tls1_3", "-ciphersuites", suite, "-groups", group]);
        let out = exchange_holding_stdin(&mut cli, &data);
        out.expect_success("openssl s_client");
        let (version, cipher) = openssl_brief(&out.stderr_str());
        assert_eq!((version.as_str(), cipher.as_str()), ("TLSv1.3", suite));
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

/// What `openssl s_client -brief` says on stderr: (protocol version, cipher suite).
fn openssl_brief(stderr: &str) -> (String, String) {
    let field = |name: &str| {
        stderr.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    (field("Protocol version:"), field("Ciphersuite:"))
}

#[test]
fn ferrotls_and_gnutls_talk_tls13_both_ways() {
    ferrotls_bin();
    let priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
    // gnutls-serv → ferrotls client.
    let port = free_port();
    let mut srv = Command::new("gnutls-serv");
    srv.args(["--port", &port.to_string(), "--echo", "--priority", priority]);
    srv.args([
        "--x509certfile",
        path_str(&fixture("server-chain.pem")),
        "--x509keyfile",
        path_str(&fixture("server.key")),
    ]);
    let mut srv = Peer::spawn("gnutls-serv", &mut srv);
    srv.wait_port_listening(port, READY_TIMEOUT);
    // The client sends its stdin, then close_notify, and reads the echo until gnutls-serv
    // closes (as the TLS 1.2 GnuTLS tests do).
    let mut cli = Command::new(ferrotls_bin());
    cli.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--max-version", "1.3"]);
    cli.args(["--cafile", path_str(&fixture("ca.pem")), "--json"]);
    let data = payload(100_000, 7);
    let out = exchange_with_echo_server(&mut cli, &data);
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.3"));
    // GnuTLS 3.7 has no X25519MLKEM768: it takes the X25519 share sent beside the hybrid one.
    assert_eq!(j.get("group").str(), Some("X25519"));
    assert_eq!(j.get("hello_retry").bool(), Some(false));
    assert_same_bytes("echo from gnutls-serv", j.get("received").str().unwrap_or_default().as_bytes(), &data);
    let _ = srv.stop();

    // gnutls-cli → ferrotls server.
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server13("server-chain.pem", "server.key"));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cli = Command::new("gnutls-cli");
    cli.args([
        "--port",
        &port.to_string(),
        "--priority",
        priority,
        "--x509cafile",
        path_str(&fixture("ca.pem")),
    ]);
    cli.args(["--sni-hostname", "localhost", "--verify-hostname", "localhost", "127.0.0.1"]);
    let data = b"gnutls over tls13\n".to_vec();
    let out = exchange_holding_stdin(&mut cli, &data);
    out.expect_success("gnutls-cli");
    assert!(out.stdout_str().contains("gnutls over tls13"), "{}", out.stdout_str());
    assert!(out.stdout_str().contains("TLS1.3"), "gnutls-cli did not report TLS1.3:\n{}", out.stdout_str());
    assert!(out.stdout_str().contains("(ECDHE-X25519)"), "gnutls-cli's group:\n{}", out.stdout_str());
    srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
}

#[test]
fn python_ssl_at_its_defaults_talks_tls13_both_ways() {
    ferrotls_bin();
    // Python client (create_default_context: TLS 1.3 preferred) → ferrotls server.
    let mut srv =
        Peer::spawn("ferrotls server", ferrotls_server13("server-chain.pem", "server.key").arg("--json"));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let script = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        s.sendall(b"py13")
        got = b""
        while len(got) < 4:
            got += s.recv(16)
        print(s.version(), s.cipher()[0], got.decode())
        s.unwrap()
"#;
    let out = run(
        "python client",
        Command::new(python3()).args(["-c", script, &port.to_string(), path_str(&fixture("ca.pem"))]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("python client");
    let line = out.stdout_str();
    assert!(line.starts_with("TLSv1.3 TLS_") && line.trim_end().ends_with("py13"), "{line}");
    let so = srv.wait(Duration::from_secs(10));
    so.expect_success("ferrotls server --once");
    // Python's OpenSSL (3.0) sends an X25519 share and lists no hybrid.
    let j = so.json();
    assert_eq!(j.get("group").str(), Some("X25519"));
    assert_eq!(j.get("hello_retry").bool(), Some(false));

    // ferrotls client → Python server (default server context).
    let port = free_port();
    let script = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
with socket.create_server(("127.0.0.1", int(sys.argv[1]))) as ls:
    print("ready", flush=True)
    raw, _ = ls.accept()
    with ctx.wrap_socket(raw, server_side=True) as s:
        data = s.recv(64)
        s.sendall(s.version().encode() + b" " + data)
        s.unwrap()
"#;
    let mut srv = Peer::spawn(
        "python server",
        Command::new(python3()).args([
            "-c",
            script,
            &port.to_string(),
            path_str(&fixture("server-chain.pem")),
            path_str(&fixture("server.key")),
        ]),
    );
    srv.wait_for_line("ready", READY_TIMEOUT);
    let out = run("ferrotls client", &mut ferrotls_client13(port, "ca.pem", "hi"), b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.3"));
    assert_eq!(j.get("received").str(), Some("TLSv1.3 hi"));
    assert_eq!(j.get("group").str(), Some("X25519"));
    assert_eq!(j.get("hello_retry").bool(), Some(false));
    let _ = srv.wait(Duration::from_secs(10));
}

#[test]
fn a_tls13_capable_ferrotls_meets_tls12_only_openssl_both_ways() {
    ferrotls_bin();
    let port = free_port();
    let mut srv = Command::new("openssl");
    srv.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-rev", "-tls1_2"]);
    srv.args([
        "-cert",
        path_str(&fixture("server.pem")),
        "-cert_chain",
        path_str(&fixture("server-chain.pem")),
    ]);
    srv.args(["-key", path_str(&fixture("server.key"))]);
    let mut srv = Peer::spawn("openssl s_server", &mut srv);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = run("ferrotls client", &mut ferrotls_client13(port, "ca.pem", "abc"), b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client");
    assert_eq!(out.json().get("version").str(), Some("TLSv1.2"));
    let _ = srv.stop();

    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server13("server-chain.pem", "server.key"));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cli = Command::new("openssl");
    cli.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief", "-nocommands", "-no_ign_eof"]);
    cli.args(["-CAfile", path_str(&fixture("ca.pem")), "-verify_return_error", "-tls1_2"]);
    let out = exchange_holding_stdin(&mut cli, b"twelve\n");
    out.expect_success("openssl s_client");
    assert_eq!(openssl_brief(&out.stderr_str()).0, "TLSv1.2");
    srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
}
