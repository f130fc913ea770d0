//! The bodies of ferrotls' fuzz targets, one public function per target.
//!
//! Each `fuzz_targets/<name>.rs` is one line that calls the function of the same name here, and
//! `tests/fuzz_corpus.rs` in the main crate includes this file (`#[path]`) and runs every
//! committed corpus and artifact file through the same functions on stable Rust. So whatever a
//! target checks, the regression suite checks too: a panic or a failed assertion here is a bug.
//!
//! This file uses only ferrotls' public API and the `rsa` crate (a dependency of ferrotls, so
//! the main crate's tests can compile it too).
#![forbid(unsafe_code)]

use ferrotls::crypto::rustcrypto::ecdh::EcdhGroup;
use ferrotls::crypto::{
    CryptoProvider, GetRandomFailed, KeyProvider, KeyShare, KxGroup, PrivateKey, RsaDecryptError,
    RsaPrivateKey, RsaPublicKeyError, SecureRandom,
};
use ferrotls::enums::{NamedGroup, SignatureScheme};
use ferrotls::internal::codec::{Codec, Reader};
use ferrotls::internal::msgs::alert::Alert;
use ferrotls::internal::msgs::certificate::Certificate;
use ferrotls::internal::msgs::certificate_request::CertificateRequest;
use ferrotls::internal::msgs::certificate_verify::CertificateVerify;
use ferrotls::internal::msgs::client_hello::ClientHello;
use ferrotls::internal::msgs::enums::{ContentType, ProtocolVersion};
use ferrotls::internal::msgs::extensions::{ClientExtension, ServerExtension};
use ferrotls::internal::msgs::finished::Finished;
use ferrotls::internal::msgs::handshake::{HandshakeMessage, HandshakePayload};
use ferrotls::internal::msgs::key_exchange::{ClientKeyExchangeRsa, ServerKeyExchangeEcdhe};
use ferrotls::internal::msgs::new_session_ticket::NewSessionTicket;
use ferrotls::internal::msgs::server_hello::ServerHello;
use ferrotls::internal::msgs::tls13::{self as m13, OfferedPsks, Tls13Message};
use ferrotls::internal::msgs::SessionId;
use ferrotls::internal::record::{Deframer, HandshakeJoiner};
use ferrotls::x509::{
    certs_from_pem_or_der, crls_from_pem_or_der, private_key_from_pem_or_der,
    private_key_from_pem_with_password, CertificateDer, CertificateInfo, RootCertStore, ServerName,
    TimeProvider, UnixTime, WebPkiServerVerifier,
};
use ferrotls::{ClientConfig, ClientConnection, ConnectionCommon, ServerConfig, ServerConnection};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The test CA the client trusts (`tests/fixtures/ca.pem`).
pub const CA_PEM: &[u8] = include_bytes!("../../tests/fixtures/ca.pem");
/// The ECDSA P-256 CA the client trusts too (`tests/fixtures/ecdsa-p256-ca.pem`).
pub const ECDSA_CA_PEM: &[u8] = include_bytes!("../../tests/fixtures/ecdsa-p256-ca.pem");
/// The server's ECDSA P-256 leaf and key: what it signs with at TLS 1.3, where RSA would
/// need RSA-PSS, whose salt is random (ECDSA here is RFC 6979, deterministic), so a recorded
/// TLS 1.3 client flight still matches the fuzzed server's transcript.
pub const SERVER_ECDSA_PEM: &[u8] = include_bytes!("../../tests/fixtures/ecdsa-p256-leaf.pem");
/// The key of [`SERVER_ECDSA_PEM`].
pub const SERVER_ECDSA_KEY_PEM: &[u8] = include_bytes!("../../tests/fixtures/ecdsa-p256-leaf.key");
/// The server's chain: leaf for `localhost`, then the intermediate.
pub const SERVER_CHAIN_PEM: &[u8] = include_bytes!("../../tests/fixtures/server-chain.pem");
/// The server's key (PKCS#8).
pub const SERVER_KEY_PEM: &[u8] = include_bytes!("../../tests/fixtures/server.key");
/// The password of `tests/fixtures/server-encrypted.key`, used for every encrypted key the
/// `x509` target sees.
pub const KEY_PASSWORD: &[u8] = b"ferrotls-test";
/// The name the client connects to.
pub const SERVER_NAME: &str = "localhost";
/// Every cipher suite ferrotls implements, so that the fuzzer can reach each of them.
pub const ALL_SUITES: &str = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:\
    ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA256:\
    ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:\
    ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:\
    ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:AES128-GCM-SHA256:AES256-GCM-SHA384:\
    AES128-SHA:AES256-SHA:AES128-SHA256:AES256-SHA256:DES-CBC3-SHA:RC4-SHA:RC4-MD5";
