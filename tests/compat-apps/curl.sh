#!/usr/bin/env bash
# curl 7.88 (Debian bookworm's source, --with-openssl, HTTP/HTTPS only), built unchanged against
# ferrotls and against the system OpenSSL (build.sh), run against a Python TLS 1.2 HTTPS server
# (lib.sh's peer_https, which logs version, suite and client certificate per request) and
# `openssl s_server -www`. Each case runs both builds and expects the same outcome from each.
# Run inside `unshare --net` (run.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/compat-apps/lib.sh

GOOD=8801 WRONG=8802 MUTUAL=8803 SSERVER=8804
peer_https $GOOD "$F/server-chain.pem" "$F/server.key" || bad "curl: the HTTPS peer did not listen"
peer_https $WRONG "$F/wrong-host-chain.pem" "$F/server.key" || bad "curl: the wrong-host peer did not listen"
# The mutual-TLS server trusts the root and knows the intermediate (a DER client certificate
# comes without its chain).
cat "$F/ca.pem" "$F/intermediate.pem" > "$TMP/client-cas.pem"
openssl x509 -in "$F/client.pem" -outform DER -out "$TMP/client.der"
openssl pkey -in "$F/client.key" -outform DER -out "$TMP/client.key.der"
peer_https $MUTUAL "$F/server-chain.pem" "$F/server.key" "$TMP/client-cas.pem" || bad "curl: the mutual-TLS peer did not listen"
timeout 120 openssl s_server -quiet -www -accept $SSERVER -cert "$F/server.pem" -cert_chain "$F/intermediate.pem" \
    -key "$F/server.key" > "$TMP/s_server.log" 2>&1 &
PIDS+=($!)
wait_listen $SSERVER || bad "curl: openssl s_server did not listen"

# curl_case NAME EXPECT PATTERN URL ARGS...: EXPECT is ok (exit 0 and PATTERN in the body) or
# curl exit statuses ("35|56") (60: peer certificate not verified, 35: handshake failed, 56: receive failed)
# with PATTERN in its messages. The output is left in $TMP/<build>.out / .err for extra checks.
curl_case() {
    local name=$1 expect=$2 pattern=$3 url=$4; shift 4
    for b in ferrotls openssl; do
        timeout -k 1 20 "$APPS/$b/curl/curl" -q -sS --max-time 10 "$@" "$url" > "$TMP/$b.out" 2> "$TMP/$b.err"
        local rc=$?
        if [ "$expect" = ok ]; then
            if [ $rc -eq 0 ] && grep -qE "$pattern" "$TMP/$b.out"; then ok "curl($b): $name"
            else bad "curl($b): $name (rc $rc)"; sed 's/^/    /' "$TMP/$b.err" | tail -8; fi
        elif [[ $rc =~ ^($expect)$ ]] && ! grep -q "hello over https" "$TMP/$b.out" && grep -qiE "$pattern" "$TMP/$b.err"; then
            ok "curl($b): $name (exit $rc)"
        else bad "curl($b): $name (rc $rc, expected $expect and '$pattern')"; sed 's/^/    /' "$TMP/$b.err" | tail -8; fi
    done
}
HELLO="^hello over https$"

curl_case "GET https://localhost verified with --cacert" ok "$HELLO" \
    "https://localhost:$GOOD/" --cacert "$F/ca.pem"
curl_case "GET https://127.0.0.1 verified against the IP SAN" ok "$HELLO" \
    "https://127.0.0.1:$GOOD/" --cacert "$F/ca.pem"
curl_case "an untrusted CA is refused" 60 "unable to get local issuer certificate|certificate verify failed" \
    "https://localhost:$GOOD/" --cacert "$F/untrusted-ca.pem"
curl_case "-k accepts the untrusted CA" ok "$HELLO" \
    "https://localhost:$GOOD/" --cacert "$F/untrusted-ca.pem" -k
curl_case "a certificate for other.example is refused for localhost" 60 "subject name|does not match" \
    "https://localhost:$WRONG/" --cacert "$F/ca.pem"
curl_case "--resolve other.example to 127.0.0.1: its certificate verifies" ok "$HELLO" \
    "https://other.example:$WRONG/" --cacert "$F/ca.pem" --resolve "other.example:$WRONG:127.0.0.1"
curl_case "-k accepts the wrong name" ok "$HELLO" \
    "https://localhost:$WRONG/" --cacert "$F/ca.pem" -k
