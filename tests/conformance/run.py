#!/usr/bin/env python3
"""Runs tlsfuzzer scripts against `ferrotls server --www` with our own expectations.

    run.py --tlsfuzzer DIR --python VENV_PYTHON --ferrotls BIN [--expectations FILE]
           [--out DIR] [--only SCRIPT ...]

DIR is a checkout of https://github.com/tlsfuzzer/tlsfuzzer (never part of this repository).
For each [[script]] of the expectations file (tests/conformance/expectations.toml), a fresh
server is started on a free loopback port with the script's server profile, the script runs with
its arguments plus `-x NAME [-X MESSAGE]` for every expected failure and `-e NAME` for every
excluded probe, bounded by its timeout. tlsfuzzer itself fails a script on an unexpected failure
and on an unexpected pass (XPASS), and so does this runner. Logs go to OUT/<script>.log, and
OUT/results.md is the table docs/conformance.md records. Exit 0 only when every script passed.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

# Server profiles: the `ferrotls server` options each script needs besides --www and the port.
PROFILES = {
    "default": [],
    "legacy": ["--legacy", "--min-version", "1.0"],
    "client-auth": ["--verify-client", str(FIXTURES / "intermediate.pem"), "--require-client-cert"],
    "client-auth-legacy": ["--legacy", "--min-version", "1.0", "--verify-client", str(FIXTURES / "intermediate.pem"),
                           "--require-client-cert"],
    # An ECDSA P-256 certificate beside the RSA one: the server picks per ClientHello (suites and
    # signature_algorithms), so ECDHE-ECDSA scripts get the ECDSA key and the rest the RSA key.
    "dual": ["--cert", str(FIXTURES / "ecdsa-p256-leaf.pem"), "--key", str(FIXTURES / "ecdsa-p256-leaf.key")],
    # Client certificates from the ECDSA P-256 root (tests/fixtures/ecdsa-p256-client.pem).
    "client-auth-ecdsa": ["--verify-client", str(FIXTURES / "ecdsa-p256-ca.pem"), "--require-client-cert"],
    # Client certificates asked for, not required (test-tls13-certificate-request's sanity sends none).
    "client-auth-optional": ["--verify-client", str(FIXTURES / "intermediate.pem")],
    "client-auth-ecdsa-optional": ["--verify-client", str(FIXTURES / "ecdsa-p256-ca.pem")],
    # Ed25519 beside RSA (test-tls13-eddsa expects ECDSA-only clients to be refused).
    "ed25519": ["--cert", str(FIXTURES / "ed25519-leaf.pem"), "--key", str(FIXTURES / "ed25519-leaf.key")],
    # TLS 1.2 only (TLS 1.3 is on by default): for scripts about a server without TLS 1.3.
    "tls12": ["--max-version", "1.2"],
    # Every key type beside the RSA one (ECDSA P-256 and P-384, Ed25519): the TLS 1.3 scripts
    # that offer only one signature scheme get the certificate that can make it.
    "all-keys": ["--cert", str(FIXTURES / "ecdsa-p256-leaf.pem"), "--key", str(FIXTURES / "ecdsa-p256-leaf.key"),
                 "--cert", str(FIXTURES / "ecdsa-p384-leaf.pem"), "--key", str(FIXTURES / "ecdsa-p384-leaf.key"),
                 "--cert", str(FIXTURES / "ed25519-leaf.pem"), "--key", str(FIXTURES / "ed25519-leaf.key")],
}


def start_server(ferrotls, profile, extra, log, www=True):
    # Without --www the server echoes what it reads (test-tls13-lengths wants its data back).
    cmd = [ferrotls, "server"] + (["--www"] if www else []) + ["--host", "127.0.0.1", "--port", "0",
           "--cert", str(FIXTURES / "server-chain.pem"), "--key", str(FIXTURES / "server.key")]
    cmd += PROFILES[profile] + [str(a) for a in extra]
    log.write("$ " + " ".join(cmd) + "\n")
    log.flush()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline()  # "listening on 127.0.0.1:PORT"
    m = re.search(r":(\d+)$", line.strip())
    if not m:
        proc.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    return proc, int(m.group(1))


def summary(text):
    """tlsfuzzer's closing counts, e.g. {'PASS': 10, 'FAIL': 0, ...}."""
    counts = {}
    for key in ("TOTAL", "SKIP", "PASS", "XFAIL", "FAIL", "XPASS"):
        found = re.findall(rf"^{key}: (\d+)$", text, re.M)
        if found:
            counts[key] = int(found[-1])
    return counts


def run_script(args, entry, out_dir):
    name = entry["name"]
    # A script listed more than once (other arguments) gets a label: its log is <script>-<label>.log.
    label = f"-{entry['label']}" if "label" in entry else ""
    log_path = out_dir / (name.removesuffix(".py") + label + ".log")
    with open(log_path, "w") as log:
        server, port = start_server(args.ferrotls, entry.get("server", "default"), entry.get("server_args", []), log,
                                    entry.get("www", True))
        cmd = [args.python, str(Path(args.tlsfuzzer) / "scripts" / name), "-h", "127.0.0.1", "-p", str(port)]
        cmd += [str(a) for a in entry.get("args", [])]
        for e in entry.get("expect", []):
            if "reason" not in e:
                raise ValueError(f"{name}: every expectation needs a reason")
            for probe in e["probes"]:
                if e["kind"] == "exclude":
                    cmd += ["-e", probe]
                elif e["kind"] == "xfail":
                    cmd += ["-x", probe]
                    if "message" in e:
                        cmd += ["-X", e["message"]]
                else:
                    raise ValueError(f"{name}: unknown expectation kind {e['kind']!r}")
        cmd += [str(a) for a in entry.get("probes", [])]
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        timeout = entry.get("timeout", 600)
        started = time.monotonic()
        env = dict(os.environ, PYTHONPATH=str(Path(args.tlsfuzzer)))
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=timeout, env=env, start_new_session=True)
            output, rc, timed_out = p.stdout, p.returncode, False
        except subprocess.TimeoutExpired as e:
            output = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            rc, timed_out = None, True
        elapsed = time.monotonic() - started
        log.write(output)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    counts = summary(output)
    ok = rc == 0 and not timed_out
    if "script_fails" in entry:
        # The whole script is expected to fail (it cannot get past a known difference); passing
        # is an unexpected pass, as tlsfuzzer treats an XPASS.
        ok = not ok and not timed_out
    failed = re.findall(r"^FAILED:\n((?:\t.*\n)+)", output, re.M)
    xpassed = re.findall(r"^XPASSED:\n((?:\t.*\n)+)", output, re.M)
    return {
        "name": name, "ok": ok, "rc": rc, "timed_out": timed_out, "elapsed": elapsed, "counts": counts,
        "failed": [l.strip() for block in failed for l in block.splitlines()],
        "xpassed": [l.strip() for block in xpassed for l in block.splitlines()],
        "log": log_path,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tlsfuzzer", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--ferrotls", required=True)
    ap.add_argument("--expectations", default=str(ROOT / "tests" / "conformance" / "expectations.toml"))
    ap.add_argument("--out", default=str(ROOT / "build" / "conformance"))
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    if not (Path(args.tlsfuzzer) / "scripts").is_dir():
        sys.exit(f"conformance: {args.tlsfuzzer} is not a tlsfuzzer checkout (no scripts/)")
    with open(args.expectations, "rb") as f:
        scripts = tomllib.load(f)["script"]
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    skipped = []
    for entry in scripts:
        if args.only and entry["name"] not in args.only:
            continue
        if "not_applicable" in entry:
            skipped.append(entry)
            print(f"conformance: n/a     {entry['name']:55} {entry['not_applicable']}")
            continue
        r = run_script(args, entry, out_dir)
        c = r["counts"]
        status = "pass" if r["ok"] else ("TIMEOUT" if r["timed_out"] else "FAIL")
        if "script_fails" in entry:
            status = "xfail" if r["ok"] else "XPASS"
        print(f"conformance: {status:7} {r['name']:55} {c.get('PASS', '?'):>5} pass {c.get('XFAIL', 0):>3} xfail "
              f"{c.get('SKIP', 0):>3} skip {c.get('FAIL', '?'):>3} fail {c.get('XPASS', 0):>2} xpass  {r['elapsed']:6.1f} s",
              flush=True)
        for probe in r["failed"]:
            print(f"conformance:     failed: {probe}")
        for probe in r["xpassed"]:
            print(f"conformance:     unexpectedly passed: {probe}")
        results.append((entry, r))
    write_results(out_dir / "results.md", results, skipped)
    bad = [r["name"] for _, r in results if not r["ok"]]
    print(f"conformance: {len(results) - len(bad)}/{len(results)} scripts as expected; table in {out_dir / 'results.md'}")
    if bad:
        print("conformance: not as expected: " + ", ".join(bad))
        sys.exit(1)


def write_results(path, results, skipped):
    lines = ["| script | server | result | pass | expected failures | excluded | fail | xpass | seconds |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for entry, r in results:
        c = r["counts"]
        status = "pass" if r["ok"] else ("**timeout**" if r["timed_out"] else "**FAIL**")
        if "script_fails" in entry:
            status = "expected failure" if r["ok"] else "**unexpected pass**"
        # The profile, and server_args when the script adds some (e.g. --hrr-cookie).
        server = " ".join([entry.get("server", "default")] + [f"`{a}`" for a in entry.get("server_args", [])])
        lines.append(f"| `{r['name']}` {' '.join(str(a) for a in entry.get('args', []))} | {server} | "
                     f"{status} | {c.get('PASS', '?')} | {c.get('XFAIL', 0)} | {c.get('SKIP', 0)} | {c.get('FAIL', '?')} | "
                     f"{c.get('XPASS', 0)} | {r['elapsed']:.0f} |")
    for entry in skipped:
        lines.append(f"| `{entry['name']}` | | not run: {entry['not_applicable']} | | | | | | |")
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
