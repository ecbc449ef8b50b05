import { join } from "node:path";

/**
 * The project root: bench/run.sh starts the compiled scripts from there and
 * exports it as BENCH_ROOT, because the compiled files live in .tmp/bench.
 */
export const PROJECT_ROOT = process.env.BENCH_ROOT ?? process.cwd();

/** Folder for latest.json, latest.md, the plots and the run history. */
export const RESULTS_DIR = join(PROJECT_ROOT, "bench", "results");
