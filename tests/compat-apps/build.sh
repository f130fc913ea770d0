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
else
    CPPFLAGS="" LDFLAGS=""
fi
export CPPFLAGS LDFLAGS out src PREFIX

build_demos() {
    local d=$src/demos
    cc $CPPFLAGS -O1 -g -o "$out/sslecho" "$d/sslecho/main.c" $LDFLAGS -lssl -lcrypto
    for p in tls-client-block tls-client-non-block tls-server-block; do
        cc $CPPFLAGS -O1 -g -o "$out/$p" "$d/guide/$p.c" $LDFLAGS -lssl -lcrypto
    done
}

run_build() {
    case $prog in
        demos) build_demos ;;
        *) echo "build: unknown program $prog" >&2; return 1 ;;
    esac
}

log=$out/build.log
if [ "$variant" = ferrotls ]; then
    # Hide the system's OpenSSL headers for this build only.
    export -f build_demos run_build
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
