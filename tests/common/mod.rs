//! Test harness for the interop tests: spawn peers with bounded waits, find free ports, wait for readiness,
//! collect output, make payloads, run a case matrix on a few threads. Std only.
//!
//! Every wait has a deadline; every spawned child is killed when its `Peer` is dropped, so a failing
//! assertion never leaves a server running and no test can hang.
#![allow(dead_code)]

pub mod json;
pub mod net;
pub mod peers;
pub mod servers;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------------------
// Fixtures: names chosen with the x509 work (tests/fixtures/). Change them here only.
pub const CA: &str = "ca.pem";
pub const SERVER_CHAIN: &str = "server-chain.pem";
pub const SERVER_KEY: &str = "server.key";
pub const EXPIRED_CHAIN: &str = "expired-chain.pem";
pub const WRONG_HOST_CHAIN: &str = "wrong-host-chain.pem";
pub const UNTRUSTED_CHAIN: &str = "untrusted-chain.pem";
pub const SHA1_CHAIN: &str = "sha1-chain.pem";

/// Upper bound for one peer process in a happy-path case.
pub const PEER_TIMEOUT: Duration = Duration::from_secs(60);
/// Upper bound for waiting until a server listens.
pub const READY_TIMEOUT: Duration = Duration::from_secs(15);

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The ferrotls binary: $FERROTLS_BIN, or target/release/ferrotls. Missing is a failure, never a skip.
pub fn ferrotls_bin() -> PathBuf {
    let p = std::env::var_os("FERROTLS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/ferrotls"));
    assert!(
        p.is_file(),
        "ferrotls binary not found at {} (run `make build`, or set FERROTLS_BIN)",
        p.display()
    );
    p
}

/// A file under tests/fixtures/; missing is a failure.
pub fn fixture(name: &str) -> PathBuf {
    let p = repo_root().join("tests/fixtures").join(name);
    assert!(
        p.is_file(),
        "test fixture {} is missing (tests/fixtures/ comes with the x509 work)",
        p.display()
    );
    p
}

/// The key for a leaf chain fixture: `<stem>-key.pem` beside `<stem>-chain.pem` if present, else server.key.
pub fn fixture_key_for(chain: &str) -> PathBuf {
    let stem = chain.trim_end_matches(".pem").trim_end_matches("-chain");
    let own = repo_root().join("tests/fixtures").join(format!("{stem}-key.pem"));
    if own.is_file() {
        own
    } else {
        fixture(SERVER_KEY)
    }
}

pub fn python3() -> PathBuf {
    PathBuf::from(std::env::var_os("PYTHON3").unwrap_or_else(|| "python3".into()))
}

/// The venv python with tlslite-ng (make deps creates it); missing is a failure.
pub fn venv_python() -> PathBuf {
    let p = std::env::var_os("TLSLITE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("build/venv/bin/python"));
    assert!(p.is_file(), "{} not found: run `make deps` (creates build/venv with tlslite-ng)", p.display());
    p
}

pub fn peer_script() -> PathBuf {
    repo_root().join("tests/interop/tls_peer.py")
}

// ---------------------------------------------------------------------------------------------------------
/// A scratch directory, removed on drop (kept when FERROTLS_KEEP_TMP is set, for debugging).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "ferrotls-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    pub fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, data).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("FERROTLS_KEEP_TMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A port that was free a moment ago (the kernel hands out ephemeral ports round-robin, so reuse by another
/// test before we bind it is unlikely; servers we start with an explicit port are retried on bind failure).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `n` bytes of printable ASCII (lines of 63 pseudo-random alphanumerics), reproducible from `seed`.
/// Printable so that the client's JSON `received` string compares byte for byte.
pub fn payload(n: usize, seed: u64) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|i| {
            if i % 64 == 63 {
                b'\n'
            } else {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                A[(x % A.len() as u64) as usize]
            }
        })
        .collect()
}

/// Where two byte strings first differ, for readable assertion messages.
pub fn assert_same_bytes(what: &str, got: &[u8], want: &[u8]) {
    if got != want {
        let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
        panic!("{what}: got {} bytes, want {} bytes, first difference at byte {at}", got.len(), want.len());
    }
}

// ---------------------------------------------------------------------------------------------------------
type Buf = Arc<Mutex<Vec<u8>>>;

