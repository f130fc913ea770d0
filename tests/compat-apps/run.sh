#!/usr/bin/env bash
# Real programs built unchanged against an installed ferrotls (make install PREFIX=build/apps/prefix)
# and, for comparison, against the system OpenSSL, then run against local peers:
#   headers  every OpenSSL 3.0 header name, alone and together, and OPENSSL_API_COMPAT (headers.sh)
#   demos  OpenSSL 3.5's demos/sslecho and demos/guide tls-{client-block,client-non-block,server-block}
#   socat  socat 1.7.4 OPENSSL: and OPENSSL-LISTEN: (socat.sh)
#   wget   wget 1.21 --with-ssl=openssl against a Python HTTPS server (wget.sh)
#   curl   curl 7.88 --with-openssl against a Python HTTPS server and openssl s_server (curl.sh)
# Sources come from Debian source packages at test time (fetch.sh; never committed); builds are
# cached under build/apps/ (build.sh) and run in the background, two at a time, while the earlier
# programs' runs go on. The runs happen in a private network namespace.
#
#   tests/compat-apps/run.sh [PROGRAM...]
set -uo pipefail
cd "$(dirname "$0")/../.."
PROGRAMS=${*:-headers demos socat wget curl}
passed=0 failed=0 summary=()
started=$SECONDS

# Sources first (one apt at a time: fetch.sh shares its apt state), then the builds in the
# background, a program's two variants side by side (configure is mostly serial: two of them keep
# both cores busy), while the header checks and the earlier programs' runs go on. Each build's
# output is shown when its program's turn comes.
STATUS=build/apps/status
rm -rf "$STATUS"; mkdir -p "$STATUS"
declare -A SRC
for prog in $PROGRAMS; do
    case $prog in
        headers) continue ;;
        demos) src=$(tests/compat-apps/fetch.sh openssl trixie demos/sslecho demos/guide) ;;
        socat) src=$(tests/compat-apps/fetch.sh socat bookworm) ;;
        wget) src=$(tests/compat-apps/fetch.sh wget bookworm) ;;
        curl) src=$(tests/compat-apps/fetch.sh curl bookworm) ;;
        *) echo "compat-apps: unknown program $prog"; exit 2 ;;
    esac && SRC[$prog]=$src
done
(
    for prog in $PROGRAMS; do
        [ "$prog" = headers ] && continue
        [ -n "${SRC[$prog]:-}" ] || { echo fetch > "$STATUS/$prog.done"; continue; }
        for variant in ferrotls openssl; do
            tests/compat-apps/build.sh "$prog" $variant "${SRC[$prog]}" > "$STATUS/$prog.$variant.log" 2>&1 &
            echo $! > "$STATUS/$prog.$variant.pid"
        done
        result=ok
        for variant in ferrotls openssl; do
            wait "$(cat "$STATUS/$prog.$variant.pid")" || result=failed
        done
        echo $result > "$STATUS/$prog.done"
    done
) &
BUILDER=$!
trap 'kill $BUILDER 2>/dev/null' EXIT

for prog in $PROGRAMS; do
    if [ "$prog" = headers ]; then
        out=$(tests/compat-apps/headers.sh 2>&1); echo "$out"
        p=$(tail -1 <<< "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
        f=$(tail -1 <<< "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
        summary+=("headers: $p passed, $f failed")
        continue
    fi
    # The builds' own time bound is the CI's; this wait only ends early if the builder died.
    while [ ! -e "$STATUS/$prog.done" ] && kill -0 $BUILDER 2>/dev/null; do sleep 1; done
    result=$(cat "$STATUS/$prog.done" 2>/dev/null || echo "builder died")
    cat "$STATUS/$prog".*.log 2>/dev/null
    case $result in
        ok) ;;
        fetch) failed=$((failed + 1)); summary+=("$prog: source download FAILED"); continue ;;
        *) failed=$((failed + 1)); summary+=("$prog: build FAILED"); continue ;;
    esac
    src=${SRC[$prog]}
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
wait $BUILDER 2>/dev/null
printf 'compat-apps: %s\n' "${summary[@]}"
echo "compat-apps: $passed passed, $failed failed in $((SECONDS - started))s"
[ "$failed" -eq 0 ]
