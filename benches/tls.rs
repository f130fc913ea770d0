//! `make bench`: ferrotls and the system OpenSSL side by side, in one process, over memory.
//!
//! Client and server run in this thread; bytes move between them without sockets (ferrotls:
//! `pending_tls` → `feed_tls`; OpenSSL: a BIO pair). Both use the same RSA-2048 certificate chain
//! (tests/fixtures), suite and version; each measurement alternates the two implementations in
//! rounds so machine drift affects both alike. Prints a table (median, spread = half the range
//! across rounds, ratio ferrotls/OpenSSL) and writes every figure to build/bench.json.
//!
//! Both built-in crypto providers run in the same pass: the table's `ferrotls` column is the
//! default provider (aws-lc when built with it), the next column the other one (RustCrypto), and
//! the ratio is the default provider's. Rows that need a feature ferrotls does not have yet
//! (ECDHE, TLS 1.3, tickets) are listed as "not yet", never left out.
//!
//! `BENCH_QUICK=1`: a few rounds of everything, to prove the harness works (seconds, not minutes).
//! `BENCH_ROWS=text`: only the rows whose name contains `text`. `BENCH_ROUNDS=n`: n rounds.
//! `BENCH_BULK_ONLY=1`: only the bulk figures of each row (for work on the record path).
//! `BENCH_RESUMED_ONLY=1`: only the resumed-handshake figures of each row (for work on resumption).
//!
//! Time is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other load on the machine
//! does not count against either library (it still shares caches).
//!
//! Memory: one counter of live heap bytes, fed by this binary's global allocator (every Rust
//! allocation, so all of ferrotls) and by OpenSSL's allocator hooks (`CRYPTO_set_mem_functions`,
//! set before OpenSSL allocates anything). "Idle connection" is the heap freed by dropping an
//! established connection with nothing buffered; "peak" is the highest live heap above the
//! starting point while a client and a server handshake.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_char, c_int, c_void};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use ferrotls::crypto::{CryptoProvider, Tls12CipherSuite};
use ferrotls::enums::NamedGroup;
use ferrotls::x509::{certs_from_pem, private_key_from_pem, RootCertStore};
use ferrotls::{ClientConfig, ClientConnection, ProtocolVersion, ServerConfig, ServerConnection, ServerName};
use foreign_types::ForeignType;
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslFiletype, SslMethod, SslOptions, SslSession, SslSessionCacheMode,
    SslVerifyMode, SslVersion,
};
use openssl_sys as ffi;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const CA: &[u8] = include_bytes!("../tests/fixtures/ca.pem");
const SERVER_CHAIN: &[u8] = include_bytes!("../tests/fixtures/server-chain.pem");
const SERVER_KEY: &[u8] = include_bytes!("../tests/fixtures/server.key");
const ECDSA_CA: &[u8] = include_bytes!("../tests/fixtures/ecdsa-p256-ca.pem");
const ECDSA_LEAF: &[u8] = include_bytes!("../tests/fixtures/ecdsa-p256-leaf.pem");
const ECDSA_KEY: &[u8] = include_bytes!("../tests/fixtures/ecdsa-p256-leaf.key");

// ---------------------------------------------------------------------------------------------
// Heap accounting
// ---------------------------------------------------------------------------------------------

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn add_live(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

fn sub_live(n: usize) {
    LIVE.fetch_sub(n, Relaxed);
}

/// The system allocator, counting live bytes.
struct Counting;

// SAFETY: forwards every call to `System` unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add_live(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add_live(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        sub_live(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            sub_live(layout.size());
            add_live(new_size);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

extern "C" {
    fn malloc(n: usize) -> *mut c_void;
    fn realloc(p: *mut c_void, n: usize) -> *mut c_void;
    fn free(p: *mut c_void);
    fn CRYPTO_set_mem_functions(
        m: Option<unsafe extern "C" fn(usize, *const c_char, c_int) -> *mut c_void>,
        r: Option<unsafe extern "C" fn(*mut c_void, usize, *const c_char, c_int) -> *mut c_void>,
        f: Option<unsafe extern "C" fn(*mut c_void, *const c_char, c_int)>,
    ) -> c_int;
    fn BIO_new_bio_pair(b1: *mut *mut ffi::BIO, w1: usize, b2: *mut *mut ffi::BIO, w2: usize) -> c_int;
    fn BIO_up_ref(b: *mut ffi::BIO) -> c_int;
    fn BIO_free(b: *mut ffi::BIO) -> c_int;
}

/// OpenSSL allocations carry their size in a 16-byte prefix (keeps malloc's alignment).
const PREFIX: usize = 16;

unsafe extern "C" fn ossl_malloc(n: usize, _: *const c_char, _: c_int) -> *mut c_void {
    // SAFETY: plain malloc; the prefix is inside the block we allocate.
    unsafe {
        let p = malloc(n + PREFIX) as *mut usize;
        if p.is_null() {
            return core::ptr::null_mut();
        }
        *p = n;
        add_live(n);
        (p as *mut u8).add(PREFIX) as *mut c_void
    }
}

unsafe extern "C" fn ossl_realloc(
    ptr: *mut c_void,
    n: usize,
    file: *const c_char,
    line: c_int,
) -> *mut c_void {
    if ptr.is_null() {
        // SAFETY: as for malloc.
        return unsafe { ossl_malloc(n, file, line) };
    }
    // SAFETY: `ptr` came from ossl_malloc/ossl_realloc, so a size prefix precedes it.
    unsafe {
        let base = (ptr as *mut u8).sub(PREFIX) as *mut usize;
        let old = *base;
        let p = realloc(base as *mut c_void, n + PREFIX) as *mut usize;
        if p.is_null() {
            return core::ptr::null_mut();
        }
        *p = n;
        sub_live(old);
        add_live(n);
        (p as *mut u8).add(PREFIX) as *mut c_void
    }
}

unsafe extern "C" fn ossl_free(ptr: *mut c_void, _: *const c_char, _: c_int) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: `ptr` came from ossl_malloc/ossl_realloc.
    unsafe {
        let base = (ptr as *mut u8).sub(PREFIX) as *mut usize;
        sub_live(*base);
        free(base as *mut c_void);
    }
}

/// Must run before any other OpenSSL call (OpenSSL refuses once it has allocated).
fn hook_openssl_allocator() {
    // SAFETY: the three functions match OpenSSL's CRYPTO_*_fn signatures.
    let ok = unsafe { CRYPTO_set_mem_functions(Some(ossl_malloc), Some(ossl_realloc), Some(ossl_free)) };
    assert_eq!(ok, 1, "CRYPTO_set_mem_functions must be called before OpenSSL allocates");
}

fn live() -> usize {
    LIVE.load(Relaxed)
}

fn reset_peak() -> usize {
    let now = live();
    PEAK.store(now, Relaxed);
    now
}

// ---------------------------------------------------------------------------------------------
// Time: this thread's CPU time, not wall time. The bench shares its cores with whatever else
// runs; CPU time leaves out the time it was not scheduled (caches are still shared).
// ---------------------------------------------------------------------------------------------

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
}

const CLOCK_THREAD_CPUTIME_ID: c_int = 3;

#[derive(Clone, Copy)]
struct CpuTime(Duration);

impl CpuTime {
    fn now() -> Self {
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: writes one timespec we own.
        let r = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        assert_eq!(r, 0, "clock_gettime");
        Self(Duration::new(ts.sec as u64, ts.nsec as u32))
    }
    fn elapsed(&self) -> Duration {
        Self::now().0 - self.0
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics and output
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Stat {
    median: f64,
    min: f64,
    max: f64,
}

impl Stat {
    fn of(v: &[f64]) -> Self {
        let mut s = v.to_vec();
        s.sort_by(|a, b| a.total_cmp(b));
        let n = s.len();
        let median = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 };
        Self { median, min: s[0], max: s[n - 1] }
    }
    /// Half the range across rounds, as a percentage of the median.
    fn spread_pct(&self) -> f64 {
        if self.median == 0.0 {
            0.0
        } else {
            (self.max - self.min) / 2.0 / self.median * 100.0
        }
    }
}

/// One line of the table: a metric measured for ferrotls and (where it exists) OpenSSL.
struct Line {
    group: String,
    metric: &'static str,
    unit: &'static str,
    /// The default provider.
    ferrotls: Cell,
    /// The other built-in provider (RustCrypto when the default is aws-lc).
    alt: Cell,
    openssl: Cell,
}

enum Cell {
    Stat(Stat),
    /// A figure without rounds (a derived share or ratio), shown as is.
    Text(String),
    NotApplicable,
    NotYet,
}

impl Cell {
    fn show(&self) -> String {
        match self {
            Cell::Stat(s) if s.median >= 100.0 => format!("{:.0} ±{:.0}%", s.median, s.spread_pct()),
            Cell::Stat(s) => format!("{:.2} ±{:.0}%", s.median, s.spread_pct()),
            Cell::Text(t) => t.clone(),
            Cell::NotApplicable => "n/a".into(),
            Cell::NotYet => "not yet".into(),
        }
    }
    fn median(&self) -> Option<f64> {
        match self {
            Cell::Stat(s) => Some(s.median),
            _ => None,
        }
    }
    fn json(&self) -> String {
        match self {
            Cell::Stat(s) => {
                format!(r#"{{"median": {}, "min": {}, "max": {}}}"#, num(s.median), num(s.min), num(s.max))
            }
            Cell::Text(t) => format!("{t:?}"),
            Cell::NotApplicable => r#""n/a""#.into(),
            Cell::NotYet => r#""not yet""#.into(),
        }
    }
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        "null".into()
    }
}

#[derive(Default)]
struct Report {
    lines: Vec<Line>,
}

impl Report {
    fn push(&mut self, group: &str, metric: &'static str, unit: &'static str, f: Cell, o: Cell) {
        self.push3(group, metric, unit, f, Cell::NotApplicable, o);
    }

