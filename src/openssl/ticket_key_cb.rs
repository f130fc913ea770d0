//! Session tickets sealed by the application's ticket key callback
//! (`SSL_CTX_set_tlsext_ticket_key_evp_cb`, OpenSSL 3.0, and the older
//! `SSL_CTX_set_tlsext_ticket_key_cb` with an `HMAC_CTX`), as nginx and haproxy use them to
//! share and rotate ticket keys across processes and machines.
//!
//! [`CallbackTicketer`] is the server core's [`Ticketer`] for one connection: the core stays
//! sans-IO and unsafe-free, and only asks for bytes sealed or opened. The ticket is OpenSSL's
//! (`ssl/statem/statem_srvr.c` construct_stateless_ticket, RFC 5077 §4's recommended format):
//! `key_name[16] ‖ IV ‖ AES-CBC(session) ‖ HMAC(key_name ‖ IV ‖ ciphertext)`, where the
//! callback chooses the key name, IV, cipher key and HMAC key. The session inside is ferrotls'
//! own encoding (a callback never looks inside), so tickets are not portable between
//! ferrotls and OpenSSL servers sharing keys: such a ticket just gets a full handshake.
//!
//! Return values, as `SSL_CTX_set_tlsext_ticket_key_cb(3)` documents them: sealing (`enc` 1),
//! 1 issues the ticket, 0 issues none (an empty NewSessionTicket at TLS 1.2, none at 1.3),
//! < 0 fails the handshake; opening (`enc` 0), 1 accepts, 2 accepts and issues a fresh ticket
//! (TLS 1.2; at 1.3 a resumption gets new tickets anyway), 0 (key name unknown) means a full
//! handshake, < 0 fails the handshake. A ticket whose HMAC does not verify, or whose padding
//! or session does not decode, gets a full handshake.

use std::sync::Arc;

use libc::c_int;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::entry::evp_cipher::EVP_CIPHER_CTX;
use super::entry::mac::{Hmac, EVP_MAC_CTX, HMAC_CTX};
use super::ssl::SSL;
use crate::error::Error;
use crate::session::{OpenedTicket, Ticketer, TICKET_KEY_NAME_LEN};
use crate::x509::UnixTime;

/// `EVP_MAX_IV_LENGTH`: the IV buffer the callback fills, and with the key name the shortest
/// ticket OpenSSL passes to the callback.
const MAX_IV_LEN: usize = 16;

/// `int cb(SSL *s, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx,
/// EVP_MAC_CTX *hctx, int enc)`.
pub type TicketKeyEvpCb =
    unsafe extern "C" fn(*mut SSL, *mut u8, *mut u8, *mut EVP_CIPHER_CTX, *mut EVP_MAC_CTX, c_int) -> c_int;
/// The same with an `HMAC_CTX *hctx` (`SSL_CTX_set_tlsext_ticket_key_cb`).
pub type TicketKeyHmacCb =
    unsafe extern "C" fn(*mut SSL, *mut u8, *mut u8, *mut EVP_CIPHER_CTX, *mut HMAC_CTX, c_int) -> c_int;

/// The callbacks a context holds; OpenSSL calls the EVP one when both are set.
#[derive(Clone, Copy, Debug, Default)]
pub struct TicketKeyCallbacks {
    /// `SSL_CTX_set_tlsext_ticket_key_evp_cb`.
    pub evp: Option<TicketKeyEvpCb>,
    /// `SSL_CTX_set_tlsext_ticket_key_cb`.
    pub hmac: Option<TicketKeyHmacCb>,
}

impl TicketKeyCallbacks {
    /// The callback a handshake uses, if any.
    pub fn active(&self) -> Option<TicketKeyCallback> {
        self.evp.map(TicketKeyCallback::Evp).or(self.hmac.map(TicketKeyCallback::Hmac))
    }
}

/// One ticket key callback.
#[derive(Clone, Copy, Debug)]
pub enum TicketKeyCallback {
    /// With an `EVP_MAC_CTX`.
    Evp(TicketKeyEvpCb),
    /// With an `HMAC_CTX`.
    Hmac(TicketKeyHmacCb),
}

/// The MAC context handed to the callback.
enum MacCtx {
    Evp(Box<EVP_MAC_CTX>),
    Hmac(Box<HMAC_CTX>),
}

impl MacCtx {
    fn take(&mut self) -> Option<Hmac> {
        match self {
            Self::Evp(c) => c.take(),
            Self::Hmac(c) => c.take(),
        }
    }
}

/// The ticketer of the server connections of a context with a ticket key callback.
#[derive(Debug)]
pub struct CallbackTicketer {
    ssl: super::verify::SslPtr,
    cb: TicketKeyCallback,
}

impl CallbackTicketer {
    /// Calling `cb` with the `SSL` driving the engine on this thread (`verify::SslPtr::CURRENT`):
    /// one ticketer serves the configuration every `SSL` of a context shares.
    pub fn for_current(cb: TicketKeyCallback) -> Arc<dyn Ticketer> {
        Arc::new(Self { ssl: super::verify::SslPtr::CURRENT, cb })
    }

