//! The one byte encoding of a [`Tls12Session`]: what session tickets seal (RFC 5077 §4), what
//! the server's session cache stores, what `ferrotls_session_to_bytes` and `i2d_SSL_SESSION`
//! hand to applications. Versioned (the first byte), fixed field order, every length bounded,
//! and decoding is strict: an unknown version, flag or cipher suite, a bad length or a byte
//! left over is an error, never a guess.
//!
//! Format version 1 (big-endian; `<a..b>` is a length-prefixed field as in RFC 5246 §4.3):
//!
//! ```text
//! u8   format (1)
//! u16  protocol version          u16 cipher suite (IANA)
//! u8   flags: 1 EMS, 2 EtM, 4 creation time known
//! u8   master_secret[48]
//! u8   session_id<0..32>         u8 session_id_context<0..32>
//! u8   server_name<0..255>       (empty: none)
//! u64  creation time (seconds since the epoch; 0 when unknown)
//! u64  lifetime (seconds)
//! u32  ticket_lifetime_hint      u16 ticket<0..2^16-1>   (a client's ticket, RFC 5077 §3.3)
//! u24  certificate_list<0..2^24-1>, each u24 ASN.1Cert<1..2^24-1> (leaf first)
//! ```
//!
//! Format version 2 is a TLS 1.3 ticket's state ([`Tls13Session`], RFC 8446 §4.6.1), in the
//! same style:
//!
//! ```text
//! u8   format (2)
//! u16  cipher suite (IANA, a TLS 1.3 suite)
//! u8   flags: 4 creation time known
//! u8   psk<32..48>               (the ticket's resumption PSK)
//! u32  ticket_age_add            u32 lifetime (seconds, at most 604800)
//! u64  creation time (seconds since the epoch; 0 when unknown)
//! u32  max_early_data_size
//! u8   alpn<0..255>              u8 server_name<0..255>      u8 session_id_context<0..32>
//! u16  ticket<0..2^16-1>         (a client's; empty in what a server seals)
//! u24  certificate_list          (as in version 1)
//! ```
//!
//! What is not encoded: how a client's server was verified (`VerifiedBy` is an object of this
//! process). A decoded client session is offered only after the importing configuration has
//! verified its certificates again (`ClientConfig::import_session`).

use super::tls13::{Tls13Session, Tls13SessionParts};
use super::{SessionParts, Tls12Session};
use crate::codec::{Codec, ListLength, Reader};
use crate::crypto::CryptoProvider;
use crate::msgs::enums::{CipherSuite, ProtocolVersion};
use crate::msgs::SessionId;
use crate::x509::{CertificateDer, UnixTime};
use zeroize::Zeroizing;

/// The format this version of ferrotls writes and the only one it reads.
pub const SESSION_FORMAT_VERSION: u8 = 1;

/// The format of a TLS 1.3 session ([`Tls13Session`]).
pub const SESSION_FORMAT_TLS13: u8 = 2;

/// The longest encoding accepted: a chain of a few large certificates and a full ticket fit
/// many times over; anything longer is not ours.
pub const MAX_SESSION_ENCODING_LEN: usize = 1 << 20;

const FLAG_EMS: u8 = 1;
const FLAG_ETM: u8 = 2;
const FLAG_TIME: u8 = 4;
const KNOWN_FLAGS: u8 = FLAG_EMS | FLAG_ETM | FLAG_TIME;

/// Why bytes are not a session this build can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionDecodeError(pub &'static str);

impl core::fmt::Display for SessionDecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "not a usable ferrotls session encoding: {}", self.0)
    }
}

impl std::error::Error for SessionDecodeError {}

impl From<crate::codec::InvalidMessage> for SessionDecodeError {
    fn from(_: crate::codec::InvalidMessage) -> Self {
        Self("truncated or malformed field")
    }
}

