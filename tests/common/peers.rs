//! Command lines for the real peers (OpenSSL, GnuTLS, Python ssl, tlslite-ng) and for the ferrotls command.
//!
//! Each builder returns a `Command`; the flags were checked against this machine's peers by tests/peers.rs
//! (`peers_can_talk_to_each_other`), which pairs the peers with each other.

use super::{path_str, peer_script, python3, venv_python, TempDir};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    Tls10,
    Tls11,
    Tls12,
}

pub const VERSIONS: [Version; 3] = [Version::Tls10, Version::Tls11, Version::Tls12];

impl Version {
    /// As the ferrotls command spells it (`--min-version 1.0`).
    pub fn arg(self) -> &'static str {
        match self {
            Version::Tls10 => "1.0",
            Version::Tls11 => "1.1",
            Version::Tls12 => "1.2",
        }
    }
    /// As ferrotls --json and OpenSSL print it.
    pub fn name(self) -> &'static str {
        match self {
            Version::Tls10 => "TLSv1",
            Version::Tls11 => "TLSv1.1",
            Version::Tls12 => "TLSv1.2",
        }
    }
    /// Both spellings ferrotls might use for TLS 1.0 in --json ("TLSv1" as OpenSSL, "TLSv1.0").
    pub fn matches(self, s: &str) -> bool {
        s == self.name() || (self == Version::Tls10 && s == "TLSv1.0")
    }
    pub fn openssl_flag(self) -> &'static str {
        match self {
            Version::Tls10 => "-tls1",
            Version::Tls11 => "-tls1_1",
            Version::Tls12 => "-tls1_2",
        }
    }
    pub fn gnutls(self) -> &'static str {
        match self {
            Version::Tls10 => "VERS-TLS1.0",
            Version::Tls11 => "VERS-TLS1.1",
            Version::Tls12 => "VERS-TLS1.2",
        }
    }
    pub fn gnutls_name(self) -> &'static str {
        match self {
            Version::Tls10 => "TLS1.0",
            Version::Tls11 => "TLS1.1",
            Version::Tls12 => "TLS1.2",
        }
    }
    /// TLS 1.0/1.1 are legacy: ferrotls needs --legacy for them.
    pub fn legacy(self) -> bool {
        self != Version::Tls12
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Suite {
    pub openssl: &'static str,
    pub iana: &'static str,
    pub gnutls_cipher: &'static str,
    pub gnutls_mac: &'static str,
    /// 3DES and RC4: ferrotls needs --legacy; OpenSSL 3.0 here cannot do them at all.
    pub legacy: bool,
    /// SHA-256 suites exist in TLS 1.2 only.
    pub tls12_only: bool,
    /// Block cipher: encrypt-then-MAC applies (not to RC4).
    pub cbc: bool,
}

impl std::fmt::Debug for Suite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.openssl)
    }
}

const fn suite(
    openssl: &'static str,
    iana: &'static str,
    gnutls_cipher: &'static str,
    gnutls_mac: &'static str,
    legacy: bool,
    tls12_only: bool,
    cbc: bool,
) -> Suite {
    Suite { openssl, iana, gnutls_cipher, gnutls_mac, legacy, tls12_only, cbc }
}

pub const AES128_SHA: Suite =
    suite("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC", "SHA1", false, false, true);
