//! Keying material exporters: what a connection keeps after its handshake so the application
//! can derive keys for another protocol bound to this session (RFC 5705; RFC 8446 §7.5 in TLS
//! 1.3). Each version has its own derivation behind one trait, stored in `CommonState` when the
//! keys are agreed and read by `ConnectionCommon::export_keying_material` once the handshake
//! has completed.

use crate::error::Error;
use crate::key_schedule::{self, ExporterRefusal, Prf};
use crate::msgs::Random;
use zeroize::Zeroizing;

/// Derives exported keying material for one connection.
pub(crate) trait KeyingMaterialExporter: Send + Sync + core::fmt::Debug {
    /// Fills `out` from `label` and the optional `context` (RFC 5705 §4 tells "no context" from
    /// an empty one in TLS 1.2; RFC 8446 §7.5 treats them alike).
    fn export(&self, label: &[u8], context: Option<&[u8]>, out: &mut [u8]) -> Result<(), Error>;
}

/// RFC 5705 for TLS 1.0–1.2: the version's PRF over the master secret and the hello randoms.
pub(crate) struct Tls12Exporter {
    pub(crate) prf: Prf,
    pub(crate) master_secret: Zeroizing<[u8; 48]>,
    pub(crate) client_random: Random,
    pub(crate) server_random: Random,
}

impl core::fmt::Debug for Tls12Exporter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never the secret.
        f.debug_struct("Tls12Exporter").field("prf", &self.prf).finish_non_exhaustive()
    }
}

impl KeyingMaterialExporter for Tls12Exporter {
    fn export(&self, label: &[u8], context: Option<&[u8]>, out: &mut [u8]) -> Result<(), Error> {
        key_schedule::derive_exported_keying_material(
            &self.prf,
            &self.master_secret,
            label,
            &self.client_random,
            &self.server_random,
            context,
            out,
        )
        .map_err(|refusal| match refusal {
            ExporterRefusal::ReservedLabel => Error::Usage(
                "exporter label is reserved (RFC 5705 §4): it may not start with \"client finished\", \
                 \"server finished\", \"master secret\", \"extended master secret\" or \"key expansion\"",
            ),
            ExporterRefusal::ContextTooLong => {
                Error::Usage("exporter context is longer than 65535 bytes (RFC 5705 §4)")
            }
        })
    }
}
