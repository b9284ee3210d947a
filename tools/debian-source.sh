#!/bin/sh
# Fetch and unpack a Debian source package into DIR, through a private apt setup under DIR:
# the system's apt configuration is read (for its mirrors) but never changed.
# usage: debian-source.sh PACKAGE DIR
set -eu
pkg=$1
dir=$2
state="$dir/.apt"
mkdir -p "$state/lists/partial" "$state/parts"
# Turn the machine's binary package sources into source-package sources.
found=0
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed 's/^Types:.*/Types: deb-src/' "$f" > "$state/parts/$(basename "$f")"
    found=1
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^deb \(.*\)$/deb-src \1/p' "$f" > "$state/parts/$(basename "$f").list"
    found=1
done
[ "$found" = 1 ] || { echo "debian-source: no apt sources configured" >&2; exit 1; }
opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$state/parts -o Dir::State::Lists=$state/lists -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
apt-get $opts -q update >/dev/null
(cd "$dir" && apt-get $opts -q source --download-only "$pkg" >/dev/null)
orig=$(ls "$dir"/"$pkg"_*.orig.tar.* | grep -v '\.asc$' | head -n 1)
tar -C "$dir" --strip-components=1 -xf "$orig"
echo "debian-source: unpacked $(basename "$orig") into $dir"
