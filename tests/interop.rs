//! ferrotls against real peers (OpenSSL, GnuTLS, Python ssl, tlslite-ng) and against itself, plus the
//! negative cases a user would hit. Drives the `ferrotls` command (FERROTLS_BIN or target/release/ferrotls)
//! per the CLI contract of the TLS engine issue. The peer command lines are checked by tests/peers.rs.

mod common;

use common::net::{raw_server, tampering_proxy, RawBehaviour, Tamper};
use common::peers::*;
use common::*;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const MIB: usize = 1 << 20;

/// What the ferrotls client printed with --json, checked as a user would.
fn check_client_json(out: &Output, v: Version, s: Suite, want_received: &[u8]) {
    out.expect_success("ferrotls client");
    let j = out.json();
    let version = j.get("version").str().unwrap_or_default();
    assert!(v.matches(version), "negotiated version {version:?}, want {}", v.name());
    assert_eq!(j.get("cipher").str(), Some(s.iana), "negotiated cipher");
    assert_eq!(j.get("verified").bool(), Some(true), "verified");
    assert!(!j.get("peer_certificates").arr().is_empty(), "peer_certificates is empty");
    assert_same_bytes(
        "client received",
        j.get("received").str().unwrap_or_default().as_bytes(),
        want_received,
    );
}

/// Like check_client_json for connections with default settings: TLS 1.3 and whatever default suite.
fn check_client_json_defaults(out: &Output, want_received: &[u8]) {
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.3"), "default version");
    let cipher = j.get("cipher").str().unwrap_or_default();
    assert!(
        ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"]
            .contains(&cipher),
        "default cipher {cipher:?} is not a default-profile suite"
    );
    assert_eq!(j.get("verified").bool(), Some(true), "verified");
    assert_same_bytes(
        "client received",
        j.get("received").str().unwrap_or_default().as_bytes(),
        want_received,
    );
}

struct Fixtures {
    ca: std::path::PathBuf,
    chain: std::path::PathBuf,
    key: std::path::PathBuf,
}

fn fixtures() -> Arc<Fixtures> {
    ferrotls_bin();
    Arc::new(Fixtures { ca: fixture(CA), chain: fixture(SERVER_CHAIN), key: fixture(SERVER_KEY) })
}

/// (version, suite, ferrotls side, peer side) for every pair × EMS/EtM combination.
fn matrix(suites: &[Suite]) -> Vec<(Version, Suite, Ext, Ext)> {
    pairs(suites).into_iter().flat_map(|(v, s)| EXT_COMBOS.iter().map(move |&(f, p)| (v, s, f, p))).collect()
}

// ------------------------------------------------------------------------------------------------ OpenSSL
#[test]
fn ferrotls_client_talks_to_openssl_s_server_for_every_version_suite_and_extension() {
    let fx = fixtures();
    let up = payload(MIB, 1);
    let down = payload(MIB, 2);
    run_matrix(matrix(&OPENSSL_SUITES), matrix_threads(), move |&(v, s, f, p)| {
        let t = TempDir::new("ossl-srv");
        let (leaf, rest) = split_chain(&fx.chain, &t);
        let port = free_port();
        let (cli, srv) = exchange_with_openssl_server(
            &mut openssl_server(port, &leaf, rest.as_deref(), &fx.key, v, s, p, &t),
            port,
            |port| ferrotls_client(port, "localhost", &fx.ca, Some(v), Some(s), f),
            &up,
            &down,
        );
        check_client_json(&cli, v, s, &down);
        assert_same_bytes("s_server received", &srv.stdout, &up);
    });
}

#[test]
fn openssl_s_client_talks_to_ferrotls_server_for_every_version_suite_and_extension() {
    let fx = fixtures();
    let data = payload(MIB, 3);
    run_matrix(matrix(&OPENSSL_SUITES), matrix_threads(), move |&(v, s, f, p)| {
        let t = TempDir::new("ossl-cli");
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, Some(v), Some(s), f));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = exchange_holding_stdin(&mut openssl_client(port, "localhost", &fx.ca, v, s, p, &t), &data);
        out.expect_success("openssl s_client");
        assert_eq!(openssl_brief(&out.stderr_str()), (v.name().to_string(), s.openssl.to_string()));
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

// ------------------------------------------------------------------------------------------------- GnuTLS
#[test]
fn ferrotls_client_talks_to_gnutls_serv_for_every_version_suite_and_extension() {
    let fx = fixtures();
    let data = payload(MIB, 4);
    run_matrix(matrix(&ALL_SUITES), matrix_threads(), move |&(v, s, f, p)| {
        let port = free_port();
        let mut srv = Peer::spawn(
            "gnutls-serv",
            &mut gnutls_server(port, &fx.chain, &fx.key, &gnutls_priority(v, s, p)),
        );
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &fx.ca, Some(v), Some(s), f),
            &data,
        );
        check_client_json(&out, v, s, &data);
        srv.wait_for_line("- Options:", Duration::from_secs(5));
        GnutlsReport::parse(&srv.stdout_now()).check(v, s, f.ems && p.ems, f.etm && p.etm);
    });
}

#[test]
fn gnutls_cli_talks_to_ferrotls_server_for_every_version_suite_and_extension() {
    let fx = fixtures();
    let data = payload(MIB, 5);
    run_matrix(matrix(&ALL_SUITES), matrix_threads(), move |&(v, s, f, p)| {
        let t = TempDir::new("gnutls-cli");
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, Some(v), Some(s), f));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let log = t.path("cli.log");
        let out = exchange_with_echo_server(
            &mut gnutls_client(port, "localhost", &fx.ca, &gnutls_priority(v, s, p), &log),
            &data,
        );
        out.expect_success("gnutls-cli");
        assert_same_bytes("echo from ferrotls server", &out.stdout, &data);
        GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap()).check(
            v,
            s,
            f.ems && p.ems,
            f.etm && p.etm,
        );
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

// ----------------------------------------------------------------------------------- Python ssl, tlslite
/// tlslite-ng is pure Python: 3DES runs at a few KiB/s, so it gets less data than the 1 MiB elsewhere.
fn py_size(backend: &str, s: Suite) -> usize {
    match (backend, s.gnutls_cipher) {
        ("ssl", _) => MIB,
        (_, "3DES-CBC") => 16 << 10,
        _ => 256 << 10,
    }
}

fn python_cases(backend: &'static str) -> Vec<(&'static str, Version, Suite, Ext, Ext)> {
    let suites: &[Suite] = if backend == "ssl" { &OPENSSL_SUITES } else { &ALL_SUITES };
    let mut cases: Vec<_> = pairs(suites).into_iter().map(|(v, s)| (backend, v, s, EXT_ON, EXT_ON)).collect();
    // EMS/EtM off on either side, once per version.
    for v in VERSIONS {
        cases.push((backend, v, AES128_SHA, Ext { ems: false, etm: false }, EXT_ON));
        cases.push((backend, v, AES128_SHA, EXT_ON, Ext { ems: false, etm: false }));
    }
    cases
}

fn ferrotls_client_to_python_server(backend: &'static str) {
    let fx = fixtures();
    let data = payload(MIB, 6);
    run_matrix(python_cases(backend), matrix_threads(), move |&(backend, v, s, f, p)| {
        let n = py_size(backend, s);
        let mut srv = Peer::spawn(backend, &mut py_server(backend, &fx.chain, &fx.key, Some(v), Some(s), p));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &fx.ca, Some(v), Some(s), f),
            &data[..n],
        );
        check_client_json(&out, v, s, &data[..n]);
        let so = srv.wait(Duration::from_secs(30));
        so.expect_success(backend);
        let j = so.json();
        assert_eq!(j.get("closed").str(), Some("close_notify"), "the server saw our close_notify");
        assert_eq!(j.get("received").num(), Some(n as f64));
        if backend == "tlslite" {
            assert_eq!(j.get("ems").bool(), Some(f.ems && p.ems), "EMS per tlslite");
            assert_eq!(j.get("etm").bool(), Some(f.etm && p.etm && s.cbc), "EtM per tlslite");
        }
    });
}

