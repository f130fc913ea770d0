//! The TLS 1.3 key schedule (RFC 8446 §7): HKDF-Expand-Label, Derive-Secret, the three extract
//! stages (early, handshake, master secret) and everything derived from them: traffic secrets,
//! record keys and IVs, Finished, PSK binders, resumption and exporter secrets, and KeyUpdate.
//!
//! Each stage is its own type and is consumed by the next (`EarlySecret::into_handshake`,
//! `HandshakeSecret::into_master`), so a secret of one stage cannot be used for another's
//! derivations. Everything goes through the provider's [`Hkdf`] and [`Hash`] traits; secrets are
//! [`HashOutput`]s, wiped when dropped.

use zeroize::Zeroizing;

use crate::crypto::{expand_keyed, Hash, HashAlgorithm, HashOutput, Hkdf, HmacKey};

/// Length of every TLS 1.3 record IV (RFC 8446 §5.3: iv_length is 12 for the AEADs defined).
pub const IV_LEN: usize = 12;

/// `HKDF-Expand-Label(secret, label, context, out.len())` (RFC 8446 §7.1), where the
/// `HkdfLabel` is `uint16 length ‖ opaque label<7..255> = "tls13 " ‖ label ‖ opaque
/// context<0..255>`.
pub fn hkdf_expand_label(hkdf: &dyn Hkdf, secret: &[u8], label: &[u8], context: &[u8], out: &mut [u8]) {
    expand_label(&*hkdf.with_key(secret), label, context, out);
}

/// [`hkdf_expand_label`] with the secret's HMAC already keyed (`Hkdf::with_key`): several
/// labels are expanded from most secrets, and keying costs as much as one expansion.
pub fn expand_label(secret: &dyn HmacKey, label: &[u8], context: &[u8], out: &mut [u8]) {
    const PREFIX: &[u8] = b"tls13 ";
    // Labels are our constants (or, for exporters, at most the 255 bytes the caller was held
    // to) and contexts are hashes: the lengths fit their fields.
    debug_assert!(PREFIX.len() + label.len() <= 255 && context.len() <= 255 && out.len() <= 0xffff);
    let length = (out.len() as u16).to_be_bytes();
    let label_len = [(PREFIX.len() + label.len()) as u8];
    let context_len = [context.len() as u8];
    let info: [&[u8]; 6] = [&length, &label_len, PREFIX, label, &context_len, context];
    // RFC 8446 never asks for more than 255 × HashLen bytes.
    expand_keyed(secret, &info, out).expect("TLS 1.3 derivations are shorter than 255 blocks");
}

/// [`expand_label`] to a HashLen output.
fn expand_label_hash_len(secret: &dyn HmacKey, label: &[u8], context: &[u8]) -> HashOutput {
    let mut out = [0u8; 64];
    let len = secret.tag_len();
    expand_label(secret, label, context, &mut out[..len]);
    let derived = HashOutput::new(&out[..len]);
    zeroize::Zeroize::zeroize(&mut out);
    derived
}

/// `Derive-Secret(secret, label, Messages)` (RFC 8446 §7.1), given `Transcript-Hash(Messages)`.
pub fn derive_secret(hkdf: &dyn Hkdf, secret: &[u8], label: &[u8], transcript_hash: &[u8]) -> HashOutput {
    expand_label_hash_len(&*hkdf.with_key(secret), label, transcript_hash)
}

/// `HKDF-Extract(salt, IKM)` (RFC 5869 §2.2) is `HMAC(salt, IKM)`; an empty salt is HashLen
/// zeros, which HMAC's zero padding of the key gives too.
fn extract(hkdf: &dyn Hkdf, salt: &[u8], ikm: &[u8]) -> HashOutput {
    hkdf.with_key(salt).sign(&[ikm])
}

/// `Hash("")` of SHA-256 (FIPS 180-4): the context of "derived" and the binder keys.
const SHA256_EMPTY: [u8; 32] = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27,
    0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];
/// `Hash("")` of SHA-384.
const SHA384_EMPTY: [u8; 48] = [
    0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a, 0x21,
    0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda, 0x27, 0x4e,
    0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
];

