#!/usr/bin/env bash
# The C++ binding end to end: cpp_test (plain and ASan/UBSan), then the examples against
# openssl s_server, the ferrotls command server and each other, each with a tampering twin.
# Every process runs under `timeout`; servers are killed by PID.
#   BINDIR=build/bin FERROTLS_BIN=target/release/ferrotls bindings/cpp/tests/run.sh
set -uo pipefail
cd "$(dirname "$0")/../../.."
BINDIR=${BINDIR:-build/bin}
FERROTLS_BIN=${FERROTLS_BIN:-target/release/ferrotls}
F=tests/fixtures
TMP=$(mktemp -d)
PIDS=()
passed=0 failed=0 started=$SECONDS
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; for f in "$TMP"/out "$TMP"/srv; do [ -s "$f" ] && { echo "--- $f"; tail -8 "$f"; }; done; }
wait_port() { # FILE REGEX: the port from the server's first lines
    for _ in $(seq 1 200); do p=$(sed -n "s/$2/\1/p" "$1" 2>/dev/null | head -1); [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.05; done; return 1; }
# Also empties the server log: a background job truncates it only once it runs, and wait_port
# must not read the previous server's "listening on" line (the race tests/c/run.sh also avoids).
stop_all() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; }; done; PIDS=(); : > "$TMP/srv"; }
mtls=1; grep -q ferrotls_client_verifier_new include/ferrotls.h || mtls=0

