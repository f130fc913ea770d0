//! Key logging: handing a connection's secrets to the application, so that a packet analyser
//! (Wireshark, tshark) can decrypt a captured session. The format is NSS's key log format
//! (<https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/>, also
//! draft-ietf-tls-keylogfile): one line per secret, `LABEL <client_random hex> <secret hex>`.
//!
//! The configuration carries an `Arc<dyn KeyLog>` ([`NoKeyLog`] unless set). The core only
//! calls it; writing a file is [`crate::key_log_file::KeyLogFile`]'s job, outside the sans-IO
//! core, and nothing in the library reads `SSLKEYLOGFILE` by itself.
//!
//! TLS 1.0–1.2 log one [`CLIENT_RANDOM`] line per handshake (full or resumed: the master secret
//! with this connection's ClientHello.random). TLS 1.3 logs its traffic secrets under the other
//! labels below; every label is keyed by the ClientHello.random, so the same hook serves both.

/// TLS 1.0–1.2: the 48-byte master secret.
pub const CLIENT_RANDOM: &str = "CLIENT_RANDOM";
/// TLS 1.3: client_handshake_traffic_secret (RFC 8446 §7.1).
pub const CLIENT_HANDSHAKE_TRAFFIC_SECRET: &str = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
/// TLS 1.3: server_handshake_traffic_secret.
pub const SERVER_HANDSHAKE_TRAFFIC_SECRET: &str = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
/// TLS 1.3: client_application_traffic_secret_0.
pub const CLIENT_TRAFFIC_SECRET_0: &str = "CLIENT_TRAFFIC_SECRET_0";
/// TLS 1.3: server_application_traffic_secret_0.
pub const SERVER_TRAFFIC_SECRET_0: &str = "SERVER_TRAFFIC_SECRET_0";
/// TLS 1.3: exporter_master_secret.
pub const EXPORTER_SECRET: &str = "EXPORTER_SECRET";
/// TLS 1.3: client_early_traffic_secret (0-RTT; not produced while early data is not sent).
pub const CLIENT_EARLY_TRAFFIC_SECRET: &str = "CLIENT_EARLY_TRAFFIC_SECRET";

/// Receives a connection's secrets as they are derived.
///
/// Called on the thread that drives the connection, during `process` (or the call that starts a
/// handshake), once per secret; implementations must be quick and must not panic. The secret is
/// the real key material of a live connection: whoever holds it can decrypt the session, so log
/// only where that is intended (debugging, a test).
pub trait KeyLog: Send + Sync + core::fmt::Debug {
    /// Records `secret` under `label` (one of this module's constants) for the connection whose
    /// ClientHello.random is `client_random`.
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]);

    /// Whether this log wants anything at all; when false the connection skips formatting.
    fn will_log(&self, _label: &str) -> bool {
        true
    }
}

/// The default: logs nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoKeyLog;

impl KeyLog for NoKeyLog {
    fn log(&self, _label: &str, _client_random: &[u8; 32], _secret: &[u8]) {}

    fn will_log(&self, _label: &str) -> bool {
        false
    }
}

/// One key log line without its newline: `LABEL <client_random hex> <secret hex>`, lower-case
/// hex as NSS, OpenSSL and Wireshark write and read it.
pub fn nss_key_log_line(label: &str, client_random: &[u8; 32], secret: &[u8]) -> String {
    use core::fmt::Write;
    let mut line = String::with_capacity(label.len() + 2 + 2 * (client_random.len() + secret.len()));
    line.push_str(label);
    line.push(' ');
    for b in client_random {
        let _ = write!(line, "{b:02x}");
    }
    line.push(' ');
    for b in secret {
        let _ = write!(line, "{b:02x}");
    }
    line
}

/// Passes `secret` to `key_log` if it wants it (the one call site the handshake uses).
pub(crate) fn log_secret(key_log: &dyn KeyLog, label: &str, client_random: &[u8; 32], secret: &[u8]) {
    if key_log.will_log(label) {
        key_log.log(label, client_random, secret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_label_client_random_and_secret_in_lower_case_hex() {
        let random: [u8; 32] = core::array::from_fn(|i| 0xa0 + i as u8);
        let line = nss_key_log_line(CLIENT_RANDOM, &random, &[0x00, 0x0f, 0xff]);
        assert_eq!(
            line,
            "CLIENT_RANDOM a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf 000fff"
        );
    }

    #[test]
    fn the_default_log_wants_nothing() {
        assert!(!NoKeyLog.will_log(CLIENT_RANDOM));
    }
}