fn python_client_to_ferrotls_server(backend: &'static str) {
    let fx = fixtures();
    let data = payload(MIB, 7);
    run_matrix(python_cases(backend), matrix_threads(), move |&(backend, v, s, f, p)| {
        let t = TempDir::new("py-cli");
        let n = py_size(backend, s);
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, Some(v), Some(s), f));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let infile = t.write("in", &data[..n]);
        let outfile = t.path("out");
        let ca = (backend == "ssl").then_some(fx.ca.as_path()); // tlslite-ng does not verify chains
        let out = run(
            backend,
            &mut py_client(backend, port, "localhost", ca, &infile, &outfile, Some(v), Some(s), p),
            b"",
            PEER_TIMEOUT,
        );
        out.expect_success(backend);
        let j = out.json();
        assert!(v.matches(j.get("version").str().unwrap_or_default()), "{j:?}");
        assert_eq!(j.get("cipher").str(), Some(s.iana));
        if backend == "tlslite" {
            assert_eq!(j.get("ems").bool(), Some(f.ems && p.ems), "EMS per tlslite");
            assert_eq!(j.get("etm").bool(), Some(f.etm && p.etm && s.cbc), "EtM per tlslite");
        }
        assert_same_bytes("echo from ferrotls server", &std::fs::read(&outfile).unwrap(), &data[..n]);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

#[test]
fn ferrotls_client_talks_to_python_ssl_server() {
    ferrotls_client_to_python_server("ssl");
}

#[test]
fn python_ssl_client_talks_to_ferrotls_server() {
    python_client_to_ferrotls_server("ssl");
}

#[test]
fn ferrotls_client_talks_to_tlslite_server_including_3des_and_rc4() {
    ferrotls_client_to_python_server("tlslite");
}

#[test]
fn tlslite_client_talks_to_ferrotls_server_including_3des_and_rc4() {
    python_client_to_ferrotls_server("tlslite");
}

// ----------------------------------------------------------------------------------------------- ferrotls
#[test]
fn ferrotls_client_talks_to_ferrotls_server_for_every_version_suite_and_extension() {
    let fx = fixtures();
    let data = payload(MIB, 8);
    run_matrix(matrix(&ALL_SUITES), matrix_threads(), move |&(v, s, f, p)| {
        let mut srv =
            Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, Some(v), Some(s), p));
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client(port, "localhost", &fx.ca, Some(v), Some(s), f),
            &data,
        );
        check_client_json(&out, v, s, &data);
        srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
    });
}

#[test]
fn ferrotls_server_serves_connections_concurrently() {
    let fx = fixtures();
    let cmd = ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON);
    // Not --once: this server keeps serving.
    let args: Vec<_> = cmd.get_args().filter(|a| *a != "--once").map(|a| a.to_owned()).collect();
    let mut cmd2 = std::process::Command::new(cmd.get_program());
    cmd2.args(args);
    let mut srv = Peer::spawn("ferrotls server", &mut cmd2);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    // A silent first connection must not block the others.
    let _idle = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let fx = fx.clone();
            std::thread::spawn(move || {
                let data = payload(64 << 10, 100 + i);
                let out = exchange_with_echo_server(
                    &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
                    &data,
                );
                out.expect_success("concurrent ferrotls client");
                assert_same_bytes(
                    "concurrent echo",
                    out.json().get("received").str().unwrap_or_default().as_bytes(),
                    &data,
                );
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap_or_else(|_| panic!("a concurrent client failed"));
    }
    drop(srv.stop());
    drop(cmd);
}

/// `FERROTLS_PROVIDER` chooses the crypto provider of the command: a server on one provider and
/// a client on the other complete handshakes and move data both ways (the RSA key exchange's
/// raw decryption, the PRF and the records must agree byte for byte), and an unknown name is
/// an error that names the known ones, before anything connects.
#[test]
fn ferrotls_client_and_server_on_different_crypto_providers_talk() {
    let fx = fixtures();
    let data = payload(256 << 10, 7);
    let providers: &[&str] =
        if cfg!(feature = "aws-lc") { &["aws-lc", "rustcrypto"] } else { &["rustcrypto"] };
    for server_provider in providers {
        for client_provider in providers {
            let mut cmd = ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON);
            let mut srv = Peer::spawn("ferrotls server", cmd.env("FERROTLS_PROVIDER", server_provider));
            let port = srv.wait_listening_banner(READY_TIMEOUT);
            let mut client = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
            let out = exchange_with_echo_server(client.env("FERROTLS_PROVIDER", client_provider), &data);
            check_client_json_defaults(&out, &data);
            srv.wait(Duration::from_secs(10)).expect_success("ferrotls server --once");
        }
    }
    let mut client = ferrotls_client(1, "localhost", &fx.ca, None, None, EXT_ON);
    let out = run("ferrotls client", client.env("FERROTLS_PROVIDER", "boringssl"), b"", PEER_TIMEOUT);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown crypto provider \"boringssl\"") && stderr.contains("rustcrypto"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------- negative: certificates
fn client_against_ferrotls_server_with(
    chain: &std::path::Path,
    key: &std::path::Path,
    servername: &str,
) -> Output {
    let fx = fixtures();
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server(chain, key, None, None, EXT_ON));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, servername, &fx.ca, None, None, EXT_ON),
        b"hello",
        PEER_TIMEOUT,
    );
    drop(srv);
    out
}

#[test]
fn client_accepts_the_right_host_name() {
    let fx = fixtures();
    let out = client_against_ferrotls_server_with(&fx.chain, &fx.key, "localhost");
    check_client_json_defaults(&out, b"hello");
}

#[test]
fn client_rejects_a_certificate_for_another_host_via_servername() {
    let fx = fixtures();
    client_against_ferrotls_server_with(&fx.chain, &fx.key, "wrong.example")
        .expect_failure_mentioning("client with --servername wrong.example", &["wrong.example"]);
}

#[test]
fn client_rejects_a_leaf_issued_for_another_host() {
    let chain = fixture(WRONG_HOST_CHAIN);
    client_against_ferrotls_server_with(&chain, &fixture_key_for(WRONG_HOST_CHAIN), "localhost")
        .expect_failure_mentioning("client against a leaf for another host", &["localhost", "name", "host"]);
}

#[test]
fn client_rejects_an_untrusted_ca() {
    let chain = fixture(UNTRUSTED_CHAIN);
    client_against_ferrotls_server_with(&chain, &fixture_key_for(UNTRUSTED_CHAIN), "localhost")
        .expect_failure_mentioning("client against an untrusted chain", &["trust", "issuer", "unknown"]);
}

#[test]
fn client_rejects_an_expired_certificate() {
    let chain = fixture(EXPIRED_CHAIN);
    client_against_ferrotls_server_with(&chain, &fixture_key_for(EXPIRED_CHAIN), "localhost")
        .expect_failure_mentioning("client against an expired leaf", &["expired", "not valid", "validity"]);
}

/// Issue 13 item 6: a server whose certificate is what `openssl req -x509` makes (self-signed,
/// CA:TRUE), and a client given that same certificate as its CA file, as OpenSSL, GnuTLS and
/// Python accept it: the ferrotls CLI on both sides, and against `openssl s_server`.
#[test]
fn a_self_signed_ca_certificate_is_accepted_when_it_is_the_clients_ca_file() {
    let cert = fixture("self-signed-ca-leaf.pem");
    let key = fixture("server.key");
    let mut srv = Peer::spawn("ferrotls server", &mut ferrotls_server(&cert, &key, None, None, EXT_ON));
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &cert, None, None, EXT_ON),
        b"hello",
        PEER_TIMEOUT,
    );
    drop(srv);
    check_client_json_defaults(&out, b"hello");
    assert_eq!(out.json().get("verified").bool(), Some(true));

    let t = TempDir::new("ossl-self-signed-ca");
    let port = free_port();
    let (cli, srv) = exchange_with_openssl_server(
        &mut openssl_server(port, &cert, None, &key, Version::Tls12, AES128_SHA256, EXT_ON, &t),
        port,
        |port| ferrotls_client(port, "localhost", &cert, Some(Version::Tls12), Some(AES128_SHA256), EXT_ON),
        b"up",
        b"down",
    );
    check_client_json(&cli, Version::Tls12, AES128_SHA256, b"down");
    assert_same_bytes("s_server received", &srv.stdout, b"up");
}

