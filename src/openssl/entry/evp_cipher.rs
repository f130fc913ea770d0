//! Symmetric ciphers: `EVP_CIPHER` / `EVP_CIPHER_CTX` / `EVP_Encrypt*` / `EVP_Decrypt*` for
//! AES-CBC (NIST SP 800-38A §6.2) with PKCS#7 padding (RFC 5652 §6.3), over RustCrypto's AES.
//! What session-ticket key callbacks (`SSL_CTX_set_tlsext_ticket_key_evp_cb`, nginx's and
//! haproxy's) set up with `EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv)`; the
//! ticket code (`src/openssl/ticket_key_cb.rs`) then runs the context through
//! [`EVP_CIPHER_CTX::update`] / [`EVP_CIPHER_CTX::finish`], the same code the exported
//! `EVP_*Update` / `EVP_*Final_ex` use.
//!
//! Streaming follows OpenSSL's rules, so output lengths match: an update outputs every whole
//! block it can, and when decrypting with padding it holds back the last whole block until
//! the final call, which strips the padding.

use libc::{c_int, c_uchar, c_void};
use zeroize::Zeroizing;

use crate::crypto::rustcrypto::libcrypto_aes::AesKey;
use crate::openssl::err::{other_r, raise, LIB_EVP, LIB_PROV};

const BLOCK: usize = 16;
/// `PROV_R_WRONG_FINAL_BLOCK_LENGTH`.
const PROV_WRONG_FINAL_BLOCK_LENGTH: u32 = 107;
/// `EVP_CIPH_CBC_MODE`.
const CBC_MODE: c_int = 2;

/// `EVP_CIPHER`: one cipher, mode and key size.
pub struct EVP_CIPHER {
    /// OpenSSL's NID (`EVP_CIPHER_get_nid`).
    pub nid: c_int,
    /// Key length in octets.
    pub key_len: usize,
    /// OpenSSL's short name (`EVP_CIPHER_get0_name`), NUL-terminated.
    pub name: &'static [u8],
}

impl std::fmt::Debug for EVP_CIPHER {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EVP_CIPHER").field("nid", &self.nid).finish()
    }
}

static AES_128_CBC: EVP_CIPHER = EVP_CIPHER { nid: 419, key_len: 16, name: b"AES-128-CBC\0" };
static AES_192_CBC: EVP_CIPHER = EVP_CIPHER { nid: 423, key_len: 24, name: b"AES-192-CBC\0" };
static AES_256_CBC: EVP_CIPHER = EVP_CIPHER { nid: 427, key_len: 32, name: b"AES-256-CBC\0" };

const ALL: [&EVP_CIPHER; 3] = [&AES_128_CBC, &AES_192_CBC, &AES_256_CBC];

fn cipher_ref(c: *const EVP_CIPHER) -> Option<&'static EVP_CIPHER> {
    ALL.iter().copied().find(|m| std::ptr::eq(*m, c))
}

/// `EVP_CIPHER_CTX`: a cipher operation in progress.
pub struct EVP_CIPHER_CTX {
    cipher: Option<&'static EVP_CIPHER>,
    key: Option<AesKey>,
    /// The CBC chaining value: the IV, then the last ciphertext block.
    chain: Zeroizing<[u8; BLOCK]>,
    encrypt: bool,
    padding: bool,
    /// Input not yet processed: a partial block, or (decrypting with padding) the last block.
    pending: Zeroizing<Vec<u8>>,
}

impl Default for EVP_CIPHER_CTX {
    fn default() -> Self {
        Self {
            cipher: None,
            key: None,
            chain: Zeroizing::new([0; BLOCK]),
            encrypt: true,
            padding: true,
            pending: Zeroizing::new(Vec::new()),
        }
    }
}

