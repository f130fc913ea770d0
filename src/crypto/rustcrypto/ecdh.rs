//! Ephemeral elliptic-curve Diffie-Hellman for TLS key exchange: X25519 (RFC 7748, `x25519-dalek`)
//! and the NIST curves secp256r1 and secp384r1 (SEC 1, `p256`/`p384`).
//!
//! One [`EcdhKeyPair`] per handshake: [`EcdhGroup::generate`] draws the private key from the
//! provider's random source, [`EcdhKeyPair::public_key`] is what goes in ServerKeyExchange /
//! ClientKeyExchange (RFC 8422 §5.4, §5.7) or a TLS 1.3 key share (RFC 8446 §4.2.8.2), and
//! [`EcdhKeyPair::complete`] consumes the pair with the peer's bytes and yields the premaster
//! secret. Checks on the peer's value, each a distinct [`EcdhError`] so the alert can say what
//! was wrong:
//! - NIST curves: only the uncompressed form `04 ‖ x ‖ y` is accepted (RFC 8422 §5.1.2 deprecates
//!   the others; RFC 8446 §4.2.8.2 allows only it), of exactly the right length, and the point
//!   must lie on the curve and not be the identity (RFC 8422 §5.11 / NIST SP 800-56A §5.6.2.3.4).
//! - X25519: exactly 32 bytes (any such string is a valid input, RFC 7748 §5), and an all-zero
//!   shared secret, which a small-order peer value forces, is refused (RFC 7748 §6.1, RFC 8422
//!   §5.11, RFC 8446 §7.4.2).
//!
//! The private keys and the shared secret are zeroized when dropped.

use zeroize::Zeroizing;

use crate::crypto::{GetRandomFailed, SecureRandom};

/// A named group for ECDHE (RFC 8422 §5.1.1, RFC 8446 §4.2.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcdhGroup {
    /// Curve25519 in Montgomery form (`x25519`, IANA 29).
    X25519,
    /// NIST P-256 (`secp256r1`, IANA 23).
    Secp256r1,
    /// NIST P-384 (`secp384r1`, IANA 24).
    Secp384r1,
}

impl EcdhGroup {
    /// Every group, in the order ferrotls prefers them (fastest and simplest to use safely first).
    pub const ALL: [Self; 3] = [Self::X25519, Self::Secp256r1, Self::Secp384r1];

    /// The IANA `NamedGroup` code point.
    pub const fn iana_id(self) -> u16 {
        match self {
            Self::X25519 => 29,
            Self::Secp256r1 => 23,
            Self::Secp384r1 => 24,
        }
    }

    /// The name OpenSSL uses (`-groups`, `SSL_CTX_set1_groups_list`).
    pub const fn openssl_name(self) -> &'static str {
        match self {
            Self::X25519 => "X25519",
            Self::Secp256r1 => "P-256",
            Self::Secp384r1 => "P-384",
        }
    }

    /// Length of the public value on the wire: 32 for X25519, `1 + 2 × field size` for the
    /// uncompressed NIST points.
    pub const fn public_key_len(self) -> usize {
        match self {
            Self::X25519 => 32,
            Self::Secp256r1 => 65,
            Self::Secp384r1 => 97,
        }
    }

    /// Length of the shared secret: the X25519 output, or the x-coordinate of the shared point
    /// (RFC 8422 §5.10; RFC 8446 §7.4.2), which TLS uses as the premaster secret as is.
    pub const fn shared_secret_len(self) -> usize {
        match self {
            Self::X25519 | Self::Secp256r1 => 32,
            Self::Secp384r1 => 48,
        }
    }

    /// Generates an ephemeral key pair with private key material from `random`.
    pub fn generate(self, random: &dyn SecureRandom) -> Result<EcdhKeyPair, EcdhError> {
        let secret = match self {
            Self::X25519 => {
                // RFC 7748 §5: any 32 random bytes; the scalar is clamped when used.
                let mut bytes = Zeroizing::new([0u8; 32]);
                random.fill(&mut bytes[..])?;
                Secret::X25519(x25519_dalek::StaticSecret::from(*bytes))
            }
            Self::Secp256r1 => Secret::P256(nist_scalar::<_, 32>(random, p256::SecretKey::from_slice)?),
            Self::Secp384r1 => Secret::P384(nist_scalar::<_, 48>(random, p384::SecretKey::from_slice)?),
        };
        Ok(EcdhKeyPair::from_secret(secret))
    }
}

