# ferrotls: the single entry point.  make | make demo | make test | make bench | make deps | make lint | make clean
#                                    make header | make c-examples | make c-test | make install PREFIX=...
#                                    make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS=...] | make fuzz-corpus
#                                    make conformance TLSFUZZER=DIR
SHELL := /bin/bash
.DEFAULT_GOAL := all

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

# --- C API ----------------------------------------------------------------------------------------
# cbindgen is pinned: a different version formats the header differently and header-check would fail.
CBINDGEN_VERSION := 0.29.4
CBINDGEN  := build/tools/bin/cbindgen
# The version macros in include/ferrotls.h come from here (Cargo.toml), never from hand edits.
VERSION   := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
V_CORE    := $(firstword $(subst -, ,$(VERSION)))
V_MAJOR   := $(word 1,$(subst ., ,$(V_CORE)))
V_MINOR   := $(word 2,$(subst ., ,$(V_CORE)))
V_PATCH   := $(word 3,$(subst ., ,$(V_CORE)))
LIBDIR    := target/release
BINDIR    := build/bin
PREFIX    ?= /usr/local
CC        ?= cc
C_WARN    := -Wall -Wextra -Werror -std=c11 -D_POSIX_C_SOURCE=200809L
C_FLAGS   ?= -O2 -g
C_LINK    := -L$(LIBDIR) -lferrotls -Wl,-rpath,$(CURDIR)/$(LIBDIR) -lpthread
C_EXAMPLES := tls_client tls_server nonblocking_client callback_client sans_io_pair
C_TESTS   := api_test misuse_test keylog_test sni_test session13_test

.PHONY: all build demo test bench ssl-dev deps lint lint-grep clean header header-check c-examples c-tests c-symbols c-test install \
        openssl-compat-test compat-apps dropin
.PHONY: python-lib python-test cpp-examples cpp-tests cpp-test
.PHONY: fuzz fuzz-build fuzz-corpus fuzz-fmt fuzz-nightly conformance

all: build c-examples

## build: release build of every target (library, cdylib/staticlib, the ferrotls binary)
build: ssl-dev
	$(CARGO) build --release --all-targets

## demo: ferrotls server + client on loopback; prints what was negotiated and the server certificate
demo: build
	CA=$(CA) CHAIN=$(CHAIN) KEY=$(KEY) FERROTLS_BIN=$(FERROTLS_BIN) scripts/demo.sh

## test: every test: unit, integration, interop (peers installed by deps). First the build, with the
## peers' install (deps) and the pinned cbindgen beside it; then the stages of TEST_STAGES, three at
## a time (TEST_JOBS): most of them wait on peers, timeouts and downloads rather than compute, and
## the machine has 2 cores. Each stage's output is printed in one piece when it ends, with its wall
## and CPU time (scripts/stage.sh); a stage that fails does not stop the others, and `make test`
## fails at the end, naming it. One stage alone: `make STAGE` (e.g. make cargo-test).
TEST_FIRST  := build deps cbindgen prime test-programs
TEST_STAGES := lint compat-apps c-test-valgrind c-test-quick cargo-test rustcrypto-test openssl-compat-test \
               python-test cpp-test bench-quick doc-test
TEST_JOBS   ?= 3
.PHONY: cbindgen prime test-programs c-test-quick c-test-valgrind cargo-test doc-test rustcrypto-test bench-quick $(addprefix stage-,$(TEST_FIRST) $(TEST_STAGES))
test:
	@scripts/stage.sh --reset
	@# -O: each job's output in one piece. 9>&1: scripts/stage.sh says there when a stage starts and ends.
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) -Orecurse $(addprefix stage-,$(TEST_FIRST)) 9>&1 \
	    || { scripts/stage.sh --summary; exit 1; }
	@$(MAKE) --no-print-directory -k -j$(TEST_JOBS) -Orecurse $(addprefix stage-,$(TEST_STAGES)) 9>&1; \
	    scripts/stage.sh --summary; scripts/stage.sh --check

# A stage of `make test`: its make target, timed. ssl-dev first, so that no two apt-get run at once.
# The later stages run with build/deps/ssl-dev
# marked done (-o), so they do not queue for cargo's lock on target/ only to find nothing to build;
# the `-` lets the other stages go on when one fails, and `scripts/stage.sh --check` fails the run.
$(addprefix stage-,$(TEST_FIRST)): stage-%: ssl-dev
	@scripts/stage.sh $* $(MAKE) --no-print-directory $*
