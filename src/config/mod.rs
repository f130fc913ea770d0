//! Client and server configuration: immutable once built, shared by `Arc` across connections.
#![forbid(unsafe_code)]

mod alpn;
mod cert_resolver;
mod cipher_list;
pub mod danger;
pub mod defaults;
pub mod key_log;
pub mod names;

pub(crate) use alpn::select_by_server_preference;
pub use alpn::{AlpnSelection, AlpnSelector, MAX_PROTOCOL_NAME_LIST_LEN};
pub use cert_resolver::{
    CertifiedKey, ClientHelloView, ResolvesServerCert, ResolvesServerCertUsingKeyType,
    ResolvesServerCertUsingSni,
};
pub use cipher_list::{find_suite, parse_cipher_list};
pub use key_log::{KeyLog, NoKeyLog};

use crate::crypto::{CryptoProvider, KeyExchangeAlgorithm, KxGroup, Tls12CipherSuite};
use crate::error::{Error, PolicyError};
use crate::msgs::enums::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::session::{
    ClientSessionMemoryCache, NoTickets, ServerSessionMemoryCache, StoresClientSessions,
    StoresServerSessions, TicketKeys, Ticketer, Tls12Session, Tls13Session, VerifiedBy,
};
use crate::x509::{CertificateDer, ClientCertVerifier, PrivateKeyDer, ServerCertVerifier, TimeProvider};
use std::sync::Arc;

/// Version range, suites and extensions shared by both sides.
#[derive(Clone, Debug)]
pub struct ProtocolPolicy {
    /// Lowest version spoken.
    pub min_version: ProtocolVersion,
    /// Highest version spoken.
    pub max_version: ProtocolVersion,
    /// Suites in preference order.
    pub cipher_suites: Vec<&'static Tls12CipherSuite>,
    /// TLS 1.3 suites in preference order (RFC 8446 §B.4), configured apart from the 1.2 list
    /// as OpenSSL's `-ciphersuites` is.
    pub tls13_cipher_suites: Vec<&'static crate::crypto::Tls13CipherSuite>,
    /// The legacy profile: TLS 1.0/1.1, 3DES and RC4 allowed; servers without secure
    /// renegotiation accepted (servers always accept such clients).
    pub legacy: bool,
    /// Offer/accept extended master secret (RFC 7627).
    pub extended_master_secret: bool,
    /// Offer/accept encrypt-then-MAC (RFC 7366).
    pub encrypt_then_mac: bool,
    /// Key exchange groups for ECDHE, most preferred first: a client offers them in
    /// supported_groups in this order; a server picks the first of them the client offered.
    pub kx_groups: Vec<&'static dyn KxGroup>,
    /// Signature schemes in preference order (TLS 1.2): a client offers those of them its
    /// verifier checks; a server signs only with these and accepts client signatures only
    /// in these. SHA-1 schemes appear only in the legacy profile.
    pub signature_schemes: Vec<SignatureScheme>,
}

impl ProtocolPolicy {
    /// True when `v` is inside the configured range.
    pub fn allows_version(&self, v: ProtocolVersion) -> bool {
        self.min_version <= v && v <= self.max_version
    }

    /// The configured group called `name`, if any.
    pub fn kx_group(&self, name: NamedGroup) -> Option<&'static dyn KxGroup> {
        self.kx_groups.iter().copied().find(|g| g.name() == name)
    }

    /// Suites usable at version `v`, in preference order.
    pub fn suites_for(&self, v: ProtocolVersion) -> impl Iterator<Item = &'static Tls12CipherSuite> + '_ {
        self.cipher_suites.iter().copied().filter(move |s| s.min_version <= v)
    }
}

/// Collects the settings common to both builders and checks them together.
#[derive(Clone, Debug)]
struct PolicyBuilder {
    provider: CryptoProvider,
    legacy: bool,
    versions: Option<(ProtocolVersion, ProtocolVersion)>,
    cipher_list: Option<String>,
    extended_master_secret: bool,
    encrypt_then_mac: bool,
    key_log: Arc<dyn KeyLog>,
    kx_groups: Option<KxGroupChoice>,
    signature_schemes: Option<Vec<SignatureScheme>>,
    tls13_ciphersuites: Option<String>,
}

/// Groups as configured: the provider's objects, or names looked up in the provider at build.
#[derive(Clone, Debug)]
enum KxGroupChoice {
    Groups(Vec<&'static dyn KxGroup>),
    Names(Vec<NamedGroup>),
}

impl PolicyBuilder {
    fn new(provider: CryptoProvider) -> Self {
        Self {
            provider,
            legacy: false,
            versions: None,
            cipher_list: None,
            extended_master_secret: defaults::EXTENDED_MASTER_SECRET,
            encrypt_then_mac: defaults::ENCRYPT_THEN_MAC,
            key_log: Arc::new(NoKeyLog),
            kx_groups: None,
            signature_schemes: None,
            tls13_ciphersuites: None,
        }
    }

