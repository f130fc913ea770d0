//! Session tickets (RFC 5077): a server seals its session state into an opaque ticket that the
//! client keeps and presents later, so the server stores nothing. [`Ticketer`] is the seal/open
//! of bytes a server configuration uses (TLS 1.3 PSK tickets can use the same);
//! [`TicketKeys`] is the default implementation.
//!
//! Ticket layout (RFC 5077 §4's recommended shape, with an AEAD in place of CBC + HMAC):
//! `key_name[16] ‖ nonce[12] ‖ AEAD(session encoding) ‖ tag[16]`, the key name as additional
//! data. The key name says which key sealed it, so a rotated-out key fails fast and a key
//! shared by several servers (set explicitly) opens tickets from all of them.

use crate::crypto::{Aead, CryptoProvider, KeyedAead, SecureRandom, AEAD_NONCE_LEN};
use crate::error::Error;
use crate::x509::UnixTime;
use std::sync::{Mutex, MutexGuard};
use zeroize::Zeroizing;

/// Length of a ticket key's name (RFC 5077 §4 `opaque key_name[16]`).
pub const TICKET_KEY_NAME_LEN: usize = 16;

/// A ticket that opened.
pub struct OpenedTicket {
    /// The sealed bytes (a session encoding).
    pub plaintext: Zeroizing<Vec<u8>>,
    /// The key that sealed it is on its way out: issue a new ticket (RFC 5077 §3.3 renewal).
    pub renew: bool,
}

/// Seals and opens session tickets for a server. Shared by every connection of a
/// configuration (and perhaps several configurations), so implementations synchronise
/// themselves.
pub trait Ticketer: Send + Sync + core::fmt::Debug {
    /// Whether tickets are issued and accepted at all.
    fn enabled(&self) -> bool {
        true
    }
    /// The `ticket_lifetime_hint` to announce, in seconds (RFC 5077 §3.3): how long a ticket
    /// sealed now will still open.
    fn lifetime_hint_secs(&self) -> u32;
    /// Seals `plaintext` into a ticket; `None` when it cannot (the server then sends an empty
    /// ticket, RFC 5077 §3.3). `now` is the configuration's clock.
    fn seal(&self, plaintext: &[u8], now: Option<UnixTime>) -> Option<Vec<u8>>;
    /// Opens a ticket a client presented; `None` for anything this ticketer did not seal or
    /// no longer accepts (the server then falls back to a full handshake, RFC 5077 §3.4).
    fn open(&self, ticket: &[u8], now: Option<UnixTime>) -> Option<OpenedTicket>;
    /// Whether a TLS 1.3 resumption of a ticket this ticketer opened gets a new ticket, given
    /// whether opening asked for renewal ([`OpenedTicket::renew`]). By default always (the
    /// client used one up); OpenSSL's ticket key callback only when it returned 2.
    fn reissue_after_tls13_resumption(&self, renew: bool) -> bool {
        let _ = renew;
        true
    }
    /// [`Self::seal`] for a ticketer that can also fail the handshake (alert internal_error):
    /// OpenSSL's ticket key callback returning an error. By default, `Ok(self.seal(..))`.
    fn try_seal(&self, plaintext: &[u8], now: Option<UnixTime>) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.seal(plaintext, now))
    }
    /// [`Self::open`] for a ticketer that can also fail the handshake (alert internal_error).
    /// By default, `Ok(self.open(..))`.
    fn try_open(&self, ticket: &[u8], now: Option<UnixTime>) -> Result<Option<OpenedTicket>, Error> {
        Ok(self.open(ticket, now))
    }
}

struct TicketKey {
    name: [u8; TICKET_KEY_NAME_LEN],
    key: Box<dyn KeyedAead>,
    /// When the key became current, by the configuration's clock (set on first use when it
    /// was made without one).
    since: Option<u64>,
}

struct KeyRing {
    current: TicketKey,
    /// The key before the last rotation: still opens tickets (which are then renewed), until
    /// the next rotation.
    previous: Option<TicketKey>,
}

/// Ticket keys with rotation: a current key seals, the current and the previous key open.
/// Every `rotation_period` seconds (by the clock the server passes in) a fresh random key
/// becomes current and the current one becomes previous; a ticket so opens for between one and
/// two periods, and one opened with the previous key is renewed. Keys can also be rotated by
/// hand or set explicitly (several servers sharing one key). Key material is never exposed
/// and is wiped by the provider's AEAD on drop.
pub struct TicketKeys {
    aead: &'static dyn Aead,
    random: &'static dyn SecureRandom,
    /// 0: never rotate by time.
    rotation_period_secs: u64,
    ring: Mutex<KeyRing>,
}

