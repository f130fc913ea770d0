//! TLS 1.3 features against real peers, both directions, each with a negative twin:
//! HelloRetryRequest (a group the other side has no share for; a cookie), KeyUpdate initiated
//! by either side with data after it, mutual authentication with RSA and ECDSA client
//! certificates, and tlslite-ng at TLS 1.3 with ordinary groups and certificates.
//!
//! Evidence comes from both sides: ferrotls' `--json` (`hello_retry`, `key_updates`, `group`,
//! `client_certificates`) and the peer's own report (`s_server -msg` lines, `s_client -brief`
//! "KEYUPDATE", gnutls-cli's session description, data that only decrypts under new keys).
//!
//! The cookie both ways: the ferrotls client echoes the cookie of tlslite-ng's HelloRetryRequest,
//! which tlslite checks; a ferrotls server with `--hrr-cookie` (off by default) sends one that
//! OpenSSL, GnuTLS, tlslite-ng and Python's ssl echo, and refuses a tlslite client made to drop
//! or change it.

mod common;

use common::*;
use std::process::Command;
use std::time::Duration;

fn ferrotls_server13(chain: &str, key: &str, extra: &[&str]) -> Peer {
    let mut c = Command::new(ferrotls_bin());
    c.args(["server", "--host", "127.0.0.1", "--port", "0", "--once", "--json"]);
    c.args(["--cert", path_str(&fixture(chain)), "--key", path_str(&fixture(key))]);
    c.args(extra);
    Peer::spawn("ferrotls server", &mut c)
}

fn ferrotls_client13(port: u16, ca: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(ferrotls_bin());
    c.args(["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--json"]);
    c.args(["--cafile", path_str(&fixture(ca))]);
    c.args(extra);
    c
}

/// `openssl s_server` for one TLS 1.3 connection with the RSA demo chain; `extra` adds flags.
fn openssl_server13(port: u16, extra: &[&str]) -> Peer {
    let mut c = Command::new("openssl");
    c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-tls1_3"]);
    c.args([
        "-cert",
        path_str(&fixture("server.pem")),
        "-cert_chain",
        path_str(&fixture("server-chain.pem")),
    ]);
    c.args(["-key", path_str(&fixture("server.key"))]);
    c.args(extra);
    let mut p = Peer::spawn("openssl s_server", &mut c);
    p.wait_port_listening(port, READY_TIMEOUT);
    p
}

fn openssl_client13(port: u16, ca: &str, extra: &[&str]) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief", "-no_ign_eof", "-tls1_3"]);
    c.args(["-servername", "localhost", "-verify_return_error", "-CAfile", path_str(&fixture(ca))]);
    c.args(extra);
    c
}

fn gnutls_cli13(port: u16, ca: &str, priority: &str, extra: &[String]) -> Command {
    let mut c = Command::new("gnutls-cli");
    c.args(["--port", &port.to_string(), "--priority", priority]);
    c.args(["--x509cafile", path_str(&fixture(ca)), "--sni-hostname", "localhost"]);
    c.args(["--verify-hostname", "localhost"]);
    c.args(extra);
    c.arg("127.0.0.1");
    c
}