impl core::fmt::Display for EcdhGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::X25519 => "x25519",
            Self::Secp256r1 => "secp256r1",
            Self::Secp384r1 => "secp384r1",
        })
    }
}

/// How many draws a NIST private key may take. A draw fails only if the bytes are zero or not
/// below the group order: about 2^-32 for P-256 and 2^-190 for P-384 with a working source, so
/// a source that keeps failing is broken and we stop instead of looping.
const MAX_SCALAR_DRAWS: usize = 8;

/// A uniformly random nonzero scalar below the group order (FIPS 186-5 A.2.2, rejection
/// sampling), as a secret key of the curve.
fn nist_scalar<K, const N: usize>(
    random: &dyn SecureRandom,
    from_slice: impl Fn(&[u8]) -> Result<K, p256::elliptic_curve::Error>,
) -> Result<K, EcdhError> {
    for _ in 0..MAX_SCALAR_DRAWS {
        let mut bytes = Zeroizing::new([0u8; N]);
        random.fill(&mut bytes[..])?;
        if let Ok(key) = from_slice(&bytes[..]) {
            return Ok(key);
        }
    }
    Err(EcdhError::Random(GetRandomFailed))
}

/// Why a key exchange failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcdhError {
    /// The random source failed (or kept producing out-of-range private keys).
    Random(GetRandomFailed),
    /// The peer's public value has the wrong length for the group.
    BadLength {
        /// The group in use.
        group: EcdhGroup,
        /// Bytes the group's public value takes.
        expected: usize,
        /// Bytes received.
        actual: usize,
    },
    /// The peer sent a NIST point in a form other than uncompressed (RFC 8422 §5.1.2).
    NotUncompressed(EcdhGroup),
    /// The peer's NIST point is not on the curve, or is the identity (RFC 8422 §5.11).
    InvalidPoint(EcdhGroup),
    /// The X25519 result is all zeros: the peer sent a small-order value (RFC 7748 §6.1).
    ZeroSharedSecret,
    /// A private key given to [`EcdhKeyPair::from_private_bytes`] is zero or not below the
    /// group order.
    InvalidPrivateKey(EcdhGroup),
}

impl From<GetRandomFailed> for EcdhError {
    fn from(e: GetRandomFailed) -> Self {
        Self::Random(e)
    }
}

impl core::fmt::Display for EcdhError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Random(_) => f.write_str("the random source failed while generating an ECDH key"),
            Self::BadLength { group, expected, actual } => {
                write!(f, "the peer's {group} public key is {actual} bytes; {expected} were expected")
            }
            Self::NotUncompressed(group) => {
                write!(f, "the peer's {group} public key is not an uncompressed point (RFC 8422 §5.1.2)")
            }
            Self::InvalidPoint(group) => {
                write!(f, "the peer's {group} public key is not a point on the curve")
            }
            Self::ZeroSharedSecret => {
                f.write_str("the peer's x25519 public key is of small order (all-zero shared secret)")
            }
            Self::InvalidPrivateKey(group) => write!(f, "not a valid {group} private key"),
        }
    }
}

impl std::error::Error for EcdhError {}

enum Secret {
    X25519(x25519_dalek::StaticSecret),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
}

/// An ephemeral key pair of one group. Dropping it zeroizes the private key.
pub struct EcdhKeyPair {
    secret: Secret,
    public: Vec<u8>,
}

impl core::fmt::Debug for EcdhKeyPair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print the private key.
        f.debug_struct("EcdhKeyPair").field("group", &self.group()).finish_non_exhaustive()
    }
}

