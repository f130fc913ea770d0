//! `X509_VERIFY_PARAM`: the host names, IP address and flags a peer verification checks,
//! shared by `SSL_CTX_get0_param`, `SSL_get0_param` and `SSL_set1_host`.

use std::sync::Mutex;

/// `X509_VERIFY_PARAM`: the host names (and flags) a verification checks.
#[derive(Debug, Default)]
pub struct X509_VERIFY_PARAM {
    /// Host names; empty means "do not check".
    pub hosts: Mutex<Vec<String>>,
    /// `X509_VERIFY_PARAM_set_hostflags` (stored).
    pub hostflags: Mutex<u32>,
    /// `X509_VERIFY_PARAM_set1_ip(_asc)` (and `SSL_set1_host` with an IP literal): the address
    /// the certificate's IP SANs must contain.
    pub ip: Mutex<Option<std::net::IpAddr>>,
    /// `X509_VERIFY_PARAM_set_flags` (`X509_V_FLAG_*`; the CRL flags are acted on).
    pub flags: std::sync::atomic::AtomicU64,
}

impl X509_VERIFY_PARAM {
    /// The host names.
    pub fn hosts(&self) -> Vec<String> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces (`set1`) or extends (`add1`) the host names; an empty name clears them.
    pub fn set_host(&self, host: Option<&str>, add: bool) {
        let mut h = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        if !add {
            h.clear();
        }
        if let Some(host) = host.filter(|s| !s.is_empty()) {
            h.push(host.to_string());
        }
    }

    /// The IP address to check, if one was set.
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        *self.ip.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Copies `other`'s names, address and flags into this one (`SSL_CTX_set1_param`,
    /// `X509_VERIFY_PARAM_set1`).
    pub fn copy_from(&self, other: &X509_VERIFY_PARAM) {
        use std::sync::atomic::Ordering;
        if std::ptr::eq(self, other) {
            return;
        }
        let hosts = other.hosts();
        if !hosts.is_empty() {
            *self.hosts.lock().unwrap_or_else(|e| e.into_inner()) = hosts;
        }
        if let Some(ip) = other.ip() {
            self.set_ip(Some(ip));
        }
        self.flags.fetch_or(other.flags.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// Replaces the IP address to check (`None` clears it).
    pub fn set_ip(&self, ip: Option<std::net::IpAddr>) {
        *self.ip.lock().unwrap_or_else(|e| e.into_inner()) = ip;
    }
}