/// The twin: the same server, verified against another CA file, is refused, and the message
/// says a CA certificate was used as an end-entity certificate.
#[test]
fn a_self_signed_ca_certificate_that_is_not_the_trust_anchor_is_refused_with_a_clear_reason() {
    client_against_ferrotls_server_with(
        &fixture("self-signed-ca-leaf.pem"),
        &fixture("server.key"),
        "localhost",
    )
    .expect_failure_mentioning("client trusting another CA", &["CA certificate", "end-entity"]);
}

#[test]
fn client_with_dangerous_no_verify_accepts_an_untrusted_ca_and_says_so() {
    let fx = fixtures();
    let chain = fixture(UNTRUSTED_CHAIN);
    let mut srv = Peer::spawn(
        "ferrotls server",
        &mut ferrotls_server(&chain, &fixture_key_for(UNTRUSTED_CHAIN), None, None, EXT_ON),
    );
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cmd = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    cmd.arg("--dangerous-no-verify");
    let out = run("ferrotls client", &mut cmd, b"hi", PEER_TIMEOUT);
    out.expect_success("ferrotls client --dangerous-no-verify");
    assert_eq!(out.json().get("verified").bool(), Some(false), "verified must be false without verification");
}

// ------------------------------------------------------------------------------ negative: versions, legacy
#[test]
fn no_common_version_fails_on_both_sides() {
    let fx = fixtures();
    let mut scmd = ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON);
    scmd.args(["--min-version", "1.2"]);
    let mut srv = Peer::spawn("ferrotls server", &mut scmd);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut ccmd = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    ccmd.args(["--max-version", "1.0", "--legacy"]);
    let out = run("ferrotls client", &mut ccmd, b"hi", PEER_TIMEOUT);
    out.expect_failure_mentioning("client with --max-version 1.0", &["version"]);
    srv.wait(Duration::from_secs(10))
        .expect_failure_mentioning("server --once with --min-version 1.2", &["version"]);
}

#[test]
fn legacy_versions_and_suites_without_legacy_are_a_configuration_error() {
    let fx = fixtures();
    let (port, _h) = raw_server(RawBehaviour::Silent);
    let target = format!("127.0.0.1:{port}");
    let client_cases: [&[&str]; 4] = [
        &["--max-version", "1.0"],
        &["--min-version", "1.1", "--max-version", "1.1"],
        &["--ciphers", "DES-CBC3-SHA"],
        &["--ciphers", "TLS_RSA_WITH_RC4_128_MD5"],
    ];
    for extra in client_cases {
        let mut c = std::process::Command::new(ferrotls_bin());
        c.args(["client", &target, "--cafile", path_str(&fx.ca), "--send", "x"]).args(extra);
        run("ferrotls client", &mut c, b"", Duration::from_secs(20))
            .expect_failure_mentioning(&format!("client {extra:?} without --legacy"), &["legacy"]);
    }
    for extra in [&["--min-version", "1.0"][..], &["--ciphers", "RC4-SHA"]] {
        let mut c = std::process::Command::new(ferrotls_bin());
        c.args([
            "server",
            "--port",
            "0",
            "--cert",
            path_str(&fx.chain),
            "--key",
            path_str(&fx.key),
            "--once",
        ])
        .args(extra);
        run("ferrotls server", &mut c, b"", Duration::from_secs(20))
            .expect_failure_mentioning(&format!("server {extra:?} without --legacy"), &["legacy"]);
    }
}

#[test]
fn client_without_legacy_fails_against_a_server_offering_only_rc4() {
    let fx = fixtures();
    let port = free_port();
    let prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+ARCFOUR-128:-MAC-ALL:+SHA1:+MD5";
    let mut srv = Peer::spawn("gnutls-serv", &mut gnutls_server(port, &fx.chain, &fx.key, prio));
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
        b"hi",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning(
        "client without --legacy against an RC4-only server",
        &["handshake_failure", "handshake failure", "cipher", "suite"],
    );
}

#[test]
fn client_with_legacy_succeeds_against_a_server_offering_only_rc4() {
    let fx = fixtures();
    let port = free_port();
    let prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+ARCFOUR-128:-MAC-ALL:+SHA1";
    let mut srv = Peer::spawn("gnutls-serv", &mut gnutls_server(port, &fx.chain, &fx.key, prio));
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.arg("--legacy");
    // Keep the client's input open until the echo is back, as the matrix tests do.
    // gnutls-serv echoes whole lines.
    let out = exchange_with_echo_server(&mut c, b"hi\n");
    check_client_json(&out, Version::Tls12, RC4_SHA, b"hi\n");
}

// ------------------------------------------------------------------------------- negative: record layer
#[test]
fn client_reports_truncation_when_the_server_closes_mid_handshake() {
    let fx = fixtures();
    let (port, h) = raw_server(RawBehaviour::CloseAfterClientHello);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
        b"hi",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("client cut off mid-handshake", &["truncat", "eof", "closed"]);
    h.join().unwrap();
}

#[test]
fn client_reports_truncation_when_the_server_closes_without_close_notify() {
    let fx = fixtures();
    // TLS 1.2: the proxy recognises the close_notify by its record's content type, which TLS 1.3
    // hides (every record says application_data).
    let mut srv = Peer::spawn(
        "ferrotls server",
        ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON).args(["--max-version", "1.2"]),
    );
    let upstream = srv.wait_listening_banner(READY_TIMEOUT);
    let (port, h) = tampering_proxy(upstream, Tamper::DropServerCloseNotify);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
        b"hello",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("client whose peer closed without close_notify", &["truncat"]);
    h.join().unwrap();
}

#[test]
fn clean_close_through_an_honest_proxy_is_not_truncation() {
    // The twin of the two tests around it: the same proxy, flipping nothing that matters.
    let fx = fixtures();
    let mut srv =
        Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON));
    let upstream = srv.wait_listening_banner(READY_TIMEOUT);
    let (port, h) = tampering_proxy(upstream, Tamper::FlipNothing);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
        b"hello",
        PEER_TIMEOUT,
    );
    check_client_json_defaults(&out, b"hello");
    h.join().unwrap();
}

fn flipped_bit(tamper: Tamper, v: Version, s: Suite) {
    let fx = fixtures();
    let mut srv =
        Peer::spawn("ferrotls server", &mut ferrotls_server(&fx.chain, &fx.key, Some(v), Some(s), EXT_ON));
    let upstream = srv.wait_listening_banner(READY_TIMEOUT);
    let (port, h) = tampering_proxy(upstream, tamper);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, Some(v), Some(s), EXT_ON),
        b"hello, tampered world",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning(&format!("client with {tamper:?}"), &["bad_record_mac", "bad record mac"]);
    if tamper == Tamper::FlipClientAppData {
        srv.wait(Duration::from_secs(10)).expect_failure_mentioning(
            "server --once that got a flipped bit",
            &["bad_record_mac", "bad record mac"],
        );
    }
    h.join().unwrap();
}

#[test]
fn server_sends_bad_record_mac_for_a_flipped_bit_from_the_client() {
    flipped_bit(Tamper::FlipClientAppData, Version::Tls12, AES128_SHA);
}

#[test]
fn client_detects_a_flipped_bit_from_the_server_for_every_suite() {
    for (v, s) in [
        (Version::Tls12, AES128_SHA),
        (Version::Tls12, AES256_SHA256),
        (Version::Tls10, AES128_SHA),
        (Version::Tls11, DES_CBC3_SHA),
        (Version::Tls12, RC4_SHA),
        (Version::Tls12, RC4_MD5),
    ] {
        flipped_bit(Tamper::FlipServerAppData, v, s);
    }
}

