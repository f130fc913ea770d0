#!/usr/bin/env bash
# Enforces the module boundaries that the compiler does not:
#   1. `unsafe` only in src/ffi/ and src/openssl/ (the attribute names `unsafe_code`, `unsafe_op_in_unsafe_fn`
#      are other words and do not count; neither do comments).
#   2. The core modules are sans-IO: no sockets, std::fs, SystemTime::now or Instant (time and I/O come
#      in through traits).
set -euo pipefail
cd "$(dirname "$0")/.."

CORE="${CORE:-codec enums msgs record handshake key_schedule conn config crypto x509}"
UNSAFE_OK="${UNSAFE_OK:-src/ffi src/openssl}"
status=0

strip_comments() { grep -vE '^[^:]+:[0-9]+:\s*//'; }

if hits=$(grep -rnw --include='*.rs' 'unsafe' src | grep -vE "^($(echo "$UNSAFE_OK" | tr ' ' '|'))/" | strip_comments); then
    echo "lint: 'unsafe' outside ${UNSAFE_OK// /, }:"; echo "$hits"; status=1
fi

paths=()
for m in $CORE; do
    [ -e "src/$m" ] && paths+=("src/$m")
    [ -e "src/$m.rs" ] && paths+=("src/$m.rs")
done
if [ ${#paths[@]} -gt 0 ]; then
    # std::net's address types (IpAddr) are plain data and allowed; sockets are not.
    if hits=$(grep -rnE --include='*.rs' 'std::net::(Tcp|Udp|ToSocketAddrs)|std::fs|SystemTime::|Instant::|std::time::Instant' "${paths[@]}" | strip_comments); then
        echo "lint: the core (${CORE}) must not use std::net, std::fs, SystemTime or Instant:"; echo "$hits"; status=1
    fi
fi

[ $status -eq 0 ] && echo "lint: boundary greps clean (unsafe only in ${UNSAFE_OK}; core is sans-IO)"
exit $status
