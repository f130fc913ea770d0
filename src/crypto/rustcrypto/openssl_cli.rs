//! Test helper: cross-checks against the `openssl` command (OpenSSL 3), the independent
//! implementation every algorithm here must agree with. `make deps` installs it; a missing
//! `openssl` fails the test (it is never skipped).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one `openssl` invocation may take (key generation and one signature take
/// milliseconds; the cap only keeps a wedged process from hanging the test run).
const TIMEOUT: Duration = Duration::from_secs(60);

/// A scratch directory for key and signature files, removed on drop.
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub(crate) fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ferrotls-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch directory");
        Self { dir }
    }

    /// Path of `name` inside the directory, as a string for `openssl` arguments.
    pub(crate) fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().expect("UTF-8 temp path").to_owned()
    }

    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `openssl args...`; returns (success, stdout, stderr).
pub(crate) fn run(args: &[&str]) -> (bool, Vec<u8>, String) {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the `openssl` command is required (make deps installs it)");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for openssl").is_some() {
            break;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("openssl {args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("openssl output");
    (out.status.success(), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Runs `openssl args...`, which must succeed; returns its stdout.
pub(crate) fn ok(args: &[&str]) -> Vec<u8> {
    let (success, stdout, stderr) = run(args);
    assert!(success, "openssl {args:?} failed: {stderr}");
    stdout
}