/// MAC-then-encrypt records from the default (aws-lc) provider go out through aws-lc's stitched
/// AES-CBC-HMAC (`src/crypto/aws_lc/cbc_hmac.rs`), received ones through our own Lucky 13 code.
/// A ferrotls client sends to `openssl s_server -no_etm` through a proxy at TLS 1.0 (chained IVs)
/// and TLS 1.2 (explicit IVs): with nothing flipped s_server reads the 1 MiB (64 full records)
/// exactly; with one bit flipped in the first application_data record it refuses it with
/// bad_record_mac and reads nothing, and the client reports the alert.
#[test]
fn openssl_s_server_reads_mac_then_encrypt_records_from_ferrotls_and_rejects_a_flipped_bit() {
    let fx = fixtures();
    let up = payload(MIB, 21);
    let down = payload(4 << 10, 22);
    let no_etm = Ext { ems: true, etm: false };
    for (v, s) in
        [(Version::Tls10, AES128_SHA), (Version::Tls12, AES128_SHA), (Version::Tls12, AES256_SHA256)]
    {
        let t = TempDir::new("ossl-mte");
        let (leaf, rest) = split_chain(&fx.chain, &t);

        let port = free_port();
        let (cli, srv) = exchange_with_openssl_server(
            &mut openssl_server(port, &leaf, rest.as_deref(), &fx.key, v, s, no_etm, &t),
            port,
            |port| {
                let (proxy, _) = tampering_proxy(port, Tamper::FlipNothing);
                ferrotls_client(proxy, "localhost", &fx.ca, Some(v), Some(s), EXT_ON)
            },
            &up,
            &down,
        );
        check_client_json(&cli, v, s, &down);
        assert_eq!(cli.json().get("encrypt_then_mac").bool(), Some(false), "{v:?} {s:?}: EtM is off");
        assert_same_bytes("s_server received", &srv.stdout, &up);

        let port = free_port();
        let mut srv = Peer::spawn(
            "openssl s_server",
            &mut openssl_server(port, &leaf, rest.as_deref(), &fx.key, v, s, no_etm, &t),
        );
        srv.wait_port_listening(port, READY_TIMEOUT);
        let (proxy, h) = tampering_proxy(port, Tamper::FlipClientAppData);
        let cli = run(
            "ferrotls client",
            &mut ferrotls_client(proxy, "localhost", &fx.ca, Some(v), Some(s), EXT_ON),
            b"hello, tampered world",
            PEER_TIMEOUT,
        );
        cli.expect_failure_mentioning(&format!("{v:?} {s:?} client"), &["bad_record_mac", "bad record mac"]);
        let srv = srv.wait(Duration::from_secs(10));
        assert!(
            srv.stderr_str().to_lowercase().contains("bad record mac"),
            "{v:?} {s:?}: s_server should report a bad record MAC:\n{}",
            srv.stderr_str()
        );
        assert!(srv.stdout.is_empty(), "{v:?} {s:?}: s_server passed on tampered data");
        h.join().unwrap();
    }
}

#[test]
fn client_rejects_an_oversize_record_with_record_overflow() {
    let fx = fixtures();
    let (port, h) = raw_server(RawBehaviour::OversizeRecord);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON),
        b"hi",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning(
        "client sent a 2^14+2049-byte record",
        &["record_overflow", "record overflow"],
    );
    h.join().unwrap();
}

// ------------------------------------------------------------------------------- renegotiation
/// RFC 5746 §4.4: a server that does not renegotiate answers a second ClientHello with a
/// no_renegotiation warning. `openssl s_client` renegotiates when a line starting with `R` is
/// typed (commands on: no -quiet, no -nocommands); OpenSSL then gives up on the renegotiation.
#[test]
fn ferrotls_server_refuses_renegotiation_from_openssl_s_client() {
    let fx = fixtures();
    let mut srv = Peer::spawn(
        "ferrotls server",
        // TLS 1.2: TLS 1.3 has no renegotiation.
        ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON).args(["--max-version", "1.2"]),
    );
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost"]);
    cmd.args(["-CAfile", fx.ca.to_str().unwrap(), "-verify_return_error"]);
    let mut cli = Peer::spawn("openssl s_client", &mut cmd);
    // Before the renegotiation attempt the connection works: the echo comes back.
    cli.feed_stdin(b"before\n".to_vec());
    cli.wait_for_line("before", PEER_TIMEOUT);
    cli.feed_stdin(b"R\n".to_vec());
    cli.wait_for_output("no renegotiation", PEER_TIMEOUT);
    cli.close_stdin();
    let _ = cli.wait(PEER_TIMEOUT);
    // The server did not renegotiate: the connection ended with OpenSSL's fatal alert, not a
    // second handshake.
    let out = srv.wait(PEER_TIMEOUT);
    assert!(!out.success(), "ferrotls server --once should report the aborted connection");
    assert!(out.stderr_str().contains("handshake_failure"), "{}", out.stderr_str());
}

/// RFC 5246 §7.4.1.1 / RFC 5746 §4.2: a client that does not renegotiate answers HelloRequest
/// with a no_renegotiation warning. `openssl s_server -msg` shows the alert it received.
#[test]
fn ferrotls_client_answers_hello_request_with_no_renegotiation() {
    let fx = fixtures();
    let tmp = TempDir::new("reneg");
    let (leaf, chain) = split_chain(&fx.chain, &tmp);
    let port = free_port();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-msg"]);
    cmd.args(["-cert", leaf.to_str().unwrap(), "-key", fx.key.to_str().unwrap()]);
    cmd.args(["-cert_chain", chain.as_ref().unwrap().to_str().unwrap()]);
    let mut srv = Peer::spawn("openssl s_server", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    // TLS 1.2: TLS 1.3 has no HelloRequest.
    c.args(["--max-version", "1.2"]);
    let mut cli = Peer::spawn("ferrotls client", &mut c);
    cli.feed_stdin(b"hello\n".to_vec());
    srv.wait_for_line("hello", PEER_TIMEOUT);
    // `R` on s_server's stdin sends a HelloRequest.
    srv.feed_stdin(b"R\n".to_vec());
    srv.wait_for_output("no_renegotiation", PEER_TIMEOUT);
    assert!(srv.stdout_now().contains("warning no_renegotiation"), "{}", srv.stdout_now());
    cli.close_stdin();
    let _ = cli.wait(PEER_TIMEOUT);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);
}

// ------------------------------------------------------------------------------- client certificates
fn ferrotls_client_with_cert(port: u16, v: Version, cert: &str, key: &str) -> Command {
    let fx = fixtures();
    let mut c = ferrotls_client(port, "localhost", &fx.ca, Some(v), None, EXT_ON);
    c.args(["--cert", fixture(cert).to_str().unwrap(), "--key", fixture(key).to_str().unwrap()]);
    c
}

fn gnutls_server_requiring_client_cert(port: u16, v: Version) -> Command {
    let fx = fixtures();
    let prio = format!("NORMAL:-VERS-ALL:+{}:+RSA:+AES-128-CBC:+SHA1", v.gnutls());
    let mut c = gnutls_server(port, &fx.chain, &fx.key, &prio);
    c.args(["--require-client-cert", "--verify-client-cert"]);
    c.arg(format!("--x509cafile={}", fx.ca.to_str().unwrap()));
    c
}

#[test]
fn ferrotls_client_authenticates_to_gnutls_serv_in_every_version() {
    for v in VERSIONS {
        let port = free_port();
        let mut srv = Peer::spawn("gnutls-serv", &mut gnutls_server_requiring_client_cert(port, v));
        srv.wait_port_listening(port, READY_TIMEOUT);
        let mut c = ferrotls_client_with_cert(port, v, "client-chain.pem", "client.key");
        let out = exchange_with_echo_server(&mut c, b"mutual\n");
        out.expect_success("ferrotls client with a certificate");
        let j = out.json();
        assert_eq!(j.get("client_certificate_sent").bool(), Some(true), "{v:?}");
        assert_eq!(j.get("received").str(), Some("mutual\n"), "{v:?}");
        assert!(v.matches(j.get("version").str().unwrap_or("")), "{v:?}");
    }
}

