//! Certificate verification with OpenSSL's observable behaviour: `X509_STORE_CTX`, the verify
//! callback (called per chain element, root first, with `preverify_ok` and the `X509_V_ERR_*`
//! number), `SSL_get_verify_result`, and `SSL_VERIFY_NONE` meaning "verify, record the result,
//! carry on".
//!
//! Path validation itself is webpki's (through the same signature-algorithm policy as
//! `WebPkiServerVerifier`); this file only translates its verdict into OpenSSL's error numbers
//! and depths and gives the callback its say. Host names are checked only when the program
//! asked (`SSL_set1_host`), as in OpenSSL.

use std::sync::{Arc, Mutex};

use libc::c_int;
use rustls_pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm, UnixTime};

use super::session::HandshakeTickets;
use super::ssl::SSL;
use super::ssl_ctx::VerifyCallback;
use super::stack::OPENSSL_STACK;
use super::x509::X509;
use crate::error::CertificateError;
use crate::x509::{ClientCertVerifier, RootCertStore, ServerCertVerifier};

/// `X509_V_OK`.
pub const V_OK: c_int = 0;
/// `X509_V_ERR_UNSPECIFIED`.
pub const V_ERR_UNSPECIFIED: c_int = 1;
/// `X509_V_ERR_HOSTNAME_MISMATCH`.
pub const V_ERR_HOSTNAME_MISMATCH: c_int = 62;
/// `X509_V_ERR_IP_ADDRESS_MISMATCH`.
pub const V_ERR_IP_ADDRESS_MISMATCH: c_int = 64;

/// `X509_STORE_CTX`: what the verify callback sees.
#[derive(Debug)]
pub struct X509_STORE_CTX {
    /// The chain, leaf first (depth = index), root last when it was found.
    pub chain: Vec<Arc<X509>>,
    /// The same as a stack of borrowed pointers, for `X509_STORE_CTX_get0_chain`.
    pub chain_stack: OPENSSL_STACK,
    /// `X509_STORE_CTX_get_error`.
    pub error: c_int,
    /// `X509_STORE_CTX_get_error_depth`.
    pub error_depth: c_int,
    /// `X509_STORE_CTX_get_current_cert` (index into `chain`).
    pub current: Option<usize>,
    /// The connection (ex_data index 0 = `SSL_get_ex_data_X509_STORE_CTX_idx()`).
    pub ssl: *mut SSL,
}

