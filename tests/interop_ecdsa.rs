//! ECDHE-ECDSA (RFC 8422) against real peers, both directions: every ECDHE-ECDSA suite ×
//! {ECDSA P-256, ECDSA P-384, Ed25519 certificate} × {X25519, P-256, P-384} with OpenSSL
//! (`s_server`/`s_client`, TLS 1.2 forced) and GnuTLS (`gnutls-serv`/`gnutls-cli`), the peer
//! restricted to the one suite and group so the other side must find them; a representative
//! subset with tlslite-ng; Python's default client against a ferrotls server holding an ECDSA
//! certificate. (The ECDHE-RSA suites with an RSA certificate: tests/interop_ecdhe.rs; ECDSA
//! client certificates both ways: tests/interop.rs.)
//!
//! Each happy path has a tampering twin in which something is not in common (a group, the
//! certificate type a suite needs, the issuer) and the side that notices says which, in words.

mod common;

use common::peers::*;
use common::*;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// Small: the bulk paths are the same code as ECDHE-RSA's (tests/interop_ecdhe.rs moves 256 KiB);
/// what differs here is the handshake. Still more than one record each way.
const SIZE: usize = 40 << 10;

type Case = (Suite, CertKind, (&'static str, &'static str));

/// Every ECDHE-ECDSA suite × certificate × group.
fn cases() -> Vec<Case> {
    ECDHE_ECDSA_SUITES
        .iter()
        .flat_map(|&s| ECDSA_CERTS.iter().flat_map(move |&c| GROUPS.iter().map(move |&g| (s, c, g))))
        .collect()
}

fn ca(c: &CertKind) -> PathBuf {
    fixture(c.ca)
}

/// The ferrotls client's report: TLS 1.2, the suite, the group, a signature scheme of the
/// certificate's kind, verified, and the echoed bytes.
fn check_json(out: &Output, s: Suite, c: &CertKind, group: &str, want: &[u8]) {
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.2"));
    assert_eq!(j.get("cipher").str(), Some(s.iana), "negotiated cipher");
    assert_eq!(j.get("group").str(), Some(group), "negotiated group");
    let scheme = j.get("signature_scheme").str().unwrap_or_default().to_string();
    assert!(c.schemes.contains(&scheme.as_str()), "ServerKeyExchange scheme {scheme:?} for {c:?}");
    assert_eq!(j.get("verified").bool(), Some(true), "verified");
    assert_same_bytes("client received", j.get("received").str().unwrap_or_default().as_bytes(), want);
}

/// A client's group list: `group`, then the certificate's curve when it is another (TLS 1.2
/// clients accept an ECDSA certificate only on a curve they list, RFC 8422 §5.1.1).
fn client_groups(group: &str, c: &CertKind) -> String {
    let curve = match c.name {
        "ECDSA P-256" => "P-256",
        "ECDSA P-384" => "P-384",
        _ => group,
    };
    if curve == group {
        group.to_string()
    } else {
        format!("{group}:{curve}")
    }
}

/// `ferrotls server --once` with the certificate `c` and extra flags.
fn ferrotls_server_with(c: &CertKind, s: Option<Suite>, extra: &[&str]) -> Command {
    let mut cmd = ferrotls_server(&fixture(c.chain), &fixture(c.key), Some(Version::Tls12), s, EXT_ON);
    cmd.args(extra);
    cmd
}

/// The side that noticed failed, and its one-line reason names every one of `words`.
fn fails_naming(out: &Output, what: &str, words: &[&str]) {
    out.expect_failure_mentioning(what, words);
    let err = out.stderr_str();
    for w in words {
        assert!(err.contains(w), "{what}: the reason should name {w:?}:\n{}", clip(&err));
    }
}

// ------------------------------------------------------------------------------------- OpenSSL