fn pump(mut r: impl Read + Send + 'static, buf: Buf) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut chunk = [0u8; 65536];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.lock().unwrap().extend_from_slice(&chunk[..n]),
            }
        }
    })
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    pub fn success(&self) -> bool {
        self.status.success()
    }
    /// The last line of stdout that parses as a JSON object.
    pub fn json(&self) -> json::Json {
        let s = self.stdout_str();
        if let Ok(v) = json::parse(&s) {
            return v;
        }
        for line in s.lines().rev() {
            if line.trim_start().starts_with('{') {
                if let Ok(v) = json::parse(line) {
                    return v;
                }
            }
        }
        panic!("no JSON object on stdout:\n{}\nstderr:\n{}", clip(&s), clip(&self.stderr_str()))
    }
    /// Panics with both streams unless the process exited 0.
    pub fn expect_success(&self, what: &str) -> &Self {
        assert!(
            self.success(),
            "{what} failed ({}):\nstderr:\n{}\nstdout:\n{}",
            self.status,
            clip(&self.stderr_str()),
            clip(&self.stdout_str())
        );
        self
    }
    /// Panics unless the process failed with a one-line reason on stderr containing one of `words`.
    pub fn expect_failure_mentioning(&self, what: &str, words: &[&str]) -> &Self {
        let err = self.stderr_str();
        assert!(
            !self.success(),
            "{what} should have failed but exited 0; stdout:\n{}",
            clip(&self.stdout_str())
        );
        assert!(!err.trim().is_empty(), "{what} failed ({}) without a reason on stderr", self.status);
        let lower = err.to_lowercase();
        assert!(
            words.iter().any(|w| lower.contains(&w.to_lowercase())),
            "{what}: the reason on stderr should mention one of {words:?}, got:\n{}",
            clip(&err)
        );
        self
    }
}

/// Keeps long outputs readable in panic messages.
pub fn clip(s: &str) -> String {
    const MAX: usize = 3000;
    if s.len() <= MAX {
        s.to_string()
    } else {
        let mut cut = s.len() - MAX;
        while !s.is_char_boundary(cut) {
            cut += 1;
        }
        format!("[... {} bytes cut ...]{}", cut, &s[cut..])
    }
}

/// A running child process with captured stdout/stderr and a piped stdin. Killed on drop.
pub struct Peer {
    pub name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdin_writer: Option<JoinHandle<()>>,
    stdin_rx: Option<std::sync::mpsc::Receiver<ChildStdin>>,
    stdout: Buf,
    stderr: Buf,
    pumps: Vec<JoinHandle<()>>,
}

impl Peer {
    pub fn spawn(name: &str, cmd: &mut Command) -> Peer {
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        let stdout = Buf::default();
        let stderr = Buf::default();
        let pumps = vec![
            pump(child.stdout.take().unwrap(), stdout.clone()),
            pump(child.stderr.take().unwrap(), stderr.clone()),
        ];
        Peer {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child,
            stdin_writer: None,
            stdin_rx: None,
            stdout,
            stderr,
            pumps,
        }
    }

    /// Writes `data` to the child's stdin from a thread (so a full pipe never blocks the test);
    /// the pipe stays open until `close_stdin`.
    pub fn feed_stdin(&mut self, data: Vec<u8>) {
        // A previous feed's writer thread holds the pipe until its write is done: take it back.
        if self.stdin.is_none() {
            if let Some(rx) = self.stdin_rx.take() {
                self.stdin = rx.recv_timeout(PEER_TIMEOUT).ok();
            }
            if let Some(h) = self.stdin_writer.take() {
                let _ = h.join();
            }
        }
        let mut w = self.stdin.take().expect("stdin already closed");
        let (tx, rx) = std::sync::mpsc::channel();
        self.stdin_writer = Some(thread::spawn(move || {
            let _ = w.write_all(&data);
            let _ = w.flush();
            let _ = tx.send(w);
        }));
        // Keep the pipe open: the writer thread hands it back when done, and close_stdin drops it.
        self.stdin_rx = Some(rx);
    }

