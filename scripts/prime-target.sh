#!/usr/bin/env bash
# Copies the third-party build artifacts of target/release into another target directory, so that
# cargo there does not compile the dependencies again (aws-lc-sys's C library, the RustCrypto
# crates, openssl-sys: minutes of CPU each time on this 2-core machine).
#
#   scripts/prime-target.sh TARGET_DIR     e.g. target/rustcrypto (copies into TARGET_DIR/release)
#
# Why the other directories exist at all: ferrotls's lib has crate-type cdylib, so cargo names its
# outputs without a hash (deps/libferrotls.{rlib,so,a}); a second feature set of ferrotls in the
# same directory would overwrite the first one's files. The pure-Rust pass (no aws-lc) and the
# bench (no openssl-compat, next to the system libssl) therefore build in their own directories,
# and target/release keeps the libferrotls.so the C tests use. Their dependencies are the same
# units as in target/release (same versions, features and profile: the bench profile inherits
# release), so cargo finds them fresh here; ferrotls's own files are left out and built for the
# directory's feature set. Cargo checks each unit's fingerprint as usual: anything copied that does
# not match is rebuilt, never used stale. Files are copied, not hard-linked, so a rebuild in one
# directory cannot change the other. Nothing is copied over files that are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
src=target/release dst=$1/release
[ -d "$src/.fingerprint" ] || { echo "prime-target: no $src to copy from (run cargo build --release first)"; exit 0; }
mkdir -p "$dst/deps" "$dst/build" "$dst/.fingerprint"
n=0
for d in "$src"/.fingerprint/* "$src"/build/*; do
    case ${d##*/} in ferrotls-*) continue ;; esac
    rel=${d#"$src"/}
    [ -e "$dst/$rel" ] && continue
    cp -a "$d" "$dst/$rel"; n=$((n + 1))
done
# deps/: the libraries (rlib, rmeta, proc-macro .so) and their dep-info, not ferrotls's own outputs
# nor test executables.
for f in "$src"/deps/lib*; do
    case ${f##*/} in libferrotls.* | libferrotls-*) continue ;; esac
    [ -e "$dst/deps/${f##*/}" ] && continue
    cp -a "$f" "$dst/deps/"; n=$((n + 1))
    dinfo=${f##*/lib}; dinfo=$src/deps/${dinfo%%.*}.d
    [ -e "$dinfo" ] && [ ! -e "$dst/deps/${dinfo##*/}" ] && cp -a "$dinfo" "$dst/deps/"
done
echo "prime-target: $n dependency artifacts copied from $src to $dst"
