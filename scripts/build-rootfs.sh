#!/usr/bin/env bash
# Assembles the managed plugin directory (config.json + rootfs/) without a
# base image or `docker build`: the pinned Node 24 binary from
# node_modules/node-linux-<arch>, the shared libraries ldd lists for it,
# the compiled app (dist/, bin/) and its production node_modules.
# Usage: scripts/build-rootfs.sh [OUT_DIR]   (default plugin/build)
# Needs `npm run build` first. Network: only the npm registry, and only
# when the npm cache lacks a production dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-plugin/build}"

case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64) node_arch=arm64 ;;
  *) echo "unsupported architecture: $(uname -m)" >&2; exit 1 ;;
esac
node_bin="node_modules/node-linux-${node_arch}/bin/node"
if [ ! -x "$node_bin" ]; then
  echo "missing $node_bin: run npm ci (it installs the pinned Node runtime)" >&2
  exit 1
fi
if [ ! -f dist/cli/main.js ]; then
  echo "missing dist/cli/main.js: run npm run build first" >&2
  exit 1
fi

rm -rf "$out"
rootfs="$out/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/app" "$rootfs/tmp" "$rootfs/etc" \
  "$rootfs/run/docker/plugins" "$rootfs/var/lib/img-authz"
chmod 1777 "$rootfs/tmp"
cp plugin/config.json "$out/config.json"
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"

# Copy every shared library the binary loads, at the same absolute path,
# plus the dynamic loader (the line of ldd output without "=>").
ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
  sort -u | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done

# /etc/hosts and /etc/resolv.conf are bind-mounted over these by dockerd for
# a host-network plugin; passwd and group let Node resolve uid 0.
: >"$rootfs/etc/hosts"
: >"$rootfs/etc/resolv.conf"
echo "root:x:0:0:root:/root:/sbin/nologin" >"$rootfs/etc/passwd"
echo "root:x:0:" >"$rootfs/etc/group"

cp -r dist bin package.json package-lock.json "$rootfs/app/"
# Production dependencies only. --ignore-scripts skips `prepare` (tsc is a
# dev dependency); --omit=optional skips the Node runtime packages, whose
# binary is already in /usr/local/bin.
(cd "$rootfs/app" && npm ci --omit=dev --omit=optional --ignore-scripts \
  --no-audit --no-fund --loglevel=error)
rm -f "$rootfs/app/package-lock.json"
find "$rootfs/app/dist" -name '*.map' -delete

echo "plugin directory ready: $out ($(du -sh "$rootfs" | cut -f1))"