    /// The groups in force: as configured (names resolved in the provider), else the
    /// provider's, in its order. An empty list is refused when an ECDHE suite is configured.
    fn build_kx_groups(
        &self,
        suites: &[&'static Tls12CipherSuite],
    ) -> Result<Vec<&'static dyn KxGroup>, Error> {
        let available = self.provider.kx_groups;
        let groups: Vec<&'static dyn KxGroup> = match &self.kx_groups {
            None => available.to_vec(),
            Some(KxGroupChoice::Groups(g)) => g.clone(),
            Some(KxGroupChoice::Names(names)) => names
                .iter()
                .map(|name| {
                    available.iter().copied().find(|g| g.name() == *name).ok_or_else(|| {
                        let have: Vec<&str> = available.iter().map(|g| g.name().openssl_name()).collect();
                        Error::Config(format!(
                            "key exchange group {} (0x{:04x}) is not implemented by this crypto provider \
                             (it has {})",
                            name.openssl_name(),
                            u16::from(*name),
                            have.join(", ")
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        if groups.is_empty() && suites.iter().any(|s| s.kx == KeyExchangeAlgorithm::Ecdhe) {
            return Err(Error::Config(
                "no key exchange groups configured, and ECDHE cipher suites need one \
                 (configure X25519, P-256 or P-384, or leave the ECDHE suites out of the cipher list)"
                    .into(),
            ));
        }
        Ok(groups)
    }

    /// The signature schemes in force: as configured, else the defaults (with SHA-1 in the
    /// legacy profile). SHA-1 outside the legacy profile, unknown schemes and an empty list
    /// are configuration errors.
    fn build_signature_schemes(&self) -> Result<Vec<SignatureScheme>, Error> {
        let Some(schemes) = &self.signature_schemes else {
            let mut all = defaults::SIGNATURE_SCHEMES.to_vec();
            if self.legacy {
                all.extend_from_slice(defaults::LEGACY_SIGNATURE_SCHEMES);
            }
            return Ok(all);
        };
        if schemes.is_empty() {
            return Err(Error::Config("the signature scheme list is empty".into()));
        }
        for s in schemes {
            if let SignatureScheme::Unknown(v) = s {
                return Err(Error::Config(format!("signature scheme 0x{v:04x} is not supported")));
            }
            if s.is_sha1() && !self.legacy {
                return Err(Error::Config(format!(
                    "signature scheme {} uses SHA-1 (RFC 9155) and needs the legacy profile (--legacy)",
                    s.name()
                )));
            }
        }
        Ok(schemes.clone())
    }

    /// The TLS 1.3 suites in force: as configured (IANA names separated by `:`, as OpenSSL's
    /// `SSL_CTX_set_ciphersuites` takes them; an empty list turns TLS 1.3 suites off), else the
    /// provider's.
    fn build_tls13_suites(&self) -> Result<Vec<&'static crate::crypto::Tls13CipherSuite>, Error> {
        let Some(list) = &self.tls13_ciphersuites else {
            return Ok(self.provider.tls13_cipher_suites.to_vec());
        };
        let mut out = Vec::new();
        for name in list.split(':').filter(|n| !n.is_empty()) {
            let suite = self
                .provider
                .tls13_cipher_suites
                .iter()
                .copied()
                .find(|s| s.is_named(name))
                .ok_or_else(|| Error::Config(format!("unknown TLS 1.3 cipher suite {name:?}")))?;
            if !out.contains(&suite) {
                out.push(suite);
            }
        }
        Ok(out)
    }

    fn build(&self) -> Result<ProtocolPolicy, Error> {
        let (min_version, max_version) = self.versions.unwrap_or(if self.legacy {
            (defaults::LEGACY_MIN_VERSION, defaults::MAX_VERSION)
        } else {
            (defaults::MIN_VERSION, defaults::MAX_VERSION)
        });
        for v in [min_version, max_version] {
            if v < ProtocolVersion::TLSv1_0 || v > defaults::HIGHEST_SUPPORTED_VERSION {
                return Err(PolicyError::UnsupportedVersion(v).into());
            }
        }
        if min_version > max_version {
            return Err(PolicyError::VersionsInverted { min: min_version, max: max_version }.into());
        }
        if min_version < defaults::MIN_VERSION && !self.legacy {
            return Err(PolicyError::VersionNeedsLegacy(min_version).into());
        }
        let cipher_suites: Vec<_> = match &self.cipher_list {
            Some(list) => {
                let suites = parse_cipher_list(self.provider.cipher_suites, list)?;
                if let Some(s) = suites.iter().find(|s| s.legacy && !self.legacy) {
                    return Err(PolicyError::SuiteNeedsLegacy {
                        openssl_name: s.openssl_name,
                        iana_name: s.iana_name,
                    }
                    .into());
                }
                suites
            }
            None => {
                self.provider.cipher_suites.iter().copied().filter(|s| self.legacy || !s.legacy).collect()
            }
        };
        let tls13_cipher_suites = self.build_tls13_suites()?;
        let tls13_usable = max_version >= ProtocolVersion::TLSv1_3 && !tls13_cipher_suites.is_empty();
        if !tls13_usable && !cipher_suites.iter().any(|s| s.min_version <= max_version) {
            return Err(PolicyError::NoSuiteForVersion(max_version).into());
        }
        // Without TLS 1.3 suites TLS 1.3 is not spoken at all (as OpenSSL does after
        // `SSL_CTX_set_ciphersuites("")`): a 1.3-capable peer then negotiates 1.2 instead of
        // failing on a suite.
        let max_version = if max_version >= ProtocolVersion::TLSv1_3 && tls13_cipher_suites.is_empty() {
            if min_version >= ProtocolVersion::TLSv1_3 {
                return Err(PolicyError::NoSuiteForVersion(ProtocolVersion::TLSv1_3).into());
            }
            ProtocolVersion::TLSv1_2
        } else {
            max_version
        };
        let kx_groups = self.build_kx_groups(&cipher_suites)?;
        let signature_schemes = self.build_signature_schemes()?;
        Ok(ProtocolPolicy {
            min_version,
            max_version,
            cipher_suites,
            tls13_cipher_suites,
            kx_groups,
            signature_schemes,
            legacy: self.legacy,
            extended_master_secret: self.extended_master_secret,
            encrypt_then_mac: self.encrypt_then_mac,
        })
    }
}

/// The process-wide crypto provider: the one installed with
/// [`CryptoProvider::install_default`] (or [`install_default_provider_by_name`]), else the
/// built-in default, installed on first use: aws-lc with the `aws-lc` cargo feature (on by
/// default), RustCrypto without it. The config builders, the C API, the OpenSSL layer and the
/// `ferrotls` command all take their provider from here. This is the one place the core names
/// the providers.
pub fn default_provider() -> &'static CryptoProvider {
    CryptoProvider::get_default_or_install(BUILT_IN_PROVIDERS[0].1)
}

/// The providers this build has, by name, the built-in default first.
pub static BUILT_IN_PROVIDERS: &[(&str, &CryptoProvider)] = &[
    #[cfg(feature = "aws-lc")]
    ("aws-lc", &crate::crypto::aws_lc::AWS_LC_PROVIDER),
    ("rustcrypto", &crate::crypto::rustcrypto::DEFAULT_PROVIDER),
];

/// The built-in provider called `name` (`"aws-lc"`, `"rustcrypto"`; ASCII case ignored), if
/// this build has it.
pub fn provider_by_name(name: &str) -> Option<&'static CryptoProvider> {
    BUILT_IN_PROVIDERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, p)| *p)
}

/// The name of `provider` if it is one of the built-in providers.
pub fn provider_name(provider: &CryptoProvider) -> Option<&'static str> {
    BUILT_IN_PROVIDERS.iter().find(|(_, p)| core::ptr::eq(*p, provider)).map(|(n, _)| *n)
}

/// Installs the built-in provider called `name` as the process-wide default (before any
/// configuration is built). Errors say what went wrong: an unknown name (listing the ones this
/// build has), or another provider already in place.
pub fn install_default_provider_by_name(name: &str) -> Result<(), String> {
    let Some(provider) = provider_by_name(name) else {
        let known: Vec<&str> = BUILT_IN_PROVIDERS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown crypto provider {name:?}; this build has: {}", known.join(", ")));
    };
    CryptoProvider::install_default(provider).map_err(|installed| {
        format!(
            "the crypto provider is already {} (chosen before any configuration is built, once per process)",
            provider_name(installed).unwrap_or("a custom provider")
        )
    })
}

macro_rules! policy_setters {
    () => {
        /// Turns the legacy profile on or off: TLS 1.0/1.1, 3DES and RC4 become available
        /// (hardened: constant-time CBC, 1/n-1 splitting, EMS and EtM still offered).
        pub fn legacy(mut self, on: bool) -> Self {
            self.policy.legacy = on;
            self
        }

        /// Sets the version range. Below TLS 1.2 needs [`Self::legacy`].
        pub fn versions(mut self, min: ProtocolVersion, max: ProtocolVersion) -> Self {
            self.policy.versions = Some((min, max));
            self
        }

        /// Restricts and orders the cipher suites: OpenSSL or IANA names separated by `:`.
        pub fn cipher_list(mut self, list: &str) -> Self {
            self.policy.cipher_list = Some(list.to_owned());
            self
        }

        /// Restricts and orders the TLS 1.3 cipher suites: IANA names separated by `:` (as
        /// OpenSSL's `-ciphersuites`), e.g. `TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256`.
        pub fn tls13_ciphersuites(mut self, list: &str) -> Self {
            self.policy.tls13_ciphersuites = Some(list.to_owned());
            self
        }

        /// Offers/accepts extended master secret (RFC 7627); on by default.
        pub fn extended_master_secret(mut self, on: bool) -> Self {
            self.policy.extended_master_secret = on;
            self
        }

        /// Offers/accepts encrypt-then-MAC (RFC 7366); on by default.
        pub fn encrypt_then_mac(mut self, on: bool) -> Self {
            self.policy.encrypt_then_mac = on;
            self
        }

        /// Hands every connection's secrets to `key_log` (NSS key log format, see
        /// [`key_log`]); for debugging with a packet analyser. Default: [`NoKeyLog`].
        pub fn key_log(mut self, key_log: Arc<dyn KeyLog>) -> Self {
            self.policy.key_log = key_log;
            self
        }

        /// The key exchange groups for ECDHE, most preferred first (default: the provider's,
        /// X25519MLKEM768, X25519, P-256, P-384), e.g. `vec![&rustcrypto::SECP256R1]`. A client
        /// offers them in this order, with a TLS 1.3 key share for the first (and one for X25519
        /// too when the first is the hybrid X25519MLKEM768 and X25519 is listed); a server picks
        /// its first group the client sent a share for, else its first the client listed.
        pub fn kx_groups(mut self, groups: Vec<&'static dyn crate::crypto::KxGroup>) -> Self {
            self.policy.kx_groups = Some(KxGroupChoice::Groups(groups));
            self
        }

        /// [`Self::kx_groups`] by IANA name, looked up in the provider at build (a group it
        /// does not implement is a configuration error), e.g. `&[NamedGroup::X25519]`.
        pub fn kx_group_names(mut self, names: &[crate::enums::NamedGroup]) -> Self {
            self.policy.kx_groups = Some(KxGroupChoice::Names(names.to_vec()));
            self
        }

        /// The TLS 1.2 signature schemes, most preferred first (default
        /// [`defaults::SIGNATURE_SCHEMES`], plus SHA-1 in the legacy profile). A client offers
        /// those its verifier can check; a server signs ServerKeyExchange only with one of
        /// these that the client offered, and asks for them in CertificateRequest. SHA-1
        /// schemes need the legacy profile.
        pub fn signature_schemes(mut self, schemes: Vec<crate::enums::SignatureScheme>) -> Self {
            self.policy.signature_schemes = Some(schemes);
            self
        }
    };
}

/// Settings for client connections.
#[derive(Debug)]
pub struct ClientConfig {
    pub(crate) provider: CryptoProvider,
    pub(crate) policy: ProtocolPolicy,
    pub(crate) verifier: Arc<dyn ServerCertVerifier>,
    pub(crate) time: Arc<dyn TimeProvider>,
    pub(crate) send_fallback_scsv: bool,
    pub(crate) enable_sni: bool,
    pub(crate) client_auth: Option<CertifiedKey>,
    /// Offered in ClientHello in this order (RFC 7301 §3.1); empty: no ALPN.
    pub(crate) alpn_protocols: Vec<Vec<u8>>,
    /// What sessions made under this configuration record as their verification; only
    /// sessions with the same one are offered again.
    pub(crate) verified_by: VerifiedBy,
    /// How long a session made under this configuration may be offered, in seconds.
    pub(crate) session_lifetime_secs: u64,
    /// Offer the SessionTicket extension (RFC 5077) and resume by ticket.
    pub(crate) tickets: bool,
    /// Where this configuration's connections keep their sessions, by server name.
    pub(crate) session_store: Arc<dyn StoresClientSessions>,
    /// Where secrets go for debugging ([`NoKeyLog`] by default).
    pub(crate) key_log: Arc<dyn KeyLog>,
}

impl ClientConfig {
    /// A builder using the process-wide provider ([`default_provider`]).
    pub fn builder() -> ClientConfigBuilder {
        Self::builder_with_provider(*default_provider())
    }