/// Waits (bounded) until `needle` appears on `n` lines of the peer's stderr.
fn wait_for_stderr_count(p: &Peer, needle: &str, n: usize) {
    let deadline = std::time::Instant::now() + PEER_TIMEOUT;
    while count_lines(&p.stderr_now(), needle) < n {
        assert!(
            std::time::Instant::now() < deadline,
            "{} never printed {needle:?} {n} times:\n{}",
            p.name,
            clip(&p.stderr_now())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn count_lines(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

const TLS13_ONLY: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

// ------------------------------------------------------------------------------ HelloRetryRequest

#[test]
fn ferrotls_client_answers_openssl_s_servers_hello_retry_request_for_another_group() {
    ferrotls_bin();
    for group in ["P-256", "P-384"] {
        let port = free_port();
        let srv = openssl_server13(port, &["-rev", "-msg", "-groups", group]);
        // ferrotls offers X25519MLKEM768, X25519, P-256, P-384 with shares for the first two.
        let out = run(
            "ferrotls client",
            &mut ferrotls_client13(port, "ca.pem", &["--send", "retry"]),
            b"",
            PEER_TIMEOUT,
        );
        out.expect_success("ferrotls client");
        let j = out.json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"));
        assert_eq!(j.get("hello_retry").bool(), Some(true), "{group}");
        assert_eq!(j.get("group").str(), Some(group));
        assert_eq!(j.get("received").str(), Some("yrter\n"));
        let s = srv.wait(Duration::from_secs(10)).stdout_str();
        // s_server -msg: "<<< ... ClientHello" for each hello it received.
        assert_eq!(count_lines(&s, "ClientHello"), 2, "two ClientHellos at s_server:\n{}", clip(&s));
    }
    // Twin: a client that allows only X25519 has no answer to the retry and says so.
    let port = free_port();
    let srv = openssl_server13(port, &["-rev", "-groups", "P-384"]);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--groups", "X25519", "--send", "x"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("ferrotls client with X25519 only", &["group", "handshake_failure"]);
    let _ = srv.stop();
}

#[test]
fn a_default_ferrotls_client_gets_x25519_from_openssl_without_ml_kem_and_no_retry() {
    // OpenSSL 3.0 has no X25519MLKEM768: it skips the hybrid share and takes the X25519 one
    // the client sends beside it, at once.
    ferrotls_bin();
    let port = free_port();
    let srv = openssl_server13(port, &["-rev", "-msg"]);
    let out =
        run("ferrotls client", &mut ferrotls_client13(port, "ca.pem", &["--send", "pq"]), b"", PEER_TIMEOUT);
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("version").str(), Some("TLSv1.3"));
    assert_eq!(j.get("group").str(), Some("X25519"));
    assert_eq!(j.get("hello_retry").bool(), Some(false));
    assert_eq!(j.get("received").str(), Some("qp\n"));
    let s = srv.wait(Duration::from_secs(10)).stdout_str();
    assert_eq!(count_lines(&s, "ClientHello"), 1, "one ClientHello at s_server:\n{}", clip(&s));
    // Twin: with the hybrid first and no X25519 beside it, the same server must retry.
    let port = free_port();
    let srv = openssl_server13(port, &["-rev", "-msg"]);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--groups", "X25519MLKEM768:P-256", "--send", "pq"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("ferrotls client with X25519MLKEM768:P-256");
    let j = out.json();
    assert_eq!(j.get("group").str(), Some("P-256"));
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    let s = srv.wait(Duration::from_secs(10)).stdout_str();
    assert_eq!(count_lines(&s, "ClientHello"), 2, "two ClientHellos at s_server:\n{}", clip(&s));
}

#[test]
fn ferrotls_server_sends_hello_retry_request_to_openssl_and_gnutls_clients() {
    ferrotls_bin();
    // s_client offers X25519 and P-384 with an X25519 share; the server takes only P-384.
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = exchange_holding_stdin(
        &mut openssl_client13(port, "ca.pem", &["-nocommands", "-msg", "-groups", "X25519:P-384"]),
        b"hrr from openssl\n",
    );
    out.expect_success("openssl s_client");
    assert_eq!(count_lines(&out.stdout_str(), "ClientHello"), 2, "{}", clip(&out.stdout_str()));
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    assert_eq!(j.get("group").str(), Some("P-384"));

    // gnutls-cli sends shares for its first two groups (X25519, P-256): P-384 needs a retry.
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let prio = format!("{TLS13_ONLY}:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1");
    let out = exchange_holding_stdin(&mut gnutls_cli13(port, "ca.pem", &prio, &[]), b"hrr from gnutls\n");
    let stdout = out.stdout_str();
    assert!(stdout.contains("(TLS1.3-X.509)-(ECDHE-SECP384R1)"), "{}", clip(&stdout));
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    assert_eq!(j.get("group").str(), Some("P-384"));

    // Twin: a client whose supported_groups has no P-384 gets a refusal naming the cause.
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "openssl s_client",
        &mut openssl_client13(port, "ca.pem", &["-nocommands", "-groups", "X25519:P-256"]),
        b"x\n",
        PEER_TIMEOUT,
    );
    assert!(out.stderr_str().contains("handshake failure"), "{}", clip(&out.stderr_str()));
    let so = srv.wait(Duration::from_secs(10));
    assert!(!so.success());
    assert!(so.stderr_str().contains("no common key exchange group"), "{}", clip(&so.stderr_str()));
}

#[test]
fn gnutls_serv_hello_retry_request_is_answered_by_ferrotls_client() {
    ferrotls_bin();
    let port = free_port();
    let mut cmd = Command::new("gnutls-serv");
    cmd.args(["--port", &port.to_string(), "--echo"]);
    cmd.args(["--priority", &format!("{TLS13_ONLY}:-GROUP-ALL:+GROUP-SECP384R1")]);
    cmd.args(["--x509certfile", path_str(&fixture("server-chain.pem"))]);
    cmd.args(["--x509keyfile", path_str(&fixture("server.key"))]);
    let mut srv = Peer::spawn("gnutls-serv", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = exchange_with_echo_server(&mut ferrotls_client13(port, "ca.pem", &[]), b"gnutls hrr\n");
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    assert_eq!(j.get("group").str(), Some("P-384"));
    assert_eq!(j.get("received").str(), Some("gnutls hrr\n"));
    // Twin: X25519 only, no common group.
    let out =
        exchange_with_echo_server(&mut ferrotls_client13(port, "ca.pem", &["--groups", "X25519"]), b"x\n");
    out.expect_failure_mentioning("ferrotls client with X25519 only", &["group", "handshake_failure"]);
    let _ = srv.stop();
}

fn tlslite(args: &[&str]) -> Command {
    let mut c = Command::new(venv_python());
    c.arg(repo_root().join("tests/interop/tlslite_tls13.py")).args(args);
    c
}

fn tlslite_server(port: u16, chain: &str, key: &str, groups: &str) -> Peer {
    let mut srv = Peer::spawn(
        "tlslite-ng server",
        &mut tlslite(&[
            "server",
            &port.to_string(),
            path_str(&fixture(chain)),
            path_str(&fixture(key)),
            groups,
        ]),
    );
    srv.wait_for_output("listening", READY_TIMEOUT);
    srv
}

#[test]
fn ferrotls_client_echoes_the_cookie_of_a_tlslite_hello_retry_request() {
    ferrotls_bin();
    // tlslite-ng's HelloRetryRequest carries a cookie, and tlslite refuses a second
    // ClientHello without the same cookie ("Malformed cookie extension").
    let port = free_port();
    let mut srv = tlslite_server(port, "server-chain.pem", "server.key", "secp256r1");
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--send", "cookie"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    assert_eq!(j.get("group").str(), Some("P-256"));
    assert_eq!(j.get("received").str(), Some("cookie"));
    srv.wait_for_output("echoed 6", PEER_TIMEOUT);
    let _ = srv.wait(Duration::from_secs(10));
    // Twin: no common group, so the retry cannot help.
    let port = free_port();
    let srv = tlslite_server(port, "server-chain.pem", "server.key", "secp384r1");
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--groups", "X25519:P-256", "--send", "x"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("ferrotls client without P-384", &["group", "handshake_failure", "alert"]);
    let _ = srv.stop();
}

/// A `--hrr-cookie` server that takes only P-384: a client that shares X25519 first gets a
/// HelloRetryRequest with a cookie. Returns the server and its port.
fn hrr_cookie_server() -> (Peer, u16) {
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384", "--hrr-cookie"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    (srv, port)
}

/// The server's report: the handshake went through a HelloRetryRequest, to P-384.
fn expect_retried_to_p384(srv: Peer, client: &str) {
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("hello_retry").bool(), Some(true), "{client}");
    assert_eq!(j.get("group").str(), Some("P-384"), "{client}");
    assert_eq!(j.get("error").str(), None, "{client}");
}

#[test]
fn openssl_gnutls_tlslite_and_python_clients_echo_the_ferrotls_server_hello_retry_cookie() {
    ferrotls_bin();
    // s_client -trace shows the cookie twice: in our HelloRetryRequest and in its second hello.
    let (srv, port) = hrr_cookie_server();
    let out = exchange_holding_stdin(
        &mut openssl_client13(port, "ca.pem", &["-nocommands", "-trace", "-groups", "X25519:P-384"]),
        b"cookie from openssl\n",
    );
    out.expect_success("openssl s_client");
    let trace = out.stdout_str();
    assert_eq!(count_lines(&trace, "extension_type=cookie_ext(44)"), 2, "{}", clip(&trace));
    expect_retried_to_p384(srv, "openssl s_client");

    // A server refuses a second hello without the cookie, so each handshake below that
    // completes echoed it (the tlslite twin shows the refusal).
    let (srv, port) = hrr_cookie_server();
    let prio = format!("{TLS13_ONLY}:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1");
    let out = exchange_holding_stdin(&mut gnutls_cli13(port, "ca.pem", &prio, &[]), b"cookie from gnutls\n");
    assert!(out.stdout_str().contains("(TLS1.3-X.509)-(ECDHE-SECP384R1)"), "{}", clip(&out.stdout_str()));
    expect_retried_to_p384(srv, "gnutls-cli");

    let (srv, port) = hrr_cookie_server();
    let out = run(
        "tlslite-ng client",
        &mut tlslite(&["client", &port.to_string(), "x25519,secp384r1", "x25519"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("tlslite-ng client");
    assert!(out.stdout_str().contains("got tlslite13"), "{}", clip(&out.stdout_str()));
    expect_retried_to_p384(srv, "tlslite-ng client");

    // Python's ssl (OpenSSL 3 underneath) offers P-384 but shares only X25519.
    let (srv, port) = hrr_cookie_server();
    let t = TempDir::new("hrr-cookie-py");
    let infile = t.write("in", b"cookie from python\n");
    let outfile = t.path("out");
    let mut py = common::peers::py_peer("ssl");
    py.args(["client", "--connect", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
    py.args(["--cafile", path_str(&fixture("ca.pem")), "--version", "1.3"]);
    py.args(["--infile", path_str(&infile), "--outfile", path_str(&outfile)]);
    let out = run("python ssl client", &mut py, b"", PEER_TIMEOUT);
    out.expect_success("python ssl client");
    assert_eq!(out.json().get("version").str(), Some("TLSv1.3"));
    assert_eq!(std::fs::read(&outfile).unwrap(), b"cookie from python\n");
    expect_retried_to_p384(srv, "python ssl client");
}

#[test]
fn ferrotls_server_refuses_a_second_client_hello_that_drops_or_changes_its_cookie() {
    ferrotls_bin();
    for (mode, reason) in [
        ("drop", "does not echo the cookie of our HelloRetryRequest"),
        ("alter", "cookie is not the one our HelloRetryRequest sent"),
    ] {
        let (srv, port) = hrr_cookie_server();
        let out = run(
            "tlslite-ng client",
            &mut tlslite(&["client", &port.to_string(), "x25519,secp384r1", "x25519", mode]),
            b"",
            PEER_TIMEOUT,
        );
        assert!(!out.success(), "{mode}: tlslite must not get through");
        assert!(out.stderr_str().contains("illegal_parameter"), "{mode}: {}", clip(&out.stderr_str()));
        let so = srv.wait(Duration::from_secs(10));
        assert!(!so.success(), "{mode}: the server reports the refusal");
        assert!(so.stderr_str().contains(reason), "{mode}: {}", clip(&so.stderr_str()));
    }
}

// ------------------------------------------------------------------------------------- KeyUpdate

#[test]
fn openssl_s_client_key_updates_reach_ferrotls_server_and_data_flows_after_them() {
    ferrotls_bin();
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &[]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    // Commands on: "K" alone on a line sends KeyUpdate(update_requested), "k" one that is not.
    let mut cli = Peer::spawn("openssl s_client", &mut openssl_client13(port, "ca.pem", &[]));
    cli.feed_stdin(b"before\n".to_vec());
    cli.wait_for_line("before", PEER_TIMEOUT);
    // s_client takes a command only as the whole of one read from stdin: the next line goes
    // once the KeyUpdate has been reported.
    cli.feed_stdin(b"K\n".to_vec());
    wait_for_stderr_count(&cli, "KEYUPDATE", 1);
    cli.feed_stdin(b"after-requested\n".to_vec());
    cli.wait_for_line("after-requested", PEER_TIMEOUT);
    cli.feed_stdin(b"k\n".to_vec());
    wait_for_stderr_count(&cli, "KEYUPDATE", 2);
    cli.feed_stdin(b"after-unrequested\n".to_vec());
    cli.wait_for_line("after-unrequested", PEER_TIMEOUT);
    cli.close_stdin();
    let out = cli.wait(PEER_TIMEOUT);
    assert_eq!(count_lines(&out.stderr_str(), "KEYUPDATE"), 2, "{}", clip(&out.stderr_str()));
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("error").str(), None, "{:?}", j.get("error"));
    // Two received; one sent, the answer to update_requested (RFC 8446 §4.6.3).
    assert_eq!(j.get("key_updates").get("received").num(), Some(2.0));
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0));
    assert_eq!(j.get("echoed_bytes").num(), Some(41.0));
}

#[test]
fn gnutls_cli_rekey_reaches_ferrotls_server_and_data_flows_after_it() {
    ferrotls_bin();
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &[]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    // --inline-commands: ^rekey^ updates both sides' keys (update_requested), ^rekey1^ only its own.
    let mut cli = Peer::spawn(
        "gnutls-cli",
        &mut gnutls_cli13(port, "ca.pem", TLS13_ONLY, &["--inline-commands".to_string()]),
    );
    cli.feed_stdin(b"before\n".to_vec());
    cli.wait_for_line("before", PEER_TIMEOUT);
    cli.feed_stdin(b"^rekey^\n".to_vec());
    cli.wait_stdin_written(PEER_TIMEOUT);
    std::thread::sleep(Duration::from_millis(200));
    cli.feed_stdin(b"after-rekey\n".to_vec());
    cli.wait_for_line("after-rekey", PEER_TIMEOUT);
    cli.feed_stdin(b"^rekey1^\n".to_vec());
    cli.wait_stdin_written(PEER_TIMEOUT);
    std::thread::sleep(Duration::from_millis(200));
    cli.feed_stdin(b"after-rekey1\n".to_vec());
    cli.wait_for_line("after-rekey1", PEER_TIMEOUT);
    cli.close_stdin();
    let _ = cli.wait(PEER_TIMEOUT);
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("key_updates").get("received").num(), Some(2.0));
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0));
}

#[test]
fn ferrotls_server_key_update_reaches_openssl_s_client() {
    ferrotls_bin();
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--key-update"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    // The echo is sent under the server's updated keys: s_client reads it only if it took
    // the KeyUpdate. (s_client answers update_requested with its own KeyUpdate only on its
    // next write, and its one line may already be on the way, so how many the server
    // receives depends on timing; s_client's KeyUpdates are counted by
    // openssl_s_client_key_updates_reach_ferrotls_server_and_data_flows_after_them.)
    let out =
        exchange_holding_stdin(&mut openssl_client13(port, "ca.pem", &["-nocommands"]), b"under new keys\n");
    assert!(out.stdout_str().contains("under new keys"), "{}", clip(&out.stderr_str()));
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0));
}