pub const AES256_SHA: Suite =
    suite("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "AES-256-CBC", "SHA1", false, false, true);
pub const AES128_SHA256: Suite =
    suite("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES-128-CBC", "SHA256", false, true, true);
pub const AES256_SHA256: Suite =
    suite("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES-256-CBC", "SHA256", false, true, true);
pub const DES_CBC3_SHA: Suite =
    suite("DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3DES-CBC", "SHA1", true, false, true);
pub const RC4_SHA: Suite =
    suite("RC4-SHA", "TLS_RSA_WITH_RC4_128_SHA", "ARCFOUR-128", "SHA1", true, false, false);
pub const RC4_MD5: Suite =
    suite("RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5", "ARCFOUR-128", "MD5", true, false, false);

pub const ALL_SUITES: [Suite; 7] =
    [AES128_SHA, AES256_SHA, AES128_SHA256, AES256_SHA256, DES_CBC3_SHA, RC4_SHA, RC4_MD5];
/// What this machine's OpenSSL 3.0 can do in TLS (no 3DES, no RC4).
pub const OPENSSL_SUITES: [Suite; 4] = [AES128_SHA, AES256_SHA, AES128_SHA256, AES256_SHA256];

pub const ECDHE_RSA_AES128_GCM: Suite = suite(
    "ECDHE-RSA-AES128-GCM-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "AES-128-GCM",
    "AEAD",
    false,
    true,
    false,
);
pub const ECDHE_RSA_AES256_GCM: Suite = suite(
    "ECDHE-RSA-AES256-GCM-SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "AES-256-GCM",
    "AEAD",
    false,
    true,
    false,
);
pub const ECDHE_RSA_CHACHA20: Suite = suite(
    "ECDHE-RSA-CHACHA20-POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "CHACHA20-POLY1305",
    "AEAD",
    false,
    true,
    false,
);
pub const ECDHE_RSA_AES128_SHA: Suite = suite(
    "ECDHE-RSA-AES128-SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "AES-128-CBC",
    "SHA1",
    false,
    false,
    true,
);
pub const ECDHE_RSA_AES256_SHA: Suite = suite(
    "ECDHE-RSA-AES256-SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "AES-256-CBC",
    "SHA1",
    false,
    false,
    true,
);
pub const ECDHE_RSA_AES128_SHA256: Suite = suite(
    "ECDHE-RSA-AES128-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "AES-128-CBC",
    "SHA256",
    false,
    true,
    true,
);
pub const ECDHE_RSA_AES256_SHA384: Suite = suite(
    "ECDHE-RSA-AES256-SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "AES-256-CBC",
    "SHA384",
    false,
    true,
    true,
);
pub const RSA_AES128_GCM: Suite =
    suite("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES-128-GCM", "AEAD", false, true, false);
pub const RSA_AES256_GCM: Suite =
    suite("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES-256-GCM", "AEAD", false, true, false);

/// The ECDHE-RSA suites (an RSA certificate serves them), and the RSA-key-exchange AEAD suites.
pub const ECDHE_RSA_SUITES: [Suite; 7] = [
    ECDHE_RSA_AES128_GCM,
    ECDHE_RSA_AES256_GCM,
    ECDHE_RSA_CHACHA20,
    ECDHE_RSA_AES128_SHA,
    ECDHE_RSA_AES256_SHA,
    ECDHE_RSA_AES128_SHA256,
    ECDHE_RSA_AES256_SHA384,
];
pub const RSA_GCM_SUITES: [Suite; 2] = [RSA_AES128_GCM, RSA_AES256_GCM];

/// The groups, as OpenSSL and GnuTLS name them.
pub const GROUPS: [(&str, &str); 3] =
    [("X25519", "GROUP-X25519"), ("P-256", "GROUP-SECP256R1"), ("P-384", "GROUP-SECP384R1")];

/// Every (version, suite) pair that exists, from `suites`.
pub fn pairs(suites: &[Suite]) -> Vec<(Version, Suite)> {
    VERSIONS
        .iter()
        .flat_map(|&v| {
            suites.iter().filter(move |s| v == Version::Tls12 || !s.tls12_only).map(move |&s| (v, s))
        })
        .collect()
}

/// Extended master secret and encrypt-then-MAC switches for one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ext {
    pub ems: bool,
    pub etm: bool,
}

pub const EXT_ON: Ext = Ext { ems: true, etm: true };

/// The combinations the matrix runs: (ferrotls side, peer side). Negotiated = both sides on.
pub const EXT_COMBOS: [(Ext, Ext); 4] = [
    (EXT_ON, EXT_ON),
    (Ext { ems: false, etm: false }, EXT_ON),
    (EXT_ON, Ext { ems: false, etm: false }),
    (Ext { ems: false, etm: true }, Ext { ems: true, etm: false }),
];

// ------------------------------------------------------------------------------------------------- OpenSSL
/// OpenSSL 3.0's s_server/s_client have `-no_etm` but no flag for EMS; `Options = -ExtendedMasterSecret`
/// in an OPENSSL_CONF system_default section turns it off.
fn openssl_env(cmd: &mut Command, ext: Ext, tmp: &TempDir) {
    if !ext.ems {
        let conf = tmp.write(
            "openssl-no-ems.cnf",
            b"openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n[ssl_sect]\n\
              system_default = system_default_sect\n[system_default_sect]\nOptions = -ExtendedMasterSecret\n",
        );
        cmd.env("OPENSSL_CONF", conf);
    }
    if !ext.etm {
        cmd.arg("-no_etm");
    }
}

