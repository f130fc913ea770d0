#!/usr/bin/env bash
# Differential tests of the OpenSSL-compatible layer: every C program in tests/openssl-compat/
# is built twice, against the system OpenSSL (-lssl -lcrypto from libssl-dev) and against
# include/openssl + libferrotls (linked as -lssl -lcrypto through build/openssl-lib/), run
# against the same peers, and the two stdouts must be equal after masking what legitimately
# differs. Then a subset runs under Valgrind, and a README-style program is built from an
# installed copy (make install PREFIX=...) with `cc prog.c -I$PREFIX/include -L$PREFIX/lib
# -lssl -lcrypto`.
#
#   tests/openssl-compat/run.sh [plain] [valgrind] [tls13]   (tls13: only the TLS 1.3 calls of tls13.c)
set -uo pipefail
cd "$(dirname "$0")/../.."

FERROTLS_BIN=${FERROTLS_BIN:-target/release/ferrotls}
F=tests/fixtures
CA=$F/ca.pem CHAIN=$F/server-chain.pem KEY=$F/server.key
OUT=build/openssl-compat
LIBDIR=$PWD/target/release
MODES=("${@:-plain valgrind}")
read -r -a MODES <<< "${MODES[*]}"
TMP=$(mktemp -d)
PIDS=()
passed=0 failed=0
started=$SECONDS
MODERN_KEYS="$F/ecdsa-p256-leaf.pem $F/ecdsa-p256-leaf.key $F/ecdsa-p384-leaf.pem $F/ecdsa-p384-leaf.key $F/ed25519-leaf.pem $F/ed25519-leaf.key"
PROGS=${PROGS:-"constants crypto keys client server bio_client nonblocking_client pair mutual resume keylog apps_slice tls13 ticket_cb config_cache"}

cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# ---- build ------------------------------------------------------------------------------------
rm -rf $OUT
mkdir -p $OUT/openssl $OUT/ferrotls build/openssl-lib
ln -sf "$LIBDIR/libferrotls.so" build/openssl-lib/libssl.so
ln -sf "$LIBDIR/libferrotls.so" build/openssl-lib/libcrypto.so
ln -sf libferrotls.so "$LIBDIR/libferrotls.so.0"
# Deprecated functions (TLSv1_method...) are part of what is tested; helpers in common.h are
# not used by every program.
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wno-deprecated-declarations -Wno-unused-function -O1 -g"
for p in $PROGS; do
    src=tests/openssl-compat/$p.c
    if cc $CFLAGS -o $OUT/openssl/$p $src -lssl -lcrypto 2> "$TMP/cc.log" \
        && cc $CFLAGS -Iinclude -H -o $OUT/ferrotls/$p $src -Lbuild/openssl-lib -lssl -lcrypto \
              -Wl,-rpath,"$LIBDIR" 2> "$TMP/cc2.log"; then
        if grep -q '/usr/include/openssl' "$TMP/cc2.log"; then
            bad "build $p: a system OpenSSL header was used: $(grep /usr/include/openssl "$TMP/cc2.log" | head -1)"
        elif ldd $OUT/ferrotls/$p > "$TMP/ldd" && ! grep -q libferrotls "$TMP/ldd"; then bad "build $p: not linked to libferrotls"
        elif grep -qE 'libssl\.so\.3|libcrypto\.so\.3' "$TMP/ldd"; then bad "build $p: linked to the system OpenSSL"
        else ok; fi
    else
        bad "build $p"; cat "$TMP/cc.log"; grep -v '^\.' "$TMP/cc2.log" | head -30
    fi
done
echo "build: $PROGS (twice each)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { for _ in $(seq 1 200); do [[ $(ss -ltn "sport = :$1") == *LISTEN* ]] && return 0; sleep 0.05; done; return 1; }
wait_line() { for _ in $(seq 1 400); do
        p=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1" 2>/dev/null | head -1)
        [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.05; done; return 1; }
stop_all() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; }; done; PIDS=(); }