/// The hash functions one schedule runs on: the suite's HKDF and the hash under it.
#[derive(Clone, Copy)]
pub struct Tls13Hash {
    /// HKDF over the suite's hash.
    pub hkdf: &'static dyn Hkdf,
    /// The suite's hash (transcript hashes, `Hash("")` for "derived").
    pub hash: &'static dyn Hash,
}

impl Tls13Hash {
    /// Length of every secret (the hash's output length).
    pub fn secret_len(&self) -> usize {
        self.hkdf.hash_algorithm().output_len()
    }

    /// `Hash("")`: a constant for the suites' hashes (three per handshake side otherwise).
    fn empty_hash(&self) -> HashOutput {
        match self.hash.algorithm() {
            HashAlgorithm::Sha256 => HashOutput::new(&SHA256_EMPTY),
            HashAlgorithm::Sha384 => HashOutput::new(&SHA384_EMPTY),
            _ => self.hash.hash(&[]),
        }
    }
}

impl core::fmt::Debug for Tls13Hash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Tls13Hash({:?})", self.hkdf.hash_algorithm())
    }
}

/// One stage's secret with its HMAC keyed once: every Derive-Secret from the stage (up to
/// four) starts from the keyed state instead of keying again. The keyed state is as secret as
/// the secret and is wiped with it when the stage is dropped (RustCrypto's hash states zeroize
/// on drop; aws-lc's `HMAC_CTX` is cleansed).
struct StageSecret {
    h: Tls13Hash,
    /// The secret's bytes: only the tests read them (against RFC 8448).
    #[cfg_attr(not(test), allow(dead_code))]
    secret: HashOutput,
    keyed: Box<dyn HmacKey>,
}

impl StageSecret {
    fn new(h: Tls13Hash, secret: HashOutput) -> Self {
        Self { keyed: h.hkdf.with_key(secret.as_ref()), secret, h }
    }

    /// `Derive-Secret(secret, label, Messages)` given `Transcript-Hash(Messages)`.
    fn derive(&self, label: &[u8], transcript_hash: &[u8]) -> HashOutput {
        expand_label_hash_len(&*self.keyed, label, transcript_hash)
    }

    /// `HKDF-Extract(Derive-Secret(secret, "derived", ""), ikm)`: the next stage's secret.
    fn next_stage(&self, ikm: &[u8]) -> StageSecret {
        let salt = self.derive(b"derived", self.h.empty_hash().as_ref());
        StageSecret::new(self.h, extract(self.h.hkdf, salt.as_ref(), ikm))
    }
}

/// The Early Secret: `HKDF-Extract(0, PSK)`, with HashLen zeros for the PSK when there is none.
pub struct EarlySecret(StageSecret);

impl EarlySecret {
    /// The early secret over `psk` (a resumption PSK), or over zeros for a full handshake.
    pub fn new(h: Tls13Hash, psk: Option<&[u8]>) -> Self {
        let zeros = [0u8; 64];
        let ikm = psk.unwrap_or(&zeros[..h.secret_len()]);
        Self(StageSecret::new(h, extract(h.hkdf, &[], ikm)))
    }

    /// The binder key for a resumption PSK (`"res binder"`) or an external one (`"ext binder"`),
    /// RFC 8446 §7.1; the binder itself is [`finished_verify_data`] keyed from it (§4.2.11.2).
    pub fn binder_key(&self, resumption: bool) -> HashOutput {
        let label: &[u8] = if resumption { b"res binder" } else { b"ext binder" };
        self.0.derive(label, self.0.h.empty_hash().as_ref())
    }

    /// `client_early_traffic_secret` over `Hash(ClientHello)` (0-RTT; not sent by ferrotls, but
    /// a server that skips early data knows what key it would have used).
    pub fn client_early_traffic_secret(&self, hello_hash: &[u8]) -> HashOutput {
        self.0.derive(b"c e traffic", hello_hash)
    }

