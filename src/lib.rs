//! ferrotls: a memory-safe TLS library.
//!
//! ```text
//!  network bytes ──► record::deframer ──► record protection ──► handshake state machine
//!        ▲                                                          │
//!        └──────── record::fragmenter ◄── record protection ◄───────┘ (and plaintext to the app)
//! ```
//!
//! The core (`codec`, `msgs`, `record`, `handshake`, `key_schedule`, `conn`, `config`, `crypto`,
//! `x509`) is sans-IO: bytes in, bytes out, no sockets, files or clock. `suites` implements the
//! `crypto` traits with RustCrypto. `stream` is a blocking adapter over `Read + Write` that sits
//! outside the core.
#![warn(missing_docs)]

pub mod codec;
pub mod config;
pub mod conn;
pub mod crypto;
pub mod error;
pub mod handshake;
pub mod key_schedule;
pub mod msgs;
pub mod record;
pub mod stream;
pub mod suites;
pub mod x509;

pub use config::{ClientConfig, ServerConfig};
pub use conn::{ClientConnection, Connection, ConnectionCommon, IoState, ServerConnection};
pub use error::{CertificateError, Error, PeerIncompatible, PeerMisbehaved};
pub use msgs::enums::ProtocolVersion;
pub use stream::Stream;
pub use x509::{CertificateDer, PrivateKeyDer, ServerName};
