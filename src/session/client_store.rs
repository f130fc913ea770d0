//! The client's session store: where a client configuration keeps the session of each server
//! name so that its next connection to that name offers it by itself. Lives in the
//! `ClientConfig`, so a session only ever comes back under the configuration (and verifier)
//! that made it; `handshake::resumption::offerable` still checks the name, the verification,
//! the lifetime and the policy before anything is offered.

use super::cache::Lru;
use super::{Tls12Session, Tls13Session};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Where a client keeps one session per server name. Shared by every connection of a
/// configuration, so implementations synchronise themselves.
pub trait StoresClientSessions: Send + Sync + core::fmt::Debug {
    /// Keeps `session` as the one to offer to `server_name`, replacing any earlier one.
    fn put(&self, server_name: &str, session: Tls12Session);
    /// The session to offer to `server_name`, if any.
    fn get(&self, server_name: &str) -> Option<Tls12Session>;
    /// Forgets the session of `server_name` (after a fatal alert, RFC 5246 §7.2.2).
    fn remove(&self, server_name: &str);
    /// How many TLS 1.2 sessions are kept.
    fn len(&self) -> usize;
    /// Keeps a TLS 1.3 ticket for `server_name` beside those already kept (a server sends
    /// several, RFC 8446 §4.6.1). The default keeps nothing: a store that does not implement
    /// it never resumes TLS 1.3.
    fn insert_tls13_ticket(&self, server_name: &str, session: Tls13Session) {
        let _ = (server_name, session);
    }
    /// Removes and returns a TLS 1.3 ticket for `server_name`: each is offered once (RFC 8446
    /// §C.4).
    fn take_tls13_ticket(&self, server_name: &str) -> Option<Tls13Session> {
        let _ = server_name;
        None
    }
    /// True when none is kept.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// At most `capacity` server names' sessions in memory, the least recently used evicted
/// first; a capacity of 0 keeps nothing (the client then resumes only sessions given to
/// `ClientConnection::new_resuming`).
pub struct ClientSessionMemoryCache {
    capacity: AtomicUsize,
    inner: Mutex<Lru<String, Tls12Session>>,
    /// TLS 1.3 tickets, the newest last, at most [`TLS13_TICKETS_PER_NAME`] per name, under
    /// the same capacity in names.
    tls13: Mutex<Lru<String, VecDeque<Tls13Session>>>,
}

/// TLS 1.3 tickets kept per server name: OpenSSL's servers send two per handshake, and each
/// resumption brings new ones.
pub const TLS13_TICKETS_PER_NAME: usize = 4;

impl ClientSessionMemoryCache {
    /// A store of at most `capacity` sessions.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: AtomicUsize::new(capacity),
            inner: Mutex::new(Lru::new()),
            tls13: Mutex::new(Lru::new()),
        }
    }

    /// The most sessions kept.
    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Lru<String, Tls12Session>> {
        // Updates are a few map operations: a poisoned lock still holds a consistent map.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl core::fmt::Debug for ClientSessionMemoryCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientSessionMemoryCache")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .finish()
    }
}

impl StoresClientSessions for ClientSessionMemoryCache {
    fn put(&self, server_name: &str, session: Tls12Session) {
        let capacity = self.capacity();
        if capacity > 0 {
            self.lock().insert(server_name.to_owned(), session, capacity);
        }
    }

    fn get(&self, server_name: &str) -> Option<Tls12Session> {
        self.lock().touch(server_name)
    }

    fn remove(&self, server_name: &str) {
        self.lock().remove(server_name);
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    fn insert_tls13_ticket(&self, server_name: &str, session: Tls13Session) {
        let capacity = self.capacity();
        if capacity == 0 {
            return;
        }
        let mut map = self.tls13.lock().unwrap_or_else(|e| e.into_inner());
        let mut tickets = map.touch(server_name).unwrap_or_default();
        if tickets.len() == TLS13_TICKETS_PER_NAME {
            tickets.pop_front();
        }
        tickets.push_back(session);
        map.insert(server_name.to_owned(), tickets, capacity);
    }

    fn take_tls13_ticket(&self, server_name: &str) -> Option<Tls13Session> {
        let mut map = self.tls13.lock().unwrap_or_else(|e| e.into_inner());
        let mut tickets = map.touch(server_name)?;
        // The newest first: it has the longest to live.
        let ticket = tickets.pop_back();
        if tickets.is_empty() {
            map.remove(server_name);
        } else {
            map.insert(server_name.to_owned(), tickets, self.capacity().max(1));
        }
        ticket
    }
}
