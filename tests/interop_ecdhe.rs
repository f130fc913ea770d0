//! ECDHE (RFC 8422) and the AEAD suites against real peers, both directions: OpenSSL and GnuTLS
//! for every ECDHE-RSA suite × X25519/P-256/P-384 (the peer restricted to the one group, so the
//! other side must find it), the RSA-key-exchange GCM suites, and Python's default `ssl` client
//! (`create_default_context()`, TLS 1.2 at most), which offers no RSA key exchange at all.

mod common;

use common::peers::*;
use common::*;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const SIZE: usize = 256 << 10;

struct Fixtures {
    ca: std::path::PathBuf,
    chain: std::path::PathBuf,
    key: std::path::PathBuf,
}

fn fixtures() -> Arc<Fixtures> {
    ferrotls_bin();
    Arc::new(Fixtures { ca: fixture(CA), chain: fixture(SERVER_CHAIN), key: fixture(SERVER_KEY) })
}

/// Every ECDHE-RSA suite with every group, then the RSA GCM suites (no group).
fn cases() -> Vec<(Suite, Option<(&'static str, &'static str)>)> {
    let mut v: Vec<_> =
        ECDHE_RSA_SUITES.iter().flat_map(|&s| GROUPS.iter().map(move |&g| (s, Some(g)))).collect();
    v.extend(RSA_GCM_SUITES.iter().map(|&s| (s, None)));
    v
}

fn check_json(out: &Output, s: Suite, want: &[u8]) {
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.2"));
    assert_eq!(j.get("cipher").str(), Some(s.iana), "negotiated cipher");
    assert_eq!(j.get("verified").bool(), Some(true), "verified");
    assert_same_bytes("client received", j.get("received").str().unwrap_or_default().as_bytes(), want);
}

#[test]
fn ferrotls_client_talks_to_openssl_s_server_with_every_ecdhe_suite_and_group() {
    let fx = fixtures();
    let up = payload(SIZE, 11);
    let down = payload(SIZE, 12);
    run_matrix(cases(), matrix_threads(), move |&(s, g)| {
        let t = TempDir::new("ossl-ecdhe-srv");
        let (leaf, rest) = split_chain(&fx.chain, &t);
        let port = free_port();
        let mut srv = openssl_server(port, &leaf, rest.as_deref(), &fx.key, Version::Tls12, s, EXT_ON, &t);
        if let Some((group, _)) = g {
            srv.args(["-groups", group]);
        }
        let (cli, out) = exchange_with_openssl_server(
            &mut srv,
            port,
            |port| ferrotls_client(port, "localhost", &fx.ca, Some(Version::Tls12), Some(s), EXT_ON),
            &up,
            &down,
        );
        check_json(&cli, s, &down);
        assert_same_bytes("s_server received", &out.stdout, &up);
    });
}

