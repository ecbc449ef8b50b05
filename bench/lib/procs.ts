import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  startPluginProcess,
  type PluginProcess,
} from "../../test/harness/plugin-process.js";
import {
  startProcess,
  type TrackedProcess,
} from "../../test/harness/process.js";
import { unixRequest } from "../../test/harness/unix-http.js";
import { runChecked, waitFor } from "../../test/harness/util.js";
import type { LoadResult, LoadSpec } from "../loadgen.js";

/** Folder of the compiled bench scripts (loadgen.js, floor-server.js). */
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Runs one load in a separate node process and returns its result. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await runChecked(
    process.execPath,
    [join(BENCH_DIR, "loadgen.js"), JSON.stringify(spec)],
    { timeoutMs: 600_000 },
  );
  return JSON.parse(result.stdout) as LoadResult;
}

/** Starts the allow-all floor server on `socket` and waits until it responds. */
export async function startFloor(
  dir: string,
  socket: string,
): Promise<TrackedProcess> {
  const child = startProcess(
    "floor-server",
    process.execPath,
    [join(BENCH_DIR, "floor-server.js"), socket],
    join(dir, "floor-server.log"),
  );
  await waitFor(
    "floor server",
    async () =>
      (await unixRequest(socket, "POST", "/Plugin.Activate", "")).status ===
      200,
    10_000,
    child.logFile,
  ).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  return child;
}

/**
 * Starts `img-authz serve` with production logging (info) unless overridden.
 * With BENCH_CPU_PROF=DIR set, each plugin writes a V8 CPU profile to DIR
 * when it stops.
 */
export function startPlugin(
  dir: string,
  env: Readonly<Record<string, string>>,
): Promise<PluginProcess> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const profile: Record<string, string> =
    profileDir === undefined
      ? {}
      : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` };
  return startPluginProcess({
    dir,
    env: { LOG_LEVEL: "info", ...profile, ...env },
    namePrefix: "img-authz-bench",
  });
}

/** Resident set size of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match === null ? Number.NaN : Number(match[1]) / 1024;
}

/** User plus system CPU time a process has used, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in brackets and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

// USER_HZ is 100 on every Linux architecture node supports.
const CLOCK_TICKS = 100;