$(addprefix stage-,$(TEST_STAGES)): stage-%:
	-@scripts/stage.sh $* $(MAKE) --no-print-directory -o build -o deps -o ssl-dev PRIME=: $*
# The copies for target/rustcrypto and target/bench are made once the build is done and before
# clippy writes into target/release (the stages then skip them: PRIME=:).
stage-prime: stage-build
# The C and C++ programs the stages share, compiled before they start (two stages must not compile
# the same file at once).
stage-test-programs: stage-build
test-programs: c-tests cpp-tests python-lib
PRIME ?= scripts/prime-target.sh
prime:
	$(PRIME) target/rustcrypto
	$(PRIME) target/bench

## cargo-test / doc-test: the Rust unit, integration and interop tests; the doc tests
cargo-test: build deps
	$(CARGO) test --release --lib --bins --tests --no-fail-fast
doc-test: build
	$(CARGO) test --release --doc

## rustcrypto-test: the pure-Rust library (no aws-lc): the unit tests and the in-process suites, where
## the process-wide default provider is RustCrypto. The interop suites run once, on the default
## (aws-lc), and tests/interop.rs pairs a ferrotls client and server on the two providers;
## tests/c/api_test.c runs on RustCrypto through ferrotls_set_default_provider. Its own target
## directory (another feature set of ferrotls), primed with target/release's dependencies.
rustcrypto-test: build
	$(PRIME) target/rustcrypto
	CARGO_TARGET_DIR=target/rustcrypto $(CARGO) test --release --no-default-features \
	    --features rustcrypto,openssl-compat --lib --test api --test x509 --test certs --no-fail-fast
	@# clippy on what only this build compiles (code under cfg(not(feature = "aws-lc")))
	CARGO_TARGET_DIR=target/rustcrypto $(CARGO) clippy --release --no-default-features \
	    --features rustcrypto,openssl-compat --lib --test api --test x509 --test certs -- -D warnings

## bench-quick: BENCH_QUICK=1 make bench (what make test runs: proves the harness works)
bench-quick:
	BENCH_QUICK=1 $(MAKE) --no-print-directory bench

## bench: ferrotls vs the system OpenSSL in one process: a table, and build/bench.json with every
## figure (docs/performance.md). BENCH_QUICK=1 make bench: seconds, proves the harness works.
bench: ssl-dev
	@# Without openssl-compat, in its own target dir: the bench links the system OpenSSL, whose
	@# symbols our OpenSSL-compatible exports would otherwise shadow, and target/release keeps the
	@# libferrotls.so the C tests use. The dependencies are target/release's, copied (prime-target.sh).
	$(PRIME) target/bench
	CARGO_TARGET_DIR=target/bench $(CARGO) bench --bench tls --no-default-features --features aws-lc
	@# The chart (SVG) of ferrotls ÷ OpenSSL per row, from build/bench.json; a full run (not
	@# quick, not limited to some rows or figures) also refreshes the copy docs/performance.md and
	@# the README link.
	python3 scripts/bench-chart.py build/bench.json build/bench.svg $(if $(BENCH_QUICK)$(BENCH_ROWS)$(BENCH_BULK_ONLY)$(BENCH_RESUMED_ONLY)$(filter 0,$(BENCH_PRIMS)),,docs/bench.svg)

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
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check

lint-grep:
	scripts/lint-grep.sh

clean:
	$(CARGO) clean
	rm -rf build

## header: regenerate include/ferrotls.h with the pinned cbindgen (version macros from Cargo.toml)
header: $(CBINDGEN)
	$(call gen_header,include/ferrotls.h)

## header-check: fail when the committed header differs from a fresh generation
header-check: $(CBINDGEN)
	$(call gen_header,build/ferrotls.h.fresh)
	@cmp -s include/ferrotls.h build/ferrotls.h.fresh || { \
	  diff -u include/ferrotls.h build/ferrotls.h.fresh | head -40; \
	  echo "include/ferrotls.h is stale: run 'make header' and commit it"; exit 1; }
	@echo "header-check: include/ferrotls.h is up to date"

