//! The two servers that face the network, `ferrotls server` (the CLI) and the C example
//! `tls_server`, started the same way, and an in-process ferrotls client to talk to them. Used by
//! the timeout, `--www` and load/fault tests.

use super::{ferrotls_bin, fixture, json, repo_root, Peer, CA, READY_TIMEOUT, SERVER_CHAIN, SERVER_KEY};
use ferrotls::x509::RootCertStore;
use ferrotls::{ClientConfig, ClientConnection, ServerName, Stream};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Which server program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `ferrotls server` (src/bin/ferrotls.rs).
    Cli,
    /// `tls_server` (c-examples/tls_server.c), built by `make c-examples`.
    C,
}

pub const BOTH: [Kind; 2] = [Kind::Cli, Kind::C];

/// The C example server: $BINDIR/tls_server or build/bin/tls_server. Missing is a failure.
pub fn c_server_bin() -> PathBuf {
    let dir = std::env::var_os("BINDIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("build/bin"));
    let p = if dir.is_absolute() { dir.join("tls_server") } else { repo_root().join(dir).join("tls_server") };
    assert!(p.is_file(), "{} not found: run `make c-examples` (or set BINDIR)", p.display());
    p
}

/// The command for `kind` listening on a free port with the test certificate, printing one JSON
/// line per connection, plus `extra` options.
pub fn server_command(kind: Kind, extra: &[&str]) -> Command {
    let mut cmd = match kind {
        Kind::Cli => {
            let mut c = Command::new(ferrotls_bin());
            c.arg("server");
            c
        }
        Kind::C => Command::new(c_server_bin()),
    };
    cmd.args(["--port", "0", "--json", "--cert"])
        .arg(fixture(SERVER_CHAIN))
        .arg("--key")
        .arg(fixture(SERVER_KEY))
        .args(extra);
    cmd
}

/// A running server and its port; killed on drop.
pub struct Server {
    pub peer: Peer,
    pub port: u16,
    pub kind: Kind,
}

impl Server {
    pub fn start(kind: Kind, extra: &[&str]) -> Server {
        Server::start_command(kind, &mut server_command(kind, extra))
    }

    pub fn start_command(kind: Kind, cmd: &mut Command) -> Server {
        let mut peer = Peer::spawn(&format!("{kind:?} server"), cmd);
        let port = peer.wait_listening_banner(READY_TIMEOUT);
        Server { peer, port, kind }
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the server under test");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
        let _ = s.set_nodelay(true);
        s
    }

    /// The server's JSON line for the connection from local port `client_port` (bounded wait).
    pub fn connection_report(&mut self, client_port: u16, timeout: Duration) -> json::Json {
        let line = self.peer.wait_for_line(&format!("\"peer\":\"127.0.0.1:{client_port}\""), timeout);
        json::parse(&line).unwrap_or_else(|e| panic!("bad JSON from the server ({e}): {line}"))
    }

    /// The `error` field of that report (`None` for a clean connection).
    pub fn connection_error(&mut self, client_port: u16, timeout: Duration) -> Option<String> {
        self.connection_report(client_port, timeout).get("error").str().map(str::to_owned)
    }
}

/// A client configuration trusting the test CA.
pub fn client_config() -> Arc<ClientConfig> {
    static CONFIG: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            roots.add_pem(&std::fs::read(fixture(CA)).unwrap()).unwrap();
            Arc::new(ClientConfig::builder().root_store(roots).build().unwrap())
        })
        .clone()
}

pub type ClientStream = Stream<ClientConnection, TcpStream>;

/// A completed handshake with the server on `sock`.
pub fn handshake(sock: TcpStream) -> Result<ClientStream, String> {
    let conn = ClientConnection::new(client_config(), ServerName::try_from("localhost").unwrap())
        .map_err(|e| e.to_string())?;
    let mut s = Stream::new(conn, sock);
    s.complete_handshake().map_err(|e| format!("handshake: {e}"))?;
    Ok(s)
}

/// One echo round trip of `msg` on an established stream.
pub fn echo_round_trip(s: &mut ClientStream, msg: &[u8]) -> Result<(), String> {
    s.write_all(msg).map_err(|e| format!("write: {e}"))?;
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got).map_err(|e| format!("read echo: {e}"))?;
    if got != msg {
        return Err("echo differs from what was sent".into());
    }
    Ok(())
}

/// A whole well-behaved echo connection: handshake, `msg` echoed, close_notify both ways.
/// Returns the client's local port (to find the server's report).
pub fn echo_connection(port: u16, msg: &[u8]) -> Result<u16, String> {
    let sock = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    sock.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    sock.set_write_timeout(Some(Duration::from_secs(60))).unwrap();
    let _ = sock.set_nodelay(true);
    let local = sock.local_addr().unwrap().port();
    let mut s = handshake(sock)?;
    echo_round_trip(&mut s, msg)?;
    s.send_close_notify().map_err(|e| format!("close_notify: {e}"))?;
    let mut rest = [0u8; 64];
    match s.read(&mut rest) {
        Ok(0) => Ok(local),
        Ok(_) => Err("data after the echo".into()),
        Err(e) => Err(format!("waiting for the server's close_notify: {e}")),
    }
}

/// Reads from `sock` until EOF or an error; returns what arrived and when the server ended it.
pub fn read_until_closed(sock: &mut TcpStream) -> (Vec<u8>, Instant) {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match sock.read(&mut buf) {
            Ok(0) => return (all, Instant::now()),
            Ok(n) => all.extend_from_slice(&buf[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                panic!("the server did not close the connection within the test's read timeout")
            }
            Err(_) => return (all, Instant::now()),
        }
    }
}

/// The resident set size of process `pid` in KiB, from /proc.
pub fn rss_kib(pid: u32) -> u64 {
    proc_status_field(pid, "VmRSS:")
}

/// The number of threads of process `pid`, from /proc.
pub fn thread_count(pid: u32) -> u64 {
    proc_status_field(pid, "Threads:")
}

fn proc_status_field(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc/PID/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}