    /// A builder using `provider`.
    pub fn builder_with_provider(provider: CryptoProvider) -> ClientConfigBuilder {
        ClientConfigBuilder {
            policy: PolicyBuilder::new(provider),
            verifier: None,
            time: None,
            send_fallback_scsv: false,
            enable_sni: true,
            client_auth: None,
            alpn_protocols: Vec::new(),
            session_token: None,
            session_lifetime_secs: defaults::SESSION_LIFETIME_SECS,
            tickets: defaults::SESSION_TICKETS,
            session_store: None,
        }
    }

    /// The version range and suites in force.
    pub fn policy(&self) -> &ProtocolPolicy {
        &self.policy
    }

    /// Where connections made with this configuration keep their sessions (one per server
    /// name) and find the one they offer.
    pub fn session_store(&self) -> &Arc<dyn StoresClientSessions> {
        &self.session_store
    }

    /// Whether session tickets (RFC 5077) are offered.
    pub fn tickets(&self) -> bool {
        self.tickets
    }

    /// Takes a session from its byte encoding ([`Tls12Session::to_bytes`], perhaps from
    /// another process) for connections of this configuration. Resumption skips the server's
    /// Certificate, so the session's certificates are verified again here, with this
    /// configuration's verifier, for the session's server name and by its clock; only a
    /// session that passes is tied to this configuration and offered by it (through
    /// `ClientConnection::new_resuming`, or put in [`Self::session_store`]).
    pub fn import_session(&self, bytes: &[u8]) -> Result<Tls12Session, Error> {
        let session =
            Tls12Session::from_bytes(bytes, &self.provider).map_err(|e| Error::Config(e.to_string()))?;
        self.verify_imported(session.server_name(), session.peer_certificates())?;
        Ok(session.with_verified_by(self.verified_by.clone()))
    }