    fn push3(&mut self, group: &str, metric: &'static str, unit: &'static str, f: Cell, alt: Cell, o: Cell) {
        self.lines.push(Line { group: group.into(), metric, unit, ferrotls: f, alt, openssl: o });
    }

    fn table(&self) -> String {
        let mut out = String::new();
        let (d, a) = (provider_label(0), provider_label(1));
        let _ = writeln!(
            out,
            "{:<40} {:<30} {:>16} {:>16} {:>16} {:>6}",
            "row", "metric", d, a, "OpenSSL", "f/O"
        );
        let mut last = String::new();
        for l in &self.lines {
            let group = if l.group == last { String::new() } else { l.group.clone() };
            last = l.group.clone();
            let ratio = match (l.ferrotls.median(), l.openssl.median()) {
                (Some(f), Some(o)) if o != 0.0 => format!("{:.2}", f / o),
                _ => String::new(),
            };
            let metric =
                if l.unit.is_empty() { l.metric.to_string() } else { format!("{} ({})", l.metric, l.unit) };
            let _ = writeln!(
                out,
                "{:<40} {:<30} {:>16} {:>16} {:>16} {:>6}",
                group,
                metric,
                l.ferrotls.show(),
                l.alt.show(),
                l.openssl.show(),
                ratio
            );
        }
        out
    }

    fn json(&self, machine: &str, quick: bool, seconds: f64) -> String {
        let mut out = String::from("{\n");
        let _ = writeln!(out, "  \"machine\": {machine},");
        let _ = writeln!(out, "  \"quick\": {quick},");
        let _ = writeln!(out, "  \"seconds\": {seconds:.1},");
        let _ = writeln!(out, "  \"provider\": {:?},", PROVIDERS[0].0);
        let _ = writeln!(
            out,
            "  \"providers\": [{}],",
            PROVIDERS.iter().map(|p| format!("{:?}", p.0)).collect::<Vec<_>>().join(", ")
        );
        out.push_str("  \"rows\": [\n");
        for (i, l) in self.lines.iter().enumerate() {
            let ratio = match (l.ferrotls.median(), l.openssl.median()) {
                (Some(f), Some(o)) if o != 0.0 => num(f / o),
                _ => "null".into(),
            };
            let _ = write!(
                out,
                "    {{\"row\": {:?}, \"metric\": {:?}, \"unit\": {:?}, \"ferrotls\": {}, \"openssl\": {}, \"ratio\": {}, \"by_provider\": {{{:?}: {}, {:?}: {}}}}}",
                l.group,
                l.metric,
                l.unit,
                l.ferrotls.json(),
                l.openssl.json(),
                ratio,
                PROVIDERS[0].0,
                l.ferrotls.json(),
                PROVIDERS.get(1).map_or("none", |p| p.0),
                l.alt.json(),
            );
            out.push_str(if i + 1 < self.lines.len() { ",\n" } else { "\n" });
        }
        out.push_str("  ]\n}\n");
        out
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name").map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let flags = cpuinfo.lines().find(|l| l.starts_with("flags")).unwrap_or("");
    let has = |f: &str| flags.split_whitespace().any(|x| x == f);
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let ossl = openssl::version::version();
    // ferrotls' OpenSSL-compatible exports would shadow libssl in this binary; the bench must be
    // built without the openssl-compat feature (make bench does), or it compares ferrotls with itself.
    assert!(!ossl.contains("ferrotls"), "the bench is linked against ferrotls' OpenSSL layer: {ossl}");
    format!(
        r#"{{"nproc": {nproc}, "cpu": {model:?}, "aes_ni": {}, "sha_ni": {}, "vaes": {}, "openssl": {ossl:?}}}"#,
        has("aes"),
        has("sha_ni"),
        has("vaes")
    )
}

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

/// Every built-in provider (the default first) with every TLS 1.2 suite the rows name that it
/// implements added to its table (some are implemented but not in the default tables), by name.
static PROVIDERS: std::sync::LazyLock<Vec<(&'static str, &'static CryptoProvider)>> =
    std::sync::LazyLock::new(|| {
        ferrotls::config::BUILT_IN_PROVIDERS
            .iter()
            .map(|(name, base)| {
                let mut suites: Vec<&'static Tls12CipherSuite> = base.cipher_suites.to_vec();
                for row in ROWS.iter().filter(|r| r.ver != Ver::Tls13) {
                    if let Some(s) = find_suite(name, row.suite) {
                        if !suites.iter().any(|t| t.suite == s.suite) {
                            suites.push(s);
                        }
                    }
                }
                let p = CryptoProvider { cipher_suites: Box::leak(suites.into_boxed_slice()), ..**base };
                (*name, &*Box::leak(Box::new(p)))
            })
            .collect()
    });

/// The suite called `name` among all that `provider` implements.
fn find_suite(provider: &str, name: &str) -> Option<&'static Tls12CipherSuite> {
    #[cfg(feature = "aws-lc")]
    if provider == "aws-lc" {
        return ferrotls::crypto::aws_lc::find_suite(name);
    }
    let _ = provider;
    use ferrotls::crypto::rustcrypto as r;
    // RustCrypto's `find_suite` looks in its default table, which lacks the RSA-kx AES-GCM suites.
    let more: &[&'static Tls12CipherSuite] =
        &[&r::TLS_RSA_WITH_AES_128_GCM_SHA256, &r::TLS_RSA_WITH_AES_256_GCM_SHA384];
    r::find_suite(name).or_else(|| more.iter().copied().find(|s| s.is_named(name)))
}

fn provider_label(i: usize) -> String {
    PROVIDERS.get(i).map_or_else(|| "-".into(), |p| format!("ferrotls-{}", p.0))
}

// ---------------------------------------------------------------------------------------------
// What is measured
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ver {
    Tls10,
    Tls12,
    Tls13,
}

/// The server's certificate: the RSA-2048 chain or the ECDSA P-256 one (tests/fixtures).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cert {
    Rsa,
    Ecdsa,
}

#[derive(Clone, Copy)]
struct Row {
    name: &'static str,
    ver: Ver,
    /// OpenSSL name, also accepted by ferrotls's cipher_list (TLS 1.3: the IANA name, for
    /// `tls13_ciphersuites` / `-ciphersuites`).
    suite: &'static str,
    etm: bool,
    legacy: bool,
    /// The (EC)DHE group used (`None`: the library's default list).
    group: Option<NamedGroup>,
    /// A second group both sides list after `group`, never chosen while `group` is common: the
    /// TLS 1.2 ECDHE-ECDSA X25519 row offers P-256 too, because OpenSSL serves a P-256
    /// certificate only to a client that lists P-256 (RFC 8422 §5.1).
    also_offer: Option<NamedGroup>,
    cert: Cert,
    /// Bulk bytes are divided by this (3DES runs at a few MB/s).
    bulk_div: usize,
}

const fn rsa_row(name: &'static str, tls12: bool, suite: &'static str, etm: bool, legacy: bool) -> Row {
    let ver = if tls12 { Ver::Tls12 } else { Ver::Tls10 };
    Row { name, ver, suite, etm, legacy, group: None, also_offer: None, cert: Cert::Rsa, bulk_div: 1 }
}

const fn ecdhe_row(name: &'static str, ver: Ver, suite: &'static str, group: NamedGroup, cert: Cert) -> Row {
    Row {
        name,
        ver,
        suite,
        etm: false,
        legacy: false,
        group: Some(group),
        also_offer: None,
        cert,
        bulk_div: 1,
    }
}

const X25519: NamedGroup = NamedGroup::X25519;
const P256: NamedGroup = NamedGroup::Secp256r1;

const ROWS: &[Row] = &[
    rsa_row("TLS1.2 AES128-SHA EtM", true, "AES128-SHA", true, false),
    rsa_row("TLS1.2 AES128-SHA MtE", true, "AES128-SHA", false, false),
    rsa_row("TLS1.2 AES128-GCM-SHA256", true, "AES128-GCM-SHA256", false, false),
    rsa_row("TLS1.2 AES256-GCM-SHA384", true, "AES256-GCM-SHA384", false, false),
    ecdhe_row(
        "TLS1.2 ECDHE-RSA-AES128-GCM-SHA256 X25519",
        Ver::Tls12,
        "ECDHE-RSA-AES128-GCM-SHA256",
        X25519,
        Cert::Rsa,
    ),
    ecdhe_row(
        "TLS1.2 ECDHE-RSA-AES128-GCM-SHA256 P-256",
        Ver::Tls12,
        "ECDHE-RSA-AES128-GCM-SHA256",
        P256,
        Cert::Rsa,
    ),
    Row {
        also_offer: Some(P256),
        ..ecdhe_row(
            "TLS1.2 ECDHE-ECDSA-AES128-GCM-SHA256 X25519",
            Ver::Tls12,
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            X25519,
            Cert::Ecdsa,
        )
    },
    ecdhe_row(
        "TLS1.2 ECDHE-ECDSA-AES128-GCM-SHA256 P-256",
        Ver::Tls12,
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        P256,
        Cert::Ecdsa,
    ),
    ecdhe_row(
        "TLS1.2 ECDHE-RSA-AES256-GCM-SHA384 X25519",
        Ver::Tls12,
        "ECDHE-RSA-AES256-GCM-SHA384",
        X25519,
        Cert::Rsa,
    ),
    ecdhe_row(
        "TLS1.2 ECDHE-RSA-CHACHA20-POLY1305 X25519",
        Ver::Tls12,
        "ECDHE-RSA-CHACHA20-POLY1305",
        X25519,
        Cert::Rsa,
    ),
    ecdhe_row("TLS1.3 AES-128-GCM X25519 RSA", Ver::Tls13, "TLS_AES_128_GCM_SHA256", X25519, Cert::Rsa),
    ecdhe_row("TLS1.3 AES-128-GCM X25519 ECDSA", Ver::Tls13, "TLS_AES_128_GCM_SHA256", X25519, Cert::Ecdsa),
    ecdhe_row("TLS1.3 AES-128-GCM P-256 ECDSA", Ver::Tls13, "TLS_AES_128_GCM_SHA256", P256, Cert::Ecdsa),
    ecdhe_row("TLS1.3 AES-256-GCM X25519 RSA", Ver::Tls13, "TLS_AES_256_GCM_SHA384", X25519, Cert::Rsa),
    ecdhe_row(
        "TLS1.3 CHACHA20-POLY1305 X25519 RSA",
        Ver::Tls13,
        "TLS_CHACHA20_POLY1305_SHA256",
        X25519,
        Cert::Rsa,
    ),
    rsa_row("TLS1.2 AES256-SHA256 EtM", true, "AES256-SHA256", true, false),
    rsa_row("TLS1.0 AES128-SHA EtM", false, "AES128-SHA", true, true),
    Row { bulk_div: 16, ..rsa_row("TLS1.2 DES-CBC3-SHA EtM", true, "DES-CBC3-SHA", true, true) },
    rsa_row("TLS1.2 RC4-SHA", true, "RC4-SHA", false, true),
];

/// How an abbreviated handshake finds its session.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Resume {
    /// TLS 1.2 session ID against the server's session cache, no tickets (RFC 5246 §7.3).
    SessionId,
    /// TLS 1.2 ticket (RFC 5077), no server session cache.
    Ticket,
    /// TLS 1.3 PSK from a NewSessionTicket (RFC 8446 §2.2), stateless tickets.
    Psk13,
}