/// The signature schemes the fuzzed peers use: PKCS#1 v1.5 first, because it is deterministic
/// (a PSS salt is random), so a recorded ServerKeyExchange is the same on every run and a
/// recorded client flight's Finished matches the fuzzed server's transcript.
pub const SCHEMES: [SignatureScheme; 4] = [
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha1,
    SignatureScheme::EcdsaSecp256r1Sha256,
];

/// 2027-01-15: inside the fixtures' validity (2026–2046), fixed so that a corpus file gives
/// the same result on every date.
const NOW: u64 = 1_800_000_000;

// --- Determinism -----------------------------------------------------------------------------
// The same input must take the same path every time (libFuzzer's coverage feedback and the
// replay test both rely on it), and a recorded handshake must replay: so randomness and the
// clock are fixed. Nothing here is for anything but fuzzing.

/// "Randomness" that is the same on every call: hello randoms, premaster secrets, IVs.
#[derive(Debug)]
pub struct FixedRandom;

impl SecureRandom for FixedRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(29).wrapping_add(0x5a);
        }
        Ok(())
    }
}

/// ECDHE with [`FixedRandom`]'s bytes as the private key: the same key share on every run, so a
/// recorded ECDHE handshake replays (ServerKeyExchange, ClientKeyExchange and Finished match).
pub struct FixedKx(EcdhGroup);

impl KxGroup for FixedKx {
    fn name(&self) -> NamedGroup {
        NamedGroup::from(self.0.iana_id())
    }
    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed> {
        let pair = self.0.generate(&FixedRandom).map_err(|_| GetRandomFailed)?;
        Ok(Box::new(pair))
    }
}

static FIXED_X25519: FixedKx = FixedKx(EcdhGroup::X25519);
static FIXED_P256: FixedKx = FixedKx(EcdhGroup::Secp256r1);
static FIXED_P384: FixedKx = FixedKx(EcdhGroup::Secp384r1);
/// The groups' names, as the configurations list them.
pub const GROUPS: [NamedGroup; 3] = [NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1];
/// X25519, P-256, P-384 with fixed keys (the default provider's groups and order).
pub static FIXED_KX_GROUPS: &[&dyn KxGroup] = &[&FIXED_X25519, &FIXED_P256, &FIXED_P384];

/// The clock the verifiers see: always [`NOW`].
#[derive(Debug)]
pub struct FixedTime;

impl TimeProvider for FixedTime {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(NOW)))
    }
}

/// A byte source for the `rsa` crate's PKCS#1 v1.5 padding: never zero (padding bytes must be
/// non-zero), and the same for every encryption.
struct FixedPaddingRng;

impl rsa::rand_core::TryRng for FixedPaddingRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(0x4242_4242)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(0x4242_4242_4242_4242)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.fill(0x42);
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for FixedPaddingRng {}

/// The default key provider, except that RSA encryption pads deterministically, so that the
/// client's ClientKeyExchange (and so the whole recorded handshake) is the same on every run.
struct FixedKeys;

