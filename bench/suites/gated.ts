import { pick, type BenchContext } from "../lib/context.js";
import { runLoad } from "../lib/procs.js";
import { medianOf } from "../lib/stats.js";

/** Warm gated decisions for one route and concurrency (median of rounds). */
export interface GatedPoint {
  readonly route: "images/create" | "containers/create";
  readonly concurrency: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly mismatches: number;
  readonly errors: number;
}

/** Request bodies for the gated suite. */
export interface GatedBodies {
  readonly pull: string;
  readonly create: string;
}

/**
 * Pulls and container creates of a signed image whose trust data is in
 * the plugin's cache. containers/create also inspects the image on a real
 * dockerd, so its numbers include that round trip.
 */
export async function runGated(
  ctx: BenchContext,
  socket: string,
  bodies: GatedBodies,
): Promise<GatedPoint[]> {
  const points: GatedPoint[] = [];
  const routes = [
    ["images/create", bodies.pull],
    ["containers/create", bodies.create],
  ] as const;
  for (const [route, body] of routes) {
    for (const concurrency of [1, 8]) {
      const runs: GatedPoint[] = [];
      for (let round = 0; round < ctx.rounds; round++) {
        const result = await runLoad({
          socket,
          bodies: [body],
          expectAllow: [true],
          concurrency,
          durationMs: pick(ctx, 3_000, 500),
          warmupRequests: 200,
        });
        runs.push({
          route,
          concurrency,
          throughput: result.throughput,
          p50Ms: result.latencyMs.p50,
          p99Ms: result.latencyMs.p99,
          maxMs: result.latencyMs.max,
          requests: result.requests,
          mismatches: result.mismatches,
          errors: result.errors,
        });
      }
      points.push(medianOf(runs));
      ctx.log(`gated ${route} concurrency ${concurrency} done`);
    }
  }
  return points;
}