impl Tls12Session {
    /// The session in the versioned byte encoding (module docs). The bytes carry the master
    /// secret: keep them as secret as the connection's keys (they are wiped when dropped).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let s = &self.inner;
        let mut out = Zeroizing::new(Vec::with_capacity(
            128 + s.ticket.len() + s.peer_certificates.iter().map(|c| 3 + c.as_ref().len()).sum::<usize>(),
        ));
        let o: &mut Vec<u8> = &mut out;
        o.push(SESSION_FORMAT_VERSION);
        s.version.encode(o);
        s.suite.suite.encode(o);
        let flags = (if s.extended_master_secret { FLAG_EMS } else { 0 })
            | (if s.encrypt_then_mac { FLAG_ETM } else { 0 })
            | (if s.creation_time.is_some() { FLAG_TIME } else { 0 });
        o.push(flags);
        o.extend_from_slice(&s.master_secret[..]);
        s.id.encode(o);
        ListLength::U8 { max: super::MAX_SESSION_ID_CONTEXT_LEN }
            .encode_with(o, |o| o.extend_from_slice(&s.session_id_context));
        ListLength::U8 { max: 255 }
            .encode_with(o, |o| o.extend_from_slice(s.server_name.as_deref().unwrap_or("").as_bytes()));
        o.extend_from_slice(&s.creation_time.map_or(0, |t| t.as_secs()).to_be_bytes());
        o.extend_from_slice(&s.lifetime_secs.to_be_bytes());
        o.extend_from_slice(&s.ticket_lifetime_hint.to_be_bytes());
        ListLength::U16 { max: 0xffff }.encode_with(o, |o| o.extend_from_slice(&s.ticket));
        ListLength::U24 { max: 0xff_ffff }.encode_with(o, |o| {
            for cert in &s.peer_certificates {
                ListLength::U24 { max: 0xff_ffff }.encode_with(o, |o| o.extend_from_slice(cert.as_ref()));
            }
        });
        out
    }

    /// Reads [`Self::to_bytes`] output. The cipher suite must be one of `provider`'s. The
    /// result is tied to no verifier: a client offers it only through
    /// `ClientConfig::import_session`, which verifies its certificates again.
    pub fn from_bytes(bytes: &[u8], provider: &CryptoProvider) -> Result<Self, SessionDecodeError> {
        if bytes.len() > MAX_SESSION_ENCODING_LEN {
            return Err(SessionDecodeError("longer than any session"));
        }
        let mut r = Reader::new(bytes);
        if u8::read(&mut r)? != SESSION_FORMAT_VERSION {
            return Err(SessionDecodeError("unknown format version"));
        }
        let version = ProtocolVersion::read(&mut r)?;
        if !(ProtocolVersion::TLSv1_0..=ProtocolVersion::TLSv1_2).contains(&version) {
            return Err(SessionDecodeError("unsupported protocol version"));
        }
        let suite_id = CipherSuite::read(&mut r)?;
        let suite = provider
            .cipher_suites
            .iter()
            .copied()
            .find(|s| s.suite == suite_id)
            .ok_or(SessionDecodeError("cipher suite unknown to this provider"))?;
        if suite.min_version > version {
            return Err(SessionDecodeError("cipher suite not defined for the version"));
        }
        let flags = u8::read(&mut r)?;
        if flags & !KNOWN_FLAGS != 0 {
            return Err(SessionDecodeError("unknown flags"));
        }
        let mut master_secret = Zeroizing::new([0u8; 48]);
        master_secret.copy_from_slice(r.take(48, "master_secret")?);
        let id = SessionId::read(&mut r)?;
        let context = ListLength::U8 { max: super::MAX_SESSION_ID_CONTEXT_LEN }
            .read(&mut r, "context")?
            .rest()
            .to_vec();
        let name = ListLength::U8 { max: 255 }.read(&mut r, "server_name")?.rest();
        let server_name = match name {
            [] => None,
            n if n.is_ascii() && !n.contains(&0) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => return Err(SessionDecodeError("server name is not ASCII")),
        };
        let created = u64_from(r.take(8, "creation time")?);
        let lifetime_secs = u64_from(r.take(8, "lifetime")?);
        let hint = r.take(4, "ticket lifetime hint")?;
        let ticket_lifetime_hint = u32::from_be_bytes([hint[0], hint[1], hint[2], hint[3]]);
        let ticket = ListLength::U16 { max: 0xffff }.read(&mut r, "ticket")?.rest().to_vec();
        let mut list = ListLength::U24 { max: 0xff_ffff }.read(&mut r, "certificate_list")?;
        let mut peer_certificates = Vec::new();
        while !list.is_empty() {
            let cert = ListLength::U24 { max: 0xff_ffff }.read(&mut list, "certificate")?.rest();
            if cert.is_empty() {
                return Err(SessionDecodeError("empty certificate"));
            }
            peer_certificates.push(CertificateDer::from(cert.to_vec()));
        }
        r.expect_empty("session")?;
        Ok(Tls12Session::new(SessionParts {
            id,
            version,
            suite,
            master_secret,
            extended_master_secret: flags & FLAG_EMS != 0,
            encrypt_then_mac: flags & FLAG_ETM != 0,
            peer_certificates,
            server_name,
            session_id_context: context,
            creation_time: (flags & FLAG_TIME != 0)
                .then(|| UnixTime::since_unix_epoch(core::time::Duration::from_secs(created))),
            lifetime_secs,
            verified_by: None,
            ticket,
            ticket_lifetime_hint,
        }))
    }
}