impl KeyProvider for FixedKeys {
    fn load_private_key(&self, der: &[u8]) -> Result<PrivateKey, String> {
        // The default provider's keys (RSA, ECDSA, Ed25519); ECDSA and Ed25519 sign
        // deterministically already.
        let key = ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER.key_provider.load_private_key(der)?;
        let rsa: Option<Arc<dyn RsaPrivateKey>> = key.rsa().map(|inner| {
            Arc::new(CachedKey { inner: Arc::clone(inner), decryptions: Mutex::default() }) as _
        });
        Ok(PrivateKey::from_parts(Arc::clone(key.signing_key()), rsa))
    }
    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Result<Vec<u8>, String> {
        ferrotls::crypto::rustcrypto::RSA_KEY_PROVIDER.decrypt_pkcs8(der, password)
    }
    fn rsa_encrypt_pkcs1(&self, spki: &[u8], message: &[u8]) -> Result<Vec<u8>, RsaPublicKeyError> {
        use rsa::pkcs8::DecodePublicKey;
        let key = rsa::PublicKey::from_public_key_der(spki).map_err(|_| RsaPublicKeyError::NotRsa)?;
        key.encrypt(&mut FixedPaddingRng, rsa::Pkcs1v15Encrypt, message)
            .map_err(|_| RsaPublicKeyError::NotRsa)
    }
    fn verify_tls_signature(
        &self,
        spki: &[u8],
        scheme: Option<SignatureScheme>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError> {
        ferrotls::crypto::rustcrypto::RSA_KEY_PROVIDER.verify_tls_signature(spki, scheme, message, signature)
    }
    fn verify_schemes(&self) -> &'static [SignatureScheme] {
        ferrotls::crypto::rustcrypto::RSA_KEY_PROVIDER.verify_schemes()
    }
}

/// An RSA key that remembers the raw decryptions it made. Most of the server target's
/// inputs are mutations that keep a seed's ClientKeyExchange, and an RSA-2048 decryption under
/// AddressSanitizer costs more than the rest of the handshake together: the cache takes the
/// server target from ~55 to ~150-300 executions per second (mutations that change the
/// ciphertext still pay for a real decryption). The shared padding check and premaster
/// selection (`crypto::decrypt_premaster`) still run on every input; constant time is not a
/// concern in a fuzzer.
#[derive(Debug)]
struct CachedKey {
    inner: Arc<dyn RsaPrivateKey>,
    /// Ciphertext to raw RSA output (`None`: the key refused the ciphertext).
    decryptions: Mutex<HashMap<Vec<u8>, RawDecryption>>,
}

/// What the raw RSA operation gave for one ciphertext.
type RawDecryption = Option<zeroize::Zeroizing<Vec<u8>>>;

impl RsaPrivateKey for CachedKey {
    fn modulus_len(&self) -> usize {
        self.inner.modulus_len()
    }
    fn decrypt_raw(&self, ciphertext: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, RsaDecryptError> {
        let mut cache = self.decryptions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(raw) = cache.get(ciphertext) {
            return raw.clone().ok_or(RsaDecryptError);
        }
        let raw = self.inner.decrypt_raw(ciphertext).ok();
        if cache.len() >= 1024 {
            cache.clear();
        }
        cache.insert(ciphertext.to_vec(), raw.clone());
        raw.ok_or(RsaDecryptError)
    }
}

static FIXED_RANDOM: FixedRandom = FixedRandom;
static FIXED_KEYS: FixedKeys = FixedKeys;

/// The default provider with fixed randomness and deterministic RSA padding.
pub fn provider() -> CryptoProvider {
    CryptoProvider {
        random: &FIXED_RANDOM,
        key_provider: &FIXED_KEYS,
        kx_groups: FIXED_KX_GROUPS,
        ..ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER
    }
}

/// The fuzzed client's configuration: verification on against the test CAs (RSA and ECDSA),
/// the legacy profile with every version (TLS 1.0 to 1.3) and suite, so that whatever a server
/// may pick is reachable.
pub fn client_config() -> Arc<ClientConfig> {
    static CONFIG: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            roots.add_pem(CA_PEM).expect("fixture CA");
            roots.add_pem(ECDSA_CA_PEM).expect("fixture ECDSA CA");
            // No session store: a session kept from one input would change the next input's
            // ClientHello, and one input must always take one path.
            let config = ClientConfig::builder_with_provider(provider())
                .session_cache(0)
                .root_store(roots)
                .time_provider(Arc::new(FixedTime))
                .legacy(true)
                .versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_3)
                .cipher_list(ALL_SUITES)
                .signature_schemes(SCHEMES.to_vec())
                .build()
                .expect("client config");
            Arc::new(config)
        })
        .clone()
}

