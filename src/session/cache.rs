//! The server's session store: a trait, so applications can share sessions their own way, and
//! a bounded in-memory LRU implementation used by default.

#[cfg(test)]
use super::Tls12Session;
use crate::x509::UnixTime;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use zeroize::Zeroizing;

/// Where a server keeps sessions for resumption by session ID (RFC 5246 §7.4.1.2), in their
/// byte encoding ([`Tls12Session::to_bytes`]), so a store may live outside the process.
/// Shared by every connection of a configuration, so implementations synchronise themselves.
/// The bytes hold the master secret: keep them as secret as keys.
pub trait StoresServerSessions: Send + Sync + core::fmt::Debug {
    /// Stores the encoded session `session` under `id`; false when it was not stored.
    fn put(&self, id: Vec<u8>, session: Vec<u8>) -> bool;
    /// The encoded session stored under `id`, if any (expiry is the caller's check).
    fn get(&self, id: &[u8]) -> Option<Vec<u8>>;
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

/// A store that keeps nothing: resumption by session ID off.
#[derive(Debug, Default)]
pub struct NoServerSessionStorage;

impl StoresServerSessions for NoServerSessionStorage {
    fn put(&self, _: Vec<u8>, _: Vec<u8>) -> bool {
        false
    }
    fn get(&self, _: &[u8]) -> Option<Vec<u8>> {
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

/// A least-recently-used map of at most `capacity` entries: the server cache and the client
/// store both use it.
pub(super) struct Lru<K, V> {
    /// Key → (value, last use).
    entries: HashMap<K, (V, u64)>,
    /// Last use → key: the first entry is the least recently used.
    by_use: BTreeMap<u64, K>,
    clock: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    pub(super) fn new() -> Self {
        Self { entries: HashMap::new(), by_use: BTreeMap::new(), clock: 0 }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value under `key`, which becomes the most recently used.
    pub(super) fn touch<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: core::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.clock += 1;
        let clock = self.clock;
        let (k, (value, used)) = self.entries.get_key_value(key).map(|(k, v)| (k.clone(), v.clone()))?;
        self.by_use.remove(&used);
        self.by_use.insert(clock, k.clone());
        self.entries.insert(k, (value.clone(), clock));
        Some(value)
    }

    pub(super) fn remove<Q>(&mut self, key: &Q) -> bool
    where
        K: core::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        match self.entries.remove(key) {
            Some((_, used)) => {
                self.by_use.remove(&used);
                true
            }
            None => false,
        }
    }

    /// Inserts `value` under `key` as the most recently used, evicting the least recently
    /// used entries so that at most `capacity` remain.
    pub(super) fn insert(&mut self, key: K, value: V, capacity: usize) {
        self.remove(&key);
        self.shrink_to(capacity.saturating_sub(1));
        self.clock += 1;
        let clock = self.clock;
        self.by_use.insert(clock, key.clone());
        self.entries.insert(key, (value, clock));
    }

    pub(super) fn shrink_to(&mut self, capacity: usize) {
        while self.entries.len() > capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else { break };
            self.entries.remove(&oldest);
        }
    }

    pub(super) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let gone: Vec<K> =
            self.entries.iter().filter(|(_, (v, _))| !keep(v)).map(|(k, _)| k.clone()).collect();
        for k in gone {
            self.remove(&k);
        }
    }
}

/// One cached session: its encoding and when it expires (seconds since the epoch; `None`:
/// already expired, as without a clock).
#[derive(Clone)]
struct Entry {
    encoded: std::sync::Arc<Zeroizing<Vec<u8>>>,
    expires: Option<u64>,
}

/// At most `capacity` sessions in memory; storing one more evicts the least recently used.
/// Memory is bounded by the capacity whatever clients do, since only completed full handshakes
/// add entries.
pub struct ServerSessionMemoryCache {
    capacity: AtomicUsize,
    inner: Mutex<Lru<Vec<u8>, Entry>>,
}