    /// [`Self::import_session`] for a TLS 1.3 ticket ([`Tls13Session::to_bytes`]): its
    /// certificates are verified again with this configuration's verifier, for its server name
    /// and by its clock, before it is tied to this configuration. Each import is a new copy that
    /// has not been offered (RFC 8446 §C.4 asks a client to offer a ticket once: import it
    /// once), offered through `ClientConnection::new_resuming_tls13` or the session store.
    pub fn import_tls13_session(&self, bytes: &[u8]) -> Result<Tls13Session, Error> {
        let session =
            Tls13Session::from_bytes(bytes, &self.provider).map_err(|e| Error::Config(e.to_string()))?;
        self.verify_imported(session.server_name(), session.peer_certificates())?;
        Ok(session.with_verified_by(self.verified_by.clone()))
    }

    /// The check an imported session of either version passes: a resumption skips the
    /// server's Certificate, so the certificates it carries are verified with this
    /// configuration's verifier, for the server name it names, by this configuration's clock.
    fn verify_imported(
        &self,
        name: Option<&str>,
        certificates: &[CertificateDer<'static>],
    ) -> Result<(), Error> {
        let name = name.ok_or_else(|| Error::Config("the session names no server".into()))?;
        let server_name = crate::x509::ServerName::try_from(name.to_owned()).map_err(|_| {
            Error::Config(format!("the session's server name {name:?} is not a name or address"))
        })?;
        let (leaf, intermediates) = certificates
            .split_first()
            .ok_or_else(|| Error::Config("the session carries no server certificate to verify".into()))?;
        let now =
            self.time.now().ok_or_else(|| Error::Config("no clock to verify the session against".into()))?;
        self.verifier.verify_server_cert(leaf, intermediates, &server_name, now)?;
        Ok(())
    }
}

/// Builds a [`ClientConfig`]. Checks happen in [`ClientConfigBuilder::build`].
pub struct ClientConfigBuilder {
    policy: PolicyBuilder,
    verifier: Option<Arc<dyn ServerCertVerifier>>,
    time: Option<Arc<dyn TimeProvider>>,
    send_fallback_scsv: bool,
    enable_sni: bool,
    client_auth: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    alpn_protocols: Vec<Vec<u8>>,
    session_token: Option<Arc<()>>,
    session_lifetime_secs: u64,
    tickets: bool,
    session_store: Option<Arc<dyn StoresClientSessions>>,
}

impl ClientConfigBuilder {
    policy_setters!();

    /// Verifies servers with `verifier` (for example a `WebPkiServerVerifier` over a root store).
    pub fn verifier(mut self, verifier: Arc<dyn ServerCertVerifier>) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Verifies servers against the trust anchors in `roots` with the provider's signature
    /// algorithms (SHA-1 accepted only with the legacy profile).
    pub fn root_store(self, roots: crate::x509::RootCertStore) -> Self {
        let algs = if self.policy.legacy {
            self.policy.provider.legacy_signature_algorithms
        } else {
            self.policy.provider.signature_algorithms
        };
        let v = crate::x509::WebPkiServerVerifier::with_algorithms(Arc::new(roots), algs);
        self.verifier(Arc::new(v))
    }

    /// Accepts any server certificate. See [`danger::NoServerVerification`].
    pub fn dangerous_no_verification(self) -> Self {
        self.verifier(Arc::new(danger::NoServerVerification))
    }

    /// The clock certificate validity is checked against (default: the system clock).
    pub fn time_provider(mut self, time: Arc<dyn TimeProvider>) -> Self {
        self.time = Some(time);
        self
    }

    /// Sends TLS_FALLBACK_SCSV (RFC 7507): only for a client retrying with a lower maximum
    /// version after a failed connection.
    pub fn send_fallback_scsv(mut self, on: bool) -> Self {
        self.send_fallback_scsv = on;
        self
    }

    /// Sends server_name (RFC 6066) for DNS names; on by default.
    pub fn enable_sni(mut self, on: bool) -> Self {
        self.enable_sni = on;
        self
    }

