# ferrotls: the single entry point.  make | make demo | make test | make deps | make lint | make clean
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

.PHONY: all build demo test deps lint lint-grep clean

all: build

## build: release build of every target (library, cdylib/staticlib, the ferrotls binary)
build:
	$(CARGO) build --release --all-targets

## demo: ferrotls server + client on loopback; prints what was negotiated and the server certificate
demo: build
	CA=$(CA) CHAIN=$(CHAIN) KEY=$(KEY) FERROTLS_BIN=$(FERROTLS_BIN) scripts/demo.sh

## test: every test: unit, integration, interop (peers installed by deps)
test: build deps lint
	$(CARGO) test --release --all-targets --no-fail-fast
	$(CARGO) test --release --doc

## deps: install what the interop tests need, where missing (gnutls-bin, openssl, python3 venv + tlslite-ng)
deps:
	VENV=$(VENV) scripts/deps.sh

## lint: clippy (warnings are errors), rustfmt check, module-boundary greps
lint: lint-grep
	$(CARGO) clippy --release --all-targets -- -D warnings
	$(CARGO) fmt --all -- --check

lint-grep:
	scripts/lint-grep.sh

clean:
	$(CARGO) clean
	rm -rf build
