#!/usr/bin/env bash
# wget 1.21 (Debian bookworm's source, --with-ssl=openssl), built unchanged against ferrotls and
# against the system OpenSSL (build.sh), run against a Python TLS 1.2 HTTPS server. Each case runs
# both builds and expects the same outcome from each. Run inside `unshare --net` (run.sh).
#   GET verified with --ca-certificate (by name and by IP SAN); a certificate for another name
#   refused; an untrusted CA refused, and accepted with --no-check-certificate; --crl-file (CRLs
#   checked for the whole chain): a revoked leaf refused, a chain without the root's CRL refused.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/compat-apps/lib.sh

GOOD=8701 WRONG=8702 REVOKED=8703
cat "$F/revoked.pem" "$F/intermediate.pem" > "$TMP/revoked-chain.pem"
peer_https $GOOD "$F/server-chain.pem" "$F/server.key" || bad "wget: the HTTPS peer did not listen"
peer_https $WRONG "$F/wrong-host-chain.pem" "$F/server.key" || bad "wget: the wrong-host peer did not listen"
peer_https $REVOKED "$TMP/revoked-chain.pem" "$F/server.key" || bad "wget: the revoked-leaf peer did not listen"

# wget_case NAME EXPECT URL ARGS...: EXPECT is ok (exit 0, the body printed) or a wget exit status
# (5: SSL verification failure) together with a pattern its messages must match.
wget_case() {
    local name=$1 expect=$2 why=$3 url=$4; shift 4
    for b in ferrotls openssl; do
        timeout -k 1 20 "$APPS/$b/wget/wget" --no-config -t 1 -T 10 -O - "$@" "$url" > "$TMP/out" 2> "$TMP/err"
        local rc=$?
        if [ "$expect" = ok ]; then
            if [ $rc -eq 0 ] && grep -qx "hello over https" "$TMP/out"; then ok "wget($b): $name"
            else bad "wget($b): $name (rc $rc)"; sed 's/^/    /' "$TMP/err" | tail -8; fi
        elif [ $rc -eq "$expect" ] && ! grep -q "hello over https" "$TMP/out" && grep -qiE "$why" "$TMP/err"; then
            ok "wget($b): $name (exit $rc)"
        else bad "wget($b): $name (rc $rc, expected $expect and '$why')"; sed 's/^/    /' "$TMP/err" | tail -8; fi
    done
}

wget_case "GET https://localhost verified with --ca-certificate" ok "" \
    "https://localhost:$GOOD/" --ca-certificate="$F/ca.pem"
wget_case "GET https://127.0.0.1 verified against the IP SAN" ok "" \
    "https://127.0.0.1:$GOOD/" --ca-certificate="$F/ca.pem"
wget_case "a certificate for other.example is refused for localhost" 5 "no certificate subject alternative name matches" \
    "https://localhost:$WRONG/" --ca-certificate="$F/ca.pem"
wget_case "an untrusted CA is refused" 5 "cannot verify|unable to get local issuer|self-signed|not trusted" \
    "https://localhost:$GOOD/" --ca-certificate="$F/untrusted-ca.pem"
wget_case "--no-check-certificate accepts the untrusted CA" ok "" \
    "https://localhost:$GOOD/" --ca-certificate="$F/untrusted-ca.pem" --no-check-certificate
wget_case "--no-check-certificate accepts the wrong name" ok "" \
    "https://localhost:$WRONG/" --ca-certificate="$F/ca.pem" --no-check-certificate
# --crl-file sets X509_V_FLAG_CRL_CHECK | _CRL_CHECK_ALL: every certificate needs its issuer's CRL.
# The intermediate's CRL lists revoked.pem's serial; there is no CRL from the root for the
# intermediate, so with CRL_CHECK_ALL OpenSSL also refuses the good chain ("unable to get
# certificate CRL"), and so must ferrotls.
wget_case "--crl-file: a leaf the intermediate's CRL lists is refused (certificate revoked)" 5 "certificate revoked" \
    "https://localhost:$REVOKED/" --ca-certificate="$F/ca.pem" --crl-file="$F/intermediate.crl.pem"
wget_case "--crl-file: without the root's CRL the intermediate is refused (CRL_CHECK_ALL)" 5 "unable to get certificate CRL" \
    "https://localhost:$GOOD/" --ca-certificate="$F/ca.pem" --crl-file="$F/intermediate.crl.pem"
wget_case "the revoked leaf is accepted without --crl-file" ok "" \
    "https://localhost:$REVOKED/" --ca-certificate="$F/ca.pem"
# The server saw TLS 1.2 from both builds.
n=$(grep -c "request: GET / HTTP/1.1 version: TLSv1.2" "$TMP/https.log")
check "wget: the server logged 10 TLS 1.2 GETs (5 per build)" [ "$n" -eq 10 ]

stop_all
echo "wget: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