# Two URLs in one run: the second transfer takes the CA store curl cached from the first
# (X509_STORE_new + X509_STORE_load_file, then X509_STORE_up_ref + SSL_CTX_set_cert_store).
curl_case "two transfers share curl's cached X509_STORE" ok "$HELLO" \
    "https://localhost:$GOOD/a" --cacert "$F/ca.pem" "https://localhost:$GOOD/b"
for b in ferrotls openssl; do
    check "curl($b): both transfers of the shared store answered" [ "$(grep -c "$HELLO" "$TMP/$b.out")" -eq 2 ]
done
curl_case "--cert/--key: the server requiring a client certificate sees it" ok "$HELLO" \
    "https://localhost:$MUTUAL/client" --cacert "$F/ca.pem" --cert "$F/client-chain.pem" --key "$F/client.key"
n=$(grep -c "request: GET /client HTTP/1.1 version: TLSv1.2 cipher: .* client: ferrotls demo client" "$TMP/https.log")
check "curl: the server saw the client certificate from both builds" [ "$n" -eq 2 ]
curl_case "without --cert the server requiring one refuses" "35|56" "alert|certificate|reset|closed|error" \
    "https://localhost:$MUTUAL/" --cacert "$F/ca.pem"
curl_case "--key that does not match --cert is refused" 58 "private key|key values mismatch|unable to set" \
    "https://localhost:$MUTUAL/" --cacert "$F/ca.pem" --cert "$F/client-chain.pem" --key "$F/server.key"
curl_case "--cert-type P12 fails clearly (PKCS#12)" 58 "could not parse PKCS12|PKCS12|unsupported" \
    "https://localhost:$MUTUAL/" --cacert "$F/ca.pem" --cert-type P12 --cert "$F/client.pem"
curl_case "--cert-type DER --key-type DER (d2i_PrivateKey_bio)" ok "$HELLO" \
    "https://localhost:$MUTUAL/der" --cacert "$F/ca.pem" --cert-type DER --cert "$TMP/client.der" \
    --key-type DER --key "$TMP/client.key.der"
curl_case "--ciphers AES128-SHA is what the server negotiates" ok "$HELLO" \
    "https://localhost:$GOOD/aes128" --cacert "$F/ca.pem" --ciphers AES128-SHA
n=$(grep -c "request: GET /aes128 HTTP/1.1 version: TLSv1.2 cipher: AES128-SHA client" "$TMP/https.log")
check "curl: the server logged AES128-SHA for both builds" [ "$n" -eq 2 ]
curl_case "--tlsv1.2 --tls-max 1.2" ok "$HELLO" \
    "https://localhost:$GOOD/" --cacert "$F/ca.pem" --tlsv1.2 --tls-max 1.2
curl_case "--tls-max 1.1 against a TLS 1.2-only server fails" 35 "version|protocol" \
    "https://localhost:$GOOD/" --cacert "$F/ca.pem" --tlsv1 --tls-max 1.1
# -v: the negotiated version and suite, and the handshake messages the message callback saw
# (SSL_CTX_set_msg_callback: curl prints a "TLSv1.x (IN|OUT), TLS handshake, ..." line per message,
# also for those that travel encrypted, one per alert and ChangeCipherSpec; curl 7.88 prints no
# "TLS header" lines).
# same_trace NAME KIND MIN: the -v lines of KIND (a regex after "(IN|OUT), ") of the two builds are
# the same lines in the same order, at least MIN of them.
same_trace() {
    local name=$1 kind=$2 min=$3
    for b in ferrotls openssl; do
        grep -E "^\* TLSv1\.[0-3] \((IN|OUT)\), ($kind)" "$TMP/$b.err" > "$TMP/$b.trace"
    done
    if [ "$(grep -c . "$TMP/openssl.trace")" -ge "$min" ] && diff "$TMP/openssl.trace" "$TMP/ferrotls.trace" > "$TMP/trace.diff"; then
        ok "curl -v: $name: the same $(grep -c . "$TMP/openssl.trace") lines with both builds"
    else
        bad "curl -v: $name differs between the builds (< openssl, > ferrotls)"; sed 's/^/    /' "$TMP/trace.diff" | head -30
    fi
}
curl_case "-v names the version and suite and traces the handshake" ok "$HELLO" \
    "https://localhost:$GOOD/" --cacert "$F/ca.pem" -v
