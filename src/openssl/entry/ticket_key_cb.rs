//! `SSL_CTX_set_tlsext_ticket_key_evp_cb` (OpenSSL 3.0); the older `HMAC_CTX` form,
//! `SSL_CTX_set_tlsext_ticket_key_cb`, is a macro over `SSL_CTX_callback_ctrl` (command 72,
//! `entry/ssl_ctx.rs`). The tickets they seal: `src/openssl/ticket_key_cb.rs`.

use libc::c_int;

use crate::openssl::ssl_ctx::SSL_CTX;
use crate::openssl::ticket_key_cb::TicketKeyEvpCb;

entry! {
    /// Seals and opens this context's session tickets (TLS 1.2 tickets and TLS 1.3 PSK
    /// tickets) with keys the callback chooses; NULL goes back to the context's own keys. 1.
    fn SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx: *mut SSL_CTX, fp: Option<TicketKeyEvpCb>) -> c_int {
        arg_ref!(ctx, 0).settings().ticket_key_cb.evp = fp;
        1
    }
}