/// `openssl s_server` for exactly one connection: writes what it receives to stdout and sends its stdin.
/// -quiet: no chatter on stdout and no command letters; -naccept 1: exit after the connection;
/// @SECLEVEL=0: TLS 1.0/1.1 are refused at OpenSSL 3's default level.
/// Quirk: in -quiet mode s_server ends the connection when its stdin reaches EOF, so keep stdin open
/// (Peer::feed_stdin) until the client is done.
#[allow(clippy::too_many_arguments)]
pub fn openssl_server(
    port: u16,
    leaf: &Path,
    chain: Option<&Path>,
    key: &Path,
    v: Version,
    s: Suite,
    ext: Ext,
    tmp: &TempDir,
) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1", "-quiet"]);
    c.args(["-cert", path_str(leaf), "-key", path_str(key)]);
    if let Some(chain) = chain {
        c.args(["-cert_chain", path_str(chain)]);
    }
    c.args([v.openssl_flag(), "-cipher", &format!("{}:@SECLEVEL=0", s.openssl)]);
    openssl_env(&mut c, ext, tmp);
    c
}

/// `openssl s_client` that verifies the server, sends its stdin and prints what it receives on stdout.
/// -brief prints "Protocol version:" and "Ciphersuite:" on stderr; -nocommands stops lines starting with
/// R/Q/k from being taken as commands (renegotiate!); -no_ign_eof: stdin EOF sends close_notify and exits,
/// so keep stdin open until the echo has arrived.
pub fn openssl_client(
    port: u16,
    servername: &str,
    ca: &Path,
    v: Version,
    s: Suite,
    ext: Ext,
    tmp: &TempDir,
) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-brief", "-nocommands", "-no_ign_eof"]);
    c.args(["-servername", servername, "-verify_hostname", servername, "-verify_return_error"]);
    c.args(["-CAfile", path_str(ca)]);
    c.args([v.openssl_flag(), "-cipher", &format!("{}:@SECLEVEL=0", s.openssl)]);
    openssl_env(&mut c, ext, tmp);
    c
}

/// `openssl s_server -alpn LIST` for one connection, without -quiet: that is the mode in which it
/// prints "ALPN protocols selected: h2" (its own view of the negotiation) on stdout.
pub fn openssl_alpn_server(port: u16, leaf: &Path, chain: Option<&Path>, key: &Path, alpn: &str) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "1"]);
    c.args(["-cert", path_str(leaf), "-key", path_str(key), "-alpn", alpn]);
    if let Some(chain) = chain {
        c.args(["-cert_chain", path_str(chain)]);
    }
    c
}

/// `openssl s_client -alpn LIST` without -brief, which prints "ALPN protocol: h2" (or "No ALPN
/// negotiated") in its session report on stdout; stdin EOF ends it (-no_ign_eof).
pub fn openssl_alpn_client(port: u16, ca: &Path, alpn: &str) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-nocommands", "-no_ign_eof"]);
    c.args(["-servername", "localhost", "-CAfile", path_str(ca), "-verify_return_error", "-alpn", alpn]);
    c
}

/// Reads ("TLSv1.2", "AES128-SHA") from s_client -brief's stderr.
pub fn openssl_brief(stderr: &str) -> (String, String) {
    let field = |k: &str| {
        stderr.lines().find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_string())).unwrap_or_default()
    };
    (field("Protocol version:"), field("Ciphersuite:"))
}

// -------------------------------------------------------------------------------------------------- GnuTLS
/// A GnuTLS priority string allowing exactly one version and one RSA key-exchange suite.
/// %NO_ETM turns encrypt-then-MAC off, %NO_SESSION_HASH the extended master secret.
pub fn gnutls_priority(v: Version, s: Suite, ext: Ext) -> String {
    let mut p = format!(
        "NORMAL:-VERS-ALL:+{}:-KX-ALL:+RSA:-CIPHER-ALL:+{}:-MAC-ALL:+{}",
        v.gnutls(),
        s.gnutls_cipher,
        s.gnutls_mac
    );
    if !ext.etm {
        p.push_str(":%NO_ETM");
    }
    if !ext.ems {
        p.push_str(":%NO_SESSION_HASH");
    }
    p
}