#[test]
fn gnutls_serv_rejects_a_client_certificate_from_an_untrusted_ca() {
    let port = free_port();
    let mut srv = Peer::spawn("gnutls-serv", &mut gnutls_server_requiring_client_cert(port, Version::Tls12));
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client_with_cert(port, Version::Tls12, "untrusted-chain.pem", "server.key");
    let out = exchange_with_echo_server(&mut c, b"mutual\n");
    out.expect_failure_mentioning("untrusted client certificate", &["alert"]);
}

#[test]
fn ferrotls_client_authenticates_to_openssl_s_server_in_every_version() {
    let fx = fixtures();
    for v in VERSIONS {
        let tmp = TempDir::new("mtls");
        let (leaf, chain) = split_chain(&fx.chain, &tmp);
        let port = free_port();
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-quiet"]);
        cmd.args(["-cert", leaf.to_str().unwrap(), "-key", fx.key.to_str().unwrap()]);
        cmd.args(["-cert_chain", chain.as_ref().unwrap().to_str().unwrap()]);
        cmd.args([v.openssl_flag(), "-cipher", "ALL:@SECLEVEL=0"]);
        cmd.args(["-Verify", "2", "-verify_return_error", "-CAfile", fx.ca.to_str().unwrap()]);
        let mut srv = Peer::spawn("openssl s_server", &mut cmd);
        srv.wait_port_listening(port, READY_TIMEOUT);
        srv.feed_stdin(b"from-openssl\n".to_vec());
        let mut c = ferrotls_client_with_cert(port, v, "client-chain.pem", "client.key");
        let mut cli = Peer::spawn("ferrotls client", &mut c);
        cli.feed_stdin(b"from-ferrotls\n".to_vec());
        // s_server printing our line proves it accepted the certificate (-verify_return_error).
        srv.wait_for_line("from-ferrotls", PEER_TIMEOUT);
        cli.close_stdin();
        let out = cli.wait(PEER_TIMEOUT);
        srv.close_stdin();
        out.expect_success("ferrotls client with a certificate");
        let j = out.json();
        assert_eq!(j.get("client_certificate_sent").bool(), Some(true), "{v:?}");
        assert_eq!(j.get("received").str(), Some("from-openssl\n"), "{v:?}");
        let _ = srv.wait(PEER_TIMEOUT);
    }
}

#[test]
fn openssl_s_server_refuses_a_client_without_a_certificate() {
    let fx = fixtures();
    let tmp = TempDir::new("mtls-none");
    let (leaf, chain) = split_chain(&fx.chain, &tmp);
    let port = free_port();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-quiet"]);
    cmd.args(["-cert", leaf.to_str().unwrap(), "-key", fx.key.to_str().unwrap()]);
    cmd.args(["-cert_chain", chain.as_ref().unwrap().to_str().unwrap()]);
    cmd.args(["-Verify", "2", "-verify_return_error", "-CAfile", fx.ca.to_str().unwrap()]);
    let mut srv = Peer::spawn("openssl s_server", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    let out = run("ferrotls client", &mut c, b"x\n", PEER_TIMEOUT);
    out.expect_failure_mentioning("client without a certificate", &["alert"]);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);
}

/// `ferrotls server --once --json` asking for client certificates against the demo CA.
fn ferrotls_server_verifying_clients(v: Option<Version>, required: bool) -> Peer {
    let fx = fixtures();
    let mut cmd = ferrotls_server(&fx.chain, &fx.key, v, None, EXT_ON);
    cmd.args(["--json", "--verify-client", fx.ca.to_str().unwrap()]);
    if required {
        cmd.arg("--require-client-cert");
    }
    Peer::spawn("ferrotls server", &mut cmd)
}

/// `openssl s_client` presenting `cert` (a chain file: leaf, then intermediates) and `key`.
fn openssl_client_with_cert(port: u16, v: Version, cert: Option<(&str, &str)>, tmp: &TempDir) -> Command {
    let fx = fixtures();
    let mut c = Command::new("openssl");
    // -brief keeps the handshake report on stderr, so stdout holds only the echoed data.
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief", "-nocommands", "-no_ign_eof"]);
    c.args(["-servername", "localhost", "-CAfile", fx.ca.to_str().unwrap(), "-verify_return_error"]);
    c.args([v.openssl_flag(), "-cipher", "ALL:@SECLEVEL=0"]);
    if let Some((cert, key)) = cert {
        let (leaf, rest) = split_chain(&fixture(cert), tmp);
        c.args(["-cert", leaf.to_str().unwrap(), "-key", fixture(key).to_str().unwrap()]);
        if let Some(rest) = rest {
            c.args(["-cert_chain", rest.to_str().unwrap()]);
        }
    }
    c
}

#[test]
fn openssl_s_client_authenticates_to_ferrotls_server_in_every_version() {
    for v in VERSIONS {
        let tmp = TempDir::new("mtls-server");
        let mut srv = ferrotls_server_verifying_clients(Some(v), true);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut c = openssl_client_with_cert(port, v, Some(("client-chain.pem", "client.key")), &tmp);
        let out = exchange_holding_stdin(&mut c, b"mutual\n");
        assert!(out.stdout_str().contains("mutual"), "{v:?}: {}", clip(&out.stderr_str()));
        let so = srv.wait(PEER_TIMEOUT);
        so.expect_success("ferrotls server with a verified client");
        let j = so.json();
        let subject = j.get("client_certificates").idx(0).get("subject").str().unwrap_or("").to_string();
        assert!(subject.contains("CN=ferrotls demo client"), "{v:?}: {subject}");
    }
}

#[test]
fn gnutls_cli_authenticates_to_ferrotls_server_in_every_version() {
    let fx = fixtures();
    for v in VERSIONS {
        let tmp = TempDir::new("mtls-gnutls");
        let mut srv = ferrotls_server_verifying_clients(Some(v), true);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let prio = format!("NORMAL:-VERS-ALL:+{}", v.gnutls());
        let mut c = gnutls_client(port, "localhost", &fx.ca, &prio, &tmp.path("gnutls.log"));
        c.arg(format!("--x509certfile={}", fixture("client-chain.pem").to_str().unwrap()));
        c.arg(format!("--x509keyfile={}", fixture("client.key").to_str().unwrap()));
        let out = run("gnutls-cli", &mut c, b"mutual\n", PEER_TIMEOUT);
        assert!(out.stdout_str().contains("mutual"), "{v:?}: {}", clip(&out.stderr_str()));
        let j = srv.wait(PEER_TIMEOUT).json();
        assert!(v.matches(j.get("version").str().unwrap_or("")), "{v:?}");
        let subject = j.get("client_certificates").idx(0).get("subject").str().unwrap_or("").to_string();
        assert!(subject.contains("ferrotls demo client"), "{v:?}: {subject}");
    }
}