fn encode_certificates(o: &mut Vec<u8>, certs: &[CertificateDer<'static>]) {
    ListLength::U24 { max: 0xff_ffff }.encode_with(o, |o| {
        for cert in certs {
            ListLength::U24 { max: 0xff_ffff }.encode_with(o, |o| o.extend_from_slice(cert.as_ref()));
        }
    });
}

fn read_certificates(r: &mut Reader<'_>) -> Result<Vec<CertificateDer<'static>>, SessionDecodeError> {
    let mut list = ListLength::U24 { max: 0xff_ffff }.read(r, "certificate_list")?;
    let mut out = Vec::new();
    while !list.is_empty() {
        let cert = ListLength::U24 { max: 0xff_ffff }.read(&mut list, "certificate")?.rest();
        if cert.is_empty() {
            return Err(SessionDecodeError("empty certificate"));
        }
        out.push(CertificateDer::from(cert.to_vec()));
    }
    Ok(out)
}

fn read_u32(r: &mut Reader<'_>, what: &'static str) -> Result<u32, SessionDecodeError> {
    let b = r.take(4, what)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

impl Tls13Session {
    /// The session in the versioned byte encoding (format 2, module docs). The bytes carry the
    /// resumption PSK: keep them as secret as the connection's keys.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let s = &self.inner;
        let mut out = Zeroizing::new(Vec::with_capacity(
            128 + s.ticket.len() + s.peer_certificates.iter().map(|c| 3 + c.as_ref().len()).sum::<usize>(),
        ));
        let o: &mut Vec<u8> = &mut out;
        o.push(SESSION_FORMAT_TLS13);
        s.suite.suite.encode(o);
        o.push(if s.creation_time.is_some() { FLAG_TIME } else { 0 });
        ListLength::U8 { max: 64 }.encode_with(o, |o| o.extend_from_slice(&s.psk));
        o.extend_from_slice(&s.age_add.to_be_bytes());
        o.extend_from_slice(&s.lifetime_secs.to_be_bytes());
        o.extend_from_slice(&s.creation_time.map_or(0, |t| t.as_secs()).to_be_bytes());
        o.extend_from_slice(&s.max_early_data.to_be_bytes());
        ListLength::U8 { max: 255 }.encode_with(o, |o| o.extend_from_slice(s.alpn.as_deref().unwrap_or(&[])));
        ListLength::U8 { max: 255 }
            .encode_with(o, |o| o.extend_from_slice(s.server_name.as_deref().unwrap_or("").as_bytes()));
        ListLength::U8 { max: super::MAX_SESSION_ID_CONTEXT_LEN }
            .encode_with(o, |o| o.extend_from_slice(&s.session_id_context));
        ListLength::U16 { max: 0xffff }.encode_with(o, |o| o.extend_from_slice(&s.ticket));
        encode_certificates(o, &s.peer_certificates);
        out
    }

    /// Reads [`Self::to_bytes`] output. The suite must be one of `provider`'s TLS 1.3 suites
    /// and the PSK as long as its hash. Tied to no verifier.
    pub fn from_bytes(bytes: &[u8], provider: &CryptoProvider) -> Result<Self, SessionDecodeError> {
        if bytes.len() > MAX_SESSION_ENCODING_LEN {
            return Err(SessionDecodeError("longer than any session"));
        }
        let mut r = Reader::new(bytes);
        if u8::read(&mut r)? != SESSION_FORMAT_TLS13 {
            return Err(SessionDecodeError("unknown format version"));
        }
        let suite_id = CipherSuite::read(&mut r)?;
        let suite = provider
            .tls13_cipher_suites
            .iter()
            .copied()
            .find(|s| s.suite == suite_id)
            .ok_or(SessionDecodeError("cipher suite unknown to this provider"))?;
        let flags = u8::read(&mut r)?;
        if flags & !FLAG_TIME != 0 {
            return Err(SessionDecodeError("unknown flags"));
        }
        let psk = Zeroizing::new(ListLength::U8 { max: 64 }.read(&mut r, "psk")?.rest().to_vec());
        if psk.len() != suite.schedule_hash().secret_len() {
            return Err(SessionDecodeError("PSK length does not match the suite's hash"));
        }
        let age_add = read_u32(&mut r, "ticket_age_add")?;
        let lifetime_secs = read_u32(&mut r, "lifetime")?;
        if lifetime_secs > super::tls13::MAX_TICKET_LIFETIME_SECS {
            return Err(SessionDecodeError("lifetime over seven days"));
        }
        let created = u64_from(r.take(8, "creation time")?);
        let max_early_data = read_u32(&mut r, "max_early_data_size")?;
        let alpn = ListLength::U8 { max: 255 }.read(&mut r, "alpn")?.rest();
        let alpn = (!alpn.is_empty()).then(|| alpn.to_vec());
        let name = ListLength::U8 { max: 255 }.read(&mut r, "server_name")?.rest();
        let server_name = match name {
            [] => None,
            n if n.is_ascii() && !n.contains(&0) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => return Err(SessionDecodeError("server name is not ASCII")),
        };
        let session_id_context = ListLength::U8 { max: super::MAX_SESSION_ID_CONTEXT_LEN }
            .read(&mut r, "context")?
            .rest()
            .to_vec();
        let ticket = ListLength::U16 { max: 0xffff }.read(&mut r, "ticket")?.rest().to_vec();
        let peer_certificates = read_certificates(&mut r)?;
        r.expect_empty("session")?;
        Ok(Tls13Session::new(Tls13SessionParts {
            suite,
            psk,
            age_add,
            lifetime_secs,
            creation_time: (flags & FLAG_TIME != 0)
                .then(|| UnixTime::since_unix_epoch(core::time::Duration::from_secs(created))),
            max_early_data,
            alpn,
            server_name,
            session_id_context,
            peer_certificates,
            ticket,
            verified_by: None,
        }))
    }
}

/// When an encoded session expires (creation time + lifetime, in seconds since the epoch),
/// read without a provider; `None` for bytes that are not a session or carry no time, which a
/// cache treats as expired.
pub(crate) fn expiry_of(bytes: &[u8]) -> Option<u64> {
    let mut r = Reader::new(bytes);
    if u8::read(&mut r).ok()? != SESSION_FORMAT_VERSION {
        return None;
    }
    r.take(4, "version and suite").ok()?;
    let flags = u8::read(&mut r).ok()?;
    r.take(48, "master_secret").ok()?;
    for max in [32, super::MAX_SESSION_ID_CONTEXT_LEN, 255] {
        ListLength::U8 { max }.read(&mut r, "field").ok()?;
    }
    let created = u64_from(r.take(8, "creation time").ok()?);
    let lifetime = u64_from(r.take(8, "lifetime").ok()?);
    (flags & FLAG_TIME != 0).then(|| created.saturating_add(lifetime))
}

fn u64_from(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    u64::from_be_bytes(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::DEFAULT_PROVIDER;

    fn session(ticket: Vec<u8>, certs: usize) -> Tls12Session {
        Tls12Session::new(SessionParts {
            id: SessionId::new(&[3; 32]).unwrap(),
            version: ProtocolVersion::TLSv1_2,
            suite: DEFAULT_PROVIDER.cipher_suites[0],
            master_secret: Zeroizing::new([7; 48]),
            extended_master_secret: true,
            encrypt_then_mac: false,
            peer_certificates: (0..certs).map(|i| CertificateDer::from(vec![0x30, i as u8])).collect(),
            server_name: Some("example.com".into()),
            session_id_context: b"ctx".to_vec(),
            creation_time: Some(UnixTime::since_unix_epoch(core::time::Duration::from_secs(1_700_000_000))),
            lifetime_secs: 300,
            verified_by: None,
            ticket,
            ticket_lifetime_hint: 7200,
        })
    }

    #[test]
    fn a_session_round_trips_through_its_encoding() {
        for (ticket, certs) in [(vec![], 0), (vec![9; 200], 3), (vec![1; 0xffff], 1)] {
            let s = session(ticket, certs);
            let bytes = s.to_bytes();
            let back = Tls12Session::from_bytes(&bytes, &DEFAULT_PROVIDER).unwrap();
            assert_eq!(back.to_bytes(), bytes);
            assert_eq!(back.master_secret(), &[7; 48]);
            assert_eq!(back.server_name(), Some("example.com"));
            assert_eq!(back.ticket(), s.ticket());
            assert_eq!(back.peer_certificates(), s.peer_certificates());
            assert_eq!(back.creation_time().map(|t| t.as_secs()), Some(1_700_000_000));
        }
    }

    #[test]
    fn every_truncation_and_every_trailing_byte_is_refused() {
        let bytes = session(vec![5; 10], 2).to_bytes();
        for cut in 0..bytes.len() {
            assert!(Tls12Session::from_bytes(&bytes[..cut], &DEFAULT_PROVIDER).is_err(), "cut {cut}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(Tls12Session::from_bytes(&longer, &DEFAULT_PROVIDER).is_err());
    }

    #[test]
    fn unknown_versions_flags_and_suites_are_refused() {
        let good = session(vec![], 1).to_bytes();
        let tamper = |at: usize, v: u8| {
            let mut b = good.to_vec();
            b[at] = v;
            Tls12Session::from_bytes(&b, &DEFAULT_PROVIDER).unwrap_err()
        };
        assert_eq!(tamper(0, 2), SessionDecodeError("unknown format version"));
        assert_eq!(tamper(2, 0x04), SessionDecodeError("unsupported protocol version"));
        assert_eq!(tamper(4, 0xfe), SessionDecodeError("cipher suite unknown to this provider"));
        assert_eq!(tamper(5, 0x80), SessionDecodeError("unknown flags"));
        assert!(Tls12Session::from_bytes(&good, &DEFAULT_PROVIDER).is_ok());
    }

    fn session13(ticket: Vec<u8>) -> Tls13Session {
        let suite = DEFAULT_PROVIDER.tls13_cipher_suites[0];
        Tls13Session::new(Tls13SessionParts {
            suite,
            psk: Zeroizing::new(vec![9; suite.schedule_hash().secret_len()]),
            age_add: 0xdead_beef,
            lifetime_secs: 7200,
            creation_time: Some(UnixTime::since_unix_epoch(core::time::Duration::from_secs(1_700_000_000))),
            max_early_data: 0,
            alpn: Some(b"h2".to_vec()),
            server_name: Some("example.com".into()),
            session_id_context: b"ctx".to_vec(),
            peer_certificates: vec![CertificateDer::from(vec![0x30, 1])],
            ticket,
            verified_by: None,
        })
    }

    #[test]
    fn a_tls13_session_round_trips_and_is_not_a_tls12_one() {
        for ticket in [vec![], vec![4; 300]] {
            let s = session13(ticket);
            let bytes = s.to_bytes();
            let back = Tls13Session::from_bytes(&bytes, &DEFAULT_PROVIDER).unwrap();
            assert_eq!(back.to_bytes(), bytes);
            assert_eq!(back.psk(), s.psk());
            assert_eq!(back.age_add(), 0xdead_beef);
            assert_eq!(back.alpn_protocol(), Some(&b"h2"[..]));
            assert_eq!(back.server_name(), Some("example.com"));
            assert_eq!(back.ticket(), s.ticket());
            assert_eq!(
                Tls12Session::from_bytes(&bytes, &DEFAULT_PROVIDER).unwrap_err(),
                SessionDecodeError("unknown format version")
            );
            for cut in 0..bytes.len() {
                assert!(Tls13Session::from_bytes(&bytes[..cut], &DEFAULT_PROVIDER).is_err(), "cut {cut}");
            }
        }
        let v12 = session(vec![], 0).to_bytes();
        assert!(Tls13Session::from_bytes(&v12, &DEFAULT_PROVIDER).is_err());
    }

    #[test]
    fn a_tls13_session_with_a_wrong_psk_length_or_lifetime_is_refused() {
        let good = session13(vec![]).to_bytes();
        let mut b = good.to_vec();
        let psk_len = usize::from(b[4]);
        b[4] -= 1; // the PSK length: one byte short, the rest then misparses
        assert!(Tls13Session::from_bytes(&b, &DEFAULT_PROVIDER).is_err());
        let mut b = good.to_vec();
        let at = 5 + psk_len + 4; // the lifetime
        b[at..at + 4].copy_from_slice(&604_801u32.to_be_bytes());
        assert_eq!(
            Tls13Session::from_bytes(&b, &DEFAULT_PROVIDER).unwrap_err(),
            SessionDecodeError("lifetime over seven days")
        );
    }
}