#[test]
fn ferrotls_client_talks_to_openssl_s_server_with_every_ecdsa_suite_certificate_and_group() {
    ferrotls_bin();
    let up = payload(SIZE, 21);
    let down = payload(SIZE, 22);
    run_matrix(cases(), matrix_threads(), move |&(s, c, (group, _))| {
        let t = TempDir::new("ossl-ecdsa-srv");
        let port = free_port();
        let mut srv =
            openssl_server(port, &fixture(c.chain), None, &fixture(c.key), Version::Tls12, s, EXT_ON, &t);
        srv.args(["-groups", group]);
        let (cli, out) = exchange_with_openssl_server(
            &mut srv,
            port,
            |port| ferrotls_client(port, "localhost", &ca(&c), Some(Version::Tls12), Some(s), EXT_ON),
            &up,
            &down,
        );
        check_json(&cli, s, &c, group, &down);
        assert_same_bytes("s_server received", &out.stdout, &up);
    });
}

#[test]
fn ferrotls_client_refuses_an_openssl_ecdsa_server_whose_issuer_it_does_not_trust() {
    // Twin: the P-384 server's chain checked against the P-256 root only.
    let t = TempDir::new("ossl-ecdsa-srv-untrusted");
    let c = ECDSA_CERTS[1];
    let s = ECDHE_ECDSA_SUITES[0];
    let port = free_port();
    let mut srv = Peer::spawn(
        "openssl s_server",
        &mut openssl_server(port, &fixture(c.chain), None, &fixture(c.key), Version::Tls12, s, EXT_ON, &t),
    );
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &ca(&ECDSA_CERTS[0]), Some(Version::Tls12), Some(s), EXT_ON),
        b"",
        PEER_TIMEOUT,
    );
    fails_naming(&out, "an ECDSA chain from an untrusted root", &["issuer"]);
    let _ = srv.stop();
}

#[test]
fn openssl_s_client_talks_to_ferrotls_server_with_every_ecdsa_suite_certificate_and_group() {
    ferrotls_bin();
    let data = payload(SIZE, 23);
    run_matrix(cases(), matrix_threads(), move |&(s, c, (group, _))| {
        let t = TempDir::new("ossl-ecdsa-cli");
        // The server is held to the group. s_client's -groups also bounds the certificate
        // curves it accepts ("wrong curve" otherwise, RFC 8422 §5.1.1), so it offers the
        // certificate's curve too.
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, Some(s), &["--groups", group]));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut cli = openssl_client(port, "localhost", &ca(&c), Version::Tls12, s, EXT_ON, &t);
        cli.args(["-groups", &client_groups(group, &c)]);
        let out = exchange_holding_stdin(&mut cli, &data);
        out.expect_success("openssl s_client");
        let err = out.stderr_str();
        assert_eq!(openssl_brief(&err), ("TLSv1.2".to_string(), s.openssl.to_string()));
        // s_client -brief: "Server Temp Key: X25519, 253 bits".
        let line = |k: &str| err.lines().find(|l| l.starts_with(k)).unwrap_or_default().to_string();
        let temp = line("Server Temp Key:");
        let openssl_group = match group {
            "P-256" => "prime256v1",
            "P-384" => "secp384r1",
            g => g,
        };
        assert!(
            temp.contains(group) || temp.contains(openssl_group),
            "s_client's group: {temp}, want {group}"
        );
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

#[test]
fn ferrotls_server_names_the_groups_when_openssl_s_client_has_none_in_common() {
    // Twin: the server allows P-384 only, s_client offers X25519 and P-256.
    let t = TempDir::new("ossl-ecdsa-cli-group");
    let c = ECDSA_CERTS[0];
    let s = ECDHE_ECDSA_SUITES[0];
    let mut srv =
        Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, Some(s), &["--groups", "P-384"]));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cli = openssl_client(port, "localhost", &ca(&c), Version::Tls12, s, EXT_ON, &t);
    cli.args(["-groups", "X25519:P-256"]);
    let out = run("openssl s_client", &mut cli, b"never sent", PEER_TIMEOUT);
    assert!(!out.success(), "s_client should fail: {}", clip(&out.stderr_str()));
    fails_naming(
        &srv.wait(Duration::from_secs(10)),
        "no group in common",
        &["no key exchange group in common", "X25519, P-256", "P-384"],
    );
}