    /// The certificate chain (leaf first) and RSA key this client presents when a server asks
    /// for one (RFC 5246 §7.4.6). Without it the client answers a request with no certificate.
    pub fn client_auth_cert(
        mut self,
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Self {
        self.client_auth = Some((chain, key));
        self
    }

    /// Offers these application protocols (ALPN, RFC 7301), most preferred first, e.g.
    /// `vec![b"h2".to_vec(), b"http/1.1".to_vec()]`. Each name is 1 to 255 bytes (checked at
    /// [`Self::build`]); an empty list (the default) sends no ALPN.
    pub fn alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn_protocols = protocols;
        self
    }

    /// How long a session made under this configuration may be offered for resumption, in
    /// seconds from the end of its full handshake by the configuration's clock (default
    /// [`defaults::SESSION_LIFETIME_SECS`]). A server applies its own lifetime as well.
    pub fn session_lifetime(mut self, secs: u64) -> Self {
        self.session_lifetime_secs = secs;
        self
    }

    /// Offers the SessionTicket extension (RFC 5077) and resumes by ticket; on by default.
    /// Off, the client still resumes by session ID.
    pub fn tickets(mut self, on: bool) -> Self {
        self.tickets = on;
        self
    }

    /// Keeps the sessions of at most `capacity` server names (default
    /// [`defaults::CLIENT_SESSION_CACHE_SIZE`]), so that a new connection to a name offers its
    /// session by itself; 0 keeps none.
    pub fn session_cache(self, capacity: usize) -> Self {
        self.session_store(Arc::new(ClientSessionMemoryCache::new(capacity)))
    }

    /// Keeps sessions in `store` (for example one shared by several configurations: each
    /// still offers only the sessions its own verifier checked).
    pub fn session_store(mut self, store: Arc<dyn StoresClientSessions>) -> Self {
        self.session_store = Some(store);
        self
    }

    /// Tags sessions with `token` instead of the verifier object: the OpenSSL-compatible layer
    /// builds a verifier per handshake and hands out one token per context and verification
    /// settings, so that those sessions resume there and nowhere else.
    #[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
    pub(crate) fn session_token(mut self, token: Arc<()>) -> Self {
        self.session_token = Some(token);
        self
    }

    /// Checks the settings together and builds the configuration. A client key that does not
    /// match its certificate is refused here.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let mut policy = self.policy.build()?;
        // Groups only TLS 1.3 can use (the hybrid X25519MLKEM768) mean nothing to a client
        // that cannot speak it (draft-ietf-tls-ecdhe-mlkem §3: never negotiated below 1.3), so
        // a TLS 1.2-at-most client leaves them out, configured or not.
        if policy.max_version < ProtocolVersion::TLSv1_3 {
            policy.kx_groups.retain(|g| !g.tls13_only());
            if policy.kx_groups.is_empty()
                && policy.cipher_suites.iter().any(|s| s.kx == KeyExchangeAlgorithm::Ecdhe)
            {
                return Err(Error::Config(
                    "the configured key exchange groups are TLS 1.3 only (X25519MLKEM768) and this client \
                     speaks at most TLS 1.2: add X25519, P-256 or P-384"
                        .into(),
                ));
            }
        }
        alpn::require_valid_protocols(&self.alpn_protocols)?;
        let client_auth = match self.client_auth {
            Some((chain, key)) => Some(CertifiedKey::load(&self.policy.provider, chain, &key)?),
            None => None,
        };
        let verifier = self.verifier.ok_or_else(|| {
            Error::Config(
                "no way to verify servers: give trust anchors (a CA file) or opt out explicitly".into(),
            )
        })?;
        // A session is tied to the verifier that checked its server (or the OpenSSL layer's
        // token for it): another trust store or `dangerous_no_verification` never resumes it.
        let verified_by = match self.session_token {
            Some(token) => VerifiedBy::Token(token),
            None => VerifiedBy::Verifier(Arc::clone(&verifier)),
        };
        Ok(ClientConfig {
            provider: self.policy.provider,
            policy,
            verified_by,
            session_lifetime_secs: self.session_lifetime_secs,
            verifier,
            time: self.time.unwrap_or_else(|| Arc::new(crate::crypto::rustcrypto::SystemTimeProvider)),
            send_fallback_scsv: self.send_fallback_scsv,
            enable_sni: self.enable_sni,
            client_auth,
            alpn_protocols: self.alpn_protocols,
            tickets: self.tickets,
            session_store: self.session_store.unwrap_or_else(|| {
                Arc::new(ClientSessionMemoryCache::new(defaults::CLIENT_SESSION_CACHE_SIZE))
            }),
            key_log: self.policy.key_log,
        })
    }
}

/// Settings for server connections.
#[derive(Debug)]
pub struct ServerConfig {
    pub(crate) provider: CryptoProvider,
    pub(crate) policy: ProtocolPolicy,
    /// Chooses the certificate per ClientHello.
    pub(crate) cert_resolver: Arc<dyn ResolvesServerCert>,
    pub(crate) client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    pub(crate) time: Arc<dyn TimeProvider>,
    /// Accepted in this preference order (RFC 7301 §3.2); empty: ALPN is ignored.
    pub(crate) alpn_protocols: Vec<Vec<u8>>,
    /// Decides instead of `alpn_protocols` when set.
    pub(crate) alpn_selector: Option<Arc<dyn AlpnSelector>>,
    pub(crate) sessions: ServerSessionSettings,
    /// Where secrets go for debugging ([`NoKeyLog`] by default).
    pub(crate) key_log: Arc<dyn KeyLog>,
    /// Keys the cookie of our HelloRetryRequests (RFC 8446 §4.2.2); `None`: no cookie is sent.
    pub(crate) hrr_cookie_key: Option<HrrCookieKey>,
}

/// The random HMAC key of a server configuration's HelloRetryRequest cookies, wiped on drop and
/// never printed.
pub(crate) struct HrrCookieKey(pub(crate) zeroize::Zeroizing<[u8; 32]>);

impl core::fmt::Debug for HrrCookieKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HrrCookieKey(..)")
    }
}

