import type { HyperfineResult } from "./hyperfine.js";
import { round } from "./stats.js";
import type { ColdResult } from "../suites/cold.js";
import type { E2eResult } from "../suites/e2e.js";
import type { GatedPoint } from "../suites/gated.js";
import type { MemoryResult } from "../suites/memory.js";
import type { ScaleResult } from "../suites/scale.js";
import type { UngatedResult } from "../suites/ungated.js";

/** Results of one run as bench/run.ts writes them to latest.json. */
export interface BenchResults {
  readonly ungated?: UngatedResult;
  readonly scale?: ScaleResult;
  readonly gated?: GatedPoint[];
  readonly memory?: MemoryResult;
  readonly memoryCapped?: MemoryResult & { heapCapMiB: number };
  readonly cold?: ColdResult;
  readonly cli?: HyperfineResult[];
  readonly e2e?: E2eResult;
}

type Cell = string | number;

/** Formats rows as a Markdown table; numbers get three significant digits. */
export function table(
  header: readonly string[],
  rows: readonly Cell[][],
): string {
  const text = (cell: Cell) =>
    typeof cell === "number"
      ? Number.isNaN(cell)
        ? "n/a"
        : String(round(cell))
      : cell;
  const lines = [
    header,
    header.map(() => "---"),
    ...rows.map((r) => r.map(text)),
  ];
  return `${lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n")}\n`;
}

function ungatedTable(result: UngatedResult): string {
  const rows = result.points
    .toSorted(
      (a, b) =>
        a.concurrency - b.concurrency || a.server.localeCompare(b.server),
    )
    .map((p) => [
      p.server,
      p.concurrency,
      Math.round(p.throughput),
      p.p50Ms,
      p.p99Ms,
      p.maxMs,
      Math.round(p.cpuMicrosPerRequest),
      p.mismatches + p.errors,
    ]);
  const points = table(
    [
      "server",
      "concurrency",
      "req/s",
      "p50 ms",
      "p99 ms",
      "max ms",
      "server CPU µs/req",
      "wrong/errors",
    ],
    rows,
  );
  const ratios = table(
    [
      "concurrency",
      "img-authz / floor throughput",
      "floor / img-authz CPU per request",
    ],
    result.ratios.map((r) => [r.concurrency, r.throughputRatio, r.cpuRatio]),
  );
  return `## Ungated GET /containers/json\n\n${points}\n${ratios}`;
}

function gatedTable(points: readonly GatedPoint[]): string {
  const rows = points.map((p) => [
    p.route,
    p.concurrency,
    Math.round(p.throughput),
    p.p50Ms,
    p.p99Ms,
    p.maxMs,
    p.mismatches + p.errors,
  ]);
  return `## Warm gated decisions\n\n${table(["route", "concurrency", "req/s", "p50 ms", "p99 ms", "max ms", "wrong/errors"], rows)}`;
}

function coldTable(cold: ColdResult): string {
  const rows: Cell[][] = [
    [
      "first use (new state dir)",
      cold.firstUse.latencyMs.p50,
      cold.firstUse.latencyMs.p99,
      cold.firstUse.cpuMsPerDecision,
    ],
    [
      "refresh (cache off, root stored)",
      cold.refresh.latencyMs.p50,
      cold.refresh.latencyMs.p99,
      cold.refresh.cpuMsPerDecision,
    ],
  ];
  const one = cold.oneGun;
  return `## Cold decisions (${cold.guns} GUNs)\n\n${table(["case", "p50 ms", "p99 ms", "plugin CPU ms/decision"], rows)}\n${table(
    ["case", "value"],
    [
      [
        `${one.concurrent} concurrent first pulls of one GUN: wall ms`,
        one.elapsedMs,
      ],
      ["notary-server requests for those pulls", one.serverRequests],
      [
        "notary-server requests for a single first pull",
        one.serverRequestsSingle,
      ],
      [
        `first pulls of ${cold.manyGuns.guns} GUNs at once: wall ms`,
        cold.manyGuns.elapsedMs,
      ],
    ],
  )}`;
}

function hyperfineTable(
  title: string,
  results: readonly HyperfineResult[],
): string {
  const rows = results.map((r) => [
    r.name,
    r.medianMs,
    r.meanMs,
    r.stddevMs,
    r.runs,
  ]);
  return `## ${title}\n\n${table(["command", "median ms", "mean ms", "stddev ms", "runs"], rows)}`;
}

function scaleTable(scale: ScaleResult): string {
  const rows = scale.points.map((p) => [
    p.tags,
    p.delegations,
    Math.round(p.metadataBytes / 1024),
    p.verifyMedianMs,
    p.retainedHeapMiB,
    p.rssMiB,
  ]);
  const cache = scale.cache.map((c) => {
    const last = c.samples.at(-1);
    const peak = Math.max(...c.samples.map((s) => s.heapMiB));
    return [
      c.maxRepositories,
      c.puts,
      last?.entries ?? 0,
      peak,
      last?.heapMiB ?? Number.NaN,
    ];
  });
  return `## Verification against repository size\n\n${table(["tags", "delegations", "metadata KiB", "verify median ms", "retained heap MiB", "worker RSS MiB"], rows)}\n${table(["CACHE_MAX_REPOSITORIES", "GUNs put", "entries kept", "peak heap MiB", "final heap MiB"], cache)}`;
}

function memoryTable(memory: MemoryResult, title: string): string {
  const states = table(
    ["state", "RSS MiB"],
    [
      ["idle after start", memory.idleRssMiB],
      [
        `after ${memory.mixedDecisions} mixed decisions`,
        memory.afterLoadRssMiB,
      ],
      ["5 s later", memory.settledRssMiB],
    ],
  );
  const growth = table(
    ["decisions sent", "RSS MiB"],
    memory.samples.map((sample) => [sample.decisions, sample.rssMiB]),
  );
  const wrong = `Wrong answers / errors in the load: ${memory.wrongAnswers} / ${memory.errors}. Mix: ${memory.mix}.\n`;
  return `## ${title}\n\n${states}\n${growth}\n${wrong}`;
}

function e2eTable(e2e: E2eResult): string {
  const timings = hyperfineTable("docker CLI on a real dockerd", e2e.hyperfine);
  const pullRun = table(
    ["command", "no plugin ms", "img-authz ms", "runs"],
    e2e.docker.map((d) => [
      d.command,
      d.withoutPluginMs,
      d.withPluginMs,
      d.runs,
    ]),
  );
  const ratios = table(
    ["daemon and command", "time / no plugin"],
    [
      ["img-authz, docker ps", e2e.psRatio],
      ["floor plugin, docker ps", e2e.floorPsRatio],
      ["img-authz, docker image inspect", e2e.inspectRatio],
      ["floor plugin, docker image inspect", e2e.floorInspectRatio],
    ],
  );
  return `${timings}\n${pullRun}\n${ratios}`;
}

/** Renders every suite that ran as Markdown tables. */
export function printTables(results: BenchResults): string {
  const parts: string[] = [];
  if (results.ungated) parts.push(ungatedTable(results.ungated));
  if (results.gated) parts.push(gatedTable(results.gated));
  if (results.cold) parts.push(coldTable(results.cold));
  if (results.cli) parts.push(hyperfineTable("Per-pull CLI cost", results.cli));
  if (results.scale) parts.push(scaleTable(results.scale));
  if (results.memory)
    parts.push(memoryTable(results.memory, "Plugin memory, default heap"));
  if (results.memoryCapped) {
    const cap = results.memoryCapped.heapCapMiB;
    const title = `Plugin memory, --max-old-space-size=${cap}`;
    parts.push(memoryTable(results.memoryCapped, title));
  }
  if (results.e2e) parts.push(e2eTable(results.e2e));
  return parts.join("\n");
}
