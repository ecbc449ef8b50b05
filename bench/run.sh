#!/usr/bin/env bash
# Builds the plugin and the bench scripts, then runs the benchmarks.
# Usage: npm run bench [-- --quick] [-- --only=ungated,scale,testbed]
#
# The scripts import the test harness, whose parameter properties node's
# type stripping cannot run, so tsc compiles them into .tmp/bench. The
# harness finds bin/ and dist/ two levels above its own compiled file,
# so .tmp/bench gets links to the real ones.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent build
tsc -p bench/tsconfig.json
out=.tmp/bench
ln -sfn ../../dist "$out/dist"
ln -sfn ../../bin "$out/bin"
ln -sfn ../../package.json "$out/package.json"
export BENCH_ROOT="$PWD"
node "$out/bench/run.js" "$@"
# The key numbers of every full run so far, with their median.
node "$out/bench/summarize.js" >/dev/null
echo "wrote bench/results/summary.md"