/// How a server stores and resumes sessions (RFC 5246 §7.3).
#[derive(Clone, Debug)]
pub(crate) struct ServerSessionSettings {
    pub(crate) storage: Arc<dyn StoresServerSessions>,
    pub(crate) lifetime_secs: u64,
    pub(crate) session_id_context: Vec<u8>,
    /// OpenSSL's rule (`SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED`): a server that verifies client
    /// certificates and has no session-id context fails a resumption attempt with
    /// internal_error instead of resuming a session that may come from another context. Set by
    /// the OpenSSL-compatible layer only.
    pub(crate) require_context_with_client_auth: bool,
    /// Seals sessions into tickets (RFC 5077) for clients that ask; [`NoTickets`] when off.
    /// TLS 1.3 tickets (RFC 8446 §4.6.1) go through it too.
    pub(crate) ticketer: Arc<dyn Ticketer>,
    /// TLS 1.3 tickets sent after each handshake.
    pub(crate) tls13_tickets: usize,
    /// max_early_data_size announced in TLS 1.3 tickets (0: none). Early data is never
    /// accepted; this much of it (at least [`defaults::EARLY_DATA_SKIP_LIMIT`]) is skipped.
    pub(crate) max_early_data: u32,
}

impl ServerConfig {
    /// A builder using the process-wide provider ([`default_provider`]).
    pub fn builder() -> ServerConfigBuilder {
        Self::builder_with_provider(*default_provider())
    }

    /// A builder using `provider`.
    pub fn builder_with_provider(provider: CryptoProvider) -> ServerConfigBuilder {
        ServerConfigBuilder {
            policy: PolicyBuilder::new(provider),
            certs: Vec::new(),
            cert_resolver: None,
            client_verifier: None,
            time: None,
            alpn_protocols: Vec::new(),
            alpn_selector: None,
            session_storage: None,
            session_lifetime_secs: defaults::SESSION_LIFETIME_SECS,
            session_id_context: Vec::new(),
            require_context_with_client_auth: false,
            ticketer: None,
            tls13_tickets: defaults::TLS13_TICKETS,
            max_early_data: 0,
            hrr_cookie: false,
        }
    }

    /// Where sessions are kept for resumption, shared by every connection of this configuration.
    pub fn session_storage(&self) -> &Arc<dyn StoresServerSessions> {
        &self.sessions.storage
    }

    /// What seals and opens this configuration's session tickets.
    pub fn ticketer(&self) -> &Arc<dyn Ticketer> {
        &self.sessions.ticketer
    }

    /// The version range and suites in force.
    pub fn policy(&self) -> &ProtocolPolicy {
        &self.policy
    }
}

/// Builds a [`ServerConfig`].
pub struct ServerConfigBuilder {
    policy: PolicyBuilder,
    certs: Vec<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    cert_resolver: Option<Arc<dyn ResolvesServerCert>>,
    client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    time: Option<Arc<dyn TimeProvider>>,
    alpn_protocols: Vec<Vec<u8>>,
    alpn_selector: Option<Arc<dyn AlpnSelector>>,
    session_storage: Option<Arc<dyn StoresServerSessions>>,
    session_lifetime_secs: u64,
    session_id_context: Vec<u8>,
    require_context_with_client_auth: bool,
    /// `None`: the default [`TicketKeys`], made at build.
    ticketer: Option<Arc<dyn Ticketer>>,
    tls13_tickets: usize,
    max_early_data: u32,
    hrr_cookie: bool,
}

impl ServerConfigBuilder {
    policy_setters!();