# $(call gen_header,OUT): cbindgen.toml plus an after_includes block with the version macros.
define gen_header
	@mkdir -p build
	@{ printf 'after_includes = """\n'; \
	   printf '/** The version this header was generated for (Cargo.toml); compare with ferrotls_version(). */\n'; \
	   printf '#define FERROTLS_VERSION_STRING "%s"\n' '$(VERSION)'; \
	   printf '/** Major version. */\n#define FERROTLS_VERSION_MAJOR %s\n' '$(V_MAJOR)'; \
	   printf '/** Minor version. */\n#define FERROTLS_VERSION_MINOR %s\n' '$(V_MINOR)'; \
	   printf '/** Patch version. */\n#define FERROTLS_VERSION_PATCH %s\n' '$(V_PATCH)'; \
	   printf '/** MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */\n'; \
	   printf '#define FERROTLS_VERSION_NUMBER %s\n' '$(shell echo $$(( $(V_MAJOR) * 10000 + $(V_MINOR) * 100 + $(V_PATCH) )))'; \
	   printf '"""\n'; cat cbindgen.toml; } > build/cbindgen.toml
	$(CBINDGEN) --quiet --config build/cbindgen.toml --crate ferrotls --output $(1)
endef

cbindgen: $(CBINDGEN)
# --debug: the same version and output (header-check passes with it), built in ~85 s of CPU instead
# of ~210 s; it runs for about 2 s.
$(CBINDGEN):
	cargo install cbindgen --version $(CBINDGEN_VERSION) --locked --debug --root build/tools

$(LIBDIR)/libferrotls.so $(LIBDIR)/libferrotls.a: $(wildcard src/*.rs src/*/*.rs src/*/*/*.rs) build.rs Cargo.toml
	$(CARGO) build --release --lib
	@# The SONAME is libferrotls.so.$(V_MAJOR): binaries linked here look for that name at run time.
	ln -sf libferrotls.so $(LIBDIR)/libferrotls.so.$(V_MAJOR)

## c-examples: the C examples in c-examples/, built into build/bin/ against target/release/libferrotls.so
c-examples: $(addprefix $(BINDIR)/,$(C_EXAMPLES))

$(BINDIR)/%: c-examples/%.c c-examples/common.h include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)
	@ln -sf libferrotls.so $(LIBDIR)/libferrotls.so.$(V_MAJOR)
	$(CC) $(C_WARN) $(C_FLAGS) -Iinclude -o $@ $< $(C_LINK)

# The C tests and the examples again, with AddressSanitizer + UBSan, under build/bin/asan/.
c-tests: c-examples $(addprefix $(BINDIR)/,$(C_TESTS)) \
         $(addprefix $(BINDIR)/asan/,$(C_EXAMPLES) $(C_TESTS)) $(BINDIR)/cxx_header_test

$(BINDIR)/%: tests/c/%.c include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)
	$(CC) $(C_WARN) $(C_FLAGS) -Iinclude -o $@ $< $(C_LINK)

