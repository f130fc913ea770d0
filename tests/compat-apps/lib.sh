# Shared by the compat-apps test scripts (sourced). They run inside a private network namespace
# (run.sh starts them with `unshare --net`): only a loopback interface, so fixed ports such as
# sslecho's 4433 cannot collide with anything else on the machine, and nothing leaves it.
F=$PWD/tests/fixtures
APPS=$PWD/build/apps
FERRO=$APPS/ferrotls OSSL=$APPS/openssl
passed=${passed:-0} failed=${failed:-0}
PIDS=()
TMP=$(mktemp -d)
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
ok()  { passed=$((passed + 1)); echo "  ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
# check NAME CONDITION...: ok when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
wait_listen() { for _ in $(seq 1 200); do [[ $(ss -ltn "sport = :$1") == *LISTEN* ]] && return 0; sleep 0.05; done; return 1; }
stop_all() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; }; done; PIDS=(); }
# What both libraries negotiate today (TLS <= 1.2, RSA key exchange, AES-CBC): the peers we
# control are limited to it; the programs keep their defaults.
PY_CIPHERS="AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA"

# A Python TLS 1.2 HTTP server for one request: answers "HTTP/1.0 200 OK" and a body line, then
# sends close_notify (what the guide's clients wait for). $1 port, $2 chain, $3 key.
peer_http() {
    timeout 30 python3 - "$@" > "$TMP/peer.log" 2>&1 <<'PY' &
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers("AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA")
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv = socket.create_server(("127.0.0.1", int(sys.argv[1])))
conn, _ = srv.accept()
try:
    tls = ctx.wrap_socket(conn, server_side=True)
except ssl.SSLError as e:
    print("handshake failed:", e); sys.exit(0)
req = b""
while b"\r\n\r\n" not in req:
    d = tls.recv(4096)
    if not d: break
    req += d
print("request:", req.split(b"\r\n")[0].decode())
tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from the python peer\n")
tls.unwrap()
PY
    PIDS+=($!)
    wait_listen "$1"
}

# A Python TLS 1.2 client: sends $3, prints what comes back, then closes with close_notify.
# $1 port, $2 CA file.
py_echo_client() {
    timeout 30 python3 - "$@" <<'PY'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers("AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA")
ctx.load_verify_locations(sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20) as s:
    with ctx.wrap_socket(s, server_hostname="localhost") as tls:
        tls.sendall(sys.argv[3].encode())
        got = b""
        while len(got) < len(sys.argv[3]):
            d = tls.recv(4096)
            if not d: break
            got += d
        print("echoed:", got.decode().strip(), "version:", tls.version())
        try:
            tls.unwrap()  # our close_notify; the guide's server frees its SSL without answering
        except (ssl.SSLEOFError, OSError):
            pass
PY
}

# A Python TLS 1.2 HTTPS server answering every request until it is stopped: "hello over https"
# and, in $TMP/https.log, one line per request with the path, the negotiated version and suite,
# and the client certificate's CN (or "none"). A failed handshake is logged too.
# $1 port, $2 chain, $3 key, $4 (optional) CA file: then a client certificate is required.
peer_https() {
    timeout 120 python3 - "$@" >> "$TMP/https.log" 2>&1 <<'PY' &
import socket, ssl, sys, threading
port, chain, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers("AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA")
ctx.load_cert_chain(chain, key)
if len(sys.argv) > 4:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(sys.argv[4])
srv = socket.create_server(("127.0.0.1", port))
def serve(conn):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("handshake failed:", e, flush=True); conn.close(); return
    try:
        req = b""
        while b"\r\n\r\n" not in req:
            d = tls.recv(4096)
            if not d: break
            req += d
        peer = tls.getpeercert()
        cn = dict(x[0] for x in peer["subject"]).get("commonName", "?") if peer else "none"
        line = req.split(b"\r\n")[0].decode(errors="replace")
        print(f"request: {line} version: {tls.version()} cipher: {tls.cipher()[0]} client: {cn}", flush=True)
        body = b"hello over https\n"
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        tls.unwrap()
    except (ssl.SSLError, OSError) as e:
        print("connection failed:", e, flush=True)
    finally:
        conn.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
    PIDS+=($!)
    wait_listen "$1"
}
