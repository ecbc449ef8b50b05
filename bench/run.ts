// Runs the img-authz benchmarks: `npm run bench` (full, three rounds) or
// `npm run bench -- --quick` (one short round; BENCH_QUICK=1 does the same).
// `--only=ungated,scale` picks suites. Everything listens on 127.0.0.1 or
// unix sockets, and every process is stopped by PID, also on failure.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { removeWorkDir } from "../test/harness/mounts.js";
import { makeWorkDir } from "../test/harness/util.js";
import type { BenchContext } from "./lib/context.js";
import { describeMachine } from "./lib/machine.js";
import { printTables } from "./lib/report.js";
import { writePlots } from "./lib/plots.js";
import { RESULTS_DIR } from "./lib/paths.js";
import { runScale } from "./suites/scale.js";
import { runTestbedSuites } from "./suites/testbed.js";
import { runUngated } from "./suites/ungated.js";

const SUITES = ["ungated", "scale", "testbed"] as const;
type Suite = (typeof SUITES)[number];

function parseArgs(argv: readonly string[]): { quick: boolean; only: Suite[] } {
  let quick = process.env.BENCH_QUICK === "1";
  let only: Suite[] = [...SUITES];
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",");
      only = SUITES.filter((suite) => names.includes(suite));
      if (only.length !== names.length) {
        throw new Error(`unknown suite in ${arg}; use ${SUITES.join(", ")}`);
      }
    } else throw new Error(`unknown argument ${arg}; use --quick, --only=`);
  }
  return { quick, only };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const dir = await makeWorkDir("iazb-");
  const ctx: BenchContext = {
    dir,
    quick,
    rounds: quick ? 1 : 3,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    quick,
    rounds: ctx.rounds,
    machine: await describeMachine(),
  };

  try {
    if (only.includes("ungated")) results.ungated = await runUngated(ctx);
    if (only.includes("scale")) results.scale = await runScale(ctx);
    if (only.includes("testbed"))
      Object.assign(results, await runTestbedSuites(ctx));
  } finally {
    removeWorkDir(dir);
  }
  results.finishedAt = new Date().toISOString();
  results.machineAfter = await describeMachine();

  const full = !quick && only.length === SUITES.length;
  await writeResults(results, full);
}

/** Writes latest.json, latest.md and the plots, and prints the tables. */
async function writeResults(
  results: Record<string, unknown>,
  full: boolean,
): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(join(RESULTS_DIR, "latest.json"), json);
  await writePlots(results, RESULTS_DIR);

  // Only full runs go into the history that bench/summarize.ts reads.
  if (full) {
    const stamp = String(results.startedAt).replace(/:/g, "").split(".")[0];
    await mkdir(join(RESULTS_DIR, "runs"), { recursive: true });
    await writeFile(join(RESULTS_DIR, "runs", `${stamp ?? "run"}.json`), json);
  }

  const tables = printTables(results);
  await writeFile(join(RESULTS_DIR, "latest.md"), tables);
  process.stdout.write(tables);
  process.stdout.write(`\nwrote ${join(RESULTS_DIR, "latest.json")}\n`);
}

await main();
