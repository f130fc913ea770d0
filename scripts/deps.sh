#!/usr/bin/env bash
# Install what the interop tests need, only where it is missing (idempotent).
#   - gnutls-cli / gnutls-serv  (Debian package gnutls-bin)
#   - openssl                   (Debian package openssl)
#   - tshark, dumpcap           (Debian package tshark; the key log test)
#   - python3 with venv         (Debian packages python3, python3-venv)
#   - tlslite-ng                (PyPI, into $VENV)
#   - kyber-py                  (PyPI, into $VENV: tlslite-ng's ML-KEM, for X25519MLKEM768 interop)
#   - pytest, wheel             (PyPI, into $VENV; the Python bindings' tests and their install)
#   - requests, httpx, aiohttp, websockets, trio, ... (PyPI, into $VENV, pinned in
#     bindings/python/tests/requirements.txt: the libraries the Python binding is tested inside)
# Prints every step it takes.
set -euo pipefail

VENV="${VENV:-build/venv}"
TLSLITE_SPEC="${TLSLITE_SPEC:-tlslite-ng>=0.8,<0.9}"
PYTEST_SPEC="${PYTEST_SPEC:-pytest>=7,<9}"
KYBER_SPEC="${KYBER_SPEC:-kyber-py>=1.2,<2}"
WHEEL_SPEC="${WHEEL_SPEC:-wheel}"  # pip install --no-build-isolation of bindings/python needs it

cd "$(dirname "$0")/.."

say() { echo "deps: $*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        say "not root and no sudo: cannot install system packages"; fi
fi

APT_UPDATED=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        say "apt-get not found: please install $* by hand"; return 1
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@"
}

if command -v gnutls-cli >/dev/null 2>&1 && command -v gnutls-serv >/dev/null 2>&1; then
    say "gnutls-cli and gnutls-serv present ($(gnutls-cli --version | head -n1))"
else
    apt_install gnutls-bin
fi

if command -v openssl >/dev/null 2>&1; then
    say "openssl present ($(openssl version))"
else
    apt_install openssl
fi

# tshark/dumpcap (Debian tshark): tests/keylog.rs captures a session on loopback and decrypts it
# with the key log. The package asks whether non-root users may capture; answer no (tests run as
# root) so the install stays non-interactive.
if command -v tshark >/dev/null 2>&1 && command -v dumpcap >/dev/null 2>&1; then
    say "tshark present ($(tshark --version 2>/dev/null | head -n1))"
else
    if command -v debconf-set-selections >/dev/null 2>&1; then
        echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
    fi
    apt_install tshark
fi

if command -v python3 >/dev/null 2>&1; then
    say "python3 present ($(python3 --version 2>&1))"
else
    apt_install python3 python3-venv
fi

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import tlslite' >/dev/null 2>&1; then
    say "tlslite-ng present in $VENV ($("$VENV/bin/python" -c 'import tlslite; print(tlslite.__version__)'))"
else
    if [ ! -x "$VENV/bin/python" ]; then
        say "python3 -m venv $VENV"
        if ! python3 -m venv "$VENV"; then
            rm -rf "$VENV"
            apt_install python3-venv
            python3 -m venv "$VENV"
        fi
    fi
    say "$VENV/bin/pip install '$TLSLITE_SPEC'"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$TLSLITE_SPEC"
    say "tlslite-ng $("$VENV/bin/python" -c 'import tlslite; print(tlslite.__version__)') installed in $VENV"
fi
if "$VENV/bin/python" -c 'import kyber_py' >/dev/null 2>&1; then
    say "kyber-py present in $VENV"
else
    say "$VENV/bin/pip install '$KYBER_SPEC'"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$KYBER_SPEC"
fi
if "$VENV/bin/python" -c 'import pytest, wheel' >/dev/null 2>&1; then
    say "pytest present in $VENV ($("$VENV/bin/python" -m pytest --version 2>&1 | head -n1))"
else
    say "$VENV/bin/pip install '$PYTEST_SPEC' '$WHEEL_SPEC'"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$PYTEST_SPEC" "$WHEEL_SPEC"
fi
# The libraries the binding's tests run it inside: reinstalled when requirements.txt changes.
PY_REQS=bindings/python/tests/requirements.txt
PY_STAMP="$VENV/.ferrotls-python-test-requirements"
if [ -f "$PY_STAMP" ] && cmp -s "$PY_REQS" "$PY_STAMP"; then
    say "binding test libraries present in $VENV ($PY_REQS)"
else
    say "$VENV/bin/pip install -r $PY_REQS"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$PY_REQS"
    cp "$PY_REQS" "$PY_STAMP"
fi
say "done"
