#!/usr/bin/env bash
# OpenSSL's own demos, unchanged from the openssl 3.5 source package: sslecho (server and
# client) and the guide's tls-client-block, tls-client-non-block and tls-server-block. Each was
# built twice (build.sh): against ferrotls and against the system OpenSSL; every case runs with
# both builds, and both must give the expected result (so "the same runs against the system
# OpenSSL give the same results" is checked, not assumed). Run inside `unshare --net`.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/compat-apps/lib.sh
DROPIN=${DROPIN:-$PWD/build/apps/prefix/lib/ferrotls-openssl3}

# sslecho reads cert.pem and key.pem from its working directory: the server serves them and the
# client trusts cert.pem, then checks the server with SSL_set1_host(<the IP it was given>).
# ip/: a self-signed certificate whose SAN is IP:127.0.0.1 (what `sslecho c 127.0.0.1` needs);
# dnsip/: the same with SAN DNS:127.0.0.1, which OpenSSL 3.0 does not accept for an IP literal
# (SSL_set1_host checks an IP address against IP SANs only).
# End-entity certificates (CA:FALSE): `openssl req -x509`'s default CA:TRUE certificate is one
# webpki refuses as a server's (docs/openssl-compat.md), which is not what this test is about.
mkdir -p "$TMP/ip" "$TMP/dnsip"
printf '%s\n' '[req]' 'distinguished_name = dn' '[dn]' '[ip]' 'basicConstraints = critical,CA:FALSE' \
    'subjectAltName = IP:127.0.0.1' '[dnsip]' 'basicConstraints = critical,CA:FALSE' \
    'subjectAltName = DNS:127.0.0.1' > "$TMP/req.cnf"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/ip/key.pem" 2>/dev/null
cp "$TMP/ip/key.pem" "$TMP/dnsip/key.pem"
for d in ip dnsip; do
    openssl req -x509 -new -config "$TMP/req.cnf" -extensions $d -key "$TMP/$d/key.pem" -out "$TMP/$d/cert.pem" \
        -days 7 -subj /CN=sslecho 2>/dev/null
done

# sslecho_case NAME SERVER_BUILD CLIENT_BUILD CERT_DIR EXPECT(ok|refused) [CLIENT_LIBRARY_PATH]
sslecho_case() {
    local name=$1 sb=$2 cb=$3 dir=$4 expect=$5 clib=${6:-}
    (cd "$TMP/$dir" && exec timeout 20 "$sb/demos/sslecho" s) > "$TMP/s.out" 2>&1 &
    PIDS+=($!)
    wait_listen 4433 || { bad "$name: sslecho server did not listen"; cat "$TMP/s.out"; stop_all; return; }
    (cd "$TMP/$dir" && printf 'hello sslecho\nkill\n' | LD_LIBRARY_PATH=$clib timeout 20 "$cb/demos/sslecho" c 127.0.0.1) > "$TMP/c.out" 2>&1
    local rc=$?
    # After "kill" (or a failed handshake) the server exits by itself.
    for _ in $(seq 1 100); do kill -0 "${PIDS[-1]}" 2>/dev/null || break; sleep 0.05; done
    stop_all
    if [ "$expect" = ok ]; then
        if [ $rc -eq 0 ] && grep -q 'SSL connection to server successful' "$TMP/c.out" \
            && grep -q '^Received: hello sslecho' "$TMP/c.out" && grep -q "Server received 'kill'" "$TMP/s.out"; then
            ok "$name"
        else bad "$name (client rc $rc)"; sed 's/^/    client: /' "$TMP/c.out"; sed 's/^/    server: /' "$TMP/s.out"; fi
    else
        if grep -q 'SSL connection to server failed' "$TMP/c.out" && ! grep -q '^Received:' "$TMP/c.out" \
            && grep -qi 'certificate verify failed' "$TMP/c.out"; then
            ok "$name"
        else bad "$name (expected a refused certificate)"; sed 's/^/    client: /' "$TMP/c.out"; sed 's/^/    server: /' "$TMP/s.out"; fi
    fi
}

echo "demos: sslecho"
for s in ferrotls openssl; do for c in ferrotls openssl; do
    sb=$APPS/$s cb=$APPS/$c
    sslecho_case "sslecho server($s) client($c): echo over a certificate for IP 127.0.0.1" "$sb" "$cb" ip ok
done; done
# The demo's own cert.pem (CN=localhost, no SAN) does not name 127.0.0.1 either.
mkdir -p "$TMP/shipped" && cp "$DEMOS_SRC/demos/sslecho/cert.pem" "$DEMOS_SRC/demos/sslecho/key.pem" "$TMP/shipped/"
for c in ferrotls openssl; do
    sslecho_case "sslecho client($c) refuses the demo's own cert.pem (CN=localhost) for 127.0.0.1" "$APPS/$c" "$APPS/$c" shipped refused
    sslecho_case "sslecho client($c) refuses a DNS SAN \"127.0.0.1\" for the IP literal" "$APPS/openssl" "$APPS/$c" dnsip refused
done

