// Load generator for a docker.authz/1.0 server on a unix socket. It runs in
// its own process so that its CPU use does not slow the server it measures.
// Usage: node loadgen.js '<LoadSpec JSON>'; prints one LoadResult as JSON.
import { Agent, request } from "node:http";
import { summarize, type LatencySummary } from "./lib/stats.js";

/** Load specification: request bodies, concurrency and length. */
export interface LoadSpec {
  readonly socket: string;
  /** AuthZReq bodies, sent round-robin. */
  readonly bodies: readonly string[];
  /** Expected `Allow` for each body; a different response counts as a mismatch. */
  readonly expectAllow: readonly boolean[];
  readonly concurrency: number;
  /** Stop after this many requests, or after `durationMs`, whichever is first. */
  readonly requests?: number;
  readonly durationMs?: number;
  /** Requests sent before measuring, to open connections and warm the JIT. */
  readonly warmupRequests?: number;
}

/** Outcome of one load run. */
export interface LoadResult {
  readonly requests: number;
  readonly elapsedMs: number;
  readonly throughput: number;
  readonly latencyMs: LatencySummary;
  readonly allowed: number;
  readonly denied: number;
  /** Responses whose `Allow` differed from the expected one. */
  readonly mismatches: number;
  readonly errors: number;
  readonly firstError?: string;
}

interface Answer {
  readonly allow: boolean;
}

function send(agent: Agent, socket: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        agent,
        method: "POST",
        path: "/AuthZPlugin.AuthZReq",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) {
            reject(new Error(`HTTP ${res.statusCode ?? 0}: ${text}`));
            return;
          }
          const parsed = JSON.parse(text) as { Allow?: unknown };
          resolve({ allow: parsed.Allow === true });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const limit = spec.requests ?? Number.POSITIVE_INFINITY;
  const deadline = performance.now() + (spec.durationMs ?? 3_600_000);
  for (let i = 0; i < (spec.warmupRequests ?? 0); i++) {
    const index = i % spec.bodies.length;
    await send(agent, spec.socket, spec.bodies[index] ?? "").catch(() => 0);
  }
  const latencies: number[] = [];
  let next = 0;
  let allowed = 0;
  let mismatches = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < limit && performance.now() < deadline) {
      const index = next++ % spec.bodies.length;
      const started = performance.now();
      try {
        const answer = await send(agent, spec.socket, spec.bodies[index] ?? "");
        latencies.push(performance.now() - started);
        if (answer.allow) allowed++;
        if (answer.allow !== spec.expectAllow[index]) mismatches++;
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return {
    requests: latencies.length,
    elapsedMs,
    throughput: (latencies.length / elapsedMs) * 1000,
    latencyMs: summarize(latencies),
    allowed,
    denied: latencies.length - allowed,
    mismatches,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
process.stdout.write(`${JSON.stringify(await run(spec))}\n`);