impl EcdhKeyPair {
    fn from_secret(secret: Secret) -> Self {
        use p256::elliptic_curve::sec1::ToSec1Point;
        let public = match &secret {
            Secret::X25519(s) => x25519_dalek::PublicKey::from(s).as_bytes().to_vec(),
            Secret::P256(s) => s.public_key().as_affine().to_sec1_point(false).as_bytes().to_vec(),
            Secret::P384(s) => s.public_key().as_affine().to_sec1_point(false).as_bytes().to_vec(),
        };
        Self { secret, public }
    }

    /// A key pair from a known private key: the 32-byte X25519 scalar (RFC 7748 §5) or the
    /// big-endian NIST scalar. For known-answer tests and for keys made elsewhere; handshakes
    /// use [`EcdhGroup::generate`].
    pub fn from_private_bytes(group: EcdhGroup, private: &[u8]) -> Result<Self, EcdhError> {
        // The private scalar is as long as the shared secret in all three groups.
        let bad =
            || EcdhError::BadLength { group, expected: group.shared_secret_len(), actual: private.len() };
        let secret = match group {
            EcdhGroup::X25519 => {
                let bytes: [u8; 32] = private.try_into().map_err(|_| bad())?;
                Secret::X25519(x25519_dalek::StaticSecret::from(bytes))
            }
            EcdhGroup::Secp256r1 if private.len() == 32 => Secret::P256(
                p256::SecretKey::from_slice(private).map_err(|_| EcdhError::InvalidPrivateKey(group))?,
            ),
            EcdhGroup::Secp384r1 if private.len() == 48 => Secret::P384(
                p384::SecretKey::from_slice(private).map_err(|_| EcdhError::InvalidPrivateKey(group))?,
            ),
            _ => return Err(bad()),
        };
        Ok(Self::from_secret(secret))
    }

    /// The group.
    pub fn group(&self) -> EcdhGroup {
        match self.secret {
            Secret::X25519(_) => EcdhGroup::X25519,
            Secret::P256(_) => EcdhGroup::Secp256r1,
            Secret::P384(_) => EcdhGroup::Secp384r1,
        }
    }

    /// Our public value as sent on the wire: 32 bytes for X25519, the uncompressed SEC 1 point
    /// `04 ‖ x ‖ y` for the NIST curves.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Combines our private key with the peer's public value; consumes the pair, as an
    /// ephemeral key is used once.
    pub fn complete(self, peer: &[u8]) -> Result<SharedSecret, EcdhError> {
        let group = self.group();
        let expected = group.public_key_len();
        // The length check comes first so that a compressed point gets the precise error
        // (a compressed point is also shorter).
        match (group, peer.first()) {
            (EcdhGroup::Secp256r1 | EcdhGroup::Secp384r1, Some(0x02 | 0x03)) => {
                return Err(EcdhError::NotUncompressed(group))
            }
            _ if peer.len() != expected => {
                return Err(EcdhError::BadLength { group, expected, actual: peer.len() })
            }
            (EcdhGroup::Secp256r1 | EcdhGroup::Secp384r1, Some(&b)) if b != 0x04 => {
                return Err(EcdhError::NotUncompressed(group))
            }
            _ => {}
        }
        let secret = match &self.secret {
            Secret::X25519(s) => {
                let peer: [u8; 32] = peer.try_into().expect("length checked");
                let shared = s.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
                // Constant time: the check reveals only the (public) fact of failure.
                if !shared.was_contributory() {
                    return Err(EcdhError::ZeroSharedSecret);
                }
                shared.as_bytes().to_vec()
            }
            Secret::P256(s) => {
                // from_sec1_bytes checks the curve equation and refuses the identity.
                let peer =
                    p256::PublicKey::from_sec1_bytes(peer).map_err(|_| EcdhError::InvalidPoint(group))?;
                s.diffie_hellman(&peer).raw_secret_bytes().to_vec()
            }
            Secret::P384(s) => {
                let peer =
                    p384::PublicKey::from_sec1_bytes(peer).map_err(|_| EcdhError::InvalidPoint(group))?;
                s.diffie_hellman(&peer).raw_secret_bytes().to_vec()
            }
        };
        Ok(SharedSecret(Zeroizing::new(secret)))
    }
}

/// The result of a key exchange (the TLS premaster secret), zeroized on drop.
pub struct SharedSecret(Zeroizing<Vec<u8>>);