/// [`client_config`] capped at TLS 1.2, for the `ticket` target: RFC 5077 tickets (the
/// SessionTicket extension) are a TLS 1.2 mechanism, so its client must not negotiate 1.3.
pub fn client_config_tls12() -> Arc<ClientConfig> {
    static CONFIG: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            roots.add_pem(CA_PEM).expect("fixture CA");
            let config = ClientConfig::builder_with_provider(provider())
                .session_cache(0)
                .root_store(roots)
                .time_provider(Arc::new(FixedTime))
                .legacy(true)
                .versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_2)
                .cipher_list(ALL_SUITES)
                .signature_schemes(SCHEMES.to_vec())
                .build()
                .expect("client config");
            Arc::new(config)
        })
        .clone()
}

/// The fuzzed server's configuration: the fixture RSA chain and key (TLS 1.0-1.2) and the ECDSA
/// P-256 leaf (TLS 1.3, see [`SERVER_ECDSA_PEM`]), the legacy profile with every version and
/// suite.
pub fn server_config() -> Arc<ServerConfig> {
    static CONFIG: OnceLock<Arc<ServerConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let chain = ferrotls::x509::certs_from_pem(SERVER_CHAIN_PEM).expect("fixture chain");
            let key = ferrotls::x509::private_key_from_pem(SERVER_KEY_PEM).expect("fixture key");
            let ecdsa = ferrotls::x509::certs_from_pem(SERVER_ECDSA_PEM).expect("fixture ECDSA leaf");
            let ecdsa_key =
                ferrotls::x509::private_key_from_pem(SERVER_ECDSA_KEY_PEM).expect("fixture ECDSA key");
            let config = ServerConfig::builder_with_provider(provider())
                .single_cert(chain, key)
                .add_cert(ecdsa, ecdsa_key)
                .time_provider(Arc::new(FixedTime))
                .legacy(true)
                .versions(ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_3)
                .cipher_list(ALL_SUITES)
                .signature_schemes(SCHEMES.to_vec())
                .build()
                .expect("server config");
            Arc::new(config)
        })
        .clone()
}

/// A new client connection to [`SERVER_NAME`]; its ClientHello is already queued.
pub fn new_client() -> ClientConnection {
    ClientConnection::new(client_config(), ServerName::try_from(SERVER_NAME).expect("name")).expect("client")
}

/// A new server connection.
pub fn new_server() -> ServerConnection {
    ServerConnection::new(server_config()).expect("server")
}

// --- client / server -------------------------------------------------------------------------

/// Target `client`: `data` is what a server sends to a fresh client (the first byte picks the
/// chunk size in which it arrives, the rest is the bytes).
pub fn client(data: &[u8]) {
    let mut conn = new_client();
    let mut hello = Vec::new();
    conn.take_tls(&mut hello);
    drive(&mut conn, data);
}

/// Target `server`: `data` is what a client sends to a fresh server, framed as for [`client`].
pub fn server(data: &[u8]) {
    let mut conn = new_server();
    drive(&mut conn, data);
}

