//! [`KeyLogFile`]: a [`KeyLog`] that appends NSS key log lines to a file, for Wireshark's
//! "(Pre)-Master-Secret log filename" / tshark's `-o tls.keylog_file:PATH`. It lives outside the
//! sans-IO core because it writes a file; the library never reads `SSLKEYLOGFILE` by itself —
//! the `ferrotls` command does, through [`KeyLogFile::from_env`].

use crate::config::key_log::{nss_key_log_line, KeyLog};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The environment variable browsers, curl, OpenSSL-based tools and the `ferrotls` command
/// read the key log path from.
pub const SSLKEYLOGFILE: &str = "SSLKEYLOGFILE";

/// Appends one line per secret to a file (created if missing, never truncated).
#[derive(Debug)]
pub struct KeyLogFile {
    path: PathBuf,
    file: Mutex<File>,
}

impl KeyLogFile {
    /// Opens `path` for appending.
    pub fn create(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = OpenOptions::new().append(true).create(true).open(&path)?;
        Ok(Self { path, file: Mutex::new(file) })
    }

    /// A key log at `$SSLKEYLOGFILE` when that is set and not empty; `Ok(None)` otherwise.
    pub fn from_env() -> std::io::Result<Option<Self>> {
        match std::env::var_os(SSLKEYLOGFILE) {
            Some(path) if !path.is_empty() => Self::create(path).map(Some),
            _ => Ok(None),
        }
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl KeyLog for KeyLogFile {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        let mut line = nss_key_log_line(label, client_random, secret);
        line.push('\n');
        // One write per line on an O_APPEND file: lines from several connections (or
        // processes) sharing the file never interleave. A failed write cannot be reported
        // from inside a handshake and must not fail it; the line is lost.
        let mut file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = file.write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_never_truncated() {
        let dir = std::env::temp_dir().join(format!("ferrotls-keylog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keys.log");
        std::fs::write(&path, "# earlier\n").unwrap();
        let log = KeyLogFile::create(&path).unwrap();
        log.log("CLIENT_RANDOM", &[1; 32], &[2; 48]);
        drop(log);
        KeyLogFile::create(&path).unwrap().log("CLIENT_RANDOM", &[3; 32], &[4; 48]);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0], "# earlier");
        assert_eq!(lines[1], format!("CLIENT_RANDOM {} {}", "01".repeat(32), "02".repeat(48)));
        assert!(lines[2].starts_with(&format!("CLIENT_RANDOM {}", "03".repeat(32))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
