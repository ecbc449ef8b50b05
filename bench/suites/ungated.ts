import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pick, type BenchContext } from "../lib/context.js";
import { cpuMs, runLoad, startFloor, startPlugin } from "../lib/procs.js";
import { psRequest } from "../lib/requests.js";
import { medianOf, round } from "../lib/stats.js";
import type { LoadResult } from "../loadgen.js";

/** Median results of img-authz and the floor at one concurrency. */
export interface UngatedPoint {
  readonly concurrency: number;
  readonly server: "img-authz" | "floor";
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly mismatches: number;
  readonly errors: number;
  /**
   * Server CPU time (user + system) per request, in microseconds. Unlike
   * throughput it does not depend on whether the load generator or the
   * server is the bottleneck.
   */
  readonly cpuMicrosPerRequest: number;
  /** Throughput of each round, to show the spread behind the median. */
  readonly throughputRounds?: number[];
}

/** Results of the ungated suite. */
export interface UngatedResult {
  readonly points: UngatedPoint[];
  /**
   * Per concurrency: img-authz throughput divided by the floor's, and the
   * floor's CPU per request divided by img-authz's (1 means as cheap).
   */
  readonly ratios: {
    concurrency: number;
    throughputRatio: number;
    cpuRatio: number;
  }[];
}

export const CONCURRENCY_LEVELS = [1, 2, 4, 8, 16, 32];

function toPoint(
  concurrency: number,
  server: UngatedPoint["server"],
  result: LoadResult,
  cpuMsPerRequest: number,
): UngatedPoint {
  return {
    cpuMicrosPerRequest: cpuMsPerRequest * 1000,
    concurrency,
    server,
    throughput: result.throughput,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    maxMs: result.latencyMs.max,
    requests: result.requests,
    mismatches: result.mismatches,
    errors: result.errors,
  };
}

/**
 * `GET /containers/json` AuthZReq against img-authz and the allow-all
 * floor server, alternating between them in each round so that both see
 * the same background load.
 */
export async function runUngated(ctx: BenchContext): Promise<UngatedResult> {
  const dir = join(ctx.dir, "ungated");
  await mkdir(join(dir, "state"), { recursive: true, mode: 0o700 });
  const floorSocket = join(dir, "floor.sock");
  const floor = await startFloor(dir, floorSocket);
  try {
    const plugin = await startPlugin(dir, {
      REGISTRY: "localhost:5000",
      NOTARY: "https://localhost:4443",
      STATE_DIR: join(dir, "state"),
    });
    try {
      return await measure(
        ctx,
        { socket: plugin.socket, pid: plugin.process.pid },
        { socket: floorSocket, pid: floor.pid },
      );
    } finally {
      await plugin.stop();
    }
  } finally {
    await floor.stop();
  }
}

/** A server under test: its socket and the PID whose CPU time is read. */
interface Server {
  readonly socket: string;
  readonly pid: number;
}

const WARMUP_REQUESTS = 500;

async function measure(
  ctx: BenchContext,
  plugin: Server,
  floor: Server,
): Promise<UngatedResult> {
  const durationMs = pick(ctx, 3_000, 500);
  const levels = pick(ctx, CONCURRENCY_LEVELS, [1, 8]);
  const runs = new Map<string, UngatedPoint[]>();
  for (let round = 0; round < ctx.rounds; round++) {
    for (const concurrency of levels) {
      for (const [name, server] of [
        ["floor", floor],
        ["img-authz", plugin],
      ] as const) {
        const cpuBefore = cpuMs(server.pid);
        const result = await runLoad({
          socket: server.socket,
          bodies: [psRequest()],
          expectAllow: [true],
          concurrency,
          durationMs,
          warmupRequests: WARMUP_REQUESTS,
        });
        // The warm-up runs between the two CPU readings, so it is counted.
        const cpuPerRequest =
          (cpuMs(server.pid) - cpuBefore) / (result.requests + WARMUP_REQUESTS);
        const key = `${name}/${concurrency}`;
        runs.set(key, [
          ...(runs.get(key) ?? []),
          toPoint(concurrency, name, result, cpuPerRequest),
        ]);
      }
      ctx.log(`ungated round ${round + 1} concurrency ${concurrency} done`);
    }
  }
  const points = [...runs.values()].map((list) => ({
    ...medianOf(list),
    throughputRounds: list.map((point) => Math.round(point.throughput)),
  }));
  const ratios = levels.map((concurrency) => {
    const find = (server: string) =>
      points.find((p) => p.server === server && p.concurrency === concurrency);
    const [ours, base] = [find("img-authz"), find("floor")];
    return {
      concurrency,
      throughputRatio: round(
        (ours?.throughput ?? NaN) / (base?.throughput ?? NaN),
      ),
      cpuRatio: round(
        (base?.cpuMicrosPerRequest ?? NaN) / (ours?.cpuMicrosPerRequest ?? NaN),
      ),
    };
  });
  return { points, ratios };
}
