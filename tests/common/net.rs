//! Misbehaving network peers written in the test: raw TCP servers that stop or lie at the record layer,
//! and a record-aware TCP proxy that tampers with one record. Every socket has a timeout.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::Duration;

const IO_TIMEOUT: Duration = Duration::from_secs(20);

pub const CONTENT_CHANGE_CIPHER_SPEC: u8 = 20;
pub const CONTENT_ALERT: u8 = 21;
pub const CONTENT_HANDSHAKE: u8 = 22;
pub const CONTENT_APPLICATION_DATA: u8 = 23;

/// One TLS record as read off the wire.
pub struct Record {
    pub header: [u8; 5],
    pub body: Vec<u8>,
}

impl Record {
    pub fn content_type(&self) -> u8 {
        self.header[0]
    }
    pub fn bytes(&self) -> Vec<u8> {
        [&self.header[..], &self.body].concat()
    }
}

/// Reads one record; None at EOF or error.
pub fn read_record(s: &mut impl Read) -> Option<Record> {
    let mut header = [0u8; 5];
    s.read_exact(&mut header).ok()?;
    let len = u16::from_be_bytes([header[3], header[4]]) as usize;
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(Record { header, body })
}

fn listener() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

fn accept(l: &TcpListener) -> Option<TcpStream> {
    // Bounded accept: poll a non-blocking listener.
    l.set_nonblocking(true).unwrap();
    let deadline = std::time::Instant::now() + IO_TIMEOUT;
    loop {
        match l.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
                s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
                return Some(s);
            }
            Err(_) if std::time::Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            Err(_) => return None,
        }
    }
}

/// What a raw server does with the one connection it accepts.
#[derive(Clone, Copy, Debug)]
pub enum RawBehaviour {
    /// Reads the ClientHello record, then closes: the handshake is cut off.
    CloseAfterClientHello,
    /// Reads the ClientHello, then sends a handshake record header announcing 2^14 + 2048 + 1 bytes
    /// (one more than RFC 5246 §6.2.3 allows for TLSCiphertext) followed by that many zero bytes.
    OversizeRecord,
    /// Accepts and holds the connection without sending anything (for configuration-error tests).
    Silent,
}

/// Starts a raw server for one connection; returns its port and a handle (joins within the IO timeout).
pub fn raw_server(behaviour: RawBehaviour) -> (u16, JoinHandle<()>) {
    let (l, port) = listener();
    let h = thread::spawn(move || {
        let Some(mut s) = accept(&l) else { return };
        match behaviour {
            RawBehaviour::CloseAfterClientHello => {
                let _ = read_record(&mut s);
                let _ = s.shutdown(Shutdown::Both);
            }
            RawBehaviour::OversizeRecord => {
                let _ = read_record(&mut s);
                let len: usize = (1 << 14) + 2048 + 1;
                let mut rec = vec![CONTENT_HANDSHAKE, 3, 3, (len >> 8) as u8, len as u8];
                rec.resize(5 + len, 0);
                let _ = s.write_all(&rec);
                // Wait for the client's alert or close.
                let mut sink = [0u8; 1024];
                let _ = s.read(&mut sink);
            }
            RawBehaviour::Silent => {
                let mut sink = [0u8; 1024];
                while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
            }
        }
    });
    (port, h)
}

/// How the proxy tampers with the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Forward every record unchanged (the honest twin of the others).
    FlipNothing,
    /// Flip one bit in the middle of the first application_data record from the client.
    FlipClientAppData,
    /// Flip one bit in the middle of the first application_data record from the server.
    FlipServerAppData,
    /// Forward everything from the server except alerts; at the first alert (its close_notify) close the
    /// client's side without it: a connection truncated after the data.
    DropServerCloseNotify,
}

/// A one-connection proxy on 127.0.0.1 in front of `upstream_port`. Returns the port to connect to.
pub fn tampering_proxy(upstream_port: u16, tamper: Tamper) -> (u16, JoinHandle<()>) {
    let (l, port) = listener();
    let h = thread::spawn(move || {
        let Some(client) = accept(&l) else { return };
        let Ok(server) = TcpStream::connect(("127.0.0.1", upstream_port)) else {
            return;
        };
        server.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        let up = thread::spawn(move || forward(client, server, tamper == Tamper::FlipClientAppData, false));
        forward(s2, c2, tamper == Tamper::FlipServerAppData, tamper == Tamper::DropServerCloseNotify);
        let _ = up.join();
    });
    (port, h)
}

fn forward(mut from: TcpStream, mut to: TcpStream, flip_app_data: bool, drop_alerts: bool) {
    let mut flipped = false;
    while let Some(mut rec) = read_record(&mut from) {
        if drop_alerts && rec.content_type() == CONTENT_ALERT {
            break;
        }
        if flip_app_data && !flipped && rec.content_type() == CONTENT_APPLICATION_DATA && !rec.body.is_empty()
        {
            let mid = rec.body.len() / 2;
            rec.body[mid] ^= 0x01;
            flipped = true;
        }
        if to.write_all(&rec.bytes()).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