$(BINDIR)/asan/%: c-examples/%.c c-examples/common.h include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/asan
	$(CC) $(C_WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude -o $@ $< $(C_LINK)

$(BINDIR)/asan/%: tests/c/%.c include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/asan
	$(CC) $(C_WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude -o $@ $< $(C_LINK)

# C++ includes the header directly (extern "C" guards).
$(BINDIR)/cxx_header_test: tests/c/cxx_header_test.cpp include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)
	c++ -Wall -Wextra -Werror -std=c++17 -Iinclude -o $@ $< $(C_LINK)

## c-symbols: libferrotls.so has SONAME libferrotls.so.$(V_MAJOR); it exports the ferrotls_* functions of
## include/ferrotls.h and the OpenSSL-compatible names of src/openssl/exports.txt, nothing else, and every
## name in exports.txt is declared in include/openssl/
c-symbols: $(LIBDIR)/libferrotls.so
	@readelf -d $(LIBDIR)/libferrotls.so | grep -q 'SONAME.*\[libferrotls.so.$(V_MAJOR)\]' || { echo "c-symbols: wrong SONAME"; readelf -d $(LIBDIR)/libferrotls.so | grep SONAME; exit 1; }
	@exported=$$(nm -D --defined-only $(LIBDIR)/libferrotls.so | awk '{print $$3}' | grep '^ferrotls_' | sort); \
	  declared=$$(grep -oE '\bferrotls_[a-z0-9_]+\(' include/ferrotls.h | tr -d '(' | sort -u); \
	  if [ "$$exported" != "$$declared" ]; then echo "c-symbols: ferrotls_* exports differ from the header's functions:"; \
	    diff <(echo "$$exported") <(echo "$$declared"); exit 1; fi
	@exported=$$(nm -D --defined-only $(LIBDIR)/libferrotls.so | awk '{print $$3}' | grep -v '^ferrotls_' | sort); \
	  if [ "$$exported" != "$$(sort src/openssl/exports.txt)" ]; then \
	    echo "c-symbols: OpenSSL-compatible exports differ from src/openssl/exports.txt (< exported, > listed):"; \
	    diff <(echo "$$exported") <(sort src/openssl/exports.txt); exit 1; fi
	@for s in $$(cat src/openssl/exports.txt); do grep -qw "$$s" include/openssl/*.h || { echo "c-symbols: $$s is not declared in include/openssl/"; exit 1; }; done
	@echo "c-symbols: SONAME libferrotls.so.$(V_MAJOR); $$(grep -c . src/openssl/exports.txt) OpenSSL-compatible and $$(grep -oE '\bferrotls_[a-z0-9_]+\(' include/ferrotls.h | sort -u | wc -l) ferrotls_* exports, all declared"

## openssl-compat-test: the OpenSSL-compatible layer, differentially against the system OpenSSL (and under
## Valgrind), plus c-examples/openssl_client.c built from an installed copy with -lssl -lcrypto
openssl-compat-test: build c-symbols
	FERROTLS_BIN=$(FERROTLS_BIN) tests/openssl-compat/run.sh

## compat-apps: real programs (OpenSSL's demos, socat, wget; docs/openssl-compat.md has the table) built unchanged
## against an installed ferrotls and against the system OpenSSL, run against local peers in a private
## network namespace. Sources are Debian source packages fetched at test time; builds are cached
## under build/apps/ and rebuilt when the installed headers or exported symbols change.
APPS_PREFIX := $(CURDIR)/build/apps/prefix
compat-apps: build ssl-dev
	@$(MAKE) --no-print-directory install PREFIX=$(APPS_PREFIX) OPENSSL_DROPIN=1 > build/apps-install.log
	tests/compat-apps/run.sh

## c-test: header drift, exported symbols, C API tests and examples against peers (plain, ASan/UBSan, Valgrind)
c-test: build header-check c-symbols c-tests
	BINDIR=$(BINDIR) FERROTLS_BIN=$(FERROTLS_BIN) tests/c/run.sh

# make test runs c-test as two stages side by side: plain + ASan/UBSan (with the install check), and
# the slowest mode, Valgrind, alone.
c-test-quick: build header-check c-symbols c-tests
	BINDIR=$(BINDIR) FERROTLS_BIN=$(FERROTLS_BIN) tests/c/run.sh plain asan
c-test-valgrind: build c-tests
	SKIP_INSTALL_TEST=1 BINDIR=$(BINDIR) FERROTLS_BIN=$(FERROTLS_BIN) tests/c/run.sh valgrind

# --- Binary drop-in for OpenSSL 3 (make install OPENSSL_DROPIN=1) ----------------------------------
# libssl.so.3 is libferrotls.a relinked with SONAME libssl.so.3 and every name of
# src/openssl/exports.txt under OpenSSL's symbol version OPENSSL_3.0.0 (a linker version script;
# everything else local). libcrypto.so.3 is a stub that defines the same version and needs
# libssl.so.3: the dynamic linker checks that each library a binary names defines the version its
# symbols carry, then finds every symbol (X509_*, EVP_*, ... too) in libssl.so.3 by global lookup.
# A binary built against the system OpenSSL then runs with LD_LIBRARY_PATH=$$PREFIX/lib/ferrotls-openssl3
# as long as it only calls what exports.txt lists.
DROPIN := build/dropin
$(DROPIN)/openssl.map: src/openssl/exports.txt
	@mkdir -p $(DROPIN)
	{ echo 'OPENSSL_3.0.0 {'; echo '  global:'; sed 's/.*/    &;/' $<; echo '  local: *;'; echo '};'; } > $@
