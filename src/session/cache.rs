//! The server's session store: a trait, so applications can share sessions their own way, and
//! a bounded in-memory LRU implementation used by default.

use super::Tls12Session;
use crate::x509::UnixTime;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Where a server keeps sessions for resumption by session ID (RFC 5246 §7.4.1.2). Shared by
/// every connection of a configuration, so implementations synchronise themselves.
pub trait StoresServerSessions: Send + Sync + core::fmt::Debug {
    /// Stores a session under its ID; false when it was not stored.
    fn put(&self, session: Tls12Session) -> bool;
    /// The session stored under `id`, if any (expiry is the caller's check).
    fn get(&self, id: &[u8]) -> Option<Tls12Session>;
    /// Forgets the session stored under `id`; true when there was one.
    fn remove(&self, id: &[u8]) -> bool;
    /// False when sessions are never stored: the server then sends an empty session_id, which
    /// tells the client that this session cannot be resumed (RFC 5246 §7.4.1.3).
    fn can_cache(&self) -> bool;
    /// How many sessions are stored.
    fn len(&self) -> usize;
    /// True when no session is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Forgets every session that is expired at `now` (all of them when `now` is `None`).
    fn flush_expired(&self, now: Option<UnixTime>);
}

/// A store that keeps nothing: resumption off.
#[derive(Debug, Default)]
pub struct NoServerSessionStorage;

impl StoresServerSessions for NoServerSessionStorage {
    fn put(&self, _: Tls12Session) -> bool {
        false
    }
    fn get(&self, _: &[u8]) -> Option<Tls12Session> {
        None
    }
    fn remove(&self, _: &[u8]) -> bool {
        false
    }
    fn can_cache(&self) -> bool {
        false
    }
    fn len(&self) -> usize {
        0
    }
    fn flush_expired(&self, _: Option<UnixTime>) {}
}

/// At most `capacity` sessions in memory; storing one more evicts the least recently used.
/// Memory is bounded by the capacity whatever clients do, since only completed full handshakes
/// add entries.
pub struct ServerSessionMemoryCache {
    capacity: AtomicUsize,
    inner: Mutex<Lru>,
}

#[derive(Default)]
struct Lru {
    /// Session ID → (session, last use).
    entries: HashMap<Vec<u8>, (Tls12Session, u64)>,
    /// Last use → session ID: the first entry is the least recently used.
    by_use: BTreeMap<u64, Vec<u8>>,
    clock: u64,
}

impl Lru {
    fn touch(&mut self, id: &[u8]) -> Option<Tls12Session> {
        self.clock += 1;
        let clock = self.clock;
        let (session, used) = self.entries.get_mut(id)?;
        self.by_use.remove(used);
        *used = clock;
        self.by_use.insert(clock, id.to_vec());
        Some(session.clone())
    }

    fn remove(&mut self, id: &[u8]) -> bool {
        match self.entries.remove(id) {
            Some((_, used)) => {
                self.by_use.remove(&used);
                true
            }
            None => false,
        }
    }
}

impl ServerSessionMemoryCache {
    /// A cache of at most `capacity` sessions; 0 stores nothing.
    pub fn new(capacity: usize) -> Self {
        Self { capacity: AtomicUsize::new(capacity), inner: Mutex::new(Lru::default()) }
    }

    /// The most sessions kept.
    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Relaxed)
    }

    /// Changes the capacity (as `SSL_CTX_sess_set_cache_size` does at any time), evicting the
    /// least recently used sessions beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity, Ordering::Relaxed);
        let mut lru = self.lock();
        while lru.entries.len() > capacity {
            let Some((_, oldest)) = lru.by_use.pop_first() else { break };
            lru.entries.remove(&oldest);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Lru> {
        // A panic elsewhere while holding the lock leaves a consistent map (every update is a
        // few map operations), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl core::fmt::Debug for ServerSessionMemoryCache {
    /// Sizes only: a configuration's Debug output should not list every cached session.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerSessionMemoryCache")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .finish()
    }
}

