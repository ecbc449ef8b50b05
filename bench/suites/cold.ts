import { readFile } from "node:fs/promises";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Testbed } from "../../test/harness/testbed.js";
import { unixRequest } from "../../test/harness/unix-http.js";
import { pick, type BenchContext } from "../lib/context.js";
import { cpuMs, runLoad, startPlugin } from "../lib/procs.js";
import { pullRequest } from "../lib/requests.js";
import { median, summarize, type LatencySummary } from "../lib/stats.js";

/** Results of the cold-decision suite. */
export interface ColdResult {
  /** First pull of each GUN on a new plugin with an empty state dir. */
  readonly firstUse: { latencyMs: LatencySummary; cpuMsPerDecision: number };
  /** Cache off, trusted root stored: every decision fetches again. */
  readonly refresh: { latencyMs: LatencySummary; cpuMsPerDecision: number };
  /** Many concurrent first pulls of one GUN. */
  readonly oneGun: {
    concurrent: number;
    elapsedMs: number;
    serverRequests: number;
    serverRequestsSingle: number;
  };
  /** Every GUN's first pull at once. */
  readonly manyGuns: { guns: number; elapsedMs: number; p99Ms: number };
  readonly guns: number;
}

/** Settings of a plugin that fetches from the bench's notary-server. */
function coldEnv(tb: Testbed, stateDir: string, cacheSeconds: number) {
  return {
    ...tb.pluginEnv(),
    STATE_DIR: stateDir,
    CACHE_MAX_AGE_SECONDS: String(cacheSeconds),
  };
}

async function timePull(socket: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await unixRequest(
    socket,
    "POST",
    "/AuthZPlugin.AuthZReq",
    body,
  );
  const elapsed = performance.now() - started;
  if (!response.body.includes('"Allow":true')) {
    throw new Error(`a signed pull was denied: ${response.body}`);
  }
  return elapsed;
}

/**
 * Counts the metadata requests notary-server logged for a GUN. The server
 * logs one line per request, with the path, at level info.
 */
async function serverRequests(tb: Testbed, gun: string): Promise<number> {
  const log = await readFile(tb.notary.process.logFile, "utf8");
  const needle = `/v2/${gun}/_trust/tuf/`;
  return log.split("\n").filter((line) => line.includes(needle)).length;
}

/** Runs the cold suite over GUNs `bench/cold-N` signed for tag v1. */
export async function runCold(
  ctx: BenchContext,
  tb: Testbed,
  guns: readonly string[],
): Promise<ColdResult> {
  const dir = join(ctx.dir, "cold");
  await mkdir(dir, { recursive: true });
  const bodies = guns.map((gun) => pullRequest(gun, "v1"));
  const firstLatencies: number[] = [];
  const firstCpu: number[] = [];
  const refreshLatencies: number[] = [];
  const refreshCpu: number[] = [];
  for (let round = 0; round < ctx.rounds; round++) {
    const stateDir = join(dir, `state-${round}`);
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const first = await startPlugin(dir, coldEnv(tb, stateDir, 300));
    try {
      const cpuBefore = cpuMs(first.process.pid);
      for (const body of bodies)
        firstLatencies.push(await timePull(first.socket, body));
      firstCpu.push((cpuMs(first.process.pid) - cpuBefore) / bodies.length);
    } finally {
      await first.stop();
    }
    const refresh = await startPlugin(dir, coldEnv(tb, stateDir, 0));
    try {
      // One pass first, so that module loading and the JIT do not count.
      for (const body of bodies) await timePull(refresh.socket, body);
      const count = pick(ctx, 60, 10);
      const cpuBefore = cpuMs(refresh.process.pid);
      for (let i = 0; i < count; i++) {
        const body = bodies[i % bodies.length] ?? "";
        refreshLatencies.push(await timePull(refresh.socket, body));
      }
      refreshCpu.push((cpuMs(refresh.process.pid) - cpuBefore) / count);
    } finally {
      await refresh.stop();
    }
    ctx.log(`cold round ${round + 1} done`);
  }
  return {
    guns: guns.length,
    firstUse: {
      latencyMs: summarize(firstLatencies),
      cpuMsPerDecision: median(firstCpu),
    },
    refresh: {
      latencyMs: summarize(refreshLatencies),
      cpuMsPerDecision: median(refreshCpu),
    },
    oneGun: await measureOneGun(ctx, tb, dir, guns),
    manyGuns: await measureManyGuns(ctx, tb, dir, bodies),
  };
}

async function freshPlugin(
  ctx: BenchContext,
  tb: Testbed,
  dir: string,
  name: string,
) {
  const stateDir = join(dir, name);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  ctx.log(`starting a fresh plugin for ${name}`);
  return startPlugin(dir, coldEnv(tb, stateDir, 300));
}

async function measureOneGun(
  ctx: BenchContext,
  tb: Testbed,
  dir: string,
  guns: readonly string[],
): Promise<ColdResult["oneGun"]> {
  const [single, shared] = [guns[0] ?? "", guns[1] ?? guns[0] ?? ""];
  const concurrent = pick(ctx, 50, 10);
  const plugin = await freshPlugin(ctx, tb, dir, "state-one-gun");
  try {
    const singleBefore = await serverRequests(tb, single);
    await timePull(plugin.socket, pullRequest(single, "v1"));
    const serverRequestsSingle =
      (await serverRequests(tb, single)) - singleBefore;
    const before = await serverRequests(tb, shared);
    const result = await runLoad({
      socket: plugin.socket,
      bodies: [pullRequest(shared, "v1")],
      expectAllow: [true],
      concurrency: concurrent,
      requests: concurrent,
    });
    if (result.mismatches > 0 || result.errors > 0) {
      throw new Error(
        `concurrent pulls of ${shared} failed: ${JSON.stringify(result)}`,
      );
    }
    return {
      concurrent,
      elapsedMs: result.elapsedMs,
      serverRequests: (await serverRequests(tb, shared)) - before,
      serverRequestsSingle,
    };
  } finally {
    await plugin.stop();
  }
}

async function measureManyGuns(
  ctx: BenchContext,
  tb: Testbed,
  dir: string,
  bodies: readonly string[],
): Promise<ColdResult["manyGuns"]> {
  const plugin = await freshPlugin(ctx, tb, dir, "state-many-guns");
  try {
    const result = await runLoad({
      socket: plugin.socket,
      bodies,
      expectAllow: bodies.map(() => true),
      concurrency: bodies.length,
      requests: bodies.length,
    });
    if (result.mismatches > 0 || result.errors > 0) {
      throw new Error(
        `concurrent first pulls failed: ${JSON.stringify(result)}`,
      );
    }
    return {
      guns: bodies.length,
      elapsedMs: result.elapsedMs,
      p99Ms: result.latencyMs.p99,
    };
  } finally {
    await plugin.stop();
  }
}
