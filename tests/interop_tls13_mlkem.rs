//! X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem, 0x11EC) against tlslite-ng (with kyber-py's
//! ML-KEM), both directions: the tlslite peer offers or accepts that group alone, so a handshake
//! means the hybrid was used, and ferrotls reports it. ferrotls runs with its defaults, which
//! offer and prefer the hybrid. This machine's OpenSSL (3.0) and GnuTLS (3.7) have no ML-KEM.
//! The twins: a ferrotls client or server configured without the hybrid does not agree with
//! the hybrid-only tlslite peer.

mod common;

use common::*;
use std::process::Command;

fn tlslite_mlkem(args: &[&str]) -> Command {
    let mut c = Command::new(venv_python());
    c.arg(repo_root().join("tests/interop/tlslite_mlkem.py")).args(args);
    c
}

fn ferrotls_client(port: u16, groups: Option<&str>) -> Output {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
    c.args(["--cafile", path_str(&fixture("ca.pem")), "--send", "pq\n", "--json"]);
    if let Some(g) = groups {
        c.args(["--groups", g]);
    }
    run("ferrotls client", &mut c, b"", PEER_TIMEOUT)
}

#[test]
fn a_default_ferrotls_client_uses_x25519mlkem768_with_a_tlslite_server() {
    for (groups, ok) in [(None, true), (Some("X25519:P-256"), false)] {
        let port = free_port();
        let chain = fixture("server-chain.pem");
        let key = fixture("server.key");
        let mut srv = Peer::spawn(
            "tlslite-ng server",
            &mut tlslite_mlkem(&["server", &port.to_string(), path_str(&chain), path_str(&key)]),
        );
        srv.wait_for_output("listening", READY_TIMEOUT);
        let out = ferrotls_client(port, groups);
        if ok {
            out.expect_success("ferrotls client");
            let j = out.json();
            assert_eq!(j.get("version").str(), Some("TLSv1.3"));
            assert_eq!(j.get("group").str(), Some("X25519MLKEM768"));
            assert_eq!(j.get("hello_retry").bool(), Some(false), "the first key share was the hybrid");
            assert_eq!(j.get("received").str(), Some("pq\n"));
            srv.wait_for_output("echoed 3", PEER_TIMEOUT);
        } else {
            assert!(!out.success(), "a client without the hybrid must not agree with a hybrid-only server");
            assert!(out.stderr_str().contains("handshake_failure"), "{}", clip(&out.stderr_str()));
        }
        let _ = srv.stop();
    }
}

#[test]
fn a_tlslite_client_gets_x25519mlkem768_from_a_default_ferrotls_server() {
    for (groups, ok) in [(None, true), (Some("X25519:P-256"), false)] {
        let mut cmd = Command::new(ferrotls_bin());
        cmd.args(["server", "--host", "127.0.0.1", "--port", "0", "--once", "--json"]);
        cmd.args([
            "--cert",
            path_str(&fixture("server-chain.pem")),
            "--key",
            path_str(&fixture("server.key")),
        ]);
        if let Some(g) = groups {
            cmd.args(["--groups", g]);
        }
        let mut srv = Peer::spawn("ferrotls server", &mut cmd);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out =
            run("tlslite-ng client", &mut tlslite_mlkem(&["client", &port.to_string()]), b"", PEER_TIMEOUT);
        if ok {
            out.expect_success("tlslite-ng client");
            assert!(out.stdout_str().contains("got pq hello"), "{}", clip(&out.stdout_str()));
            srv.wait_for_output("\"group\":\"X25519MLKEM768\"", PEER_TIMEOUT);
            srv.wait_for_output("\"hello_retry\":false", PEER_TIMEOUT);
        } else {
            // The twin: a server without the hybrid has no group in common with this client.
            assert!(!out.success(), "a hybrid-only client must not agree with a server without it");
            srv.wait_for_output("no common key exchange group", PEER_TIMEOUT);
        }
        let _ = srv.stop();
    }
}
