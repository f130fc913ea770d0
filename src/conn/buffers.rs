//! Received plaintext waiting for the application.

/// A FIFO of bytes with a read offset, so reads do not shift the buffer each time.
#[derive(Debug, Default)]
pub(crate) struct PlaintextBuffer {
    buf: Vec<u8>,
    start: usize,
}

impl PlaintextBuffer {
    pub(crate) fn push(&mut self, data: &[u8]) {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        } else if self.start > self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        crate::crypto::copy::extend(&mut self.buf, data);
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    pub(crate) fn read(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.len());
        crate::crypto::copy::copy(&mut out[..n], &self.buf[self.start..self.start + n]);
        self.start += n;
        n
    }
}