/// Feeds `data[1..]` in chunks of `data[0]` bytes (0: all at once), calling `process`,
/// `take_tls` and `read_plaintext` after each, until everything is consumed, the connection
/// fails, or it stops taking bytes; then reports EOF. Checks that an error is sticky and that
/// a failed connection still answers every call without panicking.
pub fn drive(conn: &mut ConnectionCommon, data: &[u8]) {
    let Some((&chunk, data)) = data.split_first() else { return };
    let chunk = if chunk == 0 { data.len().max(1) } else { chunk as usize };
    let mut out = Vec::new();
    let mut failed = None;
    'feed: for piece in data.chunks(chunk) {
        let mut off = 0;
        while off < piece.len() {
            let taken = conn.feed_tls(&piece[off..]);
            off += taken;
            let result = conn.process();
            out.clear();
            conn.take_tls(&mut out);
            drain_plaintext(conn);
            if let Err(e) = result {
                failed = Some(e);
                break 'feed;
            }
            if taken == 0 {
                // Stuck: buffers are full and nothing more can be read; a real peer would stop.
                break 'feed;
            }
        }
        if !conn.is_handshaking() {
            // Application data flows both ways once the handshake is done.
            let _ = conn.write_plaintext(b"ping");
        }
    }
    if let Some(e) = failed {
        // Whatever the peer's bytes make us refuse, we refuse with a fatal alert to the peer,
        // unless it was the peer's own fatal alert (ARCHITECTURE.md, Errors). EOF has not been
        // reported yet, so truncation cannot be the reason, and configuration or usage errors
        // never come from the network.
        assert!(
            e.alert().is_some() || matches!(e, ferrotls::Error::AlertReceived(_)),
            "refused without an alert: {e:?}"
        );
        if e.alert().is_some() {
            // ... and the alert is queued: the last record sent is an alert record.
            // Under TLS 1.3 an alert sent once handshake keys are in use is an encrypted
            // record, whose outer type is application_data (RFC 8446 §5.2).
            let tls13 = conn.protocol_version() == Some(ProtocolVersion::TLSv1_3);
            let last = last_record_type(&out);
            assert!(
                last == Some(21) || (tls13 && last == Some(23)),
                "no alert record sent for {e:?}: {last:?}"
            );
        }
        // Sticky errors (ARCHITECTURE.md, Errors): every later call reports the same one.
        assert_eq!(conn.process().unwrap_err(), e, "the first error is sticky");
        assert!(conn.write_plaintext(b"x").is_err(), "a failed connection refuses to write");
    }
    conn.feed_eof();
    let _ = conn.process();
    drain_plaintext(conn);
    conn.send_close_notify();
    out.clear();
    conn.take_tls(&mut out);
    let _ = (conn.peer_has_closed(), conn.protocol_version(), conn.cipher_suite(), conn.peer_certificates());
}

/// The content type of the last whole record in `wire`.
fn last_record_type(wire: &[u8]) -> Option<u8> {
    let (mut off, mut last) = (0, None);
    while off + 5 <= wire.len() {
        last = Some(wire[off]);
        off += 5 + u16::from_be_bytes([wire[off + 3], wire[off + 4]]) as usize;
    }
    last.filter(|_| off == wire.len())
}