/// Each refusal, with the alert OpenSSL reports having received.
#[test]
fn ferrotls_server_refuses_bad_client_certificates_with_the_right_alert() {
    // A client certificate from a CA nobody here trusts, made now by the openssl command.
    let stranger = TempDir::new("mtls-stranger");
    let (cert, key) = (stranger.path("stranger.pem"), stranger.path("stranger.key"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=stranger", "-days", "2"])
        .args(["-addext", "extendedKeyUsage=clientAuth", "-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-keyout", key.to_str().unwrap()])
        .args(["-out", cert.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let cases: [(Option<(&str, &str)>, &str); 3] = [
        (None, "handshake failure"),
        (Some((cert.to_str().unwrap(), key.to_str().unwrap())), "unknown ca"),
        // A server certificate (serverAuth only) presented by a client: wrong purpose.
        (Some(("server-chain.pem", "server.key")), "unsupported certificate"),
    ];
    for (cert, alert) in cases {
        let tmp = TempDir::new("mtls-refuse");
        let mut srv = ferrotls_server_verifying_clients(None, true);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut c = openssl_client_with_cert(port, Version::Tls12, cert, &tmp);
        let out = run("openssl s_client", &mut c, b"x\n", PEER_TIMEOUT);
        assert!(out.stderr_str().contains(alert), "{cert:?}: want {alert}, got {}", clip(&out.stderr_str()));
        assert!(!srv.wait(PEER_TIMEOUT).success(), "{cert:?}: the server reports the refused client");
    }
}

#[test]
fn an_optional_client_certificate_may_be_absent() {
    let tmp = TempDir::new("mtls-optional");
    let mut srv = ferrotls_server_verifying_clients(None, false);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut c = openssl_client_with_cert(port, Version::Tls12, None, &tmp);
    let out = exchange_holding_stdin(&mut c, b"anonymous\n");
    assert!(out.stdout_str().contains("anonymous"), "{}", clip(&out.stderr_str()));
    let j = srv.wait(PEER_TIMEOUT).json();
    assert_eq!(j.get("client_certificates").idx(0).get("subject").str(), None);
}

// ------------------------------------------------------------------------------------------------- ALPN
fn ferrotls_alpn_server(alpn: &str) -> Peer {
    let fx = fixtures();
    let mut cmd = ferrotls_server(&fx.chain, &fx.key, None, None, EXT_ON);
    cmd.args(["--json", "--alpn", alpn]);
    Peer::spawn("ferrotls server", &mut cmd)
}

#[test]
fn ferrotls_client_gets_the_alpn_protocol_openssl_s_server_selects() {
    let fx = fixtures();
    let tmp = TempDir::new("alpn-ossl-srv");
    let port = free_port();
    // s_server picks by its own preference (h2) although the client prefers http/1.1.
    let (leaf, chain) = split_chain(&fx.chain, &tmp);
    let mut srv = Peer::spawn(
        "openssl s_server",
        &mut openssl_alpn_server(port, &leaf, chain.as_deref(), &fx.key, "h2,http/1.1"),
    );
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--alpn", "http/1.1,h2"]);
    let mut cli = Peer::spawn("ferrotls client", &mut c);
    cli.feed_stdin(b"alpn\n".to_vec());
    assert_eq!(
        srv.wait_for_line("ALPN protocols selected", PEER_TIMEOUT).trim(),
        "ALPN protocols selected: h2"
    );
    cli.close_stdin();
    let out = cli.wait(PEER_TIMEOUT);
    out.expect_success("ferrotls client --alpn");
    assert_eq!(out.json().get("alpn").str(), Some("h2"));
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);
}

#[test]
fn openssl_s_server_refuses_a_ferrotls_client_without_a_common_alpn_protocol() {
    let fx = fixtures();
    let tmp = TempDir::new("alpn-ossl-none");
    let port = free_port();
    let (leaf, chain) = split_chain(&fx.chain, &tmp);
    let mut srv = Peer::spawn(
        "openssl s_server",
        &mut openssl_alpn_server(port, &leaf, chain.as_deref(), &fx.key, "h2"),
    );
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--alpn", "spdy/3"]);
    let out = run("ferrotls client", &mut c, b"x\n", PEER_TIMEOUT);
    out.expect_failure_mentioning("ferrotls client without a common protocol", &["no_application_protocol"]);
    srv.close_stdin();
    let so = srv.wait(PEER_TIMEOUT);
    assert!(so.stderr_str().contains("no application protocol"), "{}", clip(&so.stderr_str()));
}

#[test]
fn openssl_s_client_gets_the_alpn_protocol_ferrotls_server_selects() {
    let mut srv = ferrotls_alpn_server("h2,http/1.1");
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut cli =
        Peer::spawn("openssl s_client", &mut openssl_alpn_client(port, &fixtures().ca, "http/1.1,h2"));
    cli.feed_stdin(b"alpn\n".to_vec());
    // Server preference (RFC 7301 §3.2): h2, as s_client reports it.
    assert_eq!(cli.wait_for_line("ALPN protocol:", PEER_TIMEOUT).trim(), "ALPN protocol: h2");
    cli.wait_for_line("alpn", PEER_TIMEOUT);
    cli.close_stdin();
    let _ = cli.wait(PEER_TIMEOUT);
    let so = srv.wait(PEER_TIMEOUT);
    so.expect_success("ferrotls server --alpn");
    assert_eq!(so.json().get("alpn").str(), Some("h2"));
}

#[test]
fn ferrotls_server_refuses_openssl_s_client_without_a_common_alpn_protocol() {
    let mut srv = ferrotls_alpn_server("h2");
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "openssl s_client",
        &mut openssl_alpn_client(port, &fixtures().ca, "spdy/3"),
        b"x\n",
        PEER_TIMEOUT,
    );
    assert!(!out.success(), "s_client should fail: {}", clip(&out.stdout_str()));
    assert!(out.stderr_str().contains("no application protocol"), "{}", clip(&out.stderr_str()));
    let so = srv.wait(PEER_TIMEOUT);
    assert!(!so.success());
    let error = so.json().get("error").str().unwrap_or("").to_string();
    assert!(error.contains("ALPN"), "{error}");
}

#[test]
fn ferrotls_client_gets_the_alpn_protocol_gnutls_serv_selects() {
    let fx = fixtures();
    let port = free_port();
    let mut srv = gnutls_server(port, &fx.chain, &fx.key, "NORMAL");
    srv.arg("--alpn=h2");
    let mut srv = Peer::spawn("gnutls-serv", &mut srv);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--alpn", "spdy/3,h2"]);
    let out = exchange_with_echo_server(&mut c, b"alpn\n");
    out.expect_success("ferrotls client --alpn");
    assert_eq!(out.json().get("alpn").str(), Some("h2"));
    assert_eq!(
        srv.wait_for_line("- Application protocol:", PEER_TIMEOUT).trim(),
        "- Application protocol: h2"
    );
}

#[test]
fn gnutls_cli_gets_the_alpn_protocol_ferrotls_server_selects() {
    let fx = fixtures();
    let t = TempDir::new("alpn-gnutls-cli");
    let mut srv = ferrotls_alpn_server("http/1.1");
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let log = t.path("cli.log");
    let mut c = gnutls_client(port, "localhost", &fx.ca, "NORMAL", &log);
    c.args(["--alpn=h2", "--alpn=http/1.1"]);
    let out = exchange_with_echo_server(&mut c, b"alpn\n");
    out.expect_success("gnutls-cli --alpn");
    let report = std::fs::read_to_string(&log).unwrap();
    let line = report.lines().find(|l| l.starts_with("- Application protocol:")).unwrap_or("");
    assert_eq!(line.trim(), "- Application protocol: http/1.1", "{report}");
    let so = srv.wait(PEER_TIMEOUT);
    so.expect_success("ferrotls server --alpn");
    assert_eq!(so.json().get("alpn").str(), Some("http/1.1"));
}

// ------------------------------------------------------------------------------- session resumption
/// `ferrotls client --reconnect` against `openssl s_server` (two connections on its stdin kept
/// open, see openssl_server): the second connection resumes. With `-no_ticket` s_server only
/// has its session-ID cache; without it, it issues tickets and the client resumes by ticket
/// (`ferrotls_client_resumes_by_ticket_against_openssl_s_server` isolates that case).
#[test]
fn ferrotls_client_resumes_against_openssl_s_server_by_session_id() {
    let fx = fixtures();
    for (ticket_flag, ext) in
        [(Some("-no_ticket"), EXT_ON), (None, EXT_ON), (None, Ext { ems: false, etm: false })]
    {
        let tmp = TempDir::new("resume-ossl");
        let (leaf, chain) = split_chain(&fx.chain, &tmp);
        let port = free_port();
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "2", "-quiet"]);
        cmd.args(["-cert", path_str(&leaf), "-key", path_str(&fx.key)]);
        cmd.args(["-cert_chain", path_str(chain.as_ref().unwrap())]);
        cmd.args(ticket_flag);
        let mut srv = Peer::spawn("openssl s_server", &mut cmd);
        srv.wait_port_listening(port, READY_TIMEOUT);
        let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, ext);
        // TLS 1.2: TLS 1.3 resumption (PSK) is not in ferrotls yet.
        c.args(["--send", "again", "--reconnect", "--max-version", "1.2"]);
        let out = run("ferrotls client --reconnect", &mut c, b"", PEER_TIMEOUT);
        out.expect_success("ferrotls client --reconnect");
        assert_eq!(session_reused_per_connection(&out), [false, true], "{ticket_flag:?} {ext:?}");
        assert_eq!(out.json().get("extended_master_secret").bool(), Some(ext.ems));
        srv.close_stdin();
        let _ = srv.wait(PEER_TIMEOUT);
    }
}