#[test]
fn openssl_s_client_talks_to_ferrotls_server_with_every_ecdhe_suite_and_group() {
    let fx = fixtures();
    let data = payload(SIZE, 13);
    run_matrix(cases(), matrix_threads(), move |&(s, g)| {
        let t = TempDir::new("ossl-ecdhe-cli");
        let mut srv = Peer::spawn(
            "ferrotls server",
            &mut ferrotls_server(&fx.chain, &fx.key, Some(Version::Tls12), Some(s), EXT_ON),
        );
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut cli = openssl_client(port, "localhost", &fx.ca, Version::Tls12, s, EXT_ON, &t);
        if let Some((group, _)) = g {
            // Without -brief's short form the report names the group: "Server Temp Key: X25519".
            cli.args(["-groups", group]);
        }
        let out = exchange_holding_stdin(&mut cli, &data);
        out.expect_success("openssl s_client");
        assert_eq!(openssl_brief(&out.stderr_str()), ("TLSv1.2".to_string(), s.openssl.to_string()));
        if let Some((group, _)) = g {
            let temp_key =
                out.stderr_str().lines().find(|l| l.starts_with("Server Temp Key:")).map(str::to_owned);
            assert!(
                temp_key.as_deref().is_some_and(|l| l.contains(group)
                    || (group == "P-256" && l.contains("prime256v1"))
                    || (group == "P-384" && l.contains("secp384r1"))),
                "s_client's view of the group: {temp_key:?}, want {group}"
            );
        }
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

/// Exactly one ECDHE-RSA (or RSA) suite and one group, TLS 1.2.
fn gnutls_ecdhe_priority(s: Suite, g: Option<(&str, &str)>) -> String {
    let kx = if g.is_some() { "ECDHE-RSA" } else { "RSA" };
    let mut p = format!(
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+{kx}:-CIPHER-ALL:+{}:-MAC-ALL:+{}",
        s.gnutls_cipher, s.gnutls_mac
    );
    if let Some((_, group)) = g {
        p.push_str(&format!(":-GROUP-ALL:+{group}"));
    }
    p
}

/// GnuTLS's session description names the key exchange and group, e.g.
/// "(TLS1.2-X.509)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-128-GCM)".
fn check_gnutls_description(report: &GnutlsReport, s: Suite, g: Option<(&str, &str)>) {
    let d = &report.description;
    assert!(d.starts_with("(TLS1.2-X.509)"), "GnuTLS's view: {d}");
    assert!(d.contains(&format!("({})", s.gnutls_cipher)), "GnuTLS's view: {d}");
    if let Some((_, group)) = g {
        let name = group.trim_start_matches("GROUP-");
        assert!(d.contains(&format!("(ECDHE-{name})")), "GnuTLS's view: {d}, want ECDHE-{name}");
    }
}

#[test]
fn ferrotls_client_talks_to_gnutls_serv_with_every_ecdhe_suite_and_group() {
    let fx = fixtures();
    let data = payload(SIZE, 14);
    run_matrix(cases(), matrix_threads(), move |&(s, g)| {
        let port = free_port();
        let mut srv = Peer::spawn(
            "gnutls-serv",
            &mut gnutls_server(port, &fx.chain, &fx.key, &gnutls_ecdhe_priority(s, g)),
        );
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &fx.ca, Some(Version::Tls12), Some(s), EXT_ON),
            &data,
        );
        check_json(&out, s, &data);
        srv.wait_for_line("- Options:", Duration::from_secs(5));
        check_gnutls_description(&GnutlsReport::parse(&srv.stdout_now()), s, g);
    });
}

#[test]
fn gnutls_cli_talks_to_ferrotls_server_with_every_ecdhe_suite_and_group() {
    let fx = fixtures();
    let data = payload(SIZE, 15);
    run_matrix(cases(), matrix_threads(), move |&(s, g)| {
        let t = TempDir::new("gnutls-ecdhe-cli");
        let mut srv = Peer::spawn(
            "ferrotls server",
            &mut ferrotls_server(&fx.chain, &fx.key, Some(Version::Tls12), Some(s), EXT_ON),
        );
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let log = t.path("cli.log");
        let out = exchange_with_echo_server(
            &mut gnutls_client(port, "localhost", &fx.ca, &gnutls_ecdhe_priority(s, g), &log),
            &data,
        );
        out.expect_success("gnutls-cli");
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        check_gnutls_description(&GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap()), s, g);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

/// Python's default client: `ssl.create_default_context()` with TLS 1.2 at most. Its cipher list
/// has no RSA key exchange, so before ECDHE it could not connect to a ferrotls server at all.
const PY_DEFAULT_CLIENT: &str = r#"
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
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
        tls.unwrap()  # close_notify, as a well-behaved client ends
"#;

#[test]
fn python_default_ssl_client_talks_to_ferrotls_server() {
    let fx = fixtures();
    let mut srv =
        Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "python3",
        Command::new(python3()).args(["-c", PY_DEFAULT_CLIENT, &port.to_string(), path_str(&fx.ca)]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("python3 default ssl client");
    // The server prefers ECDHE-RSA-AES128-GCM-SHA256 (our default order) among Python's offers.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 hello from python"
    );
    srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
}

/// `ferrotls server --cert/--key` with an ECDSA (P-256, P-384) or Ed25519 key, as with RSA:
/// Python's default client connects with an ECDHE-ECDSA suite. The twin: a client that offers
/// only ECDHE-RSA is refused, and the server says what it lacked.
#[test]
fn ferrotls_server_serves_ecdsa_and_ed25519_keys_to_python_default_client() {
    ferrotls_bin();
    for (leaf, key, ca) in [
        ("ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key", "ecdsa-p256-ca.pem"),
        ("ecdsa-p384-leaf.pem", "ecdsa-p384-leaf.key", "ecdsa-p384-ca.pem"),
        ("ed25519-leaf.pem", "ed25519-leaf.key", "ed25519-ca.pem"),
    ] {
        let mut srv = Peer::spawn(
            "ferrotls server",
            &mut ferrotls_server(&fixture(leaf), &fixture(key), None, None, EXT_ON),
        );
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = run(
            "python3",
            Command::new(python3()).args([
                "-c",
                PY_DEFAULT_CLIENT,
                &port.to_string(),
                path_str(&fixture(ca)),
            ]),
            b"",
            PEER_TIMEOUT,
        );
        out.expect_success("python3 default ssl client");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 hello from python",
            "{leaf}"
        );
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");

        let mut srv = Peer::spawn(
            "ferrotls server",
            &mut ferrotls_server(&fixture(leaf), &fixture(key), None, None, EXT_ON),
        );
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = run(
            "openssl s_client",
            Command::new("openssl").args([
                "s_client",
                "-connect",
                &format!("127.0.0.1:{port}"),
                "-tls1_2",
                "-cipher",
                "ECDHE-RSA-AES128-GCM-SHA256",
            ]),
            b"",
            PEER_TIMEOUT,
        );
        assert!(!out.status.success(), "{leaf}: s_client with only ECDHE-RSA connected");
        let srv_out = srv.wait(Duration::from_secs(10));
        let text = format!("{}{}", srv_out.stdout_str(), srv_out.stderr_str());
        assert!(text.contains("RSA") && text.contains("certificate"), "{leaf}: the server said {text}");
    }
}