fn drain_plaintext(conn: &mut ConnectionCommon) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = conn.read_plaintext(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

// --- messages --------------------------------------------------------------------------------

/// Checks the round-trip property of one codec: when `bytes` decode to a value, that value's
/// encoding decodes to an equal value, and encoding is stable (the second encoding equals the
/// first).
fn round_trip<T, R, E>(bytes: &[u8], read: R, encode: E)
where
    T: PartialEq + core::fmt::Debug,
    R: Fn(&[u8]) -> Option<T>,
    E: Fn(&T) -> Vec<u8>,
{
    let Some(value) = read(bytes) else { return };
    let encoded = encode(&value);
    let again = read(&encoded)
        .unwrap_or_else(|| panic!("{value:?} encodes to {encoded:02x?}, which does not decode"));
    assert_eq!(again, value, "decode(encode(v)) != v for {encoded:02x?}");
    assert_eq!(encode(&again), encoded, "encoding is not stable");
}

/// Reads exactly one value with a version-dependent reader.
fn read_exact<'a, T>(
    bytes: &'a [u8],
    f: impl Fn(&mut Reader<'a>) -> Result<T, ferrotls::internal::codec::InvalidMessage>,
) -> Option<T> {
    let mut r = Reader::new(bytes);
    let v = f(&mut r).ok()?;
    r.expect_empty("trailing").ok()?;
    Some(v)
}

/// How many codecs [`messages`] chooses between (its first input byte, modulo this; 15 is a
/// run of handshake messages).
pub const MESSAGE_CODECS: u8 = 22;

/// Target `messages`: the first byte picks a wire type, the rest is decoded as one value of it;
/// whatever decodes must round-trip (see [`round_trip`]).
pub fn messages(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else { return };
    fn codec<T: for<'b> Codec<'b> + PartialEq + core::fmt::Debug>(bytes: &[u8]) {
        round_trip(bytes, |b| T::read_bytes(b).ok(), |v| v.encoding());
    }
    match which % MESSAGE_CODECS {
        0 => codec::<HandshakeMessage>(bytes),
        1 => round_trip(
            bytes,
            |b| read_exact(b, |r| HandshakeMessage::read_versioned(r, false)),
            |v| v.encoding(),
        ),
        2 => codec::<ClientHello>(bytes),
        3 => codec::<ServerHello>(bytes),
        4 => codec::<Certificate>(bytes),
        5 => codec::<CertificateRequest>(bytes),
        6 => round_trip(
            bytes,
            |b| read_exact(b, |r| CertificateRequest::read_versioned(r, false)),
            |v| v.encoding(),
        ),
        7 => codec::<CertificateVerify>(bytes),
        8 => round_trip(
            bytes,
            |b| read_exact(b, |r| CertificateVerify::read_versioned(r, false)),
            |v| v.encoding(),
        ),
        9 => codec::<ClientKeyExchangeRsa>(bytes),
        10 => codec::<Finished>(bytes),
        11 => codec::<Alert>(bytes),
        12 => codec::<ClientExtension>(bytes),
        13 => codec::<ServerExtension>(bytes),
        14 => codec::<SessionId>(bytes),
        16 => codec::<NewSessionTicket>(bytes),
        // ServerKeyExchange for ECDHE (RFC 8422 §5.4) as a client reads it: TLS 1.2 (with the
        // signature scheme) and TLS 1.0/1.1 (without).
        17 => round_trip(bytes, |b| ServerKeyExchangeEcdhe::read_versioned(b, true).ok(), |v| v.encoding()),
        18 => round_trip(bytes, |b| ServerKeyExchangeEcdhe::read_versioned(b, false).ok(), |v| v.encoding()),
        // TLS 1.3 messages (RFC 8446 §4): the next byte is the handshake type, the rest the
        // body: EncryptedExtensions, Certificate (with per-entry extensions),
        // CertificateRequest, CertificateVerify, Finished, NewSessionTicket, KeyUpdate.
        19 => {
            let Some((&typ, body)) = bytes.split_first() else { return };
            let typ = ferrotls::internal::msgs::enums::HandshakeType::from(typ);
            let read = |b: &[u8]| {
                let mut r = Reader::new(b);
                let m = Tls13Message::read_body(typ, &mut r)?.ok()?;
                r.expect_empty("trailing").ok()?;
                Some(m)
            };
            round_trip(body, read, |m: &Tls13Message| {
                let mut o = Vec::new();
                m.encode_body(&mut o);
                o
            });
        }
        // ClientHello pre_shared_key (identities and binders, RFC 8446 §4.2.11).
        20 => round_trip(bytes, |b| OfferedPsks::read_body(b).ok(), |v| v.encoding()),
        // ClientHello key_share (RFC 8446 §4.2.8).
        21 => round_trip(
            bytes,
            |b| m13::read_key_share_client(b).ok(),
            |v: &Vec<m13::KeyShareEntry>| m13::key_share_client(v),
        ),
        _ => {
            // A handshake message inside a record-sized buffer: read as many as there are.
            let mut r = Reader::new(bytes);
            while !r.is_empty() {
                let Ok(m) = HandshakeMessage::read(&mut r) else { break };
                round_trip(&m.encoding(), |b| HandshakeMessage::read_bytes(b).ok(), |v| v.encoding());
            }
        }
    }
}

// --- tickets ---------------------------------------------------------------------------------

/// The server's ticket keys in the `ticket` target: fixed, so a sealed seed opens every time.
pub fn ticket_keys() -> &'static ferrotls::session::TicketKeys {
    static KEYS: OnceLock<ferrotls::session::TicketKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keys = ferrotls::session::TicketKeys::new(&provider(), 0).expect("ticket keys");
        keys.set_key([7; 16], &[9; 32]).expect("ticket key");
        keys
    })
}