echo "demos: guide clients (tls-client-block, tls-client-non-block) against a Python HTTPS peer"
# client_case NAME BUILD PROGRAM CHAIN EXPECT(ok|hostname) [LIBRARY_PATH]
client_case() {
    local name=$1 b=$2 prog=$3 chain=$4 expect=$5 lib=${6:-} port=8443
    peer_http $port "$chain" "$F/server.key" || { bad "$name: peer did not listen"; stop_all; return; }
    LD_LIBRARY_PATH=$lib SSL_CERT_FILE=$F/ca.pem SSL_CERT_DIR=/nonexistent timeout 20 "$b/demos/$prog" localhost $port > "$TMP/c.out" 2>&1
    local rc=$?
    stop_all
    if [ "$expect" = ok ]; then
        if [ $rc -eq 0 ] && grep -q 'hello from the python peer' "$TMP/c.out" && grep -q 'request: GET / HTTP/1.0' "$TMP/peer.log"; then
            ok "$name"
        else bad "$name (rc $rc)"; sed 's/^/    client: /' "$TMP/c.out"; sed 's/^/    peer: /' "$TMP/peer.log"; fi
    else
        if [ $rc -ne 0 ] && grep -q 'Verify error: hostname mismatch' "$TMP/c.out" && ! grep -q 'hello from' "$TMP/c.out"; then
            ok "$name"
        else bad "$name (expected hostname mismatch, rc $rc)"; sed 's/^/    client: /' "$TMP/c.out"; fi
    fi
}
for b in ferrotls openssl; do for prog in tls-client-block tls-client-non-block; do
    client_case "$prog($b): GET, response, close_notify" "$APPS/$b" $prog "$F/server-chain.pem" ok
    client_case "$prog($b): a certificate for other.example is refused" "$APPS/$b" $prog "$F/wrong-host-chain.pem" hostname
done; done

echo "demos: guide server (tls-server-block) with a Python client"
# The server reads chain.pem and pkey.pem from its working directory.
mkdir -p "$TMP/srv" "$TMP/srvbad"
cp "$F/server-chain.pem" "$TMP/srv/chain.pem"; cp "$F/server.key" "$TMP/srv/pkey.pem"
cp "$F/server-chain.pem" "$TMP/srvbad/chain.pem"; cp "$F/mismatched.key" "$TMP/srvbad/pkey.pem"
for b in ferrotls openssl; do
    (cd "$TMP/srv" && exec timeout 30 "$APPS/$b/demos/tls-server-block" 127.0.0.1:9443) > "$TMP/s.out" 2>&1 &
    PIDS+=($!)
    if wait_listen 9443; then
        out1=$(py_echo_client 9443 "$F/ca.pem" "first client" 2>&1)
        out2=$(py_echo_client 9443 "$F/ca.pem" "second client" 2>&1)
        stop_all
        if [[ $out1 == "echoed: first client version: TLSv1.2" && $out2 == "echoed: second client version: TLSv1.2" ]] \
            && [ "$(grep -c 'New client connection accepted' "$TMP/s.out")" = 2 ] \
            && grep -q 'Client connection closed, 12 bytes sent' "$TMP/s.out"; then
            ok "tls-server-block($b): echoes two clients in turn"
        else bad "tls-server-block($b)"; echo "    $out1"; echo "    $out2"; sed 's/^/    server: /' "$TMP/s.out"; fi
    else bad "tls-server-block($b): did not listen"; sed 's/^/    server: /' "$TMP/s.out"; stop_all; fi
    (cd "$TMP/srvbad" && timeout 10 "$APPS/$b/demos/tls-server-block" 127.0.0.1:9444) > "$TMP/s.out" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && grep -q 'Error loading the server private key file' "$TMP/s.out"; then
        ok "tls-server-block($b): refuses a key that does not match the certificate"
    else bad "tls-server-block($b) with a mismatched key (rc $rc)"; sed 's/^/    server: /' "$TMP/s.out"; fi
done

echo "demos: binary drop-in: the system-built demos run with LD_LIBRARY_PATH=$DROPIN"
# Every library the binaries need must come from the drop-in directory, without "no version
# information" warnings; the wrong-host twin shows ferrotls' own error queue (its source paths),
# so it was ferrotls that refused.
for p in sslecho tls-client-block tls-client-non-block tls-server-block; do
    libs=$(LD_LIBRARY_PATH=$DROPIN ldd "$APPS/openssl/demos/$p" 2>&1)
    if grep -q "libssl.so.3 => $DROPIN/libssl.so.3" <<< "$libs" && grep -q "libcrypto.so.3 => $DROPIN/libcrypto.so.3" <<< "$libs" \
        && ! grep -qi 'version' <<< "$libs"; then ok "$p(openssl build) resolves libssl.so.3/libcrypto.so.3 to ferrotls"
    else bad "$p(openssl build) with the drop-in"; echo "$libs"; fi
done
sslecho_case "sslecho server(ferrotls) client(openssl build on the drop-in)" "$APPS/ferrotls" "$APPS/openssl" ip ok "$DROPIN"
for prog in tls-client-block tls-client-non-block; do
    client_case "$prog(openssl build on the drop-in): GET, response, close_notify" "$APPS/openssl" $prog "$F/server-chain.pem" ok "$DROPIN"
    client_case "$prog(openssl build on the drop-in): wrong host refused" "$APPS/openssl" $prog "$F/wrong-host-chain.pem" hostname "$DROPIN"
    if grep -q 'src/openssl/' "$TMP/c.out" && ! grep -q 'no version information' "$TMP/c.out"; then ok "$prog on the drop-in: the refusal came from ferrotls"
    else bad "$prog on the drop-in: refusal not from ferrotls"; sed 's/^/    client: /' "$TMP/c.out"; fi
done
(cd "$TMP/srv" && LD_LIBRARY_PATH=$DROPIN exec timeout 30 "$APPS/openssl/demos/tls-server-block" 127.0.0.1:9445) > "$TMP/s.out" 2>&1 &
PIDS+=($!)
if wait_listen 9445 && out1=$(py_echo_client 9445 "$F/ca.pem" "drop-in client" 2>&1) && [[ $out1 == "echoed: drop-in client version: TLSv1.2" ]]; then
    ok "tls-server-block(openssl build on the drop-in): echoes a client"
else bad "tls-server-block on the drop-in: ${out1:-}"; sed 's/^/    server: /' "$TMP/s.out"; fi
stop_all

echo "demos: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
