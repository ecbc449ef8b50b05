import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChecked } from "../../test/harness/util.js";
import { pick, type BenchContext } from "../lib/context.js";
import { medianOf } from "../lib/stats.js";

/** Verification cost of one repository shape (median over rounds). */
export interface ScalePoint {
  readonly tags: number;
  readonly delegations: number;
  readonly metadataBytes: number;
  readonly verifyMedianMs: number;
  readonly verifyMinMs: number;
  readonly retainedHeapMiB: number;
  readonly rssMiB: number;
}

/** Heap growth of the metadata cache as distinct GUNs arrive. */
export interface CacheRun {
  readonly maxRepositories: number;
  readonly puts: number;
  readonly samples: { puts: number; heapMiB: number; entries: number }[];
  readonly rssMiB: number;
}

/** Results of the scale suite. */
export interface ScaleResult {
  readonly points: ScalePoint[];
  readonly cache: CacheRun[];
}

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

async function worker(script: string, args: number[]): Promise<unknown> {
  const result = await runChecked(
    process.execPath,
    ["--expose-gc", join(BENCH_DIR, script), ...args.map(String)],
    { timeoutMs: 600_000 },
  );
  return JSON.parse(result.stdout);
}

/**
 * Verification time and memory for 10, 1,000 and 10,000 signed tags, in
 * `targets` only and spread over 5 delegations; then the cache bound.
 */
export async function runScale(ctx: BenchContext): Promise<ScaleResult> {
  const points: ScalePoint[] = [];
  for (const tags of pick(ctx, [10, 100, 1_000, 3_000, 10_000], [10, 1_000])) {
    for (const delegations of [0, 5]) {
      const repeats = tags >= 3_000 ? pick(ctx, 10, 3) : pick(ctx, 30, 5);
      const runs: ScalePoint[] = [];
      for (let round = 0; round < ctx.rounds; round++) {
        runs.push(
          (await worker("scale-worker.js", [
            tags,
            delegations,
            repeats,
          ])) as ScalePoint,
        );
      }
      points.push(medianOf(runs));
      ctx.log(`scale ${tags} tags, ${delegations} delegations done`);
    }
  }
  const cache: CacheRun[] = [];
  const puts = pick(ctx, 5_000, 500);
  for (const maxRepositories of pick(ctx, [100, 1_000], [50])) {
    cache.push(
      (await worker("cache-worker.js", [maxRepositories, puts])) as CacheRun,
    );
    ctx.log(`cache bound ${maxRepositories} done`);
  }
  return { points, cache };
}
