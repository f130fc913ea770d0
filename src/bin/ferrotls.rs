//! The `ferrotls` command: a TLS client and an echo (or `--www`) server over TCP, for trying
//! ferrotls against real peers. See `ferrotls --help`.

use ferrotls::internal::msgs::enums::HandshakeType;
use ferrotls::x509::{CertificateInfo, RootCertStore, WebPkiClientVerifier};
use ferrotls::{
    ClientConfig, ClientConnection, ProtocolVersion, ServerConfig, ServerConnection, ServerName, Stream,
};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage:
  ferrotls client HOST:PORT [--servername NAME] [--cafile PEM] [--cert PEM --key PEM]
           [--min-version 1.0|1.1|1.2|1.3] [--max-version 1.0|1.1|1.2|1.3] [--ciphers LIST]
           [--ciphersuites TLS13-LIST] [--legacy]
           [--groups LIST] [--sigalgs LIST] [--no-ems] [--no-etm] [--no-tickets] [--alpn PROTO,PROTO..] [--dangerous-no-verify] [--send TEXT]
           [--reconnect] [--sess-out FILE] [--sess-in FILE] [--json] [--keymatexport LABEL [--keymatexportlen N]] [--key-update]
  ferrotls server [--host ADDR] --port N --cert PEM --key PEM [--cert PEM --key PEM] [--min-version ..] [--max-version ..]
           [--ciphers LIST] [--ciphersuites TLS13-LIST] [--legacy] [--groups LIST] [--sigalgs LIST] [--no-ems]
           [--no-etm] [--no-tickets] [--alpn PROTO,PROTO..] [--once] [--json]
           [--verify-client CAFILE [--require-client-cert]] [--www]
           [--handshake-timeout SECONDS] [--idle-timeout SECONDS] [--keymatexport LABEL [--keymatexportlen N]]
           [--key-update] [--hrr-cookie]
  ferrotls verify [--cafile PEM] [--untrusted PEM] [--crl PEM|DER] [--hostname NAME | --ip ADDR]
           [--purpose server|client] [--at UNIX_SECONDS] [--verify-depth N] [--legacy] [--json] LEAF.pem
  ferrotls x509 CERT.pem [--json]

Keys are RSA, ECDSA P-256/P-384 or Ed25519 (PKCS#8, PKCS#1 or SEC 1; PEM or DER). A server
takes one --cert/--key pair per key type (e.g. RSA and ECDSA) and serves each client the
certificate its cipher suites and signature algorithms can use.
LIST is an OpenSSL-style list (AES128-SHA:DES-CBC3-SHA) or IANA names.
TLS 1.0/1.1, 3DES and RC4 need --legacy. TLS 1.3 is on by default (versions 1.2 to 1.3; --legacy
from 1.0); --max-version 1.2 stays at TLS 1.2. --ciphersuites sets the TLS 1.3 suites apart from
--ciphers, as OpenSSL's -ciphersuites (TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:
TLS_AES_128_GCM_SHA256 by default; an empty list turns TLS 1.3 off).
--groups X25519:P-256:P-384: the key exchange groups, most preferred first (OpenSSL's names; IANA
names such as x25519, secp256r1 also work; default X25519MLKEM768:X25519:P-256:P-384, a client
sending X25519MLKEM768 and X25519 key shares, the hybrid only at TLS 1.3). --sigalgs RSA-PSS+SHA256:ECDSA+SHA256: the TLS 1.2
signature schemes (OpenSSL's SIG+HASH or IANA names such as rsa_pss_rsae_sha256).
--reconnect: after the first connection closes, connect again offering its session (like
openssl s_client -reconnect) and report whether it was reused (by ticket or session ID);
--send's text goes on both connections and stdin is not read.
--sess-out FILE: save the connection's session (ticket or ID; it holds the master secret, so the
file is created mode 0600); under TLS 1.3, the last ticket the server sent (its resumption PSK);
--sess-in FILE: offer a saved session, after verifying its certificates again for the server
name (like openssl s_client -sess_out/-sess_in); a TLS 1.3 ticket is offered once.
--no-tickets: neither offer (client) nor issue (server) RFC 5077 session tickets; sessions
then resume by session ID only.
server: echoes each connection until the client's close_notify; --www answers one HTTP request
with a small fixed page instead (like openssl s_server -www; under TLS 1.3 `GET /keyupdate`
first sends a KeyUpdate asking the client to update too). --handshake-timeout (default 30,
0 = none) cuts off a client that has not completed the handshake in time; --idle-timeout (default
none) one that sends nothing for that long. Seconds may have a fraction (0.5).
--keymatexport: after the handshake, export N (default 20) bytes of keying material with LABEL
and no context (RFC 5705, as openssl s_client/s_server -keymatexport) and report them in hex.
--hrr-cookie: (server) put a cookie in each TLS 1.3 HelloRetryRequest and refuse a second
ClientHello that does not echo it (RFC 8446 §4.2.2; off by default).
--key-update: TLS 1.3, right after the handshake send a KeyUpdate that asks the peer to update
too (RFC 8446 §4.6.3), then the data. --json reports \"key_updates\" (sent, received) and
\"hello_retry\" (whether the handshake took a HelloRetryRequest).
SSLKEYLOGFILE: when set, client and server append each connection's secrets to that file in
NSS key log format (for Wireshark/tshark); only for debugging: the file decrypts the sessions.
FERROTLS_PROVIDER=aws-lc|rustcrypto chooses the crypto provider (default: aws-lc when built with it).";

