# ferrotls: the single entry point.  make | make demo | make test | make bench | make deps | make lint | make clean
SHELL := /bin/bash
.DEFAULT_GOAL := build

CARGO    ?= cargo
FIXTURES ?= tests/fixtures
CA       ?= $(FIXTURES)/ca.pem
CHAIN    ?= $(FIXTURES)/server-chain.pem
KEY      ?= $(FIXTURES)/server.key
VENV     ?= build/venv
FERROTLS ?= target/release/ferrotls

export VENV
export FERROTLS_BIN ?= $(CURDIR)/$(FERROTLS)
export TLSLITE_PYTHON ?= $(CURDIR)/$(VENV)/bin/python

.PHONY: all build demo test bench ssl-dev deps lint lint-grep clean

all: build

## build: release build of every target (library, cdylib/staticlib, the ferrotls binary)
build: ssl-dev
	$(CARGO) build --release --all-targets

## demo: ferrotls server + client on loopback; prints what was negotiated and the server certificate
demo: build
	CA=$(CA) CHAIN=$(CHAIN) KEY=$(KEY) FERROTLS_BIN=$(FERROTLS_BIN) scripts/demo.sh

## test: every test: unit, integration, interop (peers installed by deps)
test: build deps lint
	$(CARGO) test --release --all-targets --no-fail-fast
	$(CARGO) test --release --doc
	BENCH_QUICK=1 $(MAKE) --no-print-directory bench

## bench: ferrotls vs the system OpenSSL in one process: a table, and build/bench.json with every
## figure (docs/performance.md). BENCH_QUICK=1 make bench: seconds, proves the harness works.
bench: ssl-dev
	$(CARGO) bench --bench tls

## ssl-dev: the OpenSSL headers and pkg-config the bench's `openssl` crate builds against
ssl-dev:
	@pkg-config --exists openssl 2>/dev/null || { \
	    echo "deps: apt-get install -y libssl-dev pkg-config"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libssl-dev pkg-config; }

## deps: install what the interop tests need, where missing (gnutls-bin, openssl, python3 venv + tlslite-ng)
deps:
	VENV=$(VENV) scripts/deps.sh

## lint: clippy (warnings are errors), rustfmt check, module-boundary greps
lint: ssl-dev lint-grep
	$(CARGO) clippy --release --all-targets -- -D warnings
	$(CARGO) fmt --all -- --check

lint-grep:
	scripts/lint-grep.sh

clean:
	$(CARGO) clean
	rm -rf build
