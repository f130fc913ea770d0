//! TLS 1.3 against GnuTLS (gnutls-serv / gnutls-cli) for each suite × group × {RSA, ECDSA
//! P-256, Ed25519} certificate, both directions, like the OpenSSL matrix in interop_tls13.rs.
//! GnuTLS is limited by its priority string to exactly one suite and one group, so the
//! handshake can only succeed with that pair; ferrotls (X25519MLKEM768 and X25519 shares) meets P-256 and
//! P-384 through a HelloRetryRequest. Twins: a suite the other side does not allow, and a
//! certificate the client does not trust.

mod common;

use common::*;
use std::process::Command;
use std::time::Duration;

/// (IANA name as ferrotls reports it, GnuTLS cipher name)
const SUITES: [(&str, &str); 3] = [
    ("TLS_AES_128_GCM_SHA256", "AES-128-GCM"),
    ("TLS_AES_256_GCM_SHA384", "AES-256-GCM"),
    ("TLS_CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305"),
];
/// (ferrotls/OpenSSL name, GnuTLS priority name, as gnutls-cli's session description names it)
const GROUPS: [(&str, &str, &str); 3] = [
    ("X25519", "GROUP-X25519", "ECDHE-X25519"),
    ("P-256", "GROUP-SECP256R1", "ECDHE-SECP256R1"),
    ("P-384", "GROUP-SECP384R1", "ECDHE-SECP384R1"),
];
/// (name, CA, chain, key, the TLS 1.3 signature scheme the server signs with)
const CERTS: [(&str, &str, &str, &str, &str); 3] = [
    ("RSA", "ca.pem", "server-chain.pem", "server.key", "rsa_pss_rsae_sha256"),
    (
        "ECDSA P-256",
        "ecdsa-p256-ca.pem",
        "ecdsa-p256-leaf.pem",
        "ecdsa-p256-leaf.key",
        "ecdsa_secp256r1_sha256",
    ),
    ("Ed25519", "ed25519-ca.pem", "ed25519-leaf.pem", "ed25519-leaf.key", "ed25519"),
];

fn cases() -> Vec<(usize, usize, usize)> {
    let mut v = Vec::new();
    for c in 0..CERTS.len() {
        for s in 0..SUITES.len() {
            for g in 0..GROUPS.len() {
                v.push((c, s, g));
            }
        }
    }
    v
}

/// TLS 1.3 only, exactly one suite and one group.
fn priority(suite: usize, group: usize) -> String {
    format!("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{}:-GROUP-ALL:+{}", SUITES[suite].1, GROUPS[group].1)
}

fn gnutls_serv(port: u16, chain: &str, key: &str, priority: &str) -> Peer {
    let mut c = Command::new("gnutls-serv");
    c.args(["--port", &port.to_string(), "--echo", "--priority", priority]);
    c.args(["--x509certfile", path_str(&fixture(chain)), "--x509keyfile", path_str(&fixture(key))]);
    let mut p = Peer::spawn("gnutls-serv", &mut c);
    p.wait_port_listening(port, READY_TIMEOUT);
    p
}

fn gnutls_cli(port: u16, ca: &str, priority: &str) -> Command {
    let mut c = Command::new("gnutls-cli");
    c.args(["--port", &port.to_string(), "--priority", priority]);
    c.args(["--x509cafile", path_str(&fixture(ca)), "--sni-hostname", "localhost"]);
    c.args(["--verify-hostname", "localhost", "127.0.0.1"]);
    c
}

fn ferrotls_server(chain: &str, key: &str, extra: &[&str]) -> Peer {
    let mut c = Command::new(ferrotls_bin());
    c.args(["server", "--host", "127.0.0.1", "--port", "0", "--once", "--json"]);
    c.args(["--cert", path_str(&fixture(chain)), "--key", path_str(&fixture(key))]);
    c.args(extra);
    Peer::spawn("ferrotls server", &mut c)
}