impl SharedSecret {
    /// The secret bytes: the X25519 output, or the x-coordinate of the shared point, big-endian
    /// and left-padded to the field size (RFC 8422 §5.10 keeps leading zeros).
    pub fn secret_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SharedSecret").field("len", &self.0.len()).finish_non_exhaustive()
    }
}

/// [`crypto::KxGroup`](crate::crypto::KxGroup) for one group over [`EcdhGroup`], drawing private
/// keys from the system random source. Use the statics.
#[derive(Debug)]
pub struct KxGroupImpl(EcdhGroup);

/// X25519 (RFC 7748, RFC 8422 §5.1.1).
pub static X25519: KxGroupImpl = KxGroupImpl(EcdhGroup::X25519);
/// secp256r1 (NIST P-256).
pub static SECP256R1: KxGroupImpl = KxGroupImpl(EcdhGroup::Secp256r1);
/// secp384r1 (NIST P-384).
pub static SECP384R1: KxGroupImpl = KxGroupImpl(EcdhGroup::Secp384r1);

/// Every group, most preferred first: X25519 is the fastest and has no invalid points.
pub static ALL_KX_GROUPS: &[&dyn crate::crypto::KxGroup] = &[&X25519, &SECP256R1, &SECP384R1];

fn named_group(g: EcdhGroup) -> crate::enums::NamedGroup {
    crate::enums::NamedGroup::from(g.iana_id())
}

impl crate::crypto::KxGroup for KxGroupImpl {
    fn name(&self) -> crate::enums::NamedGroup {
        named_group(self.0)
    }

    fn start(&self) -> Result<Box<dyn crate::crypto::KeyShare>, GetRandomFailed> {
        match self.0.generate(&super::rand::SYSTEM_RANDOM) {
            Ok(pair) => Ok(Box::new(pair)),
            Err(EcdhError::Random(e)) => Err(e),
            // Only the random source can make generation fail.
            Err(_) => Err(GetRandomFailed),
        }
    }
}

impl crate::crypto::KeyShare for EcdhKeyPair {
    fn group(&self) -> crate::enums::NamedGroup {
        named_group(EcdhKeyPair::group(self))
    }

    fn public_key(&self) -> &[u8] {
        EcdhKeyPair::public_key(self)
    }