for b in ferrotls openssl; do
    for want in "SSL connection using TLSv1.2 / AES256-SHA256" "TLSv1.3 \(OUT\), TLS handshake, Client hello \(1\)" \
        "TLSv1.3 \(IN\), TLS handshake, Server hello \(2\)" "TLSv1.2 \(IN\), TLS handshake, Certificate \(11\)" \
        "TLSv1.2 \(IN\), TLS handshake, Server finished \(14\)" "TLSv1.2 \(OUT\), TLS handshake, Client key exchange \(16\)" \
        "TLSv1.2 \(OUT\), TLS change cipher, Change cipher spec \(1\)" "TLSv1.2 \(OUT\), TLS handshake, Finished \(20\)" \
        "TLSv1.2 \(IN\), TLS handshake, Finished \(20\)"; do
        check "curl($b) -v: $want" grep -qE "$want" "$TMP/$b.err"
    done
done
# TLS 1.2: every record header, handshake message and ChangeCipherSpec line, in order.
same_trace "TLS 1.2 handshake, change cipher and alert lines" "TLS handshake|TLS change cipher|TLS alert" 9
# -w %{certs} (certinfo): the chain as curl prints it from X509_get0_signature, X509_PUBKEY_get0_param,
# X509_get0_extensions, EVP_PKEY_get_bn_param, BN_print ...: the lines both libraries print the same.
curl_case "-w %{certs} prints the peer's chain" ok "^Subject:" \
    "https://localhost:$GOOD/" --cacert "$F/ca.pem" -o /dev/null -w '%{certs}'
filter='^(Subject|Issuer|Version|Serial Number|Signature Algorithm|Public Key Algorithm|RSA Public Key|rsa\(n\)|rsa\(e\)|Start date|Expire date|Signature|X509v3 Subject Alternative Name|X509v3 Basic Constraints|X509v3 Key Usage|X509v3 Subject Key Identifier):'
grep -E "$filter" "$TMP/ferrotls.out" > "$TMP/certs.ferrotls"
grep -E "$filter" "$TMP/openssl.out" > "$TMP/certs.openssl"
if [ "$(grep -c . "$TMP/certs.openssl")" -ge 30 ] && diff "$TMP/certs.openssl" "$TMP/certs.ferrotls" > "$TMP/certs.diff"; then
    ok "curl: -w %{certs} gives the same $(grep -c . "$TMP/certs.openssl") lines with both builds"
else
    bad "curl: -w %{certs} differs between the builds"; head -20 "$TMP/certs.diff" | sed 's/^/    /'
fi
# openssl s_server -www: a real OpenSSL peer, at its defaults (TLS 1.3). curl polls the socket
# when SSL_pending is 0, so SSL_read must not swallow the close_notify behind the page (it reads
# a record at a time, as OpenSSL without read-ahead: `RecordCursor`).
curl_case "GET from openssl s_server -www verified with --cacert" ok "s_server|Ciphers" \
    "https://localhost:$SSERVER/" --cacert "$F/ca.pem"
# TLS 1.3 with an OpenSSL peer: the encrypted handshake messages (EncryptedExtensions, Certificate,
# CertificateVerify, both Finished, the server's NewSessionTickets) traced as OpenSSL traces them.
curl_case "-v against openssl s_server: TLS 1.3 traced" ok "s_server|Ciphers" \
    "https://localhost:$SSERVER/" --cacert "$F/ca.pem" -v
for b in ferrotls openssl; do
    for want in "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384" "TLSv1.3 \(IN\), TLS handshake, Encrypted Extensions \(8\)" \
        "TLSv1.3 \(IN\), TLS handshake, Certificate \(11\)" "TLSv1.3 \(IN\), TLS handshake, CERT verify \(15\)" \
        "TLSv1.3 \(IN\), TLS handshake, Finished \(20\)" "TLSv1.3 \(OUT\), TLS handshake, Finished \(20\)" \
        "TLSv1.3 \(IN\), TLS handshake, Newsession Ticket \(4\)"; do
        check "curl($b) -v TLS 1.3: $want" grep -qE "$want" "$TMP/$b.err"
    done
done
# The handshake lines in order (the client's compatibility ChangeCipherSpec is written at another
# point by each library, see docs/openssl-compat.md, so change cipher and header lines are left out).
same_trace "TLS 1.3 handshake lines" "TLS handshake" 9
curl_case "openssl s_server with a CA that did not sign it is refused" 60 "unable to get local issuer certificate|certificate verify failed" \
    "https://localhost:$SSERVER/" --cacert "$F/untrusted-ca.pem"
# The Python server saw TLS 1.2 from both builds for every request it answered.
n=$(grep -c "request: GET .* version: TLSv1.2" "$TMP/https.log")
m=$(grep -c "request: GET" "$TMP/https.log")
check "curl: every request the Python server answered was TLS 1.2 ($n of $m)" [ "$n" -eq "$m" -a "$m" -gt 20 ]

stop_all
echo "curl: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