    /// The Handshake Secret: `HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE)`.
    pub fn into_handshake(self, shared_secret: &[u8]) -> HandshakeSecret {
        HandshakeSecret(self.0.next_stage(shared_secret))
    }

    /// The secret itself (tests).
    #[cfg(test)]
    fn secret(&self) -> &[u8] {
        self.0.secret.as_ref()
    }
}

/// The Handshake Secret.
pub struct HandshakeSecret(StageSecret);

impl HandshakeSecret {
    /// `client_handshake_traffic_secret` over `Hash(ClientHello..ServerHello)`.
    pub fn client_handshake_traffic_secret(&self, hello_hash: &[u8]) -> HashOutput {
        self.0.derive(b"c hs traffic", hello_hash)
    }

    /// `server_handshake_traffic_secret` over `Hash(ClientHello..ServerHello)`.
    pub fn server_handshake_traffic_secret(&self, hello_hash: &[u8]) -> HashOutput {
        self.0.derive(b"s hs traffic", hello_hash)
    }

    /// The Master Secret: `HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0)`.
    pub fn into_master(self) -> MasterSecret {
        let zeros = [0u8; 64];
        MasterSecret(self.0.next_stage(&zeros[..self.0.h.secret_len()]))
    }

    #[cfg(test)]
    fn secret(&self) -> &[u8] {
        self.0.secret.as_ref()
    }
}

/// The Master Secret.
pub struct MasterSecret(StageSecret);

impl MasterSecret {
    /// `client_application_traffic_secret_0` over `Hash(ClientHello..server Finished)`.
    pub fn client_application_traffic_secret(&self, server_finished_hash: &[u8]) -> HashOutput {
        self.0.derive(b"c ap traffic", server_finished_hash)
    }

    /// `server_application_traffic_secret_0` over `Hash(ClientHello..server Finished)`.
    pub fn server_application_traffic_secret(&self, server_finished_hash: &[u8]) -> HashOutput {
        self.0.derive(b"s ap traffic", server_finished_hash)
    }

    /// `exporter_master_secret` over `Hash(ClientHello..server Finished)` (RFC 8446 §7.5).
    pub fn exporter_master_secret(&self, server_finished_hash: &[u8]) -> HashOutput {
        self.0.derive(b"exp master", server_finished_hash)
    }

    /// `resumption_master_secret` over `Hash(ClientHello..client Finished)`.
    pub fn resumption_master_secret(&self, client_finished_hash: &[u8]) -> HashOutput {
        self.0.derive(b"res master", client_finished_hash)
    }

    #[cfg(test)]
    fn secret(&self) -> &[u8] {
        self.0.secret.as_ref()
    }
}

/// A record key and IV (RFC 8446 §7.3), the key wiped when dropped.
pub struct TrafficKey {
    /// `HKDF-Expand-Label(Secret, "key", "", key_length)`.
    pub key: Zeroizing<Vec<u8>>,
    /// `HKDF-Expand-Label(Secret, "iv", "", iv_length)`.
    pub iv: Zeroizing<[u8; IV_LEN]>,
}

/// The record key and IV of `traffic_secret` for an AEAD with `key_len`-byte keys (RFC 8446
/// §7.3); the secret's HMAC is keyed once for both.
pub fn traffic_key(hkdf: &dyn Hkdf, traffic_secret: &[u8], key_len: usize) -> TrafficKey {
    let secret = hkdf.with_key(traffic_secret);
    let mut key = Zeroizing::new(vec![0u8; key_len]);
    expand_label(&*secret, b"key", &[], &mut key);
    let mut iv = Zeroizing::new([0u8; IV_LEN]);
    expand_label(&*secret, b"iv", &[], &mut iv[..]);
    TrafficKey { key, iv }
}

/// `application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic
/// upd", "", Hash.length)` (RFC 8446 §7.2, after a KeyUpdate).
pub fn next_traffic_secret(hkdf: &dyn Hkdf, traffic_secret: &[u8]) -> HashOutput {
    expand_label_hash_len(&*hkdf.with_key(traffic_secret), b"traffic upd", &[])
}