impl EVP_CIPHER_CTX {
    /// `EVP_CipherInit_ex`: `cipher`, `key`, `iv` each replace the current one when given;
    /// `enc` 1 encrypts, 0 decrypts, -1 keeps the direction. Any input in progress is dropped.
    pub fn init(
        &mut self,
        cipher: Option<&'static EVP_CIPHER>,
        key: Option<&[u8]>,
        iv: Option<&[u8; BLOCK]>,
        enc: c_int,
    ) -> Result<(), &'static str> {
        if let Some(c) = cipher {
            if self.cipher.is_some_and(|old| !std::ptr::eq(old, c)) {
                self.key = None;
            }
            self.cipher = Some(c);
            self.padding = true;
        }
        let cipher = self.cipher.ok_or("no cipher set")?;
        if enc != -1 {
            self.encrypt = enc != 0;
        }
        if let Some(k) = key {
            self.key = Some(AesKey::new(&k[..cipher.key_len]).ok_or("bad key length")?);
        }
        if let Some(iv) = iv {
            self.chain.copy_from_slice(iv);
        }
        self.pending.clear();
        Ok(())
    }

    /// The IV length of the context's cipher (16 for CBC), `None` before a cipher is set.
    pub fn iv_len(&self) -> Option<usize> {
        self.cipher.map(|_| BLOCK)
    }

    /// Processes `input`, appending to `out` every block that is ready.
    pub fn update(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
        let Self { key, chain, encrypt, padding, pending, .. } = self;
        let key = key.as_ref().ok_or("no key set")?;
        pending.extend_from_slice(input);
        let total = pending.len();
        let keep = match total % BLOCK {
            0 if !*encrypt && *padding => total.min(BLOCK),
            r => r,
        };
        for chunk in pending[..total - keep].chunks_exact(BLOCK) {
            let mut block = [0u8; BLOCK];
            block.copy_from_slice(chunk);
            if *encrypt {
                block.iter_mut().zip(chain.iter()).for_each(|(b, c)| *b ^= c);
                key.encrypt_block(&mut block);
                chain.copy_from_slice(&block);
            } else {
                key.decrypt_block(&mut block);
                block.iter_mut().zip(chain.iter()).for_each(|(b, c)| *b ^= c);
                chain.copy_from_slice(chunk);
            }
            out.extend_from_slice(&block);
        }
        pending.drain(..total - keep);
        Ok(())
    }

    /// Ends the operation: encrypting, pads and outputs the last block; decrypting, checks and
    /// strips the padding. Without padding the input must have been whole blocks.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), (u32, u32, &'static str)> {
        let no_key = (LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "no key set");
        let wrong_length = (LIB_PROV, PROV_WRONG_FINAL_BLOCK_LENGTH, "wrong final block length");
        if self.key.is_none() {
            return Err(no_key);
        }
        if !self.padding {
            return if self.pending.is_empty() { Ok(()) } else { Err(wrong_length) };
        }
        if self.encrypt {
            // PKCS#7: 1 to 16 octets each holding the count.
            let pad = BLOCK - self.pending.len();
            let tail = vec![pad as u8; pad];
            return self.update(&tail, out).map_err(|_| no_key);
        }
        if self.pending.len() != BLOCK {
            return Err(wrong_length);
        }
        let mut block = Zeroizing::new(Vec::with_capacity(BLOCK));
        self.padding = false;
        let r = self.update(&[], &mut block);
        self.padding = true;
        r.map_err(|_| no_key)?;
        let pad = usize::from(block[BLOCK - 1]);
        if pad == 0 || pad > BLOCK || block[BLOCK - pad..].iter().any(|&b| usize::from(b) != pad) {
            return Err((LIB_PROV, other_r::PROV_BAD_DECRYPT, "bad decrypt"));
        }
        out.extend_from_slice(&block[..BLOCK - pad]);
        Ok(())
    }
}

