//! Splits outgoing plaintext into records.

use super::MAX_PLAINTEXT_LEN;

/// How outgoing application data is cut into records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragmenter {
    /// Largest record plaintext.
    pub max_fragment: usize,
    /// 1/n-1 record splitting: the first record of each chunk carries a single byte. Used for
    /// TLS 1.0 CBC suites, where the next record's IV is the previous record's last ciphertext
    /// block and so known to an attacker (BEAST); one byte plus the MAC makes the first block
    /// unpredictable again.
    pub one_n_minus_one: bool,
}

impl Default for Fragmenter {
    fn default() -> Self {
        Self { max_fragment: MAX_PLAINTEXT_LEN, one_n_minus_one: false }
    }
}

impl Fragmenter {
    /// Calls `emit` for each record's plaintext, in order.
    pub fn split<'a>(&self, data: &'a [u8], mut emit: impl FnMut(&'a [u8])) {
        for chunk in data.chunks(self.max_fragment) {
            if self.one_n_minus_one && chunk.len() > 1 {
                emit(&chunk[..1]);
                emit(&chunk[1..]);
            } else {
                emit(chunk);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_writes_become_full_records() {
        let data = vec![0u8; MAX_PLAINTEXT_LEN * 2 + 5];
        let mut sizes = Vec::new();
        Fragmenter::default().split(&data, |c| sizes.push(c.len()));
        assert_eq!(sizes, [MAX_PLAINTEXT_LEN, MAX_PLAINTEXT_LEN, 5]);
    }

    #[test]
    fn one_n_minus_one_splitting_puts_one_byte_first_in_every_record() {
        let f = Fragmenter { one_n_minus_one: true, ..Fragmenter::default() };
        let data = vec![0u8; MAX_PLAINTEXT_LEN + 3];
        let mut sizes = Vec::new();
        f.split(&data, |c| sizes.push(c.len()));
        assert_eq!(sizes, [1, MAX_PLAINTEXT_LEN - 1, 1, 2]);
        let mut sizes = Vec::new();
        f.split(&[1], |c| sizes.push(c.len()));
        assert_eq!(sizes, [1]);
    }
}