/// `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)` (RFC 8446 §4.4.4).
pub fn finished_key(hkdf: &dyn Hkdf, base_key: &[u8]) -> HashOutput {
    expand_label_hash_len(&*hkdf.with_key(base_key), b"finished", &[])
}

/// `verify_data = HMAC(finished_key, Transcript-Hash(...))` (RFC 8446 §4.4.4); also a PSK
/// binder with the binder key as `base_key` (§4.2.11.2).
pub fn finished_verify_data(hkdf: &dyn Hkdf, base_key: &[u8], transcript_hash: &[u8]) -> HashOutput {
    let key = finished_key(hkdf, base_key);
    hkdf.with_key(key.as_ref()).sign(&[transcript_hash])
}

/// The PSK a ticket stands for: `HKDF-Expand-Label(resumption_master_secret, "resumption",
/// ticket_nonce, Hash.length)` (RFC 8446 §4.6.1).
pub fn resumption_psk(hkdf: &dyn Hkdf, resumption_master_secret: &[u8], ticket_nonce: &[u8]) -> HashOutput {
    expand_label_hash_len(&*hkdf.with_key(resumption_master_secret), b"resumption", ticket_nonce)
}

/// `TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(Derive-Secret(Secret,
/// label, ""), "exporter", Hash(context_value), key_length)` (RFC 8446 §7.5), filling `out`.
/// In TLS 1.3 no context and an empty context are the same. `label` must be at most 249 bytes
/// (the HkdfLabel's label field holds 255 with the "tls13 " prefix); callers check.
pub fn export_keying_material(
    h: Tls13Hash,
    exporter_master_secret: &[u8],
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) {
    let secret = derive_secret(h.hkdf, exporter_master_secret, label, h.empty_hash().as_ref());
    hkdf_expand_label(h.hkdf, secret.as_ref(), b"exporter", h.hash.hash(context).as_ref(), out);
}

#[cfg(test)]
mod tests {
    //! RFC 8448 §3 (Simple 1-RTT Handshake, TLS_AES_128_GCM_SHA256) and §4 (resumed
    //! handshake): every value typed from the RFC's text. The transcript hashes are the
    //! RFC's "hash" lines of each derivation.
    use super::*;
    use crate::crypto::rustcrypto::hash::SHA256;
    use crate::crypto::rustcrypto::hkdf::HKDF_SHA256;
    use crate::crypto::rustcrypto::test_util::unhex;

    const H: Tls13Hash = Tls13Hash { hkdf: &HKDF_SHA256, hash: &SHA256 };

    /// {server} extract secret "handshake": IKM, the X25519 shared secret.
    const ECDHE: &str =
        "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d";
    /// {server} derive secret "tls13 c hs traffic": hash = Hash(ClientHello ‖ ServerHello).
    const HELLO_HASH: &str =
        "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8";
    /// {server} derive secret "tls13 c ap traffic": hash up to the server Finished.
    const SERVER_FINISHED_HASH: &str =
        "96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77 7a 76 86 c9 ff 83 df 13";
    /// {client} derive secret "tls13 res master": hash up to the client Finished.
    const CLIENT_FINISHED_HASH: &str =
        "20 91 45 a9 6e e8 e2 a1 22 ff 81 00 47 cc 95 26 84 65 8d 60 49 e8 64 29 42 6d b8 7c 54 ad 14 3d";

    fn schedule() -> (EarlySecret, HandshakeSecret) {
        let early = EarlySecret::new(H, None);
        let early2 = EarlySecret::new(H, None);
        (early, early2.into_handshake(&unhex(ECDHE)))
    }

    #[test]
    fn rfc8448_early_handshake_and_master_secrets() {
        let (early, hs) = schedule();
        // {server} extract secret "early".
        assert_eq!(
            early.secret(),
            unhex("33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a")
        );
        // {server} derive secret for handshake "tls13 derived".
        assert_eq!(
            early.0.derive(b"derived", &SHA256_EMPTY).as_ref(),
            unhex("6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba")
        );
        // {server} extract secret "handshake".
        assert_eq!(
            hs.secret(),
            unhex("1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac")
        );
        // {server} derive secret for master "tls13 derived", extract secret "master".
        assert_eq!(
            hs.0.derive(b"derived", &SHA256_EMPTY).as_ref(),
            unhex("43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4")
        );
        let master = hs.into_master();
        assert_eq!(
            master.secret(),
            unhex("18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19")
        );
    }