fn bytes<'a>(p: *const c_uchar, n: usize) -> Option<&'a [u8]> {
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` has `n` readable octets (API contract: a key of the cipher's key length, an
    // IV of its IV length).
    Some(unsafe { std::slice::from_raw_parts(p, n) })
}

fn init(
    func: &'static str,
    ctx: *mut EVP_CIPHER_CTX,
    cipher: *const EVP_CIPHER,
    key: *const c_uchar,
    iv: *const c_uchar,
    enc: c_int,
) -> c_int {
    let c = arg_mut!(ctx, 0);
    let cipher = match (cipher.is_null(), cipher_ref(cipher)) {
        (true, _) => None,
        (false, Some(c)) => Some(c),
        (false, None) => {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, func, "unknown cipher");
            return 0;
        }
    };
    let key_len = cipher.or(c.cipher).map_or(0, |c| c.key_len);
    let iv = bytes(iv, BLOCK).map(|b| {
        let mut a = [0u8; BLOCK];
        a.copy_from_slice(b);
        a
    });
    match c.init(cipher, bytes(key, key_len), iv.as_ref(), enc) {
        Ok(()) => 1,
        Err(why) => {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, func, why);
            0
        }
    }
}

fn update(
    func: &'static str,
    ctx: *mut EVP_CIPHER_CTX,
    out: *mut c_uchar,
    outl: *mut c_int,
    input: *const c_uchar,
    inl: c_int,
) -> c_int {
    let c = arg_mut!(ctx, 0);
    let Ok(n) = usize::try_from(inl) else { return 0 };
    // Copied first: OpenSSL allows `out == in` (in place).
    let data = Zeroizing::new(if n == 0 {
        Vec::new()
    } else {
        bytes(input, n).map_or_else(Vec::new, <[u8]>::to_vec)
    });
    let mut produced = Zeroizing::new(Vec::with_capacity(n + BLOCK));
    if let Err(why) = c.update(&data, &mut produced) {
        raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, func, why);
        return 0;
    }
    write_out(out, outl, &produced)
}

fn finish(func: &'static str, ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int) -> c_int {
    let c = arg_mut!(ctx, 0);
    let mut produced = Zeroizing::new(Vec::with_capacity(BLOCK));
    if let Err((lib, reason, why)) = c.finish(&mut produced) {
        raise!(lib, reason, func, why);
        return 0;
    }
    write_out(out, outl, &produced)
}

fn write_out(out: *mut c_uchar, outl: *mut c_int, data: &[u8]) -> c_int {
    if outl.is_null() || (out.is_null() && !data.is_empty()) {
        return 0;
    }
    // SAFETY: `out` has room for the output (API contract: the input length plus one block);
    // `outl` is an int.
    unsafe {
        if !data.is_empty() {
            std::ptr::copy_nonoverlapping(data.as_ptr(), out, data.len());
        }
        *outl = data.len() as c_int;
    }
    1
}

entry! {
    /// AES-128 in CBC mode.
    fn EVP_aes_128_cbc() -> *const EVP_CIPHER { &AES_128_CBC }
    /// AES-192 in CBC mode.
    fn EVP_aes_192_cbc() -> *const EVP_CIPHER { &AES_192_CBC }
    /// AES-256 in CBC mode.
    fn EVP_aes_256_cbc() -> *const EVP_CIPHER { &AES_256_CBC }
    /// The NID.
    fn EVP_CIPHER_get_nid(c: *const EVP_CIPHER) -> c_int { cipher_ref(c).map_or(0, |c| c.nid) }
    /// The key length in octets.
    fn EVP_CIPHER_get_key_length(c: *const EVP_CIPHER) -> c_int { cipher_ref(c).map_or(0, |c| c.key_len as c_int) }
    /// The IV length in octets (16).
    fn EVP_CIPHER_get_iv_length(c: *const EVP_CIPHER) -> c_int { cipher_ref(c).map_or(0, |_| BLOCK as c_int) }
    /// The block size in octets (16).
    fn EVP_CIPHER_get_block_size(c: *const EVP_CIPHER) -> c_int { cipher_ref(c).map_or(0, |_| BLOCK as c_int) }
    /// The mode (`EVP_CIPH_CBC_MODE`).
    fn EVP_CIPHER_get_mode(c: *const EVP_CIPHER) -> c_int { cipher_ref(c).map_or(0, |_| CBC_MODE) }
    /// OpenSSL's name ("AES-256-CBC").
    fn EVP_CIPHER_get0_name(c: *const EVP_CIPHER) -> *const libc::c_char {
        cipher_ref(c).map_or(std::ptr::null(), |c| c.name.as_ptr().cast())
    }

    /// An empty context.
    fn EVP_CIPHER_CTX_new() -> *mut EVP_CIPHER_CTX { Box::into_raw(Box::default()) }
    /// Frees a context (the key schedule is wiped).
    fn EVP_CIPHER_CTX_free(ctx: *mut EVP_CIPHER_CTX) {
        if !ctx.is_null() {
            // SAFETY: `ctx` came from EVP_CIPHER_CTX_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(ctx) });
        }
    }
    /// Forgets the cipher, key and state; 1.
    fn EVP_CIPHER_CTX_reset(ctx: *mut EVP_CIPHER_CTX) -> c_int {
        *arg_mut!(ctx, 0) = EVP_CIPHER_CTX::default();
        1
    }
    /// The context's cipher, or NULL.
    fn EVP_CIPHER_CTX_get0_cipher(ctx: *const EVP_CIPHER_CTX) -> *const EVP_CIPHER {
        arg_ref!(ctx, std::ptr::null()).cipher.map_or(std::ptr::null(), |c| c as *const EVP_CIPHER)
    }
    /// The IV length of the context's cipher (16), 0 before one is set.
    fn EVP_CIPHER_CTX_get_iv_length(ctx: *const EVP_CIPHER_CTX) -> c_int {
        arg_ref!(ctx, 0).iv_len().map_or(0, |n| n as c_int)
    }
    /// The key length of the context's cipher, 0 before one is set.
    fn EVP_CIPHER_CTX_get_key_length(ctx: *const EVP_CIPHER_CTX) -> c_int {
        arg_ref!(ctx, 0).cipher.map_or(0, |c| c.key_len as c_int)
    }
    /// The block size of the context's cipher (16), 0 before one is set.
    fn EVP_CIPHER_CTX_get_block_size(ctx: *const EVP_CIPHER_CTX) -> c_int {
        arg_ref!(ctx, 0).cipher.map_or(0, |_| BLOCK as c_int)
    }
    /// 1 when the context encrypts, 0 when it decrypts.
    fn EVP_CIPHER_CTX_is_encrypting(ctx: *const EVP_CIPHER_CTX) -> c_int { c_int::from(arg_ref!(ctx, 0).encrypt) }
    /// Turns PKCS#7 padding off (0) or on; 1.
    fn EVP_CIPHER_CTX_set_padding(ctx: *mut EVP_CIPHER_CTX, pad: c_int) -> c_int {
        arg_mut!(ctx, 0).padding = pad != 0;
        1
    }
    /// Sets up `ctx` (see `EVP_CIPHER_CTX::init`); the engine must be NULL. 1, or 0.
    fn EVP_CipherInit_ex(ctx: *mut EVP_CIPHER_CTX, cipher: *const EVP_CIPHER, _engine: *mut c_void, key: *const c_uchar, iv: *const c_uchar, enc: c_int) -> c_int {
        init("EVP_CipherInit_ex", ctx, cipher, key, iv, enc)
    }
    /// `EVP_CipherInit_ex` encrypting.
    fn EVP_EncryptInit_ex(ctx: *mut EVP_CIPHER_CTX, cipher: *const EVP_CIPHER, _engine: *mut c_void, key: *const c_uchar, iv: *const c_uchar) -> c_int {
        init("EVP_EncryptInit_ex", ctx, cipher, key, iv, 1)
    }
    /// `EVP_CipherInit_ex` decrypting.
    fn EVP_DecryptInit_ex(ctx: *mut EVP_CIPHER_CTX, cipher: *const EVP_CIPHER, _engine: *mut c_void, key: *const c_uchar, iv: *const c_uchar) -> c_int {
        init("EVP_DecryptInit_ex", ctx, cipher, key, iv, 0)
    }
    /// Encrypts `inl` octets; writes the whole blocks ready (up to `inl` + 15 octets) to `out`.
    fn EVP_EncryptUpdate(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int, input: *const c_uchar, inl: c_int) -> c_int {
        update("EVP_EncryptUpdate", ctx, out, outl, input, inl)
    }
    /// Decrypts `inl` octets; writes the blocks ready (up to `inl` + 16 octets) to `out`.
    fn EVP_DecryptUpdate(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int, input: *const c_uchar, inl: c_int) -> c_int {
        update("EVP_DecryptUpdate", ctx, out, outl, input, inl)
    }
    /// Either direction, as the context was set up.
    fn EVP_CipherUpdate(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int, input: *const c_uchar, inl: c_int) -> c_int {
        update("EVP_CipherUpdate", ctx, out, outl, input, inl)
    }
    /// Pads and writes the last block.
    fn EVP_EncryptFinal_ex(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int) -> c_int {
        finish("EVP_EncryptFinal_ex", ctx, out, outl)
    }
    /// Checks and strips the padding; 0 ("bad decrypt") when it is wrong.
    fn EVP_DecryptFinal_ex(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int) -> c_int {
        finish("EVP_DecryptFinal_ex", ctx, out, outl)
    }
    /// Either direction, as the context was set up.
    fn EVP_CipherFinal_ex(ctx: *mut EVP_CIPHER_CTX, out: *mut c_uchar, outl: *mut c_int) -> c_int {
        finish("EVP_CipherFinal_ex", ctx, out, outl)
    }
}
