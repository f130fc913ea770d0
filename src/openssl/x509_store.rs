//! The context's verify store as a replaceable, reference-counted object: OpenSSL lets a
//! program build an `X509_STORE` on its own (`X509_STORE_new`, `X509_STORE_load_file`) and
//! hand it to one or more contexts (`SSL_CTX_set_cert_store` / `SSL_CTX_set1_cert_store`),
//! which curl does to share one parsed CA bundle between transfers.

use std::sync::{Arc, Mutex};

use super::x509::X509_STORE;

/// The store an `SSL_CTX` verifies with: its own from `SSL_CTX_new`, or one set later.
#[derive(Debug, Default)]
pub struct StoreSlot(Mutex<Arc<X509_STORE>>);

impl StoreSlot {
    /// The current store (a new reference: a handshake keeps using the store it started
    /// with even if the context's store is replaced meanwhile).
    pub fn get(&self) -> Arc<X509_STORE> {
        Arc::clone(&self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the store; the context's reference to the old one is given back.
    pub fn set(&self, store: Arc<X509_STORE>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = store;
    }

    /// The store's address, valid while the context holds it (`SSL_CTX_get_cert_store`).
    pub fn as_ptr(&self) -> *mut X509_STORE {
        Arc::as_ptr(&self.0.lock().unwrap_or_else(|e| e.into_inner())).cast_mut()
    }
}