impl Resume {
    fn unit(self) -> &'static str {
        match self {
            Resume::SessionId => "session ID",
            Resume::Ticket => "ticket",
            Resume::Psk13 => "TLS 1.3 PSK",
        }
    }

    fn kinds(ver: Ver) -> &'static [Resume] {
        match ver {
            Ver::Tls13 => &[Resume::Psk13],
            _ => &[Resume::SessionId, Resume::Ticket],
        }
    }
}

#[derive(Clone, Copy)]
struct Params {
    rounds: usize,
    handshakes: usize,
    bulk_16k: usize,
    bulk_1k: usize,
    rsa_ops: usize,
    prim_bytes: usize,
    scale_conns: usize,
    /// `BENCH_BULK_ONLY=1`: only the bulk rows (iterating on the record path).
    bulk_only: bool,
    /// `BENCH_RESUMED_ONLY=1`: only the resumed-handshake rows (iterating on resumption).
    resumed_only: bool,
}

const FULL: Params = Params {
    rounds: 7,
    handshakes: 40,
    bulk_16k: 48 << 20,
    bulk_1k: 12 << 20,
    rsa_ops: 60,
    prim_bytes: 32 << 20,
    scale_conns: 1000,
    bulk_only: false,
    resumed_only: false,
};
const QUICK: Params = Params {
    rounds: 2,
    handshakes: 3,
    bulk_16k: 1 << 20,
    bulk_1k: 256 << 10,
    rsa_ops: 4,
    prim_bytes: 1 << 20,
    scale_conns: 20,
    bulk_only: false,
    resumed_only: false,
};

/// Per-round figures for one implementation on one row.
#[derive(Default)]
struct Samples {
    hs_per_s: Vec<f64>,
    server_hs: Vec<f64>,
    client_hs: Vec<f64>,
    /// Per resumption kind, in `Resume::kinds` order; NaN in a round where it did not resume.
    resumed: [Vec<f64>; 2],
    server_us: Vec<f64>,
    client_us: Vec<f64>,
    bulk_16k: Vec<f64>,
    bulk_1k: Vec<f64>,
    idle_server: Vec<f64>,
    idle_client: Vec<f64>,
    peak: Vec<f64>,
}

/// Resumed handshakes per round, as a multiple of `Params::handshakes` (they are 10–100× cheaper):
/// 2,000 in a full round, ~25 ms of ferrotls' TLS 1.2 resumptions. At 400 (factor 10) a round
/// was ~5 ms, and rows doing identical work differed by ±30% with the machine's noise.
const RESUME_FACTOR: usize = 50;

/// A side's accumulated time during handshakes, when `on` (`SideTimes::measured`). Off by
/// default: reading the thread's CPU clock is a system call here (~1 µs, and two per call
/// timed, ~10 calls per handshake), which in the resumed loops was half the time measured, for
/// either library; only the full-handshake rounds report per-side figures.
#[derive(Default)]
struct SideTimes {
    on: bool,
    client: Duration,
    server: Duration,
}

impl SideTimes {
    fn measured() -> Self {
        Self { on: true, ..Self::default() }
    }
}