/// `X509_verify_cert_error_string`.
pub fn error_string(n: c_int) -> &'static std::ffi::CStr {
    match n {
        0 => c"ok",
        1 => c"unspecified certificate verification error",
        2 => c"unable to get issuer certificate",
        3 => c"unable to get certificate CRL",
        4 => c"unable to decrypt certificate's signature",
        5 => c"unable to decrypt CRL's signature",
        6 => c"unable to decode issuer public key",
        7 => c"certificate signature failure",
        8 => c"CRL signature failure",
        9 => c"certificate is not yet valid",
        10 => c"certificate has expired",
        11 => c"CRL is not yet valid",
        12 => c"CRL has expired",
        13 => c"format error in certificate's notBefore field",
        14 => c"format error in certificate's notAfter field",
        15 => c"format error in CRL's lastUpdate field",
        16 => c"format error in CRL's nextUpdate field",
        17 => c"out of memory",
        18 => c"self-signed certificate",
        19 => c"self-signed certificate in certificate chain",
        20 => c"unable to get local issuer certificate",
        21 => c"unable to verify the first certificate",
        22 => c"certificate chain too long",
        23 => c"certificate revoked",
        24 => c"issuer certificate doesn't have a public key",
        25 => c"path length constraint exceeded",
        26 => c"unsuitable certificate purpose",
        27 => c"certificate not trusted",
        28 => c"certificate rejected",
        29 => c"subject issuer mismatch",
        30 => c"authority and subject key identifier mismatch",
        31 => c"authority and issuer serial number mismatch",
        32 => c"key usage does not include certificate signing",
        33 => c"unable to get CRL issuer certificate",
        34 => c"unhandled critical extension",
        35 => c"key usage does not include CRL signing",
        36 => c"unhandled critical CRL extension",
        37 => c"invalid non-CA certificate (has CA markings)",
        38 => c"proxy path length constraint exceeded",
        39 => c"key usage does not include digital signature",
        40 => c"proxy certificates not allowed, please set the appropriate flag",
        41 => c"invalid or inconsistent certificate extension",
        42 => c"invalid or inconsistent certificate policy extension",
        43 => c"no explicit policy",
        44 => c"different CRL scope",
        45 => c"unsupported extension feature",
        46 => c"RFC 3779 resource not subset of parent's resources",
        47 => c"permitted subtree violation",
        48 => c"excluded subtree violation",
        49 => c"name constraints minimum and maximum not supported",
        50 => c"application verification failure",
        51 => c"unsupported name constraint type",
        52 => c"unsupported or invalid name constraint syntax",
        53 => c"unsupported or invalid name syntax",
        54 => c"CRL path validation error",
        55 => c"path loop",
        56 => c"Suite B: certificate version invalid",
        57 => c"Suite B: invalid public key algorithm",
        58 => c"Suite B: invalid ECC curve",
        59 => c"Suite B: invalid signature algorithm",
        60 => c"Suite B: curve not allowed for this LOS",
        61 => c"Suite B: cannot sign P-384 with P-256",
        62 => c"hostname mismatch",
        63 => c"email address mismatch",
        64 => c"IP address mismatch",
        65 => c"no matching DANE TLSA records",
        66 => c"EE certificate key too weak",
        67 => c"CA certificate key too weak",
        68 => c"CA signature digest algorithm too weak",
        69 => c"invalid certificate verification context",
        70 => c"issuer certificate lookup error",
        71 => c"Certificate Transparency required, but no valid SCTs found",
        72 => c"proxy subject name violation",
        73 => c"OCSP verification needed",
        74 => c"OCSP verification failed",
        75 => c"OCSP unknown cert",
        76 => c"Cannot find certificate signature algorithm",
        77 => c"subject signature algorithm and issuer public key algorithm mismatch",
        78 => c"cert info signature and signature algorithm mismatch",
        79 => c"invalid CA certificate",
        80 => c"Path length invalid for non-CA cert",
        81 => c"Path length given without key usage keyCertSign",
        82 => c"Key usage keyCertSign invalid for non-CA cert",
        83 => c"Issuer name empty",
        84 => c"Subject name empty",
        85 => c"Missing Authority Key Identifier",
        86 => c"Missing Subject Key Identifier",
        87 => c"Empty Subject Alternative Name extension",
        88 => c"Subject empty and Subject Alt Name extension not critical",
        89 => c"Basic Constraints of CA cert not marked critical",
        90 => c"Authority Key Identifier marked critical",
        91 => c"Subject Key Identifier marked critical",
        92 => c"CA cert does not include key usage extension",
        93 => c"Using cert extension requires at least X509v3",
        94 => c"Certificate public key has explicit ECC parameters",
        95 => c"unknown certificate verification error",
        _ => c"unknown certificate verification error",
    }
}

/// What verification concluded, for `SSL_get_verify_result` and `SSL_get0_verified_chain`.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `X509_V_OK` or the error number.
    pub result: c_int,
    /// Whether a verification ran.
    pub ran: bool,
}

/// A raw `SSL *` the verifier (and the ALPN and keylog callbacks) pass to callbacks: a fixed
/// one, or [`SslPtr::CURRENT`], the `SSL` whose engine call is running on this thread. A
/// configuration shared by every `SSL` of one `SSL_CTX` state (`ssl/engine.rs`) carries
/// `CURRENT`, and each entry point that drives the engine marks its `SSL` with
/// [`CurrentSsl::enter`] for the duration.
#[derive(Clone, Copy, Debug)]
pub struct SslPtr(pub *mut SSL);
// SAFETY: the pointer is only handed to the application's callback, on the thread that drives
// the handshake of that SSL (fixed: a configuration built for that SSL alone; CURRENT: read
// from this thread's marker).
unsafe impl Send for SslPtr {}
// SAFETY: as above.
unsafe impl Sync for SslPtr {}

thread_local! {
    static CURRENT_SSL: std::cell::Cell<*mut SSL> = const { std::cell::Cell::new(std::ptr::null_mut()) };
    static CURRENT_TICKETS: std::cell::RefCell<Option<Arc<HandshakeTickets>>> =
        const { std::cell::RefCell::new(None) };
}

impl SslPtr {
    /// The `SSL` driving the engine on this thread when the callback runs.
    pub const CURRENT: SslPtr = SslPtr(std::ptr::null_mut());