# Peers speak what both libraries implement (TLS <= 1.2, RSA key exchange, AES-CBC), so that the
# system OpenSSL client negotiates what ferrotls can. Later -cipher/-tls1 flags override these.
OSSL_LIMIT="-no_tls1_3 -cipher AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA"
GNUTLS_LIMIT="NORMAL:-VERS-TLS1.3:-KX-ALL:+RSA:-CIPHER-ALL:+AES-256-CBC:+AES-128-CBC:-MAC-ALL:+SHA256:+SHA1"
# Peers: each prints nothing we compare; PORT is set for the program.
# openssl s_server: sends "from-openssl", then closes (close_notify) once the client's data
# arrived. It waits up to 60 s for that data (a client under Valgrind on a loaded machine is
# slow); the wait ends as soon as the data or the end of the case is there.
# $1: the certificate chain to serve, rest: extra s_server flags.
peer_ossl_server() {
    local chain=$1; shift
    PORT=$(free_port)
    rm -f "$TMP/leaf.pem" "$TMP/rest.pem"
    split_chain "$chain"
    local chainargs=()
    [ -s "$TMP/rest.pem" ] && chainargs=(-cert_chain "$TMP/rest.pem")
    : > "$TMP/srv.log"
    { echo "from-openssl"; for _ in $(seq 1 1200); do grep -q hello "$TMP/srv.log" && break; [ -e "$TMP/done" ] && break; sleep 0.05; done; } \
      | timeout 60 openssl s_server -accept 127.0.0.1:$PORT -naccept 1 -quiet "${chainargs[@]}" \
          -cert "$TMP/leaf.pem" -key $KEY $OSSL_LIMIT "$@" > "$TMP/srv.log" 2>&1 &
    PIDS+=($!)
    wait_listen $PORT
}
# A Python ssl server that sends a line and drops the TCP connection without close_notify.
peer_truncate() {
    PORT=$(free_port)
    timeout 60 python3 - "$PORT" "$CHAIN" "$KEY" > "$TMP/srv.log" 2>&1 <<'PY' &
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers("AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA")
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv = socket.create_server(("127.0.0.1", int(sys.argv[1])))
conn, _ = srv.accept()
tls = ctx.wrap_socket(conn, server_side=True)
tls.sendall(b"from-python\n")
tls.close()  # no close_notify: Python's close does not call SSL_shutdown
PY
    PIDS+=($!)
    wait_listen $PORT
}
# A Python ssl server that sends a line, waits, then resets the connection (SO_LINGER 0).
peer_reset() {
    PORT=$(free_port)
    timeout 60 python3 - "$PORT" "$CHAIN" "$KEY" > "$TMP/srv.log" 2>&1 <<'PY' &
import socket, ssl, struct, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers("AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA")
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv = socket.create_server(("127.0.0.1", int(sys.argv[1])))
conn, _ = srv.accept()
tls = ctx.wrap_socket(conn, server_side=True)
tls.sendall(b"from-python\n")
time.sleep(0.5)
tls.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
tls.close()
PY
    PIDS+=($!)
    wait_listen $PORT
}
# openssl s_server for two connections (a client that resumes): stdin stays open until the
# program is done. $@: extra s_server flags.
peer_ossl_server_twice() {
    PORT=$(free_port)
    rm -f "$TMP/leaf.pem" "$TMP/rest.pem"
    split_chain "$CHAIN"
    : > "$TMP/srv.log"
    { for _ in $(seq 1 600); do [ -e "$TMP/done" ] && break; sleep 0.05; done; } \
      | timeout 60 openssl s_server -accept 127.0.0.1:$PORT -naccept 2 -quiet -cert_chain "$TMP/rest.pem" \
          -cert "$TMP/leaf.pem" -key $KEY $OSSL_LIMIT "$@" > "$TMP/srv.log" 2>&1 &
    PIDS+=($!)
    wait_listen $PORT
}
# The ferrotls echo server for any number of connections.
peer_ferrotls_serving() {
    : > "$TMP/srv.log"
    timeout 60 "$FERROTLS_BIN" server --port 0 --cert $CHAIN --key $KEY > "$TMP/srv.log" 2>&1 &
    PIDS+=($!)
    PORT=$(wait_line "$TMP/srv.log")
}
peer_gnutls_echo() {
    PORT=$(free_port)
    timeout 60 gnutls-serv --echo -p $PORT --x509certfile=$CHAIN --x509keyfile=$KEY --priority="$GNUTLS_LIMIT" \
        > "$TMP/srv.log" 2>&1 &
    PIDS+=($!)
    wait_listen $PORT
}
peer_ferrotls_echo() {
    timeout 60 "$FERROTLS_BIN" server --port 0 --cert $CHAIN --key $KEY --legacy --once > "$TMP/srv.log" 2>&1 &
    PIDS+=($!)
    PORT=$(wait_line "$TMP/srv.log")
}
# The leaf and the rest of a chain file, for s_server's -cert and -cert_chain.
split_chain() {
    awk -v a="$TMP/leaf.pem" -v b="$TMP/rest.pem" 'BEGIN{n=0} /BEGIN CERT/{n++} {print > (n==1 ? a : b)}' "$1"
    [ -f "$TMP/rest.pem" ] || : > "$TMP/rest.pem"
}

# 1,000 CA certificates with ~85-byte subjects (one made here, a counter patched into its CN:
# the copies' signatures no longer verify, which a trust store does not check) and the
# fixtures' CA: their names do not fit CertificateRequest's 16-bit list.
make_many_cas() {
    openssl req -x509 -newkey rsa:1024 -nodes -keyout "$TMP/many.key" -days 2 -out "$TMP/many0.pem" \
        -subj "/O=ferrotls/CN=ferrotls test CA number 0000 with a name long enough to add up" 2>/dev/null
    python3 - "$TMP/many0.pem" "$CA" > "$TMP/many-cas.pem" <<'PY'
import base64, sys, textwrap
pem = open(sys.argv[1]).read()
der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
for i in range(1000):
    d = der.replace(b"number 0000", b"number %04d" % i)
    print("-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(base64.b64encode(d).decode(), 64))
          + "\n-----END CERTIFICATE-----")
print(open(sys.argv[2]).read(), end="")
PY
}

# Masks what legitimately differs between the two builds.
# MASK_EXTRA names a filter one case adds (see mask_pq_default).
mask() {
    sed -E -e 's/[0-9A-F]{16}:error:/TID:error:/' \
           -e 's/^(TID:error:[0-9A-F]{8}:[^:]*):[^:]*:([^:]*):.*/\1:FUNC:\2:FILE:LINE:DATA/' | ${MASK_EXTRA:-cat}
}

# diff_case NAME PEER PEERARGS... -- PROG ARGS... (PORT in ARGS is replaced)
diff_case() {
    local name=$1 peer=$2; shift 2
    local pargs=()
    while [ "$1" != "--" ]; do pargs+=("$1"); shift; done; shift
    local prog=$1; shift
    if [ ! -x $OUT/openssl/$prog ] || [ ! -x $OUT/ferrotls/$prog ]; then bad "$name: $prog was not built"; return; fi
    for impl in openssl ferrotls; do
        rm -f "$TMP/done"
        [ "$peer" != none ] && $peer "${pargs[@]}"
        local args=("${@//PORT/${PORT:-0}}")
        # OPENSSL_CONF=/dev/null: OpenSSL's built-in defaults (security level 1), not the
        # distribution's openssl.cnf, which ferrotls does not read.
        local wrap=()
        [ "$impl" = ferrotls ] && [ -n "${VG:-}" ] && wrap=($VG)
        OPENSSL_CONF=/dev/null timeout 180 "${wrap[@]}" $OUT/$impl/$prog "${args[@]}" > "$TMP/$impl.out" 2> "$TMP/$impl.err"
        echo "exit: $?" >> "$TMP/$impl.out"
        touch "$TMP/done"
        stop_all
    done
    if diff <(mask < "$TMP/openssl.out") <(mask < "$TMP/ferrotls.out") > "$TMP/diff"; then ok
    else bad "$name (< openssl, > ferrotls)"; cat "$TMP/diff"; echo "--- ferrotls stderr"; tail -5 "$TMP/ferrotls.err"; fi
}

