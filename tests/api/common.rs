//! Shared helpers: configurations from the committed fixtures, and an in-memory pump.

use ferrotls::x509::{certs_from_pem, private_key_from_pem, RootCertStore};
use ferrotls::{
    ClientConfig, ClientConnection, ConnectionCommon, Error, ServerConfig, ServerConnection, ServerName,
};
use std::sync::Arc;

pub const CA: &[u8] = include_bytes!("../fixtures/ca.pem");
pub const SERVER_CHAIN: &[u8] = include_bytes!("../fixtures/server-chain.pem");
pub const SERVER_KEY: &[u8] = include_bytes!("../fixtures/server.key");

/// TLS 1.2, for the tests that are about it (its messages on the wire, RSA key exchange,
/// renegotiation, RFC 5246/5077 resumption) now that TLS 1.3 is the default.
pub const V12: ferrotls::ProtocolVersion = ferrotls::ProtocolVersion::TLSv1_2;

pub fn roots() -> RootCertStore {
    let mut r = RootCertStore::empty();
    assert!(r.add_pem(CA).unwrap() > 0);
    r
}

pub fn server_config(
    f: impl FnOnce(ferrotls::config::ServerConfigBuilder) -> ferrotls::config::ServerConfigBuilder,
) -> Arc<ServerConfig> {
    let chain = certs_from_pem(SERVER_CHAIN).unwrap();
    let key = private_key_from_pem(SERVER_KEY).unwrap();
    Arc::new(f(ServerConfig::builder()).single_cert(chain, key).build().unwrap())
}

pub fn client_config(
    f: impl FnOnce(ferrotls::config::ClientConfigBuilder) -> ferrotls::config::ClientConfigBuilder,
) -> Arc<ClientConfig> {
    Arc::new(f(ClientConfig::builder()).root_store(roots()).build().unwrap())
}

pub fn client(config: Arc<ClientConfig>) -> ClientConnection {
    ClientConnection::new(config, ServerName::try_from("localhost").unwrap()).unwrap()
}

pub fn server(config: Arc<ServerConfig>) -> ServerConnection {
    ServerConnection::new(config).unwrap()
}

/// Moves everything `from` has queued into `to`, letting `tamper` change the bytes on the way.
pub fn transfer_with(
    from: &mut ConnectionCommon,
    to: &mut ConnectionCommon,
    tamper: &mut dyn FnMut(&mut Vec<u8>),
) -> Result<usize, Error> {
    let mut buf = Vec::new();
    from.take_tls(&mut buf);
    tamper(&mut buf);
    let mut off = 0;
    while off < buf.len() {
        off += to.feed_tls(&buf[off..]);
        to.process()?;
    }
    Ok(buf.len())
}

pub fn transfer(from: &mut ConnectionCommon, to: &mut ConnectionCommon) -> Result<usize, Error> {
    transfer_with(from, to, &mut |_| {})
}

/// Runs the handshake to completion or to the first error (on either side).
pub fn handshake(client: &mut ConnectionCommon, server: &mut ConnectionCommon) -> Result<(), Error> {
    for _ in 0..10 {
        let a = transfer(client, server)?;
        let b = transfer(server, client)?;
        if a == 0 && b == 0 && !client.is_handshaking() && !server.is_handshaking() {
            return Ok(());
        }
    }
    panic!("handshake did not finish in 10 round trips");
}

/// Reads everything available.
pub fn read_all(conn: &mut ConnectionCommon) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = conn.read_plaintext(&mut buf).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// The handshake messages in flight order: ClientHello, the server's first flight up to
/// ServerHelloDone, the client's second flight, the server's Finished. Each side records what
/// it received, so the client's messages come from the server's record and vice versa.
pub fn wire_sequence(
    client: &ConnectionCommon,
    server: &ConnectionCommon,
) -> Vec<ferrotls::internal::msgs::enums::HandshakeType> {
    use ferrotls::internal::msgs::enums::HandshakeType;
    let from_client = server.received_handshake_types();
    let from_server = client.received_handshake_types();
    let first_flight = from_server.iter().position(|t| *t == HandshakeType::ServerHelloDone).unwrap() + 1;
    let mut seen = vec![from_client[0]];
    seen.extend_from_slice(&from_server[..first_flight]);
    seen.extend_from_slice(&from_client[1..]);
    seen.extend_from_slice(&from_server[first_flight..]);
    seen
}