    /// Runs the callback with fresh cipher and MAC contexts.
    fn call(
        &self,
        name: &mut [u8; TICKET_KEY_NAME_LEN],
        iv: &mut [u8; MAX_IV_LEN],
        cipher: &mut EVP_CIPHER_CTX,
        enc: bool,
    ) -> (c_int, MacCtx) {
        let ssl = self.ssl.get();
        let enc = c_int::from(enc);
        match self.cb {
            TicketKeyCallback::Evp(f) => {
                let mut mac = Box::<EVP_MAC_CTX>::default();
                // SAFETY: the application's callback with OpenSSL's arguments: the SSL, a 16-octet
                // key name, an EVP_MAX_IV_LENGTH IV buffer, and contexts it sets up through the
                // EVP_*Init_ex / EVP_MAC_CTX_set_params entry points, all live for the call.
                let r = unsafe { f(ssl, name.as_mut_ptr(), iv.as_mut_ptr(), cipher, &mut *mac, enc) };
                (r, MacCtx::Evp(mac))
            }
            TicketKeyCallback::Hmac(f) => {
                let mut mac = Box::<HMAC_CTX>::default();
                // SAFETY: as above, with an HMAC_CTX the callback sets up with HMAC_Init_ex.
                let r = unsafe { f(ssl, name.as_mut_ptr(), iv.as_mut_ptr(), cipher, &mut *mac, enc) };
                (r, MacCtx::Hmac(mac))
            }
        }
    }
}

fn callback_failed() -> Error {
    Error::Internal("the session ticket key callback failed")
}

impl Ticketer for CallbackTicketer {
    fn lifetime_hint_secs(&self) -> u32 {
        // The session's lifetime (SSL_CTX_set_timeout), as OpenSSL announces.
        0
    }

    fn reissue_after_tls13_resumption(&self, renew: bool) -> bool {
        // OpenSSL issues a ticket after a TLS 1.3 resumption only when the callback returned 2.
        renew
    }

    fn seal(&self, plaintext: &[u8], now: Option<UnixTime>) -> Option<Vec<u8>> {
        self.try_seal(plaintext, now).ok().flatten()
    }

    fn open(&self, ticket: &[u8], now: Option<UnixTime>) -> Option<OpenedTicket> {
        self.try_open(ticket, now).ok().flatten()
    }

    fn try_seal(&self, plaintext: &[u8], _now: Option<UnixTime>) -> Result<Option<Vec<u8>>, Error> {
        let mut name = [0u8; TICKET_KEY_NAME_LEN];
        let mut iv = [0u8; MAX_IV_LEN];
        let mut cipher = EVP_CIPHER_CTX::default();
        let (r, mut mac) = self.call(&mut name, &mut iv, &mut cipher, true);
        match r {
            r if r < 0 => return Err(callback_failed()),
            0 => return Ok(None),
            _ => {}
        }
        // A callback that said yes but set up no cipher or no MAC: OpenSSL fails the handshake.
        let (Some(iv_len), Some(mut hmac)) = (cipher.iv_len(), mac.take()) else {
            return Err(Error::Internal("the session ticket key callback set up no cipher or no HMAC"));
        };
        let mut ticket =
            Vec::with_capacity(TICKET_KEY_NAME_LEN + iv_len + plaintext.len() + 16 + hmac.size());
        ticket.extend_from_slice(&name);
        ticket.extend_from_slice(&iv[..iv_len]);
        cipher.update(plaintext, &mut ticket).map_err(|_| callback_failed())?;
        cipher.finish(&mut ticket).map_err(|_| callback_failed())?;
        hmac.update(&ticket);
        ticket.extend_from_slice(&hmac.finish());
        Ok(Some(ticket))
    }

    fn try_open(&self, ticket: &[u8], _now: Option<UnixTime>) -> Result<Option<OpenedTicket>, Error> {
        // OpenSSL (tls_decrypt_ticket) does not call the callback for a ticket shorter than a
        // key name and the longest IV.
        if ticket.len() < TICKET_KEY_NAME_LEN + MAX_IV_LEN {
            return Ok(None);
        }
        // Copies: the callback gets writable buffers, and the client's bytes stay as sent.
        let mut name = [0u8; TICKET_KEY_NAME_LEN];
        name.copy_from_slice(&ticket[..TICKET_KEY_NAME_LEN]);
        let mut iv = [0u8; MAX_IV_LEN];
        iv.copy_from_slice(&ticket[TICKET_KEY_NAME_LEN..TICKET_KEY_NAME_LEN + MAX_IV_LEN]);
        let mut cipher = EVP_CIPHER_CTX::default();
        let (r, mut mac) = self.call(&mut name, &mut iv, &mut cipher, false);
        let renew = match r {
            r if r < 0 => return Err(callback_failed()),
            // The key name is not (or no longer) known: a full handshake.
            0 => return Ok(None),
            2 => true,
            _ => false,
        };
        let (Some(iv_len), Some(mut hmac)) = (cipher.iv_len(), mac.take()) else { return Ok(None) };
        let mac_len = hmac.size();
        if ticket.len() <= TICKET_KEY_NAME_LEN + iv_len + mac_len {
            return Ok(None);
        }
        // RFC 5077 §4: the MAC is checked before anything is decrypted.
        let (body, tag) = ticket.split_at(ticket.len() - mac_len);
        hmac.update(body);
        if !bool::from(hmac.finish().ct_eq(tag)) {
            return Ok(None);
        }
        let mut plaintext = Zeroizing::new(Vec::with_capacity(body.len()));
        let encrypted = &body[TICKET_KEY_NAME_LEN + iv_len..];
        if cipher.update(encrypted, &mut plaintext).is_err() || cipher.finish(&mut plaintext).is_err() {
            return Ok(None);
        }
        Ok(Some(OpenedTicket { plaintext, renew }))
    }
}