#[test]
fn ferrotls_server_with_only_an_ecdsa_certificate_says_so_to_an_ecdhe_rsa_openssl_client() {
    // Twin: s_client offers ECDHE-RSA suites only; the server's one certificate is ECDSA.
    let t = TempDir::new("ossl-ecdsa-cli-rsa");
    let c = ECDSA_CERTS[0];
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, None, &[]));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cli =
        openssl_client(port, "localhost", &ca(&c), Version::Tls12, ECDHE_RSA_AES128_GCM, EXT_ON, &t);
    let out = run("openssl s_client", &mut cli, b"never sent", PEER_TIMEOUT);
    assert!(!out.success(), "s_client should fail: {}", clip(&out.stderr_str()));
    fails_naming(&srv.wait(Duration::from_secs(10)), "an RSA-only client", &["RSA", "ECDSA"]);
}

// -------------------------------------------------------------------------------------- GnuTLS

/// Exactly one ECDHE-ECDSA suite and one group, TLS 1.2.
fn gnutls_ecdsa_priority(s: Suite, group: &str) -> String {
    format!(
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:-CIPHER-ALL:+{}:-MAC-ALL:+{}:-GROUP-ALL:+{group}",
        s.gnutls_cipher, s.gnutls_mac
    )
}

/// GnuTLS's session description, e.g. "(TLS1.2-X.509)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(AES-128-GCM)".
fn check_gnutls_description(d: &str, s: Suite, c: &CertKind, group: &str) {
    assert!(d.starts_with("(TLS1.2-X.509)"), "GnuTLS's view: {d}");
    assert!(d.contains(&format!("({})", s.gnutls_cipher)), "GnuTLS's view: {d}");
    let name = group.trim_start_matches("GROUP-");
    assert!(d.contains(&format!("(ECDHE-{name})")), "GnuTLS's view: {d}, want ECDHE-{name}");
    let sig = if c.name == "Ed25519" { "(EdDSA-Ed25519)" } else { "(ECDSA-" };
    assert!(d.contains(sig), "GnuTLS's view: {d}, want {sig}");
}

#[test]
fn ferrotls_client_talks_to_gnutls_serv_with_every_ecdsa_suite_certificate_and_group() {
    ferrotls_bin();
    let data = payload(SIZE, 24);
    run_matrix(cases(), matrix_threads(), move |&(s, c, (group, gnutls_group))| {
        let port = free_port();
        let mut srv = Peer::spawn(
            "gnutls-serv",
            &mut gnutls_server(
                port,
                &fixture(c.chain),
                &fixture(c.key),
                &gnutls_ecdsa_priority(s, gnutls_group),
            ),
        );
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &ca(&c), Some(Version::Tls12), Some(s), EXT_ON),
            &data,
        );
        check_json(&out, s, &c, group, &data);
        srv.wait_for_line("- Options:", Duration::from_secs(5));
        check_gnutls_description(&GnutlsReport::parse(&srv.stdout_now()).description, s, &c, gnutls_group);
    });
}

#[test]
fn ferrotls_client_refuses_a_gnutls_ed25519_server_whose_issuer_it_does_not_trust() {
    // Twin: the Ed25519 server's chain checked against the ECDSA P-256 root only.
    let c = ECDSA_CERTS[2];
    let s = ECDHE_ECDSA_SUITES[0];
    let port = free_port();
    let mut srv = Peer::spawn(
        "gnutls-serv",
        &mut gnutls_server(
            port,
            &fixture(c.chain),
            &fixture(c.key),
            &gnutls_ecdsa_priority(s, "GROUP-X25519"),
        ),
    );
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &ca(&ECDSA_CERTS[0]), Some(Version::Tls12), Some(s), EXT_ON),
        b"",
        PEER_TIMEOUT,
    );
    fails_naming(&out, "an Ed25519 chain from an untrusted root", &["issuer"]);
    let _ = srv.stop();
}