    /// The pointer to hand to a callback.
    pub fn get(self) -> *mut SSL {
        if self.0.is_null() {
            CURRENT_SSL.with(std::cell::Cell::get)
        } else {
            self.0
        }
    }
}

/// Marks `ssl` (and its client's TLS 1.3 ticket store of the handshake running) as the one
/// driving the engine on this thread until dropped (then the previous mark is back, so nested
/// calls, e.g. an `SSL_read` on another `SSL` from a callback, work).
pub struct CurrentSsl(*mut SSL, Option<Arc<HandshakeTickets>>);

impl CurrentSsl {
    /// Marks `ssl`, whose handshake's ticket store is `tickets`.
    pub fn enter(ssl: *const SSL, tickets: Option<Arc<HandshakeTickets>>) -> Self {
        let previous = CURRENT_TICKETS.with(|c| c.replace(tickets));
        Self(CURRENT_SSL.with(|c| c.replace(ssl.cast_mut())), previous)
    }

    /// The ticket store of the `SSL` driving the engine on this thread.
    pub fn tickets() -> Option<Arc<HandshakeTickets>> {
        CURRENT_TICKETS.with(|c| c.borrow().clone())
    }
}

impl Drop for CurrentSsl {
    fn drop(&mut self) {
        CURRENT_SSL.with(|c| c.set(self.0));
        CURRENT_TICKETS.with(|c| *c.borrow_mut() = self.1.take());
    }
}

/// The `ServerCertVerifier` behind an OpenSSL-style client.
#[derive(Debug)]
pub struct OpenSslVerifier {
    /// Trusted certificates (to show the root to the callback).
    pub trusted: Vec<Arc<X509>>,
    /// The same as webpki trust anchors.
    pub roots: RootCertStore,
    /// Signature algorithms (legacy profile adds SHA-1).
    pub algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
    /// `SSL_VERIFY_*`.
    pub mode: c_int,
    /// The verify callback.
    pub callback: VerifyCallback,
    /// `SSL_CTX_set_verify_depth` (-1: OpenSSL's default of 100 intermediates).
    pub depth: c_int,
    /// `SSL_set1_host` / `SSL_add1_host` names (empty: no name check).
    pub hosts: Vec<String>,
    /// `X509_VERIFY_PARAM_set1_ip` (or `SSL_set1_host` with an IP literal): checked against the
    /// IP SANs.
    pub ip: Option<std::net::IpAddr>,
    /// The connection, for the callback.
    pub ssl: SslPtr,
    /// Where the verdict goes; `None`: the `SSL`'s own (`ssl` resolved when it runs).
    pub outcome: Option<Arc<Mutex<Outcome>>>,
    /// Server side: the DER subject names sent in CertificateRequest (`SSL_CTX_set_client_CA_list`,
    /// else the trusted certificates' subjects). Unused on a client.
    pub ca_names: Vec<Vec<u8>>,
    /// The store's CRLs, checked when `crl_check` says so.
    pub crls: Vec<webpki::CertRevocationList<'static>>,
    /// `X509_V_FLAG_CRL_CHECK` (the leaf) or `_CRL_CHECK_ALL` (the whole chain); `None`: no
    /// revocation check, as OpenSSL by default.
    pub crl_check: Option<webpki::RevocationCheckDepth>,
    /// The context whose store is read again when the peer's chain arrives (OpenSSL consults
    /// the store at verification time: curl installs it from inside its first BIO read, after
    /// the ClientHello went out), with the connection's own `X509_V_FLAG_*`. `None`: use the
    /// fields above as they are.
    /// Weak: a configuration cached for the context must not keep it alive.
    pub ctx: Option<(std::sync::Weak<super::ssl_ctx::SSL_CTX>, u64)>,
}

/// What a store holds at one moment, as the verifier uses it.
struct StoreView {
    trusted: Vec<Arc<X509>>,
    roots: RootCertStore,
    crls: Vec<webpki::CertRevocationList<'static>>,
    crl_check: Option<webpki::RevocationCheckDepth>,
}

/// `X509_V_FLAG_CRL_CHECK`.
pub const V_FLAG_CRL_CHECK: u64 = 0x4;
/// `X509_V_FLAG_CRL_CHECK_ALL`.
pub const V_FLAG_CRL_CHECK_ALL: u64 = 0x8;

