//! `SSL_CTX_set_msg_callback` / `SSL_set_msg_callback` (the argument goes through
//! `SSL_CTX_set_msg_callback_arg`, a ctrl macro): what the callback sees is in
//! `src/openssl/ssl/msg_trace.rs`.

use crate::openssl::ssl::msg_trace::MsgCallback;
use crate::openssl::ssl::SSL;
use crate::openssl::ssl_ctx::SSL_CTX;

entry! {
    /// The message callback of every `SSL` made from this context afterwards; NULL turns it off.
    fn SSL_CTX_set_msg_callback(ctx: *mut SSL_CTX, cb: MsgCallback) {
        arg_ref!(ctx, ()).settings().msg_callback = cb;
    }
    /// The connection's message callback; NULL turns it off.
    fn SSL_set_msg_callback(ssl: *mut SSL, cb: MsgCallback) {
        arg_ref!(ssl, ()).with_inner(|s, _, _| s.settings.msg_callback = cb);
    }
}
