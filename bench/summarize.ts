// Prints the key numbers of every full run in bench/results/runs/ and
// their median across runs, and writes the table to
// bench/results/summary.md. Usage (after bench/run.sh compiled it):
//   BENCH_ROOT=$PWD node .tmp/bench/bench/summarize.js
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RESULTS_DIR } from "./lib/paths.js";
import type { BenchResults } from "./lib/report.js";
import { table } from "./lib/report.js";
import { median } from "./lib/stats.js";

type Run = BenchResults & {
  startedAt: string;
  machine: { loadAverage: number[] };
};

/** One row of the summary: a label and how to read it from a run. */
type Metric = readonly [string, (run: Run) => number | undefined];

const ungated = (run: Run, concurrency: number) =>
  run.ungated?.points.find(
    (p) => p.server === "img-authz" && p.concurrency === concurrency,
  );
const ratio = (run: Run, concurrency: number) =>
  run.ungated?.ratios.find((r) => r.concurrency === concurrency)
    ?.throughputRatio;
const cpuRatio = (run: Run, concurrency: number) =>
  run.ungated?.ratios.find((r) => r.concurrency === concurrency)?.cpuRatio;
const gated = (run: Run, route: string) =>
  run.gated?.find((p) => p.route === route && p.concurrency === 1);
const hyperfineMs = (run: Run, name: string) =>
  [...(run.cli ?? []), ...(run.e2e?.hyperfine ?? [])].find(
    (r) => r.name === name,
  )?.medianMs;
const verifyMs = (run: Run, delegations: number) =>
  run.scale?.points.find(
    (p) => p.tags === 10_000 && p.delegations === delegations,
  )?.verifyMedianMs;

const METRICS: readonly Metric[] = [
  ["load average (1 min) at start", (r) => r.machine.loadAverage[0]],
  ["ungated img-authz / floor, c=1", (r) => ratio(r, 1)],
  ["ungated img-authz / floor, c=8", (r) => ratio(r, 8)],
  ["ungated floor / img-authz CPU per request, c=8", (r) => cpuRatio(r, 8)],
  ["ungated img-authz req/s, c=8", (r) => ungated(r, 8)?.throughput],
  ["ungated img-authz p99 ms, c=1", (r) => ungated(r, 1)?.p99Ms],
  ["warm images/create p99 ms, c=1", (r) => gated(r, "images/create")?.p99Ms],
  [
    "warm containers/create p99 ms, c=1",
    (r) => gated(r, "containers/create")?.p99Ms,
  ],
  ["cold refresh p50 ms", (r) => r.cold?.refresh.latencyMs.p50],
  ["cold refresh CPU ms/decision", (r) => r.cold?.refresh.cpuMsPerDecision],
  ["first use p50 ms", (r) => r.cold?.firstUse.latencyMs.p50],
  ["first use CPU ms/decision", (r) => r.cold?.firstUse.cpuMsPerDecision],
  [
    "notary lookup ms (trust dir kept)",
    (r) => hyperfineMs(r, "notary lookup (trust dir kept)"),
  ],
  ["verify 10,000 tags ms", (r) => verifyMs(r, 0)],
  ["verify 10,000 tags, 5 delegations ms", (r) => verifyMs(r, 5)],
  ["idle RSS MiB", (r) => r.memory?.idleRssMiB],
  ["RSS after 100,000 decisions MiB", (r) => r.memory?.afterLoadRssMiB],
  ["same, old space capped, MiB", (r) => r.memoryCapped?.afterLoadRssMiB],
  ["docker ps with img-authz / without", (r) => r.e2e?.psRatio],
  ["docker ps with floor plugin / without", (r) => r.e2e?.floorPsRatio],
];

const dir = join(RESULTS_DIR, "runs");
const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
const runs = await Promise.all(
  files.map(
    async (file) => JSON.parse(await readFile(join(dir, file), "utf8")) as Run,
  ),
);
const rows = METRICS.map(([label, read]) => {
  const values = runs.map((run) => read(run) ?? Number.NaN);
  return [label, ...values, median(values.filter(Number.isFinite))];
});
const header = [
  "metric",
  ...runs.map((r) => r.startedAt.slice(0, 16)),
  "median",
];
const text = `# Key numbers of ${runs.length} full runs\n\n${table(header, rows)}`;
await writeFile(join(RESULTS_DIR, "summary.md"), text);
process.stdout.write(text);