/// `gnutls-serv --echo` on `port` (it serves until killed; readiness: Peer::wait_port_listening).
/// stdbuf -oL: its per-connection report ("- Description:", "- Options:") reaches the pipe at once.
pub fn gnutls_server(port: u16, chain: &Path, key: &Path, priority: &str) -> Command {
    let mut c = Command::new("stdbuf");
    c.args(["-oL", "gnutls-serv", "--echo", "-p", &port.to_string()]);
    c.arg(format!("--x509certfile={}", path_str(chain)));
    c.arg(format!("--x509keyfile={}", path_str(key)));
    c.arg(format!("--priority={priority}"));
    c
}

/// `gnutls-cli` verifying against `ca` for `servername`, sending stdin; at stdin EOF it sends close_notify
/// and keeps reading until the server closes, so the whole echo arrives on stdout. The session report goes
/// to `logfile` ("- Description: (TLS1.2-X.509)-(RSA)-(AES-128-CBC)-(SHA1)", "- Options: extended master
/// secret, safe renegotiation, EtM,").
pub fn gnutls_client(port: u16, servername: &str, ca: &Path, priority: &str, logfile: &Path) -> Command {
    let mut c = Command::new("gnutls-cli");
    c.args(["-p", &port.to_string(), "127.0.0.1"]);
    c.arg(format!("--sni-hostname={servername}"));
    c.arg(format!("--verify-hostname={servername}"));
    c.arg(format!("--x509cafile={}", path_str(ca)));
    c.arg(format!("--priority={priority}"));
    c.arg(format!("--logfile={}", path_str(logfile)));
    c
}

/// What GnuTLS reported for a session: (description, options).
#[derive(Debug, Default)]
pub struct GnutlsReport {
    pub description: String,
    pub options: String,
}

impl GnutlsReport {
    pub fn parse(text: &str) -> GnutlsReport {
        let field = |k: &str| {
            text.lines().find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_string())).unwrap_or_default()
        };
        GnutlsReport { description: field("- Description:"), options: field("- Options:") }
    }
    pub fn ems(&self) -> bool {
        self.options.contains("extended master secret")
    }
    pub fn etm(&self) -> bool {
        self.options.contains("EtM")
    }
    /// Checks version, suite and the EMS/EtM outcome against what both sides allowed.
    pub fn check(&self, v: Version, s: Suite, ems: bool, etm: bool) {
        let want = format!("({}-X.509)-(RSA)-({})-({})", v.gnutls_name(), s.gnutls_cipher, s.gnutls_mac);
        assert_eq!(self.description, want, "GnuTLS's view of the session");
        assert_eq!(self.ems(), ems, "extended master secret per GnuTLS (options: {:?})", self.options);
        assert_eq!(self.etm(), etm && s.cbc, "encrypt-then-MAC per GnuTLS (options: {:?})", self.options);
    }
}

// ------------------------------------------------------------------------------------ Python ssl, tlslite
/// tests/interop/tls_peer.py on Python's ssl (system python3, OpenSSL underneath) or tlslite-ng (venv).
pub fn py_peer(backend: &str) -> Command {
    let py: PathBuf = if backend == "tlslite" { venv_python() } else { python3() };
    let mut c = Command::new(py);
    c.arg(peer_script()).arg(backend);
    c
}

fn py_opts(c: &mut Command, v: Option<Version>, s: Option<Suite>, ext: Ext) {
    if let Some(v) = v {
        c.args(["--version", v.arg()]);
    }
    if let Some(s) = s {
        c.args(["--cipher", s.openssl]);
    }
    if !ext.ems {
        c.arg("--no-ems");
    }
    if !ext.etm {
        c.arg("--no-etm");
    }
}

/// A one-connection echo server; prints `listening on` and, at the end, one JSON line.
pub fn py_server(
    backend: &str,
    chain: &Path,
    key: &Path,
    v: Option<Version>,
    s: Option<Suite>,
    ext: Ext,
) -> Command {
    let mut c = py_peer(backend);
    c.args(["server", "--cert", path_str(chain), "--key", path_str(key)]);
    py_opts(&mut c, v, s, ext);
    c
}

/// A client that sends `infile`, waits for the echo, closes cleanly and prints one JSON line.
#[allow(clippy::too_many_arguments)]
pub fn py_client(
    backend: &str,
    port: u16,
    servername: &str,
    ca: Option<&Path>,
    infile: &Path,
    outfile: &Path,
    v: Option<Version>,
    s: Option<Suite>,
    ext: Ext,
) -> Command {
    let mut c = py_peer(backend);
    c.args(["client", "--connect", &format!("127.0.0.1:{port}"), "--servername", servername]);
    if let Some(ca) = ca {
        c.args(["--cafile", path_str(ca)]);
    }
    c.args(["--infile", path_str(infile), "--outfile", path_str(outfile)]);
    py_opts(&mut c, v, s, ext);
    c
}

