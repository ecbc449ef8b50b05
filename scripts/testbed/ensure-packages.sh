#!/usr/bin/env bash
# Installs the Debian packages the integration and end-to-end tests run:
# dockerd, docker-registry, notary-server and client, busybox for base images.
set -euo pipefail
packages=(docker.io docker-registry notary busybox-static openssl iproute2 procps make)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run (an unattended upgrade, a parallel job) may hold the
# locks; wait for it instead of failing.
lock_wait=(-o DPkg::Lock::Timeout=300)
for attempt in 1 2 3 4 5; do
  if apt-get "${lock_wait[@]}" update -qq; then
    break
  fi
  if [ "$attempt" -eq 5 ]; then
    echo "apt-get update failed 5 times" >&2
    exit 1
  fi
  sleep 10
done
apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
