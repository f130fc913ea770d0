"""Fixtures: the repository's certificates, and real servers started per test (openssl s_server,
the ferrotls command, Python's own ssl), each on a free port and stopped by PID afterwards."""
from __future__ import annotations

import os
import re
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Iterator, List, Optional

import pytest

import ferrotls
from ferrotls._lib import has

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures"
FERROTLS_BIN = os.environ.get("FERROTLS_BIN", str(ROOT / "target" / "release" / "ferrotls"))

MUTUAL_AUTH = has("ferrotls_client_verifier_new") and has("ferrotls_client_config_builder_set_client_cert")
needs_mtls = pytest.mark.skipif(not MUTUAL_AUTH, reason="needs the mutual-authentication C API (branch ffi-mtls)")


def fx(name: str) -> str:
    return str(FIX / name)


class Server:
    """A server process; `port` is parsed from its first output lines."""

    def __init__(self, argv: List[str], pattern: str, stdin: Optional[int] = subprocess.DEVNULL) -> None:
        self.proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
        self.lines: List[str] = []
        deadline = time.time() + 10
        self.port = 0
        assert self.proc.stdout is not None
        while time.time() < deadline:
            line = self.proc.stdout.readline().decode(errors="replace")
            if not line:
                break
            self.lines.append(line)
            m = re.search(pattern, line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            self.stop()
            raise RuntimeError(f"server did not start: {argv}\n{''.join(self.lines)}")
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append(raw.decode(errors="replace"))

    def output(self) -> str:
        return "".join(self.lines)

    def wait(self, timeout: float = 10) -> int:
        rc = self.proc.wait(timeout)
        self._reader.join(2)
        return rc

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)


@pytest.fixture
def servers() -> Iterator[List[Server]]:
    started: List[Server] = []
    yield started
    for s in started:
        s.stop()


@pytest.fixture
def openssl_www(servers: List[Server]):
    """openssl s_server -www (sends the server chain: -cert_chain) on a free port; extra args allowed."""

    def start(*extra: str) -> Server:
        s = Server(["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-cert", fx("server.pem"),
                    "-cert_chain", fx("intermediate.pem"), "-key", fx("server.key"),
                    "-cipher", "AES128-SHA:AES256-SHA:AES128-SHA256:@SECLEVEL=0", *extra], r"ACCEPT .*:(\d+)")
        servers.append(s)
        return s

    return start


@pytest.fixture
def ferrotls_server(servers: List[Server]):
    """The ferrotls command's echo server on a free port; extra args allowed."""

    def start(*extra: str, chain: str = "server-chain.pem") -> Server:
        s = Server([FERROTLS_BIN, "server", "--host", "127.0.0.1", "--port", "0", "--cert", fx(chain),
                    "--key", fx("server.key"), *extra], r"listening on .*:(\d+)")
        servers.append(s)
        return s

    return start


@pytest.fixture
def client_ctx() -> ferrotls.SSLContext:
    """A ferrotls client context trusting the fixtures' CA."""
    return ferrotls.create_default_context(cafile=fx("ca.pem"))


@pytest.fixture
def server_ctx() -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    return ctx


def stdlib_client_ctx(cafile: str = "ca.pem") -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=fx(cafile))
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("AES128-SHA:AES256-SHA:@SECLEVEL=0")
    return ctx


def stdlib_server_ctx(chain: str = "server-chain.pem") -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("AES128-SHA:AES256-SHA:@SECLEVEL=0")
    ctx.load_cert_chain(fx(chain), fx("server.key"))
    return ctx
