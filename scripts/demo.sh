#!/usr/bin/env bash
# make demo: a ferrotls server and a ferrotls client on loopback with the demo certificates; prints what was
# negotiated and the server certificate's fields. Expects `make build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

FERROTLS="${FERROTLS_BIN:-target/release/ferrotls}"
FIXTURES="${FIXTURES:-tests/fixtures}"
CA="${CA:-$FIXTURES/ca.pem}"
CHAIN="${CHAIN:-$FIXTURES/server-chain.pem}"
KEY="${KEY:-$FIXTURES/server.key}"
SERVERNAME="${SERVERNAME:-localhost}"
MESSAGE="${MESSAGE:-hello from ferrotls demo}"
TIMEOUT="${TIMEOUT:-20}"

for f in "$FERROTLS" "$CA" "$CHAIN" "$KEY"; do
    [ -e "$f" ] || { echo "demo: $f is missing (run make build; fixtures come from tests/fixtures)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts `ferrotls server --port 0 --once` in the background and sets PORT from its `listening on` line.
start_server() {
    : > "$WORK/server.out"
    "$FERROTLS" server --host 127.0.0.1 --port 0 --cert "$CHAIN" --key "$KEY" --once \
        > "$WORK/server.out" 2> "$WORK/server.err" < /dev/null &
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 1 $((TIMEOUT * 10))); do
        PORT="$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$WORK/server.out" | head -n1)"
        [ -n "$PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "demo: the server did not print 'listening on ADDR:PORT':" >&2
    cat "$WORK/server.out" "$WORK/server.err" >&2
    exit 1
}

wait_server() {
    local rc=0
    for _ in $(seq 1 $((TIMEOUT * 10))); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "demo: the server did not exit after one connection" >&2; kill "$SERVER_PID"; exit 1
    fi
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    [ $rc -eq 0 ] || { echo "demo: server exited $rc: $(cat "$WORK/server.err")" >&2; exit 1; }
}

echo "== ferrotls demo: server on 127.0.0.1 (--port 0), client verifying against $CA"
start_server
echo "server: $(head -n1 "$WORK/server.out")"
echo "\$ ferrotls client 127.0.0.1:$PORT --servername $SERVERNAME --cafile $CA --send '$MESSAGE' --json"
timeout "$TIMEOUT" "$FERROTLS" client "127.0.0.1:$PORT" --servername "$SERVERNAME" --cafile "$CA" \
    --send "$MESSAGE" --json < /dev/null > "$WORK/client.json"
wait_server

python3 - "$WORK/client.json" "$MESSAGE" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print()
print(json.dumps(j, indent=2))
print()
print("negotiated:")
print(f"  version  {j['version']}")
print(f"  cipher   {j['cipher']}")
print(f"  verified {j['verified']}")
print(f"  echoed   {j['received']!r}")
for i, c in enumerate(j.get("peer_certificates", [])):
    print(f"server certificate [{i}]:")
    for k in ("subject", "issuer", "serial", "not_before", "not_after"):
        print(f"  {k:<10} {c.get(k)}")
if j["received"] != sys.argv[2]:
    sys.exit("demo: the echo differs from what was sent")
PY

echo
echo "== the same, human-readable (no --json)"
start_server
echo "\$ ferrotls client 127.0.0.1:$PORT --servername $SERVERNAME --cafile $CA --send '$MESSAGE'"
timeout "$TIMEOUT" "$FERROTLS" client "127.0.0.1:$PORT" --servername "$SERVERNAME" --cafile "$CA" \
    --send "$MESSAGE" < /dev/null
echo
wait_server
echo "== demo done"
