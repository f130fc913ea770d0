//! Hash and HMAC traits.

/// Hash algorithms the TLS 1.0–1.2 handshake and record layer name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// MD5: only inside the TLS 1.0/1.1 PRF, the MD5‖SHA-1 handshake hash and RC4-MD5 records.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// Output length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// A hash or MAC output, held inline so that no allocation is needed per record.
///
/// Not `Copy`, and zeroed when dropped: PRF intermediates (RFC 5246 §5 `A(i)` and HMAC outputs
/// over the master secret) are key material, and every copy would be one more to wipe.
#[derive(Clone)]
pub struct HashOutput {
    buf: [u8; 64],
    len: usize,
}

impl HashOutput {
    /// Copies `bytes` (at most 64) into a new output.
    pub fn new(bytes: &[u8]) -> Self {
        let mut buf = [0u8; 64];
        buf[..bytes.len()].copy_from_slice(bytes);
        Self { buf, len: bytes.len() }
    }
}

impl Drop for HashOutput {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.buf);
    }
}

impl AsRef<[u8]> for HashOutput {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl core::fmt::Debug for HashOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.as_ref() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A hash function.
pub trait Hash: Send + Sync {
    /// Which algorithm this is.
    fn algorithm(&self) -> HashAlgorithm;
    /// Starts an incremental computation.
    fn start(&self) -> Box<dyn HashContext>;
    /// Hashes `data` in one call.
    fn hash(&self, data: &[u8]) -> HashOutput;
}

/// An incremental hash computation.
pub trait HashContext: Send + Sync {
    /// Adds `data`.
    fn update(&mut self, data: &[u8]);
    /// The hash of everything added so far, leaving the context usable.
    fn fork_finish(&self) -> HashOutput;
    /// The hash of everything added.
    fn finish(self: Box<Self>) -> HashOutput;
}

/// HMAC over one hash function.
pub trait Hmac: Send + Sync {
    /// The underlying hash.
    fn hash_algorithm(&self) -> HashAlgorithm;
    /// Prepares a key (the inner and outer pads are computed once here).
    fn with_key(&self, key: &[u8]) -> Box<dyn HmacKey>;
}

/// A keyed HMAC instance.
pub trait HmacKey: Send + Sync {
    /// HMAC of the concatenation of `chunks`.
    fn sign(&self, chunks: &[&[u8]]) -> HashOutput;
    /// Tag length in bytes.
    fn tag_len(&self) -> usize;
}

#[cfg(test)]
mod hash_output_tests {
    use super::HashOutput;

    #[test]
    fn hash_output_is_wiped_on_drop_and_not_copy() {
        // A `Copy` type cannot implement `Drop`: needing a drop is what makes the wipe possible.
        assert!(std::mem::needs_drop::<HashOutput>());
        let out = HashOutput::new(&[7; 48]);
        assert_eq!(out.clone().as_ref(), &[7; 48][..]);
    }
}
