#!/usr/bin/env bash
# Downloads a Debian source package into build/apps/dl (never into the repository) and unpacks
# its upstream .orig tarball, unchanged, into build/apps/src. apt runs with a private sources list
# and state under build/apps/apt, so the system's apt configuration is left alone.
#
#   tests/compat-apps/fetch.sh PACKAGE SUITE [MEMBER...]
# prints the directory of the unpacked source. MEMBERs limit what is unpacked (paths inside the
# tarball without the top directory; OpenSSL's tarball is 50 MB and only demos/ are needed).
# The newest version the suite lists is tried first; a version that has left the archive (a
# superseded security update) is skipped for the next one listed.
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=$1 suite=$2; shift 2
APT_DIR=$PWD/build/apps/apt DL=build/apps/dl SRC=build/apps/src
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$DL" "$SRC"
cat > "$APT_DIR/sources.list" <<LIST
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
LIST
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o "Dir::Etc::SourceParts=$APT_DIR/none"
          -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o "APT::Sandbox::User=root")
# One `apt-get update` per day is enough for the source indexes.
if [ -z "$(find "$APT_DIR/lists" -name '*Sources*' -mtime -1 2>/dev/null | head -1)" ]; then
    apt-get "${APT_OPTS[@]}" -q update >&2
fi
# Versions of the package in SUITE (apt-cache lists every suite; the .dsc's Directory/Version
# lines pair up), newest first.
versions=$(apt-cache "${APT_OPTS[@]}" showsrc "$pkg" 2>/dev/null | awk -v p="$pkg" '
    /^Package:/ {ok = ($2 == p)} ok && /^Version:/ {print $2}' | sort -Vru)
# The suite's newest version first; when it has left the archive, the others listed, newest first.
orig=
for spec in "$pkg/$suite" $(for v in $versions; do echo "$pkg=$v"; done); do
    if (cd "$DL" && apt-get "${APT_OPTS[@]}" -q source --download-only "$spec" > "$APT_DIR/source.log" 2>&1); then
        version=$(sed -n "s/^Selected version '\([^']*\)'.*/\1/p" "$APT_DIR/source.log" | head -1)
        [ -z "$version" ] && version=${spec#*=}
        upstream=${version#*:}; upstream=${upstream%-*}
        orig=$(ls "$DL/${pkg}_${upstream}".orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1 || true)
        [ -n "$orig" ] && break
    fi
done
if [ -n "$orig" ]; then
    top=$( { tar -tf "$orig" 2>/dev/null || true; } | head -1 | cut -d/ -f1)
    if [ ! -e "$SRC/$top/.unpacked" ]; then
        rm -rf "${SRC:?}/$top"
        members=()
        for m in "$@"; do members+=("$top/$m"); done
        tar -xf "$orig" -C "$SRC" "${members[@]}"
        touch "$SRC/$top/.unpacked"
    fi
    echo "$PWD/$SRC/$top"
    exit 0
fi
echo "fetch: no version of $pkg in $suite could be downloaded" >&2
exit 1