#[test]
fn gnutls_cli_talks_to_ferrotls_server_with_every_ecdsa_suite_certificate_and_group() {
    ferrotls_bin();
    let data = payload(SIZE, 25);
    run_matrix(cases(), matrix_threads(), move |&(s, c, (group, gnutls_group))| {
        let t = TempDir::new("gnutls-ecdsa-cli");
        // As with OpenSSL: the server is held to the group under test, and gnutls-cli lists the
        // certificate's curve too (a TLS 1.2 server serves an ECDSA certificate only on a
        // curve the client lists, RFC 8422 §5.3).
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, Some(s), &["--groups", group]));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let log = t.path("cli.log");
        let groups = match c.name {
            "ECDSA P-256" if gnutls_group != "GROUP-SECP256R1" => format!("{gnutls_group}:+GROUP-SECP256R1"),
            "ECDSA P-384" if gnutls_group != "GROUP-SECP384R1" => format!("{gnutls_group}:+GROUP-SECP384R1"),
            _ => gnutls_group.to_string(),
        };
        let out = exchange_with_echo_server(
            &mut gnutls_client(port, "localhost", &ca(&c), &gnutls_ecdsa_priority(s, &groups), &log),
            &data,
        );
        out.expect_success("gnutls-cli");
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        let report = GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap());
        check_gnutls_description(&report.description, s, &c, gnutls_group);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

#[test]
fn ferrotls_server_names_the_groups_when_gnutls_cli_has_none_in_common() {
    // Twin: gnutls-cli offers X25519 only; the server allows the NIST curves.
    let t = TempDir::new("gnutls-ecdsa-cli-group");
    let c = ECDSA_CERTS[1];
    let s = ECDHE_ECDSA_SUITES[1];
    let mut srv =
        Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, Some(s), &["--groups", "P-256:P-384"]));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let log = t.path("cli.log");
    let out = exchange_with_echo_server(
        &mut gnutls_client(port, "localhost", &ca(&c), &gnutls_ecdsa_priority(s, "GROUP-X25519"), &log),
        b"never sent",
    );
    assert!(!out.success(), "gnutls-cli should fail");
    fails_naming(
        &srv.wait(Duration::from_secs(10)),
        "no group in common",
        &["no key exchange group in common", "X25519", "P-256, P-384"],
    );
}

// --------------------------------------------------------------------------------- tlslite-ng
// tlslite-ng is slow (pure Python) and a third implementation of the same suites: a subset
// covering each AEAD, CBC with SHA-384, each group and each certificate kind, both directions.

fn tlslite_cases() -> Vec<Case> {
    let [p256, p384, ed] = ECDSA_CERTS;
    let [gcm128, gcm256, chacha, _, cbc256, _, cbc384] = ECDHE_ECDSA_SUITES;
    vec![
        (gcm128, p256, GROUPS[0]),
        (gcm128, ed, GROUPS[1]),
        (gcm256, p384, GROUPS[2]),
        (chacha, p256, GROUPS[1]),
        (cbc256, p384, GROUPS[0]),
        (cbc384, p256, GROUPS[2]),
    ]
}

fn tlslite_opts(c: &mut Command, s: Suite, group: &str) {
    c.args(["--version", "1.2", "--cipher", s.openssl, "--group", group]);
}

#[test]
fn ferrotls_client_talks_to_tlslite_server_with_ecdsa_suites() {
    ferrotls_bin();
    let data = payload(4 << 10, 26);
    run_matrix(tlslite_cases(), matrix_threads(), move |&(s, c, (group, _))| {
        let mut cmd = py_peer("tlslite");
        cmd.args(["server", "--cert", path_str(&fixture(c.chain)), "--key", path_str(&fixture(c.key))]);
        tlslite_opts(&mut cmd, s, group);
        let mut srv = Peer::spawn("tlslite server", &mut cmd);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &ca(&c), Some(Version::Tls12), Some(s), EXT_ON),
            &data,
        );
        check_json(&out, s, &c, group, &data);
        let so = srv.wait(PEER_TIMEOUT);
        so.expect_success("tlslite server");
        let report = common::json::parse(so.stdout_str().lines().last().unwrap_or_default()).expect("JSON");
        assert_eq!(report.get("cipher").str(), Some(s.iana), "tlslite's view");
    });
}