impl StoresServerSessions for ServerSessionMemoryCache {
    fn put(&self, session: Tls12Session) -> bool {
        let capacity = self.capacity();
        if capacity == 0 || session.id().is_empty() {
            return false;
        }
        let mut lru = self.lock();
        let id = session.id().to_vec();
        lru.remove(&id);
        while lru.entries.len() >= capacity {
            let Some((_, oldest)) = lru.by_use.pop_first() else { break };
            lru.entries.remove(&oldest);
        }
        lru.clock += 1;
        let clock = lru.clock;
        lru.by_use.insert(clock, id.clone());
        lru.entries.insert(id, (session, clock));
        true
    }

    fn get(&self, id: &[u8]) -> Option<Tls12Session> {
        self.lock().touch(id)
    }

    fn remove(&self, id: &[u8]) -> bool {
        self.lock().remove(id)
    }

    fn can_cache(&self) -> bool {
        self.capacity() > 0
    }

    fn len(&self) -> usize {
        self.lock().entries.len()
    }

    fn flush_expired(&self, now: Option<UnixTime>) {
        let mut lru = self.lock();
        let expired: Vec<Vec<u8>> =
            lru.entries.iter().filter(|(_, (s, _))| s.is_expired(now)).map(|(id, _)| id.clone()).collect();
        for id in expired {
            lru.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SessionParts;
    use super::*;
    use crate::msgs::enums::ProtocolVersion;
    use crate::msgs::SessionId;
    use zeroize::Zeroizing;

    fn session(id: u8, created: u64, lifetime_secs: u64) -> Tls12Session {
        Tls12Session::new(SessionParts {
            id: SessionId::new(&[id; 32]).unwrap(),
            version: ProtocolVersion::TLSv1_2,
            suite: crate::crypto::rustcrypto::DEFAULT_PROVIDER.cipher_suites[0],
            master_secret: Zeroizing::new([7; 48]),
            extended_master_secret: true,
            encrypt_then_mac: true,
            peer_certificates: Vec::new(),
            server_name: None,
            session_id_context: Vec::new(),
            creation_time: Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(created))),
            lifetime_secs,
            verified_by: None,
        })
    }

    fn at(secs: u64) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs)))
    }

    #[test]
    fn the_least_recently_used_session_is_evicted_first() {
        let cache = ServerSessionMemoryCache::new(2);
        assert!(cache.put(session(1, 0, 300)));
        assert!(cache.put(session(2, 0, 300)));
        assert!(cache.get(&[1; 32]).is_some()); // 2 is now the least recently used
        assert!(cache.put(session(3, 0, 300)));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&[2; 32]).is_none());
        assert!(cache.get(&[1; 32]).is_some() && cache.get(&[3; 32]).is_some());
        cache.set_capacity(1); // 1 was used before 3: it goes
        assert_eq!(cache.len(), 1);
        assert!(cache.get(&[3; 32]).is_some());
    }

    #[test]
    fn a_cache_of_capacity_zero_stores_nothing() {
        let cache = ServerSessionMemoryCache::new(0);
        assert!(!cache.can_cache());
        assert!(!cache.put(session(1, 0, 300)));
        assert!(cache.is_empty());
    }

    #[test]
    fn flushing_forgets_only_expired_sessions() {
        let cache = ServerSessionMemoryCache::new(8);
        cache.put(session(1, 0, 300));
        cache.put(session(2, 200, 300));
        cache.flush_expired(at(300));
        assert!(cache.get(&[1; 32]).is_none());
        assert!(cache.get(&[2; 32]).is_some());
        cache.flush_expired(None);
        assert!(cache.is_empty());
    }

    #[test]
    fn a_session_expires_at_the_end_of_its_lifetime_and_without_a_clock() {
        let s = session(1, 1000, 300);
        assert!(!s.is_expired(at(1299)));
        assert!(s.is_expired(at(1300)));
        assert!(s.is_expired(at(999)));
        assert!(s.is_expired(None));
        assert!(!format!("{s:?}").contains("7, 7"), "Debug shows no secret");
    }
}