run_plain() {
    diff_case "constants" none -- constants $CA $CHAIN $KEY $F/client.key
    diff_case "crypto: digests, DES, objects, names and subjectAltName, RAND, BN/DH, custom BIO methods" none -- \
        crypto $F/server-chain.pem $F/wrong-host.pem $F/server.key $F/ca.pem
    diff_case "keys: PEM_read_*PrivateKey and SSL_CTX_use_PrivateKey_file password callbacks" none -- \
        keys $CHAIN $KEY $F/server-encrypted.key ferrotls-test $MODERN_KEYS
    # Clients against OpenSSL's s_server.
    diff_case "client: verified, SNI + host check" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --host localhost --verify-cb pass
    diff_case "client: TLS 1.2 cipher choice" peer_ossl_server $CHAIN -cipher AES128-SHA -- \
        client 127.0.0.1 PORT --ca $CA --cipher 'AES128-SHA:AES256-SHA'
    # SSL_get_peer_signature_nid / _type_nid: RSA-PSS, ECDSA P-256 and P-384, Ed25519, and none
    # with RSA key exchange.
    diff_case "client: peer signature NIDs, ECDHE-RSA" peer_ossl_server $CHAIN -cipher ECDHE-RSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --sigalg
    diff_case "client: peer signature NIDs, ECDSA P-256" peer_ossl_server $F/ecdsa-p256-leaf.pem -key $F/ecdsa-p256-leaf.key \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $F/ecdsa-p256-ca.pem --sni localhost --sigalg
    diff_case "client: peer signature NIDs, ECDSA P-384" peer_ossl_server $F/ecdsa-p384-leaf.pem -key $F/ecdsa-p384-leaf.key \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $F/ecdsa-p384-ca.pem --sni localhost --sigalg
    diff_case "client: peer signature NIDs, Ed25519" peer_ossl_server $F/ed25519-leaf.pem -key $F/ed25519-leaf.key \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $F/ed25519-ca.pem --sni localhost --sigalg
    diff_case "client: peer signature NIDs, RSA key exchange (none)" peer_ossl_server $CHAIN -cipher AES128-SHA -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --sigalg
    # SSL_CTX_set1_groups_list / set1_sigalgs_list change what is offered; SSL_get_negotiated_group
    # names the group (NIDs); the twins: an unknown group name is refused at once, and a group
    # list the server does not share fails the handshake.
    diff_case "client: groups list P-384 only, negotiated group" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --groups P-384 --sigalg
    diff_case "client: groups list at TLS 1.2, curves alias" peer_ossl_server $CHAIN -cipher ECDHE-RSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --max 0x0303 --groups 'P-256:X25519' --sigalg
    diff_case "client: unknown group name refused" none -- \
        client 127.0.0.1 1 --ca $CA --groups 'X25519:no-such-group'
    diff_case "client: no group in common fails" peer_ossl_server $CHAIN -groups X25519 -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --groups P-256
    diff_case "client: sigalgs list picks the server's ECDSA P-384 hash" peer_ossl_server $F/ecdsa-p384-leaf.pem -key $F/ecdsa-p384-leaf.key \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -- \
        client 127.0.0.1 PORT --ca $F/ecdsa-p384-ca.pem --sni localhost --max 0x0303 --sigalgs 'ECDSA+SHA384' --sigalg
    diff_case "client: TLSv1_method pins TLS 1.0 with @SECLEVEL=0" peer_ossl_server $CHAIN -tls1 -cipher 'AES128-SHA:@SECLEVEL=0' -- \
        client 127.0.0.1 PORT --ca $CA --method tls1 --cipher 'AES128-SHA:@SECLEVEL=0'
    diff_case "client: max 1.1 via SSL_CTX_set_max_proto_version" peer_ossl_server $CHAIN -cipher 'AES256-SHA:AES128-SHA:@SECLEVEL=0' -- \
        client 127.0.0.1 PORT --ca $CA --min 0x0301 --max 0x0302 --cipher 'DEFAULT:@SECLEVEL=0'
    diff_case "client: min above max has no protocols" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --min 0x0303 --max 0x0302
    # Trust from a hashed directory: OpenSSL's CApath opens only `<hash>.<n>` names, so the
    # same CA under its own name (the twin) is not found.
    diff_case "client: SSL_CTX_load_verify_dir reads a hashed directory" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --capath $F/hashed-roots --verify-cb pass
    mkdir -p "$TMP/unhashed" && cp $CA "$TMP/unhashed/ca.pem"
    diff_case "client: a CA file without a hashed name is not found" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --capath "$TMP/unhashed" --verify-cb pass
    # SSL_CTX_set_default_verify_paths: the bundle named by SSL_CERT_FILE, the directories by
    # SSL_CERT_DIR (both), and neither holds our CA in the twin.
    SSL_CERT_FILE=$CA SSL_CERT_DIR=/nonexistent diff_case "client: default verify paths from SSL_CERT_FILE" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --default-paths --verify-cb pass
    SSL_CERT_FILE=/nonexistent SSL_CERT_DIR="/nonexistent:$PWD/$F/hashed-roots" diff_case \
        "client: default verify paths from SSL_CERT_DIR" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --default-paths --verify-cb pass
    SSL_CERT_FILE=/nonexistent SSL_CERT_DIR="$TMP/unhashed" diff_case "client: default verify paths without our CA" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --default-paths --verify-cb pass
    diff_case "client: untrusted chain fails verification" peer_ossl_server $F/untrusted-chain.pem -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass
    diff_case "client: verify callback overrides an untrusted chain" peer_ossl_server $F/untrusted-chain.pem -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb accept
    diff_case "client: verify callback rejects a good chain" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb reject
    diff_case "client: SSL_VERIFY_NONE records the result and continues" peer_ossl_server $F/untrusted-chain.pem -- \
        client 127.0.0.1 PORT --verify-none
    diff_case "client: SSL_CTX_set_verify_depth(0) refuses a chain with an intermediate" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass --depth 0
    diff_case "client: SSL_CTX_set_verify_depth(1) accepts it" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass --depth 1 --no-read
    diff_case "client: host name mismatch" peer_ossl_server $F/wrong-host-chain.pem -- \
        client 127.0.0.1 PORT --ca $CA --host localhost --verify-cb pass
    diff_case "client: expired certificate" peer_ossl_server $F/expired-chain.pem -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass
    diff_case "client: EOF without close_notify is SSL_ERROR_SSL (unexpected eof)" peer_truncate -- \
        client 127.0.0.1 PORT --ca $CA --send ""
    diff_case "client: SSL_OP_IGNORE_UNEXPECTED_EOF makes it ZERO_RETURN" peer_truncate -- \
        client 127.0.0.1 PORT --ca $CA --send "" --ignore-eof
    diff_case "client: a connection reset is SSL_ERROR_SYSCALL with nothing queued" peer_reset -- \
        client 127.0.0.1 PORT --ca $CA --send ""
    # ALPN: the client's list is sent, s_server selects by its preference; no overlap is the
    # peer's no_application_protocol alert.
    diff_case "client: ALPN selected by s_server -alpn" peer_ossl_server $CHAIN -alpn h2,http/1.1 -- \
        client 127.0.0.1 PORT --ca $CA --alpn http/1.1,h2
    diff_case "client: ALPN without overlap gets no_application_protocol" peer_ossl_server $CHAIN -alpn h2 -- \
        client 127.0.0.1 PORT --ca $CA --alpn spdy/3
    diff_case "client: ALPN offered to a server without it" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --alpn h2
    # Echo peers.
    diff_case "client: gnutls-serv --echo, bidirectional shutdown" peer_gnutls_echo -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --read-once
    diff_case "client: ferrotls echo server, bidirectional shutdown" peer_ferrotls_echo -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --read-once
}