#[test]
fn tlslite_client_talks_to_ferrotls_server_with_ecdsa_suites() {
    ferrotls_bin();
    let data = payload(4 << 10, 27);
    run_matrix(tlslite_cases(), matrix_threads(), move |&(s, c, (group, _))| {
        let t = TempDir::new("tlslite-ecdsa-cli");
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, None, &["--groups", group]));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let infile = t.write("in.bin", &data);
        let outfile = t.path("out.bin");
        let mut cmd = py_peer("tlslite");
        cmd.args(["client", "--connect", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
        cmd.args([
            "--cafile",
            path_str(&ca(&c)),
            "--infile",
            path_str(&infile),
            "--outfile",
            path_str(&outfile),
        ]);
        tlslite_opts(&mut cmd, s, &client_groups(group, &c));
        let out = run("tlslite client", &mut cmd, b"", PEER_TIMEOUT);
        out.expect_success("tlslite client");
        let report = common::json::parse(out.stdout_str().lines().last().unwrap_or_default()).expect("JSON");
        assert_eq!(report.get("cipher").str(), Some(s.iana), "tlslite's view");
        assert_same_bytes("echo from ferrotls server", &std::fs::read(&outfile).unwrap(), &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

#[test]
fn ferrotls_server_names_the_groups_when_the_tlslite_client_has_none_in_common() {
    // Twin: tlslite offers X25519 only; the server allows P-256 only.
    let t = TempDir::new("tlslite-ecdsa-group");
    let c = ECDSA_CERTS[0];
    let s = ECDHE_ECDSA_SUITES[0];
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server_with(&c, None, &["--groups", "P-256"]));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let infile = t.write("in.bin", b"never sent");
    let mut cmd = py_peer("tlslite");
    cmd.args(["client", "--connect", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
    cmd.args(["--cafile", path_str(&ca(&c)), "--infile", path_str(&infile)]);
    cmd.args(["--outfile", path_str(&t.path("out.bin"))]);
    tlslite_opts(&mut cmd, s, "X25519");
    let out = run("tlslite client", &mut cmd, b"", PEER_TIMEOUT);
    assert!(!out.success(), "tlslite client should fail: {}", out.stdout_str());
    fails_naming(
        &srv.wait(Duration::from_secs(10)),
        "no group in common",
        &["no key exchange group in common", "X25519", "P-256"],
    );
}

// ---------------------------------------------------------------------------------- Python ssl

/// Python's default client: `ssl.create_default_context()` with TLS 1.2 at most; argv[3], when
/// given, replaces its cipher list (the twin below).
const PY_DEFAULT_CLIENT: &str = r#"
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
if len(sys.argv) > 3:
    ctx.set_ciphers(sys.argv[3])
with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(b"hello from python")
        got = b""
        while len(got) < 17:
            chunk = tls.recv(100)
            if not chunk:
                break
            got += chunk
        print(tls.version(), tls.cipher()[0], got.decode())
        tls.unwrap()
"#;

#[test]
fn python_default_ssl_client_talks_to_ferrotls_server_with_an_ecdsa_certificate() {
    let c = ECDSA_CERTS[0];
    let mut srv = Peer::spawn(
        "ferrotls server",
        &mut ferrotls_server(&fixture(c.chain), &fixture(c.key), None, None, EXT_ON),
    );
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "python3",
        Command::new(python3()).args(["-c", PY_DEFAULT_CLIENT, &port.to_string(), path_str(&ca(&c))]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("python3 default ssl client");
    // The server's default order puts ECDHE-ECDSA-AES128-GCM-SHA256 first among Python's offers.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 hello from python"
    );
    srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
}

#[test]
fn ferrotls_server_with_an_ecdsa_certificate_says_what_an_ecdhe_rsa_python_client_lacks() {
    // Twin: the same client limited to ECDHE-RSA suites; the server has only an ECDSA key.
    let c = ECDSA_CERTS[0];
    let mut srv = Peer::spawn(
        "ferrotls server",
        &mut ferrotls_server(&fixture(c.chain), &fixture(c.key), None, None, EXT_ON),
    );
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "python3",
        Command::new(python3()).args([
            "-c",
            PY_DEFAULT_CLIENT,
            &port.to_string(),
            path_str(&ca(&c)),
            "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
        ]),
        b"",
        PEER_TIMEOUT,
    );
    assert!(!out.success(), "python should fail: {}", out.stdout_str());
    assert!(out.stderr_str().contains("HANDSHAKE_FAILURE") || out.stderr_str().contains("handshake failure"));
    fails_naming(&srv.wait(Duration::from_secs(10)), "an ECDHE-RSA-only client", &["RSA", "ECDSA"]);
}
