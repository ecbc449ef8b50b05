import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runChecked } from "../../test/harness/util.js";

/** One command's timing from `hyperfine --export-json`, in milliseconds. */
export interface HyperfineResult {
  readonly name: string;
  readonly command: string;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly stddevMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** A command for hyperfine, with a short name for tables. */
export interface TimedCommand {
  readonly name: string;
  readonly command: string;
}

interface HyperfineJson {
  results: {
    command: string;
    mean: number;
    median: number;
    stddev: number;
    min: number;
    max: number;
    times: number[];
  }[];
}

/**
 * Times shell commands with hyperfine (Debian package `hyperfine`). Each
 * command gets `warmup` untimed runs first; `prepare` runs before each.
 */
export async function hyperfine(
  dir: string,
  commands: readonly TimedCommand[],
  options: {
    runs: number;
    warmup: number;
    prepare?: string;
    env?: NodeJS.ProcessEnv;
  },
): Promise<HyperfineResult[]> {
  const out = join(dir, `hyperfine-${Date.now()}.json`);
  const args = [
    "--style",
    "none",
    "--runs",
    String(options.runs),
    "--warmup",
    String(options.warmup),
    "--export-json",
    out,
    ...(options.prepare === undefined ? [] : ["--prepare", options.prepare]),
    ...commands.map((c) => c.command),
  ];
  await runChecked("hyperfine", args, {
    env: options.env ?? process.env,
    timeoutMs: 900_000,
  });
  const parsed = JSON.parse(await readFile(out, "utf8")) as HyperfineJson;
  return parsed.results.map((r, i) => ({
    name: commands[i]?.name ?? r.command,
    command: r.command,
    meanMs: r.mean * 1000,
    medianMs: r.median * 1000,
    stddevMs: r.stddev * 1000,
    minMs: r.min * 1000,
    maxMs: r.max * 1000,
    runs: r.times.length,
  }));
}