/// gnutls-serv resumes by session ID by default (its `--noticket` only turns tickets off) and
/// says "*** This is a resumed session".
#[test]
fn ferrotls_client_resumes_against_gnutls_serv() {
    let fx = fixtures();
    let port = free_port();
    let mut cmd = gnutls_server(port, &fx.chain, &fx.key, "NORMAL");
    cmd.arg("--noticket");
    let mut srv = Peer::spawn("gnutls-serv", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    // TLS 1.2: TLS 1.3 resumption (PSK) is not in ferrotls yet.
    c.args(["--send", "again", "--reconnect", "--max-version", "1.2"]);
    let out = run("ferrotls client --reconnect", &mut c, b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client --reconnect");
    assert_eq!(session_reused_per_connection(&out), [false, true]);
    srv.wait_for_output("This is a resumed session", PEER_TIMEOUT);
    let _ = srv.stop();
}

/// `openssl s_client -reconnect` (one new connection, then five resuming the first session)
/// against a ferrotls server: it prints "New," once and "Reused," five times.
#[test]
fn openssl_s_client_reconnect_resumes_against_ferrotls_server() {
    let fx = fixtures();
    let mut cmd = ferrotls_server_serving_many(&fx.chain, &fx.key);
    // TLS 1.2: TLS 1.3 resumption (PSK) is not in ferrotls yet.
    cmd.args(["--max-version", "1.2"]);
    let mut srv = Peer::spawn("ferrotls server", &mut cmd);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "openssl s_client -reconnect",
        &mut openssl_client_resuming(port, &fx.ca, &["-reconnect"]),
        b"",
        PEER_TIMEOUT,
    );
    let text = out.stdout_str();
    let new = text.lines().filter(|l| l.starts_with("New, ")).count();
    let reused = text.lines().filter(|l| l.starts_with("Reused, ")).count();
    assert_eq!((new, reused), (1, 5), "{}", clip(&text));
    srv.wait_for_output("\"session_reused\":true", PEER_TIMEOUT);
    let _ = srv.stop();
}

/// `-sess_out` then `-sess_in`: the session survives in a file between two s_client processes.
#[test]
fn openssl_s_client_sess_in_resumes_a_saved_session_against_ferrotls_server() {
    let fx = fixtures();
    let tmp = TempDir::new("sess-file");
    let sess = tmp.path("session.pem");
    let mut cmd = ferrotls_server_serving_many(&fx.chain, &fx.key);
    // TLS 1.2: TLS 1.3 resumption (PSK) is not in ferrotls yet.
    cmd.args(["--max-version", "1.2"]);
    let mut srv = Peer::spawn("ferrotls server", &mut cmd);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let first = run(
        "s_client -sess_out",
        &mut openssl_client_resuming(port, &fx.ca, &["-sess_out", path_str(&sess)]),
        b"",
        PEER_TIMEOUT,
    );
    assert!(first.stdout_str().lines().any(|l| l.starts_with("New, ")), "{}", clip(&first.stdout_str()));
    let second = run(
        "s_client -sess_in",
        &mut openssl_client_resuming(port, &fx.ca, &["-sess_in", path_str(&sess)]),
        b"",
        PEER_TIMEOUT,
    );
    assert!(second.stdout_str().lines().any(|l| l.starts_with("Reused, ")), "{}", clip(&second.stdout_str()));
    // The saved session is a ticket one: RFC 5077 resumption across processes.
    let text = std::fs::read_to_string(&sess).unwrap();
    assert!(text.contains("BEGIN SSL SESSION PARAMETERS"), "{text}");
    let dump = Command::new("openssl")
        .args(["sess_id", "-noout", "-text", "-in", path_str(&sess)])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&dump.stdout).contains("TLS session ticket:"));
    let _ = srv.stop();
}

/// An `openssl s_server` TLS 1.2 AES128-SHA server with two connections and no session cache
/// (`-no_cache`): resumption can only come from a ticket. `flags` are added.
fn openssl_server_without_cache(port: u16, fx: &Fixtures, tmp: &TempDir, flags: &[&str]) -> Command {
    let (leaf, chain) = split_chain(&fx.chain, tmp);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "2", "-quiet", "-no_cache"]);
    cmd.args(["-cert", path_str(&leaf), "-key", path_str(&fx.key)]);
    cmd.args(["-cert_chain", path_str(chain.as_ref().unwrap())]);
    cmd.args(["-tls1_2", "-cipher", "AES128-SHA"]);
    cmd.args(flags);
    cmd
}

/// RFC 5077 against OpenSSL: `openssl s_server -no_cache` resumes only from tickets, so a
/// ferrotls client that reconnects resumes by ticket; the twins turn tickets off on either
/// side and get two full handshakes.
#[test]
fn ferrotls_client_resumes_by_ticket_against_openssl_s_server() {
    let fx = fixtures();
    for (server_flags, client_flags, want) in [
        (&[][..], &[][..], [false, true]),
        (&["-no_ticket"][..], &[][..], [false, false]),
        (&[][..], &["--no-tickets"][..], [false, false]),
    ] {
        let tmp = TempDir::new("ticket-ossl");
        let port = free_port();
        let mut srv =
            Peer::spawn("openssl s_server", &mut openssl_server_without_cache(port, &fx, &tmp, server_flags));
        srv.wait_port_listening(port, READY_TIMEOUT);
        let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
        c.args(["--send", "again", "--reconnect"]).args(client_flags);
        let out = run("ferrotls client --reconnect", &mut c, b"", PEER_TIMEOUT);
        out.expect_success("ferrotls client --reconnect");
        assert_eq!(session_reused_per_connection(&out), want, "{server_flags:?} {client_flags:?}");
        srv.close_stdin();
        let _ = srv.wait(PEER_TIMEOUT);
    }
}

/// `ferrotls client --sess-out` then `--sess-in` (two processes, like s_client's
/// -sess_out/-sess_in) against `openssl s_server -no_cache`: the saved session's ticket
/// resumes. Its twin: a changed file is refused with a clear error.
#[test]
fn ferrotls_client_sess_in_resumes_a_saved_ticket_against_openssl_s_server() {
    let fx = fixtures();
    let tmp = TempDir::new("sess-ferrotls");
    let sess = tmp.path("ferrotls.sess");
    let port = free_port();
    let mut srv = Peer::spawn("openssl s_server", &mut openssl_server_without_cache(port, &fx, &tmp, &[]));
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--send", "first", "--sess-out", path_str(&sess)]);
    let out = run("ferrotls client --sess-out", &mut c, b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client --sess-out");
    assert_eq!(session_reused_per_connection(&out), [false]);
    let mut c = ferrotls_client(port, "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--send", "second", "--sess-in", path_str(&sess)]);
    let out = run("ferrotls client --sess-in", &mut c, b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client --sess-in");
    assert_eq!(session_reused_per_connection(&out), [true]);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);

    let mut bytes = std::fs::read(&sess).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&sess, &bytes).unwrap();
    let mut c = ferrotls_client(free_port(), "localhost", &fx.ca, None, None, EXT_ON);
    c.args(["--sess-in", path_str(&sess)]);
    let out = run("ferrotls client --sess-in (changed)", &mut c, b"", PEER_TIMEOUT);
    out.expect_failure_mentioning("ferrotls client --sess-in", &["session", "format version"]);
}