# server_case NAME "S_CLIENT ARGS" PROG ARGS...: the program listens, openssl s_client sends
# a line and waits for the close.
server_case() {
    local name=$1 cargs=$2; shift 2
    local prog=$1; shift
    if [ ! -x $OUT/openssl/$prog ] || [ ! -x $OUT/ferrotls/$prog ]; then bad "$name: $prog was not built"; return; fi
    for impl in openssl ferrotls; do
        local wrap=()
        [ "$impl" = ferrotls ] && [ -n "${VG:-}" ] && wrap=($VG)
        # Removed first: the background job truncates it only once it runs, and wait_line must
        # not read the previous case's "listening on" line.
        rm -f "$TMP/$impl.err"
        OPENSSL_CONF=/dev/null timeout 180 "${wrap[@]}" $OUT/$impl/$prog "$@" > "$TMP/$impl.out" 2> "$TMP/$impl.err" &
        local pid=$!
        local port
        port=$(wait_line "$TMP/$impl.err") || { bad "$name: $impl did not listen"; kill $pid; continue; }
        # shellcheck disable=SC2086 # word-split on purpose
        printf 'hello server\n' | OPENSSL_CONF=/dev/null timeout 30 openssl s_client -connect 127.0.0.1:$port -quiet \
            -CAfile $CA -verify_return_error ${SCLIENT_LIMIT--no_tls1_3 -cipher AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA} \
            $cargs > "$TMP/$impl.peer" 2>&1
        wait $pid
        echo "exit: $?" >> "$TMP/$impl.out"
        grep -v '^depth=\|^verify return' "$TMP/$impl.peer" | sed 's/^/peer: /' >> "$TMP/$impl.out"
    done
    if diff <(mask < "$TMP/openssl.out") <(mask < "$TMP/ferrotls.out") > "$TMP/diff"; then ok
    else bad "$name (< openssl, > ferrotls)"; cat "$TMP/diff"; echo "--- ferrotls stderr"; tail -5 "$TMP/ferrotls.err"; fi
}

# expect_case NAME OPENSSL_PATTERN FERROTLS_PATTERN PROG ARGS...: not differential (a known gap).
expect_case() {
    local name=$1 opat=$2 fpat=$3; shift 3
    local prog=$1; shift
    if [ ! -x $OUT/openssl/$prog ] || [ ! -x $OUT/ferrotls/$prog ]; then bad "$name: $prog was not built"; return; fi
    OPENSSL_CONF=/dev/null timeout 60 $OUT/openssl/$prog "$@" > "$TMP/openssl.out" 2>&1
    timeout 180 ${VG:-} $OUT/ferrotls/$prog "$@" > "$TMP/ferrotls.out" 2>&1
    if grep -q "$opat" "$TMP/openssl.out" && grep -q "$fpat" "$TMP/ferrotls.out"; then ok
    else bad "$name"; echo "--- openssl"; cat "$TMP/openssl.out"; echo "--- ferrotls"; cat "$TMP/ferrotls.out"; fi
}

run_more() {
    server_case "server: SNI callback, echo, bidirectional shutdown" "-servername localhost" \
        server $CHAIN $KEY
    server_case "server: SNI callback switches SSL_CTX" "-servername alt.example" \
        server $CHAIN $KEY --alt $F/wrong-host-chain.pem
    server_case "server: SNI callback switches to an SSL_CTX with an ECDSA key" \
        "-servername alt.example -CAfile $F/ecdsa-p256-ca.pem -cipher ECDHE-ECDSA-AES128-GCM-SHA256" \
        server $CHAIN $KEY --alt $F/ecdsa-p256-leaf.pem --alt-key $F/ecdsa-p256-leaf.key
    server_case "server: TLSv1_2_server_method, cipher list" "" \
        server $CHAIN $KEY --method tls1_2 --cipher AES128-SHA
    server_case "server: SSL_VERIFY_PEER | FAIL_IF_NO_PEER_CERT, the client sends leaf + intermediate" \
        "-cert $F/client.pem -cert_chain $F/intermediate.pem -key $F/client.key" server $CHAIN $KEY --verify $CA
    server_case "server: SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT, no client certificate" "" \
        server $CHAIN $KEY --verify-optional $CA
    server_case "server: FAIL_IF_NO_PEER_CERT and no client certificate: peer did not return a certificate" "" \
        server $CHAIN $KEY --verify $CA
    server_case "server: encrypted PKCS#8 key through SSL_CTX_set_default_passwd_cb(_userdata)" "" \
        server $CHAIN $F/server-encrypted.key --passwd ferrotls-test
    # ALPN select callback (with SSL_select_next_proto): selection, NOACK, and the fatal refusal
    # as s_client reports it.
    server_case "server: ALPN select callback picks by server preference" "-servername localhost -alpn http/1.1,h2" \
        server $CHAIN $KEY --alpn h2,http/1.1
    server_case "server: ALPN select callback returns SSL_TLSEXT_ERR_NOACK" "-alpn h2" \
        server $CHAIN $KEY --alpn h2 --alpn-mode noack
    server_case "server: ALPN select callback without overlap is SSL_TLSEXT_ERR_ALERT_FATAL" "-alpn spdy/3" \
        server $CHAIN $KEY --alpn h2,http/1.1
    server_case "server: ALPN select callback, client without ALPN" "" \
        server $CHAIN $KEY --alpn h2
    diff_case "bio_client: BIO_new_ssl_connect against s_server" peer_ossl_server $CHAIN -- \
        bio_client 127.0.0.1:PORT $CA
    diff_case "nonblocking_client against the ferrotls echo server" peer_ferrotls_echo -- \
        nonblocking_client 127.0.0.1 PORT $CA
    diff_case "nonblocking_client against gnutls-serv --echo" peer_gnutls_echo -- \
        nonblocking_client 127.0.0.1 PORT $CA
    diff_case "pair: handshake steps, pending/peek, WANT_WRITE retry, shutdowns" none -- pair $CA $CHAIN $KEY
    diff_case "keylog: keylog callback lines and SSL_export_keying_material over a BIO pair" none -- \
        keylog $CA $CHAIN $KEY
    diff_case "config_cache: settings changed between connections take effect; interleaved SSLs' callbacks" none -- \
        config_cache $CA $CHAIN $KEY $F/ecdsa-p256-ca.pem $F/ecdsa-p256-leaf.pem $F/ecdsa-p256-leaf.key
    openssl pkey -in $KEY -outform DER -out "$TMP/key.der"
    diff_case "apps_slice: X509_STORE objects, message callback, certinfo readers, RSA, BUF_MEM, chains, PKCS12 refused" none -- \
        apps_slice $CA $CHAIN $KEY $F/intermediate.pem "$TMP/key.der" $F/ecdsa-p256-leaf.key $F/hashed-roots
    cat $F/client.pem $F/intermediate.pem > "$TMP/client-chain.pem"
    diff_case "mutual: client certificate over a BIO pair, server requires and verifies it" none -- \
        mutual $CA $CHAIN $KEY "$TMP/client-chain.pem" $F/client.key
    # Every trusted subject as CA names (no client CA list): 1,000 of them do not fit, and the
    # request goes out well formed with none (OpenSSL sends none without a list either).
    make_many_cas
    diff_case "mutual: a server trusting 1,000 CAs still asks for and verifies a client certificate" none -- \
        mutual $CA $CHAIN $KEY "$TMP/client-chain.pem" $F/client.key "$TMP/many-cas.pem"
    # Session resumption by session ID.
    diff_case "resume: pair: SSL_SESSION fields, new_session_cb, reuse, statistics, flush, sid_ctx rule, cache off" \
        none -- resume pair $CA $CHAIN $KEY
    # Not differential: OpenSSL resumes a session under any context, even one verified by
    # nobody; ferrotls only under the context and verification settings that made it.
    expect_case "resume: a session is offered only by the context and verification that made it" \
        "scope: same context reused, another context reused, no-verify context again reused, unverified session in a verifying context reused" \
        "scope: same context reused, another context full, no-verify context again reused, unverified session in a verifying context failed" \
        resume scope $CA $CHAIN $KEY $F/untrusted-chain.pem
    diff_case "resume: tickets: has_ticket, lifetime hint, i2d/d2i resumes, other keys, SSL_OP_NO_TICKET, num_tickets" \
        none -- resume tickets $CA $CHAIN $KEY
    # Session-ticket key callbacks: the server here, `openssl s_client -sess_out/-sess_in` (run by
    # the program) resuming; resume, renew (2), unknown key (0), a changed ciphertext or MAC,
    # the callback failing or declining.
    diff_case "ticket key callbacks: EVP_CIPHER AES-CBC streaming and padding, HMAC three ways" none -- \
        ticket_cb primitives
    for v in tls1_2 tls1_3; do
        diff_case "ticket key callbacks: evp_cb against s_client -$v" none -- ticket_cb evp $v $CHAIN $KEY "$TMP"
        diff_case "ticket key callbacks: HMAC_CTX cb against s_client -$v" none -- ticket_cb hmac $v $CHAIN $KEY "$TMP"
    done
    diff_case "resume: client resumes against s_server -no_ticket" peer_ossl_server_twice -no_ticket -- \
        resume client 127.0.0.1 PORT $CA
    diff_case "resume: client without SessionTicket resumes against s_server issuing tickets" peer_ossl_server_twice -- \
        resume client 127.0.0.1 PORT $CA
    diff_case "resume: client resumes against the ferrotls server" peer_ferrotls_serving -- \
        resume client 127.0.0.1 PORT $CA
    diff_case "client: sends its certificate to s_server -Verify 2 -verify_return_error" \
        peer_ossl_server $CHAIN -Verify 2 -verify_return_error -CAfile $CA -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass --cert "$TMP/client-chain.pem" --key $F/client.key
}

# TLS 1.3 (RFC 8446), on by default in both libraries: the peers here speak it too (OSSL_LIMIT
# and SCLIENT_LIMIT replace the TLS 1.2 limits of the cases above).
run_tls13() {
    cat $F/client.pem $F/intermediate.pem > "$TMP/client-chain.pem"
    OSSL_LIMIT="-tls1_3" diff_case "client: TLS 1.3 against s_server -tls1_3 (NewSessionTickets read inside SSL_read)" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --ca $CA --sni localhost --host localhost --verify-cb pass
    OSSL_LIMIT="-tls1_3" diff_case "client: SSL_CTX_set_ciphersuites picks TLS_CHACHA20_POLY1305_SHA256" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --ca $CA --ciphersuites TLS_CHACHA20_POLY1305_SHA256 --max 0x0304
    OSSL_LIMIT="" diff_case "client: a 1.2+1.3 s_server gives TLS 1.3 by default" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --ca $CA --verify-cb pass
    OSSL_LIMIT="" diff_case "client: SSL_OP_NO_TLSv1_3 against a 1.2+1.3 s_server gives TLS 1.2" \
        peer_ossl_server $CHAIN -cipher AES256-SHA256 -- client 127.0.0.1 PORT --ca $CA --no-tls1_3
    # An echo peer sends nothing of its own, so the early read sees only the tickets that follow a
    # TLS 1.3 handshake (s_server's own stdin line raced the early read).
    GNUTLS_LIMIT="NORMAL:-VERS-ALL:+VERS-TLS1.3" diff_case \
        "nonblocking_client against gnutls-serv --echo at TLS 1.3 (tickets after the handshake: WANT_READ)" \
        peer_gnutls_echo -- nonblocking_client 127.0.0.1 PORT $CA
    OSSL_LIMIT="-tls1_3" diff_case "client: a TLS 1.3 client certificate to s_server -Verify 2" \
        peer_ossl_server $CHAIN -Verify 2 -verify_return_error -CAfile $CA -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb pass --cert "$TMP/client-chain.pem" --key $F/client.key
    SCLIENT_LIMIT="-tls1_3" server_case "server: TLS 1.3 to s_client -tls1_3, SNI, echo, bidirectional shutdown" \
        "-servername localhost" server $CHAIN $KEY --max 0x0304
    SCLIENT_LIMIT="-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256" \
        server_case "server: SSL_CTX_set_ciphersuites TLS_AES_128_GCM_SHA256 under TLS 1.3" "" \
        server $CHAIN $KEY --max 0x0304 --ciphersuites TLS_AES_128_GCM_SHA256
    SCLIENT_LIMIT="-tls1_3" server_case "server: TLS 1.3 client certificate (CertificateRequest in the handshake)" \
        "-cert $F/client.pem -cert_chain $F/intermediate.pem -key $F/client.key" server $CHAIN $KEY --verify $CA --max 0x0304
}

# The s_client side of resumption at TLS 1.3 against a program that accepts two connections:
# -sess_out saves the first session (the tickets), -sess_in offers it. Both builds must serve a
# full handshake, then a resumed one (EXPECT "Reused"); the twin offers a session file of another
# server (whose ticket keys differ), which must not resume (EXPECT "New").
server_sess_case() {
    local name=$1 sessfile=$2 expect=$3; shift 3
    local prog=$1; shift
    for impl in openssl ferrotls; do
        rm -f "$TMP/$impl.err"
        OPENSSL_CONF=/dev/null timeout 60 $OUT/$impl/$prog "$@" > "$TMP/$impl.out" 2> "$TMP/$impl.err" &
        local pid=$! port
        port=$(wait_line "$TMP/$impl.err") || { bad "$name: $impl did not listen"; kill $pid; continue; }
        : > "$TMP/$impl.peer"
        local inout=(-sess_out "$TMP/sess.pem")
        [ -n "$sessfile" ] && inout=(-sess_in "$sessfile")
        for step in first second; do
            echo "hello $step" | OPENSSL_CONF=/dev/null timeout 30 openssl s_client -connect 127.0.0.1:$port -tls1_3 \
                -CAfile $CA -verify_return_error -ign_eof "${inout[@]}" 2>&1 \
                | grep -E '^(New|Reused),|^hello' | sed "s/^/$step: /" >> "$TMP/$impl.peer"
            [ -z "$sessfile" ] && inout=(-sess_in "$TMP/sess.pem")
        done
        wait $pid
        echo "exit: $?" >> "$TMP/$impl.out"
        cat "$TMP/$impl.peer" >> "$TMP/$impl.out"
    done
    if ! grep -q "^second: $expect, TLSv1.3" "$TMP/ferrotls.out"; then bad "$name: the second handshake is not \"$expect\""; cat "$TMP/ferrotls.out"
    elif diff <(mask < "$TMP/openssl.out") <(mask < "$TMP/ferrotls.out") > "$TMP/diff"; then ok
    else bad "$name (< openssl, > ferrotls)"; cat "$TMP/diff"; echo "--- ferrotls stderr"; tail -5 "$TMP/ferrotls.err"; fi
}