$(DROPIN)/libssl.so.3: $(LIBDIR)/libferrotls.a $(DROPIN)/openssl.map
	$(CC) -shared -o $@ -Wl,-soname,libssl.so.3 -Wl,--version-script=$(DROPIN)/openssl.map -Wl,--gc-sections \
	    -Wl,--whole-archive $(LIBDIR)/libferrotls.a -Wl,--no-whole-archive -lpthread -ldl -lm
$(DROPIN)/libcrypto.so.3: $(DROPIN)/libssl.so.3
	printf '%s\n' '/* ferrotls: libcrypto.so.3 stub; every symbol lives in libssl.so.3. */' \
	    'int ferrotls_openssl_libcrypto_stub(void);' 'int ferrotls_openssl_libcrypto_stub(void) { return 1; }' > $(DROPIN)/libcrypto.c
	printf '%s\n' 'OPENSSL_3.0.0 { global: ferrotls_openssl_libcrypto_stub; local: *; };' > $(DROPIN)/libcrypto.map
	$(CC) -shared -fPIC -o $@ $(DROPIN)/libcrypto.c -Wl,-soname,libcrypto.so.3 -Wl,--version-script=$(DROPIN)/libcrypto.map \
	    -Wl,--no-as-needed $(DROPIN)/libssl.so.3 -Wl,-rpath,'$$ORIGIN'
## dropin: build/dropin/libssl.so.3 and libcrypto.so.3 (what `make install OPENSSL_DROPIN=1` installs)
dropin: $(DROPIN)/libssl.so.3 $(DROPIN)/libcrypto.so.3