    #[test]
    fn rfc8448_handshake_traffic_secrets_keys_and_finished_keys() {
        let (_, hs) = schedule();
        let c = hs.client_handshake_traffic_secret(&unhex(HELLO_HASH));
        let s = hs.server_handshake_traffic_secret(&unhex(HELLO_HASH));
        assert_eq!(
            c.as_ref(),
            unhex("b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21")
        );
        assert_eq!(
            s.as_ref(),
            unhex("b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38")
        );
        // {server} derive write traffic keys for handshake data.
        let k = traffic_key(&HKDF_SHA256, s.as_ref(), 16);
        assert_eq!(&k.key[..], unhex("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"));
        assert_eq!(&k.iv[..], unhex("5d 31 3e b2 67 12 76 ee 13 00 0b 30"));
        // {server} derive read traffic keys for handshake data.
        let k = traffic_key(&HKDF_SHA256, c.as_ref(), 16);
        assert_eq!(&k.key[..], unhex("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01"));
        assert_eq!(&k.iv[..], unhex("5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f"));
        // {server} and {client} calculate finished "tls13 finished".
        assert_eq!(
            finished_key(&HKDF_SHA256, s.as_ref()).as_ref(),
            unhex("00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8")
        );
        assert_eq!(
            finished_key(&HKDF_SHA256, c.as_ref()).as_ref(),
            unhex("b8 0a d0 10 15 fb 2f 0b d6 5f f7 d4 da 5d 6b f8 3f 84 82 1d 1f 87 fd c7 d3 c7 5b 5a 7b 42 d9 c4")
        );
    }

    #[test]
    fn rfc8448_application_exporter_and_resumption_secrets() {
        let (_, hs) = schedule();
        let master = hs.into_master();
        let sf = unhex(SERVER_FINISHED_HASH);
        let c = master.client_application_traffic_secret(&sf);
        let s = master.server_application_traffic_secret(&sf);
        assert_eq!(
            c.as_ref(),
            unhex("9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5")
        );
        assert_eq!(
            s.as_ref(),
            unhex("a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43")
        );
        assert_eq!(
            master.exporter_master_secret(&sf).as_ref(),
            unhex("fe 22 f8 81 17 6e da 18 eb 8f 44 52 9e 67 92 c5 0c 9a 3f 89 45 2f 68 d8 ae 31 1b 43 09 d3 cf 50")
        );
        // {server} derive write traffic keys for application data.
        let k = traffic_key(&HKDF_SHA256, s.as_ref(), 16);
        assert_eq!(&k.key[..], unhex("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56"));
        assert_eq!(&k.iv[..], unhex("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"));
        let rms = master.resumption_master_secret(&unhex(CLIENT_FINISHED_HASH));
        assert_eq!(
            rms.as_ref(),
            unhex("7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf da f8 6c c8 56 23 1f 2d 5a ba 46 c4 34 ec 19 6c")
        );
        // §4 resumes with the ticket of §3, whose nonce is 00 00: its PSK is §4's early IKM.
        let psk = resumption_psk(&HKDF_SHA256, rms.as_ref(), &[0, 0]);
        assert_eq!(
            psk.as_ref(),
            unhex("4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 f3")
        );
    }

