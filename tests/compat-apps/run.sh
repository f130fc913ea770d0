#!/usr/bin/env bash
# Real programs built unchanged against an installed ferrotls (make install PREFIX=build/apps/prefix)
# and, for comparison, against the system OpenSSL, then run against local peers:
#   headers  every OpenSSL 3.0 header name, alone and together, and OPENSSL_API_COMPAT (headers.sh)
#   demos  OpenSSL 3.5's demos/sslecho and demos/guide tls-{client-block,client-non-block,server-block}
#   socat  socat 1.7.4 OPENSSL: and OPENSSL-LISTEN: (socat.sh)
#   wget   wget 1.21 --with-ssl=openssl against a Python HTTPS server (wget.sh)
#   curl   curl 7.88 --with-openssl against a Python HTTPS server and openssl s_server (curl.sh)
# Sources come from Debian source packages at test time (fetch.sh; never committed); builds are
# cached under build/apps/ (build.sh). The runs happen in a private network namespace.
#
#   tests/compat-apps/run.sh [PROGRAM...]
set -uo pipefail
cd "$(dirname "$0")/../.."
PROGRAMS=${*:-headers demos socat wget curl}
passed=0 failed=0 summary=()
started=$SECONDS

for prog in $PROGRAMS; do
    if [ "$prog" = headers ]; then
        out=$(tests/compat-apps/headers.sh 2>&1); echo "$out"
        p=$(tail -1 <<< "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
        f=$(tail -1 <<< "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
        summary+=("headers: $p passed, $f failed")
        continue
    fi
    case $prog in
        demos) src=$(tests/compat-apps/fetch.sh openssl trixie demos/sslecho demos/guide) ;;
        socat) src=$(tests/compat-apps/fetch.sh socat bookworm) ;;
        wget) src=$(tests/compat-apps/fetch.sh wget bookworm) ;;
        curl) src=$(tests/compat-apps/fetch.sh curl bookworm) ;;
        *) echo "compat-apps: unknown program $prog"; exit 2 ;;
    esac || { failed=$((failed + 1)); summary+=("$prog: source download FAILED"); continue; }
    built=1
    for variant in ferrotls openssl; do
        if ! tests/compat-apps/build.sh "$prog" $variant "$src"; then
            built=0; failed=$((failed + 1))
        fi
    done
    if [ $built = 0 ]; then summary+=("$prog: build FAILED"); continue; fi
    # Each test script prints "<prog>: N passed, M failed" last.
    out=$(DEMOS_SRC=$src unshare --net bash -c "ip link set lo up && tests/compat-apps/$prog.sh" 2>&1)
    echo "$out"
    line=$(tail -1 <<< "$out")
    p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<< "$line")
    f=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<< "$line")
    if [ -z "$p" ]; then failed=$((failed + 1)); summary+=("$prog: runs did not complete"); continue; fi
    passed=$((passed + p)); failed=$((failed + f))
    summary+=("$prog: builds (ferrotls, openssl); runs $p passed, $f failed")
done
printf 'compat-apps: %s\n' "${summary[@]}"
echo "compat-apps: $passed passed, $failed failed in $((SECONDS - started))s"
[ "$failed" -eq 0 ]
