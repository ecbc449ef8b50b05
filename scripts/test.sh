#!/usr/bin/env bash
# The full test suite: static checks, unit tests, then the integration and
# end-to-end suites, which start a real notary-server, registry and dockerd
# on 127.0.0.1 (installing the Debian packages first when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
# npm puts node_modules/.bin first in PATH; do the same when run directly so
# that every tool runs on the pinned Node 24.
export PATH="$PWD/node_modules/.bin:$PATH"

echo "== node $(node --version)"
echo "== lint and format"
eslint .
prettier --check .
echo "== typecheck"
tsc -p tsconfig.json --noEmit
echo "== build"
tsc -p tsconfig.build.json
echo "== unit tests"
vitest run --project unit
echo "== test bed packages"
bash scripts/testbed/ensure-packages.sh
echo "== integration tests"
vitest run --project integration --no-file-parallelism
echo "== end-to-end tests"
if [ "$(id -u)" -ne 0 ]; then
  echo "the end-to-end tests start dockerd and need root; run: sudo npm test" >&2
  exit 1
fi
vitest run --project e2e --no-file-parallelism