    /// The certificate chain (leaf first) and its private key (RSA, ECDSA P-256/P-384 or
    /// Ed25519 as the provider loads them; PKCS#8, PKCS#1 or SEC 1), replacing any added before.
    pub fn single_cert(mut self, chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> Self {
        self.certs = vec![(chain, key)];
        self
    }

    /// Adds a certificate chain and its key beside those already added, normally one per key
    /// type (an RSA and an ECDSA certificate): each client gets, for the first suite in the
    /// server's order it offered, the first certificate that can authenticate that suite with
    /// the client's signature_algorithms ([`ResolvesServerCertUsingKeyType`]).
    pub fn add_cert(mut self, chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> Self {
        self.certs.push((chain, key));
        self
    }

    /// Chooses certificates with `resolver` (for example [`ResolvesServerCertUsingSni`]) instead
    /// of [`Self::single_cert`] / [`Self::add_cert`]; setting both is a configuration error.
    pub fn cert_resolver(mut self, resolver: Arc<dyn ResolvesServerCert>) -> Self {
        self.cert_resolver = Some(resolver);
        self
    }

    /// Asks clients for a certificate and checks it with `verifier` (mutual authentication).
    /// Whether a certificate is required or optional is the verifier's
    /// [`ClientCertVerifier::client_auth_mandatory`]. Without a verifier no certificate is requested.
    pub fn client_verifier(mut self, verifier: Arc<dyn ClientCertVerifier>) -> Self {
        self.client_verifier = Some(verifier);
        self
    }

    /// The clock client certificates are checked against (default: the system clock).
    pub fn time_provider(mut self, time: Arc<dyn TimeProvider>) -> Self {
        self.time = Some(time);
        self
    }

    /// Accepts these application protocols (ALPN, RFC 7301), most preferred first. When a
    /// client offers ALPN the server selects the first of these that the client offered (server
    /// preference, RFC 7301 §3.2), and refuses the handshake with `no_application_protocol`
    /// when none is offered. An empty list (the default) ignores the client's ALPN. Each name
    /// is 1 to 255 bytes (checked at [`Self::build`]).
    pub fn alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn_protocols = protocols;
        self
    }

    /// Lets `selector` make the ALPN decision for each ClientHello that carries ALPN, instead
    /// of [`Self::alpn_protocols`]: select one of the client's offers, answer without ALPN, or
    /// refuse with `no_application_protocol`.
    pub fn alpn_selector(mut self, selector: Arc<dyn AlpnSelector>) -> Self {
        self.alpn_selector = Some(selector);
        self
    }

    /// Keeps at most `capacity` sessions in memory for resumption by session ID, evicting the
    /// least recently used (default [`defaults::SESSION_CACHE_SIZE`]); 0 turns resumption off.
    pub fn session_cache(self, capacity: usize) -> Self {
        self.session_storage(Arc::new(ServerSessionMemoryCache::new(capacity)))
    }

    /// Keeps sessions in `storage` (for example one shared by several configurations).
    pub fn session_storage(mut self, storage: Arc<dyn StoresServerSessions>) -> Self {
        self.session_storage = Some(storage);
        self
    }

    /// How long a session may be resumed, in seconds (default
    /// [`defaults::SESSION_LIFETIME_SECS`]), checked against the configuration's clock.
    pub fn session_lifetime(mut self, secs: u64) -> Self {
        self.session_lifetime_secs = secs;
        self
    }

    /// Issues and accepts session tickets (RFC 5077) with `ticketer`, e.g. a [`TicketKeys`]
    /// shared by several configurations or servers, or rotated by the application.
    pub fn ticketer(mut self, ticketer: Arc<dyn Ticketer>) -> Self {
        self.ticketer = Some(ticketer);
        self
    }

    /// Issues and accepts session tickets (on by default, with random [`TicketKeys`] rotated
    /// every [`defaults::TICKET_KEY_ROTATION_SECS`]); off, clients that offer a ticket get a
    /// full handshake and a session ID instead.
    pub fn tickets(mut self, on: bool) -> Self {
        self.ticketer = match on {
            true => None,
            false => Some(Arc::new(NoTickets)),
        };
        self
    }

    /// How many TLS 1.3 tickets to send after each handshake (default
    /// [`defaults::TLS13_TICKETS`]; 0 sends none, and with [`Self::tickets`] off none are sent
    /// either). Clients use each ticket once. A count above [`defaults::MAX_TLS13_TICKETS`]
    /// sends that many: a huge count (`SSL_CTX_set_num_tickets` takes any `size_t`) must not make
    /// one handshake send tickets without bound.
    pub fn tls13_tickets(mut self, count: usize) -> Self {
        self.tls13_tickets = count.min(defaults::MAX_TLS13_TICKETS);
        self
    }

    /// The max_early_data_size announced in TLS 1.3 tickets (default 0: none announced).
    /// ferrotls never accepts early data: a client that sends it gets a 1-RTT handshake and its
    /// 0-RTT records are skipped (RFC 8446 §4.2.10), up to this many bytes or
    /// [`defaults::EARLY_DATA_SKIP_LIMIT`], whichever is more. Announcing it lets clients that
    /// try 0-RTT only with such tickets (OpenSSL) do so; their early data is then resent.
    pub fn max_early_data_size(mut self, bytes: u32) -> Self {
        self.max_early_data = bytes;
        self
    }

    /// Sends a cookie in every TLS 1.3 HelloRetryRequest (RFC 8446 §4.2.2) and refuses a second
    /// ClientHello that does not echo it exactly with illegal_parameter. The cookie is the hash
    /// of the first ClientHello with an HMAC over it under a random key made at [`Self::build`],
    /// so it binds the retry to that hello. Off by default: a ferrotls server keeps the first
    /// hello's state itself, so a cookie adds no protection over TCP (it serves stateless servers
    /// and DTLS's return-routability check), only bytes; OpenSSL, GnuTLS and rustls servers send
    /// none by default either. Every TLS 1.3 client must echo one (§4.2.2), so turning it on is
    /// safe.
    pub fn hello_retry_cookie(mut self, on: bool) -> Self {
        self.hrr_cookie = on;
        self
    }

    /// Tags sessions with `context` (at most 32 bytes); only sessions created under the same
    /// context are resumed, so servers sharing a store keep their sessions apart.
    pub fn session_id_context(mut self, context: &[u8]) -> Self {
        self.session_id_context = context.to_vec();
        self
    }

    /// OpenSSL's rule for a verifying server without a session-id context (see
    /// `ServerSessionSettings`); only the OpenSSL-compatible layer turns it on.
    #[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
    pub(crate) fn require_session_id_context_with_client_auth(mut self, on: bool) -> Self {
        self.require_context_with_client_auth = on;
        self
    }

    /// Checks the settings together and builds the configuration. A key that does not match
    /// the leaf certificate is refused here, not at handshake time.
    pub fn build(self) -> Result<ServerConfig, Error> {
        let policy = self.policy.build()?;
        alpn::require_valid_protocols(&self.alpn_protocols)?;
        if self.session_id_context.len() > crate::session::MAX_SESSION_ID_CONTEXT_LEN {
            return Err(Error::Config(format!(
                "the session-id context is {} bytes; at most {} are allowed",
                self.session_id_context.len(),
                crate::session::MAX_SESSION_ID_CONTEXT_LEN
            )));
        }
        let cert_resolver: Arc<dyn ResolvesServerCert> = match (self.cert_resolver, self.certs.is_empty()) {
            (Some(resolver), true) => resolver,
            (Some(_), false) => {
                return Err(Error::Config(
                    "a server takes either certificates or a certificate resolver, not both".into(),
                ))
            }
            (None, true) => {
                return Err(Error::Config("a server needs a certificate and a private key".into()))
            }
            (None, false) => {
                let mut set = ResolvesServerCertUsingKeyType::new();
                for (chain, key_der) in self.certs {
                    set.add(Arc::new(CertifiedKey::load(&self.policy.provider, chain, &key_der)?));
                }
                Arc::new(set)
            }
        };
        let ticketer = match self.ticketer {
            Some(t) => t,
            None => Arc::new(TicketKeys::new(&self.policy.provider, defaults::TICKET_KEY_ROTATION_SECS)?),
        };
        let hrr_cookie_key = match self.hrr_cookie {
            true => {
                let mut key = zeroize::Zeroizing::new([0u8; 32]);
                self.policy.provider.random.fill(&mut key[..])?;
                Some(HrrCookieKey(key))
            }
            false => None,
        };
        Ok(ServerConfig {
            provider: self.policy.provider,
            policy,
            cert_resolver,
            client_verifier: self.client_verifier,
            time: self.time.unwrap_or_else(|| Arc::new(crate::crypto::rustcrypto::SystemTimeProvider)),
            alpn_protocols: self.alpn_protocols,
            alpn_selector: self.alpn_selector,
            sessions: ServerSessionSettings {
                storage: self
                    .session_storage
                    .unwrap_or_else(|| Arc::new(ServerSessionMemoryCache::new(defaults::SESSION_CACHE_SIZE))),
                lifetime_secs: self.session_lifetime_secs,
                session_id_context: self.session_id_context,
                require_context_with_client_auth: self.require_context_with_client_auth,
                ticketer,
                tls13_tickets: self.tls13_tickets,
                max_early_data: self.max_early_data,
            },
            key_log: self.policy.key_log,
            hrr_cookie_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_default_provider_is_set_once_and_read_everywhere() {
        static OTHER: CryptoProvider =
            CryptoProvider { cipher_suites: &[], ..crate::crypto::rustcrypto::DEFAULT_PROVIDER };
        let installed = default_provider();
        // The built-in default: aws-lc when the feature is on, else RustCrypto.
        let built_in = BUILT_IN_PROVIDERS[0].1;
        assert!(core::ptr::eq(installed, built_in));
        #[cfg(feature = "aws-lc")]
        assert_eq!(provider_name(installed), Some("aws-lc"));
        #[cfg(not(feature = "aws-lc"))]
        assert_eq!(provider_name(installed), Some("rustcrypto"));
        assert_eq!(CryptoProvider::install_default(built_in).map_err(|_| ()), Ok(()));
        assert_eq!(install_default_provider_by_name(BUILT_IN_PROVIDERS[0].0), Ok(()));
        // A second, different provider is refused, and the first stays in place.
        let refused = CryptoProvider::install_default(&OTHER).unwrap_err();
        assert!(core::ptr::eq(refused, installed));
        assert!(core::ptr::eq(CryptoProvider::get_default().unwrap(), installed));
        assert_eq!(
            ClientConfig::builder().policy.provider.cipher_suites.len(),
            installed.cipher_suites.len()
        );
        // By name: the other built-in provider is refused now, and says which one is in place;
        // an unknown name lists the known ones.
        #[cfg(feature = "aws-lc")]
        {
            let err = install_default_provider_by_name("RustCrypto").unwrap_err();
            assert!(err.contains("already aws-lc"), "{err}");
        }
        let err = install_default_provider_by_name("boringssl").unwrap_err();
        assert!(err.contains("unknown crypto provider \"boringssl\"") && err.contains("rustcrypto"), "{err}");
        assert!(provider_by_name("rustcrypto").is_some());
        assert_eq!(provider_by_name("aws-lc").is_some(), cfg!(feature = "aws-lc"));
    }

    #[test]
    fn groups_and_signature_schemes_are_checked_at_build() {
        let build = |b: PolicyBuilder| b.build();
        let base = PolicyBuilder::new(crate::crypto::rustcrypto::DEFAULT_PROVIDER);
        let p = build(base.clone()).unwrap();
        let names: Vec<NamedGroup> = p.kx_groups.iter().map(|g| g.name()).collect();
        // The provider's groups: the hybrid first, then the elliptic curves.
        assert_eq!(
            names,
            [NamedGroup::X25519MLKEM768, NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1]
        );
        assert_eq!(p.signature_schemes, defaults::SIGNATURE_SCHEMES);
        assert!(!p.signature_schemes.iter().any(|s| s.is_sha1()));

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Names(vec![NamedGroup::Secp384r1, NamedGroup::X25519]));
        let names: Vec<NamedGroup> = build(b).unwrap().kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(names, [NamedGroup::Secp384r1, NamedGroup::X25519]);

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Names(vec![NamedGroup::X448]));
        let e = build(b).unwrap_err().to_string();
        assert!(e.contains("X448") && e.contains("X25519, P-256, P-384"), "{e}");

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Groups(vec![]));
        // Without ECDHE suites no group is needed.
        b.cipher_list = Some("AES128-SHA".into());
        assert!(build(b).is_ok());

        let mut b = base.clone();
        b.signature_schemes = Some(vec![SignatureScheme::RsaPkcs1Sha1]);
        assert!(build(b.clone()).unwrap_err().to_string().contains("legacy profile"));
        b.legacy = true;
        assert_eq!(build(b).unwrap().signature_schemes, [SignatureScheme::RsaPkcs1Sha1]);
        let mut b = base.clone();
        b.signature_schemes = Some(vec![]);
        assert!(build(b).is_err());
        let mut b = base;
        b.legacy = true;
        assert!(build(b).unwrap().signature_schemes.contains(&SignatureScheme::RsaPkcs1Sha1));
    }

    #[test]
    fn a_client_offers_the_hybrid_group_only_when_it_can_speak_tls13() {
        let provider = crate::crypto::rustcrypto::DEFAULT_PROVIDER;
        let groups = |b: ClientConfigBuilder| -> Vec<NamedGroup> {
            b.dangerous_no_verification().build().unwrap().policy.kx_groups.iter().map(|g| g.name()).collect()
        };
        let (x, p256, p384, hybrid) =
            (NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1, NamedGroup::X25519MLKEM768);
        // Default: the hybrid first (TLS 1.3 is on by default).
        assert_eq!(groups(ClientConfig::builder_with_provider(provider)), [hybrid, x, p256, p384]);
        // At most TLS 1.2 (versions, or no TLS 1.3 suite): never the hybrid, configured or not.
        let tls12 = || {
            ClientConfig::builder_with_provider(provider)
                .versions(ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_2)
        };
        assert_eq!(groups(tls12()), [x, p256, p384]);
        assert_eq!(groups(tls12().kx_group_names(&[hybrid, p256])), [p256]);
        let no13 = ClientConfig::builder_with_provider(provider).tls13_ciphersuites("");
        assert_eq!(groups(no13), [x, p256, p384]);
        // Configured at TLS 1.3: exactly what was set, in that order.
        assert_eq!(
            groups(ClientConfig::builder_with_provider(provider).kx_group_names(&[p384, hybrid])),
            [p384, hybrid]
        );
        assert_eq!(groups(ClientConfig::builder_with_provider(provider).kx_group_names(&[x])), [x]);
        // The twin: the hybrid alone at TLS 1.2 leaves nothing to offer, and the error says so.
        let e =
            tls12().kx_group_names(&[hybrid]).dangerous_no_verification().build().unwrap_err().to_string();
        assert!(e.contains("TLS 1.3 only") && e.contains("X25519"), "{e}");
    }
}
