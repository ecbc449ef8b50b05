import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pick, type BenchContext } from "../lib/context.js";
import { runLoad, startFloor, startPlugin } from "../lib/procs.js";
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
  /** Throughput of each round, to show the spread behind the median. */
  readonly throughputRounds?: number[];
}

/** Results of the ungated suite. */
export interface UngatedResult {
  readonly points: UngatedPoint[];
  /** img-authz throughput divided by the floor's, per concurrency. */
  readonly ratios: { concurrency: number; throughputRatio: number }[];
}

export const CONCURRENCY_LEVELS = [1, 2, 4, 8, 16, 32];

function toPoint(
  concurrency: number,
  server: UngatedPoint["server"],
  result: LoadResult,
): UngatedPoint {
  return {
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
      return await measure(ctx, plugin.socket, floorSocket);
    } finally {
      await plugin.stop();
    }
  } finally {
    await floor.stop();
  }
}

async function measure(
  ctx: BenchContext,
  pluginSocket: string,
  floorSocket: string,
): Promise<UngatedResult> {
  const durationMs = pick(ctx, 3_000, 500);
  const levels = pick(ctx, CONCURRENCY_LEVELS, [1, 8]);
  const runs = new Map<string, UngatedPoint[]>();
  for (let round = 0; round < ctx.rounds; round++) {
    for (const concurrency of levels) {
      for (const [server, socket] of [
        ["floor", floorSocket],
        ["img-authz", pluginSocket],
      ] as const) {
        const result = await runLoad({
          socket,
          bodies: [psRequest()],
          expectAllow: [true],
          concurrency,
          durationMs,
          warmupRequests: 500,
        });
        const key = `${server}/${concurrency}`;
        runs.set(key, [
          ...(runs.get(key) ?? []),
          toPoint(concurrency, server, result),
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
      points.find((p) => p.server === server && p.concurrency === concurrency)
        ?.throughput ?? Number.NaN;
    return {
      concurrency,
      throughputRatio: round(find("img-authz") / find("floor")),
    };
  });
  return { points, ratios };
}
