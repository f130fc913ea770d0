#!/usr/bin/env bash
# Every public header name of OpenSSL 3.0 (openssl-3.0-headers.txt, the names libssl-dev 3.0
# installs) exists in the installed ferrotls prefix and compiles, alone and all together, with the
# system's OpenSSL headers hidden (private mount namespace); OPENSSL_API_COMPAT is honoured as
# OpenSSL 3.0 does (1.1.x and 3.0 levels accepted, a level above 3.0 is an #error). The same
# compilations against the system OpenSSL must give the same verdicts. Last, every exported name is
# named in docs/openssl-compat.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
PREFIX=${PREFIX:-$PWD/build/apps/prefix}
passed=0 failed=0
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
ok()  { passed=$((passed + 1)); echo "  ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
multiarch=/usr/include/$(gcc -print-multiarch)
names=$(cat tests/compat-apps/openssl-3.0-headers.txt)

missing=$(for h in $names; do [ -e "$PREFIX/include/openssl/$h" ] || echo "$h"; done)
if [ -z "$missing" ]; then ok "all $(wc -w <<< "$names") OpenSSL 3.0 header names are installed"
else bad "headers missing from $PREFIX/include/openssl: $missing"; fi

# asn1_mac.h is an #error in OpenSSL 3.0 ("This file is obsolete"): checked alone below.
{ for h in $names; do [ "$h" = asn1_mac.h ] || echo "#include <openssl/$h>"; done; echo 'int main(void) { return OPENSSL_VERSION_MAJOR == 3 ? 0 : 1; }'; } > "$TMP/all.c"
# compile VARIANT FLAGS... -> exit status of cc
compile() {
    local variant=$1; shift
    if [ "$variant" = ferrotls ]; then
        unshare --mount bash -c "mount -t tmpfs none /usr/include/openssl && \
            { [ ! -d $multiarch/openssl ] || mount -t tmpfs none $multiarch/openssl; } && \
            cc -std=c11 -Wall -Werror -fsyntax-only -I$PREFIX/include $* $TMP/all.c" > "$TMP/cc.log" 2>&1
    else
        cc -std=c11 -Wall -Werror -fsyntax-only "$@" "$TMP/all.c" > "$TMP/cc.log" 2>&1
    fi
}
for api in "" -DOPENSSL_API_COMPAT=30000 -DOPENSSL_API_COMPAT=10101 -DOPENSSL_API_COMPAT=0x10100000L -DOPENSSL_NO_DEPRECATED; do
    for v in ferrotls openssl; do
        if compile $v $api; then ok "$v: every header together compiles ${api:-(no OPENSSL_API_COMPAT)}"
        else bad "$v: headers with ${api:-no API level}"; head -20 "$TMP/cc.log"; fi
    done
done
for v in ferrotls openssl; do
    if ! compile $v -DOPENSSL_API_COMPAT=30100 && grep -q 'requested API level higher than the configured' "$TMP/cc.log"; then
        ok "$v: OPENSSL_API_COMPAT=30100 (above 3.0) is refused with OpenSSL's #error"
    else bad "$v: OPENSSL_API_COMPAT=30100 was not refused"; head -5 "$TMP/cc.log"; fi
done
# Each header alone (a header must include what it needs).
alone_bad=""
for v in ferrotls openssl; do
    printf '#include <openssl/asn1_mac.h>\nint main(void) { return 0; }\n' > "$TMP/all.c"
    if ! compile $v && grep -q 'This file is obsolete' "$TMP/cc.log"; then ok "$v: asn1_mac.h is obsolete (#error)"
    else bad "$v: asn1_mac.h compiled"; fi
done
for h in $names; do
    [ "$h" = asn1_mac.h ] && continue
    printf '#include <openssl/%s>\nint main(void) { return 0; }\n' "$h" > "$TMP/all.c"
    compile ferrotls || alone_bad="$alone_bad $h"
done
if [ -z "$alone_bad" ]; then ok "ferrotls: each header compiles on its own"; else bad "headers that do not compile alone:$alone_bad"; fi
# docs/openssl-compat.md lists every exported name (issue #14: the document names every symbol),
# each spelled out so that a search for it finds it.
undocumented=$(for s in $(cat src/openssl/exports.txt); do grep -qw -- "$s" docs/openssl-compat.md || echo "$s"; done)
if [ -z "$undocumented" ]; then ok "docs/openssl-compat.md names all $(grep -c . src/openssl/exports.txt) exported functions"
else bad "exported but not named in docs/openssl-compat.md:" $undocumented; fi
echo "headers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
