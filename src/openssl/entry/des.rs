//! `DES_*`: single DES in ECB mode with OpenSSL's key helpers, what NTLM (curl, wget) builds its
//! LM/NTLM responses from. The block cipher is RustCrypto's `des`.
//!
//! `DES_key_schedule` is caller-allocated (128 octets in OpenSSL 3.0's `des.h`); ferrotls keeps
//! the 8 key octets at its start and expands them for each call, so the structure's contents
//! differ from OpenSSL's (programs treat it as opaque).

use libc::c_int;

use crate::crypto::rustcrypto::libcrypto::des_ecb;

/// `DES_cblock`.
type Cblock = [u8; 8];

/// `DES_key_schedule` as laid out in `des.h`: 16 × 8 octets.
#[repr(C)]
pub struct DES_key_schedule {
    ks: [[u8; 8]; 16],
}

/// The semi-weak and weak keys (FIPS 74 §3.6), with odd parity, as OpenSSL's `DES_is_weak_key`
/// lists them.
const WEAK: [Cblock; 16] = [
    [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01],
    [0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE],
    [0x1F, 0x1F, 0x1F, 0x1F, 0x0E, 0x0E, 0x0E, 0x0E],
    [0xE0, 0xE0, 0xE0, 0xE0, 0xF1, 0xF1, 0xF1, 0xF1],
    [0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE],
    [0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01, 0xFE, 0x01],
    [0x1F, 0xE0, 0x1F, 0xE0, 0x0E, 0xF1, 0x0E, 0xF1],
    [0xE0, 0x1F, 0xE0, 0x1F, 0xF1, 0x0E, 0xF1, 0x0E],
    [0x01, 0xE0, 0x01, 0xE0, 0x01, 0xF1, 0x01, 0xF1],
    [0xE0, 0x01, 0xE0, 0x01, 0xF1, 0x01, 0xF1, 0x01],
    [0x1F, 0xFE, 0x1F, 0xFE, 0x0E, 0xFE, 0x0E, 0xFE],
    [0xFE, 0x1F, 0xFE, 0x1F, 0xFE, 0x0E, 0xFE, 0x0E],
    [0x01, 0x1F, 0x01, 0x1F, 0x01, 0x0E, 0x01, 0x0E],
    [0x1F, 0x01, 0x1F, 0x01, 0x0E, 0x01, 0x0E, 0x01],
    [0xE0, 0xFE, 0xE0, 0xFE, 0xF1, 0xFE, 0xF1, 0xFE],
    [0xFE, 0xE0, 0xFE, 0xE0, 0xFE, 0xF1, 0xFE, 0xF1],
];

/// Each octet with its low bit set so that it has an odd number of ones (FIPS 46-3 §3).
fn odd_parity(b: u8) -> u8 {
    let high = b & 0xfe;
    if high.count_ones().is_multiple_of(2) {
        high | 1
    } else {
        high
    }
}

fn read_block(p: *const Cblock) -> Option<Cblock> {
    // SAFETY: a non-NULL `DES_cblock *` points to 8 readable octets (API contract).
    unsafe { p.as_ref() }.copied()
}

fn store_key(key: *const Cblock, schedule: *mut DES_key_schedule) -> Option<Cblock> {
    let k = read_block(key)?;
    // SAFETY: `schedule` is NULL or a caller-allocated DES_key_schedule (API contract).
    let s = unsafe { schedule.as_mut() }?;
    s.ks = [[0; 8]; 16];
    s.ks[0] = k;
    Some(k)
}

entry! {
    /// Sets each octet of the key to odd parity.
    fn DES_set_odd_parity(key: *mut Cblock) {
        let k = arg_mut!(key, ());
        for b in k.iter_mut() {
            *b = odd_parity(*b);
        }
    }
    /// 1 when every octet has odd parity.
    fn DES_check_key_parity(key: *const Cblock) -> c_int {
        let k = arg_ref!(key, 0);
        c_int::from(k.iter().all(|&b| b == odd_parity(b)))
    }
    /// 1 for one of the 16 weak and semi-weak keys.
    fn DES_is_weak_key(key: *const Cblock) -> c_int {
        let k = arg_ref!(key, 0);
        c_int::from(WEAK.contains(k))
    }
    /// Prepares `schedule` from `key` without checks.
    fn DES_set_key_unchecked(key: *const Cblock, schedule: *mut DES_key_schedule) {
        let _ = store_key(key, schedule);
    }
    /// OpenSSL 3.0's `DES_set_key` checks, as `DES_set_key_checked`.
    fn DES_set_key(key: *const Cblock, schedule: *mut DES_key_schedule) -> c_int { DES_set_key_checked(key, schedule) }
    /// -1 (and no schedule) for a key without odd parity, -2 for a weak key, else 0.
    fn DES_set_key_checked(key: *const Cblock, schedule: *mut DES_key_schedule) -> c_int {
        let Some(k) = read_block(key) else { return -1 };
        if !k.iter().all(|&b| b == odd_parity(b)) {
            return -1;
        }
        if WEAK.contains(&k) {
            return -2;
        }
        let _ = store_key(key, schedule);
        0
    }
    /// Encrypts (`enc` != 0, `DES_ENCRYPT`) or decrypts one 8-octet block.
    fn DES_ecb_encrypt(input: *const Cblock, output: *mut Cblock, ks: *mut DES_key_schedule, enc: c_int) {
        let Some(block) = read_block(input) else { return };
        let ks = arg_ref!(ks, ());
        let mut b = block;
        des_ecb(&ks.ks[0], &mut b, enc != 0);
        *arg_mut!(output, ()) = b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 81 / NBS test: key 0123456789ABCDEF, "Now is t" → 3FA40E8A984D4815.
    #[test]
    fn ecb_known_answer_and_parity() {
        let mut key: Cblock = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        let mut ks = DES_key_schedule { ks: [[0; 8]; 16] };
        DES_set_key_unchecked(&key, &mut ks);
        let input: Cblock = *b"Now is t";
        let mut out: Cblock = [0; 8];
        DES_ecb_encrypt(&input, &mut out, &mut ks, 1);
        assert_eq!(out, [0x3f, 0xa4, 0x0e, 0x8a, 0x98, 0x4d, 0x48, 0x15]);
        let mut back: Cblock = [0; 8];
        DES_ecb_encrypt(&out, &mut back, &mut ks, 0);
        assert_eq!(back, input);
        key = [0; 8];
        DES_set_odd_parity(&mut key);
        assert_eq!(key, [1; 8]);
        assert_eq!(DES_is_weak_key(&key), 1);
        assert_eq!(DES_set_key_checked(&key, &mut ks), -2);
        assert_eq!(DES_set_key_checked(&[0; 8], &mut ks), -1);
    }
}
