//! The exported `extern "C"` functions, one file per object family. Each only checks and
//! converts its arguments and calls into the safe objects one level up.
#![allow(non_snake_case)]

pub mod addr;
pub mod asn1;
pub mod bio;
pub mod buf_mem;
pub mod certinfo;
pub mod cipher;
pub mod des;
pub mod digest;
pub mod err;
pub mod evp_cipher;
pub mod init;
pub mod keylog;
pub mod mac;
pub mod msg_callback;
pub mod pkcs12;
pub mod rand;
pub mod rsa;
pub mod session;
pub mod session_text;
pub mod sigalgs;
pub mod ssl;
pub mod ssl_ctx;
pub mod ticket_key_cb;
pub mod tls13;
pub mod x509;
pub mod x509_store;
