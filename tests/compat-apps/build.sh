#!/usr/bin/env bash
# Builds one program, unchanged, against ferrotls (the prefix `make install` made) or against the
# system OpenSSL, into build/apps/<variant>/<program>, and caches it: a build is reused while its
# key (the headers and exported symbols it was built against, the source and this script) is
# unchanged. The ferrotls variant builds in a private mount namespace where the system's OpenSSL
# headers are hidden (empty tmpfs over /usr/include/openssl and the multiarch one), so a header
# we lack fails the build instead of silently coming from libssl-dev.
#
#   tests/compat-apps/build.sh PROGRAM ferrotls|openssl SOURCE_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
prog=$1 variant=$2 src=$3
PREFIX=${PREFIX:-$PWD/build/apps/prefix}
out=$PWD/build/apps/$variant/$prog
multiarch=/usr/include/$(gcc -print-multiarch)

key() {
    {
        echo "$prog $variant $src"
        sha256sum tests/compat-apps/build.sh
        if [ "$variant" = ferrotls ]; then
            cat "$PREFIX"/include/openssl/*.h | sha256sum
            nm -D --defined-only "$PREFIX"/lib/libssl.so | awk '{print $3}' | sort | sha256sum
        else
            dpkg-query -W libssl-dev
        fi
    } | sha256sum | cut -d' ' -f1
}

k=$(key)
if [ -e "$out/.key" ] && [ "$(cat "$out/.key")" = "$k" ]; then
    echo "build: $variant/$prog cached"
    exit 0
fi
rm -rf "$out"
mkdir -p "$out"
if [ "$variant" = ferrotls ]; then
    CPPFLAGS="-I$PREFIX/include"
    LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib"
    # pkg-config (wget's configure asks it for openssl) finds the prefix's openssl.pc.
    export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
else
    CPPFLAGS="" LDFLAGS=""
fi
export CPPFLAGS LDFLAGS out src PREFIX variant

build_demos() {
    local d=$src/demos
    cc $CPPFLAGS -O1 -g -o "$out/sslecho" "$d/sslecho/main.c" $LDFLAGS -lssl -lcrypto
    for p in tls-client-block tls-client-non-block tls-server-block; do
        cc $CPPFLAGS -O1 -g -o "$out/$p" "$d/guide/$p.c" $LDFLAGS -lssl -lcrypto
    done
}

# Autotools programs build in a copy of their source (configure writes into it), configured with
# the options their section of docs/openssl-compat.md gives.
autotools() {
    cp -a "$src" "$out/src" && cd "$out/src" && ./configure "$@" CPPFLAGS="$CPPFLAGS" LDFLAGS="$LDFLAGS"
}

build_socat() {
    # socat 1.7.4 has no switch for DTLS: its configure probes DTLS_client_method (which ferrotls
    # exports and SSL_CTX_new refuses). Readline is not needed for the runs.
    autotools --disable-readline && make -j2 socat && cp socat "$out/socat"
}

build_wget() {
    # Only what the runs need: no IDN, PSL, PCRE, zlib, UUID, metalink, c-ares, NLS.
    autotools --with-ssl=openssl --disable-iri --without-libpsl --disable-pcre --disable-pcre2 --without-zlib \
        --without-libuuid --without-metalink --without-cares --disable-nls \
        && make -j2 -C lib && make -j2 -C src wget && cp src/wget "$out/wget"
}

build_curl() {
    # HTTP and HTTPS only (every other protocol and optional library off with curl's own switches),
    # libcurl linked into the curl binary, no CA bundle or path baked in (the runs pass --cacert).
    local ssl=--with-openssl
    [ "$variant" = ferrotls ] && ssl=--with-openssl=$PREFIX
    autotools $ssl --disable-shared --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp \
        --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp \
        --disable-gopher --disable-mqtt --disable-manual --disable-ntlm-wb --without-zlib --without-brotli \
        --without-zstd --without-libpsl --without-libidn2 --without-nghttp2 --without-librtmp --without-libssh2 \
        --without-libssh --without-ca-bundle --without-ca-path --without-ca-fallback \
        && make -j2 -C lib && make -j2 -C src curl && cp src/curl "$out/curl"
}

run_build() {
    case $prog in
        demos) build_demos ;;
        socat) build_socat ;;
        wget) build_wget ;;
        curl) build_curl ;;
        *) echo "build: unknown program $prog" >&2; return 1 ;;
    esac
}

log=$out/build.log
if [ "$variant" = ferrotls ]; then
    # Hide the system's OpenSSL headers for this build only.
    export -f build_demos build_socat build_wget build_curl autotools run_build
    export prog
    unshare --mount bash -c "
        mount -t tmpfs none /usr/include/openssl && \
        { [ ! -d $multiarch/openssl ] || mount -t tmpfs none $multiarch/openssl; } && run_build" > "$log" 2>&1 \
      || { tail -40 "$log"; echo "build: $variant/$prog FAILED (log: $log)"; exit 1; }
else
    run_build > "$log" 2>&1 || { tail -40 "$log"; echo "build: $variant/$prog FAILED (log: $log)"; exit 1; }
fi
echo "$k" > "$out/.key"
echo "build: $variant/$prog built"