# openssl s_client -reconnect (six handshakes on one SSL object) against the reference
# s_server and against ferrotls servers (the command, and the tls13 program of both builds):
# each must give the reference's count of new and resumed handshakes. At TLS 1.3 that is six
# new ones for all (s_client 3.0 reconnects before it reads the tickets, which arrive after the
# handshake); at TLS 1.2 one new and five resumed.
reconnect_case() {
    local version=$1 expect=$2
    local counts=() who=() srv
    for srv in s_server ferrotls-command tls13-openssl tls13-ferrotls; do
        : > "$TMP/srv.log"
        case $srv in
            s_server) PORT=$(free_port); split_chain "$CHAIN"
                { sleep 20; } | timeout 30 openssl s_server -accept 127.0.0.1:$PORT -quiet -cert "$TMP/leaf.pem" \
                    -cert_chain "$TMP/rest.pem" -key $KEY > "$TMP/srv.log" 2>&1 &
                PIDS+=($!); wait_listen $PORT ;;
            ferrotls-command) timeout 30 "$FERROTLS_BIN" server --port 0 --cert $CHAIN --key $KEY > "$TMP/srv.log" 2>&1 &
                PIDS+=($!); PORT=$(wait_line "$TMP/srv.log") ;;
            tls13-*) OPENSSL_CONF=/dev/null timeout 30 $OUT/${srv#tls13-}/tls13 server $CHAIN $KEY 6 > /dev/null 2> "$TMP/srv.log" &
                PIDS+=($!); PORT=$(wait_line "$TMP/srv.log") ;;
        esac
        counts+=("$(printf 'x\n' | OPENSSL_CONF=/dev/null timeout 30 openssl s_client -connect 127.0.0.1:$PORT $version \
            -CAfile $CA -verify_return_error -reconnect 2>&1 | grep -E '^(New|Reused),' | cut -d, -f1 | sort | uniq -c | xargs)")
        who+=("$srv")
        stop_all
    done
    local all_same=1
    for c in "${counts[@]}"; do [ "$c" = "$expect" ] || all_same=0; done
    if [ $all_same = 1 ]; then ok
    else bad "s_client $version -reconnect: expected \"$expect\" from every server"; for i in "${!who[@]}"; do echo "  ${who[$i]}: ${counts[$i]}"; done; fi
}

# The default groups differ on purpose: ferrotls offers X25519MLKEM768 first (as OpenSSL 3.5
# does), which the system OpenSSL 3.0 lacks, so two default contexts agree on the hybrid
# (SSL_get_negotiated_group: TLSEXT_nid_unknown | 0x11EC = 16781804) where OpenSSL 3.0's agree
# on X25519 (1034). The diff sees that one value masked; pq_default_group checks it unmasked.
mask_pq_default() { sed -E 's/, group nid (16781804|1034)$/, group nid DEFAULT/'; }

# pq_default_group NAME: the last case's ferrotls output names the hybrid, the system's X25519.
pq_default_group() {
    if grep -q ', group nid 16781804$' "$TMP/ferrotls.out" && grep -q ', group nid 1034$' "$TMP/openssl.out"; then ok
    else bad "$1: default groups: X25519MLKEM768 (nid 16781804) with ferrotls, X25519 (1034) with OpenSSL 3.0"
        grep -h 'group nid' "$TMP/ferrotls.out" "$TMP/openssl.out"; fi
}

run_tls13_calls() {
    MASK_EXTRA=mask_pq_default diff_case "tls13 pair: SSL_key_update, sessions from tickets, i2d/d2i resumption, early data and PHA refusals" \
        none -- tls13 pair $CA $CHAIN $KEY
    pq_default_group "tls13 pair"
    # The peer logs the handshake messages (-msg): the client's two KeyUpdates and the server's
    # answer to the requested one must have crossed the wire, not only the data.
    OSSL_LIMIT="-tls1_3 -msg" diff_case "tls13 client: SSL_key_update against s_server -tls1_3, data after it" \
        peer_ossl_server $CHAIN -- tls13 client 127.0.0.1 PORT $CA keyupdate
    local updates
    updates=$(grep -c 'KeyUpdate' "$TMP/srv.log")
    if [ "$updates" -eq 3 ]; then ok; else bad "s_server saw $updates KeyUpdate messages from the ferrotls client, not 3"; cat "$TMP/srv.log"; fi
    OSSL_LIMIT="-tls1_3" diff_case "tls13 client: resumes through i2d/d2i against s_server -tls1_3 (tickets read at shutdown)" \
        peer_ossl_server_twice -- tls13 client 127.0.0.1 PORT $CA resume
    OSSL_LIMIT="-tls1_3 -num_tickets 0" diff_case "tls13 client: s_server -num_tickets 0 leaves nothing to resume" \
        peer_ossl_server_twice -- tls13 client 127.0.0.1 PORT $CA resume
    server_sess_case "tls13 server: s_client -tls1_3 -sess_out then -sess_in resumes" "" Reused tls13 server $CHAIN $KEY 2
    server_sess_case "tls13 server: s_client -sess_in with another server's session does a full handshake" \
        "$TMP/sess.pem" New tls13 server $CHAIN $KEY 2
    SCLIENT_LIMIT="-tls1_3" server_case "tls13 server: SSL_key_update requested before the echo to s_client" "" \
        tls13 server $CHAIN $KEY 1 keyupdate
    # SSL_get_negotiated_group at TLS 1.3: the group of the key share, also after a
    # HelloRetryRequest (the client offers X25519 first; the server takes P-384 only).
    OSSL_LIMIT="-tls1_3" diff_case "client: TLS 1.3 groups list P-384 only, negotiated group" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --ca $CA --sni localhost --groups P-384 --sigalg
    OSSL_LIMIT="-tls1_3 -groups P-384" diff_case "client: TLS 1.3 HelloRetryRequest to P-384, negotiated group" \
        peer_ossl_server $CHAIN -- client 127.0.0.1 PORT --ca $CA --sni localhost --groups X25519:P-384 --sigalg
    reconnect_case -tls1_3 "6 New"
    reconnect_case -tls1_2 "1 New 5 Reused"
}

