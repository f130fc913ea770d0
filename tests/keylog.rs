//! Key logs and keying material exporters against real tools, through the `ferrotls` command:
//! tshark decrypts a ferrotls session captured on loopback with the key log that SSLKEYLOGFILE
//! produced (and not with a wrong line); the master secret ferrotls logs is the one OpenSSL
//! logs for the same connection (`-keylogfile`); RFC 5705 output equals OpenSSL's
//! `-keymatexport`, both directions. The same through the Rust API is in tests/api/keylog.rs.
//!
//! Capturing on `lo` needs the right to capture (root here, as `make test` runs); tshark and
//! dumpcap come from `make deps` (Debian tshark). A missing tool fails the test.

mod common;

use common::peers::split_chain;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn ferrotls(args: &[&str]) -> Command {
    let mut c = Command::new(ferrotls_bin());
    c.args(args);
    // TLS 1.2: these compare its CLIENT_RANDOM line and RFC 5705 with OpenSSL's (TLS 1.3's key
    // log lines and exporter are in tests/interop_tls13.rs).
    if matches!(args.first(), Some(&"client" | &"server")) {
        c.args(["--max-version", "1.2"]);
    }
    // The variable is ours to set per command: never inherit one from the environment.
    c.env_remove("SSLKEYLOGFILE");
    c
}

/// The CLIENT_RANDOM lines of a key log file (OpenSSL adds a comment header and, as a client
/// with RSA key exchange, an `RSA` line).
fn client_random_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| l.starts_with("CLIENT_RANDOM ")).map(str::to_owned).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// dumpcap writing every packet to or from `port` on loopback into `file` until stopped.
struct Capture(Peer);

impl Capture {
    fn start(port: u16, file: &Path) -> Capture {
        let mut cmd = Command::new("dumpcap");
        cmd.args(["-i", "lo", "-f", &format!("tcp port {port}"), "-w", path_str(file)]);
        let mut peer = Peer::spawn("dumpcap", &mut cmd);
        peer.wait_for_output("Capturing on", READY_TIMEOUT);
        // dumpcap announces the capture as it opens it; give the filter a moment to be in place.
        std::thread::sleep(Duration::from_millis(300));
        Capture(peer)
    }

    /// Stops with SIGINT, so dumpcap writes out what it holds, and waits for it. libpcap hands
    /// packets over a block at a time (TPACKET_V3), a block when full or after a timeout, so
    /// first wait until dumpcap reports packets and give the last block time to arrive.
    fn stop(mut self) {
        self.0.wait_for_output("Packets: ", READY_TIMEOUT);
        std::thread::sleep(Duration::from_millis(1200));
        let status = Command::new("kill").args(["-INT", &self.0.pid().to_string()]).status().unwrap();
        assert!(status.success(), "cannot signal dumpcap");
        let out = self.0.wait(Duration::from_secs(10));
        assert!(out.stderr_str().contains("Packets captured"), "dumpcap: {}", out.stderr_str());
    }
}