/// Parsed command-line options (both subcommands share most of them).
#[derive(Default)]
struct Options {
    positional: Vec<String>,
    servername: Option<String>,
    cafile: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    /// Further `--cert`/`--key` pairs (a server's certificates of other key types).
    more_certs: Vec<String>,
    more_keys: Vec<String>,
    min_version: Option<ProtocolVersion>,
    max_version: Option<ProtocolVersion>,
    ciphers: Option<String>,
    ciphersuites: Option<String>,
    legacy: bool,
    no_ems: bool,
    no_etm: bool,
    /// `--no-tickets`: no RFC 5077 session tickets.
    no_tickets: bool,
    /// `--groups`: ECDHE groups in preference order.
    groups: Option<Vec<ferrotls::enums::NamedGroup>>,
    /// `--sigalgs`: TLS 1.2 signature schemes in preference order.
    sigalgs: Option<Vec<ferrotls::enums::SignatureScheme>>,
    no_verify: bool,
    send: Option<String>,
    json: bool,
    host: Option<String>,
    port: Option<u16>,
    once: bool,
    verify_client: Option<String>,
    require_client_cert: bool,
    /// `--alpn h2,http/1.1`: offered (client) or accepted (server) in this preference order.
    alpn: Vec<Vec<u8>>,
    reconnect: bool,
    /// `--sess-out`: where the client saves its session.
    sess_out: Option<String>,
    /// `--sess-in`: a session the client offers.
    sess_in: Option<String>,
    /// `--www`: answer `GET /` with a fixed page instead of echoing.
    www: bool,
    /// `--handshake-timeout`: `None` until given (the server's default applies); zero means none.
    handshake_timeout: Option<Duration>,
    /// `--idle-timeout`: how long the server waits for the client's next bytes.
    idle_timeout: Option<Duration>,
    /// `--keymatexport LABEL` / `--keymatexportlen N`: RFC 5705 output to report.
    keymatexport: Option<String>,
    keymatexportlen: Option<usize>,
    /// `--key-update`: TLS 1.3, right after the handshake send a KeyUpdate asking the peer to
    /// update too (RFC 8446 §4.6.3), before any application data.
    key_update: bool,
    /// `--hrr-cookie`: the server's HelloRetryRequests carry a cookie.
    hrr_cookie: bool,
}

/// The server's handshake timeout when `--handshake-timeout` is not given: long enough for any
/// real client on a slow network, short enough that a peer that sends nothing (or trickles a byte
/// at a time) cannot hold a thread and a socket for long.
const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

fn parse_seconds(option: &str, s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| format!("{option} needs a number of seconds (like 30 or 0.5)"))
}

fn parse_version(s: &str) -> Result<ProtocolVersion, String> {
    match s {
        "1.0" | "1" | "TLSv1" | "TLSv1.0" => Ok(ProtocolVersion::TLSv1_0),
        "1.1" | "TLSv1.1" => Ok(ProtocolVersion::TLSv1_1),
        "1.2" | "TLSv1.2" => Ok(ProtocolVersion::TLSv1_2),
        "1.3" | "TLSv1.3" => Ok(ProtocolVersion::TLSv1_3),
        other => Err(format!("unsupported version '{other}' (use 1.0, 1.1, 1.2 or 1.3)")),
    }
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--servername" => o.servername = Some(value()?),
            "--cafile" => o.cafile = Some(value()?),
            "--cert" if o.cert.is_some() => o.more_certs.push(value()?),
            "--cert" => o.cert = Some(value()?),
            "--key" if o.key.is_some() => o.more_keys.push(value()?),
            "--key" => o.key = Some(value()?),
            "--min-version" => o.min_version = Some(parse_version(&value()?)?),
            "--max-version" => o.max_version = Some(parse_version(&value()?)?),
            "--ciphers" => o.ciphers = Some(value()?),
            "--ciphersuites" => o.ciphersuites = Some(value()?),
            "--send" => o.send = Some(value()?),
            "--host" => o.host = Some(value()?),
            "--port" => o.port = Some(value()?.parse().map_err(|_| "--port needs a number from 0 to 65535")?),
            "--legacy" => o.legacy = true,
            "--no-ems" => o.no_ems = true,
            "--no-etm" => o.no_etm = true,
            "--no-tickets" => o.no_tickets = true,
            "--groups" => {
                o.groups = Some(
                    ferrotls::config::names::parse_group_list(&value()?)
                        .map_err(|e| format!("--groups: {e}"))?,
                )
            }
            "--sigalgs" => {
                o.sigalgs = Some(
                    ferrotls::config::names::parse_signature_scheme_list(&value()?)
                        .map_err(|e| format!("--sigalgs: {e}"))?,
                )
            }
            "--dangerous-no-verify" => o.no_verify = true,
            "--json" => o.json = true,
            "--once" => o.once = true,
            "--verify-client" => o.verify_client = Some(value()?),
            "--require-client-cert" => o.require_client_cert = true,
            "--alpn" => o.alpn = value()?.split(',').map(|p| p.as_bytes().to_vec()).collect(),
            "--reconnect" => o.reconnect = true,
            "--sess-out" => o.sess_out = Some(value()?),
            "--sess-in" => o.sess_in = Some(value()?),
            "--www" => o.www = true,
            "--handshake-timeout" => o.handshake_timeout = Some(parse_seconds(a, &value()?)?),
            "--idle-timeout" => o.idle_timeout = Some(parse_seconds(a, &value()?)?).filter(|d| !d.is_zero()),
            "--keymatexport" => o.keymatexport = Some(value()?),
            "--key-update" => o.key_update = true,
            "--hrr-cookie" => o.hrr_cookie = true,
            "--keymatexportlen" => {
                o.keymatexportlen =
                    Some(value()?.parse().map_err(|_| "--keymatexportlen needs a number of bytes")?)
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => o.positional.push(a.clone()),
        }
    }
    Ok(o)
}