impl ServerSessionMemoryCache {
    /// A cache of at most `capacity` sessions; 0 stores nothing.
    pub fn new(capacity: usize) -> Self {
        Self { capacity: AtomicUsize::new(capacity), inner: Mutex::new(Lru::new()) }
    }

    /// The most sessions kept.
    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Relaxed)
    }

    /// Changes the capacity (as `SSL_CTX_sess_set_cache_size` does at any time), evicting the
    /// least recently used sessions beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity, Ordering::Relaxed);
        self.lock().shrink_to(capacity);
    }

    fn lock(&self) -> MutexGuard<'_, Lru<Vec<u8>, Entry>> {
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
    fn put(&self, id: Vec<u8>, session: Vec<u8>) -> bool {
        let capacity = self.capacity();
        let session = Zeroizing::new(session);
        if capacity == 0 || id.is_empty() {
            return false;
        }
        let expires = super::encoding::expiry_of(&session);
        let entry = Entry { encoded: std::sync::Arc::new(session), expires };
        self.lock().insert(id, entry, capacity);
        true
    }

    fn get(&self, id: &[u8]) -> Option<Vec<u8>> {
        self.lock().touch(id).map(|e| e.encoded.to_vec())
    }

    fn remove(&self, id: &[u8]) -> bool {
        self.lock().remove(id)
    }

    fn can_cache(&self) -> bool {
        self.capacity() > 0
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    fn flush_expired(&self, now: Option<UnixTime>) {
        let now = now.map(|t| t.as_secs());
        self.lock().retain(|e| matches!((e.expires, now), (Some(end), Some(now)) if now < end));
    }
}

#[cfg(test)]
mod tests {
    use super::super::SessionParts;
    use super::*;
    use crate::msgs::enums::ProtocolVersion;
    use crate::msgs::SessionId;
    use zeroize::Zeroizing;

    fn session(id: u8, created: u64, lifetime_secs: u64) -> (Vec<u8>, Vec<u8>) {
        let s = Tls12Session::new(SessionParts {
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
            ticket: Vec::new(),
            ticket_lifetime_hint: 0,
        });
        (s.id().to_vec(), s.to_bytes().to_vec())
    }

    fn put(cache: &ServerSessionMemoryCache, (id, s): (Vec<u8>, Vec<u8>)) -> bool {
        cache.put(id, s)
    }

    fn at(secs: u64) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs)))
    }

    #[test]
    fn the_least_recently_used_session_is_evicted_first() {
        let cache = ServerSessionMemoryCache::new(2);
        assert!(put(&cache, session(1, 0, 300)));
        assert!(put(&cache, session(2, 0, 300)));
        assert!(cache.get(&[1; 32]).is_some()); // 2 is now the least recently used
        assert!(put(&cache, session(3, 0, 300)));
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
        assert!(!put(&cache, session(1, 0, 300)));
        assert!(cache.is_empty());
    }

    #[test]
    fn flushing_forgets_only_expired_sessions() {
        let cache = ServerSessionMemoryCache::new(8);
        put(&cache, session(1, 0, 300));
        put(&cache, session(2, 200, 300));
        cache.flush_expired(at(300));
        assert!(cache.get(&[1; 32]).is_none());
        assert!(cache.get(&[2; 32]).is_some());
        cache.flush_expired(None);
        assert!(cache.is_empty());
    }

    #[test]
    fn a_session_expires_at_the_end_of_its_lifetime_and_without_a_clock() {
        let (_, bytes) = session(1, 1000, 300);
        let s = Tls12Session::from_bytes(&bytes, &crate::crypto::rustcrypto::DEFAULT_PROVIDER).unwrap();
        assert!(!s.is_expired(at(1299)));
        assert!(s.is_expired(at(1300)));
        assert!(s.is_expired(at(999)));
        assert!(s.is_expired(None));
        assert!(!format!("{s:?}").contains("7, 7"), "Debug shows no secret");
    }
}
