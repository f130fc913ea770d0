#!/usr/bin/env bash
# The C API end to end: the C tests and examples, each run three ways (plain, built with
# AddressSanitizer+UBSan, under Valgrind), against OpenSSL, GnuTLS, the ferrotls command and each
# other in TLS 1.0, 1.1 and 1.2, with and without client certificates (mutual authentication both
# ways, and the refusals with the alert the peer reports); plus a check that every function in
# include/ferrotls.h is called by at least one test or example. Every process runs under
# `timeout`; servers are killed by PID.
#
#   BINDIR=build/bin FERROTLS_BIN=target/release/ferrotls tests/c/run.sh [plain|asan|valgrind ...]
set -uo pipefail
cd "$(dirname "$0")/../.."

BINDIR=${BINDIR:-build/bin}
FERROTLS_BIN=${FERROTLS_BIN:-target/release/ferrotls}
F=tests/fixtures
CA=$F/ca.pem CHAIN=$F/server-chain.pem KEY=$F/server.key
MODES=("${@:-plain asan valgrind}")
read -r -a MODES <<< "${MODES[*]}"
TMP=$(mktemp -d)
PIDS=()
passed=0 failed=0
started=$SECONDS

cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; for f in "$TMP"/case.*; do [ -s "$f" ] && { echo "--- $f"; tail -15 "$f"; }; done; }

# run MODE PROGRAM ARGS...: a C program from $BINDIR the way MODE wants it.
run() {
    local mode=$1 prog=$2; shift 2
    case $mode in
        plain)    timeout 60 "$BINDIR/$prog" "$@" ;;
        asan)     ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                      timeout 60 "$BINDIR/asan/$prog" "$@" ;;
        valgrind) timeout 180 valgrind -q --error-exitcode=1 --leak-check=full "$BINDIR/$prog" "$@" ;;
    esac
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { # PORT: until something listens there (ss, so no connection is used up)
    for _ in $(seq 1 200); do ss -ltn "sport = :$1" | grep -q LISTEN && return 0; sleep 0.05; done; return 1
}
wait_line() { # FILE: until the "listening on ADDR:PORT" line appears; prints the port
    for _ in $(seq 1 400); do
        p=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1" 2>/dev/null | head -1)
        [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.05
    done; return 1
}
start() { "$@" & PIDS+=($!); }   # a background peer, killed at the end
# TEXT FILE: stdin for openssl s_client: sends TEXT, then keeps stdin open until TEXT came back
# (the echo shows in FILE, s_client's output, emptied by the caller first) or 20 s passed, so a
# slow server (Valgrind) is not cut off by s_client's close at EOF.
hold_stdin() { echo "$1"; for _ in $(seq 1 400); do grep -aq "$1" "$2" 2>/dev/null && break; sleep 0.05; done; }
wait_grep() { for _ in $(seq 1 400); do grep -aq "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done; return 1; } # PATTERN FILE, ≤ 20 s
stop_all() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; }; done; PIDS=(); }

vflags() { case $1 in 1.2|1.3) echo "--min-version $1 --max-version $1";; *) echo "--legacy --min-version $1 --max-version $1";; esac; }
ossl_flag() { case $1 in 1.0) echo -tls1;; 1.1) echo -tls1_1;; 1.2) echo -tls1_2;; 1.3) echo -tls1_3;; esac; }
gnutls_prio() { [ "$1" = 1.3 ] && echo "NORMAL:-VERS-ALL:+VERS-TLS1.3" && return
                echo "NORMAL:-VERS-ALL:+VERS-TLS$1:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1"; }
vname() { echo "TLSv$1"; }