/// Target `ticket`: byte 0 (mod 3) picks what the rest is. 0: a session encoding
/// (`Tls12Session::from_bytes`, strict and bounded: whatever decodes must re-encode to the same
/// bytes). 1: a ticket presented to `TicketKeys::open` (fixed keys; anything that opens must be
/// one the keys sealed, and every plaintext sealed must open to itself). 2: the ticket in the
/// SessionTicket extension of a real ClientHello (the fuzzed client's, capped at TLS 1.2), as a server receives it
/// (`server_config` seals and opens with its own keys): a ticket that does not open or decode
/// must give a full handshake, never an error or a panic.
pub fn ticket(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else { return };
    match which % 3 {
        0 => {
            if let Ok(session) = ferrotls::Tls12Session::from_bytes(bytes, &provider()) {
                assert_eq!(&session.to_bytes()[..], bytes, "a decoded session re-encodes to its bytes");
            }
        }
        1 => {
            let keys = ticket_keys();
            use ferrotls::session::Ticketer;
            if let Some(opened) = keys.open(bytes, None) {
                // AES-256-GCM under our fixed key: only our own seal opens.
                assert_eq!(&bytes[..16], &[7; 16]);
                let _ = opened.plaintext.len();
            }
            let sealed = keys.seal(bytes, None).expect("sealing never fails with a working RNG");
            assert_eq!(&keys.open(&sealed, None).expect("our ticket opens").plaintext[..], bytes);
        }
        _ => {
            let mut hello = Vec::new();
            let name = ServerName::try_from(SERVER_NAME).expect("name");
            ClientConnection::new(client_config_tls12(), name).expect("client").take_tls(&mut hello);
            let Some(record) = with_ticket(&hello, bytes) else { return };
            let mut server = new_server();
            assert_eq!(server.feed_tls(&record), record.len());
            // Whatever the ticket, the server answers the hello (a full handshake unless the
            // ticket opened): a bad ticket is never an error (RFC 5077 §3.4).
            let state = server.process();
            assert!(state.is_ok(), "{state:?}");
            assert!(server.wants_write());
        }
    }
}