/// Runs `f`, adding its CPU time to `side` (of `t`) when `t` is on.
fn timed<T>(t: &mut SideTimes, server: bool, f: impl FnOnce() -> T) -> T {
    if !t.on {
        return f();
    }
    let start = CpuTime::now();
    let r = f();
    let acc = if server { &mut t.server } else { &mut t.client };
    *acc += start.elapsed();
    r
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

// ---------------------------------------------------------------------------------------------
// ferrotls
// ---------------------------------------------------------------------------------------------

/// A server and a client configuration that work together.
type FerroPair = (Arc<ServerConfig>, Arc<ClientConfig>);

struct Ferro {
    /// Full handshakes: no session cache, no tickets on either side (OpenSSL likewise), so
    /// every handshake is a full one.
    full: FerroPair,
    /// Per resumption kind (`Resume::kinds` order): the configurations that resume that way.
    resume: Vec<FerroPair>,
    kinds: &'static [Resume],
}

impl Ferro {
    /// `Err(why)` when ferrotls cannot run the row (a suite, group or version it lacks).
    fn new(row: &Row, provider: &'static CryptoProvider) -> Result<Self, String> {
        let v = match row.ver {
            Ver::Tls10 => ProtocolVersion::TLSv1_0,
            Ver::Tls12 => ProtocolVersion::TLSv1_2,
            Ver::Tls13 => ProtocolVersion::TLSv1_3,
        };
        let (chain, key, ca) = match row.cert {
            Cert::Rsa => (SERVER_CHAIN, SERVER_KEY, CA),
            Cert::Ecdsa => (ECDSA_LEAF, ECDSA_KEY, ECDSA_CA),
        };
        // `client_store`: the client keeps the sessions it gets (TLS 1.3 tickets are taken from
        // the configuration's store, one per handshake, RFC 8446 §4.6.1 and C.4).
        let build = |cache: bool, tickets: bool, client_store: bool| -> Result<FerroPair, ferrotls::Error> {
            let mut sb = ServerConfig::builder_with_provider(*provider).legacy(row.legacy).versions(v, v);
            let mut cb = ClientConfig::builder_with_provider(*provider).legacy(row.legacy).versions(v, v);
            if row.ver == Ver::Tls13 {
                sb = sb.tls13_ciphersuites(row.suite);
                cb = cb.tls13_ciphersuites(row.suite);
            } else {
                sb = sb.cipher_list(row.suite);
                cb = cb.cipher_list(row.suite);
            }
            if let Some(g) = row.group {
                let groups: Vec<NamedGroup> = std::iter::once(g).chain(row.also_offer).collect();
                sb = sb.kx_group_names(&groups);
                cb = cb.kx_group_names(&groups);
            }
            let server = sb
                .encrypt_then_mac(row.etm)
                .session_cache(if cache { 1024 } else { 0 })
                .tickets(tickets)
                .single_cert(certs_from_pem(chain).expect("chain"), private_key_from_pem(key).expect("key"))
                .build()?;
            let mut roots = RootCertStore::empty();
            roots.add_pem(ca).expect("CA");
            // TLS 1.2: the client keeps no sessions by itself; resumption offers the session
            // explicitly. TLS 1.3: from its store.
            let client = cb
                .encrypt_then_mac(row.etm)
                .session_cache(if client_store { 32 } else { 0 })
                .tickets(tickets)
                .root_store(roots)
                .build()?;
            Ok((Arc::new(server), Arc::new(client)))
        };
        let err = |e: ferrotls::Error| e.to_string();
        let full = build(false, false, false).map_err(err)?;
        let resume = Resume::kinds(row.ver)
            .iter()
            .map(|k| match k {
                Resume::SessionId => build(true, false, false),
                Resume::Ticket => build(false, true, false),
                Resume::Psk13 => build(false, true, true),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        let me = Self { full, resume, kinds: Resume::kinds(row.ver) };
        // A configuration may build and still not connect (e.g. a version not implemented).
        let (c, _s) =
            me.try_handshake(&me.full, &mut SideTimes::default(), None).map_err(|e| e.to_string())?;
        // The row's name says the group: a row offering two must still use the first.
        assert!(row.group.is_none() || c.negotiated_group() == row.group, "{}: another group", row.name);
        Ok(me)
    }

    fn handshake(&self, t: &mut SideTimes) -> (ClientConnection, ServerConnection) {
        self.try_handshake(&self.full, t, None).expect("ferrotls handshake")
    }

    /// A handshake with `configs`, offering `session` when given.
    fn try_handshake(
        &self,
        configs: &FerroPair,
        t: &mut SideTimes,
        session: Option<&ferrotls::Tls12Session>,
    ) -> Result<(ClientConnection, ServerConnection), ferrotls::Error> {
        let name = ServerName::try_from("localhost").unwrap();
        let mut c = timed(t, false, || match session {
            Some(s) => ClientConnection::new_resuming(configs.1.clone(), name, s.clone()),
            None => ClientConnection::new(configs.1.clone(), name),
        })?;
        let mut s = timed(t, true, || ServerConnection::new(configs.0.clone()))?;
        for _ in 0..20 {
            let a = timed(t, true, || pump(&mut c, &mut s))?;
            let b = timed(t, false, || pump(&mut s, &mut c))?;
            if a == 0 && b == 0 && !c.is_handshaking() && !s.is_handshaking() {
                return Ok((c, s));
            }
        }
        Err(ferrotls::Error::Config("the handshake did not finish in 20 flights".into()))
    }

    /// Resumed handshakes per second of kind `i` (`Resume::kinds` order), or NaN when ferrotls
    /// does not resume that way (every handshake is checked; none is timed as resumed unless
    /// it resumed).
    fn resumed(&self, i: usize, n: usize) -> f64 {
        let configs = &self.resume[i];
        let (c, _s) =
            self.try_handshake(configs, &mut SideTimes::default(), None).expect("ferrotls handshake");
        // TLS 1.3: the client's store holds the tickets of the last handshake and offers one;
        // TLS 1.2: the session is offered explicitly.
        let session = match self.kinds[i] {
            Resume::Psk13 => None,
            _ => match c.session() {
                Some(s) => Some(s),
                None => return f64::NAN,
            },
        };
        let start = CpuTime::now();
        for _ in 0..n {
            let (c, _s) = self
                .try_handshake(configs, &mut SideTimes::default(), session.as_ref())
                .expect("ferrotls resumption");
            if !c.session_resumed() {
                return f64::NAN;
            }
        }
        n as f64 / start.elapsed().as_secs_f64()
    }

    fn bulk(
        &self,
        c: &mut ClientConnection,
        s: &mut ServerConnection,
        chunk: usize,
        total: usize,
    ) -> Duration {
        let data = vec![0x5au8; chunk];
        let mut sink = vec![0u8; 1 << 16];
        let t = CpuTime::now();
        let mut sent = 0;
        while sent < total {
            c.write_plaintext(&data).unwrap();
            pump(c, s).expect("ferrotls process");
            while s.read_plaintext(&mut sink).unwrap() > 0 {}
            sent += chunk;
        }
        t.elapsed()
    }
}

/// Moves everything `from` has queued into `to` and processes it; returns bytes moved.
fn pump(
    from: &mut ferrotls::ConnectionCommon,
    to: &mut ferrotls::ConnectionCommon,
) -> Result<usize, ferrotls::Error> {
    let mut moved = 0;
    loop {
        let pending = from.pending_tls();
        if pending.is_empty() {
            return Ok(moved);
        }
        let n = to.feed_tls(pending);
        from.consume_tls(n);
        moved += n;
        to.process()?;
    }
}

// ---------------------------------------------------------------------------------------------
// OpenSSL
// ---------------------------------------------------------------------------------------------

/// A server and a client context.
type OsslCtxs = (SslContext, SslContext);

struct Ossl {
    /// Full handshakes: tickets and the session cache off on both sides.
    full: OsslCtxs,
    /// Per resumption kind (`Resume::kinds` order): session ID (server cache on, no tickets),
    /// ticket or TLS 1.3 PSK (tickets on, server cache off).
    resume: Vec<OsslCtxs>,
    ver: Ver,
}

/// An OpenSSL client and server joined by a BIO pair. Each SSL holds one reference to its BIO
/// and we hold another, so dropping an SSL frees only what the connection owns.
struct OsslPair {
    c: Option<Ssl>,
    s: Option<Ssl>,
    c_bio: *mut ffi::BIO,
    s_bio: *mut ffi::BIO,
    /// Heap taken by the BIO pair (the transport, like a socket's buffers): not the
    /// connections' memory, so subtracted from the handshake peak.
    transport_bytes: usize,
}

impl Drop for OsslPair {
    fn drop(&mut self) {
        // OpenSSL removes a session from the server's cache when its SSL is freed without a
        // shutdown (`SSL_free` → `ssl_clear_bad_session`): mark both as cleanly shut down, as
        // after a close_notify, or no session-ID resumption ever succeeds here.
        for ssl in [&self.c, &self.s].into_iter().flatten() {
            // SAFETY: a live SSL; the call only sets the shutdown flags.
            unsafe {
                ffi::SSL_set_shutdown(ssl.as_ptr(), ffi::SSL_SENT_SHUTDOWN | ffi::SSL_RECEIVED_SHUTDOWN)
            };
        }
        self.c = None;
        self.s = None;
        // SAFETY: we hold one reference to each BIO.
        unsafe {
            BIO_free(self.c_bio);
            BIO_free(self.s_bio);
        }
    }
}

impl OsslPair {
    fn c(&self) -> *mut ffi::SSL {
        self.c.as_ref().unwrap().as_ptr()
    }
    fn s(&self) -> *mut ffi::SSL {
        self.s.as_ref().unwrap().as_ptr()
    }
}

fn ossl_version(row: &Row) -> SslVersion {
    match row.ver {
        Ver::Tls10 => SslVersion::TLS1,
        Ver::Tls12 => SslVersion::TLS1_2,
        Ver::Tls13 => SslVersion::TLS1_3,
    }
}

/// OpenSSL 3.0 allows TLS 1.0 (and weak suites) only at security level 0.
fn ossl_cipher_list(row: &Row) -> String {
    if row.legacy {
        format!("{}:@SECLEVEL=0", row.suite)
    } else {
        row.suite.to_string()
    }
}

fn ossl_common(
    b: &mut SslContextBuilder,
    row: &Row,
    cache: SslSessionCacheMode,
    tickets: bool,
) -> Result<(), openssl::error::ErrorStack> {
    b.set_min_proto_version(Some(ossl_version(row)))?;
    b.set_max_proto_version(Some(ossl_version(row)))?;
    if row.ver == Ver::Tls13 {
        b.set_ciphersuites(row.suite)?;
    } else {
        b.set_cipher_list(&ossl_cipher_list(row))?;
    }
    if let Some(g) = row.group {
        match row.also_offer {
            Some(also) => b.set_groups_list(&format!("{}:{}", g.openssl_name(), also.openssl_name()))?,
            None => b.set_groups_list(g.openssl_name())?,
        }
    }
    let mut opts = SslOptions::empty();
    if !tickets {
        opts |= SslOptions::NO_TICKET;
    }
    if !row.etm {
        opts |= SslOptions::from_bits_retain(1 << 19); // SSL_OP_NO_ENCRYPT_THEN_MAC
    }
    b.set_options(opts);
    b.set_session_cache_mode(cache);
    Ok(())
}

impl Ossl {
    fn new(row: &Row) -> Option<Self> {
        let (chain, key, ca) = match row.cert {
            Cert::Rsa => ("server-chain.pem", "server.key", "ca.pem"),
            Cert::Ecdsa => ("ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key", "ecdsa-p256-ca.pem"),
        };
        let build = |cache: bool, tickets: bool| -> Result<OsslCtxs, openssl::error::ErrorStack> {
            let mut s = SslContextBuilder::new(SslMethod::tls())?;
            let mode = if cache { SslSessionCacheMode::SERVER } else { SslSessionCacheMode::OFF };
            ossl_common(&mut s, row, mode, tickets)?;
            s.set_certificate_chain_file(format!("{FIXTURES}/{chain}"))?;
            s.set_private_key_file(format!("{FIXTURES}/{key}"), SslFiletype::PEM)?;
            let mut c = SslContextBuilder::new(SslMethod::tls())?;
            ossl_common(&mut c, row, SslSessionCacheMode::OFF, tickets)?;
            c.set_ca_file(format!("{FIXTURES}/{ca}"))?;
            c.set_verify(SslVerifyMode::PEER);
            Ok((s.build(), c.build()))
        };
        let full = build(false, false).ok()?;
        let resume = Resume::kinds(row.ver)
            .iter()
            .map(|k| match k {
                Resume::SessionId => build(true, false),
                Resume::Ticket | Resume::Psk13 => build(false, true),
            })
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        let me = Self { full, resume, ver: row.ver };
        // A suite OpenSSL knows by name may still be unusable (no provider): try once.
        let mut t = SideTimes::default();
        let p = me.try_handshake(&me.full, &mut t, None)?;
        if let Some(g) = row.group {
            // SSL_get_negotiated_group (a macro over SSL_ctrl in OpenSSL 3.0) gives a NID.
            const SSL_CTRL_GET_NEGOTIATED_GROUP: c_int = 134;
            // SAFETY: a live SSL; this control reads one integer.
            let nid =
                unsafe { ffi::SSL_ctrl(p.c(), SSL_CTRL_GET_NEGOTIATED_GROUP, 0, core::ptr::null_mut()) };
            let want = match g {
                X25519 => ffi::NID_X25519,
                P256 => ffi::NID_X9_62_prime256v1,
                _ => nid as c_int,
            };
            assert_eq!(nid as c_int, want, "{}: OpenSSL used another group", row.name);
        }
        drop(p);
        Some(me)
    }

    /// A handshake with `ctxs`, offering `session` when given.
    fn try_handshake(
        &self,
        ctxs: &OsslCtxs,
        t: &mut SideTimes,
        session: Option<&SslSession>,
    ) -> Option<OsslPair> {
        let pair = timed(t, false, || {
            let mut c = Ssl::new(&ctxs.1).unwrap();
            c.set_hostname("localhost").unwrap();
            c.param_mut().set_host("localhost").unwrap();
            if let Some(sess) = session {
                // SAFETY: the session comes from a context with the same settings.
                unsafe { c.set_session(sess).unwrap() };
            }
            c.set_connect_state();
            c
        });
        let s = timed(t, true, || {
            let mut s = Ssl::new(&ctxs.0).unwrap();
            s.set_accept_state();
            s
        });
        let (mut c_bio, mut s_bio) = (core::ptr::null_mut(), core::ptr::null_mut());
        let before = live();
        // SAFETY: plain OpenSSL calls on objects we own; each SSL takes one BIO reference and
        // we keep one (see OsslPair).
        unsafe {
            assert_eq!(BIO_new_bio_pair(&mut c_bio, 64 << 10, &mut s_bio, 64 << 10), 1);
            BIO_up_ref(c_bio);
            BIO_up_ref(s_bio);
            ffi::SSL_set_bio(pair.as_ptr(), c_bio, c_bio);
            ffi::SSL_set_bio(s.as_ptr(), s_bio, s_bio);
        }
        let transport_bytes = live() - before;
        let p = OsslPair { c: Some(pair), s: Some(s), c_bio, s_bio, transport_bytes };
        for _ in 0..20 {
            // SAFETY: live SSL objects.
            unsafe {
                timed(t, false, || ffi::SSL_do_handshake(p.c()));
                timed(t, true, || ffi::SSL_do_handshake(p.s()));
                let done = |ssl| ffi::SSL_is_init_finished(ssl) == 1;
                if done(p.c()) && done(p.s()) {
                    if self.ver == Ver::Tls13 {
                        // TLS 1.3: the server's NewSessionTickets follow its handshake; the
                        // client reads them (as ferrotls' client does in its last `process`).
                        let mut b = [0u8; 1];
                        timed(t, false, || ffi::SSL_read(p.c(), b.as_mut_ptr() as *mut c_void, 1));
                    }
                    return Some(p);
                }
            }
        }
        // SAFETY: plain call.
        unsafe { ffi::ERR_clear_error() };
        None
    }

    fn handshake(&self, t: &mut SideTimes) -> OsslPair {
        self.try_handshake(&self.full, t, None).expect("OpenSSL handshake")
    }

    /// Resumed handshakes per second of kind `i`, or NaN when a handshake did not resume.
    fn resumed(&self, i: usize, n: usize) -> f64 {
        let ctxs = &self.resume[i];
        let first = self.try_handshake(ctxs, &mut SideTimes::default(), None).expect("OpenSSL handshake");
        let session = first.c.as_ref().unwrap().session().expect("session").to_owned();
        drop(first);
        let start = CpuTime::now();
        for _ in 0..n {
            let pair =
                self.try_handshake(ctxs, &mut SideTimes::default(), Some(&session)).expect("resumption");
            // SAFETY: a live SSL.
            if unsafe { ffi::SSL_session_reused(pair.c()) } != 1 {
                return f64::NAN;
            }
        }
        n as f64 / start.elapsed().as_secs_f64()
    }

    fn bulk(&self, p: &OsslPair, chunk: usize, total: usize) -> Duration {
        let data = vec![0x5au8; chunk];
        let mut sink = vec![0u8; 1 << 16];
        let t = CpuTime::now();
        let mut sent = 0;
        while sent < total {
            // SAFETY: live SSL objects and buffers of the stated lengths.
            unsafe {
                let n = ffi::SSL_write(p.c(), data.as_ptr() as *const c_void, chunk as c_int);
                assert_eq!(n, chunk as c_int, "SSL_write");
                while ffi::SSL_read(p.s(), sink.as_mut_ptr() as *mut c_void, sink.len() as c_int) > 0 {}
            }
            sent += chunk;
        }
        t.elapsed()
    }
}

// ---------------------------------------------------------------------------------------------
// Rounds
// ---------------------------------------------------------------------------------------------

fn ferro_round(f: &Ferro, p: &Params, s: &mut Samples) {
    if p.bulk_only {
        return ferro_bulk(f, p, s);
    }
    if p.resumed_only {
        for i in 0..f.resume.len() {
            s.resumed[i].push(f.resumed(i, p.handshakes * RESUME_FACTOR));
        }
        return;
    }
    // Handshakes.
    let mut t = SideTimes::measured();
    let start = CpuTime::now();
    for _ in 0..p.handshakes {
        let pair = f.handshake(&mut t);
        drop(pair);
    }
    let wall = start.elapsed();
    s.hs_per_s.push(p.handshakes as f64 / wall.as_secs_f64());
    s.server_us.push(t.server.as_secs_f64() * 1e6 / p.handshakes as f64);
    s.client_us.push(t.client.as_secs_f64() * 1e6 / p.handshakes as f64);
    s.server_hs.push(p.handshakes as f64 / t.server.as_secs_f64());
    s.client_hs.push(p.handshakes as f64 / t.client.as_secs_f64());
    for i in 0..f.resume.len() {
        s.resumed[i].push(f.resumed(i, p.handshakes * RESUME_FACTOR));
    }
    // Memory: peak during one handshake, then what each idle connection holds.
    let base = reset_peak();
    let (c, sv) = f.handshake(&mut SideTimes::default());
    s.peak.push((PEAK.load(Relaxed) - base) as f64);
    let before = live();
    drop(c);
    let after_c = live();
    drop(sv);
    s.idle_client.push(before.saturating_sub(after_c) as f64);
    s.idle_server.push(after_c.saturating_sub(live()) as f64);
    ferro_bulk(f, p, s);
}

/// Bulk, client to server, on a fresh connection.
fn ferro_bulk(f: &Ferro, p: &Params, s: &mut Samples) {
    let (mut c, mut sv) = f.handshake(&mut SideTimes::default());
    s.bulk_16k.push(mb_per_s(p.bulk_16k, f.bulk(&mut c, &mut sv, 16 << 10, p.bulk_16k)));
    s.bulk_1k.push(mb_per_s(p.bulk_1k, f.bulk(&mut c, &mut sv, 1 << 10, p.bulk_1k)));
}

fn ossl_round(o: &Ossl, p: &Params, s: &mut Samples) {
    if p.bulk_only {
        return ossl_bulk(o, p, s);
    }
    if p.resumed_only {
        for i in 0..o.resume.len() {
            s.resumed[i].push(o.resumed(i, p.handshakes * RESUME_FACTOR));
        }
        return;
    }
    let mut t = SideTimes::measured();
    let start = CpuTime::now();
    for _ in 0..p.handshakes {
        let pair = o.handshake(&mut t);
        drop(pair);
    }
    let wall = start.elapsed();
    s.hs_per_s.push(p.handshakes as f64 / wall.as_secs_f64());
    s.server_us.push(t.server.as_secs_f64() * 1e6 / p.handshakes as f64);
    s.client_us.push(t.client.as_secs_f64() * 1e6 / p.handshakes as f64);
    s.server_hs.push(p.handshakes as f64 / t.server.as_secs_f64());
    s.client_hs.push(p.handshakes as f64 / t.client.as_secs_f64());
    for i in 0..o.resume.len() {
        s.resumed[i].push(o.resumed(i, p.handshakes * RESUME_FACTOR));
    }
    let base = reset_peak();
    let mut pair = o.handshake(&mut SideTimes::default());
    s.peak.push((PEAK.load(Relaxed) - base - pair.transport_bytes) as f64);
    let before = live();
    pair.c = None;
    let after_c = live();
    pair.s = None;
    s.idle_client.push(before.saturating_sub(after_c) as f64);
    s.idle_server.push(after_c.saturating_sub(live()) as f64);
    drop(pair);
    ossl_bulk(o, p, s);
}

/// Bulk, client to server, on a fresh connection.
fn ossl_bulk(o: &Ossl, p: &Params, s: &mut Samples) {
    let pair = o.handshake(&mut SideTimes::default());
    s.bulk_16k.push(mb_per_s(p.bulk_16k, o.bulk(&pair, 16 << 10, p.bulk_16k)));
    s.bulk_1k.push(mb_per_s(p.bulk_1k, o.bulk(&pair, 1 << 10, p.bulk_1k)));
}

fn stat_or_na(v: &[f64], present: bool) -> Cell {
    if present {
        Cell::Stat(Stat::of(v))
    } else {
        Cell::NotApplicable
    }
}

/// A resumption figure: "not yet" when no round resumed (the library does not resume that
/// way), NaN-free statistics otherwise (a NaN round is one where a handshake did not resume).
fn resumed_cell(v: &[f64]) -> Cell {
    let ok: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if ok.is_empty() {
        Cell::NotYet
    } else if ok.len() < v.len() {
        Cell::Text(format!("{:.0} ({} of {} rounds resumed)", Stat::of(&ok).median, ok.len(), v.len()))
    } else {
        Cell::Stat(Stat::of(&ok))
    }
}

fn run_row(row: &Row, p: &Params, report: &mut Report, rsa_us: &[f64]) {
    let g = row.name;
    let built: Result<Vec<Ferro>, String> = PROVIDERS.iter().map(|(_, prov)| Ferro::new(row, prov)).collect();
    let fs_ = match built {
        Ok(f) => f,
        Err(why) => {
            for (metric, unit) in [("full handshakes/s", ""), ("bulk 16 KiB writes", "MB/s")] {
                report.push3(g, metric, unit, Cell::NotYet, Cell::NotYet, Cell::NotYet);
            }
            for k in Resume::kinds(row.ver) {
                report.push3(g, "resumed handshakes/s", k.unit(), Cell::NotYet, Cell::NotYet, Cell::NotYet);
            }
            eprintln!("bench: {g}: not yet (ferrotls: {why})");
            return;
        }
    };
    let o = Ossl::new(row);
    let p = &Params { bulk_16k: p.bulk_16k / row.bulk_div, bulk_1k: p.bulk_1k / row.bulk_div, ..*p };
    let mut fs: Vec<Samples> = fs_.iter().map(|_| Samples::default()).collect();
    let mut os = Samples::default();
    for round in 0..p.rounds {
        // Alternate who goes first so drift within a round evens out.
        if round % 2 == 1 {
            if let Some(o) = &o {
                ossl_round(o, p, &mut os);
            }
        }
        for (f, s) in fs_.iter().zip(fs.iter_mut()) {
            ferro_round(f, p, s);
        }
        if round % 2 == 0 {
            if let Some(o) = &o {
                ossl_round(o, p, &mut os);
            }
        }
    }
    let has = o.is_some();
    let stat = |s: &Samples, pick: fn(&Samples) -> &Vec<f64>| Cell::Stat(Stat::of(pick(s)));
    let alt_stat = |pick: fn(&Samples) -> &Vec<f64>| fs.get(1).map_or(Cell::NotApplicable, |s| stat(s, pick));
    let ossl = |pick: fn(&Samples) -> &Vec<f64>| stat_or_na(pick(&os), has);
    if p.bulk_only {
        for (metric, pick) in [
            ("bulk 16 KiB writes", (|s| &s.bulk_16k) as fn(&Samples) -> &Vec<f64>),
            ("bulk 1 KiB writes", |s| &s.bulk_1k),
        ] {
            report.push3(g, metric, "MB/s", stat(&fs[0], pick), alt_stat(pick), ossl(pick));
        }
        return;
    }
    let resumed_rows = |report: &mut Report| {
        for (i, k) in Resume::kinds(row.ver).iter().enumerate() {
            let alt = fs.get(1).map_or(Cell::NotApplicable, |s| resumed_cell(&s.resumed[i]));
            let ossl = if has { resumed_cell(&os.resumed[i]) } else { Cell::NotApplicable };
            report.push3(g, "resumed handshakes/s", k.unit(), resumed_cell(&fs[0].resumed[i]), alt, ossl);
        }
    };
    if p.resumed_only {
        resumed_rows(report);
        return;
    }
    let mut push = |metric: &'static str, unit: &'static str, pick: fn(&Samples) -> &Vec<f64>| {
        report.push3(g, metric, unit, stat(&fs[0], pick), alt_stat(pick), ossl(pick));
    };
    push("full handshakes/s", "", |s| &s.hs_per_s);
    push("  server handshakes/s", "", |s| &s.server_hs);
    push("  client handshakes/s", "", |s| &s.client_hs);
    let share = |s: &Samples| {
        let (sv, cl) = (Stat::of(&s.server_us).median, Stat::of(&s.client_us).median);
        (sv, cl, sv / (sv + cl) * 100.0)
    };
    let text = |sv: f64, share: f64| Cell::Text(format!("{sv:.0} µs ({share:.0}%)"));
    let side = |s: Option<&Samples>, server: bool| {
        s.map_or(Cell::NotApplicable, |s| {
            let (sv, cl, sh) = share(s);
            if server {
                text(sv, sh)
            } else {
                text(cl, 100.0 - sh)
            }
        })
    };
    let ossl_s = has.then_some(&os);
    report.push3(
        g,
        "  server time (share)",
        "",
        side(fs.first(), true),
        side(fs.get(1), true),
        side(ossl_s, true),
    );
    report.push3(
        g,
        "  client time (share)",
        "",
        side(fs.first(), false),
        side(fs.get(1), false),
        side(ossl_s, false),
    );
    // The RSA private operation bounds the server's share only where the server makes one.
    if row.cert == Cert::Rsa {
        let per_rsa = |s: Option<&Samples>, i: usize| {
            s.map_or(Cell::NotApplicable, |s| {
                Cell::Text(format!("{:.2}", share(s).0 / rsa_us.get(i).copied().unwrap_or(f64::NAN)))
            })
        };
        report.push3(
            g,
            "  server / RSA private op",
            "",
            per_rsa(fs.first(), 0),
            per_rsa(fs.get(1), 1),
            Cell::NotApplicable,
        );
    }
    resumed_rows(report);
    let mut push = |metric: &'static str, unit: &'static str, pick: fn(&Samples) -> &Vec<f64>| {
        report.push3(g, metric, unit, stat(&fs[0], pick), alt_stat(pick), ossl(pick));
    };
    push("bulk 16 KiB writes", "MB/s", |s| &s.bulk_16k);
    push("bulk 1 KiB writes", "MB/s", |s| &s.bulk_1k);
    push("idle conn heap, server", "B", |s| &s.idle_server);
    push("idle conn heap, client", "B", |s| &s.idle_client);
    push("handshake peak heap, pair", "B", |s| &s.peak);
}

/// Scale, on the first row: `conns` established connection pairs held at once (the heap they
/// take together), and full handshakes/s over two threads (wall time: both cores busy).
fn scale(p: &Params, report: &mut Report) {
    let row = &ROWS[0];
    let g = format!("scale ({})", row.name);
    let conns = p.scale_conns;
    let metric: &'static str =
        if conns == 1000 { "1,000 established pairs, heap" } else { "established pairs (quick), heap" };
    let ferro_heap = |f: &Ferro| {
        let before = live();
        let held: Vec<_> = (0..conns).map(|_| f.handshake(&mut SideTimes::default())).collect();
        let bytes = live().saturating_sub(before);
        drop(held);
        bytes as f64
    };
    let fs_: Vec<Ferro> = PROVIDERS
        .iter()
        .map(|(_, prov)| Ferro::new(row, prov).expect("ferrotls runs the first row"))
        .collect();
    let o = Ossl::new(row).expect("OpenSSL runs the first row");
    let ossl_heap = || {
        let before = live();
        let held: Vec<_> = (0..conns).map(|_| o.handshake(&mut SideTimes::default())).collect();
        let transport: usize = held.iter().map(|p| p.transport_bytes).sum();
        let bytes = live().saturating_sub(before).saturating_sub(transport);
        drop(held);
        bytes as f64
    };
    let one = |v: f64| Cell::Stat(Stat::of(&[v]));
    report.push3(
        &g,
        metric,
        "B",
        one(ferro_heap(&fs_[0])),
        fs_.get(1).map_or(Cell::NotApplicable, |f| one(ferro_heap(f))),
        one(ossl_heap()),
    );
    // Two threads, each running its own handshakes against shared configs / contexts.
    let per_thread = p.handshakes;
    let two_threads = |run: &(dyn Fn() + Sync)| {
        let start = std::time::Instant::now();
        std::thread::scope(|sc| {
            sc.spawn(run);
            sc.spawn(run);
        });
        (2 * per_thread) as f64 / start.elapsed().as_secs_f64()
    };
    let mut samples = vec![Vec::new(); fs_.len() + 1];
    for _ in 0..p.rounds {
        for (i, f) in fs_.iter().enumerate() {
            samples[i].push(two_threads(&|| {
                for _ in 0..per_thread {
                    drop(f.handshake(&mut SideTimes::default()));
                }
            }));
        }
        samples[fs_.len()].push(two_threads(&|| {
            for _ in 0..per_thread {
                drop(o.handshake(&mut SideTimes::default()));
            }
        }));
    }
    report.push3(
        &g,
        "full handshakes/s, 2 threads",
        "",
        Cell::Stat(Stat::of(&samples[0])),
        if fs_.len() > 1 { Cell::Stat(Stat::of(&samples[1])) } else { Cell::NotApplicable },
        Cell::Stat(Stat::of(&samples[fs_.len()])),
    );
}

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

/// Runs `f` in `rounds` rounds alternating with `g`; returns per-round rates from `unit`
/// (work units per call) as (ferrotls, OpenSSL).
fn alternate(
    rounds: usize,
    unit: f64,
    mut f: impl FnMut() -> usize,
    mut g: Option<&mut dyn FnMut() -> usize>,
) -> (Vec<f64>, Vec<f64>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut run_f = || {
            let t = CpuTime::now();
            let n = f();
            a.push(n as f64 * unit / t.elapsed().as_secs_f64());
        };
        if round % 2 == 0 {
            run_f();
        }
        if let Some(g) = g.as_mut() {
            let t = CpuTime::now();
            let n = g();
            b.push(n as f64 * unit / t.elapsed().as_secs_f64());
        }
        if round % 2 == 1 {
            run_f();
        }
    }
    (a, b)
}

fn push_prim(report: &mut Report, metric: &'static str, unit: &'static str, (a, b): (Vec<f64>, Vec<f64>)) {
    let o = if b.is_empty() { Cell::NotApplicable } else { Cell::Stat(Stat::of(&b)) };
    report.push("primitives (one core)", metric, unit, Cell::Stat(Stat::of(&a)), o);
}

/// Returns the median microseconds of each provider's RSA private operation (for the handshake
/// rows), in `PROVIDERS` order.
fn primitives(p: &Params, report: &mut Report) -> Vec<f64> {
    use cipher::{Array, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit, StreamCipher};
    use hmac::Mac;
    use openssl::symm::{Cipher, Crypter, Mode};

    // RSA-2048 private operation as the server performs it: decrypt a premaster secret, with
    // each provider's key (raw RSA + the shared constant-time check).
    let key_der = private_key_from_pem(SERVER_KEY).unwrap();
    let keys: Vec<_> = PROVIDERS
        .iter()
        .map(|(_, prov)| prov.key_provider.load_private_key(key_der.secret_der()).unwrap())
        .collect();
    let key = &keys[0];
    let mut premaster = [7u8; 48];
    premaster[..2].copy_from_slice(&[3, 3]);
    let ct = PROVIDERS[0].1.key_provider.rsa_encrypt_pkcs1(&key.public_key_spki(), &premaster).unwrap();
    let fallback = [0u8; 48];
    let ossl_key = openssl::pkey::PKey::private_key_from_pem(SERVER_KEY).unwrap().rsa().unwrap();
    let mut out = vec![0u8; 256];
    let ops = p.rsa_ops;
    let mut g = || {
        for _ in 0..ops * 6 {
            let n = ossl_key.private_decrypt(&ct, &mut out, openssl::rsa::Padding::PKCS1).unwrap();
            assert_eq!(&out[..n], &premaster);
        }
        ops * 6
    };
    let rsa = alternate(
        p.rounds,
        1.0,
        || {
            for _ in 0..ops {
                let pm = ferrotls::crypto::decrypt_premaster(&**key.rsa().unwrap(), &ct, [3, 3], &fallback);
                assert_eq!(&pm[..], &premaster);
            }
            ops
        },
        Some(&mut g),
    );
    let mut rsa_us = vec![1e6 / Stat::of(&rsa.0).median];
    let mut alt = Cell::NotApplicable;
    if let Some(k) = keys.get(1) {
        let ops = (ops / 4).max(2);
        let (a, _) = alternate(
            p.rounds,
            1.0,
            || {
                for _ in 0..ops {
                    let pm = ferrotls::crypto::decrypt_premaster(&**k.rsa().unwrap(), &ct, [3, 3], &fallback);
                    assert_eq!(&pm[..], &premaster);
                }
                ops
            },
            None,
        );
        rsa_us.push(1e6 / Stat::of(&a).median);
        alt = Cell::Stat(Stat::of(&a));
    }
    report.push3(
        "primitives (one core)",
        "RSA-2048 private op",
        "ops/s",
        Cell::Stat(Stat::of(&rsa.0)),
        alt,
        Cell::Stat(Stat::of(&rsa.1)),
    );

    let n = p.prim_bytes;
    let mut buf = vec![0x33u8; 16 << 10];
    let mut obuf = vec![0u8; (16 << 10) + 32];
    let reps = n / buf.len();
    let mb = buf.len() as f64 / 1e6;
    let ossl_cipher = |cipher: Cipher, mode: Mode, key: &[u8], iv: Option<&[u8]>| {
        let mut c = Crypter::new(cipher, mode, key, iv).ok()?;
        c.pad(false);
        Some(c)
    };

    // AES-128-CBC encrypt and decrypt, 16 KiB per call.
    let k16 = [9u8; 16];
    let iv = [1u8; 16];
    let mut enc = cbc::Encryptor::<aes::Aes128>::new_from_slices(&k16, &iv).unwrap();
    let mut oenc = ossl_cipher(Cipher::aes_128_cbc(), Mode::Encrypt, &k16, Some(&iv)).unwrap();
    let src = buf.clone();
    let r = alternate(
        p.rounds,
        mb,
        || {
            for _ in 0..reps {
                let (blocks, _) = Array::slice_as_chunks_mut(&mut buf);
                enc.encrypt_blocks(blocks);
            }
            reps
        },
        Some(&mut || {
            for _ in 0..reps {
                oenc.update(&src, &mut obuf).unwrap();
            }
            reps
        }),
    );
    push_prim(report, "AES-128-CBC encrypt", "MB/s", r);
    let mut dec = cbc::Decryptor::<aes::Aes128>::new_from_slices(&k16, &iv).unwrap();
    let mut odec = ossl_cipher(Cipher::aes_128_cbc(), Mode::Decrypt, &k16, Some(&iv)).unwrap();
    let r = alternate(
        p.rounds,
        mb,
        || {
            for _ in 0..reps {
                let (blocks, _) = Array::slice_as_chunks_mut(&mut buf);
                dec.decrypt_blocks(blocks);
            }
            reps
        },
        Some(&mut || {
            for _ in 0..reps {
                odec.update(&src, &mut obuf).unwrap();
            }
            reps
        }),
    );
    push_prim(report, "AES-128-CBC decrypt", "MB/s", r);

    // AES-128-GCM, one 16 KiB TLS 1.2 record sealed and opened (what one bulk record costs in
    // cipher work): ferrotls' default provider through its record encrypter/decrypter (seal
    // copies the plaintext into the output, open works in place); OpenSSL's EVP, a fresh nonce
    // per record, out of place. Tells how much of a bulk row is the cipher itself.
    {
        use ferrotls::crypto::{InboundOpaqueMessage, OutboundPlainMessage, RecordKeys, RecordParams};
        let suite = find_suite(PROVIDERS[0].0, "AES128-GCM-SHA256").expect("AES128-GCM-SHA256");
        let keys = RecordKeys { mac_key: &[], enc_key: &k16, iv: &[7u8; 4] };
        let params = RecordParams {
            version: ProtocolVersion::TLSv1_2,
            encrypt_then_mac: false,
            random: PROVIDERS[0].1.random,
        };
        let mut enc = suite.record.encrypter(&keys, params);
        let mut dec = suite.record.decrypter(&keys, params);
        let mut rec = Vec::with_capacity((16 << 10) + 64);
        let mut seq = 0u64;
        let typ = ferrotls::enums::ContentType::ApplicationData;
        let mut f = || {
            for _ in 0..reps {
                rec.clear();
                let msg = OutboundPlainMessage { typ, version: ProtocolVersion::TLSv1_2, payload: &src };
                enc.encrypt(msg, seq, &mut rec).unwrap();
                let msg = InboundOpaqueMessage { typ, version: ProtocolVersion::TLSv1_2, payload: &mut rec };
                assert_eq!(dec.decrypt(msg, seq).unwrap().range.len(), src.len());
                seq += 1;
            }
            reps
        };
        // SAFETY: two fresh EVP_CIPHER_CTX keyed once; every call below passes live buffers of
        // the stated lengths.
        let (ectx, dctx) = unsafe {
            let (e, d) = (ffi::EVP_CIPHER_CTX_new(), ffi::EVP_CIPHER_CTX_new());
            let null = core::ptr::null();
            assert_eq!(
                ffi::EVP_EncryptInit_ex(e, ffi::EVP_aes_128_gcm(), core::ptr::null_mut(), k16.as_ptr(), null),
                1
            );
            assert_eq!(
                ffi::EVP_DecryptInit_ex(d, ffi::EVP_aes_128_gcm(), core::ptr::null_mut(), k16.as_ptr(), null),
                1
            );
            (e, d)
        };
        let mut ct = vec![0u8; src.len()];
        let mut g = || {
            let mut nonce = [7u8; 12];
            let aad = [0u8; 13];
            let mut tag = [0u8; 16];
            for i in 0..reps {
                nonce[4..].copy_from_slice(&(i as u64).to_be_bytes());
                let mut n: c_int = 0;
                // SAFETY: as above.
                unsafe {
                    let (null, nul) = (core::ptr::null(), core::ptr::null_mut());
                    ffi::EVP_EncryptInit_ex(ectx, null, nul, core::ptr::null(), nonce.as_ptr());
                    ffi::EVP_EncryptUpdate(ectx, core::ptr::null_mut(), &mut n, aad.as_ptr(), 13);
                    ffi::EVP_EncryptUpdate(ectx, ct.as_mut_ptr(), &mut n, src.as_ptr(), src.len() as c_int);
                    ffi::EVP_EncryptFinal_ex(ectx, ct.as_mut_ptr().add(n as usize), &mut n);
                    ffi::EVP_CIPHER_CTX_ctrl(
                        ectx,
                        ffi::EVP_CTRL_GCM_GET_TAG,
                        16,
                        tag.as_mut_ptr() as *mut c_void,
                    );
                    ffi::EVP_DecryptInit_ex(dctx, null, nul, core::ptr::null(), nonce.as_ptr());
                    ffi::EVP_DecryptUpdate(dctx, core::ptr::null_mut(), &mut n, aad.as_ptr(), 13);
                    ffi::EVP_DecryptUpdate(dctx, obuf.as_mut_ptr(), &mut n, ct.as_ptr(), ct.len() as c_int);
                    ffi::EVP_CIPHER_CTX_ctrl(
                        dctx,
                        ffi::EVP_CTRL_GCM_SET_TAG,
                        16,
                        tag.as_mut_ptr() as *mut c_void,
                    );
                    assert_eq!(ffi::EVP_DecryptFinal_ex(dctx, obuf.as_mut_ptr().add(n as usize), &mut n), 1);
                }
            }
            reps
        };
        let r = alternate(p.rounds, mb, &mut f, Some(&mut g));
        // SAFETY: contexts from EVP_CIPHER_CTX_new, no longer used.
        unsafe {
            ffi::EVP_CIPHER_CTX_free(ectx);
            ffi::EVP_CIPHER_CTX_free(dctx);
        }
        push_prim(report, "AES-128-GCM record seal+open", "MB/s", r);
    }

    // HMAC-SHA1 and HMAC-SHA256 over 16 KiB, keyed once (as both libraries do per record).
    for (metric, key_len) in [("HMAC-SHA1", 20usize), ("HMAC-SHA256", 32)] {
        let mac_key = vec![5u8; key_len];
        let hk1 = hmac::Hmac::<sha1::Sha1>::new_from_slice(&mac_key).unwrap();
        let hk256 = hmac::Hmac::<sha2::Sha256>::new_from_slice(&mac_key).unwrap();
        // SAFETY: a fresh HMAC_CTX keyed once; every later Init_ex with a null key reuses it.
        let ctx = unsafe {
            let ctx = ffi::HMAC_CTX_new();
            let md = if key_len == 20 { ffi::EVP_sha1() } else { ffi::EVP_sha256() };
            assert_eq!(
                ffi::HMAC_Init_ex(
                    ctx,
                    mac_key.as_ptr() as *const c_void,
                    key_len as c_int,
                    md,
                    core::ptr::null_mut()
                ),
                1
            );
            ctx
        };
        let r = alternate(
            p.rounds,
            mb,
            || {
                for _ in 0..reps {
                    if key_len == 20 {
                        let mut m = hk1.clone();
                        m.update(&src);
                        std::hint::black_box(m.finalize());
                    } else {
                        let mut m = hk256.clone();
                        m.update(&src);
                        std::hint::black_box(m.finalize());
                    }
                }
                reps
            },
            Some(&mut || {
                let mut tag = [0u8; 64];
                let mut len = 0;
                for _ in 0..reps {
                    // SAFETY: ctx is live; buffers have the stated lengths.
                    unsafe {
                        ffi::HMAC_Init_ex(
                            ctx,
                            core::ptr::null(),
                            0,
                            core::ptr::null(),
                            core::ptr::null_mut(),
                        );
                        ffi::HMAC_Update(ctx, src.as_ptr(), src.len());
                        ffi::HMAC_Final(ctx, tag.as_mut_ptr(), &mut len);
                    }
                    std::hint::black_box(&tag);
                }
                reps
            }),
        );
        // SAFETY: ctx from HMAC_CTX_new, no longer used.
        unsafe { ffi::HMAC_CTX_free(ctx) };
        push_prim(report, metric, "MB/s", r);
    }

    // 3DES-EDE-CBC encrypt: slow, so a quarter of the bytes.
    let reps3 = (reps / 4).max(1);
    let k24 = [0x4bu8; 24];
    let iv8 = [2u8; 8];
    let mut enc3 = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&k24, &iv8).unwrap();
    let mut oenc3 = ossl_cipher(Cipher::des_ede3_cbc(), Mode::Encrypt, &k24, Some(&iv8));
    let has3 = oenc3.is_some();
    let mut g3 = || {
        for _ in 0..reps3 {
            oenc3.as_mut().unwrap().update(&src, &mut obuf).unwrap();
        }
        reps3
    };
    let r = alternate(
        p.rounds,
        mb,
        || {
            for _ in 0..reps3 {
                let (blocks, _) = Array::slice_as_chunks_mut(&mut buf);
                enc3.encrypt_blocks(blocks);
            }
            reps3
        },
        if has3 { Some(&mut g3) } else { None },
    );
    push_prim(report, "3DES-EDE-CBC encrypt", "MB/s", r);

    // RC4: OpenSSL 3 keeps it in the legacy provider, which may or may not load here.
    let _legacy = openssl::provider::Provider::try_load(None, "legacy", true).ok();
    let mut rc4 = rc4::Rc4::new_from_slice(&k16).unwrap();
    let mut orc4 = ossl_cipher(Cipher::rc4(), Mode::Encrypt, &k16, None);
    // SAFETY: plain call; a failed fetch above leaves errors we do not want to see later.
    unsafe { ffi::ERR_clear_error() };
    let hasrc4 = orc4.is_some();
    let mut g4 = || {
        for _ in 0..reps {
            orc4.as_mut().unwrap().update(&src, &mut obuf).unwrap();
        }
        reps
    };
    let r = alternate(
        p.rounds,
        mb,
        || {
            for _ in 0..reps {
                rc4.apply_keystream(&mut buf);
            }
            reps
        },
        if hasrc4 { Some(&mut g4) } else { None },
    );
    push_prim(report, "RC4 (per byte)", "MB/s", r);
    std::hint::black_box(&buf);
    rsa_us
}

fn main() {
    hook_openssl_allocator();
    // `cargo bench` passes --bench; ignore arguments.
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let mut p = if quick { QUICK } else { FULL };
    // BENCH_ROUNDS=n: fewer (or more) rounds, e.g. on a machine too busy for a full run.
    if let Some(n) = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0) {
        p.rounds = n;
    }
    p.bulk_only = std::env::var("BENCH_BULK_ONLY").is_ok_and(|v| !v.is_empty() && v != "0");
    p.resumed_only = std::env::var("BENCH_RESUMED_ONLY").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!(p.bulk_only && p.resumed_only), "BENCH_BULK_ONLY and BENCH_RESUMED_ONLY exclude each other");
    let start = std::time::Instant::now();
    let machine = machine();
    eprintln!("bench: {} mode, {} rounds; machine {machine}", if quick { "quick" } else { "full" }, p.rounds);
    eprintln!(
        "bench: providers {:?} (the first is the default: the f/O column)",
        PROVIDERS.iter().map(|p| p.0).collect::<Vec<_>>()
    );

    let mut report = Report::default();
    let mut prims = Report::default();
    // BENCH_PRIMS=0: skip the primitive rows (for profiling one protocol row).
    let rsa_us = if std::env::var("BENCH_PRIMS").is_ok_and(|v| v == "0") {
        Vec::new()
    } else {
        primitives(&p, &mut prims)
    };
    // BENCH_ROWS=text: only the rows whose name contains it (for iterating on one path).
    let only = std::env::var("BENCH_ROWS").unwrap_or_default();
    for row in ROWS.iter().filter(|r| r.name.contains(only.as_str())) {
        eprintln!("bench: {} ({:.0} s so far)", row.name, start.elapsed().as_secs_f64());
        run_row(row, &p, &mut report, &rsa_us);
    }
    if !p.bulk_only && !p.resumed_only && (only.is_empty() || "scale".contains(only.as_str())) {
        eprintln!("bench: scale ({:.0} s so far)", start.elapsed().as_secs_f64());
        scale(&p, &mut report);
    }
    report.lines.append(&mut prims.lines);
    let seconds = start.elapsed().as_secs_f64();

    println!("{}", report.table());
    println!(
        "ratio f/O = {} / OpenSSL medians (higher is better for rates, lower for bytes)",
        provider_label(0)
    );
    println!("±x% = half the range across {} rounds; machine: {machine}", p.rounds);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/build");
    std::fs::create_dir_all(dir).expect("create build/");
    let path = format!("{dir}/bench.json");
    std::fs::write(&path, report.json(&machine, quick, seconds)).expect("write bench.json");
    println!("wrote {path} ({seconds:.0} s)");
}