# ------------------------------------------------------------------------------------------------
# Every public function is exercised somewhere.
funcs=$(grep -oE '\bferrotls_[a-z0-9_]+\(' include/ferrotls.h | tr -d '(' | sort -u)
missing=""
for fn in $funcs; do grep -qw "$fn" tests/c/*.c tests/c/*.cpp c-examples/*.c || missing="$missing $fn"; done
if [ -z "$missing" ]; then ok; echo "coverage: all $(echo "$funcs" | wc -w) header functions are called by a test or example"
else bad "functions no test calls:$missing"; fi

# ------------------------------------------------------------------------------------------------
# make install into a scratch PREFIX, then build an example from the installed copy alone.
if [ -z "${SKIP_INSTALL_TEST:-}" ]; then
    prefix="$TMP/prefix"
    if make -s install PREFIX="$prefix" > "$TMP/case.out" 2>&1 \
        && [ -L "$prefix/lib/libferrotls.so" ] && [ -L "$prefix/lib/libferrotls.so.0" ] && [ -f "$prefix/lib/libferrotls.a" ] \
        && flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs ferrotls) \
        && cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Werror -o "$TMP/installed_pair" c-examples/sans_io_pair.c $flags \
            -Wl,-rpath,"$prefix/lib" > "$TMP/case.out" 2>&1 \
        && readelf -d "$TMP/installed_pair" | grep -q 'NEEDED.*libferrotls.so.0' \
        && "$TMP/installed_pair" $CA $CHAIN $KEY > "$TMP/case.out" 2>&1 && grep -q "closed cleanly" "$TMP/case.out"
    then ok; echo "install: built sans_io_pair from an installed copy with pkg-config ($flags)"
    else bad "make install + pkg-config build"; fi
fi

for mode in "${MODES[@]}"; do
    echo "== $mode"
    # Unit-style C tests.
    for t in misuse_test api_test keylog_test; do
        if run "$mode" $t $CA $CHAIN $KEY > "$TMP/case.out" 2>&1; then ok; else bad "$mode $t"; fi
    done
    # The server-name callback against openssl s_client: ECDSA for ecdsa.test, the RSA default
    # for another name and for none, unrecognized_name for refuse.test; at TLS 1.2, then at TLS
    # 1.3, where the callback sees the 1.3 suites both sides allow (the client's list limits
    # them: two, then one).
    : > "$TMP/case.sni"
    start run "$mode" sni_test $CHAIN $KEY $F/ecdsa-p256-leaf.pem $F/ecdsa-p256-leaf.key 7 > "$TMP/case.sni" 2>&1
    if port=$(wait_line "$TMP/case.sni"); then
        for c in ecdsa.test:-tls1_2 other.test:-tls1_2 refuse.test:-tls1_2 -:-tls1_2 \
                 ecdsa.test13:-tls1_3 other.test13:-tls1_3 refuse.test13:-tls1_3; do
            name=${c%%:*} version=${c#*:}
            sn=(-servername "$name"); [ "$name" = - ] && sn=(-noservername)
            suites=()
            [ "$name" = ecdsa.test13 ] && suites=(-ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256)
            [ "$name" = other.test13 ] && suites=(-ciphersuites TLS_AES_128_GCM_SHA256)
            : > "$TMP/case.sclient"
            hold_stdin hello "$TMP/case.sclient" | timeout 30 openssl s_client -connect 127.0.0.1:$port $version \
                "${sn[@]}" "${suites[@]}" > "$TMP/case.sclient" 2>&1
            case $name in
                ecdsa.test) want_key="Server public key is 256 bit"; want_line="name=ecdsa.test handshake=OK suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 shared=[1-9][0-9]* first=c02b" ;;
                other.test) want_key="Server public key is 2048 bit"; want_line="name=other.test handshake=OK suite=TLS_ECDHE_RSA" ;;
                -)          want_key="Server public key is 2048 bit"; want_line="name=- handshake=OK suite=TLS_ECDHE_RSA" ;;
                refuse.test) want_key="unrecognized name"; want_line="name=refuse.test handshake=" ;;
                ecdsa.test13) want_key="Server public key is 256 bit"; want_line="name=ecdsa.test13 handshake=OK suite=TLS_CHACHA20_POLY1305_SHA256 shared=2 first=1303" ;;
                other.test13) want_key="Server public key is 2048 bit"; want_line="name=other.test13 handshake=OK suite=TLS_AES_128_GCM_SHA256 shared=1 first=1301" ;;
                refuse.test13) want_key="unrecognized name"; want_line="name=refuse.test13 handshake=" ;;
            esac
            for _ in $(seq 1 100); do grep -q "name=$name " "$TMP/case.sni" && break; sleep 0.05; done
            if grep -q "$want_key" "$TMP/case.sclient" && grep -q "$want_line" "$TMP/case.sni"; then ok
            else bad "$mode sni_test $name (want '$want_key' and '$want_line')"; cat "$TMP/case.sclient" | tail -5; fi
        done
        for _ in $(seq 1 200); do grep -q "sni_test:" "$TMP/case.sni" && break; sleep 0.05; done
        if grep -q "sni_test: [0-9]* passed, 0 failed" "$TMP/case.sni" && ! grep -q "refuse.test[0-9]* handshake=OK" "$TMP/case.sni"; then ok
        else bad "$mode sni_test checks"; cat "$TMP/case.sni"; fi
    else bad "$mode sni_test did not listen"; cat "$TMP/case.sni"; fi
    stop_all

    # TLS 1.3 sessions (session13_test): exported after the tickets were read, imported into
    # another configuration and resumed with openssl s_server -tls1_3, offered once only; offered
    # to a second s_server (its own ticket keys) it gets a full handshake.
    p1=$(free_port) p2=$(free_port)
    for p in $p1 $p2; do
        start timeout 90 openssl s_server -accept 127.0.0.1:$p -tls1_3 -rev -naccept $([ $p = $p1 ] && echo 4 || echo 1) \
            -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY > "$TMP/case.srv$p" 2>&1 < /dev/null
    done
    wait_listen $p1 && wait_listen $p2
    if run "$mode" session13_test $p1 $p2 $CA > "$TMP/case.out" 2>&1 && grep -q "session13_test: [0-9]* passed, 0 failed" "$TMP/case.out"
    then ok; else bad "$mode session13_test"; fi
    stop_all; rm -f "$TMP"/case.srv[0-9]*

    # Sans-IO pair, every version.
    for v in 1.0 1.1 1.2 1.3; do
        if run "$mode" sans_io_pair $CA $CHAIN $KEY $v > "$TMP/case.out" 2>&1 && grep -q "version TLSv$v" "$TMP/case.out" \
            && grep -q "closed cleanly" "$TMP/case.out"; then ok; else bad "$mode sans_io_pair $v"; fi
    done

    for v in 1.0 1.1 1.2 1.3; do
        # tls_client -> openssl s_server (which prints what it receives and sends its stdin).
        port=$(free_port)
        # s_server ends the connection (close_notify) at its stdin's EOF: hold stdin open until the
        # client's data has arrived.
        : > "$TMP/case.srv"
        { echo "from-openssl"; for _ in $(seq 1 1200); do grep -q hello-openssl "$TMP/case.srv" && break; sleep 0.05; done; } \
          | timeout 90 openssl s_server -accept 127.0.0.1:$port -naccept 1 -quiet \
            -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY $(ossl_flag $v) -cipher 'AES128-SHA:@SECLEVEL=0' \
            > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        wait_listen $port
        if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA $(vflags $v) --send "hello-openssl" --json \
            > "$TMP/case.out" 2>&1 && grep -q "\"version\":\"$(vname $v)\"" "$TMP/case.out" && grep -q 'from-openssl' "$TMP/case.out" \
            && grep -q hello-openssl "$TMP/case.srv"; then ok; else bad "$mode tls_client -> openssl s_server TLS $v"; fi
        stop_all

        # tls_client -> gnutls-serv --echo (line based).
        port=$(free_port)
        start timeout 60 gnutls-serv --echo -p $port --x509certfile=$CHAIN --x509keyfile=$KEY --priority="$(gnutls_prio $v)" \
            > "$TMP/case.srv" 2>&1
        wait_listen $port
        if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA $(vflags $v) --send $'hello-gnutls\n' \
            > "$TMP/case.out" 2>&1 && grep -q hello-gnutls "$TMP/case.out"; then ok; else bad "$mode tls_client -> gnutls-serv TLS $v"; fi
        stop_all

        # tls_client -> ferrotls server.
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        start timeout 60 "$FERROTLS_BIN" server --port 0 --cert $CHAIN --key $KEY --legacy --once > "$TMP/case.srv" 2>&1
        port=$(wait_line "$TMP/case.srv")
        if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA $(vflags $v) --send "hello-ferrotls" --json \
            > "$TMP/case.out" 2>&1 && grep -q '"received":"hello-ferrotls"' "$TMP/case.out" \
            && grep -q "\"version\":\"$(vname $v)\"" "$TMP/case.out"; then ok; else bad "$mode tls_client -> ferrotls server TLS $v"; fi
        stop_all

        # openssl s_client, gnutls-cli, ferrotls client and tls_client -> tls_server.
        for peer in openssl gnutls ferrotls tls_client; do
            : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
            run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY $(vflags $v) --once --json > "$TMP/case.srv" 2>&1 &
            PIDS+=($!)
            port=$(wait_line "$TMP/case.srv") || { bad "$mode tls_server did not start"; stop_all; continue; }
            case $peer in
                openssl) : > "$TMP/case.out"; hold_stdin "hello-$peer" "$TMP/case.out" | timeout 30 openssl s_client -connect 127.0.0.1:$port -brief -nocommands \
                             -no_ign_eof -servername localhost -verify_hostname localhost -verify_return_error -CAfile $CA \
                             $(ossl_flag $v) -cipher 'AES128-SHA:@SECLEVEL=0' > "$TMP/case.out" 2>&1 ;;
                gnutls)  echo "hello-$peer" | timeout 30 gnutls-cli -p $port 127.0.0.1 --sni-hostname=localhost \
                             --verify-hostname=localhost --x509cafile=$CA --priority="$(gnutls_prio $v)" \
                             --logfile="$TMP/case.log" > "$TMP/case.out" 2>&1 ;;
                ferrotls) timeout 30 "$FERROTLS_BIN" client 127.0.0.1:$port --servername localhost --cafile $CA $(vflags $v) \
                             --send "hello-$peer" > "$TMP/case.out" 2>&1 ;;
                tls_client) timeout 30 "$BINDIR/tls_client" 127.0.0.1:$port --servername localhost --cafile $CA $(vflags $v) \
                             --send "hello-$peer" > "$TMP/case.out" 2>&1 ;;
            esac
            wait "${PIDS[-1]}"; status=$?
            PIDS=()
            if [ $status -eq 0 ] && grep -q "hello-$peer" "$TMP/case.out" && grep -q '"error":null' "$TMP/case.srv" \
                && grep -q "\"version\":\"$(vname $v)\"" "$TMP/case.srv"; then ok; else bad "$mode $peer -> tls_server TLS $v (status $status)"; fi
        done
    done

    # Mutual authentication, every version: tls_client --cert against tls_server --verify-client and
    # openssl s_server -Verify; openssl s_client -cert against tls_server; then the refusals with the
    # alert the peer reports.
    CLIENT_CERT="--cert $F/client-chain.pem --key $F/client.key"
    OSSL_CLIENT_CERT="-cert $F/client.pem -cert_chain $F/intermediate.pem -key $F/client.key"
    for v in 1.0 1.1 1.2 1.3; do
        # tls_client --cert -> tls_server --verify-client --require-client-cert.
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY $(vflags $v) --verify-client $CA --require-client-cert \
            --once --json > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_line "$TMP/case.srv")
        run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA $CLIENT_CERT $(vflags $v) \
            --send "hello-mtls" --json > "$TMP/case.out" 2>&1; cstatus=$?
        wait "${PIDS[-1]}"; status=$?; PIDS=()
        if [ $cstatus -eq 0 ] && [ $status -eq 0 ] && grep -q '"client_certificate_sent":true' "$TMP/case.out" \
            && grep -q '"received":"hello-mtls"' "$TMP/case.out" && grep -q '"error":null' "$TMP/case.srv" \
            && grep -q '"client_certificates":\[{"subject":"CN=ferrotls demo client' "$TMP/case.srv" \
            && grep -q "\"version\":\"$(vname $v)\"" "$TMP/case.srv"; then ok; else bad "$mode mTLS tls_client -> tls_server TLS $v"; fi

        # tls_client --cert -> openssl s_server -Verify 2 -verify_return_error (leaf and chain split).
        port=$(free_port)
        : > "$TMP/case.srv"
        { echo "from-openssl"; for _ in $(seq 1 1200); do grep -q hello-mtls "$TMP/case.srv" && break; sleep 0.05; done; } \
          | timeout 90 openssl s_server -accept 127.0.0.1:$port -naccept 1 -quiet -Verify 2 -verify_return_error -CAfile $CA \
            -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY $(ossl_flag $v) -cipher 'AES128-SHA:@SECLEVEL=0' \
            > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        wait_listen $port
        if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA $CLIENT_CERT $(vflags $v) \
            --send "hello-mtls" --json > "$TMP/case.out" 2>&1 && grep -q '"client_certificate_sent":true' "$TMP/case.out" \
            && grep -q 'from-openssl' "$TMP/case.out" && grep -q hello-mtls "$TMP/case.srv"; then ok
        else bad "$mode mTLS tls_client -> openssl s_server -Verify TLS $v"; fi
        stop_all

        # openssl s_client -cert -> tls_server --verify-client --require-client-cert.
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY $(vflags $v) --verify-client $CA --require-client-cert \
            --once --json > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_line "$TMP/case.srv")
        : > "$TMP/case.out"
        hold_stdin hello-mtls "$TMP/case.out" | timeout 30 openssl s_client -connect 127.0.0.1:$port -brief -nocommands -no_ign_eof \
            -servername localhost -verify_return_error -CAfile $CA $OSSL_CLIENT_CERT $(ossl_flag $v) \
            -cipher 'AES128-SHA:@SECLEVEL=0' > "$TMP/case.out" 2>&1
        wait "${PIDS[-1]}"; status=$?; PIDS=()
        if [ $status -eq 0 ] && grep -q hello-mtls "$TMP/case.out" && grep -q '"error":null' "$TMP/case.srv" \
            && grep -q '"client_certificates":\[{"subject":"CN=ferrotls demo client' "$TMP/case.srv" \
            && grep -q "\"version\":\"$(vname $v)\"" "$TMP/case.srv"; then ok; else bad "$mode mTLS openssl s_client -> tls_server TLS $v"; fi
    done

    # TLS 1.3 only: the 1.3 suite lists (--ciphersuites: ferrotls_*_set_ciphersuites) on each side
    # against openssl, and a KeyUpdate from tls_client (ferrotls_conn_send_key_update) that asks
    # s_server to update too, with data both ways after it.
    port=$(free_port)
    : > "$TMP/case.srv"
    { echo "from-openssl"; for _ in $(seq 1 1200); do grep -q hello-keyupdate "$TMP/case.srv" && break; sleep 0.05; done; } \
      | timeout 90 openssl s_server -accept 127.0.0.1:$port -naccept 1 -quiet -tls1_3 \
        -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    wait_listen $port
    if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --ciphersuites TLS_CHACHA20_POLY1305_SHA256 \
        --key-update --send "hello-keyupdate" --json > "$TMP/case.out" 2>&1 && grep -q '"version":"TLSv1.3"' "$TMP/case.out" \
        && grep -q '"cipher":"TLS_CHACHA20_POLY1305_SHA256","group":29' "$TMP/case.out" && grep -q 'from-openssl' "$TMP/case.out" \
        && grep -q hello-keyupdate "$TMP/case.srv"; then ok; else bad "$mode tls_client --key-update --ciphersuites -> openssl s_server -tls1_3"; fi
    stop_all
    : > "$TMP/case.srv"
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --ciphersuites TLS_AES_128_GCM_SHA256 --once --json > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    : > "$TMP/case.out"
    hold_stdin hello-13 "$TMP/case.out" | timeout 30 openssl s_client -connect 127.0.0.1:$port -brief -nocommands -no_ign_eof \
        -servername localhost -verify_return_error -CAfile $CA -tls1_3 > "$TMP/case.out" 2>&1
    wait "${PIDS[-1]}"; status=$?; PIDS=()
    if [ $status -eq 0 ] && grep -q 'Ciphersuite: TLS_AES_128_GCM_SHA256' "$TMP/case.out" \
        && grep -q '"version":"TLSv1.3","cipher":"TLS_AES_128_GCM_SHA256"' "$TMP/case.srv"; then ok
    else bad "$mode openssl s_client -tls1_3 -> tls_server --ciphersuites (status $status)"; fi
    # Twin: no 1.3 suite in common with a 1.3-only server is a handshake failure that says so.
    : > "$TMP/case.srv"
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --min-version 1.3 --ciphersuites TLS_AES_128_GCM_SHA256 --once \
        > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    if ! run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --ciphersuites TLS_AES_256_GCM_SHA384 \
        --send x > "$TMP/case.out" 2>&1 && grep -q "handshake_failure" "$TMP/case.out"; then ok
    else bad "$mode tls_client without a common 1.3 suite -> tls_server --min-version 1.3"; fi
    stop_all

    # Refusals by tls_server, as openssl s_client reports them, at TLS 1.2: in TLS 1.3 the client
    # has finished its handshake when the server refuses, so whether it reads the alert before it
    # closes is a matter of timing. No certificate -> handshake failure;
    # a certificate from a CA the server does not trust -> unknown ca.
    for refusal in "none:$CA:handshake failure:handshake_failure" "stranger:$F/untrusted-ca.pem:unknown ca:unknown_ca"; do
        IFS=: read -r what cas alert alert_name <<< "$refusal"
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --verify-client $cas --require-client-cert --once --json \
            > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_line "$TMP/case.srv")
        certs=$([ "$what" = none ] || echo "$OSSL_CLIENT_CERT")
        echo x | timeout 30 openssl s_client -connect 127.0.0.1:$port -brief -nocommands -servername localhost \
            -CAfile $CA $certs -tls1_2 > "$TMP/case.out" 2>&1
        wait "${PIDS[-1]}"; status=$?; PIDS=()
        if [ $status -ne 0 ] && grep -q "alert $alert" "$TMP/case.out" && grep -q "sent alert $alert_name" "$TMP/case.srv"; then ok
        else bad "$mode tls_server refuses client certificate '$what' with $alert (status $status)"; fi
    done

    # Refusals seen by tls_client: tls_server and openssl s_server each refuse a client without a
    # certificate with handshake_failure (at TLS 1.2, as above), and tls_client names the alert.
    : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --verify-client $CA --require-client-cert --once > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    if ! run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --max-version 1.2 --send x > "$TMP/case.out" 2>&1 \
        && grep -q "received fatal alert: handshake_failure" "$TMP/case.out"; then ok
    else bad "$mode tls_client without a certificate -> tls_server --require-client-cert"; fi
    stop_all
    port=$(free_port)
    start timeout 60 openssl s_server -accept 127.0.0.1:$port -naccept 1 -quiet -Verify 2 -verify_return_error -CAfile $CA \
        -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY -cipher 'AES128-SHA:@SECLEVEL=0' > "$TMP/case.srv" 2>&1
    wait_listen $port
    if ! run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --max-version 1.2 --send x > "$TMP/case.out" 2>&1 \
        && grep -q "received fatal alert: handshake_failure" "$TMP/case.out"; then ok
    else bad "$mode tls_client without a certificate -> openssl s_server -Verify"; fi
    stop_all

    # ALPN (RFC 7301): tls_client --alpn against openssl s_server -alpn (without -quiet, which is
    # when it prints its choice; the client can be done before s_server has written it, on a
    # busy machine, so its line is awaited), openssl s_client -alpn against tls_server --alpn (server
    # preference: h2 although both clients prefer http/1.1), and a refusal without overlap.
    port=$(free_port)
    : > "$TMP/case.srv"
    { echo "from-openssl"; for _ in $(seq 1 1200); do grep -q hello-alpn "$TMP/case.srv" && break; sleep 0.05; done; } \
      | timeout 90 openssl s_server -accept 127.0.0.1:$port -naccept 1 -alpn h2,http/1.1 \
        -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    wait_listen $port
    if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --alpn http/1.1,h2 --send "hello-alpn" \
        --json > "$TMP/case.out" 2>&1 && grep -q '"alpn":"h2"' "$TMP/case.out" \
        && wait_grep "ALPN protocols selected: h2" "$TMP/case.srv"; then ok; else bad "$mode tls_client --alpn -> openssl s_server -alpn"; fi
    stop_all
    : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --alpn h2,http/1.1 --once --json > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    : > "$TMP/case.out"
    hold_stdin hello-alpn "$TMP/case.out" | timeout 30 openssl s_client -connect 127.0.0.1:$port -nocommands -no_ign_eof \
        -servername localhost -verify_return_error -CAfile $CA -alpn http/1.1,h2 > "$TMP/case.out" 2>&1
    wait "${PIDS[-1]}"; status=$?; PIDS=()
    if [ $status -eq 0 ] && grep -q "ALPN protocol: h2" "$TMP/case.out" && grep -q '"alpn":"h2"' "$TMP/case.srv" \
        && grep -q '"error":null' "$TMP/case.srv"; then ok; else bad "$mode openssl s_client -alpn -> tls_server --alpn"; fi
    : > "$TMP/case.srv"
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --alpn h2 --once > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --alpn spdy/3 --send x > "$TMP/case.out" 2>&1
    cstatus=$?
    wait "${PIDS[-1]}"; status=$?; PIDS=()
    if [ $cstatus -ne 0 ] && [ $status -ne 0 ] && grep -q "received fatal alert: no_application_protocol" "$TMP/case.out" \
        && grep -q "sent alert no_application_protocol" "$TMP/case.srv"; then ok
    else bad "$mode tls_client --alpn without overlap -> tls_server --alpn (status $cstatus/$status)"; fi

    # The non-blocking and callback clients against tls_server.
    for prog in nonblocking_client callback_client; do
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        "$BINDIR/tls_server" --port 0 --cert $CHAIN --key $KEY --once > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        port=$(wait_line "$TMP/case.srv")
        if run "$mode" $prog 127.0.0.1 $port $CA localhost "hello-$prog" > "$TMP/case.out" 2>&1 \
            && grep -q "hello-$prog" "$TMP/case.out"; then ok; else bad "$mode $prog"; fi
        stop_all
    done

    # Session resumption (RFC 5246 §7.3): tls_client --reconnect offers the first connection's
    # session (ferrotls_conn_session / _new_client_resuming) to openssl s_server, with -no_ticket and
    # with its default tickets (our ClientHello has no SessionTicket extension, so s_server uses its
    # session-ID cache), and to tls_server; openssl s_client -reconnect resumes against tls_server.
    for tickets in -no_ticket ""; do
        port=$(free_port)
        rm -f "$TMP/done"
        { for _ in $(seq 1 1200); do [ -e "$TMP/done" ] && break; sleep 0.05; done; } \
          | timeout 90 openssl s_server -accept 127.0.0.1:$port -naccept 2 -quiet $tickets \
            -cert $F/server.pem -cert_chain $F/intermediate.pem -key $KEY > "$TMP/case.srv" 2>&1 &
        PIDS+=($!)
        wait_listen $port
        # TLS 1.2 here; TLS 1.3 sessions: session13_test above.
        if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --send hello-resume --reconnect --json \
            --max-version 1.2 > "$TMP/case.out" 2>&1 && [ "$(grep -c '"session_reused":false' "$TMP/case.out")" = 1 ] \
            && [ "$(grep -c '"session_reused":true' "$TMP/case.out")" = 1 ]; then ok
        else bad "$mode tls_client --reconnect -> openssl s_server $tickets"; fi
        touch "$TMP/done"
        stop_all
    done
    : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
    # TLS 1.2 here; TLS 1.3 sessions: session13_test above.
    run "$mode" tls_server --port 0 --cert $CHAIN --key $KEY --max-version 1.2 --json > "$TMP/case.srv" 2>&1 &
    PIDS+=($!)
    port=$(wait_line "$TMP/case.srv")
    if run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --send hello-resume --reconnect --json \
        > "$TMP/case.out" 2>&1 && grep -q '"session_reused":true' "$TMP/case.out"; then ok
    else bad "$mode tls_client --reconnect -> tls_server"; fi
    timeout 60 openssl s_client -connect 127.0.0.1:$port -servername localhost -CAfile $CA -verify_return_error \
        -reconnect < /dev/null > "$TMP/case.out" 2>&1
    if [ "$(grep -c '^New, ' "$TMP/case.out")" = 1 ] && [ "$(grep -c '^Reused, ' "$TMP/case.out")" = 5 ] \
        && [ "$(grep -c '"session_reused":true' "$TMP/case.srv")" = 6 ]; then ok
    else bad "$mode openssl s_client -reconnect -> tls_server"; fi
    stop_all

    # Refusals: a certificate for another name, an untrusted CA; the reason reaches the user.
    for fixture in wrong-host untrusted; do
        : > "$TMP/case.srv"  # no stale "listening on" line from the previous case
        start timeout 60 "$FERROTLS_BIN" server --port 0 --cert $F/$fixture-chain.pem --key "$( [ -f $F/$fixture-key.pem ] && echo $F/$fixture-key.pem || echo $KEY)" --once > "$TMP/case.srv" 2>&1
        port=$(wait_line "$TMP/case.srv")
        if ! run "$mode" tls_client 127.0.0.1:$port --servername localhost --cafile $CA --send x > "$TMP/case.out" 2>&1 \
            && grep -qE "CERT|not valid for|unknown issuer" "$TMP/case.out"; then ok; else bad "$mode tls_client refuses $fixture"; fi
        stop_all
    done
done

echo "c-test: $((SECONDS - started))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