## install: library (with the .so.$(V_MAJOR) symlink chain), header and pkg-config file under PREFIX;
## with OPENSSL_DROPIN=1 also $$PREFIX/lib/ferrotls-openssl3/lib{ssl,crypto}.so.3 (see above)
install: $(LIBDIR)/libferrotls.so $(LIBDIR)/libferrotls.a $(if $(OPENSSL_DROPIN),dropin)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(LIBDIR)/libferrotls.so $(DESTDIR)$(PREFIX)/lib/libferrotls.so.$(VERSION)
	@# Stripped (the release build keeps line tables for backtraces: ~20 MB with them, ~3 MB
	@# without); INSTALL_DEBUG=1 keeps them in lib/debug/, linked by .gnu_debuglink for gdb.
	$(if $(INSTALL_DEBUG),install -d $(DESTDIR)$(PREFIX)/lib/debug && \
	  objcopy --only-keep-debug $(LIBDIR)/libferrotls.so $(DESTDIR)$(PREFIX)/lib/debug/libferrotls.so.$(VERSION).debug)
	strip --strip-unneeded $(DESTDIR)$(PREFIX)/lib/libferrotls.so.$(VERSION)
	$(if $(INSTALL_DEBUG),cd $(DESTDIR)$(PREFIX)/lib && \
	  objcopy --add-gnu-debuglink=debug/libferrotls.so.$(VERSION).debug libferrotls.so.$(VERSION))
	ln -sf libferrotls.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libferrotls.so.$(V_MAJOR)
	ln -sf libferrotls.so.$(V_MAJOR) $(DESTDIR)$(PREFIX)/lib/libferrotls.so
	install -m 644 $(LIBDIR)/libferrotls.a $(DESTDIR)$(PREFIX)/lib/libferrotls.a
	strip --strip-debug $(DESTDIR)$(PREFIX)/lib/libferrotls.a
	install -m 644 include/ferrotls.h $(DESTDIR)$(PREFIX)/include/ferrotls.h
	@# The OpenSSL-compatible layer: headers, and libssl/libcrypto as links to libferrotls, so that
	@# `cc prog.c -I$$PREFIX/include -L$$PREFIX/lib -lssl -lcrypto` builds a program written for OpenSSL.
	install -d $(DESTDIR)$(PREFIX)/include/openssl
	install -m 644 include/openssl/*.h $(DESTDIR)$(PREFIX)/include/openssl/
	ln -sf libferrotls.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libssl.so
	ln -sf libferrotls.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libcrypto.so
	for pc in openssl libssl libcrypto; do \
	  printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	    "Name: $$pc" 'Description: OpenSSL 3.0-compatible API implemented by ferrotls $(VERSION)' 'Version: 3.0.0' \
	    'Libs: -L$${libdir} -lssl -lcrypto' 'Libs.private: -lpthread -ldl -lm' 'Cflags: -I$${includedir}' \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$pc.pc; done
	$(if $(OPENSSL_DROPIN),install -d $(DESTDIR)$(PREFIX)/lib/ferrotls-openssl3 && \
	  install -m 755 $(DROPIN)/libssl.so.3 $(DROPIN)/libcrypto.so.3 $(DESTDIR)$(PREFIX)/lib/ferrotls-openssl3/)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: ferrotls' 'Description: memory-safe TLS 1.0-1.2 library (C API)' 'Version: $(VERSION)' \
	  'Libs: -L$${libdir} -lferrotls' 'Libs.private: -lpthread -ldl -lm' 'Cflags: -I$${includedir}' \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ferrotls.pc

# --- Bindings: Python (ctypes package) and C++ (header-only) ----------------------------------------
# `make` copies libferrotls.so into the Python package (ignored by git), so `pip install
# ./bindings/python` ships it; ferrotls/_lib.py also finds $FERROTLS_LIBRARY or target/release.
PY_PKG_LIB := bindings/python/ferrotls/libferrotls.so
CXX       ?= c++
# Until include/ferrotls.h has the mutual-authentication calls, ferrotls.hpp leaves them out.
CXX_MTLS  := $(if $(shell grep -l ferrotls_client_verifier_new include/ferrotls.h),,-DFERROTLS_HPP_NO_MUTUAL_AUTH)
CXX_WARN  := -std=c++17 -Wall -Wextra -Werror -Iinclude -Ibindings/cpp/include $(CXX_MTLS)
CXX_ASAN  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CPP_EXAMPLES := cpp_client cpp_server
CPP_TESTS := cpp_test

all: python-lib cpp-examples

## python-lib: the library copy inside bindings/python/ferrotls
python-lib: $(PY_PKG_LIB)
$(PY_PKG_LIB): $(LIBDIR)/libferrotls.so
	cp $< $@

## python-test: pip install ./bindings/python into the venv, then its pytest suite against real peers
python-test: build deps python-lib
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps \
	    --force-reinstall ./bindings/python
	cd bindings/python/tests && FERROTLS_BIN=$(FERROTLS_BIN) ../../../$(VENV)/bin/python -m pytest -q -p no:cacheprovider

## cpp-examples / cpp-test: C++17 examples and tests (plain and ASan/UBSan) in build/bin/cpp
cpp-examples: $(addprefix $(BINDIR)/cpp/,$(CPP_EXAMPLES))
cpp-tests: cpp-examples $(addprefix $(BINDIR)/cpp/,$(CPP_TESTS)) $(addprefix $(BINDIR)/cpp/asan/,$(CPP_TESTS) $(CPP_EXAMPLES))

$(BINDIR)/cpp/%: bindings/cpp/examples/%.cpp bindings/cpp/examples/net.hpp bindings/cpp/include/ferrotls.hpp include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/cpp
	$(CXX) $(CXX_WARN) -O2 -g -o $@ $< $(C_LINK)
$(BINDIR)/cpp/%: bindings/cpp/tests/%.cpp bindings/cpp/include/ferrotls.hpp include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/cpp
	$(CXX) $(CXX_WARN) -O2 -g -o $@ $< $(C_LINK)
$(BINDIR)/cpp/asan/%: bindings/cpp/examples/%.cpp bindings/cpp/examples/net.hpp bindings/cpp/include/ferrotls.hpp include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/cpp/asan
	$(CXX) $(CXX_WARN) $(CXX_ASAN) -o $@ $< $(C_LINK)
$(BINDIR)/cpp/asan/%: bindings/cpp/tests/%.cpp bindings/cpp/include/ferrotls.hpp include/ferrotls.h $(LIBDIR)/libferrotls.so
	@mkdir -p $(BINDIR)/cpp/asan
	$(CXX) $(CXX_WARN) $(CXX_ASAN) -o $@ $< $(C_LINK)

cpp-test: build cpp-tests
	BINDIR=$(BINDIR) FERROTLS_BIN=$(FERROTLS_BIN) bindings/cpp/tests/run.sh

# --- Conformance: tlsfuzzer (docs/conformance.md) --------------------------------------------------
# TLSFUZZER is a checkout of https://github.com/tlsfuzzer/tlsfuzzer (never vendored here). Its pinned
# tlslite-ng (requirements.txt), ecdsa and kyber-py (ML-KEM shares) go into their own venv, apart from build/venv's tlslite-ng.
TLSFUZZER_VENV := build/tlsfuzzer-venv

## conformance: TLSFUZZER=DIR: the tlsfuzzer scripts of tests/conformance/expectations.toml against
## `ferrotls server --www`, each difference expected with its reason; table in build/conformance/results.md
conformance: build
	@[ -n "$(TLSFUZZER)" ] && [ -d "$(TLSFUZZER)/scripts" ] || { \
	  echo "conformance: set TLSFUZZER to a checkout of https://github.com/tlsfuzzer/tlsfuzzer"; exit 1; }
	@[ -x $(TLSFUZZER_VENV)/bin/python ] || python3 -m venv $(TLSFUZZER_VENV)
	$(TLSFUZZER_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $(TLSFUZZER)/requirements.txt 'ecdsa>=0.15' 'kyber-py>=1.2,<2'
	$(TLSFUZZER_VENV)/bin/python tests/conformance/run.py --tlsfuzzer $(TLSFUZZER) \
	    --python $(CURDIR)/$(TLSFUZZER_VENV)/bin/python --ferrotls $(FERROTLS_BIN)

# --- Fuzzing (fuzz/README.md) ----------------------------------------------------------------------
# Not part of `make test`, which replays the committed corpus on stable instead (tests/fuzz_corpus.rs).
# cargo-fuzz is pinned and installed under build/tools like cbindgen; libFuzzer needs nightly.
CARGO_FUZZ_VERSION := 0.13.2
CARGO_FUZZ   := build/tools/bin/cargo-fuzz
FUZZ_TARGETS ?= client server messages deframer x509 ticket
FUZZ_SECONDS ?= 60
FUZZ_CARGO   := PATH=$(CURDIR)/build/tools/bin:$$PATH cargo +nightly fuzz

$(CARGO_FUZZ):
	cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --root build/tools

# libFuzzer and -Zsanitizer need a nightly toolchain; rustup installs one when it is missing.
fuzz-nightly:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

## fuzz-build: every fuzz target, optimised, with libFuzzer and AddressSanitizer (nightly)
fuzz-build: $(CARGO_FUZZ) fuzz-nightly
	$(FUZZ_CARGO) build -O

## fuzz: each target for FUZZ_SECONDS seconds, one after the other. New inputs go to
## build/fuzz/corpus/<target> (the committed seeds in fuzz/corpus are read, never written), crashes
## to fuzz/artifacts/<target>; prints executions per target and fails if any target crashed.
fuzz: fuzz-build
	@mkdir -p build/fuzz; failed=""; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t fuzz/artifacts/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s (log: build/fuzz/$$t.log)"; \
	  $(FUZZ_CARGO) run -O $$t build/fuzz/corpus/$$t fuzz/corpus/$$t -- \
	      -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 > build/fuzz/$$t.log 2>&1 || failed="$$failed $$t"; \
	done; \
	for t in $(FUZZ_TARGETS); do \
	  printf 'fuzz: %-9s %12s executions in %ss, %s\n' $$t \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$$t.log | tail -1)" \
	    "$$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' build/fuzz/$$t.log | tail -1)" \
	    "$$(grep -q '^Done' build/fuzz/$$t.log && echo ok || echo 'CRASHED: see the log and fuzz/artifacts/'$$t)"; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: crashes in:$$failed"; exit 1; }

## fuzz-corpus: rewrite the seed corpora in fuzz/corpus from in-process handshakes and the fixtures
fuzz-corpus:
	$(CARGO) run --release --manifest-path fuzz/Cargo.toml --bin make_corpus -- fuzz/corpus

## fuzz-fmt: rustfmt the fuzz crate (it is not part of the main crate's `cargo fmt`)
fuzz-fmt:
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml
