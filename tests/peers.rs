//! Sanity checks of the interop harness: the real peers talk to each other with the exact command lines
//! that tests/interop.rs uses against ferrotls. If one of these fails, the peer (or its flags) is the
//! problem, not ferrotls. Uses its own throw-away PKI made with `openssl req`, not tests/fixtures.

mod common;

use common::peers::*;
use common::*;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// A root → intermediate → leaf PKI for localhost / 127.0.0.1 in `tmp`: (ca.pem, chain.pem, key.pem).
fn make_pki(tmp: &TempDir) -> (PathBuf, PathBuf, PathBuf) {
    let sh = |script: &str| {
        let out = run(
            "sh",
            Command::new("sh").arg("-ec").arg(script).current_dir(&tmp.0),
            b"",
            Duration::from_secs(60),
        );
        out.expect_success("making the test PKI");
    };
    sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=peers-root \
          -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj /CN=peers-intermediate 2>/dev/null
        printf 'basicConstraints=critical,CA:true\\nkeyUsage=critical,keyCertSign\\n' > int.ext
        openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile int.ext -out int.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout key.pem -out leaf.csr -subj /CN=localhost 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > leaf.ext
        openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.pem 2>/dev/null
        cat leaf.pem int.pem > chain.pem");
    (tmp.path("ca.pem"), tmp.path("chain.pem"), tmp.path("key.pem"))
}

#[test]
fn peers_can_talk_to_each_other() {
    let tmp = std::sync::Arc::new(TempDir::new("peers"));
    let (ca, chain, key) = make_pki(&tmp);
    let (leaf, intermediates) = split_chain(&chain, &tmp);
    let data = payload(1 << 20, 7);
    let down = payload(1 << 20, 8);

    #[derive(Debug, Clone, Copy)]
    enum Pair {
        GnutlsCliToOpensslServer(Version, Suite, Ext),
        OpensslClientToGnutlsServ(Version, Suite, Ext),
        GnutlsCliToGnutlsServ(Version, Suite, Ext),
        PySslClientToGnutlsServ(Version, Suite, Ext),
        GnutlsCliToPySslServer(Version, Suite, Ext),
        TlsliteClientToGnutlsServ(Version, Suite, Ext),
        GnutlsCliToTlsliteServer(Version, Suite, Ext),
        OpensslClientToPySslServer(Version, Suite),
    }
    use Pair::*;
    let off = Ext { ems: false, etm: false };
    let mut cases = Vec::new();
    for v in VERSIONS {
        cases.push(GnutlsCliToOpensslServer(v, AES128_SHA, EXT_ON));
        cases.push(OpensslClientToGnutlsServ(v, AES256_SHA, EXT_ON));
        cases.push(PySslClientToGnutlsServ(v, AES128_SHA, EXT_ON));
        cases.push(GnutlsCliToPySslServer(v, AES256_SHA, EXT_ON));
        cases.push(OpensslClientToPySslServer(v, AES128_SHA));
        cases.push(TlsliteClientToGnutlsServ(v, RC4_SHA, EXT_ON));
    }
    for (v, s) in pairs(&OPENSSL_SUITES) {
        cases.push(GnutlsCliToOpensslServer(v, s, off));
    }
    for (v, s) in pairs(&ALL_SUITES) {
        cases.push(GnutlsCliToGnutlsServ(v, s, EXT_ON));
    }
    cases.push(GnutlsCliToOpensslServer(Version::Tls12, AES128_SHA256, Ext { ems: false, etm: true }));
    cases.push(GnutlsCliToOpensslServer(Version::Tls12, AES128_SHA256, Ext { ems: true, etm: false }));
    cases.push(OpensslClientToGnutlsServ(Version::Tls12, AES256_SHA256, off));
    cases.push(PySslClientToGnutlsServ(Version::Tls11, AES128_SHA, off));
    cases.push(GnutlsCliToPySslServer(Version::Tls12, AES128_SHA, off));
    cases.push(TlsliteClientToGnutlsServ(Version::Tls10, DES_CBC3_SHA, off));
    cases.push(TlsliteClientToGnutlsServ(Version::Tls12, RC4_MD5, EXT_ON));
    cases.push(TlsliteClientToGnutlsServ(Version::Tls12, AES128_SHA256, off));
    cases.push(GnutlsCliToTlsliteServer(Version::Tls11, AES256_SHA, EXT_ON));
    cases.push(GnutlsCliToTlsliteServer(Version::Tls10, RC4_SHA, off));

    run_matrix(cases, matrix_threads(), move |case| {
        let t = TempDir::new("pair");
        match *case {
            GnutlsCliToOpensslServer(v, s, ext) => {
                let port = free_port();
                let log = t.path("cli.log");
                let (cli, srv) = exchange_with_openssl_server(
                    &mut openssl_server(port, &leaf, intermediates.as_deref(), &key, v, s, ext, &t),
                    port,
                    |port| gnutls_client(port, "localhost", &ca, &gnutls_priority(v, s, EXT_ON), &log),
                    &data,
                    &down,
                );
                cli.expect_success("gnutls-cli");
                assert_same_bytes("s_server received", &srv.stdout, &data);
                assert_same_bytes("gnutls-cli received", &cli.stdout, &down);
                GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap()).check(v, s, ext.ems, ext.etm);
            }
            OpensslClientToGnutlsServ(v, s, ext) => {
                let port = free_port();
                let mut srv = Peer::spawn(
                    "gnutls-serv",
                    &mut gnutls_server(port, &chain, &key, &gnutls_priority(v, s, ext)),
                );
                srv.wait_port_listening(port, READY_TIMEOUT);
                let out =
                    exchange_holding_stdin(&mut openssl_client(port, "localhost", &ca, v, s, ext, &t), &data);
                out.expect_success("s_client");
                assert_same_bytes("echo through gnutls-serv", &out.stdout, &data);
                let (ver, cipher) = openssl_brief(&out.stderr_str());
                assert_eq!((ver.as_str(), cipher.as_str()), (v.name(), s.openssl));
                srv.wait_for_line("- Options:", Duration::from_secs(5));
                GnutlsReport::parse(&srv.stdout_now()).check(v, s, ext.ems, ext.etm);
            }
            GnutlsCliToGnutlsServ(v, s, ext) => {
                let port = free_port();
                let mut srv = Peer::spawn(
                    "gnutls-serv",
                    &mut gnutls_server(port, &chain, &key, &gnutls_priority(v, s, ext)),
                );
                srv.wait_port_listening(port, READY_TIMEOUT);
                let log = t.path("cli.log");
                let out = exchange_with_echo_server(
                    &mut gnutls_client(port, "localhost", &ca, &gnutls_priority(v, s, ext), &log),
                    &data,
                );
                out.expect_success("gnutls-cli");
                assert_same_bytes("echo through gnutls-serv", &out.stdout, &data);
                GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap()).check(v, s, ext.ems, ext.etm);
            }
            PySslClientToGnutlsServ(v, s, ext) | TlsliteClientToGnutlsServ(v, s, ext) => {
                let backend = if matches!(case, PySslClientToGnutlsServ(..)) { "ssl" } else { "tlslite" };
                // tlslite-ng is pure Python: 3DES runs at a few KiB/s, so it gets less data.
                let n = match (backend, s.gnutls_cipher) {
                    ("ssl", _) => 1 << 20,
                    (_, "3DES-CBC") => 16 << 10,
                    _ => 256 << 10,
                };
                let port = free_port();
                let mut srv = Peer::spawn(
                    "gnutls-serv",
                    &mut gnutls_server(port, &chain, &key, &gnutls_priority(v, s, ext)),
                );
                srv.wait_port_listening(port, READY_TIMEOUT);
                let infile = t.write("in", &data[..n]);
                let outfile = t.path("out");
                let ca = (backend == "ssl").then_some(ca.as_path());
                let out = run(
                    backend,
                    &mut py_client(backend, port, "localhost", ca, &infile, &outfile, Some(v), Some(s), ext),
                    b"",
                    PEER_TIMEOUT,
                );
                out.expect_success(backend);
                let j = out.json();
                assert!(v.matches(j.get("version").str().unwrap()), "{j:?}");
                assert_eq!(j.get("cipher").str(), Some(s.iana));
                assert_same_bytes("echo", &std::fs::read(&outfile).unwrap(), &data[..n]);
                srv.wait_for_line("- Options:", Duration::from_secs(5));
                GnutlsReport::parse(&srv.stdout_now()).check(v, s, ext.ems, ext.etm);
            }
            GnutlsCliToPySslServer(v, s, ext) | GnutlsCliToTlsliteServer(v, s, ext) => {
                let backend = if matches!(case, GnutlsCliToPySslServer(..)) { "ssl" } else { "tlslite" };
                let n = if backend == "ssl" { 1 << 20 } else { 256 << 10 };
                let mut srv =
                    Peer::spawn(backend, &mut py_server(backend, &chain, &key, Some(v), Some(s), ext));
                let port = srv.wait_listening_banner(READY_TIMEOUT);
                let log = t.path("cli.log");
                let out = exchange_with_echo_server(
                    &mut gnutls_client(port, "localhost", &ca, &gnutls_priority(v, s, EXT_ON), &log),
                    &data[..n],
                );
                out.expect_success("gnutls-cli");
                assert_same_bytes("echo", &out.stdout, &data[..n]);
                GnutlsReport::parse(&std::fs::read_to_string(&log).unwrap()).check(v, s, ext.ems, ext.etm);
                let so = srv.wait(Duration::from_secs(10));
                so.expect_success(backend);
                assert_eq!(so.json().get("closed").str(), Some("close_notify"));
            }
            OpensslClientToPySslServer(v, s) => {
                let mut srv =
                    Peer::spawn("ssl", &mut py_server("ssl", &chain, &key, Some(v), Some(s), EXT_ON));
                let port = srv.wait_listening_banner(READY_TIMEOUT);
                let out = exchange_holding_stdin(
                    &mut openssl_client(port, "localhost", &ca, v, s, EXT_ON, &t),
                    &data,
                );
                out.expect_success("s_client");
                assert_same_bytes("echo through python ssl", &out.stdout, &data);
                let so = srv.wait(Duration::from_secs(10));
                so.expect_success("python ssl server");
                let j = so.json();
                assert_eq!(j.get("cipher").str(), Some(s.iana));
                assert_eq!(j.get("received").num(), Some(data.len() as f64));
            }
        }
    });
    drop(tmp);
}

/// The ALPN command lines of tests/interop.rs agree between real peers: s_client/s_server report
/// the server's choice, and gnutls-cli/gnutls-serv do the same.
#[test]
fn alpn_peers_report_what_they_negotiate() {
    let tmp = TempDir::new("peers-alpn");
    let (ca, chain, key) = make_pki(&tmp);
    let (leaf, intermediates) = split_chain(&chain, &tmp);
    let port = free_port();
    let mut srv = Peer::spawn(
        "openssl s_server",
        &mut openssl_alpn_server(port, &leaf, intermediates.as_deref(), &key, "h2,http/1.1"),
    );
    srv.wait_port_listening(port, READY_TIMEOUT);
    let mut cli = Peer::spawn("openssl s_client", &mut openssl_alpn_client(port, &ca, "http/1.1,h2"));
    assert_eq!(cli.wait_for_line("ALPN protocol:", PEER_TIMEOUT).trim(), "ALPN protocol: h2");
    assert_eq!(
        srv.wait_for_line("ALPN protocols selected", PEER_TIMEOUT).trim(),
        "ALPN protocols selected: h2"
    );
    cli.close_stdin();
    let _ = cli.wait(PEER_TIMEOUT);
    srv.close_stdin();
    let _ = srv.wait(PEER_TIMEOUT);

    let port = free_port();
    let mut srv = gnutls_server(port, &chain, &key, "NORMAL");
    srv.arg("--alpn=h2");
    let mut srv = Peer::spawn("gnutls-serv", &mut srv);
    srv.wait_port_listening(port, READY_TIMEOUT);
    let log = tmp.path("cli.log");
    let mut c = gnutls_client(port, "localhost", &ca, "NORMAL", &log);
    c.args(["--alpn=spdy/3", "--alpn=h2"]);
    exchange_with_echo_server(&mut c, b"alpn\n").expect_success("gnutls-cli --alpn");
    let report = std::fs::read_to_string(&log).unwrap();
    assert!(report.lines().any(|l| l.trim() == "- Application protocol: h2"), "{report}");
    assert_eq!(
        srv.wait_for_line("- Application protocol:", PEER_TIMEOUT).trim(),
        "- Application protocol: h2"
    );
}