fn ferrotls_client(port: u16, ca: &str) -> Command {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--json"]);
    c.args(["--cafile", path_str(&fixture(ca))]);
    c
}

#[test]
fn ferrotls_client_talks_tls13_to_gnutls_serv_for_every_suite_group_and_certificate() {
    ferrotls_bin();
    run_matrix(cases(), matrix_threads(), |&(c, s, g)| {
        let (_, ca, chain, key, scheme) = CERTS[c];
        let port = free_port();
        let srv = gnutls_serv(port, chain, key, &priority(s, g));
        let data = payload(20_000, (c * 9 + s * 3 + g) as u64);
        let out = exchange_with_echo_server(&mut ferrotls_client(port, ca), &data);
        out.expect_success("ferrotls client");
        let j = out.json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"));
        assert_eq!(j.get("cipher").str(), Some(SUITES[s].0));
        assert_eq!(j.get("group").str(), Some(GROUPS[g].0));
        assert_eq!(j.get("signature_scheme").str(), Some(scheme));
        assert_eq!(
            j.get("hello_retry").bool(),
            Some(g != 0),
            "ferrotls sends X25519MLKEM768 and X25519 shares"
        );
        assert_same_bytes("echo from gnutls-serv", j.get("received").str().unwrap_or("").as_bytes(), &data);
        let _ = srv.stop();
    });
}

#[test]
fn gnutls_cli_talks_tls13_to_ferrotls_server_for_every_suite_group_and_certificate() {
    ferrotls_bin();
    run_matrix(cases(), matrix_threads(), |&(c, s, g)| {
        let (_, ca, chain, key, scheme) = CERTS[c];
        let mut srv = ferrotls_server(chain, key, &[]);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let data = b"gnutls matrix line\n";
        let out = exchange_holding_stdin(&mut gnutls_cli(port, ca, &priority(s, g)), data);
        let stdout = out.stdout_str();
        let description = format!("(TLS1.3-X.509)-({})-", GROUPS[g].2);
        assert!(stdout.contains(&description), "{description}:\n{}", clip(&stdout));
        assert!(stdout.contains("gnutls matrix line"), "{}", clip(&stdout));
        let j = srv.wait(Duration::from_secs(10)).json();
        assert_eq!(j.get("error").str(), None);
        assert_eq!(j.get("version").str(), Some("TLSv1.3"));
        assert_eq!(j.get("cipher").str(), Some(SUITES[s].0));
        assert_eq!(j.get("group").str(), Some(GROUPS[g].0));
        assert_eq!(j.get("signature_scheme").str(), Some(scheme));
    });
}

#[test]
fn tls13_with_gnutls_fails_without_a_common_suite_or_a_trusted_certificate() {
    ferrotls_bin();
    // ferrotls server allows AES-128-GCM only; gnutls-cli AES-256-GCM only.
    let mut srv =
        ferrotls_server("server-chain.pem", "server.key", &["--ciphersuites", "TLS_AES_128_GCM_SHA256"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run("gnutls-cli", &mut gnutls_cli(port, "ca.pem", &priority(1, 0)), b"x\n", PEER_TIMEOUT);
    assert!(!out.success(), "gnutls-cli agreed without a common suite");
    let so = srv.wait(Duration::from_secs(10));
    assert!(!so.success());
    assert!(so.stderr_str().contains("no common TLS 1.3 cipher suite"), "{}", clip(&so.stderr_str()));

    // gnutls-serv with the Ed25519 certificate; the client trusts only the RSA demo CA.
    let port = free_port();
    let srv = gnutls_serv(port, "ed25519-leaf.pem", "ed25519-leaf.key", &priority(0, 0));
    let out = exchange_with_echo_server(&mut ferrotls_client(port, "ca.pem"), b"x\n");
    out.expect_failure_mentioning(
        "ferrotls client, untrusted Ed25519 server",
        &["issuer", "unknown", "certificate"],
    );
    let _ = srv.stop();
}