    /// Waits until everything given to `feed_stdin` has been written into the pipe.
    pub fn wait_stdin_written(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.stdin_writer.as_ref().is_some_and(|h| !h.is_finished()) {
            self.check_deadline(deadline, "consume its stdin");
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Closes stdin (EOF for the child), after any pending `feed_stdin` finished.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
        if let Some(rx) = self.stdin_rx.take() {
            // The writer thread ends when its write finished or failed (child gone); drop the pipe then.
            let _ = rx.recv_timeout(PEER_TIMEOUT);
        }
        if let Some(h) = self.stdin_writer.take() {
            let _ = h.join();
        }
    }

    /// The child's process ID (for /proc readings).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stdout_len(&self) -> usize {
        self.stdout.lock().unwrap().len()
    }
    pub fn stdout_now(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }
    pub fn stderr_now(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    fn check_deadline(&mut self, deadline: Instant, waiting_for: &str) {
        self.check_deadline_unless(deadline, waiting_for, |_| false)
    }

    /// Panics when the child has exited or the deadline passed, unless `done` holds once the
    /// child's last output has been collected (an exit can race with the pumps reading it).
    fn check_deadline_unless(&mut self, deadline: Instant, waiting_for: &str, done: impl Fn(&Self) -> bool) {
        if let Ok(Some(status)) = self.child.try_wait() {
            // Let the pumps collect the last output: wait until it stops growing (bounded).
            let settle = Instant::now() + Duration::from_secs(2);
            let mut last = (self.stdout_len(), self.stderr.lock().unwrap().len());
            loop {
                thread::sleep(Duration::from_millis(50));
                let now = (self.stdout_len(), self.stderr.lock().unwrap().len());
                if now == last || Instant::now() > settle {
                    break;
                }
                last = now;
            }
            if done(self) {
                return;
            }
            panic!(
                "{} exited ({status}) while waiting for {waiting_for}\nstdout:\n{}\nstderr:\n{}",
                self.name,
                clip(&self.stdout_now()),
                clip(&self.stderr_now())
            );
        }
        if Instant::now() > deadline {
            panic!(
                "timed out waiting for {} to {waiting_for}\nstdout:\n{}\nstderr:\n{}",
                self.name,
                clip(&self.stdout_now()),
                clip(&self.stderr_now())
            );
        }
    }

    /// Waits until stdout holds a line containing `needle`; returns that line.
    pub fn wait_for_line(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let find = |p: &Self| p.stdout_now().lines().find(|l| l.contains(needle)).map(str::to_string);
        loop {
            if let Some(l) = find(self) {
                return l;
            }
            self.check_deadline_unless(deadline, &format!("print {needle:?}"), |p| find(p).is_some());
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until stdout or stderr contains `needle`.
    pub fn wait_for_output(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let seen = |p: &Self| p.stdout_now().contains(needle) || p.stderr_now().contains(needle);
        while !seen(self) {
            self.check_deadline_unless(deadline, &format!("print {needle:?}"), seen);
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for `listening on ADDR:PORT` on stdout (ferrotls server, tls_peer.py) and returns the port.
    pub fn wait_listening_banner(&mut self, timeout: Duration) -> u16 {
        let line = self.wait_for_line("listening on ", timeout);
        let addr = line.split("listening on ").nth(1).unwrap().trim();
        addr.rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{}: cannot read a port from banner {line:?}", self.name))
    }

    /// Waits until something listens on 127.0.0.1:`port` without connecting to it (a probe connection
    /// would use up `s_server -naccept 1`): reads the kernel's socket table.
    pub fn wait_port_listening(&mut self, port: u16, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !port_is_listening(port) {
            self.check_deadline(deadline, &format!("listen on port {port}"));
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until stdout holds at least `n` bytes.
    pub fn wait_stdout_len(&mut self, n: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.stdout_len() < n {
            let what = format!("write {n} bytes to stdout (has {})", self.stdout_len());
            self.check_deadline_unless(deadline, &what, |p| p.stdout_len() >= n);
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits for the child to exit (bounded: killed after `timeout`, which panics) and returns its output.
    pub fn wait(mut self, timeout: Duration) -> Output {
        self.close_stdin();
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                thread::sleep(Duration::from_millis(50));
                panic!(
                    "{} did not exit within {timeout:?}; killed it\nstdout:\n{}\nstderr:\n{}",
                    self.name,
                    clip(&self.stdout_now()),
                    clip(&self.stderr_now())
                );
            }
            thread::sleep(Duration::from_millis(5));
        };
        for p in self.pumps.drain(..) {
            let _ = p.join();
        }
        Output {
            status,
            stdout: std::mem::take(&mut *self.stdout.lock().unwrap()),
            stderr: std::mem::take(&mut *self.stderr.lock().unwrap()),
        }
    }

    /// Ends the child now (servers that never exit by themselves) and returns what it printed.
    pub fn stop(mut self) -> Output {
        let _ = self.child.kill();
        self.wait(Duration::from_secs(5))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// True if a socket listens on `port` (IPv4 or IPv6), per /proc/net/tcp{,6}.
pub fn port_is_listening(port: u16) -> bool {
    let want = format!(":{port:04X} ");
    ["/proc/net/tcp", "/proc/net/tcp6"].iter().any(|f| {
        std::fs::read_to_string(f)
            .map(|t| {
                t.lines().skip(1).any(|l| {
                    let cols: Vec<&str> = l.split_whitespace().collect();
                    cols.len() > 3 && format!("{} ", cols[1]).ends_with(&want) && cols[3] == "0A"
                })
            })
            .unwrap_or(false)
    })
}

/// Runs a command to completion with `stdin` as input, bounded by `timeout`.
pub fn run(name: &str, cmd: &mut Command, stdin: &[u8], timeout: Duration) -> Output {
    let mut p = Peer::spawn(name, cmd);
    p.feed_stdin(stdin.to_vec());
    p.wait(timeout)
}

/// Runs `f` on every case with `threads` worker threads; collects every failure and panics once with all
/// of them, naming each case, so one run of a matrix shows every broken cell.
pub fn run_matrix<C: std::fmt::Debug + Send + Sync + 'static>(
    cases: Vec<C>,
    threads: usize,
    f: impl Fn(&C) + Send + Sync + 'static,
) {
    let total = cases.len();
    let cases = Arc::new(Mutex::new(cases.into_iter().collect::<std::collections::VecDeque<_>>()));
    let f = Arc::new(f);
    let failures = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..threads.max(1))
        .map(|_| {
            let (cases, f, failures) = (cases.clone(), f.clone(), failures.clone());
            thread::spawn(move || loop {
                let Some(case) = cases.lock().unwrap().pop_front() else {
                    break;
                };
                let t = Instant::now();
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&case)));
                match r {
                    Ok(()) => eprintln!("  ok   {case:?} ({:.1}s)", t.elapsed().as_secs_f64()),
                    Err(e) => {
                        let msg = e
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        eprintln!("  FAIL {case:?}");
                        failures.lock().unwrap().push(format!("{case:?}:\n{msg}"));
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    if !failures.is_empty() {
        panic!("{} of {total} cases failed:\n\n{}", failures.len(), failures.join("\n\n"));
    }
}

/// Test threads per matrix: the machine has 2 cores and cargo already runs 2 tests at once.
pub fn matrix_threads() -> usize {
    std::env::var("FERROTLS_MATRIX_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(2)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Flows shared by the peer sanity test and the ferrotls tests.

/// Runs a client that behaves like `ferrotls client` (sends stdin, close_notify at EOF, reads until the
/// server closes) against `openssl s_server`: `up` goes client→server (checked on the server's stdout),
/// `down` server→client (fed to s_server's stdin). Returns (client output, server output).
///
/// s_server in -quiet mode ends the connection at its stdin EOF, so its stdin stays open; the client's stdin
/// is closed only after the server has received all of `up` and consumed all of `down`.
pub fn exchange_with_openssl_server(
    server_cmd: &mut Command,
    port: u16,
    client_cmd: impl FnOnce(u16) -> Command,
    up: &[u8],
    down: &[u8],
) -> (Output, Output) {
    let mut server = Peer::spawn("openssl s_server", server_cmd);
    server.feed_stdin(down.to_vec());
    server.wait_port_listening(port, READY_TIMEOUT);
    let mut client = Peer::spawn("client", &mut client_cmd(port));
    client.feed_stdin(up.to_vec());
    server.wait_stdout_len(up.len(), PEER_TIMEOUT);
    server.wait_stdin_written(PEER_TIMEOUT);
    // s_server reads the last pipe buffer (64 KiB) in a few loop turns; give it a moment to send it.
    thread::sleep(Duration::from_millis(300));
    client.close_stdin();
    let client_out = client.wait(PEER_TIMEOUT);
    let server_out = server.wait(Duration::from_secs(10));
    (client_out, server_out)
}

/// Runs a client against an echo server that is already listening: sends `data` on stdin and closes it
/// (the client must wait for the echo after its close_notify, as gnutls-cli and ferrotls client do).
pub fn exchange_with_echo_server(client_cmd: &mut Command, data: &[u8]) -> Output {
    run("client", client_cmd, data, PEER_TIMEOUT)
}

/// Runs a client that closes at stdin EOF without waiting (openssl s_client -no_ign_eof) against an echo
/// server: keeps stdin open until the whole echo arrived on stdout.
pub fn exchange_holding_stdin(client_cmd: &mut Command, data: &[u8]) -> Output {
    let mut client = Peer::spawn("client", client_cmd);
    client.feed_stdin(data.to_vec());
    client.wait_stdout_len(data.len(), PEER_TIMEOUT);
    client.close_stdin();
    client.wait(PEER_TIMEOUT)
}
