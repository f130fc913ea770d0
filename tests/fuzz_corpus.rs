//! The fuzz corpus as a regression suite on stable Rust: every file in `fuzz/corpus/<target>/`
//! and `fuzz/artifacts/<target>/` runs through the same function its fuzz target calls
//! (`fuzz/src/lib.rs`, compiled here as a module), so a decode/encode pair that stops
//! round-tripping, or any panic on these inputs, fails `make test` without nightly.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

/// Runs every corpus and artifact file of `target` through `body`; returns how many ran.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for kind in ["corpus", "artifacts"] {
        let Ok(dir) = std::fs::read_dir(root.join(kind).join(target)) else { continue };
        files.extend(dir.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            panic!("{} fails (replay: cargo +nightly fuzz run {target} {})", path.display(), path.display());
        }
    }
    files.len()
}

#[test]
fn client_corpus_replays_without_panics() {
    assert!(replay("client", fuzz::client) > 0, "the seed corpus is committed");
}

#[test]
fn server_corpus_replays_without_panics() {
    assert!(replay("server", fuzz::server) > 0);
}

#[test]
fn messages_corpus_round_trips() {
    assert!(replay("messages", fuzz::messages) > 0);
}

#[test]
fn deframer_corpus_replays_without_panics() {
    assert!(replay("deframer", fuzz::deframer) > 0);
}

#[test]
fn x509_corpus_replays_without_panics() {
    assert!(replay("x509", fuzz::x509) > 0);
}

#[test]
fn ticket_corpus_replays_without_panics() {
    assert!(replay("ticket", fuzz::ticket) > 0);
}