/// Writes `bytes` to a new file only its owner may read (a session holds its master secret).
fn write_secret_file(path: &str, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    f.write_all(bytes).map_err(|e| format!("cannot write {path}: {e}"))
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// The version range: explicit bounds win; otherwise the profile's defaults fill in.
fn versions(o: &Options) -> Option<(ProtocolVersion, ProtocolVersion)> {
    if o.min_version.is_none() && o.max_version.is_none() {
        return None;
    }
    use ferrotls::config::defaults;
    let lowest = if o.legacy { defaults::LEGACY_MIN_VERSION } else { defaults::MIN_VERSION };
    let max = o.max_version.unwrap_or(defaults::MAX_VERSION);
    let min = o.min_version.unwrap_or(lowest.min(max));
    Some((min, max))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    ferrotls::x509::cert::write_json_string(&mut out, s);
    out
}

fn certificates_json(chain: &[ferrotls::CertificateDer<'static>]) -> String {
    let items: Vec<String> = chain
        .iter()
        .map(|c| match CertificateInfo::from_der(c.as_ref()) {
            Ok(info) => info.to_json(),
            Err(e) => format!("{{\"error\":{}}}", json_string(&e.to_string())),
        })
        .collect();
    format!("[{}]", items.join(","))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // FERROTLS_PROVIDER=rustcrypto|aws-lc chooses the crypto provider, read once, before any
    // configuration is built; unset means the library's default (aws-lc when built with it).
    if let Some(name) = std::env::var_os("FERROTLS_PROVIDER") {
        let name = name.to_string_lossy();
        if let Err(msg) = ferrotls::config::install_default_provider_by_name(&name) {
            eprintln!("ferrotls: error: FERROTLS_PROVIDER: {msg}");
            return ExitCode::FAILURE;
        }
    }
    let result = match args.first().map(String::as_str) {
        Some("client") => parse_options(&args[1..]).and_then(|o| client(&o)),
        Some("server") => parse_options(&args[1..]).and_then(|o| server(&o)),
        Some("verify") => verify_command(&args[1..]),
        Some("x509") => x509_command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("expected a subcommand\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("ferrotls: error: {msg}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// client

/// Applies the flags both sides share (--legacy, versions, --ciphers, --no-ems, --no-etm, --alpn) to a
/// client or server config builder, which have the same policy setters.
macro_rules! apply_policy_flags {
    ($builder:expr, $o:expr) => {{
        let o: &Options = $o;
        let mut b = $builder
            .legacy(o.legacy)
            .extended_master_secret(!o.no_ems)
            .encrypt_then_mac(!o.no_etm)
            .tickets(!o.no_tickets);
        if let Some((min, max)) = versions(o) {
            b = b.versions(min, max);
        }
        if let Some(list) = &o.ciphers {
            b = b.cipher_list(list);
        }
        if let Some(list) = &o.ciphersuites {
            b = b.tls13_ciphersuites(list);
        }
        if let Some(groups) = &o.groups {
            b = b.kx_group_names(groups);
        }
        if let Some(schemes) = &o.sigalgs {
            b = b.signature_schemes(schemes.clone());
        }
        b.alpn_protocols(o.alpn.clone())
    }};
}

/// The key log named by SSLKEYLOGFILE, when set (the library itself never reads it).
fn key_log_from_env() -> Result<Option<Arc<dyn ferrotls::config::KeyLog>>, String> {
    match ferrotls::key_log_file::KeyLogFile::from_env() {
        Ok(Some(log)) => Ok(Some(Arc::new(log))),
        Ok(None) => Ok(None),
        Err(e) => Err(format!(
            "cannot open the key log file SSLKEYLOGFILE={}: {e}",
            std::env::var("SSLKEYLOGFILE").unwrap_or_default()
        )),
    }
}

fn client_config(o: &Options) -> Result<ClientConfig, String> {
    let mut b = apply_policy_flags!(ClientConfig::builder(), o);
    if !o.more_certs.is_empty() || !o.more_keys.is_empty() {
        return Err("a client takes one --cert/--key pair".into());
    }
    if let Some(log) = key_log_from_env()? {
        b = b.key_log(log);
    }
    match (&o.cert, &o.key) {
        (Some(cert), Some(key)) => {
            let (chain, key) = load_identity(cert, key)?;
            b = b.client_auth_cert(chain, key);
        }
        (None, None) => {}
        _ => return Err("--cert and --key go together".into()),
    }
    if o.no_verify {
        b = b.dangerous_no_verification();
    } else {
        // Without --cafile, the system's trust store (SSL_CERT_FILE / SSL_CERT_DIR override it).
        let roots = match &o.cafile {
            Some(path) => {
                let mut roots = RootCertStore::empty();
                let n = roots.add_pem(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
                if n == 0 {
                    return Err(format!("{path}: no CA certificates found"));
                }
                roots
            }
            None => ferrotls::files::system_root_store().map_err(|e| e.to_string())?.0,
        };
        b = b.root_store(roots);
    }
    b.build().map_err(|e| e.to_string())
}

/// Events for the client's single-threaded state machine, from the socket reader and the
/// input reader threads.
enum Event {
    Net(Vec<u8>),
    NetEof,
    NetError(io::Error),
    Input(Vec<u8>),
    InputEof,
}

fn client(o: &Options) -> Result<(), String> {
    let target = o.positional.first().ok_or("client needs HOST:PORT")?;
    let (host, _) = target.rsplit_once(':').ok_or("client needs HOST:PORT")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = o.servername.clone().unwrap_or_else(|| host.to_owned());
    let server_name =
        ServerName::try_from(name.clone()).map_err(|_| format!("invalid server name '{name}'"))?;
    let config = Arc::new(client_config(o)?);
    let conn = match &o.sess_in {
        // The file's first byte tells a TLS 1.2 session (format 1) from a TLS 1.3 ticket (2).
        Some(path) => {
            let bytes = read_file(path)?;
            Resumable::import(&config, &bytes)
                .map_err(|e| format!("{path}: {e}"))?
                .resume(&config, &server_name)
        }
        None => ClientConnection::new(Arc::clone(&config), server_name.clone()),
    }
    .map_err(|e| e.to_string())?;
    let session = client_connection(o, target, conn, !o.reconnect)?;
    if let Some(path) = &o.sess_out {
        let session = session
            .as_ref()
            .ok_or("the server offered no way to resume this session (no session ID, no ticket)")?;
        write_secret_file(path, &session.to_bytes())?;
    }
    if !o.reconnect {
        return Ok(());
    }
    // The second connection offers the first one's session: at TLS 1.2 by its ticket (RFC 5077)
    // or its ID (RFC 5246 §7.3), at TLS 1.3 by a ticket (RFC 8446 §4.2.11; the one saved by
    // --sess-out, offered once, §C.4); without one (the server sent neither) it is a plain new
    // connection, reported as not reused.
    let conn = match session {
        Some(session) => session.resume(&config, &server_name),
        None => ClientConnection::new(config, server_name),
    }
    .map_err(|e| e.to_string())?;
    client_connection(o, target, conn, false)?;
    Ok(())
}

/// A session the client saves (--sess-out), loads (--sess-in) or offers again (--reconnect).
enum Resumable {
    Tls12(ferrotls::Tls12Session),
    Tls13(ferrotls::session::Tls13Session),
}

impl Resumable {
    /// The connection's session: at TLS 1.3 the newest ticket the server sent (read with the
    /// data), at TLS 1.0–1.2 the one the handshake established, when the server let it resume.
    fn of(conn: &ClientConnection) -> Option<Self> {
        match conn.protocol_version() {
            Some(ProtocolVersion::TLSv1_3) => conn.tls13_session().map(Resumable::Tls13),
            _ => conn.session().map(Resumable::Tls12),
        }
    }

    /// From a --sess-out file, verified again by `config`.
    fn import(config: &ClientConfig, bytes: &[u8]) -> Result<Self, ferrotls::Error> {
        match bytes.first() {
            Some(&ferrotls::session::SESSION_FORMAT_TLS13) => {
                config.import_tls13_session(bytes).map(Resumable::Tls13)
            }
            _ => config.import_session(bytes).map(Resumable::Tls12),
        }
    }

    fn to_bytes(&self) -> zeroize::Zeroizing<Vec<u8>> {
        match self {
            Resumable::Tls12(s) => s.to_bytes(),
            Resumable::Tls13(s) => s.to_bytes(),
        }
    }

    /// A new connection offering this session.
    fn resume(
        self,
        config: &Arc<ClientConfig>,
        name: &ServerName<'static>,
    ) -> Result<ClientConnection, ferrotls::Error> {
        match self {
            Resumable::Tls12(s) => ClientConnection::new_resuming(Arc::clone(config), name.clone(), s),
            Resumable::Tls13(s) => ClientConnection::new_resuming_tls13(Arc::clone(config), name.clone(), s),
        }
    }
}

/// Runs one client connection to its end and reports it; returns its resumable session.
/// `stdin`: send standard input (else `--send`'s text or nothing).
fn client_connection(
    o: &Options,
    target: &str,
    mut conn: ClientConnection,
    stdin: bool,
) -> Result<Option<Resumable>, String> {
    let sock = TcpStream::connect(target).map_err(|e| format!("cannot connect to {target}: {e}"))?;
    let _ = sock.set_nodelay(true);

    let (tx, rx) = mpsc::channel();
    let mut reader = sock.try_clone().map_err(|e| e.to_string())?;
    let net_tx = tx.clone();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            let ev = match reader.read(&mut buf) {
                Ok(0) => Event::NetEof,
                Ok(n) => Event::Net(buf[..n].to_vec()),
                Err(e) => Event::NetError(e),
            };
            let stop = !matches!(ev, Event::Net(_));
            if net_tx.send(ev).is_err() || stop {
                return;
            }
        }
    });
    match &o.send {
        Some(text) => {
            tx.send(Event::Input(text.as_bytes().to_vec())).ok();
            tx.send(Event::InputEof).ok();
        }
        None if !stdin => {
            tx.send(Event::InputEof).ok();
        }
        None => {
            std::thread::spawn(move || {
                let mut stdin = io::stdin().lock();
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    match stdin.read(&mut buf) {
                        Ok(0) | Err(_) => {
                            tx.send(Event::InputEof).ok();
                            return;
                        }
                        Ok(n) => {
                            if tx.send(Event::Input(buf[..n].to_vec())).is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    }

    let mut writer = sock;
    let mut received = Vec::new();
    let mut input_queue: Vec<u8> = Vec::new();
    let mut input_done = false;
    let mut stdout = io::stdout().lock();
    let mut handshake_reported = false;
    let mut key_update_sent = false;
    let outcome: Result<(), String> = loop {
        // --key-update: the KeyUpdate goes out before any application data, so that all of it
        // travels under the updated keys.
        if o.key_update && !key_update_sent && !conn.is_handshaking() {
            key_update_sent = true;
            if let Err(e) = conn.send_key_update(true) {
                break Err(format!("cannot send KeyUpdate: {e}"));
            }
        }
        if !conn.is_handshaking() && !handshake_reported {
            handshake_reported = true;
            if !o.json {
                eprintln!(
                    "ferrotls: connected: {} {}{}",
                    conn.protocol_version().map(|v| v.name()).unwrap_or("?"),
                    conn.negotiated_cipher_suite().map(|s| s.iana_name).unwrap_or("?"),
                    alpn_text(conn.alpn_protocol())
                );
                // As openssl s_client prints "New," or "Reused,".
                eprintln!(
                    "ferrotls: {}",
                    if conn.session_resumed() { "session reused" } else { "new session" }
                );
            }
        }
        // Hand queued input to the connection; before the handshake completes it holds up to
        // 64 KiB itself.
        if !input_queue.is_empty() && (!o.key_update || key_update_sent) {
            match conn.write_plaintext(&input_queue) {
                Ok(n) => {
                    input_queue.drain(..n);
                }
                Err(e) => break Err(e.to_string()),
            }
        }
        if input_done
            && input_queue.is_empty()
            && !conn.is_handshaking()
            && (!o.key_update || key_update_sent)
        {
            conn.send_close_notify();
        }
        if conn.wants_write() {
            if let Err(e) = writer.write_all(conn.pending_tls()) {
                break Err(format!("write failed: {e}"));
            }
            let n = conn.pending_tls().len();
            conn.consume_tls(n);
        }
        let mut buf = [0u8; 16 * 1024];
        loop {
            match conn.read_plaintext(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if o.json {
                        received.extend_from_slice(&buf[..n]);
                    } else {
                        let _ = stdout.write_all(&buf[..n]);
                    }
                }
                Err(_) => break,
            }
        }
        if conn.peer_has_closed() {
            break Ok(());
        }
        let ev = match rx.recv() {
            Ok(ev) => ev,
            Err(_) => break Err("internal error: event channel closed".into()),
        };
        match ev {
            Event::Net(bytes) => {
                let mut fed = 0;
                while fed < bytes.len() {
                    fed += conn.feed_tls(&bytes[fed..]);
                    if let Err(e) = conn.process() {
                        let _ = writer.write_all(conn.pending_tls());
                        return Err(describe_failure(&e));
                    }
                }
            }
            Event::NetEof => {
                conn.feed_eof();
                if let Err(e) = conn.process() {
                    break Err(describe_failure(&e));
                }
                let mut probe = [0u8; 1];
                match conn.read_plaintext(&mut probe) {
                    Err(e) => break Err(describe_failure(&e)),
                    Ok(_) => break Err(describe_failure(&ferrotls::Error::Truncated)),
                }
            }
            Event::NetError(e) => break Err(format!("read failed: {e}")),
            Event::Input(bytes) => input_queue.extend_from_slice(&bytes),
            Event::InputEof => input_done = true,
        }
    };
    let _ = stdout.flush();
    let _ = writer.shutdown(Shutdown::Both);
    outcome?;
    let km = keying_material(o.keymatexport.as_deref(), o.keymatexportlen, &conn);
    if let Some(Err(e)) = &km {
        return Err(format!("cannot export keying material: {e}"));
    }
    if let (Some(Ok(hex)), false) = (&km, o.json) {
        eprintln!("ferrotls: keying material: {hex}");
    }
    if o.json {
        println!(
            "{{\"version\":{},\"cipher\":{},\"alpn\":{},\"extended_master_secret\":{},\"encrypt_then_mac\":{},\"session_reused\":{},\"peer_certificates\":{},\"verified\":{},\"client_certificate_sent\":{},\"group\":{},\"signature_scheme\":{},\"keying_material\":{},\"hello_retry\":{},\"key_updates\":{},\"received\":{}}}",
            json_string(conn.protocol_version().map(|v| v.name()).unwrap_or("")),
            json_string(conn.negotiated_cipher_suite().map(|s| s.iana_name).unwrap_or("")),
            alpn_json(conn.alpn_protocol()),
            conn.extended_master_secret(),
            conn.encrypt_then_mac(),
            conn.session_resumed(),
            certificates_json(conn.peer_certificates()),
            !o.no_verify,
            conn.client_certificate_sent(),
            group_json(conn.negotiated_group()),
            scheme_json(conn.peer_signature_scheme()),
            keying_material_json(&km),
            hello_retry(&conn, HandshakeType::ServerHello),
            key_updates_json(&conn),
            json_string(&String::from_utf8_lossy(&received)),
        );
    }
    Ok(Resumable::of(&conn))
}

/// `--keymatexport`: the exported keying material in upper-case hex (as openssl prints it), or
/// the reason it could not be exported.
fn keying_material(
    label: Option<&str>,
    len: Option<usize>,
    conn: &ferrotls::ConnectionCommon,
) -> Option<Result<String, String>> {
    let label = label?;
    let len = len.unwrap_or(DEFAULT_KEYMATEXPORT_LEN);
    Some(
        conn.export_keying_material(label.as_bytes(), None, len)
            .map(|km| km.iter().map(|b| format!("{b:02X}")).collect())
            .map_err(|e| e.to_string()),
    )
}

/// `--keymatexport`'s result as a JSON value: the hex string, or null when not asked for.
fn keying_material_json(km: &Option<Result<String, String>>) -> String {
    match km {
        Some(Ok(hex)) => json_string(hex),
        _ => "null".into(),
    }
}

/// The ECDHE group as OpenSSL names it (`X25519`, `P-256`), or null (RSA key exchange).
/// TLS 1.3: whether a HelloRetryRequest happened, i.e. the hello of `kind` (ServerHello on a
/// client, whose HelloRetryRequest is a ServerHello; ClientHello on a server) came twice.
fn hello_retry(conn: &ferrotls::ConnectionCommon, kind: HandshakeType) -> bool {
    conn.received_handshake_types().iter().filter(|t| **t == kind).count() > 1
}

/// TLS 1.3 KeyUpdates as `{"sent":N,"received":M}`.
fn key_updates_json(conn: &ferrotls::ConnectionCommon) -> String {
    let (sent, received) = conn.key_updates();
    format!("{{\"sent\":{sent},\"received\":{received}}}")
}

fn group_json(g: Option<ferrotls::enums::NamedGroup>) -> String {
    g.map(|g| json_string(g.openssl_name())).unwrap_or_else(|| "null".into())
}

/// The ServerKeyExchange signature scheme by its IANA name, or null (none signed, or TLS 1.0/1.1).
fn scheme_json(s: Option<ferrotls::enums::SignatureScheme>) -> String {
    s.map(|s| json_string(s.name())).unwrap_or_else(|| "null".into())
}

/// OpenSSL's default for `-keymatexportlen`.
const DEFAULT_KEYMATEXPORT_LEN: usize = 20;

/// ` ALPN h2` for the human-readable line, nothing when no protocol was agreed.
fn alpn_text(p: Option<&[u8]>) -> String {
    p.map(|p| format!(" ALPN {}", p.escape_ascii())).unwrap_or_default()
}

/// The agreed protocol as a JSON string (names are bytes; non-UTF-8 is shown lossily), or null.
fn alpn_json(p: Option<&[u8]>) -> String {
    p.map(|p| json_string(&String::from_utf8_lossy(p))).unwrap_or_else(|| "null".into())
}

fn describe_failure(e: &ferrotls::Error) -> String {
    match e.alert() {
        Some(a) => format!("{e} (sent alert {})", a.name()),
        None => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// server

/// A certificate chain and its key from PEM or DER files.
fn load_identity(
    cert_path: &str,
    key_path: &str,
) -> Result<(Vec<ferrotls::CertificateDer<'static>>, ferrotls::PrivateKeyDer<'static>), String> {
    let chain = ferrotls::x509::certs_from_pem_or_der(&read_file(cert_path)?)
        .map_err(|e| format!("{cert_path}: {e}"))?;
    let key = ferrotls::x509::private_key_from_pem_or_der(&read_file(key_path)?)
        .map_err(|e| format!("{key_path}: {e}"))?;
    Ok((chain, key))
}

fn server_config(o: &Options) -> Result<ServerConfig, String> {
    let cert_path = o.cert.as_ref().ok_or("server needs --cert")?;
    let key_path = o.key.as_ref().ok_or("server needs --key")?;
    let (chain, key) = load_identity(cert_path, key_path)?;
    let mut b = apply_policy_flags!(ServerConfig::builder(), o);
    if let Some(log) = key_log_from_env()? {
        b = b.key_log(log);
    }
    // Mutual authentication: --verify-client asks for a certificate and verifies it when sent;
    // --require-client-cert refuses clients without one.
    match (&o.verify_client, o.require_client_cert) {
        (Some(cafile), required) => {
            let mut roots = RootCertStore::empty();
            roots.add_pem(&read_file(cafile)?).map_err(|e| format!("{cafile}: {e}"))?;
            let provider = ferrotls::config::default_provider();
            let roots = Arc::new(roots);
            let verifier = match o.legacy {
                true => WebPkiClientVerifier::new_legacy(roots, provider),
                false => WebPkiClientVerifier::new(roots, provider),
            };
            let verifier = if required { verifier } else { verifier.optional() };
            b = b.client_verifier(Arc::new(verifier));
        }
        (None, true) => return Err("--require-client-cert needs --verify-client CAFILE".into()),
        (None, false) => {}
    }
    if o.more_certs.len() != o.more_keys.len() {
        return Err("each --cert needs its --key (in the same order)".into());
    }
    b = b.single_cert(chain, key).hello_retry_cookie(o.hrr_cookie);
    for (cert_path, key_path) in o.more_certs.iter().zip(&o.more_keys) {
        let (chain, key) = load_identity(cert_path, key_path)?;
        b = b.add_cert(chain, key);
    }
    b.build().map_err(|e| e.to_string())
}

/// How each connection is served (from the options, shared by every connection thread).
#[derive(Clone)]
struct ServeMode {
    json: bool,
    www: bool,
    handshake_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    /// `--keymatexport` label and length.
    keymatexport: Option<(String, Option<usize>)>,
    key_update: bool,
}

fn server(o: &Options) -> Result<(), String> {
    let config = Arc::new(server_config(o)?);
    let host = o.host.clone().unwrap_or_else(|| "127.0.0.1".into());
    let port = o.port.ok_or("server needs --port")?;
    let mode = ServeMode {
        json: o.json,
        www: o.www,
        handshake_timeout: o.handshake_timeout.or(Some(DEFAULT_HANDSHAKE_TIMEOUT)).filter(|d| !d.is_zero()),
        idle_timeout: o.idle_timeout,
        keymatexport: o.keymatexport.clone().map(|label| (label, o.keymatexportlen)),
        key_update: o.key_update,
    };
    let listener = TcpListener::bind((host.as_str(), port))
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {addr}");
    let _ = io::stdout().flush();
    for sock in listener.incoming() {
        let sock = match sock {
            Ok(s) => s,
            Err(e) => {
                eprintln!("ferrotls: accept failed: {e}");
                continue;
            }
        };
        let config = Arc::clone(&config);
        if o.once {
            return serve_one(config, sock, mode.clone());
        }
        let mode = mode.clone();
        std::thread::spawn(move || {
            if let Err(e) = serve_one(config, sock, mode) {
                eprintln!("ferrotls: error: {e}");
            }
        });
    }
    Ok(())
}

/// A socket whose reads and writes give up at the handshake deadline or after the idle timeout,
/// whichever comes first. The clock lives here, outside the sans-IO core: the core only ever sees
/// the `TimedOut` error that ends the connection.
struct TimedSocket {
    sock: TcpStream,
    /// When the handshake must be complete by; `None` once it is (or with no handshake timeout).
    deadline: Option<Instant>,
    handshake_timeout: Option<Duration>,
    idle: Option<Duration>,
}

impl TimedSocket {
    /// How long the next read or write may block; an error once the deadline has passed.
    fn limit(&self) -> io::Result<Option<Duration>> {
        let until_deadline = match self.deadline {
            Some(d) => match d.checked_duration_since(Instant::now()).filter(|left| !left.is_zero()) {
                Some(left) => Some(left),
                None => return Err(self.timed_out(true)),
            },
            None => None,
        };
        Ok(match (until_deadline, self.idle) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// The error for a timeout, naming which one expired.
    fn timed_out(&self, deadline_passed: bool) -> io::Error {
        // A read timeout set to the time left may fire a hair before the deadline.
        let near_deadline = self.deadline.is_some_and(|d| Instant::now() + Duration::from_millis(20) >= d);
        let text = match (self.handshake_timeout, self.idle) {
            (Some(t), idle)
                if self.deadline.is_some() && (deadline_passed || near_deadline || idle.is_none()) =>
            {
                format!("handshake not completed within {} s (--handshake-timeout)", t.as_secs_f64())
            }
            (_, Some(t)) => format!("nothing received for {} s (--idle-timeout)", t.as_secs_f64()),
            _ => "timed out".to_owned(),
        };
        io::Error::new(io::ErrorKind::TimedOut, text)
    }

    /// Runs a blocking socket call under the current limit; a timeout becomes `TimedOut` with
    /// the reason.
    fn limited<R>(&mut self, call: impl FnOnce(&mut TcpStream) -> io::Result<R>) -> io::Result<R> {
        let limit = self.limit()?;
        self.sock.set_read_timeout(limit)?;
        self.sock.set_write_timeout(limit)?;
        match call(&mut self.sock) {
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                Err(self.timed_out(false))
            }
            other => other,
        }
    }
}

impl Read for TimedSocket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.limited(|s| s.read(buf))
    }
}

impl Write for TimedSocket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.limited(|s| s.write(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.sock.flush()
    }
}

/// What `--www` sends back for a request (like `openssl s_server -www`): a small fixed page with
/// what was negotiated, then close_notify.
fn www_response(conn: &ServerConnection, request: &[u8]) -> Vec<u8> {
    if !request.starts_with(b"GET ") {
        let body = "ferrotls server: only GET is served\r\n";
        return format!(
            "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
    }
    let body = format!(
        "<html><body><pre>\r\nferrotls server\r\nProtocol: {}\r\nCipher: {}\r\n</pre></body></html>\r\n",
        conn.protocol_version().map(|v| v.name()).unwrap_or("?"),
        conn.negotiated_cipher_suite().map(|s| s.iana_name).unwrap_or("?"),
    );
    format!("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .into_bytes()
}

/// The longest request header `--www` reads before answering anyway.
const WWW_MAX_REQUEST: usize = 16 * 1024;
/// How long `--www` waits for the client's close_notify after sending its own.
const WWW_LINGER: Duration = Duration::from_secs(5);
/// How long a server that ended a connection with an error still reads (and drops) what the
/// client sends, so that its alert is not lost to a reset.
const ALERT_LINGER: Duration = Duration::from_secs(2);

/// Serves one connection: echoes until the client's close_notify and answers with ours, or with
/// `--www` answers one request. Handshake and idle timeouts end it with an error.
fn serve_one(config: Arc<ServerConfig>, sock: TcpStream, mode: ServeMode) -> Result<(), String> {
    let peer = sock.peer_addr().map(|a| a.to_string()).unwrap_or_default();
    let _ = sock.set_nodelay(true);
    let conn = ServerConnection::new(config).map_err(|e| e.to_string())?;
    let sock = TimedSocket {
        sock,
        deadline: mode.handshake_timeout.map(|t| Instant::now() + t),
        handshake_timeout: mode.handshake_timeout,
        idle: mode.idle_timeout,
    };
    let mut stream = Stream::new(conn, sock);
    let mut echoed = 0usize;
    let mut km = None;
    let result = (|| -> io::Result<()> {
        stream.complete_handshake()?;
        stream.sock.deadline = None;
        if mode.key_update {
            // Before any application data, so the echo travels under the updated keys.
            stream.conn.send_key_update(true).map_err(ferrotls::stream::io_error)?;
            stream.flush_tls()?;
        }
        if let Some((label, len)) = &mode.keymatexport {
            km = keying_material(Some(label), *len, &stream.conn);
            match &km {
                Some(Ok(hex)) if !mode.json => eprintln!("ferrotls: keying material: {hex}"),
                Some(Err(e)) => return Err(io::Error::other(format!("cannot export keying material: {e}"))),
                _ => {}
            }
        }
        let mut buf = vec![0u8; 16 * 1024];
        if mode.www {
            // Read the request header (until an empty line), answer, close (RFC 5246 §7.2.1).
            let mut request = Vec::new();
            while !(request.windows(4).any(|w| w == b"\r\n\r\n") || request.windows(2).any(|w| w == b"\n\n"))
                && request.len() < WWW_MAX_REQUEST
            {
                let n = stream.read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                request.extend_from_slice(&buf[..n]);
            }
            // `GET /keyupdate` under TLS 1.3 first sends a KeyUpdate asking the client to update
            // too (RFC 8446 §4.6.3), as tlsfuzzer's test-tls13-keyupdate-from-server expects.
            if request.starts_with(b"GET /keyupdate ")
                && stream.conn.protocol_version() == Some(ProtocolVersion::TLSv1_3)
            {
                stream.conn.send_key_update(true).map_err(io::Error::other)?;
            }
            let response = www_response(&stream.conn, &request);
            stream.write_all(&response)?;
            echoed = response.len();
            stream.send_close_notify()?;
            // Wait a little for the client's close_notify, so that closing the socket cannot
            // reset the connection before the client has read ours; EOF without it is fine here.
            stream.sock.idle = Some(stream.sock.idle.map_or(WWW_LINGER, |t| t.min(WWW_LINGER)));
            while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
            return Ok(());
        }
        loop {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            stream.write_all(&buf[..n])?;
            echoed += n;
        }
        stream.send_close_notify()
    })();
    let conn = &stream.conn;
    if mode.json {
        println!(
            "{{\"peer\":{},\"version\":{},\"cipher\":{},\"alpn\":{},\"server_name\":{},\"extended_master_secret\":{},\"encrypt_then_mac\":{},\"session_reused\":{},\"client_certificates\":{},\"group\":{},\"signature_scheme\":{},\"keying_material\":{},\"hello_retry\":{},\"key_updates\":{},\"echoed_bytes\":{},\"error\":{}}}",
            json_string(&peer),
            json_string(conn.protocol_version().map(|v| v.name()).unwrap_or("")),
            json_string(conn.negotiated_cipher_suite().map(|s| s.iana_name).unwrap_or("")),
            alpn_json(conn.alpn_protocol()),
            conn.server_name().map(json_string).unwrap_or_else(|| "null".into()),
            conn.extended_master_secret(),
            conn.encrypt_then_mac(),
            conn.session_resumed(),
            certificates_json(conn.peer_certificates()),
            group_json(conn.negotiated_group()),
            scheme_json(conn.signature_scheme()),
            keying_material_json(&km),
            hello_retry(conn, HandshakeType::ClientHello),
            key_updates_json(conn),
            echoed,
            match &result {
                Ok(()) => "null".into(),
                Err(e) => json_string(&e.to_string()),
            }
        );
        let _ = io::stdout().flush();
    }
    if result.is_err() {
        // After a fatal alert, close only our side and read what the client still sends for
        // a moment: closing a socket with unread bytes resets the connection (RFC 1122
        // §4.2.2.13), and the client may lose the alert before it reads it.
        let _ = stream.sock.sock.shutdown(Shutdown::Write);
        let until = Instant::now() + ALERT_LINGER;
        let mut sink = [0u8; 4096];
        while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
            let _ = stream.sock.sock.set_read_timeout(Some(left));
            if !matches!(io::Read::read(&mut stream.sock.sock, &mut sink), Ok(n) if n > 0) {
                break;
            }
        }
    }
    let _ = stream.sock.sock.shutdown(Shutdown::Both);
    result.map_err(|e| format!("connection from {peer}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// verify and x509: certificate tools on top of x509 and files

/// `ferrotls verify`: exit 0 and `OK` when the chain verifies; otherwise the reason and the
/// depth of the failing certificate, exit 1 (as `openssl verify` reports them).
fn verify_command(args: &[String]) -> Result<(), String> {
    use ferrotls::files;
    let default_provider = ferrotls::config::default_provider();
    use ferrotls::x509::{UnixTime, WebPkiClientVerifier, WebPkiServerVerifier};

    let (mut cafile, mut untrusted, mut crls, mut hostname, mut ip) =
        (None, Vec::new(), Vec::new(), None, None);
    let (mut purpose, mut at, mut depth, mut legacy, mut json, mut leaf) =
        (String::from("server"), None, None, false, false, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--cafile" => cafile = Some(value()?),
            "--untrusted" => untrusted.push(value()?),
            "--crl" => crls.push(value()?),
            "--hostname" => hostname = Some(value()?),
            "--ip" => ip = Some(value()?),
            "--purpose" => purpose = value()?,
            "--at" => at = Some(value()?.parse::<u64>().map_err(|_| "--at needs unix seconds")?),
            "--verify-depth" => {
                depth = Some(value()?.parse::<usize>().map_err(|_| "--verify-depth needs a number")?)
            }
            "--legacy" => legacy = true,
            "--json" => json = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ if leaf.is_none() => leaf = Some(a.clone()),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let leaf = leaf.ok_or("verify needs a certificate file")?;
    if hostname.is_some() && ip.is_some() {
        return Err("give --hostname or --ip, not both".into());
    }
    let roots = match &cafile {
        Some(path) => files::root_store_from_file(path).map_err(|e| e.to_string())?,
        None => files::system_root_store().map_err(|e| e.to_string())?.0,
    };
    let roots = Arc::new(roots);
    // The leaf file may carry its chain after the leaf, as a server's chain file does.
    let mut chain = files::certs_from_file(&leaf).map_err(|e| e.to_string())?;
    let end_entity = chain.remove(0);
    for path in &untrusted {
        chain.extend(files::certs_from_file(path).map_err(|e| e.to_string())?);
    }
    let mut crl_ders = Vec::new();
    for path in &crls {
        crl_ders.extend(files::crls_from_file(path).map_err(|e| e.to_string())?);
    }
    let now = match at {
        Some(secs) => UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs)),
        None => UnixTime::now(),
    };
    let result = match purpose.as_str() {
        "server" => {
            let name = match (&hostname, &ip) {
                (Some(h), _) => h.clone(),
                (None, Some(ip)) => {
                    ip.parse::<std::net::IpAddr>().map_err(|_| format!("bad --ip {ip}"))?.to_string()
                }
                // Without a name, check the chain and the serverAuth purpose only.
                (None, None) => String::new(),
            };
            let mut verifier = if legacy {
                WebPkiServerVerifier::new_legacy(roots, default_provider)
            } else {
                WebPkiServerVerifier::new(roots, default_provider)
            };
            verifier = verifier.with_crls(&crl_ders).map_err(|e| format!("bad CRL: {e}"))?;
            if let Some(d) = depth {
                verifier = verifier.with_max_depth(d);
            }
            if name.is_empty() {
                // Any name passes the name check: accept a mismatch at depth 0 only.
                let verifier = verifier.with_verify_callback(|element| {
                    element.error.is_none_or(|e| matches!(e, ferrotls::CertificateError::NotValidForName(_)))
                });
                let any = ServerName::try_from("name.invalid").map_err(|e| e.to_string())?;
                verifier.verify_server_chain(&end_entity, &chain, &any, now)
            } else {
                let name = ServerName::try_from(name.as_str()).map_err(|e| format!("bad host name: {e}"))?;
                verifier.verify_server_chain(&end_entity, &chain, &name, now)
            }
        }
        "client" => {
            if hostname.is_some() || ip.is_some() {
                return Err("--hostname/--ip apply to --purpose server".into());
            }
            let mut verifier = if legacy {
                WebPkiClientVerifier::new_legacy(roots, default_provider)
            } else {
                WebPkiClientVerifier::new(roots, default_provider)
            };
            verifier = verifier.with_crls(&crl_ders).map_err(|e| format!("bad CRL: {e}"))?;
            if let Some(d) = depth {
                verifier = verifier.with_max_depth(d);
            }
            verifier.verify_client_chain(&end_entity, &chain, now)
        }
        other => return Err(format!("unknown purpose '{other}' (use server or client)")),
    };
    match result {
        Ok(verified) => {
            if json {
                println!("{{\"valid\":true,\"chain\":{}}}", certificates_json(&verified));
            } else {
                println!("OK");
            }
            Ok(())
        }
        Err(failure) => {
            if json {
                println!(
                    "{{\"valid\":false,\"error\":{},\"depth\":{}}}",
                    json_string(&failure.error.to_string()),
                    failure.depth
                );
            }
            Err(format!("verification failed at depth {}: {}", failure.depth, failure.error))
        }
    }
}

/// `ferrotls x509`: every inspection field of a certificate, one `name: value` line each (or
/// one JSON object).
fn x509_command(args: &[String]) -> Result<(), String> {
    let default_provider = ferrotls::config::default_provider();
    let json = args.iter().any(|a| a == "--json");
    if let Some(bad) = args.iter().find(|a| a.starts_with("--") && *a != "--json") {
        return Err(format!("unknown option {bad}"));
    }
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [path] = paths.as_slice() else {
        return Err("x509 needs exactly one certificate file".into());
    };
    let certs = ferrotls::files::certs_from_file(path.as_str()).map_err(|e| e.to_string())?;
    let info = CertificateInfo::from_der(certs[0].as_ref()).map_err(|e| e.to_string())?;
    if json {
        println!("{}", info.to_json_with_fingerprint(default_provider));
        return Ok(());
    }
    let list = |items: Vec<String>| if items.is_empty() { "none".to_owned() } else { items.join(", ") };
    println!("version: {}", info.version());
    println!("serial: {}", info.serial());
    println!("subject: {}", info.subject());
    println!("subject_oneline: {}", info.subject_oneline());
    println!("issuer: {}", info.issuer());
    println!("issuer_oneline: {}", info.issuer_oneline());
    println!("not_before: {}", info.not_before_display());
    println!("not_after: {}", info.not_after_display());
    println!("signature_algorithm: {}", info.signature_algorithm());
    println!("public_key_algorithm: {}", info.public_key_algorithm());
    println!(
        "public_key_bits: {}",
        info.public_key_bits().map_or_else(|| "unknown".into(), |b| b.to_string())
    );
    println!(
        "subject_alt_names: {}",
        list(info.subject_alt_names().iter().map(ToString::to_string).collect())
    );
    println!("key_usage: {}", list(info.key_usage().iter().map(ToString::to_string).collect()));
    println!("extended_key_usage: {}", list(info.extended_key_usage().to_vec()));
    println!(
        "basic_constraints: {}",
        match info.basic_constraints() {
            None => "none".to_owned(),
            Some(bc) => match (bc.ca, bc.path_len) {
                (true, Some(n)) => format!("CA:TRUE, pathlen:{n}"),
                (true, None) => "CA:TRUE".to_owned(),
                (false, _) => "CA:FALSE".to_owned(),
            },
        }
    );
    println!("sha256_fingerprint: {}", info.sha256_fingerprint(default_provider).unwrap_or_default());
    println!("der_length: {}", info.der().len());
    Ok(())
}