/// What tshark decrypts from `pcap` with `keylog`: one `(source port, payload hex)` per
/// application-data record it could decrypt (`data.data`: the echo payload is no protocol
/// tshark knows).
fn decrypted_payloads(pcap: &Path, keylog: &Path) -> Vec<(u16, String)> {
    let out = run(
        "tshark",
        Command::new("tshark").args([
            "-r",
            path_str(pcap),
            "-o",
            &format!("tls.keylog_file:{}", path_str(keylog)),
            "-T",
            "fields",
            "-e",
            "tcp.srcport",
            "-e",
            "data.data",
        ]),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_success("tshark");
    out.stdout_str()
        .lines()
        .filter_map(|l| {
            let (port, data) = l.split_once('\t')?;
            (!data.is_empty()).then(|| (port.parse().unwrap(), data.replace(':', "")))
        })
        .collect()
}

#[test]
fn tshark_decrypts_a_captured_session_with_the_key_log_and_not_with_a_wrong_line() {
    let t = TempDir::new("keylog-tshark");
    let (ca, chain, key) = (fixture(CA), fixture(SERVER_CHAIN), fixture(SERVER_KEY));
    let port = free_port();
    let pcap = t.path("session.pcapng");
    let (client_log, server_log) = (t.path("client.keys"), t.path("server.keys"));
    let payload = format!("ferrotls key log test payload on port {port}");

    let capture = Capture::start(port, &pcap);
    let mut server = Peer::spawn(
        "ferrotls server",
        ferrotls(&["server", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--cert", path_str(&chain), "--key", path_str(&key), "--once"])
            .env("SSLKEYLOGFILE", &server_log),
    );
    server.wait_listening_banner(READY_TIMEOUT);
    let client = run(
        "ferrotls client",
        ferrotls(&["client", &format!("127.0.0.1:{port}"), "--servername", "localhost", "--json"])
            .args(["--cafile", path_str(&ca), "--send", &payload])
            .env("SSLKEYLOGFILE", &client_log),
        b"",
        PEER_TIMEOUT,
    );
    client.expect_success("ferrotls client");
    assert_eq!(client.json().get("received").str(), Some(payload.as_str()), "the echo came back");
    server.wait(PEER_TIMEOUT).expect_success("ferrotls server");
    capture.stop();

    // Both ends logged the same single line, in NSS format.
    let lines = client_random_lines(&client_log);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines, client_random_lines(&server_log), "client and server logged the same secret");
    let fields: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!((fields.len(), fields[1].len(), fields[2].len()), (3, 64, 96), "{}", lines[0]);

    // With either file tshark decrypts both directions: the payload up, its echo down.
    let want = hex(payload.as_bytes());
    for log in [&client_log, &server_log] {
        let got = decrypted_payloads(&pcap, log);
        assert!(got.contains(&(port, want.clone())), "no echo from the server decrypted: {got:?}");
        assert!(
            got.iter().any(|(p, d)| *p != port && *d == want),
            "no payload from the client decrypted: {got:?}"
        );
    }

    // Twins: the secret with one bit flipped, and the right secret under another client
    // random, decrypt nothing.
    let mut wrong_secret = lines[0].clone();
    let last = wrong_secret.pop().unwrap();
    wrong_secret.push(if last == '0' { '1' } else { '0' });
    let mut wrong_random = format!("CLIENT_RANDOM {} {}", "00".repeat(32), fields[2]);
    wrong_random.push('\n');
    for (name, line) in [("wrong-secret.keys", wrong_secret + "\n"), ("wrong-random.keys", wrong_random)] {
        let log = t.write(name, line.as_bytes());
        let got = decrypted_payloads(&pcap, &log);
        assert!(got.is_empty(), "{name}: tshark decrypted {got:?}");
    }
}

/// `openssl s_server` serving the fixture chain once, logging keys and exporting keying material.
fn openssl_server(port: u16, t: &TempDir, extra: &[&str]) -> Command {
    let (leaf, rest) = split_chain(&fixture(SERVER_CHAIN), t);
    let mut c = Command::new("openssl");
    c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-quiet"]);
    c.args(["-cert", path_str(&leaf), "-key", path_str(&fixture(SERVER_KEY))]);
    if let Some(rest) = &rest {
        c.args(["-cert_chain", path_str(rest)]);
    }
    c.args(extra);
    c
}

#[test]
fn ferrotls_client_logs_the_master_secret_openssl_s_server_logs() {
    let t = TempDir::new("keylog-ossl-srv");
    let port = free_port();
    let (ours, theirs) = (t.path("ferrotls.keys"), t.path("openssl.keys"));
    let ca = fixture(CA);
    let (client, _) = exchange_with_openssl_server(
        &mut openssl_server(port, &t, &["-keylogfile", path_str(&theirs)]),
        port,
        |port| {
            let mut c = ferrotls(&["client", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
            c.args(["--cafile", path_str(&ca), "--json"]).env("SSLKEYLOGFILE", &ours);
            c
        },
        b"up",
        b"down",
    );
    client.expect_success("ferrotls client");
    let lines = client_random_lines(&ours);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines, client_random_lines(&theirs), "ferrotls and OpenSSL logged different secrets");
}

#[test]
fn ferrotls_server_logs_the_master_secret_openssl_s_client_logs() {
    let t = TempDir::new("keylog-ossl-cli");
    let (ours, theirs) = (t.path("ferrotls.keys"), t.path("openssl.keys"));
    let mut server = Peer::spawn(
        "ferrotls server",
        ferrotls(&["server", "--host", "127.0.0.1", "--port", "0", "--once"])
            .args(["--cert", path_str(&fixture(SERVER_CHAIN)), "--key", path_str(&fixture(SERVER_KEY))])
            .env("SSLKEYLOGFILE", &ours),
    );
    let port = server.wait_listening_banner(READY_TIMEOUT);
    let client = exchange_holding_stdin(
        Command::new("openssl")
            .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief", "-nocommands"])
            .args(["-no_ign_eof", "-servername", "localhost", "-verify_return_error"])
            .args(["-CAfile", path_str(&fixture(CA)), "-keylogfile", path_str(&theirs)]),
        b"echo me\n",
    );
    client.expect_success("openssl s_client");
    server.wait(PEER_TIMEOUT).expect_success("ferrotls server");
    let lines = client_random_lines(&ours);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines, client_random_lines(&theirs), "ferrotls and OpenSSL logged different secrets");
}

#[test]
fn the_ferrotls_command_refuses_an_unwritable_key_log_file() {
    let t = TempDir::new("keylog-bad");
    let missing_dir = t.path("no/such/dir/keys.log");
    let out = run(
        "ferrotls client",
        ferrotls(&["client", "127.0.0.1:9", "--dangerous-no-verify"]).env("SSLKEYLOGFILE", &missing_dir),
        b"",
        PEER_TIMEOUT,
    );
    out.expect_failure_mentioning("ferrotls client", &["SSLKEYLOGFILE", "no/such/dir"]);
}

/// The hex after "Keying material: " in OpenSSL's output.
fn openssl_keying_material(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Keying material: "))
        .unwrap_or_else(|| panic!("no keying material in OpenSSL's output:\n{}", clip(output)))
        .to_owned()
}

#[test]
fn ferrotls_client_exports_what_openssl_s_server_exports() {
    let t = TempDir::new("export-ossl-srv");
    let port = free_port();
    let ca = fixture(CA);
    // Without -quiet: the mode in which s_server prints the keying material.
    let cmd = openssl_server(port, &t, &["-keymatexport", "EXPERIMENTAL-ferrotls", "-keymatexportlen", "48"]);
    let args: Vec<String> =
        cmd.get_args().map(|a| a.to_string_lossy().into_owned()).filter(|a| a != "-quiet").collect();
    let mut cmd = Command::new("openssl");
    cmd.args(&args);
    let (client, server) = exchange_with_openssl_server(
        &mut cmd,
        port,
        |port| {
            let mut c = ferrotls(&["client", &format!("127.0.0.1:{port}"), "--servername", "localhost"]);
            c.args(["--cafile", path_str(&ca), "--json", "--keymatexport", "EXPERIMENTAL-ferrotls"]);
            c.args(["--keymatexportlen", "48"]);
            c
        },
        b"up",
        b"",
    );
    client.expect_success("ferrotls client");
    let ours = client.json().get("keying_material").str().unwrap_or_default().to_owned();
    assert_eq!(ours.len(), 96, "{ours}");
    assert_eq!(ours, openssl_keying_material(&server.stdout_str()));
}

#[test]
fn openssl_s_client_exports_what_ferrotls_server_exports_and_a_reserved_label_is_refused() {
    let run_with = |label: &str| {
        let mut server = Peer::spawn(
            "ferrotls server",
            ferrotls(&["server", "--host", "127.0.0.1", "--port", "0", "--once", "--json"])
                .args(["--cert", path_str(&fixture(SERVER_CHAIN)), "--key", path_str(&fixture(SERVER_KEY))])
                .args(["--keymatexport", label, "--keymatexportlen", "32"]),
        );
        let port = server.wait_listening_banner(READY_TIMEOUT);
        let client = exchange_holding_stdin(
            Command::new("openssl")
                .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-nocommands", "-no_ign_eof"])
                .args(["-servername", "localhost", "-CAfile", path_str(&fixture(CA))])
                .args(["-keymatexport", "EXPERIMENTAL-ferrotls", "-keymatexportlen", "32"]),
            b"echo me\n",
        );
        (client, server.wait(PEER_TIMEOUT))
    };
    let (client, server) = run_with("EXPERIMENTAL-ferrotls");
    client.expect_success("openssl s_client");
    server.expect_success("ferrotls server");
    let report = server
        .stdout_str()
        .lines()
        .find(|l| l.starts_with("{\"peer\""))
        .map(|l| json::parse(l).unwrap())
        .expect("a JSON report");
    assert_eq!(report.get("keying_material").str(), Some(&*openssl_keying_material(&client.stdout_str())));

    // Twin: a label the TLS PRF itself uses is refused with a reason, not exported.
    let mut server = Peer::spawn(
        "ferrotls server",
        ferrotls(&["server", "--host", "127.0.0.1", "--port", "0", "--once"])
            .args(["--cert", path_str(&fixture(SERVER_CHAIN)), "--key", path_str(&fixture(SERVER_KEY))])
            .args(["--keymatexport", "master secret"]),
    );
    let port = server.wait_listening_banner(READY_TIMEOUT);
    let _ = run(
        "openssl s_client",
        Command::new("openssl")
            .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief"])
            .args(["-servername", "localhost", "-CAfile", path_str(&fixture(CA))]),
        b"",
        PEER_TIMEOUT,
    );
    server.wait(PEER_TIMEOUT).expect_failure_mentioning("ferrotls server", &["keying material", "reserved"]);
}