/// `hello` (one record holding the ClientHello) with its SessionTicket extension's ticket
/// replaced by `ticket`; `None` when the result would not fit a record.
fn with_ticket(hello: &[u8], ticket: &[u8]) -> Option<Vec<u8>> {
    let mut msg = HandshakeMessage::read_bytes(hello.get(5..)?).ok()?;
    let HandshakePayload::ClientHello(ch) = &mut msg.payload else { return None };
    for e in ch.extensions.iter_mut() {
        if let ClientExtension::SessionTicket(t) = e {
            *t = ticket.to_vec();
        }
    }
    let body = msg.encoding();
    let len = u16::try_from(body.len()).ok().filter(|&l| l <= 16384)?;
    let mut out = hello[..3].to_vec();
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

// --- deframer --------------------------------------------------------------------------------

/// Target `deframer`: received bytes through the record deframer (chunked by the first byte,
/// as in [`drive`]), handshake records through the joiner, and each joined message through the
/// handshake codec, as the connection does before any state sees them. Every record popped
/// must lie within the bounds the deframer promises, every joined message must be whole.
pub fn deframer(data: &[u8]) {
    let Some((&chunk, data)) = data.split_first() else { return };
    let chunk = if chunk == 0 { data.len().max(1) } else { chunk as usize };
    let mut deframer = Deframer::default();
    let mut joiner = HandshakeJoiner::default();
    for piece in data.chunks(chunk) {
        let mut off = 0;
        while off < piece.len() {
            let taken = deframer.feed(&piece[off..]);
            off += taken;
            loop {
                match deframer.pop() {
                    Ok(Some((header, body))) => {
                        assert_eq!(header.len, body.len());
                        assert!(body.len() <= ferrotls::internal::record::MAX_CIPHERTEXT_LEN);
                        assert_eq!(header.version >> 8, 3);
                        if header.typ == ContentType::Handshake && joiner.push(body).is_err() {
                            return;
                        }
                    }
                    Ok(None) => break,
                    Err(_) => return,
                }
                loop {
                    match joiner.pop() {
                        Ok(Some(msg)) => {
                            let len = u32::from_be_bytes([0, msg[1], msg[2], msg[3]]) as usize;
                            assert_eq!(msg.len(), 4 + len, "the joiner returns whole messages");
                            // The joiner's cap (record/joiner.rs, MAX_HANDSHAKE_MESSAGE_LEN).
                            assert!(len <= 128 * 1024);
                            if let Ok(m) = HandshakeMessage::read_bytes(msg) {
                                assert_eq!(HandshakeMessage::read_bytes(&m.encoding()).as_ref(), Ok(&m));
                            }
                        }
                        Ok(None) => break,
                        Err(_) => return,
                    }
                }
            }
            if taken == 0 {
                // Full: four records are buffered and none is complete, which cannot happen
                // with records within bounds.
                panic!("the deframer stopped taking bytes without a complete record");
            }
        }
    }
}

// --- x509 ------------------------------------------------------------------------------------

/// Target `x509`: the first byte picks what the rest is parsed as: a DER certificate
/// ([`CertificateInfo`], every accessor, JSON), PEM or DER certificates, a private key (and
/// loading it), an encrypted PKCS#8 key with [`KEY_PASSWORD`], CRLs, trust anchors, or a chain
/// verified against the test CA.
pub fn x509(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else { return };
    match which % 6 {
        0 => inspect(bytes),
        1 => {
            if let Ok(certs) = certs_from_pem_or_der(bytes) {
                certs.iter().for_each(|c| inspect(c));
            }
        }
        2 => {
            if let Ok(key) = private_key_from_pem_or_der(bytes) {
                load_key(key.secret_der());
            }
        }
        3 => {
            let provider = ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER;
            if let Ok(key) = private_key_from_pem_with_password(bytes, KEY_PASSWORD, &provider) {
                load_key(key.secret_der());
            }
        }
        4 => {
            let _ = crls_from_pem_or_der(bytes);
            let mut roots = RootCertStore::empty();
            let _ = roots.add_pem(bytes);
            if let Ok(certs) = certs_from_pem_or_der(bytes) {
                for c in &certs {
                    let _ = roots.add(c);
                }
            }
            let _ = roots.subjects();
        }
        _ => {
            // A chain as a server would send it, through the verifier the client uses.
            if let Ok(certs) = certs_from_pem_or_der(bytes) {
                let (leaf, rest) = certs.split_first().expect("at least one");
                let name = ServerName::try_from(SERVER_NAME).expect("name");
                let _ = verifier().verify_server_chain(leaf, rest, &name, FixedTime.now().expect("now"));
            }
        }
    }
}

fn verifier() -> &'static WebPkiServerVerifier {
    static VERIFIER: OnceLock<WebPkiServerVerifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        roots.add_pem(CA_PEM).expect("fixture CA");
        WebPkiServerVerifier::new(Arc::new(roots), &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER)
    })
}

fn inspect(der: &[u8]) {
    let Ok(info) = CertificateInfo::from_der(der) else { return };
    let provider = ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER;
    let _ = (info.version(), info.serial(), info.subject(), info.subject_oneline(), info.issuer());
    let _ = (info.issuer_oneline(), info.not_before(), info.not_after(), info.not_before_display());
    let _ = (info.not_after_display(), info.signature_algorithm(), info.public_key_algorithm());
    let _ = (info.public_key_bits(), info.subject_alt_names(), info.basic_constraints(), info.key_usage());
    let _ = (
        info.extended_key_usage(),
        info.is_self_issued(),
        info.subject_attributes(),
        info.issuer_attributes(),
    );
    let _ = (info.subject_attribute("CN"), info.subject_attribute_values("O"), info.issuer_attribute("CN"));
    let _ = (info.to_json(), info.to_json_with_fingerprint(&provider), info.sha256_fingerprint(&provider));
    assert_eq!(info.der(), der);
    let _ = ferrotls::x509::subject_public_key_info(&CertificateDer::from(der.to_vec()));
}

fn load_key(der: &[u8]) {
    // Only keys of plausible size: loading checks the key, which costs a modular exponentiation.
    if der.len() <= 4096 {
        let _ = ferrotls::crypto::rustcrypto::RSA_KEY_PROVIDER.load_private_key(der);
    }
}