    #[test]
    fn rfc8448_resumed_early_secret_and_binder_key() {
        // RFC 8448 §4: {client} extract secret "early" over the PSK, and the binder key (the
        // PRK of {client} calculate finished "tls13 finished" for the binder).
        let psk = unhex(
            "4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 f3",
        );
        let early = EarlySecret::new(H, Some(&psk));
        assert_eq!(
            early.secret(),
            unhex("9b 21 88 e9 b2 fc 6d 64 d7 1d c3 29 90 0e 20 bb 41 91 50 00 f6 78 aa 83 9c bb 79 7c b7 d8 33 2c")
        );
        assert_eq!(
            early.binder_key(true).as_ref(),
            unhex("69 fe 13 1a 3b ba d5 d6 3c 64 ee bc c3 0e 39 5b 9d 81 07 72 6a 13 d0 74 e3 89 db c8 a4 e4 72 56")
        );
        // The external-PSK label gives another key (domain separation, RFC 8446 §7.1).
        assert_ne!(early.binder_key(false).as_ref(), early.binder_key(true).as_ref());
    }

    #[test]
    fn empty_hashes_are_the_hashes_of_nothing() {
        use crate::crypto::rustcrypto::hash::SHA384;
        use crate::crypto::rustcrypto::hkdf::HKDF_SHA384;
        assert_eq!(H.empty_hash().as_ref(), SHA256.hash(&[]).as_ref());
        let h384 = Tls13Hash { hkdf: &HKDF_SHA384, hash: &SHA384 };
        assert_eq!(h384.empty_hash().as_ref(), SHA384.hash(&[]).as_ref());
    }

    #[test]
    fn keyed_expansion_is_hkdf_expand() {
        // expand_keyed against the crate's HKDF-Expand, for every output length up to three
        // blocks and then some, with the info in chunks.
        use crate::crypto::rustcrypto::hkdf::HKDF_SHA384;
        for hkdf in [&HKDF_SHA256 as &dyn Hkdf, &HKDF_SHA384] {
            let prk = hkdf.extract(b"salt", b"ikm");
            let key = hkdf.with_key(prk.as_ref());
            for len in 0..=160 {
                let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
                expand_keyed(&*key, &[b"tls13 ", b"", b"label"], &mut a).unwrap();
                hkdf.expand(prk.as_ref(), &[b"tls13 label"], &mut b).unwrap();
                assert_eq!(a, b, "length {len}");
            }
            let mut big = vec![0u8; 255 * key.tag_len() + 1];
            assert!(expand_keyed(&*key, &[], &mut big).is_err());
            assert!(expand_keyed(&*key, &[], &mut big[1..]).is_ok());
        }
    }

    #[test]
    fn verify_data_depends_on_key_and_transcript() {
        let (_, hs) = schedule();
        let s = hs.server_handshake_traffic_secret(&unhex(HELLO_HASH));
        let a = finished_verify_data(&HKDF_SHA256, s.as_ref(), &[1; 32]);
        assert_eq!(a.as_ref().len(), 32);
        assert_ne!(a.as_ref(), finished_verify_data(&HKDF_SHA256, s.as_ref(), &[2; 32]).as_ref());
        let c = hs.client_handshake_traffic_secret(&unhex(HELLO_HASH));
        assert_ne!(a.as_ref(), finished_verify_data(&HKDF_SHA256, c.as_ref(), &[1; 32]).as_ref());
    }

    #[test]
    fn key_update_and_exporter_are_deterministic_and_label_separated() {
        let s = unhex(SERVER_FINISHED_HASH);
        let next = next_traffic_secret(&HKDF_SHA256, &s);
        assert_ne!(next.as_ref(), &s[..]);
        assert_eq!(next.as_ref(), next_traffic_secret(&HKDF_SHA256, &s).as_ref());
        let (mut a, mut b, mut c) = ([0u8; 32], [0u8; 32], [0u8; 32]);
        export_keying_material(H, &s, b"EXPORTER-test", b"", &mut a);
        export_keying_material(H, &s, b"EXPORTER-test", b"ctx", &mut b);
        export_keying_material(H, &s, b"EXPORTER-other", b"", &mut c);
        assert!(a != b && a != c && b != c);
        let mut longer = [0u8; 40];
        export_keying_material(H, &s, b"EXPORTER-test", b"", &mut longer);
        // HKDF-Expand-Label binds the output length, so a longer export is not an extension.
        assert_ne!(&longer[..32], &a[..]);
    }
}
