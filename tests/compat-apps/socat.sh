#!/usr/bin/env bash
# socat 1.7.4 (Debian bookworm's source), built unchanged against ferrotls and against the system
# OpenSSL (build.sh). Every case runs each socat build as client against each as server, so a
# ferrotls client meets an OpenSSL server and the other way round, and the OpenSSL pair shows
# that the expected results are OpenSSL's. Run inside `unshare --net` (run.sh).
#   OPENSSL-LISTEN: cert=, key=, cafile=, verify=  (the server echoes with PIPE)
#   OPENSSL:        cafile=, cert=, key=, verify=, and socat's own peer-name check
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/compat-apps/lib.sh
port=8600

# case NAME SERVER_BUILD CLIENT_BUILD "SERVER_OPTS" "CLIENT_TARGET_AND_OPTS" EXPECT REFUSAL_TEXT
# EXPECT: ok (the line comes back), refused (the client fails, nothing comes back), or
# server-refused (nothing comes back; the client's exit status is not checked: over TLS 1.3, which
# the OpenSSL pair negotiates, the client finishes its handshake before the server refuses it).
socat_case() {
    local name=$1 sb=$2 cb=$3 sopts=$4 copts=$5 expect=$6 why=${7:-}
    port=$((port + 1))
    timeout -k 1 15 "$sb/socat/socat" -d -d "OPENSSL-LISTEN:$port,reuseaddr,$sopts" PIPE > "$TMP/s.out" 2>&1 &
    PIDS+=($!)
    wait_listen $port || { bad "$name: server did not listen"; sed 's/^/    server: /' "$TMP/s.out"; stop_all; return; }
    echo "hello socat $port" | timeout -k 1 15 "$cb/socat/socat" -d -d -t 2 -T 5 - "OPENSSL:${copts/PORT/$port}" > "$TMP/c.out" 2> "$TMP/c.err"
    local rc=$?
    stop_all
    if [ "$expect" = ok ]; then
        if [ $rc -eq 0 ] && grep -qx "hello socat $port" "$TMP/c.out"; then ok "$name"
        else bad "$name (client rc $rc)"; sed 's/^/    client: /' "$TMP/c.err" | tail -15; sed 's/^/    server: /' "$TMP/s.out" | tail -10; fi
    else
        if { [ $rc -ne 0 ] || [ "$expect" = server-refused ]; } && ! grep -q "hello socat" "$TMP/c.out" && grep -qiE "$why" "$TMP/c.err" "$TMP/s.out"; then ok "$name"
        else bad "$name (expected a refusal matching '$why', client rc $rc)"; sed 's/^/    client: /' "$TMP/c.err" | tail -15; sed 's/^/    server: /' "$TMP/s.out" | tail -10; fi
    fi
}

SRV="cert=$F/server-chain.pem,key=$F/server.key"
for s in ferrotls openssl; do for c in ferrotls openssl; do
    sb=$APPS/$s cb=$APPS/$c tag="server($s) client($c)"
    socat_case "socat $tag: verified echo (cafile)" "$sb" "$cb" "$SRV,verify=0" "localhost:PORT,cafile=$F/ca.pem" ok
    socat_case "socat $tag: an untrusted CA is refused" "$sb" "$cb" "$SRV,verify=0" \
        "localhost:PORT,cafile=$F/untrusted-ca.pem" refused 'certificate verify failed'
    socat_case "socat $tag: verify=0 accepts the untrusted CA" "$sb" "$cb" "$SRV,verify=0" \
        "localhost:PORT,cafile=$F/untrusted-ca.pem,verify=0" ok
    socat_case "socat $tag: a certificate for other.example is refused for localhost" "$sb" "$cb" \
        "cert=$F/wrong-host-chain.pem,key=$F/server.key,verify=0" "localhost:PORT,cafile=$F/ca.pem" refused \
        'does not match|hostname mismatch|certificate verify failed'
    socat_case "socat $tag: the IP SAN matches 127.0.0.1" "$sb" "$cb" "$SRV,verify=0" "127.0.0.1:PORT,cafile=$F/ca.pem" ok
    socat_case "socat $tag: client certificate (server verify=1, cafile)" "$sb" "$cb" "$SRV,verify=1,cafile=$F/ca.pem" \
        "localhost:PORT,cafile=$F/ca.pem,cert=$F/client-chain.pem,key=$F/client.key" ok
    # TLS 1.2: in TLS 1.3 the client's handshake ends before the server reads its (empty)
    # Certificate, so whether socat sees the refusal depends on timing (RFC 8446 §4.4.2.4).
    socat_case "socat $tag: no client certificate is refused by verify=1" "$sb" "$cb" "$SRV,verify=1,cafile=$F/ca.pem" \
        "localhost:PORT,cafile=$F/ca.pem,openssl-max-proto-version=TLS1.2" server-refused 'peer did not return a certificate|alert|handshake failure|certificate required'
done; done

# DTLS is off: ferrotls' DTLS_*_method exist only so socat links; SSL_CTX_new refuses them
# ("unsupported protocol"; the queue's detail text says DTLS is not implemented).
timeout -k 1 10 "$FERRO/socat/socat" -t 1 - "OPENSSL-DTLS-CLIENT:localhost:9999,cafile=$F/ca.pem" < /dev/null > "$TMP/c.out" 2>&1
if [ $? -ne 0 ] && grep -q 'SSL_CTX_new(): error:0A000102:SSL routines::unsupported protocol' "$TMP/c.out"; then ok "socat(ferrotls): OPENSSL-DTLS-CLIENT is refused by SSL_CTX_new (unsupported protocol)"
else bad "socat(ferrotls) DTLS refusal"; sed 's/^/    /' "$TMP/c.out"; fi

echo "socat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