    fn complete(
        self: Box<Self>,
        peer_public_key: &[u8],
    ) -> Result<crate::crypto::SharedSecret, crate::crypto::KeyExchangeError> {
        // Every failure is the peer's value (bad length, compressed, off the curve, small
        // order): RFC 8422 §5.11 answers all of them with illegal_parameter.
        let secret = EcdhKeyPair::complete(*self, peer_public_key)
            .map_err(|_| crate::crypto::KeyExchangeError::InvalidPeerKey)?;
        Ok(crate::crypto::SharedSecret::new(secret.secret_bytes().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::openssl_cli::{self, Scratch};
    use crate::crypto::rustcrypto::test_util::unhex;
    use crate::crypto::rustcrypto::SYSTEM_RANDOM;

    /// A "random" source that returns fixed bytes, to drive `generate` to known keys.
    struct Fixed(Vec<u8>);

    impl SecureRandom for Fixed {
        fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
            buf.copy_from_slice(&self.0[..buf.len()]);
            Ok(())
        }
    }

    struct Failing;

    impl SecureRandom for Failing {
        fn fill(&self, _: &mut [u8]) -> Result<(), GetRandomFailed> {
            Err(GetRandomFailed)
        }
    }

    #[test]
    fn x25519_rfc7748_section_6_1() {
        let alice_private = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let bob_private = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        let alice_public = unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        let bob_public = unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        let shared = unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

        // Through `generate`, with the private key as the random source's output.
        let alice = EcdhGroup::X25519.generate(&Fixed(alice_private)).unwrap();
        let bob = EcdhKeyPair::from_private_bytes(EcdhGroup::X25519, &bob_private).unwrap();
        assert_eq!(alice.public_key(), &alice_public[..]);
        assert_eq!(bob.public_key(), &bob_public[..]);
        assert_eq!(alice.complete(&bob_public).unwrap().secret_bytes(), &shared[..]);
        assert_eq!(bob.complete(&alice_public).unwrap().secret_bytes(), &shared[..]);

        // Tampering twin: one flipped bit in the peer's value gives another secret.
        let mut tampered = bob_public.clone();
        tampered[0] ^= 1;
        let alice = EcdhKeyPair::from_private_bytes(
            EcdhGroup::X25519,
            &unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
        )
        .unwrap();
        assert_ne!(alice.complete(&tampered).unwrap().secret_bytes(), &shared[..]);
    }

    #[test]
    fn x25519_small_order_peer_values_are_refused() {
        // RFC 7748 §6.1: u = 0 and u = 1 (and the other small-order points) give all zeros.
        let small_order = [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        ];
        for u in small_order {
            let ours = EcdhGroup::X25519.generate(&SYSTEM_RANDOM).unwrap();
            assert_eq!(ours.complete(&unhex(u)).unwrap_err(), EcdhError::ZeroSharedSecret, "u = {u}");
        }
    }

    #[test]
    fn p256_nist_cavs_ecdh_vector() {
        // NIST CAVS "ECC CDH Primitive" test vectors (KAS_ECC_CDH_PrimitiveTest.txt), P-256, COUNT = 0.
        let d = unhex("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534");
        let ours = EcdhGroup::Secp256r1.generate(&Fixed(d)).unwrap();
        let our_public = unhex(
            "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230\
             28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141",
        );
        assert_eq!(ours.public_key(), &our_public[..]);
        let peer = unhex(
            "04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287\
             db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac",
        );
        let z = unhex("46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b");
        assert_eq!(ours.complete(&peer).unwrap().secret_bytes(), &z[..]);
    }

    #[test]
    fn nist_peer_points_off_the_curve_compressed_or_of_wrong_length_are_refused() {
        for group in [EcdhGroup::Secp256r1, EcdhGroup::Secp384r1] {
            let len = group.public_key_len();
            let valid = group.generate(&SYSTEM_RANDOM).unwrap().public_key().to_vec();
            let fresh = || group.generate(&SYSTEM_RANDOM).unwrap();
            assert!(fresh().complete(&valid).is_ok());

            // Tampering twin: one flipped bit in y leaves the curve.
            let mut off_curve = valid.clone();
            off_curve[len - 1] ^= 1;
            assert_eq!(fresh().complete(&off_curve).unwrap_err(), EcdhError::InvalidPoint(group));
            // x = y = 0 is not on either curve; neither is the all-zero encoding of the identity.
            let mut zero = vec![0u8; len];
            zero[0] = 4;
            assert_eq!(fresh().complete(&zero).unwrap_err(), EcdhError::InvalidPoint(group));
            assert_eq!(
                fresh().complete(&[0]).unwrap_err(),
                EcdhError::BadLength { group, expected: len, actual: 1 }
            );
            // Compressed form of the same point: refused as such.
            let mut compressed = vec![2 + (valid[len - 1] & 1)];
            compressed.extend_from_slice(&valid[1..1 + (len - 1) / 2]);
            assert_eq!(fresh().complete(&compressed).unwrap_err(), EcdhError::NotUncompressed(group));
            // Hybrid form (0x06/0x07, X9.62) and other prefixes at the right length.
            let mut hybrid = valid.clone();
            hybrid[0] = 6 + (valid[len - 1] & 1);
            assert_eq!(fresh().complete(&hybrid).unwrap_err(), EcdhError::NotUncompressed(group));
            assert!(matches!(fresh().complete(&[]).unwrap_err(), EcdhError::BadLength { .. }));
            assert!(matches!(fresh().complete(&valid[..len - 1]).unwrap_err(), EcdhError::BadLength { .. }));
        }
        assert!(matches!(
            EcdhGroup::X25519.generate(&SYSTEM_RANDOM).unwrap().complete(&[9; 33]).unwrap_err(),
            EcdhError::BadLength { expected: 32, actual: 33, .. }
        ));
    }

    #[test]
    fn a_failing_or_stuck_random_source_is_an_error() {
        for group in EcdhGroup::ALL {
            assert_eq!(group.generate(&Failing).unwrap_err(), EcdhError::Random(GetRandomFailed));
        }
        // All-ones is above both NIST group orders: every draw is rejected.
        assert!(EcdhGroup::Secp256r1.generate(&Fixed(vec![0xff; 32])).is_err());
        assert!(EcdhGroup::Secp384r1.generate(&Fixed(vec![0xff; 48])).is_err());
        assert!(EcdhGroup::Secp256r1.generate(&Fixed(vec![0; 32])).is_err());
    }

    /// The SubjectPublicKeyInfo DER of a raw public value, for `openssl pkeyutl -peerkey`.
    fn spki(group: EcdhGroup, public: &[u8]) -> Vec<u8> {
        let prefix = match group {
            // RFC 8410 §4: id-X25519.
            EcdhGroup::X25519 => "302a300506032b656e032100",
            // RFC 5480 §2: id-ecPublicKey with namedCurve prime256v1 / secp384r1.
            EcdhGroup::Secp256r1 => "3059301306072a8648ce3d020106082a8648ce3d030107034200",
            EcdhGroup::Secp384r1 => "3076301006072a8648ce3d020106052b81040022036200",
        };
        let mut der = unhex(prefix);
        der.extend_from_slice(public);
        der
    }

    #[test]
    fn every_group_agrees_with_openssl_in_both_directions() {
        for group in EcdhGroup::ALL {
            let dir = Scratch::new("ecdh");
            let key = dir.path("openssl.pem");
            let gen: &[&str] = match group {
                EcdhGroup::X25519 => &["genpkey", "-algorithm", "X25519", "-out", &key],
                EcdhGroup::Secp256r1 => {
                    &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &key]
                }
                EcdhGroup::Secp384r1 => {
                    &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", &key]
                }
            };
            openssl_cli::ok(gen);
            // Their public value: the end of their SPKI (the uncompressed point, as OpenSSL
            // encodes EC keys by default, or the X25519 u-coordinate).
            let their_spki = openssl_cli::ok(&["pkey", "-in", &key, "-pubout", "-outform", "DER"]);
            let theirs = &their_spki[their_spki.len() - group.public_key_len()..];
            assert_eq!(spki(group, theirs), their_spki, "{group}: SPKI layout");

            let ours = group.generate(&SYSTEM_RANDOM).unwrap();
            let our_spki = dir.write("ours.der", &spki(group, ours.public_key()));
            let openssl_secret = openssl_cli::ok(&[
                "pkeyutl",
                "-derive",
                "-inkey",
                &key,
                "-peerkey",
                &our_spki,
                "-peerform",
                "DER",
            ]);
            let our_secret = ours.complete(theirs).unwrap();
            assert_eq!(our_secret.secret_bytes(), &openssl_secret[..], "{group}");
            assert_eq!(openssl_secret.len(), group.shared_secret_len());
        }
    }

    #[test]
    fn kx_groups_agree_through_the_provider_traits_and_refuse_bad_peer_values() {
        use crate::crypto::KeyExchangeError;
        for g in ALL_KX_GROUPS {
            let a = g.start().unwrap();
            let b = g.start().unwrap();
            assert_eq!(a.group(), g.name());
            let (pa, pb) = (a.public_key().to_vec(), b.public_key().to_vec());
            let sa = a.complete(&pb).unwrap();
            let sb = b.complete(&pa).unwrap();
            assert_eq!(sa.secret_bytes(), sb.secret_bytes());
            // Tampering twins: a truncated value, and for X25519 a small-order point (zero).
            assert_eq!(g.start().unwrap().complete(&pb[1..]).unwrap_err(), KeyExchangeError::InvalidPeerKey);
            let zero = vec![0u8; pb.len()];
            assert_eq!(g.start().unwrap().complete(&zero).unwrap_err(), KeyExchangeError::InvalidPeerKey);
        }
        let names: Vec<u16> = ALL_KX_GROUPS.iter().map(|g| u16::from(g.name())).collect();
        assert_eq!(names, [29, 23, 24]);
    }
}