// ------------------------------------------------------------------------------------------------ ferrotls
/// `ferrotls client 127.0.0.1:PORT --servername NAME --cafile CA --json` plus the version/suite/extension
/// flags; `--legacy` is added when the version or the suite needs it.
pub fn ferrotls_client(
    port: u16,
    servername: &str,
    ca: &Path,
    v: Option<Version>,
    s: Option<Suite>,
    ext: Ext,
) -> Command {
    let mut c = Command::new(super::ferrotls_bin());
    c.args([
        "client",
        &format!("127.0.0.1:{port}"),
        "--servername",
        servername,
        "--cafile",
        path_str(ca),
        "--json",
    ]);
    ferrotls_opts(&mut c, v, s, ext);
    c
}

/// `ferrotls server --port 0 --cert CHAIN --key KEY --once` plus flags; prints `listening on ADDR:PORT`.
pub fn ferrotls_server(chain: &Path, key: &Path, v: Option<Version>, s: Option<Suite>, ext: Ext) -> Command {
    let mut c = Command::new(super::ferrotls_bin());
    c.args([
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--cert",
        path_str(chain),
        "--key",
        path_str(key),
        "--once",
    ]);
    ferrotls_opts(&mut c, v, s, ext);
    c
}

fn ferrotls_opts(c: &mut Command, v: Option<Version>, s: Option<Suite>, ext: Ext) {
    if let Some(v) = v {
        c.args(["--min-version", v.arg(), "--max-version", v.arg()]);
    }
    if let Some(s) = s {
        c.args(["--ciphers", s.openssl]);
    }
    if v.is_some_and(|v| v.legacy()) || s.is_some_and(|s| s.legacy) {
        c.arg("--legacy");
    }
    if !ext.ems {
        c.arg("--no-ems");
    }
    if !ext.etm {
        c.arg("--no-etm");
    }
}

/// Splits a PEM chain file into (leaf, rest) files in `tmp`, for peers whose -cert takes one certificate.
pub fn split_chain(chain: &Path, tmp: &TempDir) -> (PathBuf, Option<PathBuf>) {
    let text = std::fs::read_to_string(chain).unwrap();
    let end = "-----END CERTIFICATE-----";
    let certs: Vec<String> = text
        .split_inclusive(end)
        .filter(|c| c.contains("-----BEGIN CERTIFICATE-----"))
        .map(|c| format!("{}\n", c.trim()))
        .collect();
    assert!(!certs.is_empty(), "no certificate in {}", chain.display());
    let leaf = tmp.write("leaf.pem", certs[0].as_bytes());
    let rest = (certs.len() > 1).then(|| tmp.write("intermediates.pem", certs[1..].concat().as_bytes()));
    (leaf, rest)
}

/// `session_reused` of every JSON line a `ferrotls client --reconnect --json` printed, in order.
pub fn session_reused_per_connection(out: &super::Output) -> Vec<bool> {
    out.stdout_str()
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .map(|l| {
            super::json::parse(l).expect("JSON line").get("session_reused").bool().expect("session_reused")
        })
        .collect()
}

/// `openssl s_client` connecting to a ferrotls server on `port`, verifying it, plus `extra`
/// (for example `-reconnect`, `-sess_out FILE`, `-sess_in FILE`). Prints "New, ..." or
/// "Reused, ..." per connection on stdout.
pub fn openssl_client_resuming(port: u16, ca: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost"]);
    c.args(["-CAfile", path_str(ca), "-verify_return_error", "-no_ign_eof"]);
    c.args(extra);
    c
}

/// `ferrotls server --port 0 --json` serving any number of connections (for clients that
/// reconnect); prints `listening on ADDR:PORT` and one JSON line per connection.
pub fn ferrotls_server_serving_many(chain: &Path, key: &Path) -> Command {
    let mut c = Command::new(super::ferrotls_bin());
    c.args(["server", "--host", "127.0.0.1", "--port", "0", "--json"]);
    c.args(["--cert", path_str(chain), "--key", path_str(key)]);
    c
}