# Under Valgrind (ferrotls builds only; any error or definite leak makes the exit status 99,
# which shows up in the compared output).
run_valgrind() {
    VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    diff_case "valgrind constants" none -- constants $CA $CHAIN $KEY $F/client.key
    diff_case "valgrind keys" none -- keys $CHAIN $KEY $F/server-encrypted.key ferrotls-test $MODERN_KEYS
    diff_case "valgrind pair" none -- pair $CA $CHAIN $KEY
    diff_case "valgrind keylog" none -- keylog $CA $CHAIN $KEY
    diff_case "valgrind client verified" peer_ossl_server $CHAIN -- \
        client 127.0.0.1 PORT --ca $CA --sni localhost --host localhost --verify-cb pass
    diff_case "valgrind client untrusted, callback accepts" peer_ossl_server $F/untrusted-chain.pem -- \
        client 127.0.0.1 PORT --ca $CA --verify-cb accept
    diff_case "valgrind client truncated" peer_truncate -- client 127.0.0.1 PORT --ca $CA --send ""
    diff_case "valgrind bio_client" peer_ossl_server $CHAIN -- bio_client 127.0.0.1:PORT $CA
    diff_case "valgrind nonblocking_client" peer_gnutls_echo -- nonblocking_client 127.0.0.1 PORT $CA
    server_case "valgrind server with SNI switch" "-servername alt.example" server $CHAIN $KEY --alt $F/wrong-host-chain.pem
    server_case "valgrind server ALPN select callback" "-alpn http/1.1,h2" server $CHAIN $KEY --alpn h2,http/1.1
    diff_case "valgrind client ALPN" peer_ossl_server $CHAIN -alpn h2,http/1.1 -- client 127.0.0.1 PORT --ca $CA --alpn http/1.1,h2
    cat $F/client.pem $F/intermediate.pem > "$TMP/client-chain.pem"
    diff_case "valgrind mutual" none -- mutual $CA $CHAIN $KEY "$TMP/client-chain.pem" $F/client.key
    diff_case "valgrind resume pair" none -- resume pair $CA $CHAIN $KEY
    expect_case "valgrind resume scope" "scope: same context reused" "scope: same context reused, another context full" \
        resume scope $CA $CHAIN $KEY $F/untrusted-chain.pem
    diff_case "valgrind resume client" peer_ossl_server_twice -no_ticket -- resume client 127.0.0.1 PORT $CA
    MASK_EXTRA=mask_pq_default diff_case "valgrind tls13 pair" none -- tls13 pair $CA $CHAIN $KEY
    pq_default_group "valgrind tls13 pair"
    diff_case "valgrind ticket key callbacks" none -- ticket_cb evp tls1_3 $CHAIN $KEY "$TMP"
    unset VG
}

# The README's program: make install into a scratch prefix, build c-examples/openssl_client.c
# with exactly `cc prog.c -I$PREFIX/include -L$PREFIX/lib -lssl -lcrypto`, run it.
run_installed() {
    local prefix="$TMP/prefix"
    if ! make -s install PREFIX="$prefix" > "$TMP/install.log" 2>&1; then bad "make install"; cat "$TMP/install.log"; return; fi
    if [ -L "$prefix/lib/libssl.so" ] && [ -L "$prefix/lib/libcrypto.so" ] && [ -f "$prefix/include/openssl/ssl.h" ] \
        && cc c-examples/openssl_client.c -I"$prefix/include" -L"$prefix/lib" -lssl -lcrypto -o "$TMP/openssl_client" \
            2> "$TMP/cc.log" \
        && readelf -d "$TMP/openssl_client" | grep -q 'NEEDED.*libferrotls.so.0' \
        && flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs openssl); then
        peer_ossl_server $CHAIN
        LD_LIBRARY_PATH="$prefix/lib" timeout 30 "$TMP/openssl_client" 127.0.0.1 $PORT $CA localhost > "$TMP/ex.out" 2>&1
        touch "$TMP/done"; stop_all
        if grep -q "TLSv1.2 with AES256-SHA256" "$TMP/ex.out" && grep -q from-openssl "$TMP/ex.out"; then
            ok; echo "installed: c-examples/openssl_client.c built with -I\$PREFIX/include -L\$PREFIX/lib -lssl -lcrypto ($flags)"
        else bad "installed openssl_client run"; cat "$TMP/ex.out"; fi
    else bad "installed openssl_client build"; cat "$TMP/cc.log"; ls -l "$prefix/lib"; fi
}

for mode in "${MODES[@]}"; do
    echo "== $mode"
    case $mode in
        plain) run_plain; run_more; run_tls13; run_tls13_calls; run_installed ;;
        tls13) run_tls13_calls ;;
        valgrind) run_valgrind ;;
    esac
done

echo "openssl-compat: $((SECONDS - started))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