/// The revocation depth `X509_V_FLAG_*` ask for (CHECK_ALL only counts with CHECK, as in OpenSSL).
pub fn crl_check_of(flags: u64) -> Option<webpki::RevocationCheckDepth> {
    match (flags & V_FLAG_CRL_CHECK != 0, flags & V_FLAG_CRL_CHECK_ALL != 0) {
        (true, true) => Some(webpki::RevocationCheckDepth::Chain),
        (true, false) => Some(webpki::RevocationCheckDepth::EndEntity),
        _ => None,
    }
}

/// Orders `sent` into an issuer chain starting at the leaf (as OpenSSL's chain building uses
/// the untrusted certificates), then appends the trusted issuer of the top, if there is one.
fn build_chain(sent: &[Arc<X509>], trusted: &[Arc<X509>]) -> (Vec<Arc<X509>>, bool) {
    let mut chain = vec![Arc::clone(&sent[0])];
    loop {
        let top = chain.last().map(Arc::clone).unwrap_or_else(|| Arc::clone(&sent[0]));
        if top.self_issued() {
            // A self-issued top is trusted only if the store has it.
            let trusted_top = trusted.iter().any(|t| t.der == top.der);
            return (chain, trusted_top);
        }
        if let Some(t) = trusted.iter().find(|t| t.subject.der == top.issuer.der) {
            chain.push(Arc::clone(t));
            return (chain, true);
        }
        match sent.iter().find(|c| c.subject.der == top.issuer.der && !chain.iter().any(|x| x.der == c.der)) {
            Some(next) => chain.push(Arc::clone(next)),
            None => return (chain, false),
        }
    }
}

/// OpenSSL's number and depth for a webpki verdict.
fn classify(e: &CertificateError, chain: &[Arc<X509>], now: UnixTime) -> (c_int, usize) {
    let top = chain.len() - 1;
    match e {
        CertificateError::UnknownIssuer => {
            // OpenSSL: a lone self-signed leaf is 18, a self-signed top of a longer chain 19,
            // a top whose issuer is nowhere to be found 20.
            let code = match (chain[top].self_issued(), top == 0) {
                (true, true) => 18,
                (true, false) => 19,
                (false, _) => 20,
            };
            (code, top)
        }
        CertificateError::Expired | CertificateError::NotValidYet => {
            let now = now.as_secs();
            for d in (0..chain.len()).rev() {
                if chain[d].not_after.unix < now {
                    return (10, d);
                }
                if chain[d].not_before.unix > now {
                    return (9, d);
                }
            }
            (if matches!(e, CertificateError::Expired) { 10 } else { 9 }, 0)
        }
        CertificateError::BadSignature => (7, 0),
        CertificateError::UnsupportedSignatureAlgorithm => (68, 0),
        CertificateError::InvalidPurpose | CertificateError::CaUsedAsEndEntity => (26, 0),
        CertificateError::NotAllowedToSign => (79, top.min(1)),
        CertificateError::ChainTooLong => (22, top),
        CertificateError::Revoked => (23, 0),
        CertificateError::UnhandledCriticalExtension => (34, 0),
        _ => (V_ERR_UNSPECIFIED, 0),
    }
}

/// Whether `code` is found while building or checking the chain (reported before the
/// per-certificate pass), rather than in the per-certificate pass.
fn reported_early(code: c_int) -> bool {
    !matches!(code, 7 | 9 | 10)
}

impl OpenSslVerifier {
    fn call(&self, ctx: &mut X509_STORE_CTX, ok: bool, depth: usize, error: Option<c_int>) -> bool {
        if let Some(e) = error {
            ctx.error = e;
        }
        ctx.error_depth = depth as c_int;
        ctx.current = Some(depth);
        match self.callback {
            // SAFETY: the application's callback, called with a live X509_STORE_CTX on the
            // handshake's thread, as OpenSSL calls it.
            Some(cb) => unsafe { cb(c_int::from(ok), ctx) != 0 },
            None => ok,
        }
    }