impl core::fmt::Debug for TicketKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TicketKeys")
            .field("aead", &self.aead.name())
            .field("rotation_period_secs", &self.rotation_period_secs)
            .finish_non_exhaustive()
    }
}

impl TicketKeys {
    /// Random keys for the provider's first sealing AEAD (AES-256-GCM in the RustCrypto
    /// provider), rotated every `rotation_period_secs` (0: only by hand).
    pub fn new(provider: &CryptoProvider, rotation_period_secs: u64) -> Result<Self, Error> {
        let aead = *provider
            .aeads
            .first()
            .ok_or_else(|| Error::Config("the crypto provider offers no AEAD for session tickets".into()))?;
        Self::with_aead(provider, aead, rotation_period_secs)
    }

    /// Like [`Self::new`] with the AEAD `aead` (one of `provider.aeads`, e.g.
    /// ChaCha20-Poly1305).
    pub fn with_aead(
        provider: &CryptoProvider,
        aead: &'static dyn Aead,
        rotation_period_secs: u64,
    ) -> Result<Self, Error> {
        let random = provider.random;
        let current = random_key(aead, random, None)?;
        Ok(Self { aead, random, rotation_period_secs, ring: Mutex::new(KeyRing { current, previous: None }) })
    }

    /// The AEAD that seals tickets.
    pub fn aead(&self) -> &'static dyn Aead {
        self.aead
    }

    /// Makes a fresh random key current now; the current one becomes previous (its tickets
    /// open once more and are renewed) and the previous one is forgotten.
    pub fn rotate(&self) -> Result<(), Error> {
        let key = random_key(self.aead, self.random, None)?;
        self.install(key);
        Ok(())
    }

    /// Makes `key` (of the AEAD's key length) with `name` the current key, as [`Self::rotate`]
    /// does with a random one: servers given the same name and key open each other's tickets.
    pub fn set_key(&self, name: [u8; TICKET_KEY_NAME_LEN], key: &[u8]) -> Result<(), Error> {
        let keyed = self.aead.key(key).ok_or_else(|| {
            Error::Config(format!(
                "a {} ticket key is {} bytes, not {}",
                self.aead.name(),
                self.aead.key_len(),
                key.len()
            ))
        })?;
        self.install(TicketKey { name, key: keyed, since: None });
        Ok(())
    }

    fn install(&self, key: TicketKey) {
        let mut ring = self.lock();
        let old = core::mem::replace(&mut ring.current, key);
        ring.previous = Some(old);
    }

    fn lock(&self) -> MutexGuard<'_, KeyRing> {
        // Every update is a swap of whole keys: a panic elsewhere leaves a usable ring.
        self.ring.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Rotates when the current key is older than the period at `now`.
    fn rotate_if_due(&self, ring: &mut KeyRing, now: Option<UnixTime>) {
        let Some(now) = now.map(|t| t.as_secs()) else { return };
        let since = *ring.current.since.get_or_insert(now);
        if self.rotation_period_secs == 0 || now.saturating_sub(since) < self.rotation_period_secs {
            return;
        }
        // A failing RNG keeps the current key one more period rather than issuing nothing.
        if let Ok(key) = random_key(self.aead, self.random, Some(now)) {
            let old = core::mem::replace(&mut ring.current, key);
            ring.previous = Some(old);
        }
    }
}

fn random_key(
    aead: &'static dyn Aead,
    random: &'static dyn SecureRandom,
    since: Option<u64>,
) -> Result<TicketKey, Error> {
    let mut name = [0u8; TICKET_KEY_NAME_LEN];
    random.fill(&mut name)?;
    let mut secret = Zeroizing::new(vec![0u8; aead.key_len()]);
    random.fill(&mut secret)?;
    let key = aead.key(&secret).ok_or(Error::Internal("ticket AEAD refused a key of its own length"))?;
    Ok(TicketKey { name, key, since })
}

impl Ticketer for TicketKeys {
    fn lifetime_hint_secs(&self) -> u32 {
        // A ticket sealed now opens for at least one more period (as current, then previous).
        match self.rotation_period_secs {
            0 => 0,
            p => u32::try_from(p).unwrap_or(u32::MAX),
        }
    }

    fn seal(&self, plaintext: &[u8], now: Option<UnixTime>) -> Option<Vec<u8>> {
        let mut nonce = [0u8; AEAD_NONCE_LEN];
        self.random.fill(&mut nonce).ok()?;
        let mut ring = self.lock();
        self.rotate_if_due(&mut ring, now);
        let key = &ring.current;
        let sealed = key.key.seal(&nonce, &key.name, plaintext);
        if sealed.is_empty() {
            return None;
        }
        let mut ticket = Vec::with_capacity(TICKET_KEY_NAME_LEN + AEAD_NONCE_LEN + sealed.len());
        ticket.extend_from_slice(&key.name);
        ticket.extend_from_slice(&nonce);
        ticket.extend_from_slice(&sealed);
        Some(ticket)
    }