for mode in plain asan; do
    bin=$BINDIR/cpp; [ $mode = asan ] && bin=$BINDIR/cpp/asan
    export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    if timeout 60 $bin/cpp_test $F > "$TMP/out" 2>&1 && grep -q ' 0 failed' "$TMP/out"; then ok; echo "$mode cpp_test: $(tail -1 "$TMP/out")"
    else bad "$mode cpp_test"; fi

    # cpp_client -> openssl s_server at their defaults: TLS 1.3 (sends the chain with -cert_chain; holds stdin open until the data came).
    : > "$TMP/srv"
    # s_server ends the connection at its stdin's EOF: hold stdin open until our close_notify was answered.
    { echo "from-openssl"; for _ in $(seq 1 200); do grep -q 'CONNECTION CLOSED\|DONE' "$TMP/srv" && break; sleep 0.05; done; } \
      | timeout 30 openssl s_server -accept 127.0.0.1:0 -naccept 1 -cert $F/server.pem -cert_chain $F/intermediate.pem \
          -key $F/server.key -cipher 'AES128-SHA:@SECLEVEL=0' > "$TMP/srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_port "$TMP/srv" '^ACCEPT .*:\([0-9]*\)$')
    if timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ca.pem --send hello-cpp > "$TMP/out" 2>&1 \
        && grep -q 'version TLSv1.3, suite TLS_AES_256_GCM_SHA384' "$TMP/out" && grep -q 'from-openssl' "$TMP/out" && grep -q 'serial 3001' "$TMP/out"
    then ok; else bad "$mode cpp_client -> openssl s_server"; fi
    stop_all

    # cpp_client -> openssl s_server with an ECDSA P-384 certificate and only P-384: the group and
    # scheme the client reports; the twin offers only X25519 and fails saying so.
    for case in match mismatch; do
        : > "$TMP/srv"
        { echo "from-openssl"; for _ in $(seq 1 200); do grep -q 'CONNECTION CLOSED\|DONE\|ERROR' "$TMP/srv" && break; sleep 0.05; done; } \
          | timeout 30 openssl s_server -accept 127.0.0.1:0 -naccept 1 -cert $F/ecdsa-p384-leaf.pem -key $F/ecdsa-p384-leaf.key \
              -tls1_2 -groups P-384 > "$TMP/srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_port "$TMP/srv" '^ACCEPT .*:\([0-9]*\)$')
        if [ $case = match ]; then
            if timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ecdsa-p384-ca.pem --groups X25519:P-384 \
                --sigalgs ECDSA+SHA384:ECDSA+SHA256 --no-tickets 1 > "$TMP/out" 2>&1 \
                && grep -q 'group P-384, server signature ecdsa_secp384r1_sha384' "$TMP/out" && grep -q 'from-openssl' "$TMP/out"
            then ok; else bad "$mode cpp_client --groups/--sigalgs -> openssl s_server (ECDSA P-384)"; fi
        else
            if ! timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ecdsa-p384-ca.pem --groups X25519 > "$TMP/out" 2>&1 \
                && grep -q 'handshake_failure' "$TMP/out"; then ok; else bad "$mode cpp_client --groups X25519 refused by a P-384-only server"; fi
        fi
        stop_all
    done

    # Twin: openssl s_server with a certificate for another name.
    : > "$TMP/srv"
    timeout 30 openssl s_server -accept 127.0.0.1:0 -naccept 1 -cert $F/wrong-host.pem -cert_chain $F/intermediate.pem \
        -key $F/server.key -cipher 'AES128-SHA:@SECLEVEL=0' < <(sleep 10) > "$TMP/srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_port "$TMP/srv" '^ACCEPT .*:\([0-9]*\)$')
    if ! timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ca.pem > "$TMP/out" 2>&1 \
        && grep -q 'error 6007' "$TMP/out"; then ok; else bad "$mode cpp_client refuses a wrong-host openssl s_server"; fi
    stop_all

    # cpp_client -> ferrotls server (echo), and the untrusted-CA twin.
    timeout 30 "$FERROTLS_BIN" server --port 0 --cert $F/server-chain.pem --key $F/server.key --once > "$TMP/srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
    if timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ca.pem --send echo-me > "$TMP/out" 2>&1 \
        && grep -q 'received: echo-me' "$TMP/out"; then ok; else bad "$mode cpp_client -> ferrotls server"; fi
    stop_all
    timeout 30 "$FERROTLS_BIN" server --port 0 --cert $F/server-chain.pem --key $F/server.key --once > "$TMP/srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
    if ! timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/untrusted-ca.pem > "$TMP/out" 2>&1 \
        && grep -q 'error 6004' "$TMP/out"; then ok; else bad "$mode cpp_client refuses a server from an untrusted CA"; fi
    stop_all

    # ferrotls client -> cpp_server, and openssl s_client -> cpp_server; twin: a client distrusting it.
    : > "$TMP/srv"  # no stale "listening on" line from the previous case
    timeout 30 $bin/cpp_server $F/server-chain.pem $F/server.key > "$TMP/srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
    if timeout 30 "$FERROTLS_BIN" client 127.0.0.1:$port --servername localhost --cafile $F/ca.pem --send cpp-echo > "$TMP/out" 2>&1 \
        && grep -q cpp-echo "$TMP/out" && sleep 0.2 && grep -q 'closed cleanly' "$TMP/srv"; then ok; else bad "$mode ferrotls client -> cpp_server"; fi
    stop_all
    : > "$TMP/srv"  # no stale "listening on" line from the previous case
    timeout 30 $bin/cpp_server $F/server-chain.pem $F/server.key > "$TMP/srv" 2>&1 &
    spid=$!; PIDS+=($spid)
    port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
    timeout 30 "$FERROTLS_BIN" client 127.0.0.1:$port --servername localhost --cafile $F/untrusted-ca.pem --send x > "$TMP/out" 2>&1
    wait $spid; rc=$?
    if [ $rc -ne 0 ] && grep -q 'unknown_ca' "$TMP/srv"; then ok; else bad "$mode cpp_server sees unknown_ca from a distrusting client"; fi
    PIDS=(); : > "$TMP/srv"

    if [ $mtls = 1 ]; then
        # Mutual authentication: cpp_client with a certificate -> ferrotls server requiring one; twin without.
        timeout 30 "$FERROTLS_BIN" server --port 0 --cert $F/server-chain.pem --key $F/server.key --once \
            --verify-client $F/ca.pem --require-client-cert > "$TMP/srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
        if timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ca.pem --cert $F/client-chain.pem --key $F/client.key \
            --send mtls > "$TMP/out" 2>&1 && grep -q 'client certificate sent: yes' "$TMP/out" && grep -q 'received: mtls' "$TMP/out"
        then ok; else bad "$mode cpp_client with a certificate -> ferrotls server --require-client-cert"; fi
        stop_all
        timeout 30 "$FERROTLS_BIN" server --port 0 --cert $F/server-chain.pem --key $F/server.key --once \
            --verify-client $F/ca.pem --require-client-cert > "$TMP/srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
        if ! timeout 30 $bin/cpp_client 127.0.0.1 "$port" localhost $F/ca.pem > "$TMP/out" 2>&1; then ok
        else bad "$mode cpp_client without a certificate is refused"; fi
        stop_all
        # ferrotls client with a certificate -> cpp_server --verify-client --require; twin: without one.
        : > "$TMP/srv"  # no stale "listening on" line from the previous case
        timeout 30 $bin/cpp_server $F/server-chain.pem $F/server.key --verify-client $F/ca.pem --require > "$TMP/srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
        if timeout 30 "$FERROTLS_BIN" client 127.0.0.1:$port --servername localhost --cafile $F/ca.pem \
            --cert $F/client-chain.pem --key $F/client.key --send m > "$TMP/out" 2>&1 && sleep 0.2 \
            && grep -q 'client certificate: CN=ferrotls demo client' "$TMP/srv"; then ok; else bad "$mode ferrotls client cert -> cpp_server"; fi
        stop_all
        : > "$TMP/srv"  # no stale "listening on" line from the previous case
        timeout 30 $bin/cpp_server $F/server-chain.pem $F/server.key --verify-client $F/ca.pem --require > "$TMP/srv" 2>&1 &
        spid=$!; PIDS+=($spid)
        port=$(wait_port "$TMP/srv" '^listening on .*:\([0-9]*\)$')
        timeout 30 "$FERROTLS_BIN" client 127.0.0.1:$port --servername localhost --cafile $F/ca.pem --send x > "$TMP/out" 2>&1
        wait $spid; rc=$?
        if [ $rc -ne 0 ]; then ok; else bad "$mode cpp_server --require refuses a client without certificate"; fi
        PIDS=()
    fi
done
[ $mtls = 1 ] || echo "cpp: mutual-authentication cases NOT run (include/ferrotls.h lacks the mutual-auth C API)"
echo "cpp: $passed passed, $failed failed ($((SECONDS - started))s)"
[ $failed -eq 0 ]