    /// Runs OpenSSL's sequence of callbacks; returns the final error number and whether the
    /// chain is accepted.
    fn run(&self, chain: Vec<Arc<X509>>, verdict: Option<(c_int, usize)>) -> (c_int, bool) {
        let chain_stack =
            OPENSSL_STACK { items: chain.iter().map(|c| Arc::as_ptr(c).cast_mut().cast()).collect() };
        let mut ctx = X509_STORE_CTX {
            chain,
            chain_stack,
            error: V_OK,
            error_depth: 0,
            current: None,
            ssl: self.ssl.get(),
        };
        let fail = |ctx: &X509_STORE_CTX| {
            let e = if ctx.error == V_OK { V_ERR_UNSPECIFIED } else { ctx.error };
            (e, false)
        };
        // SSL_CTX_set_verify_depth(d): at most d intermediates between the leaf and the trust
        // anchor; OpenSSL reports the first certificate beyond them (depth d + 1).
        if let Ok(limit) = usize::try_from(self.depth) {
            if ctx.chain.len() > limit + 2 && !self.call(&mut ctx, false, limit + 1, Some(22)) {
                return fail(&ctx);
            }
        }
        if let Some((code, depth)) = verdict.filter(|(c, _)| reported_early(*c)) {
            if !self.call(&mut ctx, false, depth, Some(code)) {
                return fail(&ctx);
            }
        }
        if !self.hosts.is_empty()
            && !self.hosts.iter().any(|h| super::x509::check_host(&ctx.chain[0], h))
            && !self.call(&mut ctx, false, 0, Some(V_ERR_HOSTNAME_MISMATCH))
        {
            return fail(&ctx);
        }
        // OpenSSL checks the host names, then the e-mail, then the IP address (check_id).
        if let Some(ip) = self.ip {
            if !super::x509::check_ip(&ctx.chain[0], ip)
                && !self.call(&mut ctx, false, 0, Some(V_ERR_IP_ADDRESS_MISMATCH))
            {
                return fail(&ctx);
            }
        }
        // OpenSSL's per-certificate pass starts below a top that is not self-issued (it has
        // no issuer to check it against); a lone leaf like that is reported once more as
        // "unable to verify the first certificate".
        let mut top = ctx.chain.len() - 1;
        if !ctx.chain[top].self_issued() {
            if top == 0 {
                if !self.call(&mut ctx, false, 0, Some(21)) {
                    return fail(&ctx);
                }
            } else {
                top -= 1;
            }
        }
        for d in (0..=top).rev() {
            if let Some((code, depth)) = verdict.filter(|(c, dd)| !reported_early(*c) && *dd == d) {
                if !self.call(&mut ctx, false, depth, Some(code)) {
                    return fail(&ctx);
                }
            }
            if !self.call(&mut ctx, true, d, None) {
                return fail(&ctx);
            }
        }
        (ctx.error, true)
    }
}

