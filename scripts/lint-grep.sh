#!/usr/bin/env bash
# Enforces the module boundaries that the compiler does not:
#   1. `unsafe` only in src/ffi/ and src/openssl/, and in the core only in src/crypto/aws_lc/sys.rs (raw aws-lc-sys
#      calls: the RSA private operation RSA key exchange needs, the stitched AES-CBC-HMAC that sends CBC
#      records; the attribute names `unsafe_code`,
#      `unsafe_op_in_unsafe_fn` are other words and do not count; neither do comments).
#   2. The core modules are sans-IO: no sockets, std::fs, SystemTime::now or Instant (time and I/O come
#      in through traits). The RustCrypto provider under crypto/ is not core: it owns the system RNG and
#      the system clock (SystemTimeProvider) that configs use by default.
#   3. Only the RustCrypto provider (src/crypto/rustcrypto) names the RustCrypto algorithm crates, and only the
#      aws-lc provider (src/crypto/aws_lc) names aws-lc-rs / aws-lc-sys, so a provider needs no edit to the core.
set -euo pipefail
cd "$(dirname "$0")/.."

CORE="${CORE:-codec enums msgs record handshake key_schedule conn config crypto x509}"
UNSAFE_OK="${UNSAFE_OK:-src/ffi src/openssl src/crypto/aws_lc/sys.rs}"
status=0

strip_comments() { grep -vE '^[^:]+:[0-9]+:\s*//'; }

if hits=$(grep -rnw --include='*.rs' 'unsafe' src | grep -vE "^($(echo "$UNSAFE_OK" | tr ' ' '|'))[/:]" | strip_comments); then
    echo "lint: 'unsafe' outside ${UNSAFE_OK// /, }:"; echo "$hits"; status=1
fi

paths=()
for m in $CORE; do
    [ -e "src/$m" ] && paths+=("src/$m")
    [ -e "src/$m.rs" ] && paths+=("src/$m.rs")
done
if [ ${#paths[@]} -gt 0 ]; then
    # std::net's address types (IpAddr) are plain data and allowed; sockets are not.
    if hits=$(grep -rnE --include='*.rs' 'std::net::(Tcp|Udp|ToSocketAddrs)|std::fs|SystemTime::|Instant::|std::time::Instant' "${paths[@]}" | grep -v "^${PROVIDER_DIR:-src/crypto/rustcrypto}/" | strip_comments); then
        echo "lint: the core (${CORE}) must not use std::net, std::fs, SystemTime or Instant:"; echo "$hits"; status=1
    fi
fi

PROVIDER_DIR="${PROVIDER_DIR:-src/crypto/rustcrypto}"
if hits=$(grep -rnE --include='*.rs' '(^|[^:[:alnum:]_])(aes|des|rc4|cbc|sha1|sha2|md5|hmac|rsa|pkcs8|getrandom|aes_gcm|chacha20poly1305|p256|p384|x25519_dalek|ed25519_dalek|ecdsa|elliptic_curve)::' src | grep -v "^$PROVIDER_DIR/" | strip_comments); then
    echo "lint: RustCrypto crates named outside $PROVIDER_DIR:"; echo "$hits"; status=1
fi

AWS_LC_DIR="${AWS_LC_DIR:-src/crypto/aws_lc}"
if hits=$(grep -rnE --include='*.rs' '(^|[^:[:alnum:]_])aws_lc_(rs|sys)\b' src | grep -v "^$AWS_LC_DIR/" | strip_comments); then
    echo "lint: aws-lc crates named outside $AWS_LC_DIR:"; echo "$hits"; status=1
fi

[ $status -eq 0 ] && echo "lint: boundary greps clean (unsafe only in ${UNSAFE_OK}; core is sans-IO; RustCrypto only in ${PROVIDER_DIR})"
exit $status