/// `openssl s_client -reconnect` against a ferrotls server resumes by ticket (s_client shows
/// the ticket's lifetime hint) and, with `--no-tickets` on the server or `-no_ticket` on
/// s_client, by session ID without any ticket.
#[test]
fn openssl_s_client_reconnect_resumes_by_ticket_or_session_id_against_ferrotls_server() {
    let fx = fixtures();
    for (server_flags, client_flags, ticket) in [
        (&[][..], &[][..], true),
        (&["--no-tickets"][..], &[][..], false),
        (&[][..], &["-no_ticket"][..], false),
    ] {
        let mut cmd = ferrotls_server_serving_many(&fx.chain, &fx.key);
        cmd.args(server_flags);
        let mut srv = Peer::spawn("ferrotls server", &mut cmd);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let mut c =
            openssl_client_resuming(port, &fx.ca, &["-reconnect", "-tls1_2", "-cipher", "AES128-SHA"]);
        c.args(client_flags);
        let out = run("openssl s_client -reconnect", &mut c, b"", PEER_TIMEOUT);
        let text = out.stdout_str();
        let reused = text.lines().filter(|l| l.starts_with("Reused, ")).count();
        assert_eq!(reused, 5, "{server_flags:?} {client_flags:?}: {}", clip(&text));
        assert_eq!(text.contains("TLS session ticket lifetime hint: 300"), ticket, "{}", clip(&text));
        let _ = srv.stop();
    }
}

/// `gnutls-cli --resume` against a ferrotls server.
#[test]
fn gnutls_cli_resume_resumes_against_ferrotls_server() {
    let fx = fixtures();
    let mut cmd = ferrotls_server_serving_many(&fx.chain, &fx.key);
    // TLS 1.2: TLS 1.3 resumption (PSK) is not in ferrotls yet.
    cmd.args(["--max-version", "1.2"]);
    let mut srv = Peer::spawn("ferrotls server", &mut cmd);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let mut c = Command::new("gnutls-cli");
    c.args(["--resume", &format!("--x509cafile={}", path_str(&fx.ca)), "-p", &port.to_string(), "localhost"]);
    let out = run("gnutls-cli --resume", &mut c, b"", PEER_TIMEOUT);
    assert!(out.stdout_str().contains("This is a resumed session"), "{}", clip(&out.stdout_str()));
    let _ = srv.stop();
}

// ------------------------------------------------------------------- ECDSA client certificates
// The client certificate's key type is independent of the key exchange: an ECDSA P-256 client
// certificate signs CertificateVerify (ECDSA with the scheme the server asked for in TLS 1.2,
// over SHA-1 in TLS 1.0/1.1, RFC 4492 §5.4) in an RSA key exchange handshake.

/// `openssl s_server` (RSA certificate) requiring a client certificate from `client_ca`.
fn openssl_server_requiring_client_cert(port: u16, v: Version, client_ca: &str, tmp: &TempDir) -> Peer {
    let fx = fixtures();
    let (leaf, chain) = split_chain(&fx.chain, tmp);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-quiet"]);
    cmd.args([v.openssl_flag(), "-cipher", "ALL:@SECLEVEL=0"]);
    cmd.args(["-cert", leaf.to_str().unwrap(), "-key", fx.key.to_str().unwrap()]);
    cmd.args(["-cert_chain", chain.as_ref().unwrap().to_str().unwrap()]);
    cmd.args(["-Verify", "2", "-verify_return_error", "-CAfile", fixture(client_ca).to_str().unwrap()]);
    let mut srv = Peer::spawn("openssl s_server", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    srv
}

#[test]
fn ferrotls_client_authenticates_to_openssl_s_server_with_an_ecdsa_certificate() {
    for v in VERSIONS {
        let tmp = TempDir::new("mtls-ecdsa");
        let port = free_port();
        let mut srv = openssl_server_requiring_client_cert(port, v, "ecdsa-p256-ca.pem", &tmp);
        let mut c = ferrotls_client_with_cert(port, v, "ecdsa-p256-client.pem", "ecdsa-p256-client.key");
        c.arg("--legacy");
        let mut cli = Peer::spawn("ferrotls client", &mut c);
        cli.feed_stdin(b"ecdsa client\n".to_vec());
        srv.wait_for_line("ecdsa client", PEER_TIMEOUT);
        cli.close_stdin();
        let _ = cli.wait(PEER_TIMEOUT);
        srv.close_stdin();
        let _ = srv.wait(PEER_TIMEOUT);
    }
}

#[test]
fn openssl_s_server_refuses_an_ecdsa_client_certificate_from_a_ca_it_does_not_trust() {
    // Twin of the above: the same certificate, but the server trusts only the RSA demo CA.
    let tmp = TempDir::new("mtls-ecdsa-untrusted");
    let port = free_port();
    let mut srv = openssl_server_requiring_client_cert(port, Version::Tls12, "ca.pem", &tmp);
    let mut c =
        ferrotls_client_with_cert(port, Version::Tls12, "ecdsa-p256-client.pem", "ecdsa-p256-client.key");
    let out = run("ferrotls client", &mut c, b"x\n", PEER_TIMEOUT);
    out.expect_failure_mentioning("an ECDSA client certificate from an untrusted CA", &["unknown_ca"]);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);
}

/// `ferrotls server --once --json` requiring client certificates from `client_ca`.
fn ferrotls_server_requiring_client_cert_from(v: Version, client_ca: &str) -> Peer {
    let fx = fixtures();
    let mut cmd = ferrotls_server(&fx.chain, &fx.key, Some(v), None, EXT_ON);
    cmd.args(["--json", "--verify-client", fixture(client_ca).to_str().unwrap(), "--require-client-cert"]);
    Peer::spawn("ferrotls server", &mut cmd)
}

#[test]
fn openssl_s_client_authenticates_to_ferrotls_server_with_an_ecdsa_certificate() {
    for v in VERSIONS {
        let tmp = TempDir::new("mtls-ecdsa-server");
        let mut srv = ferrotls_server_requiring_client_cert_from(v, "ecdsa-p256-ca.pem");
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let cert = Some(("ecdsa-p256-client.pem", "ecdsa-p256-client.key"));
        let mut c = openssl_client_with_cert(port, v, cert, &tmp);
        let out = exchange_holding_stdin(&mut c, b"ecdsa mutual\n");
        assert!(out.stdout_str().contains("ecdsa mutual"), "{v:?}: {}", clip(&out.stderr_str()));
        let so = srv.wait(PEER_TIMEOUT);
        so.expect_success("ferrotls server with a verified ECDSA client");
        let j = so.json();
        let subject = j.get("client_certificates").idx(0).get("subject").str().unwrap_or("").to_string();
        assert!(subject.contains("CN=ferrotls ECDSA client"), "{v:?}: {subject}");
    }
}

#[test]
fn ferrotls_server_refuses_an_ecdsa_client_certificate_from_a_ca_it_does_not_trust() {
    let tmp = TempDir::new("mtls-ecdsa-server-untrusted");
    let mut srv = ferrotls_server_requiring_client_cert_from(Version::Tls12, "ca.pem");
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let cert = Some(("ecdsa-p256-client.pem", "ecdsa-p256-client.key"));
    let mut c = openssl_client_with_cert(port, Version::Tls12, cert, &tmp);
    let out = run("openssl s_client", &mut c, b"x\n", PEER_TIMEOUT);
    assert!(out.stderr_str().contains("unknown ca"), "{}", clip(&out.stderr_str()));
    assert!(!srv.wait(PEER_TIMEOUT).success(), "the server reports the refused client");
}
