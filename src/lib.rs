//! ferrotls: a memory-safe TLS library.
//!
//! ```text
//!  network bytes ──► record::deframer ──► record protection ──► handshake state machine
//!        ▲                                                          │
//!        └──────── record::fragmenter ◄── record protection ◄───────┘ (and plaintext to the app)
//! ```
//!
//! The core (`codec`, `msgs`, `record`, `handshake`, `key_schedule`, `conn`, `config`, `crypto`,
//! `x509`) is sans-IO: bytes in, bytes out, no sockets, files or clock. `crypto::rustcrypto`
//! implements the `crypto` traits with RustCrypto. `stream` is a blocking adapter over `Read + Write` that sits
//! outside the core.
//!
//! # A client
//!
//! ```no_run
//! use ferrotls::x509::RootCertStore;
//! use ferrotls::{ClientConfig, ClientConnection, ServerName, Stream};
//! use std::io::{Read, Write};
//! use std::sync::Arc;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let mut roots = RootCertStore::empty();
//!     roots.add_pem(&std::fs::read("tests/fixtures/ca.pem")?)?;
//!     let config = Arc::new(ClientConfig::builder().root_store(roots).build()?);
//!     let conn = ClientConnection::new(config, ServerName::try_from("localhost")?)?;
//!     let sock = std::net::TcpStream::connect("127.0.0.1:4433")?;
//!     let mut tls = Stream::new(conn, sock);
//!     tls.write_all(b"hello")?;
//!     tls.send_close_notify()?;
//!     let mut reply = Vec::new();
//!     tls.read_to_end(&mut reply)?; // Ok at close_notify; UnexpectedEof if the peer truncated
//!     println!("{:?} {}", tls.conn.protocol_version(), String::from_utf8_lossy(&reply));
//!     Ok(())
//! }
//! ```
#![warn(missing_docs)]
// `unsafe` is allowed only where the C boundary needs it (`ffi`, `openssl`, each block with a
// `// SAFETY:` line); every other module, including new ones, gets a compile error. The core
// modules also `forbid` it, and scripts/lint-grep.sh checks the same by grep.
#![deny(unsafe_code)]

pub mod config;

#[doc(hidden)]
pub mod internal;
pub(crate) use internal::{codec, handshake, key_schedule, msgs, record};
pub mod conn;
pub mod crypto;
pub mod enums;
pub mod error;
#[macro_use]
#[allow(unsafe_code)]
pub mod ffi;
pub mod files;
pub mod key_log_file;
#[cfg(feature = "openssl-compat")]
#[allow(unsafe_code)]
pub mod openssl;
pub mod session;
pub mod stream;
pub mod x509;

pub use config::{AlpnSelection, AlpnSelector, ClientConfig, ServerConfig};
pub use conn::{ClientConnection, Connection, ConnectionCommon, IoState, ServerConnection};
pub use error::{CertificateError, Error, PeerIncompatible, PeerMisbehaved, PolicyError};
pub use msgs::enums::ProtocolVersion;
pub use session::Tls12Session;
pub use stream::Stream;
pub use x509::{CertificateDer, PrivateKeyDer, ServerName};