#[test]
fn ferrotls_client_key_update_reaches_openssl_and_gnutls_servers() {
    ferrotls_bin();
    let port = free_port();
    let srv = openssl_server13(port, &["-rev", "-msg"]);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--key-update", "--send", "updated"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("ferrotls client --key-update");
    let j = out.json();
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0));
    assert_eq!(j.get("key_updates").get("received").num(), Some(1.0));
    assert_eq!(j.get("received").str(), Some("detadpu\n"));
    let s = srv.wait(Duration::from_secs(10)).stdout_str();
    assert_eq!(count_lines(&s, "KeyUpdate"), 2, "one each way at s_server:\n{}", clip(&s));

    let port = free_port();
    let mut cmd = Command::new("gnutls-serv");
    cmd.args(["--port", &port.to_string(), "--echo", "--priority", TLS13_ONLY]);
    cmd.args(["--x509certfile", path_str(&fixture("server-chain.pem"))]);
    cmd.args(["--x509keyfile", path_str(&fixture("server.key"))]);
    let mut srv = Peer::spawn("gnutls-serv", &mut cmd);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = exchange_with_echo_server(
        &mut ferrotls_client13(port, "ca.pem", &["--key-update"]),
        b"gnutls rekeyed\n",
    );
    out.expect_success("ferrotls client --key-update");
    let j = out.json();
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0));
    assert_eq!(j.get("key_updates").get("received").num(), Some(1.0));
    assert_eq!(j.get("received").str(), Some("gnutls rekeyed\n"));
    let _ = srv.stop();

    // Twin: KeyUpdate exists only in TLS 1.3; at TLS 1.2 the client refuses to pretend.
    let port = free_port();
    let mut c = Command::new("openssl");
    c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-rev", "-tls1_2"]);
    c.args([
        "-cert",
        path_str(&fixture("server.pem")),
        "-cert_chain",
        path_str(&fixture("server-chain.pem")),
    ]);
    c.args(["-key", path_str(&fixture("server.key"))]);
    let mut srv = Peer::spawn("openssl s_server", &mut c);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let out = run(
        "ferrotls client",
        &mut ferrotls_client13(port, "ca.pem", &["--key-update", "--send", "x"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("ferrotls client --key-update at TLS 1.2", &["KeyUpdate needs", "TLS 1.3"]);
    let _ = srv.stop();
}

#[test]
fn openssl_s_server_key_update_reaches_ferrotls_client_and_data_flows_after_it() {
    ferrotls_bin();
    let port = free_port();
    // Without -quiet s_server reads commands: "K" sends KeyUpdate(update_requested).
    let mut srv = openssl_server13(port, &[]);
    let mut cli = Peer::spawn("ferrotls client", &mut ferrotls_client13(port, "ca.pem", &[]));
    cli.feed_stdin(b"ping\n".to_vec());
    srv.wait_for_line("ping", PEER_TIMEOUT);
    srv.feed_stdin(b"K\n".to_vec());
    srv.wait_for_line("SSL_do_handshake -> 1", PEER_TIMEOUT);
    srv.feed_stdin(b"after-update\n".to_vec());
    srv.wait_stdin_written(PEER_TIMEOUT);
    // s_server sends a line as soon as it reads it; give it that turn before we close.
    std::thread::sleep(Duration::from_millis(300));
    cli.close_stdin();
    let out = cli.wait(PEER_TIMEOUT);
    out.expect_success("ferrotls client");
    let j = out.json();
    assert_eq!(j.get("key_updates").get("received").num(), Some(1.0));
    assert_eq!(j.get("key_updates").get("sent").num(), Some(1.0), "the answer to update_requested");
    assert_eq!(j.get("received").str(), Some("after-update\n"));
    let _ = srv.wait(Duration::from_secs(10));
}

// ------------------------------------------------------------------------- mutual authentication

/// (name, client certificate chain, its key, the CA that issued it)
const CLIENT_CERTS: [(&str, &str, &str, &str); 2] = [
    ("RSA", "client-chain.pem", "client.key", "ca.pem"),
    ("ECDSA P-256", "ecdsa-p256-client.pem", "ecdsa-p256-client.key", "ecdsa-p256-ca.pem"),
];

#[test]
fn ferrotls_client_authenticates_to_openssl_and_gnutls_servers_at_tls13() {
    ferrotls_bin();
    for (name, chain, key, client_ca) in CLIENT_CERTS {
        let port = free_port();
        let mut srv = openssl_server13(
            port,
            &["-Verify", "2", "-verify_return_error", "-CAfile", path_str(&fixture(client_ca))],
        );
        let mut cli = Peer::spawn(
            "ferrotls client",
            &mut ferrotls_client13(
                port,
                "ca.pem",
                &["--cert", path_str(&fixture(chain)), "--key", path_str(&fixture(key))],
            ),
        );
        cli.feed_stdin(b"from-ferrotls\n".to_vec());
        // s_server printing our line proves it verified the certificate (-verify_return_error).
        srv.wait_for_line("from-ferrotls", PEER_TIMEOUT);
        srv.feed_stdin(b"from-openssl\n".to_vec());
        srv.wait_stdin_written(PEER_TIMEOUT);
        std::thread::sleep(Duration::from_millis(300));
        cli.close_stdin();
        let out = cli.wait(PEER_TIMEOUT);
        out.expect_success("ferrotls client with a certificate");
        let j = out.json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"), "{name}");
        assert_eq!(j.get("client_certificate_sent").bool(), Some(true), "{name}");
        assert_eq!(j.get("received").str(), Some("from-openssl\n"), "{name}");
        let _ = srv.wait(Duration::from_secs(10));

        let port = free_port();
        let mut cmd = Command::new("gnutls-serv");
        cmd.args(["--port", &port.to_string(), "--echo", "--priority", TLS13_ONLY]);
        cmd.args(["--require-client-cert", "--verify-client-cert"]);
        cmd.args(["--x509cafile", path_str(&fixture(client_ca))]);
        cmd.args(["--x509certfile", path_str(&fixture("server-chain.pem"))]);
        cmd.args(["--x509keyfile", path_str(&fixture("server.key"))]);
        let mut srv = Peer::spawn("gnutls-serv", &mut cmd);
        srv.wait_port_listening(port, READY_TIMEOUT);
        let out = exchange_with_echo_server(
            &mut ferrotls_client13(
                port,
                "ca.pem",
                &["--cert", path_str(&fixture(chain)), "--key", path_str(&fixture(key))],
            ),
            b"mutual13\n",
        );
        out.expect_success("ferrotls client with a certificate to gnutls-serv");
        let j = out.json();
        assert_eq!(j.get("client_certificate_sent").bool(), Some(true), "{name}");
        assert_eq!(j.get("received").str(), Some("mutual13\n"), "{name}");
        // Twin: the same server refuses a client without a certificate.
        let out = exchange_with_echo_server(&mut ferrotls_client13(port, "ca.pem", &[]), b"x\n");
        assert!(!out.success(), "{name}: gnutls-serv took a client without a certificate");
        let _ = srv.stop();
    }
    // Twins at s_server: no certificate; a certificate from a CA it does not trust.
    for cert in [None, Some(("ecdsa-p256-client.pem", "ecdsa-p256-client.key"))] {
        let port = free_port();
        let srv = openssl_server13(
            port,
            &["-Verify", "2", "-verify_return_error", "-CAfile", path_str(&fixture("ca.pem"))],
        );
        let mut extra = vec!["--send", "x"];
        let paths = cert.map(|(c, k)| (fixture(c), fixture(k)));
        if let Some((c, k)) = &paths {
            extra.extend(["--cert", path_str(c), "--key", path_str(k)]);
        }
        let out = run("ferrotls client", &mut ferrotls_client13(port, "ca.pem", &extra), b"", PEER_TIMEOUT);
        out.expect_failure_mentioning(
            &format!("ferrotls client with {cert:?}"),
            &["certificate_required", "unknown_ca", "alert"],
        );
        let _ = srv.stop();
    }
}

#[test]
fn openssl_and_gnutls_clients_authenticate_to_ferrotls_server_at_tls13() {
    ferrotls_bin();
    let tmp = TempDir::new("mtls13");
    for (name, chain, key, client_ca) in CLIENT_CERTS {
        let client_ca = fixture(client_ca);
        let require = ["--verify-client", path_str(&client_ca), "--require-client-cert"];
        // s_client -cert LEAF -cert_chain REST.
        let (leaf, rest) = common::peers::split_chain(&fixture(chain), &tmp);
        let mut srv = ferrotls_server13("server-chain.pem", "server.key", &require);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let key = fixture(key);
        let mut extra = vec!["-nocommands", "-cert", path_str(&leaf), "-key", path_str(&key)];
        if let Some(rest) = &rest {
            extra.extend(["-cert_chain", path_str(rest)]);
        }
        let out = exchange_holding_stdin(&mut openssl_client13(port, "ca.pem", &extra), b"mutual s_client\n");
        assert!(out.stdout_str().contains("mutual s_client"), "{name}: {}", clip(&out.stderr_str()));
        let j = srv.wait(Duration::from_secs(10)).json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"), "{name}");
        let subject = j.get("client_certificates").idx(0).get("subject").str().unwrap_or("").to_string();
        assert!(subject.contains("ferrotls") && subject.contains("client"), "{name}: {subject}");

        let mut srv = ferrotls_server13("server-chain.pem", "server.key", &require);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let extra = [
            format!("--x509certfile={}", path_str(&fixture(chain))),
            format!("--x509keyfile={}", path_str(&key)),
        ];
        let out =
            exchange_holding_stdin(&mut gnutls_cli13(port, "ca.pem", TLS13_ONLY, &extra), b"mutual gnutls\n");
        assert!(out.stdout_str().contains("mutual gnutls"), "{name}: {}", clip(&out.stderr_str()));
        let j = srv.wait(Duration::from_secs(10)).json();
        let subject = j.get("client_certificates").idx(0).get("subject").str().unwrap_or("").to_string();
        assert!(subject.contains("ferrotls") && subject.contains("client"), "{name}: {subject}");
    }
    // Twins: no certificate (TLS 1.3's certificate_required alert, RFC 8446 §4.4.2.4); a
    // certificate from a CA the server does not trust (unknown_ca).
    let cases: [(Option<(&str, &str)>, &str); 2] = [
        (None, "certificate required"),
        (Some(("ecdsa-p256-client.pem", "ecdsa-p256-client.key")), "unknown ca"),
    ];
    for (cert, alert) in cases {
        let mut srv = ferrotls_server13(
            "server-chain.pem",
            "server.key",
            &["--verify-client", path_str(&fixture("ca.pem")), "--require-client-cert"],
        );
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let paths = cert.map(|(c, k)| (fixture(c), fixture(k)));
        let mut extra = vec!["-nocommands"];
        if let Some((c, k)) = &paths {
            extra.extend(["-cert", path_str(c), "-key", path_str(k)]);
        }
        // At TLS 1.3 the client's handshake is complete before the server judges its
        // certificate: the alert arrives after "CONNECTION ESTABLISHED", so stdin stays open
        // until s_client has reported it.
        let mut cli = Peer::spawn("openssl s_client", &mut openssl_client13(port, "ca.pem", &extra));
        cli.feed_stdin(b"x\n".to_vec());
        cli.wait_for_output(alert, PEER_TIMEOUT);
        cli.close_stdin();
        let out = cli.wait(PEER_TIMEOUT);
        assert!(!out.stdout_str().contains('x'), "{cert:?}: the server echoed to a refused client");
        assert!(
            !srv.wait(Duration::from_secs(10)).success(),
            "{cert:?}: the server reports the refused client"
        );
    }
}

// ------------------------------------------------------------------------------------ tlslite-ng

/// (name, chain, key, CA, tlslite group, ferrotls/OpenSSL group)
const TLSLITE_CASES: [(&str, &str, &str, &str, &str, &str); 4] = [
    ("RSA X25519", "server-chain.pem", "server.key", "ca.pem", "x25519", "X25519"),
    ("RSA P-256", "server-chain.pem", "server.key", "ca.pem", "secp256r1", "P-256"),
    ("ECDSA X25519", "ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key", "ecdsa-p256-ca.pem", "x25519", "X25519"),
    ("ECDSA P-256", "ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key", "ecdsa-p256-ca.pem", "secp256r1", "P-256"),
];

#[test]
fn ferrotls_client_talks_tls13_to_tlslite_server_with_each_group_and_certificate() {
    ferrotls_bin();
    for (name, chain, key, ca, tl_group, group) in TLSLITE_CASES {
        let port = free_port();
        let mut srv = tlslite_server(port, chain, key, tl_group);
        let out = run(
            "ferrotls client",
            &mut ferrotls_client13(port, ca, &["--send", "to tlslite"]),
            b"",
            PEER_TIMEOUT,
        );
        out.expect_success("ferrotls client");
        let j = out.json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"), "{name}");
        assert_eq!(j.get("group").str(), Some(group), "{name}");
        assert_eq!(j.get("verified").bool(), Some(true), "{name}");
        assert_eq!(j.get("received").str(), Some("to tlslite"), "{name}");
        srv.wait_for_output("echoed 10", PEER_TIMEOUT);
        let _ = srv.wait(Duration::from_secs(10));
    }
    // Twin: the ECDSA server's certificate against the RSA demo CA does not verify.
    let port = free_port();
    let srv = tlslite_server(port, "ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key", "x25519");
    let out =
        run("ferrotls client", &mut ferrotls_client13(port, "ca.pem", &["--send", "x"]), b"", PEER_TIMEOUT);
    out.expect_failure_mentioning("ferrotls client, wrong CA", &["issuer", "unknown", "certificate"]);
    let _ = srv.stop();
}

#[test]
fn tlslite_client_talks_tls13_to_ferrotls_server_with_each_group_and_certificate() {
    ferrotls_bin();
    for (name, chain, key, _, tl_group, group) in TLSLITE_CASES {
        let mut srv = ferrotls_server13(chain, key, &[]);
        let port = srv.wait_listening_banner(READY_TIMEOUT);
        let out = run(
            "tlslite-ng client",
            &mut tlslite(&["client", &port.to_string(), tl_group, tl_group]),
            b"",
            PEER_TIMEOUT,
        );
        out.expect_success("tlslite-ng client");
        assert!(out.stdout_str().contains("got tlslite13"), "{name}: {}", clip(&out.stdout_str()));
        let j = srv.wait(Duration::from_secs(10)).json();
        assert_eq!(j.get("version").str(), Some("TLSv1.3"), "{name}");
        assert_eq!(j.get("group").str(), Some(group), "{name}");
        assert_eq!(j.get("hello_retry").bool(), Some(false), "{name}");
    }
    // A tlslite client that shares X25519 but also offers P-384, against a P-384-only server:
    // a HelloRetryRequest from us, answered by tlslite.
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "tlslite-ng client",
        &mut tlslite(&["client", &port.to_string(), "x25519,secp384r1", "x25519"]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("tlslite-ng client after a HelloRetryRequest");
    let j = srv.wait(Duration::from_secs(10)).json();
    assert_eq!(j.get("hello_retry").bool(), Some(true));
    assert_eq!(j.get("group").str(), Some("P-384"));
    // Twin: no common group at all.
    let mut srv = ferrotls_server13("server-chain.pem", "server.key", &["--groups", "P-384"]);
    let port = srv.wait_listening_banner(READY_TIMEOUT);
    let out = run(
        "tlslite-ng client",
        &mut tlslite(&["client", &port.to_string(), "x25519", "x25519"]),
        b"",
        PEER_TIMEOUT,
    );
    assert!(!out.success(), "tlslite with X25519 only must not agree with a P-384-only server");
    let so = srv.wait(Duration::from_secs(10));
    assert!(so.stderr_str().contains("no common key exchange group"), "{}", clip(&so.stderr_str()));
}