    fn open(&self, ticket: &[u8], now: Option<UnixTime>) -> Option<OpenedTicket> {
        if ticket.len() < TICKET_KEY_NAME_LEN + AEAD_NONCE_LEN {
            return None;
        }
        let (name, rest) = ticket.split_at(TICKET_KEY_NAME_LEN);
        let (nonce, sealed) = rest.split_at(AEAD_NONCE_LEN);
        let nonce: &[u8; AEAD_NONCE_LEN] = nonce.try_into().ok()?;
        let mut ring = self.lock();
        self.rotate_if_due(&mut ring, now);
        // The names are random and public (they travel in every ticket): comparing them in
        // variable time reveals nothing.
        if ring.current.name == name {
            let plaintext = ring.current.key.open(nonce, name, sealed)?;
            return Some(OpenedTicket { plaintext, renew: false });
        }
        let previous = ring.previous.as_ref().filter(|k| k.name == name)?;
        let plaintext = previous.key.open(nonce, name, sealed)?;
        Some(OpenedTicket { plaintext, renew: true })
    }
}

/// A ticketer that never issues or accepts tickets: tickets off.
#[derive(Debug, Default)]
pub struct NoTickets;

impl Ticketer for NoTickets {
    fn enabled(&self) -> bool {
        false
    }
    fn lifetime_hint_secs(&self) -> u32 {
        0
    }
    fn seal(&self, _: &[u8], _: Option<UnixTime>) -> Option<Vec<u8>> {
        None
    }
    fn open(&self, _: &[u8], _: Option<UnixTime>) -> Option<OpenedTicket> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::DEFAULT_PROVIDER;

    fn at(secs: u64) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(core::time::Duration::from_secs(secs)))
    }

    #[test]
    fn a_sealed_ticket_opens_and_any_changed_byte_does_not() {
        let keys = TicketKeys::new(&DEFAULT_PROVIDER, 3600).unwrap();
        let ticket = keys.seal(b"session state", at(1000)).unwrap();
        assert_eq!(ticket.len(), 16 + 12 + 13 + 16);
        let opened = keys.open(&ticket, at(1001)).unwrap();
        assert_eq!(&opened.plaintext[..], b"session state");
        assert!(!opened.renew);
        for i in 0..ticket.len() {
            let mut t = ticket.clone();
            t[i] ^= 0x01;
            assert!(keys.open(&t, at(1001)).is_none(), "byte {i}");
        }
        for cut in 0..ticket.len() {
            assert!(keys.open(&ticket[..cut], at(1001)).is_none());
        }
        // Another server's keys open nothing of ours.
        let other = TicketKeys::new(&DEFAULT_PROVIDER, 3600).unwrap();
        assert!(other.open(&ticket, at(1001)).is_none());
    }

    #[test]
    fn a_rotated_out_key_opens_until_the_next_rotation_and_asks_for_renewal() {
        let keys = TicketKeys::new(&DEFAULT_PROVIDER, 100).unwrap();
        let ticket = keys.seal(b"s", at(1000)).unwrap();
        assert!(!keys.open(&ticket, at(1099)).unwrap().renew);
        // One rotation: the key is previous, the ticket still opens and should be renewed.
        let opened = keys.open(&ticket, at(1100)).unwrap();
        assert!(opened.renew);
        let renewed = keys.seal(b"s", at(1100)).unwrap();
        assert_ne!(renewed[..16], ticket[..16]);
        // Second rotation: the first key is gone; the renewed ticket still opens.
        assert!(keys.open(&ticket, at(1200)).is_none());
        assert!(keys.open(&renewed, at(1200)).unwrap().renew);
    }

    #[test]
    fn manual_rotation_and_shared_keys() {
        let a = TicketKeys::with_aead(&DEFAULT_PROVIDER, DEFAULT_PROVIDER.aeads[1], 0).unwrap();
        assert_eq!(a.aead().name(), "AEAD_CHACHA20_POLY1305");
        let b = TicketKeys::with_aead(&DEFAULT_PROVIDER, DEFAULT_PROVIDER.aeads[1], 0).unwrap();
        a.set_key([1; 16], &[9; 32]).unwrap();
        b.set_key([1; 16], &[9; 32]).unwrap();
        let t = a.seal(b"x", None).unwrap();
        assert_eq!(&b.open(&t, None).unwrap().plaintext[..], b"x");
        assert!(a.set_key([1; 16], &[9; 31]).is_err());
        a.rotate().unwrap();
        assert!(a.open(&t, None).unwrap().renew);
        a.rotate().unwrap();
        assert!(a.open(&t, None).is_none());
        assert!(format!("{a:?}").contains("CHACHA20"));
    }
}