impl OpenSslVerifier {
    /// Verifies a peer chain for `usage` (serverAuth on a client, clientAuth on a server) and
    /// runs OpenSSL's callback sequence over the verdict.
    fn verify_peer(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        usage: webpki::KeyUsage,
    ) -> Result<(), CertificateError> {
        let mut sent = Vec::new();
        for der in std::iter::once(end_entity).chain(intermediates) {
            match X509::from_der(der) {
                Some(x) => sent.push(Arc::new(x)),
                None if sent.is_empty() => return Err(CertificateError::BadEncoding),
                None => {}
            }
        }
        let fresh = self.ctx.as_ref().and_then(|(ctx, param_flags)| Some((ctx.upgrade()?, param_flags))).map(
            |(ctx, param_flags)| {
                let store = ctx.store.get();
                let trusted = store.snapshot();
                StoreView {
                    roots: super::x509::X509_STORE::root_store(&trusted),
                    trusted,
                    crls: store.parsed_crls(),
                    crl_check: crl_check_of(
                        store.flags.load(std::sync::atomic::Ordering::Relaxed) | param_flags,
                    ),
                }
            },
        );
        let (trusted, roots, crls, crl_check) = match &fresh {
            Some(v) => (&v.trusted, &v.roots, &v.crls, v.crl_check),
            None => (&self.trusted, &self.roots, &self.crls, self.crl_check),
        };
        let crl_refs: Vec<&webpki::CertRevocationList<'static>> = crls.iter().collect();
        // OpenSSL with X509_V_FLAG_CRL_CHECK: a certificate whose issuer has no CRL here fails
        // (X509_V_ERR_UNABLE_TO_GET_CRL), and so does an expired CRL (X509_V_ERR_CRL_HAS_EXPIRED).
        let verify = |cert: &webpki::EndEntityCert<'_>, depth: Option<webpki::RevocationCheckDepth>| {
            let revocation = depth.and_then(|depth| {
                Some(
                    webpki::RevocationOptionsBuilder::new(&crl_refs)
                        .ok()?
                        .with_depth(depth)
                        .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                        .with_expiration_policy(webpki::ExpirationPolicy::Enforce)
                        .build(),
                )
            });
            let r = cert.verify_for_usage(
                self.algorithms,
                roots.roots(),
                intermediates,
                now,
                usage,
                revocation,
                None,
            );
            match r {
                // RevocationOptionsBuilder refuses an empty CRL list: the chain is otherwise good
                // and nothing can vouch for the leaf.
                Ok(_) if depth.is_some() && crl_refs.is_empty() => {
                    Err(webpki::Error::UnknownRevocationStatus)
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            }
        };
        let is_revocation = |e: &webpki::Error| {
            matches!(
                e,
                webpki::Error::UnknownRevocationStatus
                    | webpki::Error::CrlExpired { .. }
                    | webpki::Error::CertRevoked
            )
        };
        // (code, depth) for a revocation failure, OpenSSL's numbers.
        let mut crl_verdict = None;
        let webpki_verdict = webpki::EndEntityCert::try_from(end_entity)
            .map_err(crate::x509::verify::certificate_error_from_webpki)
            .and_then(|cert| {
                let mut r = verify(&cert, crl_check);
                let mut depth = 0;
                // OpenSSL's check_revocation goes from the leaf up, so a revoked (or unknown)
                // leaf is what it reports even when a certificate above also lacks a CRL;
                // webpki reports the first failure in its own order: ask about the leaf alone.
                if matches!(crl_check, Some(webpki::RevocationCheckDepth::Chain))
                    && r.as_ref().is_err_and(is_revocation)
                {
                    match verify(&cert, Some(webpki::RevocationCheckDepth::EndEntity)) {
                        Err(e) if is_revocation(&e) => r = Err(e),
                        _ => depth = 1,
                    }
                }
                r.map_err(|e| {
                    crl_verdict = match e {
                        webpki::Error::UnknownRevocationStatus => Some((3, depth)),
                        webpki::Error::CrlExpired { .. } => Some((12, depth)),
                        webpki::Error::CertRevoked => Some((23, depth)),
                        _ => None,
                    };
                    crate::x509::verify::certificate_error_from_webpki(e)
                })
            });
        let (chain, _) = build_chain(&sent, trusted);
        let verdict =
            webpki_verdict.as_ref().err().map(|e| crl_verdict.unwrap_or_else(|| classify(e, &chain, now)));
        let (result, accepted) = self.run(chain, verdict);
        {
            let ssl = self.ssl.get();
            let own = match &self.outcome {
                Some(o) => Some(Arc::clone(o)),
                // SAFETY: a non-null SSL from `SslPtr::get` is the live SSL driving this
                // handshake on this thread; `shared` is the part callbacks may read.
                None if !ssl.is_null() => Some(Arc::clone(unsafe { &(*ssl).shared.outcome })),
                None => None,
            };
            if let Some(outcome) = own {
                let mut o = outcome.lock().unwrap_or_else(|e| e.into_inner());
                o.result = result;
                o.ran = true;
            }
        }
        if accepted || self.mode & 1 == 0 {
            return Ok(());
        }
        Err(match (webpki_verdict, result) {
            (_, V_ERR_HOSTNAME_MISMATCH) => CertificateError::NotValidForName(self.hosts.join(", ")),
            (_, V_ERR_IP_ADDRESS_MISMATCH) => {
                CertificateError::NotValidForName(self.ip.map(|ip| ip.to_string()).unwrap_or_default())
            }
            (Err(e), r) if verdict.is_some_and(|(c, _)| c == r) => e,
            (_, r) => CertificateError::Other(format!(
                "certificate verify failed: {}",
                error_string(r).to_string_lossy()
            )),
        })
    }
}

impl ServerCertVerifier for OpenSslVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), CertificateError> {
        self.verify_peer(end_entity, intermediates, now, webpki::KeyUsage::server_auth())
    }
}

/// `SSL_VERIFY_FAIL_IF_NO_PEER_CERT`.
pub const VERIFY_FAIL_IF_NO_PEER_CERT: c_int = 2;

/// A server with `SSL_VERIFY_PEER`: the same sequence of callbacks over a clientAuth chain.
impl ClientCertVerifier for OpenSslVerifier {
    fn root_hint_subjects(&self) -> Vec<Vec<u8>> {
        self.ca_names.clone()
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mode & VERIFY_FAIL_IF_NO_PEER_CERT != 0
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), CertificateError> {
        self.verify_peer(end_entity, intermediates, now, webpki::KeyUsage::client_auth())
    }
}