/// The proxy and raw servers that tests/interop.rs aims at ferrotls provoke the matching errors in
/// gnutls-cli, so a failure there is ferrotls', not the harness's.
#[test]
fn tampering_proxy_and_raw_servers_provoke_errors_in_real_peers() {
    use common::net::{raw_server, tampering_proxy, RawBehaviour, Tamper};
    let tmp = TempDir::new("tamper");
    let (ca, chain, key) = make_pki(&tmp);
    let prio = gnutls_priority(Version::Tls12, AES128_SHA, EXT_ON);
    let data = payload(4096, 9);
    let cli = |port: u16, tag: &str| {
        let log = tmp.path(&format!("{tag}.log"));
        let out = exchange_with_echo_server(&mut gnutls_client(port, "localhost", &ca, &prio, &log), &data);
        (out, std::fs::read_to_string(&log).unwrap_or_default())
    };
    for tamper in [
        Tamper::FlipNothing,
        Tamper::FlipServerAppData,
        Tamper::FlipClientAppData,
        Tamper::DropServerCloseNotify,
    ] {
        let port = free_port();
        let mut srv = Peer::spawn("gnutls-serv", &mut gnutls_server(port, &chain, &key, &prio));
        srv.wait_port_listening(port, READY_TIMEOUT);
        let (pport, h) = tampering_proxy(port, tamper);
        let (out, log) = cli(pport, &format!("{tamper:?}"));
        let all = format!("{}{}{log}", out.stdout_str(), out.stderr_str()).to_lowercase();
        match tamper {
            Tamper::FlipNothing => {
                out.expect_success("gnutls-cli through an honest proxy");
                assert_same_bytes("echo through the proxy", &out.stdout, &data);
            }
            Tamper::FlipServerAppData => assert!(all.contains("decryption has failed"), "{all}"),
            Tamper::FlipClientAppData => {
                srv.wait_for_output("Decryption has failed", Duration::from_secs(5));
            }
            Tamper::DropServerCloseNotify => {
                // gnutls-cli treats an EOF without close_notify after the data as a normal end (quirk), so
                // only check that the proxy forwarded the data before cutting.
                assert_same_bytes("echo before the cut", &out.stdout, &data);
            }
        }
        h.join().unwrap();
    }
    for (behaviour, want) in
        [(RawBehaviour::CloseAfterClientHello, "terminated"), (RawBehaviour::OversizeRecord, "record")]
    {
        let (port, h) = raw_server(behaviour);
        let (out, log) = cli(port, &format!("{behaviour:?}"));
        let all = format!("{}{log}", out.stderr_str()).to_lowercase();
        assert!(!out.success(), "gnutls-cli should fail against {behaviour:?}");
        assert!(all.contains(want), "{behaviour:?}: {all}");
        h.join().unwrap();
    }
}
